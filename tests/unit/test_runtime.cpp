// Unit tests for the C runtime's CPython rules.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "pyvorin_runtime.h"

namespace {
std::string repr(double v) {
  char buf[40];
  pv_format_float(v, buf, sizeof buf);
  return buf;
}
PvCtx fresh() {
  PvCtx c;
  std::memset(&c, 0, sizeof c);
  return c;
}
}  // namespace

TEST(Runtime, FloatReprMatchesCPython) {
  EXPECT_EQ(repr(0.1), "0.1");
  EXPECT_EQ(repr(1.0), "1.0");
  EXPECT_EQ(repr(-0.0), "-0.0");
  EXPECT_EQ(repr(1e16), "1e+16");
  EXPECT_EQ(repr(1.5e16), "1.5e+16");
  EXPECT_EQ(repr(123456789012345.0), "123456789012345.0");
  EXPECT_EQ(repr(1e-5), "1e-05");
  EXPECT_EQ(repr(0.0001), "0.0001");
  EXPECT_EQ(repr(1.0 / 3.0), "0.3333333333333333");
  EXPECT_EQ(repr(HUGE_VAL), "inf");
  EXPECT_EQ(repr(std::nan("")), "nan");
  EXPECT_EQ(repr(2.5e-308), "2.5e-308");
  EXPECT_EQ(repr(5.960464477539063e-08), "5.960464477539063e-08");  // 2**-24: ...0625 ties to ...062, which misses
  EXPECT_EQ(repr(9007199254740993.0), "9007199254740992.0");
}

TEST(Runtime, IntTrueDivisionIsCorrectlyRounded) {
  EXPECT_EQ(pv_int_truediv(7, 2), 3.5);
  EXPECT_EQ(pv_int_truediv(1, int64_t(1) << 62), std::ldexp(1.0, -62));
  EXPECT_EQ(pv_int_truediv(3, 9007199254740993), 3.330669073875469e-16);  // CPython's 3 / (2**53 + 1)
  EXPECT_EQ(pv_int_truediv(INT64_MIN, 1), -9223372036854775808.0);
  EXPECT_EQ(pv_int_truediv(INT64_MAX, 3), 3.0744573456182584e+18);
}

TEST(Runtime, IntFloatComparisonIsExact) {
  EXPECT_EQ(pv_cmp_int_float((int64_t(1) << 53) + 1, 9007199254740992.0), 1);
  EXPECT_EQ(pv_cmp_int_float(3, 3.0), 0);
  EXPECT_EQ(pv_cmp_int_float(3, 3.5), -1);
  EXPECT_EQ(pv_cmp_int_float(INT64_MAX, 9223372036854775808.0), -1);
  EXPECT_EQ(pv_cmp_int_float(0, std::nan("")), 2);
}

TEST(Runtime, FloatDivmodSigns) {
  PvCtx c = fresh();
  EXPECT_EQ(pv_float_mod(&c, -7.5, 2.0, "f", 1), 0.5);
  EXPECT_EQ(pv_float_floordiv(&c, -7.5, 2.0, "f", 1), -4.0);
  EXPECT_TRUE(std::signbit(pv_float_mod(&c, 0.0, -2.0, "f", 1)));
  pv_float_mod(&c, 1.0, 0.0, "f", 3);
  EXPECT_EQ(c.status, PV_ZERO_DIVISION);
  EXPECT_STREQ(c.message, "float modulo");
  EXPECT_EQ(c.line, 3);
}

TEST(Runtime, RaiseClearsTheFileAndFramesKeepTheirs) {
  PvCtx c = fresh();
  c.file = "stale.py";
  pv_raise(&c, PV_VALUE_ERROR, "bad", "g", 7);
  EXPECT_EQ(c.file, nullptr);  // the raising function's unwind path stores its own
  pv_traceback_push(&c, "f", "caller.py", 3);
  ASSERT_EQ(c.nframes, 1);
  EXPECT_STREQ(c.frames[0].function, "f");
  EXPECT_STREQ(c.frames[0].file, "caller.py");
  EXPECT_EQ(c.frames[0].line, 3);
}

TEST(Runtime, PowRules) {
  PvCtx c = fresh();
  EXPECT_EQ(pv_int_pow(&c, 2, 62, "f", 1), int64_t(1) << 62);
  EXPECT_EQ(pv_int_pow(&c, 0, 0, "f", 1), 1);
  pv_int_pow(&c, 2, 63, "f", 1);
  EXPECT_EQ(c.status, PV_INT_OVERFLOW);
  c = fresh();
  pv_float_pow(&c, 0.0, -1.0, "f", 1);
  EXPECT_EQ(c.status, PV_ZERO_DIVISION);
  c = fresh();
  pv_float_pow(&c, -8.0, 0.5, "f", 1);
  EXPECT_EQ(c.status, PV_DEOPT);  // complex in CPython
  c = fresh();
  pv_float_pow(&c, 10.0, 400.0, "f", 1);
  EXPECT_EQ(c.status, PV_OVERFLOW_ERROR);
}

TEST(Runtime, FloatToIntAndRound) {
  PvCtx c = fresh();
  EXPECT_EQ(pv_float_to_int(&c, -2.7, "f", 1), -2);
  pv_float_to_int(&c, std::nan(""), "f", 1);
  EXPECT_EQ(c.status, PV_VALUE_ERROR);
  c = fresh();
  pv_float_to_int(&c, 1e19, "f", 1);
  EXPECT_EQ(c.status, PV_INT_OVERFLOW);
  c = fresh();
  EXPECT_EQ(pv_round_ndigits(&c, 0.125, 2, "f", 1), 0.12);
  EXPECT_EQ(pv_round_ndigits(&c, 2.675, 2, "f", 1), 2.67);
}

// Negative ndigits: the exact decimal value rounds half to even (double_round, long_round).
TEST(Runtime, RoundNegativeNdigits) {
  PvCtx c = fresh();
  EXPECT_EQ(pv_round_ndigits(&c, 25.0, -1, "f", 1), 20.0);
  EXPECT_EQ(pv_round_ndigits(&c, 35.0, -1, "f", 1), 40.0);
  EXPECT_EQ(pv_round_ndigits(&c, 25.000000000000004, -1, "f", 1), 30.0);
  EXPECT_EQ(pv_round_ndigits(&c, 999.5, -3, "f", 1), 1000.0);
  EXPECT_TRUE(std::signbit(pv_round_ndigits(&c, -1.0, -5, "f", 1)));
  EXPECT_EQ(pv_round_ndigits(&c, 2.5e22, -22, "f", 1), 2e22);
  EXPECT_EQ(c.status, PV_OK);
  pv_round_ndigits(&c, 1.7976931348623157e308, -308, "f", 7);
  EXPECT_EQ(c.status, PV_OVERFLOW_ERROR);
  EXPECT_STREQ(c.message, "rounded value too large to represent");
  c = fresh();
  EXPECT_EQ(pv_int_round(&c, 25, -1, "f", 1), 20);
  EXPECT_EQ(pv_int_round(&c, -35, -1, "f", 1), -40);
  EXPECT_EQ(pv_int_round(&c, 149, -2, "f", 1), 100);
  EXPECT_EQ(pv_int_round(&c, 12345, 3, "f", 1), 12345);
  EXPECT_EQ(pv_int_round(&c, 5000000000000000000, -19, "f", 1), 0);
  EXPECT_EQ(pv_int_round(&c, INT64_MIN, -25, "f", 1), 0);
  EXPECT_EQ(c.status, PV_OK);
  pv_int_round(&c, INT64_MAX, -1, "f", 1);  // 9223372036854775810
  EXPECT_EQ(c.status, PV_INT_OVERFLOW);
}

TEST(Runtime, PrintBuildsOneLine) {
  static std::string captured;
  pv_set_write_hook([](const char *d, size_t n) {
    captured.append(d, n);
    return 0;
  });
  pv_print_int(-3);
  pv_print_str(" ", 1);
  pv_print_float(0.5);
  pv_print_str("\0|", 2);  // a Python str may hold NUL: (pointer, length), never strlen
  pv_print_bool(1);
  pv_print_str(" ", 1);
  pv_print_none();
  PvCtx c = fresh();
  EXPECT_EQ(pv_print_end(&c, "\0\n", 2, "f", 1), 0);
  pv_set_write_hook(nullptr);
  EXPECT_EQ(captured, std::string("-3 0.5\0|True None\0\n", 19));
}

// A line with a lone surrogate is written as CPython's print writes: one piece per write, and
// nothing after the write that failed.
TEST(Runtime, PrintWithSurrogateWritesPieceByPiece) {
  static std::vector<std::string> writes;
  pv_set_write_hook([](const char *d, size_t n) {
    writes.emplace_back(d, n);
    return writes.size() == 3 ? -1 : 0;
  });
  pv_print_int(7);
  pv_print_str("\xed\xa0\x80", 3);  // U+D800, surrogatepass
  pv_print_str("x", 1);
  pv_print_str("y", 1);
  PvCtx c = fresh();
  EXPECT_EQ(pv_print_end(&c, "\n", 1, "f", 9), 1);
  pv_set_write_hook(nullptr);
  EXPECT_EQ(writes, (std::vector<std::string>{"7", "\xed\xa0\x80", "x"}));
  EXPECT_EQ(c.status, PV_PYTHON_ERROR);
  EXPECT_EQ(c.line, 9);
}
