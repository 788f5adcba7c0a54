// lower (native lists): a local list that no other code can see (native.cpp) lives in a native
// buffer of int64, double or bool bytes (runtime/buffers.cpp): (data, len, capacity) slots that
// mem2reg keeps in registers. Indexing, stores, len, append, pop and iteration are a few
// instructions with CPython's bounds checks and messages; a read by CPython or a hand-over builds
// a CPython list of the items (native_box). Nothing here touches a Python object, so a loop over
// native lists may run without the GIL.
#include <llvm/IR/MDBuilder.h>

#include "lower.h"
#include "pyvorin_buffers.h"

namespace pyvorin {

using namespace ast;

llvm::Type *FunctionLowerer::native_type(Ty elem) {
  if (elem == Ty::Float) return m_b.getDoubleTy();
  if (elem == Ty::Bool) return m_b.getInt8Ty();
  return m_b.getInt64Ty();
}

FunctionLowerer::NativeList FunctionLowerer::native_slots(Ty elem, const std::string &name) {
  NativeList nl;
  nl.elem = elem;
  nl.data = entry_slot(m_b.getPtrTy(), name + ".data", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
  nl.len = entry_slot(m_b.getInt64Ty(), name + ".len", m_b.getInt64(0));
  nl.cap = entry_slot(m_b.getInt64Ty(), name + ".cap", m_b.getInt64(0));
  m_buffers.push_back(nl.data);
  return nl;
}

void FunctionLowerer::native_setup() {
  for (auto &[name, n] : native_locals(m_spec, m_maybe_unbound)) {
    if (n.kind == NativeKind::List) {
      m_native[name] = native_slots(n.elem, name);
      m_native[name].shares = n.shares;
      continue;
    }
    NativeTable t;
    t.shares = n.shares;
    t.ordered = n.ordered;
    t.kind = n.kind;
    t.key = n.elem;
    t.value = n.value;
    t.table = entry_slot(m_b.getPtrTy(), name + ".table", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
    m_table_slots.push_back(t.table);
    m_tables[name] = t;
  }
}

const FunctionLowerer::NativeList *FunctionLowerer::native_list(const Expr &e) const {
  if (e.kind != ExprKind::Name) return nullptr;
  auto it = m_native.find(static_cast<const Name &>(e).id);
  return it == m_native.end() ? nullptr : &it->second;
}

void FunctionLowerer::free_buffers() {
  for (llvm::AllocaInst *slot : m_buffers)
    m_b.CreateCall(capi("pv_buf_free", m_b.getVoidTy(), {m_b.getPtrTy()}), {m_b.CreateLoad(m_b.getPtrTy(), slot)});
  for (llvm::AllocaInst *slot : m_table_slots)
    m_b.CreateCall(capi("pv_table_free", m_b.getVoidTy(), {m_b.getPtrTy()}), {m_b.CreateLoad(m_b.getPtrTy(), slot)});
}

llvm::Value *FunctionLowerer::native_len(const NativeList &nl) { return m_b.CreateLoad(m_b.getInt64Ty(), nl.len, "len"); }

// Room for `need` elements: doubling growth, so appends are amortised O(1).
void FunctionLowerer::native_reserve(const NativeList &nl, llvm::Value *need, int line) {
  llvm::Value *cap = m_b.CreateLoad(m_b.getInt64Ty(), nl.cap, "cap");
  auto *grow = llvm::BasicBlock::Create(m_ms.ctx, "buf.grow", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "buf.room", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateICmpSGT(need, cap), grow, done, md.createBranchWeights(1, 64));
  m_b.SetInsertPoint(grow);
  llvm::Value *twice = m_b.CreateShl(cap, 1);
  llvm::Value *want = m_b.CreateSelect(m_b.CreateICmpSGT(twice, need), twice, need);
  want = m_b.CreateSelect(m_b.CreateICmpSLT(want, m_b.getInt64(8)), m_b.getInt64(8), want, "cap.new");
  uint64_t size = m_ms.module.getDataLayout().getTypeAllocSize(native_type(nl.elem));
  llvm::Value *old = m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data");
  llvm::Value *p = m_b.CreateCall(capi("pv_buf_alloc", m_b.getPtrTy(),
                                       {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt64Ty(), m_b.getInt64Ty(), m_b.getPtrTy(), m_b.getInt32Ty()}),
                                  {m_ctx, old, want, m_b.getInt64(size), m_fname, line_const(line)});
  auto *ok = llvm::BasicBlock::Create(m_ms.ctx, "buf.grown", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(p), m_unwind, ok, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(ok);
  m_b.CreateStore(p, nl.data);
  m_b.CreateStore(want, nl.cap);
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
}

void FunctionLowerer::native_append(const NativeList &nl, llvm::Value *v, Ty vt, int line) {
  llvm::Value *n = native_len(nl);
  llvm::Value *n1 = m_b.CreateAdd(n, m_b.getInt64(1), "len.next");
  native_reserve(nl, n1, line);
  llvm::Value *data = m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data");
  llvm::Type *et = native_type(nl.elem);
  llvm::Value *x = convert(v, vt, nl.elem);
  if (nl.elem == Ty::Bool) x = m_b.CreateZExt(x, et);
  m_b.CreateStore(x, m_b.CreateGEP(et, data, n));
  m_b.CreateStore(n1, nl.len);
}

// `name = [...]`, `[x] * n` or a list comprehension: built into a buffer of its own, which then
// replaces (and frees) the variable's old one, as rebinding drops the old list.
void FunctionLowerer::native_assign(const std::string &name, const Expr &value, int line) {
  const NativeList &var = m_native.at(name);
  NativeList tmp = native_slots(var.elem, name + ".new");
  llvm::Type *et = native_type(var.elem);
  if (value.kind == ExprKind::List) {
    auto &l = static_cast<const List &>(value);
    std::vector<llvm::Value *> items;
    for (auto &x : l.elts) items.push_back(expr(*x));
    set_loc(value.range);
    for (size_t i = 0; i < items.size(); ++i) native_append(tmp, items[i], type(*l.elts[i]), line);
  } else if (value.kind == ExprKind::ListComp) {
    auto &c = static_cast<const Comp &>(value);
    comp_loops(c, 0, [&] {
      llvm::Value *x = expr(*c.elt);
      set_loc(c.range);
      native_append(tmp, x, type(*c.elt), line);
    });
  } else {  // [x, ...] * n or n * [x, ...], operands in source order
    auto &b = static_cast<const BinOp &>(value);
    bool list_left = b.left->kind == ExprKind::List;
    auto &l = static_cast<const List &>(list_left ? *b.left : *b.right);
    llvm::Value *count = nullptr;
    if (!list_left) count = expr(*b.left);
    std::vector<llvm::Value *> items;
    for (auto &x : l.elts) {
      llvm::Value *v = convert(expr(*x), type(*x), var.elem);
      items.push_back(var.elem == Ty::Bool ? m_b.CreateZExt(v, et) : v);
    }
    if (list_left) count = expr(*b.right);
    set_loc(value.range);
    llvm::Value *k = m_b.getInt64(items.size());
    count = m_b.CreateSelect(m_b.CreateICmpSLT(count, m_b.getInt64(0)), m_b.getInt64(0), count, "repeat");
    // n * k elements, where n * k may not fit: MemoryError, as list_repeat
    llvm::Value *total = m_b.CreateMul(count, k, "total");
    if (items.size() > 1) {
      llvm::Value *limit = m_b.getInt64(uint64_t(INT64_MAX) / items.size());
      raise_if(m_b.CreateICmpSGT(count, limit), PV_MEMORY_ERROR, "", line);
    }
    native_reserve(tmp, total, line);
    llvm::Value *data = m_b.CreateLoad(m_b.getPtrTy(), tmp.data, "data");
    if (!items.empty())  // a plain fill loop (no interrupt poll: it ends), which LLVM may turn into memset
      counted_loop(count, line, [&](llvm::Value *i) {
        llvm::Value *base = m_b.CreateMul(i, k);
        for (size_t j = 0; j < items.size(); ++j)
          m_b.CreateStore(items[j], m_b.CreateGEP(et, data, m_b.CreateAdd(base, m_b.getInt64(j))));
      }, false);
    m_b.CreateStore(total, tmp.len);
  }
  // the new list replaces the old one
  m_b.CreateCall(capi("pv_buf_free", m_b.getVoidTy(), {m_b.getPtrTy()}), {m_b.CreateLoad(m_b.getPtrTy(), var.data)});
  m_b.CreateStore(m_b.CreateLoad(m_b.getPtrTy(), tmp.data), var.data);
  m_b.CreateStore(m_b.CreateLoad(m_b.getInt64Ty(), tmp.len), var.len);
  m_b.CreateStore(m_b.CreateLoad(m_b.getInt64Ty(), tmp.cap), var.cap);
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), tmp.data);
  m_b.CreateStore(m_b.getInt64(0), tmp.len);
  m_b.CreateStore(m_b.getInt64(0), tmp.cap);
}

// The address of xs[index] (a negative index counts from the end), or IndexError(message).
llvm::Value *FunctionLowerer::native_slot(const NativeList &nl, const Expr &index, const char *message, int line) {
  llvm::Value *k = checked_index(index_value(index, line), native_len(nl), message, line);
  return m_b.CreateGEP(native_type(nl.elem), m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data"), k);
}

llvm::Value *FunctionLowerer::native_load(const NativeList &nl, const Subscript &s) {
  llvm::Value *p = native_slot(nl, *s.slice, "list index out of range", s.range.line);
  set_loc(s.range);
  llvm::Value *v = m_b.CreateLoad(native_type(nl.elem), p, "item");
  return nl.elem == Ty::Bool ? m_b.CreateICmpNE(v, m_b.getInt8(0)) : shared_float(v, nl.shares, s.range.line);
}

void FunctionLowerer::native_store(const NativeList &nl, const Subscript &s, llvm::Value *v, Ty vt, int line) {
  llvm::Value *p = native_slot(nl, *s.slice, "list assignment index out of range", line);
  set_loc(s.range);
  llvm::Value *x = convert(v, vt, nl.elem);
  if (nl.elem == Ty::Bool) x = m_b.CreateZExt(x, m_b.getInt8Ty());
  m_b.CreateStore(x, p);
}

llvm::Value *FunctionLowerer::native_method(const NativeList &nl, const Call &e, const std::string &attr) {
  int line = e.range.line;
  if (attr == "append") {
    llvm::Value *v = expr(*e.args[0]);
    set_loc(e.range);
    native_append(nl, v, type(*e.args[0]), line);
    return none_value();
  }
  if (attr == "sort") {
    llvm::Value *rev = m_b.getFalse();
    if (!e.keywords.empty()) rev = condition(*e.keywords[0].value);
    set_loc(e.range);
    llvm::Value *data = m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data");
    // CPython's order for a NaN depends on its sort's comparisons: that call reruns in CPython
    if (nl.elem == Ty::Float)
      nan_guard(m_b.CreateCall(capi("pv_buf_has_nan", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getInt64Ty()}), {data, native_len(nl)}),
                line);
    int32_t kind = nl.elem == Ty::Float ? PV_BUF_FLOAT : nl.elem == Ty::Bool ? PV_BUF_BOOL : PV_BUF_INT;
    m_b.CreateCall(capi("pv_buf_sort", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getInt64Ty(), m_b.getInt32Ty(), m_b.getInt32Ty()}),
                   {data, native_len(nl), m_b.getInt32(uint32_t(kind)), m_b.CreateZExt(rev, m_b.getInt32Ty())});
    return none_value();
  }
  if (attr == "reverse") {  // in place: swap from both ends
    llvm::Value *n = native_len(nl);
    llvm::Type *et = native_type(nl.elem);
    counted_loop(m_b.CreateSDiv(n, m_b.getInt64(2)), line, [&](llvm::Value *i) {
      llvm::Value *data = m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data");
      llvm::Value *a = m_b.CreateGEP(et, data, i);
      llvm::Value *b = m_b.CreateGEP(et, data, m_b.CreateSub(m_b.CreateSub(n, m_b.getInt64(1)), i));
      llvm::Value *x = m_b.CreateLoad(et, a), *y = m_b.CreateLoad(et, b);
      m_b.CreateStore(y, a);
      m_b.CreateStore(x, b);
    });
    return none_value();
  }
  // pop(): the last item, or IndexError
  llvm::Value *n = native_len(nl);
  raise_if(m_b.CreateICmpEQ(n, m_b.getInt64(0)), PV_INDEX_ERROR, "pop from empty list", line);
  llvm::Value *last = m_b.CreateSub(n, m_b.getInt64(1), "len.pop");
  llvm::Value *data = m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data");
  llvm::Value *v = m_b.CreateLoad(native_type(nl.elem), m_b.CreateGEP(native_type(nl.elem), data, last), "popped");
  m_b.CreateStore(last, nl.len);
  return nl.elem == Ty::Bool ? m_b.CreateICmpNE(v, m_b.getInt8(0)) : shared_float(v, nl.shares, line);
}

// CPython compares a container's items by identity first (a NaN stored twice is one object, equal
// to itself there); boxes made here are new objects, so a float list holding a NaN is not handed to
// CPython: the call reruns in CPython (PV_GUARD) before any observable effect.
void FunctionLowerer::nan_guard(llvm::Value *has_nan, int line) {
  raise_if(m_b.CreateICmpNE(has_nan, m_b.getInt32(0)), PV_GUARD,
           "a NaN in a float container kept in native storage, whose identity only CPython keeps", line);
}

// A float read back from a container whose items may be objects shared with other code: when it
// is a NaN, its identity (which CPython's `in`, count and == test first) is lost here, so the call
// reruns in CPython.
llvm::Value *FunctionLowerer::shared_float(llvm::Value *v, bool shares, int line) {
  if (shares && v->getType()->isDoubleTy())
    raise_if(m_b.CreateFCmpUNO(v, v), PV_GUARD, "a NaN read from a float container kept in native storage, whose identity only CPython keeps",
             line);
  return v;
}

llvm::Value *FunctionLowerer::native_box(const NativeList &nl, int line) {
  int32_t kind = nl.elem == Ty::Float ? PV_BUF_FLOAT : nl.elem == Ty::Bool ? PV_BUF_BOOL : PV_BUF_INT;
  if (nl.elem == Ty::Float && nl.shares)
    nan_guard(m_b.CreateCall(capi("pv_buf_has_nan", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getInt64Ty()}),
                             {m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data"), native_len(nl)}),
              line);
  return call_obj("pv_buf_to_list", {m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data"), native_len(nl), m_b.getInt32(kind)}, line);
}

// As CPython's list iterator: the length is read again before each item, so items appended by the
// loop body are visited too.
void FunctionLowerer::native_for_each(const NativeList &nl, const std::function<void(llvm::Value *, Ty)> &each,
                                      const LoopBlocks &blocks) {
  llvm::BasicBlock *pre = m_b.GetInsertBlock();
  m_b.CreateBr(blocks.header);
  m_b.SetInsertPoint(blocks.header);
  llvm::PHINode *i = m_b.CreatePHI(m_b.getInt64Ty(), 2, "i");
  i->addIncoming(m_b.getInt64(0), pre);
  m_b.CreateCondBr(m_b.CreateICmpSLT(i, native_len(nl)), blocks.body, blocks.orelse);
  m_b.SetInsertPoint(blocks.body);
  llvm::Value *data = m_b.CreateLoad(m_b.getPtrTy(), nl.data, "data");
  llvm::Value *v = m_b.CreateLoad(native_type(nl.elem), m_b.CreateGEP(native_type(nl.elem), data, i), "item");
  if (nl.elem == Ty::Bool) v = m_b.CreateICmpNE(v, m_b.getInt8(0));
  each(shared_float(v, nl.shares, m_spec.fn->range.line), nl.elem);  // ends in the latch
  i->addIncoming(m_b.CreateAdd(i, m_b.getInt64(1), "i.next"), m_b.GetInsertBlock());
  m_b.CreateBr(blocks.header);
}

}  // namespace pyvorin
