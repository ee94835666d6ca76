#!/usr/bin/env bash
# make test-asan: the C unit tests built with ASan and UBSan
# (bin/asan/unit/, all but test_string, which checks embed/string.c's
# word-at-a-time reads on purpose), then the tests in tests/fuzz/asan-tests
# with bin/stick-asan as the stick they run (STICK_TEST_BINARY), against
# the 3.13 toolchain only. Any sanitizer report fails the stick process
# and so its test. Leaks are not reported (ASAN_OPTIONS detect_leaks=0:
# a command-line tool that exits frees nothing on purpose); set
# ASAN_OPTIONS yourself to change that. The last line is run.sh's count.
set -u
cd "$(dirname "$0")/../.." || exit 1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
rc=0
mkdir -p tests/out
for t in bin/asan/unit/test_*; do
	name=$(basename "$t")
	if "$t" >"tests/out/asan-$name.log" 2>&1; then
		echo "asan $name: ok"
	else
		echo "asan $name: FAILED (tests/out/asan-$name.log)"
		rc=1
	fi
done
tests=$(grep -v '^#' tests/fuzz/asan-tests)
STICK_TEST_BINARY=$PWD/bin/stick-asan STICK_TEST_PYTHON=3.13 \
	tests/run.sh ${STICK_TEST_JOBS:+-j "$STICK_TEST_JOBS"} $tests || rc=1
exit $rc
