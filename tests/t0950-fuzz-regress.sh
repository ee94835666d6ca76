#!/usr/bin/env bash
# The fuzz targets' regression inputs (tests/fuzz/regress/TARGET/: every
# crash `make fuzz` found, each fixed in stick) and committed seeds
# (tests/fuzz/corpus/TARGET/) replayed once through each target built
# without libFuzzer (bin/fuzz/regress_TARGET: tests/fuzz/standalone.c's
# main, with ASan and UBSan when clang-19 is there). A reverted fix makes
# its input fail here. The archive target runs as an unprivileged user when
# the test runs as root, as `make fuzz` runs it: root removes even a
# directory without permissions, which hid one of those bugs.
. "$(dirname "$0")/lib.sh"

targets=$(cd "$TOP/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//')

# replay TARGET DIR: every file of DIR through the target; all must run.
replay() {
	local bin=$TOP/bin/fuzz/regress_$1 want ran sandbox run
	test -x "$bin" || { echo "$bin is not built (run 'make test')"; return 1; }
	want=$(find "$2" -type f ! -name ".*" | wc -l)
	test "$want" -gt 0
	sandbox=$TRASH/sandbox-$1-$(basename "$2")
	mkdir -p "$sandbox"
	run=(env STICK_FUZZ_TMP="$sandbox" "$bin" "$2")
	if [ "$1" = extract ] && [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		chown 65534:65534 "$sandbox"
		run=(env STICK_FUZZ_TMP="$sandbox" setpriv --reuid=65534 \
			--regid=65534 --clear-groups "$bin" "$2")
	fi
	"${run[@]}" >out 2>err || { tail -n 40 err; return 1; }
	ran=$(sed -n 's/^standalone: \([0-9]*\) inputs ran$/\1/p' out)
	echo "$1 $(basename "$2"): $ran of $want inputs ran"
	test "$ran" = "$want"
}

test_expect_success 'every target has committed seeds and a driver' '
	test -n "$targets" &&
	for t in $targets; do
		test -d "$TOP/tests/fuzz/corpus/$t" &&
		test -x "$TOP/bin/fuzz/regress_$t" || return 1
	done
'

for t in $targets; do
	if [ -n "$(ls "$TOP/tests/fuzz/regress/$t" 2>/dev/null)" ]; then
		test_expect_success "$t: every regression input" "replay $t \"\$TOP/tests/fuzz/regress/$t\""
	else
		test_skip "$t: every regression input" "none: the fuzzer found no crash"
	fi
	test_expect_success "$t: every committed seed" "replay $t \"\$TOP/tests/fuzz/corpus/$t\""
done

test_done
