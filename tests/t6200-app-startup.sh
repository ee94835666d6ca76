#!/usr/bin/env bash
# What an isolated application starts with: no site (it would find
# nothing, and costs a third of the start-up), but the builtins site adds;
# start-up objects frozen out of the garbage collector (gc.freeze());
# UTF-8 stdio and argv under env -i, as python3 has in the C locale.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain

cat >app.py <<'PYEOF'
import gc, sys
print("site" in sys.modules, "os" in sys.modules, sys.flags.no_site)
print("frozen objects:", gc.get_freeze_count() > 1000)
print(type(exit).__name__, type(quit).__name__, type(help).__name__)
print(repr(license).startswith("See https://www.python.org"), "Python" in repr(copyright))
print(sys.stdout.encoding, sys.getfilesystemencoding(), sys.argv[1:])
print("\u00e9\u4e2d")
exit(int(sys.argv[1]) if sys.argv[1:2] == ["5"] else 0)
PYEOF

test_expect_success 'an isolated app starts without site, with its builtins' '
	build --script app.py -o app &&
	test_expect_code 5 env -i ./app 5 >out &&
	cat out &&
	test_grep -x "False False 1" out &&
	test_grep -x "frozen objects: True" out &&
	test_grep -x "Quitter Quitter _Helper" out &&
	test_grep -x "True True" out
'

test_expect_success 'stdio and argv are UTF-8 under env -i' '
	env -i ./app "$(printf "\\303\\251")" "$(printf "\\377")" >out &&
	test_grep -x "utf-8 utf-8 \[.é., .\\\\udcff.\]" out &&
	test_grep -x "é中" out
'

test_expect_success '--allow-env keeps site, as python3 does' '
	build --allow-env --script app.py -o app-env &&
	env -i ./app-env x >out &&
	test_grep -x "True True 0" out
'

test_done
