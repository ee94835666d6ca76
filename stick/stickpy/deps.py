"""A project's third-party requirements: resolved by the pinned pip, run
by the toolchain's interpreter (so the target's Python version and tags
decide what fits), locked in pylock.toml, fetched into a cache keyed by
sha256 and verified, then installed: pure wheels unpacked as they are into
a site directory, everything with compiled code handed over as an sdist to
the extension build (`build_sdists`).

    reqs = requirements(pyproject, extras, with_reqs)
    res = ensure(reqs, Index(...), Tools(python, paths), home, work,
                 project_file=pyproject)
    inst = install(res, site_dir)
    built = build_sdists(inst, extensions_build_sdist)

Everything that can fail raises DepsError with a message in stick's style
(what failed, which file, what to do).
"""

import email.parser
import hashlib
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from dataclasses import dataclass, field

from . import pylock
from .cache import CacheDir
from .request import HelperError
from .util import canonical_name, sha256_file

PIP_VERSION = "25.1.1"
# Suffixes of compiled code: a wheel holding one is not pure, whatever
# its tags say.
NATIVE_SUFFIXES = (".so", ".pyd", ".dll", ".dylib", ".a", ".o")
CHUNK = 1 << 16


class DepsError(HelperError):
    """A dependency problem, reported by the helper as one message."""


@dataclass
class Index:
    """Index options as pip spells them; pip's own configuration files
    and PIP_* variables apply on top (stick never passes --isolated)."""
    index_url: str = None
    extra_index_urls: list = field(default_factory=list)
    find_links: list = field(default_factory=list)
    no_index: bool = False

    def pip_args(self):
        args = []
        if self.index_url:
            args += ["--index-url", self.index_url]
        for url in self.extra_index_urls:
            args += ["--extra-index-url", url]
        for place in self.find_links:
            args += ["--find-links", place]
        if self.no_index:
            args.append("--no-index")
        return args


@dataclass
class Tools:
    """The interpreter that runs pip (the toolchain's), and the import
    roots put on its PYTHONPATH: pip's source tree first, then the pinned
    build tools pip needs to prepare the metadata of sdists."""
    python: str
    paths: list


@dataclass
class Dist:
    """One locked distribution and its verified artifact."""
    name: str
    version: str
    kind: str           # "sdist" or "wheel" (always pure)
    file: str           # the artifact's file name
    sha256: str
    url: str = None     # where it came from (http(s) or file)
    path: str = None    # where the lock says it is (relative to the lock)
    cached: str = None  # the verified copy in the cache


@dataclass
class Resolved:
    dists: list
    lock_path: str = None
    from_lock: bool = False


@dataclass
class Installed:
    site_dir: str
    wheels: list        # Dist of each pure wheel unpacked into site_dir
    sdists: list        # Dist of each sdist the extension build must build
    skipped: list       # (Dist, member) of wheel data stick does not install


def log_line(text):
    print(text, file=sys.stderr, flush=True)


# -- requirements ---------------------------------------------------------

def requirements(pyproject, extras=(), with_reqs=()):
    """The requirement strings of a project: [project.dependencies], those
    of each --extra NAME, then each --with REQ. pyproject may be None (a
    --script or --entry app: only --with)."""
    if pyproject:
        reqs = _project_requirements(pyproject, extras)
    elif extras:
        raise DepsError("--extra needs a project (a pyproject.toml with "
                        "[project.optional-dependencies])")
    else:
        reqs = []
    reqs += list(with_reqs)
    for r in reqs:
        if not r.strip() or r.lstrip().startswith("-"):
            raise DepsError(f"'{r}' is not a requirement (PEP 508, such as "
                            "'click>=8'); pip options go in stick's "
                            "index options or pip's configuration")
    return reqs


def _project_requirements(pyproject, extras):
    try:
        with open(pyproject, "rb") as f:
            meta = tomllib.load(f).get("project", {})
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise DepsError(f"cannot read '{pyproject}': {e}") from None
    dynamic = meta.get("dynamic", [])
    if "dependencies" in dynamic or \
            (extras and "optional-dependencies" in dynamic):
        raise DepsError(f"{pyproject}: the dependencies are dynamic "
                        "(set by the build backend); they are read from "
                        "the METADATA of the wheel the project's backend "
                        "builds (requirements_from_metadata)")
    reqs = list(_string_list(meta, "dependencies", pyproject))
    optional = meta.get("optional-dependencies", {})
    for extra in extras:
        if extra not in optional:
            known = ", ".join(sorted(optional)) or "none"
            raise DepsError(f"{pyproject}: no extra '{extra}' in "
                            "[project.optional-dependencies] "
                            f"(declared: {known})")
        reqs += _string_list(optional, extra, pyproject)
    return reqs


def packaging(pip_src):
    """pip's vendored `packaging` (markers, requirements), imported from
    pip's source tree: the same code pip resolves with."""
    if pip_src and pip_src not in sys.path:
        sys.path.insert(0, pip_src)
    from pip._vendor.packaging import markers, requirements
    return markers, requirements


def requirements_from_metadata(text, extras=(), pip_src=None):
    """The requirement strings of a built wheel's METADATA (Requires-Dist),
    for a project whose backend computes them. A marker is evaluated here,
    with each selected extra, and dropped: this runs in the toolchain's
    interpreter, the target itself, so the result is what pip would
    decide; pip then gets the bare requirement (a top-level `extra ==`
    marker would always be false to it). pip_src: pip's source tree, for
    its vendored `packaging`."""
    _, requirements_ = packaging(pip_src)
    meta = email.parser.Parser().parsestr(text)
    reqs = []
    for line in meta.get_all("Requires-Dist") or []:
        try:
            req = requirements_.Requirement(line)
        except requirements_.InvalidRequirement as e:
            raise DepsError(f"the project's METADATA has a bad "
                            f"Requires-Dist '{line}': {e}") from None
        if req.marker is not None:
            if not any(req.marker.evaluate({"extra": x})
                       for x in ("", *extras)):
                continue
            req.marker = None
        reqs.append(str(req))
    return reqs


def _string_list(table, key, where):
    value = table.get(key, [])
    if not isinstance(value, list) or \
            not all(isinstance(v, str) for v in value):
        raise DepsError(f"{where}: '{key}' must be a list of strings")
    return value


# -- running pip -----------------------------------------------------------

def pip_env(tools):
    """The environment of pip and of the build backends it starts: the
    caller's (pip's configuration, PIP_*, proxies, HOME), minus every
    PYTHON* variable that would let the host's Python settings in, plus
    the pinned tools on PYTHONPATH. The variables, not -I/-S flags, carry
    this: pip starts the backends with sys.executable and no flags."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PYTHON")}
    env["PYTHONPATH"] = os.pathsep.join(tools.paths)
    env["PYTHONNOUSERSITE"] = "1"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def pip_command(tools, home, index, reqs, report, no_binary,
                ignore_installed=True):
    """pip's resolution as a dry run with a report. ignore_installed=False
    (build requirements): what pip finds installed on PYTHONPATH (the
    pinned tools, through stubs) is kept, not reported."""
    cmd = [tools.python, "-m", "pip", "install", "--dry-run",
           "--report", report,
           "--no-build-isolation", "--disable-pip-version-check",
           "--no-input", "--progress-bar", "off",
           "--cache-dir", os.path.join(home, "pip")]
    if ignore_installed:
        cmd[5:5] = ["--ignore-installed"]
    if no_binary:
        cmd += ["--no-binary", ",".join(sorted(no_binary))]
    return cmd + index.pip_args() + list(reqs)


def run_pip(tools, home, work, index, reqs, no_binary,
            ignore_installed=True):
    """Runs one resolution; returns (report dict or None, log path)."""
    work = os.path.abspath(work)
    os.makedirs(work, exist_ok=True)
    report = os.path.join(work, "pip-report.json")
    log = os.path.join(work, "pip-resolve.log")
    for old in (report, debug_log(log)):
        if os.path.exists(old):
            os.unlink(old)
    cmd = pip_command(tools, home, index, reqs, report, no_binary,
                      ignore_installed)
    # pip's own --log keeps its debug lines (why an index page could not
    # be fetched) out of the console log the user reads first.
    cmd[4:4] = ["--log", debug_log(log)]
    with open(log, "w") as out:
        out.write("$ " + " ".join(cmd) + "\n")
        out.flush()
        try:
            rc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=subprocess.STDOUT,
                                env=pip_env(tools)).returncode
        except OSError as e:
            raise DepsError(f"cannot run pip with '{tools.python}': "
                            f"{e.strerror}; is the toolchain complete?")
    if rc != 0:
        return None, log
    with open(report) as f:
        return json.load(f), log


def debug_log(log):
    return log[:-len(".log")] + "-debug.log"


def _log_text(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def index_urls(text):
    """The indexes and link locations pip says it looked in."""
    urls = []
    for line in text.splitlines():
        for prefix in ("Looking in indexes: ", "Looking in links: "):
            if line.startswith(prefix):
                urls += [u.strip() for u in line[len(prefix):].split(",")]
    return urls or ["https://pypi.org/simple"]


# What pip's debug log says when an index page could not be fetched.
UNREACHABLE = re.compile(r"Could not fetch URL (\S+?): (connection error|"
                         r"timed out|There was a problem confirming)")


def pip_failure(text, log, project_file, no_binary, debug="", what=None):
    """The DepsError for a failed resolution, from pip's console output
    and its debug log. what: what was resolved, when not a project's or
    --with's requirements (build requirements)."""
    lines = text.splitlines()
    # pip ends with its errors: from the first ERROR line on, with the
    # indented lines that explain them.
    first = next((i for i, ln in enumerate(lines)
                  if ln.startswith("ERROR: ")), None)
    errors = lines[first:] if first is not None else lines[-10:]
    if any(ln.startswith("Traceback") for ln in errors):
        errors = errors[:1] + errors[-1:]
    if what is None:
        what = f"the requirements of '{project_file}'" if project_file \
            else "the requirements given with --with"
    missing = re.findall(r"No matching distribution found for (\S+)", text)
    for req in missing:
        name = canonical_name(re.split(r"[<>=!~;\[ (]", req)[0])
        if name in no_binary:
            raise DepsError(
                f"'{name}' is available only as a binary wheel for this "
                f"target: stick links compiled code into the executable "
                f"and builds it from the sdist, which the index does not "
                f"have (a binary wheel is never taken for an extension); "
                f"publish its sdist or drop the requirement (pip's log: "
                f"{log})")
    backend = re.search(r"BackendUnavailable: Cannot import '([^']+)'",
                        text)
    if backend:
        sdists = re.findall(r"^\s*(?:Processing|Downloading|Collecting) "
                            r"(\S+)", text, re.M)
        which = f"the sdist '{artifact_name(sdists[-1])}'" if sdists \
            else "an sdist"
        raise DepsError(
            f"{which}, needed by {what}, declares the build backend "
            f"'{backend.group(1)}', which is not among stick's pinned "
            f"build tools (pip's log: {log}); pip prepares an sdist's "
            "metadata with the pinned tools only: pin the backend as a "
            "tool recipe in thirdparty/, or use a pure wheel of the "
            "package")
    failed = UNREACHABLE.search(debug)
    if failed:
        urls = ", ".join(index_urls(text))
        raise DepsError(
            f"cannot reach the package index {urls} to resolve {what} "
            f"({failed.group(1)}: {failed.group(2)}; pip's logs: {log}, "
            f"{debug_log(log)}); check the URL and the network, or build "
            "offline with --find-links DIR --no-index (or from an existing "
            "pylock.toml and a warm cache)")
    shown = "\n".join("  " + ln for ln in errors)
    raise DepsError(f"cannot resolve {what} with pip {PIP_VERSION} "
                    f"(log: {log}):\n{shown}")


# -- the report -----------------------------------------------------------

def artifact_name(url):
    path = urllib.parse.urlsplit(url).path
    return urllib.parse.unquote(path.rstrip("/").rsplit("/", 1)[-1])


def wheel_tags(file_name):
    """(pythons, abis, platforms) of a wheel file name, each a set."""
    parts = file_name[:-len(".whl")].split("-")
    if len(parts) not in (5, 6):
        raise DepsError(f"'{file_name}' is not a valid wheel file name")
    return tuple(set(p.split(".")) for p in parts[-3:])


def classify(file_name):
    """'sdist', 'pure-wheel' or 'binary-wheel', by the file name alone
    (a pure wheel's content is checked again when it is unpacked)."""
    if not file_name.endswith(".whl"):
        return "sdist"
    _, abis, platforms = wheel_tags(file_name)
    return "pure-wheel" if abis == {"none"} and platforms == {"any"} \
        else "binary-wheel"


def report_dists(report):
    """A Dist (no cached file yet) for every install item of a report."""
    dists = []
    for item in report.get("install", []):
        info = item.get("download_info", {})
        meta = item.get("metadata", {})
        name = canonical_name(meta.get("name", "?"))
        if "archive_info" not in info:
            kind = "a local directory" if "dir_info" in info \
                else "a version-control checkout"
            raise DepsError(f"'{name}' resolves to {kind} "
                            f"({info.get('url')}); stick locks archives "
                            "only: give it as an sdist or a wheel")
        url = info["url"]
        sha = info["archive_info"].get("hashes", {}).get("sha256")
        file = artifact_name(url)
        kind = "sdist" if classify(file) == "sdist" else "wheel"
        dists.append(Dist(name, meta.get("version"), kind, file, sha, url))
    return dists


# -- fetching into the cache ------------------------------------------------

def cache_dir(home):
    return os.path.join(home, "dists")


def _ssl_context(tools):
    """The system's CA certificates, or pip's bundled ones when the
    toolchain's OpenSSL finds none (it looks under its own prefix)."""
    ctx = ssl.create_default_context()
    if not ctx.cert_store_stats()["x509_ca"] and \
            not os.environ.get("SSL_CERT_FILE"):
        for root in tools.paths if tools else []:
            bundle = os.path.join(root, "pip", "_vendor", "certifi",
                                  "cacert.pem")
            if os.path.exists(bundle):
                ctx.load_verify_locations(bundle)
                break
    return ctx


def _source(d, lock_dir):
    """('file', PATH) or ('url', URL) of where the artifact comes from."""
    if d.path:
        base = lock_dir or os.getcwd()
        return "file", os.path.normpath(os.path.join(base, d.path))
    if d.url.startswith("file:"):
        return "file", urllib.request.url2pathname(
            urllib.parse.urlsplit(d.url).path)
    return "url", d.url


def _copy_hashing(src, dst):
    h = hashlib.sha256()
    for chunk in iter(lambda: src.read(CHUNK), b""):
        h.update(chunk)
        dst.write(chunk)
    return h.hexdigest()


def _download(d, lock_dir, tmp, tools):
    kind, where = _source(d, lock_dir)
    try:
        with open(tmp, "wb") as dst:
            if kind == "file":
                with open(where, "rb") as src:
                    return _copy_hashing(src, dst), where
            with urllib.request.urlopen(where, timeout=60,
                                        context=_ssl_context(tools)) as src:
                return _copy_hashing(src, dst), where
    except FileNotFoundError:
        raise DepsError(f"'{where}' ({d.name} {d.version}) does not exist; "
                        "restore it, or re-resolve with --upgrade") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", None) or e
        raise DepsError(f"cannot download '{where}' ({d.name} {d.version}): "
                        f"{reason}; check the index, or build offline with "
                        "--find-links DIR --no-index") from None


def _verified(path, sha256):
    return os.path.isfile(path) and sha256_file(path) == sha256


def _download_checked(d, lock_dir, tmp, tools, lock_path):
    """Downloads d's artifact to tmp; its sha256, which d.sha256 (when
    known) must match."""
    actual, where = _download(d, lock_dir, tmp, tools)
    if d.sha256 and actual != d.sha256:
        said = f"'{lock_path}'" if lock_path else "the index"
        raise DepsError(
            f"'{d.file}' ({where}) has sha256 {actual}, but {said} "
            f"expects {d.sha256}: the artifact changed since it was "
            "locked; nothing was built. If the change is expected, "
            "re-resolve with --upgrade")
    return actual


def _dist_entry(d, root, sha256, what):
    """The cache entry ROOT/SHA256/ holding d's file (stickpy.cache)."""
    return CacheDir(os.path.join(root, sha256), what, valid=lambda e:
                    _verified(os.path.join(e, d.file), sha256))


def fetch(d, home, lock_dir=None, tools=None, lock_path=None, log=log_line):
    """Makes d.cached a verified copy of d's artifact; downloads it when
    the cache lacks it. A digest that differs from the locked one is an
    error naming the file and both digests; nothing is kept."""
    root = cache_dir(home)
    if d.sha256 and _verified(os.path.join(root, d.sha256, d.file),
                              d.sha256):
        d.cached = os.path.join(root, d.sha256, d.file)
        return d
    os.makedirs(root, exist_ok=True)
    what = f"downloading {d.file}"
    start = time.monotonic()
    downloaded = False
    if d.sha256:
        with _dist_entry(d, root, d.sha256, what) as e:
            if not e.ready:
                _download_checked(d, lock_dir, os.path.join(e.tmp, d.file),
                                  tools, lock_path)
                e.commit()
                downloaded = True
    else:
        # Its digest, and so its entry, is known once it is downloaded.
        with CacheDir(os.path.join(root, ".downloads", d.file), what) as s:
            d.sha256 = _download_checked(d, lock_dir, os.path.join(
                s.tmp, d.file), tools, lock_path)
            downloaded = True
            with _dist_entry(d, root, d.sha256, what) as e:
                if not e.ready:
                    e.commit(s.tmp)
    d.cached = os.path.join(root, d.sha256, d.file)
    if downloaded:
        size = os.path.getsize(d.cached)
        log(f"downloaded {d.name} {d.version} ({d.file}, {size // 1024} "
            f"KiB) ... {time.monotonic() - start:.1f}s")
    return d


# -- wheels -----------------------------------------------------------------

def _dist_info(names, file):
    infos = {n.split("/", 1)[0] for n in names
             if n.split("/", 1)[0].endswith(".dist-info")}
    if len(infos) != 1:
        raise DepsError(f"wheel '{file}' has {len(infos)} *.dist-info "
                        "directories (expected one); it is malformed")
    return infos.pop()


def wheel_problem(path, file):
    """Why a wheel cannot be used as pure Python (None when it can)."""
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        info = _dist_info(names, file)
        wheel = email.parser.Parser().parsestr(
            z.read(f"{info}/WHEEL").decode("utf-8"))
    if wheel.get("Root-Is-Purelib", "").strip().lower() != "true":
        return "its WHEEL says Root-Is-Purelib is not true"
    native = [n for n in names if n.endswith(NATIVE_SUFFIXES)
              or ".so." in n.rsplit("/", 1)[-1]]
    if native:
        return f"it holds compiled code ('{native[0]}')"
    return None


def _member_target(name, data_dir):
    """Where a wheel member goes, relative to the site directory, or None
    for data stick does not install (scripts, headers, data)."""
    if name.startswith(data_dir + "/"):
        scheme, _, rest = name[len(data_dir) + 1:].partition("/")
        return rest if scheme in ("purelib", "platlib") and rest else None
    return name


def _safe_join(root, rel, file):
    parts = rel.split("/")
    if rel.startswith("/") or ".." in parts or "\\" in rel:
        raise DepsError(f"wheel '{file}' has an entry '{rel}' that would "
                        "escape its directory; refusing it")
    return os.path.join(root, *parts)


def unpack_wheel(d, site_dir):
    """Unpacks a pure wheel as pip would into one site directory (purelib
    and platlib merged); returns the members left out."""
    with zipfile.ZipFile(d.cached) as z:
        names = z.namelist()
        info = _dist_info(names, d.file)
        data_dir = info[:-len(".dist-info")] + ".data"
        skipped = []
        for member in z.infolist():
            if member.is_dir():
                continue
            rel = _member_target(member.filename, data_dir)
            if rel is None:
                skipped.append(member.filename)
                continue
            target = _safe_join(site_dir, rel, d.file)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with z.open(member) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    with open(os.path.join(site_dir, info, "INSTALLER"), "w") as f:
        f.write("stick\n")
    return skipped


# -- the lock ---------------------------------------------------------------

def lock_tool_table(reqs, tools):
    return {"requirements": sorted(reqs), "python": _python_tag(tools)}


_PYTHON_TAGS = {}


def _python_tag(tools):
    """'cp313-linux_x86_64' style: the target's most specific tag, asked
    of the interpreter through pip's own packaging."""
    if tools.python not in _PYTHON_TAGS:
        code = ("from pip._vendor.packaging import tags; "
                "t = next(iter(tags.sys_tags())); "
                "print(f'{t.interpreter}-{t.platform}')")
        try:
            out = subprocess.run([tools.python, "-c", code],
                                 env=pip_env(tools), capture_output=True,
                                 text=True, check=True)
        except (OSError, subprocess.CalledProcessError) as e:
            raise DepsError(f"cannot ask '{tools.python}' for its tags: "
                            f"{getattr(e, 'stderr', None) or e}") from None
        _PYTHON_TAGS[tools.python] = out.stdout.strip()
    return _PYTHON_TAGS[tools.python]


def _lock_path(file_url, lock_dir):
    """A local artifact's path in the lock: relative to the lock when it
    is inside the lock's directory (the project moves with it), else
    absolute (PEP 751 allows both)."""
    local = urllib.request.url2pathname(urllib.parse.urlsplit(file_url).path)
    if lock_dir:
        rel = os.path.relpath(local, lock_dir)
        if rel != ".." and not rel.startswith(".." + os.sep):
            return rel
    return local


def lock_document(dists, lock_dir, tool):
    packages = []
    for d in dists:
        path = None
        url = d.url
        if url and url.startswith("file:"):
            path, url = _lock_path(url, lock_dir), None
        size = os.path.getsize(d.cached) if d.cached else None
        a = pylock.artifact(d.file, d.sha256, url=url, path=path, size=size)
        packages.append(pylock.package(d.name, d.version,
                                       sdist=a if d.kind == "sdist" else None,
                                       wheel=a if d.kind == "wheel" else None))
    return pylock.document(packages, tool)


def _pick(p, lock_path):
    """The artifact stick installs of a locked package: a pure wheel when
    the lock has one, else the sdist; never a binary wheel."""
    found = pylock.artifacts(p)
    for kind, a in found:
        if kind == "sdist" or classify(a["name"]) == "pure-wheel":
            return kind, a
    raise DepsError(f"'{p['name']}' {p['version']} has only binary wheels "
                    f"in '{lock_path}' ({found[0][1]['name']}, ...): stick "
                    "builds compiled code from sdists; re-resolve with "
                    "--upgrade")


def _marker_holds(marker, doc, pip_src):
    """A package's marker, evaluated here: deps runs in the toolchain's
    interpreter, the target itself. Extras none, groups the defaults."""
    markers, _ = packaging(pip_src)
    try:
        return markers.Marker(marker).evaluate(
            {"extras": frozenset(), "dependency_groups":
             frozenset(doc.get("default-groups", []))}, context="lock_file")
    except (markers.InvalidMarker, ValueError, KeyError) as e:
        raise DepsError(f"cannot evaluate the marker '{marker}': {e}") \
            from None


def dists_from_lock(doc, lock_path, pip_src=None):
    """The Dists a lock installs on this target: packages whose marker
    holds, each from a pure wheel or its sdist (sorted by name)."""
    dists = []
    for p in doc.get("packages", []):
        if p.get("marker") and not _marker_holds(p["marker"], doc, pip_src):
            continue
        kind, a = _pick(p, lock_path)
        dists.append(Dist(canonical_name(p["name"]), str(p["version"]),
                          kind, a["name"], a["hashes"]["sha256"],
                          a.get("url"), a.get("path")))
    return sorted(dists, key=lambda d: d.name)


def check_covers(dists, reqs, lock_path, project_file, pip_src=None):
    """A lock another tool wrote must hold every requirement that applies
    to this target (markers evaluated here, in the target)."""
    _, requirements_ = packaging(pip_src)
    have = {d.name for d in dists}
    for text in reqs:
        try:
            req = requirements_.Requirement(text)
        except requirements_.InvalidRequirement as e:
            raise DepsError(f"'{text}' is not a valid requirement: {e}") \
                from None
        if req.marker is not None and not req.marker.evaluate():
            continue
        if canonical_name(req.name) not in have:
            raise DepsError(
                f"'{lock_path}' has no package '{req.name}', which "
                f"{project_file or '--with'} requires; update the lock "
                "with the tool that wrote it, or run with --upgrade to let "
                "stick lock the requirements again")


def _stale(doc, tool):
    """Why the lock no longer fits (None when it does). A lock another
    tool wrote is the user's: installed as it is, never rewritten unless
    --upgrade asks for it."""
    if doc.get("created-by") != "stick":
        return None
    have = doc.get("tool", {}).get("stick", {})
    if have.get("requirements") != tool["requirements"]:
        return "the requirements changed"
    if have.get("python") != tool["python"]:
        return (f"it was made for {have.get('python')}, this target is "
                f"{tool['python']}")
    return None


# -- resolution -------------------------------------------------------------

def resolve(reqs, index, tools, home, work, project_file=None,
            log=log_line):
    """Resolves with pip; returns Dists with cached, verified artifacts.
    Any requirement pip answers with a binary wheel is resolved again
    from its sdist; a pure-tagged wheel found to hold compiled code too."""
    no_binary = set()
    for _ in range(4):
        start = time.monotonic()
        report, log_path = run_pip(tools, home, work, index, reqs, no_binary)
        if report is None:
            pip_failure(_log_text(log_path), log_path, project_file,
                        no_binary, _log_text(debug_log(log_path)))
        dists = report_dists(report)
        log(f"resolved {len(reqs)} requirement(s) to {len(dists)} "
            f"distribution(s) with pip {PIP_VERSION} ... "
            f"{time.monotonic() - start:.1f}s")
        binary = {d.name for d in dists
                  if classify(d.file) == "binary-wheel"}
        if not binary:
            for d in dists:
                fetch(d, home, tools=tools, log=log)
            binary = {d.name for d in dists if d.kind == "wheel" and
                      wheel_problem(d.cached, d.file)}
        if not binary:
            return dists
        log(f"resolving {', '.join(sorted(binary))} again from source "
            "(compiled code is built from sdists)")
        no_binary |= binary
    raise DepsError("resolution did not settle on sdists for "
                    f"{', '.join(sorted(no_binary))}; see {log_path}")


def ensure(reqs, index, tools, home, work, project_file=None, upgrade=False,
           lock_path=None, log=log_line):
    """The distributions to install, every artifact in the cache and
    verified. With lock_path: an existing lock that still fits the
    requirements and the target is installed exactly (pip does not run);
    otherwise (or with upgrade) pip resolves and the lock is written."""
    if lock_path is None and project_file:
        lock_path = os.path.join(os.path.dirname(project_file),
                                 pylock.FILE_NAME)
    lock_dir = os.path.dirname(os.path.abspath(lock_path)) if lock_path \
        else None
    tool = lock_tool_table(reqs, tools)
    if lock_path and os.path.exists(lock_path) and not upgrade:
        try:
            doc = pylock.read(lock_path)
        except pylock.LockError as e:
            raise DepsError(f"{e}") from None
        why = _stale(doc, tool)
        if why is None:
            pip_src = (tools.paths or [None])[0]
            dists = dists_from_lock(doc, lock_path, pip_src)
            if doc.get("created-by") != "stick":
                check_covers(dists, reqs, lock_path, project_file, pip_src)
            for d in dists:
                fetch(d, home, lock_dir, tools, lock_path, log)
            return Resolved(dists, lock_path, from_lock=True)
        log(f"{lock_path}: {why}; resolving again")
    if not reqs:
        dists = []
    else:
        dists = resolve(reqs, index, tools, home, work, project_file, log)
    if lock_path:
        pylock.write(lock_path, lock_document(dists, lock_dir, tool))
        log(f"wrote {lock_path} ({len(dists)} package(s))")
    return Resolved(dists, lock_path, from_lock=False)


# -- installing ---------------------------------------------------------------

def install(resolved, site_dir):
    """Pure wheels unpacked into site_dir; sdists listed for the extension
    build (`build_sdists`)."""
    os.makedirs(site_dir, exist_ok=True)
    wheels, sdists, skipped = [], [], []
    for d in resolved.dists:
        if d.kind == "sdist":
            sdists.append(d)
            continue
        problem = wheel_problem(d.cached, d.file)
        if problem:
            raise DepsError(f"'{d.file}' ({d.name} {d.version}) cannot be "
                            f"used as pure Python: {problem}; re-resolve "
                            "with --upgrade so it is built from its sdist")
        skipped += [(d, m) for m in unpack_wheel(d, site_dir)]
        wheels.append(d)
    return Installed(site_dir, wheels, sdists, skipped)


def build_sdists(installed, build_package, log=log_line):
    """Each sdist through the extension build (C extensions compiled and
    made relocatable objects, pure ones just built): build_package(path)
    returns an extensions.Built (.site, .extensions [(dotted, object)],
    .link, .cached); bind it with functools.partial(extensions.
    build_package, settings=..., cache=STICK_HOME). Returns [(Dist,
    Built)] in lock order."""
    done = []
    for d in installed.sdists:
        start = time.monotonic()
        built = build_package(d.cached)
        how = "cached" if getattr(built, "cached", False) else "built"
        log(f"{how} {d.name} {d.version} from its sdist "
            f"({len(built.extensions)} extension(s)) ... "
            f"{time.monotonic() - start:.1f}s")
        done.append((d, built))
    return done


def tool_paths(tools):
    """The import roots deps runs pip with, from the pinned build tools
    (extensions.request_tools: objects with .name and .roots): pip's first,
    then every other tool's, for the sdists whose metadata pip prepares."""
    pip = [t for t in tools if t.name == "pip"]
    if not pip:
        raise DepsError("no pinned pip among the build tools (recipe "
                        "thirdparty/pip, kind tool); run scripts/setup or "
                        "stick fetch pip")
    return list(pip[0].roots) + [r for t in tools if t.name != "pip"
                                 for r in t.roots]


def distributions(installed):
    """What the SBOM and `stick info` list: one dict per distribution."""
    return [{"name": d.name, "version": d.version, "kind": d.kind,
             "file": d.file, "sha256": d.sha256,
             "source": d.url or d.path}
            for d in sorted(installed.wheels + installed.sdists,
                            key=lambda d: d.name)]


# -- build requirements from the index ---------------------------------------

BUILD_ENV_FORMAT = "1"
LOCK_BUILD_KEY = "build-requirements"


@dataclass
class BuildEnv:
    """The per-build environment of build requirements from an index: its
    import root (after the pinned tools on the backend's path), the Dists
    in it and the digest of that set (in the extension build's key)."""
    site: str
    dists: list
    digest: str


def _build_env_digest(dists):
    data = [BUILD_ENV_FORMAT] + sorted([d.name, d.version, d.sha256]
                                       for d in dists)
    return hashlib.sha256(json.dumps(data).encode()).hexdigest()


class BuildRequirements:
    """What a package's [build-system] requires and no pinned tool
    provides, resolved as pip's build isolation would: by the pinned pip,
    from the index options the user gave (--index-url, --extra-index-url,
    --find-links), the pinned tools counting as installed. Each artifact
    is fetched and verified into the dists cache like a dependency; the
    pure wheels of one resolved set are unpacked into one environment,
    $STICK_HOME/build-envs/<digest of the set>/site (stickpy.cache), which
    the backend finds after the pinned tools. An sdist or a binary wheel
    is refused. In a project, the sets are locked in pylock.toml,
    [[tool.stick.build-requirements]] (name, version, file, url or path,
    sha256, needed-by: the packages whose build needs it); a later build
    takes them from the lock (verified; offline from the cache) as long as
    they satisfy the requirements, and --upgrade resolves again. Without
    a lock (--sdist, --with) they are resolved on every build."""

    def __init__(self, index, tools, home, work, pinned, lock_path=None,
                 upgrade=False, log=log_line):
        self.index = index
        self.pinned = pinned    # {canonical name: version} of the tools
        self.tools = tools
        self.home = home
        self.work = work
        self.log = log
        self.lock_path = lock_path
        self.lock_dir = os.path.dirname(os.path.abspath(lock_path)) \
            if lock_path else None
        self.locked = {}    # package (canonical) -> [Dist]
        self.used = {}      # package (canonical) -> [Dist], this build
        self.runs = 0
        if lock_path and os.path.exists(lock_path):
            try:
                doc = pylock.read(lock_path)
            except pylock.LockError as e:
                raise DepsError(f"{e}") from None
            if doc.get("created-by") != "stick":
                # The user's lock: never rewritten; resolved every build.
                self.lock_path = None
            elif not upgrade:
                self.locked = locked_build_requirements(doc, lock_path)

    def has_index(self):
        i = self.index
        return bool(i.index_url or i.extra_index_urls or i.find_links)

    def available(self):
        """Whether anything can supply a build requirement: an index the
        user gave, or the lock."""
        return self.has_index() or bool(self.locked)

    def environment(self, package, backend, reqs):
        """The BuildEnv with reqs (pep517.Requirement, unmet by the pinned
        tools) for package ("NAME VERSION"); raises DepsError when nothing
        supplies them."""
        name = canonical_name(package.split(" ", 1)[0])
        dists = self._from_lock(name, reqs)
        said = self.lock_path if dists is not None else None
        if dists is None:
            if not self.has_index():
                first = reqs[0]
                raise DepsError(
                    f"{package}: build backend '{backend}' requires "
                    f"'{first.text}', which no pinned build tool provides "
                    f"and '{self.lock_path}' does not lock (or no longer "
                    "satisfies); give an index that has it (--index-url URL "
                    "or --find-links DIR|URL) to resolve it again")
            dists = self._resolve(package, reqs)
        for d in dists:
            fetch(d, self.home, self.lock_dir, self.tools, said, self.log)
        env = self._install(package, dists)
        self.used[name] = dists
        return env

    def _from_lock(self, name, reqs):
        dists = self.locked.get(name)
        if not dists:
            return None
        have = {d.name: d for d in dists}
        for r in reqs:
            d = have.get(canonical_name(r.name))
            if d is None or not r.satisfied_by(d.version):
                self.log(f"{self.lock_path}: the locked build requirements "
                         f"of {name} do not satisfy '{r.text}'; resolving "
                         "again")
                return None
        return dists

    def _stubs(self, work):
        """A directory of *.dist-info stubs, one per distribution the
        pinned tools provide, so pip counts them installed."""
        stubs = os.path.join(work, "pinned")
        os.makedirs(stubs, exist_ok=True)
        for name, version in sorted(self.pinned.items()):
            info = os.path.join(stubs, f"{name.replace('-', '_')}-"
                                f"{version}.dist-info")
            os.makedirs(info, exist_ok=True)
            with open(os.path.join(info, "METADATA"), "w") as f:
                f.write(f"Metadata-Version: 2.1\nName: {name}\n"
                        f"Version: {version}\n")
            with open(os.path.join(info, "INSTALLER"), "w") as f:
                f.write("stick\n")
        return stubs

    def _resolve(self, package, reqs):
        if not self.tools.paths:
            raise DepsError("no pinned pip among the build tools (recipe "
                            "thirdparty/pip, kind tool) to resolve the "
                            f"build requirements of {package}")
        self.runs += 1
        work = os.path.join(self.work, f"build-requirements-{self.runs}")
        os.makedirs(work, exist_ok=True)
        texts = [r.text for r in reqs]
        tools = Tools(self.tools.python,
                      list(self.tools.paths) + [self._stubs(work)])
        what = (f"the build requirements of {package} "
                f"({', '.join(texts)})")
        start = time.monotonic()
        report, log_path = run_pip(tools, self.home, work, self.index, texts,
                                   set(), ignore_installed=False)
        if report is None:
            pip_failure(_log_text(log_path), log_path, None, set(),
                        _log_text(debug_log(log_path)), what)
        dists = report_dists(report)
        self.log(f"resolved {what} to {len(dists)} distribution(s) with "
                 f"pip {PIP_VERSION} ... {time.monotonic() - start:.1f}s")
        for d in dists:
            if d.name in self.pinned:
                raise DepsError(
                    f"{what} need {d.name} {d.version}, and the pinned "
                    f"build tools provide {d.name} {self.pinned[d.name]}, "
                    "which comes first on the backend's path; bump its "
                    f"recipe in thirdparty/ (pip's log: {log_path})")
            if d.kind == "sdist":
                raise DepsError(
                    f"{d.name} {d.version}, a build requirement of "
                    f"{package}, is on the index only as an sdist "
                    f"({d.file}); stick installs build requirements from "
                    "pure wheels only (building one from its sdist is not "
                    "supported yet): publish a wheel of it (py3-none-any), "
                    "or pin it as a recipe of kind tool in thirdparty/")
            if classify(d.file) == "binary-wheel":
                raise DepsError(
                    f"{d.name} {d.version}, a build requirement of "
                    f"{package}, is on the index only as a binary wheel "
                    f"({d.file}); the toolchain's static interpreter cannot "
                    "load compiled modules, so build requirements must be "
                    "pure wheels (py3-none-any)")
        return sorted(dists, key=lambda d: d.name)

    def _install(self, package, dists):
        for d in dists:
            problem = wheel_problem(d.cached, d.file)
            if problem:
                raise DepsError(f"'{d.file}' ({d.name} {d.version}), a "
                                f"build requirement of {package}, cannot be "
                                f"used as pure Python: {problem}")
        digest = _build_env_digest(dists)
        root = os.path.join(self.home, "build-envs")
        os.makedirs(root, exist_ok=True)
        final = os.path.join(root, digest[:24])
        site = os.path.join(final, "site")
        with CacheDir(final, "installing build requirements",
                      valid=lambda e: os.path.isfile(
                          os.path.join(e, "dists.json"))) as e:
            if not e.ready:
                tmp_site = os.path.join(e.tmp, "site")
                os.makedirs(tmp_site)
                for d in dists:
                    unpack_wheel(d, tmp_site)
                with open(os.path.join(e.tmp, "dists.json"), "w") as f:
                    json.dump([[d.name, d.version, d.sha256, d.file]
                               for d in dists], f, indent=1)
                e.commit()
        return BuildEnv(site, list(dists), digest)

    def table(self):
        """The [[tool.stick.build-requirements]] entries of this build."""
        merged = {}
        for package, dists in sorted(self.used.items()):
            for d in dists:
                key = (d.name, d.version, d.sha256)
                if key not in merged:
                    url, path = d.url, d.path
                    if url and url.startswith("file:"):
                        path, url = _lock_path(url, self.lock_dir), None
                    merged[key] = {"name": d.name, "version": d.version,
                                   "file": d.file, "url": url,
                                   "path": path, "sha256": d.sha256,
                                   "needed-by": []}
                merged[key]["needed-by"].append(package)
        return [{k: v for k, v in e.items() if v is not None}
                for _, e in sorted(merged.items())]

    def result_pairs(self):
        """`build-requirement NAME VERSION SHA256 SOURCE NEEDED-BY,...`
        lines of the extensions result (what built the extensions; not in
        the output)."""
        return [("build-requirement", f"{e['name']} {e['version']} "
                 f"{e['sha256']} {e.get('url') or e.get('path')} "
                 f"{','.join(e['needed-by'])}") for e in self.table()]

    def write_lock(self):
        """Records the build requirements used in the project's lock (a
        lock stick wrote, or a new one); nothing changes when it already
        says the same."""
        if not self.lock_path:
            return
        table = self.table()
        if os.path.exists(self.lock_path):
            try:
                doc = pylock.read(self.lock_path)
            except pylock.LockError as e:
                raise DepsError(f"{e}") from None
            if doc.get("created-by") != "stick":
                return
        elif not table:
            return
        else:
            doc = pylock.document([], lock_tool_table([], self.tools))
        stick = doc.setdefault("tool", {}).setdefault("stick", {})
        if stick.get(LOCK_BUILD_KEY, []) == table:
            return
        if table:
            stick[LOCK_BUILD_KEY] = table
        else:
            stick.pop(LOCK_BUILD_KEY, None)
        pylock.write(self.lock_path, doc)
        self.log(f"wrote {self.lock_path} ({len(table)} build "
                 "requirement(s))")


def locked_build_requirements(doc, lock_path):
    """{package: [Dist]} of a stick lock's [[tool.stick.build-
    requirements]] (checked like the packages' artifacts)."""
    entries = doc.get("tool", {}).get("stick", {}).get(LOCK_BUILD_KEY, [])
    if not isinstance(entries, list):
        raise DepsError(f"{lock_path}: [tool.stick] {LOCK_BUILD_KEY} must "
                        "be an array of tables")
    out = {}
    for i, e in enumerate(entries):
        where = f"{lock_path}: {LOCK_BUILD_KEY}[{i}]"
        if not isinstance(e, dict) or not all(
                isinstance(e.get(k), str) for k in ("name", "version",
                                                    "file", "sha256")):
            raise DepsError(f"{where}: needs name, version, file and "
                            "sha256; run with --upgrade to lock it again")
        if not re.fullmatch(r"[0-9a-f]{64}", e["sha256"]):
            raise DepsError(f"{where}: sha256 must be 64 hex digits")
        if not e.get("url") and not e.get("path"):
            raise DepsError(f"{where}: has neither 'url' nor 'path'")
        d = Dist(canonical_name(e["name"]), e["version"], "wheel",
                 e["file"], e["sha256"], e.get("url"), e.get("path"))
        for package in e.get("needed-by", []):
            out.setdefault(canonical_name(package), []).append(d)
    return out


# -- the helper's request -------------------------------------------------

def from_request(req, work, build_package, tool_paths, log=log_line,
                 metadata=None):
    """Resolves, locks, fetches and installs what an `extensions` request
    asks for: repeatable `requirement` (each --with), `extra`,
    `extra-index-url`, `find-links`; single `index-url`, `stick-home`;
    flags `no-index`, `upgrade`. With `project` (a directory) its
    dependencies come first and the lock is written beside its
    pyproject.toml: from pyproject.toml, or, with metadata (the METADATA
    file of the wheel its backend built), from that. req has the
    stickpy.request.Request methods (all, get, need, flag); build_package
    is as for `build_sdists`; tool_paths are pip's source tree first, then
    each build tool's import root. Returns (sites, built, installed): the
    site directories to freeze before the app's own paths (the pure
    wheels', then each sdist's), the extensions.Built list (with the
    --sdist ones), and the Installed (for `result_pairs`); ([], [], None)
    without requirements."""
    project = req.get("project")
    pyproject = os.path.join(os.path.abspath(project), "pyproject.toml") \
        if project else None
    if metadata:
        with open(metadata, encoding="utf-8") as f:
            reqs = requirements_from_metadata(
                f.read(), req.all("extra"), (tool_paths or [None])[0])
        reqs += requirements(None, (), req.all("requirement"))
    else:
        reqs = requirements(pyproject, req.all("extra"),
                            req.all("requirement"))
    if not reqs:
        return [], [], None
    index = Index(req.get("index-url"), req.all("extra-index-url"),
                  req.all("find-links"), req.flag("no-index"))
    tools = Tools(sys.executable, tool_paths)
    res = ensure(reqs, index, tools, req.need("stick-home"),
                 os.path.join(work, "deps"), pyproject, req.flag("upgrade"),
                 log=log)
    inst = install(res, os.path.join(work, "deps", "site"))
    built = [b for _, b in build_sdists(inst, build_package, log)]
    return [inst.site_dir] + [b.site for b in built], built, inst


def result_pairs(installed):
    """The result lines for the SBOM and `stick info`: one `dist` line per
    distribution, "NAME VERSION KIND SHA256 SOURCE"."""
    if installed is None:
        return []
    return [("dist", f"{d['name']} {d['version']} {d['kind']} {d['sha256']} "
             f"{d['source']}") for d in distributions(installed)]


# -- standalone use --------------------------------------------------------

def _parser():
    import argparse
    p = argparse.ArgumentParser(
        prog="python -m stickpy.deps",
        description="Resolve, lock, fetch and install a project's "
                    "requirements (pure wheels into --site; sdists listed).")
    p.add_argument("--project", help="a directory with pyproject.toml")
    p.add_argument("--extra", action="append", default=[])
    p.add_argument("--with", dest="with_reqs", action="append", default=[])
    p.add_argument("--index-url")
    p.add_argument("--extra-index-url", action="append", default=[])
    p.add_argument("--find-links", action="append", default=[])
    p.add_argument("--no-index", action="store_true")
    p.add_argument("--upgrade", action="store_true")
    p.add_argument("--lock", help="the lock file (default: beside "
                   "pyproject.toml; none without a project)")
    p.add_argument("--python", default=sys.executable,
                   help="the interpreter that runs pip")
    p.add_argument("--tool-path", action="append", default=[], required=True,
                   help="pip's source tree, then each build tool's root")
    p.add_argument("--home", default=os.environ.get("STICK_HOME"),
                   required="STICK_HOME" not in os.environ)
    p.add_argument("--work", required=True)
    p.add_argument("--site", required=True)
    return p


def main(argv=None):
    a = _parser().parse_args(argv)
    pyproject = os.path.join(os.path.abspath(a.project), "pyproject.toml") \
        if a.project else None
    try:
        reqs = requirements(pyproject, a.extra, a.with_reqs)
        index = Index(a.index_url, a.extra_index_url, a.find_links,
                      a.no_index)
        tools = Tools(a.python, [os.path.abspath(t) for t in a.tool_path])
        res = ensure(reqs, index, tools, a.home, a.work, pyproject,
                     a.upgrade, a.lock)
        inst = install(res, a.site)
    except DepsError as e:
        print(f"stick: error: {e}", file=sys.stderr)
        return 1
    for row in distributions(inst):
        print(row["kind"], row["name"], row["version"], row["sha256"],
              row["file"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
