"""The demo scripts/setup builds with stick and runs in an empty root."""

import hashlib
import json
import os
import platform
import sqlite3
import ssl
import sys

db = sqlite3.connect(":memory:")
db.execute("create table t(x)")
db.executemany("insert into t values (?)", [(i,) for i in range(10)])
total = db.execute("select sum(x) from t").fetchone()[0]
print(json.dumps({
    "python": platform.python_version(),
    "executable": sys.executable,
    "frozen": getattr(sys, "frozen", False),
    "files in /": sorted(os.listdir("/")),
    "sqlite sum": total,
    "sha256": hashlib.sha256(b"stick").hexdigest()[:16],
    "openssl": ssl.OPENSSL_VERSION,
}, indent=2))
