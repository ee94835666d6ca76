from setuptools import Extension, setup
setup(name="cxxpkg", version="1.0", packages=["cxxpkg"],
      ext_modules=[Extension("cxxpkg._fast", ["cxxpkg/_fast.cpp"])])
