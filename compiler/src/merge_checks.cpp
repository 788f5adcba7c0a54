// optimise (merge checks): straight-line runs of checked operations become one block with one
// exit test, and every error leaves through one shared raise block per function.
//
// As lowered, each check (int64 overflow, a zero divisor, an unbound local, ...) is a conditional
// branch to its own `raise` block (a pv_raise call with constant arguments, then `br %unwind`)
// and an `ok` block holding the rest of the code. A 2,000-line function thus has thousands of
// blocks in one dominator-tree chain, and LLVM's value-tracking queries walk that chain (the
// dominating conditions of a value, whether a select arm can be poison), which made InstCombine
// quadratic in the function's length.
//
// This pass, run first at O1..O3, folds a check whose `ok` block is safe to execute early into
// the block before it: the block computes `pending`, the id of the first failed check so far
// (0: none), as `select(pending != 0, pending, select(cond, id, 0))`, and a single branch on
// `pending != 0` to the shared raise block comes before anything that is not safe to run after a
// failed check (a call, a division by a value that may be 0, a branch that is not a check, a
// return). The shared block reads (kind, message, line) of that id from constant tables and calls
// pv_raise exactly as the original block did, so the error, its message and its line are the same.
//
// Why running the later operations after a failed check is unobservable: they are speculatable
// (no UB, no side effects: LLVM's isSafeToSpeculativelyExecute), or loads and stores of the
// function's own stack slots, which the raise path never reads. Their results may be poison (a
// `mul nsw` that overflowed) but only flow into later check conditions, which `select` discards
// once `pending` is set (a select with a defined condition does not propagate the other arm's
// poison); and the first failing check's own condition is computed from values of operations
// that all passed, so it is defined. No branch other than the pending test sees those values.
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/Analysis/ValueTracking.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/Constants.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>

#include <map>
#include <set>
#include <vector>

#include "backend.h"

namespace pyvorin {
namespace {

// At most this many checks per merged run: the back end has passes whose time grows with the
// square of a block's length (TwoAddressInstruction), so one block per 2,000 lines is as bad as a
// chain of 2,000 blocks. Runs of 128 checks keep both the blocks and the chain short (64: chain 4000
// compiled in 1.67 s of CPU, 128: 1.25 s, 256: 1.10 s with the back end slower on locals).
constexpr unsigned kMaxRun = 128;
// Inside a loop, a run of fewer checks keeps one branch per check: a hot loop with a few checked
// operations runs faster with a predicted `jo` each than with the pending-id selects (sum_squares:
// 1.43 ms vs 1.78 ms), and a short run costs the optimiser nothing. Long loop bodies are merged.
constexpr unsigned kMinRunInLoop = 16;

struct RaiseSite {
  llvm::CallInst *call;
  llvm::BasicBlock *unwind;
};

// `call void @pv_raise(ctx, i32 K, ptr @msg, ptr @fname, i32 L)` then `br label %unwind`.
bool raise_site(llvm::BasicBlock &bb, const llvm::Function *pv_raise, RaiseSite &out) {
  if (bb.size() != 2) return false;
  auto *call = llvm::dyn_cast<llvm::CallInst>(&bb.front());
  auto *br = llvm::dyn_cast<llvm::BranchInst>(bb.getTerminator());
  if (!call || !br || br->isConditional() || call->getCalledFunction() != pv_raise || call->arg_size() != 5) return false;
  for (unsigned i = 1; i < 5; ++i)
    if (!llvm::isa<llvm::Constant>(call->getArgOperand(i))) return false;
  out = {call, br->getSuccessor(0)};
  return true;
}

// May the whole block run before the check that guards it has been tested?
bool mergeable(llvm::BasicBlock &bb) {
  if (!bb.phis().empty() || bb.isEntryBlock()) return false;
  for (llvm::Instruction &i : bb) {
    if (i.isTerminator()) break;
    if (auto *st = llvm::dyn_cast<llvm::StoreInst>(&i)) {
      if (st->isSimple() && llvm::isa<llvm::AllocaInst>(st->getPointerOperand())) continue;
      return false;
    }
    if (auto *ld = llvm::dyn_cast<llvm::LoadInst>(&i)) {
      if (ld->isSimple() && llvm::isa<llvm::AllocaInst>(ld->getPointerOperand())) continue;
      return false;
    }
    if (!llvm::isSafeToSpeculativelyExecute(&i)) return false;
  }
  return true;
}

}  // namespace

bool merge_checks(llvm::Function &f, const llvm::LoopInfo &loops) {
  const llvm::Function *pv_raise = f.getParent()->getFunction("pv_raise");
  if (!pv_raise || f.isDeclaration()) return false;

  // The raise blocks, numbered from 1; all must share the unwind block, the context and the name.
  std::map<llvm::BasicBlock *, unsigned> id_of;
  std::vector<llvm::CallInst *> sites;
  llvm::BasicBlock *unwind = nullptr;
  for (llvm::BasicBlock &bb : f) {
    RaiseSite s;
    if (!raise_site(bb, pv_raise, s)) continue;
    if (unwind && (s.unwind != unwind || s.call->getArgOperand(0) != sites[0]->getArgOperand(0) ||
                   s.call->getArgOperand(3) != sites[0]->getArgOperand(3)))
      return false;
    unwind = s.unwind;
    sites.push_back(s.call);
    id_of[&bb] = unsigned(sites.size());
  }
  if (sites.empty()) return false;

  llvm::LLVMContext &ctx = f.getContext();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  llvm::MDNode *cold = llvm::MDBuilder(ctx).createBranchWeights(1, 1u << 20);

  // The shared raise block: (kind, message, line) of the pending id from constant tables.
  auto *raise = llvm::BasicBlock::Create(ctx, "raise", &f, unwind);
  llvm::IRBuilder<> rb(raise);
  if (llvm::DISubprogram *sp = f.getSubprogram())
    rb.SetCurrentDebugLocation(llvm::DILocation::get(ctx, sp->getLine(), 1, sp));
  llvm::PHINode *raise_id = rb.CreatePHI(i32, 0, "raise.id");
  std::vector<llvm::GlobalVariable *> tables;
  {
    std::vector<llvm::Constant *> kinds{rb.getInt32(0)}, msgs{llvm::ConstantPointerNull::get(ptr)}, lines{rb.getInt32(0)};
    for (llvm::CallInst *c : sites) {
      kinds.push_back(llvm::cast<llvm::Constant>(c->getArgOperand(1)));
      msgs.push_back(llvm::cast<llvm::Constant>(c->getArgOperand(2)));
      lines.push_back(llvm::cast<llvm::Constant>(c->getArgOperand(4)));
    }
    auto table = [&](std::vector<llvm::Constant *> &values, llvm::Type *elt, const char *name) {
      auto *ty = llvm::ArrayType::get(elt, values.size());
      auto *gv = new llvm::GlobalVariable(*f.getParent(), ty, true, llvm::GlobalValue::PrivateLinkage,
                                          llvm::ConstantArray::get(ty, values), f.getName() + name);
      gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
      tables.push_back(gv);
      llvm::Value *idx = rb.CreateZExt(raise_id, rb.getInt64Ty());
      return rb.CreateLoad(elt, rb.CreateInBoundsGEP(ty, gv, {rb.getInt64(0), idx}));
    };
    llvm::Value *kind = table(kinds, i32, ".raise.kind");
    llvm::Value *msg = table(msgs, ptr, ".raise.msg");
    llvm::Value *line = table(lines, i32, ".raise.line");
    rb.CreateCall(sites[0]->getFunctionType(), sites[0]->getCalledOperand(),
                  {sites[0]->getArgOperand(0), kind, msg, sites[0]->getArgOperand(3), line});
    rb.CreateBr(unwind);
  }

  auto check_of = [&](llvm::BasicBlock *bb, llvm::BranchInst *&br) {
    br = llvm::dyn_cast<llvm::BranchInst>(bb->getTerminator());
    return br && br->isConditional() && id_of.count(br->getSuccessor(0)) && !id_of.count(br->getSuccessor(1)) &&
           br->getSuccessor(1) != raise;
  };

  // How many checks the run starting at bb would fold (before anything is changed).
  auto run_length = [&](llvm::BasicBlock *bb) {
    unsigned n = 0;
    llvm::BranchInst *br;
    for (llvm::BasicBlock *cur = bb; check_of(cur, br);) {
      llvm::BasicBlock *ok = br->getSuccessor(1);
      if (++n >= kMaxRun || ok->getSinglePredecessor() != cur || ok == cur || !mergeable(*ok)) break;
      cur = ok;
    }
    return n;
  };
  std::vector<llvm::BasicBlock *> order;
  std::set<llvm::BasicBlock *> short_loop_runs;
  for (llvm::BasicBlock &bb : f) {
    order.push_back(&bb);
    if (loops.getLoopFor(&bb) && run_length(&bb) < kMinRunInLoop) short_loop_runs.insert(&bb);
  }
  std::set<llvm::BasicBlock *> erased;
  for (llvm::BasicBlock *bb : order) {
    if (erased.count(bb) || id_of.count(bb) || bb == raise || short_loop_runs.count(bb)) continue;
    llvm::Value *pending = nullptr;
    llvm::BranchInst *br;
    unsigned folded = 0;
    while (check_of(bb, br)) {
      llvm::BasicBlock *err = br->getSuccessor(0), *ok = br->getSuccessor(1);
      llvm::IRBuilder<> b(br);
      llvm::Value *sel = b.CreateSelect(br->getCondition(), b.getInt32(id_of[err]), b.getInt32(0), "check");
      pending = pending ? b.CreateSelect(b.CreateICmpNE(pending, b.getInt32(0)), pending, sel, "pending") : sel;
      if (++folded < kMaxRun && ok->getSinglePredecessor() == bb && ok != bb && mergeable(*ok)) {
        br->eraseFromParent();
        bb->splice(bb->end(), ok);
        bb->replaceSuccessorsPhiUsesWith(ok, bb);
        ok->eraseFromParent();
        erased.insert(ok);
        continue;
      }
      // The next block must not run after a failed check: test now.
      llvm::BranchInst::Create(raise, ok, b.CreateICmpNE(pending, b.getInt32(0), "failed"), bb)->setMetadata(llvm::LLVMContext::MD_prof, cold);
      raise_id->addIncoming(pending, bb);
      br->eraseFromParent();
      pending = nullptr;
      break;
    }
    if (pending) {  // a terminator that is not a check: test before it
      llvm::Instruction *term = bb->getTerminator();
      llvm::BasicBlock *rest = bb->splitBasicBlock(term, bb->getName() + ".checked");
      llvm::Instruction *jump = bb->getTerminator();
      llvm::IRBuilder<> b(jump);
      b.CreateCondBr(b.CreateICmpNE(pending, b.getInt32(0), "failed"), raise, rest, cold);
      raise_id->addIncoming(pending, bb);
      jump->eraseFromParent();
    }
  }
  bool removed = false;  // raise blocks nothing reaches any more (or never did): the function changed
  for (auto &[bb, id] : id_of)
    if (llvm::pred_empty(bb)) {
      bb->eraseFromParent();
      removed = true;
    }
  if (!llvm::pred_empty(raise)) return true;
  raise->eraseFromParent();  // nothing merged (only short runs in loops): leave no trace
  for (llvm::GlobalVariable *gv : tables) gv->eraseFromParent();
  return removed;
}

}  // namespace pyvorin
