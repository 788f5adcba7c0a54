// The dispatcher's argument types (dispatcher_tags.h): the flattened type tags of a call's
// arguments, with a container's element types probed over a prefix of its items.
#include "dispatcher_tags.h"

#include <cstring>
#include <functional>
#include <vector>

#include "pyvorin_numpy.h"

namespace pyvorin::python {

namespace {

bool tag_items(PyObject *const *items, Py_ssize_t size, int8_t *out, int &n, int depth);


// The end of the type whose tags start at tags[i] (its element types included).
int skip_type(const int8_t *tags, int n, int i) {
  if (i >= n) return n + 1;
  switch (TypeTag(tags[i])) {
    case TypeTag::List: case TypeTag::Set: case TypeTag::TupleN: return skip_type(tags, n, i + 1);
    case TypeTag::Dict: return skip_type(tags, n, skip_type(tags, n, i + 1));
    case TypeTag::NpScalar: return i + 2;
    case TypeTag::Array: return i + 4;
    case TypeTag::Tuple: {
      if (i + 1 >= n) return n + 1;
      int j = i + 2;
      for (int k = 0; k < tags[i + 1]; ++k) j = skip_type(tags, n, j);
      return j;
    }
    default: return i + 1;
  }
}

// The one type of two element types, where an empty container's Unknown element is either:
// [[1], [], [2]] is a list[list[int]]. False when they differ.
bool merge_types(const int8_t *a, int na, int &i, const int8_t *b, int nb, int &j, std::vector<int8_t> &out) {
  if (i >= na || j >= nb) return false;
  if (TypeTag(a[i]) == TypeTag::Unknown || TypeTag(b[j]) == TypeTag::Unknown) {
    bool take_b = TypeTag(a[i]) == TypeTag::Unknown;
    int ei = skip_type(a, na, i), ej = skip_type(b, nb, j);
    if (ei > na || ej > nb) return false;
    if (take_b) out.insert(out.end(), b + j, b + ej);
    else out.insert(out.end(), a + i, a + ei);
    i = ei, j = ej;
    return true;
  }
  if (a[i] != b[j]) return false;
  TypeTag t = TypeTag(a[i]);
  out.push_back(a[i]);
  ++i, ++j;
  switch (t) {
    case TypeTag::NpScalar: case TypeTag::Array: {  // the dtype (and ndim, flags) must agree
      int k = t == TypeTag::NpScalar ? 1 : 3;
      if (i + k > na || j + k > nb) return false;
      for (int x = 0; x < k; ++x, ++i, ++j) {
        if (a[i] != b[j]) return false;
        out.push_back(a[i]);
      }
      return true;
    }
    case TypeTag::List: case TypeTag::Set: case TypeTag::TupleN: return merge_types(a, na, i, b, nb, j, out);
    case TypeTag::Dict: return merge_types(a, na, i, b, nb, j, out) && merge_types(a, na, i, b, nb, j, out);
    case TypeTag::Tuple: {
      if (i >= na || j >= nb || a[i] != b[j]) return false;
      int k = a[i];
      out.push_back(a[i]);
      ++i, ++j;
      for (int x = 0; x < k; ++x)
        if (!merge_types(a, na, i, b, nb, j, out)) return false;
      return true;
    }
    default: return true;
  }
}

// The element type of a list's (or a long tuple's) items, from a prefix and the last item: a
// list of mixed types ([1, 2.5]), or of ints beyond 64 bits, runs in CPython. The rest is guarded
// where it is read.
bool tag_items(PyObject *const *items, Py_ssize_t size, int8_t *out, int &n, int depth) {
  std::vector<int8_t> merged;
  Py_ssize_t probe = size < 32 ? size : 32;
  for (Py_ssize_t k = 0; k <= probe; ++k) {
    Py_ssize_t idx = k < probe ? k : size - 1;
    if (k == probe && size <= probe) break;
    PyObject *item = items[idx];
    if (Py_TYPE(item) == &PyLong_Type) {
      int overflow = 0;
      PyLong_AsLongLongAndOverflow(item, &overflow);
      if (overflow) return false;
    }
    int8_t tags[kMaxTags];
    int m = 0;
    if (!tag_element(item, tags, m, depth + 1)) return false;
    if (k == 0) {
      merged.assign(tags, tags + m);
      continue;
    }
    std::vector<int8_t> next;
    int i = 0, j = 0;
    if (!merge_types(merged.data(), int(merged.size()), i, tags, m, j, next)) return false;
    merged = std::move(next);
  }
  if (n + int(merged.size()) > kMaxTags) return false;
  for (int8_t t : merged) out[n++] = t;
  return true;
}

}  // namespace

// Appends the type tags of an object inside a container argument (pyvorin::TypeTag): a
// container's element types come from a probe of its items (tag_items: a list's first 32 and its
// last, a dict's or set's first 32 entries); native code guards every element it reads, so a
// mixed container the probe missed reruns in CPython. False: a type that is not compiled.
bool tag_element(PyObject *a, int8_t *out, int &n, int depth) {
  if (n >= kMaxTags - 2) return false;
  PyTypeObject *t = Py_TYPE(a);
  if (t == &PyLong_Type) out[n++] = int8_t(TypeTag::Int);
  else if (t == &PyFloat_Type) out[n++] = int8_t(TypeTag::Float);
  else if (t == &PyBool_Type) out[n++] = int8_t(TypeTag::Bool);
  else if (a == Py_None) out[n++] = int8_t(TypeTag::None);
  else if (t == &PyUnicode_Type) out[n++] = int8_t(TypeTag::Str);
  else if (t == &PyRange_Type) out[n++] = int8_t(TypeTag::Range);
  else if (t == &PyBytes_Type) out[n++] = int8_t(TypeTag::Bytes);
  else if (t == &PyByteArray_Type) out[n++] = int8_t(TypeTag::ByteArray);
  else if (t == &PyComplex_Type) out[n++] = int8_t(TypeTag::Complex);
  else if (std::strcmp(t->tp_name, "_io.TextIOWrapper") == 0) out[n++] = int8_t(TypeTag::TextFile);
  else if (std::strcmp(t->tp_name, "_io.BufferedReader") == 0 || std::strcmp(t->tp_name, "_io.BufferedWriter") == 0 ||
           std::strcmp(t->tp_name, "_io.BufferedRandom") == 0)
    out[n++] = int8_t(TypeTag::BinaryFile);
  else if (int code = pv_np_scalar_code(a); code >= 0) {  // np.float64, np.int32, ... (numpy is loaded)
    out[n++] = int8_t(TypeTag::NpScalar);
    out[n++] = int8_t(code);
  } else if (int dt = pv_np_dtype_code(a); dt >= 0) {  // an ndarray: a borrowed view, no copy
    int nd = pv_np_ndim(a);
    if (nd > 32 || n + 4 > kMaxTags) return false;
    out[n++] = int8_t(TypeTag::Array);
    out[n++] = int8_t(dt);
    out[n++] = int8_t(nd);
    out[n++] = int8_t(pv_np_layout(a) | pv_np_readonly(a) << 2);
  } else if (depth >= 4) return false;
  else if (t == &PyList_Type) {
    out[n++] = int8_t(TypeTag::List);
    Py_ssize_t size = PyList_GET_SIZE(a);
    if (size == 0) {
      out[n++] = int8_t(TypeTag::Unknown);
      return true;
    }
    return tag_items(&PyList_GET_ITEM(a, 0), size, out, n, depth);
  } else if (t == &PyTuple_Type) {
    Py_ssize_t size = PyTuple_GET_SIZE(a);
    if (size > 16) {  // a long tuple: tuple[T, ...], one item type (checked like a list's)
      out[n++] = int8_t(TypeTag::TupleN);
      return tag_items(&PyTuple_GET_ITEM(a, 0), size, out, n, depth);
    }
    out[n++] = int8_t(TypeTag::Tuple);
    out[n++] = int8_t(size);
    for (Py_ssize_t i = 0; i < size; ++i)
      if (!tag_element(PyTuple_GET_ITEM(a, i), out, n, depth + 1)) return false;
  } else if (t == &PyDict_Type) {
    out[n++] = int8_t(TypeTag::Dict);
    if (PyDict_GET_SIZE(a) == 0) {
      out[n++] = int8_t(TypeTag::Unknown);
      out[n++] = int8_t(TypeTag::Unknown);
      return true;
    }
    // keys and values probed over the first entries, as a list's items
    PyObject *keys[32], *values[32];
    Py_ssize_t pos = 0, count = 0;
    PyObject *k, *v;
    while (count < 32 && PyDict_Next(a, &pos, &k, &v)) keys[count] = k, values[count] = v, ++count;
    return tag_items(keys, count, out, n, depth) && tag_items(values, count, out, n, depth);
  } else if (t == &PySet_Type) {
    out[n++] = int8_t(TypeTag::Set);
    PyObject *keys[32];
    Py_ssize_t pos = 0, count = 0;
    PyObject *k;
    Py_hash_t h;
    while (count < 32 && _PySet_NextEntry(a, &pos, &k, &h)) keys[count++] = k;
    if (count == 0) out[n++] = int8_t(TypeTag::Unknown);
    else return tag_items(keys, count, out, n, depth);
  } else {
    return false;
  }
  return n <= kMaxTags;
}

// The number of arguments a flattened tag sequence describes.
int count_args(const int8_t *tags, int ntags) {
  int i = 0, args = 0;
  std::function<bool()> one = [&]() -> bool {
    if (i >= ntags) return false;
    TypeTag t = TypeTag(tags[i++]);
    switch (t) {
      case TypeTag::List: case TypeTag::Set: case TypeTag::TupleN: return one();
      case TypeTag::Dict: return one() && one();
      case TypeTag::NpScalar: return (i += 1) <= ntags;
      case TypeTag::Array: return (i += 3) <= ntags;
      case TypeTag::Tuple: {
        if (i >= ntags) return false;
        int k = tags[i++];
        for (int j = 0; j < k; ++j)
          if (!one()) return false;
        return true;
      }
      default: return true;
    }
  };
  while (i < ntags) {
    if (!one()) return -1;
    ++args;
  }
  return args;
}


bool type_tags_of(PyObject *obj, std::vector<int> &out) {
  int8_t tags[kMaxTags];
  int n = 0;
  if (Py_TYPE(obj) == &PyLong_Type || Py_TYPE(obj) == &PyFloat_Type || Py_TYPE(obj) == &PyBool_Type || obj == Py_None ||
      !tag_element(obj, tags, n, 0))
    return false;
  for (int i = 0; i < n; ++i) out.push_back(tags[i]);
  return true;
}

}  // namespace pyvorin::python
