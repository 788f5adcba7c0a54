"""Hand-written adversarial cases for native dicts and sets (run by test_native_table_fuzz.py)."""

# cases that hit the documented "cannot be rerun exactly in CPython" limit
LIMITS = {"overflow_after_print"}
ARGS = {"dict_nan_identity": [(float("nan"),), (0.5,)]}

def set_display_const():
    s = {1, 17, 2, 3, 4}
    s.add(5)
    return s

def set_display_const2():
    s = {1, 17, 2, 3, 4}
    return s

def set_display_print():
    s = {1, 17, 2, 3, 4, 33, 49}
    print(s)
    return len(s)

def set_loop_order():
    s = {8, 16, 0, 24, 32}
    out = []
    for k in s:
        out.append(k)
    return out

def set_display_vars(n):
    s = {n, n + 16, n + 1, n + 2, n + 3}
    return s

def dict_display(n):
    d = {1: 1, 17: 2, 2: 3}
    d[n] = 5
    return d

def runtime_error_size_change(n):
    d = {1: 1, 2: 2}
    for k in d:
        d[k + 10] = n
    return d

def set_size_change(n):
    s = {n, n + 1}
    for k in s:
        s.add(k + 100)
    return len(s)

def dict_reinsert(n):
    d = {1: 1.0, 2: 2.0, 3: 3.0}
    del d[1]
    d[1] = -0.0
    d[2] = float('nan')
    return d

def tuple_keyerror(n):
    d = {(1, True): 1}
    return d[(n, False)]

def tuple_keyerror_var(n):
    d = {(1, True): 1}
    k = (n, n > 5)
    del d[k]
    return d

def set_remove_keyerror(n):
    s = {(n, 1)}
    s.remove((n, 2))
    return len(s)

def bool_keyerror(n):
    d = {True: 1.5}
    return d[n > 3]

def huge(n):
    d = {}
    for i in range(100000):
        d[i * 7919 % 100003] = i
    for i in range(0, 100000, 3):
        del d[i * 7919 % 100003]
    total = 0
    for k in d:
        total += k
    return len(d), total, list(d)[:5], list(d)[-5:]

def huge_set(n):
    s = set()
    for i in range(100000):
        s.add((i % 317, i // 317))
    return s

def overflow_value(n):
    d = {1: 9223372036854775807}
    d[1] += n
    return d

def overflow_after_print(n):
    d = {1: 9223372036854775807}
    print(len(d))
    d[1] += n
    return d

def same_stmt(n):
    d = {1: 1}
    out = []
    out.append(d); d = {2: len(out)}
    return out, d

def set_eq(n):
    s = {n, 2, 3}
    t = set()
    t.add(3); t.add(2); t.add(n)
    return s == t, s, t, s | t, s & t, s - {2}

def keys_bool_vs_int(n):
    d = {}
    d[1] = 5
    d[True] = 6
    s = set()
    s.add(True)
    s.add(1)
    return d, s

def neg_keys(n):
    d = {}
    for k in (-1, -2, -9223372036854775807 - 1, 9223372036854775807, 0):
        d[k] = k == -1
    s = set()
    for k in (-1, -2, -9223372036854775807 - 1, 9223372036854775807, 0):
        s.add(k)
    return d, s

def aug_missing_order(n):
    d = {5: 1}
    d[n] += 1 // (n - 3)
    return d

def get_default_order(n):
    d = {1: 2}
    return d.get(n, 10 // n)

def items_return(n):
    d = {3: True, 1: False}
    d[2] = n > 0
    return d.items()

def keys_return(n):
    d = {3: 1, 1: 2}
    return list(d.keys()), n

def loop_break_handover(n):
    out = []
    d = {}
    for i in range(n):
        d[i] = i
        if i == 2:
            out.append(d)
            break
        d = {i: -i}
    return out, d

def while_truth(n):
    d = {i: i for i in range(3)}
    s = set()
    s.add(n)
    while s:
        s.discard(n)
    return len(s), d

def set_shrink_then_len(n):
    s = {1, n, 3}
    s.discard(n)
    return len(s), 1 in s

def set_copy_materialise(n):
    s = set()
    for i in range(n):
        s.add(i * 8)
    return set(s), sorted(s), list(s)

def set_display_many(n):
    s = {n, n + 8, n + 16, n + 24, n + 32, n + 40}
    return s

def dict_nan_identity(x):
    d = {}
    d[1] = x
    d[2] = x
    v = list(d.values())
    return v.count(x), x in d.values()

def dict_get_nan(x):
    d = {1: x}
    return [d[1]].count(x)

def keyerror_big(n):
    d = {1: 1}
    return d[9223372036854775807 - n]

def leak_one(n):
    d = {}
    s = set()
    for i in range(1000):
        d[(i, n)] = i
        s.add(i)
    return d[(-1, n)]
