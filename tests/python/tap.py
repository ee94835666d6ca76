"""Runs the helper's unit tests (tests/python/test_*.py) and prints one TAP
line per test case: "ok N - module.Class.test" or "not ok N - ...", with
the failure indented below. Exits 1 when one failed.

    python3 tests/python/tap.py [PATTERN]
"""

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in stick's tree
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                "stick"))
sys.path.insert(0, HERE)


class TapResult(unittest.TestResult):
    def __init__(self):
        super().__init__()
        self.number = 0

    def report(self, test, ok, detail=""):
        self.number += 1
        print(f"{'' if ok else 'not '}ok {self.number} - {test.id()}")
        for line in detail.rstrip().splitlines():
            print(f"#   {line}")
        sys.stdout.flush()

    def addSuccess(self, test):
        super().addSuccess(test)
        self.report(test, True)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self.report(test, False, self._exc_info_to_string(err, test))

    def addError(self, test, err):
        super().addError(test, err)
        self.report(test, False, self._exc_info_to_string(err, test))

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.number += 1
        print(f"ok {self.number} - {test.id()} # skip {reason}")


def main():
    pattern = sys.argv[1] if len(sys.argv) > 1 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern,
                                                top_level_dir=HERE)
    result = TapResult()
    suite.run(result)
    print(f"1..{result.number}")
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
