"""Functions on Python's complex for test_complex.py (jitted there; the source must be in a file)."""
import cmath
import math


def arith(a, b):
    return a + b, a - b, a * b, a / b, -a, +a, a.conjugate(), a ** 2


def mixed(a, x, n):
    return a + x, x - a, a * n, n / a, x * a, a / x, a + n + x, 2j * a, a * 1j + 1


def compare(a, b, n, x):
    return a == b, a != b, a == n, n != a, a == x, x == a


def parts(a):
    return a.real, a.imag, abs(a), bool(a), complex(a.imag, a.real), complex(), complex(a.real)


def mandelbrot(c, max_iter):
    z = 0j
    for n in range(max_iter):
        if abs(z) > 2.0:
            return n
        z = z * z + c
    return max_iter


def mandelbrot_grid(w, h, max_iter):
    total = 0
    for j in range(h):
        for i in range(w):
            c = complex(-2.0 + 3.0 * i / w, -1.5 + 3.0 * j / h)
            total += mandelbrot(c, max_iter)
    return total


def roots_of_unity(n):
    s = 0j
    for k in range(n):
        s += complex(math.cos(2 * math.pi * k / n), math.sin(2 * math.pi * k / n))
    return s, abs(s)


def printed(a):
    print(a, a * 2, -a)
    return f"{a}|{a!r}|{a.real:.3f}"


def divide_by_zero(a):
    return a / 0j


def powers(a, b):
    return a ** b, a ** 3, a ** -1, a ** 0.5


def cmath_functions(z, x):
    first = cmath.sqrt(z), cmath.exp(z), cmath.phase(z), cmath.polar(z), cmath.rect(x, 0.5)
    return first, cmath.isnan(z), cmath.log(z), cmath.sqrt(x), cmath.isclose(z, z * 1.0000000001)
