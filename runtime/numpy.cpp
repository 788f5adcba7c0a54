// NumPy in compiled code (pyvorin_numpy.h): recognising ndarrays and NumPy scalars, boxing scalars,
// and NumPy's messages. Uses only NumPy's struct layouts (its headers), never its C-API table,
// so nothing here needs import_array(): the type objects come from the numpy module itself.
#include "pyvorin_numpy.h"

#include <Python.h>

#define NPY_NO_DEPRECATED_API NPY_1_7_API_VERSION
#include <numpy/ndarraytypes.h>

#include <cstddef>
#include <cfenv>
#include <cstring>
#include <string>

#include "pyvorin_runtime.h"

// compiled code reads these fields at fixed offsets (compiler/src/lower_numpy.cpp)
static_assert(offsetof(PyArrayObject_fields, data) == PV_NP_DATA, "ndarray layout");
static_assert(offsetof(PyArrayObject_fields, nd) == PV_NP_NDIM, "ndarray layout");
static_assert(offsetof(PyArrayObject_fields, dimensions) == PV_NP_SHAPE, "ndarray layout");
static_assert(offsetof(PyArrayObject_fields, strides) == PV_NP_STRIDES, "ndarray layout");
static_assert(offsetof(PyArrayObject_fields, flags) == PV_NP_FLAGS, "ndarray layout");
static_assert(NPY_ARRAY_WRITEABLE == PV_NP_WRITEABLE, "ndarray flags");

namespace {

PyTypeObject *g_ndarray = nullptr;
PyObject *g_scalar_types[13] = {};  // by dtype code (pyvorin::DType)
PyObject *g_true = nullptr, *g_false = nullptr;

const char *kScalarNames[13] = {"bool_", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
                                "float32", "float64", "complex64", "complex128"};

// The numpy module's types, once numpy is imported (by the caller's code: an ndarray argument or a
// call through np means it is). False when numpy is not imported.
bool ready() {
  if (g_ndarray) return true;
  PyObject *modules = PyImport_GetModuleDict();
  PyObject *np = modules ? PyDict_GetItemString(modules, "numpy") : nullptr;
  if (!np) return false;
  PyObject *nd = PyObject_GetAttrString(np, "ndarray");
  if (!nd || !PyType_Check(nd)) {
    Py_XDECREF(nd);
    PyErr_Clear();
    return false;
  }
  for (int i = 0; i < 13; ++i) {
    g_scalar_types[i] = PyObject_GetAttrString(np, kScalarNames[i]);  // kept for the process
    if (!g_scalar_types[i]) {
      PyErr_Clear();
      return false;
    }
  }
  g_true = PyObject_GetAttrString(np, "True_");
  g_false = PyObject_GetAttrString(np, "False_");
  if (!g_true || !g_false) {
    PyErr_Clear();
    return false;
  }
  g_ndarray = reinterpret_cast<PyTypeObject *>(nd);
  return true;
}

thread_local std::string t_message;  // the last IndexError text (read by the dispatcher before the next)

}  // namespace

extern "C" {

int32_t pv_np_dtype_code(PyObject *obj) {
  if (!ready() || Py_TYPE(obj) != g_ndarray) return -1;
  auto *a = reinterpret_cast<PyArrayObject_fields *>(obj);
  PyArray_Descr *d = a->descr;
  if (d->byteorder == '>' || !(a->flags & NPY_ARRAY_ALIGNED)) return -1;  // not native: CPython's
  switch (d->type_num) {
    case NPY_BOOL: return 0;
    case NPY_BYTE: return 1;
    case NPY_SHORT: return 2;
    case NPY_INT: return 3;
    case NPY_LONG: return 4;
    case NPY_UBYTE: return 5;
    case NPY_USHORT: return 6;
    case NPY_UINT: return 7;
    case NPY_ULONG: return 8;
    case NPY_FLOAT: return 9;
    case NPY_DOUBLE: return 10;
    case NPY_CFLOAT: return 11;
    case NPY_CDOUBLE: return 12;
    default: return -1;  // longlong (a type of its own), float16, long double, objects, strings, records
  }
}

int32_t pv_np_layout(PyObject *obj) {
  auto *a = reinterpret_cast<PyArrayObject_fields *>(obj);
  if (a->flags & NPY_ARRAY_C_CONTIGUOUS) return 0;
  if (a->flags & NPY_ARRAY_F_CONTIGUOUS) return 1;
  return 2;
}

int32_t pv_np_readonly(PyObject *obj) { return !(reinterpret_cast<PyArrayObject_fields *>(obj)->flags & NPY_ARRAY_WRITEABLE); }

int32_t pv_np_ndim(PyObject *obj) { return reinterpret_cast<PyArrayObject_fields *>(obj)->nd; }

int32_t pv_np_scalar_code(PyObject *obj) {
  if (!ready()) return -1;
  PyObject *t = reinterpret_cast<PyObject *>(Py_TYPE(obj));
  for (int i = 0; i < 13; ++i)
    if (t == g_scalar_types[i]) return i;
  return -1;
}

int32_t pv_np_is_array(PyObject *obj, int32_t dtype, int32_t ndim, int32_t layout) {
  if (pv_np_dtype_code(obj) != dtype || pv_np_ndim(obj) != ndim) return 0;
  if (layout == 2) return 1;
  int32_t l = pv_np_layout(obj);
  if (layout == 0) return l == 0;
  return l == 1 || (l == 0 && ndim <= 1);
}

int32_t pv_np_is_scalar(PyObject *obj, int32_t dtype) { return pv_np_scalar_code(obj) == dtype; }

PyObject *pv_np_box(int32_t dtype, uint64_t bits) {
  if (!ready()) {
    PyErr_SetString(PyExc_SystemError, "numpy is not imported");
    return nullptr;
  }
  if (dtype == 0) {
    PyObject *r = bits ? g_true : g_false;
    Py_INCREF(r);
    return r;
  }
  auto *type = reinterpret_cast<PyTypeObject *>(g_scalar_types[dtype]);
  PyObject *r = type->tp_alloc(type, 0);
  if (!r) return nullptr;
  char *val = reinterpret_cast<char *>(r) + PV_NP_SCALAR_VALUE;  // obval, after PyObject_HEAD
  static const int sizes[13] = {1, 1, 2, 4, 8, 1, 2, 4, 8, 4, 8, 8, 16};
  std::memcpy(val, &bits, size_t(sizes[dtype]));  // little-endian: the low bytes
  return r;
}

PyObject *pv_np_box_weak(int32_t dtype, uint64_t bits, int32_t is_numpy) {
  if (is_numpy) return pv_np_box(dtype, bits);
  if (dtype == 10) {
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return PyFloat_FromDouble(d);
  }
  if (dtype == 0) return PyBool_FromLong(long(bits & 1));
  return PyLong_FromLongLong((long long)bits);
}

// numpy.empty_like(a): the fused loop's result (lower_fuse.cpp)
PyObject *pv_np_empty_like(PyObject *a) {
  static PyObject *fn = nullptr;
  if (!fn) {
    PyObject *np = PyImport_ImportModule("numpy");
    if (!np) return nullptr;
    fn = PyObject_GetAttrString(np, "empty_like");
    Py_DECREF(np);
    if (!fn) return nullptr;
  }
  return PyObject_CallOneArg(fn, a);
}

// numpy.<name>(x) for a one-argument ufunc (lower_fuse.cpp's NumPy path)
PyObject *pv_np_ufunc1(const char *name, PyObject *x) {
  PyObject *np = PyImport_ImportModule("numpy");
  if (!np) return nullptr;
  PyObject *fn = PyObject_GetAttrString(np, name);
  Py_DECREF(np);
  if (!fn) return nullptr;
  PyObject *r = PyObject_CallOneArg(fn, x);
  Py_DECREF(fn);
  return r;
}

// Whether NumPy's error state asks for underflow (np.seterr(under=...) other than 'ignore', its
// default): its mask, in the thread's dict under "UFUNC_PYVALS" (NumPy 1.24's extobj.c), has
// bits at UFUNC_SHIFT_UNDERFLOW (6).
int32_t pv_np_reports_underflow() {
  if (!ready()) return 0;  // NumPy not imported: nothing set its error state
  static PyObject *key = PyUnicode_InternFromString("UFUNC_PYVALS");
  PyObject *d = PyThreadState_GetDict();
  if (!d || !key) return 0;
  PyObject *ref = PyDict_GetItemWithError(d, key);
  if (!ref) {
    PyErr_Clear();
    return 0;
  }
  if (!PyList_Check(ref) || PyList_GET_SIZE(ref) != 3) return 1;  // not NumPy's: let NumPy decide
  long mask = PyLong_AsLong(PyList_GET_ITEM(ref, 1));
  if (mask == -1 && PyErr_Occurred()) {
    PyErr_Clear();
    return 1;
  }
  return ((mask >> 6) & 7) != 0;
}

// A complex value as np.complex64 / np.complex128 (dtype 11, 12), or as Python's complex when
// is_numpy is 0 (a weak value that holds Python's).
PyObject *pv_np_box_complex(int32_t dtype, double re, double im, int32_t is_numpy) {
  if (!is_numpy) return PyComplex_FromDoubles(re, im);
  if (!ready()) {
    PyErr_SetString(PyExc_SystemError, "numpy is not imported");
    return nullptr;
  }
  auto *type = reinterpret_cast<PyTypeObject *>(g_scalar_types[dtype]);
  PyObject *r = type->tp_alloc(type, 0);
  if (!r) return nullptr;
  char *val = reinterpret_cast<char *>(r) + PV_NP_SCALAR_VALUE;
  if (dtype == 11) {
    float parts[2] = {float(re), float(im)};  // exact: the parts were complex64's
    std::memcpy(val, parts, sizeof parts);
  } else {
    double parts[2] = {re, im};
    std::memcpy(val, parts, sizeof parts);
  }
  return r;
}

void pv_np_index_error(PvCtx *ctx, int64_t index, int32_t axis, int64_t size, const char *function, int32_t line) {
  t_message = "index " + std::to_string(index) + " is out of bounds for axis " + std::to_string(axis) + " with size " +
              std::to_string(size);
  pv_raise(ctx, PV_INDEX_ERROR, t_message.c_str(), function, line);
}

void pv_np_warns(PvCtx *ctx, const char *what, const char *function, int32_t line) {
  pv_raise(ctx, PV_NUMPY_WARNING, what, function, line);
}

void pv_np_warned_first(PvCtx *ctx, const char *function, int32_t line) {
  switch (ctx->status) {
    case PV_OK: case PV_INTERRUPT: case PV_RECURSION: case PV_NUMPY_WARNING: return;
    case PV_PYTHON_ERROR: PyErr_Clear(); break;  // the rerun raises it again
    default: break;
  }
  ctx->status = PV_OK;
  ctx->nframes = 0;
  pv_raise(ctx, PV_NUMPY_WARNING,
           "NumPy warns about an operation on NumPy scalars (an integer overflow, or a float overflow, division by zero "
           "or invalid value) before this exception",
           function, line);
}

int32_t pv_fe_overflow(void) { return fetestexcept(FE_OVERFLOW) != 0; }

void pv_fe_clear_overflow(void) { feclearexcept(FE_OVERFLOW); }

const PvRuntimeSymbol *pv_numpy_symbols(size_t *count) {
  static const PvRuntimeSymbol table[] = {
      {"pv_np_is_array", (void *)&pv_np_is_array},       {"pv_np_is_scalar", (void *)&pv_np_is_scalar},
      {"pv_np_box", (void *)&pv_np_box},                 {"pv_np_index_error", (void *)&pv_np_index_error},
      {"pv_np_box_weak", (void *)&pv_np_box_weak},       {"pv_np_box_complex", (void *)&pv_np_box_complex},
      {"pv_np_empty_like", (void *)&pv_np_empty_like},   {"pv_np_ufunc1", (void *)&pv_np_ufunc1},
      {"pv_np_reports_underflow", (void *)&pv_np_reports_underflow},
      {"pv_np_warns", (void *)&pv_np_warns},             {"pv_fe_overflow", (void *)&pv_fe_overflow},
      {"pv_fe_clear_overflow", (void *)&pv_fe_clear_overflow}, {"pv_np_warned_first", (void *)&pv_np_warned_first},
  };
  *count = sizeof table / sizeof table[0];
  return table;
}

}  // extern "C"
