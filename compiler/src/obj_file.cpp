// The file family: file[str] is a text file object (io.TextIOWrapper) and file[bytes] a binary
// one (io.BufferedReader, BufferedWriter, BufferedRandom), from open() in compiled code or passed
// in. Every method runs CPython's own io code on the object, so buffering, newline translation,
// encodings and errors (UnsupportedOperation, "I/O operation on closed file.") are CPython's. Any
// call on a file is an observable effect: after one the call never reruns in CPython. `with`
// closes the file on every exit (lower_with.cpp).
#include "objects.h"

namespace pyvorin {
namespace {

using namespace rules;

Ty data(Ty self) { return self.elem(); }  // str or bytes
bool optional_int(Ty t) { return is_integral(t) || t == Ty::None; }

Ty read(Ty self, const std::vector<Ty> &a, std::string &why) {  // read([n]), readline([n])
  if (!a.empty() && !optional_int(a[0])) {
    why = "argument should be integer or None, not '" + ty_name(a[0]) + "'";
    return Ty::Top;
  }
  return data(self);
}
Ty readlines(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (!a.empty() && !optional_int(a[0])) {
    why = "readlines() hint of type " + ty_name(a[0]);
    return Ty::Top;
  }
  return Ty::list(data(self));
}
Ty write(Ty self, const std::vector<Ty> &a, std::string &why) {
  if (a[0] != data(self)) {
    why = data(self) == Ty::Str ? "write() argument must be str, not " + ty_name(a[0])
                                : "a bytes-like object is required, not '" + ty_name(a[0]) + "'";
    return Ty::Top;
  }
  return Ty::Int;
}
Ty writelines(Ty self, const std::vector<Ty> &a, std::string &why) {
  Ty t = a[0];
  Kind k = t.kind();
  Ty e = k == Kind::List || k == Kind::Set || k == Kind::TupleN || k == Kind::Iter ? t.elem()
         : k == Kind::Tuple ? tuple_items_join(t) : Ty::Top;
  if (e != data(self) && e != Ty::Bottom) {
    why = "writelines() of a " + ty_name(t);
    return Ty::Top;
  }
  return Ty::None;
}
Ty seek(Ty, const std::vector<Ty> &a, std::string &why) {
  for (Ty t : a)
    if (!is_integral(t)) {
      why = "seek() of a " + ty_name(t);
      return Ty::Top;
    }
  return Ty::Int;
}
Ty truncate(Ty, const std::vector<Ty> &a, std::string &why) {
  if (!a.empty() && !optional_int(a[0])) {
    why = "truncate() of a " + ty_name(a[0]);
    return Ty::Top;
  }
  return Ty::Int;
}

const MethodRule kFile[] = {
    {Kind::File, "read", 0, 1, read, same, true, nullptr, ""},
    {Kind::File, "readline", 0, 1, read, same, true, nullptr, ""},
    {Kind::File, "readlines", 0, 1, readlines, same, true, nullptr, ""},
    {Kind::File, "write", 1, 1, write, same, true, nullptr, ""},
    {Kind::File, "writelines", 1, 1, writelines, same, true, nullptr, ""},
    {Kind::File, "close", 0, 0, none, same, true, nullptr, ""},
    {Kind::File, "flush", 0, 0, none, same, true, nullptr, ""},
    {Kind::File, "seek", 1, 2, seek, same, true, nullptr, ""},
    {Kind::File, "tell", 0, 0, integer, same, true, nullptr, ""},
    {Kind::File, "truncate", 0, 1, truncate, same, true, nullptr, ""},
    {Kind::File, "fileno", 0, 0, integer, same, false, nullptr, ""},
    {Kind::File, "readable", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::File, "writable", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::File, "seekable", 0, 0, boolean, same, false, nullptr, ""},
    {Kind::File, "isatty", 0, 0, boolean, same, false, nullptr, ""},
};

}  // namespace

const MethodRule *file_methods(size_t *count) {
  *count = sizeof kFile / sizeof kFile[0];
  return kFile;
}

}  // namespace pyvorin
