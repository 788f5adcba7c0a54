"""A corpus of about 170 functions as data-science and numerics notebooks write them with NumPy
(normalising, z-scores, moving averages, masks, reductions with axis=, linear algebra, random
draws, histograms, np.where/clip, broadcasting, complex numbers, Euler steps, Monte Carlo, in-place
slice updates, printing loops...), each with one to three argument sets (float64/float32/int64, 1-D
and 2-D, NaNs). test_notebook_corpus.py runs each compiled and in CPython and compares value,
type, output, warnings and argument mutation; it also keeps the count of calls that run natively
from falling. CASES: (function, [argument makers])."""
import math

import numpy as np


# ---------------------------------------------------------------------------
# The functions
# ---------------------------------------------------------------------------

def normalize(v):
    return v / np.linalg.norm(v)


def zscore(a):
    return (a - a.mean()) / a.std()


def moving_average_loop(a, w):
    n = len(a)
    out = np.empty(n - w + 1)
    for i in range(n - w + 1):
        s = 0.0
        for j in range(w):
            s += a[i + j]
        out[i] = s / w
    return out


def moving_average_slice(a, w):
    out = np.zeros(len(a) - w + 1)
    for i in range(len(out)):
        out[i] = a[i:i + w].mean()
    return out


def moving_average_cumsum(a, w):
    c = np.cumsum(a)
    c[w:] = c[w:] - c[:-w]
    return c[w - 1:] / w


def clip_and_where(a, lo, hi):
    b = np.clip(a, lo, hi)
    return np.where(b > 0, b, 0.0)


def mean_positive(a):
    return a[a > 0].mean()


def count_positive(a):
    return (a > 0).sum()


def col_means(m):
    return m.mean(axis=0)


def row_sums(m):
    return np.sum(m, axis=1)


def cumsum_diff(a):
    c = np.cumsum(a)
    d = np.diff(c)
    return c, d


def solve_system(A, b):
    x = np.linalg.solve(A, b)
    r = np.linalg.norm(A @ x - b)
    return x, r


def build_vandermonde(x, deg):
    n = len(x)
    V = np.zeros((n, deg + 1))
    for i in range(n):
        for j in range(deg + 1):
            V[i, j] = x[i] ** j
    return V


def random_walk(n, seed):
    np.random.seed(seed)
    steps = np.random.randn(n)
    return np.cumsum(steps)


def histogram_loop(a, nbins, lo, hi):
    counts = np.zeros(nbins, dtype=np.int64)
    width = (hi - lo) / nbins
    for x in a:
        k = int((x - lo) / width)
        if 0 <= k < nbins:
            counts[k] += 1
    return counts


def histogram_np(a, nbins):
    counts, edges = np.histogram(a, bins=nbins)
    return counts, edges


def bincount_labels(labels):
    return np.bincount(labels)


def searchsorted_bins(edges, x):
    return np.searchsorted(edges, x)


def interp_curve(x, xp, fp):
    return np.interp(x, xp, fp)


def smooth_convolve(a):
    k = np.ones(3) / 3.0
    return np.convolve(a, k, mode='same')


def grid_eval(n):
    x = np.linspace(-1.0, 1.0, n)
    y = np.linspace(-1.0, 1.0, n)
    X, Y = np.meshgrid(x, y)
    return X ** 2 + Y ** 2


def outer_product(a, b):
    return np.outer(a, b)


def einsum_matmul(A, B):
    return np.einsum('ij,jk->ik', A, B)


def einsum_trace(A):
    return np.einsum('ii', A)


def argsort_sort(a):
    idx = np.argsort(a)
    return idx, np.sort(a)


def unique_counts(a):
    vals, counts = np.unique(a, return_counts=True)
    return vals, counts


def to_list(a):
    return a.tolist()


def as_column(a):
    return a.reshape(-1, 1)


def first_column(m):
    return m[:, 0]


def fancy_index(a, idx):
    return a[idx]


def stack_rows(a, b):
    return np.vstack([a, b])


def concat(a, b):
    return np.concatenate((a, b))


def fit_line(x, y):
    coef = np.polyfit(x, y, 1)
    return coef, np.polyval(coef, x)


def clean_nans(a):
    return np.nan_to_num(a)


def has_nan(a):
    return np.isnan(a).any()


def log1p_transform(a):
    return np.log1p(a)


def gaussian(x):
    return np.exp(-x ** 2)


def hypot_dist(x, y):
    return np.hypot(x, y)


def round2(a):
    return np.round(a, 2)


def to_int(a):
    return a.astype(int)


def print_stats(a):
    print(f"mean={a.mean():.3f} std={a.std():.3f}")
    print("max:", a.max(), "min:", a.min())
    print(a)
    return a.mean()


def print_scalar_loop(a):
    for i in range(len(a)):
        print(i, a[i])
    print(f"{a[0]}")
    return None


def squares_listcomp(a):
    return [x * x for x in a]


def zip_dot(a, b):
    s = 0.0
    for x, y in zip(a, b):
        s += x * y
    return s


def enumerate_argmax(a):
    best = -1
    bestv = -np.inf
    for i, x in enumerate(a):
        if x > bestv:
            bestv = x
            best = i
    return best, bestv


def builtin_sum(a):
    return sum(a)


def builtin_max(a):
    return max(a)


def length(a):
    return len(a)


def split_pos_neg(a):
    return a[a >= 0], a[a < 0]


def fft_power(x):
    z = np.fft.fft(x)
    return z.real, z.imag, np.abs(z)


def complex_abs(z):
    return abs(z)


def complex_scalar_arith(z, w):
    return z * w + z / w - w


def euler_fall(n, dt):
    t = np.zeros(n)
    v = np.zeros(n)
    y = np.zeros(n)
    y[0] = 100.0
    g = 9.81
    for i in range(1, n):
        v[i] = v[i - 1] - g * dt
        y[i] = y[i - 1] + v[i - 1] * dt
        t[i] = t[i - 1] + dt
    return t, y, v


def harmonic_oscillator(n, dt, k):
    x = np.empty(n)
    p = np.empty(n)
    x[0] = 1.0
    p[0] = 0.0
    for i in range(n - 1):
        p[i + 1] = p[i] - k * x[i] * dt
        x[i + 1] = x[i] + p[i + 1] * dt
    return x, p


def monte_carlo_pi(n, seed):
    np.random.seed(seed)
    x = np.random.random(n)
    y = np.random.random(n)
    inside = (x * x + y * y <= 1.0).sum()
    return 4.0 * inside / n


def monte_carlo_pi_loop(n, seed):
    np.random.seed(seed)
    hits = 0
    for _ in range(n):
        x = np.random.random()
        y = np.random.random()
        if x * x + y * y <= 1.0:
            hits += 1
    return 4.0 * hits / n


def mandelbrot(w, h, maxit):
    out = np.zeros((h, w), dtype=np.int64)
    for i in range(h):
        for j in range(w):
            c = complex(-2.0 + 3.0 * j / w, -1.5 + 3.0 * i / h)
            z = 0j
            k = 0
            while abs(z) <= 2.0 and k < maxit:
                z = z * z + c
                k += 1
            out[i, j] = k
    return out


def mandelbrot_np(w, h, maxit):
    x = np.linspace(-2.0, 1.0, w)
    y = np.linspace(-1.5, 1.5, h)
    C = x[None, :] + 1j * y[:, None]
    Z = np.zeros_like(C)
    M = np.zeros(C.shape, dtype=np.int64)
    for k in range(maxit):
        mask = np.abs(Z) <= 2.0
        Z[mask] = Z[mask] * Z[mask] + C[mask]
        M[mask] += 1
    return M


def pairwise_dist(X):
    d = X[:, None, :] - X[None, :, :]
    return np.sqrt((d ** 2).sum(axis=-1))


def pairwise_dist_loop(X):
    n = X.shape[0]
    D = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(X.shape[1]):
                diff = X[i, k] - X[j, k]
                s += diff * diff
            D[i, j] = math.sqrt(s)
    return D


def softmax(x):
    e = np.exp(x - np.max(x))
    return e / e.sum()


def softmax_rows(X):
    e = np.exp(X - X.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def relu(x):
    return np.maximum(x, 0)


def mse(y, yhat):
    return np.mean((y - yhat) ** 2)


def mse_loop(y, yhat):
    s = 0.0
    for i in range(len(y)):
        d = y[i] - yhat[i]
        s += d * d
    return s / len(y)


def gd_linreg(x, y, lr, steps):
    w = 0.0
    b = 0.0
    n = len(x)
    for _ in range(steps):
        yhat = w * x + b
        err = yhat - y
        gw = 2.0 * (err * x).sum() / n
        gb = 2.0 * err.sum() / n
        w -= lr * gw
        b -= lr * gb
    return w, b


def cosine_similarity(a, b):
    return np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))


def running_max(a):
    out = np.empty_like(a)
    m = a[0]
    for i in range(len(a)):
        if a[i] > m:
            m = a[i]
        out[i] = m
    return out


def running_max_accumulate(a):
    return np.maximum.accumulate(a)


def argmax_rows(M):
    return np.argmax(M, axis=1)


def argmax_rows_loop(M):
    out = []
    for row in M:
        out.append(int(np.argmax(row)))
    return out


def topk(a, k):
    idx = np.argsort(a)[::-1][:k]
    return idx, a[idx]


def pct(a):
    return np.percentile(a, [25, 50, 75]), np.quantile(a, 0.9)


def cov_corr(X):
    return np.cov(X), np.corrcoef(X)


def nan_mean_manual(a):
    s = 0.0
    n = 0
    for x in a:
        if not np.isnan(x):
            s += x
            n += 1
    return s / n if n > 0 else float('nan')


def nanmean_np(a):
    return np.nanmean(a), np.nanmax(a)


def standardize_columns(X):
    mu = X.mean(axis=0)
    sd = X.std(axis=0)
    return (X - mu) / sd


def minmax_scale(a):
    lo = a.min()
    hi = a.max()
    return (a - lo) / (hi - lo)


def one_hot(labels, k):
    n = len(labels)
    out = np.zeros((n, k))
    for i in range(n):
        out[i, labels[i]] = 1.0
    return out


def one_hot_fancy(labels, k):
    out = np.zeros((len(labels), k))
    out[np.arange(len(labels)), labels] = 1.0
    return out


def trapezoid(y, dx):
    s = 0.0
    for i in range(len(y) - 1):
        s += 0.5 * (y[i] + y[i + 1]) * dx
    return s


def trapz_np(y, x):
    return np.trapz(y, x)


def matvec_loop(A, x):
    n, m = A.shape
    y = np.zeros(n)
    for i in range(n):
        for j in range(m):
            y[i] += A[i, j] * x[j]
    return y


def power_iteration(A, iters):
    v = np.ones(A.shape[0])
    lam = 0.0
    for _ in range(iters):
        w = A @ v
        lam = np.linalg.norm(w)
        v = w / lam
    return lam, v


def mean_abs_dev(a):
    return np.mean(np.abs(a - np.mean(a)))


def exp_smooth(a, alpha):
    out = np.empty(len(a))
    out[0] = a[0]
    for i in range(1, len(a)):
        out[i] = alpha * a[i] + (1 - alpha) * out[i - 1]
    return out


def normalize_inplace(a):
    a -= a.mean()
    a /= a.std()
    return None


def fill_diagonal_loop(n, v):
    M = np.zeros((n, n))
    for i in range(n):
        M[i, i] = v
    return M


def describe(a):
    return {"mean": a.mean(), "std": a.std(), "min": a.min(), "max": a.max(), "n": len(a)}


def float32_accumulate(a):
    s = np.float32(0.0)
    for x in a:
        s += x
    return s


def int_array_stats(a):
    return a.sum(), a.mean(), a.max() - a.min(), a // 2, a % 3


def bool_mask_assign(a):
    b = a.copy()
    b[b < 0] = 0
    return b


def inv_det(A):
    return np.linalg.inv(A), np.linalg.det(A)


def tuple_of_shapes(A):
    return A.shape, A.T.shape, A.ndim, A.size


def roll_diff(a):
    return a - np.roll(a, 1)


def rms(a):
    return math.sqrt(sum(x * x for x in a) / len(a))


def kahan_sum(a):
    s = 0.0
    c = 0.0
    for x in a:
        y = x - c
        t = s + y
        c = (t - s) - y
        s = t
    return s


def pearson_r(x, y):
    xm = x - x.mean()
    ym = y - y.mean()
    return (xm * ym).sum() / np.sqrt((xm ** 2).sum() * (ym ** 2).sum())


def linspace_eval(n):
    x = np.linspace(0.0, 2.0 * np.pi, n)
    return np.sin(x) * np.cos(x)


def weighted_avg(a, w):
    return np.average(a, weights=w)


def median_filter_loop(a, k):
    h = k // 2
    out = a.copy()
    for i in range(h, len(a) - h):
        out[i] = np.median(a[i - h:i + h + 1])
    return out


def abs_complex_array(z):
    return abs(z)


def complex_roots_of_unity(n):
    k = np.arange(n)
    return np.exp(2j * np.pi * k / n)


def complex_np_scalar(a, b):
    z = np.complex128(a) + np.complex128(b) * 1j
    return z * z.conjugate(), z.real, abs(z)


def cumulative_returns(prices):
    r = prices[1:] / prices[:-1] - 1.0
    return np.cumprod(1.0 + r) - 1.0


def rolling_std_loop(a, w):
    out = np.full(len(a), np.nan)
    for i in range(w - 1, len(a)):
        out[i] = a[i - w + 1:i + 1].std()
    return out


def dot_loop_int(a, b):
    s = 0
    for i in range(len(a)):
        s += a[i] * b[i]
    return s


def count_in_range(a, lo, hi):
    c = 0
    for x in a:
        if lo <= x < hi:
            c += 1
    return c


def flatten_max_index(M):
    i = np.argmax(M)
    return np.unravel_index(i, M.shape)


def sort_rows_by_col(M, c):
    return M[M[:, c].argsort()]


def random_matrix_stats(n, seed):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(n, n))
    return M.mean(), M.std()


def random_uniform_seeded(n, seed):
    np.random.seed(seed)
    return np.random.uniform(-1.0, 1.0, size=n), np.random.randint(0, 10, size=n)


def sum_of_list_of_arrays(arrs):
    total = np.zeros_like(arrs[0])
    for a in arrs:
        total += a
    return total


def column_stack_xy(x, y):
    return np.column_stack((x, y))


def isclose_check(a, b):
    return np.allclose(a, b), np.isclose(a, b)


def percent_change_print(a):
    for i in range(1, len(a)):
        ch = (a[i] - a[i - 1]) / a[i - 1] * 100
        print(f"step {i}: {ch:+.2f}%")
    return len(a) - 1


def divide_arrays(a, b):
    return a / b


def log_of_array(a):
    return np.log(a)


def scalar_div_warn(a):
    s = 0.0
    for x in a:
        s += 1.0 / x
    return s


def int_overflow_loop(a):
    p = np.int64(1)
    for x in a:
        p *= x
    return p


def pos_and_neg_mean(a):
    pos = a[a > 0]
    neg = a[a < 0]
    return pos.mean(), neg.mean()


# ---- batch 2: edge cases people hit in notebooks ----

def sqrt_each(a):
    out = []
    for x in a:
        out.append(np.sqrt(x))
    return out


def log_each_sum(a):
    s = 0.0
    for x in a:
        s += np.log(x)
    return s


def exp_each_max(a):
    m = -np.inf
    for x in a:
        v = np.exp(x)
        if v > m:
            m = v
    return m


def pow_half_each(a):
    return [x ** 0.5 for x in a]


def int8_sum_scalar(a):
    s = np.int8(0)
    for x in a:
        s += x
    return s


def uint8_image_scale(img):
    f = img.astype(np.float32) / 255.0
    return f, (img * 2), img.mean()


def uint8_brighten_loop(img, d):
    out = img.copy()
    for i in range(out.shape[0]):
        for j in range(out.shape[1]):
            out[i, j] = min(255, int(img[i, j]) + d)
    return out


def int32_ops(a):
    return a.sum(), a * 2, a / 2, a.dtype.name


def empty_mean(a):
    return a.mean()


def empty_max(a):
    return a.max()


def index_oob(a):
    return a[len(a)]


def singular_solve(A, b):
    return np.linalg.solve(A, b)


def builtin_round_scalar(a):
    return [round(x, 2) for x in a], round(a[0])


def float_int_conversions(a):
    return float(a.mean()), int(a.sum()), int(a[0]), bool(a[0] > 0)


def math_on_np_scalar(a):
    return math.floor(a[0]), math.exp(a[1]), math.isnan(a[2])


def print_end_sep(a):
    for x in a:
        print(x, end=' ')
    print()
    print(*a[:3], sep=', ')
    print(f"{a[0]:.2e} {a[1]:8.3f} {a[2]!r}")
    return None


def std_ddof(a):
    return a.std(ddof=1), np.std(a, ddof=1), np.var(a, ddof=1)


def norm_variants(M):
    return np.linalg.norm(M, axis=1), np.linalg.norm(M[0], ord=1), np.linalg.norm(M)


def min_axis_argmin(M):
    return M.min(axis=0), np.argmin(M, axis=0), M.argmin()


def fraction_above(a, t):
    return np.sum(a > t) / len(a)


def random_normal_positional(seed):
    np.random.seed(seed)
    return np.random.normal(0.0, 1.0, 5)


def shuffle_split(X, seed):
    np.random.seed(seed)
    idx = np.arange(len(X))
    np.random.shuffle(idx)
    k = len(X) // 2
    return X[idx[:k]], X[idx[k:]]


def diff2_cumsum_axis(M):
    return np.diff(M[0], n=2), np.cumsum(M, axis=1)


def nested_listcomp(M):
    return [[float(M[i, j]) for j in range(M.shape[1])] for i in range(M.shape[0])]


def sorted_builtin(a):
    return sorted(a)


def list_of_array(a):
    return list(a)


def array_from_stats(a):
    return np.array([a.mean(), a.std(), a.min(), a.max()])


def mandelbrot_point_np(cs, maxit):
    out = np.zeros(len(cs), dtype=np.int64)
    for i in range(len(cs)):
        c = cs[i]
        z = 0j
        n = 0
        while abs(z) <= 2.0 and n < maxit:
            z = z * z + c
            n += 1
        out[i] = n
    return out


def complex_array_loop(z):
    s = 0j
    for x in z:
        s += x * x.conjugate()
    return s


def rows_inplace_scale(M):
    for row in M:
        row *= 2.0
    return M.sum()


def overlapping_inplace(a):
    a[1:] += a[:-1]
    return a


def view_return(a):
    return a[::2]


def transpose_matmul(X):
    return X.T @ X, np.dot(X[:, 0], X[:, 1])


def int_floordiv_zero(a, b):
    return a // b, a % b


def scalar_floordiv_zero(a):
    s = 0
    for x in a:
        s += 10 // x
    return s


def np_scalar_divide(a):
    return a[0] / a[1], a[0] // a[1], a[0] % a[1]


def chained_compare(a, lo, hi):
    return [bool(lo < x < hi) for x in a]


def max_with_zero(a):
    return [max(x, 0.0) for x in a], min(a[0], a[1])


def arange_pow(n):
    return np.arange(n) ** 2, 2 ** np.arange(n), np.arange(n) / n


def reshape_variants(a):
    return a.reshape(2, -1), a.reshape((-1, 2)).T.copy(), a.ravel()


def mean_of_empty_slice(a):
    return a[a > 100].mean()


def where_index(a):
    return np.where(a > 0)[0]


def accumulate_list_then_array(n):
    xs = []
    for i in range(n):
        xs.append(i * 0.5)
    return np.array(xs)


def float32_scalar_loop(a):
    out = np.empty_like(a)
    for i in range(len(a)):
        out[i] = a[i] * 0.1 + np.float32(1.5)
    return out, a[0] * 0.1, a[0] * np.float32(0.1)


def int64_large_mean(a):
    return a.mean(), a.sum(), np.mean(a, dtype=np.float64)


def bool_array_ops(m):
    return m.sum(), np.count_nonzero(m), m.mean(), (~m).any(), m.astype(np.int64)


def nan_compare_loop(a):
    c = 0
    for x in a:
        if x == x:
            c += 1
    return c


def tuple_unpack_shape(M):
    n, m = M.shape
    return n * m, (n, m)


# ---------------------------------------------------------------------------
# The argument sets: each a zero-arg callable returning a fresh tuple of args
# ---------------------------------------------------------------------------

def R(seed):
    return np.random.RandomState(seed)


def f64(n, seed=0):
    return R(seed).standard_normal(n)


def f32(n, seed=0):
    return R(seed).standard_normal(n).astype(np.float32)


def i64(n, lo=-5, hi=10, seed=0):
    return R(seed).randint(lo, hi, size=n).astype(np.int64)


def with_nans(n, seed=0):
    a = f64(n, seed)
    a[::4] = np.nan
    return a


def m64(r, c, seed=0):
    return R(seed).standard_normal((r, c))


def spd(n, seed=0):
    M = m64(n, n, seed)
    return M @ M.T + n * np.eye(n)


CASES = [
    (normalize, [lambda: (f64(10),), lambda: (f32(7),), lambda: (np.zeros(3),)]),
    (zscore, [lambda: (f64(20),), lambda: (i64(15),), lambda: (with_nans(8),)]),
    (moving_average_loop, [lambda: (f64(20), 3), lambda: (np.arange(10.0), 5)]),
    (moving_average_slice, [lambda: (f64(20), 4), lambda: (f32(12), 3)]),
    (moving_average_cumsum, [lambda: (f64(20), 4), lambda: (i64(12), 3)]),
    (clip_and_where, [lambda: (f64(15), -0.5, 0.5), lambda: (i64(10), 0, 5)]),
    (mean_positive, [lambda: (f64(20),), lambda: (i64(10),), lambda: (-np.ones(4),)]),
    (count_positive, [lambda: (f64(20),), lambda: (m64(3, 4),)]),
    (col_means, [lambda: (m64(5, 3),), lambda: (i64(12).reshape(4, 3),)]),
    (row_sums, [lambda: (m64(5, 3),), lambda: (np.asfortranarray(m64(4, 6)),)]),
    (cumsum_diff, [lambda: (f64(10),), lambda: (i64(10),)]),
    (solve_system, [lambda: (spd(4), f64(4, 1)), lambda: (spd(3, 2), f64(3, 3))]),
    (build_vandermonde, [lambda: (np.linspace(0, 1, 6), 3), lambda: (f64(4), 2)]),
    (random_walk, [lambda: (10, 42), lambda: (5, 0)]),
    (histogram_loop, [lambda: (f64(50), 5, -2.0, 2.0), lambda: (np.array([0.0, 0.5, 1.0, 1.5]), 2, 0.0, 2.0)]),
    (histogram_np, [lambda: (f64(50), 5), lambda: (i64(30), 4)]),
    (bincount_labels, [lambda: (i64(20, 0, 5),)]),
    (searchsorted_bins, [lambda: (np.linspace(-2, 2, 5), f64(10)), lambda: (np.arange(5.0), 2.5)]),
    (interp_curve, [lambda: (np.linspace(0, 1, 7), np.array([0.0, 0.5, 1.0]), np.array([0.0, 2.0, 1.0]))]),
    (smooth_convolve, [lambda: (f64(10),), lambda: (i64(8),)]),
    (grid_eval, [lambda: (5,), lambda: (3,)]),
    (outer_product, [lambda: (f64(3), f64(4, 1)), lambda: (i64(3), i64(2))]),
    (einsum_matmul, [lambda: (m64(3, 4), m64(4, 2, 1))]),
    (einsum_trace, [lambda: (m64(4, 4),)]),
    (argsort_sort, [lambda: (f64(10),), lambda: (i64(10),), lambda: (with_nans(6),)]),
    (unique_counts, [lambda: (i64(20, 0, 4),), lambda: (np.array([1.5, 1.5, np.nan, 2.0]),)]),
    (to_list, [lambda: (f64(4),), lambda: (i64(6).reshape(2, 3),), lambda: (f32(3),)]),
    (as_column, [lambda: (f64(4),), lambda: (i64(3),)]),
    (first_column, [lambda: (m64(4, 3),), lambda: (i64(6).reshape(3, 2),)]),
    (fancy_index, [lambda: (f64(10), np.array([0, 3, 3, -1])), lambda: (f64(5), [4, 0])]),
    (stack_rows, [lambda: (f64(3), f64(3, 1)), lambda: (i64(2), f64(2))]),
    (concat, [lambda: (f64(3), f64(2, 1)), lambda: (i64(2), f32(2))]),
    (fit_line, [lambda: (np.arange(8.0), 2.0 * np.arange(8.0) + 1.0 + 0.1 * f64(8))]),
    (clean_nans, [lambda: (with_nans(8),), lambda: (np.array([np.inf, -np.inf, np.nan, 1.0]),)]),
    (has_nan, [lambda: (with_nans(8),), lambda: (f64(5),)]),
    (log1p_transform, [lambda: (np.abs(f64(6)),), lambda: (np.array([-1.0, -2.0, 0.0]),)]),
    (gaussian, [lambda: (np.linspace(-3, 3, 7),), lambda: (f32(5),)]),
    (hypot_dist, [lambda: (f64(5), f64(5, 1)), lambda: (3.0, 4.0)]),
    (round2, [lambda: (f64(6) * 100,), lambda: (np.array([0.125, 0.135, 2.675, -0.005]),)]),
    (to_int, [lambda: (f64(6) * 10,), lambda: (with_nans(4),)]),
    (print_stats, [lambda: (f64(6),), lambda: (i64(5),)]),
    (print_scalar_loop, [lambda: (f64(3),), lambda: (i64(3),), lambda: (f32(2),)]),
    (squares_listcomp, [lambda: (f64(4),), lambda: (i64(4),)]),
    (zip_dot, [lambda: (f64(5), f64(5, 1)), lambda: (i64(5), i64(5, seed=1)), lambda: (np.zeros(0), np.zeros(0))]),
    (enumerate_argmax, [lambda: (f64(10),), lambda: (i64(10),), lambda: (with_nans(6),)]),
    (builtin_sum, [lambda: (f64(10),), lambda: (i64(10),), lambda: (f32(5),), lambda: (m64(2, 3),)]),
    (builtin_max, [lambda: (f64(10),), lambda: (i64(10),), lambda: (with_nans(5),)]),
    (length, [lambda: (f64(10),), lambda: (m64(3, 2),)]),
    (split_pos_neg, [lambda: (f64(10),), lambda: (i64(8),)]),
    (fft_power, [lambda: (f64(8),), lambda: (np.sin(np.linspace(0, 6.28, 16)),)]),
    (complex_abs, [lambda: (np.complex128(3 + 4j),), lambda: (3 - 4j,), lambda: (np.complex64(1 + 1j),)]),
    (complex_scalar_arith, [lambda: (np.complex128(1 + 2j), np.complex128(3 - 1j)), lambda: (np.complex128(1 + 2j), 2.0),
                            lambda: (1 + 2j, np.complex128(0.5 + 0.5j))]),
    (euler_fall, [lambda: (10, 0.1), lambda: (5, 0.5)]),
    (harmonic_oscillator, [lambda: (50, 0.01, 4.0)]),
    (monte_carlo_pi, [lambda: (1000, 0), lambda: (100, 7)]),
    (monte_carlo_pi_loop, [lambda: (1000, 0), lambda: (100, 7)]),
    (mandelbrot, [lambda: (16, 12, 30)]),
    (mandelbrot_np, [lambda: (16, 12, 20)]),
    (pairwise_dist, [lambda: (m64(5, 2),), lambda: (i64(6).reshape(3, 2),)]),
    (pairwise_dist_loop, [lambda: (m64(5, 2),), lambda: (i64(6).reshape(3, 2),)]),
    (softmax, [lambda: (f64(5),), lambda: (np.array([1000.0, 1001.0, 1002.0]),), lambda: (f32(4),)]),
    (softmax_rows, [lambda: (m64(3, 4),)]),
    (sigmoid, [lambda: (f64(6),), lambda: (np.array([-1000.0, 0.0, 1000.0]),), lambda: (0.5,)]),
    (relu, [lambda: (f64(6),), lambda: (i64(6),), lambda: (f32(4),)]),
    (mse, [lambda: (f64(10), f64(10, 1)), lambda: (i64(5), i64(5, seed=2))]),
    (mse_loop, [lambda: (f64(10), f64(10, 1)), lambda: (i64(5), i64(5, seed=2)), lambda: (f32(4), f32(4, 1))]),
    (gd_linreg, [lambda: (np.linspace(0, 1, 20), 3.0 * np.linspace(0, 1, 20) + 0.5, 0.1, 50)]),
    (cosine_similarity, [lambda: (f64(5), f64(5, 1)), lambda: (i64(4), i64(4, seed=3)), lambda: (np.zeros(3), f64(3))]),
    (running_max, [lambda: (f64(10),), lambda: (i64(10),), lambda: (with_nans(6),)]),
    (running_max_accumulate, [lambda: (f64(10),), lambda: (i64(10),)]),
    (argmax_rows, [lambda: (m64(4, 5),), lambda: (i64(12).reshape(3, 4),)]),
    (argmax_rows_loop, [lambda: (m64(4, 5),), lambda: (i64(12).reshape(3, 4),)]),
    (topk, [lambda: (f64(10), 3), lambda: (i64(10), 4)]),
    (pct, [lambda: (f64(21),), lambda: (i64(10),), lambda: (with_nans(8),)]),
    (cov_corr, [lambda: (m64(3, 10),)]),
    (nan_mean_manual, [lambda: (with_nans(10),), lambda: (np.full(3, np.nan),), lambda: (f32(4),)]),
    (nanmean_np, [lambda: (with_nans(10),), lambda: (np.full(3, np.nan),)]),
    (standardize_columns, [lambda: (m64(6, 3),), lambda: (np.ones((3, 2)),)]),
    (minmax_scale, [lambda: (f64(8),), lambda: (i64(8),), lambda: (np.ones(3),)]),
    (one_hot, [lambda: (i64(6, 0, 3), 3)]),
    (one_hot_fancy, [lambda: (i64(6, 0, 3), 3)]),
    (trapezoid, [lambda: (np.sin(np.linspace(0, np.pi, 20)), np.pi / 19), lambda: (i64(5), 0.5)]),
    (trapz_np, [lambda: (np.sin(np.linspace(0, np.pi, 20)), np.linspace(0, np.pi, 20))]),
    (matvec_loop, [lambda: (m64(3, 4), f64(4, 1)), lambda: (i64(6).reshape(2, 3), f64(3))]),
    (power_iteration, [lambda: (spd(4), 20)]),
    (mean_abs_dev, [lambda: (f64(10),), lambda: (i64(7),)]),
    (exp_smooth, [lambda: (f64(10), 0.3), lambda: (i64(6), 0.5)]),
    (normalize_inplace, [lambda: (f64(8),), lambda: (f32(5),)]),
    (fill_diagonal_loop, [lambda: (4, 2.5), lambda: (3, 1)]),
    (describe, [lambda: (f64(8),), lambda: (i64(5),)]),
    (float32_accumulate, [lambda: (f32(10),), lambda: (f64(3),)]),
    (int_array_stats, [lambda: (i64(9),)]),
    (bool_mask_assign, [lambda: (f64(8),), lambda: (i64(8),)]),
    (inv_det, [lambda: (spd(3),), lambda: (np.array([[1.0, 2.0], [3.0, 4.0]]),)]),
    (tuple_of_shapes, [lambda: (m64(3, 5),), lambda: (f64(4),)]),
    (roll_diff, [lambda: (f64(6),), lambda: (i64(6),)]),
    (rms, [lambda: (f64(10),), lambda: (i64(6),)]),
    (kahan_sum, [lambda: (f64(100),), lambda: (np.array([1e16, 1.0, -1e16]),)]),
    (pearson_r, [lambda: (f64(10), f64(10, 1)), lambda: (i64(8), i64(8, seed=4))]),
    (linspace_eval, [lambda: (9,)]),
    (weighted_avg, [lambda: (f64(5), np.abs(f64(5, 1))), lambda: (i64(4), np.array([1, 2, 3, 4]))]),
    (median_filter_loop, [lambda: (f64(10), 3), lambda: (i64(8), 3)]),
    (abs_complex_array, [lambda: (np.array([3 + 4j, -1j, 1 + 1j]),), lambda: (f64(4),)]),
    (complex_roots_of_unity, [lambda: (4,), lambda: (6,)]),
    (complex_np_scalar, [lambda: (1.5, -2.0), lambda: (0.0, 0.0)]),
    (cumulative_returns, [lambda: (100.0 + np.cumsum(f64(10)),)]),
    (rolling_std_loop, [lambda: (f64(10), 3)]),
    (dot_loop_int, [lambda: (i64(10), i64(10, seed=1)), lambda: (f64(3), i64(3))]),
    (count_in_range, [lambda: (f64(20), -0.5, 0.5), lambda: (i64(20), 0, 3)]),
    (flatten_max_index, [lambda: (m64(3, 4),)]),
    (sort_rows_by_col, [lambda: (m64(5, 3), 1)]),
    (random_matrix_stats, [lambda: (4, 0)]),
    (random_uniform_seeded, [lambda: (5, 1)]),
    (sum_of_list_of_arrays, [lambda: ([f64(3), f64(3, 1), f64(3, 2)],)]),
    (column_stack_xy, [lambda: (f64(3), f64(3, 1))]),
    (isclose_check, [lambda: (f64(4), f64(4) + 1e-12), lambda: (f64(3), f64(3, 1))]),
    (percent_change_print, [lambda: (100.0 + np.cumsum(f64(5)),), lambda: (np.array([1.0, 0.0, 2.0]),)]),
    (divide_arrays, [lambda: (f64(4), f64(4, 1)), lambda: (np.array([1.0, 0.0, -1.0]), np.zeros(3)), lambda: (i64(3), i64(3, 1, 4))]),
    (log_of_array, [lambda: (np.abs(f64(4)),), lambda: (np.array([-1.0, 0.0, 1.0]),)]),
    (scalar_div_warn, [lambda: (f64(5),), lambda: (np.array([1.0, 0.0, 2.0]),)]),
    (int_overflow_loop, [lambda: (np.arange(1, 10, dtype=np.int64),), lambda: (np.full(5, 2 ** 20, dtype=np.int64),)]),
    (pos_and_neg_mean, [lambda: (f64(10),), lambda: (np.abs(f64(4)),)]),
]



def detrend_second_half(a):
    n = len(a)
    a[n // 2:] -= a[n // 2:].mean()
    return a


def warmup_scale(M):
    M[:2] *= 0.5
    return M


def add_offset_all(a, c):
    a[:] += c
    return a.sum()


def random_scalar_loop(n, seed):
    np.random.seed(seed)
    total = 0.0
    for _ in range(n):
        total += np.random.randn()
    return total

CASES2 = [
    (sqrt_each, [lambda: (np.array([4.0, 2.0, 0.0]),), lambda: (np.array([4.0, -1.0, 9.0]),), lambda: (np.array([4, 9], dtype=np.int64),)]),
    (log_each_sum, [lambda: (np.abs(f64(5)),), lambda: (np.array([1.0, 0.0, 2.0]),), lambda: (np.array([1.0, -1.0]),)]),
    (exp_each_max, [lambda: (f64(5),), lambda: (np.array([1.0, 1000.0]),), lambda: (f32(4),)]),
    (pow_half_each, [lambda: (np.array([4.0, -4.0]),), lambda: (f32(3),)]),
    (int8_sum_scalar, [lambda: (np.array([1, 2, 3], dtype=np.int8),), lambda: (np.array([100, 100], dtype=np.int8),)]),
    (uint8_image_scale, [lambda: (R(0).randint(0, 256, (3, 4)).astype(np.uint8),)]),
    (uint8_brighten_loop, [lambda: (R(0).randint(0, 256, (3, 4)).astype(np.uint8), 50)]),
    (int32_ops, [lambda: (np.arange(5, dtype=np.int32),)]),
    (empty_mean, [lambda: (np.zeros(0),), lambda: (f64(3),)]),
    (empty_max, [lambda: (np.zeros(0),)]),
    (index_oob, [lambda: (f64(3),)]),
    (singular_solve, [lambda: (np.ones((2, 2)), np.ones(2))]),
    (builtin_round_scalar, [lambda: (f64(3) * 10,), lambda: (f32(2) * 10,)]),
    (float_int_conversions, [lambda: (f64(4),), lambda: (i64(4),)]),
    (math_on_np_scalar, [lambda: (f64(3),), lambda: (np.array([1.5, 2.0, np.nan]),), lambda: (f32(3),)]),
    (print_end_sep, [lambda: (f64(4),), lambda: (i64(4),), lambda: (f32(3),)]),
    (std_ddof, [lambda: (f64(6),), lambda: (np.ones(1),)]),
    (norm_variants, [lambda: (m64(3, 4),)]),
    (min_axis_argmin, [lambda: (m64(3, 4),), lambda: (i64(6).reshape(2, 3),)]),
    (fraction_above, [lambda: (f64(10), 0.5), lambda: (i64(7), 3)]),
    (random_normal_positional, [lambda: (3,)]),
    (shuffle_split, [lambda: (m64(6, 2), 0)]),
    (diff2_cumsum_axis, [lambda: (m64(3, 5),), lambda: (i64(8).reshape(2, 4),)]),
    (nested_listcomp, [lambda: (m64(2, 3),), lambda: (i64(4).reshape(2, 2),)]),
    (sorted_builtin, [lambda: (f64(5),), lambda: (i64(5),)]),
    (list_of_array, [lambda: (f64(3),), lambda: (m64(2, 2),)]),
    (array_from_stats, [lambda: (f64(6),), lambda: (i64(6),)]),
    (mandelbrot_point_np, [lambda: (np.array([0j, 1 + 1j, -1 + 0.1j, 0.3 - 0.5j]), 50)]),
    (complex_array_loop, [lambda: (np.array([1 + 2j, 3 - 1j]),), lambda: (np.array([1 + 2j], dtype=np.complex64),)]),
    (rows_inplace_scale, [lambda: (m64(3, 2),)]),
    (overlapping_inplace, [lambda: (np.arange(6.0),), lambda: (i64(5),)]),
    (view_return, [lambda: (f64(6),)]),
    (transpose_matmul, [lambda: (m64(4, 3),), lambda: (i64(6).reshape(3, 2),)]),
    (int_floordiv_zero, [lambda: (np.array([5, -5, 3]), np.array([2, 0, 0]))]),
    (scalar_floordiv_zero, [lambda: (np.array([1, 2, 5]),), lambda: (np.array([1, 0, 5]),)]),
    (np_scalar_divide, [lambda: (np.array([7.0, 2.0]),), lambda: (np.array([7, -2]),), lambda: (np.array([1.0, 0.0]),), lambda: (np.array([7, 0]),)]),
    (chained_compare, [lambda: (f64(6), -0.5, 0.5), lambda: (with_nans(4), -1.0, 1.0)]),
    (max_with_zero, [lambda: (f64(4),), lambda: (with_nans(4),), lambda: (np.array([np.nan, 1.0, -1.0]),)]),
    (arange_pow, [lambda: (5,)]),
    (reshape_variants, [lambda: (f64(6),)]),
    (mean_of_empty_slice, [lambda: (f64(5),)]),
    (where_index, [lambda: (f64(8),)]),
    (accumulate_list_then_array, [lambda: (5,), lambda: (0,)]),
    (float32_scalar_loop, [lambda: (f32(4),)]),
    (int64_large_mean, [lambda: (np.array([2 ** 62, 2 ** 62, 1], dtype=np.int64),)]),
    (bool_array_ops, [lambda: (f64(6) > 0,)]),
    (nan_compare_loop, [lambda: (with_nans(8),)]),
    (tuple_unpack_shape, [lambda: (m64(2, 5),)]),
    (detrend_second_half, [lambda: (f64(6),)]),
    (warmup_scale, [lambda: (m64(4, 3),)]),
    (add_offset_all, [lambda: (f64(5), 1.0), lambda: (i64(4), 2)]),
    (random_scalar_loop, [lambda: (10, 0)]),
]
CASES = CASES + CASES2
