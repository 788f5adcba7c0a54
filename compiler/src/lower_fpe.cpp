// lower (NumPy's float warnings): where compiled code learns that NumPy would warn about a float
// operation on NumPy scalars (overflow, division by zero, an invalid result), so that the call
// reruns in CPython, where NumPy warns exactly as it does (lower_numpy.cpp).
//
// NumPy itself does not test each operation: the CPU does. An SSE/AVX operation that overflows or
// makes a NaN out of numbers sets a sticky flag in MXCSR, and NumPy reads the flags after its
// operations. Compiled code does the same where that is exact, and tests each operation where it
// is not:
// - Outside loops every operation is tested where it is (np_float_check), before anything after
//   it; a scalar helper with no loop, no object and no call ORs its tests into a flag tested once,
//   where it returns (fe_deferred), since nothing it does is visible before: no branch per
//   operation, and LLVM inlines it.
// - In a loop, a + - * leaves its overflow to the CPU's overflow flag (MXCSR.OE on x86-64),
//   unless the outermost loop returns or calls compiled code that may do Python float arithmetic
//   (whose overflow to inf CPython does not report): then the overflow test (m_fpe_ovf) stays.
//   The loop's own Python float operations test their overflow (m_fpe_py): where one overflowed,
//   the flag is not taken for NumPy's. Its invalid result (NaN
//   from no NaN) goes to the invalid flag (MXCSR.IE) when nothing in the outermost loop can raise
//   that flag for a NaN it merely reads: no ordered comparison that is not a raise test, no
//   float-to-int conversion, no call but to quiet libm functions and helpers' flag variants
//   (invalid_flag_spoiler, lower_fe_variant.cpp); otherwise the invalid test is
//   three instructions OR-ed into m_fpe_inv. Each test is emitted, and the loop's end erases the
//   stores of the ones the flags replace, so the optimiser drops them.
// - Division, powers and functions keep the full test: the optimiser may compute a division that
//   a branch guarded (`x / y if y else 0.0`), and the CPU's flags would then report a division
//   that never ran.
// - The flags serve only in an outermost loop with no conditional code of its own (body_branches)
//   that calls no helper that is not flag-safe (whose own could run where CPython's does not):
//   LLVM may compute an operation of a branch that does not run, or move one before a test that
//   raises, and a flag would then report what CPython never computed. They are cleared where the
//   loop starts and tested where it ends (fe_loop_end, which clears them again), before the first
//   run of each store into an argument (fe_first_effects: a first row's warning still reruns), and before a
//   call that may run NumPy (which clears them first: fe_note). Returns and exceptions read only
//   the tests' flags (fe_pending).
#include <llvm/IR/Instructions.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/IntrinsicsX86.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>
#include <llvm/Transforms/Utils/Local.h>

#include <cmath>
#include <functional>
#include <set>

#include "lower.h"

namespace pyvorin {

using namespace ast;

bool is_x86_64(const llvm::Module &m) {
  std::string triple = m.getTargetTriple();
  if (triple.empty()) triple = llvm::sys::getProcessTriple();
  return llvm::Triple(triple).getArch() == llvm::Triple::x86_64;
}

namespace {

constexpr unsigned kInvalid = 0x1, kOverflow = 0x8;  // MXCSR's IE and OE
const char *const kLoopWarns =
    "NumPy warns about an operation of this loop on NumPy scalars (an integer overflow, or a float overflow, division by "
    "zero or invalid value)";

// Whether `i` can set the invalid flag for a NaN it only reads: an ordered comparison (the x86
// backend compiles one in a select or a vector to a signalling compare) unless it only decides
// whether to raise (a branch, compiled to ucomisd), a float-to-int conversion, a call other than
// the cold ones that only leave or poll.
}  // namespace

bool fe_can_signal_on_nan(const llvm::Instruction &i) {
  if (auto *c = llvm::dyn_cast<llvm::FCmpInst>(&i)) {
    switch (c->getPredicate()) {
      case llvm::CmpInst::FCMP_OEQ: case llvm::CmpInst::FCMP_ONE: case llvm::CmpInst::FCMP_UEQ:
      case llvm::CmpInst::FCMP_UNE: case llvm::CmpInst::FCMP_ORD: case llvm::CmpInst::FCMP_UNO:
      case llvm::CmpInst::FCMP_TRUE: case llvm::CmpInst::FCMP_FALSE: return false;
      default: break;
    }
    for (const llvm::User *u : c->users()) {
      auto *br = llvm::dyn_cast<llvm::BranchInst>(u);
      if (!br || !br->isConditional() ||
          !(br->getSuccessor(0)->getName().starts_with("raise") || br->getSuccessor(1)->getName().starts_with("raise")))
        return true;
    }
    return false;
  }
  if (llvm::isa<llvm::FPToSIInst>(i) || llvm::isa<llvm::FPToUIInst>(i)) return true;
  auto *call = llvm::dyn_cast<llvm::CallBase>(&i);
  if (!call) return false;
  llvm::Function *f = call->getCalledFunction();
  if (!f) return true;
  switch (f->getIntrinsicID()) {
    case llvm::Intrinsic::not_intrinsic: break;
    case llvm::Intrinsic::fabs: case llvm::Intrinsic::sqrt: case llvm::Intrinsic::floor: case llvm::Intrinsic::ceil:
    case llvm::Intrinsic::trunc: case llvm::Intrinsic::copysign: case llvm::Intrinsic::fma: case llvm::Intrinsic::fmuladd:
    case llvm::Intrinsic::sadd_with_overflow: case llvm::Intrinsic::ssub_with_overflow:
    case llvm::Intrinsic::smul_with_overflow: case llvm::Intrinsic::uadd_with_overflow:
    case llvm::Intrinsic::usub_with_overflow: case llvm::Intrinsic::umul_with_overflow:
    case llvm::Intrinsic::x86_sse_stmxcsr: case llvm::Intrinsic::x86_sse_ldmxcsr: case llvm::Intrinsic::expect:
    case llvm::Intrinsic::assume: case llvm::Intrinsic::lifetime_start: case llvm::Intrinsic::lifetime_end:
    case llvm::Intrinsic::smax: case llvm::Intrinsic::smin: case llvm::Intrinsic::umax: case llvm::Intrinsic::umin:
    case llvm::Intrinsic::abs: case llvm::Intrinsic::arithmetic_fence: return false;
    // libm (glibc): a quiet NaN in, a quiet NaN out, no flag; the invalid flag only for an
    // argument out of the domain (log(-1), sin(inf)), where math raises and NumPy warns anyway
    case llvm::Intrinsic::exp: case llvm::Intrinsic::exp2: case llvm::Intrinsic::log: case llvm::Intrinsic::log2:
    case llvm::Intrinsic::log10: case llvm::Intrinsic::sin: case llvm::Intrinsic::cos: return false;
    default: return true;
  }
  static const std::set<std::string> cold = {"pv_raise", "pv_np_warns", "pv_np_index_error", "pv_poll_interrupt",
                                             "pv_traceback_push", "pv_guard_failed", "_Py_Dealloc", "pv_python_error",
                                             "pv_fe_clear_overflow", "pv_np_warned_first", "PyEval_SaveThread",
                                             "PyEval_RestoreThread"};
  return !cold.count(f->getName().str());
}

namespace {

// Whether a loop's body has conditional code of its own (if, while, a conditional expression,
// and/or, min/max, break, continue, return): LLVM may then compute an operation of a branch that
// does not run (a select, a hoisted block) and raise a flag CPython never raises. Counted inner
// loops are fine.
bool expr_branches(const Expr &e) {
  switch (e.kind) {
    case ExprKind::IfExp: case ExprKind::BoolOp: case ExprKind::ListComp: case ExprKind::SetComp:
    case ExprKind::DictComp: case ExprKind::GeneratorExp: case ExprKind::Lambda: return true;
    case ExprKind::Call: {
      auto &c = static_cast<const Call &>(e);
      if (c.func->kind == ExprKind::Name) {
        const std::string &id = static_cast<const Name &>(*c.func).id;
        if (id == "min" || id == "max") return true;
      }
      break;
    }
    default: break;
  }
  bool b = false;
  for_each_child(e, [&](const Expr &c) { b = b || expr_branches(c); });
  return b;
}

bool body_branches(const Body &body) {
  for (auto &s : body) {
    switch (s->kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(*s);
        if (expr_branches(*a.value)) return true;
        for (auto &t : a.targets)
          if (expr_branches(*t)) return true;
        break;
      }
      case StmtKind::AugAssign: {
        auto &a = static_cast<const AugAssign &>(*s);
        if (expr_branches(*a.target) || expr_branches(*a.value)) return true;
        break;
      }
      case StmtKind::ExprStmt:
        if (expr_branches(*static_cast<const ExprStmt &>(*s).value)) return true;
        break;
      case StmtKind::For: {
        auto &f = static_cast<const For &>(*s);
        if (expr_branches(*f.iter) || body_branches(f.body) || !f.orelse.empty()) return true;
        break;
      }
      case StmtKind::Pass: break;
      default: return true;
    }
  }
  return false;
}

}  // namespace

// The CPU's sticky flags in `mask` (kInvalid, kOverflow); elsewhere than x86-64 the overflow flag
// through fetestexcept (the invalid flag is never asked there: invalid_flag_spoiler's loops
// start with fe_clear, which returns null there).
llvm::Value *FunctionLowerer::fe_flags(unsigned mask) {
  if (is_x86_64(m_ms.module)) {
    if (!m_csr) m_csr = entry_slot(m_b.getInt32Ty(), "mxcsr", nullptr);
    m_b.CreateIntrinsic(llvm::Intrinsic::x86_sse_stmxcsr, {}, {m_csr});
    llvm::Value *csr = m_b.CreateLoad(m_b.getInt32Ty(), m_csr, "mxcsr");
    return m_b.CreateICmpNE(m_b.CreateAnd(csr, m_b.getInt32(mask)), m_b.getInt32(0), "fe.flags");
  }
  llvm::Value *r = m_b.CreateCall(capi("pv_fe_overflow", m_b.getInt32Ty(), {}), {});
  return m_b.CreateICmpNE(r, m_b.getInt32(0), "fe.overflow");
}

// Clears the CPU's flags in `mask`; returns the first instruction, or null where only the
// overflow flag is cleared (pv_fe_clear_overflow: not x86-64).
llvm::Instruction *FunctionLowerer::fe_clear(unsigned mask) {
  if (!is_x86_64(m_ms.module)) {
    if (mask & kOverflow) m_b.CreateCall(capi("pv_fe_clear_overflow", m_b.getVoidTy(), {}), {});
    return nullptr;
  }
  if (!m_csr) m_csr = entry_slot(m_b.getInt32Ty(), "mxcsr", nullptr);
  auto *first = m_b.CreateIntrinsic(llvm::Intrinsic::x86_sse_stmxcsr, {}, {m_csr});
  llvm::Value *csr = m_b.CreateLoad(m_b.getInt32Ty(), m_csr, "mxcsr");
  m_b.CreateStore(m_b.CreateAnd(csr, m_b.getInt32(~mask)), m_csr);
  m_b.CreateIntrinsic(llvm::Intrinsic::x86_sse_ldmxcsr, {}, {m_csr});
  return first;
}

void FunctionLowerer::fe_setup() {
  for (auto &[e, t] : m_spec.types)
    if (is_np_scalar(t)) {
      m_fpe = m_b.CreateAlloca(m_b.getInt1Ty(), nullptr, "np.fpe");
      m_fpe_inv = m_b.CreateAlloca(m_b.getInt1Ty(), nullptr, "np.fpe.inv");
      m_fpe_ovf = m_b.CreateAlloca(m_b.getInt1Ty(), nullptr, "np.fpe.ovf");
      m_fpe_py = m_b.CreateAlloca(m_b.getInt1Ty(), nullptr, "np.fpe.py");
      m_fpe_noted = m_b.CreateAlloca(m_b.getInt1Ty(), nullptr, "np.fpe.noted");
      for (llvm::AllocaInst *a : {m_fpe, m_fpe_inv, m_fpe_ovf, m_fpe_py, m_fpe_noted}) m_b.CreateStore(m_b.getFalse(), a);
      return;
    }
}

// Whether any function of this unit does NumPy scalar arithmetic: then every call that may run
// NumPy (or other Python code) clears the flags it leaves behind (NumPy tests and warns about its
// own, but leaves them set), so that they are not taken for this code's.
bool FunctionLowerer::unit_tests_fe_flags() {
  if (m_unit_fpe < 0) {
    m_unit_fpe = 0;
    for (auto &sp : m_unit.specs)
      for (auto &[e, t] : sp->types)
        if (is_np_scalar(t)) m_unit_fpe = 1;
  }
  return m_unit_fpe == 1;
}

// Whether some loop of this unit may read the CPU's overflow flag: a function with a loop and a
// NumPy float + - * (fe_loop_end). Only then does a helper record its Python floats' overflows.
bool FunctionLowerer::unit_loop_may_read_overflow() {
  if (m_unit_reads_ovf < 0) {
    m_unit_reads_ovf = 0;
    for (auto &sp : m_unit.specs) {
      if (!sp->has_loop) continue;
      for (auto &[e, t] : sp->types)
        if (e->kind == ExprKind::BinOp && is_np_scalar(t) && dtype_is_float(t.dtype())) {
          Op op = static_cast<const BinOp &>(*e).op;
          if (op == Op::Add || op == Op::Sub || op == Op::Mult) m_unit_reads_ovf = 1;
        }
    }
  }
  return m_unit_reads_ovf == 1;
}

// A scalar helper with no loop, no object and no call (a normal CDF) cannot change anything its
// caller sees before it returns: its operations OR their full tests into one flag, tested once,
// where it returns or raises (no branch per operation).
bool FunctionLowerer::fe_deferred() {
  if (m_fe_defer < 0) m_fe_defer = m_fpe && leaf_scalar();
  return m_fe_defer == 1;
}

// A call of compiled code that may do Python float arithmetic: its overflow to inf sets the same
// flag, and CPython does not report it; the loop keeps its own overflow tests.
void FunctionLowerer::fe_python_op() {
  if (!m_loops.empty()) m_fe_loop.calls_py = true;
}

// A Python float operation's result: where it overflowed (to inf, silently in CPython), the loop's
// end does not take the CPU's overflow flag for NumPy's (fe_loop_end). Both at once in one run of
// the loop, and NumPy's warning is not seen (the value is the same).
// Outside loops (a helper's code) it is recorded in ctx->fe_python, which every loop of the call
// reads too, so calling a helper does not cost a loop its flags; only in units that use NumPy
// scalars, where a loop may read the flags at all.
void FunctionLowerer::fe_python_result(llvm::Value *r, const std::vector<llvm::Value *> &in) {
  bool helper = m_loops.empty();
  if (helper ? !unit_tests_fe_flags() || !unit_loop_may_read_overflow() : !m_fpe) return;
  llvm::Value *inf = llvm::ConstantFP::getInfinity(r->getType());
  llvm::Value *bad = m_b.CreateFCmpOEQ(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, r), inf);
  for (llvm::Value *x : in) bad = m_b.CreateAnd(bad, m_b.CreateFCmpONE(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x), inf));
  // ... or a NaN out of numbers (inf - inf: silent in CPython too, and the CPU's invalid flag)
  llvm::Value *made_nan = m_b.CreateFCmpUNO(r, r);
  for (llvm::Value *x : in) made_nan = m_b.CreateAnd(made_nan, m_b.CreateFCmpORD(x, x));
  bad = m_b.CreateOr(bad, made_nan);
  if (!helper) {  // erased where the loop's end reads neither flag
    m_fe_loop.py.push_back(m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt1Ty(), m_fpe_py), bad), m_fpe_py));
    fe_register(m_fe_loop.py.back(), r);
    return;
  }
  // a local flag, written to ctx->fe_python once, where the helper returns (fe_python_flush): no
  // store through ctx per operation
  if (!m_fe_py_helper) m_fe_py_helper = entry_slot(m_b.getInt1Ty(), "fe.py.helper", m_b.getFalse());
  fe_register(m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt1Ty(), m_fe_py_helper), bad), m_fe_py_helper), r);
}

// Where a helper returns: its Python float overflows go to ctx->fe_python, which its callers' loops read.
void FunctionLowerer::fe_python_flush() {
  llvm::Value *slot = m_b.CreateStructGEP(m_ms.ctx_type, m_ctx, 10, "fe.python.ptr");
  llvm::Value *mine = m_b.CreateZExt(m_b.CreateLoad(m_b.getInt1Ty(), m_fe_py_helper), m_b.getInt32Ty());
  m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt32Ty(), slot, "fe.python"), mine), slot);
}

// Whether a compiled callee (or one it calls) may do Python float arithmetic that overflows
// silently without saying so in ctx->fe_python: + - * / on floats in a function with a loop
// (outside loops they are recorded there: fe_python_result), math.degrees, radians or hypot.
bool FunctionLowerer::may_do_python_float_arithmetic(const Spec &callee) {
  std::set<const Spec *> seen;
  std::function<bool(const Spec &)> walk = [&](const Spec &s) {
    if (!seen.insert(&s).second) return false;
    bool leaf = !s.has_loop;
    for (auto &[e, t] : s.types)
      if (!leaf && e->kind == ExprKind::BinOp && t == Ty::Float) {
        Op op = static_cast<const BinOp &>(*e).op;
        if (op == Op::Add || op == Op::Sub || op == Op::Mult || op == Op::Div) return true;
      }
    for (auto &[e, target] : s.calls) {
      if (target.kind == CallTarget::Kind::Math && (target.name == "degrees" || target.name == "radians" || target.name == "hypot"))
        return true;
      if (target.kind == CallTarget::Kind::Function && target.spec && walk(*target.spec)) return true;
    }
    return false;
  };
  return walk(callee);
}

// Before a call that may run NumPy, which clears the CPU's flags before its own operations: an
// overflow of this loop so far is noted first (counted where the loop ends only if it reads the
// flag, and not where a Python float of the loop overflowed).
void FunctionLowerer::fe_note() {
  if (!m_fpe) return;
  llvm::Value *py = m_b.CreateLoad(m_b.getInt1Ty(), m_fpe_py, "fpe.py");
  llvm::Value *oe = m_b.CreateAnd(fe_flags(kOverflow), m_b.CreateNot(py));
  m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt1Ty(), m_fpe_noted, "fpe.noted"), oe), m_fpe_noted);
}

// Whether the operation giving `r` can never warn, whatever its other operand: x + c and x - c
// with a finite |c| below half the last ulp of the largest finite (their sum rounds back to it, so
// it overflows only from an infinity, and is NaN only from a NaN); x * c with 0 < |c| <= 1; x / c
// with a finite |c| >= 1. `1.0 - p` and `0.5 * x` need no test.
static bool never_warns(llvm::Value *r) {
  auto *op = llvm::dyn_cast<llvm::BinaryOperator>(r);
  if (!op) return false;
  auto constant = [](llvm::Value *v) { return llvm::dyn_cast<llvm::ConstantFP>(strip_fence(v)); };
  const llvm::ConstantFP *c0 = constant(op->getOperand(0)), *c1 = constant(op->getOperand(1));
  if (c0 && c1) return false;  // folded or not, tested as it is
  const llvm::ConstantFP *c = c0 ? c0 : c1;
  if (!c || !c->getValueAPF().isFinite()) return false;
  llvm::APFloat wide = c->getValueAPF();  // (a float32 constant: widened exactly)
  bool lost = false;
  wide.convert(llvm::APFloat::IEEEdouble(), llvm::APFloat::rmNearestTiesToEven, &lost);
  Op o;
  switch (op->getOpcode()) {
    case llvm::Instruction::FAdd: o = Op::Add; break;
    case llvm::Instruction::FSub: o = Op::Sub; break;
    case llvm::Instruction::FMul: o = Op::Mult; break;
    case llvm::Instruction::FDiv: o = Op::Div; break;
    default: return false;
  }
  return constant_operand_quiet(o, wide.convertToDouble(), c1, r->getType()->isFloatTy());
}

// x + c and x - c with a finite |c| below half the last ulp of the largest finite, x * c with
// 0 < |c| <= 1, x / c with |c| >= 1 (c on the right): overflow only from an infinity, NaN only
// from a NaN, whatever x. Serves never_warns (the IR) and fe_flag_safe (the source).
bool constant_operand_quiet(Op op, double c, bool c_right, bool f32) {
  if (!std::isfinite(c)) return false;
  double v = std::fabs(c);
  switch (op) {
    case Op::Add: case Op::Sub: return v < std::ldexp(1.0, f32 ? 102 : 969);
    case Op::Mult: return v > 0.0 && v <= 1.0;
    case Op::Div: return c_right && v >= 1.0;
    default: return false;
  }
}

// NumPy warns when the result overflowed, divided by zero or is invalid: it is infinite while the
// operands were finite, or NaN while no operand was. `hw`: a + - * (see the top of the file).
void FunctionLowerer::np_float_check(llvm::Value *r, const std::vector<llvm::Value *> &in, const std::string &op, int line,
                                     bool hw) {
  if (never_warns(r)) return;
  if (m_fe_variant && hw) return;  // a flag variant: the caller's loop reads the CPU's flags
  llvm::Value *in_ordered = m_b.getTrue(), *in_finite = m_b.getTrue();
  for (llvm::Value *x : in) {
    in_ordered = m_b.CreateAnd(in_ordered, m_b.CreateFCmpORD(x, x));
    llvm::Value *ax = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
    in_finite = m_b.CreateAnd(in_finite, m_b.CreateFCmpONE(ax, llvm::ConstantFP::getInfinity(x->getType())));
  }
  llvm::Value *invalid = m_b.CreateAnd(m_b.CreateFCmpUNO(r, r), in_ordered);
  llvm::Value *r_inf = m_b.CreateFCmpOEQ(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, r), llvm::ConstantFP::getInfinity(r->getType()));
  llvm::Value *overflow = m_b.CreateAnd(r_inf, in_finite);
  if (m_fe_collect) {  // np_binop_warning_in_place decides
    m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt1Ty(), m_fe_collect), m_b.CreateOr(invalid, overflow)), m_fe_collect);
    return;
  }
  bool in_loop = m_fpe && !m_loops.empty();
  bool deferred = in_loop || fe_deferred();
  auto note = [&](llvm::AllocaInst *flag, llvm::Value *bad) {
    llvm::StoreInst *st = m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt1Ty(), flag), bad), flag);
    fe_register(st, r);  // its test may run only where some result is not finite (lower_fpe_group.cpp)
    return st;
  };
  if (in_loop && hw) {  // tests the CPU's flags may replace (fe_loop_end)
    m_fe_loop.hw_ops = true;
    m_fe_loop.inv.push_back({note(m_fpe_inv, invalid), r});
    m_fe_loop.ovf.push_back(note(m_fpe_ovf, overflow));
    return;
  }
  llvm::Value *bad = m_b.CreateOr(invalid, overflow);
  if (deferred) {  // noted, and tested where the loop ends or the function returns
    note(m_fpe, bad);
    return;
  }
  np_warn_if(bad, "NumPy warns about this float " + op + " (overflow, division by zero or an invalid value)", line);
}

// A flag NumPy's own code raises beside its results (`bad`: e.g. the invalid flag of a signalling
// comparison with a NaN), noted or tested as np_float_check notes or tests its own.
void FunctionLowerer::np_float_raise(llvm::Value *bad, const std::string &op, int line) {
  if (m_fe_collect) {
    m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt1Ty(), m_fe_collect), bad), m_fe_collect);
    return;
  }
  if ((m_fpe && !m_loops.empty()) || fe_deferred()) {
    m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt1Ty(), m_fpe), bad), m_fpe);
    return;
  }
  np_warn_if(bad, "NumPy warns about this float " + op + " (an invalid value)", line);
}

// The first instruction in the code from `from` on (its block's rest and every block created
// after it) that can set the invalid flag for a NaN it only reads, or null: the loop may read the
// invalid flag. `quiet_calls`: calls that will call flag variants (lower_fe_variant.cpp).
llvm::Instruction *FunctionLowerer::invalid_flag_spoiler(llvm::Instruction *from, const std::set<llvm::Instruction *> &quiet_calls) {
  auto loud = [&](llvm::Instruction &i) { return !quiet_calls.count(&i) && fe_can_signal_on_nan(i); };
  llvm::BasicBlock *start = from->getParent();
  for (auto it = from->getIterator(); it != start->end(); ++it)
    if (loud(*it)) return &*it;
  for (auto bb = std::next(start->getIterator()); bb != m_fn->end(); ++bb)
    for (llvm::Instruction &i : *bb)
      if (loud(i)) return &i;
  return nullptr;
}

// The report's word on a loop with NumPy float + - *: which of the CPU's flags serve, the helpers
// whose flag variants it calls, or why it tests each operation.
void FunctionLowerer::fe_remark(const Stmt &loop, bool straight, bool hw_overflow, bool hw_invalid, llvm::Instruction *spoiler) {
  const FeLoop &l = m_fe_loop;
  if (!l.hw_ops) return;
  FeRemark r;
  r.line = loop.range.line;
  std::set<llvm::Function *> called;  // the variants the loop calls (both flags serve)
  for (auto &[call, variant] : l.helpers)
    if (call->getCalledFunction() == variant) called.insert(variant);
  std::string names;
  for (auto &[spec, fn] : m_ms.fe_variants)
    if (called.count(fn)) names += (names.empty() ? "" : ", ") + spec->fn->name;
  std::string why_not_flags =
      l.returns ? "it returns from inside the loop"
      : l.branches ? "an operation with branches of its own (complex division) in the loop"
      : !l.unsafe_call.empty() ? "it calls " + l.unsafe_call + ", which is not flag-safe (a loop of its own, a float operation "
                                  "in conditional code, or something other than scalar arithmetic and calls)"
      : !straight ? "conditional code in the loop (if, while, a conditional expression, and/or, min/max, break or continue): "
                    "LLVM may compute an operation of a branch that does not run"
      : l.calls_py ? "it calls compiled code doing Python float arithmetic in a loop, whose overflow to inf is silent in CPython"
                   : "";
  if (hw_overflow && hw_invalid) {
    r.kind = "passed";
    r.message = "NumPy's float warnings of this loop's + - * come from the CPU's overflow and invalid flags, read where it "
                "ends and before its first store into an argument: no test per operation";
    if (!names.empty()) r.message += "; it calls the flag variants of " + names + " (none of their own + - * tested, quiet comparisons)";
  } else if (hw_overflow) {
    r.kind = "passed";
    r.message = "NumPy's float overflow warnings of this loop's + - * come from the CPU's overflow flag; invalid results keep a "
                "three-instruction test per operation";
    if (!l.loud_call.empty())
      r.why = "it calls " + l.loud_call + ", whose code could raise the invalid flag for a NaN it only reads";
    else if (spoiler && spoiler->getDebugLoc())
      r.why = "line " + std::to_string(spoiler->getDebugLoc().getLine()) +
              ": an ordered float comparison, a float-to-int conversion or a call could raise the invalid flag for a NaN it only reads";
    else
      r.why = "the invalid flag is read only on x86-64";
  } else {
    r.kind = "missed";
    r.message = "NumPy's float warnings of this loop are tested per operation (noted, and tested where it ends and before its "
                "first store into an argument)";
    r.why = why_not_flags.empty() ? "no operation of the loop leaves its warning to the flags" : why_not_flags;
  }
  m_ms.fe_remarks.push_back(r);
}

// The pending warnings of the tests, at a return or where an exception leaves: never the CPU's
// flags, which an operation LLVM moved before the exit may have raised. A return inside a loop
// keeps that loop's tests (fe_return_check); an exception that leaves a loop whose warnings the
// flags carry does not see them (the exception is CPython's).
llvm::Value *FunctionLowerer::fe_pending() {
  llvm::Value *bad = m_b.CreateLoad(m_b.getInt1Ty(), m_fpe, "fpe");
  bad = m_b.CreateOr(bad, m_b.CreateLoad(m_b.getInt1Ty(), m_fpe_inv, "fpe.inv"));
  return m_b.CreateOr(bad, m_b.CreateLoad(m_b.getInt1Ty(), m_fpe_ovf, "fpe.ovf"));
}

void FunctionLowerer::fpe_check(int line) { fpe_check(line_const(line)); }

void FunctionLowerer::fpe_check(llvm::Value *line) {
  np_warn_if(fe_pending(),
             "NumPy warns about an operation on NumPy scalars (an integer overflow, or a float overflow, division by zero "
             "or invalid value)", line);
}

// Where an outermost loop starts: its flags start clear.
void FunctionLowerer::fe_loop_start() {
  for (llvm::AllocaInst *a : {m_fpe_inv, m_fpe_ovf, m_fpe_py, m_fpe_noted}) m_b.CreateStore(m_b.getFalse(), a);
  m_fe_loop = FeLoop();
  m_fe_loop.from = fe_clear(kInvalid | kOverflow);
}

// A test the CPU's flags replace: its store, and the load and comparisons only it used (a load of
// a flag left behind would end a group of lower_fpe_group.cpp).
static void erase_note(llvm::StoreInst *st) {
  llvm::Value *v = st->getValueOperand();
  st->eraseFromParent();
  llvm::RecursivelyDeleteTriviallyDeadInstructions(v);
}

// Where an outermost loop ends: which flags serve, then the test, then everything clear again.
void FunctionLowerer::fe_loop_end(const Stmt &loop, int line) {
  FeLoop &l = m_fe_loop;
  bool straight = !l.returns && !l.branches && l.unsafe_call.empty() && !body_branches(loop.kind == StmtKind::For ? static_cast<const For &>(loop).body
                                                                            : static_cast<const While &>(loop).body);
  bool hw_overflow = l.hw_ops && straight && !l.calls_py;
  // Helpers' flag variants serve where both flags do: the invalid flag counts their calls quiet
  // only then, and only if every helper called has one.
  std::set<llvm::Instruction *> quiet_calls;
  if (hw_overflow && l.loud_call.empty())
    for (auto &[call, variant] : l.helpers) quiet_calls.insert(call);
  llvm::Instruction *spoiler = l.hw_ops && straight && l.from ? invalid_flag_spoiler(l.from, quiet_calls) : nullptr;
  bool hw_invalid = l.hw_ops && straight && l.from && !spoiler;
  if (!hw_overflow && !hw_invalid)  // nothing reads whether a Python float of the loop overflowed or made a NaN
    for (llvm::StoreInst *st : l.py) erase_note(st);
  if (hw_overflow && hw_invalid)
    for (auto &[call, variant] : l.helpers) call->setCalledFunction(variant);
  fe_remark(loop, straight, hw_overflow, hw_invalid, spoiler);
  if (hw_overflow)
    for (llvm::StoreInst *st : l.ovf) erase_note(st);
  if (hw_invalid) {
    m_fe_reads_invalid = true;
    // The flag replaces the invalid tests, but an operation whose result nothing uses (or uses only
    // on some paths) must still run where CPython runs it, or its flag is never raised: its bits
    // are OR-ed into a sink that the loop's end stores, volatile. The sink has the result's type,
    // so the OR stays in the vector registers (orpd). A result stored into memory or used by
    // another + - * / needs no sink: it runs anyway.
    std::set<llvm::AllocaInst *> kept;  // this loop's sinks
    for (auto &[st, r] : l.inv) {
      bool used = false;
      for (llvm::User *u : r->users()) {
        if (auto *store = llvm::dyn_cast<llvm::StoreInst>(u))
          used = used || (store->getValueOperand() == r && !llvm::isa<llvm::AllocaInst>(store->getPointerOperand()));
        else if (auto *op = llvm::dyn_cast<llvm::BinaryOperator>(u))
          used = used || op->getType()->isFloatingPointTy();
      }
      if (used) {
        erase_note(st);
        continue;
      }
      llvm::Type *ft = r->getType();
      llvm::AllocaInst *&keep = ft->isFloatTy() ? m_fe_keep32 : m_fe_keep;
      if (!keep) keep = entry_slot(ft, "fe.keep", llvm::ConstantFP::get(ft, 0.0));
      kept.insert(keep);
      llvm::IRBuilder<> kb(st);
      llvm::Type *it = kb.getIntNTy(ft->getPrimitiveSizeInBits());
      llvm::Value *k = kb.CreateBitCast(kb.CreateLoad(ft, keep), it);
      kb.CreateStore(kb.CreateBitCast(kb.CreateOr(k, kb.CreateBitCast(r, it)), ft), keep);
      erase_note(st);
    }
    for (llvm::AllocaInst *keep : kept) {
      llvm::Type *ft = keep->getAllocatedType();
      auto *sink = new llvm::GlobalVariable(m_ms.module, ft, false, llvm::GlobalValue::PrivateLinkage,
                                            llvm::ConstantFP::get(ft, 0.0), "fe.sink");
      m_b.CreateStore(m_b.CreateLoad(ft, keep), sink, true);
    }
  }
  unsigned mask = (hw_overflow ? kOverflow : 0) | (hw_invalid ? kInvalid : 0);
  fe_first_effects(hw_overflow, hw_invalid, line);
  np_warn_if(fe_loop_warned(hw_overflow, hw_invalid), kLoopWarns, line);
  // tested: a later return or exception does not read this loop's tests or flags again
  for (llvm::AllocaInst *a : {m_fpe_inv, m_fpe_ovf, m_fpe_py, m_fpe_noted}) m_b.CreateStore(m_b.getFalse(), a);
  if (mask) fe_clear(kOverflow | kInvalid);
  l = FeLoop();
}

// Whether the loop's operations so far warned: the tests that stay, and the flags that serve, not
// where a Python float of the loop (or of a helper it called) overflowed or made a NaN.
llvm::Value *FunctionLowerer::fe_loop_warned(bool hw_overflow, bool hw_invalid) {
  llvm::Value *bad = fe_pending();
  unsigned mask = (hw_overflow ? kOverflow : 0) | (hw_invalid ? kInvalid : 0);
  if (!mask) return bad;
  llvm::Value *py = m_b.CreateLoad(m_b.getInt1Ty(), m_fpe_py, "fpe.py");
  llvm::Value *helper_py = m_b.CreateLoad(m_b.getInt32Ty(), m_b.CreateStructGEP(m_ms.ctx_type, m_ctx, 10), "fe.python");
  py = m_b.CreateOr(py, m_b.CreateICmpNE(helper_py, m_b.getInt32(0)));
  bad = m_b.CreateOr(bad, m_b.CreateAnd(fe_flags(mask), m_b.CreateNot(py)));
  if (hw_overflow) bad = m_b.CreateOr(bad, m_b.CreateLoad(m_b.getInt1Ty(), m_fpe_noted, "fpe.noted"));
  return bad;
}

// A loop's warnings (its tests' flags, and the CPU's where they serve) are known where the loop
// ends, and the call can no longer rerun in CPython (NumPy would warn, and go on) if the loop has
// changed an argument by then.
// Before the loop's first store into an argument (its first run of each store: a branch on the
// effects flag afterwards), the flags and tests are read once: a warning of the first iteration
// (the common case of a bad value in a small array) still reruns exactly. Operations LLVM moved
// before that point are ones CPython computes too, later in the same call.
void FunctionLowerer::fe_first_effects(bool hw_overflow, bool hw_invalid, int line) {
  if (!m_effects) return;
  llvm::IRBuilderBase::InsertPointGuard guard(m_b);
  llvm::DebugLoc loc = m_b.getCurrentDebugLocation();
  for (llvm::Instruction *at : m_fe_loop.effects) {
    llvm::BasicBlock *bb = at->getParent();
    llvm::BasicBlock *rest = bb->splitBasicBlock(at, "effect");
    bb->getTerminator()->eraseFromParent();
    auto *check = llvm::BasicBlock::Create(m_ms.ctx, "effect.first", m_fn);
    m_b.SetInsertPoint(bb);
    m_b.SetCurrentDebugLocation(loc);
    llvm::MDBuilder md(m_ms.ctx);
    m_b.CreateCondBr(m_b.CreateLoad(m_b.getInt1Ty(), m_effects, "effects"), rest, check, md.createBranchWeights(1u << 20, 1));
    m_b.SetInsertPoint(check);
    // the stored value is computed before the flags are read (LLVM would otherwise sink its
    // operations into the store's block, after the read): a volatile store of it first
    if (auto *st = llvm::dyn_cast<llvm::StoreInst>(at); st && st->getValueOperand()->getType()->isFloatingPointTy()) {
      llvm::Type *ft = st->getValueOperand()->getType();
      auto *sink = new llvm::GlobalVariable(m_ms.module, ft, false, llvm::GlobalValue::PrivateLinkage,
                                            llvm::ConstantFP::get(ft, 0.0), "fe.first.sink");
      m_b.CreateStore(st->getValueOperand(), sink, true);
    }
    np_warn_if(fe_loop_warned(hw_overflow, hw_invalid), kLoopWarns, line);
    m_b.CreateBr(rest);
  }
}

// At a return: inside a loop it reads the loop's tests, which therefore stay.
void FunctionLowerer::fe_return_check(int line) {
  if (!m_loops.empty()) m_fe_loop.returns = true;
  fpe_check(line);
}

// Where an exception leaves: NumPy warnings of a loop it left, which CPython prints before it
// raises, rerun the call there (pv_np_warned_first).
void FunctionLowerer::fe_unwind() {
  llvm::Value *pending = fe_pending();
  auto *warned = llvm::BasicBlock::Create(m_ms.ctx, "np.warned.first", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "unwind.go", m_fn);
  m_b.CreateCondBr(pending, warned, cont);
  m_b.SetInsertPoint(warned);
  llvm::Value *line_ptr = m_b.CreateStructGEP(m_ms.ctx_type, m_ctx, 1, "line.ptr");
  m_b.CreateCall(capi("pv_np_warned_first", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt32Ty()}),
                 {m_ctx, m_fname, m_b.CreateLoad(m_b.getInt32Ty(), line_ptr)});
  m_b.CreateBr(cont);
  m_b.SetInsertPoint(cont);
}

}  // namespace pyvorin
