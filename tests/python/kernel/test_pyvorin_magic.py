"""%%pyvorin through a real xpyvorin kernel (jupyter_client): the mime bundle and its JSON schema,
the side-by-side comparison, every option, the line magics and the error paths. One kernel for
the module; each test uses its own names."""
import json
import os

import jsonschema
import pytest

from kernel_util import requires_pyvorin, REPORT_MIME

pytestmark = requires_pyvorin

SCHEMA = json.load(open(os.path.join(os.path.dirname(__file__), "report_schema.json")))

BENCHMARK_CELL = """%%pyvorin
def benchmark(n):
    total = 0
    for i in range(n):
        total += i * i % 7
    return total

benchmark(200_000)
"""
BENCHMARK_VALUE = sum(i * i % 7 for i in range(200_000))


def validate(report):
    jsonschema.validate(report, SCHEMA, cls=jsonschema.Draft202012Validator)
    return report


def function(report, name):
    matches = [f for f in report["functions"] if f["name"] == name]
    assert len(matches) == 1, report["functions"]
    return matches[0]


# -- the mime bundle and the comparison ------------------------------------------------------

def test_report_has_three_mime_types_and_valid_json(kernel):
    result = kernel.execute(BENCHMARK_CELL)
    assert result.status == "ok", result.reply
    bundle = result.report_bundle
    assert set(bundle) >= {"text/html", "text/plain", REPORT_MIME}
    report = validate(bundle[REPORT_MIME])
    entry = function(report, "benchmark")
    assert entry["status"] == "compiled"
    assert entry["signatures"] == [{"args": ["int"], "return": "int"}] or \
        entry["signatures"][0]["args"] == ["int"]
    for key in ("ast", "ir", "opt_ir", "asm"):
        assert entry[key].strip(), key
    assert "FunctionDef" in entry["ast"] and "benchmark" in entry["ast"]
    assert any(t["name"] == "total" for t in entry["types"])
    assert "define" in entry["ir"] and "benchmark" in entry["ir"]
    assert entry["line_map"], "empty line map"
    assert set(entry["timings_ms"]) >= {"parse", "infer", "lower", "optimize", "codegen", "load"}
    assert entry["object_size"] > 0
    assert entry["source"]["line"] == 2 and entry["source"]["text"].startswith("def benchmark(n):")


def test_comparison_same_result_and_out(kernel):
    result = kernel.execute(BENCHMARK_CELL.replace("benchmark", "benchmark_cmp"))
    assert result.status == "ok", result.reply
    report = validate(result.reports[0])
    comparison = report["comparison"]
    assert comparison["expression"] == "benchmark_cmp(200_000)"
    assert comparison["same"] is True
    assert comparison["native"]["repr"] == repr(BENCHMARK_VALUE)
    assert comparison["cpython"]["repr"] == repr(BENCHMARK_VALUE)
    assert comparison["speedup"] > 0
    assert comparison["cpython"]["seconds"] > 0
    # The last expression is also the cell's result (Out[n]), as in a normal cell.
    assert result.result["text/plain"] == repr(BENCHMARK_VALUE)
    html = result.report_bundle["text/html"]
    assert "Side by side" in html and "<script" not in html
    assert "same result" in result.report_bundle["text/plain"]


def test_output_and_definitions_are_pythons(kernel):
    result = kernel.execute("%%pyvorin\ndef twice(x):\n    return 2 * x\nprint('hello', twice(21))\n"
                            "value = twice(5)\n")
    assert result.status == "ok", result.reply
    assert result.stdout == "hello 42\n"  # printed once: no comparison without a last expression
    assert result.result is None
    assert validate(result.reports[0])["comparison"] is None
    check = kernel.execute("value, twice(4), twice.py_func(4)")
    assert check.result["text/plain"] == "(10, 8, 8)"


def test_output_of_last_expression_printed_once(kernel):
    result = kernel.execute("%%pyvorin\ndef loud(n):\n    print('called', n)\n    return n + 1\nloud(1)\n")
    assert result.status == "ok", result.reply
    assert result.stdout.count("called 1") == 1, result.stdout


def test_semicolon_suppresses_out(kernel):
    result = kernel.execute("%%pyvorin\ndef quiet_out(n):\n    return n\nquiet_out(3);\n")
    assert result.status == "ok"
    assert result.result is None
    assert len(result.reports) == 1


def test_comparison_of_a_call_that_reran_in_cpython_says_so(kernel):
    # fact(30) overflows int64 inside compiled code: the calls rerun in CPython, so the "native"
    # time is partly CPython's and no speed-up is claimed
    result = kernel.execute("%%pyvorin\ndef fact_rr(n):\n    if n <= 1:\n        return 1\n"
                            "    return n * fact_rr(n - 1)\n\nfact_rr(30)\n")
    assert result.status == "ok", result.reply
    report = validate(result.reports[0])
    comparison = report["comparison"]
    assert comparison["same"] is True
    runs = comparison["cpython_runs"]
    assert runs and runs[0]["function"] == "fact_rr", comparison
    assert runs[0]["reason"].startswith("an int result left int64 at line 5: the call reran in CPython"), runs
    entry = function(report, "fact_rr")
    assert entry["status"] == "compiled" and entry["cpython_runs"], entry.get("cpython_runs")
    text = result.report_bundle["text/plain"]
    assert "speed-up not shown (partly CPython)" in text, text
    assert "fact_rr: " in text and "ran in CPython: an int result left int64" in text, text
    assert "not shown: the Pyvorin run was partly CPython" in result.report_bundle["text/html"]


def test_short_calls_are_timed_with_repetitions(kernel):
    result = kernel.execute("%%pyvorin\ndef add_short(a, b):\n    return a + b\n\nadd_short(1, 2)\n")
    assert result.status == "ok", result.reply
    comparison = validate(result.reports[0])["comparison"]
    assert comparison["native"]["repeats"] > 1 and comparison["cpython"]["repeats"] > 1, comparison
    assert comparison["native"]["seconds"] < 1e-4 and "too_short" not in comparison
    # the repetitions are the report's: the function's counters count the cell's own calls
    stats = kernel.execute("print(add_short.stats)")
    assert stats.stdout.strip() == "{'native_calls': 2, 'python_calls': 0, 'disabled_calls': 1}", stats.stdout


def test_comparison_reruns_work_on_copies_of_mutable_arguments(kernel):
    # push changes its list: the reruns (warm, CPython) get copies, so the results compare like with
    # like and the user's list changes once, as in a plain cell
    result = kernel.execute("%%pyvorin\ndef push_once(xs, v):\n    xs.append(v)\n    return len(xs)\n\n"
                            "items = [1]\npush_once(items, 3)\n")
    assert result.status == "ok", result.reply
    comparison = validate(result.reports[0])["comparison"]
    assert comparison["same"] is True, comparison
    assert comparison["native"]["repr"] == comparison["cpython"]["repr"] == "2"
    assert comparison.get("too_short") is True  # a list argument: not repeated
    assert kernel.execute("print(items)").stdout.strip() == "[1, 3]"
    assert "too short to measure" in result.report_bundle["text/plain"]


def test_a_function_whose_calls_ran_in_cpython_says_why(kernel):
    result = kernel.execute("%%pyvorin\ndef scale_kw(x, k=2):\n    return x * k\n\n"
                            "scale_kw(3, k=4)\n")
    assert result.status == "ok", result.reply
    report = validate(result.reports[0])
    entry = function(report, "scale_kw")
    assert entry["status"] == "cpython", entry["status"]
    assert entry["cpython_runs"] == [{"reason": "called with keyword arguments: compiled code takes positional "
                                                "arguments only", "calls": 1}]
    assert report["comparison"] is None  # nothing ran natively
    text = result.report_bundle["text/plain"]
    assert "scale_kw" in text and "cpython" in text and "1 call in CPython: called with keyword arguments" in text
    assert "Calls that ran in CPython" in result.report_bundle["text/html"]


def test_calls_between_functions_and_pending(kernel):
    result = kernel.execute("%%pyvorin\ndef sq(x):\n    return x * x\n\ndef sum_sq(n):\n"
                            "    t = 0\n    for i in range(n):\n        t += sq(i)\n    return t\n\n"
                            "def never_called(a):\n    return a\n\nsum_sq(1000)\n")
    assert result.status == "ok", result.reply
    report = validate(result.reports[0])
    assert [f["name"] for f in report["functions"]] == ["sq", "sum_sq", "never_called"]
    assert function(report, "sum_sq")["status"] == "compiled"
    assert function(report, "never_called")["status"] == "pending"
    assert report["comparison"]["native"]["repr"] == repr(sum(i * i for i in range(1000)))
    assert report["comparison"]["same"] is True
    assert "not called yet" in result.report_bundle["text/plain"]
    # sq ran only inside sum_sq's code: it still shows its own compile
    sq = function(report, "sq")
    assert sq["status"] == "compiled", sq
    assert sq["signatures"] == [{"args": ["int"], "return": "int"}]
    assert sq["callers"] == ["sum_sq"]
    for key in ("ast", "ir", "opt_ir", "asm"):
        assert sq[key], key
    assert sq["line_map"] and sq["timings_ms"]["total"] > 0


def test_fallback_reported_with_reason_line_and_suggestion(kernel):
    result = kernel.execute("%%pyvorin\ndef careful(x):\n    try:\n        return 10 // x\n"
                            "    except ZeroDivisionError:\n        return -1\ncareful(0)\n")
    assert result.status == "ok", result.reply
    entry = function(validate(result.reports[0]), "careful")
    assert entry["status"] == "fallback"
    assert entry["fallback"]["reason"]
    assert entry["fallback"]["line"] in (2, 3)
    assert entry["fallback"]["suggestion"]
    assert result.result["text/plain"] == "-1"
    assert "fallback" in result.report_bundle["text/plain"]


# -- options ---------------------------------------------------------------------------------

def run_options(kernel, options, name, extra_body=""):
    cell = (f"%%pyvorin {options}\ndef {name}(n):\n    t = 0\n    for i in range(n):\n"
            f"        t += i\n    return t\n{extra_body}{name}(100)\n")
    result = kernel.execute(cell)
    assert result.status == "ok", result.reply
    return result


@pytest.mark.parametrize("level", [0, 1, 2, 3])
def test_opt_levels(kernel, level):
    result = run_options(kernel, f"-O{level}", f"opt{level}")
    report = validate(result.reports[0])
    assert report["options"]["opt_level"] == level
    assert function(report, f"opt{level}")["status"] == "compiled"
    assert f"-O{level}" in result.report_bundle["text/plain"]


def test_strict_and_fast_in_options(kernel):
    report = validate(run_options(kernel, "--strict --fast", "strict_fast").reports[0])
    assert report["options"]["strict"] is True and report["options"]["fast"] is True
    assert function(report, "strict_fast")["status"] == "compiled"


def test_strict_compile_failure_is_an_error_reply(kernel):
    kernel.execute("kept_before_strict = 41")
    result = kernel.execute("%%pyvorin --strict\ndef gen_strict(n):\n    for i in range(n):\n"
                            "        yield i\nlist(gen_strict(3))\n")
    assert result.status == "error"
    assert result.reply["ename"] == "CompilationError"
    assert "gen_strict" in result.reply["evalue"]
    alive = kernel.execute("kept_before_strict + 1")
    assert alive.result["text/plain"] == "42"


def test_show_expands_sections(kernel):
    result = run_options(kernel, "--show=ir,timing", "shown")
    html = result.report_bundle["text/html"]
    assert 'pv-section-ir" open' in html
    assert 'pv-section-timing" open' in html
    assert 'pv-section-asm" open' not in html
    assert validate(result.reports[0])["options"]["show"] == ["ir", "timing"]
    assert "-- shown: LLVM IR --" in result.report_bundle["text/plain"]
    everything = run_options(kernel, "--show=all", "shown_all")
    assert validate(everything.reports[0])["options"]["show"] == [
        "ast", "types", "objects", "ir", "passes", "opt-ir", "asm", "cfg", "line-map", "remarks", "timing"]


def test_asm_syntax(kernel):
    att = function(validate(run_options(kernel, "--asm-syntax=att", "att_fn").reports[0]), "att_fn")
    intel = validate(run_options(kernel, "--asm-syntax=intel", "intel_fn").reports[0])
    assert intel["options"]["asm_syntax"] == "intel"
    assert "%r" in att["asm"] or "%e" in att["asm"]
    assert "%r" not in function(intel, "intel_fn")["asm"]
    assert "Assembly (intel)" in run_options(kernel, "--asm-syntax intel", "intel2").report_bundle["text/html"]


def test_no_compare(kernel):
    result = run_options(kernel, "--no-compare", "no_cmp")
    assert validate(result.reports[0])["comparison"] is None
    assert result.result["text/plain"] == repr(sum(range(100)))


def test_no_cache(kernel):
    report = validate(run_options(kernel, "--no-cache", "no_cache_fn").reports[0])
    assert report["options"]["cache"] is False
    assert function(report, "no_cache_fn").get("cache", "off") != "hit"


def test_quiet_shows_no_report_but_runs(kernel):
    result = run_options(kernel, "--quiet", "quiet_fn")
    assert result.reports == []
    assert result.result["text/plain"] == repr(sum(range(100)))
    assert kernel.execute("quiet_fn.compiled").result["text/plain"] == "True"


def test_help_prints_usage_and_runs_nothing(kernel):
    result = kernel.execute("%%pyvorin --help\nhelp_ran = 1\n")
    assert result.status == "ok"
    assert "Usage: %%pyvorin [options]" in result.stdout
    assert "--asm-syntax" in result.stdout
    assert kernel.execute("'help_ran' in globals()").result["text/plain"] == "False"
    line = kernel.execute("%pyvorin --help")
    assert "Usage: %%pyvorin [options]" in line.stdout


@pytest.mark.parametrize("options, culprit", [
    ("--bogus", "'--bogus'"),
    ("--show=ir,nonsense", "'nonsense'"),
    ("--asm-syntax=masm", "'masm'"),
    ("-O7", "'-O7'"),
])
def test_bad_options_are_clear_errors_and_run_nothing(kernel, options, culprit):
    result = kernel.execute(f"%%pyvorin {options}\nbad_option_ran = 1\n")
    assert result.status == "error"
    assert result.reply["ename"] == "UsageError"
    assert culprit in result.reply["evalue"]
    assert "Valid" in result.reply["evalue"]
    assert culprit in result.stderr
    assert kernel.execute("'bad_option_ran' in globals()").result["text/plain"] == "False"


# -- line magics -----------------------------------------------------------------------------

def test_pyvorin_report_shows_a_function_again(kernel):
    run_options(kernel, "", "again")
    result = kernel.execute("%pyvorin_report again --show=asm")
    assert result.status == "ok", result.reply
    report = validate(result.reports[0])
    assert [f["name"] for f in report["functions"]] == ["again"]
    assert report["comparison"] is None
    assert 'pv-section-asm" open' in result.report_bundle["text/html"]
    last = kernel.execute("%pyvorin_report --show=types")
    assert last.status == "ok", last.reply
    last_report = validate(last.reports[0])
    assert [f["name"] for f in last_report["functions"]] == ["again"]
    assert last_report["options"]["show"] == ["types"] and last_report["comparison"] is not None
    missing = kernel.execute("%pyvorin_report no_such_function")
    assert missing.status == "error" and "not defined" in missing.reply["evalue"]
    not_jit = kernel.execute("def plain_py(): pass\n%pyvorin_report plain_py")
    assert not_jit.status == "error" and "not a Pyvorin-compiled function" in not_jit.reply["evalue"]


def test_pyvorin_config_sets_and_resets_defaults(kernel):
    shown = kernel.execute("%pyvorin_config -O3 --show=remarks")
    assert "-O3 --show=remarks" in shown.stdout
    report = validate(run_options(kernel, "", "configured").reports[0])
    assert report["options"]["opt_level"] == 3 and report["options"]["show"] == ["remarks"]
    assert validate(run_options(kernel, "-O1", "overridden").reports[0])["options"]["opt_level"] == 1
    bad = kernel.execute("%pyvorin_config --fastest")
    assert bad.status == "error" and "'--fastest'" in bad.reply["evalue"]
    reset = kernel.execute("%pyvorin_config --reset")
    assert "defaults: -O2" in reset.stdout
    assert validate(run_options(kernel, "", "after_reset").reports[0])["options"]["opt_level"] == 2


# -- error paths -----------------------------------------------------------------------------

def test_syntax_error_is_pythons_own(kernel):
    kernel.execute("kept_before_syntax = 'intact'")
    result = kernel.execute("%%pyvorin\ndef broken(:\n    return 1\n")
    assert result.status == "error"
    assert result.reply["ename"] == "SyntaxError"
    shown = result.traceback
    assert "line 2" in shown and "def broken(:" in shown
    assert "run_cell_magic" not in shown and "magic_cell" not in shown  # as in a plain cell
    assert kernel.execute("kept_before_syntax").result["text/plain"] == "'intact'"


def test_runtime_error_in_compiled_code_has_python_traceback(kernel):
    result = kernel.execute("%%pyvorin\ndef divide(a, b):\n    q = a // b\n    return q\ndivide(7, 0)\n")
    assert result.status == "error"
    assert result.reply["ename"] == "ZeroDivisionError"
    traceback = result.traceback
    assert "divide" in traceback and "q = a // b" in traceback
    assert "magic_cell.py" not in traceback  # our frames are hidden
    assert kernel.execute("divide(8, 2)").result["text/plain"] == "4"


def test_internal_error_is_an_error_reply_and_namespace_survives(kernel):
    kernel.execute("kept_before_internal = [1, 2]")
    sabotage = ("import pyvorin.magic as _m\n_saved_display = _m.display_report\n"
                "def _broken(report):\n    raise ValueError('renderer exploded')\n"
                "_m.display_report = _broken\n")
    assert kernel.execute(sabotage).status == "ok"
    try:
        result = kernel.execute("%%pyvorin\ndef internal_fn(n):\n    return n\ninternal_fn(1)\n")
        assert result.status == "error"
        assert "internal error" in result.reply["evalue"]
        assert "renderer exploded" in result.reply["evalue"]
    finally:
        kernel.execute("_m.display_report = _saved_display")
    assert kernel.execute("kept_before_internal, internal_fn(5)").result["text/plain"] == "([1, 2], 5)"
    assert kernel.execute(BENCHMARK_CELL.replace("benchmark", "after_internal")).status == "ok"


# -- completion ------------------------------------------------------------------------------

def complete(kernel, code):
    kernel.client.complete(code, len(code))
    while True:
        reply = kernel.client.get_shell_msg(timeout=30)
        if reply["msg_type"] == "complete_reply":
            return reply["content"]["matches"]


def test_option_and_name_completion(kernel):
    assert {"--strict", "--show="} <= set(complete(kernel, "%%pyvorin --s"))
    assert "--no-cache" in complete(kernel, "%pyvorin_config --no-c")
    assert "opt-ir" in complete(kernel, "%%pyvorin --show=ir,o")
    assert "intel" in complete(kernel, "%%pyvorin --asm-syntax=i")
    run_options(kernel, "--quiet", "completed_fn")
    assert complete(kernel, "%pyvorin_report completed_") == ["completed_fn"]


def test_one_compiler_per_process(kernel):
    """The magic's dispatchers are the package's; the kernel holds one libpyvorin (one JIT)."""
    run_options(kernel, "--quiet", "one_copy")
    result = kernel.execute(
        "import pyvorin, sys\n"
        "maps = open('/proc/self/maps').read().splitlines()\n"
        "libs = {line.split()[-1] for line in maps if 'libpyvorin' in line}\n"
        "isinstance(one_copy, pyvorin.Dispatcher), len(libs), sys.executable")
    assert result.result["text/plain"] == "(True, 1, '/usr/bin/python3')"


def test_module_constants_compile_and_rebinding_recompiles(kernel):
    result = kernel.execute("%%pyvorin\nRATE = 0.5\nVERBOSE = None\n\ndef taxed(x):\n"
                            "    if VERBOSE is None:\n        return x * RATE\n    return x\n\ntaxed(4.0)\n")
    assert result.status == "ok", result.reply
    entry = function(validate(result.reports[0]), "taxed")
    assert entry["status"] == "compiled", entry["fallback"]
    assert any(t["name"] == "RATE" and t["because"] == "global constant RATE = 0.5" for t in entry["types"])
    assert result.result["text/plain"] == "2.0"
    result = kernel.execute("RATE = 2.0\ntaxed(4.0), taxed.stats['native_calls'] >= 2")
    assert result.status == "ok", result.reply
    assert result.result["text/plain"] == "(8.0, True)"


def test_show_passes_and_cfg(kernel):
    result = kernel.execute(BENCHMARK_CELL.replace("benchmark", "bench_passes").replace(
        "%%pyvorin\n", "%%pyvorin --show=passes,cfg\n"))
    assert result.status == "ok", result.reply
    report = validate(result.reports[0])
    assert report["options"]["show"] == ["passes", "cfg"]
    entry = function(report, "bench_passes")
    steps = entry["pass_steps"]["steps"]
    assert [s["pass"] for s in steps][:1] == ["MergeChecksPass"] or steps, steps[:3]
    assert any(s["pass"] == "LoopRotatePass" for s in steps)
    assert all(s["diff"].startswith("@@ ") for s in steps)
    graphs = entry["cfg"]["functions"]
    assert graphs and graphs[0]["source_svg"].startswith("<svg"), entry["cfg"].get("error")
    html = result.report_bundle["text/html"]
    assert '<details class="pv-section pv-section-passes" open>' in html
    assert '<details class="pv-section pv-section-cfg" open>' in html and "<svg" in html
    text = result.report_bundle["text/plain"]
    assert "-- bench_passes: passes that changed the IR --" in text and "LoopRotatePass on bench_passes" in text
    # %pyvorin_report NAME --show=passes computes them for a function defined earlier
    again = kernel.execute("%pyvorin_report bench_passes --show=passes")
    assert again.status == "ok", again.reply
    assert function(validate(again.reports[0]), "bench_passes")["pass_steps"]["steps"]


def test_report_size_budget_and_ir_without_debug_metadata(kernel):
    # A report with everything collapsed: the listings plain, the IR without debug metadata.
    # (Before: 300 KB of HTML for this cell.)
    result = kernel.execute(BENCHMARK_CELL.replace("benchmark", "bench_size"))
    assert result.status == "ok", result.reply
    html = result.report_bundle["text/html"]
    assert len(html.encode()) <= 120_000, len(html.encode())
    entry = function(validate(result.reports[0]), "bench_size")
    for key in ("ir", "opt_ir"):
        assert "!dbg" not in entry[key] and "!DILocation" not in entry[key], key
        assert "lines of debug metadata left out (%%pyvorin --debug-ir shows them)" in entry[key]
    assert "xpython_" not in entry["ir"] and "/tmp/" not in entry["ir"]  # no kernel-specific cell path (a load-time symbol)
    # the line map still cites the same lines
    opt_lines = entry["opt_ir"].splitlines()
    for line, where in entry["line_map"].items():
        for n in where["ir"]:
            assert opt_lines[n - 1].strip(), (line, n)
    # --debug-ir keeps them
    debug = kernel.execute(BENCHMARK_CELL.replace("benchmark", "bench_size_dbg").replace(
        "%%pyvorin\n", "%%pyvorin --debug-ir\n"))
    entry = function(validate(debug.reports[0]), "bench_size_dbg")
    assert "!dbg" in entry["ir"] and "!DILocation" in entry["opt_ir"]



@pytest.mark.parametrize("which", ["kernel", "ipykernel"])
def test_execution_counts_stay_as_in_plain_cells(which, request):
    # A SyntaxError in a %%pyvorin cell counts once, as in a plain cell: In [n] is followed by
    # Out[n+1] and every reply's count matches its input's.
    session = request.getfixturevalue(which)
    if which == "ipykernel":
        session.execute("%load_ext pyvorin")
    cells = ["1 + 1", "%%pyvorin\ndef broken(:\n    pass\n", "2 + 2", "x = (", "3 + 3",
             "%%pyvorin\ndef fine_count(n):\n    return n\nfine_count(1)\n",
             "%%pyvorin\ndef fails_count(n):\n    return 1 // n\nfails_count(0)\n", "4 + 4"]
    counts = []
    for code in cells:
        r = session.execute(code, stop_on_error=False)  # (else a kernel may abort the next request)
        inputs = [c["execution_count"] for c in r.of_type("execute_input")]
        outputs = [c["execution_count"] for c in r.of_type("execute_result")]
        assert inputs == [r.reply["execution_count"]], (code, inputs, r.reply)
        assert outputs in ([], inputs), (code, outputs, inputs)
        counts.append(r.reply["execution_count"])
    assert counts == list(range(counts[0], counts[0] + len(cells))), counts


@pytest.mark.parametrize("which", ["kernel", "ipykernel"])
def test_tracebacks_show_the_users_frames_only(which, request):
    session = request.getfixturevalue(which)
    if which == "ipykernel":
        session.execute("%load_ext pyvorin")
    r = session.execute("%%pyvorin\ndef div_tb(n):\n    return 1 // n\n\ndiv_tb(0)\n", stop_on_error=False)
    assert r.status == "error" and r.reply["ename"] == "ZeroDivisionError"
    tb = r.traceback
    for internal in ("run_cell_magic", "interactiveshell.py", "pyvorin/", "skipping hidden"):
        assert internal not in tb, tb
    assert "----> 5 div_tb(0)" in tb and "----> 3     return 1 // n" in tb, tb
    # a plain cell's error afterwards is printed in full, as before
    plain = session.execute("def plain_tb():\n    raise ValueError('x')\nplain_tb()", stop_on_error=False)
    assert "----> 3 plain_tb()" in plain.traceback and "----> 2     raise ValueError('x')" in plain.traceback
    # the syntax error of a %%pyvorin cell, as in a plain cell
    bad = session.execute("%%pyvorin\ndef f_syntax(:\n    pass\n", stop_on_error=False)
    assert bad.reply["ename"] == "SyntaxError" and "run_cell_magic" not in bad.traceback, bad.traceback


def test_report_of_a_failed_cell_is_not_the_previous_cells(kernel):
    ok = kernel.execute("%%pyvorin\ndef earlier_cell(n):\n    return n\nearlier_cell(1)\n")
    assert ok.status == "ok"
    failed = kernel.execute("%%pyvorin\nraise RuntimeError('before any def')\n")
    assert failed.status == "error"
    again = kernel.execute("%pyvorin_report")
    assert again.status == "error" and "the last %%pyvorin cell made no report" in again.reply["evalue"], again.reply
    # a --quiet cell's report is kept for %pyvorin_report
    kernel.execute("%%pyvorin --quiet\ndef quiet_cell(n):\n    return n\nquiet_cell(2)\n")
    shown = kernel.execute("%pyvorin_report")
    assert shown.status == "ok" and shown.reports[0]["functions"][0]["name"] == "quiet_cell"


def test_helper_and_caller_are_both_compiled_with_everything(kernel):
    # The acceptance scenario: a helper called only from compiled code shows its own compile.
    result = kernel.execute("%%pyvorin\ndef tri_acc(n):\n    return n * (n + 1) // 2\n\n"
                            "def caller_acc(n):\n    s = 0\n    for i in range(n):\n        s += tri_acc(i) % 7\n"
                            "    return s\n\ncaller_acc(200000)\n")
    assert result.status == "ok", result.reply
    report = validate(result.reports[0])
    for name in ("tri_acc", "caller_acc"):
        entry = function(report, name)
        assert entry["status"] == "compiled", (name, entry["status"])
        assert entry["signatures"] == [{"args": ["int"], "return": "int"}], (name, entry["signatures"])
        for key in ("ast", "types", "ir", "opt_ir", "asm", "line_map", "timings_ms"):
            assert entry[key], (name, key)
    assert function(report, "tri_acc")["callers"] == ["caller_acc"]
    assert report["comparison"]["same"] is True
    # the CPython comparison run is not counted as CPython calls of the helper
    stats = kernel.execute("print(tri_acc.stats['python_calls'], tri_acc.cpython_runs)")
    assert stats.stdout.strip() == "0 []", stats.stdout


def test_calls_with_effects_are_not_repeated_for_timing(kernel, tmp_path):
    # a short call that writes to a file: timing it with repetitions would write again and again
    path = tmp_path / "effects.txt"
    result = kernel.execute(f"%%pyvorin\ndef log_effect(n):\n    with open({str(path)!r}, 'a') as f:\n"
                            f"        f.write('x')\n    return n\n\nlog_effect(3)\n")
    assert result.status == "ok", result.reply
    comparison = validate(result.reports[0])["comparison"]
    assert comparison.get("too_short") is True and "repeats" not in comparison["native"], comparison
    assert len(path.read_text()) <= 3  # the cell's call, the warm run, CPython's: no repetitions


def test_reruns_of_a_generator_expression_use_the_copies(kernel):
    result = kernel.execute("%%pyvorin\ndef push_gen(xs, v):\n    xs.append(v)\n    return len(xs)\n\n"
                            "gen_items = []\nsum(push_gen(gen_items, i) for i in range(3))\n")
    assert result.status == "ok", result.reply
    comparison = validate(result.reports[0])["comparison"]
    assert comparison["same"] is True, comparison
    assert kernel.execute("print(gen_items)").stdout.strip() == "[0, 1, 2]"
