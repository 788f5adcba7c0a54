// Why a dispatcher ran a call in CPython although the function compiles: the reasons a single call
// has (a keyword argument, an int beyond 64 bits, argument types that do not compile, an int64
// overflow that reran the call...), counted per reason for Dispatcher.cpython_runs and the report.
#pragma once

#include <Python.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pyvorin::python {

enum class RunReason {
  Keywords,       // called with keyword arguments
  ArgCount,       // positional arguments that defaults cannot complete (CPython binds, or raises)
  TooManyParams,  // more parameters than a native call takes
  BigInt,         // an int argument beyond int64 (arg)
  ArgType,        // an argument of a type compiled code does not take (arg, its type)
  Rejected,       // argument types whose compile fell back (the tags)
  Underflow,      // np.seterr(under=...) asks for NumPy's underflow warnings
  Stack,          // too little C stack for a native frame
  Rerun,          // native code stopped (status) and the call reran in CPython (line)
};

struct CpythonRun {
  RunReason reason;
  int arg = -1;                // the argument's position (BigInt, ArgType)
  const void *key = nullptr;   // ArgType: the argument's type; Rerun: the status
  int line = 0;                // Rerun
  std::vector<int8_t> tags;    // Rejected
  std::string text;            // what the report says
  unsigned long long calls = 0;
};

// Counts one call of `py_func` that ran in CPython for `reason`. The text is made on the first
// call with that reason (from the function's parameter names, the argument's type, the
// signature's fallback in `fallback`, a dict or null, and the native status `message`).
void note_cpython_run(std::vector<CpythonRun> &runs, PyObject *py_func, RunReason reason, int arg, const void *key, int line,
                      const int8_t *tags, int ntags, PyObject *fallback, const char *message);

// [{"reason": text, "calls": n}, ...] in the order the reasons first occurred (a new reference).
PyObject *cpython_runs_list(const std::vector<CpythonRun> &runs);

}  // namespace pyvorin::python
