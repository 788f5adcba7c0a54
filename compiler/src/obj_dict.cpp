// The dict family: dict[K, V] is a CPython dict. Keys hash as in CPython (1, 1.0 and True are
// one key), iteration keeps insertion order, and a dict that changes size while a loop runs over
// it raises CPython's RuntimeError (the loop uses CPython's own iterator).
#include "objects.h"

namespace pyvorin {
namespace {

using namespace rules;

Ty key(Ty self) { return self.args()[0]; }
Ty value(Ty self) { return self.args()[1]; }

Ty get(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (a.size() == 1) return Ty::optional(value(self));
  Ty t = join(value(self), a[1]);
  if (t == Ty::Top) why = "dict.get()'s default is a " + ty_name(a[1]) + ", the values are " + ty_name(value(self));
  return t;
}
Ty grow_value(Ty self, const std::vector<Ty> &a) {  // setdefault(k, v)
  Ty k = join(key(self), a[0]);
  Ty v = a.size() > 1 ? join(value(self), a[1]) : value(self);
  if (k == Ty::Top || v == Ty::Top) return self;
  return Ty::dict(k, v);
}
Ty setdefault(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (a.size() < 2) {
    why = "dict.setdefault() without a default";
    return Ty::Top;
  }
  Ty v = join(value(self), a[1]);
  if (v == Ty::Top) why = "dict.setdefault()'s default is a " + ty_name(a[1]) + ", the values are " + ty_name(value(self));
  return v;
}
Ty pop(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (a.size() == 1) return value(self);
  Ty t = join(value(self), a[1]);
  if (t == Ty::Top) why = "dict.pop()'s default is a " + ty_name(a[1]) + ", the values are " + ty_name(value(self));
  return t;
}
// update(d) or update(pairs): the dict the argument would give
Ty as_dict(Ty t) {
  if (t.kind() == Kind::Dict) return t;
  Kind k = t.kind();
  if (k != Kind::List && k != Kind::Set && k != Kind::Iter && k != Kind::TupleN) return Ty::Top;
  Ty e = t.elem();
  if (e == Ty::Bottom) return Ty::dict(Ty::Bottom, Ty::Bottom);
  if (e.kind() == Kind::Tuple && e.args().size() == 2) return Ty::dict(e.args()[0], e.args()[1]);
  return Ty::Top;
}
Ty grow_update(Ty self, const std::vector<Ty> &a) {
  Ty d = as_dict(a[0]);
  if (d == Ty::Top) return self;
  Ty j = join(self, d);
  return j == Ty::Top ? self : j;
}
Ty update(Ty self, const std::vector<Ty> &a, std::string &why) {
  Ty d = as_dict(a[0]);
  if (d == Ty::Top || join(self, d) == Ty::Top) {
    why = "dict.update() with a " + ty_name(a[0]);
    return Ty::Top;
  }
  return Ty::None;
}
Ty keys(Ty self, const std::vector<Ty> &, std::string &) { return Ty::make(Kind::Iter, {key(self)}); }
Ty values(Ty self, const std::vector<Ty> &, std::string &) { return Ty::make(Kind::Iter, {value(self)}); }
Ty items(Ty self, const std::vector<Ty> &, std::string &) {
  return Ty::make(Kind::Iter, {Ty::tuple({key(self), value(self)})});
}
Ty popitem(Ty self, const std::vector<Ty> &, std::string &) { return Ty::tuple({key(self), value(self)}); }

const MethodRule kDict[] = {
    {Kind::Dict, "get", 1, 2, get, same, false, nullptr, ""},
    {Kind::Dict, "setdefault", 1, 2, setdefault, grow_value, true, nullptr, ""},
    {Kind::Dict, "pop", 1, 2, pop, same, true, nullptr, ""},
    {Kind::Dict, "popitem", 0, 0, popitem, same, true, nullptr, ""},
    {Kind::Dict, "update", 1, 1, update, grow_update, true, nullptr, ""},
    {Kind::Dict, "keys", 0, 0, keys, same, false, nullptr, ""},
    {Kind::Dict, "values", 0, 0, values, same, false, nullptr, ""},
    {Kind::Dict, "items", 0, 0, items, same, false, nullptr, ""},
    {Kind::Dict, "copy", 0, 0, self_type, same, false, nullptr, ""},
    {Kind::Dict, "clear", 0, 0, none, same, true, nullptr, ""},
};

}  // namespace

const MethodRule *dict_methods(size_t *count) {
  *count = sizeof kDict / sizeof kDict[0];
  return kDict;
}

}  // namespace pyvorin
