// Routing around xpyt::interpreter: extension loading at start, interrupt scope around execution,
// C++ failures and silent IPython failures turned into error replies.
#include "interpreter.hpp"

#include <Python.h>

#include <exception>
#include <iostream>
#include <vector>

#include "interrupt.hpp"
#include "pybind11/eval.h"
#include "xeus-python/xeus_python_config.hpp"

namespace py = pybind11;

namespace xpyvorin {
namespace {

nl::json error_reply(const std::string &ename, const std::string &evalue,
                     std::vector<std::string> traceback) {
  return {{"status", "error"}, {"ename", ename}, {"evalue", evalue}, {"traceback", traceback},
          {"payload", nl::json::array()}, {"user_expressions", nl::json::object()}};
}

}  // namespace

void interpreter::configure_impl() {
  xpyt::interpreter::configure_impl();
  name_errors_like_ipykernel();
  load_pyvorin_extension();
}

void interpreter::name_errors_like_ipykernel() {
  // xeus-python records str(etype) ("<class 'ZeroDivisionError'>") as the error's ename, in the
  // reply and on iopub; Jupyter clients expect the bare class name, as ipykernel sends.
  py::gil_scoped_acquire acquire;
  py::dict scope;
  scope["shell"] = m_ipython_shell;
  py::exec(R"(
def _xpyvorin_showtraceback(etype, evalue, stb, _shell=shell):
    name = etype.__name__ if isinstance(etype, type) else str(etype)
    _shell.last_error = [name, str(evalue), stb]
shell._showtraceback = _xpyvorin_showtraceback
)", scope);
}

void interpreter::load_pyvorin_extension() {
  py::gil_scoped_acquire acquire;
  try {
    m_ipython_shell.attr("extension_manager").attr("load_extension")("pyvorin");
    // load_extension returns an error string for a missing module instead of raising.
    py::module_ sys = py::module_::import("sys");
    if (!sys.attr("modules").contains("pyvorin")) m_extension_error = "module 'pyvorin' not found";
  } catch (py::error_already_set &e) {
    m_extension_error = e.what();
  }
  if (!m_extension_error.empty())
    std::clog << "xpyvorin: %%pyvorin unavailable: " << m_extension_error << std::endl;
}

nl::json interpreter::execute_request_impl(int execution_counter, const std::string &code,
                                           bool silent, bool store_history,
                                           nl::json user_expressions, bool allow_stdin) {
  {
    // Drop a KeyboardInterrupt that a thread started by user code caught while we were idle.
    py::gil_scoped_acquire acquire;
    PyOS_InterruptOccurred();
  }
  try {
    nl::json reply;
    {
      executing_scope scope;
      reply = xpyt::interpreter::execute_request_impl(execution_counter, code, silent,
                                                      store_history, std::move(user_expressions),
                                                      allow_stdin);
    }
    mark_silent_failure(reply);
    return reply;
  } catch (py::error_already_set &e) {
    py::gil_scoped_acquire acquire;
    std::string message = e.what();
    std::vector<std::string> traceback = {"xpyvorin: internal error: " + message};
    if (!silent) publish_execution_error("InternalError", message, traceback);
    return error_reply("InternalError", message, traceback);
  } catch (std::exception &e) {
    std::vector<std::string> traceback = {std::string("xpyvorin: internal error: ") + e.what()};
    if (!silent) publish_execution_error("InternalError", e.what(), traceback);
    return error_reply("InternalError", e.what(), traceback);
  }
}

void interpreter::mark_silent_failure(nl::json &reply) {
  if (reply.value("status", "") != "ok") return;
  py::gil_scoped_acquire acquire;
  try {
    if (py::bool_(m_ipython_shell.attr("last_execution_succeeded"))) return;
    py::object result = m_ipython_shell.attr("last_execution_result");
    py::object error = result.attr("error_in_exec");
    if (error.is_none()) error = result.attr("error_before_exec");
    if (error.is_none()) return;
    reply["status"] = "error";
    reply["ename"] = py::str(error.get_type().attr("__name__")).cast<std::string>();
    reply["evalue"] = py::str(error).cast<std::string>();
    reply["traceback"] = nl::json::array();
  } catch (py::error_already_set &) {
    PyErr_Clear();
  }
}

nl::json interpreter::kernel_info_request_impl() {
  nl::json info = xpyt::interpreter::kernel_info_request_impl();
  info["implementation"] = "xpyvorin";
  info["implementation_version"] = XPYVORIN_VERSION;
  std::string banner = "Pyvorin " XPYVORIN_VERSION
                       ": Python compiled to native code, inside Jupyter\n"
                       "xeus-python " XPYT_VERSION ", Python " PY_VERSION "\n"
                       "Start a cell with %%pyvorin to compile its functions; %pyvorin --help\n";
  if (!m_extension_error.empty()) banner += "WARNING: %%pyvorin is unavailable: " + m_extension_error + "\n";
  info["banner"] = banner;
  info["debugger"] = false;
  // As ipykernel declares them: front ends then highlight %magics and %%pyvorin cells as IPython.
  info["language_info"]["codemirror_mode"] = {{"name", "ipython"}, {"version", 3}};
  info["language_info"]["pygments_lexer"] = "ipython3";
  info["language_info"]["nbconvert_exporter"] = "python";
  info["help_links"] = nl::json::array(
      {{{"text", "Python"}, {"url", "https://docs.python.org/3.11/"}},
       {{"text", "xeus-python"}, {"url", "https://xeus-python.readthedocs.io"}}});
  return info;
}

}  // namespace xpyvorin
