# libxslt and libexslt found the way lxml finds them: pkg-config (the
# backend's pkg-config is stick's, which builds the library on demand).
import subprocess
from setuptools import Extension, setup


def pkg(*args):
    return subprocess.run(["pkg-config", *args, "libexslt", "libxslt",
                           "libxml-2.0"], check=True, capture_output=True,
                          text=True).stdout.split()


cflags, libs = pkg("--cflags"), pkg("--libs")
setup(name="usexslt", version="1.0", packages=["usexslt"],
      ext_modules=[Extension(
          "usexslt._xslt", ["usexslt/_xslt.c"],
          include_dirs=[f[2:] for f in cflags if f.startswith("-I")],
          library_dirs=[f[2:] for f in libs if f.startswith("-L")],
          libraries=[f[2:] for f in libs if f.startswith("-l")])])
