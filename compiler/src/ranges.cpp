// ranges: value ranges of counted loops' induction variables, and the ndarray bounds checks they
// make redundant. For `for i in range(start, stop, step)`, an element access a[..., i + c, ...]
// of a local array that the loop does not rebind (and with i not rebound in the body) is in
// bounds on axis k for every iteration exactly when the smallest and largest values of i + c
// are in [0, a.shape[k]). lower tests all of a loop's conditions once before the loop and runs
// either a copy of the loop without those checks (which LLVM can then vectorise) or the checked
// copy: loop versioning. Each versioned loop and each check it removes is listed in the report.
#include <algorithm>
#include <functional>
#include <map>

#include "ranges.h"

namespace pyvorin {

using namespace ast;

// (x := e) anywhere in a statement's own expressions (not its nested bodies): x is bound there
void count_walrus_targets(const Stmt &s, std::map<std::string, int> &count) {
  std::function<void(const Expr &)> in = [&](const Expr &e) {
    if (e.kind == ExprKind::NamedExpr) count[static_cast<const NamedExpr &>(e).target] += 2;
    for_each_child(e, in);
  };
  switch (s.kind) {
    case StmtKind::Assign:
      for (auto &t : static_cast<const Assign &>(s).targets) in(*t);
      in(*static_cast<const Assign &>(s).value);
      break;
    case StmtKind::AugAssign:
      in(*static_cast<const AugAssign &>(s).target);
      in(*static_cast<const AugAssign &>(s).value);
      break;
    case StmtKind::AnnAssign:
      if (static_cast<const AnnAssign &>(s).value) in(*static_cast<const AnnAssign &>(s).value);
      break;
    case StmtKind::Return:
      if (static_cast<const Return &>(s).value) in(*static_cast<const Return &>(s).value);
      break;
    case StmtKind::ExprStmt: in(*static_cast<const ExprStmt &>(s).value); break;
    case StmtKind::If: in(*static_cast<const If &>(s).test); break;
    case StmtKind::While: in(*static_cast<const While &>(s).test); break;
    case StmtKind::For: in(*static_cast<const For &>(s).iter); break;
    default: break;
  }
}

// the names an unpacking target binds (a subscript or attribute in it binds none)
void count_unpacked_names(const Expr &t, std::map<std::string, int> &count) {
  if (t.kind == ExprKind::Name) count[static_cast<const Name &>(t).id] += 2;
  if (t.kind == ExprKind::Tuple || t.kind == ExprKind::List || t.kind == ExprKind::Starred)
    for_each_child(t, [&](const Expr &c) { count_unpacked_names(c, count); });
}

namespace {

class Scan {
 public:
  explicit Scan(Spec &spec) : m_spec(spec) {}

  void body(const Body &b) {
    for (auto &s : b) stmt(*s);
  }

 private:
  Spec &m_spec;

  Ty type(const Expr &e) const {
    auto it = m_spec.types.find(&e);
    return it == m_spec.types.end() ? Ty::None : it->second;
  }

  // the names a body binds (assignments, loop targets, walrus)
  static void bound_names(const Body &b, std::set<std::string> &out) { collect_locals(b, out); }

  // i, i + c, c + i, i - c (c an int literal): the offset c
  static bool iv_offset(const Expr &e, const std::string &iv, int64_t *c) {
    if (e.kind == ExprKind::Name) {
      *c = 0;
      return static_cast<const Name &>(e).id == iv;
    }
    if (e.kind != ExprKind::BinOp) return false;
    auto &b = static_cast<const BinOp &>(e);
    if (b.op != Op::Add && b.op != Op::Sub) return false;
    auto lit = [](const Expr &x, int64_t *v) {
      if (x.kind != ExprKind::Constant || static_cast<const Constant &>(x).value_kind != Constant::Kind::Int) return false;
      *v = static_cast<const Constant &>(x).int_value;
      return *v > -(int64_t(1) << 40) && *v < (int64_t(1) << 40);
    };
    int64_t v;
    if (b.left->kind == ExprKind::Name && static_cast<const Name &>(*b.left).id == iv && lit(*b.right, &v)) {
      *c = b.op == Op::Add ? v : -v;
      return true;
    }
    if (b.op == Op::Add && b.right->kind == ExprKind::Name && static_cast<const Name &>(*b.right).id == iv && lit(*b.left, &v)) {
      *c = v;
      return true;
    }
    return false;
  }

  // The element accesses of e (and its sub-expressions) indexed by iv on a local array not in `rebound`.
  void accesses(const Expr &e, const std::string &iv, const std::set<std::string> &rebound, RangePlan &plan,
                bool target = false) {
    if (e.kind == ExprKind::Subscript) {
      std::string arr;
      for (auto &[x, axis] : index_items(e, m_spec, &arr)) {
        int64_t c;
        if (m_spec.locals.count(arr) && !rebound.count(arr) && iv_offset(*x, iv, &c))
          plan.checks.push_back({x, arr, axis, c, e.range.line, target ? &e : nullptr});
      }
    }
    for_each_child(e, [&](const Expr &c) { accesses(c, iv, rebound, plan); });
  }

  // how many statements (anywhere in the body, nested loops included) assign each name
  static void count_assignments(const Body &b, std::map<std::string, int> &count) {
    for (auto &s : b) {
      switch (s->kind) {
        case StmtKind::Assign:
          for (auto &t : static_cast<const Assign &>(*s).targets)
            if (t->kind == ExprKind::Name) count[static_cast<const Name &>(*t).id]++;
            else count_unpacked_names(*t, count);  // unpacking: a name there is assigned too
          break;
        case StmtKind::If:
          count_assignments(static_cast<const If &>(*s).body, count);
          count_assignments(static_cast<const If &>(*s).orelse, count);
          break;
        case StmtKind::While:
          count_assignments(static_cast<const While &>(*s).body, count);
          count_assignments(static_cast<const While &>(*s).body, count);  // a nested loop assigns many times
          break;
        case StmtKind::For:
          if (static_cast<const For &>(*s).target->kind == ExprKind::Name) count[static_cast<const Name &>(*static_cast<const For &>(*s).target).id] += 2;
          count_assignments(static_cast<const For &>(*s).body, count);
          count_assignments(static_cast<const For &>(*s).body, count);
          break;
        case StmtKind::AnnAssign:
          if (static_cast<const AnnAssign &>(*s).target->kind == ExprKind::Name)
            count[static_cast<const Name &>(*static_cast<const AnnAssign &>(*s).target).id] += 2;
          break;
        default: break;
      }
      count_walrus_targets(*s, count);
    }
  }

  void accesses_in(const Body &b, const std::string &iv, const std::set<std::string> &rebound, RangePlan &plan) {
    for (auto &s : b) {
      switch (s->kind) {
        case StmtKind::Assign:
          for (auto &t : static_cast<const Assign &>(*s).targets) accesses(*t, iv, rebound, plan, true);
          accesses(*static_cast<const Assign &>(*s).value, iv, rebound, plan);
          break;
        case StmtKind::AnnAssign:
          if (static_cast<const AnnAssign &>(*s).value) accesses(*static_cast<const AnnAssign &>(*s).value, iv, rebound, plan);
          break;
        case StmtKind::Return:
          if (static_cast<const Return &>(*s).value) accesses(*static_cast<const Return &>(*s).value, iv, rebound, plan);
          break;
        case StmtKind::ExprStmt: accesses(*static_cast<const ExprStmt &>(*s).value, iv, rebound, plan); break;
        case StmtKind::If:
          accesses(*static_cast<const If &>(*s).test, iv, rebound, plan);
          accesses_in(static_cast<const If &>(*s).body, iv, rebound, plan);
          accesses_in(static_cast<const If &>(*s).orelse, iv, rebound, plan);
          break;
        case StmtKind::While:
          accesses(*static_cast<const While &>(*s).test, iv, rebound, plan);
          accesses_in(static_cast<const While &>(*s).body, iv, rebound, plan);
          break;
        case StmtKind::For:
          accesses(*static_cast<const For &>(*s).iter, iv, rebound, plan);
          accesses_in(static_cast<const For &>(*s).body, iv, rebound, plan);
          break;
        default: break;
      }
    }
  }

  // The range of an int expression whatever its operands' values (Python's semantics: `x % c`
  // takes the divisor's sign), or false.
  bool bounded(const Expr &e, __int128 *lo, __int128 *hi) const {
    Ty t = type(e);
    if (t == Ty::Bool) {
      *lo = 0, *hi = 1;
      return true;
    }
    if (t != Ty::Int) return false;
    auto literal = [](const Expr &x, int64_t *v) {
      if (x.kind != ExprKind::Constant || static_cast<const Constant &>(x).value_kind != Constant::Kind::Int) return false;
      *v = static_cast<const Constant &>(x).int_value;
      return true;
    };
    int64_t c;
    if (literal(e, &c)) {
      *lo = *hi = c;
      return true;
    }
    if (e.kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(e).op == UnaryOpKind::USub) {
      __int128 a, b;
      if (!bounded(*static_cast<const UnaryOp &>(e).operand, &a, &b)) return false;
      *lo = -b, *hi = -a;
      return true;
    }
    if (e.kind != ExprKind::BinOp) return false;
    auto &b = static_cast<const BinOp &>(e);
    if (b.op == Op::Mod && literal(*b.right, &c) && c != 0) {
      if (c > 0) *lo = 0, *hi = c - 1;
      else *lo = c + 1, *hi = 0;
      return true;
    }
    if (b.op == Op::BitAnd && (literal(*b.right, &c) || literal(*b.left, &c)) && c >= 0) {
      *lo = 0, *hi = c;
      return true;
    }
    __int128 l1, h1, l2, h2;
    const __int128 kLimit = (__int128(1) << 62);
    if (b.op == Op::Pow && literal(*b.right, &c) && c >= 1 && c <= 3 && bounded(*b.left, &l1, &h1)) {
      if (std::max(l1 < 0 ? -l1 : l1, h1 < 0 ? -h1 : h1) > (__int128(1) << 20)) return false;
      auto power = [&](__int128 x) {
        __int128 p = 1;
        for (int64_t k = 0; k < c; ++k) p *= x;
        return p;
      };
      // x ** c is monotonic on each side of 0: its extremes are at the ends, or 0 inside
      std::vector<__int128> at = {power(l1), power(h1)};
      if (l1 < 0 && h1 > 0) at.push_back(0);
      *lo = *std::min_element(at.begin(), at.end());
      *hi = *std::max_element(at.begin(), at.end());
      return *hi < kLimit && *lo > -kLimit;
    }
    if (!bounded(*b.left, &l1, &h1) || !bounded(*b.right, &l2, &h2)) return false;
    switch (b.op) {
      case Op::Add: *lo = l1 + l2, *hi = h1 + h2; break;
      case Op::Sub: *lo = l1 - h2, *hi = h1 - l2; break;
      case Op::Mult: {
        if (std::max({l1 < 0 ? -l1 : l1, h1, l2 < 0 ? -l2 : l2, h2}) > (__int128(1) << 30)) return false;
        __int128 p[] = {l1 * l2, l1 * h2, h1 * l2, h1 * h2};
        *lo = std::min({p[0], p[1], p[2], p[3]});
        *hi = std::max({p[0], p[1], p[2], p[3]});
        break;
      }
      default: return false;
    }
    return *lo > -kLimit && *hi < kLimit;
  }

  // `acc = acc + e` statements of the body (not in nested loops), acc an int assigned nowhere else
  void accumulators(const Body &b, RangePlan &plan) {
    for (auto &s : b) {
      if (s->kind == StmtKind::If) {
        accumulators(static_cast<const If &>(*s).body, plan);
        accumulators(static_cast<const If &>(*s).orelse, plan);
        continue;
      }
      if (s->kind != StmtKind::Assign) continue;
      auto &a = static_cast<const Assign &>(*s);
      if (a.targets.size() != 1 || a.targets[0]->kind != ExprKind::Name || a.value->kind != ExprKind::BinOp) continue;
      const std::string &var = static_cast<const Name &>(*a.targets[0]).id;
      auto &bin = static_cast<const BinOp &>(*a.value);
      if (bin.op != Op::Add || bin.left->kind != ExprKind::Name || static_cast<const Name &>(*bin.left).id != var) continue;
      auto vt = m_spec.vars.find(var);
      if (vt == m_spec.vars.end() || vt->second != Ty::Int || type(*a.value) != Ty::Int) continue;
      __int128 lo, hi;
      if (!bounded(*bin.right, &lo, &hi)) continue;
      plan.accums.push_back({&bin, var, int64_t(lo), int64_t(hi), s->range.line});
    }
  }

  bool counted(const For &f) const {
    // lower's counted loops: for over range(...), which infer types as its int items
    return f.iter->kind == ExprKind::Call && type(*f.iter) == Ty::Int && f.target->kind == ExprKind::Name && f.orelse.empty() &&
           !static_cast<const Call &>(*f.iter).args.empty();
  }

  void stmt(const Stmt &s) {
    switch (s.kind) {
      case StmtKind::If:
        body(static_cast<const If &>(s).body);
        body(static_cast<const If &>(s).orelse);
        break;
      case StmtKind::While:
        body(static_cast<const While &>(s).body);
        body(static_cast<const While &>(s).orelse);
        break;
      case StmtKind::For: {
        auto &f = static_cast<const For &>(s);
        if (counted(f)) {
          const std::string &iv = static_cast<const Name &>(*f.target).id;
          std::set<std::string> rebound;
          bound_names(f.body, rebound);
          if (!rebound.count(iv)) {
            RangePlan plan;
            accesses_in(f.body, iv, rebound, plan);
            accumulators(f.body, plan);
            // an accumulator assigned anywhere else in the body (twice, or in a nested loop) is out
            std::map<std::string, int> count;
            count_assignments(f.body, count);
            plan.accums.erase(std::remove_if(plan.accums.begin(), plan.accums.end(),
                                             [&](const AccumCheck &a) { return count[a.var] != 1; }),
                              plan.accums.end());
            prove_checks(m_spec, f, iv, rebound, count, plan);
            if (!plan.checks.empty() || !plan.accums.empty() || !plan.proven.empty()) m_spec.range_plans[&f] = std::move(plan);
          }
        }
        body(f.body);
        body(f.orelse);
        break;
      }
      default: break;
    }
  }
};

}  // namespace

namespace {

// Counter arrays: a local int64 array that every assignment makes with np.zeros, and that the
// function otherwise only reads elements of, measures (.shape, .size, .ndim, .dtype, len) or
// returns, except for stores of the form `a[k] = a[j] + 1` (what `a[k] += 1` becomes). Each such
// store raises the largest element by at most one, so no element exceeds the number of those
// stores run in this call: 2**63 of them, even at one per clock cycle, take about 60 years, and
// the addition cannot overflow. Anything else that could reach the array's memory (a bare use of
// the name: an alias, an argument, a view, iteration, a method) disqualifies it.
class Counters {
 public:
  explicit Counters(Spec &spec) : m_spec(spec) {}

  void run() {
    for (auto &s : m_spec.fn->body) find(*s);
    if (m_made.empty()) return;
    for (auto &arg : m_spec.fn->args) m_bad.insert(arg.name);  // used as the argument before any np.zeros
    body(m_spec.fn->body);
    if (m_all_bad) return;
    for (auto &c : m_adds)
      if (!m_bad.count(c.array)) m_spec.counter_adds.push_back(c);
  }

 private:
  Spec &m_spec;
  std::map<std::string, int> m_made;  // candidate -> line of its first np.zeros
  std::set<std::string> m_bad;
  bool m_all_bad = false;
  std::vector<CounterAdd> m_adds;

  Ty type(const Expr &e) const {
    auto it = m_spec.types.find(&e);
    return it == m_spec.types.end() ? Ty::None : it->second;
  }
  const std::string *candidate(const Expr &e) const {
    if (e.kind != ExprKind::Name) return nullptr;
    auto it = m_made.find(static_cast<const Name &>(e).id);
    return it == m_made.end() ? nullptr : &it->first;
  }
  // np.zeros(...) of an int64 array
  bool zeros(const Expr &e) const {
    auto it = m_spec.calls.find(&e);
    Ty t = type(e);
    return e.kind == ExprKind::Call && it != m_spec.calls.end() && it->second.kind == CallTarget::Kind::Numpy &&
           it->second.name == "zeros" && is_array(t) && t.dtype() == DType::I64;
  }

  void find(const Stmt &s) {
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        if (a.targets.size() == 1 && a.targets[0]->kind == ExprKind::Name && zeros(*a.value))
          m_made.emplace(static_cast<const Name &>(*a.targets[0]).id, s.range.line);
        break;
      }
      case StmtKind::If:
        for (auto &b : static_cast<const If &>(s).body) find(*b);
        for (auto &b : static_cast<const If &>(s).orelse) find(*b);
        break;
      case StmtKind::While:
        for (auto &b : static_cast<const While &>(s).body) find(*b);
        for (auto &b : static_cast<const While &>(s).orelse) find(*b);
        break;
      case StmtKind::For:
        for (auto &b : static_cast<const For &>(s).body) find(*b);
        for (auto &b : static_cast<const For &>(s).orelse) find(*b);
        break;
      default: break;
    }
  }

  // Marks every candidate e uses other than by an element read, a measure or len().
  void scan(const Expr &e) {
    if (const std::string *a = candidate(e)) {
      m_bad.insert(*a);
      return;
    }
    if (e.kind == ExprKind::NamedExpr) {  // (counts := ...) rebinds it
      auto it = m_made.find(static_cast<const NamedExpr &>(e).target);
      if (it != m_made.end()) m_bad.insert(it->first);
    }
    if (e.kind == ExprKind::Subscript) {
      auto &sub = static_cast<const Subscript &>(e);
      if (candidate(*sub.value) && is_np_scalar(type(e))) {  // an element: a copy
        scan(*sub.slice);
        return;
      }
    }
    if (e.kind == ExprKind::Attribute) {
      auto &at = static_cast<const Attribute &>(e);
      if (candidate(*at.value) && (at.attr == "shape" || at.attr == "size" || at.attr == "ndim" || at.attr == "dtype")) return;
    }
    if (e.kind == ExprKind::Call) {
      auto &c = static_cast<const Call &>(e);
      auto it = m_spec.calls.find(&e);
      if (it != m_spec.calls.end() && it->second.kind == CallTarget::Kind::Builtin && it->second.name == "len" &&
          c.args.size() == 1 && c.keywords.empty() && candidate(*c.args[0]))
        return;
    }
    for_each_child(e, [&](const Expr &c) { scan(c); });
  }

  // An assignment target: as scan, but setting an attribute (`a.shape = ...`, `a.dtype = ...`)
  // is not measuring it.
  void target(const Expr &t) {
    if (t.kind == ExprKind::Attribute)
      if (const std::string *a = candidate(*static_cast<const Attribute &>(t).value)) m_bad.insert(*a);
    scan(t);
  }

  // value is `a[j] + 1` or `1 + a[j]` in a's dtype: its addition, else null
  const Expr *increment(const Expr &value, const std::string &a) {
    if (value.kind != ExprKind::BinOp) return nullptr;
    auto &b = static_cast<const BinOp &>(value);
    Ty t = type(value);
    if (b.op != Op::Add || !is_np_scalar(t) || t.dtype() != DType::I64) return nullptr;
    auto one = [](const Expr &x) {
      return x.kind == ExprKind::Constant && static_cast<const Constant &>(x).value_kind == Constant::Kind::Int &&
             static_cast<const Constant &>(x).int_value == 1;
    };
    auto read = [&](const Expr &x) {
      if (x.kind != ExprKind::Subscript) return false;
      const std::string *name = candidate(*static_cast<const Subscript &>(x).value);
      return name && *name == a && is_np_scalar(type(x)) && type(x).dtype() == DType::I64;
    };
    if (!((read(*b.left) && one(*b.right)) || (one(*b.left) && read(*b.right)))) return nullptr;
    scan(*b.left);  // the read's index (the read itself is an element)
    scan(*b.right);
    return &value;
  }

  void body(const Body &b) {
    for (auto &s : b) stmt(*s);
  }

  void stmt(const Stmt &s) {
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        if (a.targets.size() == 1) {
          const Expr &t = *a.targets[0];
          if (const std::string *name = candidate(t)) {
            if (!zeros(*a.value)) m_bad.insert(*name);
            scan(*a.value);
            return;
          }
          if (t.kind == ExprKind::Subscript) {
            auto &sub = static_cast<const Subscript &>(t);
            if (const std::string *name = candidate(*sub.value)) {
              scan(*sub.slice);
              if (const Expr *add = increment(*a.value, *name)) {
                m_adds.push_back({add, *name, s.range.line, m_made.at(*name)});
              } else {
                m_bad.insert(*name);
                scan(*a.value);
              }
              return;
            }
          }
        }
        for (auto &t : a.targets) target(*t);
        scan(*a.value);
        return;
      }
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(s);
        target(*a.target);
        if (a.value) scan(*a.value);
        return;
      }
      case StmtKind::Return: {
        auto &r = static_cast<const Return &>(s);
        if (!r.value || candidate(*r.value)) return;  // returned: nothing of this call runs after
        if (r.value->kind == ExprKind::Tuple) {
          for (auto &x : static_cast<const Tuple &>(*r.value).elts)
            if (!candidate(*x)) scan(*x);
          return;
        }
        scan(*r.value);
        return;
      }
      case StmtKind::If: {
        auto &n = static_cast<const If &>(s);
        scan(*n.test);
        body(n.body);
        body(n.orelse);
        return;
      }
      case StmtKind::While: {
        auto &n = static_cast<const While &>(s);
        scan(*n.test);
        body(n.body);
        body(n.orelse);
        return;
      }
      case StmtKind::For: {
        auto &n = static_cast<const For &>(s);
        scan(*n.target);
        scan(*n.iter);
        body(n.body);
        body(n.orelse);
        return;
      }
      case StmtKind::ExprStmt: scan(*static_cast<const ExprStmt &>(s).value); return;
      case StmtKind::Delete:
        for (auto &t : static_cast<const Delete &>(s).targets) scan(*t);
        return;
      case StmtKind::Break: case StmtKind::Continue: case StmtKind::Pass: return;
      default: m_all_bad = true; return;  // a nested def (a closure may reach the array), ...
    }
  }
};

}  // namespace

void analyse_ranges(TypedUnit &unit) {
  for (auto &spec : unit.specs) {
    spec->range_plans.clear();
    spec->counter_adds.clear();
    Scan(*spec).body(spec->fn->body);
    Counters(*spec).run();
    find_quiet_ops(*spec);
  }
}

}  // namespace pyvorin
