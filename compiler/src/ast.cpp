// AST helpers: operator names and the tree printer used by the report and inspect_ast().
#include "pyvorin/ast.h"

#include <sstream>

namespace pyvorin::ast {

const char *op_name(Op op) {
  static const char *names[] = {"Add", "Sub", "Mult", "Div", "FloorDiv", "Mod", "Pow",
                                "LShift", "RShift", "BitOr", "BitXor", "BitAnd", "MatMult"};
  return names[int(op)];
}
const char *op_symbol(Op op) {
  static const char *syms[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "|", "^", "&", "@"};
  return syms[int(op)];
}
const char *unary_name(UnaryOpKind op) {
  static const char *names[] = {"Invert", "Not", "UAdd", "USub"};
  return names[int(op)];
}
const char *cmp_name(CmpOp op) {
  static const char *names[] = {"Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "Is", "IsNot", "In", "NotIn"};
  return names[int(op)];
}
const char *cmp_symbol(CmpOp op) {
  static const char *syms[] = {"==", "!=", "<", "<=", ">", ">=", "is", "is not", "in", "not in"};
  return syms[int(op)];
}

namespace {

// Renders one node per line; children are drawn with box characters like `tree`.
class Dumper {
 public:
  std::string str() const { return m_out.str(); }

  void line(const std::string &prefix, bool last, const std::string &text, int lineno) {
    m_out << prefix << (m_top ? "" : (last ? "└─ " : "├─ ")) << text;
    if (lineno > 0) m_out << "  @" << lineno;
    m_out << "\n";
  }

  std::string child_prefix(const std::string &prefix, bool last) {
    if (m_top) return prefix;
    return prefix + (last ? "   " : "│  ");
  }

  void function(const FunctionDef &fn) {
    std::string args;
    for (const auto &a : fn.args) args += (args.empty() ? "" : ", ") + a.name;
    m_top = true;
    line("", true, "FunctionDef(name='" + fn.name + "')", fn.range.line);
    m_top = false;
    line("", fn.body.empty(), "arguments(args=[" + args + "])", 0);
    body("", fn.body);
  }

  void body(const std::string &prefix, const Body &stmts) {
    for (size_t i = 0; i < stmts.size(); ++i) stmt(prefix, *stmts[i], i + 1 == stmts.size());
  }

  void labelled_body(const std::string &prefix, bool last, const char *label, const Body &b) {
    line(prefix, last, label, 0);
    body(child_prefix(prefix, last), b);
  }

  void stmt(const std::string &prefix, const Stmt &s, bool last) {
    std::string cp = child_prefix(prefix, last);
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        line(prefix, last, "Assign", s.range.line);
        for (const auto &t : a.targets) expr(cp, *t, false);
        expr(cp, *a.value, true);
        break;
      }
      case StmtKind::AugAssign: {
        auto &a = static_cast<const AugAssign &>(s);
        line(prefix, last, std::string("AugAssign(op=") + op_name(a.op) + ")", s.range.line);
        expr(cp, *a.target, false);
        expr(cp, *a.value, true);
        break;
      }
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(s);
        line(prefix, last, "AnnAssign", s.range.line);
        expr(cp, *a.target, !a.value);
        if (a.value) expr(cp, *a.value, true);
        break;
      }
      case StmtKind::Return: {
        auto &r = static_cast<const Return &>(s);
        line(prefix, last, "Return", s.range.line);
        if (r.value) expr(cp, *r.value, true);
        break;
      }
      case StmtKind::If: {
        auto &n = static_cast<const If &>(s);
        line(prefix, last, "If", s.range.line);
        expr(cp, *n.test, false);
        labelled_body(cp, n.orelse.empty(), "body", n.body);
        if (!n.orelse.empty()) labelled_body(cp, true, "orelse", n.orelse);
        break;
      }
      case StmtKind::While: {
        auto &n = static_cast<const While &>(s);
        line(prefix, last, "While", s.range.line);
        expr(cp, *n.test, false);
        labelled_body(cp, n.orelse.empty(), "body", n.body);
        if (!n.orelse.empty()) labelled_body(cp, true, "orelse", n.orelse);
        break;
      }
      case StmtKind::For: {
        auto &n = static_cast<const For &>(s);
        line(prefix, last, "For", s.range.line);
        expr(cp, *n.target, false);
        expr(cp, *n.iter, false);
        labelled_body(cp, n.orelse.empty(), "body", n.body);
        if (!n.orelse.empty()) labelled_body(cp, true, "orelse", n.orelse);
        break;
      }
      case StmtKind::Break: line(prefix, last, "Break", s.range.line); break;
      case StmtKind::Continue: line(prefix, last, "Continue", s.range.line); break;
      case StmtKind::Pass: line(prefix, last, "Pass", s.range.line); break;
      case StmtKind::ExprStmt:
        line(prefix, last, "Expr", s.range.line);
        expr(cp, *static_cast<const ExprStmt &>(s).value, true);
        break;
      case StmtKind::Delete: {
        auto &d = static_cast<const Delete &>(s);
        line(prefix, last, "Delete", s.range.line);
        for (size_t i = 0; i < d.targets.size(); ++i) expr(cp, *d.targets[i], i + 1 == d.targets.size());
        break;
      }
      case StmtKind::FunctionDef:
        line(prefix, last, "FunctionDef(name='" + static_cast<const FunctionDef &>(s).name + "')", s.range.line);
        break;
      case StmtKind::Unsupported:
        line(prefix, last, static_cast<const UnsupportedStmt &>(s).construct + "  [unsupported]", s.range.line);
        break;
    }
  }

  void expr(const std::string &prefix, const Expr &e, bool last) {
    std::string cp = child_prefix(prefix, last);
    switch (e.kind) {
      case ExprKind::Constant: {
        auto &c = static_cast<const Constant &>(e);
        std::string v;
        switch (c.value_kind) {
          case Constant::Kind::Int: v = std::to_string(c.int_value); break;
          case Constant::Kind::Float: {
            std::ostringstream os;
            os.precision(17);
            os << c.float_value;
            v = os.str();
            break;
          }
          case Constant::Kind::Bool: v = c.bool_value ? "True" : "False"; break;
          case Constant::Kind::None: v = "None"; break;
          case Constant::Kind::Str: v = c.repr; break;
          case Constant::Kind::BigInt: v = c.str_value; break;
          case Constant::Kind::Bytes: case Constant::Kind::Complex: v = c.repr; break;
        }
        line(prefix, last, "Constant(value=" + v + ")", 0);
        break;
      }
      case ExprKind::Name: line(prefix, last, "Name(id='" + static_cast<const Name &>(e).id + "')", 0); break;
      case ExprKind::BinOp: {
        auto &b = static_cast<const BinOp &>(e);
        line(prefix, last, std::string("BinOp(op=") + op_name(b.op) + ")", 0);
        expr(cp, *b.left, false);
        expr(cp, *b.right, true);
        break;
      }
      case ExprKind::UnaryOp: {
        auto &u = static_cast<const UnaryOp &>(e);
        line(prefix, last, std::string("UnaryOp(op=") + unary_name(u.op) + ")", 0);
        expr(cp, *u.operand, true);
        break;
      }
      case ExprKind::BoolOp: {
        auto &b = static_cast<const BoolOp &>(e);
        line(prefix, last, std::string("BoolOp(op=") + (b.op == BoolOpKind::And ? "And" : "Or") + ")", 0);
        for (size_t i = 0; i < b.values.size(); ++i) expr(cp, *b.values[i], i + 1 == b.values.size());
        break;
      }
      case ExprKind::Compare: {
        auto &c = static_cast<const Compare &>(e);
        std::string ops;
        for (auto op : c.ops) ops += (ops.empty() ? "" : ", ") + std::string(cmp_name(op));
        line(prefix, last, "Compare(ops=[" + ops + "])", 0);
        expr(cp, *c.left, false);
        for (size_t i = 0; i < c.comparators.size(); ++i) expr(cp, *c.comparators[i], i + 1 == c.comparators.size());
        break;
      }
      case ExprKind::Call: {
        auto &c = static_cast<const Call &>(e);
        line(prefix, last, "Call", 0);
        expr(cp, *c.func, c.args.empty() && c.keywords.empty());
        for (size_t i = 0; i < c.args.size(); ++i) expr(cp, *c.args[i], i + 1 == c.args.size() && c.keywords.empty());
        for (size_t i = 0; i < c.keywords.size(); ++i) {
          bool kl = i + 1 == c.keywords.size();
          line(cp, kl, "keyword(arg='" + c.keywords[i].arg + "')", 0);
          expr(child_prefix(cp, kl), *c.keywords[i].value, true);
        }
        break;
      }
      case ExprKind::IfExp: {
        auto &n = static_cast<const IfExp &>(e);
        line(prefix, last, "IfExp", 0);
        expr(cp, *n.test, false);
        expr(cp, *n.body, false);
        expr(cp, *n.orelse, true);
        break;
      }
      case ExprKind::Attribute: {
        auto &a = static_cast<const Attribute &>(e);
        line(prefix, last, "Attribute(attr='" + a.attr + "')", 0);
        expr(cp, *a.value, true);
        break;
      }
      case ExprKind::NamedExpr: {
        auto &n = static_cast<const NamedExpr &>(e);
        line(prefix, last, "NamedExpr(target='" + n.target + "')", 0);
        expr(cp, *n.value, true);
        break;
      }
      case ExprKind::Tuple: {
        auto &t = static_cast<const Tuple &>(e);
        line(prefix, last, "Tuple", 0);
        for (size_t i = 0; i < t.elts.size(); ++i) expr(cp, *t.elts[i], i + 1 == t.elts.size());
        break;
      }
      case ExprKind::Unsupported:
        line(prefix, last, static_cast<const UnsupportedExpr &>(e).construct + "  [unsupported]", e.range.line);
        break;
      default: {
        static const char *names[] = {"List", "Set", "Dict", "Subscript", "Slice", "Starred", "ListComp", "SetComp",
                                      "DictComp", "GeneratorExp", "Lambda"};
        line(prefix, last, names[int(e.kind) - int(ExprKind::List)], 0);
        std::vector<const Expr *> kids;
        for_each_child(e, [&](const Expr &c) { kids.push_back(&c); });
        for (size_t i = 0; i < kids.size(); ++i) expr(cp, *kids[i], i + 1 == kids.size());
      }
    }
  }

 private:
  std::ostringstream m_out;
  bool m_top = false;
};

}  // namespace

std::string dump(const FunctionDef &fn) {
  Dumper d;
  d.function(fn);
  return d.str();
}

}  // namespace pyvorin::ast
