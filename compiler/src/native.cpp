// lower (native storage): which local lists live in a native buffer (runtime/buffers.cpp) instead
// of a CPython list. A list qualifies when its elements are all int, all float or all bool, every
// value it is given is a list this call builds (`[]`, `[a, b]`, `[x] * n`, `[e for ...]`), and no
// other code can ever see it. Every mention of it must then be one of:
//   - native operations: `xs[i]`, `xs[i] = v` (also inside tuple assignment), `len(xs)`,
//     `for x in xs`, a comprehension over xs, `xs.append(v)`, `xs.pop()`, `if xs:` / `while xs:`;
//   - a read that keeps no reference and changes nothing (`print(xs)`, `sum(xs)`, `sorted(xs)`,
//     `xs[a:b]`, `xs == ys`, `x in xs`, ...): it reads a CPython list built from the buffer
//     (materialised) and thrown away;
//   - a hand-over (`return xs`, `out.append(xs)`, `d[k] = xs`, `f(xs)`) after which the variable
//     is dead until it is given a new list: the materialised list becomes the one object anyone
//     ever sees.
// Anything else keeps the list a CPython object. Float lists take no identity-sensitive read
// (`in`, `==`, `count`, `index`, `set(xs)`): CPython compares items by identity first, so a NaN
// stored twice is one object there and two boxes in a materialised copy.
#include "lower.h"

namespace pyvorin {
namespace {

using namespace ast;

bool native_elem(Ty t) { return t == Ty::Int || t == Ty::Float || t == Ty::Bool; }

int mentions(const Expr &e, const std::string &v) {
  int n = e.kind == ExprKind::Name && static_cast<const Name &>(e).id == v;
  if (e.kind == ExprKind::NamedExpr && static_cast<const NamedExpr &>(e).target == v) ++n;
  for_each_child(e, [&](const Expr &c) { n += mentions(c, v); });
  return n;
}

int mentions(const Body &b, const std::string &v);

int mentions(const Stmt &s, const std::string &v) {
  int n = 0;
  auto ex = [&](const ExprPtr &e) {
    if (e) n += mentions(*e, v);
  };
  switch (s.kind) {
    case StmtKind::Assign: {
      auto &a = static_cast<const Assign &>(s);
      for (auto &t : a.targets) ex(t);
      ex(a.value);
      break;
    }
    case StmtKind::AugAssign: ex(static_cast<const AugAssign &>(s).target); ex(static_cast<const AugAssign &>(s).value); break;
    case StmtKind::AnnAssign: ex(static_cast<const AnnAssign &>(s).target); ex(static_cast<const AnnAssign &>(s).value); break;
    case StmtKind::Return: ex(static_cast<const Return &>(s).value); break;
    case StmtKind::ExprStmt: ex(static_cast<const ExprStmt &>(s).value); break;
    case StmtKind::Delete:
      for (auto &t : static_cast<const Delete &>(s).targets) ex(t);
      break;
    case StmtKind::If: {
      auto &i = static_cast<const If &>(s);
      ex(i.test);
      n += mentions(i.body, v) + mentions(i.orelse, v);
      break;
    }
    case StmtKind::While: {
      auto &w = static_cast<const While &>(s);
      ex(w.test);
      n += mentions(w.body, v) + mentions(w.orelse, v);
      break;
    }
    case StmtKind::For: {
      auto &f = static_cast<const For &>(s);
      ex(f.target);
      ex(f.iter);
      n += mentions(f.body, v) + mentions(f.orelse, v);
      break;
    }
    case StmtKind::FunctionDef: n += 1; break;  // a nested function may read anything
    default: break;
  }
  return n;
}

int mentions(const Body &b, const std::string &v) {
  int n = 0;
  for (auto &s : b) n += mentions(*s, v);
  return n;
}

class NativeScan {
 public:
  NativeScan(const Spec &spec, const std::set<const Name *> &maybe_unbound) : m_spec(spec) {
    for (auto &[name, t] : spec.vars)
      if (t.kind() == Kind::List && native_elem(t.elem()) && !is_param(name)) m_cand[name] = t.elem();
    for (const Name *n : maybe_unbound) m_cand.erase(n->id);
  }

  std::map<std::string, Ty> run() {
    body(m_spec.fn->body, nullptr);
    return m_cand;
  }

 private:
  const Spec &m_spec;
  std::map<std::string, Ty> m_cand;  // name -> element type, while no mention disqualifies it
  struct Frame {
    const Body *body;
    size_t index;
    const Stmt *owner;  // the statement whose body this is (null: the function's)
  };
  std::vector<Frame> m_path;
  const Stmt *m_simple = nullptr;  // the simple statement being scanned (a hand-over may happen in it)
  int m_repeat = 0;                // inside a comprehension or lambda: evaluated many times
  // In the statement being scanned: the hand-overs of each list, and the lists it changes. One
  // statement may hand a list over once and read it natively (`return xs, len(xs)`), but not hand
  // it over twice (CPython would see one object twice) or change it too.
  std::map<std::string, int> m_handed;
  std::set<std::string> m_changed;

  bool is_param(const std::string &n) const {
    for (auto &a : m_spec.fn->args)
      if (a.name == n) return true;
    return false;
  }
  Ty type(const Expr &e) const {
    auto it = m_spec.types.find(&e);
    return it == m_spec.types.end() ? Ty::None : it->second;
  }
  const std::string *cand(const Expr &e) const {
    if (e.kind != ExprKind::Name) return nullptr;
    auto &id = static_cast<const Name &>(e).id;
    return m_cand.count(id) ? &id : nullptr;
  }
  void reject(const std::string &n) { m_cand.erase(n); }
  void reject_all(const Expr &e) {
    std::vector<std::string> names;
    for (auto &[n, t] : m_cand)
      if (mentions(e, n)) names.push_back(n);
    for (auto &n : names) reject(n);
  }
  void reject_all(const Stmt &s) {
    std::vector<std::string> names;
    for (auto &[n, t] : m_cand)
      if (mentions(s, n)) names.push_back(n);
    for (auto &n : names) reject(n);
  }

  // A list this call builds whose elements are all exactly `elem`.
  bool fresh(const Expr &e, Ty elem) const {
    auto items_ok = [&](const List &l) {
      for (auto &x : l.elts)
        if (x->kind == ExprKind::Starred || type(*x) != elem) return false;
      return true;
    };
    switch (e.kind) {
      case ExprKind::List: return items_ok(static_cast<const List &>(e));
      case ExprKind::ListComp: return type(*static_cast<const Comp &>(e).elt) == elem;
      case ExprKind::BinOp: {
        auto &b = static_cast<const BinOp &>(e);
        if (b.op != Op::Mult || b.inplace) return false;
        const Expr *list = b.left->kind == ExprKind::List ? b.left.get() : b.right.get();
        const Expr *count = list == b.left.get() ? b.right.get() : b.left.get();
        return list->kind == ExprKind::List && type(*count) == Ty::Int && items_ok(static_cast<const List &>(*list));
      }
      default: return false;
    }
  }

  // Is `v` dead after the simple statement being scanned (m_path.back()), until it is given a
  // fresh list? 0: s does not mention v; 1: s gives v a fresh list first; 2: s reads v.
  int first_use(const Stmt &s, const std::string &v) const {
    if (!mentions(s, v)) return 0;
    if (s.kind == StmtKind::Assign) {
      auto &a = static_cast<const Assign &>(s);
      if (a.targets.size() == 1 && a.targets[0]->kind == ExprKind::Name && static_cast<const Name &>(*a.targets[0]).id == v &&
          !mentions(*a.value, v))
        return 1;
    }
    return 2;
  }
  bool dead_after(const std::string &v) const {
    if (m_path.back().body->at(m_path.back().index)->kind == StmtKind::Return) return true;
    for (size_t lvl = m_path.size(); lvl-- > 0;) {
      const Frame &f = m_path[lvl];
      for (size_t j = f.index + 1; j < f.body->size(); ++j) {
        int r = first_use(*f.body->at(j), v);
        if (r == 1) return true;
        if (r == 2) return false;
      }
      if (!f.owner) return true;
      bool loop = f.owner->kind == StmtKind::While || f.owner->kind == StmtKind::For;
      if (!loop) continue;
      const Body &loop_body = f.owner->kind == StmtKind::While ? static_cast<const While &>(*f.owner).body
                                                               : static_cast<const For &>(*f.owner).body;
      if (f.body != &loop_body) continue;  // the loop's else: runs once
      // Another iteration may follow: it must give v a fresh list before reading it.
      if (f.owner->kind == StmtKind::While && mentions(*static_cast<const While &>(*f.owner).test, v)) return false;
      if (f.owner->kind == StmtKind::For && mentions(*static_cast<const For &>(*f.owner).iter, v)) return false;
      bool killed = false;
      for (size_t j = 0; j < f.index && !killed; ++j) {
        int r = first_use(*f.body->at(j), v);
        if (r == 2) return false;
        killed = r == 1;
      }
      if (!killed) return false;
    }
    return true;
  }

  // A mention whose value is handed over (or kept): fine only when nothing reads v afterwards.
  void hand_over(const std::string &v) {
    if (m_repeat || !m_simple || !dead_after(v))
      reject(v);
    else
      m_handed[v]++;
  }
  void end_statement() {
    for (auto &[v, n] : m_handed)
      if (n > 1 || m_changed.count(v)) reject(v);
    m_handed.clear();
    m_changed.clear();
  }

  void body(const Body &b, const Stmt *owner) {
    for (size_t i = 0; i < b.size(); ++i) {
      m_path.push_back({&b, i, owner});
      stmt(*b[i]);
      m_path.pop_back();
    }
  }

  // An assignment target; vt: the exact type of the value it receives (Bottom: not known here).
  void target(const Expr &t, Ty vt, const Expr *value) {
    switch (t.kind) {
      case ExprKind::Name:
        if (auto *v = cand(t))
          if (!value || !fresh(*value, m_cand.at(*v)) || mentions(*value, *v)) reject(*v);
        return;
      case ExprKind::Subscript: {
        auto &s = static_cast<const Subscript &>(t);
        if (auto *v = cand(*s.value)) {
          if (s.slice->kind == ExprKind::Slice || type(*s.slice) != Ty::Int || vt != m_cand.at(*v)) reject(*v);
          else m_changed.insert(*v);
        } else {
          expr(*s.value);
        }
        expr(*s.slice);
        return;
      }
      case ExprKind::Tuple: case ExprKind::List: {
        auto &elts = t.kind == ExprKind::Tuple ? static_cast<const Tuple &>(t).elts : static_cast<const List &>(t).elts;
        const std::vector<ExprPtr> *items = nullptr;
        if (value && value->kind == ExprKind::Tuple) items = &static_cast<const Tuple &>(*value).elts;
        bool exact = items && items->size() == elts.size();
        for (size_t i = 0; exact && i < elts.size(); ++i)
          exact = elts[i]->kind != ExprKind::Starred && (*items)[i]->kind != ExprKind::Starred;
        for (size_t i = 0; i < elts.size(); ++i) {
          const Expr &x = elts[i]->kind == ExprKind::Starred ? *static_cast<const Starred &>(*elts[i]).value : *elts[i];
          if (x.kind == ExprKind::Name) {
            if (auto *v = cand(x)) reject(*v);
            continue;
          }
          target(x, exact ? type(*(*items)[i]) : Ty::Bottom, nullptr);
        }
        return;
      }
      default: reject_all(t); return;
    }
  }

  void condition(const Expr &e) {
    if (cand(e)) return;  // its truth: len != 0
    if (e.kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(e).op == UnaryOpKind::Not) {
      condition(*static_cast<const UnaryOp &>(e).operand);
      return;
    }
    if (e.kind == ExprKind::BoolOp && m_spec.truth_only.count(&e)) {
      for (auto &x : static_cast<const BoolOp &>(e).values) condition(*x);
      return;
    }
    expr(e);
  }

  void stmt(const Stmt &s) {
    m_simple = nullptr;
    m_handed.clear();
    m_changed.clear();
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        m_simple = &s;
        if (a.targets.size() != 1) {
          for (auto &t : a.targets)
            if (auto *v = cand(*t)) reject(*v);
        }
        if (a.targets.size() == 1 && cand(*a.targets[0]) && fresh(*a.value, m_cand.at(*cand(*a.targets[0]))) &&
            !mentions(*a.value, *cand(*a.targets[0])))
          fresh_value(*a.value);
        else
          expr(*a.value);
        m_simple = &s;
        for (auto &t : a.targets) target(*t, a.targets.size() == 1 ? type(*a.value) : Ty::Bottom, a.value.get());
        break;
      }
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(s);
        m_simple = &s;
        if (!a.value) {
          reject_all(*a.target);
          break;
        }
        if (cand(*a.target) && fresh(*a.value, m_cand.at(*cand(*a.target))) && !mentions(*a.value, *cand(*a.target)))
          fresh_value(*a.value);
        else
          expr(*a.value);
        m_simple = &s;
        target(*a.target, type(*a.value), a.value.get());
        break;
      }
      case StmtKind::Return: {
        m_simple = &s;
        if (auto &v = static_cast<const Return &>(s).value) expr(*v);
        break;
      }
      case StmtKind::ExprStmt:
        m_simple = &s;
        expr(*static_cast<const ExprStmt &>(s).value);
        break;
      case StmtKind::If: {
        auto &i = static_cast<const If &>(s);
        condition(*i.test);
        body(i.body, &s);
        body(i.orelse, &s);
        break;
      }
      case StmtKind::While: {
        auto &w = static_cast<const While &>(s);
        condition(*w.test);
        body(w.body, &s);
        body(w.orelse, &s);
        break;
      }
      case StmtKind::For: {
        auto &f = static_cast<const For &>(s);
        reject_all(*f.target);
        if (!cand(*f.iter)) expr(*f.iter);
        body(f.body, &s);
        body(f.orelse, &s);
        break;
      }
      case StmtKind::Break: case StmtKind::Continue: case StmtKind::Pass: break;
      default: reject_all(s); break;  // del, nested functions, anything else
    }
    if (m_simple) end_statement();
    m_simple = nullptr;
  }

  // The value of a fresh native list: its items (and a comprehension's loops) are scanned as reads.
  void fresh_value(const Expr &e) {
    if (e.kind == ExprKind::ListComp)
      expr(e);
    else
      for_each_child(e, [&](const Expr &c) { expr(c); });
  }

  void call(const Call &c) {
    if (c.func->kind == ExprKind::Attribute) {
      auto &a = static_cast<const Attribute &>(*c.func);
      if (auto *v = cand(*a.value)) {
        Ty elem = m_cand.at(*v);
        bool ok = c.keywords.empty() &&
                  ((a.attr == "append" && c.args.size() == 1 && type(*c.args[0]) == elem) ||
                   (a.attr == "pop" && c.args.empty()) || a.attr == "copy" ||
                   ((a.attr == "count" || a.attr == "index") && elem != Ty::Float));
        if (!ok) reject(*v);
        else if (a.attr == "append" || a.attr == "pop") m_changed.insert(*v);
      } else {
        expr(*a.value);
      }
      args(c, nullptr);
      return;
    }
    auto it = m_spec.calls.find(&c);
    bool builtin = it != m_spec.calls.end() && it->second.kind == CallTarget::Kind::Builtin;
    const std::string name = builtin ? it->second.name : "";
    if (name == "len" && c.args.size() == 1 && cand(*c.args[0]) && c.keywords.empty()) return;
    if (c.func->kind != ExprKind::Name) expr(*c.func);
    args(c, builtin ? &name : nullptr);
  }

  void args(const Call &c, const std::string *builtin) {
    // builtins that read their arguments through and keep no reference to them
    static const std::set<std::string> reads = {"sum", "min", "max", "sorted", "print", "any", "all",
                                                "list", "tuple", "str", "repr", "bool", "len"};
    for (auto &a : c.args) {
      if (auto *v = cand(*a)) {
        Ty elem = m_cand.at(*v);
        if (builtin && (reads.count(*builtin) || (*builtin == "set" && elem != Ty::Float))) continue;
        hand_over(*v);
        continue;
      }
      expr(*a);
    }
    for (auto &k : c.keywords) expr(*k.value);
  }

  void expr(const Expr &e) {
    switch (e.kind) {
      case ExprKind::Name:
        if (auto *v = cand(e)) hand_over(*v);
        return;
      case ExprKind::NamedExpr: {
        auto &n = static_cast<const NamedExpr &>(e);
        if (m_cand.count(n.target)) reject(n.target);
        if (auto *v = cand(*n.value)) reject(*v);
        expr(*n.value);
        return;
      }
      case ExprKind::Subscript: {
        auto &s = static_cast<const Subscript &>(e);
        if (auto *v = cand(*s.value)) {
          // an index: read natively; a slice: a read of a materialised list
          if (s.slice->kind != ExprKind::Slice && type(*s.slice) != Ty::Int) reject(*v);
        } else {
          expr(*s.value);
        }
        expr(*s.slice);
        return;
      }
      case ExprKind::Call: call(static_cast<const Call &>(e)); return;
      case ExprKind::Compare: {
        auto &c = static_cast<const Compare &>(e);
        std::vector<const Expr *> operands{c.left.get()};
        for (auto &x : c.comparators) operands.push_back(x.get());
        bool identity = false;
        for (auto op : c.ops) identity = identity || op == CmpOp::Is || op == CmpOp::IsNot;
        for (const Expr *x : operands) {
          if (auto *v = cand(*x)) {
            if (identity || m_cand.at(*v) == Ty::Float) reject(*v);  // compared through a materialised list
          } else {
            expr(*x);
          }
        }
        return;
      }
      case ExprKind::UnaryOp:
        if (static_cast<const UnaryOp &>(e).op == UnaryOpKind::Not && cand(*static_cast<const UnaryOp &>(e).operand)) return;
        break;
      case ExprKind::BinOp: {  // xs + ys, xs * 2: a new list of the items
        auto &b = static_cast<const BinOp &>(e);
        if (!b.inplace) {
          for (const Expr *x : {b.left.get(), b.right.get()})
            if (!cand(*x)) expr(*x);
          return;
        }
        break;
      }
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: {
        auto &c = static_cast<const Comp &>(e);
        ++m_repeat;
        for (auto &g : c.generators) {
          reject_all(*g.target);
          if (!cand(*g.iter)) expr(*g.iter);
          for (auto &i : g.ifs) condition(*i);
        }
        for (const Expr *x : {c.elt.get(), c.key.get(), c.value.get()})
          if (x) expr(*x);
        --m_repeat;
        return;
      }
      case ExprKind::IfExp: {  // its test is a truth test
        auto &i = static_cast<const IfExp &>(e);
        condition(*i.test);
        expr(*i.body);
        expr(*i.orelse);
        return;
      }
      case ExprKind::Lambda:
        ++m_repeat;
        expr(*static_cast<const Lambda &>(e).body);
        --m_repeat;
        return;
      default: break;
    }
    for_each_child(e, [&](const Expr &c) { expr(c); });
  }
};

}  // namespace

std::map<std::string, Ty> native_lists(const Spec &spec, const std::set<const ast::Name *> &maybe_unbound) {
  return NativeScan(spec, maybe_unbound).run();
}

}  // namespace pyvorin
