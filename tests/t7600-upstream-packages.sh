#!/usr/bin/env bash
# Real packages from their upstream sources (issue 22, item 7), the ones
# that need no C++: cffi 1.17.1 (its _cffi_backend built against the
# toolchain's libffi) with pycparser 2.22, both from tests/vendor/, as
# --sdist inputs and as a project's requirements on a PEP 503 index; pluggy
# 1.6.0 from Debian's source archive, whose setuptools backend needs
# setuptools_scm, served as a wheel (built here from tests/vendor/) on
# the test's own index. Every binary runs alone in an empty root.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# extensions/, build-envs/, dists/ and pip/ are this test's own.
share_cache toolchains stdlib clibs tools debian-sources sources
no_host_pip
VENDOR=$TOP/tests/vendor

if ! PYTHON=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES")/bin/python$PY; then
	test_skip 'upstream packages' 'no toolchain'
	test_done
fi
. "$TOP/tests/deps-lib.sh"

cat >cf.py <<'PY'
import cffi, _cffi_backend
ffi = cffi.FFI()
ffi.cdef("""
struct point { int x; double y; char name[8]; };
typedef int (*binop)(int, int);
""")
p = ffi.new("struct point *", {"x": 7, "y": 2.5, "name": b"abc"})
arr = ffi.new("int[]", [5, 1, 4])
buf = bytes(ffi.buffer(arr))
calls = []
@ffi.callback("int(int, int)")
def add(a, b):
    calls.append((a, b))
    return a + b
@ffi.callback("int(int)", error=-1)
def broken(a):
    raise ValueError(a)
f = ffi.cast("binop", add)
print(cffi.__version__, _cffi_backend.__version__, _cffi_backend.__spec__.loader.__name__)
print(p.x, p.y, ffi.string(p.name).decode(), ffi.sizeof("struct point"),
      ffi.offsetof("struct point", "name"))
print(len(buf), buf[:4] == (5).to_bytes(4, "little"), int(ffi.cast("unsigned char", 300)),
      int(ffi.cast("int", -1.9)))
print(f(40, 2), add(1, 2), calls, broken(5))
PY

test_expect_success 'cffi 1.17.1 and pycparser: cdef, new, buffer, cast, libffi calls and closures' '
	build --sdist "$VENDOR/pycparser-2.22.tar.gz" --sdist "$VENDOR/cffi-1.17.1.tar.gz" \
		--script cf.py -o cf 2>err && cat err &&
	in_root cf >out 2>stderr && cat out stderr &&
	printf "%s\n" "1.17.1 1.17.1 BuiltinImporter" "7 2.5 abc 24 16" "12 True 44 -1" \
		"42 3 [(40, 2), (1, 2)] -1" >expect &&
	test_cmp expect out &&
	test_grep "ValueError: 5" stderr &&
	"$STICK" info cf >info && test_grep "^  _cffi_backend  *from cffi (source)" info
'

test_expect_success 'cffi in a project: resolved from a PEP 503 index on 127.0.0.1 with pycparser, locked' '
	mkdir -p cfidx/index/files cfapp/src/cfapp &&
	cp "$VENDOR/cffi-1.17.1.tar.gz" "$VENDOR/pycparser-2.22.tar.gz" cfidx/index/files/ &&
	(cd cfidx && make_index) &&
	printf "[project]\nname = \"cfapp\"\nversion = \"1.0\"\ndependencies = [\"cffi>=1.17\"]\n[project.scripts]\ncfapp = \"cfapp:main\"\n" \
		>cfapp/pyproject.toml &&
	printf "import cffi\n\n\ndef main():\n    ffi = cffi.FFI()\n    cb = ffi.callback(\"int(int, int)\", lambda a, b: a * b)\n    print(cffi.__version__, cb(6, 7))\n" \
		>cfapp/src/cfapp/__init__.py &&
	start_httpd "$TRASH/cfidx/index" &&
	build --index-url "$HTTPD_URL/simple" cfapp -o cfout &&
	stop_httpd &&
	lock_query cfapp/pylock.toml "[(p[\"name\"], p[\"version\"], p[\"sdist\"][\"name\"]) for p in doc[\"packages\"]]" >q &&
	echo "[(\"cffi\", \"1.17.1\", \"cffi-1.17.1.tar.gz\"), (\"pycparser\", \"2.22\", \"pycparser-2.22.tar.gz\")]" | tr "\"" "\047" >expect &&
	test_cmp expect q &&
	in_root cfout/cfapp >out && cat out && test_grep -x "1.17.1 42" out
'

# A wheel of setuptools-scm 8.3.1 (its own backend, which reads its
# version from the .git_archival.txt git archive filled in), built with
# the pinned pip and setuptools, on the index.
test_expect_success 'set up: setuptools_scm on the index; pluggy as a real sdist' '
	unpack_tool "$TOP/thirdparty/pip" && unpack_tool "$TOP/tests/deps/setuptools" &&
	mkdir -p index/files sd app &&
	PYTHONPATH="$TRASH/tools/pip-25.1.1/src:$TRASH/tools/setuptools-78.1.1:$TRASH/tools/setuptools-78.1.1/setuptools/_vendor" \
	PYTHONNOUSERSITE=1 "$PYTHON" -m pip wheel -q --no-deps --no-build-isolation \
		--no-index -w index/files "$VENDOR/setuptools-scm-8.3.1.tar.gz" &&
	test -f index/files/setuptools_scm-8.3.1-py3-none-any.whl &&
	tar -C sd -xzf "$SOURCES/python-pluggy_1.6.0.orig.tar.gz" &&
	printf "Metadata-Version: 2.1\nName: pluggy\nVersion: 1.6.0\n" >sd/pluggy-1.6.0/PKG-INFO &&
	tar -C sd -czf pluggy-1.6.0.tar.gz pluggy-1.6.0
'

cat >app/plugapp.py <<'PY'
import pluggy

hookspec = pluggy.HookspecMarker("plugapp")
hookimpl = pluggy.HookimplMarker("plugapp")


class Spec:
    @hookspec
    def combine(self, a, b):
        """Each plugin's answer."""


class Add:
    @hookimpl
    def combine(self, a, b):
        return a + b


class Mul:
    @hookimpl(tryfirst=True)
    def combine(self, a, b):
        return a * b


pm = pluggy.PluginManager("plugapp")
pm.add_hookspecs(Spec)
pm.register(Add())
pm.register(Mul())
print(pluggy.__version__, pm.hook.combine(a=6, b=7))
PY

test_expect_success 'pluggy 1.6.0: setuptools_scm from the index reads the version from PKG-INFO' '
	"$STICK" build --python "$PY" --sources "$SOURCES" \
		--find-links "$TRASH/index/files" --sdist pluggy-1.6.0.tar.gz \
		--script app/plugapp.py -o plug 2>err && cat err &&
	test_grep "resolved the build requirements of pluggy 1.6.0 (setuptools-scm\[toml\]>=8.0) to 1 distribution(s)" err &&
	in_root plug >out && cat out &&
	test_grep -x "1.6.0 \[42, 13\]" out
'

test_expect_success 'upstream'"'"'s git archive itself (no PKG-INFO, no .git_archival.txt): setuptools_scm says so' '
	test_must_fail build --find-links "$TRASH/index/files" \
		--sdist "$SOURCES/python-pluggy_1.6.0.orig.tar.gz" --script app/plugapp.py -o bad 2>err &&
	cat err && test_grep "setuptools-scm was unable to detect version" err &&
	! test -e bad
'

test_done
