#!/usr/bin/env bash
# A [build-system] requirement no pinned build tool provides (issue 22):
# resolved by the pinned pip from the index the user gives (--find-links,
# --index-url: a PEP 503 index served on 127.0.0.1), installed into an
# environment cached by the resolved set's digest, found by the backend
# after the pinned tools; locked in a project's pylock.toml
# ([[tool.stick.build-requirements]]) and verified on every rebuild.
# stickbuildhelper, a pure wheel made here, writes the C source of the
# extension of tests/extpkgs/bhpkg.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# dists/, pip/, build-envs/ and extensions/ are this test's own.
share_cache toolchains stdlib clibs tools debian-sources sources
no_host_pip
EXT=$TOP/tests/extpkgs

if ! PYTHON=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES")/bin/python$PY; then
	test_skip 'build requirements' 'no toolchain'
	test_done
fi
. "$TOP/tests/deps-lib.sh"

# helper_wheel VERSION TEXT: stickbuildhelper VERSION, a pure wheel whose
# generated_source(leaf) is the C source of a module with made_by() ->
# TEXT.
helper_wheel() {
	python3 - "$1" "$2" <<-'EOF'
	import sys, zipfile
	version, text = sys.argv[1:]
	info = f"stickbuildhelper-{version}.dist-info"
	code = '''
	TEMPLATE = """#include <Python.h>
	static PyObject *made_by(PyObject *self, PyObject *args)
	{
		return PyUnicode_FromString("%s");
	}
	static PyMethodDef methods[] = {
		{"made_by", made_by, METH_NOARGS, NULL}, {NULL, NULL, 0, NULL}
	};
	static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "%s", NULL, -1, methods};
	PyMODINIT_FUNC PyInit_%s(void) { return PyModule_Create(&def); }
	"""


	def generated_source(leaf):
	    return TEMPLATE % (TEXT, leaf, leaf)
	'''
	with zipfile.ZipFile(f"index/files/stickbuildhelper-{version}-py3-none-any.whl", "w") as z:
	    z.writestr("stickbuildhelper/__init__.py", f"TEXT = {text!r}\n" + code)
	    z.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: stickbuildhelper\nVersion: {version}\n")
	    z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
	    z.writestr(f"{info}/RECORD", "")
	EOF
}

# only_sdist: stickonlysdist 1.0, on the index as an sdist alone.
only_sdist() {
	mkdir -p sd/stickonlysdist-1.0/stickonlysdist &&
	printf "[build-system]\nrequires = [\"setuptools>=61\"]\nbuild-backend = \"setuptools.build_meta\"\n[project]\nname = \"stickonlysdist\"\nversion = \"1.0\"\n" \
		>sd/stickonlysdist-1.0/pyproject.toml &&
	printf "Metadata-Version: 2.1\nName: stickonlysdist\nVersion: 1.0\n" \
		>sd/stickonlysdist-1.0/PKG-INFO &&
	: >sd/stickonlysdist-1.0/stickonlysdist/__init__.py &&
	tar -C sd -czf index/files/stickonlysdist-1.0.tar.gz stickonlysdist-1.0
}

cat >bh.py <<'PY'
import bhpkg
import bhpkg._gen as g
print(bhpkg.made_by(), g.__spec__.loader.__name__)
PY

test_expect_success 'set up: the helper wheel, an sdist-only one, a PEP 503 index, a project' '
	mkdir -p index/files && helper_wheel 1.0 "stickbuildhelper 1.0" &&
	only_sdist && make_index &&
	mkdir -p bhproj/src/bhproj bhproj/vendor &&
	cp -r "$EXT/bhpkg" bhproj/vendor/ &&
	printf "[project]\nname = \"bhproj\"\nversion = \"1.0\"\n[project.scripts]\nbhproj = \"bhproj:main\"\n[tool.stick]\nsdists = [\"vendor/bhpkg\"]\n" \
		>bhproj/pyproject.toml &&
	printf "import bhpkg\n\n\ndef main():\n    print(\"project\", bhpkg.made_by())\n" \
		>bhproj/src/bhproj/__init__.py
'
start_httpd "$TRASH/index"

test_expect_success 'without an index: the requirement, the package and the options are named' '
	test_must_fail build --sdist "$EXT/bhpkg" --script bh.py -o bad 2>err &&
	cat err &&
	test_grep "bhpkg 1.0: build backend .setuptools.build_meta. requires .stickbuildhelper>=1.0., and no pinned build tool provides it" err &&
	test_grep -- "--index-url URL or --find-links DIR|URL" err &&
	test_grep -- "--skip-requirement stickbuildhelper" err &&
	! test -e bad
'

test_expect_success 'with --find-links: installed for the build; the binary runs alone; no lock' '
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--find-links "$TRASH/index/files" --sdist "$EXT/bhpkg" \
		--script bh.py -o bh 2>err && cat err &&
	test_grep "resolved the build requirements of bhpkg 1.0 (stickbuildhelper>=1.0) to 1 distribution(s) with pip 25.1.1" err &&
	test_grep "downloaded stickbuildhelper 1.0 (stickbuildhelper-1.0-py3-none-any.whl" err &&
	in_root bh >out && cat out &&
	test_grep -x "stickbuildhelper 1.0 BuiltinImporter" out &&
	ls home/build-envs >envs &&
	test "$(grep -cv "^\." envs)" = 1 &&
	test -f "home/dists/$(sha256_of index/files/stickbuildhelper-1.0-py3-none-any.whl)/stickbuildhelper-1.0-py3-none-any.whl" &&
	! test -e pylock.toml
'

test_expect_success 'stick info and the SBOM name the build requirement, not as content' '
	"$STICK" info bh >info && cat info &&
	test_grep "^build requirements (from the index, for the build backends; not in the output):" info &&
	test_grep "^  stickbuildhelper  *1.0  *sha256 $(sha256_of index/files/stickbuildhelper-1.0-py3-none-any.whl)" info &&
	test_grep "for bhpkg; $TRASH/index/files/stickbuildhelper-1.0-py3-none-any.whl" info &&
	python3 - <<-\EOF
	import json
	doc = json.load(open("bh.sbom.json"))
	ids = {p["name"]: p["SPDXID"] for p in doc["packages"]}
	helper = [p for p in doc["packages"] if p["name"] == "stickbuildhelper"]
	assert len(helper) == 1, helper
	assert helper[0]["versionInfo"] == "1.0", helper
	assert helper[0]["packageFileName"] == "stickbuildhelper-1.0-py3-none-any.whl"
	rels = [(r["spdxElementId"], r["relationshipType"], r["relatedSpdxElement"])
	        for r in doc["relationships"]]
	assert (helper[0]["SPDXID"], "BUILD_DEPENDENCY_OF", ids["bhpkg"]) in rels, rels
	assert not [r for r in rels if r[2] == helper[0]["SPDXID"]], rels
	print("sbom ok")
	EOF
'

test_expect_success 'with --index-url: resolved again (no lock for --sdist), the build cached' '
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" --sdist "$EXT/bhpkg" \
		--script bh.py -o bh2 2>err && cat err &&
	test_grep "resolved the build requirements of bhpkg 1.0" err &&
	! test_grep "downloaded" err &&
	in_root bh2 >out && test_grep -x "stickbuildhelper 1.0 BuiltinImporter" out
'

test_expect_success 'a project: the build requirement locked in pylock.toml [tool.stick]' '
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" bhproj -o pout 2>err && cat err &&
	test_grep "wrote .*bhproj/pylock.toml (1 build requirement(s))" err &&
	cat bhproj/pylock.toml &&
	lock_query bhproj/pylock.toml "[(e[\"name\"], e[\"version\"], e[\"sha256\"], e[\"url\"], e[\"needed-by\"]) for e in doc[\"tool\"][\"stick\"][\"build-requirements\"]]" >q &&
	echo "[(\"stickbuildhelper\", \"1.0\", \"$(sha256_of index/files/stickbuildhelper-1.0-py3-none-any.whl)\", \"$HTTPD_URL/files/stickbuildhelper-1.0-py3-none-any.whl\", [\"bhpkg\"])]" | tr "\"" "\047" >expect &&
	test_cmp expect q &&
	in_root pout/bhproj >out && test_grep -x "project stickbuildhelper 1.0" out
'

stop_httpd
test_expect_success 'the rebuild with the index stopped: the lock and the cache, pip does not run' '
	cp bhproj/pylock.toml lock.before &&
	rm -rf home/extensions home/build-envs &&
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" bhproj -o pout2 2>err && cat err &&
	! test_grep "resolved\|downloaded\|wrote" err &&
	test_cmp lock.before bhproj/pylock.toml &&
	in_root pout2/bhproj >out && test_grep -x "project stickbuildhelper 1.0" out &&
	build bhproj -o pout3 2>err && cat err &&
	in_root pout3/bhproj >out && test_grep -x "project stickbuildhelper 1.0" out
'

# The same port again: the lock names its URL.
start_httpd "$TRASH/index" --port "$HTTPD_PORT"
test_expect_success 'a changed artifact behind the locked URL: refused with both digests' '
	good=$(sha256_of index/files/stickbuildhelper-1.0-py3-none-any.whl) &&
	mv index/files/stickbuildhelper-1.0-py3-none-any.whl good.whl &&
	helper_wheel 1.0 "evil" &&
	bad=$(sha256_of index/files/stickbuildhelper-1.0-py3-none-any.whl) &&
	rm -rf "home/dists/$good" &&
	test_must_fail build --index-url "$HTTPD_URL/simple" bhproj -o pout4 2>err &&
	cat err &&
	test_grep "stickbuildhelper-1.0-py3-none-any.whl.* has sha256 $bad, but .*bhproj/pylock.toml. expects $good" err &&
	! test -e pout4 && ! test -e "home/dists/$bad" &&
	test_cmp lock.before bhproj/pylock.toml &&
	mv good.whl index/files/stickbuildhelper-1.0-py3-none-any.whl
'

test_expect_success 'a changed digest in the lock is refused' '
	good=$(sha256_of index/files/stickbuildhelper-1.0-py3-none-any.whl) &&
	sed "s/$good/$(echo "$good" | tr 0-9a-f 1-9a-f0)/" lock.before >bhproj/pylock.toml &&
	test_must_fail build --index-url "$HTTPD_URL/simple" bhproj -o pout5 2>err &&
	cat err &&
	test_grep "stickbuildhelper-1.0-py3-none-any.whl.* has sha256 $good, but .*bhproj/pylock.toml. expects" err &&
	! test -e pout5 && cp lock.before bhproj/pylock.toml
'

test_expect_success 'an unsatisfiable build requirement: pip'"'"'s message; an unreachable index is named' '
	cp -r "$EXT/bhpkg" bh9 &&
	sed -i "s/\"stickbuildhelper>=1.0\"/\"stickbuildhelper>=9\"/" bh9/pyproject.toml &&
	test_must_fail build --index-url "$HTTPD_URL/simple" --sdist bh9 \
		--script bh.py -o bad 2>err &&
	cat err &&
	test_grep "cannot resolve the build requirements of bhpkg 1.0 (stickbuildhelper>=9) with pip 25.1.1" err &&
	test_grep "No matching distribution found for stickbuildhelper>=9" err &&
	port=$(closed_port) &&
	test_must_fail build --index-url "http://127.0.0.1:$port/simple" --sdist bh9 \
		--script bh.py -o bad 2>err &&
	cat err &&
	test_grep "cannot reach the package index http://127.0.0.1:$port/simple to resolve the build requirements of bhpkg 1.0" err &&
	! test -e bad
'

test_expect_success 'a build requirement the index has only as an sdist is refused, naming it' '
	cp -r "$EXT/bhpkg" bhsd &&
	sed -i "s/\"stickbuildhelper>=1.0\"/\"stickonlysdist\"/" bhsd/pyproject.toml &&
	test_must_fail build --index-url "$HTTPD_URL/simple" --sdist bhsd \
		--script bh.py -o bad 2>err &&
	cat err &&
	test_grep "stickonlysdist 1.0, a build requirement of bhpkg 1.0, is on the index only as an sdist (stickonlysdist-1.0.tar.gz)" err &&
	! test -e bad
'

test_expect_success '--upgrade resolves the build requirements again and updates the lock' '
	helper_wheel 1.1 "stickbuildhelper 1.1" && make_index &&
	build bhproj -o pout6 && in_root pout6/bhproj >out &&
	test_grep -x "project stickbuildhelper 1.0" out &&
	build --upgrade --index-url "$HTTPD_URL/simple" bhproj -o pout7 &&
	lock_query bhproj/pylock.toml "[e[\"version\"] for e in doc[\"tool\"][\"stick\"][\"build-requirements\"]]" >q &&
	test_grep -x "\[.1.1.\]" q &&
	in_root pout7/bhproj >out && test_grep -x "project stickbuildhelper 1.1" out
'

test_done
