from setuptools import Extension, setup

setup(name="fortranext", version="1.0", packages=["fortranext"],
      ext_modules=[Extension("fortranext._dot", ["fortranext/dot.f90"])])
