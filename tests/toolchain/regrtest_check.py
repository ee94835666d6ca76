"""Checks a regrtest JUnit report against the list of expected failures.

    regrtest_check.py JUNIT_XML EXPECTED_FILE REGRTEST_LOG
                      [--as INTERPRETER] [--min-cases N]

Prints one summary line, then anything unexpected; exits 1 when a failure
is not listed (or fewer than N test cases ran, default 3000).

The expected file holds one test id per line (a test case, as
test.test_x.Class.method), with # comments giving the reasons. A test
file that fails without a failed test case in the XML (it cannot load,
or its worker process crashed or timed out) comes from the log's summary
and is listed as "file test_x". A line may start with "[NAME] ": it then
applies only to the run checked --as NAME (the interpreters differ).
"""

import argparse
import os
import re
import sys
import xml.etree.ElementTree as ET


def read_expected(path, interpreter):
    expected = set()
    for line in open(path):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.match(r"\[([\w.-]+)\]\s+(.*)", line)
        if m:
            if m.group(1) != interpreter:
                continue
            line = m.group(2)
        expected.add(line)
    return expected


def read_junit(path):
    run = skipped = 0
    failed = set()
    for case in ET.parse(path).getroot().iter("testcase"):
        run += 1
        parts = (case.get("classname"), case.get("name"))
        name = ".".join(p for p in parts if p).split(" ")[0]
        if case.find("skipped") is not None:
            skipped += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed.add(name)
    return run, skipped, failed


def failed_files(log):
    """The test files regrtest's summary says failed: the last summary
    of the log (test_regrtest prints the summaries of the runs it
    starts before the outer run's own)."""
    log = log[log.rfind("== Tests result:"):]
    m = re.search(r"^\d+ tests? failed:\n((?:    .*\n)+)", log, re.M)
    return m.group(1).split() if m else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("junit")
    ap.add_argument("expected")
    ap.add_argument("log")
    ap.add_argument("--as", dest="interpreter", default="")
    ap.add_argument("--min-cases", type=int, default=3000)
    args = ap.parse_args()
    log = open(args.log, errors="replace").read()
    if not os.path.exists(args.junit):
        print("regrtest wrote no report; the end of its log:")
        print("\n".join(log.splitlines()[-30:]))
        return 1
    expected = read_expected(args.expected, args.interpreter)
    run, skipped, failed = read_junit(args.junit)
    files = failed_files(log)
    print(f"regrtest: {run} cases, {len(failed)} failed, {skipped} skipped; "
          f"{len(files)} test files failed")
    new = sorted(failed - expected)
    bad_files = set()
    for f in files:
        # Tests in packages are named test.test_x.test_y in the summary.
        prefix = (f if f.startswith("test.") else "test." + f) + "."
        if not any(n.startswith(prefix) for n in failed):
            bad_files.add(f)
            if "file " + f not in expected:
                new.append("file " + f + " (no test case recorded)")
    for n in new:
        print("unexpected failure:", n)
    for n in sorted(expected - failed):
        if not n.startswith("file ") or n[5:] not in bad_files:
            print("expected failure passed:", n)
    if run < args.min_cases:
        print(f"too few test cases ran ({run} < {args.min_cases}): "
              "the suite did not run")
        return 1
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
