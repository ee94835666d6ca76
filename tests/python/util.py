"""Helpers for the helper's unit tests: synthetic trees on disk."""

import os
import tempfile
import unittest


def write_tree(root, files):
    """Writes {relative path: text} under root."""
    for rel, text in files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


class TreeTest(unittest.TestCase):
    """A test with a fresh temporary directory, self.dir."""

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = self._tmp.name

    def tearDown(self):
        self._tmp.cleanup()

    def tree(self, name, files):
        root = os.path.join(self.dir, name)
        os.makedirs(root, exist_ok=True)
        write_tree(root, files)
        return root


EMBED = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "embed")
