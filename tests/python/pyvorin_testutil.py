"""Helpers shared by the compiler-core pytest suites: run a function under pyvorin.jit and under
CPython, and compare value, type (bool/int/float/None), float bits and exception type + message."""
import contextlib
import importlib.util
import inspect
import math
import os
import struct
import subprocess
import sys
import tempfile
import textwrap

import pyvorin

INT64_MIN = -2**63
INT64_MAX = 2**63 - 1

# The Python the suites run with (Debian's 3.11); used for subprocess tests.
PYTHON = sys.executable


def is_dispatcher(obj):
    return callable(obj) and hasattr(obj, "py_func") and hasattr(obj, "stats")


def py_of(fn):
    """The plain Python function behind fn (fn itself when it is not a dispatcher)."""
    return fn.py_func if is_dispatcher(fn) else fn


_JITTED = {}


def jitted(fn, **options):
    """One dispatcher per (function, options), reused across inputs: compile once per signature."""
    if is_dispatcher(fn) and not options:
        return fn
    key = (py_of(fn), tuple(sorted(options.items())))
    if key not in _JITTED:
        _JITTED[key] = pyvorin.jit(**options)(py_of(fn)) if options else pyvorin.jit(py_of(fn))
    return _JITTED[key]


@contextlib.contextmanager
def pure_cpython(fn):
    """Within: every global of fn's module that is a dispatcher is its py_func, so calling
    py_of(fn) is pure CPython (callees and recursion included) without relying on pyvorin."""
    g = py_of(fn).__globals__
    saved = {k: v for k, v in list(g.items()) if is_dispatcher(v)}
    for k, v in saved.items():
        g[k] = v.py_func
    try:
        yield
    finally:
        g.update(saved)


class Outcome:
    """What a call did: returned a value or raised an exception."""

    def __init__(self, value=None, exc=None):
        self.value = value
        self.exc = exc

    def __repr__(self):
        if self.exc is not None:
            return "raised %s(%r)" % (type(self.exc).__name__, str(self.exc))
        return "returned %s %s" % (type(self.value).__name__, float_text(self.value))


def float_text(v):
    if isinstance(v, float):
        sign = "-" if math.copysign(1.0, v) < 0 and math.isnan(v) else ""
        return sign + repr(v)
    return repr(v)


def run(callable_, *args, **kwargs):
    try:
        return Outcome(value=callable_(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - any exception is a result to compare
        return Outcome(exc=e)


def cpython_outcome(fn, *args, **kwargs):
    with pure_cpython(fn):
        return run(py_of(fn), *args, **kwargs)


def same_value(expected, got):
    """Same type and value; floats must be bit-identical (repr and sign, also for -0.0 and nan)."""
    if type(expected) is not type(got):
        return False
    if isinstance(expected, float):
        if math.isnan(expected) or math.isnan(got):
            return math.isnan(expected) and math.isnan(got) and \
                math.copysign(1.0, expected) == math.copysign(1.0, got)
        return struct.pack("<d", expected) == struct.pack("<d", got)
    if isinstance(expected, complex):
        return repr(expected) == repr(got)
    return expected == got


def compare(expected, got, message=True):
    """None when the outcomes agree, else a short description of the difference."""
    if expected.exc is not None or got.exc is not None:
        if expected.exc is None or got.exc is None:
            return "expected %r, got %r" % (expected, got)
        if type(expected.exc) is not type(got.exc):
            return "expected %r, got %r" % (expected, got)
        if message and str(expected.exc) != str(got.exc):
            return "expected %r, got %r (message differs)" % (expected, got)
        return None
    if not same_value(expected.value, got.value):
        return "expected %r, got %r" % (expected, got)
    return None


def check(fn, *args, message=True, jf=None):
    """Run fn's dispatcher and CPython on args; None if they agree, else the mismatch text."""
    jf = jf if jf is not None else jitted(fn)
    expected = cpython_outcome(fn, *args)
    got = run(jf, *args)
    diff = compare(expected, got, message)
    if diff is None:
        return None
    return "%s(%s): %s" % (py_of(fn).__name__, ", ".join(float_text(a) for a in args), diff)


def check_all(fn, argsets, message=True, jf=None):
    """check() over every argument tuple; fails listing every mismatch (not just the first)."""
    failures = []
    for args in argsets:
        if not isinstance(args, tuple):
            args = (args,)
        diff = check(fn, *args, message=message, jf=jf)
        if diff is not None:
            failures.append(diff)
    assert not failures, "%d of %d inputs differ from CPython:\n  %s" % (
        len(failures), len(argsets), "\n  ".join(failures[:40]))



def fresh_arrays(argset):
    """Each run gets arrays of its own: a view is the same view (offset, strides, read-only flag)
    of a copy of its base."""
    import numpy as np
    out = []
    for a in argset:
        if isinstance(a, np.ndarray):
            if isinstance(a.base, np.ndarray):
                base = a.base.copy()
                offset = a.__array_interface__["data"][0] - a.base.__array_interface__["data"][0]
                c = np.ndarray(a.shape, a.dtype, base, offset, a.strides)
            else:
                c = a.copy(order="K")
            if not a.flags.writeable:
                c.setflags(write=False)
            out.append(c)
        else:
            out.append(a)
    return out


def numpy_outcome(fn, args):
    """fn(*args) on fresh arrays as NumPy code is compared: (the result's repr, type and dtype, or
    the exception's type and message), the warnings it raised, and every array argument after."""
    import warnings
    args = fresh_arrays(args)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = fn(*args)
            out = ("ok", repr(r), type(r).__name__, getattr(r, "dtype", None))
        except Exception as e:  # noqa: BLE001 - compared with CPython's
            out = ("raised", type(e).__name__, str(e))
    import numpy as np
    return out, sorted({(x.category.__name__, str(x.message)) for x in w}), [repr(a) for a in args if isinstance(a, np.ndarray)]

def line_of(fn, marker, occurrence=1):
    """Absolute line in fn's file of the occurrence-th source line of fn containing marker."""
    lines, first = inspect.getsourcelines(py_of(fn))
    seen = 0
    for i, text in enumerate(lines):
        if marker in text:
            seen += 1
            if seen == occurrence:
                return first + i
    raise AssertionError("marker %r not in the source of %s" % (marker, py_of(fn).__name__))


def package_parent():
    """The directory to put on PYTHONPATH so a subprocess imports this same pyvorin."""
    paths = list(getattr(pyvorin, "__path__", []))
    where = paths[0] if paths else pyvorin.__file__
    return os.path.dirname(os.path.abspath(where))


def run_python(code, timeout=60, env=None):
    """Run code (dedented) as a script file in a fresh /usr/bin/python3 with this pyvorin
    importable; the script is a real file so inspect.getsource works. Returns CompletedProcess."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = os.pathsep.join(
        [package_parent()] + [p for p in full_env.get("PYTHONPATH", "").split(os.pathsep) if p])
    if env:
        full_env.update(env)
    with tempfile.TemporaryDirectory(prefix="pyvorin-test-") as tmp:
        script = os.path.join(tmp, "script.py")
        with open(script, "w") as f:
            f.write(textwrap.dedent(code))
        return subprocess.run([PYTHON, script], capture_output=True, text=True, timeout=timeout,
                              env=full_env, cwd=tmp)


def start_python(code, tmpdir, env=None):
    """Start code as a script in tmpdir (a Popen with text pipes), for signal tests."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = os.pathsep.join(
        [package_parent()] + [p for p in full_env.get("PYTHONPATH", "").split(os.pathsep) if p])
    full_env["PYTHONUNBUFFERED"] = "1"
    if env:
        full_env.update(env)
    script = os.path.join(str(tmpdir), "script.py")
    with open(script, "w") as f:
        f.write(textwrap.dedent(code))
    return subprocess.Popen([PYTHON, script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=full_env, cwd=str(tmpdir))


_SOURCE_MODULES = []


def module_from_source(code, name="generated", directory=None):
    """Import code (dedented) as a module from a real file, so inspect.getsource and tracebacks
    see its lines. The file lives in directory (default: a temporary directory kept until exit)."""
    if directory is None:
        tmp = tempfile.TemporaryDirectory(prefix="pyvorin-src-")
        _SOURCE_MODULES.append(tmp)  # keep the files while the module may be inspected
        directory = tmp.name
    path = os.path.join(directory, name + ".py")
    with open(path, "w") as f:
        f.write(textwrap.dedent(code))
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
