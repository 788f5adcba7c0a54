// ranges (float classes): NumPy float64 operations that cannot warn, whatever the arguments.
// NumPy warns about a + - * / of float64 scalars only when the result is infinite from finite
// operands (overflow, or a finite number divided by zero) or NaN from operands that are not
// (inf - inf, 0 * inf, 0 / 0, inf / inf). Each value gets a class: the interval its finite values
// lie in, and whether it may be +inf, -inf or NaN. Rounding is monotonic, so the ends of a
// result's interval are the operation on the operands' ends, computed in double as the program
// would; an end that comes out infinite means the operation may overflow.
//
//   t = 1.0 / (1.0 + 0.2316419 * abs(x))     abs(x) in [0, MAX] or +inf or NaN; the sum in
//                                            [1, ...]: the quotient lies in [0, 1], never warns
//   poly = t * (0.319381530 + t * (...))     finite operands, finite ends: no warning
//
// Only names bound exactly once in the function (parameters count) carry a class: every value
// such a name ever holds comes from that one binding, computed from operands whose classes hold
// at every point, so no flow analysis is needed. Everything else is "anything".
#include <cfloat>
#include <cmath>
#include <functional>

#include "ranges.h"

namespace pyvorin {

using namespace ast;

namespace {

struct FClass {
  bool finite = true;      // some finite value is possible, in [lo, hi]
  double lo = -DBL_MAX, hi = DBL_MAX;
  bool pinf = true, ninf = true, nan = true;
  static FClass any() { return {}; }
  static FClass point(double v) {
    FClass c;
    c.pinf = c.ninf = c.nan = false;
    if (std::isnan(v)) c.finite = false, c.nan = true;
    else if (std::isinf(v)) c.finite = false, (v > 0 ? c.pinf : c.ninf) = true;
    else c.lo = c.hi = v;
    return c;
  }
  bool has_zero() const { return finite && lo <= 0.0 && hi >= 0.0; }
  bool has_inf() const { return pinf || ninf; }
};

// the finite interval's ends after an operation: an infinite end is an overflow (and a value of
// that sign); a NaN end cannot come from finite operands of + - * but is kept conservative
void set_ends(FClass &r, double a, double b, bool *overflow) {
  double lo = std::fmin(a, b), hi = std::fmax(a, b);
  if (std::isnan(a) || std::isnan(b)) {
    *overflow = true;
    r.nan = r.pinf = r.ninf = true;
    r.lo = -DBL_MAX, r.hi = DBL_MAX;
    return;
  }
  if (std::isinf(lo)) *overflow = true, r.ninf = true, lo = -DBL_MAX;
  if (std::isinf(hi)) *overflow = true, r.pinf = true, hi = DBL_MAX;
  if (lo > hi) lo = -DBL_MAX, hi = DBL_MAX;
  r.lo = std::fmin(r.finite ? r.lo : lo, lo);
  r.hi = std::fmax(r.finite ? r.hi : hi, hi);
  r.finite = true;
}

FClass negate(FClass c) {
  std::swap(c.pinf, c.ninf);
  double lo = -c.hi, hi = -c.lo;
  c.lo = lo, c.hi = hi;
  return c;
}

// a op b, and whether NumPy could warn about it
FClass arith(Op op, const FClass &a, const FClass &b, bool *warns) {
  FClass r;
  r.finite = false;
  r.pinf = r.ninf = false;
  r.nan = a.nan || b.nan;
  bool overflow = false, invalid = false, divide = false;
  switch (op) {
    case Op::Add: case Op::Sub: {
      FClass c = op == Op::Sub ? negate(b) : b;
      if (a.finite && c.finite) set_ends(r, a.lo + c.lo, a.hi + c.hi, &overflow);
      // inf + finite or inf + inf of one sign: that inf; inf + -inf: NaN from non-NaN operands
      if ((a.pinf && c.ninf) || (a.ninf && c.pinf)) invalid = true, r.nan = true;
      if (a.pinf || c.pinf) r.pinf = true;
      if (a.ninf || c.ninf) r.ninf = true;
      break;
    }
    case Op::Mult: {
      if (a.finite && b.finite) {
        double p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
        set_ends(r, std::fmin(std::fmin(p[0], p[1]), std::fmin(p[2], p[3])), std::fmax(std::fmax(p[0], p[1]), std::fmax(p[2], p[3])),
                 &overflow);
      }
      // 0 * inf: NaN; any other inf operand: an inf of either sign
      if ((a.has_zero() && b.has_inf()) || (b.has_zero() && a.has_inf())) invalid = true, r.nan = true;
      // inf times a nonzero value or an inf: an inf of the product's sign
      auto pos = [](const FClass &c) { return c.pinf || (c.finite && c.hi > 0.0); };
      auto neg = [](const FClass &c) { return c.ninf || (c.finite && c.lo < 0.0); };
      auto infs = [&](const FClass &x, const FClass &y) {  // x's infinities times y's nonzero values
        if ((x.pinf && pos(y)) || (x.ninf && neg(y))) r.pinf = true;
        if ((x.pinf && neg(y)) || (x.ninf && pos(y))) r.ninf = true;
      };
      infs(a, b);
      infs(b, a);
      break;
    }
    case Op::Div: {
      if (a.finite && b.finite) {
        if (b.has_zero()) {
          // finite / 0: inf with a warning (0 / 0: NaN, invalid); near zero: anything
          divide = true;
          if (a.has_zero()) invalid = true, r.nan = true;
          r.pinf = r.ninf = true;
          set_ends(r, -DBL_MAX, DBL_MAX, &overflow);
        } else {
          double q[4] = {a.lo / b.lo, a.lo / b.hi, a.hi / b.lo, a.hi / b.hi};
          set_ends(r, std::fmin(std::fmin(q[0], q[1]), std::fmin(q[2], q[3])), std::fmax(std::fmax(q[0], q[1]), std::fmax(q[2], q[3])),
                   &overflow);
        }
      }
      if (a.has_inf() && b.has_inf()) invalid = true, r.nan = true;  // inf / inf
      if (a.has_inf() && b.finite) r.pinf = r.ninf = true;           // inf / finite
      if (a.finite && b.has_inf()) set_ends(r, 0.0, 0.0, &overflow);  // finite / inf: a zero
      break;
    }
    default: *warns = true; return FClass::any();
  }
  *warns = overflow || invalid || divide;
  return r;
}

// "[0, 1]", "[1, 1.7976931348623157e+308] or +inf or NaN"
std::string text(const FClass &c) {
  std::vector<std::string> parts;
  if (c.finite) parts.push_back("[" + real_text(c.lo) + ", " + real_text(c.hi) + "]");
  if (c.pinf) parts.push_back("+inf");
  if (c.ninf) parts.push_back("-inf");
  if (c.nan) parts.push_back("NaN");
  std::string t;
  for (size_t i = 0; i < parts.size(); ++i) t += (i ? " or " : "") + parts[i];
  return t;
}

class Classes {
 public:
  explicit Classes(Spec &spec) : m_spec(spec) {}

  void run() {
    const FunctionDef &fn = *m_spec.fn;
    for (auto &a : fn.args) m_count[a.name]++;
    if (!count_body(fn.body)) return;  // a construct it does not know: no proof at all
    body(fn.body);
  }

 private:
  Spec &m_spec;
  std::map<std::string, int> m_count;
  std::map<std::string, FClass> m_env;

  Ty type(const Expr &e) const {
    auto it = m_spec.types.find(&e);
    return it == m_spec.types.end() ? Ty::None : it->second;
  }
  // a NumPy float64, or `float | np.float64` (max(a[i], 0.0)): a double either way
  static bool np_f64(Ty t) { return is_np_scalar(t) && t.dtype() == DType::F64; }
  static bool numeric(Ty t) { return t == Ty::Int || t == Ty::Float || t == Ty::Bool || np_f64(t); }

  // how many times each name is bound; false where a statement could bind names it cannot see
  bool count_body(const Body &b) {
    for (auto &s : b)
      if (!count_stmt(*s)) return false;
    return true;
  }
  bool count_stmt(const Stmt &s) {
    count_walrus_targets(s, m_count);
    switch (s.kind) {
      case StmtKind::Assign:
        for (auto &t : static_cast<const Assign &>(s).targets)
          if (t->kind == ExprKind::Name) m_count[static_cast<const Name &>(*t).id]++;
          else count_unpacked_names(*t, m_count);
        return true;
      case StmtKind::AugAssign: count_unpacked_names(*static_cast<const AugAssign &>(s).target, m_count); return true;
      case StmtKind::AnnAssign: count_unpacked_names(*static_cast<const AnnAssign &>(s).target, m_count); return true;
      case StmtKind::Return: case StmtKind::ExprStmt: case StmtKind::Break: case StmtKind::Continue: case StmtKind::Pass:
        return true;
      case StmtKind::If: return count_body(static_cast<const If &>(s).body) && count_body(static_cast<const If &>(s).orelse);
      case StmtKind::While: return count_body(static_cast<const While &>(s).body) && count_body(static_cast<const While &>(s).orelse);
      case StmtKind::For:
        count_unpacked_names(*static_cast<const For &>(s).target, m_count);
        return count_body(static_cast<const For &>(s).body) && count_body(static_cast<const For &>(s).orelse);
      case StmtKind::Delete:
        for (auto &t : static_cast<const Delete &>(s).targets) count_unpacked_names(*t, m_count);
        return true;
      default: return false;  // a nested def, with, try, global, ...: no proof at all
    }
  }

  FClass value(const Expr &e) {
    FClass r = known(e);
    Ty t = type(e);
    if (t == Ty::Int || t == Ty::Bool) {  // an int64 (compiled ints are): finite, in its range
      double lo = t == Ty::Bool ? 0.0 : -9223372036854775808.0, hi = t == Ty::Bool ? 1.0 : 9223372036854775808.0;
      r.lo = r.finite ? std::fmax(r.lo, lo) : lo;
      r.hi = r.finite ? std::fmin(r.hi, hi) : hi;
      if (r.lo > r.hi) r.lo = lo, r.hi = hi;
      r.finite = true;
      r.pinf = r.ninf = r.nan = false;
    }
    return r;
  }

  FClass known(const Expr &e) {
    switch (e.kind) {
      case ExprKind::Constant: {
        auto &c = static_cast<const Constant &>(e);
        if (c.value_kind == Constant::Kind::Int) return FClass::point(double(c.int_value));
        if (c.value_kind == Constant::Kind::Float) return FClass::point(c.float_value);
        for_each_child(e, [&](const Expr &x) { value(x); });
        return FClass::any();
      }
      case ExprKind::Name: {
        auto it = m_env.find(static_cast<const Name &>(e).id);
        return it == m_env.end() ? FClass::any() : it->second;
      }
      case ExprKind::UnaryOp: {
        auto &u = static_cast<const UnaryOp &>(e);
        FClass x = value(*u.operand);
        if (!numeric(type(*u.operand)) || !numeric(type(e))) return FClass::any();
        if (u.op == UnaryOpKind::UAdd) return x;
        if (u.op == UnaryOpKind::USub) return negate(x);
        return FClass::any();
      }
      case ExprKind::BinOp: {
        auto &b = static_cast<const BinOp &>(e);
        FClass l = value(*b.left), r = value(*b.right);
        Ty t = type(e);
        if (!numeric(t) || !numeric(type(*b.left)) || !numeric(type(*b.right))) return FClass::any();
        if (b.op != Op::Add && b.op != Op::Sub && b.op != Op::Mult && b.op != Op::Div) return FClass::any();
        bool warns = true;
        FClass x = arith(b.op, l, r, &warns);
        if (int sign = b.op == Op::Mult ? square_sign(b) : 0) {  // a square's sign is known
          if (sign > 0) x.ninf = false, x.lo = x.finite ? std::fmax(x.lo, 0.0) : x.lo;
          else x.pinf = false, x.hi = x.finite ? std::fmin(x.hi, 0.0) : x.hi;
          if (x.finite && x.lo > x.hi) x.finite = false;
        }
        // a NumPy float64 op: no warning test; a Python float op: no note of an overflow to inf
        if ((np_f64(t) || t == Ty::Float) && !warns) m_spec.quiet_ops[&e] = text(x);
        // a Python float division by zero raises: its result never is one of those
        if (t == Ty::Float && b.op == Op::Div && r.has_zero()) return FClass::any();
        return x;
      }
      case ExprKind::Call: return call(static_cast<const Call &>(e));
      case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp: case ExprKind::Lambda:
        return FClass::any();  // a scope of its own: a name there may not be the function's
      default:
        for_each_child(e, [&](const Expr &x) { value(x); });
        return FClass::any();
    }
  }

  // the call's target when it is `kind` named `name` with n positional arguments and nothing else
  bool target(const Call &c, CallTarget::Kind kind, const char *name, size_t n) const {
    auto it = m_spec.calls.find(&c);
    return it != m_spec.calls.end() && it->second.kind == kind && it->second.name == name && c.keywords.empty() &&
           !c.has_star_args && c.args.size() == n;
  }

  FClass call(const Call &c) {
    bool abs_ = target(c, CallTarget::Kind::Builtin, "abs", 1), float_ = target(c, CallTarget::Kind::Builtin, "float", 1);
    bool f64 = target(c, CallTarget::Kind::Numpy, "float64", 1);
    bool exp = target(c, CallTarget::Kind::Math, "exp", 1) || target(c, CallTarget::Kind::Numpy, "exp", 1);
    bool max_ = target(c, CallTarget::Kind::Builtin, "max", 2), min_ = target(c, CallTarget::Kind::Builtin, "min", 2);
    std::vector<FClass> args;
    for (auto &a : c.args) args.push_back(value(*a));
    for (auto &k : c.keywords) value(*k.value);
    bool nums = numeric(type(c));
    for (auto &a : c.args) nums = nums && numeric(type(*a));
    if (!nums) return FClass::any();
    if (float_ || f64) return args[0];
    if (abs_) return magnitude(args[0]);
    if (exp) {
      FClass r = exp_class(args[0]);
      // math.exp raises OverflowError where a finite argument overflows: never below 709
      if (target(c, CallTarget::Kind::Math, "exp", 1) && !args[0].pinf && (!args[0].finite || args[0].hi <= 709.0))
        m_spec.quiet_ops[&c] = text(r);
      return r;
    }
    bool sqrt = target(c, CallTarget::Kind::Math, "sqrt", 1);
    if (sqrt || target(c, CallTarget::Kind::Math, "log", 1)) {
      // ValueError below zero (sqrt) or at and below it (log); NaN in, NaN out, quietly
      const FClass &x = args[0];
      if (!x.ninf && (!x.finite || (sqrt ? x.lo >= 0.0 : x.lo > 0.0))) m_spec.quiet_ops[&c] = text(x);
      return FClass::any();
    }
    if (max_ || min_) return pick(args[0], args[1], max_);
    return FClass::any();
  }

  // |x|
  static FClass magnitude(const FClass &x) {
    FClass r;
    r.nan = x.nan;
    r.pinf = x.pinf || x.ninf;
    r.ninf = false;
    r.finite = x.finite;
    if (x.finite) {
      double a = std::fabs(x.lo), b = std::fabs(x.hi);
      r.lo = x.has_zero() ? 0.0 : std::fmin(a, b);
      r.hi = std::fmax(a, b);
    }
    return r;
  }

  // exp is monotonic: exp(-inf) = 0, exp(inf) = inf, exp(NaN) = NaN; a finite end may overflow
  static FClass exp_class(const FClass &x) {
    FClass r;
    r.finite = false;
    r.pinf = r.ninf = false;
    r.nan = x.nan;
    bool overflow = false;
    if (x.finite) set_ends(r, std::exp(x.lo), std::exp(x.hi), &overflow);
    if (x.ninf) {
      double hi = r.finite ? r.hi : 0.0;
      r.finite = false;
      set_ends(r, 0.0, hi, &overflow);
    }
    if (x.pinf) r.pinf = true;
    if (r.finite && r.lo < 0.0) r.lo = 0.0;
    return r;
  }

  // Python's max(a, b) / min(a, b): a unless b compares greater (less), so a NaN a gives NaN and a
  // NaN b gives a. Otherwise the larger (smaller) of two values of the extended reals.
  static FClass pick(const FClass &a, const FClass &b, bool max) {
    auto low = [](const FClass &c) { return c.ninf ? -INFINITY : c.finite ? c.lo : INFINITY; };
    auto high = [](const FClass &c) { return c.pinf ? INFINITY : c.finite ? c.hi : -INFINITY; };
    FClass r;
    r.finite = false;
    r.pinf = r.ninf = false;
    r.nan = a.nan;
    bool a_num = a.finite || a.pinf || a.ninf, b_num = b.finite || b.pinf || b.ninf;
    bool unused = false;
    if (a_num && b_num) {
      double lo = max ? std::fmax(low(a), low(b)) : std::fmin(low(a), low(b));
      double hi = max ? std::fmax(high(a), high(b)) : std::fmin(high(a), high(b));
      if (lo == -INFINITY) r.ninf = true;
      if (hi == INFINITY) r.pinf = true;
      double flo = std::fmax(lo, -DBL_MAX), fhi = std::fmin(hi, DBL_MAX);
      if (flo <= fhi) set_ends(r, flo, fhi, &unused);
    }
    if (b.nan && a_num) r = join_classes(r, [&] { FClass x = a; x.nan = r.nan; return x; }());
    return r;
  }

  static FClass join_classes(const FClass &a, const FClass &b) {
    FClass r = a;
    if (b.finite) {
      r.lo = a.finite ? std::fmin(a.lo, b.lo) : b.lo;
      r.hi = a.finite ? std::fmax(a.hi, b.hi) : b.hi;
      r.finite = true;
    }
    r.pinf = a.pinf || b.pinf;
    r.ninf = a.ninf || b.ninf;
    r.nan = a.nan || b.nan;
    return r;
  }

  // x * x, (c * x) * x, x * (c * x), (x * c) * x ...: the sign of c (1 for x * x) when the product
  // is one name's square times a constant; 0 otherwise
  int square_sign(const BinOp &b) const {
    auto name = [](const Expr &e) { return e.kind == ExprKind::Name ? static_cast<const Name &>(e).id : std::string(); };
    auto scaled = [&](const Expr &e, std::string *id) -> int {  // c * x or x * c: sign(c); x: 1
      if (e.kind == ExprKind::Name) return *id = name(e), 1;
      if (e.kind != ExprKind::BinOp || static_cast<const BinOp &>(e).op != Op::Mult) return 0;
      auto &m = static_cast<const BinOp &>(e);
      const Expr *k = m.left.get(), *x = m.right.get();
      if (x->kind != ExprKind::Name) std::swap(k, x);
      if (x->kind != ExprKind::Name) return 0;
      FClass c = point_of(*k);
      if (!c.finite || c.lo != c.hi || c.lo == 0.0 || c.nan) return 0;
      *id = name(*x);
      return c.lo > 0 ? 1 : -1;
    };
    std::string l, r;
    int sl = scaled(*b.left, &l), sr = scaled(*b.right, &r);
    if (!sl || !sr || l != r || l.empty()) return 0;
    // the operands must be the same value: a name bound once, or a parameter never rebound
    auto it = m_count.find(l);
    if (it == m_count.end() || it->second != 1) return 0;
    return sl * sr;
  }
  static FClass point_of(const Expr &e) {
    if (e.kind == ExprKind::Constant) {
      auto &c = static_cast<const Constant &>(e);
      if (c.value_kind == Constant::Kind::Int) return FClass::point(double(c.int_value));
      if (c.value_kind == Constant::Kind::Float) return FClass::point(c.float_value);
    }
    if (e.kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(e).op == UnaryOpKind::USub)
      return negate(point_of(*static_cast<const UnaryOp &>(e).operand));
    return FClass::any();
  }

  void bind(const Expr &target, const FClass &c, bool single) {
    if (target.kind != ExprKind::Name) return;
    const std::string &id = static_cast<const Name &>(target).id;
    auto var = m_spec.vars.find(id);
    if (single && m_count[id] == 1 && var != m_spec.vars.end() && numeric(var->second)) m_env[id] = c;
  }

  void body(const Body &b) {
    for (auto &s : b) stmt(*s);
  }
  void stmt(const Stmt &s) {
    switch (s.kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(s);
        FClass c = value(*a.value);
        for (auto &t : a.targets) {
          if (t->kind != ExprKind::Name) value(*t);
          bind(*t, c, a.targets.size() == 1);
        }
        return;
      }
      case StmtKind::AugAssign:
        value(*static_cast<const AugAssign &>(s).target);
        value(*static_cast<const AugAssign &>(s).value);
        return;
      case StmtKind::AnnAssign:
        if (static_cast<const AnnAssign &>(s).value) value(*static_cast<const AnnAssign &>(s).value);
        return;
      case StmtKind::Return:
        if (static_cast<const Return &>(s).value) value(*static_cast<const Return &>(s).value);
        return;
      case StmtKind::ExprStmt: value(*static_cast<const ExprStmt &>(s).value); return;
      case StmtKind::If:
        value(*static_cast<const If &>(s).test);
        body(static_cast<const If &>(s).body);
        body(static_cast<const If &>(s).orelse);
        return;
      case StmtKind::While:
        value(*static_cast<const While &>(s).test);
        body(static_cast<const While &>(s).body);
        body(static_cast<const While &>(s).orelse);
        return;
      case StmtKind::For:
        value(*static_cast<const For &>(s).iter);
        body(static_cast<const For &>(s).body);
        body(static_cast<const For &>(s).orelse);
        return;
      default: return;
    }
  }
};

}  // namespace

void find_quiet_ops(Spec &spec) {
  spec.quiet_ops.clear();
  Classes(spec).run();
}

}  // namespace pyvorin
