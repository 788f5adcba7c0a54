// HTML rendering of the report: sections as <details> (expanded per --show), no JavaScript, the
// line map's shared colours, escaping, highlighted listings, and tolerance of partial reports.
#include <gtest/gtest.h>

#include <regex>

#include "pyvorin/magics/render.h"
#include "test_report_fixture.h"

using namespace pyvorin::magics;
using nlohmann::json;

namespace {

bool contains(const std::string &haystack, const std::string &needle) {
  return haystack.find(needle) != std::string::npos;
}

size_t count(const std::string &haystack, const std::string &needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The inline style of the row for `line` inside the <pre> with class `listing`.
std::string row_style(const std::string &html, const std::string &listing, int line) {
  size_t start = html.find("<pre class=\"" + listing + "\"");
  if (start == std::string::npos) return "";
  size_t end = html.find("</pre>", start);
  std::string pre = html.substr(start, end - start);
  std::regex row("data-line=\"" + std::to_string(line) + "\"( style=\"([^\"]*)\")?");
  std::smatch match;
  if (!std::regex_search(pre, match, row)) return "";
  return match[2].str();
}

}  // namespace

TEST(ReportHtml, SelfContainedWithoutJavaScript) {
  std::string html = render_html(sample_report());
  EXPECT_EQ(html.rfind("<div class=\"pyvorin-report\">", 0), 0u);
  EXPECT_TRUE(contains(html, "<style>"));
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_FALSE(contains(html, "onclick"));
  EXPECT_FALSE(contains(html, "javascript:"));
  EXPECT_EQ(count(html, "<div"), count(html, "</div>"));
  EXPECT_EQ(count(html, "<details"), count(html, "</details>"));
  EXPECT_EQ(count(html, "<table"), count(html, "</table>"));
}

TEST(ReportHtml, SummaryShowsStatusSignaturesAndCosts) {
  std::string html = render_html(sample_report());
  EXPECT_TRUE(contains(html, "pv-badge pv-compiled"));
  EXPECT_TRUE(contains(html, "pv-badge pv-fallback"));
  EXPECT_TRUE(contains(html, "pv-badge pv-pending"));
  EXPECT_TRUE(contains(html, "(int) -&gt; int"));
  EXPECT_TRUE(contains(html, "9.00 ms"));  // total of the stage timings
  EXPECT_TRUE(contains(html, "1.5 KiB"));
  EXPECT_TRUE(contains(html, "-O3"));
  EXPECT_TRUE(contains(html, "not called yet"));
  json report = sample_report();
  report["functions"][2]["cache"] = "miss";  // a pending function has no compile to come from a cache
  EXPECT_EQ(count(render_html(report), "<td>miss</td>"), 1u);
}

TEST(ReportHtml, EverySectionOfACompiledFunction) {
  std::string html = render_html(sample_report());
  for (const char *section : {"ast", "types", "objects", "ir", "opt-ir", "asm", "line-map", "remarks", "timing"})
    EXPECT_TRUE(contains(html, std::string("pv-section-") + section + "\"")) << section;
  EXPECT_TRUE(contains(html, "FunctionDef(name=&#39;benchmark&#39;)"));
  EXPECT_TRUE(contains(html, "\xE2\x94\x9C\xE2\x94\x80 arguments"));  // the tree drawing survives
  EXPECT_TRUE(contains(html, "<td><code>total</code></td><td><code>int</code></td><td>assigned 0 (int literal)</td>"));
  EXPECT_TRUE(contains(html, "Optimised LLVM IR (-O3)"));
  EXPECT_TRUE(contains(html, "Assembly (att)"));
  EXPECT_TRUE(contains(html, "pv-badge pv-vectorised"));
  EXPECT_TRUE(contains(html, "pv-badge pv-inlined"));
  EXPECT_TRUE(contains(html, "vectorization width: 4"));
  EXPECT_TRUE(contains(html, "passes run (3)"));
  EXPECT_TRUE(contains(html, "<td><code>instcombine</code></td><td class=\"pv-num\">2</td><td class=\"pv-num\">0.750 ms</td>"));
  EXPECT_TRUE(contains(html, "<td><code>simplifycfg</code></td>"));
  EXPECT_TRUE(contains(html, "<td>optimize</td><td class=\"pv-num\">4.000 ms</td>"));
  // one unit down the column, and rows that add up to the total
  EXPECT_TRUE(contains(html, "<th>total <span class=\"pv-muted\">(the compile)</span></th><th class=\"pv-num\">9.000 ms</th>"));
  // the pass-by-pass view and the graphs are offered
  EXPECT_TRUE(contains(html, "<code>--show=passes,cfg</code>"));
  EXPECT_TRUE(contains(html, "object size: 1.5 KiB (1536 bytes)"));
  EXPECT_TRUE(contains(html, "cache: miss"));
}

// The row for `line` inside the <pre> with class `listing`: its opening tag and its contents.
std::string row_of(const std::string &html, const std::string &listing, int line) {
  size_t start = html.find("<pre class=\"" + listing + "\"");
  if (start == std::string::npos) return "";
  size_t end = html.find("</pre>", start);
  size_t row = html.find("data-line=\"" + std::to_string(line) + "\"", start);
  if (row == std::string::npos || row > end) return "";
  size_t open = html.rfind("<span", row);
  return html.substr(open, html.find('\n', row) - open);
}

TEST(ReportHtml, VariablesTableAndCApiMarkersPerLine) {
  std::string html = render_html(sample_report());
  EXPECT_TRUE(contains(html, "<table class=\"pv-vars\"><tr><th>variable</th><th>type</th><th>representation</th></tr>"));
  EXPECT_TRUE(contains(html, "<tr><td><code>i</code></td><td><code>int</code></td><td>native i64</td></tr>"));
  EXPECT_TRUE(contains(html, "<td><code>list[int]</code></td><td>CPython object (PyObject*), private to the call</td>"));
  EXPECT_TRUE(contains(html, "Variables and C-API calls (8 calls)"));
  // Every source line has a row; the shade and the marker follow the number of calls.
  std::string plain = row_of(html, "pv-capi", 2), one = row_of(html, "pv-capi", 3), many = row_of(html, "pv-capi", 4);
  ASSERT_FALSE(plain.empty());
  EXPECT_FALSE(contains(plain, "pv-capi-"));
  EXPECT_TRUE(contains(plain, "<span class=\"pv-mark\">.</span>def benchmark(n):"));
  EXPECT_TRUE(contains(one, "class=\"pv-row pv-capi-1\""));
  EXPECT_TRUE(contains(one, "title=\"1 C-API call: PyList_New\""));
  EXPECT_TRUE(contains(one, "<span class=\"pv-mark\">+</span>    total = 0"));
  EXPECT_TRUE(contains(many, "class=\"pv-row pv-capi-3\""));
  EXPECT_TRUE(contains(many, "<span class=\"pv-mark\">+++</span>"));
  EXPECT_TRUE(contains(many, "<span class=\"pv-calls\">  # 7: PyList_Append, PyLong_FromLongLong</span>"));
  EXPECT_FALSE(contains(row_of(html, "pv-capi", 6), "pv-capi-"));
  EXPECT_TRUE(contains(html, ".pyvorin-report .pv-capi-3{background:rgba("));  // translucent: both themes
}

TEST(ReportHtml, CApiMarkersWithoutSourceListTheCallingLines) {
  json report = sample_report();
  report["functions"][0].erase("source");
  report["functions"][0]["object_lines"][1]["calls"] = 3;
  std::string html = render_html(report);
  EXPECT_TRUE(contains(row_of(html, "pv-capi", 3), "pv-capi-1"));
  EXPECT_TRUE(contains(row_of(html, "pv-capi", 4), "pv-capi-2"));
  EXPECT_EQ(row_of(html, "pv-capi", 2), "");
  report["functions"][0].erase("variables");
  report["functions"][0].erase("object_lines");
  EXPECT_FALSE(contains(render_html(report), "pv-section-objects"));  // an older report
}

TEST(ReportHtml, FallbackShowsReasonLineAndSuggestion) {
  std::string html = render_html(sample_report());
  EXPECT_TRUE(contains(html, "Runs in CPython (PV103)"));
  EXPECT_TRUE(contains(html, "generators are not supported"));
  EXPECT_TRUE(contains(html, "(line 10)"));
  EXPECT_TRUE(contains(html, "construct: <code>Yield</code>"));
  EXPECT_TRUE(contains(html, "suggestion: build and return a list instead"));
}

TEST(ReportHtml, ShowControlsWhichSectionsStartOpen) {
  std::string closed = render_html(sample_report());
  EXPECT_FALSE(contains(closed, "pv-section-ir\" open"));
  std::string html = render_html(sample_report({"ir", "timing"}));
  EXPECT_TRUE(contains(html, "pv-section-ir\" open"));
  EXPECT_TRUE(contains(html, "pv-section-timing\" open"));
  EXPECT_FALSE(contains(html, "pv-section-asm\" open"));
  std::string all = render_html(sample_report({"all"}));
  for (const char *section : {"ast", "types", "objects", "ir", "opt-ir", "asm", "line-map", "remarks", "timing"})
    EXPECT_TRUE(contains(all, std::string("pv-section-") + section + "\" open")) << section;
}

TEST(ReportHtml, ComparisonSideBySide) {
  std::string html = render_html(sample_report());
  EXPECT_TRUE(contains(html, "<code>benchmark(10_000_000)</code>"));
  EXPECT_TRUE(contains(html, "<td>CPython</td><td><code>149999985000000</code></td><td class=\"pv-num\">800 ms</td>"));
  EXPECT_TRUE(contains(html, "<td>Pyvorin</td><td><code>149999985000000</code></td><td class=\"pv-num\">4.00 ms</td>"));
  EXPECT_TRUE(contains(html, "200\xC3\x97"));
  EXPECT_TRUE(contains(html, "pv-badge pv-same"));
  json report = sample_report();
  report["comparison"]["same"] = false;
  EXPECT_TRUE(contains(render_html(report), "pv-badge pv-differ"));
  report["comparison"] = nullptr;
  EXPECT_FALSE(contains(render_html(report), "Side by side"));
}

TEST(ReportHtml, LineMapColoursMatchAcrossSourceIrAndAsm) {
  std::string html = render_html(sample_report());
  // Source line 3 maps to optimised IR line 3 and asm line 2; source line 5 to IR 4 and asm 3.
  std::string first = row_style(html, "pv-map-src", 3);
  std::string second = row_style(html, "pv-map-src", 5);
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(second.empty());
  EXPECT_NE(first, second);
  EXPECT_EQ(row_style(html, "pv-map-ir", 3), first);
  EXPECT_EQ(row_style(html, "pv-map-asm", 2), first);
  EXPECT_EQ(row_style(html, "pv-map-ir", 4), second);
  EXPECT_EQ(row_style(html, "pv-map-asm", 3), second);
  EXPECT_EQ(row_style(html, "pv-map-src", 4), "");  // unmapped lines stay plain
  EXPECT_TRUE(contains(first, "background-color:#") && first.size() == std::string("background-color:#1f6feb38").size());
  // translucent (alpha 38): readable on light and dark; inline, so a sanitizer that drops <style> keeps it
}

TEST(ReportHtml, EscapesEverythingFromTheReport) {
  json report = sample_report();
  report["functions"][0]["name"] = "<b>evil</b>";
  report["functions"][0]["ir"] = "<script>alert(1)</script>";
  report["functions"][0]["variables"][0]["type"] = "<list>";
  report["functions"][0]["object_lines"][0]["functions"] = {"<Py_X>"};
  report["comparison"]["native"]["repr"] = "'<&>'";
  std::string html = render_html(report);
  EXPECT_FALSE(contains(html, "<script>"));
  EXPECT_FALSE(contains(html, "<b>evil</b>"));
  EXPECT_TRUE(contains(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  EXPECT_TRUE(contains(html, "&#39;&lt;&amp;&gt;&#39;"));
  EXPECT_FALSE(contains(html, "<list>"));
  EXPECT_FALSE(contains(html, "<Py_X>"));
  // the newer fields too: callers, calls in CPython, remarks' plain words, passes, graphs
  json &f = report["functions"][0];
  f["callers"] = {"<i>c</i>"};
  f["cpython_runs"] = {{{"reason", "<u>why</u>"}, {"calls", 1}}};
  f["remarks"][0]["why"] = "<em>because</em>";
  json step = json::object(), fn = json::object(), graph = json::object();
  step["index"] = 1, step["pass"] = "<p1>", step["function"] = "<f1>", step["added"] = 1, step["removed"] = 0;
  step["diff"] = "+<hr>";
  fn["function"] = "<f2>", fn["runs"] = 1, fn["changed"] = 1, fn["ms"] = 0.1;
  f["pass_steps"] = json::object();
  f["pass_steps"]["steps"] = json::array({step});
  f["pass_steps"]["functions"] = json::array({fn});
  graph["function"] = "<f3>", graph["opt_symbol"] = "<f4>";
  graph["source_svg"] = "<svg onload=\"alert(1)\"><text>x</text></svg>";
  graph["opt_svg"] = "<svg><script>alert(2)</script></svg>";
  f["cfg"] = json::object();
  f["cfg"]["error"] = "<s>e</s>";
  f["cfg"]["functions"] = json::array({graph});
  html = render_html(report);
  for (const char *markup : {"<i>c</i>", "<u>why</u>", "<em>because</em>", "<p1>", "<f1>", "<hr>", "<f2>", "<s>e</s>",
                             "<f3>", "<f4>", "onload", "<script>"})
    EXPECT_FALSE(contains(html, markup)) << markup;
  EXPECT_TRUE(contains(html, "not shown (the picture holds markup a report does not show)"));
  // a graphviz picture as dot draws it is shown; source text with "on" in a label is no handler
  graph = json::object();
  graph["function"] = "f";
  graph["source_svg"] = "<svg width=\"10pt\"><text x=\"1\">one = on</text></svg>";
  f["cfg"] = json::object();
  f["cfg"]["functions"] = json::array({graph});
  html = render_html(report);
  EXPECT_TRUE(contains(html, "<svg width=\"10pt\"><text x=\"1\">one = on</text></svg>"));
}

TEST(ReportHtml, FallbackFunctionShowsItsFallbackNotSignaturesNoneYet) {
  std::string html = render_html(sample_report());
  size_t gen = html.find("<span class=\"pv-fn-name\">gen</span>");
  ASSERT_NE(gen, std::string::npos);
  std::string box = html.substr(gen, html.find("</div></div>", gen) - gen);
  EXPECT_FALSE(contains(box, "none yet")) << box;
  EXPECT_TRUE(contains(box, "Runs in CPython (PV103)")) << box;
}

TEST(ReportHtml, UsesHighlightedListingsWhenTheyFit) {
  json report = sample_report();
  json highlights = json::array();
  json ir_lines = json::array();
  for (int i = 0; i < 5; ++i) ir_lines.push_back("<span class=\"t-k\">ir" + std::to_string(i) + "</span>");
  highlights.push_back({{"ir", ir_lines}, {"opt_ir", {"<span>too few</span>"}}, {"asm", nullptr}});
  std::string html = render_html(report, highlights);
  EXPECT_FALSE(contains(html, "<span class=\"t-k\">ir4</span>"));  // the collapsed IR before optimisation stays plain
  report["options"]["show"] = {"ir"};
  html = render_html(report, highlights);
  EXPECT_TRUE(contains(html, "<span class=\"t-k\">ir4</span>"));
  EXPECT_FALSE(contains(html, "too few"));  // a listing that does not fit falls back to plain text
  EXPECT_TRUE(contains(html, "%r = mul i64 %n, 3"));
}

TEST(ReportHtml, ToleratesPartialAndMalformedReports) {
  EXPECT_NO_THROW(render_html(json::object()));
  EXPECT_NO_THROW(render_html(nullptr));
  EXPECT_NO_THROW(render_html({{"functions", {json::object(), 42, {{"status", "weird"}}}}}));
  json report = sample_report();
  report["functions"][0]["timings_ms"] = "fast";
  report["functions"][0]["line_map"] = {{"x", 1}, {"7", {{"ir", {"a"}}}}};
  report["functions"][0]["types"] = {1, 2};
  report["functions"][0]["variables"] = {1, {{"name", 2}}};
  report["functions"][0]["object_lines"] = {{{"line", "x"}}, {{"line", 3}, {"calls", -4}, {"functions", {1, "Py"}}}, 7};
  report["functions"][0]["signatures"] = {{{"args", {1, nullptr}}}};
  EXPECT_NO_THROW(render_html(report));
  EXPECT_TRUE(contains(render_html(json::object()), "no top-level functions"));
}

TEST(ReportFormat, Helpers) {
  EXPECT_EQ(format_ms(0.0421), "0.042 ms");
  EXPECT_EQ(format_ms(12.34), "12.3 ms");
  EXPECT_EQ(format_ms(1520), "1.52 s");
  EXPECT_EQ(format_ms(0.000002), "2 ns");
  EXPECT_EQ(format_seconds(0.5), "500 ms");
  EXPECT_EQ(format_bytes(812), "812 B");
  EXPECT_EQ(format_bytes(2048), "2.0 KiB");
  EXPECT_EQ(format_signature({{"args", {"int", "float"}}, {"return", "float"}}), "(int, float) -> float");
  EXPECT_EQ(html_escape("a<b>&\"c\"'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;");
}

TEST(ReportHtml, RangeAnalysisInRemarks) {
  json report = sample_report({"remarks"});
  report["functions"][0]["ranges"] = json::array(
      {{{"function", "benchmark"}, {"line", 3}, {"loop", "range(a.shape[0])"},
        {"removed_bounds_checks", json::array({{{"line", 4}, {"array", "a"}, {"axis", 1}, {"index", "i"}}})},
        {"removed_overflow_checks", json::array()}}});
  std::string html = render_html(report);
  EXPECT_NE(html.find("<code>ranges</code>"), std::string::npos) << html;
  EXPECT_NE(html.find("loop <code>for ... in range(a.shape[0])</code> (line 3) versioned"), std::string::npos);
  EXPECT_NE(html.find("the bounds check of <code>a[i]</code> (axis 1, line 4)"), std::string::npos);
}

TEST(ReportHtml, ProvenChecksInRanges) {
  json report = sample_report({"remarks"});
  report["functions"][0]["ranges"] = json::array(
      {{{"function", "histogram"}, {"line", 5}, {"loop", "range(x.shape[0])"},
        {"removed_bounds_checks", json::array({{{"line", 10}, {"array", "counts"}, {"axis", 0}, {"index", "k"},
                                                {"range", "[0, bins - 1]"}}})},
        {"removed_overflow_checks", json::array()},
        {"removed_value_checks", json::array({{{"line", 8}, {"check", "NumPy float warning"}, {"expression", "v - lo"},
                                               {"range", "[lo - lo, hi - lo]"}}})}}});
  std::string html = render_html(report);
  EXPECT_NE(html.find("the bounds check of <code>counts[k]</code> (axis 0, line 10), the index lying in <code>[0, bins - 1]</code>"),
            std::string::npos) << html;
  EXPECT_NE(html.find("the NumPy float warning test of <code>v - lo</code> (line 8), its value lying in <code>[lo - lo, hi - lo]</code>"),
            std::string::npos) << html;
}

TEST(ReportHtml, WholeFunctionFloatClassesInRanges) {
  json report = sample_report({"remarks"});
  report["functions"][0]["ranges"] = json::array(
      {{{"function", "norm_cdf"}, {"line", 3}, {"whole_function", true}, {"removed_bounds_checks", json::array()},
        {"removed_overflow_checks", json::array()},
        {"removed_value_checks", json::array({{{"line", 4}, {"check", "NumPy float warning"}, {"expression", "t * (a + t)"},
                                               {"range", "[0.0, 1.0] or NaN"}}})}}});
  std::string html = render_html(report);
  EXPECT_NE(html.find("function <code>norm_cdf</code> (line 3): the classes of its float values"), std::string::npos) << html;
  EXPECT_NE(html.find("the NumPy float warning test of <code>t * (a + t)</code> (line 4), its value lying in <code>[0.0, 1.0] or NaN</code>"),
            std::string::npos) << html;
  EXPECT_EQ(html.find("versioned"), std::string::npos) << html;
}

TEST(ReportHtml, CounterArrayInRanges) {
  json report = sample_report({"remarks"});
  report["functions"][0]["ranges"] = json::array(
      {{{"function", "benchmark"}, {"line", 2}, {"counter", "counts"}, {"removed_bounds_checks", json::array()},
        {"removed_overflow_checks", json::array({{{"line", 6}, {"variable", "counts"}, {"expression", "counts[k] + 1"},
                                                  {"addend_min", 1}, {"addend_max", 1}}})}}});
  std::string html = render_html(report);
  EXPECT_NE(html.find("counter array <code>counts</code> (line 2): made by <code>np.zeros</code> and only ever incremented by 1"),
            std::string::npos) << html;
  EXPECT_NE(html.find("the overflow check of <code>counts[k] + 1</code> (line 6)"), std::string::npos) << html;
  EXPECT_EQ(html.find("versioned"), std::string::npos) << html;
}
