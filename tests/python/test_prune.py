"""stickpy.prune: what an application imports, decided from the sources."""

import ast
import os
import sys

from stickpy import freeze, prune
from stickpy.freeze import App
from util import EMBED, TreeTest


def chain(analysis, name):
    """'name <- importer <- ...' back to a root: why the analysis kept
    name, as its `why` table records."""
    out = [name]
    while analysis.why.get(out[-1]) and len(out) < 50:
        out.append(analysis.why[out[-1]])
    return " <- ".join(out)


def test_of(expr):
    return ast.parse(expr, mode="eval").body


class NeverRunsTest(TreeTest):
    def test_dead_branches(self):
        for expr in ("False", "TYPE_CHECKING", "typing.TYPE_CHECKING",
                     "__name__ == '__main__'", "sys.platform == 'win32'",
                     "sys.platform == 'darwin'"):
            self.assertTrue(prune.never_runs(test_of(expr)), expr)

    def test_live_branches(self):
        for expr in ("True", "x", "sys.platform == 'linux'",
                     "__name__ != '__main__'", "__name__ == 'mod'",
                     "sys.platform.startswith('win')"):
            self.assertFalse(prune.never_runs(test_of(expr)), expr)


def facts(text, name="pkg.mod", package="pkg", **kw):
    return prune.ModuleFacts(ast.parse(text), name, package, **kw)


def imports(f, key=None):
    region = f.regions.get(key)
    return sorted(set(region.imports)) if region else []


class ModuleFactsTest(TreeTest):
    def test_from_imports_name_possible_submodules(self):
        f = facts("from a.b import c, d\nimport e.f\n")
        self.assertEqual(imports(f), ["a.b", "a.b.c", "a.b.d", "e.f"])

    def test_relative_imports_resolve_against_the_package(self):
        f = facts("from . import x\nfrom ..y import z\n", "top.pkg.m",
                  "top.pkg")
        self.assertEqual(imports(f), ["top.pkg", "top.pkg.x", "top.y",
                                      "top.y.z"])

    def test_function_bodies_are_regions_of_their_own(self):
        text = ("import os\ndef f():\n    import json\n"
                "    def inner():\n        import csv\n")
        f = facts(text)
        self.assertEqual(imports(f), ["os"])
        self.assertEqual(imports(f, ("f", "pkg.mod", "f")), ["csv", "json"])
        deep = facts(text, deep=True)  # application code: all of it runs
        self.assertEqual(imports(deep), ["csv", "json", "os"])

    def test_methods_wait_for_their_class_dunders_only_for_the_class(self):
        f = facts("class C:\n    def __init__(self):\n        import a\n"
                  "    def go(self):\n        import b\n")
        self.assertEqual(imports(f, ("f", "pkg.mod", "C")), ["a"])
        self.assertEqual(imports(f, ("m", "pkg.mod", "C", "go")), ["b"])

    def test_references_name_functions_and_attributes(self):
        f = facts("import x.y as z\nfrom q import r\ndef g(): pass\n"
                  "g()\nz.w.v\n")
        refs = f.regions[None].refs
        for ref in (("f", "pkg.mod", "g"), ("f", "x.y", "w"),
                    ("f", "x.y.w", "v"), ("f", "q", "r"), ("a", "v")):
            self.assertIn(ref, refs)

    def test_dead_branches_are_skipped_but_else_counts(self):
        text = ("if TYPE_CHECKING:\n    import typing_only\nelse:\n"
                "    import runtime\nif __name__ == '__main__':\n"
                "    import cli_only\n")
        self.assertEqual(imports(facts(text)), ["runtime"])
        # The script being run is __main__: its guard runs.
        self.assertEqual(imports(facts(text, is_main=True)),
                         ["cli_only", "runtime"])

    def test_import_error_fallbacks_are_separate(self):
        f = facts("try:\n    from _fast import x\n"
                  "except ImportError:\n    from slow import x\n")
        self.assertEqual(imports(f), ["_fast", "_fast.x"])
        (tried, handler), = f.regions[None].fallbacks
        self.assertEqual(tried, ["_fast"])
        self.assertEqual(imports(f, handler), ["slow", "slow.x"])
        # Any other handler may run for other reasons: all of it counts.
        g = facts("try:\n    import a\nexcept Exception:\n    import b\n")
        self.assertEqual(imports(g), ["a", "b"])

    def test_module_getattr_branches_run_by_attribute_name(self):
        f = facts("def __getattr__(name):\n"
                  "    if name == 'Proc':\n        from .process import P\n"
                  "    if name in ('A', 'B'):\n        import ab\n"
                  "    import always\n")
        self.assertEqual(imports(f, ("f", "pkg.mod", "Proc")),
                         ["pkg.process", "pkg.process.P"])
        self.assertEqual(imports(f, ("f", "pkg.mod", "B")), ["ab"])
        self.assertEqual(imports(f, ("f", "pkg.mod", "__getattr__")),
                         ["always"])

    def test_strings_given_to_calls_and_dynamic_getattr(self):
        f = facts("import importlib\nimportlib.import_module('plug.in')\n"
                  "getattr(self, 'do_' + cmd)\n")
        self.assertIn(("import_module", "plug.in"), f.regions[None].strings)
        self.assertTrue(f.dynamic)


class AnalysisTest(TreeTest):
    def analyse(self, script_text, files, **kw):
        root = self.tree("app", files)
        script = os.path.join(self.tree("s", {"main.py": script_text}),
                              "main.py")
        app = App(EMBED, script=script, paths=[root], prune=True, **kw)
        modules = {}
        for rel in ("mine/__init__.py", "mine/core.py", "unused/__init__.py"):
            if rel in files:
                name = rel[:-3].replace("/", ".").removesuffix(".__init__")
                modules[name] = (rel.endswith("__init__.py"),
                                 os.path.join(root, rel), rel)
        return prune.Analysis(app, modules, []), root

    def test_stdlib_app_packages_and_builtins(self):
        files = {"mine/__init__.py": "from . import core\n",
                 "mine/core.py": "import json\n",
                 "unused/__init__.py": "import csv\n"}
        # A C module built into this interpreter, not imported at start-up.
        builtin = "math" if "math" in sys.builtin_module_names else "_thread"
        a, root = self.analyse(f"import mine\nimport {builtin}\n", files)
        self.assertEqual(a.app_tops(), {"mine"})
        self.assertIn("json", a.found)
        self.assertNotIn("csv", a.found)  # only in an unused package
        self.assertIn(os.path.join("json", "__init__.py"), a.stdlib_files())
        self.assertIn(builtin, a.builtins())
        for name in prune.STARTUP_MODULES:
            self.assertIn(name, a.found)
        self.assertEqual(chain(a, "json"), "json <- mine.core <- mine <- __main__")

    def test_exclude_include_and_missing(self):
        a, _ = self.analyse("import json\nimport no_such_module_xyz\n", {},
                            excludes=["json"], includes=["email"])
        self.assertNotIn("json", a.found)
        self.assertIn("email.mime.text", a.found)  # all of the package
        self.assertIn("no_such_module_xyz", a.missing)

    def test_extension_modules_imports_from_c(self):
        # numpy.random.bit_generator (an extension: no .py) imports
        # secrets from Cython code; the table keeps it.
        files = {"numpy/__init__.py": "",
                 "numpy/random/__init__.py": "from . import bit_generator\n"}
        a, _ = self.analyse("import numpy.random\n", files)
        self.assertIn("numpy.random.bit_generator", a.missing)
        self.assertIn("secrets", a.found)
        self.assertEqual(a.why["secrets"], "numpy.random.bit_generator")
        b, _ = self.analyse("import numpy\n", {"numpy/__init__.py": ""})
        self.assertNotIn("secrets", b.found)

    def test_frozen_files_leave_out_what_cpython_carries(self):
        a, _ = self.analyse("import os\nimport json\n", {})
        files = a.frozen_stdlib_files()
        self.assertIn(os.path.join("json", "__init__.py"), files)
        self.assertNotIn("os.py", files)
        self.assertIn("os.py", a.stdlib_files())


    def test_a_function_counts_once_kept_code_references_it(self):
        # tarfile's main() imports argparse, but only its __main__ guard
        # calls it; argparse's HelpFormatter.__init__ imports shutil.
        a, _ = self.analyse("import tarfile\n", {})
        self.assertIn("tarfile", a.found)
        self.assertNotIn("argparse", a.found)
        b, _ = self.analyse("import argparse\n"
                            "argparse.ArgumentParser().parse_args()\n", {})
        self.assertIn("shutil", b.found)

    def test_builtins_imported_inside_functions_that_run(self):
        # hashlib looks its constructors up at import time.
        a, _ = self.analyse("import hashlib\n", {})
        optional = a.optional_builtins()
        for name in ("_blake2", "_sha2"):
            if name in optional:
                self.assertIn(name, a.builtins())

    def test_fallback_only_when_the_tried_module_is_missing(self):
        # random imports hashlib only when _sha2 is missing.
        a, _ = self.analyse("import random\n", {})
        self.assertEqual("hashlib" in a.found, "_sha2" not in a.found)

    def test_blocked_modules_run_their_fallbacks(self):
        # import_fresh_module("zoneinfo", blocked=["_zoneinfo"]) runs
        # zoneinfo's `except ImportError: from ._zoneinfo import ...`.
        a, _ = self.analyse("import zoneinfo\n", {})
        b, _ = self.analyse(
            "from test.support.import_helper import import_fresh_module\n"
            "import_fresh_module('zoneinfo', blocked=['_zoneinfo'])\n", {})
        if "_zoneinfo" in a.found:
            self.assertNotIn("zoneinfo._zoneinfo", a.found)
        self.assertIn("zoneinfo._zoneinfo", b.found)

    def test_generics_syntax_imports_typing(self):
        f = facts("class C[T]:\n    pass\ntype X = int\n")
        self.assertEqual(imports(f), ["typing"])

    def test_pylong_only_with_decimal(self):
        a, _ = self.analyse("print(1)\n", {})
        b, _ = self.analyse("import decimal\n", {})
        self.assertNotIn("_pylong", a.found)
        self.assertIn("_pylong", b.found)

    def test_module_names_in_strings(self):
        files = {"mine/__init__.py": "", "mine/core.py": "",
                 "unused/__init__.py": ""}
        a, _ = self.analyse("import importlib\n"
                            "importlib.import_module('csv')\n"
                            "load_plugin('unused')\n", files)
        self.assertIn("csv", a.found)
        self.assertIn("unused", a.app_tops())

    def test_unicodedata_only_for_named_escapes_or_non_ascii_sources(self):
        a, _ = self.analyse("import re\nprint('plain')\n", {})
        b, _ = self.analyse("import re\nre.compile(r'\\N{EM DASH}')\n", {})
        c, _ = self.analyse("print('caf\u00e9')\n", {})
        self.assertNotIn("unicodedata", a.found)
        self.assertIn("unicodedata", b.found)
        self.assertIn("unicodedata", c.found)

    def test_left_out_and_report(self):
        a, _ = self.analyse("import json\n", {})
        left = a.left_out(["json", "csv", "os"])
        self.assertIn("csv", left)
        self.assertNotIn("json", left)
        self.assertNotIn("os", left)  # CPython carries it frozen
        self.assertIn("--prune kept", a.report(["json", "csv", "os"], {}))


class NamespaceTest(TreeTest):
    """--prune over PEP 420 namespace packages: two distributions in the
    namespace nsp, from two path directories."""

    def analyse(self, script_text, **kw):
        paths = [self.tree("one", {"nsp/used/__init__.py": "import csv\n",
                                   "nsp/data.txt": ""}),
                 self.tree("two", {"nsp/unused/__init__.py": "import json\n",
                                   "nsp/deep/mod.py": ""})]
        script = os.path.join(self.tree("s", {"main.py": script_text}),
                              "main.py")
        app = App(EMBED, script=script, paths=paths, prune=True, **kw)
        modules, files, namespaces = freeze.scan_paths(app)
        return prune.Analysis(app, modules, files, namespaces)

    def test_package_unit(self):
        ns = {"google", "google.cloud"}
        self.assertEqual(prune.package_unit("google.protobuf.json_format", ns),
                         "google.protobuf")
        self.assertEqual(prune.package_unit("google.cloud.storage.x", ns),
                         "google.cloud.storage")
        self.assertEqual(prune.package_unit("google.cloud", ns),
                         "google.cloud")
        self.assertEqual(prune.package_unit("json.decoder", ns), "json")

    def test_a_namespace_import_keeps_only_the_portions_used(self):
        a = self.analyse("import nsp.used\n")
        self.assertEqual(a.found["nsp"], "")
        self.assertEqual(len(a.namespaces["nsp"]), 2)
        self.assertEqual(a.app_units(), {"nsp", "nsp.used"})
        self.assertEqual(a.app_tops(), {"nsp"})
        self.assertIn("csv", a.found)
        self.assertNotIn("json", a.found)
        self.assertIn("1 of 3 application modules",
                      a.report([], a.app_modules))

    def test_include_of_a_namespace_takes_all_its_portions(self):
        a = self.analyse("print(1)\n", includes=["nsp"])
        self.assertEqual(a.app_units(), {"nsp", "nsp.used", "nsp.unused",
                                         "nsp.deep", "nsp.deep.mod"})
        self.assertIn("json", a.found)

    def test_pruned_table_and_left_out_names(self):
        paths = [self.tree("one", {"nsp/used/__init__.py": "",
                                   "nsp/data.txt": ""}),
                 self.tree("two", {"nsp/unused/__init__.py": "",
                                   "other/x.py": ""})]
        script = os.path.join(self.tree("s", {"main.py": "import nsp.used\n"}),
                              "main.py")
        entries, _, _ = freeze.collect_app(App(EMBED, script=script,
                                               paths=paths, prune=True))
        keys = {freeze.KIND_PREFIX[k] + ":" + n for k, n, _ in entries}
        for key in ("n:nsp", "p:nsp.used", "f:nsp/data.txt"):
            self.assertIn(key, keys)
        for key in ("p:nsp.unused", "n:other", "m:other.x"):
            self.assertNotIn(key, keys)
        config = {n: d.decode() for k, n, d in entries
                  if k == freeze.KIND_CONFIG}
        left_out = config["left_out"].split()
        for name in ("nsp.unused", "other", "other.x"):
            self.assertIn(name, left_out)
        self.assertNotIn("nsp", left_out)


class InittabTest(TreeTest):
    def test_optional_modules_not_kept_are_dropped(self):
        stdlib = self.tree("lib", {
            "config-3.13-x/Setup.stdlib": "# comment\n_json _json.c\n"
                                          "math mathmodule.c\nX=1\n",
            "config-3.13-x/Setup.local": "_zoneinfo _zoneinfo.c\n",
            "config-3.13-x/config.c": (
                "struct _inittab _PyImport_Inittab[] = {\n"
                '    {"_json", PyInit__json},\n'
                '    {"math", PyInit_math},\n'
                '    {"_zoneinfo", PyInit__zoneinfo},\n'
                '    {"posix", PyInit_posix},\n'
                "    {0, 0}\n};\n")})
        text, kept, dropped = prune.inittab(stdlib, {"math"})
        self.assertEqual(kept, ["math"])
        self.assertEqual(sorted(dropped), ["_json", "_zoneinfo"])
        self.assertIn('{"posix", PyInit_posix}', text)  # core, not optional
        self.assertNotIn("_json", text)
        self.assertTrue(text.startswith("/* generated by stick"))
