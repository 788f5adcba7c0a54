// The tuple family: tuple[T1, ..., Tn] is a CPython tuple of a known length; its items have
// their own types. Methods here; indexing, unpacking and hashing in lower_obj.cpp.
#include "objects.h"

namespace pyvorin {
namespace {

using namespace rules;

const MethodRule kTuple[] = {
    {Kind::Tuple, "count", 1, 1, integer, same, false, nullptr, ""},
    {Kind::Tuple, "index", 1, 3, integer, same, false, nullptr, ""},
    {Kind::TupleN, "count", 1, 1, integer, same, false, nullptr, ""},
    {Kind::TupleN, "index", 1, 3, integer, same, false, nullptr, ""},
};

}  // namespace

const MethodRule *tuple_methods(size_t *count) {
  *count = sizeof kTuple / sizeof kTuple[0];
  return kTuple;
}

}  // namespace pyvorin
