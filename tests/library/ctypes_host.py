"""The host's own python3 loads a stick libmylib.so with ctypes and calls
through it: two interpreters of different versions, each with its own
OpenSSL and SQLite, in one process (tests/t5000-library.sh)."""

import ctypes
import hashlib
import json
import sqlite3
import ssl
import sys

lib = ctypes.CDLL(sys.argv[1])
out = ctypes.POINTER(ctypes.c_void_p)
lib.stick_init.argtypes = [out]
lib.stick_call.argtypes = [ctypes.c_char_p, ctypes.c_int,
                           ctypes.POINTER(ctypes.c_char_p), out,
                           ctypes.POINTER(ctypes.c_size_t), out]
lib.stick_free.argtypes = [ctypes.c_void_p]
lib.stick_version.restype = ctypes.c_char_p


def take(ptr, size=None):
    if not ptr.value:
        return None
    data = ctypes.string_at(ptr.value, size) if size is not None \
        else ctypes.string_at(ptr.value)
    lib.stick_free(ptr)
    return data.decode()


def call(target, *args):
    argv = (ctypes.c_char_p * len(args))(*[a.encode() for a in args])
    result, error = ctypes.c_void_p(), ctypes.c_void_p()
    size = ctypes.c_size_t()
    rc = lib.stick_call(target.encode(), len(args), argv,
                        ctypes.byref(result), ctypes.byref(size),
                        ctypes.byref(error))
    return rc, take(result, size.value), take(error)


error = ctypes.c_void_p()
assert lib.stick_init(ctypes.byref(error)) == 0, take(error)
print("host:", sys.version.split()[0], ssl.OPENSSL_VERSION,
      "sqlite", sqlite3.sqlite_version)
rc, result, _ = call("mylib:versions")
print("library:", " ".join(json.loads(result)))
print("library version:", lib.stick_version().decode())
# ctypes.pythonapi inside the library: the library's own C API.
rc, result, _ = call("mylib:capi_version")
print("library pythonapi:", result)
rc, result, _ = call("mylib:work", "ctypes", "10")
print("work:", rc, result)
rc, _, error = call("mylib:boom", "ctypes")
print("boom:", rc, error.strip().splitlines()[-1])
# The host's own interpreter is untouched.
print("host still:", json.dumps([1]), hashlib.sha256(b"x").hexdigest()[:8],
      sqlite3.connect(":memory:").execute("select 2").fetchone()[0])
