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
bool is_str(Ty t) { return t == Ty::Str; }

// CPython's TypeError messages for the argument types the compiler sees (the call then runs in
// CPython, which raises exactly these).
bool index_like(const std::vector<Ty> &a, size_t i, std::string &why) {
  if (i >= a.size() || is_integral(a[i])) return true;
  why = "'" + py_type_name(a[i]) + "' object cannot be interpreted as an integer";
  return false;
}
bool slice_bounds(const std::vector<Ty> &a, size_t from, std::string &why) {
  for (size_t i = from; i < a.size(); ++i)
    if (!optional_int(a[i])) {
      why = "slice indices must be integers or None or have an __index__ method";
      return false;
    }
  return true;
}

// find, rfind, index, rindex, count: (sub[, start[, end]])
Ty search(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!is_str(a[0])) {
    why = "must be str, not " + py_type_name(a[0]);
    return Ty::Top;
  }
  return slice_bounds(a, 1, why) ? Ty::Int : Ty::Top;
}
// startswith, endswith: (prefix or a tuple of prefixes[, start[, end]])
template <const char *Name>
Ty affix(Ty, const std::vector<Ty> &a, std::string &why) {
  Ty t = a[0];
  // a tuple of prefixes: CPython tries them in order and raises at the first that is not a str,
  // if it gets that far, so any tuple is compiled (the method itself runs on it)
  if (t.kind() != Kind::Tuple && t.kind() != Kind::TupleN && !is_str(t)) {
    why = std::string(Name) + " first arg must be str or a tuple of str, not " + py_type_name(t);
    return Ty::Top;
  }
  return slice_bounds(a, 1, why) ? Ty::Bool : Ty::Top;
}
const char kStartswith[] = "startswith", kEndswith[] = "endswith";
Ty split(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!a.empty() && !optional_str(a[0])) {
    why = "must be str or None, not " + py_type_name(a[0]);
    return Ty::Top;
  }
  return index_like(a, 1, why) ? Ty::list(Ty::Str) : Ty::Top;
}
Ty splitlines(Ty, const std::vector<Ty> &a, std::string &why) {
  return index_like(a, 0, why) ? Ty::list(Ty::Str) : Ty::Top;
}
// join(iterable of str)
Ty join(Ty, const std::vector<Ty> &a, std::string &why) {
  Ty t = a[0];
  Ty e = Ty::Top;
  switch (t.kind()) {
    case Kind::Str: e = Ty::Str; break;
    case Kind::List: case Kind::Set: case Kind::TupleN: case Kind::Iter: e = t.elem(); break;
    case Kind::Dict: e = t.args()[0]; break;
    case Kind::Tuple: {
      e = Ty::Bottom;
      for (size_t i = 0; i < t.args().size(); ++i)
        if (t.args()[i] != Ty::Str) {
          why = "sequence item " + std::to_string(i) + ": expected str instance, " + py_type_name(t.args()[i]) + " found";
          return Ty::Top;
        }
      e = Ty::Str;
      break;
    }
    default:
      why = "can only join an iterable";
      return Ty::Top;
  }
  if (e != Ty::Str && e != Ty::Bottom) {
    why = "sequence item 0: expected str instance, " + py_type_name(e) + " found";
    return Ty::Top;
  }
  return Ty::Str;
}
template <const char *Name>
Ty strip(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!a.empty() && !optional_str(a[0])) {
    why = std::string(Name) + " arg must be None or str";
    return Ty::Top;
  }
  return Ty::Str;
}
const char kStrip[] = "strip", kLstrip[] = "lstrip", kRstrip[] = "rstrip";
Ty replace(Ty, const std::vector<Ty> &a, std::string &why) {
  for (size_t i = 0; i < 2; ++i)
    if (!is_str(a[i])) {
      why = "replace() argument " + std::to_string(i + 1) + " must be str, not " + py_type_name(a[i]);
      return Ty::Top;
    }
  return index_like(a, 2, why) ? Ty::Str : Ty::Top;
}
Ty text(Ty, const std::vector<Ty> &, std::string &) { return Ty::Str; }
Ty width(Ty, const std::vector<Ty> &a, std::string &why) {  // zfill(w), center/ljust/rjust(w[, fill])
  if (!index_like(a, 0, why)) return Ty::Top;
  if (a.size() > 1 && !is_str(a[1])) {
    why = "The fill character must be a unicode character, not " + py_type_name(a[1]);
    return Ty::Top;
  }
  return Ty::Str;
}
Ty tabs(Ty, const std::vector<Ty> &a, std::string &why) { return index_like(a, 0, why) ? Ty::Str : Ty::Top; }
Ty one_str(Ty, const std::vector<Ty> &a, std::string &why) {  // removeprefix/removesuffix, partition
  if (!is_str(a[0])) {
    why = "must be str, not " + py_type_name(a[0]);
    return Ty::Top;
  }
  return Ty::Str;
}
Ty partition(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (one_str(self, a, why) == Ty::Top) return Ty::Top;
  return Ty::tuple({Ty::Str, Ty::Str, Ty::Str});
}
Ty encode(Ty, const std::vector<Ty> &a, std::string &why) {
  for (size_t i = 0; i < a.size(); ++i)
    if (!is_str(a[i])) {
      why = std::string("encode() argument ") + (i == 0 ? "'encoding'" : "'errors'") + " must be str, not " + py_type_name(a[i]);
      return Ty::Top;
    }
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
    {Kind::Str, "startswith", 1, 3, affix<kStartswith>, same, false, nullptr, ""},
    {Kind::Str, "endswith", 1, 3, affix<kEndswith>, same, false, nullptr, ""},
    {Kind::Str, "split", 0, 2, split, same, false, nullptr, "sep,maxsplit"},
    {Kind::Str, "rsplit", 0, 2, split, same, false, nullptr, "sep,maxsplit"},
    {Kind::Str, "splitlines", 0, 1, splitlines, same, false, nullptr, "keepends"},
    {Kind::Str, "join", 1, 1, join, same, false, nullptr, ""},
    {Kind::Str, "strip", 0, 1, strip<kStrip>, same, false, nullptr, ""},
    {Kind::Str, "lstrip", 0, 1, strip<kLstrip>, same, false, nullptr, ""},
    {Kind::Str, "rstrip", 0, 1, strip<kRstrip>, same, false, nullptr, ""},
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
