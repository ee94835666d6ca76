#!/usr/bin/env bash
# stick fetch: a plain download into the source cache, reuse of the cache
# without the network, and command-line errors.
. "$(dirname "$0")/lib.sh"

CACHE=$STICK_HOME/sources

make_tarball www demo-1.0 100000
start_httpd www
write_recipe demo 1.0 www/demo-1.0.tar.gz "$HTTPD_URL/demo-1.0.tar.gz"

test_expect_success 'fetch downloads the file into the cache and prints its path' '
	fetch_ok demo &&
	echo "$CACHE/demo-1.0.tar.gz" >expect &&
	cmp expect out &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	test "$(sha256_of "$CACHE/demo-1.0.tar.gz")" = "$(sha256_of www/demo-1.0.tar.gz)" &&
	! test -e "$CACHE/demo-1.0.tar.gz.part" &&
	test_grep "GET /demo-1.0.tar.gz - 200" "$HTTPD_LOG"
'

test_expect_success 'the progress line names the component, version and file' '
	test_grep "^fetch demo 1.0 (demo-1.0.tar.gz) \.\.\. [0-9.]*s$" err
'

test_expect_success '-q prints the path and no chatter' '
	rm -rf "$CACHE" &&
	"$STICK" -q fetch demo >out 2>err &&
	test_grep "demo-1.0.tar.gz$" out &&
	! test -s err
'

stop_httpd

test_expect_success 'a verified file in the cache is used without the network' '
	fetch_ok demo &&
	echo "$CACHE/demo-1.0.tar.gz" >expect &&
	cmp expect out
'

test_expect_success 'a corrupt file in the cache is a hard error that says to remove it' '
	cp "$CACHE/demo-1.0.tar.gz" saved &&
	echo garbage >>"$CACHE/demo-1.0.tar.gz" &&
	test_expect_code 1 "$STICK" fetch demo >out 2>err &&
	test_grep "sha256 mismatch for .*demo-1.0.tar.gz" err &&
	test_grep "expected: $(sha256_of saved)" err &&
	test_grep "actual:   $(sha256_of "$CACHE/demo-1.0.tar.gz")" err &&
	test_grep "remove .*$CACHE/demo-1.0.tar.gz" err &&
	! test -s out &&
	cp saved "$CACHE/demo-1.0.tar.gz"
'

test_expect_success 'an unknown option exits 2 and points at --help' '
	test_expect_code 2 "$STICK" fetch --no-such-option demo >out 2>err &&
	test_grep "stick fetch --help" err &&
	! test -s out
'

test_expect_success 'an unknown command exits 2 with the usage on stderr' '
	test_expect_code 2 "$STICK" fecth demo >out 2>err &&
	test_grep "unknown command .fecth." err &&
	test_grep "^usage: stick" err &&
	! test -s out
'

test_expect_success 'a --mirror that is not http(s) is a usage error' '
	test_expect_code 2 "$STICK" fetch --mirror ftp://example.org/ demo 2>err &&
	test_grep "must be an http:// or https:// URL" err
'

test_expect_success 'fetch --help prints the usage on stdout' '
	"$STICK" fetch --help >out &&
	test_grep "^usage: stick fetch" out
'

test_done
