#!/usr/bin/env bash
# stick build --script / --entry: application executables that import
# their code, package data and metadata from memory. Every run happens in
# an empty chroot holding only the binary, with env -i.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain

mkdir -p lib/greet/sub lib/greet-1.0.dist-info
cat >lib/greet/__init__.py <<'EOF'
import inspect, os, sys
from importlib import metadata, resources

def main():
    print("argv:", sys.argv)
    print("file:", __file__)
    print("frozen:", sys.frozen, "exe:", sys.executable)
    print("data:", resources.files("greet").joinpath("hello.txt").read_text().strip())
    print("bytes:", resources.files("greet").joinpath("sub/blob.bin").read_bytes())
    print("list:", sorted(p.name for p in resources.files("greet").iterdir()))
    print("is_file:", resources.files("greet").joinpath("hello.txt").is_file())
    print("get_data:", __loader__.get_data(os.path.join(os.path.dirname(__file__), "hello.txt")).strip())
    print("version:", metadata.version("greet"))
    print("summary:", metadata.metadata("greet")["Summary"])
    print("eps:", [e.value for e in metadata.entry_points(group="console_scripts")])
    print("source:", inspect.getsource(main).splitlines()[0])
    from greet.sub import helper
    print("sub:", helper.NAME, helper.__file__)
    import pkgutil, greet
    print("pkg modules:", [m.name for m in pkgutil.iter_modules(greet.__path__)])
    print("top modules:", [m.name for m in pkgutil.iter_modules() if m.name == "greet"])
    return int(sys.argv[1]) if len(sys.argv) > 1 else 0

def fail():
    raise SystemExit("greet: something went wrong")

def disk():
    here = os.path.dirname(__file__)
    print("file:", __file__)
    print("open:", open(os.path.join(here, "hello.txt")).read().strip())
    print("listdir:", sorted(os.listdir(here)))
    from greet.sub import helper
    print("sub:", helper.__file__)
EOF
echo 'NAME = "helper"' >lib/greet/sub/helper.py
: >lib/greet/sub/__init__.py
echo "hello from data" >lib/greet/hello.txt
printf '\000\001\002' >lib/greet/sub/blob.bin
printf '#!/bin/sh\necho run\n' >lib/greet/sub/run.sh && chmod 755 lib/greet/sub/run.sh
printf 'Metadata-Version: 2.1\nName: greet\nVersion: 1.0\nSummary: says hello\n' \
	>lib/greet-1.0.dist-info/METADATA
printf '[console_scripts]\ngreet = greet:main\n' >lib/greet-1.0.dist-info/entry_points.txt

test_expect_success '--entry builds an app that imports from memory' '
	build --entry greet:main --path lib -o greet >out &&
	test "$(cat out)" = greet &&
	file greet >info && test_grep "statically linked" info &&
	test_expect_code 7 in_root greet 7 -c "-m x" >out 2>err &&
	cat out &&
	test_grep -x "argv: \[./app., .7., .-c., .-m x.\]" out &&
	test_grep -x "file: /app/greet/__init__.py" out &&
	test_grep -x "frozen: True exe: /app" out &&
	test_grep -x "data: hello from data" out &&
	test_grep -x "bytes: b.\\\\x00\\\\x01\\\\x02." out &&
	test_grep -x "list: \[.__init__.py., .hello.txt., .sub.\]" out &&
	test_grep -x "is_file: True" out &&
	test_grep -x "get_data: b.hello from data." out &&
	test_grep -x "version: 1.0" out &&
	test_grep -x "summary: says hello" out &&
	test_grep -x "eps: \[.greet:main.\]" out &&
	test_grep -x "source: def main():" out &&
	test_grep -x "sub: helper /app/greet/sub/helper.py" out &&
	test_grep -x "pkg modules: \[.sub.\]" out &&
	test_grep -x "top modules: \[.greet.\]" out
'

test_expect_success 'open() and os.listdir() read package data inside the binary, nothing is written' '
	build --entry greet:disk --path lib -o disk &&
	rm -rf root && mkdir -p root/home && cp disk root/app &&
	env -i HOME=/home "$CHROOT" root /app >out 2>&1 &&
	cat out &&
	test_grep -x "file: /app/greet/__init__.py" out &&
	test_grep -x "open: hello from data" out &&
	test_grep -x "listdir: \[.__init__.py., .hello.txt., .sub.\]" out &&
	test_grep -x "sub: /app/greet/sub/helper.py" out &&
	test "$(cd root && find . | sort | tr "\n" " ")" = ". ./app ./home " &&
	printf "import os\nfor f in (\"run.sh\", \"blob.bin\"):\n    print(f, oct(os.stat(\"/app/greet/sub/\" + f).st_mode))\n" >modes.py &&
	env -i "$CHROOT" root /app -c "$(cat modes.py)" >out &&
	test_grep -x "run.sh 0o100555" out &&
	test_grep -x "blob.bin 0o100444" out
'

test_expect_success 'the exit status follows console_scripts rules' '
	in_root greet >out && test_grep "argv: \[./app.\]" out &&
	build --entry greet:fail --path lib -o fail &&
	test_expect_code 1 in_root fail 2>err &&
	test_grep -x "greet: something went wrong" err
'

test_expect_success 'PYTHONPATH and other PYTHON* variables are ignored' '
	mkdir -p evil && echo "print(\"EVIL\")" >evil/json.py &&
	printf "import json, sys\nprint(json.dumps([sys.flags.ignore_environment, sys.path[0] != \"\"]))\n" >app.py &&
	build --script app.py -o envapp &&
	rm -rf root && mkdir root && cp envapp root/app && cp -r evil root/ &&
	env -i PYTHONPATH=/evil PYTHONSTARTUP=/evil/json.py PYTHONINSPECT=1 \
		"$CHROOT" root /app >out 2>&1 </dev/null &&
	! grep -q EVIL out && test_grep -x "\[1, true\]" out
'

test_expect_success '--allow-env lets PYTHONPATH in, argv stays untouched' '
	printf "import sys\nimport mymod\nprint(sys.argv)\n" >envok.py &&
	build --allow-env --sys-executable app --script envok.py -o envok &&
	rm -rf root && mkdir -p root/mods && cp envok root/app &&
	echo "print(\"mymod from PYTHONPATH\")" >root/mods/mymod.py &&
	env -i PYTHONPATH=/mods "$CHROOT" root /app -c x >out 2>&1 &&
	test_grep -x "mymod from PYTHONPATH" out &&
	test_grep -x "\[./app., .-c., .x.\]" out
'

test_expect_success '--script keeps argv and shows source lines in tracebacks' '
	cat >crash.py <<-\EOF &&
	import sys
	print(sys.argv[1:])
	def explode():
	    raise ValueError("boom " + sys.argv[1])
	explode()
	EOF
	build --script crash.py -o crash &&
	test_expect_code 1 in_root crash -I -c >out 2>err &&
	test_grep -x "\[.-I., .-c.\]" out &&
	test_grep "File \"/app/crash.py\", line 5" err &&
	test_grep "^    explode()" err &&
	test_grep "raise ValueError(\"boom \" + sys.argv\[1\])" err &&
	test_grep "ValueError: boom -I" err &&
	! grep -q "_stick_importer" err
'

test_expect_success 'multiprocessing spawn, forkserver and fork re-run the binary (also pruned)' '
	cat >mpapp.py <<-\EOF &&
	import multiprocessing as mp
	import sys

	def square(x):
	    return x * x

	if __name__ == "__main__":
	    for method in ("spawn", "forkserver", "fork"):
	        ctx = mp.get_context(method)
	        with ctx.Pool(2) as pool:
	            print(method, pool.map(square, range(5)))
	        q = ctx.Queue()
	        p = ctx.Process(target=q.put, args=(sys.argv[1:],))
	        p.start()
	        p.join()
	        print(method, q.get(), p.exitcode)
	EOF
	for prune in "" --prune; do
		build $prune --script mpapp.py -o mpapp &&
		rm -rf root && mkdir -p root/dev/shm && cp mpapp root/app &&
		mount -t tmpfs stick-test-shm root/dev/shm &&
		{ timeout 120 env -i "$CHROOT" root /app x y >out 2>err; rc=$?;
		  umount root/dev/shm; test $rc -eq 0; } || return 1
		for m in spawn forkserver fork; do
			test_grep -x "$m \[0, 1, 4, 9, 16\]" out &&
			test_grep -x "$m \[.x., .y.\] 0" out || return 1
		done
	done
'

test_expect_success 'Ctrl-C raises KeyboardInterrupt and the app dies by SIGINT' '
	printf "import time\nprint(\"ready\", flush=True)\ntime.sleep(30)\n" >sleeper.py &&
	build --script sleeper.py -o sleeper &&
	python3 - "$TRASH/sleeper" <<-\EOF
	import signal, subprocess, sys
	# SIGINT at its default action, even when the tests run in the
	# background (where the shell makes children ignore it).
	p = subprocess.Popen([sys.argv[1]], stdout=subprocess.PIPE,
	                     stderr=subprocess.PIPE, preexec_fn=lambda:
	                     signal.signal(signal.SIGINT, signal.SIG_DFL))
	assert p.stdout.readline() == b"ready\n"  # started, handlers set
	p.send_signal(signal.SIGINT)
	err = p.communicate(timeout=20)[1].decode()
	print(p.returncode, err)
	assert p.returncode == -signal.SIGINT, p.returncode
	assert "KeyboardInterrupt" in err and "sleeper.py\", line " in err
	EOF
'

test_expect_success '--prune: a smaller binary that still runs, in UTF-8' '
	cat >pr.py <<-\EOF &&
	import json, sys
	print(json.dumps({"\u00fc": sys.argv[1:]}, ensure_ascii=False))
	def fail():
	    raise KeyError("k")
	fail()
	EOF
	build --script pr.py -o full &&
	build --prune --script pr.py -o pruned &&
	full=$(stat -c %s full) pruned=$(stat -c %s pruned) &&
	echo "full $full pruned $pruned" &&
	test $pruned -lt $((full / 2)) &&
	test_expect_code 1 in_root pruned a >out 2>err &&
	cat out err &&
	test_grep -x "{\"\\(ü\\)\": \[\"a\"\]}" out &&
	test_grep "^    raise KeyError(\"k\")" err &&
	test_grep "^KeyError: .k." err
'

test_expect_success '--prune leaves out what is not imported; --include adds it' '
	cat >dyn.py <<-\EOF &&
	import importlib, sys
	for name in sys.argv[1:]:
	    try:
	        importlib.import_module(name)
	        print(name, "yes")
	    except ImportError:
	        print(name, "no")
	EOF
	build --prune --script dyn.py -o dyn &&
	in_root dyn sqlite3 _sqlite3 json _ssl >out &&
	test_grep -x "sqlite3 no" out && test_grep -x "_sqlite3 no" out &&
	test_grep -x "json no" out && test_grep -x "_ssl no" out &&
	build --prune --include sqlite3 --include json --script dyn.py -o dyn2 &&
	in_root dyn2 sqlite3 _sqlite3 json _ssl >out &&
	test_grep -x "sqlite3 yes" out && test_grep -x "_sqlite3 yes" out &&
	test_grep -x "json yes" out && test_grep -x "_ssl no" out
'

test_expect_success '--prune keeps whole app packages (plugins imported by name)' '
	cat >plug.py <<-\EOF &&
	import importlib, greet
	print(importlib.import_module("greet.sub.helper").NAME)
	EOF
	build --prune --script plug.py --path lib -o plug &&
	in_root plug >out && test_grep -x helper out
'

test_expect_success '--without-source: tracebacks without source lines' '
	build --without-source --script crash.py -o nosrc &&
	test_expect_code 1 in_root nosrc x >out 2>err &&
	test_grep "File \"/app/crash.py\", line 5" err &&
	! grep -q "explode()" err &&
	test_grep "ValueError: boom x" err
'

test_expect_success '--with-stdlib-source: source lines of stdlib frames too' '
	printf "import json\njson.loads(\"{bad\")\n" >js.py &&
	build --prune --script js.py -o js &&
	test_expect_code 1 in_root js 2>err &&
	test_grep "File \"<frozen json>\", line" err &&
	! grep -q "_default_decoder.decode(s)" err &&
	build --prune --with-stdlib-source --script js.py -o js-src &&
	test_expect_code 1 in_root js-src 2>err &&
	test_grep -A1 "File \"<frozen json>\", line" err >frame &&
	test_grep "^    return _default_decoder.decode(s)" frame
'

test_expect_success 'a syntax error in the app fails the build and writes nothing' '
	mkdir -p badlib/pkg && : >badlib/pkg/__init__.py &&
	printf "x = 1\ndef f(:\n" >badlib/pkg/mod.py &&
	test_expect_code 1 build --entry pkg.mod:f --path badlib -o bad 2>err &&
	test_grep "badlib/pkg/mod.py:2: SyntaxError: " err &&
	! test -e bad && ! ls -a | grep -q "^\.bad"
'

test_expect_success 'a missing entry module or function is a build error' '
	test_expect_code 1 build --entry greet.nothere:main --path lib -o x 2>err &&
	test_grep "no module .greet.nothere." err &&
	test_expect_code 1 build --entry greet:nothere --path lib -o x 2>err &&
	test_grep "defines no .nothere." err &&
	! test -e x
'

test_expect_success 'bad options are refused with exit 2' '
	test_expect_code 2 build --entry greet:main --path missing-dir -o x 2>err &&
	test_grep "is not a directory" err &&
	test_expect_code 2 build --script nothere.py -o x 2>err &&
	test_expect_code 2 build --entry nocolon --path lib -o x 2>err &&
	test_expect_code 2 build --script app.py --entry greet:main -o x 2>err &&
	test_expect_code 2 build --path lib -o x 2>err &&
	test_expect_code 2 build --include json --script app.py -o x 2>err &&
	test_grep "need --prune" err &&
	test_expect_code 2 build --prune -o x 2>err &&
	test_grep "need an application" err &&
	test_expect_code 2 build --script app.py --skip-requirement cffi -o x 2>err &&
	test_grep "is for packages built from source" err &&
	test_expect_code 2 build --script app.py --include-tests -o x 2>err &&
	test_grep "include-tests is for the interpreter" err &&
	test_expect_code 2 build --script app.py --frobnicate -o x 2>err &&
	! test -e x
'

test_done
