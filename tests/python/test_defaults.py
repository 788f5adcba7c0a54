"""Functions with default parameter values compile. A call from Python that leaves parameters out
gets the function's own default objects (its __defaults__, read at every call, so a rebound
default or a shared mutable default behaves as in CPython). Keyword arguments still run the call
in CPython. A compiled caller must pass every argument, and says so when it does not."""
import pytest

import pyvorin


def scaled(xs, k=2, offset=0.5):
    total = 0.0
    for x in xs:
        total += x * k + offset
    return total


def remember(n, seen=[]):  # noqa: B006 -- the shared default list is the point
    seen.append(n)
    return len(seen)


def fib_memo(n, memo=None):
    if memo is None:
        memo = {}
    if n < 2:
        return n
    if n in memo:
        return memo[n]
    r = fib_memo(n - 1, memo) + fib_memo(n - 2, memo)
    memo[n] = r
    return r


@pyvorin.jit
def helper(a, b=1):
    return a + b


def calls_without_default(n):
    return helper(n)


def test_defaults_fill_in_natively():
    jf = pyvorin.jit(scaled)
    assert jf([1.0, 2.0]) == scaled([1.0, 2.0])
    assert jf([1.0, 2.0], 3) == scaled([1.0, 2.0], 3)
    assert jf([1.0], 3, -1.0) == scaled([1.0], 3, -1.0)
    assert jf.stats == {"native_calls": 3, "python_calls": 0, "disabled_calls": 0}
    assert jf([1.0], k=5) == scaled([1.0], k=5)  # keywords: CPython
    assert jf.stats["python_calls"] == 1


def test_defaults_are_read_at_each_call():
    jf = pyvorin.jit(scaled)
    assert jf([1.0]) == 2.5
    scaled.__defaults__ = (10, 0.0)
    try:
        assert jf([1.0]) == 10.0
    finally:
        scaled.__defaults__ = (2, 0.5)


def test_a_mutable_default_is_shared_as_in_cpython():
    jf = pyvorin.jit(remember)
    remember.__defaults__[0].clear()
    assert [jf(1), jf(2), jf(3, [])] == [1, 2, 1]
    assert remember.__defaults__[0] == [1, 2]
    assert jf.stats["native_calls"] == 3


def test_recursive_memo_with_a_none_default():
    jf = pyvorin.jit(fib_memo)
    assert jf(30) == fib_memo(30) == 832040


def test_a_compiled_caller_passes_every_argument():
    jf = pyvorin.jit(calls_without_default)
    assert jf(3) == 4  # runs in CPython, with the reason
    assert "without its default arguments" in jf.fallback_reason
    assert "pass the default values explicitly" in jf.fallback_reason
