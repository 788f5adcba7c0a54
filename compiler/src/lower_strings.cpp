// lower (text): f-strings, conversions and the builtins over str, bytes and files. Every piece
// of text is made by CPython's own code (PyObject_Format, PyObject_Str, PyObject_Repr, the
// builtins themselves), so float repr, rounding, grouping and every message are CPython's, byte
// for byte; compiled code decides the types and skips the interpreter around them.
#include <functional>

#include "lower.h"

namespace pyvorin {

using namespace ast;

namespace {
bool empty_literal(const Expr &e) {
  if (e.kind == ExprKind::Constant)
    return static_cast<const Constant &>(e).value_kind == Constant::Kind::Str && static_cast<const Constant &>(e).str_value.empty();
  if (e.kind != ExprKind::Call) return false;
  auto &c = static_cast<const Call &>(e);  // an f-string spec with no parts: $fstring()
  return c.func->kind == ExprKind::Name && static_cast<const Name &>(*c.func).id == "$fstring" && c.args.empty();
}
}  // namespace

llvm::Value *FunctionLowerer::text_builtin(const Call &e, const std::string &name) {
  int line = e.range.line;
  if (name == "$fstring") {
    // each part is a str object; CPython's BUILD_STRING joins them (_PyUnicode_JoinArray)
    std::vector<llvm::Value *> parts;
    for (auto &a : e.args) parts.push_back(expr(*a));
    set_loc(e.range);
    if (parts.size() == 1) return parts[0];
    if (parts.empty()) {
      llvm::Value *s = str_object("");
      fail_if_null(s, line);
      incref(s);
      return own(s);
    }
    auto *arr_t = llvm::ArrayType::get(m_b.getPtrTy(), parts.size());
    llvm::Value *arr = entry_slot(arr_t, "parts", nullptr);
    for (size_t i = 0; i < parts.size(); ++i) m_b.CreateStore(parts[i], m_b.CreateConstGEP2_64(arr_t, arr, 0, i));
    llvm::Value *r = call_obj("pv_str_join", {arr, m_b.getInt64(parts.size())}, line);
    for (auto *p : parts) release(p);
    return r;
  }
  if (name == "$format" || name == "format") {
    const Expr &v = *e.args[0];
    Ty vt = type(v);
    bool no_spec = e.args.size() < 2 || empty_literal(*e.args[1]);
    llvm::Value *value = expr(v);
    if (no_spec && vt == Ty::Str) return value;  // an exact str formats as itself
    llvm::Value *obj = to_object(value, vt);
    llvm::Value *spec = no_spec ? nullptr : expr(*e.args[1]);
    set_loc(e.range);
    llvm::Value *r = call_obj("PyObject_Format", {obj, spec ? spec : llvm::ConstantPointerNull::get(m_b.getPtrTy())}, line);
    if (spec) release(spec);
    release(obj);
    return r;
  }
  if ((name == "$str" || name == "str" || name == "$repr" || name == "repr" || name == "$ascii" || name == "ascii") &&
      e.args.size() == 1 && e.keywords.empty()) {
    const Expr &v = *e.args[0];
    Ty vt = type(v);
    llvm::Value *value = expr(v);
    bool to_str = name == "$str" || name == "str";
    if (to_str && vt == Ty::Str) return value;
    llvm::Value *obj = to_object(value, vt);
    set_loc(e.range);
    const char *fn = to_str ? "PyObject_Str" : name == "$repr" || name == "repr" ? "PyObject_Repr" : "PyObject_ASCII";
    llvm::Value *r = call_obj(fn, {obj}, line);
    release(obj);
    return r;
  }
  if ((name == "int" || name == "float") && e.args.size() == 1 && e.keywords.empty() && type(*e.args[0]) == Ty::Str)
    return parse_number(e, name == "int");
  // The rest (ord, chr, hex, int(s, base), bytes, open, min/max of strings, str(b, enc)):
  // CPython's builtin itself on the boxed arguments.
  llvm::Value *r = obj_builtin(e, name);
  if (name == "open") mark_effect(nullptr);  // opening may create or truncate a file
  return r;
}

}  // namespace pyvorin

namespace pyvorin {

namespace {
// A one-code-point str literal: its code point.
bool char_literal(const Expr &e, uint32_t *cp) {
  if (e.kind != ExprKind::Constant || static_cast<const Constant &>(e).value_kind != Constant::Kind::Str) return false;
  const std::string &s = static_cast<const Constant &>(e).str_value;  // UTF-8 (surrogatepass)
  auto b = [&](size_t i) { return uint32_t(uint8_t(s[i])); };
  if (s.size() == 1 && b(0) < 0x80) *cp = b(0);
  else if (s.size() == 2 && (b(0) & 0xE0) == 0xC0) *cp = ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  else if (s.size() == 3 && (b(0) & 0xF0) == 0xE0) *cp = ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  else if (s.size() == 4 && (b(0) & 0xF8) == 0xF0)
    *cp = ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  else return false;
  return true;
}
bool char_index(const Expr &e, const std::function<Ty(const Expr &)> &type) {
  return e.kind == ExprKind::Subscript && static_cast<const Subscript &>(e).slice->kind != ExprKind::Slice &&
         type(*static_cast<const Subscript &>(e).value) == Ty::Str;
}
}  // namespace

// s[i] of a str: the one-character str (CPython's cached object for latin-1), IndexError
// "string index out of range"; b[i] of a bytes: the byte as an int, read in place.
llvm::Value *FunctionLowerer::text_item(const Subscript &e) {
  int line = e.range.line;
  Ty ct = type(*e.value);
  llvm::Value *c = expr(*e.value);
  llvm::Value *i = index_value(*e.slice, line);
  set_loc(e.range);
  llvm::Value *r;
  if (ct == Ty::Bytes) {
    llvm::Value *k = checked_index(i, ob_size(c), "index out of range", line);
    llvm::Value *p = m_b.CreateGEP(m_b.getInt8Ty(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), c, 32), k);  // ob_sval
    r = m_b.CreateZExt(m_b.CreateLoad(m_b.getInt8Ty(), p, "byte"), m_b.getInt64Ty());
  } else {
    r = call_obj("pv_str_item", {c, i}, line);
  }
  release(c);
  return r;
}

// int(s) / float(s) of a str: plain ASCII decimal text (surrounding blanks, a sign, digits, for a
// float a point and an exponent) is parsed natively (pv_parse_int/pv_parse_float); anything
// else (underscores, Unicode digits, inf, an error, an int beyond int64) is CPython's own
// PyLong_FromUnicodeObject / PyFloat_FromString, which is what int() and float() call.
llvm::Value *FunctionLowerer::parse_number(const Call &e, bool integer) {
  int line = e.range.line;
  llvm::Value *s = expr(*e.args[0]);
  set_loc(e.range);
  llvm::Type *vt = integer ? (llvm::Type *)m_b.getInt64Ty() : m_b.getDoubleTy();
  llvm::Value *out = entry_slot(vt, "parsed", nullptr);
  llvm::Value *ok = m_b.CreateCall(capi(integer ? "pv_parse_int" : "pv_parse_float", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getPtrTy()}),
                                   {s, out});
  auto *fast = llvm::BasicBlock::Create(m_ms.ctx, "parse.fast", m_fn);
  auto *slow = llvm::BasicBlock::Create(m_ms.ctx, "parse.slow", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "parse.done", m_fn);
  m_b.CreateCondBr(m_b.CreateICmpNE(ok, m_b.getInt32(0)), fast, slow);
  m_b.SetInsertPoint(fast);
  llvm::Value *fv = m_b.CreateLoad(vt, out, "parsed");
  m_b.CreateBr(done);
  m_b.SetInsertPoint(slow);
  llvm::Value *o = integer ? call_obj("PyLong_FromUnicodeObject", {s, m_b.getInt32(10)}, line) : call_obj("PyFloat_FromString", {s}, line);
  llvm::Value *sv = from_object(o, integer ? Ty::Int : Ty::Float, line, true);
  llvm::BasicBlock *slow_end = m_b.GetInsertBlock();
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  llvm::PHINode *phi = m_b.CreatePHI(vt, 2, "number");
  phi->addIncoming(fv, fast);
  phi->addIncoming(sv, slow_end);
  release(s);
  return phi;
}

// A code point of `e`, a one-character literal or s[i]: no str object is made.
// Equality of two such: the code points compared (CPython compares the one-character strs,
// which is the same). Anything else: null (the general comparison).
llvm::Value *FunctionLowerer::char_compare(const Compare &e) {
  CmpOp op = e.ops[0];
  if (op != CmpOp::Eq && op != CmpOp::NotEq) return nullptr;
  auto ty = [this](const Expr &x) { return type(x); };
  const Expr &a = *e.left, &b = *e.comparators[0];
  uint32_t ca = 0, cb = 0;
  bool la = char_literal(a, &ca), lb = char_literal(b, &cb);
  bool ia = char_index(a, ty), ib = char_index(b, ty);
  if (!((ia || la) && (ib || lb)) || (la && lb)) return nullptr;
  auto code_point = [&](const Expr &x, bool literal, uint32_t cp) -> llvm::Value * {
    if (literal) return m_b.getInt32(cp);
    auto &s = static_cast<const Subscript &>(x);
    llvm::Value *str = expr(*s.value);
    llvm::Value *i = index_value(*s.slice, x.range.line);
    set_loc(x.range);
    llvm::Value *v = m_b.CreateCall(capi("pv_str_char", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getInt64Ty()}), {str, i});
    auto *err = llvm::BasicBlock::Create(m_ms.ctx, "pyerr", m_fn);
    auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "ok", m_fn);
    m_b.CreateCondBr(m_b.CreateICmpSLT(v, m_b.getInt32(0)), err, cont);
    m_b.SetInsertPoint(err);
    python_error(x.range.line);
    m_b.SetInsertPoint(cont);
    release(str);
    return v;
  };
  llvm::Value *x = code_point(a, la, ca);
  llvm::Value *y = code_point(b, lb, cb);
  set_loc(e.range);
  return op == CmpOp::Eq ? m_b.CreateICmpEQ(x, y) : m_b.CreateICmpNE(x, y);
}

// s += t (or s = s + t) for a str variable s: CPython's in-place append (PyUnicode_Append), which
// grows s's own buffer when the variable holds its only reference, as the interpreter does, so a
// string built in a loop is linear, not quadratic.
bool FunctionLowerer::str_append(const Expr &target, const Expr &value) {
  if (target.kind != ExprKind::Name || value.kind != ExprKind::BinOp) return false;
  auto &b = static_cast<const BinOp &>(value);
  const std::string &id = static_cast<const Name &>(target).id;
  if (b.op != Op::Add || b.left->kind != ExprKind::Name || static_cast<const Name &>(*b.left).id != id) return false;
  if (type(*b.left) != Ty::Str || type(*b.right) != Ty::Str || type(value) != Ty::Str) return false;
  auto it = m_vars.find(id);
  if (it == m_vars.end() || it->second.type != Ty::Str || m_native.count(id) || m_tables.count(id)) return false;
  Var &var = it->second;
  const Name &left = static_cast<const Name &>(*b.left);
  if (var.bound && m_maybe_unbound.count(&left)) release(load_var(left));  // UnboundLocalError first
  llvm::Value *r = expr(*b.right);
  set_loc(value.range);
  // the variable's reference goes to PyUnicode_Append, which leaves the result (or null) in the slot
  m_b.CreateCall(capi("PyUnicode_Append", m_b.getVoidTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {var.slot, r});
  release(r);
  fail_if_null(m_b.CreateLoad(m_b.getPtrTy(), var.slot, id), value.range.line);
  return true;
}

}  // namespace pyvorin
