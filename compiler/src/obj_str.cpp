// The str family: str is a CPython str (PEP 393: latin-1, UCS-2 or UCS-4 storage) in native code.
// Its methods (this table) run CPython's own implementation on the object, so values, exceptions
// and messages are CPython's, for any text. Operators (+, *, %, comparisons, `in`), subscripts,
// iteration and conversions are in lower_obj.cpp and lower_strings.cpp.
#include "objects.h"

namespace pyvorin {
namespace {

using namespace rules;

bool optional_int(Ty t) { return is_integral(t) || t == Ty::None; }
bool optional_str(Ty t) { return t == Ty::Str || t == Ty::None; }

// The name CPython gives a type in "must be str, not int".
std::string py_name(Ty t) {
  switch (t.kind()) {
    case Kind::List: return "list";
    case Kind::Tuple: case Kind::TupleN: return "tuple";
    case Kind::Dict: return "dict";
    case Kind::Set: return "set";
    case Kind::None: return "NoneType";
    default: return ty_name(t);
  }
}

// Positional argument i must satisfy ok; `what` names what CPython would ask for.
bool need(const std::vector<Ty> &a, size_t i, bool (*ok)(Ty), const char *what, std::string &why) {
  if (i >= a.size() || ok(a[i])) return true;
  why = std::string("argument ") + std::to_string(i + 1) + " must be " + what + ", not " + py_name(a[i]);
  return false;
}
bool is_str(Ty t) { return t == Ty::Str; }

// find, rfind, index, rindex, count: (sub[, start[, end]])
Ty search(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_str, "str", why) || !need(a, 1, optional_int, "an int or None", why) ||
      !need(a, 2, optional_int, "an int or None", why))
    return Ty::Top;
  return Ty::Int;
}
// startswith, endswith: (prefix or a tuple of prefixes[, start[, end]])
bool str_or_strs(Ty t) {
  if (t == Ty::Str) return true;
  if (t.kind() == Kind::TupleN) return t.elem() == Ty::Str || t.elem() == Ty::Bottom;
  if (t.kind() != Kind::Tuple) return false;
  for (Ty x : t.args())
    if (x != Ty::Str) return false;
  return true;
}
Ty affix(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, str_or_strs, "str or a tuple of str", why) || !need(a, 1, optional_int, "an int or None", why) ||
      !need(a, 2, optional_int, "an int or None", why))
    return Ty::Top;
  return Ty::Bool;
}
Ty split(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, optional_str, "str or None", why) || !need(a, 1, is_integral, "an int", why)) return Ty::Top;
  return Ty::list(Ty::Str);
}
Ty splitlines(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_integral, "a bool", why)) return Ty::Top;
  return Ty::list(Ty::Str);
}
// join(iterable of str)
Ty join(Ty, const std::vector<Ty> &a, std::string &why) {
  Ty t = a[0];
  Ty e = Ty::Top;
  switch (t.kind()) {
    case Kind::Str: e = Ty::Str; break;
    case Kind::List: case Kind::Set: case Kind::TupleN: case Kind::Iter: e = t.elem(); break;
    case Kind::Dict: e = t.args()[0]; break;
    case Kind::Tuple: e = tuple_items_join(t); break;
    default: break;
  }
  if (e != Ty::Str && e != Ty::Bottom) {
    why = "str.join() of a " + ty_name(t) + " (it joins strings only)";
    return Ty::Top;
  }
  return Ty::Str;
}
Ty strip(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, optional_str, "str or None", why)) return Ty::Top;
  return Ty::Str;
}
Ty replace(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_str, "str", why) || !need(a, 1, is_str, "str", why) || !need(a, 2, is_integral, "an int", why))
    return Ty::Top;
  return Ty::Str;
}
Ty text(Ty, const std::vector<Ty> &, std::string &) { return Ty::Str; }
Ty width(Ty, const std::vector<Ty> &a, std::string &why) {  // zfill(w), center/ljust/rjust(w[, fill])
  if (!need(a, 0, is_integral, "an int", why) || !need(a, 1, is_str, "str", why)) return Ty::Top;
  return Ty::Str;
}
Ty tabs(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_integral, "an int", why)) return Ty::Top;
  return Ty::Str;
}
Ty one_str(Ty, const std::vector<Ty> &a, std::string &why) {  // removeprefix/removesuffix
  if (!need(a, 0, is_str, "str", why)) return Ty::Top;
  return Ty::Str;
}
Ty partition(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_str, "str", why)) return Ty::Top;
  return Ty::tuple({Ty::Str, Ty::Str, Ty::Str});
}
Ty encode(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_str, "str", why) || !need(a, 1, is_str, "str", why)) return Ty::Top;
  return Ty::Bytes;
}
// str.format(*args): any values; their __format__ is CPython's
Ty format(Ty, const std::vector<Ty> &a, std::string &why) {
  for (Ty t : a)
    if (t.kind() == Kind::Iter) {
      why = "str.format() of an iterator";
      return Ty::Top;
    }
  return Ty::Str;
}

const MethodRule kStr[] = {
    {Kind::Str, "find", 1, 3, search, same, false, nullptr, ""},
    {Kind::Str, "rfind", 1, 3, search, same, false, nullptr, ""},
    {Kind::Str, "index", 1, 3, search, same, false, nullptr, ""},
    {Kind::Str, "rindex", 1, 3, search, same, false, nullptr, ""},
    {Kind::Str, "count", 1, 3, search, same, false, nullptr, ""},
    {Kind::Str, "startswith", 1, 3, affix, same, false, nullptr, ""},
    {Kind::Str, "endswith", 1, 3, affix, same, false, nullptr, ""},
    {Kind::Str, "split", 0, 2, split, same, false, nullptr, "sep,maxsplit"},
    {Kind::Str, "rsplit", 0, 2, split, same, false, nullptr, "sep,maxsplit"},
    {Kind::Str, "splitlines", 0, 1, splitlines, same, false, nullptr, "keepends"},
    {Kind::Str, "join", 1, 1, join, same, false, nullptr, ""},
    {Kind::Str, "strip", 0, 1, strip, same, false, nullptr, ""},
    {Kind::Str, "lstrip", 0, 1, strip, same, false, nullptr, ""},
    {Kind::Str, "rstrip", 0, 1, strip, same, false, nullptr, ""},
    {Kind::Str, "replace", 2, 3, replace, same, false, nullptr, ""},
    {Kind::Str, "upper", 0, 0, text, same, false, nullptr, ""},
    {Kind::Str, "lower", 0, 0, text, same, false, nullptr, ""},
    {Kind::Str, "title", 0, 0, text, same, false, nullptr, ""},
    {Kind::Str, "capitalize", 0, 0, text, same, false, nullptr, ""},
    {Kind::Str, "swapcase", 0, 0, text, same, false, nullptr, ""},
    {Kind::Str, "casefold", 0, 0, text, same, false, nullptr, ""},
    {Kind::Str, "isdigit", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isalpha", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isalnum", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isspace", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isupper", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "islower", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "istitle", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isdecimal", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isnumeric", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isidentifier", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isprintable", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "isascii", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Str, "zfill", 1, 1, width, same, false, nullptr, ""},
    {Kind::Str, "center", 1, 2, width, same, false, nullptr, ""},
    {Kind::Str, "ljust", 1, 2, width, same, false, nullptr, ""},
    {Kind::Str, "rjust", 1, 2, width, same, false, nullptr, ""},
    {Kind::Str, "expandtabs", 0, 1, tabs, same, false, nullptr, "tabsize"},
    {Kind::Str, "removeprefix", 1, 1, one_str, same, false, nullptr, ""},
    {Kind::Str, "removesuffix", 1, 1, one_str, same, false, nullptr, ""},
    {Kind::Str, "partition", 1, 1, partition, same, false, nullptr, ""},
    {Kind::Str, "rpartition", 1, 1, partition, same, false, nullptr, ""},
    {Kind::Str, "encode", 0, 2, encode, same, false, nullptr, "encoding,errors"},
    {Kind::Str, "format", 0, 16, format, same, false, nullptr, "*"},
};

}  // namespace

const MethodRule *str_methods(size_t *count) {
  *count = sizeof kStr / sizeof kStr[0];
  return kStr;
}

}  // namespace pyvorin
