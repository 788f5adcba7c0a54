"""Errors raised inside native code: the same Python exception with the Python source line in the
traceback; RecursionError instead of a crash; SIGINT stops a native loop with KeyboardInterrupt;
the GIL is released while a pure native loop runs."""
import math
import os
import selectors
import signal
import threading
import time
import traceback

import pytest

import pyvorin
from pyvorin_testutil import line_of, pure_cpython, py_of, run_python, start_python

NAN = float("nan")
INF = float("inf")


def int_floordiv(a, b):
    x = a + 1
    y = x // b
    return y


def int_mod(a, b):
    x = a * 2
    return x % b


def float_div(a, b):
    x = a * 0.5
    r = x / b
    return r


def shift_negative(a, b):
    k = b - 1
    return a << k


def range_step(n, step):
    s = 0
    for i in range(0, n, step):
        s += i
    return s


def float_to_int(x):
    y = x * 2.0
    return int(y)


def infinity_to_int(x):
    y = x * 2.0
    return int(y)


def sqrt_domain(x):
    y = x - 1.0
    return math.sqrt(y)


def exp_range(x):
    y = x + 1.0
    return math.exp(y)


def unbound(flag):
    if flag > 0:
        v = 3
    return v + 1


def loop_div(n, d):
    s = 0
    for i in range(n):
        s += i
        if i == 5:
            s = s // d
    return s


@pyvorin.jit
def callee_div(a, b):
    t = a - 1
    return t // b


@pyvorin.jit
def caller_div(a, b):
    u = a + 1
    v = callee_div(u, b)
    return v + 1


def print_then_overflow(x):
    print("start", x)
    return x * x


# (function, warm-up args that run natively, failing args, exception, marker of the failing line)
CASES = [
    (int_floordiv, (7, 2), (7, 0), ZeroDivisionError, "y = x // b"),
    (int_mod, (7, 2), (7, 0), ZeroDivisionError, "return x % b"),
    (float_div, (7.0, 2.0), (7.0, 0.0), ZeroDivisionError, "r = x / b"),
    (shift_negative, (1, 3), (1, 0), ValueError, "return a << k"),
    (range_step, (10, 2), (10, 0), ValueError, "for i in range(0, n, step)"),
    (float_to_int, (2.5,), (NAN,), ValueError, "return int(y)"),
    (infinity_to_int, (2.5,), (INF,), OverflowError, "return int(y)"),
    (sqrt_domain, (5.0,), (0.0,), ValueError, "return math.sqrt(y)"),
    (exp_range, (1.0,), (1000.0,), OverflowError, "return math.exp(y)"),
    (unbound, (1,), (0,), UnboundLocalError, "return v + 1"),
    (loop_div, (10, 2), (10, 0), ZeroDivisionError, "s = s // d"),
]


def innermost(exc):
    frames = traceback.extract_tb(exc.__traceback__)
    assert frames, "no traceback"
    return frames[-1], frames


@pytest.mark.parametrize("fn,warm,args,exc,marker", CASES, ids=[c[0].__name__ for c in CASES])
def test_native_error_has_python_line(fn, warm, args, exc, marker):
    jf = pyvorin.jit(fn)
    assert jf(*warm) == fn(*warm)
    assert jf.compiled and jf.fallback_reason is None, jf.fallback_reason
    native_before = jf.stats["native_calls"]
    with pytest.raises(exc) as info:
        jf(*args)
    with pytest.raises(exc) as reference:
        fn(*args)
    assert str(info.value) == str(reference.value)
    assert jf.stats["native_calls"] == native_before + 1, jf.stats
    entry, frames = innermost(info.value)
    assert entry.name == fn.__name__, [(f.name, f.lineno) for f in frames]
    assert entry.lineno == line_of(fn, marker), [(f.name, f.lineno) for f in frames]


def test_traceback_names_the_source_file():
    jf = pyvorin.jit(int_floordiv)
    jf(1, 1)
    with pytest.raises(ZeroDivisionError) as info:
        jf(1, 0)
    entry, _ = innermost(info.value)
    assert os.path.abspath(entry.filename) == os.path.abspath(__file__), entry.filename
    assert "y = x // b" in "".join(traceback.format_tb(info.value.__traceback__))


def test_error_in_native_callee_shows_callee_then_caller():
    assert caller_div(10, 3) == 4
    assert caller_div.compiled and caller_div.fallback_reason is None
    with pytest.raises(ZeroDivisionError) as info:
        caller_div(10, 0)
    entry, frames = innermost(info.value)
    assert entry.name == "callee_div" and entry.lineno == line_of(callee_div, "return t // b"), \
        [(f.name, f.lineno) for f in frames]
    names = [(f.name, f.lineno) for f in frames]
    assert ("caller_div", line_of(caller_div, "v = callee_div(u, b)")) in names, names
    assert names.index(("caller_div", line_of(caller_div, "v = callee_div(u, b)"))) < len(names) - 1


def test_error_then_normal_call_still_works():
    jf = pyvorin.jit(int_floordiv)
    for _ in range(3):
        with pytest.raises(ZeroDivisionError):
            jf(5, 0)
        assert jf(5, 2) == 3


def test_overflow_after_print_is_exact_or_names_function_and_line(capsys):
    jf = pyvorin.jit(print_then_overflow)
    assert jf(4) == 16
    capsys.readouterr()
    x = 2**40
    try:
        got = jf(x)
    except OverflowError as e:
        line = line_of(print_then_overflow, "return x * x")
        assert "print_then_overflow" in str(e) and str(line) in str(e), str(e)
        entry, frames = innermost(e)
        assert entry.name == "print_then_overflow" and entry.lineno == line, \
            [(f.name, f.lineno) for f in frames]
    else:
        assert got == x * x and type(got) is int
    assert capsys.readouterr().out == "start %d\n" % x


# ---------------------------------------------------------------------------------------------
# RecursionError, not a segfault (in a subprocess so a crash cannot take pytest down)
# ---------------------------------------------------------------------------------------------
RECURSION_SCRIPT = '''
import sys
import pyvorin

@pyvorin.jit
def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1

@pyvorin.jit
def forever(n):
    return forever(n + 1) + 1

@pyvorin.jit
def mutual_a(n):
    return mutual_b(n + 1) + 1

@pyvorin.jit
def mutual_b(n):
    return mutual_a(n + 1) - 1

print("small", down(100), down.compiled, down.fallback_reason is None)
limit = sys.getrecursionlimit()
print("deep", down(limit - 100) == limit - 100)
for name, fn, arg in [("down", down, 10**7), ("forever", forever, 0), ("mutual", mutual_a, 0)]:
    try:
        fn(arg)
        print(name, "returned")
    except RecursionError as e:
        print(name, "RecursionError", type(e).__name__)
print("after", down(200))
print("native", down.stats["native_calls"] >= 3)
'''


def test_runaway_recursion_raises_recursion_error():
    r = run_python(RECURSION_SCRIPT, timeout=120)
    assert r.returncode == 0, "exit %d (negative = killed by a signal)\n%s\n%s" % (
        r.returncode, r.stdout, r.stderr[-3000:])
    lines = r.stdout.splitlines()
    assert lines == [
        "small 100 True True",
        "deep True",
        "down RecursionError RecursionError",
        "forever RecursionError RecursionError",
        "mutual RecursionError RecursionError",
        "after 200",
        "native True",
    ], r.stdout


# ---------------------------------------------------------------------------------------------
# SIGINT stops a native loop with KeyboardInterrupt
# ---------------------------------------------------------------------------------------------
SIGINT_SCRIPT = '''
import sys
import time
import pyvorin

def spin_while(n):
    i = 0
    x = 0
    while i < n:
        x = (x * 31 + i) % 1000003
        i += 1
    return x

def spin_for(n):
    x = 0
    for i in range(n):
        x = (x * 31 + i) % 1000003
    return x

def spin_nested(n):
    x = 0
    for i in range(n):
        for j in range(n):
            x = (x + i * j) % 1000003
    return x

def spin_forever(k):
    if k < 0:
        return -k
    x = 0
    while True:
        x = (x * 31 + k) % 1000003
        if x == -1:
            break
    return x

KIND = "KIND_PLACEHOLDER"
fn = {"while": spin_while, "for": spin_for, "nested": spin_nested, "forever": spin_forever}[KIND]
jf = pyvorin.jit(fn)
small = -5 if KIND == "forever" else 30
assert jf(small) == fn(small)
assert jf.compiled and jf.fallback_reason is None, jf.fallback_reason
big = 7 if KIND == "forever" else (2**31 if KIND == "nested" else 2**62)
print("READY", flush=True)
t0 = time.monotonic()
try:
    jf(big)
    print("FINISHED", flush=True)
except KeyboardInterrupt as e:
    import traceback
    last = traceback.extract_tb(e.__traceback__)[-1]
    print("KI", flush=True)
    print("at", last.name, last.lineno, flush=True)
print("native", jf.stats["native_calls"], jf.compiled, flush=True)
print("AGAIN", jf(small) == fn(small), flush=True)
'''


def wait_for_line(proc, text, timeout):
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        if sel.select(timeout=max(0.0, deadline - time.monotonic())):
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line)
            if line.strip() == text:
                return seen
    return None


@pytest.mark.parametrize("kind", ["while", "for", "nested", "forever"])
def test_sigint_interrupts_native_loop(kind, tmp_path):
    proc = start_python(SIGINT_SCRIPT.replace("KIND_PLACEHOLDER", kind), tmp_path)
    try:
        seen = wait_for_line(proc, "READY", timeout=60)
        assert seen is not None, "child never got ready: %s" % proc.stderr.read()
        time.sleep(0.5)
        assert proc.poll() is None, "the loop ended before SIGINT"
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        try:
            out, err = proc.communicate(timeout=10)
        except Exception:
            proc.kill()
            out, err = proc.communicate()
            pytest.fail("SIGINT did not stop the native loop within 10 s: %s %s" % (out, err))
        elapsed = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, (proc.returncode, out, err)
    lines = out.splitlines()
    assert "KI" in lines, (out, err)
    assert any(line.startswith("native ") and line.split()[1] != "0" for line in lines), out
    assert "AGAIN True" in lines, out
    assert elapsed < 2.5, "KeyboardInterrupt took %.2f s after SIGINT" % elapsed
    # The traceback points into the interrupted function, at a line of its loop.
    script = SIGINT_SCRIPT.replace("KIND_PLACEHOLDER", kind).splitlines()
    name = "spin_" + kind
    start = next(i for i, t in enumerate(script) if t.startswith("def %s(" % name)) + 1
    end = next(i for i, t in enumerate(script[start:], start) if t and not t.startswith(" ")) + 1
    at = [line for line in lines if line.startswith("at ")]
    assert at and at[0].split()[1] == name, (at, out)
    assert start < int(at[0].split()[2]) < end, (at, start, end)


# ---------------------------------------------------------------------------------------------
# The GIL is released while pure native code runs
# ---------------------------------------------------------------------------------------------
def busy(n):
    i = 0
    x = 0
    while i < n:
        x = (x * 31 + i) % 1000003
        i += 1
    return x


def test_gil_released_during_native_loop():
    jf = pyvorin.jit(busy)
    assert jf(1000) == busy(1000)
    assert jf.compiled and jf.fallback_reason is None
    n = 10**6
    t = time.perf_counter()
    jf(n)
    dt = max(time.perf_counter() - t, 1e-6)
    n = min(int(n * 0.8 / dt), 10**11)  # about 0.8 s of native work

    stamps = []
    stop = threading.Event()
    started = threading.Event()

    def worker():
        started.set()
        k = 0
        while not stop.is_set():
            k += 1
            if k % 200 == 0:
                stamps.append(time.perf_counter())

    th = threading.Thread(target=worker, daemon=True)
    th.start()
    started.wait()
    time.sleep(0.05)
    t0 = time.perf_counter()
    jf(n)
    t1 = time.perf_counter()
    stop.set()
    th.join(10)
    assert t1 - t0 > 0.3, "the native call was too short to measure (%.3f s)" % (t1 - t0)
    margin = 0.05
    inside = [s for s in stamps if t0 + margin < s < t1 - margin]
    assert len(inside) >= 5, (
        "the Python thread made no progress while the native loop ran for %.2f s "
        "(%d stamps inside, %d total): the GIL is held" % (t1 - t0, len(inside), len(stamps)))


def test_concurrent_calls_from_threads_are_correct():
    jf = pyvorin.jit(busy)
    expected = {n: busy(n) for n in range(1000, 1040)}
    errors = []

    def hammer():
        for _ in range(10):
            for n, want in expected.items():
                got = jf(n)
                if got != want:
                    errors.append((n, got, want))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors[:10]
    assert jf.stats["native_calls"] == 4 * 10 * len(expected)


def print_lines(k):
    for i in range(40):
        print("thread", k, "line", i, i * 0.5)


def test_prints_from_threads_keep_whole_lines(capsys):
    jf = pyvorin.jit(print_lines)
    threads = [threading.Thread(target=jf, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 160
    for k in range(4):
        mine = [line for line in lines if line.startswith("thread %d " % k)]
        assert mine == ["thread %d line %d %r" % (k, i, i * 0.5) for i in range(40)], mine[:5]


def test_errors_in_threads_stay_in_their_thread():
    jf = pyvorin.jit(int_floordiv)
    results = {}

    def call(k):
        try:
            results[k] = jf(k, k % 2)  # odd k divide by 1, even k by zero
        except ZeroDivisionError as e:
            results[k] = type(e).__name__

    threads = [threading.Thread(target=call, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == {k: (k + 1 if k % 2 else "ZeroDivisionError") for k in range(8)}


RECURSION_LIMIT_SCRIPT = '''
import sys
import pyvorin

@pyvorin.jit
def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1

print(down(10))
sys.setrecursionlimit(60)
try:
    print("limit 60:", down(200))
except RecursionError:
    print("limit 60: RecursionError")
sys.setrecursionlimit(5000)
try:
    print("limit 5000:", down(4000))
except RecursionError:
    print("limit 5000: RecursionError")
'''


def test_recursion_limit_is_honoured():
    r = run_python(RECURSION_LIMIT_SCRIPT, timeout=120)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr[-2000:])
    assert r.stdout.splitlines() == ["10", "limit 60: RecursionError", "limit 5000: 4000"], r.stdout


# Overflow after output printed by a native callee: never printed twice (no silent rerun);
# either CPython's exact result or OverflowError naming the function and line that overflowed.
@pyvorin.jit
def noisy(x):
    print("noisy", x)
    return x


@pyvorin.jit
def square(x):
    return x * x


@pyvorin.jit
def outer_prints_via_callee(x):
    y = noisy(x)
    return y * y


@pyvorin.jit
def outer_prints_then_callee_overflows(x):
    print("outer", x)
    return square(x) + 1


@pyvorin.jit
def inner_prints_and_overflows(x):
    print("inner", x)
    return x * x


@pyvorin.jit
def outer_calls_printing_overflow(x):
    return inner_prints_and_overflows(x) + 1


@pytest.mark.parametrize("fn,out,where,marker", [
    (outer_prints_via_callee, "noisy %d\n", outer_prints_via_callee, "return y * y"),
    (outer_prints_then_callee_overflows, "outer %d\n", square, "return x * x"),
    (outer_calls_printing_overflow, "inner %d\n", inner_prints_and_overflows, "return x * x"),
], ids=["callee_printed", "caller_printed", "overflowing_callee_printed"])
def test_overflow_after_print_through_calls(fn, out, where, marker, capsys):
    assert fn(3) in (9, 10)
    assert capsys.readouterr().out == out % 3
    x = 2**40
    with pyvorin.disabled():
        with pure_cpython(fn):
            expected = py_of(fn)(x)
    assert capsys.readouterr().out == out % x
    try:
        got = fn(x)
    except OverflowError as e:
        name = py_of(where).__name__
        line = line_of(where, marker)
        assert name in str(e) and str(line) in str(e), str(e)
    else:
        assert got == expected and type(got) is int
    assert capsys.readouterr().out == out % x, "printed output must appear exactly once"


THREAD_SIGINT_SCRIPT = '''
import threading
import time
import pyvorin

def spin(n):
    i = 0
    x = 0
    while i < n:
        x = (x * 31 + i) % 1000003
        i += 1
    return x

jf = pyvorin.jit(spin)
assert jf(1000) == spin(1000)
assert jf.compiled and jf.fallback_reason is None
n = 10**6
t = time.perf_counter()
jf(n)
dt = max(time.perf_counter() - t, 1e-6)
n = int(n * 2.5 / dt)       # about 2.5 s of native work in the worker
result = {}

def worker():
    try:
        result["value"] = jf(n)
    except KeyboardInterrupt:
        result["value"] = "KeyboardInterrupt"

th = threading.Thread(target=worker)
th.start()
print("READY", flush=True)
try:
    time.sleep(30)
    print("main: slept", flush=True)
except KeyboardInterrupt:
    print("main: KeyboardInterrupt", flush=True)
th.join()
print("worker:", "finished" if isinstance(result.get("value"), int) else result.get("value"), flush=True)
'''


def interrupt_when_ready(script, tmp_path):
    """Runs script in a fresh interpreter and sends it SIGINT 0.5 s after it prints READY."""
    proc = start_python(script, tmp_path)
    try:
        assert wait_for_line(proc, "READY", timeout=60) is not None, proc.stderr.read()
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc, out, err


def test_sigint_goes_to_the_main_thread_only(tmp_path):
    # CPython raises KeyboardInterrupt in the main thread only; a native loop running in another
    # thread must carry on, as the same loop would in CPython.
    proc, out, err = interrupt_when_ready(THREAD_SIGINT_SCRIPT, tmp_path)
    assert proc.returncode == 0, (out, err)
    assert out.splitlines() == ["main: KeyboardInterrupt", "worker: finished"], (out, err)


# the native loop the handler tests interrupt (the scripts import pyvorin and time first)
SPIN_SOURCE = '''
def spin(n):
    i = 0
    x = 0
    while i < n:
        x = (x * 31 + i) % 1000003
        i += 1
    return x


def calibrated(seconds):
    """spin compiled, and the n for which it runs natively for about `seconds`."""
    jf = pyvorin.jit(spin)
    assert jf(1000) == spin(1000)
    n = 10**6
    t = time.perf_counter()
    jf(n)
    dt = max(time.perf_counter() - t, 1e-6)
    return jf, int(n * seconds / dt)
'''

HANDLER_SIGINT_SCRIPT = '''
import signal
import time
import pyvorin
''' + SPIN_SOURCE + '''
jf, n = calibrated(2.0)
calls = []
MODE = "MODE_PLACEHOLDER"
if MODE == "handler":
    signal.signal(signal.SIGINT, lambda signum, frame: calls.append(signum))
else:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
print("READY", flush=True)
try:
    jf(n)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
time.sleep(0.1)
print("handler calls:", len(calls), flush=True)
'''


@pytest.mark.parametrize("mode,expected", [
    ("handler", ["finished", "handler calls: 1"]),
    ("ignore", ["finished", "handler calls: 0"]),
])
def test_sigint_respects_the_python_handler(mode, expected, tmp_path):
    # A user's own SIGINT handler (or SIG_IGN) replaces KeyboardInterrupt in CPython: the handler
    # runs and the loop carries on. The native loop must not raise KeyboardInterrupt instead.
    proc, out, err = interrupt_when_ready(HANDLER_SIGINT_SCRIPT.replace("MODE_PLACEHOLDER", mode), tmp_path)
    assert proc.returncode == 0, (out, err)
    assert out.splitlines() == expected, (out, err)


REPLACED_HOOK_SCRIPT = '''
import ctypes
import signal
import time
import pyvorin
''' + SPIN_SOURCE + '''
getsig = ctypes.pythonapi.PyOS_getsig
getsig.restype = ctypes.c_void_p
getsig.argtypes = [ctypes.c_int]
setsig = ctypes.pythonapi.PyOS_setsig
setsig.restype = ctypes.c_void_p
setsig.argtypes = [ctypes.c_int, ctypes.c_void_p]
cpython_handler = getsig(signal.SIGINT)   # CPython's C handler: no call has installed the hook yet

jf, n = calibrated(6.0)
assert getsig(signal.SIGINT) != cpython_handler   # the calls installed the hook
MODE = "MODE_PLACEHOLDER"
jf(1000)                    # the hook was checked a moment ago
if MODE == "python":
    # What ipykernel does before every cell: CPython's handler replaces the hook.
    signal.signal(signal.SIGINT, signal.default_int_handler)
else:
    # The same from C, which no Python wrapper sees.
    setsig(signal.SIGINT, cpython_handler)
    time.sleep(0.1)
assert getsig(signal.SIGINT) == cpython_handler
print("READY", flush=True)
t = time.perf_counter()
try:
    jf(n)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("KeyboardInterrupt", flush=True)
print("elapsed %.2f" % (time.perf_counter() - t), flush=True)
'''


@pytest.mark.parametrize("mode", ["python", "c"])
def test_sigint_hook_comes_back_after_a_handler_change(mode, tmp_path):
    # A call checks that the SIGINT hook is installed only when `_signal.signal` ran since the
    # last check, or when that check is over 10 ms old (a system call costs as much as the rest
    # of a call). Either way, a loop started after the handler changed must still stop on Ctrl-C.
    proc, out, err = interrupt_when_ready(REPLACED_HOOK_SCRIPT.replace("MODE_PLACEHOLDER", mode), tmp_path)
    assert proc.returncode == 0, (out, err)
    lines = out.splitlines()
    assert lines[0] == "KeyboardInterrupt", (out, err)
    # Interrupted about 0.5 s into about 6 s of work, not at the end of it.
    assert float(lines[1].split()[1]) < 3.0, (out, err)


def test_signal_signal_stays_cpythons():
    # pyvorin wraps `_signal.signal` to learn when a handler changes; nothing else may differ.
    import _signal
    import pickle
    import inspect
    import pyvorin  # noqa: F401
    wrapped = _signal.signal
    assert repr(wrapped) == "<built-in function signal>"
    assert wrapped.__module__ == "_signal" and wrapped.__self__ is _signal
    assert str(inspect.signature(wrapped)) == "(signalnum, handler, /)"
    assert wrapped.__doc__.startswith("Set the action for the given signal.")
    assert pickle.loads(pickle.dumps(wrapped)) is wrapped
    previous = signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    try:
        assert signal.getsignal(signal.SIGUSR1) == signal.SIG_IGN
        assert _signal.signal(signal.SIGUSR1, int(signal.SIG_DFL)) == signal.SIG_IGN
        assert signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL
    finally:
        signal.signal(signal.SIGUSR1, previous)
    for args, kwargs, error, message in [
        ((999, signal.SIG_IGN), {}, ValueError, "signal number out of range"),
        ((signal.SIGUSR1,), {}, TypeError, "signal expected 2 arguments, got 1"),
        ((signal.SIGUSR1, 5), {}, TypeError, "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object"),
        ((), {"signalnum": 2, "handler": signal.SIG_IGN}, TypeError, "_signal.signal() takes no keyword arguments"),
    ]:
        with pytest.raises(error) as info:
            wrapped(*args, **kwargs)
        assert str(info.value) == message


SMALL_STACK_SCRIPT = '''
import threading
import pyvorin

@pyvorin.jit
def down(n):
    if n == 0:
        return 0
    return down(n - 1) + 1

assert down(10) == 10
result = {}

def work():
    try:
        result["value"] = down(900)
    except RecursionError as e:
        result["value"] = "RecursionError: %s" % e

for size in [0, 512 * 1024]:
    threading.stack_size(size)
    t = threading.Thread(target=work)
    t.start()
    t.join()
    print(size, result["value"])
'''


def test_recursion_within_the_limit_works_in_threads():
    # Depth 900 is within CPython's default limit (1000) and CPython 3.11 needs no C stack for it,
    # so it works in any thread; native code must not give up earlier (nor crash).
    r = run_python(SMALL_STACK_SCRIPT, timeout=120)
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr[-2000:])
    assert r.stdout.splitlines() == ["0 900", "524288 900"], r.stdout


def scaled_sum(a, n):
    s = 0
    for i in range(n):
        s += a * i
    return s


def test_overflow_reruns_from_threads_are_exact():
    # Pure native code runs without the GIL; the CPython rerun after an overflow takes it back.
    jf = pyvorin.jit(scaled_sum)
    cases = [(2**40, 10**5), (3, 10**5), (2**50, 10**4), (-2**45, 10**5)]
    expected = {c: scaled_sum(*c) for c in cases}
    errors = []

    def hammer():
        for _ in range(3):
            for c in cases:
                try:
                    got = jf(*c)
                except Exception as e:  # noqa: BLE001
                    got = e
                if got != expected[c] or type(got) is not int:
                    errors.append((c, got))

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors[:5]
