// unparse: an expression back as Python source text, for the type trace and diagnostics (with
// the parentheses Python's precedence needs, and literals by their repr).
#include <string>

#include "types.h"

namespace pyvorin {

using namespace ast;

namespace {

int precedence(const Expr &e) {
  switch (e.kind) {
    case ExprKind::BoolOp: return 1;
    case ExprKind::Compare: return 3;
    case ExprKind::BinOp: {
      switch (static_cast<const BinOp &>(e).op) {
        case Op::BitOr: return 4;
        case Op::BitXor: return 5;
        case Op::BitAnd: return 6;
        case Op::LShift: case Op::RShift: return 7;
        case Op::Add: case Op::Sub: return 8;
        case Op::Pow: return 10;
        default: return 9;
      }
    }
    case ExprKind::UnaryOp: return 9;
    case ExprKind::IfExp: return 0;
    default: return 11;
  }
}

std::string paren(const Expr &e, int outer) {
  std::string s = unparse(e);
  return precedence(e) < outer ? "(" + s + ")" : s;
}

}  // namespace

// The text inside f'...' for a `$fstring` call (parse.cpp): literal parts with braces doubled,
// replacement fields as {value!conversion:spec}.
std::string fstring_body(const Call &c) {
  std::string s;
  for (auto &a : c.args) {
    if (a->kind == ExprKind::Constant) {
      for (char ch : static_cast<const Constant &>(*a).str_value) s += ch == '{' ? "{{" : ch == '}' ? "}}" : std::string(1, ch);
      continue;
    }
    auto &f = static_cast<const Call &>(*a);  // $format(value[, spec])
    const Expr *v = f.args[0].get();
    std::string conv;
    if (v->kind == ExprKind::Call && static_cast<const Call &>(*v).func->kind == ExprKind::Name) {
      const std::string &id = static_cast<const Name &>(*static_cast<const Call &>(*v).func).id;
      if (id == "$str" || id == "$repr" || id == "$ascii") {
        conv = "!" + id.substr(1, 1);
        v = static_cast<const Call &>(*v).args[0].get();
      }
    }
    s += "{" + unparse(*v) + conv;
    if (f.args.size() > 1) s += ":" + fstring_body(static_cast<const Call &>(*f.args[1]));
    s += "}";
  }
  return s;
}

std::string unparse(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Constant: {
      auto &c = static_cast<const Constant &>(e);
      switch (c.value_kind) {
        case Constant::Kind::Int: return std::to_string(c.int_value);
        case Constant::Kind::Float: {
          char buf[40];
          pv_format_float(c.float_value, buf, sizeof buf);
          return buf;
        }
        case Constant::Kind::Bool: return c.bool_value ? "True" : "False";
        case Constant::Kind::None: return "None";
        case Constant::Kind::Str: return c.repr;
        case Constant::Kind::BigInt: return c.str_value;
        case Constant::Kind::Bytes: case Constant::Kind::Complex: return c.repr;
      }
      return "?";
    }
    case ExprKind::Name: return static_cast<const Name &>(e).id;
    case ExprKind::BinOp: {
      auto &b = static_cast<const BinOp &>(e);
      int p = precedence(e);
      return paren(*b.left, p) + " " + op_symbol(b.op) + " " + paren(*b.right, p + 1);
    }
    case ExprKind::UnaryOp: {
      auto &u = static_cast<const UnaryOp &>(e);
      const char *s = u.op == UnaryOpKind::Not ? "not " : u.op == UnaryOpKind::USub ? "-" : u.op == UnaryOpKind::UAdd ? "+" : "~";
      return s + paren(*u.operand, 9);
    }
    case ExprKind::BoolOp: {
      auto &b = static_cast<const BoolOp &>(e);
      std::string s;
      for (auto &v : b.values) s += (s.empty() ? "" : (b.op == BoolOpKind::And ? " and " : " or ")) + paren(*v, 2);
      return s;
    }
    case ExprKind::Compare: {
      auto &c = static_cast<const Compare &>(e);
      std::string s = paren(*c.left, 4);
      for (size_t i = 0; i < c.ops.size(); ++i) s += std::string(" ") + cmp_symbol(c.ops[i]) + " " + paren(*c.comparators[i], 4);
      return s;
    }
    case ExprKind::Call: {
      auto &c = static_cast<const Call &>(e);
      if (c.func->kind == ExprKind::Name && static_cast<const Name &>(*c.func).id == "$fstring") return "f'" + fstring_body(c) + "'";
      std::string s = unparse(*c.func) + "(";
      bool first = true;
      for (auto &a : c.args) s += (first ? "" : ", ") + unparse(*a), first = false;
      for (auto &k : c.keywords) s += (first ? "" : ", ") + k.arg + "=" + unparse(*k.value), first = false;
      return s + ")";
    }
    case ExprKind::IfExp: {
      auto &n = static_cast<const IfExp &>(e);
      return paren(*n.body, 1) + " if " + paren(*n.test, 1) + " else " + paren(*n.orelse, 0);
    }
    case ExprKind::Attribute: {
      auto &a = static_cast<const Attribute &>(e);
      return unparse(*a.value) + "." + a.attr;
    }
    case ExprKind::NamedExpr: {
      auto &n = static_cast<const NamedExpr &>(e);
      return "(" + n.target + " := " + unparse(*n.value) + ")";
    }
    case ExprKind::Tuple: {
      std::string s;
      for (auto &v : static_cast<const Tuple &>(e).elts) s += (s.empty() ? "" : ", ") + unparse(*v);
      return "(" + s + ")";
    }
    case ExprKind::List: case ExprKind::Set: {
      const auto &elts = e.kind == ExprKind::List ? static_cast<const List &>(e).elts : static_cast<const SetExpr &>(e).elts;
      std::string s;
      for (auto &v : elts) s += (s.empty() ? "" : ", ") + unparse(*v);
      return e.kind == ExprKind::List ? "[" + s + "]" : "{" + s + "}";
    }
    case ExprKind::Dict: {
      auto &d = static_cast<const Dict &>(e);
      std::string s;
      for (size_t i = 0; i < d.values.size(); ++i)
        s += (i ? ", " : "") + (d.keys[i] ? unparse(*d.keys[i]) + ": " : std::string("**")) + unparse(*d.values[i]);
      return "{" + s + "}";
    }
    case ExprKind::Subscript: {
      auto &x = static_cast<const Subscript &>(e);
      std::string idx = unparse(*x.slice);
      if (x.slice->kind == ExprKind::Tuple && idx.size() >= 2) idx = idx.substr(1, idx.size() - 2);
      return paren(*x.value, 10) + "[" + idx + "]";
    }
    case ExprKind::Slice: {
      auto &x = static_cast<const Slice &>(e);
      std::string s = (x.lower ? unparse(*x.lower) : "") + ":" + (x.upper ? unparse(*x.upper) : "");
      if (x.step) s += ":" + unparse(*x.step);
      return s;
    }
    case ExprKind::Starred: return "*" + unparse(*static_cast<const Starred &>(e).value);
    case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: {
      auto &c = static_cast<const Comp &>(e);
      std::string s = c.elt ? unparse(*c.elt) : unparse(*c.key) + ": " + unparse(*c.value);
      for (auto &g : c.generators) {
        std::string t = unparse(*g.target);
        if (g.target->kind == ExprKind::Tuple && t.size() >= 2) t = t.substr(1, t.size() - 2);
        s += " for " + t + " in " + unparse(*g.iter);
        for (auto &i : g.ifs) s += " if " + unparse(*i);
      }
      if (e.kind == ExprKind::ListComp) return "[" + s + "]";
      if (e.kind == ExprKind::GeneratorExp) return "(" + s + ")";
      return "{" + s + "}";
    }
    case ExprKind::Lambda: {
      auto &l = static_cast<const Lambda &>(e);
      std::string ps;
      for (auto &p : l.params) ps += (ps.empty() ? "" : ", ") + p.substr(p.find('.') == std::string::npos ? 0 : p.find('.') + 1);
      return "lambda " + ps + ": " + unparse(*l.body);
    }
    case ExprKind::Unsupported: return static_cast<const UnsupportedExpr &>(e).construct + "(...)";
  }
  return "?";
}

}  // namespace pyvorin
