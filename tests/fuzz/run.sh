#!/usr/bin/env bash
# tests/fuzz/run.sh TARGET...: `make fuzz`. Runs each built target
# (bin/fuzz/fuzz_TARGET) for $FUZZ_SECONDS, one after the other, on its
# committed seeds (tests/fuzz/corpus/TARGET), the large real seeds that
# seeds.sh gathers, and its regression inputs (tests/fuzz/regress/TARGET).
# What a run adds to the corpus stays in tests/out/fuzz/corpus/TARGET for
# the next run; a crash is written to tests/out/fuzz/crashes/TARGET/. Each
# run's log is tests/out/fuzz/TARGET.log; one line per run (executions,
# libFuzzer's cov: and ft:) is added to tests/out/fuzz/summary.txt and
# printed. The archive target runs as an unprivileged user when started
# as root, so an escape could not write where only root may.
set -u
cd "$(dirname "$0")/../.." || exit 1
secs=${FUZZ_SECONDS:-300}
out=$PWD/tests/out/fuzz
failed=()
mkdir -p "$out"
tests/fuzz/seeds.sh "$out/seeds" >"$out/seeds.log" 2>&1

# The libFuzzer options per target: inputs as large as its real seeds.
max_len() {
	case $1 in
	extract) echo 262144 ;;
	elfsym | ar) echo 65536 ;;
	*) echo 16384 ;;
	esac
}

# summarize TARGET STATUS: the run's line, from libFuzzer's final stats.
summarize() {
	local log=$out/$1.log execs rate done
	execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: //p' "$log" | tail -n 1)
	done=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*/[^ ]*' | tail -n 1)
	printf '%s %-13s %4ss %10s execs %6s/s %s %s\n' "$(date -u +%FT%TZ)" "$1" \
		"$secs" "${execs:-?}" "${rate:-?}" "${done:-no stats}" "$2"
}

for t in "$@"; do
	bin=$PWD/bin/fuzz/fuzz_$t
	corpus=$out/corpus/$t
	crashes=$out/crashes/$t
	mkdir -p "$corpus" "$crashes" "$out/seeds/$t" "tests/fuzz/regress/$t"
	run=("$bin" -max_total_time="$secs" -print_final_stats=1 \
		-close_fd_mask=3 -timeout=30 -max_len="$(max_len "$t")" \
		-artifact_prefix="$crashes/" "$corpus" "tests/fuzz/corpus/$t" \
		"$out/seeds/$t" "tests/fuzz/regress/$t")
	if [ "$t" = extract ] && [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
		shm=/dev/shm; [ -w "$shm" ] || shm=${TMPDIR:-/tmp}
		sandbox=$(mktemp -d "$shm/stick-fuzz.XXXXXX")
		chown -R 65534:65534 "$corpus" "$crashes" "$sandbox"
		run=(env STICK_FUZZ_TMP="$sandbox" setpriv --reuid=65534 \
			--regid=65534 --clear-groups "${run[@]}")
	fi
	echo "fuzz: $t for ${secs}s (log: $out/$t.log)"
	"${run[@]}" >"$out/$t.log" 2>&1
	rc=$?
	[ -n "${sandbox:-}" ] && rm -rf "$sandbox" && sandbox=
	status=ok
	if [ $rc -ne 0 ]; then
		status="FAILED (exit $rc; see $crashes)"
		failed+=("$t")
	fi
	summarize "$t" "$status" | tee -a "$out/summary.txt"
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: crashes in ${failed[*]}"; exit 1; }
