"""Hypothesis property tests for NumPy in compiled code: random dtypes, shapes, memory layouts and
values (full integer ranges, NaN, infinities, signed zeros) for element-wise scalar arithmetic
a[i] op b[j] (and a[i] op a Python scalar), and for sums written as loops over 1-D and 2-D
arrays. Every call is compared with CPython + NumPy 1.24 by array_testutil.compare_call (value,
exact NumPy scalar type, bits but a NaN's sign, warnings, exception, arguments after the call). A call must run
natively unless NumPy warns or raises (compiled code reruns those in CPython), or it is one of the
few reruns by design listed in _rerun_by_design. Each function is jitted once per test run and
reused, so its signatures accumulate across examples."""
import math
import os

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import pyvorin
from array_testutil import DTYPES, A, compare_call, reason

# PYVORIN_HYPOTHESIS_EXAMPLES raises the example count for a longer bug hunt, and
# PYVORIN_HYPOTHESIS_RANDOM=1 draws new examples on every run (by default the examples are the
# same on every run, so a failure is not intermittent; test_edge_grid covers the special values).
SETTINGS = settings(max_examples=int(os.environ.get("PYVORIN_HYPOTHESIS_EXAMPLES", "150")), deadline=None,
                    derandomize=not os.environ.get("PYVORIN_HYPOTHESIS_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])


def el_add(a, b, i, j):
    return a[i] + b[j]


def el_sub(a, b, i, j):
    return a[i] - b[j]


def el_mul(a, b, i, j):
    return a[i] * b[j]


def el_truediv(a, b, i, j):
    return a[i] / b[j]


def el_floordiv(a, b, i, j):
    return a[i] // b[j]


def el_mod(a, b, i, j):
    return a[i] % b[j]


def el_pow(a, b, i, j):
    return a[i] ** b[j]


def el_compare(a, b, i, j):
    x, y = a[i], b[j]
    return x < y, x <= y, x == y, x != y, x > y, x >= y


def el_mixed(a, b, i, j):
    x, y = a[i], b[j]
    return x * 2 + y, x - 1.5, 3 // (y + 1), -x, abs(y)


def el_py_add(a, i, k):
    return a[i] + k


def el_py_mul(a, i, k):
    return k * a[i]


def el_py_truediv(a, i, k):
    return a[i] / k


# Which of two NaN operands NumPy propagates (and so the result's sign) is not compared here: a
# deterministic case covers it (array_cases_scalars.nan_sign_propagation).
NAN_SIGN = "any_nan_sign"
BINARY = [el_add, el_sub, el_mul, el_truediv, el_floordiv, el_mod, el_pow, el_compare, el_mixed]
WITH_PY = [el_py_add, el_py_mul, el_py_truediv]
_JITTED = {}


def jitted(fn):
    if fn not in _JITTED:
        _JITTED[fn] = pyvorin.jit(fn)
    return _JITTED[fn]


def elements(dtype):
    d = np.dtype(dtype)
    edges = {"b": [True, False], "f": [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, 0.5]}.get(d.kind)
    if d.kind in "iu":
        info = np.iinfo(d)
        edges = [0, 1, 2, info.max, info.min, info.max - 1] + ([-1, -2] if d.kind == "i" else [])
    return st.one_of(st.sampled_from(edges), hnp.from_dtype(d))


@st.composite
def array_arg(draw, dtype, shape):
    values = draw(hnp.arrays(dtype, shape, elements=elements(dtype)))
    layout = draw(st.sampled_from(["C", "S", "R", "RO"] + (["F", "T"] if len(shape) > 1 else [])))
    return A(values, dtype, layout)


def _both_bool(dx, dy):
    return np.dtype(dx).kind == "b" and np.dtype(dy).kind == "b"


def _int_overflows(fn, args, expected):
    """Integer + - * whose exact result does not fit the result's dtype: compiled code reruns it
    in CPython, where NumPy wraps (warning or not, as its scalar path or its ufunc decides)."""
    a, b, i, j = args
    x, y = a.values[i], b.values[j]
    if fn not in (el_add, el_sub, el_mul) or not isinstance(expected.value, np.integer):
        return False
    exact = {el_add: int(x) + int(y), el_sub: int(x) - int(y), el_mul: int(x) * int(y)}[fn]
    info = np.iinfo(type(expected.value))
    return not info.min <= exact <= info.max


def _rerun_by_design(fn, dx, dy, args, expected):
    """Calls compiled code reruns in CPython although NumPy neither warns nor raises: integer
    overflow NumPy's ufunc path wraps silently (bool or mixed-type operands), integer powers
    (NumPy wraps silently), integer // and % (the minimum by -1), float32 // and % (not
    compiled: a fallback with a reason), // and % by zero, el_mixed's integer parts."""
    kinds = np.dtype(dx).kind + np.dtype(dy).kind
    if _int_overflows(fn, args, expected):
        return True
    if fn in (el_pow, el_mod, el_floordiv, el_mixed) and "f" not in kinds:
        return True
    if fn in (el_floordiv, el_mod, el_mixed) and np.float32 in (dx, dy):
        return True
    if fn in (el_floordiv, el_mod) and args[1].values[args[3]] == 0:
        return True  # a zero divisor: compiled code leaves it to NumPy, which may not warn (inf // 0)
    return False


@SETTINGS
@given(data=st.data(), fn=st.sampled_from(BINARY), dx=st.sampled_from(DTYPES), dy=st.sampled_from(DTYPES))
def test_elementwise_scalar_ops(data, fn, dx, dy):
    if fn not in (el_compare,) and _both_bool(dx, dy):
        dy = np.int8   # arithmetic on two NumPy bools: not compiled (array_cases_scalars.s_bool_mix)
    a = data.draw(array_arg(dx, (3,)), label="a")
    b = data.draw(array_arg(dy, (4,)), label="b")
    i = data.draw(st.integers(-3, 2), label="i")
    j = data.draw(st.integers(-4, 3), label="j")
    jf = jitted(fn)
    d, native, expected = compare_call(fn, jf, (a, b, i, j), NAN_SIGN)
    assert d is None, "%s(%r, %r, %d, %d): %s" % (fn.__name__, a, b, i, j, d)
    if not native and not expected.warned and expected.exc is None:
        assert _rerun_by_design(fn, dx, dy, (a, b, i, j), expected), "%s(%r, %r, %d, %d) ran in CPython: %s" % (
            fn.__name__, a, b, i, j, reason(jf).replace("\n", " | "))


GRID_DTYPES = [np.bool_, np.int8, np.int64, np.uint8, np.uint64, np.float32, np.float64]


def _grid_values(d):
    kind = np.dtype(d).kind
    if kind == "b":
        return [False, True]
    if kind == "f":
        return [0.0, -0.0, 1.5, -2.0, np.inf, -np.inf, np.nan, 1e300 if d is np.float64 else 3e38]
    info = np.iinfo(d)
    return [0, 1, 3, info.max, info.min] + ([-1, -3] if kind == "i" else [])


GRID_GAPS = {"el_floordiv": "float32 // is not compiled; non-finite operands of // rerun in CPython",
             "el_mod": "float32 % is not compiled; non-finite operands of % rerun in CPython",
             "el_pow": "NumPy's mixed float32/float64 power differs from libm pow in the last bit"}


@pytest.mark.parametrize("fn", BINARY[:-1], ids=[f.__name__ for f in BINARY[:-1]])
def test_edge_grid(fn):
    if fn.__name__ in GRID_GAPS:
        try:
            _edge_grid(fn)
        except AssertionError:
            pytest.xfail(GRID_GAPS[fn.__name__])
        return
    _edge_grid(fn)


def _edge_grid(fn):
    """Every pair of special values (zeros of both signs, +-inf, NaN, the integer limits, huge
    floats) for every pair of a few dtypes, one operator at a time; all differences listed."""
    jf = jitted(fn)
    failures = []
    for dx in GRID_DTYPES:
        for dy in GRID_DTYPES:
            if fn is not el_compare and _both_bool(dx, dy):
                continue
            a = A(np.array(_grid_values(dx), dx), dx)
            b = A(np.array(_grid_values(dy), dy), dy)
            for i in range(len(a.values)):
                for j in range(len(b.values)):
                    d, native, expected = compare_call(fn, jf, (a, b, i, j), NAN_SIGN)
                    if d:
                        failures.append("%s(%r, %r) [a[%d]=%r, b[%d]=%r]: %s" % (
                            fn.__name__, a, b, i, a.values[i], j, b.values[j], d))
                    elif not native and not expected.warned and expected.exc is None and \
                            not _rerun_by_design(fn, dx, dy, (a, b, i, j), expected):
                        failures.append("%s(%r, %r) [a[%d]=%r, b[%d]=%r] ran in CPython: %s" % (
                            fn.__name__, a, b, i, a.values[i], j, b.values[j], reason(jf).replace("\n", " | ")))
    assert not failures, "%d differences:\n%s" % (len(failures), "\n".join(failures[:30]))


py_scalars = st.one_of(st.integers(-2**40, 2**40), st.sampled_from([0, 1, -1, 2**62, -2**62]),
                       st.floats(allow_nan=True, allow_infinity=True), st.booleans())


@SETTINGS
@given(data=st.data(), fn=st.sampled_from(WITH_PY), dx=st.sampled_from(DTYPES), k=py_scalars)
def test_elementwise_with_python_scalars(data, fn, dx, k):
    if isinstance(k, bool) and np.dtype(dx).kind == "b":
        k = int(k)
    a = data.draw(array_arg(dx, (3,)), label="a")
    i = data.draw(st.integers(-3, 2), label="i")
    jf = jitted(fn)
    d, native, expected = compare_call(fn, jf, (a, i, k), NAN_SIGN)
    assert d is None, "%s(%r, %d, %r): %s" % (fn.__name__, a, i, k, d)
    if not native and not expected.warned and expected.exc is None:
        # a Python int beyond what NumPy's promotion of the scalar allows is NumPy's decision
        big = isinstance(k, int) and not isinstance(k, bool) and abs(k) >= 2**31
        assert big, "%s(%r, %d, %r) ran in CPython: %s" % (fn.__name__, a, i, k,
                                                         reason(jf).replace("\n", " | "))


# ---------------------------------------------------------------------------------------------
# Sums written as loops
# ---------------------------------------------------------------------------------------------
def loop_sum_float(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i]
    return s


def loop_sum_iter(a):
    s = 0.0
    for x in a:
        s += x
    return s


def loop_sum_int(a):
    s = 0
    for i in range(len(a)):
        s += a[i]
    return s


def loop_sum_2d(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
    return s


def loop_sum_2d_rows(a):
    s = 0.0
    for i in range(a.shape[0]):
        r = a[i]
        for j in range(r.shape[0]):
            s += r[j]
    return s


def loop_sum_first(a):
    s = a[0]
    for i in range(1, len(a)):
        s = s + a[i]
    return s


SUMS_1D = [loop_sum_float, loop_sum_iter, loop_sum_int, loop_sum_first]
SUMS_2D = [loop_sum_2d, loop_sum_2d_rows]
# 0 + np.uint64 is np.float64 (the int accumulator changes type: a fallback), and so are floats
INT_SUM_DTYPES = [d for d in DTYPES if np.dtype(d).kind in "biu" and d is not np.uint64]


@SETTINGS
@given(data=st.data(), fn=st.sampled_from(SUMS_1D + SUMS_2D), dtype=st.sampled_from(DTYPES))
def test_loop_sums(data, fn, dtype):
    if fn is loop_sum_int and dtype not in INT_SUM_DTYPES:
        dtype = np.int16
    if fn is loop_sum_first and dtype is np.bool_:
        dtype = np.uint8  # np.bool_ + np.bool_: not compiled
    shape = data.draw(st.tuples(st.integers(1 if fn is loop_sum_first else 0, 7)) if fn in SUMS_1D
                      else st.tuples(st.integers(0, 4), st.integers(0, 4)), label="shape")
    a = data.draw(array_arg(dtype, shape), label="a")
    jf = jitted(fn)
    d, native, expected = compare_call(fn, jf, (a,), NAN_SIGN)
    assert d is None, "%s(%r): %s" % (fn.__name__, a, d)
    if not native and not expected.warned and expected.exc is None:
        raise AssertionError("%s(%r) ran in CPython: %s" % (fn.__name__, a, reason(jf).replace("\n", " | ")))
    # and an int accumulator agrees with NumPy's own sum (exact: ints without overflow)
    v = a.values
    if fn is loop_sum_int and not expected.warned and v.size:
        total = int(v.astype(np.int64).sum())
        assert type(expected.value) is np.int64 and expected.value == total


@SETTINGS
@given(values=hnp.arrays(np.float64, st.integers(0, 12),
                         elements=st.floats(-1e6, 1e6, allow_nan=False, width=64)))
def test_loop_sum_matches_fsum_bound(values):
    # a sequential float64 sum is within n ulps-ish of the exact sum, as NumPy's would be
    jf = jitted(loop_sum_float)
    got = jf(values.copy())
    exact = math.fsum(values.tolist())
    assert type(got) is (np.float64 if values.size else float)
    assert abs(got - exact) <= 1e-9 * max(1.0, float(np.abs(values).sum()))
    assert got == loop_sum_float(values.copy())
