"""The importer of a stick-built application (frozen into the binary).

Modules, package data and *.dist-info files live in a table inside the
executable, read through the built-in module _stick. Their paths are
virtual: <executable>/pkg/mod.py. The stdlib stays with CPython's frozen
importer, which comes first on sys.meta_path.
"""

import _frozen_importlib_external as _external
import _imp
import _stick
import marshal
import sys
# importlib.machinery.ModuleSpec, without importing importlib at start-up.
from _frozen_importlib import ModuleSpec

_PREFIX = sys.executable + "/"

# The script also answers to this name, so that multiprocessing's spawn
# and forkserver children can re-run it as __mp_main__ by importing it.
_MAIN_ALIAS = "__stick_main__"


def _entry_name(fullname):
    return "__main__" if fullname == _MAIN_ALIAS else fullname


def _config(name):
    value = _stick.get("c", name)
    return bytes(value).decode() if value is not None else ""


def _module_path(fullname, is_pkg):
    if _entry_name(fullname) == "__main__":
        return _config("script")
    return fullname.replace(".", "/") + ("/__init__.py" if is_pkg else ".py")


def _kind(fullname):
    """True for a package, False for a module, None when not embedded."""
    if "\0" in fullname:
        return None  # no such module (the table's keys are C strings)
    fullname = _entry_name(fullname)
    if _stick.get("p", fullname) is not None:
        return True
    if _stick.get("m", fullname) is not None:
        return False
    return None


def _is_namespace(fullname):
    """Whether fullname is an embedded namespace package (PEP 420)."""
    return "\0" not in fullname and _stick.get("n", fullname) is not None


def _normalized(rel):
    """rel without "." and ".." parts (doctest asks for pkg/../pkg/f.txt)."""
    parts = []
    for part in rel.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part and part != ".":
            parts.append(part)
    return "/".join(parts)


def _relative(path):
    path = str(path)
    if path.startswith(_PREFIX):
        return _normalized(path[len(_PREFIX):])
    return None


def _all_paths():
    paths = set(_stick.names("f"))
    for kind, is_pkg in (("m", False), ("p", True)):
        for name in _stick.names(kind):
            if name != "__main__" and not name.startswith("_stick_"):
                paths.add(_module_path(name, is_pkg))
    return paths


def _read_path(rel):
    """The bytes of an embedded file or module source, or None."""
    data = _stick.get("f", rel)
    if data is not None:
        return bytes(data)
    if rel.endswith(".py"):
        # pkg/__init__.py is a package's source, pkg/mod.py a module's.
        name, kind = rel[:-3].replace("/", "."), "m"
        if name.endswith(".__init__"):
            name, kind = name[:-len(".__init__")], "p"
        source = _stick.get("s", name)
        if source is not None and _stick.get(kind, name) is not None:
            return bytes(source)
    return None


# --- package data ------------------------------------------------------------
#
# Data files stay in the binary. In a musl executable the C library
# itself serves every path under _PREFIX from the table (embed/vfs.c,
# embed/vfs_wrap.c: open(), os.listdir(), os.stat(), OpenSSL's fopen()...);
# install() turns that on, and _SERVED says whether it is on. A library
# serves them through get_data and importlib.resources only.

_SERVED = False


class StickLoader:
    """Loads embedded modules; also serves their data and resources."""

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        exec(self.get_code(module.__spec__.name), module.__dict__)

    def is_package(self, fullname):
        return bool(_kind(fullname))

    def get_filename(self, fullname):
        is_pkg = _kind(fullname)
        if is_pkg is None:
            raise ImportError(f"no embedded module {fullname!r}",
                              name=fullname)
        return _PREFIX + _module_path(fullname, is_pkg)

    def get_code(self, fullname):
        data = _stick.get("p", _entry_name(fullname))
        if data is None:
            data = _stick.get("m", _entry_name(fullname))
        if data is None:
            raise ImportError(f"no embedded module {fullname!r}",
                              name=fullname)
        code = marshal.loads(data)
        _imp._fix_co_filename(code, self.get_filename(fullname))
        return code

    def get_source(self, fullname):
        source = _stick.get("s", _entry_name(fullname))
        if source is None:
            return None
        from importlib.util import decode_source
        return decode_source(bytes(source))

    def get_data(self, path):
        rel = _relative(path)
        data = _read_path(rel) if rel is not None else None
        if data is None:
            raise FileNotFoundError(2, "No such file in the executable", path)
        return data

    def get_resource_reader(self, fullname):
        if not _kind(fullname):
            return None
        from _stick_resources import StickReader
        return StickReader(fullname.replace(".", "/"))


_LOADER = StickLoader()


class StickFinder:
    """Finds embedded modules and distributions."""

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        is_pkg = _kind(fullname)
        if is_pkg is None:
            if _is_namespace(fullname):
                from _stick_extras import namespace_spec
                return namespace_spec(fullname, path)
            return None
        if fullname in ("_stick_importer", "__main__"):
            return None
        origin = _LOADER.get_filename(fullname)
        spec = ModuleSpec(fullname, _LOADER, origin=origin, is_package=is_pkg)
        spec.has_location = True
        if is_pkg:
            spec.submodule_search_locations = [origin.rpartition("/")[0]]
        return spec

    @classmethod
    def invalidate_caches(cls):
        pass

    @classmethod
    def find_distributions(cls, context=None):
        from _stick_resources import find_distributions
        return find_distributions(context)


class _FileSourceLoader(_external.FileLoader, _external.SourceLoader):
    """A module that is a source file inside the executable but no
    embedded module: a .py file in a directory put on sys.path (pytest's
    rootdir, regrtest's --testdir), a test module that does not compile
    (its SyntaxError comes at import, as from disk). Compiled when
    imported; no bytecode is written (path_stats is not there)."""

    def get_data(self, path):
        return _LOADER.get_data(path)


_DIRS = None


def _is_dir(rel):
    """Whether rel is a directory of the embedded tree."""
    global _DIRS
    if _SERVED:
        return _external._path_isdir(_PREFIX + rel)
    if _DIRS is None:
        _DIRS = frozenset(p.rpartition("/")[0] for p in _all_paths())
        _DIRS |= frozenset(d[:i] for d in _DIRS
                           for i, c in enumerate(d) if c == "/")
    return rel in _DIRS


def _file_spec(fullname, rel_dir):
    """The spec of fullname found as FileFinder finds it on disk in the
    embedded directory rel_dir: a package (leaf/__init__.py), a module
    (leaf.py; a data file or an embedded module's source) or a namespace
    portion (a directory); or None."""
    leaf = fullname.rpartition(".")[2]
    if not leaf:
        return None  # ".." and the like name no file
    base = rel_dir + "/" + leaf if rel_dir else leaf
    for rel, is_pkg in ((base + "/__init__.py", True), (base + ".py", False)):
        if _read_path(rel) is not None:
            loader = _FileSourceLoader(fullname, _PREFIX + rel)
            return _external.spec_from_file_location(
                fullname, _PREFIX + rel, loader=loader,
                submodule_search_locations=[_PREFIX + base] if is_pkg
                else None)
    if _is_dir(base):
        spec = ModuleSpec(fullname, None)
        spec.submodule_search_locations = [_PREFIX + base]
        return spec
    return None


class StickPathFinder:
    """sys.path_hooks finder for paths inside the executable, so that
    pkgutil.iter_modules() lists embedded modules and packages, and a
    directory put on sys.path imports as from disk."""

    def __init__(self, rel_dir):
        self._dir = rel_dir.strip("/")
        self._package = self._dir.replace("/", ".")

    def find_spec(self, fullname, target=None):
        if _is_namespace(fullname):
            # A portion of the namespace package, for PathFinder to
            # gather with those of the other path entries.
            if fullname.rpartition(".")[0] != self._package:
                return None
            from _stick_extras import namespace_portion
            return namespace_portion(fullname)
        if "\0" in fullname:
            return None
        # The embedded module when fullname is one of this directory's;
        # any other name is looked up as a file name, as FileFinder does
        # (a package's directory on sys.path imports its modules again as
        # top-level ones).
        spec = None
        if fullname.rpartition(".")[0] == self._package:
            spec = StickFinder.find_spec(fullname)
        return spec or _file_spec(fullname, self._dir)

    def invalidate_caches(self):
        pass

    def iter_modules(self, prefix=""):
        found = {}
        for kind, is_pkg in (("m", False), ("p", True)):
            for name in _stick.names(kind):
                if name == "__main__" or name.startswith("_stick_"):
                    continue
                parent, _, leaf = name.rpartition(".")
                if parent == self._package:
                    found[leaf] = is_pkg
        # Source files that are no embedded module, as FileFinder lists.
        start = self._dir + "/" if self._dir else ""
        for path in _stick.names("f"):
            if not path.startswith(start) or not path.endswith(".py"):
                continue
            parts = path[len(start):-3].split("/")
            if len(parts) == 1 and parts[0] != "__init__":
                found.setdefault(parts[0], False)
            elif len(parts) == 2 and parts[1] == "__init__":
                found.setdefault(parts[0], True)
        return iter(sorted((prefix + leaf, is_pkg)
                           for leaf, is_pkg in found.items()
                           if leaf.isidentifier()))


def _is_file(rel):
    """Whether rel is an embedded file (data, or a module's source)."""
    if _stick.get("f", rel) is not None:
        return True
    return rel.endswith(".py") and _read_path(rel) is not None


def _path_hook(path):
    """The finder of a directory inside the executable. A file there is
    no path entry (`OUT OUT/pkg/script.py` asks before running it), and a
    path through one (a zip's ARCHIVE/pkg) is zipimport's."""
    rel = "" if path == _PREFIX[:-1] else _relative(path)
    if rel is None:
        raise ImportError("not a path inside the executable")
    if rel and _is_file(rel):
        raise ImportError("a file inside the executable")
    if rel and not _is_dir(rel):
        raise ImportError("no directory inside the executable")
    return StickPathFinder(rel)


class _LeftOutFinder:
    """The last finder of a pruned application: importing a module that
    --prune left out fails with a message that says so and how to keep
    it. Only imports every other finder failed reach it."""

    _names = None

    @classmethod
    def left_out(cls, fullname):
        if cls._names is None:
            cls._names = frozenset(_config("left_out").split())
        return fullname in cls._names

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if cls.left_out(fullname):
            raise ModuleNotFoundError(
                f"No module named '{fullname}' (left out by --prune: "
                f"rebuild with --include {fullname})", name=fullname)
        return None


def _left_out_codec(encoding):
    """The last codec search function of a pruned application: a codec
    --prune left out (codecs are modules imported by name) is an error
    that says so, not a plain unknown encoding."""
    import encodings
    from encodings.aliases import aliases
    name = encodings.normalize_encoding(encoding).lower()
    name = aliases.get(name, name)
    if _LeftOutFinder.left_out("encodings." + name):
        raise LookupError(f"unknown encoding: {encoding} (encodings.{name} "
                          f"left out by --prune: rebuild with --include "
                          f"encodings.{name})")
    return None


def _zip_path_hook(path):
    """zipimport.zipimporter, imported the first time a sys.path entry is
    looked up: an application starts without zipimport (embed/startup.c),
    so that only one that searches its path (a zip put on sys.path, an
    import no other finder answers) pays for it. It then takes this hook's
    place on sys.path_hooks."""
    import zipimport
    hooks = sys.path_hooks
    if _zip_path_hook in hooks:
        hooks[hooks.index(_zip_path_hook)] = zipimport.zipimporter
    return zipimport.zipimporter(path)


def install(location=None):
    """Puts the finders in place. location is the file the embedded
    paths hang under: the executable, or a library's own file."""
    global _PREFIX, _SERVED
    if location is not None:
        _PREFIX = location + "/"
    # The C library serves the files under _PREFIX (a musl executable).
    _SERVED = _stick.serve(_PREFIX[:-1])
    if "zipimport" not in sys.modules:
        sys.path_hooks.insert(0, _zip_path_hook)
    sys.path_hooks.insert(0, _path_hook)
    # The executable on sys.path: pkgutil.iter_modules() sees the app's
    # top-level modules (StickFinder on sys.meta_path finds them first).
    sys.path.append(_PREFIX[:-1])
    for i, finder in enumerate(sys.meta_path):
        if getattr(finder, "__name__", "") == "FrozenImporter":
            sys.meta_path.insert(i + 1, StickFinder)
            break
    else:
        sys.meta_path.insert(0, StickFinder)
    if _stick.get("c", "left_out") is not None:
        import codecs  # loaded at start-up already
        sys.meta_path.append(_LeftOutFinder)
        codecs.register(_left_out_codec)
    extensions = frozenset(_stick.extensions())
    if extensions:
        from _stick_extras import StickExtensionFinder
        StickExtensionFinder.names = extensions
        sys.meta_path.insert(0, StickExtensionFinder)


def _run_entry(entry):
    modname, _, attrs = entry.partition(":")
    __import__(modname)
    obj = sys.modules[modname]
    for attr in attrs.split("."):
        obj = getattr(obj, attr)
    sys.exit(obj())


def _run_script():
    main = sys.modules["__main__"]
    main.__file__ = _PREFIX + _config("script")
    main.__loader__ = _LOADER
    main.__cached__ = None
    main.__spec__ = StickFinder.find_spec(_MAIN_ALIAS)
    exec(_LOADER.get_code(_MAIN_ALIAS), main.__dict__)


# The programs multiprocessing starts by running sys.executable with
# "-c CODE" (the forkserver, the resource tracker); an application binary
# runs them instead of the application.
_MP_CODE_PREFIXES = (
    "from multiprocessing.forkserver import main",
    # 3.13.15 passes the parent's argv to the forkserver in its sys.argv
    "import sys; from multiprocessing.forkserver import main",
    "from multiprocessing.resource_tracker import main",
)


def _multiprocessing_child():
    """Runs the child multiprocessing asked for and returns True, or
    returns False when this is a normal start of the application."""
    argv = sys.argv
    if len(argv) >= 2 and argv[1] == "--multiprocessing-fork":
        # By name: import analysis (--prune) must not see multiprocessing
        # unless the application itself uses it.
        import importlib
        spawn = importlib.import_module("multiprocessing.spawn")
        spawn.freeze_support()  # runs the child and exits
        return True
    for i, arg in enumerate(argv[1:-1], 1):
        if arg == "-c" and argv[i + 1].startswith(_MP_CODE_PREFIXES):
            code = argv[i + 1]
            sys.argv = ["-c"] + argv[i + 2:]
            exec(compile(code, "<string>", "exec"), sys.modules["__main__"].__dict__)
            return True
        if not arg.startswith("-"):
            break
    return False


def _excepthook(exc_type, exc, tb):
    """Prints tracebacks without the start-up frames of this module, and
    through the traceback module so that source lines come from the
    embedded sources (3.11's C printer only reads files on disk)."""
    own = _excepthook.__code__.co_filename
    while tb is not None and tb.tb_frame.f_code.co_filename == own:
        tb = tb.tb_next
    import traceback
    exc.__traceback__ = tb
    show = getattr(traceback, "_print_exception_bltin", None)  # 3.13: colour
    if show is not None:
        show(exc)
    else:
        traceback.print_exception(exc_type, exc, tb)


def _use_embedded_ca_bundle():
    if _stick.get("c", "ca_bundle") is None:
        return False
    # The process environment, not os.environ: start-up sets
    # SSL_CERT_FILE to the host's bundle after os.environ was made.
    return not _stick.getenv("SSL_CERT_FILE") and \
        not _stick.getenv("SSL_CERT_DIR")


class _Notice:
    """copyright, credits and license as site defines them, without
    site's _Printer, which imports os."""

    def __init__(self, text):
        self._text = text

    def __repr__(self):
        return self._text

    def __call__(self):
        print(self._text)


def _site_builtins():
    """The names site adds to builtins (exit, quit, help, copyright,
    credits, license), for an application that starts without site."""
    import builtins
    import _sitebuiltins
    eof = "Ctrl-D (i.e. EOF)"
    builtins.exit = _sitebuiltins.Quitter("exit", eof)
    builtins.quit = _sitebuiltins.Quitter("quit", eof)
    builtins.help = _sitebuiltins._Helper()
    builtins.copyright = _Notice(sys.copyright)
    builtins.credits = _Notice(
        "Thanks to CWI, CNRI, BeOpen, Zope Corporation, the Python Software "
        "Foundation,\n    and a cast of thousands for supporting Python "
        "development.  See www.python.org for more information.")
    builtins.license = _Notice("See https://www.python.org/psf/license/")


def _fresh_main():
    """Replaces __main__ by a module made after gc.freeze(): the script's
    functions and classes refer to their module's dict, a cycle that only
    the last collection at exit breaks, and a frozen dict is never
    collected, so the script's objects would never be finalized (no
    __del__, unclosed files' buffers lost), unlike in python3."""
    old = sys.modules["__main__"]
    main = type(sys)("__main__")
    main.__dict__.update(old.__dict__)
    sys.modules["__main__"] = main


def run():
    sys.frozen = True
    if sys.flags.no_site:
        _site_builtins()
    sys.excepthook = _excepthook
    install()
    if _config("stdlib_source"):
        from _stick_extras import install_stdlib_sources
        install_stdlib_sources()
    if _use_embedded_ca_bundle():
        from _stick_extras import CABundleHook
        sys.meta_path.insert(0, CABundleHook)
    # What start-up created lives until exit: leave it out of every
    # collection, the ones at shutdown included (about a sixth of a small
    # app's run time), as gc.freeze() is meant for.
    import gc
    gc.freeze()
    _fresh_main()
    if _multiprocessing_child():
        return
    entry = _config("entry")
    if entry:
        _run_entry(entry)
    else:
        _run_script()
