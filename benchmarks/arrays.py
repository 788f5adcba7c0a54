#!/usr/bin/python3
"""NumPy array benchmarks: CPython, Numba (@numba.njit), Pyvorin (@pyvorin.jit) and C (clang-19 -O2,
timed inside C) on array kernels written as explicit index loops (benchmarks/array_kernels.py),
with NumPy's whole-array version of each for reference, in one run.

    /usr/bin/python3 benchmarks/arrays.py              # full table (~1-2 minutes on 2 cores)
    /usr/bin/python3 benchmarks/arrays.py --quick      # small sizes, a smoke run (~5 s)
    /usr/bin/python3 benchmarks/arrays.py --markdown   # Markdown, as in docs/performance.md
    /usr/bin/python3 benchmarks/arrays.py --json       # raw numbers and verdicts as JSON on stdout
    /usr/bin/python3 benchmarks/arrays.py --json PATH  # tables on stdout, JSON into PATH
    /usr/bin/python3 benchmarks/arrays.py --clock cpu  # thread CPU time: steadier when busy
    /usr/bin/python3 benchmarks/arrays.py --fast       # also Pyvorin with fast=True
    /usr/bin/python3 benchmarks/arrays.py --variants   # also the float(a[i]) variants
    /usr/bin/python3 benchmarks/arrays.py --cflags=-march=native   # extra flags for the C build

The kernels: sum_sq (the scalar loop sum((i % 1000) ** 2)), a dot product, saxpy into an output
array, Jacobi sweeps over a 500×500 grid, a 200×200 triple-loop matmul into np.zeros, Mandelbrot
counts into a 2-D int64 array, a histogram of 10^6 floats into np.zeros(bins, np.int64), pairwise
distances of 300 3-D points with math.sqrt, a prefix sum into an output array and element-wise
Black-Scholes (math.exp/log/sqrt and a polynomial normal CDF: math.erf is not compiled yet).

Numba and Pyvorin decorate the same source (a fresh copy of array_kernels.py each, helpers
decorated too). Every implementation gets equal inputs (the same seed) and output arrays of its
own; every result is compared with CPython's (np.array_equal, else np.allclose with rtol 1e-9)
right after the first call, before anything is timed, and again after timing. Pyvorin is reported
as native or not (its dispatcher's stats['native_calls']), with the fallback reason when it runs
the function in CPython. The probes table compiles other ways of writing two kernels and checks a
bounds check (untimed). --fast adds Pyvorin with fast=True (no interrupt polls). --variants times
each kernel again with float(a[i]) element reads: numpy.float64 arithmetic has NumPy's overflow /
invalid / division warnings, which Pyvorin checks after every operation and Numba ignores, while
Python floats have none, so the two tables together show what those checks cost.

Finds the package in build/python (or $PYVORIN_BUILD_DIR/python) itself. Progress goes to stderr,
the tables to stdout. Times are the best of N calls with the garbage collector off (harness.py);
compile time (the first call) is excluded.
"""
import argparse
import ctypes
import faulthandler
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from containers import NOISE, geomean  # noqa: E402
from run import TARGET_C_RATIO, fmt_ratio, fmt_time, log, machine_info, render  # noqa: E402

KERNELS_PATH = os.path.join(harness.HERE, "array_kernels.py")
ARRAYS_C = os.path.join(harness.HERE, "c", "array_kernels.c")
C_FLAGS = ["-O2", "-ffp-contract=off", "-fPIC", "-shared"]
RTOL = 1e-9

IMPL_LABEL = {"cpython": "CPython", "numpy": "NumPy", "numba": "Numba", "pyvorin": "Pyvorin",
              "pyvorin_fast": "Pyvorin fast", "c": "C -O2"}


# ------------------------------------------------------------------------------ implementations

def load(decorate=None, tag="plain"):
    return harness.load_kernels(decorate, tag, path=KERNELS_PATH)


def implementations(numba, pyvorin, with_fast):
    """name -> (module or None, reason when unavailable): each a fresh copy of array_kernels.py
    whose kernels and helpers are replaced by their decorated versions."""
    impls = {"cpython": (load(tag="arr_cpython"), None)}
    if numba is None:
        impls["numba"] = (None, "not importable")
    else:
        from numba.core import errors
        warnings.filterwarnings("ignore", category=errors.NumbaPendingDeprecationWarning)
        warnings.filterwarnings("ignore", category=errors.NumbaDeprecationWarning)
        impls["numba"] = (load(numba.njit, "arr_numba"), None)
    if pyvorin is None:
        impls["pyvorin"] = (None, "not built")
    else:
        impls["pyvorin"] = (load(pyvorin.jit, "arr_pyvorin"), None)
        if with_fast:
            impls["pyvorin_fast"] = (load(pyvorin.jit(fast=True), "arr_pyvorin_fast"), None)
    return impls


# ------------------------------------------------------------------------------------------- C

class PvaArgs(ctypes.Structure):
    """pva_args in c/array_kernels.c."""
    _fields_ = [("p", ctypes.c_void_p * 8), ("i", ctypes.c_int64 * 4), ("d", ctypes.c_double * 4),
                ("out", ctypes.c_void_p), ("out_bytes", ctypes.c_int64),
                ("iout", ctypes.c_int64), ("fout", ctypes.c_double)]


def build_c(out_dir, extra_flags=()):
    """Compiles c/array_kernels.c into out_dir (reused while source and flags are unchanged) and
    returns the loaded library, or raises."""
    flags = C_FLAGS + list(extra_flags)
    with open(ARRAYS_C, "rb") as fh:
        key = hashlib.sha256(fh.read() + " ".join([harness.CLANG] + flags).encode()).hexdigest()[:12]
    os.makedirs(out_dir, exist_ok=True)
    lib_path = os.path.join(out_dir, f"libpvarrays_{key}.so")
    if not os.path.exists(lib_path):
        tmp = lib_path + f".tmp{os.getpid()}"
        subprocess.run([harness.CLANG, *flags, "-o", tmp, ARRAYS_C, "-lm"], check=True)
        os.replace(tmp, lib_path)
    lib = ctypes.CDLL(lib_path)
    lib.pva_kernel_index.argtypes = [ctypes.c_char_p]
    lib.pva_kernel_index.restype = ctypes.c_int
    lib.pva_time.argtypes = [ctypes.c_int, ctypes.POINTER(PvaArgs), ctypes.c_int,
                             ctypes.POINTER(ctypes.c_double), ctypes.c_int]
    lib.pva_time.restype = ctypes.c_double
    lib.flags = " ".join(["clang-19"] + [f for f in flags if f not in ("-fPIC", "-shared")])
    return lib


def _buf(a):
    assert a.flags.c_contiguous and a.dtype in (np.float64, np.int64), (a.dtype, a.flags)
    return a.ctypes.data


class CCall:
    """One kernel's C twin bound to its arguments (array_kernels.make_args' arrays): packs them as
    pva_args, and turns what C leaves in the output slots into the Python kernel's result."""

    def __init__(self, lib, kernel, args):
        self.lib, self.kernel, self.args = lib, kernel, args
        self.id = lib.pva_kernel_index(kernel.encode())
        if self.id < 0:
            raise KeyError(kernel)
        a = self.pa = PvaArgs()
        ptrs, ints, dbls, self.out = [], [], [], None
        if kernel == "sum_sq":
            ints = [args[0]]
        elif kernel == "dot":
            ptrs, ints = args[:2], [args[0].shape[0]]
        elif kernel == "saxpy":
            dbls, ptrs, ints = [args[0]], args[1:4], [args[1].shape[0]]
        elif kernel == "jacobi":
            ptrs, ints = [args[0]], [*args[0].shape, args[1]]
            self.out = np.empty(args[0].shape)
        elif kernel == "matmul":
            x, y = args
            ptrs, ints = [x, y], [x.shape[0], x.shape[1], y.shape[1]]
            self.out = np.empty((x.shape[0], y.shape[1]))
        elif kernel == "mandelbrot":
            ints = list(args)
            self.out = np.empty((args[1], args[0]), np.int64)
        elif kernel == "histogram":
            x, bins, lo, hi = args
            ptrs, ints, dbls = [x], [x.shape[0], bins], [lo, hi]
            self.out = np.empty(bins, np.int64)
        elif kernel == "pairwise":
            ptrs, ints = [args[0]], list(args[0].shape)
            self.out = np.empty((args[0].shape[0], args[0].shape[0]))
        elif kernel == "prefix_sum":
            ptrs, ints = list(args), [args[0].shape[0]]
        elif kernel == "black_scholes":
            price, strike, years, rate, vol, call, put = args
            ptrs, dbls, ints = [price, strike, years, call, put], [rate, vol], [price.shape[0]]
        else:
            raise KeyError(kernel)
        for k, p in enumerate(ptrs):
            a.p[k] = _buf(p)
        for k, v in enumerate(ints):
            a.i[k] = int(v)
        for k, v in enumerate(dbls):
            a.d[k] = float(v)
        if self.out is not None:
            a.out = _buf(self.out)
            a.out_bytes = self.out.nbytes

    def run(self, reps):
        """(best seconds, [per-repeat seconds]) of reps runs inside C."""
        times = (ctypes.c_double * 64)()
        best = self.lib.pva_time(self.id, ctypes.byref(self.pa), reps, times,
                                 1 if harness.CLOCK == "cpu" else 0)
        if best < 0:
            raise RuntimeError(f"pva_time({self.kernel}) returned {best}")
        return best, list(times[:min(reps, 64)])

    def result(self):
        k, args = self.kernel, self.args
        if k == "sum_sq":
            return self.pa.iout
        if k == "dot":
            return self.pa.fout
        if k in ("saxpy", "prefix_sum"):
            return args[-1]
        if k == "black_scholes":
            return args[-2], args[-1]
        return self.out

    def time(self, budget_s):
        """(best, median, result): repeats sized from one probe run, as harness.time_c."""
        probe, _ = self.run(1)
        reps = int(min(64, max(5, budget_s / max(probe, 1e-7))))
        best, times = self.run(reps)
        times.sort()
        return min(best, probe), times[len(times) // 2], self.result()


# ------------------------------------------------------------------------------------ comparing

def snapshot(r):
    """A copy of a result (kernels return their output arrays, which later calls overwrite)."""
    if isinstance(r, tuple):
        return tuple(snapshot(x) for x in r)
    if isinstance(r, np.ndarray):
        return r.copy()
    return r


def compare(expected, got, rtol=RTOL):
    """'exact', 'close (max rel err …)' within rtol, or 'WRONG: …'. Arrays must also agree in
    shape and dtype; scalars are compared by value (Numba returns float where CPython gives
    numpy.float64)."""
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return f"WRONG: {type(got).__name__} instead of a tuple of {len(expected)}"
        verdicts = [compare(e, g, rtol) for e, g in zip(expected, got)]
        bad = [v for v in verdicts if v.startswith("WRONG")]
        if bad:
            return bad[0]
        close = [v for v in verdicts if v != "exact"]
        return close[0] if close else "exact"
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return f"WRONG: {type(got).__name__} instead of ndarray"
        if got.shape != expected.shape or got.dtype != expected.dtype:
            return (f"WRONG: {got.dtype}{list(got.shape)} instead of "
                    f"{expected.dtype}{list(expected.shape)}")
        e, g = expected, got
    else:
        if not isinstance(got, (int, float, np.integer, np.floating)) or isinstance(got, bool):
            return f"WRONG: {type(got).__name__} {got!r}"
        e, g = np.asarray(expected), np.asarray(got)
    if np.array_equal(e, g):
        return "exact"
    if rtol and (e.dtype.kind == "f" or g.dtype.kind == "f"):
        e, g = e.astype(np.float64), g.astype(np.float64)
        scale = max(float(np.max(np.abs(e))) if e.size else 0.0, 1e-300)
        if np.allclose(g, e, rtol=rtol, atol=rtol * scale):
            err = float(np.max(np.abs(g - e) / np.maximum(np.abs(e), 1e-300 + rtol * scale)))
            return f"close (max rel err {err:.1e})"
    if e.size == 1:
        return f"WRONG: {g.item()!r} instead of {e.item()!r}"
    bad = int(np.count_nonzero(g != e))
    return f"WRONG: {bad:,} of {e.size:,} elements differ"


def type_note(expected, got):
    """A scalar result of another Python type than CPython's (Pyvorin should give CPython's)."""
    if isinstance(expected, (tuple, np.ndarray)) or type(expected) is type(got):
        return None
    return f"returns {type(got).__name__} (CPython: {type(expected).__name__})"


def summary_of(r):
    if isinstance(r, tuple):
        return "(" + ", ".join(summary_of(x) for x in r) + ")"
    if isinstance(r, np.ndarray):
        return f"ndarray {r.dtype}{list(r.shape)}"
    return f"{type(r).__name__} {r!r}"


# --------------------------------------------------------------------------------------- timing

def pv_stats(disp):
    s = getattr(disp, "stats", None) or {}
    return s.get("native_calls", 0), s.get("python_calls", 0)


def first_call(fn, args):
    t0 = time.perf_counter()
    r = fn(*args)
    return time.perf_counter() - t0, snapshot(r)


def run_kernel(kernel, params, reference, impls, clib, rounds, quick, keep=None):
    """Times one kernel everywhere. Returns {impl: entry}: best/median seconds, the verdict
    against CPython, and for Pyvorin the native/fallback state. CPython's result goes into
    keep[kernel] when keep is a dict."""
    out = {}
    budget = 0.15 if quick else 0.25
    # CPython first: its first call is a timed sample too (nothing to compile).
    cp_args = reference.make_args(kernel, params)
    fn = getattr(impls["cpython"][0], kernel)
    t, expected = first_call(fn, cp_args)
    cp = {"best": t, "times": [t], "verdict": "exact", "result": summary_of(expected)}
    if t < 1.0:
        best, _med, _ = harness.time_calls(fn, cp_args, min_reps=1, max_reps=2 if quick else 3,
                                           budget_s=0.0 if t > 0.3 else 0.5)
        cp["best"] = min(t, best)
    out["cpython"] = cp
    del cp_args
    if keep is not None:
        keep[kernel] = expected

    units = []  # (name, callable, args, entry)
    np_args = reference.make_args(kernel, params)
    np_fn = reference.NUMPY_VERSIONS[kernel]
    e = {}
    try:
        e["first_call_s"], r = first_call(np_fn, np_args)
        e["verdict"] = compare(expected, r)
        units.append(("numpy", np_fn, np_args, e))
    except Exception as exc:
        e["error"] = _short(f"{type(exc).__name__}: {exc}".splitlines()[0], 160)
    out["numpy"] = e

    for name, (mod, why) in impls.items():
        if name == "cpython":
            continue
        if mod is None:
            out[name] = {"missing": why}
            continue
        fn = getattr(mod, kernel)
        args = reference.make_args(kernel, params)
        e = {}
        before = pv_stats(fn) if name.startswith("pyvorin") else None
        try:
            e["first_call_s"], r = first_call(fn, args)  # compile + run: not timed
        except Exception as exc:
            e["error"] = _short(f"{type(exc).__name__}: {exc}".splitlines()[0], 160)
            e["unsupported"] = name == "numba" and "nopython" in str(exc)[:2000]
            out[name] = e
            continue
        e["verdict"] = compare(expected, r)
        if name.startswith("pyvorin"):
            e["type_note"] = type_note(expected, r)
            e["before"] = before
        out[name] = e
        units.append((name, fn, args, e))

    c_call = None
    if isinstance(clib, Exception):
        out["c"] = {"missing": f"C build failed: {_short(str(clib), 120)}"}
    elif clib is None:
        out["c"] = {"missing": "clang-19 not found"}
    else:
        try:
            c_call = CCall(clib, kernel, reference.make_args(kernel, params))
            c_call.run(1)
            out["c"] = {"verdict": compare(expected, snapshot(c_call.result()))}
        except Exception as exc:
            out["c"] = {"error": _short(f"{type(exc).__name__}: {exc}", 160)}
            c_call = None

    log("  first calls: " + ", ".join(
        f"{IMPL_LABEL[n]} {fmt_time(out[n].get('first_call_s'))} ({out[n].get('verdict', '?')})"
        for n in out if "first_call_s" in out[n]))

    # Interleaved rounds, best over all, so a burst of load on the shared machine hits all alike.
    for _ in range(rounds):
        for name, fn, args, e in units:
            if "error" in e:
                continue
            try:
                best, med, r = harness.time_calls(fn, args, min_reps=3, max_reps=40,
                                                  budget_s=budget)
            except Exception as exc:
                e["error"] = _short(f"{type(exc).__name__}: {exc}".splitlines()[0], 160)
                continue
            e["best"] = best if "best" not in e else min(e["best"], best)
            e.setdefault("medians", []).append(med)
            v = compare(expected, snapshot(r))
            if v.startswith("WRONG") and not e["verdict"].startswith("WRONG"):
                e["verdict"] = v + " (after timing)"
        if c_call is not None and "error" not in out["c"]:
            e = out["c"]
            best, med, r = c_call.time(budget)
            e["best"] = best if "best" not in e else min(e["best"], best)
            e.setdefault("medians", []).append(med)
            v = compare(expected, snapshot(r))
            if v.startswith("WRONG") and not e["verdict"].startswith("WRONG"):
                e["verdict"] = v + " (after timing)"
    for name, e in out.items():
        if "medians" in e:
            e["median"] = statistics.median(e.pop("medians"))
        if "before" in e:
            fn = getattr(impls[name][0], kernel)
            n0, p0 = e.pop("before")
            n1, p1 = pv_stats(fn)
            e["native_calls"] = n1 - n0
            e["python_calls"] = p1 - p0
            e["native"] = n1 > n0 and p1 == p0
            e["fallback_reason"] = getattr(fn, "fallback_reason", None)
    return out


def _outcome(fn, args):
    """('value', snapshot) or ('raises', exception)."""
    try:
        return "value", snapshot(fn(*args))
    except Exception as exc:  # the same exception type as CPython's is what counts
        return "raises", exc


def _probe_verdict(want, got):
    (wk, w), (gk, g) = want, got
    if wk == "raises":
        if gk == "raises":
            return (f"same error ({type(g).__name__})" if type(g) is type(w) else
                    f"WRONG: {type(g).__name__} instead of {type(w).__name__}")
        return f"WRONG: returned {summary_of(g)} instead of raising {type(w).__name__}"
    if gk == "raises":
        return "error: " + _short(f"{type(g).__name__}: {g}".splitlines()[0], 200)
    return compare(w, g, rtol=0.0)  # the probes compute in the same order: bit for bit


def run_probes(reference, impls, numba, pyvorin):
    """Each probe at a small size, untimed: Numba's and Pyvorin's outcome against CPython's (the
    same value, or the same exception type), Pyvorin native or why not, and Pyvorin fast=True."""
    res = {}
    for probe, base in reference.PROBES.items():
        params = reference.SIZES["probe"][base]
        plain = getattr(impls["cpython"][0], probe)
        want = _outcome(plain, reference.make_args(base, params))
        entry = {"base": base, "params": params,
                 "cpython": "raises " + type(want[1]).__name__ if want[0] == "raises" else
                 summary_of(want[1])}
        # The probe is not in KERNELS, so each copy of the module holds it undecorated; the
        # helpers it calls resolve through that module, already decorated.
        makers = {"numba": (impls.get("numba", (None,))[0], numba and numba.njit),
                  "pyvorin": (impls.get("pyvorin", (None,))[0], pyvorin and pyvorin.jit),
                  "pyvorin_fast": (impls.get("pyvorin", (None,))[0],
                                   pyvorin and pyvorin.jit(fast=True))}
        for name, (mod, decorate) in makers.items():
            if mod is None or not decorate:
                entry[name] = {"missing": "not run"}
                continue
            fn = decorate(getattr(mod, probe))
            got = _outcome(fn, reference.make_args(base, params))
            e = {"verdict": _probe_verdict(want, got)}
            if name.startswith("pyvorin"):
                n, p = pv_stats(fn)
                e["native"] = n > 0 and p == 0
                e["fallback_reason"] = getattr(fn, "fallback_reason", None)
            entry[name] = e
        res[probe] = entry
    return res


def run_variants(names, reference, impls, numba, pyvorin, expected, profile, rounds, quick,
                 with_fast):
    """The float() variants (array_kernels.FLOAT_VARIANTS) of the kernels in names: Numba and
    Pyvorin (and Pyvorin fast) on the same inputs, interleaved rounds, results against CPython's
    result of the kernel as written."""
    budget = 0.15 if quick else 0.25
    res = {}
    for kernel in names:
        variant = reference.FLOAT_VARIANTS.get(kernel)
        if variant is None or kernel not in expected:
            continue
        params = reference.SIZES[profile][kernel]
        log(f"{variant} …")
        makers = {"numba": ("numba", numba and numba.njit),
                  "pyvorin": ("pyvorin", pyvorin and pyvorin.jit)}
        if with_fast:
            makers["pyvorin_fast"] = ("pyvorin_fast", pyvorin and pyvorin.jit(fast=True))
        units, out = [], {"variant": variant}
        for name, (mod_name, decorate) in makers.items():
            mod = impls.get(mod_name, (None,))[0]
            if mod is None or not decorate:
                out[name] = {"missing": "not run"}
                continue
            fn = decorate(getattr(mod, variant))
            args = reference.make_args(kernel, params)
            e = {}
            try:
                e["first_call_s"], r = first_call(fn, args)
                e["verdict"] = compare(expected[kernel], r)
                units.append((fn, args, e))
            except Exception as exc:
                e["error"] = _short(f"{type(exc).__name__}: {exc}".splitlines()[0], 160)
            if name.startswith("pyvorin"):
                n, p = pv_stats(fn)
                e["native"] = n > 0 and p == 0
                e["fallback_reason"] = getattr(fn, "fallback_reason", None)
            out[name] = e
        for _ in range(rounds):
            for fn, args, e in units:
                best, _med, r = harness.time_calls(fn, args, min_reps=3, max_reps=40,
                                                   budget_s=budget)
                e["best"] = best if "best" not in e else min(e["best"], best)
                v = compare(expected[kernel], snapshot(r))
                if v.startswith("WRONG") and not e["verdict"].startswith("WRONG"):
                    e["verdict"] = v + " (after timing)"
        res[kernel] = out
    return res


def render_variants(variants, all_results, md, with_fast):
    rows, vs_numba, cost = [], [], []
    for kernel, v in variants.items():
        res = all_results[kernel][1]
        nb, pv = res.get("numba", {}).get("best"), res.get("pyvorin", {}).get("best")
        if not res.get("pyvorin", {}).get("native"):
            pv = None
        nbf, pvf = v.get("numba", {}).get("best"), v.get("pyvorin", {}).get("best")
        if not v.get("pyvorin", {}).get("native"):
            pvf = None
        pvff = v.get("pyvorin_fast", {}).get("best")
        bad = [f"{IMPL_LABEL[n]} {v[n].get('verdict') or v[n].get('error')}"
               for n in ("numba", "pyvorin", "pyvorin_fast")
               if n in v and "missing" not in v[n] and v[n].get("verdict") != "exact"]
        r_nb = pvf / nbf if pvf and nbf else None
        r_cost = pv / pvf if pv and pvf else None
        vs_numba += [r_nb] if r_nb else []
        cost += [r_cost] if r_cost else []
        rows.append([v["variant"], fmt_time(nb), fmt_time(nbf), fmt_time(pv), fmt_time(pvf)] +
                    ([fmt_time(pvff)] if with_fast else []) +
                    [fmt_ratio(r_nb), fmt_ratio(r_cost), "; ".join(bad) or "all exact"])
    rows.append(["geomean", "", "", "", ""] + ([""] if with_fast else []) +
                [fmt_ratio(geomean(vs_numba)), fmt_ratio(geomean(cost)), ""])
    render("What NumPy scalar semantics cost: the kernels with float(a[i]) reads",
           ["variant", "Numba as written", "Numba float()", "Pyvorin as written", "Pyvorin float()"]
           + (["Pyvorin fast float()"] if with_fast else []) +
           ["Pv float()/Numba float()", "Pv as written/Pv float()", "results vs CPython"],
           rows, md,
           notes=["Each variant is its kernel with every element read wrapped in float() "
                  "(array_kernels.FLOAT_VARIANTS), timed on the same inputs; \"as written\" "
                  "times are the main table's. a[i] is a numpy.float64 whose arithmetic NumPy "
                  "checks for overflow, division by zero and invalid results (a RuntimeWarning in "
                  "CPython): Pyvorin checks after every such operation, Numba never does. On "
                  "Python floats there is nothing to check. Pv as written/Pv float() is the cost "
                  "of those checks."])


# ---------------------------------------------------------------------------------------- report

def _short(text, limit=70):
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _reason(text):
    """A fallback reason on one line: the 'reason:' and 'line:' parts of Pyvorin's message."""
    if not text:
        return "?"
    parts = {}
    for ln in text.splitlines():
        key, _, value = ln.partition(": ")
        parts.setdefault(key.strip(), value.strip())
    if "reason" in parts:
        return parts["reason"] + (f" (line {parts['line']})" if parts.get("line") else "")
    return " ".join(text.split())


def build_report(all_results, probes, info, profile, rounds, md, with_fast, variants=None):
    notes, foot = [], {}

    def footnote(text):
        if text not in foot:
            foot[text] = len(foot) + 1
        return f"[{foot[text]}]"

    def cell(e, name, kernel):
        if "best" in e:
            return fmt_time(e["best"])
        if "missing" in e:
            return "– " + footnote(f"{IMPL_LABEL[name]} {e['missing']}")
        if "error" in e:
            what = "cannot compile" if e.get("unsupported") else "raised on"
            return "error " + footnote(f"{IMPL_LABEL[name]} {what} {kernel}: {e['error']}")
        return "–"

    pv_names = ["pyvorin", "pyvorin_fast"] if with_fast else ["pyvorin"]
    headers = ["kernel(input)", "CPython", "NumPy", "Numba"] + [IMPL_LABEL[n] for n in pv_names] + \
        ["C -O2", "CPy/Pv", "Pv/Numba", "Pv/C"] + (["Pv/Pv-fast"] if with_fast else []) + \
        ["Pyvorin native", "results vs CPython"]
    rows = []
    ratios = {"cp_pv": [], "pv_nb": [], "pv_c": []}
    slower_nb, beyond_c, not_native, wrong = [], [], [], []
    for kernel, (label, res) in all_results.items():
        cp, npy, nb, pv, c = (res.get(n, {}) for n in ("cpython", "numpy", "numba", "pyvorin", "c"))
        row = [label, cell(cp, "cpython", kernel), cell(npy, "numpy", kernel),
               cell(nb, "numba", kernel)] + [cell(res.get(n, {}), n, kernel) for n in pv_names] + \
            [cell(c, "c", kernel)]
        native = pv.get("native")
        pvt = pv.get("best") if native else None
        cp_pv = cp["best"] / pvt if pvt else None
        pv_nb = pvt / nb["best"] if pvt and nb.get("best") else None
        pv_c = pvt / c["best"] if pvt and c.get("best") else None
        row += [fmt_ratio(cp_pv), fmt_ratio(pv_nb), fmt_ratio(pv_c)]
        if with_fast:
            pvf = res.get("pyvorin_fast", {}).get("best")
            row.append(fmt_ratio(pvt / pvf if pvt and pvf else None))
        for key, r in (("cp_pv", cp_pv), ("pv_nb", pv_nb), ("pv_c", pv_c)):
            if r:
                ratios[key].append(r)
        if pv_nb and pv_nb > 1.0:
            slower_nb.append(f"{kernel} ({fmt_ratio(pv_nb)}" +
                             (f", within {NOISE:.0%} noise)" if pv_nb <= 1 + NOISE else ")"))
        if pv_c and pv_c > TARGET_C_RATIO:
            beyond_c.append(f"{kernel} ({fmt_ratio(pv_c)})")
        if "native" not in pv:
            row.append("–")
        elif native:
            row.append("yes")
        else:
            what = "partly" if pv.get("native_calls") else "no"
            row.append(f"{what} " + footnote(
                f"Pyvorin {kernel}: {what} (native_calls +{pv.get('native_calls')}, python_calls "
                f"+{pv.get('python_calls')}): {_reason(pv.get('fallback_reason'))}; its time is "
                f"CPython's behind the dispatcher"))
            not_native.append(kernel)
        bad = []
        for n in ("numpy", "numba", *pv_names, "c"):
            v = res.get(n, {}).get("verdict")
            if v and v != "exact":
                bad.append(f"{IMPL_LABEL[n]} {v}")
                if v.startswith("WRONG") and n != "numpy":
                    wrong.append(f"{kernel} ({IMPL_LABEL[n]})")
        for n in pv_names:
            if res.get(n, {}).get("type_note"):
                bad.append(f"{IMPL_LABEL[n]} {res[n]['type_note']}")
        row.append("; ".join(bad) or "all exact")
        rows.append(row)
    gm = {k: geomean(v) for k, v in ratios.items()}
    n_gm = {k: len(v) for k, v in ratios.items()}
    gm_row = [f"geomean ({n_gm['cp_pv']} kernels)", "", "", ""] + [""] * len(pv_names) + [""] + \
        [fmt_ratio(gm["cp_pv"]), fmt_ratio(gm["pv_nb"]), fmt_ratio(gm["pv_c"])] + \
        ([""] if with_fast else []) + ["", ""]
    rows.append(gm_row)

    notes.append("Times are per call, best of N, compile excluded. CPy/Pv > 1: Pyvorin is faster "
                 "than CPython; Pv/Numba and Pv/C < 1: Pyvorin is faster. Ratios use Pyvorin's "
                 "time only when it ran natively. NumPy = the same computation as whole-array "
                 "operations (array_kernels.NUMPY_VERSIONS), for reference, in no ratio. C = "
                 "c/array_kernels.c, timed inside C, allocating its result (calloc/malloc) where "
                 "the kernel does; Pyvorin = @pyvorin.jit (fast=False: interrupt polls on loop "
                 "back-edges)" +
                 ("; Pyvorin fast = @pyvorin.jit(fast=True): no interrupt polls, and no NumPy "
                  "bounds checks either in builds where the read_past_end probe returns a value"
                  if with_fast else "")
                 + ". \"close\" results agree with CPython's to a relative 1e-9 (sums in another "
                   "order, NumPy's own SIMD exp/log).")
    for text, i in foot.items():
        notes.append(f"[{i}] {text}")

    for probe, p in (probes or {}).items():
        for n in ("pyvorin", "pyvorin_fast"):
            if probe == "read_past_end" and n == "pyvorin_fast":
                continue  # fast=True drops the bounds checks, as documented: reading past the end is its contract
            if p.get(n, {}).get("verdict", "").startswith("WRONG"):
                wrong.append(f"{probe} (probe, {IMPL_LABEL[n]})")

    have_pv = any("native" in res.get("pyvorin", {}) for _, res in all_results.values())

    def met(ok):
        return ("met" if ok else "NOT met") if have_pv else "not measured"

    n_native = sum(1 for _, res in all_results.values() if res.get("pyvorin", {}).get("native"))
    summary = [
        ["geomean speedup over CPython (CPy/Pv)",
         f"{fmt_ratio(gm['cp_pv'])} over {n_gm['cp_pv']} kernels" if gm["cp_pv"] else "–", "–",
         "–"],
        ["geomean Pyvorin/Numba", f"{fmt_ratio(gm['pv_nb'])} over {n_gm['pv_nb']} kernels"
         if gm["pv_nb"] else "–", "≤ 0.9× (issue 9)", met(gm["pv_nb"] and gm["pv_nb"] <= 0.9)],
        ["kernels where Pyvorin is slower than Numba", ", ".join(slower_nb) or "none", "none",
         met(not slower_nb)],
        ["geomean Pyvorin/C", f"{fmt_ratio(gm['pv_c'])} over {n_gm['pv_c']} kernels"
         if gm["pv_c"] else "–", f"≤ {TARGET_C_RATIO}×",
         met(gm["pv_c"] and gm["pv_c"] <= TARGET_C_RATIO)],
        [f"kernels beyond {TARGET_C_RATIO}× of C -O2", ", ".join(beyond_c) or "none", "none",
         met(not beyond_c)],
        ["kernels where Pyvorin runs in CPython",
         ", ".join(not_native) or "none", f"none (native on {n_native}/{len(all_results)})",
         met(not not_native)],
        ["results differing from CPython (kernels and probes)", ", ".join(wrong) or "none",
         "none",
         "met" if not wrong else "**NOT met**"],
    ]

    render("Machine", ["item", "value"], [
        ["CPU", f"{info['cpu']}; nproc = {info['nproc']}, shared with other users"],
        ["load average (start → end)", f"{info['loadavg'][0]:.2f} → {info['loadavg_end'][0]:.2f}"],
        ["Python", info["python"]], ["NumPy", np.__version__], ["Numba", info["numba"]],
        ["Pyvorin", info["pyvorin"]], ["C compiler", info["clang"]],
        ["C flags", info.get("cflags", "–")],
        ["profile", f"{profile}; compiled code and C: best of {rounds} interleaved rounds of ≤40 "
                    f"calls; CPython: best of 1–3; garbage collector off, {harness.CLOCK} clock"],
    ], md)
    render("Array kernels: time per call and ratios", headers, rows, md, notes=notes)
    if variants:
        render_variants(variants, all_results, md, with_fast)
    if probes:
        def pcell(e):
            if "missing" in e:
                return "–"
            cell = e["verdict"]
            if "native" in e:
                cell += ", native" if e["native"] else \
                    f"; runs in CPython: {_reason(e.get('fallback_reason'))}"
            return cell
        prow = [[f"{probe}{tuple(p['params'])}", p["cpython"], pcell(p.get("numba", {})),
                 pcell(p.get("pyvorin", {})), pcell(p.get("pyvorin_fast", {}))]
                for probe, p in probes.items()]
        render("Probes: other ways of writing a kernel, and a bounds check (small size, untimed)",
               ["probe(size)", "CPython", "Numba", "Pyvorin", "Pyvorin fast=True"], prow, md,
               notes=["matmul_augassign is matmul written with c[i, j] += a[i, k] * b[k, j]; "
                      "black_scholes_erf uses the exact CDF 0.5 * (1 + math.erf(x / sqrt(2))); "
                      "prefix_sum_reversed is prefix_sum from the last element down (an "
                      "element store wider than 8 bytes overwrites out[i + 1], already written); "
                      "read_past_end reads a[n] from a view a = base[:n] of a longer array "
                      "(CPython raises IndexError; without a bounds check the next element of "
                      "base comes back). Numba checks no bounds unless boundscheck=True."])
    render("Array targets", ["target", "measured", "goal", "met?"], summary, md)
    return summary


# ------------------------------------------------------------------------------------------ main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, one round (smoke run)")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--json", nargs="?", const="-", metavar="PATH",
                    help="write every raw number as JSON to PATH, or alone: to stdout instead of "
                         "the tables")
    ap.add_argument("--kernels", help="comma-separated subset of kernels")
    ap.add_argument("--rounds", type=int, help="interleaved timing rounds")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="wall time (default) or this thread's CPU time (steadier when busy)")
    ap.add_argument("--fast", action="store_true",
                    help="also time Pyvorin with fast=True (no interrupt polls)")
    ap.add_argument("--cflags", default="", help="extra clang flags, e.g. '-march=native'")
    ap.add_argument("--no-probes", action="store_true", help="skip the untimed probes")
    ap.add_argument("--variants", action="store_true",
                    help="also time the float() variants (what NumPy scalar semantics cost)")
    opts = ap.parse_args(argv)
    faulthandler.enable()
    profile = "quick" if opts.quick else "full"
    rounds = opts.rounds or (1 if opts.quick else 5)
    harness.CLOCK = opts.clock

    harness.add_build_path()
    pyvorin, pv_why = harness.import_optional("pyvorin")
    numba, nb_why = harness.import_optional("numba")
    info = machine_info(pyvorin, numba)
    log(f"pyvorin: {info['pyvorin']}" + (f" — {pv_why}" if pyvorin is None else ""))

    reference = load(tag="arr_reference")
    impls = implementations(numba, pyvorin, opts.fast)
    if numba is None:
        impls["numba"] = (None, f"not importable: {nb_why}")
    if pyvorin is None:
        impls["pyvorin"] = (None, f"not built: {pv_why}")

    clib = None
    if os.path.exists(harness.CLANG):
        build = os.environ.get("PYVORIN_BUILD_DIR") or os.path.join(harness.REPO, "build")
        try:
            clib = build_c(os.path.join(build, "benchmarks"), opts.cflags.split())
            info["cflags"] = clib.flags
        except Exception as exc:
            log(f"C build failed: {exc}")
            clib = exc

    names = opts.kernels.split(",") if opts.kernels else reference.KERNELS
    all_results, expected = {}, {}
    for kernel in names:
        params = reference.SIZES[profile][kernel]
        label = reference.describe(kernel, params)
        log(f"{label} …")
        all_results[kernel] = (label, run_kernel(kernel, params, reference, impls, clib, rounds,
                                                 opts.quick, expected))
    variants = run_variants(names, reference, impls, numba, pyvorin, expected, profile, rounds,
                            opts.quick, opts.fast) if opts.variants else {}
    del expected
    probes = {} if opts.no_probes else run_probes(reference, impls, numba, pyvorin)
    info["loadavg_end"] = os.getloadavg()

    to_stdout = opts.json == "-"
    if to_stdout:
        real_stdout, sys.stdout = sys.stdout, sys.stderr
    try:
        summary = build_report(all_results, probes, info, profile, rounds, opts.markdown, opts.fast,
                               variants)
    finally:
        if to_stdout:
            sys.stdout = real_stdout
    if opts.json:
        doc = {"machine": info, "profile": profile, "rounds": rounds,
               "kernels": {k: {"params": reference.SIZES[profile][k], "input": label,
                               "results": r} for k, (label, r) in all_results.items()},
               "probes": probes, "variants": variants, "summary": summary}
        if to_stdout:
            json.dump(doc, sys.stdout, indent=1, default=repr)
            print()
        else:
            with open(opts.json, "w") as fh:
                json.dump(doc, fh, indent=1, default=repr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
