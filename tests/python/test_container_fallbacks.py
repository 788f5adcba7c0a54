"""Container code that stays outside the compiled subset (mixed-type lists that are then summed,
methods of unknown objects, nested functions and lambdas as sort keys, str.join, try/except,
generators, user classes, star-calls, map/filter, ...): whatever the compiler decides, the call
returns CPython's result (value, types, exception, stdout, argument mutation), and a function that
fell back says why and where (`fallback` has a reason and a line inside the function). The
assertions are loose about the reason text on purpose: the catalogue will change as containers
land."""
import collections
import copy
import functools
import inspect
import sys

import pytest

import pyvorin
from container_testutil import assert_agree, short
from pyvorin_testutil import line_of, py_of


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm1(self):
        return abs(self.x) + abs(self.y)

    def __repr__(self):
        return "Point(%r, %r)" % (self.x, self.y)

    def __eq__(self, other):
        return isinstance(other, Point) and (self.x, self.y) == (other.x, other.y)

    def __hash__(self):
        return hash((self.x, self.y))


class Scorer:
    def score(self, xs):
        return sum(xs) * 2

    def __eq__(self, other):
        return type(other) is Scorer

    __hash__ = object.__hash__


LOG = []


def fb_mixed_sum(n):
    xs = [n, "a", n + 1]
    return sum(xs)


def fb_mixed_len(n):
    xs = [n, "a", 2.5, None]
    return len(xs) + xs.index(None)


def fb_mixed_arg_sum(xs):
    return sum(xs)


def fb_unknown_method(obj, xs):
    return obj.score(xs)


def fb_objects_in_list(points):
    return sorted(p.norm1() for p in points)


def fb_nested_key(xs):
    def key(x):
        return (x % 3, -x)
    return sorted(xs, key=key)


def fb_lambda_key(pairs):
    return sorted(pairs, key=lambda p: p[1])


def fb_lambda_sort_inplace(xs):
    xs.sort(key=lambda x: -abs(x), reverse=True)
    return xs


def fb_bound_method_key(d):
    return sorted(d, key=d.get)


def fb_closure_over_list(xs):
    seen = []

    def visit(x):
        seen.append(x)
    for x in xs:
        visit(x * 2)
    return seen


def fb_str_join(xs):
    return ",".join(str(x) for x in xs)


def fb_fstring(xs):
    return f"{xs!r} has {len(xs)}"


def fb_try_key(d, k):
    try:
        return d[k]
    except KeyError:
        return None


def fb_generator(xs):
    for x in xs:
        if x > 0:
            yield x * x


def fb_star_call(m):
    return [list(col) for col in zip(*m)]


def fb_map_filter(xs):
    return list(map(abs, filter(None, xs)))


def fb_cmp_to_key(xs):
    return sorted(xs, key=functools.cmp_to_key(lambda a, b: b - a))


def fb_counter(xs):
    return collections.Counter(xs).most_common(2)


def fb_deque(xs):
    d = collections.deque(xs)
    d.rotate(1)
    return list(d)


def fb_user_isinstance(xs):
    return [isinstance(x, Point) for x in xs]


def fb_global_mutation(x):
    LOG.append(x)
    return LOG[-1]


def fb_dict_unpack_literal(a, b):
    return {**a, **b}, [*a, *b]


def fb_walrus(xs):
    return [y for x in xs if (y := x * 2) > 2]


def fb_print_file(xs):
    print(xs, file=sys.stdout)
    return len(xs)


def fb_string_keys(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return counts


def fb_frozenset(xs):
    return frozenset(xs) | {0}


def fb_kwargs_dict(x):
    return dict(a=x, b=x + 1)


def fb_object_set(points):
    return len(set(points)), Point(1, 2) in set(points)


def fb_nested_def_recursion(n):
    def build(k):
        return [] if k == 0 else [k] + build(k - 1)
    return build(n)


CASES = [
    (fb_mixed_sum, [(1,), (0,)]),
    (fb_mixed_len, [(1,), (2**70,)]),
    (fb_mixed_arg_sum, [([1, "a"],), (["a", "b"],), ([1, 2.5],)]),
    (fb_unknown_method, [(Scorer(), [1, 2]), (Scorer(), []), (Point(1, 2), [1])]),
    (fb_objects_in_list, [([Point(1, -2), Point(0, 0)],), ([],)]),
    (fb_nested_key, [([5, 3, 1, 4],), ([],), ([1, "a"],)]),
    (fb_lambda_key, [([(1, 3), (2, 1), (3, 2)],), ([],), ([(1,)],)]),
    (fb_lambda_sort_inplace, [([3, -1, 2, -3],), ([],)]),
    (fb_bound_method_key, [({1: 3, 2: 1, 3: 2},), ({},)]),
    (fb_closure_over_list, [([1, 2],), ([],)]),
    (fb_str_join, [([1, 2.5, None],), ([],)]),
    (fb_fstring, [([1, 2],), ((),)]),
    (fb_try_key, [({1: 2}, 1), ({}, (1, 2)), ({}, [1])]),
    (fb_generator, [([1, -2, 3],), ([],)]),
    (fb_star_call, [([[1, 2], [3, 4]],), ([],), ([[1], [2, 3]],)]),
    (fb_map_filter, [([0, -1, 2, 0.0, -3.5],), ([],), (["a"],)]),
    (fb_cmp_to_key, [([3, 1, 2],), ([],)]),
    (fb_counter, [([1, 1, 2, 3, 3, 3],), ([],)]),
    (fb_deque, [([1, 2, 3],), ([],)]),
    (fb_user_isinstance, [([Point(0, 0), 1, [1]],)]),
    (fb_global_mutation, [(1,), ([2],)]),
    (fb_dict_unpack_literal, [({1: 2}, {1: 3, 4: 5}), ({}, {})]),
    (fb_walrus, [([1, 2, 3],), ([],)]),
    (fb_print_file, [([1, 2],), ({1: (2,)},)]),
    (fb_string_keys, [(["a", "b", "a"],), ([],), ("abca",)]),
    (fb_frozenset, [([1, 2],), ([],), ([[1]],)]),
    (fb_kwargs_dict, [(1,), (2.5,)]),
    (fb_object_set, [([Point(1, 2), Point(1, 2), Point(0, 1)],), ([],)]),
    (fb_nested_def_recursion, [(0,), (5,)]),
]
IDS = [c[0].__name__ for c in CASES]


def check_fallback_record(jf):
    fb = jf.fallback
    if fb is None:
        return
    fn = py_of(jf)
    lines, first = inspect.getsourcelines(fn)
    assert isinstance(fb, dict), fb
    assert isinstance(fb.get("reason"), str) and fb["reason"].strip(), fb
    assert isinstance(fb.get("line"), int), fb
    assert first <= fb["line"] < first + len(lines), (
        "fallback line %d is outside %s (lines %d..%d): %s" % (
            fb["line"], fn.__name__, first, first + len(lines) - 1, fb))
    text = jf.fallback_reason
    assert text.startswith("[FALLBACK] function: %s\n" % fn.__name__), text
    assert "line: %d" % fb["line"] in text, text


@pytest.mark.parametrize("fn,argsets", CASES, ids=IDS)
def test_fallback_returns_cpython_result(fn, argsets):
    jf = pyvorin.jit(fn)
    for args in argsets:
        assert_agree(fn, jf, *args)
    stats = jf.stats
    assert stats["native_calls"] + stats["python_calls"] >= len(argsets), stats
    check_fallback_record(jf)


@pytest.mark.parametrize("fn,argsets", CASES, ids=IDS)
def test_strict_raises_or_agrees(fn, argsets):
    # strict=True: either a CompilationError naming a line inside the function, or CPython's
    # result (the construct compiled, or the arguments never reached a compile).
    lines, first = inspect.getsourcelines(fn)
    for args in argsets:
        try:
            probe = pyvorin.jit(strict=True)(fn)     # the check stage may raise right here,
            probe(*copy.deepcopy(args))               # or at the first call
        except pyvorin.CompilationError as e:
            assert e.function == fn.__name__, e.function
            assert e.reason and first <= e.line < first + len(lines), (
                short(args), e.line, first, str(e))
            continue
        except Exception:  # noqa: BLE001 - the function's own exception: compared below
            pass
        assert_agree(fn, pyvorin.jit(strict=True)(fn), *args)


# ---------------------------------------------------------------------------------------------
# An unpacking loop target over an empty container argument (`for a, b in []`: its item type is
# not known) once ended in an internal error (PV500, "vector::_M_range_check" from lowering);
# it compiles, and the loop body never runs.
# ---------------------------------------------------------------------------------------------
def e_pairs(pairs):
    total = 0
    for a, b in pairs:
        total += a * b
    return total


def e_starred(rows):
    out = []
    for a, *rest in rows:
        out.append(len(rest))
    return out


def e_dict_values(d):
    t = 0
    for a, b in d.values():
        t += a
    return t


def e_comprehension(pairs):
    return [a + b for a, b in pairs]


@pytest.mark.parametrize("fn,args", [(e_pairs, ([],)), (e_starred, ([],)), (e_dict_values, ({},)),
                                     (e_comprehension, ([],))], ids=lambda x: getattr(x, "__name__", ""))
def test_unpacking_over_an_empty_container_is_no_internal_error(fn, args):
    jf = pyvorin.jit(strict=True)(fn)
    assert_agree(fn, jf, *args)
    assert jf.stats["native_calls"] == 1, (jf.stats, jf.fallback_reason)


def genexp_consumed_twice(xs):
    g = (x * x for x in xs)
    return sum(g), sum(g)


def test_a_stored_generator_expression_falls_back():
    # compiled as a list it would be consumed twice; CPython's generator is empty the second time
    jf = pyvorin.jit(genexp_consumed_twice)
    assert jf([1, 2, 3]) == (14, 0)
    assert jf.fallback is not None and jf.fallback["line"] == line_of(genexp_consumed_twice, "g = (")
