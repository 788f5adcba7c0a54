// The report as self-contained HTML: a <style> block scoped to .pyvorin-report, <details> sections
// (no JavaScript, so it works in Notebook 6, JupyterLab, nbconvert and GitHub), colours chosen to
// read on light and dark backgrounds, and a Compiler-Explorer-style source <-> IR <-> asm map.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <sstream>

#include "pyvorin/magics/render.h"
#include "render_util.h"

namespace pyvorin::magics {
namespace {

using namespace detail;

// Medium-luminance colours: readable on white and on dark (#1e1e1e) notebook backgrounds alike,
// so one palette serves both themes and no theme detection is needed.
const char *const kStyle = R"(<style>
.pyvorin-report{--pv-border:rgba(127,127,127,.4);--pv-soft:rgba(127,127,127,.09);--pv-head:rgba(127,127,127,.16);--pv-muted:rgba(127,127,127,1);font-family:-apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;font-size:13px;line-height:1.45;color:inherit;border:1px solid var(--pv-border);border-radius:6px;padding:6px 12px 8px;margin:4px 0;overflow-x:auto}
.pyvorin-report .pv-title{font-weight:700;font-size:14px;margin:2px 0 4px}
.pyvorin-report .pv-muted{color:var(--pv-muted)}
.pyvorin-report table{border-collapse:collapse;margin:4px 0;font-size:inherit;color:inherit;table-layout:auto!important}
.pyvorin-report .pv-remarks td:nth-child(3),.pyvorin-report .pv-timing td:first-child{white-space:nowrap}
.pyvorin-report th,.pyvorin-report td{border:1px solid var(--pv-border);padding:2px 8px;text-align:left;vertical-align:top}
.pyvorin-report th{background:var(--pv-head);font-weight:600}
.pyvorin-report td.pv-num{text-align:right;font-variant-numeric:tabular-nums}
.pyvorin-report code,.pyvorin-report pre{font-family:SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12px}
.pyvorin-report pre{background:var(--pv-soft);padding:6px 8px;margin:4px 0;overflow-x:auto;line-height:1.4;white-space:pre}
.pyvorin-report pre .pv-row,.pyvorin-report pre [data-line]{display:inline-block;min-width:100%}
.pyvorin-report td,.pyvorin-report th{text-align:left!important}
.pyvorin-report td.pv-num,.pyvorin-report th.pv-num,.pyvorin-report td.pv-gutter{text-align:right!important}
.pyvorin-report pre{white-space:pre!important;text-align:left!important;word-wrap:normal!important}
.pyvorin-report summary{display:list-item!important}
.pyvorin-report .pv-listing,.pyvorin-report .pv-listing td{border:none!important;padding:0!important;margin:0}
.pyvorin-report .pv-listing pre{margin:0}.pyvorin-report .pv-listing td+td pre{padding-left:8px;padding-right:8px}.pyvorin-report .pv-listing td+td pre [data-line]{margin-left:-8px;padding-left:8px;box-sizing:border-box;min-width:calc(100% + 8px)}
.pyvorin-report .pv-gutter pre{color:var(--pv-muted);user-select:none;padding-right:.3em}
.pyvorin-report details{margin:3px 0 3px 2px;border-left:3px solid var(--pv-border);padding-left:8px}
.pyvorin-report summary{cursor:pointer;font-weight:600}
.pyvorin-report .pv-fn{border-top:1px solid var(--pv-border);margin-top:8px;padding-top:4px}
.pyvorin-report .pv-fn-name{font-weight:700;font-size:14px}
.pyvorin-report .pv-badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:11px;font-weight:700;color:#fff;vertical-align:1px}
.pyvorin-report .pv-compiled,.pyvorin-report .pv-same{background:#1a7f37}
.pyvorin-report .pv-fallback{background:#b35900}
.pyvorin-report .pv-pending{background:#6e7781}
.pyvorin-report .pv-cpython{background:#9a6700}
.pyvorin-report .pv-differ,.pyvorin-report .pv-error{background:#cf222e}
.pyvorin-report .pv-vectorised{background:#1f6feb}.pyvorin-report .pv-unrolled{background:#8250df}.pyvorin-report .pv-inlined{background:#1a7f37}.pyvorin-report .pv-missed{background:#9a6700}.pyvorin-report .pv-analysis{background:#6e7781}
.pyvorin-report .pv-box{border:1px solid #b35900;border-left:4px solid #b35900;border-radius:4px;padding:4px 8px;margin:4px 0}
.pyvorin-report .pv-ln{color:var(--pv-muted);display:inline-block;min-width:2.6em;text-align:right;margin-right:1em;user-select:none}
.pyvorin-report .pv-bar{display:inline-block;height:8px;background:#1f6feb;border-radius:2px;vertical-align:middle}
.pyvorin-report .pv-speedup{font-weight:700;font-size:14px}
.pyvorin-report .pv-map td{padding:0}
.pyvorin-report .pv-map pre{margin:0}.pyvorin-report .pv-map .pv-scroll{max-width:40em}
.pyvorin-report .pv-map td:first-child .pv-scroll,.pyvorin-report .pv-map td:first-child pre{overflow:visible;max-height:none;max-width:none}
.pyvorin-report .t-k,.pyvorin-report .t-kd,.pyvorin-report .t-kr,.pyvorin-report .t-nb{color:#b5479b}
.pyvorin-report .t-kt,.pyvorin-report .t-nc{color:#1f8a70}
.pyvorin-report .t-m,.pyvorin-report .t-mi,.pyvorin-report .t-mf,.pyvorin-report .t-mh,.pyvorin-report .t-il{color:#c76b00}
.pyvorin-report .t-s,.pyvorin-report .t-s2,.pyvorin-report .t-s1,.pyvorin-report .t-sc{color:#3d8b3d}
.pyvorin-report .t-c,.pyvorin-report .t-c1,.pyvorin-report .t-cm,.pyvorin-report .t-cp{color:#808080;font-style:italic}
.pyvorin-report .t-nv,.pyvorin-report .t-nl,.pyvorin-report .t-nf,.pyvorin-report .t-nn{color:#2f7fc1}
.pyvorin-report .t-na,.pyvorin-report .t-no,.pyvorin-report .t-nt{color:#9a6a00}
.pyvorin-report .t-err{color:inherit;border:none}
.pyvorin-report .pv-capi-1{background:rgba(230,170,0,.16)}.pyvorin-report .pv-capi-2{background:rgba(230,170,0,.32)}.pyvorin-report .pv-capi-3{background:rgba(230,170,0,.5)}
.pyvorin-report .pv-mark{display:inline-block;min-width:2.4em;font-weight:700;user-select:none}
.pyvorin-report .pv-calls{color:var(--pv-muted);font-style:italic}
.pyvorin-report .pv-scroll{max-height:32em;overflow:auto}
.pyvorin-report .pv-diff .pv-add,.pyvorin-report span.pv-add{background:rgba(26,127,55,.18)}
.pyvorin-report .pv-diff .pv-del,.pyvorin-report span.pv-del{background:rgba(207,34,46,.18)}
.pyvorin-report .pv-diff .pv-hunk{color:var(--pv-muted)}
.pyvorin-report .pv-cfg{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
.pyvorin-report .pv-cfg figure{margin:0}.pyvorin-report .pv-cfg svg{max-width:none;height:auto}
.pyvorin-report .pv-c0{box-shadow:inset 3px 0 #1f6feb}.pyvorin-report .pv-c1{box-shadow:inset 3px 0 #cf222e}.pyvorin-report .pv-c2{box-shadow:inset 3px 0 #1a7f37}.pyvorin-report .pv-c3{box-shadow:inset 3px 0 #bf8700}.pyvorin-report .pv-c4{box-shadow:inset 3px 0 #8250df}.pyvorin-report .pv-c5{box-shadow:inset 3px 0 #0096a0}.pyvorin-report .pv-c6{box-shadow:inset 3px 0 #db61a2}.pyvorin-report .pv-c7{box-shadow:inset 3px 0 #789600}.pyvorin-report .pv-c8{box-shadow:inset 3px 0 #e36209}.pyvorin-report .pv-c9{box-shadow:inset 3px 0 #546e7a}.pyvorin-report .pv-c10{box-shadow:inset 3px 0 #a371f7}.pyvorin-report .pv-c11{box-shadow:inset 3px 0 #007acc}
</style>)";

// Twelve hues for the line map, as translucent backgrounds (alpha 0x38, about .22) so they work
// over either theme's background, plus a solid left edge from the class pv-cN (in kStyle); a
// source line and its IR/asm lines share one. The background is inline, so it survives a
// sanitizer that drops <style> (an untrusted notebook).
const char *const kLineColours[] = {"1f6feb", "cf222e", "1a7f37", "bf8700", "8250df", "0096a0",
                                    "db61a2", "789600", "e36209", "546e7a", "a371f7", "007acc"};
constexpr size_t kLineColourCount = sizeof kLineColours / sizeof kLineColours[0];

std::string colour_style(size_t index) {
  return std::string("background-color:#") + kLineColours[index % kLineColourCount] + "38";
}

std::string colour_class(size_t index) { return "pv-c" + std::to_string(index % kLineColourCount); }

// A status badge. Its colours are inline too, so it reads without the report's <style> (an
// untrusted notebook's sanitizer drops it).
std::string badge(const std::string &cls, const std::string &text) {
  static const std::map<std::string, const char *> colours = {
      {"compiled", "#1a7f37"}, {"same", "#1a7f37"},    {"fallback", "#b35900"},   {"pending", "#6e7781"},
      {"cpython", "#9a6700"},  {"differ", "#cf222e"},  {"error", "#cf222e"},      {"vectorised", "#1f6feb"},
      {"unrolled", "#8250df"}, {"inlined", "#1a7f37"}, {"missed", "#9a6700"},     {"analysis", "#6e7781"}};
  auto it = colours.find(cls);
  std::string style = it == colours.end() ? "" : std::string(" style=\"background-color:") + it->second + ";color:#fff\"";
  return "<span class=\"pv-badge pv-" + cls + "\"" + style + ">" + html_escape(text) + "</span>";
}

std::string open_attr(const json &report, const std::string &section) {
  return section_shown(report, section) ? " open" : "";
}

// A listing: a column of line numbers beside the code, in a two-cell table (it reads the same
// without the report's CSS, e.g. in an untrusted notebook) inside a scroll box of bounded height.
// Only the lines that `colours` maps (1-based, to a palette index) are wrapped in a row span, with
// their colour inline; the others are the code as it is, so a long listing stays small.
std::string listing(const std::string &text, const json &highlighted,
                    const std::map<int, size_t> &colours = {}, int first_line = 1,
                    const char *css_class = "") {
  std::vector<std::string> plain = split_lines(text);
  bool use_highlight = highlighted.is_array() && highlighted.size() >= plain.size();
  size_t count = use_highlight ? highlighted.size() : plain.size();
  std::ostringstream numbers, code;
  for (size_t i = 0; i < count; ++i) {
    int number = first_line + static_cast<int>(i);
    numbers << number << "\n";
    std::string line = use_highlight && highlighted[i].is_string() ? highlighted[i].get<std::string>()
                       : i < plain.size()                          ? html_escape(plain[i])
                                                                   : "";
    if (auto it = colours.find(number); it != colours.end())
      code << "<span class=\"" << colour_class(it->second) << "\" data-line=\"" << number << "\" style=\""
           << colour_style(it->second) << "\">" << line
           << "</span>\n";
    else
      code << line << "\n";
  }
  std::ostringstream out;
  out << "<div class=\"pv-scroll\"><table class=\"pv-listing\" style=\"border:none;margin:0\"><tr>"
         "<td class=\"pv-gutter\" style=\"text-align:right;border:none;padding:0\"><pre>"
      << numbers.str() << "</pre></td><td style=\"text-align:left;border:none;padding:0\"><pre class=\"" << css_class
      << "\" style=\"white-space:pre\">"
      << code.str() << "</pre></td></tr></table></div>";
  return out.str();
}

std::string status_of(const json &function) {
  std::string status = get_string(function, "status", "pending");
  if (status != "compiled" && status != "fallback" && status != "pending" && status != "cpython") return "error";
  return status;
}

std::string signatures_html(const json &function) {
  const json &signatures = get_array(function, "signatures");
  if (signatures.empty()) return "<span class=\"pv-muted\">none yet</span>";
  std::string out;
  for (const auto &signature : signatures) {
    if (!out.empty()) out += "<br>";
    out += "<code>" + html_escape(format_signature(signature)) + "</code>";
  }
  return out;
}

std::string summary_table(const json &functions) {
  std::ostringstream out;
  out << "<table class=\"pv-summary\"><tr><th>function</th><th>status</th><th>signatures</th>"
         "<th>compile time</th><th>object</th><th>cache</th></tr>";
  for (const auto &function : functions) {
    std::string status = status_of(function);
    double ms = total_ms(function);
    double size = get_number(function, "object_size", -1);
    out << "<tr><td><code>" << html_escape(get_string(function, "name", "?")) << "</code></td><td>"
        << badge(status, status) << "</td><td>" << signatures_html(function)
        << "</td><td class=\"pv-num\">" << (status == "compiled" ? format_ms(ms) : "")
        << "</td><td class=\"pv-num\">"
        << (status == "compiled" && size >= 0 ? format_bytes(static_cast<long long>(size)) : "")
        << "</td><td>" << (status == "compiled" ? html_escape(get_string(function, "cache")) : "")
        << "</td></tr>";
  }
  out << "</table>";
  return out.str();
}

std::string comparison_html(const json &comparison) {
  if (!comparison.is_object()) return "";
  const json &cpython = get_object(comparison, "cpython");
  const json &native = get_object(comparison, "native");
  bool same = get_bool(comparison, "same");
  double speedup = get_number(comparison, "speedup", 0.0);
  char speed[64];
  std::snprintf(speed, sizeof speed, speedup >= 10 ? "%.0f\xC3\x97" : "%.2f\xC3\x97", speedup);
  std::ostringstream out;
  out << "<div class=\"pv-comparison\"><div><b>Side by side:</b> <code>"
      << html_escape(truncate(get_string(comparison, "expression"), 300)) << "</code></div>"
      << "<table><tr><th></th><th>result</th><th>time</th></tr>"
      << "<tr><td>CPython</td><td><code>" << html_escape(truncate(get_string(cpython, "repr"), 300))
      << "</code></td><td class=\"pv-num\">" << format_seconds(get_number(cpython, "seconds", -1))
      << "</td></tr><tr><td>Pyvorin</td><td><code>"
      << html_escape(truncate(get_string(native, "repr"), 300)) << "</code></td><td class=\"pv-num\">"
      << format_seconds(get_number(native, "seconds", -1)) << "</td></tr></table>";
  const json &runs = get_array(comparison, "cpython_runs");
  out << "<div>";
  if (!runs.empty())
    out << "speed-up <span class=\"pv-muted\">not shown: the Pyvorin run was partly CPython's</span>";
  else if (get_bool(comparison, "too_short"))
    out << "speed-up <span class=\"pv-muted\">not shown: too short to measure in one run (under 1 ms)</span>";
  else
    out << "speed-up <span class=\"pv-speedup\">" << speed << "</span>";
  std::string repeated = repeats_text(comparison);
  if (!repeated.empty() && runs.empty()) out << " <span class=\"pv-muted\">(" << html_escape(repeated) << ")</span>";
  out << " &nbsp; " << (same ? badge("same", "same result \xE2\x9C\x93") : badge("differ", "results differ \xE2\x9C\x97"))
      << "</div>";
  for (const auto &run : runs) {
    long long calls = static_cast<long long>(get_number(run, "calls", 0));
    out << "<div class=\"pv-box\"><code>" << html_escape(get_string(run, "function")) << "</code>: " << calls
        << (calls == 1 ? " call" : " calls") << " ran in CPython: " << html_escape(get_string(run, "reason")) << "</div>";
  }
  out << "</div>";
  return out.str();
}

std::string fallback_html(const json &function) {
  const json &fallback = get_object(function, "fallback");
  if (fallback.empty()) return "";
  std::ostringstream out;
  std::string code = get_string(fallback, "code");
  out << "<div class=\"pv-box\"><b>Runs in CPython" << (code.empty() ? "" : " (" + html_escape(code) + ")")
      << ":</b> " << html_escape(get_string(fallback, "reason"));
  int line = static_cast<int>(get_number(fallback, "line", 0));
  if (line > 0) out << " <span class=\"pv-muted\">(line " << line << ")</span>";
  std::string construct = get_string(fallback, "construct");
  if (!construct.empty()) out << "<br>construct: <code>" << html_escape(construct) << "</code>";
  std::string suggestion = get_string(fallback, "suggestion");
  if (!suggestion.empty()) out << "<br>suggestion: " << html_escape(suggestion);
  out << "</div>";
  return out.str();
}

// The calls that ran in CPython for a reason of their own, and the compiled functions this one is
// compiled into.
std::string runs_html(const json &function) {
  std::ostringstream out;
  const json &callers = get_array(function, "callers");
  if (!callers.empty()) {
    out << "<div>also compiled into ";
    for (size_t i = 0; i < callers.size(); ++i)
      out << (i ? ", " : "") << "<code>" << html_escape(callers[i].is_string() ? callers[i].get<std::string>() : "?") << "</code>";
    out << " <span class=\"pv-muted\">(its calls there are native, mostly inlined)</span></div>";
  }
  const json &runs = get_array(function, "cpython_runs");
  if (runs.empty()) return out.str();
  out << "<div class=\"pv-box\"><b>Calls that ran in CPython</b> <span class=\"pv-muted\">(each for a reason of "
         "that call; other calls are unaffected)</span><ul style=\"margin:2px 0;padding-left:20px\">";
  for (const auto &run : runs) {
    long long calls = static_cast<long long>(get_number(run, "calls", 0));
    out << "<li>" << calls << (calls == 1 ? " call: " : " calls: ") << html_escape(get_string(run, "reason")) << "</li>";
  }
  out << "</ul></div>";
  return out.str();
}

// The optimisation pipeline pass by pass (--show=passes): each pass that changed a function, with
// its coloured diff.
std::string passes_html(const json &view) {
  std::ostringstream out;
  if (view.contains("error")) {
    out << "<div class=\"pv-muted\">" << html_escape(get_string(view, "error")) << "</div>";
    return out.str();
  }
  const json &steps = get_array(view, "steps");
  out << "<div>" << steps.size() << " passes changed the IR at -O" << static_cast<int>(get_number(view, "opt_level", 2))
      << "; the others changed nothing and are not listed. Each opens the diff of the function's IR against the "
         "step before (<span class=\"pv-add\">+ added</span>, <span class=\"pv-del\">- removed</span>).</div>";
  out << "<table class=\"pv-fnpasses\"><tr><th>function</th><th>passes run</th><th>changed it</th><th>time</th></tr>";
  for (const auto &f : get_array(view, "functions"))
    out << "<tr><td><code>" << html_escape(get_string(f, "function")) << "</code></td><td class=\"pv-num\">"
        << static_cast<long long>(get_number(f, "runs")) << "</td><td class=\"pv-num\">"
        << static_cast<long long>(get_number(f, "changed")) << "</td><td class=\"pv-num\">"
        << format_ms_fixed(get_number(f, "ms")) << "</td></tr>";
  out << "</table><div class=\"pv-scroll\">";
  for (const auto &st : steps) {
    out << "<details class=\"pv-step\"><summary>" << static_cast<long long>(get_number(st, "index")) << ". "
        << html_escape(get_string(st, "pass")) << " <span class=\"pv-muted\">on</span> <code>"
        << html_escape(get_string(st, "function")) << "</code> <span class=\"pv-add\">+"
        << static_cast<long long>(get_number(st, "added")) << "</span> <span class=\"pv-del\">-"
        << static_cast<long long>(get_number(st, "removed")) << "</span></summary><pre class=\"pv-diff\">";
    for (const std::string &line : split_lines(get_string(st, "diff"))) {
      const char *cls = line.rfind("@@", 0) == 0 ? "pv-hunk" : line.rfind("+", 0) == 0 ? "pv-add" : line.rfind("-", 0) == 0 ? "pv-del" : "";
      out << "<span class=\"pv-row " << cls << "\">" << html_escape(line) << "</span>\n";
    }
    out << "</pre></details>";
  }
  out << "</div>";
  return out.str();
}

// graphviz's SVG as it is, or nothing: a picture with a script, an event handler, a link to
// elsewhere or foreign HTML inside is not shown (a report string never injects markup).
bool safe_svg(const std::string &svg) {
  if (svg.rfind("<svg", 0) != 0) return false;
  std::string lower = svg;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char *bad : {"<script", "foreignobject", "javascript:", "<iframe", "<object", "<embed", "href=\"http",
                          "href='http", "<use", "<image", "<style"})
    if (lower.find(bad) != std::string::npos) return false;
  // event handlers (onload=, onclick=...) among a tag's attributes; text between tags is escaped
  for (size_t open = lower.find('<'); open != std::string::npos; open = lower.find('<', open + 1)) {
    size_t close = lower.find('>', open);
    std::string tag = lower.substr(open, close == std::string::npos ? std::string::npos : close - open);
    for (size_t i = tag.find("on"); i != std::string::npos; i = tag.find("on", i + 1)) {
      if (i == 0 || !std::isspace(static_cast<unsigned char>(tag[i - 1]))) continue;
      size_t j = i + 2;
      while (j < tag.size() && std::isalpha(static_cast<unsigned char>(tag[j]))) ++j;
      while (j < tag.size() && std::isspace(static_cast<unsigned char>(tag[j]))) ++j;
      if (j > i + 2 && j < tag.size() && tag[j] == '=') return false;
    }
    if (close == std::string::npos) break;
  }
  return true;
}

// The control-flow graphs (--show=cfg): graphviz's SVG, before and after optimisation.
std::string cfg_html(const json &view) {
  std::ostringstream out;
  if (view.contains("error"))
    out << "<div class=\"pv-muted\">" << html_escape(get_string(view, "error")) << "</div>";
  for (const auto &f : get_array(view, "functions")) {
    out << "<div><code>" << html_escape(get_string(f, "function")) << "</code></div><div class=\"pv-cfg\">";
    auto figure = [&](const char *key, const std::string &caption) {
      std::string svg = get_string(f, key);
      if (svg.empty()) return;
      if (!safe_svg(svg)) {
        out << "<div class=\"pv-muted\">" << html_escape(caption) << ": not shown (the picture holds markup a report "
               "does not show)</div>";
        return;
      }
      out << "<figure><figcaption>" << html_escape(caption) << "</figcaption><div class=\"pv-scroll\">" << svg
          << "</div></figure>";
    };
    figure("source_svg", "before optimisation: source-level blocks (checks' error paths hidden)");
    figure("opt_svg", "after optimisation: " + get_string(f, "opt_symbol") + " (dashed: error paths)");
    out << "</div>";
  }
  return out.str();
}

std::string types_table(const json &types) {
  std::ostringstream out;
  out << "<table class=\"pv-types\"><tr><th>variable</th><th>type</th><th>reason</th><th>line</th></tr>";
  for (const auto &entry : types) {
    double line = get_number(entry, "line", 0);
    out << "<tr><td><code>" << html_escape(get_string(entry, "name")) << "</code></td><td><code>"
        << html_escape(get_string(entry, "type")) << "</code></td><td>"
        << html_escape(get_string(entry, "because")) << "</td><td class=\"pv-num\">"
        << (line > 0 ? std::to_string(static_cast<int>(line)) : "") << "</td></tr>";
  }
  out << "</table>";
  return out.str();
}

// Range analysis (the report's "ranges"): each versioned loop and the checks its fast copy drops.
std::string ranges_table(const json &function) {
  const json &ranges = get_array(function, "ranges");
  if (ranges.empty()) return "";
  std::ostringstream out;
  out << "<table class=\"pv-remarks\"><tr><th>line</th><th>kind</th><th>pass</th><th>message</th></tr>";
  for (const auto &loop : ranges) {
    int loop_line = static_cast<int>(get_number(loop, "line", 0));
    std::string what =
        loop.contains("counter")
            ? "counter array <code>" + html_escape(get_string(loop, "counter")) + "</code> (line " + std::to_string(loop_line) +
                  "): made by <code>np.zeros</code> and only ever incremented by 1, so no element can reach 2**63; without "
        : get_bool(loop, "whole_function")
            ? "function <code>" + html_escape(get_string(loop, "function")) + "</code> (line " + std::to_string(loop_line) +
                  "): the classes of its float values (a finite interval, or possibly inf or NaN) hold everywhere, so it runs "
                  "without "
            : "loop <code>for ... in " + html_escape(get_string(loop, "loop")) + "</code> (line " + std::to_string(loop_line) +
                  ") versioned: one test before it, then a copy without ";
    std::vector<std::string> parts;
    for (const auto &c : get_array(loop, "removed_bounds_checks"))
      parts.push_back("the bounds check of <code>" + html_escape(get_string(c, "array")) + "[" + html_escape(get_string(c, "index")) +
                      "]</code> (axis " + std::to_string(static_cast<int>(get_number(c, "axis", 0))) + ", line " +
                      std::to_string(static_cast<int>(get_number(c, "line", 0))) + ")" +
                      (c.contains("range") ? ", the index lying in <code>" + html_escape(get_string(c, "range")) + "</code>" : std::string()));
    for (const auto &c : get_array(loop, "removed_overflow_checks"))
      parts.push_back("the overflow check of <code>" + html_escape(get_string(c, "expression")) + "</code> (line " +
                      std::to_string(static_cast<int>(get_number(c, "line", 0))) + ")");
    for (const auto &c : get_array(loop, "removed_value_checks"))
      parts.push_back("the " + html_escape(get_string(c, "check")) + " test of <code>" + html_escape(get_string(c, "expression")) +
                      "</code> (line " + std::to_string(static_cast<int>(get_number(c, "line", 0))) + "), its value lying in <code>" +
                      html_escape(get_string(c, "range")) + "</code>");
    for (size_t i = 0; i < parts.size(); ++i) what += (i ? "; " : "") + parts[i];
    out << "<tr><td class=\"pv-num\">" << loop_line << "</td><td>" << badge("passed", "passed")
        << "</td><td><code>ranges</code></td><td>" << what << "</td></tr>";
  }
  out << "</table>";
  return out.str();
}

std::string remarks_table(const json &function) {
  const json &remarks = get_array(function, "remarks");
  std::ostringstream out;
  out << ranges_table(function);
  if (remarks.empty()) out << "<div class=\"pv-muted\">no optimisation remarks</div>";
  else {
    out << "<table class=\"pv-remarks\"><tr><th>line</th><th>kind</th><th>pass</th><th>message</th></tr>";
    for (const auto &remark : remarks) {
      double line = get_number(remark, "line", 0);
      std::string kind = remark_kind(remark);
      long long count = static_cast<long long>(get_number(remark, "count", 1));
      out << "<tr><td class=\"pv-num\">" << (line > 0 ? std::to_string(static_cast<int>(line)) : "")
          << "</td><td>" << (kind.empty() ? "" : badge(kind, kind)) << "</td><td><code>"
          << html_escape(get_string(remark, "pass")) << "</code></td><td>";
      std::string why = get_string(remark, "why");
      if (!why.empty()) out << "<b>" << html_escape(why) << "</b><br><span class=\"pv-muted\">LLVM: ";
      out << html_escape(get_string(remark, "message"));
      if (count > 1) out << " (\xC3\x97" << count << ")";
      if (!why.empty()) out << "</span>";
      out << "</td></tr>";
    }
    out << "</table>";
  }
  const json &passes = get_array(function, "passes");
  if (!passes.empty()) {
    // Each pass is {"name", "runs", "ms"} (or just a name), in the order the pipeline ran them.
    out << "<details class=\"pv-passes\"><summary>passes run (" << passes.size()
        << ")</summary><table><tr><th>pass</th><th>runs</th><th>time</th></tr>";
    for (const auto &pass : passes) {
      std::string name = pass.is_object() ? get_string(pass, "name") : scalar_text(pass);
      double runs = get_number(pass, "runs", -1), ms = get_number(pass, "ms", -1);
      out << "<tr><td><code>" << html_escape(name) << "</code></td><td class=\"pv-num\">"
          << (runs >= 0 ? std::to_string(static_cast<long long>(runs)) : "") << "</td><td class=\"pv-num\">"
          << (ms >= 0 ? format_ms(ms) : "") << "</td></tr>";
    }
    out << "</table></details>";
  }
  return out.str();
}

std::string timing_table(const json &function) {
  auto rows = timing_rows(function);
  double longest = 0;
  for (const auto &r : rows)
    if (!r.total) longest = std::max(longest, r.ms);
  std::ostringstream out;
  out << "<table class=\"pv-timing\"><tr><th>stage</th><th>time</th><th></th></tr>";
  for (const auto &r : rows) {
    const char *cell = r.total ? "th" : "td";
    int width = longest > 0 && !r.total ? static_cast<int>(120.0 * r.ms / longest + 0.5) : 0;
    out << "<tr><" << cell << ">" << html_escape(r.stage);
    if (!r.note.empty()) out << " <span class=\"pv-muted\">(" << html_escape(r.note) << ")</span>";
    out << "</" << cell << "><" << cell << " class=\"pv-num\">" << format_ms_fixed(r.ms) << "</" << cell << "><" << cell
        << ">";
    if (!r.total) out << "<span class=\"pv-bar\" style=\"width:" << std::max(width, 1) << "px\"></span>";
    out << "</" << cell << "></tr>";
  }
  out << "</table>";
  double size = get_number(function, "object_size", -1);
  out << "<div>object size: " << (size >= 0 ? format_bytes(static_cast<long long>(size)) : "n/a");
  if (size >= 1024) out << " (" << static_cast<long long>(size) << " bytes)";
  std::string cache = get_string(function, "cache");
  if (!cache.empty()) out << " &middot; cache: " << html_escape(cache);
  out << "</div>";
  return out.str();
}

// Source | IR | asm side by side; lines sharing a colour belong together. The listings here are
// plain text: the colours carry the information, and the highlighted copies are in their sections.
std::string line_map_html(const json &function, const json &highlight) {
  auto entries = line_map_entries(function);
  if (entries.empty()) return "<div class=\"pv-muted\">no line map</div>";
  std::map<int, size_t> source_colours, ir_colours, asm_colours;
  for (size_t i = 0; i < entries.size(); ++i) {
    source_colours.emplace(entries[i].source_line, i);
    for (int n : entries[i].ir) ir_colours.emplace(n, i);
    for (int n : entries[i].asm_lines) asm_colours.emplace(n, i);
  }
  auto lines = source_lines(function);
  std::string source_text;
  int first = lines.empty() ? 1 : lines.front().first;
  for (const auto &[number, text] : lines) source_text += text + "\n";
  if (lines.empty()) {  // no source attached: list the mapped line numbers only
    first = entries.front().source_line;
    for (int n = first; n <= entries.back().source_line; ++n) source_text += "\n";
  }
  bool optimised = !get_string(function, "opt_ir").empty();
  std::string ir_text = get_string(function, optimised ? "opt_ir" : "ir");
  auto hl = [&](const char *key) { return highlight.is_object() && highlight.contains(key) ? highlight[key] : json(); };
  std::ostringstream out;
  out << "<table class=\"pv-map\"><tr><th>source</th><th>" << (optimised ? "optimised IR" : "IR")
      << "</th><th>assembly</th></tr><tr><td style=\"text-align:left\">"
      << listing(source_text, lines.empty() ? json() : hl("source"), source_colours, first, "pv-map-src")
      << "</td><td style=\"text-align:left\">" << listing(ir_text, hl(optimised ? "opt_ir" : "ir"), ir_colours, 1, "pv-map-ir")
      << "</td><td style=\"text-align:left\">"
      << listing(get_string(function, "asm"), hl("asm"), asm_colours, 1, "pv-map-asm")
      << "</td></tr></table>";
  return out.str();
}

// Each variable's type and how native code holds it ("variables"), then the source marked per
// line by its calls into CPython's C API ("object_lines"), as Cython's annotated view: the more
// calls, the darker the line, with the marker inspect_objects() prints and the functions called.
std::string objects_html(const json &function) {
  std::ostringstream out;
  const json &variables = get_array(function, "variables");
  if (!variables.empty()) {
    out << "<table class=\"pv-vars\"><tr><th>variable</th><th>type</th><th>representation</th></tr>";
    for (const auto &v : variables)
      out << "<tr><td><code>" << html_escape(get_string(v, "name")) << "</code></td><td><code>"
          << html_escape(get_string(v, "type")) << "</code></td><td>"
          << html_escape(get_string(v, "representation")) << "</td></tr>";
    out << "</table>";
  }
  auto calls = object_lines(function);
  auto lines = source_lines(function);
  if (lines.empty())  // no source attached: the lines that call, by number
    for (const auto &[number, o] : calls) lines.emplace_back(number, "");
  if (lines.empty()) return out.str();
  out << "<div class=\"pv-muted\">C-API calls per source line, as in Cython&#39;s annotated view: "
         "<code>.</code> none, <code>+</code> one or two, <code>++</code> three to five, "
         "<code>+++</code> more (darker)</div><pre class=\"pv-capi\">";
  for (const auto &[number, text] : lines) {
    auto it = calls.find(number);
    int n = it == calls.end() ? 0 : it->second.calls;
    std::string names;
    if (it != calls.end())
      for (const auto &name : it->second.functions) names += (names.empty() ? "" : ", ") + name;
    out << "<span class=\"pv-row";
    if (capi_level(n) > 0) out << " pv-capi-" << capi_level(n);
    out << "\" data-line=\"" << number << "\" data-calls=\"" << n << "\"";
    if (n > 0) out << " title=\"" << n << (n == 1 ? " C-API call: " : " C-API calls: ") << html_escape(names) << "\"";
    out << "><span class=\"pv-ln\">" << number << "</span><span class=\"pv-mark\">" << capi_marker(n)
        << "</span>" << html_escape(text);
    if (n > 0) out << "<span class=\"pv-calls\">  # " << n << ": " << html_escape(names) << "</span>";
    out << "</span>\n";
  }
  out << "</pre>";
  return out.str();
}

std::string section(const json &report, const std::string &name, const std::string &title,
                    const std::string &body) {
  return "<details class=\"pv-section pv-section-" + name + "\"" + open_attr(report, name) +
         "><summary>" + title + "</summary>" + body + "</details>";
}

std::string function_html(const json &report, const json &function, const json &highlight) {
  std::string status = status_of(function);
  std::ostringstream out;
  int line = static_cast<int>(get_number(function, "line", 0));
  out << "<div class=\"pv-fn\"><div><span class=\"pv-fn-name\">" << html_escape(get_string(function, "name", "?"))
      << "</span> " << badge(status, status);
  if (line > 0) out << " <span class=\"pv-muted\">line " << line << "</span>";
  out << "</div>";
  if (status == "pending") {
    out << "<div class=\"pv-muted\">not called yet: it is compiled at its first call, for the argument "
           "types of that call (from Python or from another compiled function).</div></div>";
    return out.str();
  }
  if (status != "fallback" || !get_array(function, "signatures").empty())
    out << "<div>signatures: " << signatures_html(function) << "</div>";
  out << fallback_html(function) << runs_html(function);
  auto text_of = [&](const char *key) { return get_string(function, key); };
  auto highlighted = [&](const char *key) {
    return highlight.is_object() && highlight.contains(key) ? highlight[key] : json();
  };
  if (!text_of("ast").empty())
    out << section(report, "ast", "AST", "<pre>" + html_escape(text_of("ast")) + "</pre>");
  const json &types = get_array(function, "types");
  if (!types.empty())
    out << section(report, "types", "Type inference (" + std::to_string(types.size()) + ")", types_table(types));
  if (!get_array(function, "variables").empty() || !get_array(function, "object_lines").empty()) {
    int total = 0;
    for (const auto &[line, o] : object_lines(function)) total += o.calls;
    out << section(report, "objects",
                   "Variables and C-API calls (" + std::to_string(total) + (total == 1 ? " call)" : " calls)"),
                   objects_html(function));
  }
  if (!text_of("ir").empty())
    // The listings are highlighted when --show opens them; collapsed, they stay plain text (the
    // line map below has the optimised IR and the assembly highlighted): a fraction of the size.
    out << section(report, "ir", "LLVM IR (before optimisation)",
                   listing(text_of("ir"), section_shown(report, "ir") ? highlighted("ir") : json()));
  if (function.contains("pass_steps"))
    out << section(report, "passes", "Optimisation pipeline, pass by pass (" +
                                         std::to_string(get_array(function["pass_steps"], "steps").size()) + " changed the IR)",
                   passes_html(function["pass_steps"]));
  if (!text_of("opt_ir").empty()) {
    int level = static_cast<int>(get_number(get_object(report, "options"), "opt_level", 2));
    out << section(report, "opt-ir", "Optimised LLVM IR (-O" + std::to_string(level) + ")",
                   listing(text_of("opt_ir"), section_shown(report, "opt-ir") ? highlighted("opt_ir") : json()));
  }
  if (!text_of("asm").empty()) {
    std::string syntax = get_string(get_object(report, "options"), "asm_syntax", "att");
    out << section(report, "asm", "Assembly (" + html_escape(syntax) + ")",
                   listing(text_of("asm"), section_shown(report, "asm") ? highlighted("asm") : json()));
  }
  if (function.contains("cfg"))
    out << section(report, "cfg", "Control-flow graphs", cfg_html(function["cfg"]));
  if (!get_object(function, "line_map").empty())
    out << section(report, "line-map", "Source \xE2\x86\x94 IR \xE2\x86\x94 assembly",
                   line_map_html(function, highlight));
  if (status == "compiled") {
    out << section(report, "remarks",
                   "Optimisation remarks (" + std::to_string(get_array(function, "remarks").size()) + ")",
                   remarks_table(function));
    out << section(report, "timing", "Timing (" + format_ms(total_ms(function)) + ")", timing_table(function));
    if (!function.contains("pass_steps") || !function.contains("cfg"))
      out << "<div class=\"pv-muted\">The IR after each optimisation pass and the control-flow graphs: "
             "<code>--show=passes,cfg</code>, or <code>" << html_escape(get_string(function, "name", "f"))
          << ".inspect_passes()</code> and <code>.inspect_cfg()</code>.</div>";
  }
  out << "</div>";
  return out.str();
}

}  // namespace

std::string render_html(const nlohmann::json &report, const Highlights &highlights) {
  const json &options = get_object(report, "options");
  const json &functions = get_array(report, "functions");
  std::ostringstream out;
  out << "<div class=\"pyvorin-report\">" << kStyle << "<div class=\"pv-title\">Pyvorin report "
      << "<span class=\"pv-muted\">-O" << static_cast<int>(get_number(options, "opt_level", 2));
  if (get_bool(options, "strict")) out << " &middot; strict";
  if (get_bool(options, "fast")) out << " &middot; fast";
  if (!get_bool(options, "cache", true)) out << " &middot; no cache";
  out << " &middot; " << functions.size() << (functions.size() == 1 ? " function" : " functions")
      << "</span></div>";
  if (functions.empty())
    out << "<div class=\"pv-muted\">no top-level functions in this cell</div>";
  else
    out << summary_table(functions);
  if (report.contains("comparison")) out << comparison_html(report["comparison"]);
  for (size_t i = 0; i < functions.size(); ++i) {
    json highlight = highlights.is_array() && i < highlights.size() ? highlights[i] : json();
    out << function_html(report, functions[i], highlight);
  }
  out << "</div>";
  return out.str();
}

}  // namespace pyvorin::magics
