# Helpers shared by the dependency tests (t7100, t7200, t7500, t7620,
# t8000) and make bench's C++ app (scripts/bench), sourced after lib.sh:
# the pinned sdists of tests/deps/ from Debian's source archive, pure
# wheels built from them with the pinned pip and flit, and a PEP 503 index
# of index/files/ for tests/httpd on 127.0.0.1. Needs SOURCES and
# PYTHON (the toolchain's interpreter).

# source_of RECIPE: the recipe's orig tarball in $SOURCES.
source_of() {
	echo "$SOURCES/$(awk '$1 == "source" { print $2 }' "$1")"
}

# unpack_tool RECIPE: its tarball extracted in tools/.
unpack_tool() {
	mkdir -p tools && tar -C tools -xf "$(source_of "$1")"
}

# fetch_pins [RECIPE...]: pip, tests/deps/* and these in $SOURCES.
fetch_pins() {
	local r missing=
	for r in "$TOP/thirdparty/pip" "$TOP"/tests/deps/[a-z]* "$@"; do
		[ -f "$(source_of "$r")" ] || missing="$missing $r"
	done
	[ -z "$missing" ] || "$TOP/scripts/fetch-sources" "$SOURCES" $missing
}

# wheel_of RECIPE: a pure wheel built from the sdist with pip and flit.
wheel_of() {
	PYTHONPATH="$TRASH/tools/pip-25.1.1/src:$TRASH/tools/flit-3.12.0/flit_core" \
	PYTHONNOUSERSITE=1 "$PYTHON" -m pip wheel -q --no-deps \
		--no-build-isolation --no-index -w index/files "$(source_of "$1")"
}

# binary_wheel NAME VERSION: a wheel tagged cpXY-cpXY-linux_x86_64 (the
# target's) with an extension module in it, as a platform wheel would be.
binary_wheel() {
	python3 - "$1" "$2" "cp${PY/./}" <<-'EOF'
	import sys, zipfile
	name, version, cp = sys.argv[1:]
	tag = f"{cp}-{cp}-linux_x86_64"
	info = f"{name}-{version}.dist-info"
	with zipfile.ZipFile(f"index/files/{name}-{version}-{tag}.whl", "w") as z:
	    z.writestr(f"{name}/__init__.py", "from ._speedups import *\n")
	    z.writestr(f"{name}/_speedups.so", b"\x7fELF\x02\x01\x01")
	    z.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
	    z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: false\nTag: {tag}\n")
	    z.writestr(f"{info}/RECORD", "")
	EOF
}

# make_index: index/simple/NAME/index.html for every file in index/files,
# each link carrying its sha256 as PyPI's do.
make_index() {
	local f name
	rm -rf index/simple && mkdir -p index/simple
	for f in index/files/*; do
		f=${f##*/}
		name=$(echo "${f%%-[0-9]*}" | tr 'A-Z_.' 'a-z--')
		mkdir -p "index/simple/$name"
		echo "<a href=\"../../files/$f#sha256=$(sha256_of "index/files/$f")\">$f</a><br>" \
			>>"index/simple/$name/index.html"
	done
	ls index/simple | sed 's|.*|<a href="&/">&</a><br>|' >index/simple/index.html
}

# pip_wheel ARCHIVE [ROOT...]: a pure wheel of ARCHIVE in index/files,
# built by the pinned pip with the pinned setuptools, flit_core and the
# ROOTs (unpacked wheels) on the path.
pip_wheel() {
	local archive=$1 path
	shift
	path="$TRASH/tools/pip-25.1.1/src:$TRASH/tools/setuptools-78.1.1:$TRASH/tools/setuptools-78.1.1/setuptools/_vendor:$TRASH/tools/flit-3.12.0/flit_core"
	for r in "$@"; do path="$path:$r"; done
	PYTHONPATH=$path PYTHONNOUSERSITE=1 "$PYTHON" -m pip wheel -q --no-deps \
		--no-build-isolation --no-index -w index/files "$archive"
}

# real_sdist TARBALL NAME VERSION: NAME-VERSION.tar.gz here, TARBALL's tree
# with a PKG-INFO: what setuptools_scm reads the version from when there
# is no git repository (a git archive has none, and these have no
# .git_archival.txt either).
real_sdist() {
	rm -rf "sd/$2-$3" && mkdir -p sd/x && tar -C sd/x -xf "$1" &&
	mv sd/x/* "sd/$2-$3" && rmdir sd/x &&
	printf "Metadata-Version: 2.1\nName: %s\nVersion: %s\n" "$2" "$3" >"sd/$2-$3/PKG-INFO" &&
	tar -C sd -czf "$2-$3.tar.gz" "$2-$3"
}

# lock_query FILE EXPR: EXPR evaluated over the lock read by tomllib (doc).
lock_query() {
	"$PYTHON" -I -c 'import sys, tomllib
doc = tomllib.load(open(sys.argv[1], "rb"))
print(eval(sys.argv[2]))' "$@"
}

# skbuild_wheel: scikit-build-core 0.11.6 (tests/vendor) as a pure wheel
# in index/files, written from its source tree (sd/ is the scratch): its
# own backend is hatchling with hatch-vcs, which no pinned tool provides;
# _version.py is what hatch-vcs would write.
skbuild_wheel() {
	tar -C sd -xzf "$TOP/tests/vendor/scikit-build-core-0.11.6.tar.gz" &&
	"$PYTHON" -I - <<-'EOF'
	import os, zipfile
	top = "sd/scikit-build-core-0.11.6/src"
	info = "scikit_build_core-0.11.6.dist-info"
	with zipfile.ZipFile("index/files/scikit_build_core-0.11.6-py3-none-any.whl", "w") as z:
	    for root, dirs, files in os.walk(top):
	        dirs.sort()
	        for f in sorted(files):
	            p = os.path.join(root, f)
	            z.write(p, os.path.relpath(p, top))
	    z.writestr("scikit_build_core/_version.py",
	               "version = __version__ = '0.11.6'\nversion_tuple = (0, 11, 6)\n")
	    z.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: scikit-build-core\n"
	               "Version: 0.11.6\nRequires-Dist: packaging>=23.2\n"
	               "Requires-Dist: pathspec>=0.10.1\n")
	    z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: stick-test\n"
	               "Root-Is-Purelib: true\nTag: py3-none-any\n")
	    z.writestr(f"{info}/RECORD", "")
	EOF
}
