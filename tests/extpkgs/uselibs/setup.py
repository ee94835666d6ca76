# One extension per stick library recipe it links: zstd, lz4, libxml2 and
# libjpeg; each library is built on demand (a missing header, then -lNAME).
from setuptools import Extension, setup

setup(name="uselibs", version="1.0", packages=["uselibs"],
      ext_modules=[Extension(f"uselibs._{n}", [f"uselibs/_{n}.c"],
                             libraries=[lib])
                   for n, lib in (("zstd", "zstd"), ("lz4", "lz4"),
                                  ("xml", "xml2"), ("jpeg", "jpeg"))])
