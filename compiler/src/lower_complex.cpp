// lower (complex): Python's complex unboxed as {real, imag}, with CPython 3.11's arithmetic
// (Objects/complexobject.c): an int or float operand becomes complex(x, 0.0) first, products and
// quotients are _Py_c_prod and _Py_c_quot step for step (so the bits are CPython's), abs() is
// _Py_c_abs. `**` is CPython's own (complex_pow, on the boxed values).
#include <llvm/IR/Intrinsics.h>

#include "lower.h"

namespace pyvorin {

using namespace ast;

llvm::Type *complex_type(llvm::LLVMContext &c) {
  return llvm::StructType::get(c, {llvm::Type::getDoubleTy(c), llvm::Type::getDoubleTy(c)});
}

llvm::Value *FunctionLowerer::complex_make(llvm::Value *re, llvm::Value *im) {
  llvm::Value *s = llvm::UndefValue::get(complex_type(m_ms.ctx));
  s = m_b.CreateInsertValue(s, re, 0);
  return m_b.CreateInsertValue(s, im, 1);
}

// An operand as complex: CPython's TO_COMPLEX (an int or float x is complex(x, 0.0)).
void FunctionLowerer::complex_parts(llvm::Value *v, Ty t, llvm::Value **re, llvm::Value **im) {
  if (t == Ty::Complex) {
    *re = m_b.CreateExtractValue(v, 0);
    *im = m_b.CreateExtractValue(v, 1);
    return;
  }
  *re = to_float(v, t);
  *im = llvm::ConstantFP::get(m_b.getDoubleTy(), 0.0);
}

llvm::Value *FunctionLowerer::complex_binop(const BinOp &e) {
  Ty lt = type(*e.left), rt = type(*e.right);
  int line = e.range.line;
  llvm::Value *l = expr(*e.left);
  llvm::Value *r = expr(*e.right);
  set_loc(e.range);
  if (e.op == Op::Pow) {  // complex_pow: c_powi for small integral exponents, else c_pow (libm)
    llvm::Value *a = to_object(l, lt), *b = to_object(r, rt);
    llvm::Value *o = call_obj("PyNumber_Power", {a, b, py_global("_Py_NoneStruct")}, line);
    release(a);
    release(b);
    return from_object(o, Ty::Complex, line, true);
  }
  llvm::Value *ar, *ai, *br, *bi;
  complex_parts(l, lt, &ar, &ai);
  complex_parts(r, rt, &br, &bi);
  switch (e.op) {
    case Op::Add: return complex_make(m_b.CreateFAdd(ar, br), m_b.CreateFAdd(ai, bi));
    case Op::Sub: return complex_make(m_b.CreateFSub(ar, br), m_b.CreateFSub(ai, bi));
    case Op::Mult:  // _Py_c_prod
      return complex_make(m_b.CreateFSub(m_b.CreateFMul(ar, br), m_b.CreateFMul(ai, bi)),
                          m_b.CreateFAdd(m_b.CreateFMul(ar, bi), m_b.CreateFMul(ai, br)));
    default: break;
  }
  // _Py_c_quot: scale by the larger part of the divisor
  if (!m_loops.empty()) m_fe_loop.branches = true;  // its branches keep the loop's float tests in software
  auto *f64 = m_b.getDoubleTy();
  llvm::Value *abs_br = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, br);
  llvm::Value *abs_bi = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, bi);
  raise_if(m_b.CreateAnd(m_b.CreateFCmpOEQ(br, llvm::ConstantFP::get(f64, 0.0)), m_b.CreateFCmpOEQ(bi, llvm::ConstantFP::get(f64, 0.0))),
           PV_ZERO_DIVISION, "complex division by zero", line);
  auto *real_big = llvm::BasicBlock::Create(m_ms.ctx, "cdiv.real", m_fn);
  auto *not_real = llvm::BasicBlock::Create(m_ms.ctx, "cdiv.notreal", m_fn);
  auto *imag_big = llvm::BasicBlock::Create(m_ms.ctx, "cdiv.imag", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "cdiv.done", m_fn);
  m_b.CreateCondBr(m_b.CreateFCmpOGE(abs_br, abs_bi), real_big, not_real);
  m_b.SetInsertPoint(real_big);
  llvm::Value *ratio1 = m_b.CreateFDiv(bi, br);
  llvm::Value *denom1 = m_b.CreateFAdd(br, m_b.CreateFMul(bi, ratio1));
  llvm::Value *re1 = m_b.CreateFDiv(m_b.CreateFAdd(ar, m_b.CreateFMul(ai, ratio1)), denom1);
  llvm::Value *im1 = m_b.CreateFDiv(m_b.CreateFSub(ai, m_b.CreateFMul(ar, ratio1)), denom1);
  m_b.CreateBr(done);
  m_b.SetInsertPoint(not_real);
  auto *nan_bb = llvm::BasicBlock::Create(m_ms.ctx, "cdiv.nan", m_fn);
  m_b.CreateCondBr(m_b.CreateFCmpOGE(abs_bi, abs_br), imag_big, nan_bb);
  m_b.SetInsertPoint(imag_big);
  llvm::Value *ratio2 = m_b.CreateFDiv(br, bi);
  llvm::Value *denom2 = m_b.CreateFAdd(m_b.CreateFMul(br, ratio2), bi);
  llvm::Value *re2 = m_b.CreateFDiv(m_b.CreateFAdd(m_b.CreateFMul(ar, ratio2), ai), denom2);
  llvm::Value *im2 = m_b.CreateFDiv(m_b.CreateFSub(m_b.CreateFMul(ai, ratio2), ar), denom2);
  m_b.CreateBr(done);
  m_b.SetInsertPoint(nan_bb);  // a part of the divisor is a NaN
  llvm::Value *nan = opaque(llvm::ConstantFP::getNaN(f64));
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  llvm::PHINode *re = m_b.CreatePHI(f64, 3), *im = m_b.CreatePHI(f64, 3);
  re->addIncoming(re1, real_big);
  re->addIncoming(re2, imag_big);
  re->addIncoming(nan, nan_bb);
  im->addIncoming(im1, real_big);
  im->addIncoming(im2, imag_big);
  im->addIncoming(nan, nan_bb);
  return complex_make(re, im);
}

llvm::Value *FunctionLowerer::complex_compare(const Compare &e) {
  Ty lt = type(*e.left), rt = type(*e.comparators[0]);
  llvm::Value *l = expr(*e.left);
  llvm::Value *r = expr(*e.comparators[0]);
  set_loc(e.range);
  llvm::Value *eq;
  if (lt == Ty::Complex && rt == Ty::Complex) {
    eq = m_b.CreateAnd(m_b.CreateFCmpOEQ(m_b.CreateExtractValue(l, 0), m_b.CreateExtractValue(r, 0)),
                       m_b.CreateFCmpOEQ(m_b.CreateExtractValue(l, 1), m_b.CreateExtractValue(r, 1)));
  } else {
    llvm::Value *z = lt == Ty::Complex ? l : r, *x = lt == Ty::Complex ? r : l;
    Ty xt = lt == Ty::Complex ? rt : lt;
    if (is_np_scalar(xt)) x = to_float(x, xt), xt = Ty::Float;  // 1j == np.float64(x): complex's own comparison
    llvm::Value *zr = m_b.CreateExtractValue(z, 0), *zi = m_b.CreateExtractValue(z, 1);
    llvm::Value *imag_zero = m_b.CreateFCmpOEQ(zi, llvm::ConstantFP::get(m_b.getDoubleTy(), 0.0));
    llvm::Value *real_eq;
    if (xt == Ty::Float) {
      real_eq = m_b.CreateFCmpOEQ(zr, x);
    } else {  // an int compares exactly with the real part (complex_richcompare)
      llvm::Value *c = m_b.CreateCall(m_ms.runtime("pv_cmp_int_float"), {to_int(x, xt), zr}, "cmp");
      real_eq = m_b.CreateICmpEQ(c, m_b.getInt32(0));
    }
    eq = m_b.CreateAnd(imag_zero, real_eq);
  }
  return e.ops[0] == CmpOp::Eq ? eq : m_b.CreateNot(eq);
}

// _Py_c_abs: an infinite part wins over a NaN; hypot overflowing from finite parts is CPython's
// OverflowError
llvm::Value *FunctionLowerer::complex_abs(llvm::Value *z, int line) {
  auto *f64 = m_b.getDoubleTy();
  llvm::Value *re = m_b.CreateExtractValue(z, 0), *im = m_b.CreateExtractValue(z, 1);
  llvm::Value *inf = llvm::ConstantFP::getInfinity(f64);
  llvm::Value *are = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, re), *aim = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, im);
  llvm::Value *finite = m_b.CreateAnd(m_b.CreateFCmpOLT(are, inf), m_b.CreateFCmpOLT(aim, inf));
  llvm::Value *h = m_b.CreateCall(m_ms.module.getOrInsertFunction("hypot", llvm::FunctionType::get(f64, {f64, f64}, false)), {re, im});
  raise_if(m_b.CreateAnd(finite, m_b.CreateFCmpOEQ(h, inf)), PV_OVERFLOW_ERROR, "absolute value too large", line);
  llvm::Value *special = m_b.CreateSelect(m_b.CreateFCmpOEQ(are, inf), are,
                                          m_b.CreateSelect(m_b.CreateFCmpOEQ(aim, inf), aim, opaque(llvm::ConstantFP::getNaN(f64))));
  return m_b.CreateSelect(finite, h, special);
}

llvm::Value *FunctionLowerer::complex_value(const Call &e) {  // complex(), complex(x), complex(re, im)
  std::vector<llvm::Value *> args;
  std::vector<Ty> types;
  lower_args(e, args, types);
  set_loc(e.range);
  if (args.size() == 1 && is_np_scalar(types[0])) return np_complex_cast(args[0], types[0], DType::C128);  // complex(np.complex64(z))
  if (args.size() == 1 && types[0] == Ty::Complex) return args[0];
  auto *zero = llvm::ConstantFP::get(m_b.getDoubleTy(), 0.0);
  llvm::Value *re = args.empty() ? zero : to_float(args[0], types[0]);
  llvm::Value *im = args.size() < 2 ? zero : to_float(args[1], types[1]);
  return complex_make(re, im);
}

llvm::Value *FunctionLowerer::complex_box(llvm::Value *z, int line) {
  return call_obj("PyComplex_FromDoubles", {m_b.CreateExtractValue(z, 0), m_b.CreateExtractValue(z, 1)}, line);
}

llvm::Value *FunctionLowerer::complex_unbox(llvm::Value *obj, int line) {
  guard(m_b.CreateICmpEQ(obj_type(obj), py_global("PyComplex_Type")), obj, Ty::Complex, line);
  llvm::Value *re = m_b.CreateLoad(m_b.getDoubleTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, 16), "creal");
  llvm::Value *im = m_b.CreateLoad(m_b.getDoubleTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, 24), "cimag");
  return complex_make(re, im);
}

}  // namespace pyvorin
