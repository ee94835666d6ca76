#!/usr/bin/env bash
# --target aarch64-linux-musl: the toolchain cross-built on this x86_64
# machine from the same pinned sources, and outputs that are static
# aarch64 executables. Every output runs under qemu-user in an empty root
# holding only the binary and qemu-aarch64-static (run explicitly: no
# binfmt registration is used or changed), with env -i.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
no_host_pip
T=aarch64-linux-musl
QEMU=$(command -v qemu-aarch64-static || echo /usr/bin/qemu-aarch64-static)

# arm_root FILE ARGS...: FILE run as /app by qemu in a fresh empty root
# (plus the files under $ROOT_FILES when set), no environment.
arm_root() {
	rm -rf root && mkdir root && cp "$1" root/app && cp "$QEMU" root/qemu &&
	shift &&
	if [ -n "${ROOT_FILES:-}" ]; then cp -r "$ROOT_FILES"/. root/; fi &&
	env -i "$CHROOT" "$TRASH/root" /qemu /app "$@"
}

# is_arm FILE: a static aarch64 executable, as file(1) says.
is_arm() {
	file "$1" >info &&
	test_grep "ELF 64-bit LSB executable, ARM aarch64" info &&
	test_grep "statically linked" info
}

test_expect_success 'an unknown --target lists the known ones, writes nothing' '
	test_expect_code 2 "$STICK" build --target arm-linux-musleabihf \
		-o "$TRASH/x" 2>err &&
	test_grep "unknown --target .arm-linux-musleabihf.; known targets: x86_64-linux-musl, aarch64-linux-musl" err &&
	! ls -a | grep -q "^\.\?x"
'

test_expect_success '--shared for aarch64 is refused with a reason' '
	test_expect_code 2 "$STICK" build --shared --target $T -o "$TRASH/libx.so" 2>err &&
	test_grep "shared is not available for --target $T" err &&
	! test -e libx.so
'

test_expect_success 'a Python without a cross recipe is refused before any build' '
	test_must_fail env STICK_HOME="$TRASH/empty" "$STICK" toolchain \
		--python 3.11 --target $T 2>err &&
	test_grep "python-3.11 cannot be built for $T" err &&
	! test -e "$TRASH/empty/toolchains/3.11-musl-"*
'

test_expect_success 'stick toolchain --target builds (or finds) the aarch64 toolchain' '
	"$STICK" -q toolchain --python "$PY" --sources "$SOURCES" >x86dir &&
	"$STICK" -q toolchain --python "$PY" --target $T --sources "$SOURCES" >dir &&
	tc=$(cat dir) && case "$tc" in */$PY-musl-aarch64-*) ;; *) false ;; esac &&
	test_grep "\"target\": \"$T\"" "$tc/manifest.json" &&
	is_arm "$tc/bin/python$PY" &&
	file "$tc/build/bin/python$PY" >info && test_grep "x86-64" info &&
	test -f "$tc/lib/python$PY/_sysconfigdata__linux_$T.py" &&
	test -x "$tc/bin/$T-gcc" && test -x "$tc/bin/$T-clang++"
'

test_expect_success 'its interpreter runs under qemu with every promised module' '
	tc=$(cat dir) &&
	promised=$(sed -n "s/^module *//p" "$TOP/thirdparty/python-$PY" | tr "\n" " ") &&
	"$QEMU" "$tc/bin/python$PY" -I -c "import sys
missing = [m for m in sys.argv[1].split() if m not in sys.builtin_module_names]
print(sys.implementation._multiarch, missing)" "$promised" >out &&
	test_grep -x "$T \[\]" out
'

test_expect_success 'stick build -o: a static aarch64 interpreter' '
	build --target $T -o "$TRASH/python" >out &&
	is_arm python &&
	mkdir -p files && cp "$TOP/tests/toolchain/check_modules.py" files/ &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-addext subjectAltName=DNS:localhost \
		-keyout files/key.pem -out files/cert.pem 2>/dev/null &&
	promised=$(sed -n "s/^module *//p" "$TOP/thirdparty/python-$PY" | tr "\n" " ") &&
	ROOT_FILES=$TRASH/files arm_root python -c "exec(open(\"/check_modules.py\").read())" \
		"$promised" >out 2>&1 &&
	cat out && test_grep "^all .* modules ok" out
'

test_expect_success 'the demo (SQLite, TLS, hashes, OpenSSL) runs in an empty root' '
	build --target $T --script "$TOP/scripts/demo.py" -o demo &&
	is_arm demo &&
	arm_root demo >out &&
	cat out &&
	test_grep "\"sqlite sum\": 45" out &&
	test_grep "\"sha256\": \"[0-9a-f]*\"" out &&
	test_grep "\"openssl\": \"OpenSSL 3.5.7" out &&
	python3 -c "import json, sys; d = json.load(open(sys.argv[1]))
assert d[\"files in /\"] == [\"app\", \"qemu\"], d" out &&
	cat >arch.py <<-EOF &&
	import platform, ssl, struct, sys
	ctx = ssl.create_default_context()
	print(platform.machine(), struct.calcsize("P") * 8, sys.byteorder,
	      ctx.verify_mode == ssl.CERT_REQUIRED, hash("x") == hash("x"))
	import sysconfig
	print(sysconfig.get_platform(), sysconfig.get_config_var("MULTIARCH"))
	EOF
	build --target $T --script arch.py -o arch &&
	arm_root arch >out && cat out &&
	test_grep -x "aarch64 64 little True True" out &&
	test_grep -x "linux-aarch64 $T" out
'

test_expect_success '--entry and --prune apps run; the pruned one is smaller' '
	mkdir -p app/tool &&
	cat >app/tool/__init__.py <<-EOF &&
	import json, sys
	def main():
	    print(json.dumps({"argv": sys.argv[1:], "sum": sum(range(10))}))
	    return 0
	EOF
	build --target $T --path app --entry tool:main -o tool-full &&
	build --target $T --path app --entry tool:main --prune -o tool-pruned &&
	arm_root tool-full a b >out-full && arm_root tool-pruned a b >out-pruned &&
	test_grep -x "{\"argv\": \[\"a\", \"b\"\], \"sum\": 45}" out-full &&
	test_cmp out-full out-pruned &&
	test $(stat -c %s tool-pruned) -lt $(stat -c %s tool-full)
'

test_expect_success 'info.json and the SBOM name the target' '
	"$STICK" info demo >info.txt &&
	test_grep "^target  *$T" info.txt &&
	"$STICK" info --json demo >info.json &&
	test_grep "\"target\": \"$T\"" info.json
'

test_expect_success '--lib: an aarch64 C host links the static library' '
	mkdir -p lib/mylib static &&
	printf "import json\ndef work(n):\n    return json.dumps(sum(range(int(n))))\n" \
		>lib/mylib/__init__.py &&
	build --target $T --lib --path lib -o static/libmylib.a &&
	export PKG_CONFIG_PATH=$TRASH/static &&
	test "$(pkg-config --variable=cc mylib)" = $T-gcc &&
	cat >host.c <<-EOF &&
	#include <stdio.h>
	#include <stdlib.h>
	#include "mylib.h"
	int main(void)
	{
		const char *argv[] = { "100" };
		char *out = NULL;
		size_t len = 0;
		int rc = stick_init(NULL);
		if (rc == 0)
			rc = stick_call("mylib:work", 1, argv, &out, &len, NULL);
		printf("rc=%d out=%s\n", rc, out ? out : "(null)");
		return rc != 0;
	}
	EOF
	"$(cat dir)/bin/$T-gcc" $(pkg-config --cflags mylib) host.c \
		$(pkg-config --libs mylib) -o host &&
	is_arm host &&
	arm_root host >out && cat out &&
	test_grep -x "rc=0 out=4950" out
'

test_expect_success 'C extensions cross-built: jinja2 + markupsafe speedups + PyYAML/libyaml' '
	mkdir -p src && tar xzf "$SOURCES/jinja2_3.1.6.orig.tar.gz" -C src &&
	cat >web.py <<-EOF &&
	import jinja2, markupsafe, markupsafe._speedups as sp, yaml
	data = yaml.load("title: <b>&</b>\nitems: [1, 2, 3]", Loader=yaml.CSafeLoader)
	t = jinja2.Environment(autoescape=True).from_string(
	    "{{ title }}: {% for i in items %}{{ i * 2 }} {% endfor %}")
	print(t.render(**data))
	print(markupsafe._escape_inner is sp._escape_inner, yaml.__with_libyaml__,
	      sp.__spec__.loader.__name__, sp.__file__.rpartition("/")[2])
	EOF
	build --target $T --sdist "$SOURCES/markupsafe_3.0.3.orig.tar.gz" \
		--sdist "$SOURCES/pyyaml_6.0.2.orig.tar.gz" \
		--path src/jinja2-3.1.6/src --script web.py -o web &&
	is_arm web &&
	arm_root web >out && cat out &&
	test_grep -x "&lt;b&gt;&amp;&lt;/b&gt;: 2 4 6 " out &&
	test_grep -x "True True BuiltinImporter _speedups.cpython-313-aarch64-linux-musl.so" out &&
	"$STICK" info web >info.txt &&
	test_grep "libyaml" info.txt
'

test_expect_success 'PROJECT_DIR: dependencies from a local index, locked, built for aarch64' '
	(. "$TOP/tests/deps-lib.sh" &&
	 PYTHON=$(cat x86dir)/bin/python$PY &&
	 unpack_tool "$TOP/thirdparty/pip" && unpack_tool "$TOP/tests/deps/flit" &&
	 mkdir -p index/files &&
	 cp "$(source_of "$TOP/tests/deps/markupsafe")" index/files/markupsafe-3.0.3.tar.gz &&
	 cp "$(source_of "$TOP/tests/deps/jinja2")" index/files/jinja2-3.1.6.tar.gz &&
	 wheel_of "$TOP/tests/deps/jinja2" && make_index) &&
	mkdir -p proj/src/proj &&
	cat >proj/pyproject.toml <<-EOF &&
	[build-system]
	requires = ["flit_core>=3.2,<4"]
	build-backend = "flit_core.buildapi"
	[project]
	name = "proj"
	version = "1.0"
	description = "renders"
	dependencies = ["jinja2>=3"]
	[project.scripts]
	proj = "proj:main"
	EOF
	cat >proj/src/proj/__init__.py <<-EOF &&
	import platform, sys, jinja2, markupsafe._speedups as sp
	def main():
	    t = jinja2.Environment(autoescape=True).from_string("{{ x }} on {{ m }}")
	    print(t.render(x=sys.argv[1], m=platform.machine()), sp.__spec__.loader.__name__)
	EOF
	start_httpd "$TRASH/index" &&
	"$STICK" -q build --target $T --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" proj -o pout >stdout &&
	stop_httpd &&
	test_grep -x pout/proj stdout &&
	test -f proj/pylock.toml &&
	is_arm pout/proj &&
	arm_root pout/proj "<x>" >out && cat out &&
	test_grep -x "&lt;x&gt; on aarch64 BuiltinImporter" out
'

test_expect_success 'a C++ extension cross-built with the aarch64 libc++: greenlet' '
	cat >g.py <<-EOF &&
	import greenlet
	def f(x):
	    return greenlet.getcurrent().parent.switch(x + 1) * 2
	g = greenlet.greenlet(f)
	print(g.switch(1), g.switch(10), g.dead)
	EOF
	build --target $T --sdist "$TOP/tests/vendor/greenlet-3.2.4.tar.gz" \
		--script g.py -o g &&
	is_arm g &&
	arm_root g >out && cat out &&
	test_grep -x "2 20 True" out &&
	"$STICK" info g >info.txt &&
	test_grep "libcxx *19.1.7" info.txt
'

# scikit-build-core (and pathspec) from a local index; the host's CMake
# and ninja, configured by stick's toolchain file for the cross build.
test_expect_success 'a scikit-build-core (CMake) C++ package cross-built for aarch64' '
	mkdir -p skb && (cd skb && . "$TOP/tests/deps-lib.sh" &&
	 PYTHON=$(cat ../x86dir)/bin/python$PY &&
	 unpack_tool "$TOP/thirdparty/pip" && unpack_tool "$TOP/tests/deps/setuptools" &&
	 unpack_tool "$TOP/tests/deps/flit" && mkdir -p index/files sd &&
	 TRASH=$TRASH/skb pip_wheel "$(source_of "$TOP/tests/deps/pathspec")" &&
	 skbuild_wheel && make_index) &&
	"$STICK" build --python "$PY" --sources "$SOURCES" --target $T \
		--find-links "$TRASH/skb/index/files" \
		--sdist "$TOP/tests/extpkgs/skbpkg" \
		--script "$TOP/tests/extpkgs/skbpkg/check.py" -o skbapp 2>err &&
	cat err &&
	test_grep "resolved the build requirements of skbpkg 1.0 (scikit-build-core>=0.10)" err &&
	is_arm skbapp &&
	arm_root skbapp >out && cat out &&
	printf "%s\n" "aarch64 42 BuiltinImporter" "element 1 is not an int" >expect &&
	test_cmp expect out
'

test_expect_success 'a prebuilt x86_64 .so offered for an aarch64 build is refused' '
	mkdir -p pre/pkg && echo "x = 1" >pre/pkg/__init__.py &&
	cp /bin/true pre/pkg/_fast.cpython-313-x86_64-linux-gnu.so &&
	test_must_fail "$STICK" build --target $T --path pre --entry pkg:x \
		-o pre-out 2>err &&
	test_grep "_fast.cpython-313-x86_64-linux-gnu.so. is a compiled module" err &&
	! test -e pre-out
'

test_expect_success 'the same hello from two STICK_HOMEs is byte-identical' '
	echo "print(\"hello from aarch64\")" >hello.py &&
	for h in a b; do
		mkdir -p home-$h &&
		ln -s "$STICK_HOME/toolchains" home-$h/toolchains &&
		STICK_HOME=$TRASH/home-$h "$STICK" -q build --target $T --sources "$SOURCES" \
			--script hello.py -o hello-$h || return 1
	done &&
	cmp hello-a hello-b &&
	is_arm hello-a &&
	arm_root hello-a >out && test_grep -x "hello from aarch64" out
'

test_done
