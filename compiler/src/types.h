// The type lattice and the typed unit that `infer` produces and `lower` consumes.
//   Bottom (nothing known yet)  <  None | Bool | Int | Float | Str  <  Top (conflict)
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "stages.h"

namespace pyvorin {

enum class Ty : uint8_t { Bottom, None, Bool, Int, Float, Str, Top };

inline Ty join(Ty a, Ty b) {
  if (a == Ty::Bottom) return b;
  if (b == Ty::Bottom || a == b) return a;
  return Ty::Top;
}
const char *ty_name(Ty t);
inline bool is_numeric(Ty t) { return t == Ty::Bool || t == Ty::Int || t == Ty::Float; }
inline bool is_integral(Ty t) { return t == Ty::Bool || t == Ty::Int; }
Ty ty_from_tag(TypeTag tag);
TypeTag tag_from_ty(Ty t);

struct TraceEntry {
  int line = 0;
  std::string name, type, because;
};

// What a call expression resolves to.
struct CallTarget {
  enum class Kind { Function, Builtin, Math } kind = Kind::Builtin;
  struct Spec *spec = nullptr;  // Function
  std::string name;             // Builtin / Math: "abs", "sqrt", ...
};

// One specialisation: a function compiled for one tuple of parameter types.
struct Spec {
  int fn_index = 0;
  ast::FunctionDef *fn = nullptr;
  std::vector<Ty> params;
  Ty ret = Ty::Bottom;
  std::map<std::string, Ty> vars;  // every local, parameters included
  std::set<std::string> locals;
  std::unordered_map<const ast::Expr *, Ty> types;
  std::unordered_map<const ast::Expr *, CallTarget> calls;
  // and/or expressions used only for their truth (if/while/ternary tests, `not`): their operands
  // may have different types, since only each operand's truth is needed.
  std::set<const ast::Expr *> truth_only;
  std::vector<TraceEntry> trace;
  // The first line each concrete type was assigned to a variable (kept across passes), so a
  // conflict can name both types and both lines.
  std::map<std::string, std::vector<std::pair<Ty, int>>> origins;
  std::string symbol;              // LLVM function name
  bool has_loop = false, has_call = false, prints = false, deopts = false;
  // The first construct that may need a rerun in CPython (deopts): its line, why, and what to do.
  int deopt_line = 0;
  std::string deopt_reason, deopt_suggestion;
  std::string signature() const;   // "(int, float)"
};

struct UnitSource {
  const UnitFunction *request = nullptr;
  std::unique_ptr<ast::FunctionDef> fn;
  std::string ast_dump;
};

struct TypedUnit {
  std::vector<UnitSource> sources;
  std::vector<std::unique_ptr<Spec>> specs;  // specs[0] is the root
  std::optional<Fallback> fallback;
  bool transitively_prints = false;
  bool long_running = false;
};

// Solves the types of the root specialisation and every specialisation it calls.
void infer(TypedUnit &unit, const std::vector<TypeTag> &root_args);

// float(s) for a string literal with CPython's grammar (float_parse.cpp): `ascii_text` is the
// literal's Constant::numeric_text. False where CPython raises ValueError.
bool parse_float_literal(const std::string &ascii_text, double *value);

// Statement scans (scan.cpp): can execution continue after these statements (the end of the
// function is then reachable: an implicit `return None`)? Which names does a body assign (its
// locals, as CPython decides them)?
bool body_completes(const ast::Body &b);
void collect_locals(const ast::Body &b, std::set<std::string> &out);

// A short source-like rendering of an expression for the inference trace: "total + i * i".
std::string unparse(const ast::Expr &e);

}  // namespace pyvorin
