"""NumPy cases, part 8 (the Case rules: array_cases.py): more of NumPy's functions as notebooks call
them (obj_ndarray_more.cpp): NumPy computes each, compiled code predicts and checks the result's
type. Keywords (size=, ddof=, keepdims=, n=, axis=, ord=, weights=, bins=, return_counts=, mode=),
one-argument np.where, several percentiles at once, np.newaxis indexing, tolist, argsort,
searchsorted, nan_to_num, bincount, interp, histogram, unique, convolve, trapz, cov, corrcoef."""
import math

import numpy as np

from array_cases import A, case_adder

CASES = []
NAN, INF = math.nan, math.inf


add = case_adder(CASES)


_v = [0.3, -1.2, 2.5, 0.7, 1.1, -0.4]
_m = [[0.5, 1.5, -2.0, 3.0], [1.0, -1.0, 0.25, 2.0], [4.0, 0.0, 1.0, -3.0]]
_i = [3, 1, 4, 1, 5, 9, 2, 6]


def random_size(n, seed):
    np.random.seed(seed)
    return np.random.uniform(0.0, 2.0, size=n), np.random.normal(1.0, 0.5, size=(2, n)), np.random.randint(0, 5, size=n)


add(random_size, [(4, 0), (0, 1), (3, 7)])


def percentiles(a):
    return np.percentile(a, [25, 50, 75]), np.quantile(a, [0.1, 0.9]), np.percentile(a, 50)


add(percentiles, [A(_v), A(_v, np.float32), A(_i, np.int64), A(_m)])


def spreads(a):
    return a.std(ddof=1), a.var(ddof=0), np.std(a, ddof=1)


add(spreads, [A(_v), A(_v, np.float32), A(_i, np.int64), A([1.0])])


def spreads_axis(m):
    return m.std(axis=0, ddof=1), m.var(axis=1, ddof=1)


add(spreads_axis, [A(_m), A(_m, np.float32), A(_m, np.float64, "F")])


def keep_dims(m):
    return m.max(axis=1, keepdims=True), m.sum(axis=0, keepdims=True), m.mean(keepdims=True), m - m.mean(axis=1, keepdims=True)


add(keep_dims, [A(_m), A(_m, np.float32), A([[1, 2], [3, 4]], np.int64), A(_m, np.float64, "T")])


def diffs(a):
    return np.diff(a, n=2), np.diff(a, n=1)


add(diffs, [A(_v), A(_i, np.int64), A([1.0, 2.0])])


def where_one(a):
    return np.where(a > 0.5)


add(where_one, [A(_v), A(_m), A([], np.float64)])


def norms(m):
    return np.linalg.norm(m, axis=1), np.linalg.norm(m, ord=2), np.linalg.norm(m[0], ord=1), np.linalg.norm(m, axis=0)


add(norms, [A(_m), A(_m, np.float32), A([[3, 4], [6, 8]], np.int64)])


def to_lists(a):
    return a.tolist(), a[0].tolist()


add(to_lists, [A(_m), A([[1, 2], [3, 4]], np.int64), A([[True, False]], np.bool_), A(_m, np.float32)])


def sort_order(a):
    return a.argsort(), np.argsort(a), a[a.argsort()]


add(sort_order, [A(_v), A(_i, np.int64), A(_m)])


def search(a, v):
    s = np.sort(a)
    return np.searchsorted(s, v), np.searchsorted(s, s[1:3])


add(search, [(A(_v), 0.5), (A(_i, np.int64), 4), (A(_v), -10.0)])


def cleaned(a):
    return np.nan_to_num(a), np.nan_to_num(a[0])


add(cleaned, [A([1.0, NAN, INF, -INF]), A(_v), A(_i, np.int64)])


def counts(labels):
    return np.bincount(labels), np.bincount(labels, weights=labels * 0.5)


add(counts, [A(_i, np.int64), A([0, 0, 0], np.int64), A([2, 7], np.int32)])


def interpolate(x, xp, fp):
    return np.interp(x, xp, fp), np.interp(xp * 0.5, xp, fp)


add(interpolate, [(0.5, A([0.0, 1.0, 2.0]), A([1.0, 3.0, 2.0])), (2, A([0, 1, 3], np.int64), A([1.0, 3.0, 2.0])),
                  (-1.0, A([0.0, 1.0]), A([5.0, 6.0]))])


def weighted(a, w):
    return np.average(a, weights=w)


add(weighted, [(A(_v), A([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])), (A(_i, np.int64), A(_i, np.int64)), (A(_v, np.float32), A(_v, np.float32))])


def hist(a):
    c, e = np.histogram(a, bins=4)
    c2, e2 = np.histogram(a)
    return c, e, c2.sum(), e2[0]


add(hist, [A(_v), A(_i, np.int64), A(_v, np.float32)])


def uniques(a):
    values, counts = np.unique(a, return_counts=True)
    return values, counts, np.unique(a, return_counts=False)


add(uniques, [A(_i, np.int64), A([1.5, 1.5, -2.0]), A([], np.float64)])


def smooth(a):
    return np.convolve(a, np.ones(3) / 3, mode="valid"), np.convolve(a, a), np.convolve(a, np.ones(2), mode="same")


add(smooth, [A(_v), A(_i, np.int64), A(_v, np.float32)])


def integrals(a, m):
    return np.trapz(a), np.trapz(m), np.trapz(a, dx=0.5)


add(integrals, [(A(_v), A(_m)), (A(_i, np.int64), A(_m, np.float32))])


def covariance(m):
    return np.cov(m), np.corrcoef(m), np.cov(m[0]), np.corrcoef(m[0], m[1])


add(covariance, [A(_m), A(_m, np.float32)], in_cpython=[])


def newaxis(x, a):
    d = a[:, None, :] - a[None, :, :]
    return x[:, None] * x[None, :], np.sqrt((d * d).sum(axis=-1)), x[None], a[1, None]


add(newaxis, [(A(_v), A(_m)), (A(_i, np.int64), A(_m, np.float64, "F"))])


def rounding(a):
    return np.round(a[0], 2), np.round(1.23456, 3), np.round(a, 1), round(float(a[1]), 2)


add(rounding, [A(_v), A(_v, np.float32)])


def builtin_sums(a):
    # Python's sum over an ndarray's items: NumPy scalars added with NumPy's promotion (an empty
    # array gives the start, an int: that call reruns in CPython)
    return sum(a), sum(x * x for x in a), sum(a, 0.0)


add(builtin_sums, [A(_v), A(_i, np.int32), A(_v, np.float32), A([1 + 2j, 3j]), A([], np.float64), A([7], np.uint8)],
    in_cpython=[4])


def builtin_abs_round(a):
    return abs(a), abs(a - 1.0), round(a[0]), round(a[1], 1), round(a[0] * 2)


add(builtin_abs_round, [A(_v), A(_v, np.float32), A(_i, np.int64), A([1 + 1j, -2j]), A([True, False])],
    in_cpython=[3])  # round() of a NumPy complex: TypeError, from CPython


def indexes_and_fits(m, x, y):
    k = np.unravel_index(np.argmax(m), m.shape)
    p = np.polyfit(x, y, 1)
    return k, m[k], p, np.polyval(p, 2.0), np.polyval(p, x)


add(indexes_and_fits, [(A(_m), A([0.0, 1.0, 2.0, 3.0]), A([1.0, 3.0, 5.1, 7.0])), (A(_m, np.float32), A([1.0, 2.0]), A([2.0, 2.5]))])
