// The Dispatcher type (see dispatcher.h).
#include "dispatcher.h"
#include "dispatcher_runs.h"
#include "dispatcher_tags.h"
#include "sigint.h"

#include <pthread.h>

#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "pyvorin/compiler.h"
#include "pyvorin_numpy.h"
#include "pyvorin_runtime.h"

namespace pyvorin::python {
namespace {

constexpr int kMaxArgs = 8;

// pyvorin._NativeCode: owns one object's machine code in the JIT. The code is freed when the
// last reference goes: the dispatcher's specialisation, the compile cache, or a call running it.
struct NativeCodeObject {
  PyObject_HEAD
  NativeEntryFn fn;
  std::shared_ptr<void> *owner;
};

void native_code_dealloc(PyObject *o) {
  auto *self = reinterpret_cast<NativeCodeObject *>(o);
  delete self->owner;
  Py_TYPE(o)->tp_free(o);
}

PyTypeObject NativeCodeType = {PyVarObject_HEAD_INIT(nullptr, 0)};

// A specialisation holds a strong reference to its code. A call copies the specialisation and
// holds its own reference for as long as the native code runs, so replacing or dropping
// specialisations meanwhile (another thread, a re-entrant call, invalidation) frees nothing in use.
struct Specialisation {
  int nargs = 0;
  int ntags = 0;
  int8_t tags[kMaxTags] = {};
  NativeEntryFn fn = nullptr;
  int8_t ret = 0;
  bool release_gil = false, pure = true, long_running = false;
  bool numpy_scalars = false;  // NumPy's underflow warnings, when asked for, are CPython's (pv_np_reports_underflow)
  unsigned frame_bytes = 0;
  PyObject *code = nullptr;  // a NativeCodeObject (strong)
};

// A global a compiled unit read at compile time, and what it was then (expected == nullptr: the
// name was absent, e.g. a builtin). Strong references.
struct Dep {
  PyObject *dict, *name, *expected;
};

struct DispatcherObject {
  PyObject_HEAD
  vectorcallfunc vectorcall;
  PyObject *py_func;
  PyObject *on_miss;  // callable(dispatcher, tags) that compiles and installs, or raises
  PyObject *dict;
  PyObject *weakrefs;
  PyObject *filename;  // co_filename, for traceback entries
  int nparams;
  bool failed;
  std::vector<Specialisation> *specs;
  std::vector<std::vector<int8_t>> *rejected;  // flattened tag sequences
  std::vector<Dep> *deps;                                // what every specialisation assumed
  std::vector<std::pair<PyObject *, uint64_t>> *versions;  // globals dicts' version tags then
  std::vector<CpythonRun> *runs;  // why calls ran in CPython although the function compiles
  unsigned long long native_calls, python_calls;
  unsigned long long disabled_calls;  // in CPython under pyvorin.disabled() (e.g. the magic's comparison run)
};

bool g_disabled = false;
unsigned long g_main_thread = 0;

// Runs CPython's signal handlers from a native loop (main thread): the GIL may have been released
// for the call, so take it for the handlers. Non-zero when a handler raised.
int run_signal_handlers() {
  PyGILState_STATE state = PyGILState_Ensure();
  int raised = PyErr_CheckSignals() < 0;
  PyGILState_Release(state);
  return raised;
}

// ---- native call depth: CPython's remaining recursion budget, capped by the native stack ----
thread_local char *t_stack_low = nullptr;  // this thread's lowest stack address; 1: unknown
thread_local long long t_stack_size = 0;
constexpr long long kUnknownRoom = 1LL << 40;

// Bytes of C stack left below the caller's frame (kUnknownRoom when the bounds are unknown).
long long stack_room() {
  if (!t_stack_low) {
    pthread_attr_t attr;
    void *addr = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &addr, &size);
      pthread_attr_destroy(&attr);
    }
    t_stack_low = addr ? static_cast<char *>(addr) : reinterpret_cast<char *>(1);
    t_stack_size = (long long)size;
  }
  if (t_stack_low == reinterpret_cast<char *>(1)) return kUnknownRoom;
  char here;
  return (long long)(&here - t_stack_low);
}

// `bytes`, or a quarter of this thread's stack when that is less (threading.stack_size() makes
// small ones): fixed margins would leave such a thread no room at all.
long long stack_margin(long long bytes) {
  long long quarter = t_stack_size / 4;
  return quarter > 0 && quarter < bytes ? quarter : bytes;
}

// C stack kept free for what runs below a native frame (the runtime, print, signal handlers).
long long stack_reserve() { return stack_margin(64 * 1024); }

// Below this much C stack a call through the dispatcher raises RecursionError: each
// Python -> dispatcher -> Python level costs C stack that CPython's recursion limit does not see.
long long stack_guard() { return stack_margin(192 * 1024); }

// CPython's remaining recursion budget, capped by what the native stack can hold with frames of
// frame_bytes (0: unknown, a generous guess). Running out either way is a RecursionError: a rerun
// in CPython would nest C frames deeper still.
long long native_depth_limit(unsigned frame_bytes) {
  PyThreadState *ts = PyThreadState_Get();
  long long limit = ts->recursion_remaining > 0 ? ts->recursion_remaining : 0;  // as many frames as CPython would run
  long long room = stack_room();
  if (room == kUnknownRoom) return limit;
  long long avail = room - stack_reserve();
  long long per_frame = frame_bytes ? frame_bytes : 512;    // measured, or a generous guess
  long long cap = avail > 0 ? avail / per_frame : 0;
  return cap < limit ? cap : limit;
}

PyObject *box(int8_t tag, uint64_t raw) {
  switch (TypeTag(tag)) {
    case TypeTag::Object: return reinterpret_cast<PyObject *>(raw);  // a new reference from native code
    case TypeTag::Int: return PyLong_FromLongLong((long long)raw);
    case TypeTag::Float: {
      double d;
      std::memcpy(&d, &raw, sizeof d);
      return PyFloat_FromDouble(d);
    }
    case TypeTag::Bool: return PyBool_FromLong(raw != 0);
    default: Py_RETURN_NONE;
  }
}

PyObject *call_python(DispatcherObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
  self->python_calls++;
  return PyObject_Vectorcall(self->py_func, args, nargsf, kwnames);
}

// A call that runs in CPython for a reason of its own (the function compiles), noted for the report.
PyObject *run_in_cpython(DispatcherObject *self, PyObject *const *args, size_t nargsf, PyObject *kwnames, RunReason why,
                         int arg = -1, const void *key = nullptr, int line = 0, const int8_t *tags = nullptr, int ntags = 0,
                         const char *message = nullptr) {
  note_cpython_run(*self->runs, self->py_func, why, arg, key, line, tags, ntags, PyDict_GetItemString(self->dict, "_fallback"),
                   message);
  return call_python(self, args, nargsf, kwnames);
}

// Turns an error recorded by native code into the Python exception CPython would raise, with a
// traceback entry at the Python source line.
PyObject *raise_native_error(DispatcherObject *self, const PvCtx &ctx) {
  const char *fname = ctx.function ? ctx.function : "?";
  const char *filename = PyUnicode_AsUTF8(self->filename);
  // Traceback entries: the raising function first (innermost), then each native caller, each at
  // its own file (callees may come from other modules).
  auto add_traceback = [&] {
    _PyTraceback_Add(fname, ctx.file ? ctx.file : filename, ctx.line);
    for (int i = 0; i < ctx.nframes && i < PV_MAX_FRAMES; ++i)
      _PyTraceback_Add(ctx.frames[i].function, ctx.frames[i].file ? ctx.frames[i].file : filename, ctx.frames[i].line);
  };
  PyObject *exc = nullptr;
  std::string message = ctx.message ? ctx.message : "";
  switch (ctx.status) {
    case PV_INT_OVERFLOW:
      // Calls that had no observable effect yet were rerun in CPython by the caller; this one had.
      exc = PyExc_OverflowError;
      message = "integer overflow in compiled function '" + std::string(fname) + "' at line " + std::to_string(ctx.line) +
                ": the result does not fit in 64 bits, and it has already " +
                (ctx.effects ? "changed an argument (or an object reachable from one) or used a file" : "printed") +
                ", so it cannot be rerun exactly in CPython; decorate it without pyvorin.jit or keep its ints within 64 bits";
      break;
    case PV_DEOPT:  // no int overflowed: a result of another type (complex, float) that only CPython has
      exc = PyExc_OverflowError;
      message = "compiled function '" + std::string(fname) + "' at line " + std::to_string(ctx.line) + ": " + message +
                " in CPython, which compiled code cannot represent, and it has already printed, so it cannot be rerun "
                "exactly in CPython; decorate it without pyvorin.jit";
      break;
    case PV_GUARD:  // a value of another type than compiled for, after an observable effect
      exc = PyExc_TypeError;
      message = "compiled function '" + std::string(fname) + "' at line " + std::to_string(ctx.line) + ": " + message +
                "; it has already changed an argument, used a file or printed, so it cannot be rerun exactly in CPython; keep "
                "containers to one element type, or decorate it without pyvorin.jit";
      break;
    case PV_NUMPY_WARNING:  // NumPy warns and goes on; after an effect the call cannot be rerun
      exc = PyExc_FloatingPointError;
      message = "compiled function '" + std::string(fname) + "' at line " + std::to_string(ctx.line) + ": " + message +
                " (NumPy warns and goes on), and it has already " +
                (ctx.effects ? "changed an argument (or an object reachable from one) or used a file" : "printed") +
                ", so it cannot be rerun exactly in CPython; decorate it without pyvorin.jit";
      break;
    case PV_INDEX_ERROR: exc = PyExc_IndexError; break;
    case PV_MEMORY_ERROR: exc = PyExc_MemoryError; break;
    case PV_ZERO_DIVISION: exc = PyExc_ZeroDivisionError; break;
    case PV_VALUE_ERROR: exc = PyExc_ValueError; break;
    case PV_OVERFLOW_ERROR: exc = PyExc_OverflowError; break;
    case PV_RECURSION: exc = PyExc_RecursionError; break;
    case PV_UNBOUND_LOCAL: exc = PyExc_UnboundLocalError; break;
    case PV_INTERRUPT:
      // A signal handler raised inside the loop (pv_poll_interrupt); its exception is pending.
      if (PyErr_Occurred() || PyErr_CheckSignals() < 0) {
        add_traceback();
        return nullptr;
      }
      exc = PyExc_KeyboardInterrupt;
      message = "";
      break;
    case PV_PYTHON_ERROR:  // sys.stdout.write raised in print; its exception is set
      if (PyErr_Occurred()) {
        add_traceback();
        return nullptr;
      }
      exc = PyExc_SystemError;
      break;
    default:
      exc = PyExc_SystemError;
      message = "pyvorin internal error in '" + std::string(fname) + "': " + message;
  }
  if (message.empty())
    PyErr_SetNone(exc);
  else
    PyErr_SetString(exc, message.c_str());
  add_traceback();
  return nullptr;
}

void clear_deps(DispatcherObject *self) {
  for (Dep &d : *self->deps) {
    Py_DECREF(d.dict);
    Py_DECREF(d.name);
    Py_XDECREF(d.expected);
  }
  self->deps->clear();
  self->versions->clear();
}

// CPython reads globals at call time: the native code is valid only while every global it was
// compiled against is unchanged. A dict's version tag moves on any change, so the common case
// is one comparison; then each name is looked up again.
bool deps_valid(DispatcherObject *self) {
  for (auto &[dict, tag] : *self->versions) {
    uint64_t now = reinterpret_cast<PyDictObject *>(dict)->ma_version_tag;
    if (now == tag) continue;
    for (const Dep &d : *self->deps) {
      if (d.dict != dict) continue;
      PyObject *cur = PyDict_GetItemWithError(dict, d.name);
      if (!cur && PyErr_Occurred()) PyErr_Clear();
      if (cur != d.expected) return false;
    }
    tag = now;
  }
  return true;
}

// Releases the specialisations' code references (a running call holds its own).
void clear_specs(DispatcherObject *self) {
  std::vector<Specialisation> old;
  old.swap(*self->specs);
  for (Specialisation &s : old) Py_XDECREF(s.code);
}

// Drops every specialisation and rejection: the next call compiles against the globals as they are.
void invalidate(DispatcherObject *self) {
  clear_specs(self);
  self->rejected->clear();
  clear_deps(self);
  PyObject *r = PyDict_GetItemString(self->dict, "_report");
  PyObject *empty = PyList_New(0);
  PyObject *pending = PyUnicode_FromString("pending");
  if (r && PyDict_Check(r) && empty && pending) {
    PyDict_SetItemString(r, "signatures", empty);
    PyDict_SetItemString(r, "status", pending);
  }
  Py_XDECREF(empty);
  Py_XDECREF(pending);
  PyErr_Clear();
}

const Specialisation *find_spec(DispatcherObject *self, const int8_t *tags, int ntags) {
  for (const Specialisation &s : *self->specs)
    if (s.ntags == ntags && std::memcmp(s.tags, tags, size_t(ntags)) == 0) return &s;
  return nullptr;
}

bool is_rejected(DispatcherObject *self, const int8_t *tags, int ntags) {
  for (auto &r : *self->rejected)
    if (int(r.size()) == ntags && (ntags == 0 || std::memcmp(r.data(), tags, size_t(ntags)) == 0)) return true;
  return false;
}

PyObject *dispatcher_vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
  auto *self = reinterpret_cast<DispatcherObject *>(callable);
  Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
  // Each Python -> dispatcher -> Python level costs C stack that CPython's limit does not see.
  long long room = stack_room();
  if (room != kUnknownRoom && room < stack_guard()) {
    PyErr_SetString(PyExc_RecursionError, "maximum recursion depth exceeded (the C stack is nearly exhausted)");
    return nullptr;
  }
  // Parameters left out get the function's own default objects, as CPython binds them.
  PyObject *filled[kMaxArgs];
  PyObject *const *full = args;
  if (nargs < self->nparams && self->nparams <= kMaxArgs && !kwnames) {
    PyObject *defaults = PyFunction_GET_DEFAULTS(self->py_func);
    Py_ssize_t ndef = defaults ? PyTuple_GET_SIZE(defaults) : 0;
    if (nargs + ndef >= self->nparams) {
      for (Py_ssize_t i = 0; i < self->nparams; ++i)
        filled[i] = i < nargs ? args[i] : PyTuple_GET_ITEM(defaults, ndef - (self->nparams - i));
      full = filled;
    }
  }
  if (g_disabled) {
    self->disabled_calls++;
    return PyObject_Vectorcall(self->py_func, args, nargsf, kwnames);
  }
  if (self->failed) return call_python(self, args, nargsf, kwnames);  // its fallback says why
  if (kwnames) return run_in_cpython(self, args, nargsf, kwnames, RunReason::Keywords);
  if (self->nparams > kMaxArgs) return run_in_cpython(self, args, nargsf, kwnames, RunReason::TooManyParams);
  if (full == args && nargs != self->nparams) return run_in_cpython(self, args, nargsf, kwnames, RunReason::ArgCount);
  nargs = self->nparams;
  if (!self->versions->empty() && !deps_valid(self)) invalidate(self);
  uint64_t slots[kMaxArgs];
  int8_t tags[kMaxTags];
  int ntags = 0;
  for (Py_ssize_t i = 0; i < nargs; ++i) {
    PyObject *a = full[i];
    PyTypeObject *t = Py_TYPE(a);
    if (t == &PyLong_Type) {
      int overflow = 0;
      long long v = PyLong_AsLongLongAndOverflow(a, &overflow);
      if (overflow) return run_in_cpython(self, args, nargsf, kwnames, RunReason::BigInt, int(i));  // CPython's
      slots[i] = uint64_t(v);
      tags[ntags++] = int8_t(TypeTag::Int);
    } else if (t == &PyFloat_Type) {
      double d = PyFloat_AS_DOUBLE(a);
      std::memcpy(&slots[i], &d, sizeof d);
      tags[ntags++] = int8_t(TypeTag::Float);
    } else if (t == &PyBool_Type) {
      slots[i] = a == Py_True;
      tags[ntags++] = int8_t(TypeTag::Bool);
    } else if (a == Py_None) {
      slots[i] = 0;
      tags[ntags++] = int8_t(TypeTag::None);
    } else {
      // a container or a str: the caller's own object, borrowed for the call
      if (!tag_element(a, tags, ntags, 0)) return run_in_cpython(self, args, nargsf, kwnames, RunReason::ArgType, int(i), t);
      slots[i] = reinterpret_cast<uint64_t>(a);
    }
  }
  const Specialisation *found = find_spec(self, tags, ntags);
  if (!found) {
    if (is_rejected(self, tags, ntags))
      return run_in_cpython(self, args, nargsf, kwnames, RunReason::Rejected, -1, nullptr, 0, tags, ntags);
    PyObject *tag_tuple = PyTuple_New(ntags);
    if (!tag_tuple) return nullptr;
    for (int i = 0; i < ntags; ++i) PyTuple_SET_ITEM(tag_tuple, i, PyLong_FromLong(tags[i]));
    PyObject *r = PyObject_CallFunctionObjArgs(self->on_miss, callable, tag_tuple, nullptr);
    Py_DECREF(tag_tuple);
    if (!r) return nullptr;  // strict mode: CompilationError
    Py_DECREF(r);
    found = find_spec(self, tags, ntags);
    if (!found) {
      if (!is_rejected(self, tags, ntags)) self->rejected->emplace_back(tags, tags + ntags);
      if (self->failed) return call_python(self, args, nargsf, kwnames);  // the whole function fell back
      return run_in_cpython(self, args, nargsf, kwnames, RunReason::Rejected, -1, nullptr, 0, tags, ntags);
    }
  }
  // This call's own copy, and its own reference to the code: the vector may reallocate or be
  // cleared while the native code runs (GIL released, or Python code reached through print).
  const Specialisation s = *found;
  // np.seterr(under='warn') (or raise, call...): compiled code does not test for underflow
  if (s.numpy_scalars && pv_np_reports_underflow()) return run_in_cpython(self, args, nargsf, kwnames, RunReason::Underflow);
  struct CodeRef {
    PyObject *code;
    explicit CodeRef(PyObject *c) : code(c) { Py_INCREF(code); }
    ~CodeRef() { Py_DECREF(code); }
  } hold(s.code);
  PvCtx ctx;
  ctx.status = 0;
  ctx.line = 0;
  ctx.message = nullptr;
  ctx.function = nullptr;
  ctx.depth_limit = native_depth_limit(s.frame_bytes);
  // Too little C stack for even one native frame, where CPython would still run the call (a
  // small thread stack): CPython's frames need less of it.
  if (ctx.depth_limit <= 0 && PyThreadState_Get()->recursion_remaining > 0)
    return run_in_cpython(self, args, nargsf, kwnames, RunReason::Stack);
  ctx.nframes = 0;
  ctx.effects = 0;
  ctx.fe_python = 0;
  ctx.arg_objects = reinterpret_cast<void *const *>(full);
  // Only the main thread is interrupted, as in CPython: signal handlers run there. Code without
  // loops or calls never polls, so it skips the thread lookup.
  bool main_thread = s.long_running && PyThread_get_thread_ident() == g_main_thread;
  ctx.interrupt = main_thread ? &pv_interrupt_flag : &pv_never_interrupted;
  uint64_t raw;
  uint64_t prints_before = s.pure ? 0 : pv_print_count();
  if (main_thread) ensure_sigint_hook_cheaply();
  if (s.release_gil) {
    Py_BEGIN_ALLOW_THREADS
    raw = s.fn(&ctx, slots);
    Py_END_ALLOW_THREADS
  } else {
    raw = s.fn(&ctx, slots);
  }
  // A result only CPython can represent: rerun the call there if nothing observable happened yet.
  bool cpython_could = ctx.status == PV_INT_OVERFLOW || ctx.status == PV_DEOPT || ctx.status == PV_GUARD ||
                       ctx.status == PV_NUMPY_WARNING;
  if (cpython_could && (s.pure || pv_print_count() == prints_before) && !ctx.effects)
    return run_in_cpython(self, args, nargsf, kwnames, RunReason::Rerun, -1, reinterpret_cast<const void *>(intptr_t(ctx.status)),
                          ctx.line, nullptr, 0, ctx.message);
  self->native_calls++;
  if (ctx.status != PV_OK) return raise_native_error(self, ctx);
  return box(s.ret, raw);
}

// ---- type slots and methods ----

PyObject *dispatcher_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
  PyObject *func = nullptr, *on_miss = nullptr;
  static const char *kwlist[] = {"py_func", "on_miss", nullptr};
  if (!PyArg_ParseTupleAndKeywords(args, kwds, "OO", const_cast<char **>(kwlist), &func, &on_miss)) return nullptr;
  if (!PyFunction_Check(func)) {
    PyErr_Format(PyExc_TypeError, "pyvorin.jit expects a Python function, got %.200s", Py_TYPE(func)->tp_name);
    return nullptr;
  }
  auto *self = reinterpret_cast<DispatcherObject *>(type->tp_alloc(type, 0));
  if (!self) return nullptr;
  self->vectorcall = dispatcher_vectorcall;
  Py_INCREF(func);
  self->py_func = func;
  Py_INCREF(on_miss);
  self->on_miss = on_miss;
  self->dict = PyDict_New();
  PyCodeObject *code = reinterpret_cast<PyCodeObject *>(PyFunction_GET_CODE(func));
  self->nparams = code->co_argcount;
  self->filename = code->co_filename;
  Py_INCREF(self->filename);
  self->specs = new std::vector<Specialisation>();
  self->rejected = new std::vector<std::vector<int8_t>>();
  self->deps = new std::vector<Dep>();
  self->versions = new std::vector<std::pair<PyObject *, uint64_t>>();
  self->runs = new std::vector<CpythonRun>();
  return reinterpret_cast<PyObject *>(self);
}

int dispatcher_traverse(PyObject *o, visitproc visit, void *arg) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  Py_VISIT(self->py_func);
  Py_VISIT(self->on_miss);
  Py_VISIT(self->dict);
  if (self->deps)
    for (const Dep &d : *self->deps) {
      Py_VISIT(d.dict);
      Py_VISIT(d.expected);
    }
  return 0;
}

int dispatcher_clear(PyObject *o) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  Py_CLEAR(self->py_func);
  Py_CLEAR(self->on_miss);
  Py_CLEAR(self->dict);
  if (self->deps) clear_deps(self);
  return 0;
}

void dispatcher_dealloc(PyObject *o) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  PyObject_GC_UnTrack(o);
  if (self->weakrefs) PyObject_ClearWeakRefs(o);
  dispatcher_clear(o);
  Py_CLEAR(self->filename);
  clear_specs(self);
  delete self->specs;
  delete self->rejected;
  delete self->deps;
  delete self->versions;
  delete self->runs;
  Py_TYPE(o)->tp_free(o);
}

PyObject *dispatcher_install(PyObject *o, PyObject *args) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  PyObject *code, *tags;
  int ret, release_gil, pure, long_running, numpy_scalars = 0;
  unsigned int frame_bytes = 0;
  if (!PyArg_ParseTuple(args, "O!O!ippp|Ip", &NativeCodeType, &code, &PyTuple_Type, &tags, &ret, &release_gil, &pure,
                        &long_running, &frame_bytes, &numpy_scalars))
    return nullptr;
  Specialisation s;
  s.ntags = int(PyTuple_GET_SIZE(tags));
  if (s.ntags > kMaxTags) {
    PyErr_SetString(PyExc_ValueError, "bad signature for this dispatcher");
    return nullptr;
  }
  for (int i = 0; i < s.ntags; ++i) s.tags[i] = int8_t(PyLong_AsLong(PyTuple_GET_ITEM(tags, i)));
  s.nargs = count_args(s.tags, s.ntags);
  if (s.nargs > kMaxArgs || s.nargs != self->nparams) {
    PyErr_SetString(PyExc_ValueError, "bad signature for this dispatcher");
    return nullptr;
  }
  s.fn = reinterpret_cast<NativeCodeObject *>(code)->fn;
  if (!s.fn) {
    PyErr_SetString(PyExc_ValueError, "this native code has no entry");
    return nullptr;
  }
  if (find_spec(self, s.tags, s.ntags)) Py_RETURN_NONE;  // another thread installed it first
  Py_INCREF(code);
  s.code = code;
  s.ret = int8_t(ret);
  s.release_gil = release_gil;
  s.pure = pure;
  s.long_running = long_running;
  s.numpy_scalars = numpy_scalars;
  s.frame_bytes = frame_bytes;
  self->specs->push_back(s);
  Py_RETURN_NONE;
}

PyObject *dispatcher_reject(PyObject *o, PyObject *tags) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  if (!PyTuple_Check(tags)) return PyErr_Format(PyExc_TypeError, "tags must be a tuple");
  std::vector<int8_t> t;
  for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(tags); ++i) t.push_back(int8_t(PyLong_AsLong(PyTuple_GET_ITEM(tags, i))));
  self->rejected->push_back(t);
  Py_RETURN_NONE;
}

// _add_deps([(globals_dict, name, present, value), ...]): globals the last compile read.
PyObject *dispatcher_add_deps(PyObject *o, PyObject *list) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  if (!PyList_Check(list)) return PyErr_Format(PyExc_TypeError, "deps must be a list");
  for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); ++i) {
    PyObject *dict, *name, *value;
    int present;
    if (!PyArg_ParseTuple(PyList_GET_ITEM(list, i), "O!UpO", &PyDict_Type, &dict, &name, &present, &value)) return nullptr;
    Py_INCREF(dict);
    Py_INCREF(name);
    PyObject *expected = present ? value : nullptr;
    Py_XINCREF(expected);
    self->deps->push_back({dict, name, expected});
    bool known = false;
    for (auto &v : *self->versions) known = known || v.first == dict;
    if (!known) self->versions->push_back({dict, reinterpret_cast<PyDictObject *>(dict)->ma_version_tag});
  }
  Py_RETURN_NONE;
}

// _known(tags): True when these argument types already have a specialisation or a rejection.
PyObject *dispatcher_known(PyObject *o, PyObject *tags) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  if (!PyTuple_Check(tags) || PyTuple_GET_SIZE(tags) > kMaxTags) return PyErr_Format(PyExc_TypeError, "tags must be a short tuple");
  int8_t t[kMaxTags];
  int n = int(PyTuple_GET_SIZE(tags));
  for (int i = 0; i < n; ++i) t[i] = int8_t(PyLong_AsLong(PyTuple_GET_ITEM(tags, i)));
  return PyBool_FromLong(find_spec(self, t, n) || is_rejected(self, t, n));
}

bool has_native(PyObject *o) { return !reinterpret_cast<DispatcherObject *>(o)->specs->empty(); }

// _has_native(): compiled, without compiling what callers noted (the `compiled` getter does).
PyObject *dispatcher_has_native(PyObject *o, PyObject *) { return PyBool_FromLong(has_native(o)); }

PyObject *dispatcher_fail(PyObject *o, PyObject *) {
  reinterpret_cast<DispatcherObject *>(o)->failed = true;
  Py_RETURN_NONE;
}

PyObject *dispatcher_reset_stats(PyObject *o, PyObject *) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  self->native_calls = self->python_calls = self->disabled_calls = 0;
  self->runs->clear();
  Py_RETURN_NONE;
}

// _set_stats((native, python, disabled)): the counters as they were before runs that should not
// count (the magic's timing repetitions).
PyObject *dispatcher_set_stats(PyObject *o, PyObject *counts) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  unsigned long long n, p, d;
  if (!PyArg_ParseTuple(counts, "KKK", &n, &p, &d)) return nullptr;
  self->native_calls = n, self->python_calls = p, self->disabled_calls = d;
  Py_RETURN_NONE;
}

// inspect_* are implemented in Python (pyvorin._inspect) on top of the report.
PyObject *forward_inspect(PyObject *self, const char *what, PyObject *args, PyObject *kwargs) {
  PyObject *mod = PyImport_ImportModule("pyvorin");
  if (!mod) return nullptr;
  PyObject *fn = PyObject_GetAttrString(mod, "_inspect");
  Py_DECREF(mod);
  if (!fn) return nullptr;
  Py_ssize_t n = args ? PyTuple_GET_SIZE(args) : 0;
  PyObject *full = PyTuple_New(n + 2);
  Py_INCREF(self);
  PyTuple_SET_ITEM(full, 0, self);
  PyTuple_SET_ITEM(full, 1, PyUnicode_FromString(what));
  for (Py_ssize_t i = 0; i < n; ++i) {
    Py_INCREF(PyTuple_GET_ITEM(args, i));
    PyTuple_SET_ITEM(full, i + 2, PyTuple_GET_ITEM(args, i));
  }
  PyObject *r = PyObject_Call(fn, full, kwargs);
  Py_DECREF(full);
  Py_DECREF(fn);
  return r;
}
PyObject *inspect_ast(PyObject *s, PyObject *a, PyObject *k) { return forward_inspect(s, "ast", a, k); }
PyObject *inspect_types(PyObject *s, PyObject *a, PyObject *k) { return forward_inspect(s, "types", a, k); }
PyObject *inspect_llvm(PyObject *s, PyObject *a, PyObject *k) { return forward_inspect(s, "llvm", a, k); }
PyObject *inspect_asm(PyObject *s, PyObject *a, PyObject *k) { return forward_inspect(s, "asm", a, k); }
PyObject *inspect_objects(PyObject *s, PyObject *a, PyObject *k) { return forward_inspect(s, "objects", a, k); }
PyObject *inspect_passes(PyObject *s, PyObject *a, PyObject *k) { return forward_inspect(s, "passes", a, k); }
PyObject *inspect_cfg(PyObject *s, PyObject *a, PyObject *k) { return forward_inspect(s, "cfg", a, k); }

PyMethodDef dispatcher_methods[] = {
    {"_install", dispatcher_install, METH_VARARGS, "install a native specialisation (internal)"},
    {"_reject", dispatcher_reject, METH_O, "mark a signature as falling back (internal)"},
    {"_fail", dispatcher_fail, METH_NOARGS, "send every call to CPython (internal)"},
    {"_known", dispatcher_known, METH_O, "whether a signature is installed or rejected (internal)"},
    {"_add_deps", dispatcher_add_deps, METH_O, "record the globals a compile read (internal)"},
    {"reset_stats", dispatcher_reset_stats, METH_NOARGS, "zero the call counters"},
    {"_set_stats", dispatcher_set_stats, METH_O, "set the call counters (internal)"},
    {"_has_native", dispatcher_has_native, METH_NOARGS, "whether a native specialisation exists (internal)"},
    {"inspect_ast", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(inspect_ast)), METH_VARARGS | METH_KEYWORDS,
     "the AST as a tree of text"},
    {"inspect_types", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(inspect_types)), METH_VARARGS | METH_KEYWORDS,
     "the type-inference trace"},
    {"inspect_llvm", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(inspect_llvm)), METH_VARARGS | METH_KEYWORDS,
     "LLVM IR (optimized=True)"},
    {"inspect_asm", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(inspect_asm)), METH_VARARGS | METH_KEYWORDS,
     "assembly (syntax='att' or 'intel')"},
    {"inspect_passes", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(inspect_passes)), METH_VARARGS | METH_KEYWORDS,
     "the optimisation pipeline pass by pass: each pass that changed the IR, with its diff"},
    {"inspect_cfg", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(inspect_cfg)), METH_VARARGS | METH_KEYWORDS,
     "the control-flow graphs before and after optimisation (graphviz SVG)"},
    {"inspect_objects", reinterpret_cast<PyCFunction>(reinterpret_cast<void (*)()>(inspect_objects)),
     METH_VARARGS | METH_KEYWORDS, "each variable's type and representation, and the source marked by C-API calls"},
    {nullptr, nullptr, 0, nullptr}};

PyObject *get_py_func(PyObject *o, void *) {
  PyObject *f = reinterpret_cast<DispatcherObject *>(o)->py_func;
  Py_INCREF(f);
  return f;
}
// pyvorin.<name>(o): the Python layer's part of a getter (a new reference, or null with an error).
PyObject *call_package(const char *name, PyObject *o) {
  PyObject *mod = PyImport_ImportModule("pyvorin");
  if (!mod) return nullptr;
  PyObject *r = PyObject_CallMethod(mod, name, "O", o);
  Py_DECREF(mod);
  return r;
}
// A function compiled into another's unit compiles its signatures on its own when asked about
// them (pyvorin._materialise): a helper called only from compiled code is "compiled" too.
bool materialise(PyObject *o) {
  if (!PyDict_GetItemString(reinterpret_cast<DispatcherObject *>(o)->dict, "_as_callee")) return true;
  PyObject *r = call_package("_materialise", o);
  Py_XDECREF(r);
  return r != nullptr;
}
PyObject *get_compiled(PyObject *o, void *) {
  if (!materialise(o)) return nullptr;
  return PyBool_FromLong(has_native(o));
}
PyObject *get_failed(PyObject *o, void *) { return PyBool_FromLong(reinterpret_cast<DispatcherObject *>(o)->failed); }
PyObject *get_stats(PyObject *o, void *) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  return Py_BuildValue("{s:K,s:K,s:K}", "native_calls", self->native_calls, "python_calls", self->python_calls,
                       "disabled_calls", self->disabled_calls);
}
PyObject *get_cpython_runs(PyObject *o, void *) { return cpython_runs_list(*reinterpret_cast<DispatcherObject *>(o)->runs); }
PyObject *get_signatures(PyObject *o, void *) {
  if (!materialise(o)) return nullptr;
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  PyObject *list = PyList_New(0);
  for (const Specialisation &s : *self->specs) {
    std::vector<TypeTag> flat;
    for (int i = 0; i < s.ntags; ++i) flat.push_back(TypeTag(s.tags[i]));
    std::vector<std::string> names = describe_tags(flat);
    PyObject *t = PyTuple_New(Py_ssize_t(names.size()));
    for (size_t i = 0; i < names.size(); ++i) PyTuple_SET_ITEM(t, Py_ssize_t(i), PyUnicode_FromString(names[i].c_str()));
    PyList_Append(list, t);
    Py_DECREF(t);
  }
  return list;
}
PyObject *dict_item(PyObject *o, const char *key) {
  PyObject *v = PyDict_GetItemString(reinterpret_cast<DispatcherObject *>(o)->dict, key);
  if (!v) v = Py_None;
  Py_INCREF(v);
  return v;
}
PyObject *get_fallback(PyObject *o, void *) { return dict_item(o, "_fallback"); }
PyObject *get_fallback_reason(PyObject *o, void *) {
  PyObject *f = PyDict_GetItemString(reinterpret_cast<DispatcherObject *>(o)->dict, "_fallback");
  if (!f || f == Py_None) Py_RETURN_NONE;
  PyObject *text = PyDict_GetItemString(f, "text");
  if (!text) Py_RETURN_NONE;
  Py_INCREF(text);
  return text;
}
// The report is completed (assembly, line map) by pyvorin._report on first read.
PyObject *get_report(PyObject *o, void *) { return call_package("_report", o); }

PyGetSetDef dispatcher_getset[] = {
    {"py_func", get_py_func, nullptr, "the original Python function", nullptr},
    {"compiled", get_compiled, nullptr, "True once a native specialisation exists", nullptr},
    {"failed", get_failed, nullptr, "True when every call runs in CPython", nullptr},
    {"stats", get_stats, nullptr, "{'native_calls': n, 'python_calls': n, 'disabled_calls': n}", nullptr},
    {"cpython_runs", get_cpython_runs, nullptr, "why calls ran in CPython: [{'reason': text, 'calls': n}]", nullptr},
    {"signatures", get_signatures, nullptr, "argument types of each native specialisation", nullptr},
    {"fallback", get_fallback, nullptr, "None, or the fallback record", nullptr},
    {"fallback_reason", get_fallback_reason, nullptr, "None, or the fallback text", nullptr},
    {"report", get_report, nullptr, "this function's compile report", nullptr},
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, nullptr, nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr}};

PyObject *dispatcher_repr(PyObject *o) {
  auto *self = reinterpret_cast<DispatcherObject *>(o);
  PyObject *name = PyObject_GetAttrString(self->py_func, "__qualname__");
  PyObject *r = PyUnicode_FromFormat("<pyvorin.Dispatcher %S (%zd native signature%s)>", name ? name : Py_None,
                                     Py_ssize_t(self->specs->size()), self->specs->size() == 1 ? "" : "s");
  Py_XDECREF(name);
  return r;
}

PyObject *dispatcher_get(PyObject *self, PyObject *obj, PyObject *) {
  if (!obj || obj == Py_None) {
    Py_INCREF(self);
    return self;
  }
  return PyMethod_New(self, obj);
}

PyTypeObject DispatcherType = {PyVarObject_HEAD_INIT(nullptr, 0)};

}  // namespace


void set_disabled(bool disabled) { g_disabled = disabled; }
long long stack_room_bytes() { return stack_room(); }
bool on_main_thread() { return PyThread_get_thread_ident() == g_main_thread; }
bool is_disabled() { return g_disabled; }

PyObject *make_native_code(NativeEntryFn fn, std::shared_ptr<void> owner) {
  auto *self = PyObject_New(NativeCodeObject, &NativeCodeType);
  if (!self) return nullptr;
  self->fn = fn;
  self->owner = new std::shared_ptr<void>(std::move(owner));
  return reinterpret_cast<PyObject *>(self);
}

int add_dispatcher_type(PyObject *module) {
  NativeCodeType.tp_name = "pyvorin._NativeCode";
  NativeCodeType.tp_basicsize = sizeof(NativeCodeObject);
  NativeCodeType.tp_flags = Py_TPFLAGS_DEFAULT;
  NativeCodeType.tp_doc = "The machine code of one compiled specialisation (freed with its last reference).";
  NativeCodeType.tp_dealloc = native_code_dealloc;
  if (PyType_Ready(&NativeCodeType) < 0) return -1;
  DispatcherType.tp_name = "pyvorin.Dispatcher";
  DispatcherType.tp_basicsize = sizeof(DispatcherObject);
  DispatcherType.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL;
  DispatcherType.tp_doc = "A jitted function: calls native code for the argument types it was compiled for.";
  DispatcherType.tp_new = dispatcher_new;
  DispatcherType.tp_dealloc = dispatcher_dealloc;
  DispatcherType.tp_traverse = dispatcher_traverse;
  DispatcherType.tp_clear = dispatcher_clear;
  DispatcherType.tp_call = PyVectorcall_Call;
  DispatcherType.tp_vectorcall_offset = offsetof(DispatcherObject, vectorcall);
  DispatcherType.tp_dictoffset = offsetof(DispatcherObject, dict);
  DispatcherType.tp_weaklistoffset = offsetof(DispatcherObject, weakrefs);
  DispatcherType.tp_methods = dispatcher_methods;
  DispatcherType.tp_getset = dispatcher_getset;
  DispatcherType.tp_repr = dispatcher_repr;
  DispatcherType.tp_descr_get = dispatcher_get;
  if (PyType_Ready(&DispatcherType) < 0) return -1;
  // CPython runs signal handlers in its main thread: remember which one it is.
  g_main_thread = PyThread_get_thread_ident();
  if (PyObject *threading = PyImport_ImportModule("threading")) {
    PyObject *main = PyObject_CallMethod(threading, "main_thread", nullptr);
    PyObject *ident = main ? PyObject_GetAttrString(main, "ident") : nullptr;
    if (ident && PyLong_Check(ident)) g_main_thread = PyLong_AsUnsignedLong(ident);
    Py_XDECREF(ident);
    Py_XDECREF(main);
    Py_DECREF(threading);
  }
  PyErr_Clear();
  pv_set_signal_hook(run_signal_handlers);
  Py_INCREF(&DispatcherType);
  if (PyModule_AddObject(module, "Dispatcher", reinterpret_cast<PyObject *>(&DispatcherType)) < 0) return -1;
  return 0;
}

}  // namespace pyvorin::python
