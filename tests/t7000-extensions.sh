#!/usr/bin/env bash
# C extensions compiled from sdists (--sdist) through their own PEP 517
# backend and linked into the binary: real packages from Debian's source
# archive (tests/sdists/), two packages whose extensions share a leaf name
# and C names, a project with its own extension, libraries called from a
# C host, and each bad input. Every binary runs alone in an empty root.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
EXT=$TOP/tests/extpkgs
TAG=cpython-${PY/./}-x86_64-linux-musl

# sdist NAME: the pinned file of tests/sdists/NAME in $SOURCES.
sdist() { echo "$SOURCES/$(awk '$1 == "source" { print $2; exit }' "$TOP/tests/sdists/$1")"; }
mkdir -p src input
ROOT_FILES=$TRASH/input
printf '%s\n' "<a href='x'>&\"tag\"</a> é 中 \\ \$x" "<script>alert(1)</script>" >input/sample.txt

cat >ms.py <<'PY'
import markupsafe
import markupsafe._speedups as sp
print(markupsafe._escape_inner is sp._escape_inner)
print("/".join(sp.__file__.split("/")[-2:]), sp.__spec__.loader.__name__,
      sp.__spec__.origin == sp.__file__,
      sp.__file__.rpartition("/")[0] == markupsafe.__file__.rpartition("/")[0])
print(markupsafe.escape(open("/sample.txt").read()))
PY

test_expect_success 'markupsafe 3.0.3: escape() is the built-in _speedups, output as python3' '
	build --sdist "$(sdist markupsafe-3.0.3)" --script ms.py -o ms &&
	in_root ms >out && cat out &&
	test_grep -x True out &&
	test_grep -x "markupsafe/_speedups.$TAG.so BuiltinImporter True True" out &&
	sed -n "3,\$p" out >got &&
	tar xzf "$(sdist markupsafe-3.0.3)" -C src &&
	env -i python3 -I -c "import sys; sys.path.insert(0, \"src/markupsafe-3.0.3/src\")
import markupsafe
assert markupsafe._escape_inner.__module__ == \"markupsafe._native\"
print(markupsafe.escape(open(\"input/sample.txt\").read()))" >expect &&
	test_cmp expect got
'

cat >y.py <<'PY'
import sys
import yaml
doc = {"a": [1, 2.5, None, True, "x: y"], "b": {"c": "d\u00e9", "e": [{"f": 1}]},
       "g": "multi\nline", "h": [[1, 2], {"i": None}]}
text = yaml.dump(doc, Dumper=yaml.CSafeDumper, allow_unicode=True)
assert text == yaml.dump(doc, Dumper=yaml.SafeDumper, allow_unicode=True)
c = yaml.load(text, Loader=yaml.CSafeLoader)
print(yaml.__with_libyaml__, c == yaml.load(text, Loader=yaml.SafeLoader) == doc,
      type(yaml.CSafeLoader.__mro__[1]).__name__, yaml._yaml.__name__)
sys.stdout.write(text)
PY

test_expect_success 'PyYAML 6.0.2 with libyaml: CSafeLoader round trip equals the pure loader' '
	build --sdist "$(sdist pyyaml-6.0.2)" --script y.py -o y &&
	in_root y >out && cat out &&
	test_grep -x "True True type yaml._yaml" out &&
	"$STICK" info y >info && test_grep "^  yaml._yaml  *from pyyaml (source)" info &&
	test_grep "(C library)  *libyaml 0.2.5 MIT" info &&
	python3 -c "import json, sys
names = [p[\"name\"] for p in json.load(open(\"y.sbom.json\"))[\"packages\"]]
assert \"libyaml\" in names and \"PyYAML\" in names, names" &&
	sed 1d out >got &&
	tar xzf "$(sdist pyyaml-6.0.2)" -C src &&
	sed -n "/^doc = /,/^       \"g\"/p; /^       \"h\"/p" y.py >doc.py &&
	env -i python3 -I -c "import sys; sys.path.insert(0, \"src/pyyaml-6.0.2/lib\")
import yaml
assert not yaml.__with_libyaml__
exec(open(\"doc.py\").read())
sys.stdout.write(yaml.dump(doc, Dumper=yaml.SafeDumper, allow_unicode=True))" >expect &&
	test_cmp expect got
'

cat >z.py <<'PY'
import sys
import zstandard
import brotli
data = open("/data", "rb").read()
z = zstandard.ZstdCompressor(level=3).compress(data)
assert zstandard.ZstdDecompressor().decompress(z) == data
open("/out.zst", "wb").write(z)
b = brotli.compress(data)
assert brotli.decompress(b) == data
try:
    cli = open("/cli.zst", "rb").read()
except FileNotFoundError:
    cli = None
if cli is not None:
    assert zstandard.ZstdDecompressor().decompress(cli) == data
for name in sys.argv[1:]:
    got = brotli.decompress(open(f"/vectors/{name}.compressed", "rb").read())
    assert got == open(f"/vectors/{name}", "rb").read(), name
print(zstandard.backend, len(sys.argv) - 1, "vectors")
PY

test_expect_success 'zstandard 0.25.0 and brotli 1.1.0: round trips, the zstd tool and upstream vectors agree' '
	build --sdist "$(sdist zstandard-0.25.0)" --sdist "$(sdist brotli-1.1.0)" \
		--skip-requirement cffi --script z.py -o z &&
	tar xzf "$(sdist brotli-1.1.0)" -C src &&
	mkdir -p input/vectors && cp src/google-brotli-*/tests/testdata/* input/vectors/ &&
	cat "$TOP/README.md" "$TOP/stick/ccwrap.c" >input/data &&
	names=$(cd input/vectors && ls *.compressed | sed "s/\.compressed$//") &&
	if command -v zstd >/dev/null; then
		zstd -q -19 -c input/data >input/cli.zst
	fi &&
	in_root z $names >out && cat out &&
	test_grep -x "cext $(echo $names | wc -w) vectors" out &&
	if command -v zstd >/dev/null; then
		zstd -q -d -c root/out.zst | cmp - input/data
	else
		echo "no zstd: only the round trip and brotli vectors checked"
	fi
'

cat >c.py <<'PY'
import collide_a, collide_b
print(collide_a.value(), collide_a.where(), collide_b.value(), collide_b.where())
PY

test_expect_success 'two extensions with the same leaf name and C names in one binary' '
	build --sdist "$EXT/collide-a" --sdist "$EXT/collide-b" --script c.py -o c &&
	in_root c >out && test_grep -x "1 collide_a 2 collide_b" out
'

test_expect_success 'a project whose own build defines an extension' '
	cp -r "$EXT/ownext" own &&
	build own -o dist >out && test "$(cat out)" = dist/ownext &&
	in_root dist/ownext 5 >out && cat out &&
	test_grep -x "15 ownext._fast \[.ownext., ._fast.$TAG.so.\]" out
'

# The changed value is new to the shared extension cache on every run.
# The extension builds of this test go to a cache of their own (the rest
# of the shared one linked in): other tests that run beside it build
# extensions into the shared cache.
own_extensions_home() {
	H=$TRASH/own-extensions && mkdir -p "$H" &&
	for d in "$STICK_HOME"/*; do
		case $d in */extensions) ;; *) ln -sfn "$d" "$H/" ;; esac
	done
}

test_expect_success 'a warm rebuild compiles nothing; a changed source tree is rebuilt' '
	own_extensions_home && export STICK_HOME=$H &&
	cp -r "$EXT/collide-a" ca &&
	build --sdist ca --sdist "$EXT/collide-b" --script c.py -o c1 &&
	touch marker &&
	build --sdist ca --sdist "$EXT/collide-b" --script c.py -o c2 &&
	find "$STICK_HOME/extensions" -newer marker -name "*.log" >new &&
	test ! -s new &&
	n=$((100 + $$ % 9000)) &&
	sed -i "s/return 1; }/return $n; }/" ca/collide_a/_speedups.c &&
	build --sdist ca --sdist "$EXT/collide-b" --script c.py -o c3 &&
	find "$STICK_HOME/extensions" -newer marker -name "*.log" >new &&
	test $(wc -l <new) = 1 && grep -q "stick cc-wrap" $(cat new) &&
	in_root c3 >out && test_grep -x "$n collide_a 2 collide_b" out
'

cat >p.py <<'PY'
import sys
import markupsafe
print(markupsafe.escape("<x>"), sorted(n for n in sys.builtin_module_names
                                       if n.startswith(("markupsafe", "collide"))))
PY

test_expect_success 'with --prune an extension is kept only when a kept module imports it' '
	build --prune --sdist "$(sdist markupsafe-3.0.3)" --sdist "$EXT/collide-b" \
		--script p.py -o p &&
	in_root p >out && cat out &&
	test_grep -x "&lt;x&gt; \[.markupsafe._speedups.\]" out
'

mkdir -p lib/myext
cat >lib/myext/__init__.py <<'PY'
def esc(s):
    import markupsafe
    import markupsafe._speedups as sp
    return f"{markupsafe.escape(s)} {markupsafe._escape_inner is sp._escape_inner}"
PY
cat >host.c <<'C'
#include <stdio.h>
#include "myext.h"
int main(void)
{
	const char *args[] = { "<b>&</b>" };
	char *res = NULL, *err = NULL;
	int rc = stick_init(&err);

	if (!rc)
		rc = stick_call("myext:esc", 1, args, &res, NULL, &err);
	printf("rc=%d %s\n", rc, rc ? err : res);
	stick_free(res);
	stick_free(err);
	return stick_finalize() || rc;
}
C

test_expect_success 'a static library with an extension, called from a C host' '
	mkdir -p static && build --lib --sdist "$(sdist markupsafe-3.0.3)" --path lib -o static/libmyext.a &&
	tc=$($STICK -q toolchain --python "$PY" --sources "$SOURCES") &&
	"$tc"/bin/x86_64-linux-musl-gcc -Istatic host.c \
		$(sed -n "s/^Libs: //p" static/myext.pc | sed "s|\${libdir}/lib\${name}.a|static/libmyext.a|") -o host-static &&
	in_root host-static >out && cat out &&
	test_grep -x "rc=0 &lt;b&gt;&amp;&lt;/b&gt; True" out
'

test_expect_success 'a shared library with an extension: only the API is exported' '
	mkdir -p shared && build --shared --sdist "$(sdist markupsafe-3.0.3)" --path lib -o shared/libmyext.so &&
	gcc -Ishared host.c -Lshared -lmyext -o host-shared &&
	LD_LIBRARY_PATH=shared ./host-shared >out && cat out &&
	test_grep -x "rc=0 &lt;b&gt;&amp;&lt;/b&gt; True" out &&
	nm -D --defined-only shared/libmyext.so | grep -v " stick_[a-z_]*$" >extra || true &&
	test ! -s extra
'

test_expect_success 'a compile error names the package, the extension and the log; no output' '
	test_must_fail build --sdist "$EXT/badc" --script c.py -o bad 2>err && cat err &&
	test_grep "badc: build backend .* building extension .badc._broken.; log: " err &&
	test_grep "this_is_not_declared" err &&
	test ! -e bad
'

test_expect_success 'a build requirement no pinned tool provides is named' '
	test_must_fail build --sdist "$EXT/needs" --script c.py -o bad 2>err && cat err &&
	test_grep "requires .cffi>=1.17., and no pinned build tool provides it" err &&
	test_grep "skip-requirement cffi" err && test ! -e bad
'

test_expect_success 'a prebuilt extension in a --path directory is an error' '
	mkdir -p pre/yaml && touch pre/yaml/__init__.py pre/yaml/_yaml.cpython-311-x86_64-linux-gnu.so &&
	test_must_fail build --path pre --script c.py -o bad 2>err && cat err &&
	test_grep "pre/yaml/_yaml.cpython-311-x86_64-linux-gnu.so. is a compiled module" err &&
	test_grep -- "--sdist" err && test ! -e bad
'

test_expect_success 'an sdist that is not an archive is refused' '
	echo "not a tarball" >broken.tar.gz &&
	test_must_fail build --sdist broken.tar.gz --script c.py -o bad 2>err && cat err &&
	test_grep "broken.tar.gz. is neither a tar nor a zip archive" err && test ! -e bad
'

test_done
