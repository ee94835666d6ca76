"""Unit tests of the pure logic of stick/stickpy: name mangling, PEP 508
requirement and marker checks against pinned tools, the wheel layout
split, how the driver is asked to unpack an sdist. Run by
tests/t0900-python-units.sh."""

import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "stick"))

from stickpy import extensions, pep517  # noqa: E402
from stickpy.pep517 import BuildError  # noqa: E402
from stickpy.request import Request  # noqa: E402
from stickpy.util import canonical_name  # noqa: E402

ENV313 = pep517.marker_env((3, 13, 5))
ENV311 = pep517.marker_env((3, 11, 2))


class BuildFiles(unittest.TestCase):
    """What [build-system] says is read from an sdist without extracting
    it (extensions.build_files)."""

    def test_tar_and_zip(self):
        import tarfile
        import zipfile
        with tempfile.TemporaryDirectory() as top:
            tree = os.path.join(top, "p-1.0")
            os.makedirs(os.path.join(tree, "sub"))
            files = {"pyproject.toml": "[build-system]\nrequires = "
                     "[\"helper\"]\n", "PKG-INFO": "Name: p\nVersion: "
                     "1.0\n\n", "setup.py": "big", "sub/pyproject.toml": "x"}
            for name, text in files.items():
                with open(os.path.join(tree, name), "w") as f:
                    f.write(text)
            tgz = os.path.join(top, "p-1.0.tar.gz")
            with tarfile.open(tgz, "w:gz") as t:
                t.add(tree, "p-1.0")
            zpath = os.path.join(top, "p-1.0.zip")
            with zipfile.ZipFile(zpath, "w") as z:
                for name, text in files.items():
                    z.writestr("p-1.0/" + name, text)
            for archive in (tgz, zpath):
                dest = os.path.join(top, "out-" + archive[-3:])
                os.makedirs(dest)
                extensions.build_files(archive, dest)
                self.assertEqual(sorted(os.listdir(dest)),
                                 ["PKG-INFO", "pyproject.toml", "setup.py"])
                requires, backend, _ = pep517.read_build_system(dest)
                self.assertEqual(requires, ["helper"])
                self.assertEqual(pep517.package_label(dest, "?"), "p 1.0")


class ForeignLanguage(unittest.TestCase):
    """Rust and Fortran builds are recognized from the build's own files
    (pep517.foreign_language), and a C one is not."""

    def tree(self, top, files):
        for name, text in files.items():
            with open(os.path.join(top, name), "w") as f:
                f.write(text)
        return top

    def check(self, files, backend, want):
        with tempfile.TemporaryDirectory() as top:
            found = pep517.foreign_language(self.tree(top, files), backend)
            self.assertEqual(found and found[0], want, (files, found))

    def test_rust(self):
        self.check({}, "maturin", "Rust")
        self.check({"pyproject.toml": "[tool.setuptools-rust]\n"},
                   "setuptools.build_meta", "Rust")
        self.check({"pyproject.toml": "[tool.maturin]\n"}, "x", "Rust")
        self.check({"setup.py": "from setuptools_rust import RustExtension"},
                   pep517.LEGACY_BACKEND, "Rust")
        self.check({"setup.py": "setup(rust_extensions=[])"},
                   pep517.LEGACY_BACKEND, "Rust")

    def test_fortran(self):
        self.check({"meson.build": "project('p',\n  'c', 'fortran')\n"},
                   "mesonpy", "Fortran")
        self.check({"meson.build": "project('p', 'c')\n"
                    "add_languages('fortran', native: false)\n"},
                   "mesonpy", "Fortran")

    def test_c(self):
        self.check({"setup.py": "setup(ext_modules=[])  # not rusty",
                    "pyproject.toml": "[tool.setuptools]\n",
                    "meson.build": "project('p', 'c')\n# fortran later\n"},
                   pep517.LEGACY_BACKEND, None)
        self.check({"pyproject.toml": "not toml ["}, "x", None)


class Mangle(unittest.TestCase):
    def test_identifier(self):
        for name in ("markupsafe._speedups", "a.b_c", "a_b.c", "yaml._yaml",
                     "p\u00e9.x"):
            self.assertTrue(extensions.mangle(name).isidentifier())
            self.assertTrue(extensions.mangle(name).isascii())

    def test_no_collisions(self):
        names = ["a.b_c", "a_b.c", "a.b.c", "a__b.c", "a._b_c", "a_.b_c",
                 "a_d.b", "a.db", "ab", "a_db", "a._x000041", "a.A",
                 "p\u00e9", "p_x0000e9"]
        mangled = [extensions.mangle(n) for n in names]
        self.assertEqual(len(set(mangled)), len(names), mangled)

    def test_symbol(self):
        self.assertEqual(extensions.init_symbol("markupsafe._speedups"),
                         "stick_ext_init_markupsafe_d__speedups")


class Versions(unittest.TestCase):
    def test_order(self):
        v = pep517.parse_version
        self.assertLess(v("1.0.dev0"), v("1.0a1"))
        self.assertLess(v("1.0a1"), v("1.0rc1"))
        self.assertLess(v("1.0rc1"), v("1.0"))
        self.assertLess(v("1.0"), v("1.0.post1"))
        self.assertEqual(v("78.1"), v("78.1.0"))
        self.assertIsNone(v("not-a-version"))

    def test_clauses(self):
        m = pep517.version_matches
        self.assertTrue(m("78.1.1", ">=", "77"))
        self.assertFalse(m("78.1.1", "<", "60"))
        self.assertTrue(m("3.1.6", "==", "3.1.*"))
        self.assertFalse(m("3.1.6", "!=", "3.*"))
        self.assertTrue(m("1.17.1", "~=", "1.17"))
        self.assertFalse(m("2.0", "~=", "1.17"))
        self.assertFalse(m("1.16", "~=", "1.17"))
        self.assertTrue(m("0.45.1", ">", "0.45"))


class Markers(unittest.TestCase):
    def test_python_version(self):
        e = pep517.evaluate_marker
        self.assertTrue(e("python_version >= '3.13'", ENV313))
        self.assertFalse(e("python_version >= '3.13'", ENV311))
        self.assertTrue(e("python_version < '3.13'", ENV311))
        # version comparison, not string comparison
        self.assertTrue(e("python_version > '3.9'", ENV311))

    def test_boolean(self):
        e = pep517.evaluate_marker
        m = ("platform_python_implementation != 'PyPy' and "
             "(python_version < '3.14' or sys_platform == 'win32')")
        self.assertTrue(e(m, ENV313))
        self.assertFalse(e("os_name == 'nt' or sys_platform == 'darwin'",
                           ENV313))
        self.assertTrue(e("'linux' in sys_platform", ENV313))
        self.assertTrue(e("'bsd' not in sys_platform", ENV313))

    def test_bad(self):
        with self.assertRaises(BuildError):
            pep517.evaluate_marker("no_such_var == '1'", ENV313)
        with self.assertRaises(BuildError):
            pep517.evaluate_marker("python_version >= '3' and", ENV313)


def tool(name, version, **more):
    provides = {canonical_name(name): version}
    provides.update({canonical_name(k): v for k, v in more.items()})
    return pep517.Tool(name, version, [], provides)


TOOLS = [tool("setuptools", "78.1.1", wheel="0.45.1", packaging="24.2"),
         tool("cython", "3.1.6"), tool("flit", "3.12.0", flit_core="3.12.0")]


class Requirements(unittest.TestCase):
    def check(self, requires, env=ENV313, skip=()):
        pep517.check_requirements("pkg 1.0", "backend:x", requires, TOOLS,
                                  env, skip)

    def test_satisfied(self):
        self.check(["setuptools>=77", "wheel", "Cython>=3.0; "
                    "python_version >= '3.13'", "flit_core >=3.2,<4",
                    "setuptools[core] >= 61.0"])

    def test_names_normalized(self):
        self.check(["Flit-Core>=3", "CYTHON"])

    def test_marker_excludes(self):
        self.check(["cffi~=1.17; python_version < '3.12'"])

    def test_missing_names_everything(self):
        with self.assertRaises(BuildError) as cm:
            self.check(["cffi~=1.17; platform_python_implementation != "
                        "'PyPy'"])
        msg = str(cm.exception)
        for part in ("pkg 1.0", "backend:x", "cffi~=1.17",
                     "no pinned build tool", "setuptools 78.1.1",
                     "--skip-requirement cffi"):
            self.assertIn(part, msg)

    def test_version_too_old(self):
        with self.assertRaises(BuildError) as cm:
            self.check(["setuptools>=80"])
        self.assertIn("setuptools 78.1.1 (from setuptools) does not satisfy",
                      str(cm.exception))

    def test_unmet_for_an_index(self):
        unmet = pep517.unmet_requirements(
            "pkg 1.0", "backend:x", ["setuptools>=61", "helper>=1",
                                     "other; python_version < '3'"],
            TOOLS, ENV313)
        self.assertEqual([r.text for r in unmet], ["helper>=1"])
        # An index cannot help a pinned tool that is too old, nor Rust.
        for bad in ("setuptools>=80", "maturin"):
            with self.assertRaises(BuildError):
                pep517.unmet_requirements("pkg 1.0", "backend:x", [bad],
                                          TOOLS, ENV313)

    def test_missing_names_the_index_options(self):
        with self.assertRaises(BuildError) as cm:
            self.check(["helper>=1"])
        for part in ("--index-url URL", "--find-links DIR|URL",
                     "'helper>=1'", "pkg 1.0"):
            self.assertIn(part, str(cm.exception))

    def test_rust_and_cxx_named(self):
        with self.assertRaises(BuildError) as cm:
            self.check(["setuptools_rust>=1.5"])
        self.assertIn("Rust", str(cm.exception))
        self.assertIn("pkg 1.0", str(cm.exception))
        with self.assertRaises(BuildError) as cm:
            self.check(["scikit-build>=0.17"])
        self.assertIn("C++", str(cm.exception))

    def test_skip(self):
        self.check(["cffi>=1.17"], skip={"cffi"})

    def test_url_refused(self):
        with self.assertRaises(BuildError):
            self.check(["foo @ https://example.invalid/foo.tar.gz"])


class WheelSplit(unittest.TestCase):
    def test_layout(self):
        site, exts, dropped = extensions.split_wheel([
            "markupsafe/__init__.py",
            "markupsafe/_speedups.cpython-313-x86_64-linux-musl.so",
            "markupsafe/_speedups.pyi",
            "markupsafe/py.typed",
            "markupsafe-3.0.3.dist-info/METADATA",
            "markupsafe-3.0.3.dist-info/RECORD",
            "pkg-1.0.data/purelib/extra/mod.py",
            "pkg-1.0.data/platlib/fast.abi3.so",
            "pkg-1.0.data/scripts/tool",
            "pkg-1.0.data/headers/x.h",
            "top.cpython-313-x86_64-linux-musl.so",
            "numpy/_core/lib/libnpymath.a",
            "dir/",
        ])
        self.assertEqual(exts, [
            ("markupsafe/_speedups.cpython-313-x86_64-linux-musl.so",
             "markupsafe._speedups"),
            ("pkg-1.0.data/platlib/fast.abi3.so", "fast"),
            ("top.cpython-313-x86_64-linux-musl.so", "top")])
        self.assertIn(("pkg-1.0.data/purelib/extra/mod.py", "extra/mod.py"),
                      site)
        self.assertIn(("markupsafe/py.typed", "markupsafe/py.typed"), site)
        self.assertEqual(dropped, ["pkg-1.0.data/scripts/tool",
                                   "pkg-1.0.data/headers/x.h",
                                   "numpy/_core/lib/libnpymath.a"])

    def test_other_binaries_refused(self):
        for bad in ("pkg/libfoo.so.1", "pkg/helper.dylib", "pkg/x.pyd",
                    "pkg/not-an-identifier.so"):
            with self.assertRaises(BuildError, msg=bad):
                extensions.split_wheel(["pkg/__init__.py", bad])

    def test_extension_name(self):
        self.assertEqual(extensions.extension_name("a/b/_c.cpython-313-x.so"),
                         "a.b._c")
        self.assertIsNone(extensions.extension_name("a-b/_c.so"))


class PathDirs(unittest.TestCase):
    def test_prebuilt_refused(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "yaml"))
            open(os.path.join(d, "yaml", "__init__.py"), "w").close()
            extensions.check_path_dirs([d])
            so = os.path.join(d, "yaml",
                              "_yaml.cpython-311-x86_64-linux-gnu.so")
            open(so, "w").close()
            with self.assertRaises(BuildError) as cm:
                extensions.check_path_dirs([d], BuildError)
            self.assertIn(so, str(cm.exception))
            self.assertIn("--sdist", str(cm.exception))


class Exttab(unittest.TestCase):
    def test_table(self):
        text = extensions.exttab_source([("b._x", ""), ("a._x", "")])
        self.assertTrue(text.startswith("/* generated by stick; do not "
                                        "edit */\n"))
        self.assertLess(text.index('{"a._x", stick_ext_init_a_d__x}'),
                        text.index('{"b._x", stick_ext_init_b_d__x}'))
        self.assertIn("{NULL, NULL},", text)


class UnpackSdist(unittest.TestCase):
    """The driver extracts (tests/t2000-unpack.sh checks its refusals);
    here, how the helper calls it, with a stand-in driver."""

    def driver(self, d, script):
        path = os.path.join(d, "stick")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + script)
        os.chmod(path, 0o755)
        return path

    def test_runs_stick_unpack_archive(self):
        with tempfile.TemporaryDirectory() as d:
            stick = self.driver(d, f'printf "%s\\n" "$@" >{d}/argv\n')
            a, dest = os.path.join(d, "p-1.zip"), os.path.join(d, "src")
            self.assertEqual(extensions.unpack_sdist(stick, a, dest), dest)
            with open(os.path.join(d, "argv")) as f:
                self.assertEqual(f.read().split("\n")[:-1],
                                 ["unpack", "-q", "--archive", a, dest])

    def test_failure_names_the_archive_and_says_why(self):
        with tempfile.TemporaryDirectory() as d:
            stick = self.driver(d, "echo \"stick: error: refusing to "
                                "extract: entry '../x'\" >&2; exit 1\n")
            a = os.path.join(d, "p-1.tar.gz")
            with self.assertRaises(BuildError) as cm:
                extensions.unpack_sdist(stick, a, os.path.join(d, "src"))
            self.assertEqual(str(cm.exception), f"cannot unpack '{a}': "
                             "refusing to extract: entry '../x'")

    def test_missing_driver(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(BuildError) as cm:
                extensions.unpack_sdist(os.path.join(d, "nope"), "p.zip",
                                        os.path.join(d, "src"))
            self.assertIn("cannot unpack 'p.zip'", str(cm.exception))


class SdistStem(unittest.TestCase):
    def test_archive_suffix_dropped(self):
        for name, stem in (("/d/pyyaml-6.0.1.tar.gz", "pyyaml-6.0.1"),
                           ("p-1.zip", "p-1"), ("p-1.tar.xz", "p-1"),
                           ("p-1.tar.bz2", "p-1"), ("p-1.tgz", "p-1"),
                           ("odd.bin", "src"), (".zip", "src")):
            self.assertEqual(extensions.sdist_stem(name), stem)


class WheelTarget(unittest.TestCase):
    def test_member_outside_site_refused(self):
        with tempfile.TemporaryDirectory() as d:
            site = os.path.join(d, "site")
            os.makedirs(site)
            os.symlink(d, os.path.join(site, "lnk"))
            self.assertEqual(extensions._wheel_target(site, "p/m.py", "w"),
                             os.path.join(site, "p/m.py"))
            for member in ("../evil.py", "/abs.py", "lnk/evil.py"):
                with self.assertRaises(BuildError):
                    extensions._wheel_target(site, member, "w.whl")


class BuildSystem(unittest.TestCase):
    def tree(self, d, pyproject=None, setup=True):
        if pyproject is not None:
            with open(os.path.join(d, "pyproject.toml"), "w") as f:
                f.write(pyproject)
        if setup:
            open(os.path.join(d, "setup.py"), "w").close()

    def test_legacy(self):
        with tempfile.TemporaryDirectory() as d:
            self.tree(d)
            self.assertEqual(pep517.read_build_system(d),
                             (["setuptools>=40.8.0"],
                              "setuptools.build_meta:__legacy__", []))

    def test_declared(self):
        with tempfile.TemporaryDirectory() as d:
            self.tree(d, '[build-system]\nrequires = ["flit_core>=3"]\n'
                      'build-backend = "flit_core.buildapi"\n'
                      'backend-path = ["."]\n', setup=False)
            self.assertEqual(pep517.read_build_system(d),
                             (["flit_core>=3"], "flit_core.buildapi", ["."]))

    def test_backend_path_escape(self):
        with tempfile.TemporaryDirectory() as d:
            self.tree(d, '[build-system]\nrequires = []\n'
                      'build-backend = "x"\nbackend-path = [".."]\n')
            with self.assertRaises(BuildError):
                pep517.read_build_system(d)

    def test_not_a_tree(self):
        with tempfile.TemporaryDirectory() as d:
            with self.assertRaises(BuildError):
                pep517.read_build_system(d)


class RequestTools(unittest.TestCase):
    def test_lines_and_dist_info(self):
        with tempfile.TemporaryDirectory() as d:
            vendor = os.path.join(d, "st", "setuptools", "_vendor")
            os.makedirs(os.path.join(vendor, "wheel-0.45.1.dist-info"))
            with open(os.path.join(vendor, "wheel-0.45.1.dist-info",
                                   "METADATA"), "w") as f:
                f.write("Name: wheel\nVersion: 0.45.1\n\n")
            req = Request([
                ("tool", f"flit 3.12.0 {'a' * 64} {d}/flit"),
                ("tool-path", f"flit {d}/flit/flit_core"),
                ("tool-provides", "flit flit"),
                ("tool-provides", "flit flit_core"),
                ("tool", f"setuptools 78.1.1 {'b' * 64} {d}/st"),
                ("tool-path", f"setuptools {d}/st"),
                ("tool-path", f"setuptools {vendor}"),
                ("tool-provides", "setuptools setuptools")])
            flit, st = extensions.request_tools(req)
        self.assertEqual((flit.name, flit.version, flit.sha256),
                         ("flit", "3.12.0", "a" * 64))
        self.assertEqual(flit.roots, [f"{d}/flit/flit_core"])
        self.assertEqual(flit.provides, {"flit": "3.12.0",
                                         "flit-core": "3.12.0"})
        self.assertEqual(st.roots, [f"{d}/st", vendor])
        self.assertEqual(st.provides, {"setuptools": "78.1.1",
                                       "wheel": "0.45.1"})

    def test_clib_lines_name_the_request_line(self):
        line = "libyaml 0.2.5 MIT libyaml_0.2.5.orig.tar.gz " + "c" * 64
        archive = "/h/clibs/k/libyaml-0.2.5-0123456789abcdef/lib/libyaml.a"
        self.assertEqual(extensions.clib_lines([archive, archive], [line]),
                         [line])
        with self.assertRaises(BuildError):
            extensions.clib_lines([archive], [])

    def test_clib_lines_of_libxslt_and_its_libxml2(self):
        xslt = "libxslt 1.1.45 MIT libxslt_1.1.45.orig.tar.xz " + "d" * 64
        xml = "libxml2 2.15.4 MIT libxml2_2.15.4+dfsg.orig.tar.xz " + "e" * 64
        archives = ["/h/clibs/k/libxslt-1.1.45-0123456789abcdef/lib/libxslt.a",
                    "/h/clibs/k/libxml2-2.15.4-0123456789abcdef/lib/libxml2.a",
                    "/h/clibs/k/libjpeg-turbo-3.1.3-0123456789abcdef/lib/"
                    "libjpeg.a"]
        jpeg = "libjpeg-turbo 3.1.3 IJG libjpeg-turbo_3.1.3.orig.tar.gz " + \
            "f" * 64
        self.assertEqual(extensions.clib_lines(archives, [jpeg, xml, xslt]),
                         [xslt, xml, jpeg])


class ClibEnv(unittest.TestCase):
    """What stick cc-wrap is told to build library recipes on demand."""

    def test_request_and_settings(self):
        req = Request([("libc", "musl"), ("target", "aarch64-linux-musl"),
                       ("clib-sources", "/src"),
                       ("clib-mirror", "http://a/"), ("clib-mirror", "http://b/"),
                       ("stick-datadir", "/data"),
                       ("clib-entry", "/h/clibs/k/lz4-1.10.0-0123")])
        env = extensions.request_clib_env(req, "/h")
        self.assertEqual(env, {"STICK_HOME": "/h", "STICK_CC_LIBC": "musl",
                               "STICK_CC_TARGET": "aarch64-linux-musl",
                               "STICK_CC_MIRRORS": "http://a/ http://b/",
                               "STICK_DATADIR": "/data",
                               "STICK_CC_SOURCES": "/src"})
        s = extensions.Settings("/h/toolchains/3.13-musl-k", "py", "stick",
                                "cc", [], [], req.all("clib-entry"),
                                clib_env=env)
        benv = extensions.clib_env(s, "/w")
        self.assertEqual(benv["STICK_CC_TOOLCHAIN"], "/h/toolchains/3.13-musl-k")
        self.assertEqual(benv["STICK_CC_STATE"], "/w/clibs")
        self.assertEqual(benv["PKG_CONFIG_LIBDIR"],
                         "/h/toolchains/3.13-musl-k/lib/pkgconfig")
        self.assertEqual(benv["PKG_CONFIG_PATH"], "")
        self.assertEqual(benv["CPPFLAGS"],
                         "-I/h/toolchains/3.13-musl-k/include")
        other = extensions.Settings("/h/toolchains/3.13-musl-k", "py",
                                    "stick", "cc", [], [],
                                    ["/h/clibs/k/lz4-1.10.0-4567"],
                                    clib_env=env)
        self.assertNotEqual(s.digest("a" * 64), other.digest("a" * 64))

    def test_backend_pkg_config_is_stick(self):
        with tempfile.TemporaryDirectory() as d:
            env = pep517.wrapper_env("/bin/stick", "cc", "p 1", [], [], [],
                                     d, os.path.join(d, "notes"), d,
                                     {"PKG_CONFIG_PATH": ""})
            shim = os.path.join(d, ".stick-bin", "pkg-config")
            self.assertTrue(env["PATH"].startswith(os.path.dirname(shim)))
            with open(shim, encoding="utf-8") as f:
                self.assertIn("/bin/stick cc-wrap --pkg-config", f.read())
            self.assertEqual(env["PKG_CONFIG_PATH"], "")

    def test_meson_tools_shims(self):
        with tempfile.TemporaryDirectory() as d:
            for name, script in (("meson", "meson.py"),
                                 ("cython", "cython.py")):
                os.makedirs(os.path.join(d, name))
                open(os.path.join(d, name, script), "w").close()
            tools = [pep517.Tool("meson", "1.7.0", [os.path.join(d, "meson")],
                                 {}),
                     pep517.Tool("cython", "3.1.6",
                                 [os.path.join(d, "cython")], {})]
            pep517.wrapper_env("/bin/stick", "cc", "p 1", [], [], tools,
                               d, os.path.join(d, "notes"), d,
                               python="/tc/bin/python3.13")
            for name, script in (("meson", "meson.py"),
                                 ("cython", "cython.py")):
                with open(os.path.join(d, ".stick-bin", name),
                          encoding="utf-8") as f:
                    self.assertIn(f"exec /tc/bin/python3.13 "
                                  f"{d}/{name}/{script} \"$@\"", f.read())
            # No python or no such tool: no shim.
            e = os.path.join(d, "e")
            os.makedirs(e)
            pep517.wrapper_env("/bin/stick", "cc", "p 1", [], [], [],
                               e, os.path.join(e, "notes"), e,
                               python="/tc/bin/python3.13")
            self.assertFalse(os.path.exists(os.path.join(
                e, ".stick-bin", "meson")))

    def test_meson_config(self):
        self.assertIsNone(pep517.meson_config("setuptools.build_meta",
                                              "/bin/stick", "/h"))
        with tempfile.TemporaryDirectory() as d:
            config = pep517.meson_config("mesonpy", "/bin/stick", d)
            native = os.path.join(d, "stick-native.ini")
            self.assertEqual(config, {"build-dir": ".stick-meson",
                                      "setup-args":
                                      f"--native-file={native}"})
            with open(native, encoding="utf-8") as f:
                text = f.read()
            self.assertIn("c = ['/bin/stick', 'cc-wrap']\n", text)
            self.assertIn("cpp = ['/bin/stick', 'cc-wrap', '--cxx']\n", text)
            self.assertIn(f"pkg-config = '{d}/.stick-bin/pkg-config'", text)


class ScrubSite(unittest.TestCase):
    def test_build_paths_rewritten_in_text_files(self):
        with tempfile.TemporaryDirectory() as d:
            s = extensions.Settings(f"{d}/home/toolchains/3.13-musl-k", "py",
                                    "/co/bin/stick", "cc", [], [], [],
                                    clib_env={"STICK_HOME": f"{d}/home"})
            work = f"{d}/home/extensions/k/abc.tmp.42"
            site = os.path.join(d, "site")
            os.makedirs(site)
            text = (f"cc = '/co/bin/stick, cc-wrap'\n"
                    f"args = '-ffile-prefix-map={work}/src/np-1=np-1 "
                    f"-I{d}/home/toolchains/3.13-musl-k/include'\n"
                    f"cache = '{d}/home/dists'\n")
            with open(os.path.join(site, "__config__.py"), "w") as f:
                f.write(text)
            os.makedirs(os.path.join(site, "np-1.dist-info"))
            with open(os.path.join(site, "np-1.dist-info", "RECORD"),
                      "w") as f:
                f.write("__config__.py,sha256=old,1\nblob.bin,,\n")
            binary = f"\0{work}".encode()
            with open(os.path.join(site, "blob.bin"), "wb") as f:
                f.write(binary)
            extensions.scrub_site(site, extensions.build_paths(s, work))
            with open(os.path.join(site, "__config__.py")) as f:
                self.assertEqual(f.read(), (
                    "cc = 'stick, cc-wrap'\n"
                    "args = '-ffile-prefix-map=/usr/src/stick/build/src/np-1"
                    "=np-1 -I/usr/src/stick/toolchain/include'\n"
                    "cache = '/usr/src/stick/home/dists'\n"))
            with open(os.path.join(site, "blob.bin"), "rb") as f:
                self.assertEqual(f.read(), binary)
            with open(os.path.join(site, "__config__.py"), "rb") as f:
                data = f.read()
            import base64
            import hashlib
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest())
            with open(os.path.join(site, "np-1.dist-info", "RECORD")) as f:
                self.assertEqual(f.read(), (
                    f"__config__.py,sha256={digest.rstrip(b'=').decode()},"
                    f"{len(data)}\nblob.bin,,\n"))


if __name__ == "__main__":
    unittest.main()
