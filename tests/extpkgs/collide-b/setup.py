from setuptools import Extension, setup

setup(name="collide-b", version="1.0", packages=["collide_b"],
      ext_modules=[Extension("collide_b._speedups",
                             ["collide_b/_speedups.c"])])
