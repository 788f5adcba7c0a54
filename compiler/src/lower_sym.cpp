// lower (range tests): the values ranges_sym.cpp's Syms stand for, computed before a versioned
// loop, and whether a proven check's tests hold there. Int computations that overflow and
// truncations beyond int64 make the test fail (SymEval::valid); a NaN fails every comparison
// (ordered), and min/max pass NaN on (llvm.minimum/maximum). Locals are read as they are, frozen:
// a local that may be unbound is also tested for being bound.
#include "lower.h"

namespace pyvorin {

llvm::Value *FunctionLowerer::sym_value(const Sym &s, SymEval &ev) {
  auto found = ev.done.find(&s);
  if (found != ev.done.end()) return found->second;
  llvm::Type *f64 = m_b.getDoubleTy(), *i64 = m_b.getInt64Ty();
  std::vector<llvm::Value *> a;
  for (auto &x : s.args) {
    llvm::Value *v = sym_value(*x, ev);
    if (!v) return nullptr;
    a.push_back(v);
  }
  // the operands' kinds: a double for ToFloat's int, the result's kind otherwise
  bool want_real = s.op == Sym::Op::ToFloat ? false : s.op == Sym::Op::Trunc ? true : s.real;
  for (llvm::Value *v : a)
    if (v->getType() != (want_real ? f64 : i64)) return nullptr;
  auto checked = [&](llvm::Intrinsic::ID id, llvm::Value *x, llvm::Value *y) {
    llvm::Value *pair = m_b.CreateBinaryIntrinsic(id, x, y);
    ev.valid = m_b.CreateAnd(ev.valid, m_b.CreateNot(m_b.CreateExtractValue(pair, 1)));
    return m_b.CreateExtractValue(pair, 0);
  };
  llvm::Value *v = nullptr;
  switch (s.op) {
    case Sym::Op::Const: v = s.real ? llvm::ConstantFP::get(f64, s.f) : m_b.getInt64(uint64_t(s.i)); break;
    case Sym::Op::IvLo: v = ev.iv_lo; break;
    case Sym::Op::IvHi: v = ev.iv_hi; break;
    case Sym::Op::Var: {
      auto it = m_vars.find(s.var);
      if (it == m_vars.end() || !it->second.slot) return nullptr;
      Var &var = it->second;
      Ty t = var.type;
      bool real = t == Ty::Float || (is_np_scalar(t) && !t.weak() && t.dtype() == DType::F64);
      if (real != s.real || (!real && t != Ty::Int)) return nullptr;
      v = m_b.CreateLoad(m_ms.type_of(t), var.slot, s.var + ".before");
      if (is_np_scalar(t)) v = np_to_float(v, t);
      v = m_b.CreateFreeze(v);
      if (v->getType() != (real ? f64 : i64)) return nullptr;
      if (var.bound) ev.valid = m_b.CreateAnd(ev.valid, m_b.CreateLoad(m_b.getInt1Ty(), var.bound, s.var + ".isbound"));
      break;
    }
    case Sym::Op::Dim: {
      auto it = m_vars.find(s.var);
      if (it == m_vars.end() || size_t(s.i) >= it->second.view.shape.size() || !it->second.view.shape[size_t(s.i)]) return nullptr;
      v = m_b.CreateLoad(i64, it->second.view.shape[size_t(s.i)], s.var + ".dim");
      break;
    }
    case Sym::Op::Add:
      v = s.real ? m_b.CreateFAdd(a[0], a[1]) : checked(llvm::Intrinsic::sadd_with_overflow, a[0], a[1]);
      break;
    case Sym::Op::Sub:
      v = s.real ? m_b.CreateFSub(a[0], a[1]) : checked(llvm::Intrinsic::ssub_with_overflow, a[0], a[1]);
      break;
    case Sym::Op::Mul:
      v = s.real ? m_b.CreateFMul(a[0], a[1]) : checked(llvm::Intrinsic::smul_with_overflow, a[0], a[1]);
      break;
    case Sym::Op::Div:
      if (!s.real) return nullptr;
      v = m_b.CreateFDiv(a[0], a[1]);
      break;
    case Sym::Op::Neg: v = s.real ? m_b.CreateFNeg(a[0]) : checked(llvm::Intrinsic::ssub_with_overflow, m_b.getInt64(0), a[0]); break;
    case Sym::Op::Min: case Sym::Op::Max: {
      llvm::Intrinsic::ID id = s.op == Sym::Op::Min ? (s.real ? llvm::Intrinsic::minimum : llvm::Intrinsic::smin)
                                                    : (s.real ? llvm::Intrinsic::maximum : llvm::Intrinsic::smax);
      v = a.at(0);
      for (size_t k = 1; k < a.size(); ++k) v = m_b.CreateBinaryIntrinsic(id, v, a[k]);
      break;
    }
    case Sym::Op::Trunc: {
      llvm::Value *fits = m_b.CreateFCmpOLT(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, a[0]),
                                            llvm::ConstantFP::get(f64, 9223372036854775808.0));
      ev.valid = m_b.CreateAnd(ev.valid, fits);
      v = m_b.CreateFreeze(m_b.CreateFPToSI(a[0], i64));  // poison beyond int64: frozen, and the test fails
      break;
    }
    case Sym::Op::ToFloat: v = m_b.CreateSIToFP(a[0], f64); break;
  }
  ev.done[&s] = v;
  return v;
}

llvm::Value *FunctionLowerer::proven_holds(const ProvenCheck &c, SymEval &ev) {
  llvm::Value *all = m_b.getTrue();
  for (const SymTest &t : c.tests) {
    llvm::Value *a = sym_value(*t.a, ev), *b = a ? sym_value(*t.b, ev) : nullptr;
    if (!a || !b || a->getType() != b->getType()) return nullptr;
    llvm::Value *ok = a->getType()->isDoubleTy() ? (t.strict ? m_b.CreateFCmpOLT(a, b) : m_b.CreateFCmpOLE(a, b))
                                                 : (t.strict ? m_b.CreateICmpSLT(a, b) : m_b.CreateICmpSLE(a, b));
    all = m_b.CreateAnd(all, ok);
  }
  if (c.kind == ProvenCheck::Kind::Bounds && c.store) {  // and the array takes stores
    auto it = m_vars.find(c.array);
    if (it == m_vars.end() || !it->second.view.writeable) return nullptr;
    all = m_b.CreateAnd(all, m_b.CreateLoad(m_b.getInt1Ty(), it->second.view.writeable, c.array + ".writeable"));
  }
  return all;
}

}  // namespace pyvorin
