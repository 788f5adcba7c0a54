// The fallback catalogue: codes, default suggestions, rendering.
#include "pyvorin/diagnostics.h"

namespace pyvorin {

namespace {
struct Entry {
  const char *id;
  const char *suggestion;
};
const Entry kCatalogue[] = {
    {"PV100", "rewrite it with ints, floats, bools, if/while/for-range loops, or leave this function to CPython"},
    {"PV101", "use plain positional parameters without defaults"},
    {"PV102", "move the inner function or lambda to the top level and call it"},
    {"PV103", "return a value instead of yielding (generators run in CPython)"},
    {"PV104", "give each list and set one element type and each dict one key and one value type (docs/supported-subset.md), or keep this function in CPython"},
    {"PV105", "see docs/supported-subset.md, \"Strings, bytes and files\" (a literal open() mode, a str or builtin value in an f-string), or keep this function in CPython"},
    {"PV106", "exception handling runs in CPython; check the condition with if instead"},
    {"PV107", "pass the value as a parameter and return the result"},
    {"PV108", "define classes outside compiled functions; methods are not compiled"},
    {"PV109", "dynamic code cannot be compiled; call the code directly"},
    {"PV110", "ints are compiled as 64-bit; keep huge constants in CPython or pass them as arguments"},
    {"PV200", "give the variable one type on every path, e.g. initialise it as 0.0 if it later holds a float"},
    {"PV201", "return the same type on every path (e.g. 0.0 rather than 0, or never None)"},
    {"PV202", "convert the operands explicitly (int(), float()) or keep this operation in CPython"},
    {"PV203", "call it with int, float or bool arguments"},
    {"PV204", "make sure every path returns a value (a recursive function needs a base case)"},
    {"PV300", "define the name before calling the function, or pass it as a parameter"},
    {"PV301", "pass the value as a parameter (int, float, bool and None globals are compiled as constants)"},
    {"PV302", "only compiled functions, math functions and the builtins abs, min, max, divmod, round, int, float, bool and print are called natively"},
    {"PV303", "fix the callee's fallback first (see its report)"},
    {"PV304", "only math.<name> attributes are compiled"},
    {"PV400", "define the function in a file or a notebook cell so its source can be read"},
    {"PV401", "reload the module (importlib.reload) or re-run the cell, so the code that runs is the code in the file"},
    {"PV500", "please report this; the function runs in CPython meanwhile"},
};
}  // namespace

const char *fallback_code_id(FallbackCode code) { return kCatalogue[int(code)].id; }
const char *default_suggestion(FallbackCode code) { return kCatalogue[int(code)].suggestion; }

std::string Fallback::render() const {
  return "[FALLBACK] function: " + function + "\nreason: " + reason + "\nline: " + std::to_string(line) +
         "\nsuggestion: " + suggestion;
}

Fallback make_fallback(FallbackCode code, std::string function, std::string reason, std::string construct,
                       int line, std::string suggestion) {
  Fallback f;
  f.code = code;
  f.function = std::move(function);
  f.reason = std::move(reason);
  f.construct = std::move(construct);
  f.line = line;
  f.suggestion = suggestion.empty() ? default_suggestion(code) : std::move(suggestion);
  return f;
}

}  // namespace pyvorin
