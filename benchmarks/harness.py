"""Shared benchmark machinery: loads the kernels once per implementation (CPython, Numba, Pyvorin,
Pyvorin fast=True), builds and drives the C twins, and times calls. Used by run.py and by
tests/python/test_benchmarks_smoke.py (which only checks that the implementations agree).
"""
import ctypes
import gc
import hashlib
import importlib.util
import math
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
KERNELS_PY = os.path.join(HERE, "kernels.py")
KERNELS_C = os.path.join(HERE, "c", "kernels.c")

# The C build: the brief's "clang-19 -O2"; -ffp-contract=off keeps float results bit-identical to
# Python's (no fused multiply-add), which is also what Pyvorin must do (SEMANTICS.md).
CLANG = shutil.which("clang-19") or "/usr/bin/clang-19"
C_FLAGS = ["-O2", "-ffp-contract=off", "-fPIC", "-shared"]
C_VARIANTS = {"c": [], "c_pysem": ["-DPVB_PY_SEMANTICS"]}

FLOAT_RESULT = {"nbody"}

# "wall": elapsed time (the default); "cpu": this thread's CPU time, which a busy shared machine
# disturbs far less (every timed implementation runs single-threaded on the calling thread).
CLOCK = "wall"


def add_build_path():
    """Makes build/python (or $PYVORIN_BUILD_DIR/python) importable, as the ctest environment does."""
    build = os.environ.get("PYVORIN_BUILD_DIR") or os.path.join(REPO, "build")
    pkg = os.path.join(os.path.abspath(build), "python")
    if os.path.isdir(pkg) and pkg not in sys.path:
        sys.path.insert(0, pkg)


def import_optional(name):
    """Returns (module, None) or (None, one-line reason)."""
    try:
        return __import__(name), None
    except Exception as exc:  # ImportError, or a broken build raising something else
        return None, f"{type(exc).__name__}: {exc}".splitlines()[0]


_load_count = 0


def load_kernels(decorate=None, tag="plain", path=KERNELS_PY):
    """A fresh copy of kernels.py (or the kernels file at `path`) as its own module; with `decorate`, every kernel and helper is
    replaced by decorate(fn) in that module's globals, so recursion and calls between kernels go
    through the decorated versions (Numba and Pyvorin resolve them at first call)."""
    global _load_count
    _load_count += 1
    name = f"_pvbench_kernels_{tag}_{_load_count}"
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    if decorate is not None:
        for fname in mod.KERNELS + mod.HELPERS:
            setattr(mod, fname, decorate(getattr(mod, fname)))
    return mod


def implementations(with_fast=True):
    """name -> (module or None, reason when unavailable). Order is the table's column order."""
    impls = {"cpython": (load_kernels(tag="cpython"), None)}
    numba, why = import_optional("numba")
    impls["numba"] = (load_kernels(numba.njit, "numba"), None) if numba else (None, why)
    add_build_path()
    pyvorin, why = import_optional("pyvorin")
    if pyvorin is None:
        impls["pyvorin"] = (None, "not built (" + why + ")")
        if with_fast:
            impls["pyvorin_fast"] = (None, "not built")
        return impls
    impls["pyvorin"] = (load_kernels(pyvorin.jit(fast=False, opt_level=2), "pyvorin"), None)
    if with_fast:
        impls["pyvorin_fast"] = (load_kernels(pyvorin.jit(fast=True, opt_level=2), "pyvorin_fast"),
                                 None)
    return impls


# ---------------------------------------------------------------------------------------------- C

def build_c(out_dir, variant="c", extra_flags=()):
    """Compiles benchmarks/c/kernels.c into out_dir (reused while source and flags are unchanged)
    and returns the loaded ctypes library."""
    flags = C_FLAGS + C_VARIANTS[variant] + list(extra_flags)
    with open(KERNELS_C, "rb") as fh:
        key = hashlib.sha256(fh.read() + " ".join([CLANG] + flags).encode()).hexdigest()[:12]
    os.makedirs(out_dir, exist_ok=True)
    lib_path = os.path.join(out_dir, f"libpvbench_{variant}_{key}.so")
    if not os.path.exists(lib_path):
        tmp = lib_path + f".tmp{os.getpid()}"
        subprocess.run(["nice", CLANG, *flags, "-o", tmp, KERNELS_C, "-lm"], check=True)
        os.replace(tmp, lib_path)
    lib = ctypes.CDLL(lib_path)
    lib.pvb_kernel_index.argtypes = [ctypes.c_char_p]
    lib.pvb_kernel_index.restype = ctypes.c_int
    lib.pvb_time.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_int64), ctypes.c_int,
                             ctypes.POINTER(ctypes.c_int64), ctypes.POINTER(ctypes.c_double),
                             ctypes.POINTER(ctypes.c_double), ctypes.c_int]
    lib.pvb_time.restype = ctypes.c_double
    lib.pvb_flags = " ".join(["clang-19"] + [f for f in flags if f not in ("-fPIC", "-shared")])
    return lib


class CBailout(Exception):
    """The Python-semantics C build hit a failed check (int64 overflow, division by zero)."""


def c_run(lib, kernel, args, reps=1):
    """Runs the C twin `reps` times inside C. Returns (best_seconds, result, [per-rep seconds])."""
    idx = lib.pvb_kernel_index(kernel.encode())
    if idx < 0:
        raise KeyError(kernel)
    argv = (ctypes.c_int64 * max(3, len(args)))(*args)
    iout = ctypes.c_int64(0)
    fout = ctypes.c_double(0.0)
    times = (ctypes.c_double * 64)()
    best = lib.pvb_time(idx, argv, reps, ctypes.byref(iout), ctypes.byref(fout), times,
                        1 if CLOCK == "cpu" else 0)
    if best == -1.0:
        raise CBailout(f"{kernel}{tuple(args)}: a Python-semantics check failed (overflow)")
    result = fout.value if kernel in FLOAT_RESULT else iout.value
    return best, result, list(times[:min(reps, 64)])


# ----------------------------------------------------------------------------------------- timing

def time_calls(fn, args, min_reps=3, max_reps=50, budget_s=1.0):
    """Times fn(*args) repeatedly (gc off); stops after max_reps or once min_reps are done and the
    budget is spent. Returns (best_seconds, median_seconds, result)."""
    times = []
    result = None
    clock = time.thread_time_ns if CLOCK == "cpu" else time.perf_counter_ns
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = time.perf_counter()
        while len(times) < max_reps:
            t0 = clock()
            result = fn(*args)
            t1 = clock()
            times.append((t1 - t0) * 1e-9)
            if len(times) >= min_reps and time.perf_counter() - start > budget_s:
                break
    finally:
        if was_enabled:
            gc.enable()
    times.sort()
    return times[0], times[len(times) // 2], result


def time_c(lib, kernel, args, min_reps=5, max_reps=64, budget_s=1.0):
    """Times the C twin with a repeat count sized from one probe run. Returns (best, median, result)."""
    probe, result, _ = c_run(lib, kernel, args, 1)
    reps = int(min(max_reps, max(min_reps, budget_s / max(probe, 1e-7))))
    best, result, times = c_run(lib, kernel, args, reps)
    times.sort()
    return min(best, probe), times[len(times) // 2], result


def agree(expected, got):
    """'exact', 'close (rel err …)' for floats within 1e-9, or 'WRONG'."""
    if type(expected) is float or type(got) is float:
        if isinstance(got, (int, float)) and float(got) == float(expected) and \
                type(got) is type(expected):
            return "exact"
        if isinstance(got, (int, float)) and math.isfinite(expected) and \
                abs(got - expected) <= 1e-9 * max(1.0, abs(expected)):
            return f"close (rel err {abs(got - expected) / max(1e-300, abs(expected)):.1e})"
        return "WRONG"
    if type(got) is bool or type(expected) is bool:
        return "exact" if type(got) is type(expected) and got == expected else "WRONG"
    return "exact" if isinstance(got, int) and got == expected else "WRONG"
