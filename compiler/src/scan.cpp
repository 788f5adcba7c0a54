// Statement scans for infer: whether execution can continue after a body (for the implicit
// `return None`), and which names a function assigns (its locals).
#include "types.h"

namespace pyvorin {

using namespace ast;

namespace {

// Can execution continue after this statement?
bool contains_break(const Body &b);
bool completes(const Stmt &s) {
  switch (s.kind) {
    case StmtKind::Return: case StmtKind::Break: case StmtKind::Continue: return false;
    case StmtKind::ExprStmt: {  // raise (parse.cpp: $raise(...)) never completes
      const Expr &v = *static_cast<const ExprStmt &>(s).value;
      return !(v.kind == ExprKind::Call && static_cast<const Call &>(v).func->kind == ExprKind::Name &&
               static_cast<const Name &>(*static_cast<const Call &>(v).func).id == "$raise");
    }
    case StmtKind::If: {
      auto &n = static_cast<const If &>(s);
      auto body_completes = [](const Body &b) {
        for (auto &x : b)
          if (!completes(*x)) return false;
        return true;
      };
      if (n.with) return body_completes(n.body);  // a with block's body always runs
      return body_completes(n.body) || body_completes(n.orelse);
    }
    case StmtKind::While: {
      auto &n = static_cast<const While &>(s);
      bool always = false;
      if (n.test->kind == ExprKind::Constant) {
        auto &c = static_cast<const Constant &>(*n.test);
        always = (c.value_kind == Constant::Kind::Bool && c.bool_value) || (c.value_kind == Constant::Kind::Int && c.int_value != 0);
      }
      return !always || contains_break(n.body);
    }
    default: return true;
  }
}
bool contains_break(const Body &b) {
  for (auto &s : b) {
    if (s->kind == StmtKind::Break) return true;
    if (s->kind == StmtKind::If) {
      auto &n = static_cast<const If &>(*s);
      if (contains_break(n.body) || contains_break(n.orelse)) return true;
    }
  }
  return false;
}

}  // namespace

bool ends_statically(const Stmt &s, const std::unordered_map<const Expr *, bool> &static_tests) {
  if (s.kind != StmtKind::If) return false;
  auto &n = static_cast<const If &>(s);
  auto it = static_tests.find(n.test.get());
  return it != static_tests.end() && !body_completes(it->second ? n.body : n.orelse);
}

bool body_completes(const Body &b) {
  for (auto &s : b)
    if (!completes(*s)) return false;
  return true;
}

namespace {

void collect_target(const Expr &t, std::set<std::string> &out);

// Names an expression binds: walrus targets, and the (renamed, see normalise) targets of
// comprehensions, which live in the function's frame.
void collect_expr_locals(const Expr &e, std::set<std::string> &out) {
  if (e.kind == ExprKind::NamedExpr) out.insert(static_cast<const NamedExpr &>(e).target);
  if (e.kind == ExprKind::Lambda)
    for (auto &p : static_cast<const Lambda &>(e).params) out.insert(p);
  if (e.kind == ExprKind::ListComp || e.kind == ExprKind::SetComp || e.kind == ExprKind::DictComp ||
      e.kind == ExprKind::GeneratorExp)
    for (auto &g : static_cast<const Comp &>(e).generators) collect_target(*g.target, out);
  for_each_child(e, [&](const Expr &c) { collect_expr_locals(c, out); });
}

void collect_target(const Expr &t, std::set<std::string> &out) {
  if (t.kind == ExprKind::Name) out.insert(static_cast<const Name &>(t).id);
  if (t.kind == ExprKind::Tuple || t.kind == ExprKind::List)
    for (auto &x : t.kind == ExprKind::Tuple ? static_cast<const Tuple &>(t).elts : static_cast<const List &>(t).elts)
      collect_target(*x, out);
  if (t.kind == ExprKind::Starred) collect_target(*static_cast<const Starred &>(t).value, out);
}
}  // namespace

void collect_locals(const Body &b, std::set<std::string> &out) {
  for (auto &s : b) {
    switch (s->kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(*s);
        for (auto &t : a.targets) {
          collect_target(*t, out);
          collect_expr_locals(*t, out);
        }
        collect_expr_locals(*a.value, out);
        break;
      }
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(*s);
        if (a.target->kind == ExprKind::Name) out.insert(static_cast<const Name &>(*a.target).id);
        if (a.value) collect_expr_locals(*a.value, out);
        break;
      }
      case StmtKind::Return:
        if (auto &v = static_cast<const Return &>(*s).value) collect_expr_locals(*v, out);
        break;
      case StmtKind::ExprStmt: collect_expr_locals(*static_cast<const ExprStmt &>(*s).value, out); break;
      case StmtKind::Delete:
        for (auto &t : static_cast<const Delete &>(*s).targets) {
          collect_target(*t, out);
          collect_expr_locals(*t, out);
        }
        break;
      case StmtKind::If: {
        auto &n = static_cast<const If &>(*s);
        collect_expr_locals(*n.test, out);
        collect_locals(n.body, out);
        collect_locals(n.orelse, out);
        break;
      }
      case StmtKind::While: {
        auto &n = static_cast<const While &>(*s);
        collect_expr_locals(*n.test, out);
        collect_locals(n.body, out);
        collect_locals(n.orelse, out);
        break;
      }
      case StmtKind::For: {
        auto &n = static_cast<const For &>(*s);
        collect_target(*n.target, out);
        collect_expr_locals(*n.iter, out);
        collect_locals(n.body, out);
        collect_locals(n.orelse, out);
        break;
      }
      default: break;
    }
  }
}

}  // namespace pyvorin
