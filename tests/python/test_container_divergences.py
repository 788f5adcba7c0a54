"""The documented places where compiled container code differs from CPython (docs/objects.md,
"Known divergences"), pinned so a change in either direction is noticed."""
import math

import pytest

import pyvorin

NAN = float("nan")


def contains(xs, x):
    return x in xs


def count(xs, x):
    return xs.count(x)


def bump_all(xs):
    for i in range(len(xs)):
        xs[i] += xs[i]
    return xs


@pytest.mark.parametrize("fn, expected", [(contains, True), (count, 1)])
def test_nan_identity_of_an_argument(fn, expected):
    # the entry function's float arguments box back to the caller's own objects
    jf = pyvorin.jit(fn)
    assert fn([NAN], NAN) == expected
    assert jf([NAN], NAN) == expected
    assert jf.stats["native_calls"] == 1


def contains_via_callee(xs, x):
    return contains_j(xs, x)


contains_j = pyvorin.jit(contains)


@pytest.mark.xfail(strict=True, reason="a compiled callee gets the float unboxed: boxing it again makes a new object")
def test_nan_identity_through_a_native_call():
    jf = pyvorin.jit(contains_via_callee)
    assert contains_via_callee([NAN], NAN) is True
    assert jf([NAN], NAN) is True


def test_overflow_after_an_argument_changed_raises_naming_the_line():
    jf = pyvorin.jit(bump_all)
    xs = [1, 2**62]
    with pytest.raises(OverflowError) as info:
        jf(xs)
    text = str(info.value)
    assert "bump_all" in text and "line" in text and "changed an argument" in text
    assert xs == [2, 2**62]  # the first change stays, as CPython's would until its own error
    # before any change, the same overflow reruns in CPython: exact
    ys = [2**62, 1]
    assert jf(ys) == [2**63, 2] and ys == [2**63, 2]
