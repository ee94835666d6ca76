#!/usr/bin/env bash
# meson-python builds (issue 24, item 1): the pinned meson-python 0.17.1,
# meson 1.7.0 and pyproject-metadata 0.9.1 (thirdparty/), the host's
# ninja, and a native file stick writes naming stick cc-wrap as the C and
# C++ compiler. tests/extpkgs/mesonpkg has C and C++ extension modules, a
# private static library (meson's thin archive), an assembly source in the
# link (as numpy's SVML), and two modules with one
# leaf name in two packages: each `-shared` link becomes one relocatable
# object registered under its dotted name from the wheel's path.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
share_cache toolchains stdlib clibs tools debian-sources sources embed
EXT=$TOP/tests/extpkgs

TC=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES")
if [ -z "$TC" ] || ! command -v ninja >/dev/null; then
	test_skip 'meson-python builds' 'no musl toolchain or no ninja'
	test_done
fi

cat >mp.py <<'PY'
import mesonpkg, mesonpkg._cmod as c, mesonpkg._same as a
import mesonpkg.sub._cxxmod as x, mesonpkg.sub._same as b
print(c.triple(14), x.words("b a b"), a.which, b.which)
try:
    x.words("  ")
except ValueError as e:
    print("ValueError", e)
print(c.__loader__.__name__, x.__loader__.__name__, mesonpkg.__doc__)
PY
cat >mp.expect <<'EOF2'
42 a=1 b=2  a b
ValueError no words
BuiltinImporter BuiltinImporter mesonpkg: built by meson-python.
EOF2

test_expect_success 'a meson-python package with C and C++ extensions, alone in an empty root' '
	build --sdist "$EXT/mesonpkg" --script mp.py -o mp 2>err &&
	in_root mp >out && test_cmp mp.expect out
'

test_expect_success 'its four extensions by dotted name, the C++ runtime recorded' '
	"$STICK" info mp >info &&
	for m in mesonpkg._cmod mesonpkg._same mesonpkg.sub._cxxmod mesonpkg.sub._same; do
		test_grep "^  $m  *from mesonpkg (source)" info || return 1
	done &&
	test_grep "(C library)  *libcxx 19.1.7" info
'

test_expect_success 'each extension object: one global, its renamed init function' '
	for o in "$STICK_HOME"/extensions/*/*/ext/mesonpkg.*.o; do
		nm -g --defined-only "$o" | awk "{print \$3}" >g &&
		test "$(wc -l <g)" = 1 && test_grep "^stick_ext_init_mesonpkg_d" g || return 1
	done &&
	ls "$STICK_HOME"/extensions/*/*/ext/ | sort >objs &&
	printf "%s\n" mesonpkg._cmod.o mesonpkg._same.o mesonpkg.sub._cxxmod.o mesonpkg.sub._same.o >want &&
	test_cmp want objs
'

test_expect_success 'the build ran the pinned meson through stick cc-wrap and the native file' '
	log=$(ls "$STICK_HOME"/extensions/*/*.log) &&
	test_grep "^Version: 1.7.0" "$log" &&
	test_grep "C compiler for the host machine: .*stick cc-wrap (gcc" "$log" &&
	test_grep "C++ compiler for the host machine: .*stick cc-wrap --cxx (clang 19" "$log" &&
	test_grep "Native files: .*/stick-native.ini" "$log" &&
	test_grep "relocatable object, only PyInit__cxxmod global" "$log" &&
	test_grep "Source file src/answer.s in the .objects. kwarg is not an object" "$log"
'

test_expect_success 'a warm build compiles nothing; a second STICK_HOME builds the same bytes' '
	build --sdist "$EXT/mesonpkg" --script mp.py -o mp2 2>err2 &&
	cmp mp mp2 &&
	( SHARED=$SHARED_HOME && export STICK_HOME=$TRASH/home2 && mkdir -p "$STICK_HOME" &&
	  for d in toolchains stdlib clibs tools debian-sources sources embed; do
		ln -s "$SHARED/$d" "$STICK_HOME/$d" || exit 1
	  done &&
	  build --sdist "$EXT/mesonpkg" --script mp.py -o mp3 ) &&
	cmp mp mp3
'

test_expect_success 'scikit-build-core without an index: named, with the flags that supply it; classic scikit-build refused' '
	mkdir -p skb && cat >skb/pyproject.toml <<-EOF2 &&
	[build-system]
	requires = ["scikit-build-core"]
	build-backend = "scikit_build_core.build"
	[project]
	name = "skb"
	version = "1.0"
	EOF2
	test_must_fail build --sdist skb --script mp.py -o skb.out 2>err &&
	test_grep "requires .scikit-build-core., and no pinned build tool provides it" err &&
	test_grep -- "--find-links DIR|URL" err &&
	test ! -e skb.out &&
	mkdir -p sk && cat >sk/pyproject.toml <<-EOF2 &&
	[build-system]
	requires = ["setuptools", "scikit-build>=0.17"]
	build-backend = "setuptools.build_meta"
	[project]
	name = "sk"
	version = "1.0"
	EOF2
	test_must_fail build --sdist sk --script mp.py -o sk.out 2>err &&
	test_grep "requires .scikit-build>=0.17., a C++/CMake build tool stick does not provide" err &&
	test ! -e sk.out
'

test_expect_success 'a pkg-config library that nothing provides: the error names it and the package' '
	test_must_fail build --sdist "$TOP/tests/extpkgs/mesonnolib" --script mp.py \
		-o nolib.out 2>err && cat err &&
	test_grep "mesonnolib 1.0: build backend .mesonpy. failed" err &&
	test_grep "mesonnolib 1.0: pkg-config found no .libnothere.: neither the toolchain nor a stick library recipe provides it" err &&
	test ! -e nolib.out
'

test_done
