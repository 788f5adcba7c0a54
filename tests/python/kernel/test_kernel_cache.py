"""The disk compile cache in the kernel (docs/cache.md): a %%pyvorin cell re-run after a kernel
restart loads its compiled code from disk, and its report says "disk hit" and shows everything
(AST, types, IR, optimised IR, assembly, line map); %pyvorin_cache lists, limits and clears."""
import os

import pytest

from kernel_util import KernelSession, REPORT_MIME, pyvorin_available, strip_ansi

pytestmark = pytest.mark.skipif(not pyvorin_available(), reason="xpyvorin is not built")

CELL = """%%pyvorin --show=asm
def collatz_len(n):
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps

def longest(limit):
    best, arg = 0, 1
    for i in range(1, limit):
        c = collatz_len(i)
        if c > best:
            best, arg = c, i
    return arg

longest(3000)
"""


@pytest.fixture()
def kernel(tmp_path, monkeypatch):
    monkeypatch.setenv("PYVORIN_CACHE_DIR", str(tmp_path / "cache"))
    k = KernelSession("xpyvorin")
    yield k
    k.shutdown()


def function_report(result, name):
    report = result.report_bundle[REPORT_MIME]
    return next(f for f in report["functions"] if f["name"] == name)


def test_a_restarted_kernel_hits_the_disk_cache_with_the_full_report(kernel, tmp_path):
    first = kernel.execute(CELL, timeout=120)
    assert first.status == "ok", first.reply
    assert first.result["text/plain"] == "2919"
    f1 = function_report(first, "longest")
    assert f1["status"] == "compiled" and f1["cache"] == "miss"
    kernel.restart()
    second = kernel.execute(CELL, timeout=120)
    assert second.status == "ok", second.reply
    assert second.result["text/plain"] == "2919"
    f2 = function_report(second, "longest")
    assert f2["status"] == "compiled" and f2["cache"] == "disk hit"
    for field in ("ast", "types", "ir", "opt_ir", "asm", "line_map", "signatures", "remarks", "passes"):
        assert f2[field] == f1[field], field  # the same compile's record, in full
    assert set(f2["timings_ms"]) >= {"cache", "load", "total"}
    assert set(f2["compile_timings_ms"]) >= {"parse", "infer", "lower", "optimize", "codegen"}
    html = second.report_bundle["text/html"]
    assert "cache: disk hit" in html
    assert "disk hit" in strip_ansi(second.report_bundle["text/plain"])
    # the helper compiled into longest is a disk hit too when it is read on its own
    helper = kernel.execute("collatz_len.report['cache'], collatz_len(27)")
    assert helper.result["text/plain"] == "('disk hit', 111)"


def test_pyvorin_cache_magic(kernel, tmp_path):
    assert kernel.execute(CELL, timeout=120).status == "ok"
    info = kernel.execute("%pyvorin_cache")
    assert info.status == "ok" and str(tmp_path / "cache") in info.stdout and "entries:" in info.stdout
    listing = kernel.execute("%pyvorin_cache list")
    assert "longest(int)" in listing.stdout and " ok" in listing.stdout
    limit = kernel.execute("%pyvorin_cache limit 64M")
    assert "limited to 64.0 MiB" in limit.stdout
    bad = kernel.execute("%pyvorin_cache limit lots")
    assert bad.status == "error" and "size limit" in bad.reply.get("evalue", "")
    unknown = kernel.execute("%pyvorin_cache frobnicate")
    assert unknown.status == "error" and "unknown command" in unknown.reply.get("evalue", "")
    off = kernel.execute("%pyvorin_cache off")
    assert "off" in off.stdout
    again = kernel.execute(CELL.replace("3000", "2000"), timeout=120)
    assert function_report(again, "longest")["cache"] in ("hit", "miss")
    cleared = kernel.execute("%pyvorin_cache clear")
    assert cleared.status == "ok" and "removed" in cleared.stdout
    assert [f for f in os.listdir(tmp_path / "cache") if f.endswith((".o", ".json"))] == []
