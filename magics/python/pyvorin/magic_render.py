"""Report display: pygments highlighting of the IR and assembly (Python side, where pygments
lives), then the C++ renderers (_pyvorin.magics) for text/html and text/plain, bundled with the
report JSON as one display_data."""
import json
import re

from .magic_cell import MIME_TYPE

_WHITESPACE_SPAN = re.compile(r'<span class="t-w">(\s*)</span>')


def _renderer():
    from . import _pyvorin
    return _pyvorin.magics


def highlight_lines(text, kind):
    """`text` highlighted by pygments, as one HTML fragment per line (token classes prefixed
    "t-", styled by the report's CSS); None when pygments is missing or lines would shift."""
    if not text:
        return None
    try:
        from pygments import highlight
        from pygments.formatters import HtmlFormatter
        from pygments.lexers import GasLexer, LlvmLexer
    except ImportError:
        return None
    options = {"stripnl": False, "stripall": False, "ensurenl": True}
    lexer = LlvmLexer(**options) if kind == "ir" else GasLexer(**options)
    html = highlight(text, lexer, HtmlFormatter(nowrap=True, classprefix="t-"))
    html = _WHITESPACE_SPAN.sub(r"\1", html)  # unstyled anyway; a third of the markup
    lines = html.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != len(text.splitlines()):
        return None
    return lines


def highlights_for(report):
    out = []
    for function in report.get("functions", []):
        out.append({
            "ir": highlight_lines(function.get("ir") or "", "ir"),
            "opt_ir": highlight_lines(function.get("opt_ir") or "", "ir"),
            "asm": highlight_lines(function.get("asm") or "", "asm"),
        })
    return out


def render_bundle(report):
    """The mime bundle of a report: text/html, text/plain and the report JSON itself."""
    report_json = json.dumps(report)
    magics = _renderer()
    return {
        "text/plain": magics.render_text(report_json),
        "text/html": magics.render_html(report_json, json.dumps(highlights_for(report))),
        MIME_TYPE: json.loads(report_json),  # a plain-JSON copy (tuples -> lists, etc.)
    }


def display_report(report):
    from IPython.display import display
    display(render_bundle(report), raw=True)
