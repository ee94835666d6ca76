#!/usr/bin/env bash
# stick info reads what a stick-built binary contains from the metadata
# linked into it; every output gets an SPDX 2.3 SBOM, OUT.sbom.json.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
TC=$($STICK -q toolchain --python $PY --sources "$SOURCES")
MANIFEST=$TC/manifest.json

# py EXPR...: the host python3, for reading JSON.
py() { python3 -c "import json, sys; $1" "${@:2}"; }

mkdir -p lib/greet lib/greet-1.4.dist-info lib/helper lib/helper-0.9.dist-info
echo 'def main(): print("hi")' >lib/greet/__init__.py
echo "data" >lib/greet/data.txt
printf 'Metadata-Version: 2.1\nName: greet\nVersion: 1.4\nLicense-Expression: MIT\n\nlong text\n' \
	>lib/greet-1.4.dist-info/METADATA
: >lib/helper/__init__.py
printf 'Metadata-Version: 2.1\nName: helper\nVersion: 0.9\n' \
	>lib/helper-0.9.dist-info/METADATA

test_expect_success 'stick info shows what an application contains' '
	build --entry greet:main --path lib -o greet &&
	$STICK info greet >out &&
	cat out &&
	pyver=$(py "print(json.load(open(sys.argv[1]))[\"python\"])" "$MANIFEST") &&
	nmods=$(py "print(len(json.load(open(sys.argv[1]))[\"builtin_modules\"]))" "$MANIFEST") &&
	test_grep -x "kind          application, built by stick [0-9.]*" out &&
	test_grep -x "python        $pyver (musl, static)" out &&
	test_grep -x "toolchain     $(basename "$TC")" out &&
	test_grep -x "built-in      $nmods C modules" out &&
	test_grep -E "^frozen        [0-9]{3} stdlib \+ 2 application modules$" out &&
	test_grep -E "^  openssl +[0-9.]+ +Apache-2.0 +openssl_" out &&
	test_grep -E "^  python +$pyver +PSF-2.0 +python3" out &&
	test_grep -E "^application   entry greet:main; 2 modules, 3 data files, 2 sources$" out &&
	test_grep -E "^  greet +1.4$" out &&
	test_grep -E "^  helper +0.9$" out &&
	test_grep -E "^  allow-env +no$" out
'

test_expect_success 'stick info --json matches the toolchain manifest' '
	$STICK info --json greet >info.json &&
	py "
i = json.load(open(\"info.json\")); m = json.load(open(sys.argv[1]))
assert i[\"stick_info\"] == 1 and i[\"kind\"] == \"application\", i
assert i[\"python\"] == m[\"python\"] and i[\"toolchain\"] == m[\"key\"]
assert [(c[\"name\"], c[\"version\"], c[\"sha256\"]) for c in i[\"components\"]] == \
       [(c[\"name\"], c[\"version\"], c[\"sha256\"]) for c in m[\"components\"]]
assert i[\"builtin_modules\"] == sorted(m[\"builtin_modules\"])
assert i[\"application\"][\"entry\"] == \"greet:main\"
assert [p[\"name\"] for p in i[\"application\"][\"packages\"]] == [\"greet\", \"helper\"]
assert i[\"frozen_modules\"][\"stdlib\"] > 400
" "$MANIFEST"
'

test_expect_success 'stick info reads a stripped copy, and the interpreter' '
	cp greet stripped && strip --strip-all stripped &&
	$STICK info stripped | test_grep "^kind  *application" &&
	build -o py &&
	$STICK info py >out &&
	test_grep -x "kind          interpreter, built by stick [0-9.]*" out &&
	! grep "^application" out
'

test_expect_success 'stick info finds the metadata in an archive member' '
	objcopy --only-section=.stick_info --only-section=.stick_summary \
		greet member.o &&
	cp /bin/true other.o && rm -f lib.a && ar rc lib.a other.o member.o &&
	$STICK info lib.a >out &&
	test_grep -x "kind          application, built by stick [0-9.]*" out
'

test_expect_success 'stick info on a file stick did not build fails' '
	cp /bin/true true &&
	test_expect_code 1 $STICK info true 2>err &&
	test_grep "stick did not build it" err &&
	echo "print(1)" >script.py &&
	test_expect_code 1 $STICK info script.py 2>err &&
	test_grep "stick did not build it" err &&
	test_expect_code 1 $STICK info missing 2>err &&
	test_grep "cannot read .missing." err
'

test_expect_success 'the SBOM lists the output, components, patches and packages' '
	test -f greet.sbom.json && test -f py.sbom.json &&
	py "
d = json.load(open(\"greet.sbom.json\")); m = json.load(open(sys.argv[1]))
import hashlib, os
assert d[\"spdxVersion\"] == \"SPDX-2.3\" and d[\"dataLicense\"] == \"CC0-1.0\"
assert d[\"SPDXID\"] == \"SPDXRef-DOCUMENT\" and d[\"name\"] == \"greet\"
pk = {p[\"name\"]: p for p in d[\"packages\"] if p[\"SPDXID\"].startswith(\"SPDXRef-Component-\")}
out = [p for p in d[\"packages\"] if p[\"SPDXID\"].startswith(\"SPDXRef-Output-\")]
assert len(out) == 1 and out[0][\"name\"] == \"greet\", out
out = out[0]
assert out[\"checksums\"][0][\"checksumValue\"] == hashlib.sha256(open(\"greet\", \"rb\").read()).hexdigest()
for c in m[\"components\"]:
    p = pk[c[\"name\"]]
    assert p[\"versionInfo\"] == c[\"version\"], p
    assert p[\"licenseDeclared\"] == c[\"license\"], p
    assert p[\"packageFileName\"] == c[\"source\"], p
    assert p[\"checksums\"] == [{\"algorithm\": \"SHA256\", \"checksumValue\": c[\"sha256\"]}], p
rel = {(r[\"spdxElementId\"], r[\"relationshipType\"], r[\"relatedSpdxElement\"]) for r in d[\"relationships\"]}
assert (\"SPDXRef-DOCUMENT\", \"DESCRIBES\", out[\"SPDXID\"]) in rel
for c in m[\"components\"]:
    assert (out[\"SPDXID\"], \"CONTAINS\", pk[c[\"name\"]][\"SPDXID\"]) in rel
files = {f[\"SPDXID\"]: f for f in d.get(\"files\", [])}
patched = [c for c in m[\"components\"] if c[\"patches\"]]
assert patched, \"the toolchain has no patches to check\"
top = sys.argv[2]
for c in patched:
    for name in c[\"patches\"]:
        f = [f for f in files.values() if f[\"fileName\"].endswith(\"/\" + name)][0]
        data = open(os.path.join(top, \"patches\", c[\"name\"], c[\"version\"], name), \"rb\").read()
        assert {\"algorithm\": \"SHA256\", \"checksumValue\": hashlib.sha256(data).hexdigest()} in f[\"checksums\"]
        assert (f[\"SPDXID\"], \"PATCH_APPLIED\", pk[c[\"name\"]][\"SPDXID\"]) in rel
apps = [p for p in d[\"packages\"] if p[\"SPDXID\"].startswith(\"SPDXRef-Package-\")]
assert [(p[\"name\"], p[\"versionInfo\"], p[\"licenseDeclared\"]) for p in apps] == \
       [(\"greet\", \"1.4\", \"MIT\"), (\"helper\", \"0.9\", \"NOASSERTION\")], apps
ids = [p[\"SPDXID\"] for p in d[\"packages\"]] + list(files)
assert len(ids) == len(set(ids)), ids
" "$MANIFEST" "$TOP"
'


test_expect_success 'the linker is recorded for outputs stick links, not for --lib' '
	lld=$(ld.lld --version | head -n 1) &&
	$STICK info greet | test_grep -x "linker        $lld" &&
	py "
d = json.load(open(\"greet.sbom.json\"))
tools = d[\"creationInfo\"][\"creators\"]
assert tools[0].startswith(\"Tool: stick-\") and tools[1].startswith(\"Tool: lld-\"), tools
" &&
	build --lib --path lib -o libgreet.a &&
	$STICK info libgreet.a >out &&
	! test_grep "^linker" out
'

test_expect_success 'a build without ld.lld on PATH names it and writes nothing' '
	mkdir -p nolld &&
	for f in /usr/bin/*; do
		case $f in */ld.lld*) ;; *) ln -sf "$f" nolld/ ;; esac
	done &&
	PATH=$PWD/nolld test_expect_code 1 $STICK build --entry greet:main \
		--path lib -o nolinker 2>err &&
	test_grep "cannot find the linker .ld.lld. on PATH; install lld" err &&
	! test -e nolinker
'

test_done
