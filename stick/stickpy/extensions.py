"""Third-party packages with C extensions, built from source for stick.

Each input (an sdist .tar.gz/.zip or a source tree with pyproject.toml or
setup.py) is built into a wheel by its own PEP 517 backend (stickpy.pep517),
with `stick cc-wrap` as compiler and linker, so every extension "so" in the
wheel is a relocatable object whose only global symbol is PyInit_<leaf>.
The wheel is then split:

  site/        its pure-Python modules, package data and *.dist-info, laid
               out like site-packages (stick freezes it like a --path dir)
  ext/NAME.o   one object per extension, NAME its dotted module name, its
               init function renamed to stick_ext_init_<mangle(NAME)>
  meta.json    what the final link needs (-lNAME, stick-built archives,
               named under the STICK_HOME: clibs/...), the package's name,
               version and extensions: the same bytes in every home
  build.json   what only this build knows (its input's path, its time, the
               warnings naming its log); never pushed to a shared cache

A build is cached under CACHE/extensions/<toolchain key>/<key>/ where key
digests the toolchain, the input's sha256 and the build settings: a warm
build compiles nothing; a changed input gets a new key. Builds happen in a
temporary directory renamed into place. With a shared cache (STICK_CACHE,
stick/ocicache.h), a missing entry is first asked of the registry through
`stick cache pull`, and the entries used are named in the result
(`cache-entry`) for --cache-push.

stick runs this as the helper's `extensions` request (from_request): the
driver owns every fact it needs (the toolchain's compiler and interpreter,
the pinned build tools, already fetched, verified and extracted, the C
libraries it built), and the request carries them.
"""

import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile

from . import deps, pep517
from .cache import CacheDir
from .pep517 import BuildError
from .prebuilt import BINARY_RE, check_path_dirs  # noqa: F401
from .util import canonical_name, home_clib_path, home_relative, sha256_file

# Bump when stick cc-wrap's output changes (stick/ccwrap.h); changes to
# this package's own files change every key by themselves.
CACHE_FORMAT = "2"
INIT_PREFIX = "stick_ext_init_"
EXTENSION_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\.(?:[^/]*\.)?so$")


# -- names --------------------------------------------------------------------

def mangle(dotted):
    """A C identifier unique to a dotted module name.

    Letters and digits stand for themselves; '_' becomes '__', '.' becomes
    '_d' and any other character '_xHHHHHH': a prefix-free code, so
    `a.b_c` (a_db__c) and `a_b.c` (a__b_dc) cannot meet.
    """
    out = []
    for ch in dotted:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ch == "_":
            out.append("__")
        elif ch == ".":
            out.append("_d")
        else:
            out.append(f"_x{ord(ch):06x}")
    return "".join(out)


def init_symbol(dotted):
    return INIT_PREFIX + mangle(dotted)


def extension_name(relpath):
    """The dotted module name of a wheel member that is an extension, or
    None. relpath uses '/'."""
    parts = relpath.split("/")
    m = EXTENSION_RE.match(parts[-1])
    if not m or not all(p.isidentifier() for p in parts[:-1]):
        return None
    return ".".join(parts[:-1] + [m.group(1)])


def split_wheel(names):
    """Sorts a wheel's member names: (site, extensions, dropped).

    site: (member, destination) of files installed into site-packages
    (purelib/platlib and the dist-info); extensions: (member, dotted
    name); dropped: members a static binary cannot use (scripts, headers,
    data). A binary that is not an extension raises BuildError.
    """
    site, exts, dropped = [], [], []
    for name in names:
        if name.endswith("/"):
            continue
        parts = name.split("/")
        dest = name
        if len(parts) > 2 and parts[0].endswith(".data"):
            if parts[1] not in ("purelib", "platlib"):
                dropped.append(name)
                continue
            dest = "/".join(parts[2:])
        dotted = extension_name(dest)
        if dotted:
            exts.append((name, dotted))
        elif dest.endswith(".a"):
            # A static library for other packages' builds (numpy's
            # libnpymath.a, meson's `devel` install tag): nothing imports it.
            dropped.append(name)
        elif BINARY_RE.search(dest):
            raise BuildError(f"'{name}': a binary file in the wheel that is "
                             "not an extension module; stick cannot link it")
        else:
            site.append((name, dest))
    return site, exts, dropped


# -- the pinned build tools ----------------------------------------------------

def request_tools(req):
    """The pinned build tools (pep517.Tool, with .sha256) the request's
    `tool NAME VERSION SHA256 ROOT`, `tool-path NAME DIR` and
    `tool-provides NAME DIST` lines describe, in their order: stick
    fetched, verified and extracted them (stick/tool.c). A tool also
    provides what a *.dist-info or *.egg-info in its import roots names."""
    paths, provides, tools = {}, {}, []
    for line in req.all("tool-path"):
        name, _, path = line.partition(" ")
        paths.setdefault(name, []).append(path)
    for line in req.all("tool-provides"):
        name, _, dist = line.partition(" ")
        provides.setdefault(name, []).append(dist)
    for line in req.all("tool"):
        name, version, sha, root = line.split(" ", 3)
        roots = paths.get(name, [root])
        found = {canonical_name(d): version
                 for d in provides.get(name, [name])}
        for r in roots:
            for k, v in pep517.scan_provided(r).items():
                found.setdefault(k, v)
        t = pep517.Tool(name, version, roots, found)
        t.sha256 = sha
        tools.append(t)
    return tools


# -- archives -----------------------------------------------------------------

def unpack_sdist(stick, archive, dest):
    """Extracts an sdist (.tar.gz, .tar.xz, .tar.bz2 or .zip) into dest,
    which must not exist, with `stick unpack --archive`: the driver's
    extraction (stick/extract.c) refuses absolute paths, '..', links
    leaving dest and devices. An archive with one top directory has its
    contents in dest (what an sdist's PKG-INFO sits in). Returns dest."""
    argv = [stick, "unpack", "-q", "--archive", archive, dest]
    try:
        r = subprocess.run(argv, stdin=subprocess.DEVNULL,
                           capture_output=True, text=True)
    except OSError as e:
        raise BuildError(f"cannot unpack '{archive}': cannot run "
                         f"'{stick}': {e.strerror}") from None
    if r.returncode != 0:
        why = "; ".join(l.removeprefix("stick: error: ") for l in
                        r.stderr.splitlines() if l.strip()) or \
            f"'stick unpack' exited {r.returncode}"
        raise BuildError(f"cannot unpack '{archive}': {why}")
    return dest


def sdist_stem(path):
    """An sdist's file name without its archive suffix: the name of the
    directory its contents are built in, as the archive's own top
    directory (NAME-VERSION) is for a conforming sdist. The backend sees
    it (versioneer reads a version from it; the compiler's prefix map
    names sources by it)."""
    name = os.path.basename(path)
    for suffix in (".tar.gz", ".tgz", ".tar.xz", ".tar.bz2", ".zip"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)]
    return "src"


def input_digest(path):
    """sha256 of an archive, or of a tree's files (names and contents)."""
    if os.path.isfile(path):
        return sha256_file(path)
    if not os.path.isdir(path):
        raise BuildError(f"'{path}': no such sdist or source tree")
    h = hashlib.sha256()
    for root, dirs, files in os.walk(path):
        dirs[:] = sorted(d for d in dirs if d not in
                         (".git", "__pycache__", "build", ".tox", "dist"))
        for name in sorted(files):
            p = os.path.join(root, name)
            if os.path.islink(p) or not os.path.isfile(p):
                continue
            h.update(os.path.relpath(p, path).encode() + b"\0")
            h.update(sha256_file(p).encode())
    return h.hexdigest()


# -- one package ---------------------------------------------------------------

class Settings:
    """What a build depends on besides its input."""

    def __init__(self, toolchain, python, stick, cc, tools, provided_libs,
                 clib_entries, skip=(), clib_env=None, objcopy="objcopy"):
        self.toolchain = toolchain          # its directory
        self.key = os.path.basename(os.path.normpath(toolchain))
        self.python = python
        self.stick = stick
        self.cc = cc
        self.tools = tools
        self.provided_libs = provided_libs
        # The cache directories of the library recipes (stick/clib.h),
        # built by stick cc-wrap when a package first needs one.
        self.clib_entries = clib_entries
        self.clib_env = clib_env or {}
        # binutils' objcopy for the target's objects (stick/target.h).
        self.objcopy = objcopy
        self.skip = {canonical_name(s) for s in skip}
        # What supplies the build requirements the tools lack
        # (stickpy.deps.BuildRequirements), or None.
        self.breqs = None
        self._version = None

    def pinned(self):
        """{canonical name: version} of what the pinned tools provide."""
        provided = {}
        for t in self.tools:
            for name, version in t.provides.items():
                provided.setdefault(name, version)
        return provided

    def digest(self, input_sha, env=None):
        here = os.path.dirname(os.path.abspath(__file__))
        code = [sha256_file(os.path.join(here, f)) for f in
                ("extensions.py", "pep517.py", "_backend.py")]
        data = {
            "format": CACHE_FORMAT, "code": code, "toolchain": self.key,
            "input": input_sha,
            "skip": sorted(self.skip),
            "tools": [[t.name, t.version, t.sha256] for t in self.tools],
            "provided": self.provided_libs,
            "clibs": [os.path.basename(p) for p in self.clib_entries],
            "libc": self.clib_env.get("STICK_CC_LIBC", ""),
        }
        if env is not None:
            # The build requirements installed from an index (deps.BuildEnv).
            data["build-env"] = env.digest
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()) \
            .hexdigest()


class Built:
    def __init__(self, final, meta):
        self.dir = final
        self.name = meta["name"]
        self.version = meta["version"]
        self.input_sha256 = meta["input_sha256"]
        self.site = os.path.join(final, "site")
        self.extensions = [(d, os.path.join(final, "ext", d + ".o"))
                           for d in meta["extensions"]]
        self.link = meta["link"]
        self.warnings = meta.get("warnings", [])
        try:
            with open(os.path.join(final, "build.json"),
                      encoding="utf-8") as f:
                self.warnings = json.load(f).get("warnings", [])
        except FileNotFoundError:
            pass
        self.cached = True
        self.pulled = False


def run_tool(argv, what):
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                       text=True)
    if r.returncode != 0:
        raise BuildError(f"{what} failed (exit {r.returncode}): "
                         f"{' '.join(argv)}\n{r.stdout}{r.stderr}")
    return r.stdout


def read_link_section(obj, tmp, objcopy="objcopy"):
    """The lines of an extension object's .stick.link (stick/ccwrap.h);
    objcopy: binutils' objcopy for the target's objects."""
    out = os.path.join(tmp, "stick.link")
    with open(obj, "rb") as f:
        head = f.read(18)
    if head[:4] != b"\x7fELF" or int.from_bytes(head[16:18], "little") != 1:
        raise BuildError(f"'{obj}' is not a relocatable object: the backend "
                         "linked it without stick's wrapper (LDSHARED)")
    run_tool([objcopy, f"--dump-section=.stick.link={out}", obj, os.devnull],
             f"reading the link needs of '{obj}'")
    with open(out, encoding="utf-8") as f:
        lines = f.read().split("\n")
    os.unlink(out)
    if lines[0] != "stick-link 1":
        raise BuildError(f"'{obj}': unknown .stick.link format")
    return [l for l in lines[1:] if l]


def install_wheel(wheel, result, package, objcopy="objcopy"):
    """Splits a wheel into result/site and result/ext; the link needs."""
    site = os.path.join(result, "site")
    ext = os.path.join(result, "ext")
    os.makedirs(site)
    os.makedirs(ext)
    dotted_names, link = [], []
    with zipfile.ZipFile(wheel) as z:
        try:
            files, exts, _ = split_wheel(z.namelist())
        except BuildError as e:
            raise BuildError(f"{package}: {e}") from None
        for member, dest in files:
            target = _wheel_target(site, dest, wheel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
        for member, dotted in exts:
            obj = os.path.join(ext, dotted + ".o")
            with z.open(member) as src, open(obj, "wb") as dst:
                shutil.copyfileobj(src, dst)
            for need in read_link_section(obj, result, objcopy):
                if need not in link:
                    link.append(need)
            leaf = dotted.rpartition(".")[2]
            # Its link needs are in meta.json now; the section names the
            # archives' paths in this STICK_HOME, which the entry must not.
            run_tool([objcopy, f"--redefine-sym=PyInit_{leaf}="
                      f"{init_symbol(dotted)}",
                      "--remove-section=.stick.link", obj],
                     f"{package}: renaming the init function of {dotted}")
            dotted_names.append(dotted)
    drop_record_lines(site, {m for m, _ in exts})
    return sorted(dotted_names), link


def _wheel_target(site, dest, wheel):
    """Where a wheel member goes in site. A wheel is installed file by
    file, not extracted as a tree, so its members are checked here: one
    that would land outside site (absolute, '..', through a link) is
    refused."""
    full = os.path.realpath(os.path.join(site, dest))
    if os.path.isabs(dest) or not (full + "/").startswith(
            os.path.realpath(site) + "/"):
        raise BuildError(f"'{wheel}': member '{dest}' would land outside "
                         "the site directory; refusing the wheel")
    return os.path.join(site, dest)


def drop_record_lines(site, members):
    """The dist-info RECORD no longer lists the extension files."""
    for entry in os.listdir(site):
        record = os.path.join(site, entry, "RECORD")
        if entry.endswith(".dist-info") and os.path.isfile(record):
            with open(record, encoding="utf-8") as f:
                lines = f.readlines()
            with open(record, "w", encoding="utf-8") as f:
                f.writelines(l for l in lines
                             if l.split(",", 1)[0] not in members)


def wheel_identity(wheel):
    parts = os.path.basename(wheel).split("-")
    return parts[0], parts[1]


def build_package(path, settings, cache):
    """Builds (or finds in the cache) one input; a Built.

    An input whose build requirements the pinned tools meet is keyed by
    its digest and the settings alone. When they do not and settings.breqs
    can supply the rest (an index, a lock), the resolved set's environment
    (deps.BuildEnv) is part of the key, so a build made with other
    artifacts is never reused."""
    path = os.path.abspath(path)
    sha = input_digest(path)
    key = settings.digest(sha)
    parent = os.path.join(cache, "extensions", settings.key)
    final = os.path.join(parent, key[:24])
    if (built := _cached_build(final) or _pulled_build(final, settings)):
        return built
    env = index_environment(path, settings)
    if env is not None:
        key = settings.digest(sha, env)
        final = os.path.join(parent, key[:24])
        if (built := _cached_build(final) or
                _pulled_build(final, settings)):
            return built
    os.makedirs(parent, exist_ok=True)
    log = os.path.join(parent, key[:24] + ".log")
    meta_path = os.path.join(final, "meta.json")
    with CacheDir(final, f"building {os.path.basename(path)}",
                  valid=lambda d: os.path.isfile(meta_path)) as e:
        if e.ready:
            return _cached_build(final)
        with open(log, "w", encoding="utf-8") as f:
            f.write(f"stick: building {path} (sha256 {sha})\n")
        meta, here = build_into(path, sha, settings, e.tmp, log, env)
        for name, data in (("meta.json", meta), ("build.json", here)):
            with open(os.path.join(e.tmp, "result", name), "w",
                      encoding="utf-8") as f:
                json.dump(data, f, indent=1, sort_keys=True)
        e.commit(os.path.join(e.tmp, "result"))
    built = Built(final, meta)
    built.cached = False
    return built


def _pulled_build(final, settings):
    """The Built of final pulled from the shared cache (`stick cache pull`
    checks it and publishes it like a local build), or None: not set, not
    there, or refused (stick's warning says why; the caller builds)."""
    if not os.environ.get("STICK_CACHE"):
        return None
    subprocess.run([settings.stick, "cache", "pull", final],
                   stdin=subprocess.DEVNULL, check=False)
    built = _cached_build(final)
    if built is not None:
        built.pulled = True
    return built


def _cached_build(final):
    """The Built of a finished cache entry (its meta.json), or None."""
    try:
        with open(os.path.join(final, "meta.json"), encoding="utf-8") as f:
            return Built(final, json.load(f))
    except FileNotFoundError:
        return None


def index_environment(path, settings):
    """The deps.BuildEnv of the build requirements of the input at path
    that no pinned tool provides, or None when there are none or nothing
    (no index, no lock) could supply them: the build then fails in
    build_into, naming the requirement and the options that would."""
    if settings.breqs is None or not settings.breqs.available():
        return None
    with tempfile.TemporaryDirectory(dir=settings.breqs.work) as tmp:
        try:
            src = path if os.path.isdir(path) else build_files(path, tmp)
            label = pep517.package_label(src, os.path.basename(path))
            requires, backend, _ = pep517.read_build_system(src)
        except BuildError:
            # build_into unpacks it and says what is wrong, in its words.
            return None
        pep517.refuse_foreign(label, src, backend)
    unmet = pep517.unmet_requirements(label, backend, requires,
                                      settings.tools,
                                      pep517.marker_env(
                                          settings_version(settings)),
                                      settings.skip)
    if not unmet:
        return None
    return settings.breqs.environment(label, backend, unmet)


BUILD_FILES = ("pyproject.toml", "PKG-INFO", "setup.py", "meson.build")


def build_files(archive, dest):
    """Copies an sdist's pyproject.toml, PKG-INFO, setup.py and meson.build
    into dest, read from the archive without extracting it: what
    read_build_system, package_label and pep517.refuse_foreign need before
    the build (where they sit in the top directory, as unpack_sdist strips
    it)."""
    found = {}

    def consider(name, read):
        parts = [p for p in name.split("/") if p not in ("", ".")]
        if parts and parts[-1] in BUILD_FILES and len(parts) <= 2:
            depth = len(parts)
            if parts[-1] not in found or found[parts[-1]][0] > depth:
                found[parts[-1]] = (depth, read)

    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as z:
                for info in z.infolist():
                    if not info.is_dir() and info.file_size < 1 << 20:
                        consider(info.filename, functools.partial(
                            z.read, info))
                for name, (_, read) in found.items():
                    _write_build_file(dest, name, read())
        else:
            with tarfile.open(archive, "r:*") as t:
                for m in t:
                    if m.isfile() and m.size < 1 << 20:
                        consider(m.name, m)
                for name, (_, m) in found.items():
                    _write_build_file(dest, name, t.extractfile(m).read())
    except (OSError, tarfile.TarError, zipfile.BadZipFile) as e:
        raise BuildError(f"cannot read '{archive}': {e}") from None
    return dest


def _write_build_file(dest, name, data):
    with open(os.path.join(dest, name), "wb") as f:
        f.write(data)


def build_into(path, sha, settings, work, log, env=None):
    if os.path.isfile(path):
        src = unpack_sdist(settings.stick, path, os.path.join(
            work, "src", sdist_stem(path)))
    else:
        src = copy_tree(path, os.path.join(work, "src"))
    label = pep517.package_label(src, os.path.basename(path))
    requires, backend, bpath = pep517.read_build_system(src)
    pep517.refuse_foreign(label, src, backend)
    tools = list(settings.tools)
    if env is not None:
        # After the pinned tools on the backend's path.
        tools.append(pep517.Tool("index", "", [env.site],
                                 pep517.scan_provided(env.site)))
    pep517.check_requirements(label, backend, requires, tools,
                              pep517.marker_env(settings_version(settings)),
                              settings.skip)
    home = os.path.join(work, "home")
    os.makedirs(home)
    notes = os.path.join(work, "notes")
    benv = pep517.wrapper_env(settings.stick, settings.cc, label,
                              settings.provided_libs, [],
                              tools, home, notes, src,
                              clib_env(settings, work),
                              python=settings.python)
    wheel_dir = os.path.join(work, "wheel")
    os.makedirs(wheel_dir)
    start = time.monotonic()
    wheel = pep517.build_wheel(settings.python, src, backend, bpath,
                               wheel_dir, benv, log, label,
                               pep517.backend_config(backend, settings.stick,
                                                   home))
    name, version = wheel_identity(wheel)
    result = os.path.join(work, "result")
    exts, link = install_wheel(wheel, result, f"{name} {version}",
                               settings.objcopy)
    link = [home_relative(l, settings.clib_env.get("STICK_HOME"))
            for l in link]
    scrub_site(os.path.join(result, "site"), build_paths(settings, work))
    warnings = []
    if pep517.fell_back(log):
        warnings.append(f"{label}: its compiled build failed and its "
                        "pyproject.toml's override made a pure-Python wheel "
                        f"instead, which stick uses (log: {log})")
    warnings += [f"{n}; the backend went on without it (log: {log})"
                 for n in pep517.cc_notes(notes)]
    return ({"name": name, "version": version, "build-requirements":
             [[d.name, d.version, d.sha256] for d in env.dists] if env
             else [],
             "input_sha256": sha, "extensions": exts, "link": link,
             "backend": backend},
            {"input": path, "warnings": warnings,
             "build_seconds": round(time.monotonic() - start, 1)})



SCRUBBED = "/usr/src/stick"


def build_paths(settings, work):
    """[(path, neutral name)] of the directories a build's recorded
    configuration may name (numpy's __config__.py keeps the compiler's
    command and flags, its .pc file the build prefix), longest first: the
    temporary build directory, the toolchain, stick's home, the stick
    binary."""
    pairs = [(os.path.abspath(work), f"{SCRUBBED}/build"),
             (settings.toolchain, f"{SCRUBBED}/toolchain"),
             (settings.stick, "stick")]
    home = settings.clib_env.get("STICK_HOME")
    if home:
        pairs.append((os.path.abspath(home), f"{SCRUBBED}/home"))
    pairs = [(os.fsencode(p), os.fsencode(n)) for p, n in pairs if p]
    return sorted(pairs, key=lambda x: -len(x[0]))


def scrub_site(site, pairs):
    """Rewrites the paths of pairs (build_paths) in every text file of
    site, as stick/scrub.c does for a toolchain: where the build ran must
    not reach an output (its bytes would depend on $STICK_HOME and on the
    temporary directory's name). Binary files are left alone; the
    dist-info RECORD gets the rewritten files' new digests and sizes."""
    rewritten = {}
    for root, dirs, files in os.walk(site):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            if os.path.islink(path):
                continue
            with open(path, "rb") as f:
                data = f.read()
            if not any(p in data for p, _ in pairs) or b"\0" in data:
                continue
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            for p, n in pairs:
                data = data.replace(p, n)
            with open(path, "wb") as f:
                f.write(data)
            rewritten[os.path.relpath(path, site).replace(os.sep, "/")] = \
                data
    if rewritten:
        update_record(site, rewritten)


def update_record(site, files):
    """The RECORD lines of files ({relative path: new bytes}) with their
    new sha256 (urlsafe base64, unpadded, as wheels write it) and size."""
    import base64
    for entry in sorted(os.listdir(site)):
        record = os.path.join(site, entry, "RECORD")
        if not entry.endswith(".dist-info") or not os.path.isfile(record):
            continue
        with open(record, encoding="utf-8") as f:
            lines = f.readlines()
        out = []
        for line in lines:
            name = line.split(",", 1)[0]
            if name in files:
                digest = base64.urlsafe_b64encode(hashlib.sha256(
                    files[name]).digest()).rstrip(b"=").decode()
                line = f"{name},sha256={digest},{len(files[name])}\n"
            out.append(line)
        with open(record, "w", encoding="utf-8") as f:
            f.writelines(out)


def clib_env(settings, work):
    """The wrapper's environment for building C libraries on demand
    (stick/ccwrap.h): the toolchain, the file of the prefixes built for
    this package, where stick's cache, recipes and sources are; the
    toolchain's include/ on the include path; and
    pkg-config limited to the toolchain's .pc files (a backend's
    `pkg-config` is stick cc-wrap --pkg-config, which adds those of the
    libraries it builds)."""
    env = dict(settings.clib_env)
    env["STICK_CC_TOOLCHAIN"] = settings.toolchain
    env["STICK_CC_STATE"] = os.path.join(work, "clibs")
    env["PKG_CONFIG_LIBDIR"] = os.path.join(settings.toolchain, "lib",
                                            "pkgconfig")
    env["PKG_CONFIG_PATH"] = ""
    # The toolchain's include/ holds its libraries' headers (zlib.h,
    # openssl/, ffi.h, sqlite3.h, lzma.h, bzlib.h, editline/): an
    # extension compiles against the versions libstickpython.a links.
    env["CPPFLAGS"] = "-I" + os.path.join(settings.toolchain, "include")
    return env


def copy_tree(path, dest):
    shutil.copytree(path, dest, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", "__pycache__", "build", "dist", "*.egg-info"))
    return dest


def settings_version(settings):
    """The toolchain interpreter's version_info (for markers)."""
    if getattr(settings, "_version", None) is None:
        out = run_tool([settings.python, "-S", "-c",
                        "import sys; print(*sys.version_info[:3])"],
                       "asking the toolchain's interpreter its version")
        settings._version = tuple(int(x) for x in out.split())
    return settings._version


# -- outputs ---------------------------------------------------------------------

def exttab_source(extensions):
    """The C inittab of extensions [(dotted, ...)], sorted by name."""
    names = sorted(d for d, _ in extensions)
    lines = ["/* generated by stick; do not edit */",
             "#include <Python.h>", ""]
    lines += [f"PyObject *{init_symbol(d)}(void);" for d in names]
    lines += ["", "const struct _inittab stick_ext_inittab[] = {"]
    lines += [f'\t{{"{d}", {init_symbol(d)}}},' for d in names]
    lines += ["\t{NULL, NULL},", "};", ""]
    return "\n".join(lines)


def check_unique(built):
    seen = {}
    for b in built:
        for dotted, _ in b.extensions:
            if dotted in seen:
                raise BuildError(f"extension module '{dotted}' comes from "
                                 f"both {seen[dotted]} and {b.name} "
                                 f"{b.version}; keep one of them")
            seen[dotted] = f"{b.name} {b.version}"


def write_exttab(built, out):
    """out/exttab.c: the inittab of every extension of built."""
    check_unique(built)
    exts = [e for b in built for e in b.extensions]
    with open(os.path.join(out, "exttab.c"), "w", encoding="utf-8") as f:
        f.write(exttab_source(exts))


# -- the helper's request (stick/stickpy/helper.py) ---------------------------

REQUEST_KEYS = (
    "kind", "work", "sdist", "skip-requirement", "stick", "stick-home",
    # the toolchain (stick/toolchain.h)
    "toolchain", "python", "cc", "cxx", "include", "lib", "provided-lib",
    # the pinned build tools (stick/tool.h) and C libraries (stick/clib.h)
    "tool", "tool-path", "tool-provides", "clib", "clib-entry",
    "clib-sources", "clib-mirror", "stick-datadir", "libc", "target",
    "objcopy",
    # the requirements (stickpy.deps)
    "project", "requirement", "extra", "index-url", "extra-index-url",
    "find-links", "no-index", "upgrade")


def from_request(req):
    """The helper's `extensions` request (see REQUEST_KEYS): builds each
    `sdist` input, installs the requirements (stickpy.deps: a project's
    dependencies, `extra`, `requirement`, the index options), writes
    work/exttab.c; returns the result pairs: `note` (one per distribution
    resolved, downloaded or built), `site DIR` (before the application's
    paths), `dist NAME VERSION KIND SHA256 SOURCE`, `build-requirement
    NAME VERSION SHA256 SOURCE NEEDED-BY,...` (one per artifact installed
    from an index for a backend, not in the output), `package NAME VERSION
    SHA256`, `extension DOTTED PACKAGE`, then what the link needs: the
    table to compile, `object PATH` per extension, `archive PATH` per
    stick-built C library (and its `clib` line)."""
    work = req.need("work")
    home = req.need("stick-home")
    tools = request_tools(req)
    settings = Settings(os.path.abspath(req.need("toolchain")),
                        req.need("python"), req.need("stick"),
                        req.need("cc"), tools,
                        sorted(set(req.all("provided-lib"))),
                        req.all("clib-entry"), req.all("skip-requirement"),
                        request_clib_env(req, home),
                        req.get("objcopy") or "objcopy")
    notes = []

    def log(line):
        print(line, file=sys.stderr, flush=True)
        notes.append(line)

    settings.breqs = build_requirements(req, work, settings, home, log)
    built = [sdist_input(path, settings, home) for path in req.all("sdist")]
    sites, installed, dep_built = dependencies(
        req, work, settings, home, project_metadata(req, built), log)
    settings.breqs.write_lock()
    pairs = [("note", n) for n in notes] + [("site", b.site) for b in built]
    pairs += [("site", s) for s in sites] + deps.result_pairs(installed)
    pairs += settings.breqs.result_pairs()
    built += dep_built
    pairs += [("note", f"{b.name} {b.version}: its build pulled from the "
               "shared cache") for b in built if b.pulled]
    write_exttab(built, work)
    pairs += [("package", f"{b.name} {b.version} {b.input_sha256}")
              for b in built]
    pairs += [("extension", f"{d} {b.name} {o}") for b in built
              for d, o in b.extensions]
    pairs.append(("compile", "exttab.c"))
    pairs += [("object", p) for b in built for _, p in b.extensions]
    archives = []
    for b in built:
        links = [home_clib_path(l, home) for l in b.link]
        archives += [l for l in links if os.path.isabs(l)
                     and l not in archives]
    pairs += [("cache-entry", b.dir) for b in built
              if b.dir.startswith(os.path.join(home, "extensions", ""))]
    pairs += [("clib", c) for c in clib_lines(
        [a for a in archives if not is_host_cxx_runtime(a)],
        req.all("clib"))]
    pairs += [("clib", host_cxx_runtime_line(a)) for a in archives
              if is_host_cxx_runtime(a)]
    return pairs + [("archive", a) for a in archives]


def host_cxx_runtime_line(archive):
    """The `clib` line of the host's libstdc++.a (a glibc toolchain's C++
    runtime, linked in statically): g++'s version, GCC's license, the
    archive's path (a host file, not a stick recipe) and digest."""
    r = subprocess.run(["g++", "-dumpfullversion"], capture_output=True,
                       text=True, stdin=subprocess.DEVNULL)
    version = r.stdout.strip() if r.returncode == 0 and r.stdout.strip() \
        else "unknown"
    return (f"libstdc++ {version} GPL-3.0-only WITH GCC-exception-3.1 "
            f"{archive} {sha256_file(archive)}")


def is_host_cxx_runtime(archive):
    """Whether archive is the host's libstdc++.a, which a glibc
    toolchain's C++ extensions record (stick/ccwrap.h) and no library
    recipe builds; every other archive is a stick-built C library's."""
    return os.path.basename(archive) == "libstdc++.a"


def request_clib_env(req, home):
    """What stick cc-wrap needs to build a library recipe itself."""
    env = {"STICK_HOME": home, "STICK_CC_LIBC": req.get("libc") or "musl",
           "STICK_CC_MIRRORS": " ".join(req.all("clib-mirror"))}
    if req.get("target"):
        # The target, whose objcopy cc-wrap runs (stick/target.h).
        env["STICK_CC_TARGET"] = req.get("target")
    if req.get("cxx"):
        # The toolchain's C++ compiler (stick/ccwrap.h).
        env["STICK_CXX"] = req.get("cxx")
    if req.get("stick-datadir"):
        env["STICK_DATADIR"] = req.get("stick-datadir")
    if req.get("clib-sources"):
        env["STICK_CC_SOURCES"] = req.get("clib-sources")
    return env


def sdist_input(path, settings, home):
    """One --sdist (or [tool.stick] sdists) input, built or cached."""
    b = build_package(path, settings, home)
    for w in b.warnings:
        print(f"stick: warning: {w}", file=sys.stderr)
    print(f"{b.name} {b.version}: {len(b.extensions)} extension(s)"
          f"{' (cached)' if b.cached else ''}")
    return b


def project_metadata(req, built):
    """The METADATA of the project's own wheel, when its backend built it
    (the project is among the inputs) and its dependencies are dynamic."""
    project = req.get("project")
    if not project:
        return None
    import tomllib
    pyproject = os.path.join(project, "pyproject.toml")
    with open(pyproject, "rb") as f:
        meta = tomllib.load(f).get("project", {})
    if "dependencies" not in meta.get("dynamic", []):
        return None
    for b in built:
        for name in os.listdir(b.site):
            info = os.path.join(b.site, name)
            if name.endswith(".dist-info") and canonical_name(
                    name.split("-")[0]) == canonical_name(meta["name"]):
                return os.path.join(info, "METADATA")
    raise BuildError(f"{pyproject}: the dependencies are dynamic, and "
                     "no wheel of the project was built to read them from; "
                     "declare a [build-system] build-backend")


def build_requirements(req, work, settings, home, log):
    """The deps.BuildRequirements of the request: its index options, the
    pinned pip, and a project's lock (none for --sdist or --with apps)."""
    project = req.get("project")
    lock = os.path.join(os.path.abspath(project), deps.pylock.FILE_NAME) \
        if project else None
    index = deps.Index(req.get("index-url"), req.all("extra-index-url"),
                       req.all("find-links"), req.flag("no-index"))
    breq_work = os.path.join(os.path.abspath(work), "build-requirements")
    os.makedirs(breq_work, exist_ok=True)
    pip = [t for t in settings.tools if t.name == "pip"]
    tools = deps.Tools(sys.executable,
                       deps.tool_paths(settings.tools) if pip else [])
    return deps.BuildRequirements(index, tools, home, breq_work,
                                  settings.pinned(), lock,
                                  req.flag("upgrade"), log)


def dependencies(req, work, settings, home, metadata=None,
                 log=deps.log_line):
    """The requirements of the request (a project's dependencies, --extra,
    --with) resolved, locked, fetched and installed by stickpy.deps: pure
    wheels into one site, sdists through build_package. Returns (sites,
    Installed or None, [Built]); log: a progress line (a note)."""
    build = functools.partial(build_package, settings=settings, cache=home)
    sites, built, installed = deps.from_request(
        req, work, build, deps.tool_paths(settings.tools), log=log,
        metadata=metadata)
    return sites, installed, built


def clib_lines(archives, clibs):
    """The request's `clib NAME VERSION LICENSE SOURCE SHA256` lines of
    the stick-built C libraries the archives come from
    ($STICK_HOME/clibs/<key>/<name>-<version>-<digest>/lib/libX.a), for
    the SBOM."""
    by_name = {line.split(" ", 1)[0]: line for line in clibs}
    lines = []
    for a in archives:
        prefix = os.path.basename(os.path.dirname(os.path.dirname(a)))
        name = prefix.rsplit("-", 2)[0]
        if name not in by_name:
            raise BuildError(f"'{a}': no `clib` line for C library {name} "
                             "in the request (stick and stick/stickpy "
                             "disagree)")
        if by_name[name] not in lines:
            lines.append(by_name[name])
    return lines
