"""Describe a stick output: build metadata and an SPDX SBOM.

Runs at every build, after the freeze and before the link, on the
application's table entries held in memory (freeze.collect_app()).
write() makes three files in a directory:

  info.json   the metadata `stick info --json` prints: Python version,
              components with versions, licenses, sources, digests and
              patches, built-in C modules, frozen module counts, the
              application's packages (from its embedded *.dist-info) and
              the build options. Linked into the output in the section
              .stick_info.
  info.txt    the same, for people: what `stick info` prints. Section
              .stick_summary.
  sbom.json   an SPDX 2.3 document: the output, each component (version,
              license, source file and its SHA-256, applied patches as
              PATCH_APPLIED files with their digests) and each application
              package with its version. The output's own digest can only
              be known after the link: the draft holds OUTPUT_DIGEST in
              its place, and the result names it (sbom-output-digest) for
              stick to replace.

NAME, the output's file name, appears only in the SBOM, so renaming the
output does not make its metadata stale. Nothing here depends on the time
or on where the build ran, so the
embedded metadata never keeps two builds from being byte-identical; the
SBOM's creation time is $SOURCE_DATE_EPOCH when set, else now.
"""

import hashlib
import json
import os
import re
import time

from .util import canonical_name

OUTPUT_DIGEST = "@STICK_OUTPUT_SHA256@"
KINDS = ("interpreter", "application", "library")


def parse_metadata(text):
    """The header fields of a METADATA file (email-header style)."""
    fields = {}
    for line in text.splitlines():
        if not line.strip():
            break  # the description follows the headers
        if line[0] in " \t" or ":" not in line:
            continue
        key, _, value = line.partition(":")
        fields.setdefault(key.strip().lower(), value.strip())
    return fields


def app_description(entries):
    """The application part of info.json from its table entries, each
    (kind letter as in freeze.KIND_PREFIX, name, bytes)."""
    modules = sorted(n for k, n, _ in entries if k in "mp"
                     and n not in ("_stick_importer", "_stick_extras",
                                   "_stick_resources"))
    config = {n: d.decode() for k, n, d in entries if k == "c"}
    packages = []
    for kind, name, data in entries:
        parts = name.split("/")
        if kind != "f" or len(parts) != 2 or parts[1] != "METADATA" \
                or not parts[0].endswith(".dist-info"):
            continue
        meta = parse_metadata(data.decode("utf-8", "replace"))
        packages.append({
            "name": meta.get("name", parts[0][:-len(".dist-info")]),
            "version": meta.get("version", ""),
            "license_expression": meta.get("license-expression", ""),
            "license": meta.get("license", ""),
            "metadata_sha256": hashlib.sha256(data).hexdigest(),
        })
    packages.sort(key=lambda p: p["name"].lower())
    return {
        "entry": config.get("entry", ""),
        "script": config.get("script", ""),
        "digest": config.get("digest", ""),
        "modules": len(modules),
        "data_files": sum(1 for k, n, _ in entries if k == "f"),
        "sources": sum(1 for k, _, _ in entries if k == "s"),
        "packages": packages,
    }


def patch_list(patches_dir, comp):
    out = []
    for name in comp.get("patches", []):
        path = os.path.join(patches_dir or "", comp["name"], comp["version"],
                            name)
        p = {"file": name}
        try:
            with open(path, "rb") as f:
                data = f.read()
            p["sha256"] = hashlib.sha256(data).hexdigest()
            p["sha1"] = hashlib.sha1(data).hexdigest()
        except OSError:
            pass
        out.append(p)
    return out


def build_info(manifest, kind, stick_version, patches, options,
               stdlib_count, app_entries=None, pruned=None, linker=None):
    """info.json's content. manifest: the toolchain's manifest (parsed);
    options: {key: value}; stdlib_count: the frozen stdlib modules (None
    when unknown); app_entries: see app_description(), None for an
    interpreter; pruned: for --prune, {"stdlib": the stdlib modules
    frozen, "builtin": the built-in C modules linked}; linker: the first
    line of the linker's --version, None when stick does not link the
    output (--lib)."""
    if kind not in KINDS:
        raise ValueError(f"unknown output kind '{kind}'")
    components = [{
        "name": c["name"], "version": c["version"], "license": c["license"],
        "source": c["source"], "sha256": c["sha256"],
        "patches": patch_list(patches, c),
    } for c in manifest["components"]]
    info = {
        "stick_info": 1,
        "stick_version": stick_version,
        "kind": kind,
        "python": manifest["python"],
        "libc": manifest["libc"],
        # Toolchains built before targets existed are x86_64 ones.
        "target": manifest.get("target", "x86_64-linux-" + (
            "musl" if manifest["libc"] == "musl" else "gnu")),
        "toolchain": manifest["key"],
        "compiler": manifest["compiler"],
        **({"linker": linker} if linker else {}),
        # Toolchains built before `stick toolchain --pgo` existed have no
        # such field: they are the default build.
        "optimization": manifest.get("optimization", "default"),
        "components": components,
        "builtin_modules": sorted(manifest["builtin_modules"]),
        "frozen_modules": {"stdlib": stdlib_count},
        "options": dict(sorted(options.items())),
    }
    if pruned is not None:
        left_out = set(info["builtin_modules"]) - set(pruned["builtin"])
        info["builtin_modules"] = sorted(pruned["builtin"])
        info["pruned"] = {"stdlib_modules": sorted(pruned["stdlib"]),
                          "builtin_modules_left_out": sorted(left_out)}
    if app_entries is not None:
        app = app_description(app_entries)
        info["frozen_modules"]["application"] = app["modules"]
        info["application"] = app
    return info


def add_extensions(info, packages, extensions, clibs):
    """The packages built from source (`NAME VERSION SHA256`), their C
    extension modules (`DOTTED PACKAGE OBJECT`) and the C libraries stick built
    for them (`NAME VERSION LICENSE SOURCE SHA256`), from the request."""
    if not packages:
        return
    info["built_from_source"] = [
        dict(zip(("name", "version", "sha256"), p.split(" ", 2)))
        for p in packages]
    info["extensions"] = [dict(zip(("module", "package"), e.split(" ")[:2]))
                          for e in extensions]
    info["c_libraries"] = [clib_fields(c) for c in clibs]


def clib_fields(line):
    """`NAME VERSION LICENSE SOURCE SHA256` as a dict; the license is an
    SPDX expression and may hold blanks ("Apache-2.0 WITH LLVM-exception")."""
    name, version, *license, source, sha256 = line.split(" ")
    return {"name": name, "version": version, "license": " ".join(license),
            "source": source, "sha256": sha256}


def add_distributions(info, dists):
    """The distributions installed from the requirements (`NAME VERSION
    KIND SHA256 SOURCE`: the artifact, a pure wheel or an sdist, and where
    it came from), from the request."""
    if dists:
        info["distributions"] = [
            dict(zip(("name", "version", "kind", "sha256", "source"),
                     d.split(" ", 4))) for d in dists]


def add_build_requirements(info, lines):
    """The artifacts installed from an index (or the lock) for the build
    backends of the packages built from source (`NAME VERSION SHA256
    SOURCE NEEDED-BY,...`): what built the extensions, not in the
    output."""
    if lines:
        info["build_requirements"] = []
        for line in lines:
            name, version, sha256, rest = line.split(" ", 3)
            source, needed = rest.rsplit(" ", 1)
            info["build_requirements"].append({
                "name": name, "version": version, "sha256": sha256,
                "source": source, "needed_by": needed.split(",")})


def add_tzdata(info, tz):
    """--tzdata: the time zone database embedded as the tzdata package
    (stickpy.tzdata.TzData.describe(): IANA version, package version,
    license, source file, its SHA-256, Debian package, zone files)."""
    info["tzdata"] = tz


def wrap(words, width=72, indent=14):
    lines, line = [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width - indent:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}" if line else w
    lines.append(line)
    return ("\n" + " " * indent).join(lines)


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


# How a toolchain's code was optimised (stick toolchain --lto/--pgo).
OPTIMIZATIONS = {
    "default": "default (CPython's -O3)",
    "lto": "LTO of CPython's core (stick toolchain --lto)",
    "pgo+lto": "PGO + LTO, trained on CPython's --pgo tests "
               "(stick toolchain --pgo)",
}


def summary(info):
    row = lambda k, v: f"{k:<13} {v}"
    frozen = info["frozen_modules"]
    counts = [f"{frozen['stdlib']} stdlib"] if frozen["stdlib"] is not None \
        else []
    if "application" in frozen:
        counts.append(f"{frozen['application']} application")
    lines = [
        row("kind", f"{info['kind']}, built by stick {info['stick_version']}"),
        row("python", f"{info['python']} ({info['libc']}, static)"),
        row("target", info.get("target", "x86_64-linux-musl")),
        row("toolchain", info["toolchain"]),
        row("compiler", info["compiler"]),
        *([row("linker", info["linker"])] if info.get("linker") else []),
        row("optimization", OPTIMIZATIONS.get(info.get("optimization"),
                                              info.get("optimization"))),
        row("frozen", " + ".join(counts) + " modules"),
        row("built-in", f"{len(info['builtin_modules'])} C modules"),
        " " * 14 + wrap(info["builtin_modules"], indent=14),
    ]
    pruned = info.get("pruned")
    if pruned:
        lines += [
            row("pruned", f"{len(pruned['stdlib_modules'])} stdlib modules "
                "kept (by --prune):"),
            " " * 14 + wrap(pruned["stdlib_modules"], indent=14),
            row("left out", f"{len(pruned['builtin_modules_left_out'])} "
                "built-in C modules:"),
            " " * 14 + wrap(pruned["builtin_modules_left_out"], indent=14),
        ]
    lines += [
        "components:",
    ]
    for c in info["components"]:
        patches = ", ".join(p["file"] for p in c["patches"])
        lines.append(f"  {c['name']:<11} {c['version']:<14} {c['license']:<12}"
                     f" {c['source']}" + (f" + {patches}" if patches else ""))
    app = info.get("application")
    if app:
        run = f"entry {app['entry']}" if app["entry"] else \
            f"script {app['script']}"
        lines.append(row("application", f"{run}; "
                         f"{plural(app['modules'], 'module')}, "
                         f"{plural(app['data_files'], 'data file')}, "
                         f"{plural(app['sources'], 'source')}"))
        if app["packages"]:
            lines.append("packages:")
            for p in app["packages"]:
                lines.append(f"  {p['name']:<24} {p['version']}")
    if info.get("distributions"):
        lines.append("distributions (installed from the requirements):")
        for d in info["distributions"]:
            lines.append(f"  {d['name']:<24} {d['version']:<10} {d['kind']:<6}"
                         f" sha256 {d['sha256']}")
            lines.append(f"  {'':<24} {d['source']}")
    if info.get("build_requirements"):
        lines.append("build requirements (from the index, for the build "
                     "backends; not in the output):")
        for b in info["build_requirements"]:
            lines.append(f"  {b['name']:<24} {b['version']:<10} sha256 "
                         f"{b['sha256']}")
            lines.append(f"  {'':<24} for {', '.join(b['needed_by'])}; "
                         f"{b['source']}")
    if info.get("extensions"):
        lines.append("C extensions:")
        for e in info["extensions"]:
            lines.append(f"  {e['module']:<24} from {e['package']} (source)")
        for c in info.get("c_libraries", []):
            lines.append(f"  {'(C library)':<24} {c['name']} {c['version']}"
                         f" {c['license']} {c['source']}")
    tz = info.get("tzdata")
    if tz:
        lines.append(row("tzdata", f"IANA {tz['version']} (package "
                         f"{tz['package_version']}), {tz['files']} zone "
                         f"files, {tz['license']}"))
        lines.append(row("", f"from {tz['source']} (Debian "
                         f"{tz['debian'].replace('=', ' ')}), "
                         f"sha256 {tz['sha256']}"))
    if info["options"]:
        lines.append("options:")
        for key, value in info["options"].items():
            lines.append(f"  {key:<24} {value}")
    return "\n".join(lines) + "\n"


def spdx_id(*parts):
    """An SPDX identifier: letters, digits, '.' and '-' only."""
    return "SPDXRef-" + "-".join(re.sub(r"[^A-Za-z0-9.]+", "-", p)
                                 for p in parts)


def package(spdxid, name, version, license="NOASSERTION", **extra):
    p = {
        "SPDXID": spdxid, "name": name, "versionInfo": version,
        "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": license or "NOASSERTION",
        "copyrightText": "NOASSERTION",
    }
    p.update(extra)
    return p


def artifact(dist):
    """SPDX fields of an installed distribution's artifact (or none)."""
    if not dist:
        return {}
    return {"downloadLocation": dist["source"],
            "packageFileName": dist["source"].rsplit("/", 1)[-1],
            "checksums": [{"algorithm": "SHA256",
                           "checksumValue": dist["sha256"]}],
            "sourceInfo": f"installed from its {dist['kind']}"}


def created_time():
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    t = int(epoch) if epoch and epoch.isdigit() else int(time.time())
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def build_sbom(info, name):
    out_id = spdx_id("Output", name)
    packages = [package(
        out_id, name, "NOASSERTION",
        checksums=[{"algorithm": "SHA256", "checksumValue": OUTPUT_DIGEST}],
        primaryPackagePurpose="APPLICATION" if info["kind"] == "application"
        else "INSTALL" if info["kind"] == "interpreter" else "LIBRARY",
        comment=f"a {info['kind']} for {info['target']} built by stick "
        f"{info['stick_version']} with toolchain {info['toolchain']}")]
    files, rels = [], [{"spdxElementId": "SPDXRef-DOCUMENT",
                        "relationshipType": "DESCRIBES",
                        "relatedSpdxElement": out_id}]
    for c in info["components"]:
        cid = spdx_id("Component", c["name"])
        patched = "; patched with " + ", ".join(
            p["file"] for p in c["patches"]) if c["patches"] else ""
        packages.append(package(
            cid, c["name"], c["version"], c["license"],
            packageFileName=c["source"],
            checksums=[{"algorithm": "SHA256", "checksumValue": c["sha256"]}],
            primaryPackagePurpose="LIBRARY",
            sourceInfo=f"built from {c['source']}{patched}"))
        rels.append({"spdxElementId": out_id, "relationshipType": "CONTAINS",
                     "relatedSpdxElement": cid})
        for p in c["patches"]:
            fid = spdx_id("Patch", c["name"], p["file"])
            sums = [{"algorithm": "SHA256", "checksumValue": p["sha256"]},
                    {"algorithm": "SHA1", "checksumValue": p["sha1"]}] \
                if "sha256" in p else []
            files.append({"SPDXID": fid, "fileName": "./patches/" + "/".join(
                (c["name"], c["version"], p["file"])), "checksums": sums,
                "fileTypes": ["SOURCE"], "licenseConcluded": "NOASSERTION",
                "copyrightText": "NOASSERTION"})
            rels.append({"spdxElementId": fid,
                         "relationshipType": "PATCH_APPLIED",
                         "relatedSpdxElement": cid})
    dists = {canonical_name(d["name"]): d for d in info.get("distributions", [])}
    for p in info.get("application", {}).get("packages", []):
        pid = spdx_id("Package", p["name"])
        # Only a License-Expression is SPDX; a free-text License field
        # goes into the comment.
        note = f"; License: {p['license']}" if p["license"] else ""
        packages.append(package(
            pid, p["name"], p["version"] or "NOASSERTION",
            p["license_expression"], primaryPackagePurpose="LIBRARY",
            comment="from its embedded dist-info METADATA (sha256 "
            f"{p['metadata_sha256']}){note}",
            **artifact(dists.pop(canonical_name(p["name"]), None))))
        rels.append({"spdxElementId": out_id, "relationshipType": "CONTAINS",
                     "relatedSpdxElement": pid})
    for d in dists.values():
        pid = spdx_id("Package", d["name"])
        packages.append(package(pid, d["name"], d["version"],
                                primaryPackagePurpose="LIBRARY",
                                **artifact(d)))
        rels.append({"spdxElementId": out_id, "relationshipType": "CONTAINS",
                     "relatedSpdxElement": pid})
    for c in info.get("c_libraries", []):
        cid = spdx_id("CLibrary", c["name"], c["version"])
        packages.append(package(
            cid, c["name"], c["version"], c["license"],
            primaryPackagePurpose="LIBRARY",
            checksums=[{"algorithm": "SHA256", "checksumValue": c["sha256"]}],
            comment=f"the build host's {c['source']}, linked in statically "
            "for C++ extensions" if c["source"].startswith("/") else
            f"built by stick from {c['source']} for C extensions"))
        rels.append({"spdxElementId": out_id, "relationshipType": "CONTAINS",
                     "relatedSpdxElement": cid})
    build_requirement_packages(info, packages, rels, out_id)
    tz = info.get("tzdata")
    if tz:
        tid = spdx_id("Data", "tzdata", tz["version"])
        packages.append(package(
            tid, "tzdata", tz["version"], tz["license"],
            packageFileName=tz["source"],
            checksums=[{"algorithm": "SHA256", "checksumValue": tz["sha256"]}],
            primaryPackagePurpose="DATA",
            sourceInfo=f"the IANA time zone database, compiled by zic from "
            f"{tz['source']} (Debian {tz['debian'].replace('=', ' ')}) into "
            f"the tzdata "
            f"package {tz['package_version']} (--tzdata)"))
        rels.append({"spdxElementId": out_id, "relationshipType": "CONTAINS",
                     "relatedSpdxElement": tid})
    body = json.dumps(info, sort_keys=True).encode()
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": name,
        "documentNamespace": "https://stick.invalid/spdx/"
        f"{re.sub(r'[^A-Za-z0-9.-]+', '-', name)}-"
        f"{hashlib.sha256(body).hexdigest()[:32]}",
        "creationInfo": {"created": created_time(),
                         "creators": creators(info)},
        "packages": packages,
        "relationships": rels,
    }
    if files:
        doc["files"] = files
    if tz and tz["license"].startswith("LicenseRef-"):
        # SPDX wants the text of a license that is not on its list.
        doc["hasExtractedLicensingInfos"] = [{
            "licenseId": tz["license"], "name": "public domain",
            "extractedText": "Unless specified below, all files in the tz "
            "code and data (including this LICENSE file) are in the public "
            "domain. (the tz LICENSE file; its BSD-licensed code files are "
            "not in the data release)"}]
    return doc


def build_requirement_packages(info, packages, rels, out_id):
    """The build requirements as SPDX packages, each a BUILD_DEPENDENCY_OF
    the packages it built (the output when such a package is not listed
    on its own)."""
    listed = {canonical_name(p["name"]): p["SPDXID"] for p in packages}
    for b in info.get("build_requirements", []):
        bid = spdx_id("BuildRequirement", b["name"], b["version"],
                      b["sha256"][:12])
        packages.append(package(
            bid, b["name"], b["version"], primaryPackagePurpose="LIBRARY",
            comment="installed for a build backend; not in the output",
            **artifact({**b, "kind": "artifact"})))
        for needed in b["needed_by"]:
            rels.append({"spdxElementId": bid,
                         "relationshipType": "BUILD_DEPENDENCY_OF",
                         "relatedSpdxElement":
                         listed.get(canonical_name(needed), out_id)})


def creators(info):
    """SPDX creators: stick, and the linker that wrote the output."""
    out = [f"Tool: stick-{info['stick_version']}"]
    m = re.search(r"LLD (\S+)", info.get("linker") or "")
    if m:
        out.append(f"Tool: lld-{m.group(1)}")
    elif info.get("linker"):
        out.append(f"Tool: {info['linker']}")
    return out


def write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def write(out, info, name):
    """Writes out/info.json, out/info.txt and out/sbom.json (the draft)."""
    write_text(os.path.join(out, "info.json"),
               json.dumps(info, indent=1) + "\n")
    write_text(os.path.join(out, "info.txt"), summary(info))
    write_text(os.path.join(out, "sbom.json"),
               json.dumps(build_sbom(info, name), indent=1) + "\n")
