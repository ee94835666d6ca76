#!/usr/bin/env bash
# --prune is safe on real code: CPython's own test files, each the whole
# application of a pruned binary (a script that runs the test module with
# unittest, the test package beside it on --path), run alone in an empty
# root and compared with the same script run by the single-file
# interpreter in the same root. A pruned binary may not fail for a module
# it left out (nor miss one the interpreter has), and must run the same
# number of tests (a test module that
# cannot import runs none). Network resources are off
# (support.use_resources = []), as under regrtest without -u. Left out of
# the selection: tests that start sys.executable as a Python interpreter
# (test_subprocess, test_tempfile: an application binary is not one), and
# test_pickle, which unpickles classes of modules named only in pickle
# data (a pruned app needs --include for those).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
TC=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES") || exit 1
TESTS=$TC/lib/python$PY/test

# Test files (some inside test packages) across the stdlib: argparse,
# gettext, hashlib, logging, json, csv, email, http, xml, sqlite3,
# decimal, datetime, zoneinfo, asyncio, subprocess, tarfile, zipfile,
# unittest.mock and more.
FILES="test_argparse.py test_gettext.py test_hashlib.py test_logging.py
test_json/test_decode.py test_json/test_dump.py test_csv.py
test_email/test_email.py test_http_cookies.py test_http_cookiejar.py
test_urlparse.py test_xml_etree.py test_minidom.py test_sqlite3/test_dbapi.py
test_decimal.py test_datetime.py test_zoneinfo/test_zoneinfo.py
test_asyncio/test_tasks.py test_tarfile.py test_zipfile/test_core.py test_unittest/testmock/testmock.py test_base64.py
test_binascii.py test_calendar.py test_collections.py test_contextlib.py
test_copy.py test_difflib.py test_enum.py test_fractions.py
test_functools.py test_glob.py test_heapq.py test_html.py test_htmlparser.py
test_ipaddress.py test_itertools.py test_operator.py test_optparse.py
test_pprint.py test_random.py test_re.py test_shlex.py
test_shutil.py test_statistics.py test_string.py test_struct.py
test_textwrap.py test_tomllib/test_misc.py test_typing.py
test_uuid.py test_weakref.py test_zlib.py test_bz2.py test_lzma.py
test_hmac.py test_sched.py test_queue.py test_configparser.py
test_plistlib.py test_mailbox.py test_urllib.py test_secrets.py
test_dataclasses/__init__.py test_graphlib.py test_timeit.py"
# make test runs a representative part (about a quarter: each area
# above once; 2 minutes instead of 9); `make test-prune-stdlib`
# (STICK_T6400_ALL=1) runs them all.
if [ "${STICK_T6400_ALL:-0}" != 1 ]; then
	FILES="test_argparse.py test_json/test_decode.py test_email/test_email.py
test_sqlite3/test_dbapi.py test_decimal.py test_zoneinfo/test_zoneinfo.py
test_asyncio/test_tasks.py test_tarfile.py test_re.py test_typing.py
test_hashlib.py test_xml_etree.py test_unittest/testmock/testmock.py
test_dataclasses/__init__.py"
fi

# needs FILE: what FILE imports or reads from the test package besides
# test.support: the package it lives in, helper modules, data.
needs() {
	case $1 in
	*/*) dirname "$1" | cut -d/ -f1 ;;
	esac
	case $1 in
	test_argparse.py | test_optparse.py) echo test_tools/__init__.py ;;
	test_datetime.py) echo datetimetester.py ;;
	test_tarfile.py | test_zipfile/*) echo archivetestdata archiver_tests.py ;;
	test_weakref.py) echo mapping_tests.py ;;
	test_re.py) echo re_tests.py ;;
	test_asyncio/*) echo certdata ;;
	test_xml_etree.py | test_minidom.py) echo xmltestdata ;;
	test_configparser.py) echo configdata ;;
	test_decimal.py) echo decimaltestdata ;;
	test_typing.py) echo typinganndata ;;
	test_pickle.py) echo pickletester.py ;;
	test_mimetypes.py) echo mime.types ;;
	esac
}

# lib FILE: a site directory with the test package holding test.support
# and what FILE needs (only that: application packages are kept whole).
lib() {
	local dir=libs/$(echo "$1" | tr / _) x
	rm -rf "$dir" && mkdir -p "$dir/test" &&
	cp "$TESTS/__init__.py" "$dir/test/" &&
	for x in support $(needs "$1") "$1"; do
		mkdir -p "$dir/test/$(dirname "$x")" &&
		if [ -d "$TESTS/$x" ]; then
			mkdir -p "$dir/test/$x" && cp -r "$TESTS/$x/." "$dir/test/$x/"
		else
			cp "$TESTS/$x" "$dir/test/$x"
		fi || return 1
	done
	find "$dir" -name __pycache__ -prune -exec rm -rf {} +
	echo "$dir"
}

# script FILE: an application script that runs FILE's tests (the module
# test.NAME...) with network resources off.
script() {
	local module=test.$(echo "${1%.py}" | sed 's|/__init__$||; s|/|.|g')
	local out=scripts/$(echo "$1" | tr / _)
	mkdir -p scripts
	cat >"$out" <<-PYEOF
	from test import support
	support.use_resources = []
	import unittest
	unittest.main(module="$module")
	PYEOF
	echo "$out"
}

# in_test_root ARGS...: runs ARGS in the root (the interpreter finds the
# test package in /lib), for at most 10 minutes.
in_test_root() {
	env -i HOME=/home TMPDIR=/tmp PYTHONPATH=/lib \
		timeout -s KILL 600 "$CHROOT" root "$@"
}

# expected_missing FILE: modules FILE imports by a name the analysis
# cannot see, which the pruned binary therefore lacks (with the reason).
expected_missing() {
	case $1 in
	# test_deprecated_modules imports each key of a dict with __import__
	test_re.py) printf '%s\n' sre_compile sre_constants sre_parse ;;
	# MiscTests.test_pydatetime (3.13.15) runs sys.executable -c with
	# code, in a string, that blocks _datetime so datetime falls back
	# to _pydatetime
	test_zoneinfo/test_zoneinfo.py) echo _pydatetime ;;
	esac
}

# ran OUTPUT: "Ran N tests" of a unittest run, or "no run".
ran() { grep -o '^Ran [0-9]* tests\?' "$1" | tail -n 1 | grep . || echo "no run"; }

# The root has a writable home and /tmp, an /etc/hosts, without which
# the logging and socket tests wait for "localhost" to resolve, and the
# root user in /etc/passwd and /etc/group (tarfile looks its owner up).
mkdir -p root/home root/tmp root/etc
echo "127.0.0.1 localhost" >root/etc/hosts
echo "root:x:0:0:root:/home:/bin/sh" >root/etc/passwd
echo "root:x:0:" >root/etc/group

test_expect_success 'the single-file interpreter runs the test files in the root' '
	build -o root/python
'

n=0
for f in $FILES; do
	n=$((n + 1))
	name=$(basename "$f" .py)
	[ "$name" = __init__ ] && name=$(basename "$(dirname "$f")")
	test_expect_success "pruned $f: no module left out, the same tests run" '
		s=$(script "$f") && l=$(lib "$f") &&
		build --prune --script "$s" --path "$l" -o "root/$name" &&
		cp "$s" "root/$name.py" && rm -rf root/lib && cp -r "$l" root/lib &&
		{ in_test_root "/$name" >"$name.bin" 2>&1; true; } &&
		{ in_test_root /python "/$name.py" >"$name.py.out" 2>&1; true; } &&
		echo "interpreter: $(ran "$name.py.out"), $(tail -n 1 "$name.py.out")" &&
		echo "pruned:      $(ran "$name.bin"), $(tail -n 1 "$name.bin")" &&
		grep -o "No module named .[A-Za-z0-9_.]*. (left out by --prune" "$name.bin" |
			sed "s/No module named .\(.*\). (left.*/\1/" | sort -u >left &&
		expected_missing "$f" | sort >expected &&
		test_cmp expected left &&
		grep -h "No module named" "$name.py.out" | sort -u >missing.py &&
		grep -h "No module named" "$name.bin" | grep -v "left out by --prune" |
			sort -u >missing.bin &&
		comm -13 missing.py missing.bin >more &&
		test_cmp /dev/null more &&
		test "$(ran "$name.bin")" = "$(ran "$name.py.out")" &&
		test "$(ran "$name.bin")" != "no run" &&
		rm -f "root/$name"
	'
done

test_done
