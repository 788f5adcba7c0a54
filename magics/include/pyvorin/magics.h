// %%pyvorin magic support: option parsing and report rendering, bound into the _pyvorin module.
#pragma once
#include <pybind11/pybind11.h>

namespace pyvorin::magics {
// Adds the magics' functions to the _pyvorin extension module (called from its PYBIND11_MODULE).
void bind(pybind11::module_ &m);
}  // namespace pyvorin::magics
