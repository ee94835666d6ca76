#!/usr/bin/env bash
# --prune keeps what the application can import: functions that run,
# C modules they need, modules named in strings; reports what it kept;
# an import it left out says how to keep it; --prune-trace adds what one
# run of the application imports.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain

cat >argp.py <<'PYEOF'
import argparse
import hashlib
p = argparse.ArgumentParser(description="a demo")
p.add_argument("--x", type=int, default=3)
print(p.parse_args().x, hashlib.blake2b(b"a").hexdigest()[:8])
PYEOF

test_expect_success 'argparse and hashlib: lazy imports and built-in constructors kept' '
	build --prune --script argp.py -o argp 2>err &&
	in_root argp --x 5 >out 2>&1 &&
	cat out &&
	want=$(python3 -c "import hashlib; print(hashlib.blake2b(b\"a\").hexdigest()[:8])") &&
	test_grep -x "5 $want" out && ! grep -i "error" out &&
	in_root argp --help >out &&
	test_grep "a demo" out
'

cat >plug.py <<'PYEOF'
import importlib
import sys
name = sys.argv[1] if len(sys.argv) > 1 else "csv"
print(importlib.import_module(name).__name__)
PYEOF

test_expect_success 'a module left out by --prune fails naming --include' '
	mkdir -p site/plugin_a site/plugin_b &&
	: >site/plugin_a/__init__.py && : >site/plugin_b/__init__.py &&
	build --prune --script plug.py --path site -o plug &&
	test_expect_code 1 in_root plug tomllib 2>err &&
	test_grep "No module named .tomllib. (left out by --prune: rebuild with --include tomllib)" err &&
	test_expect_code 1 in_root plug plugin_b 2>err &&
	test_grep "No module named .plugin_b. (left out by --prune: rebuild with --include plugin_b)" err
'

test_expect_success 'codecs named in the code are kept; a left-out one says so' '
	cat >enc.py <<-\PYEOF &&
	import sys
	print("\u00e9".encode("cp1252"), "\u00e9".encode(sys.argv[1]))
	PYEOF
	build --prune --script enc.py -o enc &&
	in_root enc latin-1 >out && test_grep -x "b.\\\\xe9. b.\\\\xe9." out &&
	test_expect_code 1 in_root enc cp850 2>err &&
	test_grep "unknown encoding: cp850 (encodings.cp850 left out by --prune: rebuild with --include encodings.cp850)" err
'

test_expect_success 'import_module of a module-level constant is followed' '
	cat >const.py <<-\PYEOF &&
	import importlib
	CODEC = "json"
	print(importlib.import_module(CODEC).dumps([1]))
	PYEOF
	build --prune --script const.py -o const &&
	in_root const >out &&
	test_grep -x "\[1\]" out
'

test_expect_success '--prune-trace keeps what one run imports' '
	"$STICK" build --python "$PY" --sources "$SOURCES" --script plug.py \
		--prune-trace tomllib --prune-trace "json" -o plug2 >out 2>err &&
	cat err &&
	test_grep "^--prune kept .* stdlib modules.*found only by --prune-trace" err &&
	in_root plug2 tomllib >out && test_grep -x tomllib out &&
	in_root plug2 json >out && test_grep -x json out
'

test_expect_success '--prune-trace keeps nothing the application did not import' '
	printf "import sys\nif sys.argv[1:] == [\"--boom\"]: raise SystemExit(3)\nprint(\"hi\")\n" >exits.py &&
	build --prune --script exits.py -o plain 2>/dev/null &&
	"$STICK" build --python "$PY" --sources "$SOURCES" --script exits.py \
		--prune-trace "--quiet \"a b\"" -o traced >out 2>err &&
	! grep "found only by --prune-trace" err &&
	cmp plain traced
'

test_expect_success '--prune-trace says when the run failed, refuses bad quoting' '
	"$STICK" build --python "$PY" --sources "$SOURCES" --script exits.py \
		--prune-trace --boom -o boom >out 2>err &&
	test_grep "^--prune-trace: the run with .--boom. exited with status 3" err &&
	test_must_fail "$STICK" build --python "$PY" --sources "$SOURCES" \
		--script exits.py --prune-trace "\"open" -o quote >out 2>err &&
	test_grep "No closing quotation (quote the arguments as a shell would)" err &&
	! test -e quote && ! test -e quote.sbom.json
'

test_expect_success 'the report and stick info name what was kept and left out' '
	"$STICK" build --python "$PY" --sources "$SOURCES" --prune --script argp.py -o argp3 >out 2>err &&
	test_grep "^--prune kept [0-9]* of [0-9]* stdlib modules, 0 of 0 application modules, [0-9]* of [0-9]* optional built-in C modules$" err &&
	"$STICK" info argp3 >info &&
	test_grep "^pruned  *[0-9]* stdlib modules kept" info &&
	test_grep "argparse" info &&
	test_grep "^left out  *[0-9]* built-in C modules" info &&
	"$STICK" info --json argp3 >info.json &&
	python3 -c "import json, sys; i = json.load(open(\"info.json\"))
assert \"argparse\" in i[\"pruned\"][\"stdlib_modules\"], i[\"pruned\"]
assert \"_ssl\" in i[\"pruned\"][\"builtin_modules_left_out\"]
assert \"_ssl\" not in i[\"builtin_modules\"]
assert \"_blake2\" in i[\"builtin_modules\"]"
'

test_expect_success 'a pruned hello stays at most 6 MiB' '
	echo "print(\"hello\")" >hello.py &&
	build --prune --script hello.py -o hello &&
	in_root hello >out && test_grep -x hello out &&
	size=$(stat -c %s hello) && echo "$size bytes" &&
	test "$size" -le $((6 * 1024 * 1024))
'

test_done
