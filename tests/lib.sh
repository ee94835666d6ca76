# A tiny test library for stick's end-to-end tests, sourced by tests/t*.sh.
#
#   . "$(dirname "$0")/lib.sh"
#   test_expect_success 'what it shows' 'commands'
#   test_done
#
# Each script runs in its own empty directory $TRASH (removed at the end
# unless STICK_TEST_KEEP=1), with STICK_HOME and STICK_DATADIR inside it so
# no test touches the user's cache. The one exception: a test that needs a
# real toolchain (minutes to build) calls use_cached_toolchain, which
# points STICK_HOME at $STICK_TEST_TOOLCHAIN_HOME (below). A script prints
# one "ok N - ..." or "not ok N - ..." line per test and exits non-zero
# when any failed; the runner counts these lines.

set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
# make test-asan runs the tests with bin/stick-asan (tests/fuzz/test-asan.sh).
STICK=${STICK_TEST_BINARY:-$TOP/bin/stick}
TEST_NAME=$(basename "$0" .sh)
TRASH=${STICK_TEST_TMP:-${TMPDIR:-/tmp}}/stick-test.$TEST_NAME.$$
rm -rf "$TRASH"
mkdir -p "$TRASH/home" "$TRASH/data/thirdparty" "$TRASH/data/patches"
export STICK_HOME=$TRASH/home
export STICK_DATADIR=$TRASH/data
unset STICK_MIRROR
cd "$TRASH" || exit 1

# Where the toolchain tests find a built toolchain and its sources
# (debian-sources/, from scripts/fetch-sources): the stick cache that
# scripts/setup fills, ~/.cache/stick, unless set. Those tests build
# their outputs in $TRASH; stick adds to this cache only what a build
# caches anyway (the frozen stdlib, a missing toolchain).
STICK_TEST_TOOLCHAIN_HOME=${STICK_TEST_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/stick}
PY=${STICK_TEST_PYTHON:-3.13}
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)

test_count=0
test_failed=0
test_skipped=0
HTTPD_PID=

say() { printf '%s\n' "$*"; }

# Runs the code in a subshell with its output in $TRASH/.out; shows the
# output when the test fails (or always with STICK_TEST_VERBOSE=1).
test_expect_success() {
	test_count=$((test_count + 1))
	if (eval "set -e; $2") >"$TRASH/.out" 2>&1; then
		say "ok $test_count - $1"
		[ "${STICK_TEST_VERBOSE:-0}" = 1 ] && sed 's/^/#   /' "$TRASH/.out"
	else
		test_failed=$((test_failed + 1))
		say "not ok $test_count - $1"
		sed 's/^/#   /' "$TRASH/.out" | tail -n 40
	fi
	return 0
}

test_skip() {
	test_count=$((test_count + 1))
	test_skipped=$((test_skipped + 1))
	say "ok $test_count # skip $1 ($2)"
}

# Succeeds when the command fails normally (exit 1..125), not by a signal.
test_must_fail() {
	"$@"
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "test_must_fail: '$*' succeeded" >&2
		return 1
	elif [ $rc -gt 125 ]; then
		echo "test_must_fail: '$*' died with status $rc" >&2
		return 1
	fi
	return 0
}

# Succeeds when the command exits with exactly status $1.
test_expect_code() {
	want=$1
	shift
	"$@"
	rc=$?
	if [ $rc -ne "$want" ]; then
		echo "expected exit $want from '$*', got $rc" >&2
		return 1
	fi
	return 0
}

# default_signals CMD...: runs CMD with SIGINT and SIGQUIT at their default
# actions. A script started in the background by a non-interactive shell
# has them ignored, and children inherit that: Ctrl-C tests would hang.
default_signals() {
	python3 -c 'import os, signal, sys
for s in (signal.SIGINT, signal.SIGQUIT):
    signal.signal(s, signal.SIG_DFL)
os.execvp(sys.argv[1], sys.argv[1:])' "$@"
}

# test_cmp EXPECTED ACTUAL: the files are equal, or their diff is shown.
test_cmp() {
	diff -u "$@"
}

# grep that shows the file when the pattern is missing.
test_grep() {
	if ! grep "$@"; then
		eval "last=\${$#}"
		echo "pattern not found; the file '$last' holds:" >&2
		cat "$last" >&2 2>/dev/null
		return 1
	fi
}

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# start_httpd ROOT [httpd options]: serves ROOT on 127.0.0.1.
start_httpd() {
	root=$1
	shift
	rm -f "$TRASH/.httpd.port"
	HTTPD_LOG=$TRASH/httpd.log
	: >"$HTTPD_LOG"
	"$TOP/tests/httpd" --root "$root" --port-file "$TRASH/.httpd.port" \
		--log "$HTTPD_LOG" "$@" &
	HTTPD_PID=$!
	for _ in $(seq 100); do
		[ -s "$TRASH/.httpd.port" ] && break
		sleep 0.05
	done
	HTTPD_PORT=$(cat "$TRASH/.httpd.port" 2>/dev/null) || {
		echo "httpd did not start" >&2
		return 1
	}
	HTTPD_URL=http://127.0.0.1:$HTTPD_PORT
}

stop_httpd() {
	if [ -n "$HTTPD_PID" ]; then
		kill "$HTTPD_PID" 2>/dev/null
		wait "$HTTPD_PID" 2>/dev/null
		HTTPD_PID=
	fi
}

# A port on 127.0.0.1 that nothing listens on: a server of its own,
# started and stopped (it leaves a running start_httpd server alone).
closed_port() {
	pf=$TRASH/.closed.port
	rm -f "$pf"
	"$TOP/tests/httpd" --root "$TRASH" --port-file "$pf" &
	pid=$!
	for _ in $(seq 100); do
		[ -s "$pf" ] && break
		sleep 0.05
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	cat "$pf"
}

# make_tarball DIR NAME SIZE: DIR/NAME.tar.gz, holding SIZE random bytes.
make_tarball() {
	mkdir -p "tree/$2" "$1" &&
	head -c "$3" /dev/urandom >"tree/$2/data.bin" &&
	echo "$2" >"tree/$2/README" &&
	tar -C tree -czf "$1/$2.tar.gz" "$2"
}

# fetch_ok ARGS...: stick fetch ARGS >out 2>err, showing err when it fails.
fetch_ok() {
	"$STICK" fetch "$@" >out 2>err || { cat err >&2; return 1; }
}

# write_recipe NAME VERSION FILE [URL...]: a recipe for one tarball.
write_recipe() {
	name=$1 version=$2 file=$3
	shift 3
	{
		echo "name $name"
		echo "version $version"
		echo "license MIT"
		echo "source $(basename "$file") $(sha256_of "$file")"
		for url in "$@"; do echo "url $url"; done
	} >"$STICK_DATADIR/thirdparty/$name"
}

# use_cached_toolchain: stick uses the toolchains in
# $STICK_TEST_TOOLCHAIN_HOME and the checkout's recipes; SOURCES is that
# cache's debian-sources/.
use_cached_toolchain() {
	export STICK_HOME=$STICK_TEST_TOOLCHAIN_HOME
	unset STICK_DATADIR
	SOURCES=$STICK_HOME/debian-sources
}

# share_cache DIR...: after use_cached_toolchain, STICK_HOME becomes a
# home of the test's own that shares only the named directories of the
# toolchain cache (as links, kept in SHARED_HOME): what else the test
# builds (dists/, pip/, extensions/, ...) starts cold, and the tests that
# run beside it never write into it.
share_cache() {
	SHARED_HOME=$STICK_HOME
	export STICK_HOME=$TRASH/home
	mkdir -p "$STICK_HOME" || return 1
	for d in "$@"; do
		mkdir -p "$SHARED_HOME/$d" &&
			ln -s "$SHARED_HOME/$d" "$STICK_HOME/$d" || return 1
	done
}

# no_host_pip: the host's pip settings out of the way (every PIP_*
# variable, configuration files), and no retries: a test's pip sees only
# the indexes and options it is given.
no_host_pip() {
	# shellcheck disable=SC2046
	unset $(env | sed -n 's/^\(PIP_[A-Z_]*\)=.*/\1/p')
	export PIP_CONFIG_FILE=/dev/null PIP_RETRIES=0 PIP_TIMEOUT=5
}

# build ARGS...: stick -q build with $PY and $SOURCES (use_cached_toolchain).
build() { "$STICK" -q build --python "$PY" --sources "$SOURCES" "$@"; }

# in_root FILE ARGS...: FILE run as /app in a fresh root with nothing else
# (chroot, env -i), except the files under $ROOT_FILES when that is set.
in_root() {
	rm -rf root && mkdir root && cp "$1" root/app && shift &&
	if [ -n "${ROOT_FILES:-}" ]; then cp -r "$ROOT_FILES"/. root/; fi &&
	env -i "$CHROOT" "$TRASH/root" /app "$@"
}

# in_ro_root FILE ARGS...: FILE run as /app (chroot, env -i) in a root
# that is a read-only bind mount of a directory holding only FILE (and
# the files under $ROOT_FILES when that is set): no HOME, no /tmp, every
# write fails with EROFS. With $RO_OUT set, that
# directory is mounted writable at /out inside it. $RO_WRAP (a command
# and its arguments, e.g. strace -o LOG) runs in front of chroot. The
# mounts are gone again when it returns.
in_ro_root() {
	rm -rf root ro && mkdir root ro && cp "$1" root/app && shift &&
	if [ -n "${ROOT_FILES:-}" ]; then cp -r "$ROOT_FILES"/. root/; fi &&
	if [ -n "${RO_OUT:-}" ]; then mkdir root/out; fi &&
	mount --bind -o ro root ro || return 1
	if touch ro/.probe 2>/dev/null; then
		umount ro; echo "in_ro_root: the bind mount is writable" >&2
		return 1
	fi
	if [ -n "${RO_OUT:-}" ] && ! mount --bind "$RO_OUT" ro/out; then
		umount ro; return 1
	fi
	env -i ${RO_WRAP:-} "$CHROOT" "$TRASH/ro" /app "$@"
	ro_status=$?
	if [ -n "${RO_OUT:-}" ]; then umount ro/out; fi
	umount ro
	return $ro_status
}

test_done() {
	stop_httpd
	cd "$TOP" || true
	[ "${STICK_TEST_KEEP:-0}" = 1 ] || rm -rf "$TRASH"
	say "# $TEST_NAME: $test_count tests, $test_failed failed, $test_skipped skipped"
	[ $test_failed -eq 0 ]
	exit $?
}

trap 'stop_httpd' EXIT

# This machine's kernel has AF_VSOCK but no loopback transport: the VSOCK
# stream test fails (3.13) or hangs (3.11) on any build, stock ones too.
REGRTEST_IGNORE="*ThreadedVSOCKSocketStreamTest*"

# run_regrtest LOG JUNIT PYTHON [ENV...] -- [TEST...]: CPython's test suite
# (the named test files, or all of them) run by PYTHON with -j2 in a clean
# environment (its own HOME under $TRASH), its output in LOG, its JUnit
# report in JUNIT. A runaway test must fail, not exhaust the machine's
# memory: 6 GB of virtual memory at most; a test file taking longer than
# $REGRTEST_TIMEOUT seconds (default 900) fails.
run_regrtest() {
	rlog=$1 rjunit=$2 rpython=$3
	shift 3
	renv=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do renv+=("$1"); shift; done
	shift
	rhome=$TRASH/home-$(basename "$rjunit" .xml)
	mkdir -p "$rhome"
	( ulimit -v 6000000
	  default_signals env -i PATH=/usr/bin:/bin HOME="$rhome" \
		${renv[@]+"${renv[@]}"} "$rpython" -m test -j2 \
		--timeout "${REGRTEST_TIMEOUT:-900}" \
		-i "$REGRTEST_IGNORE" --junit-xml "$rjunit" "$@" ) >"$rlog" 2>&1
	sed -n "/== Tests result/,\$p" "$rlog"
}
