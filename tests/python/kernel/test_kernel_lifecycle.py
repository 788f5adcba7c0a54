"""Interrupt, restart and shutdown of xpyvorin: Kernel -> Interrupt (SIGINT, as the kernelspec
declares) stops Python code and compiled loops with KeyboardInterrupt within 2 s and the next cell
works; an interrupt while idle is harmless; restart and shutdown exit with 0 and no zmq error."""
import time

import pytest

from kernel_util import requires_pyvorin, KernelSession

INTERRUPT_DEADLINE = 2.0


def interrupt_running(kernel, code, warmup=1.0):
    """Starts `code`, interrupts it once it runs, returns (reply content, seconds to the reply)."""
    msg_id = kernel.client.execute(code, stop_on_error=False)
    # Wait for the cell to be running (busy + execute_input), then a little more.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        msg = kernel.client.get_iopub_msg(timeout=30)
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "execute_input":
            break
    time.sleep(warmup)
    started = time.monotonic()
    kernel.manager.interrupt_kernel()
    result = kernel.collect(msg_id, timeout=30)
    return result, time.monotonic() - started


def assert_keyboard_interrupt(result, seconds):
    assert result.status == "error", result.reply
    assert result.reply["ename"] == "KeyboardInterrupt"
    assert seconds < INTERRUPT_DEADLINE, f"interrupt took {seconds:.2f}s"


def test_interrupt_python_loop(kernel):
    result, seconds = interrupt_running(kernel, "n = 0\nwhile True:\n    n += 1\n")
    assert_keyboard_interrupt(result, seconds)
    assert kernel.execute("n > 0").result["text/plain"] == "True"


def test_interrupt_sleep(kernel):
    result, seconds = interrupt_running(kernel, "import time\ntime.sleep(60)\n")
    assert_keyboard_interrupt(result, seconds)


def test_interrupt_while_idle_is_harmless(kernel):
    for _ in range(3):
        kernel.manager.interrupt_kernel()
        time.sleep(0.2)
    result = kernel.execute("sum(range(10))")
    assert result.status == "ok", result.reply
    assert result.result["text/plain"] == "45"


@requires_pyvorin
def test_interrupt_compiled_while_loop(kernel):
    spin = ("%%pyvorin\ndef spin(k):\n    if k < 0:\n        return -k\n    x = 0\n    while True:\n"
            "        x = (x * 31 + k) % 1000003\n    return x\n")
    defined = kernel.execute(spin + "spin(-1)\n")
    assert defined.status == "ok", defined.reply
    python_calls = kernel.execute("spin.stats['python_calls']").result["text/plain"]
    result, seconds = interrupt_running(kernel, "spin(3)\n")
    assert_keyboard_interrupt(result, seconds)
    # The interrupted call ran native code: compiled for (int,), and not a CPython call.
    assert kernel.execute("spin.compiled, spin.signatures").result["text/plain"] == "(True, [('int',)])"
    assert kernel.execute("spin.stats['python_calls']").result["text/plain"] == python_calls
    assert "while True" in result.traceback
    # Interrupting a %%pyvorin cell whose last expression spins.
    result, seconds = interrupt_running(kernel, spin.replace("spin", "spin2") + "spin2(5)\n")
    assert_keyboard_interrupt(result, seconds)
    # ... which still shows the report of what it compiled, and %pyvorin_report shows that one
    reports = [d for d in result.displays if "application/vnd.pyvorin.report+json" in d]
    assert len(reports) == 1, result.messages
    entry = reports[0]["application/vnd.pyvorin.report+json"]["functions"][0]
    assert entry["name"] == "spin2" and entry["status"] == "compiled", entry["status"]
    again = kernel.execute("%pyvorin_report")
    assert again.status == "ok", again.reply
    assert again.reports[0]["functions"][0]["name"] == "spin2"
    after = kernel.execute("%%pyvorin\ndef after_interrupt(n):\n    return n * 2\nafter_interrupt(21)\n")
    assert after.status == "ok", after.reply
    assert after.result["text/plain"] == "42"


def test_restart_exits_cleanly_and_resets(kernel):
    kernel.execute("survivor = 1")
    old = kernel.restart()
    assert old.wait(10) == 0
    result = kernel.execute("'survivor' in globals()")
    assert result.result["text/plain"] == "False"
    assert kernel.execute("%pyvorin --help").status == "ok"


def test_shutdown_exits_zero_without_zmq_errors(tmp_path):
    log = tmp_path / "kernel-stderr.txt"
    with open(log, "w") as stderr:
        session = KernelSession("xpyvorin", stderr=stderr)
        assert session.execute("x = 1").status == "ok"
        session.manager.interrupt_kernel()  # jupyter_client may interrupt right before shutdown
        process = session.process
        session.shutdown()
        assert process.wait(10) == 0
    text = log.read_text()
    for bad in ("zmq", "Interrupted system call", "terminate called", "Traceback"):
        assert bad not in text, text


@requires_pyvorin
def test_interrupt_of_python_code_does_not_leak_into_native_code(kernel):
    defined = kernel.execute("%%pyvorin --quiet\ndef count_up(n):\n    t = 0\n    for i in range(n):\n"
                             "        t += i\n    return t\ncount_up(10)\n")
    assert defined.status == "ok", defined.reply
    result, seconds = interrupt_running(kernel, "while True:\n    pass\n", warmup=0.5)
    assert_keyboard_interrupt(result, seconds)
    later = kernel.execute("count_up(20_000_000)")
    assert later.status == "ok", later.reply
    assert later.result["text/plain"] == str(sum(range(20_000_000)))


@requires_pyvorin
def test_interrupt_a_long_compile(kernel):
    # Kernel -> Interrupt while LLVM compiles a long function: the compile stops (it runs without
    # the GIL and polls the interrupt between passes) instead of finishing first.
    cell = (
        "import linecache, pyvorin\n"
        "lines = ['def long_one(a: int, b: int) -> int:', '    x = a', '    y = b']\n"
        "for i in range(12000):\n"
        "    lines.append(f'    x = x + y * {i % 7 + 1}' if i % 2 else f'    y = y - x // {i % 5 + 1}')\n"
        "lines.append('    return x + y')\n"
        "src = '\\n'.join(lines) + '\\n'\n"
        "linecache.cache['<long_one>'] = (len(src), None, src.splitlines(True), '<long_one>')\n"
        "ns = {}\n"
        "exec(compile(src, '<long_one>', 'exec'), ns)\n"
        "compiled = pyvorin.jit(ns['long_one'], opt_level=3, cache=False)\n")
    result, seconds = interrupt_running(kernel, cell, warmup=1.0)
    assert_keyboard_interrupt(result, seconds)
    after = kernel.execute("%%pyvorin\ndef after_compile_interrupt(n):\n    return n + 1\nafter_compile_interrupt(41)\n")
    assert after.status == "ok", after.reply
    assert after.result["text/plain"] == "42"
