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

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import pyvorin
from pyvorin_testutil import check, check_all, pure_cpython, py_of, run, same_value

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
