"""NumPy cases, part 3 (the Case rules: array_cases.py): allocations and conversions
(np.zeros/ones/empty/full and their _like forms, np.arange, np.linspace, np.array, copies, astype,
reshape, ravel, fill, item), reductions with and without axis=, ufuncs on scalars and arrays,
np.where, np.dot and @, whole-array operators with broadcasting and NumPy 1.24's value-based
casting, augmented assignment (in place in NumPy), effects before a rerun in CPython, and
jitted helpers that take ndarrays."""
import numpy as np

import pyvorin
from array_cases import A, CP, Case, arr, cp, sc
from array_testutil import DTYPES, FLOATS, INTS

CASES = []


def add(fn, argsets, name=None, **kw):
    fn = getattr(fn, "py_func", fn)
    name = name or fn.__name__
    assert name not in {c.name for c in CASES}, name
    CASES.append(Case(name, fn, argsets, **kw))


NUMERIC = [d for d in DTYPES if d is not np.bool_]


# ---------------------------------------------------------------------------------------------
# Allocations
# ---------------------------------------------------------------------------------------------
def zeros_forms(n, m):
    return (np.zeros(n), np.zeros((n, m)), np.zeros(n, dtype=np.int32), np.zeros(n, np.int64),
            np.zeros((m, n), np.float32), np.zeros(n, dtype=bool), np.zeros((2, n, m), dtype=np.uint16),
            np.zeros(n, dtype=float), np.zeros(n, dtype=int))


add(zeros_forms, [(3, 2), (0, 4), (1, 1), (-1, 2)])


def ones_full(n, x):
    return (np.ones(n), np.ones((2, n), dtype=np.uint8), np.full(n, 7), np.full((2, n), 2.5),
            np.full(n, True), np.full(n, x), np.full((n, 2), x, dtype=np.float32), np.ones(n, np.int16))


add(ones_full, [(3, 1.5), (2, 4), (0, False), (2, sc(np.float32, 0.1)), (2, sc(np.int8, -3)),
                (2, sc(np.uint64, 2**63))])


def string_dtypes(n, a):
    return (np.zeros(n, 'f4'), np.ones((2, n), dtype='i2'), np.full(n, 3, 'u1'), np.zeros(n, 'float64'),
            a.astype('f4'), a.astype('int8'), np.zeros_like(a, 'f4'), np.arange(n, dtype='i4'))


add(string_dtypes, [(3, arr(np.float64, (4,))), (0, arr(np.int16, (2, 2)))])


def empty_one(n):
    return np.empty((n, 2), dtype=np.int64)


add(empty_one, [3, 0], compare="shape")


def empty_shapes(n):
    a, b, c = np.empty(n), np.empty((n, 3), dtype=np.float32), np.empty((2, n), np.int8)
    return a.shape, a.itemsize, b.shape, b.itemsize, c.shape, c.itemsize


add(empty_shapes, [2, 0])


def like_forms(a):
    return (np.zeros_like(a), np.ones_like(a), np.full_like(a, 3), np.zeros_like(a, dtype=np.float32),
            np.ones_like(a, np.int8), np.full_like(a, 2.5))


add(like_forms, [arr(d, sh, lay) for d in (np.float64, np.int16, np.bool_, np.float32)
                 for sh in ((4,), (2, 3)) for lay in ("C", "F", "S", "R", "RO")])


def empty_like_shape(a):
    e = np.empty_like(a)
    return e.shape, e.ndim, e.size


add(empty_like_shape, [arr(np.float64, (2, 3), lay) for lay in ("C", "F", "S")])


def arange_forms(a, b, step):
    return np.arange(a), np.arange(a, b), np.arange(a, b, step)


add(arange_forms, [(5, 9, 2), (0, 0, 1), (-3, 3, 2), (10, 0, -3), (5, 9, 0), (0.5, 3.0, 0.5),
                   (0.0, 1.0, 0.1), (1, 10, 2.5), (2, 5.5, 1), (-1.5, 1, 0.75)])


def arange_dtypes(n):
    return np.arange(n, dtype=np.float32), np.arange(n, dtype=np.uint8), np.arange(1, n, dtype=float)


add(arange_dtypes, [5, 0, 1])


def arange_numpy_bounds(x, n):
    return np.arange(x), np.arange(x, n)


add(arange_numpy_bounds, [(sc(np.int32, 4), 7), (sc(np.float32, 1.5), 4), (sc(np.uint8, 3), 6),
                          (sc(np.int16, 2), sc(np.int64, 5))])


def linspace_forms(a, b, n):
    return np.linspace(a, b, n), np.linspace(a, b), np.linspace(a, b, n, endpoint=False)


add(linspace_forms, [(0, 1, 5), (0.0, 1.0, 0), (-2.5, 2.5, 1), (1, 0, 4), (0, 10, 11),
                     (sc(np.float32, 0.5), 2, 3)])


def array_from_lists(xs, ys, flags):
    return (np.array(xs), np.array(ys), np.array(flags), np.array([xs, xs]), np.array(ys, dtype=np.float32),
            np.array([[1.5, 2.0], [3.0, 4.0]]), np.array([1, 2, 3]), np.array(xs, dtype=np.uint8),
            np.array([True, False]))


add(array_from_lists, [([1, 2, 3], [0.5, -1.0], [True, False]), ([7], [2.5], [True]),
                       ([-1, 300], [1e300], [False])])


def array_from_tuple_or_empty(xs):
    return np.array((1, 2, 3)), np.array(xs), np.array([])


add(array_from_tuple_or_empty, [[], [1.5]], fallback_ok=True)


def array_ragged(xs, ys):
    return np.array([xs, ys])


add(array_ragged, [([1, 2], [3, 4]), ([1, 2], [3])])


def array_of_array(a):
    b = np.array(a)
    c = np.asarray(a)
    d = np.ascontiguousarray(a)
    return b, c, d


add(array_of_array, [arr(d, (2, 3), lay) for d in (np.float64, np.int8) for lay in ("C", "F", "S", "RO")])


def copies(a):
    b = np.copy(a)
    c = a.copy()
    b[0] = 1
    c[0] = 2
    return a, b, c


add(copies, [arr(d, sh, lay) for d in (np.float32, np.uint16, np.bool_) for sh in ((5,), (3, 4))
             for lay in ("C", "F", "S", "R", "RO")])


def astypes(a):
    return a.astype(np.float32), a.astype(int), a.astype('f8'), a.astype(bool), a.astype(np.uint8)


add(astypes, [arr(d, sh, lay) for d in (np.float64, np.int16, np.bool_, np.uint64)
              for sh in ((4,), (2, 3)) for lay in ("C", "F", "S", "R")] +
    [A([1e10, -3.7, 2.5], np.float64), A([np.nan, 1.0], np.float64), A([3e38, -1.0], np.float32)])


def reshapes(a):
    return a.reshape(2, 3), a.reshape((3, 2)), a.reshape(-1), a.reshape(6, 1), a.ravel(), a.flatten()


add(reshapes, [arr(d, sh, lay) for d in (np.float64, np.int32) for sh in ((6,), (2, 3), (3, 2))
               for lay in ("C", "F", "S", "R", "RO")] + [arr(np.float64, (5,)), arr(np.float64, (2, 2))])


def reshape_then_store(a):
    b = a.reshape(3, 2)
    b[0, 1] = -1
    r = a.ravel()
    r[-1] = 99
    return a, b, r


add(reshape_then_store, [arr(np.int64, (2, 3), lay) for lay in ("C", "F", "S", "R")])


def fill_array(a, v):
    r = a.fill(v)
    return r, a


add(fill_array, [(arr(d, (2, 3), lay), v) for d in (np.float32, np.int16, np.bool_)
                 for lay in ("C", "F", "S") for v in (0, 2.5, True, sc(np.float64, -1.5))] +
    [(arr(np.float64, (3,), "RO"), 1.0), (arr(np.int8, (3,)), 300), (arr(np.int32, (3,)), float("nan"))],
    in_cpython=())


def item_forms(a):
    return a.item()


add(item_forms, [A([v], d) for d in DTYPES for v in (0, 1)] + [A(2.5), A([[7]], np.int8), A([1.0, 2.0])])


# ---------------------------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------------------------
def reductions(a):
    return (a.sum(), a.prod(), a.min(), a.max(), a.mean(), a.std(), a.var(), a.argmin(), a.argmax(),
            a.any(), a.all())


add(reductions, [arr(d, (5,), lay, nan=(lay == "R")) for d in DTYPES for lay in ("C", "R")] +
    [arr(d, (3, 4), lay, nan=(lay == "S")) for d in DTYPES for lay in ("C", "F", "S")] +
    [arr(np.float64, (3, 4), "RO")])
add(reductions, [arr(np.float64, (0,)), arr(np.int8, (0, 3))], name="reductions-empty")


def mean_of_empty(a):
    return a.mean(), a.sum(), a.any(), a.all()


add(mean_of_empty, [arr(d, (0,)) for d in (np.float64, np.float32, np.int32)])


def reductions_axis(a):
    return (a.sum(axis=0), a.sum(axis=1), a.prod(axis=0), a.min(axis=1), a.max(axis=0), a.mean(axis=1),
            a.argmin(axis=0), a.argmax(axis=1), a.any(axis=0), a.all(axis=1), a.std(axis=0), a.sum(0),
            a.cumsum(), a.cumsum(axis=0), a.max(axis=-1))


add(reductions_axis, [arr(d, (3, 4), lay) for d in DTYPES for lay in ("C", "F", "R")])


def reductions_1d_axis(a):
    return a.sum(axis=0), a.max(axis=0), a.cumsum(), a.mean(axis=0), a.argmax(axis=0)


add(reductions_1d_axis, [arr(d, (6,), lay) for d in (np.float32, np.int8, np.uint64, np.bool_)
                         for lay in ("C", "R")])


def reduction_bad_axis(a, k):
    return a.sum(axis=k)


add(reduction_bad_axis, [(arr(np.float64, (2, 3)), k) for k in (0, 1, -1, 2, -3)])


def np_reductions(a):
    return (np.sum(a), np.max(a), np.min(a), np.mean(a, axis=1), np.sum(a, axis=0), np.prod(a),
            np.amax(a), np.amin(a), np.argmax(a), np.argmin(a), np.any(a), np.all(a), np.std(a),
            np.cumsum(a), np.var(a), np.mean(a))


add(np_reductions, [arr(d, (3, 4), lay) for d in (np.float64, np.int32, np.uint8, np.float32)
                    for lay in ("C", "F")] + [arr(np.float64, (3, 4), "R")])


def np_sort(a):
    return np.sort(a)


add(np_sort, [arr(d, sh, lay) for d in (np.float64, np.int8) for sh in ((5,), (3, 4))
              for lay in ("C", "F", "S", "R")])


def nansum_forms(a):
    return np.nansum(a), a.sum()


add(nansum_forms, [arr(d, (6,), nan=True) for d in FLOATS])


def empty_reductions(a):
    return a.min()


add(empty_reductions, [arr(np.float64, (0,))])


def empty_argmax(a):
    return a.argmax()


add(empty_argmax, [arr(np.int32, (0,))])


def sum_overflow(a):
    return a.sum(), a.prod()


add(sum_overflow, [A([2**62, 2**62], np.int64), A([200, 200], np.uint8), A([127, 127], np.int8),
                   A([1e308, 1e308])])


# ---------------------------------------------------------------------------------------------
# ufuncs on scalars (natively) and on arrays (NumPy's), np.where
# ---------------------------------------------------------------------------------------------
def u_sqrt(x):
    return np.sqrt(x)


def u_exp(x):
    return np.exp(x)


def u_log(x):
    return np.log(x)


def u_sin_cos(x):
    return np.sin(x), np.cos(x)


def u_abs(x):
    return np.abs(x), np.absolute(x)


def u_floor(x):
    return np.floor(x), np.ceil(x)


def u_isnan(x):
    return np.isnan(x), np.isinf(x), np.isfinite(x)


SCALAR_IN = [2.0, 0.0, -0.0, -1.0, 1000.0, float("nan"), float("inf"), 4, -3, True, 2.5] + \
    [sc(d, v) for d in (np.float32, np.float64, np.int32, np.int64, np.uint32, np.int16, np.uint16)
     for v in (4, 0, 2)] + [sc(np.float32, -1.0), sc(np.float64, -0.5), sc(np.float32, 100.0),
                           sc(np.int8, 4), sc(np.uint8, 4), sc(np.bool_, True), sc(np.int8, -128)]
ARRAY_IN = [arr(d, sh, lay, nan=True) for d in (np.float64, np.float32, np.int32, np.uint16)
            for sh in ((5,), (2, 3)) for lay in ("C", "F", "R")] + \
    [A([0.0, -1.0, 1000.0]), A([-128, 5], np.int8), A([0, 1], np.uint8), A([True, False])]


def _kind(x):
    if isinstance(x, A):
        return x.values.dtype
    return np.asarray(x).dtype if isinstance(x, np.generic) else {bool: np.dtype(bool), int: np.dtype(np.int64),
                                                                 float: np.dtype(np.float64)}[type(x)]


def _float16(x):
    return _kind(x) in (np.dtype(np.int8), np.dtype(np.uint8), np.dtype(bool))


for _f in (u_sqrt, u_exp, u_log, u_sin_cos, u_floor):
    add(_f, [x for x in SCALAR_IN if not _float16(x)], name=_f.__name__ + "-scalar")
    # NumPy's own loops on arrays: SIMD or libm by the buffers' addresses (array_testutil.ulp_diff)
    add(_f, [x for x in ARRAY_IN if not _float16(x)], name=_f.__name__ + "-array",
        compare="ulp" if _f in (u_exp, u_log, u_sin_cos) else "exact")
    add(_f, [x for x in SCALAR_IN + ARRAY_IN if _float16(x)], name=_f.__name__ + "-float16",
        fallback_ok=True)
for _f in (u_abs, u_isnan):
    # np.abs(np.int8(-128)) is -128 without a warning; compiled code reruns it in CPython
    add(_f, [CP((x,)) if type(x) is np.int8 and x == -128 else x for x in SCALAR_IN],
        name=_f.__name__ + "-scalar")
    add(_f, ARRAY_IN, name=_f.__name__ + "-array")


def u_minmax(x, y):
    return np.minimum(x, y), np.maximum(x, y)


add(u_minmax, [(0.0, -0.0), (-0.0, 0.0), (sc(np.float64, 0.0), -0.0), (1.0, float("nan")),
               (float("nan"), 1.0), (3, 2.5), (sc(np.int8, -3), sc(np.int8, 4)), (sc(np.uint8, 3), -1),
               (sc(np.float32, 1.5), sc(np.float32, -2.0)), (sc(np.float32, 1.5), 2), (True, 3),
               (sc(np.uint64, 5), sc(np.int64, -1)), (sc(np.float32, -0.0), sc(np.float32, 0.0)),
     (sc(np.int16, 7), 7)],
    name="u_minmax-scalar")
add(u_minmax, [(arr(np.float64, (4,), nan=True), arr(np.float64, (4,), seed=3)),
               (arr(np.int8, (2, 3), "F"), arr(np.int8, (3,), seed=4)), (arr(np.float32, (3,)), 0.0),
               (arr(np.int16, (3,)), 2.5), (arr(np.float64, (3,)), arr(np.float64, (4,)))],
    name="u_minmax-array")


def u_where(c, x, y):
    return np.where(c, x, y)


add(u_where, [(True, 1, 2.5), (False, sc(np.float32, 1.5), sc(np.float32, 2.5)),
              (sc(np.bool_, True), 3, 4)], name="u_where-scalar")
add(u_where, [(A([True, False, True]), arr(np.float64, (3,)), 0.0),
              (A([[True], [False]]), arr(np.int32, (2, 3), "F"), arr(np.int32, (3,), "R")),
              (A([True, False]), arr(np.float32, (2,)), arr(np.float64, (2,))),
              (A([True, False]), arr(np.float32, (3,)), 1.0)], name="u_where-array")


def where_mask(a, t):
    return np.where(a > t, a, t), np.where(a > t)[0]


add(where_mask, [(arr(d, (6,), lay), t) for d in (np.float64, np.int32) for lay in ("C", "R")
                 for t in (0, 0.5)], fallback_ok=True)


DOT_ARGS = [(arr(da, sa, la, seed=1), arr(db, sb, lb, seed=2))
            for da, db in ((np.float64, np.float64), (np.float32, np.float32), (np.int32, np.int32),
                           (np.float32, np.float64), (np.int64, np.float64), (np.uint8, np.int8))
            for sa, sb in (((4,), (4,)), ((2, 4), (4, 3)), ((4,), (4, 3)), ((2, 4), (4,)))
            for la, lb in (("C", "C"), ("F", "R"), ("S", "T"))] + \
    [(arr(np.float64, (3,)), arr(np.float64, (4,))), (arr(np.float64, (2, 3)), arr(np.float64, (2, 3))),
     (arr(np.float64, (0,)), arr(np.float64, (0,)))]


def dots(a, b):
    return np.dot(a, b), a.dot(b)


add(dots, DOT_ARGS)


def matmul_operator(a, b):
    return a @ b


add(matmul_operator, DOT_ARGS)


def dot_bool(a, b):
    return np.dot(a, b)


add(dot_bool, [(A([True, False]), A([True, True]))], fallback_ok=True)


# ---------------------------------------------------------------------------------------------
# Whole-array operators and broadcasting
# ---------------------------------------------------------------------------------------------
def arr_ops(a, b):
    return a + b, a - b, a * b, a / b, a > b, a == b, -a, a + 1, a * 2.0, 1 - a, a < 0


add(arr_ops, [(arr(da, sa, la, seed=1), arr(db, sb, lb, seed=2))
              for da, db in ((np.float64, np.float64), (np.int32, np.int32), (np.float32, np.int16),
                             (np.uint8, np.int8), (np.int64, np.uint64), (np.float32, np.float32))
              for sa, sb in (((4,), (4,)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((2, 3), (2, 3)))
              for la, lb in ((("C", "C"), ("F", "R")) if da is not np.float64 else
                             (("C", "C"), ("F", "R"), ("S", "RO")))] +
    [(arr(np.float64, (3,)), arr(np.float64, (4,))), (arr(np.float64, (2, 3)), arr(np.float64, (3, 2))),
     (arr(np.float64, (0,)), arr(np.float64, (1,)))])


def arr_int_ops(a, b):
    return a // b, a % b, a ** 2, a & b, a | b, a ^ b, a << 1, a >> 1


add(arr_int_ops, [(arr(d, (6,), seed=1), arr(d, (6,), seed=2)) for d in INTS] +
    [(A([7, -7, 5]), A([2, 2, 0]))])


def arr_scalar_casting(a, x):
    return a + x, a * x, a - x


# NumPy 1.24 casts by value: int8 + 1000 is int16, uint8 + -1 is int16, float32 + 1e300 is
# float64. Compiled code predicts the array's dtype and reruns in CPython when NumPy says otherwise.
add(arr_scalar_casting, [(arr(np.int8, (3,)), x) for x in (1, -1, 100, 2.5)] + [cp(arr(np.int8, (3,)), 1000)] +
    [(arr(np.uint8, (3,)), 1), cp(arr(np.uint8, (3,)), -1), cp(arr(np.uint8, (3,)), 300)] +
    [(arr(np.float32, (3,)), x) for x in (1.5, sc(np.float64, 1.0), sc(np.int64, 2))] +
    [cp(arr(np.float32, (3,)), 1e300)] +
    [(arr(np.int16, (3,)), sc(np.float32, 0.5)), (arr(np.int32, (3,)), sc(np.int8, 3)),
     (arr(np.int8, (3,)), sc(np.int64, 3))])


def bool_array_ops(a, b):
    return a & b, a | b, ~a, a ^ b, a + b, a * b, a == b


add(bool_array_ops, [(A([True, False, True]), A([True, True, False]))])


def bool_array_sub(a, b):
    return a - b


add(bool_array_sub, [(A([True, False]), A([True, True]))], fallback_ok=True)


def bool_array_neg(a):
    return -a


add(bool_array_neg, [A([True, False])], fallback_ok=True)


def array_float_bitand(a, b):
    return a & b


add(array_float_bitand, [(A([1.0]), A([2.0]))], fallback_ok=True)


def inplace_ops(a, b):
    a += b
    a *= 2
    a -= 1
    r = a[0]
    r2 = a[1:]
    r2 += 10
    return a, r


add(inplace_ops, [(arr(d, (4,), lay), arr(d, (4,), seed=3)) for d in (np.float64, np.int32, np.float32)
                  for lay in ("C", "R", "S")] +
    [(arr(np.float64, (4,), "RO"), arr(np.float64, (4,))), (arr(np.float64, (4,)), arr(np.float64, (3,)))])


def inplace_casting_error(a):
    a *= 2.5
    return a


add(inplace_casting_error, [arr(np.int64, (3,)), arr(np.float32, (3,))])


def inplace_slice(a):
    a[1:3] += 1
    a[:, 0] *= 2 if a.ndim == 2 else 1
    return a


add(inplace_slice, [arr(np.int16, (4, 3), lay) for lay in ("C", "F", "R")])


def inplace_on_new(n):
    a = np.zeros(n)
    a += 1.5
    a[0] += 1
    b = a
    b *= 2
    return a


add(inplace_on_new, [3, 0])


def arr_division_warns(a, b):
    return a / b, a // b, np.log(a), np.sqrt(b)


add(arr_division_warns, [(A([1.0, 0.0, -1.0]), A([0.0, 0.0, 2.0])), (A([1, 0]), A([0, 0]))])


def update_loop(x, v, dt, n):
    for _ in range(n):
        x = x + dt * v
        v = v - dt * x
    return x, v


add(update_loop, [(arr(np.float64, (4,)), arr(np.float64, (4,), seed=1), 0.1, 5),
                  (arr(np.float32, (2, 2), "F"), arr(np.float32, (2, 2), seed=1), 0.5, 3),
                  (arr(np.float64, (3,)), arr(np.float64, (3,)), 0.1, 0)])


# ---------------------------------------------------------------------------------------------
# Effects before a rerun in CPython, and jitted helpers
# ---------------------------------------------------------------------------------------------
def store_then_overflow(a):
    a[2] = 0
    return a[0] + a[1]


add(store_then_overflow, [A([100, 100, 5], np.int8), A([1, 2, 5], np.int8)])


def print_then_overflow(a):
    print("sum of", a[0], "and", a[1])
    return a[0] + a[1]


add(print_then_overflow, [A([100, 100], np.int8), A([1, 2], np.int8)])


def warn_then_overflow(a):
    r = np.sqrt(a)
    return r, np.int8(a[0]) * np.int8(64)


add(warn_then_overflow, [A([-1.0, 4.0]), A([1.0, 4.0])])


def store_then_value_cast(a):
    a[0] = 1
    return a + 1000


add(store_then_value_cast, [arr(np.int8, (3,)), arr(np.int16, (3,))])


@pyvorin.jit
def helper_scale(a, i, k):
    return a[i] * k


@pyvorin.jit
def helper_store(a, i, v):
    a[i] = v


def use_helpers(a):
    s = 0.0
    for i in range(len(a)):
        s += helper_scale(a, i, 2.0)
        helper_store(a, i, a[i] + 1)
    return s


add(use_helpers, [arr(d, (4,), lay) for d in (np.float64, np.float32, np.int32) for lay in ("C", "R")])


@pyvorin.jit
def helper_new(n):
    return np.zeros(n)


def use_helper_array(n):
    a = helper_new(n)
    a[0] = 1.0
    return a, a.sum()


add(use_helper_array, [3, 1, 0])
