// The pipeline driver: runs the named stages in order, times each, and assembles the report
// (docs/report-format.md) from the stages' own printers.
#include <llvm/AsmParser/Parser.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <atomic>
#include <chrono>
#include <regex>
#include <set>
#include <sstream>

#include "backend.h"
#include "pyvorin/disk_cache.h"
#include "text_diff.h"
#include "lower.h"
#include "ranges.h"
#include "stages.h"
#include "types.h"

namespace pyvorin {

// Each variable of the root function: its type and how native code holds it.
static nlohmann::json variables_json(const Spec &root) {
  nlohmann::json out = nlohmann::json::array();
  std::set<std::string> priv = private_containers(root);
  std::map<std::string, NativeLocal> native;
  if (root.uses_objects()) native = native_locals(root, maybe_unbound_reads(*root.fn));
  for (auto &[name, t] : root.vars) {
    if (name.empty() || name[0] == '$') continue;
    std::string rep;
    auto word = [](Ty e) { return e == Ty::Float ? "double" : e == Ty::Bool ? "i8 (bool)" : "i64"; };
    auto n = native.find(name);
    if (n != native.end() && n->second.kind == NativeKind::List)
      rep = std::string("native buffer of ") + word(n->second.elem) + ", private to the call";
    else if (n != native.end())
      rep = std::string("native hash table (") + (n->second.kind == NativeKind::Set ? "set" : "dict") + ", insertion-ordered)" +
            ", private to the call";
    else if (is_object(t))
      rep = std::string("CPython object (PyObject*)") + (priv.count(name) ? ", private to the call" : "");
    else if (t == Ty::Int) rep = "native i64";
    else if (t == Ty::Float) rep = "native double";
    else if (t == Ty::Bool) rep = "native i1";
    else rep = "none (a constant)";
    out.push_back({{"name", name}, {"type", ty_name(t)}, {"representation", rep}});
  }
  return out;
}

// Per source line of the root function: the calls into CPython's C API (and the object runtime,
// which calls it) in the lowered IR, as Cython's annotated view marks lines.
static nlohmann::json object_lines(llvm::Module &m, const std::string &symbol) {
  std::map<unsigned, std::map<std::string, int>> lines;
  llvm::Function *f = m.getFunction(symbol);
  if (f)
    for (llvm::BasicBlock &bb : *f)
      for (llvm::Instruction &i : bb) {
        auto *call = llvm::dyn_cast<llvm::CallInst>(&i);
        if (!call || !call->getCalledFunction() || !call->getDebugLoc()) continue;
        std::string name = call->getCalledFunction()->getName().str();
        static const std::set<std::string> object_runtime = {
            "pv_str_const", "pv_builtin", "pv_kwnames", "pv_call_method", "pv_call", "pv_unpack", "pv_print_obj",
            "pv_unbox_int", "pv_global", "pv_guard_failed", "pv_python_error", "pv_buf_to_list", "pv_sort_with_keys",
            "pv_table_to_object", "pv_sort_int_keys"};
        bool capi = name.rfind("Py", 0) == 0 || name.rfind("_Py", 0) == 0 || object_runtime.count(name);
        if (!capi || name == "_Py_Dealloc" || name == "pv_guard_failed" || name == "pv_python_error" || name == "PyErr_Occurred" ||
            name == "_PyErr_SetKeyError" || name == "pv_unbox_int")  // error and slow paths
          continue;
        lines[call->getDebugLoc().getLine()][name]++;
      }
  nlohmann::json out = nlohmann::json::array();
  for (auto &[line, calls] : lines) {
    int total = 0;
    nlohmann::json names = nlohmann::json::array();
    for (auto &[n, c] : calls) {
      total += c;
      names.push_back(n);
    }
    out.push_back({{"line", line}, {"calls", total}, {"functions", names}});
  }
  return out;
}

const char *type_tag_name(TypeTag tag) {
  switch (tag) {
    case TypeTag::None: return "None";
    case TypeTag::Bool: return "bool";
    case TypeTag::Int: return "int";
    case TypeTag::Float: return "float";
    case TypeTag::Str: return "str";
    case TypeTag::List: return "list";
    case TypeTag::Tuple: return "tuple";
    case TypeTag::Dict: return "dict";
    case TypeTag::Set: return "set";
    case TypeTag::Unknown: return "?";
    case TypeTag::Range: return "range";
    case TypeTag::Object: return "object";
    case TypeTag::TupleN: return "tuple";
    case TypeTag::Bytes: return "bytes";
    case TypeTag::ByteArray: return "bytearray";
    case TypeTag::TextFile: return "file[str]";
    case TypeTag::BinaryFile: return "file[bytes]";
    case TypeTag::NpScalar: return "numpy scalar";
    case TypeTag::Array: return "ndarray";
    case TypeTag::Complex: return "complex";
  }
  return "?";
}

std::string llvm_version() { return LLVM_VERSION_STRING; }

std::string debug_file_name(const std::string &filename) {
  size_t slash = filename.find_last_of('/');
  std::string base = slash == std::string::npos ? filename : filename.substr(slash + 1);
  return !base.empty() && base[0] == '<' ? std::string("<cell>") : base;
}

namespace {

using clock = std::chrono::steady_clock;

class StageTimer {
 public:
  explicit StageTimer(nlohmann::json &timings) : m_timings(timings) {}
  template <typename F>
  auto run(const char *stage, F &&f) {
    auto start = clock::now();
    struct Record {
      StageTimer *t;
      const char *stage;
      clock::time_point start;
      ~Record() {
        double ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
        t->m_timings[stage] = t->m_timings.value(stage, 0.0) + ms;
      }
    } record{this, stage, start};
    return f();
  }

 private:
  nlohmann::json &m_timings;
};

std::string print_module(const llvm::Module &m) {
  std::string s;
  llvm::raw_string_ostream os(s);
  m.print(os, nullptr);
  return s;
}

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream is(text);
  for (std::string line; std::getline(is, line);) lines.push_back(line);
  return lines;
}

// The assembly a person reads: no debug sections, no CFI or .loc directives. Returns the text and,
// for each kept line, the source line its code came from (0: none).
std::pair<std::string, std::vector<int>> clean_asm(const std::string &raw) {
  static const std::regex loc_re(R"(^\s*\.loc\s+\d+\s+(\d+))");
  std::string out;
  std::vector<int> lines;
  int current = 0;
  for (const std::string &line : split_lines(raw)) {
    std::smatch m;
    if (std::regex_search(line, m, loc_re)) {
      current = std::stoi(m[1]);
      continue;
    }
    if (line.find(".section\t.debug_") != std::string::npos || line.find(".section .debug_") != std::string::npos) break;
    std::string trimmed = line.substr(line.find_first_not_of(" \t") == std::string::npos ? 0 : line.find_first_not_of(" \t"));
    if (trimmed.rfind(".cfi_", 0) == 0 || trimmed.rfind(".file", 0) == 0 || trimmed.rfind(".Ltmp", 0) == 0 ||
        trimmed.rfind(".Lfunc_begin", 0) == 0 || trimmed.rfind(".Lfunc_end", 0) == 0 || trimmed.rfind(".Ldebug", 0) == 0)
      continue;
    bool is_code = !trimmed.empty() && trimmed[0] != '.' && trimmed[0] != '#' && trimmed.back() != ':';
    out += line + "\n";
    lines.push_back(is_code ? current : 0);
  }
  return {out, lines};
}

// source line -> {ir: [IR text lines], asm: [asm text lines]} (1-based line numbers).
nlohmann::json line_map(const std::string &opt_ir, const std::vector<int> &asm_lines) {
  static const std::regex loc_def(R"(^!(\d+) = !DILocation\(line: (\d+))");
  static const std::regex dbg_use(R"(!dbg !(\d+))");
  std::vector<std::string> ir = split_lines(opt_ir);
  std::map<std::string, int> locs;
  for (const auto &line : ir) {
    std::smatch m;
    if (std::regex_search(line, m, loc_def)) locs[m[1]] = std::stoi(m[2]);
  }
  std::map<int, std::pair<std::vector<int>, std::vector<int>>> map;
  for (size_t i = 0; i < ir.size(); ++i) {
    if (ir[i].empty() || ir[i][0] == '!' || ir[i].rfind("define", 0) == 0) continue;
    std::smatch m;
    if (std::regex_search(ir[i], m, dbg_use)) {
      auto it = locs.find(m[1]);
      if (it != locs.end() && it->second > 0) map[it->second].first.push_back(int(i + 1));
    }
  }
  for (size_t i = 0; i < asm_lines.size(); ++i)
    if (asm_lines[i] > 0) map[asm_lines[i]].second.push_back(int(i + 1));
  nlohmann::json out = nlohmann::json::object();
  for (auto &[line, v] : map) out[std::to_string(line)] = {{"ir", v.first}, {"asm", v.second}};
  return out;
}

}  // namespace

nlohmann::json fallback_to_json(const Fallback &f) {
  return {{"code", fallback_code_id(f.code)}, {"reason", f.reason}, {"construct", f.construct},
          {"line", f.line},                  {"suggestion", f.suggestion}, {"function", f.function},
          {"text", f.render()}};
}

bool c_library_function(const std::string &name) {
  static const std::set<std::string> names = {
      "memcpy", "memmove", "memset", "sin", "cos", "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh",
      "acosh", "atanh", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "pow", "sqrt", "cbrt", "hypot", "hypotf",
      "erf", "erfc", "fmod", "floor", "ceil", "trunc", "round", "lgamma", "tgamma", "frexp", "ldexp", "copysign",
      "nextafter", "fabs", "modf", "remainder", "sinf", "cosf", "expf", "logf", "powf", "sqrtf", "fmodf"};
  return names.count(name) > 0;
}

// Whether the optimised module calls anything that needs the GIL: any function but LLVM's
// intrinsics, libm's and the runtime's few that touch no Python object (a NumPy call in a scalar
// loop, Python's complex `**`, a NumPy complex operation computed by NumPy's operator). Code that
// does keeps the GIL while it runs.
static bool calls_python(const llvm::Module &m) {
  static const std::set<std::string> gil_free = {
      "pv_raise", "pv_poll_interrupt", "pv_int_pow", "pv_float_floordiv", "pv_float_mod", "pv_cmp_int_float",
      "pv_np_index_error", "pv_np_warns", "pv_fe_overflow", "pv_fe_clear_overflow", "pv_traceback_push",
      "pv_np_warned_first"};
  for (const llvm::Function &f : m)
    if (f.isDeclaration() && !f.use_empty() && !f.isIntrinsic() && !gil_free.count(f.getName().str()) &&
        !c_library_function(f.getName().str()))
      return true;
  return false;
}

std::optional<Fallback> check_source(const FunctionSource &source) {
  ParseResult parsed = parse_function(source);
  if (parsed.error) return parsed.error;
  normalise(*parsed.fn);
  return check(*parsed.fn);
}

std::string dump_source_ast(const FunctionSource &source) {
  ParseResult parsed = parse_function(source);
  return parsed.fn ? ast::dump(*parsed.fn) : std::string();
}

// What the loader binds each function's load-time symbols to (ModuleState::load_time): its file
// name, for tracebacks, and its globals dict.
static LoadBindings load_bindings(const CompileRequest &request) {
  LoadBindings b;
  for (size_t i = 0; i < request.functions.size(); ++i) {
    const FunctionSource &s = request.functions[i].source;
    b.strings.push_back({"pv.file." + std::to_string(i), s.filename});
    b.addresses.push_back({"pv.globals." + std::to_string(i), uint64_t(s.globals_address)});
  }
  return b;
}

static CompileResult compile_fresh(const CompileRequest &request) {
  CompileResult result;
  nlohmann::json &report = result.report;
  nlohmann::json timings = nlohmann::json::object();
  StageTimer timer(timings);
  const FunctionSource &root_source = request.functions.at(0).source;
  report = {{"name", root_source.name}, {"line", root_source.first_line}, {"status", "fallback"},
            {"signatures", nlohmann::json::array()}, {"fallback", nullptr}, {"ast", ""},
            {"types", nlohmann::json::array()}, {"ir", ""}, {"opt_ir", ""}, {"asm", ""},
            {"line_map", nlohmann::json::object()}, {"passes", nlohmann::json::array()},
            {"remarks", nlohmann::json::array()}, {"object_size", 0}, {"opt_level", request.options.opt_level},
            {"fast", request.options.fast}};
  auto finish_fallback = [&](const Fallback &f) {
    result.fallback = f;
    report["fallback"] = fallback_to_json(f);
    report["status"] = "fallback";
    report["timings_ms"] = timings;
  };

  TypedUnit unit;
  // parse + normalise + check, for every function of the unit.
  std::vector<std::optional<Fallback>> checks;
  for (const UnitFunction &uf : request.functions) {
    UnitSource us;
    us.request = &uf;
    ParseResult parsed = timer.run("parse", [&] { return parse_function(uf.source); });
    if (parsed.error) {
      if (&uf == &request.functions[0]) {
        finish_fallback(*parsed.error);
        return result;
      }
      checks.push_back(parsed.error);
      us.fn = std::make_unique<ast::FunctionDef>(ast::SourceRange{});
      us.fn->name = uf.source.name;
      unit.sources.push_back(std::move(us));
      continue;
    }
    us.ast_dump = ast::dump(*parsed.fn);
    timer.run("normalise", [&] { normalise(*parsed.fn); return 0; });
    checks.push_back(timer.run("check", [&] { return check(*parsed.fn); }));
    us.fn = std::move(parsed.fn);
    unit.sources.push_back(std::move(us));
  }
  report["ast"] = unit.sources[0].ast_dump;
  // Everything after parse is our own C++ and LLVM: let the caller's other threads run.
  struct Released {
    CompileHooks *hooks;
    explicit Released(CompileHooks *h) : hooks(h) { if (hooks) hooks->release(); }
    ~Released() { if (hooks) hooks->reacquire(); }
  } released(request.hooks);
  auto cancelled = [&] { return request.hooks && request.hooks->cancelled(); };
  auto finish_cancelled = [&] {
    result.cancelled = true;  // nothing was loaded: every check comes before load
    report["status"] = "cancelled";
    report["timings_ms"] = timings;
  };
  if (checks[0]) {
    finish_fallback(*checks[0]);
    return result;
  }
  const size_t nargs = types_from_tags(request.arg_types).size();
  if (nargs != unit.sources[0].fn->args.size()) {
    finish_fallback(make_fallback(FallbackCode::UnsupportedSignature, root_source.name,
                                  root_source.name + "() takes " + std::to_string(unit.sources[0].fn->args.size()) +
                                      " positional arguments but " + std::to_string(nargs) + " were given",
                                  "Call", root_source.first_line, "call it with the right number of arguments"));
    return result;
  }

  // infer
  timer.run("infer", [&] { infer(unit, request.arg_types); return 0; });
  nlohmann::json types = nlohmann::json::array();
  if (!unit.specs.empty())
    for (auto &t : unit.specs[0]->trace) types.push_back({{"line", t.line}, {"name", t.name}, {"type", t.type}, {"because", t.because}});
  report["types"] = types;
  if (!unit.fallback) {
    for (auto &spec : unit.specs) {
      if (checks[size_t(spec->fn_index)]) {
        const Fallback &cf = *checks[size_t(spec->fn_index)];
        unit.fallback = make_fallback(FallbackCode::CalleeFallback, root_source.name,
                                      "it calls '" + cf.function + "', which cannot be compiled: " + cf.reason + " (line " +
                                          std::to_string(cf.line) + ")",
                                      cf.function, root_source.first_line);
        break;
      }
    }
  }
  if (unit.fallback && !unit.specs.empty()) {
    // An empty list, dict or set argument says nothing about its items: name that, since calls
    // with items compile on their own (this call, and the ones like it, run in CPython).
    std::function<bool(Ty)> empty_inside = [&](Ty t) {
      if (t.kind() == Kind::List || t.kind() == Kind::Set || t.kind() == Kind::Dict || t.kind() == Kind::Tuple)
        for (Ty a : t.args())
          if (a == Ty::Bottom || empty_inside(a)) return true;
      return false;
    };
    bool empty = false;
    for (Ty p : unit.specs[0]->params) empty = empty || empty_inside(p);
    // (the items of an empty container are typed None: a failure that mentions None comes from them)
    if (empty && unit.fallback->code != FallbackCode::InternalError && unit.fallback->reason.find("None") != std::string::npos)
      unit.fallback->reason = "with an empty container argument " + unit.specs[0]->signature() +
                              ", whose items have no type to compile for: " + unit.fallback->reason +
                              " (calls whose containers have items compile natively)";
  }
  if (unit.fallback) {
    finish_fallback(*unit.fallback);
    return result;
  }
  if (cancelled()) {
    finish_cancelled();
    return result;
  }
  Spec &root = *unit.specs[0];
  nlohmann::json sig_args = nlohmann::json::array();
  for (Ty t : root.params) sig_args.push_back(ty_name(t));
  report["signatures"] = nlohmann::json::array({{{"args", sig_args}, {"return", ty_name(root.ret)}}});
  {  // the other jitted functions compiled into this unit, with the argument types of each
    // specialisation (their dispatchers compile these on their own when their report is read)
    nlohmann::json callees = nlohmann::json::array();
    for (auto &sp : unit.specs) {
      if (sp.get() == &root) continue;
      std::vector<TypeTag> tags;
      for (Ty p : sp->params) tags_from_type(p, tags);
      if (std::find(tags.begin(), tags.end(), TypeTag::Object) != tags.end()) continue;  // no argument has that type
      nlohmann::json t = nlohmann::json::array();
      for (TypeTag tag : tags) t.push_back(int(tag));
      callees.push_back({{"index", sp->fn_index}, {"tags", t}});
    }
    report["callees"] = callees;
  }

  bool needs_gil = true;  // calls_python, once the module is optimised
  try {
    // lower
    timer.run("ranges", [&] {
      analyse_ranges(unit);
      return 0;
    });
    LoweredModule lowered = timer.run("lower", [&] {
      return lower(unit, request.options, "pyvorin." + root_source.name);
    });
    std::string verify_errors;
    llvm::raw_string_ostream vos(verify_errors);
    if (llvm::verifyModule(*lowered.module, &vos)) {
      report["ir"] = print_module(*lowered.module);
      finish_fallback(make_fallback(FallbackCode::InternalError, root_source.name, "invalid LLVM IR: " + verify_errors, "lower",
                                    root_source.first_line));
      return result;
    }
    report["ir"] = print_module(*lowered.module);
    std::vector<FeRemark> fe_remarks = lowered.fe_remarks;
    report["variables"] = variables_json(root);
    {  // the loops that range analysis versioned, the bounds checks their fast copy drops, and the
       // counter arrays whose increments have no overflow test
      nlohmann::json ranges = nlohmann::json::array();
      for (auto &sp : unit.specs)
        for (auto &[loop, plan] : sp->range_plans) {
          if (!plan.versioned) continue;
          nlohmann::json checks = nlohmann::json::array();
          for (auto &c : plan.checks) {
            checks.push_back({{"line", c.line}, {"array", c.array}, {"axis", c.axis}, {"index", unparse(*c.index)}});
          }
          // checks whose values' ranges (ranges_sym.cpp) the test before the loop bounds
          const std::string &iv = static_cast<const ast::Name &>(*static_cast<const ast::For *>(loop)->target).id;
          nlohmann::json values = nlohmann::json::array();
          for (auto &c : plan.proven) {
            std::string range = "[" + sym_text(*c.lo, iv) + ", " + sym_text(*c.hi, iv) + "]";
            if (c.kind == ProvenCheck::Kind::Bounds)
              checks.push_back({{"line", c.line}, {"array", c.array}, {"axis", c.axis}, {"index", unparse(*c.expr)}, {"range", range}});
            else
              values.push_back({{"line", c.line},
                                {"check", c.kind == ProvenCheck::Kind::IntRange ? "int() range" : "NumPy float warning"},
                                {"expression", unparse(*c.expr)}, {"range", range}});
          }
          nlohmann::json overflow = nlohmann::json::array();
          for (auto &a : plan.accums)
            overflow.push_back({{"line", a.line}, {"variable", a.var}, {"addend_min", a.lo}, {"addend_max", a.hi},
                                {"expression", unparse(*a.add)}});
          nlohmann::json entry = {{"function", sp->fn->name}, {"line", loop->range.line},
                                  {"loop", unparse(*static_cast<const ast::For *>(loop)->iter)},
                                  {"removed_bounds_checks", checks}, {"removed_overflow_checks", overflow},
                                  {"removed_value_checks", values}};
          if (!plan.wide_sum.empty()) entry["wide_sum"] = plan.wide_sum;
          ranges.push_back(entry);
        }
      for (auto &sp : unit.specs) {  // counter arrays: one entry per array, at its np.zeros
        std::map<std::string, nlohmann::json> counters;
        for (auto &c : sp->counter_adds) {
          nlohmann::json &entry = counters[c.array];
          if (entry.is_null())
            entry = {{"function", sp->fn->name}, {"line", c.made_line}, {"counter", c.array},
                     {"removed_bounds_checks", nlohmann::json::array()}, {"removed_overflow_checks", nlohmann::json::array()},
                     {"removed_value_checks", nlohmann::json::array()}};
          entry["removed_overflow_checks"].push_back({{"line", c.line}, {"variable", c.array}, {"addend_min", 1},
                                                      {"addend_max", 1}, {"expression", unparse(*c.add)}});
        }
        for (auto &[name, entry] : counters) ranges.push_back(entry);
      }
      for (auto &sp : unit.specs) {  // the tests float classes made needless (ranges_float.cpp): one entry per function
        if (sp->quiet_ops.empty()) continue;
        std::vector<std::pair<const ast::Expr *, std::string>> ops(sp->quiet_ops.begin(), sp->quiet_ops.end());
        std::sort(ops.begin(), ops.end(), [](auto &a, auto &b) {
          return std::make_pair(a.first->range.line, a.first->range.col) < std::make_pair(b.first->range.line, b.first->range.col);
        });
        nlohmann::json values = nlohmann::json::array();
        for (auto &[e, cls] : ops)
          values.push_back({{"line", e->range.line},
                            {"check", e->kind == ast::ExprKind::Call                        ? "math error"
                                      : sp->types.count(e) && sp->types.at(e) == Ty::Float ? "float overflow note"
                                                                                           : "NumPy float warning"},
                            {"expression", unparse(*e)}, {"range", cls}});
        ranges.push_back({{"function", sp->fn->name}, {"line", sp->fn->range.line}, {"whole_function", true},
                          {"removed_bounds_checks", nlohmann::json::array()}, {"removed_overflow_checks", nlohmann::json::array()},
                          {"removed_value_checks", values}});
      }
      report["ranges"] = ranges;
    }
    report["object_lines"] = object_lines(*lowered.module, root.symbol);
    if (request.options.exported) {
      // export_object takes the lowered IR from here: it joins, optimises and emits the module
      // for its own target, so nothing is optimised, emitted or loaded for the host's JIT.
      result.entry_symbol = lowered.entry_symbol;
      report["status"] = "compiled";
      report["timings_ms"] = timings;
      return result;
    }

    // optimise
    std::unique_ptr<llvm::TargetMachine> tm = host_target_machine(request.options.opt_level);
    lowered.module->setDataLayout(tm->createDataLayout());
    lowered.module->setTargetTriple(tm->getTargetTriple().str());
    OptimiseLog log;
    timer.run("optimize", [&] {
      optimise(*lowered.module, *tm, request.options.opt_level, log, request.hooks ? std::function<bool()>(cancelled) : nullptr);
      return 0;
    });
    if (cancelled()) {
      finish_cancelled();
      return result;
    }
    std::string opt_ir = print_module(*lowered.module);
    report["opt_ir"] = opt_ir;
    nlohmann::json passes = nlohmann::json::array();
    for (auto &p : log.passes) passes.push_back({{"name", p.name}, {"ms", p.ms}, {"runs", p.runs}});
    report["passes"] = passes;
    nlohmann::json remarks = nlohmann::json::array();
    for (auto &r : log.remarks) {
      nlohmann::json j = {{"pass", r.pass}, {"kind", r.kind}, {"line", r.line}, {"message", r.message}, {"count", r.count}};
      if (!r.why.empty()) j["why"] = r.why;
      remarks.push_back(std::move(j));
    }
    for (auto &r : fe_remarks) {  // lower's word on loops' NumPy float warnings (lower_fpe.cpp)
      nlohmann::json j = {{"pass", "numpy-warnings"}, {"kind", r.kind}, {"line", r.line}, {"message", r.message}, {"count", 1}};
      if (!r.why.empty()) j["why"] = r.why;
      remarks.push_back(std::move(j));
    }
    report["remarks"] = remarks;

    // codegen: the object file; the assembly text comes from the same optimised module, now
    // (eager_asm) or when the report is first read (complete_report parses opt_ir back).
    if (request.options.eager_asm) {
      std::string asm_text = timer.run("asm", [&] {
        return emit_asm_text(*lowered.module, request.options.opt_level, request.options.asm_syntax == "intel");
      });
      auto [clean, asm_lines] = clean_asm(asm_text);
      report["asm"] = clean;
      report["line_map"] = line_map(opt_ir, asm_lines);
    } else {
      report["asm"] = nullptr;
      report["line_map"] = line_map(opt_ir, {});
    }
    needs_gil = calls_python(*lowered.module);
    std::string object = timer.run("codegen", [&] { return emit_object(*lowered.module, *tm); });
    report["object_size"] = object.size();
    unsigned frame = max_frame_bytes(object);
    result.entry.frame_bytes = frame ? frame + 16 : 0;  // + return address and alignment
    report["max_frame_bytes"] = frame;
    if (cancelled()) {
      finish_cancelled();
      return result;
    }

    // load
    result.object = object;
    result.entry_symbol = lowered.entry_symbol;
    JitCode code = timer.run("load", [&] { return jit_load(std::move(object), lowered.entry_symbol, load_bindings(request)); });
    result.entry.fn = reinterpret_cast<NativeEntryFn>(code.address);
    result.entry.code = std::move(code.owner);
  } catch (const std::exception &e) {
    finish_fallback(make_fallback(FallbackCode::InternalError, root_source.name, e.what(), "codegen", root_source.first_line));
    return result;
  }
  for (Ty t : root.params) tags_from_type(t, result.entry.args);
  {
    std::vector<TypeTag> ret;
    tags_from_type(root.ret, ret);
    result.entry.ret = ret.size() == 1 && int(ret[0]) <= int(TypeTag::Float) ? ret[0] : TypeTag::Object;
  }
  // Code that touches CPython objects keeps the GIL; scalar loops let other threads run.
  bool objects = false;
  for (auto &sp : unit.specs) objects = objects || sp->uses_objects();
  result.entry.pure = !unit.transitively_prints;
  result.entry.long_running = unit.long_running;
  for (auto &sp : unit.specs)
    for (auto &[e, t] : sp->types) result.entry.numpy_scalars = result.entry.numpy_scalars || is_np_scalar(t);
  result.entry.release_gil = unit.long_running && !unit.transitively_prints && !objects && !needs_gil;
  report["status"] = "compiled";
  report["release_gil"] = result.entry.release_gil;
  report["pure"] = result.entry.pure;
  // Calling it again changes nothing anyone can see: no print, no effect on an argument or a file,
  // no call into CPython (whose code could have any effect). The magic repeats only such calls.
  report["effect_free"] = !unit.transitively_prints && !unit.has_effects && !needs_gil;
  double total = 0;
  for (auto &[k, v] : timings.items()) total += v.get<double>();
  timings["total"] = total;
  report["timings_ms"] = timings;
  return result;
}

namespace {

nlohmann::json entry_json(const NativeEntry &e, const std::string &symbol) {
  nlohmann::json args = nlohmann::json::array();
  for (TypeTag t : e.args) args.push_back(int(t));
  return {{"symbol", symbol},       {"args", args},         {"ret", int(e.ret)},
          {"release_gil", e.release_gil}, {"pure", e.pure}, {"long_running", e.long_running},
          {"numpy_scalars", e.numpy_scalars}, {"frame_bytes", e.frame_bytes}};
}

// A compile served from the disk cache: the object loaded as the JIT loads a fresh one, the
// report as the compile that made it wrote it (its stage timings under compile_timings_ms).
std::optional<CompileResult> load_cached(const CompileRequest &request, DiskCache::Entry &hit, double lookup_ms) {
  const nlohmann::json &e = hit.meta.at("entry");
  CompileResult result;
  result.entry_symbol = e.at("symbol").get<std::string>();
  auto start = clock::now();
  JitCode code = jit_load(hit.object, result.entry_symbol, load_bindings(request));
  double load_ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
  result.entry.fn = reinterpret_cast<NativeEntryFn>(code.address);
  result.entry.code = std::move(code.owner);
  for (int t : e.at("args")) result.entry.args.push_back(TypeTag(t));
  result.entry.ret = TypeTag(e.at("ret").get<int>());
  result.entry.release_gil = e.at("release_gil").get<bool>();
  result.entry.pure = e.at("pure").get<bool>();
  result.entry.long_running = e.at("long_running").get<bool>();
  result.entry.numpy_scalars = e.at("numpy_scalars").get<bool>();
  result.entry.frame_bytes = e.at("frame_bytes").get<unsigned>();
  result.report = hit.meta.at("report");
  result.report["compile_timings_ms"] = result.report.value("timings_ms", nlohmann::json::object());
  result.report["timings_ms"] = {{"cache", lookup_ms}, {"load", load_ms}, {"total", lookup_ms + load_ms}};
  result.object = std::move(hit.object);
  result.disk_status = "disk hit";
  return result;
}

}  // namespace

CompileResult compile(const CompileRequest &request) {
  if (!request.disk_cache) return compile_fresh(request);
  DiskCache &cache = *request.disk_cache;
  std::vector<std::string> warnings;
  auto start = clock::now();
  std::string key = DiskCache::key_of(request);
  std::optional<DiskCache::Entry> hit;
  try {
    hit = cache.load(key, warnings);
  } catch (const std::exception &e) {  // (never for a damaged entry; a full disk, say: compile)
    warnings.push_back(std::string("the disk cache could not be read: ") + e.what());
  }
  if (hit) {
    try {
      double lookup_ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
      std::optional<CompileResult> r = load_cached(request, *hit, lookup_ms);
      r->warnings = std::move(warnings);
      r->disk_key = key;
      r->report["cache_key"] = key;
      return std::move(*r);
    } catch (const std::exception &e) {  // verified, yet not loadable (or not in the form expected)
      warnings.push_back("the disk cache entry " + DiskCache::stem_of(key) + " in " + cache.dir() +
                         " was ignored and will be rebuilt: it could not be loaded (" + e.what() + ")");
      cache.remove(key);
    }
  }
  CompileResult r = compile_fresh(request);
  r.disk_key = key;
  if (r.entry.fn && !r.object.empty()) {
    r.report["cache_key"] = key;
    nlohmann::json meta = {{"function", request.functions[0].source.name},
                           {"signature", describe_tags(request.arg_types)},
                           {"entry", entry_json(r.entry, r.entry_symbol)},
                           {"report", r.report}};
    cache.store(key, r.object, std::move(meta), warnings);
    r.disk_status = "miss";
  }
  r.warnings.insert(r.warnings.end(), warnings.begin(), warnings.end());
  return r;
}

void complete_report(nlohmann::json &report) {
  if (!report.contains("asm") || !report["asm"].is_null() || !report.contains("opt_ir")) return;
  const std::string opt_ir = report["opt_ir"].get<std::string>();
  auto start = clock::now();
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic err;
  std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(opt_ir, err, ctx);
  if (!m) {
    report["asm"] = "; could not rebuild the module: " + err.getMessage().str();
    return;
  }
  auto [clean, asm_lines] = clean_asm(emit_asm_text(*m, report.value("opt_level", 2), false));
  report["asm"] = clean;
  report["line_map"] = line_map(opt_ir, asm_lines);
  if (report.contains("timings_ms") && report["timings_ms"].is_object())
    report["timings_ms"]["asm"] = std::chrono::duration<double, std::milli>(clock::now() - start).count();
}

std::string emit_assembly(const std::string &ir_text, const std::string &syntax, int opt_level) {
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic err;
  std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(ir_text, err, ctx);
  if (!m) return "; could not parse the IR: " + err.getMessage().str();
  return clean_asm(emit_asm_text(*m, opt_level, syntax == "intel")).first;
}

nlohmann::json pass_steps(const std::string &ir_text, int opt_level) {
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic err;
  std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(ir_text, err, ctx);
  if (!m) return {{"error", "could not parse the IR: " + err.getMessage().str()}};
  std::unique_ptr<llvm::TargetMachine> tm = host_target_machine(opt_level);
  m->setDataLayout(tm->createDataLayout());
  m->setTargetTriple(tm->getTargetTriple().str());
  OptimiseLog log;
  log.capture = true;
  auto start = clock::now();
  optimise(*m, *tm, opt_level, log);
  double ms = std::chrono::duration<double, std::milli>(clock::now() - start).count();
  nlohmann::json initial = nlohmann::json::array(), steps = nlohmann::json::array(), functions = nlohmann::json::object();
  std::map<std::string, std::string> last;
  for (auto &[name, text] : log.initial) {
    initial.push_back({{"function", name}, {"ir", text}});
    last[name] = text;
  }
  for (auto &st : log.steps) {
    LineDiff d = diff_lines(last[st.function], st.ir, 2);
    last[st.function] = st.ir;
    steps.push_back({{"pass", st.pass}, {"function", st.function}, {"ir", st.ir}, {"diff", d.text}, {"added", d.added},
                     {"removed", d.removed}});
  }
  for (auto &[name, st] : log.per_function) functions[name] = {{"runs", st.runs}, {"ms", st.ms}};
  return {{"initial", initial}, {"steps", steps}, {"functions", functions}, {"ms", ms}, {"opt_level", opt_level}};
}

}  // namespace pyvorin
