"""Tracebacks of errors raised in native code whose functions come from several modules (files):
each entry names the file, line and function CPython's traceback names for the same call."""
import importlib
import sys
import textwrap
import traceback
import uuid

import pytest

import pyvorin

# Three modules: top.entry -> middle.step -> bottom.divide, all jitted; each call is native.
BOTTOM = '''
import pyvorin


@pyvorin.jit
def divide(a, b):
    t = a * 2
    return t // b
'''

MIDDLE = '''
import pyvorin
from {bottom} import divide


@pyvorin.jit
def step(a, b):
    s = 0
    for i in range(3):
        s = s + divide(a + i, b - i)
    return s
'''

TOP = '''
import math
import pyvorin
from {middle} import step


@pyvorin.jit
def entry(a, b):
    u = a + 1
    v = step(u, b)
    return v + 1


@pyvorin.jit
def root_fails(a):
    return math.sqrt(a - 10.0)


@pyvorin.jit
def calls_root_fails(a):
    r = a * 1.0
    return root_fails(r)
'''


@pytest.fixture
def modules(tmp_path):
    """Imports fresh top/middle/bottom modules written to tmp_path; removes them afterwards."""
    tag = uuid.uuid4().hex[:8]
    names = {"bottom": "pv_tb_bottom_" + tag, "middle": "pv_tb_middle_" + tag, "top": "pv_tb_top_" + tag}
    for key, text in (("bottom", BOTTOM), ("middle", MIDDLE), ("top", TOP)):
        (tmp_path / (names[key] + ".py")).write_text(textwrap.dedent(text.format(**names)))
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        yield {key: importlib.import_module(name) for key, name in names.items()}
    finally:
        sys.path.remove(str(tmp_path))
        for name in names.values():
            sys.modules.pop(name, None)


def failure(fn, *args):
    """(exception type, message, [(file, line, function)] below this test's own frame)."""
    with pytest.raises(Exception) as info:
        fn(*args)
    frames = traceback.extract_tb(info.value.__traceback__)[1:]
    return type(info.value), str(info.value), [(f.filename, f.lineno, f.name) for f in frames]


def compiled_failure(fn, warm, args):
    assert fn(*warm) == fn.py_func(*warm)
    assert fn.compiled and fn.fallback_reason is None, fn.fallback_reason
    before = fn.stats["native_calls"]
    got = failure(fn, *args)
    assert fn.stats["native_calls"] == before + 1, fn.stats
    with pyvorin.disabled():
        expected = failure(fn, *args)
    return expected, got


def test_callee_frames_name_their_own_files(modules):
    expected, got = compiled_failure(modules["top"].entry, (5, 10), (5, 2))
    assert got == expected
    files = [f for f, _, _ in got[2]]
    assert files == [modules["top"].__file__, modules["middle"].__file__, modules["bottom"].__file__], got


def test_the_innermost_frame_of_a_callee_module_at_the_loop_line(modules):
    # b - i reaches 0 in the loop's second turn: the middle frame is the loop body's line.
    expected, got = compiled_failure(modules["middle"].step, (5, 10), (5, 1))
    assert got == expected
    assert [name for _, _, name in got[2]] == ["step", "divide"], got


def test_root_and_caller_in_the_same_module(modules):
    expected, got = compiled_failure(modules["top"].calls_root_fails, (20.0,), (1.0,))
    assert got == expected
    assert {f for f, _, _ in got[2]} == {modules["top"].__file__}, got
