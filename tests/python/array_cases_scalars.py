"""NumPy cases, part 2 (the Case rules: array_cases.py): NumPy scalars. Arithmetic with Python
and NumPy operands by NumPy 1.24's promotion (zero divisors, overflow, NaN, signed zeros),
comparisons, unary operators, conversions, math.* of NumPy scalars, NumPy scalars read from
arrays, accumulators that start as Python scalars, np.float64(x)-style constructors, and
printing and formatting NumPy scalars."""
import math

import numpy as np

from array_cases import A, CP, Case, arr, cp, fits, sc
from array_testutil import DTYPES, INTS

CASES = []


def add(fn, argsets, name=None, **kw):
    fn = getattr(fn, "py_func", fn)
    name = name or fn.__name__
    assert name not in {c.name for c in CASES}, name
    CASES.append(Case(name, fn, argsets, **kw))


# ---------------------------------------------------------------------------------------------
# NumPy scalar arithmetic, comparisons, unary operators and conversions (NumPy 1.24 promotion)
# ---------------------------------------------------------------------------------------------
# operand values per kind: (x, y) pairs reaching zero divisors, overflow, NaN and signed zeros
SIGNED_PAIRS = [(7, 3), (-7, 2), (7, -2), (0, 5), (6, 0), ("max", 1), ("min", -1), ("min", 2)]
UNSIGNED_PAIRS = [(7, 3), (3, 7), (0, 5), (6, 0), ("max", 1), ("max", 2)]
FLOAT_PAIRS = [(7.5, 2.0), (-7.5, 2.0), (7.5, -0.5), (0.0, 0.0), (1.0, 0.0), (-0.0, 3.0),
               (float("nan"), 1.0), (float("inf"), 2.0), (1e308, 10.0), (2.0, 0.5), (-8.0, 1 / 3),
               (5.0, float("inf"))]
PY_OPERANDS = {int: [3, -2, 0], float: [2.5, -0.0, 0.0], bool: [True, False]}


def _v(d, v):
    if v in ("max", "min"):
        info = np.iinfo(d)
        return getattr(info, v)
    return v


def scalar_pairs(dx, dy):
    """Argument pairs (x, y) of the kinds dx and dy (NumPy dtypes or int/float/bool)."""
    kinds = [np.dtype(d).kind if d not in (int, float, bool) else {int: "i", float: "f", bool: "b"}[d]
             for d in (dx, dy)]
    if "f" in kinds:
        pairs = FLOAT_PAIRS
    elif "u" in kinds:
        pairs = UNSIGNED_PAIRS
    else:
        pairs = SIGNED_PAIRS
    out = []
    for x, y in pairs:
        try:
            out.append((conv(dx, x), conv(dy, y)))
        except (OverflowError, ValueError):
            continue
    return out


def conv(d, v):
    """v (a number, or "max"/"min" of an int dtype) as a value of d; ValueError when d cannot
    hold it (the pair is skipped)."""
    if d is bool or (d not in (int, float) and np.dtype(d).kind == "b"):
        t = v != 0 if not isinstance(v, str) else True
        return bool(t) if d is bool else np.bool_(t)
    if isinstance(v, str):
        if d in (int, float) or np.dtype(d).kind == "f":
            raise ValueError(v)
        return np.dtype(d).type(_v(d, v))
    if d is int or (d is not float and np.dtype(d).kind in "iu"):
        if isinstance(v, float) and (not math.isfinite(v) or abs(v) >= 2**62):
            raise ValueError(v)
        if d is int:
            return int(v)
        if not fits(int(v), d):
            raise ValueError(v)
        return np.dtype(d).type(int(v))
    if d is float:
        return float(v)
    with np.errstate(over="ignore"):
        return np.dtype(d).type(v)


OPERAND_TYPES = [(d, d) for d in DTYPES] + [(d, p) for d in DTYPES for p in (int, float, bool)] + \
    [(p, d) for d in (np.int8, np.uint32, np.float32, np.float64, np.bool_) for p in (int, float)] + \
    [(np.int8, np.uint8), (np.int32, np.float32), (np.uint64, np.int64), (np.uint32, np.int32),
     (np.int16, np.float32), (np.float32, np.float64), (np.uint64, np.float32), (np.bool_, np.int8),
     (np.int64, np.float64), (np.uint8, np.int64), (np.int16, np.uint16)]


def _bool_kind(d):
    return d is bool or d is np.bool_


def binop_args(bools=True):
    """bools=False: without a NumPy bool with another bool (arithmetic that compiled code leaves
    to CPython: the fallback_ok case s_bool_mix)."""
    return [(x, y) for dx, dy in OPERAND_TYPES
            if bools or not (_bool_kind(dx) and _bool_kind(dy) and np.bool_ in (dx, dy))
            for x, y in scalar_pairs(dx, dy)]


def s_add(x, y):
    return x + y


def s_sub(x, y):
    return x - y


def s_mul(x, y):
    return x * y


def s_truediv(x, y):
    return x / y


def s_floordiv(x, y):
    return x // y


def s_mod(x, y):
    return x % y


def s_pow(x, y):
    return x ** y


for _f in (s_add, s_mul, s_truediv, s_floordiv, s_mod, s_pow):
    add(_f, binop_args(bools=False))
add(s_sub, [(x, y) for x, y in binop_args(bools=False)
            if not (isinstance(x, (bool, np.bool_)) and isinstance(y, (bool, np.bool_)))])


def s_bool_mix(x, y):
    return x + y, x * y, x / y, x & y, x | y, x ^ y, x ** y


add(s_bool_mix, [(np.True_, np.False_), (np.True_, np.True_), (np.True_, True), (False, np.True_)],
    fallback_ok=True)


def s_bool_sub(x, y):
    return x - y


add(s_bool_sub, [(np.True_, np.False_), (np.True_, True)], fallback_ok=True)


def s_compare(x, y):
    return x < y, x <= y, x == y, x != y, x > y, x >= y


add(s_compare, binop_args() + [(sc(np.uint64, 2**63), sc(np.int64, 2**63 - 1)),
                              (sc(np.uint64, 2**64 - 1), -1), (sc(np.float32, 0.1), 0.1),
                              (sc(np.int64, 2**53 + 1), float(2**53))])


def s_bitwise(x, y):
    return x & y, x | y, x ^ y, x << 2, x >> 1


add(s_bitwise, [(sc(d, 6), sc(d, 3)) for d in INTS if d is not np.uint64] +
    [(sc(np.int8, -6), 3), (sc(np.uint8, 6), 3), (sc(np.int32, 5), sc(np.uint16, 12))])
# np.uint64 << 2: NumPy's TypeError (uint64 with an int64 is float64, which has no shifts)
add(s_bitwise, [(sc(np.uint64, 6), sc(np.uint64, 3))], name="s_bitwise-uint64", fallback_ok=True)


def s_shift(x, y):
    return x << y, x >> y


add(s_shift, [(sc(d, 5), sc(d, s)) for d in (np.int8, np.int64, np.uint8, np.uint64) for s in (0, 3, 7)] +
    [cp(sc(np.int64, 1), sc(np.int64, 64)), (sc(np.int32, -8), sc(np.int32, 1))])


def s_chain(x):
    return 0 <= x < 10, -1 < x <= 1


add(s_chain, [sc(d, v) for d in (np.int8, np.uint16, np.float32, np.float64) for v in (0, 5, 12)] +
    [sc(np.float64, float("nan"))])


def s_unary(x):
    return -x, +x, abs(x)


add(s_unary, [sc(d, v) for d in DTYPES if d is not np.bool_ for v in (0, 5)] +
    [sc(d, v) for d in (np.int8, np.int64, np.float32, np.float64) for v in (-5, -0.0)] +
    [sc(np.int8, -128), sc(np.int64, -2**63), sc(np.uint8, 5), sc(np.float64, float("nan")),
     sc(np.float32, float("-inf"))])


def s_invert(x):
    return ~x


add(s_invert, [sc(d, 5) for d in INTS] + [np.True_, np.False_])


def s_neg_bool(x):
    return -x


add(s_neg_bool, [np.True_], fallback_ok=True)


def s_conversions(x):
    return float(x), int(x), bool(x)


add(s_conversions, [sc(d, v) for d in DTYPES for v in (0, 1, 7)] +
    [sc(np.float64, 2.75), sc(np.float32, -2.75), sc(np.float64, -0.0), sc(np.int8, -5),
     sc(np.float64, float("nan")), sc(np.float64, float("inf")), sc(np.uint64, 2**63 - 1),
     # int() beyond 64 bits: a Python int only CPython makes
     CP((sc(np.float32, 3e38),)), CP((sc(np.uint64, 2**64 - 1),)), CP((sc(np.float64, 1e19),))])


def s_truth(x, y):
    n = 0
    if x:
        n += 1
    if not y:
        n += 2
    if x and y:
        n += 4
    while x:
        n += 8
        break
    return n


add(s_truth, [(sc(d, v), sc(d, w)) for d in DTYPES for v, w in ((0, 0), (1, 0), (2, 3))] +
    [(sc(np.float64, float("nan")), sc(np.float32, -0.0))])


def s_math(x):
    return math.sqrt(x), math.floor(x), math.ceil(x), math.isnan(x), math.exp(x), math.fabs(x)


add(s_math, [sc(d, v) for d in (np.float32, np.float64, np.int32, np.uint8, np.int64) for v in (0, 2, 7)] +
    [sc(np.float64, 2.5), sc(np.float32, -0.0), sc(np.float64, -1.0), sc(np.float64, float("nan")),
     sc(np.float64, 1000.0), sc(np.bool_, True)])


def s_math2(x, y):
    return math.atan2(x, y), math.hypot(x, y), math.pow(x, y), math.log(x), math.copysign(x, y)


add(s_math2, [(sc(np.float64, 2.0), sc(np.float32, 3.0)), (sc(np.int16, 3), 4.0),
              (sc(np.float32, 0.5), sc(np.int64, -2)), (sc(np.float64, 0.0), 1.0)])


def s_real_imag(x):
    return x.real, x.imag


add(s_real_imag, [sc(d, 3) for d in DTYPES])


def s_mixed_expr(x, y, z):
    return (x * y + z) / (y - z) - x ** 2 // 3


add(s_mixed_expr, [(sc(np.float32, 1.5), sc(np.float32, 2.0), sc(np.float32, 0.5)),
                   (sc(np.int32, 7), sc(np.int32, 3), sc(np.int32, 1)),
                   (sc(np.float32, 1.5), 2, sc(np.int8, 1)), (sc(np.uint8, 5), True, 2.5),
                   (sc(np.int16, 200), sc(np.int16, 200), sc(np.int16, 1))])


# ---------------------------------------------------------------------------------------------
# NumPy scalars read from arrays, accumulators that start as Python scalars
# ---------------------------------------------------------------------------------------------
def elem_ops(a, b, i, j):
    x, y = a[i], b[j]
    return x + y, x - y, x * y, x < y, x == y, -x, abs(y)


add(elem_ops, [(arr(da, (4,), seed=1), arr(db, (4,), seed=2), 1, 2)
               for da in DTYPES if da is not np.bool_ for db in (da, np.float64, np.int32, np.uint8)])


def acc_float(a):
    s = 0.0
    for i in range(len(a)):
        s += a[i]
    return s


add(acc_float, [arr(d, (n,), lay) for d in DTYPES for lay in ("C", "R") for n in (0, 1, 6)])


def acc_int(a):
    s = 0
    for i in range(a.shape[0]):
        s += a[i]
    return s


add(acc_int, [arr(d, (n,), lay) for d in (np.bool_, np.int8, np.int16, np.int32, np.int64,
                                          np.uint8, np.uint16, np.uint32)
              for lay in ("C", "S") for n in (0, 1, 6)] +
    [A([2**62, 2**62], np.int64)])


def acc_int_to_float(a):
    s = 0
    for x in a:
        s += x
    return s


# 0 + np.float64 is np.float64, 0 + np.uint64 is np.float64: the variable changes type
add(acc_int_to_float, [arr(d, (n,)) for d in (np.float64, np.float32, np.uint64) for n in (0, 4)],
    fallback_ok=True)


def acc_numpy_start(a):
    s = np.float32(0)
    for x in a:
        s += x
    return s


add(acc_numpy_start, [arr(d, (n,)) for d in (np.float32, np.int8, np.uint8, np.bool_) for n in (0, 5)])


def acc_2d(a):
    s = 0.0
    sq = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j]
            sq += a[i, j] * a[i, j]
    return s, sq


add(acc_2d, [arr(d, (3, 4), lay) for d in (np.float64, np.float32, np.int64, np.int8)
             for lay in ("C", "F", "S", "R", "RO")] + [arr(np.float64, (0, 3))])


def acc_prod(a):
    p = 1.0
    for x in a:
        p *= x
    return p


add(acc_prod, [arr(d, (n,)) for d in (np.float64, np.float32, np.int32) for n in (0, 5)])


def acc_overflow(a):
    s = a[0]
    for i in range(1, len(a)):
        s += a[i]
    return s


add(acc_overflow, [A([100, 100, -50], np.int8), A([1, 2, 3], np.int8), A([250, 10], np.uint8),
                   A([3e38, 3e38], np.float32), A([1.5, 2.5], np.float32)])


def running_max(a):
    m = a[0]
    for x in a:
        if x > m:
            m = x
    return m


add(running_max, [arr(d, (6,), lay, nan=True) for d in DTYPES for lay in ("C", "R")] +
    [arr(np.float64, (0,))])


def best_as_python_float(a):
    best = -1.0
    for x in a:
        if x > best:
            best = x
    return best


# best is a float or an np.float64 for float64 arrays (native), np.float32 for float32 arrays
add(best_as_python_float, [arr(np.float64, (n,)) for n in (0, 5)])
add(best_as_python_float, [arr(d, (5,)) for d in (np.float32, np.int8)], name="best_as_python_float-other",
    fallback_ok=True)


# ---------------------------------------------------------------------------------------------
# NumPy scalar constructors
# ---------------------------------------------------------------------------------------------
def to_float64(x):
    return np.float64(x)


def to_float32(x):
    return np.float32(x)


def to_int32(x):
    return np.int32(x)


def to_int64(x):
    return np.int64(x)


def to_uint8(x):
    return np.uint8(x)


def to_bool(x):
    return np.bool_(x)


CTOR_ARGS = [0, 7, -3, 2**40, 2.75, -2.75, float("nan"), float("inf"), True, False, 1e300,
             sc(np.float32, 1.5), sc(np.int8, -4), sc(np.uint64, 2**64 - 1), sc(np.float64, 3e9),
             sc(np.bool_, True)]
for _f, _d in ((to_float64, np.float64), (to_float32, np.float32), (to_int32, np.int32),
               (to_int64, np.int64), (to_uint8, np.uint8), (to_bool, np.bool_)):
    add(_f, [x if fits(x, _d) else CP((x,)) for x in CTOR_ARGS])


# ---------------------------------------------------------------------------------------------
# Printing and formatting NumPy scalars
# ---------------------------------------------------------------------------------------------
def print_scalars(a, x):
    print(a[0], a[1], x)
    print(x * 2, a[0] + x, x > a[1])
    return None


add(print_scalars, [(A([1 / 3, 2.5], d), sc(d, 0.1)) for d in (np.float32, np.float64)] +
    [(A([1, 2], d), sc(d, 3)) for d in (np.int8, np.uint64)])


def print_bools(a, x):
    print(a[0], x, a[0] == x, not x)


add(print_bools, [(A([True, False]), np.False_), (A([False]), np.True_)])


def print_array(a):
    print(a)
    print(a[1:], a.shape)


add(print_array, [arr(np.float64, (3,)), arr(np.int8, (2, 3), "F")])


def format_scalars(a):
    x = a[0]
    return f"{x}", f"{x:.3f}", f"{x!r}", "%s" % (x,)


add(format_scalars, [A([1 / 3], d) for d in (np.float32, np.float64)] + [A([7], np.int16)])


def str_of_scalar(a):
    return str(a[0]), repr(a[0])


add(str_of_scalar, [A([1 / 3], np.float32), A([5], np.uint8)])


def round_scalar(x):
    return round(x), round(x, 1), max(x, 0.5), min(x, 1)


add(round_scalar, [sc(np.float64, 2.5), sc(np.float32, -1.25), sc(np.int32, 7)], fallback_ok=True)


def nan_sign_propagation(a, b):
    # NaN + NaN: NumPy's scalar add returns the second operand's NaN (its sign included)
    return a[0] + b[0], a[0] * b[0], a[0] - b[0]


add(nan_sign_propagation, [(A(np.array([0x7ff8000000000000], np.uint64).view(np.float64)),
                            A(np.array([0xfff8000000000000], np.uint64).view(np.float64))),
                           (A(np.array([0xffc00000], np.uint32).view(np.float32)),
                            A(np.array([0x7fc00000], np.uint32).view(np.float32)))])
