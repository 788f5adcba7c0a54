"""`for i in range(...)` whose body reads `i % C` (lower_loops.cpp, mod_split_divisor): chunks end
at multiples of C and `i % C` is a counter of its own. Every shape is compared with CPython
(value, type, exceptions, overflow past int64), runs natively, and the split is visible in the IR
(a `.mod` counter, no urem by C in the loop)."""
import re

import pytest

import pyvorin

from pyvorin_testutil import check_all, jitted


def sum_sq(n):
    total = 0
    for i in range(n):
        total += (i % 1000) ** 2
    return total


def from_start(a, n):
    total = 0
    for i in range(7, n):
        total += (i % 97) * i
    return total


def with_continue(n):
    total = 0
    for i in range(n):
        if i % 37 == 0:
            continue
        total += i % 37
    return total


def with_break(n, stop):
    total = 0
    for i in range(n):
        r = i % 100
        if i > stop:
            break
        total += r * r - i
    return total


def nested(n, m):
    total = 0
    for i in range(n):
        for j in range(m):
            total += (i % 50) * (j % 21)
    return total


def two_divisors(n):
    # i % 100 and i % 30: not split (one divisor only), still exact
    total = 0
    for i in range(n):
        total += i % 100 - i % 30
    return total


def small_divisor(n):
    total = 0
    for i in range(n):
        total += i % 7
    return total


def float_acc(n):
    s = 0.0
    for i in range(n):
        s += (i % 360) * 0.5
    return s


def overflowing(n):
    # past int64: reruns in CPython
    total = 2**62
    for i in range(n):
        total += (i % 1000) * 2**52
    return total


def list_fill(n):
    out = [0] * n
    for i in range(n):
        out[i] = i % 24 + i
    return out


def rebinds(n):
    # the body rebinds i: not split
    total = 0
    for i in range(n):
        i = i + 3
        total += i % 50
    return total


def in_comprehension(n):
    total = 0
    for i in range(n):
        total += sum([i % 40 for i in range(3)])
    return total


NS = [0, 1, 999, 1000, 1001, 2500, 65537, 200000]

CASES = [
    (sum_sq, [(n,) for n in NS]),
    (from_start, [(0, n) for n in [0, 5, 7, 8, 96, 97, 98, 1000, 100003]]),
    (with_continue, [(n,) for n in [0, 36, 37, 38, 1000, 70001]]),
    (with_break, [(n, s) for n in [0, 150, 5000] for s in [-1, 0, 99, 100, 4000]]),
    (nested, [(n, m) for n in [0, 3, 120] for m in [0, 20, 21, 64]]),
    (two_divisors, [(n,) for n in [0, 31, 3001]]),
    (small_divisor, [(n,) for n in [0, 20, 1000]]),
    (float_acc, [(n,) for n in [0, 359, 360, 361, 10000]]),
    (overflowing, [(n,) for n in [0, 10, 1000, 3000]]),
    (list_fill, [(n,) for n in [0, 23, 24, 25, 100]]),
    (rebinds, [(n,) for n in [0, 49, 200]]),
    (in_comprehension, [(n,) for n in [0, 5]]),
]


@pytest.mark.parametrize("fn,argsets", CASES, ids=[c[0].__name__ for c in CASES])
def test_same_as_cpython(fn, argsets):
    check_all(fn, argsets)


@pytest.mark.parametrize("fn,args", [(sum_sq, (100000,)), (from_start, (0, 5000)), (with_continue, (5000,)),
                                     (with_break, (5000, 4000)), (nested, (100, 64)), (float_acc, (1000,)),
                                     (list_fill, (100,))], ids=lambda v: getattr(v, "__name__", ""))
def test_runs_natively(fn, args):
    jf = pyvorin.jit(fn)
    jf(*args)
    assert jf.fallback_reason is None and jf.compiled is True
    assert jf.stats["native_calls"] >= 1


def _function_ir(jf, name):
    ir = jf.inspect_llvm(optimized=False)
    start = ir.index("@pv.%s." % name)
    return ir[start:ir.index("\ndefine", start)]


def test_split_in_ir():
    jf = jitted(sum_sq)
    jf(10)
    fn = _function_ir(jf, "sum_sq")
    # the counter, a urem where each chunk starts (checked and unchecked copies), no srem at all
    assert re.search(r"%i\.iv\.mod\d* = phi", fn) and len(re.findall(r"chunk\.mod\d* = urem i64", fn)) == 2
    assert "srem" not in fn


@pytest.mark.parametrize("fn", [rebinds, in_comprehension, two_divisors, small_divisor])
def test_not_split(fn):
    jf = jitted(fn)
    jf(10)
    assert "iv.mod" not in _function_ir(jf, fn.__name__)


def test_interrupt_poll_per_chunk():
    # a chunk is at most C iterations: Ctrl-C is still seen (the poll is on the chunk's latch)
    jf = jitted(sum_sq)
    jf(10)
    assert "pv_poll_interrupt" in jf.inspect_llvm(optimized=True)
