#!/usr/bin/env bash
# The embed/ objects every output links (app.c, startup.c, ...) are
# compiled once per toolchain into $STICK_HOME/embed/<key>/<digest>: a
# warm build takes them from there without running the compiler on
# embed/, an edited embed/ file compiles a new entry, and a failed compile
# leaves none. The application's generated table is cached by its bytes
# in $STICK_HOME/embed/<key>/tables/. The data directory is a copy of the checkout's whose embed/
# carries a comment unique to this run, so its entries are this test's
# own (removed at the end) and a comment changes no object's bytes.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
export STICK_DATADIR=$TRASH/data
rm -rf data && mkdir data &&
mkdir data/stick &&
cp -r "$TOP/thirdparty" "$TOP/patches" "$TOP/embed" data/ &&
cp -r "$TOP/stick/stickpy" data/stick/ &&
NONCE="t4120 $$ $(date +%s%N)" &&
echo "/* $NONCE */" >>data/embed/malloc.c
echo 'print("hello")' >hello.py

# vbuild ARGS...: stick -v build, its messages in err (and all.err).
vbuild() {
	"$STICK" -v build --python "$PY" --sources "$SOURCES" "$@" 2>err
	rc=$?
	cat err >>all.err
	return $rc
}
# The cache entry a -v build's messages in err name.
entry_of() { sed -n "s/^.*embed\/.* the cache \(\/.*\)$/\1/p" err | head -n 1; }
entries=

test_expect_success 'a first build compiles embed/ into a new cache entry' '
	vbuild --script hello.py -o h1 >/dev/null &&
	test_grep "compiling embed/ into the cache $STICK_HOME/embed/3" err &&
	test_grep "^app.c compiled into the cache $STICK_HOME/embed/" err &&
	entry=$(entry_of) && echo "$entry" >entry1 &&
	for f in app.c startup.c stickmodule.c malloc.c; do
		test -s "$entry/$f.o" || return 1
	done &&
	test "$(in_root h1)" = hello
'
entries=$(cat entry1 2>/dev/null)

test_expect_success 'a warm build links the cached objects, compiling no embed/' '
	entry=$(cat entry1) &&
	stat -c "%i %Y" "$entry"/*.o >before &&
	vbuild --script hello.py -o h2 >/dev/null &&
	test_grep -x "embed/ objects from the cache $entry" err &&
	! grep "compiling embed/" err &&
	test_grep "^app.c from the cache $STICK_HOME/embed/.*/tables/" err &&
	stat -c "%i %Y" "$entry"/*.o >after &&
	test_cmp before after &&
	cmp h1 h2
'

test_expect_success 'the output equals one built from the unedited checkout' '
	STICK_DATADIR= build --script hello.py -o h3 >/dev/null &&
	cmp h1 h3
'

test_expect_success 'an edited embed/ header compiles a new entry' '
	echo "/* $NONCE header */" >>data/embed/startup.h &&
	vbuild --script hello.py -o h4 >/dev/null &&
	test_grep "compiling embed/ into the cache" err &&
	entry=$(entry_of) && echo "$entry" >entry2 &&
	test "$entry" != "$(cat entry1)" && test -d "$entry" &&
	cmp h1 h4
'
entries="$entries $(cat entry2 2>/dev/null)"

test_expect_success 'a failed embed/ compile leaves no cache entry' '
	echo "#error $NONCE" >>data/embed/malloc.c &&
	test_must_fail vbuild --script hello.py -o h5 >/dev/null &&
	test_grep "compiling embed/ failed" err &&
	test_grep "#error $NONCE" err &&
	entry=$(entry_of) && echo "$entry" >entry3 &&
	test -n "$entry" && ! test -e "$entry" &&
	! ls -a "$(dirname "$entry")" | grep "\.tmp\." &&
	! test -e h5
'
entries="$entries $(cat entry3 2>/dev/null)"

# This run's tables: their keys cover embed/, which carries the nonce.
entries="$entries $(sed -n "s/^.* the cache \(\/.*\/tables\/.*\.o\)$/\1/p" all.err 2>/dev/null)"
# The work directory the failed build kept for its log.
entries="$entries $(sed -n "s/^.*; log: \(\/.*\)\/link.log$/\1/p" all.err 2>/dev/null)"
for e in $entries; do
	case $e in
	"$STICK_HOME"/embed/*) rm -rf "$e" "$e.lock" ;;
	"$STICK_HOME"/tmp/build.*) rm -rf "$e" ;;
	esac
done
test_done
