// _pyvorin: the Python extension module. Binds the compiler (compile_unit, check), the Dispatcher
// type, the print hook to sys.stdout, and the magics' C++ side. Dicts cross the boundary as JSON
// values (pybind11_json).
#include <pthread.h>

#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11_json/pybind11_json.hpp>

#include "dispatcher.h"
#include "pyvorin/compiler.h"
#include "pyvorin/magics.h"
#include "pyvorin_runtime.h"

namespace py = pybind11;

namespace {

using pyvorin::Binding;

// print() from compiled code goes through sys.stdout, so it interleaves with CPython's prints and
// is captured by Jupyter like any other output. The text is the str CPython would write: string
// literals keep their lone surrogates (parse.cpp encodes them with "surrogatepass"), and the
// stream's own error handler decides; if write raises, the exception propagates from the compiled
// function (the GIL is held: functions that print never release it).
int write_to_sys_stdout(const char *data, size_t size) {
  PyGILState_STATE state = PyGILState_Ensure();
  int status = 0;
  PyObject *out = PySys_GetObject("stdout");  // borrowed
  if (out && out != Py_None) {
    PyObject *text = PyUnicode_DecodeUTF8(data, Py_ssize_t(size), "surrogatepass");
    PyObject *r = text ? PyObject_CallMethod(out, "write", "O", text) : nullptr;
    if (!r) status = -1;
    Py_XDECREF(r);
    Py_XDECREF(text);
  }
  PyGILState_Release(state);
  return status;
}

pyvorin::FunctionSource source_from(const nlohmann::json &j) {
  pyvorin::FunctionSource s;
  s.name = j.at("name").get<std::string>();
  s.source = j.at("source").get<std::string>();
  s.filename = j.value("filename", std::string("<unknown>"));
  s.first_line = j.value("first_line", 1);
  s.globals_address = j.value("globals_address", uint64_t(0));
  return s;
}

Binding::Kind binding_kind(const std::string &k) {
  if (k == "function") return Binding::Kind::Function;
  if (k == "math_module") return Binding::Kind::MathModule;
  if (k == "math_function") return Binding::Kind::MathFunction;
  if (k == "math_constant") return Binding::Kind::MathConstant;
  if (k == "builtin") return Binding::Kind::Builtin;
  if (k == "constant") return Binding::Kind::Constant;
  if (k == "object") return Binding::Kind::Object;
  if (k == "numpy_module") return Binding::Kind::NumpyModule;
  if (k == "numpy_type") return Binding::Kind::NumpyType;
  if (k == "cmath_module") return Binding::Kind::CmathModule;
  return Binding::Kind::Other;
}

// A constant global: "type" and "value" (the int, 0/1 for a bool, the float's IEEE bits, so a
// NaN keeps its sign), or a tuple's "items".
Binding constant_from(const nlohmann::json &bj) {
  Binding b;
  b.kind = Binding::Kind::Constant;
  b.detail = bj.value("detail", std::string());
  std::string type = bj.value("type", std::string("none"));
  if (type == "tuple") {
    b.value_type = pyvorin::TypeTag::Tuple;
    for (auto &item : bj.at("items")) b.items.push_back(constant_from(item));
    return b;
  }
  int64_t value = bj.value("value", int64_t(0));
  b.value_type = type == "int" ? pyvorin::TypeTag::Int
                 : type == "float" ? pyvorin::TypeTag::Float
                 : type == "bool" ? pyvorin::TypeTag::Bool
                                  : pyvorin::TypeTag::None;
  b.int_value = value;
  std::memcpy(&b.float_value, &value, sizeof value);
  return b;
}

// Runs f() with the GIL on a C stack of at least 4 MiB: LLVM's stages recurse deeply, and a
// thread made with a small threading.stack_size() would overflow. Such a thread hands f to a
// helper thread with a 16 MiB stack and waits for it without the GIL.
template <typename F>
auto on_big_stack(F &&f) -> decltype(f()) {
  constexpr long long kEnough = 4LL << 20;
  if (pyvorin::python::stack_room_bytes() >= kEnough) return f();
  using R = decltype(f());
  struct Job {
    F *f;
    std::optional<R> result;
    std::exception_ptr error;
  } job{&f, std::nullopt, nullptr};
  auto body = [](void *p) -> void * {
    auto *j = static_cast<Job *>(p);
    PyGILState_STATE state = PyGILState_Ensure();
    try {
      j->result.emplace((*j->f)());
    } catch (...) {
      j->error = std::current_exception();
    }
    PyGILState_Release(state);
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(16) << 20);
  pthread_t thread;
  int rc;
  Py_BEGIN_ALLOW_THREADS
  rc = pthread_create(&thread, &attr, body, &job);
  if (rc == 0) pthread_join(thread, nullptr);
  Py_END_ALLOW_THREADS
  pthread_attr_destroy(&attr);
  if (rc != 0) throw std::runtime_error("could not start a thread for the compiler: " + std::string(std::strerror(rc)));
  if (job.error) std::rethrow_exception(job.error);
  return std::move(*job.result);
}

// The bindings take and return Python objects and convert them on a big stack too: JSON
// conversion recurses, and in a sanitizer build its frames are large.
py::object check(py::object source) {
  return on_big_stack([&]() -> py::object {
    std::optional<pyvorin::Fallback> f = pyvorin::check_source(source_from(source.cast<nlohmann::json>()));
    if (!f) return py::none();
    return py::cast(pyvorin::fallback_to_json(*f));
  });
}

// The GIL is released for the LLVM stages; on the main thread, Ctrl-C (the SIGINT hook sets
// pv_interrupt_flag) cancels the compile and the signal's handler runs once the GIL is back.
struct PythonCompileHooks : pyvorin::CompileHooks {
  PyThreadState *saved = nullptr;
  bool main_thread = false;
  void release() override { saved = PyEval_SaveThread(); }
  void reacquire() override {
    if (saved) PyEval_RestoreThread(saved);
    saved = nullptr;
  }
  bool cancelled() override { return main_thread && pv_interrupt_flag; }
};

pyvorin::CompileRequest request_from(const nlohmann::json &request) {
  pyvorin::CompileRequest req;
  for (const auto &fj : request.at("functions")) {
    pyvorin::UnitFunction uf;
    uf.source = source_from(fj);
    const nlohmann::json globals = fj.value("globals", nlohmann::json::object());
    for (auto &[name, bj] : globals.items()) {
      Binding b;
      b.kind = binding_kind(bj.value("kind", std::string("other")));
      b.function_index = bj.value("index", -1);
      b.target = bj.value("target", std::string());
      b.detail = bj.value("detail", std::string());
      if (b.kind == Binding::Kind::Constant) b = constant_from(bj);
      if (b.kind == Binding::Kind::Object)
        for (int t : bj.at("tags")) b.value_tags.push_back(pyvorin::TypeTag(t));
      uf.globals[name] = b;
    }
    req.functions.push_back(std::move(uf));
  }
  for (int t : request.at("arg_types")) req.arg_types.push_back(pyvorin::TypeTag(t));
  const nlohmann::json opts = request.value("options", nlohmann::json::object());
  req.options.opt_level = opts.value("opt_level", 2);
  req.options.fast = opts.value("fast", false);
  req.options.asm_syntax = opts.value("asm_syntax", std::string("att"));
  return req;
}

py::dict result_dict(pyvorin::CompileResult &r);

py::dict compile_unit(py::object request_obj) {
  pyvorin::CompileRequest req = on_big_stack([&] { return request_from(request_obj.cast<nlohmann::json>()); });
  PythonCompileHooks hooks;
  hooks.main_thread = pyvorin::python::on_main_thread();
  req.hooks = &hooks;
  if (hooks.main_thread) pyvorin::python::ensure_sigint_hook();
  pv_interrupt_flag = 0;  // a Ctrl-C before this compile was handled (or is pending) in Python
  pyvorin::CompileResult r = on_big_stack([&] { return pyvorin::compile(req); });
  if (r.cancelled) {
    // The signal is pending in CPython: its handler runs as soon as this call returns
    // (KeyboardInterrupt by default); pyvorin._compile compiles again if the handler returns.
    py::dict out;
    out["cancelled"] = true;
    return out;
  }
  return on_big_stack([&] { return result_dict(r); });
}

py::dict result_dict(pyvorin::CompileResult &r) {
  py::dict out;
  out["ok"] = !r.fallback.has_value();
  out["report"] = py::object(py::cast(r.report));
  out["fallback"] = r.fallback ? py::object(py::cast(pyvorin::fallback_to_json(*r.fallback))) : py::object(py::none());
  if (r.entry.fn) {
    PyObject *code = pyvorin::python::make_native_code(r.entry.fn, std::move(r.entry.code));
    if (!code) throw py::error_already_set();
    out["code"] = py::reinterpret_steal<py::object>(code);
  } else {
    out["code"] = py::none();
  }
  out["ret"] = int(r.entry.ret);
  out["release_gil"] = r.entry.release_gil;
  out["pure"] = r.entry.pure;
  out["long_running"] = r.entry.long_running;
  out["numpy_scalars"] = r.entry.numpy_scalars;
  out["frame_bytes"] = r.entry.frame_bytes;
  return out;
}

}  // namespace

PYBIND11_MODULE(_pyvorin, m) {
  m.doc() = "Pyvorin's compiler core (C++, LLVM " + pyvorin::llvm_version() + ")";
  if (pyvorin::python::add_dispatcher_type(m.ptr()) < 0) throw py::error_already_set();
  pv_set_write_hook(write_to_sys_stdout);
  m.attr("version") = PYVORIN_VERSION;
  m.attr("llvm_version") = pyvorin::llvm_version();
  m.def("check", &check, py::arg("source"),
        "Parse, normalise and check one function source; returns a fallback dict or None.");
  m.def("ast_dump",
        [](py::object source) {
          return on_big_stack([&] { return pyvorin::dump_source_ast(source_from(source.cast<nlohmann::json>())); });
        },
        py::arg("source"), "The parsed tree of one function source, as text.");
  m.def(
      "type_tags",
      [](py::handle obj) -> py::object {
        std::vector<int> tags;
        if (!pyvorin::python::type_tags_of(obj.ptr(), tags)) return py::none();
        return py::tuple(py::cast(tags));
      },
      py::arg("obj"), "The flattened type tags of a container or str (as an argument), or None.");
  m.def("compile_unit", &compile_unit, py::arg("request"), "Run the whole pipeline for one specialisation.");
  m.def("emit_assembly",
        [](const std::string &ir, const std::string &syntax, int opt_level) {
          return on_big_stack([&] {
            py::gil_scoped_release release;  // LLVM only: other threads go on
            return pyvorin::emit_assembly(ir, syntax, opt_level);
          });
        },
        py::arg("ir"), py::arg("syntax") = "att", py::arg("opt_level") = 2, "Assembly text for an LLVM IR module text.");
  m.def("pass_steps",
        [](const std::string &ir, int opt_level) {
          return on_big_stack([&]() -> py::object {
            nlohmann::json steps;
            {
              py::gil_scoped_release release;  // LLVM only
              steps = pyvorin::pass_steps(ir, opt_level);
            }
            return py::cast(steps);
          });
        },
        py::arg("ir"), py::arg("opt_level") = 2,
        "The optimisation pipeline on an IR text, with each function's text after every pass that changed it.");
  m.def("cfg_graphs",
        [](const std::string &ir) {
          return on_big_stack([&]() -> py::object {
            nlohmann::json graphs;
            {
              py::gil_scoped_release release;  // LLVM only
              graphs = pyvorin::cfg_graphs(ir);
            }
            return py::cast(graphs);
          });
        },
        py::arg("ir"), "The control-flow graph of each function of an IR text.");
  m.def("complete_report",
        [](py::object report_obj) {
          return on_big_stack([&]() -> py::object {
            nlohmann::json report = report_obj.cast<nlohmann::json>();
            {
              py::gil_scoped_release release;  // LLVM only, on a C++ copy of the report
              pyvorin::complete_report(report);
            }
            return py::cast(report);
          });
        },
        py::arg("report"), "The report with its assembly and line map filled in.");
  m.def("jit_live_objects", &pyvorin::jit_live_objects,
        "How many compiled objects the process's JIT holds (each freed with its last user).");
  m.def("set_disabled", &pyvorin::python::set_disabled, py::arg("disabled"));
  m.def("is_disabled", &pyvorin::python::is_disabled);
  m.def("ensure_sigint_hook", &pyvorin::python::ensure_sigint_hook,
        "Install the SIGINT hook that stops native loops (it chains to the current handler).");
  pyvorin::magics::bind(m);
}
