"""A directory in a cache, made once and never seen half made: the Python
side of stick/util.h's cachedir, with the same names on disk, so C and
Python sticks wait for each other.

    with CacheDir(final, "building markupsafe 3.0.3") as e:
        if not e.ready:
            ...fill e.tmp...
            e.commit()            # or e.commit(os.path.join(e.tmp, "out"))

Entering takes the entry's lock, DIR/.locks/NAME.lock (saying "waiting
for another stick WHAT" while another holds it), then removes the
temporaries a killed stick left (FINAL.tmp.*: nobody else writes them
while the lock is held). With `valid`, a final that fails it is removed
and made again. Unless it is there, an empty FINAL.tmp.PID is made for
the caller; commit() renames it (or a directory inside it) to final in
one step. Leaving the block without commit removes the temporary; the
lock is released either way.
"""

import fcntl
import os
import shutil
import sys


def _say(text):
    print(text, file=sys.stderr, flush=True)


def _sync_dir(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class CacheDir:
    def __init__(self, final, what, valid=None, say=_say):
        self.final = final
        self.what = what
        self.valid = valid
        self.say = say
        parent, name = os.path.split(final)
        self.lock = os.path.join(parent, ".locks", name + ".lock")
        self.tmp = f"{final}.tmp.{os.getpid()}"
        self.ready = False
        self._fd = None

    def __enter__(self):
        self._take_lock()
        try:
            self._remove_left_over()
            if os.path.exists(self.final) and self.valid and \
                    not self.valid(self.final):
                _remove(self.final, strict=True)
            self.ready = os.path.exists(self.final)
            if not self.ready:
                os.mkdir(self.tmp)
        except BaseException:
            self._unlock()
            raise
        return self

    def __exit__(self, *exc):
        try:
            if os.path.lexists(self.tmp):
                _remove(self.tmp)
        finally:
            self._unlock()
        return False

    def commit(self, built=None):
        """Publishes built (default: the temporary directory) as final."""
        try:
            os.rename(built or self.tmp, self.final)
        except OSError:
            # Another stick's entry (one that shares no lock with this).
            if not os.path.exists(self.final):
                raise
        _sync_dir(os.path.dirname(self.final))
        self.ready = True

    def _take_lock(self):
        os.makedirs(os.path.dirname(self.lock), exist_ok=True)
        self._fd = os.open(self.lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC,
                           0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self.say(f"waiting for another stick {self.what}")
            fcntl.flock(self._fd, fcntl.LOCK_EX)

    def _unlock(self):
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _remove_left_over(self):
        parent, name = os.path.split(self.final)
        for entry in os.listdir(parent):
            if entry.startswith(name + ".tmp."):
                _remove(os.path.join(parent, entry))


def _remove(path, strict=False):
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=not strict)
    elif strict or os.path.lexists(path):
        os.unlink(path)
