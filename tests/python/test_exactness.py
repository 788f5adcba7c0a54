"""Exactness at the edges (issue 6): float() of a string literal follows CPython's grammar and
error message; NaN signs survive LLVM's folding and rewrites; string literals keep NUL characters
and lone surrogates on their way to sys.stdout; rerun-in-CPython cases are decided before any print
and never reported as an int overflow that did not happen."""
import io
import itertools
import linecache
import math
import sys
import textwrap
import traceback

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import pyvorin
from pyvorin_testutil import check, check_all, line_of, pure_cpython, py_of, run, same_value

NAN = float("nan")
NEG_NAN = -NAN
INF = float("inf")

_COUNTER = itertools.count()


def define(src, name="f"):
    """The function `name` defined by src, with its source in linecache so pyvorin can read it."""
    src = textwrap.dedent(src)
    filename = "<exactness-%d>" % next(_COUNTER)
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    namespace = {"math": math}
    exec(compile(src, filename, "exec"), namespace)
    return namespace[name]


def float_of_literal(text):
    """A function returning float(<the literal text>), and its dispatcher."""
    fn = define("def f():\n    return float(%s)\n" % ascii(text))
    return fn, pyvorin.jit(fn)


def assert_native(jf):
    assert jf.fallback_reason is None, jf.fallback_reason
    assert jf.stats["native_calls"] >= 1 and jf.stats["python_calls"] == 0, jf.stats


# ---------------------------------------------------------------------------------------------
# C. NUL characters in string literals reach sys.stdout whole
# ---------------------------------------------------------------------------------------------
def print_nul_literal(x):
    print("x\0y", x)


def print_nul_sep(a, b):
    print(a, b, sep="\0")


def print_nul_end(x):
    print(x, end="\0\0|\n")
    print("\0", "\0", sep="-\0-")


def print_only_nul():
    print("\0")


@pytest.mark.parametrize("fn,args", [(print_nul_literal, (1,)), (print_nul_sep, (1, 2.5)), (print_nul_end, (True,)),
                                     (print_only_nul, ())],
                         ids=["literal", "sep", "end", "only"])
def test_print_keeps_nul(fn, args, capsys):
    with pure_cpython(fn):
        py_of(fn)(*args)
    expected = capsys.readouterr().out
    jf = pyvorin.jit(fn)
    jf(*args)
    got = capsys.readouterr().out
    assert got == expected and "\0" in got
    assert_native(jf)


# ---------------------------------------------------------------------------------------------
# A. float(str): CPython's grammar (Objects/floatobject.c, Python/pystrtod.c) and message
# ---------------------------------------------------------------------------------------------
FLOAT_SPELLINGS = [
    # internal whitespace, C strtod syntax, hex: all ValueError in CPython
    "1 5", "i nf", "- inf", "in f", "1.5 e3", "+ 1", "nan(123)", "nan()", "-nan(0x1)", "0x10", "0x1p3",
    "1.5f", "1,5", "--1", "+-1", "1e", "1e+", ".", "e5", "", " ", "\t\n", "infinit", "infinityy",
    "nanx", "in", "na", "\x1c1.5", "1.5\x1f", "1.5\x7f",
    # underscores: only between digits
    "1_000.5", "1__0", "_1", "1_", "1._5", "1_.5", "1e1_0", "1e_10", "1_e10", "-_1", "0_0", "in_f",
    "1_0_0", "1.0_0", "+1_0", "nan_", "1\x00_0",
    # whitespace CPython strips, ASCII and Unicode
    " 1.5 ", "\t1.5\n", "\v\f\r1.5\r\f\v", "\u20031.5\u3000", "\x851.5", "1.5\xa0", "\u2028-inf\u2029",
    "\u200b1.5",  # zero-width space is not whitespace
    # Unicode decimal digits
    "\u0661\u0662\u0663", "\uff11.\uff15", "\u0661_\u0662", "\u00b2",
    # special values in any case, with signs
    "inf", "INF", "-Inf", "+inf", "infinity", "-INFINITY", "+iNfInItY", "nan", "NaN", "-nan", "+NAN",
    # ordinary numbers, overflow, underflow, signed zeros, NUL
    "1e500", "-1e500", "1e-400", "-1e-400", "-0", "+0.0", ".5", "5.", "0001.5", "1E5", "1e+05", "-.5e-3",
    "1.5\x00abc", "\x001.5", "1.5\x00", "4.9e-324", "2.4703282292062328e-324", "1.7976931348623159e308",
    "0.1", "123456789012345678901234567890", "\ud8001.5", "1.5\udc80",
]


@pytest.mark.parametrize("text", FLOAT_SPELLINGS, ids=[ascii(s) for s in FLOAT_SPELLINGS])
def test_float_of_string_literal(text):
    fn, jf = float_of_literal(text)
    diff = check(fn, jf=jf)
    assert diff is None, diff
    assert_native(jf)


# Characters that make up float spellings, and some that do not.
_FLOAT_ALPHABET = "0123456789_.eE+-infatyINFATY \t\n\x00\x0b\x85\xa0\u3000\u0661\uff15x(),\ud800"
_FLOAT_TEMPLATES = st.sampled_from(["{a}", "{s}{a}{s}", "{a}e{b}", "{a}.{b}", "{sign}{a}", "{s}{sign}inf{s}",
                                    "{sign}nan{a}", "{a}_{b}", "{s}{a}.{b}e{sign}{b}{s}"])


@st.composite
def float_spellings(draw):
    part = st.text(alphabet="0123456789_", max_size=5)
    return draw(_FLOAT_TEMPLATES).format(
        a=draw(part), b=draw(part), sign=draw(st.sampled_from(["", "+", "-", "--", "+ "])),
        s=draw(st.sampled_from(["", " ", "\t", "\u3000", "\x85", "\u200b"])))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(float_spellings(), st.text(alphabet=_FLOAT_ALPHABET, max_size=10)))
@example("1 5")
@example("-1_2.3_4e-1_0")
def test_float_of_string_literal_property(text):
    fn, jf = float_of_literal(text)
    diff = check(fn, jf=jf)
    assert diff is None, diff


# ---------------------------------------------------------------------------------------------
# D. Lone surrogates in string literals: sys.stdout.write gets the same str as in CPython, so the
# stream's error handler decides (UnicodeEncodeError when strict)
# ---------------------------------------------------------------------------------------------
def print_surrogate_end(a):
    print(a, end="\ud800")


def print_surrogate_literal():
    print("\udc80")


def print_surrogate_sep(a, b):
    print(a, "\udcff", b, sep="\udc80")


def print_surrogate_then_more(a):
    print("ok", a)
    print("\udc80\ud800", a, "after")
    print("not reached", a)


def with_stdout(errors, fn, *args):
    """Runs fn(*args) with sys.stdout a UTF-8 TextIOWrapper over BytesIO using `errors`; returns
    the outcome and the bytes that reached the buffer."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8", errors=errors, write_through=True)
    saved = sys.stdout
    sys.stdout = stream
    try:
        outcome = run(fn, *args)
        stream.flush()
    finally:
        sys.stdout = saved
    return outcome, raw.getvalue()


SURROGATE_CASES = [(print_surrogate_end, (7,)), (print_surrogate_literal, ()), (print_surrogate_sep, (1, 2.5)),
                   (print_surrogate_then_more, (3,))]


@pytest.mark.parametrize("errors", ["strict", "surrogateescape", "surrogatepass", "backslashreplace", "replace"])
@pytest.mark.parametrize("fn,args", SURROGATE_CASES, ids=[c[0].__name__ for c in SURROGATE_CASES])
def test_print_lone_surrogate(fn, args, errors):
    with pure_cpython(fn):
        expected, expected_bytes = with_stdout(errors, py_of(fn), *args)
    jf = pyvorin.jit(fn)
    got, got_bytes = with_stdout(errors, jf, *args)
    assert type(got.exc) is type(expected.exc) and str(got.exc) == str(expected.exc), (expected, got)
    assert same_value(expected.value, got.value), (expected, got)
    assert got_bytes == expected_bytes
    assert_native(jf)


class RaisingStream:
    def write(self, text):
        raise ValueError("I/O operation on closed file.")


def print_to_failing_stream(x):
    y = x + 1
    print("value", y)
    return y


def test_exception_from_write_propagates():
    saved = sys.stdout
    sys.stdout = RaisingStream()
    try:
        with pure_cpython(print_to_failing_stream):
            expected = run(py_of(print_to_failing_stream), 1)
        jf = pyvorin.jit(print_to_failing_stream)
        got = run(jf, 1)
    finally:
        sys.stdout = saved
    assert type(got.exc) is ValueError and str(got.exc) == str(expected.exc), (expected, got)
    frames = [(f.name, f.lineno) for f in traceback.extract_tb(got.exc.__traceback__)]
    assert ("print_to_failing_stream", line_of(print_to_failing_stream, 'print("value"')) in frames, frames
    assert_native(jf)


def test_surrogate_literal_in_report_and_types():
    jf = pyvorin.jit(print_surrogate_sep)
    with_stdout("backslashreplace", jf, 1, 2)
    assert "\\udcff" in jf.inspect_types() or "udcff" in str(jf.report)


# ---------------------------------------------------------------------------------------------
# E. Rerun in CPython only when it is exact; never an int overflow that did not happen
# ---------------------------------------------------------------------------------------------
def empty_print_then_overflow(x):
    print(end="")
    return x * x


def test_empty_print_is_not_output(capsys):
    jf = pyvorin.jit(empty_print_then_overflow)
    x = 2**40
    assert jf(x) == x * x and type(jf(x)) is int
    assert jf.stats["python_calls"] >= 1
    assert capsys.readouterr().out == ""


def print_then_round(a):
    print("a =", a)
    return round(a, -1)


def round_ndigits(a, n):
    return round(a, n)


ROUND_INTS = [0, 1, -1, 5, 15, 25, -25, 35, 149, 150, 250, -250, 12345, 10**18 + 5 * 10**17, 5 * 10**18,
              -5 * 10**18, 2**62, -2**62, 2**63 - 1, -2**63, 9 * 10**18, 123456789012345678]
ROUND_FLOATS = [0.0, -0.0, 1.0, -1.0, 5.0, 15.0, 25.0, 35.0, -25.0, 2.5e3, 1234.5, 0.5e2, 1e22, 1.5e22, 2.5e22,
                1.7976931348623157e308, -1.7976931348623157e308, 9.5e307, 5e-324, 123456.789, INF, -INF, NAN, 4.5e15,
                1e300 * 1e8, 8.5e18, 9.5e18, 2.0**70]
ROUND_NDIGITS = [-1, -2, -3, -5, -15, -16, -18, -19, -20, -22, -23, -100, -307, -308, -309, -400]


def test_round_negative_ndigits_ints():
    check_all(round_ndigits, [(a, n) for a in ROUND_INTS for n in ROUND_NDIGITS])
    jf = pyvorin.jit(round_ndigits)
    jf(25, -1)
    assert jf.fallback_reason is None


def test_round_negative_ndigits_floats():
    check_all(round_ndigits, [(a, n) for a in ROUND_FLOATS for n in ROUND_NDIGITS + [-2**40, 0, 1, 2]])


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(-2**63, 2**63 - 1), st.floats(allow_nan=False)), st.integers(-330, 5))
@example(2.5, 0)
@example(-0.5e1, -1)
def test_round_ndigits_property(a, n):
    diff = check(round_ndigits, a, n)
    assert diff is None, diff


def test_round_after_print_is_native(capsys):
    jf = pyvorin.jit(print_then_round)
    for a in (15, 25, -25, 14.9, 25.0, 2.5e22, 1.7976931348623157e308, -4.0):
        with pure_cpython(print_then_round):
            expected = run(py_of(print_then_round), a)
        expected_out = capsys.readouterr().out
        got = run(jf, a)
        assert capsys.readouterr().out == expected_out
        assert same_value(expected.value, got.value) and type(expected.exc) is type(got.exc) and \
            str(expected.exc) == str(got.exc), (expected, got)
    assert_native(jf)


def print_then_fractional_power(a):
    print("a =", a)
    return a ** 0.5


def print_then_variable_power(a, b):
    print("a =", a)
    return a ** b


def fractional_power_of_nonnegative(a):
    print("a =", a)
    return abs(a) ** 0.5 + 2.0 ** a + a ** 2.0 + a ** -3.0


def fractional_power(a, b):
    return a ** b


def test_fractional_power_after_print_is_decided_at_compile_time(capsys):
    for fn, argsets in ((print_then_fractional_power, [(-4.0,), (4.0,), (-8,), (0.0,)]),
                        (print_then_variable_power, [(-8.0, 1.0 / 3), (2.0, 0.5), (-2, 0.5), (-2.0, 3)])):
        jf = pyvorin.jit(fn)
        for args in argsets:
            with pure_cpython(fn):
                expected = run(py_of(fn), *args)
            expected_out = capsys.readouterr().out
            got = run(jf, *args)
            assert capsys.readouterr().out == expected_out
            assert got.exc is None and expected.exc is None and same_value(expected.value, got.value), (expected, got)
    # the signatures whose base may be negative run in CPython, with the reason
    jf = pyvorin.jit(print_then_fractional_power)
    jf(4.0)
    capsys.readouterr()
    assert jf.stats["native_calls"] == 0
    assert jf.fallback["code"].startswith("PV2") and "negative" in jf.fallback["reason"] and \
        "**" in jf.fallback["reason"] and jf.fallback["line"] == line_of(print_then_fractional_power, "a ** 0.5"), \
        jf.fallback


def test_fractional_power_of_nonnegative_base_stays_native(capsys):
    jf = pyvorin.jit(fractional_power_of_nonnegative)
    for x in (-4.0, 0.5, 3.0):
        with pure_cpython(fractional_power_of_nonnegative):
            expected = py_of(fractional_power_of_nonnegative)(x)
        got = jf(x)
        assert same_value(expected, got), (expected, got)
    assert_native(jf)


def test_fractional_power_without_print_reruns():
    check_all(fractional_power, [(-8.0, 1.0 / 3), (-4.0, 0.5), (4.0, 0.5), (-2.0, 3.0), (-2, 0.5), (0.0, -0.5)])


# ---------------------------------------------------------------------------------------------
# B. NaN signs: an invalid operation gives x86's default NaN (sign set), as in CPython; an
# operation with a NaN operand keeps that NaN's sign; only unary minus flips it.
# ---------------------------------------------------------------------------------------------
def nan_inf_times_zero():
    return math.inf * 0.0


def nan_inf_minus_inf():
    x = math.inf
    return x - x


def nan_overflow_folded():
    return 1e308 * 10 - 1e308 * 10


def nan_inf_over_inf(k):
    a = math.inf
    b = -math.inf if k else math.inf
    return a / b


def nan_from_float_literals():
    return float("inf") * 0 + float("-inf") - float("-inf")


def times_minus_one(x):
    return x * -1.0


def over_minus_one(x):
    return x / -1.0


def int_minus_one_times(x):
    return -1 * x


def int_variable_times(x):
    n = -1
    return n * x


def minus_zero_minus(x):
    return -0.0 - x


def minus_one_constant_times(x):
    m = -1.0
    y = m * x
    return y * m


def negated(x):
    return -x


def negated_twice(x):
    return -(-x)


def minus_negated(x, y):
    return x - (-y)


def plus_negated(x, y):
    return x + (-y)


NAN_CONSTANT_CASES = [nan_inf_times_zero, nan_inf_minus_inf, nan_overflow_folded, nan_from_float_literals]
NAN_OPERAND_CASES = [times_minus_one, over_minus_one, int_minus_one_times, int_variable_times, minus_zero_minus,
                     minus_one_constant_times, negated, negated_twice]


@pytest.mark.parametrize("fn", NAN_CONSTANT_CASES, ids=[f.__name__ for f in NAN_CONSTANT_CASES])
def test_folded_nan_has_cpythons_sign(fn):
    expected = py_of(fn)()
    got = pyvorin.jit(fn)()
    assert math.isnan(got) and math.copysign(1.0, got) == math.copysign(1.0, expected), (expected, got)


def test_inf_over_inf_nan_sign():
    check_all(nan_inf_over_inf, [(0,), (1,)])


@pytest.mark.parametrize("fn", NAN_OPERAND_CASES, ids=[f.__name__ for f in NAN_OPERAND_CASES])
def test_nan_operand_keeps_its_sign(fn):
    check_all(fn, [(NAN,), (NEG_NAN,), (1.5,), (-0.0,), (0.0,), (INF,), (-INF,)])
    for x in (NAN, NEG_NAN):
        assert math.copysign(1.0, pyvorin.jit(fn)(x)) == math.copysign(1.0, py_of(fn)(x))


@pytest.mark.parametrize("fn", [minus_negated, plus_negated], ids=["minus_negated", "plus_negated"])
def test_negated_nan_operand_keeps_the_flipped_sign(fn):
    values = [NAN, NEG_NAN, 2.0, -0.0]
    check_all(fn, [(x, y) for x in values for y in values if not (math.isnan(x) and math.isnan(y))])
    for y in (NAN, NEG_NAN):
        assert math.copysign(1.0, pyvorin.jit(fn)(1.0, y)) == math.copysign(1.0, py_of(fn)(1.0, y))
