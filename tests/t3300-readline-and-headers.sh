#!/usr/bin/env bash
# Two things the toolchain carries for outputs and extensions: `readline`
# built in from libedit (BSD; GNU readline's GPL would bind every output),
# with line editing in the single-file interpreter's REPL; and the headers
# and pkg-config files of the libraries it links (zlib, libffi, SQLite,
# xz, bzip2, OpenSSL, libedit), so an extension compiles against them and
# its -lz and the like resolve to libstickpython.a's one copy.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# Extension builds go to a home of this test's own; the toolchain, the
# sources and the frozen stdlib are the shared cache's.
share_cache toolchains stdlib clibs tools debian-sources sources embed
TC=$($STICK -q toolchain --python $PY --sources "$SOURCES")

test_expect_success 'the toolchain installs its libraries headers and .pc files, not their archives' '
	for h in zlib.h zconf.h openssl/ssl.h ffi.h ffitarget.h sqlite3.h \
		lzma.h lzma/version.h bzlib.h histedit.h editline/readline.h; do
		test -f "$TC/include/$h" || { echo "missing $h"; return 1; }
	done &&
	for pc in zlib libssl libcrypto openssl libffi sqlite3 liblzma bzip2 libedit; do
		test_grep -x "prefix=\${pcfiledir}/../.." "$TC/lib/pkgconfig/$pc.pc" || return 1
	done &&
	inc=$(PKG_CONFIG_LIBDIR=$TC/lib/pkgconfig pkg-config --variable=includedir zlib) &&
	test "$inc" = "$TC/lib/pkgconfig/../../include" && test -f "$inc/zlib.h" &&
	! grep -l "stick-build\|\.build/" "$TC"/lib/pkgconfig/*.pc &&
	! ls "$TC"/lib/libz.a "$TC"/lib/libssl.a "$TC"/lib/libffi.a \
		"$TC"/lib/libsqlite3.a "$TC"/lib/liblzma.a "$TC"/lib/libbz2.a \
		"$TC"/lib/libedit.a 2>/dev/null
'

cat >rl.py <<'PY'
import readline
readline.add_history("x")
print(readline.get_history_item(1))
print("libedit" in readline.__doc__)
PY

test_expect_success 'an app imports readline (libedit) in an empty root' '
	build --script rl.py -o rl &&
	in_root rl >out 2>&1 && cat out &&
	printf "x\nTrue\n" >expect && test_cmp expect out
'

test_expect_success 'stick info and the SBOM list libedit' '
	"$STICK" info rl >info &&
	test_grep "libedit  *3.1-20250104  *BSD-3-Clause" info &&
	python3 -c "import json
names = [p[\"name\"] for p in json.load(open(\"rl.sbom.json\"))[\"packages\"]]
assert \"libedit\" in names, names"
'

# The REPL on a pseudo-terminal: type 12+1, move left twice, insert 3:
# with line editing the line is 123+1 and prints 124 (without it, the
# escape sequences reach the parser: a syntax error). The left arrow is
# what a terminal sends: ESC [ D, or ESC O D once the program asked for
# application cursor keys (the 3.13 REPL, _pyrepl, does; libedit not).
cat >repl.py <<'PY'
import os, pty, re, select, sys, time
binary, basic = sys.argv[1], sys.argv[2] == "basic"
env = {"TERM": "xterm", "HOME": os.getcwd(), "LC_ALL": "C.UTF-8",
       "PATH": "/usr/bin:/bin"}
if basic:
    env["PYTHON_BASIC_REPL"] = "1"
pid, fd = pty.fork()
if pid == 0:
    os.execve(binary, [binary, "-q"], env)
out = b""
def read_until(pred, timeout=20):
    global out
    end = time.monotonic() + timeout
    while not pred(out) and time.monotonic() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:
                break
            if not data:
                break
            out += data
    return pred(out)
assert read_until(lambda o: b">>> " in o), out
left = b"\x1bOD" if b"\x1b[?1h" in out else b"\x1b[D"
os.write(fd, b"12+1" + left + left + b"3\r")
ok = read_until(lambda o: re.search(rb"(?<![0-9])124\r?\n", o) is not None)
os.write(fd, b"\x04")
read_until(lambda o: False, timeout=3)
os.kill(pid, 9)
os.waitpid(pid, 0)
print("edited" if ok else "not edited: %r" % out)
PY

test_expect_success 'the interpreter is built' '
	build -o py
'

test_expect_success 'the basic REPL (input through readline) has line editing' '
	python3 repl.py "$TRASH/py" basic >out 2>&1 && cat out &&
	test_grep -x edited out
'

test_expect_success 'the default REPL has line editing' '
	python3 repl.py "$TRASH/py" default >out 2>&1 && cat out &&
	test_grep -x edited out
'

cat >z.py <<'PY'
import bz2, sqlite3, ssl, zlib
from usezlib import _native as n
v = n.versions()
print(n.crc32(b"stick") == zlib.crc32(b"stick"), n.crc32(b"stick"))
print(n.ffi_add())
print(v["zlib"] == zlib.ZLIB_RUNTIME_VERSION, v["sqlite"] == sqlite3.sqlite_version)
print(v["openssl"] == ssl.OPENSSL_VERSION, v["bz2"].startswith("1.0.8"))
print(v["lzma"], v["readline"])
PY

test_expect_success 'an extension includes the toolchain libraries headers and links them' '
	build --sdist "$TOP/tests/extpkgs/usezlib" --script z.py -o z &&
	in_root z >out 2>&1 && cat out &&
	test_grep -x "True 1337666258" out &&
	test_grep -x 42 out &&
	test_grep -x "True True" out &&
	test_grep -x "5.8.1 EditLine wrapper" out &&
	test $(grep -c -x "True True" out) = 2
'

test_expect_success 'crc32 has one definition: the extension object only refers to it' '
	obj=$(find "$STICK_HOME/extensions" -name "usezlib._native.o" | head -n 1) &&
	test -n "$obj" &&
	nm "$obj" >syms &&
	test_grep -E "^ +U crc32$" syms &&
	! grep -E " [TtWw] crc32$" syms &&
	nm "$TC/lib/libstickpython.a" 2>/dev/null | grep -c -E " T crc32$" >n &&
	test "$(cat n)" = 1
'

test_done
