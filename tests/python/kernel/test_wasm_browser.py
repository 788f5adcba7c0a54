"""pyvorin.wasm's demo page in a real browser: the module, its loader and page are served by a local
http.server, opened in headless Chromium and driven through the DevTools protocol (tornado's
websocket client, as test_browser_live.py does): text is typed into the inputs, the Run button
clicked, and the result read back and compared with CPython's repr() of the same call."""
import asyncio
import functools
import http.server
import math
import shutil
import subprocess
import threading

import pytest

from kernel_util import DevTools, free_port, requires_pyvorin

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
WASM_LD = shutil.which("wasm-ld-19") or shutil.which("wasm-ld", path="/usr/lib/llvm-19/bin")

pytestmark = [requires_pyvorin,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install-deps.sh)"),
              pytest.mark.skipif(WASM_LD is None, reason="wasm-ld-19 is not installed (lld-19)")]


def diagonal(w: float, h: float) -> float:
    return math.sqrt(w * w + h * h) / 3


def divide(a: int, b: int) -> int:
    return a // b


def above(x: float, limit: float) -> bool:
    print("checking", x, "against", limit)
    return x > limit


def pick(flag: bool, a: int, b: int) -> int:
    return a if flag else b


async def run_form(dt, name, inputs):
    """Types each input of function `name`'s form, clicks Run; returns (result, its class, printed)."""
    done = f"Number(document.getElementById('result-{name}').getAttribute('data-done') || 0)"
    before = await dt.js(done)
    for param, text in inputs.items():
        if isinstance(text, bool):
            await dt.js(f"document.getElementById('{name}-{param}').value = '{text}'")
        else:
            await dt.type_into(f"{name}-{param}", text)
    await dt.click(f"run-{name}")
    await dt.until(f"{done} > {before}", seconds=60, interval=0.1)
    return await dt.js(f"(() => {{ const r = document.getElementById('result-{name}'); return [r.textContent, r.className,"
                       f" document.getElementById('output-{name}').textContent]; }})()")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests = []

    def log_message(self, format, *args):
        QuietHandler.requests.append((self.path, args[1] if len(args) > 1 else ""))


async def drive(port, devtools_port, cases):
    dt = await DevTools.open(devtools_port, f"http://127.0.0.1:{port}/demo.html")
    ws = dt.ws
    await dt.until("document.readyState === 'complete' && !!document.getElementById('status') &&"
                   " !document.getElementById('status').textContent.startsWith('Loading')")
    status = await dt.js("document.getElementById('status').textContent")
    forms = await dt.js("Array.from(document.querySelectorAll('form')).map(f => f.id)")
    results = [await run_form(dt, name, inputs) for name, inputs in cases]
    ws.close()
    return status, forms, results


def test_demo_page_in_chromium(tmp_path):
    from pyvorin.wasm_export import wasm_multi
    site = tmp_path / "site"
    out = wasm_multi([diagonal, divide, above, pick], str(site / "demo.wasm"))
    assert out["html"] == str(site / "demo.html")
    QuietHandler.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    devtools_port = free_port()
    browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
                                f"--remote-debugging-port={devtools_port}", "--window-size=1200,1600", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    cases = [("diagonal", {"w": "3", "h": "4.5"}),
             ("diagonal", {"w": "1e200", "h": "-2.5e-3"}),
             ("divide", {"a": "-7", "b": "2"}),
             ("divide", {"a": "9223372036854775807", "b": "-10"}),
             ("divide", {"a": "1", "b": "0"}),
             ("divide", {"a": "12abc", "b": "1"}),
             ("above", {"x": "2.5", "limit": "0.1"}),
             ("pick", {"flag": True, "a": "1_000", "b": "2"}),
             ("pick", {"flag": False, "a": "1", "b": " -2 "})]
    try:
        status, forms, results = asyncio.run(asyncio.wait_for(drive(server.server_address[1], devtools_port, cases), 180))
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=20)
        except subprocess.TimeoutExpired:
            browser.kill()
            browser.wait()
        server.shutdown()
        server.server_close()
    assert status == "Ready: 4 functions from demo.wasm.", status
    assert forms == ["form-diagonal", "form-divide", "form-above", "form-pick"]
    (d1, c1, _), (d2, _, _), (q1, _, _), (q2, _, _), (zero, zero_class, _), (bad, bad_class, _), (ab, _, printed), \
        (p1, _, _), (p2, _, _) = results
    assert (d1, c1) == (repr(diagonal(3.0, 4.5)), "")
    assert d2 == repr(diagonal(1e200, -2.5e-3))
    assert q1 == repr(divide(-7, 2)) and q2 == repr(divide(2 ** 63 - 1, -10))
    try:
        divide(1, 0)
    except ZeroDivisionError as exc:
        expected = f"ZeroDivisionError: {exc} (in divide, line "
    assert zero.startswith(expected) and zero_class == "error", zero
    try:
        int("12abc")
    except ValueError as exc:
        assert (bad, bad_class) == (f"ValueError: {exc}", "error")
    assert ab == "True" and printed == "checking 2.5 against 0.1\n"
    assert (p1, p2) == (repr(pick(True, int("1_000"), 2)), repr(pick(False, 1, int(" -2 "))))
    served = {path: code for path, code in QuietHandler.requests}
    assert served.get("/demo.html") == "200" and served.get("/demo.js") == "200" and served.get("/demo.wasm") == "200", served
    assert all(code == "200" for code in served.values()), served  # nothing else fetched, nothing missing
