#!/usr/bin/env bash
# C++ packages from their upstream sources (issue 22, item 7): greenlet
# 3.2.4 (setuptools), kiwisolver 1.4.8 (setuptools_scm, cppy), ujson 5.10.0
# (setuptools_scm; the double-conversion C++ library), each run alone in
# an empty root; RapidFuzz 3.12.2 (scikit-build-core from the index, the
# host's CMake and ninja, Cython, the rapidfuzz-cpp and Taskflow headers)
# and tests/extpkgs/skbpkg (scikit-build-core, FindPython); pyzmq 27.1.0
# with thirdparty/libzmq, a C++ library recipe.
# The set-up (the sdists made real, the build requirements as pure wheels
# on the test's index) always runs; the builds are skipped while stick
# refuses C++ (tests/extpkgs/cxxpkg is the probe).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# extensions/, build-envs/, dists/ and pip/ are this test's own.
share_cache toolchains stdlib clibs tools debian-sources sources
no_host_pip
VENDOR=$TOP/tests/vendor
Q=\'
EXT=$TOP/tests/extpkgs

if ! PYTHON=$("$STICK" -q toolchain --python "$PY" --sources "$SOURCES")/bin/python$PY; then
	test_skip 'C++ packages' 'no toolchain'
	test_done
fi
. "$TOP/tests/deps-lib.sh"

test_expect_success 'set up: the sdists and the build requirements on the index' '
	unpack_tool "$TOP/thirdparty/pip" && unpack_tool "$TOP/tests/deps/setuptools" &&
	unpack_tool "$TOP/tests/deps/flit" && mkdir -p index/files sd &&
	pip_wheel "$VENDOR/setuptools-scm-8.3.1.tar.gz" &&
	mkdir -p scm && (cd scm && "$PYTHON" -m zipfile -e ../index/files/setuptools_scm-8.3.1-py3-none-any.whl .) &&
	pip_wheel "$SOURCES/cppy_1.3.1.orig.tar.gz" "$TRASH/scm" &&
	pip_wheel "$(source_of "$TOP/tests/deps/pathspec")" &&
	skbuild_wheel && make_index &&
	ls index/files >have && cat have &&
	printf "%s\n" cppy-1.3.1-py3-none-any.whl pathspec-0.12.1-py3-none-any.whl \
		scikit_build_core-0.11.6-py3-none-any.whl setuptools_scm-8.3.1-py3-none-any.whl >expect &&
	test_cmp expect have &&
	"$PYTHON" -I -c "import sys
sys.path[:0] = [\"index/files/scikit_build_core-0.11.6-py3-none-any.whl\",
                \"index/files/pathspec-0.12.1-py3-none-any.whl\",
                \"$TRASH/tools/setuptools-78.1.1/setuptools/_vendor\"]
import scikit_build_core, scikit_build_core.build as b
print(scikit_build_core.__version__, b.build_wheel.__module__)" >skb &&
	test_grep -x "0.11.6 scikit_build_core.build" skb &&
	real_sdist "$VENDOR/kiwisolver-1.4.8.tar.gz" kiwisolver 1.4.8 &&
	real_sdist "$VENDOR/ujson-5.10.0.tar.gz" ujson 5.10.0 &&
	rm -rf sd/rf && mkdir -p sd/rf && tar -C sd/rf -xJf "$SOURCES/rapidfuzz_3.12.2+ds.orig.tar.xz" &&
	mkdir -p sd/rf/RapidFuzz-3.12.2/extern && rm -rf sd/rf/RapidFuzz-3.12.2/extern/* &&
	tar -C sd/rf/RapidFuzz-3.12.2/extern -xzf "$VENDOR/rapidfuzz-cpp-3.2.0.tar.gz" &&
	tar -C sd/rf/RapidFuzz-3.12.2/extern -xzf "$VENDOR/taskflow-3.9.0.tar.gz" &&
	mv sd/rf/RapidFuzz-3.12.2/extern/rapidfuzz-cpp-3.2.0 sd/rf/RapidFuzz-3.12.2/extern/rapidfuzz-cpp &&
	mv sd/rf/RapidFuzz-3.12.2/extern/taskflow-3.9.0 sd/rf/RapidFuzz-3.12.2/extern/taskflow &&
	tar -C sd/rf -czf rapidfuzz-3.12.2.tar.gz RapidFuzz-3.12.2
'

# The probe: a one-file C++ extension. Refused as C++: skip the rest.
if build --sdist "$EXT/cxxpkg" --script /dev/null -o probe 2>probe.err; then
	:
elif grep -q "it is C++" probe.err; then
	test_skip 'greenlet, kiwisolver, ujson, rapidfuzz' \
		"stick refuses C++ ($(grep -o "cannot build [^:]*: it is C++" probe.err | head -n 1)); these turn on when it builds C++"
	test_done
else
	cat probe.err
	test_expect_success 'the C++ probe builds or is refused as C++' 'false'
	test_done
fi

cat >gl.py <<'PY'
import threading
import greenlet
from greenlet import _greenlet

out = []


def worker(n):
    def child(x):
        y = greenlet.getcurrent().parent.switch(x + 1)
        return y * 2
    g = greenlet.greenlet(child)
    first = g.switch(n)
    last = g.switch(first + 10)
    out.append((n, first, last, g.dead))


threads = [threading.Thread(target=worker, args=(i,)) for i in (1, 100)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(greenlet.__version__, _greenlet.__spec__.loader.__name__)
print(sorted(out))
PY

test_expect_success 'greenlet 3.2.4: switches inside two threads' '
	build --sdist "$VENDOR/greenlet-3.2.4.tar.gz" --script gl.py -o gl &&
	in_root gl >out && cat out &&
	printf "%s\n" "3.2.4 BuiltinImporter" "[(1, 2, 24, True), (100, 101, 222, True)]" >expect &&
	test_cmp expect out
'

cat >kw.py <<'PY'
import kiwisolver
from kiwisolver import Solver, Variable, _cext

left, width, right = Variable("left"), Variable("width"), Variable("right")
s = Solver()
for c in (right == left + width, left >= 0, width >= 10, right <= 100,
          (left == 30) | "strong", (width == 80) | "weak"):
    s.addConstraint(c)
s.updateVariables()
print(kiwisolver.__version__, _cext.__spec__.loader.__name__)
print(left.value(), width.value(), right.value())
PY

test_expect_success 'kiwisolver 1.4.8 (cppy, setuptools_scm from the index): a small system solved' '
	"$STICK" build --python "$PY" --sources "$SOURCES" --find-links "$TRASH/index/files" \
		--sdist kiwisolver-1.4.8.tar.gz --script kw.py -o kw 2>err && cat err &&
	test_grep "resolved the build requirements of kiwisolver 1.4.8" err &&
	in_root kw >out && cat out &&
	printf "%s\n" "1.4.8 BuiltinImporter" "30.0 70.0 100.0" >expect &&
	test_cmp expect out
'

cat >uj.py <<'PY'
import json, math
import ujson

doc = {"a": [1, 2.5, -0.1, 1e300, 3.141592653589793, None, True], "b": "\u00e9\u4e2d\n",
       "c": {"d": [], "e": {}}, "f": 2 ** 63 - 1, "g": 0.30000000000000004}
text = ujson.dumps(doc, sort_keys=True, ensure_ascii=False)
back = ujson.loads(text)
print(ujson.__version__, ujson.__spec__.loader.__name__)
print(back == doc, json.loads(text) == doc, ujson.dumps(0.1), ujson.dumps(1.5), ujson.loads("[1.5e3, -0.0]"))
print(text)
PY

test_expect_success 'ujson 5.10.0 (double-conversion in C++): dumps/loads round trip, floats exact' '
	"$STICK" build --python "$PY" --sources "$SOURCES" --find-links "$TRASH/index/files" \
		--sdist ujson-5.10.0.tar.gz --script uj.py -o uj 2>err && cat err &&
	in_root uj >out && cat out &&
	test_grep -x "5.10.0 BuiltinImporter" out &&
	test_grep -x "True True 0.1 1.5 \[1500.0, -0.0\]" out &&
	sed -n 3p out >text && "$PYTHON" -I -c "import json, sys; d = json.load(open(\"text\")); assert d[\"g\"] == 0.30000000000000004 and d[\"a\"][3] == 1e300, d"
'

cat >rf.py <<'PY'
import sys
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

# fuzz_cpp, or fuzz_cpp_avx2 / fuzz_cpp_sse2 as the CPU allows.
impl = sys.modules[fuzz.ratio.__module__]
print(impl.__name__.startswith("rapidfuzz.fuzz_cpp"), impl.__spec__.loader.__name__)
print(round(fuzz.ratio("this is a test", "this is a test!"), 4),
      fuzz.partial_ratio("fuzzy wuzzy", "wuzzy"), Levenshtein.distance("kitten", "sitting"))
print(process.extractOne("new york jets", ["Atlanta Falcons", "New York Jets", "Dallas Cowboys"],
                         processor=str.lower)[:2])
PY

# RapidFuzz pins "Cython >=3.0.12, <3.1.0"; the pinned tool is 3.1.6,
# which its CMake runs as `python -m cython`: the requirement is skipped.
# scikit-build-core (and pathspec) come from the index; CMake and ninja are
# the host's, configured by stick's toolchain file to compile and link
# through stick cc-wrap.
test_expect_success 'rapidfuzz 3.12.2 (scikit-build-core, CMake, Cython, C++): the C++ scorers' '
	"$STICK" build --python "$PY" --sources "$SOURCES" --find-links "$TRASH/index/files" \
		--skip-requirement Cython --sdist rapidfuzz-3.12.2.tar.gz --script rf.py -o rf 2>err &&
	cat err &&
	test_grep "resolved the build requirements of RapidFuzz (scikit-build-core>=0.11)" err &&
	in_root rf >out && cat out &&
	printf "%s\n" "True BuiltinImporter" "96.5517 100.0 3" "('"'"'New York Jets'"'"', 100.0)" >expect &&
	test_cmp expect out &&
	"$STICK" info rf >info &&
	test_grep "^  rapidfuzz.fuzz_cpp  *from rapidfuzz (source)" info
'

# tests/extpkgs/skbpkg: FindPython and python_add_library, a C++
# exception thrown and caught inside the module; CMake's compiler check
# links a C++ executable (t8000 builds the same package for aarch64).
test_expect_success 'a small scikit-build-core C++ package: FindPython, an exception' '
	"$STICK" build --python "$PY" --sources "$SOURCES" --find-links "$TRASH/index/files" \
		--sdist "$EXT/skbpkg" --script "$EXT/skbpkg/check.py" -o skbapp 2>err && cat err &&
	in_root skbapp >out && cat out &&
	printf "%s\n" "x86_64 42 BuiltinImporter" "element 1 is not an int" >expect &&
	test_cmp expect out
'

cat >zmqapp.py <<'PY'
import threading
import zmq

ctx = zmq.Context()
rep = ctx.socket(zmq.REP)
port = rep.bind_to_random_port("tcp://127.0.0.1")


def serve():
    for _ in range(3):
        rep.send(rep.recv().upper())


t = threading.Thread(target=serve)
t.start()
req = ctx.socket(zmq.REQ)
req.connect(f"tcp://127.0.0.1:{port}")
out = []
for word in (b"alpha", b"beta", b"gamma"):
    req.send(word)
    out.append(req.recv().decode())
t.join()
a, b = ctx.socket(zmq.PAIR), ctx.socket(zmq.PAIR)
a.bind("inproc://x")
b.connect("inproc://x")
a.send_multipart([b"a", b"b"])
print(zmq.zmq_version(), zmq.pyzmq_version(), out, b.recv_multipart())
try:
    ctx.socket(zmq.PULL).recv(flags=zmq.NOBLOCK)
except zmq.ZMQError as e:
    print("ZMQError", e.errno == zmq.EAGAIN)
ctx.destroy(linger=0)
PY

# pyzmq 27.1.0 (scikit-build-core, Cython) finds libzmq with pkg-config:
# stick builds thirdparty/libzmq (C++, against libc++) and links it once,
# with the C++ runtime, into a C extension.
test_expect_success 'pyzmq 27.1.0 with libzmq 4.3.4: REQ/REP over TCP on 127.0.0.1, inproc' '
	"$STICK" build --python "$PY" --sources "$SOURCES" --find-links "$TRASH/index/files" \
		--sdist "$(source_of "$TOP/tests/sdists/pyzmq-27.1.0")" --script zmqapp.py -o zmqapp 2>err &&
	cat err &&
	in_root zmqapp >out && cat out &&
	printf "%s\n" "4.3.4 27.1.0 [${Q}ALPHA${Q}, ${Q}BETA${Q}, ${Q}GAMMA${Q}] [b${Q}a${Q}, b${Q}b${Q}]" "ZMQError True" >expect &&
	test_cmp expect out &&
	"$STICK" info zmqapp >info && cat info &&
	test_grep "^  (C library)  *libzmq 4.3.4 MPL-2.0 zeromq3_4.3.4.orig.tar.gz" info &&
	test_grep "^  (C library)  *libcxx 19.1.7" info
'

test_done
