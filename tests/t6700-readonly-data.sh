#!/usr/bin/env bash
# Package data served from the binary itself (embed/vfs.c, vfs_wrap.c):
# paths under the executable's own path answer open(), stat(), readdir()
# and the rest from the embedded table, for Python and C code (a C
# extension's fopen(), OpenSSL's cafile, SQLite), in a root that is a
# read-only bind mount holding only the binary, with env -i (no HOME, no
# /tmp). Nothing is written: writes there fail with EROFS, a missing name
# gives ENOENT, and strace sees no call that writes.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain

mkdir -p lib/datapkg/data/nested lib/datapkg-1.0.dist-info
printf 'Metadata-Version: 2.1\nName: datapkg\nVersion: 1.0\n' \
	>lib/datapkg-1.0.dist-info/METADATA
echo "hello from data" >lib/datapkg/data/hello.txt
echo "deep down" >lib/datapkg/data/nested/deep.txt
printf '\000\001\002binary' >lib/datapkg/data/blob.bin
printf '#!/bin/sh\necho tool\n' >lib/datapkg/data/tool.sh
chmod 755 lib/datapkg/data/tool.sh
mkdir -p lib/datapkg/data/plugins
echo 'NAME = "plug"' >lib/datapkg/data/plugins/plug.py
printf 'x = 1\ndef (:\n' >lib/datapkg/data/plugins/badplug.py
python3 -c 'import zipfile
with zipfile.ZipFile("lib/datapkg/data/zipped.zip", "w") as z:
    z.writestr("zipped/__init__.py", "NAME = \"zipped\"\n")
    z.writestr("zipped/sub.py", "NAME = \"sub\"\n")'
python3 - <<'EOF'
import sqlite3
con = sqlite3.connect("lib/datapkg/data/db.sqlite")
con.execute("create table t (n integer, word text)")
con.executemany("insert into t values (?, ?)",
                [(i, f"word{i:04d}") for i in range(2000)])
con.commit()
con.close()
EOF
cat >lib/datapkg/script.py <<'EOF'
import os
if __name__ == "__main__":
    print("script:", os.path.basename(__file__), __name__)
EOF
cat >lib/datapkg/__init__.py <<'EOF'
import errno, glob, mmap, os, pathlib, pkgutil, shutil, sqlite3, stat, sys

HERE = os.path.dirname(__file__)


def p(*names):
    return os.path.join(HERE, *names)


def rel(path):
    return os.path.relpath(path, HERE)


def compare():
    """What python3 running this package from disk prints too."""
    print("open:", open(p("data", "hello.txt")).read().strip())
    print("bytes:", open(p("data", "blob.bin"), "rb").read())
    with open(p("data", "hello.txt"), "rb") as f:
        f.seek(6)
        print("seek:", f.read(4), f.tell(), os.lseek(f.fileno(), 0, 2))
    with open(p("data", "blob.bin"), "rb") as f:
        m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        print("mmap:", m[:], len(m))
        m.close()
    print("listdir:", sorted(os.listdir(p("data"))))
    print("walk:", sorted((rel(d), sorted(ds), sorted(fs))
                          for d, ds, fs in os.walk(HERE)))
    print("scandir:", sorted((e.name, e.is_dir(), e.is_file())
                             for e in os.scandir(p("data"))))
    print("glob:", sorted(rel(f) for f in
                          glob.glob(p("**", "*.txt"), recursive=True)))
    print("pathlib:", pathlib.Path(p("data", "nested", "deep.txt"))
          .read_text().strip())
    print("iterdir:", sorted(x.name for x in pathlib.Path(p("data")).iterdir()))
    print("rglob:", sorted(str(x.relative_to(HERE))
                           for x in pathlib.Path(HERE).rglob("*.bin")))
    for name in ("data/hello.txt", "data/db.sqlite", "data", "__init__.py"):
        st = os.stat(p(name))
        print("stat:", name, stat.S_ISREG(st.st_mode), stat.S_ISDIR(st.st_mode),
              st.st_size if stat.S_ISREG(st.st_mode) else "-")
    print("lstat:", stat.S_ISLNK(os.lstat(p("data", "hello.txt")).st_mode))
    print("exists:", os.path.exists(p("data", "hello.txt")),
          os.path.isdir(p("data")), os.path.isfile(p("data")),
          os.path.exists(p("data", "missing.txt")))
    print("access:", os.access(p("data", "hello.txt"), os.R_OK),
          os.access(p("data", "tool.sh"), os.X_OK),
          os.access(p("data", "hello.txt"), os.X_OK))
    print("realpath:", rel(os.path.realpath(p("data", "..", "data", "hello.txt"))))
    fd = os.open(p("data"), os.O_RDONLY)
    print("dirfd:", stat.S_ISDIR(os.fstat(fd).st_mode), sorted(os.listdir(fd)))
    print("openat:", os.stat("hello.txt", dir_fd=fd).st_size,
          open(os.open("nested/deep.txt", os.O_RDONLY, dir_fd=fd)).read().strip())
    os.close(fd)
    print("fwalk:", sorted((rel(d), sorted(fs))
                           for d, ds, fs, dfd in os.fwalk(p("data"))))
    # A directory inside the binary on sys.path: its .py files import
    # (compiled at import; a syntax error comes then) and iter_modules
    # lists them.
    sys.path.insert(0, p("data", "plugins"))
    import plug
    print("sys.path import:", plug.NAME, rel(plug.__file__))
    try:
        import badplug
    except SyntaxError as e:
        print("SyntaxError:", os.path.basename(e.filename), e.lineno)
    print("iter_modules:", sorted(m.name for m in
                                  pkgutil.iter_modules([p("data", "plugins")])))
    del sys.path[0]
    # A zip inside the binary on sys.path is zipimport's, and an O_PATH
    # descriptor of a file there opens.
    sys.path.insert(0, p("data", "zipped.zip"))
    import zipped.sub
    print("zip import:", zipped.NAME, zipped.sub.NAME, rel(zipped.sub.__file__))
    del sys.path[0]
    fd = os.open(p("data", "hello.txt"), os.O_PATH)
    print("O_PATH:", stat.S_ISREG(os.fstat(fd).st_mode))
    os.close(fd)
    db = p("data", "db.sqlite")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    print("sqlite:", con.execute("select count(*), sum(n), max(word) from t")
          .fetchone())
    try:
        con.execute("insert into t values (1, 'x')")
    except sqlite3.OperationalError as e:
        print("sqlite write:", e)
    con.close()
    from importlib import metadata, resources
    print("resources:", resources.files("datapkg").joinpath("data/hello.txt")
          .read_text().strip())
    with resources.as_file(resources.files("datapkg") / "data" / "hello.txt") as f:
        print("as_file:", open(f).read().strip(), rel(f))
    print("metadata:", metadata.version("datapkg"))
    import runpy
    runpy.run_path(p("script.py"), run_name="__main__")


def libread():
    """In a library: the importer serves the data, the C library does not."""
    from importlib import resources
    text = resources.files("datapkg").joinpath("data/hello.txt").read_text()
    try:
        open(p("data", "hello.txt"))
        opened = "opened"
    except OSError as e:
        opened = errno.errorcode[e.errno]
    return (f"{text.strip()} {__loader__.get_data(p('data', 'hello.txt'))!r} "
            f"{opened}\nlibrary file: {__file__}")


def fails(what, func, *args):
    try:
        func(*args)
        print(what, "succeeded")
    except OSError as e:
        print(what, errno.errorcode[e.errno])


def readonly():
    """The binary's own answers: modes, and writes that fail."""
    print("file:", __file__)
    print("modes:", oct(stat.S_IMODE(os.stat(p("data", "hello.txt")).st_mode)),
          oct(stat.S_IMODE(os.stat(p("data")).st_mode)),
          oct(stat.S_IMODE(os.stat(p("data", "tool.sh")).st_mode)))
    fails("write", open, p("data", "hello.txt"), "w")
    fails("append", open, p("data", "hello.txt"), "a")
    fails("create", open, p("data", "new.txt"), "x")
    fails("create in missing dir", open, p("nodir", "new.txt"), "w")
    fails("missing", open, p("data", "missing.txt"))
    fails("listdir missing", os.listdir, p("nodir"))
    fails("listdir file", os.listdir, p("data", "hello.txt"))
    fails("mkdir", os.mkdir, p("data", "newdir"))
    fails("remove", os.remove, p("data", "hello.txt"))
    fails("rmdir", os.rmdir, p("data", "nested"))
    fails("rename", os.rename, p("data", "hello.txt"), p("data", "x.txt"))
    fails("chmod", os.chmod, p("data", "hello.txt"), 0o644)
    fails("utime", os.utime, p("data", "hello.txt"))
    fails("symlink", os.symlink, "x", p("data", "link"))
    fails("chdir", os.chdir, p("data"))
    fails("chdir file", os.chdir, p("data", "hello.txt"))
    fails("write root", open, "/new.txt", "w")
    print("access W:", os.access(p("data", "hello.txt"), os.W_OK))
    print("statvfs ro:", bool(os.statvfs(p("data")).f_flag & os.ST_RDONLY))
    print("env:", sorted(os.environ), os.path.exists("/tmp"))
    if os.path.isdir("/out"):
        shutil.copy(p("data", "hello.txt"), "/out")
        shutil.copy2(p("data", "tool.sh"), "/out")
        shutil.copytree(p("data"), "/out/tree")
        print("copied:", open("/out/hello.txt").read().strip(),
              sorted(os.listdir("/out/tree")),
              open("/out/tree/nested/deep.txt").read().strip())
    print("root:", sorted(os.listdir("/")))
EOF

test_expect_success 'builds an app with package data' '
	build --entry datapkg:compare --path lib -o compare &&
	build --entry datapkg:readonly --path lib -o readonly
'

test_expect_success 'open, listdir, walk, glob, pathlib, stat, SQLite, resources: as python3 from disk' '
	in_ro_root compare >out 2>&1 &&
	cat out &&
	python3 -B -c "import sys; sys.path.insert(0, \"lib\"); import datapkg; datapkg.compare()" >disk.out 2>&1 &&
	test_cmp disk.out out &&
	test_grep -x "open: hello from data" out &&
	test_grep -x "sqlite: (2000, 1999000, .word1999.)" out &&
	test_grep -x "fwalk: \[(.data., \[.blob.bin., .db.sqlite., .hello.txt., .tool.sh., .zipped.zip.\]), (.data/nested., \[.deep.txt.\]), (.data/plugins., \[.badplug.py., .plug.py.\])\]" out &&
	test_grep -x "zip import: zipped sub data/zipped.zip/zipped/sub.py" out &&
	test_grep -x "O_PATH: True" out &&
	test_grep -x "sys.path import: plug data/plugins/plug.py" out &&
	test_grep -x "SyntaxError: badplug.py 2" out &&
	test_grep -x "iter_modules: \[.badplug., .plug.\]" out &&
	test_grep -x "as_file: hello from data data/hello.txt" out &&
	test_grep -x "script: script.py __main__" out
'

test_expect_success 'read-only: modes, EROFS for writes, ENOENT for missing names' '
	mkdir -p outdir &&
	RO_OUT=$TRASH/outdir in_ro_root readonly >out 2>&1 &&
	cat out &&
	test_grep -x "file: /app/datapkg/__init__.py" out &&
	test_grep -x "modes: 0o444 0o555 0o555" out &&
	test_grep -x "write EROFS" out &&
	test_grep -x "append EROFS" out &&
	test_grep -x "create EROFS" out &&
	test_grep -x "create in missing dir ENOENT" out &&
	test_grep -x "missing ENOENT" out &&
	test_grep -x "listdir missing ENOENT" out &&
	test_grep -x "listdir file ENOTDIR" out &&
	test_grep -x "mkdir EROFS" out &&
	test_grep -x "remove EROFS" out &&
	test_grep -x "rmdir EROFS" out &&
	test_grep -x "rename EROFS" out &&
	test_grep -x "chmod EROFS" out &&
	test_grep -x "utime EROFS" out &&
	test_grep -x "symlink EROFS" out &&
	test_grep -x "chdir EACCES" out &&
	test_grep -x "chdir file ENOTDIR" out &&
	test_grep -x "write root EROFS" out &&
	test_grep -x "access W: False" out &&
	test_grep -x "statvfs ro: True" out &&
	test_grep -x "env: \[\] False" out &&
	test_grep -x "copied: hello from data \[.blob.bin., .db.sqlite., .hello.txt., .nested., .plugins., .tool.sh., .zipped.zip.\] deep down" out &&
	test_grep -x "root: \[.app., .out.\]" out &&
	cmp lib/datapkg/data/hello.txt outdir/hello.txt &&
	cmp lib/datapkg/data/db.sqlite outdir/tree/db.sqlite &&
	test "$(stat -c %a outdir/tool.sh)" = 555
'

test_expect_success 'strace: the run reads, never writes, and no embedded path reaches the kernel' '
	RO_WRAP="strace -f -o $TRASH/strace.log -e trace=%file,memfd_create" \
		in_ro_root compare >out 2>&1 &&
	test_grep "^open: hello from data" out &&
	test_grep "execve(\"/app\"" strace.log &&
	test_grep "memfd_create(" strace.log &&
	# futimens() gives each memfd the binary'"'"'s times: not a path.
	grep -v "utimensat([0-9]*, NULL," strace.log >calls &&
	! grep -E "O_WRONLY|O_RDWR|O_CREAT|O_TRUNC" calls &&
	sed -n "s/^[0-9]* *\([a-z0-9_]*\)(.*/\1/p" calls | sort -u >syscalls &&
	cat syscalls &&
	! grep -E "^(mkdir|unlink|rmdir|rename|link|symlink|chmod|chown|lchown|utime|truncate|mknod|creat|setxattr|removexattr)" syscalls &&
	! grep "\"/app/" strace.log
'

test_expect_success 'a C extension fopen()s, stat()s and readdir()s beside its module' '
	cat >ext.py <<-\EOF &&
	import readbeside
	print(readbeside.read("table.txt"), readbeside.size("table.txt"),
	      readbeside.count())
	try:
	    readbeside.read("missing.txt")
	except OSError as e:
	    print("missing:", e.strerror)
	EOF
	build --sdist "$TOP/tests/extpkgs/readbeside" --script ext.py -o ext &&
	in_ro_root ext >out 2>&1 &&
	cat out &&
	test_grep -x "b.read by C code beside its module\\\\n. 33 2" out &&
	test_grep -x "missing: No such file or directory" out
'

test_expect_success 'OpenSSL verifies a TLS server with a CA file inside the binary' '
	mkdir -p tlslib/tlspkg &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem \
		-out tlslib/tlspkg/ca.pem -subj /CN=127.0.0.1 -days 2 \
		-addext subjectAltName=IP:127.0.0.1 2>/dev/null &&
	cat >tlslib/tlspkg/__init__.py <<-\EOF &&
	import os, socket, ssl, sys

	def connect(ctx, port):
	    with socket.create_connection(("127.0.0.1", port)) as s:
	        with ctx.wrap_socket(s, server_hostname="127.0.0.1") as t:
	            return t.recv(100).decode().strip()

	def main():
	    port = int(sys.argv[1])
	    try:
	        connect(ssl.create_default_context(), port)
	    except ssl.SSLCertVerificationError as e:
	        print("without the CA file:", e.reason)
	    cafile = os.path.join(os.path.dirname(__file__), "ca.pem")
	    print("cafile:", cafile)
	    print("with it:", connect(ssl.create_default_context(cafile=cafile), port))
	EOF
	cat >server.py <<-\EOF &&
	import os, socket, ssl, sys
	ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
	ctx.load_cert_chain("tlslib/tlspkg/ca.pem", "key.pem")
	s = socket.socket()
	s.bind(("127.0.0.1", 0))
	s.listen()
	s.settimeout(60)
	with open("port.tmp", "w") as f:
	    f.write(str(s.getsockname()[1]))
	os.rename("port.tmp", "port")
	for _ in range(2):
	    conn, _ = s.accept()
	    try:
	        with ctx.wrap_socket(conn, server_side=True) as c:
	            c.sendall(b"hello over tls\n")
	    except (ssl.SSLError, OSError):
	        pass
	EOF
	build --entry tlspkg:main --path tlslib -o tls &&
	rm -f port && { python3 server.py & } &&
	for i in $(seq 50); do test -f port && break; sleep 0.1; done &&
	in_ro_root tls "$(cat port)" >out 2>&1 &&
	wait &&
	cat out &&
	test_grep -x "without the CA file: CERTIFICATE_VERIFY_FAILED" out &&
	test_grep -x "cafile: /app/tlspkg/ca.pem" out &&
	test_grep -x "with it: hello over tls" out
'

test_expect_success '--lib: importlib.resources and get_data read the data, the host C library is not wrapped' '
	build --lib --path lib -o static/libdatalib.a &&
	cat >host.c <<-\EOF &&
	#include <errno.h>
	#include <stdio.h>
	#include <string.h>
	#include "datalib.h"

	int main(int argc, char **argv)
	{
		char *res = NULL, *err = NULL;
		size_t len;
		FILE *f;

		if (stick_init(&err) || stick_call("datapkg:libread", 0, NULL,
						   &res, &len, &err)) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		printf("%s\n", res);
		f = fopen(argc > 1 ? argv[1] : "", "r");
		printf("host fopen: %s\n", f ? "opened" : strerror(errno));
		stick_free(res);
		return stick_finalize();
	}
	EOF
	tc=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES") &&
	"$tc/bin/x86_64-linux-musl-gcc" -static -Istatic host.c static/libdatalib.a -o host &&
	in_ro_root host /app/datapkg/data/hello.txt >out 2>&1 &&
	cat out &&
	# open() reaches the kernel, which has no such file (ENOTDIR under
	# the executable, ENOENT where start-up could not name the file).
	test_grep -x -E "hello from data b.hello from data\\\\n. (ENOTDIR|ENOENT)" out &&
	test_grep -x "host fopen: Not a directory" out
'

test_expect_success 'every wrapped C library function has its wrapper, and only those' '
	sed -n "/^#define LINK_VFS_WRAPPED/,/^\$/p" "$TOP/stick/link.h" |
		grep -o "\"[a-z_]*\"" | tr -d "\"" | sort >listed &&
	sed -n "s/^[A-Za-z_ ]*\*\{0,1\}__wrap_\([a-z_]*\)(.*/\1/p" \
		"$TOP/embed/vfs_wrap.c" >defined &&
	sed -n "s/^STICK_WRAP_REFUSE([a-z]*, \([a-z_]*\),.*/\1/p" \
		"$TOP/embed/vfs_wrap.c" >>defined &&
	sort -o defined defined &&
	test_cmp listed defined &&
	test "$(wc -l <listed)" -gt 50
'

test_done
