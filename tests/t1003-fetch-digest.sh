#!/usr/bin/env bash
# stick fetch verifies: a file whose sha256 is not the pinned one is an
# error naming the file and both digests, and never enters the cache.
. "$(dirname "$0")/lib.sh"

CACHE=$STICK_HOME/sources

make_tarball www demo-1.0 50000
make_tarball pinned demo-1.0 50000
start_httpd www
# The recipe pins another tarball than the one the server has.
write_recipe demo 1.0 pinned/demo-1.0.tar.gz "$HTTPD_URL/demo-1.0.tar.gz"
WANT=$(sha256_of pinned/demo-1.0.tar.gz)
GOT=$(sha256_of www/demo-1.0.tar.gz)

test_expect_success 'a download with the wrong sha256 fails and names both digests' '
	test_expect_code 1 "$STICK" fetch demo >out 2>err &&
	test_grep "sha256 mismatch for .demo-1.0.tar.gz. downloaded from $HTTPD_URL/demo-1.0.tar.gz" err &&
	test_grep "expected: $WANT" err &&
	test_grep "actual:   $GOT" err &&
	test_grep "cannot fetch demo 1.0 (demo-1.0.tar.gz)" err &&
	! test -s out
'

test_expect_success 'the wrong file is left neither under its name nor as FILE.part' '
	! test -e "$CACHE/demo-1.0.tar.gz" &&
	! test -e "$CACHE/demo-1.0.tar.gz.part" &&
	ls -A "$CACHE" >listing &&
	echo .locks >expect &&
	cmp expect listing
'

test_expect_success 'a wrong file in --sources is a hard error, even when a URL has the right one' '
	mkdir -p srcdir && cp www/demo-1.0.tar.gz srcdir/ &&
	mkdir -p www/good && cp pinned/demo-1.0.tar.gz www/good/ &&
	write_recipe demo 1.0 pinned/demo-1.0.tar.gz "$HTTPD_URL/good/demo-1.0.tar.gz" &&
	: >"$HTTPD_LOG" &&
	test_expect_code 1 "$STICK" fetch --sources srcdir demo >out 2>err &&
	test_grep "sha256 mismatch for .srcdir/demo-1.0.tar.gz." err &&
	test_grep "expected: $WANT" err &&
	test_grep "actual:   $GOT" err &&
	! test -s "$HTTPD_LOG" &&
	! test -e "$CACHE/demo-1.0.tar.gz"
'

test_expect_success 'without the wrong --sources file the right URL is used' '
	fetch_ok demo &&
	cmp pinned/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz"
'

test_done
