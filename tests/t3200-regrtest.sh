#!/usr/bin/env bash
# A slice of CPython's own test suite, run with the toolchain's static
# bootstrap interpreter and with the single-file interpreter stick builds
# from it (3.13, or the version in $STICK_TEST_PYTHON). Failures must be
# the known, explained ones in tests/toolchain/regrtest-expected-VERSION.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
TESTS="test_ssl test_sqlite3 test_ctypes test_lzma test_zlib test_bz2
test_hashlib test_json test_decimal test_socket test_asyncio"
# This machine's kernel has AF_VSOCK but no loopback transport: the VSOCK
# stream test fails (3.13) or hangs (3.11) on any build, stock ones too.
IGNORE="*ThreadedVSOCKSocketStreamTest*"
EXPECTED=$TOP/tests/toolchain/regrtest-expected-$PY

# Without a localhost line in /etc/hosts (a bare debootstrap chroot), musl
# asks DNS for "localhost" and the asyncio and socket tests crawl.
if ! grep -qw localhost /etc/hosts 2>/dev/null; then
	test_skip 'the regrtest slice fails only where expected' 'no localhost in /etc/hosts'
	test_done
fi

# regrtest NAME PYTHON [ENV...]: runs the slice, keeps its log in
# tests/out/, and checks the failures against the expected list.
regrtest() {
	name=$1 python=$2
	shift 2
	mkdir -p "$TRASH/home-$name"
	# A runaway test must fail here, not exhaust the machine's memory.
	( ulimit -v 6000000
	  default_signals env -i PATH=/usr/bin:/bin HOME="$TRASH/home-$name" "$@" "$python" \
		-m test -j2 --timeout 900 -i "$IGNORE" \
		--junit-xml "$TRASH/junit-$name.xml" $TESTS ) \
		>"$TOP/tests/out/t3200-$name.regrtest.log" 2>&1
	sed -n "/== Tests result/,\$p" "$TOP/tests/out/t3200-$name.regrtest.log"
	python3 "$TOP/tests/toolchain/regrtest_check.py" "$TRASH/junit-$name.xml" \
		"$EXPECTED" "$TOP/tests/out/t3200-$name.regrtest.log" \
		>"$TRASH/summary-$name"
	rc=$?
	cat "$TRASH/summary-$name"
	return $rc
}

TC=$($STICK -q toolchain --python $PY --sources "$SOURCES")

test_expect_success 'the bootstrap interpreter fails only where expected' '
	regrtest bootstrap "$TC/bin/python$PY"
'

test_expect_success 'the single-file interpreter fails only where expected' '
	$STICK -q build --python $PY -o "$TRASH/python" >/dev/null &&
	regrtest single "$TRASH/python" PYTHONPATH="$TC/lib/python$PY"
'

# The counts go to the runner's log (tests/out/t3200-regrtest.log).
for n in bootstrap single; do
	[ -f "$TRASH/summary-$n" ] && say "# $n: $(head -n 1 "$TRASH/summary-$n")"
done

test_done
