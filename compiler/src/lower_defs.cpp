// lower (definite assignment): which reads of a local may find it unbound. Only those reads get an
// UnboundLocalError check, and only variables with such a read get a "bound" flag: a function whose
// locals are all assigned before use lowers to plain loads and stores, with no flag allocas, flag
// stores or check branches (each of which made every later pass slower on long functions).
//
// A forward walk over the tree in evaluation order with the set of names assigned on every path to
// the current point (`del` is compiled only for subscripts, so the set only grows along a path). Joins
// intersect; a path that ended (return, break, continue) joins as "everything". Loop bodies start
// from the state before the loop, which is contained in the state at every later iteration.
#include "lower.h"

namespace pyvorin {
namespace {

using namespace ast;

struct State {
  std::set<std::string> defs;
  bool dead = false;  // no path reaches this point
};

State join(const State &a, const State &b) {
  if (a.dead) return b;
  if (b.dead) return a;
  State out;
  for (auto &n : a.defs)
    if (b.defs.count(n)) out.defs.insert(n);
  return out;
}

bool always_true(const Expr &e) {
  if (e.kind != ExprKind::Constant) return false;
  auto &c = static_cast<const Constant &>(e);
  return (c.value_kind == Constant::Kind::Bool && c.bool_value) || (c.value_kind == Constant::Kind::Int && c.int_value != 0);
}

class DefiniteAssignment {
 public:
  explicit DefiniteAssignment(std::set<const Name *> &out) : m_out(out) {}

  void body(const Body &b, State &s) {
    for (auto &st : b) stmt(*st, s);
  }

  void expr(const Expr &e, State &s) {
    switch (e.kind) {
      case ExprKind::Name: {
        auto &n = static_cast<const Name &>(e);
        if (!s.dead && !s.defs.count(n.id)) m_out.insert(&n);
        break;
      }
      case ExprKind::NamedExpr: {
        auto &n = static_cast<const NamedExpr &>(e);
        expr(*n.value, s);
        s.defs.insert(n.target);
        break;
      }
      case ExprKind::BinOp: {
        auto &b = static_cast<const BinOp &>(e);
        expr(*b.left, s);
        expr(*b.right, s);
        break;
      }
      case ExprKind::UnaryOp: expr(*static_cast<const UnaryOp &>(e).operand, s); break;
      case ExprKind::Compare: {
        auto &c = static_cast<const Compare &>(e);
        expr(*c.left, s);
        for (auto &r : c.comparators) expr(*r, s);
        break;
      }
      case ExprKind::BoolOp: {  // only the first operand is always evaluated
        auto &b = static_cast<const BoolOp &>(e);
        if (b.values.empty()) break;
        expr(*b.values[0], s);
        State rest = s;
        for (size_t i = 1; i < b.values.size(); ++i) expr(*b.values[i], rest);
        break;
      }
      case ExprKind::IfExp: {
        auto &i = static_cast<const IfExp &>(e);
        expr(*i.test, s);
        State a = s, b = s;
        expr(*i.body, a);
        expr(*i.orelse, b);
        s = join(a, b);
        break;
      }
      case ExprKind::Call: {  // the callee is a global (a function, math.x or a builtin), or a method
        auto &c = static_cast<const Call &>(e);
        if (c.func->kind == ExprKind::Attribute) expr(*static_cast<const Attribute &>(*c.func).value, s);  // its receiver
        for (auto &a : c.args) expr(*a, s);
        for (auto &k : c.keywords) expr(*k.value, s);
        break;
      }
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: {
        // The first iterable runs in the enclosing scope; the rest runs zero or more times, with
        // the comprehension's own (renamed) targets assigned.
        auto &c = static_cast<const Comp &>(e);
        State inner = s;
        for (size_t i = 0; i < c.generators.size(); ++i) {
          expr(*c.generators[i].iter, i == 0 ? s : inner);
          if (i == 0) inner = s;
          target(*c.generators[i].target, inner);
          for (auto &x : c.generators[i].ifs) expr(*x, inner);
        }
        if (c.elt) expr(*c.elt, inner);
        if (c.key) expr(*c.key, inner);
        if (c.value) expr(*c.value, inner);
        break;
      }
      case ExprKind::Lambda: {  // runs later, with its parameters bound
        State inner = s;
        for (auto &p : static_cast<const Lambda &>(e).params) inner.defs.insert(p);
        expr(*static_cast<const Lambda &>(e).body, inner);
        break;
      }
      default: for_each_child(e, [&](const Expr &c) { expr(c, s); }); break;  // Constant, Attribute, containers
    }
  }

  void target(const Expr &t, State &s) {
    if (t.kind == ExprKind::Name) s.defs.insert(static_cast<const Name &>(t).id);
    if (t.kind == ExprKind::Tuple || t.kind == ExprKind::List)
      for (auto &x : t.kind == ExprKind::Tuple ? static_cast<const Tuple &>(t).elts : static_cast<const List &>(t).elts)
        target(*x, s);
    if (t.kind == ExprKind::Starred) target(*static_cast<const Starred &>(t).value, s);
    if (t.kind == ExprKind::Subscript) {  // its object and index are reads
      expr(*static_cast<const Subscript &>(t).value, s);
      expr(*static_cast<const Subscript &>(t).slice, s);
    }
  }

  void stmt(const Stmt &st, State &s) {
    switch (st.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(st);
        expr(*a.value, s);
        for (auto &t : a.targets) target(*t, s);
        break;
      }
      case StmtKind::AugAssign: {
        auto &a = static_cast<const AugAssign &>(st);
        expr(*a.target, s);
        expr(*a.value, s);
        target(*a.target, s);
        break;
      }
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(st);
        if (!a.value) break;
        expr(*a.value, s);
        target(*a.target, s);
        break;
      }
      case StmtKind::Return: {
        auto &r = static_cast<const Return &>(st);
        if (r.value) expr(*r.value, s);
        s.dead = true;
        break;
      }
      case StmtKind::If: {
        auto &i = static_cast<const If &>(st);
        expr(*i.test, s);
        State a = s, b = s;
        body(i.body, a);
        body(i.orelse, b);
        s = join(a, b);
        break;
      }
      case StmtKind::While: {
        auto &w = static_cast<const While &>(st);
        expr(*w.test, s);  // later evaluations of the test see at least this state
        loop(w.body, w.orelse, s, always_true(*w.test));
        break;
      }
      case StmtKind::For: {
        auto &f = static_cast<const For &>(st);
        expr(*f.iter, s);
        State in_body = s;
        target(*f.target, in_body);
        m_breaks.emplace_back();
        body(f.body, in_body);
        exit_loop(f.orelse, s, false);
        break;
      }
      case StmtKind::Break:
        if (!m_breaks.empty()) m_breaks.back().push_back(s);
        s.dead = true;
        break;
      case StmtKind::Continue: s.dead = true; break;
      case StmtKind::ExprStmt: expr(*static_cast<const ExprStmt &>(st).value, s); break;
      case StmtKind::Delete:
        for (auto &t : static_cast<const Delete &>(st).targets) expr(*t, s);
        break;
      default: break;
    }
  }

 private:
  std::set<const Name *> &m_out;
  std::vector<std::vector<State>> m_breaks;  // the states at each `break` of the enclosing loops

  void loop(const Body &b, const Body &orelse, State &s, bool never_false) {
    State in_body = s;
    m_breaks.emplace_back();
    body(b, in_body);
    exit_loop(orelse, s, never_false);
  }

  // After the body: the normal exit (the test false, or the range exhausted, possibly before any
  // iteration) runs `else` from the state before the loop; a break skips it.
  void exit_loop(const Body &orelse, State &s, bool never_false) {
    std::vector<State> breaks = std::move(m_breaks.back());
    m_breaks.pop_back();
    State out = s;
    if (never_false) out.dead = true;
    body(orelse, out);
    for (auto &b : breaks) out = join(out, b);
    s = out;
  }
};

}  // namespace

std::set<const Name *> maybe_unbound_reads(const FunctionDef &fn) {
  std::set<const Name *> out;
  State s;
  for (auto &a : fn.args) s.defs.insert(a.name);
  DefiniteAssignment(out).body(fn.body, s);
  return out;
}

}  // namespace pyvorin
