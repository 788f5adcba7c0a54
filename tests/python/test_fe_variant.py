"""Flag variants of helpers (lower_fe_variant.cpp). A loop whose NumPy float + - * leave their
warnings to the CPU's sticky flags calls, for each flag-safe helper, a variant that tests none of
its own + - * (the flags see them) and compares floats quietly (an integer order of the bits, so a
NaN raises no invalid flag where LLVM turns a branch into a select). Before the loop's first store
into an argument the flags and tests are read once (in every loop with NumPy float tests), so a
warning of the first row still reruns in CPython.

Every case is compared with CPython + NumPy (value, dtype, warnings, exception, arrays after) on
special values: signed zeros, infinities, NaN, huge values whose products overflow. Comparisons
in the variants are checked on every pair of special values (NaN, -0.0 == 0.0, infinities)."""
import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pyvorin
from pyvorin_testutil import numpy_outcome as run
from pyvorin_testutil import pure_cpython


@pyvorin.jit
def cdf(x):
    t = 1.0 / (1.0 + 0.2316419 * abs(x))
    poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
    p = 1.0 - 0.3989422804014327 * math.exp(-0.5 * x * x) * poly
    if x < 0.0:
        return 1.0 - p
    return p


@pyvorin.jit
def half_cdf(x):
    # a flag-safe helper calling another: its variant calls cdf's
    return cdf(x) * 0.5 + x * x


def rows(a, out):
    for i in range(a.shape[0]):
        out[i] = cdf(a[i]) - cdf(-a[i])
    return out


def rows_nested(a, out):
    for i in range(a.shape[0]):
        out[i] = half_cdf(a[i]) * a[i]
    return out


@pyvorin.jit
def pick(x, y):
    # every comparison of two floats; the conditional code raises no flag (a negation, a product
    # with a constant of magnitude <= 1)
    d = x * y
    if x < y:
        return d
    if x <= -0.0:
        return -d
    if x > 2.0:
        return 0.5 * d
    if x >= y:
        return d * 0.25
    return x


def rows_pick(a, b, out):
    for i in range(a.shape[0]):
        out[i] = pick(a[i], b[i]) + b[i]
    return out


@pyvorin.jit
def sign_int(x):
    # a float against an int literal: a float comparison (quiet in the variant)
    s = x * x
    if x < 0:
        return -s
    if x > 0:
        return s
    return x


def rows_sign(a, out):
    for i in range(a.shape[0]):
        out[i] = sign_int(a[i]) * 2.0
    return out


@pyvorin.jit
def zero_sides(x):
    # every comparison with zero, on both sides (the sign bit and a quiet compare in the variant)
    s = x * x
    if x <= 0.0:
        s = -s
    if 0.0 <= x:
        s = s * 0.5
    if 0.0 > x:
        s = s * 0.25
    if x >= -0.0:
        s = -s
    if 0.0 < x:
        s = s * 0.125
    return s


def rows_zero(a, out):
    for i in range(a.shape[0]):
        out[i] = zero_sides(a[i]) + a[i]
    return out


@pyvorin.jit
def scaled(x):
    # x * 3.0 runs only where x > 1.0: not flag-safe (LLVM may compute it anyway)
    if x > 1.0:
        return x * 3.0
    return x


def rows_scaled(a, out):
    for i in range(a.shape[0]):
        out[i] = scaled(a[i]) * 2.0
    return out


@pyvorin.jit
def py_nan(x):
    # a Python float inf - inf is NaN silently in CPython; the CPU's invalid flag is raised all the
    # same, and must not be taken for NumPy's
    y = float(x)
    return (y - y) + x * 2.0


def rows_py_nan(a, out):
    for i in range(a.shape[0]):
        y = float(a[i])
        out[i] = py_nan(a[i]) + (y - y) * a[i]
    return out


SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, -3.0, np.inf, -np.inf, np.nan, -np.nan, 1e308, -1e308, 1e160, -1e160,
           5e-324, -5e-324]
ALL = [rows, rows_nested, rows_pick, rows_sign, rows_zero, rows_py_nan, rows_scaled]
_JIT = {}


def jit(fn):
    if fn not in _JIT:
        _JIT[fn] = pyvorin.jit(fn)
    return _JIT[fn]


def same(fn, args, exact=False):
    jf = jit(fn)
    before = jf.stats["native_calls"]
    got = run(jf, args)
    with pure_cpython(fn):
        expected = run(fn, args)
    # The one divergence by design (test_arrays' KNOWN_GAPS): a NumPy warning seen after a store
    # into an argument raises, naming the function, instead of rerunning in CPython.
    if not exact and got[0][0] == "raised" and "cannot be rerun exactly in CPython" in got[0][2] and expected[1]:
        assert "compiled function '" in got[0][2]
        return got
    assert got == expected, (fn.__name__, args)
    if not expected[1]:
        assert jf.stats["native_calls"] == before + 1, (fn.__name__, args)
    return got


def arr(values):
    return np.array(values, dtype=np.float64)


def ir_of(fn):
    jf = jit(fn)
    jf(*{rows_pick: (arr([1.0]), arr([1.0]), arr([0.0]))}.get(fn, (arr([1.0]), arr([0.0]))))
    return jf.report["ir"]


def test_flag_safe_helpers_get_variants():
    for fn, helper in [(rows, "cdf"), (rows_nested, "half_cdf"), (rows_pick, "pick"), (rows_sign, "sign_int"),
                       (rows_zero, "zero_sides")]:
        ir = ir_of(fn)
        assert "@pv.%s." % helper in ir and ".fe(" in ir, fn.__name__
        assert "effect.first" in ir, fn.__name__
    ir = ir_of(rows_nested)
    variant = ir[ir.index("define internal double @pv.half_cdf"):]
    variant = variant[variant.index("define internal double @pv.half_cdf", 1):]
    assert "@pv.cdf." in variant and ".fe(" in variant.split("\n}\n")[0]  # the variant calls cdf's variant
    ir = ir_of(rows_scaled)
    assert ".fe(" not in ir and "effect.first" in ir  # its tests are read before its first store too
    assert "stmxcsr(ptr %mxcsr)" not in ir.split("effect.first:")[1].split("np.warns")[0]  # ... but no flag


def fe_remarks(fn):
    ir_of(fn)  # compiled
    return [r for r in jit(fn).report["remarks"] if r["pass"] == "numpy-warnings"]


def test_report_says_which_flags_serve():
    (r,) = fe_remarks(rows)
    assert r["kind"] == "passed" and r["line"] == rows.__code__.co_firstlineno + 1
    assert "overflow and invalid flags" in r["message"] and "flag variants of cdf" in r["message"]
    (r,) = fe_remarks(rows_nested)
    assert "flag variants of" in r["message"] and "half_cdf" in r["message"]
    (r,) = fe_remarks(rows_scaled)
    assert r["kind"] == "missed" and "tested per operation" in r["message"]
    assert "it calls scaled, which is not flag-safe" in r["why"]


@pytest.mark.parametrize("fn", [rows, rows_nested, rows_sign, rows_zero, rows_py_nan, rows_scaled],
                         ids=lambda f: f.__name__)
def test_rows_on_special_values(fn):
    for x in SPECIAL:
        same(fn, (arr([x, 0.25, -x]), arr([0.0, 0.0, 0.0])))
        # a warning of the first row (before the first store) reruns exactly
        same(fn, (arr([x]), arr([0.0])), exact=True)


def test_pick_compares_every_pair():
    pairs = list(itertools.product(SPECIAL, SPECIAL))
    for x, y in pairs:
        same(rows_pick, (arr([x]), arr([y]), arr([0.0])), exact=True)
    a = arr([p[0] for p in pairs])
    b = arr([p[1] for p in pairs])
    same(rows_pick, (a, b, np.zeros(len(pairs))))


def test_first_row_overflow_reruns():
    # cdf(-1e308): -0.5 * x * x overflows inside the helper, before out[0] is stored
    args = (arr([1e308, 1.0]), arr([0.0, 0.0]))
    got = same(rows, args, exact=True)
    assert got[1] and got[1][0][0] == "RuntimeWarning"
    # the loop's own product overflows in the first row: rerun too
    args = (arr([1e200, 1.0]), arr([1e200, 1.0]), arr([0.0, 0.0]))
    got = same(rows_pick, args, exact=True)
    assert got[1]


def test_later_row_overflow_is_reported():
    # after a store, the known divergence: FloatingPointError naming the function, never a wrong value
    got = same(rows, (arr([1.0, 1e308]), arr([0.0, 0.0])))
    assert got[0][0] == "raised"


def test_python_float_nan_is_not_numpy_warning():
    # inf in any row: Python's inf - inf makes NaN silently, NumPy's inf * 2.0 does not warn
    for a in ([1.0, np.inf, 2.0], [np.inf, 1.0], [-np.inf, np.nan, 3.0]):
        got = same(rows_py_nan, (arr(a), np.zeros(len(a))), exact=True)
        assert not got[1]


def list_then_overflow(a, counts):
    # the list item's store runs before the overflow: too late to rerun (never twice)
    for i in range(a.shape[0]):
        counts[i] = counts[i] + 1
        a[i] = a[i] * 1e300
    return counts


def overflow_then_list(a, counts):
    # the overflow comes first; the list's store is a call (no test before it): too late after it
    for i in range(a.shape[0]):
        x = a[i] * 1e300
        counts[i] = counts[i] + 1
        a[i] = x
    return counts


def test_other_effects_never_rerun_twice():
    for fn in (list_then_overflow, overflow_then_list):
        for values in ([1e300, 1.0], [1.0, 1e300], [1.0, 2.0]):
            counts = [0, 0]
            got = run(jit(fn), (arr(values), counts))
            with pure_cpython(fn):
                expected = run(fn, (arr(values), [0, 0]))
            if got[0][0] == "raised":  # the known gap, after the list's store
                assert "cannot be rerun exactly in CPython" in got[0][2] and expected[1], (fn.__name__, values)
                assert counts[0] == 1, (fn.__name__, values, counts)  # the row ran once
            else:
                assert got == expected and counts == [1, 1], (fn.__name__, values, got, counts)



def test_no_warning_no_rerun():
    a = np.linspace(-8.0, 8.0, 1001)
    for fn in [rows, rows_nested, rows_sign, rows_zero]:
        same(fn, (a, np.zeros_like(a)))
    same(rows_pick, (a, a[::-1].copy(), np.zeros_like(a)))


FLOATS = st.one_of(st.sampled_from(SPECIAL), st.floats(allow_nan=True, allow_infinity=True, width=64))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(FLOATS, FLOATS), min_size=1, max_size=6))
def test_property_matches_numpy(rows_of_pairs):
    a = arr([p[0] for p in rows_of_pairs])
    b = arr([p[1] for p in rows_of_pairs])
    same(rows_pick, (a, b, np.zeros(len(a))))
    same(rows, (a, np.zeros(len(a))))
    same(rows_sign, (b, np.zeros(len(b))))
    same(rows_zero, (a, np.zeros(len(a))))
