// Parses `%%pyvorin [options]`: every error names the option or value and lists the valid ones,
// so a typo never runs the cell with options the user did not ask for.
#include "pyvorin/magics/options.h"

#include <algorithm>
#include <sstream>

namespace pyvorin::magics {
namespace {

const char *const kValidOptions =
    "--strict, --fast, -O0, -O1, -O2, -O3, --show=SECTIONS, --asm-syntax=att|intel, "
    "--no-compare, --no-cache, --quiet, --debug-ir, --help";

// The spellings users type, for "did you mean" hints.
const std::vector<std::string> &option_spellings() {
  static const std::vector<std::string> names = {
      "--strict", "--fast",         "-O0",        "-O1",        "-O2",     "-O3",   "--show",
      "--asm-syntax", "--no-compare", "--no-cache", "--quiet", "--debug-ir", "--help"};
  return names;
}

std::string join(const std::vector<std::string> &items, const std::string &sep) {
  std::string out;
  for (const auto &item : items) {
    if (!out.empty()) out += sep;
    out += item;
  }
  return out;
}

// Levenshtein distance, for suggesting the closest option to a typo.
size_t edit_distance(const std::string &a, const std::string &b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string closest(const std::string &word, const std::vector<std::string> &candidates) {
  std::string best;
  size_t best_distance = 3;  // only suggest near misses
  for (const auto &candidate : candidates) {
    size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

OptionsResult fail(std::string message) { return {std::nullopt, std::move(message)}; }

std::string section_list() { return join(section_names(), ", ") + ", all, none"; }

// Applies one `--show` value ("ir,asm", "all", "none") to `show`; returns an error or "".
std::string apply_show(const std::string &value, std::set<std::string> &show) {
  if (value.empty()) return "%%pyvorin: --show needs a value. Valid sections: " + section_list();
  std::stringstream items(value);
  std::string item;
  while (std::getline(items, item, ',')) {
    if (item == "all") {
      show.insert(section_names().begin(), section_names().end());
      continue;
    }
    if (item == "none") {
      show.clear();
      continue;
    }
    if (item == "opt_ir" || item == "optir") item = "opt-ir";
    if (item == "line_map") item = "line-map";
    const auto &names = section_names();
    if (std::find(names.begin(), names.end(), item) == names.end()) {
      std::string hint = closest(item, names);
      return "%%pyvorin: bad value '" + item + "' for --show. Valid sections: " + section_list() +
             (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
    }
    show.insert(item);
  }
  return "";
}

std::string apply_asm_syntax(const std::string &value, std::string &syntax) {
  if (value == "att" || value == "intel") {
    syntax = value;
    return "";
  }
  if (value.empty()) return "%%pyvorin: --asm-syntax needs a value. Valid values: att, intel";
  return "%%pyvorin: bad value '" + value + "' for --asm-syntax. Valid values: att, intel";
}

}  // namespace

const std::vector<std::string> &section_names() {
  static const std::vector<std::string> names = {"ast", "types", "objects",  "ir",      "passes", "opt-ir",
                                                 "asm", "cfg",   "line-map", "remarks", "timing"};
  return names;
}

std::vector<std::string> split_option_line(const std::string &line) {
  std::vector<std::string> words;
  std::string current;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
        continue;
      }
      current += c;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (in_word) words.push_back(current);
      current.clear();
      in_word = false;
      continue;
    }
    current += c;
    in_word = true;
  }
  if (in_word) words.push_back(current);
  return words;
}

OptionsResult parse_options(const std::string &line, const CellOptions &defaults) {
  CellOptions options = defaults;
  bool show_given = false;  // the first --show replaces the defaults' sections, later ones add
  std::vector<std::string> words = split_option_line(line);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string &word = words[i];
    // `--name=value` or `--name value` for the two options that take a value.
    std::string name = word;
    std::optional<std::string> value;
    if (auto eq = word.find('='); eq != std::string::npos && word.rfind("--", 0) == 0) {
      name = word.substr(0, eq);
      value = word.substr(eq + 1);
    }
    bool takes_value = name == "--show" || name == "--asm-syntax";
    if (takes_value && !value) {
      if (i + 1 < words.size() && words[i + 1].rfind("-", 0) != 0) value = words[++i];
      else value = "";
    }
    if (!takes_value && value) {
      return fail("%%pyvorin: option '" + name + "' takes no value (got '" + word +
                  "'). Valid options: " + kValidOptions);
    }

    if (name == "--strict") { options.strict = true; continue; }
    if (name == "--fast") { options.fast = true; continue; }
    if (name == "--no-compare") { options.compare = false; continue; }
    if (name == "--no-cache") { options.cache = false; continue; }
    if (name == "--quiet" || name == "-q") { options.quiet = true; continue; }
    if (name == "--debug-ir") { options.debug_ir = true; continue; }
    if (name == "--help" || name == "-h") { options.help = true; continue; }
    if (name == "--show") {
      if (!show_given) options.show.clear();
      show_given = true;
      if (std::string error = apply_show(*value, options.show); !error.empty()) return fail(error);
      continue;
    }
    if (name == "--asm-syntax") {
      if (std::string error = apply_asm_syntax(*value, options.asm_syntax); !error.empty())
        return fail(error);
      continue;
    }
    if (name.rfind("-O", 0) == 0) {
      std::string level = name.substr(2);
      if (level.size() == 1 && level[0] >= '0' && level[0] <= '3') {
        options.opt_level = level[0] - '0';
        continue;
      }
      return fail("%%pyvorin: bad optimisation level '" + name +
                  "'. Valid levels: -O0, -O1, -O2, -O3");
    }
    if (name.rfind("-", 0) != 0) {
      return fail("%%pyvorin: unexpected argument '" + word +
                  "' (the cell body holds the code). Valid options: " + kValidOptions);
    }
    std::string hint = closest(name, option_spellings());
    return fail("%%pyvorin: unknown option '" + name + "'" +
                (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                ". Valid options: " + kValidOptions);
  }
  return {options, ""};
}

nlohmann::json options_to_json(const CellOptions &options) {
  nlohmann::json show = nlohmann::json::array();
  for (const auto &name : section_names())
    if (options.show.count(name)) show.push_back(name);
  return {{"strict", options.strict},         {"fast", options.fast},
          {"opt_level", options.opt_level},   {"show", show},
          {"asm_syntax", options.asm_syntax}, {"compare", options.compare},
          {"cache", options.cache},           {"quiet", options.quiet},
          {"debug_ir", options.debug_ir}};
}

OptionsResult options_from_json(const nlohmann::json &j) {
  CellOptions options;
  if (!j.is_object()) return fail("pyvorin options must be a JSON object");
  auto get_bool = [&](const char *key, bool &out) -> std::string {
    if (!j.contains(key)) return "";
    if (!j[key].is_boolean()) return std::string("pyvorin option '") + key + "' must be a bool";
    out = j[key].get<bool>();
    return "";
  };
  for (auto [key, out] : {std::pair{"strict", &options.strict}, {"fast", &options.fast},
                          {"compare", &options.compare}, {"cache", &options.cache},
                          {"quiet", &options.quiet}, {"debug_ir", &options.debug_ir}}) {
    if (std::string error = get_bool(key, *out); !error.empty()) return fail(error);
  }
  if (j.contains("opt_level")) {
    const auto &level = j["opt_level"];
    if (!level.is_number_integer() || level.get<int>() < 0 || level.get<int>() > 3)
      return fail("pyvorin option 'opt_level' must be 0, 1, 2 or 3");
    options.opt_level = level.get<int>();
  }
  if (j.contains("show")) {
    if (!j["show"].is_array()) return fail("pyvorin option 'show' must be a list of sections");
    for (const auto &item : j["show"]) {
      if (!item.is_string()) return fail("pyvorin option 'show' must be a list of sections");
      if (std::string error = apply_show(item.get<std::string>(), options.show); !error.empty())
        return fail(error);
    }
  }
  if (j.contains("asm_syntax")) {
    if (!j["asm_syntax"].is_string()) return fail("pyvorin option 'asm_syntax' must be a string");
    if (std::string error = apply_asm_syntax(j["asm_syntax"].get<std::string>(), options.asm_syntax);
        !error.empty())
      return fail(error);
  }
  return {options, ""};
}

std::string options_to_line(const CellOptions &options) {
  std::vector<std::string> words;
  if (options.strict) words.push_back("--strict");
  if (options.fast) words.push_back("--fast");
  words.push_back("-O" + std::to_string(options.opt_level));
  std::vector<std::string> show;
  for (const auto &name : section_names())
    if (options.show.count(name)) show.push_back(name);
  if (show.size() == section_names().size()) words.push_back("--show=all");
  else if (!show.empty()) words.push_back("--show=" + join(show, ","));
  if (options.asm_syntax != "att") words.push_back("--asm-syntax=" + options.asm_syntax);
  if (!options.compare) words.push_back("--no-compare");
  if (!options.cache) words.push_back("--no-cache");
  if (options.quiet) words.push_back("--quiet");
  if (options.debug_ir) words.push_back("--debug-ir");
  return join(words, " ");
}

std::string usage() {
  return R"(Usage: %%pyvorin [options]
Runs the cell as Python in the user namespace; its top-level functions are compiled to native
code by Pyvorin (at their first call, one version per argument types). A report per cell shows
what was compiled; when the last line is an expression calling compiled code, it is evaluated
again with compilation off and both results, times and the speed-up are shown side by side.

Options:
  --strict              a construct Pyvorin cannot compile raises pyvorin.CompilationError
                        (default: the function falls back to CPython and the report says why)
  --fast                drop the interrupt checks on loop back-edges (results never change)
  -O0 | -O1 | -O2 | -O3 LLVM optimisation level (default -O2)
  --show=SECTIONS       report sections that start expanded, comma-separated:
                        ast, types, objects, ir, passes, opt-ir, asm, cfg,
                        line-map, remarks, timing, all, none (passes and cfg are
                        computed when asked for)
  --asm-syntax=att|intel  assembly dialect in the report (default att)
  --no-compare          do not re-run the last expression in CPython
  --no-cache            compile again even if this code was compiled before
  --quiet               no report (the cell still runs compiled)
  --debug-ir            keep the IR's debug metadata (!dbg) and the cells' file paths
  --help                this text

Line magics:
  %pyvorin --help           this text
  %pyvorin_report [NAME]    show the report of compiled function NAME again
                            (without NAME: the last cell's report)
  %pyvorin_config [OPTIONS] show or set the defaults for later cells (--reset restores them)
)";
}

}  // namespace pyvorin::magics
