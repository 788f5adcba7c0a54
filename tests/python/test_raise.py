"""raise E / raise E(args) with a builtin exception class, and assert, compile natively: the
exception, its message and the traceback's innermost line are CPython's, a with block closes its
file on the way out, and `raise ... from ...` or a non-builtin exception keep the function in
CPython with the reason named."""
import os
import traceback

import pytest

import pyvorin
import raise_cases as m
from container_testutil import why_not_native


def outcome(fn, *args):
    try:
        r = fn(*args)
        return ("value", r, type(r))
    except Exception as e:  # noqa: BLE001 - compared with CPython's
        return ("raised", type(e), str(e), traceback.extract_tb(e.__traceback__)[-1].lineno)


CASES = [("parse_pair", ("a=1",)), ("parse_pair", ("ab",)), ("check_len", ("abc", 2)), ("check_len", ("", 2)),
         ("check_len", ("a", 2)), ("bare", (-1,)), ("bare", (2,)), ("key_err", ({"a": 1}, "b")), ("key_err", ({"a": 1}, "a")),
         ("always", (1,)), ("hamming", ("ab", "abc")), ("hamming", ("ab", "ac")), ("in_loop", ([1, -2],)), ("in_loop", ([1, 2],))]


@pytest.mark.parametrize("name,args", CASES, ids=["%s-%d" % (c[0], i) for i, c in enumerate(CASES)])
def test_raise_matches_cpython(name, args):
    fn = getattr(m, name)
    jf = pyvorin.jit(fn)
    assert outcome(jf, *args) == outcome(fn, *args)
    assert jf.stats["native_calls"] == 1, why_not_native(jf)


def test_raise_in_with_closes_the_file(tmp_path):
    p = str(tmp_path / "a.txt")
    with open(p, "w") as f:
        f.write("x")
    jf = pyvorin.jit(m.in_with)
    with pytest.raises(RuntimeError, match="^inside$"):
        jf(p)
    assert jf.stats["native_calls"] == 1
    # the file was closed by the with block: nothing is left open in this process
    fds = os.listdir("/proc/self/fd")
    assert not any(os.path.realpath("/proc/self/fd/" + fd) == os.path.realpath(p) for fd in fds if fd.isdigit() and os.path.exists("/proc/self/fd/" + fd))


def test_non_builtin_exception_runs_in_cpython():
    jf = pyvorin.jit(m.not_exc)
    assert outcome(jf, 1) == outcome(m.not_exc, 1)
    assert jf.stats["native_calls"] == 0
    assert "raise of anything but a builtin exception" in jf.fallback_reason
