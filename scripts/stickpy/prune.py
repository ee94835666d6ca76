"""Import analysis for `stick build --prune` (used by stickpy.freeze).

Finds what an application needs by parsing sources with ast, never by
running them: the stdlib modules to freeze, the application's top-level
packages to keep, and the built-in C modules to link (an inittab without
the others, so the linker leaves them and their libraries out).
"""

import os
import sys

# Imported by CPython itself at start-up, or by name at run time where
# import analysis cannot see it.
STARTUP_MODULES = [
    "traceback", "warnings", "encodings", "encodings.aliases",
    "encodings.ascii", "encodings.latin_1", "encodings.utf_8",
    "encodings.utf_8_sig", "encodings.utf_16", "encodings.utf_32",
    "encodings.raw_unicode_escape", "encodings.unicode_escape",
]
IMPLICIT_IMPORTS = {
    "xml.sax": ["xml.sax.expatreader"],
    "dbm": ["dbm.dumb", "dbm.sqlite3"],
    "socket": ["encodings.idna"],  # host names, encoded by C code
}


# Stdlib modules whose lazy imports (inside functions) are followed too:
# printing a traceback goes through them.
DEEP_STDLIB = {"traceback", "linecache", "_colorize", "codecs",
               "encodings"}

# Imports that only run in interactive use, or lazily for a feature the
# application would import itself; an application that imports these
# modules itself still gets them.
WEAK_IMPORTS = {
    "site": ("_pyrepl", "rlcompleter", "readline"),
    "_sitebuiltins": ("pydoc",),
    # Only for tracemalloc users (who import it) and for the width of
    # East Asian characters in caret lines (a traceback still prints).
    "warnings": ("tracemalloc",),
    "traceback": ("unicodedata",),
    # Lazy on purpose, to keep asyncio and email out of their importers.
    "unittest": ("unittest.async_case",),
    "importlib._bootstrap_external": ("importlib.metadata",
                                      "importlib.readers"),
}


def never_runs(test):
    """True for tests whose body never runs in an application:
    `__name__ == "__main__"`, `if False:`, `if TYPE_CHECKING:` (also
    typing.TYPE_CHECKING), and comparisons of sys.platform with another
    platform's name."""
    import ast
    if isinstance(test, ast.Constant) and test.value is False:
        return True
    if isinstance(test, (ast.Name, ast.Attribute)) and \
            getattr(test, "id", getattr(test, "attr", "")) == "TYPE_CHECKING":
        return True
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and
            isinstance(test.ops[0], ast.Eq)):
        return False
    left, right = test.left, test.comparators[0]
    if not isinstance(right, ast.Constant):
        return False
    if isinstance(left, ast.Name) and left.id == "__name__":
        return right.value == "__main__"
    if isinstance(left, ast.Attribute) and left.attr == "platform" and \
            isinstance(left.value, ast.Name) and left.value.id == "sys":
        return right.value in ("win32", "darwin", "cygwin", "emscripten",
                               "wasi", "ios", "android")
    return False


def imports_of(tree, package, deep):
    """Absolute names tree imports (a from-import also names each
    imported attribute as a possible submodule), skipping code under a
    __main__ guard or another platform's branch. Unless deep, the lazy
    imports inside functions count only within the importer's own
    top-level package (a package loading its own parts)."""
    import ast
    found = []
    top = package.split(".")[0]
    todo = [(tree, False)]
    while todo:
        node, lazy = todo.pop()
        if isinstance(node, ast.If) and never_runs(node.test):
            todo.extend((n, lazy) for n in node.orelse)
            continue
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names
                      if deep or not lazy or a.name.split(".")[0] == top]
        elif isinstance(node, ast.ImportFrom) and (
                deep or not lazy or node.level or
                (node.module or "").split(".")[0] == top):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                if node.level > 1:
                    parts = parts[:len(parts) - node.level + 1]
                base = ".".join(p for p in parts + [base] if p)
            if base:
                found.append(base)
                found += [f"{base}.{a.name}" for a in node.names
                          if a.name != "*"]
        inner = lazy or isinstance(node, (ast.FunctionDef, ast.Lambda,
                                          ast.AsyncFunctionDef))
        todo.extend((n, inner) for n in ast.iter_child_nodes(node))
    return found


class Analysis:
    """Import analysis (of the sources, with ast) from the application's
    roots: the top-level app packages to keep (whole: plugins are often
    imported by name), the stdlib files to freeze and the built-in C
    modules to link."""

    def __init__(self, args, modules, files):
        self.args, self.app_modules, self.files = args, modules, files
        self.stdlib = os.path.dirname(os.__file__)
        self.path = [self.stdlib] + args.paths
        self.found = {}       # name -> file, or None for a built-in
        self.missing = set()
        self.why = {}         # name -> the module that imported it first
        self.run()

    def locate(self, name):
        """The file of module name, None for a built-in, or False."""
        from importlib.machinery import PathFinder
        parent, _, leaf = name.rpartition(".")
        if not parent:
            if name in sys.builtin_module_names:
                return None
            path = self.path
        else:
            pfile = self.found.get(parent)
            if not pfile or not pfile.endswith("__init__.py"):
                return False
            path = [os.path.dirname(pfile)]
        spec = PathFinder.find_spec(leaf, path)
        if spec is None or not spec.origin or \
                not spec.origin.endswith(".py"):
            return False
        return spec.origin

    def add(self, name, importer=None):
        if name in self.found or name in self.missing:
            return
        if name in self.args.excludes or any(
                name.startswith(w) for w in WEAK_IMPORTS.get(importer, ())):
            return
        parent = name.rpartition(".")[0]
        if parent:
            self.add(parent, importer)
            if parent not in self.found:
                return
        where = self.locate(name)
        if where is False:
            self.missing.add(name)
            return
        self.found[name] = where
        self.why[name] = importer
        if where:
            self.scan(name, where)

    def is_deep(self, name, path):
        """Whether lazy imports inside name's functions count: yes for the
        application's own code and for the modules an error report runs
        through; no for the rest of the stdlib, whose functions import
        most of the stdlib lazily."""
        if not path.startswith(os.path.join(self.stdlib, "")):
            return True
        return name.split(".")[0] in DEEP_STDLIB

    def scan(self, name, path):
        import ast
        with open(path, "rb") as f:
            try:
                tree = ast.parse(f.read())
            except SyntaxError:
                return  # reported when the module is compiled
        package = name if path.endswith("__init__.py") else \
            name.rpartition(".")[0]
        for imported in imports_of(tree, package, self.is_deep(name, path)):
            self.add(imported, name)

    def add_package(self, name):
        """name and, when it is a package, every module under it."""
        self.add(name)
        pfile = self.found.get(name)
        if not pfile or not pfile.endswith("__init__.py"):
            return
        base = os.path.dirname(pfile)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if os.path.isfile(
                os.path.join(dirpath, d, "__init__.py")))
            rel = os.path.relpath(dirpath, base)
            prefix = name if rel == "." else \
                name + "." + rel.replace(os.sep, ".")
            self.add(prefix)
            for f in sorted(filenames):
                if f.endswith(".py") and "." not in f[:-3]:
                    self.add(prefix + "." + f[:-3])

    def entry_point_modules(self):
        """The modules entry points of the embedded dist-info name:
        plugins found through importlib.metadata are roots too."""
        names = []
        for rel, full in self.files:
            if rel.count("/") != 1 or not rel.endswith("/entry_points.txt"):
                continue
            with open(full, encoding="utf-8", errors="replace") as f:
                for line in f:
                    key, eq, value = line.partition("=")
                    if eq and not line.lstrip().startswith(("#", ";", "[")):
                        module = value.split(":")[0].split("[")[0].strip()
                        if all(p.isidentifier() for p in module.split(".")):
                            names.append(module)
        return names

    def app_tops(self):
        roots = tuple(os.path.join(p, "") for p in self.args.paths)
        return {name.split(".")[0] for name, f in self.found.items()
                if f and f.startswith(roots)}

    def run(self):
        args = self.args
        if args.script:
            self.scan("__main__", args.script)
        if args.entry:
            self.add(args.entry.partition(":")[0])
        for name in STARTUP_MODULES + (["site"] if args.allow_env else []):
            self.add(name)
        for name in args.includes:
            self.add_package(name)
        for name in self.entry_point_modules():
            self.add(name)
        self.scan("_stick_importer",
                  os.path.join(args.embed, "stick_importer.py"))
        resources = False
        while True:
            count = len(self.found)
            for name in list(self.app_modules):
                if name != "__main__" and name.split(".")[0] in self.app_tops():
                    self.add(name)
            for name, extra in IMPLICIT_IMPORTS.items():
                if name in self.found:
                    for n in extra:
                        self.add(n)
            if not resources and ({"importlib.resources",
                                   "importlib.metadata"} & self.found.keys()):
                resources = True
                self.scan("_stick_resources",
                          os.path.join(args.embed, "stick_resources.py"))
            if "sysconfig" in self.found:
                import sysconfig
                self.add(sysconfig._get_sysconfigdata_name())
            if len(self.found) == count:
                break

    def chain(self, name):
        """'name <- importer <- ...' back to a root."""
        out = [name]
        while self.why.get(out[-1]) and len(out) < 50:
            out.append(self.why[out[-1]])
        return " <- ".join(out)

    def frozen_stdlib_files(self):
        """stdlib_files() without the modules CPython's own binary
        already carries frozen (os, codecs, io, abc, posixpath, ...):
        the interpreter finds those after the table stick links in, and
        an application never turns them off (-X frozen_modules is not
        parsed from its command line). importlib._bootstrap and
        _bootstrap_external are always the bootstrap's own modules."""
        import _imp
        carried = set(_imp._frozen_module_names()) | {
            "importlib._bootstrap", "importlib._bootstrap_external"}
        return [rel for rel in self.stdlib_files()
                if module_name(rel) not in carried]

    def stdlib_files(self):
        root = os.path.join(self.stdlib, "")
        return sorted(os.path.relpath(f, self.stdlib)
                      for f in self.found.values()
                      if f and f.startswith(root))

    def builtins(self):
        return sorted(n for n, f in self.found.items() if f is None)


def module_name(rel):
    """The module a stdlib file relative path defines."""
    parts = rel[:-3].split(os.sep)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def setup_modules(config_dir, files):
    """Module names declared in CPython's Setup files (the optional
    extension modules; everything else in the inittab is core)."""
    names = set()
    for name in files:
        with open(os.path.join(config_dir, name)) as f:
            for line in f:
                word = line.split("#")[0].split()
                if word and word[0].isidentifier() and "=" not in line:
                    names.add(word[0])
    return names


def inittab(stdlib, keep):
    """(config.c text, kept, dropped): the toolchain's inittab without the
    optional modules that are not in keep, so the linker leaves them (and
    the libraries only they use) out."""
    import glob
    config_dir = glob.glob(os.path.join(stdlib, "config-*"))[0]
    optional = setup_modules(config_dir, ["Setup.stdlib", "Setup.local"])
    lines, kept, dropped = [], [], []
    with open(os.path.join(config_dir, "config.c")) as f:
        for line in f:
            head = line.strip()
            if head.startswith('{"'):
                name = head[2:].split('"')[0]
                if name in optional:
                    (kept if name in keep else dropped).append(name)
                    if name not in keep:
                        continue
            lines.append(line)
    lines.insert(0, "/* generated by stick (stickpy.prune) from the "
                 "toolchain's config.c; do not edit */\n")
    return "".join(lines), kept, dropped
