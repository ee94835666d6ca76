from setuptools import Extension, setup

# Built against version 1 of the header-only library vlib (include/vlib.h);
# tests/extpkgs/cxxver2 holds the other version, with the same names.
setup(name="cxxver1", version="1.0", packages=["cxxver1"],
      ext_modules=[Extension("cxxver1._v", ["cxxver1/_v.cpp"],
                             include_dirs=["include"])])
