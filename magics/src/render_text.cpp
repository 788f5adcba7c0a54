// The report as text/plain: a short, aligned summary for jupyter console and IPython, with the
// sections requested by --show appended in full.
#include <algorithm>
#include <cstdio>
#include <sstream>

#include "pyvorin/magics/render.h"
#include "render_util.h"

namespace pyvorin::magics {
namespace {

using namespace detail;

std::string pad(const std::string &text, size_t width) {
  // Pads by code points so names with accents stay aligned.
  size_t length = 0;
  for (unsigned char c : text) length += (c & 0xC0) != 0x80;
  return length >= width ? text : text + std::string(width - length, ' ');
}

std::string function_line(const json &function, size_t name_width) {
  std::string status = get_string(function, "status", "pending");
  std::ostringstream out;
  out << "  " << pad(get_string(function, "name", "?"), name_width) << "  " << pad(status, 8) << "  ";
  if (status == "compiled") {
    std::string signatures;
    for (const auto &signature : get_array(function, "signatures")) {
      if (!signatures.empty()) signatures += ", ";
      signatures += format_signature(signature);
    }
    out << signatures << "   " << format_ms(total_ms(function));
    double size = get_number(function, "object_size", -1);
    if (size >= 0) out << ", " << format_bytes(static_cast<long long>(size));
    std::string cache = get_string(function, "cache");
    if (!cache.empty()) out << ", cache " << cache;
  } else if (status == "fallback") {
    const json &fallback = get_object(function, "fallback");
    std::string code = get_string(fallback, "code");
    out << "runs in CPython" << (code.empty() ? "" : " [" + code + "]") << ": "
        << get_string(fallback, "reason");
    int line = static_cast<int>(get_number(fallback, "line", 0));
    if (line > 0) out << " (line " << line << ")";
    std::string suggestion = get_string(fallback, "suggestion");
    if (!suggestion.empty()) out << "\n  " << std::string(name_width + 12, ' ') << "suggestion: " << suggestion;
  } else if (status == "cpython") {
    out << "called, but each call ran in CPython (reasons below)";
  } else {
    out << "not called yet (compiled at its first call)";
  }
  out << "\n";
  std::string indent(name_width + 14, ' ');
  const json &callers = get_array(function, "callers");
  if (!callers.empty()) {
    out << indent << "also compiled into ";
    for (size_t i = 0; i < callers.size(); ++i) out << (i ? ", " : "") << (callers[i].is_string() ? callers[i].get<std::string>() : "?");
    out << "\n";
  }
  for (const auto &run : get_array(function, "cpython_runs")) {
    long long calls = static_cast<long long>(get_number(run, "calls", 0));
    out << indent << calls << (calls == 1 ? " call" : " calls") << " in CPython: " << get_string(run, "reason") << "\n";
  }
  return out.str();
}

std::string comparison_text(const json &comparison) {
  if (!comparison.is_object()) return "";
  const json &cpython = get_object(comparison, "cpython");
  const json &native = get_object(comparison, "native");
  std::string cpy_repr = truncate(get_string(cpython, "repr"), 120);
  std::string nat_repr = truncate(get_string(native, "repr"), 120);
  size_t width = std::max<size_t>({cpy_repr.size(), nat_repr.size(), 6});
  char speed[64];
  double speedup = get_number(comparison, "speedup", 0.0);
  std::snprintf(speed, sizeof speed, speedup >= 10 ? "%.0fx" : "%.2fx", speedup);
  std::ostringstream out;
  out << "Side by side: " << truncate(get_string(comparison, "expression"), 120) << "\n"
      << "  CPython  " << pad(cpy_repr, width) << "  " << format_seconds(get_number(cpython, "seconds", -1)) << "\n"
      << "  Pyvorin  " << pad(nat_repr, width) << "  " << format_seconds(get_number(native, "seconds", -1));
  const json &runs = get_array(comparison, "cpython_runs");
  if (!runs.empty())
    out << "   speed-up not shown (partly CPython)";
  else if (get_bool(comparison, "too_short"))
    out << "   speed-up not shown (under 1 ms: too short to measure)";
  else
    out << "   speed-up " << speed;
  std::string repeated = repeats_text(comparison);
  if (!repeated.empty() && runs.empty()) out << " (" << repeated << ")";
  out << ", " << (get_bool(comparison, "same") ? "same result" : "RESULTS DIFFER") << "\n";
  for (const auto &run : runs) {
    long long calls = static_cast<long long>(get_number(run, "calls", 0));
    out << "  " << get_string(run, "function") << ": " << calls << (calls == 1 ? " call" : " calls")
        << " ran in CPython: " << get_string(run, "reason") << "\n";
  }
  return out.str();
}

// "  passes: 3 run; slowest loop-vectorize 1.25 ms, instcombine 0.750 ms"
std::string passes_text(const json &function) {
  const json &passes = get_array(function, "passes");
  if (passes.empty()) return "";
  std::vector<std::pair<double, std::string>> timed;
  for (const auto &pass : passes)
    if (pass.is_object() && get_number(pass, "ms", -1) >= 0)
      timed.emplace_back(get_number(pass, "ms"), get_string(pass, "name"));
  std::stable_sort(timed.begin(), timed.end(), [](const auto &a, const auto &b) { return a.first > b.first; });
  std::string out = "  passes: " + std::to_string(passes.size()) + " run";
  for (size_t i = 0; i < timed.size() && i < 3; ++i)
    out += (i == 0 ? "; slowest " : ", ") + timed[i].second + " " + format_ms(timed[i].first);
  return out + "\n";
}

std::string sections_text(const json &report, const json &function) {
  std::ostringstream out;
  std::string name = get_string(function, "name", "?");
  auto block = [&](const std::string &section, const std::string &title, const std::string &body) {
    if (!section_shown(report, section) || body.empty()) return;
    out << "\n-- " << name << ": " << title << " --\n" << body;
    if (body.back() != '\n') out << "\n";
  };
  block("ast", "AST", get_string(function, "ast"));
  std::string types;
  for (const auto &entry : get_array(function, "types")) {
    int line = static_cast<int>(get_number(entry, "line", 0));
    types += "  " + pad(get_string(entry, "name"), 12) + " " + pad(get_string(entry, "type"), 10) +
             " line " + pad(std::to_string(line), 4) + " " + get_string(entry, "because") + "\n";
  }
  block("types", "types", types);
  std::string objects;
  const json &variables = get_array(function, "variables");
  size_t width = 0;
  for (const auto &v : variables) width = std::max(width, get_string(v, "name").size());
  for (const auto &v : variables)
    objects += "  " + pad(get_string(v, "name"), width) + "  " + pad(get_string(v, "type"), 20) + " " +
               get_string(v, "representation") + "\n";
  auto calls = object_lines(function);
  auto lines = variables.empty() && calls.empty() ? decltype(source_lines(function))() : source_lines(function);
  if (lines.empty())
    for (const auto &[number, o] : calls) lines.emplace_back(number, "");
  if (!lines.empty()) objects += "  C-API calls per line:\n";
  for (const auto &[number, text] : lines) {
    auto it = calls.find(number);
    int n = it == calls.end() ? 0 : it->second.calls;
    std::string digits = std::to_string(number);  // right-aligned, as inspect_objects() prints it
    std::string row = "  " + std::string(digits.size() < 5 ? 5 - digits.size() : 0, ' ') + digits + " " +
                      pad(capi_marker(n), 4) + "| " + text;
    if (n > 0) {
      row += "  # " + std::to_string(n) + ":";
      for (size_t i = 0; i < it->second.functions.size(); ++i)
        row += (i ? ", " : " ") + it->second.functions[i];
    }
    while (!row.empty() && row.back() == ' ') row.pop_back();
    objects += row + "\n";
  }
  block("objects", "variables and C-API calls", objects);
  // numbered, since the line map cites these line numbers
  auto numbered = [](const std::string &text) {
    std::vector<std::string> lines = split_lines(text);
    size_t width = std::to_string(lines.size()).size();
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
      std::string n = std::to_string(i + 1);
      out += std::string(width - n.size(), ' ') + n + "  " + lines[i] + "\n";
    }
    return out;
  };
  block("ir", "LLVM IR", numbered(get_string(function, "ir")));
  if (function.contains("pass_steps")) {
    const json &view = function["pass_steps"];
    std::string passes;
    if (view.contains("error")) passes = "  " + get_string(view, "error") + "\n";
    for (const auto &f : get_array(view, "functions"))
      passes += "  " + get_string(f, "function") + ": " + std::to_string(static_cast<long long>(get_number(f, "runs"))) +
                " passes ran, " + std::to_string(static_cast<long long>(get_number(f, "changed"))) + " changed it, " +
                format_ms_fixed(get_number(f, "ms")) + "\n";
    for (const auto &st : get_array(view, "steps")) {
      passes += "\n  " + std::to_string(static_cast<long long>(get_number(st, "index"))) + ". " + get_string(st, "pass") +
                " on " + get_string(st, "function") + " (+" + std::to_string(static_cast<long long>(get_number(st, "added"))) +
                " -" + std::to_string(static_cast<long long>(get_number(st, "removed"))) + ")\n";
      for (const std::string &line : split_lines(get_string(st, "diff"))) passes += "     " + line + "\n";
    }
    block("passes", "passes that changed the IR", passes);
  }
  block("opt-ir", "optimised LLVM IR", numbered(get_string(function, "opt_ir")));
  block("asm", "assembly", numbered(get_string(function, "asm")));
  if (function.contains("cfg")) {
    const json &view = function["cfg"];
    std::string cfg;
    if (view.contains("error")) cfg = "  " + get_string(view, "error") + "\n";
    for (const auto &f : get_array(view, "functions"))
      cfg += "  " + get_string(f, "function") + ": drawn as SVG in the HTML report; the graphviz source is " +
             get_string(f, "function") + ".inspect_cfg()\n";
    block("cfg", "control-flow graphs", cfg);
  }
  std::string map;
  for (const auto &entry : line_map_entries(function)) {
    map += "  line " + pad(std::to_string(entry.source_line), 4) + " -> IR";
    for (int n : entry.ir) map += " " + std::to_string(n);
    map += "; asm";
    for (int n : entry.asm_lines) map += " " + std::to_string(n);
    map += "\n";
  }
  block("line-map", "line map", map);
  std::string remarks;
  for (const auto &loop : get_array(function, "ranges")) {  // range analysis: versioned loops, counter arrays
    remarks += "  line " + pad(std::to_string(static_cast<int>(get_number(loop, "line", 0))), 4) + " " + pad("passed", 10) +
               (loop.contains("counter")          ? " ranges: counter array " + get_string(loop, "counter") +
                                                            " (made by np.zeros, only ever incremented by 1) drops"
                : get_bool(loop, "whole_function") ? " ranges: function " + get_string(loop, "function") +
                                                         " (value classes of its floats, no loop versioning) drops"
                                                   : " ranges: loop over " + get_string(loop, "loop") + " versioned; the fast copy drops");
    for (const auto &c : get_array(loop, "removed_bounds_checks"))
      remarks += " [bounds check of " + get_string(c, "array") + "[" + get_string(c, "index") + "]" +
                 (c.contains("range") ? " in " + get_string(c, "range") : std::string()) + ", line " +
                 std::to_string(static_cast<int>(get_number(c, "line", 0))) + "]";
    for (const auto &c : get_array(loop, "removed_overflow_checks"))
      remarks += " [overflow check of " + get_string(c, "expression") + ", line " +
                 std::to_string(static_cast<int>(get_number(c, "line", 0))) + "]";
    for (const auto &c : get_array(loop, "removed_value_checks"))
      remarks += " [" + get_string(c, "check") + " test of " + get_string(c, "expression") + " in " + get_string(c, "range") +
                 ", line " + std::to_string(static_cast<int>(get_number(c, "line", 0))) + "]";
    remarks += "\n";
  }
  for (const auto &remark : get_array(function, "remarks")) {
    std::string kind = remark_kind(remark);
    long long count = static_cast<long long>(get_number(remark, "count", 1));
    remarks += "  line " + pad(std::to_string(static_cast<int>(get_number(remark, "line", 0))), 4) + " " +
               pad(kind, 10) + " " + get_string(remark, "pass") + ": " + get_string(remark, "message") +
               (count > 1 ? " (x" + std::to_string(count) + ")" : "") + "\n";
    std::string why = get_string(remark, "why");
    if (!why.empty()) remarks += "                   why: " + why + "\n";
  }
  block("remarks", "remarks", remarks);
  std::string timing;
  for (const auto &row : timing_rows(function)) {
    std::string ms = format_ms_fixed(row.ms);
    timing += "  " + pad(row.stage, 10) + " " + std::string(ms.size() < 12 ? 12 - ms.size() : 0, ' ') + ms +
              (row.note.empty() ? "" : "  (" + row.note + ")") + "\n";
  }
  if (!timing.empty()) {
    double size = get_number(function, "object_size", -1);
    if (size >= 0) timing += "  object size " + format_bytes(static_cast<long long>(size)) + "\n";
    timing += passes_text(function);
  }
  block("timing", "timing", timing);
  return out.str();
}

}  // namespace

std::string render_text(const nlohmann::json &report) {
  const json &options = get_object(report, "options");
  const json &functions = get_array(report, "functions");
  std::ostringstream out;
  out << "Pyvorin report (-O" << static_cast<int>(get_number(options, "opt_level", 2));
  if (get_bool(options, "strict")) out << ", strict";
  if (get_bool(options, "fast")) out << ", fast";
  if (!get_bool(options, "cache", true)) out << ", no cache";
  out << "): " << functions.size() << (functions.size() == 1 ? " function" : " functions") << "\n";
  size_t name_width = 4;
  for (const auto &function : functions)
    name_width = std::max(name_width, get_string(function, "name", "?").size());
  for (const auto &function : functions) out << function_line(function, name_width);
  if (report.contains("comparison")) out << comparison_text(report["comparison"]);
  for (const auto &function : functions) out << sections_text(report, function);
  std::string text = out.str();
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace pyvorin::magics
