#!/usr/bin/env bash
# stick fetch --sources DIR: files found there (or in the cache) are used
# without touching the network; no server runs in this script, and the
# recipes' URLs point at a closed port.
. "$(dirname "$0")/lib.sh"

CACHE=$STICK_HOME/sources

CLOSED=$(closed_port)
make_tarball srcdir demo-1.0 50000
write_recipe demo 1.0 srcdir/demo-1.0.tar.gz \
	"http://127.0.0.1:$CLOSED/demo-1.0.tar.gz"

test_expect_success '--sources DIR fills the cache without the network' '
	fetch_ok --sources srcdir demo &&
	echo "$CACHE/demo-1.0.tar.gz" >expect &&
	cmp expect out &&
	cmp srcdir/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	! grep -q "^fetch demo" err
'

test_expect_success 'the cached copy is then used without --sources' '
	rm srcdir/demo-1.0.tar.gz &&
	fetch_ok demo &&
	cmp expect out
'

test_expect_success 'a later source found locally wins over downloading an earlier one' '
	rm -rf "$CACHE" &&
	make_tarball srcdir demo-1.1 20000 &&
	make_tarball other demo-1.0 20000 &&
	{
		echo "name demo" && echo "version 1.0" && echo "license MIT" &&
		echo "source demo-1.0.tar.gz $(sha256_of other/demo-1.0.tar.gz)" &&
		echo "url http://127.0.0.1:$CLOSED/demo-1.0.tar.gz" &&
		echo "source demo-1.1.tar.gz $(sha256_of srcdir/demo-1.1.tar.gz)" &&
		echo "url http://127.0.0.1:$CLOSED/demo-1.1.tar.gz"
	} >"$STICK_DATADIR/thirdparty/demo" &&
	fetch_ok --sources srcdir demo &&
	echo "$CACHE/demo-1.1.tar.gz" >expect &&
	cmp expect out &&
	cmp srcdir/demo-1.1.tar.gz "$CACHE/demo-1.1.tar.gz"
'

test_expect_success 'a symbolic link in --sources puts the file itself in the cache' '
	rm -rf "$CACHE" &&
	mkdir -p linked && ln -s "$TRASH/srcdir/demo-1.1.tar.gz" linked/ &&
	fetch_ok --sources linked demo &&
	test -f "$CACHE/demo-1.1.tar.gz" && ! test -L "$CACHE/demo-1.1.tar.gz" &&
	cmp srcdir/demo-1.1.tar.gz "$CACHE/demo-1.1.tar.gz"
'

# A hard link cannot cross file systems; /dev/shm is often another one.
SHM=
if [ -d /dev/shm ] && [ -w /dev/shm ] &&
   [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$TRASH")" ]; then
	SHM=$(mktemp -d /dev/shm/stick-test.XXXXXX)
fi
if [ -n "$SHM" ]; then
	test_expect_success 'a --sources file on another file system is copied' '
		rm -rf "$CACHE" &&
		cp srcdir/demo-1.1.tar.gz "$SHM/" &&
		fetch_ok --sources "$SHM" demo &&
		cmp srcdir/demo-1.1.tar.gz "$CACHE/demo-1.1.tar.gz" &&
		test "$(stat -c %h "$CACHE/demo-1.1.tar.gz")" = 1
	'
	rm -rf "$SHM"
else
	test_skip 'a --sources file on another file system is copied' \
		'no second file system at /dev/shm'
fi

test_expect_success 'a --sources file on the same file system is hard-linked' '
	rm -rf "$CACHE" &&
	fetch_ok --sources srcdir demo &&
	test "$(stat -c %i "$CACHE/demo-1.1.tar.gz")" = "$(stat -c %i srcdir/demo-1.1.tar.gz)"
'

test_expect_success '--sources that is not a directory is a usage error' '
	test_expect_code 2 "$STICK" fetch --sources nowhere demo >out 2>err &&
	test_grep "sources .nowhere. is not a directory" err
'

test_done
