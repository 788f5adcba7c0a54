// The pipeline's stages, one entry function each: an artifact in, the next artifact out.
//   parse      FunctionSource -> ast::FunctionDef            (parse.cpp)
//   normalise  ast::FunctionDef in place                     (normalise.cpp)
//   check      ast::FunctionDef -> optional<Fallback>        (check.cpp)
//   infer      Unit -> TypedUnit                             (infer.cpp, types.h)
//   lower      TypedUnit -> llvm::Module                     (lower.cpp, lower_expr.cpp)
//   optimise   llvm::Module in place, with pass log/remarks  (optimise.cpp)
//   codegen    llvm::Module -> object bytes + assembly       (codegen.cpp)
//   load       object -> native entry address in the JIT     (jit.cpp)
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <variant>

#include "pyvorin/ast.h"
#include "pyvorin/compiler.h"
#include "pyvorin/diagnostics.h"

namespace pyvorin {

struct ParseResult {
  std::unique_ptr<ast::FunctionDef> fn;
  std::optional<Fallback> error;  // a SyntaxError or a missing def, as a Fallback
};

// Parses the text of one `def` (decorators allowed) with CPython's ast module; lines are made
// absolute with source.first_line. Needs the GIL.
ParseResult parse_function(const FunctionSource &source);

// Parses every top-level `def` of a file (pyvorinc). Throws std::runtime_error on a SyntaxError,
// with CPython's message.
std::unique_ptr<ast::Module> parse_module(const std::string &text, const std::string &filename);

// Rewrites chained comparisons, tuple unpacking and swaps, divmod unpacking and augmented
// assignment into the core forms the later stages handle.
void normalise(ast::FunctionDef &fn);

// Finds constructs outside the subset; the first one (in source order) is reported.
std::optional<Fallback> check(const ast::FunctionDef &fn);

}  // namespace pyvorin
