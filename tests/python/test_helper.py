"""stickpy.helper: one request in, one result out, as stick runs it."""

import contextlib
import importlib
import io
import json
import os
import re
import sys

from stickpy import helper, request
from util import EMBED, TreeTest

MANIFEST = {"python": "3.13.5", "libc": "musl", "key": "k", "compiler": "cc",
            "builtin_modules": ["sys"], "components": []}


class HelperTest(TreeTest):
    def run_helper(self, pairs):
        req = os.path.join(self.dir, "request")
        result = os.path.join(self.dir, "result")
        with open(req, "w") as f:
            f.write(request.format_pairs(pairs))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = helper.main([req, result])
        self.stderr = err.getvalue()
        if status:
            return status, None
        return status, request.Request.read(result).pairs

    def build_request(self, work, kind="application", **keys):
        manifest = os.path.join(self.dir, "manifest.json")
        with open(manifest, "w") as f:
            json.dump(MANIFEST, f)
        pairs = [("kind", "build"), ("work", work), ("output", "/o/app"),
                 ("output-kind", kind), ("embed", EMBED),
                 ("manifest", manifest), ("patches", self.dir),
                 ("stick-version", "0.9"), ("python", "3.13"),
                 ("libc", "musl"), ("stdlib-modules", "537")]
        return pairs + list(keys.items())

    def test_build_an_application(self):
        app = self.tree("app", {"greet.py": "def main(): pass\n"})
        work = self.tree("work", {})
        status, result = self.run_helper(self.build_request(
            work, entry="greet:main", path=app, **{"without-source": ""}))
        self.assertEqual(status, 0, self.stderr)
        self.assertEqual(result, [
            ("compile", "app.c"), ("assemble", "appblob.S"),
            ("app-modules", "1"), ("stdlib-modules", "537"),
            ("info-json", "info.json"), ("info-txt", "info.txt"),
            ("sbom-draft", "sbom.json"),
            ("sbom-output-digest", "@STICK_OUTPUT_SHA256@")])
        for _, rel in result[:2] + result[4:7]:
            self.assertTrue(os.path.exists(os.path.join(work, rel)), rel)
        with open(os.path.join(work, "info.json")) as f:
            info = json.load(f)
        self.assertEqual(info["options"], {
            "allow-env": "no", "ca-bundle": "no", "libc": "musl",
            "prune": "no", "python": "3.13", "source": "no",
            "sys-executable": "python", "tzdata": "no"})
        self.assertEqual(info["frozen_modules"],
                         {"stdlib": 537, "application": 1})

    def test_an_interpreter_is_only_described(self):
        work = self.tree("work", {})
        status, result = self.run_helper(self.build_request(
            work, "interpreter"))
        self.assertEqual(status, 0, self.stderr)
        self.assertEqual([k for k, _ in result], [
            "stdlib-modules", "info-json", "info-txt", "sbom-draft",
            "sbom-output-digest"])
        self.assertFalse(os.path.exists(os.path.join(work, "app.c")))

    def test_a_library_records_app_options_only_with_paths(self):
        app = self.tree("app", {"m.py": ""})
        for extra, has in (({}, False), ({"path": app}, True)):
            work = self.tree(f"work{has}", {})
            status, _ = self.run_helper(self.build_request(work, "library",
                                                           **extra))
            self.assertEqual(status, 0, self.stderr)
            with open(os.path.join(work, "info.json")) as f:
                options = json.load(f)["options"]
            self.assertEqual("allow-env" in options, has)
            with open(os.path.join(work, "app.c")) as f:
                self.assertIn('"m:_stick_api"', f.read())

    def test_a_project_script(self):
        proj = self.tree("proj", {
            "pyproject.toml": '[project]\nname = "p"\nversion = "1"\n'
                              '[project.scripts]\nrun = "p.cli:main"\n'
                              '[tool.stick]\npython = "3.13"\n',
            "p/__init__.py": "", "p/cli.py": "def main(): pass\n"})
        status, result = self.run_helper([("kind", "project"),
                                          ("project", proj)])
        self.assertEqual(status, 0, self.stderr)
        self.assertEqual(result, [("python", "3.13"),
                                  ("project-script", "run p.cli:main")])
        work = self.tree("work", {})
        status, result = self.run_helper(self.build_request(
            work, project=proj, **{"project-script": "run"}))
        self.assertEqual(status, 0, self.stderr)
        with open(os.path.join(work, "app.c")) as f:
            table = f.read()
        self.assertIn('"f:p-1.dist-info/METADATA"', table)
        self.assertIn('"m:p.cli"', table)
        status, _ = self.run_helper(self.build_request(
            self.tree("w2", {}), project=proj, **{"project-script": "nope"}))
        self.assertEqual(status, 1)
        self.assertIn("no script 'nope'", self.stderr)

    def test_the_stdlib_request(self):
        lib = self.tree("lib", {"a.py": "", "b/__init__.py": ""})
        work = self.tree("work", {})
        status, result = self.run_helper([("kind", "stdlib"),
                                          ("stdlib", lib), ("work", work)])
        self.assertEqual(status, 0, self.stderr)
        self.assertEqual(result, [("stdlib-modules", "2"),
                                  ("compile", "frozen.c"),
                                  ("assemble", "blob.S")])

    def test_modules_imported_for_the_project_are_unloaded(self):
        lib = self.tree("lib", {"stick_test_mod_a.py": "import stick_test_mod_b\n",
                                "stick_test_mod_b.py": "X = 1\n"})
        sys.path.insert(0, lib)
        try:
            with helper.modules_unloaded():
                importlib.import_module("stick_test_mod_a")
                self.assertIn("stick_test_mod_b", sys.modules)
        finally:
            sys.path.remove(lib)
        self.assertNotIn("stick_test_mod_a", sys.modules)
        self.assertNotIn("stick_test_mod_b", sys.modules)
        self.assertIn("stickpy.helper", sys.modules)  # loaded before

    def test_errors_are_one_line_and_status_1(self):
        app = self.tree("app", {"greet.py": "def main(): pass\n"})
        cases = [
            ([("kind", "freeze")], "unknown kind 'freeze'"),
            ([("kind", "stdlib"), ("no-source", "")], "unknown key 'no-source'"),
            (self.build_request(self.dir, entry="greet:nope", path=app),
             "module 'greet' defines no 'nope'"),
        ]
        for pairs, message in cases:
            status, _ = self.run_helper(pairs)
            self.assertEqual(status, 1)
            self.assertRegex(self.stderr, "^[^\n]*" + re.escape(message)
                             + "[^\n]*\n$")


class HomeClibPath(TreeTest):
    """Archives a cached extension build recorded, seen from this home."""

    def test_rebased_onto_this_home(self):
        from stickpy.util import home_clib_path
        old = "/tmp/gone/home/clibs/3.13-musl-k/libcxx-19.1.7-0123/lib/libc++.a"
        self.assertEqual(home_clib_path(old, "/h"),
                         "/h/clibs/3.13-musl-k/libcxx-19.1.7-0123/lib/libc++.a")
        self.assertEqual(home_clib_path("/usr/lib/gcc/libstdc++.a", "/h"),
                         "/usr/lib/gcc/libstdc++.a")

    def test_recorded_under_the_home_and_back(self):
        """A build records its archives as clibs/... (the same bytes in
        every home, so the shared cache can carry it); each home reads
        them back as its own."""
        from stickpy.util import home_clib_path, home_relative
        mine = "/a/home/clibs/3.13-musl-k/libyaml-0.2.5-01/lib/libyaml.a"
        rel = home_relative(mine, "/a/home")
        self.assertEqual(rel, "clibs/3.13-musl-k/libyaml-0.2.5-01/lib/libyaml.a")
        self.assertEqual(home_clib_path(rel, "/b"),
                         "/b/clibs/3.13-musl-k/libyaml-0.2.5-01/lib/libyaml.a")
        for other in ("-lm", "/usr/lib/gcc/libstdc++.a",
                      "/a/homeX/clibs/k/x-1-0/lib/libx.a"):
            self.assertEqual(home_relative(other, "/a/home"), other)
        self.assertEqual(home_relative(mine, None), mine)
