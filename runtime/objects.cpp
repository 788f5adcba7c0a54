// Pyvorin runtime, objects (pyvorin_objects.h): thin layers over CPython's C API, so every result,
// exception and message is CPython's own.
#include <Python.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <vector>
#include <mutex>
#include <string>
#include <unordered_map>

#include "pyvorin_objects.h"

namespace {

// Interned names and literals, shared by every compiled module; never freed (like CPython's own
// interned strings), so a module's cache slots stay valid whatever is unloaded.
PyObject *intern(const char *utf8, size_t size, bool identifier) {
  static std::unordered_map<std::string, PyObject *> *table = new std::unordered_map<std::string, PyObject *>();
  std::string key(utf8, size);
  auto it = table->find(key);
  if (it != table->end()) return it->second;
  PyObject *s = PyUnicode_DecodeUTF8(utf8, Py_ssize_t(size), "surrogatepass");
  if (!s) return nullptr;
  if (identifier) PyUnicode_InternInPlace(&s);
  (*table)[key] = s;
  return s;
}

}  // namespace

extern "C" {

PyObject *pv_str_const(PyObject **cache, const char *utf8, size_t size) {
  if (*cache) return *cache;
  PyObject *s = intern(utf8, size, false);
  *cache = s;
  return s;
}

// A bytes literal: one object per distinct value, never freed (as pv_str_const's strings).
PyObject *pv_bytes_const(PyObject **cache, const char *data, size_t size) {
  if (*cache) return *cache;
  static std::mutex lock;
  static std::unordered_map<std::string, PyObject *> *table = new std::unordered_map<std::string, PyObject *>();
  std::lock_guard<std::mutex> g(lock);
  std::string key(data, size);
  auto it = table->find(key);
  PyObject *b = it != table->end() ? it->second : PyBytes_FromStringAndSize(data, Py_ssize_t(size));
  if (!b) return nullptr;
  (*table)[key] = b;
  *cache = b;
  return b;
}

// An f-string's parts joined (CPython's BUILD_STRING): a new reference, or null with an exception.
PyObject *pv_str_join(PyObject *const *parts, intptr_t n) {
  static PyObject *empty = PyUnicode_FromStringAndSize("", 0);
  return _PyUnicode_JoinArray(empty, parts, n);
}

// The end of a with block: manager.__exit__(None, None, None). 0, or -1 with an exception.
int pv_with_exit(PyObject *mgr) {
  PyObject *r = PyObject_CallMethod(mgr, "__exit__", "OOO", Py_None, Py_None, Py_None);
  if (!r) return -1;
  Py_DECREF(r);
  return 0;
}

// An error leaves a with block: the manager's __exit__ runs (a file closes) and the error that
// is leaving stays the one reported; an error from __exit__ itself is reported as unraisable.
void pv_with_abort(PyObject *mgr) {
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);
  PyObject *r = PyObject_CallMethod(mgr, "__exit__", "OOO", type ? type : Py_None, value ? value : Py_None, tb ? tb : Py_None);
  if (!r) PyErr_WriteUnraisable(mgr);
  Py_XDECREF(r);
  PyErr_Restore(type, value, tb);
}

// The code point of s[i], or -1 with CPython's IndexError.
int32_t pv_str_char(PyObject *s, int64_t i) {
  Py_ssize_t n = PyUnicode_GET_LENGTH(s);
  if (i < 0) i += n;
  if (i < 0 || i >= n) {
    PyErr_SetString(PyExc_IndexError, "string index out of range");
    return -1;
  }
  return int32_t(PyUnicode_READ_CHAR(s, i));
}

// s[i] of an exact str: the one-character str (cached by CPython for latin-1), or null with
// CPython's IndexError.
PyObject *pv_str_item(PyObject *s, int64_t i) {
  int32_t c = pv_str_char(s, i);
  return c < 0 ? nullptr : PyUnicode_FromOrdinal(int(c));
}

// int(s) for the common text: an ASCII str of blanks, an optional sign, 1 to 18 decimal digits,
// blanks. 1 with *out set; 0 for anything else (CPython's int() decides: underscores, other
// digits or spaces, errors, big values).
static bool ascii_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// An ASCII str's text without the blanks around it, in [*p, *end); false for other strs.
static bool ascii_trimmed(PyObject *s, const char **p, const char **end) {
  if (!PyUnicode_IS_ASCII(s)) return false;
  *p = (const char *)PyUnicode_1BYTE_DATA(s);
  *end = *p + PyUnicode_GET_LENGTH(s);
  while (*p < *end && ascii_blank((unsigned char)**p)) ++*p;
  while (*end > *p && ascii_blank((unsigned char)(*end)[-1])) --*end;
  return true;
}

int32_t pv_parse_int(PyObject *s, int64_t *out) {
  const char *p, *end;
  if (!ascii_trimmed(s, &p, &end)) return 0;
  bool neg = false;
  if (p < end && (*p == '+' || *p == '-')) neg = *p++ == '-';
  if (p == end || end - p > 18) return 0;
  int64_t v = 0;
  for (; p < end; ++p) {
    if (*p < '0' || *p > '9') return 0;
    v = v * 10 + (*p - '0');
  }
  *out = neg ? -v : v;
  return 1;
}

// float(s) for ASCII text of blanks, then [sign] digits [. digits] [e [sign] digits], then blanks:
// CPython's own conversion (PyOS_string_to_double, as float() uses). 0 for anything else.
int32_t pv_parse_float(PyObject *s, double *out) {
  const char *p, *end;
  if (!ascii_trimmed(s, &p, &end)) return 0;
  if (p == end || end - p > 300) return 0;
  bool digit = false;
  for (const char *q = p; q < end; ++q) {
    char c = *q;
    if (c >= '0' && c <= '9') digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') return 0;
  }
  if (!digit) return 0;
  // [sign] digits [. digits] with at most 15 digits: the integer of its digits is exact in a
  // double and so is 10^k (k <= 22), and one IEEE division is correctly rounded, which is what
  // CPython's strtod gives (Clinger's fast path)
  {
    const char *q = p;
    bool neg = false;
    if (*q == '+' || *q == '-') neg = *q++ == '-';
    uint64_t mant = 0;
    int ndigits = 0, frac = 0;
    bool point = false, ok = q < end;
    for (; q < end && ok; ++q) {
      if (*q >= '0' && *q <= '9') {
        mant = mant * 10 + uint64_t(*q - '0');
        ++ndigits;
        if (point) ++frac;
      } else if (*q == '.' && !point) {
        point = true;
      } else {
        ok = false;
      }
    }
    if (ok && ndigits > 0 && ndigits <= 15) {
      static const double p10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
      double v = double(mant) / p10[frac];
      *out = neg ? -v : v;
      return 1;
    }
  }
  char buf[304];
  std::memcpy(buf, p, size_t(end - p));
  buf[end - p] = 0;
  char *stop = nullptr;
  double v = PyOS_string_to_double(buf, &stop, nullptr);
  if (v == -1.0 && PyErr_Occurred()) {
    PyErr_Clear();
    return 0;
  }
  if (stop != buf + (end - p)) return 0;
  *out = v;
  return 1;
}

// s.strip() / lstrip() / rstrip() with no argument (which: 0 left, 1 right, 2 both): CPython's
// whitespace (Py_UNICODE_ISSPACE) off the ends; s itself when nothing is stripped.
PyObject *pv_str_strip(PyObject *s, int32_t which) {
  Py_ssize_t n = PyUnicode_GET_LENGTH(s), i = 0, j = n;
  int kind = PyUnicode_KIND(s);
  const void *data = PyUnicode_DATA(s);
  if (which != 1)
    while (i < j && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) ++i;
  if (which != 0)
    while (j > i && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, j - 1))) --j;
  return PyUnicode_Substring(s, i, j);
}

// `raise exc` as CPython's do_raise does without a cause: a class is called with no arguments;
// anything but an exception instance is a TypeError. Always leaves an exception set.
void pv_raise_object(PyObject *exc) {
  PyObject *type, *value;
  if (PyExceptionClass_Check(exc)) {
    type = exc;
    value = PyObject_CallNoArgs(exc);
    if (!value) return;
    if (!PyExceptionInstance_Check(value)) {
      PyErr_Format(PyExc_TypeError, "calling %R should have returned an instance of BaseException, not %R", type, Py_TYPE(value));
      Py_DECREF(value);
      return;
    }
  } else if (PyExceptionInstance_Check(exc)) {
    value = exc;
    Py_INCREF(value);
    type = reinterpret_cast<PyObject *>(Py_TYPE(exc));
  } else {
    PyErr_SetString(PyExc_TypeError, "exceptions must derive from BaseException");
    return;
  }
  PyErr_SetObject(type, value);
  Py_DECREF(value);
}

// Whether s has a character that is not whitespace: the truth of s.strip().
int32_t pv_str_has_text(PyObject *s) {
  Py_ssize_t n = PyUnicode_GET_LENGTH(s);
  int kind = PyUnicode_KIND(s);
  const void *data = PyUnicode_DATA(s);
  for (Py_ssize_t i = 0; i < n; ++i)
    if (!Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i))) return 1;
  return 0;
}

// a == b for two exact strs (no error is possible): the same object, or the same length, kind
// and code units (PEP 393 storage is canonical: equal strs have equal kinds).
int32_t pv_str_eq(PyObject *a, PyObject *b) {
  if (a == b) return 1;
  Py_ssize_t n = PyUnicode_GET_LENGTH(a);
  if (n != PyUnicode_GET_LENGTH(b) || PyUnicode_KIND(a) != PyUnicode_KIND(b)) return 0;
  return std::memcmp(PyUnicode_DATA(a), PyUnicode_DATA(b), size_t(n) * PyUnicode_KIND(a)) == 0;
}

PyObject *pv_builtin(PyObject **cache, const char *name) {
  if (*cache) return *cache;
  PyObject *builtins = PyEval_GetBuiltins();  // the running frame's builtins
  PyObject *key = intern(name, std::strlen(name), true);
  if (!key) return nullptr;
  PyObject *f = builtins ? PyDict_GetItemWithError(builtins, key) : nullptr;
  if (!f) {
    if (!PyErr_Occurred()) PyErr_Format(PyExc_NameError, "name '%s' is not defined", name);
    return nullptr;
  }
  // Rebinding a builtin recompiles the function (the dispatcher's dependencies), and builtins
  // are never freed while the interpreter runs: a borrowed, cached reference is safe. Keep one.
  Py_INCREF(f);
  *cache = f;
  return f;
}

PyObject *pv_global(PyObject **cache, PyObject *globals, const char *name) {
  if (!*cache) {
    *cache = intern(name, std::strlen(name), true);
    if (!*cache) return nullptr;
  }
  PyObject *v = PyDict_GetItemWithError(globals, *cache);
  if (!v && !PyErr_Occurred()) PyErr_Format(PyExc_NameError, "name '%s' is not defined", name);
  return v;
}

PyObject *pv_kwnames(PyObject **cache, const char *names) {
  if (*cache) return *cache;
  PyObject *list = PyList_New(0);
  if (!list) return nullptr;
  const char *p = names;
  while (*p) {
    const char *end = std::strchr(p, ',');
    size_t n = end ? size_t(end - p) : std::strlen(p);
    PyObject *s = intern(p, n, true);
    if (!s || PyList_Append(list, s) < 0) {
      Py_DECREF(list);
      return nullptr;
    }
    p += n + (end ? 1 : 0);
  }
  PyObject *t = PyList_AsTuple(list);
  Py_DECREF(list);
  *cache = t;  // kept for the process, like the names
  return t;
}

PyObject *pv_call_method(PyObject **cache, const char *name, PyObject *const *args, size_t nargs, PyObject *kwnames) {
  PyObject *n = *cache;
  if (!n) {
    n = intern(name, std::strlen(name), true);
    if (!n) return nullptr;
    *cache = n;
  }
  return PyObject_VectorcallMethod(n, args, nargs, kwnames);
}

PyObject *pv_call(PyObject *callable, PyObject *const *args, size_t nargs, PyObject *kwnames) {
  return PyObject_Vectorcall(callable, args, nargs, kwnames);
}

// unpack_iterable (Python/ceval.c): the same checks, order and messages.
PyObject *pv_unpack(PyObject *obj, int64_t before, int64_t after, int32_t starred) {
  Py_ssize_t want = Py_ssize_t(before + after);
  if (!starred && PyTuple_CheckExact(obj) && PyTuple_GET_SIZE(obj) == want) {
    Py_INCREF(obj);
    return obj;
  }
  if (!starred && PyList_CheckExact(obj) && PyList_GET_SIZE(obj) == want) return PyList_AsTuple(obj);
  PyObject *it = PyObject_GetIter(obj);
  if (!it) {
    if (PyErr_ExceptionMatches(PyExc_TypeError) && Py_TYPE(obj)->tp_iter == nullptr && !PySequence_Check(obj)) {
      PyErr_Clear();
      PyErr_Format(PyExc_TypeError, "cannot unpack non-iterable %.200s object", Py_TYPE(obj)->tp_name);
    }
    return nullptr;
  }
  PyObject *out = PyTuple_New(want + (starred ? 1 : 0));
  if (!out) {
    Py_DECREF(it);
    return nullptr;
  }
  Py_ssize_t i = 0;
  for (; i < Py_ssize_t(before); ++i) {
    PyObject *w = PyIter_Next(it);
    if (!w) {
      if (!PyErr_Occurred()) {
        if (!starred)
          PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected %zd, got %zd)", want, i);
        else
          PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected at least %zd, got %zd)", want, i);
      }
      goto fail;
    }
    PyTuple_SET_ITEM(out, i, w);
  }
  if (!starred) {
    PyObject *w = PyIter_Next(it);
    if (!w) {
      if (PyErr_Occurred()) goto fail;
      Py_DECREF(it);
      return out;
    }
    Py_DECREF(w);
    PyErr_Format(PyExc_ValueError, "too many values to unpack (expected %zd)", want);  // 3.11's text
    goto fail;
  }
  {
    PyObject *rest = PySequence_List(it);
    if (!rest) goto fail;
    Py_ssize_t n = PyList_GET_SIZE(rest);
    if (n < Py_ssize_t(after)) {
      PyErr_Format(PyExc_ValueError, "not enough values to unpack (expected at least %zd, got %zd)", want,
                   Py_ssize_t(before) + n);
      Py_DECREF(rest);
      goto fail;
    }
    for (Py_ssize_t k = 0; k < Py_ssize_t(after); ++k) {
      PyObject *w = PyList_GET_ITEM(rest, n - Py_ssize_t(after) + k);
      Py_INCREF(w);
      PyTuple_SET_ITEM(out, Py_ssize_t(before) + 1 + k, w);
    }
    if (PyList_SetSlice(rest, n - Py_ssize_t(after), n, nullptr) < 0) {
      Py_DECREF(rest);
      goto fail;
    }
    PyTuple_SET_ITEM(out, Py_ssize_t(before), rest);
    Py_DECREF(it);
    return out;
  }
fail:
  Py_DECREF(it);
  Py_DECREF(out);
  return nullptr;
}

int32_t pv_print_obj(PyObject *obj) {
  PyObject *s = PyObject_Str(obj);
  if (!s) return -1;
  PyObject *b = PyUnicode_AsEncodedString(s, "utf-8", "surrogatepass");
  Py_DECREF(s);
  if (!b) return -1;
  pv_print_str(PyBytes_AS_STRING(b), size_t(PyBytes_GET_SIZE(b)));
  Py_DECREF(b);
  return 0;
}

void pv_guard_failed(PvCtx *ctx, PyObject *obj, const char *expected, const char *function, int32_t line) {
  // The message must outlive this call (the dispatcher reads it later): one per type name.
  static std::mutex lock;
  static std::unordered_map<std::string, std::string> *messages = new std::unordered_map<std::string, std::string>();
  std::string got = PyLong_CheckExact(obj) && std::strcmp(expected, "int") == 0 ? "an int beyond 64 bits"
                                                                                  : std::string("a value of type '") +
                                                                                        Py_TYPE(obj)->tp_name + "'";
  std::string key = got + "\n" + expected;
  const char *text;
  {
    std::lock_guard<std::mutex> g(lock);
    auto it = messages->find(key);
    if (it == messages->end()) it = messages->emplace(key, got + " where the compiled code expects " + expected).first;
    text = it->second.c_str();
  }
  pv_raise(ctx, PV_GUARD, text, function, line);
}

int64_t pv_unbox_int(PvCtx *ctx, PyObject *obj, const char *function, int32_t line) {
  if (PyLong_CheckExact(obj)) {
    int overflow = 0;
    long long v = PyLong_AsLongLongAndOverflow(obj, &overflow);
    if (!overflow) return v;
  }
  pv_guard_failed(ctx, obj, "int", function, line);
  return 0;
}

int32_t pv_sort_with_keys(PyObject *list, PyObject *keys, int32_t reverse) {
  static PyObject *partial = nullptr, *next = nullptr, *kwnames = nullptr, *sort = nullptr;
  if (!partial) {
    PyObject *functools = PyImport_ImportModule("functools");
    if (!functools) return -1;
    partial = PyObject_GetAttrString(functools, "partial");
    Py_DECREF(functools);
    next = PyDict_GetItemString(PyEval_GetBuiltins(), "next");
    Py_XINCREF(next);
    kwnames = Py_BuildValue("(ss)", "key", "reverse");
    sort = intern("sort", 4, true);
    if (!partial || !next || !kwnames || !sort) return -1;
  }
  PyObject *it = PyObject_GetIter(keys);
  if (!it) return -1;
  PyObject *key = PyObject_CallFunctionObjArgs(partial, next, it, nullptr);
  Py_DECREF(it);
  if (!key) return -1;
  PyObject *args[3] = {list, key, reverse ? Py_True : Py_False};
  PyObject *r = PyObject_VectorcallMethod(sort, args, 1, kwnames);
  Py_DECREF(key);
  if (!r) return -1;
  Py_DECREF(r);
  return 0;
}

int32_t pv_sort_int_keys(PyObject *list, const int64_t *keys, int64_t n, int32_t reverse) {
  if (PyList_GET_SIZE(list) != n) {
    PyErr_SetString(PyExc_ValueError, "list modified during sort");
    return -1;
  }
  try {
    // Order-preserving unsigned keys (descending: complemented); a stable sort of the positions,
    // so equal keys keep their order, as CPython's stable sort (and its reverse) does.
    std::vector<uint64_t> k(size_t(n), 0);
    std::vector<int64_t> pos(size_t(n), 0);
    for (int64_t i = 0; i < n; ++i) {
      uint64_t u = uint64_t(keys[i]) ^ (uint64_t(1) << 63);
      k[size_t(i)] = reverse ? ~u : u;
      pos[size_t(i)] = i;
    }
    if (n < 2048) {
      std::stable_sort(pos.begin(), pos.end(), [&](int64_t a, int64_t b) { return k[size_t(a)] < k[size_t(b)]; });
    } else {  // LSD radix sort, 16 bits a pass; a pass where every key has the same digit is skipped
      std::vector<uint64_t> k2(static_cast<size_t>(n));
      std::vector<int64_t> pos2(static_cast<size_t>(n));
      std::vector<int64_t> count(65536);
      for (int shift = 0; shift < 64; shift += 16) {
        std::fill(count.begin(), count.end(), 0);
        for (int64_t i = 0; i < n; ++i) count[(k[size_t(i)] >> shift) & 0xFFFF]++;
        if (count[(k[0] >> shift) & 0xFFFF] == n) continue;
        int64_t sum = 0;
        for (auto &c : count) {
          int64_t x = c;
          c = sum;
          sum += x;
        }
        for (int64_t i = 0; i < n; ++i) {
          int64_t at = count[(k[size_t(i)] >> shift) & 0xFFFF]++;
          k2[size_t(at)] = k[size_t(i)];
          pos2[size_t(at)] = pos[size_t(i)];
        }
        k.swap(k2);
        pos.swap(pos2);
      }
    }
    PyObject **items = reinterpret_cast<PyListObject *>(list)->ob_item;
    std::vector<PyObject *> old(items, items + n);
    for (int64_t i = 0; i < n; ++i) items[i] = old[size_t(pos[size_t(i)])];
  } catch (const std::bad_alloc &) {
    PyErr_NoMemory();
    return -1;
  }
  return 0;
}

void pv_list_restore(PyObject *list, PyObject *items) {
  PyObject *type, *value, *tb;
  PyErr_Fetch(&type, &value, &tb);  // an error may be on its way out: keep it
  if (PyList_SetSlice(list, 0, PyList_GET_SIZE(list), items) < 0) PyErr_Clear();
  PyErr_Restore(type, value, tb);
}

void pv_python_error(PvCtx *ctx, const char *function, int32_t line) { pv_raise(ctx, PV_PYTHON_ERROR, "", function, line); }

const PvRuntimeSymbol *pv_object_symbols(size_t *count) {
  static const PvRuntimeSymbol table[] = {
      {"pv_str_const", (void *)&pv_str_const},   {"pv_builtin", (void *)&pv_builtin},
      {"pv_kwnames", (void *)&pv_kwnames},       {"pv_global", (void *)&pv_global},       {"pv_call_method", (void *)&pv_call_method},
      {"pv_call", (void *)&pv_call},             {"pv_unpack", (void *)&pv_unpack},
      {"pv_print_obj", (void *)&pv_print_obj},   {"pv_guard_failed", (void *)&pv_guard_failed},
      {"pv_unbox_int", (void *)&pv_unbox_int},   {"pv_python_error", (void *)&pv_python_error},
      {"pv_sort_with_keys", (void *)&pv_sort_with_keys}, {"pv_sort_int_keys", (void *)&pv_sort_int_keys},
      {"pv_list_restore", (void *)&pv_list_restore},
      {"pv_bytes_const", (void *)&pv_bytes_const}, {"pv_str_join", (void *)&pv_str_join},
      {"pv_with_exit", (void *)&pv_with_exit},   {"pv_str_item", (void *)&pv_str_item},
      {"pv_str_char", (void *)&pv_str_char},     {"pv_str_eq", (void *)&pv_str_eq},
      {"pv_parse_int", (void *)&pv_parse_int},   {"pv_parse_float", (void *)&pv_parse_float},
      {"pv_fstring", (void *)&pv_fstring},       {"pv_str_has_text", (void *)&pv_str_has_text},       {"pv_raise_object", (void *)&pv_raise_object},       {"pv_str_strip", (void *)&pv_str_strip},       {"pv_with_abort", (void *)&pv_with_abort},
  };
  *count = sizeof table / sizeof table[0];
  return table;
}

}  // extern "C"
