// The list family: list[T] is a CPython list (PyListObject) in native code. Its methods (this
// table), subscripts and iteration (lower_obj.cpp: inline reads of ob_item/ob_size).
#include "objects.h"

namespace pyvorin {
namespace {

using namespace rules;

Ty grow_elem(Ty self, const std::vector<Ty> &a) {  // append(x), remove/insert's x
  Ty e = join(self.elem(), a.back());
  return e == Ty::Top ? self : Ty::list(e);
}
Ty grow_extend(Ty self, const std::vector<Ty> &a) {
  Kind k = a[0].kind();
  if (k != Kind::List && k != Kind::Set && k != Kind::Range && k != Kind::Dict) return self;
  Ty v = k == Kind::Range ? Ty::Int : a[0].elem();
  Ty e = join(self.elem(), v);
  return e == Ty::Top ? self : Ty::list(e);
}
Ty check_elem(Ty self, const std::vector<Ty> &a, std::string &why) {  // append/insert: the element must fit
  if (!fits(self.elem(), a.back()) && join(self.elem(), a.back()) == Ty::Top) {
    why = "a " + ty_name(a.back()) + " stored into a " + ty_name(self);
    return Ty::Top;
  }
  return Ty::None;
}
Ty insert(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (!is_integral(a[0])) {
    why = "list.insert() index of type " + ty_name(a[0]);
    return Ty::Top;
  }
  return check_elem(self, a, why);
}
Ty extend(Ty self, const std::vector<Ty> &a, std::string &why) {
  Kind k = a[0].kind();
  if (k != Kind::List && !is_tuple(a[0]) && k != Kind::Set && k != Kind::Range && k != Kind::Dict && k != Kind::Iter) {
    why = "list.extend() of a " + ty_name(a[0]);
    return Ty::Top;
  }
  if (k == Kind::Tuple) {
    for (Ty t : a[0].args())
      if (!fits(self.elem(), t) && join(self.elem(), t) == Ty::Top) {
        why = "a tuple of mixed types extends a " + ty_name(self);
        return Ty::Top;
      }
  }
  return Ty::None;
}
Ty pop(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (!a.empty() && !is_integral(a[0])) {
    why = "list.pop() index of type " + ty_name(a[0]);
    return Ty::Top;
  }
  return self.elem();
}
Ty sort(Ty self, const std::vector<Ty> &, std::string &) { return Ty::None; }

const MethodRule kList[] = {
    {Kind::List, "append", 1, 1, check_elem, grow_elem, true, "PyList_Append", ""},
    {Kind::List, "extend", 1, 1, extend, grow_extend, true, nullptr, ""},
    {Kind::List, "insert", 2, 2, insert, grow_elem, true, nullptr, ""},
    {Kind::List, "pop", 0, 1, pop, same, true, nullptr, ""},
    {Kind::List, "remove", 1, 1, none, same, true, nullptr, ""},
    {Kind::List, "index", 1, 3, integer, same, false, nullptr, ""},
    {Kind::List, "count", 1, 1, integer, same, false, nullptr, ""},
    {Kind::List, "sort", 0, 0, sort, same, true, nullptr, "key,reverse"},
    {Kind::List, "reverse", 0, 0, none, same, true, nullptr, ""},
    {Kind::List, "copy", 0, 0, self_type, same, false, nullptr, ""},
    {Kind::List, "clear", 0, 0, none, same, true, nullptr, ""},
};

}  // namespace

const MethodRule *list_methods(size_t *count) {
  *count = sizeof kList / sizeof kList[0];
  return kList;
}

}  // namespace pyvorin
