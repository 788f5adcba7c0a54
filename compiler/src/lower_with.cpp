// lower (with blocks): `with open(...) as f:` runs its body once and closes the file on every
// exit: the end of the body, return, break and continue (exit_withs), and an exception or any
// other error leaving the function (abort_withs, at the unwind block). The manager lives in a
// hidden local ($wN, parse.cpp); an `active` flag says whether its block is still open, so a
// close that raises is not repeated when the error unwinds.
#include "lower.h"

namespace pyvorin {

using namespace ast;

void FunctionLowerer::with_stmt(const If &s) {
  int line = s.range.line;
  release(expr(*s.test));  // ($wN := manager): the hidden local holds it
  const std::string &var = static_cast<const NamedExpr &>(*s.test).target;
  mark_effect(nullptr);  // an open file: a rerun in CPython would open it again
  With w{var, entry_slot(m_b.getInt1Ty(), var + ".active", m_b.getFalse())};
  m_b.CreateStore(m_b.getTrue(), w.active);
  m_withs.push_back(w);
  m_all_withs.push_back(w);
  body(s.body);
  if (!m_b.GetInsertBlock()->getTerminator()) exit_withs(m_withs.size() - 1, line);
  m_withs.pop_back();
}

// manager.__exit__(None, None, None) for each open block above `keep`, innermost first; an
// error from one unwinds (the blocks outside it are closed there).
void FunctionLowerer::exit_withs(size_t keep, int line) {
  for (size_t i = m_withs.size(); i-- > keep;) {
    const With &w = m_withs[i];
    m_b.CreateStore(m_b.getFalse(), w.active);
    llvm::Value *mgr = m_b.CreateLoad(m_b.getPtrTy(), m_vars.at(w.var).slot, "manager");
    call_int("pv_with_exit", {mgr}, line);
  }
}

void FunctionLowerer::abort_withs() {
  for (const With &w : m_all_withs) {
    auto *close = llvm::BasicBlock::Create(m_ms.ctx, "with.abort", m_fn);
    auto *done = llvm::BasicBlock::Create(m_ms.ctx, "with.aborted", m_fn);
    m_b.CreateCondBr(m_b.CreateLoad(m_b.getInt1Ty(), w.active), close, done);
    m_b.SetInsertPoint(close);
    llvm::Value *mgr = m_b.CreateLoad(m_b.getPtrTy(), m_vars.at(w.var).slot, "manager");
    m_b.CreateCall(capi("pv_with_abort", m_b.getVoidTy(), {m_b.getPtrTy()}), {mgr});
    m_b.CreateBr(done);
    m_b.SetInsertPoint(done);
  }
}

}  // namespace pyvorin
