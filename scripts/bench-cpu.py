"""CPU benchmarks for `make bench`: one workload per run.

    python3 scripts/bench-cpu.py NAME [DIR]

NAME is one of the keys of BENCHMARKS; DIR (for "pygments") holds the
unpacked pygments tree and the file it highlights. Each workload takes
about half a second to a second on a 2-core machine and prints one line
that depends on its result, so that no interpreter can skip the work.
scripts/bench runs each under stick's interpreters and Debian's
python3.13 in one hyperfine run; the time includes start-up (10-20 ms).
"""

import sys


def fib():
    """Recursion: calls, integer adds and compares."""
    def f(n):
        return n if n < 2 else f(n - 1) + f(n - 2)
    print(f(32))


def loops():
    """Pure-Python loops over dicts and lists: item access, appends,
    comprehensions, string keys."""
    total = 0
    for rep in range(30):
        d = {}
        for i in range(40000):
            d[f"k{i % 5000}"] = d.get(f"k{i % 5000}", 0) + i
        items = [v * 2 for v in d.values() if v % 3]
        items.sort(reverse=True)
        lst = []
        for i in range(40000):
            lst.append(i ^ rep)
        total += sum(items[:100]) + len(lst) + lst[-1]
    print(total)


def json_():
    """json: encode and decode a nested document (the C accelerator)."""
    import json
    doc = [{"id": i, "name": f"item {i}", "tags": ["a", "b", str(i)],
            "price": i * 1.25, "ok": i % 2 == 0, "none": None,
            "nested": {"x": [1, 2, 3], "y": "text \u00e9\u4e2d"}}
           for i in range(5000)]
    n = 0
    for _ in range(25):
        text = json.dumps(doc)
        n += len(json.loads(text))
    print(n, len(text))


def re_():
    """re: search, findall and sub over generated log lines."""
    import re
    lines = "\n".join(
        f"2026-11-{d:02d} 12:{d:02d}:{(d * 7) % 60:02d} host{d % 9} "
        f"GET /path/{d}/item?id={d * 31} 200 {d * 17} user{d}@example.org"
        for d in range(1, 20001))
    ip = re.compile(r"host(\d) GET (/\S+) (\d{3}) (\d+)")
    mail = re.compile(r"[\w.]+@[\w.]+\.\w+")
    n = 0
    for _ in range(4):
        n += sum(int(m.group(4)) for m in ip.finditer(lines))
        n += len(mail.findall(lines))
        n += len(re.sub(r"\d+", "#", lines))
    print(n)


def sqlite3_():
    """sqlite3: inserts in a transaction, an index, grouped queries."""
    import sqlite3
    db = sqlite3.connect(":memory:")
    db.execute("create table t (id integer primary key, k text, v real)")
    with db:
        db.executemany("insert into t (k, v) values (?, ?)",
                       ((f"key{i % 997}", i * 0.5) for i in range(300000)))
    db.execute("create index tk on t (k)")
    n = 0
    for i in range(600):
        n += db.execute("select count(*), sum(v) from t where k = ?",
                        (f"key{i}",)).fetchone()[0]
    rows = db.execute("select k, avg(v) from t group by k order by 2").fetchall()
    print(n, len(rows))


def hash_zlib():
    """hashlib (OpenSSL's SHA-256) and zlib over a few MB."""
    import hashlib
    import zlib
    data = b"".join(i.to_bytes(4, "little") * 3 + b"stick" for i in range(400000))
    h = hashlib.sha256()
    for _ in range(8):
        h.update(data)
    z = zlib.compress(data, 6)
    for _ in range(3):
        assert zlib.decompress(z) == data
    print(h.hexdigest()[:16], len(z))


def pygments(where):
    """pygments (pure Python, from its tree): highlight a large Python
    file to HTML, lexing with its regex-driven lexer."""
    sys.path.insert(0, f"{where}/pygments-2.18.0")
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer
    with open(f"{where}/highlight.py", encoding="utf-8") as f:
        code = f.read()
    n = 0
    for _ in range(2):
        n += len(highlight(code, PythonLexer(), HtmlFormatter()))
    print(n)


BENCHMARKS = {
    "fib": fib, "loops": loops, "json": json_, "re": re_,
    "sqlite3": sqlite3_, "hashlib+zlib": hash_zlib, "pygments": pygments,
}


def main():
    name = sys.argv[1]
    if name == "pygments":
        pygments(sys.argv[2])
    else:
        BENCHMARKS[name]()


if __name__ == "__main__":
    main()
