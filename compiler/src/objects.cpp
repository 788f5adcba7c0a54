// The object families' registry (objects.h).
#include "objects.h"

#include <cstring>

namespace pyvorin {

const MethodRule *find_method(Kind family, const std::string &name) {
  using Table = const MethodRule *(*)(size_t *);
  static const std::pair<Kind, Table> families[] = {
      {Kind::List, list_methods}, {Kind::Dict, dict_methods}, {Kind::Set, set_methods}, {Kind::Tuple, tuple_methods}, {Kind::TupleN, tuple_methods},
      {Kind::Str, str_methods}, {Kind::Bytes, bytes_methods}, {Kind::ByteArray, bytearray_methods}, {Kind::File, file_methods}};
  for (auto &[kind, table] : families) {
    if (kind != family) continue;
    size_t n = 0;
    const MethodRule *rows = table(&n);
    for (size_t i = 0; i < n; ++i)
      if (name == rows[i].name) return &rows[i];
  }
  return nullptr;
}

}  // namespace pyvorin
