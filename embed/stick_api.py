"""The Python half of a stick library's C API (embed/api.c).

Frozen into every library as _stick_api. The C side converts arguments
and results; this module finds the target, runs modules as __main__ and
formats exceptions, so that nothing is ever printed on the library's own
account.
"""

import sys
import threading

# sys.argv and sys.modules["__main__"] are process-wide: one run at a time.
_RUN_LOCK = threading.Lock()


def _flush():
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except Exception:
            pass


def _resolve(target):
    import importlib
    modname, sep, attrs = target.partition(":")
    if not sep or not modname or not attrs:
        raise ValueError(f"target {target!r} must be MODULE:FUNCTION")
    obj = importlib.import_module(modname)
    for attr in attrs.split("."):
        obj = getattr(obj, attr)
    return obj


def call(target, args):
    try:
        return _resolve(target)(*args)
    finally:
        _flush()


def _exit_status(exc):
    """(status, message) for a SystemExit, as python itself reports it."""
    code = exc.code
    if code is None:
        return 0, None
    if isinstance(code, int):
        return code & 0xff, None
    return 1, str(code)


def run_module(name, args):
    """(status, message or None) of running module name as __main__."""
    import runpy
    with _RUN_LOCK:
        saved = sys.argv
        sys.argv = [name] + list(args)
        try:
            runpy.run_module(name, run_name="__main__", alter_sys=True)
        except SystemExit as e:
            return _exit_status(e)
        finally:
            sys.argv = saved
            _flush()
    return 0, None


def format_exception(exc):
    """The traceback text of exc, without this module's own frames."""
    import traceback
    tb = exc.__traceback__
    own = format_exception.__code__.co_filename
    while tb is not None and tb.tb_frame.f_code.co_filename == own:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(exc), exc, tb))
