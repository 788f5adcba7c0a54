"""The teaching notebooks (notebooks/*.ipynb) run end to end with nbclient against xpyvorin, and
their outputs say what the prose around them claims. Cells are found by their tags."""
import ast
import os
import re

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
    # the optimiser pass by pass: mem2reg (SROA), instcombine, loop rotation, induction variables
    passes = nb.text("passes")
    for name in ("SROAPass", "InstCombinePass", "LoopRotatePass", "IndVarSimplifyPass"):
        assert f". {name}" in passes, name
    diffs = nb.text("pass-diffs")
    assert "-  %total = alloca i64" in diffs or "alloca" in diffs.split("InstCombinePass")[0]
    # the vectoriser: why benchmark's loop is not vectorised, and a loop that is
    assert "a plain sum, product, min or max" in nb.text("vectoriser-why")
    vectoriser = nb.text("vectoriser")
    assert "LoopVectorizePass" in vectoriser and "x i64>" in vectoriser
    # the control-flow graphs before and after, as SVG
    cfg_html = nb.outputs("cfg")[0]["data"]["text/html"]
    assert cfg_html.count("<svg") == 2 and "before optimisation" in cfg_html and "after optimisation" in cfg_html


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
    # strip-mined: one interrupt check per 65,536 iterations, so -O3 vectorises too
    assert [r["kind"] for r in remarks(o3, "peak_o3", "loop-vectorize")] == ["passed"]
    vectorised = remarks(fast, "peak_fast", "loop-vectorize")
    assert vectorised and vectorised[0]["kind"] == "passed"
    assert "vectorized loop" in vectorised[0]["message"]
    assert "vectorised" in nb.outputs("fast")[0]["data"]["text/plain"]
    for report in (o0, o3, fast):
        assert report["comparison"]["same"] is True
        assert report["comparison"]["native"]["repr"] == "1023"
    assert fast["comparison"]["speedup"] > 1
    assert "x i64>" in nb.text("vector-ir")
    # a while loop reads the interrupt flag on every iteration: a remark says that this stops the
    # vectoriser, and --fast vectorises the same loop
    polled = remarks(nb.report("while"), "peak_while", "loop-vectorize")
    volatile = [r for r in polled if "volatile read" in r["message"]]
    assert volatile and "the Ctrl-C flag of the interrupt poll" in volatile[0]["why"], polled
    assert all(r["kind"] != "passed" for r in polled), polled
    unpolled = remarks(nb.report("while-fast"), "peak_while_fast", "loop-vectorize")
    assert [r["kind"] for r in unpolled] == ["passed"], unpolled
    assert "the Ctrl-C flag of the interrupt poll" in nb.outputs("while")[0]["data"]["text/html"]
    timings = nb.text("timings")
    assert "CPython" in timings and "-O3 --fast" in timings
    inline = remarks(nb.report("inline"), "sum_triangles", "inline")
    assert any("triangle" in r["message"] and "inlined into" in r["message"] and "sum_triangles" in r["message"]
               for r in inline)
    unroll = remarks(nb.report("unroll"), "energy", "loop-unroll")
    assert any("unrolled loop" in r["message"] for r in unroll)
    assert nb.report("unroll")["comparison"]["same"] is True


def test_objects(tmp_path):
    nb = execute("04-objects.ipynb", tmp_path)
    nb.assert_no_errors()
    # the inference trace types the empty list by its later use
    squares = function(nb.report("types"), "squares")
    assert squares["status"] == "compiled"
    assert squares["signatures"] == [{"args": ["int"], "return": "list[int]"}]
    assert {"name": "xs", "type": "list[int]", "because": "then xs.append(i * i)", "line": 5} in squares["types"]
    trace = nb.text("types-trace")
    assert "xs: list[?] \u2190 [] is list[?]" in trace
    assert "xs: list[int] \u2190 then xs.append(i * i)" in trace
    assert nb.result("types") == repr([i * i for i in range(10)])
    # variables and their representations; the per-line C-API map (report, HTML and text)
    objects = nb.report("objects")
    buckets = function(objects, "bucket_counts")
    assert objects["options"]["show"] == ["objects"]
    assert objects["comparison"]["same"] is True
    representation = {v["name"]: (v["type"], v["representation"]) for v in buckets["variables"]}
    assert representation["values"] == ("list[int]", "CPython object (PyObject*)")
    assert representation["counts"] == ("dict[int, int]", "CPython object (PyObject*)")
    assert representation["total"] == ("int", "native i64")
    calls = {e["line"]: e for e in buckets["object_lines"]}
    assert 5 not in calls and 6 not in calls  # total += v, b = v // width: machine code only
    assert calls[7]["functions"] == ["PyDict_GetItemWithError", "PyDict_SetItem", "PyLong_FromLongLong"]
    assert calls[7]["calls"] == max(e["calls"] for e in buckets["object_lines"])
    html = nb.outputs("objects")[0]["data"]["text/html"]
    assert 'pv-section-objects" open' in html and '<table class="pv-vars">' in html
    assert 'class="pv-row pv-capi-3" data-line="7"' in html
    assert "-- bucket_counts: variables and C-API calls --" in nb.outputs("objects")[0]["data"]["text/plain"]
    objects_text = nb.text("objects-text")
    assert "counts  dict[int, int]       CPython object (PyObject*)\n" in objects_text
    assert "    5 .   |         total += v" in objects_text
    assert "+++ |         counts[b] = counts.get(b, 0) + 1  # " in objects_text
    assert "line 7 calls 6 ['PyDict_GetItemWithError', 'PyDict_SetItem', 'PyLong_FromLongLong']" in nb.text("objects-fields")
    # a list and a dict the function builds itself: native storage, boxed once where they leave
    native = nb.text("native-vars")
    assert native.startswith("[(0, 1), (1, 2), (3, 3), (6, 1), (7, 1), (8, 1), (9, 1)]\n")
    assert "xs  list[int]            native buffer of i64, private to the call" in native
    assert "return xs  # 1: pv_buf_to_list" in native
    assert "counts  dict[int, int]       native hash table (dict, insertion-ordered), private to the call" in native
    assert "counts[b] = counts.get(b, 0) + 1\n" in native  # no C-API call on the dict line
    assert "return sorted(counts.items())  # " in native and "pv_table_to_object" in native
    # effects: a private list overflows and reruns; an argument overflows and raises
    assert nb.result("powers") == "(59049, 59049)"
    assert "ps  list[int]            native buffer of i64, private to the call" in nb.text("powers-vars")
    assert "out  list[int]            CPython object (PyObject*)\n" in nb.text("powers-vars")
    assert nb.text("private-rerun") == f"{3 ** 50}\nreruns in CPython: 1\n"
    overflow = nb.error("effect-overflow")
    assert overflow is not None and overflow["ename"] == "OverflowError"
    assert "'powers_into' at line 13" in overflow["evalue"] and "changed an argument" in overflow["evalue"]
    assert nb.result("effect-partial") == f"(39, {3 ** 39})"
    # identity and aliasing, natively
    assert nb.text("identity").startswith("[2, 3, 4] True\nTrue\n2 [7, 0]\n")
    assert nb.result("identity") == "[1, 1, 1]"
    # the bounds check of xs[i], before and after optimisation
    assert nb.result("index") == "30"
    ir = nb.text("index-ir")
    assert "%ob_size = load i64" in ir and re.search(r"icmp ult i64 %\w+, %ob_size", ir)
    assert "label %index.ok, label %index.negative" in ir and "index.negative:" in ir
    assert "label %raise" in ir and "@pv_raise(" in ir and "%index = phi i64" in ir and "%ob_item = load ptr" in ir
    assert "!dbg" not in ir and "_Py_Dealloc" not in ir
    opt_ir = nb.text("index-opt-ir")
    assert re.search(r"icmp ugt i64 %ob_size\.i, %\w+", opt_ir) and "index.negative.i:" in opt_ir
    assert "@pv_raise(" in opt_ir and "%ob_item" in opt_ir
    error = nb.error("index-error")
    assert error is not None and (error["ename"], error["evalue"]) == ("IndexError", "list index out of range")


def test_strings(tmp_path):
    nb = execute("05-strings.ipynb", tmp_path)
    # PEP 393: one, two and four bytes per character
    layout = nb.text("layout")
    assert "'naive cafe'           len=10  bytes per char: 1" in layout
    assert "len=12  bytes per char: 2" in layout and "len=14  bytes per char: 4" in layout
    assert nb.result("describe") == repr((16, "c", "ß", "ß𝔘☕éa va", "NAÏVE CAFÉ ☕ 𝔘 SS"))
    assert function(nb.report("describe"), "describe")["status"] == "compiled"
    # the C-API calls of each line: split is PyUnicode_Split, w[0] == "#" calls nothing, += appends in place
    calls = nb.text("objects-calls")
    assert "for w in s.split():  # 1: PyUnicode_Split" in calls
    assert re.search(r"\d \.   \|         if w\[0\] == \"#\":\n", calls), calls
    assert "out += w  # 1: PyUnicode_Append" in calls
    assert nb.result("objects") == repr("alphagammaepsilon")
    # an f-string: internal $fstring/$format calls in the AST, the f-string in the trace, one pv_fstring call
    row = function(nb.report("fstring-ast"), "row")
    assert "Name(id='$fstring')" in row["ast"] and "Name(id='$format')" in row["ast"] and "Constant(value='>10.2f')" in row["ast"]
    assert {"because": "f'{name:<12}{qty:>6}{price:>10.2f}|' is str", "line": 3, "name": "return", "type": "str"} in row["types"]
    assert nb.result("fstring-ast") == repr(f"{'naïve':<12}{3:>6}{2.675:>10.2f}|")
    ir = nb.text("fstring-ir")
    assert "call ptr @pv_fstring(ptr nonnull @fstring.fields" in ir and "i64 4)" in ir
    assert "pv_fstring calls: 1 | PyObject_Format calls: 0" in ir
    assert nb.result("fstring-mixed") == repr(f"{1234.5678!r} {9876543:,} {1234.5678:{12}.3e} {9876543:#x} {1234.5678:.1%}")
    # files: with closes on the exception path; the error is CPython's
    assert nb.result("files") == repr({"apples": 7, "pears": 5, "café": 1})
    assert function(nb.report("files"), "totals")["status"] == "compiled"
    error = nb.error("files-error")
    assert error["ename"] == "ValueError" and error["evalue"] == "invalid literal for int() with base 10: 'apples,3\\n'"
    assert nb.result("files-closed") == "True"


def test_arrays(tmp_path):
    nb = execute("06-arrays.ipynb", tmp_path)
    nb.assert_no_errors()
    views = nb.text("views")
    assert "a[:, ::2]  shape=(3, 2)  strides=(32, 16)  C-contiguous=False  shares memory=True" in views
    assert nb.result("total") == repr((66.0, 30.0, 66.0))
    sigs = nb.result("total-sigs")
    for layout in ("C", "A", "F"):
        assert f"ndarray[float64, 2, {layout}]" in sigs
    # a Python 0.0 until the first +=, then NumPy's float64
    assert nb.result("weak") == repr(("float64", "float"))
    error = nb.error("bounds")
    assert (error["ename"], error["evalue"]) == ("IndexError", "index 7 is out of bounds for axis 1 with size 4")
    # range analysis removed both checks of scale's loop, which then vectorised
    ranges = nb.text("ranges")
    assert "removed: out[i] (axis 0, line 4)" in ranges and "removed: x[i] (axis 0, line 4)" in ranges
    vectorised = nb.text("vectorised")
    assert "vectorized loop (vectorization width:" in vectorised
    assert int(re.search(r"vector operations in the optimised IR: (\d+)", vectorised).group(1)) > 0
    error = nb.error("short")
    assert (error["ename"], error["evalue"]) == ("IndexError", "index 10 is out of bounds for axis 0 with size 10")
    # NumPy's overflow: the call reran in CPython, with NumPy's value and warning
    assert ast.literal_eval(nb.result("overflow")) == (0, ["overflow encountered in scalar multiply"],
                                                       {"native_calls": 0, "python_calls": 1, "disabled_calls": 0})
    # NumPy's float warnings from the CPU's flags: the dot loop has no test per operation
    total, big, warned, stats = ast.literal_eval(nb.result("fpe").replace("inf", "1e999"))
    assert total == 332833500.0 and big == float("inf") and warned == ["overflow encountered in scalar multiply"]
    assert stats == {"native_calls": 1, "python_calls": 1, "disabled_calls": 0}
    fpe_ir = nb.text("fpe-ir")
    assert "float comparisons left after optimisation: 0" in fpe_ir
    assert int(re.search(r"reads of the CPU's flags: (\d+)", fpe_ir).group(1)) >= 1
    # a fused whole-array expression: NumPy's bits, one vectorised loop
    assert nb.result("fused") == repr((True, {"native_calls": 16, "python_calls": 0, "disabled_calls": 0}))
    assert "same bits as NumPy: True" in nb.text("fused")
    fused_ir = nb.text("fused-ir")
    assert "fused loop: True" in fused_ir and "NumPy's operators kept for other shapes and warnings: True" in fused_ir
    assert int(re.search(r"vector square roots: (\d+)", fused_ir).group(1)) > 0
    # NumPy's complex numbers: PyExec's mandelbrot, natively
    assert nb.result("complex") == repr((True, {"native_calls": 6, "python_calls": 0, "disabled_calls": 0}))


def test_aot_and_jit(tmp_path, monkeypatch):
    """The same function through the JIT (and its disk cache), a shared library called from ctypes
    and from C, and a WebAssembly module run by Node.js: the same results, the same exception."""
    monkeypatch.setenv("PYVORIN_CACHE_DIR", str(tmp_path / "cache"))
    nb = execute("07-aot-and-jit.ipynb", tmp_path)
    nb.assert_no_errors()
    assert nb.result("jit") == "77031"
    assert function(nb.report("jit"), "longest_chain")["cache"] in ("miss", "disk hit")
    assert "stages (ms):" in nb.text("jit-cost") and "'args': ['int']" in nb.text("jit-cost")
    assert "longest_chain(int)" in nb.text("cache-list") and " ok" in nb.text("cache-list")
    header = nb.text("export")
    assert "int32_t collatz_longest_chain(int64_t limit, int64_t *result);" in header
    assert "int32_t collatz_collatz_steps(int64_t n, int64_t *result);" in header
    assert "(<cell>, line 12)" in header  # not the kernel's temporary file
    assert nb.result("ctypes") == "(0, 77031, True)"
    c = nb.text("c-program")
    assert "longest_chain(100000) = 77031" in c
    assert "status 4: OverflowError: an int result does not fit in 64 bits" in c and "(in collatz_steps, line 8 of <cell>)" in c
    w = nb.text("wasm")
    assert "longest_chain(100000) = 77031" in w
    assert "OverflowError: an int result does not fit in 64 bits" in w and "(in collatz_steps, line 8 of <cell>)" in w
    compare = nb.text("compare")
    for what in ("JIT object (in memory)", "relocatable object (.o)", "shared library (.so)", "WebAssembly module (.wasm)",
                 "JIT call:", "ctypes call:", "CPython:"):
        assert what in compare, what
