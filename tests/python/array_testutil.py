"""Helpers for the NumPy suites (test_arrays.py, test_array_properties.py): array arguments built
fresh for every run in a chosen memory layout, a comparison of NumPy results that checks dtypes,
shapes, strides, bits (NaN positions and signs included), exact scalar types (np.float64 is not
float) and memory sharing with the arguments, and one call run under a dispatcher and in pure
CPython with its warnings, printed text and the arguments after the call."""
import contextlib
import copy
import io
import math
import warnings

import numpy as np

from container_testutil import why_not_native
from pyvorin_testutil import pure_cpython, run, same_value

# The dtypes compiled code reads in place.
DTYPES = [np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
          np.uint64, np.float32, np.float64]
INTS = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FLOATS = [np.float32, np.float64]
LAYOUTS = ["C", "F", "S", "R", "RO"]


class A:
    """An ndarray argument, rebuilt for every run (deepcopy would make a contiguous, writeable
    copy): values (a nested list or array), dtype and layout. Layouts: C, F (Fortran order), S
    (every axis strided: a view of every second element of a bigger array), R (every axis
    reversed: negative strides), T (the transpose of a C array holding values.T), RO (read-only
    C), and any of them + "-ro" made read-only."""

    def __init__(self, values, dtype=None, layout="C"):
        self.values = np.array(values, dtype=dtype)
        self.layout = layout

    def make(self):
        v = self.values
        layout = self.layout
        readonly = layout == "RO" or layout.endswith("-ro")
        layout = "C" if layout == "RO" else layout.replace("-ro", "")
        if layout == "C":
            a = np.array(v, order="C", copy=True)
        elif layout == "F":
            a = np.array(v, order="F", copy=True)
        elif layout == "S":
            big = np.zeros(tuple(2 * n + 1 for n in v.shape), dtype=v.dtype)
            sl = tuple(slice(1, None, 2) for _ in v.shape)
            big[sl] = v
            a = big[sl]
        elif layout == "R":
            rev = tuple(slice(None, None, -1) for _ in v.shape)
            a = np.array(v[rev], order="C", copy=True)[rev]
        elif layout == "T":
            a = np.array(v.T, order="C", copy=True).T
        else:
            raise ValueError(layout)
        if readonly:
            a.setflags(write=False)
        assert a.dtype == v.dtype and a.shape == v.shape and np.array_equal(a, v, equal_nan=v.dtype.kind in "fc")
        return a

    def __repr__(self):
        text = np.array2string(self.values.ravel()[:6], separator=",", threshold=6)
        return "A(%s%s, %s, %s)" % (text, "..." if self.values.size > 6 else "", self.values.dtype,
                                    "x".join(map(str, self.values.shape)) + " " + self.layout)


class Make:
    """An argument built by a function for every run (a broadcast view, a byte-swapped array...)."""

    def __init__(self, build, label):
        self.build = build
        self.label = label

    def make(self):
        return self.build()

    def __repr__(self):
        return self.label


def fresh(args):
    """A new copy of args: recipes (A, Make) built, everything else deep-copied (one deepcopy of
    the rest, so an object passed twice stays one object; a recipe passed twice is built once,
    so both arguments are one array)."""
    rest = copy.deepcopy([None if hasattr(a, "make") else a for a in args])
    built = {}
    out = []
    for a, r in zip(args, rest):
        if hasattr(a, "make"):
            if id(a) not in built:
                built[id(a)] = a.make()
            r = built[id(a)]
        out.append(r)
    return tuple(out)


def show(v):
    if isinstance(v, np.ndarray):
        return "ndarray(%s, dtype=%s, shape=%s, strides=%s%s)" % (
            np.array2string(v, threshold=12, separator=","), v.dtype, v.shape, v.strides,
            "" if v.flags.writeable else ", readonly")
    if isinstance(v, np.generic):
        return "%s(%r)" % (type(v).__name__, v.item())
    if isinstance(v, float):
        return "float(%r)" % v
    if isinstance(v, (list, tuple)) and len(v) > 8:
        return "%s[%s, ...]" % (type(v).__name__, ", ".join(show(x) for x in v[:8]))
    if isinstance(v, (list, tuple)):
        inner = ", ".join(show(x) for x in v)
        return "[%s]" % inner if isinstance(v, list) else "(%s)" % inner
    return repr(v)


def _float_bits_equal(e, g, nan_sign=True):
    """Element-wise for float arrays of one dtype: NaN at the same places (with the same sign
    unless nan_sign is False), and every other element bit-identical (so -0.0 is not 0.0)."""
    ne, ng = np.isnan(e), np.isnan(g)
    if not np.array_equal(ne, ng):
        return False
    if not np.array_equal(np.signbit(e[~ne]), np.signbit(g[~ng])):
        return False
    if nan_sign and not np.array_equal(np.signbit(e[ne]), np.signbit(g[ng])):
        return False
    return np.array_equal(e[~ne], g[~ng])


def _bits(x):
    return "%r (%s)" % (x.item(), x.tobytes().hex())


def value_diff(e, g, path="result", nan_sign=True):
    """None when e and g are the same NumPy/Python value, else what differs. nan_sign=False: a
    NaN's sign bit is not compared (which of two NaN operands NumPy propagates is its own
    choice: the property tests do not compare it; array_cases_scalars.nan_sign_propagation
    does)."""
    if type(e) is not type(g):
        return "%s: expected %s %s, got %s %s" % (path, type(e).__name__, show(e), type(g).__name__,
                                                  show(g))
    if isinstance(e, np.ndarray):
        for what in ("dtype", "shape", "strides"):
            if getattr(e, what) != getattr(g, what):
                return "%s: %s differs: expected %s, got %s" % (path, what, show(e), show(g))
        if e.flags.writeable != g.flags.writeable:
            return "%s: writeable differs: expected %s, got %s" % (path, show(e), show(g))
        ce, cg = np.ascontiguousarray(e), np.ascontiguousarray(g)
        if e.dtype.kind == "c":  # the parts as floats
            same = _float_bits_equal(ce.view(ce.real.dtype), cg.view(cg.real.dtype), nan_sign)
        else:
            same = _float_bits_equal(ce, cg, nan_sign) if e.dtype.kind == "f" else ce.tobytes() == cg.tobytes()
        if not same:
            fe, fg = ce.reshape(-1), cg.reshape(-1)
            k = next(i for i in range(fe.size) if fe[i:i + 1].tobytes() != fg[i:i + 1].tobytes())
            return "%s: expected %s, got %s (first difference at flat index %d: %s, got %s)" % (
                path, show(e), show(g), k, _bits(fe[k]), _bits(fg[k]))
        return None
    if isinstance(e, np.complexfloating):
        return (value_diff(e.real, g.real, path + ".real", nan_sign)
                or value_diff(e.imag, g.imag, path + ".imag", nan_sign))
    if isinstance(e, np.generic):
        if isinstance(e, np.floating) and (np.isnan(e) or np.isnan(g)):
            same = np.isnan(e) and np.isnan(g) and (not nan_sign or np.signbit(e) == np.signbit(g))
        else:
            same = e.tobytes() == g.tobytes()
        return None if same else "%s: expected %s, got %s" % (path, show(e), show(g))
    if isinstance(e, (list, tuple)):
        if len(e) != len(g):
            return "%s: expected %s, got %s" % (path, show(e), show(g))
        for i, (a, b) in enumerate(zip(e, g)):
            d = value_diff(a, b, "%s[%d]" % (path, i), nan_sign)
            if d:
                return d
        return None
    if isinstance(e, dict):
        if list(e) != list(g):
            return "%s: keys differ: expected %s, got %s" % (path, show(e), show(g))
        for k in e:
            d = value_diff(e[k], g[k], "%s[%r]" % (path, k), nan_sign)
            if d:
                return d
        return None
    if isinstance(e, (int, float, complex)) or e is None:
        return None if same_value(e, g) else "%s: expected %s, got %s" % (path, show(e), show(g))
    return None if e == g else "%s: expected %s, got %s" % (path, show(e), show(g))


def _arrays(v, out):
    if isinstance(v, np.ndarray):
        out.append(v)
    elif isinstance(v, (list, tuple)):
        for x in v:
            _arrays(x, out)
    return out


def aliasing_diff(e_res, g_res, e_args, g_args):
    """The arrays in the result share memory with (or are) the same arguments on both sides."""
    er, gr = _arrays(e_res, []), _arrays(g_res, [])
    if len(er) != len(gr):
        return None  # value_diff reports it
    for k, (x, y) in enumerate(zip(er, gr)):
        for i, (ea, ga) in enumerate(zip(e_args, g_args)):
            if not isinstance(ea, np.ndarray) or not isinstance(ga, np.ndarray):
                continue
            if (x is ea) != (y is ga):
                return "result array %d is argument %d in CPython: %s, compiled: %s" % (
                    k, i, x is ea, y is ga)
            if np.shares_memory(x, ea) != np.shares_memory(y, ga):
                return "result array %d shares memory with argument %d in CPython: %s, compiled: %s" % (
                    k, i, np.shares_memory(x, ea), np.shares_memory(y, ga))
    return None


def warning_list(records):
    return [(w.category.__name__, str(w.message)) for w in records]


def _call(fn, args):
    """(Outcome, stdout text, warnings) of fn(*args)."""
    buf = io.StringIO()
    with warnings.catch_warnings(record=True) as rec, contextlib.redirect_stdout(buf):
        warnings.simplefilter("always")
        out = run(fn, *args)
    return out, buf.getvalue(), warning_list(rec)


def compare_call(fn, jf, args, compare="exact"):
    """Runs fn in pure CPython and its dispatcher jf, each on fresh arguments. Returns (difference
    or None, whether the dispatcher's call ran natively, the expected outcome); expected.warned
    tells whether the CPython run warned."""
    exp_args, got_args = fresh(args), fresh(args)
    with pure_cpython(fn):
        expected, exp_out, exp_warn = _call(fn, exp_args)
    expected.warned = bool(exp_warn)
    before = dict(jf.stats)
    got, got_out, got_warn = _call(jf, got_args)
    native = (jf.stats["native_calls"] - before["native_calls"] == 1
              and jf.stats["python_calls"] == before["python_calls"])
    return outcome_diff(expected, got, exp_args, got_args, compare) or (
        "printed %r, CPython printed %r" % (got_out[:300], exp_out[:300]) if exp_out != got_out else None
    ) or (
        "warned %r, CPython warned %r" % (got_warn, exp_warn) if exp_warn != got_warn else None
    ), native, expected


def ulp_diff(e, g, path="result"):
    """None when e and g (arrays, tuples of them) have the same type, dtype, shape and strides and
    values within 2 ulps (NaNs where the other has NaNs). NumPy picks its SIMD loop or libm's for
    np.exp, np.log, np.sin... by how far apart the input and output buffers lie (its "blockable"
    test), so two calls on fresh copies of one array may differ in the last bit."""
    if isinstance(e, tuple) and isinstance(g, tuple) and len(e) == len(g):
        for k, (a, b) in enumerate(zip(e, g)):
            d = ulp_diff(a, b, "%s[%d]" % (path, k))
            if d:
                return d
        return None
    if not isinstance(e, np.ndarray) or e.dtype.kind != "f":
        return value_diff(e, g, path)
    if type(g) is not np.ndarray or (e.dtype, e.shape, e.strides) != (g.dtype, g.shape, g.strides):
        return "%s: expected %s, got %s" % (path, show(e), show(g))
    nan_e, nan_g = np.isnan(e), np.isnan(g)
    eps = np.finfo(e.dtype).eps
    close = np.isclose(e, g, rtol=2 * eps, atol=0.0) | (e == g)
    if not np.array_equal(nan_e, nan_g) or not np.all(close | nan_e):
        return "%s: expected %s, got %s (beyond 2 ulps)" % (path, show(e), show(g))
    return None


def outcome_diff(expected, got, exp_args, got_args, compare="exact"):
    if (expected.exc is None) != (got.exc is None):
        return "expected %s, got %s" % (describe(expected), describe(got))
    if expected.exc is not None:
        if type(expected.exc) is not type(got.exc) or str(expected.exc) != str(got.exc):
            return "expected %s, got %s" % (describe(expected), describe(got))
    else:
        e, g = expected.value, got.value
        if compare == "shape":  # np.empty: only the dtype and shape are defined
            if type(e) is not type(g) or e.dtype != g.dtype or e.shape != g.shape:
                return "result: expected %s, got %s" % (show(e), show(g))
        elif compare == "ulp":  # NumPy's own transcendental loops: their last bit depends on addresses
            d = ulp_diff(e, g)
            if d:
                return d
        else:  # "exact", or "any_nan_sign"
            d = value_diff(e, g, nan_sign=compare == "exact") or aliasing_diff(e, g, exp_args, got_args)
            if d:
                return d
    for i, (a, b) in enumerate(zip(exp_args, got_args)):
        d = value_diff(a, b, "argument %d after the call" % i)
        if d:
            return d
    return None


def describe(outcome):
    if outcome.exc is not None:
        return "raised %s(%r)" % (type(outcome.exc).__name__, str(outcome.exc))
    return "returned %s %s" % (type(outcome.value).__name__, show(outcome.value))


def reason(jf):
    """The latest compile's fallback text, else why no native call happened."""
    try:
        fb = jf.report.get("fallback")
    except Exception:  # noqa: BLE001
        fb = None
    if fb:
        return fb.get("text") or "%s: %s (line %s)" % (fb.get("code"), fb.get("reason"), fb.get("line"))
    return why_not_native(jf)


def nan_equal(x, y):
    """For the property tests: same type and value, NaN equal to NaN."""
    if type(x) is not type(y):
        return False
    if isinstance(x, (float, np.floating)) and math.isnan(x):
        return math.isnan(y)
    return x == y
