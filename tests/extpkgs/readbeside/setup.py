from setuptools import Extension, setup

setup(name="readbeside", version="1.0", packages=["readbeside"],
      package_data={"readbeside": ["*.txt"]},
      ext_modules=[Extension("readbeside._reader",
                             ["readbeside/_reader.c"])])
