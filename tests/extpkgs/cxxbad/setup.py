from setuptools import Extension, setup

# A C++ extension that does not compile.
setup(name="cxxbad", version="1.0", packages=["cxxbad"],
      ext_modules=[Extension("cxxbad._broken", ["cxxbad/_broken.cpp"])])
