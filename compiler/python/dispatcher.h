// The Dispatcher: the callable that replaces a jitted function. A CPython type with vectorcall so
// that a call costs about as much as a Python function call: check the argument types, unbox,
// run native code (without the GIL when it runs long and touches no Python object), box.
#pragma once

#include <Python.h>

#include <memory>

#include "pyvorin/compiler.h"

namespace pyvorin::python {

// Adds the Dispatcher type and the module-level switches to `module`. Returns -1 with a Python
// error set on failure.
int add_dispatcher_type(PyObject *module);

// A pyvorin._NativeCode object: what a dispatcher installs. It keeps `owner` (the JIT object
// behind `fn`) alive for as long as it, or a call running it, exists.
PyObject *make_native_code(NativeEntryFn fn, std::shared_ptr<void> owner);

// The pyvorin.disabled() switch: every dispatcher calls CPython while it is set.
void set_disabled(bool disabled);
bool is_disabled();

// Bytes of C stack left on this thread (very large when its bounds are unknown).
long long stack_room_bytes();

// The type tags (pyvorin::TypeTag, flattened) compiled code would see for `obj` as an argument,
// or false when its type is not compiled.
bool type_tags_of(PyObject *obj, std::vector<int> &out);

// True on the thread where CPython runs signal handlers.
bool on_main_thread();

}  // namespace pyvorin::python
