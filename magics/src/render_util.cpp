// Tolerant accessors and formatting shared by render_html.cpp and render_text.cpp.
#include "render_util.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "pyvorin/magics/render.h"

namespace pyvorin::magics {

std::string html_escape(const std::string &text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string format_ms(double ms) {
  char buffer[64];
  if (!std::isfinite(ms) || ms < 0) return "n/a";
  if (ms >= 1000.0) std::snprintf(buffer, sizeof buffer, "%.2f s", ms / 1000.0);
  else if (ms >= 100.0) std::snprintf(buffer, sizeof buffer, "%.0f ms", ms);
  else if (ms >= 10.0) std::snprintf(buffer, sizeof buffer, "%.1f ms", ms);
  else if (ms >= 1.0) std::snprintf(buffer, sizeof buffer, "%.2f ms", ms);
  else if (ms >= 0.001) std::snprintf(buffer, sizeof buffer, "%.3f ms", ms);
  else std::snprintf(buffer, sizeof buffer, "%.0f ns", ms * 1e6);
  return buffer;
}

std::string format_seconds(double seconds) { return format_ms(seconds * 1000.0); }

std::string format_bytes(long long bytes) {
  char buffer[64];
  if (bytes < 0) return "n/a";
  if (bytes < 1024) std::snprintf(buffer, sizeof buffer, "%lld B", bytes);
  else if (bytes < 1024 * 1024) std::snprintf(buffer, sizeof buffer, "%.1f KiB", bytes / 1024.0);
  else std::snprintf(buffer, sizeof buffer, "%.1f MiB", bytes / (1024.0 * 1024.0));
  return buffer;
}

std::string format_signature(const nlohmann::json &signature) {
  std::string out = "(";
  const auto &args = detail::get_array(signature, "args");
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    out += detail::scalar_text(args[i]);
  }
  out += ")";
  std::string ret = detail::get_string(signature, "return");
  if (!ret.empty()) out += " -> " + ret;
  return out;
}

namespace detail {

std::string get_string(const json &j, const char *key, const std::string &fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  if (it->is_string()) return it->get<std::string>();
  return scalar_text(*it);
}

double get_number(const json &j, const char *key, double fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || !it->is_number()) return fallback;
  return it->get<double>();
}

bool get_bool(const json &j, const char *key, bool fallback) {
  if (!j.is_object()) return fallback;
  auto it = j.find(key);
  if (it == j.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

const json &get_array(const json &j, const char *key) {
  static const json empty = json::array();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return empty;
  return *it;
}

const json &get_object(const json &j, const char *key) {
  static const json empty = json::object();
  if (!j.is_object()) return empty;
  auto it = j.find(key);
  if (it == j.end() || !it->is_object()) return empty;
  return *it;
}

std::string scalar_text(const json &value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "None";
  if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
  return value.dump();
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::vector<std::pair<std::string, double>> ordered_timings(const json &function) {
  static const std::vector<std::string> order = {"parse",   "normalise", "normalize", "check", "infer",
                                                 "ranges",  "lower",     "optimise",  "optimize",
                                                 "codegen", "asm",       "load"};
  std::vector<std::pair<std::string, double>> out;
  const json &timings = get_object(function, "timings_ms");
  for (const auto &stage : order) {
    auto it = timings.find(stage);
    if (it != timings.end() && it->is_number()) out.emplace_back(stage, it->get<double>());
  }
  for (auto it = timings.begin(); it != timings.end(); ++it) {
    if (!it->is_number() || it.key() == "total") continue;
    if (std::find(order.begin(), order.end(), it.key()) != order.end()) continue;
    out.emplace_back(it.key(), it->get<double>());
  }
  return out;
}

std::vector<TimingRow> timing_rows(const json &function) {
  std::vector<TimingRow> rows;
  if (get_string(function, "cache") == "disk hit") {
    // Loaded, not compiled: the lookup and the link, then what the compile that made the entry took.
    const json &timings = get_object(function, "timings_ms");
    auto ms = [&](const json &t, const char *k) {
      auto it = t.find(k);
      return it != t.end() && it->is_number() ? it->get<double>() : -1.0;
    };
    double cache = ms(timings, "cache"), load = ms(timings, "load"), total = ms(timings, "total");
    if (cache >= 0) rows.push_back({"cache", cache, false, "the disk cache entry looked up and checked"});
    if (load >= 0) rows.push_back({"load", load, false, "its object linked into the JIT"});
    if (total >= 0) rows.push_back({"total", total, true, "loaded from the disk cache: no compile"});
    if (double a = ms(timings, "asm"); a >= 0) rows.push_back({"asm", a, false, "the assembly text, printed when the report was first read"});
    const json &earlier = get_object(function, "compile_timings_ms");
    if (double c = ms(earlier, "total"); c >= 0) rows.push_back({"compiled", c, false, "what the compile that made the entry took"});
    return rows;
  }
  double sum = 0, asm_ms = -1;
  for (const auto &[stage, ms] : ordered_timings(function)) {
    if (stage == "asm") {
      asm_ms = ms;
      continue;
    }
    rows.push_back({stage, ms, false, ""});
    sum += ms;
  }
  if (rows.empty() && asm_ms < 0) return rows;
  const json &timings = get_object(function, "timings_ms");
  double total = sum;
  if (auto it = timings.find("total"); it != timings.end() && it->is_number()) total = it->get<double>();
  // pyvorinc prints the assembly within the compile (eager_asm): then it is one of its stages
  if (asm_ms >= 0 && total >= sum + asm_ms - 1e-9) {
    rows.push_back({"asm", asm_ms, false, ""});
    sum += asm_ms;
    asm_ms = -1;
  }
  if (total - sum >= 0.0005) rows.push_back({"other", total - sum, false, "between the stages: setup, the report's texts"});
  rows.push_back({"total", std::max(total, sum), true, "the compile"});
  if (asm_ms >= 0) rows.push_back({"asm", asm_ms, false, "the assembly text, printed when the report was first read"});
  return rows;
}

std::string format_ms_fixed(double ms) {
  char buffer[64];
  if (!std::isfinite(ms) || ms < 0) return "n/a";
  std::snprintf(buffer, sizeof buffer, "%.3f ms", ms);
  return buffer;
}

std::string repeats_text(const json &comparison) {
  long long native = static_cast<long long>(get_number(get_object(comparison, "native"), "repeats", 1));
  long long cpython = static_cast<long long>(get_number(get_object(comparison, "cpython"), "repeats", 1));
  if (native > 1 && cpython > 1)
    return "each time the mean of runs: " + std::to_string(cpython) + " in CPython, " + std::to_string(native) + " compiled";
  if (native > 1) return "Pyvorin: the mean of " + std::to_string(native) + " runs";
  if (cpython > 1) return "CPython: the mean of " + std::to_string(cpython) + " runs";
  return "";
}

double total_ms(const json &function) {
  const json &timings = get_object(function, "timings_ms");
  if (auto it = timings.find("total"); it != timings.end() && it->is_number())
    return it->get<double>();
  double total = 0.0;
  for (const auto &[stage, ms] : ordered_timings(function)) total += ms;
  return total;
}

std::string remark_kind(const json &remark) {
  std::string kind = get_string(remark, "kind");
  std::string pass = get_string(remark, "pass");
  std::string message = get_string(remark, "message");
  auto contains = [](const std::string &haystack, const char *needle) {
    std::string lower = haystack;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    return lower.find(needle) != std::string::npos;
  };
  if (contains(kind, "miss") || contains(message, "not vectorized") ||
      contains(message, "missed") || contains(message, "not inlined"))
    return "missed";
  if (contains(pass, "vectori") || contains(message, "vectorized")) return "vectorised";
  if (contains(pass, "unroll") || contains(message, "unrolled")) return "unrolled";
  if (contains(pass, "inline") || contains(message, "inlined")) return "inlined";
  return kind == "analysis" ? "analysis" : "";
}

std::string truncate(const std::string &text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 safe
  return text.substr(0, cut) + "\xE2\x80\xA6";
}

bool section_shown(const json &report, const std::string &section) {
  for (const auto &item : get_array(get_object(report, "options"), "show"))
    if (item.is_string() && (item.get<std::string>() == section || item.get<std::string>() == "all"))
      return true;
  return false;
}

std::vector<std::pair<int, std::string>> source_lines(const json &function) {
  std::vector<std::pair<int, std::string>> out;
  const json &source = get_object(function, "source");
  std::string text = get_string(source, "text");
  int first = static_cast<int>(get_number(source, "line", get_number(function, "line", 1)));
  int number = first;
  for (auto &line : split_lines(text)) out.emplace_back(number++, std::move(line));
  return out;
}

std::vector<LineMapEntry> line_map_entries(const json &function) {
  std::vector<LineMapEntry> out;
  const json &map = get_object(function, "line_map");
  auto numbers = [](const json &entry, const char *key) {
    std::vector<int> lines;
    for (const auto &n : get_array(entry, key))
      if (n.is_number_integer()) lines.push_back(n.get<int>());
    return lines;
  };
  for (auto it = map.begin(); it != map.end(); ++it) {
    LineMapEntry entry;
    try {
      entry.source_line = std::stoi(it.key());
    } catch (const std::exception &) {
      continue;
    }
    entry.ir = numbers(*it, "ir");
    entry.asm_lines = numbers(*it, "asm");
    out.push_back(std::move(entry));
  }
  std::sort(out.begin(), out.end(),
            [](const LineMapEntry &a, const LineMapEntry &b) { return a.source_line < b.source_line; });
  return out;
}

std::map<int, ObjectLine> object_lines(const json &function) {
  std::map<int, ObjectLine> out;
  for (const auto &entry : get_array(function, "object_lines")) {
    int line = static_cast<int>(get_number(entry, "line", 0));
    if (line <= 0) continue;
    ObjectLine &o = out[line];
    o.calls += std::max(0, static_cast<int>(get_number(entry, "calls", 0)));
    for (const auto &name : get_array(entry, "functions"))
      if (name.is_string()) o.functions.push_back(name.get<std::string>());
  }
  return out;
}

int capi_level(int calls) { return calls <= 0 ? 0 : calls <= 2 ? 1 : calls <= 5 ? 2 : 3; }

const char *capi_marker(int calls) {
  static const char *const markers[] = {".", "+", "++", "+++"};
  return markers[capi_level(calls)];
}

}  // namespace detail
}  // namespace pyvorin::magics
