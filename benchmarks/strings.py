#!/usr/bin/python3
"""String and file benchmarks (issue 8 §4): CPython, Numba (@numba.njit) and Pyvorin (@pyvorin.jit)
on kernels over str values and text files (benchmarks/string_kernels.py), in one run.

    /usr/bin/python3 benchmarks/strings.py              # full table (~20 s on 2 cores)
    /usr/bin/python3 benchmarks/strings.py --quick      # small sizes (~3 s)
    /usr/bin/python3 benchmarks/strings.py --markdown   # Markdown, as in docs/performance.md
    /usr/bin/python3 benchmarks/strings.py --json       # raw numbers and verdicts as JSON on stdout
    /usr/bin/python3 benchmarks/strings.py --json PATH  # tables on stdout, JSON into PATH
    /usr/bin/python3 benchmarks/strings.py --clock cpu  # thread CPU time: steadier when busy
    /usr/bin/python3 benchmarks/strings.py --tiny       # the smoke test's sizes (checks only)

The kernels: word frequencies of 1 MB of pseudo-English text (str.split and a dict), a report of
100,000 rows built with f-strings and "\\n".join, the longest common subsequence of two strings of
2,000 characters (lists of ints, indexing str), the per-key totals of a 100,000-line CSV-like file
(open, split on ',', int() and float(), a dict) and a line counter over a 10 MB file. The two files
are written once, with fixed content, into a temporary directory that is deleted at the end.

Each implementation gets the same source and the same arguments (str values, a list of tuples, a
path). Numba's typed.Dict results are converted to dict inside the timed call. Where Numba cannot
compile a kernel the table says "–" with Numba's error. Pyvorin is reported as native or not (its
dispatcher's stats['native_calls']), with the fallback reason when it runs the function in
CPython. Every result is compared with CPython's (value and types, deeply).

Finds the package in build/python (or $PYVORIN_BUILD_DIR/python) itself. Progress goes to stderr,
the tables to stdout. Times are the best of N calls with the garbage collector off (harness.py).
"""
import argparse
import faulthandler
import json
import os
import re
import shutil
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import containers  # noqa: E402
import harness  # noqa: E402
from containers import IMPLS, NOISE, geomean, pyvorin_columns, run_kernel  # noqa: E402
from run import fmt_ratio, fmt_time, log, machine_info, render  # noqa: E402

KERNELS_PATH = os.path.join(harness.HERE, "string_kernels.py")
TARGET_GEOMEAN = 5.0


# ------------------------------------------------------------------------------ implementations

def load(decorate=None, tag="plain"):
    return harness.load_kernels(decorate, tag, path=KERNELS_PATH)


def to_python(r):
    """Numba's typed containers back to dict/list (inside the timed call)."""
    from numba import typed
    if isinstance(r, typed.Dict):
        return {k: to_python(v) for k, v in r.items()}
    if isinstance(r, typed.List):
        return [to_python(v) for v in r]
    return r


def numba_impl(numba):
    """kernel -> [("as is", callable)]: the same arguments as CPython's (Numba unboxes a str
    without copying it; a list of tuples is a reflected list)."""
    from numba.core import errors

    warnings.filterwarnings("ignore", category=errors.NumbaPendingDeprecationWarning)
    warnings.filterwarnings("ignore", category=errors.NumbaDeprecationWarning)
    mod = load(numba.njit, "str_numba")

    def wrap(fn):
        return lambda *a: to_python(fn(*a))

    return {k: [("as is", wrap(getattr(mod, k)))] for k in mod.KERNELS}


def pyvorin_impl(pyvorin):
    mod = load(pyvorin.jit, "str_pyvorin")
    return {k: [("as is", getattr(mod, k))] for k in mod.KERNELS}


def numba_reason(exc):
    """One line for a Numba compile failure: its root cause, without object addresses."""
    text = re.sub(r" at 0x[0-9a-f]+", "", str(exc))
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    name = type(exc).__name__
    for i, ln in enumerate(lines):
        if ln.startswith("No implementation of function"):
            sig = next((x for x in lines[i + 1:] if x.startswith(">>>")), "")
            hint = " (the empty {} gets no key/value types)" if "DictType[undefined" in sig else ""
            return containers._short(f"{name}: no implementation of {sig.lstrip('> ')}",
                                     160) + hint
    skip = ("Failed in ", "- Resolution failure", "During:", "File ")
    for ln in lines:
        if not ln.startswith(skip):
            return containers._short(f"{name}: {ln}", 160)
    return name

# ---------------------------------------------------------------------------------------- report

def describe(kernel, params, args):
    """The table's first column: what the input is."""
    if kernel == "word_freq":
        return f"word_freq({len(args[0]):,} chars of text)"
    if kernel == "build_report":
        return f"build_report({len(args[0]):,} rows)"
    if kernel == "lcs":
        return f"lcs({len(args[0]):,} × {len(args[1]):,} chars)"
    size = os.path.getsize(args[0])
    with open(args[0], "rb") as fh:
        nlines = sum(1 for _ in fh)
    mb = f"{size / 1e6:.1f} MB" if size >= 1e5 else f"{size:,} bytes"
    return f"{kernel}({nlines:,} lines, {mb})"


def build_report(all_results, info, profile, rounds, md):
    notes, foot = [], {}

    def footnote(text):
        if text not in foot:
            foot[text] = len(foot) + 1
        return f"[{foot[text]}]"

    rows = []
    tally = {k: [] for k in ("speedups", "slower_cp", "slower_nb", "not_native", "wrong")}
    speedups, slower_cp, slower_nb, not_native, wrong = (tally[k] for k in ("speedups", "slower_cp", "slower_nb",
                                                                   "not_native", "wrong"))
    have_pv = any("native" in res.get("pyvorin", {}) for _, res in all_results.values())
    for kernel, (label, res) in all_results.items():
        cp, nb, pv = (res.get(n, {}) for n in IMPLS)
        cells = [label, fmt_time(cp.get("best"))]
        if "best" in nb:
            cells.append(fmt_time(nb["best"]))
        elif nb.get("unsupported"):
            cells.append("– " + footnote(f"Numba cannot compile {kernel}: {nb['error']}"))
        elif "error" in nb:
            cells.append("error " + footnote(f"Numba raised on {kernel}: {nb['error']}"))
        else:
            cells.append("– " + footnote(f"Numba {nb.get('missing', '?')}"))
        cells += pyvorin_columns(kernel, res, footnote, tally)
        rows.append(cells)

    notes.append("Times are per call, best of N. CPy/Pv > 1: Pyvorin is faster than CPython; "
                 "Pv/Numba < 1: Pyvorin is faster than Numba. Every implementation gets the same "
                 "arguments (str values, a list of tuples, a path); Numba's typed.Dict results "
                 "are turned into dicts inside the timed call. The file kernels open and read "
                 "their file on every call (from the page cache after the first). A Pyvorin time "
                 "with native ≠ yes is CPython running the function behind the dispatcher.")
    for text, i in foot.items():
        notes.append(f"[{i}] {text}")

    n_native = sum(1 for _, res in all_results.values() if res.get("pyvorin", {}).get("native"))
    n_numba = sum(1 for _, res in all_results.values() if "best" in res.get("numba", {}))
    gm = geomean(speedups)

    def met(ok):
        return ("met" if ok else "NOT met") if have_pv else "not measured"

    summary = [
        ["geomean speedup over CPython (CPy/Pv)",
         (fmt_ratio(gm) + f" over {len(speedups)} kernels; Pyvorin native on {n_native}/"
          f"{len(all_results)}") if gm else "–",
         f"≥ {TARGET_GEOMEAN:.0f}×", met(gm and gm >= TARGET_GEOMEAN)],
        ["kernels slower than CPython", ", ".join(slower_cp) or "none", "none",
         met(not slower_cp)],
        [f"kernels where Pyvorin is slower than Numba (Numba compiles {n_numba}/"
         f"{len(all_results)})", ", ".join(slower_nb) or "none", "none", met(not slower_nb)],
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
                    f"call takes over {containers.SLOW_CALL_S} s), garbage collector off, "
                    f"{harness.CLOCK} clock"],
    ], md)
    render("String and file kernels: time per call and ratios",
           ["kernel(input)", "CPython", "Numba", "Pyvorin", "CPy/Pv", "Pv/Numba",
            "Pyvorin native", "results vs CPython"], rows, md, notes=notes)
    render("String and file targets", ["target", "measured", "goal", "met?"], summary, md)
    return summary


def _noise(slowdown):
    return f", within {NOISE:.0%} noise" if slowdown <= 1 + NOISE else ""


# ------------------------------------------------------------------------------------------ main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    size = ap.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_true", help="small sizes, fewer repeats (smoke run)")
    size.add_argument("--tiny", action="store_true",
                      help="the smoke test's sizes: checks results, the times mean nothing")
    ap.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    ap.add_argument("--json", nargs="?", const="-", metavar="PATH",
                    help="write every raw number as JSON to PATH, or alone: to stdout instead of "
                         "the tables")
    ap.add_argument("--kernels", help="comma-separated subset of kernels")
    ap.add_argument("--rounds", type=int, help="interleaved timing rounds")
    ap.add_argument("--clock", choices=["wall", "cpu"], default="wall",
                    help="wall time (default) or this thread's CPU time (steadier when the "
                         "machine is busy)")
    opts = ap.parse_args(argv)
    faulthandler.enable()
    profile = "tiny" if opts.tiny else "quick" if opts.quick else "full"
    quick = profile != "full"
    rounds = opts.rounds or (1 if quick else 4)
    harness.CLOCK = opts.clock

    harness.add_build_path()
    pyvorin, pv_why = harness.import_optional("pyvorin")
    numba, nb_why = harness.import_optional("numba")
    info = machine_info(pyvorin, numba)
    log(f"pyvorin: {info['pyvorin']}" + (f" — {pv_why}" if pyvorin is None else ""))

    reference = load(tag="str_cpython")
    impls = {"cpython": ({k: [("as is", getattr(reference, k))] for k in reference.KERNELS}, None)}
    impls["numba"] = (numba_impl(numba), None) if numba else (None, f"not importable: {nb_why}")
    impls["pyvorin"] = (pyvorin_impl(pyvorin), None) if pyvorin else \
        (None, f"not built: {pv_why}")

    names = opts.kernels.split(",") if opts.kernels else reference.KERNELS
    all_results = {}
    tmpdir = tempfile.mkdtemp(prefix="pvbench_strings_")
    try:
        for kernel in names:
            params = reference.SIZES[profile][kernel]
            args = reference.make_args(kernel, params, tmpdir)
            label = describe(kernel, params, args)
            log(f"{label} …")
            res = run_kernel(kernel, args, impls, rounds, quick, numba_reason)
            all_results[kernel] = (label, res)
            del args
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    info["loadavg_end"] = os.getloadavg()

    to_stdout = opts.json == "-"
    if to_stdout:
        real_stdout, sys.stdout = sys.stdout, sys.stderr
    try:
        summary = build_report(all_results, info, profile, rounds, opts.markdown)
    finally:
        if to_stdout:
            sys.stdout = real_stdout
    if opts.json:
        doc = {"machine": info, "profile": profile, "rounds": rounds,
               "kernels": {k: {"params": reference.SIZES[profile][k], "input": label,
                               "results": r} for k, (label, r) in all_results.items()},
               "summary": summary}
        if to_stdout:
            json.dump(doc, sys.stdout, indent=1, default=repr)
            print()
        else:
            with open(opts.json, "w") as fh:
                json.dump(doc, fh, indent=1, default=repr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
