// lower (NumPy complex scalars): np.complex64 and np.complex128 unboxed as {real, imag} in float or
// double, with NumPy 1.24's own formulas (umath/scalarmath.c.src, loops.c.src):
// - + and - part by part; * the schoolbook product, (ar*br - ai*bi) + (ar*bi + ai*br)i, with no
//   scaling (unlike Python's complex, the same formula, but NumPy warns);
// - / Smith's method as NumPy writes it: the larger part of the divisor first, through a
//   reciprocal `scl = 1/(br + bi*rat)`, and a zero divisor divides each part by zero;
// - abs() is npy_cabs, hypot(re, im), which NumPy never warns about.
// NumPy's underflow warnings (np.seterr(under='warn')) are not compiled: the dispatcher runs such
// calls in CPython (pv_np_reports_underflow).
// Each real operation inside is tested as NumPy's flags would report it (np_float_check): a
// product that overflows warns, as does inf - inf. Division branches, so a loop that divides keeps
// its software tests (FeLoop::branches).
#include <llvm/IR/Intrinsics.h>

#include "lower.h"

namespace pyvorin {

using namespace ast;

llvm::Type *np_complex_type(llvm::LLVMContext &c, DType d) {
  llvm::Type *part = d == DType::C64 ? llvm::Type::getFloatTy(c) : llvm::Type::getDoubleTy(c);
  return llvm::StructType::get(c, {part, part});
}

llvm::Value *FunctionLowerer::np_complex_make(llvm::Value *re, llvm::Value *im) {
  llvm::Value *s = llvm::UndefValue::get(llvm::StructType::get(m_ms.ctx, {re->getType(), im->getType()}));
  s = m_b.CreateInsertValue(s, re, 0);
  return m_b.CreateInsertValue(s, im, 1);
}

// A scalar of any kind (a Python number or complex, a NumPy scalar, weak or not) as NumPy's cast to
// the complex dtype `to` computes it: a real value x is x + 0j, parts widen or narrow one by one.
llvm::Value *FunctionLowerer::np_complex_cast(llvm::Value *v, Ty from, DType to) {
  DType d;
  scalar_dtype(from, &d);
  v = np_value(v, from);
  if (d == to) return v;
  DType part = complex_part(to);
  llvm::Type *pt = dtype_llvm(m_ms.ctx, part);
  if (dtype_is_complex(d)) {
    auto conv = [&](llvm::Value *x) { return to == DType::C128 ? m_b.CreateFPExt(x, pt) : m_b.CreateFPTrunc(x, pt); };
    return np_complex_make(conv(m_b.CreateExtractValue(v, 0)), conv(m_b.CreateExtractValue(v, 1)));
  }
  return np_complex_make(np_cast(v, Ty::np_scalar(d), part), llvm::ConstantFP::get(pt, 0.0));
}

// a op b, both already of the complex dtype d
llvm::Value *FunctionLowerer::np_complex_arith(Op op, llvm::Value *a, llvm::Value *b, int line) {
  llvm::Value *ar = m_b.CreateExtractValue(a, 0), *ai = m_b.CreateExtractValue(a, 1);
  llvm::Value *br = m_b.CreateExtractValue(b, 0), *bi = m_b.CreateExtractValue(b, 1);
  const char *verb = op == Op::Add ? "add" : op == Op::Sub ? "subtract" : op == Op::Mult ? "multiply" : "divide";
  // one real operation, tested as the CPU's flags would report it; + - * may use the flags in a loop
  auto real = [&](llvm::Instruction::BinaryOps k, llvm::Value *x, llvm::Value *y) {
    llvm::Value *r = m_b.CreateBinOp(k, x, y);
    np_float_check(r, {x, y}, verb, line, k != llvm::Instruction::FDiv && op != Op::Div);
    return r;
  };
  using I = llvm::Instruction;
  switch (op) {
    case Op::Add: return np_complex_make(real(I::FAdd, ar, br), real(I::FAdd, ai, bi));
    case Op::Sub: return np_complex_make(real(I::FSub, ar, br), real(I::FSub, ai, bi));
    case Op::Mult: {
      llvm::Value *rr = real(I::FMul, ar, br), *ii = real(I::FMul, ai, bi);
      llvm::Value *re = real(I::FSub, rr, ii);
      llvm::Value *ri = real(I::FMul, ar, bi), *ir = real(I::FMul, ai, br);
      return np_complex_make(re, real(I::FAdd, ri, ir));
    }
    default: break;
  }
  // NumPy's C@TYPE@_divide
  if (!m_loops.empty()) m_fe_loop.branches = true;
  llvm::Type *ft = ar->getType();
  llvm::Value *zero = llvm::ConstantFP::get(ft, 0.0), *one = llvm::ConstantFP::get(ft, 1.0);
  llvm::Value *abr = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, br), *abi = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, bi);
  // `in2r_abs >= in2i_abs` is a signalling comparison in C: a NaN part of the divisor raises the
  // invalid flag, so NumPy warns whatever the quotient
  np_float_raise(m_b.CreateFCmpUNO(abr, abi), verb, line);
  auto *real_big = llvm::BasicBlock::Create(m_ms.ctx, "npcdiv.real", m_fn);
  auto *by_zero = llvm::BasicBlock::Create(m_ms.ctx, "npcdiv.zero", m_fn);
  auto *scaled_r = llvm::BasicBlock::Create(m_ms.ctx, "npcdiv.rscaled", m_fn);
  auto *scaled_i = llvm::BasicBlock::Create(m_ms.ctx, "npcdiv.iscaled", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "npcdiv.done", m_fn);
  m_b.CreateCondBr(m_b.CreateFCmpOGE(abr, abi), real_big, scaled_i);  // a NaN part: the imaginary branch
  m_b.SetInsertPoint(real_big);
  m_b.CreateCondBr(m_b.CreateAnd(m_b.CreateFCmpOEQ(abr, zero), m_b.CreateFCmpOEQ(abi, zero)), by_zero, scaled_r);
  m_b.SetInsertPoint(by_zero);  // a complex inf or nan, with NumPy's warnings
  llvm::Value *re0 = real(I::FDiv, ar, abr), *im0 = real(I::FDiv, ai, abi);
  llvm::BasicBlock *zero_end = m_b.GetInsertBlock();
  m_b.CreateBr(done);
  m_b.SetInsertPoint(scaled_r);
  llvm::Value *rat = real(I::FDiv, bi, br);
  llvm::Value *scl = real(I::FDiv, one, real(I::FAdd, br, real(I::FMul, bi, rat)));
  llvm::Value *re1 = real(I::FMul, real(I::FAdd, ar, real(I::FMul, ai, rat)), scl);
  llvm::Value *im1 = real(I::FMul, real(I::FSub, ai, real(I::FMul, ar, rat)), scl);
  llvm::BasicBlock *r_end = m_b.GetInsertBlock();
  m_b.CreateBr(done);
  m_b.SetInsertPoint(scaled_i);
  llvm::Value *rat2 = real(I::FDiv, br, bi);
  llvm::Value *scl2 = real(I::FDiv, one, real(I::FAdd, bi, real(I::FMul, br, rat2)));
  llvm::Value *re2 = real(I::FMul, real(I::FAdd, real(I::FMul, ar, rat2), ai), scl2);
  llvm::Value *im2 = real(I::FMul, real(I::FSub, real(I::FMul, ai, rat2), ar), scl2);
  llvm::BasicBlock *i_end = m_b.GetInsertBlock();
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  llvm::PHINode *re = m_b.CreatePHI(ft, 3), *im = m_b.CreatePHI(ft, 3);
  re->addIncoming(re0, zero_end);
  re->addIncoming(re1, r_end);
  re->addIncoming(re2, i_end);
  im->addIncoming(im0, zero_end);
  im->addIncoming(im1, r_end);
  im->addIncoming(im2, i_end);
  return np_complex_make(re, im);
}

// == and != of two values of the complex dtype: both parts equal (NumPy's CEQ, CNE)
llvm::Value *FunctionLowerer::np_complex_equal(CmpOp op, llvm::Value *a, llvm::Value *b) {
  llvm::Value *ar = m_b.CreateExtractValue(a, 0), *ai = m_b.CreateExtractValue(a, 1);
  llvm::Value *br = m_b.CreateExtractValue(b, 0), *bi = m_b.CreateExtractValue(b, 1);
  if (op == CmpOp::Eq) return m_b.CreateAnd(m_b.CreateFCmpOEQ(ar, br), m_b.CreateFCmpOEQ(ai, bi));
  return m_b.CreateOr(m_b.CreateFCmpUNE(ar, br), m_b.CreateFCmpUNE(ai, bi));
}

llvm::Value *FunctionLowerer::np_complex_negate(llvm::Value *z) {
  return np_complex_make(opaque(m_b.CreateFNeg(m_b.CreateExtractValue(z, 0))), opaque(m_b.CreateFNeg(m_b.CreateExtractValue(z, 1))));
}

llvm::Value *FunctionLowerer::np_complex_conjugate(llvm::Value *z) {
  return np_complex_make(m_b.CreateExtractValue(z, 0), opaque(m_b.CreateFNeg(m_b.CreateExtractValue(z, 1))));
}

// npy_cabs: hypot of the parts (hypotf for complex64), never a warning
llvm::Value *FunctionLowerer::np_complex_abs(llvm::Value *z) {
  llvm::Value *re = m_b.CreateExtractValue(z, 0), *im = m_b.CreateExtractValue(z, 1);
  llvm::Type *ft = re->getType();
  const char *fn = ft->isFloatTy() ? "hypotf" : "hypot";
  return m_b.CreateCall(m_ms.module.getOrInsertFunction(fn, llvm::FunctionType::get(ft, {ft, ft}, false)), {re, im});
}

llvm::Value *FunctionLowerer::np_complex_truthy(llvm::Value *z) {
  llvm::Value *re = m_b.CreateExtractValue(z, 0), *im = m_b.CreateExtractValue(z, 1);
  llvm::Value *zero = llvm::ConstantFP::get(re->getType(), 0.0);
  return m_b.CreateOr(m_b.CreateFCmpUNE(re, zero), m_b.CreateFCmpUNE(im, zero));
}

// The NumPy scalar object of a complex value (a weak one: Python's complex where it is one)
llvm::Value *FunctionLowerer::np_complex_box(llvm::Value *v, Ty t, int line) {
  DType d = t.dtype();
  llvm::Value *z = np_value(v, t);
  llvm::Value *re = m_b.CreateExtractValue(z, 0), *im = m_b.CreateExtractValue(z, 1);
  if (d == DType::C64) re = m_b.CreateFPExt(re, m_b.getDoubleTy()), im = m_b.CreateFPExt(im, m_b.getDoubleTy());
  auto *f64 = m_b.getDoubleTy();
  llvm::Value *o = m_b.CreateCall(capi("pv_np_box_complex", m_b.getPtrTy(), {m_b.getInt32Ty(), f64, f64, m_b.getInt32Ty()}),
                                  {m_b.getInt32(int(d)), re, im, m_b.CreateZExt(np_flag(v, t), m_b.getInt32Ty())});
  fail_if_null(o, line);
  return own(o);
}

}  // namespace pyvorin
