#!/usr/bin/env bash
# Every kind of cache entry (the toolchain, the frozen stdlib, a C library,
# the embed/ objects, an extension build, a downloaded distribution, an
# extracted archive) is made in a temporary directory beside its final
# name and renamed into place (stick/util.h's cachedir, stickpy/cache.py).
# Here each builder is killed with -9 in the middle, once its temporary
# directory is there: the final name never appears half made, and the
# next run removes the temporary, makes the entry again and uses it.
#
# The killed stick runs under reaper.py, a child subreaper that kills
# what stick left running (make, the compiler, the helper), as a machine
# that went down would; the test waits for it. Nothing sleeps for a
# guessed time: each kill waits, polling at most a minute, for the
# temporary directory to appear (builds are slow enough that it is caught
# before they end; a build that ended first fails the test, saying so).
#
# The toolchain takes minutes to build: its builder is killed during its
# first component, in a fresh STICK_HOME with the sources of the real
# cache; the next run is shown to remove the dead one's KEY.build and to
# start building again, and is then killed too rather than waited for
# (t3100 rebuilds a killed toolchain of stand-in components to the end).
#
# The other kinds share one STICK_HOME of this test's own whose
# toolchains/ links to the cached toolchains, so their entries are all
# made fresh here and the user's cache is not touched.
. "$(dirname "$0")/lib.sh"

CACHE=$STICK_TEST_TOOLCHAIN_HOME
SOURCES=$CACHE/debian-sources
H=$TRASH/home
unset STICK_DATADIR

cat >reaper.py <<'PY'
# reaper.py PIDFILE CMD...: runs CMD, writes its pid to PIDFILE and, when
# CMD has ended, kills whatever it left running. CMD's own exit status
# goes to PIDFILE.exit unless CMD was killed.
import ctypes, os, signal, sys
ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
with open(sys.argv[1] + ".new", "w") as f:
    f.write(f"{pid}\n")
os.rename(sys.argv[1] + ".new", sys.argv[1])
status = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
if status != -signal.SIGKILL:
    with open(sys.argv[1] + ".exit", "w") as f:
        f.write(f"{status}\n")

def orphans():
    me, found = os.getpid(), []
    for p in os.listdir("/proc"):
        try:
            with open(f"/proc/{p}/stat") as f:
                ppid = int(f.read().rpartition(")")[2].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if ppid == me:
            found.append(int(p))
    return found

while kids := orphans():
    for k in kids:
        try:
            os.kill(k, signal.SIGKILL)
            os.waitpid(k, 0)
        except OSError:
            pass
sys.exit(137 if status == -signal.SIGKILL else status)
PY

# start NAME CMD...: CMD in the background under reaper.py, its output in
# NAME.out and NAME.err.
start() {
	name=$1
	shift
	rm -f "$name.pid" "$name.pid.exit"
	python3 reaper.py "$name.pid" "$@" >"$name.out" 2>"$name.err" &
	reaper=$!
}

# kill_when CMD...: once CMD succeeds, kill -9 what start started and wait
# until nothing it ran is left. Fails when it ended first or CMD never
# succeeded within a minute.
kill_when() {
	for _ in $(seq 6000); do
		if test -e "$name.pid.exit"; then
			echo "$name ended (exit $(cat "$name.pid.exit")) before: $*" >&2
			cat "$name.err" >&2
			wait "$reaper"
			return 1
		fi
		if test -s "$name.pid" && "$@"; then
			kill -9 "$(cat "$name.pid")"
			wait "$reaper"
			test $? = 137
			return
		fi
		sleep 0.01
	done
	echo "timed out waiting for: $*" >&2
	test -s "$name.pid" && kill -9 "$(cat "$name.pid")"
	wait "$reaper"
	return 1
}

# exists GLOB: something matches the shell pattern.
exists() {
	for f in $1; do
		test -e "$f" && return 0
	done
	return 1
}

# entries DIR: its entries, but for the lock directory and temporaries.
entries() { ls "$1" | grep -v -e '\.tmp\.' -e '\.log$' || :; }

mkdir -p "$H/toolchains"
for tc in "$CACHE"/toolchains/*-*-*; do
	case "$tc" in *.build | *.tmp.*) continue ;; esac
	test -d "$tc" && ln -s "$tc" "$H/toolchains/"
done
# The toolchain these sources make (the cache may hold older ones).
TC=$(env -u STICK_DATADIR STICK_HOME="$CACHE" "$STICK" -q toolchain --python "$PY" --sources "$SOURCES" 2>/dev/null) &&
	TC=$H/toolchains/$(basename "$TC")
echo 'print("hello")' >hello.py
# sb ARGS...: stick build in the test's home.
sb() { "$STICK" build --python "$PY" --sources "$SOURCES" "$@"; }

if [ -z "$TC" ] || ! test -d "$SOURCES"; then
	test_skip 'killed cache builders' "no $PY musl toolchain in $CACHE yet"
	test_done
fi

test_expect_success 'toolchain: a killed build is never taken for a toolchain; the next one clears it and starts again' '
	export STICK_HOME=$TRASH/tchome &&
	tc="$STICK toolchain --python $PY --sources $SOURCES -j 2" &&
	start tc1 $tc &&
	kill_when exists "$STICK_HOME/toolchains/*.build/logs/*.log" &&
	work=$(ls -d "$STICK_HOME"/toolchains/*.build) &&
	final=${work%.build} &&
	! test -e "$final" &&
	touch "$work/left-by-the-killed-build" &&
	start tc2 "$STICK" -v toolchain --python "$PY" --sources "$SOURCES" -j 2 &&
	kill_when eval "grep -q \"^building toolchain .* in $work\$\" tc2.err && exists \"$work/logs/*.log\"" &&
	test_grep "removing .$work., left by an interrupted stick" tc2.err &&
	! test -e "$work/left-by-the-killed-build" &&
	! test -e "$final"
'

test_expect_success 'stdlib: a killed freeze leaves no entry; the next build freezes it again' '
	start st1 "$STICK" build --python "$PY" --sources "$SOURCES" --script hello.py -o h1 &&
	kill_when exists "$H/stdlib/*.tmp.*" &&
	test -z "$(entries "$H/stdlib")" &&
	! test -e h1 &&
	sb --script hello.py -o h1 2>err &&
	test_grep "^freeze the Python $PY stdlib \.\.\. " err &&
	test -n "$(entries "$H/stdlib")" &&
	! exists "$H/stdlib/*.tmp.*" &&
	in_root h1 >out && test "$(cat out)" = hello
'

test_expect_success 'embed objects: a killed compile leaves no entry; the next build compiles them again' '
	# A data directory whose embed/ compiles slowly: a new entry, and a
	# compile long enough to be caught in the middle.
	mkdir -p data/stick &&
	cp -r "$TOP/thirdparty" "$TOP/patches" "$TOP/embed" data/ &&
	cp -r "$TOP/stick/stickpy" data/stick/ &&
	python3 -c "for i in range(800): print(f\"int t3150_pad_{i}(int x);\nint t3150_pad_{i}(int x) {{ int s = 0; for (int k = 0; k < x; k++) s += k * {i} ^ (s >> 3); return s; }}\")" \
		>>data/embed/malloc.c &&
	export STICK_DATADIR=$TRASH/data &&
	embed=$H/embed/$(basename "$TC") &&
	entries "$embed" >before &&
	start em1 "$STICK" build --python "$PY" --sources "$SOURCES" \
		--script hello.py -o h2 &&
	kill_when exists "$embed/*.tmp.*" &&
	entries "$embed" >after &&
	test_cmp before after &&
	! test -e h2 &&
	sb -v --script hello.py -o h2 2>err &&
	test_grep "^compiling embed/ into the cache $embed/" err &&
	! exists "$embed/*.tmp.*" &&
	entries "$embed" >after &&
	test "$(comm -13 before after | wc -l)" = 1 &&
	in_root h2 >out && test "$(cat out)" = hello
'

# test-tool lives in tests/helper/, where no recipes are: it is told.
test_expect_success 'clib: a killed libyaml build leaves no entry; the next run builds it' '
	export STICK_DATADIR=$TOP &&
	start cl1 "$TOP/tests/helper/test-tool" clib --toolchain "$TC" --sources "$SOURCES" libyaml &&
	kill_when exists "$H/clibs/*/libyaml-*.tmp.*" &&
	dir=$(dirname "$(ls -d "$H"/clibs/*/libyaml-*.tmp.*)") &&
	test -z "$(entries "$dir")" &&
	"$TOP/tests/helper/test-tool" clib --toolchain "$TC" --sources "$SOURCES" libyaml >out 2>err &&
	test_grep "^build C library libyaml " err &&
	prefix=$(sed -n "s/^libyaml //p" out) &&
	test -f "$prefix/lib/libyaml.a" && test -f "$prefix/include/yaml.h" &&
	! exists "$dir/*.tmp.*" &&
	test "$(entries "$dir")" = "$(basename "$prefix")" &&
	unset STICK_DATADIR
'

sdist=$SOURCES/$(awk '$1 == "source" { print $2; exit }' "$TOP/tests/sdists/markupsafe-3.0.3")
echo 'import markupsafe; print(markupsafe.escape("<hi>"))' >ms.py

test_expect_success 'extension build: a killed build of markupsafe leaves no entry; the next build makes it' '
	start ex1 "$STICK" build --python "$PY" --sources "$SOURCES" \
		--sdist "$sdist" --script ms.py -o ms &&
	kill_when exists "$H/extensions/*/*.tmp.*" &&
	dir=$(dirname "$(ls -d "$H"/extensions/*/*.tmp.*)") &&
	test -z "$(entries "$dir")" &&
	! test -e ms &&
	sb --sdist "$sdist" --script ms.py -o ms 2>err &&
	test -n "$(entries "$dir")" &&
	! exists "$dir/*.tmp.*" &&
	in_root ms >out && test "$(cat out)" = "&lt;hi&gt;"
'

# A 3 MB file served in 16 KiB pieces 20 ms apart: about 4 seconds.
mkdir -p www && head -c 3000000 /dev/urandom >www/blob-1.0.tar.gz
sha=$(sha256_of www/blob-1.0.tar.gz)
start_httpd "$TRASH/www" --delay-ms 20

test_expect_success 'dists: a killed download leaves no entry; the next fetch downloads and verifies it' '
	cat >fetch.py <<-PY &&
	import sys
	from stickpy import deps
	d = deps.Dist("blob", "1.0", "sdist", "blob-1.0.tar.gz", "$sha",
	              url="$HTTPD_URL/blob-1.0.tar.gz")
	print(deps.fetch(d, "$TRASH/dhome").cached)
	PY
	export PYTHONPATH=$TOP/stick &&
	start di1 python3 fetch.py &&
	kill_when eval "test -s $TRASH/dhome/dists/$sha.tmp.*/blob-1.0.tar.gz" &&
	! test -e "dhome/dists/$sha" &&
	python3 fetch.py >out 2>err &&
	test "$(cat out)" = "$TRASH/dhome/dists/$sha/blob-1.0.tar.gz" &&
	test "$(sha256_of "$(cat out)")" = "$sha" &&
	! exists "dhome/dists/*.tmp.*"
'

test_expect_success 'extraction: a killed unpack leaves no directory; the next one unpacks all of it' '
	export STICK_DATADIR=$TRASH/xdata &&
	mkdir -p xdata/thirdparty xdata/patches src tree/demo-1.0 &&
	python3 -c "
import os
for d in range(100):
    os.makedirs(f\"tree/demo-1.0/d{d}\")
    for f in range(200):
        with open(f\"tree/demo-1.0/d{d}/f{f}\", \"w\") as o:
            o.write(f\"{d} {f}\n\")" &&
	tar -C tree -czf src/demo-1.0.tar.gz demo-1.0 &&
	write_recipe demo 1.0 src/demo-1.0.tar.gz &&
	start un1 "$STICK" -q unpack --sources src demo tree-out &&
	kill_when eval "test \"\$(ls tree-out.part/demo-1.0 2>/dev/null | wc -l)\" -ge 2" &&
	! test -e tree-out && test -d tree-out.part &&
	"$STICK" -q unpack --sources src demo tree-out &&
	! test -e tree-out.part &&
	test "$(find tree-out -type f | wc -l)" = 20000 &&
	test "$(cat tree-out/d99/f199)" = "99 199"
'

test_done
