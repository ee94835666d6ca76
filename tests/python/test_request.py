"""stickpy.request: the key/value request and result files."""

import os
import tempfile
import unittest

from stickpy import request
from stickpy.request import Request, RequestError


class ParseTest(unittest.TestCase):
    def test_pairs_in_file_order_values_keep_spaces(self):
        pairs = request.parse("# comment\nkind build\n\npath /a b/c\r\n"
                              "prune\npath  two\n  # indented\n")
        self.assertEqual(pairs, [("kind", "build"), ("path", "/a b/c"),
                                 ("prune", ""), ("path", " two")])

    def test_a_line_starting_with_a_blank_is_an_error_naming_it(self):
        with self.assertRaisesRegex(RequestError, r"^req:2: "):
            request.parse("kind build\n value\n", "req")

    def test_lookups(self):
        req = Request(request.parse("kind build\npath a\npath b\nprune\n"))
        self.assertEqual(req.all("path"), ["a", "b"])
        self.assertEqual(req.get("kind"), "build")
        self.assertIsNone(req.get("script"))
        self.assertEqual(req.get("script", "x"), "x")
        self.assertTrue(req.flag("prune"))
        self.assertFalse(req.flag("allow-env"))
        with self.assertRaisesRegex(RequestError, "'path' is given 2 times"):
            req.get("path")
        with self.assertRaisesRegex(RequestError, "'work' is missing"):
            req.need("work")

    def test_unknown_keys_are_refused(self):
        req = Request([("kind", "build"), ("no-source", "")], "r")
        with self.assertRaisesRegex(RequestError, "unknown key 'no-source'"):
            req.check_keys(("kind", "without-source"))
        req.check_keys(("kind", "no-source"))


class WriteTest(unittest.TestCase):
    def test_format_flags_and_values(self):
        self.assertEqual(request.format_pairs(
            [("compile", "app.c"), ("prune", ""), ("app-modules", 3)]),
            "compile app.c\nprune\napp-modules 3\n")

    def test_newlines_and_bad_keys_are_refused(self):
        for pair in (("path", "a\nb"), ("path", "c\r"), ("two words", "x"),
                     ("", "x")):
            with self.assertRaises(RequestError):
                request.format_pairs([pair])

    def test_write_then_read_round_trips(self):
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "result")
            request.write(path, [("info-json", "info.json"),
                                 ("path", "/x y")])
            self.assertEqual(os.listdir(d), ["result"])
            req = Request.read(path)
            self.assertEqual(req.pairs, [("info-json", "info.json"),
                                         ("path", "/x y")])


if __name__ == "__main__":
    unittest.main()
