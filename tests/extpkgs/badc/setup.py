from setuptools import Extension, setup
setup(name="badc", version="1.0", packages=["badc"],
      ext_modules=[Extension("badc._broken", ["badc/_broken.c"])])
