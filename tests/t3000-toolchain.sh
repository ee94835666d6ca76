#!/usr/bin/env bash
# stick toolchain: the static CPython toolchain (3.13, or the version in
# $STICK_TEST_PYTHON), built once into the real cache (scripts/setup builds
# 3.13) and checked here: reuse, layout,
# manifest, a fully static interpreter that does real work with every
# promised built-in module in an empty chroot, and a link against
# libstickpython.a that needs nothing but libc.
. "$(dirname "$0")/lib.sh"

# The toolchain is too slow to build per test: use the user's cache.
use_cached_toolchain

test_expect_success 'stick toolchain prints the directory of a finished toolchain' '
	$STICK toolchain --python $PY --sources "$SOURCES" >out 2>err &&
	TC=$(cat out) && test -d "$TC" &&
	test -f "$TC/manifest.json" &&
	test -f "$TC/lib/libstickpython.a" &&
	test -x "$TC/bin/python$PY" &&
	test -f "$TC/lib/python$PY/os.py" &&
	test -f "$TC/include/python$PY/Python.h"
'
TC=$($STICK -q toolchain --python $PY --sources "$SOURCES" 2>/dev/null)

test_expect_success 'the same inputs reuse the toolchain without building' '
	$STICK toolchain --python $PY --sources "$SOURCES" >out 2>err &&
	test "$(cat out)" = "$TC" &&
	! grep -q "building toolchain" err &&
	! grep -q "^\[" err
'

test_expect_success 'the manifest is JSON listing components, digests and modules' '
	python3 - "$TC/manifest.json" "$PY" <<-\PY
	import json, sys
	m = json.load(open(sys.argv[1]))
	names = [c["name"] for c in m["components"]]
	assert sorted(names) == ["bzip2", "libedit", "libffi", "musl", "ncurses", "openssl", "python", "sqlite3", "xz", "zlib"], names
	assert names[0] == "musl", names
	for c in m["components"]:
	    assert len(c["sha256"]) == 64 and c["source"] and c["version"], c
	assert m["libc"] == "musl" and m["python"].startswith(sys.argv[2] + ".")
	assert "_ssl" in m["builtin_modules"] and "_sqlite3" in m["builtin_modules"]
	PY
'

test_expect_success 'the interpreter is a statically linked executable' '
	file -L "$TC/bin/python$PY" >out &&
	test_grep "statically linked" out &&
	! ls "$TC/lib/python$PY/lib-dynload/"*.so 2>/dev/null
'

test_expect_success 'started under a made-up argv[0], the interpreter finds its stdlib' '
	(cd / && exec -a made-up-name "$TC/bin/python$PY" -c "import os, sys; print(sys.prefix); print(os.__file__)") >out 2>&1 &&
	printf "%s\n" "$TC" "$TC/lib/python$PY/os.py" >expect &&
	test_cmp expect out
'

test_expect_success 'no host header directory is on the musl include path' '
	"$TC/bin/x86_64-linux-musl-gcc" -E -v -x c /dev/null -o /dev/null 2>out &&
	sed -n "/search starts here/,/End of search/p" out >paths &&
	test_grep " $TC/sysroot/usr/include\$" paths &&
	! grep -Ex " */usr/include(/x86_64-linux-gnu|/x86_64-linux-musl)?" paths &&
	! grep -rl -- "-L/usr/lib\b\|-I/usr/include\b" "$TC/build-logs"
'

# statx() is new in musl 1.2.5: Debian 12's musl-tools (1.2.3) lacks it.
test_expect_success 'the libc is the sysroot'"'"'s musl 1.2.6, not the host'"'"'s' '
	grep -q "\"name\": \"musl\", \"version\": \"1.2.6\"" "$TC/manifest.json" &&
	test -f "$TC/sysroot/usr/include/linux/version.h" &&
	cat >statx.c <<-\EOF &&
	#define _GNU_SOURCE
	#include <fcntl.h>
	#include <stdio.h>
	#include <sys/stat.h>
	int main(void)
	{
		struct statx st;
		if (statx(AT_FDCWD, "/", 0, STATX_TYPE, &st))
			return 1;
		puts(S_ISDIR(st.stx_mode) ? "dir" : "?");
		return 0;
	}
	EOF
	"$TC/bin/x86_64-linux-musl-gcc" -static statx.c -o statx &&
	./statx >out && echo dir >expect && test_cmp expect out
'

test_expect_success 'in an empty chroot the interpreter uses every built-in module' '
	mkdir -p root/py/bin root/py/lib &&
	cp "$TC/bin/python$PY" root/py/bin/ &&
	cp -r "$TC/lib/python$PY" root/py/lib/ &&
	cp "$TOP/tests/toolchain/check_modules.py" root/ &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-addext subjectAltName=DNS:localhost \
		-keyout root/key.pem -out root/cert.pem 2>/dev/null &&
	promised=$(sed -n "s/^module *//p" "$TOP/thirdparty/python-$PY" | tr "\n" " ") &&
	env -i "$CHROOT" root /py/bin/python$PY /check_modules.py "$promised" >out 2>&1 &&
	cat out &&
	test_grep "^tls OpenSSL 3" out && test_grep "^all .* modules ok" out
'

# CPython's test-only C modules (the recipe's test-module lines) are linked
# into bin/pythonX.Y alone, for regrtest: never into libstickpython.a, the
# manifest's module list or an output stick builds.
test_expect_success 'the test-only C modules are in the bootstrap interpreter only' '
	tm=$(sed -n "s/^test-module *//p" "$TOP/thirdparty/python-$PY" | tr "\n" " ") &&
	test -n "$tm" &&
	"$TC/bin/python$PY" -I -S -c "import sys, importlib
for m in sys.argv[1].split(): importlib.import_module(m)
print(\"imported\", len(sys.argv[1].split()))" "$tm" >out &&
	test_grep "^imported" out &&
	nm "$TC/lib/libstickpython.a" 2>/dev/null | sed -n "s/.* T PyInit_//p" | sort -u >inits &&
	test_grep -x _ssl inits &&
	python3 - "$TC/manifest.json" $tm <<-\PY &&
	import json, sys
	mods = json.load(open(sys.argv[1]))["builtin_modules"]
	assert not set(sys.argv[2:]) & set(mods), set(sys.argv[2:]) & set(mods)
	PY
	$STICK -q build --python $PY --sources "$SOURCES" -o out-python >/dev/null &&
	./out-python -I -S -c "import sys; print(\"\n\".join(sys.builtin_module_names))" >outmods &&
	test_grep -x _ssl outmods &&
	for m in $tm; do
		! grep -x "$m" inits outmods || exit 1
	done
'

test_expect_success 'a C program links against libstickpython.a and nothing else' '
	cat >embed.c <<-\EOF &&
	#include <Python.h>
	int main(void) {
		PyConfig c;
		PyConfig_InitIsolatedConfig(&c);
		PyConfig_SetString(&c, &c.home, L"/");
		Py_InitializeFromConfig(&c);
		PyConfig_Clear(&c);
		int rc = PyRun_SimpleString("import sys, zlib, _ssl; print(sys.version_info[:2], zlib.ZLIB_VERSION)");
		return Py_FinalizeEx() < 0 || rc ? 1 : 0;
	}
	EOF
	"$TC/bin/x86_64-linux-musl-gcc" -static -I"$TC/include/python$PY" \
		embed.c "$TC/lib/libstickpython.a" -o embed &&
	file embed >out && test_grep "statically linked" out &&
	mkdir -p eroot/lib && cp embed eroot/ && cp -r "$TC/lib/python$PY" eroot/lib/ &&
	env -i "$CHROOT" eroot /embed >out 2>&1 && cat out &&
	test_grep "($(echo $PY | sed "s/\./, /")) 1.3.1" out
'

test_done
