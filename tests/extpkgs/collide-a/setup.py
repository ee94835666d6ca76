from setuptools import Extension, setup

setup(name="collide-a", version="1.0", packages=["collide_a"],
      ext_modules=[Extension("collide_a._speedups",
                             ["collide_a/_speedups.c"])])
