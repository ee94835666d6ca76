#!/usr/bin/env bash
# stick unpack: extraction with libarchive into a fresh directory, refusal
# of entries that escape it, a recipe's `extract` paths alone, and patches
# applied in order; stick unpack --archive, the same extraction alone (how
# stickpy unpacks sdists).
. "$(dirname "$0")/lib.sh"

mkdir -p src tree/demo-1.0/sub
printf 'hello\n' >tree/demo-1.0/hello.txt
printf 'one\ntwo\nthree\n' >tree/demo-1.0/sub/lines.txt
ln -s ../hello.txt tree/demo-1.0/sub/link-to-hello

# mkarchive OUT FORMAT: demo-1.0/ packed as tar.gz, tar.xz, tar.bz2 or zip.
mkarchive() {
	python3 - "$@" <<'PY'
import os, sys, tarfile, zipfile
out, fmt = sys.argv[1], sys.argv[2]
os.chdir("tree")
if fmt == "zip":
    with zipfile.ZipFile(out, "w") as z:
        for root, dirs, files in os.walk("demo-1.0"):
            for f in files:
                p = os.path.join(root, f)
                if not os.path.islink(p):
                    z.write(p)
else:
    with tarfile.open(out, "w:" + fmt) as t:
        t.add("demo-1.0")
PY
}

# evil OUT KIND: a tarball with one hostile entry among good ones.
evil() {
	python3 - "$@" "$TRASH" <<'PY'
import io, sys, tarfile
out, kind, trash = sys.argv[1], sys.argv[2], sys.argv[3]
def add(t, name, data=b"x", **kw):
    ti = tarfile.TarInfo(name)
    for k, v in kw.items():
        setattr(ti, k, v)
    if ti.type == tarfile.REGTYPE:
        ti.size = len(data)
        t.addfile(ti, io.BytesIO(data))
    else:
        t.addfile(ti)
with tarfile.open(out, "w:gz") as t:
    add(t, "demo-1.0/ok.txt")
    if kind == "dotdot":
        add(t, "demo-1.0/../../evil-dotdot")
    elif kind == "absolute":
        add(t, trash + "/evil-absolute")
    elif kind == "symlink":
        add(t, "demo-1.0/escape", type=tarfile.SYMTYPE, linkname="../../")
        add(t, "demo-1.0/escape/evil-symlink")
    elif kind == "abs-symlink":
        add(t, "demo-1.0/escape", type=tarfile.SYMTYPE, linkname=trash)
        add(t, "demo-1.0/escape/evil-abs-symlink")
    elif kind == "chain":
        add(t, "demo-1.0/s", type=tarfile.SYMTYPE, linkname=".")
        add(t, "demo-1.0/t", type=tarfile.SYMTYPE, linkname="s/../..")
    elif kind == "hardlink":
        add(t, "demo-1.0/hard", type=tarfile.LNKTYPE, linkname="../../etc/passwd")
    elif kind == "device":
        add(t, "demo-1.0/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
PY
}

use_archive() {
	write_recipe demo 1.0 "$1"
	rm -f src/*
	cp "$1" src/
}

for fmt in gz xz bz2 zip; do
	test_expect_success "unpacks a .${fmt} source into a fresh directory" "
		case $fmt in zip) f=demo-1.0.zip ;; *) f=demo-1.0.tar.$fmt ;; esac
		mkarchive \$TRASH/\$f $fmt &&
		use_archive \$f &&
		\$STICK -q unpack --sources src demo out-$fmt >stdout &&
		test_grep -x out-$fmt stdout &&
		test \"\$(cat out-$fmt/hello.txt)\" = hello &&
		test \"\$(cat out-$fmt/sub/lines.txt | wc -l)\" = 3 &&
		test ! -e out-$fmt.part
	"
done

test_expect_success 'unpacks into an absolute destination path' '
	$STICK -q unpack --sources src demo "$TRASH/abs/out" &&
	test "$(cat "$TRASH/abs/out/hello.txt")" = hello
'

test_expect_success 'unpacks below a directory reached through a symbolic link' '
	mkdir -p real-parent && ln -s real-parent linked-parent &&
	$STICK -q unpack --sources src demo "$TRASH/linked-parent/out" &&
	test "$(cat real-parent/out/hello.txt)" = hello
'

test_expect_success 'keeps symbolic links that stay inside the tree' '
	test -L out-gz/sub/link-to-hello &&
	test "$(cat out-gz/sub/link-to-hello)" = hello
'

test_expect_success 'a recipe extract line unpacks only the paths it names' '
	use_archive demo-1.0.tar.gz &&
	echo "extract sub/lines.txt" >>"$STICK_DATADIR/thirdparty/demo" &&
	$STICK -q unpack --sources src demo only &&
	test "$(cat only/sub/lines.txt | wc -l)" = 3 &&
	test ! -e only/hello.txt && test ! -e only/sub/link-to-hello &&
	echo "extract sub" >>"$STICK_DATADIR/thirdparty/demo" &&
	$STICK -q unpack --sources src demo only-sub &&
	test -L only-sub/sub/link-to-hello && test ! -e only-sub/hello.txt
'

test_expect_success 'an extract path the archive lacks is an error naming it; nothing left' '
	use_archive demo-1.0.tar.gz &&
	echo "extract sub nothere" >>"$STICK_DATADIR/thirdparty/demo" &&
	test_must_fail $STICK unpack --sources src demo none 2>err && cat err &&
	test_grep "holds no .nothere. under its top directory" err &&
	test ! -e none && test ! -e none.part &&
	echo "extract ../up" >>"$STICK_DATADIR/thirdparty/demo" &&
	test_must_fail $STICK unpack --sources src demo none 2>err &&
	test_grep "must be a relative name" err &&
	use_archive demo-1.0.zip
'

test_expect_success 'refuses to unpack into an existing directory' '
	mkdir existing &&
	test_must_fail $STICK unpack --sources src demo existing 2>err &&
	test_grep "already exists" err
'

for kind in dotdot absolute symlink abs-symlink chain hardlink device; do
	test_expect_success "refuses a tarball with a hostile entry ($kind)" "
		evil \$TRASH/evil-$kind.tar.gz $kind &&
		use_archive evil-$kind.tar.gz &&
		mkdir -p deep/er &&
		(cd deep/er && test_must_fail \$STICK unpack --sources ../../src demo out) 2>err &&
		test_grep \"refusing to extract\" err &&
		test_grep \"evil-$kind.tar.gz\" err &&
		test ! -e deep/er/out && test ! -e deep/er/out.part &&
		! ls -R \$TRASH | grep -q '^evil-[a-z-]*\$' &&
		test ! -e \$TRASH/evil-dotdot && test ! -e \$TRASH/evil-absolute &&
		test ! -e deep/evil-symlink && test ! -e \$TRASH/evil-abs-symlink
	"
done

test_expect_success 'a corrupt archive is an error and leaves nothing' '
	head -c 300 demo-1.0.tar.xz >broken-1.0.tar.xz &&
	use_archive broken-1.0.tar.xz &&
	test_must_fail $STICK unpack --sources src demo out-broken 2>err &&
	test_grep "broken-1.0.tar.xz" err &&
	test ! -e out-broken && test ! -e out-broken.part
'

test_expect_success 'applies patches in name order' '
	use_archive demo-1.0.tar.gz &&
	mkdir -p data/patches/demo/1.0 &&
	cat >data/patches/demo/1.0/0001-two.patch <<-\EOF &&
	--- a/sub/lines.txt
	+++ b/sub/lines.txt
	@@ -1,3 +1,3 @@
	 one
	-two
	+TWO
	 three
	EOF
	cat >data/patches/demo/1.0/0002-three.patch <<-\EOF &&
	--- a/sub/lines.txt
	+++ b/sub/lines.txt
	@@ -1,3 +1,3 @@
	 one
	 TWO
	-three
	+THREE
	EOF
	$STICK unpack --sources src demo patched 2>err &&
	test "$(cat patched/sub/lines.txt | tr "\n" " ")" = "one TWO THREE " &&
	test_grep "0001-two.patch" err && test_grep "0002-three.patch" err &&
	! test -e patched.patch.log
'

test_expect_success 'a patch that does not apply is fatal and names it' '
	cat >data/patches/demo/1.0/0003-bad.patch <<-\EOF &&
	--- a/sub/lines.txt
	+++ b/sub/lines.txt
	@@ -1,3 +1,3 @@
	 one
	-nothing
	+NOTHING
	 three
	EOF
	test_must_fail $STICK unpack --sources src demo badpatch 2>err &&
	test_grep "0003-bad.patch.* does not apply" err &&
	test_grep "last lines of" err &&
	test -s badpatch.patch.log &&
	test ! -e badpatch
'

test_expect_success 'unpack --archive extracts a tar.gz, its top directory as DIR' '
	$STICK -q unpack --archive demo-1.0.tar.gz arch-gz >stdout &&
	test_grep -x arch-gz stdout &&
	test "$(cat arch-gz/hello.txt)" = hello &&
	test -L arch-gz/sub/link-to-hello &&
	test ! -e arch-gz.part
'

test_expect_success 'unpack --archive extracts a zip' '
	$STICK -q unpack --archive "$TRASH/demo-1.0.zip" arch-zip &&
	test "$(cat arch-zip/sub/lines.txt | wc -l)" = 3
'

test_expect_success 'unpack --archive keeps several top-level entries in DIR' '
	(cd tree/demo-1.0 && tar czf "$TRASH/flat.tar.gz" hello.txt sub) &&
	$STICK -q unpack --archive flat.tar.gz arch-flat &&
	test "$(cat arch-flat/hello.txt)" = hello && test -d arch-flat/sub
'

test_expect_success 'unpack --archive applies no patches' '
	test -f data/patches/demo/1.0/0001-two.patch &&
	$STICK unpack --archive demo-1.0.tar.gz arch-plain 2>err &&
	test "$(cat arch-plain/sub/lines.txt | tr "\n" " ")" = "one two three " &&
	! grep -q patch err
'

for kind in dotdot absolute symlink abs-symlink chain hardlink device; do
	test_expect_success "unpack --archive refuses a hostile entry ($kind)" "
		evil \$TRASH/evil-$kind.tar.gz $kind &&
		mkdir -p deep/ar &&
		(cd deep/ar && test_must_fail \$STICK unpack --archive \$TRASH/evil-$kind.tar.gz out) 2>err &&
		test_grep \"refusing to extract\" err &&
		test_grep \"evil-$kind.tar.gz\" err &&
		test ! -e deep/ar/out && test ! -e deep/ar/out.part &&
		test ! -e \$TRASH/evil-dotdot && test ! -e \$TRASH/evil-absolute &&
		test ! -e deep/evil-symlink && test ! -e \$TRASH/evil-abs-symlink
	"
done

test_expect_success 'unpack --archive refuses an existing DIR and a corrupt file' '
	test_must_fail $STICK unpack --archive demo-1.0.tar.gz existing 2>err &&
	test_grep "already exists" err &&
	test_must_fail $STICK unpack --archive broken-1.0.tar.xz arch-broken 2>err &&
	test_grep "broken-1.0.tar.xz" err &&
	test ! -e arch-broken && test ! -e arch-broken.part
'

test_expect_success 'unpack --archive says when a file is not an archive' '
	echo "not a tarball" >plain.tar.gz &&
	test_must_fail $STICK unpack --archive plain.tar.gz arch-plain-text 2>err &&
	test_grep "plain.tar.gz. is neither a tar nor a zip archive" err &&
	test ! -e arch-plain-text && test ! -e arch-plain-text.part
'

test_expect_success 'unpack --archive takes FILE and DIR, no recipe options' '
	test_expect_code 2 $STICK unpack --archive demo-1.0.tar.gz 2>err &&
	test_grep "expected DIR" err &&
	test_expect_code 2 $STICK unpack --archive demo-1.0.tar.gz \
		--sources src x 2>err &&
	test_grep "takes no" err && test ! -e x &&
	test_expect_code 2 $STICK fetch --archive demo-1.0.tar.gz 2>err &&
	$STICK unpack --help | test_grep -e "--archive FILE DIR"
'

test_done
