// infer (calls and the final checks): compiled functions, builtins and math functions; the
// validation of a solved unit (conflicts named with both types and lines) and its summary.
#include "infer.h"

namespace pyvorin {
namespace typing {

Ty Solver::call(const Call &c) {
  if (c.func->kind == ExprKind::Attribute) {
    auto &a = static_cast<const Attribute &>(*c.func);
    if (a.value->kind == ExprKind::Name) {
      const std::string &id = static_cast<const Name &>(*a.value).id;
      const Binding *b = m_spec->locals.count(id) ? nullptr : binding(id);
      if (b && b->kind == Binding::Kind::MathModule) return math_call(c, a.attr);
      if (b && b->kind == Binding::Kind::NumpyModule) return numpy_call(c, a.attr);
      if (b && b->kind == Binding::Kind::CmathModule) return cmath_call(c, a.attr);
    }
    if (a.value->kind == ExprKind::Attribute) {  // np.random.rand(...), np.linalg.norm(...)
      auto &m = static_cast<const Attribute &>(*a.value);
      if ((m.attr == "random" || m.attr == "linalg") && is_numpy_module(*m.value)) return numpy_call(c, m.attr + "." + a.attr);
    }
    return method_call(c, a);
  }
  if (c.func->kind != ExprKind::Name) {
    arg_types(c);
    error(FallbackCode::UnsupportedCall, "calling '" + unparse(*c.func) + "' is not supported", "Call", c.range.line);
    return Ty::Top;
  }
  const std::string &id = static_cast<const Name &>(*c.func).id;
  if (id[0] == '$') return builtin_call(c, id);  // an f-string's parts (parse.cpp)
  if (m_spec->locals.count(id)) {
    arg_types(c);
    error(FallbackCode::UnsupportedCall, "calling the local variable '" + id + "' is not supported", "Call", c.range.line);
    return Ty::Top;
  }
  const Binding *b = binding(id);
  if (!b) {
    arg_types(c);
    error(FallbackCode::UnknownName, "name '" + id + "' is not defined", "Name", c.range.line);
    return Ty::Top;
  }
  switch (b->kind) {
    case Binding::Kind::Function: return function_call(c, *b);
    case Binding::Kind::MathFunction: return math_call(c, b->target);
    case Binding::Kind::Builtin: return builtin_call(c, b->target);
    case Binding::Kind::NumpyType: return numpy_call(c, b->target);  // float64(x): np.float64(x)
    default: break;
  }
  arg_types(c);
  error(FallbackCode::UnsupportedCall,
        "'" + id + "' (" + (b->detail.empty() ? "not a compiled function" : b->detail) + ") cannot be called from compiled code",
        "Call", c.range.line, "decorate it with @pyvorin.jit, or keep this function in CPython");
  return Ty::Top;
}

Ty Solver::function_call(const Call &c, const Binding &b) {
  std::vector<Ty> args = arg_types(c);
  const ast::FunctionDef &callee = *m_unit.sources[size_t(b.function_index)].fn;
  if (!c.keywords.empty()) {
    error(FallbackCode::UnsupportedCall, "keyword arguments in calls between compiled functions are not supported", "Call",
          c.range.line, "pass the arguments by position");
    return Ty::Top;
  }
  if (args.size() < callee.args.size() && args.size() + callee.ndefaults >= callee.args.size()) {
    error(FallbackCode::UnsupportedCall,
          "calls " + callee.name + "() without its default arguments; between compiled functions every argument is passed",
          "Call", c.range.line, "pass the default values explicitly in this call");
    return Ty::Top;
  }
  if (args.size() != callee.args.size()) {
    error(FallbackCode::UnsupportedCall,
          callee.name + "() takes " + std::to_string(callee.args.size()) + " positional arguments but " +
              std::to_string(args.size()) + " were given",
          "Call", c.range.line);
    return Ty::Top;
  }
  if (any_unknown(args)) return Ty::Bottom;
  for (Ty &t : args)
    if (has_top(t)) return Ty::Top;
  Spec *current = m_spec;
  Spec *target = specialise(b.function_index, args);
  m_spec = current;
  m_spec->calls[&c] = {CallTarget::Kind::Function, target, callee.name};
  m_spec->has_call = true;
  return target->ret;
}

Ty Solver::builtin_call(const Call &c, const std::string &name) {
  bool handled = false;
  if (Ty t = text_builtin(c, name, handled); handled) return t;
  if (Ty t = object_builtin(c, name, handled); handled) return t;
  std::vector<Ty> args = arg_types(c);
  static const std::set<std::string> supported = {"abs", "min", "max", "round", "int", "float",
                                                  "bool", "print", "divmod", "range", "complex"};
  if (!supported.count(name)) {
    error(FallbackCode::UnsupportedCall, "the builtin " + name + "() is not supported in compiled code", name, c.range.line);
    return Ty::Top;
  }
  m_spec->calls[&c] = {CallTarget::Kind::Builtin, nullptr, name};
  auto arity = [&](size_t lo, size_t hi) {
    if (args.size() < lo || args.size() > hi) {
      error(FallbackCode::UnsupportedCall, name + "() with " + std::to_string(args.size()) + " arguments is not supported",
            name, c.range.line);
      return false;
    }
    if (!c.keywords.empty() && name != "print") {
      error(FallbackCode::UnsupportedCall, name + "() with keyword arguments is not supported", name, c.range.line);
      return false;
    }
    return true;
  };
  if (name == "print") {
    for (auto &k : c.keywords)
      if (k.arg == "file" && !(k.value->kind == ExprKind::Constant &&
                               static_cast<const Constant &>(*k.value).value_kind == Constant::Kind::None)) {
        Ty f = type(*k.value);
        if (f == Ty::Bottom) return Ty::Bottom;
        if (f != Ty::file(Ty::Str)) {
          error(FallbackCode::UnsupportedCall, "print(file=...) of a " + ty_name(f) + " is not compiled (a text file is)", name,
                c.range.line);
          return Ty::Top;
        }
        return Ty::None;  // written to the file: a file effect, not output
      }
    m_spec->prints = true;
    for (size_t i = 0; i < args.size(); ++i)
      if (args[i] == Ty::Top) return Ty::None;
    return Ty::None;
  }
  // float('...') of a literal is decided at compile time: a float, or ValueError at run time.
  if (name == "float" && args.size() == 1 && args[0] == Ty::Str) return Ty::Float;
  if (name == "bool" && args.size() == 1 && is_object(args[0]) && c.keywords.empty())
    return Ty::Bool;  // the object's truth, as CPython decides it
  if (name == "min" || name == "max")  // `T | None` arguments: a TypeError when one is None (lower)
    for (Ty &t : args) {
      if (t.kind() == Kind::Optional && is_numeric(t.elem())) t = t.elem();
      if (t == Ty::None) t = Ty::Bottom;  // `best = None` before `best = max(best, x)`: not known yet
    }
  if (any_unknown(args)) return Ty::Bottom;
  if (name == "complex" && args.size() == 1 && (is_np_scalar(args[0]) || args[0] == Ty::Complex) && c.keywords.empty())
    return Ty::Complex;  // complex(z), complex(np.float32(x))
  if (name == "complex" || (args.size() == 1 && args[0] == Ty::Complex)) {  // complex(re, im), abs(z), bool(z)
    for (Ty t : args)
      if (!(is_numeric(t) || (t == Ty::Complex && name != "complex")) || !c.keywords.empty()) {
        error(FallbackCode::OperandTypes, name + "() of a " + ty_name(t) + " is not compiled", name, c.range.line);
        return Ty::Top;
      }
    if (name == "complex") {
      if (!arity(0, 2)) return Ty::Top;
      return Ty::Complex;
    }
    if (name == "abs") return Ty::Float;
    if (name == "bool") return Ty::Bool;
    error(FallbackCode::OperandTypes, name + "() of a complex is not supported", name, c.range.line,
          name == "int" || name == "float" ? "take .real or abs() first" : "");
    return Ty::Top;
  }
  if ((name == "min" || name == "max") && args.size() >= 2 && c.keywords.empty()) {
    bool numpy = false, ok = true;
    Ty t = Ty::Bottom;
    for (Ty a : args) {
      numpy = numpy || is_np_scalar(a);
      ok = ok && (is_numeric(a) || (is_np_scalar(a) && !dtype_is_complex(a.dtype())));
      t = join(t, a);
    }
    if (numpy && ok) {  // one of the arguments itself: their types must agree (float and np.float64: either)
      if (t == Ty::Top)
        error(FallbackCode::OperandTypes, name + "() returns one of its arguments, and they have different types here", name,
              c.range.line, "convert the arguments to one type, e.g. " + name + "(float(a), float(b))");
      return t;
    }
  }
  if (name == "abs" && args.size() == 1 && is_array(args[0]) && c.keywords.empty()) {  // NumPy's absolute, as np.abs
    DType d = args[0].dtype();
    return Ty::array(dtype_is_complex(d) ? complex_part(d) : d, args[0].ndim(), Layout::A);
  }
  if (name == "round" && !args.empty() && args.size() <= 2 && is_np_scalar(args[0]) && !dtype_is_complex(args[0].dtype()) &&
      (args.size() == 1 || args[1] == Ty::Int) && c.keywords.empty())
    return args.size() == 1 ? Ty::Int : Ty::np_scalar(args[0].dtype(), args[0].weak());  // NumPy's __round__: an int, or its own type
  for (Ty t : args)
    if (is_np_scalar(t) && dtype_is_complex(t.dtype())) {  // a NumPy complex: abs() (its magnitude), bool()
      if ((name == "abs" || name == "bool") && arity(1, 1))
        return name == "bool" ? Ty::Bool : Ty::np_scalar(complex_part(t.dtype()), t.weak());
      error(FallbackCode::OperandTypes, name + "() of a " + ty_name(t) + " is not compiled", name, c.range.line,
            name == "int" || name == "float" ? "take .real or abs() first" : "");
      return Ty::Top;
    }
  for (Ty t : args)
    if (is_np_scalar(t)) {  // a NumPy scalar: its conversions and abs()
      if (!((name == "int" || name == "float" || name == "bool" || name == "abs") && arity(1, 1))) {
        error(FallbackCode::OperandTypes, name + "() of a " + ty_name(t) + " is not compiled yet", name, c.range.line,
              "convert it first: float(x) or int(x)");
        return Ty::Top;
      }
      return name == "int" ? Ty::Int : name == "float" ? Ty::Float : name == "bool" ? Ty::Bool : t;
    }
  for (Ty t : args)
    if (!is_numeric(t)) {
      error(FallbackCode::OperandTypes, name + "() of a " + ty_name(t) + " is not supported in compiled code", name,
            c.range.line);
      return Ty::Top;
    }
  if (name == "abs") {
    if (!arity(1, 1)) return Ty::Top;
    return args[0] == Ty::Float ? Ty::Float : Ty::Int;
  }
  if (name == "min" || name == "max") {
    if (!arity(2, 64)) return Ty::Top;
    Ty t = Ty::Bottom;
    for (Ty a : args) t = join(t, a);
    if (t == Ty::Top)
      error(FallbackCode::OperandTypes, name + "() returns one of its arguments, and they have different types here", name,
            c.range.line, "convert the arguments to one type, e.g. " + name + "(float(a), b)");
    return t;
  }
  if (name == "round") {
    if (!arity(1, 2)) return Ty::Top;
    if (args.size() == 1) return Ty::Int;
    if (!is_integral(args[1])) {
      error(FallbackCode::OperandTypes, "round() ndigits must be an int", name, c.range.line);
      return Ty::Top;
    }
    // round(int, n) is an int: the int itself for n >= 0, else rounded to a multiple of 10**-n.
    return args[0] == Ty::Float ? Ty::Float : Ty::Int;
  }
  if (name == "int" || name == "float" || name == "bool") {
    if (!arity(0, 1)) return Ty::Top;
    return name == "int" ? Ty::Int : name == "float" ? Ty::Float : Ty::Bool;
  }
  if (name == "divmod") {
    error(FallbackCode::Container, "divmod() returns a tuple; only 'q, r = divmod(a, b)' is compiled", name, c.range.line,
          "unpack it directly: q, r = divmod(a, b)");
    return Ty::Top;
  }
  if (name == "range") {
    error(FallbackCode::Container, "range() is only compiled as the iterable of a for loop", name, c.range.line);
    return Ty::Top;
  }
  error(FallbackCode::UnsupportedCall, "the builtin " + name + "() is not supported in compiled code", name, c.range.line);
  return Ty::Top;
}

// cmath.NAME(z): CPython's own function (lower calls it on the boxed value), its result type here.
Ty Solver::cmath_call(const Call &c, const std::string &name) {
  std::vector<Ty> args = arg_types(c);
  static const std::set<std::string> to_complex = {"sqrt", "exp", "log", "log10", "sin", "cos", "tan", "asin", "acos", "atan",
                                                   "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "rect"};
  static const std::set<std::string> to_float = {"phase"};
  static const std::set<std::string> to_bool = {"isnan", "isinf", "isfinite", "isclose"};
  if (any_unknown(args)) return Ty::Bottom;
  bool numbers = !args.empty() && c.keywords.empty();
  for (Ty t : args) numbers = numbers && (is_numeric(t) || t == Ty::Complex);
  size_t arity = name == "rect" || name == "isclose" ? 2 : name == "log" ? args.size() : 1;
  if (!numbers || args.size() != arity || (name == "log" && args.size() > 2) ||
      !(to_complex.count(name) || to_float.count(name) || to_bool.count(name) || name == "polar")) {
    error(FallbackCode::UnsupportedCall, "cmath." + name + "() with these arguments is not compiled", "cmath." + name, c.range.line);
    return Ty::Top;
  }
  m_spec->calls[&c] = {CallTarget::Kind::Numpy, nullptr, "cmath." + name};
  if (name == "polar") return Ty::tuple({Ty::Float, Ty::Float});
  return to_complex.count(name) ? Ty::Complex : to_float.count(name) ? Ty::Float : Ty::Bool;
}

Ty Solver::math_call(const Call &c, const std::string &name) {
  std::vector<Ty> args = arg_types(c);
  m_spec->calls[&c] = {CallTarget::Kind::Math, nullptr, name};
  const MathFn *m = find_math(name);
  if (!m) {
    error(FallbackCode::UnsupportedCall, "math." + name + "() is not supported in compiled code", "math." + name, c.range.line);
    return Ty::Top;
  }
  if (!c.keywords.empty() || int(args.size()) < m->min_args || int(args.size()) > m->max_args) {
    error(FallbackCode::UnsupportedCall, "math." + name + "() called with an unsupported number of arguments", "math." + name,
          c.range.line);
    return Ty::Top;
  }
  if (any_unknown(args)) return Ty::Bottom;
  for (Ty t : args)
    if (!is_numeric(t) && !(is_np_scalar(t) && !dtype_is_complex(t.dtype()) && name != "isqrt")) {
      error(FallbackCode::OperandTypes, std::string("math.") + name + "() of a " + ty_name(t) + " is not supported", "math." + name,
            c.range.line);
      return Ty::Top;
    }
  if (name == "isqrt" && args[0] == Ty::Float) {
    error(FallbackCode::OperandTypes, "'float' object cannot be interpreted as an integer", "math.isqrt", c.range.line);
    return Ty::Top;
  }
  return m->result;
}

void Solver::validate() {
  for (auto &sp : m_unit.specs) {
    m_spec = sp.get();
    for (auto &[var, t] : sp->vars) {
      if (t == Ty::Top && !var.empty() && var[0] != '$') {
        const auto &seen = sp->origins[var];
        std::string what;
        for (size_t i = 0; i < seen.size(); ++i)
          what += (i == 0 ? "" : i + 1 == seen.size() ? " and " : ", ") + std::string(ty_name(seen[i].first)) + " (line " +
                  std::to_string(seen[i].second) + ")";
        int line = seen.size() > 1 ? seen[1].second : sp->fn->range.line;
        if (seen.size() <= 1)  // the conflict came through a call: the first assignment's line
          for (auto &e : sp->trace)
            if (e.name == var) {
              line = e.line;
              break;
            }
        error(FallbackCode::TypeConflict,
              "variable '" + var + "' is " + (what.empty() ? std::string("of conflicting types") : what) +
                  "; CPython keeps whichever type the run takes, so one native type would be wrong",
              "variable '" + var + "'", line);
      }
    }
    if (sp->ret == Ty::Bottom) {
      // Never returns normally (an endless loop) or only through unbounded recursion.
      bool has_return = false;
      for (auto &e : sp->trace) has_return = has_return || e.name == "return";
      if (has_return)
        error(FallbackCode::UninferrableType, "the return type of " + sp->fn->name + "() could not be inferred", "Return",
              sp->fn->range.line);
      else
        sp->ret = Ty::None;
    }
  }
}

// Lowering needs a concrete type for every value. A conflict left without an error (it arose
// through recursion, see m_first_errors) is reported by the error that introduced it.
void Solver::explain_conflicts() {
  for (auto &sp : m_unit.specs) {
    const Expr *top = nullptr;
    for (auto &[e, t] : sp->types)
      if (t == Ty::Top && (!top || e->range.line < top->range.line)) top = e;
    if (sp->ret != Ty::Top && !top) continue;
    if (!m_first_errors.empty()) {
      m_final_errors = m_first_errors;
      return;
    }
    m_spec = sp.get();
    if (top)
      error(FallbackCode::UninferrableType, "the type of '" + unparse(*top) + "' could not be inferred", "Expr",
            top->range.line);
    else
      error(FallbackCode::ReturnConflict, "the return type of " + sp->fn->name + "() could not be inferred", "Return",
            sp->fn->range.line);
    return;
  }
}

void Solver::summarise() {
  // Side effects and running time, through the call graph.
  bool prints = false, deopts = false, longrun = false;
  for (auto &sp : m_unit.specs) {
    prints = prints || sp->prints;
    deopts = deopts || sp->deopts;
    longrun = longrun || sp->has_loop || sp->has_call;
  }
  m_unit.transitively_prints = prints;
  m_unit.long_running = longrun;
  if (prints && deopts) {
    for (auto &sp : m_unit.specs)
      if (sp->deopts) {
        m_unit.fallback = make_fallback(FallbackCode::OperandTypes, m_unit.specs[0]->fn->name,
                                        sp->deopt_reason + ", and this code prints, so it cannot be rerun in CPython",
                                        "Pow", sp->deopt_line, sp->deopt_suggestion);
        return;
      }
  }
  Spec &root = *m_unit.specs[0];
  Ty ann = annotation_type(root.fn->returns.get());
  if (ann != Ty::Bottom && ann != root.ret)
    root.trace.push_back({root.fn->range.line, "return", ty_name(root.ret),
                          std::string("annotated ") + ty_name(ann) + ", inferred " + ty_name(root.ret) + ": the value keeps CPython's type"});
}

}  // namespace typing
}  // namespace pyvorin
