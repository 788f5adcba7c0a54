"""`for i in range(...): acc += p(i)` with p a polynomial of the loop variable (lower_wide.cpp):
summed in 128 bits where a guard proves it exact, narrowed (and checked) where each chunk ends,
else the ordinary checked loop. Compared with CPython on value, type and the loop variable's final
value, at and across the int64 limits (a sum past int64 reruns in CPython)."""
import pytest

import pyvorin

from pyvorin_testutil import INT64_MAX, INT64_MIN, check_all, jitted


def sum_squares(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def cubic(n, k):
    t = 5
    for i in range(3, n, 2):
        t += 3 * i ** 3 - k * i + 7
    return t


def downward(a, b, acc):
    for i in range(a, b, -3):
        acc += -i * i + a
    return acc, i


def comes_back(acc, n):
    # partial sums pass INT64_MAX and come back below it: exact either way
    for i in range(n):
        acc += 1000 - i
    return acc


def last_value(n):
    s = 0
    for j in range(n):
        s = s + j
    return s, j


def invariant_name(n, m):
    s = 0
    for i in range(n):
        s += (i - m) * (i + m)
    return s


CASES = [
    (sum_squares, [(n,) for n in [0, 1, 2, 10, 1000, 3024617, 3024618, 10**7, -5]]),
    (cubic, [(n, k) for n in [0, 3, 4, 1000, 10**5] for k in [0, -5, 2**40, 2**62, INT64_MIN]]),
    (downward, [(a, a + d, acc) for a in [0, 10, 2**31, -2**40] for d in [-10, 5, -30000] for acc in [0, INT64_MAX, INT64_MIN]]),
    (comes_back, [(acc, n) for acc in [0, INT64_MAX - 1000, INT64_MAX, INT64_MIN + 5] for n in [0, 1, 999, 3000]]),
    (last_value, [(n,) for n in [1, 2, 17, 100000]]),
    (invariant_name, [(n, m) for n in [0, 5, 100000] for m in [0, 7, 2**31, -2**40]]),
]


@pytest.mark.parametrize("fn,argsets", CASES, ids=[c[0].__name__ for c in CASES])
def test_same_as_cpython(fn, argsets):
    check_all(fn, argsets)


@pytest.mark.parametrize("fn,argsets", CASES, ids=[c[0].__name__ for c in CASES])
def test_fast_same_as_cpython(fn, argsets):
    # fast=True drops the interrupt poll between chunks, not the chunks' checks
    jf = jitted(fn, fast=True)
    check_all(fn, argsets, jf=jf)
    default = jitted(fn)
    default(*argsets[-1])
    assert ("for.wide" in jf.inspect_llvm(optimized=False)) == ("for.wide" in default.inspect_llvm(optimized=False))
    if fn is sum_squares:
        assert "for.wide" in jf.inspect_llvm(optimized=False) and "interrupt" not in jf.inspect_llvm(optimized=False)


def test_unbound_loop_variable_after_an_empty_range():
    # last_value(0) reads j, never bound: UnboundLocalError in both
    check_all(last_value, [(0,)])


def test_native_and_closed_form():
    jf = pyvorin.jit(sum_squares)
    assert jf(3_000_000) == 8999995500000500000
    assert jf.stats["native_calls"] == 1 and jf.fallback_reason is None
    raw = jf.inspect_llvm(optimized=False)
    assert "for.wide" in raw and "i128" in raw and "wide.safe" in raw
    # the report lists the loop and its accumulator
    assert any(r.get("wide_sum") == "total" for r in jf.report["ranges"])


def test_past_int64_reruns_in_cpython():
    jf = pyvorin.jit(sum_squares)
    assert jf(10**7) == 333333283333335000000
    assert jf.stats["python_calls"] == 1


def test_not_taken():
    def reads_acc(n):
        s = 0
        for i in range(n):
            s += i * s
        return s

    def two_statements(n):
        s = 0
        for i in range(n):
            s += i
            s += 1
        return s

    def modulo(n):
        s = 0
        for i in range(n):
            s += i % 7
        return s

    for fn in (reads_acc, two_statements, modulo):
        jf = jitted(fn)
        check_all(fn, [(0,), (10,), (1000,)], jf=jf)
        assert "for.wide" not in jf.inspect_llvm(optimized=False)
