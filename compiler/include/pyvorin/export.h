// Ahead-of-time export (docs/export.md): compiled functions as one relocatable object with C entry
// points, a C header that documents them, a shared library linked with the export runtime, and
// WebAssembly modules.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pyvorin/compiler.h"

namespace pyvorin {

enum class ExportTarget { Host, Wasm32 };

struct ExportRequest {
  CompileRequest request;            // options.exported is set by export_object
  std::vector<std::string> params;   // the root function's parameter names, for the header
};

struct ExportedFunction {
  std::string name;                  // the Python name
  std::string symbol;                // its C entry point: <module>_<name>
  std::vector<std::string> params;   // names
  std::vector<std::string> types;    // Python types: int, float, bool
  std::string ret;                   // int, float, bool, None
  std::string file;
  int line = 0;
};

// {"name", "symbol", "params", "types", "ret", "line"}: what the Python layer and the WebAssembly
// loader's templates read.
nlohmann::json to_json(const ExportedFunction &f);

struct ExportResult {
  // One diagnostic per function that cannot be exported (nothing is written then).
  std::vector<Fallback> refused;
  std::string object;                      // relocatable object for the target
  std::string header;                      // the C header (host and wasm alike)
  std::vector<ExportedFunction> functions;
  std::vector<std::string> api;            // every symbol the library exports
  nlohmann::json reports = nlohmann::json::array();  // each function's compile report
};

// A C identifier for a module name ("my-lib" -> "my_lib"); empty when none can be made.
std::string export_identifier(const std::string &name);

// Compiles each request (a function and the callees it reaches) for `target` and joins them in
// one object with one C entry point per function, `<module>_<name>`, returning a status code
// (0, or a PvErrorKind) and its result through a pointer, and `<module>_last_error()`. Needs the
// GIL (CPython's ast parses).
ExportResult export_object(const std::vector<ExportRequest> &requests, const std::string &module, ExportTarget target,
                           int opt_level = 2);

// Links an exported object into a shared library (host) with the export runtime archive and libm,
// every symbol but the API hidden; or into a WebAssembly module (wasm32) with the wasm export
// runtime. `runtime_archive`: the export runtime for the target. False with `error`.
bool link_exported(const ExportResult &result, const std::string &object_path, const std::string &output_path,
                   const std::string &runtime_archive, ExportTarget target, std::string &error);

// The paths of the tools link_exported runs (clang-19 and wasm-ld-19), or why they are missing.
std::string linker_for(ExportTarget target, std::string &error);

}  // namespace pyvorin
