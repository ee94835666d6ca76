#!/usr/bin/env bash
# Runs every test: the C unit tests in tests/unit and the end-to-end
# scripts tests/t*.sh. Each prints "ok N - ..." / "not ok N - ..." lines
# (TAP); the last line of this runner is "N passed, N failed, N skipped".
#
#   tests/run.sh              all tests
#   tests/run.sh t1000 test_  only the tests whose names contain a word
#                             (t1000-*.sh and every unit test, test_*)
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

pass=0 fail=0 skip=0
failed_names=()

# want NAME: true when no filter words were given or NAME matches one.
want() {
	[ ${#FILTER[@]} -eq 0 ] && return 0
	for w in "${FILTER[@]}"; do
		case "$1" in *"$w"*) return 0 ;; esac
	done
	return 1
}
FILTER=("$@")
PY311_TESTS="t3000 t3200 t4000 t4100"

run_one() {
	name=$1
	shift
	log=$out/$name.log
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok [0-9]' "$log" | tr -d ' ')
	s=$(grep -c '^ok [0-9]* # skip' "$log" | tr -d ' ')
	f=$(grep -c '^not ok [0-9]' "$log" | tr -d ' ')
	p=$((p - s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# A script that died before reporting counts as one failure.
		f=1
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	if [ "$f" -gt 0 ]; then
		failed_names+=("$name")
		printf '%-40s FAIL (%d passed, %d failed)\n' "$name" "$p" "$f"
		grep -A 40 '^not ok' "$log" | head -n 60 | sed 's/^/    /'
	else
		printf '%-40s ok (%d passed%s)\n' "$name" "$p" \
			"$([ "$s" -gt 0 ] && echo ", $s skipped")"
	fi
}

for t in tests/unit/*.c; do
	bin=${t%.c}
	name=$(basename "$bin")
	want "$name" || continue
	if [ ! -x "$bin" ]; then
		echo "$name: not built (run 'make test')"
		fail=$((fail + 1))
		continue
	fi
	run_one "$name" "$bin"
done

for t in tests/t[0-9]*.sh; do
	name=$(basename "$t" .sh)
	want "$name" && run_one "$name" bash "$t"
	case " $PY311_TESTS " in *" ${name%%-*} "*) ;; *) continue ;; esac
	[ -z "${STICK_TEST_PYTHON:-}" ] || continue
	want "$name-py3.11" && run_one "$name-py3.11" env STICK_TEST_PYTHON=3.11 bash "$t"
done

[ ${#failed_names[@]} -gt 0 ] && echo "failed: ${failed_names[*]} (logs in tests/out/)"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
