"""Differential tests of NumPy complex scalars in compiled code (lower_npcomplex.cpp) against NumPy
1.24 itself: every operation (+ - * / ==, !=, unary -, abs, .real, .imag, .conjugate()) on
complex64 and complex128 values drawn from random magnitudes (1e-300 .. 1e300, so products
overflow and quotients of huge by tiny overflow), signed zeros, infinities and NaNs in either
part, mixed with Python's complex, floats and ints; and loops that accumulate such operations over
complex arrays. The value's bits (both parts, NaN signs aside), its type and the list of
RuntimeWarnings must be NumPy's; a call whose CPython run did not warn must run natively.

PYVORIN_FUZZ_SEED / PYVORIN_FUZZ_COUNT change the seed and the number of values per operation.
"""
import math
import os
import random
import warnings

import numpy as np
import pytest

import pyvorin
from array_testutil import A, compare_call

SEED = int(os.environ.get("PYVORIN_FUZZ_SEED", "20261202"))
COUNT = int(os.environ.get("PYVORIN_FUZZ_COUNT", "150"))
SPECIAL = [0.0, -0.0, 1.0, -2.5, math.inf, -math.inf, math.nan, 1e308, -1e-308]


def part(r):
    c = r.randrange(10)
    if c < 3:
        return r.choice(SPECIAL)
    if c < 5:
        return r.uniform(-4, 4)
    return r.choice([-1, 1]) * 10.0 ** r.uniform(-300, 300)


def value(r, kinds):
    k = r.choice(kinds)
    re, im = part(r), part(r)
    if k == "c128":
        return np.complex128(complex(re, im))
    if k == "c64":
        with np.errstate(all="ignore"):  # the cast to complex64 overflows for some
            return np.complex64(complex(re, im))
    if k == "complex":
        return complex(re, im)
    if k == "float":
        return re
    if k == "f64":
        return np.float64(re)
    if k == "f32":
        with np.errstate(all="ignore"):
            return np.float32(re)
    return r.randrange(-5, 6)  # int


def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b


def div(a, b):
    return a / b


def eq(a, b):
    return a == b, a != b


def unary(a, b):
    return -a, abs(a), a.real, a.imag, a.conjugate(), bool(a)


def chain(a, b):
    return (a * b + a) / (b - a * 2.0)


OPS = [add, sub, mul, div, eq, chain]


def promoted(args):
    """np.complex64 with a value that makes the result complex128 (a Python number, np.float64,
    int32...): NumPy's ufunc loop computes it, whose multiply fuses multiply-adds on AVX-512
    machines; compiled code tests the plain operations first, which may warn where the fused ones
    do not (inf * 0 beside a NaN), and then reruns the call in CPython: the same result, slower."""
    c64 = any(isinstance(x, np.complex64) for x in args)
    return c64 and not all(isinstance(x, (np.complex64, np.float32, np.int8, np.int16, np.uint8, np.uint16))
                           for x in args)


def check(fn, jf, args):
    with np.errstate(all="warn", under="ignore"), warnings.catch_warnings():
        warnings.simplefilter("always")
        d, native, expected = compare_call(fn, jf, args, "any_nan_sign")
    assert not d, "%s%r: %s" % (fn.__name__, args, d)
    if not expected.warned and expected.exc is None and not (promoted(args) and fn is not eq):
        assert native, "%s%r ran in CPython although NumPy did not warn" % (fn.__name__, args)


@pytest.mark.parametrize("fn", OPS, ids=[f.__name__ for f in OPS])
def test_binary(fn):
    r = random.Random("%d-%s" % (SEED, fn.__name__))
    jf = pyvorin.jit(fn)
    for _ in range(COUNT):
        a = value(r, ["c128", "c64"])
        b = value(r, ["c128", "c64", "complex", "float", "f64", "f32", "int"])
        if r.random() < 0.3:
            a, b = b, a
        check(fn, jf, (a, b))
    assert jf.fallback_reason is None, jf.fallback_reason


def test_unary():
    r = random.Random("%d-unary" % SEED)
    jf = pyvorin.jit(unary)
    for _ in range(COUNT):
        check(unary, jf, (value(r, ["c128", "c64"]), 0))
    assert jf.fallback_reason is None, jf.fallback_reason


def prod_loop(a, b):
    s = b[0]
    for i in range(1, a.shape[0]):
        s = s * a[i] + b[i]
    return s


def quot_loop(a, b):
    out = np.zeros_like(a)  # its own: a store into an argument cannot rerun in CPython when NumPy warns
    t = out[0].real  # zero, of the parts' dtype
    for i in range(a.shape[0]):
        out[i] = a[i] / b[i]
        t += out[i].real
    return t, out


@pytest.mark.parametrize("fn", [prod_loop, quot_loop], ids=["prod_loop", "quot_loop"])
def test_loops(fn):
    r = random.Random("%d-%s" % (SEED, fn.__name__))
    jf = pyvorin.jit(fn)
    for _ in range(max(COUNT // 5, 10)):
        dt = r.choice([np.complex128, np.complex64])
        n = r.randrange(1, 6)
        kind = "c128" if dt is np.complex128 else "c64"
        a = [complex(value(r, [kind])) for _ in range(n)]
        b = [complex(value(r, [kind])) for _ in range(n)]
        with np.errstate(all="ignore"):
            args = (A(a, dt), A(b, dt))
        check(fn, jf, args)
    assert jf.fallback_reason is None, jf.fallback_reason
