"""--tzdata: the IANA time zone database as the `tzdata` package.

zoneinfo looks for a zone in TZPATH (/usr/share/zoneinfo, ...) first and
then in the `tzdata` package through importlib.resources, which the
embedded importer serves from memory. So an application that embeds a
package laid out as PyPI's tzdata is (tzdata/zones, tzdata/zoneinfo/AREA/
CITY, a package per directory) finds its zones on a host that has none,
and a host that has them still decides, as with python3.

The package is compiled at build time by zic from the pinned IANA source
(thirdparty/tzdata, Debian's orig tarball of `tzdata`, verified and
unpacked by stick), `-b slim` whatever zic's default: the same source
and zic give the same bytes.
"""

import os
import shutil
import subprocess

from .request import HelperError

# The source files of the zones zic compiles: the tz Makefile's TDATA
# (the main data, `factory` and the `backward` links).
SOURCES = ("africa", "antarctica", "asia", "australasia", "europe",
           "northamerica", "southamerica", "etcetera", "factory",
           "backward")


class TzData:
    """The package made: its site (a --path directory), the IANA version
    and the source's description for stick info and the SBOM."""

    def __init__(self, site, version, license, sha256, source, debian):
        self.site, self.version, self.license = site, version, license
        self.sha256, self.source, self.debian = sha256, source, debian

    def describe(self):
        return {"name": "tzdata", "version": self.version,
                "package_version": package_version(self.version),
                "license": self.license, "source": self.source,
                "sha256": self.sha256, "debian": self.debian,
                "files": count_files(self.site)}


def package_version(iana):
    """PyPI tzdata's version for an IANA release: 2026b is 2026.2."""
    year, letter = iana[:4], iana[4:]
    if not year.isdigit() or len(letter) != 1 or not letter.isalpha():
        raise HelperError(f"--tzdata: '{iana}' is no IANA release name "
                          "(YYYYx)")
    return f"{year}.{ord(letter.lower()) - ord('a') + 1}"


def find_zic():
    path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin:/sbin"
    zic = shutil.which("zic", path=path)
    if not zic:
        raise HelperError("--tzdata compiles the IANA time zone source "
                          "with zic, which was not found (Debian: package "
                          "libc-bin)")
    return zic


def build(line, site):
    """Compiles the `tzdata-source VERSION LICENSE SHA256 FILE DEBIAN
    ROOT` line's tree into site/tzdata. Returns a TzData."""
    version, license, sha256, source, debian, root = line.split(" ", 5)
    with open(os.path.join(root, "version")) as f:
        found = f.read().strip()
    if found != version:
        raise HelperError(f"--tzdata: {root} holds IANA release '{found}', "
                          f"the recipe pins '{version}'")
    pkg = os.path.join(site, "tzdata")
    zoneinfo = os.path.join(pkg, "zoneinfo")
    shutil.rmtree(site, ignore_errors=True)
    os.makedirs(zoneinfo)
    run = subprocess.run(
        [find_zic(), "-b", "slim", "-d", zoneinfo] +
        [os.path.join(root, s) for s in SOURCES],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if run.returncode:
        raise HelperError(f"--tzdata: zic failed on {root}:\n{run.stdout}")
    zones = write_packages(zoneinfo)
    with open(os.path.join(pkg, "zones"), "w") as f:
        f.write("".join(z + "\n" for z in zones))
    with open(os.path.join(pkg, "__init__.py"), "w") as f:
        f.write(f'# The IANA time zone database {version}, compiled by '
                f'stick --tzdata\n# from {source}.\n'
                f'IANA_VERSION = "{version}"\n'
                f'__version__ = "{package_version(version)}"\n')
    return TzData(site, version, license, sha256, source, debian)


def write_packages(zoneinfo):
    """Makes every directory under zoneinfo a package, as PyPI's tzdata
    does (zoneinfo opens resources.files("tzdata.zoneinfo.America")),
    and returns the zone names, sorted."""
    zones = []
    for dirpath, dirnames, filenames in os.walk(zoneinfo):
        dirnames.sort()
        rel = os.path.relpath(dirpath, zoneinfo)
        for name in sorted(filenames):
            zones.append(name if rel == "." else f"{rel}/{name}")
        open(os.path.join(dirpath, "__init__.py"), "w").close()
    return sorted(zones)


def count_files(site):
    return sum(len([f for f in files if f != "__init__.py"])
               for _, _, files in os.walk(os.path.join(site, "tzdata",
                                                       "zoneinfo")))
