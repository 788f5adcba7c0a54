"""Random-program fuzzer for native local dicts and sets (compiler/src/native.cpp,
lower_tables.cpp, runtime/tables.cpp).

A seeded generator writes small functions that build local dicts (`d`, `e`) and sets (`s`, `t`)
keyed by int, bool, (int, int) or (int, bool) tuples (displays and tuple variables), with int,
float or bool dict values, and mixes the native operations (d[k] reads with missing keys,
d[k] = v, d[k] += v, del d[k], d.get, in / not in, len, truth tests, add / discard / remove) with
reads through a materialised copy (print, sorted, loops whose body does not mention the container,
==) and hand-overs (return, out.append(d), e = d, d.items()), loops whose body changes the dict
(CPython's RuntimeError), delete + re-insert, True vs 1, keys near 2**63, NaN / -0.0 values, int
overflow in values, early returns, break / continue. Every program runs in CPython and compiled on
a few inputs; any difference in value, types, dict / set iteration order, exception and message,
stdout, argument mutation or aliasing fails the test. It also checks that a fair share of the
programs really kept a table native.

PYVORIN_FUZZ_SEED / PYVORIN_FUZZ_COUNT change the seed and the number of programs.
PYVORIN_FUZZ_AVOID=tag,tag leaves out generator features (see KNOWN) to look past known bugs.
"""
import os
import random

import pyvorin
from container_testutil import call_both, outcome_diff, run_programs, short, why_not_native

SEED = int(os.environ.get("PYVORIN_FUZZ_SEED", "20261202"))
COUNT = int(os.environ.get("PYVORIN_FUZZ_COUNT", "300"))
AVOID = set(filter(None, os.environ.get("PYVORIN_FUZZ_AVOID", "").split(",")))

# Generator features that hit the bugs found so far:
#  constset - a set display of three or more constants (`s = {1, 17, 2, 3, 4}`): CPython builds
#             it as BUILD_SET 0 + SET_UPDATE(frozenset constant), whose table (size, hence
#             iteration order) differs from the one the materialised copy gets by adding the
#             items one by one
KNOWN = ("constset",)

KEYS = ("int", "bool", "tup", "tupb")
VALUES = ("int", "float", "bool")
BIG = "9223372036854775807"
SMALL = "(-9223372036854775807 - 1)"
INT_CONSTS = [0, 1, -1, 2, 3, 7, 8, 16, 17, 24, 32, -5, BIG, SMALL, 4611686018427387904]


class Gen:
    def __init__(self, rng, key, value):
        self.r = rng
        self.key = key
        self.value = value
        self.lines = []
        self.loopvars = []   # int loop variables in scope
        self.keyvars = []    # key-typed loop variables in scope
        self.in_loop = 0
        self.budget = 0
        self.tags = set()

    def ok(self, tag):
        return tag not in AVOID

    def emit(self, ind, line):
        self.lines.append("    " * ind + line)

    # ---- expressions -------------------------------------------------------------------
    def int_expr(self):
        r = self.r
        c = r.randrange(8)
        if c == 0:
            return str(r.choice(INT_CONSTS))
        if c == 1:
            return "n"
        if c == 2:
            return "a"
        if c == 3:
            return "b"
        if c == 4 and self.loopvars:
            return r.choice(self.loopvars)
        if c == 5:
            return "n %% %d" % r.randint(2, 5)
        if c == 6:
            return "-n"
        return str(r.randint(-3, 20))

    def bool_expr(self):
        r = self.r
        return r.choice(["True", "False", "n > 1", "a == b", "n % 2 == 0", "not n", "a < 0",
                         "(%s) > 3" % self.int_expr()])

    def key_expr(self):
        r = self.r
        if self.keyvars and r.random() < 0.25:
            return r.choice(self.keyvars)
        if self.key == "int":
            return self.int_expr()
        if self.key == "bool":
            return self.bool_expr()
        if r.random() < 0.3:
            return "p"   # a tuple variable
        if self.key == "tup":
            return "(%s, %s)" % (self.int_expr(), self.int_expr())
        return "(%s, %s)" % (self.int_expr(), self.bool_expr())

    def const_key(self):
        r = self.r
        if self.key == "int":
            return str(r.choice(INT_CONSTS))
        if self.key == "bool":
            return r.choice(["True", "False"])
        if self.key == "tup":
            return "(%s, %d)" % (r.choice(INT_CONSTS), r.randint(-2, 9))
        return "(%s, %s)" % (r.choice(INT_CONSTS), r.choice(["True", "False"]))

    def val_expr(self, dv="d"):
        r = self.r
        c = r.randrange(7)
        if dv is None and c in (1, 2):   # a display's value: no read of the variable being assigned
            c = 0
        if self.value == "int":
            if c == 0:
                return str(r.choice([0, 1, -1, "4611686018427387904", SMALL, BIG, 5]))
            if c == 1:
                return "%s.get(%s, %s)" % (dv, self.key_expr(), self.int_expr())
            if c == 2:
                return "len(%s)" % dv
            if c == 3:
                return "a * b"
            return self.int_expr()
        if self.value == "float":
            if c == 0:
                return r.choice(["0.5", "-0.0", "2.5", "1e308", "-1.5"])
            if c == 1:
                return "%s.get(%s, %s)" % (dv, self.key_expr(), r.choice(["x", "0.25", "-0.0"]))
            if c == 2:
                return "x * 2.0"
            if c == 3:
                return "-x"
            return "x"
        if c == 1:
            return "%s.get(%s, %s)" % (dv, self.key_expr(), self.bool_expr())
        if c == 2:
            return "not %s.get(%s, False)" % (dv, self.key_expr())
        return self.bool_expr()

    def acc_term(self, v):
        # a number added to acc (acc is an int, or a float for float values)
        if self.value == "bool":
            return "int(%s)" % v
        return v

    def fresh_dict(self):
        r = self.r
        c = r.randrange(4)
        if c == 0:
            return "{}"
        if c == 1:
            return "dict()"
        items = ", ".join("%s: %s" % (self.key_expr() if r.random() < 0.5 else self.const_key(), self.val_expr(None))
                          for _ in range(r.randint(1, 4)))
        return "{%s}" % items

    def fresh_set(self):
        r = self.r
        c = r.randrange(4)
        if c == 0:
            return "set()"
        if c == 1 and self.ok("constset"):
            self.tags.add("constset")
            return "{%s}" % ", ".join(self.const_key() for _ in range(r.randint(3, 7)))
        items = ", ".join(self.key_expr() for _ in range(r.randint(1, 5)))
        return "{%s}" % items

    # ---- statements ----------------------------------------------------------------------
    def block(self, ind, lo=1, hi=3):
        for _ in range(self.r.randint(lo, hi)):
            self.stmt(ind)

    def stmt(self, ind):
        r = self.r
        self.budget -= 1
        deep = ind >= 3 or self.budget <= 0
        c = r.randrange(40)
        dv = r.choice(["d", "d", "e"])
        sv = r.choice(["s", "s", "t"])
        K, V = self.key_expr, self.val_expr
        if c == 0:
            self.emit(ind, "%s[%s] = %s" % (dv, K(), V(dv)))
        elif c == 1:
            self.emit(ind, "%s[%s] = %s" % (dv, K(), V(dv)))
        elif c == 2 and self.value != "bool":
            self.emit(ind, "%s[%s] += %s" % (dv, K(), V(dv)))
        elif c == 3:
            k = K()
            self.emit(ind, "if %s in %s:" % (k, dv))
            self.emit(ind + 1, "del %s[%s]" % (dv, k))
        elif c == 4:
            self.emit(ind, "del %s[%s]" % (dv, K()))  # may raise KeyError
        elif c == 5:
            self.emit(ind, "acc = acc + %s" % self.acc_term("%s[%s]" % (dv, K())))  # may raise KeyError
        elif c == 6:
            self.emit(ind, "acc = acc + %s" % self.acc_term("%s.get(%s, %s)" % (dv, K(), V(dv))))
        elif c == 7:
            self.emit(ind, "if %s %s %s:" % (K(), r.choice(["in", "not in"]), r.choice([dv, sv])))
            if deep:
                self.emit(ind + 1, "steps += 1")
            else:
                self.block(ind + 1, 1, 2)
        elif c == 8:
            self.emit(ind, "steps = steps + len(%s) + len(%s)" % (dv, sv))
        elif c == 9:
            self.emit(ind, "if %s%s:" % (r.choice(["", "not "]), r.choice([dv, sv])))
            self.emit(ind + 1, r.choice(["steps += 1", "%s.add(%s)" % (sv, K()), "%s[%s] = %s" % (dv, K(), V(dv))]))
        elif c == 10:
            self.emit(ind, "%s.add(%s)" % (sv, K()))
        elif c == 11:
            self.emit(ind, "%s.add(%s)" % (sv, K()))
        elif c == 12:
            self.emit(ind, "%s.discard(%s)" % (sv, K()))
        elif c == 13:
            self.emit(ind, "%s.remove(%s)" % (sv, K()))  # may raise KeyError
        elif c == 14 and not deep:
            # loop over a container, body not mentioning it: a materialised copy
            cv = r.choice([dv, sv])
            kv = "k%d" % ind
            self.emit(ind, "for %s in %s:" % (kv, cv))
            self.keyvars.append(kv)
            self.in_loop += 1
            self.emit(ind + 1, "kk.append(%s)" % kv)
            if r.random() < 0.5:
                other = "e" if cv == "d" else "d" if cv in ("e",) else ("t" if cv == "s" else "s")
                if other in ("d", "e"):
                    self.emit(ind + 1, "%s[%s] = %s" % (other, kv, V(other)))
                else:
                    self.emit(ind + 1, "%s.add(%s)" % (other, kv))
            if r.random() < 0.3:
                self.emit(ind + 1, "if steps > %d:" % r.randint(0, 3))
                self.emit(ind + 2, r.choice(["break", "continue"]))
            self.emit(ind + 1, "steps += 1")
            self.in_loop -= 1
            self.keyvars.pop()
        elif c == 15 and not deep:
            # loop over a dict whose body reads / changes it (CPython dict; RuntimeError)
            kv = "k%d" % ind
            self.emit(ind, "for %s in %s:" % (kv, dv))
            self.keyvars.append(kv)
            self.emit(ind + 1, "acc = acc + %s" % self.acc_term("%s[%s]" % (dv, kv)))
            if r.random() < 0.4:
                self.emit(ind + 1, "%s[%s] = %s" % (dv, K(), V(dv)))
                self.emit(ind + 1, "break" if r.random() < 0.5 else "steps += 1")
            self.keyvars.pop()
        elif c == 16:
            if self.value == "bool":
                self.emit(ind, "for kv, vv in %s.items():" % dv)
                self.emit(ind + 1, "acc = acc + int(vv)")
            else:
                self.emit(ind, "for vv in %s.values():" % dv)
                self.emit(ind + 1, "acc = acc + vv")
            self.emit(ind, "%s = %s" % (dv, self.fresh_dict()))
        elif c == 17:
            self.emit(ind, "print(%s)" % r.choice([dv, sv, "sorted(%s)" % dv, "sorted(%s)" % sv, "len(%s), %s" % (dv, dv),
                                                    "%s, %s" % (sv, dv)]))
        elif c == 18:
            cv = r.choice([dv, sv])
            self.emit(ind, "%s.append(%s)" % ("outd" if cv in ("d", "e") else "outs", cv))
            self.emit(ind, "%s = %s" % (cv, self.fresh_dict() if cv in ("d", "e") else self.fresh_set()))
        elif c == 19:
            # aliasing: the new name is a CPython object from here
            if r.random() < 0.5:
                self.emit(ind, "e = d")
                self.emit(ind, "e[%s] = %s" % (K(), V("e")))
            else:
                self.emit(ind, "t = s")
                self.emit(ind, "t.add(%s)" % K())
        elif c == 20:
            self.emit(ind, "%s = %s" % (dv, self.fresh_dict()))
        elif c == 21:
            self.emit(ind, "%s = %s" % (sv, self.fresh_set()))
        elif c == 22 and not deep:
            lv = "i%d" % ind
            self.emit(ind, "for %s in range(%s):" % (lv, r.choice(["n", "n + 2", "3", "len(d) + 1"])))
            self.loopvars.append(lv)
            self.in_loop += 1
            self.block(ind + 1, 1, 3)
            if r.random() < 0.3:
                self.emit(ind + 1, "if %s:" % self.bool_expr())
                self.emit(ind + 2, r.choice(["break", "continue"]))
            self.in_loop -= 1
            self.loopvars.pop()
        elif c == 23 and not deep:
            self.emit(ind, "if %s:" % self.bool_expr())
            self.block(ind + 1, 1, 2)
            if r.random() < 0.5:
                self.emit(ind, "else:")
                self.block(ind + 1, 1, 2)
        elif c == 24 and not deep:
            self.emit(ind, "if %s:" % self.bool_expr())
            self.emit(ind + 1, "return %s" % self.ret_value())
        elif c == 25 and self.in_loop:
            self.emit(ind, "if %s:" % self.bool_expr())
            self.emit(ind + 1, r.choice(["break", "continue"]))
        elif c == 26:
            # delete then re-insert: goes to the end in CPython's dict
            k = K()
            self.emit(ind, "%s[%s] = %s" % (dv, k, V(dv)))
            self.emit(ind, "del %s[%s]" % (dv, k))
            self.emit(ind, "%s[%s] = %s" % (dv, k, V(dv)))
        elif c == 27 and self.key == "int":
            # True vs 1: a bool key on an int-keyed dict or set
            self.emit(ind, "%s[%s] = %s" % (dv, r.choice(["True", "False"]), V(dv)))
        elif c == 28 and self.key == "int":
            self.emit(ind, "%s.add(%s)" % (sv, r.choice(["True", "False"])))
        elif c == 29:
            self.emit(ind, "acc = acc + %s" % self.acc_term("%s.get(%s, %s)" % (dv, K(), V(dv))))
        elif c == 30:
            self.emit(ind, "steps = steps + (%s == %s) + (%s == %s)" % (dv, r.choice(["e", "d", "{}"]), sv,
                                                                       r.choice(["t", "s", "set()"])))
        elif c == 31 and self.key == "int":
            self.emit(ind, "w = 0")
            self.emit(ind, "while len(%s) < n + 2 and w < 6:" % dv)
            self.emit(ind + 1, "w += 1")
            self.emit(ind + 1, "%s[len(%s) * %d] = %s" % (dv, dv, r.choice([1, 8, 16, -1]), V(dv)))
        elif c == 32:
            self.emit(ind, "outk.append(sorted(%s))" % r.choice([dv, sv]))
        elif c == 33 and not deep:
            self.emit(ind, "for k%d in sorted(%s):" % (ind, sv))
            self.keyvars.append("k%d" % ind)
            self.emit(ind + 1, "%s.discard(k%d)" % (sv, ind))
            self.emit(ind + 1, "%s[k%d] = %s" % (dv, ind, V(dv)))
            self.keyvars.pop()
        elif c == 34:
            self.emit(ind, "outl.append(list(%s.%s()))" % (dv, r.choice(["items", "keys", "values"])))
            self.emit(ind, "%s = %s" % (dv, self.fresh_dict()))
        elif c == 35:
            self.emit(ind, "%s[%s] = %s[%s]" % (dv, K(), dv, K()))   # value read first: KeyError order
        elif c == 36 and self.value == "int":
            self.emit(ind, "%s[%s] += 1 // n" % (dv, K()))   # KeyError before ZeroDivisionError
        elif c == 37:
            self.emit(ind, "for k%d in %s:" % (ind, sv))
            self.emit(ind + 1, "%s.add(k%d)" % (sv, ind))   # no size change: CPython does not raise
            self.emit(ind + 1, "steps += 1")
        elif c == 38:
            self.emit(ind, "for k%d in %s:" % (ind, sv))
            self.emit(ind + 1, "%s.add(%s)" % (sv, K()))    # may change size: RuntimeError
        else:
            self.emit(ind, "%s[%s] = %s" % (dv, K(), V(dv)))

    def ret_value(self):
        c = self.ret_shape
        if c == 0:
            return "d"
        if c == 1:
            return "s"
        if c == 2:
            return "acc, d, s"
        if c == 3:
            return "list(d.items()), sorted(s), steps"
        if c == 4:
            return "d, len(d), s, len(s)"
        return "acc, steps, d, e, s, t, outd, outs, outl, outk, kk"

    def program(self, name):
        r = self.r
        self.budget = r.randint(4, 10)
        self.ret_shape = r.randrange(6)
        acc0 = "0.0" if self.value == "float" else "0"
        ptup = {"int": "n", "bool": "n > 0", "tup": "(a, n)", "tupb": "(n, a > 0)"}[self.key]
        self.lines = ["def %s(n, a, b, x):" % name, "    outd = []", "    outs = []", "    outl = []", "    outk = []", "    kk = []", "    acc = %s" % acc0,
                      "    steps = 0", "    p = %s" % ptup]
        self.lines += ["    d = %s" % self.fresh_dict(), "    e = %s" % self.fresh_dict(),
                       "    s = %s" % self.fresh_set(), "    t = %s" % self.fresh_set()]
        for _ in range(r.randint(3, 7)):
            if self.budget <= 0:
                break
            self.stmt(1)
        self.emit(1, "return %s" % self.ret_value())
        return "\n".join(self.lines) + "\n"


def inputs(rng, value):
    if value == "float":
        xs = [0.5, -0.0, float("nan"), float("inf"), -3.5]
    elif value == "bool":
        xs = [True, False]
    else:
        xs = [0, 7, -1, 2 ** 62]
    ab = [0, 1, -1, 5, 16, 2 ** 62, 2 ** 63 - 1, -2 ** 63]
    out = []
    for n in (0, 1, 2, 4):
        out.append((n, rng.choice(ab), rng.choice(ab), rng.choice(xs)))
    return out


def generate(seed=SEED, count=COUNT):
    rng = random.Random(seed)
    progs = []
    for k in range(count):
        key = KEYS[k % 4]
        value = VALUES[(k // 4) % 3]
        name = "tf%d_%s_%s" % (k, key, value)
        g = Gen(rng, key, value)
        progs.append((name, g.program(name), inputs(rng, value)))
    return progs


def native_names(jf):
    return [v["name"] for v in jf.report.get("variables") or []
            if v["representation"].startswith("native hash table")]


limited = []  # calls that hit the documented limit, by the last run_fuzz


def run_fuzz(seed=SEED, count=COUNT):
    progs = generate(seed, count)
    failures, native, compiled, hit = run_programs(progs, "native_table_fuzz_%d" % seed, native_names)
    limited[:] = hit
    return failures, native, compiled, len(progs)


def test_native_table_fuzz():
    failures, native, compiled, total = run_fuzz()
    print("fuzz: %d programs, %d compiled, %d with a native table" % (total, compiled, native))
    assert not failures, "%d of %d programs differ from CPython:\n\n%s" % (
        len(failures), total, "\n\n".join(failures[:15]))
    assert native >= total // 4, "only %d of %d programs kept a table native" % (native, total)
    assert len(limited) <= total // 20, "%d calls could not be rerun:\n%s" % (len(limited), "\n".join(limited[:10]))


if __name__ == "__main__":
    import sys
    f, nat, comp, tot = run_fuzz(int(sys.argv[1]) if len(sys.argv) > 1 else SEED,
                                 int(sys.argv[2]) if len(sys.argv) > 2 else COUNT)
    print("\n\n".join(f))
    print("programs %d compiled %d native %d mismatching %d limited %d" % (tot, comp, nat, len(f), len(limited)))


# ---- hand-written adversarial cases -------------------------------------------------------------

import inspect  # noqa: E402
import tracemalloc  # noqa: E402

import pytest  # noqa: E402

import native_table_adversarial as adv  # noqa: E402

ADV = [(name, fn) for name, fn in vars(adv).items()
       if inspect.isfunction(fn) and fn.__module__ == adv.__name__ and name not in adv.LIMITS]


@pytest.mark.parametrize("name,fn", ADV, ids=[n for n, _ in ADV])
def test_native_table_adversarial(name, fn, capsys):
    jf = pyvorin.jit(fn)
    bad = []
    argsets = adv.ARGS.get(name) or ([()] if not inspect.signature(fn).parameters else [(1,), (0,), (-1,), (3,)])
    for args in argsets:
        expected, got, eo, go, ea, ga = call_both(fn, jf, args, capsys)
        d = outcome_diff(expected, got, ea, ga)
        if d is None and eo != go:
            d = "printed %r, CPython printed %r" % (go[:300], eo[:300])
        if d:
            bad.append("%s%s: %s" % (name, short(args), d))
    assert not bad, "\n".join(bad) + ("" if jf.stats["native_calls"] else "\n(ran in CPython: %s)" % why_not_native(jf))


def test_native_table_no_leak_on_keyerror():
    jf = pyvorin.jit(adv.leak_one)

    def go(k):
        for _ in range(k):
            with pytest.raises(KeyError, match=r"\(-1, 3\)"):
                jf(3)
    go(50)
    assert jf.stats["native_calls"]
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        go(1000)
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert grown < 100000, "%d bytes kept after 1000 calls that raised with two 1000-key tables" % grown
