// lower (NumPy's float warnings, grouped): where an operation's exact warning test runs only when
// some result of its block is not finite.
//
// NumPy warns about a float operation when its result is infinite while its operands were
// finite (an overflow or a division by zero) or NaN while no operand was (an invalid value). Each
// test therefore implies that the result is not finite, and the converse is what is cheap: a
// block of operations whose results are all finite warns about none of them. So the exact tests
// that lower_fpe.cpp notes into a flag (np_float_check: in a loop, and in a scalar helper that
// defers them) are grouped per run of a block (fe_group_tests):
// - the hot path tests whether every result is finite (fe_not_finite: two or three instructions
//   per result, and one predictable branch per group);
// - the exact tests, unchanged, move to a cold block taken only when some result is infinite or
//   NaN (an infinite input, a NaN read from an array, or a real warning).
// A result need not be tested where another tested operation of the group takes it (directly, or
// through operations of the block that need no test) as an operand through which a non-finite
// value always stays non-finite: either operand of + - *, the dividend
// of /, unary minus, sqrt and fabs (an infinite divisor gives 0, exp(-inf) is 0, pow(inf, 0) is 1,
// so those are tested). Horner's rule then costs one test for the whole polynomial.
//
// A block whose closing branch already proves its results finite on the taken edge (int()'s range
// test `fabs(x) < 2**63`) needs no hot test at all: its exact tests run on the other edge, before
// the runtime call that raises or converts there.
//
// Notes commute (each ORs its flag), so a
// group reaches from its block's first noted test to its terminator or to the first other access
// of a flag (a test of the flags, a reset) or call, which ends it; the cold block goes right
// there.
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/MDBuilder.h>

#include <algorithm>
#include <functional>

#include "lower.h"

namespace pyvorin {

const llvm::Value *strip_fence(const llvm::Value *v) {
  while (auto *f = llvm::dyn_cast<llvm::IntrinsicInst>(v)) {
    if (f->getIntrinsicID() != llvm::Intrinsic::arithmetic_fence) break;
    v = f->getArgOperand(0);
  }
  return v;
}

namespace {

// Whether `user` is infinite or NaN whenever its operand `r` is.
bool keeps_non_finite(const llvm::Instruction *user, const llvm::Value *r) {
  auto is_r = [&](const llvm::Value *v) { return strip_fence(v) == r; };
  switch (user->getOpcode()) {
    case llvm::Instruction::FAdd: case llvm::Instruction::FSub: case llvm::Instruction::FMul:
      return is_r(user->getOperand(0)) || is_r(user->getOperand(1));
    case llvm::Instruction::FDiv: return is_r(user->getOperand(0));
    case llvm::Instruction::FNeg: return is_r(user->getOperand(0));
    default: break;
  }
  if (auto *ii = llvm::dyn_cast<llvm::IntrinsicInst>(user))
    switch (ii->getIntrinsicID()) {
      case llvm::Intrinsic::sqrt: case llvm::Intrinsic::fabs: return is_r(ii->getArgOperand(0));
      default: break;
    }
  return false;
}

}  // namespace

// Whether some of `values` (float results) is infinite or NaN. Where no loop of this function
// reads the CPU's invalid flag, `x - x` (0, or NaN for an infinity or a NaN), summed in a balanced
// tree and compared unordered: two vector-unit operations per value. Otherwise the exponent's bits
// (the infinity's `x - x` raises that flag): all ones plus one unit carries into the sign bit.
llvm::Value *FunctionLowerer::fe_not_finite(llvm::IRBuilder<> &b, const std::vector<llvm::Value *> &values) {
  std::vector<llvm::Value *> terms;
  if (!m_fe_reads_invalid) {
    for (llvm::Value *r : values) {
      llvm::Value *t = b.CreateFSub(r, r);
      terms.push_back(t->getType()->isDoubleTy() ? t : b.CreateFPExt(t, b.getDoubleTy()));
    }
    while (terms.size() > 1) {
      std::vector<llvm::Value *> next;
      for (size_t i = 0; i + 1 < terms.size(); i += 2) next.push_back(b.CreateFAdd(terms[i], terms[i + 1]));
      if (terms.size() % 2) next.push_back(terms.back());
      terms.swap(next);
    }
    return b.CreateFCmpUNO(terms[0], terms[0], "fe.not.finite");
  }
  llvm::Value *acc = nullptr;
  for (llvm::Value *r : values) {
    bool f32 = r->getType()->isFloatTy();
    llvm::Type *it = f32 ? b.getInt32Ty() : b.getInt64Ty();
    uint64_t exp = f32 ? 0x7F800000u : 0x7FF0000000000000ull, one = f32 ? 0x00800000u : 0x0010000000000000ull;
    llvm::Value *e = b.CreateAdd(b.CreateAnd(b.CreateBitCast(r, it), llvm::ConstantInt::get(it, exp)),
                                 llvm::ConstantInt::get(it, one));
    if (f32) e = b.CreateSExt(e, b.getInt64Ty());
    acc = acc ? b.CreateOr(acc, e) : e;
  }
  return b.CreateICmpSLT(acc, b.getInt64(0), "fe.not.finite");
}

// A noted exact test (`st`: flag |= bad) of the operation whose result is `r`.
void FunctionLowerer::fe_register(llvm::StoreInst *st, llvm::Value *r) {
  auto *ri = llvm::dyn_cast<llvm::Instruction>(r);
  if (!ri || ri->getParent() != st->getParent() || !ri->getType()->isFloatingPointTy()) return;
  if (!ri->getType()->isDoubleTy() && !ri->getType()->isFloatTy()) return;
  st->setMetadata(m_ms.ctx.getMDKindID("pv.fe.test"), llvm::MDNode::get(m_ms.ctx, {}));
  m_fe_tests[st] = ri;
}

// Whether `i` is part of a note (store (or (load F), x), F) on one of the flags.
static bool in_note(const llvm::Instruction &i, const std::set<const llvm::Value *> &flags) {
  auto note_store = [&](const llvm::StoreInst *st) {
    if (!flags.count(st->getPointerOperand())) return false;
    auto *o = llvm::dyn_cast<llvm::BinaryOperator>(st->getValueOperand());
    if (!o || o->getOpcode() != llvm::Instruction::Or || !o->hasOneUse()) return false;
    for (const llvm::Value *v : o->operands())
      if (auto *ld = llvm::dyn_cast<llvm::LoadInst>(v); ld && ld->getPointerOperand() == st->getPointerOperand() && ld->hasOneUse())
        return true;
    return false;
  };
  if (auto *st = llvm::dyn_cast<llvm::StoreInst>(&i)) return note_store(st);
  if (auto *ld = llvm::dyn_cast<llvm::LoadInst>(&i)) {
    if (!ld->hasOneUse()) return false;
    auto *o = llvm::dyn_cast<llvm::Instruction>(*ld->user_begin());
    if (!o || !o->hasOneUse()) return false;
    auto *st = llvm::dyn_cast<llvm::StoreInst>(*o->user_begin());
    return st && note_store(st);
  }
  return false;
}

// A call other than an intrinsic the back end compiles inline: every value the cold block reads
// would live across it, spilled to the stack (no vector register survives a call), so a group
// ends before it.
static bool real_call(const llvm::Instruction &i) {
  auto *call = llvm::dyn_cast<llvm::CallBase>(&i);
  if (!call) return false;
  if (auto *ii = llvm::dyn_cast<llvm::IntrinsicInst>(call))
    switch (ii->getIntrinsicID()) {
      case llvm::Intrinsic::fabs: case llvm::Intrinsic::sqrt: case llvm::Intrinsic::copysign: case llvm::Intrinsic::fma:
      case llvm::Intrinsic::fmuladd: case llvm::Intrinsic::arithmetic_fence: case llvm::Intrinsic::floor:
      case llvm::Intrinsic::ceil: case llvm::Intrinsic::trunc: case llvm::Intrinsic::sadd_with_overflow:
      case llvm::Intrinsic::ssub_with_overflow: case llvm::Intrinsic::smul_with_overflow:
      case llvm::Intrinsic::uadd_with_overflow: case llvm::Intrinsic::usub_with_overflow:
      case llvm::Intrinsic::umul_with_overflow: case llvm::Intrinsic::smax: case llvm::Intrinsic::smin:
      case llvm::Intrinsic::umax: case llvm::Intrinsic::umin: case llvm::Intrinsic::abs: case llvm::Intrinsic::expect:
      case llvm::Intrinsic::lifetime_start: case llvm::Intrinsic::lifetime_end: return false;
      default: return true;
    }
  return true;
}

static bool touches(const llvm::Instruction &i, const std::set<const llvm::Value *> &flags) {
  if (auto *st = llvm::dyn_cast<llvm::StoreInst>(&i)) return flags.count(st->getPointerOperand()) > 0;
  if (auto *ld = llvm::dyn_cast<llvm::LoadInst>(&i)) return flags.count(ld->getPointerOperand()) > 0;
  return false;
}

// Moves a group's exact tests, and every instruction of `bb` only they use, to the end of `cold`.
static void move_exact_tests(llvm::BasicBlock *bb, const std::vector<llvm::StoreInst *> &group,
                             const std::set<const llvm::Value *> &flags, llvm::BasicBlock *cold) {
  std::set<llvm::Instruction *> moved(group.begin(), group.end());
  for (auto it = bb->rbegin(); it != bb->rend(); ++it) {
    llvm::Instruction &i = *it;
    if (moved.count(&i) || i.isTerminator() || i.use_empty() || llvm::isa<llvm::PHINode>(i) ||
        llvm::isa<llvm::AllocaInst>(i) || i.mayHaveSideEffects())
      continue;
    if (i.mayReadFromMemory() && !(llvm::isa<llvm::LoadInst>(i) && touches(i, flags))) continue;
    bool only_tests = true;
    for (llvm::User *u : i.users()) only_tests = only_tests && moved.count(llvm::cast<llvm::Instruction>(u));
    if (only_tests) moved.insert(&i);
  }
  std::vector<llvm::Instruction *> order;
  for (llvm::Instruction &i : *bb)
    if (moved.count(&i)) order.push_back(&i);
  for (llvm::Instruction *i : order) i->moveBefore(*cold, cold->end());
}

// Whether `cond` true implies that `r` is finite: `fabs(r) < C` or `<= C` with C finite (int()'s
// range test), or a conjunction with such a term.
static bool finite_when_true(const llvm::Value *cond, const llvm::Value *r) {
  if (auto *cmp = llvm::dyn_cast<llvm::FCmpInst>(cond)) {
    auto p = cmp->getPredicate();
    if (p != llvm::FCmpInst::FCMP_OLT && p != llvm::FCmpInst::FCMP_OLE) return false;
    auto *abs = llvm::dyn_cast<llvm::IntrinsicInst>(cmp->getOperand(0));
    auto *bound = llvm::dyn_cast<llvm::ConstantFP>(cmp->getOperand(1));
    return abs && abs->getIntrinsicID() == llvm::Intrinsic::fabs && strip_fence(abs->getArgOperand(0)) == r && bound &&
           bound->getValueAPF().isFinite();
  }
  if (auto *o = llvm::dyn_cast<llvm::BinaryOperator>(cond); o && o->getOpcode() == llvm::Instruction::And)
    return finite_when_true(o->getOperand(0), r) || finite_when_true(o->getOperand(1), r);
  if (auto *sel = llvm::dyn_cast<llvm::SelectInst>(cond))  // a && b
    if (auto *f = llvm::dyn_cast<llvm::ConstantInt>(sel->getFalseValue()); f && f->isZero())
      return finite_when_true(sel->getCondition(), r) || finite_when_true(sel->getTrueValue(), r);
  return false;
}

void FunctionLowerer::fe_group_tests() {
  if (m_fe_tests.empty()) return;
  unsigned kind = m_ms.ctx.getMDKindID("pv.fe.test");
  std::set<const llvm::Value *> flags = {m_fpe, m_fpe_inv, m_fpe_ovf, m_fpe_py, m_fe_py_helper};
  auto registered = [&](llvm::Instruction &i) -> llvm::StoreInst * {
    auto *st = llvm::dyn_cast<llvm::StoreInst>(&i);
    return st && st->getMetadata(kind) && m_fe_tests.count(st) ? st : nullptr;
  };
  std::vector<llvm::BasicBlock *> work;
  for (llvm::BasicBlock &bb : *m_fn) work.push_back(&bb);
  while (!work.empty()) {
    llvm::BasicBlock *bb = work.back();
    work.pop_back();
    auto from = bb->begin();
    while (from != bb->end()) {
      std::vector<llvm::StoreInst *> group;
      llvm::Instruction *end = bb->getTerminator();
      for (auto it = from; it != bb->end(); ++it) {
        if (llvm::StoreInst *st = registered(*it)) {
          group.push_back(st);
        } else if (it->isTerminator() ||
                   (!group.empty() && (real_call(*it) || (touches(*it, flags) && !in_note(*it, flags))))) {
          end = &*it;
          break;
        }
      }
      // The results the hot test must cover: those no other tested operation of the group carries
      // on (a chain of operations of `bb`, each keeping a non-finite operand non-finite, leads from
      // r to another tested result, through untested ones too: `x * k + 1.0`). Called while `bb`
      // ends with the group.
      auto sinks_of = [&]() {
        std::vector<llvm::Instruction *> results;
        for (llvm::StoreInst *st : group)
          if (std::find(results.begin(), results.end(), m_fe_tests[st]) == results.end()) results.push_back(m_fe_tests[st]);
        std::set<llvm::Instruction *> tested(results.begin(), results.end());
        std::function<bool(llvm::Instruction *, int)> carried = [&](llvm::Instruction *v, int depth) {
          if (depth > 8) return false;
          for (llvm::User *u : v->users()) {
            auto *ui = llvm::dyn_cast<llvm::Instruction>(u);
            if (!ui || ui->getParent() != bb || !keeps_non_finite(ui, v)) continue;
            if (tested.count(ui) || carried(ui, depth + 1)) return true;
          }
          return false;
        };
        std::vector<llvm::Value *> sinks;
        for (llvm::Instruction *r : results)
          if (!carried(r, 0)) sinks.push_back(r);
        return sinks;
      };
      // A block that ends in a branch whose taken edge proves every sink finite (int()'s range
      // test `fabs(x) < 2**63`) needs no test of its own: the exact tests go on the other edge.
      auto *exit = llvm::dyn_cast<llvm::BranchInst>(end);
      if (!group.empty() && exit && exit->isConditional() && exit->getSuccessor(0) != exit->getSuccessor(1)) {
        std::vector<llvm::Value *> sinks = sinks_of();
        bool covered = true;
        for (llvm::Value *r : sinks) covered = covered && finite_when_true(exit->getCondition(), r);
        if (covered) {
          llvm::BasicBlock *other = exit->getSuccessor(1);
          auto *cold = llvm::BasicBlock::Create(m_ms.ctx, bb->getName() + ".fe.exact", m_fn, other);
          move_exact_tests(bb, group, flags, cold);
          llvm::BranchInst::Create(other, cold)->setDebugLoc(group.back()->getDebugLoc());
          exit->setSuccessor(1, cold);
          for (llvm::PHINode &phi : other->phis()) phi.replaceIncomingBlockWith(bb, cold);
          for (llvm::StoreInst *st : group) st->setMetadata(kind, nullptr);
          break;
        }
      }
      // One test alone is grouped in a function without loops (a helper such as a normal CDF: its
      // exact test is some ten instructions, the hot one two and a predictable branch). In a loop
      // its own branch costs more than it saves (measured: black_scholes 8% slower), and may cost
      // the loop its vectorisation.
      if (group.size() < (m_spec.has_loop ? 2u : 1u)) {
        if (end->isTerminator()) break;
        from = std::next(end->getIterator());
        continue;
      }
      llvm::BasicBlock *rest = bb->splitBasicBlock(end, bb->getName() + ".fe.ok");
      work.push_back(rest);
      llvm::IRBuilder<> b(bb->getTerminator());
      b.SetCurrentDebugLocation(group.back()->getDebugLoc());
      llvm::Value *not_finite = fe_not_finite(b, sinks_of());
      auto *cold = llvm::BasicBlock::Create(m_ms.ctx, bb->getName() + ".fe.exact", m_fn, rest);
      move_exact_tests(bb, group, flags, cold);
      llvm::BranchInst::Create(rest, cold)->setDebugLoc(group.back()->getDebugLoc());
      llvm::Instruction *br = bb->getTerminator();
      llvm::MDBuilder md(m_ms.ctx);
      b.SetInsertPoint(br);
      b.CreateCondBr(not_finite, cold, rest, md.createBranchWeights(1, 1u << 20));
      br->eraseFromParent();
      for (llvm::StoreInst *st : group) st->setMetadata(kind, nullptr);
      break;  // the rest of the block is `rest`, on the work list
    }
  }
  m_fe_tests.clear();
}

}  // namespace pyvorin
