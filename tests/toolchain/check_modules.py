# Run by the static bootstrap interpreter inside an empty chroot: import
# every promised built-in module and do real work with each.
import sys

mods = sys.argv[1].split()
missing = [m for m in mods if m not in sys.builtin_module_names]
assert not missing, f"not built in: {missing}"
for m in mods:
    __import__(m)

import asyncio, bz2, ctypes, decimal, hashlib, json, lzma, socket, sqlite3
import ssl, threading, zlib

# TLS handshake between two sockets on 127.0.0.1 with a generated cert.
srv_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
srv_ctx.load_cert_chain("/cert.pem", "/key.pem")
cli_ctx = ssl.create_default_context(cafile="/cert.pem")
listener = socket.create_server(("127.0.0.1", 0))
port = listener.getsockname()[1]
def serve():
    conn, _ = listener.accept()
    with srv_ctx.wrap_socket(conn, server_side=True) as s:
        s.sendall(s.recv(100).upper())
t = threading.Thread(target=serve)
t.start()
with socket.create_connection(("127.0.0.1", port)) as raw:
    with cli_ctx.wrap_socket(raw, server_hostname="localhost") as s:
        s.sendall(b"hello tls")
        assert s.recv(100) == b"HELLO TLS"
        assert s.version().startswith("TLSv1.")
t.join()
print("tls", ssl.OPENSSL_VERSION)

db = sqlite3.connect(":memory:")
db.execute("create table t(x)")
db.executemany("insert into t values (?)", [(i,) for i in range(10)])
assert db.execute("select sum(x) from t").fetchone()[0] == 45
assert db.execute("select json_extract('{\"a\": 3}', '$.a')").fetchone()[0] == 3
print("sqlite", sqlite3.sqlite_version)

class Point(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int)]
p = Point(3, 4)
assert (p.x, p.y) == (3, 4) and ctypes.sizeof(p) == 8
CB = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_int, ctypes.c_int)
assert CB(lambda a, b: a * b)(6, 7) == 42
print("ctypes ok")

data = b"stick " * 10000
for mod in (zlib, bz2, lzma):
    assert mod.decompress(mod.compress(data)) == data
# hashlib goes through OpenSSL; the builtin modules are used directly.
assert hashlib.sha256(b"abc").hexdigest().startswith("ba7816bf")
assert "sha256" in hashlib.algorithms_available
import _md5, _sha1, _sha3, _blake2
_sha2 = __import__("_sha2" if "_sha2" in sys.builtin_module_names else "_sha256")
assert _md5.md5(b"abc").hexdigest() == "900150983cd24fb0d6963f7d28e17f72"
assert _sha1.sha1(b"abc").hexdigest().startswith("a9993e36")
assert _sha2.sha256(b"abc").hexdigest().startswith("ba7816bf")
assert _sha3.sha3_256(b"").hexdigest().startswith("a7ffc6f8")
assert _blake2.blake2s(b"abc").hexdigest().startswith("508c5e8c")
assert hashlib.md5(b"abc").hexdigest() == "900150983cd24fb0d6963f7d28e17f72"
assert hashlib.sha3_256(b"").hexdigest().startswith("a7ffc6f8")
assert hashlib.blake2b(b"abc").hexdigest().startswith("ba80a53f")
decimal.getcontext().prec = 50
assert str(decimal.Decimal(1) / decimal.Decimal(7)).startswith("0.142857142857")
async def main():
    await asyncio.sleep(0)
    return 7
assert asyncio.run(main()) == 7
assert json.loads(json.dumps({"a": [1, 2]})) == {"a": [1, 2]}
# readline is libedit's (BSD), never GNU readline's (GPL).
import readline
readline.clear_history()
readline.add_history("stick")
assert readline.get_current_history_length() == 1
assert readline.get_history_item(1) == "stick"
assert "libedit" in readline.__doc__, readline.__doc__
print("readline", readline._READLINE_LIBRARY_VERSION)
print("all", len(mods), "modules ok")
