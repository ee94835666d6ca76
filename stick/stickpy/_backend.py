"""Runs one PEP 517 build_wheel hook (started by stickpy.pep517).

    python -S -P _backend.py SRC BACKEND BACKEND_PATH OUT_DIR RESULT [K=V]...

BACKEND is "module:object"; BACKEND_PATH holds os.pathsep-separated
directories relative to SRC put first on sys.path (PEP 517 backend-path);
K=V pairs are the config_settings. The wheel's file name goes to RESULT.
"""

import importlib
import os
import sys


def main(argv):
    src, backend, bpath, out_dir, result = argv[:5]
    config = dict(a.split("=", 1) for a in argv[5:]) or None
    sys.path[:0] = [os.path.join(src, p) for p in bpath.split(os.pathsep)
                    if p]
    os.chdir(src)
    mod, _, attr = backend.partition(":")
    hooks = importlib.import_module(mod)
    for part in filter(None, attr.split(".")):
        hooks = getattr(hooks, part)
    name = hooks.build_wheel(out_dir, config)
    with open(result, "w", encoding="utf-8") as f:
        f.write(name)


if __name__ == "__main__":
    main(sys.argv[1:])
