// lower (text): f-strings, conversions, str methods and character reads, and the builtins over
// str, bytes and files. Text is made by CPython's own code (PyObject_Format, PyObject_Str, the
// str C API, the builtins themselves) or, for int, float and str fields with literal specs, by
// runtime/format.cpp with CPython's digits and padding; either way it is CPython's byte for byte.
#include <functional>

#include "lower.h"
#include "pyvorin_objects.h"

namespace pyvorin {

using namespace ast;

namespace {
// UTF-8 (surrogatepass) to code points.
std::u32string code_points(const std::string &s) {
  std::u32string r;
  for (size_t i = 0; i < s.size();) {
    uint8_t c = uint8_t(s[i]);
    int n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + size_t(k) < s.size(); ++k) cp = (cp << 6) | (uint8_t(s[i + size_t(k)]) & 0x3F);
    r.push_back(cp);
    i += size_t(n);
  }
  return r;
}

// A format spec as CPython's parse_internal_render_format_spec reads it:
// [[fill]align][sign][z][#][0][width][grouping][.precision][type]. False where CPython would raise.
struct FormatSpec {
  char32_t fill = ' ';
  char align = 0, sign = 0, grouping = 0;
  bool z = false, alt = false, zero = false, fill_given = false;
  int64_t width = -1, precision = -1;
  char32_t type = 0;
};
bool parse_spec(const std::u32string &s, bool numeric, FormatSpec &f) {
  size_t pos = 0, end = s.size();
  auto is_align = [](char32_t c) { return c == '<' || c == '>' || c == '=' || c == '^'; };
  if (end - pos >= 2 && is_align(s[pos + 1])) {
    f.fill = s[pos], f.align = char(s[pos + 1]), f.fill_given = true;
    pos += 2;
  } else if (end - pos >= 1 && is_align(s[pos])) {
    f.align = char(s[pos++]);
  }
  if (pos < end && (s[pos] == '+' || s[pos] == '-' || s[pos] == ' ')) f.sign = char(s[pos++]);
  if (pos < end && s[pos] == 'z') f.z = true, ++pos;
  if (pos < end && s[pos] == '#') f.alt = true, ++pos;
  if (!f.fill_given && pos < end && s[pos] == '0') {
    f.fill = '0', f.zero = true;
    if (!f.align && numeric) f.align = '=';
    ++pos;
  }
  auto number = [&](int64_t *out) {
    size_t start = pos;
    int64_t v = 0;
    while (pos < end && s[pos] >= '0' && s[pos] <= '9') {
      v = v * 10 + int64_t(s[pos++] - '0');
      if (v > 1000000) return false;  // CPython decides ("precision too big", MemoryError, ...)
    }
    if (pos > start) *out = v;
    return true;
  };
  if (!number(&f.width)) return false;
  if (pos < end && (s[pos] == ',' || s[pos] == '_')) f.grouping = char(s[pos++]);
  if (pos < end && (s[pos] == ',' || s[pos] == '_')) return false;
  if (pos < end && s[pos] == '.') {
    ++pos;
    int64_t p = -1;
    if (!number(&p) || p < 0) return false;
    f.precision = p;
  }
  if (end - pos > 1) return false;
  if (pos < end) f.type = s[pos];
  return true;
}

// The literal text of an f-string field's spec ($fstring of literal parts only), if it has one.
bool literal_spec(const Expr &e, std::string *out) {
  if (e.kind == ExprKind::Constant && static_cast<const Constant &>(e).value_kind == Constant::Kind::Str) {
    *out = static_cast<const Constant &>(e).str_value;
    return true;
  }
  if (e.kind != ExprKind::Call) return false;
  auto &c = static_cast<const Call &>(e);
  if (c.func->kind != ExprKind::Name || static_cast<const Name &>(*c.func).id != "$fstring") return false;
  out->clear();
  for (auto &a : c.args) {
    if (a->kind != ExprKind::Constant || static_cast<const Constant &>(*a).value_kind != Constant::Kind::Str) return false;
    *out += static_cast<const Constant &>(*a).str_value;
  }
  return true;
}

// How runtime/format.cpp formats a field of type t with this spec, or -1: CPython's formatter.
int native_field(Ty t, const std::string &spec_text, FormatSpec &f) {
  bool numeric = t == Ty::Int || t == Ty::Float;
  if (t != Ty::Int && t != Ty::Float && t != Ty::Str) return -1;
  if (!parse_spec(code_points(spec_text), numeric, f) || f.z || f.alt) return -1;
  if (f.grouping && f.align == '=') return -1;  // CPython groups the zero padding too
  if (!f.align) f.align = numeric ? '>' : '<';
  if (t == Ty::Int) {
    char32_t ty = f.type;
    if (f.precision >= 0 || !(ty == 0 || ty == 'd' || ty == 'x' || ty == 'X' || ty == 'o' || ty == 'b')) return -1;
    if (f.grouping == ',' && ty != 0 && ty != 'd') return -1;
    return PV_FIELD_INT;
  }
  if (t == Ty::Float) {
    char32_t ty = f.type;
    bool fixed = ty == 'f' || ty == 'F' || ty == 'e' || ty == 'E' || ty == '%';
    if (!fixed && !(ty == 0 && f.precision < 0 && !f.grouping)) return -1;
    return PV_FIELD_FLOAT;
  }
  if ((f.type != 0 && f.type != 's') || f.sign || f.grouping || f.align == '=') return -1;
  return spec_text.empty() ? PV_FIELD_STR : PV_FIELD_STR_SPEC;
}

}  // namespace

// An f-string with fields the runtime formats itself (ints, floats, strs with specs known at
// compile time): one pv_fstring call builds the text in one buffer. The parts are evaluated left
// to right; a field CPython formats (any other value or spec) is formatted at its turn, and the
// native ones cannot fail, so deferring them to the end is not observable.
struct FunctionLowerer::TextPart {
  const Expr *value = nullptr;  // a natively formatted field's value, or the part itself
  FormatSpec spec;
  int kind = PV_FIELD_STR;
  std::string text;
};

llvm::Value *FunctionLowerer::fstring_native(const Call &e) {
  using Part = TextPart;
  std::vector<Part> parts;
  bool any = false;
  for (auto &a : e.args) {
    Part p;
    p.value = a.get();
    if (a->kind == ExprKind::Call && static_cast<const Call &>(*a).func->kind == ExprKind::Name &&
        static_cast<const Name &>(*static_cast<const Call &>(*a).func).id == "$format") {
      auto &f = static_cast<const Call &>(*a);
      std::string text;
      if (f.args.size() == 1 || literal_spec(*f.args[1], &text)) {
        int k = native_field(type(*f.args[0]), text, p.spec);
        if (k >= 0 && !(k == PV_FIELD_STR && type(*f.args[0]) != Ty::Str)) {
          p.kind = k, p.value = f.args[0].get(), p.text = text;
          any = any || k != PV_FIELD_STR;
        }
      }
    }
    parts.push_back(std::move(p));
  }
  if (!any) return nullptr;
  return build_text(parts, e.range);
}

// str(x) and format(x[, 'spec']) of an int or float (format of a str too): the runtime's
// formatter, as for an f-string field; null where CPython's formatter is needed.
llvm::Value *FunctionLowerer::format_native(const Expr &value, const std::string &spec, const SourceRange &r) {
  TextPart p;
  p.value = &value;
  int k = native_field(type(value), spec, p.spec);
  if (k < 0 || k == PV_FIELD_STR) return nullptr;
  p.kind = k, p.text = spec;
  std::vector<TextPart> parts;
  parts.push_back(std::move(p));
  return build_text(parts, r);
}

llvm::Value *FunctionLowerer::build_text(const std::vector<TextPart> &parts, const SourceRange &r) {
  using Part = TextPart;
  int line = r.line;
  size_t n = parts.size();
  auto *vals_t = llvm::ArrayType::get(m_b.getInt64Ty(), n);
  llvm::Value *vals = entry_slot(vals_t, "fields", nullptr);
  std::vector<llvm::Value *> objects;
  for (size_t i = 0; i < n; ++i) {
    const Part &p = parts[i];
    llvm::Value *v = expr(*p.value);
    llvm::Value *slot;
    if (p.kind == PV_FIELD_INT) {
      slot = convert(v, type(*p.value), Ty::Int);
    } else if (p.kind == PV_FIELD_FLOAT) {
      slot = m_b.CreateBitCast(v, m_b.getInt64Ty());
    } else {
      slot = m_b.CreatePtrToInt(v, m_b.getInt64Ty());
      objects.push_back(v);
    }
    m_b.CreateStore(slot, m_b.CreateConstGEP2_64(vals_t, vals, 0, i));
  }
  set_loc(r);
  // the fields' descriptions: a constant array of PvField (runtime/pyvorin_objects.h)
  auto *i32 = m_b.getInt32Ty();
  auto *field_t = llvm::StructType::get(m_ms.ctx, {i32, i32, i32, i32, i32, i32, i32, i32, m_b.getPtrTy(), m_b.getInt64Ty()});
  std::vector<llvm::Constant *> descs;
  for (const Part &p : parts) {
    auto c = [&](int64_t v) { return llvm::ConstantInt::get(i32, uint64_t(v)); };
    llvm::Constant *text = llvm::cast<llvm::Constant>(m_ms.string(p.text));
    descs.push_back(llvm::ConstantStruct::get(
        field_t, {c(p.kind), c(p.spec.align), c(p.spec.sign), c(int64_t(p.spec.type)), c(p.spec.grouping), c(int64_t(p.spec.fill)),
                  c(p.spec.width), c(p.spec.precision), text, llvm::ConstantInt::get(m_b.getInt64Ty(), p.text.size())}));
  }
  auto *arr_t = llvm::ArrayType::get(field_t, n);
  auto *table = new llvm::GlobalVariable(m_ms.module, arr_t, true, llvm::GlobalValue::PrivateLinkage,
                                         llvm::ConstantArray::get(arr_t, descs), "fstring.fields");
  llvm::Value *text = call_obj("pv_fstring", {table, vals, m_b.getInt64(n)}, line);
  for (auto *o : objects) release(o);
  return text;
}

llvm::Value *FunctionLowerer::text_builtin(const Call &e, const std::string &name) {
  int line = e.range.line;
  if (name == "$fstring") {
    if (llvm::Value *r = fstring_native(e)) return r;
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
    llvm::Value *r = call_obj("pv_str_join", {object_array(parts, "parts"), m_b.getInt64(parts.size())}, line);
    for (auto *p : parts) release(p);
    return r;
  }
  if (name == "$format" || name == "format") {
    const Expr &v = *e.args[0];
    Ty vt = type(v);
    std::string spec_text;
    bool literal = e.args.size() < 2 || literal_spec(*e.args[1], &spec_text);
    if (literal && vt != Ty::Str)
      if (llvm::Value *r = format_native(v, spec_text, e.range)) return r;
    bool no_spec = literal && spec_text.empty();
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
    bool to_str = name == "$str" || name == "str";
    // str() and repr() of an int or a float are format(x, ''): the runtime's formatter
    if ((to_str || name == "$repr" || name == "repr") && (vt == Ty::Int || vt == Ty::Float))
      if (llvm::Value *r = format_native(v, "", e.range)) return r;
    llvm::Value *value = expr(v);
    if (to_str && vt == Ty::Str) return value;
    llvm::Value *obj = to_object(value, vt);
    set_loc(e.range);
    const char *fn = to_str ? "PyObject_Str" : name == "$repr" || name == "repr" ? "PyObject_Repr" : "PyObject_ASCII";
    llvm::Value *r = call_obj(fn, {obj}, line);
    release(obj);
    return r;
  }
  if (name == "$raise") {  // raise E / raise E(args): never completes
    const Expr &x = *e.args[0];
    llvm::Value *exc;
    auto class_of = [&](const Expr &n) -> llvm::Value * {
      const std::string &id = static_cast<const Name &>(n).id;
      if (id == "$AssertionError") return m_b.CreateLoad(m_b.getPtrTy(), py_global("PyExc_AssertionError"), "AssertionError");
      return builtin_object(id, line);
    };
    if (x.kind == ExprKind::Name) {
      exc = class_of(x);
      incref(exc);
      exc = own(exc);
    } else {
      auto &call = static_cast<const Call &>(x);
      llvm::Value *cls = class_of(*call.func);
      std::vector<llvm::Value *> args;
      for (auto &a : call.args) args.push_back(to_object(expr(*a), type(*a)));
      set_loc(e.range);
      exc = call_function(cls, args, args.size(), nullptr, line);
    }
    set_loc(e.range);
    m_b.CreateCall(capi("pv_raise_object", m_b.getVoidTy(), {m_b.getPtrTy()}), {exc});
    release(exc);
    python_error(line);
    fresh_block("after.raise");
    return none_value();
  }
  if (name == "map") {  // CPython's map over the function object and the iterables
    std::vector<llvm::Value *> args;
    llvm::Value *f = function_object(*e.args[0], line);
    args.push_back(f);
    for (size_t i = 1; i < e.args.size(); ++i) args.push_back(to_object(expr(*e.args[i]), type(*e.args[i])));
    set_loc(e.range);
    return from_object(call_function(builtin_object("map", line), args, args.size(), nullptr, line), type(e), line, true);
  }
  if ((name == "int" || name == "float") && e.args.size() == 1 && e.keywords.empty() && type(*e.args[0]) == Ty::Str)
    return parse_number(e, name == "int");
  // The rest (ord, chr, hex, int(s, base), bytes, open, min/max of strings, str(b, enc)):
  // CPython's builtin itself on the boxed arguments.
  llvm::Value *r = obj_builtin(e, name);
  if (name == "open") mark_effect(nullptr);  // opening may create or truncate a file
  return r;
}

namespace {
// A one-code-point str literal: its code point.
bool char_literal(const Expr &e, uint32_t *cp) {
  if (e.kind != ExprKind::Constant || static_cast<const Constant &>(e).value_kind != Constant::Kind::Str) return false;
  std::u32string cps = code_points(static_cast<const Constant &>(e).str_value);
  if (cps.size() != 1) return false;
  *cp = uint32_t(cps[0]);
  return true;
}
bool char_index(const Expr &e, const std::function<Ty(const Expr &)> &type) {
  return e.kind == ExprKind::Subscript && static_cast<const Subscript &>(e).slice->kind != ExprKind::Slice &&
         type(*static_cast<const Subscript &>(e).value) == Ty::Str;
}
}  // namespace

// The code point at k (0 <= k < len) of an exact str, read in place: PEP 393's state byte
// (offset 32 in CPython 3.11: kind in bits 2-4, compact bit 5, ascii bit 6) picks the data (after
// the 48-byte header of a compact ASCII str, the 72-byte one of other compact strs) and the width
// (1, 2 or 4 bytes); a legacy (non-compact) str asks the runtime.
llvm::Value *FunctionLowerer::str_char_at(llvm::Value *s, llvm::Value *k) {
  llvm::Value *state = m_b.CreateLoad(m_b.getInt8Ty(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), s, 32), "str.state");
  llvm::Value *kind = m_b.CreateAnd(m_b.CreateLShr(state, 2), 7, "str.kind");
  llvm::Value *compact = m_b.CreateICmpNE(m_b.CreateAnd(state, 0x20), m_b.getInt8(0));
  llvm::Value *ascii = m_b.CreateICmpNE(m_b.CreateAnd(state, 0x40), m_b.getInt8(0));
  llvm::Value *data = m_b.CreateSelect(ascii, m_b.CreateConstGEP1_64(m_b.getInt8Ty(), s, 48), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), s, 72));
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "char.done", m_fn);
  auto *k1 = llvm::BasicBlock::Create(m_ms.ctx, "char.1", m_fn);
  auto *k2 = llvm::BasicBlock::Create(m_ms.ctx, "char.2", m_fn);
  auto *k4 = llvm::BasicBlock::Create(m_ms.ctx, "char.4", m_fn);
  auto *legacy = llvm::BasicBlock::Create(m_ms.ctx, "char.legacy", m_fn);
  auto *kinds = llvm::BasicBlock::Create(m_ms.ctx, "char.kind", m_fn);
  m_b.CreateCondBr(compact, kinds, legacy);
  m_b.SetInsertPoint(kinds);
  llvm::SwitchInst *sw = m_b.CreateSwitch(kind, k4, 2);
  sw->addCase(m_b.getInt8(1), k1);
  sw->addCase(m_b.getInt8(2), k2);
  llvm::PHINode *phi;
  m_b.SetInsertPoint(k1);
  llvm::Value *v1 = m_b.CreateZExt(m_b.CreateLoad(m_b.getInt8Ty(), m_b.CreateGEP(m_b.getInt8Ty(), data, k)), m_b.getInt32Ty());
  m_b.CreateBr(done);
  m_b.SetInsertPoint(k2);
  llvm::Value *v2 = m_b.CreateZExt(m_b.CreateLoad(m_b.getInt16Ty(), m_b.CreateGEP(m_b.getInt16Ty(), data, k)), m_b.getInt32Ty());
  m_b.CreateBr(done);
  m_b.SetInsertPoint(k4);
  llvm::Value *v4 = m_b.CreateLoad(m_b.getInt32Ty(), m_b.CreateGEP(m_b.getInt32Ty(), data, k));
  m_b.CreateBr(done);
  m_b.SetInsertPoint(legacy);
  llvm::Value *vl = m_b.CreateCall(capi("pv_str_char", m_b.getInt32Ty(), {m_b.getPtrTy(), m_b.getInt64Ty()}), {s, k});
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  phi = m_b.CreatePHI(m_b.getInt32Ty(), 4, "code.point");
  phi->addIncoming(v1, k1);
  phi->addIncoming(v2, k2);
  phi->addIncoming(v4, k4);
  phi->addIncoming(vl, legacy);
  return phi;
}

// s[i] of a str: the one-character str (CPython's cached object for latin-1), IndexError
// "string index out of range"; b[i] of a bytes: the byte as an int, read in place.
llvm::Value *FunctionLowerer::text_item(const Subscript &e) {
  int line = e.range.line;
  Ty ct = type(*e.value);
  llvm::Value *c = expr(*e.value);
  llvm::Value *i = index_value(*e.slice, line);
  set_loc(e.range);
  llvm::Value *r;
  if (is_byte_buffer(ct)) {
    // bytes: the bytes inline at offset 32 (ob_sval); bytearray: behind ob_start (offset 40)
    llvm::Value *k = checked_index(i, ob_size(c), ct == Ty::Bytes ? "index out of range" : "bytearray index out of range", line);
    llvm::Value *data = ct == Ty::Bytes ? m_b.CreateConstGEP1_64(m_b.getInt8Ty(), c, 32)
                                        : m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), c, 40), "ob_start");
    llvm::Value *p = m_b.CreateGEP(m_b.getInt8Ty(), data, k);
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
  // (s[i] on the left: only before a name, so s[i]'s IndexError still comes first)
  if ((ia && !ib && !lb && type(b) == Ty::Str && b.kind == ExprKind::Name) || (ib && !ia && !la && type(a) == Ty::Str)) {
    // ch == s[i] for any str ch: ch's one code point against s[i]'s, with no str made for s[i]
    bool index_left = ia;
    llvm::Value *other = nullptr, *str = nullptr, *i = nullptr;
    auto index_parts = [&](const Expr &x) {
      auto &s = static_cast<const Subscript &>(x);
      str = expr(*s.value);
      i = index_value(*s.slice, x.range.line);
    };
    if (index_left) {
      index_parts(a);
      other = expr(b);
    } else {
      other = expr(a);
      index_parts(b);
    }
    set_loc(e.range);
    // s[i]'s code point (IndexError first), against ch's only code point (-1 when ch's length is not 1)
    llvm::Value *k = checked_index(i, ob_size(str), "string index out of range", e.range.line);
    llvm::Value *c = str_char_at(str, k);
    llvm::Value *one = m_b.CreateICmpEQ(ob_size(other), m_b.getInt64(1));
    auto *single = llvm::BasicBlock::Create(m_ms.ctx, "char.single", m_fn);
    auto *joined = llvm::BasicBlock::Create(m_ms.ctx, "char.cmp", m_fn);
    llvm::BasicBlock *from = m_b.GetInsertBlock();
    m_b.CreateCondBr(one, single, joined);
    m_b.SetInsertPoint(single);
    llvm::Value *oc = str_char_at(other, m_b.getInt64(0));
    llvm::BasicBlock *single_end = m_b.GetInsertBlock();
    m_b.CreateBr(joined);
    m_b.SetInsertPoint(joined);
    llvm::PHINode *ocp = m_b.CreatePHI(m_b.getInt32Ty(), 2, "char.other");
    ocp->addIncoming(m_b.getInt32(uint32_t(-1)), from);
    ocp->addIncoming(oc, single_end);
    llvm::Value *v = m_b.CreateZExt(m_b.CreateICmpEQ(c, ocp), m_b.getInt32Ty());
    release(str);
    release(other);
    llvm::Value *eq = m_b.CreateICmpNE(v, m_b.getInt32(0));
    return op == CmpOp::Eq ? eq : m_b.CreateNot(eq);
  }
  if (!((ia || la) && (ib || lb)) || (la && lb)) return nullptr;
  auto code_point = [&](const Expr &x, bool literal, uint32_t cp) -> llvm::Value * {
    if (literal) return m_b.getInt32(cp);
    auto &s = static_cast<const Subscript &>(x);
    llvm::Value *str = expr(*s.value);
    llvm::Value *i = index_value(*s.slice, x.range.line);
    set_loc(x.range);
    llvm::Value *k = checked_index(i, ob_size(str), "string index out of range", x.range.line);
    llvm::Value *v = str_char_at(str, k);
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

// The str methods with a C-API entry point that does exactly what the method does (the method's
// own implementation calls it): split, rsplit, join, find, rfind, count, replace, startswith,
// endswith (a str prefix), splitlines, strip/lstrip/rstrip. No method lookup, no argument
// tuple. Null: the method by name (pv_call_method).
llvm::Value *FunctionLowerer::str_method(const Call &e, const Attribute &a) {
  const std::string &m = a.attr;
  size_t n = e.args.size();
  std::vector<Ty> at;
  for (auto &x : e.args) at.push_back(type(*x));
  auto all = [&](size_t from, size_t to, bool (*ok)(Ty)) {
    for (size_t i = from; i < to && i < n; ++i)
      if (!ok(at[i])) return false;
    return true;
  };
  auto is_str = [](Ty t) { return t == Ty::Str; };
  auto is_int = [](Ty t) { return is_integral(t); };
  enum Shape { None_, Split, Join, Find, Count, Replace, Tail, Lines, Strip } shape = None_;
  if ((m == "split" || m == "rsplit") && (n == 0 || (is_str(at[0]) && (n == 1 || is_int(at[1]))))) shape = Split;
  else if (m == "join" && n == 1) shape = Join;
  else if ((m == "find" || m == "rfind") && n >= 1 && is_str(at[0]) && all(1, 3, is_int)) shape = Find;
  else if (m == "count" && n >= 1 && is_str(at[0]) && all(1, 3, is_int)) shape = Count;
  else if (m == "replace" && n >= 2 && is_str(at[0]) && is_str(at[1]) && all(2, 3, is_int)) shape = Replace;
  else if ((m == "startswith" || m == "endswith") && n >= 1 && is_str(at[0]) && all(1, 3, is_int)) shape = Tail;
  else if (m == "splitlines" && (n == 0 || is_int(at[0]))) shape = Lines;
  else if ((m == "strip" || m == "lstrip" || m == "rstrip") && (n == 0 || is_str(at[0]))) shape = Strip;
  if (shape == None_) return nullptr;
  int line = e.range.line;
  llvm::Value *self = expr(*a.value);
  std::vector<llvm::Value *> args;
  for (size_t i = 0; i < n; ++i) args.push_back(expr(*e.args[i]));
  set_loc(e.range);
  auto i64 = [&](size_t i, int64_t dflt) -> llvm::Value * { return i < n ? convert(args[i], at[i], Ty::Int) : m_b.getInt64(uint64_t(dflt)); };
  auto *null = llvm::ConstantPointerNull::get(m_b.getPtrTy());
  auto checked_size = [&](llvm::Value *v, int64_t error) {  // a Py_ssize_t result; `error` (-1 or -2) with an exception
    auto *err = llvm::BasicBlock::Create(m_ms.ctx, "pyerr", m_fn);
    auto *cont = llvm::BasicBlock::Create(m_ms.ctx, "ok", m_fn);
    m_b.CreateCondBr(m_b.CreateICmpEQ(v, m_b.getInt64(uint64_t(error))), err, cont);
    m_b.SetInsertPoint(err);
    python_error(line);
    m_b.SetInsertPoint(cont);
    return v;
  };
  llvm::Value *r = nullptr;
  const int64_t kEnd = INT64_MAX;
  switch (shape) {
    case Split:
      r = call_obj(m == "split" ? "PyUnicode_Split" : "PyUnicode_RSplit", {self, n ? args[0] : null, i64(1, -1)}, line);
      break;
    case Join: {
      Ty it = at[0];
      llvm::Value *seq = to_object(args[0], it);
      args[0] = seq;
      r = call_obj("PyUnicode_Join", {self, seq}, line);
      break;
    }
    case Find: {
      llvm::Value *v = m_b.CreateCall(capi("PyUnicode_Find", m_b.getInt64Ty(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt64Ty(), m_b.getInt64Ty(), m_b.getInt32Ty()}),
                                      {self, args[0], i64(1, 0), i64(2, kEnd), m_b.getInt32(m == "find" ? 1 : uint32_t(-1))});
      r = checked_size(v, -2);
      break;
    }
    case Count: {
      llvm::Value *v = m_b.CreateCall(capi("PyUnicode_Count", m_b.getInt64Ty(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt64Ty(), m_b.getInt64Ty()}),
                                      {self, args[0], i64(1, 0), i64(2, kEnd)});
      r = checked_size(v, -1);
      break;
    }
    case Replace:
      r = call_obj("PyUnicode_Replace", {self, args[0], args[1], i64(2, -1)}, line);
      break;
    case Tail: {
      llvm::Value *v = m_b.CreateCall(capi("PyUnicode_Tailmatch", m_b.getInt64Ty(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt64Ty(), m_b.getInt64Ty(), m_b.getInt32Ty()}),
                                      {self, args[0], i64(1, 0), i64(2, kEnd), m_b.getInt32(m == "startswith" ? uint32_t(-1) : 1)});
      r = m_b.CreateICmpEQ(checked_size(v, -1), m_b.getInt64(1));
      break;
    }
    case Lines:
      r = call_obj("PyUnicode_Splitlines", {self, n ? m_b.CreateZExt(m_b.CreateICmpNE(to_int(args[0], at[0]), m_b.getInt64(0)), m_b.getInt32Ty()) : m_b.getInt32(0)}, line);
      break;
    case Strip: {
      int which = m == "lstrip" ? 0 : m == "rstrip" ? 1 : 2;
      if (n)
        r = call_obj("_PyUnicode_XStrip", {self, m_b.getInt32(uint32_t(which)), args[0]}, line);
      else
        r = call_obj("pv_str_strip", {self, m_b.getInt32(uint32_t(which))}, line);
      break;
    }
    case None_: break;
  }
  for (size_t i = 0; i < n; ++i)
    if (is_object(at[i]) || (shape == Join && i == 0)) release(args[i]);
  release(self);
  if (shape == Find || shape == Count || shape == Tail) return r;
  return from_object(r, type(e), line, true);
}

// The truth of `s.strip()` (or lstrip/rstrip) with no argument: whether s has a character that
// is not whitespace. The same answer, with no stripped str made.
llvm::Value *FunctionLowerer::str_truth(const Expr &e) {
  if (e.kind != ExprKind::Call) return nullptr;
  auto &c = static_cast<const Call &>(e);
  if (!c.args.empty() || !c.keywords.empty() || c.func->kind != ExprKind::Attribute) return nullptr;
  auto &a = static_cast<const Attribute &>(*c.func);
  if ((a.attr != "strip" && a.attr != "lstrip" && a.attr != "rstrip") || type(*a.value) != Ty::Str || type(e) != Ty::Str) return nullptr;
  auto it = m_spec.calls.find(&c);
  if (it == m_spec.calls.end() || it->second.kind != CallTarget::Kind::Method) return nullptr;
  llvm::Value *s = expr(*a.value);
  set_loc(e.range);
  llvm::Value *r = m_b.CreateCall(capi("pv_str_has_text", m_b.getInt32Ty(), {m_b.getPtrTy()}), {s});
  release(s);
  return m_b.CreateICmpNE(r, m_b.getInt32(0));
}

}  // namespace pyvorin
