#!/usr/bin/env bash
# stick fetch resumes: a dropped connection is retried with a Range request,
# and a FILE.part left by an earlier run is continued, not restarted.
. "$(dirname "$0")/lib.sh"

CACHE=$STICK_HOME/sources

make_tarball www demo-1.0 200000
start_httpd www --cut-after 20000
write_recipe demo 1.0 www/demo-1.0.tar.gz "$HTTPD_URL/demo-1.0.tar.gz"

test_expect_success 'a download cut short is resumed with a Range request' '
	fetch_ok demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	test_grep "^GET /demo-1.0.tar.gz - 200$" "$HTTPD_LOG" &&
	test_grep "^GET /demo-1.0.tar.gz bytes=20000- 206$" "$HTTPD_LOG" &&
	test_grep "retrying in 1s" err &&
	! test -e "$CACHE/demo-1.0.tar.gz.part"
'

stop_httpd
start_httpd www
write_recipe demo 1.0 www/demo-1.0.tar.gz "$HTTPD_URL/demo-1.0.tar.gz"

test_expect_success 'a FILE.part from an earlier run is resumed where it ended' '
	rm -rf "$CACHE" && mkdir -p "$CACHE" &&
	head -c 5000 www/demo-1.0.tar.gz >"$CACHE/demo-1.0.tar.gz.part" &&
	fetch_ok demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	echo "GET /demo-1.0.tar.gz bytes=5000- 206" >expect &&
	cmp expect "$HTTPD_LOG" &&
	! test -e "$CACHE/demo-1.0.tar.gz.part"
'

test_expect_success 'a FILE.part that is not a prefix of the file is downloaded again' '
	rm -rf "$CACHE" && mkdir -p "$CACHE" && : >"$HTTPD_LOG" &&
	head -c 5000 /dev/urandom >"$CACHE/demo-1.0.tar.gz.part" &&
	fetch_ok demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	test_grep "^GET /demo-1.0.tar.gz bytes=5000- 206$" "$HTTPD_LOG" &&
	test_grep "^GET /demo-1.0.tar.gz - 200$" "$HTTPD_LOG" &&
	test_grep "does not match after resuming" err &&
	! test -e "$CACHE/demo-1.0.tar.gz.part"
'

test_expect_success 'a complete FILE.part (416 on resume) is verified and kept' '
	rm -rf "$CACHE" && mkdir -p "$CACHE" && : >"$HTTPD_LOG" &&
	cp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz.part" &&
	fetch_ok demo &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	size=$(wc -c <www/demo-1.0.tar.gz) &&
	echo "GET /demo-1.0.tar.gz bytes=$size- 416" >expect &&
	cmp expect "$HTTPD_LOG" &&
	! test -e "$CACHE/demo-1.0.tar.gz.part"
'

test_done
