#!/usr/bin/env bash
# The unit tests of stick's Python helper (stick/stickpy), in
# tests/python/test_*.py: one TAP line per test case. They run in the
# interpreter that runs the helper: the musl toolchain this stick builds
# (asked of bin/stick when a $PY toolchain is cached, where the build
# tests find it; a cache also holds toolchains of older recipes, whose
# stdlib differs), or the host's python3 when none is built yet.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${STICK_TEST_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/stick}
PY=${STICK_TEST_PYTHON:-3.13}

python=
if [ -x "$TOP/bin/stick" ] &&
	ls "$CACHE"/toolchains/"$PY"-musl-*/bin/python"$PY" >/dev/null 2>&1; then
	dir=$(STICK_HOME=$CACHE "$TOP/bin/stick" -q toolchain --python "$PY" \
		2>/dev/null) && python=$dir/bin/python$PY
fi
if [ -n "$python" ]; then
	echo "# the toolchain's interpreter: $python"
	set -- "$python" -I -S
else
	echo "# no cached $PY toolchain: the host's python3"
	set -- python3 -I -S
fi
TMPDIR=$(mktemp -d) || exit 1
export TMPDIR
"$@" "$TOP/tests/python/tap.py"
status=$?
rm -rf "$TMPDIR"
exit $status
