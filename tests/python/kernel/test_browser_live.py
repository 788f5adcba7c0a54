"""A walk-through in a real browser: Debian's Classic Notebook server (`jupyter notebook`) with the
xpyvorin kernel, driven by headless Chromium through the DevTools protocol (tornado's websocket
client; no other package needed). Cells are run from the page as a user runs them; the test then
reads the page: prompts and execution counts, the rendered report and its computed styles, the
error output of a cell with a SyntaxError, and a screenshot."""
import asyncio
import base64
import shutil
import subprocess

import nbformat
import pytest

from kernel_util import DevTools, free_port, png_size_and_colours, requires_pyvorin, wait_for

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
JUPYTER = shutil.which("jupyter")


def notebook_available():
    if JUPYTER is None:
        return False
    done = subprocess.run([JUPYTER, "notebook", "--version"], capture_output=True, text=True)
    return done.returncode == 0


pytestmark = [requires_pyvorin,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install-deps.sh)"),
              pytest.mark.skipif(not notebook_available(), reason="jupyter notebook is not installed")]

CELLS = [
    "%%pyvorin --show=line-map\ndef tri(n):\n    return n * (n + 1) // 2\n\n"
    "def caller(n):\n    s = 0\n    for i in range(n):\n        s += tri(i) % 7\n    return s\n\ncaller(200000)",
    "%%pyvorin\ndef broken(:\n    pass",
    "1 + 1",
]

PAGE_STATE = """(() => {
  const cells = Jupyter.notebook.get_cells();
  const reports = document.querySelectorAll('.pyvorin-report');
  const first = reports[0];
  const src = first && first.querySelectorAll('pre.pv-map-src')[1];
  const summary = first && first.querySelector('summary');
  const td = first && first.querySelector('.pv-map td');
  const error = cells[1].element.find('.output_error');
  return {
    inputs: cells.map(c => c.element.find('.input_prompt').text().replace(/\\s/g, ' ').trim()),
    outputs: cells.map(c => c.element.find('.output_prompt').text().replace(/\\s/g, ' ').trim()),
    reports: reports.length,
    statuses: first ? Array.from(first.querySelectorAll('.pv-summary .pv-badge')).map(b => b.textContent) : [],
    summary_display: summary ? getComputedStyle(summary).display : null,
    src_white_space: src ? getComputedStyle(src).whiteSpace : null,
    src_clipped: src ? src.scrollWidth > src.clientWidth + 1 : null,
    src_text: src ? src.textContent : null,
    map_td_align: td ? getComputedStyle(td).textAlign : null,
    error: error.length ? error.text() : null,
  };
})()"""


async def walk(tmp_path, port, devtools_port):
    dt = await DevTools.open(devtools_port, f"http://127.0.0.1:{port}/notebooks/walk.ipynb?token=walk")
    ws = dt.ws
    await dt.until("typeof Jupyter !== 'undefined' && !!Jupyter.notebook && !!Jupyter.notebook.kernel"
                   " && Jupyter.notebook.kernel.is_connected()")
    kernel = await dt.js("Jupyter.notebook.kernel.name")
    idle = "!Jupyter.notebook.get_cells().some(c => c.element.find('.input_prompt').text().includes('*'))"
    for index in range(len(CELLS)):  # one cell at a time, as a user runs them
        await dt.js(f"Jupyter.notebook.execute_cells([{index}])")
        await asyncio.sleep(0.3)
        await dt.until(idle)
    await asyncio.sleep(0.5)
    state = await dt.js(PAGE_STATE)
    shot = await dt.call("Page.captureScreenshot", format="png")
    (tmp_path / "walk.png").write_bytes(base64.b64decode(shot["data"]))
    ws.close()
    return kernel, state


def test_walk_through_in_classic_notebook(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "xpyvorin", "display_name": "Pyvorin (Python 3)", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(code) for code in CELLS]
    nbformat.write(nb, str(tmp_path / "walk.ipynb"))
    port, devtools_port = free_port(), free_port()
    server = subprocess.Popen([JUPYTER, "notebook", "--no-browser", f"--port={port}", "--NotebookApp.token=walk",
                               "--allow-root", f"--notebook-dir={tmp_path}"],
                              stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.log", "w"))
    browser = None
    try:
        wait_for(f"http://127.0.0.1:{port}/api?token=walk")
        browser = subprocess.Popen([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
                                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                                    f"--user-data-dir={tmp_path / 'profile'}", f"--remote-debugging-port={devtools_port}",
                                    "--window-size=1400,2000", "about:blank"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kernel, state = asyncio.run(asyncio.wait_for(walk(tmp_path, port, devtools_port), 300))
    finally:
        if browser is not None:
            browser.kill()
        server.terminate()
        server.wait(20)
    assert kernel == "xpyvorin"
    # execution counts as in plain cells: the SyntaxError cell counts once
    assert state["inputs"] == ["In [1]:", "In [2]:", "In [3]:"], state["inputs"]
    assert state["outputs"] == ["Out[1]:", "", "Out[3]:"], state["outputs"]
    # the report: helper and caller compiled; styles that survive the notebook's own CSS
    assert state["reports"] == 1, state
    assert state["statuses"] == ["compiled", "compiled"], state
    assert state["summary_display"] == "list-item", state
    assert state["src_white_space"] == "pre" and state["map_td_align"] in ("left", "start"), state
    assert state["src_clipped"] is False, state  # the source column shows whole lines
    assert "        s += tri(i) % 7" in state["src_text"]
    # the SyntaxError as in a plain cell, with no magic frames
    assert state["error"] and "SyntaxError" in state["error"], state
    assert "Cell In [2], line 2" in state["error"] and "run_cell_magic" not in state["error"], state["error"]
    assert png_size_and_colours(tmp_path / "walk.png")[2] > 50
