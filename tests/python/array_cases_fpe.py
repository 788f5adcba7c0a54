"""NumPy cases, part 5 (the Case rules: array_cases.py): NumPy's floating-point warnings in loops,
which compiled code takes from the CPU's sticky flags where that is exact (lower_numpy.cpp):
overflow of + - * through the overflow flag; invalid results through the invalid flag in loops
with no ordered comparison, conversion or call, else through a test per operation. Every call
that warns may rerun in CPython; every call that does not warn must run natively (no spurious
warning from a NaN the loop only reads or compares, from a division a branch guards, or from
flags that NumPy's own calls leave set)."""
import math

import numpy as np

import pyvorin

from array_cases import A, case_adder, cp

CASES = []
INF, NAN = math.inf, math.nan


add = case_adder(CASES)


def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


# overflow of the product or of the sum; inf - inf and inf * 0 (invalid); NaN and infinities
# that only propagate (no warning); float32 operands
add(dot, [(A([1.0, 2.0, 3.0]), A([4.0, 5.0, 6.0])),
          (A([1e308, 1.0]), A([10.0, 1.0])),
          (A([1e308, 1e308]), A([1.0, 1.0])),
          (A([INF, 1.0]), A([1.0, -INF])),
          (A([INF, 2.0]), A([0.0, 1.0])),
          (A([NAN, 2.0]), A([1.0, 3.0])),
          (A([INF, 2.0]), A([1.0, 3.0])),
          (A([NAN, INF]), A([1.0, -1.0])),
          (A([3e38, 1.0], np.float32), A([10.0, 1.0], np.float32)),
          (A([1.5, 2.5], np.float32), A([2.0, 4.0], np.float32)),
          (A([], np.float64), A([], np.float64))])


def diff_sum(a):
    s = 0.0
    for i in range(1, a.shape[0]):
        s += a[i] - a[i - 1]
    return s


add(diff_sum, [A([1.0, 4.0, 9.0]), A([-1e308, 1e308]), A([INF, INF]), A([NAN, 1.0, 2.0]), A([1.0, -INF])])


def positive_sum(a):
    # an ordered comparison: a NaN it reads must not be taken for an invalid operation
    s = 0.0
    for i in range(a.shape[0]):
        if a[i] > 0:
            s += a[i] * 2.0
    return s


add(positive_sum, [A([1.0, -2.0, 3.0]), A([NAN, 1.0, NAN]), A([1e308, 1.0]), A([INF, 1.0]), A([INF, -INF])])


def clipped(a, lo, hi):
    s = 0.0
    for i in range(a.shape[0]):
        s += min(max(a[i], lo), hi) * a[i]
    return s


add(clipped, [(A([1.0, 5.0, -3.0]), 0.0, 2.0), (A([NAN, 1.0]), 0.0, 2.0), (A([INF, 1.0]), 0.0, 2.0),
              (A([1e308, 1.0]), 0.0, 1e308)])


def guarded_ratio(a, b):
    # a division a branch guards: the optimiser may compute it anyway, so it is tested per operation
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] / b[i] if b[i] != 0 else 0.0
    return s


add(guarded_ratio, [(A([1.0, 2.0, 3.0]), A([1.0, 0.0, 2.0])), (A([0.0, 1.0]), A([0.0, 0.0])),
                    (A([1e308, 1.0]), A([1e-10, 1.0])), (A([INF, 1.0]), A([INF, 1.0]))])


def truncated(a):
    # a float-to-int conversion in the loop (it sets the invalid flag for a NaN itself)
    n = 0
    for i in range(a.shape[0]):
        if a[i] == a[i]:
            n += int(a[i] * 2.0)
    return n


add(truncated, [A([1.5, 2.5]), A([NAN, 1.0]), A([1e308, 1.0])])


def norm_then_numpy(a):
    # NumPy's own call in the loop clears the CPU's flags first: the loop's overflow is noted before
    s = np.float64(0.0)
    for i in range(a.shape[0]):
        s += a[i] * a[i]
        m = np.max(a)
    return s, m


add(norm_then_numpy, [A([1.0, 2.0]), A([1e200, 1.0]), A([INF, -INF])])


def numpy_warns_then_loop(a):
    # NumPy's sum warns itself and leaves the overflow flag set: not this loop's overflow
    t = a.sum()
    s = np.float64(0.0)
    for i in range(a.shape[0]):
        s += a[i] * 0.5
    return t, s


add(numpy_warns_then_loop, [A([1.0, 2.0]), A([1e308, 1e308])])


def nested(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * a[j, i]
    return s


add(nested, [A([[1.0, 2.0], [3.0, 4.0]]), A([[1e200, 1.0], [1.0, 1e200]]), A([[INF, 0.0], [0.0, 1.0]]),
             A([[NAN, 1.0], [1.0, 1.0]])])


def early_return(a, limit):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * a[i]
        if i == limit:
            return s
    return -s


add(early_return, [(A([1.0, 2.0, 3.0]), 1), (A([1e200, 2.0]), 0), (A([INF, 0.0]), 5), (A([1.0, 2.0]), 5)])


def python_floats(x, n):
    # Python floats only: an overflow to inf is silent in CPython, and the code has no NumPy flags
    s = 0.0
    for i in range(n):
        s += x * x
    return s


add(python_floats, [(1e200, 3), (2.0, 3)])


def float_reads(a):
    # float(a[i]): Python floats, never a NumPy warning
    s = 0.0
    for i in range(a.shape[0]):
        s += float(a[i]) * float(a[i])
    return s


add(float_reads, [A([1.0, 2.0]), A([1e200, 1.0]), A([INF, NAN])])


@pyvorin.jit
def cdf_like(x):
    """A scalar helper with no loop and no call: its NumPy warnings are tested once, where it
    returns, and it is inlined into the loop that calls it."""
    t = 1.0 / (1.0 + 0.5 * abs(x))
    p = t * x * x
    if x < 0.0:
        return 1.0 - p
    return p


def call_helper(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += cdf_like(a[i])
    return s


add(call_helper, [A([1.0, -2.0]), A([1e200, 1.0]), A([-1e200, 1.0]), A([INF, 1.0]), A([NAN, 1.0])])


def helper_straight(x, y):
    z = x * y
    w = z - z
    return w if x < 0.0 else z


add(helper_straight, [(np.float64(2.0), np.float64(3.0)), (np.float64(1e200), np.float64(1e200)),
                      (np.float64(-1e200), np.float64(1e200)), (np.float64(INF), np.float64(1.0))])


def root_of_norm(a):
    # math.sqrt's domain test only decides whether to raise: it leaves the invalid flag usable
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * a[i]
    return math.sqrt(s)


add(root_of_norm, [A([3.0, 4.0]), A([1e200, 1e200]), A([INF, -INF]), A([NAN, 1.0])])


def straight_then_raise(a):
    x = a[0] * a[1]
    return int(x)


add(straight_then_raise, [A([2.0, 3.5]), A([1e200, 1e200]), A([NAN, 1.0])])


def dead_product(a):
    # t is never used: the product still runs, and raises its flag, as in CPython
    n = 0
    for i in range(a.shape[0]):
        t = a[i] * a[i]
        n += 1
    return n


add(dead_product, [A([1.0, 2.0]), A([1e200, 1.0]), A([1.0, 1e200, 1.0]), A([0.0, 1.0, 0.0])])


def last_product(a):
    # t is used only after the loop: every iteration's product still runs
    t = np.float64(0.0)
    for i in range(a.shape[0]):
        t = a[i] * a[i]
    return t


add(last_product, [A([1.0, 2.0]), A([1e200, 1.0]), A([1.0, 1e200, 1.0]), A([np.inf, 0.0, 1.0])])


def guarded_product(a):
    # a guard against overflow: the product of a skipped branch must not warn
    s = 0.0
    for i in range(a.shape[0]):
        if abs(a[i]) < 1e150:
            s += a[i] * a[i]
    return s


add(guarded_product, [A([1.0, 2.0]), A([1e200, 1.0]), A([1e149, 1e200]), A([np.nan, 1.0])])


def percent_change_print(a):
    # a warning after a print: NumPy computes that operation itself, warning where CPython does
    for i in range(1, len(a)):
        ch = (a[i] - a[i - 1]) / a[i - 1] * 100
        print(f"step {i}: {ch:+.2f}%")
    return len(a) - 1


add(percent_change_print, [A([1.0, 0.0, 2.0]), A([1.0, 2.0, 4.0]), A([0.0, 0.0]), A([1e308, -1e308, 1.0])])


def print_then_int_overflow(a):
    print("start")
    s = a[0]
    for i in range(1, a.shape[0]):
        s = s * a[i] + 1
    return s


add(print_then_int_overflow, [A([2 ** 40, 2 ** 40, 3], np.int64), A([2, 3], np.int64), A([100, 100], np.int8)])


def print_then_weak(n, flag):
    # a weak value holding Python's number after a print: Python's arithmetic (no warning, or
    # ZeroDivisionError), NumPy's where it holds NumPy's
    print("start")
    x = 1e300
    if flag:
        x = np.float64(1e300)
    y = x * 1e10
    return y, x / (n - n)


add(print_then_weak, [(1, False), (1, True), (0, True)])


def print_then_complex(z, w):
    print("hi")
    return z * z, z / w


add(print_then_complex, [(np.complex128(1e300 + 1j), np.complex128(0)), (np.complex128(1 + 2j), np.complex128(3 - 1j)),
                         (np.complex64(3e38 + 1j), np.complex64(2))])


@pyvorin.jit
def _prints(v):
    print("in g")
    return v


def print_in_operand(x, v):
    # the printing call is on a later line than the operator, and runs first
    y = (x *
         _prints(v))
    return y


add(print_in_operand, [(np.float64(1e300), 1e10), (np.float64(2.0), 3.0)])


def fused_then_scalar(a, x, y):
    print("hi")
    return (a * a) + x * y, a * 2.0 - 1.0


add(fused_then_scalar, [(A([1e200]), 1e300, 1e300), (A([1.0, 2.0]), 2.0, 3.0), (A([1e-200, 2.0]), 1.0, 1.0)])


# ---- grouped tests (lower_fpe_group.cpp): a block's exact tests run only where some result is
# not finite; a result is tested where no later operation of the block carries a non-finite value
# on (a divisor, exp's argument). Each case mixes rows that warn, rows whose infinities and NaNs
# only propagate (no warning, native), and ordinary rows.

@pyvorin.jit
def _cdf(x):
    """A polynomial normal CDF with a branch (black_scholes' helper)."""
    t = 1.0 / (1.0 + 0.2316419 * abs(x))
    poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))))
    p = 1.0 - 0.3989422804014327 * math.exp(-0.5 * x * x) * poly
    if x < 0.0:
        return 1.0 - p
    return p


def cdf_loop(a, out):
    for i in range(a.shape[0]):
        out[i] = _cdf(a[i] * 2.0) - _cdf(-a[i])
    return out


add(cdf_loop, [(A([0.5, -1.0, 3.0]), A([0.0, 0.0, 0.0])),
               (A([1e308, 1.0]), A([0.0, 0.0])),           # a[i] * 2.0 overflows
               (A([INF, 1.0]), A([0.0, 0.0])),             # an infinity only propagates
               (A([NAN, -2.0]), A([0.0, 0.0])),
               (A([-INF, 0.0]), A([0.0, 0.0]))])


def carried_divisor(a, b):
    # the product overflows and the quotient is a finite 0: the product itself is tested
    s = 0.0
    for i in range(a.shape[0]):
        if a[i] > 0:
            s += 1.0 / (a[i] * b[i])
    return s


add(carried_divisor, [(A([1.0, 2.0]), A([4.0, 8.0])), (A([1e200, 2.0]), A([1e200, 8.0])),
                      (A([INF, 2.0]), A([1.0, 8.0])), (A([1.0, 2.0]), A([0.0, 8.0])), (A([NAN, 1.0]), A([1.0, 1.0]))])


def chain_in_branch(a, k):
    # a Horner chain in a branch: only its last value is tested on the hot path
    s = 0.0
    for i in range(a.shape[0]):
        x = a[i]
        if x != 0.0:
            s += ((x * k + 1.0) * x + 2.0) * x - 3.0
    return s


add(chain_in_branch, [(A([1.0, 2.0, 0.0]), 2.0), (A([1e103, 1.0]), 1e103), (A([1e200, 1.0]), 1e200),
                      (A([INF, 1.0]), 1.0), (A([-INF, 1.0]), 0.0), (A([NAN, 1.0]), 2.0),
                      (A([1.5, 2.5], np.float32), 2.0), (A([3e12, 1.0], np.float32), 3e12)])


def warn_then_raise(a, b):
    # NumPy warns about the overflow, then math.sqrt raises (CPython warns first)
    s = 0.0
    for i in range(a.shape[0]):
        if a[i] > -1e308:
            y = a[i] * 1e300
            s += y + math.sqrt(b[i])
    return s


add(warn_then_raise, [(A([1.0, 2.0]), A([4.0, 9.0])), (A([1e10, 2.0]), A([-1.0, 9.0])), (A([1.0, 2.0]), A([4.0, -1.0])),
                      (A([1e10, 2.0]), A([4.0, 9.0]))])


def exp_of_infinite(a):
    # exp(-inf) is 0: the argument's overflow is tested on its own
    s = np.float64(0.0)
    for i in range(a.shape[0]):
        if a[i] < 0:
            s += np.exp(a[i] * 1e300) + a[i]
    return s


add(exp_of_infinite, [A([-1.0, 2.0]), A([-1e10, 1.0]), A([-INF, 1.0]), A([NAN, -1.0])])


def constant_operands(a):
    # 1.0 - x, 0.5 * x, x / 4.0 never warn (no test at all); x * 2.0, x + 1e300 and x / 0.75 may
    # (the `if` keeps the tests in software: no CPU flag stands in for them)
    out = np.empty(6)
    for i in range(a.shape[0]):
        x = a[i]
        if x == 0.25:
            continue
        out[0] = 1.0 - x
        out[1] = 0.5 * x
        out[2] = x / 4.0
        out[3] = x * 2.0
        out[4] = x + 1e300
        out[5] = x / 0.75
    return out


add(constant_operands, [A([1.0, -3.5]), A([1.7e308]), A([-1.7e308]), A([1e300]), A([INF]), A([NAN]), A([5e-324]),
                        A([1.0, 1e308]), A([1.5e308]), A([-1.79e308]), A([3e38], np.float32), A([1.0], np.float32)])


@pyvorin.jit
def _clip_cdf(x):
    # both arms return: one tested return for the helper (a select once inlined)
    if x < 0.0:
        return 1.0 - x * x
    return x * x


def helper_arms(a):
    s = 0.0
    for i in range(a.shape[0]):
        s += _clip_cdf(a[i])
    return s


add(helper_arms, [A([0.5, -0.5, 2.0]), A([1e200, 1.0]), A([-1e200, 1.0]), A([INF, 1.0]), A([NAN]), A([-INF])])


@pyvorin.jit
def _check_only(x):
    # a deferring helper that returns nothing, once with `return None`
    y = x * 2.0
    if y > 1.0:
        return None
    return


def none_helper(a):
    for i in range(a.shape[0]):
        _check_only(a[i])
    return a.shape[0]


add(none_helper, [A([0.1, 3.0]), A([1e308, 1.0]), A([INF]), A([NAN, -1.0])])


def binned(x, lo, scale, bins):
    # int()'s range test stands in for the finiteness test of (v - lo) * scale: the exact tests
    # run on its other edge, before int() raises (or converts a finite value past int64)
    counts = np.zeros(bins, np.int64)
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo:
            k = int((v - lo) * scale)
            if k < bins:
                counts[k] += 1
    return counts


add(binned, [(A([0.1, 0.5, 0.9, 0.5]), 0.0, 4.0, 4),
             (A([0.1, 1e308, 0.5]), -1e308, 1.0, 4),      # v - lo overflows: warning, then OverflowError
             cp(A([0.1, 1e300]), 0.0, 1.0, 4),            # finite past 2**63: reruns in CPython
             (A([0.1, 1e300]), 0.0, 1e10, 4),             # the product overflows: warning, OverflowError
             (A([0.1, INF]), 0.0, 1.0, 4),                # an infinity only propagates: no warning
             (A([0.1, NAN, 0.3]), 0.0, 1.0, 4),           # NaN >= lo is False: skipped
             (A([0.1, 0.2]), 0.0, NAN, 4),                # NaN scale: ValueError, no warning
             (A([0.5, 2.0]), 0.0, INF, 4),                # inf * 0.5: int(inf) raises
             (A([0.0, 1.0]), 0.0, INF, 4),                # 0 * inf: invalid warning, then ValueError
             (A([-2.0, 0.5]), -3.0, -1.0, 4)])            # negative bins wrap, as in NumPy
