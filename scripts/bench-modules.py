"""Print an import script of the stdlib modules some interpreters share.

    python3 scripts/bench-modules.py INTERPRETER... >imports.py

Used by scripts/bench to time importing a large part of the stdlib. The
candidates are every module of this python's stdlib (packages walked on
disk, extension modules included) minus tests, GUI and modules with side
effects; each interpreter tries them all in one process, and the script
imports, in a stable order, the ones that imported in all of them.
"""

import os
import subprocess
import sys
import sysconfig

SKIP_TOP = {
    "antigravity", "this", "__hello__", "__phello__", "idlelib", "tkinter",
    "turtle", "turtledemo", "test", "lib2to3", "ensurepip", "pydoc_data",
    "__future__", "site", "sitecustomize", "usercustomize",
}


def candidates():
    stdlib = sysconfig.get_paths()["stdlib"]
    names = set()
    for dirpath, dirnames, filenames in os.walk(stdlib):
        rel = os.path.relpath(dirpath, stdlib)
        parts = [] if rel == "." else rel.split(os.sep)
        if parts and ("__init__.py" not in filenames
                      or parts[0] in SKIP_TOP or "test" in parts
                      or "tests" in parts or not all(p.isidentifier()
                                                     for p in parts)):
            dirnames[:] = []
            continue
        for f in filenames:
            if not f.endswith(".py") or f == "__main__.py":
                continue
            mod = f[:-3]
            if mod == "__init__":
                if parts:
                    names.add(".".join(parts))
            elif mod.isidentifier() and (parts or mod not in SKIP_TOP):
                names.add(".".join(parts + [mod]))
    dynload = os.path.join(stdlib, "lib-dynload")
    for f in os.listdir(dynload) if os.path.isdir(dynload) else []:
        mod = f.split(".")[0]
        if f.endswith(".so") and not mod.startswith("_test") \
                and mod not in ("xxlimited", "xxsubtype", "_xxtestfuzz"):
            names.add(mod)
    return sorted(n for n in names if not n.startswith("_test"))


PROBE = """
import sys, warnings
warnings.simplefilter("ignore")
ok = []
for name in sys.argv[1:]:
    try:
        __import__(name)
        ok.append(name)
    except BaseException:
        pass
print("\\n".join(ok))
"""


def importable(python, names):
    out = subprocess.run([python, "-I", "-c", PROBE, *names],
                         capture_output=True, text=True,
                         stdin=subprocess.DEVNULL, timeout=300)
    return set(out.stdout.split())


def main():
    names = candidates()
    ok = [importable(python, names) for python in sys.argv[1:]]
    both = [n for n in names if all(n in o for o in ok)]
    print(f"# {len(both)} stdlib modules these interpreters all import")
    print("import warnings")
    print("warnings.simplefilter('ignore')")
    for n in both:
        print(f"import {n}")


if __name__ == "__main__":
    main()
