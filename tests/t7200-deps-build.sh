#!/usr/bin/env bash
# `stick build PROJECT_DIR` installs the project's requirements itself
# (issue 12): resolved by the pinned pip from a PEP 503 index served on
# 127.0.0.1 (upstream sdists from Debian's source archive, pure wheels
# built from them here), locked in pylock.toml, every artifact verified;
# markupsafe is built from its sdist with its C speedups linked in. The
# binaries run alone in an empty root.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# The dependency caches (dists/, pip/, extensions/) are this test's own, so
# the first build is a cold one: STICK_HOME is a fresh directory that
# shares only the toolchains, the frozen stdlib, the C libraries and the
# sources with the user's cache.
share_cache toolchains stdlib clibs tools debian-sources sources
no_host_pip

. "$TOP/tests/deps-lib.sh"

SQ="'"

# depapp: jinja2 (which pulls markupsafe) and click, one script; built
# by its backend, flit_core. Its template is package data that jinja2's
# PackageLoader finds with os.path.isdir and reads with open().
write_depapp() {
	mkdir -p depapp/src/depapp/templates &&
	echo "Hello {{ name }}!{% if shout %} !!{% endif %}" \
		>depapp/src/depapp/templates/hello.txt &&
	cat >depapp/pyproject.toml <<-\EOF &&
	[build-system]
	requires = ["flit_core>=3.2,<4"]
	build-backend = "flit_core.buildapi"
	[project]
	name = "depapp"
	version = "1.0"
	description = "greets"
	dependencies = ["jinja2>=3", "click>=8"]
	[project.optional-dependencies]
	yaml = ["pyyaml"]
	[project.scripts]
	depapp = "depapp.cli:main"
	EOF
	: >depapp/src/depapp/__init__.py &&
	cat >depapp/src/depapp/cli.py <<-\EOF
	import click
	import jinja2
	import markupsafe
	import markupsafe._speedups as sp


	@click.command()
	@click.argument("name")
	@click.option("--shout", is_flag=True)
	def main(name, shout):
	    env = jinja2.Environment(loader=jinja2.PackageLoader("depapp"),
	                             autoescape=True)
	    t = env.get_template("hello.txt")
	    click.echo(t.render(name=name, shout=shout))
	    click.echo(env.list_templates())
	    click.echo(markupsafe._escape_inner is sp._escape_inner)
	    click.echo(sp.__spec__.loader.__name__)
	    click.echo(f"{jinja2.__version__} {click.__version__}")
	EOF
}

if ! PYTHON=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES")/bin/python$PY ||
	! fetch_pins "$TOP/tests/projects/yamllint" "$TOP/tests/sdists/pyyaml-6.0.2" \
		"$TOP/tests/projects/markdown-it-py"; then
	test_skip 'dependency builds' 'no toolchain or pinned sources'
	test_done
fi

test_expect_success 'set up: pure wheels built from sdists, a PEP 503 index, the project' '
	unpack_tool "$TOP/thirdparty/pip" &&
	unpack_tool "$TOP/tests/deps/flit" &&
	mkdir -p index/files &&
	cp "$(source_of "$TOP/tests/deps/jinja2")" index/files/jinja2-3.1.6.tar.gz &&
	cp "$(source_of "$TOP/tests/deps/click")" index/files/click-8.1.8.tar.gz &&
	cp "$(source_of "$TOP/tests/deps/markupsafe")" index/files/markupsafe-3.0.3.tar.gz &&
	cp "$(source_of "$TOP/tests/deps/pathspec")" index/files/pathspec-0.12.1.tar.gz &&
	cp "$(source_of "$TOP/tests/deps/mdurl")" index/files/mdurl-0.1.2.tar.gz &&
	cp "$(source_of "$TOP/tests/sdists/pyyaml-6.0.2")" index/files/pyyaml-6.0.2.tar.gz &&
	wheel_of "$TOP/tests/deps/jinja2" && wheel_of "$TOP/tests/deps/click" &&
	binary_wheel fastthing 1.0 &&
	make_index && write_depapp
'
start_httpd "$TRASH/index"

test_expect_success 'a project with dependencies: one command to a binary that runs alone' '
	start=$(date +%s.%N) &&
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" depapp -o out >stdout 2>err &&
	end=$(date +%s.%N) && cat err &&
	echo "$start $end" | awk "{ printf \"cold build: %.1f s\\n\", \$2 - \$1 }" &&
	test_grep -x out/depapp stdout &&
	test_grep "resolved 2 requirement(s) to 3 distribution(s) with pip 25.1.1" err &&
	test_grep "downloaded jinja2 3.1.6 (jinja2-3.1.6-py3-none-any.whl" err &&
	test_grep "downloaded click 8.1.8 (click-8.1.8-py3-none-any.whl" err &&
	test_grep "built markupsafe 3.0.3 from its sdist (1 extension(s))" err &&
	in_ro_root out/depapp "<World>" --shout >out.txt && cat out.txt &&
	printf "%s\n" "Hello &lt;World&gt;! !!" "[${SQ}hello.txt${SQ}]" True \
		BuiltinImporter "3.1.6 8.1.8" >expect &&
	test_cmp expect out.txt
'

test_expect_success 'pylock.toml beside pyproject.toml: every artifact with its sha256' '
	lock_query depapp/pylock.toml "[p[\"name\"] for p in doc[\"packages\"]]" >q &&
	test_grep -x "\[.click., .jinja2., .markupsafe.\]" q &&
	for f in jinja2-3.1.6-py3-none-any.whl click-8.1.8-py3-none-any.whl markupsafe-3.0.3.tar.gz; do
		test_grep "sha256 = \"$(sha256_of index/files/$f)\"" depapp/pylock.toml || return 1
	done
'

test_expect_success 'stick info and the SBOM list every distribution with its artifact digest' '
	"$STICK" info out/depapp >info &&
	for f in jinja2-3.1.6-py3-none-any.whl click-8.1.8-py3-none-any.whl markupsafe-3.0.3.tar.gz; do
		test_grep "sha256 $(sha256_of index/files/$f)" info &&
		test_grep "\"checksumValue\": \"$(sha256_of index/files/$f)\"" out/depapp.sbom.json ||
		return 1
	done &&
	test_grep "markupsafe._speedups *from markupsafe (source)" info
'

stop_httpd
test_expect_success 'the same build with the index stopped: the lock and the cache, no network' '
	cp depapp/pylock.toml lock.before &&
	start=$(date +%s.%N) &&
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" depapp -o out2 >stdout 2>err &&
	end=$(date +%s.%N) && cat err &&
	echo "$start $end" | awk "{ printf \"warm build: %.1f s\\n\", \$2 - \$1 }" &&
	! test_grep "resolved\|downloaded" err &&
	test_cmp lock.before depapp/pylock.toml &&
	in_root out2/depapp x >out.txt && test_grep -x "Hello x!" out.txt
'

# The same port again: the lock names its URLs.
start_httpd "$TRASH/index" --port "$HTTPD_PORT"
test_expect_success 'a changed artifact behind the same URL: refused with both digests, nothing written' '
	good=$(sha256_of index/files/click-8.1.8-py3-none-any.whl) &&
	cp index/files/click-8.1.8-py3-none-any.whl good.whl &&
	python3 -c "import sys, zipfile
with zipfile.ZipFile(sys.argv[1], \"a\") as z:
    z.writestr(\"click/evil.py\", \"print(1)\\n\")" index/files/click-8.1.8-py3-none-any.whl &&
	bad=$(sha256_of index/files/click-8.1.8-py3-none-any.whl) &&
	rm -rf "home/dists/$good" &&
	test_must_fail "$STICK" build --python "$PY" --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" depapp -o out3 2>err &&
	cat err &&
	test_grep "click-8.1.8-py3-none-any.whl.* has sha256 $bad, but .*depapp/pylock.toml. expects $good" err &&
	! test -e out3 && ! test -e "home/dists/$bad" &&
	test_cmp lock.before depapp/pylock.toml &&
	mv good.whl index/files/click-8.1.8-py3-none-any.whl
'

cat >hello.py <<'PY'
import click
click.echo(click.style("hi", bold=False) + " " + click.__version__)
PY

test_expect_success '--with on a --script app: installed, no lock written' '
	build --index-url "$HTTPD_URL/simple" --with "click>=8" --script hello.py \
		-o hello 2>err && cat err &&
	in_root hello >out.txt && test_grep -x "hi 8.1.8" out.txt &&
	! test -e pylock.toml &&
	"$STICK" info hello >info && test_grep "^  click " info
'

test_expect_success '--extra: the optional dependencies of a project; an unknown one is named' '
	cp -r depapp depapp2 && rm depapp2/pylock.toml &&
	sed -i "s/^yaml = .*/cli = [\"click<9\"]/" depapp2/pyproject.toml &&
	build --index-url "$HTTPD_URL/simple" --extra cli depapp2 -o out4 2>err &&
	cat err &&
	test_grep "requirements.*click<9" depapp2/pylock.toml &&
	test_must_fail build --index-url "$HTTPD_URL/simple" --extra web depapp2 \
		-o out5 2>err &&
	cat err &&
	test_grep "no extra .web. in \[project.optional-dependencies\] (declared: cli)" err &&
	! test -e out5
'

test_expect_success 'an unsatisfiable version: pip'"'"'s message under a line naming pyproject.toml' '
	cp -r depapp depapp3 && rm depapp3/pylock.toml &&
	sed -i "s/\"click>=8\"/\"click>=99\"/" depapp3/pyproject.toml &&
	test_must_fail build --index-url "$HTTPD_URL/simple" depapp3 -o out6 2>err &&
	cat err &&
	test_grep "cannot resolve the requirements of .$TRASH/depapp3/pyproject.toml. with pip 25.1.1" err &&
	test_grep "No matching distribution found for click>=99" err &&
	! test -e depapp3/pylock.toml && ! test -e out6
'

test_expect_success 'an unreachable index is named, with --find-links/--no-index suggested' '
	port=$(closed_port) &&
	test_must_fail build --index-url "http://127.0.0.1:$port/simple" depapp3 \
		-o out6 2>err &&
	cat err &&
	test_grep "cannot reach the package index http://127.0.0.1:$port/simple" err &&
	test_grep -- "--find-links DIR --no-index" err && ! test -e out6
'

test_expect_success 'a requirement only available as a binary wheel is refused, naming it' '
	test_must_fail build --index-url "$HTTPD_URL/simple" --with fastthing \
		--script hello.py -o fast 2>err &&
	cat err &&
	test_grep ".fastthing. is available only as a binary wheel for this target" err &&
	! test -e fast
'

test_expect_success 'yamllint from its own tree: a dynamic version read by setuptools, pathspec (flit_core) and pyyaml (C) from sdists' '
	mkdir yamllint && tar -C yamllint --strip-components=1 \
		-xf "$(source_of "$TOP/tests/projects/yamllint")" &&
	grep -x "dynamic = \[\"version\"\]" yamllint/pyproject.toml &&
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" yamllint -o yl 2>err && cat err &&
	test_grep "built pathspec 0.12.1 from its sdist (0 extension(s))" err &&
	test_grep "built pyyaml 6.0.2 from its sdist (1 extension(s))" err &&
	test -f yamllint/pylock.toml &&
	# Its default configuration is package data it opens beside its
	# module: read inside the binary, in a read-only root without HOME.
	mkdir -p ylin && printf "a: 1\nb:  [1,2]\na: 2\n" >ylin/x.yaml &&
	ROOT_FILES=$TRASH/ylin in_ro_root yl/yamllint --version >out.txt &&
	test_grep -x "yamllint 1.37.1" out.txt &&
	ROOT_FILES=$TRASH/ylin test_expect_code 1 in_ro_root yl/yamllint \
		-f parsable /x.yaml >out.txt && cat out.txt &&
	test_grep -x "/x.yaml:2:4: \[error\] too many spaces after colon (colons)" out.txt &&
	test_grep -x "/x.yaml:3:1: \[error\] duplication of key \"a\" in mapping (key-duplicates)" out.txt &&
	"$STICK" info yl/yamllint >info &&
	test_grep "^  yamllint *1.37.1" info &&
	test_grep "yaml._yaml *from pyyaml (source)" info
'

test_expect_success 'markdown-it-py from its own tree: flit_core builds it (dynamic version), mdurl (flit_core) from its sdist' '
	mkdir mdit && tar -C mdit --strip-components=1 \
		-xf "$(source_of "$TOP/tests/projects/markdown-it-py")" &&
	grep -x "build-backend = \"flit_core.buildapi\"" mdit/pyproject.toml &&
	grep -x "dynamic = \[\"version\"\]" mdit/pyproject.toml &&
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--index-url "$HTTPD_URL/simple" mdit -o md 2>err && cat err &&
	test_grep "built mdurl 0.1.2 from its sdist (0 extension(s))" err &&
	test -f mdit/pylock.toml &&
	mkdir -p mdin && printf "# Title\n\nsome *text*, [a link](https://example.com/x)\n" >mdin/in.md &&
	ROOT_FILES=$TRASH/mdin in_root md/markdown-it /in.md >out.txt && cat out.txt &&
	test_grep -x "<h1>Title</h1>" out.txt &&
	mkdir mdurl && tar -C mdurl --strip-components=1 \
		-xf "$(source_of "$TOP/tests/deps/mdurl")" &&
	(cd mdin && "$PYTHON" -I -c "import sys
sys.path[:0] = [\"$TRASH/mdit\", \"$TRASH/mdurl/src\"]
from markdown_it.cli.parse import main
sys.exit(main([\"in.md\"]))") >expect &&
	test_cmp expect out.txt &&
	in_root md/markdown-it --version >out.txt &&
	test_grep "3.0.0" out.txt &&
	"$STICK" info md/markdown-it >info &&
	test_grep "^  markdown-it-py *3.0.0" info &&
	test_grep "^  mdurl *0.1.2" info
'

test_expect_success 'a backend stick does not pin: the tree read by stick, else the backend named' '
	mkdir -p hproj/hproj &&
	echo "def main(): print(\"hproj\")" >hproj/hproj/__init__.py &&
	printf "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"hproj\"\nversion = \"1.0\"\n[project.scripts]\nhproj = \"hproj:main\"\n" \
		>hproj/pyproject.toml &&
	build hproj -o hp && in_root hp/hproj >out.txt && test_grep -x hproj out.txt &&
	sed -i "s/^version = .*/dynamic = [\"version\"]/" hproj/pyproject.toml &&
	test_must_fail build hproj -o hp2 2>err && cat err &&
	test_grep "the version is dynamic and no static __version__ was found" err &&
	test_grep "it declares the build backend .hatchling.build. (requires \[.hatchling.\]), which stick does not pin" err &&
	! test -e hp2
'

if ! command -v strace >/dev/null; then
	test_skip 'a build without requirements starts one python process' 'no strace (scripts/setup installs it)'
else
test_expect_success 'a build without requirements starts one python process (no extensions step)' '
	echo "print(\"plain\")" >plain.py &&
	build --script plain.py -o plain 2>err &&
	strace -f -e trace=execve -o trace "$STICK" -q build --python "$PY" \
		--sources "$SOURCES" --script plain.py -o plain 2>err &&
	test "$(grep -c "execve(\"[^\"]*/bin/python$PY\"" trace)" = 1
'
fi

test_done
