# Links a library no recipe builds: the build must name it and the package.
from setuptools import Extension, setup

setup(name="nolib", version="1.0", packages=["nolib"],
      ext_modules=[Extension("nolib._fast", ["nolib/_fast.c"],
                             libraries=["nosuchlib"])])
