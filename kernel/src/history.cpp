// history_request: tail, range (start inclusive, stop exclusive, as IPython) and glob search.
#include "history.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <set>

namespace xpyvorin {

void history_manager::store_inputs_impl(int, int, const std::string &input, const std::string &) {
  int line = m_entries.empty() ? 1 : m_entries.back().line + 1;
  m_entries.push_back({line, input});
}

nl::json history_manager::row(const entry &e, bool output) const {
  if (output) return nl::json::array({m_session, e.line, nl::json::array({e.input, nullptr})});
  return nl::json::array({m_session, e.line, e.input});
}

nl::json history_manager::reply(nl::json history) {
  return {{"status", "ok"}, {"history", std::move(history)}};
}

nl::json history_manager::get_tail_impl(int n, bool, bool output) const {
  nl::json history = nl::json::array();
  size_t count = n < 0 ? m_entries.size() : std::min(m_entries.size(), static_cast<size_t>(n));
  for (size_t i = m_entries.size() - count; i < m_entries.size(); ++i)
    history.push_back(row(m_entries[i], output));
  return reply(std::move(history));
}

nl::json history_manager::get_range_impl(int session, int start, int stop, bool, bool output) const {
  nl::json history = nl::json::array();
  if (session != 0 && session != m_session) return reply(std::move(history));
  for (const auto &e : m_entries)
    if (e.line >= start && (stop <= 0 || e.line < stop)) history.push_back(row(e, output));
  return reply(std::move(history));
}

nl::json history_manager::search_impl(const std::string &pattern, bool, bool output, int n,
                                      bool unique) const {
  // Newest first while collecting, so `unique` keeps the latest of equal inputs and `n` the most
  // recent matches; then back to chronological order.
  std::vector<const entry *> found;
  std::set<std::string> seen;
  for (auto it = m_entries.rbegin(); it != m_entries.rend(); ++it) {
    if (fnmatch(pattern.c_str(), it->input.c_str(), 0) != 0) continue;
    if (unique && !seen.insert(it->input).second) continue;
    found.push_back(&*it);
    if (n > 0 && static_cast<int>(found.size()) >= n) break;
  }
  nl::json history = nl::json::array();
  for (auto it = found.rbegin(); it != found.rend(); ++it) history.push_back(row(**it, output));
  return reply(std::move(history));
}

}  // namespace xpyvorin
