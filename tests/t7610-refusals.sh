#!/usr/bin/env bash
# Rust and Fortran are refused exactly (issue 22): a maturin or
# setuptools-rust package (pyproject, setup.py, Cargo.toml: the refusal
# comes before any Rust would compile) and a Fortran one (a setuptools
# extension from a .f90 file, a meson-python project enabling fortran)
# each fail naming the package and what stick lacks, with a non-zero exit,
# no output file and nothing in the caches but the build's log: no
# extension entry, no build environment, no half-written temporary.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# extensions/, build-envs/, dists/ are this test's own.
share_cache toolchains stdlib clibs tools debian-sources sources
no_host_pip
EXT=$TOP/tests/extpkgs

if ! "$STICK" -q toolchain --python "$PY" --sources "$SOURCES" >/dev/null; then
	test_skip 'refusals' 'no toolchain'
	test_done
fi
echo 'print("never")' >app.py

# nothing_cached: the extension cache holds logs and locks only, and no
# build environment was made.
nothing_cached() {
	{
		find home/extensions -mindepth 2 -maxdepth 2 ! -name "*.log" ! -name .locks
		find home/build-envs -mindepth 1 -maxdepth 1 ! -name .locks
	} >left 2>/dev/null
	cat left && test ! -s left
}

# refused WHAT ARGS...: stick build ARGS fails, its message in err; no
# output and nothing cached.
refused() {
	test_must_fail build "$@" --script app.py -o bad 2>err && cat err &&
	test "$(grep -c "^stick: error: " err)" -ge 1 &&
	! test -e bad && nothing_cached
}

test_expect_success 'maturin: refused from its backend, naming the package and Rust' '
	refused --sdist "$EXT/rustmaturin" &&
	test_grep "rustmaturin 1.0: cannot build it: it compiles Rust code (build backend .maturin.), and stick has no Rust toolchain (rustc, cargo) for static musl binaries" err
'

test_expect_success 'maturin with its requirement skipped or an index given: refused the same' '
	refused --skip-requirement maturin --sdist "$EXT/rustmaturin" &&
	test_grep "rustmaturin 1.0: cannot build it: it compiles Rust code (build backend .maturin.)" err &&
	mkdir -p emptyindex &&
	refused --find-links "$TRASH/emptyindex" --sdist "$EXT/rustmaturin" &&
	test_grep "rustmaturin 1.0: cannot build it: it compiles Rust code (build backend .maturin.)" err &&
	! test_grep "resolv" err
'

test_expect_success 'setuptools-rust: refused from [tool.setuptools-rust], also skipped' '
	refused --sdist "$EXT/rustsetup" &&
	test_grep "rustsetup 1.0: cannot build it: it compiles Rust code (pyproject.toml.s \[tool.setuptools-rust\]), and stick has no Rust toolchain" err &&
	refused --skip-requirement setuptools-rust --sdist "$EXT/rustsetup" &&
	test_grep "rustsetup 1.0: cannot build it: it compiles Rust code (pyproject.toml.s \[tool.setuptools-rust\])" err
'

test_expect_success 'a Rust build tool among the requirements alone: refused from it' '
	cp -r "$EXT/rustsetup" reqonly && rm reqonly/setup.py &&
	sed -i "/tool.setuptools-rust/,\$d" reqonly/pyproject.toml &&
	refused --sdist reqonly &&
	test_grep "rustsetup 1.0: build backend .setuptools.build_meta. requires .setuptools-rust>=1.9.: the package builds Rust code, and stick has no Rust toolchain for static musl binaries" err &&
	refused --find-links "$TRASH/emptyindex" --sdist reqonly &&
	test_grep "requires .setuptools-rust>=1.9.: the package builds Rust code" err
'

test_expect_success 'a setup.py-only sdist using setuptools_rust: refused, also with an index' '
	mkdir -p sd && cp -r "$EXT/rustsetup" sd/rustsetup-1.0 &&
	rm sd/rustsetup-1.0/pyproject.toml &&
	printf "Metadata-Version: 2.1\nName: rustsetup\nVersion: 1.0\n" >sd/rustsetup-1.0/PKG-INFO &&
	tar -C sd -czf rustsetup-1.0.tar.gz rustsetup-1.0 &&
	refused --sdist rustsetup-1.0.tar.gz &&
	test_grep "rustsetup 1.0: cannot build it: it compiles Rust code (setup.py uses setuptools_rust), and stick has no Rust toolchain" err &&
	refused --find-links "$TRASH/emptyindex" --sdist rustsetup-1.0.tar.gz &&
	test_grep "rustsetup 1.0: cannot build it: it compiles Rust code (setup.py uses setuptools_rust)" err
'

test_expect_success 'a Rust package among a project'"'"'s sdists: refused, no output directory' '
	mkdir -p proj/src/proj &&
	cp -r "$EXT/rustmaturin" proj/rustmaturin &&
	printf "[project]\nname = \"proj\"\nversion = \"1.0\"\n[project.scripts]\nproj = \"proj:main\"\n[tool.stick]\nsdists = [\"rustmaturin\"]\n" \
		>proj/pyproject.toml &&
	printf "def main():\n    print(1)\n" >proj/src/proj/__init__.py &&
	test_must_fail build proj -o pout 2>err && cat err &&
	test_grep "rustmaturin 1.0: cannot build it: it compiles Rust code" err &&
	! test -e pout && nothing_cached
'

test_expect_success 'a setuptools extension from a .f90 source: refused, naming the file' '
	refused --sdist "$EXT/fortranext" &&
	test_grep "fortranext: cannot build .fortranext/dot.f90.: it is Fortran, and stick has no Fortran compiler or runtime (gfortran, libgfortran) for static musl binaries" err &&
	test_grep "log: " err
'

test_expect_success 'a meson-python project enabling fortran: refused as Fortran' '
	refused --sdist "$EXT/fortranmeson" &&
	test_grep "fortranmeson 1.0: cannot build it: it compiles Fortran code (meson.build enables the fortran language), and stick has no Fortran compiler" err
'

test_done
