"""Checks proven by value ranges (ranges_sym.cpp, lower_sym.cpp): in a counted loop, the range of
each int and float value is computed once before the loop from loop-invariant locals, constants,
the loop variable's first and last values and array extents, narrowed by the `if` tests it
passed. Where those ranges prove an int() call cannot fail, a NumPy float operation cannot warn
or an index is in bounds, loop versioning runs a copy without the check. Every function here is
compared with CPython + NumPy (value, dtype, warnings, exception, argument mutation) at the
boundaries: the ends of each range, NaN and infinite ends, ranges that overflow, negative and
past-the-end indices, read-only arrays, locals that may be unbound. The report must list what it
removed."""
import math
import warnings

import numpy as np
import pytest

from pyvorin_testutil import fresh_arrays as fresh, jitted, numpy_outcome as run


def histogram(x, bins, lo, hi):
    counts = np.zeros(bins, np.int64)
    scale = bins / (hi - lo)
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo and v < hi:
            k = int((v - lo) * scale)
            if k < bins:
                counts[k] += 1
    return counts


def histogram_py(x, bins, lo, hi):
    # Python floats: no NumPy warnings, only int()'s range and the bounds
    counts = np.zeros(bins, np.int64)
    scale = bins / (hi - lo)
    for i in range(len(x)):
        v = float(x[i])
        if lo <= v < hi:
            k = int((v - lo) * scale)
            if k < counts.shape[0]:
                counts[k] += 1
    return counts


def scaled_index(x, s, out):
    # int() may leave int64 (s huge), k may be negative (s < 0), out may be read-only
    for i in range(x.shape[0]):
        v = x[i]
        if v >= 0.0 and v <= 1.0:
            k = int(v * s)
            if k < out.shape[0]:
                out[k] += 1.0
    return out


def by_width(x, lo, hi, width, nb):
    counts = np.zeros(nb, np.int64)
    for i in range(x.shape[0]):
        v = x[i]
        if lo <= v < hi:
            k = int((v - lo) / width)
            if k < nb:
                counts[k] += 1
    return counts


def clamped(x, bins):
    # int() unbounded (its check stays); the clamp bounds the index
    counts = np.zeros(bins, np.int64)
    for i in range(x.shape[0]):
        k = min(max(int(x[i] * bins), 0), bins - 1)
        counts[k] += 1
    return counts


def maybe_unbound(x, flag):
    if flag:
        lo = 0.0
    counts = np.zeros(4, np.int64)
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo and v < 1.0:
            k = int((v - lo) * 4.0)
            if k < 4:
                counts[k] += 1
    return counts


def offsets(a, out, c):
    # an int index from the loop variable: j's range from i's first and last values
    for i in range(a.shape[0]):
        j = i * 2 + c
        if j < out.shape[0]:
            out[j] = a[i]
    return out


def ring(a, n):
    # i % n is in [0, n - 1] when n > 0
    out = np.zeros(4, np.float64)
    for i in range(a.shape[0]):
        out[i % n] += a[i]
    return out


def grid2d(x, y, g):
    # two axes of a 2-D array passed in, each index clamped from a float
    for i in range(x.shape[0]):
        r = min(max(int(x[i] * g.shape[0]), 0), g.shape[0] - 1)
        c = int(y[i] * g.shape[1])
        if c >= 0 and c < g.shape[1]:
            g[r, c] += 1
    return g


def wide(x, lo, hi):
    # v - lo overflows to inf when the range is wide: NumPy warns, int() raises
    total = 0
    for i in range(x.shape[0]):
        v = x[i]
        if v > lo and v < hi:
            total += int(v - lo)
    return total


def shadowed(x, bins):
    # k is assigned twice in the body: its range after the first is not its range at the index
    counts = np.zeros(bins, np.int64)
    for i in range(x.shape[0]):
        k = int(x[i] * bins)
        if k >= 0 and k < bins:
            k = k - bins
            counts[k] += 1
    return counts


class Rerun(tuple):
    """Arguments whose call makes an int beyond 64 bits: compiled code reruns it in CPython."""


def rng(seed, n, lo=0.0, hi=1.0):
    return np.random.default_rng(seed).uniform(lo, hi, n)


EDGES = np.array([0.0, 1.0, 0.5, -0.0, np.nextafter(1.0, 0.0), np.nextafter(0.0, 1.0), np.nan, np.inf, -np.inf, -1e-300, 1e300])

CASES = [
    (histogram, [(rng(1, 500), 8, 0.0, 1.0), (EDGES, 4, 0.0, 1.0), (np.linspace(-1, 2, 301), 16, -0.5, 1.5),
                 (rng(2, 50), 3, 1.0, 0.0),            # lo > hi: nothing passes the test
                 (rng(3, 20), 5, 0.0, 5e-324),         # scale = inf: 0 * inf warns, int(nan) raises
                 (EDGES, 4, -np.inf, np.inf),          # infinite ends: v - lo is inf or nan
                 (EDGES, 4, np.nan, 1.0),
                 (rng(4, 10), 4, 0.25, 0.25),          # hi - lo == 0: ZeroDivisionError before the loop
                 (np.zeros(0), 4, 0.0, 1.0)]),
    (histogram_py, [(rng(5, 300), 7, 0.0, 1.0), (EDGES, 3, 0.0, 1.0), (EDGES, 3, -1e308, 1e308), (EDGES, 2, 1e300, 1e301)]),
    (scaled_index, [(rng(6, 100), 7.0, np.zeros(8)), (EDGES, 8.0, np.zeros(8)), Rerun((np.array([1.0, 0.5, 0.0]), 1e300, np.zeros(8))),  # int() beyond int64 before any store: reruns
                    (rng(7, 30), -5.0, np.zeros(8)), (rng(8, 30), 16.0, np.zeros(8)), (EDGES, np.nan, np.zeros(8)),
                    (rng(9, 30), 3.0, np.zeros(8)[::2]), (rng(10, 30), 7.0, np.zeros(8)[::-1])]),
    (by_width, [(rng(11, 200, -2, 2), -1.0, 1.0, 0.25, 8), (rng(12, 200, -2, 2), -1.0, 1.0, 0.0, 8),
                (rng(13, 50, -2, 2), -1.0, 1.0, -0.25, 8), (rng(14, 50, -2, 2), -1.0, 1.0, np.nan, 8),
                (EDGES, 0.0, 1.0, 0.125, 8), (rng(15, 50), 0.0, 1.0, 1e-310, 8)]),
    (clamped, [(rng(16, 300, -0.5, 1.5), 10), Rerun((EDGES[np.isfinite(EDGES)], 4)), (EDGES, 4), (rng(17, 10), 1)]),
    (maybe_unbound, [(rng(18, 40), True), (rng(19, 40), False), (np.zeros(0), False), (EDGES, True)]),
    (offsets, [(np.arange(5.0), np.zeros(12), 0), (np.arange(5.0), np.zeros(12), 2), (np.arange(5.0), np.zeros(12), -1),
               (np.arange(5.0), np.zeros(12), -12), (np.arange(5.0), np.zeros(12), -13), (np.arange(5.0), np.zeros(12), 3),
               Rerun((np.arange(5.0), np.zeros(12), 2**63 - 2)), Rerun((np.arange(5.0), np.zeros(12), -(2**63)))]),
    (ring, [(np.arange(10.0), 4), (np.arange(10.0), 3), (np.arange(10.0), 5), (np.arange(10.0), -3), (np.arange(10.0), 0),
            (np.arange(3.0), 1)]),
    (grid2d, [(rng(20, 100), rng(21, 100), np.zeros((3, 5))), Rerun((EDGES, EDGES[::-1], np.zeros((2, 2)))),
              (rng(22, 50, -1, 2), rng(23, 50, -1, 2), np.zeros((4, 3), order="F")), (rng(24, 5), rng(25, 5), np.zeros((0, 3)))]),
    (wide, [(rng(26, 100, -5, 5), -10.0, 10.0), (np.array([1e308, -1e308, 0.0]), -1.7e308, 1.7e308),
            Rerun((np.array([1e18, 9.3e18, 5.0]), 0.0, 1e19)), (EDGES, -np.inf, np.inf)]),
    (shadowed, [(rng(27, 100), 5), (EDGES, 3)]),
]


def readonly(a):
    a = a.copy()
    a.setflags(write=False)
    return a


CASES.append((scaled_index, [(rng(28, 30), 7.0, readonly(np.zeros(8))), (np.zeros(0), 7.0, readonly(np.zeros(8)))]))
CASES.append((grid2d, [(rng(29, 5), rng(30, 5), readonly(np.zeros((3, 3))))]))


@pytest.mark.parametrize("fn,argsets", CASES, ids=["%s-%d" % (c[0].__name__, k) for k, c in enumerate(CASES)])
def test_same_as_numpy(fn, argsets):
    jf = jitted(fn)
    for args in argsets:
        before = jf.stats["native_calls"]
        expected = run(fn, fresh(args))
        got = run(jf, fresh(args))
        assert got == expected, (fn.__name__, args)
        if not expected[1] and not isinstance(args, Rerun):  # (a call whose CPython run warns may rerun there)
            assert jf.stats["native_calls"] == before + 1, (fn.__name__, args)
    assert jf.fallback_reason is None, jf.fallback_reason


def _entries(jf, args):
    jf(*fresh(args))
    return [r for r in jf.report["ranges"] if "loop" in r]


def test_histogram_report_lists_the_removed_checks():
    jf = jitted(histogram)
    (loop,) = _entries(jf, CASES[0][1][0])
    kinds = sorted((c["check"], c["expression"]) for c in loop["removed_value_checks"])
    assert kinds == [("NumPy float warning", "(v - lo) * scale"), ("NumPy float warning", "v - lo"),
                     ("int() range", "int((v - lo) * scale)")], loop
    bounds = {(c["array"], c["index"]) for c in loop["removed_bounds_checks"]}
    assert bounds == {("x", "i"), ("counts", "k")}, loop
    k = [c for c in loop["removed_bounds_checks"] if c["array"] == "counts"]
    assert all(c["line"] == loop["line"] + 5 and "bins - 1" in c["range"] for c in k), k
    # the unchecked copy has no int() range test and no bounds check of counts[k]: one copy keeps them
    ir = jf.inspect_llvm(optimized=False)
    assert ir.count("call i64 @pv_float_to_int(") == 1
    assert ir.count("@pv_np_index_error(ptr %ctx, i64 %k") == 2   # the checked copy's read and store


@pytest.mark.parametrize("fn,index", [(histogram_py, 0), (by_width, 3), (clamped, 4), (offsets, 6), (ring, 7), (grid2d, 8)])
def test_bounds_proven(fn, index):
    jf = jitted(fn)
    loops = _entries(jf, CASES[index][1][0])
    proven = [c for loop in loops for c in loop["removed_bounds_checks"] if "range" in c]
    assert proven, loops


def test_unprovable_checks_stay():
    # shadowed: k's second value is not the one the test bounded
    jf = jitted(shadowed)
    loops = _entries(jf, CASES[10][1][0])
    assert not [c for loop in loops for c in loop["removed_bounds_checks"] if c["array"] == "counts"], loops
    # clamped: int() of an unbounded product keeps its test
    jf = jitted(clamped)
    loops = _entries(jf, CASES[4][1][0])
    assert not [c for loop in loops for c in loop["removed_value_checks"] if c["check"] == "int() range"], loops



# Random ends, widths, sizes and values (NaN, infinities, huge and tiny magnitudes): whichever copy
# of the loop the test picks, the result is CPython's.
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(-4.0, 4.0),
                   st.sampled_from([0.0, -0.0, 1.0, 5e-324, 1e308, -1e308, 2.0**63, -(2.0**63)]))
PROPERTY = settings(max_examples=int(__import__("os").environ.get("PYVORIN_HYPOTHESIS_EXAMPLES", "150")), deadline=None,
                    derandomize=not __import__("os").environ.get("PYVORIN_HYPOTHESIS_RANDOM"),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def same(fn, args):
    got, expected = run(jitted(fn), fresh(args)), run(fn, fresh(args))
    # The one divergence by design (test_arrays' KNOWN_GAPS): an int beyond 64 bits after a store
    # into an argument raises, naming the function, instead of rerunning in CPython.
    if got[0][0] == "raised" and "cannot be rerun exactly in CPython" in got[0][2]:
        return
    assert got == expected, (fn.__name__, args)


@PROPERTY
@given(xs=st.lists(FLOATS, max_size=12), bins=st.integers(1, 9), lo=FLOATS, hi=FLOATS, width=FLOATS)
def test_binning_property(xs, bins, lo, hi, width):
    x = np.array(xs, np.float64)
    for fn, args in ((histogram, (x, bins, lo, hi)), (histogram_py, (x, bins, lo, hi)), (by_width, (x, lo, hi, width, bins)),
                     (scaled_index, (x, width, np.zeros(bins)))):
        same(fn, args)


@PROPERTY
@given(n=st.integers(0, 9), size=st.integers(0, 12), c=st.one_of(st.integers(-20, 20), st.integers(-(2**63), 2**63 - 1)),
       m=st.integers(-6, 6))
def test_int_index_property(n, size, c, m):
    a = np.arange(float(n))
    same(offsets, (a, np.zeros(size), c))
    same(ring, (a, m))
