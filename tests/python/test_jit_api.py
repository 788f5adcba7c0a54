"""The pyvorin.jit API as docs/python-api.md describes it: decorator forms and options, the
dispatcher's attributes (py_func, compiled, signatures, fallback_reason, stats, report), the
inspect_* methods, argument types that run in CPython, and pyvorin.disabled()."""
import fractions
import inspect

import pytest

import pyvorin
from pyvorin_testutil import INT64_MAX, INT64_MIN, line_of


def f(a, b):
    total = 0
    for i in range(a):
        total += i * b
    return total


def add(a, b):
    return a + b


def annotated(n: int, x: float) -> float:
    s = 0.0
    for i in range(n):
        s += x * i
    return s


def annotated_int(n: int) -> int:
    return n * 2


@pyvorin.jit
def bare_form(n):
    return n + 1


@pyvorin.jit(strict=False, fast=False, opt_level=2, cache=True)
def call_form(n):
    return n * 3


@pyvorin.jit()
def empty_call_form(n):
    return n - 1


def loop_sum(n):
    s = 0
    i = 0
    while i < n:
        s += i % 7
        i += 1
    return s


REPORT_KEYS = ["name", "line", "status", "signatures", "fallback", "ast", "types", "ir", "opt_ir",
               "asm", "line_map", "passes", "remarks", "timings_ms", "object_size", "cache"]
TIMINGS = ["parse", "infer", "lower", "optimize", "codegen", "load"]


def test_module_helpers():
    assert isinstance(pyvorin.version, str) and pyvorin.version
    assert str(pyvorin.llvm_version).startswith("19"), pyvorin.llvm_version
    assert issubclass(pyvorin.CompilationError, Exception)
    assert callable(pyvorin.jit) and callable(pyvorin.disabled)


@pytest.mark.parametrize("jf,arg,expected", [(bare_form, 4, 5), (call_form, 4, 12),
                                             (empty_call_form, 4, 3)],
                         ids=["bare", "call", "empty_call"])
def test_decorator_forms(jf, arg, expected):
    assert isinstance(jf, pyvorin.Dispatcher)
    before = jf.stats["native_calls"]
    assert jf(arg) == expected
    assert jf.compiled is True and jf.fallback_reason is None
    assert jf.stats["native_calls"] == before + 1
    assert jf.py_func.__name__ == jf.py_func.__code__.co_name


def test_py_func_is_the_original():
    jf = pyvorin.jit(add)
    assert jf.py_func is add
    assert inspect.isfunction(jf.py_func)


def test_lazy_specialisation_one_signature_per_type_tuple():
    jf = pyvorin.jit(add)
    assert jf.compiled is False
    assert jf.signatures == []
    assert jf.report["status"] == "pending"
    assert jf(1, 2) == 3
    assert jf.compiled is True
    assert jf.signatures == [("int", "int")]
    assert jf(5, 6) == 11
    assert jf.signatures == [("int", "int")]
    assert jf(1.5, 2) == 3.5
    assert jf(True, True) == 2 and type(jf(True, True)) is int
    assert jf(2, 0.25) == 2.25
    assert len(jf.signatures) == 4
    assert set(jf.signatures) == {("int", "int"), ("float", "int"), ("bool", "bool"),
                                  ("int", "float")}
    assert jf.stats == {"native_calls": 6, "python_calls": 0, "disabled_calls": 0}
    args = sorted(tuple(s["args"]) for s in jf.report["signatures"])
    assert args == sorted(jf.signatures), jf.report["signatures"]


def test_eager_compile_when_annotated():
    jf = pyvorin.jit(annotated)
    assert jf.compiled is True
    assert jf.signatures == [("int", "float")]
    assert jf.report["status"] == "compiled"
    assert jf.stats == {"native_calls": 0, "python_calls": 0, "disabled_calls": 0}
    assert jf(4, 0.5) == annotated(4, 0.5)
    assert jf.stats["native_calls"] == 1
    ji = pyvorin.jit(annotated_int)
    assert ji.compiled and ji.signatures == [("int",)]
    assert ji.report["signatures"][0]["args"] == ["int"]
    assert ji.report["signatures"][0]["return"] == "int"


def test_stats_is_a_fresh_dict():
    jf = pyvorin.jit(add)
    jf(1, 2)
    s = jf.stats
    assert set(s) >= {"native_calls", "python_calls"}
    s["native_calls"] = 999
    assert jf.stats["native_calls"] == 1
    assert jf.stats is not jf.stats


@pytest.mark.parametrize("args,kwargs", [
    ((2**63, 1), {}), ((1, INT64_MIN - 1), {}), ((10**30, 10**30), {}), ((b"ab", bytearray(b"cd")), {}),
    ((frozenset([1]), frozenset([2])), {}), ((None, 1), {}), ((1,), {"b": 3}),
    ((), {"a": 1, "b": 2}), ((fractions.Fraction(1, 3), 1), {}), ((1,), {}), ((1, 2, 3), {}), ((1,), {"c": 2}),
], ids=["big", "big_negative", "huge", "bytearray", "frozenset", "none", "keyword", "keywords", "fraction",
        "too_few", "too_many", "unknown_keyword"])
def test_arguments_that_do_not_fit_run_in_cpython(args, kwargs):
    jf = pyvorin.jit(add)
    jf(1, 2)
    before = jf.stats
    try:
        expected = add(*args, **kwargs)
    except TypeError as e:
        with pytest.raises(TypeError) as info:
            jf(*args, **kwargs)
        assert str(info.value) == str(e)
    else:
        got = jf(*args, **kwargs)
        assert got == expected and type(got) is type(expected)
    after = jf.stats
    assert after["python_calls"] == before["python_calls"] + 1, after
    assert after["native_calls"] == before["native_calls"], after
    # the report says why this call ran in CPython (the function itself compiles)
    runs = jf.cpython_runs
    assert len(runs) == 1 and runs[0]["calls"] == 1, runs
    assert jf.report["cpython_runs"] == runs and jf.report["status"] == "compiled"
    why = runs[0]["reason"]
    if kwargs:
        assert why == "called with keyword arguments: compiled code takes positional arguments only", why
    elif len(args) != 2:
        assert why.startswith("called with another number of positional arguments than its 2 parameters"), why
    elif type(args[0]) is int and abs(args[0]) >= 2**63:
        assert why == "argument 1 ('a') is an int beyond 64 bits: compiled code holds int64", why
    elif type(args[1]) is int and abs(args[1]) >= 2**63:
        assert why == "argument 2 ('b') is an int beyond 64 bits: compiled code holds int64", why
    elif isinstance(args[0], (frozenset, fractions.Fraction)):
        assert why.startswith(f"argument 1 ('a') is a {type(args[0]).__name__}, a type compiled code does not take"), why
    else:
        assert why.startswith("argument types (") and " do not compile" in why, why


def test_str_arguments_run_natively():
    jf = pyvorin.jit(add)
    assert jf("ab", "cd") == "abcd" and jf("naïve ", "☕") == "naïve ☕"
    assert jf.stats["native_calls"] == 2


def test_int64_bounds_fit():
    jf = pyvorin.jit(add)
    assert jf(INT64_MAX, 0) == INT64_MAX
    assert jf(INT64_MIN, 0) == INT64_MIN
    assert jf.stats["native_calls"] == 2


def test_disabled_context_manager():
    jf = pyvorin.jit(add)
    assert jf(1, 2) == 3
    with pyvorin.disabled():
        assert jf(3, 4) == 7
        assert jf(1.5, 1) == 2.5
    # calls under disabled() are counted apart: they are not fallbacks
    assert jf.stats == {"native_calls": 1, "python_calls": 0, "disabled_calls": 2}
    assert jf(5, 6) == 11
    assert jf.stats == {"native_calls": 2, "python_calls": 0, "disabled_calls": 2}
    assert jf.cpython_runs == []
    with pytest.raises(RuntimeError):
        with pyvorin.disabled():
            raise RuntimeError("leave the block with an exception")
    jf(1, 1)
    assert jf.stats["native_calls"] == 3, "dispatch must be back on after the block"


def test_report_keys_and_contents():
    jf = pyvorin.jit(f)
    assert jf(5, 3) == f(5, 3)
    r = jf.report
    for key in REPORT_KEYS:
        assert key in r, key
    assert r["name"] == "f"
    assert r["line"] in (f.__code__.co_firstlineno, line_of(f, "def f(")), r["line"]
    assert r["status"] == "compiled"
    assert r["fallback"] is None
    assert [tuple(s["args"]) for s in r["signatures"]] == [("int", "int")]
    assert r["signatures"][0]["return"] == "int"
    assert "FunctionDef(name='f')" in r["ast"]
    assert "define" in r["ir"] and "define" in r["opt_ir"]
    assert "ret" in r["asm"]
    assert isinstance(r["passes"], list) and r["passes"], "O2 runs passes"
    assert isinstance(r["remarks"], list)
    for remark in r["remarks"]:
        assert {"pass", "line", "message"} <= set(remark), remark
    timings = r["timings_ms"]
    for stage in TIMINGS:
        assert stage in timings and isinstance(timings[stage], (int, float)) and timings[stage] >= 0
    assert isinstance(r["object_size"], int) and r["object_size"] > 0
    assert r["cache"] in ("hit", "miss", "off")
    types = r["types"]
    assert isinstance(types, list) and types
    for entry in types:
        assert {"line", "name", "type", "because"} <= set(entry), entry
    total_line = line_of(f, "total = 0")
    assert any(t["name"] == "total" and t["type"] == "int" and t["line"] == total_line
               for t in types), types
    line_map = r["line_map"]
    assert isinstance(line_map, dict) and line_map
    body = range(f.__code__.co_firstlineno, f.__code__.co_firstlineno + 6)
    for key, value in line_map.items():
        assert isinstance(key, str) and int(key) in body, key
        assert isinstance(value["ir"], list) and isinstance(value["asm"], list)
    assert str(line_of(f, "total += i * b")) in line_map, sorted(line_map)


def test_inspect_ast():
    jf = pyvorin.jit(f)
    text = jf.inspect_ast()
    assert isinstance(text, str)
    assert "FunctionDef(name='f')" in text, text[:500]


def test_inspect_types_trace():
    jf = pyvorin.jit(f)
    jf(3, 4)
    text = jf.inspect_types()
    expected = "total: int \u2190 Constant(0) is int (line %d)" % line_of(f, "total = 0")
    assert expected in text, text


def test_inspect_llvm_and_asm():
    jf = pyvorin.jit(f)
    jf(3, 4)
    assert "define" in jf.inspect_llvm()
    assert "define" in jf.inspect_llvm(optimized=True)
    assert "define" in jf.inspect_llvm(optimized=False)
    assert "ret" in jf.inspect_asm()
    assert "ret" in jf.inspect_asm(syntax="att")
    assert "ret" in jf.inspect_asm(syntax="intel")


@pytest.mark.parametrize("opt_level", [0, 1, 2, 3])
@pytest.mark.parametrize("fast", [False, True])
def test_options_never_change_results(opt_level, fast):
    jf = pyvorin.jit(opt_level=opt_level, fast=fast, cache=False)(loop_sum)
    for n in [0, 1, 10, 1000]:
        got = jf(n)
        assert got == loop_sum(n) and type(got) is int
    assert jf.compiled and jf.fallback_reason is None
    assert jf.stats["native_calls"] == 4


def test_cache_option():
    first = pyvorin.jit(cache=True)(loop_sum)
    first(10)
    second = pyvorin.jit(cache=True)(loop_sum)
    second(10)
    assert second.report["cache"] == "hit", second.report["cache"]
    off = pyvorin.jit(cache=False)(loop_sum)
    off(10)
    assert off.report["cache"] == "off", off.report["cache"]
    assert off(100) == loop_sum(100)


def test_fallback_none_for_compiled_and_report_status():
    jf = pyvorin.jit(loop_sum)
    assert jf(5) == loop_sum(5)
    assert jf.fallback is None and jf.fallback_reason is None
    assert jf.report["status"] == "compiled"


def ann_int(n: int) -> int:
    return n * 2


def ann_float_returns_int(x: float) -> int:
    return x * 2


def ann_float(x: float) -> float:
    return x + 1


def ann_bool(flag: bool) -> bool:
    return not flag


def ann_int_returns_float(n: int) -> float:
    return n // 2


@pytest.mark.parametrize("fn,inputs", [
    (ann_int, [2.5, 3, True, 2**63, -0.0]), (ann_float_returns_int, [1.5, 2, True]),
    (ann_float, [1, True, 2.5]), (ann_bool, [0, 5, True, 0.0]), (ann_int_returns_float, [7, 7.5]),
], ids=["int", "float_to_int", "float", "bool", "int_to_float"])
def test_annotations_never_change_results(fn, inputs):
    # CPython does not enforce annotations: other argument types give CPython's result and type.
    jf = pyvorin.jit(fn)
    assert jf.compiled, "annotated parameters compile at decoration"
    for x in inputs:
        got = jf(x)
        want = fn(x)
        assert type(got) is type(want) and got == want and str(got) == str(want), (x, got, want)


# Calls between jitted functions go through the global name, as in CPython: rebinding the name
# (a notebook cell redefining a helper) must change what the caller calls.
@pyvorin.jit
def rb_helper(x):
    return x + 1


@pyvorin.jit
def rb_main(x):
    return rb_helper(x) * 2


def test_rebinding_a_called_global_is_seen():
    global rb_helper
    original = rb_helper
    try:
        assert rb_main(1) == 4
        assert rb_main.compiled

        def replacement(x):
            return x + 100
        rb_helper = pyvorin.jit(replacement)
        assert rb_main(1) == rb_main.py_func(1) == 202, "caller still calls the old helper"

        def plain(x):
            return x - 1
        rb_helper = plain
        assert rb_main(1) == rb_main.py_func(1) == 0

        del rb_helper
        with pytest.raises(NameError):
            rb_main.py_func(1)
        with pytest.raises(NameError):
            rb_main(1)
    finally:
        rb_helper = original
    assert rb_main(1) == 4


def test_report_is_json():
    import json
    jf = pyvorin.jit(add)
    jf(3, 4)
    jf(3, 1.5)
    text = json.dumps(jf.report)
    back = json.loads(text)
    assert back["name"] == "add" and len(back["signatures"]) == 2
    fb = pyvorin.jit(add)
    fb("a", "b")
    json.dumps(fb.report)


def test_inspect_passes_lists_the_passes_that_changed_the_ir():
    jf = pyvorin.jit(loop_sum_for_passes)
    with pytest.raises(ValueError, match="call it first"):
        jf.inspect_passes()
    assert jf(10) == loop_sum_for_passes(10)
    view = jf.inspect_passes()
    names = [s["pass"] for s in view.steps]
    # the classic steps of a loop: mem2reg (SROA), instcombine, loop rotation, induction variables
    for expected in ("SROAPass", "InstCombinePass", "LoopRotatePass", "IndVarSimplifyPass"):
        assert expected in names, names
    for step in view.steps:
        assert step["added"] + step["removed"] > 0 and step["diff"].startswith("@@ ")
        assert step["function"] in ("loop_sum_for_passes", "loop_sum_for_passes (entry)"), step["function"]
    assert {f["function"] for f in view.functions} >= {"loop_sum_for_passes"}
    assert all(f["runs"] >= f["changed"] >= 0 for f in view.functions)
    text = str(view)
    assert text.startswith("Optimisation pipeline at -O2: ") and "SROAPass on loop_sum_for_passes" in text
    assert "!dbg" not in text  # module-numbered references are left out of the diffs
    html = view._repr_html_()
    assert "Optimisation pipeline, pass by pass" in html and "pv-diff" in html


def test_inspect_cfg_draws_both_graphs():
    import shutil
    jf = pyvorin.jit(loop_sum_for_passes)
    jf(10)
    cfg = jf.inspect_cfg()
    assert [f["function"] for f in cfg.functions] == ["loop_sum_for_passes"]
    f = cfg.functions[0]
    assert f["source_dot"].startswith('digraph "loop_sum_for_passes"')
    assert "total += i * i % 7" in f["source_dot"]  # source-level blocks carry their lines
    assert "raise" not in f["source_dot"]           # the checks' error paths are left out
    assert f["opt_dot"] and f["opt_symbol"].startswith("pv_entry_")
    if shutil.which("dot"):
        assert f["source_svg"].startswith("<svg") and f["opt_svg"].startswith("<svg")
        assert "<svg" in cfg._repr_html_()
    else:
        assert "graphviz" in cfg.view["error"]


def loop_sum_for_passes(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total


def test_a_list_of_mixed_items_says_so():
    jf = pyvorin.jit(add)
    jf(1, 2)
    assert jf([1, "a"], [2]) == [1, "a", 2]
    (run,) = jf.cpython_runs
    assert run["reason"].startswith("argument 1 ('a') is a list whose items compiled code cannot hold together"), run


def test_report_status_follows_the_counters():
    jf = pyvorin.jit(add)
    assert jf.report["status"] == "pending"
    jf(1, b=2)  # a keyword argument: this call runs in CPython
    assert jf.report["status"] == "cpython"
    jf.reset_stats()
    assert jf.report["status"] == "pending" and jf.report["cpython_runs"] == []
