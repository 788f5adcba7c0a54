// The bytes family: bytes is a CPython bytes object in native code; its items are ints
// (indexing, iteration), slices are bytes. Methods (this table) run CPython's own code on the
// object. bytearray and memoryview arguments are not compiled (they run in CPython).
#include "objects.h"

namespace pyvorin {
namespace {

using namespace rules;

bool optional_int(Ty t) { return is_integral(t) || t == Ty::None; }
bool is_bytes(Ty t) { return t == Ty::Bytes; }
bool optional_bytes(Ty t) { return t == Ty::Bytes || t == Ty::None; }

bool need(const std::vector<Ty> &a, size_t i, bool (*ok)(Ty), const char *what, std::string &why) {
  if (i >= a.size() || ok(a[i])) return true;
  why = std::string("argument ") + std::to_string(i + 1) + " must be " + what + ", not " + ty_name(a[i]);
  return false;
}

Ty decode(Ty, const std::vector<Ty> &a, std::string &why) {
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i] != Ty::Str) {
      why = "bytes.decode() argument " + std::to_string(i + 1) + " must be str, not " + ty_name(a[i]);
      return Ty::Top;
    }
  return Ty::Str;
}
Ty search(Ty, const std::vector<Ty> &a, std::string &why) {  // sub may be a bytes or an int
  if (!need(a, 0, [](Ty t) { return t == Ty::Bytes || is_integral(t); }, "bytes or an int", why) ||
      !need(a, 1, optional_int, "an int or None", why) || !need(a, 2, optional_int, "an int or None", why))
    return Ty::Top;
  return Ty::Int;
}
Ty affix(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_bytes, "bytes", why) || !need(a, 1, optional_int, "an int or None", why) ||
      !need(a, 2, optional_int, "an int or None", why))
    return Ty::Top;
  return Ty::Bool;
}
Ty split(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, optional_bytes, "bytes or None", why) || !need(a, 1, is_integral, "an int", why)) return Ty::Top;
  return Ty::list(Ty::Bytes);
}
Ty strip(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, optional_bytes, "bytes or None", why)) return Ty::Top;
  return Ty::Bytes;
}
Ty replace(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_bytes, "bytes", why) || !need(a, 1, is_bytes, "bytes", why) || !need(a, 2, is_integral, "an int", why))
    return Ty::Top;
  return Ty::Bytes;
}
Ty same_bytes(Ty, const std::vector<Ty> &, std::string &) { return Ty::Bytes; }
Ty join(Ty, const std::vector<Ty> &a, std::string &why) {
  Ty t = a[0];
  Kind k = t.kind();
  Ty e = k == Kind::List || k == Kind::Set || k == Kind::TupleN || k == Kind::Iter ? t.elem()
         : k == Kind::Tuple ? tuple_items_join(t) : Ty::Top;
  if (e != Ty::Bytes && e != Ty::Bottom) {
    why = "bytes.join() of a " + ty_name(t);
    return Ty::Top;
  }
  return Ty::Bytes;
}
Ty hex(Ty, const std::vector<Ty> &, std::string &) { return Ty::Str; }

const MethodRule kBytes[] = {
    {Kind::Bytes, "decode", 0, 2, decode, same, false, nullptr, "encoding,errors"},
    {Kind::Bytes, "find", 1, 3, search, same, false, nullptr, ""},
    {Kind::Bytes, "rfind", 1, 3, search, same, false, nullptr, ""},
    {Kind::Bytes, "index", 1, 3, search, same, false, nullptr, ""},
    {Kind::Bytes, "count", 1, 3, search, same, false, nullptr, ""},
    {Kind::Bytes, "startswith", 1, 3, affix, same, false, nullptr, ""},
    {Kind::Bytes, "endswith", 1, 3, affix, same, false, nullptr, ""},
    {Kind::Bytes, "split", 0, 2, split, same, false, nullptr, "sep,maxsplit"},
    {Kind::Bytes, "rsplit", 0, 2, split, same, false, nullptr, "sep,maxsplit"},
    {Kind::Bytes, "splitlines", 0, 0, [](Ty, const std::vector<Ty> &, std::string &) { return Ty::list(Ty::Bytes); }, same, false,
     nullptr, "keepends"},
    {Kind::Bytes, "strip", 0, 1, strip, same, false, nullptr, ""},
    {Kind::Bytes, "lstrip", 0, 1, strip, same, false, nullptr, ""},
    {Kind::Bytes, "rstrip", 0, 1, strip, same, false, nullptr, ""},
    {Kind::Bytes, "replace", 2, 3, replace, same, false, nullptr, ""},
    {Kind::Bytes, "upper", 0, 0, same_bytes, same, false, nullptr, ""},
    {Kind::Bytes, "lower", 0, 0, same_bytes, same, false, nullptr, ""},
    {Kind::Bytes, "join", 1, 1, join, same, false, nullptr, ""},
    {Kind::Bytes, "hex", 0, 0, hex, same, false, nullptr, ""},
    {Kind::Bytes, "isdigit", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Bytes, "isalpha", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::Bytes, "isspace", 0, 0, boolean, same, false, nullptr, ""},
};

}  // namespace

const MethodRule *bytes_methods(size_t *count) {
  *count = sizeof kBytes / sizeof kBytes[0];
  return kBytes;
}

}  // namespace pyvorin
