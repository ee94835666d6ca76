#!/usr/bin/env bash
# make install: the driver and its data (recipes, patches, embed/, the
# Python helpers) under PREFIX, found by the installed binary itself, so
# an installed stick builds an app from any directory, also after the
# whole installed tree was moved (DESTDIR staging).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
echo 'print("hello from an installed stick")' >hello.py

test_expect_success 'make install puts the driver and its data under PREFIX' '
	make -s -C "$TOP" install DESTDIR="$TRASH/stage" PREFIX=/opt/stick >out 2>&1 &&
	test -x stage/opt/stick/bin/stick &&
	test -f stage/opt/stick/share/stick/thirdparty/python-$PY &&
	test -d stage/opt/stick/share/stick/patches/python &&
	test -f stage/opt/stick/share/stick/embed/app.c &&
	test -f stage/opt/stick/share/stick/stick/stickpy/__main__.py &&
	! test -e stage/opt/stick/share/stick/scripts/setup
'

# What the driver reads at run time, and nothing else: the recipes (not
# their README), the patches, embed/ and the helper package; no developer
# scripts, documentation, tests or byte-code caches.
test_expect_success 'it installs exactly the driver and what it reads' '
	{
		echo bin/stick &&
		git -C "$TOP" ls-files thirdparty patches embed stick/stickpy |
			grep -v "\.md\$" | sed "s|^|share/stick/|"
	} | sort >expected &&
	(cd stage/opt/stick && find . -type f | sed "s|^\./||" | sort) >actual &&
	test_cmp expected actual &&
	test "$(stat -c %a stage/opt/stick/bin/stick)" = 755
'

test_expect_success 'the moved installation builds hello from another directory' '
	mv stage/opt/stick installed && mkdir elsewhere &&
	(cd elsewhere && "$TRASH/installed/bin/stick" -q build --python "$PY" \
		--sources "$SOURCES" --script ../hello.py -o hello) &&
	in_root elsewhere/hello >out &&
	test "$(cat out)" = "hello from an installed stick"
'

test_expect_success 'it is byte-identical to the one the checkout builds' '
	build --script hello.py -o hello-checkout &&
	cmp hello-checkout elsewhere/hello
'

test_expect_success 'without its data, the installed stick says what to do' '
	mv installed/share/stick data-away &&
	test_expect_code 1 installed/bin/stick -q build --script hello.py \
		-o nothing 2>err &&
	test_grep "cannot find stick.s recipes" err &&
	test_grep "make install" err && ! test -e nothing &&
	mv data-away installed/share/stick
'

test_expect_success 'make uninstall removes both' '
	make -s -C "$TOP" uninstall DESTDIR="$TRASH/installed" PREFIX= &&
	! test -e installed/bin/stick && ! test -e installed/share/stick
'

test_done
