/* NumPy in compiled code (runtime/numpy.cpp): the layout compiled code reads in place, and the
 * helpers it calls. An ndarray is read through its PyArrayObject fields (data, nd, dimensions,
 * strides, flags: NumPy's headers, checked by static_assert); a NumPy scalar's value sits right
 * after its PyObject header.
 *
 * Dtype codes are pyvorin::DType's: 0 bool, 1..4 int8..int64, 5..8 uint8..uint64, 9 float32,
 * 10 float64, 11 complex64, 12 complex128. Layout codes: 0 C-contiguous, 1 F-contiguous, 2 any.
 * Every function needs the GIL. */
#ifndef PYVORIN_NUMPY_H
#define PYVORIN_NUMPY_H

#include <stdint.h>

#include "pyvorin_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _object PyObject;

#define PV_NP_DATA 16
#define PV_NP_NDIM 24
#define PV_NP_SHAPE 32
#define PV_NP_STRIDES 40
#define PV_NP_FLAGS 64
#define PV_NP_WRITEABLE 0x0400
#define PV_NP_SCALAR_VALUE 16

/* The dtype code of an exact ndarray in native byte order and aligned; -1 for anything else
 * (other objects, float16, long double, longlong, strings, records, byte-swapped or unaligned). */
int32_t pv_np_dtype_code(PyObject *obj);
int32_t pv_np_layout(PyObject *obj);   /* of an ndarray */
int32_t pv_np_readonly(PyObject *obj); /* of an ndarray */
int32_t pv_np_ndim(PyObject *obj);     /* of an ndarray */
/* The dtype code of an exact NumPy scalar (np.float64, np.int32, np.bool_...), or -1. */
int32_t pv_np_scalar_code(PyObject *obj);
/* Is obj an ndarray of this dtype and ndim, with this layout (2: any)? */
int32_t pv_np_is_array(PyObject *obj, int32_t dtype, int32_t ndim, int32_t layout);
int32_t pv_np_is_scalar(PyObject *obj, int32_t dtype);
/* A new NumPy scalar of the dtype holding the value's low bytes (np.True_/np.False_ for bool);
 * NULL with an exception. */
PyObject *pv_np_box(int32_t dtype, uint64_t bits);
/* A weak scalar's box: the NumPy scalar when is_numpy, else the Python float (float64), int
 * (int64) or bool. */
PyObject *pv_np_box_weak(int32_t dtype, uint64_t bits, int32_t is_numpy);
PyObject *pv_np_box_complex(int32_t dtype, double re, double im, int32_t is_numpy);
int32_t pv_np_reports_underflow();
PyObject *pv_np_empty_like(PyObject *a);
PyObject *pv_np_ufunc1(const char *name, PyObject *x);
/* IndexError: index 10 is out of bounds for axis 0 with size 10 */
void pv_np_index_error(PvCtx *ctx, int64_t index, int32_t axis, int64_t size, const char *function, int32_t line);
/* A NumPy scalar operation that NumPy would warn about (overflow, division by zero, an invalid
 * value): PV_NUMPY_WARNING, so the call reruns in CPython where NumPy warns and goes on. */
void pv_np_warns(PvCtx *ctx, const char *what, const char *function, int32_t line);
/* The CPU's sticky floating-point overflow flag (fetestexcept(FE_OVERFLOW)), for targets where
 * compiled code cannot read it inline (on x86-64 it reads MXCSR itself). */
int32_t pv_fe_overflow(void);
/* An exception leaves code whose NumPy scalar operations warned before it (flags not tested yet):
 * the status becomes PV_NUMPY_WARNING, so the call reruns in CPython, which warns and then
 * raises (an interrupt or a RecursionError stays what it is). */
void pv_np_warned_first(PvCtx *ctx, const char *function, int32_t line);
void pv_fe_clear_overflow(void);

const PvRuntimeSymbol *pv_numpy_symbols(size_t *count);

#ifdef __cplusplus
}
#endif
#endif
