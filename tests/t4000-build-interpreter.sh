#!/usr/bin/env bash
# stick build -o OUT: one static file that replaces python3, with the whole
# stdlib frozen inside. Every run happens in an empty chroot holding only
# the binary (and the test's own input files), with env -i.
. "$(dirname "$0")/lib.sh"

# The toolchain is too slow to build per test: use the user's cache.
use_cached_toolchain
mkdir -p root

# run ARGS...: the interpreter in the empty root, no environment.
run() { env -i "$CHROOT" "$TRASH/root" /python "$@"; }

test_expect_success 'stick build -o writes one statically linked executable' '
	$STICK build --python $PY --sources "$SOURCES" \
		-o "$TRASH/python" >out 2>err &&
	test "$(cat out)" = "$TRASH/python" &&
	file python >info && test_grep "statically linked" info &&
	cp python root/python &&
	! ls -a | grep -q "^\.python\.tmp"
'

test_expect_success '-c imports every built-in module and does real work' '
	cp "$TOP/tests/toolchain/check_modules.py" root/ &&
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
		-addext subjectAltName=DNS:localhost \
		-keyout root/key.pem -out root/cert.pem 2>/dev/null &&
	promised=$(sed -n "s/^module *//p" "$TOP/thirdparty/python-$PY" | tr "\n" " ") &&
	run -c "exec(open(\"/check_modules.py\").read())" "$promised" >out 2>&1 &&
	test_grep "^all .* modules ok" out
'

test_expect_success 'the stdlib comes from the binary, with paths inside it' '
	run -c "import sys, os, json, email.mime.text, asyncio
print(sys.executable, sys.prefix)
print(os.__file__, json.__file__)
print(sys.frozen if hasattr(sys, \"frozen\") else \"-\")" >out &&
	test_grep -x "/python /python" out &&
	test_grep -x "/python/lib/python$PY/os.py /python/lib/python$PY/json/__init__.py" out
'

test_expect_success '-m json.tool reads stdin' '
	echo "{\"b\": [1, 2], \"a\": null}" | run -m json.tool --sort-keys >out &&
	printf "{\n    \"a\": null,\n    \"b\": [\n        1,\n        2\n    ]\n}\n" >expect &&
	cmp expect out
'

test_expect_success 'a script gets its arguments and its exit status counts' '
	printf "import sys\nprint(sys.argv)\nsys.exit(int(sys.argv[2]))\n" >root/script.py &&
	test_expect_code 3 run /script.py -c 3 >out &&
	test_grep -x "\[./script.py., .-c., .3.\]" out
'

test_expect_success 'PYTHONPATH works as in python3, and -I and -E ignore it' '
	mkdir -p root/mods && echo "print(\"imported mymod\")" >root/mods/mymod.py &&
	env -i PYTHONPATH=/mods "$CHROOT" root /python -c "import mymod" >out &&
	test_grep "imported mymod" out &&
	! env -i PYTHONPATH=/mods "$CHROOT" root /python -I -c "import mymod" 2>err &&
	test_grep "No module named .mymod." err &&
	! env -i PYTHONPATH=/mods "$CHROOT" root /python -E -c "import mymod" 2>/dev/null
'

test_expect_success '-S, -X and -q behave as in python3' '
	run -S -c "import sys; print(\"site\" in sys.modules)" >out &&
	test_grep -x False out &&
	run -c "import sys; print(\"site\" in sys.modules)" >out &&
	test_grep -x True out &&
	run -X utf8 -c "import sys; print(sys.flags.utf8_mode)" >out &&
	test_grep -x 1 out &&
	echo "print(6 * 7)" | run -q -i >out 2>&1 &&
	test_grep "42" out
'

test_expect_success 'a traceback names the frozen module and the script line' '
	printf "import json\njson.loads(\"{\")\n" >root/bad.py &&
	test_expect_code 1 run /bad.py 2>err &&
	test_grep "File \"/bad.py\", line 2" err &&
	test_grep "JSONDecodeError" err
'

test_expect_success 'bad usage is refused with exit 2 and writes nothing' '
	test_expect_code 2 $STICK build 2>err && test_grep "missing -o OUT" err &&
	mkdir adir &&
	test_expect_code 2 $STICK build -o adir 2>err && test_grep "is a directory" err &&
	test_expect_code 2 $STICK build --bogus -o x 2>err &&
	test_expect_code 2 $STICK build app.py -o x 2>err &&
	test_expect_code 1 $STICK build --python 2.7 -o x 2>err &&
	test_grep "unknown Python version" err &&
	! test -e x
'

test_done
