"""Checks a regrtest JUnit report against the list of expected failures.

    regrtest_check.py JUNIT_XML EXPECTED_FILE REGRTEST_LOG

Prints one summary line, then anything unexpected; exits 1 when a failure
is not listed. A test file that fails to load has no test cases in the
XML, so the failed files come from the log's summary; "file NAME" lines
of the expected list allow those.
"""

import os
import re
import sys
import xml.etree.ElementTree as ET


def main():
    junit, expected_path, log_path = sys.argv[1:4]
    log = open(log_path, errors="replace").read()
    if not os.path.exists(junit):
        print("regrtest wrote no report; the end of its log:")
        print("\n".join(log.splitlines()[-30:]))
        return 1
    expected = {l.strip() for l in open(expected_path)
                if l.strip() and not l.startswith("#")}
    run = skipped = 0
    failed = set()
    for case in ET.parse(junit).getroot().iter("testcase"):
        run += 1
        parts = (case.get("classname"), case.get("name"))
        name = ".".join(p for p in parts if p).split(" ")[0]
        if case.find("skipped") is not None:
            skipped += 1
        if case.find("failure") is not None or case.find("error") is not None:
            failed.add(name)
    print(f"regrtest slice: {run} cases, {len(failed)} failed, "
          f"{skipped} skipped")
    m = re.search(r"^\d+ tests? failed:\n((?:    .*\n)+)", log, re.M)
    failed_files = m.group(1).split() if m else []
    new = sorted(failed - expected)
    for f in failed_files:
        if not any(n.startswith("test." + f + ".") for n in failed) \
                and "file " + f not in expected:
            new.append("file " + f + " (no test case recorded)")
    for n in new:
        print("unexpected failure:", n)
    for n in sorted(expected - failed):
        if not n.startswith("file "):
            print("expected failure passed:", n)
    if run < 3000:
        print("too few test cases ran: the slice did not run")
        return 1
    return 1 if new else 0


if __name__ == "__main__":
    sys.exit(main())
