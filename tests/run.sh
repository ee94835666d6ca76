#!/usr/bin/env bash
# Runs every test: the C unit tests in tests/unit and the end-to-end
# scripts tests/t*.sh. Each prints "ok N - ..." / "not ok N - ..." lines
# (TAP) into tests/out/NAME.log; the last line of this runner is
# "N passed, N failed, N skipped".
#
#   tests/run.sh              all tests
#   tests/run.sh t1000 test_  only the tests whose names contain a word
#                             (t1000-*.sh and every unit test, test_*)
#   tests/run.sh -j 1 ...     one test at a time (default: STICK_TEST_JOBS,
#                             else 2)
#
# Test files run in parallel. They share only the toolchain cache
# (~/.cache/stick, see tests/lib.sh), whose entries stick builds under
# locks, so two tests that need the same missing entry build it once: the
# second waits. The slowest files start first (SLOW_FIRST), the ones that
# build a missing toolchain at their head, so that the long builds overlap
# the many short tests instead of trailing them.
#
# The scripts in PY311_TESTS run twice: against the default CPython 3.13
# toolchain and, as NAME-py3.11, against the 3.11 one (which the first of
# them builds when it is missing). With STICK_TEST_PYTHON set, every
# script runs once, against that version.
set -u
cd "$(dirname "$0")/.." || exit 1
TOP=$PWD
out=$TOP/tests/out
mkdir -p "$out"

jobs=${STICK_TEST_JOBS:-2}
if [ "${1:-}" = -j ]; then
	jobs=$2
	shift 2
fi
case "$jobs" in '' | *[!0-9]* | 0) echo "tests/run.sh: -j wants a positive number" >&2; exit 2 ;; esac

FILTER=("$@")
PY311_TESTS="t3000 t3200 t4000 t4100"
# Longest first (measured cold: the 3.11 and glibc toolchains are built by
# the first test that needs them).
SLOW_FIRST="t3000-toolchain-py3.11 t5000-library t6400-prune-stdlib-tests
t3200-regrtest t3200-regrtest-py3.11 t7200-deps-build t4300-projects
t7000-extensions t6300-app-fidelity t3150-cache-kill"

# want NAME: true when no filter words were given or NAME matches one.
want() {
	[ ${#FILTER[@]} -eq 0 ] && return 0
	for w in "${FILTER[@]}"; do
		case "$1" in *"$w"*) return 0 ;; esac
	done
	return 1
}

# The queue: "NAME<TAB>COMMAND..." lines, slow ones first.
queue=()
add() { want "$1" && queue+=("$*"); }
for t in tests/unit/*.c; do
	add "$(basename "${t%.c}")" "${t%.c}"
done
scripts=()
for t in tests/t[0-9]*.sh; do
	name=$(basename "$t" .sh)
	scripts+=("$name bash $t")
	case " $PY311_TESTS " in *" ${name%%-*} "*) ;; *) continue ;; esac
	[ -z "${STICK_TEST_PYTHON:-}" ] || continue
	scripts+=("$name-py3.11 env STICK_TEST_PYTHON=3.11 bash $t")
done
for slow in $SLOW_FIRST; do
	for s in "${scripts[@]}"; do
		[ "${s%% *}" = "$slow" ] && add $s
	done
done
for s in "${scripts[@]}"; do
	case " $(echo $SLOW_FIRST) " in *" ${s%% *} "*) continue ;; esac
	add $s
done

# run_one NAME COMMAND...: the test's output in its log, then its exit
# status and seconds in NAME.status.
run_one() {
	local name=$1 start=$SECONDS
	shift
	"$@" >"$out/$name.log" 2>&1
	echo "$? $((SECONDS - start))" >"$out/$name.status"
}

pass=0 fail=0 skip=0
failed_names=()

# report NAME: counts the finished test's log and prints its line.
report() {
	local name=$1 log=$out/$1.log rc secs p s f
	read -r rc secs <"$out/$name.status"
	rm -f "$out/$name.status"
	p=$(grep -c '^ok [0-9]' "$log")
	s=$(grep -c '^ok [0-9]* # skip' "$log")
	f=$(grep -c '^not ok [0-9]' "$log")
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# A script that died before reporting counts as one failure.
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		failed_names+=("$name")
		printf '%-36s FAIL (%d passed, %d failed) %5ss\n' "$name" "$p" "$f" "$secs"
		grep -A 40 '^not ok' "$log" | head -n 60 | sed 's/^/    /'
	else
		printf '%-36s ok (%d passed%s) %5ss\n' "$name" "$p" \
			"$([ "$s" -gt 0 ] && echo ", $s skipped")" "$secs"
	fi
}

declare -A running=()
# reap: waits for one test to end and reports it.
reap() {
	local pid
	wait -n -p pid "${!running[@]}"
	report "${running[$pid]}"
	unset "running[$pid]"
}

for entry in "${queue[@]}"; do
	read -r -a cmd <<<"$entry"
	name=${cmd[0]}
	if [ "${name#test_}" != "$name" ] && [ ! -x "${cmd[1]}" ]; then
		echo "$name: not built (run 'make test')"
		fail=$((fail + 1))
		continue
	fi
	while [ ${#running[@]} -ge "$jobs" ]; do reap; done
	run_one "${cmd[@]}" &
	running[$!]=$name
done
while [ ${#running[@]} -gt 0 ]; do reap; done

[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]} (logs in tests/out/)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
