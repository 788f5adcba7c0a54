"""The container corpus: small, realistic functions over lists, tuples, dicts and sets (course
algorithms, pyperformance and Benchmarks Game kernels, utility code), each with argument tuples
that include empty, one-element, negative-index, huge (10**5 elements, ints near 2**62, ints beyond
int64 inside a list), aliased (the same list passed twice) and CPython-raising inputs.

Every function is defined at module level so inspect.getsource sees it. CASES lists Case objects:
the function, its argument tuples, and whether it is expected to compile natively (True for
everything in the containers issue's scope). test_containers.py runs each one under pyvorin.jit
and under CPython and compares value, types, exception, stdout, argument mutation and identity.

Helpers that other cases call are module-level dispatchers (`@pyvorin.jit`), so a compiled caller
calls them natively; pyvorin_testutil.pure_cpython swaps them for their py_func for the reference
run."""
import pyvorin

NAN = float("nan")
INF = float("inf")

# ---------------------------------------------------------------------------------------------
# Shared inputs (never mutated: the tests deep-copy every argument tuple before each call)
# ---------------------------------------------------------------------------------------------
HUGE = list(range(10**5))                              # 10**5 ints
HUGE_MIXED = [(i * 7919) % 100003 - 50000 for i in range(10**5)]   # unsorted, negatives
NEAR = [2**62, 2**62 - 1, -2**62, 2**62 + 7, 3]        # ints near 2**62: sums leave int64
BIGS = [1, 2**64, -(10**30), 3, 2**63]                 # ints beyond int64 inside a list
FLOATS = [0.5, -1.25, 3.0, 1e300, -0.0, 2.5]
SPECIAL = [INF, -INF, 0.0, -0.0, 1e-300, 5e-324]
K0 = 0.5                                               # module-level constants read by cases
K1 = 3
IDENT = (1, 2)
ORIGIN = (0, 0)
PRIMES_SMALL = [2, 3, 5, 7, 11, 13]
TABLE = {1: 10, 2: 20, 3: 30}


class Case:
    """A corpus entry: fn, its argument tuples, and whether it should compile natively."""
    __slots__ = ("fn", "argsets", "native", "name")

    def __init__(self, fn, argsets, native=True):
        for a in argsets:
            assert isinstance(a, tuple), (fn.__name__, a)
        self.fn = fn
        self.argsets = argsets
        self.native = native
        self.name = fn.__name__

    def __repr__(self):
        return "Case(%s, %d argsets, native=%s)" % (self.name, len(self.argsets), self.native)


CASES = []


def add(fn, argsets, native=True):
    CASES.append(Case(getattr(fn, "py_func", fn), list(argsets), native))


def each(*values):
    """One single-argument tuple per value."""
    return [(v,) for v in values]


# Lists most single-list cases run on: empty, one element, negatives, duplicates, floats,
# huge, near-2**62, beyond-int64.
INT_LISTS = each([], [7], [-3], [3, 1, 2], [5, -2, 5, 0, -2, 9], list(range(-5, 6)), HUGE_MIXED,
                 NEAR, BIGS)
NUM_LISTS = INT_LISTS + each(FLOATS, [1, 2.5, True, -3], SPECIAL)


# ---------------------------------------------------------------------------------------------
# Literals, repetition, concatenation, comparison
# ---------------------------------------------------------------------------------------------
def lit_list(a, b):
    return [a, b, a + b, a * b]


def lit_tuple(a, b):
    return (a, b), (a,), ()


def lit_dict(a, b):
    return {a: b, b: a, 0: a - b}


def lit_set(a, b):
    return {a, b, a, a - b}


def lit_nested(n):
    return [[n, n + 1], (n, [n * 2]), {n: (n, n)}, {n, -n}, [], (), {}]


def lit_empty_set_and_dict(n):
    s = set()
    d = {}
    if n > 0:
        s.add(n)
        d[n] = n
    return s, d, len(s) + len(d)


def rep_list(xs, k):
    return xs * k


def rep_zero_grid(n, m):
    return [[0] * m for _ in range(n)]


def rep_aliased_rows(n):
    grid = [[0] * n] * n           # every row is the same list
    if n > 0:
        grid[0][0] = 1
    return grid


def rep_tuple(t, k):
    return t * k + k * t


def rep_inplace(xs, k):
    xs *= k
    return xs


def cat_lists(xs, ys):
    return xs + ys


def cat_tuples(t, u):
    return t + u + IDENT


def cat_iadd_alias(xs, ys):
    zs = xs
    zs += ys                        # extends xs in place: the caller sees it
    return zs


def cat_rebind(xs, ys):
    zs = xs
    zs = zs + ys                    # a new list: xs unchanged
    return zs, xs


def cat_tuple_iadd(t, x):
    u = t
    u += (x,)
    return t, u


def cmp_lists(xs, ys):
    return xs == ys, xs != ys, xs < ys, xs <= ys, xs > ys, xs >= ys


def cmp_tuples(t, u):
    return t < u, t == u, t >= u


def cmp_mixed_kinds(xs, t):
    return xs == t, list(t) == xs, tuple(xs) == t


def cmp_nan_identity(xs):
    x = xs[0]
    return x in xs, [x] == [x], xs == xs, x == x


def cmp_dicts_sets(d, e, s, u):
    return d == e, d != e, s == u, s <= u, s < u, s >= u, s > u


add(lit_list, [(1, 2), (-3, 4), (2**62, 2**62), (0.5, 2), (True, False), (10**20, 1)])
add(lit_tuple, [(1, 2), (-1, -1), (2.5, 0), (2**63, 1)])
add(lit_dict, [(1, 2), (3, 3), (0, 0), (1, 1.0), (True, 1), (-1, -2)])
add(lit_set, [(1, 2), (3, 3), (0, 0), (1.0, 1), (2**62, -(2**62))])
add(lit_nested, each(0, 1, -7, 2**62), native=False)  # a list of mixed container types
add(lit_empty_set_and_dict, each(0, 5, -1))
add(rep_list, [([], 3), ([1], 0), ([1, 2], 3), ([1, 2], -1), ([[1]], 2), (HUGE, 2), ([1], 10**5),
               ([1, 2], True), ([1], 2**63)])
add(rep_zero_grid, [(0, 0), (1, 1), (3, 2), (2, 0), (-1, 3), (300, 300)])
add(rep_aliased_rows, each(0, 1, 3))
add(rep_tuple, [((), 2), ((1,), 3), ((1, 2), 0), ((1, 2), -5), ((0.5, None), 2)])
add(rep_inplace, [([1, 2], 2), ([1, 2], 0), ([], 5), ([3], -1), (HUGE, 1)])
add(cat_lists, [([], []), ([1], []), ([1, 2], [3]), (HUGE, HUGE), ([1], (2,)), (BIGS, NEAR)])
add(cat_tuples, [((), ()), ((1,), (2, 3)), ((1.5,), ()), ((1,), [2])])
_ALIAS = [1, 2, 3]
add(cat_iadd_alias, [([], []), ([1], [2, 3]), (_ALIAS, _ALIAS), ([1], (2, 3)), ([1], 5)])
add(cat_rebind, [([], []), ([1], [2]), (_ALIAS, _ALIAS), ([1], (2,))])
add(cat_tuple_iadd, [((), 1), ((1, 2), 3), ((1,), [1])])
add(cmp_lists, [([], []), ([1], [1]), ([1, 2], [1, 2, 3]), ([2], [1, 9]), ([1, 2.0], [1, 2]),
                ([NAN], [NAN]), (_ALIAS, _ALIAS), ([1, [2]], [1, [3]]), ([1, "a"], [1, 2]),
                (HUGE, HUGE_MIXED)])
add(cmp_tuples, [((), ()), ((1, 2), (1, 3)), ((1, 2), (1, 2, 0)), ((2**63,), (2**62,)),
                 ((1, None), (1, 2))])
add(cmp_mixed_kinds, [([], ()), ([1, 2], (1, 2)), ([1], (1.0,))])
add(cmp_nan_identity, each([1], [], [-0.0]))  # NaN identity: test_container_divergences.py
add(cmp_dicts_sets, [({}, {}, set(), set()), ({1: 2}, {1: 2.0}, {1}, {1, 2}),
                     ({1: 2, 3: 4}, {3: 4, 1: 2}, {1, 2}, {2, 1}), ({1: [1]}, {1: [2]}, {3}, {4}),
                     ({True: 1}, {1: 1}, {0}, {False})])


# ---------------------------------------------------------------------------------------------
# Indexing, negative indices, slicing get/set/delete with steps
# ---------------------------------------------------------------------------------------------
def idx_first_last(xs):
    return xs[0], xs[-1]


def idx_at(xs, i):
    return xs[i]


def idx_tuple_at(t, i):
    return t[i]


def idx_store(xs, i, v):
    xs[i] = v
    return xs


def idx_swap(xs, i, j):
    xs[i], xs[j] = xs[j], xs[i]
    return xs


def idx_nested(grid, i, j):
    return grid[i][j] + grid[-1][-1]


def idx_aug(xs, i):
    xs[i] += 1
    xs[-1] *= 2
    return xs


def sl_get(xs, a, b, c):
    return xs[a:b:c]


def sl_forms(xs):
    return xs[:], xs[1:], xs[:-1], xs[::2], xs[::-1], xs[-3:], xs[1:-1:3], xs[100:], xs[-100:2]


def sl_tuple(t, a, b):
    return t[a:b], t[::-1]


def sl_set(xs, a, b, ys):
    xs[a:b] = ys
    return xs


def sl_set_step(xs, ys):
    xs[::2] = ys
    return xs


def sl_set_reverse(xs):
    xs[::-1] = xs
    return xs


def sl_del(xs, a, b, c):
    del xs[a:b:c]
    return xs


def sl_del_index(xs, i):
    del xs[i]
    return xs


def sl_copy_is_new(xs):
    ys = xs[:]
    ys.append(0)
    return xs, ys


def sl_rotate(xs, k):
    if not xs:
        return xs
    k = k % len(xs)
    return xs[k:] + xs[:k]


SL_ARGS = [([], 0, 0, 1), ([1], 0, 1, 1), ([1, 2, 3, 4, 5], 1, 4, 1), ([1, 2, 3, 4, 5], -1, -4, -1),
           ([1, 2, 3, 4, 5], None, None, -2), ([1, 2, 3, 4, 5], 0, 5, 0), (HUGE, 10, -10, 7),
           ([1, 2, 3], 2**63, -(2**63), -1), ([1, 2], "a", 1, 1), (HUGE, None, None, -1)]
add(idx_first_last, each([], [1], [1, 2], (3, 4, 5), HUGE, BIGS, [[1], [2]]))
add(idx_at, [([1, 2, 3], 0), ([1, 2, 3], -1), ([1, 2, 3], -3), ([1, 2, 3], 3), ([1, 2, 3], -4),
             ([], 0), (HUGE, 99999), (HUGE, -100000), ([1], 2**63), ([1], True), ([1], 1.0),
             (BIGS, 1), (NEAR, -2), ([[5]], 0)])
add(idx_tuple_at, [((1, 2), 1), ((1, 2), -2), ((1, 2), 2), ((), -1), (IDENT, 0)])
add(idx_store, [([1, 2, 3], 0, 9), ([1, 2, 3], -1, 9), ([1, 2, 3], 3, 9), ([], 0, 1),
                ([1], -2, 0), ([1, 2], 1, [5]), ([1], 0, 2**64), ((1, 2), 0, 0)])
add(idx_swap, [([1, 2], 0, 1), ([1, 2, 3], 0, -1), ([1], 0, 0), ([1, 2], 0, 2)])
add(idx_nested, [([[1, 2], [3, 4]], 0, 1), ([[1]], 0, 0), ([[1, 2], []], 0, 0), ([[1], [2]], -1, 0),
                 ([[1, 2], (3, 4)], 1, -1), ([[]], 0, 0)])
add(idx_aug, [([1, 2, 3], 0), ([5], 0), ([1, 2], -2), ([1], 1),
              ([0.5, [1]], 0), ([], 0)])
add(sl_get, SL_ARGS)
add(sl_forms, each([], [1], list(range(10)), HUGE, (1, 2, 3, 4)))
add(sl_tuple, [((), 0, 1), ((1, 2, 3), 1, 5), ((1, 2, 3), -2, -1), ((1, 2, 3), 2, 0)])
add(sl_set, [([1, 2, 3], 0, 1, []), ([1, 2, 3], 1, 1, [7, 8]), ([1, 2, 3], 0, 3, (9,)),
             ([1, 2, 3], -1, None, [4, 5]), ([], 0, 0, [1]), ([1, 2, 3], 5, 9, [0]),
             (_ALIAS, 0, 1, _ALIAS), ([1], 0, 1, 5), (HUGE, 10, 99990, [])])
add(sl_set_step, [([1, 2, 3, 4], [9, 8]), ([1, 2, 3], [9, 8]), ([], []), ([1, 2, 3], [9, 8, 7]),
                  ([1], (5,))])
add(sl_set_reverse, each([], [1], [1, 2, 3], [1, 2, 3, 4]))
add(sl_del, [([1, 2, 3, 4, 5], 0, 5, 2), ([1, 2, 3, 4, 5], None, None, -1), ([], 0, 9, 1),
             ([1, 2, 3, 4, 5], -2, None, 1), ([1, 2, 3], 0, 3, 0), (HUGE, None, None, 3)])
add(sl_del_index, [([1, 2, 3], 0), ([1, 2, 3], -1), ([1, 2, 3], 3), ([], 0), ([1, 2, 3], -4)])
add(sl_copy_is_new, each([], [1, 2], _ALIAS))
add(sl_rotate, [([], 3), ([1, 2, 3], 1), ([1, 2, 3], -1), ([1, 2, 3], 10**20), (HUGE, 12345)])


# ---------------------------------------------------------------------------------------------
# in / not in, len, del
# ---------------------------------------------------------------------------------------------
def mem_list(xs, x):
    return x in xs, x not in xs


def mem_tuple_const(x):
    return x in IDENT, x not in (3, 4, 5), x in PRIMES_SMALL


def mem_dict_set(d, s, x):
    return x in d, x in s, x not in d, x in d.values()


def mem_count_hits(xs, probes):
    hits = 0
    for p in probes:
        if p in xs:
            hits += 1
    return hits


def len_all(xs, t, d, s):
    return len(xs) + len(t) + len(d) + len(s)


def len_after_growth(n):
    xs = []
    for i in range(n):
        xs.append(i)
        if len(xs) % 3 == 0:
            xs.pop()
    return len(xs)


def del_local_list(xs):
    ys = xs
    del ys
    return len(xs)


def del_dict_key(d, k):
    del d[k]
    return d


def del_multi(xs):
    del xs[0], xs[-1]
    return xs


add(mem_list, [([], 1), ([1, 2, 3], 2), ([1, 2, 3], 4), ([1, 2], 2.0), ([1], True), ([[1]], [1]),
               (HUGE, 99999), (HUGE, -1), (BIGS, 2**64), ((1, 2), 2), ({1: 2}, 1),
               ([1], [])])
add(mem_tuple_const, each(1, 2, 3, 7, 2.0, True, 10**30))
add(mem_dict_set, [({}, set(), 1), ({1: 2}, {3}, 1), ({1: 2}, {3}, 2), ({1: 2}, {3}, 3),
                   ({(1, 2): 0}, {(1, 2)}, (1, 2)), ({1: 1}, {1}, 1.0), ({}, set(), [1])])
add(mem_count_hits, [([], [1, 2]), ([1, 2, 3], [3, 4, 1]), (HUGE[:1000], list(range(-10, 2000, 7))),
                     ({1, 2}, [1, 1, 5]), ((1,), ())])
add(len_all, [([], (), {}, set()), ([1], (1, 2), {1: 1}, {1, 2, 3}), (HUGE, IDENT, TABLE, {0}),
              (None, (), {}, set())])
add(len_after_growth, each(0, 1, 10, 10**4, -5))
add(del_local_list, each([], [1, 2]), native=False)  # del of a variable
add(del_dict_key, [({1: 2}, 1), ({1: 2, 3: 4}, 3), ({}, 1), ({(1, 2): 3}, (1, 2)),
                   ({1: 2}, (1, 2)), ({1: 0}, 1.0), ({1: 0}, [1])])
add(del_multi, each([1, 2, 3], [1, 2], [1], list(range(10))))


# ---------------------------------------------------------------------------------------------
# Unpacking: tuples, lists, starred targets, nested targets in for
# ---------------------------------------------------------------------------------------------
def unp_pair(t):
    a, b = t
    return b, a


def unp_three(xs):
    a, b, c = xs
    return a * 100 + b * 10 + c


def unp_star_tail(xs):
    first, *rest = xs
    return first, rest


def unp_star_mid(t):
    a, *mid, z = t
    return a, mid, z


def unp_star_head(xs):
    *init, last = xs
    return init, last


def unp_nested(t):
    (a, b), c = t
    return a + b + c


def unp_for_pairs(pairs):
    total = 0
    for a, b in pairs:
        total += a * b
    return total


def unp_for_nested(rows):
    out = []
    for i, (a, b) in enumerate(rows):
        out.append(i + a - b)
    return out


def unp_for_star(rows):
    out = []
    for head, *tail in rows:
        out.append((head, len(tail)))
    return out


def unp_swap_chain(a, b, c):
    a, b, c = c, a, b
    return [a, b, c]


def unp_returned(n):
    q, r = divmod_pair(n, 7)
    lo, hi = min_max(PRIMES_SMALL)
    return q, r, lo, hi


@pyvorin.jit
def divmod_pair(a, b):
    return a // b, a % b


@pyvorin.jit
def min_max(xs):
    lo = xs[0]
    hi = xs[0]
    for x in xs:
        if x < lo:
            lo = x
        if x > hi:
            hi = x
    return lo, hi


add(unp_pair, each((1, 2), [3, 4], (1,), (1, 2, 3), (), ([1], {2}), (2**63, 0.5)))
add(unp_three, each([1, 2, 3], (4, 5, 6), [1, 2], [1, 2, 3, 4], [], [2**62, 2**62, 2**62]))
add(unp_star_tail, each([1], [1, 2, 3], (1, 2), [], HUGE))
add(unp_star_mid, each((1, 2), (1, 2, 3, 4), [5, 6, 7], (1,)))
add(unp_star_head, each([1], (1, 2, 3), []))
add(unp_nested, each(((1, 2), 3), ([4, 5], 6), ((1,), 2), ((1, 2, 3), 4), (1, 2)))
add(unp_for_pairs, each([], [(1, 2)], [(1, 2), (3, 4), [5, 6]], [(1, 2, 3)], [(2**62, 4)],
                        [(i, i) for i in range(10**4)], [(0.5, 2), (1, True)]))
add(unp_for_nested, each([], [(1, 2)], [(1, 2), [3, 4]], [(1,)], [(1, 2), 5]))
add(unp_for_star, each([], [(1,)], [(1, 2, 3), [4, 5]], [()]))
add(unp_swap_chain, [(1, 2, 3), (0.5, -1, 2**62)])
add(unp_returned, each(0, 20, -20, 2**62))
add(min_max, each([1], [3, -1, 2], [], [0.5, -0.0, 0.0], HUGE_MIXED, NEAR, BIGS))


# ---------------------------------------------------------------------------------------------
# Comprehensions (nested, with conditions) and generator expressions
# ---------------------------------------------------------------------------------------------
def comp_squares(xs):
    return [x * x for x in xs]


def comp_filter(xs):
    return [x for x in xs if x % 2 == 0 and x > -3]


def comp_nested(n):
    return [(i, j) for i in range(n) for j in range(i) if (i + j) % 3 != 0]


def comp_matrix(n):
    return [[i * j for j in range(n)] for i in range(n)]


def comp_flatten(rows):
    return [x for row in rows for x in row]


def comp_transpose(m):
    return [[row[i] for row in m] for i in range(len(m[0]))] if m else []


def comp_dict(xs):
    return {x: x * x for x in xs if x != 0}


def comp_dict_invert(d):
    return {v: k for k, v in d.items()}


def comp_set(xs):
    return {x % 5 for x in xs}


def comp_set_pairs(xs):
    return {(a, b) for a in xs for b in xs if a < b}


def comp_cond_expr(xs):
    return [x if x >= 0 else -x for x in xs]


def comp_uses_const(xs):
    return [x * K0 + K1 for x in xs]


def comp_shadow(x):
    ys = [x for x in range(3)]
    return x, ys


def gen_sum(xs):
    return sum(x * x for x in xs)


def gen_sum_start(xs):
    return sum((x for x in xs), 10), sum(xs, 0.5)


def gen_min_max(xs):
    return min(x - 1 for x in xs), max(-x for x in xs)


def gen_any_all(xs):
    return any(x > 2 for x in xs), all(x > 0 for x in xs)


def gen_sorted(xs):
    return sorted(x % 10 for x in xs)


def gen_containers(xs):
    return list(x + 1 for x in xs), tuple(x for x in xs if x), set(x // 2 for x in xs)


def gen_dict(xs):
    return dict((x, i) for i, x in enumerate(xs))


def gen_nested(n):
    return sum(i * j for i in range(n) for j in range(i, n))


add(comp_squares, NUM_LISTS + each((1, 2), {3, 4}, [[1]]))
add(comp_filter, INT_LISTS + each([0.5, 2.0, -2.0]))
add(comp_nested, each(0, 1, 5, 60))
add(comp_matrix, each(0, 1, 4, 100))
add(comp_flatten, each([], [[]], [[1], [2, 3]], [(1, 2), [3]], [[1], 2], [HUGE[:5000], HUGE[:5000]]))
add(comp_transpose, each([], [[1]], [[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]], [[1, 2], [3]]))
add(comp_dict, INT_LISTS + each([1, 1.0, True], [[1]]))
add(comp_dict_invert, each({}, {1: 2}, {1: 2, 3: 2}, TABLE, {1: [2]}))
add(comp_set, INT_LISTS + each([2.5, 7.5]))
add(comp_set_pairs, each([], [1], [3, 1, 2], [1, 1, 2], list(range(50))))
add(comp_cond_expr, NUM_LISTS)
add(comp_uses_const, NUM_LISTS)
add(comp_shadow, each(7, -1))
add(gen_sum, NUM_LISTS + each(None, [[1]]))
add(gen_sum_start, NUM_LISTS)
add(gen_min_max, NUM_LISTS + each([NAN, 1], [1, NAN]))
add(gen_any_all, NUM_LISTS + each([NAN]))
add(gen_sorted, INT_LISTS + each([0.5, 11.5, -3.25]))
add(gen_containers, INT_LISTS)
add(gen_dict, INT_LISTS + each([1, 1.0, True], [[1]]))
add(gen_nested, each(0, 1, 10, 300))


# ---------------------------------------------------------------------------------------------
# Iteration: for x in xs, enumerate, zip, reversed, range as a value, dict views
# ---------------------------------------------------------------------------------------------
def it_total(xs):
    total = 0
    for x in xs:
        total += x
    return total


def it_enumerate(xs):
    best = -1
    for i, x in enumerate(xs):
        if x > 0:
            best = i
    return best


def it_enumerate_start(xs):
    return [(i, x) for i, x in enumerate(xs, 1)]


def it_zip_dot(xs, ys):
    s = 0
    for a, b in zip(xs, ys):
        s += a * b
    return s


def it_zip3(xs, ys, zs):
    return list(zip(xs, ys, zs))


def it_reversed(xs):
    out = []
    for x in reversed(xs):
        out.append(x)
    return out


def it_range_value(n):
    r = range(n)
    return list(r), len(r), r[-1] if n > 0 else None, 3 in r


def it_range_return(a, b, c):
    return range(a, b, c)


def it_range_slices(n):
    r = range(0, n, 3)
    return list(r[::-1]), r == range(0, n, 3), list(reversed(r))


def it_dict_items(d):
    ks = []
    vs = []
    for k, v in d.items():
        ks.append(k)
        vs.append(v)
    return ks, vs


def it_dict_keys_values(d):
    return list(d.keys()), list(d.values()), sum(d.values()), len(d.keys())


def it_dict_iter_order(n):
    d = {}
    for i in range(n):
        d[(i * 7) % 11] = i
    del_keys = [k for k in d if k % 2 == 0]
    for k in del_keys:
        del d[k]
    d[0] = -1                      # re-inserted keys go to the end
    return list(d)


def it_set_iter(s):
    total = 0
    for x in s:
        total += x
    return total, sorted(s)


def it_tuple_iter(t):
    out = 0
    for x in t:
        out = out * 10 + x
    return out


def it_growing(xs):
    # the loop sees elements appended while it runs
    for x in xs:
        if x > 0 and len(xs) < 50:
            xs.append(x - 1)
    return xs


def it_shrinking(xs):
    seen = []
    for x in xs:
        seen.append(x)
        if xs:
            xs.pop()
    return seen, xs


def it_dict_mutate(d):
    for k in d:
        d[k + 100] = 1
    return d


def it_dict_update_values(d):
    for k in d:
        d[k] = d[k] * 2            # same size: allowed
    return d


def it_set_mutate(s):
    for x in s:
        s.add(x + 1000)
    return s


def it_nested_loops(rows):
    total = 0
    for row in rows:
        for x in row:
            if x < 0:
                break
            total += x
        else:
            total += 1000
    return total


def it_while_pop(xs):
    out = []
    while xs:
        out.append(xs.pop())
    return out


add(it_total, NUM_LISTS + each((1, 2), {3, 4}, {1: 2}, range(10), None, [1, [2]]))
add(it_enumerate, INT_LISTS)
add(it_enumerate_start, each([], [5], (1, 2), "ab"))
add(it_zip_dot, [([], []), ([1, 2], [3, 4]), ([1, 2, 3], [1]), (HUGE, HUGE), ((1, 2), [0.5, 2]),
                 (NEAR, NEAR), ([1], None)])
add(it_zip3, [([], [], []), ([1, 2], (3, 4), [5]), (range(3), [1, 2, 3], (0, 0, 0))])
add(it_reversed, each([], [1], [1, 2, 3], (1, 2), range(5), HUGE, {1: 2, 3: 4}, None))
add(it_range_value, each(0, 1, 10, -3, 10**5))
add(it_range_return, [(0, 5, 1), (5, 0, -2), (0, 0, 1), (1, 10, 0)])
add(it_range_slices, each(0, 1, 10, 100))
add(it_dict_items, each({}, {1: 2}, TABLE, {(1, 2): [3]}, {i: -i for i in range(10**4)}))
add(it_dict_keys_values, each({}, {1: 2}, TABLE, {1: 0.5, 2: 0.25}, {1: [1]}))
add(it_dict_iter_order, each(0, 1, 11, 30))
add(it_set_iter, each(set(), {1}, {3, 1, 2}, {-1, -2, 10**6}, set(range(10**4)), {0.5, 1}))
add(it_tuple_iter, each((), (1,), (1, 2, 3), IDENT, (2**62, 2**62)))
add(it_growing, each([], [0], [3], [2, 1], [100]))
add(it_shrinking, each([], [1], [1, 2, 3, 4, 5]))
add(it_dict_mutate, each({}, {1: 1}, {1: 1, 2: 2}))
add(it_dict_update_values, each({}, {1: 1}, TABLE, {1: [1]}))
add(it_set_mutate, each(set(), {1}))
add(it_nested_loops, each([], [[]], [[1, 2], [3, -1, 4], [5]], [[-1]], [(1, 2)], [[1], 2]))
add(it_while_pop, each([], [1], [1, 2, 3], HUGE))


# ---------------------------------------------------------------------------------------------
# List methods
# ---------------------------------------------------------------------------------------------
def lm_append(xs, x):
    xs.append(x)
    return xs


def lm_append_self(xs):
    xs.append(xs[0] if xs else 0)
    xs.append(len(xs))
    return len(xs)


def lm_extend(xs, ys):
    xs.extend(ys)
    return xs


def lm_insert(xs, i, x):
    xs.insert(i, x)
    return xs


def lm_pop(xs):
    return xs.pop(), xs


def lm_pop_at(xs, i):
    v = xs.pop(i)
    return v, xs


def lm_remove(xs, x):
    xs.remove(x)
    return xs


def lm_index(xs, x):
    return xs.index(x)


def lm_index_range(xs, x, a, b):
    return xs.index(x, a, b)


def lm_count(xs, x):
    return xs.count(x)


def lm_sort(xs):
    xs.sort()
    return xs


def lm_sort_reverse(xs):
    r = xs.sort(reverse=True)
    return r, xs


def lm_sort_key_abs(xs):
    xs.sort(key=abs)
    return xs


def lm_reverse(xs):
    xs.reverse()
    return xs


def lm_copy(xs):
    ys = xs.copy()
    ys.append(1)
    return ys, ys is xs


def lm_clear(xs):
    ys = xs
    xs.clear()
    return len(ys)


def lm_stack_queue(ops):
    stack = []
    out = []
    for op in ops:
        if op >= 0:
            stack.append(op)
        else:
            out.append(stack.pop())
    return out, stack


def lm_returns_none(xs):
    a = xs.append(1)
    b = xs.sort()
    c = xs.reverse()
    return a, b, c


def sorted_key_len(rows):
    return sorted(rows, key=len)


def sorted_key_abs_rev(xs):
    return sorted(xs, key=abs, reverse=True)


@pyvorin.jit
def neg_key(x):
    return -x


@pyvorin.jit
def mod_key(x):
    return x % 3


def sorted_key_jitted(xs):
    return sorted(xs, key=neg_key), sorted(xs, key=mod_key)


def sort_key_jitted_inplace(xs):
    xs.sort(key=mod_key, reverse=True)
    return xs


def sorted_tuples(pairs):
    return sorted(pairs), sorted(pairs, reverse=True)


def sorted_stable(xs):
    return sorted(xs, key=abs) == sorted(sorted(xs), key=abs)


add(lm_append, [([], 1), ([1], [2]), (_ALIAS, _ALIAS), ([1], None), (HUGE, -1), ([1], 2**70)])
add(lm_append_self, each([], [5], HUGE))
add(lm_extend, [([], []), ([1], [2, 3]), ([1], (2,)), ([1], range(3)), (_ALIAS, _ALIAS),
                ([1], 5), ([1], {7: 0}), (HUGE, HUGE)])
add(lm_insert, [([], 0, 1), ([1, 2], 1, 9), ([1, 2], -1, 9), ([1, 2], 100, 9), ([1, 2], -100, 9),
                ([1, 2], 2**63, 9), (HUGE, 50000, -1)])
add(lm_pop, each([1], [1, 2, 3], [], HUGE, [[1]]))
add(lm_pop_at, [([1, 2, 3], 0), ([1, 2, 3], -1), ([1, 2, 3], 3), ([1, 2, 3], -4), ([], 0),
                (HUGE, 0), ([1], 2**63)])
add(lm_remove, [([1, 2, 3], 2), ([1, 2, 1], 1), ([1, 2], 3), ([], 0), ([1, 2], 2.0), ([[1]], [1]),
                (HUGE, 99999)])
add(lm_index, [([1, 2, 3], 3), ([1, 2, 3], 4), ([], 1), ([1.0], 1), (HUGE, 77777), ((5, 6), 6),
               ((5, 6), 7), ([[1]], [1])])
add(lm_index_range, [([1, 2, 1, 2], 1, 1, 4), ([1, 2, 1, 2], 1, 1, 2), ([1, 2, 3], 3, -1, 10),
                     ([1, 2, 3], 1, -100, 100)])
add(lm_count, [([], 1), ([1, 1, 2], 1), ([1, 1.0, True], 1), (HUGE, 5), (HUGE_MIXED, 0),
               ((1, 1), 1)])
add(lm_sort, NUM_LISTS + each([[2], [1, 5], [1]], [(2, 1), (1, 2)], [1, "a"], [3, NAN, 1]))
add(lm_sort_reverse, INT_LISTS + each([1, 1.0, True, 0]))
add(lm_sort_key_abs, INT_LISTS + each([1, -1, 1.0, -1.0], [[1]]))
add(lm_reverse, each([], [1], [1, 2, 3], HUGE))
add(lm_copy, each([], [1], _ALIAS, [[1], [2]]))
add(lm_clear, each([], [1, 2], HUGE))
add(lm_stack_queue, each([], [1, 2, -1, 3, -1, -1], [-1], [1] * 10**4 + [-1] * 10**4))
add(lm_returns_none, each([], [3, 1, 2]))
add(sorted_key_len, each([], [[1, 2], [], [3]], ([1], (1, 2, 3), []), [[1], 5]))
add(sorted_key_abs_rev, INT_LISTS + each([1, -1, 2, -2, 1.0]))
add(sorted_key_jitted, INT_LISTS)
add(sort_key_jitted_inplace, INT_LISTS[:7])
add(sorted_tuples, each([], [(1, 2)], [(2, 1), (1, 2), (1, 1), (2, 0)], [(1, 2), (1,)],
                        [(1, 2), (1, "a")]))
add(sorted_stable, INT_LISTS)


# ---------------------------------------------------------------------------------------------
# Tuples as values, dict keys, set members; multiple return values
# ---------------------------------------------------------------------------------------------
def tup_points_dist(points):
    best = None
    for p in points:
        d = (p[0] - ORIGIN[0]) ** 2 + (p[1] - ORIGIN[1]) ** 2
        if best is None or d < best:
            best = d
    return best


def tup_grid_keys(n):
    g = {}
    for i in range(n):
        for j in range(n):
            g[(i, j)] = i * n + j
    return g.get((n - 1, n - 1), -1), len(g), (1, 1) in g


def tup_visited(moves):
    pos = (0, 0)
    seen = {pos}
    for dx, dy in moves:
        pos = (pos[0] + dx, pos[1] + dy)
        seen.add(pos)
    return len(seen), pos


def tup_multi_return(xs):
    if not xs:
        return 0, 0, 0.0
    s = sum(xs)
    return len(xs), s, s / len(xs)


def tup_unpack_call(xs):
    n, s, mean = tup_multi_return_j(xs)
    return n + s, mean


tup_multi_return_j = pyvorin.jit(tup_multi_return)


def tup_hash_key(t, d):
    return d[t]


def tup_const_key(d):
    return d.get(IDENT, 0) + d.get((2, 1), 0)


add(tup_points_dist, each([], [(1, 2)], [(3, 4), (-1, 1), (0, 5)], [(1,)], [[2, 2], (1, 1)],
                          [(2**62, 0)]))
add(tup_grid_keys, each(0, 1, 5, 100))
add(tup_visited, each([], [(0, 1), (1, 0), (0, -1), (-1, 0)], [(1, 1)] * 1000, [(1, 2, 3)]))
add(tup_multi_return, NUM_LISTS)
add(tup_unpack_call, each([], [1, 2, 3], [0.5], HUGE))
add(tup_hash_key, [((1, 2), {(1, 2): 3}), ((1, 2), {(1, 2.0): 4}), ((1, 2), {}),
                   ((1, [2]), {}), ((), {(): 0})])
add(tup_const_key, each({}, {(1, 2): 5}, {(1, 2): 1, (2, 1): 2}, {(1.0, 2.0): 7}))


# ---------------------------------------------------------------------------------------------
# Dict operations
# ---------------------------------------------------------------------------------------------
def d_get_item(d, k):
    return d[k]


def d_set_item(d, k, v):
    d[k] = v
    return d


def d_get(d, k):
    return d.get(k), d.get(k, -1)


def d_setdefault(d, k):
    lst = d.setdefault(k, [])
    lst.append(len(d))
    return d


def d_pop(d, k):
    v = d.pop(k)
    return v, d


def d_pop_default(d, k):
    return d.pop(k, None), d


def d_update(d, e):
    d.update(e)
    return d


def d_update_pairs(d, pairs):
    d.update(pairs)
    return d


def d_views(d):
    return list(d.items()), list(d.keys()), list(d.values())


def d_same_key(n):
    d = {}
    d[1] = n
    d[1.0] = n + 1
    d[True] = n + 2
    return d, [isinstance(k, bool) or isinstance(k, float) for k in d]


def d_literal_same_key(n):
    return {True: n, 1: n + 1, 1.0: n + 2}, {0: 1, -0.0: 2, False: 3}  # noqa: F601


def d_copy_and_clear(d):
    e = dict(d)
    f = d.copy()
    d.clear()
    return e, f, d


def d_counter(xs):
    counts = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    return counts


def d_group_by_mod(xs, m):
    groups = {}
    for x in xs:
        groups.setdefault(x % m, []).append(x)
    return groups


def d_invert_lists(d):
    out = {}
    for k, vs in d.items():
        for v in vs:
            if v not in out:
                out[v] = []
            out[v].append(k)
    return out


def d_keys_changed(d):
    n = 0
    for k in d.keys():
        n += 1
        if n == 1:
            d[k * 1000 + 1] = 0
    return n


def d_pop_during_iter(d):
    for k in d:
        d.pop(k)
    return d


def d_popitem(d):
    return d.popitem(), d


def d_nested(d, a, b):
    return d[a][b]


def d_table_const(k):
    return TABLE[k] + TABLE.get(k + 1, 0)


def d_merge_sum(a, b):
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def d_from_zip(ks, vs):
    return dict(zip(ks, vs))


def d_fromkeys(xs):
    return dict.fromkeys(xs, 0), list(dict.fromkeys(xs))


def d_max_by_value(d):
    best_k = None
    best_v = None
    for k, v in d.items():
        if best_v is None or v > best_v:
            best_k, best_v = k, v
    return best_k


BIG_DICT = {i: i % 97 for i in range(10**5)}
add(d_get_item, [({1: 2}, 1), ({1: 2}, 2), ({}, (1, 2)), ({(1, 2): 3}, (1, 2)), ({1: 2}, 1.0),
                 ({1: 2}, True), ({1: 2}, [1]), (BIG_DICT, 99999), ({2**64: 1}, 2**64)])
add(d_set_item, [({}, 1, 2), ({1: 2}, 1, 3), ({1: 2}, 1.0, 4), ({True: 0}, 1, 1), ({}, (1, 2), 0),
                 ({}, [1], 0), ({}, {1}, 0), ({1: 0, 2: 0}, 1, -1)])
add(d_get, [({}, 1), ({1: 2}, 1), ({1: None}, 1), ({1: 2}, [1]), (BIG_DICT, 5)])
add(d_setdefault, [({}, 1), ({1: [0]}, 1), ({1: [0]}, 2), ({}, [1]), ({1: 5}, 1)])
add(d_pop, [({1: 2}, 1), ({1: 2}, 3), ({}, (1, 2)), ({1: 2, 3: 4}, 1.0), ({}, [])])
add(d_pop_default, [({1: 2}, 1), ({}, 1), ({1: 2}, {})])
add(d_update, [({}, {}), ({1: 2}, {1: 3, 4: 5}), ({1: 2}, {}), ({}, BIG_DICT), ({1: 2}, [(3, 4)]),
               ({1: 2}, [1]), ({1: 2}, None)])
add(d_update_pairs, [({}, [(1, 2), (1, 3)]), ({}, [[1, 2]]), ({}, [(1, 2, 3)]), ({}, ())])
add(d_views, each({}, {1: 2}, TABLE, {(1,): [1]}))
add(d_same_key, each(0, 10))
add(d_literal_same_key, each(0, 5), native=False)  # keys of three numeric types
# dict.copy/dict.clear: beyond the listed scope (compared, native not required)
add(d_copy_and_clear, each({}, {1: [2]}, TABLE), native=False)
add(d_counter, INT_LISTS + each([1, 1.0, True, 2], [(1, 2), (1, 2)], [[1]]))
add(d_group_by_mod, [([], 3), ([1, 2, 3, 4, 5, 6], 3), ([-1, -2, 7], 4), (HUGE_MIXED, 10), ([1], 0)])
add(d_invert_lists, each({}, {1: [2, 3], 4: [3]}, {1: []}, {1: [[2]]}))
add(d_keys_changed, each({}, {1: 1}, {1: 1, 2: 2}))
add(d_pop_during_iter, each({}, {1: 1}, {1: 1, 2: 2}))
# dict.popitem: beyond the listed scope (compared, native not required)
add(d_popitem, each({}, {1: 2}, {1: 2, 3: 4}), native=False)
add(d_nested, [({1: {2: 3}}, 1, 2), ({1: {2: 3}}, 1, 3), ({1: [7, 8]}, 1, -1), ({1: {}}, 2, 0)])
add(d_table_const, each(1, 2, 3, 4, 2.0, True))
add(d_merge_sum, [({}, {}), ({1: 2}, {1: 3, 2: 4}), ({1: 0.5}, {1: 1}), ({1: 2**62}, {1: 2**62}),
                  ({1: [1]}, {1: 2})])
add(d_from_zip, [([], []), ([1, 2, 1], [3, 4, 5]), ([1, 2], [3]), (HUGE, HUGE_MIXED)])
# dict.fromkeys: beyond the listed scope (compared, native not required)
add(d_fromkeys, each([], [3, 1, 3, 2], HUGE_MIXED[:1000], [[1]]), native=False)
add(d_max_by_value, each({}, {1: 2}, {1: 2, 3: 5, 4: 5}, BIG_DICT, {1: 2, 2: None}))


# ---------------------------------------------------------------------------------------------
# Set operations
# ---------------------------------------------------------------------------------------------
def s_add_discard(s, x):
    s.add(x)
    s.discard(x + 1)
    s.discard(-12345)
    return s


def s_remove(s, x):
    s.remove(x)
    return s


def s_ops(a, b):
    return a | b, a & b, a - b, a ^ b


def s_methods(a, b):
    return a.union(b), a.intersection(b), a.difference(b), a.symmetric_difference(b), \
        a.issubset(b), a.issuperset(b), a.isdisjoint(b)


def s_inplace(a, b):
    c = a
    c |= b
    c -= {0}
    c &= a
    return a, c is a


def s_update_methods(a, xs):
    a.update(xs)
    a.difference_update([1])
    a.intersection_update(range(-100, 100))
    return a


def s_dedupe_keep_order(xs):
    seen = set()
    out = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            out.append(x)
    return out


def s_pop_all(s):
    out = []
    while s:
        out.append(s.pop())
    return sorted(out)


def s_pop_empty(s):
    return s.pop()


def s_unhashable(xs):
    return set(xs)


def s_frozen_member(s):
    return (1, 2) in s, frozenset([1, 2]) in s


def s_compare(a, b):
    return a == b, a < b, a <= b, a > b, a >= b, a != b


def s_jaccard(a, b):
    u = a | b
    if not u:
        return 1.0
    return len(a & b) / len(u)


SETS = [(set(), set()), ({1}, set()), ({1, 2, 3}, {2, 3, 4}), ({1, 2}, {1, 2}), ({1}, {1.0, 2}),
        (set(range(10**4)), set(range(5000, 15000))), ({(1, 2)}, {(1, 2), (3,)}), ({1}, [1])]
add(s_add_discard, [(set(), 1), ({1, 2}, 1), ({1}, 1.0), ({1}, (1, 2)), (set(), [1]), (set(), 2**64)])
add(s_remove, [({1}, 1), ({1}, 2), (set(), (1, 2)), ({1, 2}, True), (set(), [1])])
add(s_ops, SETS)
add(s_methods, SETS + [({1, 2}, [2, 3]), ({1}, None)])
add(s_inplace, SETS[:6])
# set.update/difference_update/intersection_update: beyond the listed scope (compared, native not required)
add(s_update_methods, [(set(), []), ({1, 2}, [3, 1]), ({5}, range(200)), ({1}, [[1]])], native=False)
add(s_dedupe_keep_order, INT_LISTS + each([1, 1.0, True], [[1]]))
# set.pop: beyond the listed scope (compared, native not required)
add(s_pop_all, each(set(), {1}, {3, 1, 2}, set(range(10**4))), native=False)
# set.pop: beyond the listed scope (compared, native not required)
add(s_pop_empty, each(set(), {7}), native=False)
add(s_unhashable, each([], [1, 1], [[1], [2]], [(1, [2])], [{1: 2}], [{1}]))
# frozenset: beyond the listed scope (compared, native not required)
add(s_frozen_member, each(set(), {(1, 2)}, {frozenset([1, 2])}), native=False)
add(s_compare, SETS[:6])
add(s_jaccard, SETS[:7])


# ---------------------------------------------------------------------------------------------
# Builtins: len/sum/min/max/sorted/any/all/list()/tuple()/set()/dict()/isinstance
# ---------------------------------------------------------------------------------------------
def b_sum(xs):
    return sum(xs)


def b_min_max(xs):
    return min(xs), max(xs)


def b_min_max_args(a, b, c):
    return min(a, b, c), max(a, b), min(b, a)


def b_min_max_default(xs):
    return min(xs, default=None), max(xs, key=abs, default=-1)


def b_sorted(xs):
    return sorted(xs)


def b_any_all(xs):
    return any(xs), all(xs)


def b_constructors(xs):
    return list(xs), tuple(xs), set(xs), len(list(xs))


def b_dict_ctor(pairs):
    return dict(pairs), dict(), list(), tuple(), set()


def b_list_of_list_is_copy(xs):
    ys = list(xs)
    return ys == xs, ys is xs


def b_tuple_of_tuple(t):
    u = tuple(t)
    return u == t


def b_isinstance(x):
    return (isinstance(x, list), isinstance(x, tuple), isinstance(x, dict), isinstance(x, set),
            isinstance(x, int), isinstance(x, float), isinstance(x, (list, tuple)))


def b_isinstance_elements(xs):
    n = 0
    for x in xs:
        if isinstance(x, int):
            n += 1
        elif isinstance(x, list):
            n += 100
    return n


def b_abs_all(xs):
    return [abs(x) for x in xs]


def b_sum_bools(xs):
    return sum(x > 0 for x in xs), sum([True, True])


def b_len_types(xs):
    return len(xs), len(tuple(xs)), len(set(xs)), len(dict(zip(xs, xs)))


add(b_sum, NUM_LISTS + each((1, 2), {1, 2}, {1: 2}, [], [[1]], [1, None], [0.1] * 10, range(10**5),
                            [2**62, 2**62, -(2**62)], [INF, -INF]))
add(b_min_max, NUM_LISTS + each([], (3, 1), {5, 2}, [[2], [1]], [NAN, 1, 2], [1, NAN], [1, 1.0],
                                [1.0, 1], [1, "a"]))
add(b_min_max_args, [(1, 2, 3), (3, 2, 1), (1, 1.0, True), (0.5, -0.0, 0.0), (2**63, 1, -1)])
# min/max with key= and default=: beyond the listed scope (compared, native not required)
add(b_min_max_default, each([], [1, -5, 3], [-5, 5]), native=False)
add(b_sorted, NUM_LISTS + each((3, 1), {5, 2, 9}, {3: 0, 1: 0}, [(1, 2), (0, 5)], [1, NAN, 0],
                               [1, None]))
add(b_any_all, NUM_LISTS + each([0, 0.0, False], [[], [1]], [NAN], (), {0: 1}))
add(b_constructors, INT_LISTS + each((1, 2), {3: 4}, range(4), "ab", None, [[1]]))
add(b_dict_ctor, each([], [(1, 2)], [(1, 2), (1, 3)], [[1, 2]], {1: 2}, [(1,)], [1]))
add(b_list_of_list_is_copy, each([], [1], HUGE))
add(b_tuple_of_tuple, each((), (1,), [1]))
add(b_isinstance, each([], (), {}, set(), 1, 1.0, True, None, [1], range(1), frozenset()))
add(b_isinstance_elements, each([], [1, [2], True, 0.5, (1,)], HUGE, BIGS))
add(b_abs_all, NUM_LISTS + each([[1]]))
add(b_sum_bools, INT_LISTS)
add(b_len_types, INT_LISTS + each([[1]]))


# ---------------------------------------------------------------------------------------------
# print of containers
# ---------------------------------------------------------------------------------------------
def pr_containers(xs):
    print(xs)
    print(tuple(xs), set(xs))
    print({x: [x] for x in xs})
    print(len(xs), xs[:2], sep=" | ")


def pr_special(n):
    print([], (), {}, set(), (n,), [0.1 + 0.2, -0.0, 1e16, NAN, INF])
    print([[n]] * 2, {(n, n): {n}}, [None, True])
    return n


def pr_loop(rows):
    for i, row in enumerate(rows):
        print(i, row, sum(row))
    print("done", end="!\n")


def pr_recursive(xs):
    xs.append(xs)
    print(xs)
    d = {}
    d[1] = d
    print(d)
    xs.pop()
    return len(xs)


add(pr_containers, each([], [1], [3, 1, 2], [0.5, 2.5, -1.0], [2**62, 2**64], [(1, 2)], [[1]]))
add(pr_special, each(0, -3))
add(pr_loop, each([], [[1, 2]], [[1], [], [2.5, 3]], [[1], 5]))
add(pr_recursive, each([], [1]), native=False)  # a list that contains itself


# ---------------------------------------------------------------------------------------------
# Containers as arguments and results, passed between jitted functions
# ---------------------------------------------------------------------------------------------
@pyvorin.jit
def j_scale(xs, k):
    return [x * k for x in xs]


@pyvorin.jit
def j_total(xs):
    t = 0
    for x in xs:
        t += x
    return t


@pyvorin.jit
def j_push(xs, x):
    xs.append(x)
    return xs


@pyvorin.jit
def j_find(xs, target):
    for i in range(len(xs)):
        if xs[i] == target:
            return i
    return None


def pass_pipeline(xs):
    return j_total(j_scale(xs, 3))


def pass_mutating_callee(xs):
    ys = j_push(xs, 99)
    return ys is xs, len(xs)


def pass_result_identity(xs):
    return j_push(xs, 1)


def pass_dict_between(d):
    counts = d_counter_j(list(d.values()))
    return counts, j_total(list(counts.values()))


d_counter_j = pyvorin.jit(d_counter)


def ret_int_or_none(xs, target):
    return j_find(xs, target)


def ret_none_paths(xs):
    if not xs:
        return None
    if xs[0] < 0:
        return
    return xs[0]


def none_arg_memo(n, memo):
    if memo is None:
        memo = {}
    if n in memo:
        return memo[n]
    r = n if n < 2 else none_arg_memo_j(n - 1, memo) + none_arg_memo_j(n - 2, memo)
    memo[n] = r
    return r


none_arg_memo_j = pyvorin.jit(none_arg_memo)


def none_arg_list(xs, extra):
    out = list(xs)
    if extra is not None:
        out.extend(extra)
    return out


def const_reader(x):
    return x * K0 + IDENT[0] - IDENT[-1], IDENT, TABLE.get(x)


def const_not_mutated(x):
    t = IDENT + (x,)
    return t, IDENT


def mut_argument(xs):
    for i in range(len(xs)):
        xs[i] = xs[i] * 2
    xs.append(-1)


def mut_aliased(a, b):
    a.append(len(b))
    b.append(len(a))
    return a is b, a, b


def mut_nested(rows):
    for row in rows:
        row.append(0)
    rows.append([])
    return rows


def ret_argument(xs):
    return xs


def ret_element(rows, i):
    return rows[i]


def ret_choose(a, b, flag):
    return a if flag else b


add(j_scale, [([], 2), ([1, 2], 3), ([0.5], 2), ([1], 0.5), ([2**62], 4), ([[1]], 2), (HUGE, -1)])
add(j_total, NUM_LISTS)
add(j_push, [([], 1), ([1], [2]), (_ALIAS, _ALIAS)])
add(j_find, [([], 1), ([1, 2, 3], 2), ([1, 2, 3], 4), (HUGE, 99999), ([1.0, 2], 2.0)])
add(pass_pipeline, NUM_LISTS)
add(pass_mutating_callee, each([], [1, 2], HUGE))
add(pass_result_identity, each([], [5]))
add(pass_dict_between, each({}, {1: 2, 3: 2, 4: 5}, {1: 0.5}))
add(ret_int_or_none, [([], 1), ([4, 5], 5), ([4, 5], 6), ([1], None)])
add(ret_none_paths, each([], [-1], [3], [0.5, 1], [[1]]))
add(none_arg_memo, [(0, None), (1, None), (10, None), (30, None), (5, {5: 100}), (90, None)])
add(none_arg_list, [([], None), ([1], [2]), ((1,), (2,)), ([1], 5)])
add(const_reader, each(1, 2, 0.5, 4))
add(const_not_mutated, each(3, 0.5))
add(mut_argument, each([], [1], [1, 2, 3], [0.5, [1]], HUGE, BIGS))
add(mut_aliased, [([], []), ([1], [2]), (_ALIAS, _ALIAS)])
add(mut_nested, each([], [[1]], [[1], [2, 3]], [[1], 5]))
add(ret_argument, each([], [1], (1, 2), {1: 2}, {1}, HUGE))
add(ret_element, [([[1], [2]], 0), ([[1], [2]], -1), ([{1: 2}], 0), ([[1]], 1)])
add(ret_choose, [([1], [2], True), ([1], [2], False), ({1}, (2,), 1), (_ALIAS, _ALIAS, 0)])


# ---------------------------------------------------------------------------------------------
# Error cases with CPython's exact messages
# ---------------------------------------------------------------------------------------------
def err_index(xs):
    return xs[len(xs)]


def err_key_tuple(d):
    return d[(1, 2)]


def err_remove(xs):
    xs.remove(12345)
    return xs


def err_unhashable_key(xs):
    d = {}
    d[xs] = 1
    return d


def err_unhashable_set(xs):
    return {xs, 1}


def err_changed_size(d):
    for k in d:
        del d[k]
    return d


def err_partial_mutation(xs):
    # the appends before the error stay visible to the caller
    xs.append(1)
    xs.append(2)
    return xs[100]


def err_unpack_count(xs):
    a, b = xs
    return a - b


def err_empty_max(xs):
    return max(xs) - min(xs)


def err_tuple_assign(t):
    lst = list(t)
    lst[0] = 5
    return t.index(5)


def err_compare_types(xs):
    return sorted(xs)


add(err_index, each([], [1], [1, 2, 3], HUGE, (1,)))
add(err_key_tuple, each({}, {(1, 2): 0}, {(2, 1): 0}, {(1.0, 2.0): 3}))
add(err_remove, each([], [12345], [1, 12345, 12345], HUGE))
add(err_unhashable_key, each([], [1], (1,), ([1],)))
add(err_unhashable_set, each([], (1, 2), 1, {1: 2}))
add(err_changed_size, each({}, {1: 2}, {1: 2, 3: 4}))
add(err_partial_mutation, each([], list(range(200))))
add(err_unpack_count, each([1, 2], [1], [1, 2, 3], (5, 3), [], 5))
add(err_empty_max, each([], [1], [3, -3], [1, None]))
add(err_tuple_assign, each((1,), (5, 1), ()))
add(err_compare_types, each([1, "a"], ["a", 1], [1, [1]], [(1, 2), (1, "a")], [None, None], [{1}, {2}]))


# ---------------------------------------------------------------------------------------------
# Realistic kernels: course algorithms, pyperformance and Benchmarks Game shapes, utilities
# ---------------------------------------------------------------------------------------------
def alg_bubble_sort(xs):
    n = len(xs)
    for i in range(n):
        swapped = False
        for j in range(n - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
                swapped = True
        if not swapped:
            break
    return xs


def alg_insertion_sort(xs):
    for i in range(1, len(xs)):
        key = xs[i]
        j = i - 1
        while j >= 0 and xs[j] > key:
            xs[j + 1] = xs[j]
            j -= 1
        xs[j + 1] = key
    return xs


@pyvorin.jit
def alg_merge(a, b):
    out = []
    i = 0
    j = 0
    while i < len(a) and j < len(b):
        if a[i] <= b[j]:
            out.append(a[i])
            i += 1
        else:
            out.append(b[j])
            j += 1
    out.extend(a[i:])
    out.extend(b[j:])
    return out


@pyvorin.jit
def alg_merge_sort(xs):
    if len(xs) <= 1:
        return xs[:]
    mid = len(xs) // 2
    return alg_merge(alg_merge_sort(xs[:mid]), alg_merge_sort(xs[mid:]))


@pyvorin.jit
def alg_quicksort(xs):
    if len(xs) <= 1:
        return list(xs)
    pivot = xs[len(xs) // 2]
    less = [x for x in xs if x < pivot]
    equal = [x for x in xs if x == pivot]
    more = [x for x in xs if x > pivot]
    return alg_quicksort(less) + equal + alg_quicksort(more)


def alg_binary_search(xs, target):
    lo = 0
    hi = len(xs) - 1
    while lo <= hi:
        mid = (lo + hi) // 2
        if xs[mid] == target:
            return mid
        if xs[mid] < target:
            lo = mid + 1
        else:
            hi = mid - 1
    return -1


def alg_sieve(n):
    is_prime = [True] * (n + 1)
    is_prime[0:2] = [False, False][:n + 1]
    for i in range(2, int(n ** 0.5) + 1):
        if is_prime[i]:
            is_prime[i * i::i] = [False] * len(range(i * i, n + 1, i))
    return [i for i in range(n + 1) if is_prime[i]]


def alg_fib_memo(n):
    memo = [0, 1] + [0] * max(0, n - 1)
    for i in range(2, n + 1):
        memo[i] = memo[i - 1] + memo[i - 2]
    return memo[n]


def alg_two_sum(xs, target):
    seen = {}
    for i, x in enumerate(xs):
        if target - x in seen:
            return seen[target - x], i
        seen[x] = i
    return None


def alg_bfs(adj, start):
    dist = {start: 0}
    queue = [start]
    head = 0
    while head < len(queue):
        u = queue[head]
        head += 1
        for v in adj.get(u, []):
            if v not in dist:
                dist[v] = dist[u] + 1
                queue.append(v)
    return dist


def alg_dfs_order(adj, start):
    seen = set()
    order = []
    stack = [start]
    while stack:
        u = stack.pop()
        if u in seen:
            continue
        seen.add(u)
        order.append(u)
        for v in reversed(adj[u]):
            if v not in seen:
                stack.append(v)
    return order


def alg_topo_sort(n, edges):
    indeg = [0] * n
    adj = [[] for _ in range(n)]
    for a, b in edges:
        adj[a].append(b)
        indeg[b] += 1
    ready = [i for i in range(n) if indeg[i] == 0]
    order = []
    while ready:
        u = ready.pop(0)
        order.append(u)
        for v in adj[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                ready.append(v)
    return order if len(order) == n else None


def alg_dijkstra_dense(w):
    n = len(w)
    if n == 0:
        return []
    dist = [INF] * n
    dist[0] = 0
    done = [False] * n
    for _ in range(n):
        u = -1
        for i in range(n):
            if not done[i] and (u == -1 or dist[i] < dist[u]):
                u = i
        done[u] = True
        for v in range(n):
            if w[u][v] >= 0 and dist[u] + w[u][v] < dist[v]:
                dist[v] = dist[u] + w[u][v]
    return dist


def alg_lcs(a, b):
    m = len(a)
    n = len(b)
    dp = [[0] * (n + 1) for _ in range(m + 1)]
    for i in range(m):
        for j in range(n):
            if a[i] == b[j]:
                dp[i + 1][j + 1] = dp[i][j] + 1
            else:
                dp[i + 1][j + 1] = max(dp[i][j + 1], dp[i + 1][j])
    return dp[m][n]


def alg_knapsack(weights, values, cap):
    best = [0] * (cap + 1)
    for w, v in zip(weights, values):
        for c in range(cap, w - 1, -1):
            if best[c - w] + v > best[c]:
                best[c] = best[c - w] + v
    return best[cap]


def alg_max_subarray(xs):
    best = None
    cur = 0
    for x in xs:
        cur = max(x, cur + x)
        best = cur if best is None else max(best, cur)
    return best


def alg_prefix_sums(xs):
    out = [0]
    for x in xs:
        out.append(out[-1] + x)
    return out


def alg_matmul(a, b):
    n = len(a)
    m = len(b[0]) if b else 0
    k = len(b)
    return [[sum(a[i][t] * b[t][j] for t in range(k)) for j in range(m)] for i in range(n)]


def alg_transpose_inplace(m):
    n = len(m)
    for i in range(n):
        for j in range(i + 1, n):
            m[i][j], m[j][i] = m[j][i], m[i][j]
    return m


def alg_pascal(n):
    rows = [[1]]
    for i in range(1, n):
        prev = rows[-1]
        rows.append([1] + [prev[j] + prev[j + 1] for j in range(len(prev) - 1)] + [1])
    return rows[:n]


def alg_permutations(xs):
    if len(xs) <= 1:
        return [list(xs)]
    out = []
    for i in range(len(xs)):
        for p in alg_permutations_j(xs[:i] + xs[i + 1:]):
            out.append([xs[i]] + p)
    return out


alg_permutations_j = pyvorin.jit(alg_permutations)


def alg_nqueens(n):
    count = 0
    cols = set()
    diag1 = set()
    diag2 = set()
    stack = [(0, 0)]
    placed = []
    # iterative backtracking over rows
    row = 0
    col = 0
    while True:
        if row == n:
            count += 1
            row, col = placed.pop()
            cols.discard(col)
            diag1.discard(row - col)
            diag2.discard(row + col)
            col += 1
            continue
        if col >= n:
            if not placed:
                break
            row, col = placed.pop()
            cols.discard(col)
            diag1.discard(row - col)
            diag2.discard(row + col)
            col += 1
            continue
        if col not in cols and row - col not in diag1 and row + col not in diag2:
            cols.add(col)
            diag1.add(row - col)
            diag2.add(row + col)
            placed.append((row, col))
            row += 1
            col = 0
        else:
            col += 1
    return count + len(stack) - 1


def alg_run_length(xs):
    out = []
    for x in xs:
        if out and out[-1][0] == x:
            out[-1] = (x, out[-1][1] + 1)
        else:
            out.append((x, 1))
    return out


def alg_chunks(xs, k):
    return [xs[i:i + k] for i in range(0, len(xs), k)]


def alg_sliding_max(xs, k):
    return [max(xs[i:i + k]) for i in range(len(xs) - k + 1)]


def alg_moving_average(xs, k):
    out = []
    s = 0.0
    for i, x in enumerate(xs):
        s += x
        if i >= k:
            s -= xs[i - k]
        if i >= k - 1:
            out.append(s / k)
    return out


def alg_histogram(xs, lo, hi, bins):
    counts = [0] * bins
    width = (hi - lo) / bins
    for x in xs:
        if lo <= x < hi:
            counts[int((x - lo) / width)] += 1
    return counts


def alg_mode(xs):
    counts = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    best = None
    for x, c in counts.items():
        if best is None or c > counts[best]:
            best = x
    return best


def alg_median(xs):
    s = sorted(xs)
    n = len(s)
    if n % 2:
        return s[n // 2]
    return (s[n // 2 - 1] + s[n // 2]) / 2


def alg_variance(xs):
    mean = sum(xs) / len(xs)
    return sum((x - mean) ** 2 for x in xs) / len(xs)


def alg_union_find(n, edges):
    parent = list(range(n))

    def_free = 0
    for a, b in edges:
        ra = a
        while parent[ra] != ra:
            ra = parent[ra]
        rb = b
        while parent[rb] != rb:
            rb = parent[rb]
        if ra != rb:
            parent[ra] = rb
    roots = set()
    for i in range(n):
        r = i
        while parent[r] != r:
            r = parent[r]
        roots.add(r)
    return len(roots) + def_free


def alg_flood_fill(grid, r, c):
    h = len(grid)
    w = len(grid[0])
    target = grid[r][c]
    stack = [(r, c)]
    filled = 0
    while stack:
        i, j = stack.pop()
        if 0 <= i < h and 0 <= j < w and grid[i][j] == target:
            grid[i][j] = -1
            filled += 1
            stack.extend([(i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)])
    return filled, grid


def alg_life_step(cells, n):
    # cells: set of (x, y) live cells on an n x n torus (Conway's game of life)
    counts = {}
    for x, y in cells:
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                if dx or dy:
                    p = ((x + dx) % n, (y + dy) % n)
                    counts[p] = counts.get(p, 0) + 1
    return {p for p, c in counts.items() if c == 3 or (c == 2 and p in cells)}


def bg_fannkuch(n):
    # Benchmarks Game fannkuch-redux, returning (checksum, max flips)
    perm1 = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    sign = 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1
        perm = perm1[:]
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        max_flips = max(max_flips, flips)
        checksum += sign * flips
        sign = -sign
        while True:
            if r == n:
                return checksum, max_flips
            p0 = perm1[0]
            for i in range(r):
                perm1[i] = perm1[i + 1]
            perm1[r] = p0
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1


def bg_nbody_energy(bodies):
    # Benchmarks Game n-body: bodies are [x, y, z, vx, vy, vz, mass] lists
    e = 0.0
    for i, b in enumerate(bodies):
        x, y, z, vx, vy, vz, m = b
        e += 0.5 * m * (vx * vx + vy * vy + vz * vz)
        for b2 in bodies[i + 1:]:
            dx = x - b2[0]
            dy = y - b2[1]
            dz = z - b2[2]
            e -= (m * b2[6]) / ((dx * dx + dy * dy + dz * dz) ** 0.5)
    return e


def bg_nbody_advance(bodies, dt, steps):
    pairs = [(bodies[i], bodies[j]) for i in range(len(bodies)) for j in range(i + 1, len(bodies))]
    for _ in range(steps):
        for b1, b2 in pairs:
            dx = b1[0] - b2[0]
            dy = b1[1] - b2[1]
            dz = b1[2] - b2[2]
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** -1.5)
            b1m = b1[6] * mag
            b2m = b2[6] * mag
            b1[3] -= dx * b2m
            b1[4] -= dy * b2m
            b1[5] -= dz * b2m
            b2[3] += dx * b1m
            b2[4] += dy * b1m
            b2[5] += dz * b1m
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]
    return bodies


def bg_spectral_av(u):
    # Benchmarks Game spectral-norm: multiply by the matrix A(i, j) = 1/((i+j)(i+j+1)/2+i+1)
    n = len(u)
    return [sum(u[j] / ((i + j) * (i + j + 1) // 2 + i + 1) for j in range(n)) for i in range(n)]


def pp_nqueens_perms(n):
    # pyperformance bm_nqueens shape: permutations filtered through set sizes
    cols = range(n)
    count = 0
    for p in alg_permutations_j(list(cols)):
        if n == len(set(p[i] + i for i in cols)) == len(set(p[i] - i for i in cols)):
            count += 1
    return count


def pp_richards_queue(tasks):
    # a pyperformance-style work queue of (priority, id, work) tuples
    queue = sorted(tasks, reverse=True)
    done = []
    while queue:
        pri, tid, work = queue.pop(0)
        if work > 1:
            queue.append((pri - 1, tid, work - 1))
            queue.sort(reverse=True)
        else:
            done.append(tid)
    return done


def pp_float_points(n):
    # pyperformance bm_float shape on tuples: normalise then maximise
    pts = [(i * 0.5, i * 1.5, -i * 0.25) for i in range(n)]
    out = []
    for x, y, z in pts:
        norm = (x * x + y * y + z * z) ** 0.5
        if norm:
            out.append((x / norm, y / norm, z / norm))
        else:
            out.append((x, y, z))
    best = out[0] if out else None
    for p in out:
        best = (max(best[0], p[0]), max(best[1], p[1]), max(best[2], p[2]))
    return best


def util_flatten_once(rows):
    out = []
    for row in rows:
        if isinstance(row, (list, tuple)):
            out.extend(row)
        else:
            out.append(row)
    return out


def util_pairwise(xs):
    return list(zip(xs, xs[1:]))


def util_argmax(xs):
    best = 0
    for i in range(1, len(xs)):
        if xs[i] > xs[best]:
            best = i
    return best if xs else None


def util_clamp_all(xs, lo, hi):
    return [min(max(x, lo), hi) for x in xs]


def util_unique_sorted(xs):
    return sorted(set(xs))


def util_index_of_all(xs, x):
    return [i for i, y in enumerate(xs) if y == x]


def util_dedupe_inplace(xs):
    seen = set()
    i = 0
    while i < len(xs):
        if xs[i] in seen:
            del xs[i]
        else:
            seen.add(xs[i])
            i += 1
    return xs


def util_partition(xs, pivot):
    lo = [x for x in xs if x < pivot]
    hi = [x for x in xs if x >= pivot]
    return lo, hi


def util_cumulative_max(xs):
    out = []
    for x in xs:
        out.append(x if not out else max(out[-1], x))
    return out


def util_interleave(xs, ys):
    out = []
    for a, b in zip(xs, ys):
        out += [a, b]
    return out


def util_bag_diff(a, b):
    counts = {}
    for x in a:
        counts[x] = counts.get(x, 0) + 1
    for x in b:
        if counts.get(x, 0):
            counts[x] -= 1
    return sorted(x for x, c in counts.items() for _ in range(c))


GRAPH = {0: [1, 2], 1: [3], 2: [3, 4], 3: [5], 4: [5], 5: []}
GRAPH_CYCLE = {0: [1], 1: [2], 2: [0, 3], 3: []}
CHAIN = {i: [i + 1] for i in range(10**4)}
BODIES = [[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 39.47],
          [4.84, -1.16, -0.10, 0.606, 2.81, -0.02, 0.037],
          [8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011],
          [12.89, -15.11, -0.22, 1.08, 0.868, -0.01, 0.0017]]
add(alg_bubble_sort, INT_LISTS[:6] + each(HUGE_MIXED[:300], FLOATS, NEAR, BIGS, [1, "a"]))
add(alg_insertion_sort, INT_LISTS[:6] + each(HUGE_MIXED[:300], FLOATS, [2, None]))
add(alg_merge, [([], []), ([1, 3], [2]), ([1], [1.0]), (HUGE, HUGE), ([0.5], [1, 2])])
add(alg_merge_sort, INT_LISTS + each(FLOATS, [1, "a", 2]))
add(alg_quicksort, INT_LISTS + each(FLOATS, (3, 1, 2)))
add(alg_binary_search, [([], 1), ([1, 3, 5], 3), ([1, 3, 5], 4), (HUGE, 77777), (HUGE, -5),
                        ([1, 2], 2.0)])
add(alg_sieve, each(0, 1, 2, 30, 10**5))
add(alg_fib_memo, each(0, 1, 2, 10, 92, 93, 300, -1))
add(alg_two_sum, [([], 0), ([2, 7, 11, 15], 9), ([3, 3], 6), ([1, 2], 10), (HUGE, 199997),
                  ([0.5, 0.5], 1)])
add(alg_bfs, [({}, 0), (GRAPH, 0), (GRAPH, 3), (GRAPH_CYCLE, 0), (CHAIN, 0), ({0: [[1]]}, 0)])
add(alg_dfs_order, [(GRAPH, 0), (GRAPH_CYCLE, 1), ({0: []}, 0), ({}, 0)])
add(alg_topo_sort, [(0, []), (3, [(0, 1), (1, 2)]), (3, [(0, 1), (1, 0)]), (4, [(3, 0), (2, 1)]),
                    (2, [(0, 2)])])
add(alg_dijkstra_dense, each([], [[0]], [[0, 1, 4], [1, 0, 2], [4, 2, 0]], [[0, -1], [-1, 0]],
                             [[0, 2.5], [1, 0]]), native=False)  # dist[src] = 0 into a list of floats
add(alg_lcs, [([], []), ([1, 2, 3], [2, 3]), ((1, 2, 3, 2), [3, 2, 1, 2]), ("abcbdab", "bdcaba"),
              (HUGE_MIXED[:200], HUGE_MIXED[50:250])])
add(alg_knapsack, [([], [], 10), ([1, 3, 4], [15, 20, 30], 4), ([5], [10], 3), ([2, 2], [1.5, 2], 4),
                   ([1], [1], -1)])
add(alg_max_subarray, INT_LISTS + each(FLOATS))
add(alg_prefix_sums, NUM_LISTS)
add(alg_matmul, [([], []), ([[1]], [[2]]), ([[1, 2], [3, 4]], [[5, 6], [7, 8]]),
                 ([[1.5, 2]], [[1], [2]]), ([[1, 2]], [[1]]), ([[2**62]], [[4]])])
add(alg_transpose_inplace, each([], [[1]], [[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]))
add(alg_pascal, each(0, 1, 5, 70))
add(alg_permutations, each([], [1], [1, 2, 3], (1, 2), [1, 2, 3, 4, 5, 6]))
add(alg_nqueens, each(1, 4, 6))
add(alg_run_length, each([], [1], [1, 1, 2, 2, 2, 1], [1, 1.0, True], HUGE[:1000]))
add(alg_chunks, [([], 2), ([1, 2, 3], 2), ([1, 2, 3], 5), (HUGE, 999), ([1], 0), ([1], -1)])
add(alg_sliding_max, [([], 1), ([1, 3, 2, 5], 2), ([1], 1), ([1, 2], 3), ([1, 2], 0)])
add(alg_moving_average, [([], 2), ([1, 2, 3, 4], 2), ([0.5, 1.5], 1), (HUGE, 100), ([1, 2], 0)])
add(alg_histogram, [([], 0, 10, 5), ([0, 1, 9.5, 10, -1, 5], 0, 10, 5), (HUGE_MIXED, -50000, 50000, 10),
                    ([1], 0, 10, 0)])
add(alg_mode, INT_LISTS + each([1, 1.0, 2, 2]))
add(alg_median, INT_LISTS + each(FLOATS))
add(alg_variance, NUM_LISTS)
add(alg_union_find, [(0, []), (5, [(0, 1), (3, 4)]), (4, [(0, 1), (1, 2), (2, 3)]), (2, [(0, 5)])])
add(alg_flood_fill, [([[1]], 0, 0), ([[1, 1, 0], [0, 1, 0], [1, 1, 1]], 0, 0),
                     ([[0] * 50 for _ in range(50)], 25, 25), ([[1]], 1, 0), ([[1, 2]], -1, -1)])
add(alg_life_step, [(set(), 5), ({(1, 0), (1, 1), (1, 2)}, 5), ({(0, 1), (1, 2), (2, 0), (2, 1), (2, 2)}, 8),
                    ({(0, 0)}, 1)])
add(bg_fannkuch, each(1, 2, 3, 5, 7))
add(bg_nbody_energy, each([], BODIES, BODIES[:1], [[0, 0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0, 1]]))
add(bg_nbody_advance, [(BODIES, 0.01, 10), (BODIES, 0.01, 0), ([], 0.01, 5),
                       ([[0.0] * 7, [0.0] * 7], 0.01, 1)])
add(bg_spectral_av, each([], [1.0], [1.0] * 10, [1, 2, 3], [1.0] * 200))
add(pp_nqueens_perms, each(1, 4, 6))
add(pp_richards_queue, each([], [(1, 1, 1)], [(2, 1, 3), (1, 2, 2), (3, 3, 1)], [(1, 1)]))
add(pp_float_points, each(0, 1, 100, 10**4))
add(util_flatten_once, each([], [[1], (2, 3), 4], [[[1]]], HUGE[:100]))
add(util_pairwise, INT_LISTS[:6])
add(util_argmax, INT_LISTS + each([NAN, 1], [1, NAN]))
add(util_clamp_all, [([], 0, 1), ([-5, 0, 5, 10], 0, 6), ([0.5, 7.5], 1, 7), (HUGE_MIXED, -10, 10),
                     ([1], 2, 0)])
add(util_unique_sorted, INT_LISTS + each([1, 1.0, True, 0, False]))
add(util_index_of_all, [([], 1), ([1, 2, 1], 1), (HUGE_MIXED, 0), ([1.0, 1], True)])
add(util_dedupe_inplace, INT_LISTS[:7] + each([1, 1.0, True, 2], [[1]]))
add(util_partition, [([], 0), ([3, 1, 4, 1, 5], 3), (HUGE_MIXED, 0), ([1, 2], 1.5)])
add(util_cumulative_max, INT_LISTS + each(FLOATS))
add(util_interleave, [([], []), ([1, 2], [3, 4, 5]), (HUGE, HUGE)])
add(util_bag_diff, [([], []), ([1, 1, 2, 3], [1, 3, 3]), (HUGE_MIXED[:2000], HUGE_MIXED[1000:3000])])


# ---------------------------------------------------------------------------------------------
# Truthiness, identity operators, loop variables and other small semantics
# ---------------------------------------------------------------------------------------------
def sem_truthiness(xs, d, s, t):
    out = []
    if xs:
        out.append(1)
    if not d:
        out.append(2)
    if s and t:
        out.append(3)
    return out, bool(xs), bool(d), not s, xs or t, d and s


def sem_identity_ops(a, b):
    return a is b, a is not b, a == b, a is None


def sem_loop_var_after(xs):
    x = -1
    for x in xs:
        pass
    return x


def sem_range_membership(x):
    return x in range(10), x in range(0, 10, 3), x not in range(-5, 0)


def sem_chained_containers(a, b, c):
    return a < b < c, a == b == c, a in b in c


def sem_dict_aug(d, k):
    d[k] += 1
    d[k] *= 2
    return d


def sem_comp_nested_unpack(rows):
    return [a + b + c for (a, b), c in rows]


def sem_early_return_dict(d, limit):
    for k, v in d.items():
        if v > limit:
            return k
    return None


def sem_enumerate_negative(xs):
    return [i * x for i, x in enumerate(xs, -2)]


def sem_empty_results(n):
    if n == 0:
        return []
    if n == 1:
        return ()
    if n == 2:
        return {}
    return set()


def sem_list_of_tuples_sum(pairs):
    sx = 0
    sy = 0.0
    for p in pairs:
        sx += p[0]
        sy += p[1]
    return sx, sy


def sem_while_index(xs):
    i = 0
    total = 0
    while i < len(xs) and xs[i] != 0:
        total += xs[i]
        i += 1
    return total, i


add(sem_truthiness, [([], {}, set(), ()), ([0], {0: 0}, {0}, (0,)), ([1], {}, {1}, ()),
                     ([], {1: 1}, set(), (1,))], native=False)  # `xs or t`: a list or a tuple
add(sem_identity_ops, [(_ALIAS, _ALIAS), ([1], [1]), ((), ()), ({}, None), (None, None)])
add(sem_loop_var_after, each([], [1], [1, 2, 3], (4.5,), {7: 0}, HUGE))
add(sem_range_membership, each(0, 3, 9, 10, -1, 2.0, 2.5, True, 10**30, NAN))
add(sem_chained_containers, [([1], [2], [3]), ([1], [1], [1]), (1, [1, 2], [[1, 2]]), ((), [], {})])
add(sem_dict_aug, [({1: 1}, 1), ({1: 0.5}, 1), ({}, 1), ({1: [1]}, 1)])
add(sem_comp_nested_unpack, each([], [((1, 2), 3)], [([1, 2], 3), ((4, 5), 6)], [(1, 2)]))
add(sem_early_return_dict, [({}, 0), ({1: 5, 2: 10}, 7), ({1: 5}, 7), (BIG_DICT, 95), ({1: None}, 0)])
add(sem_enumerate_negative, INT_LISTS[:6])
add(sem_empty_results, each(0, 1, 2, 3), native=False)  # returns a list or a tuple
add(sem_list_of_tuples_sum, each([], [(1, 0.5)], [(2**62, 1), (2**62, 2)], [(1,)], [[1, 2], (3, 4)]))
add(sem_while_index, INT_LISTS + each([1, 2, 0, 3]))


# ---- key=lambda (inlined) ----

def lam_sorted_items(d):
    return sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))


def lam_sorted_rev(xs):
    return sorted(xs, key=lambda x: x % 3, reverse=True), sorted(xs, key=lambda x: -x)


def lam_minmax(pairs):
    return min(pairs, key=lambda p: p[1]), max(pairs, key=lambda p: p[1])


def lam_sort_inplace(xs):
    xs.sort(key=lambda x: abs(x))
    return xs


def lam_key_raises(xs):
    return sorted(xs, key=lambda x: 10 // x)


add(lam_sorted_items, each({}, {"a": 2, "b": 2, "c": 5}, {1: 1.5, 2: 0.5}))
add(lam_sorted_rev, each([], [1, 2, 3, 4, 5, 6], [3, 3, 3], HUGE[:1000]))
add(lam_minmax, each([], [(1, 2)], [(1, 2), (3, 1), (5, 1)]))
add(lam_sort_inplace, each([], [3, -1, 2, -3], [-2, 2, -2]))
add(lam_key_raises, each([], [1, 2], [1, 0, 2]))


# ---- None tests decided by the argument's type (a specialisation per None / not None) ----

def none_default_acc(n, acc):
    if acc is None:
        return n
    return n + acc


def none_default_cache(xs, cache):
    if cache is None:
        cache = {}
    for x in xs:
        cache[x] = x * 2
    return cache


def none_not_none(xs, limit):
    out = []
    for x in xs:
        if limit is not None and x > limit:
            break
        out.append(x)
    return out


add(none_default_acc, [(3, None), (3, 4), (2**62, 2**62), (1.5, None), (1.5, 2.5)])
add(none_default_cache, [([1, 2], None), ([1], {5: 10}), ([], None)])
add(none_not_none, [([1, 5, 2], None), ([1, 5, 2], 3), ([], 0)])


# zip(*rows): the transpose idiom
def zip_star_transpose(m):
    return [list(r) for r in zip(*m)]


def zip_star_sums(m):
    out = []
    for col in zip(*m):
        out.append(sum(col))
    return out, list(zip(*m))


add(zip_star_transpose, each([[1, 2, 3], [4, 5, 6]], [], [[1.5], [2.5]], [[1, 2], [3]], [[]]))
add(zip_star_sums, each([[1, 2], [3, 4], [5, 6]], [(1, 2), (3, 4)], [], [[7]]))
