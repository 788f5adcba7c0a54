// lower (flag variants of helpers): a scalar helper called from a loop that reads the CPU's
// float flags (lower_fpe.cpp) can leave its own + - * warnings to those flags too.
//
// A loop whose NumPy float + - * leave their overflow and invalid results to MXCSR still tests
// every operation of a helper it calls (a normal CDF): the helper is compiled once, for callers
// that read no flag. Such a helper, when it is flag-safe, gets a second function, its flag
// variant (`symbol.fe`), which tests nothing of its own + - * and compares floats quietly; the
// loop calls it where both flags serve (fe_loop_end).
//
// Flag-safe (fe_flag_safe, from the source): no loop (its own would clear the flags), statements
// and expressions of a scalar helper (names, numbers, arithmetic, comparisons, abs/float,
// math and NumPy scalar functions, other flag-safe helpers), and nothing that can raise a flag
// in conditional code (an if's branches, what follows an if, a conditional expression's arms,
// and/or operands): LLVM may compute such code where CPython does not run it (a select) and the
// flag would report an operation CPython never did. Operations that cannot raise a flag (x * c
// with 0 < |c| <= 1, x + c with a small c, those ranges_float proved quiet, int arithmetic) may
// be conditional. A loop that calls a helper that is not flag-safe reads no flag at all.
//
// Its variant is used only if its code, once lowered, raises the invalid flag for no NaN it only
// reads (can_signal_on_nan: no signalling comparison, no float-to-int conversion, no call but to
// quiet libm functions and other such variants): verify_fe_variants.
#include <llvm/IR/Instructions.h>

#include <cmath>
#include <set>

#include "lower.h"

namespace pyvorin {

using namespace ast;

namespace {

// A number literal's value (-2.5, 1, 0.5), if e is one.
bool number(const Expr &e, double &v) {
  if (e.kind == ExprKind::UnaryOp) {
    auto &u = static_cast<const UnaryOp &>(e);
    if (u.op != UnaryOpKind::USub && u.op != UnaryOpKind::UAdd) return false;
    if (!number(*u.operand, v)) return false;
    if (u.op == UnaryOpKind::USub) v = -v;
    return true;
  }
  if (e.kind != ExprKind::Constant) return false;
  auto &c = static_cast<const Constant &>(e);
  if (c.value_kind == Constant::Kind::Int) v = double(c.int_value);
  else if (c.value_kind == Constant::Kind::Float) v = c.float_value;
  else return false;
  return std::isfinite(v);
}

class SafetyCheck {
 public:
  SafetyCheck(const Spec &s, std::map<const Spec *, int> &memo) : m_s(s), m_memo(memo) {}

  bool run() {
    if (m_s.has_loop || (m_s.ret != Ty::None && !scalar(m_s.ret))) return false;
    for (auto &[name, t] : m_s.vars)
      if (!scalar(t)) return false;
    return body(m_s.fn->body);
  }

 private:
  const Spec &m_s;
  std::map<const Spec *, int> &m_memo;
  bool m_conditional = false;  // code that may not run where the function runs

  Ty type(const Expr &e) const {
    auto it = m_s.types.find(&e);
    return it == m_s.types.end() ? Ty::None : it->second;
  }

  static bool float_type(Ty t) { return t == Ty::Float || (is_np_scalar(t) && dtype_is_float(t.dtype())); }

  bool scalar(Ty t) const {
    if (is_object(t) || t == Ty::Complex) return false;
    return !(is_np_scalar(t) && dtype_is_complex(t.dtype()));
  }

  // Whether the operation `e` (of float type) can raise the overflow or invalid flag: not one
  // with a constant operand that keeps it quiet (constant_operand_quiet), nor one float classes
  // proved quiet.
  bool raises(const BinOp &e) const {
    if (m_s.quiet_ops.count(&e)) return false;
    double c = 0;
    bool left = number(*e.left, c), right = !left && number(*e.right, c);
    if (!left && !right) return true;
    bool f32 = is_np_scalar(type(e)) && type(e).dtype() == DType::F32;
    return !constant_operand_quiet(e.op, c, right, f32);
  }

  // An operation that may raise a flag: fine where the function's every run computes it.
  bool flag_op() const { return !m_conditional; }

  bool expr(const Expr &e) {
    if (!scalar(type(e))) return false;
    switch (e.kind) {
      case ExprKind::Constant: case ExprKind::Name: return true;
      case ExprKind::UnaryOp: {
        return expr(*static_cast<const UnaryOp &>(e).operand);
      }
      case ExprKind::BinOp: {
        auto &b = static_cast<const BinOp &>(e);
        if (!expr(*b.left) || !expr(*b.right)) return false;
        if (!float_type(type(e))) return true;  // int arithmetic: no float flag
        return !raises(b) || flag_op();
      }
      case ExprKind::Compare: {
        auto &c = static_cast<const Compare &>(e);
        if (c.ops.size() != 1) return false;
        return expr(*c.left) && expr(*c.comparators[0]);
      }
      case ExprKind::BoolOp: {
        auto &b = static_cast<const BoolOp &>(e);
        if (!expr(*b.values[0])) return false;
        bool was = m_conditional;
        m_conditional = true;
        bool ok = true;
        for (size_t i = 1; ok && i < b.values.size(); ++i) ok = expr(*b.values[i]);
        m_conditional = was;
        return ok;
      }
      case ExprKind::IfExp: {
        auto &n = static_cast<const IfExp &>(e);
        if (!expr(*n.test)) return false;
        bool was = m_conditional;
        m_conditional = true;
        bool ok = expr(*n.body) && expr(*n.orelse);
        m_conditional = was;
        return ok;
      }
      case ExprKind::Call: {
        auto &c = static_cast<const Call &>(e);
        if (!c.keywords.empty() || c.has_star_args) return false;
        auto it = m_s.calls.find(&e);
        if (it == m_s.calls.end()) return false;
        const CallTarget &t = it->second;
        for (auto &a : c.args)
          if (!expr(*a)) return false;
        switch (t.kind) {
          case CallTarget::Kind::Builtin:
            if (t.name == "abs") return true;
            return t.name == "float" && flag_op();
          case CallTarget::Kind::Math: case CallTarget::Kind::Numpy: return flag_op();
          case CallTarget::Kind::Function: return t.spec && flag_op() && fe_flag_safe(*t.spec, m_memo);
          default: return false;
        }
      }
      default: return false;
    }
  }

  bool body(const Body &stmts) {
    for (auto &s : stmts) {
      switch (s->kind) {
        case StmtKind::Pass: break;
        case StmtKind::Assign: {
          auto &a = static_cast<const Assign &>(*s);
          if (a.targets.size() != 1 || a.targets[0]->kind != ExprKind::Name || !expr(*a.value)) return false;
          break;
        }
        case StmtKind::AugAssign: {
          auto &a = static_cast<const AugAssign &>(*s);
          if (a.target->kind != ExprKind::Name || !expr(*a.value)) return false;
          if (float_type(type(*a.target)) && !flag_op()) return false;
          break;
        }
        case StmtKind::Return: {
          auto &r = static_cast<const Return &>(*s);
          if (r.value && !expr(*r.value)) return false;
          break;
        }
        case StmtKind::ExprStmt:
          if (static_cast<const ExprStmt &>(*s).value->kind == ExprKind::Constant) break;  // a docstring
          if (!expr(*static_cast<const ExprStmt &>(*s).value)) return false;
          break;
        case StmtKind::If: {
          auto &i = static_cast<const If &>(*s);
          if (i.with || !expr(*i.test)) return false;
          m_conditional = true;  // its branches, and (a return in them) all that follows
          if (!body(i.body) || !body(i.orelse)) return false;
          break;
        }
        default: return false;
      }
    }
    return true;
  }
};

}  // namespace

bool fe_flag_safe(const Spec &spec, std::map<const Spec *, int> &memo) {
  auto it = memo.find(&spec);
  if (it != memo.end()) return it->second == 1;
  memo[&spec] = 0;  // a cycle is not flag-safe
  bool ok = SafetyCheck(spec, memo).run();
  memo[&spec] = ok ? 1 : 0;
  return ok;
}

// Whether the unit has a loop doing NumPy float arithmetic: only then can a flag variant serve.
bool unit_wants_fe_variants(const TypedUnit &unit) {
  for (auto &sp : unit.specs) {
    if (!sp->has_loop) continue;
    for (auto &[e, t] : sp->types)
      if (is_np_scalar(t) && dtype_is_float(t.dtype())) return true;
  }
  return false;
}

// Keeps the variants whose code raises the invalid flag for no NaN it only reads, calling only
// variants that are kept; erases the others.
void verify_fe_variants(ModuleState &ms, const std::vector<std::pair<const Spec *, llvm::Function *>> &variants) {
  std::set<llvm::Function *> kept;
  for (auto &[s, f] : variants) kept.insert(f);
  for (bool changed = true; changed;) {
    changed = false;
    for (auto &[s, f] : variants) {
      if (!kept.count(f)) continue;
      bool quiet = true;
      for (llvm::BasicBlock &bb : *f)
        for (llvm::Instruction &i : bb) {
          if (!quiet) break;
          if (auto *call = llvm::dyn_cast<llvm::CallInst>(&i); call && call->getCalledFunction() &&
                                                               call->getCalledFunction()->getName().ends_with(".fe")) {
            quiet = kept.count(call->getCalledFunction()) > 0;
            continue;
          }
          if (fe_can_signal_on_nan(i)) quiet = false;
        }
      if (!quiet) {
        kept.erase(f);
        changed = true;
      }
    }
  }
  for (auto &[s, f] : variants)
    if (kept.count(f)) ms.fe_variants[s] = f;
  for (auto &[s, f] : variants)
    if (!kept.count(f)) f->dropAllReferences();
  for (auto &[s, f] : variants)
    if (!kept.count(f)) f->eraseFromParent();
}

// A float comparison that raises no flag for a NaN (x86's cmpltsd does: LLVM compiles an ordered
// comparison in a select to it): against zero, the sign bit and the quiet `one`, `oeq`, `ord`;
// otherwise both operands ordered, and their bits compared as integers, in an order that is the
// floats' (negative numbers' magnitude bits flipped; `+ 0.0` makes -0.0 the same key as 0.0).
llvm::Value *FunctionLowerer::quiet_order(CmpOp op, llvm::Value *a, llvm::Value *b) {
  llvm::Type *ft = a->getType();
  unsigned bits = ft->getPrimitiveSizeInBits();
  llvm::Type *it = m_b.getIntNTy(bits);
  // Against zero (the common `x < 0.0`): the sign bit, with quiet `one` / `oeq` / `ord`.
  auto zero = [](llvm::Value *v) {
    auto *c = llvm::dyn_cast<llvm::ConstantFP>(strip_fence(v));
    return c && c->isZero();
  };
  if (zero(a) || zero(b)) {
    llvm::Value *x = zero(b) ? a : b;
    if (zero(a)) op = op == CmpOp::Lt ? CmpOp::Gt : op == CmpOp::LtE ? CmpOp::GtE : op == CmpOp::Gt ? CmpOp::Lt : CmpOp::LtE;
    llvm::Value *z = llvm::ConstantFP::get(ft, 0.0);
    llvm::Value *neg = m_b.CreateICmpSLT(m_b.CreateBitCast(x, it), llvm::ConstantInt::get(it, 0), "sign");
    switch (op) {
      case CmpOp::Lt: return m_b.CreateAnd(m_b.CreateFCmpONE(x, z), neg, "quiet.cmp");
      case CmpOp::Gt: return m_b.CreateAnd(m_b.CreateFCmpONE(x, z), m_b.CreateNot(neg), "quiet.cmp");
      case CmpOp::LtE: return m_b.CreateOr(m_b.CreateFCmpOEQ(x, z), m_b.CreateAnd(m_b.CreateFCmpORD(x, x), neg), "quiet.cmp");
      default: return m_b.CreateOr(m_b.CreateFCmpOEQ(x, z), m_b.CreateAnd(m_b.CreateFCmpORD(x, x), m_b.CreateNot(neg)), "quiet.cmp");
    }
  }
  auto key = [&](llvm::Value *x) {
    llvm::Value *i = m_b.CreateBitCast(m_b.CreateFAdd(x, llvm::ConstantFP::get(ft, 0.0)), it);
    llvm::Value *sign = m_b.CreateAShr(i, bits - 1);
    return m_b.CreateXor(i, m_b.CreateLShr(sign, 1), "order.key");
  };
  llvm::Value *ka = key(a), *kb = key(b), *c;
  switch (op) {
    case CmpOp::Lt: c = m_b.CreateICmpSLT(ka, kb); break;
    case CmpOp::LtE: c = m_b.CreateICmpSLE(ka, kb); break;
    case CmpOp::Gt: c = m_b.CreateICmpSGT(ka, kb); break;
    default: c = m_b.CreateICmpSGE(ka, kb); break;
  }
  return m_b.CreateAnd(m_b.CreateFCmpORD(a, b), c, "quiet.cmp");
}

// A call of compiled code in a loop that may read the flags: the loop learns whether the callee
// is flag-safe, and which variant it would call where both flags serve.
void FunctionLowerer::fe_helper_call(llvm::CallInst *call, const Spec &callee) {
  if (!m_fpe || m_loops.empty()) return;
  if (!fe_flag_safe(callee, m_ms.fe_safe)) {
    if (m_fe_loop.unsafe_call.empty()) m_fe_loop.unsafe_call = callee.fn->name;
    return;
  }
  auto it = m_ms.fe_variants.find(&callee);
  if (it == m_ms.fe_variants.end()) {
    if (m_fe_loop.loud_call.empty()) m_fe_loop.loud_call = callee.fn->name;  // it may signal: not the invalid flag
    return;
  }
  m_fe_loop.helpers.push_back({call, it->second});
}

}  // namespace pyvorin
