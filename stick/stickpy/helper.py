"""One request in, one result out: what stick asks its helper to do.

stick writes a request file and runs `python3.X -I -S stick/stickpy
REQUEST RESULT` with the toolchain's interpreter. The request's `kind`
says what to do:

  stdlib   freeze the whole stdlib (once per toolchain, cached by stick)
  project  read a project's pyproject.toml: its scripts and python
  build    one output: read the project (if any), freeze the application
           (pruning the stdlib with `prune`), describe the build

The result names the generated sources for stick to compile or assemble,
in the order their objects are linked, with paths relative to the
result's directory. The keys are listed in stick/README.md ("The helper's
request and result").
"""

import os
import sys

from . import freeze, prebuilt, request

# What the freezing interpreter has loaded changes some bytes marshal
# writes: CPython 3.13 interns a code object's qualname for good, and a
# class body's copy of it is marshalled as interned only when no equal
# string was interned before (freezing functools after `import re`
# differs). So a freeze runs with a fixed set of modules loaded: the whole
# stdlib with nothing but os, sys and marshal; an application with these
# too (what stick's freezer has always had loaded, so outputs stay
# byte-identical across versions of the helper). Everything else the
# helper needs (describe's json, hashlib, ...) is imported after the
# freeze, and what reading a project imports is unloaded again before it
# (modules_unloaded). One residue: tomllib's `typing` leaves its
# qualnames interned, so a pruned project build that freezes typing
# marshals a few of its strings differently from stick versions that
# read the project in another process (it runs the same).
APP_FREEZE_MODULES = ("argparse",)

# The application options of a `build` request, in info.json's order,
# one line each: the key (the `stick build` option's name; the option
# table in stick/cmd_build.c gives it), how the request is read
# (Request.get, .all or .flag), the freeze.App argument it sets ("not "
# inverts a flag) and, for an option info.json records, its entry there
# and what it says, read from the App (a project may have changed it).
# A new option is one line here: app_spec(), describe_options() and the
# request's keys all come from it.
APP_OPTIONS = (
    ("script", "get", "script", None),
    ("entry", "get", "entry", None),
    ("path", "all", "paths", None),
    ("allow-env", "flag", "allow_env",
     ("allow-env", lambda app: "yes" if app.allow_env else "no")),
    ("prune", "flag", "prune",
     ("prune", lambda app: "yes" if app.prune else "no")),
    ("without-source", "flag", "not with_source",
     ("source", lambda app: "no" if not app.with_source else
      "app+stdlib" if app.stdlib_source else "app")),
    ("with-stdlib-source", "flag", "stdlib_source", None),
    ("sys-executable", "get", "sys_executable",
     ("sys-executable", lambda app: app.sys_executable or "python")),
    ("tzdata", "flag", "tzdata",
     ("tzdata", lambda app: app.tzdata.version if app.tzdata else "no")),
    ("ca-bundle", "get", "ca_bundle",
     ("ca-bundle", lambda app: "embedded" if app.ca_bundle else "no")),
    ("include", "all", "includes", None),
    ("exclude", "all", "excludes", None),
    ("prune-trace", "all", "traces", None),
)
APP_KEYS = tuple(key for key, _, _, _ in APP_OPTIONS)

# The App fields of options the helper applies itself, around the freeze
# (freeze.App takes no argument for them): what sys.executable runs, a
# setting in the application's table; the tzdata package, made from the
# `tool tzdata` line's tree and added to the application's paths.
HELPER_FIELDS = ("sys_executable", "tzdata")

# The keys each kind of request may hold.
KEYS = {
    "stdlib": ("kind", "stdlib", "work"),
    "project": ("kind", "project", "tool-provides"),
    "build": ("kind", "work", "output", "output-kind", "embed", "manifest",
              "patches", "stick-version", "python", "libc", "linker",
              "stdlib-modules", "project", "project-script",
              "project-backend", "extensions-result", "ext-table",
              "include-tests", "tzdata-source") + APP_KEYS,
}


def run_stdlib(req):
    work = req.need("work")
    root = req.need("stdlib")
    count, line = freeze.write_stdlib(root, freeze.collect(root), work)
    print(line)
    return [("stdlib-modules", count), ("compile", "frozen.c"),
            ("assemble", "blob.S")]


def run_project(req):
    from . import project
    p = project.Project(os.path.abspath(req.need("project")),
                        pinned=project.pinned_names(req))
    print(p.summary())
    result = [("python", p.python)] if p.python else []
    if p.backend:
        result.append(("backend", p.backend))
    if p.prune:
        result.append(("prune", ""))
    if p.has_dependencies():
        result.append(("dependencies", ""))
    return result + [("project-script", f"{name} {entry}")
                     for name, entry in p.scripts.items()] + \
        [("sdist", path) for path in p.sdists]


def app_options(req):
    """freeze.App's arguments from the request's APP_OPTIONS."""
    args = {}
    for key, how, field, _ in APP_OPTIONS:
        value = getattr(req, how)(key)
        if field.startswith("not "):
            field, value = field[4:], not value
        args[field] = value
    return args


def app_spec(req, work):
    """The App a build request describes, a project's settings merged in:
    its paths before the request's, its includes and excludes after."""
    args = app_options(req)
    own = {field: args.pop(field) for field in HELPER_FIELDS}
    app = freeze.App(req.need("embed"),
                     library=req.need("output-kind") == "library",
                     work=work, **args)
    app.sys_executable = own["sys_executable"]
    app.tzdata = None
    if req.get("project"):
        with modules_unloaded():
            read_project(req, work, app)
    if own["tzdata"]:
        with modules_unloaded():
            add_tzdata(req, work, app)
    return app


def add_tzdata(req, work, app):
    """--tzdata: the tzdata package, compiled from the pinned IANA
    source (the request's `tzdata-source` line), becomes one of the app's
    paths; --prune keeps it (zoneinfo finds it by a computed name)."""
    from . import tzdata
    line = req.get("tzdata-source")
    if not line:
        raise request.HelperError("--tzdata: the request has no "
                                  "`tzdata-source` line")
    app.tzdata = tzdata.build(line, os.path.join(work, "tzdata-site"))
    app.paths.append(app.tzdata.site)
    app.includes.append("tzdata")


def app_config(app):
    """The table's settings of the options the helper applies itself."""
    if app.sys_executable == "app":
        return [(freeze.KIND_CONFIG, "sys_executable", b"app")]
    return []


def read_project(req, work, app):
    """Merges the project's script and settings into app, its packages
    staged under work."""
    from . import project
    p = project.Project(os.path.abspath(req.get("project")),
                        use_backend=req.flag("project-backend"))
    name = req.need("project-script")
    if name not in p.scripts:
        raise project.ProjectError(f"{p.dir}/pyproject.toml: no script "
                                   f"'{name}' in [project.scripts]")
    print(p.summary())
    if p.backend:
        # Its wheel's site is among the request's paths (the extensions
        # step built it): the entry point is the one the wheel declares.
        app.entry = p.wheel_entry(name, app.paths)
        app.paths = p.paths + app.paths
    else:
        app.entry = p.scripts[name]
        app.paths = [p.stage(work)] + p.paths + app.paths
    app.includes += p.includes
    app.excludes += p.excludes
    app.prune = app.prune or p.prune


class modules_unloaded:
    """Unloads the modules imported inside the with block (the project's
    tomllib, shutil, ...) and collects them, back to the pinned set of
    loaded modules before the freeze (see APP_FREEZE_MODULES)."""

    def __enter__(self):
        self.before = set(sys.modules)

    def __exit__(self, *exc):
        import gc
        for name in set(sys.modules) - self.before:
            del sys.modules[name]
        gc.collect()


def describe_options(req, app):
    """The build options info.json records."""
    options = {"python": req.need("python"), "libc": req.need("libc")}
    kind = req.need("output-kind")
    # As always: a library records them when it has application paths.
    if kind == "application" or (kind == "library" and req.all("path")):
        for _, _, _, info in APP_OPTIONS:
            if info:
                options[info[0]] = info[1](app)
    if kind == "interpreter" and req.flag("include-tests"):
        options["tests"] = "embedded"
    return options


def extensions_result(req):
    """The `extensions` step's result, whose file the request names:
    its package, extension, clib and dist lines describe the build. Read
    after the freeze (see APP_FREEZE_MODULES)."""
    path = req.get("extensions-result")
    return request.Request.read(path) if path else request.Request([])


def pruned_extensions(req, analysis, work):
    """--prune: an extension is kept when a kept module imports it (or its
    top-level package is kept). When some are left out, a smaller table
    replaces the `extensions` step's one (`ext-table`) and their objects
    leave the link (`drop-object`)."""
    lines = [e.split(" ") for e in extensions_result(req).all("extension")]
    tops = analysis.app_tops()
    kept = [(d, o) for d, _, o in lines
            if d in analysis.found or d.split(".")[0] in tops]
    if len(kept) == len(lines):
        return []
    from . import extensions
    with open(os.path.join(work, "exttab.c"), "w") as f:
        f.write(extensions.exttab_source(kept))
    print(f"--prune: {len(lines) - len(kept)} of {len(lines)} C extensions "
          "left out")
    return [("drop-object", req.need("ext-table"))] + \
        [("drop-object", o) for d, _, o in lines if (d, o) not in kept] + \
        [("compile", "exttab.c")]


def run_build(req):
    import importlib
    for name in APP_FREEZE_MODULES:
        importlib.import_module(name)
    work, kind = req.need("work"), req.need("output-kind")
    result, entries, app, pruned = [], None, None, None
    stdlib_count = req.get("stdlib-modules")
    stdlib_count = int(stdlib_count) if stdlib_count else None
    if kind != "interpreter":
        app = app_spec(req, work)
        prebuilt.check_path_dirs(app.paths, request.HelperError)
        entries, count, analysis = freeze.collect_app(app)
        entries += app_config(app)
        freeze.write_app(work, entries)
        if analysis:
            stdlib_count, note = freeze.write_pruned(work, analysis)
            pruned = {"stdlib": [freeze.module_name(rel)[0] for rel in
                                 analysis.stdlib_files()],
                      "builtin": analysis.linked_builtins()}
            result += pruned_extensions(req, analysis, work)
            result += [("note", n) for n in analysis.notes]
            result += [("note", note), ("compile", "stdlib/frozen.c"),
                       ("assemble", "stdlib/blob.S"), ("compile", "config.c")]
        print(f"{count} application modules, {len(entries)} entries")
        result += [("compile", "app.c"), ("assemble", "appblob.S"),
                   ("app-modules", count)]
    elif req.flag("include-tests"):
        entries, count = freeze.collect_tests(os.path.dirname(os.__file__),
                                              req.need("embed"))
        freeze.write_app(work, entries)
        print(f"{count} test modules, {len(entries)} entries")
        result += [("compile", "app.c"), ("assemble", "appblob.S")]
    import json
    from . import describe
    with open(req.need("manifest")) as f:
        manifest = json.load(f)
    info = describe.build_info(
        manifest, kind, req.need("stick-version"), req.get("patches"),
        describe_options(req, app or freeze.App(None)), stdlib_count,
        None if entries is None else
        [(freeze.KIND_PREFIX[k], n, d) for k, n, d in entries], pruned,
        req.get("linker"))
    ext = extensions_result(req)
    describe.add_extensions(info, ext.all("package"), ext.all("extension"),
                            ext.all("clib"))
    describe.add_distributions(info, ext.all("dist"))
    describe.add_build_requirements(info, ext.all("build-requirement"))
    if app is not None and app.tzdata:
        describe.add_tzdata(info, app.tzdata.describe())
    describe.write(work, info, os.path.basename(req.need("output")))
    if stdlib_count is not None:
        result.append(("stdlib-modules", stdlib_count))
    return result + [("info-json", "info.json"), ("info-txt", "info.txt"),
                     ("sbom-draft", "sbom.json"),
                     ("sbom-output-digest", describe.OUTPUT_DIGEST)]


def run_extensions(req):
    """C extensions built from sdists (stickpy.extensions), in a helper
    process of their own: what it imports never reaches a freeze. Its
    archives are named in this run's STICK_HOME (from_request maps them
    with stickpy.util.home_clib_path)."""
    from . import extensions
    return extensions.from_request(req)


RUN = {"stdlib": run_stdlib, "project": run_project, "build": run_build,
       "extensions": run_extensions}


def main(argv):
    if len(argv) != 2:
        print("usage: python3 -I -S stick/stickpy REQUEST RESULT",
              file=sys.stderr)
        return 2
    try:
        req = request.Request.read(argv[0])
        kind = req.need("kind")
        if kind not in RUN:
            raise request.RequestError(f"{argv[0]}: unknown kind '{kind}'")
        if kind == "extensions":
            from .extensions import REQUEST_KEYS
            req.check_keys(REQUEST_KEYS)
        else:
            req.check_keys(KEYS[kind])
        result = RUN[kind](req)
        request.write(argv[1], result)
    except request.HelperError as e:
        print(e, file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError) as e:
        print(f"stickpy: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    return 0
