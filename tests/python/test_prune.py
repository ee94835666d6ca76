"""stickpy.prune: what an application imports, decided from the sources."""

import ast
import os
import sys

from stickpy import prune
from stickpy.freeze import App
from util import EMBED, TreeTest


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


class ImportsOfTest(TreeTest):
    def imports(self, text, package="pkg.mod", deep=False):
        return sorted(set(prune.imports_of(ast.parse(text), package, deep)))

    def test_from_imports_name_possible_submodules(self):
        self.assertEqual(self.imports("from a.b import c, d\nimport e.f\n"),
                         ["a.b", "a.b.c", "a.b.d", "e.f"])

    def test_relative_imports_resolve_against_the_package(self):
        self.assertEqual(self.imports("from . import x\nfrom ..y import z\n",
                                      package="top.pkg"),
                         ["top.pkg", "top.pkg.x", "top.y", "top.y.z"])

    def test_lazy_imports_count_only_inside_the_package_unless_deep(self):
        text = ("def f():\n    import json\n    import pkg.other\n"
                "    from pkg import third\n")
        self.assertEqual(self.imports(text),
                         ["pkg", "pkg.other", "pkg.third"])
        self.assertEqual(self.imports(text, deep=True),
                         ["json", "pkg", "pkg.other", "pkg.third"])

    def test_dead_branches_are_skipped_but_else_counts(self):
        text = ("if TYPE_CHECKING:\n    import typing_only\nelse:\n"
                "    import runtime\nif __name__ == '__main__':\n"
                "    import cli_only\n")
        self.assertEqual(self.imports(text), ["runtime"])


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
        self.assertEqual(a.chain("json"), "json <- mine.core <- mine <- __main__")

    def test_exclude_include_and_missing(self):
        a, _ = self.analyse("import json\nimport no_such_module_xyz\n", {},
                            excludes=["json"], includes=["email"])
        self.assertNotIn("json", a.found)
        self.assertIn("email.mime.text", a.found)  # all of the package
        self.assertIn("no_such_module_xyz", a.missing)

    def test_frozen_files_leave_out_what_cpython_carries(self):
        a, _ = self.analyse("import os\nimport json\n", {})
        files = a.frozen_stdlib_files()
        self.assertIn(os.path.join("json", "__init__.py"), files)
        self.assertNotIn("os.py", files)
        self.assertIn("os.py", a.stdlib_files())


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
