#!/usr/bin/env bash
# make test-asan: the C unit tests built with ASan and UBSan
# (bin/asan/unit/, all but test_string, which checks embed/string.c's
# word-at-a-time reads on purpose), then the tests in tests/fuzz/asan-tests
# with bin/stick-asan as the stick they run (STICK_TEST_BINARY), against
# the 3.13 toolchain only. Every sanitizer report (leaks included) is
# written to tests/out/asan-reports/ instead of stderr, since a failing
# stick is what some tests expect: any report there fails the run, after
# run.sh's count.
set -u
cd "$(dirname "$0")/../.." || exit 1
reports=$PWD/tests/out/asan-reports
rm -rf "$reports"
mkdir -p "$reports"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:log_path=$reports/asan}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:log_path=$reports/ubsan}
rc=0
for t in bin/asan/unit/test_*; do
	name=$(basename "$t")
	if "$t" >"tests/out/asan-$name.log" 2>&1; then
		echo "asan $name: ok ($(grep -c '^ok' "tests/out/asan-$name.log") passed)"
	else
		echo "asan $name: FAILED (tests/out/asan-$name.log)"
		rc=1
	fi
done
tests=$(grep -v '^#' tests/fuzz/asan-tests)
STICK_TEST_BINARY=$PWD/bin/stick-asan STICK_TEST_PYTHON=3.13 \
	tests/run.sh ${STICK_TEST_JOBS:+-j "$STICK_TEST_JOBS"} $tests || rc=1
if [ -n "$(ls "$reports")" ]; then
	echo "test-asan: sanitizer reports in $reports:"
	grep -h 'SUMMARY\|ERROR' "$reports"/* | sort | uniq -c
	rc=1
else
	echo "test-asan: no sanitizer report"
fi
exit $rc
