"""importlib.resources and importlib.metadata for embedded applications.

Imported only when a program asks for a package's files or for
distribution metadata, so start-up does not pay for it.
"""

import io
import posixpath
from importlib.metadata import Distribution, DistributionFinder
from importlib.resources.abc import Traversable, TraversableResources

import _stick_importer as _imp

_PREFIX = _imp._PREFIX


class StickPath(Traversable):
    """A file or directory inside the executable."""

    def __init__(self, rel):
        self._rel = rel.strip("/")

    @property
    def name(self):
        return posixpath.basename(self._rel)

    def __str__(self):
        return _PREFIX + self._rel

    def __repr__(self):
        return f"StickPath({str(self)!r})"

    def __eq__(self, other):
        return isinstance(other, StickPath) and other._rel == self._rel

    def __hash__(self):
        return hash(self._rel)

    def is_file(self):
        return _imp._read_path(self._rel) is not None

    def is_dir(self):
        if _imp._is_namespace(self._rel.replace("/", ".")):
            return True  # it may hold no file
        prefix = self._rel + "/"
        return any(p.startswith(prefix) for p in _imp._all_paths())

    def iterdir(self):
        prefix = self._rel + "/"
        children = set()
        for p in _imp._all_paths():
            if p.startswith(prefix):
                children.add(p[len(prefix):].split("/")[0])
        return iter(StickPath(prefix + c) for c in sorted(children))

    def joinpath(self, *descendants):
        return StickPath(posixpath.join(self._rel, *descendants))

    __truediv__ = joinpath

    def read_bytes(self):
        data = _imp._read_path(self._rel)
        if data is None:
            raise FileNotFoundError(2, "No such file in the executable",
                                    str(self))
        return data

    def read_text(self, encoding=None, errors=None):
        return self.read_bytes().decode(encoding or "utf-8", errors or "strict")

    def open(self, mode="r", *args, **kwargs):
        if "w" in mode or "a" in mode or "+" in mode:
            raise PermissionError(13, "the executable is read-only", str(self))
        data = io.BytesIO(self.read_bytes())
        if "b" in mode:
            return data
        return io.TextIOWrapper(data, *args, **kwargs)


def _embedded(rel):
    """The embedded file or directory rel: a pathlib.Path where the C
    library serves the executable's files (as python3 gives for a package
    on disk: as_file() then needs no temporary copy), else a StickPath."""
    if _imp._SERVED:
        import pathlib
        return pathlib.Path(_PREFIX + rel.strip("/"))
    return StickPath(rel)


class StickReader(TraversableResources):
    def __init__(self, package_dir):
        self._dir = package_dir

    def files(self):
        return _embedded(self._dir)


class StickNamespaceReader(TraversableResources):
    """The resources of a namespace package: python3's NamespaceReader,
    for portions inside the executable too."""

    def __init__(self, namespace_path):
        if "NamespacePath" not in str(namespace_path):
            raise ValueError("Invalid path")
        dirs = [d for d in map(_directory, namespace_path) if d is not None]
        self.path = _multiplexed(dirs)

    def files(self):
        return self.path


def _multiplexed(dirs):
    """importlib's MultiplexedPath of the directories, which may be
    inside the executable (3.11's constructor takes only directories on
    disk; its methods take any Traversable)."""
    from importlib.resources.readers import MultiplexedPath
    if not dirs:
        raise FileNotFoundError("MultiplexedPath must contain at least one "
                                "path")
    path = MultiplexedPath.__new__(MultiplexedPath)
    path._paths = list(dict.fromkeys(dirs))
    return path


def _directory(path):
    """A namespace portion as a Traversable directory, or None."""
    rel = _imp._relative(path)
    if rel is not None:
        return _embedded(rel)
    import pathlib
    path = pathlib.Path(path)
    return path if path.is_dir() else None


class StickDistribution(Distribution):
    def __init__(self, info_dir):
        self._dir = info_dir

    def read_text(self, filename):
        data = _imp._read_path(self._dir + "/" + filename)
        return data.decode("utf-8") if data is not None else None

    def locate_file(self, path):
        return _embedded(str(path))


def find_distributions(context=None):
    context = context or DistributionFinder.Context()
    dirs = sorted({p.split("/")[0] for p in _imp._stick.names("f")
                   if p.split("/")[0].endswith((".dist-info", ".egg-info"))})
    for d in dirs:
        dist = StickDistribution(d)
        if context.name is None or _normalize(dist.name) == _normalize(context.name):
            yield dist


def _normalize(name):
    import re
    return re.sub(r"[-_.]+", "_", name or "").lower()
