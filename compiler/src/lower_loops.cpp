// lower (loops): while loops, and counted loops over range(): the trip count, strip-mining (one
// interrupt poll per chunk of 65536 iterations) and loop versioning from range analysis (a test
// before the loop, then a copy without the checks it proves, or the checked copy).
#include <functional>

#include <llvm/IR/Intrinsics.h>

#include "lower.h"

namespace pyvorin {

using namespace ast;

void FunctionLowerer::loop_body_and_latch(const Body &b, const LoopBlocks &blocks, const SourceRange &r) {
  bool chunked = m_chunked_latch;  // a counted loop that polls once per chunk instead (range_loop)
  m_chunked_latch = false;
  m_loops.push_back({blocks.exit, blocks.latch, m_withs.size()});
  body(b);
  m_loops.pop_back();
  m_b.CreateBr(blocks.latch);
  m_b.SetInsertPoint(blocks.latch);
  set_loc(r);
  if (!chunked) poll_interrupt(r.line);
}

// Does the body call a compiled function (which may run long without a loop of its own: recursion)
// or hold a while loop? Its counted loop then polls at every iteration.
bool FunctionLowerer::slow_iterations(const Body &b) const {
  bool slow = false;
  std::function<void(const Expr &)> in_expr = [&](const Expr &e) {
    if (e.kind == ExprKind::Call) {
      auto it = m_spec.calls.find(&e);
      if (it != m_spec.calls.end() && it->second.kind == CallTarget::Kind::Function) slow = true;
    }
    for_each_child(e, in_expr);
  };
  std::function<void(const Body &)> in_body = [&](const Body &body) {
    for (auto &s : body) {
      switch (s->kind) {
        case StmtKind::Assign:
          for (auto &t : static_cast<const Assign &>(*s).targets) in_expr(*t);
          in_expr(*static_cast<const Assign &>(*s).value);
          break;
        case StmtKind::AnnAssign:
          if (static_cast<const AnnAssign &>(*s).value) in_expr(*static_cast<const AnnAssign &>(*s).value);
          break;
        case StmtKind::Return:
          if (static_cast<const Return &>(*s).value) in_expr(*static_cast<const Return &>(*s).value);
          break;
        case StmtKind::ExprStmt: in_expr(*static_cast<const ExprStmt &>(*s).value); break;
        case StmtKind::If:
          in_expr(*static_cast<const If &>(*s).test);
          in_body(static_cast<const If &>(*s).body);
          in_body(static_cast<const If &>(*s).orelse);
          break;
        case StmtKind::While: slow = true; break;
        case StmtKind::For:
          in_expr(*static_cast<const For &>(*s).iter);
          in_body(static_cast<const For &>(*s).body);
          in_body(static_cast<const For &>(*s).orelse);
          break;
        default: break;
      }
    }
  };
  in_body(b);
  return slow;
}

void FunctionLowerer::while_loop(const While &s) {
  LoopBlocks blocks = loop_blocks("while");
  m_b.CreateBr(blocks.header);
  m_b.SetInsertPoint(blocks.header);
  set_loc(s.range);
  llvm::Value *cond = condition(*s.test);
  set_loc(s.range);
  m_b.CreateCondBr(cond, blocks.body, blocks.orelse);
  m_b.SetInsertPoint(blocks.body);
  loop_body_and_latch(s.body, blocks, s.range);
  m_b.CreateBr(blocks.header);
  m_b.SetInsertPoint(blocks.orelse);
  body(s.orelse);
  m_b.CreateBr(blocks.exit);
  m_b.SetInsertPoint(blocks.exit);
}

// Whether `e` (or anything in it) could rebind a name or read one in a scope of its own.
static bool binds_or_scopes(const Expr &e) {
  switch (e.kind) {
    case ExprKind::NamedExpr: case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp:
    case ExprKind::GeneratorExp: case ExprKind::Lambda: return true;
    default: break;
  }
  bool b = false;
  for_each_child(e, [&](const Expr &c) { b = b || binds_or_scopes(c); });
  return b;
}

// v % C in e, for a constant C
static void mod_divisors(const Expr &e, const std::string &v, std::set<int64_t> &out) {
  if (e.kind == ExprKind::BinOp) {
    auto &b = static_cast<const BinOp &>(e);
    if (b.op == Op::Mod && b.left->kind == ExprKind::Name && static_cast<const Name &>(*b.left).id == v &&
        b.right->kind == ExprKind::Constant) {
      auto &c = static_cast<const Constant &>(*b.right);
      if (c.value_kind == Constant::Kind::Int) out.insert(c.int_value);
    }
  }
  for_each_child(e, [&](const Expr &c) { mod_divisors(c, v, out); });
}

// Statements that bind nothing but plain names other than v and subscripts; their expressions.
static bool simple_body(const Body &body, const std::string &v, std::vector<const Expr *> &exprs) {
  auto target_ok = [&](const Expr &t) {
    return (t.kind == ExprKind::Name && static_cast<const Name &>(t).id != v) || t.kind == ExprKind::Subscript ||
           t.kind == ExprKind::Attribute;
  };
  for (auto &st : body) {
    switch (st->kind) {
      case StmtKind::Assign: {
        auto &a = static_cast<const Assign &>(*st);
        for (auto &t : a.targets) {
          if (!target_ok(*t)) return false;
          exprs.push_back(t.get());
        }
        exprs.push_back(a.value.get());
        break;
      }
      case StmtKind::AugAssign: {
        auto &a = static_cast<const AugAssign &>(*st);
        if (!target_ok(*a.target)) return false;
        exprs.push_back(a.target.get());
        exprs.push_back(a.value.get());
        break;
      }
      case StmtKind::ExprStmt: exprs.push_back(static_cast<const ExprStmt &>(*st).value.get()); break;
      case StmtKind::If: {
        auto &i = static_cast<const If &>(*st);
        exprs.push_back(i.test.get());
        if (!simple_body(i.body, v, exprs) || !simple_body(i.orelse, v, exprs)) return false;
        break;
      }
      case StmtKind::Pass: case StmtKind::Break: case StmtKind::Continue: break;
      default: return false;
    }
  }
  return true;
}

// `for v in range(...)` whose body reads `v % C` for one constant C in [16, 65536] that is not a
// power of two (that is already a mask), and cannot rebind v: C, else 0. counted_range then ends
// its chunks at multiples of C (an interrupt poll at most every C iterations), and `v % C` is the
// chunk's own counter: no division per iteration, and a loop LLVM can vectorise or sum in closed
// form (sum((i % 1000) ** 2 ...)).
int64_t FunctionLowerer::mod_split_divisor(const For &s) {
  if (s.target->kind != ExprKind::Name || !s.orelse.empty()) return 0;
  const std::string &v = static_cast<const Name &>(*s.target).id;
  std::vector<const Expr *> exprs;
  if (!simple_body(s.body, v, exprs)) return 0;
  std::set<int64_t> divisors;
  for (const Expr *e : exprs) {
    if (binds_or_scopes(*e)) return 0;
    mod_divisors(*e, v, divisors);
  }
  if (divisors.size() != 1) return 0;
  int64_t c = *divisors.begin();
  if (c < 16 || c > (int64_t(1) << 16) || (c & (c - 1)) == 0) return 0;
  return c;
}

std::vector<const Expr *> FunctionLowerer::plan_exprs(const RangePlan &plan) {
  std::vector<const Expr *> out;
  for (auto &c : plan.checks) {
    out.push_back(c.index);
    if (c.store) out.push_back(c.store);  // its writeable check too
  }
  for (auto &a : plan.accums) out.push_back(a.add);
  for (auto &c : plan.proven) {
    out.push_back(c.expr);
    if (c.store) out.push_back(c.store);
  }
  return out;
}

// for x in range(start, stop, step): a counted loop over k in [0, count) with x = start + k*step,
// which is the shape LLVM's loop passes recognise. The step is checked once (ValueError on 0).
void FunctionLowerer::for_range(const For &s) {
  LoopBlocks blocks = loop_blocks("for");
  std::string iv = s.target->kind == ExprKind::Name ? static_cast<const Name &>(*s.target).id + ".iv" : "iv";
  bool slow = slow_iterations(s.body);
  bool chunked = !m_ms.options.fast && !slow;
  int64_t mod_c = chunked ? mod_split_divisor(s) : 0;
  // the wide sum has chunks of its own (with fast=True, chunks without a poll)
  std::string wide_acc = !slow ? wide_sum_accumulator(s) : "";
  auto plan = m_spec.range_plans.find(&s);
  // inside an enclosing loop's unchecked copy that already proved all this loop's plan: one copy
  bool covered = plan != m_spec.range_plans.end();
  if (covered)
    for (const Expr *x : plan_exprs(plan->second)) covered = covered && m_unchecked.count(x);
  auto ordinary = [&]() {
  if (plan != m_spec.range_plans.end() && !m_ms.options.fast && !covered) {
    // Loop versioning (ranges.cpp): one test before the loop proves every planned access in
    // bounds, and a copy of the loop without those checks runs; otherwise the checked copy.
    RangeBounds rb = range_bounds(static_cast<const Call &>(*s.iter), s.range);
    if (rb.count) {
      set_loc(s.range);
      llvm::Value *last = m_b.CreateAdd(rb.start, m_b.CreateMul(m_b.CreateSub(rb.count, m_b.getInt64(1)), rb.step), "iv.last");
      llvm::Value *lo = m_b.CreateBinaryIntrinsic(llvm::Intrinsic::smin, rb.start, last);
      llvm::Value *hi = m_b.CreateBinaryIntrinsic(llvm::Intrinsic::smax, rb.start, last);
      llvm::Value *safe = m_b.getTrue();
      for (auto &c : plan->second.checks) {
        Var &var = m_vars.at(c.array);
        llvm::Value *n = m_b.CreateLoad(m_b.getInt64Ty(), var.view.shape.at(size_t(c.axis)), c.array + ".dim");
        llvm::Value *ok = m_b.CreateAnd(m_b.CreateICmpSGE(m_b.CreateAdd(lo, m_b.getInt64(c.offset)), m_b.getInt64(0)),
                                        m_b.CreateICmpSLT(m_b.CreateAdd(hi, m_b.getInt64(c.offset)), n));
        safe = m_b.CreateAnd(safe, ok);
        if (c.store) safe = m_b.CreateAnd(safe, m_b.CreateLoad(m_b.getInt1Ty(), var.view.writeable, c.array + ".writeable"));
      }
      for (auto &a : plan->second.accums) {  // |acc| + count * max|addend| fits in int64
        Var &var = m_vars.at(a.var);
        llvm::Value *acc = m_b.CreateLoad(m_b.getInt64Ty(), var.slot, a.var + ".before");
        llvm::Value *abs_acc = m_b.CreateSelect(m_b.CreateICmpSLT(acc, m_b.getInt64(0)), m_b.CreateNeg(acc), acc);
        uint64_t m = uint64_t(std::max(a.lo < 0 ? -a.lo : a.lo, a.hi < 0 ? -a.hi : a.hi));
        llvm::Value *mul = m_b.CreateBinaryIntrinsic(llvm::Intrinsic::umul_with_overflow, rb.count, m_b.getInt64(m));
        llvm::Value *add = m_b.CreateBinaryIntrinsic(llvm::Intrinsic::uadd_with_overflow, m_b.CreateExtractValue(mul, 0), abs_acc);
        llvm::Value *fits = m_b.CreateAnd(m_b.CreateNot(m_b.CreateOr(m_b.CreateExtractValue(mul, 1), m_b.CreateExtractValue(add, 1))),
                                          m_b.CreateICmpULE(m_b.CreateExtractValue(add, 0), m_b.getInt64(INT64_MAX)));
        // acc == INT64_MIN has no absolute value: the checked copy handles it
        fits = m_b.CreateAnd(fits, m_b.CreateICmpNE(acc, m_b.getInt64(uint64_t(INT64_MIN))));
        safe = m_b.CreateAnd(safe, fits);
      }
      {  // the checks whose values' ranges (ranges_sym.cpp) hold for every iteration
        SymEval ev{lo, hi, m_b.getTrue(), {}};
        std::vector<ProvenCheck> kept;
        for (auto &c : plan->second.proven)
          if (llvm::Value *holds = proven_holds(c, ev)) {
            safe = m_b.CreateAnd(safe, holds);
            kept.push_back(c);
          }
        plan->second.proven = std::move(kept);
        safe = m_b.CreateAnd(safe, ev.valid);
      }
      safe = m_b.CreateOr(safe, m_b.CreateICmpEQ(rb.count, m_b.getInt64(0)), "in.bounds");
      LoopBlocks fast = loop_blocks("for.fast");
      fast.orelse = blocks.orelse;
      fast.exit = blocks.exit;
      fast.orelse->moveAfter(fast.latch);
      auto *fast_pre = llvm::BasicBlock::Create(m_ms.ctx, "for.unchecked", m_fn, fast.header);
      auto *slow_pre = llvm::BasicBlock::Create(m_ms.ctx, "for.checked", m_fn, blocks.header);
      m_b.CreateCondBr(safe, fast_pre, slow_pre);
      m_b.SetInsertPoint(fast_pre);
      std::vector<const Expr *> marked = plan_exprs(plan->second);
      for (const Expr *x : marked) m_unchecked.insert(x);
      m_mod_split = mod_c;
      counted_range(rb, s.range, iv, [&](llvm::Value *x) {
        assign_target(*s.target, x, Ty::Int, s.range.line);
        m_chunked_latch = chunked;
        loop_body_and_latch(s.body, fast, s.range);
      }, fast, chunked);
      for (const Expr *x : marked) m_unchecked.erase(m_unchecked.find(x));
      m_b.SetInsertPoint(slow_pre);
      m_mod_split = mod_c;
      counted_range(rb, s.range, iv, [&](llvm::Value *x) {
        assign_target(*s.target, x, Ty::Int, s.range.line);
        m_chunked_latch = chunked;
        loop_body_and_latch(s.body, blocks, s.range);
      }, blocks, chunked);
      plan->second.versioned = true;
    } else {
      m_b.CreateBr(blocks.orelse);
    }
  } else {
    m_mod_split = mod_c;
    range_loop(static_cast<const Call &>(*s.iter), s.range, iv, [&](llvm::Value *x) {
      assign_target(*s.target, x, Ty::Int, s.range.line);
      m_chunked_latch = chunked;
      loop_body_and_latch(s.body, blocks, s.range);
    }, blocks, chunked);
  }
  };
  if (!wide_acc.empty()) {  // a polynomial sum, in 128 bits where a guard allows (lower_wide.cpp)
    wide_sum_loop(s, wide_acc, blocks, ordinary);
    RangePlan &p = m_spec.range_plans[&s];
    p.wide_sum = wide_acc;
    p.versioned = true;
  } else {
    ordinary();
  }
  m_b.SetInsertPoint(blocks.orelse);
  body(s.orelse);
  m_b.CreateBr(blocks.exit);
  m_b.SetInsertPoint(blocks.exit);
}

void FunctionLowerer::range_loop(const Call &call, const SourceRange &range, const std::string &iv_name,
                                 const std::function<void(llvm::Value *)> &each,
                                 const LoopBlocks &blocks, bool chunked) {
  int64_t mod_c = m_mod_split;  // not for a loop in range()'s own arguments
  m_mod_split = 0;
  RangeBounds rb = range_bounds(call, range);
  m_mod_split = mod_c;
  if (!rb.count) {
    m_mod_split = 0;
    m_b.CreateBr(blocks.orelse);
    return;
  }
  counted_range(rb, range, iv_name, each, blocks, chunked);
}

// range(...)'s start, step and trip count (null count: the step is the constant 0, raised here)
FunctionLowerer::RangeBounds FunctionLowerer::range_bounds(const Call &call, const SourceRange &range) {
  struct {
    SourceRange range;
  } s{range};
  std::vector<llvm::Value *> args;
  for (auto &a : call.args) args.push_back(to_int(expr(*a), type(*a)));
  set_loc(s.range);
  llvm::Value *start = m_b.getInt64(0), *stop, *step = m_b.getInt64(1);
  if (args.size() == 1) {
    stop = args[0];
  } else {
    start = args[0];
    stop = args[1];
    if (args.size() == 3) step = args[2];
  }
  auto *step_const = llvm::dyn_cast<llvm::ConstantInt>(step);
  if (!step_const) raise_if(m_b.CreateICmpEQ(step, m_b.getInt64(0)), PV_VALUE_ERROR, "range() arg 3 must not be zero", s.range.line);
  if (step_const && step_const->isZero()) {
    raise_now(PV_VALUE_ERROR, "range() arg 3 must not be zero", s.range.line);
    return {start, step, nullptr};
  }
  // count = ceil((stop - start) / step) when the range is non-empty, computed without overflow.
  auto count_for = [&](llvm::Value *lo, llvm::Value *hi, llvm::Value *abs_step) {
    llvm::Value *nonempty = m_b.CreateICmpSLT(lo, hi);
    llvm::Value *span = m_b.CreateSub(hi, lo);
    llvm::Value *n = m_b.CreateAdd(m_b.CreateUDiv(m_b.CreateSub(span, m_b.getInt64(1)), abs_step), m_b.getInt64(1));
    return m_b.CreateSelect(nonempty, n, m_b.getInt64(0));
  };
  llvm::Value *count;
  if (step_const) {
    count = step_const->isNegative() ? count_for(stop, start, m_b.CreateNeg(step)) : count_for(start, stop, step);
  } else {
    llvm::Value *neg = m_b.CreateICmpSLT(step, m_b.getInt64(0));
    llvm::Value *up = count_for(start, stop, step);
    llvm::Value *down = count_for(stop, start, m_b.CreateSub(m_b.getInt64(0), step));
    count = m_b.CreateSelect(neg, down, up, "count");
  }
  count->setName("trip.count");
  return {start, step, count};
}

void FunctionLowerer::counted_range(const RangeBounds &rb, const SourceRange &range, const std::string &iv_name,
                                    const std::function<void(llvm::Value *)> &each, const LoopBlocks &blocks, bool chunked) {
  struct {
    SourceRange range;
  } s{range};
  llvm::Value *start = rb.start, *step = rb.step, *count = rb.count;
  // range(n), range(2, n): x counts up by one from a non-negative start, so x + 1 never passes the
  // stop and never wraps. nuw/nsw on it tell LLVM that x is never negative (i % 1000 needs no
  // sign fix-up, a[i] no negative-index wrap-around).
  auto *c_start = llvm::dyn_cast<llvm::ConstantInt>(start);
  auto *c_step = llvm::dyn_cast<llvm::ConstantInt>(step);
  bool counts_up_from_zero = c_start && c_step && !c_start->isNegative() && c_step->isOne();
  int64_t mod_c = chunked && counts_up_from_zero ? m_mod_split : 0;  // mod_split_divisor
  m_mod_split = 0;
  llvm::BasicBlock *pre = m_b.GetInsertBlock();
  auto [header, body_bb, latch, else_bb, exit] = blocks;
  // the loop's blocks follow the trip count's in the layout (as if created here)
  header->moveAfter(pre);
  body_bb->moveAfter(header);
  latch->moveAfter(body_bb);
  else_bb->moveAfter(latch);
  exit->moveAfter(else_bb);
  // The counted loop itself: k from k_init while k < limit (then `done`), x from x_init by step;
  // `each(x)` lowers the body and ends in the latch. Returns the header's phis.
  // `r_init`: x % mod_c where it starts (mod_split_divisor), counted up beside x.
  auto counted_body = [&](llvm::Value *k_init, llvm::Value *x_init, llvm::Value *limit, llvm::BasicBlock *done,
                          llvm::Value *r_init = nullptr) {
    llvm::BasicBlock *from = m_b.GetInsertBlock();
    m_b.CreateBr(header);
    m_b.SetInsertPoint(header);
    llvm::PHINode *k = m_b.CreatePHI(m_b.getInt64Ty(), 2, "k");
    llvm::PHINode *x = m_b.CreatePHI(m_b.getInt64Ty(), 2, iv_name);
    llvm::PHINode *rem = r_init ? m_b.CreatePHI(m_b.getInt64Ty(), 2, iv_name + ".mod") : nullptr;
    k->addIncoming(k_init, from);
    x->addIncoming(x_init, from);
    if (rem) rem->addIncoming(r_init, from);
    m_b.CreateCondBr(m_b.CreateICmpULT(k, limit), body_bb, done);
    m_b.SetInsertPoint(body_bb);
    if (counts_up_from_zero)  // across chunks LLVM's known bits lose it
      m_b.CreateAssumption(m_b.CreateICmpSGE(x, m_b.getInt64(0)));
    ModIv outer_mod = m_mod_iv;
    if (rem) {
      m_b.CreateAssumption(m_b.CreateICmpULT(rem, m_b.getInt64(uint64_t(mod_c))));
      m_mod_iv = {iv_name.substr(0, iv_name.size() - 3), mod_c, rem};
    }
    each(x);  // ends in the latch
    m_mod_iv = outer_mod;
    k->addIncoming(m_b.CreateAdd(k, m_b.getInt64(1), "k.next", true, true), m_b.GetInsertBlock());
    x->addIncoming(m_b.CreateAdd(x, step, "iv.next", counts_up_from_zero, counts_up_from_zero), m_b.GetInsertBlock());
    if (rem) rem->addIncoming(m_b.CreateAdd(rem, m_b.getInt64(1), "mod.next", true, true), m_b.GetInsertBlock());
    m_b.CreateBr(header);
    return std::pair<llvm::PHINode *, llvm::PHINode *>(k, x);
  };
  if (chunked) {
    // Strip-mined: an inner loop of up to kChunk iterations with no interrupt poll (so it can be
    // vectorised), and one poll per chunk: Ctrl-C is still seen within microseconds.
    constexpr int64_t kChunk = 1 << 16;
    // A chunk's end: where it starts plus the iterations left, at most kChunk (with a split
    // modulo: up to the next multiple of mod_c). The first chunk's end is computed before the
    // chunk loop, where LLVM can hoist it out of an enclosing loop (a short inner loop: no bound
    // arithmetic per entry).
    auto chunk_end = [&](llvm::Value *k0, llvm::Value *x0, llvm::Value **r0) {
      llvm::Value *left = m_b.CreateSub(count, k0);
      *r0 = mod_c ? m_b.CreateURem(x0, m_b.getInt64(uint64_t(mod_c)), "chunk.mod") : nullptr;
      llvm::Value *room = *r0 ? m_b.CreateSub(m_b.getInt64(uint64_t(mod_c)), *r0) : m_b.getInt64(kChunk);
      return m_b.CreateAdd(k0, m_b.CreateSelect(m_b.CreateICmpULT(left, room), left, room), "chunk.end");
    };
    llvm::Value *r_first = nullptr;
    llvm::Value *end_first = chunk_end(m_b.getInt64(0), start, &r_first);
    llvm::BasicBlock *entry = m_b.GetInsertBlock();
    auto *outer = llvm::BasicBlock::Create(m_ms.ctx, "chunk", m_fn, header);
    auto *chunk_done = llvm::BasicBlock::Create(m_ms.ctx, "chunk.done", m_fn, else_bb);
    m_b.CreateBr(outer);
    m_b.SetInsertPoint(outer);
    llvm::PHINode *k0 = m_b.CreatePHI(m_b.getInt64Ty(), 2, "chunk.k");
    llvm::PHINode *x0 = m_b.CreatePHI(m_b.getInt64Ty(), 2, "chunk.x");
    llvm::PHINode *end = m_b.CreatePHI(m_b.getInt64Ty(), 2, "chunk.limit");
    llvm::PHINode *r0 = mod_c ? m_b.CreatePHI(m_b.getInt64Ty(), 2, "chunk.mod") : nullptr;
    k0->addIncoming(m_b.getInt64(0), entry);
    x0->addIncoming(start, entry);
    end->addIncoming(end_first, entry);
    if (r0) r0->addIncoming(r_first, entry);
    auto [k, x] = counted_body(k0, x0, end, chunk_done, r0);
    m_b.SetInsertPoint(chunk_done);
    auto *more = llvm::BasicBlock::Create(m_ms.ctx, "chunk.next", m_fn, else_bb);
    m_b.CreateCondBr(m_b.CreateICmpULT(k, count), more, else_bb);
    m_b.SetInsertPoint(more);
    poll_interrupt(s.range.line);
    llvm::Value *r_next = nullptr;
    llvm::Value *end_next = chunk_end(k, x, &r_next);
    k0->addIncoming(k, m_b.GetInsertBlock());
    x0->addIncoming(x, m_b.GetInsertBlock());
    end->addIncoming(end_next, m_b.GetInsertBlock());
    if (r0) r0->addIncoming(r_next, m_b.GetInsertBlock());
    m_b.CreateBr(outer);
    return;
  }
  counted_body(m_b.getInt64(0), start, count, else_bb);
}

}  // namespace pyvorin
