#!/usr/bin/env bash
# A new user's first builds (issue 21 item 8): right after scripts/setup,
# in a STICK_HOME that holds nothing else, `stick build --sdist` and a
# project with dependencies work with no --sources: set-up leaves every
# pinned build tool and C library verified in the source cache. Set-up's
# downloads and its toolchain build are the user's cache's (linked, so
# the test needs no network and no minutes); everything else is fresh.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
SHARED_HOME=$STICK_HOME
export STICK_HOME=$TRASH/home
mkdir -p "$STICK_HOME/debian-sources"
# What set-up's apt step downloads, already downloaded.
for f in "$SHARED_HOME"/debian-sources/*; do
	[ -f "$f" ] && ln -s "$f" "$STICK_HOME/debian-sources/"
done
# What its toolchain step builds, and the frozen stdlib, already built.
for d in toolchains stdlib; do
	mkdir -p "$SHARED_HOME/$d" && ln -s "$SHARED_HOME/$d" "$STICK_HOME/$d"
done
no_host_pip
MARKUPSAFE=$STICK_HOME/debian-sources/markupsafe_3.0.3.orig.tar.gz

if ! "$STICK" -q toolchain --python "$PY" >/dev/null 2>&1 || [ ! -f "$MARKUPSAFE" ]; then
	test_skip 'first builds after set-up' 'no cached toolchain or pinned sources'
	test_done
fi

# The source cache file of a recipe's first source.
cached_source() {
	echo "$STICK_HOME/sources/$(awk '$1 == "source" { print $2; exit }' "$1")"
}

test_expect_success 'scripts/setup --sources: every build tool and C library verified in the source cache' '
	"$TOP/scripts/setup" --sources 2>err && cat err &&
	test_grep "verifying the build tools and C libraries of extension builds" err &&
	for r in cython flit libyaml pip setuptools; do
		test -f "$(cached_source "$TOP/thirdparty/$r")" || return 1
	done
'

cat >ms.py <<'PY'
import markupsafe
import markupsafe._speedups as sp
print(markupsafe._escape_inner is sp._escape_inner, markupsafe.escape("<a>"))
PY

test_expect_success 'the first --sdist build needs no --sources' '
	"$STICK" -q build --python "$PY" --script ms.py --sdist "$MARKUPSAFE" -o app &&
	in_root app >out && cat out &&
	test_grep -x "True &lt;a&gt;" out
'

test_expect_success 'the first project with dependencies (flit_core backend) needs no --sources' '
	mkdir -p links bin proj/src/proj &&
	cp "$MARKUPSAFE" links/markupsafe-3.0.3.tar.gz &&
	cat >proj/pyproject.toml <<-\TOML &&
	[build-system]
	requires = ["flit_core>=3.2,<4"]
	build-backend = "flit_core.buildapi"
	[project]
	name = "proj"
	version = "1.0"
	description = "escapes"
	dependencies = ["markupsafe>=3"]
	[project.scripts]
	proj = "proj:main"
	TOML
	cat >proj/src/proj/__init__.py <<-\PY &&
	import markupsafe


	def main():
	    print(markupsafe.escape("<b>"))
	PY
	"$STICK" -q build --python "$PY" --no-index --find-links "$TRASH/links" \
		proj -o bin >stdout &&
	in_root bin/proj >out.txt && cat out.txt &&
	test_grep -x "&lt;b&gt;" out.txt
'

test_done
