"""A minimal PEP 517 frontend for stick's extension builds.

Reads a source tree's [build-system] (requires, build-backend,
backend-path; setuptools' legacy backend when there is none), checks every
requirement against the pinned build tools (recipes of kind `tool` in
thirdparty/; what they lack may come from the user's index, installed by
stickpy.deps.BuildRequirements and passed here as one more Tool), and
runs the backend's build_wheel in a subprocess of the toolchain's
interpreter, with PYTHONPATH = the unpacked tools and CC,
LDSHARED and CXX pointing at `stick cc-wrap` (stick/ccwrap.h). Nothing is
taken from the host's Python.

Requirement strings are PEP 508; the subset parsed here is the one build
requirements use: NAME[extras] SPECIFIERS ; MARKER.
"""

import os
import re
import shlex
import subprocess
import sys

try:
    import tomllib
except ImportError:  # pragma: no cover - 3.11+ always has it
    tomllib = None

LEGACY_BACKEND = "setuptools.build_meta:__legacy__"
LEGACY_REQUIRES = ["setuptools>=40.8.0"]


from .request import HelperError
from .util import canonical_name, target_env, target_machine


class BuildError(HelperError):
    """A build that cannot go on; the message says what to do."""


# -- versions (PEP 440, the forms build tools and specifiers use) -----------

_VERSION = re.compile(
    r"^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?"
    r"(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?(?:\+.*)?$",
    re.IGNORECASE)
_PRE = {"a": 0, "alpha": 0, "b": 1, "beta": 1, "c": 2, "rc": 2, "pre": 2,
        "preview": 2}


def parse_version(text):
    """A sortable key for a PEP 440 version, or None when it is not one."""
    m = _VERSION.match(text.strip())
    if not m:
        return None
    release = tuple(int(x) for x in m.group(1).split("."))
    while len(release) > 1 and release[-1] == 0:
        release = release[:-1]
    pre = (_PRE[m.group(2).lower()], int(m.group(3) or 0)) if m.group(2) \
        else (9, 0)
    post = int(m.group(4)) if m.group(4) is not None else -1
    dev = int(m.group(5)) if m.group(5) is not None else 1 << 30
    if m.group(5) is not None and not m.group(2) and m.group(4) is None:
        pre = (-1, 0)  # 1.0.dev0 sorts before 1.0a1
    return (release, pre, post, dev)


def _release(text):
    return [int(x) for x in re.match(r"v?(\d+(?:\.\d+)*)", text).group(1)
            .split(".")]


def _pad(a, b):
    n = max(len(a), len(b))
    return a + [0] * (n - len(a)), b + [0] * (n - len(b))


def version_matches(version, op, spec):
    """Whether version (a string) satisfies one `op spec` clause."""
    if op == "===":
        return version == spec
    if spec.endswith(".*"):
        if op not in ("==", "!="):
            raise BuildError(f"'{op}{spec}': a wildcard needs == or !=")
        prefix = _release(spec[:-2])
        have = _release(version)[:len(prefix)]
        have, prefix = _pad(have, prefix)
        return (have == prefix) == (op == "==")
    v, s = parse_version(version), parse_version(spec)
    if v is None or s is None:
        raise BuildError(f"cannot compare version '{version}' with "
                         f"'{op}{spec}'")
    if op == "~=":
        rel = _release(spec)
        if len(rel) < 2:
            raise BuildError(f"'~={spec}' needs at least two components")
        return v >= s and version_matches(
            version, "==", ".".join(map(str, rel[:-1])) + ".*")
    return {"==": v == s, "!=": v != s, "<=": v <= s, ">=": v >= s,
            "<": v < s, ">": v > s}[op]


# -- requirements and markers ----------------------------------------------

_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*")
_CLAUSE = re.compile(r"^\s*(===|==|!=|<=|>=|~=|<|>)\s*([^,;\s)]+)\s*$")


class Requirement:
    def __init__(self, text):
        self.text = text.strip()
        req, _, marker = self.text.partition(";")
        m = _NAME.match(req)
        if not m:
            raise BuildError(f"cannot parse requirement '{text}'")
        self.name = m.group(1)
        rest = req[m.end():]
        if rest.startswith("["):
            rest = rest[rest.index("]") + 1:] if "]" in rest else ""
        rest = rest.strip()
        if rest.startswith("(") and rest.endswith(")"):
            rest = rest[1:-1]
        if rest.startswith("@"):
            raise BuildError(f"requirement '{text}' names a URL; stick "
                             "builds only with pinned tools")
        self.clauses = []
        for part in filter(None, (p.strip() for p in rest.split(","))):
            c = _CLAUSE.match(part)
            if not c:
                raise BuildError(f"cannot parse version clause '{part}' "
                                 f"of requirement '{text}'")
            self.clauses.append((c.group(1), c.group(2)))
        self.marker = marker.strip() or None

    def applies(self, env):
        return self.marker is None or evaluate_marker(self.marker, env)

    def satisfied_by(self, version):
        return all(version_matches(version, op, v) for op, v in self.clauses)


_TOKEN = re.compile(r"""\s*(?:(?P<str>'[^']*'|"[^"]*")|(?P<op>===|==|!=|<=|>=|~=|<|>|\(|\))"""
                    r"""|(?P<word>[A-Za-z_][A-Za-z0-9_.]*))""")
_VERSION_VARS = {"python_version", "python_full_version",
                 "implementation_version", "platform_release"}


def _tokens(text):
    pos, out = 0, []
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise BuildError(f"cannot parse marker '{text}' at '{text[pos:]}'")
        out.append(m.group(m.lastgroup) if m.lastgroup != "str" else
                   ("str", m.group("str")[1:-1]))
        pos = m.end()
    return out


class _MarkerParser:
    """Recursive descent over the tokens of one marker."""

    def __init__(self, text, env):
        self.text, self.env = text, env
        self.toks, self.pos = _tokens(text), 0

    def peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self):
        if self.pos >= len(self.toks):
            raise BuildError(f"marker '{self.text}' ends too early")
        self.pos += 1
        return self.toks[self.pos - 1]

    def value(self):
        t = self.take()
        if isinstance(t, tuple):
            return t[1], None
        if t not in self.env:
            raise BuildError(f"unknown marker variable '{t}' in "
                             f"'{self.text}'")
        return self.env[t], t

    def comparison(self):
        if self.peek() == "(":
            self.take()
            r = self.disjunction()
            if self.take() != ")":
                raise BuildError(f"unbalanced parentheses in marker "
                                 f"'{self.text}'")
            return r
        left, lvar = self.value()
        op = self.take()
        if op == "not":
            op = "not " + self.take()
        right, rvar = self.value()
        return self.compare(left, lvar, op, right, rvar)

    def compare(self, left, lvar, op, right, rvar):
        if op in ("in", "not in"):
            return (left in right) == (op == "in")
        if (lvar or rvar) in _VERSION_VARS and parse_version(left) and \
                parse_version(right) is not None:
            return version_matches(left, op, right)
        if op in ("==", "!="):
            return (left == right) == (op == "==")
        raise BuildError(f"cannot compare '{left}' {op} '{right}' in "
                         f"marker '{self.text}'")

    def conjunction(self):
        r = self.comparison()
        while self.peek() == "and":
            self.take()
            r = self.comparison() and r
        return r

    def disjunction(self):
        r = self.conjunction()
        while self.peek() == "or":
            self.take()
            r = self.conjunction() or r
        return r


def evaluate_marker(text, env):
    """Evaluates a PEP 508 environment marker against env (a dict)."""
    p = _MarkerParser(text, env)
    result = p.disjunction()
    if p.pos != len(p.toks):
        raise BuildError(f"cannot parse marker '{text}'")
    return result


def marker_env(version_info):
    """The marker variables of the toolchain's interpreter (Linux, CPython)."""
    major, minor, micro = version_info[:3]
    return {
        "python_version": f"{major}.{minor}",
        "python_full_version": f"{major}.{minor}.{micro}",
        "implementation_version": f"{major}.{minor}.{micro}",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "sys_platform": "linux", "platform_system": "Linux",
        "os_name": "posix", "platform_machine": target_machine(),
        "platform_release": "", "platform_version": "", "extra": "",
    }


# -- [build-system] and the pinned tools ------------------------------------

def read_build_system(src):
    """(requires, backend, backend_path) of the tree at src."""
    path = os.path.join(src, "pyproject.toml")
    if not os.path.exists(path):
        if not os.path.exists(os.path.join(src, "setup.py")):
            raise BuildError(f"'{src}' has neither pyproject.toml nor "
                             "setup.py: not a Python source tree")
        return list(LEGACY_REQUIRES), LEGACY_BACKEND, []
    with open(path, "rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as e:
            raise BuildError(f"'{path}': {e}") from None
    bs = data.get("build-system")
    if bs is None:
        return list(LEGACY_REQUIRES), LEGACY_BACKEND, []
    backend = bs.get("build-backend", LEGACY_BACKEND)
    requires = bs.get("requires", [])
    bpath = bs.get("backend-path", [])
    if not isinstance(requires, list) or not isinstance(bpath, list):
        raise BuildError(f"'{path}': [build-system] requires and "
                         "backend-path must be lists")
    for p in bpath:
        full = os.path.realpath(os.path.join(src, p))
        if not (full + "/").startswith(os.path.realpath(src) + "/"):
            raise BuildError(f"'{path}': backend-path '{p}' leaves the tree")
    return requires, backend, bpath


class Tool:
    """A pinned build tool: an unpacked recipe of kind `tool`."""

    def __init__(self, name, version, roots, provides):
        self.name = name
        self.version = version
        self.roots = roots          # absolute import roots
        self.provides = provides    # {normalized name: version}


def scan_provided(root):
    """{normalized dist name: version} of *.dist-info/*.egg-info in root."""
    found = {}
    try:
        entries = sorted(os.listdir(root))
    except OSError:
        return found
    for entry in entries:
        if entry.endswith(".dist-info"):
            meta = os.path.join(root, entry, "METADATA")
        elif entry.endswith(".egg-info"):
            meta = os.path.join(root, entry, "PKG-INFO")
        else:
            continue
        name = version = None
        try:
            with open(meta, encoding="utf-8", errors="replace") as f:
                for line in f:
                    if not line.strip():
                        break
                    key, _, val = line.partition(":")
                    if key == "Name":
                        name = val.strip()
                    elif key == "Version":
                        version = val.strip()
        except OSError:
            continue
        if name and version:
            found[canonical_name(name)] = version
    return found


RUST_TOOLS = {"setuptools-rust", "maturin", "puccinialin"}
# Build systems that compile and link through CMake, not through
# CC/CXX/LDSHARED. (pybind11 is headers for setuptools: an index may
# supply it, and stick cc-wrap compiles its C++.)
# (meson-python builds through stick's pinned meson, a native file naming
# the wrapper, and the host's ninja: see meson_config; scikit-build-core
# through the host's CMake and a toolchain file naming the wrapper: see
# cmake_config. The older scikit-build drives CMake from setuptools with
# its own compiler checks.)
CXX_TOOLS = {"scikit-build"}


def _unsupported(package, backend, text, name):
    """A clearer refusal for build tools of languages stick cannot build."""
    if name in RUST_TOOLS:
        return BuildError(
            f"{package}: build backend '{backend}' requires '{text}': the "
            "package builds Rust code, and stick has no Rust toolchain for "
            "static musl binaries; use a version of the package with a C or "
            "pure-Python implementation, or leave it out")
    if name in CXX_TOOLS:
        return BuildError(
            f"{package}: build backend '{backend}' requires '{text}', a "
            "C++/CMake build tool stick does not provide (C and C++ "
            "extensions through setuptools, flit, meson-python and "
            "scikit-build-core only: scikit-build drives CMake from "
            "setuptools with its own compiler checks); leave the package "
            "out or use its pure-Python form")
    return None


_FORTRAN_MESON = re.compile(
    r"\b(?:project|add_languages)\s*\([^)]*['\"]fortran['\"]", re.S)
_RUST_SETUP = re.compile(r"\bsetuptools_rust\b|\brust_extensions\b")


def _read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def foreign_language(src, backend):
    """What says the tree at src builds Rust or Fortran code: (language,
    evidence), or None. Read from the build's own files (the backend, the
    pyproject tables of setuptools-rust and maturin, setup.py, the top
    meson.build), never from the sources a build might leave out."""
    if backend.split(":")[0].split(".")[0] == "maturin":
        return "Rust", f"build backend '{backend}'"
    pyproject = os.path.join(src, "pyproject.toml")
    try:
        with open(pyproject, "rb") as f:
            tool = tomllib.load(f).get("tool", {})
    except (OSError, tomllib.TOMLDecodeError):
        tool = {}
    for table in ("setuptools-rust", "maturin"):
        if isinstance(tool, dict) and table in tool:
            return "Rust", f"pyproject.toml's [tool.{table}]"
    setup = _read_text(os.path.join(src, "setup.py")) or ""
    m = _RUST_SETUP.search(setup)
    if m:
        return "Rust", f"setup.py uses {m.group(0)}"
    meson = _read_text(os.path.join(src, "meson.build")) or ""
    if _FORTRAN_MESON.search(meson):
        return "Fortran", "meson.build enables the fortran language"
    return None


_LACKS = {
    "Rust": "stick has no Rust toolchain (rustc, cargo) for static musl "
            "binaries",
    "Fortran": "stick has no Fortran compiler or runtime (gfortran, "
               "libgfortran) for static musl binaries",
}


def refuse_foreign(package, src, backend):
    """Raises BuildError when the tree at src builds Rust or Fortran code
    (foreign_language): before any requirement is resolved or backend
    run, so nothing is installed, built or cached for it."""
    found = foreign_language(src, backend)
    if found:
        language, evidence = found
        raise BuildError(
            f"{package}: cannot build it: it compiles {language} code "
            f"({evidence}), and {_LACKS[language]}; stick builds C and "
            "C++ extensions only: use a version of the package with a C, "
            "C++ or pure-Python implementation, or leave it out")


def unmet_requirements(package, backend, requires, tools, env, skip=()):
    """The Requirements of requires that apply to this target, are not
    skipped and that no pinned tool provides: what an index may supply
    (stickpy.deps.BuildRequirements). A requirement naming a distribution
    a pinned tool provides in a version that does not satisfy it raises
    (an index could not help: the pinned tools come first on the
    backend's path), and so do the Rust and C++ build tools stick refuses.

    skip holds normalized names the user said the build does without (for
    example an optional cffi backend).
    """
    provided = {}
    for t in tools:
        for name, version in t.provides.items():
            provided.setdefault(name, (version, t))
    pinned = ", ".join(f"{t.name} {t.version}" for t in tools) or "none"
    unmet = []
    for text in requires:
        req = Requirement(text)
        if not req.applies(env) or canonical_name(req.name) in skip:
            continue
        have = provided.get(canonical_name(req.name))
        if have and req.satisfied_by(have[0]):
            continue
        if have:
            raise BuildError(
                f"{package}: build backend '{backend}' requires '{text}', "
                f"and {req.name} {have[0]} (from {have[1].name}) does not "
                f"satisfy it (pinned tools: {pinned}); bump the recipe of "
                "kind tool in thirdparty/, or, if the package builds "
                "without it, skip the requirement ('--skip-requirement "
                f"{req.name}')")
        special = _unsupported(package, backend, text,
                               canonical_name(req.name))
        if special:
            raise special
        unmet.append(req)
    return unmet


def missing_error(package, backend, req, tools):
    """The error for a requirement no pinned tool provides when no index
    was given to install it from."""
    pinned = ", ".join(f"{t.name} {t.version}" for t in tools) or "none"
    return BuildError(
        f"{package}: build backend '{backend}' requires '{req.text}', and "
        f"no pinned build tool provides it (pinned tools: {pinned}); give "
        "an index that has it (--index-url URL or --find-links DIR|URL: "
        "stick installs it for the build from there with the pinned pip, "
        "and locks it in a project's pylock.toml), add a recipe of kind "
        "tool in thirdparty/, or, if the package builds without it, skip "
        f"the requirement ('--skip-requirement {req.name}')")


def check_requirements(package, backend, requires, tools, env, skip=()):
    """Raises BuildError naming the first requirement no pinned tool meets
    (see unmet_requirements)."""
    unmet = unmet_requirements(package, backend, requires, tools, env, skip)
    if unmet:
        raise missing_error(package, backend, unmet[0], tools)


# -- running the backend -----------------------------------------------------

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "_backend.py")


# Commands a meson build runs from PATH, and the pinned tool script each
# is: the tool's NAME.py run by the toolchain's interpreter.
TOOL_COMMANDS = (("meson", "meson", "meson.py"), ("cython", "cython",
                                                  "cython.py"))


def tool_shims(bindir, python, tools):
    """bindir/meson and bindir/cython: the pinned meson and Cython tools
    run by python, the toolchain's interpreter (meson-python runs
    `meson` from PATH unless the project names its own, as numpy's
    vendored meson; meson finds `cython` on PATH). A tool that is not
    pinned gets no shim."""
    for command, tool, script in TOOL_COMMANDS:
        roots = [r for t in tools if t.name == tool for r in t.roots]
        path = next((os.path.join(r, script) for r in roots
                     if os.path.isfile(os.path.join(r, script))), None)
        if not python or not path:
            continue
        shim = os.path.join(bindir, command)
        with open(shim, "w", encoding="utf-8") as f:
            f.write(f'#!/bin/sh\nexec {shlex.quote(python)} '
                    f'{shlex.quote(path)} "$@"\n')
        os.chmod(shim, 0o755)


MESON_BACKEND = "mesonpy"
MESON_BUILD_DIR = ".stick-meson"


def _meson_list(argv):
    return "[" + ", ".join(repr(a) for a in argv) + "]"


def meson_config(backend, stick, home):
    """The config_settings of a meson-python build, or None for another
    backend: a fixed build directory inside the source tree (the default
    is a random temporary name) and a native file, written into home,
    that names stick cc-wrap as the C and C++ compiler (its -shared link
    of every python extension_module/shared_module is the partial link
    into one relocatable object), ar, and the pkg-config shim."""
    if backend.split(":")[0] != MESON_BACKEND:
        return None
    native = os.path.join(home, "stick-native.ini")
    bindir = os.path.join(home, ".stick-bin")
    with open(native, "w", encoding="utf-8") as f:
        f.write("# written by stick (stick/stickpy/pep517.py)\n"
                "[binaries]\n"
                f"c = {_meson_list([stick, 'cc-wrap'])}\n"
                f"cpp = {_meson_list([stick, 'cc-wrap', '--cxx'])}\n"
                "ar = 'ar'\n"
                f"pkg-config = {os.path.join(bindir, 'pkg-config')!r}\n")
    return {"build-dir": MESON_BUILD_DIR,
            "setup-args": f"--native-file={native}"}


SKBUILD_BACKEND = "scikit_build_core.build"
SKBUILD_BUILD_DIR = ".stick-cmake"


def cmake_config(backend, home):
    """The config_settings of a scikit-build-core build, or None for
    another backend: a fixed build directory inside the source tree (the
    default is a temporary one), no stripping at install, and a CMake
    toolchain file, written into home, naming the wrapper's shims
    (stick-cc, stick-c++: CMake takes a compiler as one program; written
    by wrapper_env) as the C and C++ compilers; their -shared link of a
    MODULE library is the partial link into one relocatable object."""
    if backend.split(":")[0] != SKBUILD_BACKEND:
        return None
    bindir = os.path.join(home, ".stick-bin")
    toolchain = os.path.join(home, "stick-toolchain.cmake")
    machine = target_machine()
    # A cross build (--target): CMake then runs no program it builds and
    # asks the target's processor, not the build host's.
    cross_lines = ("set(CMAKE_SYSTEM_NAME Linux)\n"
                   f"set(CMAKE_SYSTEM_PROCESSOR {machine})\n"
                   if machine != os.uname().machine else "")
    with open(toolchain, "w", encoding="utf-8") as f:
        f.write("# written by stick (stick/stickpy/pep517.py)\n"
                f"set(CMAKE_C_COMPILER {_cmake_str(os.path.join(bindir, 'stick-cc'))})\n"
                f"set(CMAKE_CXX_COMPILER {_cmake_str(os.path.join(bindir, 'stick-c++'))})\n"
                "set(CMAKE_AR ar)\n"
                # Builds are offline, from pinned sources: FetchContent
                # downloads nothing (a dependency it would fetch is a
                # library stick must provide).
                "set(FETCHCONTENT_FULLY_DISCONNECTED ON)\n"
                # A static binary has no run-time path, and the partial
                # link's object no dynamic section to write one into.
                "set(CMAKE_SKIP_RPATH ON)\n"
                + cross_lines +
                f"set(PKG_CONFIG_EXECUTABLE {_cmake_str(os.path.join(bindir, 'pkg-config'))})\n")
    # install.strip: `cmake --install --strip` would strip the relocatable
    # objects of every symbol, the init function too.
    return {"build-dir": SKBUILD_BUILD_DIR, "install.strip": "false",
            "cmake.args": f"-DCMAKE_TOOLCHAIN_FILE={toolchain}"}


def _cmake_str(value):
    """value as a quoted CMake argument."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def backend_config(backend, stick, home):
    """The config_settings stick gives a backend that needs them."""
    return meson_config(backend, stick, home) or cmake_config(backend, home)


def wrapper_env(stick, cc, package, provided_libs, prefixes, tools, home,
                notes, src, extra=None, python=None):
    """The clean environment of a backend: tools, compiler wrapper, flags.
    The wrapper adds -fPIC to every compile, so one build serves
    executables and libraries alike. Where the temporary source tree lives
    must not change the objects' bytes (__FILE__). `pkg-config` on its
    PATH is the wrapper's (stick/ccwrap.h), which builds a library recipe
    a package asks for; extra: more variables (the wrapper's, for that)."""
    wrap = f"{stick} cc-wrap"
    bindir = os.path.join(home, ".stick-bin")
    os.makedirs(bindir, exist_ok=True)
    for name, args in (("pkg-config", "--pkg-config "), ("stick-cc", ""),
                       ("stick-c++", "--cxx ")):
        shim = os.path.join(bindir, name)
        with open(shim, "w", encoding="utf-8") as f:
            f.write(f'#!/bin/sh\nexec {shlex.quote(stick)} cc-wrap {args}'
                    '"$@"\n')
        os.chmod(shim, 0o755)
    tool_shims(bindir, python, tools)
    env = {
        "PATH": f"{bindir}:/usr/bin:/bin", "HOME": home, "LC_ALL": "C",
        "TZ": "UTC",
        "SOURCE_DATE_EPOCH": "1700000000", "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONPATH": os.pathsep.join(r for t in tools for r in t.roots),
        "CC": wrap, "CXX": f"{wrap} --cxx", "LDSHARED": f"{wrap} -shared",
        "LDCXXSHARED": f"{wrap} --cxx -shared", "AR": "ar",
        "CFLAGS": "-DNDEBUG -O2 -ffile-prefix-map="
                  f"{src}={os.path.basename(src)}",
        "CPPFLAGS": "", "LDFLAGS": "", "TMPDIR": home,
        "STICK_CC": cc, "STICK_CC_PACKAGE": package,
        "STICK_CC_PROVIDED": ":".join(provided_libs),
        "STICK_CC_PREFIXES": ":".join(prefixes),
        "STICK_CC_NOTES": notes,
    }
    env.update(target_env())
    env.update(extra or {})
    return env


def tail(path, lines=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-lines:])
    except OSError:
        return ""


def fell_back(log):
    """Whether scikit-build-core retried a failed CMake build with a
    `[[tool.scikit-build.overrides]] if.failed` table (RapidFuzz's makes a
    pure-Python wheel)."""
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            return "*** CMake build failed - retrying due to override" in f.read()
    except OSError:
        return False


_BUILDING = re.compile(r"^building '([^']+)' extension$", re.MULTILINE)


def failed_extension(log):
    """The extension setuptools was building when the log ends, or None."""
    try:
        with open(log, encoding="utf-8", errors="replace") as f:
            found = _BUILDING.findall(f.read())
    except OSError:
        return None
    return found[-1] if found else None


# setuptools' compiler on a source it has no compiler for.
_UNKNOWN_FORTRAN = re.compile(
    r"unknown file type '\.(?:f|F|for|f77|f90|F90|f95|F95|f03|f08)' "
    r"\(from '([^']+)'\)")


def fortran_source(log):
    """The Fortran source a setuptools build stopped at, or None."""
    m = _UNKNOWN_FORTRAN.search(_read_text(log) or "")
    return m.group(1) if m else None


def package_label(src, fallback):
    """"NAME VERSION" from an sdist's PKG-INFO or a tree's [project]."""
    try:
        with open(os.path.join(src, "PKG-INFO"), encoding="utf-8",
                  errors="replace") as f:
            head = f.read().split("\n\n", 1)[0]
        meta = dict(l.split(": ", 1) for l in head.splitlines() if ": " in l)
        if "Name" in meta and "Version" in meta:
            return f"{meta['Name']} {meta['Version']}"
    except OSError:
        pass
    try:
        with open(os.path.join(src, "pyproject.toml"), "rb") as f:
            project = tomllib.load(f).get("project", {})
        if "name" in project:
            return f"{project['name']} {project.get('version', '')}".strip()
    except (OSError, tomllib.TOMLDecodeError):
        pass
    return fallback


def cc_notes(path):
    """What stick cc-wrap noted during a build (its STICK_CC_NOTES file: an
    error a backend caught, a library no recipe provides...), each line
    once; [] when it noted nothing."""
    try:
        with open(path or "", encoding="utf-8", errors="replace") as f:
            return list(dict.fromkeys(l.strip() for l in f if l.strip()))
    except OSError:
        return []


def build_wheel(python, src, backend, backend_path, out_dir, env, log,
                package, config=None):
    """Runs backend.build_wheel(out_dir) in a subprocess; the wheel's path."""
    result = os.path.join(out_dir, ".stick-wheel-name")
    argv = [python, "-S", "-P", RUNNER, src, backend,
            os.pathsep.join(backend_path), out_dir, result]
    for k, v in sorted((config or {}).items()):
        argv.append(f"{k}={v}")
    with open(log, "ab") as f:
        f.write(("$ " + " ".join(argv) + "\n").encode())
        f.flush()
        rc = subprocess.run(argv, cwd=src, env=env, stdin=subprocess.DEVNULL,
                            stdout=f, stderr=subprocess.STDOUT).returncode
    if rc != 0 or not os.path.exists(result):
        fortran = fortran_source(log)
        if fortran:
            raise BuildError(
                f"{package}: cannot build '{fortran}': it is Fortran, and "
                f"{_LACKS['Fortran']}; stick builds C and C++ extensions only: "
                "use the package's pure-Python fallback or leave it out "
                f"(log: {log})")
        ext = failed_extension(log)
        notes = "".join(f"\n  {n}"
                        for n in cc_notes(env.get("STICK_CC_NOTES")))
        raise BuildError(f"{package}: build backend '{backend}' failed "
                         f"(exit {rc})" + (f" building extension '{ext}'"
                                            if ext else "") +
                         f"; log: {log}{notes}\n{tail(log)}")
    with open(result, encoding="utf-8") as f:
        name = f.read().strip()
    os.unlink(result)
    return os.path.join(out_dir, name)


if __name__ == "__main__":  # pragma: no cover
    sys.exit("stickpy.pep517 is a library; see stickpy.extensions")
