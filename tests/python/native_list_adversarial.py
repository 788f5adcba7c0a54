"""Hand-written adversarial cases for native local lists (used by test_native_list_fuzz.py).

ARGS maps a function name to its argument tuples; functions with no entry are called with (3,)
or () by arity. BUGS names the cases that differ from CPython with the build this was written
against (see the docstring of each group)."""


# ---- from adv1.py ----
def cont_skip_kill(n):
    out = []
    xs = [1]
    for i in range(n):
        xs.append(i)
        if i % 2 == 0:
            out.append(xs)
            continue
        xs = [0]
    return out

def break_skip_kill(n):
    out = []
    xs = [1, 2]
    for i in range(n):
        if i == 1:
            out.append(xs)
            break
        xs = [i]
    xs.append(9)
    return out

def for_else_use(n):
    out = []
    xs = [1]
    for i in range(n):
        xs = [i]
        out.append(xs)
    else:
        xs.append(99)
    return out

def while_else_use(n):
    out = []
    xs = [1]
    i = 0
    while i < n:
        xs = [i]
        out.append(xs)
        i += 1
    else:
        xs.append(99)
    return out

def rebind_in_for(n):
    xs = [1, 2, 3]
    s = 0
    for x in xs:
        s = s * 10 + x
        xs = [n, n + 1, n + 2, n + 3]
    return s

def rebind_in_for2(n):
    xs = [1, 2, 3]
    t = []
    for x in xs:
        t.append(x)
        xs = [7] * n
    return t

def nan_identity(x):
    xs = [x, x]
    ys = xs[:]
    return ys.count(x), x in sorted(xs), list(xs).count(x)

def nan_identity_ret(x):
    xs = [x] * 3
    return xs

def nan_in_tuple(x):
    xs = [x]
    t = tuple(xs)
    return x in t

def lam_escape():
    xs = [1, 2, 3]
    return lambda: xs[0]

def lam_late(n):
    xs = [1, 2]
    g = lambda: xs[0]
    xs = [n, n]
    return g()

def lam_key(n):
    xs = [(i * 7) % 5 for i in range(n)]
    return sorted(range(n), key=lambda i: xs[i])

def pop_in_comp(n):
    xs = list(range(n)) if False else [i for i in range(n)]
    ys = [xs.pop() for _ in xs]
    return ys, len(xs)

def pop_in_for(n):
    xs = [i for i in range(n)]
    t = []
    for x in xs:
        t.append(xs.pop())
    return t, len(xs)

def append_in_for(n):
    xs = [1]
    for x in xs:
        if len(xs) < n:
            xs.append(x * 2)
    return len(xs), sum(xs)

def big_rep(n):
    xs = [0] * n
    return len(xs)

def big_rep2(n):
    xs = [0, 1] * n
    return len(xs)

def big_rep_f(n):
    xs = [0.5] * n
    return len(xs)

def overflow(a):
    xs = [a, a]
    xs[0] = xs[0] * a
    return xs

def overflow_print(a):
    print("start", a)
    xs = [a, a]
    xs.append(xs[0] + a)
    print("mid")
    return xs

def overflow_out(out, a):
    xs = [a]
    out.append(xs)
    ys = [a]
    ys[0] = ys[0] * a
    return ys

def tuple_target_order(i):
    xs = [0, 0, 0]
    i, xs[i] = 1, 5
    return xs

def tuple_target_order2(i):
    xs = [0, 0, 0]
    xs[i], i = 5, 2
    xs[i] = 7
    return xs

def neg_zero():
    xs = [0.0, -0.0]
    xs[0] = -0.0
    return xs, max(xs), min(xs), sorted(xs), str(xs)

def bools(a, b):
    xs = [a, b, True]
    xs.append(a and b)
    xs[0] = not a
    return xs, sum(xs), max(xs), xs.pop(), sorted(xs), str(xs), [x for x in xs]

def idx_err(i):
    xs = [1, 2, 3]
    return xs[i]

def idx_err_store(i):
    xs = [1, 2, 3]
    xs[i] = 9
    return xs

def pop_empty():
    xs = []
    xs.append(1)
    xs.pop()
    return xs.pop()

def index_msg(v):
    xs = [1, 2, 3]
    return xs.index(v)

def nested_else_kill(n):
    out = []
    xs = [0]
    for i in range(n):
        for j in range(2):
            xs = [i, j]
            out.append(xs)
        else:
            xs.append(-1)
    return out

def handover_walrus(n):
    out = []
    xs = [n]
    out.append(xs)
    xs = [1]
    return out, xs

def while_test_use(n):
    out = []
    xs = [1]
    k = 0
    while k < n:
        k += 1
        if k == 2:
            out.append(xs)
            break
        xs = [k]
    else:
        return out, 0
    xs.append(5)
    return out

def recur(n):
    xs = [n] * 2
    if n > 0:
        xs.append(recur(n - 1)[0])
    return xs

def deep_for_break(n):
    out = []
    xs = [9]
    while True:
        for i in range(n):
            if i == 2:
                out.append(xs)
                break
            xs = [i]
        xs.append(100)
        break
    return out


ARGS_adv1 = {
 'cont_skip_kill': [(3,), (4,)], 'break_skip_kill': [(3,)], 'for_else_use': [(2,)], 'while_else_use': [(2,)],
 'rebind_in_for': [(5,)], 'rebind_in_for2': [(5,)], 'nan_identity': [(float('nan'),), (1.5,)], 'nan_identity_ret': [(float('nan'),)],
 'nan_in_tuple': [(float('nan'),)], 'lam_key': [(6,)], 'pop_in_comp': [(5,)], 'pop_in_for': [(5,)], 'append_in_for': [(10,)],
 'big_rep': [(2**62,), (2**60,), (-3,), (2**63,)], 'big_rep2': [(2**62,), (2**61,)], 'big_rep_f': [(2**61,)],
 'overflow': [(3,), (2**40,), (2**62,)], 'overflow_print': [(2**62,)], 'overflow_out': [([], 2**40,)],
 'tuple_target_order': [(0,)], 'tuple_target_order2': [(0,)], 'bools': [(True, False), (False, False)],
 'idx_err': [(3,), (-4,), (-1,), (2**40,)], 'idx_err_store': [(3,), (-4,), (-3,)], 'index_msg': [(5,), (2,)],
 'nested_else_kill': [(2,)], 'handover_walrus': [(2,)], 'while_test_use': [(3,), (1,)], 'recur': [(3,)], 'deep_for_break': [(4,)],
}

# ---- from adv2.py ----
def nan_identity_boxed(x):
    xs = [x, x]
    xs.reverse()
    ys = xs[:]
    return ys.count(x), x in sorted(xs), list(xs).count(x)

def nan_copy(x):
    xs = [x]
    ys = xs.copy()
    return ys.count(x)

def nan_handover(x):
    xs = [x]
    ys = xs
    return x in ys

def print_pop():
    xs = [1, 2, 3]
    print(xs, xs.pop())
    return len(xs)

def sum_start_pop():
    xs = [1, 2, 3]
    return sum(xs, xs.pop())

def eq_pop():
    xs = [1, 2, 2]
    return xs == [1, xs.pop()]

def add_pop():
    xs = [1, 2, 3]
    return xs + [xs.pop()]

def max_key_pop():
    xs = [1, 2, 3, 4]
    m = max(xs, key=lambda v: xs.pop())
    return m, len(xs)

def sorted_append_arg():
    xs = [3, 1, 2]
    print(xs, xs.append(0), xs)
    return xs[0]

def in_append():
    xs = [1, 2]
    return 3 in xs, xs.append(3) is None, 3 in xs

def cmp_chain_pop():
    xs = [1, 2]
    ys = [1, 2, 3]
    return xs < ys, xs == ys[:2], ys == [1, 2, ys.pop()]

def bool_print_pop():
    xs = [True, False]
    print(xs, xs.pop(), xs)
    return 0

def mul_pop():
    xs = [1, 2, 3]
    return xs * xs.pop()

def repr_pop():
    xs = [1.5, 2.5]
    print(sorted(xs), xs.pop(), xs)
    return 1

def any_pop():
    xs = [0, 0, 1]
    return any(xs), all(xs), xs.pop()


ARGS_adv2 = {'nan_identity_boxed': [(float('nan'),)], 'nan_copy': [(float('nan'),)], 'nan_handover': [(float('nan'),)]}

# ---- from adv4.py ----
def fz12(n):
    out = []
    d = {}
    xs = [n] * 2
    d[0] = xs
    print(xs, xs.pop() if xs else None)
    return 1

def fz12b(n):
    d = {}
    xs = [n] * 2
    d[0] = xs
    return d

def fz12c(n):
    xs = [n] * 2
    ys = [n]
    print(xs)
    return ys, n

def twice_handover(n):
    out = []
    xs = [n]
    out.append(xs); out.append(xs)
    return out

def tuple_twice(n):
    xs = [n]
    return xs, xs

def handover_then_len_same_stmt(n):
    xs = [n, 1]
    return xs, len(xs), xs[0]

def dict_key_pop(n):
    d = {}
    xs = [n, 2, 3]
    d[xs.pop()] = xs
    return d

def assign_tuple_handover(n):
    xs = [n, 2]
    a, b = xs
    return a, b

def unpack_err(n):
    xs = [n, 2, 3]
    a, b = xs
    return a

def cond_expr_handover(n):
    xs = [n]
    ys = [n + 1]
    zs = xs if n > 1 else ys
    return zs

def or_handover(n):
    xs = [n] * n
    ys = [7]
    zs = xs or ys
    return zs

def comp_ref(n):
    xs = [i for i in range(n)]
    return [[xs[j] + len(xs) for j in range(len(xs))] for _ in xs]

def nested_comp_iter(n):
    xs = [i * 2 for i in range(n)]
    return [a + b for a in xs for b in xs if a < b]

def comp_append(n):
    xs = [1, 2]
    ys = [xs.append(x) is None for x in xs if len(xs) < n]
    return ys, len(xs)

def minmax_key(n):
    xs = [(i * 3) % 7 for i in range(n)]
    return min(range(n), key=lambda i: xs[i]), max(range(n), key=lambda i: -xs[i])

def key_mutates(n):
    xs = [3, 1, 2]
    r = sorted(range(3), key=lambda i: xs[i] + len(xs))
    return r

def sorted_key_pop(n):
    xs = [3, 1, 2, 5]
    r = sorted(xs, key=lambda v: xs.pop() if xs else 0)
    return r, len(xs)

def while_else_kill(n):
    out = []
    xs = [0]
    k = 0
    while k < n:
        k += 1
        xs = [k]
        out.append(xs)
    else:
        xs = [99]
    xs.append(1)
    return out, xs

def if_else_both(n):
    out = []
    xs = [n]
    if n > 1:
        out.append(xs)
    else:
        xs.append(5)
    xs = [0]
    return out, xs

def nested_loops_kill(n):
    out = []
    xs = [0]
    for i in range(n):
        xs = [i]
        for j in range(2):
            out.append(xs)
            xs = [j + 10]
        xs.append(-1)
    return out

def nested_loops_kill2(n):
    out = []
    xs = [0]
    for i in range(n):
        for j in range(2):
            xs.append(j)
            out.append(xs)
            xs = [j + 10]
    return out

def nested_break_inner(n):
    out = []
    xs = [0]
    for i in range(n):
        for j in range(3):
            xs = [i, j]
            if j == 1:
                out.append(xs)
                break
        xs.append(100)
    return out

def while_cont(n):
    out = []
    xs = [1]
    k = 0
    while k < n:
        k += 1
        xs.append(k)
        if k % 2:
            out.append(xs)
            continue
        xs = [0]
    return out

def ret_in_loop(n):
    xs = [0]
    for i in range(n):
        xs.append(i)
        if i == 2:
            return xs
    return [len(xs)]

def bool_int_mix(n):
    xs = [True, False]
    ys = [1, 0]
    return xs == ys, 1 in xs, xs.index(0), xs.count(1), sum(xs), sorted(xs + [True])

def bool_store_int(n):
    xs = [True, False]
    xs[0] = n > 2
    xs.append(n == 3)
    return xs, type(xs[0]), [type(x) for x in xs]

def int_elem_types(n):
    xs = [n, 2]
    xs.append(len(xs))
    return [type(x) for x in xs], xs.pop(), max(xs)

def float_negzero(n):
    xs = [0.0] * n
    xs[0] = -xs[0]
    ys = [-0.0, 0.0]
    return xs, max(ys), min(ys), sorted(ys), sum(ys), ys.pop(), xs[-1]

def float_nan_ops(n):
    xs = [float('nan'), 1.0, float('inf')]
    print(xs)
    return max(xs), min(xs), sorted(xs), sum(xs), xs[0] != xs[0], [v for v in xs if v == v]

def big_ints(n):
    xs = [2**62, -2**63, 2**63 - 1]
    xs.append(xs[0] + xs[0] - 1 - n)
    return xs, sum(xs)

def big_ints_sum(n):
    xs = [2**62] * n
    return sum(xs)

def neg_index_loop(n):
    xs = [i for i in range(n)]
    s = 0
    for i in range(-n - 1, n + 1):
        if -len(xs) <= i < len(xs):
            s = s + xs[i] * (i + 100)
    return s

def pop_until(n):
    xs = [i for i in range(n)]
    s = 0
    while xs:
        s = s * 3 + xs.pop()
    return s, xs

def for_nested_same(n):
    xs = [1, 2, 3][:n] if False else [1, 2, 3]
    s = 0
    for a in xs:
        for b in xs:
            if len(xs) < 6:
                xs.append(a + b)
            s = s + b
    return s, xs

def rep_zero_len(n):
    xs = [] * n
    ys = [1, 2] * -n
    return xs, ys, len(xs + ys)

def rep_bool_count(n):
    xs = [0] * (n > 0)
    return xs

def swap_idx(n):
    xs = [1, 2, 3, 4]
    xs[0], xs[n] = xs[n], xs[0]
    return xs

def swap_oob(n):
    xs = [1, 2, 3, 4]
    xs[0], xs[n] = xs[n - 5], xs[0]
    return xs


ARGS_adv4 = {'swap_idx': [(3,), (-1,), (4,), (-5,)], 'swap_oob': [(3,), (9,), (4,)], 'unpack_err': [(1,)], 'rep_bool_count': [(0,), (2,)],
        'big_ints': [(0,), (5,)], 'big_ints_sum': [(1,), (2,), (3,)], 'float_negzero': [(1,), (3,)], 'ret_in_loop': [(2,), (5,)],
        'while_cont': [(4,)], 'nested_break_inner': [(2,)], 'nested_loops_kill': [(2,)], 'nested_loops_kill2': [(2,)],
        'if_else_both': [(0,), (2,)], 'while_else_kill': [(2,)], 'comp_append': [(5,)], 'or_handover': [(0,), (2,)], 'cond_expr_handover': [(1,), (2,)]}


def alias_empty():
    xs = []
    zs = xs
    zs.append(False)
    return (min(xs) if xs else False)


# ---- a hand-over, then the handed object changed and the list read again in one statement ----
def ho_then_len():
    d = {}
    xs = [1, 2]
    return d.setdefault(0, xs).append(7), len(xs), xs[-1]

def ho_then_len2():
    out = []
    xs = [1, 2]
    return out.append(xs), out[0].append(9), len(xs), out

def ho_then_print():
    out = []
    xs = [1, 2]
    print(out.append(xs), out[0].pop(), xs)
    return out

def ho_then_iter():
    out = []
    xs = [1, 2]
    return out.append(xs), out[0].append(3), [x for x in xs]

def ho_then_truth():
    out = []
    xs = [1]
    return out.append(xs), out[0].pop(), 1 if xs else 0


ARGS = {}
for _d in (ARGS_adv1, ARGS_adv2, ARGS_adv4):
    ARGS.update(_d)
# Designed limitations (OverflowError/TypeError "cannot be rerun exactly"), not feature bugs:
LIMITS = {'overflow_print', 'overflow_out', 'lam_escape'}
