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
import copy
import math
import os
import reprlib

import pytest

import pyvorin
from container_cases import CASES
from pyvorin_testutil import pure_cpython, run, same_value

EXPECT_NATIVE = os.environ.get("PYVORIN_CONTAINERS_EXPECT_NATIVE", "1") != "0"

MUTABLE = (list, dict, set)
CONTAINERS = (list, tuple, dict, set, frozenset, range)

_repr = reprlib.Repr()
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = _repr.maxfrozenset = 8
_repr.maxlevel = 4
_repr.maxlong = 60
_repr.maxother = 60


def short(obj):
    """A repr that stays readable for 10**5-element lists."""
    try:
        return _repr.repr(obj)
    except Exception:  # noqa: BLE001 - a repr that raises is still something to show
        return "<%s>" % type(obj).__name__


class Differ:
    """Walks an expected and a got object graph side by side. Mutable containers must alias the
    same way on both sides (one-to-one map between ids); everything else must be equal in value
    and type, floats bit-identical, dicts and sets in the same iteration order."""

    def __init__(self):
        self.e2g = {}
        self.g2e = {}
        self.active = set()

    def diff(self, e, g, path):
        if type(e) is not type(g):
            return "%s: expected %s %s, got %s %s" % (path, type(e).__name__, short(e),
                                                      type(g).__name__, short(g))
        if isinstance(e, MUTABLE):
            ie, ig = id(e), id(g)
            if ie in self.e2g or ig in self.g2e:
                if self.e2g.get(ie) != ig or self.g2e.get(ig) != ie:
                    return "%s: aliasing differs (CPython's object here is %s one seen before)" % (
                        path, "the same as" if ie in self.e2g else "not")
                return None
            self.e2g[ie] = ig
            self.g2e[ig] = ie
        if isinstance(e, (list, tuple)):
            if len(e) != len(g):
                return "%s: expected len %d %s, got len %d %s" % (path, len(e), short(e), len(g),
                                                                  short(g))
            key = (id(e), id(g))
            if key in self.active:   # a cycle: already being compared further up
                return None
            self.active.add(key)
            try:
                for i, (a, b) in enumerate(zip(e, g)):
                    d = self.diff(a, b, "%s[%d]" % (path, i))
                    if d:
                        return d
            finally:
                self.active.discard(key)
            return None
        if isinstance(e, dict):
            if len(e) != len(g):
                return "%s: expected %d keys %s, got %d %s" % (path, len(e), short(e), len(g),
                                                               short(g))
            key = (id(e), id(g))
            if key in self.active:
                return None
            self.active.add(key)
            try:
                for i, ((ka, va), (kb, vb)) in enumerate(zip(e.items(), g.items())):
                    d = self.diff(ka, kb, "%s.keys()[%d]" % (path, i)) or \
                        self.diff(va, vb, "%s[%s]" % (path, short(ka)))
                    if d:
                        return d + ("" if e == g else "  (dicts differ: expected %s, got %s)" % (
                            short(e), short(g)))
            finally:
                self.active.discard(key)
            return None
        if isinstance(e, (set, frozenset)):
            if e != g:
                return "%s: expected %s, got %s" % (path, short(e), short(g))
            for i, (a, b) in enumerate(zip(e, g)):
                d = self.diff(a, b, "%s iteration[%d]" % (path, i))
                if d:
                    return d + "  (set iteration order or element types differ: expected %s, got %s)" % (
                        short(list(e)), short(list(g)))
            return None
        if isinstance(e, (int, float, complex, bool)) or e is None:
            if not same_value(e, g):
                return "%s: expected %s, got %s" % (path, short(e), short(g))
            return None
        try:
            equal = e == g
        except Exception:  # noqa: BLE001
            equal = False
        if not equal:
            return "%s: expected %s, got %s" % (path, short(e), short(g))
        return None


def outcome_diff(expected, got, exp_args, got_args):
    """None when the two calls agree, else what differs."""
    if (expected.exc is None) != (got.exc is None):
        return "expected %s, got %s" % (describe(expected), describe(got))
    if expected.exc is not None:
        if type(expected.exc) is not type(got.exc) or str(expected.exc) != str(got.exc):
            return "expected %s, got %s" % (describe(expected), describe(got))
    differ = Differ()
    # The result and the arguments form one graph, so aliasing between them is compared too.
    d = differ.diff(expected.value, got.value, "result") if expected.exc is None else None
    if d:
        return d
    for i, (a, b) in enumerate(zip(exp_args, got_args)):
        d = differ.diff(a, b, "argument %d after the call" % i)
        if d:
            return d
    if expected.exc is None and isinstance(expected.value, CONTAINERS):
        for i, (a, b) in enumerate(zip(exp_args, got_args)):
            if (expected.value is a) != (got.value is b):
                return "result is argument %d in CPython: %s, compiled: %s" % (
                    i, expected.value is a, got.value is b)
    return None


def describe(outcome):
    if outcome.exc is not None:
        return "raised %s(%r)" % (type(outcome.exc).__name__, str(outcome.exc))
    return "returned %s %s" % (type(outcome.value).__name__, short(outcome.value))


def why_not_native(jf):
    """The fallback reason, or why no native call happened without one."""
    if jf.fallback_reason:
        return jf.fallback_reason
    try:
        status = jf.report.get("status")
    except Exception as e:  # noqa: BLE001
        status = "report unavailable: %s" % e
    return ("no fallback reason: the arguments fitted no native signature "
            "(signatures %r, report status %r)" % (jf.signatures, status))


def call_both(fn, jf, args, capsys):
    """(expected, got, expected stdout, got stdout, expected args after, got args after)."""
    exp_args = copy.deepcopy(args)     # one deepcopy of the tuple keeps aliasing inside it
    got_args = copy.deepcopy(args)
    capsys.readouterr()
    with pure_cpython(fn):
        expected = run(fn, *exp_args)
    expected_out = capsys.readouterr().out
    got = run(jf, *got_args)
    got_out = capsys.readouterr().out
    return expected, got, expected_out, got_out, exp_args, got_args


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
