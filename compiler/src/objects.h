// The object families' registry: one table per family (obj_list.cpp, obj_dict.cpp, obj_set.cpp,
// obj_tuple.cpp, obj_str.cpp, obj_bytes.cpp, obj_file.cpp), each row one method with its arity, its typing rule, how it changes the
// receiver's type, and how it lowers. infer and lower look methods up here; adding a method
// touches its family's file only.
#pragma once

#include <string>
#include <vector>

#include "types.h"

namespace pyvorin {

struct MethodRule {
  Kind family;
  const char *name;
  int min_args, max_args;
  // The result type for a receiver and the (positional) argument types; Top when these argument
  // types are not compiled (`why` says what is wrong).
  Ty (*result)(Ty self, const std::vector<Ty> &args, std::string &why);
  // The receiver's type after the call (`xs.append(1)` makes an empty list a list[int]), or the
  // receiver's type unchanged.
  Ty (*grows)(Ty self, const std::vector<Ty> &args);
  bool mutates;           // an observable effect on the receiver
  // A C-API function `int f(self, arg)` (0, or -1 with an exception) that does the method on an
  // exact receiver of the family (list.append is PyList_Append), or null: the method by name.
  const char *capi;
  const char *keywords;   // accepted keyword arguments, comma-separated ("key,reverse"), or ""
};

const MethodRule *find_method(Kind family, const std::string &name);

// The families' tables (registered in objects.cpp).
const MethodRule *list_methods(size_t *count);
const MethodRule *dict_methods(size_t *count);
const MethodRule *set_methods(size_t *count);
const MethodRule *tuple_methods(size_t *count);
const MethodRule *str_methods(size_t *count);
const MethodRule *bytes_methods(size_t *count);
const MethodRule *bytearray_methods(size_t *count);
const MethodRule *file_methods(size_t *count);

// Rules shared by the tables.
namespace rules {
inline Ty same(Ty self, const std::vector<Ty> &) { return self; }
inline Ty none(Ty, const std::vector<Ty> &, std::string &) { return Ty::None; }
inline Ty integer(Ty, const std::vector<Ty> &, std::string &) { return Ty::Int; }
inline Ty boolean(Ty, const std::vector<Ty> &, std::string &) { return Ty::Bool; }
inline Ty self_type(Ty self, const std::vector<Ty> &, std::string &) { return self; }
inline Ty elem(Ty self, const std::vector<Ty> &, std::string &) { return self.elem(); }
// Can a value of type v be stored as an element of type e without changing e?
inline bool fits(Ty e, Ty v) { return e == Ty::Bottom || join(e, v) == e; }
}  // namespace rules

}  // namespace pyvorin
