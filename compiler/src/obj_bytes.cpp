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

// bytearray: the methods that read it (a result that is a buffer would be a bytearray; those are
// not compiled). Arguments may be bytes or bytearray alike.
bool buffer(Ty t) { return is_byte_buffer(t); }
Ty ba_search(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, [](Ty t) { return is_byte_buffer(t) || is_integral(t); }, "a bytes-like object or an int", why) ||
      !need(a, 1, optional_int, "an int or None", why) || !need(a, 2, optional_int, "an int or None", why))
    return Ty::Top;
  return Ty::Int;
}
Ty ba_affix(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, buffer, "bytes", why) || !need(a, 1, optional_int, "an int or None", why) ||
      !need(a, 2, optional_int, "an int or None", why))
    return Ty::Top;
  return Ty::Bool;
}
Ty ba_append(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!need(a, 0, is_integral, "an int", why)) return Ty::Top;
  return Ty::None;
}
Ty ba_extend(Ty, const std::vector<Ty> &a, std::string &why) {
  Ty t = a[0];
  bool ok = is_byte_buffer(t) || ((t.kind() == Kind::List || t.kind() == Kind::TupleN || t.kind() == Kind::Range) &&
                                  (t.kind() == Kind::Range || is_integral(t.elem()) || t.elem() == Ty::Bottom));
  if (!ok) why = "bytearray.extend() of a " + ty_name(t);
  return ok ? Ty::None : Ty::Top;
}

const MethodRule kByteArray[] = {
    {Kind::ByteArray, "decode", 0, 2, decode, same, false, nullptr, "encoding,errors"},
    {Kind::ByteArray, "find", 1, 3, ba_search, same, false, nullptr, ""},
    {Kind::ByteArray, "rfind", 1, 3, ba_search, same, false, nullptr, ""},
    {Kind::ByteArray, "index", 1, 3, ba_search, same, false, nullptr, ""},
    {Kind::ByteArray, "count", 1, 3, ba_search, same, false, nullptr, ""},
    {Kind::ByteArray, "startswith", 1, 3, ba_affix, same, false, nullptr, ""},
    {Kind::ByteArray, "endswith", 1, 3, ba_affix, same, false, nullptr, ""},
    {Kind::ByteArray, "hex", 0, 0, hex, same, false, nullptr, ""},
    {Kind::ByteArray, "isdigit", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::ByteArray, "isalpha", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::ByteArray, "isspace", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::ByteArray, "append", 1, 1, ba_append, same, true, nullptr, ""},
    {Kind::ByteArray, "extend", 1, 1, ba_extend, same, true, nullptr, ""},
    {Kind::ByteArray, "clear", 0, 0, none, same, true, nullptr, ""},
};

}  // namespace

const MethodRule *bytearray_methods(size_t *count) {
  *count = sizeof kByteArray / sizeof kByteArray[0];
  return kByteArray;
}

const MethodRule *bytes_methods(size_t *count) {
  *count = sizeof kBytes / sizeof kBytes[0];
  return kBytes;
}

}  // namespace pyvorin
