"""Random-program fuzzer for native local lists (compiler/src/native.cpp, lower_native.cpp).

A seeded generator writes small functions that build local lists of int, float or bool and mix
the operations native.cpp allows (index reads and writes with out-of-range and negative indices,
append, pop, len, truth tests, loops over the list that also append/pop, comprehensions, tuple
swaps) with the ones that materialise it (print, sum, sorted, min, max, `in`, slices, ==) and
hand-overs (return, out.append(xs), d[k] = xs, ys = xs), inside loops, ifs, early returns,
break/continue and for/while-else clauses. Every program runs in CPython and compiled on a few
inputs; any difference in value, types, exception and message, stdout, argument mutation or
aliasing fails the test. The test also checks that a fair share of the programs really kept a
list in a native buffer, so it exercises the feature rather than the fallback.

PYVORIN_FUZZ_SEED / PYVORIN_FUZZ_COUNT change the seed and the number of programs.
PYVORIN_FUZZ_AVOID=tag,tag leaves out generator features (see KNOWN below) to look past known bugs.
"""
import os
import random

import pyvorin
from container_testutil import call_both, outcome_diff, run_programs, short, why_not_native

SEED = int(os.environ.get("PYVORIN_FUZZ_SEED", "20261201"))
COUNT = int(os.environ.get("PYVORIN_FUZZ_COUNT", "300"))
AVOID = set(filter(None, os.environ.get("PYVORIN_FUZZ_AVOID", "").split(",")))

# Generator features that hit the bugs found so far (see the report in the commit message):
#  skipkill - a hand-over followed by break/continue that skips the reassignment, or a loop
#             whose else clause reads the list after a hand-over in the body
#  rebind   - `xs = [...]` inside `for x in xs` (the loop must keep iterating the old list)
#  lazyread - a materialising read and a mutation of the same list in one statement
#             (print(xs, xs.pop()), xs + [xs.pop()], sum(xs, xs.pop()))
#  nancopy  - identity-sensitive reads (count, in) of a copy of a float list holding one object twice
#  sameread - a hand-over and a native read of the list in one statement, the handed object
#             changed in between (`return out.append(xs), out[0].append(9), len(xs)`)
KNOWN = ("skipkill", "rebind", "lazyread", "nancopy", "sameread")

ELEMS = ("int", "float", "bool")
LISTS = ("xs", "ys")


class Gen:
    def __init__(self, rng, elem):
        self.r = rng
        self.elem = elem
        self.lines = []
        self.loopvars = []
        self.in_loop = 0
        self.budget = 0
        self.init = False

    # ---- expressions -------------------------------------------------------------------
    def small_index(self, v):
        r = self.r
        c = r.randrange(9)
        if c == 0:
            return str(r.randint(-4, 4))
        if c == 1:
            return "n"
        if c == 2:
            return "-n"
        if c == 3:
            return "len(%s) - 1" % v
        if c == 4:
            return "-len(%s)" % v
        if c == 5 and self.loopvars:
            return r.choice(self.loopvars)
        if c == 6:
            return "n %% %d" % r.randint(1, 4)
        if c == 7:
            return "len(%s) // 2" % v
        return str(r.randint(0, 2))

    def elem_expr(self, depth=0):
        r = self.r
        c = r.randrange(8)
        if self.elem == "int":
            if c == 0:
                return str(r.choice([0, 1, -1, 7, -3, 2 ** 62, -2 ** 63]))
            if c == 1:
                return r.choice(["a", "b", "n"])
            if c == 2 and self.loopvars:
                return r.choice(self.loopvars)
            if c == 3 and depth < 2:
                return "%s + %s" % (self.elem_expr(depth + 1), self.elem_expr(depth + 1))
            if c == 4 and depth < 2 and not self.init:
                v = r.choice(LISTS)
                return "(%s[%s] if %s else 5)" % (v, self.small_index(v), v)
            if c == 5 and not self.init:
                return "len(%s)" % r.choice(LISTS)
            return str(r.randint(-5, 9))
        if self.elem == "float":
            if c == 0:
                return r.choice(["0.5", "-0.0", "0.0", "1e300", "-2.25", "float('nan')", "float('inf')"])
            if c == 1:
                return r.choice(["a", "b"])
            if c == 2 and self.loopvars:
                return "%s * 0.5" % r.choice(self.loopvars)
            if c == 3 and depth < 2:
                return "%s %s %s" % (self.elem_expr(depth + 1), r.choice("+-*"), self.elem_expr(depth + 1))
            if c == 4 and depth < 2 and not self.init:
                v = r.choice(LISTS)
                return "(%s[%s] if %s else 1.5)" % (v, self.small_index(v), v)
            return repr(r.choice([1.0, 2.5, -1.5, 3.0]))
        # bool
        if c == 0:
            return r.choice(["True", "False"])
        if c == 1:
            return r.choice(["a > b", "a == n", "n % 2 == 0"])
        if c == 2 and self.loopvars:
            return "%s %% 2 == 1" % r.choice(self.loopvars)
        if c == 3 and depth < 2:
            return "not %s" % self.elem_expr(depth + 1)
        if c == 4 and depth < 2 and not self.init:
            v = r.choice(LISTS)
            return "(%s[%s] if %s else False)" % (v, self.small_index(v), v)
        return r.choice(["True", "False", "a < 0"])

    def fresh(self):
        r = self.r
        c = r.randrange(6)
        if c == 0:
            return "[]"
        if c == 1:
            return "[%s]" % ", ".join(self.elem_expr() for _ in range(r.randint(1, 4)))
        if c == 2:
            return "[%s] * %s" % (self.elem_expr(), r.choice(["n", "3", "(n - 2)", "2"]))
        if c == 3:
            return "%s * [%s, %s]" % (r.choice(["n", "2"]), self.elem_expr(), self.elem_expr())
        if c == 4:
            conv = {"int": "j * j - n", "float": "j * 0.5", "bool": "j % 3 == 0"}[self.elem]
            cond = r.choice(["", " if j != 1", " if j % 2 == 0"])
            return "[%s for j in range(%s)%s]" % (conv, r.choice(["n", "4", "n + 1"]), cond)
        if self.init:
            return "[]"
        v = r.choice(LISTS)
        conv = {"int": "e + 1", "float": "e * 2.0", "bool": "not e"}[self.elem]
        return "[%s for e in %s]" % (conv, v)

    def acc_term(self, v):
        """An expression of the accumulator's type built from reading v."""
        r = self.r
        z = {"int": "0", "float": "0.0", "bool": "False"}[self.elem]
        c = r.randrange(14)
        if c <= 2:
            return "%s[%s]" % (v, self.small_index(v))
        if c == 3:
            return "len(%s)" % v
        if c == 4:
            return "sum(%s)" % v
        if c == 5:
            return "(max(%s) if %s else %s)" % (v, v, z)
        if c == 6:
            return "(min(%s) if %s else %s)" % (v, v, z)
        if c == 7:
            return "len(%s[%s:%s])" % (v, r.choice(["", "1", "-2", "n"]), r.choice(["", "3", "-1"]))
        if c == 8:
            return "(1 if %s in %s else 0)" % (self.elem_expr(), v)
        if c == 9:
            return "len(sorted(%s))" % v
        if c == 10:
            return "(sorted(%s)[0] if %s else %s)" % (v, v, z)
        if c == 11:
            return "(1 if %s == %s else 0)" % (v, "ys" if v == "xs" else "xs")
        if c == 12:
            return "%s.count(%s)" % (v, self.elem_expr()) if self.elem != "float" else "len(%s)" % v
        return "(%s.pop() if %s else %s)" % (v, v, z)

    # ---- statements --------------------------------------------------------------------
    def emit(self, ind, s):
        self.lines.append("    " * ind + s)

    def ret(self, ind):
        self.emit(ind, "return acc, xs, ys, out, d")

    def guard(self, ind):
        # every loop body counts its steps, so no program runs for long
        self.emit(ind, "steps = steps + 1")
        self.emit(ind, "if steps > 40:")
        self.emit(ind + 1, "break")

    def block(self, ind, n):
        start = len(self.lines)
        for _ in range(n):
            self.stmt(ind)
        if len(self.lines) == start:
            self.emit(ind, "pass")

    def stmt(self, ind):
        r = self.r
        self.budget -= 1
        v = r.choice(LISTS)
        w = "ys" if v == "xs" else "xs"
        deep = self.budget > 0 and ind < 4
        c = r.randrange(30)
        if c == 0:
            self.emit(ind, "%s.append(%s)" % (v, self.elem_expr()))
        elif c == 1:
            self.emit(ind, "acc = acc + %s" % self.acc_term(v))
        elif c == 2:
            self.emit(ind, "%s[%s] = %s" % (v, self.small_index(v), self.elem_expr()))
        elif c == 3:
            self.emit(ind, "%s[%s], %s[%s] = %s[%s], %s[%s]" % (
                v, self.small_index(v), v, "0", v, "0", v, self.small_index(v)))
        elif c == 4:
            self.emit(ind, "%s = %s" % (v, self.fresh()))
        elif c == 5:
            self.emit(ind, "if %s:" % r.choice([v, "not " + v, "len(%s) > 2" % v, "%s and %s" % (v, w)]))
            self.emit(ind + 1, "acc = acc + %s.pop()" % v)
        elif c == 6:
            self.emit(ind, "print(%s)" % r.choice([v, "len(%s), %s" % (v, v), "%s, %s" % (v, w), "%s[1:]" % v]))
        elif c == 7:   # hand-over into a list, maybe continued use or reassignment
            self.emit(ind, "out.append(%s)" % v)
            k = r.randrange(3)
            if k == 0:
                self.emit(ind, "%s = %s" % (v, self.fresh()))
            elif k == 1:
                self.emit(ind, "%s.append(%s)" % (v, self.elem_expr()))
        elif c == 8:   # hand-over into a dict
            self.emit(ind, "d[%s] = %s" % (r.choice(["n", "len(out)", "0"] + self.loopvars), v))
            if r.random() < 0.5:
                self.emit(ind, "%s = %s" % (v, self.fresh()))
        elif c == 9:   # aliasing
            self.emit(ind, "zs = %s" % v)
            tgt = r.choice(["zs", v])
            self.emit(ind, "%s.append(%s)" % (tgt, self.elem_expr()))
            self.emit(ind, "out.append(zs)")
        elif c == 10:
            self.emit(ind, "if %s:" % r.choice(["a > b", "n > 2", "acc > 3", v]))
            self.ret(ind + 1)
        elif c == 11:
            self.emit(ind, "%s = %s" % (w, self.fresh()) if r.random() < 0.5 else
                      "%s = [%s for e in %s%s]" % (w, {"int": "e - 1", "float": "e + 0.5", "bool": "e and a > 0"}[self.elem],
                                                  v, r.choice(["", " if e"])))
        elif c == 12:
            self.emit(ind, "acc = acc + len([e for e in %s if e])" % v)
        elif c == 13 and deep:   # for over the list
            var = "x%d" % ind
            self.emit(ind, "for %s in %s:" % (var, v))
            self.loopvars.append(var) if self.elem == "int" else None
            self.guard(ind + 1)
            self.emit(ind + 1, "acc = acc + %s" % (var if self.elem != "float" else var))
            if r.random() < 0.4:
                self.emit(ind + 1, "if len(%s) < 12:" % v)
                self.emit(ind + 2, "%s.append(%s)" % (v, self.elem_expr()))
            if r.random() < 0.2:
                self.emit(ind + 1, "if %s:" % v)
                self.emit(ind + 2, "%s.pop()" % v)
            self.in_loop += 1
            self.block(ind + 1, r.randint(0, 2))
            if r.random() < 0.3:
                self.emit(ind + 1, "if acc > %d:" % r.randint(0, 20))
                self.emit(ind + 2, r.choice(["break", "continue"]))
            self.in_loop -= 1
            if self.elem == "int":
                self.loopvars.pop()
            if r.random() < 0.2:
                self.emit(ind, "else:")
                self.block(ind + 1, 1)
        elif c == 14 and deep:   # for over range
            var = "i%d" % ind
            self.emit(ind, "for %s in range(%s):" % (var, r.choice(["n", "3", "len(%s)" % v])))
            self.loopvars.append(var)
            self.in_loop += 1
            self.block(ind + 1, r.randint(1, 3))
            if r.random() < 0.3:
                self.emit(ind + 1, "if %s == %d:" % (var, r.randint(0, 3)))
                self.emit(ind + 2, r.choice(["break", "continue"]))
            self.in_loop -= 1
            self.loopvars.pop()
            if r.random() < 0.2:
                self.emit(ind, "else:")
                self.block(ind + 1, 1)
        elif c == 15 and deep:   # while growing / shrinking
            if r.random() < 0.5:
                self.emit(ind, "while len(%s) < %d:" % (v, r.randint(0, 6)))
                self.guard(ind + 1)
                self.emit(ind + 1, "%s.append(%s)" % (v, self.elem_expr()))
            else:
                self.emit(ind, "while %s:" % v)
                self.guard(ind + 1)
                self.emit(ind + 1, "acc = acc + %s.pop()" % v)
            self.in_loop += 1
            self.block(ind + 1, r.randint(0, 2))
            self.in_loop -= 1
        elif c == 16 and deep:
            self.emit(ind, "if %s:" % r.choice([v, "n > 1", "a > b", "not %s" % w]))
            self.block(ind + 1, r.randint(1, 2))
            if r.random() < 0.5:
                self.emit(ind, "else:")
                self.block(ind + 1, r.randint(1, 2))
        elif c == 17 and self.in_loop:
            self.emit(ind, "if %s:" % r.choice(["len(%s) > 3" % v, "acc > 5", "not %s" % v]))
            self.emit(ind + 1, r.choice(["break", "continue"]))
        elif c == 18 and self.in_loop and "skipkill" not in AVOID:
            # hand-over inside a loop, then maybe skip the reassignment
            self.emit(ind, "if %s:" % r.choice(["len(%s) > 1" % v, "acc % 2 == 0", "n > 2"]))
            self.emit(ind + 1, "out.append(%s)" % v)
            self.emit(ind + 1, r.choice(["break", "continue"]))
            self.emit(ind, "%s = %s" % (v, self.fresh()))
        elif c == 19:
            self.emit(ind, "t = (%s, len(%s))" % (v, v))
            self.emit(ind, "out.append(t[0])")
            self.emit(ind, "%s = %s" % (v, self.fresh()))
        elif c == 20:
            self.emit(ind, "acc = acc + sum([e for e in %s]) + len([%s for e in %s if e])" % (v, v + "[0]", w))
        elif c == 21:
            self.emit(ind, "acc = acc + len(sorted(range(len(%s)), key=lambda q: %s[q]))" % (v, v))
        elif c == 22:
            self.emit(ind, "%s[%s] = %s[%s]" % (v, self.small_index(v), w, self.small_index(w)))
        elif c == 23 and "rebind" not in AVOID and deep:
            var = "x%d" % ind
            self.emit(ind, "for %s in %s:" % (var, v))
            self.guard(ind + 1)
            self.emit(ind + 1, "acc = acc + %s" % var)
            self.emit(ind + 1, "%s = %s" % (v, self.fresh()))
        elif c == 24 and "lazyread" not in AVOID:
            self.emit(ind, r.choice(["print(%s, %s.pop() if %s else None)" % (v, v, v),
                                     "acc = acc + len(%s + [%s.pop()] if %s else [])" % (v, v, v)]))
        elif c == 25 and "nancopy" not in AVOID and self.elem == "float":
            self.emit(ind, "acc = acc + %s.count(a) + (1 if a in list(%s) else 0)" % (
                r.choice(["%s[:]" % v, "sorted(%s)" % v, "%s.copy()" % v]), v))
        elif c == 26 and "sameread" not in AVOID and r.random() < 0.3:
            # a hand-over and a native read of the same list in one statement, with the handed
            # object changed in between through another reference
            self.emit(ind, "t = (out.append(%s), out[-1].%s, len(%s), 1 if %s else 0)" % (
                v, r.choice(["append(%s)" % self.elem_expr(), "pop()", "clear()"]), v, v))
            self.emit(ind, "acc = acc + t[2] + t[3]")
            self.emit(ind, "%s = %s" % (v, self.fresh()))
        elif c == 26:
            self.emit(ind, "if %s in %s:" % (self.elem_expr(), v))
            self.block(ind + 1, 1)
        elif c == 27:
            self.emit(ind, "return %s, acc" % v)   # different shape: may fall back
        elif c == 28:
            self.emit(ind, "out.append(%s)" % v)
            self.ret(ind)
            self.budget = 0
        else:
            self.emit(ind, "acc = acc + %s" % self.acc_term(v))

    def program(self, name):
        r = self.r
        self.budget = r.randint(3, 9)
        zero = {"int": "0", "float": "0.0", "bool": "0"}[self.elem]
        self.init = True
        init = ["    xs = %s" % self.fresh(), "    ys = %s" % self.fresh()]
        self.init = False
        self.lines = ["def %s(n, a, b):" % name, "    out = []", "    d = {}", "    acc = %s" % zero, "    steps = 0"] + init
        n = r.randint(2, 6)
        for _ in range(n):
            if self.budget <= 0:
                break
            self.stmt(1)
        self.ret(1)
        return "\n".join(self.lines) + "\n"


def inputs(rng, elem):
    if elem == "float":
        vals = [0.5, -0.0, 2.0, float("nan"), float("inf"), -3.5]
    elif elem == "bool":
        vals = [0, 1, -2, 3]
    else:
        vals = [0, 1, -2, 5, 2 ** 62]
    out = []
    for n in (0, 1, 3, 4):
        out.append((n, rng.choice(vals), rng.choice(vals)))
    return out


def generate(seed=SEED, count=COUNT):
    rng = random.Random(seed)
    progs = []
    for k in range(count):
        elem = ELEMS[k % 3]
        name = "fz%d_%s" % (k, elem)
        progs.append((name, Gen(rng, elem).program(name), inputs(rng, elem)))
    return progs


def native_lists(jf):
    return [v["name"] for v in jf.report.get("variables") or []
            if v["name"] in ("xs", "ys") and v["representation"].startswith("native buffer")]


limited = []  # calls that hit the documented limit, by the last run_fuzz


def run_fuzz(seed=SEED, count=COUNT):
    progs = generate(seed, count)
    failures, native, compiled, hit = run_programs(progs, "native_fuzz_%d" % seed, native_lists)
    limited[:] = hit
    return failures, native, compiled, len(progs)


def test_native_list_fuzz():
    failures, native, compiled, total = run_fuzz()
    print("fuzz: %d programs, %d compiled, %d with a native xs/ys" % (total, compiled, native))
    assert not failures, "%d of %d programs differ from CPython:\n\n%s" % (
        len(failures), total, "\n\n".join(failures[:15]))
    assert native >= total // 4, "only %d of %d programs kept a list native" % (native, total)
    # the documented limit is rare: a handful of calls at most
    assert len(limited) <= total // 50, "%d calls could not be rerun:\n%s" % (len(limited), "\n".join(limited[:10]))


if __name__ == "__main__":
    import sys
    f, nat, comp, tot = run_fuzz(int(sys.argv[1]) if len(sys.argv) > 1 else SEED,
                                 int(sys.argv[2]) if len(sys.argv) > 2 else COUNT)
    print("\n\n".join(f))
    print("programs %d compiled %d native %d mismatching %d" % (tot, comp, nat, len(f)))


# ---- hand-written adversarial cases -------------------------------------------------------------

import inspect  # noqa: E402

import pytest  # noqa: E402

import native_list_adversarial as adv  # noqa: E402

ADV = [(name, fn) for name, fn in vars(adv).items()
       if inspect.isfunction(fn) and fn.__module__ == adv.__name__ and name not in adv.LIMITS]


def adv_args(name, fn):
    if name in adv.ARGS:
        return adv.ARGS[name]
    return [()] if not inspect.signature(fn).parameters else [(3,)]


@pytest.mark.parametrize("name,fn", ADV, ids=[n for n, _ in ADV])
def test_native_list_adversarial(name, fn, capsys):
    jf = pyvorin.jit(fn)
    bad = []
    for args in adv_args(name, fn):
        expected, got, eo, go, ea, ga = call_both(fn, jf, args, capsys)
        d = outcome_diff(expected, got, ea, ga)
        if d is None and eo != go:
            d = "printed %r, CPython printed %r" % (go[:300], eo[:300])
        if d:
            bad.append("%s%s: %s" % (name, short(args), d))
    assert not bad, "\n".join(bad) + ("" if jf.stats["native_calls"] else "\n(ran in CPython: %s)" % why_not_native(jf))


# ---- cases that crash the process (run in a subprocess) ---------------------------------------

import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402

CRASHERS = {
    # a list display reading the variable it is assigned to, before any assignment:
    # CPython raises UnboundLocalError; compiled code hit SIGTRAP / SIGSEGV (an earlier build
    # raised SystemError('')). Not specific to native lists: `t = (t, 1)` does it too.
    "unbound_self_list": "def f(n):\n    xs = [len(xs)] * 2\n    return n\n",
    "unbound_self_list_native_other": "def f(n):\n    ys = [n]\n    xs = [len(xs)]\n    return ys\n",
    "unbound_self_tuple": "def f(n):\n    t = (t, 1)\n    return n\n",
}


@pytest.mark.parametrize("name", sorted(CRASHERS))
def test_native_list_crasher(name, tmp_path):
    (tmp_path / "crash_mod.py").write_text(CRASHERS[name])
    script = textwrap.dedent("""
        import sys
        sys.path.insert(0, %r)
        import pyvorin, crash_mod
        jf = pyvorin.jit(crash_mod.f)
        try:
            crash_mod.f(3)
        except Exception as e:
            want = (type(e), str(e))
        try:
            jf(3)
            got = None
        except Exception as e:
            got = (type(e), str(e))
        print("want", want, "got", got)
        sys.exit(0 if got == want else 1)
    """ % str(tmp_path))
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ))
    assert p.returncode == 0, "exit code %d: %s %s" % (p.returncode, p.stdout[-500:], p.stderr[-500:])
