"""Import analysis for `stick build --prune` (used by stickpy.freeze).

Finds what an application needs by parsing sources with ast, never by
running them: the stdlib modules to freeze, the application's top-level
packages to keep, and the built-in C modules to link (an inittab without
the others, so the linker leaves them and their libraries out).
"""

import ast
import os
import sys

from .request import HelperError
from .util import EXCLUDED_DIRS, module_name

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


# Imports that only run in interactive use, or lazily for a feature the
# application would import itself; an application that imports these
# modules itself still gets them.
WEAK_IMPORTS = {
    "site": ("_pyrepl", "rlcompleter", "readline"),
    "_sitebuiltins": ("pydoc",),
    # Only for tracemalloc users (who import it), inside a try that
    # catches any Exception.
    "warnings": ("tracemalloc",),
    # Lazy on purpose, to keep email out of its importers.
    "importlib._bootstrap_external": ("importlib.metadata",
                                      "importlib.readers"),
}


def never_runs(test, is_main=False):
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
        return right.value == "__main__" and not is_main
    if isinstance(left, ast.Attribute) and left.attr == "platform" and \
            isinstance(left.value, ast.Name) and left.value.id == "sys":
        return right.value in ("win32", "darwin", "cygwin", "emscripten",
                               "wasi", "ios", "android")
    return False


# What built-in C modules import from Python code (PyImport_ImportModule
# and friends in CPython's Modules/), invisible to the analysis of
# sources; and the attribute reads of built-in functions that do.
BUILTIN_IMPORTS = {
    "_decimal": ("numbers", "collections", "collections.abc",
                 "_pydecimal"),
    "_pickle": ("_compat_pickle", "copyreg", "codecs", "functools"),
    "_operator": ("functools",),
    "_sre": ("re",),
    "_zoneinfo": ("io", "pickle", "weakref", "zoneinfo._tzpath",
                  "zoneinfo._common"),
    "_elementtree": ("copy", "pyexpat", "xml.etree.ElementPath"),
    "_sqlite3": ("functools",),
    "_asyncio": ("asyncio",),
    "_curses": ("curses",),
    "_ctypes": ("ctypes",),
}
# Extension modules built from source (--sdist, requirements) that import
# stdlib modules from C or Cython code, where the analysis of Python
# sources cannot see it: numpy 2.2's (PyImport_ImportModule in
# _core/src/multiarray/methods.c; the module-level imports of
# numpy/random/*.pyx).
EXTENSION_IMPORTS = {
    "numpy._core._multiarray_umath": ("copy", "pickle"),
    "numpy.random.bit_generator": ("abc", "itertools", "re", "secrets",
                                   "threading"),
    "numpy.random._common": ("collections",),
    "numpy.random._generator": ("collections.abc", "operator", "warnings"),
    "numpy.random.mtrand": ("collections.abc", "operator", "warnings"),
    "numpy.random._mt19937": ("operator",),
}
ATTRIBUTE_IMPORTS = {
    "strptime": ("_strptime",),  # time.strptime, datetime.strptime
}

# Imports that run only for some data, and the test of the kept code that
# tells whether that data can occur: unicodedata (0.7 MB) looks up
# \N{NAME} escapes in regular expressions and measures the width of
# non-ASCII source lines in tracebacks.
GATED_IMPORTS = {
    ("re._parser", "unicodedata"): "named_escapes",
    ("traceback", "unicodedata"): "non_ascii_source",
}

# Codecs that turn bytes into bytes, left to --include (their names are
# common words).
TRANSFORM_CODECS = {"base64_codec", "bz2_codec", "hex_codec", "quopri_codec",
                    "rot_13", "uu_codec", "zlib_codec"}

# Calls whose constant string argument names a module to import.
IMPORT_CALLS = {"import_module", "__import__", "resolve_name", "find_spec",
                "import_fresh_module", "get_loader", "find_loader"}


class Region:
    """The code of one trigger: what it imports, which names and
    attributes it references, the strings it passes to calls."""

    def __init__(self):
        self.imports = []     # absolute module names
        self.refs = set()     # triggers this code fires
        self.strings = []     # (called name, constant string argument)
        self.fallbacks = []   # (modules tried, region key of the handler)


def call_name(func):
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def top_level_names(tree):
    """The names a module binds at its top level (also inside if, try,
    with and for); reading any other attribute of the module runs its
    __getattr__."""
    names, todo = set(), list(tree.body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            names.add(node.name)
            continue
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.stmt):
                todo.append(child)
            elif isinstance(child, ast.alias):
                names.add((child.asname or child.name).split(".")[0])
            else:
                names.update(n.id for n in ast.walk(child)
                             if isinstance(n, ast.Name) and
                             isinstance(n.ctx, ast.Store))
    return names


# Handlers that catch more than ImportError and are still an import's
# fallback, by module: zoneinfo's `except (ImportError, AttributeError)`
# (CPython 3.13.15; AttributeError when datetime is pure Python, without
# the C API of _datetime, which every stick toolchain builds in).
FALLBACK_ALSO = {"zoneinfo": {"AttributeError"}}
IMPORT_ERRORS = ("ImportError", "ModuleNotFoundError")


def is_import_error(node, also=frozenset()):
    """Whether an except clause's type catches import failures only
    (also: other exception names this module's clause may add)."""
    names = node.elts if isinstance(node, ast.Tuple) else [node]
    return all(isinstance(n, ast.Name) and
               (n.id in IMPORT_ERRORS or n.id in also) for n in names) and \
        any(n.id in IMPORT_ERRORS for n in names)


def imported_modules(stmt, facts):
    """The modules an import statement needs (not the names it takes
    from them)."""
    if isinstance(stmt, ast.Import):
        return [a.name for a in stmt.names]
    if isinstance(stmt, ast.ImportFrom):
        base = facts.absolute(stmt)
        return [base] if base else []
    return []


def compared_names(test, arg):
    """["X"] for `arg == "X"`, ["X", "Y"] for `arg in ("X", "Y")`, else
    None."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and
            isinstance(test.left, ast.Name) and test.left.id == arg):
        return None
    right = test.comparators[0]
    if isinstance(test.ops[0], ast.Eq):
        values = [right]
    elif isinstance(test.ops[0], ast.In) and \
            isinstance(right, (ast.Tuple, ast.List, ast.Set)):
        values = right.elts
    else:
        return None
    if all(isinstance(v, ast.Constant) and isinstance(v.value, str)
           for v in values):
        return [v.value for v in values]
    return None


class ModuleFacts:
    """What one module does, split by trigger. Region None runs when the
    module is imported; ("f", MODULE, NAME) is the body of a module-level
    function, run once something references MODULE.NAME; ("a", NAME) is
    the body of a method, run once any kept code reads an attribute NAME.
    Nested functions belong to the region that defines them; dunder
    methods run with the module (operators, with, str() call them).
    Code under a __main__ guard (unless the module is the main script),
    `if False:`, `if TYPE_CHECKING:` or another platform's branch never
    runs."""

    def __init__(self, tree, name, package, is_main=False, deep=False):
        self.name, self.package, self.is_main = name, package, is_main
        self.deep = deep            # every function counts as called
        self.regions = {}
        self.bound = {}             # local name -> module it is bound to
        self.reexports = []         # (name here, module, name there)
        self.stars = []             # modules re-exported with import *
        self.dynamic = False        # getattr(x, <computed name>) is used
        self.named_escapes = False  # a string holds a \N{...} escape
        self.words = set()          # short strings (codec names, ...)
        self.defined = top_level_names(tree)
        self.constants = {
            t.id: n.value.value for n in tree.body
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Constant)
            and isinstance(n.value.value, str)
            for t in n.targets if isinstance(t, ast.Name)}
        self.visit_body(tree.body, None)

    def region(self, key):
        if key not in self.regions:
            self.regions[key] = Region()
        return self.regions[key]

    def visit_body(self, nodes, key, cls=None):
        for node in nodes:
            self.visit(node, key, cls)

    def visit(self, node, key, cls=None):
        if isinstance(node, ast.If) and never_runs(node.test, self.is_main):
            self.visit_body(node.orelse, key, cls)
            return
        if getattr(node, "type_params", None) or \
                type(node).__name__ == "TypeAlias":
            # `class C[T]`, `type X = ...`: the interpreter imports typing
            self.region(key).imports.append("typing")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            self.visit_def(node, key, cls)
            return
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            return  # a docstring
        if isinstance(node, ast.Try) and self.visit_try(node, key, cls):
            return
        if isinstance(node, ast.ClassDef):
            for child in node.bases + node.keywords + node.decorator_list:
                self.visit(child, key)
            self.visit_body(node.body, key, cls or node.name)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.visit_import(node, key)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            if node.id in self.defined:
                self.region(key).refs.add(("f", self.name, node.id))
            if node.id in self.bound:
                self.region(key).refs.add(("escape", self.bound[node.id]))
        elif isinstance(node, ast.Attribute):
            self.visit_attribute(node, key)
            if isinstance(node.value, ast.Name):
                # name.attr: a module bound to name is not used as a value
                if node.value.id in self.defined:
                    self.region(key).refs.add(("f", self.name,
                                               node.value.id))
                return
        elif isinstance(node, ast.Call):
            self.visit_call(node, key)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            self.visit_string(node.value)
        for child in ast.iter_child_nodes(node):
            self.visit(child, key)

    def visit_try(self, node, key, cls):
        """`try: import A` / `except ImportError: import B`: B only when
        the build lacks A (random falls back to hashlib without _sha2).
        False when the handlers catch anything else."""
        catches = [h.type for h in node.handlers]
        also = FALLBACK_ALSO.get(self.name, frozenset())
        if not catches or not all(is_import_error(t, also) for t in catches):
            return False
        tried = [n for stmt in node.body for n in imported_modules(stmt,
                                                                   self)]
        if not tried:
            return False
        self.visit_body(node.body, key, cls)
        for i, handler in enumerate(node.handlers):
            sub = ("except", self.name, key, i, handler.lineno)
            self.region(sub)
            self.visit_body(handler.body, sub, cls)
            self.region(key).fallbacks.append((tried, sub))
        self.visit_body(node.orelse + node.finalbody, key, cls)
        return True

    def visit_string(self, text):
        if self.name.split(".")[0] != "re":  # re's own messages
            self.named_escapes = self.named_escapes or "\\N{" in text
        if 2 <= len(text) <= 30 and text.replace("-", "_").replace(
                ".", "_").replace("_", "a").isalnum():
            self.words.add(text)

    def visit_def(self, node, key, cls):
        """A function's body is its own region: ("f", MODULE, NAME) for a
        module-level function; for a method of a module-level class,
        ("f", MODULE, CLASS) when it is a dunder (it runs once the class
        is used), else ("m", MODULE, CLASS, NAME), which runs once both
        the class and an attribute of that name are referenced."""
        for child in node.decorator_list + node.args.defaults + \
                [d for d in node.args.kw_defaults if d is not None]:
            self.visit(child, key)
        if key is not None or self.deep:
            inner = key
        elif cls is None and node.name == "__dir__":
            inner = None  # dir() of the module calls it
        elif cls is None:
            inner = ("f", self.name, node.name)
        elif node.name.startswith("__") and node.name.endswith("__"):
            inner = ("f", self.name, cls)
        else:
            inner = ("m", self.name, cls, node.name)
        if inner == ("f", self.name, "__getattr__") and node.args.args:
            self.visit_getattr(node, inner)
        else:
            self.visit_body(node.body, inner)

    def visit_getattr(self, node, key):
        """A module's __getattr__: the body of `if name == "X":` (or
        `name in ("X", "Y")`) runs only when MODULE.X is read, as in
        concurrent.futures, which imports multiprocessing only for
        ProcessPoolExecutor."""
        arg = node.args.args[0].arg
        for stmt in node.body:
            names = isinstance(stmt, ast.If) and compared_names(stmt.test, arg)
            if not names:
                self.visit(stmt, key)
                continue
            for name in names:
                self.visit_body(stmt.body, ("f", self.name, name))
            self.visit_body(stmt.orelse, key)

    def visit_attribute(self, node, key):
        region = self.region(key)
        region.refs.add(("a", node.attr))
        parts, value = [node.attr], node.value
        while isinstance(value, ast.Attribute):
            parts.append(value.attr)
            value = value.value
        if isinstance(value, ast.Name) and value.id in self.bound:
            dotted = [self.bound[value.id]] + parts[::-1]
            for i in range(1, len(dotted)):
                region.refs.add(("f", ".".join(dotted[:i]), dotted[i]))

    def visit_call(self, node, key):
        name = call_name(node.func)
        if name == "getattr" and len(node.args) >= 2 and \
                not isinstance(node.args[1], ast.Constant):
            self.dynamic = True
        values = node.args[:2] + [k.value for k in node.keywords
                                  if k.arg != "blocked"]
        for k in node.keywords:
            if k.arg == "blocked" and isinstance(k.value, (ast.List, ast.Tuple)):
                for item in k.value.elts:
                    text = self.string_value(item)
                    if text is not None:
                        self.region(key).strings.append(("(blocked)", text))
        for arg in values:
            items = arg.elts if isinstance(arg, (ast.List, ast.Tuple)) \
                else [arg]
            for item in items:
                text = self.string_value(item)
                if text is not None:
                    self.region(key).strings.append((name, text))

    def string_value(self, node):
        """A string constant, or a name bound to one at the top level
        (TESTS = "test.datetimetester"), else None."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return self.constants.get(node.id)
        return None

    def visit_import(self, node, key):
        region = self.region(key)
        if isinstance(node, ast.Import):
            for a in node.names:
                region.imports.append(a.name)
                local = a.asname or a.name.split(".")[0]
                self.bound[local] = a.name if a.asname else local
            return
        base = self.absolute(node)
        if not base:
            return
        region.imports.append(base)
        for a in node.names:
            if a.name == "*":
                if key is None:
                    self.stars.append(base)
                continue
            region.imports.append(f"{base}.{a.name}")
            region.refs.add(("f", base, a.name))
            self.bound.setdefault(a.asname or a.name, f"{base}.{a.name}")
            if key is None:
                self.reexports.append((a.asname or a.name, base, a.name))

    def absolute(self, node):
        base = node.module or ""
        if node.level:
            parts = self.package.split(".") if self.package else []
            if node.level > 1:
                parts = parts[:len(parts) - node.level + 1]
            base = ".".join(p for p in parts + [base] if p)
        return base


# How long a --prune-trace run may take before it is stopped (what it
# imported until then is kept).
TRACE_SECONDS = 120


def trace_imports(app, args, work, index, notes):
    """The modules the application imports when run once, at build time,
    by this interpreter with args as its command line (--prune-trace):
    stick/stickpy/trace.py in a child process, stdin from /dev/null.
    What the user should know of the run is appended to notes."""
    import time
    import shlex
    try:
        words = shlex.split(args)
    except ValueError as e:
        raise HelperError(f"--prune-trace '{args}': {e} (quote the "
                          "arguments as a shell would)") from None
    spec = os.path.join(work, f"trace-{index}.spec")
    out = os.path.join(work, f"trace-{index}.modules")
    lines = [f"path {p}" for p in app.paths]
    lines += [f"arg {word}" for word in words]
    lines.append(f"script {app.script}" if app.script else
                 f"entry {app.entry}")
    with open(spec, "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in lines))
    open(out, "w").close()
    tracer = os.path.join(os.path.dirname(__file__), "trace.py")
    print(f"--prune-trace: running the application with '{args}'",
          flush=True)
    pid = os.posix_spawn(sys.executable, [sys.executable, "-I", "-S", tracer,
                                          spec, out], os.environ,
                         file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull,
                                        os.O_RDONLY, 0)])
    deadline = time.monotonic() + TRACE_SECONDS
    while not (done := os.waitpid(pid, os.WNOHANG))[0]:
        if time.monotonic() > deadline:
            notes.append(f"--prune-trace: the run with '{args}' was "
                         f"stopped after {TRACE_SECONDS} s; what it "
                         "imported until then is kept")
            os.kill(pid, 9)
            os.waitpid(pid, 0)
            break
        time.sleep(0.02)
    else:
        status = os.waitstatus_to_exitcode(done[1])
        if status:
            notes.append(f"--prune-trace: the run with '{args}' exited "
                         f"with status {status}; what it imported until "
                         "then is kept (check the arguments if that was "
                         "not meant)")
    with open(out, encoding="utf-8") as f:
        return sorted({line.strip() for line in f if line.strip()})


class Analysis:
    """Import analysis (of the sources, with ast) from the application's
    roots: the top-level app packages to keep (whole: plugins are often
    imported by name), the stdlib files to freeze and the built-in C
    modules to link."""

    def __init__(self, args, modules, files, namespaces=None):
        self.args, self.app_modules, self.files = args, modules, files
        # The application's namespace packages (freeze.scan_paths).
        self.app_namespaces = namespaces or {}
        self.stdlib = os.path.dirname(os.__file__)
        self.path = [self.stdlib] + args.paths
        self.found = {}       # name -> file, None for a built-in, ""
        #                       for a namespace package
        self.namespaces = {}  # name -> directories of a namespace package
        self.missing = set()
        self.why = {}         # name -> the module that imported it first
        self.facts = {}       # name -> ModuleFacts of a scanned module
        self.fired = set()    # triggers some kept code references
        self.pending = {}     # trigger -> [(facts, region key)]
        self.queue = []       # (facts, region key) to follow
        self._optional = None  # optional_builtins(), once read
        self._builtins = None  # output_builtins(), once read
        self.fired_names = {}  # module -> names of it referenced
        self.gated = {}       # module -> tests of GATED_IMPORTS
        self.blocked = set()  # modules tests block to run fallbacks
        self.untaken = []     # (facts, handler, tried) fallbacks not run
        self.run()

    def locate(self, name):
        """The file of module name, None for a built-in, the list of its
        directories for a namespace package (PEP 420), or False."""
        from importlib.machinery import PathFinder
        parent, _, leaf = name.rpartition(".")
        if not parent:
            if name in self.output_builtins():
                return None
            # The stdlib's test, idlelib, ... are never frozen: an
            # application's package of that name is the one it gets.
            path = self.args.paths if name in EXCLUDED_DIRS else self.path
        elif parent in self.namespaces:
            path = self.namespaces[parent]
        else:
            pfile = self.found.get(parent)
            if not pfile or not pfile.endswith("__init__.py"):
                return False
            path = [os.path.dirname(pfile)]
        spec = PathFinder.find_spec(leaf, path)
        if spec is not None and spec.loader is None:
            # Only the application's namespace packages are embedded.
            if name not in self.app_namespaces:
                return False
            return list(spec.submodule_search_locations)
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
            for imported in EXTENSION_IMPORTS.get(name, ()):
                self.add(imported, name)
            return
        if isinstance(where, list):
            self.namespaces[name], where = where, ""
        self.found[name] = where
        self.why[name] = importer
        if where:
            self.scan(name, where)
        for imported in BUILTIN_IMPORTS.get(name, ()) if where is None \
                else ():
            self.add(imported, name)

    def is_deep(self, path):
        """Whether every function of the module counts as called: yes for
        the application's own code (kept whole); the stdlib's functions
        and methods count once something references them."""
        return not path.startswith(os.path.join(self.stdlib, ""))

    def scan(self, name, path, is_main=False):
        with open(path, "rb") as f:
            try:
                tree = ast.parse(f.read())
            except SyntaxError:
                return  # reported when the module is compiled
        package = name if path.endswith("__init__.py") else \
            name.rpartition(".")[0]
        facts = ModuleFacts(tree, name, package, is_main or name == "__main__",
                            self.is_deep(path))
        if path.endswith("__init__.py"):
            # Submodules are attributes of their package once imported.
            for entry in os.listdir(os.path.dirname(path)):
                facts.defined.add(entry[:-3] if entry.endswith(".py")
                                  else entry)
        self.facts[name] = facts
        for key, region in facts.regions.items():
            if name.startswith("_stick"):
                # stick's own modules import multiprocessing by name on
                # purpose: only an application that uses it needs it.
                region.strings.clear()
            if key is not None and key[0] == "m" and not facts.dynamic:
                self.wait_method(facts, key)
            elif key is None or key in self.fired or key[0] == "m":
                self.queue.append((facts, key))
            else:
                self.pending.setdefault(key, []).append((facts, key))
        for fired in sorted(self.fired_names.get(name, ())):
            self.fire_module_attribute(facts, fired)
        if ("escape", name) in self.fired:
            self.module_escapes(name)
        for local, module, there in facts.reexports:
            self.pending.setdefault(("f", name, local), []).append(
                ("f", module, there))
            if ("f", name, local) in self.fired:
                self.fire(("f", module, there))

    def fire_module_attribute(self, facts, name):
        """MODULE.name was referenced: names re-exported with import *
        come from the modules they were imported from, names the module
        does not define from its __getattr__."""
        for module in facts.stars:
            self.fire(("f", module, name))
        if name not in facts.defined:
            self.fire(("f", facts.name, "__getattr__"))

    def module_escapes(self, name):
        """Module name is used as a value (passed, stored, returned, or
        imported by a computed name): its functions may be called as
        attributes of anything, obj.func(), so reading an attribute of a
        function's name runs it."""
        facts = self.facts.get(name)
        for key in facts.regions if facts else ():
            if key and key[0] == "f" and key[1] == name:
                self.pending.setdefault(("a", key[2]), []).append(key)
                if ("a", key[2]) in self.fired:
                    self.fire(key)

    def wait_method(self, facts, key):
        """A method runs once its class is used and some code reads an
        attribute of its name (obj.name, super().name)."""
        conditions = [("f", key[1], key[2]), ("a", key[3])]
        if all(c in self.fired for c in conditions):
            self.queue.append((facts, key))
            return
        for c in conditions:
            self.pending.setdefault(c, []).append((facts, key))

    def fire(self, trigger):
        if trigger in self.fired:
            return
        self.fired.add(trigger)
        if trigger[0] == "a":
            for imported in ATTRIBUTE_IMPORTS.get(trigger[1], ()):
                self.add(imported, f"(.{trigger[1]})")
        if trigger[0] == "escape":
            self.module_escapes(trigger[1])
        if trigger[0] == "f":
            self.fired_names.setdefault(trigger[1], set()).add(trigger[2])
            facts = self.facts.get(trigger[1])
            if facts:
                self.fire_module_attribute(facts, trigger[2])
        for item in self.pending.pop(trigger, ()):
            if not isinstance(item[0], ModuleFacts):
                self.fire(item)
            elif item[1][0] != "m":
                self.queue.append(item)
            elif ("f",) + item[1][1:3] in self.fired and \
                    ("a", item[1][3]) in self.fired:
                self.queue.append(item)

    def drain(self):
        while self.queue:
            facts, key = self.queue.pop()
            region = facts.regions[key]
            for ref in region.refs:
                self.fire(ref)
            for imported in region.imports:
                gate = GATED_IMPORTS.get((facts.name, imported))
                if gate:
                    self.gated.setdefault(imported, set()).add(gate)
                else:
                    self.add(imported, facts.name)
            for called, value in region.strings:
                self.add_named(called, value, facts.name)
            for tried, handler in region.fallbacks:
                if not all(name in self.found and name not in self.blocked
                           for name in tried):
                    self.queue.append((facts, handler))
                else:
                    self.untaken.append((facts, handler, tried))

    def add_named(self, called, value, importer):
        """A module named by a string: import_module("x"), __import__,
        pkgutil.resolve_name("x:y"), or any call given the name of one of
        the application's modules (template and plugin loaders)."""
        name = value.partition(":")[0] if called == "resolve_name" else value
        if not name or not all(p.isidentifier() for p in name.split(".")):
            return
        if called == "(blocked)":
            # import_fresh_module(..., blocked=[name]): the code behind
            # `except ImportError` for name runs too.
            self.blocked.add(name)
            for facts, handler, tried in self.untaken:
                if name in tried:
                    self.queue.append((facts, handler))
            return
        if called in IMPORT_CALLS or name in self.app_modules:
            self.add(name, importer)
            self.fire(("escape", name))

    def add_package(self, name):
        """name and, when it is a package, every module under it."""
        self.add(name)
        if name in self.namespaces:
            # Its portions may come from several path directories.
            for other in sorted({*self.app_modules, *self.app_namespaces}):
                if other.startswith(name + "."):
                    self.add(other)
            return
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

    def app_units(self):
        """The units of the application the build keeps (see
        package_unit): those of every application module and namespace
        package the analysis reached."""
        roots = tuple(os.path.join(p, "") for p in self.args.paths)
        return {package_unit(name, self.app_namespaces)
                for name, f in self.found.items()
                if (f and f.startswith(roots)) or
                name in self.app_namespaces}

    def app_tops(self):
        """The top-level names of app_units()."""
        return {unit.split(".")[0] for unit in self.app_units()}

    def run(self):
        args = self.args
        if args.script:
            self.scan("__main__", args.script, is_main=True)
        if args.entry:
            module, _, func = args.entry.partition(":")
            self.add(module)
            self.fire(("f", module, func.split(".")[0]))
        for name in STARTUP_MODULES + (["site"] if args.allow_env else []):
            self.add(name)
        for name in args.includes:
            self.add_package(name)
        for name in self.entry_point_modules():
            self.add(name)
        # CPython's int imports _pylong (and with it decimal) for str()
        # of ints of thousands of digits and for huge divmod; kept when
        # decimal is in anyway, else left to --include (the error says).
        self.gated.setdefault("_pylong", set()).add("uses_decimal")
        self.notes, traced = [], set()
        for i, words in enumerate(getattr(args, "traces", ())):
            traced.update(trace_imports(args, words, args.work, i,
                                        self.notes))
        self.scan("_stick_importer",
                  os.path.join(args.embed, "stick_importer.py"))
        self.scan("_stick_extras",
                  os.path.join(args.embed, "stick_extras.py"))
        self.close()
        # What the runs imported beyond what the analysis found.
        self.traced = traced - self.found.keys()
        for name in sorted(self.traced):
            self.add(name, "(--prune-trace)")
        self.close()

    def close(self):
        """Follows what was added until nothing new is found."""
        args = self.args
        resources = "_stick_resources" in self.facts
        while True:
            count = len(self.found)
            units = self.app_units()
            for name in list(self.app_modules):
                if name != "__main__" and \
                        package_unit(name, self.app_namespaces) in units:
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
            self.drain()
            self.open_gates()
            self.add_codecs()
            if len(self.found) == count:
                break

    def add_codecs(self):
        """The codecs kept code names in strings ("euc-jp", "cp437"):
        codecs are modules of the encodings package imported by name
        when first looked up. A name known only at run time needs
        --include encodings.NAME (the error says so)."""
        import encodings
        from encodings.aliases import aliases
        root = os.path.join(self.stdlib, "encodings")
        # The encodings package's own strings are its alias tables.
        words = set().union(*(f.words for n, f in self.facts.items()
                              if n.split(".")[0] != "encodings"))
        for word in sorted(w for w in words if not w.isdigit()):
            name = encodings.normalize_encoding(word).lower()
            name = aliases.get(name) or aliases.get(name.replace(".", "_")) \
                or name
            # Bytes-to-bytes transforms ("hex", "zip", "base64") are
            # common words; they need --include when used.
            if name in TRANSFORM_CODECS:
                continue
            if os.path.isfile(os.path.join(root, name + ".py")):
                self.add("encodings." + name, f"(codec '{word}')")
        self.drain()

    def open_gates(self):
        """Adds the modules of GATED_IMPORTS whose data can occur."""
        for module, gates in sorted(self.gated.items()):
            if any(getattr(self, gate)() for gate in sorted(gates)):
                self.add(module, "(" + " or ".join(sorted(gates)) + ")")
        self.drain()

    def uses_decimal(self):
        return "decimal" in self.found

    def named_escapes(self):
        """Some kept code holds a \\N{...} escape (a regular expression
        that names a character)."""
        return any(f.named_escapes for f in self.facts.values())

    def non_ascii_source(self):
        """A traceback can show a non-ASCII source line: one of the
        application's files has one, or the stdlib's sources are in."""
        if getattr(self.args, "stdlib_source", False):
            return True
        files = [f for _, f, _ in self.app_modules.values()]
        for path in files + ([self.args.script] if self.args.script else []):
            with open(path, "rb") as f:
                if not f.read().isascii():
                    return True
        return False

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
                if module_name(rel)[0] not in carried]

    def stdlib_files(self):
        root = os.path.join(self.stdlib, "")
        return sorted(os.path.relpath(f, self.stdlib)
                      for f in self.found.values()
                      if f and f.startswith(root))

    def builtins(self):
        return sorted(n for n, f in self.found.items() if f is None)

    def linked_builtins(self):
        """The built-in C modules the pruned inittab holds: every core one
        and the optional ones the application needs."""
        optional = self.optional_builtins()
        return sorted(n for n in self.output_builtins()
                      if n not in optional or n in self.found)

    def output_builtins(self):
        """The built-in C modules of the toolchain's inittab (config.c,
        read once), which outputs link: the freezing interpreter's
        sys.builtin_module_names also has the test-only modules."""
        if self._builtins is None:
            import glob
            config_dir = glob.glob(os.path.join(self.stdlib, "config-*"))[0]
            self._builtins = frozenset(inittab_names(config_dir))
        return self._builtins

    def optional_builtins(self):
        """The built-in C modules an inittab may leave out (CPython's
        Setup files, read once)."""
        if self._optional is None:
            import glob
            config_dir = glob.glob(os.path.join(self.stdlib, "config-*"))[0]
            self._optional = frozenset(setup_modules(
                config_dir, ["Setup.stdlib", "Setup.local"]))
        return self._optional

    def left_out(self, all_stdlib):
        """The stdlib modules (names from all_stdlib, the whole stdlib's
        module names) and optional built-in C modules the pruned output
        lacks: what a failed import can say was left out."""
        import _imp
        have = set(self.found) | set(_imp._frozen_module_names())
        return sorted((set(all_stdlib) | self.optional_builtins()) - have)

    def report(self, all_stdlib, app_modules):
        """One line: what --prune kept and left out."""
        stdlib = len(self.stdlib_files())
        builtins = set(self.builtins()) & self.optional_builtins()
        units = self.app_units()
        app = sum(1 for n in app_modules if n != "__main__" and
                  package_unit(n, self.app_namespaces) in units)
        total_app = sum(1 for n in app_modules if n != "__main__")
        traced = len(self.traced & set(self.found))
        return (f"--prune kept {stdlib} of {len(all_stdlib)} stdlib "
                f"modules, {app} of {total_app} application modules, "
                f"{len(builtins)} of {len(self.optional_builtins())} "
                "optional built-in C modules" +
                (f" ({traced} found only by --prune-trace)" if traced else ""))


def package_unit(name, namespaces):
    """What --prune keeps or leaves out together with module name: its
    outermost package that is no namespace package (all of a regular
    package goes together, but google.protobuf and google.api, two
    distributions' portions of the namespace google, do not), or name
    itself when it and every package above it are namespaces."""
    parts = name.split(".")
    for i in range(1, len(parts) + 1):
        prefix = ".".join(parts[:i])
        if prefix not in namespaces:
            return prefix
    return name


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


def inittab_names(config_dir):
    """The module names of the inittab in config_dir/config.c."""
    with open(os.path.join(config_dir, "config.c")) as f:
        return [line.strip()[2:].split('"')[0] for line in f
                if line.strip().startswith('{"')]


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
