// lower (fused element-wise expressions): `a * 2.0 + b`, `np.sqrt(x * x + y * y)`, `-(a - b) / c`
// on float64 arrays run as one loop into one new array, with no temporaries, where NumPy makes an
// array per operation. The values are NumPy's: each element goes through the same IEEE operations
// in the same order (no contraction into fused multiply-adds), and NumPy's sqrt and abs are exact.
//
// The expression: operations (+ - * /, unary -, np.sqrt, np.abs, np.absolute, np.negative,
// np.square) whose result is a float64 array, over leaves that are float64 arrays of the same
// ndim or real scalars (Python's or NumPy's, converted to float64 as NumPy's value-based casting
// does with a float64 array). A leaf is evaluated once, in Python's order.
//
// At run time the fused loop serves when every array leaf has the same shape and is C-contiguous
// and aligned; the result is np.empty_like of the first. NumPy would warn about an overflow,
// division by zero or invalid value: the CPU's flags (MXCSR) are cleared before the loop and read
// after it, and if any is set the result is dropped and NumPy computes the expression operation by
// operation from the same leaves, warning exactly as it does (as it does too for other shapes,
// which broadcast, and other layouts). x86-64 only; elsewhere NumPy computes it.
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/TargetParser/Triple.h>

#include <functional>
#include <set>

#include "lower.h"
#include "numpy_rules.h"
#include "pyvorin_numpy.h"

namespace pyvorin {

using namespace ast;

namespace {

constexpr unsigned kFlags = 0x1 | 0x4 | 0x8;  // MXCSR's invalid, divide-by-zero and overflow flags
constexpr unsigned kUnderflow = 0x10;         // MXCSR's underflow flag: a warning only where np.seterr asks
const std::set<std::string> kFusedCalls = {"sqrt", "abs", "absolute", "negative", "square"};

}  // namespace

// An element-wise operation the fused loop computes: its result a float64 array.
bool FunctionLowerer::fuse_op(const Expr &e) {
  Ty t = type(e);
  if (!is_array(t) || t.dtype() != DType::F64 || t.ndim() == 0) return false;
  switch (e.kind) {
    case ExprKind::BinOp: {
      auto &b = static_cast<const BinOp &>(e);
      return !b.inplace && (b.op == Op::Add || b.op == Op::Sub || b.op == Op::Mult || b.op == Op::Div);
    }
    case ExprKind::UnaryOp: {
      auto op = static_cast<const UnaryOp &>(e).op;
      return op == UnaryOpKind::USub || op == UnaryOpKind::UAdd;
    }
    case ExprKind::Call: {
      auto &c = static_cast<const Call &>(e);
      auto it = m_spec.calls.find(&c);
      return it != m_spec.calls.end() && it->second.kind == CallTarget::Kind::Numpy && kFusedCalls.count(it->second.name) &&
             c.args.size() == 1 && c.keywords.empty();
    }
    default: return false;
  }
}

// The operands of a fused operation, left to right.
static std::vector<const Expr *> fuse_operands(const Expr &e) {
  if (e.kind == ExprKind::BinOp) return {static_cast<const BinOp &>(e).left.get(), static_cast<const BinOp &>(e).right.get()};
  if (e.kind == ExprKind::UnaryOp) return {static_cast<const UnaryOp &>(e).operand.get()};
  return {static_cast<const Call &>(e).args[0].get()};
}

// A leaf whose evaluation cannot fail or do anything: evaluated before the operations (which
// CPython interleaves), it must not raise first or be seen. A name, a constant, -constant, a
// slice of a named array with constant or named bounds (`a[1:]`, `a[:-1]`, `m[:, 0:n]`), or
// + - * of such scalars (`2.0 * h`; the caller checks that a leaf is a scalar or an array).
static bool quiet_leaf(const Expr &e) {
  auto bound = [](const Expr *x) {
    if (!x) return true;
    if (x->kind == ExprKind::UnaryOp) x = static_cast<const UnaryOp &>(*x).operand.get();
    return x->kind == ExprKind::Constant || x->kind == ExprKind::Name;
  };
  auto slice = [&](const Expr &x) {
    if (x.kind != ExprKind::Slice) return false;
    auto &s = static_cast<const Slice &>(x);
    return bound(s.lower.get()) && bound(s.upper.get()) && bound(s.step.get());
  };
  switch (e.kind) {
    case ExprKind::Name: case ExprKind::Constant: return true;
    case ExprKind::UnaryOp: return static_cast<const UnaryOp &>(e).operand->kind == ExprKind::Constant;
    case ExprKind::BinOp: {  // `2.0 * h`: + - * of quiet scalars never raises (an int overflow reruns in CPython)
      auto &b = static_cast<const BinOp &>(e);
      return (b.op == Op::Add || b.op == Op::Sub || b.op == Op::Mult) && quiet_leaf(*b.left) && quiet_leaf(*b.right) &&
             b.left->kind != ExprKind::Subscript && b.right->kind != ExprKind::Subscript;
    }
    case ExprKind::Subscript: {
      auto &s = static_cast<const Subscript &>(e);
      if (s.value->kind != ExprKind::Name) return false;
      if (s.slice->kind == ExprKind::Tuple) {
        for (auto &x : static_cast<const Tuple &>(*s.slice).elts)
          if (!slice(*x)) return false;
        return true;
      }
      return slice(*s.slice);
    }
    default: return false;
  }
}

// The leaves of a fusable expression rooted at `root`, in evaluation order; false when some
// operand is neither a fused operation nor a float64 array of the root's ndim nor a real scalar,
// or a leaf is not quiet.
bool FunctionLowerer::fuse_leaves(const Expr &e, int ndim, std::vector<const Expr *> &leaves) {
  if (fuse_op(e)) {
    if (type(e).ndim() != ndim) return false;
    for (const Expr *x : fuse_operands(e))
      if (!fuse_leaves(*x, ndim, leaves)) return false;
    return true;
  }
  Ty t = type(e);
  DType d;
  if (!quiet_leaf(e)) return false;
  if (e.kind == ExprKind::BinOp && (is_np_scalar(t) || is_np_scalar(type(*static_cast<const BinOp &>(e).left)) ||
                                    is_np_scalar(type(*static_cast<const BinOp &>(e).right))))
    return false;  // NumPy scalar arithmetic may warn: CPython's order of operations keeps it
  if (is_array(t)) {
    if (t.dtype() != DType::F64 || t.ndim() != ndim) return false;
  } else if (!scalar_dtype(t, &d) || dtype_is_complex(d)) {
    return false;
  }
  leaves.push_back(&e);
  return true;
}

// The fused loop for `root` (a fusable operation), or null where it does not apply at compile time.
llvm::Value *FunctionLowerer::fused_elementwise(const Expr &root) {
  if (!fuse_op(root)) return nullptr;
  if (!is_x86_64(m_ms.module)) return nullptr;
  int ndim = type(root).ndim();
  std::vector<const Expr *> leaves;
  if (!fuse_leaves(root, ndim, leaves)) return nullptr;
  int line = root.range.line;
  auto *f64 = m_b.getDoubleTy();
  auto *i64 = m_b.getInt64Ty();
  auto *ptr = m_b.getPtrTy();

  // the leaves, once each, in Python's order
  std::map<const Expr *, llvm::Value *> value;  // an array leaf's object, a scalar leaf's double
  std::vector<llvm::Value *> arrays;
  std::map<const Expr *, size_t> array_index;
  for (const Expr *x : leaves) {
    llvm::Value *v = expr(*x);
    Ty t = type(*x);
    if (is_array(t)) {
      array_index[x] = arrays.size();
      arrays.push_back(v);
    }
    value[x] = v;
  }
  set_loc(root.range);
  std::map<const Expr *, llvm::Value *> scalar;  // the scalar leaves as doubles
  for (const Expr *x : leaves)
    if (!is_array(type(*x))) scalar[x] = np_cast(value[x], type(*x), DType::F64);

  // same shape, C-contiguous and aligned: else NumPy computes it
  auto field = [&](llvm::Value *o, int offset, llvm::Type *ty) {
    return m_b.CreateLoad(ty, m_b.CreateConstGEP1_64(m_b.getInt8Ty(), o, offset));
  };
  llvm::Value *first = arrays.empty() ? nullptr : arrays[0];
  if (!first) return nullptr;  // scalars only: not an array expression (typed away)
  llvm::Value *dims0 = field(first, PV_NP_SHAPE, ptr);
  llvm::Value *n = m_b.getInt64(1);
  std::vector<llvm::Value *> shape0;
  for (int k = 0; k < ndim; ++k) {
    shape0.push_back(m_b.CreateLoad(i64, m_b.CreateConstGEP1_64(i64, dims0, k)));
    n = m_b.CreateMul(n, shape0.back());
  }
  llvm::Value *ok = m_b.getTrue();
  for (llvm::Value *a : arrays) {
    llvm::Value *flags = field(a, PV_NP_FLAGS, m_b.getInt32Ty());
    ok = m_b.CreateAnd(ok, m_b.CreateICmpEQ(m_b.CreateAnd(flags, m_b.getInt32(0x101)), m_b.getInt32(0x101)));  // C_CONTIGUOUS | ALIGNED
    if (a == first) continue;
    llvm::Value *dims = field(a, PV_NP_SHAPE, ptr);
    for (int k = 0; k < ndim; ++k)
      ok = m_b.CreateAnd(ok, m_b.CreateICmpEQ(m_b.CreateLoad(i64, m_b.CreateConstGEP1_64(i64, dims, k)), shape0[size_t(k)]));
  }
  auto *fused_bb = llvm::BasicBlock::Create(m_ms.ctx, "fuse.loop.pre", m_fn);
  auto *numpy_bb = llvm::BasicBlock::Create(m_ms.ctx, "fuse.numpy", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "fuse.done", m_fn);
  m_b.CreateCondBr(ok, fused_bb, numpy_bb);

  // the fused loop
  m_b.SetInsertPoint(fused_bb);
  llvm::Value *out = m_b.CreateCall(capi("pv_np_empty_like", ptr, {ptr}), {first});
  fail_if_null(out, line);
  if (!m_loops.empty()) fe_note();  // an enclosing loop's overflow so far
  fe_clear(kFlags | kUnderflow);
  std::vector<llvm::Value *> data;
  for (llvm::Value *a : arrays) data.push_back(field(a, PV_NP_DATA, ptr));
  llvm::Value *out_data = field(out, PV_NP_DATA, ptr);
  llvm::BasicBlock *pre = m_b.GetInsertBlock();
  auto *body = llvm::BasicBlock::Create(m_ms.ctx, "fuse.loop", m_fn);
  auto *exit = llvm::BasicBlock::Create(m_ms.ctx, "fuse.loop.end", m_fn);
  m_b.CreateCondBr(m_b.CreateICmpSGT(n, m_b.getInt64(0)), body, exit);
  m_b.SetInsertPoint(body);
  llvm::PHINode *i = m_b.CreatePHI(i64, 2, "fuse.i");
  i->addIncoming(m_b.getInt64(0), pre);
  std::function<llvm::Value *(const Expr &)> element = [&](const Expr &e) -> llvm::Value * {
    if (!fuse_op(e)) {
      if (is_array(type(e)))
        return m_b.CreateAlignedLoad(f64, m_b.CreateGEP(f64, data[array_index.at(&e)], i), llvm::Align(8));
      return scalar.at(&e);
    }
    std::vector<llvm::Value *> x;
    for (const Expr *o : fuse_operands(e)) x.push_back(element(*o));
    if (e.kind == ExprKind::BinOp) {
      switch (static_cast<const BinOp &>(e).op) {
        case Op::Add: return m_b.CreateFAdd(x[0], x[1]);
        case Op::Sub: return m_b.CreateFSub(x[0], x[1]);
        case Op::Mult: return m_b.CreateFMul(x[0], x[1]);
        default: return m_b.CreateFDiv(x[0], x[1]);
      }
    }
    if (e.kind == ExprKind::UnaryOp)
      return static_cast<const UnaryOp &>(e).op == UnaryOpKind::USub ? m_b.CreateFNeg(x[0]) : x[0];
    const std::string &fn = m_spec.calls.at(&static_cast<const Call &>(e)).name;
    if (fn == "sqrt") return m_b.CreateUnaryIntrinsic(llvm::Intrinsic::sqrt, x[0]);
    if (fn == "negative") return m_b.CreateFNeg(x[0]);
    if (fn == "square") return m_b.CreateFMul(x[0], x[0]);
    return m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x[0]);  // abs, absolute
  };
  llvm::Value *r = element(root);
  m_b.CreateAlignedStore(r, m_b.CreateGEP(f64, out_data, i), llvm::Align(8));
  llvm::Value *next = m_b.CreateAdd(i, m_b.getInt64(1), "", true, true);
  i->addIncoming(next, m_b.GetInsertBlock());
  m_b.CreateCondBr(m_b.CreateICmpSLT(next, n), body, exit);
  m_b.SetInsertPoint(exit);
  llvm::Value *warns = fe_flags(kFlags);
  // underflow, which NumPy ignores unless np.seterr(under=...) asks (read only when it happened)
  llvm::Value *under = fe_flags(kUnderflow);
  auto *ask = llvm::BasicBlock::Create(m_ms.ctx, "fuse.underflow", m_fn);
  auto *judged = llvm::BasicBlock::Create(m_ms.ctx, "fuse.judged", m_fn);
  llvm::BasicBlock *before = m_b.GetInsertBlock();
  m_b.CreateCondBr(m_b.CreateAnd(under, m_b.CreateNot(warns)), ask, judged);
  m_b.SetInsertPoint(ask);
  llvm::Value *asked = m_b.CreateICmpNE(m_b.CreateCall(capi("pv_np_reports_underflow", m_b.getInt32Ty(), {}), {}), m_b.getInt32(0));
  m_b.CreateBr(judged);
  m_b.SetInsertPoint(judged);
  llvm::PHINode *w = m_b.CreatePHI(m_b.getInt1Ty(), 2);
  w->addIncoming(warns, before);
  w->addIncoming(asked, ask);
  warns = w;
  if (unit_tests_fe_flags()) fe_clear(kFlags | kUnderflow);  // not this code's NumPy scalar flags
  auto *kept = llvm::BasicBlock::Create(m_ms.ctx, "fuse.kept", m_fn);
  auto *dropped = llvm::BasicBlock::Create(m_ms.ctx, "fuse.warns", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(warns, dropped, kept, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(dropped);  // NumPy warns: it computes the expression itself
  m_b.CreateCall(capi("Py_DecRef", m_b.getVoidTy(), {ptr}), {out});
  m_b.CreateBr(numpy_bb);
  m_b.SetInsertPoint(kept);
  llvm::BasicBlock *kept_end = m_b.GetInsertBlock();
  m_b.CreateBr(done);

  // NumPy's own operators on the same leaves
  m_b.SetInsertPoint(numpy_bb);
  std::function<llvm::Value *(const Expr &)> numpy = [&](const Expr &e) -> llvm::Value * {
    if (!fuse_op(e)) {
      llvm::Value *v = value.at(&e);
      if (is_array(type(e))) {
        incref(v);  // one reference for the operation to drop
        return own(v);
      }
      return to_object(v, type(e));
    }
    std::vector<llvm::Value *> x;
    for (const Expr *o : fuse_operands(e)) x.push_back(numpy(*o));
    llvm::Value *o;
    if (e.kind == ExprKind::BinOp) {
      Op op = static_cast<const BinOp &>(e).op;
      const char *fn = op == Op::Add ? "PyNumber_Add" : op == Op::Sub ? "PyNumber_Subtract" : op == Op::Mult ? "PyNumber_Multiply"
                                                                                                            : "PyNumber_TrueDivide";
      o = call_obj(fn, {x[0], x[1]}, line);
    } else if (e.kind == ExprKind::UnaryOp) {
      o = call_obj(static_cast<const UnaryOp &>(e).op == UnaryOpKind::USub ? "PyNumber_Negative" : "PyNumber_Positive", {x[0]}, line);
    } else {
      const std::string &fn = m_spec.calls.at(&static_cast<const Call &>(e)).name;
      o = call_obj("pv_np_ufunc1", {m_ms.string(fn), x[0]}, line);
    }
    for (llvm::Value *v : x) release(v);
    return o;
  };
  llvm::Value *via_numpy = numpy(root);
  llvm::Value *checked = from_object(via_numpy, type(root), line, true);
  forget(checked);
  llvm::BasicBlock *numpy_end = m_b.GetInsertBlock();
  m_b.CreateBr(done);

  m_b.SetInsertPoint(done);
  llvm::PHINode *res = m_b.CreatePHI(ptr, 2, "fused");
  res->addIncoming(out, kept_end);
  res->addIncoming(checked, numpy_end);
  for (const Expr *x : leaves)
    if (is_array(type(*x))) release(value[x]);
  return own(res);
}

}  // namespace pyvorin
