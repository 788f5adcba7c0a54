"""NumPy array benchmark kernels: plain Python functions over ndarrays, written the way notebook code
is written (explicit index loops over range(a.shape[0]), a[i, j] indexing, np.zeros/np.empty for
results). arrays.py loads this file once per implementation (CPython, Numba, Pyvorin) and decorates
every kernel, as containers.py does with container_kernels.py. Kernels never mutate their inputs;
those that fill an output array either take it as an argument (saxpy, prefix_sum, black_scholes)
or allocate it (the others).

Keep each kernel's C twin in benchmarks/c/array_kernels.c in step with the Python text here.
"""
import math

import numpy as np


def sum_sq(n):
    total = 0
    for i in range(n):
        total += (i % 1000) ** 2
    return total


def dot(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += a[i] * b[i]
    return s


def saxpy(alpha, x, y, out):
    for i in range(x.shape[0]):
        out[i] = alpha * x[i] + y[i]
    return out


def jacobi(u0, sweeps):
    n = u0.shape[0]
    m = u0.shape[1]
    u = np.empty((n, m))
    v = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            u[i, j] = u0[i, j]
            v[i, j] = u0[i, j]
    for s in range(sweeps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                v[i, j] = 0.25 * (u[i - 1, j] + u[i + 1, j] + u[i, j - 1] + u[i, j + 1])
        u, v = v, u
    return u


def matmul(a, b):
    n = a.shape[0]
    m = b.shape[1]
    p = a.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for k in range(p):
                s += a[i, k] * b[k, j]
            c[i, j] = s
    return c


def mandelbrot(width, height, max_iter):
    out = np.zeros((height, width), np.int64)
    for py in range(height):
        y0 = -1.5 + 3.0 * py / height
        for px in range(width):
            x0 = -2.0 + 3.0 * px / width
            x = 0.0
            y = 0.0
            i = 0
            while i < max_iter and x * x + y * y <= 4.0:
                xt = x * x - y * y + x0
                y = 2.0 * x * y + y0
                x = xt
                i += 1
            out[py, px] = i
    return out


def histogram(x, bins, lo, hi):
    counts = np.zeros(bins, np.int64)
    scale = bins / (hi - lo)
    for i in range(x.shape[0]):
        v = x[i]
        if v >= lo and v < hi:
            k = int((v - lo) * scale)
            if k < bins:
                counts[k] += 1
    return counts


def pairwise(pts):
    n = pts.shape[0]
    d = pts.shape[1]
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(d):
                t = pts[i, k] - pts[j, k]
                s += t * t
            out[i, j] = math.sqrt(s)
    return out


def prefix_sum(x, out):
    acc = 0.0
    for i in range(x.shape[0]):
        acc += x[i]
        out[i] = acc
    return out


def norm_cdf(x):
    """The standard normal CDF, Abramowitz & Stegun 26.2.17 (|error| < 7.5e-8), as the timed
    kernel and its C twin compute it; the black_scholes_erf probe uses math.erf instead."""
    t = 1.0 / (1.0 + 0.2316419 * abs(x))
    poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 +
                                                                           t * 1.330274429))))
    p = 1.0 - 0.3989422804014327 * math.exp(-0.5 * x * x) * poly
    if x < 0.0:
        return 1.0 - p
    return p


def black_scholes(price, strike, years, rate, vol, call, put):
    for i in range(price.shape[0]):
        s = price[i]
        k = strike[i]
        t = years[i]
        sig_sqrt_t = vol * math.sqrt(t)
        d1 = (math.log(s / k) + (rate + 0.5 * vol * vol) * t) / sig_sqrt_t
        d2 = d1 - sig_sqrt_t
        disc = k * math.exp(-rate * t)
        call[i] = s * norm_cdf(d1) - disc * norm_cdf(d2)
        put[i] = disc * norm_cdf(-d2) - s * norm_cdf(-d1)
    return call, put


# The timed kernels, in table order.
KERNELS = ["sum_sq", "dot", "saxpy", "jacobi", "matmul", "mandelbrot", "histogram", "pairwise",
           "prefix_sum", "black_scholes"]

# Helpers every implementation must decorate too (called from kernels).
HELPERS = ["norm_cdf"]


# ------------------------------------------------------------------------------------ the probes
# Variants that are not timed: how other ways of writing a kernel fare. arrays.py compiles each
# (Pyvorin and Numba) at a small size, checks its result against CPython's and reports whether
# Pyvorin ran it natively or, if not, why.

def matmul_augassign(a, b):
    """matmul as often written in notebooks: c[i, j] += ... into np.zeros."""
    n = a.shape[0]
    m = b.shape[1]
    p = a.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            for k in range(p):
                c[i, j] += a[i, k] * b[k, j]
    return c


def black_scholes_erf(price, strike, years, rate, vol, call, put):
    """black_scholes with the exact normal CDF, 0.5 * (1 + erf(x / sqrt(2)))."""
    for i in range(price.shape[0]):
        s = price[i]
        k = strike[i]
        t = years[i]
        sig_sqrt_t = vol * math.sqrt(t)
        d1 = (math.log(s / k) + (rate + 0.5 * vol * vol) * t) / sig_sqrt_t
        d2 = d1 - sig_sqrt_t
        disc = k * math.exp(-rate * t)
        call[i] = s * 0.5 * (1.0 + math.erf(d1 / math.sqrt(2.0))) - \
            disc * 0.5 * (1.0 + math.erf(d2 / math.sqrt(2.0)))
        put[i] = disc * 0.5 * (1.0 + math.erf(-d2 / math.sqrt(2.0))) - \
            s * 0.5 * (1.0 + math.erf(-d1 / math.sqrt(2.0)))
    return call, put


def prefix_sum_reversed(x, out):
    """prefix_sum from the end: acc is a float before the first += and a numpy.float64 after, and
    each out[i] = acc is written after out[i + 1] (a store wider than the element shows)."""
    acc = 0.0
    for i in range(x.shape[0] - 1, -1, -1):
        acc += x[i]
        out[i] = acc
    return out


def read_past_end(a, i):
    """a[i] one element past the end of a view into a larger array (the memory is there, so a
    missing bounds check returns the next element instead of raising IndexError)."""
    return a[i]


# probe -> the kernel whose make_args (at SIZES["probe"]) gives its arguments
PROBES = {"matmul_augassign": "matmul", "black_scholes_erf": "black_scholes",
          "prefix_sum_reversed": "prefix_sum", "read_past_end": "read_past_end"}


# ------------------------------------------------------------------------- float() variants
# The same kernels with every element read wrapped in float(): a[i] is a numpy.float64, and NumPy
# scalar arithmetic warns on overflow, division by zero and invalid results (CPython prints a
# RuntimeWarning), which compiled code has to check after every operation; on Python floats it
# does not. `arrays.py --variants` times these next to the kernels: the difference is what
# NumPy's scalar semantics cost. Results are the same bits.

def dot_f(a, b):
    s = 0.0
    for i in range(a.shape[0]):
        s += float(a[i]) * float(b[i])
    return s


def saxpy_f(alpha, x, y, out):
    for i in range(x.shape[0]):
        out[i] = alpha * float(x[i]) + float(y[i])
    return out


def jacobi_f(u0, sweeps):
    n = u0.shape[0]
    m = u0.shape[1]
    u = np.empty((n, m))
    v = np.empty((n, m))
    for i in range(n):
        for j in range(m):
            u[i, j] = u0[i, j]
            v[i, j] = u0[i, j]
    for s in range(sweeps):
        for i in range(1, n - 1):
            for j in range(1, m - 1):
                v[i, j] = 0.25 * (float(u[i - 1, j]) + float(u[i + 1, j]) + float(u[i, j - 1]) +
                                  float(u[i, j + 1]))
        u, v = v, u
    return u


def matmul_f(a, b):
    n = a.shape[0]
    m = b.shape[1]
    p = a.shape[1]
    c = np.zeros((n, m))
    for i in range(n):
        for j in range(m):
            s = 0.0
            for k in range(p):
                s += float(a[i, k]) * float(b[k, j])
            c[i, j] = s
    return c


def histogram_f(x, bins, lo, hi):
    counts = np.zeros(bins, np.int64)
    scale = bins / (hi - lo)
    for i in range(x.shape[0]):
        v = float(x[i])
        if v >= lo and v < hi:
            k = int((v - lo) * scale)
            if k < bins:
                counts[k] += 1
    return counts


def pairwise_f(pts):
    n = pts.shape[0]
    d = pts.shape[1]
    out = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            s = 0.0
            for k in range(d):
                t = float(pts[i, k]) - float(pts[j, k])
                s += t * t
            out[i, j] = math.sqrt(s)
    return out


def prefix_sum_f(x, out):
    acc = 0.0
    for i in range(x.shape[0]):
        acc += float(x[i])
        out[i] = acc
    return out


def black_scholes_f(price, strike, years, rate, vol, call, put):
    for i in range(price.shape[0]):
        s = float(price[i])
        k = float(strike[i])
        t = float(years[i])
        sig_sqrt_t = vol * math.sqrt(t)
        d1 = (math.log(s / k) + (rate + 0.5 * vol * vol) * t) / sig_sqrt_t
        d2 = d1 - sig_sqrt_t
        disc = k * math.exp(-rate * t)
        call[i] = s * norm_cdf(d1) - disc * norm_cdf(d2)
        put[i] = disc * norm_cdf(-d2) - s * norm_cdf(-d1)
    return call, put


# kernel -> its float() variant (sum_sq and mandelbrot compute on ints and Python floats already)
FLOAT_VARIANTS = {k: k + "_f" for k in ["dot", "saxpy", "jacobi", "matmul", "histogram",
                                        "pairwise", "prefix_sum", "black_scholes"]}


# ---------------------------------------------------------------------------------------- sizes

# Input parameters per profile; make_args turns them into the kernel's arguments.
#   sum_sq: n; dot, saxpy, prefix_sum, black_scholes: array length; jacobi: (rows, cols, sweeps);
#   matmul: n (n x n times n x n); mandelbrot: (width, height, max_iter);
#   histogram: (values, bins); pairwise: (points, dimensions).
SIZES = {
    "full": {
        "sum_sq": (10_000_000,),
        "dot": (1_000_000,),
        "saxpy": (1_000_000,),
        "jacobi": (500, 500, 4),
        "matmul": (200,),
        "mandelbrot": (400, 300, 255),
        "histogram": (1_000_000, 64),
        "pairwise": (300, 3),
        "prefix_sum": (1_000_000,),
        "black_scholes": (100_000,),
    },
    "quick": {
        "sum_sq": (200_000,),
        "dot": (50_000,),
        "saxpy": (50_000,),
        "jacobi": (60, 50, 2),
        "matmul": (30,),
        "mandelbrot": (60, 40, 100),
        "histogram": (50_000, 16),
        "pairwise": (60, 3),
        "prefix_sum": (50_000,),
        "black_scholes": (5_000,),
    },
    "probe": {
        "matmul": (12,),
        "black_scholes": (300,),
        "prefix_sum": (8,),
        "read_past_end": (8,),
    },
}


def make_args(kernel, params, seed=2024):
    """The kernel's arguments for SIZES[profile][kernel]: deterministic (a fixed seed), fresh arrays
    on every call, so each implementation gets equal inputs and output arrays of its own."""
    rng = np.random.default_rng(seed)
    if kernel == "sum_sq":
        return (params[0],)
    if kernel == "dot":
        (n,) = params
        return (rng.standard_normal(n), rng.standard_normal(n))
    if kernel == "saxpy":
        (n,) = params
        return (2.5, rng.standard_normal(n), rng.standard_normal(n), np.empty(n))
    if kernel == "jacobi":
        n, m, sweeps = params
        u0 = np.zeros((n, m))
        u0[0, :] = 1.0                      # a hot edge, the interior random
        u0[1:-1, 1:-1] = rng.random((n - 2, m - 2))
        return (u0, sweeps)
    if kernel == "matmul":
        (n,) = params
        return (rng.standard_normal((n, n)), rng.standard_normal((n, n)))
    if kernel == "mandelbrot":
        return tuple(params)
    if kernel == "histogram":
        n, bins = params
        return (rng.standard_normal(n), bins, -3.0, 3.0)  # ~0.3 % of the values fall outside
    if kernel == "pairwise":
        n, d = params
        return (rng.random((n, d)),)
    if kernel == "prefix_sum":
        (n,) = params
        return (rng.standard_normal(n), np.empty(n))
    if kernel == "black_scholes":
        (n,) = params
        return (rng.uniform(20.0, 200.0, n), rng.uniform(20.0, 200.0, n), rng.uniform(0.05, 3.0, n),
                0.03, 0.25, np.empty(n), np.empty(n))
    if kernel == "read_past_end":
        (n,) = params
        return (np.arange(2.0 * n)[:n], n)
    raise KeyError(kernel)


def describe(kernel, params):
    """The table's first column: the kernel and its input."""
    if kernel == "sum_sq":
        return f"sum_sq(n={params[0]:,})"
    if kernel in ("dot", "saxpy", "prefix_sum", "black_scholes"):
        return f"{kernel}({params[0]:,} float64)"
    if kernel == "jacobi":
        return f"jacobi({params[0]}×{params[1]}, {params[2]} sweeps)"
    if kernel == "matmul":
        return f"matmul({params[0]}×{params[0]})"
    if kernel == "mandelbrot":
        return f"mandelbrot({params[0]}×{params[1]}, {params[2]} iter)"
    if kernel == "histogram":
        return f"histogram({params[0]:,} float64, {params[1]} bins)"
    if kernel == "pairwise":
        return f"pairwise({params[0]} points, {params[1]}-D)"
    return kernel


# ------------------------------------------------------------------ NumPy whole-array versions
# For reference: what the same computation costs written with whole-array operations. Each
# returns what the loop kernel returns (the same dtype and shape; floats may differ in the last
# bits where NumPy sums in another order or uses its own SIMD exp/log).

def _np_sum_sq(n):
    r = np.arange(n, dtype=np.int64) % 1000
    return int((r * r).sum())


def _np_dot(a, b):
    return np.dot(a, b)


def _np_saxpy(alpha, x, y, out):
    np.multiply(x, alpha, out=out)
    out += y
    return out


def _np_jacobi(u0, sweeps):
    u = u0.copy()
    v = u0.copy()
    for _ in range(sweeps):
        v[1:-1, 1:-1] = 0.25 * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:])
        u, v = v, u
    return u


def _np_matmul(a, b):
    return a @ b


def _np_mandelbrot(width, height, max_iter):
    y0 = (-1.5 + 3.0 * np.arange(height) / height)[:, None]
    x0 = (-2.0 + 3.0 * np.arange(width) / width)[None, :]
    x = np.zeros((height, width))
    y = np.zeros((height, width))
    out = np.zeros((height, width), np.int64)
    active = np.ones((height, width), bool)
    for _ in range(max_iter):
        active &= x * x + y * y <= 4.0
        if not active.any():
            break
        xt = x * x - y * y + x0
        y = np.where(active, 2.0 * x * y + y0, y)
        x = np.where(active, xt, x)
        out += active
    return out


def _np_histogram(x, bins, lo, hi):
    v = x[(x >= lo) & (x < hi)]
    k = ((v - lo) * (bins / (hi - lo))).astype(np.int64)
    return np.bincount(k[k < bins], minlength=bins).astype(np.int64)


def _np_pairwise(pts):
    diff = pts[:, None, :] - pts[None, :, :]
    return np.sqrt((diff * diff).sum(axis=-1))


def _np_prefix_sum(x, out):
    return np.cumsum(x, out=out)


def _np_norm_cdf(x):
    t = 1.0 / (1.0 + 0.2316419 * np.abs(x))
    poly = t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 +
                                                                           t * 1.330274429))))
    p = 1.0 - 0.3989422804014327 * np.exp(-0.5 * x * x) * poly
    return np.where(x < 0.0, 1.0 - p, p)


def _np_black_scholes(price, strike, years, rate, vol, call, put):
    sig_sqrt_t = vol * np.sqrt(years)
    d1 = (np.log(price / strike) + (rate + 0.5 * vol * vol) * years) / sig_sqrt_t
    d2 = d1 - sig_sqrt_t
    disc = strike * np.exp(-rate * years)
    call[:] = price * _np_norm_cdf(d1) - disc * _np_norm_cdf(d2)
    put[:] = disc * _np_norm_cdf(-d2) - price * _np_norm_cdf(-d1)
    return call, put


NUMPY_VERSIONS = {k: globals()["_np_" + k] for k in KERNELS}
