// pyvorinc: the command-line driver. Compiles one function of a Python file and prints a stage's
// output: the AST, the inference trace, LLVM IR before/after optimisation, assembly, or the report.
//   pyvorinc FILE.py --function NAME [--args int,float] [-O0..-O3] [--fast]
//            [--emit ast|types|ir|opt-ir|asm|report] [--asm-syntax att|intel] [-o OUT]
#include <pybind11/embed.h>
#include <pybind11/stl.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "pyvorin/compiler.h"

namespace py = pybind11;

namespace {

int usage(const char *msg = nullptr) {
  if (msg) std::cerr << "pyvorinc: error: " << msg << "\n";
  std::cerr << "usage: pyvorinc FILE.py --function NAME [--args int,float,bool] [-O0|-O1|-O2|-O3] [--fast]\n"
               "                [--emit ast|types|ir|opt-ir|asm|report] [--asm-syntax att|intel] [-o OUT]\n";
  return 2;
}

// Top-level defs of the file: name, source text (with decorators), first line, annotations.
const char *kScan = R"PY(
import ast
def scan(text, filename):
    tree = ast.parse(text, filename)
    lines = text.splitlines(keepends=True)
    out = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            src = "".join(lines[first - 1:node.end_lineno])
            ann = []
            for a in node.args.args:
                ann.append(a.annotation.id if isinstance(a.annotation, ast.Name) else "")
            out.append((node.name, src, first, ann))
    return out
)PY";

}  // namespace

int main(int argc, char **argv) {
  std::string file, function, args_spec, emit = "opt-ir", syntax = "att", out_path;
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
    if (a == "--function") function = value("--function");
    else if (a == "--args") args_spec = value("--args");
    else if (a == "--emit") emit = value("--emit");
    else if (a == "--asm-syntax") syntax = value("--asm-syntax");
    else if (a == "-o") out_path = value("-o");
    else if (a == "--fast") options.fast = true;
    else if (a.size() == 3 && a[0] == '-' && a[1] == 'O' && a[2] >= '0' && a[2] <= '3') options.opt_level = a[2] - '0';
    else if (a == "-h" || a == "--help") return usage(), 0;
    else if (!a.empty() && a[0] == '-') return usage(("unknown option " + a).c_str());
    else file = a;
  }
  static const char *emits[] = {"ast", "types", "ir", "opt-ir", "asm", "report"};
  bool emit_ok = false;
  for (auto *e : emits) emit_ok = emit_ok || emit == e;
  if (!emit_ok) return usage(("--emit must be one of ast, types, ir, opt-ir, asm, report; got " + emit).c_str());
  if (syntax != "att" && syntax != "intel") return usage("--asm-syntax must be att or intel");
  if (file.empty()) return usage("no input file");
  options.asm_syntax = syntax;
  options.eager_asm = true;

  std::ifstream in(file);
  if (!in) return usage(("cannot read " + file).c_str());
  std::stringstream buffer;
  buffer << in.rdbuf();

  py::scoped_interpreter python;
  try {
    py::dict scope;
    py::exec(kScan, scope);
    py::list defs = scope["scan"](buffer.str(), file);
    pyvorin::CompileRequest req;
    std::vector<std::string> names;
    for (py::handle d : defs) names.push_back(d.attr("__getitem__")(0).cast<std::string>());
    if (function.empty() && !names.empty()) function = names[0];
    int root = -1;
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == function) root = int(i);
    if (root < 0) return usage(("no function named '" + function + "' in " + file).c_str());
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
      for (const char *bi : {"abs", "min", "max", "divmod", "round", "int", "float", "bool", "print", "range"}) {
        pyvorin::Binding b;
        b.kind = pyvorin::Binding::Kind::Builtin;
        b.target = bi;
        uf.globals.emplace(bi, b);
      }
      if (idx == root) root_annotations = d[3].cast<std::vector<std::string>>();
      req.functions.push_back(std::move(uf));
    }
    std::vector<std::string> arg_names;
    if (!args_spec.empty()) {
      std::stringstream ss(args_spec);
      for (std::string t; std::getline(ss, t, ',');) arg_names.push_back(t);
    } else {
      arg_names = root_annotations;
    }
    for (const std::string &t : arg_names) {
      if (t == "int") req.arg_types.push_back(pyvorin::TypeTag::Int);
      else if (t == "float") req.arg_types.push_back(pyvorin::TypeTag::Float);
      else if (t == "bool") req.arg_types.push_back(pyvorin::TypeTag::Bool);
      else return usage(("argument types must be int, float or bool (use --args); got '" + t + "'").c_str());
    }
    req.options = options;
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
    } else {
      text = r.report["asm"].get<std::string>();
    }
    if (out_path.empty()) {
      std::cout << text;
    } else {
      std::ofstream(out_path) << text;
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
