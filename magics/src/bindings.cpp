// Binds the magics' C++ side into _pyvorin as the submodule `_pyvorin.magics`. Reports and options
// cross the boundary as JSON text, so the Python glue (magics/python/pyvorin/magic.py) owns the
// conversion and nothing here depends on pybind11_json.
#include "pyvorin/magics.h"

#include <pybind11/stl.h>

#include "pyvorin/magics/options.h"
#include "pyvorin/magics/render.h"

namespace py = pybind11;
using nlohmann::json;

namespace pyvorin::magics {
namespace {

// Parses JSON text handed over by the glue; a malformed document is a ValueError naming `what`.
json parse_json(const std::string &text, const char *what) {
  if (text.empty()) return nullptr;
  try {
    return json::parse(text);
  } catch (const json::exception &e) {
    throw py::value_error(std::string("pyvorin: malformed ") + what + " JSON: " + e.what());
  }
}

CellOptions defaults_from(const std::string &defaults_json) {
  json defaults = parse_json(defaults_json, "options");
  if (defaults.is_null()) return {};
  OptionsResult result = options_from_json(defaults);
  if (!result.options) throw py::value_error(result.error);
  return *result.options;
}

}  // namespace

void bind(py::module_ &m) {
  py::module_ sub = m.def_submodule("magics", "%%pyvorin option parsing and report rendering");
  sub.def(
      "parse_options",
      [](const std::string &line, const std::string &defaults_json) {
        OptionsResult result = parse_options(line, defaults_from(defaults_json));
        if (!result.options) throw py::value_error(result.error);
        json out = options_to_json(*result.options);
        out["help"] = result.options->help;
        return out.dump();
      },
      py::arg("line"), py::arg("defaults_json") = "",
      "Parses %%pyvorin arguments over the given defaults (JSON); returns the options as JSON "
      "text. Raises ValueError naming the bad option or value and listing the valid ones.");
  sub.def(
      "options_line",
      [](const std::string &options_json) { return options_to_line(defaults_from(options_json)); },
      py::arg("options_json"), "The option line that reproduces these options.");
  sub.def("default_options", [] { return options_to_json(CellOptions{}).dump(); },
          "The built-in defaults as JSON text.");
  sub.def("usage", &usage, "The %%pyvorin --help text.");
  sub.def("section_names", &section_names, "Sections that --show accepts, in display order.");
  sub.def(
      "render_html",
      [](const std::string &report_json, const std::string &highlights_json) {
        json report = parse_json(report_json, "report");
        json highlights = parse_json(highlights_json, "highlights");
        py::gil_scoped_release release;
        return render_html(report, highlights);
      },
      py::arg("report_json"), py::arg("highlights_json") = "",
      "Renders a report (JSON text) as an HTML fragment.");
  sub.def(
      "render_text",
      [](const std::string &report_json) {
        json report = parse_json(report_json, "report");
        py::gil_scoped_release release;
        return render_text(report);
      },
      py::arg("report_json"), "Renders a report (JSON text) as a plain-text summary.");
}

}  // namespace pyvorin::magics
