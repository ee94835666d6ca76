#!/usr/bin/env bash
# --tzdata embeds the IANA time zone database as the tzdata package, so
# zoneinfo works in an empty root; without it an app behaves as python3
# does on a host without zone files. A zone file on the host still comes
# first, as in python3 (TZPATH, then the tzdata package).
. "$(dirname "$0")/lib.sh"

use_cached_toolchain
TC=$($STICK -q toolchain --python $PY --sources "$SOURCES") || exit 1
PYTHON=$TC/bin/python$PY

cat >tz.py <<\PYEOF
import zoneinfo
from datetime import datetime, timezone
for key in ("Europe/Paris", "America/New_York", "Asia/Kolkata",
            "Australia/Sydney", "UTC", "US/Eastern"):
    try:
        z = zoneinfo.ZoneInfo(key)
    except Exception as e:
        print(key, type(e).__name__, e)
        continue
    for when in (datetime(1970, 1, 1), datetime(2024, 1, 15),
                 datetime(2024, 7, 15)):
        t = when.replace(tzinfo=timezone.utc).astimezone(z)
        print(key, when.date(), t.utcoffset(), t.tzname(), t.dst())
zones = zoneinfo.available_timezones()
print("Europe/Paris" in zones, len(zones) > 500)
PYEOF

test_expect_success 'without --tzdata: no zones in an empty root, as python3' '
	build --script tz.py -o plain &&
	in_root plain >out 2>&1 &&
	env -i PYTHONTZPATH=/nonexistent "$PYTHON" -S tz.py >py.out 2>&1 &&
	test_cmp py.out out &&
	test_grep "^Europe/Paris ZoneInfoNotFoundError" out
'

test_expect_success '--tzdata: zoneinfo works in an empty root, as python3 on the host' '
	build --script tz.py --tzdata -o tz &&
	in_root tz >out 2>&1 &&
	"$PYTHON" -I tz.py >py.out 2>&1 &&
	test_cmp py.out out &&
	test_grep -x "Europe/Paris 2024-07-15 2:00:00 CEST 1:00:00" out &&
	test_grep -x "True True" out
'

test_expect_success '--tzdata: the tzdata package, its version and its resources' '
	cat >pkg.py <<-\PYEOF &&
	import importlib.resources, tzdata
	print(tzdata.IANA_VERSION, tzdata.__version__)
	zones = importlib.resources.files("tzdata").joinpath("zones").read_text().split()
	print(len(zones) > 500, "Asia/Tokyo" in zones)
	tokyo = importlib.resources.files("tzdata.zoneinfo.Asia").joinpath("Tokyo")
	print(tokyo.read_bytes()[:4].decode())
	PYEOF
	build --script pkg.py --tzdata -o pkg &&
	in_root pkg >out 2>&1 &&
	printf "%s\n" "2026b 2026.2" "True True" TZif >expect &&
	test_cmp expect out
'

test_expect_success '--tzdata: a zone file on the host comes first' '
	mkdir -p host/usr/share/zoneinfo/Europe &&
	cp /usr/share/zoneinfo/Asia/Tokyo host/usr/share/zoneinfo/Europe/Paris &&
	ROOT_FILES=host in_root tz >out 2>&1 &&
	test_grep -x "Europe/Paris 2024-07-15 9:00:00 JST 0:00:00" out &&
	test_grep -x "America/New_York 2024-07-15 -1 day, 20:00:00 EDT 1:00:00" out
'

test_expect_success '--tzdata with --prune keeps the package' '
	build --script tz.py --tzdata --prune -o tzpruned &&
	in_root tzpruned >out 2>&1 &&
	"$PYTHON" -I tz.py >py.out 2>&1 &&
	test_cmp py.out out
'

test_expect_success 'stick info and the SBOM name the time zone database' '
	"$STICK" info tz >info &&
	test_grep "^tzdata  *IANA 2026b (package 2026.2), [0-9]* zone files, LicenseRef-Public-Domain$" info &&
	test_grep "from tzdata_2026b.orig.tar.gz (Debian tzdata 2026b-0+deb12u1), sha256 114543d9f19a6bfeb5bca43686aea173d38755a3db1f2eec112647ae92c6f544" info &&
	test_grep "^  tzdata  *2026b$" info &&
	"$STICK" info plain >info &&
	test_grep "^  tzdata  *no$" info &&
	"$PYTHON" -c "import json, sys
doc = json.load(open(\"tz.sbom.json\"))
p = [p for p in doc[\"packages\"] if p[\"name\"] == \"tzdata\"]
assert len(p) == 1, p
p = p[0]
print(p[\"versionInfo\"], p[\"licenseDeclared\"], p[\"packageFileName\"],
      p[\"checksums\"][0][\"checksumValue\"], p[\"primaryPackagePurpose\"])
assert any(r[\"relatedSpdxElement\"] == p[\"SPDXID\"] for r in doc[\"relationships\"])
print([l[\"licenseId\"] for l in doc[\"hasExtractedLicensingInfos\"]])
" >sbom &&
	cat >expect <<-\EOF &&
	2026b LicenseRef-Public-Domain tzdata_2026b.orig.tar.gz 114543d9f19a6bfeb5bca43686aea173d38755a3db1f2eec112647ae92c6f544 DATA
	EOF
	head -n 1 sbom >sbom.1 && test_cmp expect sbom.1 &&
	test_grep "LicenseRef-Public-Domain" sbom
'

test_done
