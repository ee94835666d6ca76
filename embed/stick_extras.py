"""The parts of the importer (embed/stick_importer.py) that only some
runs of an application need, frozen into every application as
_stick_extras and imported when one is needed: start-up does not pay for
unmarshalling them and creating their classes.
"""

import _stick
import sys
from _frozen_importlib import ModuleSpec
from _frozen_importlib_external import NamespaceLoader, PathFinder, \
    _NamespacePath

import _stick_importer as _imp


class StickExtensionFinder:
    """C extensions built from sdists are built-in modules, named by their
    full dotted names (markupsafe._speedups). This finder comes before
    BuiltinImporter and gives them a spec whose origin, and so __file__,
    sits beside the package's other modules, under the name the extension
    would have on disk; 3.11.2's BuiltinImporter would not find a
    submodule at all."""

    names = frozenset()

    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname not in cls.names:
            return None
        from _frozen_importlib import BuiltinImporter
        impl = sys.implementation
        origin = _imp._PREFIX + fullname.replace(".", "/") + \
            f".{impl.cache_tag}-{getattr(impl, '_multiarch', 'linux')}.so"
        spec = ModuleSpec(fullname, BuiltinImporter, origin=origin)
        spec.has_location = True
        return spec

    @classmethod
    def invalidate_caches(cls):
        pass


# --- namespace packages (PEP 420) ---------------------------------------------
#
# A namespace package's portions from every --path directory are one
# directory of the table (kind "n"). Its __path__ is a _NamespacePath, as
# in python3: the portions every path entry has, gathered by PathFinder
# (the executable's own entry on sys.path gives the embedded one, and a
# directory on disk that --allow-env or the program puts on sys.path
# gives its own), recomputed when sys.path or the parent's __path__
# changes. The embedded portion is always there, as embedded modules are
# always found: a path that lacks it gets it last.


def _portion(fullname):
    """Where the embedded portion of namespace package fullname lives,
    inside the executable."""
    return _imp._PREFIX + fullname.replace(".", "/")


def namespace_portion(fullname):
    """The spec a path entry finder gives for a portion: no loader, its
    directory as the search location."""
    spec = ModuleSpec(fullname, None)
    spec.submodule_search_locations = [_portion(fullname)]
    return spec


def _namespace_find(fullname, path):
    """PathFinder's search of path (sys.path when None) for fullname,
    with the embedded portion added to a namespace package that lacks
    it: the path finder of the namespace's _NamespacePath."""
    spec = PathFinder._get_spec(fullname, sys.path if path is None else path)
    if spec is not None and spec.loader is None:
        locations = spec.submodule_search_locations
        portion = _portion(fullname)
        if portion not in locations:
            locations.append(portion)
    return spec


def namespace_spec(fullname, path):
    """The spec of an embedded namespace package, or of the module or
    regular package of that name a path entry has: as in python3, one of
    those anywhere on the path comes before namespace portions."""
    spec = _namespace_find(fullname, path)
    if spec is None or spec.loader is not None:
        return spec
    spec.origin = None
    spec.loader = StickNamespaceLoader.__new__(StickNamespaceLoader)
    spec.submodule_search_locations = spec.loader._path = _NamespacePath(
        fullname, spec.submodule_search_locations, _namespace_find)
    return spec


class StickNamespaceLoader(NamespaceLoader):
    """python3's loader of namespace packages, whose resources
    (importlib.resources.files()) include the embedded portion."""

    def create_module(self, spec):
        # python3 sets a namespace package's __file__ to None where
        # module_from_spec() makes its loader (bpo-32305).
        module = type(sys)(spec.name)
        module.__file__ = None
        return module

    def __repr__(self):
        # python3's, which 3.11 shows in the module's repr.
        return ("<_frozen_importlib_external.NamespaceLoader object at "
                f"{id(self):#x}>")

    def get_resource_reader(self, module):
        from _stick_resources import StickNamespaceReader
        return StickNamespaceReader(self._path)


# --- an embedded CA bundle (--ca-bundle) -------------------------------------
#
# Used only when the host has no bundle (start-up found none and the user
# set neither SSL_CERT_FILE nor SSL_CERT_DIR): when the program imports
# ssl, every context's load_default_certs() (create_default_context(),
# urllib, http.client) also loads the embedded certificates, from memory.


class CABundleLoader:
    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        module.__spec__.loader = module.__loader__ = self.loader
        self.loader.exec_module(module)
        pem = _imp._config("ca_bundle")
        load_default_certs = module.SSLContext.load_default_certs

        def with_embedded_bundle(self, purpose=module.Purpose.SERVER_AUTH):
            load_default_certs(self, purpose)
            self.load_verify_locations(cadata=pem)

        module.SSLContext.load_default_certs = with_embedded_bundle


class CABundleHook:
    @classmethod
    def find_spec(cls, fullname, path=None, target=None):
        if fullname != "ssl":
            return None
        sys.meta_path.remove(cls)
        from importlib.util import find_spec
        spec = find_spec(fullname)
        if spec is not None:
            spec.loader = CABundleLoader(spec.loader)
        return spec


# --- stdlib sources (--with-stdlib-source) ------------------------------------
#
# The stdlib's code is CPython's frozen modules, named "<frozen NAME>" in
# tracebacks; linecache never reads such names. When the sources are
# embedded, linecache gets them from the table.


def install_stdlib_sources():
    import linecache
    updatecache = linecache.updatecache

    def updatecache_embedded(filename, module_globals=None):
        if filename.startswith("<frozen ") and filename.endswith(">"):
            source = _stick.get("l", filename[len("<frozen "):-1])
            if source is not None:
                from importlib.util import decode_source
                lines = decode_source(bytes(source)).splitlines(True)
                linecache.cache[filename] = (len(source), None, lines,
                                             filename)
                return lines
        return updatecache(filename, module_globals)

    linecache.updatecache = updatecache_embedded
