"""Benchmark kernels: plain Python functions inside Pyvorin's compiled subset (ints, floats, bools,
loops, if, calls, recursion, math). run.py loads this file once per implementation and decorates it.

Keep each kernel's C twin in benchmarks/c/kernels.c in step with the Python text here.
"""
import math


def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def is_prime(n):
    if n < 2:
        return False
    if n % 2 == 0:
        return n == 2
    i = 3
    while i * i <= n:
        if n % i == 0:
            return False
        i += 2
    return True


def count_primes(limit):
    count = 0
    for k in range(limit):
        if is_prime(k):
            count += 1
    return count


def mandelbrot(width, height, max_iter):
    total = 0
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
            total += i
    return total


def collatz_len(n):
    steps = 1
    while n != 1:
        if n % 2 == 0:
            n = n // 2
        else:
            n = 3 * n + 1
        steps += 1
    return steps


def longest_collatz(limit):
    best = 1
    best_len = 1
    for start in range(1, limit):
        length = collatz_len(start)
        if length > best_len:
            best_len = length
            best = start
    return best


def nbody(steps):
    """Three bodies in a plane, scalar state, symplectic Euler; returns the final total energy."""
    dt = 0.001
    soft = 0.01
    x1 = 0.0
    y1 = 0.0
    vx1 = 0.0
    vy1 = 0.0
    m1 = 10.0
    x2 = 1.0
    y2 = 0.0
    vx2 = 0.0
    vy2 = 3.0
    m2 = 1.0
    x3 = -1.5
    y3 = 0.5
    vx3 = 0.5
    vy3 = -2.0
    m3 = 0.5
    for step in range(steps):
        dx = x2 - x1
        dy = y2 - y1
        d2 = dx * dx + dy * dy + soft
        f12 = 1.0 / (d2 * math.sqrt(d2))
        dx13 = x3 - x1
        dy13 = y3 - y1
        d2 = dx13 * dx13 + dy13 * dy13 + soft
        f13 = 1.0 / (d2 * math.sqrt(d2))
        dx23 = x3 - x2
        dy23 = y3 - y2
        d2 = dx23 * dx23 + dy23 * dy23 + soft
        f23 = 1.0 / (d2 * math.sqrt(d2))
        vx1 += dt * (m2 * f12 * dx + m3 * f13 * dx13)
        vy1 += dt * (m2 * f12 * dy + m3 * f13 * dy13)
        vx2 += dt * (m3 * f23 * dx23 - m1 * f12 * dx)
        vy2 += dt * (m3 * f23 * dy23 - m1 * f12 * dy)
        vx3 -= dt * (m1 * f13 * dx13 + m2 * f23 * dx23)
        vy3 -= dt * (m1 * f13 * dy13 + m2 * f23 * dy23)
        x1 += dt * vx1
        y1 += dt * vy1
        x2 += dt * vx2
        y2 += dt * vy2
        x3 += dt * vx3
        y3 += dt * vy3
    kinetic = 0.5 * (m1 * (vx1 * vx1 + vy1 * vy1) + m2 * (vx2 * vx2 + vy2 * vy2)
                     + m3 * (vx3 * vx3 + vy3 * vy3))
    r12 = math.sqrt((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1) + soft)
    r13 = math.sqrt((x3 - x1) * (x3 - x1) + (y3 - y1) * (y3 - y1) + soft)
    r23 = math.sqrt((x3 - x2) * (x3 - x2) + (y3 - y2) * (y3 - y2) + soft)
    return kinetic - m1 * m2 / r12 - m1 * m3 / r13 - m2 * m3 / r23


def sum_squares(n):
    total = 0
    for i in range(n):
        total += i * i
    return total


def add(a, b):
    return a + b


# The timed kernels, in table order: name -> function name in this module.
KERNELS = ["fib", "count_primes", "mandelbrot", "longest_collatz", "nbody", "sum_squares"]

# Helpers every implementation must decorate too (they are called from kernels).
HELPERS = ["is_prime", "collatz_len", "add"]

# Inputs per profile. "full" results all fit int64 (sum_squares: (n-1)n(2n-1)/6 < 2**63 for
# n = 3_000_000), so every implementation is timed on the same exact answer.
SIZES = {
    "full": {
        "fib": (32,),
        "count_primes": (500_000,),
        "mandelbrot": (400, 300, 255),
        "longest_collatz": (300_000,),
        "nbody": (300_000,),
        "sum_squares": (3_000_000,),
    },
    "quick": {
        "fib": (22,),
        "count_primes": (20_000,),
        "mandelbrot": (60, 40, 100),
        "longest_collatz": (10_000,),
        "nbody": (5_000,),
        "sum_squares": (300_000,),
    },
    "tiny": {
        "fib": (15,),
        "count_primes": (500,),
        "mandelbrot": (12, 10, 30),
        "longest_collatz": (300,),
        "nbody": (200,),
        "sum_squares": (1_000,),
    },
}

# The correctness row: the sum of squares below 10**7 exceeds int64. CPython is exact; a wrapping
# int64 implementation (Numba, C) is silently wrong; Pyvorin must detect the overflow and be exact.
OVERFLOW_CASE = ("sum_squares", (10**7,))


def sum_squares_exact(n):
    """Closed form of sum(i*i for i in range(n)), exact (Python ints)."""
    return (n - 1) * n * (2 * n - 1) // 6
