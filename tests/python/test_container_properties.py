"""Hypothesis properties for containers: random lists of ints (small, near the int64 bounds,
beyond int64) and floats (inf, nan, -0.0), random dicts and sets, random slice bounds and
insertion points; every function below must agree under pyvorin.jit with CPython on the value,
the types inside the result, the exception, and what it did to its arguments. Each function is
jitted once and reused for every example (one compile per signature)."""
import os

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from container_testutil import assert_agree
from pyvorin_testutil import INT64_MAX, INT64_MIN, jitted

# PYVORIN_HYPOTHESIS_EXAMPLES raises the example count for a longer bug hunt (default 60 here:
# every example runs a container function twice on deep copies).
SETTINGS = settings(max_examples=int(os.environ.get("PYVORIN_HYPOTHESIS_EXAMPLES", "60")),
                    deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                           HealthCheck.data_too_large])

small_ints = st.integers(-50, 50)
ints = st.one_of(small_ints, st.integers(INT64_MIN, INT64_MAX),
                 st.sampled_from([INT64_MAX, INT64_MIN, 2**62, -2**62, 0, -1]),
                 st.integers(-2**80, 2**80))
floats = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, -0.0, 0.5, -2.5, 1e300, float("inf"), float("nan")]))
numbers = st.one_of(ints, floats)
int_lists = st.lists(ints, max_size=40)
small_int_lists = st.lists(small_ints, max_size=40)
float_lists = st.lists(floats, max_size=40)
num_lists = st.one_of(int_lists, float_lists, st.lists(numbers, max_size=40))
int_sets = st.sets(small_ints, max_size=30)
int_dicts = st.dictionaries(small_ints, ints, max_size=30)
indices = st.one_of(st.integers(-60, 60), st.sampled_from([INT64_MAX, INT64_MIN, 2**70]))
bounds = st.one_of(st.none(), st.integers(-60, 60))
steps = st.one_of(st.none(), st.integers(-5, 5), st.sampled_from([0, 100, -100]))


# ---------------------------------------------------------------------------------------------
# The functions (module level, so inspect.getsource works)
# ---------------------------------------------------------------------------------------------
def p_sum(xs):
    total = 0
    for x in xs:
        total += x
    return total, sum(xs)


def p_sorted(xs):
    return sorted(xs), sorted(xs, reverse=True)


def p_sort_inplace_key(xs):
    xs.sort(key=abs)
    return xs


def p_dedupe(xs):
    s = set(xs)
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return len(s), out


def p_histogram(xs):
    counts = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    return counts, sorted(counts.items())


def p_slice(xs, a, b, c):
    return xs[a:b:c], tuple(xs)[a:b:c]


def p_slice_assign(xs, a, b, ys):
    xs[a:b] = ys
    return xs


def p_slice_del(xs, a, b, c):
    del xs[a:b:c]
    return xs


def p_insert_pop(xs, i, j, v):
    xs.insert(i, v)
    r = xs.pop(j)
    return r, xs


def p_index_neg(xs, i):
    return xs[i], xs[-i - 1]


def p_set_algebra(a, b):
    return a | b, a & b, a - b, a ^ b, a <= b, a < b, a == b, a.isdisjoint(b)


def p_dict_merge(d, e):
    out = dict(d)
    for k, v in e.items():
        if k in out:
            out[k] = out[k] + v
        else:
            out[k] = v
    out.update({k: -1 for k in e if k % 3 == 0})
    return out, list(out), d


def p_min_max(xs):
    return min(xs), max(xs), min(xs, key=abs), max(xs, key=abs)


def p_prefix_and_comprehension(xs):
    pre = [0]
    for x in xs:
        pre.append(pre[-1] + x)
    # x - x == 0 keeps finite values only: hash(nan) is its address since 3.10, so a set of
    # several nan objects iterates in an order no two runs share.
    return pre, [x * 2 for x in xs if x > 0], {x % 7 for x in xs if x - x == 0}


def p_remove_count_index(xs, v):
    c = xs.count(v)
    i = xs.index(v)
    xs.remove(v)
    return c, i, xs


def p_zip_enumerate(xs, ys):
    return [(i, a, b) for i, (a, b) in enumerate(zip(xs, ys))], list(reversed(xs))


def p_dict_pop_setdefault(d, k, v):
    a = d.pop(k, None)
    b = d.setdefault(k + 1, v)
    return a, b, d, list(d.items())


def agree(fn, *args):
    assert_agree(fn, jitted(fn), *args)


@SETTINGS
@given(xs=num_lists)
@example(xs=[2**62, 2**62, 2**62])
@example(xs=[INT64_MAX, 1])
@example(xs=[0.1] * 10)
@example(xs=[1, 0.5, True])
def test_sum(xs):
    agree(p_sum, xs)


@SETTINGS
@given(xs=num_lists)
@example(xs=[float("nan"), 1.0, 0.0, float("nan"), -1.0])
@example(xs=[1, 1.0, -0.0, 0, 0.0])
def test_sorted(xs):
    agree(p_sorted, xs)


@SETTINGS
@given(xs=num_lists)
@example(xs=[1, -1, 1.0, -1.0, 2, -2])
def test_sort_inplace_key(xs):
    agree(p_sort_inplace_key, xs)


# NaN identity is a documented divergence (docs/objects.md; test_container_divergences.py): a set
# of the same NaN object twice keeps one in CPython, and two once compiled code reboxed them.
finite_float_lists = st.lists(st.floats(allow_nan=False, allow_infinity=True), max_size=40)


@SETTINGS
@given(xs=st.one_of(small_int_lists, int_lists, finite_float_lists,
                    st.lists(st.sampled_from([0, 0.0, -0.0, 1, 1.0, True, False]), max_size=20)))
@example(xs=[1, 1.0, True, 0, -0.0, False])
def test_dedupe(xs):
    agree(p_dedupe, xs)


@SETTINGS
@given(xs=st.one_of(small_int_lists, st.lists(st.sampled_from([0, 0.0, 1, 1.0, True, 2.5]),
                                               max_size=30)))
def test_histogram(xs):
    agree(p_histogram, xs)


@SETTINGS
@given(xs=int_lists, a=bounds, b=bounds, c=steps)
@example(xs=[1, 2, 3], a=None, b=None, c=0)
@example(xs=[1, 2, 3], a=-1, b=None, c=-1)
def test_slice(xs, a, b, c):
    agree(p_slice, xs, a, b, c)


@SETTINGS
@given(xs=small_int_lists, a=bounds, b=bounds, ys=small_int_lists)
def test_slice_assign(xs, a, b, ys):
    agree(p_slice_assign, xs, a, b, ys)


@SETTINGS
@given(xs=small_int_lists, a=bounds, b=bounds, c=steps)
def test_slice_del(xs, a, b, c):
    agree(p_slice_del, xs, a, b, c)


@SETTINGS
@given(xs=int_lists, i=indices, j=indices, v=numbers)
@example(xs=[], i=0, j=0, v=1)
@example(xs=[], i=0, j=1, v=1)
@example(xs=[1], i=2**70, j=0, v=1)
def test_insert_pop(xs, i, j, v):
    agree(p_insert_pop, xs, i, j, v)


@SETTINGS
@given(xs=num_lists, i=indices)
def test_index_negative(xs, i):
    agree(p_index_neg, xs, i)


@SETTINGS
@given(a=int_sets, b=int_sets)
def test_set_algebra(a, b):
    agree(p_set_algebra, a, b)


@SETTINGS
@given(d=int_dicts, e=int_dicts)
def test_dict_merge(d, e):
    agree(p_dict_merge, d, e)


@SETTINGS
@given(xs=num_lists)
@example(xs=[])
@example(xs=[1, -1, 1.0])
def test_min_max(xs):
    agree(p_min_max, xs)


@SETTINGS
@given(xs=num_lists)
def test_prefix_and_comprehension(xs):
    agree(p_prefix_and_comprehension, xs)


@SETTINGS
@given(xs=small_int_lists, v=small_ints)
def test_remove_count_index(xs, v):
    agree(p_remove_count_index, xs, v)


@SETTINGS
@given(xs=num_lists, ys=int_lists)
def test_zip_enumerate(xs, ys):
    agree(p_zip_enumerate, xs, ys)


@SETTINGS
@given(d=int_dicts, k=small_ints, v=ints)
def test_dict_pop_setdefault(d, k, v):
    agree(p_dict_pop_setdefault, d, k, v)


@pytest.mark.parametrize("fn", [p_sum, p_sorted, p_dedupe, p_histogram, p_min_max],
                         ids=lambda f: f.__name__)
def test_huge_list(fn):
    # One 10**5-element input per function (outside hypothesis, to keep examples small).
    xs = [(i * 7919) % 100003 - 50000 for i in range(10**5)]
    agree(fn, xs)
