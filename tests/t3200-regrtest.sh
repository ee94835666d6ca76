#!/usr/bin/env bash
# A slice of CPython's own test suite, run with the toolchain's static
# bootstrap interpreter (3.13, or the version in $STICK_TEST_PYTHON).
# Failures must be the known, explained ones in
# tests/toolchain/regrtest-expected-VERSION.
. "$(dirname "$0")/lib.sh"

export STICK_HOME=${STICK_TEST_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/stick}
unset STICK_DATADIR
TESTS="test_ssl test_sqlite3 test_ctypes test_lzma test_zlib test_bz2
test_hashlib test_json test_decimal test_socket test_asyncio"
# This machine's kernel has AF_VSOCK but no loopback transport: the VSOCK
# stream test fails (3.13) or hangs (3.11) on any build, stock ones too.
IGNORE="*ThreadedVSOCKSocketStreamTest*"
PY=${STICK_TEST_PYTHON:-3.13}
EXPECTED=$TOP/tests/toolchain/regrtest-expected-$PY

# Without a localhost line in /etc/hosts (a bare debootstrap chroot), musl
# asks DNS for "localhost" and the asyncio and socket tests crawl.
if ! grep -qw localhost /etc/hosts 2>/dev/null; then
	test_skip 'the regrtest slice fails only where expected' 'no localhost in /etc/hosts'
	test_done
fi

test_expect_success 'the regrtest slice fails only where expected' '
	TC=$($STICK -q toolchain --python $PY --sources "$STICK_HOME/debian-sources") &&
	mkdir -p home &&
	{ env -i PATH=/usr/bin:/bin HOME="$TRASH/home" "$TC/bin/python$PY" \
		-m test -j2 --timeout 900 -i "$IGNORE" \
		--junit-xml "$TRASH/junit.xml" $TESTS >regrtest.log 2>&1 || true; } &&
	sed -n "/== Tests result/,\$p" regrtest.log &&
	python3 - "$TRASH/junit.xml" "$EXPECTED" regrtest.log <<-\PY
	import re, sys, xml.etree.ElementTree as ET
	root = ET.parse(sys.argv[1]).getroot()
	expected = {l.strip() for l in open(sys.argv[2])
	            if l.strip() and not l.startswith("#")}
	# A test file that fails to load has no test cases in the XML: take
	# the failed files from the summary, "file NAME" lines allow them.
	log = open(sys.argv[3]).read()
	m = re.search(r"^\d+ tests? failed:\n((?:    .*\n)+)", log, re.M)
	failed_files = m.group(1).split() if m else []
	run = failed_n = skipped = 0
	failed = set()
	for case in root.iter("testcase"):
	    run += 1
	    parts = (case.get("classname"), case.get("name"))
	    name = ".".join(p for p in parts if p).split(" ")[0]
	    if case.find("skipped") is not None:
	        skipped += 1
	    if case.find("failure") is not None or case.find("error") is not None:
	        failed.add(name)
	summary = f"regrtest slice: {run} cases, {len(failed)} failed, {skipped} skipped"
	print(summary)
	open("summary", "w").write(summary + "\n")
	assert run > 3000, "too few test cases ran: the slice did not run"
	new = sorted(failed - expected)
	for f in failed_files:
	    if not any(n.startswith("test." + f + ".") for n in failed) \
	            and "file " + f not in expected:
	        new.append("file " + f + " (no test case recorded)")
	for n in new:
	    print("unexpected failure:", n)
	for n in sorted(expected - failed):
	    print("expected failure passed:", n)
	sys.exit(1 if new else 0)
	PY
'

# The counts go to the runner's log (tests/out/t3200-regrtest.log).
[ -f "$TRASH/summary" ] && say "# $(cat "$TRASH/summary")"

test_done
