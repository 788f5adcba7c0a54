"""A loop over scalars and native lists inside a function that holds objects runs without the
GIL (issue 7 §4): other threads run meanwhile, and every way out of the loop (normal end, return,
overflow rerun, IndexError, MemoryError, KeyboardInterrupt) takes the GIL back before objects are
touched again."""
import os
import signal
import threading

import pytest

import pyvorin


@pyvorin.jit
def scalar_then_append(xs, n):
    t = 0
    for i in range(n):
        t += i % 7
    xs.append(t)
    return xs


@pyvorin.jit
def early_return(xs, n):
    for i in range(n):
        if i == 1000:
            return xs + [i]
    return xs


@pyvorin.jit
def overflows(xs, n):
    t = 1
    for i in range(n):
        t *= 3
    return xs + [t]


@pyvorin.jit
def native_sieve(n):
    flags = [True] * (n + 1)
    count = 0
    for i in range(2, n + 1):
        if flags[i]:
            count += 1
            for j in range(i * i, n + 1, i):
                flags[j] = False
    return count


@pyvorin.jit
def native_walk(n, steps):
    xs = [0] * n
    pos = 0
    for s in range(steps):
        xs[pos] += 1
        pos = (pos * 5 + 1) % (n + 1)  # reaches n: IndexError, raised with the GIL taken back
    return xs


@pyvorin.jit
def native_stack(n):
    stack = []
    total = 0
    for i in range(n):
        stack.append(i)
        if i % 3 == 0:
            total += stack.pop()
    return total, len(stack)


def test_other_threads_run_during_a_native_list_loop():
    ticks = [0]
    stop = [False]

    def ticker():
        while not stop[0]:
            ticks[0] += 1

    assert native_sieve(100) == 25
    th = threading.Thread(target=ticker)
    th.start()
    try:
        for _ in range(5):
            assert native_sieve(3_000_000) == 216816
    finally:
        stop[0] = True
        th.join()
    assert ticks[0] > 1000, ticks[0]
    assert "gil" not in native_sieve.report.get("fallback_reason", "") and native_sieve.stats["native_calls"] == 6
    assert any("PyEval_SaveThread" in e["functions"] for e in native_sieve.report["object_lines"])


def test_errors_inside_a_native_list_loop_take_the_gil_back():
    with pytest.raises(IndexError, match="^list index out of range$"):
        native_walk(7, 1000)
    assert native_stack(10) == native_stack.py_func(10) == (18, 6)
    assert native_stack(100_000) == native_stack.py_func(100_000)
    assert native_walk.stats["native_calls"] == 1 and native_stack.stats["native_calls"] == 2


def test_other_threads_run_during_the_scalar_loop():
    ticks = [0]
    stop = [False]

    def ticker():
        while not stop[0]:
            ticks[0] += 1

    scalar_then_append([], 10)
    th = threading.Thread(target=ticker)
    th.start()
    try:
        xs = []
        out = scalar_then_append(xs, 200_000_000)
    finally:
        stop[0] = True
        th.join()
    assert out is xs and xs == [sum(i % 7 for i in range(7)) * (200_000_000 // 7) + sum(range(200_000_000 % 7))]
    assert ticks[0] > 1000, ticks[0]
    assert scalar_then_append.stats["native_calls"] >= 2


def test_return_and_overflow_inside_the_loop_take_the_gil_back():
    assert early_return([1], 10**6) == [1, 1000]
    assert early_return([1], 10) == [1]
    assert overflows([7], 10) == [7, 3**10]
    assert overflows([7], 60) == [7, 3**60]  # int64 overflow: rerun in CPython, exact
    assert overflows.stats["python_calls"] >= 1


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_interrupt_inside_the_loop():
    scalar_then_append([], 10)
    timer = threading.Timer(0.3, lambda: os.kill(os.getpid(), signal.SIGINT))
    timer.start()
    xs = [1]
    with pytest.raises(KeyboardInterrupt):
        scalar_then_append(xs, 2**62)
    timer.join()
    assert xs == [1]
    assert scalar_then_append([], 14) == [sum(i % 7 for i in range(14))]
