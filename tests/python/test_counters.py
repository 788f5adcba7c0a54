"""Counter arrays (ranges.cpp, Counters): an int64 array made by np.zeros in the call, whose
elements are only ever incremented by 1 and otherwise only read, measured or returned. No element
can exceed the number of increments run, so `counts[k] += 1` has no overflow test. Compared with
CPython + NumPy (value, dtype, warnings), and checked in the IR: the test is dropped for the
counter, and kept whenever anything else could reach the array."""
import inspect
import linecache
import re
import warnings

import numpy as np
import pytest

import pyvorin

from pyvorin_testutil import jitted


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


def tally(a, n):
    seen = np.zeros(n, dtype=np.int64)
    total = 0
    for v in a:
        seen[v % n] = seen[v % n] + 1
        total += seen[v % n]
    return seen, total, seen.shape[0], len(seen)


def grid(a):
    # 2-D, reset in a loop, 1 + c form, read back
    out = 0
    for r in range(2):
        g = np.zeros((3, 3), np.int64)
        for i in range(a.shape[0]):
            g[a[i] % 3, (a[i] // 3) % 3] = 1 + g[a[i] % 3, (a[i] // 3) % 3]
        out += g[0, 0] + g[2, 2]
    return out


# each keeps the overflow test: the array's elements can be anything
def passed_in(counts, a):
    for v in a:
        counts[v] += 1
    return counts


def aliased(a):
    counts = np.zeros(3, np.int64)
    other = counts
    other[0] = 2**63 - 1
    for v in a:
        counts[v] += 1
    return counts


def stored(a):
    counts = np.zeros(3, np.int64)
    counts[0] = a[0]
    for v in a:
        counts[v % 3] += 1
    return counts


def by_two(a):
    counts = np.zeros(3, np.int64)
    for v in a:
        counts[v] += 2
    return counts


def small_dtype(a):
    counts = np.zeros(3, np.int32)
    for v in a:
        counts[v] += 1
    return counts


def viewed(a):
    counts = np.zeros(3, np.int64)
    tail = counts[1:]
    tail[0] = 2**63 - 1
    for v in a:
        counts[v] += 1
    return counts


def filled(a):
    counts = np.zeros(3, np.int64)
    counts.fill(2**63 - 1)
    for v in a:
        counts[v] += 1
    return counts


def ones(a):
    counts = np.zeros(3, np.int64)
    if a.shape[0] > 2:
        counts = np.full(3, 2**63 - 1, np.int64)
    for v in a:
        counts[v] += 1
    return counts


def added(a):
    counts = np.zeros(3, np.int64)
    for v in a:
        counts[v] = counts[v] + counts[0] + 1
    return counts


def sum_into(a):
    counts = np.zeros(3, np.int64)
    for v in a:
        counts[v] += 1
    counts[1] = counts.sum() * 2**62
    for v in a:
        counts[v] += 1
    return counts


COUNTERS = [
    (histogram, [(np.random.default_rng(1).random(500), 8, 0.0, 1.0), (np.array([0.5, np.nan, 2.0, -1.0]), 4, 0.0, 1.0),
                 (np.linspace(-1, 2, 301), 16, -0.5, 1.5)]),
    (tally, [(np.arange(20, dtype=np.int64), 7), (np.array([3, 3, 3, 10], np.int64), 5)]),
    (grid, [(np.arange(40, dtype=np.int64),), (np.array([4, 4, 4], np.int64),)]),
]
def walrus(a):
    counts = np.zeros(3, np.int64)
    for v in a:
        if v > 5 and (counts := np.full(3, 5, np.int64)).shape[0] == 3:
            pass
        counts[v % 3] += 1
    return counts


KEPT = [
    (walrus, [(np.array([1, 7, 1], np.int64),), (np.array([1, 2], np.int64),)]),
    # (an overflow after a store into an argument cannot rerun in CPython: test_arrays' KNOWN_GAPS)
    (passed_in, [(np.array([2**63 - 2, 0, 5], np.int64), np.array([2, 1, 2], np.int64)),
                 (np.zeros(3, np.int64), np.array([2, 1, 2], np.int64))]),
    (aliased, [(np.array([0, 0, 1], np.int64),)]),
    (stored, [(np.array([2**63 - 1, 1, 0], np.int64),), (np.array([4, 1], np.int64),)]),
    (by_two, [(np.array([0, 1, 1], np.int64),)]),
    (small_dtype, [(np.array([0, 1, 1], np.int64),)]),
    (viewed, [(np.array([1, 1, 0], np.int64),)]),
    (filled, [(np.array([1, 2], np.int64),)]),
    (ones, [(np.array([1, 2, 0], np.int64),), (np.array([1], np.int64),)]),
    (added, [(np.array([0, 0, 1], np.int64),)]),
    (sum_into, [(np.array([0, 0, 1], np.int64),)]),
]


def run(fn, args):
    args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = fn(*args)
            out = ("ok", repr(r), [getattr(x, "dtype", type(x).__name__) for x in (r if isinstance(r, tuple) else (r,))])
        except Exception as e:  # noqa: BLE001 - compared with CPython's
            out = ("raised", type(e).__name__, str(e))
    return out, [(x.category.__name__, str(x.message)) for x in w], [repr(a) for a in args]


def checked_adds(jf):
    return len(re.findall(r"call \{ i64, i1 \} @llvm\.sadd\.with\.overflow\.i64", jf.inspect_llvm(optimized=False)))


@pytest.mark.parametrize("fn,argsets", COUNTERS + KEPT, ids=[c[0].__name__ for c in COUNTERS + KEPT])
def test_same_as_numpy(fn, argsets):
    jf = jitted(fn)
    for args in argsets:
        before = jf.stats["native_calls"]
        expected = run(fn, args)
        assert run(jf, args) == expected, (fn.__name__, args)
        if not expected[1]:  # a call whose CPython run warns may rerun there
            assert jf.stats["native_calls"] == before + 1, (fn.__name__, args)
    assert jf.fallback_reason is None


@pytest.mark.parametrize("fn,argsets", COUNTERS, ids=[c[0].__name__ for c in COUNTERS])
def test_counter_add_has_no_overflow_test(fn, argsets):
    jf = jitted(fn)
    jf(*argsets[0])
    entries = [r for r in jf.report["ranges"] if "counter" in r]
    assert len(entries) == 1, jf.report["ranges"]
    checks = entries[0]["removed_overflow_checks"]
    assert checks and all(c["addend_min"] == c["addend_max"] == 1 for c in checks)
    # the same function with np.ones (never a counter) keeps the tests (one per copy of a loop)
    assert checked_adds(_with_ones(fn, argsets[0])) > checked_adds(jf)
    if fn is histogram:
        assert checked_adds(jf) == 0


def _with_ones(fn, args):
    src = inspect.getsource(fn).replace("np.zeros(", "np.ones(")
    filename = "<ones_%s>" % fn.__name__
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    scope = {"np": np}
    exec(compile(src, filename, "exec"), scope)
    jf = pyvorin.jit(scope[fn.__name__])
    jf(*args)
    assert jf.fallback_reason is None
    return jf


@pytest.mark.parametrize("fn,argsets", KEPT, ids=[c[0].__name__ for c in KEPT])
def test_kept_where_the_array_can_be_reached(fn, argsets):
    jf = jitted(fn)
    jf(*[a.copy() if isinstance(a, np.ndarray) else a for a in argsets[0]])
    assert not [r for r in jf.report["ranges"] if "counter" in r], jf.report["ranges"]
