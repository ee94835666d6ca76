#!/usr/bin/env bash
# Two `stick fetch` processes sharing one cache: the second waits for the
# first one's lock, then finds the verified file; it is downloaded once.
. "$(dirname "$0")/lib.sh"

CACHE=$STICK_HOME/sources

# wait_for_log PATTERN: until the server logged a matching request (5s).
wait_for_log() {
	for _ in $(seq 100); do
		grep -q "$1" "$HTTPD_LOG" && return 0
		sleep 0.05
	done
	echo "no request matching '$1' in the server log" >&2
	return 1
}

# 512 KiB in 16 KiB chunks, 30ms apart: about one second of download.
make_tarball www demo-1.0 524288
start_httpd www --delay-ms 30
write_recipe demo 1.0 www/demo-1.0.tar.gz "$HTTPD_URL/demo-1.0.tar.gz"

test_expect_success 'two concurrent fetches of one file both succeed' '
	"$STICK" fetch demo >out1 2>err1 &
	pid1=$!
	wait_for_log "^GET /demo-1.0.tar.gz" &&
	"$STICK" fetch demo >out2 2>err2 &&
	wait $pid1 &&
	echo "$CACHE/demo-1.0.tar.gz" >expect &&
	cmp expect out1 &&
	cmp expect out2
'

test_expect_success 'the second one said it was waiting for the first' '
	test_grep "^waiting for another stick fetching demo-1.0.tar.gz$" err2 &&
	! grep -q waiting err1
'

test_expect_success 'the cache holds one verified file and no leftovers' '
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	ls -A "$CACHE" >listing &&
	printf "%s\n" .locks demo-1.0.tar.gz >expect &&
	cmp expect listing
'

test_expect_success 'the file was downloaded once' '
	test "$(grep -c "^GET " "$HTTPD_LOG")" = 1
'

test_expect_success 'three fetches started together download it once' '
	# Not joined by &&: "a && b & c" would run a and b in the background
	# too, removing the cache while the other two fetches fill it.
	rm -rf "$CACHE"
	: >"$HTTPD_LOG"
	"$STICK" fetch demo >o1 2>e1 & p1=$!
	"$STICK" fetch demo >o2 2>e2 & p2=$!
	"$STICK" fetch demo >o3 2>e3 & p3=$!
	wait $p1 && wait $p2 && wait $p3 &&
	cmp www/demo-1.0.tar.gz "$CACHE/demo-1.0.tar.gz" &&
	test "$(grep -c "^GET " "$HTTPD_LOG")" = 1
'

test_done
