"""`%load_ext pyvorin` in the stock ipykernel gives the same %%pyvorin: same magics, same report
(JSON equal up to timings, HTML and text equal up to the numbers that measure time)."""
import re
import time

import pytest

from kernel_util import requires_pyvorin, KernelSession, REPORT_MIME

pytestmark = requires_pyvorin

CELL = """%%pyvorin -O3 --show=ir,timing
def poly(n):
    acc = 0
    for i in range(n):
        acc += (3 * i * i + 2 * i + 1) % 11
    return acc

def unused(a, b):
    return a - b

poly(50_000)
"""

# Times, and the object size: the object's debug info holds the kernel's name for the cell file.
VOLATILE = {"timings_ms", "compile_timings_ms", "ms", "seconds", "repeats", "compile_seconds", "speedup", "cache", "object_size"}


def normalise(value):
    """The report without what measures time (or depends on what ran before), and with the
    kernel-specific name of the cell's file made neutral: in the IR's debug info, and as the
    string constant that traceback entries use (whose length, in the IR's array type and the
    assembly's .size, depends on the name too)."""
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [normalise(v) for v in value]
    if isinstance(value, str):
        cell = r"/tmp/(?:ipykernel|xpython)_\d+/\d+\.py"
        value = re.sub(r'\[\d+ x i8\] c"(%s\\00")' % cell, r"[N x i8] c\1", value)
        value = re.sub(r'(\.asciz\s+"%s"\n\s*\.size\s+[^,\n]+, )\d+' % cell, r"\1N", value)
        return re.sub(cell, "<cell>", value)
    return value


def without_numbers(text):
    """Numbers (and the time unit they were scaled to) replaced by N."""
    return re.sub(r"\d+(\.\d+)?( (ns|ms|s)\b)?", "N", text)


def neutral(text):
    """Rendered text without numbers, the kernel's name for the cell file, and the slowest-passes
    line (which passes are slowest varies from run to run)."""
    text = without_numbers(text)
    text = re.sub(r" +N", " N", text)  # right-aligned numbers of other widths
    text = re.sub(r"/tmp/(ipykernel|xpython)_N/N\.py", "<cell>", text)
    return re.sub(r"  passes: .*", "", text)


@pytest.fixture(scope="module")
def both():
    xpy = KernelSession("xpyvorin")
    ipk = KernelSession("python3")
    yield xpy, ipk
    xpy.shutdown()
    ipk.shutdown()


def test_load_ext_registers_the_same_magics(both):
    _, ipk = both
    loaded = ipk.execute("%load_ext pyvorin")
    assert loaded.status == "ok", loaded.reply
    assert loaded.stderr == ""
    names = ipk.execute("sorted(n for n in get_ipython().magics_manager.lsmagic()['cell'] if 'pyvorin' in n),"
                        " sorted(n for n in get_ipython().magics_manager.lsmagic()['line'] if 'pyvorin' in n)")
    assert names.result["text/plain"] == "(['pyvorin'], ['pyvorin', 'pyvorin_cache', 'pyvorin_config', 'pyvorin_report'])"
    # The kernel loaded the very same extension at start.
    assert both[0].execute("%load_ext pyvorin").stdout.startswith("The pyvorin extension is already loaded")


def test_same_report_in_both_kernels(both):
    xpy, ipk = both
    ipk.execute("%load_ext pyvorin")
    for kernel in both:  # (else the second kernel's compile is a disk hit of the first's)
        assert kernel.execute("%pyvorin_cache off").status == "ok"
    ours = xpy.execute(CELL)
    theirs = ipk.execute(CELL)
    assert ours.status == theirs.status == "ok", (ours.reply, theirs.reply)
    assert ours.result == theirs.result
    a, b = ours.report_bundle, theirs.report_bundle
    assert set(a) == set(b) == {"text/html", "text/plain", REPORT_MIME}
    assert normalise(a[REPORT_MIME]) == normalise(b[REPORT_MIME])
    assert a[REPORT_MIME]["comparison"]["same"] is True
    text_a, text_b = (neutral(x["text/plain"]) for x in (a, b))
    assert text_a == text_b
    html_a, html_b = (neutral(x["text/html"]) for x in (a, b))
    assert html_a == html_b


def test_same_errors_in_both_kernels(both):
    xpy, ipk = both
    ipk.execute("%load_ext pyvorin")
    for cell in ("%%pyvorin --nonsense\nx = 1\n", "%%pyvorin\ndef f(:\n  pass\n"):
        ours, theirs = xpy.execute(cell), ipk.execute(cell)
        assert ours.status == theirs.status == "error"
        assert ours.reply["ename"] == theirs.reply["ename"]
        assert ours.reply["evalue"] == theirs.reply["evalue"]


def test_interrupting_a_compiled_loop_in_ipykernel(both):
    _, ipk = both
    ipk.execute("%load_ext pyvorin")
    spin = ("%%pyvorin --quiet\ndef spin_ipk(k):\n    if k < 0:\n        return -k\n    x = 0\n"
            "    while True:\n        x = (x * 31 + k) % 1000003\n    return x\nspin_ipk(-1)\n")
    assert ipk.execute(spin).status == "ok"
    # (stop_on_error=False: else ipykernel aborts the requests that follow an error for a while)
    msg_id = ipk.client.execute("spin_ipk(3)", stop_on_error=False)
    time.sleep(1.0)
    started = time.monotonic()
    ipk.manager.interrupt_kernel()
    result = ipk.collect(msg_id, timeout=30)
    assert result.status == "error" and result.reply["ename"] == "KeyboardInterrupt"
    assert time.monotonic() - started < 2.0
    assert ipk.execute("spin_ipk(-5)").result["text/plain"] == "5"
