#!/usr/bin/env bash
# Real projects from Debian's source archive (upstream orig tarballs that
# scripts/fetch-sources put in $STICK_HOME/debian-sources; pinned in
# tests/projects/), built into executables and run in an empty root, their
# output compared with the host's python3 running the same sources; and
# `stick build PROJECT_DIR` from a pyproject.toml.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# in_root runs an app with the test's input files (input/) beside it.
ROOT_FILES=input

# The same program run by the host's python3 from the sources, in input/.
on_host() { (cd input && env -i PATH="$PATH" python3 -I "$@"); }

# unpack RECIPE: the project's orig tarball, extracted here.
unpack() {
	local file
	file=$(awk '$1 == "source" { print $2 }' "$TOP/tests/projects/$1") &&
	test -f "$SOURCES/$file" || {
		echo "# $SOURCES/$file is missing: run scripts/setup (or" \
			"scripts/fetch-sources $SOURCES tests/projects/$1)"
		return 1
	}
	tar -xf "$SOURCES/$file"
}

mkdir -p input
cat >input/sample.py <<'EOF'
import os
import sys

def greet(name):
    """Say hello."""
    return f"hello {name}" + undefined_name
EOF

test_expect_success 'pyflakes: --entry pyflakes.api:main, same output and status as python3' '
	unpack pyflakes &&
	build --entry pyflakes.api:main --path "$TRASH/pyflakes-3.2.0" -o pyflakes &&
	test_expect_code 1 in_root pyflakes sample.py >out 2>&1 &&
	cat out &&
	test_grep -x "sample.py:1:1: .os. imported but unused" out &&
	test_expect_code 1 on_host -c "import sys; sys.path.insert(0, \"$TRASH/pyflakes-3.2.0\")
from pyflakes.api import main; main(prog=\"app\")" sample.py >expect 2>&1 &&
	test_cmp expect out &&
	in_root pyflakes --version >out && test_grep "^3.2.0 Python $PY" out
'

test_expect_success 'pyflakes with --prune: the same result from a smaller binary' '
	build --prune --entry pyflakes.api:main --path "$TRASH/pyflakes-3.2.0" -o pyflakes-pruned &&
	test_expect_code 1 in_root pyflakes-pruned sample.py >out 2>&1 &&
	test_cmp expect out &&
	test $(stat -c %s pyflakes-pruned) -lt $(($(stat -c %s pyflakes) / 2))
'

test_expect_success 'pygments: stick build PROJECT_DIR makes pygmentize from [project.scripts]' '
	unpack pygments &&
	build "$TRASH/pygments-2.18.0" -o dist >out &&
	test "$(cat out)" = dist/pygmentize &&
	in_ro_root dist/pygmentize -l python -f html sample.py >out &&
	test_grep "<span class=\"k\">def</span>" out &&
	on_host -c "import sys; sys.path.insert(0, \"$TRASH/pygments-2.18.0\")
from pygments.cmdline import main; sys.exit(main([\"app\", \"-l\", \"python\", \"-f\", \"html\", \"sample.py\"]))" >expect &&
	test_cmp expect out &&
	in_root dist/pygmentize -V >out &&
	test_grep "^Pygments version 2.18.0, (c) 2006-2024 by Georg Brandl, Matthäus" out &&
	# Every style, found by name and imported, in a read-only root.
	in_ro_root dist/pygmentize -L styles >out &&
	test_grep "^\* monokai:" out &&
	on_host -c "import sys; sys.path.insert(0, \"$TRASH/pygments-2.18.0\")
from pygments.cmdline import main; sys.exit(main([\"app\", \"-L\", \"styles\"]))" >styles &&
	test_cmp styles out
'

# A pygments plugin, found only through importlib.metadata entry points.
mkdir -p plugins/stickdemo_lexer-1.0.dist-info
cat >plugins/stickdemo_lexer.py <<'EOF'
from pygments.lexer import RegexLexer
from pygments.token import Keyword, Text


class StickDemoLexer(RegexLexer):
    name = "StickDemo"
    aliases = ["stickdemo"]
    tokens = {"root": [(r"stick\b", Keyword), (r"\s+|\w+", Text)]}
EOF
printf 'Metadata-Version: 2.1\nName: stickdemo-lexer\nVersion: 1.0\n' \
	>plugins/stickdemo_lexer-1.0.dist-info/METADATA
printf '[pygments.lexers]\nstickdemo = stickdemo_lexer:StickDemoLexer\n' \
	>plugins/stickdemo_lexer-1.0.dist-info/entry_points.txt
echo "stick builds" >input/demo.txt

test_expect_success 'pygments finds a plugin lexer through entry points (with --prune too)' '
	build "$TRASH/pygments-2.18.0" --path "$TRASH/plugins" -o dist &&
	in_root dist/pygmentize -l stickdemo -f html demo.txt >out &&
	test_grep "<span class=\"k\">stick</span>" out &&
	build --prune "$TRASH/pygments-2.18.0" --path "$TRASH/plugins" -o pruned &&
	in_root pruned/pygmentize -l stickdemo -f html demo.txt >out2 &&
	test_cmp out out2 &&
	in_root pruned/pygmentize -l python -f html sample.py >out &&
	test_cmp expect out
'

test_expect_success 'markupsafe: its pure-Python fallback from --path src' '
	unpack markupsafe &&
	cat >input/ms.py <<-\EOF &&
	import markupsafe
	from markupsafe import Markup, escape
	print(escape("<a href=\"x\">&</a>"))
	print(Markup("<b>%s</b>") % "<i>")
	print(markupsafe.__version__, escape.__module__)
	EOF
	build --script input/ms.py --path "$TRASH/MarkupSafe-2.1.5/src" -o ms &&
	in_root ms >out &&
	cat out &&
	test_grep -x "2.1.5 markupsafe._native" out &&
	on_host -c "import sys; sys.path.insert(0, \"$TRASH/MarkupSafe-2.1.5/src\")
sys.modules[\"markupsafe._speedups\"] = None
exec(open(\"ms.py\").read())" >expect &&
	test_cmp expect out
'

# A purpose-built project: src layout, dynamic version, two scripts,
# [tool.stick] settings.
mkdir -p proj/src/tool/data
cat >proj/pyproject.toml <<'EOF'
[project]
name = "stick-tool"
dynamic = ["version"]
description = "a tool to test stick"
dependencies = []

[project.scripts]
tool-hello = "tool.cli:hello"
tool-fail = "tool.cli:fail"

[project.entry-points."tool.plugins"]
upper = "tool.cli:upper"

[tool.stick]
include = ["json"]
prune = true
EOF
cat >proj/src/tool/__init__.py <<'EOF'
__version__ = "4.2"
EOF
echo "data inside" >proj/src/tool/data/info.txt
cat >proj/src/tool/cli.py <<'EOF'
import importlib, sys
from importlib import metadata, resources


def upper(s):
    return s.upper()


def hello():
    print("version", metadata.version("stick-tool"))
    print("summary", metadata.metadata("stick-tool")["Summary"])
    eps = metadata.entry_points(group="tool.plugins")
    print("plugin", eps["upper"].load()("ok"))
    print("scripts", sorted(e.name for e in metadata.entry_points(group="console_scripts")))
    print("data", resources.files("tool").joinpath("data/info.txt").read_text().strip())
    print("json", importlib.import_module("json").dumps(sys.argv[1:]))
    return 0


def fail():
    return "tool-fail: failed"
EOF
mkdir -p proj/tests && echo "raise SystemExit(3)" >proj/tests/test_x.py

test_expect_success 'a src-layout project: one executable per script, metadata from pyproject' '
	build "$TRASH/proj" -o bin >list &&
	test_cmp - list <<-\EOF &&
	bin/tool-hello
	bin/tool-fail
	EOF
	in_root bin/tool-hello a b >out &&
	cat out &&
	test_grep -x "version 4.2" out &&
	test_grep -x "summary a tool to test stick" out &&
	test_grep -x "plugin OK" out &&
	test_grep -x "scripts \[.tool-fail., .tool-hello.\]" out &&
	test_grep -x "data data inside" out &&
	test_grep -x "json \[\"a\", \"b\"\]" out &&
	test_expect_code 1 in_root bin/tool-fail 2>err &&
	test_grep -x "tool-fail: failed" err
'

test_expect_success 'project errors: no pyproject.toml, no scripts, bad TOML, bad version' '
	test_expect_code 1 build "$TRASH/MarkupSafe-2.1.5" -o x 2>err &&
	test_grep "pyproject.toml: no such file" err &&
	mkdir -p p2/pkg && : >p2/pkg/__init__.py &&
	printf "[project]\nname = \"p2\"\nversion = \"1\"\n" >p2/pyproject.toml &&
	test_expect_code 1 build "$TRASH/p2" -o x 2>err &&
	test_grep "\[project.scripts\] is empty or missing" err &&
	printf "[project\nname = 1\n" >p2/pyproject.toml &&
	test_expect_code 1 build "$TRASH/p2" -o x 2>err &&
	test_grep "p2/pyproject.toml: " err &&
	printf "[project]\nname = \"p2\"\nversion = \"1\"\n[project.scripts]\np2 = \"pkg:main\"\n[tool.stick]\npython = \"2.7\"\n" >p2/pyproject.toml &&
	test_expect_code 1 $STICK -q build --sources "$SOURCES" "$TRASH/p2" -o x 2>err &&
	test_grep "unknown Python version .2.7." err &&
	printf "[project]\nname = \"p2\"\nversion = \"1\"\n[project.scripts]\np2 = \"pkg:main\"\n" >p2/pyproject.toml &&
	test_expect_code 1 build "$TRASH/p2" -o x 2>err &&
	test_grep "defines no .main." err &&
	! test -e x
'

test_expect_success 'project usage errors exit 2' '
	: >afile &&
	test_expect_code 2 build "$TRASH/proj" -o afile 2>err &&
	test_grep "must be a directory" err &&
	test_expect_code 2 build "$TRASH/proj" --script input/ms.py 2>err &&
	test_expect_code 2 build "$TRASH/proj" "$TRASH/p2" 2>err &&
	test_expect_code 2 build "$TRASH/nothere" 2>err &&
	test_grep "is not a directory" err
'

test_done
