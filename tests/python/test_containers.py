"""Differential tests for containers (lists, tuples, dicts, sets as real CPython objects): every
case of container_cases.py runs under a fresh pyvorin.jit and under CPython on deep copies of each
argument tuple, and must agree on
  - the return value: ==, type() recursively, bit-identical floats, dict and set iteration order;
  - the exception: type and str(e);
  - the text printed to stdout;
  - the arguments after the call (mutation, also when the call raised);
  - identity: aliasing between the result and the arguments (a function returning its argument
    returns that very object; rows of [[0] * n] * n stay one list) for lists, dicts and sets, and
    `result is argument` for any container.
Cases expected native must make native calls (native_calls grows). PYVORIN_CONTAINERS_EXPECT_NATIVE=0
turns that assertion off, so the differential part can run while everything still falls back."""
import math
import os

import pytest

import pyvorin
from container_cases import CASES
from container_testutil import Differ, call_both, outcome_diff, short, why_not_native
from pyvorin_testutil import run

EXPECT_NATIVE = os.environ.get("PYVORIN_CONTAINERS_EXPECT_NATIVE", "1") != "0"


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_container_case(case, capsys):
    jf = pyvorin.jit(case.fn)
    failures = []
    ran_in_python = []
    for args in case.argsets:
        before = jf.stats
        expected, got, expected_out, got_out, exp_args, got_args = call_both(case.fn, jf, args,
                                                                             capsys)
        after = jf.stats
        if after["native_calls"] == before["native_calls"]:
            ran_in_python.append(args)
        where = "%s(%s)" % (case.name, ", ".join(short(a) for a in args))
        d = outcome_diff(expected, got, exp_args, got_args)
        if d:
            failures.append("%s: %s" % (where, d))
        if expected_out != got_out:
            failures.append("%s: printed %r, CPython printed %r" % (where, got_out[:500],
                                                                     expected_out[:500]))
    native = jf.stats["native_calls"]
    if failures:
        note = "" if native else "\n  (ran in CPython: %s)" % why_not_native(jf).replace("\n", " | ")
        pytest.fail("%d of %d calls of %s differ from CPython:\n  %s%s" % (
            len(failures), len(case.argsets), case.name, "\n  ".join(failures[:20]), note),
            pytrace=False)
    if case.native and EXPECT_NATIVE:
        assert native > 0, "%s was expected to compile natively but made no native call " \
            "in %d calls:\n%s" % (case.name, len(case.argsets), why_not_native(jf))
        if ran_in_python:
            # Not a failure (an input may legitimately not fit, e.g. ints beyond int64 inside a
            # list), but visible with -rA / -s.
            print("%s: %d of %d inputs ran in CPython" % (case.name, len(ran_in_python),
                                                          len(case.argsets)))


def test_corpus_shape():
    # Every case has several inputs, and the corpus is large enough to judge the work.
    assert len(CASES) >= 200, len(CASES)
    names = [c.name for c in CASES]
    assert len(set(names)) == len(names), "duplicate case names"
    for c in CASES:
        assert len(c.argsets) >= 1, c
    assert sum(len(c.argsets) for c in CASES) >= 1000


def test_differ_catches_differences():
    # The comparison itself: types inside containers, float bits, order, aliasing, identity.
    a = [1, 2]
    cases = [
        ([1, 2], [1, 2.0]), ((1,), [1]), ({1: 2, 3: 4}, {3: 4, 1: 2}), ({1: 2}, {1.0: 2}),
        ([0.0], [-0.0]), ([[1]] * 2, [[1], [1]]), ({True}, {1}), ([math.nan], [0.0]),
    ]
    for e, g in cases:
        assert Differ().diff(e, g, "r") is not None, (e, g)
    assert Differ().diff([math.nan, a, a], [math.nan, a, a], "r") is None
    ok = run(lambda x: x, a)
    fresh = run(lambda x: list(x), a)
    assert outcome_diff(ok, ok, (a,), (a,)) is None
    assert outcome_diff(ok, fresh, (a,), (list(a),)) is not None
    # A mutation CPython made and the compiled call did not (or the other way round).
    none = run(lambda: None)
    assert outcome_diff(none, none, ([1, 2],), ([1],)) is not None
    assert outcome_diff(none, none, ({1: 2, 3: 4},), ({3: 4, 1: 2},)) is not None
    # The same exception type with another message.
    assert outcome_diff(run(lambda: [][0]), run(lambda: ()[0]), (), ()) is not None
