#!/usr/bin/env bash
# PEP 420 namespace packages (directories without __init__.py) in an
# application, against python3: the toolchain's python3.X runs each
# script with the application's path directories on PYTHONPATH, the
# stick binary runs it from memory in an empty root under env -i, and
# their output and exit status must be equal. The binary's portions of a
# namespace are one directory inside it where python3 has one per path
# directory, so the scripts print paths relative to their sys.path entry
# (short()) and sets of them.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
TC=$($STICK -q toolchain --python $PY --sources "$SOURCES") || exit 1
PYTHON=$TC/bin/python$PY
# Files in the empty root (a path directory on disk, for --allow-env).
ROOT_FILES=rootfiles

# same NAME [VAR=VALUE]: python3 runs case_NAME.py with the sites a and b (and
# VALUE's directory under rootfiles/, for VAR=VALUE) on PYTHONPATH, from
# rootfiles/; the binary NAME runs in an empty root (with VAR=VALUE).
same() {
	name=$1 var=${2:-} pypath=$TRASH/a:$TRASH/b:$TRASH/plugin
	[ -z "$var" ] || pypath=$TRASH/rootfiles${var#*=}:$pypath
	(cd rootfiles && env -i PYTHONPATH="$pypath" "$PYTHON" -s -B \
		"$TRASH/case_$name.py" >"../$name.py.out" 2>&1
	 echo "exit $?" >>"../$name.py.out")
	rm -rf root && mkdir root && cp "$name" root/app && cp -r rootfiles/. root/ &&
	env -i $var "$CHROOT" "$TRASH/root" /app >"$name.bin.out" 2>&1
	echo "exit $?" >>"$name.bin.out"
	test_cmp "$name.py.out" "$name.bin.out"
}

# app NAME [OPTION...] <<EOF: case_NAME.py (after the prelude; named so
# that python3 does not find the script as a module of the tests), built
# with the sites a and b as --path into NAME.
app() {
	name=$1
	shift
	{ cat prelude.py && cat; } >"case_$name.py" &&
	build --script "case_$name.py" --path a --path b "$@" -o "$name"
}

cat >prelude.py <<'EOF'
import os, re, sys


def short(path):
    """path relative to the sys.path entry (or the executable) it is in."""
    for root in sorted(sys.path + [sys.executable], key=len, reverse=True):
        if root and path.startswith(root + "/"):
            return path[len(root) + 1:]
    return path


def shorts(paths):
    return sorted({short(p) for p in paths})


EOF

# Two sites: the namespace nsp in both (nested namespace nsp.inner, data
# in a plain directory of a regular package, files in the namespace);
# google.protobuf and google.api, two distributions in one namespace; a
# regular package with a plain directory of modules; names hidden by a
# module of the same name.
mkdir -p a/nsp/sub/data a/nsp/inner a/google/api a/pkg/plugins a/shadow \
	a/both b/nsp/other b/google/protobuf b/both rootfiles/disk/nsp \
	rootfiles/late/nsp a/googleapis_common_protos-1.0.dist-info \
	b/protobuf-0.0.dist-info
printf 'print("nsp.sub imported")\nVALUE = "sub"\n' >a/nsp/sub/__init__.py
echo "data in a plain directory" >a/nsp/sub/data/d.txt
echo 'VALUE = "inner"' >a/nsp/inner/m.py
echo "top of the namespace" >a/nsp/top.txt
echo "from . import helper" >b/nsp/other/__init__.py
echo 'VALUE = "other"' >b/nsp/other/helper.py
echo "second portion" >b/nsp/second.txt
echo 'NAME = "annotations"' >a/google/api/annotations.py
echo '__version__ = "0.0"' >b/google/protobuf/__init__.py
echo 'class Message: pass' >b/google/protobuf/message.py
printf 'Metadata-Version: 2.1\nName: googleapis-common-protos\nVersion: 1.0\n' \
	>a/googleapis_common_protos-1.0.dist-info/METADATA
printf 'Metadata-Version: 2.1\nName: protobuf\nVersion: 0.0\n' \
	>b/protobuf-0.0.dist-info/METADATA
: >a/pkg/__init__.py
echo 'NAME = "alpha"' >a/pkg/plugins/alpha.py
echo "plugins readme" >a/pkg/plugins/readme.txt
echo 'x = 1' >a/shadow/x.py
echo 'WHO = "module"' >b/shadow.py
echo 'hidden = 1' >a/both/hidden.py
echo 'WHO = "regular"' >b/both/__init__.py
echo 'VALUE = "on disk"' >rootfiles/disk/nsp/ondisk.py
echo "disk file" >rootfiles/disk/nsp/disk.txt
echo 'VALUE = "late"' >rootfiles/late/nsp/late.py
mkdir -p plugin

test_expect_success 'portions of one namespace from two --path directories import as in python3' '
	app portions <<-\PYEOF &&
	import importlib.machinery
	import nsp.sub, nsp.other, nsp.inner.m
	print(nsp.sub.VALUE, nsp.other.helper.VALUE, nsp.inner.m.VALUE)
	print(nsp.__file__, nsp.__spec__.origin, nsp.__spec__.has_location)
	print(type(nsp.__path__).__name__, type(nsp.inner.__path__).__name__)
	print(shorts(nsp.__path__), shorts(nsp.inner.__path__))
	print(short(nsp.sub.__file__), short(nsp.other.helper.__file__))
	print(list(vars(nsp)))
	print(isinstance(nsp.__loader__, importlib.machinery.NamespaceLoader),
	      nsp.__loader__.is_package("nsp"))
	print(re.sub(r" at 0x[0-9a-f]+|\[.*\]", "", repr(nsp)))
	try:
	    import nsp.missing
	except ImportError as e:
	    print(type(e).__name__, e)
	PYEOF
	same portions &&
	test_grep -x "sub other inner" portions.bin.out
'

test_expect_success 'two distributions in one namespace: google.protobuf beside google.api' '
	app google <<-\PYEOF &&
	import google.protobuf, google.protobuf.message, google.api.annotations
	from importlib.metadata import version
	print(google.protobuf.__version__, google.api.annotations.NAME,
	      google.protobuf.message.Message.__module__)
	print(version("protobuf"), version("googleapis-common-protos"))
	print(shorts(google.__path__), google.__spec__.submodule_search_locations is google.__path__)
	PYEOF
	same google &&
	test_grep -x "0.0 1.0" google.bin.out
'

test_expect_success 'pkgutil.iter_modules and walk_packages over a namespace'"'"'s __path__' '
	app iter <<-\PYEOF &&
	import pkgutil
	import nsp, pkg.plugins, pkg.plugins.alpha
	print(pkg.plugins.alpha.NAME, type(pkg.plugins.__path__).__name__)
	print(sorted((m.name, m.ispkg) for m in pkgutil.iter_modules(nsp.__path__, "nsp.")))
	print(sorted(m.name for m in pkgutil.iter_modules(pkg.plugins.__path__)))
	print(sorted(m.name for m in pkgutil.iter_modules()
	             if m.name in ("nsp", "google", "pkg", "shadow")))
	print(sorted(m.name for m in pkgutil.walk_packages(nsp.__path__, "nsp.")))
	PYEOF
	same iter &&
	test_grep -x "\[(.nsp.other., True), (.nsp.sub., True)\]" iter.bin.out
'

test_expect_success 'importlib.resources.files() reads every portion of a namespace' '
	app resources <<-\PYEOF &&
	from importlib.resources import as_file, files
	f = files("nsp")
	print(type(f).__name__, f.is_dir(), f.is_file(), f.name)
	print(sorted(c.name for c in f.iterdir()))
	print(f.joinpath("top.txt").read_text(), end="")
	print((f / "second.txt").read_text(), end="")
	print(files("nsp.sub").joinpath("data", "d.txt").read_text(), end="")
	print(files("nsp.sub.data").joinpath("d.txt").read_text(), end="")
	print(files("pkg.plugins").joinpath("readme.txt").read_text(), end="")
	print(sorted(c.name for c in files("nsp.inner").iterdir()))
	print(f.joinpath("missing.txt").is_file(), (f / "sub").is_dir())
	with as_file(f / "top.txt") as path:
	    print(open(path).read(), end="")
	PYEOF
	same resources &&
	test_grep -x "second portion" resources.bin.out &&
	# With a cache directory set, nothing is written there.
	env -i XDG_CACHE_HOME="$TRASH/xdg" HOME="$TRASH/xdg" ./resources >disk.out 2>&1 &&
	echo "exit $?" >>disk.out &&
	test_cmp resources.bin.out disk.out &&
	! test -e xdg
'

test_expect_success '--allow-env: a portion on disk from PYTHONPATH joins the namespace' '
	app env --allow-env <<-\PYEOF &&
	import nsp.ondisk, nsp.sub
	from importlib.resources import files
	print(nsp.ondisk.VALUE, short(nsp.ondisk.__file__))
	print(nsp.__path__[0] == os.environ["PYTHONPATH"].split(":")[0] + "/nsp")
	print(sorted(c.name for c in files("nsp").iterdir() if c.name != "__pycache__"))
	PYEOF
	same env PYTHONPATH=/disk &&
	test_grep -x "on disk nsp/ondisk.py" env.bin.out
'

test_expect_success '__path__ follows sys.path: a directory added at run time adds its portion' '
	app late <<-\PYEOF &&
	import nsp
	sys.path.append("late")
	import nsp.late
	print(nsp.late.VALUE, [os.path.relpath(p) for p in nsp.__path__
	                       if p.endswith("late/nsp")])
	PYEOF
	same late &&
	test_grep -x "late \[.late/nsp.\]" late.bin.out
'

test_expect_success 'a module or regular package of the same name hides namespace portions' '
	app shadow <<-\PYEOF &&
	import both, shadow
	print(shadow.WHO, hasattr(shadow, "__path__"), both.WHO, shorts(both.__path__))
	for name in ("shadow.x", "both.hidden"):
	    try:
	        __import__(name)
	    except ImportError as e:
	        print(type(e).__name__, e)
	PYEOF
	same shadow &&
	test_grep -x "ModuleNotFoundError No module named .both.hidden." shadow.bin.out
'

test_expect_success '--prune keeps what namespace imports need, by distribution' '
	build --prune --script case_google.py --path a --path b -o google &&
	same google &&
	build --prune --script case_portions.py --path a --path b -o portions &&
	same portions
'

test_expect_success '--prune: the left-out message names a namespace portion' '
	cat >leftout.py <<-\PYEOF &&
	import importlib
	import google.protobuf
	for name in ("google.api.annotations", "nsp.other", "nsp"):
	    try:
	        importlib.import_module(name)
	    except ImportError as e:
	        print(e)
	PYEOF
	build --prune --script leftout.py --path a --path b -o leftout &&
	in_root leftout >out 2>&1 &&
	cat >expect <<-\EOF &&
	No module named '"'"'google.api'"'"' (left out by --prune: rebuild with --include google.api)
	No module named '"'"'nsp'"'"' (left out by --prune: rebuild with --include nsp)
	No module named '"'"'nsp'"'"' (left out by --prune: rebuild with --include nsp)
	EOF
	test_cmp expect out &&
	build --prune --include nsp --include google.api --script leftout.py \
		--path a --path b -o leftout &&
	in_root leftout >out 2>&1 &&
	test_must_fail test -s out
'

# ruamel.yaml: its modules go to ruamel/yaml/ with no ruamel/__init__.py
# (setup.py maps the sdist's top directory there), as pip installs it.
test_expect_success 'ruamel.yaml, a namespace package from Debian'"'"'s archive, runs as in python3' '
	file=$(awk "\$1 == \"source\" { print \$2 }" "$TOP/tests/projects/ruamel.yaml") &&
	test -f "$SOURCES/$file" || {
		echo "# $SOURCES/$file is missing: run scripts/fetch-sources" \
			"$SOURCES tests/projects/ruamel.yaml"
		false
	} &&
	tar -xf "$SOURCES/$file" &&
	mkdir -p rysite/ruamel/yaml plugin/ruamel/stickext &&
	(cd ruamel.yaml-*/ && cp *.py py.typed "$TRASH/rysite/ruamel/yaml/") &&
	rm rysite/ruamel/yaml/setup.py &&
	test_must_fail test -e rysite/ruamel/__init__.py &&
	cat >plugin/ruamel/stickext/__init__.py <<-\PYEOF &&
	from ruamel.yaml import YAML
	def loader():
	    return YAML(typ="safe", pure=True)
	PYEOF
	cat >case_ry.py <<-\PYEOF &&
	import sys
	import ruamel
	from ruamel.yaml import YAML
	import ruamel.yaml, ruamel.stickext
	doc = """\
	# a comment kept on round trip
	name: stick   # inline
	list:
	- 1
	- two: 2
	  three: [3, 4]
	anchors:
	  base: &b {x: 1}
	  derived:
	    <<: *b
	    y: 2
	"""
	yaml = YAML()
	data = yaml.load(doc)
	data["list"].append("added")
	data["name"] = "stick-app"
	yaml.dump(data, sys.stdout)
	print(ruamel.yaml.__version__, type(data).__name__, ruamel.__file__)
	print(ruamel.stickext.loader().load("a: [1, 2.5, true, null, 2001-12-14]"))
	yaml.load("a: [unclosed")
	PYEOF
	(cd rootfiles && env -i PYTHONPATH="$TRASH/rysite:$TRASH/plugin" "$PYTHON" -s -B \
		"$TRASH/case_ry.py" >../ry.py.out 2>&1; echo "exit $?" >>../ry.py.out) &&
	sed -i "s|$TRASH/rysite/|/app/|; s|File \"$TRASH/case_ry.py\"|File \"/app/case_ry.py\"|" ry.py.out &&
	for prune in "" --prune; do
		build $prune --script case_ry.py --path rysite --path plugin -o ry &&
		in_root ry >ry.bin.out 2>&1; echo "exit $?" >>ry.bin.out &&
		test_cmp ry.py.out ry.bin.out || return 1
	done &&
	test_grep -x "0.18.10 CommentedMap None" ry.bin.out &&
	test_grep "^ruamel.yaml.parser.ParserError: while parsing a flow sequence" ry.bin.out
'

test_done
