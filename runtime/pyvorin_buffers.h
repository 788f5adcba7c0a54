/* Pyvorin runtime, native buffers: the storage of a local list that no other code can see
 * (compiler/src/native.cpp). Compiled code keeps (data, len, capacity) in registers and reads and
 * writes the elements directly; these functions only allocate, free and hand the list over. */
#ifndef PYVORIN_BUFFERS_H
#define PYVORIN_BUFFERS_H

#include <stddef.h>
#include <stdint.h>

#include "pyvorin_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _object PyObject;

/* Element kinds: int64, double, bool (one byte, 0 or 1). */
enum { PV_BUF_INT = 0, PV_BUF_FLOAT = 1, PV_BUF_BOOL = 2 };

/* realloc(data) to `capacity` elements of elem_size bytes. NULL (data untouched) with
 * PV_MEMORY_ERROR recorded in ctx when it cannot. Needs no GIL. */
void *pv_buf_alloc(PvCtx *ctx, void *data, int64_t capacity, int64_t elem_size, const char *function, int32_t line);
void pv_buf_free(void *data);
/* A new CPython list of the first len elements, boxed (kind: PV_BUF_*); NULL with an exception.
 * Needs the GIL. */
PyObject *pv_buf_to_list(const void *data, int64_t len, int32_t kind);

const PvRuntimeSymbol *pv_buffer_symbols(size_t *count);

#ifdef __cplusplus
}
#endif
#endif
