"""A scalar loop inside a function that holds objects runs without the GIL (issue 7 §4): other
threads run meanwhile, and every way out of the loop (normal end, return, overflow rerun,
KeyboardInterrupt) takes the GIL back before objects are touched again."""
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
