"""stickpy.describe: info.json, the summary and the SBOM from entries held
in memory."""

import json
import os

from stickpy import describe
from util import TreeTest

MANIFEST = {
    "python": "3.13.5", "libc": "musl", "key": "3.13-musl-0123",
    "compiler": "gcc 12", "builtin_modules": ["sys", "_io", "math"],
    "components": [
        {"name": "python", "version": "3.13.5", "license": "PSF-2.0",
         "source": "Python-3.13.5.tar.xz", "sha256": "ab" * 32,
         "patches": ["0001-fix.patch"]},
        {"name": "zlib", "version": "1.3.1", "license": "Zlib",
         "source": "zlib.tar.gz", "sha256": "cd" * 32},
    ],
}

METADATA = (b"Metadata-Version: 2.1\nName: Greet\nVersion: 1.0\n"
            b"License-Expression: MIT\n\nName: not a header\n")

ENTRIES = [
    ("m", "greet", b"code"), ("p", "tools", b"code"), ("s", "greet", b"src"),
    ("m", "_stick_importer", b"x"), ("m", "_stick_resources", b"x"),
    ("f", "greet-1.0.dist-info/METADATA", METADATA),
    ("f", "aaa-2.dist-info/METADATA", b"Name: aaa\nVersion: 2\n"
     b"License: BSD\n"),
    ("f", "greet/data.txt", b"data"),
    ("c", "entry", b"greet:main"), ("c", "script", b""),
    ("c", "digest", b"0123"),
]


class AppDescriptionTest(TreeTest):
    def test_counts_and_packages_from_the_entries(self):
        app = describe.app_description(ENTRIES)
        self.assertEqual(app["modules"], 2)  # not the importer modules
        self.assertEqual(app["data_files"], 3)
        self.assertEqual(app["sources"], 1)
        self.assertEqual(app["entry"], "greet:main")
        self.assertEqual(app["digest"], "0123")
        self.assertEqual([(p["name"], p["version"], p["license_expression"],
                           p["license"]) for p in app["packages"]],
                         [("aaa", "2", "", "BSD"), ("Greet", "1.0", "MIT", "")])

    def test_metadata_headers_stop_at_the_body(self):
        self.assertEqual(describe.parse_metadata(METADATA.decode())["name"],
                         "Greet")


class InfoTest(TreeTest):
    def info(self, kind="application", entries=ENTRIES):
        patches = self.tree("patches", {"python/3.13.5/0001-fix.patch":
                                        "--- a\n+++ b\n"})
        return describe.build_info(MANIFEST, kind, "0.9", patches,
                                   {"python": "3.13", "libc": "musl"}, 537,
                                   entries)

    def test_info_from_manifest_options_and_entries(self):
        info = self.info()
        self.assertEqual(info["frozen_modules"],
                         {"stdlib": 537, "application": 2})
        self.assertEqual(list(info["options"]), ["libc", "python"])
        self.assertEqual(info["builtin_modules"], ["_io", "math", "sys"])
        patch = info["components"][0]["patches"][0]
        self.assertEqual(patch["file"], "0001-fix.patch")
        self.assertEqual(len(patch["sha256"]), 64)
        self.assertEqual(info["components"][1]["patches"], [])

    def test_an_interpreter_has_no_application(self):
        info = self.info("interpreter", None)
        self.assertNotIn("application", info)
        self.assertIn("frozen        537 stdlib modules",
                      describe.summary(info))

    def test_the_toolchain_optimization_is_shown(self):
        info = self.info("interpreter", None)
        self.assertEqual(info["optimization"], "default")
        self.assertIn("optimization  default (CPython's -O3)\n",
                      describe.summary(info))
        patches = self.tree("p", {})
        pgo = describe.build_info(dict(MANIFEST, optimization="pgo+lto"),
                                  "interpreter", "0.9", patches, {}, 537)
        self.assertEqual(pgo["optimization"], "pgo+lto")
        self.assertIn("optimization  PGO + LTO, trained on CPython's --pgo "
                      "tests (stick toolchain --pgo)\n", describe.summary(pgo))

    def test_unknown_kind_is_refused(self):
        with self.assertRaisesRegex(ValueError, "unknown output kind 'app'"):
            self.info("app")

    def test_summary_lines(self):
        text = describe.summary(self.info())
        self.assertIn("frozen        537 stdlib + 2 application modules\n",
                      text)
        self.assertIn("application   entry greet:main; 2 modules, 3 data "
                      "files, 1 source\n", text)
        self.assertIn("  python      3.13.5         PSF-2.0      "
                      "Python-3.13.5.tar.xz + 0001-fix.patch\n", text)

    def test_sbom_has_the_output_components_patches_and_packages(self):
        os.environ["SOURCE_DATE_EPOCH"] = "86400"
        try:
            doc = describe.build_sbom(self.info(), "my app")
        finally:
            del os.environ["SOURCE_DATE_EPOCH"]
        self.assertEqual(doc["creationInfo"]["created"],
                         "1970-01-02T00:00:00Z")
        out = doc["packages"][0]
        self.assertEqual(out["SPDXID"], "SPDXRef-Output-my-app")
        self.assertEqual(out["checksums"][0]["checksumValue"],
                         describe.OUTPUT_DIGEST)
        self.assertEqual(out["primaryPackagePurpose"], "APPLICATION")
        ids = [p["SPDXID"] for p in doc["packages"]]
        self.assertIn("SPDXRef-Component-zlib", ids)
        self.assertIn("SPDXRef-Package-Greet", ids)
        applied = [r for r in doc["relationships"]
                   if r["relationshipType"] == "PATCH_APPLIED"]
        self.assertEqual(applied[0]["relatedSpdxElement"],
                         "SPDXRef-Component-python")
        aaa = [p for p in doc["packages"] if p["name"] == "aaa"][0]
        self.assertEqual(aaa["licenseDeclared"], "NOASSERTION")
        self.assertIn("License: BSD", aaa["comment"])

    def test_installed_distributions_carry_their_artifact(self):
        info = self.info()
        describe.add_distributions(info, [
            f"greet 1.0 wheel {'11' * 32} "
            "http://127.0.0.1:1/f/greet-1.0-py3-none-any.whl",
            f"other-thing 2 sdist {'22' * 32} /idx/other_thing-2.tar.gz"])
        text = describe.summary(info)
        self.assertIn(f"  greet                    1.0        wheel  sha256 "
                      f"{'11' * 32}\n", text)
        self.assertIn("/idx/other_thing-2.tar.gz\n", text)
        doc = describe.build_sbom(info, "app")
        greet = [p for p in doc["packages"] if p["name"] == "Greet"][0]
        self.assertEqual(greet["checksums"][0]["checksumValue"], "11" * 32)
        self.assertEqual(greet["packageFileName"],
                         "greet-1.0-py3-none-any.whl")
        other = [p for p in doc["packages"] if p["name"] == "other-thing"]
        self.assertEqual(other[0]["downloadLocation"],
                         "/idx/other_thing-2.tar.gz")
        self.assertIn({"spdxElementId": "SPDXRef-Output-app",
                       "relationshipType": "CONTAINS",
                       "relatedSpdxElement": "SPDXRef-Package-other-thing"},
                      doc["relationships"])

    def test_write_puts_the_digest_placeholder_once(self):
        out = self.tree("out", {})
        describe.write(out, self.info(), "app")
        with open(os.path.join(out, "sbom.json")) as f:
            text = f.read()
        self.assertEqual(text.count(describe.OUTPUT_DIGEST), 1)
        with open(os.path.join(out, "info.json")) as f:
            self.assertEqual(json.load(f)["kind"], "application")
        self.assertTrue(os.path.exists(os.path.join(out, "info.txt")))
