"""The entry of `make numpy-test`'s binary (tests/numpy/run-tests): pytest.

numpy 2's numpy/_core/tests has no __init__.py, so pytest (its default
"prepend" import mode) puts that directory first on sys.path and imports
test_multiarray as a top-level module. In a stick binary the directory is
inside the executable (its read-only tree), where stick's path-entry
finder knows only the embedded packages' dotted names: this finder, last
on sys.meta_path, loads such a top-level NAME.py from a sys.path entry
by its file (read through that tree), as CPython's FileFinder would.
"""
import importlib.util
import os
import sys


class TopLevelFile:
    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if path is not None or "." in name:
            return None
        for entry in sys.path:
            file = os.path.join(entry, name + ".py")
            if os.path.isfile(file):
                return importlib.util.spec_from_file_location(name, file)
        return None


def main():
    sys.meta_path.append(TopLevelFile)
    import pytest
    return pytest.console_main()


if __name__ == "__main__":
    sys.exit(main())
