// The dispatcher's argument types: a call's arguments as flattened pyvorin::TypeTag codes (a
// container's tag followed by its element types', probed over a prefix of its items; guards in
// native code check the rest). Used by the Dispatcher's vectorcall and by pyvorin.type_tags.
#pragma once

#include <Python.h>

#include <cstdint>
#include <vector>

#include "pyvorin/compiler.h"

namespace pyvorin::python {

constexpr int kMaxTags = 48;  // a signature's flattened type tags (containers add their element types)

// Appends the tags of `a` (a container, str, range, or a scalar inside one) to out[n...]. False
// when its type is not compiled (the call then runs in CPython).
bool tag_element(PyObject *a, int8_t *out, int &n, int depth);

// The number of arguments a flattened tag sequence describes (-1 when it is malformed).
int count_args(const int8_t *tags, int ntags);

}  // namespace pyvorin::python
