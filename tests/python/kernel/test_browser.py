"""The report as a student sees it in a browser: a notebook run by the xpyvorin kernel, converted
with the documented `jupyter nbconvert --to html` (whose JupyterLab styles right-align table cells),
opened in headless Chromium. A script added to the page reads the computed styles of the report's
parts; Chromium's --dump-dom prints them with the DOM, and --screenshot takes a picture.

The same page is checked three ways: as nbconvert writes it; as an untrusted notebook shows it
(the sanitizer drops <style>: here the report's <style> is removed); and under Classic Notebook's
`summary {display: block}`, which hides the disclosure markers."""
import json
import re
import shutil
import subprocess

import nbformat
import pytest
from nbclient import NotebookClient

from kernel_util import png_size_and_colours, requires_pyvorin

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [requires_pyvorin,
              pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (scripts/install-deps.sh)"),
              pytest.mark.skipif(shutil.which("jupyter-nbconvert") is None and shutil.which("jupyter") is None,
                                 reason="jupyter nbconvert is not installed")]

CELLS = [
    # an HTML output's table of the page's own: JupyterLab's styles right-align its cells
    ("code", "from IPython.display import HTML\nHTML('<table><tr><td id=\"control\">right?</td></tr></table>')"),
    ("code", "%%pyvorin\ndef tri(n):\n    return n * (n + 1) // 2\n\n"
             "def caller(n):\n    s = 0\n    for i in range(n):\n        if i % 3 == 0:\n            s += tri(i) % 7\n"
             "    return s\n\ncaller(200000)"),
    ("code", "%%pyvorin --show=passes,cfg\ndef benchmark(n):\n    total = 0\n    for i in range(n):\n"
             "        total += i * i % 7\n    return total\n\nbenchmark(1000)"),
]

# Reads the computed styles the tests check, into <pre id="pv-probe"> (JSON).
PROBE = r"""
<script>
(function () {
  function style(el) { return el ? getComputedStyle(el) : null; }
  var out = {};
  var reports = document.querySelectorAll('.pyvorin-report');
  out.reports = reports.length;
  var first = reports[0];
  var mapCell = first && first.querySelector('.pv-map td');
  var src = first && first.querySelector('pre.pv-map-src');
  out.map_td_align = mapCell ? style(mapCell).textAlign : null;
  out.src_white_space = src ? style(src).whiteSpace : null;
  out.src_align = src ? style(src).textAlign : null;
  out.src_text = src ? src.textContent : null;
  var row = first && first.querySelector('pre.pv-map-src [data-line]');
  out.row_background = row ? style(row).backgroundColor : null;
  var summary = first && first.querySelector('summary');
  out.summary_display = summary ? style(summary).display : null;
  var badge = first && first.querySelector('.pv-badge');
  out.badge_background = badge ? style(badge).backgroundColor : null;
  out.control_td_align = style(document.getElementById('control')) ? style(document.getElementById('control')).textAlign : null;
  var diff = document.querySelector('.pv-section-passes pre.pv-diff');
  out.diff_white_space = diff ? style(diff).whiteSpace : null;
  var added = document.querySelector('.pv-section-passes .pv-diff .pv-add');
  out.added_background = added ? style(added).backgroundColor : null;
  var svg = document.querySelector('.pv-section-cfg svg');
  out.svg_width = svg ? svg.getBoundingClientRect().width : 0;
  out.svg_height = svg ? svg.getBoundingClientRect().height : 0;
  var gutter = first && first.querySelector('.pv-gutter');
  out.gutter_align = gutter ? style(gutter).textAlign : null;
  var pre = document.createElement('pre');
  pre.id = 'pv-probe';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def chromium(*args, profile):
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}",
           "--window-size=1400,2000", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def probe(html_path, tmp_path, name):
    page = tmp_path / f"{name}.html"
    page.write_text(html_path.read_text().replace("</body>", PROBE + "</body>"))
    done = chromium("--dump-dom", page.as_uri(), profile=tmp_path / f"profile-{name}")
    found = re.search(r'<pre id="pv-probe">(.*?)</pre>', done.stdout, re.S)
    assert found, done.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"').replace("&amp;", "&").replace("&lt;", "<")
                      .replace("&gt;", ">"))


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """The executed notebook as nbconvert's HTML (lab template)."""
    tmp = tmp_path_factory.mktemp("browser")
    nb = nbformat.v4.new_notebook()
    for kind, text in CELLS:
        nb.cells.append(nbformat.v4.new_markdown_cell(text) if kind == "markdown" else nbformat.v4.new_code_cell(text))
    NotebookClient(nb, kernel_name="xpyvorin", timeout=300, startup_timeout=60,
                   resources={"metadata": {"path": str(tmp)}}).execute()
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            assert output["output_type"] != "error", output
    path = tmp / "report.ipynb"
    nbformat.write(nb, str(path))
    jupyter = shutil.which("jupyter")
    done = subprocess.run([jupyter, "nbconvert", "--to", "html", str(path)], capture_output=True, text=True,
                          timeout=300, cwd=tmp)
    assert done.returncode == 0, done.stderr
    html = tmp / "report.html"
    assert html.exists()
    return tmp, html


def test_nbconvert_html_keeps_the_reports_layout(page):
    tmp, html = page
    styles = probe(html, tmp, "lab")
    assert styles["reports"] == 2, styles
    # JupyterLab's own table cells are right-aligned on this page, and the report's are not
    assert styles["control_td_align"] == "right", styles
    assert styles["map_td_align"] in ("left", "start"), styles
    assert styles["src_align"] in ("left", "start") and styles["src_white_space"] == "pre", styles
    assert "\n    return n * (n + 1) // 2" in styles["src_text"], styles  # Python's indentation is there
    assert styles["gutter_align"] == "right", styles
    assert styles["row_background"] not in (None, "rgba(0, 0, 0, 0)"), styles
    assert styles["summary_display"] == "list-item", styles
    # the pass-by-pass diffs and the graphs
    assert styles["diff_white_space"] == "pre" and styles["added_background"] not in (None, "rgba(0, 0, 0, 0)"), styles
    assert styles["svg_width"] > 100 and styles["svg_height"] > 100, styles


def test_screenshot_of_the_report(page):
    tmp, html = page
    shot = tmp / "report.png"
    done = chromium(f"--screenshot={shot}", html.as_uri(), profile=tmp / "profile-shot")
    assert shot.exists(), done.stderr[-2000:]
    width, height, colours = png_size_and_colours(shot)
    assert (width, height) == (1400, 2000)
    assert colours > 50  # text, badges, highlighted code: not a blank page


def test_untrusted_notebook_without_the_reports_style_stays_readable(page):
    tmp, html = page
    text = html.read_text()
    # the sanitizer of an untrusted notebook drops <style> elements of outputs: remove the report's
    stripped = re.sub(r'(<div class="pyvorin-report">)<style>.*?</style>', r"\1", text, flags=re.S)
    assert stripped != text
    bare = tmp / "untrusted.html"
    bare.write_text(stripped)
    styles = probe(bare, tmp, "untrusted")
    # inline styles carry what matters: left-aligned code with its indentation, the line map's
    # colours, the status badges
    assert styles["src_align"] in ("left", "start") and styles["src_white_space"] == "pre", styles
    assert styles["map_td_align"] in ("left", "start"), styles
    assert styles["row_background"] not in (None, "rgba(0, 0, 0, 0)"), styles
    assert styles["badge_background"] not in (None, "rgba(0, 0, 0, 0)"), styles


def test_classic_notebooks_summary_rule_does_not_hide_the_markers(page):
    tmp, html = page
    classic = tmp / "classic.html"
    classic.write_text(html.read_text().replace("</head>", "<style>summary { display: block; }</style></head>"))
    styles = probe(classic, tmp, "classic")
    assert styles["summary_display"] == "list-item", styles
