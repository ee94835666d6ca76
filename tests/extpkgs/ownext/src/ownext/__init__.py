import sys

from . import _fast


def main():
    print(_fast.triple(int(sys.argv[1]) if len(sys.argv) > 1 else 14),
          _fast.__name__, _fast.__file__.rsplit("/", 2)[-2:])
    return 0
