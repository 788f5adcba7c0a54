/* Pyvorin runtime, objects: what compiled code calls for CPython objects (lists, tuples, dicts,
 * sets, str) beyond the inline fast paths the lowering emits (lower_obj.cpp).
 *
 * Ownership follows the C API: a function returning PyObject* returns a new reference, or NULL
 * with a Python exception set; arguments are borrowed. All of them need the GIL. Errors that are
 * not Python exceptions are recorded in the PvCtx (pv_raise) as for the scalar runtime. */
#ifndef PYVORIN_OBJECTS_H
#define PYVORIN_OBJECTS_H

#include <stddef.h>
#include <stdint.h>

#include "pyvorin_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _object PyObject;

/* An interned str for a name or a literal, created once per process and never freed; `cache` is
 * a per-call-site slot in the compiled module (filled on first use). Borrowed. */
PyObject *pv_str_const(PyObject **cache, const char *utf8, size_t size);
PyObject *pv_bytes_const(PyObject **cache, const char *data, size_t size);
PyObject *pv_str_join(PyObject *const *parts, intptr_t n);

/* An f-string built in one buffer (format.cpp): one PvField per part, its value in values[i] (a
 * str object, an int64, or a double's bits). The spec is parsed at compile time; `spec` is its
 * text (UTF-8), for CPython's formatter where the value decides (inf, nan). */
enum { PV_FIELD_STR = 0, PV_FIELD_INT = 1, PV_FIELD_FLOAT = 2, PV_FIELD_STR_SPEC = 3 };
typedef struct {
  int32_t kind, align, sign, type, grouping, fill, width, precision;  /* precision -1: none */
  const char *spec;
  int64_t spec_len;
} PvField;
PyObject *pv_fstring(const PvField *fields, const int64_t *values, int64_t n);
int pv_with_exit(PyObject *mgr);
PyObject *pv_str_item(PyObject *s, int64_t i);
int32_t pv_str_char(PyObject *s, int64_t i);
int32_t pv_str_eq(PyObject *a, PyObject *b);
int32_t pv_str_has_text(PyObject *s);
void pv_raise_object(PyObject *exc);
PyObject *pv_str_strip(PyObject *s, int32_t which);
int32_t pv_parse_int(PyObject *s, int64_t *out);
int32_t pv_parse_float(PyObject *s, double *out);
void pv_with_abort(PyObject *mgr);
/* The builtin `name` (builtins module), cached per site. Borrowed; NULL with an exception. */
PyObject *pv_builtin(PyObject **cache, const char *name);
/* globals[name] of a function's globals dict (borrowed), or NULL with CPython's NameError. The
 * name is interned once per site (cache). */
PyObject *pv_global(PyObject **cache, PyObject *globals, const char *name);
/* A tuple of keyword names ("key,reverse"), cached per site. Borrowed. */
PyObject *pv_kwnames(PyObject **cache, const char *names);
/* obj.name(*args) with keywords (kwnames may be NULL): CPython's own method, so its results,
 * exceptions and messages are CPython's. args[0] is the receiver. New reference. */
PyObject *pv_call_method(PyObject **cache, const char *name, PyObject *const *args, size_t nargs, PyObject *kwnames);
/* callable(*args, **kw). New reference. */
PyObject *pv_call(PyObject *callable, PyObject *const *args, size_t nargs, PyObject *kwnames);
/* Unpacking as UNPACK_SEQUENCE / UNPACK_EX: a tuple of exactly before + after items (plus a list
 * of the rest when starred), or NULL with CPython's ValueError/TypeError. New reference. */
PyObject *pv_unpack(PyObject *obj, int64_t before, int64_t after, int32_t starred);
/* print(obj): str(obj) into the current print line. -1 when str() raised. */
int32_t pv_print_obj(PyObject *obj);
/* A guard failed: an object of another type (or an int beyond 64 bits) where compiled code
 * expects `expected`. Records PV_GUARD; the call reruns in CPython if nothing observable happened. */
void pv_guard_failed(PvCtx *ctx, PyObject *obj, const char *expected, const char *function, int32_t line);
/* An int object as int64; PV_GUARD when it is not an exact int or does not fit. */
int64_t pv_unbox_int(PvCtx *ctx, PyObject *obj, const char *function, int32_t line);
/* A Python exception is set: record PV_PYTHON_ERROR (the dispatcher keeps the exception). */
void pv_python_error(PvCtx *ctx, const char *function, int32_t line);
/* list.sort(key=..., reverse=...) of `list` where the keys were computed already (in order, one
 * per item): CPython's own key sort, fed the keys by partial(next, iter(keys)), so stability,
 * comparisons and reverse are exactly CPython's. 0, or -1 with an exception. */
int32_t pv_sort_with_keys(PyObject *list, PyObject *keys, int32_t reverse);

/* The same for int keys already unboxed (keys[i] the key of item i): a stable sort of the list's
 * items by keys, ascending or (reverse) descending with equal keys in their order, which is the
 * order CPython's sort gives for int keys. 0, or -1 with an exception. */
int32_t pv_sort_int_keys(PyObject *list, const int64_t *keys, int64_t n, int32_t reverse);
/* list[:] = items, keeping any exception that is set (an error on its way out). */
void pv_list_restore(PyObject *list, PyObject *items);

const PvRuntimeSymbol *pv_object_symbols(size_t *count);

#ifdef __cplusplus
}
#endif
#endif
