"""NumPy cases, part 7 (the Case rules: array_cases.py): whole-array expressions of float64 arrays
fused into one loop (lower_fuse.cpp): + - * /, unary -, np.sqrt, np.abs, np.negative, np.square
over arrays of one shape and real scalars. The result must be NumPy's array bit for bit; where
NumPy warns (overflow, division by zero, invalid), the fused result is dropped and NumPy computes
the expression, warning as it does; other shapes (broadcasting), layouts and dtypes are NumPy's
from the start."""
import math

import numpy as np

from array_cases import A, case_adder

CASES = []
INF, NAN = math.inf, math.nan


add = case_adder(CASES)


_x = [0.5, -1.25, 3.0, 1e-3, 7.75, -0.0, 2.5e10]
_y = [1.0, 2.0, -4.0, 0.125, 3.5, 8.0, -1e-10]
_m = [[1.0, -2.0, 3.5], [0.25, 4.0, -8.0]]
_n = [[2.0, 0.5, -1.0], [3.0, -0.75, 6.0]]


def axpy(a, x, y):
    return a * x + y


add(axpy, [(2.0, A(_x), A(_y)), (-0.5, A(_m), A(_n)), (np.float64(3.0), A(_x), A(_y)), (3, A(_x), A(_y)),
           (np.float32(0.5), A(_x), A(_y)), (2.0, A(_x, np.float64, "F"), A(_y)), (2.0, A(_m, np.float64, "F"), A(_n, np.float64, "F")),
           (2.0, A(_x, np.float64, "S"), A(_y)), (2.0, A(_x, np.float64, "R"), A(_y, np.float64, "R")),
           (2.0, A(_m, np.float64, "T"), A(_n)), (2.0, A(_x, np.float64, "RO"), A(_y, np.float64, "RO")),
           (2.0, A([]), A([])), (1e308, A([10.0, 1.0]), A([1.0, 1.0])), (INF, A([0.0, 1.0]), A([1.0, 2.0])),
           (2.0, A([NAN, INF]), A([1.0, -INF])), (2.0, A([INF, 1.0]), A([-INF, 1.0])), (2.0, A(_x[:3]), A(_y[:2]))])


def hypot_like(x, y):
    return np.sqrt(x * x + y * y)


add(hypot_like, [(A(_x), A(_y)), (A(_m), A(_n)), (A([1e200, 3.0]), A([1e200, 4.0])), (A([NAN, -1.0]), A([1.0, 0.0])),
                 (A([INF]), A([NAN]))])


def mixed_ops(a, b, c):
    return -(a - b) / c + np.abs(a) * 0.5 - np.square(b) + np.negative(c)


add(mixed_ops, [(A(_x), A(_y), A(_y[::-1])), (A(_m), A(_n), A(_n)), (A([1.0, 2.0]), A([1.0, 0.0]), A([0.0, 3.0])),
                (A([0.0]), A([0.0]), A([0.0])), (A([1.0, -1.0]), A([2.0, 2.0]), A([-0.0, 4.0]))])


def differences(a):
    return (a[1:] - a[:-1]) * 0.5


add(differences, [A(_x), A([1.0]), A([]), A([INF, INF, 1.0]), A(_x, np.float64, "S")])


def broadcast(a, b):
    return a * 2.0 - b  # same ndim, other shapes: NumPy broadcasts


add(broadcast, [(A([[1.0, 2.0, 3.0]]), A([[1.0], [2.0]])), (A(_m), A(_n)), (A([[1.0, 2.0]]), A([[1.0, 2.0, 3.0]]))])


def in_a_loop(a, b, k):
    total = 0.0
    for _ in range(k):
        c = a * 0.5 + b
        total += c.sum()
        a = c
    return total, a


add(in_a_loop, [(A(_x), A(_y), 3), (A(_m), A(_n), 2), (A([1e300]), A([1e300]), 4), (A(_x), A(_y), 0)])


def with_numpy_scalars(a):
    s = np.float64(0)
    for i in range(a.shape[0]):
        s += a[i] * a[i]
    r = a / s - 1.0
    return s, r


add(with_numpy_scalars, [A(_x), A([1e200, 1e200]), A([0.0, 0.0]), A([1.0])])


def not_fused(a, b):
    # an int array, a float32 array: NumPy's own operators
    return a * 2 + b


add(not_fused, [(A([1, 2, 3], np.int64), A([1.0, 2.0, 3.0])), (A([1.0, 2.0], np.float32), A([1.0, 2.0], np.float32)),
                (A([1.0, 2.0], np.float32), A([1.0, 2.0]))])


def slice_augassign(a, x):
    # CPython: t = a[s]; t op= v (in place: a view changes a); a[s] = t
    a[1:] += a[:-1]
    a[:2] *= x
    a[::2] -= 1
    return a


add(slice_augassign, [(A(_x), 2.0), (A([7, 0, -5, -2, 6], np.int64), 3), (A(_x, np.float64, "S"), 0.5),
                      (A(_x, np.float64, "R"), -1.0), (A(_m), 2.0), (A(_m, np.float64, "F"), 2.0)])


def slice_augassign_2d(m, n):
    m[:, 0] += 1.0
    m[1:, 1:] *= 2.0
    m[:n] -= m[:n].mean()
    return m


add(slice_augassign_2d, [(A(_m), 1), (A(_n, np.float64, "F"), 2), (A(_m, np.float64, "T"), 0)])


def list_slice_augassign(xs, n):
    xs[1:3] += [9]
    xs[:n] *= 2
    return xs


add(list_slice_augassign, [([1, 2, 3, 4], 2), ([1.5], 1), ([], 0)], in_cpython=[1])  # [1.5] + [9]: mixed items fall back
