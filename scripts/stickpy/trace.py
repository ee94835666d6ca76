"""Runs an application once to record what it imports (--prune-trace).

Run by the helper in a child process of the toolchain's interpreter:

    python3.X -I -S trace.py SPEC OUT

SPEC holds one `key value` line each: `path DIR` (the application's
site directories, in order), `script FILE` or `entry MOD:FUNC`, and
`args TEXT`, the command line's arguments as a shell would split them. Every module the
application imports is appended to OUT as it is imported (an audit hook,
so a run that has to be stopped still leaves its list), and what
sys.modules holds at exit.
"""

import sys


def read_spec(path):
    spec = {"path": []}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition(" ")
            if key in spec:
                spec[key].append(value)
            else:
                spec[key] = value
    return spec


def main(spec_file, out_file):
    spec = read_spec(spec_file)
    import runpy  # before the hook: the tracer's own, not the app's
    import shlex
    out = open(out_file, "a", encoding="utf-8")

    def hook(event, args):
        if event == "import":
            out.write(args[0] + "\n")
            out.flush()

    def record_all():
        out.write("".join(name + "\n" for name in sorted(sys.modules)))
        out.flush()

    sys.path[:0] = spec["path"]
    sys.argv = [spec.get("script") or spec.get("entry", "app")] + \
        shlex.split(spec.get("args", ""))
    sys.addaudithook(hook)
    try:
        if spec.get("script"):
            runpy.run_path(spec["script"], run_name="__main__")
        else:
            module, _, attrs = spec["entry"].partition(":")
            obj = __import__(module) and sys.modules[module]
            for attr in attrs.split("."):
                obj = getattr(obj, attr)
            obj()
    finally:
        record_all()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
