# One extension calling the libraries the toolchain itself links (zlib,
# libffi, SQLite, xz, bzip2, OpenSSL, libedit): their headers come from
# the toolchain's include/, their -l names from its pkg-config files, and
# the final link resolves them to libstickpython.a's copies.
import os
import subprocess

from setuptools import Extension, setup

PKGS = ["zlib", "libffi", "sqlite3", "liblzma", "bzip2", "openssl", "libedit"]
libs = subprocess.check_output(["pkg-config", "--libs-only-l"] + PKGS,
                               text=True).split()
for pkg, header in (("zlib", "zlib.h"), ("libffi", "ffi.h"),
                    ("sqlite3", "sqlite3.h"), ("liblzma", "lzma.h"),
                    ("bzip2", "bzlib.h"), ("openssl", "openssl/crypto.h")):
    inc = subprocess.check_output(["pkg-config", "--variable=includedir",
                                   pkg], text=True).strip()
    assert os.path.isfile(os.path.join(inc, header)), (pkg, inc, header)

setup(name="usezlib", version="1.0", packages=["usezlib"],
      ext_modules=[Extension("usezlib._native", ["usezlib/_native.c"],
                             libraries=[l[2:] for l in libs])])
