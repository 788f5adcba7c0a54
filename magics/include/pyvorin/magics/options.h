// %%pyvorin options: the one parser for the cell magic, %pyvorin_config and the usage text.
// Unknown options and bad values are errors that name the culprit and list the valid choices.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace pyvorin::magics {

// Report sections that --show can expand, in display order.
const std::vector<std::string> &section_names();

struct CellOptions {
  bool strict = false;
  bool fast = false;
  int opt_level = 2;
  std::set<std::string> show;  // expanded sections (subset of section_names())
  std::string asm_syntax = "att";
  bool compare = true;
  bool cache = true;
  bool quiet = false;
  bool debug_ir = false;  // keep the IR's debug metadata and the cells' file paths in the report
  bool help = false;
};

// Either options or an error message (never both).
struct OptionsResult {
  std::optional<CellOptions> options;
  std::string error;
};

// Splits an option line on whitespace, honouring '...' and "..." quoting.
std::vector<std::string> split_option_line(const std::string &line);

// Parses `%%pyvorin` arguments on top of `defaults`. The first --show replaces the default
// sections and later ones add to it; every other option overrides its default.
OptionsResult parse_options(const std::string &line, const CellOptions &defaults = {});

// Converts to and from the "options" object of the report JSON. from_json ignores unknown keys and
// keeps the defaults for missing ones; it rejects values of the wrong type or range.
nlohmann::json options_to_json(const CellOptions &options);
OptionsResult options_from_json(const nlohmann::json &j);

// The option line that reproduces `options` from the built-in defaults ("-O3 --show=ir,asm").
std::string options_to_line(const CellOptions &options);

// `%%pyvorin --help` text.
std::string usage();

}  // namespace pyvorin::magics
