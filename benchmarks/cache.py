"""The disk compile cache against a cold compile and against Numba's cache=True (docs/cache.md).

Each measurement is a fresh interpreter (a restarted kernel, a new script), run --repeat times;
the table shows medians:

- miss: the first call of a function whose entry is not on disk (compile, then store);
- hit: the first call in a new process that finds the entry on disk;
- in each, the whole first call (from the call to its result, so the dispatcher's own work is in
  it) and, for Pyvorin, the cache's own part (report timings_ms: key, read and check, link);
- import: `import pyvorin` / `import numba` itself, apart.

    /usr/bin/python3 benchmarks/cache.py [--repeat 7] [--markdown] [--json PATH]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
BUILD = os.environ.get("PYVORIN_BUILD_DIR", os.path.join(HERE, "..", "build"))
PYTHON = "/usr/bin/python3"

# Small functions, as the issue asks ("a small function"), and one with a loop nest and a callee.
FUNCTIONS = {
    "add": ("def add(a, b):\n    return a + b\n", "add(2, 3)"),
    "sum_sq": ("def sum_sq(n):\n    s = 0\n    for i in range(n):\n        s += i * i\n    return s\n", "sum_sq(1000)"),
    "collatz": ("def steps(n):\n    c = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n"
                "        c += 1\n    return c\n\ndef longest(limit):\n    best, arg = 0, 1\n    for i in range(1, limit):\n"
                "        c = steps(i)\n        if c > best:\n            best, arg = c, i\n    return arg\n", "longest(1000)"),
}

PYVORIN = '''
import time, json, sys
t0 = time.perf_counter()
import pyvorin
t1 = time.perf_counter()
{jit_defs}
time.sleep(0.05)  # (as a script's own work between import and the first call would take)
t2 = time.perf_counter()
value = {call}
t3 = time.perf_counter()
r = {root}.report
print(json.dumps({{"import_ms": (t1 - t0) * 1e3, "first_call_ms": (t3 - t2) * 1e3, "cache": r["cache"],
                   "cache_ms": r["timings_ms"].get("total", 0) if r["cache"] == "disk hit" else None,
                   "compile_ms": r["timings_ms"].get("total", 0), "value": value}}))
'''

NUMBA = '''
import time, json, sys
t0 = time.perf_counter()
import numba
t1 = time.perf_counter()
{jit_defs}
time.sleep(0.05)
t2 = time.perf_counter()
value = {call}
t3 = time.perf_counter()
print(json.dumps({{"import_ms": (t1 - t0) * 1e3, "first_call_ms": (t3 - t2) * 1e3, "value": value}}))
'''


def decorate(source, decorator):
    return "\n".join((decorator + "\n" + line) if line.startswith("def ") else line for line in source.splitlines())


def run(script, env, cwd):
    p = subprocess.run([PYTHON, script], capture_output=True, text=True, env=env, cwd=cwd, timeout=300)
    if p.returncode != 0:
        raise RuntimeError(p.stderr)
    return json.loads(p.stdout.strip().splitlines()[-1])


def measure(name, repeat, workdir):
    source, call = FUNCTIONS[name]
    root = call.split("(")[0]
    out = {}
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"), NUMBA_CACHE_DIR=os.path.join(workdir, "numba-cache"))
    for impl, template, decorator in (("pyvorin", PYVORIN, "@pyvorin.jit"), ("numba", NUMBA, "@numba.njit(cache=True)")):
        script = os.path.join(workdir, f"{impl}_{name}.py")
        with open(script, "w") as f:
            f.write(template.format(jit_defs=decorate(source, decorator), call=call, root=root))
        misses, hits = [], []
        for _ in range(repeat):
            cache_dir = os.path.join(workdir, f"{impl}-cache")
            shutil.rmtree(cache_dir, ignore_errors=True)
            shutil.rmtree(env["NUMBA_CACHE_DIR"], ignore_errors=True)
            for d in ("__pycache__",):
                shutil.rmtree(os.path.join(workdir, d), ignore_errors=True)
            e = dict(env, PYVORIN_CACHE_DIR=cache_dir)
            misses.append(run(script, e, workdir))
            hits.append(run(script, e, workdir))
        if impl == "pyvorin":
            assert all(m["cache"] == "miss" for m in misses) and all(h["cache"] == "disk hit" for h in hits), (misses, hits)
        assert len({json.dumps(m["value"]) for m in misses + hits}) == 1
        med = lambda rows, k: statistics.median(r[k] for r in rows if r.get(k) is not None)
        out[impl] = {"miss_ms": med(misses, "first_call_ms"), "hit_ms": med(hits, "first_call_ms"),
                     "import_ms": med(hits, "import_ms")}
        if impl == "pyvorin":
            out[impl]["hit_cache_ms"] = med(hits, "cache_ms")
            out[impl]["miss_compile_ms"] = med(misses, "compile_ms")
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--json", nargs="?", const="-")
    parser.add_argument("--functions", default=",".join(FUNCTIONS))
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="pyvorin-cache-bench-") as workdir:
        for name in args.functions.split(","):
            results[name] = measure(name, args.repeat, workdir)
    rows = [("function", "Pyvorin miss", "Pyvorin hit", "of which cache+load", "Numba miss", "Numba hit",
             "import pyvorin", "import numba")]
    for name, r in results.items():
        p, n = r["pyvorin"], r["numba"]
        rows.append((name, f"{p['miss_ms']:.1f}", f"{p['hit_ms']:.2f}", f"{p['hit_cache_ms']:.2f}", f"{n['miss_ms']:.1f}",
                     f"{n['hit_ms']:.2f}", f"{p['import_ms']:.0f}", f"{n['import_ms']:.0f}"))
    if args.markdown:
        print("| " + " | ".join(rows[0]) + " |")
        print("|" + "---|" * len(rows[0]))
        for row in rows[1:]:
            print("| " + " | ".join(row) + " |")
        print(f"\nFirst call in a fresh process, ms, median of {args.repeat}.")
    else:
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(c.rjust(w) for c, w in zip(row, widths)))
    if args.json:
        text = json.dumps(results, indent=2)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w") as f:
                f.write(text)


if __name__ == "__main__":
    main()
