// lower (ndarrays): arrays read and written in place, and NumPy itself for the rest (allocations,
// reductions, whole-array operators), its results guarded against infer's prediction
// (numpy_rules.h).
//
// An ndarray value is the ndarray object (one owned reference). A variable holding one also keeps
// its view (data pointer, shape, strides) in allocas set where it is assigned, so element access
// in a loop reads registers, not the object. Element access checks bounds with NumPy's message,
// except where range analysis proved the loop's accesses in bounds (m_unchecked).
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/MDBuilder.h>

#include "lower.h"
#include "numpy_rules.h"
#include "pyvorin_numpy.h"

namespace pyvorin {

using namespace ast;

// ---- ndarrays ----

void FunctionLowerer::array_vars_setup(Var &var, const std::string &name) {
  int nd = var.type.ndim();
  var.view.data = entry_slot(m_b.getPtrTy(), name + ".data", nullptr);
  for (int k = 0; k < nd; ++k) {
    var.view.shape.push_back(entry_slot(m_b.getInt64Ty(), name + ".shape" + std::to_string(k), nullptr));
    var.view.strides.push_back(entry_slot(m_b.getInt64Ty(), name + ".stride" + std::to_string(k), nullptr));
  }
  var.view.writeable = entry_slot(m_b.getInt1Ty(), name + ".writeable", nullptr);
}

FunctionLowerer::ArrayView FunctionLowerer::view_of(llvm::Value *obj, Ty t) {
  ArrayView v;
  int nd = t.ndim();
  v.data = m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, PV_NP_DATA), "data");
  llvm::Value *dims = m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, PV_NP_SHAPE), "dims");
  llvm::Value *strides = m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, PV_NP_STRIDES), "strides");
  for (int k = 0; k < nd; ++k) v.shape.push_back(m_b.CreateLoad(m_b.getInt64Ty(), m_b.CreateConstGEP1_64(m_b.getInt64Ty(), dims, k), "dim"));
  int64_t item = dtype_size(t.dtype());
  if (t.layout() == Layout::C || t.layout() == Layout::F) {
    // contiguous: the strides follow from the shape (a length-1 axis is only indexed at 0)
    v.strides.resize(size_t(nd));
    llvm::Value *s = m_b.getInt64(item);
    for (int j = 0; j < nd; ++j) {
      int k = t.layout() == Layout::C ? nd - 1 - j : j;
      v.strides[size_t(k)] = s;
      s = m_b.CreateMul(s, v.shape[size_t(k)], "", true, true);
    }
  } else {
    for (int k = 0; k < nd; ++k)
      v.strides.push_back(m_b.CreateLoad(m_b.getInt64Ty(), m_b.CreateConstGEP1_64(m_b.getInt64Ty(), strides, k), "stride"));
  }
  llvm::Value *flags = m_b.CreateLoad(m_b.getInt32Ty(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), obj, PV_NP_FLAGS), "flags");
  v.writeable = m_b.CreateICmpNE(m_b.CreateAnd(flags, m_b.getInt32(PV_NP_WRITEABLE)), m_b.getInt32(0));
  return v;
}

// `writeable`: known to be (a private array: every value it holds is a new array of this call,
// and nothing else can reach it to change its flags), so stores into it test nothing.
void FunctionLowerer::cache_view(const Var &var, llvm::Value *obj, bool writeable) {
  ArrayView v = view_of(obj, var.type);
  if (writeable) v.writeable = m_b.getTrue();
  m_b.CreateStore(v.data, var.view.data);
  for (size_t k = 0; k < v.shape.size(); ++k) {
    m_b.CreateStore(v.shape[k], var.view.shape[k]);
    m_b.CreateStore(v.strides[k], var.view.strides[k]);
  }
  m_b.CreateStore(v.writeable, var.view.writeable);
}

// The view of an array expression: a variable's cached view, or the fields of the evaluated
// object (*holder: the owned object to release after the access, or null).
FunctionLowerer::ArrayView FunctionLowerer::array_view(const Expr &e, llvm::Value **holder) {
  *holder = nullptr;
  if (e.kind == ExprKind::Name) {
    auto it = m_vars.find(static_cast<const Name &>(e).id);
    if (it != m_vars.end() && it->second.view.data && is_array(it->second.type)) {
      const Var &var = it->second;
      const Name &n = static_cast<const Name &>(e);
      if (var.bound && m_maybe_unbound.count(&n)) {
        llvm::Value *bound = m_b.CreateLoad(m_b.getInt1Ty(), var.bound, n.id + ".isbound");
        raise_if(m_b.CreateNot(bound), PV_UNBOUND_LOCAL,
                 "cannot access local variable '" + n.id + "' where it is not associated with a value", n.range.line);
      }
      ArrayView v;
      v.data = m_b.CreateLoad(m_b.getPtrTy(), var.view.data, n.id + ".data");
      for (size_t k = 0; k < var.view.shape.size(); ++k) {
        v.shape.push_back(m_b.CreateLoad(m_b.getInt64Ty(), var.view.shape[k], n.id + ".dim"));
        v.strides.push_back(m_b.CreateLoad(m_b.getInt64Ty(), var.view.strides[k], n.id + ".stride"));
      }
      v.writeable = m_b.CreateLoad(m_b.getInt1Ty(), var.view.writeable, n.id + ".writeable");
      return v;
    }
  }
  llvm::Value *obj = expr(e);
  *holder = obj;
  return view_of(obj, type(e));
}

// The address of element [idx...] (NumPy's negative indices and bounds checks; axes numbered
// from first_axis in messages, as a[i][j] reports the second index against axis 0 of a[i]).
llvm::Value *FunctionLowerer::element_ptr(const ArrayView &v, const std::vector<llvm::Value *> &idx,
                                          const std::vector<int> &axis_names, int line,
                                          const std::vector<const Expr *> *idx_exprs) {
  llvm::Value *offset = m_b.getInt64(0);
  for (size_t k = 0; k < idx.size(); ++k) {
    llvm::Value *i = idx[k], *n = v.shape[k];
    if (idx_exprs && m_unchecked.count((*idx_exprs)[k])) {  // in bounds for the whole loop (versioned)
      offset = m_b.CreateAdd(offset, m_b.CreateMul(i, v.strides[k], "", true, true));
      continue;
    }
    llvm::Value *neg = m_b.CreateICmpSLT(i, m_b.getInt64(0));
    llvm::Value *j = m_b.CreateSelect(neg, m_b.CreateAdd(i, n), i, "idx");
    if (!m_ms.options.fast) {
      auto *bad = llvm::BasicBlock::Create(m_ms.ctx, "np.index.error", m_fn);
      auto *ok = llvm::BasicBlock::Create(m_ms.ctx, "np.index.ok", m_fn);
      llvm::MDBuilder md(m_ms.ctx);
      m_b.CreateCondBr(m_b.CreateICmpUGE(j, n), bad, ok, md.createBranchWeights(1, 1u << 20));
      m_b.SetInsertPoint(bad);
      m_b.CreateCall(capi("pv_np_index_error", m_b.getVoidTy(),
                          {m_b.getPtrTy(), m_b.getInt64Ty(), m_b.getInt32Ty(), m_b.getInt64Ty(), m_b.getPtrTy(), m_b.getInt32Ty()}),
                     {m_ctx, i, m_b.getInt32(axis_names[k]), n, m_fname, line_const(line)});
      m_b.CreateBr(m_unwind);
      m_b.SetInsertPoint(ok);
    }
    offset = m_b.CreateAdd(offset, m_b.CreateMul(j, v.strides[k]));
  }
  return m_b.CreateGEP(m_b.getInt8Ty(), v.data, offset, "elem");
}

llvm::Value *FunctionLowerer::load_element(llvm::Value *p, DType d) {
  llvm::Value *v = m_b.CreateAlignedLoad(memory_type(m_ms.ctx, d), p, llvm::Align(dtype_align(d)), "item");
  if (d == DType::Bool) v = m_b.CreateICmpNE(v, m_b.getInt8(0));
  return v;
}

// A subscript chain that ends in an element: a[i, j], a[i][j], a[i][j, k]: the base array and the
// int indices with the axis each is reported against. Null when the chain does not read one
// element with ints only.
const Expr *FunctionLowerer::element_chain(const Subscript &s, std::vector<const Expr *> &idx, std::vector<int> &axis_names) {
  IndexChain chain = index_chain(s, m_spec);
  if (!chain.base) return nullptr;
  idx.clear();
  axis_names.clear();
  for (auto &items : chain.items)
    for (size_t k = 0; k < items.size(); ++k) {
      if (items[k]->kind == ExprKind::Slice || !int_index(type(*items[k]))) return nullptr;
      idx.push_back(items[k]);
      axis_names.push_back(int(k));  // numbered within its own subscript, as NumPy reports it
    }
  if (int(idx.size()) != type(*chain.base).ndim()) return nullptr;
  return chain.base;
}

llvm::Value *FunctionLowerer::index_i64(const Expr &e, int line) {
  Ty t = type(e);
  llvm::Value *v = expr(e);
  if (t == Ty::Int) return v;
  if (t == Ty::Bool) return m_b.CreateZExt(v, m_b.getInt64Ty());
  if (is_np_scalar(t) && t.dtype() == DType::U64) {  // beyond int64: NumPy's OverflowError, in CPython
    v = np_value(v, t);
    np_warn_if(m_b.CreateICmpSLT(v, m_b.getInt64(0)), "a uint64 index beyond int64", line);
    return v;
  }
  return np_cast(v, t, DType::I64);
}

llvm::Value *FunctionLowerer::array_subscript(const Subscript &e) {
  int line = e.range.line;
  Ty rt = type(e);
  std::vector<const Expr *> idx_e;
  std::vector<int> axes;
  if (const Expr *base = element_chain(e, idx_e, axes)) {
    llvm::Value *holder;
    ArrayView v = array_view(*base, &holder);
    std::vector<llvm::Value *> idx;
    for (const Expr *x : idx_e) idx.push_back(index_i64(*x, line));
    set_loc(e.range);
    llvm::Value *p = element_ptr(v, idx, axes, line, &idx_e);
    llvm::Value *val = load_element(p, type(*base).dtype());
    if (holder) release(holder);
    return val;
  }
  // NumPy's own indexing: views for ints and slices, copies for masks and index arrays
  llvm::Value *c = expr(*e.value);
  llvm::Value *key;
  if (e.slice->kind == ExprKind::Tuple) {
    std::vector<llvm::Value *> items;
    for (auto &x : static_cast<const Tuple &>(*e.slice).elts) {
      if (x->kind == ExprKind::Slice) items.push_back(slice_object(static_cast<const Slice &>(*x), line));
      else items.push_back(to_object(expr(*x), type(*x)));
    }
    set_loc(e.range);
    key = call_obj("PyTuple_New", {m_b.getInt64(int64_t(items.size()))}, line);
    for (size_t k = 0; k < items.size(); ++k) {
      m_b.CreateStore(items[k], m_b.CreateConstGEP1_64(m_b.getPtrTy(), key, 3 + int64_t(k)));  // ob_item, stolen
      forget(items[k]);
    }
  } else if (e.slice->kind == ExprKind::Slice) {
    key = slice_object(static_cast<const Slice &>(*e.slice), line);
  } else {
    key = to_object(expr(*e.slice), type(*e.slice));
  }
  set_loc(e.range);
  llvm::Value *r = call_obj("PyObject_GetItem", {c, key}, line);
  release(key);
  release(c);
  return from_object(r, rt, line, true);
}

// a[i, j] = v (native, one element), or NumPy's __setitem__ for anything else. v is evaluated.
void FunctionLowerer::array_store(const Subscript &s, llvm::Value *v, Ty vt, int line) {
  std::vector<const Expr *> idx_e;
  std::vector<int> axes;
  DType from;
  const Expr *base = scalar_dtype(vt, &from) ? element_chain(s, idx_e, axes) : nullptr;
  if (base) {
    DType d = type(*base).dtype();
    llvm::Value *x = np_store_value(v, vt, d, line);
    llvm::Value *holder;
    ArrayView view = array_view(*base, &holder);
    std::vector<llvm::Value *> idx;
    for (const Expr *i : idx_e) idx.push_back(index_i64(*i, line));
    set_loc(s.range);
    // a[i, j] = v checks writeability first, as NumPy's setitem does; a[i][j] = v indexes a[i] first
    size_t last = s.slice->kind == ExprKind::Tuple ? static_cast<const Tuple &>(*s.slice).elts.size() : 1;
    if (idx.size() > last) {  // the outer subscripts' bounds first (an equal check below folds away)
      std::vector<llvm::Value *> outer(idx.begin(), idx.end() - long(last));
      std::vector<const Expr *> outer_e(idx_e.begin(), idx_e.end() - long(last));
      element_ptr(view, outer, axes, line, &outer_e);
    }
    if (!m_unchecked.count(&s))
      raise_if(m_b.CreateNot(view.writeable), PV_VALUE_ERROR, "assignment destination is read-only", line);
    llvm::Value *p = element_ptr(view, idx, axes, line, &idx_e);
    if (d == DType::Bool) x = m_b.CreateZExt(x, m_b.getInt8Ty());
    m_b.CreateAlignedStore(x, p, llvm::Align(dtype_align(d)));
    mark_effect(base);
    if (holder) release(holder);
    return;
  }
  llvm::Value *val = to_object(v, vt);
  llvm::Value *c = expr(*s.value);
  llvm::Value *key;
  if (s.slice->kind == ExprKind::Tuple) {
    std::vector<llvm::Value *> items;
    for (auto &x : static_cast<const Tuple &>(*s.slice).elts) {
      if (x->kind == ExprKind::Slice) items.push_back(slice_object(static_cast<const Slice &>(*x), line));
      else items.push_back(to_object(expr(*x), type(*x)));
    }
    set_loc(s.range);
    key = call_obj("PyTuple_New", {m_b.getInt64(int64_t(items.size()))}, line);
    for (size_t k = 0; k < items.size(); ++k) {
      m_b.CreateStore(items[k], m_b.CreateConstGEP1_64(m_b.getPtrTy(), key, 3 + int64_t(k)));
      forget(items[k]);
    }
  } else if (s.slice->kind == ExprKind::Slice) {
    key = slice_object(static_cast<const Slice &>(*s.slice), line);
  } else {
    key = to_object(expr(*s.slice), type(*s.slice));
  }
  set_loc(s.range);
  call_int("PyObject_SetItem", {c, key, val}, line);
  mark_effect(s.value.get());
  release(key);
  release(val);
  release(c);
}

// A scalar stored into an array of dtype d, as NumPy's setitem converts it. A value the dtype
// cannot hold (an int out of range, a float NaN or out of range for an int dtype) is NumPy's to
// handle: it warns, raises or wraps depending on the source, so the call reruns in CPython.
llvm::Value *FunctionLowerer::np_store_value(llvm::Value *v, Ty vt, DType d, int line) {
  DType from;
  scalar_dtype(vt, &from);
  v = np_value(v, vt);  // a weak scalar's value (its Python-or-NumPy flag is not stored)
  vt = is_weak(vt) ? Ty::np_scalar(from) : vt;
  if (from == d) return v;
  if (d == DType::Bool) return np_cast(v, vt, d);
  if (dtype_is_complex(d)) {  // each part as a float store converts it (complex64: a part too large warns)
    if (d == DType::C128 || from == DType::C64) return np_cast(v, vt, d);
    llvm::Value *z = np_cast(v, vt, DType::C128);
    llvm::Value *r = np_cast(z, Ty::np_scalar(DType::C128), d);
    for (unsigned k = 0; k < 2; ++k) {
      llvm::Value *x = m_b.CreateExtractValue(z, k), *y = m_b.CreateExtractValue(r, k);
      llvm::Value *inf = m_b.CreateFCmpOEQ(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, y), llvm::ConstantFP::getInfinity(y->getType()));
      llvm::Value *was_finite = m_b.CreateFCmpONE(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x), llvm::ConstantFP::getInfinity(x->getType()));
      np_warn_if(m_b.CreateAnd(inf, was_finite), "a value too large for complex64 stored into an array", line);
    }
    return r;
  }
  llvm::Type *target = dtype_llvm(m_ms.ctx, d);
  if (dtype_is_float(d)) {
    llvm::Value *x = dtype_is_float(from) ? v : np_cast(v, vt, DType::F64);  // Python ints go through a double, as NumPy's do
    if (d == DType::F32) {
      if (x->getType()->isDoubleTy()) {
        llvm::Value *r = m_b.CreateFPTrunc(x, target);
        llvm::Value *inf = m_b.CreateFCmpOEQ(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, r), llvm::ConstantFP::getInfinity(target));
        llvm::Value *was_finite = m_b.CreateFCmpONE(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x), llvm::ConstantFP::getInfinity(x->getType()));
        np_warn_if(m_b.CreateAnd(inf, was_finite), "a value too large for float32 stored into an array", line);
        return r;
      }
      return x;
    }
    return x->getType()->isFloatTy() ? m_b.CreateFPExt(x, target) : x;
  }
  // an int dtype
  llvm::Value *x;
  if (dtype_is_float(from)) {
    llvm::Value *f = np_cast(v, vt, DType::F64);
    llvm::Value *in_range = m_b.CreateAnd(m_b.CreateFCmpOGE(f, llvm::ConstantFP::get(m_b.getDoubleTy(), -9223372036854775808.0)),
                                          m_b.CreateFCmpOLT(f, llvm::ConstantFP::get(m_b.getDoubleTy(), 9223372036854775808.0)));
    np_warn_if(m_b.CreateNot(in_range), "a float NaN, infinite or out of range stored into an int array", line);
    x = m_b.CreateFPToSI(f, m_b.getInt64Ty());
    from = DType::I64;
  } else {
    x = from == DType::U64 ? v : np_cast(v, vt, DType::I64);
    if (from != DType::U64) from = DType::I64;
  }
  unsigned bits = unsigned(dtype_size(d)) * 8;
  if (d == DType::U64) {
    if (from != DType::U64) np_warn_if(m_b.CreateICmpSLT(x, m_b.getInt64(0)), "a negative int stored into a uint64 array", line);
    return x;
  }
  if (from == DType::U64) np_warn_if(m_b.CreateICmpSLT(x, m_b.getInt64(0)), "a uint64 too large for the array's dtype", line);
  if (bits < 64 || from == DType::U64) {
    int64_t lo = dtype_is_unsigned(d) ? 0 : -(int64_t(1) << (bits - 1));
    int64_t hi = dtype_is_unsigned(d) ? int64_t((uint64_t(1) << bits) - 1) : (int64_t(1) << (bits - 1)) - 1;
    if (bits < 64)
      np_warn_if(m_b.CreateOr(m_b.CreateICmpSLT(x, m_b.getInt64(lo)), m_b.CreateICmpSGT(x, m_b.getInt64(hi))),
                 std::string("an int out of range stored into an ") + dtype_name(d) + " array", line);
  }
  return m_b.CreateTrunc(x, target);
}

llvm::Value *FunctionLowerer::array_attribute(const Attribute &a) {
  Ty at = type(*a.value), rt = type(a);
  int line = a.range.line;
  if (a.attr == "ndim") return m_b.getInt64(at.ndim());
  if (a.attr == "itemsize") return m_b.getInt64(dtype_size(at.dtype()));
  if (a.attr == "size" || a.attr == "nbytes") {
    llvm::Value *holder;
    ArrayView v = array_view(*a.value, &holder);
    llvm::Value *n = m_b.getInt64(a.attr == "size" ? 1 : dtype_size(at.dtype()));
    for (llvm::Value *s : v.shape) n = m_b.CreateMul(n, s);
    if (holder) release(holder);
    return n;
  }
  llvm::Value *o = expr(*a.value);
  set_loc(a.range);
  llvm::Value *r = get_attr(o, a.attr, line);
  release(o);
  return from_object(r, rt, line, true);
}

// a.shape[k] with an int k: the view's extent (IndexError as a tuple's when k is out of range)
llvm::Value *FunctionLowerer::shape_item(const Subscript &e) {
  auto &attr = static_cast<const Attribute &>(*e.value);
  Ty at = type(*attr.value);
  int line = e.range.line;
  llvm::Value *holder;
  ArrayView v = array_view(*attr.value, &holder);
  llvm::Value *i = index_i64(*e.slice, line);
  set_loc(e.range);
  const std::vector<llvm::Value *> &items = attr.attr == "shape" ? v.shape : v.strides;
  llvm::Value *n = m_b.getInt64(at.ndim());
  llvm::Value *k = checked_index(i, n, "tuple index out of range", line);
  llvm::Value *r = m_b.getInt64(0);
  for (int j = at.ndim() - 1; j >= 0; --j)
    r = m_b.CreateSelect(m_b.CreateICmpEQ(k, m_b.getInt64(j)), items[size_t(j)], r);
  if (attr.attr == "strides" && (at.layout() == Layout::C || at.layout() == Layout::F)) {
    // the real strides (a length-1 axis may have any)
    if (holder) release(holder);
    llvm::Value *o = expr(*attr.value);
    llvm::Value *strides = m_b.CreateLoad(m_b.getPtrTy(), m_b.CreateConstGEP1_64(m_b.getInt8Ty(), o, PV_NP_STRIDES));
    r = m_b.CreateLoad(m_b.getInt64Ty(), m_b.CreateGEP(m_b.getInt64Ty(), strides, k));
    release(o);
    return r;
  }
  if (holder) release(holder);
  return r;
}

// ---- calls ----

// A dtype argument (np.float64, float, 'f8') as the object NumPy receives.
llvm::Value *FunctionLowerer::np_argument(const Expr &e, int line) {
  Ty t = type(e);
  if (e.kind == ExprKind::Attribute && t == Ty::None && is_array(type(*static_cast<const Attribute &>(e).value))) {  // a.dtype
    auto &a = static_cast<const Attribute &>(e);
    llvm::Value *arr = expr(*a.value);
    llvm::Value *d = get_attr(arr, "dtype", line);
    release(arr);
    return d;
  }
  if (e.kind == ExprKind::Attribute && t == Ty::None) {
    auto &a = static_cast<const Attribute &>(e);
    llvm::Value *np = global_object(static_cast<const Name &>(*a.value).id, line);
    return get_attr(np, a.attr, line);
  }
  if (e.kind == ExprKind::Name && t == Ty::None) {
    llvm::Value *b = builtin_object(static_cast<const Name &>(e).id, line);
    incref(b);
    return own(b);
  }
  if (e.kind == ExprKind::Constant && static_cast<const Constant &>(e).value_kind == Constant::Kind::Str) {  // dtype='f4'
    llvm::Value *s = str_object(static_cast<const Constant &>(e).str_value);
    fail_if_null(s, line);
    incref(s);
    return own(s);
  }
  return to_object(expr(e), t);
}

llvm::Value *FunctionLowerer::numpy_call(const Call &e, const CallTarget &target) {
  int line = e.range.line;
  Ty rt = type(e);
  const std::string &name = target.name;
  bool method = name[0] == '.';
  std::vector<Ty> at;
  for (auto &a : e.args) at.push_back(type(*a));
  if (is_array(rt) && !method)
    if (llvm::Value *f = fused_elementwise(e)) return f;  // np.sqrt(x * x + y * y): one loop
  // natively: NumPy scalar constructors and element-wise math on scalars
  if (!method && e.keywords.empty() && is_np_scalar(rt) && at.size() >= 1 && !is_array(at[0]) &&
      (at.size() == 1 || !is_array(at[1]))) {
    DType d = rt.dtype(), from0;
    bool complex_in = at.size() == 1 && scalar_dtype(at[0], &from0) && dtype_is_complex(from0);
    if (at.size() == 1 && (dtype_expr_name(name) || name == "abs" || name == "absolute" || name == "fabs" || name == "sqrt" ||
                           name == "floor" || name == "ceil" || name == "negative" || name == "square" ||
                           name == "isnan" || name == "isinf" || name == "isfinite") &&
        (!complex_in || dtype_expr_name(name) || (name != "sqrt" && name != "fabs" && name != "floor" && name != "ceil"))) {
      llvm::Value *x = expr(*e.args[0]);
      set_loc(e.range);
      DType from;
      scalar_dtype(at[0], &from);
      if (dtype_expr_name(name)) return np_store_value(x, at[0], d, line);  // np.float64(x): as a store converts
      x = np_value(x, at[0]);
      at[0] = Ty::np_scalar(from);
      if (dtype_is_complex(from)) {  // NumPy's complex loops: isnan etc. of either part, the magnitude
        llvm::Value *re = m_b.CreateExtractValue(x, 0), *im = m_b.CreateExtractValue(x, 1);
        auto inf = [&](llvm::Value *p) {
          return m_b.CreateFCmpOEQ(m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, p), llvm::ConstantFP::getInfinity(p->getType()));
        };
        if (name == "isnan") return m_b.CreateOr(m_b.CreateFCmpUNO(re, re), m_b.CreateFCmpUNO(im, im));
        if (name == "isinf") return m_b.CreateOr(inf(re), inf(im));
        if (name == "isfinite") return m_b.CreateAnd(m_b.CreateFCmpORD(re, im), m_b.CreateNot(m_b.CreateOr(inf(re), inf(im))));
        if (name == "abs" || name == "absolute") return np_complex_abs(x);
        if (name == "negative") return np_complex_negate(x);
        return np_complex_arith(Op::Mult, x, x, line);  // square
      }
      if (name == "isnan" || name == "isinf" || name == "isfinite") {
        if (!dtype_is_float(from)) return m_b.getInt1(name == "isfinite");
        llvm::Value *ax = m_b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
        if (name == "isnan") return m_b.CreateFCmpUNO(x, x);
        if (name == "isinf") return m_b.CreateFCmpOEQ(ax, llvm::ConstantFP::getInfinity(x->getType()));
        return m_b.CreateFCmpONE(ax, llvm::ConstantFP::getInfinity(x->getType()));
      }
      llvm::Value *v = np_cast(x, at[0], d);
      if (name == "abs" || name == "absolute" || name == "fabs") return np_abs(v, d, line);
      if (name == "negative") {
        if (dtype_is_float(d)) return opaque(m_b.CreateFNeg(v));
      } else if (name == "square") {
        if (dtype_is_float(d)) {
          llvm::Value *r = m_b.CreateFMul(v, v);
          np_float_check(r, {v}, "square", line, true);
          return r;
        }
      } else {
        llvm::Intrinsic::ID id = name == "sqrt" ? llvm::Intrinsic::sqrt : name == "floor" ? llvm::Intrinsic::floor : llvm::Intrinsic::ceil;
        llvm::Value *r = m_b.CreateUnaryIntrinsic(id, v);
        if (name == "sqrt") np_float_check(r, {v}, "sqrt", line);
        return r;
      }
    }
    if (at.size() == 2 && (name == "minimum" || name == "maximum")) {
      llvm::Value *x = expr(*e.args[0]);
      llvm::Value *y = expr(*e.args[1]);
      set_loc(e.range);
      llvm::Value *a = np_cast(x, at[0], d), *b = np_cast(y, at[1], d);
      bool mx = name == "maximum";
      llvm::Value *first;
      // NumPy 1.24: (a > b || isnan(a)) ? a : b, so a tie (0.0 and -0.0) gives b, and a NaN propagates
      if (dtype_is_float(d))
        first = m_b.CreateOr(mx ? m_b.CreateFCmpOGT(a, b) : m_b.CreateFCmpOLT(a, b), m_b.CreateFCmpUNO(a, a));
      else if (d == DType::Bool || dtype_is_unsigned(d))
        first = mx ? m_b.CreateICmpUGT(a, b) : m_b.CreateICmpULT(a, b);
      else
        first = mx ? m_b.CreateICmpSGT(a, b) : m_b.CreateICmpSLT(a, b);
      return m_b.CreateSelect(first, a, b);
    }
  }
  // NumPy itself, its result guarded against the prediction
  std::vector<llvm::Value *> args;
  std::string kwnames;
  llvm::Value *fn = nullptr;
  if (method) {
    auto &a = static_cast<const Attribute &>(*e.func);
    args.push_back(expr(*a.value));
  } else if (e.func->kind == ExprKind::Name) {  // float64(x) of `from numpy import float64`: the type itself
    fn = global_object(static_cast<const Name &>(*e.func).id, line);  // borrowed: one reference of its own
    incref(fn);
    fn = own(fn);
  } else {
    auto &a = static_cast<const Attribute &>(*e.func);
    size_t dot = name.find('.');
    if (name.rfind("cmath.", 0) == 0) {  // cmath.sqrt: the module is the receiver's name itself
      llvm::Value *mod = global_object(static_cast<const Name &>(*a.value).id, line);
      fn = get_attr(mod, name.substr(6), line);
    } else if (dot == std::string::npos) {
      llvm::Value *np = global_object(static_cast<const Name &>(*a.value).id, line);
      fn = get_attr(np, name, line);
    } else {  // np.random.rand: the submodule, then the function
      auto &m = static_cast<const Attribute &>(*a.value);
      llvm::Value *np = global_object(static_cast<const Name &>(*m.value).id, line);
      llvm::Value *sub = get_attr(np, name.substr(0, dot), line);
      fn = get_attr(sub, name.substr(dot + 1), line);
      release(sub);
    }
  }
  for (auto &a : e.args) args.push_back(np_argument(*a, line));
  for (auto &k : e.keywords) {
    args.push_back(np_argument(*k.value, line));
    kwnames += (kwnames.empty() ? "" : ",") + k.arg;
  }
  set_loc(e.range);
  llvm::Value *kw = llvm::ConstantPointerNull::get(m_b.getPtrTy());
  if (!kwnames.empty())
    kw = m_b.CreateCall(capi("pv_kwnames", m_b.getPtrTy(), {m_b.getPtrTy(), m_b.getPtrTy()}), {site_cache(), m_ms.string(kwnames)});
  llvm::Value *r;
  if (method) {
    std::string attr = name.substr(1);
    r = call_obj("pv_call_method", {site_cache(), m_ms.string(attr), object_array(args), m_b.getInt64(int64_t(1 + e.args.size())), kw},
                 line);
    if (attr == "fill") mark_effect(static_cast<const Attribute &>(*e.func).value.get());
    for (auto *x : args) release(x);
  } else {
    r = call_function(fn, args, e.args.size(), kw, line);
    release(fn);
  }
  if (rt == Ty::None) {
    release(r);
    return none_value();
  }
  return from_object(r, rt, line, true);
}

bool FunctionLowerer::dtype_expr_name(const std::string &name) {
  static const std::set<std::string> names = {"bool_", "bool8", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32",
                                              "uint64", "float32", "float64", "single", "double", "float_", "int_", "intp",
                                              "uintp", "byte", "ubyte", "short", "ushort", "intc", "uintc", "complex64",
                                              "complex128", "complex_", "csingle", "cdouble"};
  return names.count(name) > 0;
}

}  // namespace pyvorin
