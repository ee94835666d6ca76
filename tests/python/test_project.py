"""stickpy.project: reading a pyproject.toml and staging its packages."""

import os

from stickpy import project, request
from stickpy.project import Project, ProjectError
from util import TreeTest

PYPROJECT = """[project]
name = "my-tool"
dynamic = ["version"]
description = "a tool"
license = "MIT"
dependencies = ["x>=1"]
[project.scripts]
tool = "mytool.cli:main"
other = "mytool.cli : other"
[project.entry-points.plugins]
p = "mytool.plug"
[tool.stick]
python = "3.11"
paths = ["deps"]
include = ["json"]
prune = true
"""


class ProjectTest(TreeTest):
    def src_layout(self, pyproject=PYPROJECT, **extra):
        files = {"pyproject.toml": pyproject,
                 "src/mytool/__init__.py": "__version__ = '4.2'\n",
                 "src/mytool/cli.py": "def main(): pass\n",
                 "src/mytool/data.txt": "data\n", "deps/dep.py": "",
                 "tests/test_x.py": ""}
        files.update(extra)
        return self.tree("proj", files)

    def test_settings_of_a_src_layout(self):
        p = Project(self.src_layout())
        self.assertEqual(p.scripts, {"tool": "mytool.cli:main",
                                     "other": "mytool.cli:other"})
        self.assertEqual(p.python, "3.11")
        self.assertEqual(p.version, "4.2")  # dynamic: __version__
        self.assertEqual(p.packages, ["mytool"])
        self.assertEqual(p.paths, [os.path.join(p.dir, "deps")])
        self.assertEqual(p.includes, ["json"])
        self.assertTrue(p.prune)
        self.assertEqual(p.summary(), "my-tool 4.2: mytool; 2 script(s)")

    def test_stage_copies_packages_and_writes_the_dist_info(self):
        p = Project(self.src_layout())
        site = p.stage(os.path.join(self.dir, "work"))
        self.assertTrue(os.path.isfile(os.path.join(site, "mytool",
                                                    "data.txt")))
        info = os.path.join(site, "my_tool-4.2.dist-info")
        with open(os.path.join(info, "METADATA")) as f:
            meta = f.read()
        self.assertIn("Name: my-tool\nVersion: 4.2\nSummary: a tool\n", meta)
        self.assertIn("License-Expression: MIT\n", meta)
        self.assertIn("Requires-Dist: x>=1\n", meta)
        with open(os.path.join(info, "entry_points.txt")) as f:
            eps = f.read()
        self.assertIn("[console_scripts]\nother = mytool.cli : other\n"
                      "tool = mytool.cli:main\n", eps)
        self.assertIn("[plugins]\np = mytool.plug\n", eps)

    def test_a_flat_layout_leaves_tests_and_setup_out(self):
        root = self.tree("flat", {
            "pyproject.toml": '[project]\nname = "f"\nversion = "1"\n'
                              '[project.scripts]\nf = "f:main"\n',
            "f.py": "", "setup.py": "", "tests/__init__.py": "",
            "pkg/__init__.py": "", "not-a-package/x.py": ""})
        p = Project(root)
        self.assertEqual((p.packages, p.modules), (["pkg"], ["f.py"]))
        self.assertIsNone(p.python)
        self.assertFalse(p.prune)

    def test_errors_name_the_file(self):
        cases = [
            ("", "pyproject.toml: no such file"),
            ("[project\n", "pyproject.toml: "),
            ('[project]\nversion = "1"\n', "no \\[project\\] table with a name"),
            ('[project]\nname = "a"\nversion = "1"\n',
             "\\[project.scripts\\] is empty or missing"),
            ('[project]\nname = "a"\nversion = "1"\n[project.scripts]\n'
             'a = "nocolon"\n', "must be name = \"module:function\""),
            ('[project]\nname = "a"\ndynamic = ["version"]\n'
             '[project.scripts]\na = "m:f"\n', "no static __version__"),
            ('[project]\nname = "a"\nversion = "1"\n[project.scripts]\n'
             'a = "m:f"\n[tool.stick]\npaths = ["nowhere"]\n',
             "paths: 'nowhere' is not a directory"),
            ('[project]\nname = "a"\nversion = "1"\n[project.scripts]\n'
             'a = "m:f"\n[tool.stick]\ninclude = "x"\n',
             "'include' must be a list of strings"),
        ]
        for i, (toml, message) in enumerate(cases):
            files = {"pkg/__init__.py": ""}
            if toml:
                files["pyproject.toml"] = toml
            root = self.tree(f"bad{i}", files)
            with self.assertRaisesRegex(ProjectError, message):
                Project(root)

    def test_a_pinned_backend_builds_the_project(self):
        toml = ('[build-system]\nrequires = ["setuptools"]\n'
                'build-backend = "setuptools.build_meta"\n'
                '[project]\nname = "a"\ndynamic = ["version"]\n'
                '[project.scripts]\na = "m:f"\n')
        root = self.tree("pinned", {"pyproject.toml": toml})
        p = Project(root, pinned={"setuptools", "flit-core"})
        self.assertEqual(p.backend, "setuptools.build_meta")
        self.assertEqual(p.sdists, [root])
        self.assertIsNone(p.version)
        self.assertIsNone(Project(root, use_backend=True).version)
        with self.assertRaisesRegex(ProjectError, "no package to freeze"):
            Project(root)

    def test_an_unpinned_backend_is_named_when_stick_cannot_read(self):
        toml = ('[build-system]\nrequires = ["hatchling"]\n'
                'build-backend = "hatchling.build"\n'
                '[project]\nname = "a"\ndynamic = ["version"]\n'
                '[project.scripts]\na = "m:f"\n')
        root = self.tree("unpinned", {"pyproject.toml": toml,
                                      "a/__init__.py": ""})
        with self.assertRaisesRegex(
                ProjectError, "declares the build backend 'hatchling.build'"
                " \\(requires \\['hatchling'\\]\\), which stick does not "
                "pin"):
            Project(root, pinned={"setuptools"})
        with open(os.path.join(root, "a/__init__.py"), "w") as f:
            f.write('__version__ = "2.0"\n')
        p = Project(root, pinned={"setuptools"})
        self.assertIsNone(p.backend)
        self.assertEqual(p.version, "2.0")

    def test_pinned_names_from_the_request(self):
        req = request.Request([
            ("kind", "project"), ("tool-provides", "flit flit"),
            ("tool-provides", "flit flit_core"),
            ("tool-provides", "setuptools setuptools")])
        self.assertEqual(project.pinned_names(req),
                         {"flit", "flit-core", "setuptools"})

    def test_no_package_is_an_error(self):
        root = self.tree("empty", {
            "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n'
                              '[project.scripts]\na = "m:f"\n',
            "tests/__init__.py": ""})
        with self.assertRaisesRegex(ProjectError, "found no package"):
            Project(root)

    def test_license_text_keeps_its_first_line(self):
        text = project.metadata_text({"name": "a", "license": {
            "text": "BSD\nmore"}}, "1")
        self.assertIn("License: BSD\n", text)
