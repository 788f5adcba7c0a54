"""Differential tests: every function here runs under pyvorin.jit and under CPython 3.11 on many
inputs (negative, zero, int64 and 2**53 edges, beyond int64, inf/nan/-0.0/subnormal) and must give
the same value, the same type, bit-identical floats and the same exception type and message.
Covers every scalar row of /work/shared/design/SEMANTICS.md."""
import math

import pytest

import pyvorin
from pyvorin_testutil import (INT64_MAX, INT64_MIN, check, check_all, cpython_outcome, jitted,
                              line_of, pure_cpython, py_of, run, run_python, same_value)

INF = float("inf")
NAN = float("nan")
NEG_NAN = -NAN          # a NaN with the sign bit set: math.copysign(1.0, NEG_NAN) == -1.0

# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------
BIG = [2**63, -2**63 - 1, 2**64 + 5, 10**30, -(10**30)]          # beyond int64: CPython path
INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 10, -10, 255, 2**31, -2**31, 2**53, 2**53 + 1,
        -(2**53) - 1, 2**62, -2**62, 2**63 - 2, INT64_MAX, INT64_MIN, INT64_MIN + 1] + BIG
SMALL_INTS = [0, 1, -1, 2, -2, 3, -3, 7, -7, 13, -13]
FLOATS = [0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 1.5, 2.5, -2.5, 3.0, -7.5, 0.1, 1e-300, 5e-324,
          -5e-324, 2.2250738585072014e-308, 1e16, 9007199254740992.0, 2.0**63, -2.0**63, 1e308,
          -1e308, INF, -INF, NAN, NEG_NAN]
SMALL_FLOATS = [0.0, -0.0, 0.5, -2.5, 3.0, 1e-300, INF, -INF, NAN]
MIXED_INTS = [0, 1, -1, 3, -7, 2**53, 2**53 + 1, INT64_MAX, INT64_MIN, 2**63, -(10**30)]
BOOLS = [True, False]


def pairs(xs, ys=None):
    ys = xs if ys is None else ys
    return [(x, y) for x in xs for y in ys]


def singles(xs):
    return [(x,) for x in xs]


# All numeric pairs: int/int, float/float, int/float, float/int, bool with everything.
NUMERIC_PAIRS = (pairs(INTS) + pairs(FLOATS) + pairs(MIXED_INTS, FLOATS) + pairs(FLOATS, MIXED_INTS)
                 + pairs(BOOLS, BOOLS + [0, 1, -1, 2, 0.5, -0.0]) + pairs([0, 1, -1, 2, 0.5], BOOLS))
INT_PAIRS = pairs(INTS) + pairs(BOOLS, BOOLS + [0, 1, -1, 2]) + pairs([0, 1, -3], BOOLS)


# ---------------------------------------------------------------------------------------------
# Arithmetic, comparison, boolean, bitwise and unary operators
# ---------------------------------------------------------------------------------------------
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


def op_pos(a):
    return +a


def cmp_lt(a, b):
    return a < b


def cmp_le(a, b):
    return a <= b


def cmp_eq(a, b):
    return a == b


def cmp_ne(a, b):
    return a != b


def cmp_gt(a, b):
    return a > b


def cmp_ge(a, b):
    return a >= b


def chained2(a, b, c):
    return a < b <= c


def chained3(a, b, c):
    return a == b != c > a


def bool_or(a, b):
    return a or b


def bool_and(a, b):
    return a and b


def bool_mix(a, b, c):
    return a and b or c


def bool_not_or(a, b):
    return not a or b


def truthy(x):
    if x:
        return 1
    return 0


def is_even(n):
    return n % 2 == 0


def in_range(x):
    return 0 <= x < 10


def bool_sum(a, b):
    return (a > 0) + (b > 0)


def bool_bitand(a, b):
    return (a > 0) & (b > 0)


POW_EXPONENTS = [-3, -2, -1, 0, 1, 2, 3, 5, 31, 62, 63, 64, 65]
POW_PAIRS = (pairs(INTS, POW_EXPONENTS) + pairs([0, 1, -1], [INT64_MAX, 2**63, 10**30])
             + pairs(FLOATS) + pairs([2, -2, 0, 10, -8], [0.5, -0.5, 1.0 / 3, 2.0, -1.0, 1e10, INF])
             + pairs([0.0, -0.0, 2.0, -8.0, 0.5, 1e300, -1e300, INF, NAN], [-3, -1, 0, 1, 2, 3, 1000])
             + pairs(BOOLS, [True, False, 2, -1, 0.5]))
SHIFT_COUNTS = [-1, -64, 0, 1, 2, 31, 32, 62, 63, 64, 65, 70, 127, 128, 200]
SHIFT_PAIRS = (pairs(INTS, SHIFT_COUNTS) + pairs([0], [INT64_MAX, 2**63, 10**30])
               + pairs([1, -1, INT64_MIN], [INT64_MAX, 2**63]) + pairs(BOOLS, [True, False, 3])
               + pairs([1.0, 2.5], [1, 2]) + pairs([1, 2], [1.0]))
BITWISE_PAIRS = INT_PAIRS + pairs([1.0, -0.0], [1, 3]) + pairs([3], [1.5])
CHAIN_VALUES = [-1, 0, 1, 2**53, 2**53 + 1, 9007199254740992.0, 0.5, NAN, INT64_MAX, 2**63]
TRIPLES = [(a, b, c) for a in CHAIN_VALUES for b in CHAIN_VALUES for c in [-1, 0, 1, 2**53, NAN]]
UNARY = singles(INTS + FLOATS + BOOLS)

OPERATOR_CASES = [
    (op_add, NUMERIC_PAIRS),
    (op_sub, NUMERIC_PAIRS),
    (op_mul, NUMERIC_PAIRS),
    (op_truediv, NUMERIC_PAIRS),
    (op_floordiv, NUMERIC_PAIRS),
    (op_mod, NUMERIC_PAIRS),
    (op_pow, POW_PAIRS),
    (op_lshift, SHIFT_PAIRS),
    (op_rshift, SHIFT_PAIRS + pairs([1, -1, 5, -5], [10**30])),
    (op_and, BITWISE_PAIRS),
    (op_or, BITWISE_PAIRS),
    (op_xor, BITWISE_PAIRS),
    (op_neg, UNARY),
    (op_pos, UNARY),
    (op_invert, UNARY),
    (op_not, UNARY),
    (cmp_lt, NUMERIC_PAIRS),
    (cmp_le, NUMERIC_PAIRS),
    (cmp_eq, NUMERIC_PAIRS),
    (cmp_ne, NUMERIC_PAIRS),
    (cmp_gt, NUMERIC_PAIRS),
    (cmp_ge, NUMERIC_PAIRS),
    (chained2, TRIPLES),
    (chained3, TRIPLES),
    (bool_or, NUMERIC_PAIRS),
    (bool_and, NUMERIC_PAIRS),
    (bool_mix, [(a, b, c) for a in [0, 1, 0.0, -0.0, NAN, True, False]
                for b in [0, 2, 0.0, 2.5, False] for c in [0, 3, 0.0, 3.5, True]]),
    (bool_not_or, NUMERIC_PAIRS),
    (truthy, UNARY),
    (is_even, singles(INTS + BOOLS + [0.0, 2.0, 3.0, -1.0, INF, NAN])),
    (in_range, singles(INTS + FLOATS + BOOLS)),
    (bool_sum, pairs([-2, 0, 3, 2**63, -0.0, 0.5], [-2, 0, 3, NAN])),
    (bool_bitand, pairs([-2, 0, 3, 2**63, -0.0, 0.5], [-2, 0, 3, NAN])),
]


# ---------------------------------------------------------------------------------------------
# Control flow
# ---------------------------------------------------------------------------------------------
def sign(x):
    if x > 0:
        return 1
    elif x < 0:
        return -1
    else:
        return 0


def classify(x):
    if x < -100:
        return -2
    elif x < 0:
        return -1
    elif x == 0:
        return 0
    elif x <= 100:
        return 1
    return 2


def collatz_steps(n):
    steps = 0
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def sum_range1(n):
    s = 0
    for i in range(n):
        s += i
    return s


def sum_range2(a, b):
    s = 0
    for i in range(a, b):
        s += i
    return s


def sum_range3(a, b, step):
    s = 0
    for i in range(a, b, step):
        s = s * 3 + i
    return s


def count_range(a, b, step):
    c = 0
    for i in range(a, b, step):
        c += 1
    return c


def loop_var_last(a, b, step):
    for i in range(a, b, step):
        pass
    return i


def loop_var_break(n):
    for i in range(100):
        if i * i >= n:
            break
    return i


def first_divisor(n):
    for d in range(2, n):
        if n % d == 0:
            break
    else:
        return n
    return d


def while_else(n):
    i = 0
    while i < n:
        if i * i == n:
            break
        i += 1
    else:
        return -1
    return i


def skip_multiples(n):
    total = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        if i > 50:
            break
        total += i
    return total


def nested_loops(n):
    count = 0
    for i in range(n):
        for j in range(i):
            if (i + j) % 5 == 0:
                continue
            if j > 7:
                break
            count += i ^ j
    return count


def while_continue(n):
    i = 0
    s = 0
    while i < n:
        i += 1
        if i % 2:
            continue
        s += i
    return s


def countdown(n):
    s = 0
    for i in range(n, 0, -1):
        s = s * 2 + i
        if s > 1000000:
            s = s % 1000
    return s


def cond_expr(a, b):
    return a if a > b else b


def clamp(x, lo, hi):
    return lo if x < lo else (hi if x > hi else x)


def with_pass(x):
    if x > 0:
        pass
    else:
        x = -x
    while False:
        pass
    return x


def with_docstring(x):
    """A docstring is not a string expression that the function uses."""
    return x + 1


def returns_none(x):
    y = x + 1
    return None


def implicit_none(x):
    y = x * 2


def none_or_int(x):
    if x > 0:
        return x


def maybe_unbound(flag):
    if flag > 0:
        y = 5
    return y


# ---------------------------------------------------------------------------------------------
# Assignment forms
# ---------------------------------------------------------------------------------------------
def multi_assign(x):
    a = b = c = x
    a += 1
    b *= 2
    return a + b - c


def fib_iter(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, a + b
    return a


def swap3(a, b, c):
    a, b, c = c, a, b
    return a * 100 + b * 10 + c


def aug_int(a, b):
    x = a
    x += b
    x -= 3
    x *= 2
    x //= 3
    x %= 1000003
    x **= 2
    x <<= 3
    x >>= 1
    x &= 0xFFFFFF
    x |= 0x100
    x ^= b
    return x


def aug_float(a, b):
    x = a
    x /= b
    x += 1.5
    x *= b
    x -= a
    x //= 0.25
    x %= 7.0
    x **= 2
    return x


# ---------------------------------------------------------------------------------------------
# int64 overflow must stay exact (rerun in CPython)
# ---------------------------------------------------------------------------------------------
def sum_squares(n):
    s = 0
    for i in range(n):
        s += i * i
    return s


def two_62():
    return 2**62 + 2**62


def two_62_var(k):
    x = 2**62
    return x + x * k


def mul_then_div(a, b):
    return a * b // b


def grow(n):
    x = 1
    for i in range(n):
        x = x * 3 + 1
    return x % 1000000007


# ---------------------------------------------------------------------------------------------
# Builtins
# ---------------------------------------------------------------------------------------------
def b_abs(x):
    return abs(x)


def b_min2(a, b):
    return min(a, b)


def b_max2(a, b):
    return max(a, b)


def b_min3(a, b, c):
    return min(a, b, c)


def b_max3(a, b, c):
    return max(a, b, c)


def b_divmod(a, b, which):
    q, r = divmod(a, b)
    if which:
        return q
    return r


def b_round1(x):
    return round(x)


def b_round2(x, n):
    return round(x, n)


def b_int(x):
    return int(x)


def b_float(x):
    return float(x)


def b_bool(x):
    return bool(x)


MINMAX_VALUES = [0, -0.0, 0.0, 1, 1.0, True, -1, NAN, INF, 2**53 + 1, 9007199254740992.0,
                 INT64_MIN, 2**63]
ROUND_FLOATS = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.0, 0.0, 2.675,
                1.005, 4503599627370497.0, 1e15 + 0.5, 1e300, -1e300, 9.2e18, 9.3e18,
                -9.223372036854775808e18, 123.456, -123.456, 5e-324, INF, -INF, NAN]

BUILTIN_CASES = [
    (b_abs, singles(INTS + FLOATS + BOOLS)),
    (b_min2, pairs(MINMAX_VALUES)),
    (b_max2, pairs(MINMAX_VALUES)),
    (b_min3, [(a, b, c) for a in [1, 1.0, NAN, -0.0] for b in [1, 0.0, 2**63, True]
              for c in [1.0, 0, INT64_MAX, NAN]]),
    (b_max3, [(a, b, c) for a in [1, 1.0, NAN, -0.0] for b in [1, 0.0, 2**63, True]
              for c in [1.0, 0, INT64_MAX, NAN]]),
    (b_divmod, [(a, b, w) for (a, b) in pairs([7, -7, 0, 1, INT64_MIN, INT64_MAX, 2**63, 7.5,
                                               -7.5, -0.0, INF, NAN],
                                              [2, -2, 1, -1, 0, 2.0, -2.0, 0.0, INF])
                for w in [0, 1]]),
    (b_round1, singles(ROUND_FLOATS + INTS + BOOLS)),
    (b_round2, pairs(ROUND_FLOATS, [-2, -1, 0, 1, 2, 3, 10, 400, -400])
     + pairs([0, 5, 15, 25, -25, 1234, -1235, INT64_MAX, INT64_MIN, 2**63], [-400, -19, -2, -1, 0, 2])),
    (b_int, singles(ROUND_FLOATS + INTS + BOOLS + [9.223372036854775e18, 2.0**63, -2.0**63])),
    (b_float, singles(INTS + FLOATS + BOOLS + [10**400])),
    (b_bool, singles(INTS + FLOATS + BOOLS)),
]


# ---------------------------------------------------------------------------------------------
# The math module
# ---------------------------------------------------------------------------------------------
def m_sqrt(x):
    return math.sqrt(x)


def m_sin(x):
    return math.sin(x)


def m_cos(x):
    return math.cos(x)


def m_tan(x):
    return math.tan(x)


def m_exp(x):
    return math.exp(x)


def m_log(x):
    return math.log(x)


def m_log_base(x, base):
    return math.log(x, base)


def m_log2(x):
    return math.log2(x)


def m_log10(x):
    return math.log10(x)


def m_floor(x):
    return math.floor(x)


def m_ceil(x):
    return math.ceil(x)


def m_fabs(x):
    return math.fabs(x)


def m_pow(x, y):
    return math.pow(x, y)


def m_isqrt(n):
    return math.isqrt(n)


def m_hypot(x, y):
    return math.hypot(x, y)


def m_atan2(y, x):
    return math.atan2(y, x)


def m_hypot_rounding(x, y):
    return math.hypot(x, y)


def m_erf(x):
    return math.erf(x)


def m_erfc(x):
    return math.erfc(x)


def m_asinh(x):
    return math.asinh(x)


def m_acosh(x):
    return math.acosh(x)


def m_atanh(x):
    return math.atanh(x)


def m_cbrt(x):
    return math.cbrt(x)


def m_exp2(x):
    return math.exp2(x)


def m_consts(k):
    if k == 0:
        return math.pi
    elif k == 1:
        return math.e
    elif k == 2:
        return math.inf
    elif k == 3:
        return -math.inf
    return math.nan


def m_circle(r):
    return math.pi * r * r + math.e


MATH_X = [0.0, -0.0, 0.5, 1.0, -1.0, 2.0, 10.0, 100.0, 1000.0, -1000.0, 709.0, 710.0, 1e-300,
          5e-324, 1e308, math.pi / 2, INF, -INF, NAN, NEG_NAN, 0, 1, 2, -3, 8, 1000, INT64_MAX, 2**63,
          2**1000, True]
MATH_PAIRS = pairs([0.0, -0.0, 1.0, -1.0, 2.0, -8.0, 1e308, 0.5, INF, -INF, NAN, NEG_NAN, 3, -2, 0],
                   [0.0, -0.0, 1.0, -1.0, 2.0, 1.0 / 3, 0.5, 1e308, INF, -INF, NAN, NEG_NAN, 2, -1, 0])

MATH_CASES = [
    (m_sqrt, singles(MATH_X)),
    (m_sin, singles(MATH_X)),
    (m_cos, singles(MATH_X)),
    (m_tan, singles(MATH_X)),
    (m_exp, singles(MATH_X)),
    (m_log, singles(MATH_X)),
    (m_log_base, pairs([8.0, 1.0, 0.0, -1.0, 8, 100, INF, NAN, 2**1000], [2.0, 10, 0.5, 1.0, 0, -2.0, 1])),
    (m_log2, singles(MATH_X)),
    (m_log10, singles(MATH_X)),
    (m_floor, singles(MATH_X + ROUND_FLOATS + INTS)),
    (m_ceil, singles(MATH_X + ROUND_FLOATS + INTS)),
    (m_fabs, singles(MATH_X + INTS)),
    (m_pow, MATH_PAIRS),
    (m_isqrt, singles([0, 1, 2, 3, 4, 15, 16, 17, 10**12, 10**18, INT64_MAX, -1, INT64_MIN,
                       2**63, 10**30, True, False, 2.0])),
    (m_hypot, MATH_PAIRS),
    (m_atan2, MATH_PAIRS),
    # CPython 3.11's hypot is its own accurately rounded algorithm, not the C library's hypot:
    # these differ in the last bit between the two (about 1 in 1000 random pairs).
    (m_hypot_rounding, [(8.326833353050699, -1.5521082461234137),
                        (73.45009835881328, 72.90580373839862),
                        (-0.01597480961571298, -0.015233194209542767),
                        (1.2361346739308478e+308, 1.2362692570735638e+308), (3.0, 4.0)]),
    # libm's, as CPython calls them: domain errors (acosh(0.5), atanh(1)) and exp2's overflow
    (m_erf, singles(MATH_X + [-30.0, 6.0, 1e-10])),
    (m_erfc, singles(MATH_X + [-30.0, 27.0, 30.0])),
    (m_asinh, singles(MATH_X)),
    (m_acosh, singles(MATH_X + [1.0000000000000002, 0.9999999999999999])),
    (m_atanh, singles(MATH_X + [0.9999999999999999, -0.9999999999999999])),
    (m_cbrt, singles(MATH_X + [-27.0, 1e-310])),
    (m_exp2, singles(MATH_X + [1023.9, 1024.0, -1074.0, -1075.0])),
    (m_consts, singles([0, 1, 2, 3, 4])),
    (m_circle, singles([0, 1, 2.5, -3, 1e200, NAN])),
]


# ---------------------------------------------------------------------------------------------
# A variable that is int on one path and float on another keeps CPython's run-time type
# ---------------------------------------------------------------------------------------------
def half_sum(n):
    total = 0
    for i in range(n):
        total += 0.5
    return total


def int_or_float(flag):
    x = 1
    if flag:
        x = 2.5
    return x


def div_or_zero(a, b):
    if b == 0:
        return 0
    return a / b


def mixed_loop(n):
    x = 0
    i = 0
    while i < n:
        if i == 3:
            x = x / 2
        x += i
        i += 1
    return x


# ---------------------------------------------------------------------------------------------
# Float results must be bit-identical (no fast-math, no FMA contraction, no reassociation)
# ---------------------------------------------------------------------------------------------
def fma_candidate(a, b, c):
    return a * b + c


def harmonic(n):
    s = 0.0
    for i in range(1, n + 1):
        s += 1.0 / i
    return s


def poly(x):
    return ((2.5 * x - 1.25) * x + 0.75) * x - 3.0


def float_accumulate(n):
    s = 0.0
    for i in range(n):
        x = i * 0.1
        s += x * x - x
    return s


def float_range_sum(n):
    s = 0.0
    for i in range(n):
        s = s + 0.1
    return s


def mandel_iters(cr, ci, limit):
    zr = 0.0
    zi = 0.0
    n = 0
    while n < limit and zr * zr + zi * zi <= 4.0:
        zr, zi = zr * zr - zi * zi + cr, 2.0 * zr * zi + ci
        n += 1
    return n


def int_float_mix(a, b):
    return a + b * 0.5 - a / 3


# ---------------------------------------------------------------------------------------------
# More shapes: loop variables, range evaluated once, shadowed builtins, mixed operands
# ---------------------------------------------------------------------------------------------
def loopvar_modified(n):
    s = 0
    for i in range(n):
        i += 10
        s += i
    return s + i


def range_evaluated_once(n):
    c = 0
    for i in range(n):
        n -= 1
        c += 1
    return c * 100 + n


def shadow_builtin(x):
    max = 3
    abs = x * 2
    return max + abs


def range_of_arg(x):
    c = 0
    for i in range(x):
        c += 1
    return c


def halve_until_zero(x):
    n = 0
    while x:
        x = x / 2 if x > 1e-300 else 0.0
        n += 1
    return n


def nan_self(x):
    return (x == x) + (x != x) * 2


def log_of_int(x):
    return math.log(x) + math.log2(x) + math.log10(x) + math.sqrt(x)


def divmod_mixed(a, b):
    q, r = divmod(a, b)
    return q * 1000.0 + r


def bool_operands(a, b):
    return a // b + a % b + a ** b


def not_chain(a, b, c):
    if not (a < b < c) and (a or c):
        return a
    return c


def int_of_int(x):
    return int(x) + int(True) + int(-0.0)


def ifexp_bools(x):
    return x > 0 if x else x < -1


def pow_then_mod(a, b):
    return (a ** b) % 1000


def float_floor_mod(x, y):
    return x // y + x % y * 1000.0


def sqrt_pow(x):
    return x ** 0.5 + x ** -0.5


K_GLOBAL = 10


def uses_global_int(x):
    return x * K_GLOBAL


def bool_becomes_int(n):
    flag = n > 0
    flag += 1
    return flag


def bool_and_loop(n):
    x = True
    for i in range(n):
        x = x & (i < 5)
    return x


def bool_or_loop(n):
    total = False
    for i in range(n):
        total = total or i > 3
    return total


def bool_xor_invert(a, b):
    c = a < b
    d = c ^ True
    e = ~c
    return d + e * 10


def bool_increment(n):
    k = 0
    while k < n and not (k > 100):
        k += True
    return k


def neg_or_pos(x):
    return -x if x else +x


def max_of_bools(a, b):
    return max(a > b, a < b) + min(a, b)


def huge_range_break(lo, step):
    for i in range(lo, 2**63 - 1, step):
        if i > lo + 5:
            break
    return i


def first_error_wins(x, b):
    return int(x) + (1 // b)


def first_error_wins_rev(x, b):
    return (1 // b) + int(x)


def sqrt_then_div(a, b):
    return math.sqrt(a) + 1 // b


def guarded_div(a, b):
    return a // b if b else 0


def no_arg_builtins():
    return float() + int() + bool()


def float_from_str(k):
    if k == 0:
        return float("inf")
    elif k == 1:
        return float("-Infinity")
    elif k == 2:
        return float("nan")
    elif k == 3:
        return float("1.5")
    elif k == 4:
        return float("-nan")
    elif k == 5:
        return float("-0")
    return float("abc")


def step_until(n, step):
    i = 0
    c = 0
    while i < n:
        i += step
        c += 1
    return c * 1000 + i % 1000


def countdown_ratio(n):
    s = 0.0
    for i in range(n, -n, -1):
        s += i / (i if i else 1)
    return s


MORE_CASES = [
    (loopvar_modified, singles([-1, 0, 1, 5])),
    (range_evaluated_once, singles([-2, 0, 5])),
    (shadow_builtin, singles([2, 2.5, INT64_MAX])),
    (range_of_arg, singles([2.5, 3, -3, True, -2**63 - 1])),
    (halve_until_zero, singles([1.0, 1e10, 0.0, -0.0, 5, NAN, 1e308])),
    (nan_self, singles([NAN, NEG_NAN, 1.0, 3, INF])),
    (log_of_int, singles([2**62 + 1, 2**53 + 1, INT64_MAX, 3, True, 2**1000, 0, -1])),
    (divmod_mixed, pairs([7, -7.5, 1e308, -0.0, INT64_MAX, 2**63], [2.0, -0.5, 1e-308, 3, 0.0, INF])),
    (bool_operands, pairs(BOOLS, [True, 2, -1]) + pairs([2, -3, 0.5], BOOLS)),
    (not_chain, [(1, 2, 3), (3, 2, 1), (0, 0, 0), (0.5, 0, 1), (NAN, 0, 1)]),
    (int_of_int, singles([3, 2.5, True, -2.5, INT64_MAX, 2**63])),
    (ifexp_bools, singles([0, 3, -3, 0.0, NAN, True])),
    (pow_then_mod, pairs([3, 7, -3, 2], [2, 39, 40, 41, 63, 64, 100])),
    (float_floor_mod, pairs([-0.0, 0.0, 5.0, -5.0, -1e-320, 1e-320, 1e308, -1.0],
                            [1.0, -1.0, 1e300, -1e300, 1e-320, 3.0, -0.0])),
    (sqrt_pow, singles([4.0, 0.0, -0.0, 5e-324, INF, -4.0, 2, NAN])),
    (uses_global_int, singles([3, 1.5, INT64_MAX])),
    (bool_becomes_int, singles([0, 5, -1.5])),
    (bool_and_loop, singles([0, 3, 9])),
    (bool_or_loop, singles([0, 3, 9])),
    (bool_xor_invert, pairs([1, 2, 1.5], [1, 2, NAN])),
    (bool_increment, singles([0, 5, 500, -1])),
    (neg_or_pos, singles([True, False, 0, 3, -0.0, 2.5, INT64_MIN, NAN])),
    (max_of_bools, pairs([1, 2, 1.5, True, INT64_MIN], [2, 1, 1.5, False])),
    (countdown_ratio, singles([0, 3, -2, 100])),
    (huge_range_break, pairs([INT64_MIN, -5, 0], [1, 2, 2**62])),
    (first_error_wins, pairs([NAN, INF, 2.5], [0, 2])),
    (first_error_wins_rev, pairs([NAN, INF, 2.5], [0, 2])),
    (sqrt_then_div, pairs([-1.0, 4.0], [0, 3])),
    (guarded_div, pairs([5, INT64_MIN], [0, 2, -1])),
    (no_arg_builtins, [()]),
    (step_until, [(INT64_MAX, 2**62), (INT64_MAX, 2**61 + 1), (10, 3), (-5, 1), (INT64_MAX - 1, INT64_MAX),
                  (2**63, 2**62)]),
    (float_from_str, singles(range(7))),
]


# ---------------------------------------------------------------------------------------------
# Calls between jitted functions and recursion (globals referring to dispatchers)
# ---------------------------------------------------------------------------------------------
@pyvorin.jit
def sq(x):
    return x * x


@pyvorin.jit
def sum_of_sq(n):
    s = 0
    for i in range(n):
        s += sq(i)
    return s


@pyvorin.jit
def hyp_call(a, b):
    return math.sqrt(sq(a) + sq(b))


@pyvorin.jit
def fib_rec(n):
    if n < 2:
        return n
    return fib_rec(n - 1) + fib_rec(n - 2)


@pyvorin.jit
def fact(n):
    if n <= 1:
        return 1
    return n * fact(n - 1)


@pyvorin.jit
def gcd_rec(a, b):
    if b == 0:
        return a
    return gcd_rec(b, a % b)


@pyvorin.jit
def is_even_rec(n):
    if n == 0:
        return True
    return is_odd_rec(n - 1)


@pyvorin.jit
def is_odd_rec(n):
    if n == 0:
        return False
    return is_even_rec(n - 1)


@pyvorin.jit
def ackermann(m, n):
    if m == 0:
        return n + 1
    if n == 0:
        return ackermann(m - 1, 1)
    return ackermann(m - 1, ackermann(m, n - 1))


@pyvorin.jit
def power_rec(b, e):
    if e == 0:
        return 1
    half = power_rec(b, e // 2)
    if e % 2:
        return half * half * b
    return half * half


def calls_jitted(a, b):
    return gcd_rec(a, b) + sq(a - b)


CONTROL_CASES = [
    (sign, singles(INTS + FLOATS + BOOLS)),
    (classify, singles(INTS + FLOATS)),
    (collatz_steps, singles(list(range(1, 60)) + [97, 871, 27, 2**40 + 1, 2**62 + 1,
                                                     INT64_MAX, 2**63 + 1, 10**30 + 1])),
    (sum_range1, singles([-5, 0, 1, 2, 10, 1000, True, False])),
    (sum_range2, pairs([-10, -1, 0, 3], [-10, 0, 1, 7]) + [(INT64_MAX - 3, INT64_MAX),
                                                          (INT64_MIN, INT64_MIN + 3),
                                                          (2**63, 2**63 + 2)]),
    (sum_range3, [(a, b, s) for a in [-10, -3, 0, 3, 10] for b in [-10, -3, 0, 3, 10]
                  for s in [-3, -2, -1, 1, 2, 3]]),
    (count_range, [(a, b, s) for a in [-10, -3, 0, 3, 10] for b in [-10, -3, 0, 3, 10]
                   for s in [-3, -2, -1, 0, 1, 2, 3]]
     + [(INT64_MAX - 3, INT64_MAX, 1), (INT64_MAX, INT64_MAX - 5, -2), (INT64_MIN, INT64_MAX, 2**62),
        (0, INT64_MAX, 2**62), (INT64_MAX, INT64_MIN, -2**62), (INT64_MIN + 2, INT64_MIN, -1),
        (0, 10, INT64_MAX), (0, -10, INT64_MIN), (5, 2**63, 2**62), (0, 1, 2**63)]),
    (loop_var_last, [(a, b, s) for a in [-4, 0, 4] for b in [-4, 0, 4] for s in [-3, -1, 1, 2]]
     + [(0, INT64_MAX, 2**62), (INT64_MAX, INT64_MIN, -2**62), (0, 5, 0)]),
    (loop_var_break, singles([0, 1, 2, 50, 99, 10000, 100000, 2**62])),
    (first_divisor, singles(list(range(-2, 60)) + [97, 7919, 7917])),
    (while_else, singles([-1, 0, 1, 2, 3, 4, 15, 16, 17, 81, 82])),
    (skip_multiples, singles([-1, 0, 1, 5, 40, 100])),
    (nested_loops, singles([0, 1, 5, 20, 40])),
    (while_continue, singles([-3, 0, 1, 7, 100])),
    (countdown, singles([-2, 0, 1, 10, 64])),
    (cond_expr, NUMERIC_PAIRS),
    (clamp, [(x, lo, hi) for x in [-5, 0, 5, 10, 15, 2.5, NAN, 2**63] for lo in [0, 0.5]
             for hi in [10, 9.5]]),
    (with_pass, singles(INTS + FLOATS)),
    (with_docstring, singles([0, -1, INT64_MAX, 1.5])),
    (returns_none, singles([0, 1, INT64_MAX, 1.5])),
    (implicit_none, singles([0, 1, INT64_MAX, 1.5])),
    (none_or_int, singles([-1, 0, 1, 2.5, -2.5])),
    (maybe_unbound, singles([-1, 0, 1, 2.5])),
    (multi_assign, singles(INTS + FLOATS)),
    (fib_iter, singles([-1, 0, 1, 2, 10, 50, 90, 91, 92, 93, 100, 300])),
    (swap3, [(a, b, c) for a in [0, 1, -7] for b in [2, 2**60] for c in [3, 0.5]]),
    (aug_int, pairs([0, 1, -5, 1000, 2**40, INT64_MAX, INT64_MIN, 2**63], [0, 3, -3, 2**62])),
    (aug_float, pairs([0.0, 1.5, -2.25, 7, -3, 1e300], [0.5, -4.0, 3, 0, 0.0])),
    (sum_squares, singles([0, 1, 10, 1000, 3024617, 3024618])),  # 3024618: first n past int64
    (two_62, [()]),
    (two_62_var, singles([-1, 0, 1, 2, 3])),
    (mul_then_div, pairs([1, -1, 3, 2**40, -2**40, INT64_MAX], [1, -1, 2**40, 2**62, INT64_MIN])),
    (grow, singles([0, 5, 39, 40, 41, 100])),
    (half_sum, singles([0, 1, 2, 5])),
    (int_or_float, singles([0, 1, True, False, 0.0])),
    (div_or_zero, pairs([0, 1, 7, -7], [0, 2, -2])),
    (mixed_loop, singles([0, 2, 3, 4, 10])),
    (fma_candidate, [(0.1, 10.0, -1.0), (1.0 / 3, 3.0, -1.0), (1e308, 10.0, -INF),
                     (0.1, 0.1, -0.01), (2, 3, 4), (2**53 + 1, 1.0, 0.0), (1e-300, 1e-300, 0.0),
                     (-0.0, 0.0, -0.0), (0.0, -1.0, -0.0)]),
    (harmonic, singles([0, 1, 10, 1000, 100000])),
    (poly, singles([0.0, 0.1, -0.3, 1.0 / 3, 1e10, -1e100, 2, NAN])),
    (float_accumulate, singles([0, 10, 12345])),
    (float_range_sum, singles([0, 10, 1000])),
    (mandel_iters, [(cr, ci, 200) for cr in [-2.0, -0.75, -0.1, 0.25, 0.3]
                    for ci in [0.0, 0.1, 0.65, 1.0]]),
    (int_float_mix, pairs([0, 3, -7, 2**53 + 1, INT64_MAX, 2**63, 1.5], [0, 1, -1, 0.1, 2**63])),
    (sq, singles(INTS + FLOATS)),
    (sum_of_sq, singles([0, 1, 100, 10000, 3024618])),
    (hyp_call, pairs([0, 3, -4, 1.5, 2**32, 2**62], [4, 0.5, -12])),
    (fib_rec, singles([0, 1, 2, 10, 20])),
    (fact, singles([0, 1, 5, 20, 21, 25, -3])),
    (gcd_rec, pairs([0, 12, -12, 17, INT64_MAX, INT64_MIN, 2**63], [0, 18, -8, 5, INT64_MAX])),
    (is_even_rec, singles([0, 1, 10, 101, 300])),
    (ackermann, pairs([0, 1, 2], [0, 1, 3]) + [(3, 3)]),
    (power_rec, pairs([2, 3, -3, 10], [0, 1, 10, 39, 40, 63, 64, 100])),
    (calls_jitted, pairs([12, -12, 2**31, INT64_MAX], [18, 5, -1])),
]

ALL_CASES = OPERATOR_CASES + BUILTIN_CASES + MATH_CASES + CONTROL_CASES + MORE_CASES


@pytest.mark.parametrize("fn,argsets", ALL_CASES, ids=[py_of(c[0]).__name__ for c in ALL_CASES])
def test_same_as_cpython(fn, argsets):
    check_all(fn, argsets)


def test_enough_distinct_functions():
    names = {py_of(fn).__name__ for fn, _ in ALL_CASES}
    names |= {py_of(f).__name__ for f in PRINT_FUNCTIONS}
    assert len(names) >= 60, sorted(names)


# ---------------------------------------------------------------------------------------------
# Specific SEMANTICS.md rows, spelled out (these also run in ALL_CASES through the generic ops)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fn,args,expected", [
    (op_floordiv, (-7, 2), -4), (op_mod, (-7, 2), 1), (op_mod, (7, -2), -1), (op_floordiv, (7, -2), -4),
    (op_truediv, (7, 2), 3.5), (op_truediv, (10, 5), 2.0), (op_mod, (-7.5, 2.0), 0.5),
    (op_pow, (2, -2), 0.25), (op_pow, (0, 0), 1), (op_pow, (2, 10), 1024), (op_pow, (-2, 63), -2**63),
    (op_lshift, (1, 70), 2**70), (op_invert, (5,), -6), (op_add, (2**62, 2**62), 2**63),
    (bool_or, (0, 5), 5), (bool_and, (3, 0.0), 0.0), (op_not, (0,), True), (cmp_lt, (1, 2), True),
    (b_round1, (2.5,), 2), (b_round1, (-0.5,), 0), (b_round2, (2.675, 2), 2.67), (b_int, (-2.7,), -2),
    (m_floor, (-0.5,), -1), (m_ceil, (0.5,), 1), (b_min2, (1, 1.0), 1), (b_max2, (1.0, 1), 1.0),
    (op_add, (1, 0.5), 1.5), (half_sum, (0,), 0), (half_sum, (3,), 1.5), (two_62, (), 2**63),
    (op_mul, (INT64_MAX, INT64_MAX), INT64_MAX * INT64_MAX), (op_neg, (INT64_MIN,), 2**63),
    (b_abs, (INT64_MIN,), 2**63), (op_floordiv, (INT64_MIN, -1), 2**63), (op_mod, (INT64_MIN, -1), 0),
    (fib_iter, (100,), 354224848179261915075), (fact, (25,), math.factorial(25)),
    (cmp_eq, (2**53 + 1, 9007199254740992.0), False), (cmp_gt, (2**53 + 1, 9007199254740992.0), True),
    (cmp_lt, (INT64_MAX, 2.0**63), True), (cmp_eq, (INT64_MIN, -2.0**63), True),
    (count_range, (INT64_MIN, INT64_MAX, 2**62), 4), (loop_var_last, (10, 0, -3), 1),
    (op_and, (True, False), False), (op_or, (True, False), True), (bool_sum, (1, 1), 2),
])
def test_semantics_rows(fn, args, expected):
    got = run(jitted(fn), *args)
    assert got.exc is None, "%s%r raised %r" % (py_of(fn).__name__, args, got.exc)
    assert same_value(expected, got.value), "%s%r: expected %r (%s), got %r (%s)" % (
        py_of(fn).__name__, args, expected, type(expected).__name__, got.value,
        type(got.value).__name__)


@pytest.mark.parametrize("fn,args,exc,message", [
    (op_truediv, (1, 0), ZeroDivisionError, "division by zero"),
    (op_floordiv, (1, 0), ZeroDivisionError, "integer division or modulo by zero"),
    (op_mod, (1, 0), ZeroDivisionError, "integer modulo by zero"),
    (op_truediv, (1.0, 0.0), ZeroDivisionError, "float division by zero"),
    (op_floordiv, (1.0, 0.0), ZeroDivisionError, "float floor division by zero"),
    (op_mod, (1.0, -0.0), ZeroDivisionError, "float modulo"),
    (op_truediv, (1, 0.0), ZeroDivisionError, "float division by zero"),
    (op_pow, (0, -1), ZeroDivisionError, "0.0 cannot be raised to a negative power"),
    (op_pow, (0.0, -1.0), ZeroDivisionError, "0.0 cannot be raised to a negative power"),
    (op_lshift, (1, -1), ValueError, "negative shift count"),
    (op_rshift, (1, -1), ValueError, "negative shift count"),
    (count_range, (0, 10, 0), ValueError, "range() arg 3 must not be zero"),
    (b_int, (NAN,), ValueError, "cannot convert float NaN to integer"),
    (b_int, (INF,), OverflowError, "cannot convert float infinity to integer"),
    (b_round1, (NAN,), ValueError, "cannot convert float NaN to integer"),
    (b_round1, (-INF,), OverflowError, "cannot convert float infinity to integer"),
    (m_floor, (INF,), OverflowError, "cannot convert float infinity to integer"),
    (m_sqrt, (-1.0,), ValueError, "math domain error"),
    (m_log, (0.0,), ValueError, "math domain error"),
    (m_exp, (1000.0,), OverflowError, "math range error"),
    (m_isqrt, (-1,), ValueError, "isqrt() argument must be nonnegative"),
    (b_divmod, (7, 0, 1), ZeroDivisionError, "integer division or modulo by zero"),
    (b_divmod, (7.0, 0.0, 1), ZeroDivisionError, "float divmod()"),
    (loop_var_last, (0, 0, 1), UnboundLocalError,
     "cannot access local variable 'i' where it is not associated with a value"),
])
def test_semantics_errors(fn, args, exc, message):
    got = run(jitted(fn), *args)
    assert type(got.exc) is exc and str(got.exc) == message, "%s%r: expected %s(%r), got %r" % (
        py_of(fn).__name__, args, exc.__name__, message, got)


def test_sum_of_squares_beyond_int64_is_exact():
    # Numba wraps around here; the exact answer needs a big int (about 3.3e20).
    n = 10**7
    jf = jitted(sum_squares)
    got = jf(n)
    assert type(got) is int and got == (n - 1) * n * (2 * n - 1) // 6


def test_variable_int_on_one_path_float_on_another():
    jf = jitted(half_sum)
    for n in [0, 1, 0, 4, 0]:  # alternate so a cached specialisation is reused both ways
        got = jf(n)
        expected = py_of(half_sum)(n)
        assert type(got) is type(expected) and got == expected, (n, got, expected)


# ---------------------------------------------------------------------------------------------
# print: same text as CPython, in order with CPython's own prints
# ---------------------------------------------------------------------------------------------
def print_one(x):
    print(x)


def print_many(a, b):
    print(a, b)
    print(a + b)
    print(a < b, not a)
    print()
    print(None)
    return a


def print_floats(x):
    print(x, x * 2, -x, x / 3, x * 1e20, x * 1e-20)


def print_loop(n):
    for i in range(n):
        print("i =", i, i * 0.5)
    return n


def print_kw(a, b):
    print(a, b, sep=", ", end="!\n")


def print_end_sep(x):
    print(x, end="")
    print(" tail", x * 2, sep="|")
    print("\u00e9 \u00fc \u4e2d\t\\", x, sep="")
    print(x, end=None)
    print(x, sep=None, end="\n\n")


def print_then_raise(n):
    for i in range(n):
        print("line", i)
    return 1 // (n - n)


def print_wide(x):
    print(x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x,
          x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x,
          x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x)


@pyvorin.jit
def noisy(x):
    print("eval", x)
    return x


def chained_noisy(a, b, c):
    return noisy(a) < noisy(b) < noisy(c)


def print_operand_order(a, b):
    return noisy(a) + noisy(b) * noisy(a - b)


def print_argument_order(a, b):
    return max(noisy(a), noisy(b), noisy(a + b))


def print_then_overflow(x):
    print("start", x)
    return x * x


PRINT_FUNCTIONS = [print_one, print_many, print_floats, print_loop, print_kw, chained_noisy,
                   noisy, print_end_sep, print_then_raise, print_wide, print_operand_order,
                   print_argument_order]
PRINT_CASES = [
    (print_one, singles([0, -1, INT64_MAX, INT64_MIN, 2**63, True, False, 0.1 + 0.2, 1e16, 1e-5,
                         1.5e300, -0.0, INF, -INF, NAN, 5e-324, 1.0, 2.5e15, 123456789012345678.0,
                         # powers of two whose shortest repr is not the nearest 16/17-digit one
                         2.0**-24, 2.0**89, 2.0**-1017, 2.0**976, -(2.0**-44), NEG_NAN])),
    (print_many, pairs([0, 3, -2.5, True], [1, 0.5, INT64_MIN])),  # no overflow after a print
    (print_floats, singles([1.0, 0.1, -3.7, 1e300, 5e-324, 0.0, NAN, 7, INT64_MAX])),
    (print_loop, singles([0, 1, 5])),
    (print_kw, pairs([1, 2.5], [3, True])),
    (print_end_sep, singles([1, 2.5, True, -0.0])),
    (print_then_raise, singles([0, 3])),
    (print_wide, singles([1.2345678901234567e-300, INT64_MIN, False])),
    (print_operand_order, pairs([1, 3, 2.5], [2, 3])),
    (print_argument_order, pairs([1, 2.5], [2, 1.0])),
    (chained_noisy, [(1, 2, 3), (2, 1, 3), (1, 2, 0), (1, 1.5, 2), (NAN, 1, 2)]),
]


@pytest.mark.parametrize("fn,argsets", PRINT_CASES, ids=[c[0].__name__ for c in PRINT_CASES])
def test_print_same_text(fn, argsets, capsys):
    jf = jitted(fn)
    failures = []
    for args in argsets:
        with pure_cpython(fn):
            expected = run(py_of(fn), *args)
        expected_out = capsys.readouterr().out
        got = run(jf, *args)
        got_out = capsys.readouterr().out
        if got_out != expected_out or not same_value(expected.value, got.value) or \
                type(expected.exc) is not type(got.exc) or str(expected.exc) != str(got.exc):
            failures.append("%s%r: expected %r %r, got %r %r" % (
                fn.__name__, args, expected_out, expected, got_out, got))
    assert not failures, "\n".join(failures)


def test_print_interleaves_with_cpython_prints(capsys):
    jf = jitted(print_loop)

    def scenario(f):
        print("before")
        f(3)
        print("middle", end="")
        f(2)
        print("after")

    scenario(py_of(print_loop))
    expected = capsys.readouterr().out
    scenario(jf)
    got = capsys.readouterr().out
    assert got == expected


def test_print_interleaves_at_fd_level():
    # stdout is a pipe (block-buffered): native output must still come out in program order.
    code = '''
        import sys, pyvorin
        def show(n):
            for i in range(n):
                print("native", i, i / 4)
            return n
        f = pyvorin.jit(show)
        print("py 1")
        f(2)
        sys.stdout.write("py 2\\n")
        f(1)
        print("py 3", f.stats["native_calls"])
    '''
    r = run_python(code)
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("py 1\nnative 0 0.0\nnative 1 0.25\npy 2\nnative 0 0.0\npy 3 2\n"), r.stdout


def test_overflow_after_print_is_exact_or_names_function_and_line(capsys):
    jf = jitted(print_then_overflow)
    assert jf(3) == 9
    assert capsys.readouterr().out == "start 3\n"
    x = 2**40
    got = run(jf, x)
    out = capsys.readouterr().out
    assert out == "start %d\n" % x, "the print must happen exactly once, got %r" % out
    if got.exc is None:
        assert got.value == x * x and type(got.value) is int
        return
    assert type(got.exc) is OverflowError, got
    line = line_of(print_then_overflow, "return x * x")
    assert "print_then_overflow" in str(got.exc) and str(line) in str(got.exc), str(got.exc)


# ---------------------------------------------------------------------------------------------
# Functions in the subset run natively for ordinary int64 (or float) inputs
# ---------------------------------------------------------------------------------------------
NATIVE_CASES = [
    (op_add, (3, 4)), (op_sub, (3, 4)), (op_mul, (3, 4)), (op_truediv, (7, 2)),
    (op_floordiv, (-7, 2)), (op_mod, (-7, 2)), (op_pow, (3, 4)),
    (op_lshift, (1, 5)), (op_rshift, (-64, 3)), (op_and, (12, 10)), (op_or, (12, 10)),
    (op_xor, (12, 10)), (op_neg, (5,)), (op_pos, (5,)), (op_invert, (5,)), (op_not, (5,)),
    (cmp_lt, (1, 2)), (cmp_le, (1, 2)), (cmp_eq, (1, 2)), (cmp_ne, (1, 2)), (cmp_gt, (1, 2)),
    (cmp_ge, (1, 2)), (chained2, (1, 2, 3)), (chained3, (1, 1, 2)), (bool_or, (0, 5)),
    (bool_and, (3, 4)), (truthy, (3,)), (is_even, (4,)), (in_range, (5,)),
    (bool_sum, (1, -1)), (bool_bitand, (1, 2)),
    (op_add, (1.5, 2.25)), (op_mod, (-7.5, 2.0)), (op_floordiv, (7.5, -2.0)), (op_pow, (2.0, 0.5)),
    (op_add, (1, 0.5)), (cmp_lt, (2**53 + 1, 9007199254740992.0)),
    (sign, (-3,)), (classify, (50,)), (collatz_steps, (27,)), (sum_range1, (10,)),
    (sum_range2, (-3, 7)), (sum_range3, (10, -10, -3)), (count_range, (0, 10, 3)),
    (loop_var_last, (0, 10, 3)), (loop_var_break, (50,)), (first_divisor, (91,)),
    (while_else, (16,)), (skip_multiples, (100,)), (nested_loops, (20,)), (while_continue, (9,)),
    (countdown, (20,)), (cond_expr, (3, 4)), (clamp, (15, 0, 10)), (with_pass, (-4,)),
    (returns_none, (1,)), (implicit_none, (1,)), (multi_assign, (5,)), (fib_iter, (50,)),
    (swap3, (1, 2, 3)), (aug_int, (5, 3)), (aug_float, (1.5, 0.5)), (sum_squares, (1000,)),
    (two_62_var, (0,)), (mul_then_div, (6, 3)), (grow, (10,)),
    (b_abs, (-5,)), (b_abs, (-2.5,)), (b_min2, (3, 2)), (b_max2, (3, 2)), (b_min3, (3, 2, 1)),
    (b_max3, (1.0, 2.0, 3.0)), (b_divmod, (-7, 2, 1)), (b_divmod, (-7.5, 2.0, 0)),
    (b_round1, (2.5,)), (b_round2, (2.675, 2)), (b_int, (-2.7,)), (b_float, (3,)), (b_bool, (0,)),
    (m_sqrt, (2.0,)), (m_sin, (1.0,)), (m_cos, (1.0,)), (m_tan, (1.0,)), (m_exp, (1.0,)),
    (m_log, (2.0,)), (m_log2, (8.0,)), (m_log10, (1000.0,)), (m_floor, (2.5,)), (m_ceil, (2.5,)),
    (m_fabs, (-2.0,)), (m_pow, (2.0, 10.0)), (m_isqrt, (99,)), (m_hypot, (3.0, 4.0)),
    (m_atan2, (1.0, -1.0)), (m_consts, (1,)), (m_circle, (2.0,)),
    (fma_candidate, (0.1, 10.0, -1.0)), (harmonic, (100,)), (poly, (0.5,)),
    (float_accumulate, (100,)), (float_range_sum, (10,)), (mandel_iters, (-0.75, 0.1, 100)),
    (int_float_mix, (3, 4)), (sq, (7,)), (sum_of_sq, (10,)), (hyp_call, (3, 4)), (fib_rec, (15,)),
    (fact, (10,)), (gcd_rec, (12, 18)), (is_even_rec, (10,)), (ackermann, (2, 2)),
    (power_rec, (3, 5)), (calls_jitted, (12, 18)), (print_one, (7,)), (print_loop, (2,)),
    (chained_noisy, (1, 2, 3)),
]


@pytest.mark.parametrize("fn,args", NATIVE_CASES,
                         ids=["%s%r" % (py_of(c[0]).__name__, c[1]) for c in NATIVE_CASES])
def test_runs_natively(fn, args, capsys):
    jf = pyvorin.jit(py_of(fn))  # a fresh dispatcher, so the counts are this test's own
    before = jf.stats["native_calls"]
    got = run(jf, *args)
    expected = cpython_outcome(fn, *args)
    assert same_value(expected.value, got.value) and type(expected.exc) is type(got.exc), (
        expected, got)
    assert jf.fallback_reason is None, jf.fallback_reason
    assert jf.compiled is True
    assert jf.stats["native_calls"] >= before + 1, jf.stats


# ---------------------------------------------------------------------------------------------
# Options never change results: every optimisation level, and fast=True (no interrupt polls)
# ---------------------------------------------------------------------------------------------
OPTION_CASES = [c for c in ALL_CASES if py_of(c[0]).__name__ in {
    "op_floordiv", "op_mod", "op_pow", "op_lshift", "op_truediv", "chained2", "b_round1",
    "b_round2", "m_floor", "sum_range3", "count_range", "loop_var_last", "fib_iter", "aug_int",
    "sum_squares", "fma_candidate", "harmonic", "poly", "float_accumulate", "mandel_iters",
    "collatz_steps", "first_divisor", "nested_loops", "power_rec", "float_floor_mod"}]


@pytest.mark.parametrize("options", [dict(opt_level=0), dict(opt_level=1), dict(opt_level=3),
                                     dict(fast=True), dict(opt_level=3, fast=True, cache=False)],
                         ids=["O0", "O1", "O3", "fast", "O3_fast_nocache"])
def test_options_never_change_results(options):
    failures = []
    for fn, argsets in OPTION_CASES:
        if py_of(fn).__name__ == "sum_squares":
            argsets = [a for a in argsets if a[0] < 10**6]   # keep the O0 run short
        jf = jitted(fn, **options)
        for args in argsets:
            diff = check(fn, *args, jf=jf)
            if diff is not None:
                failures.append(diff)
    assert len(OPTION_CASES) >= 20
    assert not failures, "\n".join(failures[:40])
