"""A small synchronous driver for a Jupyter kernel: run code, collect iopub output and the reply."""
import asyncio
import json
import queue
import socket
import urllib.request
import re
import struct
import time
import zlib

import pytest
from jupyter_client.manager import KernelManager

REPORT_MIME = "application/vnd.pyvorin.report+json"


def pyvorin_available():
    """The compiled package (pyvorin + _pyvorin) can be imported from the build tree."""
    try:
        import pyvorin
        from pyvorin import _pyvorin  # noqa: F401
        return hasattr(pyvorin, "jit")
    except Exception:
        return False


requires_pyvorin = pytest.mark.skipif(not pyvorin_available(),
                                      reason="the pyvorin package is not built")


def strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


class Result:
    """What one execute_request produced."""

    def __init__(self, reply, messages):
        self.reply = reply
        self.messages = messages  # iopub (msg_type, content) pairs, in order

    @property
    def status(self):
        return self.reply["status"]

    def of_type(self, msg_type):
        return [c for t, c in self.messages if t == msg_type]

    @property
    def stdout(self):
        return "".join(c["text"] for c in self.of_type("stream") if c["name"] == "stdout")

    @property
    def stderr(self):
        return "".join(c["text"] for c in self.of_type("stream") if c["name"] == "stderr")

    @property
    def displays(self):
        return [c["data"] for c in self.of_type("display_data")]

    @property
    def reports(self):
        return [d[REPORT_MIME] for d in self.displays if REPORT_MIME in d]

    @property
    def report_bundle(self):
        bundles = [d for d in self.displays if REPORT_MIME in d]
        assert len(bundles) == 1, f"expected one report, got {len(bundles)}: {self.messages}"
        return bundles[0]

    @property
    def result(self):
        results = self.of_type("execute_result")
        return results[0]["data"] if results else None

    @property
    def traceback(self):
        """The error reply's traceback as plain text (colours removed)."""
        return strip_ansi("\n".join(self.reply.get("traceback", [])))

    @property
    def error(self):
        errors = self.of_type("error")
        return errors[0] if errors else None


class KernelSession:
    def __init__(self, kernel_name, startup_timeout=60, stderr=None):
        self.kernel_name = kernel_name
        self.manager = KernelManager(kernel_name=kernel_name)
        self.manager.start_kernel(**({"stderr": stderr} if stderr is not None else {}))
        self.process = self.manager.provisioner.process
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=startup_timeout)

    def execute(self, code, timeout=60, **kwargs):
        msg_id = self.client.execute(code, **kwargs)
        return self.collect(msg_id, timeout)

    def collect(self, msg_id, timeout=60):
        deadline = time.monotonic() + timeout
        messages = []
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no idle status within {timeout}s; got {messages}")
            try:
                msg = self.client.get_iopub_msg(timeout=remaining)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status":
                if msg["content"]["execution_state"] == "idle":
                    break
                continue
            messages.append((msg["msg_type"], msg["content"]))
        while True:
            reply = self.client.get_shell_msg(timeout=max(deadline - time.monotonic(), 1))
            if reply["parent_header"].get("msg_id") == msg_id:
                return Result(reply["content"], messages)

    def restart(self, timeout=60):
        old = self.process
        self.manager.restart_kernel(now=False)
        self.process = self.manager.provisioner.process
        self.client.wait_for_ready(timeout=timeout)
        return old

    def shutdown(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=False)


def png_size_and_colours(path):
    """(width, height, distinct byte values in the image data) of a PNG screenshot, without PIL:
    a blank page has very few."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat, pos = b"", 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


# ---- headless Chromium over the DevTools protocol (the browser tests) ----

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(url, timeout=2).read()
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


class DevTools:
    """Just enough of the Chrome DevTools protocol: call a method, evaluate JavaScript."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0

    @classmethod
    async def open(cls, devtools_port, url):
        """Connects to the headless browser's page (on its DevTools port) and navigates it to url."""
        from tornado.websocket import websocket_connect
        targets = json.loads(wait_for(f"http://127.0.0.1:{devtools_port}/json"))
        page = next(t for t in targets if t["type"] == "page")
        ws = await websocket_connect(page["webSocketDebuggerUrl"], max_message_size=64 * 1024 * 1024)
        dt = cls(ws)
        await dt.call("Page.enable")
        await dt.call("Page.navigate", url=url)
        return dt

    async def call(self, method, **params):
        self.next_id += 1
        await self.ws.write_message(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(await self.ws.read_message())
            if message.get("id") == self.next_id:
                assert "error" not in message, message
                return message["result"]

    async def js(self, expression):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    async def until(self, expression, seconds=120, interval=0.2):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if await self.js(expression):
                return
            await asyncio.sleep(interval)
        raise TimeoutError(expression)

    async def type_into(self, element_id, text):
        """Focus the element, clear it, and type text as keyboard input."""
        await self.js(f"(() => {{ const e = document.getElementById({json.dumps(element_id)}); e.focus(); e.select(); }})()")
        await self.call("Input.dispatchKeyEvent", type="rawKeyDown", key="Backspace", code="Backspace",
                        windowsVirtualKeyCode=8)
        await self.call("Input.dispatchKeyEvent", type="keyUp", key="Backspace", code="Backspace", windowsVirtualKeyCode=8)
        await self.call("Input.insertText", text=text)

    async def click(self, element_id):
        box = await self.js(f"(() => {{ const e = document.getElementById({json.dumps(element_id)}); e.scrollIntoView();"
                            " const r = e.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            await self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)
