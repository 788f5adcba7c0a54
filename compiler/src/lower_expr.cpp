// lower (expressions): operators with CPython's semantics, calls to compiled functions, builtins,
// math (print is in lower_print.cpp). Each function names the Python shape it handles.
#include <cmath>
#include <cstdlib>
#include <set>

#include <llvm/IR/Intrinsics.h>

#include "lower.h"
#include "numpy_rules.h"

#include <llvm/IR/MDBuilder.h>

namespace pyvorin {

using namespace ast;

Ty FunctionLowerer::type(const Expr &e) const {
  auto it = m_spec.types.find(&e);
  return it == m_spec.types.end() ? Ty::None : it->second;
}

llvm::Value *FunctionLowerer::none_value() { return m_b.getFalse(); }

// bool(x) for a scalar: nan is true, as in CPython.
llvm::Value *FunctionLowerer::truthy(llvm::Value *v, Ty t) {
  if (is_object(t)) return obj_truthy(v, t, 0);  // v stays owned by the caller
  if (is_np_scalar(t)) return np_truthy(v, t);
  if (t == Ty::Complex)
    return m_b.CreateOr(m_b.CreateFCmpUNE(m_b.CreateExtractValue(v, 0), llvm::ConstantFP::get(m_b.getDoubleTy(), 0.0)),
                        m_b.CreateFCmpUNE(m_b.CreateExtractValue(v, 1), llvm::ConstantFP::get(m_b.getDoubleTy(), 0.0)));
  switch (t.kind()) {
    case Kind::Bool: return v;
    case Kind::Int: return m_b.CreateICmpNE(v, m_b.getInt64(0));
    case Kind::Float: return m_b.CreateFCmpUNE(v, llvm::ConstantFP::get(m_b.getDoubleTy(), 0.0));
    default: return m_b.getFalse();
  }
}

// The truth of a test. A truth-only `a and b` / `a or b` short-circuits on each operand's truth,
// whatever its type; `not` negates the truth; anything else is bool(value).
llvm::Value *FunctionLowerer::condition(const Expr &e) {
  if (auto *nl = native_list(e)) return m_b.CreateICmpNE(native_len(*nl), m_b.getInt64(0));
  if (auto *nt = native_table(e)) return m_b.CreateICmpNE(table_len(*nt), m_b.getInt64(0));
  if (e.kind == ExprKind::UnaryOp && static_cast<const UnaryOp &>(e).op == UnaryOpKind::Not) {
    llvm::Value *v = condition(*static_cast<const UnaryOp &>(e).operand);
    set_loc(e.range);
    return m_b.CreateNot(v);
  }
  if (llvm::Value *t = str_truth(e)) return t;
  if (e.kind != ExprKind::BoolOp || !m_spec.truth_only.count(&e)) {
    llvm::Value *v = expr(e);
    llvm::Value *t = truthy(v, type(e));
    release(v);
    return t;
  }
  auto &b = static_cast<const BoolOp &>(e);
  auto *end = llvm::BasicBlock::Create(m_ms.ctx, b.op == BoolOpKind::And ? "and.truth" : "or.truth", m_fn);
  std::vector<std::pair<llvm::Value *, llvm::BasicBlock *>> incoming;
  for (size_t i = 0; i < b.values.size(); ++i) {
    llvm::Value *truth = condition(*b.values[i]);
    set_loc(e.range);
    incoming.push_back({truth, m_b.GetInsertBlock()});
    if (i + 1 == b.values.size()) {
      m_b.CreateBr(end);
      break;
    }
    auto *next = llvm::BasicBlock::Create(m_ms.ctx, "truth.next", m_fn);
    if (b.op == BoolOpKind::And)
      m_b.CreateCondBr(truth, next, end);
    else
      m_b.CreateCondBr(truth, end, next);
    m_b.SetInsertPoint(next);
  }
  m_b.SetInsertPoint(end);
  llvm::PHINode *phi = m_b.CreatePHI(m_b.getInt1Ty(), unsigned(incoming.size()));
  for (auto &[v, bb] : incoming) phi->addIncoming(v, bb);
  return phi;
}

// NaN signs: on x86-64 an invalid operation (inf * 0, inf - inf) gives the default NaN, whose sign
// bit is set, and an operation with a NaN operand returns that NaN with its sign unchanged; only
// unary minus flips it. LLVM keeps neither: its constant folder makes a positive NaN, and
// InstCombine rewrites `x * -1.0`, `x / -1.0`, `-0.0 - x` to `fneg x` and `x - (-y)` to `x + y`,
// which flip or keep a NaN operand's sign differently. Every float a program brings in (literals,
// math constants, int -> float conversions) and every unary-minus result is therefore passed
// through llvm.arithmetic.fence: LLVM neither folds nor rewrites through it (it is not
// constant-folded in LLVM 19), it is speculatable (LICM hoists it) and it emits no instruction.
llvm::Value *FunctionLowerer::opaque(llvm::Value *v) { return m_b.CreateArithmeticFence(v, v->getType()); }

llvm::Value *FunctionLowerer::float_const(double v) { return opaque(llvm::ConstantFP::get(m_b.getDoubleTy(), v)); }

llvm::Value *FunctionLowerer::to_float(llvm::Value *v, Ty t) {
  if (is_np_scalar(t)) return np_to_float(v, t);
  switch (t.kind()) {
    case Kind::Float: return v;
    case Kind::Bottom: return llvm::PoisonValue::get(m_b.getDoubleTy());  // never_completes: dead code
    case Kind::Bool: return opaque(m_b.CreateUIToFP(v, m_b.getDoubleTy()));
    default: return opaque(m_b.CreateSIToFP(v, m_b.getDoubleTy()));  // correctly rounded, like float(int)
  }
}

llvm::Value *FunctionLowerer::to_int(llvm::Value *v, Ty t) {
  if (t == Ty::Bool) return m_b.CreateZExt(v, m_b.getInt64Ty());
  if (is_np_scalar(t)) return np_to_int(v, t, 0);
  if (t == Ty::Bottom) return llvm::PoisonValue::get(m_b.getInt64Ty());  // never_completes: dead code
  return v;
}

llvm::Value *FunctionLowerer::convert(llvm::Value *v, Ty from, Ty to) {
  if (from == to) return v;
  bool to_obj = is_object(to), from_obj = is_object(from);
  if (from == Ty::Bottom) return llvm::PoisonValue::get(m_ms.type_of(to));  // never_completes: dead code
  if (to_obj && !from_obj) {
    if (to.kind() == Kind::Optional && is_numeric(to.elem()) && is_numeric(from)) v = convert(v, from, to.elem()), from = to.elem();
    return to_object(v, from);  // boxed (None: Py_None)
  }
  if (to_obj) return v;  // the same object, a more precise or wider type
  if (from_obj && is_np_scalar(to)) return np_unbox(v, to, 0);
  if (is_weak(to)) return is_weak(from) ? v : np_weak(np_cast(v, from, to.dtype()), m_b.getInt1(is_np_scalar(from)), to);
  if (from_obj && to == Ty::Complex) return complex_unbox(v, 0);
  if (to == Ty::Complex) {
    llvm::Value *re, *im;
    complex_parts(v, from, &re, &im);
    return complex_make(re, im);
  }
  if (is_np_scalar(to)) return np_cast(v, from, to.dtype());
  if (to == Ty::Float) return to_float(v, from);
  if (to == Ty::Int) return to_int(v, from);
  return v;
}

llvm::Value *FunctionLowerer::load_var(const Name &n) {
  Var &var = m_vars.at(n.id);
  if (var.bound && m_maybe_unbound.count(&n)) {
    llvm::Value *bound = m_b.CreateLoad(m_b.getInt1Ty(), var.bound, n.id + ".isbound");
    raise_if(m_b.CreateNot(bound), PV_UNBOUND_LOCAL,
             "cannot access local variable '" + n.id + "' where it is not associated with a value", n.range.line);
  }
  if (var.type == Ty::None) return none_value();
  llvm::Value *v = m_b.CreateLoad(m_ms.type_of(var.type), var.slot, n.id);
  if (is_object(var.type)) {
    incref(v);
    return own(v);
  }
  if (var.shadow) m_float_load[v] = &var;
  return v;
}

// A module constant's value: a scalar inline, a tuple built (as the constant folder would not).
llvm::Value *FunctionLowerer::constant_value(const Binding &b, Ty t) {
  if (b.value_type == TypeTag::Tuple) {
    std::vector<llvm::Value *> items;
    for (size_t i = 0; i < b.items.size(); ++i) items.push_back(to_object(constant_value(b.items[i], t.args()[i]), t.args()[i]));
    llvm::Value *tuple = call_obj("PyTuple_New", {m_b.getInt64(items.size())}, 0);
    for (size_t i = 0; i < items.size(); ++i) {
      m_b.CreateStore(items[i], tuple_item_ptr(tuple, m_b.getInt64(i)));
      forget(items[i]);
    }
    return tuple;
  }
  if (b.value_type == TypeTag::Int) return m_b.getInt64(uint64_t(b.int_value));
  if (b.value_type == TypeTag::Float) return float_const(b.float_value);
  if (b.value_type == TypeTag::Bool) return m_b.getInt1(b.int_value != 0);
  return none_value();
}

llvm::Value *FunctionLowerer::expr(const Expr &e) {
  set_loc(e.range);
  if (type(e) == Ty::Bottom) return never_completes(e);
  switch (e.kind) {
    case ExprKind::Constant: {
      auto &c = static_cast<const Constant &>(e);
      switch (c.value_kind) {
        case Constant::Kind::Int: return m_b.getInt64(uint64_t(c.int_value));
        case Constant::Kind::Float: return float_const(c.float_value);
        case Constant::Kind::Bool: return m_b.getInt1(c.bool_value);
        case Constant::Kind::Complex: return complex_make(float_const(0.0), float_const(c.float_value));  // 2j
        case Constant::Kind::Str: {
          llvm::Value *s = str_object(c.str_value);
          fail_if_null(s, e.range.line);
          incref(s);
          return own(s);
        }
        case Constant::Kind::Bytes: {
          llvm::Value *s = m_b.CreateCall(capi("pv_bytes_const", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy(), m_b.getInt64Ty()}),
                                          {site_cache(), m_ms.string(c.str_value), m_b.getInt64(c.str_value.size())});
          fail_if_null(s, e.range.line);
          incref(s);
          return own(s);
        }
        default: return none_value();
      }
    }
    case ExprKind::Name: {
      auto &n = static_cast<const Name &>(e);
      if (auto *nl = native_list(n)) return native_box(*nl, e.range.line);  // read by CPython or handed over
      if (auto *nt = native_table(n)) return table_box(*nt, e.range.line);
      if (m_vars.count(n.id)) return load_var(n);
      auto &globals = m_unit.sources[size_t(m_spec.fn_index)].request->globals;
      auto it = globals.find(n.id);
      if (it != globals.end() && it->second.kind == Binding::Kind::Constant)  // K = 0.5 at module level
        return constant_value(it->second, type(e));
      if (it != globals.end() && it->second.kind == Binding::Kind::Object)  // a module-level list, read live
        return from_object(global_object(n.id, e.range.line), type(e), e.range.line, false);
      // a math constant imported by name (from math import pi)
      std::string target = it == globals.end() ? n.id : it->second.target;
      double v = target == "pi" ? M_PI : target == "e" ? M_E : target == "tau" ? 2 * M_PI : target == "inf" ? HUGE_VAL : std::nan("");
      return float_const(v);
    }
    case ExprKind::Attribute: {
      const std::string &a = static_cast<const Attribute &>(e).attr;
      if (Ty bt = type(*static_cast<const Attribute &>(e).value); is_array(bt)) return array_attribute(static_cast<const Attribute &>(e));
      else if (bt == Ty::Complex) {  // z.real, z.imag
        llvm::Value *z = expr(*static_cast<const Attribute &>(e).value);
        return m_b.CreateExtractValue(z, a == "real" ? 0 : 1);
      } else if (is_np_scalar(bt) && dtype_is_complex(bt.dtype())) {  // z.real, z.imag of a NumPy complex
        llvm::Value *w = expr(*static_cast<const Attribute &>(e).value);
        llvm::Value *part = m_b.CreateExtractValue(np_value(w, bt), a == "real" ? 0 : 1);
        return bt.weak() ? np_weak(part, np_flag(w, bt), type(e)) : part;
      } else if (is_np_scalar(bt)) {  // x.real, x.imag of a real NumPy scalar
        llvm::Value *v = expr(*static_cast<const Attribute &>(e).value);
        return a == "real" ? v : llvm::Constant::getNullValue(v->getType());
      }
      if (a == "euler_gamma") return float_const(0.57721566490153286060651209008240243);
      if (auto &base = *static_cast<const Attribute &>(e).value; type(base).kind() == Kind::File) {  // f.closed, f.name, ...
        llvm::Value *f = expr(base);
        set_loc(e.range);
        llvm::Value *v = get_attr(f, a, e.range.line);
        release(f);
        return from_object(v, type(e), e.range.line, true);
      }
      double v = a == "pi" ? M_PI : a == "e" ? M_E : a == "tau" ? 2 * M_PI : a == "inf" ? HUGE_VAL : std::nan("");
      return float_const(v);
    }
    case ExprKind::NamedExpr: {
      auto &n = static_cast<const NamedExpr &>(e);
      llvm::Value *v = expr(*n.value);
      Ty vt = type(*n.value);
      // An object: the variable takes v's reference, the expression's value is a second one.
      llvm::Value *r = is_object(vt) ? dup(v) : v;
      store_var(n.target, v, vt);
      return r;
    }
    case ExprKind::BinOp: return binop(static_cast<const BinOp &>(e));
    case ExprKind::UnaryOp: return unary(static_cast<const UnaryOp &>(e));
    case ExprKind::Compare: return compare(static_cast<const Compare &>(e));
    case ExprKind::BoolOp: return boolop(static_cast<const BoolOp &>(e));
    case ExprKind::IfExp: return ifexp(static_cast<const IfExp &>(e));
    case ExprKind::Call: return call(static_cast<const Call &>(e));
    default: return obj_expr(e);
  }
}

// An expression typed Bottom never produces a value (infer): it reads a local that is never
// bound (`i += 1` with no `i = ...` before it: UnboundLocalError), or it calls a function that
// never returns. Its operands are evaluated left to right up to the first one that never
// completes; the code after that is unreachable. The value is a placeholder of Bottom's slot type
// in a block without predecessors (to_int/to_float of a Bottom value give placeholders too).
llvm::Value *FunctionLowerer::never_completes(const Expr &e) {
  auto unreachable = [&]() -> llvm::Value * {
    m_b.CreateUnreachable();
    fresh_block("never");
    return llvm::PoisonValue::get(m_ms.type_of(Ty::Bottom));
  };
  std::vector<const Expr *> operands;
  switch (e.kind) {
    case ExprKind::Name: {
      auto &n = static_cast<const Name &>(e);
      if (m_vars.count(n.id)) {
        load_var(n);  // its bound flag is false on every path: raises
      } else {  // a local that is only annotated (`x: int`)
        raise_now(PV_UNBOUND_LOCAL, "cannot access local variable '" + n.id + "' where it is not associated with a value",
                  n.range.line);
      }
      return unreachable();
    }
    case ExprKind::BinOp: {
      auto &b = static_cast<const BinOp &>(e);
      operands = {b.left.get(), b.right.get()};
      break;
    }
    case ExprKind::UnaryOp: operands = {static_cast<const UnaryOp &>(e).operand.get()}; break;
    case ExprKind::NamedExpr: operands = {static_cast<const NamedExpr &>(e).value.get()}; break;
    case ExprKind::BoolOp:
      for (auto &v : static_cast<const BoolOp &>(e).values) operands.push_back(v.get());
      break;
    case ExprKind::Compare: {
      auto &c = static_cast<const Compare &>(e);
      operands = {c.left.get()};
      for (auto &v : c.comparators) operands.push_back(v.get());
      break;
    }
    case ExprKind::Call: {
      auto &c = static_cast<const Call &>(e);
      if (c.func->kind == ExprKind::Attribute) operands.push_back(static_cast<const Attribute &>(*c.func).value.get());
      for (auto &a : c.args) operands.push_back(a.get());
      break;
    }
    case ExprKind::IfExp: break;  // each branch never completes; lowered as usual below
    case ExprKind::ListComp: case ExprKind::SetComp: case ExprKind::DictComp: case ExprKind::GeneratorExp:
      operands = {static_cast<const Comp &>(e).generators[0].iter.get()};  // the rest runs in its loops
      break;
    default:  // displays, subscripts, attributes, slices: their operands in evaluation order
      for_each_child(e, [&](const Expr &c) { operands.push_back(&c); });
      break;
  }
  size_t culprit = 0;
  while (culprit < operands.size() && type(*operands[culprit]) != Ty::Bottom) ++culprit;
  if (culprit < operands.size()) {
    for (size_t i = 0; i <= culprit; ++i) expr(*operands[i]);
    return unreachable();
  }
  auto target = m_spec.calls.find(&e);
  if (e.kind == ExprKind::Call && target != m_spec.calls.end() && target->second.kind == CallTarget::Kind::Builtin &&
      (target->second.name == "min" || target->second.name == "max") && static_cast<const Call &>(e).args.size() >= 2) {
    // min/max of a None (an item of an empty container, say): CPython's own comparison raises
    auto &c = static_cast<const Call &>(e);
    std::vector<llvm::Value *> objs;
    for (auto &a : c.args) objs.push_back(to_object(expr(*a), type(*a)));
    set_loc(e.range);
    for (size_t k = 1; k < objs.size(); ++k)
      release(call_obj("PyObject_RichCompare", {objs[k], objs[0], m_b.getInt32(target->second.name == "max" ? 4 : 0)}, e.range.line));
    for (auto *o : objs) release(o);
    raise_now(PV_TYPE_ERROR, "internal error: " + target->second.name + "() of values that compare", e.range.line);
  } else if (e.kind == ExprKind::Call) {
    call(static_cast<const Call &>(e));  // a callee that never returns
  } else if (e.kind == ExprKind::IfExp) {
    ifexp(static_cast<const IfExp &>(e));
  } else {  // no operand to blame: fail loudly rather than run into `unreachable`
    raise_now(PV_TYPE_ERROR, "internal error: an expression typed as never completing was reached", e.range.line);
  }
  return unreachable();
}

// x op y where the result is an int: checked arithmetic (int64 overflow leaves for CPython).
llvm::Value *FunctionLowerer::checked(llvm::Intrinsic::ID id, llvm::Value *l, llvm::Value *r, int line) {
  // x * c for a constant c: a range check on x, then a multiply that cannot overflow, which the
  // back end can turn into lea/shift forms (3 * n + 1) instead of imul + jo.
  if (id == llvm::Intrinsic::smul_with_overflow && llvm::isa<llvm::ConstantInt>(l)) std::swap(l, r);
  if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(r); c && id == llvm::Intrinsic::smul_with_overflow) {
    int64_t k = c->getSExtValue();
    if (k >= 2) {
      llvm::Value *too_big = m_b.CreateICmpSGT(l, m_b.getInt64(uint64_t(INT64_MAX / k)));
      llvm::Value *too_small = m_b.CreateICmpSLT(l, m_b.getInt64(uint64_t(INT64_MIN / k)));
      raise_if(m_b.CreateOr(too_big, too_small), PV_INT_OVERFLOW, "integer result does not fit in 64 bits", line);
      return m_b.CreateMul(l, r, "", false, true);
    }
  }
  llvm::Value *pair = m_b.CreateBinaryIntrinsic(id, l, r);
  raise_if(m_b.CreateExtractValue(pair, 1), PV_INT_OVERFLOW, "integer result does not fit in 64 bits", line);
  return m_b.CreateExtractValue(pair, 0);
}

llvm::Value *FunctionLowerer::binop(const BinOp &e) {
  if (npy::numpy_operation(type(*e.left), type(*e.right))) return np_binop(e);
  if (type(*e.left) == Ty::Complex || type(*e.right) == Ty::Complex) return complex_binop(e);
  llvm::Value *l = expr(*e.left);
  llvm::Value *r = expr(*e.right);
  set_loc(e.range);
  Ty lt = type(*e.left), rt = type(*e.right), res = type(e);
  if (lt.kind() == Kind::Optional || rt.kind() == Kind::Optional) {  // T | None as a T: TypeError when None
    Ty lu = lt.kind() == Kind::Optional ? lt.elem() : lt, ru = rt.kind() == Kind::Optional ? rt.elem() : rt;
    auto pyname = [](Ty t) { return t == Ty::None ? std::string("NoneType") : ty_name(t); };
    std::string msg = std::string("unsupported operand type(s) for ") + op_symbol(e.op) + ": '";
    if (lt.kind() == Kind::Optional) l = unwrap(l, lu, msg + "NoneType' and '" + pyname(ru) + "'", e.range.line);
    if (rt.kind() == Kind::Optional) r = unwrap(r, ru, msg + pyname(lu) + "' and 'NoneType'", e.range.line);
    lt = lu, rt = ru;
  }
  if (is_object(lt) || is_object(rt)) return obj_binop(e, l, r, lt, rt);
  if (res == Ty::Float) return float_binop(e, l, r, lt, rt);
  if (res == Ty::Bool) {  // bool & bool, bool | bool, bool ^ bool
    switch (e.op) {
      case Op::BitAnd: return m_b.CreateAnd(l, r);
      case Op::BitOr: return m_b.CreateOr(l, r);
      default: return m_b.CreateXor(l, r);
    }
  }
  return int_binop(e, to_int(l, lt), to_int(r, rt));
}

llvm::Value *FunctionLowerer::int_binop(const BinOp &e, llvm::Value *l, llvm::Value *r) {
  int line = e.range.line;
  llvm::Value *zero = m_b.getInt64(0);
  switch (e.op) {
    case Op::Add:
      if (m_unchecked.count(&e)) return m_b.CreateAdd(l, r, "acc", false, true);  // loop versioning proved it fits
      return checked(llvm::Intrinsic::sadd_with_overflow, l, r, line);
    case Op::Sub: return checked(llvm::Intrinsic::ssub_with_overflow, l, r, line);
    case Op::Mult: return checked(llvm::Intrinsic::smul_with_overflow, l, r, line);
    case Op::FloorDiv: {
      if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(r); c && c->getSExtValue() > 0 && c->getValue().isPowerOf2())
        return m_b.CreateAShr(l, c->getValue().logBase2(), "floordiv");  // floor(l / 2^k) == l >> k
      // Python floors: q = trunc(l / r) - 1 when the remainder is non-zero and the signs differ.
      raise_if(m_b.CreateICmpEQ(r, zero), PV_ZERO_DIVISION, "integer division or modulo by zero", line);
      raise_if(m_b.CreateAnd(m_b.CreateICmpEQ(l, m_b.getInt64(uint64_t(INT64_MIN))), m_b.CreateICmpEQ(r, m_b.getInt64(uint64_t(-1)))),
               PV_INT_OVERFLOW, "integer result does not fit in 64 bits", line);
      // The divisor as `%` uses it (-1 made 1, where srem would trap on INT64_MIN), so `l // r` and
      // `l % r` of the same operands are one division (GVN, DivRemPairs); l // -1 is -l.
      llvm::Value *is_m1 = m_b.CreateICmpEQ(r, m_b.getInt64(uint64_t(-1)));
      llvm::Value *safe_r = m_b.CreateSelect(is_m1, m_b.getInt64(1), r, "divisor");
      llvm::Value *q = m_b.CreateSelect(is_m1, m_b.CreateNeg(l), m_b.CreateSDiv(l, safe_r), "q");
      llvm::Value *rem = m_b.CreateSRem(l, safe_r, "rem");
      llvm::Value *adjust = m_b.CreateAnd(m_b.CreateICmpNE(rem, zero), m_b.CreateICmpSLT(m_b.CreateXor(rem, r), zero));
      return m_b.CreateSub(q, m_b.CreateZExt(adjust, m_b.getInt64Ty()), "floordiv");
    }
    case Op::Mod: {
      if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(r); c && m_mod_iv.value && c->getSExtValue() == m_mod_iv.divisor &&
                                                          e.left->kind == ExprKind::Name &&
                                                          static_cast<const Name &>(*e.left).id == m_mod_iv.var)
        return m_mod_iv.value;  // the loop's own counter of v % C (lower_loops.cpp)
      if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(r); c && c->getSExtValue() > 0 && c->getValue().isPowerOf2())
        return m_b.CreateAnd(l, c->getSExtValue() - 1, "mod");  // l % 2^k, non-negative like Python's
      // Python's remainder takes the divisor's sign; x % -1 is 0 (and srem would trap on INT64_MIN).
      raise_if(m_b.CreateICmpEQ(r, zero), PV_ZERO_DIVISION,
               e.from_divmod ? "integer division or modulo by zero" : "integer modulo by zero", line);
      llvm::Value *is_m1 = m_b.CreateICmpEQ(r, m_b.getInt64(uint64_t(-1)));
      llvm::Value *safe_r = m_b.CreateSelect(is_m1, m_b.getInt64(1), r, "divisor");
      llvm::Value *rem = m_b.CreateSRem(l, safe_r, "rem");
      llvm::Value *adjust = m_b.CreateAnd(m_b.CreateICmpNE(rem, zero), m_b.CreateICmpSLT(m_b.CreateXor(rem, r), zero));
      llvm::Value *mod = m_b.CreateSelect(adjust, m_b.CreateAdd(rem, r), rem, "mod");
      return m_b.CreateSelect(is_m1, zero, mod);
    }
    case Op::Pow: {
      if (auto *c = llvm::dyn_cast<llvm::ConstantInt>(r)) {
        int64_t n = c->getSExtValue();
        if (n == 0) return m_b.getInt64(1);
        if (n == 1) return l;
        if (n == 2) return checked(llvm::Intrinsic::smul_with_overflow, l, l, line);
        if (n == 3) return checked(llvm::Intrinsic::smul_with_overflow, checked(llvm::Intrinsic::smul_with_overflow, l, l, line), l, line);
      } else {
        raise_if(m_b.CreateICmpSLT(r, zero), PV_DEOPT, "int ** negative int is a float", line);
      }
      llvm::Value *v = m_b.CreateCall(m_ms.runtime("pv_int_pow"), {m_ctx, l, r, m_fname, line_const(line)});
      check_status();
      return v;
    }
    case Op::LShift: {
      raise_if(m_b.CreateICmpSLT(r, zero), PV_VALUE_ERROR, "negative shift count", line);
      // 0 << n is 0 for any n; otherwise the shift must not lose bits (big ints are CPython's).
      llvm::Value *l_zero = m_b.CreateICmpEQ(l, zero);
      llvm::Value *too_far = m_b.CreateAnd(m_b.CreateNot(l_zero), m_b.CreateICmpSGE(r, m_b.getInt64(64)));
      raise_if(too_far, PV_INT_OVERFLOW, "integer result does not fit in 64 bits", line);
      llvm::Value *amount = m_b.CreateSelect(l_zero, zero, r);
      llvm::Value *shifted = m_b.CreateShl(l, amount);
      raise_if(m_b.CreateICmpNE(m_b.CreateAShr(shifted, amount), l), PV_INT_OVERFLOW, "integer result does not fit in 64 bits", line);
      return shifted;
    }
    case Op::RShift: {
      raise_if(m_b.CreateICmpSLT(r, zero), PV_VALUE_ERROR, "negative shift count", line);
      llvm::Value *amount = m_b.CreateSelect(m_b.CreateICmpSGT(r, m_b.getInt64(63)), m_b.getInt64(63), r);
      return m_b.CreateAShr(l, amount);
    }
    case Op::BitAnd: return m_b.CreateAnd(l, r);
    case Op::BitOr: return m_b.CreateOr(l, r);
    case Op::BitXor: return m_b.CreateXor(l, r);
    default: return zero;
  }
}

llvm::Value *FunctionLowerer::float_binop(const BinOp &e, llvm::Value *l, llvm::Value *r, Ty lt, Ty rt) {
  int line = e.range.line;
  llvm::Value *zero = llvm::ConstantFP::get(m_b.getDoubleTy(), 0.0);
  if (e.op == Op::Div && lt != Ty::Float && rt != Ty::Float) {
    // int / int: always a float, correctly rounded.
    llvm::Value *li = to_int(l, lt), *ri = to_int(r, rt);
    raise_if(m_b.CreateICmpEQ(ri, m_b.getInt64(0)), PV_ZERO_DIVISION, "division by zero", line);
    return m_b.CreateCall(m_ms.runtime("pv_int_truediv"), {li, ri});
  }
  if (e.op == Op::Pow && lt != Ty::Float && rt != Ty::Float) {
    // int ** negative int: CPython computes it as float ** float.
    l = to_float(l, lt);
    r = to_float(r, rt);
    llvm::Value *v = m_b.CreateCall(m_ms.runtime("pv_float_pow"), {m_ctx, l, r, m_fname, line_const(line)});
    check_status();
    return v;
  }
  l = to_float(l, lt);
  r = to_float(r, rt);
  auto silent = [&](llvm::Value *v) {  // an overflow to inf is silent in CPython (lower_fpe.cpp)
    if (!m_spec.quiet_ops.count(&e)) fe_python_result(v, {l, r});  // (one that cannot overflow: nothing to note)
    return v;
  };
  switch (e.op) {
    case Op::Add: return silent(m_b.CreateFAdd(l, r));
    case Op::Sub: return silent(m_b.CreateFSub(l, r));
    case Op::Mult: return silent(m_b.CreateFMul(l, r));
    case Op::Div:
      raise_if(m_b.CreateFCmpOEQ(r, zero), PV_ZERO_DIVISION, "float division by zero", line);
      return silent(m_b.CreateFDiv(l, r));
    case Op::FloorDiv:
    case Op::Mod: {
      const char *msg = e.from_divmod ? "float divmod()" : e.op == Op::FloorDiv ? "float floor division by zero" : "float modulo";
      raise_if(m_b.CreateFCmpOEQ(r, zero), PV_ZERO_DIVISION, msg, line);
      return m_b.CreateCall(m_ms.runtime(e.op == Op::FloorDiv ? "pv_float_floordiv" : "pv_float_mod"),
                            {m_ctx, l, r, m_fname, line_const(line)});
    }
    case Op::Pow: {
      llvm::Value *v = m_b.CreateCall(m_ms.runtime("pv_float_pow"), {m_ctx, l, r, m_fname, line_const(line)});
      check_status();
      return v;
    }
    default: return zero;
  }
}

llvm::Value *FunctionLowerer::unary(const UnaryOp &e) {
  if (e.op == UnaryOpKind::Not) return condition(e);
  if (e.op == UnaryOpKind::USub && e.operand->kind == ExprKind::Constant &&
      static_cast<const Constant &>(*e.operand).value_kind == Constant::Kind::Float) {
    set_loc(e.range);  // -1.0 is one constant, as CPython's own compiler folds it
    return float_const(-static_cast<const Constant &>(*e.operand).float_value);
  }
  if (npy::numpy_operand(type(*e.operand))) return np_unary(e);
  if (type(*e.operand) == Ty::Complex) {
    llvm::Value *z = expr(*e.operand);
    set_loc(e.range);
    if (e.op == UnaryOpKind::UAdd) return z;
    return complex_make(opaque(m_b.CreateFNeg(m_b.CreateExtractValue(z, 0))), opaque(m_b.CreateFNeg(m_b.CreateExtractValue(z, 1))));
  }
  llvm::Value *v = expr(*e.operand);
  set_loc(e.range);
  Ty t = type(*e.operand);
  switch (e.op) {
    case UnaryOpKind::Not: break;  // condition(), above
    case UnaryOpKind::UAdd: return t == Ty::Float ? v : to_int(v, t);
    case UnaryOpKind::USub:
      if (t == Ty::Float) return opaque(m_b.CreateFNeg(v));  // flips a NaN's sign, as CPython does
      return checked(llvm::Intrinsic::ssub_with_overflow, m_b.getInt64(0), to_int(v, t), e.range.line);
    case UnaryOpKind::Invert: return m_b.CreateXor(to_int(v, t), m_b.getInt64(uint64_t(-1)));
  }
  return v;
}

// One comparison (normalise split chains). int vs float compares exactly, as CPython does.
llvm::Value *FunctionLowerer::compare(const Compare &e) {
  {
    Ty lt = type(*e.left), rt = type(*e.comparators[0]);
    if (npy::numpy_operation(lt, rt)) return np_compare(e);
    if ((lt == Ty::Complex || rt == Ty::Complex) && (e.ops[0] == CmpOp::Eq || e.ops[0] == CmpOp::NotEq)) return complex_compare(e);
    if (e.ops[0] == CmpOp::In || e.ops[0] == CmpOp::NotIn)
      if (auto *nt = native_table(*e.comparators[0]); nt && type(*e.left) == nt->key) return table_contains(*nt, e);
    if (is_object(lt) || is_object(rt) || e.ops[0] == CmpOp::In || e.ops[0] == CmpOp::NotIn) return obj_compare(e);
  }
  llvm::Value *l = expr(*e.left);
  llvm::Value *r = expr(*e.comparators[0]);
  set_loc(e.range);
  Ty lt = type(*e.left), rt = type(*e.comparators[0]);
  CmpOp op = e.ops[0];
  if (lt == Ty::None || rt == Ty::None) {
    bool same = lt == rt;
    bool result = (op == CmpOp::Is || op == CmpOp::Eq) ? same : !same;
    return m_b.getInt1(result);
  }
  // a float and an int literal that the float represents exactly: a float comparison
  auto exact = [&](llvm::Value *v) {
    auto *c = llvm::dyn_cast<llvm::ConstantInt>(v);
    return c && c->getBitWidth() == 64 && c->getSExtValue() >= -(int64_t(1) << 53) && c->getSExtValue() <= (int64_t(1) << 53);
  };
  if (lt == Ty::Float && rt == Ty::Int && exact(r)) {
    r = m_b.CreateSIToFP(r, m_b.getDoubleTy());
    rt = Ty::Float;
  } else if (rt == Ty::Float && lt == Ty::Int && exact(l)) {
    l = m_b.CreateSIToFP(l, m_b.getDoubleTy());
    lt = Ty::Float;
  }
  if (lt == Ty::Float && rt == Ty::Float) {
    if (m_fe_variant && op != CmpOp::Eq && op != CmpOp::NotEq) return quiet_order(op, l, r);
    switch (op) {
      case CmpOp::Eq: return m_b.CreateFCmpOEQ(l, r);
      case CmpOp::NotEq: return m_b.CreateFCmpUNE(l, r);
      case CmpOp::Lt: return m_b.CreateFCmpOLT(l, r);
      case CmpOp::LtE: return m_b.CreateFCmpOLE(l, r);
      case CmpOp::Gt: return m_b.CreateFCmpOGT(l, r);
      default: return m_b.CreateFCmpOGE(l, r);
    }
  }
  if (lt != Ty::Float && rt != Ty::Float) {
    l = to_int(l, lt);
    r = to_int(r, rt);
    switch (op) {
      case CmpOp::Eq: return m_b.CreateICmpEQ(l, r);
      case CmpOp::NotEq: return m_b.CreateICmpNE(l, r);
      case CmpOp::Lt: return m_b.CreateICmpSLT(l, r);
      case CmpOp::LtE: return m_b.CreateICmpSLE(l, r);
      case CmpOp::Gt: return m_b.CreateICmpSGT(l, r);
      default: return m_b.CreateICmpSGE(l, r);
    }
  }
  // Mixed: c = cmp(int, float) in {-1, 0, 1, 2 (NaN)}, seen from the int's side.
  bool int_left = lt != Ty::Float;
  llvm::Value *i = int_left ? to_int(l, lt) : to_int(r, rt);
  llvm::Value *f = int_left ? r : l;
  llvm::Value *c = m_b.CreateCall(m_ms.runtime("pv_cmp_int_float"), {i, f}, "cmp");
  if (!int_left) {  // flip the operator: float OP int == int OP' float
    switch (op) {
      case CmpOp::Lt: op = CmpOp::Gt; break;
      case CmpOp::LtE: op = CmpOp::GtE; break;
      case CmpOp::Gt: op = CmpOp::Lt; break;
      case CmpOp::GtE: op = CmpOp::LtE; break;
      default: break;
    }
  }
  auto is = [&](int v) { return m_b.CreateICmpEQ(c, m_b.getInt32(uint32_t(v))); };
  switch (op) {
    case CmpOp::Eq: return is(0);
    case CmpOp::NotEq: return m_b.CreateNot(is(0));
    case CmpOp::Lt: return is(-1);
    case CmpOp::LtE: return m_b.CreateOr(is(-1), is(0));
    case CmpOp::Gt: return is(1);
    default: return m_b.CreateOr(is(1), is(0));
  }
}

// a and b / a or b: returns an operand, evaluating left to right with short-circuit.
llvm::Value *FunctionLowerer::boolop(const BoolOp &e) {
  Ty t = type(e);
  auto *end = llvm::BasicBlock::Create(m_ms.ctx, e.op == BoolOpKind::And ? "and.end" : "or.end", m_fn);
  std::vector<std::pair<llvm::Value *, llvm::BasicBlock *>> incoming;
  bool obj = is_object(t);
  for (size_t i = 0; i < e.values.size(); ++i) {
    llvm::Value *v = convert(expr(*e.values[i]), type(*e.values[i]), t);
    set_loc(e.range);
    if (i + 1 == e.values.size()) {
      if (obj) forget(v);  // the result's reference: taken over by the phi
      incoming.push_back({v, m_b.GetInsertBlock()});
      m_b.CreateBr(end);
      break;
    }
    llvm::Value *truth = truthy(v, t);
    auto *next = llvm::BasicBlock::Create(m_ms.ctx, "bool.next", m_fn);
    auto *keep = obj ? llvm::BasicBlock::Create(m_ms.ctx, "bool.keep", m_fn) : end;
    auto *drop = obj ? llvm::BasicBlock::Create(m_ms.ctx, "bool.drop", m_fn) : next;
    if (e.op == BoolOpKind::And)
      m_b.CreateCondBr(truth, drop, keep);
    else
      m_b.CreateCondBr(truth, keep, drop);
    if (obj) {  // the operand is the result (kept) or dropped before the next one
      auto held = m_temps.find(v);
      llvm::AllocaInst *slot = held != m_temps.end() ? held->second : nullptr;
      m_b.SetInsertPoint(keep);
      forget(v);
      incoming.push_back({v, keep});
      m_b.CreateBr(end);
      m_b.SetInsertPoint(drop);
      if (slot) m_temps[v] = slot;  // forget() above untracked it: the drop path releases it too
      release(v);
      m_b.CreateBr(next);
    } else {
      incoming.push_back({v, m_b.GetInsertBlock()});
    }
    m_b.SetInsertPoint(next);
  }
  m_b.SetInsertPoint(end);
  if (t == Ty::None) return none_value();
  llvm::PHINode *phi = m_b.CreatePHI(m_ms.type_of(t), unsigned(incoming.size()));
  for (auto &[v, bb] : incoming) phi->addIncoming(v, bb);
  return obj ? own(phi) : phi;
}

llvm::Value *FunctionLowerer::ifexp(const IfExp &e) {
  Ty t = type(e);
  llvm::Value *cond = condition(*e.test);
  auto *then_bb = llvm::BasicBlock::Create(m_ms.ctx, "ifexp.then", m_fn);
  auto *else_bb = llvm::BasicBlock::Create(m_ms.ctx, "ifexp.else", m_fn);
  auto *end = llvm::BasicBlock::Create(m_ms.ctx, "ifexp.end", m_fn);
  m_b.CreateCondBr(cond, then_bb, else_bb);
  bool obj = is_object(t);
  m_b.SetInsertPoint(then_bb);
  llvm::Value *a = convert(expr(*e.body), type(*e.body), t);
  if (obj) forget(a);
  llvm::BasicBlock *a_bb = m_b.GetInsertBlock();
  m_b.CreateBr(end);
  m_b.SetInsertPoint(else_bb);
  llvm::Value *b = convert(expr(*e.orelse), type(*e.orelse), t);
  if (obj) forget(b);
  llvm::BasicBlock *b_bb = m_b.GetInsertBlock();
  m_b.CreateBr(end);
  m_b.SetInsertPoint(end);
  if (t == Ty::None) return none_value();
  llvm::PHINode *phi = m_b.CreatePHI(m_ms.type_of(t), 2);
  phi->addIncoming(a, a_bb);
  phi->addIncoming(b, b_bb);
  return obj ? own(phi) : phi;
}

llvm::Value *FunctionLowerer::call(const Call &e) {
  auto it = m_spec.calls.find(&e);
  if (it == m_spec.calls.end()) return none_value();
  const CallTarget &target = it->second;
  if (target.kind == CallTarget::Kind::Method && e.func->kind == ExprKind::Attribute &&
      type(*static_cast<const Attribute &>(*e.func).value) == Ty::Complex) {  // z.conjugate()
    llvm::Value *z = expr(*static_cast<const Attribute &>(*e.func).value);
    set_loc(e.range);
    return complex_make(m_b.CreateExtractValue(z, 0), opaque(m_b.CreateFNeg(m_b.CreateExtractValue(z, 1))));
  }
  if (target.kind == CallTarget::Kind::Method && e.func->kind == ExprKind::Attribute) {  // z.conjugate() of a NumPy complex
    Ty zt = type(*static_cast<const Attribute &>(*e.func).value);
    if (is_np_scalar(zt) && dtype_is_complex(zt.dtype())) {
      llvm::Value *w = expr(*static_cast<const Attribute &>(*e.func).value);
      set_loc(e.range);
      llvm::Value *c = np_complex_conjugate(np_value(w, zt));
      return zt.weak() ? np_weak(c, np_flag(w, zt), zt) : c;
    }
  }
  if (target.kind == CallTarget::Kind::Method) return method(e, target);
  if (target.kind == CallTarget::Kind::Numpy) return numpy_call(e, target);
  if (target.kind == CallTarget::Kind::Builtin) {
    static const std::set<std::string> object_builtins = {"len", "sum", "sorted", "any", "all", "list", "tuple", "set",
                                                          "dict", "isinstance", "enumerate", "zip", "reversed", "range"};
    std::vector<Ty> arg_types;
    for (auto &a : e.args) arg_types.push_back(type(*a));
    if (is_text_builtin(target.name, arg_types)) return text_builtin(e, target.name);
    bool objects = object_builtins.count(target.name) > 0;
    if ((target.name == "min" || target.name == "max") && e.args.size() == 1) objects = true;
    // abs() of an ndarray, round() of a NumPy scalar: CPython's builtin, NumPy's methods
    if (target.name == "abs" && arg_types.size() == 1 && is_array(arg_types[0])) objects = true;
    if (target.name == "round" && !arg_types.empty() && is_np_scalar(arg_types[0])) objects = true;
    if (objects) return obj_builtin(e, target.name);
    return builtin(e, target.name);
  }
  if (target.kind == CallTarget::Kind::Math) return math(e, target.name);
  // A direct native call to another specialisation (recursion included). Objects are passed
  // borrowed (the callee takes its own references) and returned as new references.
  std::vector<llvm::Value *> args{m_ctx, nullptr};
  std::vector<llvm::Value *> owned;
  for (size_t i = 0; i < e.args.size(); ++i) {
    llvm::Value *v = convert(expr(*e.args[i]), type(*e.args[i]), target.spec->params[i]);
    args.push_back(v);
    owned.push_back(v);
  }
  args[1] = m_b.CreateSub(m_budget, m_b.getInt64(1), "budget.next");
  set_loc(e.range);
  llvm::Function *callee = m_ms.module.getFunction(target.spec->symbol);
  if (m_fe_variant)  // a flag variant calls flag variants (fe_flag_safe: every callee has one, verified later)
    if (llvm::Function *v = m_ms.module.getFunction(target.spec->symbol + ".fe")) callee = v;
  if (may_do_python_float_arithmetic(*target.spec)) fe_python_op();
  llvm::CallInst *v = m_b.CreateCall(callee, args);
  fe_helper_call(v, *target.spec);
  for (auto *a : owned) release(a);
  check_status(e.range.line);
  if (is_object(target.spec->ret)) return own(v);
  return target.spec->ret == Ty::None ? none_value() : v;
}

// Evaluates a call's positional arguments left to right, as CPython does.
void FunctionLowerer::lower_args(const Call &e, std::vector<llvm::Value *> &values, std::vector<Ty> &types) {
  for (auto &a : e.args) {
    values.push_back(expr(*a));
    types.push_back(type(*a));
  }
  set_loc(e.range);
}

// int(x) of a float: inline when |x| < 2**63 (truncation), else the runtime (NaN: ValueError,
// infinities: OverflowError, beyond int64: a rerun in CPython). Unchecked where loop versioning
// proved |x| < 2**63.
llvm::Value *FunctionLowerer::float_to_int(llvm::Value *x, int line, bool checked) {
  if (!checked) return m_b.CreateFPToSI(x, m_b.getInt64Ty(), "int");
  llvm::Value *in_range = m_b.CreateFCmpOLT(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x),
                                            llvm::ConstantFP::get(m_b.getDoubleTy(), 9223372036854775808.0));
  llvm::BasicBlock *from = m_b.GetInsertBlock();
  auto *slow = llvm::BasicBlock::Create(m_ms.ctx, "toint.slow", m_fn);
  auto *done = llvm::BasicBlock::Create(m_ms.ctx, "toint.done", m_fn);
  llvm::Value *fast = m_b.CreateFPToSI(x, m_b.getInt64Ty());
  llvm::MDBuilder md(m_ms.ctx);
  m_b.CreateCondBr(in_range, done, slow, md.createBranchWeights(1u << 20, 1));
  m_b.SetInsertPoint(slow);
  llvm::Value *v = m_b.CreateCall(m_ms.runtime("pv_float_to_int"), {m_ctx, x, m_fname, line_const(line)});
  check_status();
  llvm::BasicBlock *slow_end = m_b.GetInsertBlock();
  m_b.CreateBr(done);
  m_b.SetInsertPoint(done);
  llvm::PHINode *phi = m_b.CreatePHI(m_b.getInt64Ty(), 2, "int");
  phi->addIncoming(fast, from);
  phi->addIncoming(v, slow_end);
  return phi;
}

llvm::Value *FunctionLowerer::builtin(const Call &e, const std::string &name) {
  if (name == "print") return print(e);
  int line = e.range.line;
  if (name == "float" && e.args.size() == 1 && e.args[0]->kind == ExprKind::Constant &&
      static_cast<const Constant &>(*e.args[0]).value_kind == Constant::Kind::Str) {
    auto &text = static_cast<const Constant &>(*e.args[0]);
    double v = 0;
    if (!parse_float_literal(text.numeric_text, &v)) {
      set_loc(e.range);
      raise_now(PV_VALUE_ERROR, "could not convert string to float: " + text.repr, line);  // float_from_string_inner
    }
    return float_const(v);
  }
  if (name == "complex") return complex_value(e);
  std::vector<llvm::Value *> args;
  std::vector<Ty> types;
  lower_args(e, args, types);
  Ty res = type(e);
  if (types.size() == 1 && types[0] == Ty::Complex) {  // abs(z), bool(z)
    set_loc(e.range);
    if (name == "abs") return complex_abs(args[0], line);
    return truthy(args[0], types[0]);
  }
  if ((name == "min" || name == "max") && is_np_scalar(res)) {
    // CPython's min_max: an argument replaces the best so far only when strictly better (NaN never is)
    set_loc(e.range);
    llvm::Value *best = convert(args[0], types[0], res);
    for (size_t i = 1; i < args.size(); ++i) {
      llvm::Value *x = convert(args[i], types[i], res);
      llvm::Value *a = np_value(x, res), *b = np_value(best, res);
      DType d = res.dtype();
      llvm::Value *better;
      if (dtype_is_float(d)) better = name == "max" ? m_b.CreateFCmpOGT(a, b) : m_b.CreateFCmpOLT(a, b);
      else if (d == DType::Bool || dtype_is_unsigned(d)) better = name == "max" ? m_b.CreateICmpUGT(a, b) : m_b.CreateICmpULT(a, b);
      else better = name == "max" ? m_b.CreateICmpSGT(a, b) : m_b.CreateICmpSLT(a, b);
      best = m_b.CreateSelect(better, x, best);
    }
    return best;
  }
  if (types.size() == 1 && is_np_scalar(types[0])) {  // float(x), int(x), bool(x), abs(x) of a NumPy scalar
    set_loc(e.range);
    if (name == "abs") {
      llvm::Value *a = np_abs(np_value(args[0], types[0]), types[0].dtype(), line);
      return types[0].weak() ? np_weak(a, np_flag(args[0], types[0]), res) : a;
    }
    if (name == "float") return np_to_float(args[0], types[0]);
    if (name == "int") return np_to_int(args[0], types[0], line, !m_unchecked.count(&e));
    return np_truthy(args[0], types[0]);
  }
  if (name == "abs") {
    if (types[0] == Ty::Float) return m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, args[0]);
    llvm::Value *v = to_int(args[0], types[0]);
    raise_if(m_b.CreateICmpEQ(v, m_b.getInt64(uint64_t(INT64_MIN))), PV_INT_OVERFLOW, "integer result does not fit in 64 bits", line);
    return m_b.CreateSelect(m_b.CreateICmpSLT(v, m_b.getInt64(0)), m_b.CreateNeg(v), v);
  }
  if (name == "min" || name == "max") {
    // `T | None` arguments: CPython's TypeError from its first comparison with None.
    for (size_t i = 0; i < args.size(); ++i)
      if (types[i].kind() == Kind::Optional) {
        Ty other = i == 0 ? (args.size() > 1 ? types[1] : res) : res;
        if (other.kind() == Kind::Optional) other = other.elem();
        std::string op = name == "min" ? "<" : ">";
        std::string msg = i == 0 ? "'" + op + "' not supported between instances of '" + ty_name(other) + "' and 'NoneType'"
                                 : "'" + op + "' not supported between instances of 'NoneType' and '" + ty_name(other) + "'";
        args[i] = unwrap(args[i], types[i].elem(), msg, line);
        types[i] = types[i].elem();
      }
    for (size_t i = 0; i < args.size(); ++i) args[i] = convert(args[i], types[i], res);
    // The first of equal values wins: replace only on a strict improvement (NaN never improves).
    llvm::Value *best = args[0];
    for (size_t i = 1; i < args.size(); ++i) {
      llvm::Value *x = args[i];
      llvm::Value *better;
      if (res == Ty::Float)
        better = name == "min" ? m_b.CreateFCmpOLT(x, best) : m_b.CreateFCmpOGT(x, best);
      else if (res == Ty::Bool)
        better = name == "min" ? m_b.CreateICmpULT(x, best) : m_b.CreateICmpUGT(x, best);
      else
        better = name == "min" ? m_b.CreateICmpSLT(x, best) : m_b.CreateICmpSGT(x, best);
      best = m_b.CreateSelect(better, x, best);
    }
    return best;
  }
  if (name == "round") {
    if (args.size() == 2) {
      llvm::Value *n = to_int(args[1], types[1]);
      if (types[0] != Ty::Float) {
        auto *c = llvm::dyn_cast<llvm::ConstantInt>(n);
        if (c && !c->isNegative()) return to_int(args[0], types[0]);  // round(int, n >= 0) is the int
        llvm::Value *v = m_b.CreateCall(m_ms.runtime("pv_int_round"), {m_ctx, to_int(args[0], types[0]), n, m_fname, line_const(line)});
        check_status();
        return v;
      }
      llvm::Value *v = m_b.CreateCall(m_ms.runtime("pv_round_ndigits"), {m_ctx, args[0], n, m_fname, line_const(line)});
      check_status();
      return v;
    }
    if (types[0] != Ty::Float) return to_int(args[0], types[0]);
    return float_to_int(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::roundeven, args[0]), line);  // banker's rounding
  }
  if (name == "int") {
    if (args.empty()) return m_b.getInt64(0);
    if (types[0] == Ty::Float) return float_to_int(args[0], line, !m_unchecked.count(&e));
    return to_int(args[0], types[0]);
  }
  if (name == "float") {
    if (args.empty()) return float_const(0.0);
    return to_float(args[0], types[0]);
  }
  if (name == "bool") {
    if (args.empty()) return m_b.getFalse();
    llvm::Value *t = truthy(args[0], types[0]);
    release(args[0]);
    return t;
  }
  return none_value();
}

}  // namespace pyvorin
