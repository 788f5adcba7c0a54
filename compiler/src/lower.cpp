// lower (statements): functions, variables, if/while/for-range, returns, errors, the entry wrapper.
#include "lower.h"

#include <llvm/BinaryFormat/Dwarf.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

namespace pyvorin {

using namespace ast;

llvm::Constant *ModuleState::string(const std::string &s) {
  auto it = strings.find(s);
  if (it != strings.end()) return it->second;
  llvm::Constant *init = llvm::ConstantDataArray::getString(ctx, s, true);
  auto *gv = new llvm::GlobalVariable(module, init->getType(), true, llvm::GlobalValue::PrivateLinkage, init, ".str");
  gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  gv->setAlignment(llvm::Align(1));
  strings[s] = gv;
  return gv;
}

llvm::Constant *ModuleState::load_time(const std::string &name) {
  if (llvm::GlobalVariable *gv = module.getNamedGlobal(name)) return gv;
  auto *gv = new llvm::GlobalVariable(module, llvm::Type::getInt8Ty(ctx), true, llvm::GlobalValue::ExternalLinkage, nullptr, name);
  gv->setAlignment(llvm::Align(1));
  return gv;
}

llvm::DIFile *ModuleState::debug_file(const std::string &filename) {
  if (options.exported) return dib.createFile(filename, ".");
  // In the JIT, a name that does not depend on the process (a notebook cell's temporary
  // directory names the kernel's): objects must not differ with it (the disk cache).
  return dib.createFile(debug_file_name(filename), "");
}

llvm::Type *ModuleState::type_of(Ty t) {
  if (is_object(t)) return llvm::PointerType::getUnqual(ctx);  // PyObject*
  if (is_np_scalar(t)) return np_scalar_type(ctx, t);
  if (t == Ty::Complex) return complex_type(ctx);
  switch (t.kind()) {
    case Kind::Int: return llvm::Type::getInt64Ty(ctx);
    case Kind::Float: return llvm::Type::getDoubleTy(ctx);
    case Kind::Bool: return llvm::Type::getInt1Ty(ctx);
    default: return llvm::Type::getInt1Ty(ctx);  // None: a placeholder slot, never read as a value
  }
}

// Declarations of the runtime (runtime/pyvorin_runtime.h), created on first use.
llvm::FunctionCallee ModuleState::runtime(const std::string &name) {
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *f64 = llvm::Type::getDoubleTy(ctx);
  auto *vd = llvm::Type::getVoidTy(ctx);
  llvm::FunctionType *ty = nullptr;
  if (name == "pv_raise") ty = llvm::FunctionType::get(vd, {ptr, i32, ptr, ptr, i32}, false);
  else if (name == "pv_traceback_push") ty = llvm::FunctionType::get(vd, {ptr, ptr, ptr, i32}, false);
  else if (name == "pv_poll_interrupt") ty = llvm::FunctionType::get(i32, {ptr, ptr, i32}, false);
  else if (name == "pv_int_pow") ty = llvm::FunctionType::get(i64, {ptr, i64, i64, ptr, i32}, false);
  else if (name == "pv_float_pow" || name == "pv_float_floordiv" || name == "pv_float_mod" || name == "pv_math_pow" ||
           name == "pv_math_log_base")
    ty = llvm::FunctionType::get(f64, {ptr, f64, f64, ptr, i32}, false);
  else if (name == "pv_np_box") ty = llvm::FunctionType::get(ptr, {i32, i64}, false);
  else if (name == "pv_np_box_weak") ty = llvm::FunctionType::get(ptr, {i32, i64, i32}, false);
  else if (name == "pv_int_truediv") ty = llvm::FunctionType::get(f64, {i64, i64}, false);
  else if (name == "pv_cmp_int_float") ty = llvm::FunctionType::get(i32, {i64, f64}, false);
  else if (name == "pv_float_to_int") ty = llvm::FunctionType::get(i64, {ptr, f64, ptr, i32}, false);
  else if (name == "pv_round_ndigits") ty = llvm::FunctionType::get(f64, {ptr, f64, i64, ptr, i32}, false);
  else if (name == "pv_int_round") ty = llvm::FunctionType::get(i64, {ptr, i64, i64, ptr, i32}, false);
  else if (name == "pv_math_isqrt") ty = llvm::FunctionType::get(i64, {ptr, i64, ptr, i32}, false);
  else if (name == "pv_print_int") ty = llvm::FunctionType::get(vd, {i64}, false);
  else if (name == "pv_print_float") ty = llvm::FunctionType::get(vd, {f64}, false);
  else if (name == "pv_print_bool") ty = llvm::FunctionType::get(vd, {i32}, false);
  else if (name == "pv_print_none") ty = llvm::FunctionType::get(vd, {}, false);
  else if (name == "pv_print_str") ty = llvm::FunctionType::get(vd, {ptr, i64}, false);
  else if (name == "pv_print_end") ty = llvm::FunctionType::get(i32, {ptr, ptr, i64, ptr, i32}, false);
  else ty = llvm::FunctionType::get(f64, {f64}, false);  // libm: sin, cos, ...
  llvm::FunctionCallee callee = module.getOrInsertFunction(name, ty);
  if (auto *f = llvm::dyn_cast<llvm::Function>(callee.getCallee())) {
    f->setDoesNotThrow();
    if (name == "pv_raise" || name == "pv_traceback_push" || name == "pv_poll_interrupt") {
      f->addFnAttr(llvm::Attribute::Cold);
      f->addFnAttr(llvm::Attribute::NoInline);
    }
    if (name == "pv_int_truediv" || name == "pv_cmp_int_float") f->setDoesNotAccessMemory();
  }
  return callee;
}

FunctionLowerer::FunctionLowerer(ModuleState &ms, TypedUnit &unit, Spec &spec, bool fe_variant)
    : m_ms(ms), m_unit(unit), m_spec(spec), m_b(ms.ctx) {
  m_fe_variant = fe_variant;
  m_fe_reads_invalid = fe_variant;  // its callers' loops read the invalid flag: no `x - x` tests
  std::vector<llvm::Type *> params{llvm::PointerType::getUnqual(ms.ctx), llvm::Type::getInt64Ty(ms.ctx)};
  for (Ty t : spec.params) params.push_back(ms.type_of(t));
  llvm::Type *ret = spec.ret == Ty::None ? llvm::Type::getVoidTy(ms.ctx) : ms.type_of(spec.ret);
  m_fn = llvm::Function::Create(llvm::FunctionType::get(ret, params, false), llvm::GlobalValue::InternalLinkage,
                                fe_variant ? spec.symbol + ".fe" : spec.symbol, ms.module);
  m_fn->addFnAttr(llvm::Attribute::NoUnwind);
  m_fn->getArg(0)->setName("ctx");
  m_fn->getArg(1)->setName("budget");
  m_fn->addParamAttr(0, llvm::Attribute::NoAlias);
  m_fn->addParamAttr(0, llvm::Attribute::NoCapture);
  for (size_t i = 0; i < spec.fn->args.size(); ++i) m_fn->getArg(unsigned(i + 2))->setName(spec.fn->args[i].name);
  m_tracks_depth = spec.has_call;
}

llvm::Value *FunctionLowerer::line_const(int line) { return m_b.getInt32(uint32_t(line)); }

void FunctionLowerer::set_loc(const SourceRange &r) {
  m_b.SetCurrentDebugLocation(llvm::DILocation::get(m_ms.ctx, unsigned(r.line), unsigned(r.col + 1), m_sp));
}

void FunctionLowerer::fresh_block(const char *name) {
  m_b.SetInsertPoint(llvm::BasicBlock::Create(m_ms.ctx, name, m_fn));
}

// Records the error in ctx and leaves through `unwind`; the branch is marked cold.
void FunctionLowerer::raise_if(llvm::Value *cond, int kind, const std::string &message, int line) {
  auto *err = llvm::BasicBlock::Create(m_ms.ctx, "raise", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "ok", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(cond, err, cont, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(err);
  m_b.CreateCall(m_ms.runtime("pv_raise"),
                 {m_ctx, m_b.getInt32(uint32_t(kind)), m_ms.string(message), m_fname, line_const(line)});
  m_b.CreateBr(m_unwind);
  m_b.SetInsertPoint(cont);
}

void FunctionLowerer::raise_now(int kind, const std::string &message, int line) {
  m_b.CreateCall(m_ms.runtime("pv_raise"),
                 {m_ctx, m_b.getInt32(uint32_t(kind)), m_ms.string(message), m_fname, line_const(line)});
  m_b.CreateBr(m_unwind);
  fresh_block("dead");
}

// After a call that can fail: leave if ctx->status is set.
void FunctionLowerer::check_status(int call_line) {
  llvm::Value *status_ptr = m_b.CreateStructGEP(m_ms.ctx_type, m_ctx, 0, "status.ptr");
  llvm::Value *status = m_b.CreateLoad(m_b.getInt32Ty(), status_ptr, "status");
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "ok", m_fn);
  llvm::BasicBlock *fail = m_unwind;
  if (call_line > 0) {  // this function's own traceback entry: the line of the failing call
    fail = llvm::BasicBlock::Create(m_ms.ctx, "traceback", m_fn);
    llvm::IRBuilder<> tb(fail);
    tb.SetCurrentDebugLocation(m_b.getCurrentDebugLocation());
    tb.CreateCall(m_ms.runtime("pv_traceback_push"), {m_ctx, m_fname, m_file, line_const(call_line)});
    tb.CreateBr(m_unwind);
  }
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateICmpNE(status, m_b.getInt32(0)), fail, cont, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(cont);
}

// The back-edge poll: a volatile load of the thread's interrupt flag; when it is set, CPython's
// signal handlers run (pv_poll_interrupt) and the code stops only if one raised.
void FunctionLowerer::poll_interrupt(int line) {
  if (m_ms.options.fast) return;
  auto *flag = m_b.CreateLoad(m_b.getInt32Ty(), m_interrupt, true, "interrupt");
  auto *handle = llvm::BasicBlock::Create(m_ms.ctx, "interrupt.poll", m_fn);
  auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "ok", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateICmpNE(flag, m_b.getInt32(0)), handle, cont, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(handle);
  llvm::Value *stop = m_b.CreateCall(m_ms.runtime("pv_poll_interrupt"), {m_ctx, m_fname, line_const(line)});
  m_b.CreateCondBr(m_b.CreateICmpNE(stop, m_b.getInt32(0)), m_unwind, cont);
  m_b.SetInsertPoint(cont);
}

void FunctionLowerer::lower_body() {
  const FunctionDef &fn = *m_spec.fn;
  // Functions of one unit may come from different modules (files).
  const std::string &filename = m_unit.sources[size_t(m_spec.fn_index)].request->source.filename;
  llvm::DIFile *difile = m_ms.debug_file(filename);
  auto *sub_ty = m_ms.dib.createSubroutineType(m_ms.dib.getOrCreateTypeArray({}));
  auto spflags = llvm::DISubprogram::SPFlagDefinition | llvm::DISubprogram::SPFlagLocalToUnit;
  if (m_ms.options.opt_level > 0) spflags |= llvm::DISubprogram::SPFlagOptimized;
  m_sp = m_ms.dib.createFunction(difile, fn.name, m_fn->getName(), difile, unsigned(fn.range.line), sub_ty,
                                 unsigned(fn.range.line), llvm::DINode::FlagPrototyped, spflags);
  m_fn->setSubprogram(m_sp);
  m_fname = m_ms.string(fn.name);
  // The file a traceback names: in the JIT, a symbol the loader binds to the function's
  // co_filename (the object is the same for a cell in any kernel, whose temporary path differs).
  m_file = m_ms.options.exported ? m_ms.string(filename) : m_ms.load_time("pv.file." + std::to_string(m_spec.fn_index));

  auto *entry = llvm::BasicBlock::Create(m_ms.ctx, "entry", m_fn);
  m_unwind = llvm::BasicBlock::Create(m_ms.ctx, "unwind", m_fn);
  m_b.SetInsertPoint(entry);
  set_loc(fn.range);
  m_ctx = m_fn->getArg(0);
  m_budget = m_fn->getArg(1);
  // Loaded once here: runtime calls in the loop take ctx, so a load inside it could not be hoisted.
  if (!m_ms.options.fast)
    m_interrupt = m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateStructGEP(m_ms.ctx_type, m_ctx, 5), "interrupt.ptr");

  // One slot per local, which mem2reg turns into SSA values; a "bound" flag only for a local
  // that some read may find unassigned (lower_defs.cpp), checked only at those reads.
  m_maybe_unbound = maybe_unbound_reads(fn);
  m_private = private_containers(m_spec);
  m_deep_private = deep_private_containers(m_spec, &m_item_aliases);
  std::set<std::string> flagged;
  for (const Name *n : m_maybe_unbound) flagged.insert(n->id);
  m_uses_objects = m_spec.uses_objects();
  fe_setup();  // NumPy scalar arithmetic: where its warnings are tested (lower_fpe.cpp)
  if (m_uses_objects) native_setup();
  bool objects = m_uses_objects && !m_ms.options.exported;  // (exported code runs without an interpreter)
  if (objects) {
    m_gil = m_b.CreateAlloca(m_b.getPtrTy(), nullptr, "gil.released");
    m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), m_gil);
  }
  // one exit: where objects are released, and where a helper's deferred NumPy tests run (emit_return)
  if (objects || fe_deferred()) {
    m_exit = llvm::BasicBlock::Create(m_ms.ctx, "exit", m_fn);
    if (m_spec.ret != Ty::None) m_ret_slot = m_b.CreateAlloca(m_ms.type_of(m_spec.ret), nullptr, "ret");
  }
  std::set<std::string> boxed;
  if (m_uses_objects && !m_ms.options.exported)  // (exported code has no objects to box into)
    boxed = boxed_names(fn, [this](const Subscript &s) { return s.slice->kind == ExprKind::Slice || !is_sequence(type(*s.value)); });
  for (auto &[name, t] : m_spec.vars) {
    Var v;
    v.type = t;
    v.slot = m_b.CreateAlloca(m_ms.type_of(t), nullptr, name);
    if ((t == Ty::Float || t == Ty::Int) && boxed.count(name)) {
      v.shadow = m_b.CreateAlloca(m_b.getPtrTy(), nullptr, name + ".box");
      m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), v.shadow);
      m_obj_slots.push_back(v.shadow);
    }
    if (is_object(t) && !m_native.count(name) && !m_tables.count(name)) {  // owned; released at every exit
      m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), v.slot);
      m_obj_slots.push_back(v.slot);
    }
    if (is_array(t)) array_vars_setup(v, name);
    if (flagged.count(name)) {
      v.bound = m_b.CreateAlloca(m_b.getInt1Ty(), nullptr, name + ".bound");
      m_b.CreateStore(m_b.getFalse(), v.bound);
    }
    m_vars[name] = v;
  }
  for (size_t i = 0; i < fn.args.size(); ++i) {
    llvm::Value *a = m_fn->getArg(unsigned(i + 2));
    if (is_object(m_spec.params[i])) incref(a);  // the caller's reference is borrowed
    store_var(fn.args[i].name, a, m_spec.params[i]);
  }
  // The root function's int/float parameters box back to the caller's own objects: the entry
  // call finds them in ctx->arg_objects (and clears it, so a recursive call does not).
  bool shadowed_params = false;
  for (auto &a : fn.args) shadowed_params = shadowed_params || m_vars.at(a.name).shadow;
  if (&m_spec == m_unit.specs[0].get() && shadowed_params) {
    llvm::Value *field = m_b.CreateStructGEP(m_ms.ctx_type, m_ctx, 8, "arg_objects.ptr");
    llvm::Value *objs = m_b.CreateLoad(m_b.getPtrTy(), field, "arg_objects");
    m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), field);
    auto *have = llvm::BasicBlock::Create(m_ms.ctx, "args.boxes", m_fn);
    auto *done = llvm::BasicBlock::Create(m_ms.ctx, "args.boxed", m_fn);
    m_b.CreateCondBr(m_b.CreateIsNull(objs), done, have);
    m_b.SetInsertPoint(have);
    for (size_t i = 0; i < fn.args.size(); ++i) {
      Var &v = m_vars.at(fn.args[i].name);
      if (!v.shadow) continue;
      llvm::Value *o = m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getPtrTy(), objs, i), "arg.obj");
      incref(o);
      m_b.CreateStore(o, v.shadow);
    }
    m_b.CreateBr(done);
    m_b.SetInsertPoint(done);
  }

  if (m_tracks_depth) {
    // RecursionError instead of a native stack overflow; the budget comes from CPython's limit.
    raise_if(m_b.CreateICmpSLE(m_budget, m_b.getInt64(0)), PV_RECURSION, "maximum recursion depth exceeded", fn.range.line);
    poll_interrupt(fn.range.line);
  }

  body(fn.body);
  if (!m_b.GetInsertBlock()->getTerminator()) {
    if (m_spec.ret == Ty::None) {
      emit_return(nullptr);
    } else if (m_spec.ret.kind() == Kind::Optional) {  // falling off the end returns None
      emit_return(convert(none_value(), Ty::None, m_spec.ret));
    } else {
      raise_now(PV_TYPE_ERROR, "internal error: the end of the function was reached without a return", fn.range.line);
      m_b.CreateUnreachable();
    }
  }

  // Blocks opened after a return/break/continue/raise have no predecessors: close them.
  for (llvm::BasicBlock &bb : *m_fn)
    if (!bb.getTerminator() && &bb != m_unwind && llvm::pred_empty(&bb)) {
      m_b.SetInsertPoint(&bb);
      m_b.CreateUnreachable();
    }

  if (m_exit) {  // every return: release what the slots hold, then return the result
    m_b.SetInsertPoint(m_exit);
    set_loc(fn.range);
    if (m_fe_ret_slot) {  // a helper's deferred NumPy tests, once for every return
      fpe_check(m_b.CreateLoad(m_b.getInt32Ty(), m_fe_ret_slot, "return.line"));
      if (m_fe_py_helper) fe_python_flush();
    }
    llvm::Value *r = m_ret_slot ? m_b.CreateLoad(m_ms.type_of(m_spec.ret), m_ret_slot, "result") : nullptr;
    restore_gil();
    flush_effects();
    cleanup_objects();
    if (r)
      m_b.CreateRet(r);
    else
      m_b.CreateRetVoid();
  }

  // unwind: the error is in ctx; return a dummy value. The raising function unwinds first: it
  // names its file as the innermost location (pv_raise cleared it), callers leave it alone.
  // A small scalar helper with no loop calls no function (so it cannot recurse): inlined into the
  // loops that call it, its checks join the loop's (LLVM's own threshold counts every overflow or
  // NumPy test as an instruction, and keeps a normal CDF out of line)
  if (leaf_scalar() && m_spec.fn->body.size() <= 24) m_fn->addFnAttr(llvm::Attribute::AlwaysInline);
  m_b.SetInsertPoint(m_unwind);
  set_loc(fn.range);
  flush_effects();
  restore_gil();
  if (m_fpe) fe_unwind();  // NumPy warnings before the exception: CPython prints them first
  abort_withs();
  cleanup_objects();
  llvm::Value *file_ptr = m_b.CreateStructGEP(m_ms.ctx_type, m_ctx, 6, "file.ptr");
  llvm::Value *file = m_b.CreateLoad(m_b.getPtrTy(), file_ptr, "file");
  m_b.CreateStore(m_b.CreateSelect(m_b.CreateIsNull(file), m_file, file), file_ptr);
  if (m_spec.ret == Ty::None)
    m_b.CreateRetVoid();
  else
    m_b.CreateRet(llvm::Constant::getNullValue(m_ms.type_of(m_spec.ret)));
  fe_group_tests();  // NumPy float tests: exact only where a result is not finite (lower_fpe_group.cpp)
}

void FunctionLowerer::emit_return(llvm::Value *v) {
  if (m_fpe && m_loops.empty() && fe_deferred()) {  // tested once, where `exit` starts: the arms of an
    // `if` that both return then differ only in their value, and LLVM makes the `if` a select
    if (!m_fe_ret_slot) m_fe_ret_slot = entry_slot(m_b.getInt32Ty(), "return.line", nullptr);
    m_b.CreateStore(line_const(m_return_line), m_fe_ret_slot);
  }
  if (m_fpe && !m_fe_ret_slot) fe_return_check(m_return_line);
  if (m_fe_py_helper && !m_fe_ret_slot) fe_python_flush();
  exit_withs(0, m_return_line);  // every open with block closes first (after the value)
  if (m_exit) {
    if (m_ret_slot && v) {
      m_b.CreateStore(v, m_ret_slot);
      forget(v);
    }
    m_b.CreateBr(m_exit);
    fresh_block("after.return");
    return;
  }
  if (m_spec.ret == Ty::None)
    m_b.CreateRetVoid();
  else
    m_b.CreateRet(v);
  fresh_block("after.return");
}

void FunctionLowerer::store_var(const std::string &name, llvm::Value *v, Ty t) {
  Var &var = m_vars.at(name);
  if (is_object(var.type)) {  // the variable owns its reference
    llvm::Value *o = convert(v, t, var.type);
    llvm::Value *old = m_b.CreateLoad(m_b.getPtrTy(), var.slot, name + ".old");
    m_b.CreateStore(o, var.slot);
    forget(o);
    xdecref(old);
    if (var.view.data) cache_view(var, o, m_private.count(name) > 0);
    if (var.bound) m_b.CreateStore(m_b.getTrue(), var.bound);
    return;
  }
  if (t != Ty::None && var.type != Ty::None) m_b.CreateStore(convert(v, t, var.type), var.slot);
  if (var.shadow) {  // the object this float came from, or none (a new value)
    auto it = t == var.type ? m_float_source.find(v) : m_float_source.end();
    llvm::Value *src = it != m_float_source.end() ? it->second : llvm::ConstantPointerNull::get(m_b.getPtrTy());
    if (it != m_float_source.end()) incref(src);
    llvm::Value *old = m_b.CreateLoad(m_b.getPtrTy(), var.shadow, name + ".oldbox");
    m_b.CreateStore(src, var.shadow);
    xdecref(old);
  }
  if (var.bound) m_b.CreateStore(m_b.getTrue(), var.bound);
}

void FunctionLowerer::body(const Body &b) {
  for (auto &s : b) {
    stmt(*s);
    if (ends_statically(*s, m_spec.static_tests)) break;  // unreachable in this specialisation
  }
}

void FunctionLowerer::stmt(const Stmt &s) {
  set_loc(s.range);
  switch (s.kind) {
    case StmtKind::Assign: {
      auto &a = static_cast<const Assign &>(s);
      if (a.targets.size() == 1 && native_list(*a.targets[0])) {
        native_assign(static_cast<const Name &>(*a.targets[0]).id, *a.value, s.range.line);
        break;
      }
      if (a.targets.size() == 1 && native_table(*a.targets[0])) {
        table_assign(static_cast<const Name &>(*a.targets[0]).id, *a.value, s.range.line);
        break;
      }
      if (a.targets.size() == 1 && str_append(*a.targets[0], *a.value)) break;
      llvm::Value *v = expr(*a.value);
      set_loc(s.range);
      Ty vt = type(*a.value);
      for (size_t i = 0; i < a.targets.size(); ++i) {
        llvm::Value *x = v;
        if (i + 1 < a.targets.size() && (is_object(vt))) x = dup(v);  // each target its own reference
        assign_target(*a.targets[i], x, vt, s.range.line);
      }
      break;
    }
    case StmtKind::AnnAssign: {
      auto &a = static_cast<const AnnAssign &>(s);
      if (!a.value) break;
      if (native_list(*a.target)) {
        native_assign(static_cast<const Name &>(*a.target).id, *a.value, s.range.line);
        break;
      }
      if (native_table(*a.target)) {
        table_assign(static_cast<const Name &>(*a.target).id, *a.value, s.range.line);
        break;
      }
      llvm::Value *v = expr(*a.value);
      set_loc(s.range);
      store_var(static_cast<const Name &>(*a.target).id, v, type(*a.value));
      break;
    }
    case StmtKind::Return: {
      auto &r = static_cast<const Return &>(s);
      llvm::Value *v = r.value ? expr(*r.value) : nullptr;
      set_loc(s.range);
      if (m_spec.ret != Ty::None) v = v ? convert(v, type(*r.value), m_spec.ret) : convert(none_value(), Ty::None, m_spec.ret);
      m_return_line = s.range.line;
      emit_return(v);
      break;
    }
    case StmtKind::If: if_stmt(static_cast<const If &>(s)); break;
    case StmtKind::While: case StmtKind::For: {
      // (not in a unit that prints: a NumPy warning after a print is NumPy's to give, with the GIL)
      bool release = m_gil && m_loops.empty() && m_spec.has_loop && scalar_only(s) && !m_unit.transitively_prints;
      bool outermost = m_loops.empty();
      if (outermost) m_outer_loop = &s;
      if (m_fpe && m_loops.empty()) fe_loop_start();  // NumPy float warnings of the outermost loop (lower_fpe.cpp)
      if (release) {  // other threads run meanwhile; every exit takes the GIL back (restore_gil)
        llvm::Value *ts = m_b.CreateCall(capi("PyEval_SaveThread", m_b.getPtrTy(), {}), {}, "tstate");
        m_b.CreateStore(ts, m_gil);
      }
      if (s.kind == StmtKind::While) {
        while_loop(static_cast<const While &>(s));
      } else {
        auto &f = static_cast<const For &>(s);
        if (type(*f.iter) == Ty::Int && f.iter->kind == ExprKind::Call)
          for_range(f);
        else
          for_stmt(f);
      }
      if (release) restore_gil();
      if (m_fpe && m_loops.empty()) fe_loop_end(s, s.range.line);
      if (outermost) m_outer_loop = nullptr;
      break;
    }
    case StmtKind::Delete:
      for (auto &t : static_cast<const Delete &>(s).targets) delete_target(*t);
      break;
    case StmtKind::Break:
      exit_withs(m_loops.back().withs, s.range.line);
      m_b.CreateBr(m_loops.back().break_bb);
      fresh_block("after.break");
      break;
    case StmtKind::Continue:
      exit_withs(m_loops.back().withs, s.range.line);
      m_b.CreateBr(m_loops.back().continue_bb);
      fresh_block("after.continue");
      break;
    case StmtKind::ExprStmt: {
      const Expr &v = *static_cast<const ExprStmt &>(s).value;
      if (v.kind == ExprKind::Constant) break;  // a docstring (any bare constant): nothing to evaluate
      release(expr(v));
      break;
    }
    default: break;  // Pass; unsupported statements never reach lowering
  }
}

void FunctionLowerer::restore_gil() {
  if (!m_gil) return;
  llvm::Value *ts = m_b.CreateLoad(m_b.getPtrTy(), m_gil, "tstate");
  auto *take = llvm::BasicBlock::Create(m_ms.ctx, "gil.take", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "gil.held", m_fn);
  m_b.CreateCondBr(m_b.CreateIsNull(ts), done, take);
  m_b.SetInsertPoint(take);
  m_b.CreateCall(capi("PyEval_RestoreThread", m_b.getVoidTy(), {m_b.getPtrTy()}), {ts});
  m_b.CreateStore(llvm::ConstantPointerNull::get(m_b.getPtrTy()), m_gil);
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
}

// No loop, and statements that touch no object and call no compiled function (scalar_only).
bool FunctionLowerer::leaf_scalar() {
  if (m_leaf_scalar < 0) {
    m_leaf_scalar = !m_spec.has_loop;
    for (auto &s : m_spec.fn->body)
      if (m_leaf_scalar && !scalar_only(*s)) m_leaf_scalar = 0;
  }
  return m_leaf_scalar == 1;
}

bool FunctionLowerer::scalar_only(const Expr &e) const {
  Ty t = type(e);
  if (is_object(t)) return false;
  // complex values may call CPython or NumPy (`**`, a promoted NumPy complex operation)
  if (t == Ty::Complex || (is_np_scalar(t) && dtype_is_complex(t.dtype()))) return false;
  switch (e.kind) {
    case ExprKind::Subscript: {  // an item of a native list
      auto &s = static_cast<const Subscript &>(e);
      return native_list(*s.value) && s.slice->kind != ExprKind::Slice && scalar_only(*s.slice);
    }
    case ExprKind::Call: {
      auto &c = static_cast<const Call &>(e);
      if (c.func->kind == ExprKind::Attribute && native_list(*static_cast<const Attribute &>(*c.func).value)) {
        const std::string &m = static_cast<const Attribute &>(*c.func).attr;  // append and pop are native
        return (m == "append" && scalar_only(*c.args[0])) || (m == "pop" && c.args.empty());
      }
      if (c.args.size() == 1 && native_list(*c.args[0])) {
        auto it = m_spec.calls.find(&e);
        return it != m_spec.calls.end() && it->second.kind == CallTarget::Kind::Builtin && it->second.name == "len";
      }
      auto it = m_spec.calls.find(&e);
      if (it == m_spec.calls.end() || it->second.kind == CallTarget::Kind::Function || it->second.kind == CallTarget::Kind::Method)
        return false;
      if (it->second.kind == CallTarget::Kind::Builtin) {
        static const std::set<std::string> scalar = {"abs", "min", "max", "round", "int", "float", "bool"};
        if (!scalar.count(it->second.name)) return false;
        if (it->second.name == "round")  // round() of a NumPy scalar is NumPy's __round__
          for (auto &a : c.args)
            if (is_np_scalar(type(*a))) return false;
      }
      if (it->second.kind == CallTarget::Kind::Numpy) {  // only what lower_ndarray.cpp computes inline
        static const std::set<std::string> native = {"abs", "absolute", "fabs", "sqrt", "floor", "ceil", "negative", "square",
                                                     "isnan", "isinf", "isfinite", "minimum", "maximum"};
        const std::string &n = it->second.name;
        if (!(native.count(n) || dtype_expr_name(n)) || !is_np_scalar(t) || c.args.empty() || c.args.size() > 2) return false;
        for (auto &a : c.args)
          if (is_array(type(*a))) return false;
      }
      for (auto &a : static_cast<const Call &>(e).args)
        if (!scalar_only(*a)) return false;
      return static_cast<const Call &>(e).keywords.empty();
    }
    case ExprKind::Name: {
      auto it = m_vars.find(static_cast<const Name &>(e).id);
      if (it == m_vars.end()) {  // a global: math constants and scalar module constants only
        auto &globals = m_unit.sources[size_t(m_spec.fn_index)].request->globals;
        auto g = globals.find(static_cast<const Name &>(e).id);
        return g == globals.end() || g->second.kind == Binding::Kind::MathConstant ||
               (g->second.kind == Binding::Kind::Constant && g->second.value_type != TypeTag::Tuple);
      }
      return !is_object(it->second.type);
    }
    case ExprKind::Constant: return static_cast<const Constant &>(e).value_kind != Constant::Kind::Str;
    case ExprKind::BinOp: case ExprKind::UnaryOp: case ExprKind::BoolOp: case ExprKind::Compare: case ExprKind::IfExp:
    case ExprKind::NamedExpr: case ExprKind::Attribute: {
      bool ok = true;
      for_each_child(e, [&](const Expr &c) { ok = ok && scalar_only(c); });
      if (e.kind == ExprKind::Compare)
        for (auto op : static_cast<const Compare &>(e).ops) ok = ok && op != CmpOp::In && op != CmpOp::NotIn;
      return ok;
    }
    default: return false;
  }
}

// A test: a native list's truth is its length.
bool FunctionLowerer::scalar_test(const Expr &e) const {
  if (native_list(e)) return true;
  if (e.kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(e).op == UnaryOpKind::Not) return scalar_test(*static_cast<const UnaryOp &>(e).operand);
  return scalar_only(e);
}

bool FunctionLowerer::scalar_only(const Stmt &s) const {
  auto all = [&](const Body &b) {
    for (auto &x : b)
      if (!scalar_only(*x)) return false;
    return true;
  };
  switch (s.kind) {
    case StmtKind::Assign: {
      auto &a = static_cast<const Assign &>(s);
      if (a.targets.size() == 1 && native_list(*a.targets[0])) {  // a new native list: [x] * n or [a, b]
        const Expr *v = a.value.get();
        if (v->kind == ExprKind::BinOp) {
          auto &b = static_cast<const BinOp &>(*v);
          const Expr *count = b.left->kind == ExprKind::List ? b.right.get() : b.left.get();
          if (!scalar_only(*count)) return false;
          v = b.left->kind == ExprKind::List ? b.left.get() : b.right.get();
        }
        if (v->kind != ExprKind::List) return false;
        for (auto &x : static_cast<const List &>(*v).elts)
          if (!scalar_only(*x)) return false;
        return true;
      }
      for (auto &t : a.targets) {
        if (t->kind == ExprKind::Subscript) {  // a store into a native list
          auto &sub = static_cast<const Subscript &>(*t);
          if (!native_list(*sub.value) || sub.slice->kind == ExprKind::Slice || !scalar_only(*sub.slice)) return false;
        } else if (t->kind != ExprKind::Name || !scalar_only(*t)) {
          return false;
        }
      }
      return scalar_only(*a.value);
    }
    case StmtKind::ExprStmt: {  // a docstring (any bare constant) does nothing
      const Expr &v = *static_cast<const ExprStmt &>(s).value;
      return v.kind == ExprKind::Constant || scalar_only(v);
    }
    case StmtKind::If: {
      auto &n = static_cast<const If &>(s);
      return scalar_test(*n.test) && all(n.body) && all(n.orelse);
    }
    case StmtKind::While: {
      auto &n = static_cast<const While &>(s);
      return scalar_test(*n.test) && all(n.body) && all(n.orelse);
    }
    case StmtKind::For: {
      auto &n = static_cast<const For &>(s);
      if (native_list(*n.iter) && n.target->kind == ExprKind::Name)
        return scalar_only(*n.target) && all(n.body) && all(n.orelse);
      if (!(type(*n.iter) == Ty::Int && n.iter->kind == ExprKind::Call) || n.target->kind != ExprKind::Name) return false;
      for (auto &a : static_cast<const Call &>(*n.iter).args)
        if (!scalar_only(*a)) return false;
      return scalar_only(*n.target) && all(n.body) && all(n.orelse);
    }
    case StmtKind::Break: case StmtKind::Continue: case StmtKind::Pass: return true;
    case StmtKind::Return: {  // a return boxes its value when the result is an object
      auto &r = static_cast<const Return &>(s);
      return !is_object(m_spec.ret) && (!r.value || scalar_only(*r.value));
    }
    default: return false;
  }
}

// `if c: n += k` (or -=) with no else, n an int local, k an int constant or a bound int local:
// the increment, for if_stmt to lower without a branch.
const BinOp *FunctionLowerer::conditional_increment(const If &s) const {
  if (!s.orelse.empty() || s.body.size() != 1 || s.body[0]->kind != StmtKind::Assign) return nullptr;
  auto &a = static_cast<const Assign &>(*s.body[0]);
  if (a.targets.size() != 1 || a.targets[0]->kind != ExprKind::Name || a.value->kind != ExprKind::BinOp) return nullptr;
  auto &b = static_cast<const BinOp &>(*a.value);
  const std::string &n = static_cast<const Name &>(*a.targets[0]).id;
  auto var = m_vars.find(n);
  if (var == m_vars.end() || var->second.type != Ty::Int || type(b) != Ty::Int) return nullptr;
  if ((b.op != Op::Add && b.op != Op::Sub) || b.left->kind != ExprKind::Name || static_cast<const Name &>(*b.left).id != n) return nullptr;
  if (m_maybe_unbound.count(static_cast<const Name *>(b.left.get()))) return nullptr;
  if (type(*b.right) != Ty::Int) return nullptr;
  if (b.right->kind == ExprKind::Constant) return &b;
  if (b.right->kind != ExprKind::Name) return nullptr;
  auto r = m_vars.find(static_cast<const Name &>(*b.right).id);
  if (r == m_vars.end() || r->second.type != Ty::Int || m_maybe_unbound.count(static_cast<const Name *>(b.right.get()))) return nullptr;
  return &b;
}

void FunctionLowerer::if_stmt(const If &s) {
  if (s.with) return with_stmt(s);
  auto known = m_spec.static_tests.find(s.test.get());
  if (known != m_spec.static_tests.end()) {  // `if x is None:` decided by x's type: the live branch only
    body(known->second ? s.body : s.orelse);
    return;
  }
  llvm::Value *cond = condition(*s.test);
  set_loc(s.range);
  if (const BinOp *inc = conditional_increment(s)) {
    // `if c: n += k` as `n += (k if c else 0)`: the same value (n + 0 is n and cannot overflow),
    // and no branch to mispredict in a counting loop. k is a constant or a bound int local.
    auto &target = static_cast<const Name &>(*static_cast<const Assign &>(*s.body[0]).targets[0]);
    llvm::Value *l = expr(*inc->left);
    llvm::Value *r = m_b.CreateSelect(cond, expr(*inc->right), m_b.getInt64(0), "increment");
    set_loc(s.body[0]->range);
    store_var(target.id, int_binop(*inc, l, r), Ty::Int);
    return;
  }
  auto *then_bb = llvm::BasicBlock::Create(m_ms.ctx, "if.then", m_fn);
  auto *else_bb = llvm::BasicBlock::Create(m_ms.ctx, "if.else", m_fn);
  auto *end_bb = llvm::BasicBlock::Create(m_ms.ctx, "if.end", m_fn);
  m_b.CreateCondBr(cond, then_bb, else_bb);
  m_b.SetInsertPoint(then_bb);
  body(s.body);
  m_b.CreateBr(end_bb);
  m_b.SetInsertPoint(else_bb);
  body(s.orelse);
  m_b.CreateBr(end_bb);
  m_b.SetInsertPoint(end_bb);
}

FunctionLowerer::LoopBlocks FunctionLowerer::loop_blocks(const std::string &prefix) {
  auto make = [&](const char *suffix) { return llvm::BasicBlock::Create(m_ms.ctx, prefix + suffix, m_fn); };
  LoopBlocks blocks;
  blocks.header = make(".cond");
  blocks.body = make(".body");
  blocks.latch = make(".latch");
  blocks.orelse = make(".else");
  blocks.exit = make(".end");
  return blocks;
}

// ---- the module ----

LoweredModule lower(TypedUnit &unit, const Options &options, const std::string &module_name) {
  LoweredModule out;
  out.context = std::make_unique<llvm::LLVMContext>();
  out.module = std::make_unique<llvm::Module>(module_name, *out.context);
  llvm::LLVMContext &ctx = *out.context;
  llvm::Module &m = *out.module;
  ModuleState ms(ctx, m, options);
  const std::string &filename = unit.sources[0].request->source.filename;
  ms.file = ms.debug_file(filename);
  ms.cu = ms.dib.createCompileUnit(llvm::dwarf::DW_LANG_Python, ms.file, "pyvorin " PYVORIN_VERSION, options.opt_level > 0, "", 0);
  m.addModuleFlag(llvm::Module::Warning, "Debug Info Version", llvm::DEBUG_METADATA_VERSION);
  m.addModuleFlag(llvm::Module::Warning, "Dwarf Version", 4);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  // Only the fields compiled code touches; the frames array follows them (pyvorin_runtime.h).
  ms.ctx_type = llvm::StructType::create(ctx, {i32, i32, ptr, ptr, i64, ptr, ptr, i32, ptr, i32, i32}, "PvCtx");

  std::vector<std::unique_ptr<FunctionLowerer>> lowerers;
  for (auto &spec : unit.specs) lowerers.push_back(std::make_unique<FunctionLowerer>(ms, unit, *spec));
  // Helpers' flag variants first (lower_fe_variant.cpp): a loop's end decides which it calls.
  std::vector<std::unique_ptr<FunctionLowerer>> variants;
  std::vector<std::pair<const Spec *, llvm::Function *>> variant_fns;
  if (unit_wants_fe_variants(unit))
    for (auto &spec : unit.specs)
      if (fe_flag_safe(*spec, ms.fe_safe)) {
        variants.push_back(std::make_unique<FunctionLowerer>(ms, unit, *spec, true));
        variant_fns.push_back({spec.get(), variants.back()->function()});
      }
  for (auto &v : variants) v->lower_body();
  verify_fe_variants(ms, variant_fns);
  variants.clear();
  for (auto &l : lowerers) l->lower_body();

  // The exported entry: unpack 64-bit argument slots, call, pack the result.
  Spec &root = *unit.specs[0];
  // (each object is linked in its own JITDylib: no counter in the name, which keeps objects
  // byte-identical from one process to the next)
  out.entry_symbol = "pv_entry_" + root.fn->name;
  auto *entry_ty = llvm::FunctionType::get(i64, {ptr, ptr}, false);
  auto *entry = llvm::Function::Create(entry_ty, llvm::GlobalValue::ExternalLinkage, out.entry_symbol, m);
  entry->addFnAttr(llvm::Attribute::NoUnwind);
  auto *sub_ty = ms.dib.createSubroutineType(ms.dib.getOrCreateTypeArray({}));
  auto *sp = ms.dib.createFunction(ms.file, root.fn->name + ".entry", out.entry_symbol, ms.file, unsigned(root.fn->range.line),
                                   sub_ty, unsigned(root.fn->range.line),
                                   llvm::DINode::FlagPrototyped | llvm::DINode::FlagArtificial,
                                   llvm::DISubprogram::SPFlagDefinition);
  entry->setSubprogram(sp);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", entry));
  b.SetCurrentDebugLocation(llvm::DILocation::get(ctx, unsigned(root.fn->range.line), 1, sp));
  entry->getArg(0)->setName("ctx");
  entry->getArg(1)->setName("args");
  llvm::Value *budget = b.CreateLoad(i64, b.CreateStructGEP(ms.ctx_type, entry->getArg(0), 4), "depth.limit");
  std::vector<llvm::Value *> call_args{entry->getArg(0), budget};
  for (size_t i = 0; i < root.params.size(); ++i) {
    llvm::Value *slot = b.CreateLoad(i64, b.CreateConstGEP1_64(i64, entry->getArg(1), i));
    Ty t = root.params[i];
    if (is_object(t)) call_args.push_back(b.CreateIntToPtr(slot, ptr));
    else if (t == Ty::Complex) {  // the complex object: cval after the header
      llvm::Value *obj = b.CreateIntToPtr(slot, ptr);
      llvm::Value *s = llvm::UndefValue::get(complex_type(ctx));
      s = b.CreateInsertValue(s, b.CreateLoad(b.getDoubleTy(), b.CreateConstGEP1_64(b.getInt8Ty(), obj, 16)), 0);
      s = b.CreateInsertValue(s, b.CreateLoad(b.getDoubleTy(), b.CreateConstGEP1_64(b.getInt8Ty(), obj, 24)), 1);
      call_args.push_back(s);
    } else if (is_np_scalar(t)) {  // the NumPy scalar object: its value follows the header
      llvm::Value *obj = b.CreateIntToPtr(slot, ptr);
      llvm::Value *v = b.CreateLoad(t.dtype() == DType::Bool ? b.getInt8Ty() : ms.type_of(t), b.CreateConstGEP1_64(b.getInt8Ty(), obj, 16));
      call_args.push_back(t.dtype() == DType::Bool ? b.CreateICmpNE(v, b.getInt8(0)) : v);
    }
    else if (t == Ty::Float) call_args.push_back(b.CreateBitCast(slot, b.getDoubleTy()));
    else if (t == Ty::Bool) call_args.push_back(b.CreateICmpNE(slot, b.getInt64(0)));
    else if (t == Ty::None) call_args.push_back(b.getFalse());
    else call_args.push_back(slot);
  }
  llvm::Value *r = b.CreateCall(m.getFunction(root.symbol), call_args);
  // a result boxed here goes on only after a successful call (a failed one returns 0, and the
  // dispatcher reports it)
  auto when_ok = [&]() {
    llvm::Value *status = b.CreateLoad(b.getInt32Ty(), b.CreateStructGEP(ms.ctx_type, entry->getArg(0), 0));
    auto *ok_bb = llvm::BasicBlock::Create(ctx, "box", entry), *err_bb = llvm::BasicBlock::Create(ctx, "failed", entry);
    b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(0)), ok_bb, err_bb);
    b.SetInsertPoint(err_bb);
    b.CreateRet(b.getInt64(0));
    b.SetInsertPoint(ok_bb);
  };
  if (is_object(root.ret)) b.CreateRet(b.CreatePtrToInt(r, i64));  // a new reference
  else if (root.ret == Ty::Complex) {  // boxed here, after a successful call
    when_ok();
    auto *f64 = b.getDoubleTy();
    llvm::Value *o = b.CreateCall(m.getOrInsertFunction("PyComplex_FromDoubles", llvm::FunctionType::get(ptr, {f64, f64}, false)),
                                  {b.CreateExtractValue(r, 0), b.CreateExtractValue(r, 1)});
    b.CreateRet(b.CreatePtrToInt(o, i64));
  } else if (is_np_scalar(root.ret) && dtype_is_complex(root.ret.dtype())) {  // boxed here, after a successful call
    DType d = root.ret.dtype();
    llvm::Value *flag = b.getInt32(1);
    if (root.ret.weak()) {
      flag = b.CreateZExt(b.CreateExtractValue(r, 1), b.getInt32Ty());
      r = b.CreateExtractValue(r, 0);
    }
    auto *f64 = b.getDoubleTy();
    llvm::Value *re = b.CreateExtractValue(r, 0), *im = b.CreateExtractValue(r, 1);
    if (d == DType::C64) re = b.CreateFPExt(re, f64), im = b.CreateFPExt(im, f64);
    when_ok();
    auto box_ty = llvm::FunctionType::get(ptr, {b.getInt32Ty(), f64, f64, b.getInt32Ty()}, false);
    llvm::Value *o = b.CreateCall(m.getOrInsertFunction("pv_np_box_complex", box_ty), {b.getInt32(int(d)), re, im, flag});
    b.CreateRet(b.CreatePtrToInt(o, i64));
  } else if (is_np_scalar(root.ret)) {  // boxed here (NULL with an exception: the dispatcher reports it)
    DType d = root.ret.dtype();
    llvm::Value *flag = nullptr;
    if (root.ret.weak()) {
      flag = b.CreateZExt(b.CreateExtractValue(r, 1), b.getInt32Ty());
      r = b.CreateExtractValue(r, 0);
    }
    llvm::Value *bits = d == DType::F64 ? b.CreateBitCast(r, i64)
                        : d == DType::F32 ? b.CreateZExt(b.CreateBitCast(r, b.getInt32Ty()), i64)
                                          : b.CreateZExt(r, i64);
    when_ok();
    llvm::Value *o = flag ? b.CreateCall(ms.runtime("pv_np_box_weak"), {b.getInt32(int(d)), bits, flag})
                          : b.CreateCall(ms.runtime("pv_np_box"), {b.getInt32(int(d)), bits});
    b.CreateRet(b.CreatePtrToInt(o, i64));
  }
  else if (root.ret == Ty::Float) b.CreateRet(b.CreateBitCast(r, i64));
  else if (root.ret == Ty::Bool) b.CreateRet(b.CreateZExt(r, i64));
  else if (root.ret == Ty::Int) b.CreateRet(r);
  else b.CreateRet(b.getInt64(0));
  ms.dib.finalize();
  out.fe_remarks = ms.fe_remarks;
  return out;
}

}  // namespace pyvorin
