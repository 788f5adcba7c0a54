"""The notebook corpus (notebook_corpus.py): each function compiled and in CPython, on fresh copies
of each argument set, NumPy's global generator seeded alike before both. Value, type, dtype, shape,
strides and flags (array_testutil.value_diff), exception, printed text, RuntimeWarnings and the
arguments after the call must agree. Each function runs in a forked child, so a crash is a
failure that names it. The number of calls that run natively must not fall below NATIVE_FLOOR
(it was 291 of 329 when the corpus was added; the rest fall back with a reason)."""
import base64
import contextlib
import io
import os
import pickle
import warnings

import numpy as np
import pytest

import pyvorin
from array_testutil import aliasing_diff, value_diff
from notebook_corpus import CASES

NATIVE_FLOOR = 285


def _run(fn, args, seed=12345):
    np.random.seed(seed)
    out = io.StringIO()
    value = exc = None
    with warnings.catch_warnings(record=True) as w, contextlib.redirect_stdout(out):
        warnings.simplefilter("always")
        try:
            value = fn(*args)
        except Exception as e:  # noqa: BLE001 - compared below
            exc = e
    return value, exc, out.getvalue(), [(x.category.__name__, str(x.message)) for x in w]


def _check_function(fn, makers):
    """(differences, native calls, calls) for one function's argument sets."""
    jf = pyvorin.jit(fn)
    problems, native = [], 0
    for k, make in enumerate(makers):
        exp_args, got_args = make(), make()
        before = dict(jf.stats)
        ev, ee, eo, ew = _run(fn, exp_args)
        gv, ge, go, gw = _run(jf, got_args)
        if jf.stats["native_calls"] == before["native_calls"] + 1 and jf.stats["python_calls"] == before["python_calls"]:
            native += 1
        where = "%s#%d" % (fn.__name__, k)
        if (ee is None) != (ge is None) or (ee is not None and (type(ee) is not type(ge) or str(ee) != str(ge))):
            problems.append("%s: raised %r, CPython %r" % (where, ge, ee))
        elif ee is None:
            d = value_diff(ev, gv) or aliasing_diff(ev, gv, exp_args, got_args)
            if d:
                problems.append("%s: %s" % (where, d))
        if eo != go:
            problems.append("%s: printed %r, CPython %r" % (where, go[:200], eo[:200]))
        if ew != gw:
            problems.append("%s: warned %r, CPython %r" % (where, gw, ew))
        for i, (a, b) in enumerate(zip(exp_args, got_args)):
            d = value_diff(a, b, "argument %d after the call" % i)
            if d:
                problems.append("%s: %s" % (where, d))
    return problems, native, len(makers)


def _isolated(fn, makers):
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        try:
            result = _check_function(fn, makers)
        except BaseException as e:  # noqa: BLE001 - reported by the parent
            result = (["harness error in %s: %r" % (fn.__name__, e)], 0, len(makers))
        with os.fdopen(w, "w") as f:
            f.write(base64.b64encode(pickle.dumps(result)).decode())
        os._exit(0)
    os.close(w)
    with os.fdopen(r) as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    if not data:
        return ["%s: the process died (status %d)" % (fn.__name__, status)], 0, len(makers)
    return pickle.loads(base64.b64decode(data))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="runs each function in a forked child")
def test_notebook_corpus():
    problems, native, calls = [], 0, 0
    for fn, makers in CASES:
        p, n, c = _isolated(fn, makers)
        problems += p
        native += n
        calls += c
    assert not problems, "%d differences from CPython:\n%s" % (len(problems), "\n".join(problems[:30]))
    assert native >= NATIVE_FLOOR, "only %d of %d calls ran natively (floor %d)" % (native, calls, NATIVE_FLOOR)
