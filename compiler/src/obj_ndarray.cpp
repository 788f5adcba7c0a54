// The ndarray family and NumPy scalars: NumPy 1.24's typing rules (numpy_rules.h). Checked against
// the installed NumPy by tests/python/test_arrays.py.
#include <map>
#include <set>

#include "numpy_rules.h"

namespace pyvorin::npy {

using namespace ast;

namespace {

// NumPy's kinds for value-based casting: bool < integer < float < complex.
int category(DType d) {
  if (d == DType::Bool) return 0;
  if (dtype_is_int(d)) return 1;
  if (dtype_is_float(d)) return 2;
  return 3;
}

// A real number: a Python int, float or bool, or a real NumPy scalar
bool scalar_like(Ty t) {
  DType d;
  return scalar_dtype(t, &d) && !dtype_is_complex(d);
}

// The dtype of an array operation with a scalar: the array's dtype when the scalar's kind is no
// higher (the value is assumed to fit; lower guards NumPy's actual result), else both promoted.
// A complex scalar with a float array gives the complex type of the array's precision
// (np.float32 array * 1j is complex64; an int8 array * 1j is complex128).
DType array_scalar(DType arr, DType scalar) {
  if (category(scalar) <= category(arr)) return arr;
  if (dtype_is_complex(scalar) && dtype_is_float(arr)) return promote(arr, DType::C64);
  return promote(arr, scalar);
}

// The dtype of an element-wise operation between l and r (each an array or a scalar).
bool elementwise_dtype(Ty l, Ty r, DType *out) {
  DType dl, dr;
  bool al = is_array(l), ar = is_array(r);
  if (al) dl = l.dtype();
  else if (!scalar_dtype(l, &dl)) return false;
  if (ar) dr = r.dtype();
  else if (!scalar_dtype(r, &dr)) return false;
  if (al && ar) *out = promote(dl, dr);
  else if (al) *out = array_scalar(dl, dr);
  else if (ar) *out = array_scalar(dr, dl);
  else *out = promote(dl, dr);
  return true;
}

int ndim_of(Ty t) { return is_array(t) ? t.ndim() : 0; }

// A NumPy scalar for sure (not a variable that may hold the Python scalar)
bool strong(Ty t) { return is_np_scalar(t) && !t.weak(); }

// A shape argument: an int (one axis) or a tuple of ints.
int shape_ndim(Ty t) {
  if (t == Ty::Int || (is_np_scalar(t) && dtype_is_int(t.dtype()))) return 1;
  if (t.kind() == Kind::Tuple) {
    for (Ty a : t.args())
      if (a != Ty::Int) return -1;
    return int(t.args().size());
  }
  return -1;
}

Ty of_dtype(DType d, int ndim, Layout layout) {
  if (ndim == 0) return Ty::np_scalar(d);
  return Ty::array(d, ndim, layout);
}

// Compiled for every dtype but complex: scalars of it are native (+ - * /, abs, ==), and arrays of
// it go through NumPy's own functions; the rules that compute natively or type a result that a
// complex input changes say so where they call this.
bool supported(DType d) { return !dtype_is_complex(d); }

}  // namespace

Ty CallInfo::keyword(const std::string &name) const {
  for (auto &[k, t] : keywords)
    if (k == name) return t;
  return Ty::Bottom;
}

const Expr *CallInfo::keyword_expr(const std::string &name) const {
  for (size_t i = 0; i < keywords.size(); ++i)
    if (keywords[i].first == name) return keyword_exprs[i];
  return nullptr;
}

static const std::map<std::string, DType> &scalar_type_names() {
  static const std::map<std::string, DType> names = {
      {"bool_", DType::Bool},   {"bool8", DType::Bool},     {"int8", DType::I8},       {"int16", DType::I16},
      {"int32", DType::I32},    {"int64", DType::I64},      {"uint8", DType::U8},      {"uint16", DType::U16},
      {"uint32", DType::U32},   {"uint64", DType::U64},     {"float32", DType::F32},   {"float64", DType::F64},
      {"single", DType::F32},   {"double", DType::F64},     {"float_", DType::F64},    {"int_", DType::I64},
      {"intp", DType::I64},     {"uintp", DType::U64},      {"byte", DType::I8},       {"ubyte", DType::U8},
      {"short", DType::I16},    {"ushort", DType::U16},     {"intc", DType::I32},      {"uintc", DType::U32},
      {"complex64", DType::C64}, {"complex128", DType::C128}, {"complex_", DType::C128}};
  return names;
}

std::optional<DType> dtype_expr(const Expr &e, const std::function<bool(const std::string &)> &is_numpy) {
  const auto &names = scalar_type_names();
  static const std::map<std::string, DType> strings = {
      {"bool", DType::Bool},   {"?", DType::Bool},     {"int8", DType::I8},     {"i1", DType::I8},     {"int16", DType::I16},
      {"i2", DType::I16},      {"int32", DType::I32},  {"i4", DType::I32},      {"int64", DType::I64}, {"i8", DType::I64},
      {"int", DType::I64},     {"uint8", DType::U8},   {"u1", DType::U8},       {"uint16", DType::U16}, {"u2", DType::U16},
      {"uint32", DType::U32},  {"u4", DType::U32},     {"uint64", DType::U64},  {"u8", DType::U64},   {"float32", DType::F32},
      {"f4", DType::F32},      {"float64", DType::F64}, {"f8", DType::F64},     {"float", DType::F64}, {"d", DType::F64},
      {"f", DType::F32},       {"complex64", DType::C64}, {"complex128", DType::C128}, {"complex", DType::C128}};
  if (e.kind == ExprKind::Attribute) {
    auto &a = static_cast<const Attribute &>(e);
    if (a.value->kind != ExprKind::Name || !is_numpy(static_cast<const Name &>(*a.value).id)) return std::nullopt;
    auto it = names.find(a.attr);
    if (it == names.end()) return std::nullopt;
    return it->second;
  }
  if (e.kind == ExprKind::Name) {
    const std::string &id = static_cast<const Name &>(e).id;
    if (id == "float") return DType::F64;
    if (id == "int") return DType::I64;
    if (id == "bool") return DType::Bool;
    if (id == "complex") return DType::C128;
    return std::nullopt;
  }
  if (e.kind == ExprKind::Constant && static_cast<const Constant &>(e).value_kind == Constant::Kind::Str) {
    auto it = strings.find(static_cast<const Constant &>(e).str_value);
    if (it == strings.end()) return std::nullopt;
    return it->second;
  }
  return std::nullopt;
}

Ty index_result(Ty arr, const Index &ix) {
  if (ix.array != Ty::Bottom) {
    Ty a = ix.array;
    if (a.dtype() == DType::Bool) {
      if (a.ndim() > arr.ndim()) return Ty::Top;
      return Ty::array(arr.dtype(), arr.ndim() - a.ndim() + 1, Layout::C);
    }
    if (!dtype_is_int(a.dtype())) return Ty::Top;
    return Ty::array(arr.dtype(), a.ndim() + arr.ndim() - 1, arr.ndim() == 1 ? Layout::C : Layout::A);
  }
  if (ix.newaxes > 0 && ix.array != Ty::Bottom) return Ty::Top;
  int rest = arr.ndim() - ix.ints + ix.newaxes;
  if (rest == 0 && ix.slices == 0) return Ty::np_scalar(arr.dtype());
  // leading ints of a C array leave a C array; anything else is strided
  Layout l = ix.slices == 0 && ix.newaxes == 0 && arr.layout() == Layout::C ? Layout::C : Layout::A;
  return Ty::array(arr.dtype(), rest, l, arr.readonly());
}

Ty attribute_type(Ty arr, const std::string &attr) {
  if (attr == "shape" || attr == "strides") return Ty::tuple(std::vector<Ty>(size_t(arr.ndim()), Ty::Int));
  if (attr == "ndim" || attr == "size" || attr == "itemsize" || attr == "nbytes") return Ty::Int;
  if (attr == "T") {
    Layout l = arr.layout() == Layout::C ? Layout::F : arr.layout() == Layout::F ? Layout::C : Layout::A;
    return Ty::array(arr.dtype(), arr.ndim(), l, arr.readonly());
  }
  if ((attr == "real" || attr == "imag") && dtype_is_complex(arr.dtype()))  // views of the parts
    return Ty::array(complex_part(arr.dtype()), arr.ndim(), Layout::A, arr.readonly());
  return Ty::Top;
}

bool float_ufunc_dtype(DType in, DType *out) {
  if (in == DType::F32 || in == DType::F64) {
    *out = in;
    return true;
  }
  if (in == DType::I16 || in == DType::U16) {
    *out = DType::F32;
    return true;
  }
  if (in == DType::I32 || in == DType::U32 || in == DType::I64 || in == DType::U64) {
    *out = DType::F64;
    return true;
  }
  return false;  // bool, int8, uint8: float16; complex: complex
}

bool is_float_ufunc(const std::string &n) {
  static const std::set<std::string> names = {"sqrt", "exp", "log", "log2", "log10", "log1p", "expm1", "sin", "cos", "tan",
                                              "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "cbrt", "exp2",
                                              "deg2rad", "rad2deg", "radians", "degrees"};
  return names.count(n) > 0;
}

DType sum_dtype(DType d) {
  if (d == DType::Bool || (dtype_is_int(d) && !dtype_is_unsigned(d))) return DType::I64;
  if (dtype_is_unsigned(d)) return DType::U64;
  return d;
}

DType mean_dtype(DType d) { return dtype_is_float(d) || dtype_is_complex(d) ? d : DType::F64; }

namespace {

// The result of a reduction of `a` with an optional axis= (an int): a scalar without one.
Ty reduction(Ty a, DType d, const CallInfo &info, size_t axis_pos, std::string &why) {
  Ty axis = info.keyword("axis");
  if (axis == Ty::Bottom && info.args.size() > axis_pos) axis = info.args[axis_pos];
  if (axis == Ty::Bottom || axis == Ty::None) return Ty::np_scalar(d);
  if (axis != Ty::Int) {
    why = "a reduction's axis= must be an int in compiled code";
    return Ty::Top;
  }
  if (a.ndim() == 1) return Ty::np_scalar(d);
  return Ty::array(d, a.ndim() - 1, Layout::A);
}

std::optional<DType> dtype_keyword(const CallInfo &info, size_t pos, bool *given, std::string &why,
                                   const std::function<bool(const std::string &)> &is_numpy) {
  const Expr *e = info.keyword_expr("dtype");
  if (!e && info.arg_exprs.size() > pos) e = info.arg_exprs[pos];
  *given = e != nullptr;
  if (!e) return std::nullopt;
  auto d = dtype_expr(*e, is_numpy);
  if (!d && info.array_dtype) d = info.array_dtype(*e);  // dtype=a.dtype
  if (!d) why = "dtype= must be written as np.float64, np.int32, float, int, bool or a dtype string like 'f8'";
  return d;
}

}  // namespace

static bool any_module(const std::string &);

// The ndim of a `size=` / shape argument: None (a scalar), an int, or a tuple of ints; -1 otherwise.
static int size_ndim(Ty t) {
  if (t == Ty::Bottom || t == Ty::None) return 0;
  return shape_ndim(t);
}

// More of NumPy: np.random, np.linalg and array functions with simple result types. Bottom: not
// one of these (why stays empty).
static Ty more_call_type(const std::string &name, const CallInfo &info, std::string &why) {
  const auto &a = info.args;
  auto arr = [&](size_t i) { return i < a.size() && is_array(a[i]); };
  auto numbers = [&](size_t from, size_t to) {
    for (size_t i = from; i < to && i < a.size(); ++i)
      if (!scalar_like(a[i]) || is_np_scalar(a[i])) return false;
    return true;
  };
  auto fail = [&](const std::string &w) {
    why = w;
    return Ty::Top;
  };
  for (auto &[k, t] : info.keywords)
    if (k != "size" && k != "axis" && k != "dtype" && k != "decimals" && k != "ord" && k != "loc" && k != "scale" &&
        k != "low" && k != "high" && k != "replace")
      return fail("numpy." + name + "() with the keyword " + k + "= is not compiled");
  // np.random: NumPy's global generator, so the numbers are the ones CPython would draw
  if (name == "random.rand" || name == "random.randn") {  // rand(d0, d1, ...): a float, or an array
    for (Ty t : a)
      if (t != Ty::Int) return fail("numpy." + name + "() takes ints");
    if (!info.keywords.empty()) return fail("numpy." + name + "() takes no keywords");
    return a.empty() ? Ty::Float : Ty::array(DType::F64, int(a.size()), Layout::C);
  }
  if (name == "random.random" || name == "random.random_sample" || name == "random.normal" || name == "random.uniform" ||
      name == "random.standard_normal" || name == "random.exponential" || name == "random.randint" ||
      name == "random.integers") {
    size_t nparams = name == "random.random" || name == "random.random_sample" || name == "random.standard_normal" ? 0
                     : name == "random.exponential" ? 1 : 2;
    Ty size = info.keyword("size");
    if (size == Ty::Bottom && a.size() > nparams) size = a[nparams];
    if (a.size() > nparams + 1 || !numbers(0, nparams)) return fail("numpy." + name + "() is compiled with numbers and size=");
    int nd = size_ndim(size);
    if (nd < 0) return fail("numpy." + name + "()'s size must be an int or a tuple of ints");
    bool ints = name == "random.randint" || name == "random.integers";
    if (ints && info.keyword("dtype") != Ty::Bottom) return fail("numpy." + name + "() with dtype= is not compiled");
    if (nd == 0) return ints ? Ty::Int : Ty::Float;
    return Ty::array(ints ? DType::I64 : DType::F64, nd, Layout::C);
  }
  if (name == "random.seed") return a.size() <= 1 ? Ty::None : fail("numpy.random.seed() takes one int");
  if (name == "random.shuffle") return arr(0) && a.size() == 1 ? Ty::None : fail("numpy.random.shuffle() takes one array");
  if (name == "linalg.norm") {
    if (!arr(0) || a.size() != 1 || !info.keywords.empty()) return fail("numpy.linalg.norm() is compiled for one array");
    return Ty::np_scalar(dtype_is_float(a[0].dtype()) ? a[0].dtype() : DType::F64);
  }
  if (name == "linalg.det") {
    if (!arr(0) || a.size() != 1 || a[0].ndim() != 2) return fail("numpy.linalg.det() is compiled for one 2-D array");
    return Ty::np_scalar(dtype_is_float(a[0].dtype()) ? a[0].dtype() : DType::F64);
  }
  if (name == "linalg.inv" || name == "linalg.solve") {
    size_t n = name == "linalg.inv" ? 1 : 2;
    if (a.size() != n || !arr(0) || (n == 2 && !arr(1))) return fail("numpy." + name + "() is compiled for arrays");
    DType d = n == 2 ? promote(a[0].dtype(), a[1].dtype()) : a[0].dtype();
    d = dtype_is_float(d) ? d : DType::F64;
    return Ty::array(d, n == 2 ? a[1].ndim() : 2, Layout::A);
  }
  if (name == "eye" || name == "identity") {
    if (a.empty() || a.size() > 1 || a[0] != Ty::Int) return fail("numpy." + name + "() is compiled for one int (and dtype=)");
    bool given = false;
    auto d = dtype_keyword(info, 99, &given, why, any_module);
    if (given && !d) return Ty::Top;
    return Ty::array(d ? *d : DType::F64, 2, Layout::C);
  }
  // functions of one array whose result keeps its dtype
  if (name == "diff" || name == "flip" || name == "roll" || name == "unique" || name == "ravel" || name == "flatnonzero" ||
      name == "abs" || name == "sort") {
    if (!arr(0)) return fail("numpy." + name + "() is compiled for an ndarray");
    if (name == "diff" || name == "unique" || name == "ravel") {
      if (a.size() != 1 || !info.keywords.empty()) return fail("numpy." + name + "() takes one array in compiled code");
      return Ty::array(a[0].dtype(), name == "diff" ? a[0].ndim() : 1, Layout::C);
    }
    if (name == "flatnonzero") return Ty::array(DType::I64, 1, Layout::C);
    if (name == "roll") {
      if (a.size() != 2 || a[1] != Ty::Int || !info.keywords.empty()) return fail("numpy.roll() takes an array and an int shift");
      return Ty::array(a[0].dtype(), a[0].ndim(), Layout::C);
    }
    if (a.size() != 1 || !info.keywords.empty()) return fail("numpy." + name + "() takes one array in compiled code");
    return Ty::array(a[0].dtype(), a[0].ndim(), Layout::A);
  }
  if (name == "argsort" || name == "nonzero_count" || name == "count_nonzero") {
    if (!arr(0) || a.size() != 1 || !info.keywords.empty()) return fail("numpy." + name + "() takes one array in compiled code");
    return name == "argsort" ? Ty::array(DType::I64, a[0].ndim(), Layout::C) : Ty::Int;
  }
  if (name == "clip") {
    if (!arr(0) || a.size() != 3 || !info.keywords.empty()) return fail("numpy.clip() takes an array and two bounds");
    DType d;
    if (!elementwise_dtype(a[0], a[1], &d) || !elementwise_dtype(Ty::array(d, a[0].ndim(), Layout::C), a[2], &d))
      return fail("numpy.clip() of these types is not compiled");
    return Ty::array(d, a[0].ndim(), Layout::A);
  }
  if (name == "round" || name == "around") {
    if (!arr(0) || a.size() > 2 || (a.size() == 2 && a[1] != Ty::Int)) return fail("numpy.round() takes an array and an int");
    return Ty::array(a[0].dtype(), a[0].ndim(), Layout::A);
  }
  if (name == "median" || name == "percentile" || name == "quantile" || name == "average" || name == "trace" ||
      name == "nanmean" || name == "nanmax" || name == "nanmin") {
    size_t n = name == "percentile" || name == "quantile" ? 2 : 1;
    if (!arr(0) || a.size() != n || !info.keywords.empty() || (n == 2 && !scalar_like(a[1])))
      return fail("numpy." + name + "() is compiled for an array" + std::string(n == 2 ? " and a number" : "") + ", without axis=");
    DType d = a[0].dtype();
    if (name == "trace") return Ty::np_scalar(sum_dtype(d));
    if (name == "nanmax" || name == "nanmin") return Ty::np_scalar(d);
    if (name == "percentile" || name == "quantile") return Ty::np_scalar(DType::F64);  // float64 even for float32 data
    return Ty::np_scalar(mean_dtype(d));
  }
  if (name == "outer") {
    if (!arr(0) || !arr(1) || a.size() != 2) return fail("numpy.outer() takes two arrays");
    return Ty::array(promote(a[0].dtype(), a[1].dtype()), 2, Layout::C);
  }
  if (name == "concatenate" || name == "vstack" || name == "hstack" || name == "stack" || name == "column_stack") {
    if (a.size() != 1 || !(is_tuple(a[0]) || a[0].kind() == Kind::List) || !info.keywords.empty())
      return fail("numpy." + name + "() is compiled for one list or tuple of arrays");
    Ty items = a[0].kind() == Kind::List ? a[0].elem() : tuple_items_join(a[0]);
    if (!is_array(items)) return fail("numpy." + name + "() is compiled for arrays of one dtype and ndim");
    int nd = items.ndim();
    if (name == "stack" || (name == "vstack" && nd == 1) || (name == "column_stack" && nd == 1)) nd += 1;
    return Ty::array(items.dtype(), std::max(nd, 1), Layout::C);
  }
  if (name == "isclose" || name == "allclose" || name == "array_equal") {
    if (a.size() != 2 || !info.keywords.empty()) return fail("numpy." + name + "() takes two arguments in compiled code");
    if (name == "isclose") return (arr(0) || arr(1)) ? Ty::array(DType::Bool, std::max(ndim_of(a[0]), ndim_of(a[1])), Layout::A)
                                                      : Ty::np_scalar(DType::Bool);
    return Ty::Bool;  // allclose, array_equal: a Python bool
  }
  return Ty::Bottom;
}

// A name used as np in an argument (dtype=np.float32): any name typed as a dtype by infer. The
// rules see only the expressions, so they accept a dotted name whose module infer already typed.
static bool any_module(const std::string &) { return true; }

Ty call_type(const std::string &name, const CallInfo &info, std::string &why) {
  const auto &a = info.args;
  auto arg = [&](size_t i) { return i < a.size() ? a[i] : Ty::Bottom; };
  if (Ty t = extra_call_type(name, info, why); t != Ty::Bottom) return t;
  for (auto &[k, t] : info.keywords)
    if (k != "dtype" && k != "axis" && k != "out" && k != "endpoint" && k != "num" && k != "fill_value" && k != "step" &&
        k != "order" && k != "size" && k != "keepdims" && k != "ddof" && k != "low" && k != "high" && k != "loc" &&
        k != "scale" && k != "decimals" && k != "ord" && k != "replace") {
      why = "numpy." + name + "() with the keyword " + k + "= is not compiled";
      return Ty::Top;
    }
  if (info.keyword("out") != Ty::Bottom || info.keyword("order") != Ty::Bottom) {
    why = "numpy." + name + "() with out= or order= is not compiled";
    return Ty::Top;
  }
  if (auto it = scalar_type_names().find(name); it != scalar_type_names().end()) {  // np.float64(x)
    DType d = it->second, from;
    if (a.size() != 1 || !info.keywords.empty() || !scalar_dtype(a[0], &from) || (dtype_is_complex(from) && !dtype_is_complex(d)))
      return why = "numpy." + name + "() is compiled for one " + (dtype_is_complex(d) ? "number" : "int, float or bool") +
                   " argument", Ty::Top;
    return Ty::np_scalar(d);
  }
  if (name == "zeros" || name == "ones" || name == "empty" || name == "full") {
    size_t dt_pos = name == "full" ? 2 : 1;
    if (a.empty() || a.size() > dt_pos + 1) {
      why = "numpy." + name + "() takes a shape" + std::string(name == "full" ? ", a fill value" : "") + " and a dtype";
      return Ty::Top;
    }
    int nd = shape_ndim(a[0]);
    if (nd < 0) {
      why = "numpy." + name + "()'s shape must be an int or a tuple of ints, not " + ty_name(a[0]);
      return Ty::Top;
    }
    bool given = false;
    auto d = dtype_keyword(info, dt_pos, &given, why, any_module);
    if (given && !d) return Ty::Top;
    DType dt = DType::F64;
    if (d) dt = *d;
    else if (name == "full") {
      Ty fill = a.size() > 1 ? a[1] : info.keyword("fill_value");
      if (!scalar_dtype(fill, &dt)) {
        why = "numpy.full()'s fill value must be a number";
        return Ty::Top;
      }
    }
    return nd == 0 ? Ty::array(dt, 0, Layout::C) : Ty::array(dt, nd, Layout::C);
  }
  if (name == "zeros_like" || name == "ones_like" || name == "empty_like" || name == "full_like") {
    size_t dt_pos = name == "full_like" ? 2 : 1;
    if (a.empty() || !is_array(a[0]) || a.size() > dt_pos + 1) {
      why = "numpy." + name + "() is compiled for an ndarray argument";
      return Ty::Top;
    }
    bool given = false;
    auto d = dtype_keyword(info, dt_pos, &given, why, any_module);
    if (given && !d) return Ty::Top;
    DType dt = d ? *d : a[0].dtype();
    Layout l = a[0].layout() == Layout::A ? Layout::A : a[0].layout();
    return Ty::array(dt, a[0].ndim(), l);
  }
  if (name == "arange") {
    if (a.empty() || a.size() > 3) return why = "numpy.arange() takes 1 to 3 numbers", Ty::Top;
    DType dt = DType::I64;
    for (Ty t : a) {
      DType x;
      if (!scalar_dtype(t, &x) || dtype_is_complex(x)) return why = "numpy.arange()'s bounds must be numbers", Ty::Top;
      if (dtype_is_float(x)) dt = DType::F64;  // NumPy's arange of any ints is int64 (intp)
    }
    bool given = false;
    auto d = dtype_keyword(info, 99, &given, why, any_module);
    if (given && !d) return Ty::Top;
    if (d) dt = *d;
    return Ty::array(dt, 1, Layout::C);
  }
  if (name == "linspace") {
    if (a.size() < 2 || a.size() > 3) return why = "numpy.linspace() takes start, stop and num", Ty::Top;
    for (size_t i = 0; i < a.size(); ++i)
      if (!scalar_like(a[i])) return why = "numpy.linspace()'s arguments must be numbers", Ty::Top;
    if (info.keyword("dtype") != Ty::Bottom) return why = "numpy.linspace() with dtype= is not compiled", Ty::Top;
    return Ty::array(DType::F64, 1, Layout::C);
  }
  if (name == "array" || name == "asarray" || name == "ascontiguousarray") {
    if (a.size() != 1) return why = "numpy." + name + "() takes one argument in compiled code", Ty::Top;
    bool given = false;
    auto d = dtype_keyword(info, 1, &given, why, any_module);
    if (given && !d) return Ty::Top;
    Ty t = a[0];
    int nd = 0;
    DType dt;
    if (is_array(t)) {
      nd = t.ndim();
      dt = t.dtype();
    } else {
      while (t.kind() == Kind::List || t.kind() == Kind::TupleN) {
        ++nd;
        t = t.elem();
      }
      if (nd == 0 || !scalar_dtype(t, &dt) || t.weak()) {
        why = "numpy." + name + "() is compiled for (nested) lists of int, float or bool";
        return Ty::Top;
      }
    }
    if (d) dt = *d;
    // order='K': a copy keeps an F array's order
    return Ty::array(dt, nd, is_array(a[0]) ? (a[0].layout() == Layout::A ? Layout::A : a[0].layout()) : Layout::C);
  }
  if (name == "copy") {
    if (a.size() != 1 || !is_array(a[0])) return why = "numpy.copy() takes one ndarray", Ty::Top;
    return Ty::array(a[0].dtype(), a[0].ndim(), a[0].layout() == Layout::F ? Layout::F : a[0].layout() == Layout::C ? Layout::C : Layout::A);
  }
  if (is_float_ufunc(name) || name == "abs" || name == "absolute" || name == "fabs" || name == "floor" || name == "ceil" ||
      name == "isnan" || name == "isinf" || name == "isfinite" || name == "negative" || name == "square" || name == "sign") {
    if (a.size() != 1 || !info.keywords.empty()) return why = "numpy." + name + "() takes one argument in compiled code", Ty::Top;
    Ty x = a[0];
    DType d;
    if (is_array(x)) d = x.dtype();
    else if (!scalar_dtype(x, &d)) return why = "numpy." + name + "() of a " + ty_name(x) + " is not compiled", Ty::Top;
    DType r = d;
    if (dtype_is_complex(d)) {  // NumPy's complex loops (np.abs: the magnitude, in the parts' dtype)
      static const std::set<std::string> complex_ok = {"abs", "absolute", "negative", "square", "isnan", "isinf", "isfinite",
                                                       "sqrt", "exp", "log", "log10", "sin", "cos", "tan"};
      if (!complex_ok.count(name)) return why = "numpy." + name + "() of a complex value is not compiled", Ty::Top;
      if (name == "abs" || name == "absolute") r = complex_part(d);
      else if (name == "isnan" || name == "isinf" || name == "isfinite") r = DType::Bool;
      return of_dtype(r, ndim_of(x), is_array(x) ? Layout::A : Layout::C);
    }
    if (name == "isnan" || name == "isinf" || name == "isfinite") r = DType::Bool;
    else if (name == "abs" || name == "absolute" || name == "negative" || name == "square" || name == "sign") {
      if (d == DType::Bool && name != "abs" && name != "absolute") return why = "numpy." + name + "() of a bool is not compiled", Ty::Top;
    } else if (!float_ufunc_dtype(d, &r)) {
      why = "numpy." + name + "() of a " + std::string(dtype_name(d)) + " computes in float16, which is not compiled";
      return Ty::Top;
    }
    return of_dtype(r, ndim_of(x), is_array(x) ? Layout::A : Layout::C);
  }
  if (name == "minimum" || name == "maximum" || name == "hypot" || name == "arctan2" || name == "power" || name == "fmin" ||
      name == "fmax") {
    if (a.size() != 2 || !info.keywords.empty()) return why = "numpy." + name + "() takes two arguments in compiled code", Ty::Top;
    DType d;
    if (!elementwise_dtype(a[0], a[1], &d) || !supported(d)) return why = "numpy." + name + "() of these types is not compiled", Ty::Top;
    if (name == "hypot" || name == "arctan2") {
      DType f;
      if (!float_ufunc_dtype(d, &f)) return why = "numpy." + name + "() computes in float16 here, which is not compiled", Ty::Top;
      d = f;
    }
    int nd = std::max(ndim_of(a[0]), ndim_of(a[1]));
    return of_dtype(d, nd, Layout::A);
  }
  if (name == "where") {
    if (a.size() != 3) return why = "numpy.where() is compiled with three arguments", Ty::Top;
    DType d;
    if (!elementwise_dtype(a[1], a[2], &d)) return why = "numpy.where() of these types is not compiled", Ty::Top;
    int nd = std::max({ndim_of(a[0]), ndim_of(a[1]), ndim_of(a[2])});
    return Ty::array(d, nd, nd == 0 ? Layout::C : Layout::A);  // a 0-d array for scalars
  }
  if (name == "dot" || name == "matmul") {
    if (a.size() != 2) return why = "numpy." + name + "() takes two arguments", Ty::Top;
    return binop_type(Op::MatMult, a[0], a[1], why);
  }
  static const std::set<std::string> reductions = {"sum", "prod", "min", "max", "amin", "amax", "mean", "argmin", "argmax",
                                                   "any", "all", "std", "var", "cumsum", "cumprod", "sort", "nansum"};
  if (reductions.count(name)) {
    if (a.empty() || !is_array(a[0])) return why = "numpy." + name + "() is compiled for an ndarray argument", Ty::Top;
    std::string m = name == "amin" ? "min" : name == "amax" ? "max" : name;
    if (m == "sort") {
      if (a.size() > 1 || !info.keywords.empty()) return why = "numpy.sort() is compiled without axis or kind", Ty::Top;
      return Ty::array(a[0].dtype(), a[0].ndim(), a[0].layout() == Layout::C ? Layout::C : Layout::A);
    }
    if (m == "nansum") {
      if (!dtype_is_float(a[0].dtype())) return why = "numpy.nansum() is compiled for float arrays", Ty::Top;
      m = "sum";
    }
    return method_type(m, info, why);
  }
  if (Ty t = more_call_type(name, info, why); t != Ty::Bottom) return t;
  if (why.empty()) why = "numpy." + name + "() is not compiled";
  return Ty::Top;
}

Ty method_type(const std::string &name, const CallInfo &info, std::string &why) {
  Ty self = info.args[0];
  DType d = self.dtype();
  size_t nargs = info.args.size() - 1;
  if (Ty t = extra_method_type(name, info, why); t != Ty::Bottom) return t;
  if (dtype_is_complex(d)) {  // NumPy's own methods, whose results a complex dtype does not change otherwise
    static const std::set<std::string> complex_ok = {"sum", "prod", "mean", "cumsum", "cumprod", "copy", "astype", "reshape",
                                                     "ravel", "flatten", "transpose", "item", "dot", "conj", "conjugate",
                                                     "std", "var", "any", "all"};
    if (!complex_ok.count(name)) return why = "the ndarray method ." + name + "() of a complex array is not compiled", Ty::Top;
    if (name == "conj" || name == "conjugate") {
      if (nargs > 0) return why = "ndarray." + name + "() takes no arguments", Ty::Top;
      return Ty::array(d, self.ndim(), self.layout() == Layout::F ? Layout::F : Layout::C);
    }
    if (name == "item" && nargs == 0) return Ty::Complex;
    if (name == "std" || name == "var") {  // the spread of complex values is real
      if (nargs > 0) return why = "ndarray." + name + "() is compiled with axis= only", Ty::Top;
      return reduction(self, complex_part(d), info, 1, why);
    }
  }
  for (auto &[k, t] : info.keywords)
    if (k != "axis" && k != "dtype") return why = "ndarray." + name + "() with the keyword " + k + "= is not compiled", Ty::Top;
  if (name == "sum" || name == "prod" || name == "nansum") return reduction(self, sum_dtype(d), info, 1, why);
  if (name == "min" || name == "max") return reduction(self, d, info, 1, why);
  if (name == "mean") return reduction(self, mean_dtype(d), info, 1, why);
  if (name == "std" || name == "var") {
    if (nargs > 0) return why = "ndarray." + name + "() is compiled with axis= only", Ty::Top;
    return reduction(self, mean_dtype(d), info, 1, why);
  }
  if (name == "argmin" || name == "argmax") return reduction(self, DType::I64, info, 1, why);
  if (name == "any" || name == "all") return reduction(self, DType::Bool, info, 1, why);
  if (name == "cumsum" || name == "cumprod") {
    Ty axis = info.keyword("axis");
    if (axis == Ty::Bottom && nargs > 0) axis = info.args[1];
    if (axis == Ty::Bottom || axis == Ty::None) return Ty::array(sum_dtype(d), 1, Layout::C);
    return Ty::array(sum_dtype(d), self.ndim(), Layout::A);
  }
  if (name == "copy") {
    if (nargs > 0) return why = "ndarray.copy() takes no arguments in compiled code", Ty::Top;
    return Ty::array(d, self.ndim(), Layout::C);
  }
  if (name == "astype") {
    if (nargs != 1 || !info.keywords.empty()) return why = "ndarray.astype() takes a dtype", Ty::Top;
    auto to = dtype_expr(*info.arg_exprs[1], any_module);
    if (!to && info.array_dtype) to = info.array_dtype(*info.arg_exprs[1]);  // a.astype(b.dtype)
    if (!to) return why = "ndarray.astype()'s dtype must be written as np.float64, float, int, bool or a dtype string", Ty::Top;
    if (!supported(*to)) return why = "complex arrays are not compiled yet", Ty::Top;
    return Ty::array(*to, self.ndim(), self.layout() == Layout::F ? Layout::F : self.layout() == Layout::C ? Layout::C : Layout::A);
  }
  if (name == "reshape") {
    int nd = -1;
    if (nargs == 1) nd = shape_ndim(info.args[1]);
    else if (nargs > 1) {
      nd = int(nargs);
      for (size_t i = 1; i <= nargs; ++i)
        if (info.args[i] != Ty::Int) nd = -1;
    }
    if (nd < 0) return why = "ndarray.reshape() takes ints or a tuple of ints", Ty::Top;
    return Ty::array(d, nd, Layout::A);
  }
  if (name == "ravel" || name == "flatten") {
    if (nargs > 0) return why = "ndarray." + name + "() takes no arguments in compiled code", Ty::Top;
    return Ty::array(d, 1, Layout::C);
  }
  if (name == "transpose") {
    if (nargs > 0) return why = "ndarray.transpose() takes no arguments in compiled code", Ty::Top;
    return attribute_type(self, "T");
  }
  if (name == "fill") {
    if (nargs != 1 || !scalar_like(info.args[1])) return why = "ndarray.fill() takes a number", Ty::Top;
    return Ty::None;
  }
  if (name == "item") {
    if (nargs > 0) return why = "ndarray.item() takes no arguments in compiled code", Ty::Top;
    return d == DType::Bool ? Ty::Bool : dtype_is_float(d) ? Ty::Float : Ty::Int;
  }
  if (name == "dot") {
    if (nargs != 1) return why = "ndarray.dot() takes one argument", Ty::Top;
    return binop_type(Op::MatMult, self, info.args[1], why);
  }
  why = "the ndarray method ." + name + "() is not compiled";
  return Ty::Top;
}

Ty binop_type(Op op, Ty l, Ty r, std::string &why) {
  auto bad = [&](const std::string &w) {
    why = w;
    return Ty::Top;
  };
  if (!numpy_operand(l) && !numpy_operand(r)) return bad("not a NumPy operation");
  if ((is_array(l) || is_array(r)) && op == Op::MatMult) {
    if (!is_array(l) || !is_array(r)) return bad("matmul: an operand is a scalar");
    DType d = promote(l.dtype(), r.dtype());
    if (d == DType::Bool) return bad("matmul of these dtypes is not compiled");
    int a = l.ndim(), b = r.ndim();
    if (a == 0 || b == 0 || a > 2 || b > 2) return bad("matmul is compiled for 1-D and 2-D arrays");
    if (a == 1 && b == 1) return Ty::np_scalar(d);
    if (a == 2 && b == 2) return Ty::array(d, 2, Layout::C);
    return Ty::array(d, 1, Layout::C);
  }
  if (op == Op::MatMult) return bad("unsupported operand type(s) for @: '" + py_type_name(l) + "' and '" + py_type_name(r) + "'");
  DType d;
  if (!elementwise_dtype(l, r, &d))
    return bad("unsupported operand type(s) for " + std::string(op_symbol(op)) + ": '" + py_type_name(l) + "' and '" +
               py_type_name(r) + "' in compiled code");
  bool arrays = is_array(l) || is_array(r);
  if (dtype_is_complex(d)) {  // NumPy's complex + - * / (and ** on arrays, which NumPy computes)
    if (op == Op::Pow && !arrays) return bad("** of NumPy complex scalars is not compiled yet");
    if (op != Op::Add && op != Op::Sub && op != Op::Mult && op != Op::Div && op != Op::Pow)
      return bad("unsupported operand type(s) for " + std::string(op_symbol(op)) + ": '" + py_type_name(l) + "' and '" +
                 py_type_name(r) + "'");
  }
  int nd = std::max(ndim_of(l), ndim_of(r));
  switch (op) {
    case Op::Div:
      if (!dtype_is_float(d) && !dtype_is_complex(d)) d = DType::F64;
      break;
    case Op::FloorDiv: case Op::Mod:
      if (d == DType::Bool) d = DType::I8;
      if (!arrays && d == DType::F32) return bad("float32 // and % are not compiled yet");
      break;
    case Op::Add: case Op::Mult:
      break;
    case Op::Sub:
      if (d == DType::Bool) return bad("numpy boolean subtract, the `-` operator, is not supported");
      break;
    case Op::Pow:
      if (d == DType::Bool) d = DType::I8;
      break;
    case Op::LShift: case Op::RShift:
      if (!dtype_is_int(d)) return bad("unsupported operand types for " + std::string(op_symbol(op)) + " with NumPy floats or bools");
      break;
    case Op::BitAnd: case Op::BitOr: case Op::BitXor:
      if (dtype_is_float(d)) return bad("unsupported operand types for " + std::string(op_symbol(op)) + " with NumPy floats");
      break;
    case Op::MatMult: break;
  }
  if (!arrays && d == DType::Bool && op != Op::BitAnd && op != Op::BitOr && op != Op::BitXor)
    return bad("arithmetic on two NumPy bools is not compiled");
  if (!arrays && dtype_is_unsigned(d) && d == DType::U64 && (op == Op::Pow)) return bad("uint64 ** is not compiled");
  if (!arrays && !strong(l) && !strong(r)) return Ty::np_scalar(d, true);  // Python or NumPy, as the operands are
  return of_dtype(d, nd, Layout::A);
}

Ty unary_type(UnaryOpKind op, Ty t, std::string &why) {
  DType d = t.dtype();
  if (op == UnaryOpKind::Invert && (dtype_is_float(d) || dtype_is_complex(d))) return why = "bad operand type for unary ~: '" + py_type_name(t) + "'", Ty::Top;
  if (op == UnaryOpKind::USub && d == DType::Bool)
    return why = "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead.",
           Ty::Top;
  if (is_array(t)) return Ty::array(d, t.ndim(), Layout::A);
  return t;
}

Ty compare_type(CmpOp op, Ty l, Ty r, std::string &why) {
  DType d;
  if (!elementwise_dtype(l, r, &d)) return why = "comparing a " + ty_name(l) + " with a " + ty_name(r) + " is not compiled", Ty::Top;
  int nd = std::max(ndim_of(l), ndim_of(r));
  if (nd == 0 && dtype_is_complex(d) && op != CmpOp::Eq && op != CmpOp::NotEq)
    return why = "ordering NumPy complex scalars (NumPy compares them lexicographically) is not compiled", Ty::Top;
  if (nd == 0 && !strong(l) && !strong(r)) return Ty::np_scalar(DType::Bool, true);
  return of_dtype(DType::Bool, nd, Layout::A);
}

}  // namespace pyvorin::npy
