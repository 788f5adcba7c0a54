"""NumPy cases, part 1 (parts 2-4: array_cases_scalars.py, array_cases_ops.py,
array_cases_notebook.py): ndarray arguments of every compiled dtype (bool, int8..int64,
uint8..uint64, float32, float64) in C, Fortran, strided, reversed, transposed and read-only
layouts. Element reads and stores (NumPy's casting, bounds, read-only arrays), views, slices,
masks and index arrays, attributes, len and iteration. test_arrays.py compiles every case and
compares each call with CPython + NumPy (array_testutil).

A Case lists argument tuples; A(values, dtype, layout) is an array argument built fresh for each
run. in_cpython: the calls that may rerun in CPython (NumPy warns about them, or NumPy handles a
value the compiled code leaves to it: an out-of-range store, a value-based cast); a call whose
CPython run warns may always rerun. fallback_ok: the function is a construct compiled code does
not take (it falls back with a reason); it is still compared with CPython."""
import math

import numpy as np

from array_testutil import DTYPES, A, Make

CASES = []


class CP(tuple):
    """An argument tuple whose call may rerun in CPython."""


def cp(*args):
    return CP(args)


class Case:
    __slots__ = ("name", "fn", "argsets", "in_cpython", "fallback_ok", "compare")

    def __init__(self, name, fn, argsets, in_cpython=(), fallback_ok=False, compare="exact"):
        self.name = name
        self.fn = fn
        self.argsets = [tuple(a) if isinstance(a, tuple) else (a,) for a in argsets]
        self.in_cpython = set(in_cpython) | {i for i, a in enumerate(argsets) if isinstance(a, CP)}
        self.fallback_ok = fallback_ok
        self.compare = compare  # "exact", "shape" (np.empty: dtype and shape only), "ulp" (NumPy's SIMD math)

    def __repr__(self):
        return "Case(%s)" % self.name


def case_adder(cases):
    """add(fn, argsets, name=None, **Case options) appending to `cases` (each part's own list)."""
    def add(fn, argsets, name=None, **kw):
        fn = getattr(fn, "py_func", fn)
        name = name or fn.__name__
        assert name not in {c.name for c in cases}, name
        cases.append(Case(name, fn, argsets, **kw))
    return add


add = case_adder(CASES)


def dname(d):
    return np.dtype(d).name


def values(dtype, shape, seed=0, nan=False):
    """Deterministic values of a dtype: small ints (signed ones negative too), floats with
    fractions; nan=True puts a NaN second (floats only)."""
    rng = np.random.default_rng(seed)
    kind = np.dtype(dtype).kind
    if kind == "b":
        v = rng.integers(0, 2, shape).astype(bool)
    elif kind == "i":
        v = rng.integers(-9, 10, shape).astype(dtype)
    elif kind == "u":
        v = rng.integers(0, 20, shape).astype(dtype)
    else:
        v = np.round(rng.uniform(-10, 10, shape), 2).astype(dtype)
        if nan and v.size > 1:
            v.flat[1] = np.nan
    return v


def arr(dtype, shape, layout="C", seed=0, nan=False):
    return A(values(dtype, shape, seed, nan), dtype, layout)


def sc(d, v):
    """A scalar: d a NumPy dtype, or int/float/bool for the Python scalar."""
    if d in (int, float, bool):
        return d(v)
    return np.dtype(d).type(v)


def fits(v, dtype):
    """Whether NumPy stores v into a dtype without a decision of its own (a wrap, a warning,
    an error, an undefined C cast): those calls rerun in CPython."""
    info = np.dtype(dtype)
    if info.kind == "b":
        return True
    if info.kind == "f":
        return not (info.itemsize == 4 and isinstance(v, (float, np.float64)) and math.isfinite(v)
                    and abs(v) > 3.4e38)
    x = v.item() if isinstance(v, np.generic) else v
    if isinstance(x, float):
        if not math.isfinite(x):
            return False
        x = math.trunc(x)
    lim = np.iinfo(dtype)
    return lim.min <= x <= lim.max and (info.itemsize < 8 or info.kind == "i" or x < 2**63)


LAYOUTS_1D = ["C", "S", "R", "RO"]
LAYOUTS_2D = ["C", "F", "S", "R", "T", "RO"]


# ---------------------------------------------------------------------------------------------
# Element reads: a[i], a[-i], a[i, j], a[i][j], a[i, j, k], NumPy int indices, 0-d arrays
# ---------------------------------------------------------------------------------------------
def get1(a, i):
    return a[i]


add(get1, [(arr(d, (10,), lay, seed=k), i)
           for k, d in enumerate(DTYPES) for lay in LAYOUTS_1D for i in (0, 3, -1, -10, 10, -11)])


def get2(a, i, j):
    return a[i, j]


IJ = [(0, 0), (2, 3), (-1, -4), (1, -1), (3, 0), (0, 4), (-4, 0), (0, -5)]
add(get2, [(arr(d, (3, 4), lay, seed=k), i, j)
           for k, d in enumerate(DTYPES) for lay in LAYOUTS_2D for i, j in IJ])


def get2_chain(a, i, j):
    return a[i][j]


add(get2_chain, [(arr(d, (3, 4), lay, seed=k), i, j)
                 for k, d in enumerate(DTYPES) for lay in ("C", "F", "R") for i, j in IJ])


def get3(a, i, j, k):
    return a[i, j, k]


add(get3, [(arr(d, (2, 3, 4), lay, seed=7), i, j, k)
           for d in (np.float64, np.int16, np.uint32, np.bool_) for lay in ("C", "F", "S", "R")
           for i, j, k in ((0, 0, 0), (1, 2, 3), (-1, -2, -3), (2, 0, 0), (0, 3, 0), (0, 0, -5))])


def get3_chain(a, i, j, k):
    return a[i][j][k], a[i, j][k], a[i][j, k]


add(get3_chain, [(arr(np.int32, (2, 3, 4), lay), i, j, k) for lay in ("C", "F")
                 for i, j, k in ((1, 2, 3), (0, 3, 0), (0, 0, 4))])


def get_np_index(a, i):
    return a[i]


add(get_np_index, [(arr(np.float64, (10,)), sc(d, v))
                   for d in (np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                             np.uint64) for v in (0, 3, 9, 10, 200) if fits(v, d)] +
    [(arr(np.float64, (10,)), sc(np.int8, -1)), (arr(np.float64, (10,)), sc(np.int64, -11)),
     cp(arr(np.float64, (10,)), sc(np.uint64, 2**63)),   # beyond int64: NumPy's OverflowError, in CPython
     cp(arr(np.float64, (10,)), sc(np.uint64, 2**64 - 1))])


def get_np_index2(a, i, j):
    return a[i, j] + a[j, i]


add(get_np_index2, [(arr(np.int32, (4, 4)), sc(np.int16, 1), sc(np.uint8, 3)),
                    (arr(np.int32, (4, 4)), sc(np.int64, -1), 2),
                    (arr(np.int32, (4, 4)), 0, sc(np.uint16, 4))])


def get0d(a):
    return a[()]


add(get0d, [A(v, d) for d in DTYPES for v in (0, 1, 7)])


def set0d(a, v):
    a[()] = v
    return a[()], a.shape, a.ndim, a.size


add(set0d, [(A(0, d), 5) for d in DTYPES] + [(A(1.5, np.float64), 2.5), (A(2, np.int8, "RO"), 1)])


def get_in_loop(a):
    out = 0
    for i in range(-len(a), len(a) + 1):
        if a[i] > 0:
            out += 1
    return out


add(get_in_loop, [arr(d, (6,), lay) for d in (np.int8, np.float32, np.uint16) for lay in LAYOUTS_1D])


# ---------------------------------------------------------------------------------------------
# Views and NumPy's own indexing: rows, slices, masks, index arrays; errors decided by types
# ---------------------------------------------------------------------------------------------
def row(a, i):
    return a[i]


add(row, [(arr(d, sh, lay), i) for d in (np.float64, np.int8, np.bool_)
          for sh in ((3, 4), (2, 3, 4)) for lay in ("C", "F", "S", "R", "RO") for i in (0, -1, 3)])


def row_then_elem(a, i, j):
    r = a[i]
    return r[j], r.shape, r.ndim


add(row_then_elem, [(arr(np.int64, (3, 4), lay), i, j) for lay in ("C", "F", "S", "R")
                    for i, j in ((0, 0), (2, 3), (1, 4), (1, -5))])


def slices1(a):
    return a[1:3], a[::2], a[::-1], a[-3:], a[5:1], a[1:-1:3]


add(slices1, [arr(d, (10,), lay) for d in (np.float32, np.int16, np.uint64, np.bool_)
              for lay in LAYOUTS_1D])


def slices2(a):
    return a[:, 0], a[1], a[:, ::2], a[::-1, 1:], a[1:2, :], a[:, -1]


add(slices2, [arr(d, (3, 4), lay) for d in (np.float64, np.uint8) for lay in LAYOUTS_2D])


def slice_vars(a, lo, hi, step):
    return a[lo:hi:step]


add(slice_vars, [(arr(np.int32, (10,), lay), lo, hi, st) for lay in ("C", "R")
                 for lo, hi, st in ((0, 10, 1), (2, 8, 3), (8, 2, -2), (-100, 100, 1), (5, 5, 1),
                                    (0, 10, 0))])


def slice_then_index(a, i):
    b = a[2:8]
    c = a[::-2]
    return b[i], c[i], b.shape, c.shape


add(slice_then_index, [(arr(np.float64, (10,), lay), i) for lay in LAYOUTS_1D for i in (0, -1, 5, 6)])


def mask_positive(a):
    return a[a > 0]


add(mask_positive, [arr(d, sh, lay, nan=True) for d in (np.float64, np.int8, np.uint32, np.float32)
                    for sh in ((10,), (3, 4)) for lay in ("C", "F", "S", "R")])


def mask_arg(a, m):
    return a[m]


add(mask_arg, [(arr(np.float64, (6,)), A([True, False, True, True, False, False])),
               (arr(np.int32, (2, 3), "F"), A([[True, False, True], [False, False, True]])),
               (arr(np.float64, (6,)), A([True, False])),
               (arr(np.float64, (6,)), A(np.zeros(6, bool)))])


def fancy(a, idx):
    return a[idx]


add(fancy, [(arr(np.float32, (10,), lay), A(ix, np.int64)) for lay in ("C", "R")
            for ix in ([0, 9, -1, 3, 3], [], [[1, 2], [3, 4]], [10], [-11])] +
    [(arr(np.int16, (3, 4), "F"), A([2, 0], np.int64)), (arr(np.int8, (10,)), A([1, 2], np.int32))])


def too_many_indices(a):
    return a[0, 0]


add(too_many_indices, [arr(np.float64, (5,))])


def float_index(a, x):
    return a[x]


add(float_index, [(arr(np.float64, (5,)), 1.5), (arr(np.float64, (5,)), 0.0)])


def rows_of_3d(a):
    return a[1], a[1, 2], a[:, 1, :], a[-1][-1]


add(rows_of_3d, [arr(np.int32, (2, 3, 4), lay) for lay in ("C", "F", "S", "R", "RO")])


# ---------------------------------------------------------------------------------------------
# Element stores: every value kind into every dtype, NumPy's casting, read-only arrays, bounds
# ---------------------------------------------------------------------------------------------
STORE_VALUES = [3, -1, 300, 0, 2.75, -3.5, -0.5, 1e20, float("nan"), float("inf"), True, False,
                sc(np.float32, 1.5), sc(np.int8, -2), sc(np.uint8, 200), sc(np.float64, -7.25),
                sc(np.int64, 2**40), sc(np.uint64, 2**63 + 5), sc(np.bool_, True), 1e300]


def set1(a, i, v):
    a[i] = v
    return a


add(set1, [cp(arr(d, (4,)), 1, v) if not fits(v, d) else (arr(d, (4,)), 1, v)
           for d in DTYPES for v in STORE_VALUES])


def set1_layouts(a, i, v):
    a[i] = v
    a[-1] = v
    return a[i]


add(set1_layouts, [(arr(d, (5,), lay), i, v) for d in (np.float32, np.int16, np.bool_)
                   for lay in LAYOUTS_1D for i, v in ((0, 2), (4, 1.0), (5, 3), (-6, 3))])


def set2(a, i, j, v):
    a[i, j] = v
    return a


add(set2, [(arr(d, (3, 4), lay), i, j, v) for d in (np.float64, np.int32, np.uint8)
           for lay in LAYOUTS_2D for (i, j), v in (((0, 0), 1), ((2, 3), 2.5), ((-1, -1), 7),
                                                  ((3, 0), 1), ((0, -5), 1))])


def set2_chain(a, i, j, v):
    a[i][j] = v
    return a


add(set2_chain, [(arr(np.float32, (3, 4), lay), i, j, 9.5) for lay in ("C", "F", "RO")
                 for i, j in ((1, 2), (3, 0), (0, 4))])


def set3(a, v):
    a[1, 2, 3] = v
    a[0][1][2] = v
    a[-1, 0][1] = v
    return a


add(set3, [(arr(d, (2, 3, 4), lay), 5) for d in (np.int64, np.float32) for lay in ("C", "F", "S", "R")])


def store_readonly(a):
    a[0] = 1
    return a


add(store_readonly, [arr(d, (3,), "RO") for d in (np.float64, np.int8, np.bool_)] +
    [arr(np.float64, (3,), "R-ro"), arr(np.float64, (3,), "S-ro")])


def store_row_view(a):
    r = a[1]
    r[0] = 100
    r[-1] = -100
    return a


add(store_row_view, [arr(d, (3, 4), lay) for d in (np.int16, np.float64) for lay in ("C", "F", "S", "R")])


def slice_stores(a, b):
    a[1:3] = 0
    a[::-2] = 5
    a[a > 100] = -1
    return a, b


add(slice_stores, [(arr(d, (8,), lay), 0) for d in (np.int32, np.float32) for lay in LAYOUTS_1D])


def column_store(a, b):
    a[:, 0] = b
    a[0, :] = 7
    return a


add(column_store, [(arr(np.float64, (3, 4), lay), arr(np.float64, (3,), "R")) for lay in ("C", "F", "S")] +
    [(arr(np.float64, (3, 4)), arr(np.int8, (3,))), (arr(np.float64, (3, 4)), arr(np.float64, (2,))),
     (arr(np.float64, (3, 4)), 2.5), (arr(np.float64, (3, 4), "RO"), arr(np.float64, (3,)))])


def fancy_store(a, idx, v):
    a[idx] = v
    return a


add(fancy_store, [(arr(np.int64, (6,)), A([0, 5, -1]), 9), (arr(np.int64, (6,)), A([0, 6]), 1),
                  (arr(np.float32, (6,)), A([True, False] * 3), 0.5)])


def aug_store(a, i):
    a[i] += 1
    a[i] *= 2
    a[i] -= 3
    return a[i]


add(aug_store, [(arr(d, (4,), lay), i) for d in DTYPES if d is not np.bool_
                for lay in ("C", "R") for i in (0, -1, 4)] +
    [cp(A([127, 0], np.int8), 0), cp(A([255, 0], np.uint8), 0)])


def aug_store_float(a, i, x):
    a[i] += x
    a[i] /= 2
    return a


add(aug_store_float, [(arr(d, (3,)), 1, x) for d in (np.float32, np.float64) for x in (1, 0.5, 1e-3)] +
    [(arr(d, (3,)), 0, 1.5) for d in (np.int32, np.uint8)])


# ---------------------------------------------------------------------------------------------
# Attributes, len, iteration
# ---------------------------------------------------------------------------------------------
def attrs(a):
    return a.shape, a.ndim, a.size, a.itemsize, a.nbytes, len(a)


add(attrs, [arr(d, sh, lay) for d in DTYPES for sh in ((5,), (2, 3), (2, 3, 4), (0,), (0, 3))
            for lay in ("C", "S")] + [arr(np.float64, (2, 3), "F"), arr(np.int8, (3, 2), "T")])


def attrs_0d(a):
    return a.shape, a.ndim, a.size, a.itemsize, a.nbytes


add(attrs_0d, [A(1, d) for d in DTYPES])


def len_0d(a):
    return len(a)


add(len_0d, [A(1.5)])


def shape_k(a, k):
    return a.shape[k], a.strides[k]


add(shape_k, [(arr(np.float64, (3, 4, 5), lay), k) for lay in ("C", "F", "S", "R")
              for k in (0, 1, 2, -1, -3, 3, -4)] + [(A(np.zeros((1, 3))[:, ::2]), 0)])


def shape_unpack(a):
    n, m = a.shape
    return n * m, n, m


add(shape_unpack, [arr(np.int8, sh) for sh in ((2, 3), (0, 4))])


def transposed(a):
    t = a.T
    return t, t.shape, a.transpose()


add(transposed, [arr(d, sh, lay) for d in (np.float64, np.uint16) for sh in ((3,), (2, 3), (2, 3, 4))
                 for lay in ("C", "F", "S", "R", "RO")])


def transposed_elems(a):
    t = a.T
    s = 0.0
    for i in range(t.shape[0]):
        for j in range(t.shape[1]):
            s += (i + 1) * t[i, j] - j * a.T[i][j]
    return s


add(transposed_elems, [arr(d, (3, 4), lay) for d in (np.float64, np.float32, np.int8)
                       for lay in ("C", "F", "S", "R")])


def iterate_1d(a):
    out = []
    for x in a:
        out.append(x)
    return out


add(iterate_1d, [arr(d, (5,), lay) for d in DTYPES for lay in ("C", "R")] + [arr(np.float64, (0,))])


def iterate_count(a):
    n = 0
    for x in a:
        if x > 0:
            n += 1
    return n


add(iterate_count, [arr(d, (7,), lay, nan=True) for d in DTYPES for lay in LAYOUTS_1D])


def iterate_rows(a):
    total = 0.0
    for r in a:
        for x in r:
            total += x
    return total


def iterate_rows_firsts(a):
    firsts = []
    for r in a:
        firsts.append(r[0])
    return firsts


add(iterate_rows_firsts, [arr(d, (3, 4), lay) for d in (np.float64, np.int8) for lay in ("C", "F", "R")])


add(iterate_rows, [arr(d, (3, 4), lay) for d in (np.float64, np.int32, np.float32)
                   for lay in ("C", "F", "S", "R", "RO")])


def iterate_rows_store(a):
    for r in a:
        r[0] = r[1] * 2
    return a


add(iterate_rows_store, [arr(np.int64, (3, 4), lay) for lay in ("C", "F", "S", "R", "RO")])


def enumerate_array(a):
    best_i = -1
    for i, x in enumerate(a):
        if x == 3:
            best_i = i
    return best_i


add(enumerate_array, [A([1, 3, 5, 3], d) for d in (np.int8, np.uint64, np.float32)])


def iterate_0d(a):
    for x in a:
        return x
    return None


add(iterate_0d, [A(1.0)], fallback_ok=True)



# ---------------------------------------------------------------------------------------------
# Aliasing: two variables (or arguments) viewing one buffer, written and read in one loop
# ---------------------------------------------------------------------------------------------
def alias_same(a, b):
    for i in range(1, len(a)):
        a[i] = b[i - 1] + 1
    return a[-1]


_shared = arr(np.int64, (8,))
_shared_f = arr(np.float64, (8,), "R")
add(alias_same, [(_shared, _shared), (_shared_f, _shared_f), (arr(np.int64, (8,)), arr(np.int64, (8,)))])


def alias_views(x):
    a = x[1:]
    b = x[:-1]
    for i in range(len(a)):
        a[i] = b[i] * 2
    t = x.T
    for i in range(x.shape[0]):
        t[i] += 1
    return x


add(alias_views, [arr(d, (7,), lay) for d in (np.int32, np.float32, np.float64) for lay in ("C", "R", "S")])


def alias_transpose(m):
    t = m.T
    for i in range(m.shape[0]):
        for j in range(m.shape[1]):
            m[i, j] = t[j, i] + t[i, j] if i < m.shape[1] and j < m.shape[0] else m[i, j] * 0 - 1
    return m


add(alias_transpose, [arr(np.float64, sh, lay) for sh in ((3, 3), (2, 3)) for lay in ("C", "F", "R")])


def rebind_view(a):
    a = a[::-1]
    a[0] = 100
    b = a[1:]
    a = b
    a[0] = 200
    return a.shape[0]


add(rebind_view, [arr(d, (5,), lay) for d in (np.int16, np.float64) for lay in ("C", "R", "S")])


def index_by_numpy_ints(a, idx):
    s = 0.0
    for i in idx:
        s += a[i]
    for k in np.arange(len(a)):
        a[k] = k
    return s


add(index_by_numpy_ints, [(arr(np.float64, (6,)), A([0, 5, -1 if d is not np.uint8 else 255], d))
                          for d in (np.int64, np.int32, np.uint8)] +
    [(arr(np.float64, (6,)), A([6], np.int16))])


# ---------------------------------------------------------------------------------------------
# Odd arrays: zero strides (broadcasts), byte-swapped, float16, complex, subclasses, globals
# ---------------------------------------------------------------------------------------------
def sum_2d_loop(a):
    s = 0.0
    for i in range(a.shape[0]):
        for j in range(a.shape[1]):
            s += a[i, j] * (i + 1)
    return s


BROADCAST = Make(lambda: np.broadcast_to(np.arange(4.0), (3, 4)), "broadcast_to(arange(4.0), (3, 4))")
STRIDE0 = Make(lambda: np.lib.stride_tricks.as_strided(np.arange(3.0), (3, 2), (8, 0)), "as_strided((3, 2), (8, 0))")
add(sum_2d_loop, [BROADCAST, STRIDE0])


def store_broadcast(a):
    a[0, 0] = 1.0
    return a


add(store_broadcast, [BROADCAST])

ODD_ARRAYS = [Make(lambda: np.arange(4.0).astype(">f8").reshape(2, 2), "big-endian f8"),
              Make(lambda: np.arange(4).astype(np.float16).reshape(2, 2), "float16"),
              Make(lambda: (np.arange(4) + 1j).reshape(2, 2), "complex128"),
              Make(lambda: np.arange(4).astype(np.longlong).reshape(2, 2), "longlong"),
              Make(lambda: np.matrix([[1.0, 2.0], [3.0, 4.0]]), "np.matrix"),
              Make(lambda: np.frombuffer(bytearray(33), np.float64, 4, 1).reshape(2, 2), "unaligned f8")]
add(sum_2d_loop, ODD_ARRAYS, name="sum_2d_loop-odd", fallback_ok=True)

TABLE = np.arange(10.0)


def read_global_array(i):
    return TABLE[i] * 2


# a module-level ndarray: compiled, or a fallback with a reason (not an internal error)
add(read_global_array, [0, 9, 10], fallback_ok=True)


def truth_of_array(a):
    if a:
        return 1
    return 0


add(truth_of_array, [A([0.0]), A([2]), A([1, 2]), A(np.zeros((0,)))])


def newaxis_and_ellipsis(a):
    return a[:, None], a[None, :], a[..., 0], a[np.newaxis]


add(newaxis_and_ellipsis, [arr(np.float64, (2, 3))], fallback_ok=True)


def python_builtins_over_arrays(a):
    return sum(a), max(a), min(a), sorted(a), list(a), abs(a), any(a), all(a)


add(python_builtins_over_arrays, [arr(d, (4,)) for d in (np.float64, np.int8)], fallback_ok=True)


def shape_compare(a, b):
    return a.shape == b.shape, a.shape != b.shape, a.shape[0] == len(b)


add(shape_compare, [(arr(np.float64, (2, 3)), arr(np.int8, (2, 3))), (arr(np.float64, (2, 3)), arr(np.int8, (3, 2)))])
