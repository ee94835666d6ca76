#!/usr/bin/env bash
# Reproducible builds: the same toolchain and the same application give
# byte-identical executables (and SBOMs, with SOURCE_DATE_EPOCH), whatever
# the directory the sources sit in, the work directory, STICK_HOME or the
# time of the build.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain

# make_app DIR: the same small application (a package with data, a
# dist-info and a frozenset constant, whose order depends on the hash
# seed) under DIR.
make_app() {
	mkdir -p "$1/lib/greet" "$1/lib/greet-2.1.dist-info" &&
	cat >"$1/lib/greet/__init__.py" <<-'EOF' &&
	import sys
	from importlib import resources
	WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta"}
	def main():
	    print(resources.files("greet").joinpath("hello.txt").read_text().strip(),
	          "beta" in WORDS, sys.argv[1:])
	EOF
	echo "hello from data" >"$1/lib/greet/hello.txt" &&
	printf 'Metadata-Version: 2.1\nName: greet\nVersion: 2.1\nLicense: MIT\n' \
		>"$1/lib/greet-2.1.dist-info/METADATA"
}

SQ="'"
TC=$($STICK -q toolchain --python $PY --sources "$SOURCES")
export SOURCE_DATE_EPOCH=1700000000

test_expect_success 'an app built twice in different places is byte-identical' '
	make_app one && make_app two &&
	(cd one && build --entry greet:main --path lib -o greet) &&
	test "$(./one/greet x)" = "hello from data True [${SQ}x${SQ}]" &&
	sleep 1.1 &&
	(cd two && build --entry greet:main --path "$TRASH/two/lib" -o greet) &&
	cmp one/greet two/greet &&
	cmp one/greet.sbom.json two/greet.sbom.json
'

# A second STICK_HOME holding the same toolchain (hard links, or a copy
# across file systems) freezes the stdlib again, in a new process, into
# another directory: the output must not change.
test_expect_success 'another STICK_HOME, stdlib frozen again: the same bytes' '
	mkdir -p home2/toolchains &&
	{ cp -al "$TC" home2/toolchains/ 2>/dev/null ||
	  cp -a "$TC" home2/toolchains/; } &&
	make_app three &&
	(cd three && STICK_HOME=$TRASH/home2 build --entry greet:main \
		--path lib -o greet) &&
	ls home2/stdlib >frozen && test "$(wc -l <frozen)" -eq 1 &&
	cmp one/greet three/greet &&
	cmp one/greet.sbom.json three/greet.sbom.json
'

test_expect_success 'the single-file interpreter is byte-identical too' '
	build -o py1 &&
	STICK_HOME=$TRASH/home2 build -o py2 &&
	cmp py1 py2 &&
	test "$(./py1 -c "print(6 * 7)")" = 42
'

test_expect_success 'no path of the build reaches the executable' '
	for p in "$TRASH" "$TOP" "$STICK_HOME/tmp" "$STICK_HOME/stdlib"; do
		if grep -c -F "$p" one/greet py1; then
			echo "found $p" >&2
			exit 1
		fi
	done
'

# The toolchain is built in $STICK_HOME/toolchains/KEY.build and renamed;
# neither that directory, nor STICK_HOME, nor the builder's HOME may be
# named by an output (OpenSSL's compiler line, sysconfig's -L flags...).
test_expect_success 'a hello binary names neither STICK_HOME, the build directory nor HOME' '
	echo "print(\"hello\")" >hello.py &&
	build --script hello.py -o hello &&
	test "$(./hello)" = hello &&
	for p in "$STICK_HOME" "$TC.build" "$HOME"; do
		case $p in /|"") continue ;; esac
		for f in hello py1; do
			n=$(grep -c -a -F -e "$p" "$f" || :)
			test "$n" = 0 || { echo "$f names $p $n times" >&2; exit 1; }
		done
	done
'

test_expect_success 'no file of the toolchain names its build directory' '
	test -d "$TC" &&
	{ grep -r -l -F -e "$TC.build" --exclude-dir=build-logs "$TC" >named || :; } &&
	{ ! test -s named || { cat named; false; }; }
'

test_expect_success 'a different application gives a different executable' '
	make_app four &&
	echo "extra = 1" >>four/lib/greet/__init__.py &&
	(cd four && build --entry greet:main --path lib -o greet) &&
	! cmp -s one/greet four/greet
'

test_expect_success 'SOURCE_DATE_EPOCH sets the SBOM creation time' '
	test_grep "\"created\": \"2023-11-14T22:13:20Z\"" one/greet.sbom.json
'

test_done
