// The set family: set[T] is a CPython set; members hash as in CPython.
#include "objects.h"

namespace pyvorin {
namespace {

using namespace rules;

Ty grow_elem(Ty self, const std::vector<Ty> &a) {
  Ty e = join(self.elem(), a[0]);
  return e == Ty::Top ? self : Ty::set(e);
}
Ty add(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (join(self.elem(), a[0]) == Ty::Top) {
    why = "a " + ty_name(a[0]) + " added to a " + ty_name(self);
    return Ty::Top;
  }
  return Ty::None;
}
Ty other_elem(Ty t) { return t.kind() == Kind::Range ? Ty::Int : t.args().empty() ? Ty::Top : t.elem(); }
Ty combine(Ty self, const std::vector<Ty> &a, std::string &why) {  // union, intersection, ...
  Ty e = self.elem();
  for (Ty o : a) {
    Kind k = o.kind();
    if (k != Kind::Set && k != Kind::List && k != Kind::Range && k != Kind::Dict) {
      why = "a set combined with a " + ty_name(o);
      return Ty::Top;
    }
    e = join(e, other_elem(o));
  }
  if (e == Ty::Top) {
    why = "sets of different element types";
    return Ty::Top;
  }
  return Ty::set(e);
}
Ty grow_update(Ty self, const std::vector<Ty> &a) {
  std::string why;
  Ty t = combine(self, a, why);
  return t == Ty::Top ? self : t;
}
Ty update(Ty self, const std::vector<Ty> &a, std::string &why) {
  return combine(self, a, why) == Ty::Top ? Ty::Top : Ty::None;
}
Ty predicate(Ty self, const std::vector<Ty> &a, std::string &why) {
  return combine(self, a, why) == Ty::Top ? Ty::Top : Ty::Bool;
}

const MethodRule kSet[] = {
    {Kind::Set, "add", 1, 1, add, grow_elem, true, "PySet_Add", ""},
    {Kind::Set, "discard", 1, 1, none, same, true, nullptr, ""},
    {Kind::Set, "remove", 1, 1, none, same, true, nullptr, ""},
    {Kind::Set, "pop", 0, 0, elem, same, true, nullptr, ""},
    {Kind::Set, "clear", 0, 0, none, same, true, nullptr, ""},
    {Kind::Set, "copy", 0, 0, self_type, same, false, nullptr, ""},
    {Kind::Set, "union", 0, 8, combine, same, false, nullptr, ""},
    {Kind::Set, "intersection", 0, 8, combine, same, false, nullptr, ""},
    {Kind::Set, "difference", 0, 8, combine, same, false, nullptr, ""},
    {Kind::Set, "symmetric_difference", 1, 1, combine, same, false, nullptr, ""},
    {Kind::Set, "update", 0, 8, update, grow_update, true, nullptr, ""},
    {Kind::Set, "intersection_update", 0, 8, update, same, true, nullptr, ""},
    {Kind::Set, "difference_update", 0, 8, update, same, true, nullptr, ""},
    {Kind::Set, "symmetric_difference_update", 1, 1, update, same, true, nullptr, ""},
    {Kind::Set, "issubset", 1, 1, predicate, same, false, nullptr, ""},
    {Kind::Set, "issuperset", 1, 1, predicate, same, false, nullptr, ""},
    {Kind::Set, "isdisjoint", 1, 1, predicate, same, false, nullptr, ""},
};

}  // namespace

const MethodRule *set_methods(size_t *count) {
  *count = sizeof kSet / sizeof kSet[0];
  return kSet;
}

}  // namespace pyvorin
