// infer's solver (infer.cpp, infer_objects.cpp): a fixed-point solver over the type lattice
// (types.h). Every pass walks every specialisation once, joining each assignment's type into its
// variable; passes repeat until nothing changes. The last pass (which changes nothing) records the
// trace and the errors. Scalars, statements and calls are typed here; containers, subscripts,
// comprehensions, iteration and methods in infer_objects.cpp (with the families' tables, objects.h).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <sstream>

#include "numpy_rules.h"
#include "objects.h"
#include "types.h"

namespace pyvorin {
namespace typing {

using namespace ast;

// Math functions: name -> (arity, result). Result Ty::Int marks floor/ceil/trunc/isqrt.
struct MathFn {
  const char *name;
  int min_args, max_args;
  Ty result;
};
inline const MathFn kMathFunctions[] = {
    {"sqrt", 1, 1, Ty::Float}, {"sin", 1, 1, Ty::Float},   {"cos", 1, 1, Ty::Float},  {"tan", 1, 1, Ty::Float},
    {"asin", 1, 1, Ty::Float}, {"acos", 1, 1, Ty::Float},  {"atan", 1, 1, Ty::Float}, {"sinh", 1, 1, Ty::Float},
    {"cosh", 1, 1, Ty::Float}, {"tanh", 1, 1, Ty::Float},  {"exp", 1, 1, Ty::Float},  {"expm1", 1, 1, Ty::Float},
    {"log", 1, 2, Ty::Float},  {"log2", 1, 1, Ty::Float},  {"log10", 1, 1, Ty::Float}, {"log1p", 1, 1, Ty::Float},
    {"fabs", 1, 1, Ty::Float}, {"pow", 2, 2, Ty::Float},   {"hypot", 2, 2, Ty::Float}, {"atan2", 2, 2, Ty::Float},
    {"copysign", 2, 2, Ty::Float}, {"fmod", 2, 2, Ty::Float}, {"degrees", 1, 1, Ty::Float},
    {"radians", 1, 1, Ty::Float}, {"floor", 1, 1, Ty::Int}, {"ceil", 1, 1, Ty::Int}, {"trunc", 1, 1, Ty::Int},
    {"isqrt", 1, 1, Ty::Int},  {"isnan", 1, 1, Ty::Bool},  {"isinf", 1, 1, Ty::Bool}, {"isfinite", 1, 1, Ty::Bool},
    // libm's, as CPython 3.11 calls them (math_1's error rule)
    {"erf", 1, 1, Ty::Float},  {"erfc", 1, 1, Ty::Float},  {"asinh", 1, 1, Ty::Float}, {"acosh", 1, 1, Ty::Float},
    {"atanh", 1, 1, Ty::Float}, {"cbrt", 1, 1, Ty::Float}, {"exp2", 1, 1, Ty::Float},
};
inline const MathFn *find_math(const std::string &name) {
  for (auto &m : kMathFunctions)
    if (name == m.name) return &m;
  return nullptr;
}

inline bool is_math_constant(const std::string &name) {
  return name == "pi" || name == "e" || name == "tau" || name == "inf" || name == "nan";
}

inline Ty annotation_type(const Expr *e) {
  if (!e) return Ty::Bottom;
  if (e->kind == ExprKind::Name) {
    const std::string &id = static_cast<const Name &>(*e).id;
    if (id == "int") return Ty::Int;
    if (id == "float") return Ty::Float;
    if (id == "bool") return Ty::Bool;
  }
  if (e->kind == ExprKind::Constant && static_cast<const Constant &>(*e).value_kind == Constant::Kind::None) return Ty::None;
  return Ty::Bottom;
}

class Solver {
 public:
  explicit Solver(TypedUnit &unit) : m_unit(unit) {}

  void solve(const std::vector<TypeTag> &root_args) {
    specialise(0, types_from_tags(root_args));
    // Passes until a pass changes nothing; that last pass's trace and errors are the result.
    for (int pass = 0; pass < 100; ++pass) {
      m_changed = false;
      m_final_errors.clear();
      for (size_t i = 0; i < m_unit.specs.size(); ++i) walk(*m_unit.specs[i]);
      if (m_first_errors.empty()) m_first_errors = m_final_errors;
      if (!m_changed) break;
    }
    if (m_changed) {
      m_final_errors.push_back(make_fallback(FallbackCode::InternalError, name(*m_unit.specs[0]),
                                             "type inference did not converge", "infer", m_unit.specs[0]->fn->range.line));
    }
    validate();
    if (m_final_errors.empty()) explain_conflicts();
    // "could not infer" is only a consequence when something else is wrong: report the cause.
    bool has_cause = false;
    for (auto &e : m_final_errors) has_cause = has_cause || e.code != FallbackCode::UninferrableType;
    if (has_cause)
      m_final_errors.erase(std::remove_if(m_final_errors.begin(), m_final_errors.end(),
                                          [](const Fallback &e) { return e.code == FallbackCode::UninferrableType; }),
                           m_final_errors.end());
    if (!m_final_errors.empty()) {
      // Report the root's own errors first, then in source order.
      auto best = m_final_errors.begin();
      for (auto it = m_final_errors.begin(); it != m_final_errors.end(); ++it) {
        bool it_root = it->function == m_unit.specs[0]->fn->name, best_root = best->function == m_unit.specs[0]->fn->name;
        if ((it_root && !best_root) || (it_root == best_root && it->line < best->line)) best = it;
      }
      m_unit.fallback = *best;
      if (best->function != m_unit.specs[0]->fn->name) {
        Fallback f = *best;
        m_unit.fallback = make_fallback(FallbackCode::CalleeFallback, m_unit.specs[0]->fn->name,
                                        "it calls '" + f.function + "', which cannot be compiled: " + f.reason +
                                            " (line " + std::to_string(f.line) + ")",
                                        f.function, call_line_of(f.function));
      }
      return;
    }
    summarise();
  }

 private:
  TypedUnit &m_unit;
  bool m_changed = false;
  // `b = a` between locals holding containers: one object under two names, so a later use that
  // types one (`b.append(x)` on `a = []`) types the other too.
  std::map<const Spec *, std::map<std::string, std::set<std::string>>> m_aliases;
  std::vector<Fallback> m_final_errors;
  // The errors of the first pass that had any. A conflict that feeds back into itself through
  // recursion (`return rec(n - 1) or True`) is reported when it arises, with both types known;
  // in later passes its operands are already `conflict`, which reports nothing.
  std::vector<Fallback> m_first_errors;
  Spec *m_spec = nullptr;           // the specialisation being walked

  std::string name(const Spec &s) { return s.fn->name; }

  int call_line_of(const std::string &callee) {
    const Spec &root = *m_unit.specs[0];
    for (auto &[expr, target] : root.calls)
      if (target.kind == CallTarget::Kind::Function && target.spec->fn->name == callee) return expr->range.line;
    return root.fn->range.line;
  }

  void error(FallbackCode code, std::string reason, std::string construct, int line, std::string suggestion = {}) {
    m_final_errors.push_back(make_fallback(code, m_spec->fn->name, std::move(reason), std::move(construct), line,
                                           std::move(suggestion)));
  }

  Spec *specialise(int fn_index, const std::vector<Ty> &params) {
    for (auto &s : m_unit.specs)
      if (s->fn_index == fn_index && s->params == params) return s.get();
    auto spec = std::make_unique<Spec>();
    spec->fn_index = fn_index;
    spec->fn = m_unit.sources[size_t(fn_index)].fn.get();
    spec->params = params;
    for (auto &a : spec->fn->args) spec->locals.insert(a.name);
    collect_locals(spec->fn->body, spec->locals);
    for (size_t i = 0; i < params.size() && i < spec->fn->args.size(); ++i) spec->vars[spec->fn->args[i].name] = params[i];
    spec->symbol = "pv." + spec->fn->name + "." + std::to_string(m_unit.specs.size());
    m_unit.specs.push_back(std::move(spec));
    m_changed = true;
    return m_unit.specs.back().get();
  }

  const Binding *binding(const std::string &id) {
    const auto &globals = m_unit.sources[size_t(m_spec->fn_index)].request->globals;
    auto it = globals.find(id);
    return it == globals.end() ? nullptr : &it->second;
  }

  void trace(int line, const std::string &var, Ty t, const std::string &because) {
    if (!var.empty() && var[0] == '$') return;  // normaliser temporaries
    m_spec->trace.push_back({line, var, ty_name(t), because});
  }

  void assign(const std::string &var, Ty t, const Expr *value, int line, const std::string &because_override = {}) {
    Ty &slot = m_spec->vars[var];
    Ty old = slot;
    Ty joined = join(old, t);
    if (joined != old) {
      slot = joined;
      m_changed = true;
    }
    std::string because = because_override;
    if (because.empty() && value) {
      std::string kind;
      switch (value->kind) {
        case ExprKind::Constant: kind = "Constant(" + unparse(*value) + ")"; break;
        case ExprKind::Name: kind = "Name(" + unparse(*value) + ")"; break;
        case ExprKind::Call: kind = "Call(" + unparse(*value) + ")"; break;
        default: kind = unparse(*value);
      }
      because = kind + " is " + ty_name(t);
    }
    trace(line, var, t, because);
    if (t != Ty::Bottom && t != Ty::Top) {
      auto &seen = m_spec->origins[var];
      bool known = false;
      for (auto &o : seen) known = known || o.first == t;
      if (!known) seen.push_back({t, line});
    }
  }

  void walk(Spec &spec) {
    m_spec = &spec;
    spec.trace.clear();
    spec.has_loop = spec.has_call = spec.prints = spec.deopts = false;
    for (size_t i = 0; i < spec.fn->args.size(); ++i) {
      const Arg &a = spec.fn->args[i];
      Ty ann = annotation_type(a.annotation.get());
      std::string because = "argument";
      if (ann != Ty::Bottom) because = ann == spec.params[i] ? "annotation " + std::string(ty_name(ann))
                                                               : std::string("argument (annotated ") + ty_name(ann) + ")";
      trace(a.range.line, a.name, spec.params[i], because);
    }
    Ty ret = Ty::Bottom;
    body(spec.fn->body, ret);
    if (body_completes(spec.fn->body)) {
      Ty returned = ret;
      ret = join(ret, Ty::None);
      m_spec->trace.push_back({spec.fn->range.line, "return", ty_name(Ty::None), "the end of the function is reachable (implicit None)"});
      if (ret == Ty::Top && returned != Ty::Top && !has_top(returned)) implicit_none_conflict(spec, returned);
    }
    Ty joined = join(spec.ret, ret);
    if (joined != spec.ret) {
      spec.ret = joined;
      m_changed = true;
    }
  }

  // `return 1` on one path and the end of the function (an implicit None) on another.
  void implicit_none_conflict(const Spec &spec, Ty returned) {
    int line = spec.fn->range.line;
    for (auto &e : spec.trace)
      if (e.name == "return" && e.type == ty_name(returned)) {
        line = e.line;
        break;
      }
    int end = spec.fn->range.end_line;
    error(FallbackCode::ReturnConflict,
          spec.fn->name + "() returns " + ty_name(returned) + " at line " + std::to_string(line) +
              ", but can also reach the end of the function" + (end > line ? " (line " + std::to_string(end) + ")" : "") +
              " and return None",
          "Return", line,
          "return a value on every path (e.g. add a return after the last statement); a result that may be None is not "
          "compiled yet");
  }

  void body(const Body &b, Ty &ret) {
    for (auto &s : b) {
      stmt(*s, ret);
      if (ends_statically(*s, m_spec->static_tests)) break;  // the rest is unreachable here
    }
  }

  void condition(const Expr &e) {
    if (e.kind == ExprKind::BoolOp) {
      for (auto &v : static_cast<const BoolOp &>(e).values) condition(*v);
      m_spec->truth_only.insert(&e);
      record(e, Ty::Bool);
      return;
    }
    if (e.kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(e).op == UnaryOpKind::Not) {
      condition(*static_cast<const UnaryOp &>(e).operand);
      record(e, Ty::Bool);
      return;
    }
    Ty t = type(e);
    if (t.kind() == Kind::Optional && !is_object(t.elem()) && t.elem() != Ty::Str) {
      // the truth of `int | None`: None is false, else the value's truth
    }
  }

  void stmt(const Stmt &s, Ty &ret) {
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        Ty t = type(*a.value);
        for (auto &target : a.targets) assign_target(*target, t, a.value.get(), s.range.line);
        break;
      }
      case StmtKind::Delete:
        for (auto &target : static_cast<const Delete &>(s).targets) delete_target(*target);
        break;
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(s);
        if (!a.value || a.target->kind != ExprKind::Name) break;
        Ty t = type(*a.value);
        Ty ann = annotation_type(a.annotation.get());
        std::string because;
        if (ann != Ty::Bottom && ann != t && t != Ty::Bottom)
          because = unparse(*a.value) + " is " + ty_name(t) + " (annotated " + ty_name(ann) + "; Python keeps the value's type)";
        assign(static_cast<const Name &>(*a.target).id, t, a.value.get(), s.range.line, because);
        break;
      }
      case StmtKind::Return: {
        auto &r = static_cast<const Return &>(s);
        Ty t = r.value ? type(*r.value) : Ty::None;
        ret = join(ret, t);
        // Joined into the specialisation at once: a recursive call later in this pass then sees
        // the base case's type, so a conflict in an expression that uses it (`rec(n - 1) or True`)
        // is found while both types are still known.
        if (Ty joined = join(m_spec->ret, t); joined != m_spec->ret) {
          m_spec->ret = joined;
          m_changed = true;
        }
        m_spec->trace.push_back({s.range.line, "return", ty_name(t), r.value ? unparse(*r.value) + " is " + ty_name(t) : "bare return"});
        if (ret == Ty::Top && t != Ty::Top) {
          // Name a concrete other type; a return whose type is already a conflict (through
          // recursion) is named by its line only.
          std::string others;
          for (auto &e : m_spec->trace)
            if (e.name == "return" && e.type != ty_name(t) && e.type != "unknown" && e.type != ty_name(Ty::Top)) {
              others = e.type + " at line " + std::to_string(e.line);
              break;
            }
          for (auto &e : m_spec->trace)
            if (others.empty() && e.name == "return" && e.type == ty_name(Ty::Top))
              others = "a value of another type at line " + std::to_string(e.line);
          error(FallbackCode::ReturnConflict,
                std::string("the function returns ") + (others.empty() ? "another type" : others) + " and " + ty_name(t) +
                    " at line " + std::to_string(s.range.line),
                "Return", s.range.line);
        }
        break;
      }
      case StmtKind::If: {
        auto &n = static_cast<const If &>(s);
        if (n.with) {  // with m as t: files only (their __exit__ closes them)
          Ty m = type(*n.test);
          if (m != Ty::Bottom && m != Ty::Top && m.kind() != Kind::File)
            error(FallbackCode::ExceptionHandling, "a with block is compiled for files from open() only, not a " + ty_name(m),
                  "With", s.range.line, "keep this function in CPython, or call close() yourself");
          body(n.body, ret);
          break;
        }
        condition(*n.test);
        m_spec->static_tests.erase(n.test.get());
        if (auto known = static_test(*n.test)) {  // a None test decided by the types: one branch
          m_spec->static_tests[n.test.get()] = *known;
          body(*known ? n.body : n.orelse, ret);
          break;
        }
        body(n.body, ret);
        body(n.orelse, ret);
        break;
      }
      case StmtKind::While: {
        auto &n = static_cast<const While &>(s);
        m_spec->has_loop = true;
        condition(*n.test);
        body(n.body, ret);
        body(n.orelse, ret);
        break;
      }
      case StmtKind::For: {
        auto &n = static_cast<const For &>(s);
        m_spec->has_loop = true;
        if (is_range_call(*n.iter)) {
          auto &call = static_cast<const Call &>(*n.iter);
          bool ok = true;
          for (auto &a : call.args) {
            Ty t = type(*a);
            if (t != Ty::Bottom && t != Ty::Top && !is_integral(t)) {
              error(FallbackCode::OperandTypes, std::string("range() argument is ") + ty_name(t) + ", not int", "range",
                    a->range.line, "pass ints to range()");
              ok = false;
            }
          }
          m_spec->types[n.iter.get()] = Ty::Int;
          if (ok) assign_target(*n.target, Ty::Int, nullptr, s.range.line, "range() yields int");
        } else {
          Ty elem = iter_type(*n.iter);
          if (elem != Ty::Top) assign_target(*n.target, elem, nullptr, s.range.line, "an element of " + unparse(*n.iter));
        }
        body(n.body, ret);
        body(n.orelse, ret);
        break;
      }
      case StmtKind::ExprStmt: {
        Ty t = type(*static_cast<const ExprStmt &>(s).value);
        (void)t;
        break;
      }
      default: break;
    }
  }

  Ty record(const Expr &e, Ty t) {
    m_spec->types[&e] = t;
    return t;
  }

  Ty type(const Expr &e) { return record(e, compute(e)); }

  Ty compute(const Expr &e) {
    switch (e.kind) {
      case ExprKind::Constant: {
        switch (static_cast<const Constant &>(e).value_kind) {
          case Constant::Kind::Int: return Ty::Int;
          case Constant::Kind::Float: return Ty::Float;
          case Constant::Kind::Bool: return Ty::Bool;
          case Constant::Kind::None: return Ty::None;
          case Constant::Kind::Str: return Ty::Str;
          case Constant::Kind::BigInt: return Ty::Top;
          case Constant::Kind::Bytes: return Ty::Bytes;
          case Constant::Kind::Complex: return Ty::Complex;
        }
        return Ty::Top;
      }
      case ExprKind::Name: return name_type(static_cast<const Name &>(e));
      case ExprKind::NamedExpr: {
        auto &n = static_cast<const NamedExpr &>(e);
        Ty t = type(*n.value);
        assign(n.target, t, n.value.get(), e.range.line);
        return t;
      }
      case ExprKind::BinOp: return binop(static_cast<const BinOp &>(e));
      case ExprKind::UnaryOp: {
        auto &u = static_cast<const UnaryOp &>(e);
        if (u.op == UnaryOpKind::Not) {  // `not x` needs only the operand's truth
          condition(*u.operand);
          return Ty::Bool;
        }
        Ty t = type(*u.operand);
        if (t == Ty::Bottom || t == Ty::Top) return t;
        if (u.op == UnaryOpKind::Not) return Ty::Bool;
        if (is_np_scalar(t) || is_array(t)) return numpy_unary(u, t);
        if (t == Ty::Complex && u.op != UnaryOpKind::Invert) return Ty::Complex;
        if (t == Ty::Float && u.op != UnaryOpKind::Invert) return Ty::Float;
        if (is_integral(t)) return Ty::Int;
        error(FallbackCode::OperandTypes,
              std::string("bad operand type for unary ") + (u.op == UnaryOpKind::Invert ? "~" : u.op == UnaryOpKind::USub ? "-" : "+") +
                  ": '" + ty_name(t) + "'",
              unary_name(u.op), e.range.line);
        return Ty::Top;
      }
      case ExprKind::BoolOp: {
        auto &b = static_cast<const BoolOp &>(e);
        Ty t = Ty::Bottom;
        std::vector<Ty> seen;
        for (auto &v : b.values) {
          Ty vt = type(*v);
          seen.push_back(vt);
          t = join(t, vt);
        }
        if (t == Ty::Top) {
          bool all_known = true;
          for (Ty s : seen) all_known = all_known && s != Ty::Top && s != Ty::Bottom;
          std::string types;
          for (Ty s : seen)
            if (types.find(ty_name(s)) == std::string::npos) types += (types.empty() ? "" : " and ") + std::string(ty_name(s));
          if (all_known)
            error(FallbackCode::OperandTypes,
                  std::string("'") + (b.op == BoolOpKind::And ? "and" : "or") +
                      "' returns one of its operands, and they have different types here (" + types + ")",
                  b.op == BoolOpKind::And ? "And" : "Or", e.range.line, "give both operands the same type, or compare with bool()");
        }
        return t;
      }
      case ExprKind::Compare: return compare(static_cast<const Compare &>(e));
      case ExprKind::IfExp: {
        auto &n = static_cast<const IfExp &>(e);
        condition(*n.test);
        Ty a = type(*n.body), b = type(*n.orelse);
        Ty t = join(a, b);
        if (t == Ty::Top && a != Ty::Top && b != Ty::Top)
          error(FallbackCode::TypeConflict,
                std::string("the conditional expression is ") + ty_name(a) + " on one branch and " + ty_name(b) + " on the other",
                "IfExp", e.range.line);
        return t;
      }
      case ExprKind::Attribute: {
        auto &a = static_cast<const Attribute &>(e);
        if (a.value->kind == ExprKind::Name) {
          const std::string &id = static_cast<const Name &>(*a.value).id;
          const Binding *b = m_spec->locals.count(id) ? nullptr : binding(id);
          if (b && b->kind == Binding::Kind::NumpyModule) return numpy_value(a);
          if (b && b->kind == Binding::Kind::MathModule) {
            if (is_math_constant(a.attr)) return Ty::Float;
            error(FallbackCode::UnsupportedAttribute, "math." + a.attr + " is not supported as a value", "Attribute", e.range.line);
            return Ty::Top;
          }
        }
        {
          // a file's data attributes: f.closed, f.name, f.mode (and a text file's f.encoding)
          Ty base = type(*a.value);
          if (base == Ty::Bottom) return Ty::Bottom;
          if (base == Ty::Top) return Ty::Top;
          if (is_array(base)) return array_attribute(a, base);
          if (base == Ty::Complex && (a.attr == "real" || a.attr == "imag")) return Ty::Float;
          if (is_np_scalar(base) && (a.attr == "real" || a.attr == "imag"))  // z.real of a complex128 is a float64
            return dtype_is_complex(base.dtype()) ? Ty::np_scalar(complex_part(base.dtype()), base.weak()) : base;
          if (base.kind() == Kind::File) {
            if (a.attr == "closed") return Ty::Bool;
            if (a.attr == "name" || a.attr == "mode" || (a.attr == "encoding" && base.elem() == Ty::Str)) return Ty::Str;
          }
        }
        error(FallbackCode::UnsupportedAttribute, "attribute access '" + unparse(e) + "' is not supported", "Attribute", e.range.line);
        return Ty::Top;
      }
      case ExprKind::Call: return call(static_cast<const Call &>(e));
      case ExprKind::Unsupported: return Ty::Top;  // reported by check
      default: return object_expr(e);  // containers, subscripts, comprehensions (infer_objects.cpp)
    }
    return Ty::Top;
  }

  static Ty constant_type(const Binding &b) {
    if (b.value_type == TypeTag::Tuple) {
      std::vector<Ty> items;
      for (auto &i : b.items) items.push_back(constant_type(i));
      return Ty::tuple(items);
    }
    return types_from_tags({b.value_type}).at(0);
  }

  Ty name_type(const Name &n) {
    if (m_spec->locals.count(n.id)) return m_spec->vars.count(n.id) ? m_spec->vars[n.id] : Ty::Bottom;
    const Binding *b = binding(n.id);
    if (b && b->kind == Binding::Kind::MathConstant) return Ty::Float;
    if (b && b->kind == Binding::Kind::Constant) {  // baked in; a rebinding recompiles
      Ty t = constant_type(*b);
      std::string because = "global constant " + n.id + " = " + b->detail;
      bool seen = false;
      for (auto &e : m_spec->trace) seen = seen || (e.name == n.id && e.because == because);
      if (!seen) trace(n.range.line, n.id, t, because);
      return t;
    }
    if (!b) {
      error(FallbackCode::UnknownName, "name '" + n.id + "' is not defined", "Name", n.range.line);
      return Ty::Top;
    }
    if (b->kind == Binding::Kind::Object) {  // a module-level container, read live
      Ty t = types_from_tags(b->value_tags).at(0);
      std::string because = "global " + n.id + " (" + b->detail + ", read where it is used)";
      bool seen = false;
      for (auto &e : m_spec->trace) seen = seen || (e.name == n.id && e.because == because);
      if (!seen) trace(n.range.line, n.id, t, because);
      return t;
    }
    if (b->kind == Binding::Kind::Other) {
      error(FallbackCode::GlobalVariable,
            "global '" + n.id + "' (" + (b->detail.empty() ? "a value" : b->detail) +
                ") is not compiled: only int (64-bit), float, bool and None globals and tuples of them are used as constants",
            "Name", n.range.line);
      return Ty::Top;
    }
    error(FallbackCode::UnsupportedCall, "'" + n.id + "' is a function; it can only be called", "Name", n.range.line);
    return Ty::Top;
  }

  Ty binop(const BinOp &b) {
    Ty l = type(*b.left), r = type(*b.right);
    if (l == Ty::Bottom || r == Ty::Bottom) return Ty::Bottom;
    if (l == Ty::Top || r == Ty::Top) return Ty::Top;
    if (is_weak(l) && l.dtype() == DType::C128 && is_np_scalar(r) && r.dtype() == DType::F64) {
      // Python's complex * np.float64 is a Python complex, NumPy's complex128's a NumPy one
      error(FallbackCode::OperandTypes, "a variable that is Python's complex or np.complex128, with an np.float64, is not compiled",
            op_name(b.op), b.range.line, "convert one side: complex(x) or np.complex128(x)");
      return Ty::Top;
    }
    if (npy::numpy_operation(l, r)) return numpy_binop(b, l, r);
    if (npy::python_complex_first(l, r)) r = Ty::Float;  // complex.__add__ takes the np.float64
    if (l == Ty::Complex || r == Ty::Complex) {  // complex with complex, int, float or bool
      bool ok = (l == Ty::Complex || is_numeric(l)) && (r == Ty::Complex || is_numeric(r)) &&
                (b.op == Op::Add || b.op == Op::Sub || b.op == Op::Mult || b.op == Op::Div || b.op == Op::Pow);
      if (ok) return Ty::Complex;
      error(FallbackCode::OperandTypes,
            std::string("unsupported operand type(s) for ") + op_symbol(b.op) + ": '" + py_type_name(l) + "' and '" + py_type_name(r) + "'",
            op_name(b.op), b.range.line);
      return Ty::Top;
    }
    if (is_object(l) || is_object(r)) {
      if (Ty t = object_binop(b, l, r); t != Ty::Bottom) return t;
    }
    l = unwrap_optional(l), r = unwrap_optional(r);
    // `T | None` operands of an object type: the operation on T (lower raises CPython's
    // TypeError when one is None)
    if (is_object(l) || is_object(r)) return object_binop(b, l, r);
    auto bad = [&]() {
      error(FallbackCode::OperandTypes,
            std::string("unsupported operand type(s) for ") + op_symbol(b.op) + ": '" + py_type_name(l) + "' and '" + py_type_name(r) + "'",
            op_name(b.op), b.range.line);
      return Ty::Top;
    };
    if (!is_numeric(l) || !is_numeric(r)) return bad();
    bool flt = l == Ty::Float || r == Ty::Float;
    switch (b.op) {
      case Op::Add: case Op::Sub: case Op::Mult: case Op::FloorDiv: case Op::Mod:
        return flt ? Ty::Float : Ty::Int;
      case Op::Div: return Ty::Float;
      case Op::Pow: {
        if (flt) {
          // float_pow returns a complex number for a negative base and a non-integer exponent:
          // rerun in CPython, unless the exponent is integral or the base cannot be negative.
          if (!is_integral(r) && !integral_constant(*b.right) && !nonnegative(*b.left))
            deopt(b.range.line, "'**' with a float exponent gives a complex number when the base is negative",
                  "make the base visibly non-negative (abs(x) ** 0.5, math.sqrt(x)) or use an integer exponent");
          return Ty::Float;
        }
        // int ** int: int for a non-negative exponent, float for a negative one.
        const Expr *rhs = b.right.get();
        if (rhs->kind == ExprKind::Constant) {
          auto &c = static_cast<const Constant &>(*rhs);
          int64_t v = c.value_kind == Constant::Kind::Bool ? c.bool_value : c.int_value;
          return v >= 0 ? Ty::Int : Ty::Float;
        }
        if (rhs->kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(*rhs).op == UnaryOpKind::USub &&
            static_cast<const UnaryOp &>(*rhs).operand->kind == ExprKind::Constant) {
          auto &c = static_cast<const Constant &>(*static_cast<const UnaryOp &>(*rhs).operand);
          if (c.value_kind == Constant::Kind::Int && c.int_value > 0) return Ty::Float;
          return Ty::Int;
        }
        if (r == Ty::Bool) return Ty::Int;
        // a negative exponent at run time gives a float: rerun in CPython
        deopt(b.range.line, "int ** int with a variable exponent can be a float", "use a constant exponent or a float base");
        return Ty::Int;
      }
      case Op::LShift: case Op::RShift:
        if (flt) return bad();
        return Ty::Int;
      case Op::BitAnd: case Op::BitOr: case Op::BitXor:
        if (flt) return bad();
        return l == Ty::Bool && r == Ty::Bool ? Ty::Bool : Ty::Int;
      case Op::MatMult: return bad();
    }
    return Ty::Top;
  }

  // A result only CPython can represent is possible here: the call then reruns in CPython, which
  // is exact only if it has printed nothing (summarise() makes a printing unit fall back).
  void deopt(int line, const std::string &reason, const std::string &suggestion) {
    if (m_spec->deopts) return;
    m_spec->deopts = true;
    m_spec->deopt_line = line;
    m_spec->deopt_reason = reason;
    m_spec->deopt_suggestion = suggestion;
  }

  // A float or int literal with an integral value, possibly signed: `2.0`, `-3.0`.
  static bool integral_constant(const Expr &e) {
    const Expr *x = &e;
    if (x->kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(*x).op != UnaryOpKind::Not &&
        static_cast<const UnaryOp &>(*x).op != UnaryOpKind::Invert)
      x = static_cast<const UnaryOp &>(*x).operand.get();
    if (x->kind != ExprKind::Constant) return false;
    auto &c = static_cast<const Constant &>(*x);
    if (c.value_kind == Constant::Kind::Float) return std::isfinite(c.float_value) && c.float_value == std::floor(c.float_value);
    return c.value_kind == Constant::Kind::Int || c.value_kind == Constant::Kind::Bool;
  }

  // Values that are never negative: non-negative literals, abs(), math.fabs/sqrt/exp/hypot.
  bool nonnegative(const Expr &e) const {
    if (e.kind == ExprKind::Constant) {
      auto &c = static_cast<const Constant &>(e);
      if (c.value_kind == Constant::Kind::Float) return !std::signbit(c.float_value);
      return c.value_kind == Constant::Kind::Bool || (c.value_kind == Constant::Kind::Int && c.int_value >= 0);
    }
    if (e.kind != ExprKind::Call) return false;
    auto it = m_spec->calls.find(&e);
    if (it == m_spec->calls.end()) return false;
    const CallTarget &t = it->second;
    if (t.kind == CallTarget::Kind::Builtin) return t.name == "abs";
    return t.kind == CallTarget::Kind::Math && (t.name == "fabs" || t.name == "sqrt" || t.name == "exp" || t.name == "hypot");
  }

  Ty compare(const Compare &c) {
    Ty l = type(*c.left), r = type(*c.comparators[0]);
    CmpOp op = c.ops[0];
    if (l == Ty::Bottom || r == Ty::Bottom) return Ty::Bool;
    if (l == Ty::Top || r == Ty::Top) return Ty::Bool;
    if (npy::numpy_operation(l, r)) return numpy_compare(c, l, r);
    if (npy::python_complex_first(l, r)) r = Ty::Float;  // complex.__eq__ takes the np.float64
    if ((l == Ty::Complex || r == Ty::Complex) && op != CmpOp::In && op != CmpOp::NotIn && op != CmpOp::Is && op != CmpOp::IsNot) {
      if ((op == CmpOp::Eq || op == CmpOp::NotEq) && (l == Ty::Complex || is_numeric(l)) && (r == Ty::Complex || is_numeric(r)))
        return Ty::Bool;
      error(FallbackCode::OperandTypes,
            std::string("'") + cmp_symbol(op) + "' not supported between instances of '" + py_type_name(l) + "' and '" + py_type_name(r) + "'",
            cmp_name(op), c.range.line);
      return Ty::Bool;
    }
    if (is_object(l) || is_object(r) || op == CmpOp::In || op == CmpOp::NotIn) return object_compare(c, l, r);
    if (op == CmpOp::Is || op == CmpOp::IsNot) {
      if (l == Ty::None || r == Ty::None) return Ty::Bool;
      error(FallbackCode::OperandTypes, "'is' is only compiled for comparisons with None", cmp_name(op), c.range.line,
            "use == to compare numbers");
      return Ty::Bool;
    }
    if (l == Ty::Str || r == Ty::Str) {
      error(FallbackCode::String, "string comparisons are not supported in compiled code", "str", c.range.line);
      return Ty::Bool;
    }
    if (is_numeric(l) && is_numeric(r)) return Ty::Bool;
    if ((op == CmpOp::Eq || op == CmpOp::NotEq) && (l == Ty::None || r == Ty::None)) return Ty::Bool;
    error(FallbackCode::OperandTypes,
          std::string("'") + cmp_symbol(op) + "' not supported between instances of '" + ty_name(l) + "' and '" + ty_name(r) + "'",
          cmp_name(op), c.range.line);
    return Ty::Bool;
  }

  std::vector<Ty> arg_types(const Call &c) {
    std::vector<Ty> out;
    for (auto &a : c.args) out.push_back(type(*a));
    for (auto &k : c.keywords)
      if (!(k.arg == "key" && (key_function(*k.value) || k.value->kind == ExprKind::Lambda || str_method_ref(*k.value))))
        type(*k.value);
    return out;
  }

  // `key=f` naming a jitted function of one parameter: specialised for the elements and called
  // natively for each one (no dispatcher, no boxing of the element). Bottom while unknown.
  Ty native_key(const Expr &f, Ty elem) {
    const Binding *b = key_function(f);
    if (!b || b->kind != Binding::Kind::Function || elem == Ty::Bottom || has_top(elem)) return Ty::Bottom;
    const ast::FunctionDef &callee = *m_unit.sources[size_t(b->function_index)].fn;
    if (callee.args.size() != 1) return Ty::Bottom;
    Spec *current = m_spec;
    Spec *target = specialise(b->function_index, {elem});
    m_spec = current;
    m_spec->key_calls[&f] = target;
    m_spec->has_call = true;
    return target->ret;
  }

  // `key=lambda p: body` over elements of type elem: the key's type (the lambda is inlined).
  Ty lambda_key(const Lambda &l, Ty elem) {
    if (elem == Ty::Bottom) return Ty::Bottom;
    assign(l.params[0], elem, nullptr, l.range.line, "an element, the key= lambda's parameter");
    Ty k = type(*l.body);
    record(l, k);
    return k;
  }

  // `key=f` where f names a jitted function or a builtin: passed to CPython as that object.
  // `str.lower` (a method of the builtin str with no required argument) named as a function.
  bool str_method_ref(const Expr &e) {
    if (e.kind != ExprKind::Attribute) return false;
    auto &a = static_cast<const Attribute &>(e);
    if (a.value->kind != ExprKind::Name || !is_builtin_name(static_cast<const Name &>(*a.value).id, "str")) return false;
    const MethodRule *r = find_method(Kind::Str, a.attr);
    return r && r->min_args == 0;
  }

  const Binding *key_function(const Expr &e) {
    if (e.kind != ExprKind::Name || m_spec->locals.count(static_cast<const Name &>(e).id)) return nullptr;
    const Binding *b = binding(static_cast<const Name &>(e).id);
    return b && (b->kind == Binding::Kind::Function || b->kind == Binding::Kind::Builtin) ? b : nullptr;
  }

  static bool any_unknown(const std::vector<Ty> &ts) {
    for (Ty t : ts)
      if (t == Ty::Bottom || t == Ty::Top) return true;
    return false;
  }

  Ty call(const Call &c);

  Ty function_call(const Call &c, const Binding &b);

  Ty builtin_call(const Call &c, const std::string &name);

  Ty math_call(const Call &c, const std::string &name);
  Ty cmath_call(const Call &c, const std::string &name);

  // `x is None` / `x is not None` for a local x whose current type decides it.
  std::optional<bool> static_test(const Expr &e) {
    if (e.kind != ExprKind::Compare) return std::nullopt;
    auto &c = static_cast<const Compare &>(e);
    if (c.ops.size() != 1 || (c.ops[0] != CmpOp::Is && c.ops[0] != CmpOp::IsNot)) return std::nullopt;
    const Expr *a = c.left.get(), *b = c.comparators[0].get();
    auto is_none = [](const Expr *x) {
      return x->kind == ExprKind::Constant && static_cast<const Constant &>(*x).value_kind == Constant::Kind::None;
    };
    if (is_none(a)) std::swap(a, b);
    if (!is_none(b) || a->kind != ExprKind::Name) return std::nullopt;
    const std::string &id = static_cast<const Name &>(*a).id;
    if (!m_spec->locals.count(id) || !m_spec->vars.count(id)) return std::nullopt;
    Ty t = m_spec->vars[id];
    bool none;
    if (t == Ty::None) none = true;
    else if (t == Ty::Bottom || t == Ty::Top || t.kind() == Kind::Optional) return std::nullopt;
    else none = false;
    return c.ops[0] == CmpOp::Is ? none : !none;
  }

  // ---- objects (infer_objects.cpp) ----
  Ty object_expr(const Expr &e);
  bool weak_item(Ty t, const Expr &item);
  Ty object_binop(const BinOp &b, Ty l, Ty r);
  Ty object_compare(const Compare &c, Ty l, Ty r);
  Ty object_builtin(const Call &c, const std::string &name, bool &handled);
  Ty text_builtin(const Call &c, const std::string &name, bool &handled);  // infer_strings.cpp
  Ty map_call(const Call &c, bool &handled);
  Ty raise_call(const Call &c, bool &handled);
  Ty method_call(const Call &c, const Attribute &a);
  Ty iter_type(const Expr &iter);          // the element type of iterating `iter`, or Top
  Ty elem_of(Ty t, const Expr &where);      // the element type iteration yields
  Ty subscript(const Subscript &s);
  // NumPy (infer_numpy.cpp)
  bool is_numpy_module(const Expr &e);
  bool is_numpy_name(const std::string &id);
  bool array_index(const Expr &idx, Ty arr, npy::Index &out, int line);
  Ty array_subscript(const Subscript &s, Ty arr);
  void array_store(const Subscript &t, Ty arr, Ty v, int line);
  Ty array_attribute(const Attribute &a, Ty arr);
  Ty numpy_value(const Attribute &a);
  Ty numpy_call(const Call &c, const std::string &name);
  Ty types_of(const Expr &e);
  std::optional<DType> array_dtype(const Expr &e);
  Ty array_method(const Call &c, const Attribute &a, Ty self);
  Ty numpy_binop(const BinOp &b, Ty l, Ty r);
  Ty numpy_unary(const UnaryOp &u, Ty t);
  Ty numpy_compare(const Compare &c, Ty l, Ty r);
  Ty comprehension(const Comp &c);
  void assign_target(const Expr &t, Ty v, const Expr *value, int line, const std::string &because = {});
  void delete_target(const Expr &t);
  // `xs.append(x)`: the container's type grows; the trace says where (line, what).
  void refine(const Expr &container, Ty wanted, int line = 0, const std::string &why = {});
  bool is_range_call(const Expr &e);
  bool is_builtin_name(const std::string &id, const char *builtin);
  static Ty unwrap_optional(Ty t) { return t.kind() == Kind::Optional ? t.elem() : t; }
  // An object type behind `| None` is typed as that object: CPython's own TypeError or
  // AttributeError when it is None (lowering takes the C-API path for these).
  static Ty behind_none(Ty t) { return t.kind() == Kind::Optional && is_object(t.elem()) ? t.elem() : t; }

  void validate();

  // Lowering needs a concrete type for every value. A conflict left without an error (it arose
  // through recursion, see m_first_errors) is reported by the error that introduced it.
  void explain_conflicts();

  void summarise();
};


}  // namespace typing
}  // namespace pyvorin
