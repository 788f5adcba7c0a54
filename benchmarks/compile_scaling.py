#!/usr/bin/python3
"""Compile time against function size: generated functions of several shapes, each at several
sizes, compiled with @pyvorin.jit at O2 (and O3), with the stage times from the report.

    /usr/bin/python3 benchmarks/compile_scaling.py                  # all shapes, 250..4000, O2
    /usr/bin/python3 benchmarks/compile_scaling.py --levels 2 3     # O2 and O3
    /usr/bin/python3 benchmarks/compile_scaling.py --sizes 250 500 --shapes chain ifs
    /usr/bin/python3 benchmarks/compile_scaling.py --markdown       # the table in docs/performance.md

Finds the package in build/python (or $PYVORIN_BUILD_DIR/python) itself. Each compile is of a
fresh function (unique source text, cache=False), run in this process one after the other; the
time is the thread CPU time of the first call (the compile runs on the calling thread; the call
itself takes microseconds), which other users of a shared machine disturb far less than the wall
time ("compile" in the text table: the report's total, parse .. load, in wall time). "IR" is the
function as lowered (before optimisation): its basic blocks and instructions, which should grow
linearly with the size; "per 1k" is the compile time divided by size/1000, which stays flat when
compile time is linear.
"""
import argparse
import json
import linecache
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402

SIZES = [250, 500, 1000, 2000, 4000]


# ----------------------------------------------------------------------------------- generators
# Each returns (source lines of the body, arguments for the first call). `size` counts terms
# (sum), statements (chain, locals), if statements (ifs) or loop nests (loops).

def gen_sum(n):
    """One expression of n terms: return a + a*1 + a*2 + ... (one overflow check per + and *).
    Parenthesised in groups of 500 terms: CPython's own compiler cannot nest much deeper."""
    terms = ["a"] + [f"a * {k}" for k in range(1, n)]
    groups = ["(" + " + ".join(terms[i:i + 500]) + ")" for i in range(0, n, 500)]
    return ["    return " + " + ".join(groups)], (3,)


def gen_chain(n):
    """n statements updating one local: x = x + k (and a multiply every 4th line)."""
    body = ["    x = a"]
    for k in range(1, n):
        body.append(f"    x = x * 3" if k % 4 == 0 else f"    x = x + {k}")
        if k % 4 == 0:
            body.append("    x = x % 1000003")
    return body, (3,)


def gen_ifs(n):
    """n if/else statements on one local, each branch with an arithmetic update."""
    body = ["    x = a"]
    for k in range(n):
        body.append(f"    if x > {k * 7 % 101}:")
        body.append(f"        x = x - {k % 13 + 1}")
        body.append("    else:")
        body.append(f"        x = x + {k % 17 + 2}")
    body.append("    return x")
    return body, (50,)


def gen_locals(n):
    """n distinct locals, each computed from two earlier ones; the last is returned."""
    body = ["    v0 = a"]
    for k in range(1, n):
        body.append(f"    v{k} = v{k - 1} + v{k // 2} % 97 - {k % 11}")
    body.append(f"    return v{n - 1}")
    return body, (5,)


def gen_loops(n):
    """n loop nests (for over range inside for over range) accumulating into one local."""
    body = ["    t = 0"]
    for k in range(n):
        body.append(f"    for i in range(a):")
        body.append(f"        for j in range({k % 5 + 1}):")
        body.append(f"            t = t + i * j + {k % 7}")
    body.append("    return t")
    return body, (4,)


def gen_floats(n):
    """n float statements (no overflow checks): the lowering's baseline."""
    body = ["    x = a * 0.5"]
    for k in range(1, n):
        body.append(f"    x = x * 0.999 + {k % 9}.25")
    body.append("    return x")
    return body, (3.0,)


def _chain_return(gen):
    def wrapped(n):
        body, args = gen(n)
        return body + ["    return x"], args
    wrapped.__doc__ = gen.__doc__
    return wrapped


SHAPES = {
    "sum": gen_sum,
    "chain": _chain_return(gen_chain),
    "ifs": gen_ifs,
    "locals": gen_locals,
    "loops": gen_loops,
    "floats": gen_floats,
}

_fresh = 0


def make_function(shape, n):
    """A fresh function of the given shape and size, registered in linecache (as IPython does for
    cells) so pyvorin finds its source; returns (function, first-call arguments, source lines)."""
    global _fresh
    _fresh += 1
    name = f"gen_{shape}_{n}_{_fresh}"
    body, args = SHAPES[shape](n)
    arg = "a"
    src = f"def {name}({arg}):\n" + "\n".join(body) + "\n"
    filename = f"<pvscaling-{name}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {}
    exec(compile(src, filename, "exec"), ns)
    return ns[name], args, src.count("\n")


def ir_counts(ir_text):
    """(basic blocks, instructions) of the lowered module's defined functions."""
    blocks = insts = 0
    in_fn = False
    for line in ir_text.splitlines():
        if line.startswith("define "):
            in_fn = True
            continue
        if line.startswith("}"):
            in_fn = False
            continue
        if not in_fn or not line.strip():
            continue
        if not line.startswith(" "):
            blocks += 1  # a label; the entry block has one too in printed IR only when named
        else:
            insts += 1
    return blocks, insts


def measure(pyvorin, shape, n, level):
    fn, args, lines = make_function(shape, n)
    d = pyvorin.jit(opt_level=level, cache=False, strict=True)(fn)
    c0 = time.thread_time()
    t0 = time.perf_counter()
    got = d(*args)
    wall = time.perf_counter() - t0
    cpu = time.thread_time() - c0  # the compile runs on this thread: steadier than wall time
    expected = fn(*args)
    report = d.report
    timings = report.get("timings_ms") or {}
    passes = sorted(report.get("passes") or [], key=lambda p: -p["ms"])
    blocks, insts = ir_counts(report.get("ir") or "")
    return {
        "shape": shape, "size": n, "lines": lines, "opt_level": level,
        "ok": got == expected and type(got) is type(expected),
        "wall_ms": wall * 1e3,
        "cpu_ms": cpu * 1e3,
        "total_ms": timings.get("total", 0.0),
        "stages": {k: v for k, v in timings.items() if k != "total"},
        "top_passes": [(p["name"], p["ms"], p["runs"]) for p in passes[:3]],
        "ir_blocks": blocks, "ir_insts": insts,
    }


def fmt_s(ms):
    return f"{ms / 1e3:.2f} s" if ms >= 1000 else f"{ms:.0f} ms"


def print_text(rows):
    print(f"{'shape':8} {'O':>2} {'size':>5} {'lines':>5} {'compile':>9} {'cpu':>9} {'per 1k':>8} "
          f"{'blocks':>7} {'insts':>7}  {'lower':>6} {'opt':>7} {'codegen':>8}  top pass")
    for r in rows:
        st = r["stages"]
        top = r["top_passes"][0] if r["top_passes"] else ("-", 0, 0)
        per_k = r["cpu_ms"] / (r["size"] / 1000)
        print(f"{r['shape']:8} {r['opt_level']:>2} {r['size']:>5} {r['lines']:>5} {fmt_s(r['total_ms']):>9} "
              f"{fmt_s(r['cpu_ms']):>9} "
              f"{fmt_s(per_k):>8} {r['ir_blocks']:>7} {r['ir_insts']:>7}  {st.get('lower', 0):6.0f} "
              f"{st.get('optimize', 0):7.0f} {st.get('codegen', 0):8.0f}  {top[0]} {top[1]:.0f} ms"
              + ("" if r["ok"] else "  WRONG RESULT"))


def print_markdown(rows, sizes, levels):
    for level in levels:
        print(f"\nO{level}: compile time (thread CPU time of the first call) by size\n")
        print("| shape | " + " | ".join(str(s) for s in sizes) + " | per 1k at " + str(sizes[-1]) + " |")
        print("|---|" + "---:|" * (len(sizes) + 1))
        for shape in dict.fromkeys(r["shape"] for r in rows):
            cells = {r["size"]: r for r in rows if r["shape"] == shape and r["opt_level"] == level}
            if not cells:
                continue
            line = [fmt_s(cells[s]["cpu_ms"]) if s in cells else "–" for s in sizes]
            last = cells.get(sizes[-1])
            per_k = fmt_s(last["cpu_ms"] / (sizes[-1] / 1000)) if last else "–"
            print(f"| {shape} | " + " | ".join(line) + f" | {per_k} |")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    ap.add_argument("--shapes", nargs="+", default=list(SHAPES), choices=list(SHAPES))
    ap.add_argument("--levels", type=int, nargs="+", default=[2], choices=[0, 1, 2, 3])
    ap.add_argument("--markdown", action="store_true", help="tables as in docs/performance.md")
    ap.add_argument("--json", metavar="FILE", help="also write every measurement to FILE")
    ap.add_argument("--from-json", metavar="FILE", help="print the tables of an earlier --json run")
    ap.add_argument("--max-ms", type=float, default=120e3,
                    help="skip larger sizes of a shape once one compile took longer than this")
    opts = ap.parse_args(argv)

    if opts.from_json:
        with open(opts.from_json) as f:
            rows = json.load(f)
        sizes = sorted({r["size"] for r in rows})
        levels = sorted({r["opt_level"] for r in rows})
        print_markdown(rows, sizes, levels) if opts.markdown else print_text(rows)
        return 0

    harness.add_build_path()
    import pyvorin

    rows = []
    for level in opts.levels:
        for shape in opts.shapes:
            for n in opts.sizes:
                r = measure(pyvorin, shape, n, level)
                rows.append(r)
                print(f"O{level} {shape} {n}: {fmt_s(r['total_ms'])}", file=sys.stderr, flush=True)
                if r["cpu_ms"] > opts.max_ms:
                    break
    if opts.markdown:
        print_markdown(rows, opts.sizes, opts.levels)
    else:
        print_text(rows)
    if opts.json:
        with open(opts.json, "w") as f:
            json.dump(rows, f, indent=1)
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
