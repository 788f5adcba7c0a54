"""Whole-array float64 expressions: NumPy (an array per operation), Numba (@njit of the same
expression: its array expressions are fused too) and Pyvorin (lower_fuse.cpp: one vectorised
loop, no temporaries), each checked equal to NumPy's result bit for bit.

    /usr/bin/python3 benchmarks/fused.py [--n 1000000] [--markdown]
"""
import argparse
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "build", "python"))
import pyvorin  # noqa: E402


def axpy(a, x, y):
    return a * x + y


def hypot(x, y):
    return np.sqrt(x * x + y * y)


def moneyness(s, k, t):
    return (s - k) * 0.5 / np.sqrt(t) + s * k - t


def centred_diff(a, h):
    return (a[2:] - a[:-2]) / (2.0 * h)


def best(fn, args, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--markdown", action="store_true")
    o = p.parse_args()
    rng = np.random.default_rng(1)
    x, y = rng.random(o.n), rng.random(o.n)
    z = rng.random(o.n) + 0.1
    cases = [(axpy, (2.0, x, y)), (hypot, (x, y)), (moneyness, (x, y, z)), (centred_diff, (x, 0.01))]
    try:
        import numba
    except ImportError:
        numba = None
    rows = []
    for fn, args in cases:
        expected = fn(*args)
        jf = pyvorin.jit(fn)
        got = jf(*args)
        assert got.tobytes() == expected.tobytes() and jf.fallback_reason is None, fn.__name__
        t_np = best(fn, args, o.repeat)
        t_pv = best(jf, args, o.repeat)
        t_nb = None
        if numba is not None:
            nb = numba.njit(fn)
            nb(*args)
            t_nb = best(nb, args, o.repeat)
        rows.append((fn.__name__, t_np, t_nb, t_pv))
    if o.markdown:
        print("| expression (n = %d) | NumPy ms | Numba ms | Pyvorin ms | NumPy/Pv | Pv/Numba |" % o.n)
        print("|---|---|---|---|---|---|")
    for name, t_np, t_nb, t_pv in rows:
        nb = "%.2f" % (t_nb * 1e3) if t_nb else "-"
        ratio = "%.2f" % (t_pv / t_nb) if t_nb else "-"
        if o.markdown:
            print("| %s | %.2f | %s | %.2f | %.2f | %s |" % (name, t_np * 1e3, nb, t_pv * 1e3, t_np / t_pv, ratio))
        else:
            print("%-14s numpy %7.2f ms  numba %7s ms  pyvorin %7.2f ms  numpy/pv %.2f  pv/numba %s" %
                  (name, t_np * 1e3, nb, t_pv * 1e3, t_np / t_pv, ratio))


if __name__ == "__main__":
    main()
