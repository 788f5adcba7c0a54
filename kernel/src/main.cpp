// xpyvorin: the Pyvorin Jupyter kernel. Starts the embedded CPython (Debian's own, which finds its
// home by itself), then a xeus kernel whose interpreter is xeus-python's plus Pyvorin routing.
// The compiler is not linked here: the embedded Python imports the `pyvorin` package.
#include <signal.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>

#include "pybind11/embed.h"
#include "xeus/xeus_context.hpp"
#include "xeus/xkernel.hpp"
#include "xeus/xkernel_configuration.hpp"
#include "xeus/xserver_shell_main.hpp"
#include "xeus-python/xeus_python_config.hpp"
#include "xeus-python/xutils.hpp"
#include "zmq.hpp"

#include "history.hpp"
#include "interpreter.hpp"
#include "interrupt.hpp"

namespace py = pybind11;

namespace {

bool has_flag(int argc, char *argv[], const char *flag) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], flag) == 0) return true;
  return false;
}

// CPython with its usual configuration (environment honoured, so the kernelspec's PYTHONPATH
// applies), sys.executable pointing at the real interpreter (subprocesses, multiprocessing and
// pip-style tools expect a Python there), and Python's SIGINT handler
// installed: it is what turns an interrupt into KeyboardInterrupt.
void configure_python(PyConfig &config) {
  PyConfig_InitPythonConfig(&config);
  config.parse_argv = 0;
  config.install_signal_handlers = 1;
  PyConfig_SetBytesString(&config, &config.executable, XPYVORIN_PYTHON_EXECUTABLE);
  PyConfig_SetBytesString(&config, &config.program_name, XPYVORIN_PYTHON_EXECUTABLE);
}

// The build tree's package directory, so `xpyvorin` finds `pyvorin` even when started by hand.
void add_package_path() {
  py::module_ sys = py::module_::import("sys");
  py::list path = sys.attr("path");
  py::str dir(XPYVORIN_PACKAGE_PARENT);
  if (!path.contains(dir)) path.append(dir);
}

int run_kernel(const std::string &connection_file) {
  using context_type = xeus::xcontext_impl<zmq::context_t>;
  auto context = std::make_unique<context_type>();
  auto interp = std::make_unique<xpyvorin::interpreter>();
  auto history = std::make_unique<xpyvorin::history_manager>();

  if (connection_file.empty()) {
    xeus::xkernel kernel(xeus::get_user_name(), std::move(context), std::move(interp),
                         xeus::make_xserver_shell_main, std::move(history), nullptr);
    const auto &config = kernel.get_config();
    std::clog << "xpyvorin: no connection file; connect with this kernel.json:\n"
              << "{\"transport\": \"" << config.m_transport << "\", \"ip\": \"" << config.m_ip
              << "\", \"control_port\": " << config.m_control_port << ", \"shell_port\": "
              << config.m_shell_port << ", \"stdin_port\": " << config.m_stdin_port
              << ", \"iopub_port\": " << config.m_iopub_port << ", \"hb_port\": " << config.m_hb_port
              << ", \"signature_scheme\": \"" << config.m_signature_scheme << "\", \"key\": \""
              << config.m_key << "\"}" << std::endl;
    kernel.start();  // exits the process with 0 after a shutdown_request
    return 0;
  }
  xeus::xconfiguration config = xeus::load_configuration(connection_file);
  xeus::xkernel kernel(config, xeus::get_user_name(), std::move(context), std::move(interp),
                       xeus::make_xserver_shell_main, std::move(history), nullptr);
  kernel.start();
  return 0;
}

}  // namespace

int main(int argc, char *argv[]) {
  if (has_flag(argc, argv, "--version")) {
    std::cout << "xpyvorin " XPYVORIN_VERSION " (xeus-python " XPYT_VERSION ", Python " PY_VERSION ")"
              << std::endl;
    return 0;
  }
  // Started by a Jupyter front end: keep the log quiet (its streams may be gone, as in JupyterHub).
  if (std::getenv("JPY_PARENT_PID") != nullptr) std::clog.setstate(std::ios_base::failbit);
  xpyvorin::install_interrupt_routing();  // before any thread exists
  signal(SIGSEGV, xpyt::sigsegv_handler);

  PyConfig config;
  configure_python(config);
  // sys.argv is just the program: IPython's application would parse "-f FILE" as its own options.
  py::scoped_interpreter guard(&config, 1, argv, false);
  add_package_path();

  std::string connection_file = xpyt::extract_parameter("-f", argc, argv);
  try {
    return run_kernel(connection_file);
  } catch (const zmq::error_t &e) {
    // A signal can still interrupt a zmq call while the kernel is being torn down.
    if (e.num() == EINTR || e.num() == ETERM) return 0;
    std::cerr << "xpyvorin: " << e.what() << std::endl;
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "xpyvorin: " << e.what() << std::endl;
    return 1;
  }
}
