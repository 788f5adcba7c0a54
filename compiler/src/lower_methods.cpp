// lower (objects: methods and builtins): a container method through its family's row (objects.h)
// with fast paths for list.append, set.add and dict.get; the builtins over containers (CPython's
// own, on boxed arguments, but len, isinstance, any/all over a generator expression and key=
// sorts, which are native); keys computed natively for sorted/min/max/list.sort.
#include <llvm/IR/MDBuilder.h>

#include "lower.h"
#include "objects.h"

namespace pyvorin {

using namespace ast;
// ---- methods and builtins ----

// A keyword argument as an object; `key=f` is the function object itself (a jitted function's
// dispatcher from the globals, or the builtin).
llvm::Value *FunctionLowerer::keyword_value(const Keyword &k, int line) {
  if (k.arg == "key" && ((k.value->kind == ExprKind::Name && !m_vars.count(static_cast<const Name &>(*k.value).id)) ||
                         k.value->kind == ExprKind::Attribute))
    return function_object(*k.value, line);
  return to_object(expr(*k.value), type(*k.value));
}

// A function named directly as a value (key=f, map(f, xs)): a jitted function's dispatcher from
// the globals, a builtin, or a str method (`str.lower`); a new reference.
llvm::Value *FunctionLowerer::function_object(const Expr &e, int line) {
  if (e.kind == ExprKind::Attribute) {  // str.lower
    auto &a = static_cast<const Attribute &>(e);
    llvm::Value *m = get_attr(builtin_object(static_cast<const Name &>(*a.value).id, line), a.attr, line);
    return m;
  }
  const std::string &id = static_cast<const Name &>(e).id;
  auto &globals = m_unit.sources[size_t(m_spec.fn_index)].request->globals;
  auto it = globals.find(id);
  llvm::Value *f = it != globals.end() && it->second.kind == Binding::Kind::Function ? global_object(id, line)
                                                                                     : builtin_object(id, line);
  incref(f);
  return own(f);
}

llvm::Value *FunctionLowerer::method(const Call &e, const CallTarget &target) {
  int line = e.range.line;
  auto &a = static_cast<const Attribute &>(*e.func);
  if (auto *nl = native_list(*a.value); nl && (a.attr == "append" || a.attr == "pop" || a.attr == "sort" || a.attr == "reverse"))
    return native_method(*nl, e, a.attr);
  if (auto *nt = native_table(*a.value); nt && e.keywords.empty()) {  // as native.cpp decides
    bool set_op = nt->kind == NativeKind::Set && (a.attr == "add" || a.attr == "discard" || a.attr == "remove") &&
                  e.args.size() == 1 && type(*e.args[0]) == nt->key;
    bool get = nt->kind == NativeKind::Dict && a.attr == "get" && e.args.size() == 2 && type(*e.args[0]) == nt->key &&
               type(*e.args[1]) == nt->value;
    if (set_op || get) return table_method(*nt, e, a.attr);
  }
  if (type(*a.value) == Ty::Str && e.keywords.empty())
    if (llvm::Value *r = str_method(e, a)) return r;
  const MethodRule *rule = target.rule;
  Ty self_t = type(*a.value);
  llvm::Value *self = expr(*a.value);
  std::vector<llvm::Value *> args{self};
  for (auto &x : e.args) args.push_back(to_object(expr(*x), type(*x)));
  std::string kwnames;
  const Expr *key_expr = nullptr;
  llvm::Value *reverse = nullptr;
  for (auto &k : e.keywords) {
    if (k.arg == "key" && (k.value->kind == ExprKind::Lambda || m_spec.key_calls.count(k.value.get()))) {
      key_expr = k.value.get();
      continue;
    }
    llvm::Value *kv = keyword_value(k, line);
    if (k.arg == "reverse") reverse = kv;
    args.push_back(kv);
    kwnames += (kwnames.empty() ? "" : ",") + k.arg;
  }
  set_loc(e.range);
  Ty rt = type(e);
  if (key_expr && a.attr == "sort" && self_t.kind() == Kind::List && native_key(*key_expr)) {
    // list.sort(key=...): the keys natively, then CPython's key sort of the list itself
    sort_by_key(self, self_t.elem(), *key_expr, reverse, line, true);
    mark_effect(a.value.get());
    for (auto *x : args) release(x);
    return none_value();
  }
  llvm::Value *kw = llvm::ConstantPointerNull::get(m_b.getPtrTy());
  if (!kwnames.empty())
    kw = m_b.CreateCall(capi("pv_kwnames", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {site_cache(), m_ms.string(kwnames)});
  llvm::Value *result;
  if (rule->capi && self_t.kind() == rule->family && args.size() == 2) {  // an exact receiver: the C API itself
    call_int(rule->capi, {self, args[1]}, line);
    result = nullptr;
  } else if (a.attr == "get" && self_t.kind() == Kind::Dict && e.keywords.empty()) {
    // dict.get: the lookup itself; the default (or None) when the key is missing
    llvm::BasicBlock *use_default = nullptr;
    llvm::Value *r = dict_lookup(self, args[1], line, use_default);
    llvm::BasicBlock *found = m_b.GetInsertBlock();
    auto *done = llvm::BasicBlock::Create(m_ms.ctx, "get.done", m_fn);
    m_b.CreateBr(done);
    m_b.SetInsertPoint(use_default);
    llvm::Value *dflt = args.size() > 2 ? args[2] : py_global("_Py_NoneStruct");
    m_b.CreateBr(done);
    m_b.SetInsertPoint(done);
    llvm::PHINode *phi = m_b.CreatePHI(m_b.getPtrTy(), 2, "got");
    phi->addIncoming(dflt, use_default);
    phi->addIncoming(r, found);
    incref(phi);  // a reference of our own: the dict's or the default's is borrowed
    result = own(phi);
  } else {
    llvm::Value *argv = object_array(args);
    size_t npos = 1 + e.args.size();
    result = call_obj("pv_call_method", {site_cache(), m_ms.string(a.attr), argv, m_b.getInt64(npos), kw}, line);
  }
  if (rule->mutates) mark_effect(a.value.get());
  for (auto *x : args) release(x);
  (void)self_t;
  if (!result) return none_value();
  if (rt == Ty::None) {
    release(result);
    return none_value();
  }
  return from_object(result, rt, line, true);
}

llvm::Value *FunctionLowerer::obj_builtin(const Call &e, const std::string &name) {
  int line = e.range.line;
  Ty rt = type(e);
  if (name == "len" && e.args.size() == 1) {
    if (auto *nl = native_list(*e.args[0])) return native_len(*nl);
    if (auto *nt = native_table(*e.args[0])) return table_len(*nt);
    Ty at = type(*e.args[0]);
    if (is_array(at) && at.ndim() >= 1) {  // the extent of axis 0 (a 0-d array: CPython's TypeError below)
      llvm::Value *holder;
      ArrayView v = array_view(*e.args[0], &holder);
      if (holder) release(holder);
      return v.shape[0];
    }
    llvm::Value *o = expr(*e.args[0]);
    set_loc(e.range);
    llvm::Value *n;
    if (is_sequence(at) || is_text(at) || at == Ty::ByteArray) {  // a str's length (in code points) and a bytes' size are at offset 16 too
      n = ob_size(o);
    } else {
      n = m_b.CreateCall(capi("PyObject_Size", m_b.getInt64Ty(), {m_b.getPtrTy()}), {o});
      auto *err = llvm::BasicBlock::Create(m_ms.ctx, "pyerr", m_fn);
      auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "ok", m_fn);
      m_b.CreateCondBr(m_b.CreateICmpSLT(n, m_b.getInt64(0)), err, cont);
      m_b.SetInsertPoint(err);
      python_error(line);
      m_b.SetInsertPoint(cont);
    }
    release(o);
    return n;
  }
  if (name == "isinstance") {
    // decided by the static type; `T | None` by a None test at run time
    Ty at = type(*e.args[0]);
    llvm::Value *o = expr(*e.args[0]);
    std::vector<std::string> names;
    const Expr &spec = *e.args[1];
    if (spec.kind == ExprKind::Name) names.push_back(static_cast<const Name &>(spec).id);
    if (spec.kind == ExprKind::Tuple)
      for (auto &x : static_cast<const Tuple &>(spec).elts)
        if (x->kind == ExprKind::Name) names.push_back(static_cast<const Name &>(*x).id);
    auto matches = [&](Ty t) {
      std::string n = py_type_name(t);
      for (auto &w : names)
        if (w == n || w == "object" || (w == "int" && t == Ty::Bool)) return true;
      return false;
    };
    llvm::Value *r;
    if (at.kind() == Kind::Optional) {
      r = m_b.CreateAnd(m_b.CreateICmpNE(o, py_global("_Py_NoneStruct")), m_b.getInt1(matches(at.elem())));
    } else {
      r = m_b.getInt1(matches(at));
    }
    release(o);
    return r;
  }
  if ((name == "any" || name == "all") && e.args.size() == 1 && e.args[0]->kind == ExprKind::GeneratorExp && e.keywords.empty())
    return any_all(static_cast<const Comp &>(*e.args[0]), name == "any");
  const Expr *key_expr = nullptr;
  const Expr *reverse = nullptr;
  for (auto &k : e.keywords) {
    if (k.arg == "key" && (k.value->kind == ExprKind::Lambda || m_spec.key_calls.count(k.value.get()))) key_expr = k.value.get();
    if (k.arg == "reverse") reverse = k.value.get();
  }
  bool has_default = false;
  for (auto &k : e.keywords) has_default = has_default || k.arg == "default";
  if (key_expr && !has_default && e.args.size() == 1 && (name == "sorted" || name == "min" || name == "max")) {
    Ty at = type(*e.args[0]);
    llvm::Value *src = to_object(expr(*e.args[0]), at);
    llvm::Value *rev = nullptr;
    if (reverse) rev = to_object(expr(*reverse), type(*reverse));
    set_loc(e.range);
    // sorted: a new list of the items (then sorted in place); min/max: the iterable's own items
    llvm::Value *seq = name == "sorted" ? call_obj("PySequence_List", {src}, line) : nullptr;
    Ty elem = at.kind() == Kind::Dict ? at.args()[0] : at.kind() == Kind::Range ? Ty::Int : at == Ty::Str ? Ty::Str
              : is_tuple(at) ? tuple_items_join(at) : at.elem();
    llvm::Value *r;
    if (!native_key(*key_expr)) {  // an always-empty container: no key is ever computed
      if (name == "sorted") {
        incref(seq);
        r = own(seq);
      } else {
        raise_now(PV_VALUE_ERROR, name + "() arg is an empty sequence", line);
        r = llvm::PoisonValue::get(m_ms.type_of(rt));
      }
    } else {
      if (name == "sorted") {
        r = sort_by_key(seq, elem, *key_expr, rev, line, false);
        incref(r);
        r = own(r);  // the result is the fresh copy itself
      } else {
        r = extreme_by_key(src, elem, key_of(*key_expr, elem, line), name == "max", line);
      }
    }
    if (rev) release(rev);
    if (seq) release(seq);
    release(src);
    return r;
  }
  if (name == "zip" && e.args.size() == 1 && e.args[0]->kind == ExprKind::Starred) {  // zip(*rows)
    const Expr &rows = *static_cast<const Starred &>(*e.args[0]).value;
    llvm::Value *obj = to_object(expr(rows), type(rows));
    set_loc(e.range);
    llvm::Value *tuple = call_obj("PySequence_Tuple", {obj}, line);
    release(obj);
    llvm::Value *r = call_obj("PyObject_Call", {builtin_object(name, line), tuple, llvm::ConstantPointerNull::get(m_b.getPtrTy())}, line);
    release(tuple);
    return from_object(r, rt, line, true);
  }
  // Everything else: CPython's builtin itself, on the boxed arguments.
  std::vector<llvm::Value *> args;
  for (auto &x : e.args) args.push_back(to_object(expr(*x), type(*x)));
  std::string kwnames;
  for (auto &k : e.keywords) {
    llvm::Value *kv = keyword_value(k, line);
    args.push_back(kv);
    kwnames += (kwnames.empty() ? "" : ",") + k.arg;
  }
  set_loc(e.range);
  llvm::Value *f = builtin_object(name, line);
  llvm::Value *kw = llvm::ConstantPointerNull::get(m_b.getPtrTy());
  if (!kwnames.empty())
    kw = m_b.CreateCall(capi("pv_kwnames", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {site_cache(), m_ms.string(kwnames)});
  return from_object(call_function(f, args, e.args.size(), kw, line), rt, line, true);
}

bool FunctionLowerer::native_key(const Expr &key) const {
  if (key.kind == ExprKind::Lambda) return m_vars.count(static_cast<const Lambda &>(key).params[0]) > 0;
  return m_spec.key_calls.count(&key) > 0;
}

FunctionLowerer::KeyFn FunctionLowerer::key_of(const Expr &key, Ty elem, int line, bool as_int) {
  if (key.kind == ExprKind::Lambda) {
    auto &l = static_cast<const Lambda &>(key);
    return [this, &l, elem, as_int](llvm::Value *v) {
      store_var(l.params[0], v, elem);
      llvm::Value *k = expr(*l.body);
      return as_int ? convert(k, type(*l.body), Ty::Int) : to_object(k, type(*l.body));
    };
  }
  Spec *target = m_spec.key_calls.at(&key);
  return [this, target, line, as_int](llvm::Value *v) {
    llvm::Value *budget = m_b.CreateSub(m_budget, m_b.getInt64(1), "budget.next");
    llvm::Value *r = m_b.CreateCall(m_ms.module.getFunction(target->symbol), {m_ctx, budget, v});
    release(v);
    check_status(line);
    if (as_int) return convert(r, target->ret, Ty::Int);
    if (is_object(target->ret)) return own(r);
    return to_object(target->ret == Ty::None ? none_value() : r, target->ret);
  };
}

// sorted(seq, key=...) / seq.sort(key=...): the keys are computed natively, in order, then CPython's
// own key sort runs on seq with them (pv_sort_with_keys): stable, CPython's comparisons and
// reverse. sorted() passes a fresh copy as seq; list.sort the list itself.
Ty FunctionLowerer::key_result(const Expr &key) const {
  if (key.kind == ExprKind::Lambda) return type(*static_cast<const Lambda &>(key).body);
  auto it = m_spec.key_calls.find(&key);
  return it == m_spec.key_calls.end() ? Ty::Top : it->second->ret;
}

llvm::Value *FunctionLowerer::sort_by_key(llvm::Value *seq, Ty elem, const Expr &key_expr, llvm::Value *reverse, int line, bool in_place) {
  llvm::Value *rev = reverse ? obj_truthy(reverse, Ty::Bool, line) : m_b.getFalse();
  llvm::Value *items = seq;  // sorted(): a fresh list nothing else can see
  llvm::AllocaInst *restore_list = nullptr, *restore_items = nullptr;
  if (in_place) {
    // As CPython's list.sort: the list is empty while the keys are computed (a key function that
    // looks at it sees no items), and on every way out it gets its items back.
    items = call_obj("PySequence_List", {seq}, line);
    restore_list = entry_slot(m_b.getPtrTy(), "sort.list", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
    restore_items = entry_slot(m_b.getPtrTy(), "sort.items", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
    m_restores.push_back({restore_list, restore_items});
    call_int("PyList_SetSlice", {seq, m_b.getInt64(0), m_b.getInt64(INT64_MAX), llvm::ConstantPointerNull::get(m_b.getPtrTy())}, line);
    m_b.CreateStore(seq, restore_list);
    m_b.CreateStore(items, restore_items);
  }
  llvm::Value *n = ob_size(items);
  Ty kt = key_result(key_expr);
  if (kt == Ty::Int || kt == Ty::Bool) {  // int keys: unboxed, and a native stable sort
    NativeList keys = native_slots(Ty::Int, "sort.keys");
    native_reserve(keys, n, line);
    llvm::Value *data = m_b.CreateLoad(m_b.getPtrTy(), keys.data, "keys");
    KeyFn key = key_of(key_expr, elem, line, true);
    counted_loop(n, line, [&](llvm::Value *i) {
      llvm::Value *item = m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateGEP(m_b.getPtrTy(), list_items(items), i));
      m_b.CreateStore(key(from_object(item, elem, line, false)), m_b.CreateGEP(m_b.getInt64Ty(), data, i));
    });
    call_int("pv_sort_int_keys", {items, data, n, m_b.CreateZExt(rev, m_b.getInt32Ty())}, line);
  } else {
    KeyFn key = key_of(key_expr, elem, line);
    llvm::Value *keys = call_obj("PyList_New", {n}, line);
    counted_loop(n, line, [&](llvm::Value *i) {
      llvm::Value *item = m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateGEP(m_b.getPtrTy(), list_items(items), i));
      llvm::Value *k = key(from_object(item, elem, line, false));
      m_b.CreateStore(k, m_b.CreateGEP(m_b.getPtrTy(), list_items(keys), i));  // the list steals it
      forget(k);
    });
    call_int("pv_sort_with_keys", {items, keys, m_b.CreateZExt(rev, m_b.getInt32Ty())}, line);
    release(keys);
  }
  if (in_place) {
    // items added meanwhile are dropped and the sorted items put back; then CPython's ValueError
    llvm::Value *modified = m_b.CreateICmpNE(ob_size(seq), m_b.getInt64(0), "modified");
    m_b.CreateCall(capi("pv_list_restore", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {seq, items});
    m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), restore_list);
    m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), restore_items);
    release(items);
    raise_if(modified, PV_VALUE_ERROR, "list modified during sort", line);
  }
  return seq;
}

// min/max(seq, key=lambda x: ...): the first item whose key is strictly better wins, as CPython.
// min/max(iterable, key=f) as CPython's min_max: the items come from the iterable's own iterator
// (a list that the key function shrinks is seen shrinking), each item is held while its key is
// computed, and the best item is kept by reference.
llvm::Value *FunctionLowerer::extreme_by_key(llvm::Value *src, Ty elem, const KeyFn &key, bool max, int line) {
  llvm::Value *iter = call_obj("PyObject_GetIter", {src}, line);
  llvm::AllocaInst *best_item = entry_slot(m_b.getPtrTy(), "best.item", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
  llvm::AllocaInst *best_key = entry_slot(m_b.getPtrTy(), "best.key", llvm::ConstantPointerNull::get(m_b.getPtrTy()));
  m_obj_slots.push_back(best_item);
  m_obj_slots.push_back(best_key);
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), best_item);
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), best_key);
  LoopBlocks blocks = loop_blocks("minmax");
  m_b.CreateBr(blocks.header);
  m_b.SetInsertPoint(blocks.header);
  llvm::Value *item = m_b.CreateCall(capi("PyIter_Next", m_b.getPtrTy(), {m_b.getPtrTy()}), {iter}, "item");
  auto *ended = llvm::BasicBlock::Create(m_ms.ctx, "minmax.ended", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(item), ended, blocks.body);
  m_b.SetInsertPoint(ended);
  llvm::Value *err = m_b.CreateCall(capi("PyErr_Occurred", m_b.getPtrTy(), {}), {});
  auto *failed = llvm::BasicBlock::Create(m_ms.ctx, "minmax.error", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(err), blocks.exit, failed);
  m_b.SetInsertPoint(failed);
  python_error(line);
  m_b.SetInsertPoint(blocks.body);
  llvm::Value *held = own(item);
  llvm::Value *k = key(from_object(held, elem, line, false));
  llvm::Value *cur = m_b.CreateLoad(m_b.getPtrTy(), best_key, "best");
  auto *cmp = llvm::BasicBlock::Create(m_ms.ctx, "key.cmp", m_fn);
  auto *take = llvm::BasicBlock::Create(m_ms.ctx, "key.take", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "key.done", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(cur), take, cmp);
  m_b.SetInsertPoint(cmp);
  llvm::Value *o = call_obj("PyObject_RichCompare", {k, cur, m_b.getInt32(max ? 4 : 0)}, line);  // Py_GT / Py_LT
  llvm::Value *better = m_b.CreateICmpNE(call_int("PyObject_IsTrue", {o}, line), m_b.getInt32(0));
  release(o);
  m_b.CreateCondBr(better, take, done);
  m_b.SetInsertPoint(take);
  incref(k);
  llvm::Value *old_key = m_b.CreateLoad(m_b.getPtrTy(), best_key);
  m_b.CreateStore(k, best_key);
  xdecref(old_key);
  incref(held);
  llvm::Value *old_item = m_b.CreateLoad(m_b.getPtrTy(), best_item);
  m_b.CreateStore(held, best_item);
  xdecref(old_item);
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  release(k);
  release(held);
  m_b.CreateBr(blocks.latch);
  m_b.SetInsertPoint(blocks.latch);
  poll_interrupt(line);
  m_b.CreateBr(blocks.header);
  m_b.SetInsertPoint(blocks.orelse);
  m_b.CreateBr(blocks.exit);
  m_b.SetInsertPoint(blocks.exit);
  release(iter);
  llvm::Value *best = m_b.CreateLoad(m_b.getPtrTy(), best_item, "best.item");
  raise_if(m_b.CreateIsNull(best), PV_VALUE_ERROR, max ? "max() arg is an empty sequence" : "min() arg is an empty sequence", line);
  llvm::Value *r = from_object(best, elem, line, false);
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), best_item);
  decref(best);
  llvm::Value *bk = m_b.CreateLoad(m_b.getPtrTy(), best_key);
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), best_key);
  xdecref(bk);
  return r;
}
}  // namespace pyvorin
