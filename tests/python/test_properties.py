"""Hypothesis property tests: every arithmetic, bitwise, comparison and unary operator under
pyvorin.jit agrees with CPython (value, type, float bits, exception type and message) on ints
(small, near the int64 bounds, beyond int64), floats (inf, nan, -0.0, subnormals) and mixes.
Each operator is one module-level function, jitted once and reused for every example."""
import math
import os

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from pyvorin_testutil import INT64_MAX, INT64_MIN, check, cpython_outcome, jitted, run

# PYVORIN_HYPOTHESIS_EXAMPLES raises the example count for a longer bug hunt (default 200).
SETTINGS = settings(max_examples=int(os.environ.get("PYVORIN_HYPOTHESIS_EXAMPLES", "200")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


from scalar_ops import (  # noqa: F401  (jitted and compared by name below)
    op_add,
    op_sub,
    op_mul,
    op_truediv,
    op_floordiv,
    op_mod,
    op_pow,
    op_lshift,
    op_rshift,
    op_and,
    op_or,
    op_xor,
    op_neg,
    op_invert,
    op_not,
)


def op_lt(a, b):
    return a < b


def op_le(a, b):
    return a <= b


def op_eq(a, b):
    return a == b


def op_ne(a, b):
    return a != b


def op_gt(a, b):
    return a > b


def op_ge(a, b):
    return a >= b


def op_chain(a, b, c):
    return a <= b < c


def op_andand(a, b):
    return a and b


def op_oror(a, b):
    return a or b


def op_aug(a, b):
    x = a
    x += b
    x *= b
    x -= a
    return x


ARITH = [op_add, op_sub, op_mul, op_truediv, op_floordiv, op_mod]
BITWISE = [op_and, op_or, op_xor]
COMPARE = [op_lt, op_le, op_eq, op_ne, op_gt, op_ge]
BOOLEAN = [op_andand, op_oror]


def names(fns):
    return [f.__name__ for f in fns]


# ints: anywhere in int64, clustered near 0 and near the bounds, and beyond int64.
EDGE_INTS = [0, 1, -1, 2, -2, INT64_MAX, INT64_MIN, INT64_MAX - 1, INT64_MIN + 1, 2**62, -2**62,
             2**32, -2**32, 2**31 - 1, 3037000499, 3037000500, -3037000500, 2**53, 2**53 + 1]
near_bounds = st.one_of(st.integers(INT64_MAX - 1000, INT64_MAX), st.integers(INT64_MIN, INT64_MIN + 1000),
                        st.integers(2**62 - 1000, 2**62 + 1000), st.integers(-2**32 - 10, 2**32 + 10))
int64s = st.one_of(st.integers(-1000, 1000), st.integers(INT64_MIN, INT64_MAX), near_bounds,
                   st.sampled_from(EDGE_INTS))
ints = st.one_of(int64s, st.integers(-2**80, 2**80))   # beyond int64 runs in CPython
EDGE_FLOATS = [0.0, -0.0, 5e-324, -5e-324, 2.2250738585072014e-308, 1e-310, 0.5, -0.5, 1.0, -1.0,
               1.5, 2.5, 1e16, 2.0**53, 2.0**63, -2.0**63, 2.0**64, 1.7976931348623157e308,
               float("inf"), float("-inf"), float("nan")]
floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
                   st.floats(-1e6, 1e6), st.sampled_from(EDGE_FLOATS))
numbers = st.one_of(ints, floats, st.booleans())


def agree(fn, *args):
    diff = check(fn, *args)
    assert diff is None, diff


@pytest.mark.parametrize("fn", ARITH + COMPARE + BOOLEAN + [op_aug], ids=names(ARITH + COMPARE + BOOLEAN + [op_aug]))
@SETTINGS
@given(a=ints, b=ints)
@example(a=INT64_MIN, b=-1)
@example(a=INT64_MAX, b=INT64_MAX)
@example(a=-7, b=2)
@example(a=7, b=0)
def test_int_int(fn, a, b):
    agree(fn, a, b)


@pytest.mark.parametrize("fn", ARITH + COMPARE + BOOLEAN + [op_aug], ids=names(ARITH + COMPARE + BOOLEAN + [op_aug]))
@SETTINGS
@given(a=floats, b=floats)
@example(a=-7.5, b=2.0)
@example(a=1.0, b=0.0)
@example(a=-0.0, b=-0.0)
@example(a=float("inf"), b=float("inf"))
@example(a=float("nan"), b=-float("nan"))
def test_float_float(fn, a, b):
    if math.isnan(a) and math.isnan(b):
        # Two NaN operands: which one propagates (its sign bit) is not specified by IEEE 754 and
        # LLVM may commute the operation (docs/supported-subset.md). The result must be a NaN of
        # the same type, and exceptions must agree.
        expected, got = cpython_outcome(fn, a, b), run(jitted(fn), a, b)
        assert type(expected.exc) is type(got.exc)
        if expected.exc is None:
            assert type(got.value) is type(expected.value)
            if isinstance(expected.value, float):
                assert math.isnan(got.value) == math.isnan(expected.value)
            else:
                assert got.value == expected.value
        return
    agree(fn, a, b)


@pytest.mark.parametrize("fn", ARITH + COMPARE + BOOLEAN, ids=names(ARITH + COMPARE + BOOLEAN))
@SETTINGS
@given(a=ints, b=floats)
@example(a=2**53 + 1, b=2.0**53)
@example(a=INT64_MAX, b=2.0**63)
@example(a=INT64_MIN, b=-2.0**63)
@example(a=1, b=0.0)
def test_int_float(fn, a, b):
    agree(fn, a, b)
    agree(fn, b, a)


@pytest.mark.parametrize("fn", ARITH + COMPARE + BOOLEAN + BITWISE, ids=names(ARITH + COMPARE + BOOLEAN + BITWISE))
@SETTINGS
@given(a=numbers, b=st.one_of(st.booleans(), st.integers(-3, 3)))
def test_with_bools(fn, a, b):
    agree(fn, a, b)
    agree(fn, b, a)


@pytest.mark.parametrize("fn", BITWISE, ids=names(BITWISE))
@SETTINGS
@given(a=ints, b=ints)
@example(a=INT64_MIN, b=-1)
@example(a=True, b=False)
def test_bitwise_ints(fn, a, b):
    agree(fn, a, b)


@pytest.mark.parametrize("fn", [op_lshift, op_rshift], ids=["lshift", "rshift"])
@SETTINGS
@given(a=ints, b=st.one_of(st.integers(-5, 200), st.sampled_from([0, 1, 62, 63, 64, 65, 127, 128])))
@example(a=1, b=70)
@example(a=1, b=-1)
@example(a=-1, b=63)
@example(a=INT64_MIN, b=1)
@example(a=1, b=63)
def test_shifts(fn, a, b):
    agree(fn, a, b)


@SETTINGS
@given(a=ints, b=st.integers(0, 2**70))
def test_shift_huge_counts(a, b):
    assume(a == 0 or b < 300)
    agree(op_rshift, a, b)
    agree(op_lshift, 0, b)


@SETTINGS
@given(a=ints, b=st.integers(-70, 70))
@example(a=0, b=0)
@example(a=0, b=-1)
@example(a=2, b=-2)
@example(a=-2, b=63)
@example(a=2, b=63)
@example(a=3037000499, b=2)
def test_pow_int_int(a, b):
    agree(op_pow, a, b)


@SETTINGS
@given(a=st.sampled_from([0, 1, -1, True, False]), b=ints)
def test_pow_unit_base_any_exponent(a, b):
    agree(op_pow, a, b)


@SETTINGS
@given(a=floats, b=floats)
@example(a=0.0, b=-1.0)
@example(a=-8.0, b=1.0 / 3)
@example(a=10.0, b=400.0)
def test_pow_float_float(a, b):
    agree(op_pow, a, b)


@SETTINGS
@given(a=st.one_of(int64s, floats), b=st.one_of(st.integers(-40, 40), floats))
def test_pow_mixed(a, b):
    assume(not (isinstance(a, int) and isinstance(b, int)))
    agree(op_pow, a, b)


@SETTINGS
@given(a=ints, b=ints, c=ints)
def test_chained_comparison_ints(a, b, c):
    agree(op_chain, a, b, c)


@SETTINGS
@given(a=numbers, b=numbers, c=numbers)
def test_chained_comparison_mixed(a, b, c):
    agree(op_chain, a, b, c)


@pytest.mark.parametrize("fn", [op_neg, op_invert, op_not], ids=["neg", "invert", "not"])
@SETTINGS
@given(a=ints)
@example(a=INT64_MIN)
@example(a=INT64_MAX)
def test_unary_int(fn, a):
    agree(fn, a)


@pytest.mark.parametrize("fn", [op_neg, op_not, op_invert], ids=["neg", "not", "invert"])
@SETTINGS
@given(a=st.one_of(floats, st.booleans()))
def test_unary_float_and_bool(fn, a):
    agree(fn, a)


@pytest.mark.parametrize("fn", ARITH + [op_pow] + COMPARE, ids=names(ARITH + [op_pow] + COMPARE))
def test_jitted_once_per_signature(fn):
    # The same dispatcher served every example above: only a few signatures exist.
    jf = jitted(fn)
    jf(1, 2)
    assert len(jf.signatures) <= 9, jf.signatures


# ---------------------------------------------------------------------------------------------
# Builtins and the math module on arbitrary values
# ---------------------------------------------------------------------------------------------
def b_round(x):
    return round(x)


def b_round_n(x, n):
    return round(x, n)


def b_int(x):
    return int(x)


def b_float(x):
    return float(x)


def b_abs(x):
    return abs(x)


def b_divmod_q(a, b):
    q, r = divmod(a, b)
    return q


def b_divmod_r(a, b):
    q, r = divmod(a, b)
    return r


def show(x):
    print(x)


def show_two(x, y):
    print(x, y, x / 7, sep=" ; ")


def m_unary(x, which):
    if which == 0:
        return math.sqrt(x)
    elif which == 1:
        return math.exp(x)
    elif which == 2:
        return math.log(x)
    elif which == 3:
        return math.sin(x)
    elif which == 4:
        return math.cos(x)
    elif which == 5:
        return math.tan(x)
    elif which == 6:
        return math.log2(x)
    elif which == 7:
        return math.log10(x)
    return math.fabs(x)


def m_int_result(x, which):
    if which == 0:
        return math.floor(x)
    return math.ceil(x)


def m_binary(x, y, which):
    if which == 0:
        return math.pow(x, y)
    elif which == 1:
        return math.hypot(x, y)
    return math.atan2(x, y)


@SETTINGS
@given(x=st.one_of(floats, int64s, st.booleans()))
@example(x=2.5)
@example(x=-0.5)
@example(x=4503599627370497.0)
@example(x=9.223372036854775e18)
def test_round_int_float_abs(x):
    agree(b_round, x)
    agree(b_int, x)
    agree(b_float, x)
    agree(b_abs, x)


@SETTINGS
@given(x=st.one_of(floats, int64s), n=st.one_of(st.integers(-20, 20), st.sampled_from([-400, 400, 308, 323])))
@example(x=2.675, n=2)
@example(x=0.125, n=2)
@example(x=1e300, n=-300)
@example(x=5e-324, n=323)
def test_round_ndigits(x, n):
    agree(b_round_n, x, n)


@SETTINGS
@given(a=numbers, b=numbers)
def test_divmod(a, b):
    assume(not (isinstance(a, int) and isinstance(b, int) and abs(a) > 2**63 and abs(b) > 2**63))
    agree(b_divmod_q, a, b)
    agree(b_divmod_r, a, b)


@SETTINGS
@given(x=st.one_of(floats, st.floats(width=32), int64s, st.booleans()), y=floats)
@example(x=0.1 + 0.2, y=1e16)
@example(x=1e-7, y=123456789012345678.0)
def test_print_matches_repr(x, y):
    # print() of a float must be CPython's shortest round-trip repr, in the same layout.
    import contextlib
    import io
    jshow, jtwo = jitted(show), jitted(show_two)
    for f, jf, args in [(show, jshow, (x,)), (show_two, jtwo, (x, y))]:
        want, got = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(want):
            expected = run(f, *args)
        with contextlib.redirect_stdout(got):
            actual = run(jf, *args)
        assert got.getvalue() == want.getvalue(), (args, want.getvalue(), got.getvalue())
        assert type(expected.exc) is type(actual.exc), (expected, actual)


@SETTINGS
@given(x=st.one_of(floats, int64s), which=st.integers(0, 8))
def test_math_unary(x, which):
    agree(m_unary, x, which)


@SETTINGS
@given(x=st.one_of(floats, int64s), which=st.integers(0, 1))
def test_math_floor_ceil(x, which):
    agree(m_int_result, x, which)


@SETTINGS
@given(x=st.one_of(floats, st.integers(-100, 100)), y=st.one_of(floats, st.integers(-100, 100)),
       which=st.integers(0, 2))
# math.hypot with a subnormal larger coordinate: CPython 3.11 divides by it (3.12 rescales by
# DBL_MIN and gives another last bit)
@example(x=2.225073858507203e-309, y=1e-310, which=1)
@example(x=5e-324, y=5e-324, which=1)
@example(x=1.5e-308, y=3e-309, which=1)
def test_math_binary(x, y, which):
    agree(m_binary, x, y, which)


@SETTINGS
@given(n=st.one_of(st.integers(0, INT64_MAX), st.integers(-5, 10**6), st.integers(2**63, 2**70)))
def test_math_isqrt(n):
    agree(m_isqrt, n)


def m_isqrt(n):
    return math.isqrt(n)
