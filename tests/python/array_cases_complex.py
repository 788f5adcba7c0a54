"""NumPy cases, part 6 (the Case rules: array_cases.py): NumPy complex64 and complex128, scalars
and arrays (lower_npcomplex.cpp). Arithmetic with NumPy's own formulas (the schoolbook product,
Smith's division through a reciprocal) and its warnings, promotion with Python's complex, floats
and ints, complex arrays of every layout read and written in place, and NumPy's functions on
complex arrays. Every call that does not warn must run natively."""
import math

import numpy as np

import pyvorin
from array_cases import A, case_adder, cp

CASES = []
INF, NAN = math.inf, math.nan
C128, C64 = np.complex128, np.complex64


add = case_adder(CASES)


# PyExec's API: mandelbrot(c: complex128, max_iter)
def mandelbrot_c128(c: pyvorin.complex128, max_iter: int) -> int:
    z = pyvorin.complex128(0)
    for i in range(max_iter):
        z = z * z + c
        if abs(z) > 2.0:
            return i
    return max_iter


add(mandelbrot_c128, [(C128(-0.5 + 0.5j), 200), (C128(0.3 + 0.5j), 200), (C128(1 + 1j), 200), (C128(-2.0), 50),
                 (C128(0.25 + 0j), 1000), (C128(-0.75 + 0.1j), 500)])


def mandelbrot_weak(c, max_iter):
    # z starts as Python's complex and becomes a NumPy complex128 once c is one
    z = 0j
    n = 0
    while abs(z) <= 2.0 and n < max_iter:
        z = z * z + c
        n += 1
    return n, z


add(mandelbrot_weak, [(C128(-0.5 + 0.5j), 100), (-0.5 + 0.5j, 100), (C128(0.4 + 0.4j), 100), (C128(0), 0)])


def mandelbrot_grid(cs, max_iter):
    out = np.zeros(cs.shape, np.int64)
    for i in range(cs.shape[0]):
        for j in range(cs.shape[1]):
            c = cs[i, j]
            z = c
            k = 0
            while k < max_iter and z.real * z.real + z.imag * z.imag <= 4.0:
                z = z * z + c
                k += 1
            out[i, j] = k
    return out


_grid = (np.linspace(-2.0, 0.5, 7)[None, :] + 1j * np.linspace(-1.2, 1.2, 5)[:, None])
add(mandelbrot_grid, [(A(_grid, np.complex128), 60), (A(_grid, np.complex64), 60), (A(_grid, np.complex128, "F"), 30)])


def arith(a, b):
    return a + b, a - b, a * b, a / b, -a, +a


_special = [C128(1 + 2j), C128(3 - 1j), C128(0), C128(-0.0 - 0.0j), C128(complex(INF, 0)), C128(complex(0, INF)),
            C128(complex(NAN, 1)), C128(complex(1, NAN)), C128(1e308 + 1e308j), C128(1e-308 + 1e-308j),
            C128(complex(-INF, INF)), C128(5e-324 + 0j)]
add(arith, [(x, y) for x in _special for y in _special] +
    [(C64(1 + 2j), C64(3 - 1j)), (C64(3e38 + 3e38j), C64(10)), (C64(1 + 1j), C64(0)), (C64(1e-30 + 1j), C64(1e30 + 1e30j))])


def mixed(z, x):
    # NumPy's promotion: a complex64 with a Python float or int is complex128; with float32, complex64
    return z + x, x - z, z * x, x / z, z == x, z != x


add(mixed, [(C128(1 + 2j), 2.5), (C128(1 + 2j), 3), (C64(1 + 2j), 2.5), (C64(1 + 2j), 3), (C64(1 + 2j), np.float32(0.5)),
            (C64(1 + 2j), np.int16(7)), (C64(1 + 2j), np.int32(7)), (C64(1 + 2j), 1j), (C128(1 + 2j), 2 + 0j),
            (C128(2 + 0j), 2.0), (C128(1 + 2j), True), (C128(0), 0), (np.float64(1.5), 1j), (C64(2 + 0j), np.float64(2.0))])


def parts(z):
    return z.real, z.imag, z.conjugate(), abs(z), bool(z), complex(z), z == z, z != z


add(parts, [C128(3 + 4j), C64(3 + 4j), C128(0), C128(complex(NAN, 0)), C128(complex(INF, NAN)), C128(1.5e308 + 1.5e308j),
            C64(3e38 + 3e38j), C128(-0.0 + 0j), C128(complex(0, -0.0))])


def ordering(a, b):
    return a < b


# NumPy orders complex values lexicographically: not compiled, a reason
add(ordering, [(C128(1 + 2j), C128(1 + 3j))], fallback_ok=True)


def numpy_functions(z):
    return (np.abs(z), np.absolute(z), np.negative(z), np.square(z), np.isnan(z), np.isinf(z), np.isfinite(z),
            np.sqrt(z), np.exp(z), np.complex128(z), np.complex64(z))


add(numpy_functions, [C128(3 + 4j), C64(-1 + 0j), C128(complex(NAN, 1)), C128(complex(1, INF)), cp(C128(1e200 + 1e200j))])


def to_complex(x):
    return np.complex128(x), np.complex64(x), complex(x)


add(to_complex, [1.5, 3, True, np.float32(2.5), np.int8(-3), 1 + 2j, C64(1 + 2j), C128(1 + 2j), cp(1e300)])


def sum_abs2(a):
    s = 0.0
    for i in range(a.shape[0]):
        z = a[i]
        s += z.real * z.real + z.imag * z.imag
    return s


def csum(a):
    s = np.complex128(0)
    for x in a:
        s += x
    return s


def cdot(a, b):
    s = a[0] * 0
    for i in range(a.shape[0]):
        s += a[i] * b[i].conjugate()
    return s


def csum2d(a):
    s = 0j
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s = s + a[i, j] * (i - j)
    return s


_v = [1 + 2j, 3 - 4j, -0.5 + 0.25j, 1e-3j, 7 + 0j]
_m = [[1 + 1j, 2 - 1j, 0.5j], [-3 + 0j, 4 + 4j, 1 - 1j]]
add(sum_abs2, [A(_v, np.complex128), A(_v, np.complex64), A(_v, np.complex128, "R"), A(_v, np.complex64, "S"),
               A([], np.complex128)])
add(csum, [A(_v, np.complex128), A(_v, np.complex64), A([1e308 + 0j, 1e308 + 0j], np.complex128), A([], np.complex64)])
add(cdot, [(A(_v, np.complex128), A(_v[::-1], np.complex128)), (A(_v, np.complex64), A(_v, np.complex64)),
           (A([1e200 + 1e200j, 1j], np.complex128), A([1e200 + 0j, 1j], np.complex128)),
           (A([complex(INF, 0), 1j], np.complex128), A([0j, 1j], np.complex128))])
add(csum2d, [A(_m, np.complex128), A(_m, np.complex128, "F"), A(_m, np.complex64), A(_m, np.complex128, "T"),
             A(_m, np.complex64, "S")])


def cfill(n, w):
    out = np.zeros(n, np.complex128)
    for i in range(n):
        out[i] = complex(i, -i) / w
    return out


def cstore(a, x):
    a[0] = x
    a[-1] = a[0] * 2
    return a


def scale_inplace(a, s):
    for i in range(a.shape[0]):
        a[i] = a[i] * s
    return a


add(cfill, [(4, 1 + 1j), (3, 0j), (3, C128(2 - 1j))], in_cpython=[1])
add(cstore, [(A([0j, 0j, 0j], np.complex128), 1 + 2j), (A([0j, 0j], np.complex128), 2.5), (A([0j, 0j], np.complex64), 3),
             (A([0j, 0j], np.complex64), C128(1 + 1j)), cp(A([0j, 0j], np.complex64), 1e300),
             (A([0j, 0j], np.complex128), np.float32(1.5)), (A([0j, 0j], np.complex128, "R"), C64(1 - 1j)),
             (A([0j, 0j], np.complex128, "RO"), 1j)])
add(scale_inplace, [(A(_v, np.complex128), 2.0), (A(_v, np.complex64), np.float32(0.5)), (A(_v, np.complex128, "S"), 1j)])


def complex_into_float(a, z):
    a[0] = z
    return a


# NumPy raises (a Python complex) or drops the imaginary part with a ComplexWarning: a reason
add(complex_into_float, [(A([0.0, 1.0]), C128(1 + 2j))], fallback_ok=True)


def whole_arrays(a, b):
    return a + b, a * 2j, a - 1, a / b, a.conj(), np.abs(a), a.real, a.imag, a.sum(), a.mean(), a == b, -a


add(whole_arrays, [(A(_v, np.complex128), A(_v[::-1], np.complex128)), (A(_v, np.complex64), A(_v, np.complex64)),
                   (A(_m, np.complex128), A(_m, np.complex128, "F"))])


def make_arrays(n):
    z = np.zeros(n, np.complex128)
    o = np.ones((2, n), dtype=np.complex64)
    f = np.full(n, 1 + 2j)
    e = np.zeros_like(z)
    return z, o, f, e


add(make_arrays, [3, 0])


def float_with_complex(a):
    # a real array with a Python complex: NumPy's value-based cast (float32 * 1j is complex64)
    return a * 1j, a + (1 - 1j)


add(float_with_complex, [A([1.0, 2.0], np.float32), A([1.0, 2.0]), A([1, 2], np.int8), A([1, 2], np.int32)])


def warns_in_loop(a):
    s = np.complex128(1)
    for i in range(a.shape[0]):
        s = s * a[i]
    return s


add(warns_in_loop, [A([1 + 1j, 2 - 1j], np.complex128), A([1e200 + 1e200j, 1e200 + 0j], np.complex128),
                    A([complex(INF, 0), 0j], np.complex128), A([1e30 + 1e30j, 1e30 + 0j], np.complex64)])


def divides_in_loop(a, b):
    s = np.complex128(0)
    for i in range(a.shape[0]):
        s += a[i] / b[i]
    return s


add(divides_in_loop, [(A(_v, np.complex128), A(_v[::-1], np.complex128)),
                      (A([1 + 1j, 1j], np.complex128), A([0j, 1 + 0j], np.complex128)),
                      (A([0j, 1j], np.complex128), A([0j, 1 + 0j], np.complex128)),
                      (A([1e300 + 1e300j], np.complex128), A([1e-300 + 1e-300j], np.complex128)),
                      (A([complex(NAN, 1)], np.complex128), A([complex(1, NAN)], np.complex128))])


def prints(z):
    print(z, z * 2, abs(z))
    print(repr(z))
    return str(z)


add(prints, [C128(1 + 2j), C64(1.1 + 2j), C128(complex(NAN, -INF)), C128(-0.0 + 0j)])


def items(a):
    return a[0].item(), a.item(1), a[-1], a.shape, a.dtype.name


add(items, [A(_v, np.complex128), A(_v, np.complex64)], fallback_ok=True)
