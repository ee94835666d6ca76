#!/usr/bin/env bash
# numpy 2.2.4 from source (issue 24): upstream's v2.2.4 with its six build
# submodules at the commits the tag records, assembled by
# tests/vendor/numpy/make-sdist into $STICK_TEST_TOOLCHAIN_HOME/vendor/
# (too large to commit; made from git mirrors of github:numpy/numpy and
# the submodules' repositories), built by meson-python with numpy's
# vendored meson, Cython 3.1.6, clang++ and libc++ through stick cc-wrap.
# The app (tests/numpy/app.py: linalg.solve and eig, fft.rfft, the
# default_rng normal draws, einsum, datetime64, string and structured
# arrays) runs alone in an empty root and prints what Debian trixie's
# python3.13 with python3-numpy 2.2.4 prints for the same file.
#
# numpy's build takes long on 2 cores: unlike the other extension tests,
# this one shares the cache's extensions/ (the first run builds numpy
# there, later runs reuse it; the build is keyed by the tarball's sha256,
# the toolchain and stick's helper code).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
share_cache toolchains stdlib clibs tools debian-sources sources embed extensions
NUMPY=$SHARED_HOME/vendor/numpy-2.2.4.tar.gz
APP=$TOP/tests/numpy

if [ ! -f "$NUMPY" ]; then
	test_skip 'numpy 2.2.4' "no $NUMPY: make it with tests/vendor/numpy/make-sdist MIRRORS $SHARED_HOME/vendor (git mirrors of github:numpy/numpy and its submodules)"
	test_done
fi
if ! command -v ninja >/dev/null; then
	test_skip 'numpy 2.2.4' 'no ninja (Debian ninja-build)'
	test_done
fi

test_expect_success 'the numpy tarball is the one make-sdist pins' '
	want=$(sed -n "s/^SHA256=//p" "$TOP/tests/vendor/numpy/make-sdist") &&
	echo "$want  $NUMPY" | sha256sum -c -
'

test_expect_success 'numpy 2.2.4 built from source: the app alone in an empty root' '
	build --sdist "$NUMPY" --script "$APP/app.py" -o np 2>err &&
	in_root np >out &&
	{ cat "$APP/app.expect" && echo "loader BuiltinImporter"; } >want &&
	test_cmp want out
'

test_expect_success 'every numpy extension module is linked in, by dotted name' '
	"$STICK" info np >info &&
	for m in numpy._core._multiarray_umath numpy._core._multiarray_tests \
		numpy._core._umath_tests numpy._core._simd numpy.linalg._umath_linalg \
		numpy.linalg.lapack_lite numpy.fft._pocketfft_umath \
		numpy.random._generator numpy.random.mtrand numpy.random.bit_generator \
		numpy.random._mt19937 numpy.random._pcg64 numpy.random._philox \
		numpy.random._sfc64 numpy.random._common numpy.random._bounded_integers; do
		test_grep "^  $m  *from numpy (source)" info || return 1
	done &&
	test_grep "(C library)  *libcxx 19.1.7" info
'

cat >rt.py <<'PY'
import numpy as np
from numpy._core._multiarray_umath import __cpu_baseline__, __cpu_dispatch__
from numpy._core._multiarray_umath import __cpu_features__ as f
print("baseline", __cpu_baseline__)
print("found", [k for k in __cpu_dispatch__ if f[k]] != [])
print("blas", np.show_config(mode="dicts")["Build Dependencies"]["blas"].get("found", False))
print("cython", np.__config__.CONFIG["Compilers"]["cython"]["version"])
print("compiler", np.__config__.CONFIG["Compilers"]["c"]["commands"])
np.show_runtime()
PY

test_expect_success 'show_config, __config__ and CPU dispatch (show_runtime) work; no build path recorded' '
	build --sdist "$NUMPY" --script rt.py -o rt &&
	in_root rt >out 2>&1 && cat out &&
	test_grep -x "baseline \[.SSE., .SSE2., .SSE3.\]" out &&
	test_grep -x "found True" out &&
	test_grep -x "blas False" out &&
	test_grep -x "cython 3.1.6" out &&
	test_grep -x "compiler stick, cc-wrap" out &&
	test_grep "simd_extensions" out &&
	! grep -e "$STICK_HOME" -e "$SHARED_HOME" -e "$TOP" out
'

test_expect_success '--prune keeps what numpy imports: the pruned app gives the same answers' '
	build --sdist "$NUMPY" --script "$APP/app.py" --prune -o np-pruned 2>err &&
	in_root np-pruned >out &&
	test_cmp want out &&
	test $(stat -c %s np-pruned) -lt $(stat -c %s np)
'

test_expect_success 'the app linked in a second STICK_HOME (the numpy build shared) is byte-identical' '
	( SHARED=$SHARED_HOME && export STICK_HOME=$TRASH/home2 && mkdir -p "$STICK_HOME" &&
	  for d in toolchains stdlib clibs tools debian-sources sources embed extensions; do
		ln -s "$SHARED/$d" "$STICK_HOME/$d" || exit 1
	  done &&
	  build --sdist "$NUMPY" --script "$APP/app.py" -o np2 ) &&
	cmp np np2
'

test_done
