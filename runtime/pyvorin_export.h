/* The runtime's part of exported code's C entry points (runtime/export.cpp, docs/export.md). */
#ifndef PYVORIN_EXPORT_H
#define PYVORIN_EXPORT_H

#include "pyvorin_runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The calling thread's context, cleared, for one call of an exported function. */
PvCtx *pv_export_begin(void);
/* The call's status (PvErrorKind); a failure's description goes to the thread's last error. */
int32_t pv_export_end(PvCtx *ctx);
/* "ZeroDivisionError: division by zero (in f, line 3 of m.py)": the thread's last failed call. */
const char *pv_export_last_error(void);

#ifdef __cplusplus
}
#endif
#endif
