#!/usr/bin/python3
"""Pyvorin benchmarks: CPython, Numba (@numba.njit), Pyvorin (@pyvorin.jit, with and without loop
interrupt polls) and C (clang-19 -O2, timed inside C) on the same kernels and inputs, in one run.

    /usr/bin/python3 benchmarks/run.py              # full table (~1-2 minutes on 2 cores)
    /usr/bin/python3 benchmarks/run.py --quick      # small sizes, smoke run
    /usr/bin/python3 benchmarks/run.py --markdown   # Markdown, as in docs/performance.md

Finds the package in build/python (or $PYVORIN_BUILD_DIR/python) itself. Progress goes to stderr,
the tables to stdout. Times are the best of N repeats (the machine is shared; medians in --json).
"""
import argparse
import faulthandler
import json
import linecache
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

TARGET_C_RATIO = 1.2
TARGET_COMPILE_MS = 20.0
TARGET_CALL_RATIO = 1.5
# Differences below this are within run-to-run noise on the shared 2-core machine.
NOISE = 0.03

IMPL_LABEL = {"cpython": "CPython", "numba": "Numba", "pyvorin": "Pyvorin",
              "pyvorin_fast": "Pyvorin fast", "c": "C -O2", "c_pysem": "C +py-checks"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------- formatting

def fmt_time(s):
    if s is None:
        return "–"
    if s < 1e-6:
        return f"{s * 1e9:.0f} ns"
    if s < 1e-3:
        return f"{s * 1e6:.3g} µs"
    if s < 1.0:
        return f"{s * 1e3:.3g} ms"
    return f"{s:.3g} s"


def fmt_ratio(r):
    if r is None:
        return "–"
    if r >= 100:
        return f"{r:,.0f}×"
    return f"{r:.2f}×"


def fmt_args(name, args):
    return f"{name}({', '.join(format(a, '_') if a >= 10000 else str(a) for a in args)})"


def render(title, headers, rows, markdown, notes=()):
    out = []
    if markdown:
        out.append(f"### {title}\n")
        out.append("| " + " | ".join(headers) + " |")
        out.append("|" + "|".join("---" for _ in headers) + "|")
        for row in rows:
            out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |")
        for n in notes:
            out.append(f"\n{n}")
    else:
        widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(h)
                  for i, h in enumerate(headers)]
        out.append(title)
        out.append("=" * len(title))
        out.append("  ".join(str(h).ljust(w) for h, w in zip(headers, widths)))
        out.append("  ".join("-" * w for w in widths))
        for row in rows:
            out.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths)))
        for n in notes:
            out.append(n)
    out.append("")
    print("\n".join(out))


# ---------------------------------------------------------------------------------------- machine

def machine_info(pyvorin, numba):
    fields = {}
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                fields.setdefault(key.strip(), value.strip())
    except OSError:
        pass
    cpu = fields.get("model name", "unknown")
    extra = [f"family {fields['cpu family']} model {fields['model']}" if "cpu family" in fields else "",
             f"{float(fields['cpu MHz']):.0f} MHz" if "cpu MHz" in fields else "",
             "virtual machine" if " hypervisor" in " " + fields.get("flags", "") else "",
             "AVX-512" if "avx512f" in fields.get("flags", "").split() else
             ("AVX2" if "avx2" in fields.get("flags", "").split() else "")]
    extra = [e for e in extra if e]
    if extra:
        cpu += " (" + ", ".join(extra) + ")"
    try:
        clang = subprocess.run([harness.CLANG, "--version"], capture_output=True,
                               text=True).stdout.splitlines()[0]
    except Exception:
        clang = "clang-19 not found"
    return {
        "cpu": cpu, "nproc": os.cpu_count(), "loadavg": os.getloadavg(),
        "python": f"{platform.python_implementation()} {platform.python_version()} "
                  f"({sys.executable})",
        "numba": getattr(numba, "__version__", "not importable"),
        "pyvorin": (f"{getattr(pyvorin, 'version', '?')} (LLVM {getattr(pyvorin, 'llvm_version', '?')})"
                    if pyvorin else "not built"),
        "clang": clang,
    }


# ------------------------------------------------------------------------------ compile latency

_fresh = 0


def fresh_function(tag):
    """A new function with unique source text (so no compile cache can answer), registered in
    linecache the way IPython registers cells, so inspect.getsource finds it."""
    global _fresh
    _fresh += 1
    name = f"small_{tag}_{_fresh}"
    src = (f"def {name}(n):\n"
           f"    s = 0\n"
           f"    for i in range(n):\n"
           f"        s += i * {_fresh} + 1\n"
           f"    return s\n")
    filename = f"<pvbench-compile-{name}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {}
    exec(compile(src, filename, "exec"), ns)
    return ns[name]


def first_call_ms(dispatcher):
    """(wall, thread CPU) time of the first call (compile + run) minus a steady-state call, in ms.
    CPU time of this thread is immune to other users of the machine taking the core away."""
    c0 = time.thread_time_ns()
    t0 = time.perf_counter_ns()
    dispatcher(10)
    t1 = time.perf_counter_ns()
    c1 = time.thread_time_ns()
    steady = min(_timed(dispatcher) for _ in range(5))
    return (t1 - t0 - steady) * 1e-6, (c1 - c0 - steady) * 1e-6


def _timed(fn):
    t0 = time.perf_counter_ns()
    fn(10)
    return time.perf_counter_ns() - t0


def measure_compile(pyvorin, numba, n_fresh):
    res = {}
    try:
        _measure_compile(res, pyvorin, numba, n_fresh)
    except Exception as exc:
        log(f"compile latency failed: {type(exc).__name__}: {exc}")
        res["error"] = _short(f"{type(exc).__name__}: {exc}")
        res.pop("pyvorin", None)
    return res


def _measure_compile(res, pyvorin, numba, n_fresh):
    """Pyvorin and Numba take turns on fresh functions; sample 0 of each is its first compile in
    the process."""
    tools = {}
    if pyvorin is not None:
        tools["pyvorin"] = lambda: pyvorin.jit(opt_level=2, cache=False)(fresh_function("pv"))
    if numba is not None:
        tools["numba"] = lambda: numba.njit(fresh_function("nb"))
    wall = {t: [] for t in tools}
    cpu = {t: [] for t in tools}
    stages = []
    for _ in range(n_fresh + 1):
        for tool, make in tools.items():
            d = make()
            w, c = first_call_ms(d)
            wall[tool].append(w)
            cpu[tool].append(c)
            if tool == "pyvorin":
                report = getattr(d, "report", None) or {}
                stages.append(dict(report.get("timings_ms") or {}))
                if not getattr(d, "compiled", True):
                    res["pyvorin_error"] = getattr(d, "fallback_reason", "not compiled")
    for tool in tools:
        res[tool] = {"first_in_process_ms": wall[tool][0], "fresh_ms": wall[tool][1:],
                     "fresh_cpu_ms": cpu[tool][1:]}
    if "pyvorin" in res:
        res["pyvorin"]["stages_ms"] = stages[1:]
        res["pyvorin"]["first_stages_ms"] = stages[0]


# -------------------------------------------------------------------------------- call overhead

def measure_call_overhead(impls, number, repeat):
    """timeit of f(1, 2); the callables take turns, repeat times, so load bursts hit all alike."""
    res, timers, stats_before = {}, {}, {}
    for name in ("cpython", "pyvorin", "numba"):
        mod, _ = impls.get(name, (None, None))
        if mod is None:
            continue
        f = mod.add
        try:
            f(1, 2)  # compile
        except Exception as exc:
            res[name] = {"error": _short(f"{type(exc).__name__}: {exc}")}
            continue
        timers[name] = timeit.Timer("f(1, 2)", globals={"f": f})
        stats_before[name] = getattr(f, "stats", None)
    samples = {name: [] for name in timers}
    for _ in range(repeat):
        for name, timer in timers.items():
            samples[name].append(timer.timeit(number) / number * 1e9)
    for name, t in samples.items():
        res[name] = {"best_ns": min(t), "median_ns": statistics.median(t)}
        before = stats_before[name]
        if before is not None and name == "pyvorin":
            f = impls[name][0].add
            after = f.stats
            res[name]["native_calls"] = after["native_calls"] - before["native_calls"]
            res[name]["python_calls"] = after["python_calls"] - before["python_calls"]
            if res[name]["python_calls"]:
                res[name]["error"] = (f"add(1, 2) ran in CPython ({res[name]['python_calls']} "
                                      f"python_calls): {f.fallback_reason}")
    return res


# -------------------------------------------------------------------------------------- kernels

def pyvorin_state(mod, kernel):
    d = getattr(mod, kernel)
    stats = getattr(d, "stats", None) or {}
    return {"native": stats.get("native_calls", 0), "python": stats.get("python_calls", 0),
            "compiled": getattr(d, "compiled", None), "fallback": getattr(d, "fallback_reason", None)}


def run_kernel(kernel, args, impls, clibs, rounds, quick):
    """Times one kernel on every implementation. Returns {impl: {...}}."""
    out = {}
    budget = 0.15 if quick else 0.2
    for name, (mod, why) in impls.items():
        if mod is None:
            out[name] = {"missing": why}
            continue
        fn = getattr(mod, kernel)
        entry = {}
        try:
            if name == "cpython":
                best, med, result = harness.time_calls(fn, args, min_reps=1 if quick else 3,
                                                       max_reps=3 if quick else 5, budget_s=0.0)
                entry.update(best=best, median=med, result=result)
            else:
                t0 = time.perf_counter()
                before = pyvorin_state(mod, kernel) if name.startswith("pyvorin") else None
                entry["result"] = fn(*args)  # first call: compile + run
                entry["first_call_s"] = time.perf_counter() - t0
                entry["best"] = entry["median"] = None
                entry["before"] = before
        except Exception as exc:
            entry = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
        out[name] = entry
    # Native implementations and C: interleaved rounds, best over all, so a burst of load from
    # other users of the machine hits every implementation alike.
    for name in clibs:
        out[name] = {"best": None, "median": None}
    for _ in range(rounds):
        for name, (mod, _why) in impls.items():
            entry = out[name]
            if name == "cpython" or mod is None or "error" in entry:
                continue
            try:
                best, med, result = harness.time_calls(getattr(mod, kernel), args, min_reps=3,
                                                       max_reps=40, budget_s=budget)
            except Exception as exc:
                entry["error"] = f"{type(exc).__name__}: {exc}".splitlines()[0]
                continue
            _merge(entry, best, med, result)
        for name, lib in clibs.items():
            entry = out[name]
            if "error" in entry:
                continue
            try:
                best, med, result = harness.time_c(lib, kernel, args, budget_s=budget)
            except harness.CBailout as exc:
                out[name] = {"error": str(exc)}
                continue
            _merge(entry, best, med, result)
    for name, (mod, _why) in impls.items():
        if name.startswith("pyvorin") and mod is not None and "error" not in out[name]:
            after = pyvorin_state(mod, kernel)
            before = out[name].pop("before")
            out[name]["native_calls"] = after["native"] - before["native"]
            out[name]["python_calls"] = after["python"] - before["python"]
            out[name]["fallback"] = after["fallback"]
    return out


def _merge(entry, best, med, result):
    entry["best"] = best if entry["best"] is None else min(entry["best"], best)
    entry.setdefault("medians", []).append(med)
    entry["median"] = statistics.median(entry["medians"])
    entry["result"] = result


def run_overflow_case(impls, clibs):
    kernel, args = harness_kernels().OVERFLOW_CASE
    expected = harness_kernels().sum_squares_exact(*args)
    out = {"kernel": kernel, "args": args, "expected": expected}
    for name, (mod, why) in impls.items():
        if mod is None:
            out[name] = {"missing": why}
            continue
        before = pyvorin_state(mod, kernel) if name.startswith("pyvorin") else None
        t0 = time.perf_counter()
        try:
            got = getattr(mod, kernel)(*args)
            entry = {"result": got, "verdict": harness.agree(expected, got)}
        except Exception as exc:
            entry = {"error": f"{type(exc).__name__}: {exc}".splitlines()[0]}
        entry["seconds"] = time.perf_counter() - t0
        if before is not None:
            after = pyvorin_state(mod, kernel)
            entry["native_calls"] = after["native"] - before["native"]
            entry["python_calls"] = after["python"] - before["python"]
        out[name] = entry
    for name, lib in clibs.items():
        try:
            _, got, _ = harness.c_run(lib, kernel, args, 1)
            out[name] = {"result": got, "verdict": harness.agree(expected, got)}
        except harness.CBailout:
            out[name] = {"error": "overflow detected (check failed)"}
    return out


_kmod = None


def harness_kernels():
    global _kmod
    if _kmod is None:
        _kmod = harness.load_kernels(tag="sizes")
    return _kmod


# ---------------------------------------------------------------------------------------- report

def cell_time(entry):
    if "missing" in entry:
        return "not built" if "not built" in entry["missing"] else "n/a"
    if "error" in entry:
        return "error"
    t = fmt_time(entry.get("best"))
    if entry.get("python_calls") and not entry.get("native_calls"):
        t += " (CPython fallback!)"
    elif entry.get("python_calls"):
        t += f" ({entry['python_calls']} calls in CPython)"
    return t


def ratio(a, b):
    if a is None or b is None or not b:
        return None
    return a / b


def best_of(results, name):
    e = results.get(name, {})
    if "missing" in e or "error" in e:
        return None
    if name.startswith("pyvorin") and e.get("python_calls") and not e.get("native_calls"):
        return None  # fell back: not a native time
    return e.get("best")


def summarize(all_results, impl_names):
    """Per kernel: verdicts against CPython."""
    verdicts = {}
    for kernel, (args, res) in all_results.items():
        expected = res["cpython"].get("result")
        v = {}
        for name in impl_names:
            e = res.get(name, {})
            if "missing" in e:
                v[name] = "n/a"
            elif "error" in e:
                v[name] = "error: " + _short(e["error"])
            else:
                v[name] = harness.agree(expected, e.get("result"))
        verdicts[kernel] = v
    return verdicts


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, fewer repeats (smoke run)")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--json", metavar="PATH", help="also write every raw number to PATH")
    ap.add_argument("--kernels", help="comma-separated subset of kernels")
    ap.add_argument("--rounds", type=int, help="interleaved timing rounds for native code")
    ap.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                    help="kernel timer: elapsed time (default) or the thread's CPU time, which is "
                         "steadier when other people load the machine")
    ap.add_argument("--cflags", default="",
                    help="extra clang flags for both C builds, e.g. '-march=native'")
    ap.add_argument("--remarks", action="store_true",
                    help="also print Pyvorin's optimisation remarks for each kernel")
    opts = ap.parse_args(argv)
    faulthandler.enable()

    profile = "quick" if opts.quick else "full"
    harness.CLOCK = opts.clock
    rounds = opts.rounds or (1 if opts.quick else 6)
    harness.add_build_path()
    pyvorin, pv_why = harness.import_optional("pyvorin")
    numba, nb_why = harness.import_optional("numba")
    info = machine_info(pyvorin, numba)
    log(f"pyvorin: {info['pyvorin']}" + (f" — {pv_why}" if pyvorin is None else ""))

    # Compile latency first, so "first in process" really is the first compile in the process.
    log("compile latency …")
    compile_res = measure_compile(pyvorin, numba, 3 if opts.quick else 9)

    impls = harness.implementations(with_fast=True)
    impl_names = list(impls) + ["c", "c_pysem"]
    clibs = {}
    cdir = os.path.join(harness.REPO, "build", "benchmarks")
    for variant in ("c", "c_pysem"):
        try:
            clibs[variant] = harness.build_c(cdir, variant, opts.cflags.split())
        except Exception as exc:
            log(f"C build failed ({variant}): {exc}")

    kmod = harness_kernels()
    names = opts.kernels.split(",") if opts.kernels else kmod.KERNELS
    all_results = {}
    for kernel in names:
        args = kmod.SIZES[profile][kernel]
        log(f"{fmt_args(kernel, args)} …")
        all_results[kernel] = (args, run_kernel(kernel, args, impls, clibs, rounds, opts.quick))

    log("overflow case …")
    overflow = run_overflow_case(impls, clibs)
    log("call overhead …")
    calls = measure_call_overhead(impls, 200_000 if opts.quick else 1_000_000, 5 if opts.quick else 9)
    info["loadavg_end"] = os.getloadavg()

    verdicts = summarize(all_results, impl_names)
    md = opts.markdown

    # ---- machine
    render("Machine", ["item", "value"], [
        ["CPU", f"{info['cpu']}; nproc = {info['nproc']}, shared with other users"],
        ["load average (start → end)", f"{info['loadavg'][0]:.2f} → {info['loadavg_end'][0]:.2f}"],
        ["Python", info["python"]], ["Numba", info["numba"]], ["Pyvorin", info["pyvorin"]],
        ["C compiler", info["clang"]],
        ["C flags", " ".join(harness.C_FLAGS[:-2] + opts.cflags.split()) +
         " (C +py-checks adds -DPVB_PY_SEMANTICS)"],
        ["kernel clock", "wall (elapsed) time" if opts.clock == "wall" else
         "CPU time of the calling thread (--clock cpu)"],
        ["profile", f"{profile}; native and C times: best of {rounds} interleaved rounds of ≤40 "
                    f"calls; "
                    f"CPython: best of {1 if opts.quick else 3}–{3 if opts.quick else 5}"],
    ], md)

    # ---- main table
    rows = []
    for kernel, (args, res) in all_results.items():
        pv, pvf, c, nb, cp = (best_of(res, n) for n in ("pyvorin", "pyvorin_fast", "c", "numba", "cpython"))
        bad = [f"{IMPL_LABEL[n]} {v}" for n, v in verdicts[kernel].items() if v not in ("exact", "n/a")]
        rows.append([fmt_args(kernel, args)] + [cell_time(res.get(n, {"missing": "?"})) for n in impl_names] +
                    [fmt_ratio(ratio(pv, c)), fmt_ratio(ratio(pv, nb)), fmt_ratio(ratio(cp, pv)),
                     fmt_ratio(ratio(pv, pvf)), "; ".join(bad) or "all exact"])
    render("Kernel times (best of N) and ratios",
           ["kernel(input)"] + [IMPL_LABEL[n] for n in impl_names] +
           ["Pv/C", "Pv/Numba", "CPy/Pv", "Pv/Pv-fast", "results vs CPython"], rows, md,
           notes=["Pyvorin = @pyvorin.jit (fast=False: interrupt poll on every loop back-edge); "
                  "Pyvorin fast = @pyvorin.jit(fast=True). Pv/Pv-fast is the polling cost. "
                  "C +py-checks = the same C with Python's semantics (checked int64 overflow, floor "
                  "// and %, zero-division checks): what those semantics cost in C. "
                  "Ratios < 1 mean Pyvorin is faster."])

    # ---- correctness
    rows = []
    for kernel, (args, res) in all_results.items():
        exp = res["cpython"].get("result")
        rows.append([fmt_args(kernel, args), repr(exp)] +
                    [_verdict_cell(verdicts[kernel][n], res.get(n, {}), exp) for n in impl_names[1:]])
    ov_row = [fmt_args(overflow["kernel"], overflow["args"]) + " — exceeds int64",
              repr(overflow["expected"])]
    for n in impl_names[1:]:
        e = overflow.get(n, {})
        ov_row.append(_verdict_cell(e.get("verdict") or ("error: " + _short(e["error"]) if "error" in e else "n/a"),
                                    e, overflow["expected"]))
    rows.append(ov_row)
    render("Correctness (every result compared with CPython's)",
           ["kernel(input)", "CPython"] + [IMPL_LABEL[n] for n in impl_names[1:]], rows, md,
           notes=[_overflow_note(overflow)])

    # ---- compile latency
    rows = []
    pvc = compile_res.get("pyvorin")
    nbc = compile_res.get("numba")
    if pvc:
        stages = pvc["stages_ms"]
        keys = [k for k in ("parse", "infer", "lower", "optimize", "codegen", "load")
                if any(k in s for s in stages)]
        stage_txt = ", ".join(f"{k} {statistics.median(s.get(k, 0.0) for s in stages):.2f}" for k in keys)
        rows.append(["Pyvorin @jit(opt_level=2)", f"{statistics.median(pvc['fresh_ms']):.1f} ms",
                     f"{min(pvc['fresh_ms']):.1f} ms", f"{statistics.median(pvc['fresh_cpu_ms']):.1f} ms",
                     f"{pvc['first_in_process_ms']:.1f} ms", stage_txt or "no report['timings_ms']"])
    else:
        rows.append(["Pyvorin", compile_res.get("error", "not built"), "", "", "", ""])
    if nbc:
        rows.append(["Numba @njit", f"{statistics.median(nbc['fresh_ms']):.1f} ms",
                     f"{min(nbc['fresh_ms']):.1f} ms", f"{statistics.median(nbc['fresh_cpu_ms']):.1f} ms",
                     f"{nbc['first_in_process_ms']:.1f} ms", ""])
    render("Cold compile latency of a small function (first call minus a steady call)",
           ["compiler", "median of fresh functions", "best", "median thread CPU time",
            "first in process",
            "Pyvorin stages, median ms (report['timings_ms'])"], rows, md,
           notes=["Each sample is a new function with unique source (no cache can answer), `def "
                  "small_k(n): s = 0; for i in range(n): s += i * k + 1; return s`, first called "
                  "with n=10. The target is judged on wall time (thread CPU time with --clock cpu); "
                  "the gap between the two is other users of the machine taking the core."])

    # ---- call overhead
    rows = []
    base = calls.get("cpython", {}).get("best_ns")
    for n, label in (("cpython", "plain Python def"), ("pyvorin", "Pyvorin dispatcher"),
                     ("numba", "Numba dispatcher")):
        if "error" in calls.get(n, {}):
            rows.append([label, "error: " + calls[n]["error"], "", ""])
        elif n in calls:
            rows.append([label, f"{calls[n]['best_ns']:.0f} ns", f"{calls[n]['median_ns']:.0f} ns",
                         fmt_ratio(ratio(calls[n]["best_ns"], base))])
        else:
            rows.append([label, "not built", "", ""])
    render("Call overhead of add(1, 2) (timeit, ns per call including the timeit loop)",
           ["callable", "best", "median", "vs def"], rows, md)

    if opts.remarks:
        print_remarks(impls, all_results, md)

    # ---- targets
    render("Targets", ["target", "measured", "met?"], targets(all_results, compile_res, calls), md)

    if opts.json:
        with open(opts.json, "w") as fh:
            json.dump({"machine": info, "profile": profile, "kernels": {
                k: {"args": a, "results": r} for k, (a, r) in all_results.items()},
                "verdicts": verdicts, "overflow": overflow, "compile": compile_res,
                "calls": calls}, fh, indent=1, default=repr)
    return 0


def print_remarks(impls, all_results, md):
    """Pyvorin's optimisation remarks per kernel (report['remarks']), grouped by pass."""
    mod, _ = impls.get("pyvorin", (None, None))
    if mod is None:
        return
    rows = []
    for kernel in all_results:
        report = getattr(getattr(mod, kernel), "report", None) or {}
        remarks = report.get("remarks") or []
        by_pass = {}
        for r in remarks:
            by_pass.setdefault(r.get("pass", "?"), []).append(
                f"L{r.get('line', '?')}: {r.get('message', '')}")
        text = "; ".join(f"{p}: " + " / ".join(m[:3]) + (" …" if len(m) > 3 else "")
                         for p, m in sorted(by_pass.items()))
        rows.append([kernel, str(len(remarks)), _short(text, 400) or "none"])
    render("Pyvorin optimisation remarks (report['remarks'])", ["kernel", "count", "remarks"],
           rows, md)


def _short(text, limit=70):
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _verdict_cell(verdict, entry, expected):
    if verdict == "exact":
        return "= (exact)"
    if verdict == "n/a":
        return "not built" if "not built" in entry.get("missing", "") else "n/a"
    if verdict.startswith("error"):
        return verdict
    if verdict == "WRONG":
        return f"WRONG: {entry.get('result')!r}"
    return f"{entry.get('result')!r} ({verdict})"


def _overflow_note(ov):
    parts = []
    for n in ("pyvorin", "pyvorin_fast"):
        e = ov.get(n, {})
        if "seconds" in e:
            what = e.get("verdict") or e.get("error")
            parts.append(f"{IMPL_LABEL[n]}: {what} in {e['seconds']:.2f} s (stats: native_calls "
                         f"+{e.get('native_calls')}, python_calls +{e.get('python_calls')})")
    cp = ov.get("cpython", {})
    if "seconds" in cp:
        parts.append(f"CPython: {cp['seconds']:.2f} s")
    return ("Overflow row: the exact sum of squares below 10**7 needs 69 bits. " + "; ".join(parts) +
            ". Numba and plain C wrap modulo 2**64 without any error; the C +py-checks build "
            "detects the overflow and gives up.")


def targets(all_results, compile_res, calls):
    rows = []
    vs_numba, vs_c, missing = [], [], []
    for kernel, (_args, res) in all_results.items():
        pv, nb, c = best_of(res, "pyvorin"), best_of(res, "numba"), best_of(res, "c")
        if pv is None:
            missing.append(kernel)
            continue
        if nb is not None:
            vs_numba.append((kernel, pv / nb))
        if c is not None:
            vs_c.append((kernel, pv / c))

    def verdict(pairs, limit):
        if not pairs and not missing:
            return "not measured"
        slow = [k + (f" (by ≤{NOISE:.0%}, within noise)" if r <= limit * (1 + NOISE) else "")
                for k, r in pairs if r > limit]
        if not slow and not missing:
            return "met"
        parts = []
        if slow:
            parts.append("slower on " + ", ".join(slow))
        if missing:
            parts.append("no native Pyvorin time for " + ", ".join(missing))
        return f"NOT met on {len(slow) + len(missing)}/{len(pairs) + len(missing)}: " + "; ".join(parts)

    def listing(pairs):
        return ", ".join(f"{k} {r:.2f}×" for k, r in pairs) or "–"

    rows.append(["runtime ≤ Numba on every kernel (Pyvorin/Numba ≤ 1)", listing(vs_numba),
                 verdict(vs_numba, 1.0)])
    rows.append([f"runtime within {TARGET_C_RATIO}× of C -O2 on every kernel", listing(vs_c),
                 verdict(vs_c, TARGET_C_RATIO)])
    pvc = compile_res.get("pyvorin")
    if pvc:
        # Judged on the same clock as the kernels: wall by default, thread CPU with --clock cpu.
        med = statistics.median(pvc["fresh_cpu_ms" if harness.CLOCK == "cpu" else "fresh_ms"])
        rows.append([f"cold compile of a small function ≤ {TARGET_COMPILE_MS:.0f} ms at O2",
                     f"median {statistics.median(pvc['fresh_ms']):.1f} ms wall, "
                     f"{statistics.median(pvc['fresh_cpu_ms']):.1f} ms thread CPU "
                     f"(judged: {'CPU' if harness.CLOCK == 'cpu' else 'wall'}); first in process "
                     f"{pvc['first_in_process_ms']:.1f} ms wall",
                     "met" if med <= TARGET_COMPILE_MS else "NOT met"])
    else:
        rows.append([f"cold compile ≤ {TARGET_COMPILE_MS:.0f} ms at O2",
                     compile_res.get("error", "pyvorin not built"),
                     "not measured"])
    if "best_ns" in calls.get("pyvorin", {}) and "error" not in calls["pyvorin"] and "cpython" in calls:
        r = calls["pyvorin"]["best_ns"] / calls["cpython"]["best_ns"]
        rows.append([f"call overhead of add(1, 2) ≤ {TARGET_CALL_RATIO}× a Python def",
                     f"{calls['pyvorin']['best_ns']:.0f} ns vs {calls['cpython']['best_ns']:.0f} ns "
                     f"= {r:.2f}×", "met" if r <= TARGET_CALL_RATIO else "NOT met"])
    else:
        rows.append(["call overhead ≤ 1.5× a Python def",
                     calls.get("pyvorin", {}).get("error", "pyvorin not built"), "not measured"])
    return rows


if __name__ == "__main__":
    sys.exit(main())
