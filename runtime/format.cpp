// Pyvorin runtime, text building (pyvorin_objects.h): an f-string whose fields are ints, floats
// and strs with specs known at compile time is built in one buffer, with no str object per field.
// The subset of the format-spec mini-language handled here (compiler/src/lower_strings.cpp
// decides it) gives CPython's text byte for byte: digits from the same conversions
// (PyOS_double_to_string for floats), CPython's padding, alignment, signs and digit grouping.
// Anything else (a non-finite float, a spec outside the subset) was formatted by CPython before.
#include <Python.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "pyvorin_objects.h"

namespace {

// The text being built: code points in a buffer on the stack (on the heap past 512), and the
// largest one, which decides the str's storage (PEP 393).
class Writer {
 public:
  ~Writer() {
    if (m_data != m_small) PyMem_Free(m_data);
  }
  bool reserve(size_t extra) {
    if (m_size + extra <= m_cap) return true;
    size_t cap = std::max(m_cap * 2, m_size + extra);
    auto *d = static_cast<char32_t *>(PyMem_Malloc(cap * sizeof(char32_t)));
    if (!d) return PyErr_NoMemory(), false;
    std::memcpy(d, m_data, m_size * sizeof(char32_t));
    if (m_data != m_small) PyMem_Free(m_data);
    m_data = d, m_cap = cap;
    return true;
  }
  void put(char32_t c) {  // after reserve
    m_data[m_size++] = c;
    if (c > m_max) m_max = c;
  }
  void fill(char32_t c, size_t n) {
    for (size_t i = 0; i < n; ++i) m_data[m_size++] = c;
    if (n && c > m_max) m_max = c;
  }
  PyObject *finish() {
    PyObject *s = PyUnicode_New(Py_ssize_t(m_size), Py_UCS4(m_max));
    if (!s) return nullptr;
    int kind = PyUnicode_KIND(s);
    void *data = PyUnicode_DATA(s);
    if (kind == PyUnicode_1BYTE_KIND) {
      auto *d = static_cast<Py_UCS1 *>(data);
      for (size_t i = 0; i < m_size; ++i) d[i] = Py_UCS1(m_data[i]);
    } else if (kind == PyUnicode_2BYTE_KIND) {
      auto *d = static_cast<Py_UCS2 *>(data);
      for (size_t i = 0; i < m_size; ++i) d[i] = Py_UCS2(m_data[i]);
    } else {
      std::memcpy(data, m_data, m_size * sizeof(char32_t));
    }
    return s;
  }

 private:
  char32_t m_small[512];
  char32_t *m_data = m_small;
  size_t m_size = 0, m_cap = 512;
  char32_t m_max = 0;
};

// A number's text: its sign, then ASCII digits, with a separator every `every` digits of the
// integer part (which ends at int_end), padded to the field's width as CPython's fill_number
// does: '<' fill after, '>' before, '^' split (left = pad / 2), '=' between sign and digits.
bool put_number(Writer &w, const PvField &f, bool negative, const char *digits, size_t n, size_t int_end, size_t every) {
  char sign = negative ? '-' : (f.sign == '+' || f.sign == ' ') ? char(f.sign) : 0;
  size_t seps = f.grouping && int_end > 0 ? (int_end - 1) / every : 0;
  size_t len = (sign ? 1 : 0) + n + seps;
  size_t width = f.width > 0 ? size_t(f.width) : 0;
  size_t fill = width > len ? width - len : 0;
  if (!w.reserve(len + fill)) return false;
  size_t left = 0, right = 0;
  switch (f.align) {
    case '<': right = fill; break;
    case '^': left = fill / 2, right = fill - left; break;
    case '=': break;
    default: left = fill; break;  // '>'
  }
  w.fill(char32_t(f.fill), left);
  if (sign) w.put(char32_t(sign));
  if (f.align == '=') w.fill(char32_t(f.fill), fill);
  for (size_t i = 0; i < int_end; ++i) {
    if (seps && i > 0 && (int_end - i) % every == 0) w.put(char32_t(f.grouping));
    w.put(char32_t(uint8_t(digits[i])));
  }
  for (size_t i = int_end; i < n; ++i) w.put(char32_t(uint8_t(digits[i])));
  w.fill(char32_t(f.fill), right);
  return true;
}

bool format_int(Writer &w, const PvField &f, int64_t v) {
  bool neg = v < 0;
  uint64_t u = neg ? 0 - uint64_t(v) : uint64_t(v);
  unsigned base = f.type == 'x' || f.type == 'X' ? 16 : f.type == 'o' ? 8 : f.type == 'b' ? 2 : 10;
  const char *digs = f.type == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
  char tmp[72];
  size_t n = sizeof tmp;
  do {
    tmp[--n] = digs[u % base];
    u /= base;
  } while (u);
  size_t len = sizeof tmp - n;
  return put_number(w, f, neg, tmp + n, len, len, base == 10 ? 3 : 4);
}

// x with `prec` digits after the point ('f'), correctly rounded (ties to even) from x's exact
// binary value, as _Py_dg_dtoa's mode 3 rounds: x = m * 2^e exactly, so the digits are
// round(m * 10^prec / 2^-e) in 128-bit integer arithmetic. False (PyOS_double_to_string does it)
// when the result needs more than 64 bits or prec is above 17. `out` gets [-]digits[.digits].
bool fixed_digits(double x, int prec, char *out, size_t *len) {
  if (prec > 17) return false;
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  bool neg = bits >> 63;
  int bexp = int((bits >> 52) & 0x7ff);
  uint64_t frac = bits & ((uint64_t(1) << 52) - 1);
  uint64_t m = bexp ? frac | (uint64_t(1) << 52) : frac;
  int e = bexp ? bexp - 1075 : -1074;
  uint64_t p10 = 1;
  for (int i = 0; i < prec; ++i) p10 *= 10;
  unsigned __int128 v = (unsigned __int128)m * p10, q;
  if (e >= 0) {
    if (e > 10) return false;
    q = v << e;
  } else if (-e >= 127) {
    q = 0;  // below 2^-17 of a unit in the last place: rounds to 0
  } else {
    int s = -e;
    q = v >> s;
    unsigned __int128 rem = v & ((((unsigned __int128)1) << s) - 1), half = ((unsigned __int128)1) << (s - 1);
    if (rem > half || (rem == half && (q & 1))) ++q;
  }
  if (q >> 64) return false;
  uint64_t u = uint64_t(q);
  char digits[24];
  size_t n = 0;
  do {
    digits[n++] = char('0' + u % 10);
    u /= 10;
  } while (u);
  while (n < size_t(prec) + 1) digits[n++] = '0';  // at least one digit before the point
  size_t k = 0;
  if (neg) out[k++] = '-';
  for (size_t i = n; i-- > 0;) {
    out[k++] = digits[i];
    if (i == size_t(prec) && prec > 0) out[k++] = '.';
  }
  out[k] = 0;
  *len = k;
  return true;
}

bool format_float(Writer &w, const PvField &f, double x) {
  if (f.type == 'f' || f.type == 'F' || f.type == '%') {
    double y = f.type == '%' ? x * 100 : x;
    char buf[48];
    size_t n = 0;
    if (std::isfinite(y) && fixed_digits(y, f.precision >= 0 ? f.precision : 6, buf, &n)) {
      const char *digits = buf;
      bool neg = *digits == '-';
      if (neg) ++digits, --n;
      size_t int_end = 0;
      while (int_end < n && digits[int_end] >= '0' && digits[int_end] <= '9') ++int_end;
      if (f.type == '%') {
        char pct[50];
        std::memcpy(pct, digits, n);
        pct[n] = '%';
        return put_number(w, f, neg, pct, n + 1, int_end, 3);
      }
      return put_number(w, f, neg, digits, n, int_end, 3);
    }
  }
  char code = char(f.type);
  int flags = 0;
  int precision = f.precision >= 0 ? f.precision : 6;
  if (code == 0) code = 'r', flags = Py_DTSF_ADD_DOT_0, precision = 0;  // repr
  if (code == '%') x *= 100, code = 'f';
  char *s = PyOS_double_to_string(x, code, precision, flags, nullptr);
  if (!s) return false;
  const char *digits = s;
  bool neg = *digits == '-';
  if (neg) ++digits;
  size_t n = std::strlen(digits);
  size_t int_end = 0;
  while (int_end < n && digits[int_end] >= '0' && digits[int_end] <= '9') ++int_end;
  bool ok;
  if (f.type == '%') {
    char buf[400];
    if (n + 1 >= sizeof buf) {
      PyMem_Free(s);
      return PyErr_NoMemory(), false;
    }
    std::memcpy(buf, digits, n);
    buf[n] = '%';
    ok = put_number(w, f, neg, buf, n + 1, int_end, 3);
  } else {
    ok = put_number(w, f, neg, digits, n, int_end, 3);
  }
  PyMem_Free(s);
  return ok;
}

bool put_str(Writer &w, PyObject *s, Py_ssize_t limit, const PvField *f) {
  Py_ssize_t n = PyUnicode_GET_LENGTH(s);
  if (limit >= 0 && limit < n) n = limit;
  size_t width = f && f->width > 0 ? size_t(f->width) : 0;
  size_t fill = width > size_t(n) ? width - size_t(n) : 0;
  if (!w.reserve(size_t(n) + fill)) return false;
  size_t left = 0, right = fill;
  if (f && f->align == '>') left = fill, right = 0;
  if (f && f->align == '^') left = fill / 2, right = fill - left;
  if (f) w.fill(char32_t(f->fill), left);
  int kind = PyUnicode_KIND(s);
  const void *data = PyUnicode_DATA(s);
  for (Py_ssize_t i = 0; i < n; ++i) w.put(char32_t(PyUnicode_READ(kind, data, i)));
  if (f) w.fill(char32_t(f->fill), right);
  return true;
}

}  // namespace

extern "C" {

PyObject *pv_fstring(const PvField *fields, const int64_t *values, int64_t n) {
  Writer w;
  for (int64_t i = 0; i < n; ++i) {
    const PvField &f = fields[i];
    int64_t v = values[i];
    bool ok = true;
    switch (f.kind) {
      case PV_FIELD_STR: ok = put_str(w, reinterpret_cast<PyObject *>(v), -1, nullptr); break;
      case PV_FIELD_INT: ok = format_int(w, f, v); break;
      case PV_FIELD_FLOAT: {
        double x;
        std::memcpy(&x, &v, sizeof x);
        if (std::isfinite(x)) {
          ok = format_float(w, f, x);
          break;
        }
        // inf and nan: CPython's own float.__format__ with the spec's text
        PyObject *o = PyFloat_FromDouble(x);
        PyObject *spec = o ? PyUnicode_DecodeUTF8(f.spec, Py_ssize_t(f.spec_len), "surrogatepass") : nullptr;
        PyObject *text = spec ? PyObject_Format(o, spec) : nullptr;
        Py_XDECREF(o);
        Py_XDECREF(spec);
        ok = text && put_str(w, text, -1, nullptr);
        Py_XDECREF(text);
        break;
      }
      case PV_FIELD_STR_SPEC: ok = put_str(w, reinterpret_cast<PyObject *>(v), f.precision, &f); break;
    }
    if (!ok) return nullptr;
  }
  return w.finish();
}

}  // extern "C"
