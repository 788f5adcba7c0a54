// lower (objects: iteration): for loops over any iterable (lists and tuples read in place, the rest
// through CPython's iterator protocol), comprehensions and their loops, any()/all() over a
// generator expression.
#include <llvm/IR/MDBuilder.h>

#include "lower.h"
#include "objects.h"

namespace pyvorin {

using namespace ast;
// ---- iteration ----

llvm::Value *FunctionLowerer::iterable(const Expr &e) { return to_object(expr(e), type(e)); }

llvm::Value *FunctionLowerer::for_each(llvm::Value *obj, Ty it, int line, const std::function<void(llvm::Value *, Ty)> &each,
                                       const LoopBlocks &blocks) {
  Ty elem = Ty::Bottom;
  if (it.kind() == Kind::Optional) {  // None: PyObject_GetIter raises CPython's TypeError
    Ty inner = it.elem();
    elem = inner.kind() == Kind::Dict ? inner.args()[0] : inner.kind() == Kind::Range ? Ty::Int : inner == Ty::Str ? Ty::Str : Ty::Bottom;
    if (is_tuple(inner))
      elem = tuple_items_join(inner);
    else if (elem == Ty::Bottom && !inner.args().empty())
      elem = inner.elem();
  } else switch (it.kind()) {
    case Kind::Dict: elem = it.args()[0]; break;
    case Kind::Range: elem = Ty::Int; break;
    case Kind::Str: elem = Ty::Str; break;
    case Kind::Bytes: case Kind::ByteArray: elem = Ty::Int; break;
    case Kind::Tuple:
      for (Ty a : it.args()) elem = join(elem, a);
      break;
    case Kind::Array:  // its items along axis 0: scalars, or rows (views)
      elem = it.ndim() == 1 ? it.elem() : Ty::array(it.dtype(), it.ndim() - 1, it.layout() == Layout::C ? Layout::C : Layout::A, it.readonly());
      break;
    default:  // a value that is not iterable (None): PyObject_GetIter raises CPython's TypeError
      elem = it.args().empty() ? Ty::Bottom : it.elem();
  }
  llvm::BasicBlock *pre = m_b.GetInsertBlock();
  if (is_sequence(it)) {
    bool list = it.kind() == Kind::List;
    m_b.CreateBr(blocks.header);
    m_b.SetInsertPoint(blocks.header);
    llvm::PHINode *i = m_b.CreatePHI(m_b.getInt64Ty(), 2, "i");
    i->addIncoming(m_b.getInt64(0), pre);
    m_b.CreateCondBr(m_b.CreateICmpSLT(i, ob_size(obj)), blocks.body, blocks.orelse);  // re-read: the list may grow
    m_b.SetInsertPoint(blocks.body);
    llvm::Value *slot = list ? m_b.CreateGEP(m_b.getPtrTy(), list_items(obj), i) : tuple_item_ptr(obj, i);
    llvm::Value *item = m_b.CreateLoad(m_b.getPtrTy(), slot, "item");
    each(from_object(item, elem, line, false, true), elem);  // ends in the latch
    i->addIncoming(m_b.CreateAdd(i, m_b.getInt64(1), "i.next"), m_b.GetInsertBlock());
    m_b.CreateBr(blocks.header);
    return nullptr;
  }
  if (it.kind() == Kind::Array && it.ndim() == 1) {  // a 1-D array: its elements read in place
    ArrayView v = view_of(obj, it);
    m_b.CreateBr(blocks.header);
    m_b.SetInsertPoint(blocks.header);
    llvm::PHINode *i = m_b.CreatePHI(m_b.getInt64Ty(), 2, "i");
    i->addIncoming(m_b.getInt64(0), pre);
    m_b.CreateCondBr(m_b.CreateICmpSLT(i, v.shape[0]), blocks.body, blocks.orelse);
    m_b.SetInsertPoint(blocks.body);
    llvm::Value *p = m_b.CreateGEP(m_b.getInt8Ty(), v.data, m_b.CreateMul(i, v.strides[0]), "elem");
    each(load_element(p, it.dtype()), elem);  // ends in the latch
    i->addIncoming(m_b.CreateAdd(i, m_b.getInt64(1), "i.next", true, true), m_b.GetInsertBlock());
    m_b.CreateBr(blocks.header);
    return nullptr;
  }
  if (it.kind() == Kind::File) mark_effect(nullptr);  // reading moves the file's position
  llvm::Value *iter = call_obj("PyObject_GetIter", {obj}, line);
  m_b.CreateBr(blocks.header);
  m_b.SetInsertPoint(blocks.header);
  llvm::Value *item = m_b.CreateCall(capi("PyIter_Next", m_b.getPtrTy(), {m_b.getPtrTy()}), {iter}, "item");
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "iter.done", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(item), done, blocks.body);
  m_b.SetInsertPoint(done);
  llvm::Value *err = m_b.CreateCall(capi("PyErr_Occurred", m_b.getPtrTy(), {}), {});
  auto *failed = llvm::BasicBlock::Create(m_ms.ctx, "iter.error", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(err), blocks.orelse, failed);
  m_b.SetInsertPoint(failed);
  python_error(line);
  m_b.SetInsertPoint(blocks.body);
  llvm::Value *owned = own(item);
  each(from_object(owned, elem, line, true), elem);  // ends in the latch
  m_b.CreateBr(blocks.header);
  return iter;
}

void FunctionLowerer::for_stmt(const For &s) {
  int line = s.range.line;
  const NativeList *nl = native_list(*s.iter);
  llvm::Value *obj = nl ? nullptr : iterable(*s.iter), *iter = nullptr;
  set_loc(s.range);
  LoopBlocks blocks = loop_blocks("for");
  auto each = [&](llvm::Value *item, Ty et) {
    assign_target(*s.target, item, et, line);
    loop_body_and_latch(s.body, blocks, s.range);
  };
  if (nl)
    native_for_each(*nl, each, blocks);
  else
    iter = for_each(obj, type(*s.iter), line, each, blocks);
  m_b.SetInsertPoint(blocks.orelse);
  body(s.orelse);
  m_b.CreateBr(blocks.exit);
  m_b.SetInsertPoint(blocks.exit);
  if (iter) release(iter);
  release(obj);
}

void FunctionLowerer::comp_loops(const Comp &c, size_t g, const std::function<void()> &sink, llvm::Value *stop) {
  if (g == c.generators.size()) {
    sink();
    return;
  }
  const Comprehension &gen = c.generators[g];
  int line = gen.iter->range.line;
  LoopBlocks blocks = loop_blocks("comp");
  auto each = [&](llvm::Value *item, Ty et) {
    assign_target(*gen.target, item, et, line);
    for (auto &cond : gen.ifs) {
      llvm::Value *v = condition(*cond);
      auto *next = llvm::BasicBlock::Create(m_ms.ctx, "comp.if", m_fn);
      m_b.CreateCondBr(v, next, blocks.latch);
      m_b.SetInsertPoint(next);
    }
    comp_loops(c, g + 1, sink, stop);
    if (stop)
      m_b.CreateCondBr(m_b.CreateLoad(m_b.getInt1Ty(), stop, "stop"), blocks.exit, blocks.latch);
    else
      m_b.CreateBr(blocks.latch);
    m_b.SetInsertPoint(blocks.latch);
    poll_interrupt(line);
  };
  if (auto *nl = native_list(*gen.iter)) {
    native_for_each(*nl, each, blocks);
  } else if (type(*gen.iter) == Ty::Int && gen.iter->kind == ExprKind::Call) {  // range(): a counted loop
    range_loop(static_cast<const Call &>(*gen.iter), gen.iter->range, "iv", [&](llvm::Value *x) { each(x, Ty::Int); }, blocks);
  } else {
    llvm::Value *obj = iterable(*gen.iter);
    llvm::Value *iter = for_each(obj, type(*gen.iter), line, each, blocks);
    m_b.SetInsertPoint(blocks.orelse);
    m_b.CreateBr(blocks.exit);
    m_b.SetInsertPoint(blocks.exit);
    if (iter) release(iter);
    release(obj);
    return;
  }
  m_b.SetInsertPoint(blocks.orelse);
  m_b.CreateBr(blocks.exit);
  m_b.SetInsertPoint(blocks.exit);
}

void FunctionLowerer::counted_loop(llvm::Value *n, int line, const std::function<void(llvm::Value *)> &body, bool poll) {
  llvm::BasicBlock *pre = m_b.GetInsertBlock();
  auto *head = llvm::BasicBlock::Create(m_ms.ctx, "count.cond", m_fn);
  auto *loop = llvm::BasicBlock::Create(m_ms.ctx, "count.body", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "count.end", m_fn);
  m_b.CreateBr(head);
  m_b.SetInsertPoint(head);
  llvm::PHINode *i = m_b.CreatePHI(m_b.getInt64Ty(), 2, "i");
  i->addIncoming(m_b.getInt64(0), pre);
  m_b.CreateCondBr(m_b.CreateICmpSLT(i, n), loop, done);
  m_b.SetInsertPoint(loop);
  body(i);
  if (poll) poll_interrupt(line);
  i->addIncoming(m_b.CreateAdd(i, m_b.getInt64(1)), m_b.GetInsertBlock());
  m_b.CreateBr(head);
  m_b.SetInsertPoint(done);
}

// any(x for ...) / all(x for ...): the loop stops at the first true (false) element, as CPython's
// generator is consumed lazily; the elements after it are never computed.
llvm::Value *FunctionLowerer::any_all(const Comp &c, bool any) {
  llvm::Value *stop = entry_slot(m_b.getInt1Ty(), "stop", nullptr);
  m_b.CreateStore(m_b.getFalse(), stop);
  comp_loops(c, 0, [&] {
    llvm::Value *t = condition(*c.elt);
    m_b.CreateStore(any ? t : m_b.CreateNot(t), stop);
  }, stop);
  llvm::Value *hit = m_b.CreateLoad(m_b.getInt1Ty(), stop, "found");
  return any ? hit : m_b.CreateNot(hit);
}

llvm::Value *FunctionLowerer::comprehension(const Comp &c) {
  int line = c.range.line;
  llvm::Value *result;
  if (c.kind == ExprKind::SetComp) result = call_obj("PySet_New", {llvm::ConstantPointerNull::get(m_b.getPtrTy())}, line);
  else if (c.kind == ExprKind::DictComp) result = call_obj("PyDict_New", {}, line);
  else result = call_obj("PyList_New", {m_b.getInt64(0)}, line);
  comp_loops(c, 0, [&] {
    if (c.kind == ExprKind::DictComp) {
      llvm::Value *k = to_object(expr(*c.key), type(*c.key));
      llvm::Value *v = to_object(expr(*c.value), type(*c.value));
      set_loc(c.range);
      call_int("PyDict_SetItem", {result, k, v}, line);
      release(k);
      release(v);
      return;
    }
    llvm::Value *x = to_object(expr(*c.elt), type(*c.elt));
    set_loc(c.range);
    call_int(c.kind == ExprKind::SetComp ? "PySet_Add" : "PyList_Append", {result, x}, line);
    release(x);
  });
  return result;
}

}  // namespace pyvorin

