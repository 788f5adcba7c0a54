// GoogleTest main: starts an embedded Python interpreter once (the parser uses CPython's ast).
#include <gtest/gtest.h>
#include <pybind11/embed.h>

int main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  pybind11::scoped_interpreter python;
  return RUN_ALL_TESTS();
}
