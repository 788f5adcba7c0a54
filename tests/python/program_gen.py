"""Random programs from the compiled subset, for test_fuzz.py: a few @pyvorin.jit functions that
call each other (the last one is the entry), built from ints, floats and bools, arithmetic
(// % ** << >> & | ^ included), comparisons, and/or/not, if/else, while and for-range loops,
bounded recursion, math functions, print, early returns, augmented assignment, variables that
are unbound on some paths, and now and then mixed types (which must fall back, never crash).

Each program is rendered twice: as the source to compile, and as an instrumented plain-Python
twin whose float operations record whether both operands were NaN (the one case where the NaN
sign is unspecified, docs/supported-subset.md). Everything is drawn from one random.Random, so a
program is reproducible from its seed alone.

Constructs that once hid defects have switches in SWITCHES, all on now that those defects are
fixed; PYVORIN_FUZZ_DISABLE=name,name (or "all") leaves them out, e.g. to bisect a new finding."""
import math
import os
import random

INT64_MIN = -2**63
INT64_MAX = 2**63 - 1

# Constructs behind defects found (and fixed) in issue 6; False = the generator avoids them.
SWITCHES = {
    # NaN signs through constant folding and fneg rewriting: -x of floats is generated, and the
    # sign of a NaN result must match CPython also when the NaN was made from non-NaN operands
    # (0.0 * inf, folded to +nan) or went through x * -1 or x / -1 (rewritten as fneg)
    "nan_sign_folding": True,
    # float('...') of a string literal (parsing of unusual spellings)
    "float_str_literals": True,
    # NUL characters and lone surrogates in printed string literals
    "exotic_strings": True,
    # round(x, n) with a negative n
    "round_negative_ndigits": True,
    # a ** 0.5 (a fractional exponent) with a possibly negative a, in a program that prints
    "pow_fractional_after_print": True,
    # print(..., end="")
    "print_end_empty": True,
}


def switches_from_env():
    sw = dict(SWITCHES)
    for var, value in (("PYVORIN_FUZZ_DISABLE", False), ("PYVORIN_FUZZ_ENABLE", True)):
        for name in filter(None, (n.strip() for n in os.environ.get(var, "").split(","))):
            if name == "all":
                sw = {k: value for k in sw}
            elif name in sw:
                sw[name] = value
            else:
                raise ValueError("unknown %s switch %r (known: %s)" % (var, name, ", ".join(sw)))
    return sw


TYPES = ("int", "float", "bool")
INT_EDGES = [0, 1, -1, 2, -2, 3, 7, -7, 10, 63, 64, 2**31, -2**31, 2**53 + 1, INT64_MAX, INT64_MIN,
             INT64_MAX - 1, INT64_MIN + 1]
FLOAT_EDGES = [0.0, -0.0, 1.0, -1.0, 0.5, -2.5, 3.0, 1e308, -1e308, 5e-324, -5e-324, 2.0**53,
               float("inf"), float("-inf"), float("nan"), -float("nan"), 1e-300, 123.456]
INT_CONSTS = ["0", "1", "2", "3", "5", "7", "10", "(-1)", "(-2)", "(-3)", "64", "1000",
              "4611686018427387904", "9223372036854775807", "(-9223372036854775807)"]
FLOAT_CONSTS = ["0.0", "(-0.0)", "0.5", "1.0", "(-1.5)", "2.5", "3.0", "1e+300", "(-1e+300)",
                "1e-300", "5e-324", "math.pi", "math.e", "math.inf", "(-math.inf)", "math.nan"]
MATH1 = ["sqrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp",
         "expm1", "log", "log2", "log10", "log1p", "fabs", "degrees", "radians",
         "erf", "erfc", "asinh", "acosh", "atanh", "cbrt", "exp2"]
MATH2 = ["pow", "hypot", "atan2", "copysign", "fmod", "log"]
STRINGS = ["'x'", "'='", "'sum:'", "''", "'a b'", "'é'", "'\\t'", "'line\\nbreak'"]
EXOTIC = ["'\\x00'", "'a\\x00b'", "'\\ud800'", "'\\udfff'"]

# The instrumented twin's helpers: each float binary operation and two-argument math function
# notes whether both operands were NaN, then computes exactly what the plain expression would.
HELPERS = '''
import math
import operator

BOTH_NAN = [False]   # an operation had two NaN operands (its NaN sign is unspecified)
FRESH_NAN = [False]  # an operation made a NaN from non-NaN operands (inf - inf, 0.0 * inf)
NAN_BY_MINUS_ONE = [False]  # NaN * -1 or NaN / -1 (LLVM may rewrite it as fneg, flipping the sign)
BIG_INT = [False]    # a value was an int beyond int64
COMPLEX = [False]    # a value was complex ((-8.0) ** 0.5)
_OPS = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
        "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "<<": operator.lshift,
        ">>": operator.rshift, "&": operator.and_, "|": operator.or_, "^": operator.xor}


def _nan(x):
    return isinstance(x, float) and x != x


def _pv_chk(v):
    if isinstance(v, int) and not -2**63 <= v < 2**63:
        BIG_INT[0] = True
    if isinstance(v, complex):
        COMPLEX[0] = True
    return v


def _pv_bin(op, a, b):
    if _nan(a) and _nan(b):
        BOTH_NAN[0] = True
    r = _OPS[op](a, b)
    if _nan(r) and not _nan(a) and not _nan(b):
        FRESH_NAN[0] = True
    if op in ("*", "/") and ((_nan(a) and b == -1) or (op == "*" and _nan(b) and a == -1)):
        NAN_BY_MINUS_ONE[0] = True
    return _pv_chk(r)


def _pv_math2(name, a, b):
    if _nan(a) and _nan(b):
        BOTH_NAN[0] = True
    return getattr(math, name)(a, b)
'''


class Program:
    def __init__(self, source, twin, fns):
        self.source = source      # the module to compile (functions decorated with pyvorin.jit)
        self.twin = twin          # plain Python, every operation and call instrumented
        self.fns = fns            # the functions (Fn); the last is the entry


class Fn:
    def __init__(self, name, params, ret, recursive):
        self.name, self.params, self.ret, self.recursive = name, params, ret, recursive
        self.heavy = False  # loops, recursion, or calls something heavy: not called in loops


class Generator:
    def __init__(self, rng, switches=None):
        self.r = rng
        self.sw = switches if switches is not None else dict(SWITCHES)
        self.fns = []
        self.entry_fn = None

    # ---- helpers ----
    def chance(self, p):
        return self.r.random() < p

    def pick(self, seq):
        return seq[self.r.randrange(len(seq))]

    # ---- expressions: each returns (plain text, instrumented text) ----
    def const(self, t):
        if t == "int":
            c = self.pick(INT_CONSTS) if self.chance(0.5) else str(self.r.randint(0, 20))
        elif t == "float":
            c = self.pick(FLOAT_CONSTS) if self.chance(0.6) else repr(round(self.r.uniform(-50, 50), 3))
            if c.startswith("-"):
                c = "(%s)" % c
        else:
            c = self.pick(["True", "False"])
        return c, c

    def var(self, t, allow_maybe=True):
        names = [n for n, ty in self.env.items() if ty == t and n in self.bound]
        maybe = [n for n, ty in self.env.items() if ty == t and n not in self.bound]
        if maybe and allow_maybe and self.chance(0.08):
            return self.pick(maybe)
        return self.pick(names) if names else None

    def expr(self, t, depth):
        if depth <= 0 or self.chance(0.25):
            v = self.var(t)
            if v is not None and self.chance(0.7):
                return v, v
            return self.const(t)
        if self.chance(0.03):  # a deliberately mixed type: must fall back or compile exactly
            t = self.pick(TYPES)
        kind = self.r.random()
        if kind < 0.08:
            return self.ifexp(t, depth)
        if kind < 0.14:
            return self.boolop_value(t, depth)
        if kind < 0.22 and self.callable_fns(t):
            return self.call_fn(t, depth)
        if kind < 0.25:  # (v := e) into a variable of the same type
            names = [n for n, ty in self.env.items() if ty == t and n in self.bound and not n.startswith(("k", "i"))]
            if names:
                name, e = self.pick(names), self.expr(t, depth - 1)
                return "(%s := %s)" % (name, e[0]), "(%s := %s)" % (name, e[1])
        if t == "int":
            return self.int_expr(depth)
        if t == "float":
            return self.float_expr(depth)
        return self.bool_expr(depth)

    def numeric(self, depth):
        return self.expr(self.pick(["int", "int", "float", "bool"]), depth)

    def binop(self, op, a, b):
        return "(%s %s %s)" % (a[0], op, b[0]), "_pv_bin(%r, %s, %s)" % (op, a[1], b[1])

    def unary(self, op, a):
        return "(%s%s)" % (op, a[0]), "_pv_chk(%s%s)" % (op, a[1])

    def call(self, name, args):
        return "%s(%s)" % (name, ", ".join(a[0] for a in args)), "_pv_chk(%s(%s))" % (name, ", ".join(a[1] for a in args))

    def int_expr(self, depth):
        d = depth - 1
        k = self.r.random()
        if k < 0.45:
            op = self.pick(["+", "-", "*", "//", "%", "+", "-", "*"])
            a, b = self.expr(self.pick(["int", "int", "bool"]), d), self.expr("int", d)
            return self.binop(op, a, self.small(b) if op == "*" else b)
        if k < 0.52:  # ** with a small exponent (a variable one may be negative: CPython's float)
            if self.chance(0.7):
                e = (str(self.r.randint(0, 4)),) * 2
            else:
                e = self.binop("%", self.expr("int", d), ("5", "5"))
                if self.chance(0.3):
                    e = self.binop("-", e, ("2", "2"))
            return self.binop("**", self.small(self.expr("int", d)), e)
        if k < 0.58:  # shifts: counts kept small (1 << 2**62 would take CPython forever)
            cnt = (str(self.r.randint(-1, 70)),) * 2 if self.chance(0.6) else self.binop("%", self.expr("int", d), ("70", "70"))
            if cnt[0].startswith("-"):
                cnt = ("(%s)" % cnt[0],) * 2
            return self.binop(self.pick(["<<", ">>"]), self.expr("int", d), cnt)
        if k < 0.64:
            return self.binop(self.pick(["&", "|", "^"]), self.expr(self.pick(["int", "bool"]), d), self.expr("int", d))
        if k < 0.70:
            return self.unary(self.pick(["-", "~", "+"]), self.expr(self.pick(["int", "bool"]), d))
        if k < 0.78:
            f = self.pick(["int", "round", "math.floor", "math.ceil", "math.trunc"])
            return self.call(f, [self.expr("float", d)])
        if k < 0.84:
            f = self.pick(["abs", "min", "max", "math.isqrt", "int"])
            if f in ("min", "max"):
                return self.call(f, [self.expr("int", d) for _ in range(self.r.randint(2, 3))])
            return self.call(f, [self.expr(self.pick(["int", "bool"]), d)])
        if k < 0.90 and self.fn.recursive and self.self_calls < 2 and self.loops == 0 and self.fn.ret == "int":
            return self.self_call(d)
        return self.binop(self.pick(["+", "-"]), self.expr("int", d), self.expr("int", d))

    def float_expr(self, depth):
        d = depth - 1
        k = self.r.random()
        if k < 0.45:
            op = self.pick(["+", "-", "*", "/", "//", "%", "/", "*"])
            a, b = self.expr("float", d), self.expr(self.pick(["int", "float", "bool"]), d)
            if self.chance(0.5):
                a, b = b, a
            if op == "/" and self.chance(0.5):
                b = self.expr(self.pick(["int", "float"]), d)
            return self.binop(op, a, self.small(b) if op == "*" else b)  # a "float" may be an int
        if k < 0.52:
            base = self.expr(self.pick(["float", "int"]), d)
            # float(): should the operand be an int after all (an int argument for a float
            # parameter), int ** int could take CPython forever
            exp = self.call("float", [self.expr("float", d)]) if self.chance(0.3) else \
                self.pick([("2.0", "2.0"), ("0.5", "0.5"), ("(-1)", "(-1)"), ("3", "3")])
            if not self.sw["pow_fractional_after_print"] and exp[0] not in ("2.0", "(-1)", "3"):
                base = self.call("abs", [base])
            return self.binop("**", self.small(base) if exp[0] == "3" else base, exp)
        if k < 0.58:
            if not self.sw["nan_sign_folding"]:
                return self.binop("*", self.expr("float", d), ("2.0", "2.0"))
            return self.unary("-", self.expr("float", d))
        if k < 0.72:
            return self.call("math." + self.pick(MATH1), [self.expr(self.pick(["float", "int"]), d)])
        if k < 0.78:
            name = self.pick(MATH2)
            a, b = self.expr("float", d), self.expr(self.pick(["float", "int"]), d)
            plain = "math.%s(%s, %s)" % (name, a[0], b[0])
            return plain, "_pv_math2(%r, %s, %s)" % (name, a[1], b[1])
        if k < 0.86:
            f = self.pick(["abs", "float", "min", "max", "round"])
            if f in ("min", "max"):
                return self.call(f, [self.expr("float", d) for _ in range(self.r.randint(2, 3))])
            if f == "round":
                lo = -3 if self.sw["round_negative_ndigits"] else 0
                return self.call("round", [self.expr("float", d), (str(self.r.randint(lo, 4)),) * 2])
            return self.call(f, [self.expr("float" if f == "abs" else self.pick(["int", "bool", "float"]), d)])
        if k < 0.90 and self.sw["float_str_literals"]:
            s = self.pick(["'inf'", "'-inf'", "'nan'", "'-nan'", "' 1.5 '", "'1e5'", "'-0.0'", "'Infinity'",
                           "'1e400'", "'nan(1)'", "'1e'", "'+.5'", "'- 1'", "'infinit'", "'.'"])
            return "float(%s)" % s, "float(%s)" % s
        if k < 0.94 and self.fn.recursive and self.self_calls < 2 and self.loops == 0 and self.fn.ret == "float":
            return self.self_call(d)
        return self.binop("+", self.expr("float", d), self.expr("float", d))

    def bool_expr(self, depth):
        d = depth - 1
        k = self.r.random()
        if k < 0.45:
            n = 2 if self.chance(0.8) else 3
            ops = [self.pick(["<", "<=", ">", ">=", "==", "!="]) for _ in range(n - 1)]
            xs = [self.numeric(d) for _ in range(n)]
            plain = xs[0][0] + "".join(" %s %s" % (o, x[0]) for o, x in zip(ops, xs[1:]))
            twin = xs[0][1] + "".join(" %s %s" % (o, x[1]) for o, x in zip(ops, xs[1:]))
            return "(%s)" % plain, "(%s)" % twin
        if k < 0.60:
            a = self.expr(self.pick(TYPES), d)
            return "(not %s)" % a[0], "(not %s)" % a[1]
        if k < 0.72:
            return self.call("math." + self.pick(["isnan", "isinf", "isfinite"]), [self.expr("float", d)])
        if k < 0.80:
            return self.call("bool", [self.numeric(d)])
        if k < 0.88:
            return self.binop(self.pick(["&", "|", "^"]), self.expr("bool", d), self.expr("bool", d))
        return self.boolop_value("bool", depth)

    def small(self, e):
        """Repeated multiplication must not square a growing int (CPython would work forever):
        in loops and in helpers (which may be called in loops) one factor is kept small."""
        if self.loops == 0 and self.fn is self.entry_fn:
            return e
        return self.binop("%", e, ("1000", "1000"))

    def ifexp(self, t, depth):
        c = self.cond(depth - 1)
        a, b = self.expr(t, depth - 1), self.expr(t, depth - 1)
        return "(%s if %s else %s)" % (a[0], c[0], b[0]), "(%s if %s else %s)" % (a[1], c[1], b[1])

    def boolop_value(self, t, depth):
        op = self.pick(["and", "or"])
        xs = [self.expr(t, depth - 1) for _ in range(self.r.randint(2, 3))]
        return "(%s)" % (" %s " % op).join(x[0] for x in xs), "(%s)" % (" %s " % op).join(x[1] for x in xs)

    def cond(self, depth):
        """A test: any type, and/or of mixed types allowed (only each operand's truth is used)."""
        if self.chance(0.2):
            op = self.pick(["and", "or"])
            xs = [self.expr(self.pick(TYPES), depth) for _ in range(2)]
            return "(%s %s %s)" % (xs[0][0], op, xs[1][0]), "(%s %s %s)" % (xs[0][1], op, xs[1][1])
        return self.expr("bool" if self.chance(0.7) else self.pick(TYPES), depth)

    def callable_fns(self, t):
        return [f for f in self.fns[:-1] if f.ret == t and (self.loops == 0 or not f.heavy)]

    def call_fn(self, t, depth):
        f = self.pick(self.callable_fns(t))
        self.fn.heavy = self.fn.heavy or f.heavy
        args = []
        if f.recursive:
            args.append((str(self.r.randint(0, 5)),) * 2)
        args += [self.expr(p, depth - 1) for p in f.params]
        return self.call(f.name, args)

    def self_call(self, depth):
        self.self_calls += 1
        args = [("(d - 1)", "(d - 1)")] + [self.expr(p, depth) for p in self.fn.params]
        return self.call(self.fn.name, args)

    # ---- statements: lists of (indent, plain, twin) ----
    def fresh(self, prefix):
        self.counter += 1
        return "%s%d" % (prefix, self.counter)

    def block(self, indent, n, depth):
        out = []
        for _ in range(n):
            out += self.stmt(indent, depth)
            if out and (out[-1][1] or "").startswith(("return", "break", "continue")):
                break
        return out or [(indent, "pass", "pass")]

    def assign(self, indent, name, t, depth):
        e = self.expr(t, depth)
        self.env[name] = t if self.env.get(name, t) == t else "mixed"
        return [(indent, "%s = %s" % (name, e[0]), "%s = %s" % (name, e[1]))]

    def stmt(self, indent, depth):
        k = self.r.random()
        if k < 0.22 or not self.env:
            t = self.pick(TYPES)
            existing = [n for n, ty in self.env.items() if ty == t and not n.startswith(("k", "i"))]
            if existing and self.chance(0.5):
                name = self.pick(existing)
            else:
                name = self.fresh("v")
            if self.chance(0.04) and self.env:  # a different type into an existing variable
                name = self.pick([n for n in self.env if not n.startswith(("k", "i"))] or [name])
            out = self.assign(indent, name, t, 3)
            self.bound.add(name)
            return out
        if k < 0.36:
            return self.augassign(indent)
        if k < 0.52 and depth > 0:
            return self.if_stmt(indent, depth)
        if k < 0.60 and depth > 0 and self.loops < 2:
            return self.while_stmt(indent, depth)
        if k < 0.70 and depth > 0 and self.loops < 2:
            return self.for_stmt(indent, depth)
        if k < 0.78:
            return self.print_stmt(indent)
        if k < 0.84 and self.fn.ret != "None":
            c, e = self.cond(2), self.expr(self.fn.ret, 2)
            return [(indent, "if %s:" % c[0], "if %s:" % c[1]), (indent + 1, "return %s" % e[0], "return %s" % e[1])]
        if k < 0.88 and self.loops > 0:
            c = self.cond(2)
            word = self.pick(["break", "continue"])
            return [(indent, "if %s:" % c[0], "if %s:" % c[1]), (indent + 1, word, word)]
        if k < 0.88:
            helpers = [f for f in self.fns[:-1] if self.loops == 0 or not f.heavy]
            if helpers:
                f = self.pick(helpers)
                self.fn.heavy = self.fn.heavy or f.heavy
                args = ([(str(self.r.randint(0, 4)),) * 2] if f.recursive else []) + [self.expr(p, 2) for p in f.params]
                c = self.call(f.name, args)
                return [(indent, c[0], c[1])]
        if k < 0.91:  # q, r = divmod(x, y)
            ta, tb = self.pick(["int", "int", "float", "bool"]), self.pick(["int", "float", "int"])
            x, y = self.expr(ta, 2), self.expr(tb, 2)
            q, r = self.fresh("v"), self.fresh("v")
            t = "float" if "float" in (ta, tb) else "int"
            self.env[q], self.env[r] = t, t
            self.bound |= {q, r}
            return [(indent, "%s, %s = divmod(%s, %s)" % (q, r, x[0], y[0]), "%s, %s = divmod(%s, %s)" % (q, r, x[1], y[1])),
                    (indent, None, "_pv_chk(%s)" % q)]
        if k < 0.94:  # a, b = b, a (+ e)
            t = self.pick(TYPES)
            names = [n for n, ty in self.env.items() if ty == t and n in self.bound and not n.startswith(("k", "i"))]
            if len(names) >= 2:
                a, b = self.r.sample(names, 2)
                e = self.binop("+", (a, a), self.expr(t, 1)) if t != "bool" else (a, a)
                return [(indent, "%s, %s = %s, %s" % (a, b, b, e[0]), "%s, %s = %s, %s" % (a, b, b, e[1]))]
        if k < 0.97:  # an annotated assignment (the annotation may disagree: the value's type wins)
            t = self.pick(TYPES)
            name = self.fresh("v")
            e = self.expr(t, 2)
            ann = t if self.chance(0.8) else self.pick(TYPES)
            self.env[name] = t
            self.bound.add(name)
            return [(indent, "%s: %s = %s" % (name, ann, e[0]), "%s: %s = %s" % (name, ann, e[1]))]
        return self.augassign(indent)

    def augassign(self, indent):
        nums = [n for n, t in self.env.items() if t in ("int", "float") and not n.startswith(("k", "i"))]
        if not nums or self.chance(0.03):  # a local never bound before: UnboundLocalError
            name = self.fresh("u")
            t = "int"
        else:
            name = self.pick(nums)
            t = self.env[name]
        if t == "int":
            op = self.pick(["+=", "-=", "*=", "//=", "%=", "&=", "|=", "^=", "+=", "-="])
            e = self.expr(self.pick(["int", "bool"]), 2)
            if op == "*=":
                e = self.small(e)
            if self.chance(0.1):
                op, e = self.pick(["<<=", ">>="]), (str(self.r.randint(0, 8)),) * 2
        else:
            # a "float" variable may hold an int (a deliberately mixed type): keep it from growing
            op = self.pick(["+=", "-=", "*=", "/=", "//=", "%=", "**="])
            e = self.expr(self.pick(["float", "int"]), 2)
            if op == "*=":
                e = self.small(e)
            if op == "**=":
                e = self.pick([("2.0", "2.0"), ("0.5", "0.5"), ("(-1)", "(-1)")])
                if e[0] == "0.5" and not self.sw["pow_fractional_after_print"]:
                    return [(indent, "%s = abs(%s) ** 0.5" % (name, name),
                             "%s = _pv_bin('**', abs(%s), 0.5)" % (name, name))]
        self.env.setdefault(name, t)
        self.bound.add(name)
        return [(indent, "%s %s %s" % (name, op, e[0]), "%s = _pv_bin(%r, %s, %s)" % (name, op[:-1], name, e[1]))]

    def branch(self, indent, depth):
        saved = set(self.bound)
        body = self.block(indent, self.r.randint(1, 3), depth)
        got = self.bound
        self.bound = saved
        return body, got

    def if_stmt(self, indent, depth):
        c = self.cond(2)
        out = [(indent, "if %s:" % c[0], "if %s:" % c[1])]
        body, b1 = self.branch(indent + 1, depth - 1)
        out += body
        if self.chance(0.6):
            if self.chance(0.3):
                c2 = self.cond(2)
                out.append((indent, "elif %s:" % c2[0], "elif %s:" % c2[1]))
            else:
                out.append((indent, "else:", "else:"))
            is_else = out[-1][1] == "else:"
            body, b2 = self.branch(indent + 1, depth - 1)
            out += body
            if is_else:
                self.bound |= b1 & b2
        return out

    def while_stmt(self, indent, depth):
        self.fn.heavy = True
        k = self.fresh("k")
        limit = str(self.r.randint(0, 8))
        out = [(indent, "%s = 0" % k, "%s = 0" % k), (indent, "while %s < %s:" % (k, limit), "while %s < %s:" % (k, limit)),
               (indent + 1, "%s += 1" % k, "%s += 1" % k)]
        self.env[k] = "int"
        self.bound.add(k)
        self.loops += 1
        body, _ = self.branch(indent + 1, depth - 1)
        self.loops -= 1
        return out + body + self.loop_else(indent, depth)

    def loop_else(self, indent, depth):
        if not self.chance(0.15):
            return []
        body, _ = self.branch(indent + 1, depth - 1)
        return [(indent, "else:", "else:")] + body

    def for_stmt(self, indent, depth):
        self.fn.heavy = True
        i = self.fresh("i")
        form = self.r.random()
        if form < 0.4:
            args = str(self.r.randint(0, 8))
        elif form < 0.7:
            e = self.expr("int", 1)
            args = ("%s %% 9" % e[0], "%s %% 9" % e[1])
            args = "(%s)" % args[0], "(%s)" % args[1]
        elif form < 0.9:
            a, b = self.r.randint(-5, 5), self.r.randint(-5, 5)
            s = self.pick([1, 2, 3, -1, -2])
            args = "%d, %d, %d" % (a, b, s)
        else:  # a variable step, possibly 0 (ValueError)
            e = self.expr("int", 1)
            args = "0, 6, (%s %% 3) - 1" % e[0], "0, 6, (%s %% 3) - 1" % e[1]
        if isinstance(args, str):
            args = (args, args)
        out = [(indent, "for %s in range(%s):" % (i, args[0]), "for %s in range(%s):" % (i, args[1]))]
        self.env[i] = "int"
        self.loops += 1
        saved = set(self.bound)
        self.bound.add(i)
        body = self.block(indent + 1, self.r.randint(1, 3), depth - 1)
        self.bound = saved
        self.loops -= 1
        return out + body + self.loop_else(indent, depth)

    def print_stmt(self, indent):
        args = []
        for _ in range(self.r.randint(0, 3)):
            if self.chance(0.25):
                s = self.pick(STRINGS + (EXOTIC if self.sw["exotic_strings"] else []))
                args.append((s, s))
            else:
                args.append(self.expr(self.pick(TYPES), 2))
        kw = []
        if self.chance(0.2):
            kw.append("sep=%s" % self.pick(["''", "', '", "'-'", "None"]))
        if self.chance(0.15):
            ends = ["'!\\n'", "' '", "None"] + (["''"] if self.sw["print_end_empty"] else [])
            kw.append("end=%s" % self.pick(ends))
        plain = "print(%s)" % ", ".join([a[0] for a in args] + kw)
        twin = "print(%s)" % ", ".join([a[1] for a in args] + kw)
        return [(indent, plain, twin)]

    # ---- functions and programs ----
    def function(self, index, entry):
        recursive = not entry and self.chance(0.3)
        params = [self.pick(TYPES) for _ in range(self.r.randint(1 if entry else 0, 3))]
        ret = self.pick(TYPES) if entry or self.chance(0.9) else "None"
        fn = Fn("f%d" % index, params, ret, recursive)
        fn.heavy = recursive
        if entry:
            self.entry_fn = fn
        self.fns.append(fn)
        self.fn, self.counter, self.loops, self.self_calls = fn, 0, 0, 0
        names = ["a", "b", "c"][:len(params)]
        self.env = dict(zip(names, params))
        self.bound = set(names)
        sig = ", ".join((["d"] if recursive else []) + names)
        lines = [(0, "@pyvorin.jit", None), (0, "def %s(%s):" % (fn.name, sig), "def %s(%s):" % (fn.name, sig))]
        if recursive:  # the base case never recurses (runaway recursion is not what we test)
            self.self_calls = 2
            e = self.expr(ret, 2) if ret != "None" else ("None", "None")
            self.self_calls = 0
            lines += [(1, "if d <= 0:", "if d <= 0:"), (2, "return %s" % e[0], "return %s" % e[1])]
        lines += self.block(1, self.r.randint(2, 6), 2)
        if ret != "None" and not self.chance(0.03):  # rarely: fall off the end (None on that path)
            e = self.expr(ret, 3)
            lines.append((1, "return %s" % e[0], "return %s" % e[1]))
        return lines

    def program(self):
        n = self.r.randint(1, 3)
        plain, twin = ["import math", "import pyvorin", ""], [HELPERS]
        for i in range(n):
            for indent, p, t in self.function(i, i == n - 1) + [(0, "", "")]:
                if p is not None:
                    plain.append("    " * indent + p)
                if t is not None:
                    twin.append("    " * indent + t)
        return Program("\n".join(plain) + "\n", "\n".join(twin) + "\n", list(self.fns))

    def arguments(self, fn, count):
        out = []
        for _ in range(count):
            args = [self.r.randint(0, 5)] if fn.recursive else []
            for t in fn.params:
                if self.chance(0.05):  # another type: a new specialisation (or a fallback)
                    # never an int for a float: `a *= a` in a loop would square a growing int
                    t = self.pick(["bool"] if t == "float" else TYPES)
                if t == "int":
                    args.append(self.pick(INT_EDGES) if self.chance(0.5) else self.r.randint(-100, 100))
                elif t == "float":
                    args.append(self.pick(FLOAT_EDGES) if self.chance(0.5) else self.r.uniform(-1e3, 1e3))
                else:
                    args.append(self.chance(0.5))
            out.append(tuple(args))
        return out


def generate(seed, switches=None, entry_calls=6, helper_calls=3):
    """(Program, [(function name, argument tuple)]) for one seed: calls of the entry, then of one
    helper straight from Python (another specialisation, and code that inlining may fold)."""
    g = Generator(random.Random(seed), switches)
    prog = g.program()
    calls = [(prog.fns[-1].name, args) for args in g.arguments(prog.fns[-1], entry_calls)]
    if len(prog.fns) > 1:
        helper = g.pick(prog.fns[:-1])
        calls += [(helper.name, args) for args in g.arguments(helper, helper_calls)]
    return prog, calls


def float_text(v):
    if isinstance(v, float) and math.isnan(v):
        return ("-" if math.copysign(1.0, v) < 0 else "") + "nan"
    return repr(v)
