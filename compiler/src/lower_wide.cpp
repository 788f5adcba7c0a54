// lower (wide sums): `for i in range(...): acc += p(i)`, p a polynomial in the loop variable (int
// constants, loop-invariant int locals, + - *, ** 2 or 3, unary minus), summed in 128 bits.
//
// Python's int does not overflow, so compiled code checks each int64 operation and reruns the call
// in CPython when one does not fit. Checked, this loop can be neither vectorised nor closed
// (LLVM's scalar evolution computes a polynomial sum's exit value only for wrapping arithmetic).
// A guard before the loop proves that no partial sum and no term can leave 127 bits:
// count * max|p| + |acc| < 2^126, with max|p| bounded by p's coefficients in absolute value at
// the largest |i| (and |name|). Then the loop runs in i128 with wrapping, exact, operations: LLVM
// replaces it by its closed form, and the sum is narrowed to int64 where each chunk ends (checked
// there: an overflow reruns the call in CPython, as the checked loop does). The chunks are 2^24
// iterations long (an interrupt poll between them): milliseconds if LLVM keeps the loop.
// Where the guard fails, the ordinary loop runs.
#include <llvm/IR/MDBuilder.h>

#include "lower.h"

namespace pyvorin {

using namespace ast;

namespace {

// The polynomial's leaves: the loop variable, int constants and the names other than acc it reads.
bool polynomial(const Expr &e, const std::string &iv, const std::string &acc, std::set<std::string> &names, int depth = 0) {
  if (depth > 12) return false;
  switch (e.kind) {
    case ExprKind::Constant:
      return static_cast<const Constant &>(e).value_kind == Constant::Kind::Int;
    case ExprKind::Name: {
      const std::string &id = static_cast<const Name &>(e).id;
      if (id == acc) return false;
      if (id != iv) names.insert(id);
      return true;
    }
    case ExprKind::UnaryOp: {
      auto &u = static_cast<const UnaryOp &>(e);
      return (u.op == UnaryOpKind::USub || u.op == UnaryOpKind::UAdd) && polynomial(*u.operand, iv, acc, names, depth + 1);
    }
    case ExprKind::BinOp: {
      auto &b = static_cast<const BinOp &>(e);
      if (b.op == Op::Pow) {
        if (b.right->kind != ExprKind::Constant) return false;
        auto &c = static_cast<const Constant &>(*b.right);
        return c.value_kind == Constant::Kind::Int && c.int_value >= 1 && c.int_value <= 3 &&
               polynomial(*b.left, iv, acc, names, depth + 1);
      }
      if (b.op != Op::Add && b.op != Op::Sub && b.op != Op::Mult) return false;
      return polynomial(*b.left, iv, acc, names, depth + 1) && polynomial(*b.right, iv, acc, names, depth + 1);
    }
    default: return false;
  }
}

// |v| (values sign-extended from int64: never the smallest i128)
llvm::Value *abs128(llvm::IRBuilder<> &b, llvm::Value *v) { return b.CreateBinaryIntrinsic(llvm::Intrinsic::abs, v, b.getFalse()); }

}  // namespace

// The accumulator of a loop this lowering takes, or "" (see the top of the file).
std::string FunctionLowerer::wide_sum_accumulator(const For &s) {
  if (s.target->kind != ExprKind::Name || !s.orelse.empty() || s.body.size() != 1) return "";
  if (s.iter->kind != ExprKind::Call || type(*s.iter) != Ty::Int) return "";
  auto &call = static_cast<const Call &>(*s.iter);
  if (call.args.empty()) return "";
  for (auto &arg : call.args) {  // evaluated twice (the guard's and the plain loop's): no effect, no error
    if (arg->kind == ExprKind::Constant && static_cast<const Constant &>(*arg).value_kind == Constant::Kind::Int) continue;
    if (arg->kind != ExprKind::Name) return "";
    auto it = m_vars.find(static_cast<const Name &>(*arg).id);
    if (it == m_vars.end() || it->second.type != Ty::Int || it->second.bound) return "";
  }
  const std::string &iv = static_cast<const Name &>(*s.target).id;
  const Stmt &st = *s.body[0];
  if (st.kind != StmtKind::Assign) return "";
  auto &a = static_cast<const Assign &>(st);
  if (a.targets.size() != 1 || a.targets[0]->kind != ExprKind::Name || a.value->kind != ExprKind::BinOp) return "";
  const std::string &acc = static_cast<const Name &>(*a.targets[0]).id;
  auto &bin = static_cast<const BinOp &>(*a.value);
  if (bin.op != Op::Add || bin.left->kind != ExprKind::Name || static_cast<const Name &>(*bin.left).id != acc || acc == iv)
    return "";
  std::set<std::string> names;
  if (!polynomial(*bin.right, iv, acc, names) || type(*bin.right) != Ty::Int || type(*a.value) != Ty::Int) return "";
  names.insert(acc);
  names.insert(iv);
  for (auto &n : names) {
    auto it = m_vars.find(n);
    if (it == m_vars.end() || it->second.type != Ty::Int || it->second.bound || !it->second.slot) return "";
  }
  return acc;
}

// p at x (i128, wrapping: exact under the guard), the names read from their slots.
llvm::Value *FunctionLowerer::wide_poly(const Expr &e, const std::string &iv, llvm::Value *x) {
  llvm::Type *w = m_b.getInt128Ty();
  switch (e.kind) {
    case ExprKind::Constant: return llvm::ConstantInt::get(w, uint64_t(static_cast<const Constant &>(e).int_value), true);
    case ExprKind::Name: {
      const std::string &id = static_cast<const Name &>(e).id;
      if (id == iv) return x;
      return m_b.CreateSExt(m_b.CreateLoad(m_b.getInt64Ty(), m_vars.at(id).slot, id), w);
    }
    case ExprKind::UnaryOp: {
      auto &u = static_cast<const UnaryOp &>(e);
      llvm::Value *v = wide_poly(*u.operand, iv, x);
      return u.op == UnaryOpKind::USub ? m_b.CreateNeg(v) : v;
    }
    default: break;
  }
  auto &b = static_cast<const BinOp &>(e);
  llvm::Value *l = wide_poly(*b.left, iv, x);
  if (b.op == Op::Pow) {
    llvm::Value *p = l;
    for (int64_t k = 1; k < static_cast<const Constant &>(*b.right).int_value; ++k) p = m_b.CreateMul(p, l);
    return p;
  }
  llvm::Value *r = wide_poly(*b.right, iv, x);
  return b.op == Op::Add ? m_b.CreateAdd(l, r) : b.op == Op::Sub ? m_b.CreateSub(l, r) : m_b.CreateMul(l, r);
}

// An upper bound of |p| where |i| <= m (i128, unsigned), and whether computing it overflowed.
std::pair<llvm::Value *, llvm::Value *> FunctionLowerer::wide_bound(const Expr &e, const std::string &iv, llvm::Value *m) {
  llvm::Type *w = m_b.getInt128Ty();
  switch (e.kind) {
    case ExprKind::Constant:
      return {abs128(m_b, llvm::ConstantInt::get(w, uint64_t(static_cast<const Constant &>(e).int_value), true)), m_b.getFalse()};
    case ExprKind::Name: {
      const std::string &id = static_cast<const Name &>(e).id;
      if (id == iv) return {m, m_b.getFalse()};
      return {abs128(m_b, m_b.CreateSExt(m_b.CreateLoad(m_b.getInt64Ty(), m_vars.at(id).slot, id), w)), m_b.getFalse()};
    }
    case ExprKind::UnaryOp: return wide_bound(*static_cast<const UnaryOp &>(e).operand, iv, m);
    default: break;
  }
  auto &b = static_cast<const BinOp &>(e);
  auto [l, lo] = wide_bound(*b.left, iv, m);
  auto step = [&](llvm::Intrinsic::ID id, llvm::Value *x, llvm::Value *y, llvm::Value *ov) {
    llvm::Value *pair = m_b.CreateBinaryIntrinsic(id, x, y);
    return std::pair<llvm::Value *, llvm::Value *>(m_b.CreateExtractValue(pair, 0), m_b.CreateOr(ov, m_b.CreateExtractValue(pair, 1)));
  };
  if (b.op == Op::Pow) {
    std::pair<llvm::Value *, llvm::Value *> p{l, lo};
    for (int64_t k = 1; k < static_cast<const Constant &>(*b.right).int_value; ++k)
      p = step(llvm::Intrinsic::umul_with_overflow, p.first, l, p.second);
    return p;
  }
  auto [r, ro] = wide_bound(*b.right, iv, m);
  return step(b.op == Op::Mult ? llvm::Intrinsic::umul_with_overflow : llvm::Intrinsic::uadd_with_overflow, l, r,
              m_b.CreateOr(lo, ro));
}

// The loop itself (for_range, once the accumulator is known): the guard, the wide loop, and the
// ordinary one (`ordinary`) where the guard fails. Ends in blocks.orelse.
void FunctionLowerer::wide_sum_loop(const For &s, const std::string &acc, const LoopBlocks &blocks,
                                    const std::function<void()> &ordinary) {
  const std::string &iv = static_cast<const Name &>(*s.target).id;
  auto &bin = static_cast<const BinOp &>(*static_cast<const Assign &>(*s.body[0]).value);
  RangeBounds rb = range_bounds(static_cast<const Call &>(*s.iter), s.range);
  if (!rb.count) {
    m_b.CreateBr(blocks.orelse);
    return;
  }
  set_loc(s.range);
  llvm::Type *w = m_b.getInt128Ty();
  auto wide = [&](llvm::Value *v) { return m_b.CreateSExt(v, w); };
  // the guard: count * max|p| + |acc| < 2^126
  llvm::Value *last = m_b.CreateAdd(rb.start, m_b.CreateMul(m_b.CreateSub(rb.count, m_b.getInt64(1)), rb.step), "iv.last");
  llvm::Value *m = m_b.CreateBinaryIntrinsic(llvm::Intrinsic::umax, abs128(m_b, wide(rb.start)), abs128(m_b, wide(last)));
  auto [bound, overflow] = wide_bound(*bin.right, iv, m);
  llvm::Value *total = m_b.CreateBinaryIntrinsic(llvm::Intrinsic::umul_with_overflow, wide(rb.count), bound);
  overflow = m_b.CreateOr(overflow, m_b.CreateExtractValue(total, 1));
  llvm::Value *acc0 = m_b.CreateLoad(m_b.getInt64Ty(), m_vars.at(acc).slot, acc + ".before");
  llvm::Value *with_acc = m_b.CreateAdd(m_b.CreateExtractValue(total, 0), abs128(m_b, wide(acc0)));
  llvm::Value *limit = m_b.CreateShl(llvm::ConstantInt::get(w, 1), 126);
  llvm::Value *safe = m_b.CreateAnd(m_b.CreateNot(overflow), m_b.CreateICmpULT(with_acc, limit));
  safe = m_b.CreateAnd(safe, m_b.CreateICmpNE(rb.count, m_b.getInt64(0)), "wide.safe");  // an empty range: the plain loop
  auto *wide_pre = llvm::BasicBlock::Create(m_ms.ctx, "for.wide", m_fn, blocks.header);
  auto *plain = llvm::BasicBlock::Create(m_ms.ctx, "for.plain", m_fn, blocks.header);
  m_b.CreateCondBr(safe, wide_pre, plain);

  // chunks of up to 2^24 iterations: k0 counts, x0 the wide loop variable, a0 the wide sum
  m_b.SetInsertPoint(wide_pre);
  llvm::Value *start_w = wide(rb.start), *acc_w = wide(acc0), *step_w = wide(rb.step);
  constexpr int64_t kChunk = int64_t(1) << 24;
  auto *chunk = llvm::BasicBlock::Create(m_ms.ctx, "wide.chunk", m_fn, blocks.header);
  auto *inner = llvm::BasicBlock::Create(m_ms.ctx, "wide.body", m_fn, blocks.header);
  auto *chunk_done = llvm::BasicBlock::Create(m_ms.ctx, "wide.chunk.done", m_fn, blocks.header);
  auto *more = llvm::BasicBlock::Create(m_ms.ctx, "wide.more", m_fn, blocks.header);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "wide.done", m_fn, blocks.header);
  m_b.CreateBr(chunk);
  m_b.SetInsertPoint(chunk);
  llvm::PHINode *k0 = m_b.CreatePHI(m_b.getInt64Ty(), 2, "wide.k0");
  llvm::PHINode *x0 = m_b.CreatePHI(w, 2, "wide.x0");
  llvm::PHINode *a0 = m_b.CreatePHI(w, 2, "wide.a0");
  k0->addIncoming(m_b.getInt64(0), wide_pre);
  x0->addIncoming(start_w, wide_pre);
  a0->addIncoming(acc_w, wide_pre);
  llvm::Value *left = m_b.CreateSub(rb.count, k0);
  llvm::Value *end = m_b.CreateAdd(k0, m_b.CreateSelect(m_b.CreateICmpULT(left, m_b.getInt64(kChunk)), left, m_b.getInt64(kChunk)));
  m_b.CreateBr(inner);
  m_b.SetInsertPoint(inner);
  llvm::PHINode *k = m_b.CreatePHI(m_b.getInt64Ty(), 2, "wide.k");
  llvm::PHINode *x = m_b.CreatePHI(w, 2, iv + ".wide");
  llvm::PHINode *a = m_b.CreatePHI(w, 2, acc + ".wide");
  k->addIncoming(k0, chunk);
  x->addIncoming(x0, chunk);
  a->addIncoming(a0, chunk);
  llvm::Value *a_next = m_b.CreateAdd(a, wide_poly(*bin.right, iv, x));
  llvm::Value *k_next = m_b.CreateAdd(k, m_b.getInt64(1), "", true, true);
  llvm::Value *x_next = m_b.CreateAdd(x, step_w);
  k->addIncoming(k_next, inner);
  x->addIncoming(x_next, inner);
  a->addIncoming(a_next, inner);
  m_b.CreateCondBr(m_b.CreateICmpULT(k_next, end), inner, chunk_done);
  // where a chunk ends: the sum narrowed to int64 (else the checked loop's overflow), the loop
  // variable's value so far, then the next chunk after an interrupt poll
  m_b.SetInsertPoint(chunk_done);
  llvm::Value *fits = m_b.CreateICmpEQ(wide(m_b.CreateTrunc(a_next, m_b.getInt64Ty())), a_next);
  raise_if(m_b.CreateNot(fits), PV_INT_OVERFLOW, "integer result does not fit in 64 bits", bin.range.line);
  store_var(acc, m_b.CreateTrunc(a_next, m_b.getInt64Ty()), Ty::Int);
  store_var(iv, m_b.CreateTrunc(x, m_b.getInt64Ty()), Ty::Int);
  m_b.CreateCondBr(m_b.CreateICmpULT(k_next, rb.count), more, done);
  m_b.SetInsertPoint(more);
  poll_interrupt(s.range.line);
  llvm::BasicBlock *from = m_b.GetInsertBlock();
  k0->addIncoming(k_next, from);
  x0->addIncoming(x_next, from);
  a0->addIncoming(a_next, from);
  m_b.CreateBr(chunk);
  m_b.SetInsertPoint(done);
  m_b.CreateBr(blocks.orelse);

  m_b.SetInsertPoint(plain);
  ordinary();
}

}  // namespace pyvorin
