"""What several helper modules need, defined once: distribution names,
file digests, module names, the directories a freeze never descends into.

Imported before a freeze (by freeze and prune): it imports nothing at
module level but os, so the set of loaded modules a freeze sees stays as
it was (see helper.APP_FREEZE_MODULES).
"""

import os

# Directories of the stdlib (and of an application path) whose modules are
# never frozen: their names are free for an application's packages.
EXCLUDED_DIRS = {
    "__pycache__", "test", "tests", "idlelib", "tkinter", "turtledemo",
    "site-packages", "lib-dynload",
}


def canonical_name(name):
    """PEP 503 normalisation: 'Jinja2', 'jinja_2' -> 'jinja2', 'jinja-2'."""
    import re
    return re.sub(r"[-_.]+", "-", name).lower()


def sha256_file(path):
    """The sha256 of a file's bytes, in hex."""
    import hashlib
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def module_name(rel_path):
    """(dotted name, is_package) of the module a .py file defines, its path
    relative to an import root ('a/b/__init__.py' -> ('a.b', True))."""
    parts = rel_path[:-3].split(os.sep)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


# What stick/helper.c sets when the toolchain is a cross one (its
# interpreter is the build machine's): sysconfig then reads the target's
# data and platform. Processes that must see the target get them too.
TARGET_VARS = ("_PYTHON_SYSCONFIGDATA_NAME", "_PYTHON_HOST_PLATFORM")


def target_env():
    """The target's sysconfig variables of this process, if any."""
    return {k: os.environ[k] for k in TARGET_VARS if k in os.environ}


def target_machine():
    """platform.machine() of the target: 'aarch64', 'x86_64'."""
    plat = os.environ.get("_PYTHON_HOST_PLATFORM")
    return plat.split("-", 1)[1] if plat else os.uname().machine


def home_relative(path, home):
    """A link need naming an archive of home's clibs/ as clibs/..., so a
    cached extension build names no STICK_HOME (home_clib_path turns it
    back into a path in the home that uses it)."""
    prefix = os.path.join(home, "clibs", "") if home else None
    if prefix and path.startswith(prefix):
        return "clibs/" + path[len(prefix):]
    return path


def home_clib_path(path, home):
    """A C library archive an extension's cached build recorded
    (HOME/clibs/<key>/<name>-<version>-<digest>/lib/libX.a), as the same
    entry of this run's STICK_HOME. The record holds the STICK_HOME of the
    build that made it; when extensions/ is shared between homes (a
    symbolic link, as tests do), that home may be gone while the entry,
    keyed by its digest, is here. Other paths are returned unchanged."""
    if path.startswith("clibs/"):
        # Named under the home that uses it (home_relative).
        return os.path.join(home, path)
    head, sep, rest = path.rpartition("/clibs/")
    if not sep or not head:
        return path
    return os.path.join(home, "clibs", rest)
