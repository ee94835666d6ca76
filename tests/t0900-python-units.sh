#!/usr/bin/env bash
# The unit tests of stick's Python helper (stick/stickpy), in
# tests/python/test_*.py: one TAP line per test case. They run in the
# interpreter that runs the helper, the cached musl toolchain's (found,
# read-only, where the build tests find it), or in the host's python3 when
# no toolchain is built yet.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${STICK_TEST_TOOLCHAIN_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/stick}
PY=${STICK_TEST_PYTHON:-3.13}

python=
for dir in "$CACHE"/toolchains/"$PY"-musl-*; do
	case "$dir" in *.build | *.tmp.*) continue ;; esac
	[ -x "$dir/bin/python$PY" ] && python=$dir/bin/python$PY
done
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
