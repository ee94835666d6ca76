#!/usr/bin/env bash
# C libraries of kind library (thirdparty/: libzstd, lz4, libxml2,
# libjpeg-turbo, libxslt) built on demand by stick cc-wrap when a package
# needs one: a missing header, a -lNAME, a pkg-config name. Each library is
# called from a small extension package (tests/extpkgs/) whose binary runs
# alone in an empty root; a library no recipe builds is named; the build
# host's directories never reach a musl object; a package that links no
# library builds none.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# The extension builds go to a home of this test's own (t7000 checks that
# a warm build writes no log into the shared one); the toolchain, the
# sources and the built C libraries are the shared cache's.
share_cache toolchains stdlib clibs tools debian-sources sources embed
EXT=$TOP/tests/extpkgs
sdist() { echo "$SOURCES/$(awk '$1 == "source" { print $2; exit }' "$TOP/tests/sdists/$1")"; }

cat >u.py <<'PY'
import uselibs._zstd as z, uselibs._lz4 as l, uselibs._xml as x, uselibs._jpeg as j
data = b"stick " * 100
print(z.roundtrip(data)[0], z.roundtrip(data)[2], z.roundtrip(data)[1] < 100)
print(l.roundtrip(data)[0], l.roundtrip(data)[2], l.roundtrip(data)[1] < 100)
print(x.parse("<greeting lang='en'>hello &amp; bye \u00e9</greeting>"))
jpeg = j.encode(16, 8)
open("/out.jpg", "wb").write(jpeg)
print(jpeg[:2].hex(), jpeg[-2:].hex())
PY

test_expect_success 'zstd, lz4, libxml2 and libjpeg built on demand and called from an app' '
	build --sdist "$EXT/uselibs" --script u.py -o u &&
	in_root u >out && cat out &&
	test_grep -x "1.5.7 True True" out &&
	test_grep -x "1.10.0 True True" out &&
	test_grep -x "(.2.15.4., .greeting., .hello & bye é.)" out &&
	test_grep -x "ffd8 ffd9" out &&
	if command -v file >/dev/null; then file root/out.jpg | grep -q "JPEG image data.* 16x8"; fi
'

test_expect_success 'stick info and the SBOM list the four libraries linked, no other' '
	"$STICK" info u >info &&
	test_grep "(C library)  *libzstd 1.5.7 BSD-3-Clause libzstd_1.5.7+dfsg.orig.tar.xz" info &&
	test_grep "(C library)  *lz4 1.10.0 BSD-2-Clause" info &&
	test_grep "(C library)  *libxml2 2.15.4 MIT" info &&
	test_grep "(C library)  *libjpeg-turbo 3.1.3 IJG" info &&
	! grep -q "libyaml\|libxslt" info &&
	python3 -c "import json
names = [p[\"name\"] for p in json.load(open(\"u.sbom.json\"))[\"packages\"]]
for n in (\"libzstd\", \"lz4\", \"libxml2\", \"libjpeg-turbo\", \"uselibs\"):
    assert n in names, (n, names)
assert \"libyaml\" not in names and \"libxslt\" not in names, names"
'

test_expect_success 'each library is in the clib cache with headers, archive and pkg-config file' '
	for l in libzstd-1.5.7:libzstd:zstd.h lz4-1.10.0:liblz4:lz4.h \
		libxml2-2.15.4:libxml2:libxml/parser.h \
		libjpeg-turbo-3.1.3:libjpeg:jpeglib.h; do
		IFS=: read -r entry lib header <<-EOT &&
		$l
		EOT
		d=$(ls -d "$STICK_HOME"/clibs/3.13-musl-*/"$entry"-* | head -n 1) &&
		test -f "$d/lib/$lib.a" && test -f "$d/include/$header" &&
		ls "$d"/lib/pkgconfig/*.pc >/dev/null || return 1
	done &&
	d=$(ls -d "$STICK_HOME"/clibs/3.13-musl-*/libxml2-2.15.4-* | head -n 1) &&
	PKG_CONFIG_LIBDIR=$d/lib/pkgconfig pkg-config --cflags libxml-2.0 >cflags &&
	test -f "$(sed "s/^-I//; s/ *$//" cflags)/libxml/parser.h"
'

cat >x.py <<'PY'
import usexslt._xslt as t
xsl = """<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
 xmlns:str="http://exslt.org/strings" extension-element-prefixes="str">
<xsl:output method="text"/>
<xsl:template match="/"><xsl:for-each select="//i"><xsl:value-of
 select="str:padding(2, '-')"/><xsl:value-of select="."/></xsl:for-each></xsl:template>
</xsl:stylesheet>"""
print(t.transform("<l><i>a</i><i>b</i></l>", xsl))
PY

test_expect_success 'libxslt found through pkg-config, as lxml finds it; libxml2 linked from its own recipe' '
	build --sdist "$EXT/usexslt" --script x.py -o x &&
	in_root x >out && cat out && test_grep -x -- "--a--b" out &&
	"$STICK" info x >info &&
	test_grep "(C library)  *libxslt 1.1.45 MIT libxslt_1.1.45.orig.tar.xz" info &&
	test_grep "(C library)  *libxml2 2.15.4 MIT" info
'

test_expect_success 'a library no recipe builds is an error naming it and the package' '
	test_must_fail build --sdist "$EXT/nolib" --script x.py -o bad 2>err && cat err &&
	test_grep "nolib: .* links -lnosuchlib, which the toolchain does not provide, no library recipe" err &&
	test_grep "add a recipe of kind library to thirdparty/ for libnosuchlib" err &&
	test ! -e bad
'

printf 'import hostinc._fast as h\nprint(h.hello())\n' >h.py

test_expect_success 'the build host -I/usr/include and -L/usr/lib are dropped for musl, said in the log' '
	touch marker &&
	build --sdist "$EXT/hostinc" --script h.py -o h &&
	in_root h >out && test_grep -x "hostinc 3" out &&
	log=$(grep -l "hostinc" $(find "$STICK_HOME/extensions" -name "*.log" -newer marker) /dev/null | head -n 1) &&
	test_grep "hostinc: dropped the build host.s directory .-I/usr/include.: its headers and libraries are for glibc" "$log" &&
	test_grep "dropped the build host.s directory .-L/usr/lib/x86_64-linux-gnu." "$log"
'

cat >ms.py <<'PY'
import markupsafe
print(markupsafe.escape("<x>"))
PY

test_expect_success 'a markupsafe-only app builds no C library' '
	shared=$SHARED_HOME && home=$TRASH/fresh && mkdir -p "$home" &&
	for d in toolchains stdlib tools sources debian-sources embed; do
		mkdir -p "$shared/$d" && ln -s "$shared/$d" "$home/$d" || return 1
	done &&
	STICK_HOME=$home build --sdist "$(sdist markupsafe-3.0.3)" --script ms.py -o ms &&
	in_root ms >out && test_grep -x "&lt;x&gt;" out &&
	test -z "$(ls -A "$home/clibs"/* 2>/dev/null)"
'

test_done
