"""The dispatcher under stress: specialisations installed or dropped while a native call runs
(another thread, a re-entrant call through print), concurrent first calls, sources edited after
import, rebound builtins and math functions, CPython's exact recursion limit, small thread stacks."""
import builtins
import contextlib
import importlib
import io
import math
import os
import sys
import textwrap
import threading
import time

import pytest

import pyvorin
from pyvorin_testutil import run_python


# ---- a running call never sees its specialisation freed ----

@pyvorin.jit(cache=False)
def shout(a):
    print(a)
    return a * 2 + 1


class ReentrantStream(io.StringIO):
    """A stdout whose write() calls back into a dispatcher with new argument types."""

    def __init__(self, callback):
        super().__init__()
        self.callback = callback
        self.results = []

    def write(self, text):
        if self.callback is not None:
            cb, self.callback = self.callback, None
            self.results.append(cb())
        return super().write(text)


def test_reentrant_call_installs_new_specialisations_during_print():
    # The first call compiles (int,); while it prints, write() makes the same dispatcher compile
    # two more signatures, so its vector of specialisations reallocates under the running call.
    stream = ReentrantStream(lambda: [shout(1.5), shout(True), shout(False), shout(2.25)])
    with contextlib.redirect_stdout(stream):
        result = shout(3)
    assert result == 7 and type(result) is int
    assert stream.results == [[4.0, 3, 1, 5.5]]
    assert [type(r) for r in stream.results[0]] == [float, int, int, float]
    assert sorted(shout.signatures) == [("bool",), ("float",), ("int",)]
    assert stream.getvalue() == "1.5\nTrue\nFalse\n2.25\n3\n"


def helper_one(a):
    return a + 1


def helper_two(a):
    return a + 100


helper_one = pyvorin.jit(helper_one, cache=False)
helper_two = pyvorin.jit(helper_two, cache=False)
calls_helper = None


@pyvorin.jit(cache=False)
def calls_helper(a):
    r = helper_one(a)
    print(r)
    return r * 3


def test_invalidation_during_a_call_keeps_its_code_alive():
    # While calls_helper prints, write() rebinds the global it compiled against and calls it
    # again: every specialisation is dropped (and, with no cache, its code is freed) while the
    # first call is still inside that code.
    g = calls_helper.py_func.__globals__

    def rebind_and_call():
        g["helper_one"] = helper_two
        return calls_helper(5)

    before = calls_helper(1)
    assert before == 6
    stream = ReentrantStream(rebind_and_call)
    try:
        with contextlib.redirect_stdout(stream):
            result = calls_helper(2)
    finally:
        g["helper_one"] = helper_one
    assert result == 9 and type(result) is int
    assert stream.results == [315]
    assert stream.getvalue() == "105\n3\n"


@pyvorin.jit(cache=False)
def spin(n, scale):
    t = scale * 0
    for i in range(n):
        t += (i % 7) * scale
    return t


def test_other_thread_installs_while_native_code_runs_without_the_gil():
    n = 60_000_000
    assert spin(10, 2) == spin.py_func(10, 2)  # (int, int) compiled; it runs without the GIL
    assert spin.report["release_gil"]
    results = {}
    started = threading.Event()

    def long_call():
        started.set()
        results["long"] = spin(n, 3)

    def installer():
        started.wait()
        time.sleep(0.02)
        results["others"] = [spin(5, 1.5), spin(5, True), spin(True, 2)]

    threads = [threading.Thread(target=long_call), threading.Thread(target=installer)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["long"] == spin.py_func(n, 3)
    assert results["others"] == [15.0, 10, 0]
    assert [type(r) for r in results["others"]] == [float, int, int]
    assert len(spin.signatures) == 4


def test_concurrent_first_calls_compile_once(monkeypatch):
    @pyvorin.jit(cache=False)
    def fresh(a, b):
        return a * b - a

    compiles = []
    real = pyvorin._pyvorin.compile_unit

    def counting(request):
        compiles.append(request["arg_types"])
        time.sleep(0.05)  # widen the window in which the other threads miss too
        return real(request)

    monkeypatch.setattr(pyvorin._pyvorin, "compile_unit", counting)
    barrier = threading.Barrier(8)
    out = []

    def call():
        barrier.wait()
        out.append(fresh(6, 7))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert out == [36] * 8
    assert compiles == [[2, 2]]
    assert fresh.signatures == [("int", "int")]


# ---- the source compiled is the code that runs ----

MODULE = '''\
import pyvorin


@pyvorin.jit
def answer(a):
    return a + 6


@pyvorin.jit
def inner(a):
    return a * 2


@pyvorin.jit
def outer(a):
    return inner(a) + 1
'''


@pytest.fixture
def module_file(tmp_path, monkeypatch):
    path = tmp_path / "edited_module.py"
    path.write_text(MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("edited_module", None)
    yield path
    sys.modules.pop("edited_module", None)


def rewrite(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # linecache sees a new mtime


def test_source_edited_after_import_falls_back(module_file):
    import edited_module as m
    rewrite(module_file, "return a + 6", "return a + 500")
    assert m.answer(0) == 6  # the code that was loaded, as CPython runs it
    assert not m.answer.compiled
    assert m.answer.fallback["code"] == "PV401"
    assert "changed after the function was loaded" in m.answer.fallback["reason"]
    assert m.answer.stats == {"native_calls": 0, "python_calls": 1, "disabled_calls": 0}


def test_callee_source_edited_after_import_falls_back(module_file):
    import edited_module as m
    rewrite(module_file, "return a * 2", "return a * 1000")
    assert m.outer(5) == 11
    assert not m.outer.compiled
    assert m.outer.fallback["code"] == "PV401"
    assert "calls 'inner'" in m.outer.fallback["reason"]


def test_lines_moved_by_an_edit_fall_back(module_file):
    import edited_module as m
    rewrite(module_file, "import pyvorin\n", "import pyvorin\n# a new comment line\n")
    assert m.answer(1) == 7
    assert m.answer.fallback["code"] == "PV401"


def test_unedited_and_reloaded_sources_compile(module_file):
    import edited_module as m
    assert m.answer(1) == 7 and m.answer.compiled
    assert m.outer(2) == 5 and m.outer.compiled
    rewrite(module_file, "return a + 6", "return a + 500")
    m = importlib.reload(m)
    assert m.answer(1) == 501 and m.answer.compiled and m.answer.fallback is None


def test_import_originated_names_and_future_annotations_are_not_stale(tmp_path, monkeypatch):
    # CPython compiles math.sqrt(...) differently when math is a module-level import, and
    # `from __future__ import annotations` changes the module's flags: neither is an edit.
    (tmp_path / "imports_module.py").write_text(textwrap.dedent('''\
        from __future__ import annotations
        import math
        import pyvorin

        class Holder:
            @staticmethod
            @pyvorin.jit
            def root(x: float) -> float:
                """Docstring."""
                return math.sqrt(x) + math.pi
        '''))
    monkeypatch.syspath_prepend(str(tmp_path))
    sys.modules.pop("imports_module", None)
    import imports_module as m
    assert m.Holder.root(4.0) == 2.0 + math.pi
    assert m.Holder.root.compiled, m.Holder.root.fallback_reason


# ---- builtins and math functions are looked up at call time ----

@pyvorin.jit
def uses_abs(x):
    return abs(x) + 1


@pyvorin.jit
def uses_sqrt(x):
    return math.sqrt(x) * 2.0


def test_rebinding_builtins_abs_after_compilation():
    assert uses_abs(-4) == 5 and uses_abs.compiled
    real = builtins.abs
    try:
        builtins.abs = lambda v: 40
        assert uses_abs(-4) == uses_abs.py_func(-4) == 41
    finally:
        builtins.abs = real
    assert uses_abs(-4) == 5
    assert uses_abs.compiled
    before = uses_abs.stats["native_calls"]
    assert uses_abs(-7) == 8
    assert uses_abs.stats["native_calls"] == before + 1


def test_rebinding_math_sqrt_after_compilation():
    assert uses_sqrt(9.0) == 6.0 and uses_sqrt.compiled
    real = math.sqrt
    try:
        math.sqrt = lambda v: 100.0
        assert uses_sqrt(9.0) == uses_sqrt.py_func(9.0) == 200.0
        math.sqrt = real
        assert uses_sqrt(16.0) == 8.0
        math.pi = 3.0  # a constant that compiled code could inline
        assert pyvorin.jit(lambda_free_pi)(1.0) == lambda_free_pi(1.0) == 4.0
    finally:
        math.sqrt = real
        math.pi = 3.141592653589793
    assert uses_sqrt(16.0) == 8.0 and uses_sqrt.compiled


def lambda_free_pi(x):
    return x + math.pi


def test_builtins_rebound_before_compilation_are_not_inlined():
    real = builtins.abs
    try:
        builtins.abs = lambda v: -1

        @pyvorin.jit
        def late(x):
            return abs(x)

        assert late(5) == -1
        assert not late.compiled
    finally:
        builtins.abs = real


# ---- recursion: exactly CPython's limit ----

def plain_depth(n):
    if n == 0:
        return 0
    return 1 + plain_depth(n - 1)


@pyvorin.jit
def native_depth(n):
    if n == 0:
        return 0
    return 1 + native_depth(n - 1)


def deepest(fn):
    lo, hi = 0, 100_000
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            fn(mid)
            lo = mid
        except RecursionError:
            hi = mid - 1
    return lo


def test_recursion_limit_matches_cpython_exactly():
    native_depth(3)
    assert native_depth.compiled
    assert deepest(native_depth) == deepest(plain_depth)
    assert native_depth.stats["python_calls"] == 0
    old = sys.getrecursionlimit()
    try:
        sys.setrecursionlimit(600)
        assert deepest(native_depth) == deepest(plain_depth)
    finally:
        sys.setrecursionlimit(old)

    out = {}

    def in_thread():
        out["native"], out["plain"] = deepest(native_depth), deepest(plain_depth)

    t = threading.Thread(target=in_thread)
    t.start()
    t.join()
    assert out["native"] == out["plain"]


def test_small_thread_stacks_run_calls_as_cpython_does():
    r = run_python('''
        import threading
        import pyvorin

        @pyvorin.jit
        def total(n):
            t = 0
            for i in range(n):
                t += i
            return t

        @pyvorin.jit
        def depth(n):
            if n == 0:
                return 0
            return 1 + depth(n - 1)

        @pyvorin.jit
        def falls_back(n):
            return [n][0] + 1

        out = {}
        def run():
            try:
                out["r"] = (total(10), depth(20), falls_back(3), total(2.5 > 1))
            except BaseException as exc:
                out["r"] = repr(exc)
        for kib in (32, 64, 128, 192, 256, 1024):
            threading.stack_size(kib * 1024)
            t = threading.Thread(target=run)
            t.start()
            t.join()
            print(kib, out["r"])
        print(total.compiled, depth.compiled)
        ''')
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:-1] == [f"{k} (45, 20, 4, 0)" for k in (32, 64, 128, 192, 256, 1024)]
    assert lines[-1] == "True True"


def test_cells_with_top_level_await_are_not_stale():
    import ast
    import linecache
    source = "import asyncio\nawait asyncio.sleep(0)\ndef in_async_cell(a):\n    return a * 5\n"
    name = "<async-cell>"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    try:
        code = compile(source, name, "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        namespace = {}
        exec(compile(source.replace("await asyncio.sleep(0)", "pass"), name, "exec"), namespace)
        # The function compiled inside the awaitable module code is the same code object.
        inner = [c for c in code.co_consts if getattr(c, "co_name", "") == "in_async_cell"][0]
        namespace["in_async_cell"].__code__ = inner
        d = pyvorin.jit(namespace["in_async_cell"])
        assert d(3) == 15 and d.compiled, d.fallback_reason
    finally:
        linecache.cache.pop(name)
