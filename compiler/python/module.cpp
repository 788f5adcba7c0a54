// _pyvorin: the Python extension module. Binds the compiler (compile_unit, check), the Dispatcher
// type, the print hook to sys.stdout, and the magics' C++ side. Dicts cross the boundary as JSON
// values (pybind11_json).
#include <pthread.h>

#include <cstdlib>
#include <cstring>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <optional>
#include <stdexcept>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11_json/pybind11_json.hpp>

#include "dispatcher.h"
#include "sigint.h"
#include "pyvorin/compiler.h"
#include "pyvorin/disk_cache.h"
#include "pyvorin/export.h"
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

// The process's disk cache (made at first use, with $PYVORIN_CACHE_DIR and $PYVORIN_CACHE_SIZE as
// they are then; cache_configure changes both). Used under the GIL only.
// A compile holds its own reference (the GIL is released while it compiles, and another thread
// may configure another cache meanwhile).
std::shared_ptr<pyvorin::DiskCache> g_disk;
pyvorin::DiskCache &disk_cache() {
  if (!g_disk) g_disk = std::make_shared<pyvorin::DiskCache>();
  return *g_disk;
}

// The JIT's warm-up (pyvorin::warm_up) runs on a thread of its own from import; a fork waits for
// it (a child must not inherit LLVM's locks mid-use), and so does the interpreter's exit.
std::thread *g_warm_up = nullptr;
std::mutex g_warm_up_mutex;
void join_warm_up() {
  std::lock_guard<std::mutex> lock(g_warm_up_mutex);
  if (g_warm_up && g_warm_up->joinable()) g_warm_up->join();
}
void start_warm_up() {
  const char *env = std::getenv("PYVORIN_WARM_UP");
  if (env && std::string(env) == "0") return;
  std::lock_guard<std::mutex> lock(g_warm_up_mutex);
  try {
    g_warm_up = new std::thread([] { pyvorin::warm_up(); });
  } catch (const std::system_error &) {
    return;  // no thread: the first compile warms up itself
  }
  pthread_atfork(join_warm_up, nullptr, nullptr);
  Py_AtExit(join_warm_up);
}

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
  req.environment = request.value("environment", std::string());
  if (request.value("disk_cache", false)) req.disk_cache = &disk_cache();
  return req;
}

py::dict result_dict(pyvorin::CompileResult &r);

bool write_bytes(const std::string &path, const std::string &data, std::string &error) {
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  ok = std::fclose(f) == 0 && ok;
  if (!ok) error = "cannot write '" + path + "': " + std::strerror(errno);
  return ok;
}

// pyvorin.export / pyvorin.wasm: compile, write <dir>/<module>.o and .h, link the library or module.
py::dict export_unit(py::list items, const std::string &module, const std::string &output_dir, const std::string &target_name,
                     int opt_level, const std::string &runtime_archive, const std::string &library_name) {
  std::vector<pyvorin::ExportRequest> requests;
  for (py::handle item : items) {
    pyvorin::ExportRequest er;
    nlohmann::json j = py::reinterpret_borrow<py::object>(item).cast<nlohmann::json>();
    er.request = on_big_stack([&] { return request_from(j.at("request")); });
    er.params = j.value("params", std::vector<std::string>());
    requests.push_back(std::move(er));
  }
  pyvorin::ExportTarget target = target_name == "wasm32" ? pyvorin::ExportTarget::Wasm32 : pyvorin::ExportTarget::Host;
  pyvorin::ExportResult r = on_big_stack([&] { return pyvorin::export_object(requests, module, target, opt_level); });
  py::dict out;
  out["reports"] = py::cast(r.reports);
  py::list refused;
  for (auto &f : r.refused) refused.append(py::cast(pyvorin::fallback_to_json(f)));
  out["refused"] = refused;
  if (!r.refused.empty()) return out;
  py::list functions;
  for (auto &f : r.functions) functions.append(py::cast(pyvorin::to_json(f)));
  out["functions"] = functions;
  out["api"] = py::cast(r.api);
  std::string error;
  std::string object_path = output_dir + "/" + module + (target == pyvorin::ExportTarget::Host ? ".o" : ".wasm.o");
  std::string header_path = output_dir + "/" + module + ".h";
  std::string library_path = output_dir + "/" + library_name;
  if (!write_bytes(object_path, r.object, error) || !write_bytes(header_path, r.header, error)) throw std::runtime_error(error);
  bool linked;
  {
    py::gil_scoped_release release;
    linked = pyvorin::link_exported(r, object_path, library_path, runtime_archive, target, error);
  }
  if (!linked) throw std::runtime_error(error);
  out["object"] = object_path;
  out["header"] = header_path;
  out["library"] = library_path;
  return out;
}

py::dict compile_unit(py::object request_obj) {
  pyvorin::CompileRequest req = on_big_stack([&] { return request_from(request_obj.cast<nlohmann::json>()); });
  std::shared_ptr<pyvorin::DiskCache> hold = req.disk_cache ? g_disk : nullptr;  // alive for the whole compile
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
  out["cache"] = r.disk_status;
  out["warnings"] = py::cast(r.warnings);
  return out;
}

}  // namespace

PYBIND11_MODULE(_pyvorin, m) {
  m.doc() = "Pyvorin's compiler core (C++, LLVM " + pyvorin::llvm_version() + ")";
  if (pyvorin::python::add_dispatcher_type(m.ptr()) < 0) throw py::error_already_set();
  if (pyvorin::python::watch_signal_changes() < 0) throw py::error_already_set();
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
  m.def(
      "cache_configure",
      [](py::object dir, py::object limit) {
        std::string d = dir.is_none() ? (g_disk ? g_disk->dir() : std::string()) : dir.cast<std::string>();
        uint64_t l = limit.is_none() ? (g_disk ? g_disk->limit() : 0) : limit.cast<uint64_t>();
        g_disk = std::make_shared<pyvorin::DiskCache>(d, l);
        return py::make_tuple(g_disk->dir(), g_disk->limit());
      },
      py::arg("dir") = py::none(), py::arg("limit") = py::none(),
      "Use another disk cache directory and/or size limit (None keeps the current one).");
  m.def(
      "cache_update_report",
      [](const std::string &key, py::object fields) { return disk_cache().update_report(key, fields.cast<nlohmann::json>()); },
      py::arg("key"), py::arg("fields"), "Store fields made later (asm, line_map) in a disk cache entry's report.");
  m.def("cache_info", [] { return py::object(py::cast(disk_cache().info())); }, "The disk cache: dir, limit, entries, bytes.");
  m.def("cache_list", [] { return py::object(py::cast(disk_cache().list())); }, "The disk cache's entries.");
  m.def("cache_clear", [] { return disk_cache().clear(); }, "Removes every disk cache entry; returns how many.");
  m.def("cache_key",
        [](py::object request_obj) {
          pyvorin::CompileRequest req = request_from(request_obj.cast<nlohmann::json>());
          nlohmann::json inputs;
          std::string key = pyvorin::DiskCache::key_of(req, &inputs);
          return py::make_tuple(key, pyvorin::DiskCache::stem_of(key), py::cast(inputs));
        },
        py::arg("request"), "The disk cache key of a compile request, its entry's file stem and what was hashed.");
  m.def("parse_size",
        [](const std::string &text) -> py::object {
          auto n = pyvorin::DiskCache::parse_size(text);
          return n ? py::object(py::int_(*n)) : py::object(py::none());
        },
        py::arg("text"), "A size such as 512M or 1G in bytes, or None.");
  m.def("export_unit", &export_unit, py::arg("items"), py::arg("module"), py::arg("output_dir"), py::arg("target"),
        py::arg("opt_level"), py::arg("runtime_archive"), py::arg("library_name"),
        "Compile functions for export, write the object and C header, and link the library (or .wasm).");
  m.def("jit_live_objects", &pyvorin::jit_live_objects,
        "How many compiled objects the process's JIT holds (each freed with its last user).");
  m.def("set_disabled", &pyvorin::python::set_disabled, py::arg("disabled"));
  m.def("is_disabled", &pyvorin::python::is_disabled);
  m.def("ensure_sigint_hook", &pyvorin::python::ensure_sigint_hook,
        "Install the SIGINT hook that stops native loops (it chains to the current handler).");
  pyvorin::magics::bind(m);
  start_warm_up();
}
