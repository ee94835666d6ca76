"""pylock.toml (PEP 751, lock-version 1.0): the lock stick writes beside a
project's pyproject.toml, and reads back with tomllib.

The standard library reads TOML but does not write it, so `dumps` is a
small emitter for the subset a lock uses: tables, arrays of tables,
strings, integers, booleans, arrays of strings and small inline tables
(`hashes = {sha256 = "..."}`). Keys keep the order of the dicts given,
which follows the order the specification lists them in; packages are
sorted by name, so a lock written twice from one resolution is
byte-for-byte the same.
"""

import os
import re
import tomllib

LOCK_VERSION = "1.0"
FILE_NAME = "pylock.toml"

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+\Z")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\b": "\\b", "\t": "\\t",
            "\n": "\\n", "\f": "\\f", "\r": "\\r"}


class LockError(Exception):
    pass


def _key(k):
    if not isinstance(k, str) or not k:
        raise TypeError(f"a TOML key must be a non-empty string, not {k!r}")
    return k if _BARE_KEY.match(k) else _string(k)


def _string(s):
    out = []
    for ch in s:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7f:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _scalar(v):
    # bool first: it is a subclass of int.
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return _string(v)
    raise TypeError(f"cannot write {type(v).__name__} {v!r} to TOML")


def _is_inline(v):
    """A small dict of scalars (`hashes`) is written inline."""
    return (isinstance(v, dict) and 0 < len(v) <= 3 and
            all(not isinstance(x, (dict, list)) for x in v.values()))


def _is_table_array(v):
    return isinstance(v, list) and v and all(isinstance(x, dict) for x in v)


def _value(v):
    if _is_inline(v):
        return "{" + ", ".join(f"{_key(k)} = {_scalar(x)}"
                               for k, x in v.items()) + "}"
    if isinstance(v, list):
        if any(isinstance(x, (dict, list)) for x in v):
            raise TypeError("only arrays of scalars or of tables are "
                            "supported")
        return "[" + ", ".join(_scalar(x) for x in v) + "]"
    return _scalar(v)


def _table(lines, path, table, header):
    nested, plain = [], []
    for k, v in table.items():
        if v is None:
            continue
        if isinstance(v, dict) and not _is_inline(v):
            nested.append((k, v, False))
        elif _is_table_array(v):
            nested.append((k, v, True))
        else:
            plain.append(f"{_key(k)} = {_value(v)}")
    # A table holding only tables ([tool] above [tool.stick]) needs no
    # header of its own; an array-of-tables entry always has one.
    if header and (plain or not nested or header.startswith("[[")):
        if lines:
            lines.append("")
        lines.append(header)
    lines += plain
    for k, v, many in nested:
        sub = path + [_key(k)]
        name = ".".join(sub)
        if many:
            for item in v:
                _table(lines, sub, item, f"[[{name}]]")
        else:
            _table(lines, sub, v, f"[{name}]")


def dumps(doc):
    """TOML text for a dict; None values are left out."""
    lines = []
    _table(lines, [], doc, None)
    return "\n".join(lines) + "\n"


def document(packages, tool=None):
    """The lock as a dict: packages is a list of Package dicts (see
    `package`), sorted here by name then version."""
    doc = {"lock-version": LOCK_VERSION, "created-by": "stick",
           "packages": sorted(packages,
                              key=lambda p: (p["name"], p["version"]))}
    if tool:
        doc["tool"] = {"stick": tool}
    return doc


def artifact(file_name, sha256, url=None, path=None, size=None):
    """One `sdist` or `wheels` entry: at least one of url and path."""
    if not url and not path:
        raise ValueError(f"artifact '{file_name}' needs a url or a path")
    return {"name": file_name, "url": url, "path": path, "size": size,
            "hashes": {"sha256": sha256}}


def package(name, version, sdist=None, wheel=None):
    """One [[packages]] entry with exactly one artifact (stick locks the
    artifact it installs, for one target)."""
    if (sdist is None) == (wheel is None):
        raise ValueError(f"package '{name}' needs one sdist or one wheel")
    p = {"name": name, "version": version}
    if sdist is not None:
        p["sdist"] = sdist
    else:
        p["wheels"] = [wheel]
    return p


def write(path, doc):
    """Writes the lock atomically (a temp file renamed into place)."""
    text = dumps(doc)
    tmp = f"{path}.tmp.{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _check_artifact(where, a):
    if not isinstance(a, dict):
        raise LockError(f"{where}: must be a table")
    if not a.get("url") and not a.get("path"):
        raise LockError(f"{where}: has neither 'url' nor 'path'")
    sha = a.get("hashes", {}).get("sha256")
    if not isinstance(sha, str) or not re.fullmatch(r"[0-9a-f]{64}", sha):
        raise LockError(f"{where}: needs hashes.sha256 (64 hex digits); "
                        "stick verifies every artifact by it")
    if not a.get("name"):
        ref = a.get("url") or a.get("path")
        a["name"] = ref.rstrip("/").rsplit("/", 1)[-1]


def _check_package(path, i, p):
    where = f"{path}: packages[{i}]"
    if not isinstance(p, dict) or not p.get("name") or not p.get("version"):
        raise LockError(f"{where}: needs 'name' and 'version'")
    where = f"{path}: package '{p['name']}'"
    for kind in ("vcs", "directory", "archive"):
        if kind in p:
            raise LockError(f"{where}: '{kind}' sources are not supported "
                            "by stick; run the build with --upgrade to "
                            "lock it again")
    wheels = p.get("wheels", [])
    if not isinstance(wheels, list) or ("sdist" not in p and not wheels):
        raise LockError(f"{where}: has no sdist and no wheels; run with "
                        "--upgrade to lock it again")
    if "sdist" in p:
        _check_artifact(f"{where}: sdist", p["sdist"])
    for w in wheels:
        _check_artifact(f"{where}: wheel", w)


def read(path):
    """The lock's dict, checked: every package has an sdist or wheels,
    each with a sha256 and a url or path. stick writes one artifact per
    package; locks of other tools may list an sdist and many wheels."""
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except tomllib.TOMLDecodeError as e:
        raise LockError(f"{path}: not valid TOML: {e}") from None
    version = str(doc.get("lock-version", ""))
    if version.split(".")[0] != LOCK_VERSION.split(".")[0]:
        raise LockError(f"{path}: lock-version '{version}' is not "
                        f"supported (stick reads {LOCK_VERSION})")
    packages = doc.get("packages", [])
    if not isinstance(packages, list):
        raise LockError(f"{path}: 'packages' must be an array of tables")
    for i, p in enumerate(packages):
        _check_package(path, i, p)
    return doc


def artifacts(p):
    """[(kind, artifact dict)] of a checked package, kind 'sdist' or
    'wheel': the wheels first, in the lock's order."""
    return [("wheel", w) for w in p.get("wheels", [])] + \
        ([("sdist", p["sdist"])] if "sdist" in p else [])
