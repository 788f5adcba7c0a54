// infer (NumPy): ndarrays and NumPy scalars. Indexing, attributes, `np.` functions, ndarray
// methods and operators, with NumPy 1.24's result dtypes (obj_ndarray.cpp holds the rules that
// lower shares). A result computed by NumPy itself (an allocation, a reduction, an operator on
// whole arrays) is predicted here and guarded where lower receives it: a value-based cast that
// predicted otherwise reruns the call in CPython.
#include "infer.h"
#include "numpy_rules.h"

namespace pyvorin {
namespace typing {

bool Solver::is_numpy_module(const Expr &e) {
  if (e.kind != ExprKind::Name) return false;
  const std::string &id = static_cast<const Name &>(e).id;
  if (m_spec->locals.count(id)) return false;
  const Binding *b = binding(id);
  return b && b->kind == Binding::Kind::NumpyModule;
}

// The kinds of an array index: how many axes it consumes with ints, whether it slices.
bool Solver::array_index(const Expr &idx, Ty arr, npy::Index &out, int) {
  std::vector<const Expr *> items;
  if (idx.kind == ExprKind::Tuple)
    for (auto &e : static_cast<const Tuple &>(idx).elts) items.push_back(e.get());
  else
    items.push_back(&idx);
  out = {};
  for (const Expr *x : items) {
    if (x->kind == ExprKind::Slice) {
      for_each_child(*x, [&](const Expr &b) {
        Ty t = type(b);
        if (t != Ty::Bottom && t != Ty::Top && !is_integral(t) && t != Ty::None &&
            !(is_np_scalar(t) && dtype_is_int(t.dtype())))
          out.bad = "slice indices must be integers or None or have an __index__ method";
      });
      record(*x, Ty::None);
      out.slices++;
      continue;
    }
    Ty t = type(*x);
    if (t == Ty::Bottom) return false;
    if (t == Ty::Top) {
      out.bad = "?";
      return true;
    }
    if (t == Ty::Int || (is_np_scalar(t) && dtype_is_int(t.dtype()))) {
      out.ints++;
      continue;
    }
    if (t == Ty::None) {  // np.newaxis: a new axis of length 1 (x[:, None])
      out.newaxes++;
      continue;
    }
    if (t.kind() == Kind::Tuple && items.size() == 1) {  // k = np.unravel_index(...); m[k]: a tuple of ints as a value
      bool ints = true;
      for (Ty x : t.args()) ints = ints && (x == Ty::Int || (is_np_scalar(x) && dtype_is_int(x.dtype())));
      if (ints) {
        out.ints += int(t.args().size());
        continue;
      }
    }
    if (is_array(t) && items.size() == 1) {
      out.array = t;
      continue;
    }
    out.bad = "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid "
              "indices; this index is a " + ty_name(t);
  }
  out.tuple = idx.kind == ExprKind::Tuple;
  if (out.bad.empty() && out.ints + out.slices > arr.ndim())
    out.bad = "too many indices for array: array is " + std::to_string(arr.ndim()) + "-dimensional, but " +
              std::to_string(out.ints + out.slices) + " were indexed";
  return true;
}

Ty Solver::array_subscript(const Subscript &s, Ty arr) {
  npy::Index ix;
  if (!array_index(*s.slice, arr, ix, s.range.line)) return Ty::Bottom;
  if (s.slice->kind != ExprKind::Slice && s.slice->kind != ExprKind::Tuple) {
    // the index expression's type is recorded by array_index
  } else if (s.slice->kind == ExprKind::Tuple) {
    record(*s.slice, Ty::None);
  }
  if (!ix.bad.empty()) {
    if (ix.bad != "?")
      error(FallbackCode::OperandTypes, ix.bad, "Subscript", s.range.line,
            "index an ndarray with ints, slices, or an array of bools or ints");
    return Ty::Top;
  }
  Ty r = npy::index_result(arr, ix);
  if (r == Ty::Top)
    error(FallbackCode::OperandTypes, "indexing a " + ty_name(arr) + " with a " + ty_name(ix.array) + " is not compiled",
          "Subscript", s.range.line, "index with ints, slices, or a boolean array of the same shape");
  return r;
}

void Solver::array_store(const Subscript &t, Ty arr, Ty v, int line) {
  npy::Index ix;
  if (!array_index(*t.slice, arr, ix, line)) return;
  if (t.slice->kind == ExprKind::Tuple) record(*t.slice, Ty::None);
  if (!ix.bad.empty()) {
    if (ix.bad != "?") error(FallbackCode::OperandTypes, ix.bad, "Subscript", line);
    return;
  }
  if (v == Ty::Bottom || v == Ty::Top) return;
  DType d;
  bool scalar = scalar_dtype(v, &d);
  if (!scalar && !is_array(v) && v.kind() != Kind::List && !is_tuple(v))
    error(FallbackCode::OperandTypes, "a " + ty_name(v) + " stored into " + unparse(*t.value) + ", a " + ty_name(arr), "Subscript", line,
          "store numbers or arrays into an ndarray");
  if (scalar && dtype_is_complex(d) && !dtype_is_complex(arr.dtype()))  // NumPy raises or drops the imaginary part
    error(FallbackCode::OperandTypes, "a complex value stored into " + unparse(*t.value) + ", a " + ty_name(arr), "Subscript", line,
          "store z.real (or abs(z)), or make the array complex");
}

Ty Solver::array_attribute(const Attribute &a, Ty arr) {
  Ty r = npy::attribute_type(arr, a.attr);
  if (r == Ty::Top)
    error(FallbackCode::UnsupportedAttribute, "the ndarray attribute '" + a.attr + "' is not compiled", "Attribute", a.range.line,
          "use .shape, .ndim, .size, .T, .itemsize or .nbytes");
  return r;
}

Ty Solver::numpy_value(const Attribute &a) {
  if (a.attr == "pi" || a.attr == "e" || a.attr == "inf" || a.attr == "nan" || a.attr == "euler_gamma") return Ty::Float;
  if (a.attr == "newaxis") return Ty::None;
  error(FallbackCode::UnsupportedAttribute, "numpy." + a.attr + " is not compiled as a value", "Attribute", a.range.line,
        "call it (np.zeros(...)), or pass it in as an argument");
  return Ty::Top;
}

// np.<name>(...)
Ty Solver::numpy_call(const Call &c, const std::string &name) {
  std::vector<Ty> args;
  for (auto &a : c.args) args.push_back(types_of(*a));
  std::vector<std::pair<std::string, Ty>> kw;
  for (auto &k : c.keywords) kw.push_back({k.arg, types_of(*k.value)});
  for (Ty t : args)
    if (t == Ty::Bottom) return Ty::Bottom;
  for (auto &[k, t] : kw)
    if (t == Ty::Bottom) return Ty::Bottom;
  for (Ty t : args)
    if (t == Ty::Top) return Ty::Top;
  m_spec->calls[&c] = {CallTarget::Kind::Numpy, nullptr, name};
  npy::CallInfo info;
  info.args = args;
  info.keywords = kw;
  info.array_dtype = [this](const Expr &x) { return array_dtype(x); };
  for (auto &a : c.args) info.arg_exprs.push_back(a.get());
  for (auto &k : c.keywords) info.keyword_exprs.push_back(k.value.get());
  std::string why;
  Ty r = npy::call_type(name, info, why);
  if (r == Ty::Top)
    error(FallbackCode::UnsupportedCall, why.empty() ? "numpy." + name + "() is not compiled" : why, "np." + name, c.range.line,
          "keep this call in CPython, or use one of the compiled NumPy functions (docs/supported-subset.md)");
  return r;
}

// The type of a keyword value; a dtype given as np.float64, float, 'f8' is typed None (lower
// reads the expression).
Ty Solver::types_of(const Expr &e) {
  if (npy::dtype_expr(e, [&](const std::string &id) { return is_numpy_name(id); }).has_value() || array_dtype(e)) {
    record(e, Ty::None);
    return Ty::None;
  }
  return type(e);
}

// `x.dtype` of an ndarray expression, as a dtype argument: its dtype is the array type's
std::optional<DType> Solver::array_dtype(const Expr &e) {
  if (e.kind != ExprKind::Attribute || static_cast<const Attribute &>(e).attr != "dtype") return std::nullopt;
  Ty t = type(*static_cast<const Attribute &>(e).value);
  if (!is_array(t)) return std::nullopt;
  return t.dtype();
}

bool Solver::is_numpy_name(const std::string &id) {
  if (m_spec->locals.count(id)) return false;
  const Binding *b = binding(id);
  return b && b->kind == Binding::Kind::NumpyModule;
}

Ty Solver::array_method(const Call &c, const Attribute &a, Ty self) {
  std::vector<Ty> args;
  for (auto &x : c.args) args.push_back(types_of(*x));
  std::vector<std::pair<std::string, Ty>> kw;
  for (auto &k : c.keywords) kw.push_back({k.arg, types_of(*k.value)});
  for (Ty t : args)
    if (t == Ty::Bottom) return Ty::Bottom;
  for (auto &[k, t] : kw)
    if (t == Ty::Bottom) return Ty::Bottom;
  npy::CallInfo info;
  info.args = args;
  info.array_dtype = [this](const Expr &x) { return array_dtype(x); };
  info.args.insert(info.args.begin(), self);
  info.keywords = kw;
  info.arg_exprs.push_back(a.value.get());
  for (auto &x : c.args) info.arg_exprs.push_back(x.get());
  for (auto &k : c.keywords) info.keyword_exprs.push_back(k.value.get());
  std::string why;
  Ty r = npy::method_type(a.attr, info, why);
  m_spec->calls[&c] = {CallTarget::Kind::Numpy, nullptr, "." + a.attr};
  if (r == Ty::Top)
    error(FallbackCode::UnsupportedAttribute, why.empty() ? "the ndarray method ." + a.attr + "() is not compiled" : why, a.attr,
          c.range.line, "use one of the compiled ndarray methods (docs/supported-subset.md)");
  return r;
}

Ty Solver::numpy_binop(const BinOp &b, Ty l, Ty r) {
  std::string why;
  if (b.inplace && is_array(l) && b.op != Op::MatMult) {  // a += b: the array itself (NumPy raises if it cannot cast)
    Ty t = npy::binop_type(b.op, l, r, why);
    if (t == Ty::Top) {
      error(FallbackCode::OperandTypes, why, op_name(b.op), b.range.line);
      return Ty::Top;
    }
    return l;
  }
  Ty t = npy::binop_type(b.op, l, r, why);
  if (t == Ty::Top)
    error(FallbackCode::OperandTypes, why, op_name(b.op), b.range.line);
  return t;
}

Ty Solver::numpy_unary(const UnaryOp &u, Ty t) {
  std::string why;
  Ty r = npy::unary_type(u.op, t, why);
  if (r == Ty::Top) error(FallbackCode::OperandTypes, why, unary_name(u.op), u.range.line);
  return r;
}

Ty Solver::numpy_compare(const Compare &c, Ty l, Ty r) {
  CmpOp op = c.ops[0];
  if (op == CmpOp::Is || op == CmpOp::IsNot || op == CmpOp::In || op == CmpOp::NotIn) {
    error(FallbackCode::OperandTypes, std::string("'") + cmp_symbol(op) + "' with a NumPy value is not compiled", cmp_name(op),
          c.range.line);
    return Ty::Top;
  }
  std::string why;
  Ty t = npy::compare_type(op, l, r, why);
  if (t == Ty::Top) error(FallbackCode::OperandTypes, why, cmp_name(op), c.range.line);
  return t;
}

}  // namespace typing
}  // namespace pyvorin
