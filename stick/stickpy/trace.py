"""Runs an application once to record what it imports (--prune-trace).

Run by the helper in a child process of the toolchain's interpreter:

    python3.X -I -S trace.py SPEC OUT

SPEC holds one `key value` line each: `path DIR` (the application's
site directories, in order), `script FILE` or `entry MOD:FUNC`, and
`arg WORD` for each word of the application's command line. Every
module the application imports is appended to OUT as it is imported (an
audit hook, so a run that has to be stopped still leaves its list), and
what sys.modules holds at exit beyond the start-up modules.

The tracer itself imports nothing beyond what the interpreter's start-up
already has (no runpy, no shlex), and leaves out what start-up imported:
what it records is what the application imported.
"""

import sys


def read_spec(path):
    spec = {"path": [], "arg": []}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            if key in spec:
                spec[key].append(value)
            else:
                spec[key] = value
    return spec


def run_script(path):
    """Runs path as __main__, as runpy.run_path does for a file."""
    main = type(sys)("__main__")
    main.__file__ = path
    main.__cached__ = None
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    with open(path, "rb") as f:
        code = compile(f.read(), path, "exec")
    exec(code, main.__dict__)


def run_entry(entry):
    """Calls MOD:FUNC as a console_scripts wrapper does."""
    module, _, attrs = entry.partition(":")
    __import__(module)
    obj = sys.modules[module]
    for attr in attrs.split("."):
        obj = getattr(obj, attr)
    return obj()


def main(spec_file, out_file):
    # The interpreter's own start-up modules (zipimport, for one) are not
    # the application's: an output starts up without some of them, and
    # the analysis keeps those that outputs need.
    startup = set(sys.modules)
    spec = read_spec(spec_file)
    out = open(out_file, "a", encoding="utf-8")

    def hook(event, args):
        if event == "import":
            out.write(args[0] + "\n")
            out.flush()

    sys.path[:0] = spec["path"]
    sys.argv = [spec.get("script") or spec.get("entry", "app")] + spec["arg"]
    sys.addaudithook(hook)
    try:
        if spec.get("script"):
            run_script(spec["script"])
        else:
            sys.exit(run_entry(spec["entry"]))
    finally:
        out.write("".join(name + "\n" for name in
                          sorted(sys.modules.keys() - startup)))
        out.flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
