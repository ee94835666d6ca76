#!/usr/bin/env bash
# stick build --lib / --shared: Python code as a C library. C hosts that
# include only the generated NAME.h link libNAME.a statically (and run in
# an empty chroot) or dlopen libNAME.so; the host's own python3 loads the
# .so with ctypes (two interpreters of different versions in one process).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# A static host compiles and links with the toolchain's musl compiler (the
# .pc's cc): the library's objects are built against its musl.
MUSL_CC=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES")/bin/x86_64-linux-musl-gcc
HOST_PYTHON=${STICK_TEST_HOST_PYTHON:-python3}
HOST_C=$TOP/tests/library/host.c

mkdir -p lib/mylib static shared
cat >lib/mylib/__init__.py <<'EOF'
import hashlib, json, sqlite3, sys


def work(name, n):
    db = sqlite3.connect(":memory:")
    db.execute("create table t (x integer)")
    db.executemany("insert into t values (?)", [(i,) for i in range(int(n))])
    total = db.execute("select sum(x) from t").fetchone()[0]
    return json.dumps({"name": name, "sum": total,
                       "sha256": hashlib.sha256(name.encode()).hexdigest()[:16]})


def boom(what):
    raise ValueError(f"boom: {what}")


def raw():
    return b"\x00\x01\x02"


def nothing():
    return None


def square(x):
    return str(int(x) ** 2)


def versions():
    import ssl
    return json.dumps([sys.version.split()[0], ssl.OPENSSL_VERSION,
                       "sqlite", sqlite3.sqlite_version])


def capi_version():
    import ctypes
    get_version = ctypes.pythonapi.Py_GetVersion
    get_version.restype = ctypes.c_char_p
    return get_version().decode().split()[0]
EOF
cat >lib/mylib/cli.py <<'EOF'
import sys
print("cli argv:", sys.argv[1:])
sys.exit(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
EOF

# check_basic OUT ERR: what host.c's basic mode must print.
check_basic() {
	cat "$1" &&
	test_grep -x "before init: rc=-2 (the library is not initialized) len=0" "$1" &&
	test_grep -x "before init: error=stick: the library is not initialized; call stick_init first" "$1" &&
	test_grep -x "init: rc=0 " "$1" &&
	test_grep -x "init again: rc=0" "$1" &&
	test_grep -x "version: stick library, CPython $PY.[0-9]*" "$1" &&
	test_grep -x "work: result={\"name\": \"h\\\\u00e9llo\", \"sum\": 4950, \"sha256\": \"3c48591d8d098a45\"}" "$1" &&
	test_grep -x "boom: rc=-1 (the Python code raised an exception) len=0" "$1" &&
	test_grep -x "boom: error=Traceback (most recent call last):" "$1" &&
	test_grep -x "    raise ValueError(f\"boom: {what}\")" "$1" &&
	test_grep -x "ValueError: boom: héllo" "$1" &&
	test_grep -x "ModuleNotFoundError: No module named .nosuch." "$1" &&
	test_grep -x "after exception: result=10000" "$1" &&
	test_grep -x "raw: rc=0 len=3 bytes=0,1,2" "$1" &&
	test_grep -x "none: rc=0 result=NULL" "$1" &&
	test_grep -x "null target: rc=-3 (invalid argument) len=0" "$1" &&
	test_grep -x "cli argv: \['3', 'x y'\]" "$1" &&
	test_grep -x "run_module: status=3 error=(none)" "$1" &&
	test_grep -x "finalize: rc=0" "$1" &&
	test_grep -x "after finalize: rc=-2 (the library is not initialized) len=0" "$1" &&
	! test -s "$2"
}

test_expect_success '--lib writes libNAME.a, NAME.h, NAME.pc and the Python headers' '
	build --lib --path lib -o static/libmylib.a >out &&
	test "$(cat out)" = static/libmylib.a &&
	test -f static/libmylib.a && test -f static/mylib.h &&
	test -f static/mylib.pc &&
	test -f static/mylib-include/python$PY/Python.h &&
	! grep "include.*Python" static/mylib.h &&
	ls -a static >files && ! grep "tmp" files
'

test_expect_success 'a static C host with only NAME.h runs in an empty root' '
	"$MUSL_CC" -static -Istatic "$HOST_C" static/libmylib.a -o host &&
	file host >info && test_grep "statically linked" info &&
	in_root host basic >out 2>err &&
	check_basic out err
'

test_expect_success 'pkg-config gives the flags of the static library' '
	export PKG_CONFIG_PATH=$TRASH/static &&
	test "$(pkg-config --variable=cc mylib)" = x86_64-linux-musl-gcc &&
	"$MUSL_CC" $(pkg-config --cflags mylib) "$HOST_C" $(pkg-config --libs mylib) -o host-pc &&
	in_root host-pc basic >out 2>err &&
	check_basic out err
'

test_expect_success 'static host: threads start and call the library concurrently' '
	stack=$(grep -o -- "-Wl,-z,stack-size=[0-9]*" static/mylib.pc) &&
	"$MUSL_CC" -static $stack -Istatic "$HOST_C" static/libmylib.a -o host &&
	in_root host threads >out 2>err &&
	cat out err &&
	test_grep -x "threads: 8 x 200 calls, 0 wrong" out &&
	! test -s err
'

test_expect_success 'a static host may use the full CPython C API beside NAME.h' '
	cat >fullapi.c <<-\EOF &&
	#include <Python.h>
	#include "mylib.h"
	int main(void)
	{
		if (stick_init(NULL) != STICK_OK)
			return 1;
		PyGILState_STATE g = PyGILState_Ensure();
		PyObject *r = PyRun_String("6 * 7", Py_eval_input,
			PyEval_GetBuiltins(), NULL);
		printf("answer: %ld\n", r ? PyLong_AsLong(r) : -1L);
		Py_XDECREF(r);
		PyGILState_Release(g);
		return stick_finalize();
	}
	EOF
	export PKG_CONFIG_PATH=$TRASH/static &&
	"$MUSL_CC" $(pkg-config --cflags mylib) $(pkg-config --variable=python_cflags mylib) \
		fullapi.c $(pkg-config --libs mylib) -o fullapi &&
	in_root fullapi >out &&
	test_grep -x "answer: 42" out
'

test_expect_success '--shared writes libNAME.so that exports only the API' '
	build --shared --path lib -o shared/libmylib.so >out &&
	test "$(cat out)" = shared/libmylib.so &&
	test -f shared/mylib.h && test -f shared/mylib.pc &&
	file shared/libmylib.so >info && test_grep "shared object" info &&
	nm -D --defined-only shared/libmylib.so | awk "{print \$3}" | sort >exported &&
	printf "%s\n" stick_call stick_finalize stick_free stick_init \
		stick_run_module stick_strerror stick_version >expected &&
	diff -u expected exported &&
	nm -D --undefined-only shared/libmylib.so >undefined &&
	! grep -v "@GLIBC_" undefined | grep -v " w " &&
	! grep -E " (Py|_Py|SSL_|sqlite3_|EVP_)" undefined
'

test_expect_success 'a C host loads libNAME.so with dlopen' '
	cc -DHOST_DLOPEN -Ishared "$HOST_C" -o host-dl -ldl -lpthread &&
	./host-dl basic "$TRASH/shared/libmylib.so" >out 2>err &&
	check_basic out err
'

test_expect_success 'dlopen host: threads start and call the library concurrently' '
	./host-dl threads "$TRASH/shared/libmylib.so" >out 2>err &&
	cat out err &&
	test_grep -x "threads: 8 x 200 calls, 0 wrong" out &&
	! test -s err
'

test_expect_success 'the host python3 calls the .so through ctypes: two interpreters in one process' '
	"$HOST_PYTHON" "$TOP/tests/library/ctypes_host.py" "$TRASH/shared/libmylib.so" >out 2>err &&
	cat out err &&
	host=$(sed -n "s/^host: \([0-9.]*\) .*/\1/p" out) &&
	lib=$(sed -n "s/^library: \([0-9.]*\) .*/\1/p" out) &&
	test -n "$host" && test -n "$lib" && test "$host" != "$lib" &&
	case $lib in $PY.*) ;; *) false ;; esac &&
	host_ssl=$(sed -n "s/^host: [0-9.]* \(OpenSSL [0-9.]*\) .*/\1/p" out) &&
	lib_ssl=$(sed -n "s/^library: [0-9.]* \(OpenSSL [0-9.]*\) .*/\1/p" out) &&
	test -n "$lib_ssl" &&
	test "$host_ssl" != "$lib_ssl" &&
	test_grep "^work: 0 {\"name\": \"ctypes\", \"sum\": 45" out &&
	test_grep -x "boom: -1 ValueError: boom: ctypes" out &&
	test_grep -x "host still: \[1\] 2d711642 2" out &&
	test_grep -x "library pythonapi: $lib" out &&
	! test -s err
'

test_expect_success 'library options that make no sense are refused' '
	test_must_fail build --shared --libc musl --path lib -o shared/libx.so 2>err &&
	test_grep "needs --libc glibc" err &&
	test_must_fail build --lib --entry mylib:work --path lib -o static/libx.a 2>err &&
	test_grep "a library is called" err &&
	test_must_fail build --lib --path lib -o static/libx.so 2>err &&
	test_grep "libNAME.a" err &&
	test_must_fail build --lib --shared --path lib -o static/libx.a 2>err &&
	! ls static/libx* shared/libx* 2>/dev/null
'

test_expect_success 'a library goes into a directory that does not exist yet' '
	build --shared --path lib -o new/dir/libmylib.so >out &&
	test "$(cat out)" = new/dir/libmylib.so &&
	test -f new/dir/libmylib.so && test -f new/dir/mylib.h
'

test_expect_success 'a failed library build leaves no output behind' '
	mkdir -p bad/broken && echo "def f(:" >bad/broken/__init__.py &&
	test_must_fail build --lib --path bad -o static/libbroken.a 2>err &&
	test_grep "SyntaxError" err &&
	! ls static/libbroken.a static/broken.h static/broken.pc 2>/dev/null &&
	! ls -a static | grep tmp
'

test_done
