#!/usr/bin/env bash
# stick fetch falls back: a 404 moves on to the next URL, mirrors come
# first, and when everything fails the error lists what was tried.
. "$(dirname "$0")/lib.sh"

CACHE=$STICK_HOME/sources

CLOSED=$(closed_port)
make_tarball www demo-1.0 50000
mkdir -p www/mirror && cp www/demo-1.0.tar.gz www/mirror/
start_httpd www
write_recipe demo 1.0 www/demo-1.0.tar.gz \
	"$HTTPD_URL/missing/demo-1.0.tar.gz" "$HTTPD_URL/demo-1.0.tar.gz"

test_expect_success 'a 404 falls back to the next URL at once' '
	fetch_ok -v demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	printf "%s\n" "GET /missing/demo-1.0.tar.gz - 404" \
		"GET /demo-1.0.tar.gz - 200" >expect &&
	cmp expect "$HTTPD_LOG" &&
	test_grep "missing/demo-1.0.tar.gz: HTTP 404 Not Found; trying the next URL" err &&
	! grep retrying err
'

test_expect_success '--mirror URL is tried before the recipe URLs' '
	rm -rf "$CACHE" && : >"$HTTPD_LOG" &&
	fetch_ok --mirror "$HTTPD_URL/mirror/" demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	echo "GET /mirror/demo-1.0.tar.gz - 200" >expect &&
	cmp expect "$HTTPD_LOG"
'

test_expect_success 'STICK_MIRROR mirrors are tried in order, then the recipe URLs' '
	rm -rf "$CACHE" && : >"$HTTPD_LOG" &&
	STICK_MIRROR="$HTTPD_URL/nowhere $HTTPD_URL/mirror" fetch_ok demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	printf "%s\n" "GET /nowhere/demo-1.0.tar.gz - 404" \
		"GET /mirror/demo-1.0.tar.gz - 200" >expect &&
	cmp expect "$HTTPD_LOG"
'

test_expect_success 'a mirror without the file falls back to the recipe URLs' '
	rm -rf "$CACHE" && : >"$HTTPD_LOG" &&
	fetch_ok --mirror "$HTTPD_URL/nowhere" demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	printf "%s\n" "GET /nowhere/demo-1.0.tar.gz - 404" \
		"GET /missing/demo-1.0.tar.gz - 404" \
		"GET /demo-1.0.tar.gz - 200" >expect &&
	cmp expect "$HTTPD_LOG"
'

# The refused connection is retried once (1s of back-off).
test_expect_success 'when every URL fails the error says what was tried and what to do' '
	rm -rf "$CACHE" && : >"$HTTPD_LOG" &&
	write_recipe demo 1.0 www/demo-1.0.tar.gz \
		"$HTTPD_URL/missing/demo-1.0.tar.gz" \
		"http://127.0.0.1:$CLOSED/demo-1.0.tar.gz" &&
	test_expect_code 1 "$STICK" fetch --retries 1 demo >out 2>err &&
	test_grep "cannot fetch demo 1.0 (demo-1.0.tar.gz); tried:" err &&
	test_grep "^  $HTTPD_URL/missing/demo-1.0.tar.gz: HTTP 404 Not Found$" err &&
	test_grep "^  http://127.0.0.1:$CLOSED/demo-1.0.tar.gz: cannot connect: Connection refused (2 attempts)$" err &&
	test_grep -e "--sources DIR" err &&
	test_grep "scripts/fetch-sources DIR" err &&
	test_grep -e "--mirror URL" err &&
	! test -s out &&
	! test -e "$CACHE/demo-1.0.tar.gz" &&
	! test -e "$CACHE/demo-1.0.tar.gz.part"
'

test_expect_success 'a source with no URL and no mirror says how to get it' '
	rm -rf "$CACHE" && : >"$HTTPD_LOG" &&
	write_recipe demo 1.0 www/demo-1.0.tar.gz &&
	echo "debian demo 1.0-1" >>"$STICK_DATADIR/thirdparty/demo" &&
	test_expect_code 1 "$STICK" fetch demo >out 2>err &&
	test_grep "no download URL for demo 1.0: demo-1.0.tar.gz" err &&
	test_grep "Debian source package demo 1.0-1" err &&
	test_grep "scripts/fetch-sources DIR and pass --sources DIR" err &&
	test_grep -e "--mirror URL" err &&
	! test -s "$HTTPD_LOG"
'

test_expect_success 'a source with no URL is fetched from a mirror' '
	fetch_ok --mirror "$HTTPD_URL/mirror" demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz"
'

test_done
