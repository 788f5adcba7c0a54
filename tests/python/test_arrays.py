"""NumPy in compiled code: every case of array_cases.py, array_cases_scalars.py, array_cases_ops.py
and array_cases_notebook.py is compiled and each call must agree with CPython + NumPy 1.24
(array_testutil.compare_call): the value (arrays: dtype,
shape, strides, writeable flag, bits with NaN positions; scalars: the exact type, np.float64 is
not float, and bits), memory shared with the arguments, exception type and message, warnings,
printed text, and the arguments after the call. Every call must run natively except those a case
lists in in_cpython, those whose CPython run warns (compiled code leaves NumPy's warnings to a
rerun in CPython), and those of fallback_ok cases (a construct compiled code does not take: it
must fall back with a reason). A call whose error the argument types decide may fall back with
CPython's exact message in the reason.

Each case runs in a forked child process (PYVORIN_NP_NOFORK=1: in this process), so a case whose
compiled code corrupts memory or crashes fails alone, naming the call it was in."""
import base64
import os
import pickle

import numpy as np
import pytest

import pyvorin
from array_cases import CASES as CASES1
from array_cases_notebook import CASES as CASES4
from array_cases_ops import CASES as CASES3
from array_cases_scalars import CASES as CASES2
from array_cases_fpe import CASES as CASES5
from array_cases_complex import CASES as CASES6
from array_cases_fused import CASES as CASES7
from array_cases_more import CASES as CASES8
from array_testutil import compare_call, reason, show

CASES = CASES1 + CASES2 + CASES3 + CASES4 + CASES5 + CASES6 + CASES7 + CASES8


def _where(case, args):
    return "%s(%s)" % (case.name, ", ".join(show(a) if not hasattr(a, "make") else repr(a) for a in args))


def run_case(case, progress=lambda where: None):
    """(differences, calls that ran in CPython without leave, the fallback reason if any)."""
    progress("pyvorin.jit(%s)" % case.name)
    jf = pyvorin.jit(case.fn)
    failures, not_native = [], []
    fallback = None
    for i, args in enumerate(case.argsets):
        progress(_where(case, args))
        before_py = jf.stats["python_calls"]
        with np.errstate(all="warn", under="ignore"):  # NumPy's default for underflow (test_underflow_mode)
            d, native, expected = compare_call(case.fn, jf, args, case.compare)
        where = _where(case, args)
        if d:
            failures.append("%s: %s%s" % (where, d, "" if native else "  [ran in CPython]"))
        if native:
            continue
        why = reason(jf).replace("\n", " | ")
        if jf.fallback_reason:
            fallback = why
        if case.fallback_ok or i in case.in_cpython:
            continue
        if expected.exc is not None and str(expected.exc) and str(expected.exc) in why:
            continue  # the argument types decide the error: a fallback with CPython's message
        if jf.stats["python_calls"] > before_py and expected.warned:
            continue
        not_native.append("%s  <- %s" % (where, why))
    return failures, not_native, fallback


def run_isolated(case):
    """run_case in a forked child; a crash becomes a failure naming the call that crashed."""
    if not hasattr(os, "fork") or os.environ.get("PYVORIN_NP_NOFORK"):
        return run_case(case)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: progress lines, then the pickled result
        os.close(r)
        out = os.fdopen(w, "w")
        try:
            def progress(where):
                out.write("CALL %s\n" % where.replace("\n", " "))
                out.flush()
            result = run_case(case, progress)
        except BaseException as e:  # noqa: BLE001 - reported by the parent
            result = (["harness error: %r" % e], [], None)
        out.write("RESULT %s\n" % base64.b64encode(pickle.dumps(result)).decode())
        out.flush()
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        lines = f.read().splitlines()
    _, status = os.waitpid(pid, 0)
    if lines and lines[-1].startswith("RESULT "):
        return pickle.loads(base64.b64decode(lines[-1][7:]))
    last = [x[5:] for x in lines if x.startswith("CALL ")][-1:] or ["?"]
    how = ("killed by signal %d" % os.WTERMSIG(status) if os.WIFSIGNALED(status)
           else "exited with status %d" % os.WEXITSTATUS(status))
    return (["the process %s (memory corruption or a crash) during %s" % (how, last[0])], [], None)


# Known gaps (issue 9's closing note): the values are right, but these calls run in CPython, or
# differ in the last bit or a NaN's sign. Each still runs; it is reported as xfail while it fails.
KNOWN_GAPS = {
    "s_floordiv": "float32 // is not compiled; // with an infinite or NaN operand reruns in CPython (NumPy warns for some)",
    "s_mod": "float32 % is not compiled; % with an infinite or NaN operand reruns in CPython (NumPy warns for some)",
    "s_pow": "float32 ** with a float64 exponent: NumPy's mixed-type power differs from libm pow in the last bit",
    "nan_sign_propagation": "NaN + NaN keeps the first operand's NaN; NumPy's scalar math keeps the second",
    "store_then_overflow": "after a store into an argument, NumPy's overflow warning cannot be rerun in CPython: FloatingPointError",
    "store_then_value_cast": "after a store into an argument, a value-based cast that infer did not predict cannot rerun: TypeError",
    "array_of_array": "see the case: an ndarray inside a container runs in CPython",
}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_array_case(case):
    if case.name in KNOWN_GAPS:
        try:
            _check_case(case)
        except AssertionError:
            pytest.xfail(KNOWN_GAPS[case.name])
        return
    _check_case(case)


def _check_case(case):
    failures, not_native, fallback = run_isolated(case)
    assert not failures, "%d of %d calls differ from CPython:\n%s" % (
        len(failures), len(case.argsets), "\n".join(failures[:25]))
    if case.fallback_ok and fallback:  # a reason, not a compiler bug
        assert "reason:" in fallback and "internal compiler error" not in fallback, fallback
    assert not not_native, "%d calls ran in CPython:\n%s" % (len(not_native), "\n".join(not_native[:25]))


def _abs_sum(z):
    s = 0.0
    for v in z:
        s += abs(v)
    return s


def _double_abs(z):
    return abs(z) * 2


def test_complex_arguments_compile():
    """NumPy complex arrays and scalars compile (lower_npcomplex.cpp): the same result and type,
    natively."""
    for fn, arg in [(_abs_sum, np.array([3 + 4j, 1j])), (_abs_sum, np.array([3 + 4j], np.complex64)),
                    (_double_abs, np.complex128(3 + 4j)), (_double_abs, np.complex64(3 + 4j))]:
        jf = pyvorin.jit(fn)
        expected = fn(arg)
        before = jf.stats["native_calls"]
        got = jf(arg)
        assert type(got) is type(expected) and got == expected, (got, expected)
        assert jf.fallback_reason is None and jf.stats["native_calls"] == before + 1, reason(jf)


def _tiny_product(x, y):
    return x * y


def test_underflow_mode():
    """Compiled code does not test for underflow, which NumPy ignores by default: where
    np.seterr(under=...) asks for it, the call runs in CPython, which warns or raises."""
    import warnings
    for x in (np.float64(1e-200), np.complex128(1e-200 + 1e-200j)):
        jf = pyvorin.jit(_tiny_product)
        assert jf(x, x) == _tiny_product(x, x)
        native = jf.stats["native_calls"]
        with np.errstate(under="warn"), warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            assert jf(x, x) == 0
        assert jf.stats["native_calls"] == native, "ran natively with underflow warnings asked for"
        assert [str(m.message) for m in w] == ["underflow encountered in scalar multiply"], [str(m.message) for m in w]
        with np.errstate(under="raise"), pytest.raises(FloatingPointError, match="underflow"):
            jf(x, x)
        before = jf.stats["native_calls"]
        assert jf(x, x) == 0 and jf.stats["native_calls"] == before + 1  # the default again: native



def _fused_tiny(a, b):
    return a * b + 1.0


def test_fused_loops_report_underflow_when_asked():
    """A fused loop reads the underflow flag too, and takes it for NumPy's warning only where
    np.seterr asks for underflow (then NumPy computes the expression, and warns or raises)."""
    import warnings
    jf = pyvorin.jit(_fused_tiny)
    a, b = np.array([1e-200, 2.0]), np.array([1e-200, 2.0])
    assert jf(a, b).tobytes() == _fused_tiny(a, b).tobytes()
    with np.errstate(under="warn"), warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert jf(a, b).tobytes() == _fused_tiny(a, b).tobytes()
    assert [str(m.message) for m in w] == ["underflow encountered in multiply"] * 2
    with np.errstate(all="raise"), pytest.raises(FloatingPointError, match="underflow encountered in multiply"):
        jf(a, b)


def test_cases_are_many_and_distinct():
    names = [c.name for c in CASES]
    assert len(names) == len(set(names))
    assert len(CASES) >= 150
    assert sum(len(c.argsets) for c in CASES) >= 3000


# ---------------------------------------------------------------------------------------------
# Reference counts and memory: native NumPy work neither leaks nor frees what it borrows
# ---------------------------------------------------------------------------------------------
import gc  # noqa: E402
import sys  # noqa: E402
import tracemalloc  # noqa: E402

from array_testutil import fresh  # noqa: E402

BY_NAME = {c.name: c for c in CASES}
RC_CALLS = 2000
# (case, index of the argument tuple): reads, views, masks, stores, errors, NumPy calls, scalars
LEAK_CALLS = [("get1", 0), ("get1", 4), ("get2", 4), ("row", 0), ("slices1", 0), ("slices2", 0),
              ("mask_positive", 0), ("fancy", 0), ("set1", 5), ("set2", 3), ("store_readonly", 0),
              ("iterate_1d", 0), ("iterate_count", 0), ("elem_ops", 0), ("acc_float", 2),
              ("reductions", 0), ("reductions_axis", 0), ("arr_ops", 0), ("like_forms", 0),
              ("copies", 0), ("reshapes", 0), ("dots", 0), ("u_sqrt-array", 0), ("u_sqrt-scalar", 0),
              ("s_add", 0), ("s_truediv", 0), ("to_float32", 0), ("matmul_loops", 0),
              ("histogram", 0), ("prefix_sum", 0), ("fill_array", 0), ("transposed", 0),
              # fused element-wise loops: kept, dropped for NumPy's warnings, other shapes
              ("axpy", 0), ("axpy", 12), ("axpy", 16), ("mixed_ops", 0), ("differences", 0), ("slice_augassign", 0),
              # NumPy complex scalars and arrays, and NumPy's operator for a promoted product
              ("csum", 0), ("cstore", 0), ("mixed", 2), ("parts", 0), ("whole_arrays", 0)]


def _quiet_call(jf, args):
    try:
        jf(*args)
    except Exception:  # noqa: BLE001 - the error paths are measured too
        pass


def _objects(args):
    out = []
    for a in args:
        if isinstance(a, np.ndarray):
            out.append(a)
            if a.base is not None:
                out.append(a.base)
    return out


@pytest.mark.parametrize("name,index", LEAK_CALLS, ids=["%s-%d" % x for x in LEAK_CALLS])
def test_array_refcounts_and_memory(name, index):
    case = BY_NAME[name]
    args = fresh(case.argsets[index])
    jf = pyvorin.jit(case.fn)
    with np.errstate(all="ignore"):
        before = jf.stats["native_calls"]
        _quiet_call(jf, args)
        assert jf.stats["native_calls"] == before + 1, reason(jf)
        objs = _objects(args)
        gc.collect()
        counts = [sys.getrefcount(o) for o in objs]
        for _ in range(RC_CALLS):
            _quiet_call(jf, args)
        gc.collect()
        after = [sys.getrefcount(o) for o in objs]
        assert counts == after, "reference counts changed over %d calls: %s -> %s" % (RC_CALLS, counts, after)
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            for _ in range(RC_CALLS):
                _quiet_call(jf, args)
            gc.collect()
            grown = tracemalloc.get_traced_memory()[0] - start
        finally:
            tracemalloc.stop()
    assert grown < 64 * 1024, "traced memory grew by %d bytes over %d calls" % (grown, RC_CALLS)


def _random_walk(n, seed):
    np.random.seed(seed)
    x = 0.0
    for _ in range(n):
        x += np.random.random() - 0.5
    return x


def _complex_power_loop(n):
    z = 1j
    for _ in range(n):
        z = z ** 2 + 0.5
    return z


def _promoted_complex_loop(n):
    x = np.float64(1.5)
    c = np.complex64(1 + 2j)
    s = 0.0
    for i in range(n):
        w = x * c  # NumPy's operator (a promoted complex product)
        s += float(w.real)
    return s, 2


def _random_with_object(lst, n):
    s = 0.0
    for i in range(n):
        s += np.random.random()
    return s, len(lst)


def _round_with_object(lst, n, x):
    s = 0.0
    for i in range(n):
        s += np.round(x * i, 2)
    return s, len(lst)


def test_python_calls_in_scalar_loops_keep_the_gil():
    """A scalar loop that calls into CPython (NumPy's random draws, Python's complex **, NumPy's
    operator for a promoted complex product, np.round of a scalar) keeps the GIL, for the whole
    call and for one loop of a function that also touches objects: released, it crashed."""
    for fn, args in [(_random_walk, (200, 3)), (_complex_power_loop, (5,)), (_promoted_complex_loop, (300,)),
                     (_random_with_object, ([1], 300)), (_round_with_object, ([1], 300, 1.25))]:
        jf = pyvorin.jit(fn)
        np.random.seed(3)
        expected = fn(*args)
        np.random.seed(3)
        got = jf(*args)
        assert got == expected and type(got) is type(expected)
        assert jf.fallback_reason is None and jf.stats["native_calls"] == 1, reason(jf)
        assert not jf.report["release_gil"], "a loop calling CPython releases the GIL"
        assert "PyEval_SaveThread" not in jf.report["ir"], "a loop calling CPython releases the GIL"
