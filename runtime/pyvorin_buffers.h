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

/* Whether a float buffer holds a NaN. CPython compares container items by identity first, so a
 * NaN stored twice is one object there; boxed copies of native floats cannot keep that, and
 * compiled code reruns the call in CPython instead of handing such a list over. */
int32_t pv_buf_has_nan(const double *data, int64_t len);
/* list.sort() of a buffer without NaNs: a stable sort, ascending or (reverse) descending. */
void pv_buf_sort(void *data, int64_t len, int32_t kind, int32_t reverse);
const PvRuntimeSymbol *pv_buffer_symbols(size_t *count);

/* Native hash tables (runtime/tables.cpp) for a local dict or set no other code can see: keys of
 * `words` int64 words, dict values one word (an int64, a double's bits, a bool), entries in
 * insertion order. The first field is the live length. */
typedef struct PvTable PvTable;
/* A new empty table; NULL with PV_MEMORY_ERROR recorded. No GIL needed (raw allocator).
 * words: the key's words, | 1 << 8 for a table never read back in order (its entries live in
 * the index, one slot per lookup), | 1 << 9 for a set (no value word). */
PvTable *pv_table_new(PvCtx *ctx, int32_t words, const char *function, int32_t line);
void pv_table_free(PvTable *t);
/* The value slot of key, or NULL when absent. */
int64_t *pv_table_lookup(PvTable *t, const int64_t *key);
/* The value slot of key, inserted (value 0) at the end when absent; NULL with PV_MEMORY_ERROR. */
int64_t *pv_table_insert(PvCtx *ctx, PvTable *t, const int64_t *key, const char *function, int32_t line);
/* 1 when key was present (and is removed), 0 when absent. */
int32_t pv_table_remove(PvTable *t, const int64_t *key);
/* Key descriptors: words | (is a tuple << 8) | (mask of bool words << 16). Sets KeyError(key);
 * needs the GIL. */
void pv_table_key_error(const int64_t *key, int32_t desc);
/* A new CPython set (value_kind < 0) or dict (value_kind: PV_BUF_*) of the live entries in
 * insertion order; NULL with an exception. Needs the GIL. */
PyObject *pv_table_to_object(PvTable *t, int32_t desc, int32_t value_kind);
/* Whether a dict's double values hold a NaN (see pv_buf_has_nan). */
int32_t pv_table_has_nan(PvTable *t);
const PvRuntimeSymbol *pv_table_symbols(size_t *count);

#ifdef __cplusplus
}
#endif
#endif
