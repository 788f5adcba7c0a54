// ranges (symbolic): checks in a counted loop's body that the values before the loop prove
// redundant. Each int or float value of the body gets a range whose ends are computed once before
// the loop (Sym: from loop-invariant locals, constants, the loop variable's first and last value
// and array dimensions), refined by the `if` tests it passed:
//
//   for i in range(x.shape[0]):
//       v = x[i]
//       if v >= lo and v < hi:                 v in [lo, hi]
//           k = int((v - lo) * scale)          (v - lo) * scale in [min(...), max(...)]: int() cannot fail
//           if k < bins:                       k in [int(min(...)), min(int(max(...)), bins - 1)]
//               counts[k] += 1                 in bounds when 0 <= that and it < counts.shape[0]
//
// Floating point operations round monotonically, so an operation on values in ranges lies in the
// range of the same operation on the ends (the corners for * and /, whose divisor must not hold
// zero). A test that passed refines a float only where it also excludes NaN (a comparison that
// held), and an int both ways. The checks removed: int()'s |x| < 2**63 test, NumPy's float
// warning tests of an operation whose range is finite, and ndarray bounds checks. Loop
// versioning (lower_loops.cpp) tests the ranges once and runs the copy without those checks.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "ranges.h"

namespace pyvorin {

using namespace ast;

namespace {

SymRef node(Sym::Op op, bool real, std::vector<SymRef> args) {
  auto s = std::make_shared<Sym>();
  s->op = op;
  s->real = real;
  s->args = std::move(args);
  return s;
}
SymRef int_const(int64_t v) {
  auto s = std::make_shared<Sym>();
  s->i = v;
  return s;
}
SymRef real_const(double v) {
  auto s = std::make_shared<Sym>();
  s->real = true;
  s->f = v;
  return s;
}

struct Interval {
  SymRef lo, hi;  // null: unbounded on that side
  bool real = false;
  std::vector<SymTest> pre;  // what must hold before the loop for lo and hi to be bounds
};

void join(std::vector<SymTest> &into, const std::vector<SymTest> &from) { into.insert(into.end(), from.begin(), from.end()); }

enum class Num { None, Int, Real };

class Prover {
 public:
  Prover(const Spec &spec, const std::string &iv, const std::set<std::string> &rebound, const std::map<std::string, int> &count,
         RangePlan &plan)
      : m_spec(spec), m_iv(iv), m_rebound(rebound), m_count(count), m_plan(plan) {
    for (auto &c : plan.checks) m_done.insert(c.index);
  }

  void run(const Body &b) {
    Env env;
    block(b, env);
  }

 private:
  using Env = std::map<std::string, Interval>;
  const Spec &m_spec;
  const std::string &m_iv;
  const std::set<std::string> &m_rebound;
  const std::map<std::string, int> &m_count;
  RangePlan &m_plan;
  std::set<const Expr *> m_done;  // index items the loop variable's own checks cover

  Ty type(const Expr &e) const {
    auto it = m_spec.types.find(&e);
    return it == m_spec.types.end() ? Ty::None : it->second;
  }
  static Num num(Ty t) {
    if (t == Ty::Int) return Num::Int;
    if (t == Ty::Float || (is_np_scalar(t) && !t.weak() && t.dtype() == DType::F64)) return Num::Real;
    return Num::None;
  }
  Num var_num(const std::string &id) const {
    auto it = m_spec.vars.find(id);
    return it == m_spec.vars.end() ? Num::None : num(it->second);
  }
  // a name whose value the body's tests may refine: the loop variable, or a local the body
  // assigns exactly once (so a refinement holds until that assignment, which resets it)
  bool refinable(const std::string &id) const {
    if (id == m_iv) return true;
    auto it = m_count.find(id);
    return it != m_count.end() && it->second == 1 && var_num(id) != Num::None;
  }
  const CallTarget *builtin(const Expr &e, const char *name) const {
    auto it = m_spec.calls.find(&e);
    if (it == m_spec.calls.end() || it->second.kind != CallTarget::Kind::Builtin || it->second.name != name) return nullptr;
    auto &c = static_cast<const Call &>(e);
    return c.keywords.empty() && !c.has_star_args ? &it->second : nullptr;
  }

  static Interval to_real(Interval x) {
    if (x.real) return x;
    if (x.lo) x.lo = node(Sym::Op::ToFloat, true, {x.lo});
    if (x.hi) x.hi = x.lo && x.hi == x.lo->args[0] ? x.lo : node(Sym::Op::ToFloat, true, {x.hi});
    x.real = true;
    return x;
  }
  static bool point(const Interval &x) { return x.lo && x.lo == x.hi; }
  static SymRef both(Sym::Op op, bool real, const SymRef &a, const SymRef &b) {
    return a && b ? node(op, real, {a, b}) : nullptr;
  }
  // the least and greatest of the products (quotients) of the ends
  static std::optional<Interval> corners(Sym::Op op, const Interval &a, const Interval &b) {
    if (!a.lo || !a.hi || !b.lo || !b.hi) return std::nullopt;
    Interval r;
    r.real = a.real;
    r.pre = a.pre;
    join(r.pre, b.pre);
    std::vector<SymRef> at;
    for (const SymRef &x : point(a) ? std::vector<SymRef>{a.lo} : std::vector<SymRef>{a.lo, a.hi})
      for (const SymRef &y : point(b) ? std::vector<SymRef>{b.lo} : std::vector<SymRef>{b.lo, b.hi}) at.push_back(node(op, a.real, {x, y}));
    if (at.size() == 1) {
      r.lo = r.hi = at[0];
      return r;
    }
    r.lo = node(Sym::Op::Min, a.real, at);
    r.hi = node(Sym::Op::Max, a.real, at);
    return r;
  }

  std::optional<Interval> arith(Op op, Interval a, Interval b, bool real) {
    if (real) a = to_real(a), b = to_real(b);
    if (a.real != b.real) return std::nullopt;
    Interval r;
    r.real = a.real;
    r.pre = a.pre;
    join(r.pre, b.pre);
    switch (op) {
      case Op::Add:
        if (point(a) && point(b)) r.lo = r.hi = node(Sym::Op::Add, r.real, {a.lo, b.lo});
        else r.lo = both(Sym::Op::Add, r.real, a.lo, b.lo), r.hi = both(Sym::Op::Add, r.real, a.hi, b.hi);
        return r;
      case Op::Sub:
        if (point(a) && point(b)) r.lo = r.hi = node(Sym::Op::Sub, r.real, {a.lo, b.lo});
        else r.lo = both(Sym::Op::Sub, r.real, a.lo, b.hi), r.hi = both(Sym::Op::Sub, r.real, a.hi, b.lo);
        return r;
      case Op::Mult: return corners(Sym::Op::Mul, a, b);
      case Op::Div: {
        if (!r.real || !b.lo || !b.hi) return std::nullopt;
        auto q = corners(Sym::Op::Div, a, b);
        // the divisor's ends have one sign: the quotient is monotonic in it (0 < lo * hi)
        if (q) q->pre.push_back({real_const(0.0), point(b) ? node(Sym::Op::Mul, true, {b.lo, b.lo}) : node(Sym::Op::Mul, true, {b.lo, b.hi}), true});
        return q;
      }
      case Op::Mod:  // an int modulo n > 0 lies in [0, n - 1], whatever its sign (Python's %)
        if (r.real || !point(b)) return std::nullopt;
        r.lo = int_const(0);
        r.hi = node(Sym::Op::Sub, false, {b.lo, int_const(1)});
        r.pre.push_back({int_const(0), b.lo, true});
        return r;
      default: return std::nullopt;
    }
  }

  // The range of e's value: unbounded where nothing is known of a number, nothing where e is
  // not one. With `record`, the checks e and its operands hold that their ranges make redundant
  // go into the plan.
  std::optional<Interval> value(const Expr &e, const Env &env, bool record) {
    std::optional<Interval> r = known(e, env, record);
    Num n = num(type(e));
    if (!r && n != Num::None) {
      r = Interval{};
      r->real = n == Num::Real;
    }
    return r;
  }

  // a loop-invariant local ndarray's extent: a.shape[k] (k a constant) or len(a)
  SymRef dim(const Expr &e) const {
    const Expr *arr = nullptr;
    int64_t axis = 0;
    if (e.kind == ExprKind::Subscript) {
      auto &s = static_cast<const Subscript &>(e);
      if (s.value->kind != ExprKind::Attribute || static_cast<const Attribute &>(*s.value).attr != "shape" ||
          s.slice->kind != ExprKind::Constant || static_cast<const Constant &>(*s.slice).value_kind != Constant::Kind::Int)
        return nullptr;
      arr = static_cast<const Attribute &>(*s.value).value.get();
      axis = static_cast<const Constant &>(*s.slice).int_value;
    } else if (e.kind == ExprKind::Call && builtin(e, "len") && static_cast<const Call &>(e).args.size() == 1) {
      arr = static_cast<const Call &>(e).args[0].get();
    }
    if (!arr || arr->kind != ExprKind::Name || axis < 0 || !is_array(type(*arr))) return nullptr;
    const std::string &id = static_cast<const Name &>(*arr).id;
    if (m_rebound.count(id) || !m_spec.locals.count(id)) return nullptr;
    auto d = std::make_shared<Sym>();
    d->op = Sym::Op::Dim;
    d->var = id;
    d->i = axis;
    return d;
  }

  std::optional<Interval> known(const Expr &e, const Env &env, bool record) {
    if (SymRef d = type(e) == Ty::Int ? dim(e) : nullptr) {
      Interval r;
      r.lo = r.hi = d;
      return r;
    }
    auto children = [&]() {
      if (record) for_each_child(e, [&](const Expr &c) { value(c, env, true); });
    };
    switch (e.kind) {
      case ExprKind::Constant: {
        auto &c = static_cast<const Constant &>(e);
        Interval r;
        if (c.value_kind == Constant::Kind::Int) r.lo = r.hi = int_const(c.int_value);
        else if (c.value_kind == Constant::Kind::Float) r.lo = r.hi = real_const(c.float_value), r.real = true;
        else return std::nullopt;
        return r;
      }
      case ExprKind::Name: {
        const std::string &id = static_cast<const Name &>(e).id;
        auto it = env.find(id);
        if (it != env.end()) return it->second;
        Interval r;
        if (id == m_iv) {
          r.lo = node(Sym::Op::IvLo, false, {});
          r.hi = node(Sym::Op::IvHi, false, {});
          return r;
        }
        Num n = var_num(id);
        if (m_rebound.count(id) || n == Num::None) return std::nullopt;
        auto s = std::make_shared<Sym>();  // loop-invariant: its value before the loop
        s->op = Sym::Op::Var;
        s->real = n == Num::Real;
        s->var = id;
        r.lo = r.hi = s;
        r.real = s->real;
        return r;
      }
      case ExprKind::UnaryOp: {
        auto &u = static_cast<const UnaryOp &>(e);
        auto x = value(*u.operand, env, record);
        if (!x || num(type(e)) == Num::None) return std::nullopt;
        if (u.op == UnaryOpKind::UAdd) return x;
        if (u.op != UnaryOpKind::USub) return std::nullopt;
        Interval r = *x;
        if (point(r)) r.lo = r.hi = node(Sym::Op::Neg, r.real, {x->lo});
        else r.lo = x->hi ? node(Sym::Op::Neg, r.real, {x->hi}) : nullptr, r.hi = x->lo ? node(Sym::Op::Neg, r.real, {x->lo}) : nullptr;
        return r;
      }
      case ExprKind::BinOp: {
        auto &b = static_cast<const BinOp &>(e);
        auto l = value(*b.left, env, record);
        auto r = value(*b.right, env, record);
        Ty t = type(e);
        Num n = num(t);
        if (!l || !r || n == Num::None || num(type(*b.left)) == Num::None || num(type(*b.right)) == Num::None) return std::nullopt;
        auto x = arith(b.op, *l, *r, n == Num::Real);
        if (record && x && x->lo && x->hi && is_np_scalar(t) &&
            (b.op == Op::Add || b.op == Op::Sub || b.op == Op::Mult || b.op == Op::Div)) {
          // NumPy warns about an infinite or NaN result only: a finite range has none
          ProvenCheck c{ProvenCheck::Kind::FloatWarning, &e, nullptr, "", 0, e.range.line, x->lo, x->hi, x->pre};
          c.tests.push_back({real_const(-HUGE_VAL), x->lo, true});
          c.tests.push_back({x->hi, real_const(HUGE_VAL), true});
          m_plan.proven.push_back(std::move(c));
        }
        return x;
      }
      case ExprKind::Call: {
        auto &c = static_cast<const Call &>(e);
        children();
        if (c.args.size() == 1 && (builtin(e, "int") || builtin(e, "float"))) {
          auto x = value(*c.args[0], env, false);
          Num from = num(type(*c.args[0]));
          if (!x || from == Num::None) return std::nullopt;
          if (builtin(e, "float")) return to_real(*x);
          if (from == Num::Int) return x;
          if (!x->lo || !x->hi) return std::nullopt;
          // int(x) truncates where -2**63 < x < 2**63; elsewhere the runtime raises or reruns
          std::vector<SymTest> fits = x->pre;
          fits.push_back({real_const(-9223372036854775808.0), x->lo, true});
          fits.push_back({x->hi, real_const(9223372036854775808.0), true});
          if (record) m_plan.proven.push_back({ProvenCheck::Kind::IntRange, &e, nullptr, "", 0, e.range.line, x->lo, x->hi, fits});
          Interval r;
          r.lo = node(Sym::Op::Trunc, false, {x->lo});
          r.hi = point(*x) ? r.lo : node(Sym::Op::Trunc, false, {x->hi});
          r.pre = std::move(fits);
          return r;
        }
        if (c.args.size() == 2 && (builtin(e, "min") || builtin(e, "max"))) {
          Num n = num(type(e));
          auto a = value(*c.args[0], env, false), b = value(*c.args[1], env, false);
          if (!a || !b || n == Num::None || num(type(*c.args[0])) != n || num(type(*c.args[1])) != n) return std::nullopt;
          // min and max of numbers of one kind return one of them: the ends' min and max bound it
          Sym::Op op = builtin(e, "min") ? Sym::Op::Min : Sym::Op::Max;
          Interval r;
          r.real = n == Num::Real;
          r.pre = a->pre;
          join(r.pre, b->pre);
          if (op == Sym::Op::Min) {
            r.lo = both(op, r.real, a->lo, b->lo);
            r.hi = a->hi && b->hi ? node(op, r.real, {a->hi, b->hi}) : a->hi ? a->hi : b->hi;
          } else {
            r.lo = a->lo && b->lo ? node(op, r.real, {a->lo, b->lo}) : a->lo ? a->lo : b->lo;
            r.hi = both(op, r.real, a->hi, b->hi);
          }
          return r;
        }
        return std::nullopt;
      }
      case ExprKind::Subscript: {
        children();
        if (record) bounds(e, env, false);
        return std::nullopt;
      }
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: case ExprKind::Lambda:
        return std::nullopt;  // a scope of its own: its names are not the body's
      default:
        children();
        return std::nullopt;
    }
  }

  // The bounds checks of an element access on a loop-invariant local array whose index items
  // have known ranges.
  void bounds(const Expr &e, const Env &env, bool store) {
    std::string array;
    for (auto &[x, axis] : index_items(e, m_spec, &array)) {
      if (array.empty() || m_rebound.count(array) || !m_spec.locals.count(array) || m_done.count(x)) continue;
      if (type(*x) != Ty::Int) continue;
      auto r = value(*x, env, false);
      if (!r || !r->lo || !r->hi) continue;
      ProvenCheck c{ProvenCheck::Kind::Bounds, x, store ? &e : nullptr, array, axis, e.range.line, r->lo, r->hi, r->pre};
      auto dim = std::make_shared<Sym>();
      dim->op = Sym::Op::Dim;
      dim->var = array;
      dim->i = axis;
      c.tests.push_back({int_const(0), r->lo, false});
      c.tests.push_back({r->hi, dim, true});
      m_plan.proven.push_back(std::move(c));
      m_done.insert(x);
    }
  }

  // What the truth of `test` says about the names it compares.
  void refine(const Expr &test, Env &env) {
    if (test.kind == ExprKind::BoolOp && static_cast<const BoolOp &>(test).op == BoolOpKind::And) {
      for (auto &v : static_cast<const BoolOp &>(test).values) refine(*v, env);
      return;
    }
    if (test.kind != ExprKind::Compare) return;
    auto &c = static_cast<const Compare &>(test);
    static const std::map<CmpOp, CmpOp> flip = {{CmpOp::Lt, CmpOp::Gt}, {CmpOp::LtE, CmpOp::GtE}, {CmpOp::Gt, CmpOp::Lt},
                                               {CmpOp::GtE, CmpOp::LtE}, {CmpOp::Eq, CmpOp::Eq}};
    // a < b <= c held: each link did; both sides' ranges as they were before the test
    Env before = env;
    for (size_t k = 0; k < c.ops.size(); ++k) {
      auto f = flip.find(c.ops[k]);
      if (f == flip.end()) continue;
      const Expr &l = k ? *c.comparators[k - 1] : *c.left, &r = *c.comparators[k];
      bound(l, c.ops[k], r, before, env);
      bound(r, f->second, l, before, env);
    }
  }

  // x op other held: x's new range
  void bound(const Expr &x, CmpOp op, const Expr &other, const Env &before, Env &env) {
    if (x.kind != ExprKind::Name) return;
    const std::string &id = static_cast<const Name &>(x).id;
    Num n = num(type(x));
    if (!refinable(id) || n == Num::None || var_num(id) != n) return;
    auto o = value(other, before, false);
    Num on = num(type(other));
    if (!o || on == Num::None || (n == Num::Int && on != Num::Int)) return;
    if (n == Num::Real) o = to_real(*o);  // a float compared with an int: the int's nearest double bounds it too
    auto cur = value(x, env, false);  // as earlier links of the test left it
    Interval r = cur ? *cur : Interval{};
    r.real = n == Num::Real;
    auto tighten = [&](SymRef &end, SymRef by, Sym::Op keep) {
      if (!by) return;
      end = end ? node(keep, r.real, {end, by}) : by;
      join(r.pre, o->pre);
    };
    bool lt = op == CmpOp::Lt || op == CmpOp::LtE || op == CmpOp::Eq;
    bool gt = op == CmpOp::Gt || op == CmpOp::GtE || op == CmpOp::Eq;
    if (lt) {
      SymRef h = o->hi;
      if (h && op == CmpOp::Lt && n == Num::Int) h = node(Sym::Op::Sub, false, {h, int_const(1)});
      tighten(r.hi, h, Sym::Op::Min);
    }
    if (gt) {
      SymRef l = o->lo;
      if (l && op == CmpOp::Gt && n == Num::Int) l = node(Sym::Op::Add, false, {l, int_const(1)});
      tighten(r.lo, l, Sym::Op::Max);
    }
    if (r.lo || r.hi) env[id] = std::move(r);
  }

  void forget_bound(const Body &b, Env &env) {
    std::set<std::string> names;
    collect_locals(b, names);
    for (auto &n : names) env.erase(n);
  }

  void block(const Body &b, Env &env) {
    for (auto &s : b) stmt(*s, env);
  }

  void stmt(const Stmt &s, Env &env) {
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        auto v = value(*a.value, env, true);
        for (auto &t : a.targets) {
          if (t->kind == ExprKind::Subscript) {
            auto &sub = static_cast<const Subscript &>(*t);
            value(*sub.value, env, true);
            value(*sub.slice, env, true);
            bounds(*t, env, true);
          } else if (t->kind != ExprKind::Name) {
            value(*t, env, true);
          }
        }
        for (auto &t : a.targets) {
          if (t->kind != ExprKind::Name) {
            forget_names(*t, env);
            continue;
          }
          const std::string &id = static_cast<const Name &>(*t).id;
          auto it = m_count.find(id);
          if (v && a.targets.size() == 1 && it != m_count.end() && it->second == 1 && var_num(id) == (v->real ? Num::Real : Num::Int))
            env[id] = *v;
          else
            env.erase(id);
        }
        forget_walrus(*a.value, env);
        return;
      }
      case StmtKind::AnnAssign: {
        auto &a = static_cast<const AnnAssign &>(s);
        if (a.value) value(*a.value, env, true);
        if (a.target->kind == ExprKind::Name) env.erase(static_cast<const Name &>(*a.target).id);
        else env.clear();
        return;
      }
      case StmtKind::ExprStmt:
        value(*static_cast<const ExprStmt &>(s).value, env, true);
        forget_walrus(*static_cast<const ExprStmt &>(s).value, env);
        return;
      case StmtKind::Return:
        if (static_cast<const Return &>(s).value) value(*static_cast<const Return &>(s).value, env, true);
        return;
      case StmtKind::If: {
        auto &n = static_cast<const If &>(s);
        value(*n.test, env, true);
        forget_walrus(*n.test, env);
        Env yes = env, no = env;
        refine(*n.test, yes);
        block(n.body, yes);
        block(n.orelse, no);
        forget_bound(n.body, env);
        forget_bound(n.orelse, env);
        return;
      }
      case StmtKind::Break: case StmtKind::Continue: case StmtKind::Pass: return;
      case StmtKind::While:
        forget_bound(static_cast<const While &>(s).body, env);  // a loop of its own: not followed
        forget_bound(static_cast<const While &>(s).orelse, env);
        forget_walrus(*static_cast<const While &>(s).test, env);
        return;
      case StmtKind::For: {
        auto &f = static_cast<const For &>(s);
        nested(f, env);
        forget_bound(f.body, env);
        forget_bound(f.orelse, env);
        forget_names(*f.target, env);
        forget_walrus(*f.iter, env);
        return;
      }
      default: env.clear(); return;  // del, a nested def, ...: nothing known after it
    }
  }

  // A nested `for j in range(...)` (a constant step): its body's checks too, j lying between
  // range()'s start and stop. Names the nested body binds are unknown there (an earlier
  // iteration's values).
  void nested(const For &f, const Env &env) {
    // lower's counted loops: range(...), which infer types as its int items
    if (f.target->kind != ExprKind::Name || !f.orelse.empty() || f.iter->kind != ExprKind::Call || type(*f.iter) != Ty::Int) return;
    auto &call = static_cast<const Call &>(*f.iter);
    if (call.args.empty() || call.args.size() > 3) return;
    for (auto &a : call.args)
      if (type(*a) != Ty::Int) return;
    int64_t step = 1;
    if (call.args.size() == 3 && (!int_literal(*call.args[2], &step) || step == 0)) return;
    Interval start;
    start.lo = start.hi = int_const(0);
    if (call.args.size() >= 2) start = *value(*call.args[0], env, false);
    Interval stop = *value(*call.args[call.args.size() >= 2 ? 1 : 0], env, false);
    Interval iv;
    iv.pre = start.pre;
    join(iv.pre, stop.pre);
    if (step > 0) {  // start <= j < stop
      iv.lo = start.lo;
      iv.hi = stop.hi ? node(Sym::Op::Sub, false, {stop.hi, int_const(1)}) : nullptr;
    } else {  // stop < j <= start
      iv.lo = stop.lo ? node(Sym::Op::Add, false, {stop.lo, int_const(1)}) : nullptr;
      iv.hi = start.hi;
    }
    Env inner = env;
    forget_bound(f.body, inner);
    forget_walrus(*f.iter, inner);
    inner[static_cast<const Name &>(*f.target).id] = iv;
    block(f.body, inner);
  }

  // every name in a target (a tuple's items, a subscript's index): nothing known of it after
  static void forget_names(const Expr &t, Env &env) {
    if (t.kind == ExprKind::Name) env.erase(static_cast<const Name &>(t).id);
    for_each_child(t, [&](const Expr &x) { forget_names(x, env); });
  }

  // (x := e) rebinds x
  static void forget_walrus(const Expr &e, Env &env) {
    if (e.kind == ExprKind::NamedExpr) env.erase(static_cast<const NamedExpr &>(e).target);
    for_each_child(e, [&](const Expr &c) { forget_walrus(c, env); });
  }
};

}  // namespace

std::vector<std::pair<const Expr *, int>> index_items(const Expr &e, const Spec &spec, std::string *array) {
  std::vector<std::pair<const Expr *, int>> out;
  array->clear();
  IndexChain chain = index_chain(e, spec);
  if (!chain.base || chain.base->kind != ExprKind::Name) return out;
  *array = static_cast<const Name &>(*chain.base).id;
  // Each int item takes the next axis of the array, and so does a slice within its own
  // subscript; but the view a slice makes is indexed again from its axis 0 (a[1:][k]), and None
  // or a mask has axes of its own: such chains have no items here.
  int axis = 0;
  for (size_t k = 0; k < chain.items.size(); ++k) {
    bool sliced = false;
    for (const Expr *x : chain.items[k]) {
      auto t = spec.types.find(x);
      if (x->kind == ExprKind::Slice) sliced = true;
      else if (t != spec.types.end() && int_index(t->second)) out.push_back({x, axis});
      else return {};
      ++axis;
    }
    if (sliced && k + 1 != chain.items.size()) return {};
  }
  return out;
}

// as Python's repr writes floats (the runtime's float_repr): "0.1", "1e+16", "2.0", "inf"
std::string real_text(double v) {
  char buf[40];
  pv_format_float(v, buf, sizeof buf);
  return buf;
}

namespace {
// binding strength, as Python's: an operand that binds less tightly is parenthesised
int strength(const Sym &s) {
  switch (s.op) {
    case Sym::Op::Add: case Sym::Op::Sub: return 1;
    case Sym::Op::Mul: case Sym::Op::Div: return 2;
    case Sym::Op::Neg: return 3;
    case Sym::Op::Const: return s.real ? (s.f < 0 ? 3 : 4) : (s.i < 0 ? 3 : 4);
    default: return 4;
  }
}
}  // namespace

std::string sym_text(const Sym &s, const std::string &iv) {
  auto operand = [&](const Sym &x, int need) {
    std::string t = sym_text(x, iv);
    return strength(x) < need ? "(" + t + ")" : t;
  };
  auto list = [&](const char *fn) {
    std::string t = std::string(fn) + "(";
    for (size_t k = 0; k < s.args.size(); ++k) t += (k ? ", " : "") + sym_text(*s.args[k], iv);
    return t + ")";
  };
  switch (s.op) {
    case Sym::Op::Const: return s.real ? real_text(s.f) : std::to_string(s.i);
    case Sym::Op::Var: return s.var;
    case Sym::Op::IvLo: return "first " + iv;
    case Sym::Op::IvHi: return "last " + iv;
    case Sym::Op::Dim: return s.var + ".shape[" + std::to_string(s.i) + "]";
    case Sym::Op::Add: return operand(*s.args[0], 1) + " + " + operand(*s.args[1], 2);
    case Sym::Op::Sub: return operand(*s.args[0], 1) + " - " + operand(*s.args[1], 2);
    case Sym::Op::Mul: return operand(*s.args[0], 2) + " * " + operand(*s.args[1], 3);
    case Sym::Op::Div: return operand(*s.args[0], 2) + " / " + operand(*s.args[1], 3);
    case Sym::Op::Neg: return "-" + operand(*s.args[0], 3);
    case Sym::Op::Min: return list("min");
    case Sym::Op::Max: return list("max");
    case Sym::Op::Trunc: return list("int");
    case Sym::Op::ToFloat: return list("float");
  }
  return "?";
}

void prove_checks(const Spec &spec, const For &loop, const std::string &iv, const std::set<std::string> &rebound,
                  const std::map<std::string, int> &count, RangePlan &plan) {
  Prover(spec, iv, rebound, count, plan).run(loop.body);
}

}  // namespace pyvorin
