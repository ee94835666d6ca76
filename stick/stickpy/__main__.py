"""The helper's single entry point: python3.X -I -S stick/stickpy REQUEST
RESULT (see helper.py)."""

import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in stick's tree
if not __package__:
    # Run as a directory: make the package importable by its name.
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

from stickpy.helper import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
