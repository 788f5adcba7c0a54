"""Hypothesis properties for native str (issue 8): random Unicode text (every code point but the
surrogates, with NUL, combining marks and Unicode whitespace mixed in) through compiled split,
strip, find, replace, case mapping, slicing, len, indexing and join; random format specs built
from the format-spec mini-language (fill, align, sign, z, #, 0, width, grouping, precision, type)
for ints and floats through format(x, spec) and f"{x:{spec}}". Every call is compared with CPython
(value and type, exception type and message; str results code point for code point) and must
run natively."""
from hypothesis import given, settings, strategies as st

import pyvorin
from container_testutil import call_both, outcome_diff, short, why_not_native

INT64_MIN = -2**63
INT64_MAX = 2**63 - 1

# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------
SPECIAL = ["\0", "\u0301", "\u0308", "\u20dd", " ", "\t", "\n", "\r", "\x0b", "\x1c", "\x85",
           "\xa0", "\u2028", "\u3000", "a", "A", "é", "ß", "İ", "ǅ", "ﬁ", "Σ", "☕", "𝔘", "𐐀",
           "1", "٣", ",", "-", "x"]
chars = st.one_of(st.characters(blacklist_categories=("Cs",)), st.sampled_from(SPECIAL))
# Joined pieces rather than st.text: a piece may be "\r\n", which splitlines keeps together.
texts = st.lists(st.one_of(chars, st.just("\r\n")), max_size=40).map("".join)
one_char = chars
small_ints = st.integers(min_value=-60, max_value=60)


@st.composite
def text_and_sub(draw):
    """A text and a non-empty substring: usually a piece of the text, else random."""
    s = draw(texts)
    if s and draw(st.booleans()):
        a = draw(st.integers(0, len(s) - 1))
        b = draw(st.integers(a + 1, min(len(s), a + 4)))
        return s, s[a:b]
    return s, draw(st.text(alphabet=chars, min_size=1, max_size=3))


# ---------------------------------------------------------------------------------------------
# Compiled functions
# ---------------------------------------------------------------------------------------------
def split_ops(s, sep, n):
    return s.split(), s.split(sep), s.rsplit(sep), s.split(sep, n), s.rsplit(None, n), \
        s.splitlines(), s.splitlines(True)


def strip_ops(s, chars_):
    return s.strip(), s.lstrip(), s.rstrip(), s.strip(chars_), s.lstrip(chars_), s.rstrip(chars_)


def strip_truth_ops(s):
    n = 0
    if s.strip():
        n += 1
    if s.lstrip():
        n += 2
    if not s.rstrip():
        n += 4
    return n, bool(s.strip()), "t" if s.strip() else "f"


def find_ops(s, sub, a, b):
    return s.find(sub), s.rfind(sub), s.count(sub), s.find(sub, a, b), s.rfind(sub, a, b), \
        s.count(sub, a, b), sub in s, s.startswith(sub, a), s.endswith(sub, a, b)


def index_op(s, sub):
    return s.index(sub), s.rindex(sub)


def replace_ops(s, old, new, n):
    return s.replace(old, new), s.replace(old, new, n), s.partition(old), s.rpartition(old)


def case_ops(s):
    return s.upper(), s.lower(), s.title(), s.isdigit(), s.isalpha(), s.isalnum(), s.isspace(), \
        s.isupper(), s.islower()


def slice_ops(s, a, b, c):
    return s[a:b], s[a:], s[:b], s[a:b:c], s[::c], len(s[a:b:c])


def index_char(s, i):
    return s[i], len(s)


def join_ops(words, sep):
    return sep.join(words), "".join(words), sep.join([w + sep for w in words]), len(sep.join(words))


def build_ops(s):
    out = ""
    n = 0
    for ch in s:
        out = ch + out
        if ch.isspace():
            n += 1
    return out, n, s + s, s * 2, s == out[::-1], s < out, s >= out, out[::-1] in {s: 1}


def pad_ops(s, w, fill):
    return s.center(w, fill), s.ljust(w, fill), s.rjust(w, fill), s.zfill(w), f"{s:{fill}^{abs(w)}}"


def char_ops(s, t, i, j):
    # code points compared without str objects: s[i] == t[j], s[i] == "é", chains
    return (s[i] == t[j], s[i] != t[j], s[i] == "é", "𝔘" != t[j], s[i] == "\0", s[i] == s[i],
            s[i] < t[j], s[i] == t[j] == "a")


def append_ops(parts, sep):
    # s += t in place while s holds the only reference; every alias keeps its value
    s = ""
    seen = []
    for p in parts:
        s += p
        seen.append(s)
        s = s + sep
    t = s
    t += sep
    return s, t, seen


def parse_int(s):
    return int(s)


def parse_int_base(s, b):
    return int(s, b)


def parse_float(s):
    return float(s)


def fmt(x, spec):
    return format(x, spec)


def fstr(x, spec):
    return f"{x:{spec}}"


JITTED = {f.__name__: pyvorin.jit(f) for f in (
    split_ops, strip_ops, strip_truth_ops, find_ops, index_op, replace_ops, case_ops, slice_ops,
    index_char,
    join_ops, build_ops, pad_ops, char_ops, append_ops, parse_int, parse_int_base, parse_float,
    fmt, fstr)}


def agree(fn, *args, may_rerun=False):
    """fn's dispatcher and CPython agree on args, and the call ran natively (or, may_rerun, reran
    in CPython: an int result beyond int64)."""
    jf = JITTED[fn.__name__]
    before = dict(jf.stats)
    expected, got, eo, go, ea, ga = call_both(fn, jf, args)
    d = outcome_diff(expected, got, ea, ga)
    assert d is None, "%s(%s): %s" % (fn.__name__, ", ".join(short(a) for a in args), d)
    assert eo == go
    ran_native = jf.stats["native_calls"] == before["native_calls"] + 1 and \
        jf.stats["python_calls"] == before["python_calls"]
    if may_rerun and expected.exc is None and isinstance(expected.value, int) and \
            not INT64_MIN <= expected.value <= INT64_MAX:
        return
    assert ran_native, "%s(%s) ran in CPython: %s" % (
        fn.__name__, ", ".join(short(a) for a in args), why_not_native(jf))


# ---------------------------------------------------------------------------------------------
# Text properties
# ---------------------------------------------------------------------------------------------
@settings(max_examples=200, deadline=None)
@given(text_and_sub(), st.integers(-2, 5))
def test_split_matches_cpython(ts, n):
    s, sep = ts
    agree(split_ops, s, sep, n)


@settings(max_examples=200, deadline=None)
@given(texts, st.text(alphabet=chars, max_size=4))
def test_strip_matches_cpython(s, chars_):
    agree(strip_ops, s, chars_)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(SPECIAL + ["\u1680", "\u2000", "\u200b", "\ufeff", "\x1f"]),
                max_size=6).map("".join))
def test_strip_truth_matches_cpython(s):
    agree(strip_truth_ops, s)


@settings(max_examples=200, deadline=None)
@given(text_and_sub(), small_ints, small_ints)
def test_find_matches_cpython(ts, a, b):
    s, sub = ts
    agree(find_ops, s, sub, a, b)


@settings(max_examples=200, deadline=None)
@given(text_and_sub())
def test_index_matches_cpython(ts):
    agree(index_op, *ts)


@settings(max_examples=200, deadline=None)
@given(text_and_sub(), st.text(alphabet=chars, max_size=3), st.integers(-2, 4))
def test_replace_matches_cpython(ts, new, n):
    s, old = ts
    agree(replace_ops, s, old, new, n)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_case_mapping_matches_cpython(s):
    agree(case_ops, s)


@settings(max_examples=200, deadline=None)
@given(texts, small_ints, small_ints, st.sampled_from([-5, -4, -3, -2, -1, 1, 2, 3, 4, 5]))
def test_slicing_matches_cpython(s, a, b, c):
    agree(slice_ops, s, a, b, c)


@settings(max_examples=200, deadline=None)
@given(texts, st.one_of(small_ints, st.integers(INT64_MIN, INT64_MAX)))
def test_indexing_matches_cpython(s, i):
    agree(index_char, s, i)


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, min_size=1, max_size=8), st.text(alphabet=chars, max_size=3))
def test_join_matches_cpython(words, sep):
    agree(join_ops, words, sep)


@settings(max_examples=200, deadline=None)
@given(texts)
def test_building_matches_cpython(s):
    agree(build_ops, s)


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(-3, 60), one_char)
def test_padding_matches_cpython(s, w, fill):
    agree(pad_ops, s, w, fill)


@settings(max_examples=200, deadline=None)
@given(texts, texts, st.integers(-45, 45), st.integers(-45, 45))
def test_char_compare_matches_cpython(s, t, i, j):
    agree(char_ops, s, t, i, j)


@settings(max_examples=200, deadline=None)
@given(st.lists(texts, max_size=8), st.text(alphabet=chars, max_size=2))
def test_append_matches_cpython(parts, sep):
    agree(append_ops, parts, sep)


# ---------------------------------------------------------------------------------------------
# int(s), int(s, base), float(s): text from the numeric grammar, near misses, edges
# ---------------------------------------------------------------------------------------------
BLANKS = ["", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\xa0", "\u3000", "\0", "  "]
DIGITS = "0123456789"


@st.composite
def number_texts(draw, alphabet=DIGITS, float_syntax=False):
    parts = [draw(st.sampled_from(BLANKS)), draw(st.sampled_from(["", "", "+", "-", "--", "+-"]))]
    body = draw(st.one_of(
        st.text(alphabet=alphabet, min_size=1, max_size=25),
        st.sampled_from(["9223372036854775807", "9223372036854775808", "999999999999999999",
                         "1000000000000000000", "000000000000000000001", "0", "00", "1_000",
                         "1__0", "_1", "1_", "٣٤", "1٣", "𝟘𝟙", "1 2", "", "0x1f", "0o7", "0b1"]),
        st.lists(st.text(alphabet=alphabet, min_size=1, max_size=4), min_size=2, max_size=4)
        .map("_".join)))
    parts.append(body)
    if float_syntax:
        parts.append(draw(st.sampled_from(["", "", ".", ".5", ".0e", "e5", "E-3", "e+400", "e-400",
                                           "e", ".e1", "5e1.2", ".25", "e0", "1e23"])))
        if draw(st.booleans()):
            parts = [draw(st.sampled_from(BLANKS)), draw(st.sampled_from([
                "inf", "-Infinity", "nan", "-nan", "+NaN", "infinity", "infinit", "in f", "nan(1)",
                "1e23", "2.2250738585072011e-308", "4.9e-324", "2.4703282292062328e-324",
                "9007199254740993", "0.1000000000000000055511151231257827",
                "1.7976931348623159e308",
                ".", "-.", "+.e1", "1.5.", "0x1p3", "1e", "1e+", "١.٥", "1_0.5", "1._5", "1e1_0"]))]
    parts.append(draw(st.sampled_from(BLANKS)))
    return "".join(parts)


@settings(max_examples=200, deadline=None)
@given(number_texts())
def test_int_parsing_matches_cpython(s):
    agree(parse_int, s, may_rerun=True)


@settings(max_examples=200, deadline=None)
@given(st.one_of(number_texts("0123456789abcdefxyzABCXZ"), st.sampled_from([
    "0x", "0x_1", "0_x1", "0b102", "0o8", "0X1F", "-0b1_0", "z" * 14, "Z" * 13])),
    st.sampled_from([0, 2, 8, 10, 16, 36, 1, 37, -1]))
def test_int_base_parsing_matches_cpython(s, b):
    agree(parse_int_base, s, b, may_rerun=True)


@settings(max_examples=200, deadline=None)
@given(number_texts(float_syntax=True))
def test_float_parsing_matches_cpython(s):
    agree(parse_float, s)


# ---------------------------------------------------------------------------------------------
# Format specs: [[fill]align][sign]["z"]["#"]["0"][width][grouping]["." precision][type]
# ---------------------------------------------------------------------------------------------
def spec_strategy(types, sample, floats_only):
    """Specs from the mini-language that CPython accepts for sample (a value of the kind); "z"
    and a precision only where they can be accepted (floats), so the filter rejects little.
    sample None: every spec the grammar builds, valid for the value or not."""
    fill = st.one_of(one_char, st.sampled_from(["*", "0", " ", "{", "}", "\0", "☕"]))
    no = st.just("")

    @st.composite
    def specs(draw):
        align = draw(st.sampled_from(["", "<", ">", "^", "="]))
        f = draw(fill) if align else ""
        parts = [f, align,
                 draw(st.sampled_from(["", "+", "-", " "])),
                 draw(st.sampled_from(["", "z"]) if floats_only else no),
                 draw(st.sampled_from(["", "#"])),
                 draw(st.sampled_from(["", "0"])),
                 draw(st.one_of(st.just(""), st.integers(0, 40).map(str))),
                 draw(st.sampled_from(["", ",", "_"])),
                 draw(st.one_of(no, st.integers(0, 25).map(lambda p: "." + str(p)))
                      if floats_only else no),
                 draw(st.sampled_from([""] + list(types)))]
        return "".join(parts)

    def accepted(spec):
        try:
            format(sample, spec)
        except (ValueError, TypeError, OverflowError):
            return False
        return True

    return specs().filter(accepted) if sample is not None else specs()


INT_SPECS = spec_strategy("bcdoxXn", 65, False)
FLOAT_SPECS = spec_strategy("eEfFgG%", 1.5, True)
ints = st.one_of(st.integers(INT64_MIN, INT64_MAX), st.integers(-2000, 2000),
                 st.sampled_from([0, -1, 1, INT64_MIN, INT64_MAX, 0x10FFFF, 0x110000, 1000000]))
floats = st.one_of(st.floats(), st.sampled_from([0.0, -0.0, 0.5, 2.5, -1.5, 1e16, 1e-7, 123456.789,
                                                  5e-324, 1.7976931348623157e308, float("inf"),
                                                  -float("inf"), float("nan"), -float("nan")]))


@settings(max_examples=200, deadline=None)
@given(ints, INT_SPECS)
def test_int_format_matches_cpython(x, spec):
    agree(fmt, x, spec)


@settings(max_examples=200, deadline=None)
@given(ints, INT_SPECS)
def test_int_fstring_matches_cpython(x, spec):
    agree(fstr, x, spec)


@settings(max_examples=200, deadline=None)
@given(floats, FLOAT_SPECS)
def test_float_format_matches_cpython(x, spec):
    agree(fmt, x, spec)


@settings(max_examples=200, deadline=None)
@given(floats, FLOAT_SPECS)
def test_float_fstring_matches_cpython(x, spec):
    agree(fstr, x, spec)


@settings(max_examples=200, deadline=None)
@given(texts, st.sampled_from(["", "s", "<10", ">5", "^9", "*^9", ".3", "☕>7.2", "\0<4"]))
def test_str_format_matches_cpython(s, spec):
    agree(fmt, s, spec)
    agree(fstr, s, spec)


# Any spec of the grammar for any value: where CPython raises (a float with "d", a str with a
# sign, "," with "c", "=" on a str, an int with a precision), the same exception and message.
ANY_SPECS = spec_strategy("bcdeEfFgGnosxX%", None, True)
values = st.one_of(ints, floats, texts, st.booleans())


@settings(max_examples=200, deadline=None)
@given(values, ANY_SPECS)
def test_any_spec_any_value_matches_cpython(x, spec):
    agree(fmt, x, spec)
    agree(fstr, x, spec)


@settings(max_examples=200, deadline=None)
@given(ints, FLOAT_SPECS)
def test_int_with_float_spec_matches_cpython(x, spec):
    # eEfFgG% convert the int to float first (2**63 - 1 rounds to 2**63)
    agree(fmt, x, spec)
    agree(fstr, x, spec)


# ---------------------------------------------------------------------------------------------
# Literal format specs: f"{x:.3f}" and format(x, ".3f") with the spec in the source, where the
# compiler may format natively, for random values (the specs above reach it only at run time)
# ---------------------------------------------------------------------------------------------
import pytest  # noqa: E402

from pyvorin_testutil import module_from_source  # noqa: E402

INT_LITERAL_SPECS = ["", "d", "5d", "<5", ">5", "^5", "05d", "+d", " d", ",", "_", ",d", "x", "X",
                     "#x", "#X", "o", "#o", "b", "#b", "08b", "_b", "_x", "c", "n", "=+8", "*^9",
                     "0>5", "+,", "-05", ".2f", "e", "%", ".0f", ">+#12_x", "010,", "\\0<4", "☕^7",
                     "_o", "10_x", "012_d", "10,d", "<10,", "^12_", "08d", "08x", "+08d", "-08x",
                     " 08d", "0<5", "*=10", "=10x", "𝔘>6", "é<5", "30", "+", "-", " ", "1", "0",
                     "99999999999999999999", ".5", "_X", "^+#10b"]
FLOAT_LITERAL_SPECS = ["", ".3f", "f", ".0f", ".1f", "10.2f", "<10.2f", "^10.2f", "=+10.2f", "+.3e",
                       "e", "E", ".10e", "g", ".3g", "G", ".17g", ".1%", "%", "10.2%", ",.2f",
                       "_.3f", "012.3f", "+f", " f", "z.2f", "#.0f", "#g", ".0e", "n", ".50f",
                       "020,.2f", "*>12.4g", "-.1F", "F", ".0%", ".2", "010.2f", "=10.2f",
                       "+010.3e", ",.0f", "15,.2f", "12,.3e", ",.1%", ".30f", ".100f", "+", "+10",
                       "<10", "^+12", "𝔘^12.3f", "é>9.1e", "\\0=+9.2f", "_.0%", "_", ",", "0",
                       "99999999999999999999.1f", ".2147483648f", ".99999999999999999999f"]
STR_LITERAL_SPECS = ["", "s", ">10", "<10", "^10", ".3", "*^9.2", "10s", "\\0>3", "𝔘<4", ".0",
                     "<0", "5", ">1", "é^6.4", "0", "010", "=5", "+", ",", "d"]


def _literal_spec_module():
    src = []
    kinds = (("i", INT_LITERAL_SPECS), ("f", FLOAT_LITERAL_SPECS), ("s", STR_LITERAL_SPECS))
    for kind, specs in kinds:
        for k, spec in enumerate(specs):
            src.append('def lit_%s%d(x):\n'
                       '    return (f"{x:%s}", format(x, "%s"), f"<{x:%s}|{x}>",\n'
                       '            f"é{x:%s}☕{x!s:%s}𝔘\\0")\n'
                       % (kind, k, spec, spec, spec, spec, spec))
    src.append('def lit_mix(n, x, s):\n'
               '    return f"{n:>5}|{x:.2f}|{s:<4}|{n:_x}|{x:+.1e}|{s}|{n}|{x}"\n')
    return module_from_source("\n\n".join(src), name="string_literal_specs")


_LIT = _literal_spec_module()
_LIT_JIT = {}


def agree_literal(name, *args):
    fn = getattr(_LIT, name)
    jf = _LIT_JIT.setdefault(name, pyvorin.jit(fn))
    before = dict(jf.stats)
    expected, got, _, _, ea, ga = call_both(fn, jf, args)
    where = "%s(%s)" % (name, ", ".join(short(a) for a in args))
    d = outcome_diff(expected, got, ea, ga)
    assert d is None, "%s: %s" % (where, d)
    assert jf.stats["native_calls"] == before["native_calls"] + 1, \
        "%s ran in CPython: %s" % (where, why_not_native(jf))


@pytest.mark.parametrize("k", range(len(INT_LITERAL_SPECS)), ids=INT_LITERAL_SPECS)
@settings(max_examples=60, deadline=None)
@given(x=ints)
def test_int_literal_spec_matches_cpython(k, x):
    agree_literal("lit_i%d" % k, x)


@pytest.mark.parametrize("k", range(len(FLOAT_LITERAL_SPECS)), ids=FLOAT_LITERAL_SPECS)
@settings(max_examples=60, deadline=None)
@given(x=floats)
def test_float_literal_spec_matches_cpython(k, x):
    agree_literal("lit_f%d" % k, x)


@pytest.mark.parametrize("k", range(len(STR_LITERAL_SPECS)), ids=STR_LITERAL_SPECS)
@settings(max_examples=60, deadline=None)
@given(x=texts)
def test_str_literal_spec_matches_cpython(k, x):
    agree_literal("lit_s%d" % k, x)


@settings(max_examples=200, deadline=None)
@given(ints, floats, texts)
def test_mixed_literal_fields_match_cpython(n, x, s):
    agree_literal("lit_mix", n, x, s)
