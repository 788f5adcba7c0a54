"""Native storage for local lists, dicts and sets (docs/objects.md): every case of
native_list_cases.py is compiled, its report must show each listed variable as a native buffer or
hash table (or, for the near misses, as a CPython object), and every call must agree with CPython on value, types, exception and
message, printed text, the arguments after the call and aliasing. A leak test calls functions
whose native storage is freed on every exit (return, IndexError, KeyError, a rerun after an int
overflow)."""
import gc
import tracemalloc

import pytest

import pyvorin
from container_testutil import call_both, outcome_diff, short, why_not_native
from native_list_cases import CASES


def representations(jf):
    return {v["name"]: v["representation"] for v in jf.report.get("variables") or []}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_native_list_case(case, capsys):
    jf = pyvorin.jit(case.fn)
    failures = []
    for args in case.argsets:
        expected, got, expected_out, got_out, exp_args, got_args = call_both(case.fn, jf, args, capsys)
        where = "%s(%s)" % (case.name, ", ".join(short(a) for a in args))
        d = outcome_diff(expected, got, exp_args, got_args)
        if d:
            failures.append("%s: %s" % (where, d))
        if expected_out != got_out:
            failures.append("%s: printed %r, CPython printed %r" % (where, got_out[:300], expected_out[:300]))
    assert not failures, "\n".join(failures)
    assert jf.stats["native_calls"] > 0, why_not_native(jf)
    reps = representations(jf)
    for name in case.native:
        assert reps.get(name, "").startswith(("native buffer", "native hash table")), (name, reps)
    for name in case.boxed:
        assert reps.get(name, "").startswith("CPython object"), (name, reps)


def test_cases_cover_both_sides():
    assert sum(1 for c in CASES if c.native) >= 20
    assert sum(1 for c in CASES if c.boxed and not c.native) >= 8


def test_element_kinds_in_report():
    by_name = {c.name: c for c in CASES}
    kinds = {}
    for name in ("sieve_count", "squares", "running_means"):
        jf = pyvorin.jit(by_name[name].fn)
        jf(*by_name[name].argsets[-1])
        kinds[name] = representations(jf)
    assert kinds["sieve_count"]["flags"] == "native buffer of i8 (bool), private to the call"
    assert kinds["squares"]["out"] == "native buffer of i64, private to the call"
    assert kinds["running_means"]["out"] == "native buffer of double, private to the call"


def test_native_index_has_no_capi_call():
    # xs[i] and xs[i] = v on a native list are machine code: no C-API call on those lines
    case = next(c for c in CASES if c.name == "store_at")
    jf = pyvorin.jit(case.fn)
    assert jf(4, 1, 3) == [0, 3, 0, 1]
    lines = {e["line"] for e in jf.report["object_lines"]}
    first = case.fn.__code__.co_firstlineno
    assert not {first + 1, first + 2, first + 3} & lines, jf.report["object_lines"]
    assert "pv_buf_to_list" in {f for e in jf.report["object_lines"] for f in e["functions"]}


def test_overflow_after_private_appends_reruns():
    case = next(c for c in CASES if c.name == "powers_of_three")
    jf = pyvorin.jit(case.fn)
    assert jf(10) == (3 ** 10, 10)
    assert jf(50) == (3 ** 50, 50)
    assert jf.stats["python_calls"] == 1 and jf.stats["native_calls"] == 1


def _leak_check(fn, argsets, calls=3000):
    for args in argsets:  # warm up: compile every signature
        try:
            fn(*args)
        except Exception:  # noqa: BLE001
            pass
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(calls):
            for args in argsets:
                try:
                    fn(*args)
                except Exception:  # noqa: BLE001
                    pass
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    return grown


@pytest.mark.parametrize("name,argsets", [
    ("store_at", [(50, 3, 1), (50, 60, 1)]),          # returns, and IndexError after the buffer exists
    ("item_at", [(40, 3), (40, 99)]),
    ("pop_from_empty", [(3,)]),                       # IndexError from pop
    ("powers_of_three", [(30,), (45,)]),              # the overflow exits and reruns in CPython
    ("rebinding_frees", [(30,)]),                     # a buffer replaced in every iteration
    ("bfs_local", [(200,)]),
    ("matmul_rows", [([[1.0, 2.0], [3.0, 4.0]], [[5.0, 6.0], [7.0, 8.0]])]),
    ("distinct_pairs", [(300, 7)]),                   # a set that grows (rebuilds its index)
    ("histogram", [(list(range(200)), 7), ([1, 2], 0)]),  # returned as a dict; ZeroDivisionError
    ("lookup_missing", [(50, 3), (50, 99)]),          # KeyError(key) after the table exists
    ("remove_missing", [(30, 10), (30, 7)]),
    ("delete_and_reinsert", [(12,), (13,)]),
    ("overflow_in_value", [(20,), (30,)]),            # the overflow exits and reruns in CPython
    ("displays", [(5,)]),
])
def test_native_buffers_do_not_leak(name, argsets):
    case = next(c for c in CASES if c.name == name)
    jf = pyvorin.jit(case.fn)
    grown = _leak_check(jf, argsets)
    assert grown < 64 * 1024, "%s: traced memory grew by %d bytes" % (name, grown)


def test_huge_repetition_is_memory_error():
    def huge(n):
        xs = [0, 1] * n
        return len(xs)
    jf = pyvorin.jit(huge)
    with pytest.raises(MemoryError):
        huge(2 ** 62)
    with pytest.raises(MemoryError):
        jf(2 ** 62)
    assert jf.stats["native_calls"] == 1


def list_machine(ops):
    # Random programs over one native list: each op is (code, argument) packed in an int.
    xs = []
    total = 0
    for op in ops:
        code = op % 6
        a = op // 6 - 20
        if code == 0:
            xs.append(a)
        elif code == 1:
            if xs:
                total += xs.pop()
        elif code == 2:
            xs[a] = total            # IndexError when a is out of range, as CPython
        elif code == 3:
            total += xs[a]
        elif code == 4:
            for x in xs:
                total += x
                if x == a:
                    xs.append(a - 1)  # grows while iterating
                    break
        else:
            xs = [a] * (a % 4)
    return total, xs


def test_list_machine_is_native():
    jf = pyvorin.jit(list_machine)
    jf([0, 7])
    assert representations(jf)["xs"].startswith("native buffer")


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=6 * 41 - 1), max_size=60))
def test_list_machine_matches_cpython(ops):
    jf = _machine
    expected, got, _, _, _, _ = call_both(list_machine, jf, (ops,))
    d = outcome_diff(expected, got, [ops], [ops])
    assert d is None, d
    assert jf.stats["python_calls"] == 0


_machine = pyvorin.jit(list_machine)


def table_machine(ops):
    # Random programs over a native dict (returned: its order must be CPython's) and a set.
    d = {}
    s = set()
    total = 0
    for op in ops:
        code = op % 7
        k = op // 7 % 13 - 6
        if code == 0:
            d[k] = total
        elif code == 1:
            if k in d:
                del d[k]
        elif code == 2:
            total += d.get(k, -1)
        elif code == 3:
            s.add((k, k % 2 == 0))
        elif code == 4:
            s.discard((k, True))
        elif code == 5:
            total += d[k]             # KeyError(k) when missing, as CPython
        else:
            total += len(s) + ((k, False) in s)
    return total, d


def test_table_machine_is_native():
    jf = pyvorin.jit(table_machine)
    jf([0, 3])
    reps = representations(jf)
    assert reps["d"].startswith("native hash table (dict") and reps["s"].startswith("native hash table (set")


_tables = pyvorin.jit(table_machine)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=7 * 13 - 1), max_size=80))
def test_table_machine_matches_cpython(ops):
    expected, got, _, _, _, _ = call_both(table_machine, _tables, (ops,))
    d = outcome_diff(expected, got, [ops], [ops])
    assert d is None, d
    assert _tables.stats["python_calls"] == 0


def grid_then_overflow(n):
    # the rows are new lists reached only through grid: changing them is no effect, so the int
    # overflow at the end reruns the call in CPython, which gives the exact big int
    grid = [[0] * 3 for _ in range(n)]
    for i in range(n):
        row = grid[i]
        row[0] = i
        grid[i][1] += 2
    p = 1
    for i in range(n * 20):
        p *= 3
    return grid[-1], p


def shared_rows_then_overflow(rows, n):
    # grid holds the caller's rows: changing one is an effect, so the overflow cannot rerun
    grid = [rows[0], rows[0]]
    grid[0][0] += 1
    p = 1
    for i in range(n):
        p *= 3
    return p


def test_items_of_new_rows_are_not_effects():
    jf = pyvorin.jit(grid_then_overflow)
    assert jf(2) == grid_then_overflow(2) == ([1, 2, 0], 3 ** 40)
    assert jf.stats["python_calls"] == 1  # reran: nothing observable had happened


def test_items_shared_with_the_caller_are_effects():
    jf = pyvorin.jit(shared_rows_then_overflow)
    rows = [[1, 2]]
    assert jf(rows, 5) == 243 and rows == [[2, 2]]
    with pytest.raises(OverflowError, match="cannot be rerun exactly in CPython"):
        jf(rows, 60)
    assert rows == [[3, 2]]  # changed once by the call that raised, not again by a rerun
