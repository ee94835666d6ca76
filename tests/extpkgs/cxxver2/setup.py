from setuptools import Extension, setup

# Built against version 2 of the header-only library vlib (include/vlib.h);
# tests/extpkgs/cxxver1 holds the other version, with the same names.
setup(name="cxxver2", version="1.0", packages=["cxxver2"],
      ext_modules=[Extension("cxxver2._v", ["cxxver2/_v.cpp"],
                             include_dirs=["include"])])
