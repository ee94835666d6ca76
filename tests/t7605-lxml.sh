#!/usr/bin/env bash
# lxml 6.1.3 from upstream's git archive (Debian's orig tarball: no
# generated C, so Cython compiles etree.pyx, objectify.pyx and five .py
# modules at build time), linking the libxml2 and libxslt recipes (built
# on demand through pkg-config, stick/ccwrap.h). lxml asks for "Cython
# >=3.2.9,<3.3"; the pinned Cython is 3.1.6, the version Debian builds
# this lxml with, so the requirement is skipped. The app parses, runs
# XPath, an XSLT transform (profiled: libxslt's profiler) and objectify,
# alone in an empty root.
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
# extensions/ is this test's own; the library recipes' builds are shared.
share_cache toolchains stdlib clibs tools debian-sources sources
SDIST=$SOURCES/$(awk '$1 == "source" { print $2 }' "$TOP/tests/sdists/lxml-6.1.3")

cat >lx.py <<'PY'
from lxml import etree, objectify
import lxml.html.diff, lxml._elementpath
doc = etree.fromstring(b"<r><i n='1'>a</i><i n='2'>b&amp;c</i><j>\xc3\xa9</j></r>")
print(etree.LXML_VERSION[:3], etree.LIBXML_VERSION[:2], etree.LIBXSLT_VERSION[:2],
      etree.__spec__.loader.__name__, lxml._elementpath.__spec__.loader.__name__)
print(doc.xpath("string(//i[@n='2'])"), len(doc.xpath("//i")), doc.findtext("j"))
xslt = etree.XSLT(etree.fromstring(b"""<xsl:stylesheet version="1.0"
 xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
 <xsl:template match="/r"><out><xsl:for-each select="i"><v><xsl:value-of select="@n"/></v></xsl:for-each></out></xsl:template>
</xsl:stylesheet>"""))
result = xslt(doc, profile_run=True)
print(etree.tostring(result).decode(), result.xslt_profile.getroot().tag)
o = objectify.fromstring("<a><b>3</b><c>x</c></a>")
print(o.b + 1, o.c.text, type(o.b).__name__)
try:
    etree.fromstring(b"<r><unclosed></r>")
except etree.XMLSyntaxError as e:
    print("XMLSyntaxError", e.position)
PY

test_expect_success 'lxml 6.1.3 with libxml2 and libxslt: XPath, XSLT, objectify' '
	build --skip-requirement Cython --sdist "$SDIST" --script lx.py -o lx 2>err && cat err &&
	in_root lx >out && cat out &&
	printf "%s\n" "(6, 1, 3) (2, 15) (1, 1) BuiltinImporter BuiltinImporter" "b&c 2 é" \
		"<out><v>1</v><v>2</v></out> profile" "4 x IntElement" "XMLSyntaxError (1, 18)" >expect &&
	test_cmp expect out &&
	"$STICK" info lx >info && cat info &&
	test_grep "^  lxml.etree  *from lxml (source)" info &&
	test_grep "(C library)  *libxslt 1.1.45 MIT" info && test_grep "(C library)  *libxml2 2.15.4 MIT" info
'

test_expect_success 'without --skip-requirement: the pinned Cython is named' '
	test_must_fail build --sdist "$SDIST" --script lx.py -o bad 2>err && cat err &&
	test_grep "requires .Cython>=3.2.9,<3.3., and Cython 3.1.6 (from cython) does not satisfy it" err &&
	! test -e bad
'

test_done
