// Plain-text rendering (jupyter console, IPython): one aligned line per function, the comparison,
// and the --show sections in full.
#include <gtest/gtest.h>

#include "pyvorin/magics/render.h"
#include "test_report_fixture.h"

using namespace pyvorin::magics;
using nlohmann::json;

namespace {
bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}
}  // namespace

TEST(ReportText, SummaryLinePerFunction) {
  std::string text = render_text(sample_report());
  EXPECT_EQ(text.rfind("Pyvorin report (-O3): 3 functions\n", 0), 0u) << text;
  EXPECT_TRUE(contains(text, "  benchmark  compiled  (int) -> int   9.00 ms, 1.5 KiB, cache miss\n")) << text;
  EXPECT_TRUE(contains(text, "  gen        fallback  runs in CPython [PV103]: generators are not supported (line 10)")) << text;
  EXPECT_TRUE(contains(text, "suggestion: build and return a list instead")) << text;
  EXPECT_TRUE(contains(text, "  later      pending   not called yet")) << text;
  EXPECT_FALSE(contains(text, "<"));  // no markup
  EXPECT_NE(text.back(), '\n');
}

TEST(ReportText, Comparison) {
  std::string text = render_text(sample_report());
  EXPECT_TRUE(contains(text, "Side by side: benchmark(10_000_000)\n")) << text;
  EXPECT_TRUE(contains(text, "  CPython  149999985000000  800 ms\n")) << text;
  EXPECT_TRUE(contains(text, "  Pyvorin  149999985000000  4.00 ms   speed-up 200x, same result")) << text;
  json report = sample_report();
  report["comparison"]["same"] = false;
  EXPECT_TRUE(contains(render_text(report), "RESULTS DIFFER"));
}

TEST(ReportText, ShowAppendsSectionsInFull) {
  std::string plain = render_text(sample_report());
  EXPECT_FALSE(contains(plain, "-- benchmark: LLVM IR --"));
  std::string text = render_text(sample_report({"all"}));
  for (const char *title : {"-- benchmark: AST --", "-- benchmark: types --",
                            "-- benchmark: variables and C-API calls --", "-- benchmark: LLVM IR --",
                            "-- benchmark: optimised LLVM IR --", "-- benchmark: assembly --",
                            "-- benchmark: line map --", "-- benchmark: remarks --", "-- benchmark: timing --"})
    EXPECT_TRUE(contains(text, title)) << title;
  EXPECT_TRUE(contains(text, "%r = mul i64 %n, 3"));
  EXPECT_TRUE(contains(text, "  line 3    -> IR 3; asm 2"));
  EXPECT_TRUE(contains(text, "vectorised"));
  EXPECT_TRUE(contains(text, "object size 1.5 KiB"));
  EXPECT_TRUE(contains(text, "  passes: 3 run; slowest loop-vectorize 1.25 ms, instcombine 0.750 ms")) << text;
}

TEST(ReportText, VariablesAndCApiMarkers) {
  std::string plain = render_text(sample_report());
  EXPECT_FALSE(contains(plain, "C-API calls per line"));
  std::string text = render_text(sample_report({"objects"}));
  EXPECT_TRUE(contains(text, "-- benchmark: variables and C-API calls --\n")) << text;
  EXPECT_TRUE(contains(text, "  i   int                  native i64\n")) << text;
  EXPECT_TRUE(contains(text, "  xs  list[int]            CPython object (PyObject*), private to the call\n")) << text;
  EXPECT_TRUE(contains(text, "  C-API calls per line:\n")) << text;
  EXPECT_TRUE(contains(text, "      2 .   | def benchmark(n):\n")) << text;
  EXPECT_TRUE(contains(text, "      3 +   |     total = 0  # 1: PyList_New\n")) << text;
  EXPECT_TRUE(contains(text, "      4 +++ |     for i in range(n):  # 7: PyList_Append, PyLong_FromLongLong\n")) << text;
  EXPECT_FALSE(contains(text, "-- gen: variables")) << text;  // a fallback has none
}

TEST(ReportText, ToleratesPartialReports) {
  EXPECT_NO_THROW(render_text(json::object()));
  EXPECT_NO_THROW(render_text({{"functions", {json::object(), "x"}}}));
  EXPECT_EQ(render_text(json::object()), "Pyvorin report (-O2): 0 functions");
}

TEST(ReportText, RangeAnalysisInRemarks) {
  json report = sample_report({"remarks"});
  report["functions"][0]["ranges"] = json::array(
      {{{"function", "benchmark"}, {"line", 3}, {"loop", "range(x.shape[0])"},
        {"removed_bounds_checks", json::array({{{"line", 4}, {"array", "out"}, {"axis", 0}, {"index", "i - 1"}}})},
        {"removed_overflow_checks", json::array({{{"line", 5}, {"variable", "t"}, {"expression", "t + i % 10"},
                                                  {"addend_min", 0}, {"addend_max", 9}}})}}});
  std::string text = render_text(report);
  EXPECT_TRUE(contains(text, "  line 3    passed     ranges: loop over range(x.shape[0]) versioned; the fast copy drops "
                             "[bounds check of out[i - 1], line 4] [overflow check of t + i % 10, line 5]"))
      << text;
}

TEST(ReportText, ProvenChecksInRemarks) {
  json report = sample_report({"remarks"});
  report["functions"][0]["ranges"] = json::array(
      {{{"function", "histogram"}, {"line", 5}, {"loop", "range(x.shape[0])"},
        {"removed_bounds_checks", json::array({{{"line", 10}, {"array", "counts"}, {"axis", 0}, {"index", "k"},
                                                {"range", "[int(lo - lo), min(int(hi - lo), bins - 1)]"}}})},
        {"removed_overflow_checks", json::array()},
        {"removed_value_checks", json::array({{{"line", 8}, {"check", "int() range"}, {"expression", "int(v - lo)"},
                                               {"range", "[lo - lo, hi - lo]"}}})}}});
  std::string text = render_text(report);
  EXPECT_TRUE(contains(text, "the fast copy drops [bounds check of counts[k] in [int(lo - lo), min(int(hi - lo), bins - 1)], "
                             "line 10] [int() range test of int(v - lo) in [lo - lo, hi - lo], line 8]"))
      << text;
}

TEST(ReportText, WholeFunctionFloatClassesInRemarks) {
  json report = sample_report({"remarks"});
  report["functions"][0]["ranges"] = json::array(
      {{{"function", "norm_cdf"}, {"line", 3}, {"whole_function", true}, {"removed_bounds_checks", json::array()},
        {"removed_overflow_checks", json::array()},
        {"removed_value_checks", json::array({{{"line", 4}, {"check", "NumPy float warning"},
                                               {"expression", "1.0 / (1.0 + 0.2316419 * abs(x))"}, {"range", "[0.0, 1.0]"}}})}}});
  std::string text = render_text(report);
  EXPECT_TRUE(contains(text, "  line 3    passed     ranges: function norm_cdf (value classes of its floats, no loop "
                             "versioning) drops [NumPy float warning test of 1.0 / (1.0 + 0.2316419 * abs(x)) in [0.0, 1.0], line 4]"))
      << text;
  EXPECT_FALSE(contains(text, "loop over")) << text;
}

TEST(ReportText, CounterArrayInRemarks) {
  json report = sample_report({"remarks"});
  report["functions"][0]["ranges"] = json::array(
      {{{"function", "benchmark"}, {"line", 2}, {"counter", "counts"}, {"removed_bounds_checks", json::array()},
        {"removed_overflow_checks", json::array({{{"line", 6}, {"variable", "counts"}, {"expression", "counts[k] + 1"},
                                                  {"addend_min", 1}, {"addend_max", 1}}})}}});
  std::string text = render_text(report);
  EXPECT_TRUE(contains(text, "  line 2    passed     ranges: counter array counts (made by np.zeros, only ever incremented "
                             "by 1) drops [overflow check of counts[k] + 1, line 6]"))
      << text;
  EXPECT_FALSE(contains(text, "versioned")) << text;
}

TEST(ReportText, ListingsAreNumberedAsTheLineMapCitesThem) {
  std::string text = render_text(sample_report({"opt-ir", "asm"}));
  EXPECT_TRUE(contains(text, "3    %r = mul i64 %n, 3\n")) << text;
  EXPECT_TRUE(contains(text, "2  \tleaq\t(%rdi,%rdi,2), %rax\n")) << text;
}

TEST(ReportText, TimingInOneUnitAddsUpToTheTotal) {
  json report = sample_report({"timing"});
  report["functions"][0]["timings_ms"] = {{"parse", 0.25}, {"optimize", 4.0}, {"load", 0.5}, {"total", 5.0}, {"asm", 2.5}};
  std::string text = render_text(report);
  EXPECT_TRUE(contains(text, "  parse          0.250 ms\n")) << text;
  EXPECT_TRUE(contains(text, "  optimize       4.000 ms\n")) << text;
  EXPECT_TRUE(contains(text, "  other          0.250 ms  (between the stages")) << text;
  EXPECT_TRUE(contains(text, "  total          5.000 ms  (the compile)\n")) << text;
  EXPECT_TRUE(contains(text, "  asm            2.500 ms  (the assembly text, printed when the report was first read)")) << text;
}

TEST(ReportText, ADiskHitIsLoadedNotCompiled) {
  json report = sample_report({"timing"});
  json &f = report["functions"][0];
  f["cache"] = "disk hit";
  f["compile_timings_ms"] = f["timings_ms"];
  f["compile_timings_ms"]["total"] = 9.0;
  f["timings_ms"] = {{"cache", 0.75}, {"load", 0.25}, {"total", 1.0}};
  std::string text = render_text(report);
  EXPECT_TRUE(contains(text, "cache disk hit")) << text;
  EXPECT_TRUE(contains(text, "  cache          0.750 ms  (the disk cache entry looked up and checked)\n")) << text;
  EXPECT_TRUE(contains(text, "  load           0.250 ms  (its object linked into the JIT)\n")) << text;
  EXPECT_TRUE(contains(text, "  total          1.000 ms  (loaded from the disk cache: no compile)\n")) << text;
  EXPECT_TRUE(contains(text, "  compiled       9.000 ms  (what the compile that made the entry took)\n")) << text;
  EXPECT_FALSE(contains(text, "(the compile)")) << text;
}

TEST(ReportText, PassesAndCfgSections) {
  json report = sample_report({"passes", "cfg"});
  report["functions"][0]["pass_steps"] = {
      {"opt_level", 2}, {"ms", 3.0},
      {"functions", {{{"function", "benchmark"}, {"runs", 40}, {"changed", 1}, {"ms", 1.5}}}},
      {"steps", {{{"index", 1}, {"pass", "SROAPass"}, {"function", "benchmark"}, {"added", 1}, {"removed", 2},
                  {"diff", "@@ -1,3 +1,2 @@\n entry:\n-  %a = alloca i64\n-  store i64 0, ptr %a\n+  %x = add i64 0, 0\n"}}}}};
  report["functions"][0]["cfg"] = {{"functions", {{{"function", "benchmark"}, {"source_svg", "<svg></svg>"}}}}};
  std::string text = render_text(report);
  EXPECT_TRUE(contains(text, "-- benchmark: passes that changed the IR --\n  benchmark: 40 passes ran, 1 changed it, 1.500 ms\n")) << text;
  EXPECT_TRUE(contains(text, "  1. SROAPass on benchmark (+1 -2)\n     @@ -1,3 +1,2 @@\n      entry:\n     -  %a = alloca i64\n")) << text;
  EXPECT_TRUE(contains(text, "-- benchmark: control-flow graphs --\n  benchmark: drawn as SVG in the HTML report")) << text;
  std::string html = render_html(report);
  EXPECT_TRUE(contains(html, "<summary>1. SROAPass <span class=\"pv-muted\">on</span> <code>benchmark</code>")) << html;
  EXPECT_TRUE(contains(html, "<span class=\"pv-row pv-del\">-  %a = alloca i64</span>"));
  EXPECT_TRUE(contains(html, "<span class=\"pv-row pv-add\">+  %x = add i64 0, 0</span>"));
  EXPECT_TRUE(contains(html, "<div class=\"pv-scroll\"><svg></svg></div>"));
  EXPECT_TRUE(contains(html, "pv-section-passes\" open") && contains(html, "pv-section-cfg\" open"));
}
