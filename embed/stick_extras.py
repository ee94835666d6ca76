"""The parts of the importer (embed/stick_importer.py) that only some
runs of an application need, frozen into every application as
_stick_extras and imported when one is needed: start-up does not pay for
unmarshalling them and creating their classes.
"""

import _stick
import sys
from _frozen_importlib import ModuleSpec

import _stick_importer as _imp


# --- data files on disk ------------------------------------------------------
#
# The first time a module of a package with data files is imported, all of
# the application's package files (data and sources, never code) are
# written once into $XDG_CACHE_HOME/stick-apps/<digest of the embedded
# table>/ (a temporary directory renamed into place, so a half-written tree
# is never used); see _data_root in the importer.


def _cache_base():
    import os
    base = os.environ.get("XDG_CACHE_HOME")
    if not base and os.environ.get("HOME"):
        base = os.path.join(os.environ["HOME"], ".cache")
    return os.path.join(base, "stick-apps") if base else None


def _write_tree(tmp, packages):
    import os
    executables = set(_imp._config("executables").split("\n"))
    for rel in sorted(_imp._all_paths()):
        if rel.split("/")[0] not in packages:
            continue
        data = _imp._read_path(rel)
        if data is None:
            continue
        path = os.path.join(tmp, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        if rel in executables:
            os.chmod(path, 0o755)


def _remove_tree(top):
    import os
    for dirpath, dirnames, filenames in os.walk(top, topdown=False):
        for name in filenames:
            os.unlink(os.path.join(dirpath, name))
        os.rmdir(dirpath)


def materialize():
    import os
    packages = _imp._data_packages()
    base = _cache_base()
    if not packages or not base:
        return ""
    root = os.path.join(base, _imp._config("digest"))
    if os.path.isdir(root):
        return root
    tmp = f"{root}.tmp.{os.getpid()}"
    try:
        _write_tree(tmp, packages)
        os.rename(tmp, root)
    except OSError:
        try:
            _remove_tree(tmp)
        except OSError:
            pass
        if not os.path.isdir(root):  # another process may have won
            return ""
    return root


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
        root = _imp._data_root(fullname)
        origin = (root + "/" if root else _imp._PREFIX) + \
            fullname.replace(".", "/") + \
            f".{impl.cache_tag}-{getattr(impl, '_multiarch', 'linux')}.so"
        spec = ModuleSpec(fullname, BuiltinImporter, origin=origin)
        spec.has_location = True
        return spec

    @classmethod
    def invalidate_caches(cls):
        pass


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
