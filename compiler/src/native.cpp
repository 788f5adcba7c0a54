// lower (native storage): which local containers live in native storage instead of CPython
// objects: lists of int, float or bool in a buffer (runtime/buffers.cpp), dicts and sets whose keys
// are ints, bools or tuples of them (dict values int, float or bool) in an insertion-ordered hash
// table (runtime/tables.cpp). A container qualifies when every value it is given is one this call
// builds with items of exactly its element types (`[]`, `[x] * n`, `[e for ...]`, `set()`, `{}`,
// displays), and no other code can ever see it. Every mention of it must then be one of:
//   - native operations: lists `xs[i]`, `xs[i] = v` (also inside tuple assignment), `for x in xs`,
//     a comprehension over xs, `xs.append(v)`, `xs.pop()`; sets `s.add(k)`, `s.discard(k)`,
//     `s.remove(k)`, `k in s`; dicts `d[k]`, `d[k] = v`, `del d[k]`, `d.get(k, default)`,
//     `k in d`; and for all `len(c)` and truth tests;
//   - a read that keeps no reference and changes nothing (`print(xs)`, `sum(xs)`, `sorted(d)`,
//     `xs[a:b]`, `xs == ys`, `x in xs`, a loop over a dict or set whose body does not mention it):
//     it reads a CPython object built from the native storage (materialised) and thrown away;
//   - a hand-over (`return xs`, `out.append(xs)`, `d[k] = xs`, `f(xs)`, `d.items()`) after which
//     the variable is dead until it is given a new container: the materialised object becomes
//     the one object anyone ever sees.
// Anything else keeps the container a CPython object. Float lists take no identity-sensitive read
// (`in`, `==`, `count`, `index`, `set(xs)`): CPython compares items by identity first, so a NaN
// stored twice is one object there and two boxes in a materialised copy. A set that loses items
// (discard, remove) is never materialised: CPython's iteration order then depends on the deleted
// entries, while a set built by the same adds in the same order has CPython's own order.
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

// Whether s contains a break or continue that leaves it (one not inside a loop of its own).
bool jumps(const Stmt &s) {
  switch (s.kind) {
    case StmtKind::Break: case StmtKind::Continue: return true;
    case StmtKind::If: {
      auto &i = static_cast<const If &>(s);
      for (auto *b : {&i.body, &i.orelse})
        for (auto &x : *b)
          if (jumps(*x)) return true;
      return false;
    }
    case StmtKind::While: case StmtKind::For: {  // only the else clause can leave the enclosing loop
      const Body &orelse = s.kind == StmtKind::While ? static_cast<const While &>(s).orelse : static_cast<const For &>(s).orelse;
      for (auto &x : orelse)
        if (jumps(*x)) return true;
      return false;
    }
    default: return false;
  }
}

// Whether a statement of b (nested ones included) binds the name v.
bool assigns(const Body &b, const std::string &v) {
  for (auto &s : b) {
    switch (s->kind) {
      case StmtKind::Assign:
        for (auto &t : static_cast<const Assign &>(*s).targets)
          if (mentions(*t, v)) return true;
        break;
      case StmtKind::AnnAssign:
        if (mentions(*static_cast<const AnnAssign &>(*s).target, v)) return true;
        break;
      case StmtKind::For: {
        auto &f = static_cast<const For &>(*s);
        if (mentions(*f.target, v) || assigns(f.body, v) || assigns(f.orelse, v)) return true;
        break;
      }
      case StmtKind::If: {
        auto &i = static_cast<const If &>(*s);
        if (assigns(i.body, v) || assigns(i.orelse, v)) return true;
        break;
      }
      case StmtKind::While: {
        auto &w = static_cast<const While &>(*s);
        if (assigns(w.body, v) || assigns(w.orelse, v)) return true;
        break;
      }
      default: break;
    }
  }
  return false;
}

// Whether e only looks v up (`v[k]` loads, `v.get(...)`, `k in v`, `len(v)`, `not v`) and changes
// nothing about it: a loop whose body does no more may walk a copy of v's keys, since CPython
// raises if the body changes v's size and no value it reads can differ.
bool reads_only(const Expr &e, const std::string &v) {
  auto is_v = [&](const Expr &x) { return x.kind == ExprKind::Name && static_cast<const Name &>(x).id == v; };
  switch (e.kind) {
    case ExprKind::Name: return !is_v(e);
    case ExprKind::NamedExpr:
      return static_cast<const NamedExpr &>(e).target != v && reads_only(*static_cast<const NamedExpr &>(e).value, v);
    case ExprKind::Subscript: {
      auto &s = static_cast<const Subscript &>(e);
      return (is_v(*s.value) || reads_only(*s.value, v)) && reads_only(*s.slice, v);
    }
    case ExprKind::Call: {
      auto &c = static_cast<const Call &>(e);
      bool ok = true;
      if (c.func->kind == ExprKind::Attribute && is_v(*static_cast<const Attribute &>(*c.func).value))
        ok = static_cast<const Attribute &>(*c.func).attr == "get";
      else if (c.func->kind == ExprKind::Name && static_cast<const Name &>(*c.func).id == "len" && c.args.size() == 1 && is_v(*c.args[0]))
        return true;
      else
        ok = reads_only(*c.func, v);
      for (auto &a : c.args) ok = ok && reads_only(*a, v);
      for (auto &k : c.keywords) ok = ok && reads_only(*k.value, v);
      return ok;
    }
    case ExprKind::Compare: {
      auto &c = static_cast<const Compare &>(e);
      bool member = c.ops[0] == CmpOp::In || c.ops[0] == CmpOp::NotIn;
      return reads_only(*c.left, v) && ((member && is_v(*c.comparators[0])) || reads_only(*c.comparators[0], v));
    }
    case ExprKind::UnaryOp:
      if (static_cast<const UnaryOp &>(e).op == UnaryOpKind::Not && is_v(*static_cast<const UnaryOp &>(e).operand)) return true;
      break;
    default: break;
  }
  bool ok = true;
  for_each_child(e, [&](const Expr &c) { ok = ok && reads_only(c, v); });
  return ok;
}

bool reads_only(const Body &b, const std::string &v) {
  for (auto &s : b) {
    switch (s->kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(*s);
        for (auto &t : a.targets)
          if (mentions(*t, v) && !(t->kind == ExprKind::Subscript && !mentions(*static_cast<const Subscript &>(*t).value, v) &&
                                   reads_only(*t, v)))
            return false;
        if (!reads_only(*a.value, v)) return false;
        break;
      }
      case StmtKind::AnnAssign: case StmtKind::AugAssign: case StmtKind::Delete: case StmtKind::FunctionDef:
      case StmtKind::Unsupported:
        if (mentions(*s, v)) return false;
        break;
      case StmtKind::Return:
        if (static_cast<const Return &>(*s).value && !reads_only(*static_cast<const Return &>(*s).value, v)) return false;
        break;
      case StmtKind::ExprStmt:
        if (!reads_only(*static_cast<const ExprStmt &>(*s).value, v)) return false;
        break;
      case StmtKind::If: {
        auto &i = static_cast<const If &>(*s);
        auto truth = [&](const Expr &t) {
          return (t.kind == ExprKind::Name && static_cast<const Name &>(t).id == v) || reads_only(t, v);
        };
        if (!truth(*i.test) || !reads_only(i.body, v) || !reads_only(i.orelse, v)) return false;
        break;
      }
      case StmtKind::While: {
        auto &w = static_cast<const While &>(*s);
        bool bare = w.test->kind == ExprKind::Name && static_cast<const Name &>(*w.test).id == v;
        if (!(bare || reads_only(*w.test, v)) || !reads_only(w.body, v) || !reads_only(w.orelse, v)) return false;
        break;
      }
      case StmtKind::For: {
        auto &f = static_cast<const For &>(*s);
        if (mentions(*f.target, v) || !reads_only(*f.iter, v) || !reads_only(f.body, v) || !reads_only(f.orelse, v)) return false;
        break;
      }
      default: break;
    }
  }
  return true;
}

class NativeScan {
 public:
  NativeScan(const Spec &spec, const std::set<const Name *> &maybe_unbound) : m_spec(spec) {
    std::set<std::string> bound_elsewhere = lambda_params(*spec.fn);
    for (auto &[name, t] : spec.vars) {
      if (is_param(name) || bound_elsewhere.count(name)) continue;
      if (t.kind() == Kind::List && native_elem(t.elem())) m_cand[name] = {NativeKind::List, t.elem(), Ty::None};
      if (t.kind() == Kind::Set && native_key(t.elem())) m_cand[name] = {NativeKind::Set, t.elem(), Ty::None};
      if (t.kind() == Kind::Dict && native_key(t.args()[0]) && native_elem(t.args()[1]))
        m_cand[name] = {NativeKind::Dict, t.args()[0], t.args()[1]};
    }
    for (const Name *n : maybe_unbound) m_cand.erase(n->id);
  }

  std::map<std::string, NativeLocal> run() {
    body(m_spec.fn->body, nullptr);
    std::map<std::string, NativeLocal> out;
    for (auto &[name, c] : m_cand)
      if (!(c.kind == NativeKind::Set && c.removes && c.materialised)) out[name] = {c.kind, c.elem, c.value, c.shares, c.materialised};
    return out;
  }

 private:
  struct Cand {
    NativeKind kind;
    Ty elem, value;  // list element or key; dict value
    bool removes = false, materialised = false;  // removes: a set whose CPython order adds cannot rebuild
    bool shares = false;  // a float item may be an object referenced elsewhere too (fresh_float)
  };
  const Spec &m_spec;
  std::map<std::string, Cand> m_cand;  // while no mention disqualifies it
  struct Frame {
    const Body *body;
    size_t index;
    const Stmt *owner;  // the statement whose body this is (null: the function's)
  };
  std::vector<Frame> m_path;
  // The statement being scanned where a hand-over may happen: a simple statement, or the test of
  // an `if` or the iterable of a `for` (evaluated once; their bodies must not mention it then).
  const Stmt *m_simple = nullptr;
  int m_repeat = 0;  // inside a comprehension or lambda: evaluated many times
  // In the statement being scanned: the hand-overs of each container, and those it changes. One
  // statement may hand a container over once and read it natively (`return xs, len(xs)`), but not
  // hand it over twice (CPython would see one object twice) or change it too.
  std::map<std::string, int> m_handed;
  std::set<std::string> m_changed;
  // ... and those it reads through a materialised copy: CPython reads the object when the call or
  // operator runs, after the rest of the statement's operands, so a change in the same statement
  // would be seen there but not in the copy.
  std::set<std::string> m_read;
  // Calls that may run arbitrary code (a method of an object, a compiled function, print) seen so
  // far in the statement; and for each container handed over, how many had been seen then. A
  // mention after a hand-over is fine unless such a call ran in between: the handed object may
  // have been changed through another reference, which the native storage would not see.
  int m_opaque = 0;
  std::map<std::string, int> m_handed_at;

  static bool native_key(Ty t) {
    if (t == Ty::Int || t == Ty::Bool) return true;
    if (t.kind() != Kind::Tuple || t.args().empty() || t.args().size() > 8) return false;
    for (Ty a : t.args())
      if (a != Ty::Int && a != Ty::Bool) return false;
    return true;
  }
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
  Cand &info(const std::string &v) { return m_cand.at(v); }
  std::string builtin_name(const Call &c) const {
    auto it = m_spec.calls.find(&c);
    return it != m_spec.calls.end() && it->second.kind == CallTarget::Kind::Builtin ? it->second.name : "";
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
  // Any mention: after the container was handed over in this statement, the handed object may
  // have been changed through another reference, which the native storage would not see.
  void use(const std::string &v) {
    auto it = m_handed_at.find(v);
    if (it != m_handed_at.end() && m_opaque > it->second) reject(v);
  }
  // A read by CPython of a materialised copy.
  void read(const std::string &v) {
    use(v);
    if (!m_cand.count(v)) return;
    info(v).materialised = true;
    m_read.insert(v);
  }
  void change(const std::string &v) {
    use(v);
    m_changed.insert(v);
  }

  // A float value that is a new object in CPython, referenced by nothing but where it is stored:
  // an arithmetic result, a math function's, a literal. A variable, an item of another container
  // or `+x` may be an object something else holds too (the same NaN twice is one object there).
  bool fresh_float(const Expr &e) const {
    switch (e.kind) {
      case ExprKind::Constant: case ExprKind::BinOp: return true;
      case ExprKind::UnaryOp: return static_cast<const UnaryOp &>(e).op == UnaryOpKind::USub;
      case ExprKind::IfExp:
        return fresh_float(*static_cast<const IfExp &>(e).body) && fresh_float(*static_cast<const IfExp &>(e).orelse);
      case ExprKind::Call: {
        auto it = m_spec.calls.find(&e);
        if (it == m_spec.calls.end()) return false;
        return it->second.kind == CallTarget::Kind::Math ||
               (it->second.kind == CallTarget::Kind::Builtin && (it->second.name == "abs" || it->second.name == "round"));
      }
      default: return false;
    }
  }
  // A float stored into v: note when it may be shared.
  void stores(const std::string &v, const Expr *value) {
    if (!m_cand.count(v)) return;
    Cand &c = info(v);
    Ty t = c.kind == NativeKind::Dict ? c.value : c.elem;
    if (t == Ty::Float && (!value || !fresh_float(*value))) c.shares = true;
  }
  // The items of a fresh container given to v (repetition shares its items).
  void fresh_items(const std::string &v, const Expr &e) {
    switch (e.kind) {
      case ExprKind::List:
        for (auto &x : static_cast<const List &>(e).elts) stores(v, x.get());
        break;
      case ExprKind::Dict:
        for (auto &x : static_cast<const Dict &>(e).values) stores(v, x.get());
        break;
      case ExprKind::Set: {
        // CPython compiles a display of three or more constants as an update from a frozenset
        // constant, whose table (and so the set's iteration order) is not the one adds build
        auto &elts = static_cast<const SetExpr &>(e).elts;
        bool constants = folded_constant_display(elts);
        if (constants && m_cand.count(v)) info(v).removes = true;
        break;
      }
      case ExprKind::ListComp: stores(v, static_cast<const Comp &>(e).elt.get()); break;
      case ExprKind::BinOp: {  // [x] * n: n references to each item
        auto &b = static_cast<const BinOp &>(e);
        auto &l = static_cast<const List &>(b.left->kind == ExprKind::List ? *b.left : *b.right);
        for (auto &x : l.elts)
          if (x->kind != ExprKind::Constant) stores(v, nullptr);
        break;
      }
      default: break;
    }
  }

  // A container this call builds whose items are all exactly its element types.
  bool fresh(const Expr &e, const Cand &c) const {
    auto items_ok = [&](const std::vector<ExprPtr> &elts, Ty t) {
      for (auto &x : elts)
        if (x->kind == ExprKind::Starred || type(*x) != t) return false;
      return true;
    };
    if (c.kind == NativeKind::Set) {
      if (e.kind == ExprKind::Set) return items_ok(static_cast<const SetExpr &>(e).elts, c.elem);
      return e.kind == ExprKind::Call && builtin_name(static_cast<const Call &>(e)) == "set" &&
             static_cast<const Call &>(e).args.empty() && static_cast<const Call &>(e).keywords.empty();
    }
    if (c.kind == NativeKind::Dict) {
      if (e.kind == ExprKind::Dict) {
        auto &d = static_cast<const Dict &>(e);
        for (size_t i = 0; i < d.keys.size(); ++i)
          if (!d.keys[i] || type(*d.keys[i]) != c.elem || type(*d.values[i]) != c.value) return false;
        return true;
      }
      return e.kind == ExprKind::Call && builtin_name(static_cast<const Call &>(e)) == "dict" &&
             static_cast<const Call &>(e).args.empty() && static_cast<const Call &>(e).keywords.empty();
    }
    switch (e.kind) {
      case ExprKind::List: return items_ok(static_cast<const List &>(e).elts, c.elem);
      case ExprKind::ListComp: return type(*static_cast<const Comp &>(e).elt) == c.elem;
      case ExprKind::BinOp: {
        auto &b = static_cast<const BinOp &>(e);
        if (b.op != Op::Mult || b.inplace) return false;
        const Expr *list = b.left->kind == ExprKind::List ? b.left.get() : b.right.get();
        const Expr *count = list == b.left.get() ? b.right.get() : b.left.get();
        return list->kind == ExprKind::List && type(*count) == Ty::Int && items_ok(static_cast<const List &>(*list).elts, c.elem);
      }
      default: return false;
    }
  }

  // 0: s does not mention v; 1: s gives v a fresh container first; 2: s reads v.
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
  // Is `v` dead after the statement being scanned (m_path.back()), until it is given a fresh
  // container?
  bool dead_after(const std::string &v) const {
    if (m_path.back().body->at(m_path.back().index)->kind == StmtKind::Return) return true;
    for (size_t lvl = m_path.size(); lvl-- > 0;) {
      const Frame &f = m_path[lvl];
      for (size_t j = f.index + 1; j < f.body->size(); ++j) {
        int r = first_use(*f.body->at(j), v);
        if (r == 1) return true;
        if (r == 2) return false;
        // a break or continue on the way could skip a later rebinding: not followed here
        if (jumps(*f.body->at(j))) return false;
      }
      if (!f.owner) return true;
      bool loop = f.owner->kind == StmtKind::While || f.owner->kind == StmtKind::For;
      if (!loop) continue;
      const Body &loop_body = f.owner->kind == StmtKind::While ? static_cast<const While &>(*f.owner).body
                                                               : static_cast<const For &>(*f.owner).body;
      if (f.body != &loop_body) continue;  // the loop's else: runs once
      // the loop's else runs when it ends without a break
      const Body &orelse = f.owner->kind == StmtKind::While ? static_cast<const While &>(*f.owner).orelse
                                                            : static_cast<const For &>(*f.owner).orelse;
      if (mentions(orelse, v)) return false;
      // Another iteration may follow: it must give v a fresh container before reading it.
      if (f.owner->kind == StmtKind::While && mentions(*static_cast<const While &>(*f.owner).test, v)) return false;
      if (f.owner->kind == StmtKind::For && mentions(*static_cast<const For &>(*f.owner).iter, v)) return false;
      bool killed = false;
      for (size_t j = 0; j < f.index && !killed; ++j) {
        int r = first_use(*f.body->at(j), v);
        if (r == 2 || (r == 0 && jumps(*f.body->at(j)))) return false;
        killed = r == 1;
      }
      if (!killed) return false;
    }
    return true;
  }

  // A mention whose value is handed over (or kept): fine only when nothing reads v afterwards.
  void hand_over(const std::string &v) {
    use(v);
    if (!m_cand.count(v)) return;
    bool ok = !m_repeat && m_simple && m_simple->kind != StmtKind::While && dead_after(v);
    if (ok && m_simple->kind == StmtKind::If) {
      auto &i = static_cast<const If &>(*m_simple);
      ok = !mentions(i.body, v) && !mentions(i.orelse, v);
    }
    if (ok && m_simple->kind == StmtKind::For) {
      auto &f = static_cast<const For &>(*m_simple);
      ok = reads_only(f.body, v) && reads_only(f.orelse, v);  // `for k, x in d.items(): ... d[k]`
    }
    if (!ok) {
      reject(v);
      return;
    }
    info(v).materialised = true;
    m_handed[v]++;
    m_handed_at.emplace(v, m_opaque);
  }
  void end_statement() {
    for (auto &[v, n] : m_handed)
      if (n > 1 || m_changed.count(v)) reject(v);
    for (auto &v : m_read)
      if (m_changed.count(v)) reject(v);
    m_handed.clear();
    m_changed.clear();
    m_read.clear();
    m_handed_at.clear();
    m_opaque = 0;
  }

  void body(const Body &b, const Stmt *owner) {
    for (size_t i = 0; i < b.size(); ++i) {
      m_path.push_back({&b, i, owner});
      stmt(*b[i]);
      m_path.pop_back();
    }
  }

  // A key of container v (the exact key type), read or stored.
  bool key_ok(const std::string &v, const Expr &k) const { return type(k) == m_cand.at(v).elem; }

  // An assignment target; vt: the exact type of the value it receives (Bottom: not known here).
  void target(const Expr &t, Ty vt, const Expr *value) {
    switch (t.kind) {
      case ExprKind::Name:
        if (auto *v = cand(t))
          if (!value || !fresh(*value, info(*v)) || mentions(*value, *v)) reject(*v);
        return;
      case ExprKind::Subscript: {
        auto &s = static_cast<const Subscript &>(t);
        if (auto *v = cand(*s.value)) {
          const Cand &c = info(*v);
          bool ok = s.slice->kind != ExprKind::Slice &&
                    (c.kind == NativeKind::List ? type(*s.slice) == Ty::Int && vt == c.elem
                                                : c.kind == NativeKind::Dict && key_ok(*v, *s.slice) && vt == c.value);
          if (ok) {
            stores(*v, value);
            change(*v);
          } else {
            reject(*v);
          }
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
          target(x, exact ? type(*(*items)[i]) : Ty::Bottom, exact ? (*items)[i].get() : nullptr);
        }
        return;
      }
      default: reject_all(t); return;
    }
  }

  void condition(const Expr &e) {
    if (auto *v = cand(e)) {  // its truth: len != 0
      use(*v);
      return;
    }
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

  // The iterable of a loop or comprehension: a list natively; a dict or set through a
  // materialised copy, when the rest of the loop (`changes`) only looks it up.
  void iterable(const Expr &it, const std::function<bool(const std::string &)> &changes, bool native_list = true) {
    if (auto *v = cand(it)) {
      use(*v);
      if (!m_cand.count(*v)) return;
      if (native_list && info(*v).kind == NativeKind::List) return;
      if (changes(*v))
        reject(*v);
      else
        read(*v);
      return;
    }
    expr(it);
  }

  // A call of enumerate, zip or reversed on plain arguments.
  bool walker(const Call &c) const {
    std::string n = builtin_name(c);
    return (n == "enumerate" || n == "zip" || n == "reversed") && c.keywords.empty();
  }

  void stmt(const Stmt &s) {
    m_simple = nullptr;
    end_statement();  // a fresh statement: nothing pending
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        m_simple = &s;
        if (a.targets.size() != 1) {
          for (auto &t : a.targets)
            if (auto *v = cand(*t)) reject(*v);
        }
        const std::string *v = a.targets.size() == 1 ? cand(*a.targets[0]) : nullptr;
        if (v && fresh(*a.value, info(*v)) && !mentions(*a.value, *v)) {
          fresh_items(*v, *a.value);
          fresh_value(*a.value);
        } else {
          expr(*a.value);
        }
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
        const std::string *v = cand(*a.target);
        if (v && fresh(*a.value, info(*v)) && !mentions(*a.value, *v)) {
          fresh_items(*v, *a.value);
          fresh_value(*a.value);
        } else {
          expr(*a.value);
        }
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
      case StmtKind::Delete: {
        m_simple = &s;
        for (auto &t : static_cast<const Delete &>(s).targets) {
          const std::string *v = t->kind == ExprKind::Subscript ? cand(*static_cast<const Subscript &>(*t).value) : nullptr;
          if (v && info(*v).kind == NativeKind::Dict && key_ok(*v, *static_cast<const Subscript &>(*t).slice)) {
            change(*v);
            expr(*static_cast<const Subscript &>(*t).slice);
          } else {
            reject_all(*t);
          }
        }
        break;
      }
      case StmtKind::If: {
        auto &i = static_cast<const If &>(s);
        m_simple = &s;  // evaluated once
        condition(*i.test);
        end_statement();
        m_simple = nullptr;
        body(i.body, &s);
        body(i.orelse, &s);
        break;
      }
      case StmtKind::While: {
        auto &w = static_cast<const While &>(s);
        m_simple = &s;  // no hand-over here (the test runs again), but its reads and changes count
        condition(*w.test);
        end_statement();
        m_simple = nullptr;
        body(w.body, &s);
        body(w.orelse, &s);
        break;
      }
      case StmtKind::For: {
        auto &f = static_cast<const For &>(s);
        reject_all(*f.target);
        // CPython's loop keeps the list it started with: rebinding the name in the body does not
        // change what it walks, while a native loop reads the variable's storage
        if (auto *v = cand(*f.iter); v && info(*v).kind == NativeKind::List && assigns(f.body, *v)) reject(*v);
        m_simple = &s;  // the iterable is evaluated once
        auto changes = [&](const std::string &v) { return !reads_only(f.body, v) || !reads_only(f.orelse, v); };
        if (f.iter->kind == ExprKind::Call && walker(static_cast<const Call &>(*f.iter))) {
          // enumerate(xs), zip(xs, ys), reversed(xs): the iterator walks a copy, as long as the
          // loop only looks the container up (CPython's would see changes to the live one)
          auto &c = static_cast<const Call &>(*f.iter);
          for (auto &a : c.args) iterable(*a, changes, false);
        } else {
          iterable(*f.iter, changes);
        }
        end_statement();
        m_simple = nullptr;
        body(f.body, &s);
        body(f.orelse, &s);
        break;
      }
      case StmtKind::Break: case StmtKind::Continue: case StmtKind::Pass: break;
      default: reject_all(s); break;  // nested functions, anything else
    }
    if (m_simple) end_statement();
    m_simple = nullptr;
  }

  // The value of a fresh native container: its items (and a comprehension's loops) are reads.
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
        Cand &k = info(*v);
        bool plain = c.keywords.empty();
        const std::string &m = a.attr;
        if (k.kind == NativeKind::List && plain && m == "append" && c.args.size() == 1 && type(*c.args[0]) == k.elem) {
          stores(*v, c.args[0].get());
          change(*v);
        } else if (k.kind == NativeKind::List && plain && m == "pop" && c.args.empty()) {
          change(*v);
        } else if (k.kind == NativeKind::List && m == "sort" && c.args.empty() &&
                   (c.keywords.empty() || (c.keywords.size() == 1 && c.keywords[0].arg == "reverse" &&
                                           (type(*c.keywords[0].value) == Ty::Bool || type(*c.keywords[0].value) == Ty::Int)))) {
          change(*v);  // sorted in place natively (a float list holding a NaN reruns in CPython)
        } else if (k.kind == NativeKind::List && plain && m == "reverse" && c.args.empty()) {
          change(*v);
        } else if (k.kind == NativeKind::List && plain && (m == "copy" || ((m == "count" || m == "index") && k.elem != Ty::Float))) {
          read(*v);  // CPython's method on a materialised copy
        } else if (k.kind == NativeKind::Set && plain && (m == "add" || m == "discard" || m == "remove") && c.args.size() == 1 &&
                   key_ok(*v, *c.args[0])) {
          change(*v);
          if (m_cand.count(*v) && m != "add") info(*v).removes = true;
        } else if (k.kind == NativeKind::Dict && plain && m == "get" && c.args.size() == 2 && key_ok(*v, *c.args[0]) &&
                   type(*c.args[1]) == k.value) {
          use(*v);  // a native lookup
        } else {
          hand_over(*v);  // any other method: on the materialised object, which nothing reads after
          args(c, "");
          ++m_opaque;  // the method itself may change the handed object
          return;
        }
      } else {
        expr(*a.value);
        args(c, "");
        ++m_opaque;  // a method of an object: any code may run
        return;
      }
      args(c, "");
      return;
    }
    const std::string name = builtin_name(c);
    if (name == "len" && c.args.size() == 1 && cand(*c.args[0]) && c.keywords.empty()) {
      use(*cand(*c.args[0]));
      return;
    }
    if (c.func->kind != ExprKind::Name) expr(*c.func);
    args(c, name);
    // builtins that run no code of the program's (print may write to any sys.stdout)
    static const std::set<std::string> pure = {"len", "abs", "int", "float", "bool", "round", "min", "max", "divmod", "sum",
                                               "sorted", "any", "all", "list", "tuple", "set", "dict", "isinstance", "range"};
    bool has_key = false;
    for (auto &k : c.keywords) has_key = has_key || k.arg == "key";
    if (!pure.count(name) || has_key) ++m_opaque;
  }

  void args(const Call &c, const std::string &builtin) {
    // builtins that read their arguments through and keep no reference to them
    static const std::set<std::string> reads = {"sum", "min", "max", "sorted", "print", "any", "all",
                                                "list", "tuple", "str", "repr", "bool", "len", "dict"};
    for (auto &a : c.args) {
      if (auto *v = cand(*a)) {
        const Cand &k = info(*v);
        if (reads.count(builtin) || (builtin == "set" && !(k.kind == NativeKind::List && k.elem == Ty::Float))) {
          read(*v);
          continue;
        }
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
          std::string name = *v;
          const Cand &k = info(name);
          if (k.kind == NativeKind::List && s.slice->kind == ExprKind::Slice) {
            read(name);  // a slice: a read of a materialised list
          } else if (k.kind == NativeKind::List ? type(*s.slice) != Ty::Int
                                                : !(k.kind == NativeKind::Dict && s.slice->kind != ExprKind::Slice && key_ok(name, *s.slice))) {
            reject(name);
          }
          expr(*s.slice);
          if (m_cand.count(name)) use(name);  // the item is read after the index is evaluated
          return;
        }
        expr(*s.value);
        expr(*s.slice);
        return;
      }
      case ExprKind::Call: call(static_cast<const Call &>(e)); return;
      case ExprKind::Compare: {
        auto &c = static_cast<const Compare &>(e);
        bool identity = c.ops[0] == CmpOp::Is || c.ops[0] == CmpOp::IsNot;
        bool member = c.ops[0] == CmpOp::In || c.ops[0] == CmpOp::NotIn;
        if (auto *v = member ? cand(*c.comparators[0]) : nullptr; v && info(*v).kind != NativeKind::List && key_ok(*v, *c.left)) {
          std::string name = *v;
          expr(*c.left);  // a native lookup
          use(name);
          return;
        }
        for (const Expr *x : {c.left.get(), c.comparators[0].get()}) {
          if (auto *v = cand(*x)) {
            const Cand &k = info(*v);
            if (identity || (k.kind == NativeKind::List && k.elem == Ty::Float))
              reject(*v);
            else
              read(*v);  // compared through a materialised copy
          } else {
            expr(*x);
          }
        }
        return;
      }
      case ExprKind::UnaryOp:
        if (static_cast<const UnaryOp &>(e).op == UnaryOpKind::Not && cand(*static_cast<const UnaryOp &>(e).operand)) {
          use(*cand(*static_cast<const UnaryOp &>(e).operand));
          return;
        }
        break;
      case ExprKind::BinOp: {  // xs + ys, xs * 2, s | t: a new container of the items
        auto &b = static_cast<const BinOp &>(e);
        if (!b.inplace) {
          for (const Expr *x : {b.left.get(), b.right.get()}) {
            if (auto *v = cand(*x))
              read(*v);
            else
              expr(*x);
          }
          return;
        }
        break;
      }
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: {
        auto &c = static_cast<const Comp &>(e);
        ++m_repeat;
        for (size_t g = 0; g < c.generators.size(); ++g) {
          auto &gen = c.generators[g];
          reject_all(*gen.target);
          // the rest of the comprehension: its conditions, later loops and the element
          iterable(*gen.iter, [&](const std::string &v) {
            bool ok = true;
            for (size_t h = 0; h < c.generators.size(); ++h) {
              if (h != g) ok = ok && reads_only(*c.generators[h].iter, v);
              for (auto &i : c.generators[h].ifs) ok = ok && reads_only(*i, v);
            }
            for (const Expr *x : {c.elt.get(), c.key.get(), c.value.get()})
              if (x) ok = ok && reads_only(*x, v);
            return !ok;
          });
          for (auto &i : gen.ifs) condition(*i);
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

std::map<std::string, NativeLocal> native_locals(const Spec &spec, const std::set<const ast::Name *> &maybe_unbound) {
  return NativeScan(spec, maybe_unbound).run();
}

}  // namespace pyvorin
