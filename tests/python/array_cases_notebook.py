"""NumPy cases, part 4 (the Case rules: array_cases.py): realistic notebook functions — loops over
ndarrays that read and write elements, fill new arrays from np.zeros/np.empty_like, and mix
element loops with NumPy's own calls — over several dtypes and memory layouts."""
import math

import numpy as np

from array_cases import A, Case, arr, cp
from array_testutil import DTYPES, FLOATS

CASES = []
NUMERIC = [d for d in DTYPES if d is not np.bool_]


def add(fn, argsets, name=None, **kw):
    fn = getattr(fn, "py_func", fn)
    name = name or fn.__name__
    assert name not in {c.name for c in CASES}, name
    CASES.append(Case(name, fn, argsets, **kw))


# ---------------------------------------------------------------------------------------------
# Realistic notebook functions
# ---------------------------------------------------------------------------------------------
def normalise(v):
    s = 0.0
    for x in v:
        s += x * x
    n = math.sqrt(s)
    out = np.empty_like(v)
    for i in range(len(v)):
        out[i] = v[i] / n
    return out


add(normalise, [arr(d, (5,), lay) for d in FLOATS for lay in ("C", "R", "RO")] + [A([0.0, 0.0])])


def normalise_numpy(v):
    return v / np.sqrt(np.dot(v, v))


add(normalise_numpy, [arr(d, (5,), lay) for d in FLOATS for lay in ("C", "S")])


def running_mean(a, w):
    n = len(a)
    out = np.zeros(n - w + 1)
    s = 0.0
    for i in range(w):
        s += a[i]
    out[0] = s / w
    for i in range(w, n):
        s += a[i] - a[i - w]
        out[i - w + 1] = s / w
    return out


add(running_mean, [(arr(d, (10,), lay), w) for d in (np.float64, np.float32, np.int32)
                   for lay in ("C", "R") for w in (1, 3, 10)] + [(arr(np.float64, (3,)), 5)])


def histogram(a, bins, lo, hi):
    counts = np.zeros(bins, np.int64)
    width = (hi - lo) / bins
    for x in a:
        k = int((x - lo) / width)
        if 0 <= k < bins:
            counts[k] += 1
    return counts


add(histogram, [(arr(d, (50,), lay, seed=5), 8, -10.0, 10.0) for d in (np.float64, np.float32, np.int16)
                for lay in ("C", "S")] + [(A([np.nan, 1.0]), 4, 0.0, 2.0)])


def pairwise_distances(X):
    n = X.shape[0]
    D = np.zeros((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            s = 0.0
            for k in range(X.shape[1]):
                d = X[i, k] - X[j, k]
                s += d * d
            D[i, j] = D[j, i] = math.sqrt(s)
    return D


add(pairwise_distances, [arr(d, (5, 3), lay) for d in (np.float64, np.float32, np.int32)
                         for lay in ("C", "F", "S", "R")])


def matmul_loops(A_, B):
    n, k = A_.shape
    k2, m = B.shape
    if k != k2:
        raise ValueError("shapes do not match")
    C = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for t in range(k):
                s += A_[i, t] * B[t, j]
            C[i, j] = s
    return C


add(matmul_loops, [(arr(da, (3, 4), la), arr(db, (4, 2), lb, seed=1))
                   for da, db in ((np.float64, np.float64), (np.float32, np.float32), (np.int64, np.float64))
                   for la, lb in (("C", "C"), ("F", "T"), ("S", "R"))] +
    [(arr(np.float64, (2, 3)), arr(np.float64, (2, 3)))])


def jacobi(u, iters):
    n, m = u.shape
    for _ in range(iters):
        new = u.copy()
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                new[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
        u = new
    return u


add(jacobi, [(arr(d, (5, 6), lay), it) for d in FLOATS for lay in ("C", "F", "R") for it in (0, 1, 4)])


def prefix_sum(a):
    out = np.zeros_like(a)
    if len(a) == 0:
        return out
    out[0] = a[0]
    for i in range(1, len(a)):
        out[i] = out[i - 1] + a[i]
    return out


add(prefix_sum, [arr(d, (n,), lay) for d in (np.float64, np.int64, np.float32, np.int32)
                 for lay in ("C", "R") for n in (0, 1, 7)] + [cp(A([100, 100], np.int8))])


def mandelbrot(w, h, maxit):
    img = np.zeros((h, w), dtype=np.int32)
    for py in range(h):
        for px in range(w):
            cx = -2.0 + 3.0 * px / w
            cy = -1.0 + 2.0 * py / h
            x = y = 0.0
            k = 0
            while k < maxit and x * x + y * y <= 4.0:
                x, y = x * x - y * y + cx, 2.0 * x * y + cy
                k += 1
            img[py, px] = k
    return img


add(mandelbrot, [(12, 8, 30), (1, 1, 5), (0, 3, 5)])


def clip_inplace(a, lo, hi):
    for i in range(a.size):
        if a[i] < lo:
            a[i] = lo
        elif a[i] > hi:
            a[i] = hi


add(clip_inplace, [(arr(d, (8,), lay), lo, hi) for d in (np.float64, np.int16, np.float32, np.uint8)
                   for lay in ("C", "S", "R") for lo, hi in ((-2, 3), (0.5, 2.5))] +
    [(arr(np.float64, (3,), "RO"), 0, 1)])


def count_nans(a):
    n = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            if np.isnan(a[i, j]):
                n += 1
    return n, np.isnan(a).sum()


add(count_nans, [A([[np.nan, 1.0], [2.0, np.nan]], d, lay) for d in FLOATS for lay in ("C", "F", "R")] +
    [arr(np.int32, (2, 2))])


def argmax_by_hand(a):
    best = 0
    for i in range(1, len(a)):
        if a[i] > a[best]:
            best = i
    return best, a[best]


add(argmax_by_hand, [arr(d, (7,), lay, nan=True) for d in NUMERIC for lay in ("C", "R")])


def box_blur(img):
    h, w = img.shape
    out = np.zeros((h, w), dtype=np.float64)
    for i in range(h):
        for j in range(w):
            s = 0.0
            c = 0
            for di in range(-1, 2):
                for dj in range(-1, 2):
                    y, x = i + di, j + dj
                    if 0 <= y < h and 0 <= x < w:
                        s += img[y, x]
                        c += 1
            out[i, j] = s / c
    return out


add(box_blur, [arr(d, (4, 5), lay) for d in (np.uint8, np.float32, np.float64) for lay in ("C", "F", "R")])


def trapezoid(x, y):
    s = 0.0
    for i in range(1, len(x)):
        s += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2
    return s


add(trapezoid, [(A(np.linspace(0, 1, 11), d), A(np.linspace(0, 1, 11) ** 2, d)) for d in FLOATS] +
    [(A(np.arange(5), np.int32), A(np.arange(5) ** 2, np.int64))])


def standardise_columns(X):
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    return (X - mu) / sd


add(standardise_columns, [arr(d, (5, 3), lay) for d in (np.float64, np.float32, np.int32)
                          for lay in ("C", "F", "S")])


def bubble_sort(a):
    n = len(a)
    for i in range(n):
        for j in range(n - 1 - i):
            if a[j] > a[j + 1]:
                a[j], a[j + 1] = a[j + 1], a[j]
    return a


add(bubble_sort, [arr(d, (8,), lay) for d in (np.int32, np.float64, np.uint16) for lay in ("C", "R")])


def horner(coeffs, x):
    r = 0.0
    for c in coeffs:
        r = r * x + c
    return r


add(horner, [(A([1.0, -2.0, 0.5], d), x) for d in FLOATS for x in (0.0, 1.5, -2.0)] +
    [(A([3, 0, 1], np.int32), 2.0)])


def softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


add(softmax, [arr(d, (5,), lay) for d in FLOATS for lay in ("C", "R")])


def sieve(n):
    is_p = np.ones(n + 1, dtype=np.bool_)
    is_p[0] = False
    if n >= 1:
        is_p[1] = False
    i = 2
    while i * i <= n:
        if is_p[i]:
            for j in range(i * i, n + 1, i):
                is_p[j] = False
        i += 1
    return is_p.sum(), is_p


add(sieve, [30, 1, 0, 100])


def life_step(g):
    h, w = g.shape
    out = np.zeros_like(g)
    for i in range(h):
        for j in range(w):
            n = 0
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    if di != 0 or dj != 0:
                        n += g[(i + di) % h, (j + dj) % w]
            if g[i, j] == 1 and (n == 2 or n == 3):
                out[i, j] = 1
            elif g[i, j] == 0 and n == 3:
                out[i, j] = 1
    return out


add(life_step, [A([[0, 1, 0, 0], [0, 0, 1, 0], [1, 1, 1, 0], [0, 0, 0, 0]], d, lay)
                for d in (np.int8, np.uint8, np.int64) for lay in ("C", "F")])


def gcd_all(a):
    g = 0
    for x in a:
        y = int(x)
        while y:
            g, y = y, g % y
    return g


add(gcd_all, [A([12, 18, 30], d) for d in (np.int8, np.int64, np.uint32)] + [A([], np.int16)])


def dot_mixed(a, b):
    s = 0.0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


add(dot_mixed, [(arr(da, (6,), seed=1), arr(db, (6,), seed=2))
                for da, db in ((np.float32, np.float64), (np.float32, np.float32), (np.int8, np.float32),
                               (np.uint16, np.int16), (np.float64, np.bool_))] +
    [(arr(np.float64, (3,)), arr(np.float64, (2,)))])


def threshold_count(a, t):
    return (a > t).sum(), int((a > t).sum()), a[a > t].size


add(threshold_count, [(arr(d, (3, 4), lay), t) for d in (np.float64, np.int16) for lay in ("C", "F")
                      for t in (0, 2.5)])


def column_means_loop(X):
    n, m = X.shape
    out = np.zeros(m)
    for j in range(m):
        s = 0.0
        for i in range(n):
            s += X[i, j]
        out[j] = s / n
    return out


add(column_means_loop, [arr(d, (4, 3), lay) for d in (np.float64, np.float32, np.uint8, np.bool_)
                        for lay in ("C", "F", "S", "R", "RO")])


def weak_store_neighbour(a):
    # s is a float or an np.float64 (it starts as 0.0): the store writes the value only
    out = np.zeros(3)
    out[1] = 5.0
    out[2] = 6.0
    s = 0.0
    for x in a:
        s += x
    out[0] = s
    out[1] = s / 2
    return out


add(weak_store_neighbour, [arr(d, (4,)) for d in FLOATS] + [arr(np.float64, (0,))])


def mean_and_var(a):
    s = 0.0
    sq = 0.0
    for x in a:
        s += x
        sq += x * x
    n = len(a)
    return s / n, sq / n - (s / n) ** 2


add(mean_and_var, [arr(d, (6,), lay) for d in (np.float64, np.float32, np.int32) for lay in ("C", "R")])


def weak_store_conditional(a, t):
    # the stored value is an np.float64 or a float (a conditional expression)
    out = np.full(len(a), 7.0)
    for i in range(len(a) - 1, -1, -1):
        out[i] = a[i] if a[i] > t else 0.0
    return out


add(weak_store_conditional, [(arr(np.float64, (5,)), 0.0), (arr(np.float64, (5,)), 100.0)])


# ---- more of NumPy: max()/min() of NumPy scalars, np.random, np.linalg, array functions ----

def running_max_builtin(a):
    m = 0.0
    for x in a:
        m = max(m, x)
    return m


add(running_max_builtin, [arr(np.float64, (5,)), arr(np.float64, (0,)), A([1.0, np.nan, 3.0], np.float64), A([np.nan, 1.0], np.float64)])


def int_extremes(a):
    lo = a[0]
    hi = a[0]
    for i in range(1, len(a)):
        lo = min(lo, a[i])
        hi = max(a[i], hi)
    return lo, hi


add(int_extremes, [arr(d, (5,)) for d in (np.int8, np.uint16, np.int64, np.float32)])


def simulate(n, seed):
    np.random.seed(seed)
    x = np.random.rand(n)
    y = np.random.randn(n, 2)
    k = np.random.randint(0, 10, n)
    return x.sum() + y.mean() + k.max(), np.random.random(), np.random.normal(0.0, 1.0, (2, 2)), np.random.randint(5)


add(simulate, [(5, 42), (1, 0), (20, 7)])


def linear_algebra(b):
    m = np.eye(3) * 2.0
    return np.linalg.norm(b), np.linalg.det(m), np.linalg.inv(m), np.linalg.solve(m, b), np.outer(b, b)


add(linear_algebra, [A([3.0, 4.0, 1.0], np.float64), A([1.0, -2.0, 0.5], np.float64)])


def array_functions(b):
    return (np.diff(b), np.clip(b, 0.5, 1.5), np.median(b), np.argsort(b), np.concatenate((b, b)), np.unique(b),
            np.round(b, 1), np.percentile(b, 50), np.cumsum(b), np.flip(b), np.roll(b, 1), np.isclose(b, 1.0),
            np.allclose(b, b), np.count_nonzero(b))


add(array_functions, [arr(np.float64, (6,)), A([3.0, 1.0, 1.0, 2.5], np.float64), arr(np.int32, (5,))])


def enumerate_zip(a):
    t = 0.0
    for i, x in enumerate(a):
        t += i * x
    for x, y in zip(a, a[::-1]):
        t += x * y
    return t


add(enumerate_zip, [arr(np.float64, (4,)), arr(np.float64, (0,)), arr(np.float32, (3,), "R")])


def formatted(a):
    return f"{a[0]} {a[0]:.3f} {a[-1]!r}", str(a[1]), repr(a[1])


add(formatted, [arr(np.float64, (3,)), arr(np.float32, (3,)), arr(np.int16, (3,))])


def standardize_like(a):
    out = np.empty(a.shape, dtype=a.dtype)
    m = a.mean()
    s = a.std()
    for i in range(a.shape[0]):
        out[i] = (a[i] - m) / s
    return out, np.zeros_like(a, dtype=a.dtype), a.astype(a.dtype), np.array([a[0], a[-1]])


add(standardize_like, [arr(np.float64, (5,)), arr(np.float32, (4,), "R")])


def row_sums_enumerate(a):
    t = 0.0
    for i, row in enumerate(a):
        t += i * row.sum()
    return t


add(row_sums_enumerate, [arr(np.float64, (3, 4)), arr(np.float64, (3, 4), "F"), arr(np.float64, (0, 2))])
