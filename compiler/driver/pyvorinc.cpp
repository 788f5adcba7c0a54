// pyvorinc: the command-line driver. Compiles one function of a Python file and prints a stage's
// output: the AST, the inference trace, LLVM IR before/after optimisation, assembly, or the report.
//   pyvorinc FILE.py --function NAME [--args int,float] [-O0..-O3] [--fast]
//            [--emit ast|types|ir|opt-ir|passes|asm|report|obj|so|h|wasm] [--asm-syntax att|intel] [-o OUT]
//   obj, so, h and wasm export (docs/export.md): --function may be given several times (each
//   followed by its own --args), and --module names the library (default: the file's name).
// Exit status: 0 on success, 1 when the file cannot be read, parsed or compiled (or OUT cannot be
// written), 2 for a usage error.
#include <pybind11/embed.h>
#include <pybind11/stl.h>
#include <pybind11_json/pybind11_json.hpp>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <iostream>
#include <optional>
#include <utility>
#include <vector>

#include "pyvorin/compiler.h"
#include "pyvorin/export.h"

namespace py = pybind11;

namespace {

int usage(const char *msg = nullptr) {
  if (msg) std::cerr << "pyvorinc: error: " << msg << "\n";
  std::cerr << "usage: pyvorinc FILE.py --function NAME [--args int,float,bool] [-O0|-O1|-O2|-O3] [--fast]\n"
               "                [--emit ast|types|ir|opt-ir|passes|asm|report|obj|so|h|wasm] [--asm-syntax att|intel] [-o OUT]\n"
               "                [--module NAME] (obj, so, h, wasm: --function NAME [--args TYPES] may repeat)\n";
  return 2;
}

int fail(const std::string &msg) {
  std::cerr << "pyvorinc: error: " << msg << "\n";
  return 1;
}

// The bytes of `path`, or nullopt with `error` saying why not (the OS error, or that it is a
// directory: open() succeeds on one, and reading it would look like an empty file).
std::optional<std::string> read_file(const std::string &path, std::string &error) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    error = "cannot read '" + path + "': " + std::strerror(errno);
    return std::nullopt;
  }
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    error = "'" + path + "' is a directory, not a Python source file";
    return std::nullopt;
  }
  std::string data;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      error = "cannot read '" + path + "': " + std::strerror(errno);
      ::close(fd);
      return std::nullopt;
    }
    data.append(buf, size_t(n));
  }
  ::close(fd);
  return data;
}

// Writes text to `path`; false with `error` naming the path and the OS error (also for a failed
// final flush, e.g. a full disk).
bool write_file(const std::string &path, const std::string &text, std::string &error) {
  std::FILE *f = std::fopen(path.c_str(), "wb");
  if (!f) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  int saved = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok) error = "cannot write '" + path + "': " + std::strerror(saved);
  return ok;
}

// Top-level defs of the file: name, source text (with decorators), first line, annotations; and
// its constants: a top-level `NAME = literal` (an int, float, bool or None, optionally negated)
// that is the only binding of NAME in module scope and that no `global NAME` can rebind. Each is
// (name, type, value, repr), value as the jit passes it (a float's IEEE bits); an int beyond int64
// and any other name bound in module scope is (name, "other", 0, reason): PV301, not PV300.
// The bytes are parsed as `import` compiles a module: a UTF-8 BOM and a PEP 263 coding cookie
// are honoured, and an unknown encoding, a BOM with a cookie other than utf-8, or undecodable
// source are CPython's SyntaxError. The text is then decoded with the same encoding (universal
// newlines, and only "\n" ends a line, as for the tokenizer) to cut out each function's source.
const char *kScan = R"PY(
import ast, io, struct, tokenize
def module_scope(node):
    for child in ast.iter_child_nodes(node):
        yield child
        if not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            yield from module_scope(child)
def constants(tree):
    bound, rebindable = {}, set()
    def bind(name):
        bound[name] = bound.get(name, 0) + 1
    for n in ast.walk(tree):
        if isinstance(n, (ast.Global, ast.Nonlocal)):
            rebindable.update(n.names)
    for n in module_scope(tree):
        if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load):
            bind(n.id)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bind(n.name)
        elif isinstance(n, (ast.Import, ast.ImportFrom)):
            for a in n.names:
                if a.name == "*":
                    return []
                bind(a.asname or a.name.split(".")[0])
        elif isinstance(n, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and n.name:
            bind(n.name)
        elif isinstance(n, ast.MatchMapping) and n.rest:
            bind(n.rest)
    out, done = [], set()
    for st in tree.body:  # import numpy (as np), import pyvorin: the modules whose calls compile
        if isinstance(st, ast.Import):
            for a in st.names:
                name = a.asname or a.name
                if a.name in ("numpy", "pyvorin") and bound.get(name) == 1 and name not in rebindable:
                    done.add(name)
                    out.append((name, "numpy", 0, "module " + a.name))
    for st in tree.body:
        if isinstance(st, ast.Assign):
            targets, value = st.targets, st.value
        elif isinstance(st, ast.AnnAssign) and st.value is not None and st.simple:
            targets, value = [st.target], st.value
        else:
            continue
        if isinstance(value, ast.UnaryOp) and isinstance(value.op, (ast.USub, ast.UAdd)):
            literal = isinstance(value.operand, ast.Constant) and type(value.operand.value) in (int, float)
        else:
            literal = isinstance(value, ast.Constant) and (value.value is None or type(value.value) in (int, float, bool))
        if not literal:
            continue
        v = ast.literal_eval(value)
        for t in targets:
            if not isinstance(t, ast.Name) or bound.get(t.id) != 1 or t.id in rebindable:
                continue
            done.add(t.id)
            if v is None:
                out.append((t.id, "none", 0, "None"))
            elif type(v) is float:
                out.append((t.id, "float", struct.unpack("<q", struct.pack("<d", v))[0], repr(v)))
            elif type(v) is int and not -2**63 <= v < 2**63:
                out.append((t.id, "other", 0, "an int that does not fit in 64 bits"))
            else:
                out.append((t.id, type(v).__name__, int(v), repr(v)))
    for name in sorted(set(bound) - done):
        out.append((name, "other", 0, "not a constant for pyvorinc, "
                                       "which is a top-level NAME = literal bound nowhere else"))
    return out
def scan(data, filename):
    try:
        tree = ast.parse(data, filename)
    except SyntaxError as e:
        where = filename if not e.lineno else "%s:%d" % (filename, e.lineno)
        return "%s: SyntaxError: %s" % (where, e.msg)
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    # "replace": CPython accepts undecodable bytes in comments; they never reach the compiler.
    lines = io.StringIO(data.decode(encoding, "replace"), newline=None).readlines()
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            src = "".join(lines[first - 1:node.end_lineno])
            ann = []
            for a in node.args.args:
                ann.append(ast.unparse(a.annotation) if a.annotation is not None else "")
            out.append((node.name, src, first, ann, [a.arg for a in node.args.args]))
    return out, constants(tree)
)PY";

using BuildFn = std::function<int(const std::string &, const std::string &, pyvorin::CompileRequest &, std::vector<std::string> &)>;

// The export runtime archive for a target: $PYVORIN_EXPORT_RUNTIME_DIR, else the package
// directory beside this executable (build/bin -> build/python/pyvorin).
std::string runtime_archive(bool wasm) {
  std::string dir;
  if (const char *d = std::getenv("PYVORIN_EXPORT_RUNTIME_DIR"); d && *d) {
    dir = d;
  } else {
    char buf[4096];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    std::string exe = n > 0 ? std::string(buf, size_t(n)) : std::string();
    dir = exe.substr(0, exe.find_last_of('/')) + "/../python/pyvorin";
  }
  return dir + (wasm ? "/libpyvorin_export_wasm.a" : "/libpyvorin_export.a");
}

// --emit obj|so|h|wasm: every --function into one library (docs/export.md).
int export_functions(const BuildFn &build, const std::vector<std::pair<std::string, std::string>> &targets, const std::string &file,
                     std::string module, const std::string &emit, std::string out_path, const pyvorin::Options &options) {
  if (module.empty()) {
    std::string base = file.substr(file.find_last_of('/') == std::string::npos ? 0 : file.find_last_of('/') + 1);
    module = pyvorin::export_identifier(base.substr(0, base.rfind(".py") == base.size() - 3 ? base.size() - 3 : base.size()));
  }
  std::vector<pyvorin::ExportRequest> requests;
  for (auto &[function, args] : targets) {
    pyvorin::ExportRequest er;
    if (int status = build(function, args, er.request, er.params); status >= 0) return status;
    requests.push_back(std::move(er));
  }
  const bool wasm = emit == "wasm";
  pyvorin::ExportResult r =
      pyvorin::export_object(requests, module, wasm ? pyvorin::ExportTarget::Wasm32 : pyvorin::ExportTarget::Host, options.opt_level);
  if (!r.refused.empty()) {
    for (auto &f : r.refused) std::cerr << f.render() << "\n";
    return 1;
  }
  std::string error;
  if (emit == "h") {
    if (out_path.empty()) {
      std::cout << r.header << std::flush;
      return std::cout ? 0 : fail("cannot write to standard output: " + std::string(std::strerror(errno)));
    }
    return write_file(out_path, r.header, error) ? 0 : fail(error);
  }
  if (emit == "obj") {
    if (out_path.empty()) out_path = module + ".o";
    return write_file(out_path, r.object, error) ? 0 : fail(error);
  }
  // so / wasm: the object beside the library, then the link
  if (out_path.empty()) out_path = wasm ? module + ".wasm" : "lib" + module + ".so";
  std::string object_path = out_path + ".o";
  if (!write_file(object_path, r.object, error)) return fail(error);
  bool ok = pyvorin::link_exported(r, object_path, out_path, runtime_archive(wasm), wasm ? pyvorin::ExportTarget::Wasm32 : pyvorin::ExportTarget::Host,
                                   error);
  std::remove(object_path.c_str());
  if (!ok) return fail(error);
  std::string dir = out_path.find_last_of('/') == std::string::npos ? "" : out_path.substr(0, out_path.find_last_of('/') + 1);
  if (!write_file(dir + module + ".h", r.header, error)) return fail(error);
  if (!wasm) return 0;
  // The JavaScript loader and the demo page, from the package's templates (pyvorin/wasm_js.py,
  // which pyvorin.wasm uses too), loaded on their own: the package itself is not imported.
  std::string archive = runtime_archive(true);
  std::string templates = archive.substr(0, archive.find_last_of('/')) + "/wasm_js.py";
  std::string base = out_path.substr(dir.size());
  std::string stem = base.size() > 5 && base.compare(base.size() - 5, 5, ".wasm") == 0 ? base.substr(0, base.size() - 5) : base;
  py::list functions;
  for (auto &f : r.functions) {
    nlohmann::json j = pyvorin::to_json(f);
    j["jsName"] = f.name;
    functions.append(py::cast(j));
  }
  py::dict spec;
  spec["module"] = module;
  spec["wasm"] = base;
  spec["lastError"] = module + "_last_error";
  spec["functions"] = functions;
  py::module_ util = py::module_::import("importlib.util");
  py::object loaded = util.attr("spec_from_file_location")("pyvorin_wasm_js", templates);
  if (loaded.is_none() || !py::module_::import("os").attr("path").attr("exists")(templates).cast<bool>())
    return fail("the WebAssembly loader's templates are missing (" + templates + ")");
  py::object js = util.attr("module_from_spec")(loaded);
  loaded.attr("loader").attr("exec_module")(js);
  if (!write_file(dir + stem + ".js", js.attr("loader")(spec, PYVORIN_VERSION).cast<std::string>(), error) ||
      !write_file(dir + stem + ".html", js.attr("page")(spec, stem + ".js").cast<std::string>(), error))
    return fail(error);
  return 0;
}

}  // namespace

int main(int argc, char **argv) {
  std::string file, function, args_spec, emit = "opt-ir", syntax = "att", out_path, module;
  std::vector<std::pair<std::string, std::string>> targets;  // (function, args) for export
  std::string pending_args;  // an --args not yet followed by its --function
  pyvorin::Options options;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char *name) -> std::string {
      if (i + 1 >= argc) {
        usage((std::string(name) + " needs a value").c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--function") {  // (an --args given before it is its own)
      targets.push_back({value("--function"), std::exchange(pending_args, std::string())});
      if (function.empty()) {
        function = targets.back().first;
        args_spec = targets.back().second;
      }
    } else if (a == "--args") {
      std::string v = value("--args");
      if (targets.empty() || !targets.back().second.empty()) pending_args = v;
      else targets.back().second = v;
      if (targets.size() <= 1 && (targets.empty() || targets.back().second == v)) args_spec = v;
    } else if (a == "--module") module = value("--module");
    else if (a == "--emit") emit = value("--emit");
    else if (a == "--asm-syntax") syntax = value("--asm-syntax");
    else if (a == "-o") out_path = value("-o");
    else if (a == "--fast") options.fast = true;
    else if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') options.opt_level = a[2] - '0';
    else if (a.compare(0, 2, "-O") == 0) return usage(("the optimisation level must be -O0, -O1, -O2 or -O3; got " + a).c_str());
    else if (a == "-h" || a == "--help") return usage(), 0;
    else if (!a.empty() && a[0] == '-') return usage(("unknown option " + a).c_str());
    else if (!file.empty()) return usage(("one input file at a time; got '" + file + "' and '" + a + "'").c_str());
    else file = a;
  }
  if (!pending_args.empty()) {
    if (targets.empty()) args_spec = pending_args;  // (the file's first function)
    else return usage("--args after the last --function's own --args: give each --function one --args");
  }
  static const char *emits[] = {"ast", "types", "ir", "opt-ir", "passes", "asm", "report", "obj", "so", "h", "wasm"};
  bool emit_ok = false;
  for (auto *e : emits) emit_ok = emit_ok || emit == e;
  if (!emit_ok) return usage(("--emit must be one of ast, types, ir, opt-ir, passes, asm, report, obj, so, h, wasm; got " + emit).c_str());
  const bool exporting = emit == "obj" || emit == "so" || emit == "h" || emit == "wasm";
  if (!exporting && targets.size() > 1) return usage("one --function at a time, except with --emit obj, so, h or wasm");
  if (!module.empty() && pyvorin::export_identifier(module) != module)
    return usage(("--module must be a C identifier (letters, digits, _); got " + module).c_str());
  if (syntax != "att" && syntax != "intel") return usage("--asm-syntax must be att or intel");
  if (file.empty()) return usage("no input file");
  options.asm_syntax = syntax;
  options.eager_asm = true;

  std::string error;
  std::optional<std::string> data = read_file(file, error);
  if (!data) return fail(error);

  py::scoped_interpreter python;
  try {
    py::dict scope;
    py::exec(kScan, scope);
    py::object scanned = scope["scan"](py::bytes(*data), file);
    if (py::isinstance<py::str>(scanned)) return fail(scanned.cast<std::string>());
    py::list defs = scanned.attr("__getitem__")(0);
    py::list consts = scanned.attr("__getitem__")(1);
    std::vector<std::string> names;
    for (py::handle d : defs) names.push_back(d.attr("__getitem__")(0).cast<std::string>());
    if (names.empty()) return fail("'" + file + "' defines no function: pyvorinc compiles a top-level def");
    if (function.empty()) function = names[0];
    if (targets.empty()) targets.push_back({function, args_spec});
    for (auto &t : targets)
      if (t.first.empty()) t.first = names[0];
    // The request for one function: returns an exit status, or -1 with `req` made.
    auto build = [&](const std::string &function, const std::string &args_spec, pyvorin::CompileRequest &req,
                     std::vector<std::string> &params) -> int {
      int root = -1;
      for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == function) root = int(i);
      if (root < 0) {
        std::string known;
        for (const std::string &n : names) known += (known.empty() ? "" : ", ") + n;
        return fail("no function named '" + function + "' in '" + file + "'; it defines: " + known);
      }
      // The root first, then the other functions of the file (callable natively).
      std::vector<int> order{root};
      for (int i = 0; i < int(names.size()); ++i)
        if (i != root) order.push_back(i);
      std::vector<std::string> root_annotations;
      for (int idx : order) {
        py::tuple d = defs[size_t(idx)];
        pyvorin::UnitFunction uf;
        uf.source = {d[0].cast<std::string>(), d[1].cast<std::string>(), file, d[2].cast<int>()};
        for (size_t j = 0; j < order.size(); ++j) {
          pyvorin::Binding b;
          b.kind = pyvorin::Binding::Kind::Function;
          b.function_index = int(j);
          uf.globals[names[size_t(order[j])]] = b;
        }
        pyvorin::Binding m;
        m.kind = pyvorin::Binding::Kind::MathModule;
        uf.globals["math"] = m;
        for (py::handle c : consts) {  // module constants (see kScan)
          py::tuple t = c.cast<py::tuple>();
          std::string type = t[1].cast<std::string>();
          pyvorin::Binding b;
          b.kind = type == "other" ? pyvorin::Binding::Kind::Other
                   : type == "numpy" ? pyvorin::Binding::Kind::NumpyModule
                                     : pyvorin::Binding::Kind::Constant;
          b.value_type = type == "int" ? pyvorin::TypeTag::Int
                         : type == "float" ? pyvorin::TypeTag::Float
                         : type == "bool" ? pyvorin::TypeTag::Bool
                                          : pyvorin::TypeTag::None;
          b.int_value = t[2].cast<int64_t>();
          std::memcpy(&b.float_value, &b.int_value, sizeof b.int_value);
          b.detail = t[3].cast<std::string>();
          if (b.kind == pyvorin::Binding::Kind::Constant)
            uf.globals[t[0].cast<std::string>()] = b;
          else
            uf.globals.emplace(t[0].cast<std::string>(), b);  // functions and math keep their bindings
        }
        for (const char *bi : {"abs", "min", "max", "divmod", "round", "int", "float", "bool", "print", "range", "len", "sum",
                               "sorted", "any", "all", "list", "tuple", "set", "dict", "isinstance", "enumerate", "zip",
                               "reversed", "str", "repr", "ascii", "format", "ord", "chr", "hex", "oct", "bin", "bytes", "open"}) {
          pyvorin::Binding b;
          b.kind = pyvorin::Binding::Kind::Builtin;
          b.target = bi;
          uf.globals.emplace(bi, b);
        }
        if (idx == root) {
          root_annotations = d[3].cast<std::vector<std::string>>();
          params = d[4].cast<std::vector<std::string>>();
        }
        req.functions.push_back(std::move(uf));
      }
      // The argument types: --args (comma-separated, one per parameter), else the annotations.
      std::vector<std::string> arg_names;
      bool from_args = !args_spec.empty();
      if (from_args) {  // split at the commas outside brackets: "list[int],dict[str, float]"
        int depth = 0;
        std::string cur;
        for (char ch : args_spec) {
          if (ch == '[') ++depth;
          if (ch == ']') --depth;
          if (ch == ',' && depth == 0) {
            arg_names.push_back(cur);
            cur.clear();
          } else {
            cur += ch;
          }
        }
        arg_names.push_back(cur);
      } else {
        arg_names = root_annotations;
      }
      for (size_t k = 0; k < arg_names.size(); ++k) {
        const std::string &t = arg_names[k];
        if (pyvorin::tags_from_name(t, req.arg_types)) continue;  // int, float, bool, str, list[int], ...
        if (from_args)
          return usage(("argument types must be int, float, bool, str, containers of them (list[int], "
                        "dict[str, float], tuple[int, float], set[int]), NumPy scalars (float32) or arrays (ndarray[float64, 2, C]); got '" + t + "'").c_str());
        else
          return usage(("parameter " + std::to_string(k + 1) + " of '" + function + "' is not annotated int, float or bool" +
                        (t.empty() ? "" : " (it is annotated " + t + ")") + ": give the argument types with --args")
                           .c_str());
      }
      req.options = options;
      return -1;
    };
    if (exporting) return export_functions(build, targets, file, module, emit, out_path, options);
    pyvorin::CompileRequest req;
    std::vector<std::string> params;
    if (int status = build(function, args_spec, req, params); status >= 0) return status;
    pyvorin::CompileResult r = pyvorin::compile(req);
    std::string text;
    if (emit == "report") {
      text = r.report.dump(2) + "\n";
    } else if (r.fallback && emit != "ast" && emit != "types") {
      std::cerr << r.fallback->render() << "\n";
      return 1;
    } else if (emit == "ast") {
      text = r.report["ast"].get<std::string>();
    } else if (emit == "types") {
      for (auto &t : r.report["types"])
        text += t["name"].get<std::string>() + ": " + t["type"].get<std::string>() + " \u2190 " + t["because"].get<std::string>() +
                " (line " + std::to_string(t["line"].get<int>()) + ")\n";
    } else if (emit == "ir") {
      text = r.report["ir"].get<std::string>();
    } else if (emit == "opt-ir") {
      text = r.report["opt_ir"].get<std::string>();
    } else if (emit == "passes") {
      // each pass that changed a function, with the diff of its IR (LLVM's -print-changed=diff)
      nlohmann::json steps = pyvorin::pass_steps(r.report["ir"].get<std::string>(), options.opt_level);
      if (steps.contains("error")) return fail(steps["error"].get<std::string>());
      int index = 0;
      for (auto &st : steps["steps"])
        text += "*** " + std::to_string(++index) + ". " + st["pass"].get<std::string>() + " on " +
                st["function"].get<std::string>() + " (+" + std::to_string(st["added"].get<int>()) + " -" +
                std::to_string(st["removed"].get<int>()) + ") ***\n" + st["diff"].get<std::string>();
      for (auto &[name, f] : steps["functions"].items())
        text += "; " + name + ": " + std::to_string(f["runs"].get<int>()) + " passes ran\n";
    } else {
      text = r.report["asm"].get<std::string>();
    }
    if (out_path.empty()) {
      std::cout << text << std::flush;
      if (!std::cout) return fail("cannot write to standard output: " + std::string(std::strerror(errno)));
    } else if (!write_file(out_path, text, error)) {
      return fail(error);
    }
    return r.fallback && emit != "report" && emit != "ast" ? 1 : 0;
  } catch (py::error_already_set &e) {
    std::cerr << "pyvorinc: " << e.what() << "\n";
    return 1;
  } catch (const std::exception &e) {
    std::cerr << "pyvorinc: internal error: " << e.what() << "\n";
    return 1;
  }
}
