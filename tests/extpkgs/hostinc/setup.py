# Adds the build host's directories, as Pillow 11.1's setup.py does: for
# a musl target stick drops them (glibc's <features.h> would break it).
from setuptools import Extension, setup

setup(name="hostinc", version="1.0", packages=["hostinc"],
      ext_modules=[Extension("hostinc._fast", ["hostinc/_fast.c"],
                             include_dirs=["/usr/include",
                                           "/usr/include/x86_64-linux-gnu"],
                             library_dirs=["/usr/lib/x86_64-linux-gnu",
                                           "/usr/lib"])])
