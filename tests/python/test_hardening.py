"""Shapes that once produced invalid LLVM IR (PV500, "invalid LLVM IR"): each is now either a
proper fallback with its own code, reason, line and suggestion, or compiled with CPython's exact
behaviour. Every case is also compared with CPython (value, type, exception and message)."""
import traceback

import pytest

import pyvorin
from pyvorin_testutil import check_all, line_of, module_from_source, run


def assert_fallback(jf, code, line, words):
    fb = jf.fallback
    assert fb is not None, "compiled, expected a %s fallback" % code
    assert fb["code"] == code, jf.fallback_reason
    assert fb["line"] == line, jf.fallback_reason
    assert fb["suggestion"], jf.fallback_reason
    for word in words:
        assert word in fb["reason"], jf.fallback_reason


# ---- 1. an int on one path, the end of the function (None) on another: PV201 ----

def int_or_falls_off(a):
    if a > 0:
        return 1


def float_or_falls_off_in_loop(n):
    x = 0.5
    while n > 0:
        n -= 1
        if n == 3:
            return x


def test_return_on_one_path_and_falling_off_the_end_is_int_or_none():
    # Issue 7: a result that may be None compiles to `T | None` (it was PV201, and PV500 before).
    for fn, args, ty in [(int_or_falls_off, [(1,), (0,), (-5,)], "int | None"),
                         (float_or_falls_off_in_loop, [(0,), (5,), (2,)], "float | None")]:
        jf = pyvorin.jit(fn)
        check_all(fn, args, jf=jf)
        assert jf.fallback is None, jf.fallback_reason
        assert jf.stats["native_calls"] == len(args)
        assert jf.report["signatures"][0]["return"] == ty


def test_return_on_one_path_and_falling_off_the_end_strict():
    assert pyvorin.jit(strict=True)(int_or_falls_off)(1) == 1
    assert pyvorin.jit(strict=True)(int_or_falls_off)(0) is None


# ---- 2. and/or/ternary/min/max of mixed types through recursion: a fallback, not PV500 ----

RECURSIVE = '''
import pyvorin


@pyvorin.jit
def or_true(d):
    if d <= 0:
        return 0
    return or_true(d - 1) or True


@pyvorin.jit
def and_float(d):
    if d <= 0:
        return 0
    return and_float(d - 1) and 1.5


@pyvorin.jit
def ternary_bool(d):
    if d <= 0:
        return 0
    return ternary_bool(d - 1) if d > 5 else True


@pyvorin.jit
def max_bool(d):
    if d <= 0:
        return 0
    return max_bool(d - 1) if d > 5 else max(max_bool(d - 1), True)


@pyvorin.jit
def not_or_int(d):
    if d > 0:
        return not not_or_int(d - 1) or d
    return 0


@pyvorin.jit
def or_then_add(d):
    if d > 0:
        return (or_then_add(d - 1) or 0) + True
    return False


@pyvorin.jit
def or_in_variable(d):
    if d <= 0:
        return 1.5
    x = or_in_variable(d - 1) or 2
    return x


@pyvorin.jit
def mutual_a(d):
    if d > 0:
        return mutual_b(d - 1)
    return 1


@pyvorin.jit
def mutual_b(d):
    return mutual_a(d) or False


@pyvorin.jit
def negated_or(d):
    if d > 0:
        return -negated_or(d - 1) or True
    return 0
'''

# name -> (expected code, marker of the reported line, words in the reason)
RECURSIVE_CASES = {
    "or_true": ("PV202", "or_true(d - 1) or True", ["'or'", "int", "bool"]),
    "and_float": ("PV202", "and_float(d - 1) and 1.5", ["'and'", "int", "float"]),
    "ternary_bool": ("PV200", "else True", ["int", "bool"]),
    "max_bool": ("PV202", "max(max_bool", ["max()"]),
    "not_or_int": ("PV202", "or d", ["'or'", "bool", "int"]),
    "or_then_add": ("PV201", "return False", ["bool", "line"]),
    "or_in_variable": ("PV200", "x = or_in_variable", ["'x'"]),
    "mutual_a": ("PV201", "return 1", ["int"]),
    "negated_or": ("PV201", "return 0", ["int", "another type"]),
}


@pytest.fixture(scope="module")
def recursive():
    return module_from_source(RECURSIVE, "hardening_recursive")


@pytest.mark.parametrize("name", sorted(RECURSIVE_CASES))
def test_mixed_types_through_recursion_fall_back(recursive, name):
    code, marker, words = RECURSIVE_CASES[name]
    jf = getattr(recursive, name)
    check_all(jf, [(0,), (1,), (3,), (7,)])
    assert_fallback(jf, code, line_of(jf, marker), words)


# ---- 3. augmented assignment to a local that is never bound: UnboundLocalError ----

AUG_OPS = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^="]
UNBOUND = "cannot access local variable 'i' where it is not associated with a value"

def unbound_source():
    lines = ["import pyvorin", ""]
    for k, op in enumerate(AUG_OPS):
        lines += ["", "@pyvorin.jit", "def aug_%d(a):" % k, "    i %s a" % op, "    return a", ""]
        lines += ["", "@pyvorin.jit", "def aug_late_%d(a):" % k, "    print('before', a)",
                  "    if a > 10 ** 6:", "        return a", "    i %s 2" % op, "    return i", ""]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def unbound():
    return module_from_source(unbound_source(), "hardening_unbound")


@pytest.mark.parametrize("k", range(len(AUG_OPS)), ids=AUG_OPS)
def test_augmented_assignment_to_unbound_local(unbound, k, capfd):
    for name, marker in [("aug_%d" % k, "i " + AUG_OPS[k] + " a"), ("aug_late_%d" % k, "i " + AUG_OPS[k] + " 2")]:
        jf = getattr(unbound, name)
        for a in (3, -1, 2.5, float("nan"), True, False):
            got = run(jf, a)
            assert jf.fallback is None, jf.fallback_reason
            text = capfd.readouterr().out
            expected = run(jf.py_func, a)
            assert text == capfd.readouterr().out, (name, a)
            assert isinstance(got.exc, UnboundLocalError), (name, a, got)
            assert str(got.exc) == UNBOUND and str(expected.exc) == UNBOUND
            last = traceback.extract_tb(got.exc.__traceback__)[-1]
            assert (last.name, last.lineno) == (name, line_of(jf, marker))
        assert jf.stats["python_calls"] == 0 and jf.stats["native_calls"] >= 6, jf.stats


AUG_SHAPES = '''
import pyvorin


@pyvorin.jit
def in_loop(n):
    t = 0
    for k in range(n):
        t += k
    j = 0
    while j < n:
        j += 1
        i -= j
    return t


@pyvorin.jit
def some_paths(n):
    if n > 2:
        i = n
    i *= 2
    return i


@pyvorin.jit
def annotated_only(n):
    i: int
    return n + i


@pyvorin.jit
def in_call_argument(n):
    r = max(n, i + 1)
    i += 1
    return n


@pyvorin.jit
def in_comparison(x):
    if x < i:
        i -= 1.0
    return x


@pyvorin.jit
def in_condition(x):
    r = 1 if i or x else 2
    i **= 2
    return r


@pyvorin.jit
def in_range(n):
    t = 0
    for k in range(i):
        t += k
        i >>= 1
    return t


@pyvorin.jit
def in_walrus(n):
    if (m := i * 2) > n:
        return m
    i %= 2
    return n
'''


@pytest.fixture(scope="module")
def shapes():
    return module_from_source(AUG_SHAPES, "hardening_shapes")


@pytest.mark.parametrize("name", ["in_loop", "some_paths", "annotated_only", "in_call_argument",
                                  "in_comparison", "in_condition", "in_range", "in_walrus"])
def test_never_bound_local_in_every_position(shapes, name):
    jf = getattr(shapes, name)
    args = [(0,), (1,), (3,), (5,)] if name != "in_comparison" else [(0.5,), (2.0,)]
    check_all(jf, args)
    assert jf.fallback is None or jf.fallback["code"] != "PV500", jf.fallback_reason
    if name not in ("annotated_only",):
        assert jf.fallback is None, jf.fallback_reason
