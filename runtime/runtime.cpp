// Pyvorin runtime: numeric helpers that keep CPython 3.11's semantics, errors, print, SIGINT hook.
// Each helper names the CPython function whose rules it follows.
#include "pyvorin_runtime.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cfloat>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

extern "C" {

volatile sig_atomic_t pv_interrupt_flag = 0;
volatile sig_atomic_t pv_never_interrupted = 0;
static pv_signal_hook g_signal_hook = nullptr;

void pv_set_signal_hook(pv_signal_hook hook) { g_signal_hook = hook; }

int32_t pv_poll_interrupt(PvCtx *ctx, const char *function, int32_t line) {
  *ctx->interrupt = 0;
  if (g_signal_hook && !g_signal_hook()) return 0;  // the handlers ran and did not raise: go on
  pv_raise(ctx, PV_INTERRUPT, "", function, line);
  return 1;
}

void pv_raise(PvCtx *ctx, int32_t kind, const char *message, const char *function, int32_t line) {
  if (ctx->status != PV_OK) return;  // keep the first error, as an exception would
  ctx->status = kind;
  ctx->message = message;
  ctx->function = function;
  ctx->file = nullptr;
  ctx->line = line;
}

void pv_traceback_push(PvCtx *ctx, const char *function, const char *file, int32_t line) {
  if (ctx->nframes >= 0 && ctx->nframes < PV_MAX_FRAMES) {
    ctx->frames[ctx->nframes].function = function;
    ctx->frames[ctx->nframes].file = file;
    ctx->frames[ctx->nframes].line = line;
  }
  ctx->nframes++;
}

// long_pow for a non-negative exponent: square-and-multiply with overflow checks.
int64_t pv_int_pow(PvCtx *ctx, int64_t base, int64_t exp, const char *function, int32_t line) {
  int64_t result = 1;
  while (exp > 0) {
    if (exp & 1) {
      if (__builtin_mul_overflow(result, base, &result)) goto overflow;
    }
    exp >>= 1;
    if (exp > 0 && __builtin_mul_overflow(base, base, &base)) goto overflow;
  }
  return result;
overflow:
  pv_raise(ctx, PV_INT_OVERFLOW, "integer result does not fit in 64 bits", function, line);
  return 0;
}

static bool is_odd_integer(double y) { return std::fmod(std::fabs(y), 2.0) == 1.0; }

// float_pow (Objects/floatobject.c).
double pv_float_pow(PvCtx *ctx, double x, double y, const char *function, int32_t line) {
  if (y == 0.0) return 1.0;
  if (std::isnan(x)) return x;
  if (std::isnan(y)) return x == 1.0 ? 1.0 : y;
  if (std::isinf(y)) {
    double ax = std::fabs(x);
    if (ax == 1.0) return 1.0;
    if ((y > 0.0) == (ax > 1.0)) return std::fabs(y);
    return 0.0;
  }
  if (std::isinf(x)) {
    bool odd = is_odd_integer(y);
    if (y > 0.0) return odd ? x : std::fabs(x);
    return odd ? std::copysign(0.0, x) : 0.0;
  }
  if (x == 0.0) {
    if (y < 0.0) {
      pv_raise(ctx, PV_ZERO_DIVISION, "0.0 cannot be raised to a negative power", function, line);
      return 0.0;
    }
    return is_odd_integer(y) ? x : 0.0;
  }
  bool negate = false;
  if (x < 0.0) {
    if (y != std::floor(y)) {  // CPython returns a complex number here
      pv_raise(ctx, PV_DEOPT, "negative number raised to a fractional power is complex", function, line);
      return 0.0;
    }
    x = -x;
    negate = is_odd_integer(y);
  }
  if (x == 1.0) return negate ? -1.0 : 1.0;
  double r = std::pow(x, y);
  if (std::isinf(r)) {
    pv_raise(ctx, PV_OVERFLOW_ERROR, "(34, 'Numerical result out of range')", function, line);
    return 0.0;
  }
  return negate ? -r : r;
}

// float_divmod (Objects/floatobject.c): the quotient is floored, the remainder has the divisor's sign.
static void float_divmod(double vx, double wx, double *floordiv, double *mod) {
  double m = std::fmod(vx, wx);
  double div = (vx - m) / wx;
  if (m != 0.0) {
    if ((wx < 0) != (m < 0)) {
      m += wx;
      div -= 1.0;
    }
  } else {
    m = std::copysign(0.0, wx);
  }
  double fd;
  if (div != 0.0) {
    fd = std::floor(div);
    if (div - fd > 0.5) fd += 1.0;
  } else {
    fd = std::copysign(0.0, vx / wx);
  }
  *floordiv = fd;
  *mod = m;
}

double pv_float_floordiv(PvCtx *ctx, double x, double y, const char *function, int32_t line) {
  if (y == 0.0) {
    pv_raise(ctx, PV_ZERO_DIVISION, "float floor division by zero", function, line);
    return 0.0;
  }
  double fd, m;
  float_divmod(x, y, &fd, &m);
  return fd;
}

double pv_float_mod(PvCtx *ctx, double x, double y, const char *function, int32_t line) {
  if (y == 0.0) {
    pv_raise(ctx, PV_ZERO_DIVISION, "float modulo", function, line);
    return 0.0;
  }
  double fd, m;
  float_divmod(x, y, &fd, &m);
  return m;
}

// long_true_divide: exact when both fit in 53 bits, otherwise a 128-bit quotient with a sticky bit
// so that the single int->double conversion rounds correctly.
double pv_int_truediv(int64_t a, int64_t b) {
  const int64_t lim = int64_t(1) << 53;
  if (a >= -lim && a <= lim && b >= -lim && b <= lim) return double(a) / double(b);
  bool neg = (a < 0) != (b < 0);
  uint64_t ua = a < 0 ? uint64_t(0) - uint64_t(a) : uint64_t(a);
  uint64_t ub = b < 0 ? uint64_t(0) - uint64_t(b) : uint64_t(b);
  if (ua == 0) return neg ? -0.0 : 0.0;
  int bla = 64 - __builtin_clzll(ua), blb = 64 - __builtin_clzll(ub);
  int shift = 62 - bla + blb;  // the quotient lands in (2^61, 2^63): 8+ bits below double precision
  if (shift < 0) shift = 0;     // only |a| == 2^63 with |b| == 1
  unsigned __int128 n = (unsigned __int128)ua << shift;
  unsigned __int128 q = n / ub;
  unsigned __int128 r = n % ub;
  uint64_t q64 = uint64_t(q) | (r != 0 ? 1u : 0u);  // sticky bit: rounding sees the remainder
  double d = std::ldexp(double(q64), -shift);
  return neg ? -d : d;
}

// float_richcompare's exact int/float comparison.
int32_t pv_cmp_int_float(int64_t a, double b) {
  if (std::isnan(b)) return 2;
  const int64_t lim = int64_t(1) << 53;
  if (a >= -lim && a <= lim) {
    double da = double(a);
    return da < b ? -1 : (da > b ? 1 : 0);
  }
  if (b >= 9223372036854775808.0) return -1;
  if (b < -9223372036854775808.0) return 1;
  double tb = std::trunc(b);
  int64_t ib = int64_t(tb);
  if (a < ib) return -1;
  if (a > ib) return 1;
  double frac = b - tb;
  return frac > 0 ? -1 : (frac < 0 ? 1 : 0);
}

// float___trunc___impl / PyLong_FromDouble.
int64_t pv_float_to_int(PvCtx *ctx, double x, const char *function, int32_t line) {
  if (std::isnan(x)) {
    pv_raise(ctx, PV_VALUE_ERROR, "cannot convert float NaN to integer", function, line);
    return 0;
  }
  if (std::isinf(x)) {
    pv_raise(ctx, PV_OVERFLOW_ERROR, "cannot convert float infinity to integer", function, line);
    return 0;
  }
  double t = std::trunc(x);
  if (t >= 9223372036854775808.0 || t < -9223372036854775808.0) {
    pv_raise(ctx, PV_INT_OVERFLOW, "integer result does not fit in 64 bits", function, line);
    return 0;
  }
  return int64_t(t);
}

// double_round (Objects/floatobject.c): x rounded to a multiple of 10**-ndigits as the exact
// decimal value of x rounds (ties to even: dtoa mode 3), then converted back correctly rounded.
// glibc's printf and strtod are exact in the same way as David Gay's dtoa.
double pv_round_ndigits(PvCtx *ctx, double x, int64_t ndigits, const char *function, int32_t line) {
  if (!std::isfinite(x) || x == 0.0) return x;
  if (ndigits > 323) return x;              // NDIGITS_MAX: x rounds to itself
  if (ndigits < -308) return 0.0 * x;       // NDIGITS_MIN: +-0.0
  if (ndigits >= 0) {
    char buf[800];
    std::snprintf(buf, sizeof buf, "%.*f", int(ndigits), x);
    return std::strtod(buf, nullptr);
  }
  // The integer part of |x| exactly (at most 309 digits), and whether a fraction follows.
  char buf[400];
  double ax = std::fabs(x), ip = std::trunc(ax);
  std::snprintf(buf, sizeof buf, "%.0f", ip);
  std::string digits = buf;
  bool fraction = ax != ip;
  size_t k = size_t(-ndigits);
  std::string kept;  // the multiple of 10**k below |x|, in units of 10**k
  int half;          // the dropped part against half a unit: -1 below, 0 exactly half, 1 above
  if (digits.size() < k) {
    kept = "0";
    half = -1;  // |x| < 10**(k-1) < half a unit
  } else {
    kept = digits.substr(0, digits.size() - k);
    if (kept.empty()) kept = "0";
    std::string dropped = digits.substr(digits.size() - k);
    if (dropped[0] != '5') {
      half = dropped[0] > '5' ? 1 : -1;
    } else {
      bool rest = fraction || dropped.find_first_not_of('0', 1) != std::string::npos;
      half = rest ? 1 : 0;
    }
  }
  bool up = half > 0 || (half == 0 && (kept.back() - '0') % 2 == 1);
  if (up) {  // kept + 1, in decimal
    size_t i = kept.size();
    while (i > 0 && kept[i - 1] == '9') kept[--i] = '0';
    if (i == 0) kept.insert(kept.begin(), '1');
    else ++kept[i - 1];
  }
  std::string text = (x < 0 ? "-" : "") + kept + "e" + std::to_string(k);
  errno = 0;
  double r = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && std::fabs(r) >= 1.0) {
    pv_raise(ctx, PV_OVERFLOW_ERROR, "rounded value too large to represent", function, line);
    return 0.0;
  }
  return r;
}

// long_round (Objects/longobject.c): _PyLong_DivmodNear(x, 10**k) rounds the quotient to the
// nearest integer, ties to even; the result is that quotient times 10**k.
int64_t pv_int_round(PvCtx *ctx, int64_t x, int64_t ndigits, const char *function, int32_t line) {
  if (ndigits >= 0) return x;
  // |x| < 2**63 < 10**20 / 2: from k = 20 on every int64 rounds to 0.
  if (ndigits <= -20) return 0;
  __int128 p = 1;
  for (int64_t i = 0; i < -ndigits; ++i) p *= 10;
  __int128 q = (__int128)x / p, r = (__int128)x % p;  // truncated toward zero
  __int128 twice = 2 * (r < 0 ? -r : r);
  if (twice > p || (twice == p && (q & 1) != 0)) q += x < 0 ? -1 : 1;
  __int128 result = q * p;
  if (result > INT64_MAX || result < INT64_MIN) {
    pv_raise(ctx, PV_INT_OVERFLOW, "integer result does not fit in 64 bits", function, line);
    return 0;
  }
  return int64_t(result);
}

// math_pow (Modules/mathmodule.c).
double pv_math_pow(PvCtx *ctx, double x, double y, const char *function, int32_t line) {
  if (!std::isfinite(x) || !std::isfinite(y)) {
    if (std::isnan(x)) return y == 0.0 ? 1.0 : x;
    if (std::isnan(y)) return x == 1.0 ? 1.0 : y;
    if (std::isinf(x)) {
      bool odd = std::isfinite(y) && is_odd_integer(y);
      if (y > 0.0) return odd ? x : std::fabs(x);
      if (y == 0.0) return 1.0;
      return odd ? std::copysign(0.0, x) : 0.0;
    }
    double ax = std::fabs(x);
    if (ax == 1.0) return 1.0;
    if (y > 0.0 && ax > 1.0) return y;
    if (y < 0.0 && ax < 1.0) return -y;
    return 0.0;
  }
  double r = std::pow(x, y);
  if (!std::isfinite(r)) {
    if (std::isnan(r) || x == 0.0) {
      pv_raise(ctx, PV_VALUE_ERROR, "math domain error", function, line);
      return 0.0;
    }
    pv_raise(ctx, PV_OVERFLOW_ERROR, "math range error", function, line);
    return 0.0;
  }
  return r;
}

// math_isqrt for an int64 argument.
int64_t pv_math_isqrt(PvCtx *ctx, int64_t n, const char *function, int32_t line) {
  if (n < 0) {
    pv_raise(ctx, PV_VALUE_ERROR, "isqrt() argument must be nonnegative", function, line);
    return 0;
  }
  uint64_t r = uint64_t(std::sqrt(double(n)));
  while ((unsigned __int128)r * r > (unsigned __int128)n) --r;
  while ((unsigned __int128)(r + 1) * (r + 1) <= (unsigned __int128)n) ++r;
  return int64_t(r);
}

// math_log with a base: loghelper(x) / loghelper(base); NaN passes through, x <= 0 is a domain
// error, and a zero denominator (base 1) divides by zero, in that order.
static bool log_helper(PvCtx *ctx, double x, double *out, const char *function, int32_t line) {
  if (std::isnan(x)) {
    *out = x;
    return true;
  }
  if (x <= 0.0) {
    pv_raise(ctx, PV_VALUE_ERROR, "math domain error", function, line);
    return false;
  }
  *out = std::log(x);
  return true;
}

double pv_math_log_base(PvCtx *ctx, double x, double base, const char *function, int32_t line) {
  double num, den;
  if (!log_helper(ctx, x, &num, function, line) || !log_helper(ctx, base, &den, function, line)) return 0.0;
  if (den == 0.0) {
    pv_raise(ctx, PV_ZERO_DIVISION, "float division by zero", function, line);
    return 0.0;
  }
  return num / den;
}

// math.hypot for two coordinates: CPython 3.11's vector_norm (3.12 changed it; the installed
// CPython is the oracle). Both coordinates are scaled by a power of two so the larger lies in
// [0.5, 1); each is split in halves of 26 bits (Dekker, with 2**27 + 1) so hi*hi, 2*hi*lo and
// lo*lo are exact, and those are summed with compensation (three running errors) next to a 1.0
// that keeps the sum's magnitude; the square root then gets one differential correction. When the
// larger coordinate is subnormal (the scale 2**-e would overflow), both are divided by it instead
// and only the first compensation is kept. Infinity wins over NaN; overflow gives inf without an
// error. No fused multiply-adds: each step is rounded as CPython's C is.
namespace {
struct Split {
  double hi, lo;
};
__attribute__((optimize("fp-contract=off"))) Split split27(double x) {
  const double t = x * 134217729.0;  // 2**27 + 1
  double hi = t - (t - x);
  return {hi, x - hi};
}
__attribute__((optimize("fp-contract=off"))) void compensated_add(double &csum, double &frac, double x) {
  double old = csum;
  csum += x;
  frac += (old - csum) + x;
}
}  // namespace

__attribute__((optimize("fp-contract=off"))) double pv_math_hypot(double x, double y) {
  double v[2] = {std::fabs(x), std::fabs(y)};
  if (std::isinf(v[0]) || std::isinf(v[1])) return HUGE_VAL;
  if (std::isnan(v[0]) || std::isnan(v[1])) return std::nan("");
  double max = v[0] > v[1] ? v[0] : v[1];
  if (max == 0.0) return 0.0;
  int max_e;
  std::frexp(max, &max_e);
  double csum = 1.0, frac1 = 0.0, frac2 = 0.0, frac3 = 0.0;
  if (max_e < -1023) {  // subnormal: 2**-max_e would overflow; divide by max instead
    for (double c : v) {
      c /= max;
      compensated_add(csum, frac1, c * c);
    }
    return max * std::sqrt(csum - 1.0 + frac1);
  }
  double scale = std::ldexp(1.0, -max_e);
  for (double c : v) {
    Split s = split27(c * scale);
    compensated_add(csum, frac1, s.hi * s.hi);
    compensated_add(csum, frac2, 2.0 * s.hi * s.lo);
    frac3 += s.lo * s.lo;
  }
  double h = std::sqrt(csum - 1.0 + (frac1 + frac2 + frac3));
  Split s = split27(h);
  compensated_add(csum, frac1, -s.hi * s.hi);
  compensated_add(csum, frac2, -2.0 * s.hi * s.lo);
  compensated_add(csum, frac3, -s.lo * s.lo);
  double rest = csum - 1.0 + (frac1 + frac2 + frac3);
  return (h + rest / (2.0 * h)) / scale;
}

double pv_math_atan2(double y, double x) {
  if (std::isnan(x) || std::isnan(y)) return std::nan("");
  return std::atan2(y, x);
}

// ---- print ----

static thread_local std::string t_print_buffer;
static thread_local std::vector<size_t> t_print_pieces;  // where each write of CPython's print ends
static thread_local uint64_t t_print_count = 0;

uint64_t pv_print_count(void) { return t_print_count; }
static pv_write_hook g_write_hook = nullptr;

void pv_set_write_hook(pv_write_hook hook) { g_write_hook = hook; }

// Rewrites "[-]d.ddde[+-]XX" with its digits moved by `delta` units in the last place.
static void nudge_last_digit(const char *in, int delta, char *out, size_t size) {
  bool neg = in[0] == '-';
  const char *p = neg ? in + 1 : in;
  std::string digits;
  for (; *p && *p != 'e'; ++p)
    if (*p != '.') digits.push_back(*p);
  int exp10 = std::atoi(p + 1);
  unsigned long long m = std::strtoull(digits.c_str(), nullptr, 10) + (unsigned long long)(long long)delta;
  std::string nd = std::to_string(m);
  if (nd.size() > digits.size()) {  // 99..9 + 1: one more digit
    ++exp10;
    nd.pop_back();
  } else if (nd.size() < digits.size()) {  // 10..0 - 1: one fewer
    --exp10;
    nd.push_back('9');
  }
  std::string body = nd.substr(0, 1) + (nd.size() > 1 ? "." + nd.substr(1) : "");
  std::snprintf(out, size, "%s%se%+03d", neg ? "-" : "", body.c_str(), exp10);
}

// float_repr: the shortest decimal that round-trips (as David Gay's dtoa, mode 0), laid out as
// repr() does. For each length, the correctly rounded string is tried first; when it misses the
// rounding interval (an exact tie rounded to even), a neighbour one unit away may still hit it.
size_t pv_format_float(double v, char *buf, size_t size) {
  if (std::isnan(v)) return size_t(std::snprintf(buf, size, "nan"));
  if (std::isinf(v)) return size_t(std::snprintf(buf, size, v > 0 ? "inf" : "-inf"));
  char tmp[48];
  bool found = false;
  for (int prec = 0; prec < 17 && !found; ++prec) {
    std::snprintf(tmp, sizeof tmp, "%.*e", prec, v);
    if (std::strtod(tmp, nullptr) == v) {
      found = true;
      break;
    }
    if (prec == 0) continue;
    for (int delta : {1, -1}) {
      char alt[48];
      nudge_last_digit(tmp, delta, alt, sizeof alt);
      if (std::strtod(alt, nullptr) == v) {
        std::memcpy(tmp, alt, sizeof alt);
        found = true;
        break;
      }
    }
  }
  if (!found) std::snprintf(tmp, sizeof tmp, "%.16e", v);
  // tmp is "[-]d.ddde[+-]XX": collect the digits and the decimal exponent.
  std::string digits;
  const char *p = tmp;
  bool neg = false;
  if (*p == '-') { neg = true; ++p; }
  for (; *p && *p != 'e'; ++p)
    if (*p != '.') digits.push_back(*p);
  int exp10 = std::atoi(p + 1);
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  int n = int(digits.size());
  if (exp10 >= -4 && exp10 < 16) {
    if (exp10 >= 0) {
      if (n <= exp10 + 1) {
        out += digits + std::string(size_t(exp10 + 1 - n), '0') + ".0";
      } else {
        out += digits.substr(0, size_t(exp10 + 1)) + "." + digits.substr(size_t(exp10 + 1));
      }
    } else {
      out += "0." + std::string(size_t(-exp10 - 1), '0') + digits;
    }
  } else {
    out += digits.substr(0, 1);
    if (n > 1) out += "." + digits.substr(1);
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exp10 < 0 ? '-' : '+', exp10 < 0 ? -exp10 : exp10);
    out += e;
  }
  return size_t(std::snprintf(buf, size, "%s", out.c_str()));
}

void pv_print_int(int64_t v) {
  t_print_buffer += std::to_string(v);
  t_print_pieces.push_back(t_print_buffer.size());
}
void pv_print_float(double v) {
  char buf[40];
  size_t n = pv_format_float(v, buf, sizeof buf);
  t_print_buffer.append(buf, n);
  t_print_pieces.push_back(t_print_buffer.size());
}
void pv_print_bool(int32_t v) {
  t_print_buffer += v ? "True" : "False";
  t_print_pieces.push_back(t_print_buffer.size());
}
void pv_print_none(void) {
  t_print_buffer += "None";
  t_print_pieces.push_back(t_print_buffer.size());
}
void pv_print_str(const char *s, size_t size) {
  t_print_buffer.append(s, size);
  t_print_pieces.push_back(t_print_buffer.size());
}

// A surrogate code point (U+D800..U+DFFF) encoded like any other: ED A0..BF xx.
static bool has_surrogate(const std::string &text) {
  for (size_t i = 0; i + 1 < text.size(); ++i)
    if ((unsigned char)text[i] == 0xED && ((unsigned char)text[i + 1] & 0xE0) == 0xA0) return true;
  return false;
}

int32_t pv_print_end(PvCtx *ctx, const char *end, size_t size, const char *function, int32_t line) {
  t_print_buffer.append(end, size);
  t_print_pieces.push_back(t_print_buffer.size());
  if (!t_print_buffer.empty()) ++t_print_count;  // print(end="") writes nothing observable
  // The hook runs Python code (sys.stdout.write) that may call compiled code that prints: take
  // this line out of the thread's buffers so that a nested print starts from empty ones.
  std::string text;
  std::vector<size_t> pieces;
  text.swap(t_print_buffer);
  pieces.swap(t_print_pieces);
  int failed = 0;
  if (!g_write_hook) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else if (!has_surrogate(text)) {
    failed = g_write_hook(text.data(), text.size());
  } else {
    // Only a literal can hold a surrogate; the stream's error handler decides what to do with it,
    // write by write as in CPython (the earlier pieces are written when a later one fails).
    size_t start = 0;
    for (size_t piece_end : pieces) {
      failed = g_write_hook(text.data() + start, piece_end - start);
      if (failed) break;
      start = piece_end;
    }
  }
  if (t_print_buffer.empty()) {  // keep the capacity for the next line
    text.clear();
    pieces.clear();
    t_print_buffer.swap(text);
    t_print_pieces.swap(pieces);
  }
  if (!failed) return 0;
  pv_raise(ctx, PV_PYTHON_ERROR, "", function, line);
  return 1;
}

const PvRuntimeSymbol *pv_runtime_symbols(size_t *count) {
  static const PvRuntimeSymbol table[] = {
      {"pv_interrupt_flag", (void *)&pv_interrupt_flag},
      {"pv_poll_interrupt", (void *)&pv_poll_interrupt},
      {"pv_raise", (void *)&pv_raise},
      {"pv_traceback_push", (void *)&pv_traceback_push},
      {"pv_int_pow", (void *)&pv_int_pow},
      {"pv_float_pow", (void *)&pv_float_pow},
      {"pv_float_floordiv", (void *)&pv_float_floordiv},
      {"pv_float_mod", (void *)&pv_float_mod},
      {"pv_int_truediv", (void *)&pv_int_truediv},
      {"pv_cmp_int_float", (void *)&pv_cmp_int_float},
      {"pv_float_to_int", (void *)&pv_float_to_int},
      {"pv_round_ndigits", (void *)&pv_round_ndigits},
      {"pv_int_round", (void *)&pv_int_round},
      {"pv_math_pow", (void *)&pv_math_pow},
      {"pv_math_isqrt", (void *)&pv_math_isqrt},
      {"pv_math_log_base", (void *)&pv_math_log_base},
      {"pv_math_hypot", (void *)&pv_math_hypot},
      {"pv_math_atan2", (void *)&pv_math_atan2},
      {"pv_print_int", (void *)&pv_print_int},
      {"pv_print_float", (void *)&pv_print_float},
      {"pv_print_bool", (void *)&pv_print_bool},
      {"pv_print_none", (void *)&pv_print_none},
      {"pv_print_str", (void *)&pv_print_str},
      {"pv_print_end", (void *)&pv_print_end},
  };
  *count = sizeof table / sizeof table[0];
  return table;
}

}  // extern "C"
