// lower (NumPy scalars): np.float64, np.int8, np.bool_ ... unboxed, with NumPy's promotion, and
// float|np.float64 ("weak") values that carry which one they are. A NumPy scalar operation NumPy
// would warn about (integer overflow, division by zero, an invalid or overflowing float result)
// stops with PV_NUMPY_WARNING, so the call reruns in CPython, where NumPy warns and goes on
// exactly as it does; inside a loop it is a flag tested where the loop ends. ndarrays and calls
// into NumPy are in lower_ndarray.cpp.
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/MDBuilder.h>

#include <climits>
#include <functional>
#include <set>

#include "lower.h"
#include "numpy_rules.h"
#include "pyvorin_numpy.h"

namespace pyvorin {

using namespace ast;

llvm::Type *dtype_llvm(llvm::LLVMContext &c, DType d) {
  switch (d) {
    case DType::Bool: return llvm::Type::getInt1Ty(c);
    case DType::I8: case DType::U8: return llvm::Type::getInt8Ty(c);
    case DType::I16: case DType::U16: return llvm::Type::getInt16Ty(c);
    case DType::I32: case DType::U32: return llvm::Type::getInt32Ty(c);
    case DType::I64: case DType::U64: return llvm::Type::getInt64Ty(c);
    case DType::F32: return llvm::Type::getFloatTy(c);
    case DType::C64: case DType::C128: return np_complex_type(c, d);
    default: return llvm::Type::getDoubleTy(c);
  }
}

unsigned dtype_align(DType d) { return unsigned(dtype_is_complex(d) ? dtype_size(d) / 2 : std::min(dtype_size(d), 8)); }

// The LLVM type an element has in memory (a bool is a byte).
llvm::Type *memory_type(llvm::LLVMContext &c, DType d) { return d == DType::Bool ? llvm::Type::getInt8Ty(c) : dtype_llvm(c, d); }

namespace {

const char *op_verb(Op op) {
  switch (op) {
    case Op::Add: return "add";
    case Op::Sub: return "subtract";
    case Op::Mult: return "multiply";
    case Op::Div: return "divide";
    case Op::FloorDiv: return "floor_divide";
    case Op::Mod: return "remainder";
    case Op::Pow: return "power";
    case Op::LShift: return "left_shift";
    case Op::RShift: return "right_shift";
    default: return "operation";
  }
}

}  // namespace

// A weak scalar (Python or NumPy) is {value, is_numpy}.
llvm::Type *np_scalar_type(llvm::LLVMContext &c, Ty t) {
  if (t.weak()) return llvm::StructType::get(c, {dtype_llvm(c, t.dtype()), llvm::Type::getInt1Ty(c)});
  return dtype_llvm(c, t.dtype());
}

llvm::Value *FunctionLowerer::np_value(llvm::Value *v, Ty t) { return is_weak(t) ? m_b.CreateExtractValue(v, 0) : v; }

llvm::Value *FunctionLowerer::np_flag(llvm::Value *v, Ty t) {
  if (is_weak(t)) return m_b.CreateExtractValue(v, 1);
  return m_b.getInt1(is_np_scalar(t));
}

llvm::Value *FunctionLowerer::np_weak(llvm::Value *value, llvm::Value *flag, Ty t) {
  llvm::Value *s = llvm::UndefValue::get(np_scalar_type(m_ms.ctx, t));
  s = m_b.CreateInsertValue(s, value, 0);
  return m_b.CreateInsertValue(s, flag, 1);
}

// ---- NumPy scalars ----

void FunctionLowerer::np_warn_if(llvm::Value *cond, const std::string &what, int line) {
  np_warn_if(cond, what, line_const(line));
}

void FunctionLowerer::np_warn_if(llvm::Value *cond, const std::string &what, llvm::Value *line) {
  auto *bad = llvm::BasicBlock::Create(m_ms.ctx, "np.warns", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "np.ok", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(cond, bad, cont, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(bad);
  m_b.CreateCall(capi("pv_np_warns", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt32Ty()}),
                 {m_ctx, m_ms.string(what), m_fname, line});
  m_b.CreateBr(m_unwind);
  m_b.SetInsertPoint(cont);
}

// A scalar (a Python int/float/bool or a NumPy scalar) converted to dtype `to` as NumPy's
// promotion does (always exact or widening here: int -> float rounds as NumPy's casts do).
llvm::Value *FunctionLowerer::np_cast(llvm::Value *v, Ty from, DType to) {
  if (dtype_is_complex(to)) return np_complex_cast(v, from, to);
  DType d;
  scalar_dtype(from, &d);
  v = np_value(v, from);
  llvm::Type *target = dtype_llvm(m_ms.ctx, to);
  if (d == to) return v;
  if (to == DType::Bool) {
    if (dtype_is_float(d)) return m_b.CreateFCmpUNE(v, llvm::ConstantFP::get(v->getType(), 0.0));
    return m_b.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
  }
  if (dtype_is_float(to)) {
    if (dtype_is_float(d)) return to == DType::F64 ? m_b.CreateFPExt(v, target) : m_b.CreateFPTrunc(v, target);
    if (d == DType::Bool || dtype_is_unsigned(d)) return opaque(m_b.CreateUIToFP(v, target));
    return opaque(m_b.CreateSIToFP(v, target));
  }
  // int <- int (or bool)
  if (d == DType::Bool || dtype_is_unsigned(d)) return m_b.CreateZExtOrTrunc(v, target);
  return m_b.CreateSExtOrTrunc(v, target);
}

llvm::Value *FunctionLowerer::np_box(llvm::Value *v, Ty t, int line) {
  DType d = t.dtype();
  if (dtype_is_complex(d)) return np_complex_box(v, t, line);
  if (t.weak()) {  // the Python scalar or the NumPy one, as the value says
    llvm::Value *flag = np_flag(v, t);
    v = np_value(v, t);
    llvm::Value *bits = d == DType::F64 ? m_b.CreateBitCast(v, m_b.getInt64Ty()) : m_b.CreateZExt(v, m_b.getInt64Ty());
    llvm::Value *o = m_b.CreateCall(capi("pv_np_box_weak", m_b.getPtrTy(), {m_b.getInt32Ty(), m_b.getInt64Ty(), m_b.getInt32Ty()}),
                                    {m_b.getInt32(int(d)), bits, m_b.CreateZExt(flag, m_b.getInt32Ty())});
    fail_if_null(o, line);
    return own(o);
  }
  llvm::Value *bits;
  if (d == DType::F64) bits = m_b.CreateBitCast(v, m_b.getInt64Ty());
  else if (d == DType::F32) bits = m_b.CreateZExt(m_b.CreateBitCast(v, m_b.getInt32Ty()), m_b.getInt64Ty());
  else bits = m_b.CreateZExt(v, m_b.getInt64Ty());
  llvm::Value *o = m_b.CreateCall(capi("pv_np_box", m_b.getPtrTy(), {m_b.getInt32Ty(), m_b.getInt64Ty()}), {m_b.getInt32(int(d)), bits});
  fail_if_null(o, line);
  return own(o);
}

llvm::Value *FunctionLowerer::np_unbox(llvm::Value *obj, Ty t, int line) {
  if (t.weak()) {  // either (a function's result typed so): which one it is travels with the value
    DType d = t.dtype();
    llvm::Value *is_np = m_b.CreateICmpNE(
        m_b.CreateCall(capi("pv_np_is_scalar", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getInt32Ty()}), {obj, m_b.getInt32(int(d))}),
        m_b.getInt32(0));
    auto *np_bb = llvm::BasicBlock::Create(m_ms.ctx, "weak.np", m_fn), *py_bb = llvm::BasicBlock::Create(m_ms.ctx, "weak.py", m_fn);
    auto *done = llvm::BasicBlock::Create(m_ms.ctx, "weak.done", m_fn);
    m_b.CreateCondBr(is_np, np_bb, py_bb);
    m_b.SetInsertPoint(np_bb);
    llvm::Value *a = np_load_value(obj, d);
    llvm::BasicBlock *np_end = m_b.GetInsertBlock();
    m_b.CreateBr(done);
    m_b.SetInsertPoint(py_bb);
    Ty py = d == DType::F64 ? Ty::Float : d == DType::I64 ? Ty::Int : d == DType::C128 ? Ty::Complex : Ty::Bool;
    llvm::Value *b = from_object(obj, py, line, false);
    llvm::BasicBlock *py_end = m_b.GetInsertBlock();
    m_b.CreateBr(done);
    m_b.SetInsertPoint(done);
    llvm::PHINode *phi = m_b.CreatePHI(a->getType(), 2);
    phi->addIncoming(a, np_end);
    phi->addIncoming(b, py_end);
    llvm::PHINode *flag = m_b.CreatePHI(m_b.getInt1Ty(), 2);
    flag->addIncoming(m_b.getTrue(), np_end);
    flag->addIncoming(m_b.getFalse(), py_end);
    return np_weak(phi, flag, t);
  }
  llvm::Value *ok = m_b.CreateCall(capi("pv_np_is_scalar", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getInt32Ty()}),
                                   {obj, m_b.getInt32(int(t.dtype()))});
  guard(m_b.CreateICmpNE(ok, m_b.getInt32(0)), obj, t, line);
  return np_load_value(obj, t.dtype());
}

llvm::Value *FunctionLowerer::np_load_value(llvm::Value *obj, DType d) {
  llvm::Value *p = m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, PV_NP_SCALAR_VALUE);
  llvm::Value *v = m_b.CreateLoad(memory_type(m_ms.ctx, d), p, "npval");
  if (d == DType::Bool) v = m_b.CreateICmpNE(v, m_b.getInt8(0));
  return v;
}

llvm::Value *FunctionLowerer::np_truthy(llvm::Value *v, Ty t) {
  DType d = t.dtype();
  v = np_value(v, t);
  if (d == DType::Bool) return v;
  if (dtype_is_complex(d)) return np_complex_truthy(v);
  if (dtype_is_float(d)) return m_b.CreateFCmpUNE(v, llvm::ConstantFP::get(v->getType(), 0.0));
  return m_b.CreateICmpNE(v, llvm::ConstantInt::get(v->getType(), 0));
}

llvm::Value *FunctionLowerer::np_to_float(llvm::Value *v, Ty t) { return np_cast(v, t, DType::F64); }

llvm::Value *FunctionLowerer::np_to_int(llvm::Value *v, Ty t, int line, bool checked) {
  DType d = t.dtype();
  v = np_value(v, t);
  t = Ty::np_scalar(d);
  if (dtype_is_float(d)) return float_to_int(np_cast(v, t, DType::F64), line, checked);
  if (d == DType::U64) {  // beyond int64: a Python int only CPython holds
    raise_if(m_b.CreateICmpSLT(v, m_b.getInt64(0)), PV_INT_OVERFLOW, "int() of a uint64 beyond 64-bit signed ints", line);
    return v;
  }
  return np_cast(v, t, DType::I64);
}

// Whether NumPy computes a complex scalar operation in its scalar math (scalarmath.c.src), whose
// formulas lower_npcomplex.cpp follows: an operand that is a NumPy scalar of the result's dtype
// runs it (np.complex64 * np.float32, np.complex128 * anything). Otherwise (np.complex64 * a
// Python float, np.float64 * np.complex64, a value that may be Python's complex) NumPy promotes
// through its ufunc machinery, whose multiply is a differently compiled loop (fused multiply-adds
// on AVX-512 machines), so compiled code calls NumPy's operator itself. Operands that may each be
// Python's (weak values, Python numbers) are Python's operation or NumPy's scalar math, the same
// formulas for + - *; their quotients differ (CPython's _Py_c_quot), so / calls the operator.
static bool complex_native(Op op, Ty lt, Ty rt, DType d) {
  auto strong = [](Ty t) { return is_np_scalar(t) && !t.weak(); };
  bool left_bool = strong(lt) && lt.dtype() == DType::Bool;  // np.bool_'s own math is the ufunc's
  if ((strong(lt) && lt.dtype() == d) || (strong(rt) && rt.dtype() == d && !left_bool)) return true;
  return !strong(lt) && !strong(rt) && op != Op::Div;
}

llvm::Value *FunctionLowerer::np_binop(const BinOp &e) {
  Ty lt = type(*e.left), rt = type(*e.right), res = type(e);
  int line = e.range.line;
  if (is_array(res))
    if (llvm::Value *f = fused_elementwise(e)) return f;  // one loop, no temporaries
  bool via_numpy = is_np_scalar(res) && dtype_is_complex(res.dtype()) && !complex_native(e.op, lt, rt, res.dtype());
  if (is_array(lt) || is_array(rt) || is_array(res) || via_numpy) {  // NumPy's own operator on whole arrays
    llvm::Value *lv = expr(*e.left);
    llvm::Value *rv = expr(*e.right);
    set_loc(e.range);
    if (via_numpy && !np_warn_in_place(e.range)) {  // (after a print, NumPy's own warning is the right one)
      // NumPy's loop would warn from inside this call, which a rerun in CPython would repeat: the
      // same operations in plain IEEE arithmetic are tested first, here (a fused multiply-add
      // warns only where they do), and any warning reruns the call before NumPy runs
      llvm::Value *bad;
      np_tested_op(e.op, np_cast(lv, lt, res.dtype()), np_cast(rv, rt, res.dtype()), res.dtype(), line, &bad);
      np_warn_if(bad, "NumPy warns about this complex " + std::string(op_verb(e.op)), line);
    }
    llvm::Value *l = to_object(lv, lt);
    llvm::Value *r = to_object(rv, rt);
    static const std::map<Op, const char *> fns = {
        {Op::Add, "PyNumber_Add"},       {Op::Sub, "PyNumber_Subtract"},   {Op::Mult, "PyNumber_Multiply"},
        {Op::Div, "PyNumber_TrueDivide"}, {Op::FloorDiv, "PyNumber_FloorDivide"}, {Op::Mod, "PyNumber_Remainder"},
        {Op::LShift, "PyNumber_Lshift"}, {Op::RShift, "PyNumber_Rshift"}, {Op::BitAnd, "PyNumber_And"},
        {Op::BitOr, "PyNumber_Or"},      {Op::BitXor, "PyNumber_Xor"},     {Op::MatMult, "PyNumber_MatrixMultiply"}};
    static const std::map<Op, const char *> inplace = {
        {Op::Add, "PyNumber_InPlaceAdd"}, {Op::Sub, "PyNumber_InPlaceSubtract"}, {Op::Mult, "PyNumber_InPlaceMultiply"},
        {Op::Div, "PyNumber_InPlaceTrueDivide"}, {Op::FloorDiv, "PyNumber_InPlaceFloorDivide"},
        {Op::Mod, "PyNumber_InPlaceRemainder"}, {Op::LShift, "PyNumber_InPlaceLshift"}, {Op::RShift, "PyNumber_InPlaceRshift"},
        {Op::BitAnd, "PyNumber_InPlaceAnd"}, {Op::BitOr, "PyNumber_InPlaceOr"}, {Op::BitXor, "PyNumber_InPlaceXor"},
        {Op::MatMult, "PyNumber_InPlaceMatrixMultiply"}};
    llvm::Value *o;
    if (e.inplace && is_array(lt)) {  // a += b: the array itself, changed in place (NumPy's casting rules)
      if (e.op == Op::Pow) o = call_obj("PyNumber_InPlacePower", {l, r, py_global("_Py_NoneStruct")}, line);
      else o = call_obj(inplace.at(e.op), {l, r}, line);
      mark_effect(e.left.get());
    } else if (e.op == Op::Pow) {
      o = call_obj("PyNumber_Power", {l, r, py_global("_Py_NoneStruct")}, line);
    } else {
      o = call_obj(fns.at(e.op), {l, r}, line);
    }
    release(l);
    release(r);
    return from_object(o, res, line, true);
  }
  llvm::Value *l = expr(*e.left);
  llvm::Value *r = expr(*e.right);
  set_loc(e.range);
  llvm::Value *v = np_scalar_binop(e, l, r);
  if (!res.weak()) return v;
  return np_weak(v, m_b.CreateOr(np_flag(l, lt), np_flag(r, rt)), res);
}

llvm::Value *FunctionLowerer::np_scalar_binop(const BinOp &e, llvm::Value *l, llvm::Value *r) {
  Ty lt = type(*e.left), rt = type(*e.right), res = type(e);
  int line = e.range.line;
  DType d = res.dtype();
  DType dl, dr;
  scalar_dtype(lt, &dl);
  scalar_dtype(rt, &dr);
  // the operation's own dtype: true division of ints computes in float64
  DType od = e.op == Op::Div ? d : promote(dl, dr);
  if (od == DType::Bool && (e.op == Op::FloorDiv || e.op == Op::Mod || e.op == Op::Pow)) od = DType::I8;
  llvm::Value *a = np_cast(l, lt, od), *b = np_cast(r, rt, od);
  std::string verb = op_verb(e.op);
  // loop versioning proved its result finite, or its operands' classes rule a warning out
  if ((m_unchecked.count(&e) || m_spec.quiet_ops.count(&e)) && od == DType::F64) {
    switch (e.op) {
      case Op::Add: return m_b.CreateFAdd(a, b);
      case Op::Sub: return m_b.CreateFSub(a, b);
      case Op::Mult: return m_b.CreateFMul(a, b);
      case Op::Div: return m_b.CreateFDiv(a, b);
      default: break;
    }
  }
  bool in_place = (e.op == Op::Add || e.op == Op::Sub || e.op == Op::Mult || e.op == Op::Div) && np_warn_in_place(e.range);
  InPlaceOperands io{l, lt, r, rt, res};
  if (dtype_is_complex(od)) return in_place ? np_binop_warning_in_place(e.op, a, b, od, io, line) : np_complex_arith(e.op, a, b, line);
  if (in_place && (dtype_is_float(od) || (dtype_is_int(od) && e.op != Op::Div)))
    return np_binop_warning_in_place(e.op, a, b, od, io, line);
  if (dtype_is_float(od)) {
    llvm::Value *v = nullptr;
    switch (e.op) {
      case Op::Add: v = m_b.CreateFAdd(a, b); break;
      case Op::Sub: v = m_b.CreateFSub(a, b); break;
      case Op::Mult: v = m_b.CreateFMul(a, b); break;
      case Op::Div: v = m_b.CreateFDiv(a, b); break;
      case Op::Pow: v = m_b.CreateBinaryIntrinsic(llvm::Intrinsic::pow, a, b); break;
      case Op::FloorDiv: case Op::Mod: {
        // Python's float floor division and modulo, which NumPy's npy_divmod matches for finite
        // operands and a non-zero divisor; the rest (a zero divisor, an infinity, a NaN, an
        // overflowing quotient) is NumPy's, with its warnings
        auto finite = [&](llvm::Value *x) {
          return m_b.CreateFCmpONE(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x), llvm::ConstantFP::getInfinity(x->getType()));
        };
        np_warn_if(m_b.CreateNot(m_b.CreateAnd(m_b.CreateAnd(finite(a), finite(b)), m_b.CreateFCmpONE(b, llvm::ConstantFP::get(b->getType(), 0.0)))),
                   std::string("NumPy's float ") + verb + " of a zero, infinite or NaN operand", line);
        const char *fn = e.op == Op::FloorDiv ? "pv_float_floordiv" : "pv_float_mod";
        v = m_b.CreateCall(m_ms.runtime(fn), {m_ctx, a, b, m_fname, line_const(line)});
        check_status();
        np_warn_if(m_b.CreateNot(finite(v)), std::string("NumPy warns about this float ") + verb + " (overflow)", line);
        return v;
      }
      default: return a;  // typed away by infer
    }
    np_float_check(v, {a, b}, verb, line, e.op == Op::Add || e.op == Op::Sub || e.op == Op::Mult);
    return v;
  }
  bool uns = dtype_is_unsigned(od);
  unsigned width = a->getType()->getIntegerBitWidth();
  auto overflow = [&](llvm::Intrinsic::ID id) {
    // an increment of a counter array (ranges.cpp) cannot overflow
    if (e.op == Op::Add && !uns && is_counter_add(e)) return m_b.CreateNSWAdd(a, b);
    // NumPy wraps and warns: in a loop the wrapped value goes on and the warning is checked
    // where the loop ends (fpe_check), so the loop has no branch for it
    llvm::Value *pair = m_b.CreateBinaryIntrinsic(id, a, b);
    if (m_fpe && !m_loops.empty())
      m_b.CreateStore(m_b.CreateOr(m_b.CreateLoad(m_b.getInt1Ty(), m_fpe, "fpe"), m_b.CreateExtractValue(pair, 1)), m_fpe);
    else
      np_warn_if(m_b.CreateExtractValue(pair, 1), "NumPy warns about this integer " + verb + " (overflow)", line);
    return m_b.CreateExtractValue(pair, 0);
  };
  llvm::Value *zero = llvm::ConstantInt::get(a->getType(), 0);
  switch (e.op) {
    case Op::Add:
      if (od == DType::Bool) return m_b.CreateOr(a, b);
      return overflow(uns ? llvm::Intrinsic::uadd_with_overflow : llvm::Intrinsic::sadd_with_overflow);
    case Op::Sub: return overflow(uns ? llvm::Intrinsic::usub_with_overflow : llvm::Intrinsic::ssub_with_overflow);
    case Op::Mult:
      if (od == DType::Bool) return m_b.CreateAnd(a, b);
      return overflow(uns ? llvm::Intrinsic::umul_with_overflow : llvm::Intrinsic::smul_with_overflow);
    case Op::FloorDiv: case Op::Mod: {
      np_warn_if(m_b.CreateICmpEQ(b, zero), "NumPy warns about this integer " + verb + " (division by zero)", line);
      if (uns) return e.op == Op::FloorDiv ? m_b.CreateUDiv(a, b) : m_b.CreateURem(a, b);
      llvm::Value *min = llvm::ConstantInt::get(a->getType(), llvm::APInt::getSignedMinValue(width));
      np_warn_if(m_b.CreateAnd(m_b.CreateICmpEQ(a, min), m_b.CreateICmpEQ(b, llvm::ConstantInt::getSigned(a->getType(), -1))),
                 "NumPy warns about this integer " + verb + " (overflow)", line);
      llvm::Value *q = m_b.CreateSDiv(a, b), *rem = m_b.CreateSRem(a, b);
      // floor: the remainder takes the divisor's sign
      llvm::Value *adjust = m_b.CreateAnd(m_b.CreateICmpNE(rem, zero), m_b.CreateICmpSLT(m_b.CreateXor(rem, b), zero));
      if (e.op == Op::FloorDiv) return m_b.CreateSub(q, m_b.CreateZExt(adjust, a->getType()));
      return m_b.CreateSelect(adjust, m_b.CreateAdd(rem, b), rem);
    }
    case Op::Pow: {
      if (!uns) np_warn_if(m_b.CreateICmpSLT(b, zero), "Integers to negative integer powers are not allowed", line);
      // square and multiply at the dtype's width; any overflow is NumPy's to handle
      llvm::Value *e64 = uns ? m_b.CreateZExt(b, m_b.getInt64Ty()) : m_b.CreateSExt(b, m_b.getInt64Ty());
      llvm::Value *r64 = m_b.CreateCall(m_ms.runtime("pv_int_pow"),
                                        {m_ctx, uns ? m_b.CreateZExt(a, m_b.getInt64Ty()) : m_b.CreateSExt(a, m_b.getInt64Ty()), e64,
                                         m_fname, line_const(line)});
      check_status();
      if (width < 64) {
        llvm::Value *back = m_b.CreateTrunc(r64, a->getType());
        llvm::Value *ext = uns ? m_b.CreateZExt(back, m_b.getInt64Ty()) : m_b.CreateSExt(back, m_b.getInt64Ty());
        np_warn_if(m_b.CreateICmpNE(ext, r64), "NumPy warns about this integer power (overflow)", line);
        return back;
      }
      if (uns) np_warn_if(m_b.CreateICmpSLT(r64, m_b.getInt64(0)), "NumPy warns about this integer power (overflow)", line);
      return r64;
    }
    case Op::LShift: case Op::RShift: {
      // NumPy shifts by the width or more give 0 (or the sign); compiled shifts stay in range
      llvm::Value *bad = uns ? m_b.CreateICmpUGE(b, llvm::ConstantInt::get(b->getType(), width))
                             : m_b.CreateOr(m_b.CreateICmpSLT(b, zero), m_b.CreateICmpSGE(b, llvm::ConstantInt::get(b->getType(), width)));
      np_warn_if(bad, "a NumPy shift by a negative count or by the width or more", line);
      if (e.op == Op::LShift) return m_b.CreateShl(a, b);
      return uns ? m_b.CreateLShr(a, b) : m_b.CreateAShr(a, b);
    }
    case Op::BitAnd: return m_b.CreateAnd(a, b);
    case Op::BitOr: return m_b.CreateOr(a, b);
    case Op::BitXor: return m_b.CreateXor(a, b);
    default: return a;  // typed away by infer
  }
}

// a + - * / of two values of the float or complex dtype d, its float tests (np_float_check's; a
// complex operation's part by part) collected into one flag, *bad, for the caller to act on where
// it is: no deferral to a loop's end, no use of the CPU's flags.
llvm::Value *FunctionLowerer::np_tested_op(Op op, llvm::Value *a, llvm::Value *b, DType d, int line, llvm::Value **bad) {
  llvm::AllocaInst *collect = entry_slot(m_b.getInt1Ty(), "fe.collect", nullptr);
  m_b.CreateStore(m_b.getFalse(), collect);
  llvm::AllocaInst *outer = m_fe_collect;
  m_fe_collect = collect;
  llvm::Value *v;
  if (dtype_is_complex(d)) {
    v = np_complex_arith(op, a, b, line);
  } else {
    v = m_b.CreateBinOp(op == Op::Add ? llvm::Instruction::FAdd : op == Op::Sub ? llvm::Instruction::FSub
                        : op == Op::Mult ? llvm::Instruction::FMul : llvm::Instruction::FDiv, a, b);
    np_float_check(v, {a, b}, op_verb(op), line);
  }
  m_fe_collect = outer;
  *bad = m_b.CreateLoad(m_b.getInt1Ty(), collect);
  return v;
}

// Whether an operation at `line` may run after something was printed: in a unit that prints, a
// helper (its caller may have printed), or code of the called function at or after the first line
// that prints (a print, or a call of compiled code that prints), or in a loop holding such a line.
bool FunctionLowerer::np_warn_in_place(const ast::SourceRange &where) {
  int line = std::max(where.line, where.end_line);  // an operand on a later line runs first
  if (!m_unit.transitively_prints) return false;
  if (&m_spec != m_unit.specs[0].get()) return true;
  if (m_first_print_line < 0) {
    m_first_print_line = INT32_MAX;
    std::set<const Spec *> seen;
    std::function<bool(const Spec &)> prints = [&](const Spec &s) {
      if (!seen.insert(&s).second) return false;
      if (s.prints) return true;
      for (auto &[e, t] : s.calls)
        if (t.kind == CallTarget::Kind::Function && t.spec && prints(*t.spec)) return true;
      return false;
    };
    for (auto &[c, t] : m_spec.calls) {
      bool p = (t.kind == CallTarget::Kind::Builtin && t.name == "print") ||
               (t.kind == CallTarget::Kind::Function && t.spec && (seen.clear(), prints(*t.spec)));
      if (p) m_first_print_line = std::min(m_first_print_line, c->range.line);
    }
  }
  if (line >= m_first_print_line) return true;
  return m_outer_loop && m_outer_loop->range.line <= m_first_print_line && m_first_print_line <= m_outer_loop->range.end_line;
}

// In a unit that prints, a NumPy warning cannot rerun the call in CPython once something was
// printed. So where NumPy would warn about this + - * / (the same tests as np_float_check, or an
// int overflow), CPython's own operator computes it, on the operands as they are (NumPy scalars,
// or the Python numbers a weak value may hold, whose arithmetic is Python's: no warning, or
// ZeroDivisionError): it warns or raises (as np.errstate says) where CPython does, and its result
// goes on. The test is a cold branch; the native result serves otherwise.
llvm::Value *FunctionLowerer::np_binop_warning_in_place(Op op, llvm::Value *a, llvm::Value *b, DType d, const InPlaceOperands &io,
                                                         int line) {
  llvm::Value *v, *bad;
  if (dtype_is_int(d)) {  // NumPy's wrapping, and whether it wrapped
    bool uns = dtype_is_unsigned(d);
    llvm::Intrinsic::ID id = op == Op::Add ? (uns ? llvm::Intrinsic::uadd_with_overflow : llvm::Intrinsic::sadd_with_overflow)
                             : op == Op::Sub ? (uns ? llvm::Intrinsic::usub_with_overflow : llvm::Intrinsic::ssub_with_overflow)
                                             : (uns ? llvm::Intrinsic::umul_with_overflow : llvm::Intrinsic::smul_with_overflow);
    llvm::Value *pair = m_b.CreateBinaryIntrinsic(id, a, b);
    v = m_b.CreateExtractValue(pair, 0);
    bad = m_b.CreateExtractValue(pair, 1);
  } else {
    v = np_tested_op(op, a, b, d, line, &bad);
  }
  auto *slow = llvm::BasicBlock::Create(m_ms.ctx, "np.warns.here", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "np.op.done", m_fn);
  llvm::BasicBlock *fast = m_b.GetInsertBlock();
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(bad, slow, done, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(slow);
  llvm::Value *x = to_object(io.l, io.lt), *y = to_object(io.r, io.rt);
  const char *fn = op == Op::Add ? "PyNumber_Add" : op == Op::Sub ? "PyNumber_Subtract" : op == Op::Mult ? "PyNumber_Multiply"
                                                                                                       : "PyNumber_TrueDivide";
  llvm::Value *o = call_obj(fn, {x, y}, line);
  release(x);
  release(y);
  llvm::Value *numpy = np_value(from_object(o, io.res, line, true), io.res);
  llvm::BasicBlock *slow_end = m_b.GetInsertBlock();
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  llvm::PHINode *phi = m_b.CreatePHI(v->getType(), 2);
  phi->addIncoming(v, fast);
  phi->addIncoming(numpy, slow_end);
  return phi;
}

llvm::Value *FunctionLowerer::np_compare(const Compare &e) {
  Ty lt = type(*e.left), rt = type(*e.comparators[0]), res = type(e);
  int line = e.range.line;
  CmpOp op = e.ops[0];
  if (is_array(res)) {
    llvm::Value *l = to_object(expr(*e.left), lt);
    llvm::Value *r = to_object(expr(*e.comparators[0]), rt);
    set_loc(e.range);
    static const std::map<CmpOp, int> ops = {{CmpOp::Lt, 0}, {CmpOp::LtE, 1}, {CmpOp::Eq, 2},
                                             {CmpOp::NotEq, 3}, {CmpOp::Gt, 4}, {CmpOp::GtE, 5}};  // Py_LT .. Py_GE
    llvm::Value *o = call_obj("PyObject_RichCompare", {l, r, m_b.getInt32(ops.at(op))}, line);
    release(l);
    release(r);
    return from_object(o, res, line, true);
  }
  llvm::Value *l = expr(*e.left);
  llvm::Value *r = expr(*e.comparators[0]);
  set_loc(e.range);
  llvm::Value *v = np_scalar_compare(e, l, r);
  if (!res.weak()) return v;
  return np_weak(v, m_b.CreateOr(np_flag(l, lt), np_flag(r, rt)), res);
}

llvm::Value *FunctionLowerer::np_scalar_compare(const Compare &e, llvm::Value *l, llvm::Value *r) {
  Ty lt = type(*e.left), rt = type(*e.comparators[0]);
  CmpOp op = e.ops[0];
  DType dl, dr;
  scalar_dtype(lt, &dl);
  scalar_dtype(rt, &dr);
  DType d = promote(dl, dr);
  llvm::Value *a = np_cast(l, lt, d), *b = np_cast(r, rt, d);
  if (dtype_is_complex(d)) return np_complex_equal(op, a, b);  // typed: only == and !=
  if (dtype_is_float(d)) {
    if (m_fe_variant && op != CmpOp::Eq && op != CmpOp::NotEq) return quiet_order(op, a, b);
    switch (op) {
      case CmpOp::Eq: return m_b.CreateFCmpOEQ(a, b);
      case CmpOp::NotEq: return m_b.CreateFCmpUNE(a, b);
      case CmpOp::Lt: return m_b.CreateFCmpOLT(a, b);
      case CmpOp::LtE: return m_b.CreateFCmpOLE(a, b);
      case CmpOp::Gt: return m_b.CreateFCmpOGT(a, b);
      default: return m_b.CreateFCmpOGE(a, b);
    }
  }
  bool uns = d == DType::Bool || dtype_is_unsigned(d);
  switch (op) {
    case CmpOp::Eq: return m_b.CreateICmpEQ(a, b);
    case CmpOp::NotEq: return m_b.CreateICmpNE(a, b);
    case CmpOp::Lt: return uns ? m_b.CreateICmpULT(a, b) : m_b.CreateICmpSLT(a, b);
    case CmpOp::LtE: return uns ? m_b.CreateICmpULE(a, b) : m_b.CreateICmpSLE(a, b);
    case CmpOp::Gt: return uns ? m_b.CreateICmpUGT(a, b) : m_b.CreateICmpSGT(a, b);
    default: return uns ? m_b.CreateICmpUGE(a, b) : m_b.CreateICmpSGE(a, b);
  }
}

llvm::Value *FunctionLowerer::np_unary(const UnaryOp &e) {
  Ty t = type(*e.operand), res = type(e);
  int line = e.range.line;
  if (is_array(t)) {
    if (llvm::Value *f = fused_elementwise(e)) return f;
    llvm::Value *o = expr(*e.operand);
    set_loc(e.range);
    const char *fn = e.op == UnaryOpKind::USub ? "PyNumber_Negative" : e.op == UnaryOpKind::UAdd ? "PyNumber_Positive" : "PyNumber_Invert";
    llvm::Value *r = call_obj(fn, {o}, line);
    release(o);
    return from_object(r, res, line, true);
  }
  llvm::Value *w = expr(*e.operand);
  set_loc(e.range);
  llvm::Value *v = np_scalar_unary(e, np_value(w, t));
  return res.weak() ? np_weak(v, np_flag(w, t), res) : v;
}

llvm::Value *FunctionLowerer::np_scalar_unary(const UnaryOp &e, llvm::Value *v) {
  Ty t = type(*e.operand);
  int line = e.range.line;
  DType d = t.dtype();
  switch (e.op) {
    case UnaryOpKind::UAdd: return v;
    case UnaryOpKind::Invert: return d == DType::Bool ? m_b.CreateNot(v) : m_b.CreateXor(v, llvm::ConstantInt::getSigned(v->getType(), -1));
    case UnaryOpKind::USub: {
      if (dtype_is_complex(d)) return np_complex_negate(v);
      if (dtype_is_float(d)) return opaque(m_b.CreateFNeg(v));
      llvm::Value *zero = llvm::ConstantInt::get(v->getType(), 0);
      if (dtype_is_unsigned(d)) {
        np_warn_if(m_b.CreateICmpNE(v, zero), "the negative of a NumPy unsigned int", line);
        return zero;
      }
      llvm::Value *pair = m_b.CreateBinaryIntrinsic(llvm::Intrinsic::ssub_with_overflow, zero, v);
      np_warn_if(m_b.CreateExtractValue(pair, 1), "NumPy warns about this integer negative (overflow)", line);
      return m_b.CreateExtractValue(pair, 0);
    }
    default: return condition(e);
  }
}

// abs() / np.abs() of a NumPy scalar (or np.abs of a Python scalar, as that dtype)
llvm::Value *FunctionLowerer::np_abs(llvm::Value *v, DType d, int line) {
  if (dtype_is_complex(d)) return np_complex_abs(v);
  if (dtype_is_float(d)) return m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, v);
  if (d == DType::Bool || dtype_is_unsigned(d)) return v;
  unsigned width = v->getType()->getIntegerBitWidth();
  np_warn_if(m_b.CreateICmpEQ(v, llvm::ConstantInt::get(v->getType(), llvm::APInt::getSignedMinValue(width))),
             "NumPy warns about this integer absolute (overflow)", line);
  llvm::Value *neg = m_b.CreateNeg(v);
  return m_b.CreateSelect(m_b.CreateICmpSLT(v, llvm::ConstantInt::get(v->getType(), 0)), neg, v);
}

}  // namespace pyvorin
