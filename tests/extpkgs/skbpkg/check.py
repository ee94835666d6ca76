# The app t7620 (x86_64) and t8000 (aarch64) build with skbpkg: the
# machine it was compiled for, a sum, the loader, a C++ exception caught
# inside the module and raised as ValueError. Not part of the wheel.
import skbpkg
import skbpkg._core as c

print(skbpkg.arch(), skbpkg.checked_sum([1, 2, 39]), c.__spec__.loader.__name__)
try:
    skbpkg.checked_sum([1, "x"])
except ValueError as e:
    print(e)
