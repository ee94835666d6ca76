"""pylock.py: the TOML emitter for the lock's subset, read back by tomllib,
and the checks the reader makes. Run by tests/t7100-deps-resolve.sh:

    PYTHONPATH=stick python3 -m unittest discover -s tests/python \
        -p 'test_deps*.py'
"""

import os
import tempfile
import tomllib
import unittest

from stickpy import pylock

SHA = "0137fb05990d35f1275a587e9aee6d56da821fc83491a0fb838183be43f66d6d"


def sample():
    wheel = pylock.artifact("jinja2-3.1.6-py3-none-any.whl", SHA,
                            url="http://127.0.0.1:1/files/jinja2-3.1.6-"
                            "py3-none-any.whl")
    sdist = pylock.artifact("markupsafe-3.0.3.tar.gz", "a" * 64,
                            path="../files/markupsafe-3.0.3.tar.gz")
    return pylock.document(
        [pylock.package("markupsafe", "3.0.3", sdist=sdist),
         pylock.package("jinja2", "3.1.6", wheel=wheel)],
        tool={"requirements": ["jinja2", 'x; sys_platform == "win32"'],
              "python": "cp313-linux_x86_64"})


class Emitter(unittest.TestCase):
    def test_round_trip(self):
        doc = sample()
        back = tomllib.loads(pylock.dumps(doc))
        self.assertEqual(back["lock-version"], "1.0")
        self.assertEqual(back["created-by"], "stick")
        self.assertEqual([p["name"] for p in back["packages"]],
                         ["jinja2", "markupsafe"])
        self.assertEqual(back["packages"][0]["wheels"][0]["hashes"],
                         {"sha256": SHA})
        self.assertEqual(back["packages"][1]["sdist"]["path"],
                         "../files/markupsafe-3.0.3.tar.gz")
        self.assertNotIn("url", back["packages"][1]["sdist"])
        self.assertEqual(back["tool"]["stick"]["requirements"][1],
                         'x; sys_platform == "win32"')

    def test_layout(self):
        text = pylock.dumps(sample())
        self.assertTrue(text.startswith('lock-version = "1.0"\n'
                                        'created-by = "stick"\n'))
        self.assertIn('hashes = {sha256 = "' + SHA + '"}', text)
        self.assertIn("\n[[packages]]\n", text)
        self.assertIn("\n[[packages.wheels]]\n", text)
        self.assertIn("\n[packages.sdist]\n", text)
        # [tool] holds only a table: it gets no header of its own.
        self.assertNotIn("\n[tool]\n", text)
        self.assertIn("\n[tool.stick]\n", text)

    def test_same_input_same_bytes(self):
        self.assertEqual(pylock.dumps(sample()), pylock.dumps(sample()))

    def test_strings_escaped(self):
        for s in ['a"b', "back\\slash", "tab\there", "new\nline", "\x00\x1f",
                  "del\x7f", "naïve ü", "'single'", '"""', "\r\n\f\b", ""]:
            with self.subTest(s=s):
                self.assertEqual(tomllib.loads(pylock.dumps({"k": s}))["k"],
                                 s)

    def test_keys_quoted_when_not_bare(self):
        doc = {"a b": 1, "dotted.key": "v", "ok-key_1": True,
               "t": {"x y": [1, 2], "z": False}}
        self.assertEqual(tomllib.loads(pylock.dumps(doc)), doc)

    def test_scalars(self):
        doc = {"i": -3, "b": False, "arr": ["x", 1, True], "empty": []}
        self.assertEqual(tomllib.loads(pylock.dumps(doc)), doc)
        self.assertIn("b = false\n", pylock.dumps(doc))

    def test_none_left_out(self):
        self.assertEqual(tomllib.loads(pylock.dumps({"a": None, "b": 1})),
                         {"b": 1})

    def test_unsupported_values_refused(self):
        for bad in [{"f": 1.5}, {"n": [[1]]}, {"m": [{"a": 1}, 2]}, {1: 2}]:
            with self.subTest(bad=bad), self.assertRaises(TypeError):
                pylock.dumps(bad)

    def test_package_needs_one_artifact(self):
        a = pylock.artifact("x-1.tar.gz", SHA, url="http://h/x-1.tar.gz")
        with self.assertRaises(ValueError):
            pylock.package("x", "1")
        with self.assertRaises(ValueError):
            pylock.package("x", "1", sdist=a, wheel=a)
        with self.assertRaises(ValueError):
            pylock.artifact("x-1.tar.gz", SHA)


class Reader(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "pylock.toml")

    def tearDown(self):
        self.dir.cleanup()

    def write(self, text):
        with open(self.path, "w") as f:
            f.write(text)

    def test_write_then_read(self):
        pylock.write(self.path, sample())
        doc = pylock.read(self.path)
        [(kind, a)] = pylock.artifacts(doc["packages"][1])
        self.assertEqual((kind, a["name"]),
                         ("sdist", "markupsafe-3.0.3.tar.gz"))
        self.assertEqual(os.listdir(self.dir.name), ["pylock.toml"])

    def test_many_artifacts_wheels_first(self):
        self.write('lock-version = "1.0"\ncreated-by = "uv"\n'
                   '[[packages]]\nname = "x"\nversion = "1"\n'
                   f'sdist = {{url = "http://h/x-1.tar.gz", hashes = '
                   f'{{sha256 = "{SHA}"}}}}\n'
                   f'wheels = [{{url = "http://h/x-1-py3-none-any.whl", '
                   f'hashes = {{sha256 = "{SHA}"}}}}]\n')
        found = pylock.artifacts(pylock.read(self.path)["packages"][0])
        self.assertEqual([(k, a["name"]) for k, a in found],
                         [("wheel", "x-1-py3-none-any.whl"),
                          ("sdist", "x-1.tar.gz")])

    def test_name_defaults_to_the_url_file(self):
        self.write('lock-version = "1.0"\n[[packages]]\nname = "x"\n'
                   'version = "1"\n[packages.sdist]\n'
                   'url = "http://h/d/x-1.tar.gz"\n'
                   f'hashes = {{sha256 = "{SHA}"}}\n')
        [(kind, a)] = pylock.artifacts(pylock.read(self.path)["packages"][0])
        self.assertEqual(a["name"], "x-1.tar.gz")

    def assertRefused(self, text, *words):
        self.write(text)
        with self.assertRaises(pylock.LockError) as cm:
            pylock.read(self.path)
        for w in words:
            self.assertIn(w, str(cm.exception))
        self.assertIn(self.path, str(cm.exception))

    def test_refusals(self):
        head = ('lock-version = "1.0"\n[[packages]]\nname = "x"\n'
                'version = "1"\n')
        self.assertRefused('lock-version = "2.0"\n', "lock-version '2.0'")
        self.assertRefused("lock-version = [\n", "not valid TOML")
        self.assertRefused(head, "has no sdist and no wheels")
        self.assertRefused(head + '[packages.sdist]\nurl = "http://h/x.tgz"\n'
                           'hashes = {md5 = "00"}\n', "hashes.sha256")
        self.assertRefused(head + '[packages.sdist]\n'
                           f'hashes = {{sha256 = "{SHA}"}}\n',
                           "neither 'url' nor 'path'")
        self.assertRefused(head + '[packages.vcs]\ntype = "git"\n',
                           "'vcs' sources are not supported")
        self.assertRefused('lock-version = "1.0"\n[[packages]]\nname = "x"\n',
                           "needs 'name' and 'version'")


if __name__ == "__main__":
    unittest.main()
