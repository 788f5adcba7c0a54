"""sorted(xs, key=f) and xs.sort(key=f) with a key that is a lambda or a jitted function: int and
bool keys are unboxed and sorted natively (a stable radix sort; equal keys keep their order, also
with reverse=True), other keys go through CPython's own sort. list.sort behaves as CPython's: the
list looks empty to the key function, comes back whole when a key raises, and a change made by
the key function raises ValueError("list modified during sort"). Every case is compared with
CPython (value, order, exception, the list after the call)."""
import pytest

import pyvorin
from container_testutil import call_both, outcome_diff


@pyvorin.jit
def second(p):
    return p[1]


@pyvorin.jit
def is_odd(v):
    return v % 2 == 1


def sorted_by_second(ps, rev):
    return sorted(ps, key=second, reverse=rev)


def sorted_by_lambda(xs, rev):
    return sorted(xs, key=lambda v: (v * 7919) % 1009 - 500, reverse=rev)


def sorted_by_bool(xs):
    return sorted(xs, key=is_odd)


def sort_in_place(xs, rev):
    xs.sort(key=lambda v: -v // 3, reverse=rev)
    return xs


def sort_float_keys(xs):
    xs.sort(key=lambda v: v * 0.5)
    return xs


def key_sees_empty_list(xs):
    xs.sort(key=lambda v: len(xs))
    return xs


def key_reads_list(xs):
    xs.sort(key=lambda v: xs[0])  # IndexError: the list is empty while keys are computed
    return xs


def key_raises(xs):
    xs.sort(key=lambda v: 100 // v)  # ZeroDivisionError at a 0: the list keeps its items
    return xs


def key_changes_list(xs):
    xs.sort(key=lambda v: xs.append(v) or v)
    return xs


def rows_by_column(rows):
    # the lambda's parameter is a row of the argument: a list of the caller's, never native storage
    return sorted(rows, key=lambda r: -r[1]), max(rows, key=lambda r: r[0] * 2.5)


def key_changes_its_row(rows):
    print(len(rows))  # an effect first: whatever follows cannot rerun
    return sorted(rows, key=lambda r: r.append(0) or len(r))


def huge_keys(xs):
    return sorted(xs, key=lambda v: v * 3 - 2**62)


SPREAD = [(i * 7919) % 5003 - 2500 for i in range(6000)]  # radix path (n >= 2048), negatives, ties
PAIRS = [(i, (i * 31) % 17) for i in range(3000)]

CASES = [
    (sorted_by_second, [(PAIRS, False), (PAIRS, True), ([], False), ([(1, 2)], True)]),
    (sorted_by_lambda, [(SPREAD, False), (SPREAD, True), (list(range(50)), True)]),
    (sorted_by_bool, [(list(range(40)),), (SPREAD,)]),
    (sort_in_place, [(SPREAD, False), (SPREAD, True), ([5, -5, 4, -4], False)]),
    (sort_float_keys, [([3, 1, 2, -7],)]),
    (key_sees_empty_list, [([3, 1, 2],)]),
    (key_reads_list, [([3, 1, 2],), ([],)]),
    (key_raises, [([3, 1, 0, 2],), ([4, 2],)]),
    (key_changes_list, [([3, 1, 2],)]),
    (huge_keys, [([2**60, -2**60, 0, 5, 2**60],)]),
    (rows_by_column, [([[1, 5], [2, 3], [3, 9]],), ([[0, 0]],)]),
    (key_changes_its_row, [([[1], [2, 3]],)]),
]


@pytest.mark.parametrize("fn,argsets", CASES, ids=[c[0].__name__ for c in CASES])
def test_sort_by_key_matches_cpython(fn, argsets):
    jf = pyvorin.jit(fn)
    for args in argsets:
        expected, got, _, _, exp_args, got_args = call_both(fn, jf, args)
        d = outcome_diff(expected, got, exp_args, got_args)
        assert d is None, "%s: %s" % (fn.__name__, d)
    assert jf.stats["native_calls"] > 0, jf.fallback_reason


def test_int_keys_sort_natively():
    jf = pyvorin.jit(sorted_by_second)
    jf(PAIRS, False)
    functions = {f for e in jf.report["object_lines"] for f in e["functions"]}
    assert "pv_sort_with_keys" not in functions
    assert "pv_sort_int_keys" in jf.inspect_llvm(optimized=False)
