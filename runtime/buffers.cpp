// Native storage for lists that only one call can see (compiler/src/native.cpp decides which):
// a malloc'd array of int64, double or bool bytes that compiled code indexes directly. It is
// turned into a CPython list only where the list is handed over or read by CPython.
#include <Python.h>

#include <algorithm>
#include <cstdlib>
#include <type_traits>
#include <cstring>

#include "pyvorin_buffers.h"

extern "C" {

void *pv_buf_alloc(PvCtx *ctx, void *data, int64_t capacity, int64_t elem_size, const char *function, int32_t line) {
  // As list_resize: a size beyond what Py_ssize_t can count in bytes is a MemoryError at once.
  if (capacity < 0 || elem_size <= 0 || capacity > PY_SSIZE_T_MAX / elem_size) {
    pv_raise(ctx, PV_MEMORY_ERROR, "", function, line);
    return nullptr;
  }
  size_t bytes = size_t(capacity) * size_t(elem_size);
  void *p = PyMem_RawRealloc(data, bytes ? bytes : 1);
  if (!p) pv_raise(ctx, PV_MEMORY_ERROR, "", function, line);  // the old block is still freed at exit
  return p;
}

void pv_buf_free(void *data) { PyMem_RawFree(data); }

void pv_buf_sort(void *data, int64_t len, int32_t kind, int32_t reverse) {
  auto run = [&](auto *p) {
    using T = std::remove_pointer_t<decltype(p)>;
    // stable: equal floats (0.0 and -0.0) keep their order, as CPython's sort and its reverse do
    if (reverse)
      std::stable_sort(p, p + len, [](T a, T b) { return a > b; });
    else
      std::stable_sort(p, p + len);
  };
  if (kind == PV_BUF_FLOAT) run(static_cast<double *>(data));
  else if (kind == PV_BUF_BOOL) run(static_cast<int8_t *>(data));
  else run(static_cast<int64_t *>(data));
}

int32_t pv_buf_has_nan(const double *data, int64_t len) {
  for (int64_t i = 0; i < len; ++i)
    if (data[i] != data[i]) return 1;
  return 0;
}

PyObject *pv_buf_to_list(const void *data, int64_t len, int32_t kind) {
  PyObject *list = PyList_New(Py_ssize_t(len));
  if (!list) return nullptr;
  for (int64_t i = 0; i < len; ++i) {
    PyObject *item;
    switch (kind) {
      case PV_BUF_INT: item = PyLong_FromLongLong(static_cast<const int64_t *>(data)[i]); break;
      case PV_BUF_FLOAT: item = PyFloat_FromDouble(static_cast<const double *>(data)[i]); break;
      default: item = PyBool_FromLong(static_cast<const int8_t *>(data)[i]); break;
    }
    if (!item) {
      Py_DECREF(list);
      return nullptr;
    }
    PyList_SET_ITEM(list, Py_ssize_t(i), item);
  }
  return list;
}

const PvRuntimeSymbol *pv_buffer_symbols(size_t *count) {
  static const PvRuntimeSymbol table[] = {
      {"pv_buf_alloc", (void *)&pv_buf_alloc},
      {"pv_buf_free", (void *)&pv_buf_free},
      {"pv_buf_to_list", (void *)&pv_buf_to_list},
      {"pv_buf_has_nan", (void *)&pv_buf_has_nan},
      {"pv_buf_sort", (void *)&pv_buf_sort},
  };
  *count = sizeof table / sizeof table[0];
  return table;
}

}  // extern "C"
