// The C entry points' side of exported code (pyvorin.export, WebAssembly): a per-thread PvCtx for
// each call, and the error of the thread's last failed call as one line of text. Needs no Python.
#include "pyvorin_export.h"

#include <cstdio>
#include <cstring>

namespace {

thread_local PvCtx t_ctx;
thread_local char t_last_error[512];

const char *exception_name(int32_t status) {
  switch (status) {
    case PV_ZERO_DIVISION: return "ZeroDivisionError";
    case PV_VALUE_ERROR: return "ValueError";
    case PV_OVERFLOW_ERROR: return "OverflowError";
    case PV_INT_OVERFLOW: return "OverflowError";
    case PV_DEOPT: return "OverflowError";
    case PV_RECURSION: return "RecursionError";
    case PV_INTERRUPT: return "KeyboardInterrupt";
    case PV_UNBOUND_LOCAL: return "UnboundLocalError";
    case PV_TYPE_ERROR: return "TypeError";
    case PV_PYTHON_ERROR: return "OSError";
    case PV_INDEX_ERROR: return "IndexError";
    case PV_MEMORY_ERROR: return "MemoryError";
    default: return "RuntimeError";
  }
}

}  // namespace

extern "C" {

PvCtx *pv_export_begin(void) {
  std::memset(&t_ctx, 0, sizeof t_ctx);
  // CPython's default recursion limit: RecursionError where Python would raise it
  t_ctx.depth_limit = 1000;
  t_ctx.interrupt = &pv_never_interrupted;
  return &t_ctx;
}

int32_t pv_export_end(PvCtx *ctx) {
  if (ctx->status == PV_OK) return PV_OK;
  const char *message = ctx->message ? ctx->message : "";
  const char *function = ctx->function ? ctx->function : "?";
  char detail[256];
  if (ctx->status == PV_INT_OVERFLOW)
    std::snprintf(detail, sizeof detail, "an int result does not fit in 64 bits (Python's ints are unbounded; exported "
                                         "code's are int64_t)");
  else if (ctx->status == PV_DEOPT)
    std::snprintf(detail, sizeof detail, "%s in Python, which exported code cannot represent", message);
  else if (ctx->status == PV_PYTHON_ERROR)
    std::snprintf(detail, sizeof detail, "writing to standard output failed");
  else
    std::snprintf(detail, sizeof detail, "%s", message);
  std::snprintf(t_last_error, sizeof t_last_error, "%s: %s (in %s, line %d%s%s)", exception_name(ctx->status), detail, function,
                int(ctx->line), ctx->file ? " of " : "", ctx->file ? ctx->file : "");
  return ctx->status;
}

const char *pv_export_last_error(void) { return t_last_error; }

}  // extern "C"
