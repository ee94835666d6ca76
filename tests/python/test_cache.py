"""stickpy.cache: a cache entry made in a temporary directory beside its
final name, published by one rename, under a lock C sticks share."""

import fcntl
import os
import tempfile
import unittest

from stickpy.cache import CacheDir


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class CacheDirTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.top = self.dir.name
        self.final = os.path.join(self.top, "entry")

    def tearDown(self):
        self.dir.cleanup()

    def test_made_in_tmp_and_renamed(self):
        with CacheDir(self.final, "testing") as e:
            self.assertFalse(e.ready)
            self.assertEqual(e.tmp, f"{self.final}.tmp.{os.getpid()}")
            self.assertFalse(os.path.exists(self.final))
            write(os.path.join(e.tmp, "data"), "x")
            e.commit()
        self.assertTrue(os.path.isfile(os.path.join(self.final, "data")))
        self.assertEqual(sorted(os.listdir(self.top)), [".locks", "entry"])
        self.assertEqual(os.listdir(os.path.join(self.top, ".locks")),
                         ["entry.lock"])
        with CacheDir(self.final, "testing") as e:
            self.assertTrue(e.ready)
            self.assertFalse(os.path.exists(e.tmp))

    def test_a_directory_inside_tmp_can_be_the_entry(self):
        with CacheDir(self.final, "testing") as e:
            os.makedirs(os.path.join(e.tmp, "result"))
            os.makedirs(os.path.join(e.tmp, "work"))
            e.commit(os.path.join(e.tmp, "result"))
        self.assertEqual(sorted(os.listdir(self.top)), [".locks", "entry"])

    def test_an_error_leaves_nothing(self):
        with self.assertRaises(RuntimeError):
            with CacheDir(self.final, "testing") as e:
                write(os.path.join(e.tmp, "half"), "x")
                raise RuntimeError("build failed")
        self.assertEqual(os.listdir(self.top), [".locks"])

    def test_what_a_killed_stick_left_is_removed(self):
        stale = f"{self.final}.tmp.99999"
        os.makedirs(stale)
        write(os.path.join(stale, "half"), "x")
        os.makedirs(os.path.join(self.top, "entry-other.tmp.99999"))
        with CacheDir(self.final, "testing") as e:
            self.assertFalse(e.ready)
            self.assertFalse(os.path.exists(stale))
        self.assertTrue(os.path.isdir(
            os.path.join(self.top, "entry-other.tmp.99999")))

    def test_an_invalid_entry_is_made_again(self):
        os.makedirs(self.final)
        with CacheDir(self.final, "testing", valid=lambda d: os.path.exists(
                os.path.join(d, "meta.json"))) as e:
            self.assertFalse(e.ready)
            self.assertFalse(os.path.exists(self.final))

    def test_waits_for_the_holder_of_the_lock(self):
        os.makedirs(os.path.join(self.top, ".locks"))
        lock = os.path.join(self.top, ".locks", "entry.lock")
        fd = os.open(lock, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)
        said = []

        def say(text):
            said.append(text)
            # The other stick finishes while this one waits.
            os.makedirs(self.final)
            os.close(fd)

        # flock locks belong to the open file: this process's second
        # open waits like another process would.
        with CacheDir(self.final, "testing", say=say) as e:
            self.assertTrue(e.ready)
        self.assertEqual(said, ["waiting for another stick testing"])


if __name__ == "__main__":
    unittest.main()
