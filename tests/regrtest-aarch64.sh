#!/usr/bin/env bash
# `make regrtest-aarch64`: a slice of CPython's test suite (the files in
# $TESTS below, or $REGRTEST_AARCH64_TESTS) run by the aarch64 single-file
# interpreter (`stick build --target aarch64-linux-musl --include-tests`)
# under qemu-user, in one process: without a binfmt registration (none is
# made or needed) a child process cannot start the aarch64 binary, so
# regrtest runs without -j, and the tests that start sys.executable fail.
# Every failure must be listed, with its reason, in
# tests/toolchain/regrtest-expected-aarch64 (qemu artefacts named as
# such). Not part of `make test`: qemu runs the slice in about 40 minutes.
# The log and JUnit report are kept in tests/out/regrtest/.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
T=aarch64-linux-musl
QEMU=$(command -v qemu-aarch64-static || echo /usr/bin/qemu-aarch64-static)
OUT=$TOP/tests/out/regrtest
mkdir -p "$OUT"
TESTS=${REGRTEST_AARCH64_TESTS:-"test_ssl test_sqlite3 test_ctypes
test_socket test_threading test_decimal test_hashlib test_json test_zlib
test_bz2 test_lzma test_math test_cmath test_struct test_array test_bytes
test_str test_re test_datetime test_time test_float test_long test_int
test_complex test_dict test_set test_list test_codecs test_pickle test_csv
test_base64 test_binascii test_itertools test_functools test_collections
test_random test_statistics test_fractions test_enum test_dataclasses
test_zoneinfo test_uuid test_os test_fcntl test_select test_mmap
test_tarfile test_zipfile test_gzip test_pyexpat test_unicodedata
test_memoryview test_sort test_exceptions test_sys test_hmac test_secrets
test_ipaddress"}
# Left out: test_xml_etree, which in one process swaps the ElementTree
# module and so breaks regrtest's own JUnit report ("expected an
# Element, not Element"), and test_asyncio, most of whose 30 files start
# subprocesses (see above) and which alone takes longer than the rest.

if ! grep -qw localhost /etc/hosts 2>/dev/null; then
	test_skip 'the aarch64 regrtest slice fails only where expected' 'no localhost in /etc/hosts'
	test_done
fi

test_expect_success 'the aarch64 --include-tests interpreter fails only where expected' '
	$STICK -q build --python "$PY" --target $T --include-tests \
		--sources "$SOURCES" -o "$TRASH/python" >/dev/null &&
	base=$OUT/$PY-aarch64 && home=$TRASH/home-regrtest && mkdir -p "$home" &&
	start=$(date +%s) &&
	{ ( ulimit -v 8000000
	    default_signals env -i PATH=/usr/bin:/bin HOME="$home" \
		"$QEMU" "$TRASH/python" -m test --timeout "${REGRTEST_TIMEOUT:-1800}" \
		-i "$REGRTEST_IGNORE" --junit-xml "$base.xml" $TESTS ) >"$base.log" 2>&1; true; } &&
	echo "# $PY aarch64: $(( $(date +%s) - start ))s" >"$base.time" &&
	sed -n "/== Tests result/,\$p" "$base.log" &&
	python3 "$TOP/tests/toolchain/regrtest_check.py" "$base.xml" \
		"$TOP/tests/toolchain/regrtest-expected-aarch64" "$base.log" \
		--as aarch64 --min-cases 4000 >"$base.summary"; rc=$? &&
	cat "$base.summary" && cat "$base.time" && test $rc = 0
'

test_done
