#!/usr/bin/env bash
# sys.executable behaves like a Python when a Python is asked for: an app
# run as [sys.executable, "-c", CODE] or [sys.executable, "-m", MOD] (after
# any of python3's interpreter options) runs CODE or MOD as python3 does,
# with the app's modules importable; any other command line runs the
# app's main. --sys-executable app keeps -c and -m for the app, and a
# chain of such starts of the app by itself ends with an error instead
# of recursing. Each app runs in an empty root.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
TC=$($STICK -q toolchain --python $PY --sources "$SOURCES") || exit 1
PYTHON=$TC/bin/python$PY

mkdir -p lib/tool
echo 'VALUE = "from the app"' >lib/helper.py
printf 'import sys, helper\nprint("tool", sys.argv[1:], helper.VALUE)\n' \
	>lib/tool/__main__.py
: >lib/tool/__init__.py

# guard.py, the start of both apps: prints its argv; start(ARGS) runs
# sys.executable with ARGS and prints what it wrote, its last line of
# stderr and its status. Every app stops at a depth of 3 (T_DEPTH) saying
# RECURSED, so that a regression fails the test instead of forking away.
cat >guard.py <<\PYEOF
import os, subprocess, sys
depth = int(os.environ.get("T_DEPTH", "0"))
if depth > 3:
    print("RECURSED", sys.argv[1:])
    sys.exit(3)
os.environ["T_DEPTH"] = str(depth + 1)
print("main", sys.argv[1:], flush=True)

def start(args):
    r = subprocess.run([sys.executable] + args, capture_output=True,
                       text=True)
    print(r.stdout, end="")
    print(r.stderr.strip().splitlines()[-1:], "exit", r.returncode)
PYEOF
# starter: when its first argument is a Python list, starts that.
{ cat guard.py && cat <<\PYEOF; } >starter.py
import ast
if sys.argv[1:2] and sys.argv[1].startswith("["):
    start(ast.literal_eval(sys.argv[1]))
PYEOF
# rec: starts sys.executable -c at every start-up.
{ cat guard.py && cat <<\PYEOF; } >rec.py
start(["-c", "import sys; print('child', sys.argv, sys.flags.isolated)"])
PYEOF

# in_root_limited FILE ARGS...: in_root, stopped after a minute.
in_root_limited() {
	rm -rf root && mkdir root && cp "$1" root/app && shift &&
	timeout 60 env -i "$CHROOT" "$TRASH/root" /app "$@"
}

test_expect_success 'an app that runs sys.executable -c at start-up ends' '
	build --script rec.py --path lib -o rec &&
	in_root_limited rec >out 2>&1 &&
	cat out &&
	! grep -q RECURSED out &&
	test_grep -x "main \[\]" out &&
	test_grep -x "child \[.-c.\] 0" out &&
	test_grep -x "\[\] exit 0" out &&
	test "$(wc -l <out)" = 3
'

test_expect_success '-c CODE runs as python3 runs it, the app'"'"'s modules importable' '
	build --script starter.py --path lib -o starter &&
	code="import sys, helper; print(sys.argv, helper.VALUE)" &&
	in_root starter -c "$code" a b >out 2>&1 &&
	(cd lib && "$PYTHON" -c "$code" a b) >py.out 2>&1 &&
	test_cmp py.out out
'

test_expect_success '-m MOD runs the module (an embedded one too), argv as python3 has it' '
	in_root starter -m tool x y >out 2>&1 &&
	(cd lib && "$PYTHON" -m tool x y) >py.out 2>&1 &&
	test_cmp py.out out &&
	in_root starter -m json.tool --help >out 2>&1 &&
	"$PYTHON" -m json.tool --help >py.out 2>&1 &&
	test_cmp py.out out
'

test_expect_success 'python3'"'"'s interpreter options before -c: the same flags' '
	code="import sys; f = sys.flags; print(f.isolated, f.no_site, f.optimize, f.dont_write_bytecode, f.utf8_mode, f.bytes_warning, f.ignore_environment, f.no_user_site, f.safe_path, sys.warnoptions, sys._xoptions)" &&
	for opts in "-I" "-I -S -OO -B" "-IS -u -b -Xutf8 -Wdefault" \
		"-E -s -W error -X dev -q" "-bb -X faulthandler -P" \
		"--check-hash-based-pycs never -d -R"; do
		in_root starter $opts -c "$code" >out 2>&1 &&
		env -i "$PYTHON" $opts -c "$code" >py.out 2>&1 &&
		test_cmp py.out out || return 1
	done &&
	in_root starter -Ic "print(6 * 7)" >out 2>&1 &&
	test_grep -x 42 out
'

test_expect_success 'other command lines run the app, argv untouched' '
	for args in "-v" "-h" "--help" "-V" "--version" "x.py" "-" "-c" \
		"-I x.py" "-v x.py" "--verbose -c x" "-- -c x" "-Z -c x" \
		"-W -c"; do
		in_root starter $args >out 2>&1 </dev/null &&
		"$PYTHON" -c "import sys; print(\"main\", sys.argv[1:])" $args >expect &&
		test_cmp expect out || return 1
	done
'

test_expect_success 'an app that re-runs itself with its own options runs its main' '
	in_root starter "[\"--worker\", \"-c\", \"x\"]" >out 2>&1 &&
	cat out &&
	test_grep -x "main \[.--worker., .-c., .x.\]" out &&
	test "$(grep -c ^main out)" = 2 && ! grep -q RECURSED out
'

test_expect_success '--sys-executable app: -c and -m are the app'"'"'s own' '
	build --script starter.py --path lib --sys-executable app -o own &&
	in_root own -c conf -m mod >out 2>&1 &&
	test_grep -x "main \[.-c., .conf., .-m., .mod.\]" out &&
	"$STICK" info own >info &&
	test_grep "^  sys-executable  *app$" info &&
	"$STICK" info starter >info &&
	test_grep "^  sys-executable  *python$" info
'

test_expect_success '--sys-executable app: a start-up sys.executable -c ends with an error' '
	build --script rec.py --sys-executable app -o recown &&
	in_root_limited recown >out 2>&1 &&
	cat out &&
	! grep -q RECURSED out &&
	test "$(grep -c ^main out)" = 2 &&
	test_grep "refusing to start this application again" out &&
	test_grep "exit 1$" out &&
	test_grep -x "\[\] exit 0" out
'

test_expect_success '--sys-executable app: the app re-running itself with -c runs its main' '
	cat >conf.py <<-\PYEOF &&
	import subprocess, sys
	print("main", sys.argv[1:], flush=True)
	if "--worker" not in sys.argv:
	    subprocess.run([sys.executable] + sys.argv[1:] + ["--worker"])
	PYEOF
	build --script conf.py --sys-executable app -o conf &&
	in_root_limited conf -c my.conf >out 2>&1 &&
	cat out &&
	test_grep -x "main \[.-c., .my.conf.\]" out &&
	test_grep -x "main \[.-c., .my.conf., .--worker.\]" out &&
	test "$(wc -l <out)" = 2
'

test_expect_success 'multiprocessing spawn and forkserver work with either choice' '
	cat >mp.py <<-\PYEOF &&
	import multiprocessing as mp

	def square(x):
	    return x * x

	if __name__ == "__main__":
	    for method in ("spawn", "forkserver"):
	        with mp.get_context(method).Pool(2) as pool:
	            print(method, pool.map(square, range(4)))
	PYEOF
	for choice in python app; do
		build --script mp.py --sys-executable $choice -o mp &&
		rm -rf root && mkdir -p root/dev/shm && cp mp root/app &&
		mount -t tmpfs stick-test-shm root/dev/shm &&
		{ timeout 120 env -i "$CHROOT" root /app >out 2>&1; rc=$?;
		  umount root/dev/shm; cat out; test $rc -eq 0; } &&
		test_grep -x "spawn \[0, 1, 4, 9\]" out &&
		test_grep -x "forkserver \[0, 1, 4, 9\]" out || return 1
	done
'

test_done
