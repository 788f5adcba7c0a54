// lower (print): print() to sys.stdout through the runtime's print buffer (pv_print_*, in order with
// CPython's own prints), and print(..., file=f) to a text file through the builtin's own writes.
#include <llvm/IR/MDBuilder.h>

#include "lower.h"

namespace pyvorin {

using namespace ast;

llvm::Value *FunctionLowerer::print(const Call &e) {
  std::string sep = " ", end = "\n";
  const Expr *file = nullptr;
  bool flush = false;
  for (auto &k : e.keywords) {
    if (k.arg == "file") {
      if (!(k.value->kind == ExprKind::Constant && static_cast<const Constant &>(*k.value).value_kind == Constant::Kind::None))
        file = k.value.get();
      continue;
    }
    auto &c = static_cast<const Constant &>(*k.value);
    if (k.arg == "flush") {
      flush = c.value_kind == Constant::Kind::Bool && c.bool_value;
      continue;
    }
    if (c.value_kind != Constant::Kind::Str) continue;  // None keeps the default
    (k.arg == "sep" ? sep : end) = c.str_value;
  }
  if (file) return print_to_file(e, *file, sep, end, flush);
  // CPython evaluates every argument before writing anything: an error prints nothing.
  std::vector<llvm::Value *> values;
  for (auto &a : e.args) {
    bool literal = a->kind == ExprKind::Constant && static_cast<const Constant &>(*a).value_kind == Constant::Kind::Str;
    values.push_back(literal ? nullptr : expr(*a));
  }
  set_loc(e.range);
  for (size_t i = 0; i < e.args.size(); ++i) {
    const Expr &a = *e.args[i];
    if (i > 0) m_b.CreateCall(m_ms.runtime("pv_print_str"), {m_ms.string(sep), m_b.getInt64(sep.size())});
    llvm::Value *v = values[i];
    if (!v) {
      const std::string &text = static_cast<const Constant &>(a).str_value;
      m_b.CreateCall(m_ms.runtime("pv_print_str"), {m_ms.string(text), m_b.getInt64(text.size())});
      continue;
    }
    Ty at = type(a);
    if (is_np_scalar(at) || at == Ty::Complex) {  // NumPy's own str(), complex's repr-like str()
      v = to_object(v, at);
      at = Ty::tuple({});
    }
    if (is_object(at)) {  // str(obj), CPython's own text
      call_int("pv_print_obj", {v}, e.range.line);
      release(v);
      continue;
    }
    switch (at.kind()) {
      case Kind::Int: m_b.CreateCall(m_ms.runtime("pv_print_int"), {v}); break;
      case Kind::Float: m_b.CreateCall(m_ms.runtime("pv_print_float"), {v}); break;
      case Kind::Bool: m_b.CreateCall(m_ms.runtime("pv_print_bool"), {m_b.CreateZExt(v, m_b.getInt32Ty())}); break;
      default: m_b.CreateCall(m_ms.runtime("pv_print_none"), {}); break;
    }
  }
  set_loc(e.range);
  // sys.stdout.write can raise (a strict stream and a lone surrogate): its exception propagates.
  llvm::Value *failed = m_b.CreateCall(m_ms.runtime("pv_print_end"),
                                       {m_ctx, m_ms.string(end), m_b.getInt64(end.size()), m_fname, line_const(e.range.line)});
  auto *printed = llvm::BasicBlock::Create(m_ms.ctx, "printed", m_fn);
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(m_b.CreateICmpNE(failed, m_b.getInt32(0)), m_unwind, printed, md.createBranchWeights(1, 1u << 20));
  m_b.SetInsertPoint(printed);
  return none_value();
}

// print(..., file=f) for a text file: what the builtin does, call for call: each value written
// with PyFile_WriteObject(value, f, Py_PRINT_RAW) (its str()), the separator between them and
// the end after, then f.flush() for flush=True. A write to a file is an effect.
llvm::Value *FunctionLowerer::print_to_file(const Call &e, const Expr &file, const std::string &sep, const std::string &end,
                                            bool flush) {
  int line = e.range.line;
  std::vector<llvm::Value *> values;
  for (auto &a : e.args) values.push_back(to_object(expr(*a), type(*a)));
  llvm::Value *f = expr(file);
  set_loc(e.range);
  mark_effect(nullptr);
  auto write_text = [&](const std::string &text) {
    llvm::Value *s = str_object(text);
    fail_if_null(s, line);
    call_int("PyFile_WriteObject", {s, f, m_b.getInt32(1)}, line);
  };
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) write_text(sep);
    call_int("PyFile_WriteObject", {values[i], f, m_b.getInt32(1)}, line);
  }
  write_text(end);
  if (flush) {
    release(call_obj("pv_call_method", {site_cache(), m_ms.string("flush"), object_array({f}), m_b.getInt64(1),
                                        llvm::ConstantPointerNull::get(m_b.getPtrTy())}, line));
  }
  for (auto *v : values) release(v);
  release(f);
  return none_value();
}

}  // namespace pyvorin
