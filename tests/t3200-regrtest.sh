#!/usr/bin/env bash
# A slice of CPython's own test suite, run with the toolchain's static
# bootstrap interpreter and with the single-file interpreter stick builds
# from it with the test package embedded (3.13, or the version in
# $STICK_TEST_PYTHON). Failures must be the known, explained ones in
# tests/toolchain/regrtest-expected-VERSION. The whole suite is
# `make regrtest` (tests/regrtest.sh).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
TESTS="test_ssl test_sqlite3 test_ctypes test_lzma test_zlib test_bz2
test_hashlib test_json test_decimal test_socket test_asyncio"
EXPECTED=$TOP/tests/toolchain/regrtest-expected-$PY

# Without a localhost line in /etc/hosts (a bare debootstrap chroot), musl
# asks DNS for "localhost" and the asyncio and socket tests crawl.
if ! grep -qw localhost /etc/hosts 2>/dev/null; then
	test_skip 'the regrtest slice fails only where expected' 'no localhost in /etc/hosts'
	test_done
fi

# regrtest NAME PYTHON: runs the slice, keeps its log in tests/out/, and
# checks the failures against the expected list.
regrtest() {
	log=$TOP/tests/out/t3200-$PY-$1.regrtest.log
	run_regrtest "$log" "$TRASH/junit-$1.xml" "$2" -- $TESTS
	rc=0
	python3 "$TOP/tests/toolchain/regrtest_check.py" "$TRASH/junit-$1.xml" \
		"$EXPECTED" "$log" --as "$1" >"$TRASH/summary-$1" || rc=$?
	cat "$TRASH/summary-$1"
	return $rc
}

TC=$($STICK -q toolchain --python $PY --sources "$SOURCES")

test_expect_success 'the bootstrap interpreter fails only where expected' '
	regrtest bootstrap "$TC/bin/python$PY"
'

test_expect_success 'the single-file interpreter with the tests embedded fails only where expected' '
	$STICK -q build --python $PY --include-tests -o "$TRASH/python" >/dev/null &&
	regrtest single "$TRASH/python"
'

# The counts go to the runner's log (tests/out/t3200-regrtest.log).
for n in bootstrap single; do
	[ -f "$TRASH/summary-$n" ] && say "# $n: $(head -n 1 "$TRASH/summary-$n")"
done

test_done
