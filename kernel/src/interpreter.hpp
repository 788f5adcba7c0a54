// The xpyvorin interpreter: xeus-python's IPython-based interpreter, plus routing only. It loads
// the `pyvorin` IPython extension (the same %%pyvorin implementation stock IPython gets with
// %load_ext pyvorin), scopes interrupts to running cells, and turns failures that xeus-python
// would not report into error replies. No compiler logic lives here.
#pragma once

#include <string>

#include "xeus-python/xinterpreter.hpp"

namespace xpyvorin {

class interpreter final : public xpyt::interpreter {
public:
  interpreter() = default;

private:
  void configure_impl() override;
  nl::json execute_request_impl(int execution_counter, const std::string &code, bool silent,
                                bool store_history, nl::json user_expressions,
                                bool allow_stdin) override;
  nl::json kernel_info_request_impl() override;

  // Error names in replies as ipykernel sends them ("ZeroDivisionError").
  void name_errors_like_ipykernel();
  // `import pyvorin` + load_ipython_extension, as %load_ext does; a failure is logged, not fatal.
  void load_pyvorin_extension();
  // Errors IPython reports without a traceback (UsageError from a magic) leave xeus-python's
  // last_error empty; ipykernel replies "error" for them, and so do we.
  void mark_silent_failure(nl::json &reply);

  std::string m_extension_error;  // why `pyvorin` could not be loaded, shown in the banner
};

}  // namespace xpyvorin
