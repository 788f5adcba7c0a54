// lower (native dicts and sets): a local dict or set that no other code can see (native.cpp),
// keyed by ints, bools or tuples of them, lives in a native hash table (runtime/tables.cpp) whose
// entries keep insertion order. A key is its int64 words in a small buffer: a tuple display as a
// key (`seen.add((i, j))`) builds no tuple at all. Lookups, stores, `in`, `len`, `add`,
// `discard`, `remove`, `del d[k]` and `d.get(k, default)` call the table; a missing key raises
// CPython's KeyError(key); a read by CPython or a hand-over builds a CPython dict or set in
// insertion order (table_box).
#include <llvm/IR/MDBuilder.h>

#include "lower.h"
#include "pyvorin_buffers.h"

namespace pyvorin {

using namespace ast;

const FunctionLowerer::NativeTable *FunctionLowerer::native_table(const Expr &e) const {
  if (e.kind != ExprKind::Name) return nullptr;
  auto it = m_tables.find(static_cast<const Name &>(e).id);
  return it == m_tables.end() ? nullptr : &it->second;
}

int32_t FunctionLowerer::key_desc(Ty key) const {
  if (key.kind() != Kind::Tuple) return 1 | (key == Ty::Bool ? 1 << 16 : 0);
  int32_t desc = int32_t(key.args().size()) | (1 << 8);
  for (size_t i = 0; i < key.args().size(); ++i)
    if (key.args()[i] == Ty::Bool) desc |= 1 << (16 + i);
  return desc;
}

llvm::Value *FunctionLowerer::table_len(const NativeTable &nt) {
  return m_b.CreateLoad(m_b.getInt64Ty(), m_b.CreateLoad(m_b.getPtrTy(), nt.table, "table"), "len");
}

// Every word is evaluated first (a tuple display's items left to right, as CPython builds the
// tuple), then stored: a key that itself looks up a table does not overwrite this buffer.
llvm::Value *FunctionLowerer::table_key(const NativeTable &nt, const Expr &k, int line) {
  std::vector<llvm::Value *> words;
  auto word = [&](llvm::Value *v, Ty from, Ty to) {
    v = convert(v, from, to);
    words.push_back(to == Ty::Bool ? m_b.CreateZExt(v, m_b.getInt64Ty()) : v);
  };
  if (nt.key.kind() != Kind::Tuple) {
    word(expr(k), type(k), nt.key);
  } else if (k.kind == ExprKind::Tuple && static_cast<const Tuple &>(k).elts.size() == nt.key.args().size()) {
    auto &elts = static_cast<const Tuple &>(k).elts;
    std::vector<llvm::Value *> values;
    for (auto &x : elts) values.push_back(expr(*x));
    for (size_t i = 0; i < elts.size(); ++i) word(values[i], type(*elts[i]), nt.key.args()[i]);
  } else {  // a tuple object: its items, unboxed
    llvm::Value *obj = to_object(expr(k), type(k));
    for (size_t i = 0; i < nt.key.args().size(); ++i) {
      llvm::Value *item = m_b.CreateLoad(m_b.getPtrTy(), tuple_item_ptr(obj, m_b.getInt64(i)), "key.item");
      word(from_object(item, nt.key.args()[i], line, false), nt.key.args()[i], nt.key.args()[i]);
    }
    release(obj);
  }
  llvm::AllocaInst *buf = entry_slot(llvm::ArrayType::get(m_b.getInt64Ty(), words.size()), "key", nullptr);
  for (size_t i = 0; i < words.size(); ++i) m_b.CreateStore(words[i], m_b.CreateConstGEP1_64(m_b.getInt64Ty(), buf, i));
  return buf;
}

void FunctionLowerer::key_error(llvm::Value *key, Ty key_type, int line) {
  m_b.CreateCall(capi("pv_table_key_error", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getInt32Ty()}),
                 {key, m_b.getInt32(uint32_t(key_desc(key_type)))});
  python_error(line);
}

void FunctionLowerer::table_store(const NativeTable &nt, llvm::Value *key, llvm::Value *v, Ty vt, int line) {
  llvm::Value *t = m_b.CreateLoad(m_b.getPtrTy(), nt.table, "table");
  llvm::Value *slot = m_b.CreateCall(
      capi("pv_table_insert", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt32Ty()}),
      {m_ctx, t, key, m_fname, line_const(line)}, "slot");
  auto *ok = llvm::BasicBlock::Create(m_ms.ctx, "table.stored", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateIsNull(slot), m_unwind, ok, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(ok);
  if (nt.kind != NativeKind::Dict) return;
  llvm::Value *x = convert(v, vt, nt.value);
  if (nt.value == Ty::Float) x = m_b.CreateBitCast(x, m_b.getInt64Ty());
  if (nt.value == Ty::Bool) x = m_b.CreateZExt(x, m_b.getInt64Ty());
  m_b.CreateStore(x, slot);
}

static llvm::Value *value_of(llvm::IRBuilder<> &b, llvm::Value *word, Ty t) {
  if (t == Ty::Float) return b.CreateBitCast(word, b.getDoubleTy());
  if (t == Ty::Bool) return b.CreateICmpNE(word, b.getInt64(0));
  return word;
}

// `name = set()`, `{}`, `dict()` or a display: a new table (items evaluated first), which then
// replaces (and frees) the variable's old one.
void FunctionLowerer::table_assign(const std::string &name, const Expr &value, int line) {
  const NativeTable &var = m_tables.at(name);
  NativeTable tmp = var;
  std::vector<std::pair<llvm::Value *, llvm::Value *>> items;  // key buffer, value
  std::vector<Ty> value_types;
  if (value.kind == ExprKind::Set) {
    for (auto &x : static_cast<const SetExpr &>(value).elts) items.push_back({table_key(var, *x, line), nullptr});
  } else if (value.kind == ExprKind::Dict) {
    auto &d = static_cast<const Dict &>(value);
    for (size_t i = 0; i < d.keys.size(); ++i) {
      llvm::Value *k = table_key(var, *d.keys[i], line);
      items.push_back({k, expr(*d.values[i])});
      value_types.push_back(type(*d.values[i]));
    }
  }
  set_loc(value.range);
  tmp.table = entry_slot(m_b.getPtrTy(), name + ".new", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
  m_table_slots.push_back(tmp.table);  // freed at exits too, should building it fail
  llvm::Value *t = m_b.CreateCall(capi("pv_table_new", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getInt32Ty(), m_b.getPtrTy(), m_b.getInt32Ty()}),
                                  {m_ctx, m_b.getInt32(uint32_t((key_desc(var.key) & 0xff) | (var.ordered ? 0 : 1 << 8) | (var.kind == NativeKind::Set ? 1 << 9 : 0))), m_fname,
                                   line_const(line)},
                                  "table.new");
  auto *ok = llvm::BasicBlock::Create(m_ms.ctx, "table.made", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(t), m_unwind, ok);
  m_b.SetInsertPoint(ok);
  m_b.CreateStore(t, tmp.table);
  for (size_t i = 0; i < items.size(); ++i)
    table_store(tmp, items[i].first, items[i].second, value_types.empty() ? Ty::None : value_types[i], line);
  m_b.CreateCall(capi("pv_table_free", m_b.getVoidTy(), {m_b.getPtrTy()}), {m_b.CreateLoad(m_b.getPtrTy(), var.table)});
  m_b.CreateStore(m_b.CreateLoad(m_b.getPtrTy(), tmp.table), var.table);
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), tmp.table);
}

llvm::Value *FunctionLowerer::table_get(const NativeTable &nt, const Subscript &s) {
  int line = s.range.line;
  llvm::Value *key = table_key(nt, *s.slice, line);
  set_loc(s.range);
  llvm::Value *t = m_b.CreateLoad(m_b.getPtrTy(), nt.table, "table");
  llvm::Value *slot = m_b.CreateCall(capi("pv_table_lookup", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {t, key}, "slot");
  auto *missing = llvm::BasicBlock::Create(m_ms.ctx, "key.missing", m_fn);
  auto *found = llvm::BasicBlock::Create(m_ms.ctx, "key.found", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateIsNull(slot), missing, found, md.createBranchWeights(1, 64));
  m_b.SetInsertPoint(missing);
  key_error(key, nt.key, line);
  m_b.SetInsertPoint(found);
  return shared_float(value_of(m_b, m_b.CreateLoad(m_b.getInt64Ty(), slot, "value"), nt.value), nt.shares, line);
}

// Removes key; when it is absent, KeyError(key) (del d[k], s.remove(k)) or nothing (s.discard(k)).
void FunctionLowerer::table_remove(const NativeTable &nt, llvm::Value *key, bool must_exist, int line) {
  llvm::Value *t = m_b.CreateLoad(m_b.getPtrTy(), nt.table, "table");
  llvm::Value *gone = m_b.CreateCall(capi("pv_table_remove", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getPtrTy()}), {t, key}, "removed");
  if (!must_exist) return;
  auto *missing = llvm::BasicBlock::Create(m_ms.ctx, "key.missing", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "key.removed", m_fn);
  m_b.CreateCondBr(m_b.CreateICmpEQ(gone, m_b.getInt32(0)), missing, done);
  m_b.SetInsertPoint(missing);
  key_error(key, nt.key, line);
  m_b.SetInsertPoint(done);
}

void FunctionLowerer::table_delete(const NativeTable &nt, const Subscript &s) {
  llvm::Value *key = table_key(nt, *s.slice, s.range.line);
  set_loc(s.range);
  table_remove(nt, key, true, s.range.line);
}

llvm::Value *FunctionLowerer::table_contains(const NativeTable &nt, const Compare &e) {
  llvm::Value *key = table_key(nt, *e.left, e.range.line);
  set_loc(e.range);
  llvm::Value *t = m_b.CreateLoad(m_b.getPtrTy(), nt.table, "table");
  llvm::Value *slot = m_b.CreateCall(capi("pv_table_lookup", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {t, key}, "slot");
  return e.ops[0] == CmpOp::In ? m_b.CreateIsNotNull(slot) : m_b.CreateIsNull(slot);
}

llvm::Value *FunctionLowerer::table_method(const NativeTable &nt, const Call &e, const std::string &attr) {
  int line = e.range.line;
  llvm::Value *key = table_key(nt, *e.args[0], line);
  if (attr == "get") {  // d.get(k, default): the default is evaluated before the lookup, as an argument
    llvm::Value *dflt = convert(expr(*e.args[1]), type(*e.args[1]), nt.value);
    set_loc(e.range);
    llvm::Value *t = m_b.CreateLoad(m_b.getPtrTy(), nt.table, "table");
    llvm::Value *slot = m_b.CreateCall(capi("pv_table_lookup", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {t, key}, "slot");
    llvm::BasicBlock *before = m_b.GetInsertBlock();
    auto *found = llvm::BasicBlock::Create(m_ms.ctx, "get.found", m_fn);
    auto *done = llvm::BasicBlock::Create(m_ms.ctx, "get.done", m_fn);
    m_b.CreateCondBr(m_b.CreateIsNull(slot), done, found);
    m_b.SetInsertPoint(found);
    llvm::Value *v = shared_float(value_of(m_b, m_b.CreateLoad(m_b.getInt64Ty(), slot, "value"), nt.value), nt.shares, line);
    llvm::BasicBlock *found_end = m_b.GetInsertBlock();
    m_b.CreateBr(done);
    m_b.SetInsertPoint(done);
    llvm::PHINode *phi = m_b.CreatePHI(dflt->getType(), 2, "got");
    phi->addIncoming(dflt, before);
    phi->addIncoming(v, found_end);
    return phi;
  }
  set_loc(e.range);
  if (attr == "add") {
    table_store(nt, key, nullptr, Ty::None, line);
    return none_value();
  }
  table_remove(nt, key, attr == "remove", line);  // discard / remove
  return none_value();
}

llvm::Value *FunctionLowerer::table_box(const NativeTable &nt, int line) {
  int32_t kind = nt.kind == NativeKind::Set ? -1 : nt.value == Ty::Float ? PV_BUF_FLOAT : nt.value == Ty::Bool ? PV_BUF_BOOL : PV_BUF_INT;
  if (kind == PV_BUF_FLOAT && nt.shares)
    nan_guard(m_b.CreateCall(capi("pv_table_has_nan", m_b.getInt32Ty(), {m_b.getPtrTy()}), {m_b.CreateLoad(m_b.getPtrTy(), nt.table, "table")}),
              line);
  return call_obj("pv_table_to_object",
                  {m_b.CreateLoad(m_b.getPtrTy(), nt.table, "table"), m_b.getInt32(uint32_t(key_desc(nt.key))), m_b.getInt32(uint32_t(kind))},
                  line);
}

}  // namespace pyvorin
