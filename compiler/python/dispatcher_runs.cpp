// Dispatcher.cpython_runs: why calls of a compiled function ran in CPython (see dispatcher_runs.h).
#include "dispatcher_runs.h"

#include <cstring>

#include "pyvorin/compiler.h"
#include "pyvorin_runtime.h"

namespace pyvorin::python {
namespace {

std::string param_name(PyObject *py_func, int arg) {
  std::string name = "argument " + std::to_string(arg + 1);
  PyObject *code = PyFunction_GetCode(py_func);
  PyObject *names = code ? PyObject_GetAttrString(code, "co_varnames") : nullptr;
  if (names && PyTuple_Check(names) && arg >= 0 && arg < PyTuple_GET_SIZE(names)) {
    const char *s = PyUnicode_AsUTF8(PyTuple_GET_ITEM(names, arg));
    if (s) name += " ('" + std::string(s) + "')";
  }
  Py_XDECREF(names);
  PyErr_Clear();
  return name;
}

int param_count(PyObject *py_func) {
  auto *code = reinterpret_cast<PyCodeObject *>(PyFunction_GetCode(py_func));
  return code ? code->co_argcount : 0;
}

std::string fallback_reason(PyObject *fallback) {
  if (!fallback || !PyDict_Check(fallback)) return "";
  PyObject *reason = PyDict_GetItemString(fallback, "reason");
  const char *s = reason && PyUnicode_Check(reason) ? PyUnicode_AsUTF8(reason) : nullptr;
  PyErr_Clear();
  return s ? s : "";
}

std::string describe(const int8_t *tags, int ntags) {
  std::vector<TypeTag> flat;
  for (int i = 0; i < ntags; ++i) flat.push_back(TypeTag(tags[i]));
  std::string out;
  for (const std::string &n : describe_tags(flat)) out += (out.empty() ? "" : ", ") + n;
  return "(" + out + ")";
}

std::string text_of(const CpythonRun &r, PyObject *py_func, PyObject *fallback, const char *message) {
  std::string line = " at line " + std::to_string(r.line);
  switch (r.reason) {
    case RunReason::Keywords:
      return "called with keyword arguments: compiled code takes positional arguments only";
    case RunReason::ArgCount:
      return "called with another number of positional arguments than its " + std::to_string(param_count(py_func)) +
             " parameters (CPython binds them, or raises)";
    case RunReason::TooManyParams:
      return "it has more than 8 parameters: compiled calls take at most 8";
    case RunReason::BigInt:
      return param_name(py_func, r.arg) + " is an int beyond 64 bits: compiled code holds int64";
    case RunReason::ArgType: {
      auto *type = static_cast<const PyTypeObject *>(r.key);
      std::string name = type ? type->tp_name : "?";
      if (type == &PyList_Type || type == &PyTuple_Type || type == &PyDict_Type || type == &PySet_Type)
        return param_name(py_func, r.arg) + " is a " + name +
               " whose items compiled code cannot hold together: items of different types, of a type it does "
               "not take, or containers nested more than four deep";
      return param_name(py_func, r.arg) + " is a " + name + ", a type compiled code does not take";
    }
    case RunReason::Rejected: {
      std::string why = fallback_reason(fallback);
      return "argument types " + describe(r.tags.data(), int(r.tags.size())) + " do not compile" +
             (why.empty() ? std::string() : ": " + why);
    }
    case RunReason::Underflow:
      return "np.seterr(under=...) asks for NumPy's underflow warnings, which compiled code does not give";
    case RunReason::Stack:
      return "too little C stack was left for a compiled frame";
    case RunReason::Rerun: {
      std::string what = message && *message ? std::string(message) : std::string();
      switch (static_cast<int>(reinterpret_cast<intptr_t>(r.key))) {
        case PV_INT_OVERFLOW:
          return "an int result left int64" + line + ": the call reran in CPython, which computes it exactly";
        case PV_DEOPT:
          return (what.empty() ? std::string("a result compiled code cannot represent") : what) + line +
                 ": the call reran in CPython";
        case PV_GUARD:
          return (what.empty() ? std::string("a value of another type than compiled for") : what) + line +
                 ": the call reran in CPython";
        case PV_NUMPY_WARNING:
          return "NumPy warns" + line + ": the call reran in CPython, where NumPy warns and goes on";
        default:
          return "native code stopped" + line + ": the call reran in CPython";
      }
    }
  }
  return "";
}

}  // namespace

void note_cpython_run(std::vector<CpythonRun> &runs, PyObject *py_func, RunReason reason, int arg, const void *key, int line,
                      const int8_t *tags, int ntags, PyObject *fallback, const char *message) {
  for (CpythonRun &r : runs)
    if (r.reason == reason && r.arg == arg && r.key == key && r.line == line && int(r.tags.size()) == ntags &&
        (ntags == 0 || std::memcmp(r.tags.data(), tags, size_t(ntags)) == 0)) {
      ++r.calls;
      return;
    }
  if (runs.size() >= 64) return;  // a bounded record: the first 64 reasons
  CpythonRun r;
  r.reason = reason;
  r.arg = arg;
  r.key = key;
  r.line = line;
  if (ntags > 0) r.tags.assign(tags, tags + ntags);
  r.text = text_of(r, py_func, fallback, message);
  r.calls = 1;
  runs.push_back(std::move(r));
}

PyObject *cpython_runs_list(const std::vector<CpythonRun> &runs) {
  PyObject *list = PyList_New(0);
  if (!list) return nullptr;
  for (const CpythonRun &r : runs) {
    PyObject *item = Py_BuildValue("{s:s,s:K}", "reason", r.text.c_str(), "calls", r.calls);
    if (!item || PyList_Append(list, item) < 0) {
      Py_XDECREF(item);
      Py_DECREF(list);
      return nullptr;
    }
    Py_DECREF(item);
  }
  return list;
}

}  // namespace pyvorin::python
