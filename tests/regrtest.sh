#!/usr/bin/env bash
# `make regrtest`: CPython's whole test suite (python -m test -j2), run by
# the toolchain's bootstrap interpreter (with the test-only C modules
# built in) and by the single-file interpreter `stick build
# --include-tests` makes (the test package embedded), for each version in
# $REGRTEST_PYTHON (default "3.13 3.11"; $REGRTEST_INTERPRETERS, default
# "bootstrap single", picks the interpreters). Every failure must be listed,
# with its reason, in tests/toolchain/regrtest-suite-expected-VERSION;
# any other fails the run. Not part of `make test`: each run takes 10 to
# 20 minutes on 2 cores. The logs and JUnit reports are kept in
# tests/out/regrtest/. Test files that hang on this machine's kernel are
# left out as in t3200 (REGRTEST_IGNORE in tests/lib.sh).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
OUT=$TOP/tests/out/regrtest
mkdir -p "$OUT"

if ! grep -qw localhost /etc/hosts 2>/dev/null; then
	test_skip 'the regrtest suite fails only where expected' 'no localhost in /etc/hosts'
	test_done
fi

# suite VERSION NAME PYTHON: the whole suite, checked against the list.
suite() {
	base=$OUT/$1-$2
	start=$(date +%s)
	REGRTEST_TIMEOUT=1800 run_regrtest "$base.log" "$base.xml" "$3" --
	echo "# $1 $2: $(( $(date +%s) - start ))s" >"$base.time"
	rc=0
	python3 "$TOP/tests/toolchain/regrtest_check.py" "$base.xml" \
		"$TOP/tests/toolchain/regrtest-suite-expected-$1" "$base.log" \
		--as "$2" --min-cases 20000 >"$base.summary" || rc=$?
	cat "$base.summary"
	return $rc
}

for v in ${REGRTEST_PYTHON:-3.13 3.11}; do
	TC=$($STICK -q toolchain --python "$v" --sources "$SOURCES") || {
		test_expect_success "the $v toolchain builds" 'false'
		continue
	}
	case " ${REGRTEST_INTERPRETERS:-bootstrap single} " in *" bootstrap "*)
	test_expect_success "$v: the bootstrap interpreter fails only where expected" '
		suite "$v" bootstrap "$TC/bin/python$v"
	' ;; esac
	case " ${REGRTEST_INTERPRETERS:-bootstrap single} " in *" single "*)
	test_expect_success "$v: the single-file interpreter with the tests embedded fails only where expected" '
		$STICK -q build --python "$v" --include-tests -o "$TRASH/python$v" >/dev/null &&
		suite "$v" single "$TRASH/python$v"
	' ;; esac
	for n in ${REGRTEST_INTERPRETERS:-bootstrap single}; do
		[ -f "$OUT/$v-$n.summary" ] &&
			say "# $v $n: $(head -n 1 "$OUT/$v-$n.summary") ($(sed 's/.*: //' "$OUT/$v-$n.time"))"
	done
done

test_done
