// The SIGINT hook that stops native loops: it sets pv_interrupt_flag, which compiled loops poll
// on the main thread, then runs the handler it replaced (CPython's, which trips the signal so that
// the loop's poll runs the Python handler).
//
// Python code may install another handler at any time (`signal.signal`, and ipykernel does so
// around every cell), which removes the hook. Asking the kernel for the current handler is a
// system call (about 250 ns, as much as the rest of a call), so a call checks only when
//   - `_signal.signal` ran since the last check (watch_signal_changes wraps it), or
//   - the last check is more than kRecheckMs old (a change made from C, e.g. PyOS_setsig).
#pragma once

#include <Python.h>

namespace pyvorin::python {

// Installs the hook (again, if something replaced it) when the current handler is CPython's or
// another real handler; SIG_IGN and SIG_DFL are left alone. Always asks the kernel. GIL held.
void ensure_sigint_hook();

// ensure_sigint_hook, skipped while no handler can have changed since the last check. Called by
// every main-thread call of a function that polls. GIL held.
void ensure_sigint_hook_cheaply();

// Replaces `_signal.signal` (which `signal.signal` calls) by a wrapper that calls it and then
// marks the hook as unchecked. The wrapper keeps its name, module, signature and doc, and passes
// arguments, results and exceptions through unchanged. Returns -1 with an exception set
// only when the wrapper cannot be installed (no memory); without `_signal` it does nothing.
int watch_signal_changes();

}  // namespace pyvorin::python
