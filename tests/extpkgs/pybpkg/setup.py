from setuptools import Extension, setup

# A pybind11 extension. pybind11's headers are not vendored here: the test
# (t7600) copies this package and unpacks the pinned pybind11 tarball's
# include/ into it (tests/sdists/pybind11-2.10.3).
setup(name="pybpkg", version="1.0", packages=["pybpkg"],
      ext_modules=[Extension("pybpkg._core", ["pybpkg/_core.cpp"],
                             include_dirs=["include"])])
