"""Float classes (ranges_float.cpp): NumPy float64 + - * / that cannot warn whatever the
arguments, proven once for the whole function from each value's class (a finite interval, and
whether it may be +inf, -inf or NaN), run without NumPy's warning tests. Every function is compared
with CPython + NumPy (value, dtype, warnings, exception) at the boundaries where an operation WOULD
warn if the class were wrong: inf and NaN arguments, 0 * inf, inf - inf, finite / 0, overflow of
huge finite values. The report lists what it removed, and operations that can warn keep their
tests (NumPy's warning is still raised).

Also nested counted loops (ranges_sym.cpp): the inner loop variable's range [start, stop - 1]
proves the inner body's bounds checks in the outer loop's unchecked copy."""
import math
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pyvorin_testutil import jitted, numpy_outcome as run


def norm_cdf(x):
    t = 1.0 / (1.0 + 0.2316419 * abs(x))
    poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
    pdf = 0.3989422804014327 * np.exp(-0.5 * x * x)
    c = 1.0 - pdf * poly
    if x < 0.0:
        return 1.0 - c
    return c


def norm_cdf_all(a, out):
    for i in range(a.shape[0]):
        x = a[i]
        t = 1.0 / (1.0 + 0.2316419 * abs(x))
        out[i] = t * (0.319381530 + t * (-0.356563782 + t * 1.781477937))
    return out


def ratio(a, b):
    # a / b may divide by zero, 0 / 0, inf / inf: every test stays
    r = a[0] / b[0]
    s = a[0] * b[0]      # 0 * inf, overflow: stays
    d = a[0] - a[0]      # inf - inf: stays
    return r, s, d


def bounded(a):
    # x in [0, 1] (a clamp): x * x, 1 - x, x / (1 + x) cannot warn; the sum of two such cannot either
    x = min(max(a[0], 0.0), 1.0)
    q = x / (1.0 + x)
    return x * x + (1.0 - x) + q


def halves(v):
    # v an int: a float64 of it is finite, and so is any + - * of two of those with constants
    x = np.float64(v)
    y = x * 0.5 + 3.0
    z = y - x
    return z / 7.0


def rebound(a):
    # t is bound twice: its second value is not 1/(1+|x|)'s, so t * 1e308 may overflow
    t = 1.0 / (1.0 + abs(a[0]))
    t = a[1]
    return t * 1e308


def in_comprehension(a):
    x = 1.0 / (1.0 + abs(a[0]))
    ys = [x * 1e308 for x in a]  # this x is the comprehension's own
    return x * 2.0, ys


def walrus(a):
    t = 1.0 / (1.0 + abs(a[0]))
    if (t := a[1]) > 0:
        pass
    return t * 1e308


def gauss(x):
    # -0.5 * x * x is <= 0 or NaN (a Python float: an overflow is -inf, silently): exp cannot overflow
    return math.exp(-0.5 * x * x)


def root_log(x):
    # abs(x) >= 0 and 1 + abs(x) >= 1: no domain error possible
    return math.sqrt(abs(x)) + math.log(1.0 + abs(x))


def domain(x, y):
    # unknown arguments: every math error stays
    return math.log(x) + math.sqrt(y) + math.exp(x)


def pairwise(x, out):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(x.shape[1]):
                d = x[i, k] - x[j, k]
                s += d * d
            out[i, j] = np.sqrt(s)
    return out


def band(a, out, w):
    # the inner range depends on the outer variable; j - i + w lies in [0, 2w] only when 2w < out.shape[1]
    n = a.shape[0]
    for i in range(n):
        for j in range(max(i - w, 0), min(i + w + 1, n)):
            out[i, j - i + w] = a[j]
    return out


def stepped(a, out):
    n = a.shape[0]
    for i in range(n):
        for j in range(n - 1, -1, -2):
            out[i] += a[j]
    return out


SPECIAL = [0.0, -0.0, 1.0, -1.0, 0.5, np.inf, -np.inf, np.nan, 1e308, -1e308, 5e-324, -5e-324, 1e-300, 37.0, -40.0, 2.0**63]


def same(jf, fn, args):
    got, expected = run(jf, args), run(fn, args)
    # The one divergence by design (test_arrays' KNOWN_GAPS): a NumPy warning after a store into
    # an argument raises, naming the function, instead of rerunning in CPython.
    if got[0][0] == "raised" and "cannot be rerun exactly in CPython" in got[0][2] and expected[1]:
        return
    assert got == expected, (fn.__name__, args)


def quiet(jf):
    return [c for r in jf.report["ranges"] if r.get("whole_function") for c in r["removed_value_checks"]]


def test_norm_cdf_every_special_value():
    jf = jitted(norm_cdf)
    for v in SPECIAL:
        before = jf.stats["native_calls"]
        same(jf, norm_cdf, (np.float64(v),))
        if not run(norm_cdf, (np.float64(v),))[1]:  # (a call whose CPython run warns may rerun there)
            assert jf.stats["native_calls"] == before + 1, v
    removed = {c["expression"] for c in quiet(jf)}
    assert "1.0 / (1.0 + 0.2316419 * abs(x))" in removed, removed
    assert "1.0 - pdf * poly" in removed, removed
    # -0.5 * x * x may overflow to inf for |x| > 1e154, inf * 0 ... it keeps its tests
    # -0.5 * x cannot warn (inf * -0.5 is -inf, quietly), but (-0.5 * x) * x may overflow
    assert "-0.5 * x" in removed and "-0.5 * x * x" not in removed, removed
    (t,) = [c for c in quiet(jf) if c["expression"] == "1.0 / (1.0 + 0.2316419 * abs(x))"]
    assert t["range"] == "[0.0, 1.0] or NaN" and t["check"] == "NumPy float warning" and t["line"] == norm_cdf.__code__.co_firstlineno + 1


def test_norm_cdf_in_a_loop():
    jf = jitted(norm_cdf_all)
    a = np.array(SPECIAL)
    same(jf, norm_cdf_all, (a, np.zeros_like(a)))
    assert quiet(jf)


def test_operations_that_can_warn_keep_their_tests():
    jf = jitted(ratio)
    cases = [(0.0, 0.0), (1.0, 0.0), (-1.0, -0.0), (np.inf, np.inf), (np.inf, 0.0), (1e308, 10.0), (np.nan, 1.0), (3.0, 4.0)]
    for x, y in cases:
        same(jf, ratio, (np.array([x]), np.array([y])))
    assert not quiet(jf), quiet(jf)


@pytest.mark.parametrize("fn", [rebound, walrus])
def test_names_bound_twice_have_no_class(fn):
    jf = jitted(fn)
    for v in ([0.5, 2.0], [0.5, np.inf], [np.nan, 1e300], [0.0, -3.0]):
        same(jf, fn, (np.array(v),))
    assert "t * 1e308" not in {c["expression"] for c in quiet(jf)}


def test_comprehension_names_are_their_own():
    jf = jitted(in_comprehension)
    for v in ([0.5, 2.0], [0.5, 1e10], [np.inf, 3.0]):
        same(jf, in_comprehension, (np.array(v),))
    assert "x * 1e308" not in {c["expression"] for c in quiet(jf)}


def test_bounded_values():
    jf = jitted(bounded)
    for v in SPECIAL:
        same(jf, bounded, (np.array([v]),))
    removed = {c["expression"] for c in quiet(jf)}
    assert {"x * x", "1.0 - x", "x / (1.0 + x)"} <= removed, removed


def test_int_converted_values():
    jf = jitted(halves)
    for v in (0, 1, -7, 2**63 - 1, -(2**63), 10**6):
        same(jf, halves, (v,))
    assert {"x * 0.5", "x * 0.5 + 3.0", "y - x", "z / 7.0"} <= {c["expression"] for c in quiet(jf)}


def test_math_errors_that_cannot_happen():
    for fn in (gauss, root_log):
        jf = jitted(fn)
        for v in [0.0, -0.0, 1.0, -3.5, 40.0, 1e200, -1e200, math.inf, -math.inf, math.nan, 5e-324, 38.6, -38.6]:
            same(jf, fn, (v,))
        checks = {(c["check"], c["expression"]) for c in quiet(jf)}
        expected = {("math error", "math.exp(-0.5 * x * x)")} if fn is gauss else \
            {("math error", "math.sqrt(abs(x))"), ("math error", "math.log(1.0 + abs(x))")}
        assert expected <= checks, checks
    jf = jitted(domain)
    for x, y in [(1.0, 4.0), (0.0, 1.0), (-1.0, 1.0), (1.0, -1.0), (710.0, 1.0), (math.nan, math.nan), (math.inf, 1.0),
                 (-math.inf, 0.0), (1.0, -0.0)]:
        same(jf, domain, (x, y))
    assert not [c for c in quiet(jf) if c["check"] == "math error"], quiet(jf)


def test_report_entry_for_the_whole_function():
    jf = jitted(norm_cdf)
    jf(np.float64(0.3))
    (entry,) = [r for r in jf.report["ranges"] if r.get("whole_function")]
    assert entry["function"] == "norm_cdf" and entry["line"] == norm_cdf.__code__.co_firstlineno
    assert entry["removed_bounds_checks"] == [] and entry["removed_overflow_checks"] == []
    lines = [c["line"] for c in entry["removed_value_checks"]]
    assert lines == sorted(lines)


NESTED = [
    (pairwise, [(np.random.default_rng(1).uniform(-1, 1, (6, 3)), np.zeros((6, 6))),
                (np.zeros((0, 3)), np.zeros((0, 0))),
                (np.random.default_rng(2).uniform(-1, 1, (5, 2)), np.zeros((5, 4))),      # out too narrow: IndexError
                (np.random.default_rng(3).uniform(-1, 1, (4, 2)), np.zeros((3, 4))),      # out too short
                (np.array([[np.inf, 1.0], [np.inf, 2.0], [1e200, np.nan]]), np.zeros((3, 3))),
                (np.random.default_rng(4).uniform(-1, 1, (4, 3)), np.zeros((4, 4), order="F")),
                (np.random.default_rng(5).uniform(-1, 1, (4, 3))[::-1], np.zeros((8, 8))[::2, ::2])]),
    (band, [(np.arange(8.0), np.zeros((8, 5)), 2), (np.arange(8.0), np.zeros((8, 4)), 2), (np.arange(8.0), np.zeros((8, 1)), 0),
            (np.arange(3.0), np.zeros((3, 9)), 4), (np.arange(6.0), np.zeros((6, 3)), -1), (np.arange(6.0), np.zeros((6, 20)), 9)]),
    (stepped, [(np.arange(7.0), np.zeros(7)), (np.arange(1.0), np.zeros(1)), (np.arange(0.0), np.zeros(0)),
               (np.arange(6.0), np.zeros(3))]),
]


@pytest.mark.parametrize("fn,argsets", NESTED, ids=[c[0].__name__ for c in NESTED])
def test_nested_loops_same_as_numpy(fn, argsets):
    jf = jitted(fn)
    for args in argsets:
        same(jf, fn, args)
    assert jf.fallback_reason is None, jf.fallback_reason


def test_nested_bounds_proven_in_the_outer_copy():
    jf = jitted(pairwise)
    x = np.random.default_rng(6).uniform(size=(5, 3))
    jf(x, np.zeros((5, 5)))
    outer = [r for r in jf.report["ranges"] if r.get("loop") == "range(n)" and r["line"] == pairwise.__code__.co_firstlineno + 2]
    assert outer, jf.report["ranges"]
    proven = {(c["array"], c["index"]) for r in outer for c in r["removed_bounds_checks"]}
    assert {("x", "k"), ("x", "j"), ("out", "j")} <= proven, outer


PROPERTY = settings(max_examples=int(__import__("os").environ.get("PYVORIN_HYPOTHESIS_EXAMPLES", "150")), deadline=None,
                    derandomize=not __import__("os").environ.get("PYVORIN_HYPOTHESIS_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(-4.0, 4.0),
                   st.sampled_from(SPECIAL))


@PROPERTY
@given(v=FLOATS, w=FLOATS)
def test_float_class_property(v, w):
    for fn, args in ((norm_cdf, (np.float64(v),)), (bounded, (np.array([v]),)), (ratio, (np.array([v]), np.array([w]))),
                     (rebound, (np.array([v, w]),)), (gauss, (float(v),)), (root_log, (float(v),)),
                     (domain, (float(v), float(w)))):
        same(jitted(fn), fn, args)


@PROPERTY
@given(n=st.integers(0, 7), rows=st.integers(0, 8), cols=st.integers(0, 8), w=st.integers(-2, 5))
def test_band_property(n, rows, cols, w):
    same(jitted(band), band, (np.arange(float(n)), np.zeros((rows, cols)), w))
