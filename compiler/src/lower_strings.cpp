// lower (text): f-strings, conversions and the builtins over str, bytes and files. Every piece
// of text is made by CPython's own code (PyObject_Format, PyObject_Str, PyObject_Repr, the
// builtins themselves), so float repr, rounding, grouping and every message are CPython's, byte
// for byte; compiled code decides the types and skips the interpreter around them.
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
  // The rest (ord, chr, hex, int(s), float(s), bytes, open, min/max of strings, str(b, enc)):
  // CPython's builtin itself on the boxed arguments.
  llvm::Value *r = obj_builtin(e, name);
  if (name == "open") mark_effect(nullptr);  // opening may create or truncate a file
  return r;
}

}  // namespace pyvorin
