#!/usr/bin/env bash
# A project's requirements resolved by the pinned pip under the toolchain's
# interpreter (stick/stickpy/deps.py, run standalone): a PEP 503 index
# served on 127.0.0.1 holds upstream sdists from Debian's source archive
# (tests/deps/) and pure wheels built from them here; the result is locked
# in pylock.toml, fetched into a cache keyed by sha256 and verified; pure
# wheels are unpacked, compiled code is only ever taken from its sdist.
. "$(dirname "$0")/lib.sh"

# stick finds the cached toolchain; deps gets a cache of its own (--home).
use_cached_toolchain
# The host's pip configuration (find-links, certificates) stays out; the
# variables show that PIP_* settings reach stick's pip.
no_host_pip

. "$TOP/tests/deps-lib.sh"

tool_args() {
	printf -- '--tool-path %s\n' "$TRASH/tools/pip-25.1.1/src" \
		"$TRASH/tools/setuptools-78.1.1" \
		"$TRASH/tools/setuptools-78.1.1/setuptools/_vendor" \
		"$TRASH/tools/flit-3.12.0/flit_core"
}

# deps ARGS...: stickpy.deps with the pinned tools and a cache in home/.
deps() {
	# shellcheck disable=SC2046
	PYTHONPATH="$TOP/stick" "$PYTHON" -s -m stickpy.deps \
		--python "$PYTHON" $(tool_args) --home "$TRASH/home" "$@"
}

# unpinned_backend_sdist: hpkg-1.0.tar.gz, built by hatchling, a backend
# stick does not pin.
unpinned_backend_sdist() {
	mkdir -p hpkg/hpkg-1.0/hpkg && : >hpkg/hpkg-1.0/hpkg/__init__.py &&
	printf '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n[project]\nname = "hpkg"\nversion = "1.0"\n' \
		>hpkg/hpkg-1.0/pyproject.toml &&
	tar -C hpkg -czf index/files/hpkg-1.0.tar.gz hpkg-1.0
}

# project DIR DEPENDENCY...: a pyproject.toml depending on them.
project() {
	local dir=$1 d list=
	shift
	for d in "$@"; do list="$list'$d', "; done
	mkdir -p "$dir" && printf '[project]\nname = "%s"\nversion = "1.0"\ndependencies = [%s]\n' \
		"${dir##*/}" "$list" >"$dir/pyproject.toml"
}

if ! PYTHON=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES")/bin/python$PY ||
	! fetch_pins; then
	test_skip 'resolution tests' 'no toolchain or pinned sources'
	test_done
fi

test_expect_success 'set up: pinned tools, pure wheels built from sdists, a PEP 503 index' '
	unpack_tool "$TOP/thirdparty/pip" &&
	unpack_tool "$TOP/tests/deps/setuptools" &&
	unpack_tool "$TOP/tests/deps/flit" &&
	mkdir -p index/files &&
	cp "$(source_of "$TOP/tests/deps/jinja2")" index/files/jinja2-3.1.6.tar.gz &&
	cp "$(source_of "$TOP/tests/deps/click")" index/files/click-8.1.8.tar.gz &&
	cp "$(source_of "$TOP/tests/deps/markupsafe")" index/files/markupsafe-3.0.3.tar.gz &&
	wheel_of "$TOP/tests/deps/jinja2" && wheel_of "$TOP/tests/deps/click" &&
	binary_wheel markupsafe 3.0.3 && binary_wheel fastthing 1.0 &&
	unpinned_backend_sdist &&
	make_index && ls index/files >files && cat files &&
	test_grep -x "jinja2-3.1.6-py3-none-any.whl" files &&
	test_grep -x "click-8.1.8-py3-none-any.whl" files
'
start_httpd "$TRASH/index"

test_expect_success 'python unit tests: the lock emitter and reader, classification' '
	STICK_TEST_PIP_SRC="$TRASH/tools/pip-25.1.1/src" PYTHONPATH="$TOP/stick" \
	"$PYTHON" -s -m unittest discover -s "$TOP/tests/python" \
		-p "test_deps*.py" >out 2>&1 || { cat out; false; } &&
	test_grep -x OK out
'

test_expect_success 'jinja2 + click: pure wheels, markupsafe from its sdist, every sha256 locked' '
	project app "jinja2" "click>=8" "pywin32; sys_platform == \"win32\"" &&
	deps --project app --index-url "$HTTPD_URL/simple" --work work \
		--site site >out 2>err &&
	cat err out &&
	test_grep "^wheel jinja2 3.1.6 $(sha256_of index/files/jinja2-3.1.6-py3-none-any.whl) " out &&
	test_grep "^wheel click 8.1.8 $(sha256_of index/files/click-8.1.8-py3-none-any.whl) " out &&
	test_grep "^sdist markupsafe 3.0.3 $(sha256_of index/files/markupsafe-3.0.3.tar.gz) markupsafe-3.0.3.tar.gz" out &&
	test_grep "resolving markupsafe again from source" err &&
	test $(wc -l <out) = 3 &&
	test -f site/jinja2/__init__.py && test -f site/click/core.py &&
	test_grep -x stick site/jinja2-3.1.6.dist-info/INSTALLER &&
	! test -e site/markupsafe &&
	lock_query app/pylock.toml "doc[\"lock-version\"], doc[\"created-by\"], [p[\"name\"] for p in doc[\"packages\"]]" >q &&
	test_grep -x "(.1.0., .stick., \[.click., .jinja2., .markupsafe.\])" q &&
	lock_query app/pylock.toml "doc[\"packages\"][2][\"sdist\"][\"url\"]" >q &&
	test_grep -x "$HTTPD_URL/files/markupsafe-3.0.3.tar.gz" q &&
	for f in jinja2-3.1.6-py3-none-any.whl click-8.1.8-py3-none-any.whl markupsafe-3.0.3.tar.gz; do
		test_grep "sha256 = \"$(sha256_of index/files/$f)\"" app/pylock.toml || return 1
	done &&
	test -f "home/dists/$(sha256_of index/files/jinja2-3.1.6-py3-none-any.whl)/jinja2-3.1.6-py3-none-any.whl"
'

test_expect_success 'a requirement for another platform is skipped as pip would' '
	! test_grep pywin32 out &&
	test_grep "pywin32; sys_platform" app/pylock.toml
'

stop_httpd
test_expect_success 'index stopped: the lock and the warm cache are used, no network' '
	rm -rf work site && cp app/pylock.toml lock.before &&
	deps --project app --index-url "$HTTPD_URL/simple" --work work \
		--site site >out2 2>err &&
	test_cmp out out2 && test_cmp lock.before app/pylock.toml &&
	! test_grep "resolved\|downloaded" err &&
	test -f site/jinja2/__init__.py
'

start_httpd "$TRASH/index"
test_expect_success 'the lock says what is installed: an edited requirement is resolved again' '
	project app2 "jinja2" &&
	deps --project app2 --index-url "$HTTPD_URL/simple" --work work2 --site site2 >out &&
	project app2 "click" &&
	deps --project app2 --index-url "$HTTPD_URL/simple" --work work2 --site site3 >out 2>err &&
	test_grep "requirements changed; resolving again" err &&
	test "$(cut -d" " -f2 out)" = click &&
	deps --project app2 --index-url "$HTTPD_URL/simple" --work work2 --site site4 --upgrade 2>err &&
	test_grep "^resolved 1 requirement" err
'

test_expect_success 'a changed artifact behind the same URL: refused with both digests, nothing kept' '
	project app3 "jinja2" &&
	deps --project app3 --index-url "$HTTPD_URL/simple" --work work3 --site site5 >out &&
	good=$(sha256_of index/files/jinja2-3.1.6-py3-none-any.whl) &&
	cp index/files/jinja2-3.1.6-py3-none-any.whl good.whl &&
	python3 -c "import sys, zipfile
with zipfile.ZipFile(sys.argv[1], \"a\") as z:
    z.writestr(\"jinja2/evil.py\", \"print(1)\\n\")" index/files/jinja2-3.1.6-py3-none-any.whl &&
	bad=$(sha256_of index/files/jinja2-3.1.6-py3-none-any.whl) &&
	cp app3/pylock.toml lock.before &&
	test_must_fail deps --project app3 --index-url "$HTTPD_URL/simple" \
		--work work4 --site site6 --home "$TRASH/cold" 2>err &&
	cat err &&
	test_grep "jinja2-3.1.6-py3-none-any.whl.* has sha256 $bad, but .*app3/pylock.toml. expects $good" err &&
	! test -e site6 && ! test -e "cold/dists/$bad" &&
	test -z "$(find cold -name "*.part")" &&
	test_cmp lock.before app3/pylock.toml &&
	mv good.whl index/files/jinja2-3.1.6-py3-none-any.whl
'

test_expect_success 'an unsatisfiable version: pip'"'"'s message under a line naming the project file' '
	project app4 "click>=99" &&
	test_must_fail deps --project app4 --index-url "$HTTPD_URL/simple" --work work5 \
		--site site7 2>err &&
	cat err &&
	test_grep "^stick: error: cannot resolve the requirements of .$TRASH/app4/pyproject.toml. with pip 25.1.1" err &&
	test_grep "^  ERROR: No matching distribution found for click>=99" err &&
	! test -e app4/pylock.toml
'

test_expect_success 'an unreachable index is named, with --find-links/--no-index suggested' '
	port=$(closed_port) &&
	test_must_fail deps --project app4 --index-url "http://127.0.0.1:$port/simple" \
		--work work5 --site site7 2>err &&
	cat err &&
	test_grep "cannot reach the package index http://127.0.0.1:$port/simple" err &&
	test_grep -- "--find-links DIR --no-index" err
'

test_expect_success 'a requirement only available as a binary wheel is refused, naming it' '
	project app5 "fastthing" &&
	test_must_fail deps --project app5 --index-url "$HTTPD_URL/simple" --work work6 \
		--site site8 2>err &&
	cat err &&
	test_grep "resolving fastthing again from source" err &&
	test_grep "error: .fastthing. is available only as a binary wheel for this target" err &&
	! test -e app5/pylock.toml && ! test -e site8
'

test_expect_success 'an sdist whose build backend is not pinned is named, with its backend' '
	project app8 "hpkg" &&
	test_must_fail deps --project app8 --index-url "$HTTPD_URL/simple" --work work9 \
		--site site11 2>err &&
	cat err &&
	test_grep "error: the sdist .hpkg-1.0.tar.gz., needed by the requirements of .$TRASH/app8/pyproject.toml., declares the build backend .hatchling.build." err &&
	! test -e app8/pylock.toml
'

test_expect_success '--extra and --with add requirements; an unknown extra is named' '
	mkdir -p app6 && cat >app6/pyproject.toml <<-\EOF &&
	[project]
	name = "app6"
	version = "1.0"
	[project.optional-dependencies]
	cli = ["click"]
	EOF
	deps --project app6 --extra cli --with "jinja2<4" --index-url "$HTTPD_URL/simple" \
		--work work7 --site site9 >out &&
	test "$(cut -d" " -f2 out | tr "\n" " ")" = "click jinja2 markupsafe " &&
	test_must_fail deps --project app6 --extra web --index-url "$HTTPD_URL/simple" \
		--work work7 --site site9 2>err &&
	test_grep "no extra .web. in \[project.optional-dependencies\] (declared: cli)" err
'

stop_httpd
test_expect_success '--find-links DIR --no-index: resolved with no index server' '
	rm index/files/*-linux_x86_64.whl &&
	project app7 "click" &&
	deps --project app7 --find-links "$TRASH/index/files" --no-index --work work8 \
		--site site10 >out 2>err &&
	cat err &&
	test_grep "^wheel click 8.1.8 " out &&
	lock_query app7/pylock.toml "doc[\"packages\"][0][\"wheels\"][0][\"path\"]" >q &&
	test_grep -x "$TRASH/index/files/click-8.1.8-py3-none-any.whl" q
'

test_expect_success 'a lock written by another tool is installed as it is, never rewritten' '
	sed -e "s/^created-by = \"stick\"/created-by = \"pip\"/" -e "/^\[tool/,\$d" \
		app7/pylock.toml >app7/foreign && mv app7/foreign app7/pylock.toml &&
	project app7 "click>=8" "pywin32; sys_platform == \"win32\"" &&
	cp app7/pylock.toml lock.before &&
	deps --project app7 --no-index --work work10 --site site12 >out 2>err &&
	test_grep "^wheel click 8.1.8 " out && test $(wc -l <out) = 1 &&
	test_cmp lock.before app7/pylock.toml && ! test_grep "resolv" err &&
	project app7 "click" "jinja2" &&
	test_must_fail deps --project app7 --no-index --work work10 --site site13 2>err &&
	test_grep "error: .$TRASH/app7/pylock.toml. has no package .jinja2., which $TRASH/app7/pyproject.toml requires" err &&
	test_cmp lock.before app7/pylock.toml
'

test_done
