"""stickpy.freeze: module naming, the stdlib and application tables."""

import contextlib
import io
import marshal
import os
import re

from stickpy import freeze
from stickpy.freeze import App, BuildError
from util import EMBED, TreeTest


class NamingTest(TreeTest):
    def test_module_names(self):
        self.assertEqual(freeze.module_name(os.path.join("a", "b", "__init__.py")),
                         ("a.b", True))
        self.assertEqual(freeze.module_name(os.path.join("a", "c.py")),
                         ("a.c", False))
        self.assertEqual(freeze.module_name("json.py"), ("json", False))

    def test_collect_skips_tests_non_packages_and_dotted_names(self):
        root = self.tree("lib", {
            "os.py": "", "a.b.py": "", "_sysconfigdata__x-y.py": "",
            "pkg/__init__.py": "", "pkg/m.py": "", "pkg/tests/__init__.py": "",
            "pkg/tests/t.py": "", "notpkg/x.py": "", "idlelib/__init__.py": "",
            "pkg/sub/__init__.py": "", "pkg/sub/n.py": "",
            "pkg/__pycache__/m.cpython-313.pyc": "", "config-3.13/x.py": "",
        })
        self.assertEqual(freeze.collect(root), [
            "_sysconfigdata__x-y.py", "os.py", os.path.join("pkg", "__init__.py"),
            os.path.join("pkg", "m.py"), os.path.join("pkg", "sub", "__init__.py"),
            os.path.join("pkg", "sub", "n.py")])


class StdlibTableTest(TreeTest):
    def test_table_sorted_by_name_offsets_into_the_blob(self):
        root = self.tree("lib", {"zeta.py": "z = 1\n", "alpha.py": "a = 2\n",
                                 "pkg/__init__.py": "", "bad.py": "def (\n"})
        out = self.tree("out", {})
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            count, line = freeze.write_stdlib(
                root, sorted(freeze.collect(root)), out)
        self.assertEqual(err.getvalue(), "bad.py:1: SyntaxError: invalid "
                         "syntax (left out)\n")
        self.assertEqual(count, 3)
        self.assertRegex(line, r"^3 stdlib modules, \d+ bytes of code, "
                               r"1 left out$")
        with open(os.path.join(out, "frozen.c")) as f:
            table = f.read()
        with open(os.path.join(out, "blob.bin"), "rb") as f:
            blob = f.read()
        rows = re.findall(r'\{ "([^"]+)", stick_stdlib_blob \+ (\d+), '
                          r'(\d+), (\d) \}', table)
        self.assertEqual([r[0] for r in rows], ["alpha", "pkg", "zeta"])
        self.assertEqual([r[3] for r in rows], ["0", "1", "0"])
        self.assertIn("const int stick_stdlib_count = 3;", table)
        name, offset, size, _ = rows[2]
        code = marshal.loads(blob[int(offset):int(offset) + int(size)])
        self.assertEqual(code.co_filename, "<frozen zeta>")
        with open(os.path.join(out, "blob.S")) as f:
            asm = f.read()
        self.assertIn('.incbin "blob.bin"', asm)
        self.assertIn(".globl stick_stdlib_blob", asm)


class EntryTest(TreeTest):
    def modules(self, text):
        path = os.path.join(self.tree("p", {"m.py": text}), "m.py")
        return {"m": (False, path, "m.py")}

    def test_defined_names_pass(self):
        mods = self.modules("import os.path\nfrom x import y as run\n"
                            "def main(): pass\nclass C: pass\nv = 1\n")
        for entry in ("m:main", "m:C.method", "m:run", "m:os", "m:v"):
            freeze.check_entry(mods, entry)

    def test_errors_name_what_is_missing(self):
        mods = self.modules("def main(): pass\n")
        with self.assertRaisesRegex(BuildError, "must be MODULE:FUNCTION"):
            freeze.check_entry(mods, "m")
        with self.assertRaisesRegex(BuildError, "no module 'n' in the"):
            freeze.check_entry(mods, "n:main")
        with self.assertRaisesRegex(BuildError, "module 'm' defines no 'go'"):
            freeze.check_entry(mods, "m:go")

    def test_syntax_error_names_file_and_line(self):
        mods = self.modules("x = 1\ndef (:\n")
        with self.assertRaisesRegex(BuildError, r"m\.py:2: SyntaxError"):
            freeze.check_entry(mods, "m:x")


class AppTest(TreeTest):
    def paths(self):
        first = self.tree("one", {
            "greet/__init__.py": "from .sub import hi\n",
            "greet/sub.py": "def hi(): return 'hi'\n",
            "greet/data/hello.txt": "hello\n",
            "greet-1.0.dist-info/METADATA": "Name: greet\nVersion: 1.0\n",
            "solo.py": "x = 1\n", "mod.so": "", "notes.txt": "top\n",
        })
        second = self.tree("two", {"solo.py": "x = 2\n", "other.py": ""})
        return [first, second]

    def test_table_holds_modules_sources_data_and_config(self):
        app = App(EMBED, entry="greet:hi", paths=self.paths())
        entries, count, analysis = freeze.collect_app(app)
        self.assertIsNone(analysis)
        self.assertEqual(count, 4)  # greet, greet.sub, solo, other
        keys = {freeze.KIND_PREFIX[k] + ":" + n for k, n, _ in entries}
        for key in ("p:greet", "m:greet.sub", "s:greet.sub", "m:solo",
                    "f:greet/data/hello.txt",
                    "f:greet-1.0.dist-info/METADATA", "m:_stick_importer",
                    "m:_stick_resources", "c:entry", "c:digest"):
            self.assertIn(key, keys)
        self.assertNotIn("f:notes.txt", keys)  # not in a package
        self.assertNotIn("m:_stick_api", keys)
        solo = [d for k, n, d in entries if n == "solo" and k == freeze.KIND_SOURCE]
        self.assertEqual(solo, [b"x = 1\n"])  # the first path wins

    def test_without_source_library_and_script(self):
        script = os.path.join(self.tree("s", {"run.py": "print(1)\n"}),
                              "run.py")
        app = App(EMBED, script=script, with_source=False, library=True)
        entries, count, _ = freeze.collect_app(app)
        kinds = {(freeze.KIND_PREFIX[k], n) for k, n, _ in entries}
        self.assertIn(("m", "__main__"), kinds)
        self.assertIn(("m", "_stick_api"), kinds)
        self.assertFalse(any(k == "s" for k, _ in kinds))
        config = {n: d for k, n, d in entries if k == freeze.KIND_CONFIG}
        self.assertEqual(config["script"], b"run.py")
        self.assertEqual(config["entry"], b"")

    def test_the_digest_follows_the_contents(self):
        paths = self.paths()
        digest = lambda app: dict(
            (n, d) for k, n, d in freeze.collect_app(app)[0]
            if k == freeze.KIND_CONFIG)["digest"]
        a = digest(App(EMBED, entry="greet:hi", paths=paths))
        self.assertEqual(a, digest(App(EMBED, entry="greet:hi", paths=paths)))
        self.assertNotEqual(a, digest(App(EMBED, entry="greet:hi",
                                          paths=paths, allow_env=True)))

    def test_write_app_sorts_by_kind_then_name(self):
        entries = [(freeze.KIND_MODULE, "b", b"1"), (freeze.KIND_CONFIG,
                   "entry", b"e"), (freeze.KIND_MODULE, "a", b"22"),
                   (freeze.KIND_PACKAGE, "a", b"333")]
        out = self.tree("out", {})
        freeze.write_app(out, entries)
        with open(os.path.join(out, "app.c")) as f:
            table = f.read()
        keys = re.findall(r'\{ "([^"]+)", stick_app_blob \+ (\d+), (\d+) \}',
                          table)
        self.assertEqual(keys, [("c:entry", "0", "1"), ("m:a", "1", "2"),
                                ("m:b", "3", "1"), ("p:a", "4", "3")])
        with open(os.path.join(out, "app.bin"), "rb") as f:
            self.assertEqual(f.read(), b"e221333")
        with open(os.path.join(out, "appblob.S")) as f:
            self.assertIn('.incbin "app.bin"', f.read())

    def test_syntax_error_in_the_app_names_file_and_line(self):
        root = self.tree("bad", {"broken.py": "x = (\n"})
        with self.assertRaisesRegex(BuildError, r"broken\.py:1: SyntaxError"):
            freeze.collect_app(App(EMBED, entry="broken:x", paths=[root]))

    def namespace_paths(self):
        """Two distributions' portions of the namespace package nsp, a
        top-level directory without code, and one shadowed by a module."""
        first = self.tree("one", {
            "nsp/sub/__init__.py": "", "nsp/sub/data/d.txt": "d\n",
            "nsp/inner/m.py": "", "nsp/top.txt": "t\n",
            "docs/index.rst": "no code\n", "docs/img/a.png": "",
            "shadow/x.py": "", "bad-name/y.py": "",
            "pkg/__init__.py": "", "pkg/plug/a.py": "",
            "pkg/plug/tpl.py": "def {{ name }}():\n",
        })
        second = self.tree("two", {"nsp/other/__init__.py": "",
                                   "shadow.py": "def x(): pass\n"})
        return [first, second]

    def test_namespace_packages_are_collected_across_paths(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            entries, count, _ = freeze.collect_app(
                App(EMBED, entry="shadow:x", paths=self.namespace_paths()))
        keys = {freeze.KIND_PREFIX[k] + ":" + n for k, n, _ in entries}
        for key in ("n:nsp", "n:nsp.inner", "n:nsp.sub.data", "n:pkg.plug",
                    "p:nsp.sub", "p:nsp.other", "m:nsp.inner.m",
                    "m:pkg.plug.a", "f:nsp/top.txt", "f:nsp/sub/data/d.txt",
                    "m:shadow", "f:pkg/plug/tpl.py"):
            self.assertIn(key, keys)
        # No code below docs/, a name no import can spell, a module of the
        # same name first on the path, a file that does not compile.
        for key in ("n:docs", "f:docs/index.rst", "n:bad-name",
                    "m:bad-name.y", "n:shadow", "m:shadow.x",
                    "m:pkg.plug.tpl"):
            self.assertNotIn(key, keys)
        self.assertRegex(err.getvalue(), r"tpl\.py:1: SyntaxError: .* "
                         r"\(not importable: embedded as a data file\)")
        self.assertEqual([d for k, n, d in entries if n == "nsp"], [b""])

    def test_directory_kinds(self):
        root = self.tree("k", {"code/a.py": "", "plain/a.txt": "",
                               "pkg/__init__.py": "", "x.dist-info/A": ""})
        kind = lambda name, parent: freeze.dir_kind(
            os.path.join(root, name), name, parent)
        self.assertEqual(kind("code", "root"), "namespace")
        self.assertIsNone(kind("plain", "root"))
        self.assertEqual(kind("plain", "package"), "namespace")
        self.assertEqual(kind("pkg", "namespace"), "package")
        self.assertEqual(kind("x.dist-info", "root"), "info")
        self.assertEqual(kind("x.dist-info", "package"), "data")
        self.assertEqual(kind("code", "data"), "data")

    def test_a_ca_bundle_must_hold_certificates(self):
        path = os.path.join(self.tree("ca", {"ca.pem": "not a pem\n"}),
                            "ca.pem")
        with self.assertRaisesRegex(BuildError, "--ca-bundle '.*ca.pem'"):
            freeze.validate_ca_bundle(path)
