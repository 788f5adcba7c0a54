// In-memory execution history answering history_request in the shape the messaging spec (and
// jupyter_kernel_test) expects: integer session and line numbers, (input, output) pairs when
// output is requested. xeus' stock manager returns strings and 4-element entries.
#pragma once

#include <string>
#include <vector>

#include "xeus/xhistory_manager.hpp"

namespace xpyvorin {

class history_manager final : public xeus::xhistory_manager {
public:
  history_manager() = default;

private:
  struct entry {
    int line;
    std::string input;
  };

  void configure_impl() override {}
  // xeus passes the request's execution_count, which clients do not send; lines are numbered here.
  void store_inputs_impl(int session, int line_num, const std::string &input,
                         const std::string &output) override;
  nl::json get_tail_impl(int n, bool raw, bool output) const override;
  nl::json get_range_impl(int session, int start, int stop, bool raw, bool output) const override;
  nl::json search_impl(const std::string &pattern, bool raw, bool output, int n,
                       bool unique) const override;

  nl::json row(const entry &e, bool output) const;
  static nl::json reply(nl::json history);

  static constexpr int m_session = 1;  // one session per kernel process; 0 in requests means "this one"
  std::vector<entry> m_entries;
};

}  // namespace xpyvorin
