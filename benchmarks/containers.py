#!/usr/bin/python3
"""Container benchmarks (issue §6): CPython, Numba (@numba.njit) and Pyvorin (@pyvorin.jit) on
kernels over lists, tuples, sets and dicts (benchmarks/container_kernels.py), in one run.

    /usr/bin/python3 benchmarks/containers.py              # full table (~1-2 minutes on 2 cores)
    /usr/bin/python3 benchmarks/containers.py --quick      # small sizes (~15 s)
    /usr/bin/python3 benchmarks/containers.py --markdown   # Markdown, as in docs/performance.md
    /usr/bin/python3 benchmarks/containers.py --json       # raw numbers and verdicts as JSON on stdout
    /usr/bin/python3 benchmarks/containers.py --json PATH  # tables on stdout, JSON into PATH

Every kernel takes ordinary Python objects (lists, dicts, tuples) and each implementation is timed
as a caller with those objects sees it. Numba gets reflected lists where it accepts them; where it
does not (a list of lists, a dict), the conversion to numba.typed.List/Dict happens inside the
timed call, and typed results are converted back to list/dict inside it too. Pyvorin is reported
as native or not (its dispatcher's stats['native_calls']), with the fallback reason when it runs
the function in CPython. Every result is compared with CPython's (value and types, deeply).

Finds the package in build/python (or $PYVORIN_BUILD_DIR/python) itself. Progress goes to stderr,
the tables to stdout. Times are the best of N calls with the garbage collector off (harness.py).
"""
import argparse
import faulthandler
import itertools
import json
import math
import os
import statistics
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from run import fmt_ratio, fmt_time, log, machine_info, render  # noqa: E402

KERNELS_PATH = os.path.join(harness.HERE, "container_kernels.py")
TARGET_GEOMEAN = 10.0
# Differences below this are within run-to-run noise on the shared 2-core machine (as in run.py).
NOISE = 0.03
# A call slower than this is timed fewer times (Numba's typed-container conversions).
SLOW_CALL_S = 0.25

IMPLS = ["cpython", "numba", "pyvorin"]
IMPL_LABEL = {"cpython": "CPython", "numba": "Numba", "pyvorin": "Pyvorin"}


# ------------------------------------------------------------------------------ implementations

def load(decorate=None, tag="plain"):
    return harness.load_kernels(decorate, tag, path=KERNELS_PATH)


def numba_impl(numba):
    """kernel -> [(how the arguments are passed, callable taking the Python arguments)]. Where
    Numba has more than one way to take a Python list, each is timed and the table shows the
    fastest. The callables convert arguments to typed containers, and typed results back to
    list/dict, inside the call."""
    from numba import typed, types
    from numba.core import errors

    warnings.filterwarnings("ignore", category=errors.NumbaPendingDeprecationWarning)
    warnings.filterwarnings("ignore", category=errors.NumbaDeprecationWarning)
    mod = load(numba.njit, "ctr_numba")
    int_list = types.ListType(types.int64)

    @numba.njit
    def graph_from_flat(keys, offsets, flat):
        d = typed.Dict.empty(types.int64, int_list)
        for i in range(len(keys)):
            row = typed.List.empty_list(types.int64)
            for j in range(offsets[i], offsets[i + 1]):
                row.append(flat[j])
            d[keys[i]] = row
        return d

    def typed_graph(graph):
        """dict[int, list[int]] -> typed.Dict[int64, ListType(int64)], built in one nopython call
        from flat reflected lists (about 4× faster than typed.List(v) per value)."""
        values = list(graph.values())
        offsets = [0]
        offsets.extend(itertools.accumulate(len(v) for v in values))
        return graph_from_flat(list(graph), offsets, list(itertools.chain.from_iterable(values)))

    def typed_rows(rows):
        out = typed.List()
        for row in rows:
            out.append(typed.List(row))
        return out

    def to_python(r):
        if isinstance(r, typed.Dict):
            return {k: to_python(v) for k, v in r.items()}
        if isinstance(r, typed.List):
            return [to_python(v) for v in r]
        return r

    def wrap(fn, convert=None):
        if convert is None:
            return lambda *a: to_python(fn(*a))
        return lambda *a: to_python(fn(*convert(*a)))

    out = {}
    for k in mod.KERNELS:
        fn = getattr(mod, k)
        if k in LIST_ARG:
            out[k] = [("reflected list", wrap(fn)),
                      ("typed.List", wrap(fn, lambda xs, *rest: (typed.List(xs),) + rest))]
            if k in TYPED_FIRST:
                out[k].reverse()
        else:
            out[k] = [("ints" if k in INT_ARGS else "as is", wrap(fn))]
    out["matmul"] = [("reflected list of lists", wrap(mod.matmul)),
                     ("typed.List of typed.List",
                      wrap(mod.matmul, lambda a, b: (typed_rows(a), typed_rows(b))))]
    out["bfs"] = [("dict as is", wrap(mod.bfs)),
                  ("typed.Dict of typed.List", wrap(mod.bfs, lambda g, s: (typed_graph(g), s)))]
    return out


# Kernels whose first argument is a flat list (Numba: reflected list or typed.List), or ints only.
LIST_ARG = {"sum_floats", "histogram", "sort_pairs"}
INT_ARGS = {"sieve", "build_list", "tuple_set"}
# Where typed.List is the faster way (measured): tried first, and the only way tried with --quick.
TYPED_FIRST = {"sort_pairs"}


def pyvorin_impl(pyvorin):
    mod = load(pyvorin.jit, "ctr_pyvorin")
    return {k: [("as is", getattr(mod, k))] for k in mod.KERNELS}


def numba_reason(exc):
    """One line for a Numba compile failure: its root cause, not the pipeline's preamble."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    hints = {"DictType[undefined": " (the empty {} gets no key/value types)",
             "non-precise type pyobject": " (a Python dict is not accepted as an argument)"}
    for key in ("non-precise type", "cannot reflect", "Unknown attribute", "Untyped global",
                "Cannot unify", "Invalid use of", "No implementation of function"):
        for ln in lines:
            if key in ln:
                hint = "".join(h for k, h in hints.items() if k in ln)
                return _short(f"{type(exc).__name__}: {ln}", 160) + hint
    skip = ("Failed in ", "- Resolution failure", "During:", "File ")
    for ln in lines:
        if not ln.startswith(skip):
            return _short(f"{type(exc).__name__}: {ln}", 160)
    return type(exc).__name__


def _numba_compile_error(exc):
    errors = sys.modules.get("numba.core.errors")
    return (errors is not None and isinstance(exc, errors.NumbaError)) or \
        "nopython" in str(exc).split("\n", 1)[0]


# ------------------------------------------------------------------------------------ comparing

def same(a, b):
    """Equal value and the same Python types all the way down (bool is not int, tuple not list)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(v, b[k]) for k, v in a.items())
    if isinstance(a, (set, frozenset)):
        return a == b
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def verdict(expected, got):
    if same(expected, got):
        return "exact"
    try:
        if expected == got:
            return "equal value, different types"
    except Exception:
        pass
    return "WRONG"


def summary_of(value):
    """A short description of a result for tables and JSON (results can be a million items)."""
    if isinstance(value, (list, tuple, dict, set)):
        return f"{type(value).__name__} of {len(value):,}"
    if isinstance(value, str) and len(value) > 60:  # strings.py: a report of 3 million characters
        return f"str of {len(value):,} characters"
    return repr(value)


# --------------------------------------------------------------------------------------- timing

def time_impl(fn, args, quick, slow):
    """(best, median, result) of a few calls; fewer when one call is slow."""
    if slow:
        return harness.time_calls(fn, args, min_reps=1, max_reps=2, budget_s=0.0)
    return harness.time_calls(fn, args, min_reps=3, max_reps=30, budget_s=0.1 if quick else 0.25)


def pv_stats(disp):
    s = getattr(disp, "stats", None) or {}
    return s.get("native_calls", 0), s.get("python_calls", 0)


def run_kernel(kernel, args, impls, rounds, quick, reason=None):
    """Times one kernel on every implementation (every way of passing the arguments Numba has;
    with --quick, the ways up to the first that works). Returns {impl: entry}; an entry holds the
    fastest way, with all ways tried in entry["tried"]. `reason` shortens a Numba compile error
    (default: numba_reason)."""
    out = {}
    cp_fn = impls["cpython"][0][kernel][0][1]
    t0 = time.perf_counter()
    expected = cp_fn(*args)
    cp = {"how": "as is", "first_call_s": time.perf_counter() - t0, "result": expected,
          "verdict": "exact", "best": None, "medians": [], "before": None}
    out["cpython"] = {"tried": [cp]}
    units = [("cpython", cp_fn, cp)]
    for name in IMPLS[1:]:
        cands, why = impls[name]
        if cands is None:
            out[name] = {"missing": why}
            continue
        tried = []
        for how, fn in cands[kernel]:
            if quick and any("first_call_s" in e for e in tried):
                break
            e = {"how": how}
            tried.append(e)
            before = pv_stats(fn) if name == "pyvorin" else None
            t0 = time.perf_counter()
            try:
                result = fn(*args)  # first call: compile + run
            except Exception as exc:
                compile_error = name == "numba" and _numba_compile_error(exc)
                e["error"] = (reason or numba_reason)(exc) if compile_error else _short(
                    f"{type(exc).__name__}: {exc}".splitlines()[0], 160)
                e["unsupported"] = compile_error
                continue
            e.update(first_call_s=time.perf_counter() - t0, result=result,
                     verdict=verdict(expected, result), best=None, medians=[], before=before)
            units.append((name, fn, e))
        out[name] = {"tried": tried}
    # Interleaved rounds, best over all, so a burst of load on the shared machine hits all alike.
    for _ in range(rounds):
        for name, fn, e in units:
            if e.get("dropped"):
                continue
            slow = (e["best"] if e["best"] is not None else e["first_call_s"] / 4) > SLOW_CALL_S
            try:
                best, med, result = time_impl(fn, args, quick, slow)
            except Exception as exc:  # raised on a later call: a result CPython does not give
                e["error"] = _short(f"{type(exc).__name__}: {exc}".splitlines()[0], 160)
                e["verdict"] = "error: " + e["error"]
                e["dropped"] = True
                continue
            e["best"] = best if e["best"] is None else min(e["best"], best)
            e["medians"].append(med)
            if e["verdict"] == "exact":
                e["verdict"] = verdict(expected, result)
        # A way of passing arguments 3× slower than the best one is not timed again.
        for name in IMPLS[1:]:
            live = [e for n, _, e in units if n == name and not e.get("dropped")]
            if len(live) > 1:
                fastest = min(e["best"] for e in live if e["best"] is not None)
                for e in live:
                    if e["best"] is not None and e["best"] > 3 * fastest:
                        e["dropped"] = True
    for name in IMPLS:
        if "tried" not in out[name]:
            continue
        tried = out[name]["tried"]
        for e in tried:
            if "medians" in e:
                e["median"] = statistics.median(e.pop("medians"))
        ok = [e for e in tried if e.get("best") is not None]
        # Any way that gives another answer, or raises where CPython does not (anything but a
        # Numba compile error), marks the implementation.
        bad = [e for e in tried if e.get("verdict", "exact") != "exact" or
               ("error" in e and not e.get("unsupported"))]
        if ok:
            entry = dict(min(ok, key=lambda e: e["best"]))
        else:
            errs = [e for e in tried if "error" in e]
            entry = {"error": errs[-1]["error"], "unsupported": all(e["unsupported"] for e in errs)}
        if bad:
            entry["verdict"] = "; ".join(
                (e["verdict"] if e.get("verdict", "exact") != "exact" else "error: " + e["error"]) +
                f" ({e['how']})" for e in bad)
        entry["tried"] = [{k: v for k, v in e.items() if k not in ("result", "before")}
                          for e in tried]
        out[name] = entry
        if name == "pyvorin" and "before" in entry:
            disp = impls["pyvorin"][0][kernel][0][1]
            n0, p0 = entry.pop("before")
            n1, p1 = pv_stats(disp)
            entry["native_calls"] = n1 - n0
            entry["python_calls"] = p1 - p0
            entry["native"] = (n1 > n0) and p1 == p0
            entry["fallback_reason"] = getattr(disp, "fallback_reason", None)
            entry["fallback"] = getattr(disp, "fallback", None)
            entry["arg_types"] = [type(a).__name__ for a in args]
        entry.pop("before", None)
    for entry in out.values():
        if "result" in entry:
            entry["result"] = summary_of(entry["result"])
    return out


def probe_sort_ties(impls, reference):
    """sorted() must be stable: sort_pairs on an input with many equal keys."""
    arg = list(reference.SORT_TIES_PROBE)
    expected = reference.sort_pairs(arg)
    res = {}
    for name in IMPLS[1:]:
        fns, _why = impls[name]
        if fns is None:
            continue
        res[name] = {}
        for how, fn in fns["sort_pairs"]:
            try:
                res[name][how] = verdict(expected, fn(list(arg)))
            except Exception as exc:
                res[name][how] = "error: " + _short(f"{type(exc).__name__}: {exc}".splitlines()[0])
    return res


# ---------------------------------------------------------------------------------------- report

def _short(text, limit=70):
    return text if len(text) <= limit else text[:limit - 1] + "…"


def fmt_call(kernel, params):
    return f"{kernel}({', '.join(format(a, '_') if a >= 10000 else str(a) for a in params)})"


def _noise(slowdown):
    return f", within {NOISE:.0%} noise" if slowdown <= 1 + NOISE else ""


def geomean(xs):
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else None


def pyvorin_columns(kernel, res, footnote, tally):
    """One kernel's cells after the Numba column: Pyvorin's time, CPy/Pv, Pv/Numba, native, and
    the results against CPython. tally's lists (speedups, slower_cp, slower_nb, not_native, wrong)
    collect what the targets table reports. Shared by containers.py and strings.py."""
    cp, nb, pv = (res.get(n, {}) for n in IMPLS)
    cells = []
    if "best" in pv:
        cells.append(fmt_time(pv["best"]))
    elif "error" in pv:
        cells.append("error " + footnote(f"Pyvorin raised on {kernel}: {pv['error']}"))
    else:
        cells.append("– " + footnote(f"Pyvorin {pv.get('missing', '?')}"))
    cp_pv = cp["best"] / pv["best"] if pv.get("best") else None
    pv_nb = pv["best"] / nb["best"] if pv.get("best") and nb.get("best") else None
    cells += [fmt_ratio(cp_pv), fmt_ratio(pv_nb)]
    if "native" in pv:
        if pv["native"]:
            cells.append("yes")
        else:
            fb = pv.get("fallback") or {}
            reason = (f"{fb.get('code', '')} {fb.get('reason', '')}".strip() +
                      (f" (line {fb['line']})" if fb.get("line") else "")) if fb else \
                (pv.get("fallback_reason") or
                 "fallback and fallback_reason are None: the dispatcher called CPython for "
                 f"argument types ({', '.join(pv.get('arg_types', []))}) without compiling"
                 ).replace("\n", "; ")
            what = "no" if not pv.get("native_calls") else "partly"
            cells.append(f"{what} " + footnote(f"Pyvorin {kernel}: {what} "
                                               f"(native_calls +{pv.get('native_calls')}, "
                                               f"python_calls +{pv.get('python_calls')}): {reason}"))
            tally["not_native"].append(kernel)
    else:
        cells.append("–")
    bad = [f"{IMPL_LABEL[n]} {res[n]['verdict']}" for n in IMPLS[1:]
           if res.get(n, {}).get("verdict", "exact") != "exact"]
    if bad:
        tally["wrong"].append(kernel)
    cells.append("**MISMATCH: " + "; ".join(bad) + "**" if bad else "all equal")
    if cp_pv:
        tally["speedups"].append(cp_pv)
        if cp_pv < 1.0:
            tally["slower_cp"].append(f"{kernel} ({fmt_ratio(cp_pv)}{_noise(1 / cp_pv)})")
    if pv_nb and pv_nb > 1.0:
        tally["slower_nb"].append(f"{kernel} ({fmt_ratio(pv_nb)}{_noise(pv_nb)})")
    return cells


def build_report(all_results, probe, info, profile, rounds, md):
    notes, foot = [], {}

    def footnote(text):
        if text not in foot:
            foot[text] = len(foot) + 1
        return f"[{foot[text]}]"

    rows = []
    tally = {k: [] for k in ("speedups", "slower_cp", "slower_nb", "not_native", "wrong")}
    speedups, slower_cp, slower_nb, not_native, wrong = (tally[k] for k in ("speedups", "slower_cp", "slower_nb",
                                                                   "not_native", "wrong"))
    wrong_probe = []
    have_pv = any("native" in res.get("pyvorin", {}) for _, res in all_results.values())
    for kernel, (params, res) in all_results.items():
        cp, nb, pv = (res.get(n, {}) for n in IMPLS)
        cells = [fmt_call(kernel, params), fmt_time(cp.get("best"))]
        if "best" in nb:
            cells.append(fmt_time(nb["best"]))
        elif nb.get("unsupported"):
            cells.append("– " + footnote(f"Numba cannot compile {kernel}: {nb['error']}"))
        elif "error" in nb:
            cells.append("error " + footnote(f"Numba raised on {kernel}: {nb['error']}"))
        else:
            cells.append("– " + footnote(f"Numba {nb.get('missing', '?')}"))
        others = [f"{e['how']}: " + (f"{fmt_time(e['best'])} (slower)" if e.get("best") else
                                      e.get("error", "?"))
                  for e in nb.get("tried", []) if e["how"] != nb.get("how")]
        how = nb.get("how", "–")
        if others and "best" in nb:
            how += " " + footnote(f"Numba {kernel}, other ways to pass the arguments: " +
                                  "; ".join(others))
        cells.append(how)
        cells += pyvorin_columns(kernel, res, footnote, tally)
        rows.append(cells)

    notes.append("Times are per call, best of N. CPy/Pv > 1: Pyvorin is faster than CPython; "
                 "Pv/Numba < 1: Pyvorin is faster than Numba. Numba is called with the same "
                 "Python objects; \"Numba takes\" is the fastest way it accepts them: a reflected "
                 "list (Numba converts it on every call and reflects it back; the deprecation "
                 "warnings are silenced), or typed.List/typed.Dict built from the Python object "
                 "inside the timed call, with typed results turned back into list/dict there too. "
                 "A Pyvorin time with native ≠ yes is CPython running the function behind the "
                 "dispatcher.")
    for text, i in foot.items():
        notes.append(f"[{i}] {text}")
    for name, label in (("numba", "Numba"), ("pyvorin", "Pyvorin")):
        off = {how: v for how, v in probe.get(name, {}).items() if v != "exact"}
        if not off:
            continue
        what = "; ".join(f"{how}: {v}" for how, v in off.items())
        if name == "numba":
            notes.append(f"Numba's sorted(key=...) is not stable: it sorts with quicksort, so on "
                         f"an input with equal keys (container_kernels.SORT_TIES_PROBE) its order "
                         f"differs from CPython's ({what}). The timed input has distinct keys, so "
                         f"its result there agrees.")
        else:
            notes.append(f"**MISMATCH: Pyvorin's sort_pairs on equal keys (SORT_TIES_PROBE): "
                         f"{what}; sorted() must be stable.**")
            wrong_probe.append("sort_pairs (equal keys)")

    n_native = sum(1 for _, res in all_results.values() if res.get("pyvorin", {}).get("native"))
    gm = geomean(speedups)
    wrong += wrong_probe

    def met(ok):
        return ("met" if ok else "NOT met") if have_pv else "not measured"

    summary = [
        ["geomean speedup over CPython (CPy/Pv)",
         (fmt_ratio(gm) + f" over {len(speedups)} kernels; Pyvorin native on {n_native}/"
          f"{len(all_results)}") if gm else "–",
         f"≥ {TARGET_GEOMEAN:.0f}×", met(gm and gm >= TARGET_GEOMEAN)],
        ["kernels slower than CPython", ", ".join(slower_cp) or "none", "none",
         met(not slower_cp)],
        ["kernels where Pyvorin is slower than Numba", ", ".join(slower_nb) or "none", "none",
         met(not slower_nb)],
        ["kernels where Pyvorin runs in CPython", ", ".join(not_native) or "none", "none",
         met(not not_native)],
        ["results differing from CPython", ", ".join(wrong) or "none", "none",
         "met" if not wrong else "**NOT met**"],
    ]

    render("Machine", ["item", "value"], [
        ["CPU", f"{info['cpu']}; nproc = {info['nproc']}, shared with other users"],
        ["load average (start → end)", f"{info['loadavg'][0]:.2f} → {info['loadavg_end'][0]:.2f}"],
        ["Python", info["python"]], ["Numba", info["numba"]], ["Pyvorin", info["pyvorin"]],
        ["profile", f"{profile}; best of {rounds} interleaved rounds of ≤30 calls (1–2 when a "
                    f"call takes over {SLOW_CALL_S} s), garbage collector off"],
    ], md)
    render("Container kernels: time per call and ratios",
           ["kernel(input)", "CPython", "Numba", "Numba takes", "Pyvorin", "CPy/Pv", "Pv/Numba",
            "Pyvorin native",
            "results vs CPython"], rows, md, notes=notes)
    render("Container targets", ["target", "measured", "goal", "met?"], summary, md)
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, fewer repeats (smoke run)")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--json", nargs="?", const="-", metavar="PATH",
                    help="write every raw number as JSON to PATH, or alone: to stdout instead of "
                         "the tables")
    ap.add_argument("--kernels", help="comma-separated subset of kernels")
    ap.add_argument("--rounds", type=int, help="interleaved timing rounds for Numba and Pyvorin")
    opts = ap.parse_args(argv)
    faulthandler.enable()
    profile = "quick" if opts.quick else "full"
    rounds = opts.rounds or (1 if opts.quick else 4)

    harness.add_build_path()
    pyvorin, pv_why = harness.import_optional("pyvorin")
    numba, nb_why = harness.import_optional("numba")
    info = machine_info(pyvorin, numba)
    log(f"pyvorin: {info['pyvorin']}" + (f" — {pv_why}" if pyvorin is None else ""))

    reference = load(tag="ctr_cpython")
    impls = {"cpython": ({k: [("as is", getattr(reference, k))] for k in reference.KERNELS}, None)}
    impls["numba"] = (numba_impl(numba), None) if numba else (None, f"not importable: {nb_why}")
    impls["pyvorin"] = (pyvorin_impl(pyvorin), None) if pyvorin else \
        (None, f"not built: {pv_why}")

    names = opts.kernels.split(",") if opts.kernels else reference.KERNELS
    all_results = {}
    for kernel in names:
        params = reference.SIZES[profile][kernel]
        log(f"{fmt_call(kernel, params)} …")
        args = reference.make_args(kernel, params)
        all_results[kernel] = (params, run_kernel(kernel, args, impls, rounds, opts.quick))
        del args
    probe = probe_sort_ties(impls, reference) if "sort_pairs" in names else {}
    info["loadavg_end"] = os.getloadavg()

    to_stdout = opts.json == "-"
    if to_stdout:
        real_stdout, sys.stdout = sys.stdout, sys.stderr
    try:
        summary = build_report(all_results, probe, info, profile, rounds, opts.markdown)
    finally:
        if to_stdout:
            sys.stdout = real_stdout
    if opts.json:
        doc = {"machine": info, "profile": profile, "rounds": rounds,
               "kernels": {k: {"params": p, "results": r} for k, (p, r) in all_results.items()},
               "probes": {"sort_ties": probe}, "summary": summary}
        if to_stdout:
            json.dump(doc, sys.stdout, indent=1, default=repr)
            print()
        else:
            with open(opts.json, "w") as fh:
                json.dump(doc, fh, indent=1, default=repr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
