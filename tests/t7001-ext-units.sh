#!/usr/bin/env bash
# Extension builds, the parts that need no sdist: stick cc-wrap with the
# toolchain's compiler (one relocatable object, one global symbol, the
# final link's needs recorded, C++ without a C++ compiler, Fortran and
# unknown libraries refused; C++ itself: t7600) and
# test-tool clib. (stickpy's pure logic: tests/python/test_extensions.py, run
# by t0900.)
. "$(dirname "$0")/lib.sh"

TC_HOME=${STICK_TEST_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/stick}
# The toolchain the checkout's recipes make (the cache may hold older ones).
TC=$(env -u STICK_DATADIR STICK_HOME="$TC_HOME" "$STICK" -q toolchain --python "${STICK_TEST_PYTHON:-3.13}" \
	--sources "$TC_HOME/debian-sources" 2>/dev/null)

wrap() {
	env STICK_CC="$TC/bin/x86_64-linux-musl-gcc" STICK_CC_PACKAGE="demo 1.0" \
		STICK_CC_PROVIDED=z:ssl:crypto STICK_CC_PREFIXES="$TRASH/clib" \
		"$STICK" cc-wrap "$@"
}

if [ -z "$TC" ]; then
	test_skip 'cc-wrap tests' 'no musl toolchain built yet'
	test_done
fi

cat >ext.c <<'C'
#include <Python.h>
unsigned long crc32(unsigned long, const unsigned char *, unsigned);
int yaml_get_version_string(void);
int helper(int x) { return x + 1; }
int shared_table[4] = { 1, 2, 3, 4 };
int private_lib_fn(void);
static struct PyModuleDef def = { PyModuleDef_HEAD_INIT, "pkg._ext", NULL, -1, NULL };
PyMODINIT_FUNC PyInit__ext(void)
{
	(void)crc32(0, 0, 0);
	(void)yaml_get_version_string();
	(void)private_lib_fn();
	return PyModule_Create(&def);
}
C
mkdir -p clib/lib clib/include priv
printf 'int private_lib_fn(void) { return 42; }\n' >priv.c
printf 'int unused_fn(void) { return 0; }\n' >unused.c

test_expect_success 'compiles pass through with -fPIC' '
	wrap -I"$TC/include/python3.13" -c ext.c -o ext.o &&
	wrap -c priv.c -o priv/priv.o &&
	wrap -c unused.c -o priv/unused.o &&
	ar rcs priv/libpriv.a priv/priv.o priv/unused.o &&
	ar rcs clib/lib/libyaml.a priv/priv.o &&
	readelf -r ext.o | grep -q "R_X86_64_PLT32\|GOTPCREL"
'

test_expect_success 'an extension link writes one relocatable object' '
	wrap -shared ext.o -Lpriv -lpriv -lz -lyaml -lm -o _ext.cpython-313-x86_64-linux-musl.so &&
	file _ext.cpython-313-x86_64-linux-musl.so | grep -q relocatable &&
	nm -g --defined-only _ext.cpython-313-x86_64-linux-musl.so >globals &&
	test "$(awk "{print \$3}" globals)" = PyInit__ext &&
	nm _ext.cpython-313-x86_64-linux-musl.so >all &&
	grep -q " t helper" all && grep -q " d shared_table" all &&
	grep -q " t private_lib_fn" all && ! grep -q unused_fn all
'

test_expect_success 'what the final link needs is recorded, excluded from it' '
	objcopy --dump-section .stick.link=rec _ext.cpython-313-x86_64-linux-musl.so &&
	printf "stick-link 1\n-lz\n%s\n" "$TRASH/clib/lib/libyaml.a" >want &&
	test_cmp want rec &&
	objdump -h _ext.cpython-313-x86_64-linux-musl.so | grep -A1 stick.link | grep -q EXCLUDE
'

test_expect_success 'an unknown library is refused, naming package and library' '
	test_must_fail wrap -shared ext.o -lnothere -o _bad.so 2>err &&
	test_grep "demo 1.0" err && test_grep "lnothere" err && test_grep "kind library" err &&
	test ! -e _bad.so
'

test_expect_success 'the build host directories are dropped for musl, each said' '
	wrap -I/usr/include -I /usr/include/x86_64-linux-gnu -isystem /usr/local/include \
		-I"$TC/include/python3.13" -c ext.c -o host.o 2>err && cat err &&
	test_grep "demo 1.0: dropped the build host.s directory .-I/usr/include.: its headers and libraries are for glibc" err &&
	test_grep "directory .-I/usr/include/x86_64-linux-gnu." err &&
	test_grep "directory .-isystem /usr/local/include." err &&
	wrap -shared ext.o -L/usr/lib/x86_64-linux-gnu -Lpriv -lpriv -lz -lyaml -o _ext.cpython-313-x86_64-linux-musl.so 2>err &&
	test_grep "directory .-L/usr/lib/x86_64-linux-gnu." err
'

test_expect_success 'a glibc target keeps the host directories' '
	STICK_CC_LIBC=glibc wrap -I/usr/include/nothere -I"$TC/include/python3.13" -c ext.c -o host.o 2>err &&
	! grep -q dropped err
'

test_expect_success 'an object without its init function is refused' '
	test_must_fail wrap -shared priv/priv.o -o _other.so 2>err &&
	test_grep "defines no .PyInit__other." err && test ! -e _other.so
'

test_expect_success 'C++ without a C++ compiler is refused, naming the package and the source' '
	echo "int f() { return 1; }" >x.cpp &&
	test_must_fail wrap -c x.cpp -o x.o 2>err &&
	test_grep "demo 1.0: cannot build .x.cpp.: it is C++, and this toolchain has no C++ compiler" err &&
	test_must_fail wrap --cxx -c y.c -o y.o 2>err &&
	test_grep "has no C++ compiler" err && test ! -e x.o && test ! -e y.o
'

test_expect_success 'Fortran is refused, naming the package and the source' '
	printf "subroutine f()\nend subroutine f\n" >dot.f90 &&
	test_must_fail wrap -O2 -c dot.f90 -o dot.o 2>err && cat err &&
	test_grep "demo 1.0: cannot build .dot.f90.: it is Fortran, and stick has no Fortran compiler or runtime (gfortran, libgfortran)" err &&
	test_must_fail wrap -c x.F -o x.o 2>err && test_grep "cannot build .x.F.: it is Fortran" err &&
	test_must_fail wrap -shared ext.o dot.f90 -o _f.so 2>err && test_grep "it is Fortran" err &&
	test ! -e dot.o && test ! -e _f.so
'

test_expect_success 'cc-wrap without its environment says it is internal' '
	test_must_fail "$STICK" cc-wrap -c ext.c 2>err &&
	test_grep "STICK_CC is not set" err &&
	! "$STICK" --help | grep -q cc-wrap
'

cp "$TOP/thirdparty/libyaml" "$TOP/thirdparty/zlib" "$STICK_DATADIR/thirdparty/"

test_expect_success 'test-tool clib builds a library recipe once per toolchain' '
	"$TOP/tests/helper/test-tool" clib --toolchain "$TC" --sources "$TC_HOME/debian-sources" >out &&
	read -r name prefix <out && test "$name" = libyaml &&
	case "$prefix" in "$STICK_HOME/clibs/$(basename "$TC")/libyaml-0.2.5-"*) ;; *) false ;; esac &&
	test -f "$prefix/lib/libyaml.a" && test -f "$prefix/include/yaml.h" &&
	nm "$prefix/lib/libyaml.a" | grep -q "T yaml_parser_initialize" &&
	touch "$prefix/lib/marker" &&
	"$TOP/tests/helper/test-tool" clib --toolchain "$TC" libyaml >again && test_cmp out again &&
	test -f "$prefix/lib/marker"
'

test_expect_success 'test-tool clib refuses a recipe that is not a library' '
	test_must_fail "$TOP/tests/helper/test-tool" clib --toolchain "$TC" zlib 2>err &&
	test_grep "recipe .zlib. is not of kind library" err
'

test_done
