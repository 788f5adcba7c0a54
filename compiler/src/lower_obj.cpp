// lower (objects): CPython objects in native code. References, boxing and guarded unboxing,
// displays, subscripts (inline list and tuple access), unpacking, operators. Methods and builtins
// are in lower_methods.cpp, iteration and comprehensions in lower_iter.cpp. Anything without an
// inline fast path calls CPython's C API, so values, exceptions and messages are CPython's own.
//
// Layouts read inline (CPython 3.11, 64-bit): ob_refcnt @0, ob_type @8, ob_size @16; a list's
// ob_item @24; a tuple's items inline from @24; a float's value @16; an int's digits (30-bit)
// from @24 with the sign in ob_size.
#include <llvm/IR/MDBuilder.h>

#include "lower.h"
#include "objects.h"

namespace pyvorin {

using namespace ast;

namespace {
const char *kind_type_object(Ty t) {
  switch (t.kind()) {
    case Kind::Int: return "PyLong_Type";
    case Kind::Float: return "PyFloat_Type";
    case Kind::Bool: return "PyBool_Type";
    case Kind::Str: return "PyUnicode_Type";
    case Kind::Bytes: return "PyBytes_Type";
    case Kind::ByteArray: return "PyByteArray_Type";
    case Kind::List: return "PyList_Type";
    case Kind::Tuple: case Kind::TupleN: return "PyTuple_Type";
    case Kind::Dict: return "PyDict_Type";
    case Kind::Set: return "PySet_Type";
    case Kind::Range: return "PyRange_Type";
    case Kind::Complex: return "PyComplex_Type";
    default: return nullptr;
  }
}
}  // namespace

// ---- references ----

llvm::Value *FunctionLowerer::call_function(llvm::Value *f, const std::vector<llvm::Value *> &args, size_t npos, llvm::Value *kw,
                                            int line) {
  llvm::Value *r = call_obj("pv_call", {f, object_array(args), m_b.getInt64(npos), kw ? kw : llvm::ConstantPointerNull::get(m_b.getPtrTy())},
                            line);
  for (auto *x : args) release(x);
  return r;
}

llvm::Value *FunctionLowerer::object_array(const std::vector<llvm::Value *> &items, const char *name) {
  if (items.empty()) return llvm::ConstantPointerNull::get(m_b.getPtrTy());
  auto *arr_t = llvm::ArrayType::get(m_b.getPtrTy(), items.size());
  llvm::Value *arr = entry_slot(arr_t, name, nullptr);
  for (size_t i = 0; i < items.size(); ++i) m_b.CreateStore(items[i], m_b.CreateConstGEP2_64(arr_t, arr, 0, i));
  return arr;
}

llvm::AllocaInst *FunctionLowerer::entry_slot(llvm::Type *t, const std::string &name, llvm::Value *init) {
  llvm::BasicBlock &entry = m_fn->getEntryBlock();
  llvm::IRBuilder<> eb(&entry, entry.begin());
  llvm::AllocaInst *slot = eb.CreateAlloca(t, nullptr, name);
  if (init) eb.CreateStore(init, slot);
  return slot;
}

llvm::Value *FunctionLowerer::own(llvm::Value *obj) {
  llvm::AllocaInst *slot = entry_slot(m_b.getPtrTy(), "tmp", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
  m_obj_slots.push_back(slot);
  m_b.CreateStore(obj, slot);
  // A constant (Py_None) or a value already held by another slot needs a Value of its own.
  if (llvm::isa<llvm::Constant>(obj) || m_temps.count(obj)) obj = m_b.CreateLoad(m_b.getPtrTy(), slot, "ref");
  m_temps[obj] = slot;
  return obj;
}

llvm::Value *FunctionLowerer::dup(llvm::Value *obj) {
  incref(obj);
  llvm::AllocaInst *slot = entry_slot(m_b.getPtrTy(), "tmp", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
  m_obj_slots.push_back(slot);
  m_b.CreateStore(obj, slot);
  llvm::Value *copy = m_b.CreateLoad(m_b.getPtrTy(), slot, "dup");
  m_temps[copy] = slot;
  return copy;
}

void FunctionLowerer::forget(llvm::Value *v) {
  auto it = m_temps.find(v);
  if (it == m_temps.end()) return;
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), it->second);
  m_temps.erase(it);
}

void FunctionLowerer::release(llvm::Value *v) {
  auto it = m_temps.find(v);
  if (it == m_temps.end()) return;
  decref(v);
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), it->second);
  m_temps.erase(it);
}

void FunctionLowerer::incref(llvm::Value *obj) {
  llvm::Value *rc = m_b.CreateLoad(m_b.getInt64Ty(), obj, "refcnt");
  m_b.CreateStore(m_b.CreateAdd(rc, m_b.getInt64(1)), obj);
}

void FunctionLowerer::decref(llvm::Value *obj) {
  llvm::Value *rc = m_b.CreateSub(m_b.CreateLoad(m_b.getInt64Ty(), obj, "refcnt"), m_b.getInt64(1));
  m_b.CreateStore(rc, obj);
  auto *dealloc = llvm::BasicBlock::Create(m_ms.ctx, "dealloc", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "decref.done", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateICmpEQ(rc, m_b.getInt64(0)), dealloc, cont, md.createBranchWeights(1, 64));
  m_b.SetInsertPoint(dealloc);
  m_b.CreateCall(capi("_Py_Dealloc", m_b.getVoidTy(), {m_b.getPtrTy()}), {obj});
  m_b.CreateBr(cont);
  m_b.SetInsertPoint(cont);
}

void FunctionLowerer::xdecref(llvm::Value *obj) {
  auto *some = llvm::BasicBlock::Create(m_ms.ctx, "xdecref", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "xdecref.done", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(obj), cont, some);
  m_b.SetInsertPoint(some);
  decref(obj);
  m_b.CreateBr(cont);
  m_b.SetInsertPoint(cont);
}

void FunctionLowerer::cleanup_objects() {
  for (auto &[list, items] : m_restores) {  // a list.sort left by an error: its items go back
    llvm::Value *l = m_b.CreateLoad(m_b.getPtrTy(), list, "sorting");
    auto *put = llvm::BasicBlock::Create(m_ms.ctx, "sort.restore", m_fn);
    auto *done = llvm::BasicBlock::Create(m_ms.ctx, "sort.restored", m_fn);
    m_b.CreateCondBr(m_b.CreateIsNull(l), done, put);
    m_b.SetInsertPoint(put);
    m_b.CreateCall(capi("pv_list_restore", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getPtrTy()}),
                   {l, m_b.CreateLoad(m_b.getPtrTy(), items)});
    m_b.CreateBr(done);
    m_b.SetInsertPoint(done);
  }
  for (llvm::AllocaInst *slot : m_obj_slots) xdecref(m_b.CreateLoad(m_b.getPtrTy(), slot));
  free_buffers();
}

void FunctionLowerer::mark_effect(const Expr *receiver) {
  if (receiver && receiver->kind == ExprKind::Name &&
      (m_private.count(static_cast<const Name &>(*receiver).id) || m_item_aliases.count(static_cast<const Name &>(*receiver).id)))
    return;
  if (receiver && receiver->kind == ExprKind::Subscript) {  // an item of a container whose items are its own
    auto &s = static_cast<const Subscript &>(*receiver);
    if (s.slice->kind != ExprKind::Slice && s.value->kind == ExprKind::Name && m_deep_private.count(static_cast<const Name &>(*s.value).id))
      return;
  }
  m_unit.has_effects = true;
  // a local flag (a register in loops), copied to ctx->effects at every exit (flush_effects)
  if (!m_effects) m_effects = entry_slot(m_b.getInt1Ty(), "effects", m_b.getFalse());
  // In a loop with NumPy float tests, an effect that is the store into memory just made (an
  // array's element): fe_first_effects reads the tests and flags before it. Any other effect
  // (a call, or a store followed by more code) has run already: no test, the flag set below
  // tells later ones it is too late to rerun.
  if (m_fpe && !m_loops.empty() && m_b.GetInsertPoint() != m_b.GetInsertBlock()->begin())
    if (auto *st = llvm::dyn_cast<llvm::StoreInst>(&*std::prev(m_b.GetInsertPoint()));
        st && !llvm::isa<llvm::AllocaInst>(st->getPointerOperand()->stripPointerCasts()))
      m_fe_loop.effects.push_back(st);
  m_b.CreateStore(m_b.getTrue(), m_effects);
}

void FunctionLowerer::flush_effects() {
  if (!m_effects) return;
  llvm::Value *ptr = m_b.CreateStructGEP(m_ms.ctx_type, m_ctx, 7, "effects.ptr");
  llvm::Value *old = m_b.CreateLoad(m_b.getInt32Ty(), ptr, "effects.old");
  m_b.CreateStore(m_b.CreateSelect(m_b.CreateLoad(m_b.getInt1Ty(), m_effects, "effects"), m_b.getInt32(1), old), ptr);
}

llvm::Value *FunctionLowerer::py_global(const std::string &name) {
  return m_ms.module.getOrInsertGlobal(name, m_b.getInt8Ty());
}

llvm::FunctionCallee FunctionLowerer::capi(const std::string &name, llvm::Type *ret, std::vector<llvm::Type *> params) {
  llvm::FunctionCallee f = m_ms.module.getOrInsertFunction(name, llvm::FunctionType::get(ret, params, false));
  if (auto *fn = llvm::dyn_cast<llvm::Function>(f.getCallee())) fn->setDoesNotThrow();
  return f;
}

void FunctionLowerer::python_error(int line) {
  m_b.CreateCall(capi("pv_python_error", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt32Ty()}),
                 {m_ctx, m_fname, line_const(line)});
  m_b.CreateBr(m_unwind);
}

void FunctionLowerer::fail_if_null(llvm::Value *v, int line) {
  auto *err = llvm::BasicBlock::Create(m_ms.ctx, "pyerr", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "ok", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateIsNull(v), err, cont, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(err);
  python_error(line);
  m_b.SetInsertPoint(cont);
}

llvm::Value *FunctionLowerer::call_obj(const std::string &name, std::vector<llvm::Value *> args, int line) {
  std::vector<llvm::Type *> params;
  for (auto *a : args) params.push_back(a->getType());
  if (!m_loops.empty()) fe_note();  // NumPy, which may run here, clears the CPU's flags first
  llvm::Value *v = m_b.CreateCall(capi(name, m_b.getPtrTy(), params), args);
  if (unit_tests_fe_flags()) fe_clear(0x9);  // what NumPy leaves set is not this code's
  fail_if_null(v, line);
  return own(v);
}

llvm::Value *FunctionLowerer::call_int(const std::string &name, std::vector<llvm::Value *> args, int line) {
  std::vector<llvm::Type *> params;
  for (auto *a : args) params.push_back(a->getType());
  if (!m_loops.empty()) fe_note();
  llvm::Value *v = m_b.CreateCall(capi(name, m_b.getInt32Ty(), params), args);
  if (unit_tests_fe_flags()) fe_clear(0x9);
  auto *err = llvm::BasicBlock::Create(m_ms.ctx, "pyerr", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "ok", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateICmpSLT(v, m_b.getInt32(0)), err, cont, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(err);
  python_error(line);
  m_b.SetInsertPoint(cont);
  return v;
}

llvm::Value *FunctionLowerer::site_cache() {
  return new llvm::GlobalVariable(m_ms.module, m_b.getPtrTy(), false, llvm::GlobalValue::PrivateLinkage,
                                  llvm::ConstantPointerNull::get(m_b.getPtrTy()), "pycache");
}

llvm::Value *FunctionLowerer::builtin_object(const std::string &name, int line) {
  llvm::Value *f = m_b.CreateCall(capi("pv_builtin", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy()}),
                                  {site_cache(), m_ms.string(name)});
  fail_if_null(f, line);
  return f;
}

llvm::Value *FunctionLowerer::global_object(const std::string &name, int line) {
  llvm::Value *dict = m_ms.load_time("pv.globals." + std::to_string(m_spec.fn_index));  // the function's globals dict
  llvm::Value *v = m_b.CreateCall(capi("pv_global", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getPtrTy()}),
                                  {site_cache(), dict, m_ms.string(name)});
  fail_if_null(v, line);
  return v;
}

llvm::Value *FunctionLowerer::get_attr(llvm::Value *obj, const std::string &name, int line) {
  return call_obj("PyObject_GetAttr", {obj, str_object(name)}, line);
}

llvm::Value *FunctionLowerer::str_object(const std::string &utf8) {
  return m_b.CreateCall(capi("pv_str_const", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt64Ty()}),
                        {site_cache(), m_ms.string(utf8), m_b.getInt64(utf8.size())});
}

llvm::Value *FunctionLowerer::obj_type(llvm::Value *obj) {
  return m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, 8), "ob_type");
}

llvm::Value *FunctionLowerer::ob_size(llvm::Value *obj) {
  return m_b.CreateLoad(m_b.getInt64Ty(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, 16), "ob_size");
}

llvm::Value *FunctionLowerer::list_items(llvm::Value *list) {
  return m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), list, 24), "ob_item");
}

llvm::Value *FunctionLowerer::tuple_item_ptr(llvm::Value *tuple, llvm::Value *index) {
  return m_b.CreateGEP(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), tuple, 24), index);
}

// ---- boxing and unboxing ----

llvm::Value *FunctionLowerer::to_object(llvm::Value *v, Ty from) {
  if (is_object(from)) return v;
  if (is_np_scalar(from)) return np_box(v, from, 0);
  if (from == Ty::Complex) return complex_box(v, 0);
  switch (from.kind()) {
    case Kind::Int: case Kind::Float: {
      const char *make = from == Ty::Int ? "PyLong_FromLongLong" : "PyFloat_FromDouble";
      auto it = m_float_load.find(v);
      if (it == m_float_load.end()) return call_obj(make, {v}, 0);
      // The variable's box (the object it was read from, or its first box), when the variable
      // still holds this value: a walrus may have changed it since this load.
      const Var &var = *it->second;
      llvm::Value *cur = m_b.CreateLoad(v->getType(), var.slot, "current");
      llvm::Value *same = m_b.CreateICmpEQ(m_b.CreateBitCast(cur, m_b.getInt64Ty()), m_b.CreateBitCast(v, m_b.getInt64Ty()));
      llvm::Value *box = m_b.CreateLoad(m_b.getPtrTy(), var.shadow, "box");
      auto *fresh = llvm::BasicBlock::Create(m_ms.ctx, "box.new", m_fn);
      auto *reuse = llvm::BasicBlock::Create(m_ms.ctx, "box.reuse", m_fn);
      auto *done = llvm::BasicBlock::Create(m_ms.ctx, "box.done", m_fn);
      m_b.CreateCondBr(m_b.CreateAnd(same, m_b.CreateIsNotNull(box)), reuse, fresh);
      m_b.SetInsertPoint(reuse);
      incref(box);
      llvm::BasicBlock *reuse_end = m_b.GetInsertBlock();
      m_b.CreateBr(done);
      m_b.SetInsertPoint(fresh);
      llvm::Value *nb = m_b.CreateCall(capi(make, m_b.getPtrTy(), {v->getType()}), {v});
      fail_if_null(nb, 0);
      auto *cache = llvm::BasicBlock::Create(m_ms.ctx, "box.cache", m_fn);
      auto *cached = llvm::BasicBlock::Create(m_ms.ctx, "box.cached", m_fn);
      m_b.CreateCondBr(same, cache, cached);  // same value: the shadow was empty; keep the box there
      m_b.SetInsertPoint(cache);
      incref(nb);  // one reference for the variable's box, one for this use
      m_b.CreateStore(nb, var.shadow);
      m_b.CreateBr(cached);
      m_b.SetInsertPoint(cached);
      llvm::BasicBlock *fresh_end = m_b.GetInsertBlock();
      m_b.CreateBr(done);
      m_b.SetInsertPoint(done);
      llvm::PHINode *phi = m_b.CreatePHI(m_b.getPtrTy(), 2, "boxed");
      phi->addIncoming(box, reuse_end);
      phi->addIncoming(nb, fresh_end);
      return own(phi);
    }
    case Kind::Bool: {
      llvm::Value *o = m_b.CreateSelect(v, py_global("_Py_TrueStruct"), py_global("_Py_FalseStruct"));
      incref(o);
      return own(o);
    }
    default: {
      llvm::Value *o = py_global("_Py_NoneStruct");
      incref(o);
      return own(o);
    }
  }
}

llvm::Value *FunctionLowerer::type_check(llvm::Value *obj, Ty t) {
  if (t.kind() == Kind::Optional)
    return m_b.CreateOr(m_b.CreateICmpEQ(obj, py_global("_Py_NoneStruct")), type_check(obj, t.elem()));
  if (t.kind() == Kind::None) return m_b.CreateICmpEQ(obj, py_global("_Py_NoneStruct"));
  if (is_array(t)) {
    llvm::Value *ok = m_b.CreateCall(capi("pv_np_is_array", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getInt32Ty(), m_b.getInt32Ty(), m_b.getInt32Ty()}),
                                     {obj, m_b.getInt32(int(t.dtype())), m_b.getInt32(t.ndim()), m_b.getInt32(int(t.layout()))});
    return m_b.CreateICmpNE(ok, m_b.getInt32(0));
  }
  const char *type_name = kind_type_object(t);
  if (!type_name) return m_b.getTrue();  // an iterable: any object
  llvm::Value *ok = m_b.CreateICmpEQ(obj_type(obj), py_global(type_name));
  if (t.kind() != Kind::Tuple) return ok;
  // a tuple of the compiled length: its items are checked where they are read
  auto *sized = llvm::BasicBlock::Create(m_ms.ctx, "tuple.len", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "tuple.checked", m_fn);
  llvm::BasicBlock *from = m_b.GetInsertBlock();
  m_b.CreateCondBr(ok, sized, done);
  m_b.SetInsertPoint(sized);
  llvm::Value *len_ok = m_b.CreateICmpEQ(ob_size(obj), m_b.getInt64(t.args().size()));
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  llvm::PHINode *phi = m_b.CreatePHI(m_b.getInt1Ty(), 2);
  phi->addIncoming(m_b.getFalse(), from);
  phi->addIncoming(len_ok, sized);
  return phi;
}

void FunctionLowerer::guard(llvm::Value *ok, llvm::Value *obj, Ty t, int line) {
  auto *bad = llvm::BasicBlock::Create(m_ms.ctx, "guard.failed", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "guard.ok", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(ok, cont, bad, md.createBranchWeights(1u << 20, 1));
  m_b.SetInsertPoint(bad);
  m_b.CreateCall(capi("pv_guard_failed", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt32Ty()}),
                 {m_ctx, obj, m_ms.string(ty_name(t)), m_fname, line_const(line)});
  m_b.CreateBr(m_unwind);
  m_b.SetInsertPoint(cont);
}

llvm::Value *FunctionLowerer::from_object(llvm::Value *obj, Ty t, int line, bool owned, bool keep_source) {
  if (is_object(t)) {
    guard(type_check(obj, t), obj, t, line);
    if (owned) return obj;
    incref(obj);
    return own(obj);
  }
  llvm::Value *v = nullptr;
  if (t == Ty::Complex) {
    v = complex_unbox(obj, line);
    if (owned) release(obj);
    return v;
  }
  if (is_np_scalar(t)) {
    v = np_unbox(obj, t, line);
    if (owned) release(obj);
    return v;
  }
  switch (t.kind()) {
    case Kind::Int: {
      // one 30-bit digit or none inline; anything else through the runtime (which guards)
      llvm::Value *is_int = m_b.CreateICmpEQ(obj_type(obj), py_global("PyLong_Type"));
      llvm::Value *size = ob_size(obj);
      llvm::Value *small = m_b.CreateICmpULE(m_b.CreateAdd(size, m_b.getInt64(1)), m_b.getInt64(2));
      auto *fast = llvm::BasicBlock::Create(m_ms.ctx, "unbox.int", m_fn);
      auto *slow = llvm::BasicBlock::Create(m_ms.ctx, "unbox.slow", m_fn);
      auto *done = llvm::BasicBlock::Create(m_ms.ctx, "unboxed", m_fn);
      llvm::MDBuilder md(m_ms.ctx);
      m_b.CreateCondBr(m_b.CreateAnd(is_int, small), fast, slow, md.createBranchWeights(1u << 10, 1));
      m_b.SetInsertPoint(fast);
      llvm::Value *digit = m_b.CreateZExt(
          m_b.CreateLoad(m_b.getInt32Ty(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, 24), "digit"), m_b.getInt64Ty());
      llvm::Value *fv = m_b.CreateMul(size, digit);
      m_b.CreateBr(done);
      m_b.SetInsertPoint(slow);
      llvm::Value *sv = m_b.CreateCall(capi("pv_unbox_int", m_b.getInt64Ty(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt32Ty()}),
                                       {m_ctx, obj, m_fname, line_const(line)});
      check_status();
      llvm::BasicBlock *slow_end = m_b.GetInsertBlock();
      m_b.CreateBr(done);
      m_b.SetInsertPoint(done);
      llvm::PHINode *phi = m_b.CreatePHI(m_b.getInt64Ty(), 2);
      phi->addIncoming(fv, fast);
      phi->addIncoming(sv, slow_end);
      v = phi;
      break;
    }
    case Kind::Float:
      guard(m_b.CreateICmpEQ(obj_type(obj), py_global("PyFloat_Type")), obj, t, line);
      v = m_b.CreateLoad(m_b.getDoubleTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, 16), "fval");
      if (!owned && keep_source) m_float_source[v] = obj;  // a float variable may keep the object
      break;
    case Kind::Bool: {
      llvm::Value *is_true = m_b.CreateICmpEQ(obj, py_global("_Py_TrueStruct"));
      guard(m_b.CreateOr(is_true, m_b.CreateICmpEQ(obj, py_global("_Py_FalseStruct"))), obj, t, line);
      v = is_true;
      break;
    }
    default:  // None
      guard(m_b.CreateICmpEQ(obj, py_global("_Py_NoneStruct")), obj, t, line);
      v = none_value();
      break;
  }
  if (owned) release(obj);
  return v;
}

// T | None used as a T: CPython's TypeError when it is None.
llvm::Value *FunctionLowerer::unwrap(llvm::Value *obj, Ty t, const std::string &message, int line) {
  llvm::Value *is_none = m_b.CreateICmpEQ(obj, py_global("_Py_NoneStruct"));
  raise_if(is_none, PV_TYPE_ERROR, message, line);
  return from_object(obj, t, line, true);
}

llvm::Value *FunctionLowerer::obj_truthy(llvm::Value *obj, Ty t, int line) {
  if (is_sequence(t)) return m_b.CreateICmpNE(ob_size(obj), m_b.getInt64(0));
  if (t.kind() == Kind::None) return m_b.getFalse();
  llvm::Value *r = call_int("PyObject_IsTrue", {obj}, line);
  return m_b.CreateICmpNE(r, m_b.getInt32(0));
}

// ---- expressions ----

llvm::Value *FunctionLowerer::obj_expr(const Expr &e) {
  switch (e.kind) {
    case ExprKind::Tuple: case ExprKind::List: case ExprKind::Set: case ExprKind::Dict: return display(e);
    case ExprKind::Subscript: return subscript(static_cast<const Subscript &>(e));
    case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp:
      return comprehension(static_cast<const Comp &>(e));
    default: return none_value();
  }
}

// Displays: every element is evaluated first, in order, then the container is built.
// Whether CPython's compiler folds a display's items into one constant (three or more items, each
// a constant after its AST optimiser: literals, tuples of them, arithmetic on them).
bool folded_constant_display(const std::vector<ExprPtr> &elts) {
  std::function<bool(const Expr &)> constant = [&](const Expr &x) {
    switch (x.kind) {
      case ExprKind::Constant: return true;
      case ExprKind::UnaryOp: return static_cast<const UnaryOp &>(x).op != UnaryOpKind::Not && constant(*static_cast<const UnaryOp &>(x).operand);
      case ExprKind::BinOp: return constant(*static_cast<const BinOp &>(x).left) && constant(*static_cast<const BinOp &>(x).right);
      case ExprKind::Tuple:
        for (auto &y : static_cast<const Tuple &>(x).elts)
          if (!constant(*y)) return false;
        return true;
      default: return false;
    }
  };
  if (elts.size() < 3) return false;
  for (auto &x : elts)
    if (!constant(*x)) return false;
  return true;
}

llvm::Value *FunctionLowerer::display(const Expr &e) {
  int line = e.range.line;
  Ty t = type(e);
  if (e.kind == ExprKind::Dict) {
    auto &d = static_cast<const Dict &>(e);
    std::vector<llvm::Value *> kv;
    for (size_t i = 0; i < d.values.size(); ++i) {
      kv.push_back(to_object(expr(*d.keys[i]), type(*d.keys[i])));
      kv.push_back(to_object(expr(*d.values[i]), type(*d.values[i])));
    }
    set_loc(e.range);
    llvm::Value *dict = call_obj("PyDict_New", {}, line);
    for (size_t i = 0; i < kv.size(); i += 2) {
      call_int("PyDict_SetItem", {dict, kv[i], kv[i + 1]}, line);
      release(kv[i]);
      release(kv[i + 1]);
    }
    return dict;
  }
  const auto &elts = e.kind == ExprKind::Tuple ? static_cast<const Tuple &>(e).elts
                     : e.kind == ExprKind::List ? static_cast<const List &>(e).elts
                                                : static_cast<const SetExpr &>(e).elts;
  std::vector<llvm::Value *> items;
  for (auto &x : elts) items.push_back(to_object(expr(*x), type(*x)));
  set_loc(e.range);
  if (e.kind == ExprKind::Set && folded_constant_display(elts)) {
    // As CPython compiles it: a set updated from a frozenset constant, whose table (and so the
    // iteration order) can differ from the one adds build. The compiler makes that frozenset from
    // the items, then again from its own order as it merges the code's constants.
    llvm::Value *tuple = call_obj("PyTuple_New", {m_b.getInt64(items.size())}, line);
    for (size_t i = 0; i < items.size(); ++i) {
      m_b.CreateStore(items[i], tuple_item_ptr(tuple, m_b.getInt64(i)));
      forget(items[i]);
    }
    llvm::Value *first = call_obj("PyFrozenSet_New", {tuple}, line);
    release(tuple);
    llvm::Value *again = call_obj("PySequence_Tuple", {first}, line);
    release(first);
    llvm::Value *frozen = call_obj("PyFrozenSet_New", {again}, line);
    release(again);
    llvm::Value *set = call_obj("PySet_New", {frozen}, line);
    release(frozen);
    return set;
  }
  if (e.kind == ExprKind::Set) {
    llvm::Value *set = call_obj("PySet_New", {llvm::ConstantPointerNull::get(m_b.getPtrTy())}, line);
    for (auto *x : items) {
      call_int("PySet_Add", {set, x}, line);
      release(x);
    }
    return set;
  }
  (void)t;
  bool list = e.kind == ExprKind::List;
  llvm::Value *obj = call_obj(list ? "PyList_New" : "PyTuple_New", {m_b.getInt64(items.size())}, line);
  llvm::Value *base = list ? list_items(obj) : nullptr;
  for (size_t i = 0; i < items.size(); ++i) {
    llvm::Value *slot = list ? m_b.CreateConstGEP1_64(m_b.getPtrTy(), base, i) : tuple_item_ptr(obj, m_b.getInt64(i));
    m_b.CreateStore(items[i], slot);  // the container steals the reference
    forget(items[i]);
  }
  return obj;
}

// Python's index i into n items as 0 <= k < n, or IndexError(message): one unsigned compare on the
// hot path; a negative index is counted from the end off it.
llvm::Value *FunctionLowerer::checked_index(llvm::Value *i, llvm::Value *n, const std::string &message, int line) {
  llvm::BasicBlock *hot = m_b.GetInsertBlock();
  auto *negative = llvm::BasicBlock::Create(m_ms.ctx, "index.negative", m_fn);
  auto *ok = llvm::BasicBlock::Create(m_ms.ctx, "index.ok", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateICmpULT(i, n), ok, negative, md.createBranchWeights(1u << 20, 1));
  m_b.SetInsertPoint(negative);
  llvm::Value *back = m_b.CreateAdd(i, n, "index.back");
  raise_if(m_b.CreateOr(m_b.CreateICmpSGE(i, m_b.getInt64(0)), m_b.CreateICmpUGE(back, n)), PV_INDEX_ERROR, message, line);
  llvm::BasicBlock *adjusted = m_b.GetInsertBlock();
  m_b.CreateBr(ok);
  m_b.SetInsertPoint(ok);
  llvm::PHINode *k = m_b.CreatePHI(m_b.getInt64Ty(), 2, "index");
  k->addIncoming(i, hot);
  k->addIncoming(back, adjusted);
  return k;
}

llvm::Value *FunctionLowerer::index_value(const Expr &idx, int line) {
  (void)line;
  return to_int(expr(idx), type(idx));
}

llvm::Value *FunctionLowerer::slice_object(const Slice &s, int line) {
  llvm::Value *parts[3];
  const Expr *exprs[3] = {s.lower.get(), s.upper.get(), s.step.get()};
  for (int i = 0; i < 3; ++i)
    parts[i] = exprs[i] ? to_object(expr(*exprs[i]), type(*exprs[i])) : llvm::ConstantPointerNull::get(m_b.getPtrTy());
  llvm::Value *slice = call_obj("PySlice_New", {parts[0], parts[1], parts[2]}, line);
  for (auto *p : parts) release(p);
  return slice;
}

llvm::Value *FunctionLowerer::subscript(const Subscript &e) {
  int line = e.range.line;
  if (auto *nl = native_list(*e.value); nl && e.slice->kind != ExprKind::Slice) return native_load(*nl, e);
  if (auto *nt = native_table(*e.value); nt && e.slice->kind != ExprKind::Slice) return table_get(*nt, e);
  Ty ct = type(*e.value), rt = type(e);
  if (is_array(ct)) return array_subscript(e);
  if (e.value->kind == ExprKind::Attribute && is_array(type(*static_cast<const Attribute &>(*e.value).value)) &&
      e.slice->kind != ExprKind::Slice && (type(*e.slice) == Ty::Int || type(*e.slice) == Ty::Bool)) {
    const std::string &attr = static_cast<const Attribute &>(*e.value).attr;
    if (attr == "shape" || attr == "strides") return shape_item(e);  // a.shape[0]
  }
  llvm::Value *c = expr(*e.value);
  if (e.slice->kind == ExprKind::Slice) {
    llvm::Value *slice = slice_object(static_cast<const Slice &>(*e.slice), line);
    set_loc(e.range);
    llvm::Value *r = call_obj("PyObject_GetItem", {c, slice}, line);
    release(slice);
    release(c);
    return from_object(r, rt, line, true);
  }
  if (ct == Ty::Str || is_byte_buffer(ct)) return text_item(e);
  if (is_sequence(ct)) {
    llvm::Value *i = index_value(*e.slice, line);
    set_loc(e.range);
    llvm::Value *k = checked_index(i, ob_size(c), ct.kind() == Kind::List ? "list index out of range" : "tuple index out of range", line);
    llvm::Value *slot = ct.kind() == Kind::List ? m_b.CreateGEP(m_b.getPtrTy(), list_items(c), k) : tuple_item_ptr(c, k);
    llvm::Value *item = m_b.CreateLoad(m_b.getPtrTy(), slot, "item");
    llvm::Value *v = from_object(item, rt, line, false, e.value->kind == ExprKind::Name);  // a variable's list outlives the store
    release(c);
    return v;
  }
  llvm::Value *key = to_object(expr(*e.slice), type(*e.slice));
  set_loc(e.range);
  if (ct.kind() == Kind::Dict) {  // an exact dict: the lookup itself; KeyError(key) when missing
    llvm::BasicBlock *absent = nullptr;
    llvm::Value *r = dict_lookup(c, key, line, absent);
    llvm::BasicBlock *found = m_b.GetInsertBlock();
    m_b.SetInsertPoint(absent);
    m_b.CreateCall(capi("_PyErr_SetKeyError", m_b.getVoidTy(), {m_b.getPtrTy()}), {key});
    python_error(line);
    m_b.SetInsertPoint(found);
    llvm::Value *v = from_object(r, rt, line, false);  // borrowed from the dict
    release(key);
    release(c);
    return v;
  }
  llvm::Value *r = call_obj("PyObject_GetItem", {c, key}, line);
  release(key);
  release(c);
  return from_object(r, rt, line, true);
}

// d[key] for an exact dict: the value (borrowed from the dict) where the key is present; a
// lookup that raised (an unhashable key, a failing __eq__) unwinds; `absent` is the block where
// the key is missing, with no exception set, for the caller to fill.
llvm::Value *FunctionLowerer::dict_lookup(llvm::Value *d, llvm::Value *key, int line, llvm::BasicBlock *&absent) {
  llvm::Value *r = m_b.CreateCall(capi("PyDict_GetItemWithError", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {d, key});
  auto *missing = llvm::BasicBlock::Create(m_ms.ctx, "key.missing", m_fn);
  auto *found = llvm::BasicBlock::Create(m_ms.ctx, "key.found", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(r), missing, found);
  m_b.SetInsertPoint(missing);
  llvm::Value *err = m_b.CreateCall(capi("PyErr_Occurred", m_b.getPtrTy(), {}), {});
  absent = llvm::BasicBlock::Create(m_ms.ctx, "key.absent", m_fn);
  auto *failed = llvm::BasicBlock::Create(m_ms.ctx, "lookup.error", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(err), absent, failed);
  m_b.SetInsertPoint(failed);
  python_error(line);
  m_b.SetInsertPoint(found);
  return r;
}

void FunctionLowerer::assign_target(const Expr &t, llvm::Value *v, Ty vt, int line) {
  switch (t.kind) {
    case ExprKind::Name: store_var(static_cast<const Name &>(t).id, v, vt); return;
    case ExprKind::Subscript: {
      auto &s = static_cast<const Subscript &>(t);
      if (auto *nl = native_list(*s.value)) {
        native_store(*nl, s, v, vt, line);
        return;
      }
      if (auto *nt = native_table(*s.value)) {
        llvm::Value *key = table_key(*nt, *s.slice, line);
        set_loc(t.range);
        table_store(*nt, key, v, vt, line);
        return;
      }
      Ty ct = type(*s.value);
      if (is_array(ct)) {
        array_store(s, v, vt, line);
        return;
      }
      llvm::Value *c = expr(*s.value);
      llvm::Value *val = to_object(v, vt);
      set_loc(t.range);
      if (s.slice->kind == ExprKind::Slice) {
        llvm::Value *slice = slice_object(static_cast<const Slice &>(*s.slice), line);
        call_int("PyObject_SetItem", {c, slice, val}, line);
        release(slice);
      } else if (ct.kind() == Kind::List) {
        llvm::Value *i = index_value(*s.slice, line);
        set_loc(t.range);
        llvm::Value *k = checked_index(i, ob_size(c), "list assignment index out of range", line);
        llvm::Value *slot = m_b.CreateGEP(m_b.getPtrTy(), list_items(c), k);
        llvm::Value *old = m_b.CreateLoad(m_b.getPtrTy(), slot, "old");
        m_b.CreateStore(val, slot);
        forget(val);
        mark_effect(s.value.get());
        decref(old);
        release(c);
        return;
      } else {
        llvm::Value *key = to_object(expr(*s.slice), type(*s.slice));
        set_loc(t.range);
        call_int(ct.kind() == Kind::Dict ? "PyDict_SetItem" : "PyObject_SetItem", {c, key, val}, line);
        release(key);
      }
      mark_effect(s.value.get());
      release(val);
      release(c);
      return;
    }
    case ExprKind::Tuple: case ExprKind::List: {
      const auto &elts = t.kind == ExprKind::Tuple ? static_cast<const Tuple &>(t).elts : static_cast<const List &>(t).elts;
      size_t star = elts.size();
      for (size_t i = 0; i < elts.size(); ++i)
        if (elts[i]->kind == ExprKind::Starred) star = i;
      llvm::Value *obj = to_object(v, vt);
      llvm::Value *tuple = obj;
      Ty tt = vt;
      if (!(vt.kind() == Kind::Tuple && star == elts.size() && vt.args().size() == elts.size())) {
        bool starred = star < elts.size();
        int64_t before = int64_t(starred ? star : elts.size()), after = int64_t(starred ? elts.size() - star - 1 : 0);
        tuple = call_obj("pv_unpack", {obj, m_b.getInt64(uint64_t(before)), m_b.getInt64(uint64_t(after)), m_b.getInt32(starred)},
                         line);
        release(obj);
        std::vector<Ty> items;
        // the element types the targets were typed with (infer's assign_target)
        for (size_t i = 0; i < elts.size(); ++i) {
          const Expr &x = i == star ? *static_cast<const Starred &>(*elts[i]).value : *elts[i];
          Ty xt = Ty::Bottom;
          if (vt.kind() == Kind::Tuple) {
            if (i == star) {
              xt = Ty::Bottom;
              size_t after_n = elts.size() - star - 1;
              for (size_t k = star; k + after_n < vt.args().size(); ++k) xt = join(xt, vt.args()[k]);
              xt = Ty::list(xt);
            } else {
              xt = vt.args()[i < star ? i : vt.args().size() - (elts.size() - i)];
            }
          } else {
            // (Bottom: the item of an empty list argument, `for a, b in []`; the loop body never runs)
            Ty el = vt.kind() == Kind::Dict ? vt.args()[0] : vt.kind() == Kind::Range ? Ty::Int : vt == Ty::Str ? Ty::Str
                    : vt.args().empty() ? Ty::Bottom : vt.elem();
            xt = i == star ? Ty::list(el) : el;
          }
          (void)x;
          items.push_back(xt);
        }
        tt = Ty::tuple(items);
      }
      // read every item first (UNPACK_SEQUENCE), then assign left to right
      std::vector<llvm::Value *> values;
      for (size_t i = 0; i < elts.size(); ++i) {
        llvm::Value *item = m_b.CreateLoad(m_b.getPtrTy(), tuple_item_ptr(tuple, m_b.getInt64(i)));
        values.push_back(from_object(item, tt.args()[i], line, false));
      }
      release(tuple);
      for (size_t i = 0; i < elts.size(); ++i) {
        const Expr &x = i == star ? *static_cast<const Starred &>(*elts[i]).value : *elts[i];
        assign_target(x, values[i], tt.args()[i], line);
      }
      return;
    }
    default: return;
  }
}

void FunctionLowerer::delete_target(const Expr &t) {
  auto &s = static_cast<const Subscript &>(t);
  int line = t.range.line;
  if (auto *nt = native_table(*s.value)) {
    table_delete(*nt, s);
    return;
  }
  llvm::Value *c = expr(*s.value);
  llvm::Value *key = s.slice->kind == ExprKind::Slice ? slice_object(static_cast<const Slice &>(*s.slice), line)
                                                        : to_object(expr(*s.slice), type(*s.slice));
  set_loc(t.range);
  call_int("PyObject_DelItem", {c, key}, line);
  mark_effect(s.value.get());
  release(key);
  release(c);
}

llvm::Value *FunctionLowerer::obj_binop(const BinOp &e, llvm::Value *l, llvm::Value *r, Ty lt, Ty rt) {
  int line = e.range.line;
  Ty res = type(e);
  llvm::Value *lo = to_object(l, lt), *ro = to_object(r, rt);
  const char *fn = nullptr;
  switch (e.op) {
    case Op::Add: fn = e.inplace ? "PyNumber_InPlaceAdd" : "PyNumber_Add"; break;
    case Op::Mult: fn = e.inplace ? "PyNumber_InPlaceMultiply" : "PyNumber_Multiply"; break;
    case Op::Sub: fn = e.inplace ? "PyNumber_InPlaceSubtract" : "PyNumber_Subtract"; break;
    case Op::BitOr: fn = e.inplace ? "PyNumber_InPlaceOr" : "PyNumber_Or"; break;
    case Op::BitAnd: fn = e.inplace ? "PyNumber_InPlaceAnd" : "PyNumber_And"; break;
    case Op::BitXor: fn = e.inplace ? "PyNumber_InPlaceXor" : "PyNumber_Xor"; break;
    case Op::Mod: fn = e.inplace ? "PyNumber_InPlaceRemainder" : "PyNumber_Remainder"; break;  // str % values
    default: fn = "PyNumber_Add"; break;
  }
  llvm::Value *v = call_obj(fn, {lo, ro}, line);
  if (e.inplace && (lt.kind() == Kind::List || lt.kind() == Kind::Set)) mark_effect(e.left.get());
  release(lo);
  release(ro);
  return from_object(v, res, line, true);
}

llvm::Value *FunctionLowerer::obj_compare(const Compare &e) {
  int line = e.range.line;
  Ty lt = type(*e.left), rt = type(*e.comparators[0]);
  CmpOp op = e.ops[0];
  if (llvm::Value *c = char_compare(e)) return c;
  llvm::Value *l = expr(*e.left);
  llvm::Value *r = expr(*e.comparators[0]);
  set_loc(e.range);
  if (op == CmpOp::Is || op == CmpOp::IsNot) {
    llvm::Value *same;
    if (!is_object(lt) && !is_object(rt)) {
      same = m_b.getInt1(lt == rt);
    } else if (!is_object(lt) || !is_object(rt)) {
      // an unboxed value is never the same object as None; vs an object: compare as objects
      Ty ot = is_object(lt) ? lt : rt;
      Ty st = is_object(lt) ? rt : lt;
      llvm::Value *o = is_object(lt) ? l : r;
      if (st == Ty::None)
        same = m_b.CreateICmpEQ(o, py_global("_Py_NoneStruct"));
      else {
        llvm::Value *so = to_object(is_object(lt) ? r : l, st);
        same = m_b.CreateICmpEQ(o, so);
        release(so);
      }
      (void)ot;
    } else {
      same = m_b.CreateICmpEQ(l, r);
    }
    release(l);
    release(r);
    return op == CmpOp::Is ? same : m_b.CreateNot(same);
  }
  if ((op == CmpOp::Eq || op == CmpOp::NotEq) && lt == Ty::Str && rt == Ty::Str) {
    llvm::Value *eq = m_b.CreateICmpNE(m_b.CreateCall(capi("pv_str_eq", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getPtrTy()}), {l, r}),
                                       m_b.getInt32(0));
    release(l);
    release(r);
    return op == CmpOp::Eq ? eq : m_b.CreateNot(eq);
  }
  llvm::Value *lo = to_object(l, lt), *ro = to_object(r, rt);
  llvm::Value *result;
  if (op == CmpOp::In || op == CmpOp::NotIn) {
    const char *contains = rt.kind() == Kind::Dict ? "PyDict_Contains" : rt.kind() == Kind::Set ? "PySet_Contains" : "PySequence_Contains";
    llvm::Value *c = call_int(contains, {ro, lo}, line);
    result = m_b.CreateICmpNE(c, m_b.getInt32(0));
    if (op == CmpOp::NotIn) result = m_b.CreateNot(result);
  } else {
    int code = op == CmpOp::Lt ? 0 : op == CmpOp::LtE ? 1 : op == CmpOp::Eq ? 2 : op == CmpOp::NotEq ? 3 : op == CmpOp::Gt ? 4 : 5;
    llvm::Value *o = call_obj("PyObject_RichCompare", {lo, ro, m_b.getInt32(uint32_t(code))}, line);
    llvm::Value *truth = call_int("PyObject_IsTrue", {o}, line);
    release(o);
    result = m_b.CreateICmpNE(truth, m_b.getInt32(0));
  }
  release(lo);
  release(ro);
  return result;
}
}  // namespace pyvorin
