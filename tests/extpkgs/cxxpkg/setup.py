from setuptools import Extension, setup

# A C++ extension (setuptools compiles .cpp with CXX and links with
# LDCXXSHARED: stick cc-wrap --cxx).
setup(name="cxxpkg", version="1.0", packages=["cxxpkg"],
      ext_modules=[Extension("cxxpkg._fast", ["cxxpkg/_fast.cpp",
                                              "cxxpkg/_helpers.cpp"])])
