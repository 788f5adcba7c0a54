"""Reference counts and memory for containers under pyvorin.jit: each operation below is called
10**5 times on the same argument objects; the reference counts of the arguments and of their
elements (ints beyond the small-int cache, floats, tuples: objects whose count a leaked or
missing Py_INCREF/Py_DECREF changes) must be what they were, and tracemalloc's traced memory
must not grow beyond a small bound over 2*10**4 further calls after a warm-up. A thread test runs
jitted container functions from 4 threads at once, on their own lists and on one shared list.

PYVORIN_REFCOUNT_CALLS sets the call count (default 10**5)."""
import gc
import os
import sys
import threading
import tracemalloc

import pytest

import pyvorin
from container_testutil import short, why_not_native
from pyvorin_testutil import is_dispatcher, py_of, pure_cpython

CALLS = int(os.environ.get("PYVORIN_REFCOUNT_CALLS", str(10**5)))
TRACED_CALLS = max(1, min(CALLS, 2 * 10**4))
MEMORY_BOUND = 64 * 1024   # one leaked 32-byte object per call would be 640 KiB


# ---------------------------------------------------------------------------------------------
# Operations (module level so inspect.getsource works)
# ---------------------------------------------------------------------------------------------
@pyvorin.jit
def rc_total(xs):
    t = 0
    for x in xs:
        t += x
    return t


def r_len(xs):
    return len(xs)


def r_index(xs):
    return xs[0]


def r_neg_index(xs):
    return xs[-1]


def r_slice(xs):
    return xs[1:-1:2]


def r_sum(xs):
    return sum(xs)


def r_in(xs, x):
    return x in xs


def r_sorted(xs):
    return sorted(xs, reverse=True)


def r_comprehension(xs):
    return [x + 1 for x in xs if x > 0]


def r_dict_get(d, k):
    return d.get(k, 0) + d[k]


def r_dict_set_del(d, k, v):
    d[k] = v
    del d[k]
    return len(d)


def r_set_ops(a, b):
    return len(a | b) + len(a & b) + len(a - b) + len(a ^ b)


def r_unpack(t):
    a, (b, c), *rest = t
    return c


def r_append_pop(xs, x):
    xs.append(x)
    return xs.pop()


def r_items(d):
    total = 0
    for k, v in d.items():
        total += v
    return total


def r_min_max(xs):
    return min(xs), max(xs)


def r_zip_enumerate(xs, ys):
    out = 0
    for i, (a, b) in enumerate(zip(xs, ys)):
        out += i * a - b
    return out


def r_concat_repeat(xs, ys):
    return xs + ys * 2


def r_set_member_add_discard(s, x):
    s.add(x)
    s.discard(x)
    return x in s


def r_key_error(d, k):
    return d[k]


def r_index_error(xs):
    return xs[len(xs)]


def r_build_dict_set(xs):
    return {x: (x, x) for x in xs}, {x for x in xs}


def r_callee(xs):
    return rc_total(xs) + rc_total(xs[:1])


def r_tuple_key(d, t):
    return d[t]


def r_insert_remove(xs, x):
    xs.insert(0, x)
    xs.remove(x)
    return xs


BIG = 10**20       # not cached: every reference to it is counted on this one object


def big_list():
    return [BIG + i for i in range(6)] + [-(BIG + 7)]


def float_list():
    return [1.5 + i for i in range(5)] + [-2.25]


def tuple_dict():
    return {(BIG, i): BIG + 100 + i for i in range(5)}


# (function, a builder of fresh argument tuples, the exception a call raises or None)
OPS = [
    (r_len, lambda: (big_list(),), None),
    (r_index, lambda: (big_list(),), None),
    (r_neg_index, lambda: (float_list(),), None),
    (r_slice, lambda: (big_list(),), None),
    (r_sum, lambda: (float_list(),), None),
    (r_in, lambda: (big_list(), BIG + 3), None),
    (r_sorted, lambda: (big_list(),), None),
    (r_comprehension, lambda: (big_list(),), None),
    (r_dict_get, lambda: ({BIG: BIG + 1, BIG + 2: 1.5}, BIG), None),
    (r_dict_set_del, lambda: ({BIG: 1}, BIG + 1, BIG + 2), None),
    (r_set_ops, lambda: ({BIG, BIG + 1, 2.5}, {BIG + 1, BIG + 3}), None),
    (r_unpack, lambda: ((BIG, (BIG + 1, BIG + 2), BIG + 3, 1.5),), None),
    (r_append_pop, lambda: (big_list(), BIG + 50), None),
    (r_items, lambda: (tuple_dict(),), None),
    (r_min_max, lambda: (float_list(),), None),
    (r_zip_enumerate, lambda: (big_list(), float_list()), None),
    (r_concat_repeat, lambda: (big_list(), float_list()), None),
    (r_set_member_add_discard, lambda: ({BIG, 0.5}, BIG + 9), None),
    (r_key_error, lambda: ({BIG: 1}, (BIG, 2)), KeyError),
    (r_index_error, lambda: (big_list(),), IndexError),
    (r_build_dict_set, lambda: (big_list(),), None),
    (r_callee, lambda: (big_list(),), None),
    (r_tuple_key, lambda: (tuple_dict(), (BIG, 3)), None),
    (r_insert_remove, lambda: (big_list(), BIG + 77), None),
]
IDS = [op[0].__name__ for op in OPS]


def watched(args):
    """The argument objects and everything one or two levels inside them."""
    objs = []
    for a in args:
        objs.append(a)
        inner = list(a.items()) if isinstance(a, dict) else list(a) \
            if isinstance(a, (list, tuple, set)) else []
        for x in inner:
            objs.append(x)
            if isinstance(x, tuple):
                objs.extend(x)
    # Small ints, bools and None are shared by the whole interpreter: their counts move anyway.
    return [o for o in objs if o is not None and not isinstance(o, bool)
            and not (type(o) is int and -5 <= o <= 256)]


def counts(objs):
    return [sys.getrefcount(o) for o in objs]


def call_many(jf, args, n, exc):
    if exc is None:
        for _ in range(n):
            jf(*args)
    else:
        for _ in range(n):
            try:
                jf(*args)
            except exc:
                pass


@pytest.mark.parametrize("fn,make_args,exc", OPS, ids=IDS)
def test_refcounts_and_memory_stay_flat(fn, make_args, exc):
    jf = pyvorin.jit(fn)
    args = make_args()
    # The result first: the same as CPython's on a copy (so the counts below are of a correct run).
    ref_args = make_args()
    with pure_cpython(fn):
        try:
            expected = repr(py_of(fn)(*ref_args))
        except Exception as e:  # noqa: BLE001
            expected = "raised %s(%s)" % (type(e).__name__, e)
    try:
        got = repr(jf(*args))
    except Exception as e:  # noqa: BLE001
        got = "raised %s(%s)" % (type(e).__name__, e)
    assert got == expected, (fn.__name__, got, expected)

    call_many(jf, args, 100, exc)          # warm-up: compile, caches, freelists
    gc.collect()
    objs = watched(args)
    before = counts(objs)
    call_many(jf, args, CALLS, exc)
    gc.collect()
    after = counts(objs)
    changed = [(short(o), b, a) for o, b, a in zip(objs, before, after) if b != a]
    assert not changed, "%s: reference counts changed over %d calls (object, before, after): %s" % (
        fn.__name__, CALLS, changed)

    tracemalloc.start()
    try:
        call_many(jf, args, 200, exc)
        gc.collect()
        start, _ = tracemalloc.get_traced_memory()
        call_many(jf, args, TRACED_CALLS, exc)
        gc.collect()
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert end - start < MEMORY_BOUND, "%s: traced memory grew by %d bytes over %d calls" % (
        fn.__name__, end - start, TRACED_CALLS)
    del objs


# ---------------------------------------------------------------------------------------------
# Paths the operations above do not reach natively. Their arguments hold ints beyond 64 bits, so
# most of those calls run in CPython (the dispatcher's tagging sends them there); these use floats,
# ints within 64 bits (beyond the small-int cache: each one's count is its own), tuples and strs,
# so the native code runs: errors raised by the C API in the middle of a display or of a call's
# arguments, guard failures (the call reruns in CPython), early return / break / continue inside
# loops over lists, dicts, strs and iterators, comprehensions that raise, unpacking that raises,
# multi-target assignment, d.get() giving None, and/or/ternary with object operands (also in
# loops: a dropped operand must be released on the spot), key= functions, recursion returning
# lists, returning an argument, and the walrus with an object value.
# ---------------------------------------------------------------------------------------------
def n_total(xs):
    t = 0.0
    for x in xs:
        t += x
    return t


n_total_j = pyvorin.jit(n_total)


def n_neg(x):
    return -x


n_neg_j = pyvorin.jit(n_neg)


def n_index_error_in_display(xs, i):
    return [xs[0], xs[i], xs[1]]


def n_key_error_in_display(d, k):
    return (d[M], d[k], 2.5)


def n_error_in_call_args(d, k, xs):
    return max(xs[0], d[k]) + len([xs[0], d[k]])


def n_error_in_jitted_call_args(xs, d, k):
    return n_total_j([xs[0], d[k]])


def n_error_in_dict_display(xs, i):
    return {xs[0]: 1.5, xs[i]: 2.5}


def n_unhashable_in_set_display(xss):
    return {xss[0], xss[1]}


def n_guard_in_loop(xs):          # a str deep inside an int list: the guard fails mid-loop
    t = 0
    for x in xs:
        t += x
    return t


def n_guard_after_display(xs):
    ys = [xs[0], xs[1]]
    return [ys[0] + 1, xs[40] + 1]


def n_guard_tuple_length(ps):     # one 3-tuple among pairs: the tuple[float, float] guard fails
    t = 0.0
    for a, b in ps:
        t += a * b
    return t


def n_early_return(xs, k):
    for x in xs:
        if x > k:
            return [x, x]
    return []


def n_break_continue(xs, k):
    out = []
    for x in xs:
        if x < 2.0:
            continue
        if x > k:
            break
        out.append((x, x))
    return out


def n_return_in_nested_loops(xss):
    for xs in xss:
        for x in xs:
            if x < 0.0:
                return xs
    return xss[0]


def n_return_in_dict_loop(d):
    for k, v in d.items():
        if v > 2.0:
            return (k, v)
    return (0, 0.0)


def n_return_in_str_loop(s):
    out = []
    for ch in s:
        if ch == "c":
            return out
        out.append(ch)
    return out


def n_break_in_zip(xs, ys):
    t = 0.0
    for a, b in zip(xs, ys):
        if a > 3.0:
            break
        t += a * b
    return t


def n_comprehension_raises(xs, d):
    return [d[x] for x in xs]


def n_nested_comprehension(xss):
    return [[y * 2.0 for y in xs] for xs in xss]


def n_nested_comprehension_raises(xss, i):
    return [[xs[i] for y in xs] for xs in xss]


def n_unpack_raises(xs):
    a, b = xs
    return a


def n_star_unpack_raises(xs):
    a, b, *c, d = xs
    return c


def n_multi_target(xs):
    a = b = [xs[0], xs[1]]
    b.append(xs[2])
    c = d = e = (xs[0], a)
    return len(a) + len(c) + len(d) + len(e)


def n_dict_get_none(d, k):
    x = d.get(k)
    y = d.get(M)
    if x is None:
        return y
    return x


def n_and_or(xs, ys, zs):
    a = xs and ys
    b = xs or ys
    c = zs and ys or xs
    return len(a) + len(b) + len(c)


def n_and_or_in_loop(xs, ys, zs):
    t = 0
    for i in range(20):
        t += len(xs and ys and zs) + len(zs or ys) + len(xs and zs or ys)
    return t


def n_ternary(xs, ys, c):
    a = xs if c > 0 else ys
    b = [xs[0]] if c < 0 else a
    return b


def n_sorted_key(xs):
    return sorted(xs, key=abs), sorted(xs, key=n_neg_j)


def n_inverse(x):
    return 10 // x


n_inverse_j = pyvorin.jit(n_inverse)


def n_sorted_key_raises(xs):
    return sorted(xs, key=n_inverse_j)  # ZeroDivisionError in the (natively called) key


def n_recursion(n, xs):
    if n == 0:
        return [xs[0]]
    r = n_recursion_j(n - 1, xs)
    r.append(xs[n % len(xs)])
    return r


n_recursion_j = pyvorin.jit(n_recursion)


def n_return_argument(xs, t, s):
    if len(xs) > 100:
        return xs
    return xs


def n_return_argument_parts(xs, t):
    return (xs, t, t[1], xs[0])


def n_walrus(xs):
    a = (y := [xs[0], 2.5])
    b = [(z := (xs[1], a))]
    return (w := xs), len(y) + len(z) + len(b), a


def n_walrus_return(xs):
    return (y := xs)


M = 10**6     # ints within 64 bits, beyond the small-int cache


def floats():
    return [1.5 + i for i in range(5)] + [-2.25]


def float_dict():
    return {M + i: 1.5 + i for i in range(4)}


# (function, a builder of fresh argument tuples, the exception a call raises or None, how it
# runs: "native", or "guard" (native code that fails a guard; the call reruns in CPython))
NATIVE_OPS = [
    (n_index_error_in_display, lambda: (floats(), 10), IndexError, "native"),
    (n_key_error_in_display, lambda: ({M: 1.5, M + 1: 2.5}, M + 7), KeyError, "native"),
    (n_error_in_call_args, lambda: ({M + 1: 1.5}, M + 7, floats()), KeyError, "native"),
    (n_error_in_jitted_call_args, lambda: (floats(), {M: 1.5}, M + 7), KeyError, "native"),
    (n_error_in_dict_display, lambda: (floats(), 10), IndexError, "native"),
    (n_unhashable_in_set_display, lambda: ([[1.5, 2.5], [3.5]],), TypeError, "native"),
    (n_guard_in_loop, lambda: ([M + i for i in range(35)] + ["x"] + [M] * 5,), TypeError, "guard"),
    (n_guard_after_display, lambda: ([M + i for i in range(40)] + ["x"] + [M + 1] * 3,), TypeError, "guard"),
    (n_guard_tuple_length, lambda: ([(1.5 + i, 2.5) for i in range(35)] + [(1.5, 2.5, 3.5), (0.5, 1.5)],),
     ValueError, "guard"),
    (n_early_return, lambda: (floats(), 3.0), None, "native"),
    (n_break_continue, lambda: (floats(), 3.0), None, "native"),
    (n_return_in_nested_loops, lambda: ([floats(), floats(), [1.5, -2.5]],), None, "native"),
    (n_return_in_dict_loop, lambda: (float_dict(),), None, "native"),
    (n_return_in_str_loop, lambda: ("abcdef",), None, "native"),
    (n_break_in_zip, lambda: (floats(), floats()), None, "native"),
    (n_comprehension_raises, lambda: ([M, M + 1, M + 9, M + 2], float_dict()), KeyError, "native"),
    (n_nested_comprehension, lambda: ([floats(), floats()],), None, "native"),
    (n_nested_comprehension_raises, lambda: ([floats(), floats()[:2]], 3), IndexError, "native"),
    (n_unpack_raises, lambda: (floats(),), ValueError, "native"),
    (n_star_unpack_raises, lambda: (floats()[:2],), ValueError, "native"),
    (n_multi_target, lambda: (floats(),), None, "native"),
    (n_dict_get_none, lambda: (float_dict(), M + 50), None, "native"),
    (n_and_or, lambda: (floats(), floats(), []), None, "native"),
    (n_and_or_in_loop, lambda: (floats(), floats()[:3], []), None, "native"),
    (n_and_or_in_loop, lambda: ([], floats()[:3], floats()), None, "native"),
    (n_ternary, lambda: (floats(), floats(), 1), None, "native"),
    (n_ternary, lambda: (floats(), floats(), -1), None, "native"),
    (n_sorted_key, lambda: (floats(),), None, "native"),
    (n_sorted_key_raises, lambda: ([3, 0, 1],), ZeroDivisionError, "native"),
    (n_recursion_j, lambda: (5, floats()), None, "native"),
    (n_return_argument, lambda: (floats(), (1.5, 2.5), "text" * 3), None, "native"),
    (n_return_argument_parts, lambda: (floats(), (1.5, 2.5)), None, "native"),
    (n_walrus, lambda: (floats(),), None, "native"),
    (n_walrus_return, lambda: (floats(),), None, "native"),
]
NATIVE_IDS = ["%s-%d" % (op[0].__name__, i) for i, op in enumerate(NATIVE_OPS)]
EXPECT_NATIVE = os.environ.get("PYVORIN_CONTAINERS_EXPECT_NATIVE", "1") != "0"


@pytest.mark.parametrize("fn,make_args,exc,how", NATIVE_OPS, ids=NATIVE_IDS)
def test_native_paths_keep_refcounts_and_memory_flat(fn, make_args, exc, how):
    jf = fn if is_dispatcher(fn) else pyvorin.jit(fn)
    args = make_args()
    ref_args = make_args()
    with pure_cpython(fn):
        try:
            expected = repr(py_of(fn)(*ref_args))
        except Exception as e:  # noqa: BLE001
            expected = "raised %s(%s)" % (type(e).__name__, e)
    try:
        got = repr(jf(*args))
    except Exception as e:  # noqa: BLE001
        got = "raised %s(%s)" % (type(e).__name__, e)
    assert got == expected, (fn.__name__, got, expected)
    assert repr(args) == repr(ref_args), (fn.__name__, args, ref_args)

    call_many(jf, args, 100, exc)
    gc.collect()
    objs = watched(args)
    before = counts(objs)
    jf.reset_stats()
    call_many(jf, args, CALLS, exc)
    gc.collect()
    after = counts(objs)
    changed = [(short(o), b, a) for o, b, a in zip(objs, before, after) if b != a]
    assert not changed, "%s: reference counts changed over %d calls (object, before, after): %s" % (
        fn.__name__, CALLS, changed)
    if EXPECT_NATIVE:
        stats = jf.stats
        if how == "native":
            assert stats["native_calls"] == CALLS, (fn.__name__, stats, why_not_native(jf))
        else:  # compiled for these arguments, and each call reran in CPython after a guard failed
            assert jf.signatures and stats["python_calls"] == CALLS, (fn.__name__, stats, why_not_native(jf))

    tracemalloc.start()
    try:
        call_many(jf, args, 200, exc)
        gc.collect()
        start, _ = tracemalloc.get_traced_memory()
        call_many(jf, args, TRACED_CALLS, exc)
        gc.collect()
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert end - start < MEMORY_BOUND, "%s: traced memory grew by %d bytes over %d calls" % (
        fn.__name__, end - start, TRACED_CALLS)
    del objs


# ---------------------------------------------------------------------------------------------
# Threads: jitted container functions called from 4 threads at once
# ---------------------------------------------------------------------------------------------
def t_push_range(xs, start, n):
    for i in range(n):
        xs.append(start + i)
    return len(xs)


def t_work(xs, k):
    d = {}
    for x in xs:
        d[x % k] = d.get(x % k, 0) + x
    return sorted(d.items()), [x * k for x in xs if x % 2], set(xs[::3])


def test_threads_own_and_shared_lists():
    work = pyvorin.jit(t_work)
    push = pyvorin.jit(t_push_range)
    n_threads = 4
    per_thread = 20000
    own_inputs = [[(i * 31 + t) % 1000 - 500 for i in range(2000)] for t in range(n_threads)]
    expected_own = [t_work(list(xs), t + 3) for t, xs in enumerate(own_inputs)]
    shared = []
    barrier = threading.Barrier(n_threads)
    errors = []
    results = [None] * n_threads

    def body(t):
        try:
            barrier.wait()
            mine = []
            for j in range(20):
                mine.append(work(own_inputs[t], t + 3))
                push(shared, t * per_thread + j * 1000, 1000)
            results[t] = mine
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append((t, e))

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)     # switch threads often
    try:
        threads = [threading.Thread(target=body, args=(t,)) for t in range(n_threads)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(120)
    finally:
        sys.setswitchinterval(old)
    assert not errors, errors
    for t in range(n_threads):
        assert results[t] is not None and len(results[t]) == 20
        for r in results[t]:
            assert r == expected_own[t], "thread %d: %s != %s" % (t, short(r), short(expected_own[t]))
    # The shared list: every append happened exactly once, and each thread's appends are in order.
    assert len(shared) == n_threads * per_thread, len(shared)
    assert sorted(shared) == list(range(n_threads * per_thread))
    for t in range(n_threads):
        mine = [x for x in shared if t * per_thread <= x < (t + 1) * per_thread]
        assert mine == sorted(mine), "thread %d's appends out of order" % t
    assert own_inputs == [[(i * 31 + t) % 1000 - 500 for i in range(2000)] for t in range(n_threads)]


def test_the_checks_see_a_leak():
    # The detectors themselves: a callable that keeps one reference per call is caught by both.
    kept = []

    def leaky(xs):
        kept.append(xs[0])
        return len(xs)

    args = (big_list(),)
    objs = watched(args)
    before = counts(objs)
    call_many(leaky, args, 1000, None)
    assert counts(objs) != before
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        call_many(lambda xs: kept.append([xs[0]]), args, TRACED_CALLS, None)
        end, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert end - start >= MEMORY_BOUND, end - start
