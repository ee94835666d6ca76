#!/usr/bin/env bash
# An application binary behaves like python3 running the same file: the
# toolchain's own python3.X runs each script from disk, the stick binary
# runs it from memory, and their output (stdout and stderr in one file, in
# the order written), exit status and signals must be the same. Tracebacks
# differ only in the script's path (a path inside the binary).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
TC=$($STICK -q toolchain --python $PY --sources "$SOURCES") || exit 1
PYTHON=$TC/bin/python$PY

# same NAME [ARGS...]: python3 -I NAME.py and the binary NAME, run the same
# way (output to one file), give the same output and exit status.
same() {
	name=$1
	shift
	(cd py && default_signals "$PYTHON" -I "$name.py" "$@" >"../$name.py.out" 2>&1
	 echo "exit $?" >>"../$name.py.out")
	(cd bin && default_signals "./$name" "$@" >"../$name.bin.out" 2>&1
	 echo "exit $?" >>"../$name.bin.out")
	sed "s|$TRASH/bin/$name/|$TRASH/py/|" "$name.bin.out" >"$name.bin.cmp"
	test_cmp "$name.py.out" "$name.bin.cmp"
}

# app NAME <<EOF: writes py/NAME.py and builds it into bin/NAME.
app() {
	mkdir -p py bin && cat >"py/$1.py" && build --script "py/$1.py" -o "bin/$1"
}

test_expect_success 'output written before an uncaught exception comes first' '
	app raise <<-\PYEOF &&
	import sys
	print("to stdout")
	sys.stdout.write("no newline ")
	raise ValueError("boom")
	PYEOF
	same raise &&
	test_grep -x "to stdout" raise.bin.out
'

test_expect_success 'SystemExit: status, message and None as python3 has them' '
	app sysexit <<-\PYEOF &&
	import sys
	print("out", end="")
	arg = sys.argv[1]
	sys.exit(None if arg == "none" else int(arg) if arg.lstrip("-").isdigit() else arg)
	PYEOF
	same sysexit 3 && test_grep -x "outexit 3" sysexit.bin.out &&
	same sysexit none && same sysexit 0 && same sysexit 256 &&
	same sysexit -1 && same sysexit "a message" &&
	test_grep -x "outa message" sysexit.bin.out
'

test_expect_success 'KeyboardInterrupt: traceback, then death by SIGINT' '
	app kbd <<-\PYEOF &&
	print("x")
	raise KeyboardInterrupt
	PYEOF
	same kbd &&
	test_grep -x "exit 130" kbd.bin.out
'

test_expect_success 'sys.excepthook set by the app is used, after stdout' '
	app hook <<-\PYEOF &&
	import sys
	def hook(t, v, tb):
	    print("hooked", t.__name__, v, file=sys.stderr)
	sys.excepthook = hook
	print("before")
	raise KeyError("k")
	PYEOF
	same hook &&
	test_grep -x "hooked KeyError .k." hook.bin.out
'

test_expect_success 'atexit handlers run in reverse order, also after sys.exit' '
	app ate <<-\PYEOF &&
	import atexit, sys
	atexit.register(print, "registered first, runs last")
	atexit.register(lambda: print("registered second, runs first"))
	print("main", end="")
	if sys.argv[1:] == ["exit"]:
	    sys.exit("leaving")
	PYEOF
	same ate && same ate exit
'

test_expect_success 'unflushed output at exit is written' '
	app unflushed <<-\PYEOF &&
	import sys
	sys.stdout.write("no newline at the end")
	sys.stderr.write("err ")
	PYEOF
	same unflushed
'

test_expect_success 'the script'"'"'s objects are finalized at exit: __del__, unclosed files' '
	app finalized <<-\PYEOF &&
	import sys
	class Noisy:
	    def __del__(self):
	        print("finalized", file=sys.stderr)
	noisy = Noisy()
	unclosed = open(sys.argv[1], "w")
	unclosed.write("written at exit")
	print("main done")
	PYEOF
	same finalized "$TRASH/finalized.txt" &&
	test_grep -x finalized finalized.bin.out &&
	test_grep -x "written at exit" finalized.txt
'

# pipe_same NAME READER: NAME | READER for both; compares stderr and the
# writer status.
pipe_same() {
	(cd py && "$PYTHON" -I "$1.py" 2>"../$1.py.err" | $2 >/dev/null
	 echo "exit ${PIPESTATUS[0]}" >>"../$1.py.err")
	(cd bin && "./$1" 2>"../$1.bin.err" | $2 >/dev/null
	 echo "exit ${PIPESTATUS[0]}" >>"../$1.bin.err")
	sed "s|$TRASH/bin/$1/|$TRASH/py/|" "$1.bin.err" >"$1.bin.cmp"
	test_cmp "$1.py.err" "$1.bin.cmp"
}

test_expect_success 'a broken pipe while writing: BrokenPipeError, status 1' '
	app pipe <<-\PYEOF &&
	for i in range(200000):
	    print(i)
	PYEOF
	pipe_same pipe "head -n 1" &&
	test_grep "^BrokenPipeError" pipe.bin.err
'

test_expect_success 'a broken pipe at the final flush: status 120' '
	app lateflush <<-\PYEOF &&
	import sys, time
	time.sleep(0.3)
	sys.stdout.write("line\n")
	PYEOF
	pipe_same lateflush true &&
	test_grep -x "exit 120" lateflush.bin.err
'

test_expect_success 'a closed stdout: sys.stdout is None, as in python3' '
	app closed <<-\PYEOF &&
	import sys
	print(sys.stdout is None, file=sys.stderr)
	print("lost")
	PYEOF
	(cd py && "$PYTHON" -I closed.py >&- 2>../closed.py.out; echo "exit $?" >>../closed.py.out) &&
	(cd bin && ./closed >&- 2>../closed.bin.out; echo "exit $?" >>../closed.bin.out) &&
	test_cmp closed.py.out closed.bin.out &&
	test_grep -x True closed.bin.out
'

test_expect_success 'importing a name with a null byte fails as in python3' '
	app nulname <<-\PYEOF &&
	for name in ("string\0", "os\0x", "nulname\0", "__stick_main__\0"):
	    try:
	        __import__(name)
	        print("imported", repr(name))
	    except ImportError as e:
	        print(type(e).__name__, e)
	PYEOF
	same nulname &&
	! grep imported nulname.bin.out
'

# The interpreter output (stick build -o), against the toolchain's python3.
test_expect_success 'build the interpreter' '
	build -o python
'

# both OUT ARGS...: runs ARGS with python3 and with the interpreter
# $TRASH/python, each output in OUT.py.out and OUT.bin.out, with the
# stdlib directory of each replaced by STDLIB.
both() {
	out=$1
	shift
	default_signals "$PYTHON" "$@" >"$out.py.out" 2>&1; echo "exit $?" >>"$out.py.out"
	default_signals "$TRASH/python" "$@" >"$out.bin.out" 2>&1; echo "exit $?" >>"$out.bin.out"
	sed -i "s|$TC/lib/python$PY/|STDLIB/|g" "$out.py.out"
	sed -i "s|$TRASH/python/lib/python$PY/|STDLIB/|g" "$out.bin.out"
	test_cmp "$out.py.out" "$out.bin.out"
}

test_expect_success '-m of a stdlib module: sys.argv[0] and __file__ are its .py path' '
	both calhelp -m calendar --help &&
	test_grep "^usage: calendar.py " calhelp.bin.out &&
	both tarhelp -m tarfile --help &&
	test_grep "^usage: tarfile.py " tarhelp.bin.out &&
	both runmod -c "import runpy; print(runpy.run_module(\"json.tool\")[\"__file__\"])" &&
	test_grep -x "STDLIB/json/tool.py" runmod.bin.out &&
	both pydoc -I -m pydoc len &&
	test_grep "^Help on built-in function len" pydoc.bin.out
'

test_expect_success 'importlib.resources.files() without an anchor: the caller'"'"'s package' '
	mkdir -p site/respkg &&
	printf "import importlib.resources as r\nVAL = r.files().joinpath(\"data.txt\").read_text()\n" \
		>site/respkg/__init__.py &&
	echo "package data" >site/respkg/data.txt &&
	(cd site && both ../resfiles -c "import respkg; print(respkg.VAL)") &&
	test_grep -x "package data" resfiles.bin.out &&
	echo "import respkg; print(respkg.VAL)" >resapp.py &&
	build --script resapp.py --path site -o resapp &&
	./resapp >resapp.out 2>&1 &&
	printf "package data\n\n" >expect && test_cmp expect resapp.out
'

test_expect_success 'the interpreter: a name with a null byte is no module' '
	both nul -c "
for name in (\"string\0\", \"os\0\", \"json.tool\0\", \"json\0.tool\"):
    try:
        __import__(name)
        print(\"imported\", repr(name))
    except ImportError as e:
        print(type(e).__name__, e)" &&
	test_grep -c ModuleNotFoundError nul.bin.out >count &&
	test "$(cat count)" = 4
'

# 3.13's interpreter allocates objects with mimalloc (startup.c); -X dev
# keeps CPython's choice, pymalloc with the debug hooks, as python3 does.
test_expect_success '-X dev: pymalloc with its debug hooks, as in python3' '
	"$PYTHON" -X dev -c "import sys; sys._debugmallocstats()" 2>&1 | head -n 1 >expect &&
	"$TRASH/python" -X dev -c "import sys; sys._debugmallocstats()" 2>&1 | head -n 1 >dev.out &&
	test_cmp expect dev.out &&
	test_grep "^Small block threshold = 512," dev.out &&
	PYTHONDEVMODE=1 "$TRASH/python" -c "import sys; sys._debugmallocstats()" 2>&1 | head -n 1 >env.out &&
	test_cmp expect env.out &&
	"$TRASH/python" -c "import sys; sys._debugmallocstats()" 2>&1 | head -n 1 >nodev.out &&
	if [ "$PY" = 3.13 ]; then test_grep "^Small block threshold = 16384," nodev.out; fi
'

test_expect_success 'os.environ is the environment given, CA probe or not' '
	mkdir -p ca/etc/ssl && echo placeholder >ca/etc/ssl/cert.pem &&
	ROOT_FILES=ca in_root python -c "import os, subprocess, sys
print(sorted(os.environ))
print(subprocess.run([sys.executable, \"-c\", \"import os; print(os.environ[\\\"SSL_CERT_FILE\\\"])\"],
                     capture_output=True, text=True).stdout, end=\"\")" >out 2>&1 &&
	printf "%s\n" "[]" /etc/ssl/cert.pem >expect &&
	test_cmp expect out
'

# ctypes.pythonapi: a static executable has no dynamic symbol table, so
# patch 0015 resolves the C API from a table linked with _ctypes.
test_expect_success 'ctypes.pythonapi reaches the C API, whole and pruned' '
	app capi <<-\PYEOF &&
	import ctypes, threading, time
	api = ctypes.pythonapi
	api.PyLong_FromLong.restype = ctypes.py_object
	api.PyLong_FromLong.argtypes = [ctypes.c_long]
	print(api.PyLong_FromLong(42) + 1)
	print(ctypes.c_int.in_dll(api, "Py_OptimizeFlag").value)
	try:
	    api.No_Such_Function_Anywhere
	except AttributeError:
	    print("AttributeError")
	class Stop(Exception):
	    pass
	def worker():
	    try:
	        while True:
	            time.sleep(0.01)
	    except Stop:
	        print("worker stopped")
	t = threading.Thread(target=worker)
	t.start()
	time.sleep(0.05)
	n = api.PyThreadState_SetAsyncExc(ctypes.c_ulong(t.ident), ctypes.py_object(Stop))
	t.join()
	print("threads hit:", n)
	PYEOF
	same capi &&
	printf "%s\n" 43 0 AttributeError "worker stopped" "threads hit: 1" "exit 0" >expect &&
	test_cmp expect capi.bin.out &&
	build --script py/capi.py --prune -o bin/capi-pruned &&
	in_root bin/capi-pruned >capi-pruned.out 2>&1 && echo "exit 0" >>capi-pruned.out &&
	test_cmp expect capi-pruned.out
'

test_expect_success 'a subinterpreter imports the application'"'"'s own modules' '
	mkdir -p subsite &&
	echo "def hello(): print(\"hello from\", __name__, flush=True)" >subsite/submod.py &&
	cat >subinterp.py <<-\PYEOF &&
	try:
	    import _interpreters as interpreters
	except ImportError:
	    import _xxsubinterpreters as interpreters
	import sys
	interp = interpreters.create()
	print("failed:", interpreters.run_string(interp, "import submod; submod.hello()"), flush=True)
	interpreters.destroy(interp)
	PYEOF
	build --script subinterp.py --path subsite -o subinterp &&
	in_root subinterp >subinterp.out 2>&1 &&
	printf "%s\n" "hello from submod" "failed: None" >expect &&
	test_cmp expect subinterp.out
'

test_done
