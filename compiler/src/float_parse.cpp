// float(str) for a string literal, decided at compile time with CPython 3.11's exact grammar:
// PyFloat_FromString -> _Py_string_to_number_with_underscores -> float_from_string_inner ->
// PyOS_string_to_double (_Py_dg_strtod, then _Py_parse_inf_or_nan). The text arrives already
// transformed as _PyUnicode_TransformDecimalAndSpaceToASCII does (parse.cpp: Unicode whitespace ->
// ' ', Unicode decimal digits -> ASCII digits, anything else non-ASCII -> '?' ending the text).
#include <cmath>
#include <cstdlib>
#include <string>

#include "types.h"

namespace pyvorin {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Py_ISSPACE: the ASCII whitespace of Python's ctype table (not \x1c-\x1f).
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// _Py_string_to_number_with_underscores: an underscore only between two digits; the rest of the
// text without them. False on a misplaced underscore (ValueError in CPython).
bool remove_underscores(const std::string &s, std::string *out) {
  // CPython looks for '_' with strchr, so only before the first NUL; a NUL fails later anyway.
  std::string::size_type nul = s.find('\0');
  if (s.find('_') >= nul) {
    *out = s;
    return true;
  }
  out->clear();
  char prev = '\0';
  std::string::size_type i = 0;
  for (; i < s.size() && s[i] != '\0'; ++i) {
    char c = s[i];
    if (c == '_') {
      if (!is_digit(prev)) return false;  // only after a digit
    } else {
      if (prev == '_' && !is_digit(c)) return false;  // only before a digit
      out->push_back(c);
    }
    prev = c;
  }
  if (prev == '_') return false;  // not at the end
  return i == s.size();             // no embedded NUL
}

bool match_nocase(const std::string &s, size_t pos, const char *word) {
  for (size_t k = 0; word[k]; ++k) {
    if (pos + k >= s.size()) return false;
    char c = s[pos + k];
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != word[k]) return false;
  }
  return true;
}

// The longest prefix of s[pos..] that _Py_dg_strtod accepts: [sign] digits [. digits] or
// [sign] . digits, then an optional exponent e[sign]digits. Returns its end, or pos if none.
size_t decimal_prefix(const std::string &s, size_t pos) {
  size_t i = pos;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return pos;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && is_digit(s[j])) {
      while (j < s.size() && is_digit(s[j])) ++j;
      i = j;
    }
  }
  return i;
}

// _Py_parse_inf_or_nan: [sign] (inf | infinity | nan), any case. Returns the end, or pos if none.
size_t inf_or_nan_prefix(const std::string &s, size_t pos, double *value) {
  size_t i = pos;
  bool negate = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negate = s[i++] == '-';
  if (match_nocase(s, i, "inf")) {
    i += 3;
    if (match_nocase(s, i, "inity")) i += 5;
    *value = negate ? -HUGE_VAL : HUGE_VAL;
    return i;
  }
  if (match_nocase(s, i, "nan")) {
    *value = std::copysign(std::nan(""), negate ? -1.0 : 1.0);  // _Py_dg_stdnan(negate)
    return i + 3;
  }
  return pos;
}

}  // namespace

bool parse_float_literal(const std::string &ascii_text, double *value) {
  std::string s;
  if (!remove_underscores(ascii_text, &s)) return false;
  // float_from_string_inner: strip ASCII whitespace; the rest must be one number, exactly.
  size_t first = 0, last = s.size();
  while (first < last && is_space(s[first])) ++first;
  if (first == last) return false;
  while (last - 1 > first && is_space(s[last - 1])) --last;
  size_t end = decimal_prefix(s, first);
  if (end != first) {
    // glibc's strtod rounds correctly, as _Py_dg_strtod does; overflow gives +-inf and underflow
    // +-0.0 (or a subnormal), which CPython accepts. The prefix is plain decimal syntax only.
    *value = std::strtod(s.substr(first, end - first).c_str(), nullptr);
  } else {
    end = inf_or_nan_prefix(s, first, value);
    if (end == first) return false;
  }
  return end == last;
}

}  // namespace pyvorin
