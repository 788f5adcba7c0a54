// text_diff: a line diff of two texts in the unified format (`-` removed, `+` added, ` ` context),
// for the pass-by-pass IR view (pass_steps) and pyvorinc --emit passes.
#include "text_diff.h"

#include <algorithm>
#include <sstream>

namespace pyvorin {
namespace {

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

}  // namespace

LineDiff diff_lines(const std::string &before, const std::string &after, int context) {
  std::vector<std::string> a = split_lines(before), b = split_lines(after);
  // The common head and tail, then a longest common subsequence of the middle.
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;
  size_t n = a.size() - head - tail, m = b.size() - head - tail;
  // ops over the whole texts: ' ' kept, '-' removed (from a), '+' added (from b)
  std::vector<std::pair<char, const std::string *>> ops;
  for (size_t i = 0; i < head; ++i) ops.push_back({' ', &a[i]});
  if (n * m > 4'000'000) {  // too large for the table: the middle as removed, then added
    for (size_t i = 0; i < n; ++i) ops.push_back({'-', &a[head + i]});
    for (size_t j = 0; j < m; ++j) ops.push_back({'+', &b[head + j]});
  } else {
    std::vector<std::vector<uint32_t>> lcs(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
      for (size_t j = m; j-- > 0;)
        lcs[i][j] = a[head + i] == b[head + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a[head + i] == b[head + j]) {
        ops.push_back({' ', &a[head + i]});
        ++i, ++j;
      } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
        ops.push_back({'-', &a[head + i++]});
      } else {
        ops.push_back({'+', &b[head + j++]});
      }
    }
  }
  for (size_t i = a.size() - tail; i < a.size(); ++i) ops.push_back({' ', &a[i]});

  LineDiff d;
  // Hunks: changed lines with `context` lines around them, and an "@@ -l,n +l,n @@" header each.
  std::vector<size_t> changed;
  for (size_t k = 0; k < ops.size(); ++k)
    if (ops[k].first != ' ') changed.push_back(k);
  for (auto &op : ops) {
    if (op.first == '-') ++d.removed;
    if (op.first == '+') ++d.added;
  }
  std::ostringstream out;
  size_t k = 0;
  while (k < changed.size()) {
    size_t start = changed[k] > size_t(context) ? changed[k] - context : 0;
    size_t end = changed[k];
    while (k < changed.size() && changed[k] <= end + 2 * size_t(context) + 1) end = changed[k++];
    end = std::min(ops.size() - 1, end + context);
    // line numbers of the hunk's first line in each text
    size_t la = 1, lb = 1;
    for (size_t q = 0; q < start; ++q) {
      if (ops[q].first != '+') ++la;
      if (ops[q].first != '-') ++lb;
    }
    size_t na = 0, nb = 0;
    for (size_t q = start; q <= end; ++q) {
      if (ops[q].first != '+') ++na;
      if (ops[q].first != '-') ++nb;
    }
    // (an empty range names the line before it, as GNU diff does: "-0,0" at the start)
    out << "@@ -" << (na ? la : la - 1) << "," << na << " +" << (nb ? lb : lb - 1) << "," << nb << " @@\n";
    for (size_t q = start; q <= end; ++q) out << ops[q].first << *ops[q].second << "\n";
  }
  d.text = out.str();
  return d;
}

}  // namespace pyvorin
