"""Report display: pygments highlighting of the IR and assembly (Python side, where pygments
lives), then the C++ renderers (_pyvorin.magics) for text/html and text/plain, bundled with the
report JSON as one display_data."""
import json
import re

from .magic_cell import MIME_TYPE

_WHITESPACE_SPAN = re.compile(r'<span class="t-w">(\s*)</span>')
# Token classes the report's CSS colours (render_html.cpp); spans of the others (punctuation,
# operators, plain names) are unwrapped: they would only add markup.
# (LLVM's %values, the most frequent token, stay plain: colouring each one would double the IR's
# markup and make it no easier to read.)
_STYLED = ("k", "kd", "kr", "nb", "kt", "nc", "m", "mi", "mf", "mh", "il", "s", "s2", "s1", "sc", "c", "c1",
           "cm", "cp", "nl", "nf", "nn", "na", "no", "nt")
_UNSTYLED_SPAN = re.compile(r'<span class="t-(?!(?:%s)")[\w-]+">([^<]*)</span>' % "|".join(_STYLED))
_QUOTED_CLASS = re.compile(r'<span class="(t-[\w-]+)">')


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
    from pygments.lexers import PythonLexer
    options = {"stripnl": False, "stripall": False, "ensurenl": True}
    lexer = {"ir": LlvmLexer, "python": PythonLexer}.get(kind, GasLexer)(**options)
    html = highlight(text, lexer, HtmlFormatter(nowrap=True, classprefix="t-"))
    html = _WHITESPACE_SPAN.sub(r"\1", html)  # unstyled anyway; a third of the markup
    html = _UNSTYLED_SPAN.sub(r"\1", html)
    html = _QUOTED_CLASS.sub(r"<span class=\1>", html)  # valid HTML, and 2 bytes less per token
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
            "source": highlight_lines((function.get("source") or {}).get("text") or "", "python"),
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
