/* Pyvorin runtime: the C ABI that compiled code calls (numeric helpers with CPython's semantics,
 * error raising, print, the interrupt flag).
 *
 * Ownership: no function here allocates memory that the caller owns. Strings passed in are
 * borrowed for the duration of the call; text that Python code can contain (string literals) is
 * passed as (pointer, length), never NUL-terminated, because a Python str may hold U+0000;
 * `PvCtx::message`, `PvCtx::function`, `PvCtx::file` and the frames' strings point at static or
 * JIT-module constant data, which the dispatcher keeps alive until it has turned them into the
 * Python exception.
 * Thread-safety: every function is reentrant; state is per call (PvCtx) or thread-local (the print
 * buffer). `pv_interrupt_flag` is a process-wide flag written from a signal handler. */
#ifndef PYVORIN_RUNTIME_H
#define PYVORIN_RUNTIME_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error kinds a native call can end with; the dispatcher turns each into a Python exception. */
enum PvErrorKind {
  PV_OK = 0,
  PV_ZERO_DIVISION = 1,   /* ZeroDivisionError */
  PV_VALUE_ERROR = 2,     /* ValueError */
  PV_OVERFLOW_ERROR = 3,  /* OverflowError that CPython itself raises (float range, inf -> int) */
  PV_INT_OVERFLOW = 4,    /* an int result left int64: exact only in CPython (rerun or OverflowError) */
  PV_DEOPT = 5,           /* a result native code cannot represent (complex, float from int**-n) */
  PV_RECURSION = 6,       /* RecursionError */
  PV_INTERRUPT = 7,       /* KeyboardInterrupt (SIGINT seen by a loop back-edge poll) */
  PV_UNBOUND_LOCAL = 8,   /* UnboundLocalError */
  PV_TYPE_ERROR = 9,      /* TypeError */
  PV_PYTHON_ERROR = 10,   /* a Python exception is already set (sys.stdout.write raised, a C-API call failed) */
  PV_INDEX_ERROR = 11,    /* IndexError */
  PV_GUARD = 12,          /* an object of another type than compiled for (or an int beyond int64): rerun in
                             CPython before any observable effect, else TypeError naming the line */
  PV_MEMORY_ERROR = 13,   /* MemoryError (a native buffer could not grow) */
  PV_NUMPY_WARNING = 14   /* a NumPy scalar operation NumPy warns about (overflow, division by zero,
                             invalid value): rerun in CPython before any observable effect, else
                             FloatingPointError naming the line */
};

#define PV_MAX_FRAMES 32

/* Per-call context, allocated by the dispatcher on its stack and passed as the first argument of
 * every compiled function. The layout is mirrored in compiler/src/lower.cpp (PvCtx struct type). */
typedef struct PvCtx {
  int32_t status;        /* PvErrorKind; 0 while no error */
  int32_t line;          /* Python source line of the error */
  const char *message;   /* exception message (static) */
  const char *function;  /* Python name of the function that raised (static) */
  int64_t depth_limit;   /* native calls allowed below the entry (RecursionError past it) */
  volatile sig_atomic_t *interrupt; /* polled on loop back-edges: &pv_interrupt_flag on the main
                                       thread (where CPython runs signal handlers), else a flag
                                       that is never set */
  const char *file;      /* source file (co_filename) of `function`: pv_raise clears it, and the
                            raising function's unwind path stores its own file (static) */
  int32_t effects;       /* set by compiled code when it changes an object the caller can see (an
                            argument, or anything reachable from one): no rerun in CPython after */
  void *const *arg_objects; /* the call's argument objects (PyObject *const *), read and cleared by the
                               entry function, so its int and float parameters box back to the very
                               objects passed (identity, as CPython: a NaN found by `in`) */
  int32_t nframes;       /* callers unwound so far (may exceed PV_MAX_FRAMES; the rest are dropped) */
  int32_t fe_python;     /* a scalar helper's Python float operation overflowed (to inf, silently in
                            CPython): the calling loop does not take the CPU's overflow flag for a
                            NumPy warning (compiler/src/lower_fpe.cpp) */
  struct {
    const char *function;
    const char *file;    /* co_filename of `function`: callers may live in other modules */
    int32_t line;
  } frames[PV_MAX_FRAMES]; /* innermost caller first: where each native caller made the failing call */
} PvCtx;

/* Set by the SIGINT hook, polled by compiled loops on back-edges; cleared by the dispatcher. */
extern volatile sig_atomic_t pv_interrupt_flag;

/* Called when a back-edge poll sees *ctx->interrupt set: clears it and runs the signal hook
 * (CPython's handlers). Returns 1, with PV_INTERRUPT recorded at `line`, when the code must stop
 * (a handler raised), 0 to go on. */
int32_t pv_poll_interrupt(PvCtx *ctx, const char *function, int32_t line);
/* The signal hook: returns non-zero when an exception is now pending. NULL: always stop. */
typedef int (*pv_signal_hook)(void);
void pv_set_signal_hook(pv_signal_hook hook);
extern volatile sig_atomic_t pv_never_interrupted;

/* Records an error in ctx (the first one wins) and clears ctx->file, which the raising function
 * sets as it unwinds. */
void pv_raise(PvCtx *ctx, int32_t kind, const char *message, const char *function, int32_t line);

/* Records that `function` of source file `file` (at `line`) called the function that failed: one
 * traceback entry. */
void pv_traceback_push(PvCtx *ctx, const char *function, const char *file, int32_t line);

/* int ** int for exponent >= 0; PV_INT_OVERFLOW when the result leaves int64. */
int64_t pv_int_pow(PvCtx *ctx, int64_t base, int64_t exp, const char *function, int32_t line);
/* float ** float with CPython's float_pow rules (ZeroDivisionError, OverflowError, complex -> DEOPT). */
double pv_float_pow(PvCtx *ctx, double x, double y, const char *function, int32_t line);
/* float // float and float % float (CPython's float_divmod); divisor zero raises. */
double pv_float_floordiv(PvCtx *ctx, double x, double y, const char *function, int32_t line);
double pv_float_mod(PvCtx *ctx, double x, double y, const char *function, int32_t line);
/* int / int, correctly rounded as CPython's long_true_divide (divisor checked by the caller). */
double pv_int_truediv(int64_t a, int64_t b);
/* Exact comparison of an int with a float: -1, 0, 1, or 2 when the float is NaN. */
int32_t pv_cmp_int_float(int64_t a, double b);
/* float -> int truncating toward zero: NaN ValueError, inf OverflowError, beyond int64 INT_OVERFLOW. */
int64_t pv_float_to_int(PvCtx *ctx, double x, const char *function, int32_t line);
/* round(x, n) for a float x, correctly rounded like CPython's double_round (any n; OverflowError
 * "rounded value too large to represent" when a negative n rounds up past the largest double). */
double pv_round_ndigits(PvCtx *ctx, double x, int64_t ndigits, const char *function, int32_t line);
/* round(x, n) for an int x as CPython's long_round: x itself for n >= 0, else x rounded to a
 * multiple of 10**-n, ties to even; PV_INT_OVERFLOW when that multiple leaves int64. */
int64_t pv_int_round(PvCtx *ctx, int64_t x, int64_t ndigits, const char *function, int32_t line);
/* math.pow, math.isqrt, math.log(x, base) with the math module's error rules. */
double pv_math_pow(PvCtx *ctx, double x, double y, const char *function, int32_t line);
int64_t pv_math_isqrt(PvCtx *ctx, int64_t n, const char *function, int32_t line);
double pv_math_log_base(PvCtx *ctx, double x, double base, const char *function, int32_t line);
/* math.hypot(x, y) as CPython computes it (scaled, compensated, corrected: not libm's hypot). */
double pv_math_hypot(double x, double y);
/* math.atan2: a NaN argument gives the canonical NaN, as CPython's m_atan2. */
double pv_math_atan2(double y, double x);

/* print: a line is built in a thread-local buffer and handed to the write hook at pv_print_end,
 * in one write. Text is UTF-8, where a string literal's lone surrogates are encoded as UTF-8 would
 * encode any other code point ("surrogatepass"). A line holding such a surrogate is written piece
 * by piece, one write per argument, separator and end, as CPython's print does, so a strict stream
 * fails at the same write. pv_print_end returns 1, with PV_PYTHON_ERROR recorded in ctx at `line`,
 * when a write raised (the Python exception stays set); 0 otherwise. */
void pv_print_int(int64_t v);
void pv_print_float(double v);
void pv_print_bool(int32_t v);
void pv_print_none(void);
void pv_print_str(const char *s, size_t size);
int32_t pv_print_end(PvCtx *ctx, const char *end, size_t size, const char *function, int32_t line);
/* Writes text; returns 0, or -1 when the write raised (a Python exception is then set). */
typedef int (*pv_write_hook)(const char *data, size_t size);
void pv_set_write_hook(pv_write_hook hook); /* NULL restores fwrite(stdout) */
/* Prints of this thread that wrote some text (not `print(end="")`): a call that wrote nothing can
 * still be rerun in CPython. */
uint64_t pv_print_count(void);

/* CPython's repr() of a float into buf (at least 32 bytes); returns the length. */
size_t pv_format_float(double v, char *buf, size_t size);

/* Name/address table of every symbol above, for the JIT's symbol table. */
typedef struct PvRuntimeSymbol {
  const char *name;
  void *address;
} PvRuntimeSymbol;
const PvRuntimeSymbol *pv_runtime_symbols(size_t *count);

#ifdef __cplusplus
}
#endif
#endif
