"""The teaching notebooks (notebooks/*.ipynb) run end to end with nbclient against xpyvorin, and
their outputs say what the prose around them claims. Cells are found by their tags."""
import ast
import os

import nbformat
import pytest
from nbclient import NotebookClient

from kernel_util import requires_pyvorin, REPORT_MIME

pytestmark = requires_pyvorin

NOTEBOOKS = os.path.join(os.environ.get("PYVORIN_SOURCE_DIR")
                         or os.path.join(os.path.dirname(__file__), "..", "..", ".."), "notebooks")


def execute(name, tmp_path):
    notebook = nbformat.read(os.path.join(NOTEBOOKS, name), as_version=4)
    NotebookClient(notebook, kernel_name="xpyvorin", timeout=300, startup_timeout=60,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    return Outputs(notebook)


class Outputs:
    """The executed notebook's outputs, by cell tag."""

    def __init__(self, notebook):
        self.cells = {}
        for cell in notebook.cells:
            for tag in cell.get("metadata", {}).get("tags", []):
                self.cells[tag] = cell

    def outputs(self, tag):
        return self.cells[tag]["outputs"]

    def text(self, tag):
        parts = []
        for output in self.outputs(tag):
            if output["output_type"] == "stream":
                parts.append(output["text"])
            elif output["output_type"] == "execute_result":
                parts.append(output["data"].get("text/plain", ""))
        return "".join(parts)

    def result(self, tag):
        results = [o for o in self.outputs(tag) if o["output_type"] == "execute_result"]
        assert results, f"cell {tag!r} has no result"
        return results[0]["data"]["text/plain"]

    def report(self, tag):
        bundles = [o["data"] for o in self.outputs(tag)
                   if o["output_type"] == "display_data" and REPORT_MIME in o["data"]]
        assert len(bundles) == 1, f"cell {tag!r}: expected one report"
        assert {"text/html", "text/plain"} <= set(bundles[0])
        return bundles[0][REPORT_MIME]

    def error(self, tag):
        errors = [o for o in self.outputs(tag) if o["output_type"] == "error"]
        return errors[0] if errors else None

    def assert_no_errors(self):
        """Only the cells tagged raises-exception (nbclient lets those fail) may have errors."""
        for tag, cell in self.cells.items():
            if "raises-exception" in cell.get("metadata", {}).get("tags", []):
                continue
            assert self.error(tag) is None, f"cell {tag!r} failed: {self.error(tag)}"


def function(report, name):
    return next(f for f in report["functions"] if f["name"] == name)


def remarks(report, name, pass_name):
    return [r for r in function(report, name)["remarks"] if r["pass"] == pass_name]


def test_pipeline_tour(tmp_path):
    nb = execute("01-pipeline-tour.ipynb", tmp_path)
    nb.assert_no_errors()
    report = nb.report("report")
    benchmark = function(report, "benchmark")
    assert benchmark["status"] == "compiled"
    assert benchmark["signatures"][0]["args"] == ["int"]
    assert report["comparison"]["same"] is True
    assert report["comparison"]["native"]["repr"] == repr(sum(i * i % 7 for i in range(5_000_000)))
    assert nb.result("report") == report["comparison"]["native"]["repr"]
    ast_text = nb.text("ast")
    assert "FunctionDef(name='benchmark')" in ast_text and "├─" in ast_text and "For" in ast_text
    types_text = nb.text("types")
    assert "total: int" in types_text and "i: int" in types_text
    ir = nb.text("ir")
    assert ir.startswith("define") and "@pv.benchmark." in ir and "alloca" in ir
    assert "with.overflow" in ir
    opt_ir = nb.text("opt-ir")
    assert opt_ir.startswith("define") and "phi" in opt_ir and "after" in opt_ir
    asm = nb.text("asm")
    assert "benchmark" in asm and "jo" in asm
    line_map = function(nb.report("line-map"), "benchmark")
    assert line_map["line_map"]
    assert "Source \u2194 IR \u2194 assembly" in nb.outputs("line-map")[0]["data"]["text/html"]
    assert "'optimize'" in nb.result("timings") and "'total'" in nb.result("timings")


def test_types_and_fallbacks(tmp_path):
    nb = execute("02-types-and-fallbacks.ipynb", tmp_path)
    nb.assert_no_errors()
    mean = function(nb.report("infer"), "mean_of_squares")
    assert mean["signatures"] == [{"args": ["int"], "return": "float"}]
    assert any(t["name"] == "return" and t["type"] == "float" for t in mean["types"])
    assert nb.result("signatures-list") == "[('int',), ('float',), ('bool',)]"
    assert nb.result("signatures") == "(6, 7.5, 3)"
    ambiguous = function(nb.report("ambiguous"), "half_or_count")
    assert ambiguous["status"] == "fallback" and ambiguous["fallback"]["code"] == "PV200"
    assert nb.result("ambiguous") == "7"  # CPython's answer, not 7.0
    assert "suggestion:" in nb.text("ambiguous-reason")
    assert function(nb.report("ambiguous-fixed"), "half_or_count")["status"] == "compiled"
    assert nb.result("ambiguous-fixed") == "7.0"
    unsupported = nb.report("unsupported")
    assert {f["name"]: f["fallback"]["code"] for f in unsupported["functions"]} == \
        {"safe_div": "PV106", "by_second": "PV102"}
    assert nb.result("unsupported") == "(0, [(2, 'a'), (1, 'b')])"
    strict = nb.error("strict")
    assert strict is not None and strict["ename"] == "CompilationError"
    assert "safe_div_strict" in strict["evalue"]
    assert "code: PV102" in nb.text("strict-caught")
    assert nb.result("overflow-native") == "2432902008176640000"
    assert function(nb.report("overflow-native"), "factorial")["status"] == "compiled"
    assert nb.result("overflow-exact") == "15511210043330985984000000"  # exact, not wrapped
    stats = ast.literal_eval(nb.result("overflow-stats"))
    assert stats["native_calls"] >= 1 and stats["python_calls"] >= 2  # 25! was redone in CPython


def test_optimisation(tmp_path):
    nb = execute("03-optimisation.ipynb", tmp_path)
    nb.assert_no_errors()
    o0, o3, fast = nb.report("o0"), nb.report("o3"), nb.report("fast")
    assert o0["options"]["opt_level"] == 0 and o3["options"]["opt_level"] == 3
    assert len(function(o0, "peak_o0")["passes"]) < len(function(o3, "peak_o3")["passes"])
    assert [r["kind"] for r in remarks(o3, "peak_o3", "loop-vectorize")] == ["missed"]
    vectorised = remarks(fast, "peak_fast", "loop-vectorize")
    assert vectorised and vectorised[0]["kind"] == "passed"
    assert "vectorized loop" in vectorised[0]["message"]
    assert "vectorised" in nb.outputs("fast")[0]["data"]["text/plain"]
    for report in (o0, o3, fast):
        assert report["comparison"]["same"] is True
        assert report["comparison"]["native"]["repr"] == "1023"
    assert fast["comparison"]["speedup"] > 1
    assert "x i64>" in nb.text("vector-ir")
    timings = nb.text("timings")
    assert "CPython" in timings and "-O3 --fast" in timings
    inline = remarks(nb.report("inline"), "sum_triangles", "inline")
    assert any("triangle" in r["message"] and "inlined into" in r["message"] and "sum_triangles" in r["message"]
               for r in inline)
    unroll = remarks(nb.report("unroll"), "energy", "loop-unroll")
    assert any("unrolled loop" in r["message"] for r in unroll)
    assert nb.report("unroll")["comparison"]["same"] is True
