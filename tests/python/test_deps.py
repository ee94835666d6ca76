"""deps.py: classification of artifacts, requirement gathering, pip's
failure messages, the lock's round trip through Dists, the fetch's digest
check and the wheel unpacking. pip itself runs in t7100-deps-resolve.sh.
"""

import hashlib
import os
import tempfile
import types
import unittest
import zipfile

from stickpy import deps, pylock

# pip's source tree (set by t7100): the tests that run pip need it.
PIP_SRC = os.environ.get("STICK_TEST_PIP_SRC")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def read(path):
    with open(path) as f:
        return f.read()


def make_wheel(path, files, purelib=True):
    name, version = os.path.basename(path).split("-")[:2]
    info = f"{name}-{version}.dist-info"
    with zipfile.ZipFile(path, "w") as z:
        for member, data in files.items():
            z.writestr(member, data)
        z.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: "
                   f"{name}\nVersion: {version}\n")
        z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: "
                   f"{'true' if purelib else 'false'}\nTag: py3-none-any\n")
        z.writestr(f"{info}/RECORD", "")
    return path


class Classify(unittest.TestCase):
    def test_kinds(self):
        cases = {
            "jinja2-3.1.6.tar.gz": "sdist",
            "x-1.zip": "sdist",
            "jinja2-3.1.6-py3-none-any.whl": "pure-wheel",
            "six-1.16.0-py2.py3-none-any.whl": "pure-wheel",
            "x-1-1build-py3-none-any.whl": "pure-wheel",
            "markupsafe-3.0.3-cp313-cp313-linux_x86_64.whl": "binary-wheel",
            "x-1-cp313-abi3-musllinux_1_2_x86_64.whl": "binary-wheel",
            "x-1-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl":
                "binary-wheel",
            "x-1-py3-none-any.linux_x86_64.whl": "binary-wheel",
        }
        for name, kind in cases.items():
            with self.subTest(name=name):
                self.assertEqual(deps.classify(name), kind)

    def test_bad_wheel_name(self):
        with self.assertRaises(deps.DepsError):
            deps.classify("nonsense.whl")

    def test_canonical_name(self):
        self.assertEqual(deps.canonical_name("Jinja2"), "jinja2")
        self.assertEqual(deps.canonical_name("zope.Interface__x"),
                         "zope-interface-x")

    def test_artifact_name(self):
        self.assertEqual(deps.artifact_name(
            "http://h/files/a%2Bb-1.tar.gz#sha256=00"), "a+b-1.tar.gz")


class Requirements(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.py = write(os.path.join(self.dir.name, "pyproject.toml"),
                        '[project]\nname = "a"\nversion = "1"\n'
                        'dependencies = ["jinja2"]\n'
                        '[project.optional-dependencies]\n'
                        'cli = ["click>=8"]\n')

    def tearDown(self):
        self.dir.cleanup()

    def test_order(self):
        self.assertEqual(deps.requirements(self.py, ["cli"], ["rich"]),
                         ["jinja2", "click>=8", "rich"])

    def test_with_only(self):
        self.assertEqual(deps.requirements(None, [], ["rich"]), ["rich"])

    def test_refusals(self):
        for args, words in [
                ((self.py, ["web"], []), "no extra 'web'"),
                ((None, ["cli"], []), "--extra needs a project"),
                ((self.py, [], ["--index-url=x"]), "is not a requirement"),
                ((self.py, [], [" "]), "is not a requirement")]:
            with self.subTest(args=args):
                with self.assertRaises(deps.DepsError) as cm:
                    deps.requirements(*args)
                self.assertIn(words, str(cm.exception))

    def test_dynamic_dependencies_come_from_the_backend(self):
        write(self.py, '[project]\nname = "a"\ndynamic = ["dependencies"]\n')
        with self.assertRaises(deps.DepsError) as cm:
            deps.requirements(self.py)
        self.assertIn("the dependencies are dynamic", str(cm.exception))

    def test_bad_dependencies(self):
        write(self.py, '[project]\ndependencies = "jinja2"\n')
        with self.assertRaises(deps.DepsError) as cm:
            deps.requirements(self.py)
        self.assertIn("'dependencies' must be a list of strings",
                      str(cm.exception))


class PipFailure(unittest.TestCase):
    def message(self, text, no_binary=(), debug=""):
        with self.assertRaises(deps.DepsError) as cm:
            deps.pip_failure(text, "/w/pip.log", "/p/pyproject.toml",
                             set(no_binary), debug)
        return str(cm.exception)

    def test_unsatisfiable(self):
        msg = self.message(
            "Looking in indexes: http://i/simple\n"
            "ERROR: Could not find a version that satisfies the requirement "
            "click>=99 (from versions: 8.1.8)\n"
            "ERROR: No matching distribution found for click>=99\n")
        self.assertTrue(msg.startswith("cannot resolve the requirements of "
                                       "'/p/pyproject.toml'"))
        self.assertIn("\n  ERROR: No matching distribution found for "
                      "click>=99", msg)

    def test_unreachable(self):
        msg = self.message(
            "Looking in indexes: http://127.0.0.1:9/simple, http://x/s\n"
            "ERROR: No matching distribution found for a\n",
            debug="2026-11-28T04:00:00 Could not fetch URL "
            "http://127.0.0.1:9/simple/a/: connection error: "
            "HTTPConnectionPool(host='127.0.0.1', port=9) - skipping\n")
        self.assertIn("cannot reach the package index "
                      "http://127.0.0.1:9/simple, http://x/s", msg)
        self.assertIn("(http://127.0.0.1:9/simple/a/: connection error; "
                      "pip's logs: /w/pip.log, /w/pip-debug.log)", msg)
        self.assertIn("--find-links DIR --no-index", msg)

    def test_backend_not_pinned(self):
        msg = self.message(
            "Processing ./links/hpkg-1.0.tar.gz\n"
            "  Preparing metadata (pyproject.toml): started\n"
            "ERROR: Exception:\nTraceback (most recent call last):\n"
            "  File \"x.py\", line 1, in f\n"
            "pip._vendor.pyproject_hooks._impl.BackendUnavailable: Cannot "
            "import 'hatchling.build'\n")
        self.assertIn("the sdist 'hpkg-1.0.tar.gz', needed by the "
                      "requirements of '/p/pyproject.toml', declares the "
                      "build backend 'hatchling.build'", msg)
        self.assertIn("tool recipe in thirdparty/", msg)

    def test_traceback_cut_to_its_last_line(self):
        msg = self.message("ERROR: Exception:\nTraceback (most recent call "
                           "last):\n  File \"x.py\", line 1\n"
                           "OSError: disk full\n")
        self.assertTrue(msg.endswith("\n  ERROR: Exception:\n"
                                     "  OSError: disk full"), msg)

    def test_binary_only(self):
        msg = self.message("ERROR: No matching distribution found for "
                           "FastThing>=1\n", no_binary=["fastthing"])
        self.assertIn("'fastthing' is available only as a binary wheel", msg)


class LockRoundTrip(unittest.TestCase):
    def test_dists_to_lock_and_back(self):
        with tempfile.TemporaryDirectory() as top:
            lock_dir = os.path.join(top, "proj")
            dists = [
                deps.Dist("jinja2", "3.1.6", "wheel",
                          "jinja2-3.1.6-py3-none-any.whl", "1" * 64,
                          "http://h/f/jinja2-3.1.6-py3-none-any.whl"),
                deps.Dist("markupsafe", "3.0.3", "sdist",
                          "markupsafe-3.0.3.tar.gz", "2" * 64,
                          f"file://{top}/proj/links/markupsafe-3.0.3.tar.gz"),
                deps.Dist("click", "8.1.8", "sdist", "click-8.1.8.tar.gz",
                          "3" * 64, "file:///elsewhere/click-8.1.8.tar.gz")]
            doc = deps.lock_document(dists, lock_dir, {"python": "t"})
            path = os.path.join(top, "pylock.toml")
            pylock.write(path, doc)
            back = {d.name: d for d in
                    deps.dists_from_lock(pylock.read(path), path)}
        self.assertEqual(back["jinja2"].url, dists[0].url)
        self.assertEqual(back["markupsafe"].path,
                         "links/markupsafe-3.0.3.tar.gz")
        self.assertIsNone(back["markupsafe"].url)
        self.assertEqual(back["click"].path, "/elsewhere/click-8.1.8.tar.gz")
        self.assertEqual(back["click"].sha256, "3" * 64)

    def test_binary_wheel_in_lock_refused(self):
        doc = {"packages": [pylock.package(
            "x", "1", wheel=pylock.artifact(
                "x-1-cp313-cp313-linux_x86_64.whl", "0" * 64,
                url="http://h/x.whl"))]}
        with self.assertRaises(deps.DepsError) as cm:
            deps.dists_from_lock(doc, "/p/pylock.toml")
        self.assertIn("'x' 1 has only binary wheels in '/p/pylock.toml' "
                      "(x-1-cp313-cp313-linux_x86_64.whl, ...)",
                      str(cm.exception))

    def test_stale(self):
        tool = {"requirements": ["a"], "python": "cp313-linux_x86_64"}
        mine = {"created-by": "stick"}
        self.assertIsNone(deps._stale(
            {**mine, "tool": {"stick": dict(tool)}}, tool))
        self.assertIn("requirements changed", deps._stale(
            {**mine, "tool": {"stick": {"requirements": ["b"]}}}, tool))
        self.assertIsNone(deps._stale({"created-by": "uv"}, tool))
        self.assertIn("this target is cp313", deps._stale(
            {**mine, "tool": {"stick": {"requirements": ["a"],
                                         "python": "cp311-linux_x86_64"}}},
            tool))


class Fetch(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.top = self.dir.name
        self.src = write(os.path.join(self.top, "links", "x-1.tar.gz"),
                         "sdist bytes")
        self.sha = hashlib.sha256(b"sdist bytes").hexdigest()
        self.home = os.path.join(self.top, "home")

    def tearDown(self):
        self.dir.cleanup()

    def dist(self, sha):
        return deps.Dist("x", "1", "sdist", "x-1.tar.gz", sha,
                         path="links/x-1.tar.gz")

    def test_verified_into_the_cache(self):
        lines = []
        d = deps.fetch(self.dist(self.sha), self.home, self.top,
                       log=lines.append)
        self.assertEqual(d.cached, os.path.join(self.home, "dists", self.sha,
                                                "x-1.tar.gz"))
        self.assertEqual(len(lines), 1)
        # Warm: served from the cache, even with the source gone.
        os.unlink(self.src)
        d = deps.fetch(self.dist(self.sha), self.home, self.top,
                       log=lines.append)
        self.assertEqual(len(lines), 1)

    def test_changed_artifact_refused(self):
        with self.assertRaises(deps.DepsError) as cm:
            deps.fetch(self.dist("f" * 64), self.home, self.top,
                       lock_path="/p/pylock.toml", log=lambda s: None)
        msg = str(cm.exception)
        self.assertIn(f"'x-1.tar.gz' ({self.src}) has sha256 {self.sha}",
                      msg)
        self.assertIn(f"'/p/pylock.toml' expects {'f' * 64}", msg)
        # Only the lock directory (stickpy.cache): no entry, no temporary.
        self.assertEqual(os.listdir(os.path.join(self.home, "dists")),
                         [".locks"])

    def test_corrupt_cache_copy_fetched_again(self):
        deps.fetch(self.dist(self.sha), self.home, self.top,
                   log=lambda s: None)
        write(os.path.join(self.home, "dists", self.sha, "x-1.tar.gz"),
              "rotten")
        d = deps.fetch(self.dist(self.sha), self.home, self.top,
                       log=lambda s: None)
        self.assertEqual(deps.sha256_file(d.cached), self.sha)

    def test_missing_source(self):
        os.unlink(self.src)
        with self.assertRaises(deps.DepsError) as cm:
            deps.fetch(self.dist(self.sha), self.home, self.top,
                       log=lambda s: None)
        self.assertIn("does not exist", str(cm.exception))


class Wheels(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.top = self.dir.name

    def tearDown(self):
        self.dir.cleanup()

    def installed(self, files, purelib=True):
        path = make_wheel(os.path.join(self.top, "pkg-1.0-py3-none-any.whl"),
                          files, purelib)
        d = deps.Dist("pkg", "1.0", "wheel", os.path.basename(path),
                      deps.sha256_file(path), cached=path)
        site = os.path.join(self.top, "site")
        return deps.install(deps.Resolved([d]), site), site

    def test_pure_wheel_unpacked(self):
        inst, site = self.installed({
            "pkg/__init__.py": "x = 1\n",
            "pkg-1.0.data/purelib/pkg/extra.py": "",
            "pkg-1.0.data/scripts/pkg-tool": "#!python\n"})
        self.assertTrue(os.path.exists(os.path.join(site, "pkg",
                                                    "__init__.py")))
        self.assertTrue(os.path.exists(os.path.join(site, "pkg", "extra.py")))
        with open(os.path.join(site, "pkg-1.0.dist-info", "INSTALLER")) as f:
            self.assertEqual(f.read(), "stick\n")
        self.assertEqual([m for _, m in inst.skipped],
                         ["pkg-1.0.data/scripts/pkg-tool"])

    def test_compiled_code_in_a_pure_tagged_wheel_refused(self):
        with self.assertRaises(deps.DepsError) as cm:
            self.installed({"pkg/_x.cpython-313-x86_64-linux-gnu.so": "ELF"})
        self.assertIn("holds compiled code", str(cm.exception))
        with self.assertRaises(deps.DepsError) as cm:
            self.installed({"pkg/__init__.py": ""}, purelib=False)
        self.assertIn("Root-Is-Purelib", str(cm.exception))

    def test_escaping_member_refused(self):
        with self.assertRaises(deps.DepsError) as cm:
            self.installed({"../evil.py": ""})
        self.assertIn("would escape", str(cm.exception))

    def test_sdists_handed_to_the_extension_build(self):
        d = deps.Dist("m", "1", "sdist", "m-1.tar.gz", "0" * 64,
                      cached="/c/m-1.tar.gz")
        inst = deps.install(deps.Resolved([d]),
                            os.path.join(self.top, "site"))
        calls, lines = [], []
        built = types.SimpleNamespace(
            site="/site-of-m", cached=False,
            extensions=[("m._speedups", "/m/_speedups.o")])

        def build_package(path):
            calls.append(path)
            return built
        done = deps.build_sdists(inst, build_package, log=lines.append)
        self.assertEqual(calls, ["/c/m-1.tar.gz"])
        self.assertEqual(done, [(d, built)])
        self.assertRegex(lines[0], r"^built m 1 from its sdist "
                         r"\(1 extension\(s\)\) \.\.\. [0-9.]+s$")

    def test_tool_paths_pip_first(self):
        tool = types.SimpleNamespace
        tools = [tool(name="flit", roots=["/t/flit/flit_core"]),
                 tool(name="pip", roots=["/t/pip/src"]),
                 tool(name="setuptools", roots=["/t/st", "/t/st/_vendor"])]
        self.assertEqual(deps.tool_paths(tools),
                         ["/t/pip/src", "/t/flit/flit_core", "/t/st",
                          "/t/st/_vendor"])
        with self.assertRaises(deps.DepsError) as cm:
            deps.tool_paths(tools[:1])
        self.assertIn("thirdparty/pip", str(cm.exception))


class BuildRequirementsLock(unittest.TestCase):
    """Build requirements from an index: locked in [tool.stick], taken
    from the lock offline, refused without an index (pip itself runs in
    t7500-build-requirements.sh)."""

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.top = self.dir.name
        self.home = os.path.join(self.top, "home")
        self.work = os.path.join(self.top, "work")
        os.makedirs(self.work)
        os.makedirs(os.path.join(self.top, "proj", "links"))
        self.wheel = make_wheel(os.path.join(
            self.top, "proj", "links", "helper-1.0-py3-none-any.whl"),
            {"helper/__init__.py": "X = 1\n"})
        self.sha = deps.sha256_file(self.wheel)
        self.lock = os.path.join(self.top, "proj", "pylock.toml")
        self.tools = deps.Tools("python-x", [])
        deps._PYTHON_TAGS["python-x"] = "cp313-linux_x86_64"
        self.lines = []

    def tearDown(self):
        self.dir.cleanup()

    def breqs(self, index=None, upgrade=False):
        return deps.BuildRequirements(index or deps.Index(), self.tools,
                                      self.home, self.work,
                                      {"setuptools": "78.1.1"}, self.lock,
                                      upgrade, self.lines.append)

    def req(self, text):
        from stickpy import pep517
        return pep517.Requirement(text)

    def record(self):
        b = self.breqs()
        d = deps.Dist("helper", "1.0", "wheel", os.path.basename(self.wheel),
                      self.sha, url="file://" + self.wheel)
        b.used["pkg"] = [d]
        b.write_lock()
        return b

    def test_written_and_read_back(self):
        self.record()
        with open(self.lock, "rb") as f:
            doc = deps.tomllib.load(f)
        self.assertEqual(doc["created-by"], "stick")
        self.assertEqual(doc["packages"], [])
        self.assertEqual(doc["tool"]["stick"]["build-requirements"], [{
            "name": "helper", "version": "1.0",
            "file": "helper-1.0-py3-none-any.whl",
            "path": "links/helper-1.0-py3-none-any.whl",
            "sha256": self.sha, "needed-by": ["pkg"]}])
        before = read(self.lock)
        self.record()   # the same: not rewritten
        self.assertEqual(read(self.lock), before)
        self.assertEqual(len([l for l in self.lines if "wrote" in l]), 1)
        locked = deps.locked_build_requirements(doc, self.lock)
        self.assertEqual([(d.name, d.version, d.sha256, d.path)
                          for d in locked["pkg"]],
                         [("helper", "1.0", self.sha,
                           "links/helper-1.0-py3-none-any.whl")])

    def test_offline_from_the_lock(self):
        self.record()
        b = self.breqs()
        self.assertTrue(b.available())
        env = b.environment("pkg 2.0", "be", [self.req("helper>=1")])
        self.assertTrue(os.path.isfile(os.path.join(env.site, "helper",
                                                    "__init__.py")))
        self.assertTrue(env.site.startswith(os.path.join(self.home,
                                                         "build-envs")))
        # The same set: the same environment.
        again = self.breqs().environment("pkg 2.0", "be",
                                         [self.req("helper")])
        self.assertEqual(env.site, again.site)
        self.assertEqual(env.digest, again.digest)
        self.assertEqual(b.result_pairs(), [(
            "build-requirement", f"helper 1.0 {self.sha} "
            "links/helper-1.0-py3-none-any.whl pkg")])

    def test_lock_that_no_longer_satisfies_needs_an_index(self):
        self.record()
        with self.assertRaises(deps.DepsError) as cm:
            self.breqs().environment("pkg 2.0", "be",
                                     [self.req("helper>=2")])
        msg = str(cm.exception)
        for part in ("pkg 2.0", "helper>=2", "--index-url URL",
                     "--find-links DIR|URL"):
            self.assertIn(part, msg)

    def test_upgrade_ignores_the_lock(self):
        self.record()
        self.assertFalse(self.breqs(upgrade=True).available())
        self.assertTrue(self.breqs(deps.Index(
            find_links=["/x"])).available())

    def test_changed_digest_refused(self):
        self.record()
        text = read(self.lock).replace(self.sha, "0" * 64)
        with open(self.lock, "w") as f:
            f.write(text)
        with self.assertRaises(deps.DepsError) as cm:
            self.breqs().environment("pkg 2.0", "be", [self.req("helper")])
        self.assertIn(f"has sha256 {self.sha}, but '{self.lock}' expects "
                      f"{'0' * 64}", str(cm.exception))

    def test_foreign_lock_left_alone(self):
        with open(self.lock, "w") as f:
            f.write('lock-version = "1.0"\ncreated-by = "uv"\n'
                    'packages = []\n')
        b = self.breqs()
        self.assertIsNone(b.lock_path)
        b.used["pkg"] = []
        b.write_lock()
        self.assertIn("uv", read(self.lock))


class Request:
    """The lookups of stickpy.request.Request over (key, value) pairs."""

    def __init__(self, pairs):
        self.pairs = pairs

    def all(self, key):
        return [v for k, v in self.pairs if k == key]

    def get(self, key, default=None):
        values = self.all(key)
        return values[0] if values else default

    def need(self, key):
        return self.get(key)

    def flag(self, key):
        return bool(self.all(key))


@unittest.skipUnless(PIP_SRC, "needs pip's source tree (STICK_TEST_PIP_SRC)")
class WithPip(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.top = self.dir.name
        self.links = os.path.join(self.top, "links")
        os.makedirs(self.links)
        make_wheel(os.path.join(self.links, "pkg-1.0-py3-none-any.whl"),
                   {"pkg/__init__.py": "x = 1\n"})
        make_wheel(os.path.join(self.links, "other-2.0-py3-none-any.whl"),
                   {"other/__init__.py": ""})

    def tearDown(self):
        self.dir.cleanup()

    def test_metadata_requirements(self):
        text = ("Metadata-Version: 2.1\nName: app\nVersion: 1\n"
                "Requires-Dist: pkg>=1\n"
                "Requires-Dist: other; extra == 'cli'\n"
                "Requires-Dist: pywin32; sys_platform == 'win32'\n"
                "Requires-Dist: tomli; python_version < '3.11'\n"
                "Requires-Dist: rich[jupyter]>=10; python_version >= '3.8' "
                "and extra == 'cli'\n")
        self.assertEqual(deps.requirements_from_metadata(text, (), PIP_SRC),
                         ["pkg>=1"])
        self.assertEqual(deps.requirements_from_metadata(text, ["cli"],
                                                         PIP_SRC),
                         ["pkg>=1", "other", "rich[jupyter]>=10"])

    def test_foreign_lock(self):
        def art(name):
            return {"name": name, "url": f"http://h/{name}",
                    "hashes": {"sha256": "0" * 64}}
        doc = {"created-by": "uv", "packages": [
            {"name": "Pure", "version": "1", "sdist": art("pure-1.tar.gz"),
             "wheels": [art("pure-1-cp313-cp313-linux_x86_64.whl"),
                        art("pure-1-py3-none-any.whl")]},
            {"name": "fast", "version": "2", "sdist": art("fast-2.tar.gz"),
             "wheels": [art("fast-2-cp313-cp313-manylinux_2_17_x86_64"
                            ".whl")]},
            {"name": "win", "version": "3", "marker":
             "sys_platform == 'win32'", "wheels": [art("win-3-py3-none-any"
                                                       ".whl")]},
            {"name": "dev", "version": "4", "marker":
             "'dev' in dependency_groups", "wheels": [art("dev-4-py3-none-"
                                                          "any.whl")]}]}
        got = [(d.name, d.kind, d.file) for d in
               deps.dists_from_lock(doc, "/p/pylock.toml", PIP_SRC)]
        self.assertEqual(got, [("fast", "sdist", "fast-2.tar.gz"),
                               ("pure", "wheel", "pure-1-py3-none-any.whl")])
        doc["default-groups"] = ["dev"]
        self.assertIn("dev", [d.name for d in deps.dists_from_lock(
            doc, "/p/pylock.toml", PIP_SRC)])
        doc["packages"][0]["marker"] = "not a marker"
        with self.assertRaises(deps.DepsError) as cm:
            deps.dists_from_lock(doc, "/p/pylock.toml", PIP_SRC)
        self.assertIn("cannot evaluate the marker 'not a marker'",
                      str(cm.exception))

    def test_lock_must_cover_the_requirements(self):
        dists = [deps.Dist("click", "8", "wheel", "f", "0" * 64)]
        deps.check_covers(dists, ["Click>=8", "pywin32; sys_platform == "
                                  "'win32'"], "/p/pylock.toml", None, PIP_SRC)
        with self.assertRaises(deps.DepsError) as cm:
            deps.check_covers(dists, ["click", "rich"], "/p/pylock.toml",
                              "/p/pyproject.toml", PIP_SRC)
        self.assertIn("'/p/pylock.toml' has no package 'rich', which "
                      "/p/pyproject.toml requires", str(cm.exception))

    def test_from_request(self):
        proj = os.path.join(self.top, "proj")
        write(os.path.join(proj, "pyproject.toml"),
              '[project]\nname = "app"\nversion = "1"\n'
              'dependencies = ["pkg"]\n')
        req = Request([("project", proj), ("requirement", "other==2.0"),
                       ("find-links", self.links), ("no-index", ""),
                       ("stick-home", os.path.join(self.top, "home"))])
        work = os.path.join(self.top, "work")

        def build_package(path):
            raise AssertionError(f"no sdist to build, got {path}")
        sites, built, inst = deps.from_request(req, work, build_package,
                                               [PIP_SRC], log=lambda s: None)
        self.assertEqual(sites, [os.path.join(work, "deps", "site")])
        self.assertEqual(built, [])
        self.assertTrue(os.path.exists(os.path.join(sites[0], "pkg",
                                                    "__init__.py")))
        pairs = deps.result_pairs(inst)
        self.assertEqual([v.split()[:3] for _, v in pairs],
                         [["other", "2.0", "wheel"], ["pkg", "1.0", "wheel"]])
        doc = pylock.read(os.path.join(proj, "pylock.toml"))
        self.assertEqual(doc["tool"]["stick"]["requirements"],
                         ["other==2.0", "pkg"])


if __name__ == "__main__":
    unittest.main()
