// Internal helpers shared by the HTML and text renderers: tolerant JSON access (a report from an
// older or newer compiler may lack a field; rendering must never throw on that) and stage order.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace pyvorin::magics::detail {

using nlohmann::json;

// j[key] as a string/number/bool/array/object, or the fallback when missing or of another type.
std::string get_string(const json &j, const char *key, const std::string &fallback = "");
double get_number(const json &j, const char *key, double fallback = 0.0);
bool get_bool(const json &j, const char *key, bool fallback = false);
const json &get_array(const json &j, const char *key);
const json &get_object(const json &j, const char *key);

// Any scalar as display text (strings unquoted, numbers as JSON prints them).
std::string scalar_text(const json &value);

// Splits text into lines (no trailing empty line for a final '\n').
std::vector<std::string> split_lines(const std::string &text);

// The stage timings in pipeline order (known stages first, then any others as they come).
std::vector<std::pair<std::string, double>> ordered_timings(const json &function);

// Sum of a function's stage timings in ms.
double total_ms(const json &function);

// The timing table's rows, in one unit (ms): the compile's stages in pipeline order, "other" for
// the compile's time outside them, "total" (the compile: the rows above add up to it), then
// "asm" (the assembly text, printed when the report was first read, outside the compile).
struct TimingRow {
  std::string stage;
  double ms = 0;
  bool total = false;
  std::string note;
};
std::vector<TimingRow> timing_rows(const json &function);
// Milliseconds with three decimals ("0.412 ms", "12.031 ms"): one unit down a column.
std::string format_ms_fixed(double ms);

// Which side-by-side times are means of repeated runs: "Pyvorin: the mean of 400 runs",
// "CPython: ...", "means of 400 and 80 runs", or "" when each side ran once.
std::string repeats_text(const json &comparison);

// "vectorised", "unrolled", "inlined", "missed" or "" for a remark.
std::string remark_kind(const json &remark);

// Shortens long text to at most `limit` characters, marking the cut with an ellipsis.
std::string truncate(const std::string &text, size_t limit);

// Whether report["options"]["show"] lists `section`.
bool section_shown(const json &report, const std::string &section);

// Function's source lines with their absolute line numbers: from "source" {"line", "text"} when
// the magic added it.
std::vector<std::pair<int, std::string>> source_lines(const json &function);

// Parses the line map: source line -> (ir lines, asm lines), each 1-based, in source-line order.
struct LineMapEntry {
  int source_line = 0;
  std::vector<int> ir;
  std::vector<int> asm_lines;
};
std::vector<LineMapEntry> line_map_entries(const json &function);

// The C-API calls of one source line ("object_lines": {"line", "calls", "functions"}).
struct ObjectLine {
  int calls = 0;
  std::vector<std::string> functions;
};
// "object_lines" by source line (entries without a positive line are skipped).
std::map<int, ObjectLine> object_lines(const json &function);
// Cython-style shade of a line with `calls` C-API calls, as inspect_objects() marks it:
// 0 none ("."), 1 for one or two ("+"), 2 for three to five ("++"), 3 for more ("+++").
int capi_level(int calls);
const char *capi_marker(int calls);

}  // namespace pyvorin::magics::detail
