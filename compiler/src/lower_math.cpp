// lower (math): the math module's functions with its error rules (math_1: domain and range errors),
// libm or LLVM intrinsics, and CPython's own algorithms where libm differs (hypot, atan2).
#include <cmath>

#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include "lower.h"

namespace pyvorin {

using namespace ast;

// The math module's rule (math_1): a NaN from a non-NaN is a domain error; an infinity from a
// finite argument is a range error (OverflowError) or, for functions that cannot overflow, a
// domain error.
// Both errors need a result that is not finite: the hot path tests only that (one compare and a
// branch), the exact tests run where it holds.
llvm::Value *FunctionLowerer::math_checked(llvm::Value *x, llvm::Value *r, bool can_overflow, int line) {
  auto *exact = llvm::BasicBlock::Create(m_ms.ctx, "math.not.finite", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "math.ok", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  // (`one`, not `olt`: quiet for a NaN, so a loop may still read the invalid flag)
  llvm::Value *finite = m_b.CreateFCmpONE(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, r),
                                          llvm::ConstantFP::getInfinity(m_b.getDoubleTy()));
  m_b.CreateCondBr(finite, done, exact, md.createBranchWeights(1u << 20, 1));
  m_b.SetInsertPoint(exact);
  llvm::Value *domain = m_b.CreateAnd(m_b.CreateFCmpUNO(r, r), m_b.CreateFCmpORD(x, x));
  raise_if(domain, PV_VALUE_ERROR, "math domain error", line);
  llvm::Value *inf = llvm::ConstantFP::getInfinity(m_b.getDoubleTy());
  llvm::Value *r_inf = m_b.CreateFCmpOEQ(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, r), inf);
  llvm::Value *x_fin = m_b.CreateFCmpONE(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x), inf);
  raise_if(m_b.CreateAnd(r_inf, x_fin), can_overflow ? PV_OVERFLOW_ERROR : PV_VALUE_ERROR,
           can_overflow ? "math range error" : "math domain error", line);
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  return r;
}

llvm::Value *FunctionLowerer::math(const Call &e, const std::string &name) {
  std::vector<llvm::Value *> args;
  std::vector<Ty> types;
  lower_args(e, args, types);
  int line = e.range.line;
  auto *f64 = m_b.getDoubleTy();
  for (size_t i = 0; i < args.size(); ++i)  // a NumPy scalar: as the Python float or int it converts to
    if (is_np_scalar(types[i])) {
      DType d = types[i].dtype();
      if (dtype_is_float(d)) args[i] = np_to_float(args[i], types[i]), types[i] = Ty::Float;
      else if (d == DType::Bool) types[i] = Ty::Bool;
      else args[i] = np_to_int(args[i], types[i], line), types[i] = Ty::Int;
    }
  if (name == "isqrt") {
    llvm::Value *v = m_b.CreateCall(m_ms.runtime("pv_math_isqrt"), {m_ctx, to_int(args[0], types[0]), m_fname, line_const(line)});
    check_status();
    return v;
  }
  if ((name == "floor" || name == "ceil" || name == "trunc") && types[0] != Ty::Float) return to_int(args[0], types[0]);
  std::vector<llvm::Value *> fx;
  for (size_t i = 0; i < args.size(); ++i) fx.push_back(to_float(args[i], types[i]));
  llvm::Value *x = fx[0];
  if (name == "floor") return float_to_int(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::floor, x), line);
  if (name == "ceil") return float_to_int(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::ceil, x), line);
  if (name == "trunc") return float_to_int(x, line);
  if (name == "fabs") return m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
  if (name == "isnan") return m_b.CreateFCmpUNO(x, x);
  if (name == "isinf") return m_b.CreateFCmpOEQ(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x), llvm::ConstantFP::getInfinity(f64));
  if (name == "isfinite") return m_b.CreateFCmpONE(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x), llvm::ConstantFP::getInfinity(f64));
  // value classes (ranges_float.cpp) proved the argument in the domain, or an overflow impossible
  bool quiet = m_spec.quiet_ops.count(&e) > 0;
  if (name == "sqrt") {
    if (!quiet) raise_if(m_b.CreateFCmpOLT(x, llvm::ConstantFP::get(f64, 0.0)), PV_VALUE_ERROR, "math domain error", line);
    return m_b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x);
  }
  if (name == "degrees" || name == "radians" || name == "hypot") fe_python_op();  // may overflow to inf silently
  if (name == "degrees") return m_b.CreateFMul(x, llvm::ConstantFP::get(f64, 180.0 / M_PI));
  if (name == "radians") return m_b.CreateFMul(x, llvm::ConstantFP::get(f64, M_PI / 180.0));
  if (name == "copysign") return m_b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, x, fx[1]);
  if (name == "pow" || (name == "log" && fx.size() == 2)) {
    llvm::Value *v = m_b.CreateCall(m_ms.runtime(name == "pow" ? "pv_math_pow" : "pv_math_log_base"),
                                    {m_ctx, x, fx[1], m_fname, line_const(line)});
    check_status();
    return v;
  }
  if (name == "fmod") {
    llvm::Value *r = m_b.CreateFRem(x, fx[1]);
    llvm::Value *bad = m_b.CreateAnd(m_b.CreateFCmpUNO(r, r), m_b.CreateAnd(m_b.CreateFCmpORD(x, x), m_b.CreateFCmpORD(fx[1], fx[1])));
    raise_if(bad, PV_VALUE_ERROR, "math domain error", line);
    return r;
  }
  if (name == "atan2" || name == "hypot") {  // CPython's own algorithms (runtime.cpp)
    auto *ty2 = llvm::FunctionType::get(f64, {f64, f64}, false);
    llvm::FunctionCallee fn = m_ms.module.getOrInsertFunction(name == "hypot" ? "pv_math_hypot" : "pv_math_atan2", ty2);
    if (auto *f = llvm::dyn_cast<llvm::Function>(fn.getCallee())) f->setDoesNotAccessMemory();
    return m_b.CreateCall(fn, {x, fx[1]});
  }
  // One-argument libm functions with the math_1 error rule.
  bool can_overflow = name == "exp" || name == "expm1" || name == "sinh" || name == "cosh" || name == "exp2";
  llvm::Value *r;
  if (name == "sin") r = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::sin, x);
  else if (name == "cos") r = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::cos, x);
  else if (name == "exp") r = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::exp, x);
  else if (name == "log") r = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::log, x);
  else if (name == "log2") r = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::log2, x);
  else if (name == "log10") r = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::log10, x);
  else r = m_b.CreateCall(m_ms.runtime(name), {x});
  if (quiet && (name == "exp" || name == "log")) return r;
  return math_checked(x, r, can_overflow, line);
}

}  // namespace pyvorin
