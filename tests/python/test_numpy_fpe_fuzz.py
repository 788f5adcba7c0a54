"""Random-program fuzzer for NumPy's float warnings in compiled loops (lower_numpy.cpp: the CPU's
sticky overflow and invalid flags, per-operation invalid tests, full tests for division).

A seeded generator writes loops over float64 arrays whose bodies mix NumPy scalar arithmetic
(+ - * / on a[i], b[i], constants, Python floats and earlier results), ordered comparisons in
branches and in conditional expressions, min()/max(), int() conversions, calls of a jitted scalar
helper, stores into an output array (an effect) and accumulators, some with an early return or a
NumPy call inside the loop. Every program runs in CPython and compiled on arrays drawn from a pool
of finite values, infinities, NaNs and huge values. Any difference in value, dtype, exception,
printed text or the list of RuntimeWarnings fails the test, and so does a call that ran in CPython
although CPython did not warn (a spurious warning from a flag a NaN merely read). A call after
whose effect NumPy warns may raise FloatingPointError instead (a documented limit: a warning after
an effect cannot rerun in CPython); the test checks that it names the function.

Python float arithmetic stays small here: where a Python float of a loop overflows to inf (silent
in CPython) the loop's end does not read the CPU's overflow flag, so a NumPy overflow in the same
run of that loop is not reported (docs/objects.md). The values are the same either way.

PYVORIN_FUZZ_SEED / PYVORIN_FUZZ_COUNT change the seed and the number of programs.
"""
import math
import os
import random
import sys
import tempfile

import numpy as np

import pyvorin
from array_testutil import A, compare_call

SEED = int(os.environ.get("PYVORIN_FUZZ_SEED", "20261202"))
COUNT = int(os.environ.get("PYVORIN_FUZZ_COUNT", "120"))

POOL = [0.0, -0.0, 1.0, -1.5, 2.5, 1e-300, 1e300, -1e300, 1e308, math.inf, -math.inf, math.nan, 3.0, 0.5]

HELPER = '''
@pyvorin.jit
def helper(x):
    """a scalar helper: no loop, no call (its warnings are tested where it returns)"""
    t = x * 0.5 + 1.0
    if x < 0.0:
        return t - x
    return t * x
'''


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.names = ["a[i]", "b[i]"]

    def atom(self):
        r = self.r
        c = r.randrange(10)
        if c < 5:
            return r.choice(self.names)
        if c < 7:  # huge constants are NumPy's; Python floats stay small (see the module's docstring)
            return r.choice(["0.5", "2.0", "-3.0", "np.float64(1e300)", "np.float64(1e-300)"])
        if c == 7:
            return "x"  # a Python float argument
        if c == 8:
            return "math.tanh(float(a[i]))"
        return r.choice(self.names)

    def expr(self, depth=0):
        r = self.r
        if depth > 2 or r.random() < 0.3:
            return self.atom()
        c = r.randrange(12)
        if c < 7:
            return "(%s %s %s)" % (self.expr(depth + 1), r.choice("+-*"), self.expr(depth + 1))
        if c == 7:
            return "(%s / %s)" % (self.expr(depth + 1), self.expr(depth + 1))
        if c == 8:
            return "(%s if %s %s %s else %s)" % (self.expr(depth + 1), self.atom(), r.choice(["<", ">=", "=="]),
                                                 self.atom(), self.expr(depth + 1))
        if c == 9:
            return "%s(%s, %s)" % (r.choice(["min", "max"]), self.atom(), self.atom())
        if c == 10:
            return "helper(%s)" % self.expr(depth + 1)
        return "abs(%s)" % self.expr(depth + 1)

    def program(self, k):
        r = self.r
        lines = ["def f%d(a, b, out, x):" % k, "    s = 0.0", "    n = 0"]
        lines.append("    for i in range(a.shape[0]):")
        body = []
        for j in range(r.randint(1, 4)):
            c = r.randrange(9)
            e = self.expr()
            if c < 3:
                body.append("s += %s" % e)
            elif c < 5:
                body.append("out[i] = %s" % e)
            elif c == 5:
                body.append("if %s %s %s:" % (self.atom(), r.choice(["<", ">", "<="]), self.atom()))
                body.append("    s += %s" % e)
            elif c == 6:
                body.append("t%d = %s" % (j, e))
                self.names.append("t%d" % j)
            elif c == 7:
                body.append("if %s == %s:" % (e, e))
                # bounded: an int beyond int64 would rerun in CPython for a reason of its own
                body.append("    n += int(min(max(%s, -1e6), 1e6))" % r.choice(["a[i] * 0.5", "b[i]", "x"]))
            else:
                body.append("if i == %d:" % r.randint(0, 3))
                body.append("    return s, n, %s" % r.choice(["0.0", "float(out[0])"]))
        if r.random() < 0.15:
            body.append("m = np.max(b)")
        lines += ["        " + b for b in body]
        lines.append("    return s, n, float(out[0])" if r.random() < 0.5 else "    return s + 0.0, n, out[0] * 1.0")
        return "\n".join(lines) + "\n"


def make_args(rng):
    n = rng.randint(1, 5)
    a = [rng.choice(POOL) if rng.random() < 0.4 else rng.uniform(-10, 10) for _ in range(n)]
    b = [rng.choice(POOL) if rng.random() < 0.4 else rng.uniform(-10, 10) for _ in range(n)]
    return (A(a), A(b), A(np.zeros(n)), rng.choice([0.5, 1e10, -2.0, math.nan]))


def test_numpy_float_warnings_fuzz(tmp_path):
    rng = random.Random(SEED)
    failures, native_runs, warned_runs, fpe_errors = [], 0, 0, 0
    path = tmp_path / "fpe_programs.py"
    gen = Gen(rng)
    sources = []
    for k in range(COUNT):
        gen.names = ["a[i]", "b[i]"]
        sources.append(gen.program(k))
    text = "import math\nimport numpy as np\nimport pyvorin\n" + HELPER + "\n\n" + "\n\n".join(sources)
    path.write_text(text)
    ns = {}
    exec(compile(text, str(path), "exec"), ns)
    for k, src in enumerate(sources):
        fn = ns["f%d" % k]
        jf = pyvorin.jit(fn)
        for _ in range(4):
            args = make_args(rng)
            diff, native, expected = compare_call(fn, jf, args)  # NumPy's default errstate
            if diff and "FloatingPointError" in diff and expected.warned and ("'f%d'" % k in diff or "'helper'" in diff):
                fpe_errors += 1  # a warning after an effect (documented): the error names the function
                continue
            if diff:
                failures.append("%s\nargs %r\n%s" % (src, args, diff))
                continue
            if native:
                native_runs += 1
            elif expected.warned:
                warned_runs += 1
            elif not jf.fallback_reason:
                failures.append("%s\nargs %r\nran in CPython although CPython did not warn (stats %r)" % (src, args, jf.stats))
    assert not failures, "%d failures; the first:\n%s" % (len(failures), "\n\n".join(failures[:3]))
    # the programs exercise the native path, and the warnings really happen
    assert native_runs > COUNT and warned_runs > COUNT // 10, (native_runs, warned_runs, fpe_errors)
