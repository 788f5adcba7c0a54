"""Random programs over str for test_string_fuzz.py, and the subprocess runner that executes them.

A seeded generator writes functions `sfN(s, t, n, x)` (two strs, an int, a float) that keep a str
accumulator, an int counter, a list of strs, a dict and a set keyed by str and a float, and mix,
with random nesting (if/else, for over chars / ranges / split results / lists / dict keys, while,
break/continue, early returns, raise, assert): str literals (ASCII, latin-1, BMP, astral, NUL,
whitespace variants), concatenation, `+=` in loops, `*` by small ints, indexing (negative and out
of range too), slicing with steps, comparisons, `in`, len, character comparisons
(s[i] == t[j], s[i] == 'x', ch == s[i]), the str methods (split/rsplit with and without sep and
maxsplit, join of lists and generators, the strips with and without chars, find/rfind/index/count
with start and end, replace, upper/lower/title, startswith/endswith with tuples, partition,
zfill/center/ljust/rjust, isdigit/isalpha/isspace, splitlines, encode/decode), f-strings with
literal format specs and conversions, str()/repr()/int(s)/float(s)/ord/chr, print.

Everything is drawn from one random.Random, so a program is reproducible from (seed, index).

`python3 string_fuzz_gen.py child SEED COUNT START` runs programs START.. of generate(SEED,
COUNT) in this process and writes one line per program to stdout: `START <index>` before it is
compiled, then `RESULT <json>` after all its calls. The parent (test_string_fuzz.run_fuzz) reruns
a new child after the last started program when a child dies, so a crash is one finding, not the
end of the run.
"""
import json
import os
import random
import sys

SEED = int(os.environ.get("PYVORIN_FUZZ_SEED", "20260308"))
COUNT = int(os.environ.get("PYVORIN_FUZZ_COUNT", "200"))
# PYVORIN_FUZZ_AVOID=tag,tag leaves generator features out (to look past a known finding):
#  chaincond   - index guards written as a chained comparison (`s[i] if -len(s) <= i < len(s)
#                else 'x'`): a method called on such a conditional expression takes the wrong
#                branch (finding 1: `(a if 0 <= i < 3 else b).upper()` is 'A' for i = 5)
#  step0, chr_n, spec_c, nested_spec - a slice step that may be 0, chr(n) of any int, the `c`
#                int spec, nested f-string specs (error paths; no finding so far)
AVOID = set(filter(None, os.environ.get("PYVORIN_FUZZ_AVOID", "").split(",")))

# characters the literals and the inputs are made of
CHARS = (list("abcxyzABXZ019 ,.-_:;|") +
         [" ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\xa0", "\u2028",
          "\u3000", "\u2009", "\x00", "\x7f",
          "é", "ß", "ÿ", "Å", "µ", "\xad", "İ", "ı", "ǅ", "ﬁ",
          "Σ", "ς", "€", "中", "文", "\ufeff", "\uffff", "²", "٣", "½", "Ⅻ",
          "🐍", "𝔘", "\U0001F600", "\U00010000", "\U0010FFFD", "𝟙"])
SPECIAL_TEXT = ["", " ", "a", "x", "abc", " 12 ", "-7", "+3", "0", "٣٤", "²", "1_000", "3.5", "-0.0",
                "1e16", "nan", "-inf", " Infinity ", "a,b,,c", "x\ny\r\nz\n", "\x00", "a\x00b",
                "\t\n ", "Hello World", "hello world", "ǅungla", "ß straße", "🐍🐍", "a🐍b",
                "αβγ δεζ", "\u2028line\u2029", "abcabcab", "x.y.z", "    ", "10", "007", "1e400"]
INTS = [0, 1, 2, 3, -1, -2, -5, 7, 12, 2**40, -2**40, 2**62]
FLOATS = [0.0, -0.0, 1.5, -2.25, 3.14159, 1e16, 1e-7, 123456.789, float("nan"), float("inf"),
          float("-inf"), 2.5, -1e300]

INT_SPECS = [">8", ",", "08b", "x", "#x", "+d", "^7", "_", "<5", "o", "08,", "=+9", "c", "e",
             ".2f", "X", "n", ""]
FLOAT_SPECS = [">8.2f", ".3e", "g", "10.2%", ",.1f", "+.0f", ".1", "012.3f", "^10", "_.2f",
               ".0%", "E", ">+11.4g", ""]
STR_SPECS = ["^9", "*<6", ".3", ">5.2", "08", "-^7", "", "<3", ">12"]


def lit(rng, maxlen=4):
    k = rng.randrange(10)
    if k == 0:
        return "''"
    if k <= 2:
        return repr(rng.choice(CHARS))
    if k == 3:
        return repr(rng.choice(SPECIAL_TEXT))
    return repr("".join(rng.choice(CHARS) for _ in range(rng.randint(1, maxlen))))


def text_input(rng):
    if rng.random() < 0.4:
        return rng.choice(SPECIAL_TEXT)
    return "".join(rng.choice(CHARS) for _ in range(rng.randint(0, 9)))


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.lines = []
        self.strvars = ["s", "t", "acc"]   # str variables in scope
        self.intvars = ["n", "k"]
        self.in_loop = 0
        self.budget = 0

    # ---- expressions -------------------------------------------------------------------
    def small(self):
        r = self.r
        return r.choice(["0", "1", "2", "3", "-1", "5", "n % 4", "k % 3", "(n % 7 - 3)",
                         "len(s) // 2", "len(t)"])

    def index(self, v):
        r = self.r
        c = r.randrange(10)
        if c == 0:
            return "n"
        if c == 1:
            return "-n"
        if c == 2:
            return "len(%s) - 1" % v
        if c == 3:
            return "-len(%s)" % v
        if c == 4 and self.intvars[2:]:
            return r.choice(self.intvars[2:])
        if c == 5:
            return "k"
        return str(r.randint(-4, 5))

    def in_range(self, v, i):
        """i is a valid index of v: a chained comparison (the `chaincond` finding: a method
        called on `(a if lo <= i < hi else b)` takes the wrong branch), or the same with `and`."""
        if "chaincond" in AVOID:
            return "(-len(%s) <= %s and %s < len(%s))" % (v, i, i, v)
        return "-len(%s) <= %s < len(%s)" % (v, i, v)

    def sv(self):
        """A str variable."""
        return self.r.choice(self.strvars)

    def sexpr(self, depth=0):
        r = self.r
        if depth >= 3:
            return r.choice([self.sv(), lit(r)])
        c = r.randrange(34)
        S = lambda: self.sexpr(depth + 1)  # noqa: E731
        if c <= 3:
            return self.sv()
        if c <= 5:
            return lit(r)
        if c == 6:
            return "(%s + %s)" % (S(), S())
        if c == 7:
            return "(%s * %s)" % (S(), r.choice(["0", "1", "2", "3", "n % 3", "-1", "(k % 4)"]))
        if c == 8:   # guarded index
            v = self.sv()
            i = self.index(v)
            return "(%s[%s] if %s else %s)" % (v, i, self.in_range(v, i), lit(r, 1))
        if c == 9:
            v = self.sv()
            return "%s[%s]" % (v, self.index(v)) if r.random() < 0.25 else \
                "%s[%s:%s]" % (v, r.choice(["", "1", "-2", "n", "k % 5"]), r.choice(["", "3", "-1", "n"]))
        if c == 10:
            step = r.choice(["2", "-1", "-2", "3", "1", "n % 3 - 1" if "step0" not in AVOID else "-3"])
            return "%s[%s:%s:%s]" % (S(), r.choice(["", "1", "-1", "n"]), r.choice(["", "-3", "4"]), step)
        if c == 11:
            m = r.choice(["strip", "lstrip", "rstrip"])
            return "%s.%s(%s)" % (S(), m, r.choice(["", lit(r, 3), "' '", "'x\\x00'"]))
        if c == 12:
            extra = (", %s" % r.choice(["1", "0", "-1", "2", "n"])) if r.random() < 0.3 else ""
            return "%s.replace(%s, %s%s)" % (S(), lit(r, 2), S(), extra)
        if c == 13:
            return "%s.%s()" % (S(), r.choice(["upper", "lower", "title", "upper", "lower"]))
        if c == 14:
            m = r.choice(["zfill", "center", "ljust", "rjust"])
            w = r.choice(["0", "5", "9", "n % 12", "len(t) + 2"])
            if m != "zfill" and r.random() < 0.5:
                return "%s.%s(%s, %s)" % (S(), m, w, repr(r.choice(["*", "-", "é", "🐍", "\x00", " "])))
            return "%s.%s(%s)" % (S(), m, w)
        if c == 15:
            sep = r.choice(["''", "','", "' '", "'-'", "'é'", "'🐍'", self.sv(), "'\\x00'"])
            src = r.choice(["res", "%s.split()" % self.sv(), "(ch for ch in %s if ch != %s)" % (self.sv(), lit(r, 1)),
                            "[%s, %s]" % (S(), S()), "sorted(d)", "sorted(seen)", self.sv(),
                            "(w.upper() for w in %s.split(%s))" % (self.sv(), r.choice(["','", "' '", "'a'"])),
                            "[ch * 2 for ch in %s]" % self.sv(), "reversed(%s)" % self.sv()])
            return "%s.join(%s)" % (sep, src)
        if c == 16:
            return "%s.%s(%s)[%d]" % (S(), r.choice(["partition", "rpartition"]),
                                      r.choice([lit(r, 1), "' '", "','", "'ab'"]), r.randrange(3))
        if c == 17:
            v = self.sv()
            kind = r.randrange(4)
            if kind == 0:
                return "%s.split(%s)[-1]" % (v, r.choice(["','", "' '", "'a'", "'🐍'", "'\\n'"]))
            if kind == 1:
                return "(%s.split() or ['<none>'])[0]" % v
            if kind == 2:
                return "%s.split(%s, %s)[0]" % (v, r.choice(["','", "' '", "'x'"]), r.choice(["1", "0", "-1", "2"]))
            return "(%s.rsplit(None, 1) or [''])[-1]" % v
        if c == 18 or c == 19:
            return self.fstring(depth)
        if c == 20:
            return r.choice(["str(n)", "str(x)", "repr(x)", "str(k)", "repr(%s)" % self.sv(),
                             "str(%s)" % self.sv(), "str(len(res))", "repr(res)", "str(d)",
                             "ascii(%s)" % self.sv(), "repr(n)"])
        if c == 21:
            return r.choice(["chr(65 + k % 26)", "chr(0x1F600 + n % 5)", "chr(ord(%s) + 1)" % self.char(),
                             "chr(%d)" % r.choice([0, 10, 233, 0x3a3, 0x4e2d, 0x1F40D, 0x10FFFD]),
                             "chr(ord(%s) ^ 32)" % self.char(), "chr(n)" if "chr_n" not in AVOID else "chr(n % 100 + 32)"])
        if c == 22:
            v = S()
            return r.choice(["%s.encode().decode()" % v,
                             "%s.encode('utf-8').decode('utf-8')" % v,
                             "%s.encode('latin-1', 'replace').decode('latin-1')" % v,
                             "%s.encode('ascii', 'ignore').decode('ascii')" % v,
                             "%s.encode('utf-8').decode('latin-1')" % v,
                             "%s.encode('latin-1').decode('latin-1')" % v,   # may raise
                             "%s.encode('ascii', 'backslashreplace').decode()" % v,
                             "str(%s.encode())" % v])
        if c == 23:
            return "(%s if %s else %s)" % (S(), self.bexpr(depth + 1), S())
        if c == 24:
            return "'|'.join(%s.splitlines(%s))" % (S(), r.choice(["", "True", "False"]))
        if c == 25:
            fmt, args = r.choice([("%s-%d", "%s, n" % (self.sv(),)), ("<%r:%5.1f>", "%s, x" % (self.sv(),)),
                                  ("%-4s|%x", "%s, n" % (self.sv(),)), ("%%%s", self.sv() + ",")])
            return "(%s %% (%s))" % (repr(fmt), args)
        if c == 26 and self.in_loop and self.loopchars():
            return r.choice(self.loopchars())
        if c == 27:
            return "(res[%s] if res else %s)" % (r.choice(["0", "-1", "k % len(res)", "len(res) // 2"]), lit(r))
        if c == 28:
            return "%s.format(%s, %s)" % (repr(r.choice(["{}={}", "{1}{0}", "{!r}:{}", "{:>4}|{:<3}"])), S(), self.iexpr(depth + 1))
        if c == 29:
            return "max(%s, %s)" % (S(), S()) if r.random() < 0.5 else "min(%s, %s)" % (S(), S())
        return self.sv()

    def loopchars(self):
        return [v for v in self.strvars if v.startswith(("ch", "w"))]

    def char(self):
        """A one-character str (for ord)."""
        r = self.r
        lc = self.loopchars()
        chs = [v for v in lc if v.startswith("ch")]
        if chs and r.random() < 0.5:
            return r.choice(chs)
        v = r.choice(["s", "t"])
        return "(%s[%s] if %s else %s)" % (v, r.choice(["0", "-1", "len(%s) // 2" % v]), v,
                                          repr(r.choice(CHARS)))

    def fstring(self, depth):
        r = self.r
        parts = []
        for _ in range(r.randint(1, 3)):
            k = r.randrange(9)
            if k == 0:
                parts.append(r.choice(["a", " ", "=", "é", "🐍", "{{", "}}", "\\x00", "\\n", "ß:"]))
            elif k <= 2:
                spec = r.choice(INT_SPECS)
                if spec == "c" and "spec_c" in AVOID:
                    spec = "d"
                parts.append("{%s%s}" % (r.choice(["n", "k", "len(%s)" % self.sv(), "-n"]),
                                         (":" + spec) if spec else r.choice(["", "!r", "!s"])))
            elif k <= 4:
                spec = r.choice(FLOAT_SPECS)
                parts.append("{%s%s}" % (r.choice(["x", "-x", "x * 2", "x / 3"]),
                                         (":" + spec) if spec else r.choice(["", "!r"])))
            elif k == 5:
                parts.append("{%s!r}" % r.choice(["x", "n", self.sv()]))
            elif k == 6:
                parts.append("{%s:{%s}}" % (r.choice(["x", "n"]), r.choice(["'>6'", "'.2f' if x == x else ''", "'^5'"]))
                             if "nested_spec" not in AVOID else "{x:>6}")
            else:
                spec = r.choice(STR_SPECS)
                conv = r.choice(["", "", "!r", "!a"])
                parts.append("{%s%s%s}" % (self.sv(), conv, (":" + spec) if spec else ""))
        body = "".join(parts)
        return "f" + ("'%s'" % body if "'" not in body else '"%s"' % body)

    def iexpr(self, depth=0):
        r = self.r
        c = r.randrange(16)
        S = lambda: self.sexpr(depth + 1)  # noqa: E731
        if c <= 1:
            return "len(%s)" % S()
        if c == 2:
            m = r.choice(["find", "rfind", "count"])
            args = [lit(r, 2) if r.random() < 0.7 else self.sv()]
            if r.random() < 0.5:
                args.append(r.choice(["1", "-2", "n", "0", "k % 5"]))
                if r.random() < 0.5:
                    args.append(r.choice(["-1", "4", "n", "len(s)"]))
            return "%s.%s(%s)" % (self.sv(), m, ", ".join(args))
        if c == 3:   # may raise ValueError: substring not found
            m = r.choice(["index", "rindex"])
            return "%s.%s(%s%s)" % (self.sv(), m, lit(r, 1), r.choice(["", ", 1", ", -3, -1", ", n"]))
        if c == 4:
            return "ord(%s)" % self.char()
        if c == 5:
            v = self.sv()
            return r.choice(["(int(%s) if %s.isdigit() else -1)" % (v, v),    # '²'.isdigit(): raises
                             "(int(%s) if %s.strip().isdigit() else 0)" % (v, v),
                             "int(%s)" % lit(r, 2) if r.random() < 0.3 else "int(%s)" % repr(r.choice([" 12 ", "-7", "1_000", "٣٤", "0"])),
                             "int(%s)" % v if r.random() < 0.3 else "len(%s)" % v])
        if c == 6:
            return r.choice(["k", "n", "len(res)", "len(d)", "len(seen)"])
        if c == 7:
            key = S()
            return "(d[%s] if %s in d else 0)" % (key, key) if r.random() < 0.8 else "d[%s]" % key
        if c == 8:
            return "int(%s == %s)" % (S(), S())
        if c == 9:
            return "sum(1 for ch in %s if ch %s)" % (self.sv(), r.choice(["== 'a'", "in 'aeiou'", ".isspace()", ".isdigit()", "< 'm'", "> '\\x7f'"]))
        if c == 10:
            return "int(float(%s))" % r.choice(["'1e16'", "' 3.5 '", "str(n)", "'-0.0'"])
        if c == 11:
            return "%s.count(%s)" % (self.sv(), r.choice(["''", "'a'", "' '", "'🐍'", "'\\x00'"]))
        if c == 12:
            return "(%s.index(%s) if %s in %s else -9)" % (self.sv(), "'x'", "'x'", self.sv())
        return str(r.randint(-3, 9))

    def bexpr(self, depth=0):
        r = self.r
        c = r.randrange(20)
        S = lambda: self.sexpr(min(depth + 1, 3))  # noqa: E731
        if c <= 1:
            return "%s %s %s" % (S(), r.choice(["==", "!=", "<", "<=", ">", ">="]), S())
        if c == 2:
            return "%s %s %s" % (lit(r, 2), r.choice(["in", "not in"]), S())
        if c == 3:
            tup = "(%s, %s)" % (lit(r, 2), lit(r, 1))
            return "%s.%s(%s%s)" % (self.sv(), r.choice(["startswith", "endswith"]),
                                    r.choice([tup, lit(r, 2), tup]), r.choice(["", ", 1", ", n", ", -3, -1", ", 0, k"]))
        if c == 4:
            return "%s.%s()" % (S(), r.choice(["isdigit", "isalpha", "isspace", "isdigit", "isalpha", "isspace", "isupper", "islower", "isalnum"]))
        if c == 5:
            a, b = r.choice(["s", "t", "acc"]), r.choice(["s", "t", "acc"])
            i, j = self.index(a), self.index(b)
            return "(%s and %s and %s[%s] == %s[%s])" % (self.in_range(a, i), self.in_range(b, j), a, i, b, j)
        if c == 6:
            v = self.sv()
            i = r.choice(["0", "-1", "len(%s) // 2" % v])
            return "(%s and %s[%s] %s %s)" % (v, v, i, r.choice(["==", "!=", "<"]), repr(r.choice(CHARS)))
        if c == 7 and self.in_loop:
            chs = [v for v in self.loopchars() if v.startswith("ch")]
            if chs:
                v = r.choice(["s", "t"])
                return "(%s and %s == %s[%s])" % (v, r.choice(chs), v, r.choice(["0", "-1", "k %% len(%s)" % v]))
        if c == 8:
            return "%s in seen" % S()
        if c == 9:
            return "%s in d" % S()
        if c == 10:
            return "%s %s %d" % (self.iexpr(depth + 1), r.choice(["<", ">", "==", ">="]), r.randint(-1, 6))
        if c == 11 and depth < 2:
            return "not (%s)" % self.bexpr(depth + 1)
        if c == 12 and depth < 2:
            return "(%s %s %s)" % (self.bexpr(depth + 1), r.choice(["and", "or"]), self.bexpr(depth + 1))
        if c == 13:
            return "x %s %s" % (r.choice(["<", ">", "=="]), r.choice(["0.0", "1.5", "float(%s)" % r.choice(["'nan'", "'1e16'", "'-inf'"])]))
        if c == 14:
            return self.sv()
        if c == 15:
            return "%s %s res" % (S(), r.choice(["in", "not in"]))
        return "len(%s) > %s" % (self.sv(), r.choice(["0", "2", "n", "k"]))

    # ---- statements --------------------------------------------------------------------
    def emit(self, ind, s):
        self.lines.append("    " * ind + s)

    def ret(self, ind):
        self.emit(ind, "return acc, k, res, d, seen, fx")

    def guard(self, ind):
        self.emit(ind, "steps += 1")
        self.emit(ind, "if steps > 30:")
        self.emit(ind + 1, "break")

    def cap(self, ind):
        # keeps the accumulator (and anything else built from it) small
        self.emit(ind, "if len(acc) > 120:")
        self.emit(ind + 1, "acc = acc[:40] + acc[-3:]")

    def block(self, ind, n):
        start = len(self.lines)
        for _ in range(n):
            self.stmt(ind)
        if len(self.lines) == start:
            self.emit(ind, "pass")

    def loop_body(self, ind, var=None, kind="str"):
        self.guard(ind)
        self.cap(ind)   # first: a `continue` may skip the one at the end
        self.in_loop += 1
        if var:
            (self.strvars if kind == "str" else self.intvars).append(var)
        self.block(ind, self.r.randint(1, 3))
        r = self.r
        if r.random() < 0.4:
            self.emit(ind, "if %s:" % self.bexpr())
            self.emit(ind + 1, r.choice(["break", "continue"]))
            self.block(ind, 1)
        self.cap(ind)
        if var:
            (self.strvars if kind == "str" else self.intvars).pop()
        self.in_loop -= 1

    def stmt(self, ind):
        r = self.r
        self.budget -= 1
        deep = self.budget > 0 and ind < 4
        c = r.randrange(32)
        if c <= 2:
            self.emit(ind, "acc += %s" % self.sexpr())
        elif c == 3:
            self.emit(ind, "acc = %s + acc" % self.sexpr())
        elif c == 4:
            self.emit(ind, "k += %s" % self.iexpr())
        elif c == 5:
            self.emit(ind, "res.append(%s)" % self.sexpr())
        elif c == 6:
            v = self.sv()
            self.emit(ind, "res = %s" % r.choice([
                "%s.split(%s)" % (v, r.choice(["", "','", "' '", "None, 1", "',', 1", "maxsplit=1", "sep=' ', maxsplit=2", "'🐍'"])),
                "%s.rsplit(%s)" % (v, r.choice(["", "','", "None, 1", "' ', 1"])),
                "%s.splitlines(%s)" % (v, r.choice(["", "True"])),
                "list(%s)" % v, "sorted(%s)" % v, "[w for w in res if w]", "res + [%s]" % self.sexpr(),
                "[%s] * 2" % self.sexpr()]))
        elif c == 7:
            key = self.sexpr(1)
            self.emit(ind, "w = %s" % key)
            self.emit(ind, "if w in d:")
            self.emit(ind + 1, "d[w] += 1")
            self.emit(ind, "else:")
            self.emit(ind + 1, "d[w] = len(w)")
        elif c == 8:
            self.emit(ind, "seen.add(%s)" % self.sexpr())
        elif c == 9:
            self.emit(ind, "print(%s)" % r.choice([self.sexpr(), self.fstring(0), "%s, %s" % (self.sexpr(), self.iexpr()),
                                                  "repr(%s), len(res)" % self.sv(), "%s, sep=%s" % (
                                                      ", ".join(self.sexpr(1) for _ in range(2)), r.choice(["'|'", "''", "'🐍'"]))]))
        elif c == 10:
            self.emit(ind, "if %s:" % self.bexpr())
            self.ret(ind + 1)
        elif c == 11:
            self.emit(ind, "if %s:" % self.bexpr())
            self.emit(ind + 1, "raise ValueError(%s)" % self.fstring(0))
        elif c == 12:
            self.emit(ind, "assert %s%s" % (self.bexpr(), r.choice(["", ", %s" % self.fstring(0), ", 'assert ' + %s" % self.sv()])))
        elif c == 13:
            self.emit(ind, "fx = fx + %s" % r.choice([
                "float(%s)" % r.choice(["'1e16'", "' -0.0 '", "'nan'", "'3.25'", "str(k)", "'1_0.5'", "'inf'"]),
                "(float(%s) if %s.strip().replace('.', '', 1).isdigit() else 0.5)" % (self.sv(), self.sv()),
                "float(%s)" % self.sv() if r.random() < 0.3 else "len(%s) * 0.5" % self.sv(),
                "x", "float(len(%s))" % self.sexpr()]))
        elif c == 14 and deep:
            var = "ch%d" % ind
            self.emit(ind, "for %s in %s:" % (var, r.choice([self.sv(), self.sexpr(1), "reversed(%s)" % self.sv()])))
            self.loop_body(ind + 1, var)
            if r.random() < 0.2:
                self.emit(ind, "else:")
                self.block(ind + 1, 1)
        elif c == 15 and deep:
            var = "i%d" % ind
            v = self.sv()
            self.emit(ind, "for %s in range(%s):" % (var, r.choice(["len(%s)" % v, "n % 5", "3", "len(%s) - 1" % v])))
            self.intvars.append(var)
            # per-character comparisons with the index
            if r.random() < 0.6:
                w = r.choice(["s", "t", "acc"])
                self.emit(ind + 1, "if %s < len(%s) and %s < len(%s) and %s[%s] == %s[%s]:" % (
                    var, v, var, w, v, var, w, r.choice([var, "-1 - %s" % var])))
                self.emit(ind + 2, "k += 1")
                if r.random() < 0.5:
                    self.emit(ind + 2, r.choice(["continue", "break"]))
            self.intvars.pop()
            self.loop_body(ind + 1, var, kind="int")
        elif c == 16 and deep:
            var = "w%d" % ind
            self.emit(ind, "for %s in %s:" % (var, r.choice([
                "%s.split(%s)" % (self.sv(), r.choice(["", "','", "' '", "None, 2"])), "res", "list(res)", "sorted(d)",
                "%s.splitlines()" % self.sv(), "d", "sorted(seen)"])))
            self.loop_body(ind + 1, var)
        elif c == 17 and deep:
            self.emit(ind, "while %s:" % r.choice(["k < %d" % r.randint(2, 12), "len(acc) < %d" % r.randint(3, 30),
                                                    "%s" % self.bexpr()]))
            self.emit(ind + 1, "k += 1")
            self.loop_body(ind + 1)
        elif c == 18 and deep:
            self.emit(ind, "if %s:" % self.bexpr())
            self.block(ind + 1, r.randint(1, 2))
            if r.random() < 0.5:
                if r.random() < 0.5:
                    self.emit(ind, "elif %s:" % self.bexpr())
                    self.block(ind + 1, 1)
                self.emit(ind, "else:")
                self.block(ind + 1, r.randint(1, 2))
        elif c == 19 and self.in_loop:
            self.emit(ind, "if %s:" % self.bexpr())
            self.emit(ind + 1, r.choice(["break", "continue"]))
        elif c == 20:
            v = r.choice(["s", "t"])
            self.emit(ind, "%s = %s" % (v, self.sexpr()))
            self.emit(ind, "if len(%s) > 60:" % v)
            self.emit(ind + 1, "%s = %s[:20]" % (v, v))
        elif c == 21:
            self.emit(ind, "k += len(%s) - len(%s)" % (self.sexpr(), self.sexpr()))
        elif c == 22:
            self.emit(ind, "acc += %s" % self.fstring(0))
        elif c == 23:
            self.emit(ind, "acc = acc %s" % r.choice([
                ".replace(%s, %s)" % (lit(r, 1), lit(r, 2)), ".strip()", "[::-1]", ".upper()", "[1:]",
                ".lstrip(%s)" % lit(r, 2), ".center(%d, '.')" % r.randint(0, 9), "[:k % 7]"]))
        elif c == 24:
            self.emit(ind, "head, sep, tail = %s.partition(%s)" % (self.sv(), r.choice(["','", "' '", lit(r, 1)])))
            self.emit(ind, "acc += tail + sep + head")
        elif c == 25:
            v = self.sv()
            self.emit(ind, "k += %s.find(%s)" % (v, lit(r, 2)) if r.random() < 0.7 else
                      "k += %s.index(%s)" % (v, lit(r, 1)))
        elif c == 26:
            if r.random() < 0.25:   # a different shape than the final return: falls back
                self.emit(ind, "return %s" % r.choice(["acc", "k", "res", "d", "(acc, fx)", "[acc, s, t]", "{acc: k}"]))
            else:
                self.ret(ind)
            self.budget = 0
        elif c == 27:
            self.emit(ind, "res.append(%s)" % r.choice(["str(%s)" % self.iexpr(), "repr(%s)" % self.sv(), self.sv(), self.fstring(0)]))
        elif c == 28:
            self.emit(ind, "acc += %s.join(%s)" % (r.choice(["''", "','", "' '"]), r.choice([
                "res", "[w.strip() for w in %s.split(',')]" % self.sv(), "(c.upper() for c in %s)" % self.sv(),
                "sorted(seen)", "d", "[%s, %s]" % (self.sexpr(1), self.sexpr(1))])))
        elif c == 29:
            v = self.sv()
            self.emit(ind, "%s = %s.%s()" % ("w", v, r.choice(["lower", "upper", "title", "strip"])))
            self.emit(ind, "acc += w[%s]" % r.choice(["::2", "::-2", "1::3", "-1:0:-1", ":n", "n:", "::-1"]))
        else:
            self.emit(ind, "acc += %s" % self.sexpr())
            self.cap(ind)

    def program(self, name):
        r = self.r
        self.budget = r.randint(4, 11)
        self.lines = ["def %s(s, t, n, x):" % name, "    acc = %s" % lit(r), "    k = 0", "    res = []",
                      "    d = {}", "    seen = set()", "    fx = 0.0", "    steps = 0"]
        for _ in range(r.randint(3, 7)):
            if self.budget <= 0:
                break
            self.stmt(1)
        self.ret(1)
        return "\n".join(self.lines) + "\n"


def inputs(rng):
    out = []
    for _ in range(4):
        out.append((text_input(rng), text_input(rng), rng.choice(INTS), rng.choice(FLOATS)))
    return out


def generate(seed=SEED, count=COUNT):
    rng = random.Random(seed)
    progs = []
    for i in range(count):
        name = "sf%d" % i
        progs.append((name, Gen(rng).program(name), inputs(rng)))
    return progs


# ---- the child process ---------------------------------------------------------------------

def reason_of(jf):
    try:
        fb = jf.report.get("fallback")
    except Exception:  # noqa: BLE001
        fb = None
    if fb:
        return fb.get("text") or "%s: %s (line %s)" % (fb.get("code"), fb.get("reason"), fb.get("line"))
    return jf.fallback_reason or ""


def child(seed, count, start):
    import pyvorin
    from container_testutil import call_both, outcome_diff, short
    from pyvorin_testutil import module_from_source

    progs = generate(seed, count)
    mod = module_from_source("\n\n".join(src for _, src, _ in progs), name="string_fuzz_%d" % seed)
    out = sys.__stdout__
    for idx in range(start, len(progs)):
        name, src, argsets = progs[idx]
        out.write("START %d\n" % idx)
        out.flush()
        fn = getattr(mod, name)
        jf = pyvorin.jit(fn)
        bad, fallbacks, native_calls = [], [], 0
        for args in argsets:
            before = dict(jf.stats)
            expected, got, eo, go, ea, ga = call_both(fn, jf, args)
            d = outcome_diff(expected, got, ea, ga)
            if d is None and eo != go:
                d = "printed %r, CPython printed %r" % (go[:300], eo[:300])
            native = jf.stats["native_calls"] - before["native_calls"] == 1 and \
                jf.stats["python_calls"] == before["python_calls"]
            native_calls += native
            if d:
                bad.append("%s%s: %s%s" % (name, short(args), d, "" if native else "  [ran in CPython]"))
            if not native:
                reason = reason_of(jf)
                fallbacks.append(reason)
        out.write("RESULT %s\n" % json.dumps({"idx": idx, "name": name, "bad": bad, "fallbacks": fallbacks,
                                               "native_calls": native_calls, "calls": len(argsets)}))
        out.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
    elif sys.argv[1:2] == ["show"]:
        for name, src, args in generate(int(sys.argv[2]), int(sys.argv[3])):
            print(src)
