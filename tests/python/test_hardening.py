"""Shapes that once produced invalid LLVM IR (PV500, "invalid LLVM IR"): each is now either a
proper fallback with its own code, reason, line and suggestion, or compiled with CPython's exact
behaviour. Every case is also compared with CPython (value, type, exception and message)."""
import pytest

import pyvorin
from pyvorin_testutil import check_all, line_of


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


def test_return_on_one_path_and_falling_off_the_end_is_pv201():
    for fn, args, marker, ty in [(int_or_falls_off, [(1,), (0,), (-5,)], "return 1", "int"),
                                 (float_or_falls_off_in_loop, [(0,), (5,), (2,)], "return x", "float")]:
        jf = pyvorin.jit(fn)
        check_all(fn, args, jf=jf)
        assert_fallback(jf, "PV201", line_of(fn, marker), [ty, "None", "end of the function"])


def test_return_on_one_path_and_falling_off_the_end_strict():
    with pytest.raises(pyvorin.CompilationError) as info:
        pyvorin.jit(strict=True)(int_or_falls_off)(1)
    assert info.value.code == "PV201"
    assert info.value.line == line_of(int_or_falls_off, "return 1")
