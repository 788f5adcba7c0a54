// The SIGINT hook for native loops and the cheap per-call check that it is still installed (see
// sigint.h).
#include "sigint.h"

#include <signal.h>
#include <time.h>

#include <cstdint>
#include <cstring>

#include "pyvorin_runtime.h"

namespace pyvorin::python {
namespace {

// A change made without `_signal.signal` is noticed by the first call this long after it.
constexpr int64_t kRecheckMs = 10;

struct sigaction g_previous;
// Both are read and written with the GIL held.
bool g_unchecked = true;     // `_signal.signal` ran (or nothing was checked yet)
int64_t g_checked_ms = 0;    // when the kernel was last asked
PyObject *g_original_signal = nullptr;  // `_signal.signal` as CPython made it (owned)

void sigint_hook(int sig, siginfo_t *info, void *uctx) {
  pv_interrupt_flag = 1;
  if (g_previous.sa_flags & SA_SIGINFO) {
    if (g_previous.sa_sigaction) g_previous.sa_sigaction(sig, info, uctx);
  } else if (g_previous.sa_handler != SIG_DFL && g_previous.sa_handler != SIG_IGN && g_previous.sa_handler) {
    g_previous.sa_handler(sig);
  }
}

// A monotonic clock read without a system call (the vDSO); its resolution (a few ms) is enough.
int64_t coarse_ms() {
  struct timespec ts;
  if (clock_gettime(CLOCK_MONOTONIC_COARSE, &ts) != 0) return INT64_MAX / 2;
  return int64_t(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

PyObject *watched_signal(PyObject * /*module*/, PyObject *const *args, Py_ssize_t nargsf, PyObject *kwnames) {
  PyObject *result = PyObject_Vectorcall(g_original_signal, args, nargsf, kwnames);
  g_unchecked = true;  // even when it raised: it may have changed the handler before raising
  return result;
}

PyMethodDef g_watched_def = {"signal", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)(void)>(watched_signal)),
                             METH_FASTCALL | METH_KEYWORDS, nullptr};

}  // namespace

void ensure_sigint_hook() {
  g_unchecked = false;
  g_checked_ms = coarse_ms();
  struct sigaction current;
  if (sigaction(SIGINT, nullptr, &current) != 0) return;
  bool ours = (current.sa_flags & SA_SIGINFO) && current.sa_sigaction == sigint_hook;
  if (ours) return;
  // Only chain onto a real handler (CPython's): SIG_IGN and SIG_DFL are left alone.
  if (!(current.sa_flags & SA_SIGINFO) && (current.sa_handler == SIG_IGN || current.sa_handler == SIG_DFL)) return;
  g_previous = current;
  struct sigaction hook;
  std::memset(&hook, 0, sizeof hook);
  hook.sa_sigaction = sigint_hook;
  hook.sa_flags = SA_SIGINFO | (current.sa_flags & SA_ONSTACK);
  sigemptyset(&hook.sa_mask);
  sigaction(SIGINT, &hook, nullptr);
}

void ensure_sigint_hook_cheaply() {
  if (!g_unchecked && coarse_ms() - g_checked_ms < kRecheckMs) return;
  ensure_sigint_hook();
}

int watch_signal_changes() {
  if (g_original_signal) return 0;
  PyObject *module = PyImport_ImportModule("_signal");
  if (!module) {  // no signal module: nothing can replace the hook from Python; the timed check stays
    PyErr_Clear();
    return 0;
  }
  PyObject *original = PyObject_GetAttrString(module, "signal");
  if (!original || !PyCFunction_Check(original)) {
    // Not CPython's builtin (someone else wrapped it): leave it, the timed check still applies.
    Py_XDECREF(original);
    Py_DECREF(module);
    PyErr_Clear();
    return 0;
  }
  // The original's doc is static text in CPython (with its __text_signature__ line).
  g_watched_def.ml_doc = reinterpret_cast<PyCFunctionObject *>(original)->m_ml->ml_doc;
  PyObject *name = PyUnicode_FromString("_signal");
  // Bound to the module, as the original is: same repr, __self__ and pickling by name.
  g_original_signal = original;
  PyObject *watched = name ? PyCFunction_NewEx(&g_watched_def, module, name) : nullptr;
  Py_XDECREF(name);
  int rc = watched ? PyObject_SetAttrString(module, "signal", watched) : -1;
  Py_XDECREF(watched);
  Py_DECREF(module);
  if (rc < 0) {
    g_original_signal = nullptr;
    Py_DECREF(original);
    return -1;
  }
  return 0;
}

}  // namespace pyvorin::python
