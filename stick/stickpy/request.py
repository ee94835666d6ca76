"""The request stick writes and the result the helper writes back.

Both are text files of `key value` lines, as stick's recipes: the key is
the first word, the value the rest of the line after one space (it may
hold spaces, may be empty, and never holds a newline). A key may repeat (`path`,
`include`, ...); blank lines and lines starting with '#' are ignored.
stick reads the result with stick/kvfile.c. The keys are listed in
stick/README.md ("The helper's request and result").
"""


class HelperError(Exception):
    """An error the helper reports as one line, with exit status 1."""


class RequestError(HelperError):
    pass


def parse(text, where="request"):
    """[(key, value), ...] in file order."""
    pairs = []
    for number, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, _, value = line.partition(" ")
        if line[0] in " \t":
            raise RequestError(f"{where}:{number}: a line must start with "
                               "a key")
        pairs.append((key, value))
    return pairs


class Request:
    """The pairs of a request, looked up by key."""

    def __init__(self, pairs, where="request"):
        self.pairs, self.where = pairs, where

    @classmethod
    def read(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls(parse(f.read(), path), path)

    def all(self, key):
        return [v for k, v in self.pairs if k == key]

    def get(self, key, default=None):
        values = self.all(key)
        if len(values) > 1:
            raise RequestError(f"{self.where}: '{key}' is given "
                               f"{len(values)} times")
        return values[0] if values else default

    def need(self, key):
        value = self.get(key)
        if value is None:
            raise RequestError(f"{self.where}: '{key}' is missing")
        return value

    def flag(self, key):
        """True when the key is there (its value is ignored)."""
        return any(k == key for k, _ in self.pairs)

    def check_keys(self, known):
        unknown = sorted({k for k, _ in self.pairs} - set(known))
        if unknown:
            raise RequestError(f"{self.where}: unknown key '{unknown[0]}' "
                               "(stick and its helper disagree)")


def format_pairs(pairs):
    """The text of a result: one `key value` line per pair."""
    lines = []
    for key, value in pairs:
        value = str(value)
        if not key or any(c in key for c in " \r\n") or \
                "\n" in value or "\r" in value:
            raise RequestError(f"cannot write {key!r} {value!r}: keys are "
                               "one word, values one line")
        lines.append(f"{key} {value}" if value else key)
    return "".join(line + "\n" for line in lines)


def write(path, pairs):
    """Writes the result file atomically (stick reads it only whole)."""
    import os
    text = format_pairs(pairs)
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
