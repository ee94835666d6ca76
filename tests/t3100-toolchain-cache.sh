#!/usr/bin/env bash
# stick toolchain with tiny stand-in components (a C library and a fake
# "python"), so the caching rules run in seconds: reuse, a new key when a
# recipe or patch changes, failures that name the step and its log, and a
# build killed with -9 that is never mistaken for a finished toolchain.
. "$(dirname "$0")/lib.sh"

mkdir -p src tree/demo-1.0 tree/python-9.9.0 tree/musl-0.1
echo "stands in for musl" >tree/musl-0.1/README
echo 'int demo_answer(void) { return 42; }' >tree/demo-1.0/demo.c
printf '#!/bin/sh\n# stands in for the interpreter\necho sys\necho _demo\n' \
	>tree/python-9.9.0/python9.9
chmod +x tree/python-9.9.0/python9.9
echo 'int Py_Demo(void) { return 9; }' >tree/python-9.9.0/core.c
tar -C tree -czf src/demo-1.0.tar.gz demo-1.0
tar -C tree -czf src/python-9.9.0.tar.gz python-9.9.0
tar -C tree -czf src/musl-0.1.tar.gz musl-0.1

# The libc a musl toolchain builds first (kind sysroot): an empty sysroot
# is enough, since the stand-ins include no header and link nothing.
{
	echo "name musl"
	echo "version 0.1"
	echo "license MIT"
	echo "kind sysroot"
	echo "source musl-0.1.tar.gz $(sha256_of src/musl-0.1.tar.gz)"
	echo "step mkdir -p @PREFIX@/usr/include @PREFIX@/usr/lib"
} >data/thirdparty/musl

# demo_recipe [EXTRA STEP...]: the C library component.
demo_recipe() {
	{
		echo "name demo"
		echo "version 1.0"
		echo "license MIT"
		echo "source demo-1.0.tar.gz $(sha256_of src/demo-1.0.tar.gz)"
		echo "library libdemo.a"
		for s in "$@"; do echo "step $s"; done
		echo "step @CC@ -fPIC -c demo.c -o demo.o"
		echo "step ar rc libdemo.a demo.o"
		echo "step install -D -m 0644 libdemo.a @PREFIX@/lib/libdemo.a"
	} >data/thirdparty/demo
}
demo_recipe
{
	echo "name python"
	echo "version 9.9.0"
	echo "license PSF-2.0"
	echo "depends demo"
	echo "source python-9.9.0.tar.gz $(sha256_of src/python-9.9.0.tar.gz)"
	echo "library libpython9.9.a"
	echo "step mkdir -p @INSTALL@@PYPREFIX@/bin @INSTALL@@PYPREFIX@/lib"
	echo "step install -m 0755 python9.9 @INSTALL@@PYPREFIX@/bin/python9.9"
	echo "step @CC@ -fPIC -c core.c -o core.o"
	echo "step ar rc @INSTALL@@PYPREFIX@/lib/libpython9.9.a core.o"
	echo "module sys _demo"
} >data/thirdparty/python-9.9

tc() { "$STICK" toolchain --python 9.9 --sources src -j 2 "$@"; }

test_expect_success 'builds a toolchain and merges every library into one archive' '
	tc >out 2>err &&
	TC=$(cat out) &&
	test "$(dirname "$TC")" = "$STICK_HOME/toolchains" &&
	test_grep "building toolchain" err &&
	test_grep "\[1/7\] demo 1.0: @CC@ -fPIC -c demo.c" err &&
	test_grep "toolchain .* built in" err &&
	ar t "$TC/lib/libstickpython.a" >members &&
	test_grep -x core.o members && test_grep -x demo.o members &&
	test_grep "\"builtin_modules\": \[\"sys\", \"_demo\"\]" "$TC/manifest.json" &&
	test -f "$TC/build-logs/demo.log" &&
	! ls -d "$STICK_HOME"/toolchains/*.build 2>/dev/null
'

test_expect_success 'the same inputs reuse the toolchain without building' '
	first=$(tc 2>/dev/null) &&
	tc >out 2>err &&
	test "$(cat out)" = "$first" &&
	! test -s err
'

test_expect_success 'a changed recipe gives a new toolchain' '
	old=$(tc 2>/dev/null) &&
	demo_recipe "true" &&
	new=$(tc 2>/dev/null) &&
	test "$old" != "$new" && test -d "$old" && test -d "$new"
'

test_expect_success 'a new patch gives a new toolchain' '
	old=$(tc 2>/dev/null) &&
	mkdir -p data/patches/demo/1.0 &&
	printf "%s\n" "--- a/demo.c" "+++ b/demo.c" "@@ -1 +1 @@" \
		"-int demo_answer(void) { return 42; }" \
		"+int demo_answer(void) { return 43; }" \
		>data/patches/demo/1.0/0001-answer.patch &&
	new=$(tc 2>/dev/null) &&
	test "$old" != "$new"
'

test_expect_success 'a failing step names the component, the step and its log' '
	demo_recipe "sh -c \"echo compiler exploded >&2; exit 3\"" &&
	test_expect_code 1 tc >out 2>err &&
	test_grep "building demo 1.0 failed at .*exit 3" err &&
	test_grep "log: .*/logs/demo.log" err &&
	test_grep "compiler exploded" err &&
	! test -s out &&
	key=$(sed -n "s/^building toolchain \([^ ]*\) in.*/\1/p" err) &&
	test -n "$key" && ! test -e "$STICK_HOME/toolchains/$key"
'

test_expect_success 'a build killed with -9 is not taken for a finished one' '
	demo_recipe "sleep 3" &&
	{ "$STICK" toolchain --python 9.9 --sources src >out 2>err & } &&
	pid=$! &&
	for i in $(seq 100); do
		work=$(sed -n "s/^building toolchain [^ ]* in //p" err)
		test -n "$work" && grep -q "sleep 3" "$work/logs/demo.log" 2>/dev/null && break
		sleep 0.1
	done &&
	test -d "$work" &&
	kill -9 $pid &&
	{ wait $pid || true; } &&
	final=${work%.build} &&
	! test -e "$final" &&
	tc >out 2>err &&
	test "$(cat out)" = "$final" &&
	test -f "$final/manifest.json" &&
	! test -e "$work"
'

test_expect_success 'a build directory nobody is building any more is removed' '
	mkdir -p "$STICK_HOME/toolchains/9.9-musl-0123456789abcdef.build/src" &&
	tc >out 2>err &&
	! test -e "$STICK_HOME/toolchains/9.9-musl-0123456789abcdef.build"
'

test_expect_success 'stopping stick stops the build steps it started' '
	demo_recipe "sleep 47" &&
	{ "$STICK" toolchain --python 9.9 --sources src >out 2>err & } &&
	pid=$! &&
	for i in $(seq 100); do
		pgrep -f "^sleep 47" >/dev/null && break
		sleep 0.1
	done &&
	pgrep -f "^sleep 47" >/dev/null &&
	kill -TERM $pid &&
	{ wait $pid || true; } &&
	for i in $(seq 20); do
		pgrep -f "^sleep 47" >/dev/null || break
		sleep 0.1
	done &&
	! pgrep -f "^sleep 47"
'

test_expect_success '--pgo without a pgo: line in the recipes is refused' '
	demo_recipe &&
	test_expect_code 1 tc --pgo >out 2>err &&
	test_grep "python-9.9 have no --pgo build" err &&
	! test -s out
'

test_expect_success '--lto and --pgo build toolchains of their own from their lines' '
	{
		echo "lto:  step touch @INSTALL@@PYPREFIX@/lib/lto-marker"
		echo "pgo:  step touch @INSTALL@@PYPREFIX@/lib/pgo-marker"
		echo "!lto: step touch @INSTALL@@PYPREFIX@/lib/plain-marker"
	} >>data/thirdparty/python-9.9 &&
	plain=$(tc 2>/dev/null) && lto=$(tc --lto 2>/dev/null) &&
	pgo=$(tc --pgo 2>/dev/null) &&
	case "$plain" in */9.9-musl-????????????????) ;; *) false ;; esac &&
	case "$lto" in */9.9-musl-lto-*) ;; *) false ;; esac &&
	case "$pgo" in */9.9-musl-pgo-*) ;; *) false ;; esac &&
	ls "$plain/lib" "$lto/lib" "$pgo/lib" >ls &&
	test -f "$plain/lib/plain-marker" && ! test -e "$plain/lib/lto-marker" &&
	test -f "$lto/lib/lto-marker" && ! test -e "$lto/lib/pgo-marker" &&
	test -f "$pgo/lib/lto-marker" && test -f "$pgo/lib/pgo-marker" &&
	! test -e "$pgo/lib/plain-marker" &&
	test_grep "\"optimization\": \"default\"" "$plain/manifest.json" &&
	test_grep "\"optimization\": \"lto\"" "$lto/manifest.json" &&
	test_grep "\"optimization\": \"pgo+lto\"" "$pgo/manifest.json" &&
	test "$(tc --pgo 2>/dev/null)" = "$pgo"
'

test_expect_success 'a missing promised module fails the build' '
	demo_recipe &&
	echo "module _ssl" >>data/thirdparty/python-9.9 &&
	test_expect_code 1 tc >out 2>err &&
	test_grep "lacks built-in modules .* _ssl" err
'

test_expect_success 'a musl toolchain needs its libc recipe, of kind sysroot' '
	sed -i "/^module _ssl/d" data/thirdparty/python-9.9 &&
	mv data/thirdparty/musl musl.recipe &&
	test_expect_code 1 tc >out 2>err &&
	test_grep "musl" err &&
	! test -s out &&
	sed "/^kind/d" musl.recipe >data/thirdparty/musl &&
	test_expect_code 1 tc >out 2>err &&
	test_grep "thirdparty/musl: a musl toolchain.s libc must be a recipe of kind sysroot" err &&
	mv musl.recipe data/thirdparty/musl &&
	tc >out 2>err
'

# The aarch64 toolchain is cross-built after the x86_64 one of the same
# version; its failures must read like a native build's (issue 23). The
# stand-ins compile with the real cross compiler, so these need it.
if command -v aarch64-linux-gnu-gcc >/dev/null; then
test_expect_success 'a failing aarch64 build names the component, the step and its log' '
	demo_recipe &&
	echo "cross: env ac_cv_stand_in=yes" >>data/thirdparty/python-9.9 &&
	echo "cross: step sh -c \"echo cross compiler exploded >&2; exit 4\"" \
		>>data/thirdparty/demo &&
	native=$(tc 2>/dev/null) &&
	test_expect_code 1 tc --target aarch64-linux-musl >out 2>err &&
	test_grep "building demo 1.0 failed at .*exit 4" err &&
	test_grep "log: .*/logs/demo.log" err &&
	test_grep "last lines of .*demo.log" err &&
	test_grep "cross compiler exploded" err &&
	! test -s out &&
	key=$(sed -n "s/^building toolchain \(9.9-musl-aarch64-[^ ]*\) in.*/\1/p" err) &&
	test -n "$key" && ! test -e "$STICK_HOME/toolchains/$key" &&
	test -f "$STICK_HOME/toolchains/$key.build/logs/demo.log" &&
	test -f "$native/manifest.json"
'

test_expect_success 'stick build --target with a failing toolchain writes no output' '
	echo "print(1)" >app.py &&
	test_expect_code 1 "$STICK" build --python 9.9 --sources src \
		--target aarch64-linux-musl --script app.py -o app 2>err &&
	test_grep "building demo 1.0 failed at .*exit 4" err &&
	test_grep "log: .*/logs/demo.log" err &&
	! test -e app && ! ls -d app.* .app* 2>/dev/null | grep -v "^app.py$"
'

test_expect_success '--pgo and --lto are refused for a cross build' '
	test_expect_code 1 tc --target aarch64-linux-musl --pgo >out 2>err &&
	test_grep "not available for aarch64-linux-musl" err &&
	! test -s out &&
	sed -i "/^cross:/d" data/thirdparty/demo data/thirdparty/python-9.9
'
fi

test_expect_success 'unknown Python versions and bad options are refused' '
	test_expect_code 1 "$STICK" toolchain --python 2.7 2>err &&
	test_grep "unknown Python version .2.7." err &&
	test_expect_code 2 "$STICK" toolchain --libc bionic 2>err &&
	test_grep "musl or glibc" err &&
	test_expect_code 2 "$STICK" toolchain -j 0 2>err
'

test_done
