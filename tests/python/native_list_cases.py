"""Native storage cases: functions whose local lists of ints, floats or bools, and dicts and sets
keyed by ints, bools or tuples of them, never escape (they live in a native buffer or hash table,
docs/objects.md), and near misses that must stay CPython lists because
something else can see them. Each Case names the variables that must be native buffers and those
that must stay CPython objects; test_native_lists.py checks the report's representation of each,
then compares every call with CPython (value, types, exception and message, printed text,
arguments after the call, aliasing)."""
import pyvorin

NAN = float("nan")
INF = float("inf")


class Case:
    __slots__ = ("fn", "argsets", "native", "boxed", "name")

    def __init__(self, fn, argsets, native=(), boxed=()):
        self.fn = fn
        self.argsets = argsets
        self.native = set(native)
        self.boxed = set(boxed)
        self.name = fn.__name__

    def __repr__(self):
        return "Case(%s)" % self.name


CASES = []


def add(fn, argsets, native=(), boxed=()):
    CASES.append(Case(getattr(fn, "py_func", fn), [a if isinstance(a, tuple) else (a,) for a in argsets], native, boxed))


# ---------------------------------------------------------------------------------------------
# Native: built here, used here, at most handed over once at the end
# ---------------------------------------------------------------------------------------------
def sieve_count(n):
    flags = [True] * (n + 1)
    flags[0] = False
    if n >= 1:
        flags[1] = False
    i = 2
    while i * i <= n:
        if flags[i]:
            for j in range(i * i, n + 1, i):
                flags[j] = False
        i += 1
    count = 0
    for f in flags:
        if f:
            count += 1
    return count


add(sieve_count, [0, 1, 2, 3, 10, 100, 1000, 10007], native={"flags"})


def primes_upto(n):
    flags = [True] * (n + 1)
    primes = []
    for i in range(2, n + 1):
        if flags[i]:
            primes.append(i)
            for j in range(i * i, n + 1, i):
                flags[j] = False
    return primes


add(primes_upto, [0, 1, 2, 30, 1000], native={"flags", "primes"})


def squares(n):
    out = []
    for i in range(n):
        if i % 3 != 0:
            out.append(i * i)
    return out


add(squares, [0, 1, 2, 10, 5000, -4], native={"out"})


def powers_of_three(n):
    ps = []
    p = 1
    for i in range(n):
        p *= 3
        ps.append(p)
    return ps[-1], len(ps)


# n = 50 overflows int64 after 39 appends: nothing observable happened, the call reruns in CPython
add(powers_of_three, [1, 10, 39, 40, 50, 0], native={"ps"})


def item_at(n, i):
    xs = [k * 2 for k in range(n)]
    return xs[i]


add(item_at, [(5, 0), (5, 4), (5, -1), (5, -5), (5, 5), (5, -6), (0, 0), (3, 2**40)], native={"xs"})


def store_at(n, i, v):
    xs = [0] * n
    xs[i] = v
    xs[-1] += 1
    return xs


add(store_at, [(4, 0, 7), (4, -4, 7), (4, 3, -9), (4, 4, 1), (4, -5, 1), (0, 0, 1), (1, 0, 2**62)],
    native={"xs"})


def pop_sum(n):
    stack = [1, 2, 3]
    total = 0
    while stack:
        total += stack.pop()
        if total > 4 and n > 0:
            stack.append(n)
            n -= 1
    return total, stack.pop()


add(pop_sum, [0, 1, 5], native={"stack"})


def running_means(values):
    out = [0.0] * len(values)
    total = 0.0
    for i in range(len(values)):
        total += values[i]
        out[i] = total / (i + 1)
    return out


add(running_means, [[], [1.0], [0.5, -1.25, 3.0], [INF, -INF, 1.0], [NAN, 1.0], [-0.0, -0.0], [1e308, 1e308]],
    native={"out"})


def every_third(n):
    marks = [False] * n
    for i in range(0, n, 3):
        marks[i] = i % 2 == 0
    return marks


add(every_third, [0, 1, 7, 20], native={"marks"})


def reverse_in_place(n):
    xs = [i * i - 5 for i in range(n)]
    i = 0
    j = len(xs) - 1
    while i < j:
        xs[i], xs[j] = xs[j], xs[i]
        i += 1
        j -= 1
    return xs


add(reverse_in_place, [0, 1, 2, 7, 100], native={"xs"})


def bubble_sorted(data):
    xs = [v for v in data]
    n = len(xs)
    for i in range(n):
        for j in range(n - 1 - i):
            if xs[j] > xs[j + 1]:
                xs[j], xs[j + 1] = xs[j + 1], xs[j]
    return xs


add(bubble_sorted, [[], [3], [3, 1, 2], [5, -1, 5, 0, 2**62, -2**62], list(range(50, 0, -1))], native={"xs"})


def matmul_rows(a, b):
    n = len(a)
    m = len(b[0])
    c = []
    for i in range(n):
        row = [0.0] * m
        for k in range(len(b)):
            aik = a[i][k]
            for j in range(m):
                row[j] += aik * b[k][j]
        c.append(row)
    return c


add(matmul_rows, [([[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]]), ([[1.5]], [[-2.0]]),
                  ([[1.0, 0.0, 2.0]], [[1.0], [2.0], [3.0]])], native={"row"}, boxed={"c"})


def reads_through_cpython(n):
    xs = [(i * 7) % 5 for i in range(n)]
    print(xs, len(xs))
    s = sum(xs)
    top = max(xs) if xs else -1
    ordered = sorted(xs)
    middle = xs[1:-1]
    has_three = 3 in xs
    same = xs == ordered
    return s, top, ordered, middle, has_three, same, xs.count(2), list(xs), tuple(xs)


add(reads_through_cpython, [0, 1, 2, 9], native={"xs"})


def index_of(n, v):
    xs = [i * 3 for i in range(n)]
    return xs.index(v)


add(index_of, [(5, 6), (5, 7), (0, 0)], native={"xs"})


def grow_while_iterating(n):
    xs = [1, 2, 3]
    seen = 0
    for x in xs:
        seen += x
        if x < n:
            xs.append(x + 5)
    return seen, len(xs)


add(grow_while_iterating, [0, 3, 20], native={"xs"})


def comprehension_over_native(n):
    xs = [i - 3 for i in range(n)]
    doubled = [x * 2 for x in xs if x != 0]
    return doubled, sum(x * x for x in xs), any(x > 5 for x in xs)


add(comprehension_over_native, [0, 1, 6, 12], native={"xs", "doubled"})


def bfs_local(n):
    # a ring with chords, as adjacency lists in one flat list
    dist = [-1] * n
    if n == 0:
        return dist
    dist[0] = 0
    queue = [0]
    head = 0
    while head < len(queue):
        node = queue[head]
        head += 1
        for nb in ((node + 1) % n, (node * 3) % n):
            if dist[nb] < 0:
                dist[nb] = dist[node] + 1
                queue.append(nb)
    return dist


add(bfs_local, [0, 1, 2, 10, 97], native={"dist", "queue"})


def repeat_pattern(n):
    xs = [1, 2] * n
    ys = n * [0.5]
    return xs, ys, len(xs) + len(ys)


add(repeat_pattern, [0, 1, 3, -2], native={"xs", "ys"})


def early_return(n):
    out = []
    if n <= 0:
        return out
    for i in range(n):
        out.append(i)
    return out


add(early_return, [-1, 0, 1, 4], native={"out"})


def not_empty(n):
    xs = []
    for i in range(n):
        xs.append(i)
    if not xs:
        return -1
    return xs[-1] if xs else -2


add(not_empty, [0, 1, 5], native={"xs"})


def order_by_values(n):
    vals = [(i * 37) % 11 for i in range(n)]
    order = sorted(range(n), key=lambda i: vals[i])
    return order


add(order_by_values, [0, 1, 12], native={"vals"})


def rows_into_dict(n):
    table = {}
    for i in range(n):
        row = [i] * 3
        row[1] = -i
        table[i] = row
    return table


add(rows_into_dict, [0, 1, 4], native={"row"}, boxed={"table"})


def returned_with_length(n):
    xs = [i % 4 == 0 for i in range(n)]
    return xs, len(xs)


add(returned_with_length, [0, 1, 9], native={"xs"})


def pop_from_empty(n):
    xs = [n]
    xs.pop()
    return xs.pop()


add(pop_from_empty, [0, 5], native={"xs"})


def rebinding_frees(n):
    total = 0
    for k in range(n):
        buf = [k] * (k + 1)
        total += len(buf) + buf[-1]
    return total


add(rebinding_frees, [0, 1, 100], native={"buf"})


# ---------------------------------------------------------------------------------------------
# Near misses: another name, object or later statement can see the list, so it stays a CPython
# list (and the result must still be CPython's, aliasing included)
# ---------------------------------------------------------------------------------------------
def alias_then_append(n):
    xs = [0] * n
    ys = xs
    ys.append(1)
    return xs


add(alias_then_append, [0, 2], boxed={"xs", "ys"})


def handed_over_then_changed(n):
    row = [0] * n
    out = []
    out.append(row)
    row.append(9)
    return out


add(handed_over_then_changed, [0, 2], boxed={"row", "out"})


def repeated_row(n):
    row = [0] * n
    grid = [row] * 3
    if n:
        row[0] = 5
    return grid


add(repeated_row, [0, 2], boxed={"row"})


def nan_membership(x):
    xs = [x, 1.0]
    return x in xs, xs.count(x)


add(nan_membership, [NAN, 1.0, 2.0], boxed={"xs"})


@pyvorin.jit
def fill_with(xs, v):
    xs.append(v)
    return len(xs)


def helper_mutates(n):
    xs = [1] * n
    k = fill_with(xs, 7)
    return xs, k


add(helper_mutates, [0, 2], boxed={"xs"})


def extended(n):
    xs = [1, 2]
    xs.extend([n, n])
    return xs


add(extended, [0, 3], boxed={"xs"})


def deleted_item(n):
    xs = [1, 2, 3, n]
    del xs[0]
    return xs


add(deleted_item, [0, 3], boxed={"xs"})


def kept_across_iterations(n):
    out = []
    row = []
    for i in range(n):
        row.append(i)
        out.append(row)
    return out


add(kept_across_iterations, [0, 1, 3], boxed={"row", "out"})


# ---------------------------------------------------------------------------------------------
# Native dicts and sets: keys are ints, bools or tuples of them (dict values int, float or bool)
# ---------------------------------------------------------------------------------------------
def distinct_pairs(n, k):
    seen = set()
    for i in range(n):
        seen.add((i % k, (i // k) % k))
    return len(seen)


add(distinct_pairs, [(0, 1), (10, 3), (1000, 7), (5000, 40)], native={"seen"})


def histogram(values, nbins):
    counts = {}
    for v in values:
        b = v % nbins
        counts[b] = counts.get(b, 0) + 1
    return counts


add(histogram, [([], 3), ([5, 1, 5, 9, -4, 2**62], 4), (list(range(100, 0, -3)), 7), ([1, 2, 3], 0)],
    native={"counts"})


def lookup_missing(n, k):
    squares = {}
    for i in range(n):
        squares[i] = i * i
    return squares[k]


add(lookup_missing, [(5, 3), (5, 5), (0, -1), (3, 2**62)], native={"squares"})


def pair_lookup(n, a, b):
    table = {}
    for i in range(n):
        table[(i, -i)] = i % 2 == 0
    return table[(a, b)], (a, b) in table, len(table)


add(pair_lookup, [(4, 2, -2), (4, 2, 2), (0, 0, 0)], native={"table"})


def remove_missing(n, k):
    s = {1, 2, 3}
    for i in range(n):
        s.add(i * 10)
    s.discard(20)
    s.remove(k)
    return len(s), k in s, 20 in s


add(remove_missing, [(3, 10), (3, 2), (3, 20), (0, 5)], native={"s"})


def delete_and_reinsert(n):
    d = {}
    for i in range(n):
        d[i % 5] = i
    if 1 in d:
        del d[1]
    d[1] = -1
    if n % 5 in d:
        del d[n % 5]
    del d[n % 3]
    return d


add(delete_and_reinsert, [0, 3, 7, 12], native={"d"})


def bool_keys(n):
    d = {}
    d[n > 3] = 1
    d[n > 5] = 2
    d[True] = d.get(True, 0) + 10
    return d


add(bool_keys, [0, 4, 9], native={"d"})


def float_values(n):
    d = {}
    for i in range(n):
        d[i] = i * -0.5
    d[n] = d.get(n, 0.0) * 2.0
    if n == 4:  # a NaN value: handing the dict over reruns the call in CPython (identity)
        d[-1] = 1e308 * 10.0 - 1e308 * 10.0
    return d


add(float_values, [0, 1, 4, 3], native={"d"})


def nan_identity(x):
    xs = [x, 1.0]
    ys = xs.copy()
    return ys.count(x), x in xs[:], xs


# x is NaN: CPython finds x by identity in the copies; the native list cannot keep that identity,
# so the call reruns in CPython
add(nan_identity, [1.5, NAN, INF], native={"xs"})


def flag_values(n):
    seen = {}
    for i in range(n):
        seen[i % 4] = i % 3 == 0
    return seen, len(seen)


add(flag_values, [0, 2, 9], native={"seen"})


def set_in_insertion_order(xs):
    s = set()
    for x in xs:
        s.add(x % 37 - 10)
    return s


add(set_in_insertion_order, [[], [1], list(range(100)), [2**40, -2**40, 7, 7, 1 << 33]], native={"s"})


def set_with_removal_returned(xs):
    s = set()
    for x in xs:
        s.add(x % 37)
    s.discard(3)
    return s


add(set_with_removal_returned, [[], list(range(60))], boxed={"s"})


def report_counts(xs):
    counts = {}
    for x in xs:
        counts[x % 3] = counts.get(x % 3, 0) + x
    print(counts, len(counts))
    total = 0
    for k in counts:
        total += k
    return sorted(counts.items()), total


add(report_counts, [[], [4, 5, 6, -7]], native={"counts"})


def items_loop(xs):
    counts = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    best = -1
    best_n = 0
    for k, v in counts.items():
        if v > best_n:
            best, best_n = k, v
    return best, best_n


add(items_loop, [[], [3, 1, 3, 2, 1, 3]], native={"counts"})


def loop_reads_dict(xs):
    counts = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    total = 0
    for k in counts:
        total += counts[k] * k
    return total


add(loop_reads_dict, [[], [3, 1, 3]], native={"counts"})


def loop_grows_dict(xs):
    counts = {}
    for x in xs:
        counts[x] = counts.get(x, 0) + 1
    for k in counts:
        if counts[k] > 1:
            counts[k + 100] = 1  # RuntimeError: dictionary changed size during iteration
    return counts


add(loop_grows_dict, [[], [1, 2], [3, 1, 3]], boxed={"counts"})


def best_by_items(xs):
    counts = {}
    for x in xs:
        counts[x % 10] = counts.get(x % 10, 0) + 1
    best = -1
    for k, n in counts.items():
        if n > counts.get(best, 0) or (n == counts.get(best, 0) and k < best):
            best = k
    return best


add(best_by_items, [[], [3, 13, 5, 5, 23]], native={"counts"})


def doubled_values(xs):
    d = {}
    for x in xs:
        d[x] = x * 2
    return {k: d[k] + 1 for k in d}, sum(d[k] for k in d if k in d)


add(doubled_values, [[], [1, 2, 2, -3]], native={"d"})


def increment_missing(n, k):
    d = {0: 0, 1: 10}
    for i in range(n):
        d[i] = i
    d[k] += 5
    return d


add(increment_missing, [(0, 1), (3, 2), (3, 9)], native={"d"})


def displays(n):
    s = {(1, 2), (n, n), (1, 2)}
    d = {1: n, 2: n * 2, 1: -n}
    return len(s), (n, n) in s, d, d[1]


add(displays, [0, 1, 5], native={"s", "d"})


def tuple_key_variable(n):
    seen = set()
    for i in range(n):
        p = (i % 3, i % 2 == 0)
        seen.add(p)
    return len(seen), (1, True) in seen


add(tuple_key_variable, [0, 1, 12], native={"seen"})


def overflow_in_value(n):
    d = {}
    p = 1
    for i in range(n):
        p *= 7
        d[i] = p
    return d[n - 1], len(d)


add(overflow_in_value, [1, 20, 23, 30], native={"d"})


def dict_truth_and_len(n):
    d = {}
    if not d:
        d[n] = 1
    s = set()
    while len(s) < n:
        s.add(len(s) * 3)
    return len(d), bool(d), len(s), 3 in s


add(dict_truth_and_len, [0, 1, 4], native={"d", "s"})


def dict_alias(n):
    d = {}
    e = d
    e[n] = 1
    return d


add(dict_alias, [0, 3], boxed={"d", "e"})


def enumerate_and_zip(n):
    xs = [i * 3 % 7 for i in range(n)]
    ys = [i % 2 == 0 for i in range(n)]
    total = 0
    for i, x in enumerate(xs):
        if ys[i] and x > xs[0]:
            total += x * i
    for x, y in zip(xs, reversed(ys)):
        if y:
            total -= x
    return total, xs


add(enumerate_and_zip, [0, 1, 9], native={"xs", "ys"})


def enumerate_then_store(n):
    xs = [i for i in range(n)]
    for i, x in enumerate(xs):
        if i + 1 < len(xs):
            xs[i + 1] = x * 2  # CPython's enumerate sees the new value next: stays a CPython list
    return xs


add(enumerate_then_store, [0, 1, 6], boxed={"xs"})


def median_and_top(xs, rev):
    ys = [x * 2 for x in xs]
    ys.sort()
    top = [x for x in xs]
    top.sort(reverse=rev)
    flags = [x > 0 for x in xs]
    flags.sort()
    flags.reverse()
    return (ys[len(ys) // 2] if ys else None), top[:3], flags


add(median_and_top, [([], True), ([3], False), ([5, -1, 5, 0, 2**60, -7], True), (list(range(40, 0, -3)), 1)],
    native={"ys", "top", "flags"})


def sort_floats(xs):
    ys = [x + 0.0 for x in xs]
    ys.sort()
    zs = [-x for x in xs]
    zs.sort(reverse=True)
    zs.reverse()
    return ys, zs


# -0.0 and 0.0 keep their order (stable); a NaN reruns the call in CPython
add(sort_floats, [[], [0.0, -0.0, 1.5, -2.5], [0.5, NAN, -1.0], [INF, -INF, 0.0]], native={"ys", "zs"})
