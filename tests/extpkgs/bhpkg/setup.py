# stickbuildhelper is a build requirement no pinned tool provides: stick
# installs it from the index the test serves (tests/t7500).
import os

from setuptools import Extension, setup
from stickbuildhelper import generated_source

here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "bhpkg", "_gen.c"), "w") as f:
    f.write(generated_source("_gen"))
setup(packages=["bhpkg"],
      ext_modules=[Extension("bhpkg._gen", ["bhpkg/_gen.c"])])
