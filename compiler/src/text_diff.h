// A line diff of two texts in the unified format (text_diff.cpp).
#pragma once

#include <string>
#include <vector>

namespace pyvorin {

struct LineDiff {
  std::string text;  // hunks: "@@ -a,n +b,m @@" then lines prefixed ' ', '-' or '+'
  int added = 0, removed = 0;
};

LineDiff diff_lines(const std::string &before, const std::string &after, int context = 3);

}  // namespace pyvorin
