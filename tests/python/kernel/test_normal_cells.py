"""Cells without %%pyvorin behave as in xeus-python/IPython: input(), IPython magics, shell
escapes, rich display, tracebacks; interrupting input() leaves stdin usable."""
import time


def test_input_round_trip(kernel):
    msg_id = kernel.client.execute("name = input('who? ')\nprint('hi', name)", allow_stdin=True)
    request = kernel.client.get_stdin_msg(timeout=30)
    assert request["msg_type"] == "input_request"
    assert request["content"]["prompt"] == "who? "
    kernel.client.input("pyvorin")
    result = kernel.collect(msg_id)
    assert result.status == "ok"
    assert result.stdout == "hi pyvorin\n"


def test_interrupting_input_keeps_stdin_working(kernel):
    msg_id = kernel.client.execute("x = input('again? ')", allow_stdin=True)
    kernel.client.get_stdin_msg(timeout=30)
    time.sleep(0.3)
    kernel.manager.interrupt_kernel()
    result = kernel.collect(msg_id, timeout=30)
    assert result.status == "error" and result.reply["ename"] == "KeyboardInterrupt"
    msg_id = kernel.client.execute("y = input('third? ')", allow_stdin=True)
    kernel.client.get_stdin_msg(timeout=30)
    kernel.client.input("ok")
    assert kernel.collect(msg_id).status == "ok"
    assert kernel.execute("y").result["text/plain"] == "'ok'"


def test_ipython_magics_and_shell(kernel):
    timeit = kernel.execute("%timeit -n 10 -r 1 sum(range(100))")
    assert timeit.status == "ok" and "per loop" in timeit.stdout
    shell = kernel.execute("!echo from-the-shell")
    assert "from-the-shell" in shell.stdout
    who = kernel.execute("alpha_var = 1\n%who_ls")
    assert "alpha_var" in who.result["text/plain"]


def test_rich_display_and_result(kernel):
    result = kernel.execute("from IPython.display import Markdown, display\n"
                            "display(Markdown('**bold**'))\n{'a': 1}")
    assert result.displays[0]["text/markdown"] == "**bold**"
    assert result.result["text/plain"] == "{'a': 1}"


def test_traceback_names_the_error_like_ipykernel(kernel):
    result = kernel.execute("def inner():\n    return 1 / 0\ninner()")
    assert result.status == "error"
    assert result.reply["ename"] == "ZeroDivisionError"
    assert result.error["ename"] == "ZeroDivisionError"
    assert "return 1 / 0" in result.traceback and "inner()" in result.traceback


def test_usage_error_is_an_error_reply(kernel):
    result = kernel.execute("%timeit -Z 1")
    assert result.status == "error" and result.reply["ename"] == "UsageError"
