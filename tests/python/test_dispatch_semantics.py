"""Dispatcher behaviours around the native code: docstrings, recursion depth from measured frame
sizes, recompilation when a global the code used changes, compile-time reports."""
import math
import subprocess
import sys
import textwrap

import pyvorin
from pyvorin_testutil import package_parent


def documented(n):
    """A docstring is not code: the function still compiles."""
    return n + 1


def test_docstring_does_not_prevent_compilation():
    f = pyvorin.jit(documented)
    assert f(41) == 42
    assert f.fallback_reason is None
    assert f.stats["native_calls"] == 1


def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1


def test_recursion_depth_uses_measured_frames():
    # The function must live in a file for its source to be read: write one.
    code = textwrap.dedent("""
        import sys, threading, pyvorin
        from recursion_target import down
        down = pyvorin.jit(down)
        import recursion_target
        recursion_target.down = down
        assert down(900) == 900
        assert down.report["max_frame_bytes"] > 0
        out = []
        threading.stack_size(512 * 1024)
        t = threading.Thread(target=lambda: out.append(down(900)))
        t.start(); t.join()
        assert out == [900], out
        sys.setrecursionlimit(10**6)
        print(down(100000), down.stats["native_calls"] >= 3)
    """)
    import os
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "recursion_target.py"), "w") as fh:
            fh.write("def down(n):\n    if n == 0:\n        return 0\n    return down(n - 1) + 1\n")
        env = dict(os.environ, PYTHONPATH=package_parent() + os.pathsep + tmp)
        r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["100000", "True"]


def scale(x):
    return sqrt_alias(x) * 2.0


sqrt_alias = math.sqrt


def test_rebinding_a_math_alias_recompiles():
    global sqrt_alias
    f = pyvorin.jit(scale)
    assert f(16.0) == 8.0
    sqrt_alias = math.floor  # the old native code (sqrt) would now be wrong
    try:
        assert f(16.5) == scale(16.5) == 32.0
    finally:
        sqrt_alias = math.sqrt
    assert f(4.0) == 4.0


def test_report_timings_and_lazy_assembly():
    f = pyvorin.jit(documented)
    f(1)
    report = f.report
    for stage in ("parse", "normalise", "check", "infer", "lower", "optimize", "codegen", "load"):
        assert stage in report["timings_ms"], stage
    assert "ret" in report["asm"]
    assert any(v["asm"] for v in report["line_map"].values())


def truth_tests(n, x):
    c = 0
    while n and x > 0.5:
        n -= 1
        x = x * 0.9
        if not (n % 3 or x < 0.7):
            c += 1
    return c if n or x else -1


def negated_or(a, b):
    return not (a or b)


def test_and_or_of_mixed_types_compile_when_only_their_truth_is_used():
    for fn, argsets in ((truth_tests, [(10, 3.0), (0, 1.0), (100, 100.0), (5, 0.0), (-3, float("nan"))]),
                        (negated_or, [(0, 0.0), (1, 0.0), (0, 2.5), (0, float("nan"))])):
        jf = pyvorin.jit(fn)
        for args in argsets:
            expected, got = fn(*args), jf(*args)
            assert expected == got and type(expected) is type(got), (fn.__name__, args, expected, got)
        assert jf.fallback_reason is None
        assert jf.stats["native_calls"] == len(argsets)
