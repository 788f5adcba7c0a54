"""Module-level int, float, bool and None globals compile as constants: the value is baked into the
code, and rebinding or deleting the global recompiles (CPython reads globals at call time)."""
import math

import pytest

import pyvorin
from pyvorin_testutil import module_from_source

SOURCE = """
import pyvorin

K0 = 0.5
IDENT = 1
FLAG = True
DEBUG = None
NEG = -7
NEGZERO = -0.0
BIG = 2 ** 70
NAMES = [1, 2]
TEXT = "abc"

@pyvorin.jit
def scale(x: float):
    return x * K0 + IDENT

@pyvorin.jit
def ident(n: int):
    return n + IDENT

@pyvorin.jit
def flag(n: int):
    return FLAG

@pyvorin.jit
def debug(n: int):
    if DEBUG is None:
        return n + 1
    return n

@pyvorin.jit
def neg(n: int):
    return n * NEG

@pyvorin.jit
def negzero():
    return NEGZERO

@pyvorin.jit
def big(n: int):
    return BIG + n

@pyvorin.jit
def names(n: int):
    return NAMES

@pyvorin.jit
def text(n: int):
    return TEXT

@pyvorin.jit
def shadow(n: int):
    IDENT = n * 2
    return IDENT

@pyvorin.jit
def writes(n: int):
    global IDENT
    IDENT = n
    return n

@pyvorin.jit
def callee(x: float):
    return x * K0

@pyvorin.jit
def caller(x: float):
    return callee(x) + 1.0

@pyvorin.jit
def loop(n: int):
    total = 0.0
    for i in range(n):
        total += K0 * i
    return total
"""


@pytest.fixture
def m():
    return module_from_source(SOURCE, name="consts_module")


def native(f):
    return f.stats["native_calls"]


def test_float_and_int_constants_compile_natively(m):
    assert m.scale(2.0) == 2.0
    assert native(m.scale) == 1 and m.scale.fallback_reason is None
    assert m.scale.report["status"] == "compiled"
    assert m.ident(41) == 42 and native(m.ident) == 1
    assert m.neg(3) == -21 and native(m.neg) == 1
    assert m.loop(10) == 22.5 and native(m.loop) == 1


def test_the_trace_names_the_global_constant(m):
    m.scale(1.0)
    trace = m.scale.inspect_types()
    assert "K0: float \u2190 global constant K0 = 0.5" in trace
    assert "IDENT: int \u2190 global constant IDENT = 1" in trace


def test_bool_stays_bool_and_none_stays_none(m):
    r = m.flag(1)
    assert r is True and native(m.flag) == 1
    assert m.debug(1) == 2 and native(m.debug) == 1
    m.DEBUG = 5
    assert m.debug(1) == 1
    z = m.negzero()
    assert z == 0.0 and math.copysign(1.0, z) == -1.0 and native(m.negzero) == 1


def test_rebinding_recompiles_with_the_new_value(m):
    assert m.scale(2.0) == 2.0
    m.K0 = 0.75
    assert m.scale(2.0) == 2.5
    assert native(m.scale) == 2
    m.IDENT = 10
    assert m.scale(2.0) == 11.5
    # A rebinding to another type: the new type is compiled.
    m.K0 = 3
    r = m.scale(2.0)
    assert r == 16.0 and type(r) is float
    m.IDENT = True
    assert m.ident(1) == 2 and type(m.ident(1)) is int
    assert native(m.scale) == 4


def test_deleting_the_global_raises_cpythons_name_error(m):
    assert m.scale(2.0) == 2.0
    del m.K0
    with pytest.raises(NameError, match="name 'K0' is not defined"):
        m.scale(2.0)
    m.K0 = 0.25
    assert m.scale(2.0) == 1.5
    assert native(m.scale) == 2


def test_big_int_global_falls_back_with_a_clear_reason(m):
    assert m.big(1) == 2 ** 70 + 1
    fb = m.big.report["fallback"]
    assert fb["code"] == "PV301"
    assert "'BIG'" in fb["reason"] and "does not fit in 64 bits" in fb["reason"]
    assert native(m.big) == 0
    # Rebound to an int that fits: compiled.
    m.BIG = 5
    assert m.big(1) == 6 and native(m.big) == 1


def test_module_level_containers_are_read_live(m):
    # Issue 7: a module-level list or str is the very object, read where it is used (not a copy).
    assert m.names(1) is m.NAMES and native(m.names) == 1
    m.NAMES.append(3)
    assert m.names(1) == [1, 2, 3]  # changed in place: seen at once
    assert m.text(1) is m.TEXT and native(m.text) >= 1


def test_an_assigned_name_is_a_local(m):
    assert m.shadow(4) == 8 and native(m.shadow) == 1
    assert m.IDENT == 1


def test_a_global_statement_still_falls_back(m):
    assert m.writes(3) == 3
    assert m.writes.report["fallback"]["code"] == "PV107"
    assert m.IDENT == 3


def test_a_jitted_caller_of_a_callee_reading_a_constant(m):
    assert m.caller(2.0) == 2.0
    assert native(m.caller) == 1
    m.K0 = 2.0
    assert m.caller(2.0) == 5.0
    assert native(m.caller) == 2
    assert m.callee(1.0) == 2.0


def test_strict_mode_compiles_a_constant():
    mod = module_from_source("""
        import pyvorin
        RATE = 0.25

        @pyvorin.jit(strict=True)
        def tax(x: float):
            return x * RATE
    """, name="consts_strict")
    assert mod.tax(8.0) == 2.0 and native(mod.tax) == 1


def test_nan_and_inf_constants_keep_their_values():
    mod = module_from_source("""
        import pyvorin
        NAN = -float("nan")
        INF = float("inf")

        @pyvorin.jit
        def nan_sign():
            return NAN

        @pyvorin.jit
        def inf():
            return INF
    """, name="consts_nan")
    v = mod.nan_sign()
    assert v != v and math.copysign(1.0, v) == math.copysign(1.0, mod.NAN)
    assert mod.inf() == math.inf and native(mod.inf) == 1


def test_int64_bounds():
    mod = module_from_source("""
        import pyvorin
        LO = -2 ** 63
        HI = 2 ** 63 - 1
        OVER = 2 ** 63

        @pyvorin.jit
        def lo():
            return LO

        @pyvorin.jit
        def hi():
            return HI

        @pyvorin.jit
        def over():
            return OVER
    """, name="consts_bounds")
    assert mod.lo() == -2 ** 63 and mod.hi() == 2 ** 63 - 1
    assert native(mod.lo) == 1 and native(mod.hi) == 1
    assert mod.over() == 2 ** 63 and mod.over.report["fallback"]["code"] == "PV301"


def test_int_subclasses_are_not_constants():
    mod = module_from_source("""
        import enum
        import pyvorin

        class Color(enum.IntEnum):
            RED = 1

        RED = Color.RED

        @pyvorin.jit
        def red(n: int):
            return n + RED
    """, name="consts_enum")
    assert mod.red(1) == 2
    assert mod.red.report["fallback"]["code"] == "PV301"
