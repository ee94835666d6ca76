"""Compiled files where Python code is expected.

A static binary cannot load a compiled extension (`.so`, `.pyd`) or any
other shared library: leaving one out silently would make the application
run without it, or fail only at run time. Imports nothing but os and re,
so the build request can check its --path directories before a freeze.
"""

import os
import re

BINARY_RE = re.compile(r"\.(so(\.[0-9]+)*|pyd|dylib|dll|a|o)$")


def check_path_dirs(dirs, error=ValueError):
    """Raises error naming the first compiled module or library in dirs
    and pointing to --sdist."""
    for top in dirs:
        for root, subdirs, files in os.walk(top):
            subdirs.sort()
            for name in sorted(files):
                if BINARY_RE.search(name) and not name.endswith((".a", ".o")):
                    path = os.path.join(root, name)
                    raise error(
                        f"'{path}' is a compiled module (or library) in a "
                        "--path directory; a static binary cannot load it: "
                        "build its package from source with --sdist "
                        "SDIST_OR_SOURCE_TREE instead")
