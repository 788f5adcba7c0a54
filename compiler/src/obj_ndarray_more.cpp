// The ndarray family, more of NumPy's functions (numpy_rules.h): calls that NumPy itself computes,
// whose result types compiled code predicts (NumPy 1.24, checked against the installed NumPy by
// tests/python/array_cases_more.py) and guards where NumPy returns them: a wrong prediction
// reruns the call in CPython, never a wrong value.
#include <set>

#include "numpy_rules.h"

namespace pyvorin::npy {

using namespace ast;

namespace {

bool real_scalar(Ty t) {
  DType d;
  return scalar_dtype(t, &d) && !dtype_is_complex(d);
}

// A constant True/False written for a keyword (keepdims=True); nullopt when absent or not a literal.
std::optional<bool> bool_keyword(const CallInfo &info, const std::string &name) {
  const Expr *e = info.keyword_expr(name);
  if (!e || e->kind != ExprKind::Constant) return std::nullopt;
  auto &c = static_cast<const Constant &>(*e);
  if (c.value_kind != Constant::Kind::Bool) return std::nullopt;
  return c.bool_value;
}

// The element type of a.tolist() for a dtype: Python's int, float, bool or complex
Ty python_item(DType d) {
  if (d == DType::Bool) return Ty::Bool;
  if (dtype_is_float(d)) return Ty::Float;
  if (dtype_is_complex(d)) return Ty::Complex;
  return Ty::Int;
}

DType float_result(DType d) { return dtype_is_float(d) ? d : DType::F64; }

}  // namespace

// np.NAME(...) beyond call_type's own: Bottom when not one of these (why stays empty).
Ty extra_call_type(const std::string &name, const CallInfo &info, std::string &why) {
  const auto &a = info.args;
  auto arr = [&](size_t i) { return i < a.size() && is_array(a[i]); };
  auto fail = [&](const std::string &w) {
    why = w;
    return Ty::Top;
  };
  auto keywords_only = [&](std::initializer_list<const char *> allowed) {
    for (auto &[k, t] : info.keywords) {
      bool ok = false;
      for (const char *x : allowed) ok = ok || k == x;
      if (!ok) return false;
    }
    return true;
  };
  if ((name == "percentile" || name == "quantile") && a.size() == 2 && arr(0) && a[1].kind() == Kind::List &&
      real_scalar(a[1].elem()) && info.keywords.empty())
    return Ty::array(DType::F64, 1, Layout::C);  // several q at once
  if (name == "where" && a.size() == 1 && arr(0) && info.keywords.empty())  // the indices of the true elements, per axis
    return Ty::tuple(std::vector<Ty>(size_t(std::max(a[0].ndim(), 1)), Ty::array(DType::I64, 1, Layout::A)));
  if (name == "diff" && arr(0) && a.size() == 1 && keywords_only({"n", "axis"}) && !info.keywords.empty())
    return Ty::array(a[0].dtype(), a[0].ndim(), Layout::C);
  if (name == "linalg.norm" && arr(0) && a.size() == 1 && !info.keywords.empty() && keywords_only({"axis", "ord"})) {
    DType d = float_result(a[0].dtype());
    Ty axis = info.keyword("axis");
    if (axis == Ty::Bottom || axis == Ty::None || a[0].ndim() == 1) return Ty::np_scalar(d);
    if (axis != Ty::Int) return fail("numpy.linalg.norm()'s axis= must be an int in compiled code");
    return Ty::array(d, a[0].ndim() - 1, Layout::C);
  }
  if ((name == "round" || name == "around") && !a.empty() && a.size() <= 2 && real_scalar(a[0]) &&
      (a.size() == 1 || a[1] == Ty::Int) && info.keywords.empty()) {  // np.round(x, 2) of a scalar: NumPy's scalar
    DType d;
    scalar_dtype(a[0], &d);
    return Ty::np_scalar(d);
  }
  if (name == "searchsorted" && arr(0) && a[0].ndim() == 1 && a.size() == 2 && keywords_only({"side"})) {
    if (is_array(a[1])) return Ty::array(DType::I64, a[1].ndim(), Layout::C);
    if (real_scalar(a[1])) return Ty::np_scalar(DType::I64);
    return fail("numpy.searchsorted() is compiled for a sorted 1-D array and numbers or an array");
  }
  if (name == "nan_to_num" && a.size() == 1 && keywords_only({"nan", "posinf", "neginf"})) {
    if (arr(0)) return Ty::array(a[0].dtype(), a[0].ndim(), Layout::C);
    if (real_scalar(a[0])) {
      DType d;
      scalar_dtype(a[0], &d);
      return Ty::np_scalar(d);
    }
  }
  if (name == "bincount" && arr(0) && a[0].ndim() == 1 && dtype_is_int(a[0].dtype()) && a.size() == 1 &&
      keywords_only({"weights", "minlength"}))
    return Ty::array(info.keyword("weights") != Ty::Bottom ? DType::F64 : DType::I64, 1, Layout::C);
  if (name == "interp" && a.size() == 3 && arr(1) && arr(2) && info.keywords.empty()) {
    if (is_array(a[0])) return Ty::array(DType::F64, a[0].ndim(), Layout::C);
    if (real_scalar(a[0])) return Ty::np_scalar(DType::F64);
  }
  if (name == "average" && arr(0) && a.size() == 1 && keywords_only({"weights", "axis"}) && !info.keywords.empty()) {
    DType d = float_result(a[0].dtype());
    if (info.keyword("weights") != Ty::Bottom && !is_array(info.keyword("weights")) && info.keyword("weights").kind() != Kind::List)
      return fail("numpy.average()'s weights= must be an array or a list");
    Ty axis = info.keyword("axis");
    if (axis == Ty::Bottom || axis == Ty::None || a[0].ndim() == 1) return Ty::np_scalar(d);
    if (axis != Ty::Int) return fail("numpy.average()'s axis= must be an int in compiled code");
    return Ty::array(d, a[0].ndim() - 1, Layout::C);
  }
  if (name == "histogram" && arr(0) && a.size() <= 2 && keywords_only({"bins", "range"})) {
    Ty bins = a.size() == 2 ? a[1] : info.keyword("bins");
    if (bins != Ty::Bottom && bins != Ty::Int) return fail("numpy.histogram()'s bins must be an int in compiled code");
    DType edges = a[0].dtype() == DType::F32 ? DType::F32 : DType::F64;
    return Ty::tuple({Ty::array(DType::I64, 1, Layout::C), Ty::array(edges, 1, Layout::C)});
  }
  if (name == "unique" && arr(0) && a.size() == 1 && keywords_only({"return_counts"}) && !info.keywords.empty()) {
    auto counts = bool_keyword(info, "return_counts");
    if (!counts) return fail("numpy.unique()'s return_counts= must be True or False, written so");
    if (!*counts) return Ty::array(a[0].dtype(), 1, Layout::C);
    return Ty::tuple({Ty::array(a[0].dtype(), 1, Layout::C), Ty::array(DType::I64, 1, Layout::C)});
  }
  if (name == "convolve" && arr(0) && arr(1) && a[0].ndim() == 1 && a[1].ndim() == 1 && a.size() == 2 && keywords_only({"mode"}))
    return Ty::array(promote(a[0].dtype(), a[1].dtype()), 1, Layout::C);
  if (name == "trapz" && arr(0) && a.size() == 1 && keywords_only({"dx", "axis"})) {
    DType d = float_result(a[0].dtype());
    return a[0].ndim() == 1 ? Ty::np_scalar(d) : Ty::array(d, a[0].ndim() - 1, Layout::A);
  }
  if ((name == "cov" || name == "corrcoef") && arr(0) && (a.size() == 1 || (a.size() == 2 && arr(1))) &&
      keywords_only({"rowvar", "ddof", "bias"})) {
    if (a[0].ndim() == 2 || a.size() == 2) return Ty::array(DType::F64, 2, Layout::C);  // cov(x, y): 2x2
    if (a[0].ndim() == 1) return name == "cov" ? Ty::array(DType::F64, 0, Layout::C) : Ty::np_scalar(DType::F64);
  }
  if (name == "unravel_index" && a.size() == 2 && info.keywords.empty() && (a[0] == Ty::Int || (is_np_scalar(a[0]) && dtype_is_int(a[0].dtype())))) {
    int nd = a[1].kind() == Kind::Tuple ? int(a[1].args().size()) : a[1] == Ty::Int ? 1 : -1;
    if (nd < 1) return fail("numpy.unravel_index()'s shape must be a tuple of ints");
    for (Ty t : a[1].kind() == Kind::Tuple ? a[1].args() : std::vector<Ty>{})
      if (t != Ty::Int) return fail("numpy.unravel_index()'s shape must be a tuple of ints");
    return Ty::tuple(std::vector<Ty>(size_t(nd), Ty::np_scalar(DType::I64)));
  }
  if (name == "polyfit" && a.size() == 3 && arr(0) && arr(1) && a[2] == Ty::Int && info.keywords.empty())
    return Ty::array(DType::F64, a[1].ndim(), Layout::C);
  if (name == "polyval" && a.size() == 2 && ((arr(0) && a[0].dtype() == DType::F64) || a[0] == Ty::list(Ty::Float))) {
    if (is_array(a[1])) return Ty::array(DType::F64, a[1].ndim(), Layout::C);
    if (real_scalar(a[1])) return Ty::np_scalar(DType::F64);
  }
  return Ty::Bottom;
}

// a.NAME(...) beyond method_type's own: Bottom when not one of these.
Ty extra_method_type(const std::string &name, const CallInfo &info, std::string &why) {
  Ty self = info.args[0];
  DType d = self.dtype();
  size_t nargs = info.args.size() - 1;
  if (name == "tolist" && nargs == 0 && info.keywords.empty()) {
    Ty t = python_item(d);
    if (self.ndim() == 0) return t;
    for (int k = 0; k < self.ndim(); ++k) t = Ty::list(t);
    return t;
  }
  if (name == "argsort" && nargs == 0 && info.keywords.empty()) return Ty::array(DType::I64, self.ndim(), Layout::C);
  static const std::set<std::string> keeping = {"sum", "prod", "min", "max", "mean", "std", "var", "any", "all"};
  if (keeping.count(name) && info.keyword_expr("keepdims")) {  // keepdims=True: the axes stay, of length 1
    auto keep = bool_keyword(info, "keepdims");
    if (!keep) return why = "keepdims= must be True or False, written so", Ty::Top;
    if (!*keep) return Ty::Bottom;
    for (auto &[k, t] : info.keywords)
      if (k != "keepdims" && k != "axis") return why = "ndarray." + name + "() with the keyword " + k + "= is not compiled", Ty::Top;
    DType r = name == "mean" || name == "std" || name == "var" ? (dtype_is_float(d) ? d : DType::F64)
              : name == "any" || name == "all" ? DType::Bool
              : name == "sum" || name == "prod" ? sum_dtype(d)
                                                : d;
    return Ty::array(r, self.ndim(), Layout::C);
  }
  if ((name == "std" || name == "var") && nargs == 0 && info.keyword_expr("ddof")) {
    for (auto &[k, t] : info.keywords)
      if (k != "ddof" && k != "axis") return why = "ndarray." + name + "() with the keyword " + k + "= is not compiled", Ty::Top;
    if (info.keyword("ddof") != Ty::Int) return why = "ddof= must be an int", Ty::Top;
    DType r = dtype_is_complex(d) ? complex_part(d) : mean_dtype(d);
    Ty axis = info.keyword("axis");
    if (axis == Ty::Bottom || axis == Ty::None || self.ndim() == 1) return Ty::np_scalar(r);
    if (axis != Ty::Int) return why = "axis= must be an int in compiled code", Ty::Top;
    return Ty::array(r, self.ndim() - 1, Layout::A);
  }
  return Ty::Bottom;
}

}  // namespace pyvorin::npy
