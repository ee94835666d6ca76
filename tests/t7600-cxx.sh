#!/usr/bin/env bash
# C++ extensions (tests/extpkgs/cxxpkg, cxxver1, cxxver2, pybpkg, cxxbad)
# through stick cc-wrap: on musl compiled by the toolchain's clang++
# against libc++, whose runtime (thirdparty/libcxx: libc++, libc++abi,
# libunwind) is built once per toolchain and linked into the outputs that
# need it; exceptions, static constructors, thread_local and std::cout in
# an empty root; one unwinder; two versions of one header-only library in
# one binary; pybind11 (tests/sdists/pybind11-2.10.3); a compile error;
# byte-identical builds in two STICK_HOMEs; --lib on musl and --shared on
# glibc (the host's g++ and libstdc++).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# The extension builds go to a home of this test's own; the toolchains,
# the sources, the frozen stdlib and the C libraries (the C++ runtime
# among them: its first build takes minutes) are the shared cache's.
share_cache toolchains stdlib clibs tools debian-sources sources embed
EXT=$TOP/tests/extpkgs
TEST_TOOL=$TOP/tests/helper/test-tool

TC=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES")
if [ -z "$TC" ]; then
	test_skip 'C++ extensions' 'no musl toolchain'
	test_done
fi

test_expect_success 'the C++ runtime: libc++, libc++abi, libunwind, static, for this toolchain' '
	"$TEST_TOOL" clib --toolchain "$TC" --sources "$SOURCES" libcxx >out &&
	read -r name RT <out && test "$name" = libcxx && echo "$RT" >"$TRASH/runtime" &&
	case "$RT" in "$STICK_HOME/clibs/$(basename "$TC")/libcxx-19.1.7-"*) ;; *) false ;; esac &&
	ls "$RT/lib" >libs && printf "libc++.a\nlibc++abi.a\nlibunwind.a\n" >want &&
	test_cmp want libs &&
	test -f "$RT/include/c++/v1/vector" &&
	grep -q "define _LIBCPP_HAS_MUSL_LIBC" "$RT/include/c++/v1/__config_site" &&
	nm "$RT/lib/libc++abi.a" 2>/dev/null | grep -q " w __cxa_thread_atexit_impl" &&
	! nm "$RT/lib/libc++abi.a" 2>/dev/null | grep -q " U __cxa_thread_atexit_impl" &&
	real=$(cd "$SHARED_HOME/clibs" && pwd -P) &&
	! grep -rl -e "$SHARED_HOME" -e "$STICK_HOME" -e "$real" "$RT"
'
RT=$(cat runtime 2>/dev/null)

cat >c.py <<'PY'
import sys
import cxxpkg._fast as f
print(f.startup())
print(f.descend(5))
print(f.custom())
print(f.at(1))
try:
    f.at(7)
except IndexError as e:
    print("IndexError", e)
print(f.threads())
sys.stdout.flush()
f.cout("hello")
print(f.words("b a b c a b"))
PY
cat >c.expect <<'EOF'
constructed before main
caught 'bottom of 1' 5 frames down
42
2
IndexError out_of_range from libc++
1 2 3 4 main=100 destroyed=4
cout: hello 42
b=3 a=2 c=1 
EOF

test_expect_success 'a C++ extension in an empty root: exceptions, static constructor, thread_local, std::thread, std::cout' '
	build --sdist "$EXT/cxxpkg" --script c.py -o c &&
	in_root c >out && cat out &&
	test_cmp c.expect out &&
	readelf -lW c | grep -q GNU_EH_FRAME
'

test_expect_success 'stick info and the SBOM list the C++ runtime' '
	"$STICK" info c >info && cat info &&
	test_grep "cxxpkg._fast  *from cxxpkg (source)" info &&
	test_grep "(C library)  *libcxx 19.1.7 Apache-2.0 WITH LLVM-exception llvm-toolchain-19_19.1.7.orig.tar.xz" info &&
	python3 -c "import json
p = {x[\"name\"]: x for x in json.load(open(\"c.sbom.json\"))[\"packages\"]}
assert p[\"libcxx\"][\"licenseDeclared\"] == \"Apache-2.0 WITH LLVM-exception\", p[\"libcxx\"]
assert p[\"libcxx\"][\"versionInfo\"] == \"19.1.7\""
'

test_expect_success 'a C-only app links no C++ runtime' '
	echo "print(1)" >plain.py && build --script plain.py -o plain &&
	"$STICK" info plain >info && ! grep -q libcxx info &&
	! readelf -lW plain | grep -q GNU_EH_FRAME
'

# The final link's map: an ld.lld first on PATH that asks the real one
# for it (the output's bytes do not change: compared below).
mkdir -p mapld && cat >mapld/ld.lld <<EOF
#!/bin/sh
exec $(command -v ld.lld) "\$@" -Map=$TRASH/final.map
EOF
chmod +x mapld/ld.lld

test_expect_success 'one unwinder: in the final link every _Unwind_ function comes from libunwind.a' '
	! grep -q gcc_eh "$TC/sysroot/usr/lib/musl-gcc.specs" &&
	! nm --defined-only "$TC/lib/libstickpython.a" 2>/dev/null | grep " [TtWw] _Unwind_" &&
	obj=$(ls "$STICK_HOME"/extensions/*/*/ext/cxxpkg._fast.o) &&
	! nm --defined-only "$obj" | grep " [TtWw] _Unwind_" &&
	PATH=$TRASH/mapld:$PATH build --sdist "$EXT/cxxpkg" --script c.py -o c-map &&
	cmp c c-map &&
	grep "(\.text\._Unwind_" final.map >unwind && cat unwind &&
	test_grep "/libunwind.a(UnwindLevel1.c.o):(.text._Unwind_RaiseException)" unwind &&
	! grep -v "/libunwind\.a(" unwind &&
	! grep -q "libgcc_eh\|libgcc_s" final.map
'

wrap() {
	env STICK_CC="$TC/bin/x86_64-linux-musl-gcc" STICK_CXX="$TC/bin/x86_64-linux-musl-clang++" \
		STICK_CC_TOOLCHAIN="$TC" STICK_CC_PACKAGE="demo 1.0" STICK_CC_SOURCES="$SOURCES" \
		"$STICK" cc-wrap "$@"
}

test_expect_success 'cc-wrap: a C++ object has COMDAT groups, the extension object none, one global' '
	for v in 1 2; do
		wrap --cxx -I"$TC/include/python$PY" -I"$EXT/cxxver$v/include" \
			-c "$EXT/cxxver$v/cxxver$v/_v.cpp" -o v$v.o &&
		readelf -gW v$v.o >groups$v &&
		test_grep "COMDAT group section .* \[_Z12vlib_versionv\]" groups$v &&
		wrap --cxx -shared v$v.o -o _v.cpython-x86_64-linux-musl.so &&
		mv _v.cpython-x86_64-linux-musl.so ext$v.o &&
		readelf -gW ext$v.o | test_grep "There are no section groups" &&
		nm -g --defined-only ext$v.o >globals &&
		test "$(awk "{print \$3}" globals)" = PyInit__v || return 1
	done &&
	objcopy --dump-section .stick.link=rec ext1.o &&
	printf "stick-link 1\n%s\n%s\n%s\n" "$RT/lib/libc++.a" "$RT/lib/libc++abi.a" "$RT/lib/libunwind.a" >want &&
	test_cmp want rec
'

test_expect_success 'cc-wrap records the C++ runtime for --cxx, -lstdc++ or an undefined runtime symbol only' '
	printf "stick-link 1\n%s\n%s\n%s\n" "$RT/lib/libc++.a" "$RT/lib/libc++abi.a" "$RT/lib/libunwind.a" >want &&
	wrap -shared v1.o -o _v.so && objcopy --dump-section .stick.link=rec _v.so &&
	echo "stick-link 1" >none && test_cmp none rec &&
	wrap -shared v1.o -lstdc++ -o _v.so && objcopy --dump-section .stick.link=rec _v.so &&
	test_cmp want rec &&
	echo "extern \"C\" void *PyInit_x(void) { return new int(1); }" >x.cpp &&
	wrap -c x.cpp -o x.o && nm x.o | grep -q " U _Znwm" &&
	wrap -shared x.o -o x.so && objcopy --dump-section .stick.link=rec x.so &&
	test_cmp want rec
'

test_expect_success 'without dissolving the groups the two versions would collide (the control)' '
	for v in 1 2; do
		gcc -nostdlib -r -o r$v.o v$v.o &&
		objcopy --keep-global-symbol=PyInit__v --redefine-sym PyInit__v=PyInit_v$v \
			r$v.o loc$v.o || return 1
	done &&
	readelf -gW loc1.o | test_grep "\[_Z12vlib_versionv\]" &&
	echo "int main(void) { return 0; }" >m.c && gcc -c m.c &&
	test_must_fail gcc -fuse-ld=lld m.o loc1.o loc2.o -Wl,--unresolved-symbols=ignore-all -o collide 2>err &&
	test_grep "relocation refers to a symbol in a discarded section" err
'

cat >v.py <<'PY'
import cxxver1._v as a
import cxxver2._v as b
print(a.get(), b.get(), a.get(), b.get())
PY

test_expect_success 'two extensions built against two versions of one header-only library each keep their own' '
	build --sdist "$EXT/cxxver1" --sdist "$EXT/cxxver2" --script v.py -o v &&
	in_root v >out && cat out &&
	test_grep -Fx "(1, 30, '"'"'vlib one'"'"', 1) (2, 60, '"'"'vlib two'"'"', 1) (1, 30, '"'"'vlib one'"'"', 2) (2, 60, '"'"'vlib two'"'"', 2)" out
'

cat >pb.py <<'PY'
import pybpkg._core as c
print(c.add(2, 3), c.count(["a", "b", "a"]))
p = c.Pet("rex")
print(p.greet())
p.name = "max"
print(p.greet(), isinstance(p, c.Pet))
try:
    c.fail("bad value")
except ValueError as e:
    print("ValueError", e)
try:
    c.add("x", 1)
except TypeError as e:
    print("TypeError", str(e).splitlines()[0])
PY

test_expect_success 'pybind11 2.10.3: classes, STL casters, exception translation, in an empty root' '
	tarball=$SOURCES/$(awk "\$1 == \"source\" { print \$2; exit }" "$TOP/tests/sdists/pybind11-2.10.3") &&
	cp -r "$EXT/pybpkg" pybpkg && mkdir pybpkg/include &&
	tar xzf "$tarball" -C pybpkg/include --strip-components=2 pybind11-2.10.3/include/pybind11 &&
	build --sdist pybpkg --script pb.py -o pb &&
	in_root pb >out && cat out &&
	cat >expect <<-\EOF &&
	5 {'"'"'a'"'"': 2, '"'"'b'"'"': 1}
	hi rex
	hi max True
	ValueError bad value
	TypeError add(): incompatible function arguments. The following argument types are supported:
	EOF
	test_cmp expect out
'

test_expect_success 'a C++ compile error names the package, the file and the log tail; nothing written' '
	test_must_fail build --sdist "$EXT/cxxbad" --script c.py -o bad 2>err && cat err &&
	test_grep "cxxbad: build backend .* building extension .cxxbad._broken.; log: " err &&
	test_grep "cxxbad/_broken.cpp" err &&
	test_grep "this_is_not_declared_in_cxx" err &&
	test ! -e bad && test ! -e bad.sbom.json
'

test_expect_success 'a C++ extension app built in two STICK_HOMEs is byte-identical' '
	home2=$TRASH/home2 && mkdir -p "$home2/clibs/$(basename "$TC")" &&
	for d in toolchains stdlib tools debian-sources sources; do
		ln -s "$SHARED_HOME/$d" "$home2/$d" || return 1
	done &&
	cp -a "$RT" "$home2/clibs/$(basename "$TC")/" &&
	mkdir -p two && (cd two && STICK_HOME=$home2 build --sdist "$EXT/cxxpkg" --script ../c.py -o c) &&
	cmp c two/c &&
	in_root two/c >out && test_cmp c.expect out
'

mkdir -p lib/cxxdemo
cat >lib/cxxdemo/__init__.py <<'PY'
def run(n):
    import cxxpkg._fast as f
    import cxxver1._v as a
    import cxxver2._v as b
    return f"{f.descend(int(n))} {f.custom()} {f.startup()} {a.get()} {b.get()}"
PY
cat >host.c <<'C'
#include <stdio.h>
#include "cxxdemo.h"
int main(void)
{
	const char *args[] = { "3" };
	char *res = NULL, *err = NULL;
	int rc = stick_init(&err);

	if (!rc)
		rc = stick_call("cxxdemo:run", 1, args, &res, NULL, &err);
	printf("rc=%d %s\n", rc, rc ? err : res);
	stick_free(res);
	stick_free(err);
	return stick_finalize() || rc;
}
C

test_expect_success 'a static library (musl) with C++ extensions (both vlib versions), called from a C host in an empty root' '
	mkdir -p static && build --lib --sdist "$EXT/cxxpkg" --sdist "$EXT/cxxver1" --sdist "$EXT/cxxver2" \
		--path lib -o static/libcxxdemo.a &&
	test_grep "^Libs: .* -Wl,--eh-frame-hdr" static/cxxdemo.pc &&
	"$TC/bin/x86_64-linux-musl-gcc" -Istatic host.c \
		$(sed -n "s/^Libs: //p" static/cxxdemo.pc | sed "s|\${libdir}/lib\${name}.a|static/libcxxdemo.a|") -o host-static &&
	in_root host-static >out && cat out &&
	test_grep -Fx "rc=0 caught '"'"'bottom of 1'"'"' 3 frames down 42 constructed before main (1, 30, '"'"'vlib one'"'"', 1) (2, 60, '"'"'vlib two'"'"', 1)" out
'

test_expect_success 'a shared library (glibc, static libstdc++) with C++ extensions (both vlib versions), loaded by a C host' '
	mkdir -p shared && build --shared --sdist "$EXT/cxxpkg" --sdist "$EXT/cxxver1" --sdist "$EXT/cxxver2" \
		--path lib -o shared/libcxxdemo.so &&
	readelf -dW shared/libcxxdemo.so >dyn && cat dyn &&
	! grep -q "libstdc++" dyn &&
	nm -D --defined-only shared/libcxxdemo.so | grep -v " stick_[a-z_]*$" >extra || true &&
	test ! -s extra &&
	gcc -Ishared host.c -Lshared -lcxxdemo -o host-shared &&
	LD_LIBRARY_PATH=shared ./host-shared >out && cat out &&
	test_grep -Fx "rc=0 caught '"'"'bottom of 1'"'"' 3 frames down 42 constructed before main (1, 30, '"'"'vlib one'"'"', 1) (2, 60, '"'"'vlib two'"'"', 1)" out &&
	"$STICK" info shared/libcxxdemo.so >info && cat info &&
	lib=$(g++ -print-file-name=libstdc++.a) &&
	test_grep "^  (C library)  *libstdc++ $(g++ -dumpfullversion) GPL-3.0-only WITH GCC-exception-3.1 $lib$" info &&
	python3 - "$(sha256_of "$lib")" <<-\EOF
	import json, sys
	doc = json.load(open("shared/libcxxdemo.so.sbom.json"))
	p = [p for p in doc["packages"] if p["name"] == "libstdc++"]
	assert len(p) == 1 and p[0]["checksums"][0]["checksumValue"] == sys.argv[1], p
	assert "build host" in p[0]["comment"], p
	EOF
'

test_done
