// NumPy's typing rules as compiled code keeps them (obj_ndarray.cpp): result dtypes of operators,
// ufuncs, reductions and allocations in NumPy 1.24 (value-based casting for a scalar with an
// array), ndarray attributes and indexing. infer types with them; lower guards what NumPy returns
// against the same prediction.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pyvorin/ast.h"
#include "types.h"

namespace pyvorin::npy {

// An ndarray index: ints consume axes, slices keep them; `array` is an index array (a mask or
// ints) given alone.
struct Index {
  int ints = 0, slices = 0, newaxes = 0;  // newaxes: None (np.newaxis) items
  bool tuple = false;
  Ty array = Ty::Bottom;
  std::string bad;  // why it is not compiled ("?" when an operand's type already failed)
};
Ty index_result(Ty arr, const Index &ix);
// a.shape, a.ndim, a.size, a.T, a.itemsize, a.nbytes; Top when not compiled
Ty attribute_type(Ty arr, const std::string &attr);

struct CallInfo {
  std::vector<Ty> args;  // a method's receiver first
  std::vector<std::pair<std::string, Ty>> keywords;
  std::vector<const ast::Expr *> arg_exprs, keyword_exprs;
  // the dtype of `x.dtype` for an ndarray expression x (set by infer), else nothing
  std::function<std::optional<DType>(const ast::Expr &)> array_dtype;
  Ty keyword(const std::string &name) const;
  const ast::Expr *keyword_expr(const std::string &name) const;
};

// A dtype written in code: np.float64, np.int32, float, int, bool, 'f8', 'int64', np.dtype('i4').
// is_numpy: whether a name refers to the numpy module.
std::optional<DType> dtype_expr(const ast::Expr &e, const std::function<bool(const std::string &)> &is_numpy);

// np.NAME(...) and a.NAME(...); Top with `why` when not compiled
Ty call_type(const std::string &name, const CallInfo &info, std::string &why);
Ty method_type(const std::string &name, const CallInfo &info, std::string &why);
// More of NumPy (obj_ndarray_more.cpp): Bottom when not one of those
Ty extra_call_type(const std::string &name, const CallInfo &info, std::string &why);
Ty extra_method_type(const std::string &name, const CallInfo &info, std::string &why);
// Operators with a NumPy operand (an ndarray or a NumPy scalar)
Ty binop_type(ast::Op op, Ty l, Ty r, std::string &why);
Ty unary_type(ast::UnaryOpKind op, Ty t, std::string &why);
Ty compare_type(ast::CmpOp op, Ty l, Ty r, std::string &why);

// Element-wise math on one scalar, natively: np.sqrt, np.exp, ... The dtype of a float ufunc's
// result for an input dtype (ints of up to 16 bits give float16/float32 in NumPy); false when
// NumPy would compute in float16 or complex.
bool float_ufunc_dtype(DType in, DType *out);
bool is_float_ufunc(const std::string &name);   // sqrt, exp, log, sin, ...
// The reduction's dtype: sum/prod widen ints to int64 or uint64; mean gives float64 for ints.
DType sum_dtype(DType d);
DType mean_dtype(DType d);

// Does an operation with a NumPy operand have `t` on either side?
inline bool numpy_operand(Ty t) { return is_np_scalar(t) || is_array(t); }
// `z op x` with Python's complex z first and an np.float64 x (a float subclass, not a complex one)
// is complex's own operation, which takes floats: a Python complex (and ==, != a Python bool).
inline bool python_complex_first(Ty l, Ty r) { return l == Ty::Complex && is_np_scalar(r) && r.dtype() == DType::F64; }
// An operation NumPy computes (an operand is an ndarray or a NumPy scalar)
inline bool numpy_operation(Ty l, Ty r) { return (numpy_operand(l) || numpy_operand(r)) && !python_complex_first(l, r); }

}  // namespace pyvorin::npy
