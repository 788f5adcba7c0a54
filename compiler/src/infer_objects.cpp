// infer (objects): the types of container displays, subscripts, comprehensions, iteration,
// unpacking, methods (through the families' tables, objects.h) and the builtins over containers.
#include "infer.h"
#include "objects.h"

namespace pyvorin {
namespace typing {



bool Solver::is_builtin_name(const std::string &id, const char *builtin) {
  if (id != builtin || m_spec->locals.count(id)) return false;
  const Binding *b = binding(id);
  return !b || (b->kind == Binding::Kind::Builtin && b->target == builtin);
}

bool Solver::is_range_call(const Expr &e) {
  if (e.kind != ExprKind::Call) return false;
  auto &c = static_cast<const Call &>(e);
  return c.func->kind == ExprKind::Name && is_builtin_name(static_cast<const Name &>(*c.func).id, "range");
}

Ty Solver::elem_of(Ty t, const Expr &where) {
  t = behind_none(t);  // None: TypeError at run time
  switch (t.kind()) {
    case Kind::Bottom: case Kind::Top: return t;
    case Kind::List: case Kind::Set: case Kind::Iter: case Kind::TupleN: return t.elem();
    case Kind::Dict: return t.args()[0];
    case Kind::Range: return Ty::Int;
    case Kind::Str: return Ty::Str;
    case Kind::Bytes: case Kind::ByteArray: return Ty::Int;
    case Kind::File: return t.elem();  // its lines
    case Kind::Array:
      if (t.ndim() == 0) {
        error(FallbackCode::OperandTypes, "iteration over a 0-d array", "For", where.range.line);
        return Ty::Top;
      }
      return t.ndim() == 1 ? t.elem() : Ty::array(t.dtype(), t.ndim() - 1, t.layout() == Layout::C ? Layout::C : Layout::A, t.readonly());
    case Kind::Tuple: {
      Ty e = Ty::Bottom;
      for (Ty a : t.args()) e = join(e, a);
      if (e == Ty::Top)
        error(FallbackCode::TypeConflict, "iterating over " + unparse(where) + ", a " + ty_name(t) + ", gives items of different types",
              "For", where.range.line, "iterate over a tuple whose items have one type");
      return e;
    }
    default: break;
  }
  error(FallbackCode::Container, "'" + ty_name(t) + "' object is not iterable in compiled code", "For", where.range.line);
  return Ty::Top;
}

Ty Solver::iter_type(const Expr &iter) {
  Ty t = type(iter);
  if (t == Ty::Bottom) return Ty::Bottom;
  return elem_of(t, iter);
}

// `xs.append(x)`, `d[k] = v`, `d.setdefault(k, []).append(x)`: the container's declared type
// grows to `wanted` where the container is a variable, or an element reached from one.
void Solver::refine(const Expr &c, Ty wanted, int line, const std::string &why) {
  if (wanted == Ty::Top || wanted == Ty::Bottom) return;
  if (c.kind == ExprKind::Name) {
    auto &n = static_cast<const Name &>(c);
    if (!m_spec->locals.count(n.id)) return;
    Ty old = m_spec->vars.count(n.id) ? m_spec->vars[n.id] : Ty::Bottom;
    Ty j = join(old, wanted);
    if (j != old && j != Ty::Top) {
      m_spec->vars[n.id] = j;
      m_changed = true;
    }
    // `xs: list[int] <- then xs.append(i * i)`: an empty container typed by a later use
    if (line > 0 && j != Ty::Top && !why.empty()) trace(line, n.id, j, "then " + why);
    // and every other name of the same object (`ys = xs`): refined once each, as they are found
    auto &aliases = m_aliases[m_spec];
    auto al = aliases.find(n.id);
    if (al != aliases.end() && j != old)
      for (const std::string &other : std::set<std::string>(al->second)) {
        Ty o = m_spec->vars.count(other) ? m_spec->vars[other] : Ty::Bottom;
        if (join(o, wanted) == o) continue;
        Name alias(n.range, other);
        refine(alias, wanted, line, why);
      }
    return;
  }
  if (c.kind == ExprKind::Subscript) {
    auto &s = static_cast<const Subscript &>(c);
    Ty outer = m_spec->types.count(s.value.get()) ? m_spec->types[s.value.get()] : Ty::Bottom;
    if (outer.kind() == Kind::Dict) refine(*s.value, Ty::dict(outer.args()[0], wanted), line, why);
    else if (outer.kind() == Kind::List && s.slice->kind != ExprKind::Slice) refine(*s.value, Ty::list(wanted), line, why);
    return;
  }
  if (c.kind == ExprKind::Call && static_cast<const Call &>(c).func->kind == ExprKind::Attribute) {
    auto &call = static_cast<const Call &>(c);
    auto &a = static_cast<const Attribute &>(*call.func);
    Ty outer = m_spec->types.count(a.value.get()) ? m_spec->types[a.value.get()] : Ty::Bottom;
    if (outer.kind() == Kind::Dict && (a.attr == "setdefault" || a.attr == "get"))
      refine(*a.value, Ty::dict(outer.args()[0], wanted), line, why);
  }
}

// A float-or-np.float64 value (a variable that holds either) as a list or set item: not compiled
// yet, since an item's type is one type (a tuple holds it: Ty::make).
bool Solver::weak_item(Ty t, const Expr &item) {
  if (!is_weak(t)) return false;
  std::string py = t.dtype() == DType::F64 ? "float" : t.dtype() == DType::I64 ? "int" : "bool";
  error(FallbackCode::TypeConflict,
        "'" + unparse(item) + "' is a Python " + py + " on one path and an " + ty_name(Ty::np_scalar(t.dtype())) +
            " on another (a NumPy scalar was added to it), and a tuple, list or set item must have one type",
        "Container", item.range.line,
        "convert it where it is stored: " + py + "(" + unparse(item) + "), or start it as " + ty_name(Ty::np_scalar(t.dtype())) + "(0)");
  return true;
}

Ty Solver::object_expr(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Tuple: {
      std::vector<Ty> items;
      for (auto &x : static_cast<const Tuple &>(e).elts) {
        Ty t = type(*x);
        if (t == Ty::Top) return Ty::Top;
        items.push_back(t);
      }
      for (Ty t : items)
        if (t == Ty::Bottom) return Ty::Bottom;
      return Ty::tuple(items);
    }
    case ExprKind::List: case ExprKind::Set: {
      const auto &elts = e.kind == ExprKind::List ? static_cast<const List &>(e).elts : static_cast<const SetExpr &>(e).elts;
      Ty el = Ty::Bottom;
      std::vector<Ty> seen;
      bool pending = false;
      for (auto &x : elts) {
        Ty t = type(*x);
        if (weak_item(t, *x)) return Ty::Top;
        pending = pending || t == Ty::Bottom;
        seen.push_back(t);
        el = join(el, t);
      }
      if (el == Ty::Top) {
        std::string types;
        for (Ty t : seen)
          if (t != Ty::Top && types.find(ty_name(t)) == std::string::npos) types += (types.empty() ? "" : " and ") + ty_name(t);
        error(FallbackCode::TypeConflict,
              std::string(e.kind == ExprKind::List ? "the list" : "the set") + " " + unparse(e) + " holds values of different types (" +
                  types + ")",
              e.kind == ExprKind::List ? "List" : "Set", e.range.line, "keep one element type per container");
        return Ty::Top;
      }
      if (pending && !elts.empty() && el == Ty::Bottom) return Ty::Bottom;
      return e.kind == ExprKind::List ? Ty::list(el) : Ty::set(el);
    }
    case ExprKind::Dict: {
      auto &d = static_cast<const Dict &>(e);
      Ty k = Ty::Bottom, v = Ty::Bottom;
      for (size_t i = 0; i < d.values.size(); ++i) {
        k = join(k, d.keys[i] ? type(*d.keys[i]) : Ty::Top);
        v = join(v, type(*d.values[i]));
      }
      if (k == Ty::Top || v == Ty::Top) {
        error(FallbackCode::TypeConflict, "the dict " + unparse(e) + " has keys or values of different types", "Dict", e.range.line,
              "keep one key type and one value type per dict");
        return Ty::Top;
      }
      return Ty::dict(k, v);
    }
    case ExprKind::Subscript: return subscript(static_cast<const Subscript &>(e));
    case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp:
      return comprehension(static_cast<const Comp &>(e));
    case ExprKind::Slice: case ExprKind::Starred:
      error(FallbackCode::UnsupportedSyntax, "this expression is not supported here", "Expr", e.range.line);
      return Ty::Top;
    default: break;
  }
  return Ty::Top;
}

Ty Solver::subscript(const Subscript &s) {
  Ty c = type(*s.value);
  c = behind_none(c);
  if (is_array(c)) return array_subscript(s, c);  // None: CPython's TypeError at run time
  bool is_slice = s.slice->kind == ExprKind::Slice;
  Ty idx = Ty::Int;
  if (is_slice) {
    auto &sl = static_cast<const Slice &>(*s.slice);
    for (const Expr *x : {sl.lower.get(), sl.upper.get(), sl.step.get()})
      if (x) {
        Ty t = type(*x);
        if (t != Ty::Bottom && t != Ty::Top && !is_integral(t) && t != Ty::None) {
          error(FallbackCode::OperandTypes, "slice indices must be integers or None, not " + ty_name(t), "Slice", s.range.line);
          return Ty::Top;
        }
      }
    record(*s.slice, Ty::None);
  } else {
    idx = type(*s.slice);
  }
  if (c == Ty::Bottom || c == Ty::Top || idx == Ty::Bottom) return c == Ty::Top ? c : Ty::Bottom;
  if (idx == Ty::Top) return Ty::Top;
  switch (c.kind()) {
    case Kind::TupleN:
      if (is_slice) return c;
      if (!is_integral(idx)) {
        error(FallbackCode::OperandTypes, "tuple indices must be integers or slices, not " + ty_name(idx), "Subscript", s.range.line);
        return Ty::Top;
      }
      return c.elem() == Ty::Bottom ? Ty::None : c.elem();
    case Kind::List: case Kind::Str: case Kind::Range: case Kind::Bytes: case Kind::ByteArray:
      if (is_slice) return c;
      if (!is_integral(idx)) {
        error(FallbackCode::OperandTypes,
              c.kind() == Kind::Str ? "string indices must be integers, not '" + py_type_name(idx) + "'"
                                    : std::string(c.kind() == Kind::List ? "list" : is_byte_buffer(c) ? "byte" : "range") +
                                          " indices must be integers or slices, not " + py_type_name(idx),
              "Subscript", s.range.line);
        return Ty::Top;
      }
      if (c.kind() == Kind::List) return c.elem() == Ty::Bottom ? Ty::None : c.elem();  // empty: IndexError at run time
      return c.kind() == Kind::Str ? Ty::Str : Ty::Int;
    case Kind::Tuple: {
      const auto &items = c.args();
      auto constant_index = [&](const Expr *x, int64_t *v) { return x && int_literal(*x, v); };
      if (is_slice) {
        auto &sl = static_cast<const Slice &>(*s.slice);
        int64_t n = int64_t(items.size()), lo = 0, hi = n, st = 1;
        if ((sl.lower && !constant_index(sl.lower.get(), &lo)) || (sl.upper && !constant_index(sl.upper.get(), &hi)) ||
            (sl.step && !constant_index(sl.step.get(), &st)) || st != 1) {
          Ty e = tuple_items_join(c);  // a length known only at run time
          if (e == Ty::Top) {
            error(FallbackCode::Container, "a slice of a " + ty_name(c) + " with bounds known only at run time mixes item types",
                  "Subscript", s.range.line, "slice with constant bounds, or keep one item type");
            return Ty::Top;
          }
          return Ty::tuple_of(e);
        }
        if (lo < 0) lo = std::max<int64_t>(0, lo + n);
        if (hi < 0) hi = std::max<int64_t>(0, hi + n);
        lo = std::min(lo, n), hi = std::min(hi, n);
        std::vector<Ty> out;
        for (int64_t i = lo; i < hi; ++i) out.push_back(items[size_t(i)]);
        return Ty::tuple(out);
      }
      if (!is_integral(idx)) {
        error(FallbackCode::OperandTypes, "tuple indices must be integers or slices, not " + ty_name(idx), "Subscript", s.range.line);
        return Ty::Top;
      }
      int64_t k;
      if (constant_index(s.slice.get(), &k)) {
        int64_t n = int64_t(items.size());
        if (k < -n || k >= n) return Ty::None;  // IndexError at run time (lower raises it)
        return items[size_t(k < 0 ? k + n : k)];
      }
      Ty e = Ty::Bottom;
      for (Ty a : items) e = join(e, a);
      if (e == Ty::Top) {
        error(FallbackCode::TypeConflict, "indexing a " + ty_name(c) + " with a variable gives items of different types", "Subscript",
              s.range.line, "index with a constant, or keep one item type");
        return Ty::Top;
      }
      return e == Ty::Bottom ? Ty::None : e;
    }
    case Kind::Dict: {
      if (is_slice) {
        error(FallbackCode::OperandTypes, "unhashable type: 'slice'", "Subscript", s.range.line);
        return Ty::Top;
      }
      Ty k = c.args()[0];
      if (k != Ty::Bottom && join(k, idx) == Ty::Top && !(is_numeric(k) && is_numeric(idx))) {
        error(FallbackCode::OperandTypes, "a " + ty_name(c) + " looked up with a " + ty_name(idx) + " key", "Subscript", s.range.line);
        return Ty::Top;
      }
      return c.args()[1] == Ty::Bottom ? Ty::None : c.args()[1];  // empty: KeyError at run time
    }
    default: break;
  }
  error(FallbackCode::Container, "'" + ty_name(c) + "' object is not subscriptable in compiled code", "Subscript", s.range.line);
  return Ty::Top;
}

Ty Solver::comprehension(const Comp &c) {
  for (auto &g : c.generators) {
    Ty el;
    if (is_range_call(*g.iter)) {  // a counted loop, as a for statement's range()
      for (auto &a : static_cast<const Call &>(*g.iter).args) {
        Ty t = type(*a);
        if (t != Ty::Bottom && t != Ty::Top && !is_integral(t)) {
          error(FallbackCode::OperandTypes, "range() argument is " + ty_name(t) + ", not int", "range", a->range.line);
          return Ty::Top;
        }
      }
      record(*g.iter, Ty::Int);
      el = Ty::Int;
    } else {
      el = iter_type(*g.iter);
    }
    if (el == Ty::Top) return Ty::Top;
    assign_target(*g.target, el, nullptr, g.iter->range.line, "an element of " + unparse(*g.iter));
    for (auto &i : g.ifs) condition(*i);
  }
  if (c.kind == ExprKind::DictComp) {
    Ty k = type(*c.key), v = type(*c.value);
    if (k == Ty::Top || v == Ty::Top) return Ty::Top;
    return Ty::dict(k, v);
  }
  Ty el = type(*c.elt);
  if (el == Ty::Top) return Ty::Top;
  if (c.kind == ExprKind::ListComp) return Ty::list(el);
  if (c.kind == ExprKind::SetComp) return Ty::set(el);
  return Ty::make(Kind::Iter, {el});
}

void Solver::assign_target(const Expr &t, Ty v, const Expr *value, int line, const std::string &because) {
  switch (t.kind) {
    case ExprKind::Name: {
      const std::string &id = static_cast<const Name &>(t).id;
      if (value && value->kind == ExprKind::Name && is_object(v)) {
        const std::string &from = static_cast<const Name &>(*value).id;
        if (from != id && m_spec->locals.count(from)) {
          m_aliases[m_spec][id].insert(from);
          m_aliases[m_spec][from].insert(id);
        }
      }
      assign(id, v, value, line, because);
      return;
    }
    case ExprKind::Subscript: {
      auto &s = static_cast<const Subscript &>(t);
      Ty c = type(*s.value);
      c = behind_none(c);
      if (is_array(c)) {
        array_store(s, c, v, line);
        return;
      }
      if (s.slice->kind == ExprKind::Slice) {
        for_each_child(*s.slice, [&](const Expr &x) { type(x); });
        record(*s.slice, Ty::None);
        if (c.kind() == Kind::List && v != Ty::Bottom && v != Ty::Top) {
          Kind k = v.kind();
          if (k != Kind::List && !is_tuple(v) && k != Kind::Range && k != Kind::Set)
            error(FallbackCode::OperandTypes, "can only assign an iterable to a slice", "Subscript", line);
          else if (k != Kind::Tuple) refine(*s.value, Ty::list(k == Kind::Range ? Ty::Int : v.elem()), line, unparse(t) + " = ...");
        } else if (c != Ty::Bottom && c != Ty::Top && c.kind() != Kind::List) {
          error(FallbackCode::Container, "slice assignment to a " + ty_name(c) + " is not supported", "Subscript", line);
        }
        return;
      }
      Ty idx = type(*s.slice);
      if (c == Ty::Bottom || c == Ty::Top || v == Ty::Bottom) return;
      if (c.kind() == Kind::List) {
        if (idx != Ty::Bottom && idx != Ty::Top && !is_integral(idx))
          error(FallbackCode::OperandTypes, "list indices must be integers or slices, not " + ty_name(idx), "Subscript", line);
        if (join(c.elem(), v) == Ty::Top)
          error(FallbackCode::TypeConflict, "a " + ty_name(v) + " stored into " + unparse(*s.value) + ", a " + ty_name(c), "Subscript",
                line, "keep one element type per list");
        else
          refine(*s.value, Ty::list(v), line, unparse(t) + " = ...");
        return;
      }
      if (c.kind() == Kind::Dict) {
        Ty k = join(c.args()[0], idx), val = join(c.args()[1], v);
        // 1, 1.0 and True are one key: a numeric key of another type keeps the dict's key type
        // (an entry it adds is guarded where it is read back)
        if (k == Ty::Top && is_numeric(c.args()[0]) && is_numeric(idx)) k = c.args()[0];
        if (k == Ty::Top || val == Ty::Top)
          error(FallbackCode::TypeConflict,
                "the entry " + unparse(t) + " = (a " + ty_name(v) + ") does not fit " + unparse(*s.value) + ", a " + ty_name(c),
                "Subscript", line, "keep one key type and one value type per dict");
        else
          refine(*s.value, Ty::dict(k, val), line, unparse(t) + " = ...");
        return;
      }
      if (c == Ty::ByteArray && s.slice->kind != ExprKind::Slice) {  // ba[i] = byte: CPython's checks (range 0..255)
        if ((idx != Ty::Bottom && !is_integral(idx)) || !is_integral(v))
          error(FallbackCode::OperandTypes, "bytearray indices and values must be integers", "Subscript", line);
        return;
      }
      error(FallbackCode::Container, "'" + ty_name(c) + "' object does not support item assignment in compiled code", "Subscript", line);
      return;
    }
    case ExprKind::Tuple: case ExprKind::List: {
      const auto &elts = t.kind == ExprKind::Tuple ? static_cast<const Tuple &>(t).elts : static_cast<const List &>(t).elts;
      if (v == Ty::Bottom || v == Ty::Top) {
        for (auto &x : elts) assign_target(x->kind == ExprKind::Starred ? *static_cast<const Starred &>(*x).value : *x, v, nullptr, line);
        return;
      }
      size_t star = elts.size();
      for (size_t i = 0; i < elts.size(); ++i)
        if (elts[i]->kind == ExprKind::Starred) star = i;
      if (v.kind() == Kind::Tuple) {
        const auto &items = v.args();
        bool ok = star == elts.size() ? items.size() == elts.size() : items.size() + 1 >= elts.size();
        if (!ok) {
          error(FallbackCode::Container,
                "unpacking a " + ty_name(v) + " into " + std::to_string(elts.size()) + " targets always fails", "Tuple", line);
          return;
        }
        size_t after = elts.size() - star - 1;
        for (size_t i = 0; i < elts.size(); ++i) {
          if (i == star) {
            Ty e = Ty::Bottom;
            for (size_t k = star; k < items.size() - after; ++k) e = join(e, items[k]);
            if (e == Ty::Top) {
              error(FallbackCode::TypeConflict, "a starred target would hold items of different types", "Starred", line);
              return;
            }
            assign_target(*static_cast<const Starred &>(*elts[i]).value, Ty::list(e), nullptr, line, "starred unpacking");
          } else {
            size_t k = i < star ? i : items.size() - (elts.size() - i);
            assign_target(*elts[i], items[k], nullptr, line, "item " + std::to_string(k) + " of a " + ty_name(v));
          }
        }
        return;
      }
      Ty e = elem_of(v, t);
      if (e == Ty::Top) return;
      for (size_t i = 0; i < elts.size(); ++i) {
        if (i == star)
          assign_target(*static_cast<const Starred &>(*elts[i]).value, Ty::list(e), nullptr, line, "starred unpacking");
        else
          assign_target(*elts[i], e, nullptr, line, "an item of a " + ty_name(v));
      }
      return;
    }
    default: break;
  }
  error(FallbackCode::UnsupportedSyntax, "assignment to this target is not supported", "target", line);
}

void Solver::delete_target(const Expr &t) {
  auto &s = static_cast<const Subscript &>(t);
  Ty c = type(*s.value);
  c = behind_none(c);
  if (s.slice->kind == ExprKind::Slice) {
    for_each_child(*s.slice, [&](const Expr &x) { type(x); });
    record(*s.slice, Ty::None);
  } else {
    type(*s.slice);
  }
  if (c == Ty::Bottom || c == Ty::Top) return;
  if (c.kind() != Kind::List && c.kind() != Kind::Dict)
    error(FallbackCode::Container, "'" + ty_name(c) + "' object doesn't support item deletion in compiled code", "Delete", t.range.line);
}

Ty Solver::object_binop(const BinOp &b, Ty l, Ty r) {
  auto bad = [&]() {
    error(FallbackCode::OperandTypes,
          std::string("unsupported operand type(s) for ") + op_symbol(b.op) + ": '" + ty_name(l) + "' and '" + ty_name(r) + "'",
          op_name(b.op), b.range.line);
    return Ty::Top;
  };
  Kind lk = l.kind(), rk = r.kind();
  if (lk == Kind::Optional || rk == Kind::Optional) return Ty::Bottom;  // unwrapped by binop: TypeError if None
  if (lk == Kind::List && rk == Kind::List && b.op == Op::Add) {
    Ty j = join(l, r);
    return j == Ty::Top ? bad() : j;
  }
  if (lk == Kind::List && b.inplace && b.op == Op::Add && (is_tuple(r) || rk == Kind::Range || rk == Kind::Set)) return l;
  if (is_tuple(l) && is_tuple(r) && b.op == Op::Add && (lk == Kind::TupleN || rk == Kind::TupleN)) {
    Ty j = join(tuple_items_join(l), tuple_items_join(r));
    return j == Ty::Top ? bad() : Ty::tuple_of(j);
  }
  if (b.op == Op::Mult && ((is_tuple(l) && is_integral(r) && b.right->kind != ExprKind::Constant) ||
                           (is_tuple(r) && is_integral(l) && b.left->kind != ExprKind::Constant))) {
    Ty e = tuple_items_join(is_tuple(l) ? l : r);
    return e == Ty::Top ? bad() : Ty::tuple_of(e);
  }
  if (lk == Kind::Tuple && rk == Kind::Tuple && b.op == Op::Add) {
    std::vector<Ty> items = l.args();
    for (Ty t : r.args()) items.push_back(t);
    return Ty::tuple(items);
  }
  if (b.op == Op::Mult && ((lk == Kind::List && is_integral(r)) || (rk == Kind::List && is_integral(l)))) return lk == Kind::List ? l : r;
  if (b.op == Op::Mult && rk == Kind::Tuple && is_integral(l) && b.left->kind == ExprKind::Constant) std::swap(l, r), lk = l.kind();
  if (b.op == Op::Mult && lk == Kind::Tuple && is_integral(r) &&
      (b.right->kind == ExprKind::Constant || b.left->kind == ExprKind::Constant)) {
    int64_t n = static_cast<const Constant &>(b.right->kind == ExprKind::Constant ? *b.right : *b.left).int_value;
    std::vector<Ty> items;
    for (int64_t i = 0; i < n && i < 64; ++i)
      for (Ty t : l.args()) items.push_back(t);
    if (n > 64) {
      error(FallbackCode::Container, "a tuple repeated more than 64 times", "Mult", b.range.line);
      return Ty::Top;
    }
    return Ty::tuple(items);
  }
  if (lk == Kind::Set && rk == Kind::Set &&
      (b.op == Op::BitOr || b.op == Op::BitAnd || b.op == Op::Sub || b.op == Op::BitXor)) {
    Ty j = join(l, r);
    return j == Ty::Top ? bad() : j;
  }
  if (is_text(l) || is_text(r)) {
    // str/bytes: + of two, * by an int, % formatting (printf-style, any right operand)
    if (l == r && b.op == Op::Add) return l;
    if (b.op == Op::Mult && ((is_text(l) && is_integral(r)) || (is_text(r) && is_integral(l)))) return is_text(l) ? l : r;
    if (b.op == Op::Mod && is_text(l) && r.kind() != Kind::Iter) return l;
    if (b.op == Op::Mult && (is_text(l) || is_text(r)) && l.kind() != Kind::Optional && r.kind() != Kind::Optional) {
      Ty other = is_text(l) ? r : l;
      error(FallbackCode::OperandTypes, "can't multiply sequence by non-int of type '" + py_type_name(other) + "'", op_name(b.op),
            b.range.line);
      return Ty::Top;
    }
    if (b.op == Op::Add && is_text(l)) {
      error(FallbackCode::OperandTypes,
            l == Ty::Str ? "can only concatenate str (not \"" + py_type_name(r) + "\") to str"
                         : "can't concat " + py_type_name(r) + " to bytes",
            op_name(b.op), b.range.line);
      return Ty::Top;
    }
  }
  return bad();
}

Ty Solver::object_compare(const Compare &c, Ty l, Ty r) {
  CmpOp op = c.ops[0];
  if (op == CmpOp::In || op == CmpOp::NotIn) {
    Kind k = r.kind();
    if (k == Kind::List || is_tuple(r) || k == Kind::Set || k == Kind::Dict || k == Kind::Range || k == Kind::Iter ||
        r == Ty::Str) {
      if (r == Ty::Str && l != Ty::Str) {
        error(FallbackCode::OperandTypes, "'in <string>' requires string as left operand, not " + ty_name(l), cmp_name(op), c.range.line);
        return Ty::Top;
      }
      return Ty::Bool;
    }
    if (is_byte_buffer(r)) {
      if (!is_byte_buffer(l) && !is_integral(l)) {
        error(FallbackCode::OperandTypes, "a bytes-like object is required, not '" + ty_name(l) + "'", cmp_name(op), c.range.line);
        return Ty::Top;
      }
      return Ty::Bool;
    }
    error(FallbackCode::OperandTypes, "argument of type '" + ty_name(r) + "' is not iterable", cmp_name(op), c.range.line);
    return Ty::Top;
  }
  if (op == CmpOp::Is || op == CmpOp::IsNot) return Ty::Bool;
  if (op == CmpOp::Eq || op == CmpOp::NotEq) return Ty::Bool;
  Kind lk = l.kind(), rk = r.kind();
  if (lk == rk && (lk == Kind::List || lk == Kind::Tuple || lk == Kind::Set || lk == Kind::Str || lk == Kind::TupleN || lk == Kind::Bytes ||
                   lk == Kind::ByteArray))
    return Ty::Bool;
  if (is_byte_buffer(l) && is_byte_buffer(r)) return Ty::Bool;  // bytes against bytearray
  if (is_tuple(l) && is_tuple(r)) return Ty::Bool;
  if (lk == Kind::Optional || rk == Kind::Optional) {
    Ty a = unwrap_optional(l), b = unwrap_optional(r);
    if ((is_numeric(a) && is_numeric(b)) || a == b) return Ty::Bool;
  }
  error(FallbackCode::OperandTypes,
        std::string("'") + cmp_symbol(op) + "' not supported between instances of '" + ty_name(l) + "' and '" + ty_name(r) + "'",
        cmp_name(op), c.range.line);
  return Ty::Top;
}

Ty Solver::method_call(const Call &c, const Attribute &a) {
  Ty self = type(*a.value);
  self = behind_none(self);  // None: AttributeError at run time
  if (is_array(self)) return array_method(c, a, self);
  if (is_np_scalar(self) && dtype_is_complex(self.dtype())) {  // z.conjugate() of a NumPy complex
    arg_types(c);
    if ((a.attr == "conjugate" || a.attr == "conj") && c.args.empty() && c.keywords.empty()) {
      m_spec->calls[&c] = {CallTarget::Kind::Method, nullptr, "conjugate"};
      return self;
    }
    error(FallbackCode::UnsupportedAttribute, "the method ." + a.attr + "() of a " + ty_name(self) + " is not compiled", "Attribute",
          c.range.line, "use .real, .imag, .conjugate() or abs()");
    return Ty::Top;
  }
  if (self == Ty::Complex) {  // z.conjugate()
    arg_types(c);
    if (a.attr == "conjugate" && c.args.empty() && c.keywords.empty()) {
      m_spec->calls[&c] = {CallTarget::Kind::Method, nullptr, a.attr};
      return Ty::Complex;
    }
    error(FallbackCode::UnsupportedAttribute, "'complex' has no method '" + a.attr + "' in compiled code", "Attribute", c.range.line);
    return Ty::Top;
  }
  std::vector<Ty> args = arg_types(c);
  if (self == Ty::Bottom) return Ty::Bottom;
  if (self == Ty::Top) return Ty::Top;
  const MethodRule *rule = is_object(self) ? find_method(self.kind(), a.attr) : nullptr;
  if (!rule) {
    if (self == Ty::Str)
      error(FallbackCode::String, "the string method str." + a.attr + "() is not supported in compiled code yet", "str." + a.attr,
            c.range.line);
    else
      error(FallbackCode::UnsupportedAttribute, "'" + ty_name(self) + "' has no method '" + a.attr + "' in compiled code",
            "Attribute", c.range.line);
    return Ty::Top;
  }
  if (int(args.size()) < rule->min_args || int(args.size()) > rule->max_args) {
    error(FallbackCode::UnsupportedCall,
          ty_name(self) + "." + a.attr + "() with " + std::to_string(args.size()) + " arguments is not supported", a.attr, c.range.line);
    return Ty::Top;
  }
  for (auto &k : c.keywords)
    if (std::string(rule->keywords) == "*") continue;  // str.format(**kw): any name
    else if (std::string(",") + rule->keywords + "," == ",," ||
        (std::string(",") + rule->keywords + ",").find("," + k.arg + ",") == std::string::npos) {
      error(FallbackCode::UnsupportedCall, a.attr + "() with the keyword " + k.arg + "= is not supported", a.attr, c.range.line);
      return Ty::Top;
    }
  if (any_unknown(args)) return Ty::Bottom;
  for (Ty t : args)
    if (has_top(t)) return Ty::Top;
  for (auto &k : c.keywords) {
    if (k.arg == "key" && k.value->kind == ExprKind::Lambda &&
        lambda_key(static_cast<const Lambda &>(*k.value), self.args().empty() ? Ty::Top : self.elem()) == Ty::Top)
      return Ty::Top;
    if (k.arg == "key" && self.kind() == Kind::List) native_key(*k.value, self.elem());
  }
  std::string why;
  Ty grown = rule->grows(self, args);
  if (rule->grows != rules::same) refine(*a.value, grown, c.range.line, unparse(c));
  Ty self_now = grown;
  Ty r = rule->result(self_now, args, why);
  if (r == Ty::Top) {
    error(FallbackCode::OperandTypes, ty_name(self) + "." + a.attr + "(): " + (why.empty() ? "unsupported argument types" : why),
          a.attr, c.range.line);
    return Ty::Top;
  }
  m_spec->calls[&c] = {CallTarget::Kind::Method, nullptr, a.attr};
  m_spec->calls[&c].rule = rule;
  return r;
}

// Builtins over containers. Top with no call recorded: not ours (the scalar builtins go on).
Ty Solver::object_builtin(const Call &c, const std::string &name, bool &handled) {
  static const std::set<std::string> ours = {"len", "sum", "sorted", "any", "all", "list", "tuple", "set", "dict",
                                             "isinstance", "enumerate", "zip", "reversed", "range", "min", "max"};
  if (!ours.count(name)) return Ty::Top;
  // min/max over several scalars stay with the scalar rules.
  if ((name == "min" || name == "max") && c.args.size() != 1) return Ty::Top;
  handled = true;
  if (name == "range") {  // range as a value (a for loop's own range() is a counted loop)
    m_spec->calls[&c] = {CallTarget::Kind::Builtin, nullptr, name};
    for (auto &a : c.args) {
      Ty t = type(*a);
      if (t != Ty::Bottom && t != Ty::Top && !is_integral(t)) {
        error(FallbackCode::OperandTypes, "'" + ty_name(t) + "' object cannot be interpreted as an integer", "range", a->range.line);
        return Ty::Top;
      }
    }
    if (c.args.empty() || c.args.size() > 3 || !c.keywords.empty()) {
      error(FallbackCode::UnsupportedCall, "range() takes 1 to 3 positional arguments", "range", c.range.line);
      return Ty::Top;
    }
    return Ty::Range;
  }
  if (name == "isinstance") {  // isinstance(x, int) / (x, (int, float)): builtin type names
    m_spec->calls[&c] = {CallTarget::Kind::Builtin, nullptr, name};
    if (c.args.size() != 2 || !c.keywords.empty()) {
      error(FallbackCode::UnsupportedCall, "isinstance() takes 2 arguments", name, c.range.line);
      return Ty::Top;
    }
    Ty x = type(*c.args[0]);
    std::vector<const Expr *> names;
    if (c.args[1]->kind == ExprKind::Tuple)
      for (auto &e : static_cast<const Tuple &>(*c.args[1]).elts) names.push_back(e.get());
    else
      names.push_back(c.args[1].get());
    static const std::set<std::string> types = {"int", "float", "bool", "str", "list", "tuple", "dict", "set", "range", "object"};
    for (const Expr *n : names)
      if (n->kind != ExprKind::Name || !types.count(static_cast<const Name &>(*n).id) ||
          !is_builtin_name(static_cast<const Name &>(*n).id, static_cast<const Name &>(*n).id.c_str())) {
        error(FallbackCode::UnsupportedCall, "isinstance() is compiled against builtin types only", name, c.range.line);
        return Ty::Top;
      }
    return x == Ty::Bottom ? Ty::Bottom : Ty::Bool;
  }
  if (name == "zip" && c.args.size() == 1 && c.args[0]->kind == ExprKind::Starred) {
    // zip(*rows): tuples of the rows' items, as many as the shortest row has
    m_spec->calls[&c] = {CallTarget::Kind::Builtin, nullptr, name};
    const Expr &rows_e = *static_cast<const Starred &>(*c.args[0]).value;
    Ty rows = type(rows_e);
    record(*c.args[0], rows);
    if (rows == Ty::Bottom) return Ty::Bottom;
    if (has_top(rows)) return Ty::Top;
    Ty row = elem_of(rows, rows_e);
    if (row == Ty::Top) return Ty::Top;
    Ty item = row == Ty::Bottom ? Ty::Bottom : elem_of(row, rows_e);
    if (item == Ty::Top) return Ty::Top;
    return Ty::make(Kind::Iter, {Ty::tuple_of(item)});
  }
  std::vector<Ty> args;
  for (auto &a : c.args) args.push_back(type(*a));
  std::vector<std::pair<std::string, Ty>> kws;
  for (auto &k : c.keywords)
    kws.push_back({k.arg, k.arg == "key" && (key_function(*k.value) || k.value->kind == ExprKind::Lambda || str_method_ref(*k.value))
                              ? Ty::None : type(*k.value)});
  m_spec->calls[&c] = {CallTarget::Kind::Builtin, nullptr, name};
  auto fail = [&](const std::string &why) {
    error(FallbackCode::UnsupportedCall, name + "(): " + why, name, c.range.line);
    return Ty::Top;
  };
  for (Ty t : args)
    if (t == Ty::Bottom) return Ty::Bottom;
  for (Ty t : args)
    if (has_top(t)) return Ty::Top;
  auto elem = [&](size_t i) { return elem_of(args[i], *c.args[i]); };
  auto key_ok = [&](Ty el) -> bool {
    for (size_t i = 0; i < kws.size(); ++i) {
      const std::string &k = kws[i].first;
      Ty t = kws[i].second;
      if (k == "reverse" && (name == "sorted")) {
        if (!is_integral(t)) return fail("reverse must be a bool"), false;
        continue;
      }
      if (k == "key" && (name == "sorted" || name == "min" || name == "max")) {
        const Expr &f = *c.keywords[i].value;
        if (f.kind == ExprKind::Constant && static_cast<const Constant &>(f).value_kind == Constant::Kind::None) continue;
        if (f.kind == ExprKind::Lambda) {
          Ty kt = lambda_key(static_cast<const Lambda &>(f), el);
          if (kt == Ty::Top) return false;
          for (auto &[k2, t2] : kws)
            if (k2 == "default") return fail("default= with a key= lambda is not compiled"), false;
          continue;
        }
        if (str_method_ref(f)) {
          if (el != Ty::Str && el != Ty::Bottom) return fail("key=str." + static_cast<const Attribute &>(f).attr + " over items of type " + ty_name(el)), false;
          continue;
        }
        if (!key_function(f)) return fail("key= must name a jitted function or a builtin in compiled code"), false;
        native_key(f, el);
        continue;
      }
      if (k == "default" && (name == "min" || name == "max")) continue;
      if (k == "start" && name == "sum") continue;
      return fail("the keyword " + k + "= is not supported"), false;
    }
    return true;
  };
  if (name == "len") {
    if (args.size() != 1 || !kws.empty()) return fail("takes exactly one argument");
    if (is_object(args[0])) return Ty::Int;
    error(FallbackCode::OperandTypes, "object of type '" + ty_name(args[0]) + "' has no len()", name, c.range.line);
    return Ty::Top;
  }
  if (args.empty()) {
    if (name == "list") return Ty::list(Ty::Bottom);
    if (name == "set") return Ty::set(Ty::Bottom);
    if (name == "dict" && kws.empty()) return Ty::dict(Ty::Bottom, Ty::Bottom);
    if (name == "tuple") return Ty::tuple({});
    return fail("needs an argument");
  }
  if (name == "zip") {
    std::vector<Ty> items;
    for (size_t i = 0; i < args.size(); ++i) {
      Ty e = elem(i);
      if (e == Ty::Top) return Ty::Top;
      items.push_back(e);
    }
    if (!kws.empty()) return fail("keywords are not supported");
    return Ty::make(Kind::Iter, {Ty::tuple(items)});
  }
  if (args.size() > 2 || (args.size() == 2 && name != "enumerate" && name != "sum")) return fail("too many arguments");
  Ty el = elem(0);
  if (el == Ty::Top) return Ty::Top;
  if (!key_ok(el)) return Ty::Top;
  if (name == "enumerate") {
    if (args.size() == 2 && !is_integral(args[1])) return fail("start must be an int");
    return Ty::make(Kind::Iter, {Ty::tuple({Ty::Int, el})});
  }
  if (name == "reversed") {
    Kind k = args[0].kind();
    if (k != Kind::List && !is_tuple(args[0]) && k != Kind::Range && k != Kind::Dict && k != Kind::Str && k != Kind::Bytes)
      return fail("'" + ty_name(args[0]) + "' object is not reversible");
    return Ty::make(Kind::Iter, {el});
  }
  if (name == "sum") {
    Ty start = args.size() == 2 ? args[1] : Ty::Int;
    for (auto &[k, t] : kws)
      if (k == "start") start = t;
    if (el == Ty::Bottom) return start;
    DType de, ds;
    if ((is_np_scalar(el) || is_np_scalar(start)) && scalar_dtype(el, &de) && scalar_dtype(start, &ds)) {
      // NumPy scalars (the items of an ndarray): start + x0 + x1 + ... with NumPy's promotion, a
      // NumPy scalar once there is an item (an empty one gives `start`: checked where CPython's
      // sum returns, so that call reruns in CPython)
      DType d = promote(ds, de);
      return Ty::np_scalar(d == DType::Bool ? DType::I64 : d);
    }
    if (!is_numeric(el) || !is_numeric(start)) return fail("sums numbers only in compiled code, not " + ty_name(el));
    return el == Ty::Float || start == Ty::Float ? Ty::Float : Ty::Int;
  }
  if (name == "any" || name == "all") return Ty::Bool;
  if (name == "sorted") return Ty::list(el);
  if (name == "list") return Ty::list(el);
  if (name == "set") {
    if (el.kind() == Kind::List || el.kind() == Kind::Dict || el.kind() == Kind::Set)
      return fail("unhashable type: '" + std::string(el.kind() == Kind::List ? "list" : el.kind() == Kind::Dict ? "dict" : "set") + "'");
    return Ty::set(el);
  }
  if (name == "tuple") {
    if (is_tuple(args[0])) return args[0];
    return Ty::tuple_of(el);
  }
  if (name == "dict") {
    if (args[0].kind() == Kind::Dict) return args[0];
    if (el.kind() == Kind::Tuple && el.args().size() == 2) return Ty::dict(el.args()[0], el.args()[1]);
    return fail("dict() of a " + ty_name(args[0]));
  }
  if (name == "min" || name == "max") {
    for (auto &[k, t] : kws)
      if (k == "default") {
        Ty j = join(el, t);
        if (j == Ty::Top) return fail("the default's type differs from the elements'");
        return j;
      }
    return el == Ty::Bottom ? Ty::None : el;  // an empty container: ValueError at run time
  }
  return fail("not supported");
}

}  // namespace typing
}  // namespace pyvorin
