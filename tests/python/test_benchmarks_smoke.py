"""Smoke test of benchmarks/: every kernel's CPython, Numba, Pyvorin (fast=False and fast=True) and
C versions agree at tiny sizes, and benchmarks/containers.py --quick, strings.py --tiny and
arrays.py --quick run with every implementation agreeing with CPython. No timing assertions: speed
targets live in benchmarks/run.py, containers.py, strings.py and arrays.py."""
import json
import os
import shutil
import subprocess
import sys

import pytest

REPO = os.environ.get("PYVORIN_SOURCE_DIR") or os.path.join(os.path.dirname(__file__), "..", "..")
sys.path.insert(0, os.path.join(os.path.abspath(REPO), "benchmarks"))
import harness  # noqa: E402

REFERENCE = harness.load_kernels(tag="reference")
TINY = REFERENCE.SIZES["tiny"]
KERNELS = REFERENCE.KERNELS


@pytest.fixture(scope="module")
def impls():
    return harness.implementations(with_fast=True)


@pytest.fixture(scope="module")
def clibs(tmp_path_factory):
    if not os.path.exists(harness.CLANG) and not shutil.which("clang-19"):
        pytest.skip("clang-19 not installed")
    out = tmp_path_factory.mktemp("pvbench")
    return {v: harness.build_c(str(out), v) for v in harness.C_VARIANTS}


def _impl(impls, name):
    mod, why = impls[name]
    if mod is None:
        pytest.skip(f"{name}: {why}")
    return mod


def _assert_same(expected, got):
    assert type(got) is type(expected), (expected, got)
    assert got == expected


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("impl", ["numba", "pyvorin", "pyvorin_fast"])
def test_jit_agrees_with_cpython(impls, impl, kernel):
    mod = _impl(impls, impl)
    args = TINY[kernel]
    _assert_same(getattr(REFERENCE, kernel)(*args), getattr(mod, kernel)(*args))


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("impl", ["pyvorin", "pyvorin_fast"])
def test_pyvorin_kernel_runs_natively(impls, impl, kernel):
    mod = _impl(impls, impl)
    disp = getattr(mod, kernel)
    before = disp.stats
    disp(*TINY[kernel])
    after = disp.stats
    assert disp.fallback_reason is None, disp.fallback_reason
    assert after["native_calls"] == before["native_calls"] + 1
    assert after["python_calls"] == before["python_calls"]


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("variant", list(harness.C_VARIANTS))
def test_c_agrees_with_cpython(clibs, variant, kernel):
    args = TINY[kernel]
    _, got, times = harness.c_run(clibs[variant], kernel, args, reps=2)
    _assert_same(getattr(REFERENCE, kernel)(*args), got)
    assert len(times) == 2


def test_helpers_agree(impls):
    """The helpers the kernels call, on edge inputs (negative, zero, one, small primes)."""
    for impl in ("numba", "pyvorin", "pyvorin_fast"):
        mod, _ = impls[impl]
        if mod is None:
            continue
        for n in (-7, -1, 0, 1, 2, 3, 4, 9, 25, 97, 7919):
            _assert_same(REFERENCE.is_prime(n), mod.is_prime(n))
        for n in (1, 2, 3, 27, 97):
            _assert_same(REFERENCE.collatz_len(n), mod.collatz_len(n))
        _assert_same(REFERENCE.add(1, 2), mod.add(1, 2))
        _assert_same(REFERENCE.add(1.5, 2), mod.add(1.5, 2))


@pytest.mark.parametrize("impl", ["pyvorin", "pyvorin_fast"])
def test_pyvorin_exact_beyond_int64(impls, impl):
    """The benchmark's correctness row: the sum of squares below 10**7 exceeds int64; Pyvorin must
    give the exact value (Numba wraps, which is not asserted here)."""
    mod = _impl(impls, impl)
    kernel, args = REFERENCE.OVERFLOW_CASE
    expected = REFERENCE.sum_squares_exact(*args)
    assert expected > 2**63
    _assert_same(expected, getattr(mod, kernel)(*args))


def test_c_checked_build_detects_overflow(clibs):
    kernel, args = REFERENCE.OVERFLOW_CASE
    with pytest.raises(harness.CBailout):
        harness.c_run(clibs["c_pysem"], kernel, args)


def test_containers_quick_agrees_with_cpython():
    """benchmarks/containers.py --quick --json: every result of Numba and Pyvorin equals CPython's
    (value and types, deeply), by every way the arguments were passed. Numba may be unable to
    compile a kernel and Pyvorin may run one in CPython; neither is asserted, nor is speed."""
    script = os.path.join(os.path.abspath(REPO), "benchmarks", "containers.py")
    proc = subprocess.run([sys.executable, script, "--quick", "--json"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    doc = json.loads(proc.stdout)
    kernels = harness.load_kernels(
        tag="containers_ref", path=os.path.join(harness.HERE, "container_kernels.py")).KERNELS
    assert list(doc["kernels"]) == kernels
    checked = 0
    for kernel, k in doc["kernels"].items():
        assert k["results"]["cpython"]["verdict"] == "exact"
        for impl in ("numba", "pyvorin"):
            entry = k["results"][impl]
            if "missing" in entry or (impl == "numba" and entry.get("unsupported")):
                continue
            assert "error" not in entry, (kernel, impl, entry["error"])
            assert entry["verdict"] == "exact", (kernel, impl, entry["verdict"])
            for way in entry["tried"]:
                assert way.get("verdict", "exact") == "exact", (kernel, impl, way)
                if impl == "pyvorin":
                    assert "error" not in way, (kernel, impl, way)
            checked += 1
    # sorted() is stable: Pyvorin must keep equal keys in order (Numba's sort is not stable).
    for how, verdict in doc["probes"]["sort_ties"].get("pyvorin", {}).items():
        assert verdict == "exact", ("sort_pairs on equal keys", how, verdict)
    ran = [n for n in ("numba", "pyvorin") if "missing" not in doc["kernels"][kernels[0]]["results"][n]]
    assert checked > 0 or not ran


# ------------------------------------------------------------------ strings and files (issue 8 §4)

STRINGS = harness.load_kernels(tag="strings_ref",
                               path=os.path.join(harness.HERE, "string_kernels.py"))


@pytest.fixture(scope="module")
def string_impls():
    """impl -> ({kernel: [(how, callable)]}, None) or (None, why), as benchmarks/strings.py builds
    them (Numba's typed results converted to dict/list)."""
    import strings
    harness.add_build_path()
    out = {}
    for name, make in (("numba", strings.numba_impl), ("pyvorin", strings.pyvorin_impl)):
        mod, why = harness.import_optional(name)
        out[name] = (make(mod), None) if mod is not None else (None, why)
    return out


def _outcome(fn, args):
    try:
        return "value", fn(*args)
    except Exception as exc:  # the same exception type as CPython's is what counts
        return "raises", exc


@pytest.mark.parametrize("kernel", STRINGS.KERNELS)
@pytest.mark.parametrize("impl", ["numba", "pyvorin"])
def test_string_kernels_agree_with_cpython(string_impls, impl, kernel, tmp_path):
    """Every string kernel at its tiny size and on its edge cases (string_kernels.edge_cases:
    Unicode whitespace, non-BMP characters, '\\r\\n', chunk boundaries, invalid UTF-8, ...): the
    same value and types as CPython, or the same exception type. Numba may be unable to compile a
    kernel (skipped); Pyvorin may run it in CPython (not asserted), nor is speed."""
    import strings
    fns, why = string_impls[impl]
    if fns is None:
        pytest.skip(f"{impl}: {why}")
    fn = fns[kernel][0][1]
    reference = getattr(STRINGS, kernel)
    cases = [("tiny", STRINGS.make_args(kernel, STRINGS.SIZES["tiny"][kernel], str(tmp_path)))]
    cases += STRINGS.edge_cases(kernel, str(tmp_path))
    for name, args in cases:
        want_kind, want = _outcome(reference, args)
        got_kind, got = _outcome(fn, args)
        if impl == "numba" and got_kind == "raises" and \
                strings.containers._numba_compile_error(got):
            pytest.skip(f"Numba cannot compile {kernel}: {strings.numba_reason(got)}")
        if want_kind == "raises":
            assert got_kind == "raises" and type(got) is type(want), (name, want, got)
        else:
            assert got_kind == "value", (name, got)
            assert strings.containers.same(want, got), (name, want, got)


def test_strings_tiny_runs_and_agrees():
    """benchmarks/strings.py --tiny --json: the command runs (files written and removed, report
    built) and every result of Numba and Pyvorin equals CPython's."""
    script = os.path.join(os.path.abspath(REPO), "benchmarks", "strings.py")
    proc = subprocess.run([sys.executable, script, "--tiny", "--json"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    doc = json.loads(proc.stdout)
    assert list(doc["kernels"]) == STRINGS.KERNELS
    for kernel, k in doc["kernels"].items():
        assert k["results"]["cpython"]["verdict"] == "exact"
        for impl in ("numba", "pyvorin"):
            entry = k["results"][impl]
            if "missing" in entry or (impl == "numba" and entry.get("unsupported")):
                continue
            assert "error" not in entry, (kernel, impl, entry["error"])
            assert entry["verdict"] == "exact", (kernel, impl, entry["verdict"])


# ---------------------------------------------------------------------------- NumPy array kernels

def test_arrays_quick_agrees_with_cpython():
    """benchmarks/arrays.py --quick --json: the command runs, and every result of NumPy's
    whole-array version, Numba, Pyvorin and C agrees with CPython's (exactly, or within a relative
    1e-9 where the sum order differs). Pyvorin's bounds check must raise IndexError as CPython
    does (the read_past_end probe). Neither speed nor native execution is asserted."""
    script = os.path.join(os.path.abspath(REPO), "benchmarks", "arrays.py")
    proc = subprocess.run([sys.executable, script, "--quick", "--json"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-4000:]
    doc = json.loads(proc.stdout)
    kernels = harness.load_kernels(
        tag="arrays_ref", path=os.path.join(harness.HERE, "array_kernels.py")).KERNELS
    assert list(doc["kernels"]) == kernels
    for kernel, k in doc["kernels"].items():
        for impl in ("numpy", "numba", "pyvorin", "c"):
            entry = k["results"][impl]
            if "missing" in entry or (impl == "numba" and entry.get("unsupported")):
                continue
            assert "error" not in entry, (kernel, impl, entry["error"])
            verdict = entry["verdict"]
            assert verdict == "exact" or verdict.startswith("close"), (kernel, impl, verdict)
    probe = doc["probes"].get("read_past_end", {}).get("pyvorin", {})
    if "verdict" in probe:
        assert probe["verdict"] == "same error (IndexError)", probe
