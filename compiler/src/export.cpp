// export: compiled functions as an object with C entry points and a C header (pyvorin/export.h,
// docs/export.md); the shared library or WebAssembly module is linked by clang-19 / wasm-ld-19.
#include "pyvorin/export.h"

#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Linker/Linker.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Support/Program.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <climits>
#include <stdexcept>
#include <fstream>
#include <set>
#include <sstream>

#include "backend.h"

namespace pyvorin {
namespace {

// What exported code may call: the runtime's functions that need no Python (runtime.cpp,
// export.cpp), libm's and the C library's memory functions, and LLVM's intrinsics.
bool exportable_callee(const std::string &name) {
  static const std::set<std::string> allowed = {
      "pv_raise", "pv_traceback_push", "pv_poll_interrupt", "pv_int_pow", "pv_float_pow", "pv_float_floordiv", "pv_float_mod",
      "pv_int_truediv", "pv_cmp_int_float", "pv_float_to_int", "pv_round_ndigits", "pv_int_round", "pv_math_pow",
      "pv_math_isqrt", "pv_math_log_base", "pv_math_hypot", "pv_math_atan2", "pv_print_int", "pv_print_float",
      "pv_print_bool", "pv_print_none", "pv_print_str", "pv_print_end", "pv_print_count", "pv_export_begin",
      "pv_export_end", "pv_export_last_error"};
  return allowed.count(name) > 0 || c_library_function(name);
}

const char *python_type(TypeTag t) {
  switch (t) {
    case TypeTag::Int: return "int";
    case TypeTag::Float: return "float";
    case TypeTag::Bool: return "bool";
    case TypeTag::None: return "None";
    default: return nullptr;
  }
}

// A parameter's name as C can have it: C's keywords (a Python parameter may be called `char` or
// `default`) get a trailing underscore.
std::string c_name(const std::string &name) {
  static const std::set<std::string> keywords = {
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum", "extern", "float",
      "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return", "short", "signed", "sizeof", "static",
      "struct", "switch", "typedef", "union", "unsigned", "void", "volatile", "while", "bool", "true", "false", "result",
      "int64_t", "int32_t", "_Bool", "_Complex", "_Atomic", "_Generic", "_Noreturn", "_Static_assert", "_Thread_local",
      "alignas", "alignof", "nullptr", "static_assert", "thread_local", "typeof", "class", "new", "delete", "this",
      "template", "typename", "namespace", "operator", "private", "public", "protected", "virtual", "friend", "mutable",
      "explicit", "export", "try", "catch", "throw", "using", "asm", "and", "or", "not", "xor", "decltype", "noexcept",
      "constexpr", "consteval", "constinit", "concept", "requires", "co_await", "co_return", "co_yield", "char8_t",
      "char16_t", "char32_t", "wchar_t", "nullptr_t", "_Alignas", "_Alignof", "_Imaginary", "_Decimal32", "_Decimal64",
      "_Decimal128", "_BitInt", "bitand", "bitor", "compl", "and_eq", "or_eq", "xor_eq", "not_eq", "dynamic_cast",
      "static_cast", "reinterpret_cast", "const_cast", "typeid", "final", "override", "import", "module",
      // macros of C compilers and the C library a program may have included first
      "linux", "unix", "i386", "errno", "NULL", "EOF", "BUFSIZ", "stdin", "stdout", "stderr", "assert", "offsetof",
      "complex", "imaginary", "I", "va_arg", "va_start", "va_end", "setjmp", "INFINITY", "NAN", "HUGE_VAL", "isnan", "isinf",
      "signbit", "fpclassify", "isfinite", "alignas", "noreturn", "static_assert"};
  return keywords.count(name) ? name + "_" : name;
}

const char *c_type(const std::string &py) {
  return py == "int" ? "int64_t" : py == "float" ? "double" : py == "bool" ? "bool" : "void";
}

std::unique_ptr<llvm::TargetMachine> target_machine(ExportTarget target, int opt_level) {
  if (target == ExportTarget::Host) return host_target_machine(opt_level);
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeWebAssemblyTargetInfo();
    LLVMInitializeWebAssemblyTarget();
    LLVMInitializeWebAssemblyTargetMC();
    LLVMInitializeWebAssemblyAsmPrinter();
  });
  const std::string triple = "wasm32-unknown-wasi";
  std::string error;
  const llvm::Target *t = llvm::TargetRegistry::lookupTarget(triple, error);
  if (!t) throw std::runtime_error("no WebAssembly target in this LLVM: " + error);
  llvm::TargetOptions options;
  options.AllowFPOpFusion = llvm::FPOpFusion::Strict;  // bit-identical floats, as on the host
  return std::unique_ptr<llvm::TargetMachine>(
      t->createTargetMachine(triple, "generic", "", options, llvm::Reloc::Static, std::nullopt, codegen_level(opt_level)));
}

Fallback refusal(const ExportRequest &er, const std::string &reason, int line, const std::string &suggestion) {
  const FunctionSource &s = er.request.functions.at(0).source;
  return make_fallback(FallbackCode::UnsupportedSignature, s.name, reason, "export", line ? line : s.first_line, suggestion);
}

// The call of `m` to a function exported code cannot have that comes first in the source (the
// line that needs Python: cleanup calls, which carry the `def` line, come after any other).
std::optional<std::pair<std::string, int>> foreign_call(const llvm::Module &m, int def_line) {
  std::optional<std::pair<std::string, int>> best;
  auto rank = [&](int line) { return line > def_line ? line : INT_MAX - 1; };
  for (const llvm::Function &f : m)
    for (const llvm::BasicBlock &bb : f)
      for (const llvm::Instruction &i : bb) {
        auto *call = llvm::dyn_cast<llvm::CallBase>(&i);
        if (!call) continue;
        const llvm::Function *callee = call->getCalledFunction();
        if (!callee || !callee->isDeclaration() || callee->isIntrinsic()) continue;
        std::string name = callee->getName().str();
        if (exportable_callee(name)) continue;
        int line = call->getDebugLoc() ? int(call->getDebugLoc().getLine()) : 0;
        if (!best || rank(line) < rank(best->second)) best = std::make_pair(name, line);
      }
  return best;
}

// int32_t <symbol>(params..., ret *result): one call on the thread's context.
void add_entry_point(llvm::Module &m, llvm::Function *root, const ExportedFunction &info) {
  llvm::LLVMContext &ctx = m.getContext();
  llvm::IRBuilder<> b(ctx);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  std::vector<llvm::Type *> params;
  for (const std::string &t : info.types)
    params.push_back(t == "int" ? b.getInt64Ty() : t == "float" ? b.getDoubleTy() : b.getInt1Ty());
  bool has_result = info.ret != "None";
  if (has_result) params.push_back(ptr);
  auto *fn = llvm::Function::Create(llvm::FunctionType::get(b.getInt32Ty(), params, false), llvm::GlobalValue::ExternalLinkage,
                                    info.symbol, m);
  if (fn->getName() != info.symbol) {  // LLVM renamed it: the name is the runtime's or another's
    fn->eraseFromParent();
    throw std::invalid_argument(info.symbol);
  }
  fn->addFnAttr(llvm::Attribute::NoUnwind);
  for (size_t i = 0; i < info.types.size(); ++i) {
    fn->getArg(unsigned(i))->setName(info.params[i]);
    if (info.types[i] == "bool") fn->addParamAttr(unsigned(i), llvm::Attribute::ZExt);
  }
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", fn));
  auto begin = m.getOrInsertFunction("pv_export_begin", llvm::FunctionType::get(ptr, {}, false));
  auto end = m.getOrInsertFunction("pv_export_end", llvm::FunctionType::get(b.getInt32Ty(), {ptr}, false));
  llvm::Value *pctx = b.CreateCall(begin, {}, "ctx");
  // the root's budget parameter: how many native calls may nest (PvCtx::depth_limit, field 4)
  llvm::StructType *ctx_type = nullptr;
  for (llvm::StructType *t : m.getIdentifiedStructTypes())
    if (t->getName().starts_with("PvCtx")) ctx_type = t;
  if (!ctx_type) throw std::runtime_error("the compiled IR has no PvCtx type");
  llvm::Value *budget = b.CreateLoad(b.getInt64Ty(), b.CreateStructGEP(ctx_type, pctx, 4), "depth.limit");
  std::vector<llvm::Value *> args{pctx, budget};
  for (size_t i = 0; i < info.types.size(); ++i) args.push_back(fn->getArg(unsigned(i)));
  llvm::Value *r = b.CreateCall(root, args);
  llvm::Value *status = b.CreateCall(end, {pctx}, "status");
  if (has_result) {
    auto *ok = llvm::BasicBlock::Create(ctx, "ok", fn), *done = llvm::BasicBlock::Create(ctx, "done", fn);
    b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(0)), ok, done);
    b.SetInsertPoint(ok);
    if (info.ret == "bool") r = b.CreateZExt(r, b.getInt8Ty());
    b.CreateStore(r, fn->getArg(unsigned(info.types.size())));
    b.CreateBr(done);
    b.SetInsertPoint(done);
  }
  b.CreateRet(status);
}

std::string header_text(const ExportResult &r, const std::string &module) {
  std::string guard = "PYVORIN_EXPORT_" + module + "_H";
  for (char &c : guard) c = char(std::toupper(static_cast<unsigned char>(c)));
  std::ostringstream h;
  h << "/* " << module << ".h: C interface of the functions Pyvorin " PYVORIN_VERSION " compiled into " << module
    << ".\n * Generated; do not edit.\n *\n"
       " * Each function returns a status: PYVORIN_OK (0) when it returned normally, its result then stored\n"
       " * in *result; otherwise the Python exception it raised, as one of the codes below, with\n"
       " * "
    << module
    << "_last_error() describing it (\"ZeroDivisionError: division by zero (in f, line 3 of m.py)\")\n"
       " * and *result left unchanged. Nothing aborts, nothing wraps: an int that leaves int64_t is\n"
       " * PYVORIN_INT_OVERFLOW, where Python would have made a bigger int. print() writes to stdout.\n"
       " * Functions may be called from any thread; the last error is per thread. */\n"
    << "#ifndef " << guard << "\n#define " << guard << "\n\n#include <stdbool.h>\n#include <stdint.h>\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
       "#ifndef PYVORIN_STATUS_CODES\n#define PYVORIN_STATUS_CODES\n"
       "enum pyvorin_status {\n"
       "  PYVORIN_OK = 0,\n"
       "  PYVORIN_ZERO_DIVISION_ERROR = 1,  /* ZeroDivisionError */\n"
       "  PYVORIN_VALUE_ERROR = 2,          /* ValueError (math domain error, ...) */\n"
       "  PYVORIN_OVERFLOW_ERROR = 3,       /* OverflowError that Python raises too (float range) */\n"
       "  PYVORIN_INT_OVERFLOW = 4,         /* an int result beyond int64_t (Python: a bigger int) */\n"
       "  PYVORIN_UNREPRESENTABLE = 5,      /* a result Python makes of another type (complex) */\n"
       "  PYVORIN_RECURSION_ERROR = 6,      /* RecursionError (more than 1000 nested calls) */\n"
       "  PYVORIN_UNBOUND_LOCAL_ERROR = 8,  /* UnboundLocalError */\n"
       "  PYVORIN_TYPE_ERROR = 9,           /* TypeError */\n"
       "  PYVORIN_IO_ERROR = 10,            /* writing to stdout failed */\n"
       "  PYVORIN_INDEX_ERROR = 11,         /* IndexError */\n"
       "  PYVORIN_MEMORY_ERROR = 13         /* MemoryError */\n"
       "};\n#endif\n\n";
  for (const ExportedFunction &f : r.functions) {
    h << "/* " << f.name << "(";
    for (size_t i = 0; i < f.params.size(); ++i) h << (i ? ", " : "") << f.params[i] << ": " << f.types[i];
    h << ") -> " << f.ret << "    (" << f.file << ", line " << f.line << ") */\n";
    h << "int32_t " << f.symbol << "(";
    for (size_t i = 0; i < f.params.size(); ++i) h << (i ? ", " : "") << c_type(f.types[i]) << " " << c_name(f.params[i]);
    if (f.ret != "None") h << (f.params.empty() ? "" : ", ") << c_type(f.ret) << " *result";
    else if (f.params.empty()) h << "void";
    h << ");\n\n";
  }
  h << "/* The description of this thread's last failed call (an empty string before any). */\n"
    << "const char *" << module << "_last_error(void);\n\n"
    << "#ifdef __cplusplus\n}\n#endif\n#endif\n";
  return h.str();
}

}  // namespace

nlohmann::json to_json(const ExportedFunction &f) {
  return {{"name", f.name}, {"symbol", f.symbol}, {"params", f.params}, {"types", f.types}, {"ret", f.ret}, {"line", f.line}};
}

std::string export_identifier(const std::string &name) {
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "_" + out;
  return name.empty() ? std::string() : out;
}

ExportResult export_object(const std::vector<ExportRequest> &requests, const std::string &module, ExportTarget target,
                           int opt_level) {
  ExportResult result;
  auto context = std::make_unique<llvm::LLVMContext>();
  std::unique_ptr<llvm::Module> linked;
  std::set<std::string> names;
  for (const ExportRequest &er : requests) {
    CompileRequest req = er.request;
    req.options.exported = true;
    req.options.opt_level = opt_level;
    req.options.eager_asm = false;
    req.disk_cache = nullptr;
    const FunctionSource &src = req.functions.at(0).source;
    CompileResult r = compile(req);
    result.reports.push_back(r.report);
    if (r.fallback) {
      result.refused.push_back(*r.fallback);
      continue;
    }
    ExportedFunction info;
    info.name = src.name;
    info.symbol = module + "_" + src.name;
    info.file = src.filename;
    info.line = src.first_line;
    info.params = er.params;
    bool ok = true;
    std::vector<std::string> arg_names = describe_tags(req.arg_types);
    for (size_t i = 0; i < req.arg_types.size(); ++i) {
      const char *t = python_type(req.arg_types[i]);
      std::string pname = i < er.params.size() ? er.params[i] : "arg" + std::to_string(i);
      if (!t || req.arg_types[i] == TypeTag::None) {
        result.refused.push_back(refusal(er, "parameter '" + pname + "' is " + (i < arg_names.size() ? arg_names[i] : "?") +
                                                 ": only int, float and bool cross a C function's boundary (Python objects "
                                                 "need the interpreter)",
                                         src.first_line, "pass numbers, or keep this function in Python and call it with pyvorin.jit"));
        ok = false;
        break;
      }
      info.types.push_back(t);
    }
    if (!ok) continue;
    nlohmann::json sig = r.report["signatures"];
    std::string ret = sig.is_array() && !sig.empty() ? sig[0].value("return", std::string("?")) : "?";
    if (ret != "int" && ret != "float" && ret != "bool" && ret != "None") {
      result.refused.push_back(refusal(er, "it returns " + ret + ": only int, float, bool and None results cross a C function's boundary",
                                       src.first_line, "return a number, or keep this function in Python"));
      continue;
    }
    info.ret = ret;
    if (info.params.size() != info.types.size()) {
      info.params.clear();
      for (size_t i = 0; i < info.types.size(); ++i) info.params.push_back("arg" + std::to_string(i));
    }
    if (info.name == "last_error") {
      result.refused.push_back(refusal(er, "its C name '" + info.symbol + "' is the library's own (" + module +
                                               "_last_error() describes the last failure)",
                                       src.first_line, "rename the function"));
      continue;
    }
    if (!names.insert(info.name).second) {
      result.refused.push_back(refusal(er, "another exported function is also named '" + info.name + "'", src.first_line,
                                       "export each name once"));
      continue;
    }
    llvm::SMDiagnostic err;
    std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(r.report["ir"].get<std::string>(), err, *context);
    if (!m) throw std::runtime_error("the compiled IR of '" + src.name + "' does not parse again: " + err.getMessage().str());
    if (auto call = foreign_call(*m, src.first_line)) {
      result.refused.push_back(refusal(er,
                                       "line " + std::to_string(call->second) + " needs Python objects (it calls " + call->first +
                                           ", part of Python's C API or the object runtime): exported code runs without "
                                           "Python, so only numbers, arithmetic, math functions and print are exported",
                                       call->second, "keep Python objects (containers, strings, arrays) out of exported functions"));
      continue;
    }
    // The JIT's entry (argument slots, boxing) is not part of a library: the C entry point
    // calls the root specialisation, which the JIT's entry called.
    llvm::Function *jit_entry = m->getFunction(r.entry_symbol);
    llvm::Function *root = nullptr;
    if (jit_entry)
      for (llvm::BasicBlock &bb : *jit_entry)
        for (llvm::Instruction &i : bb)
          if (auto *call = llvm::dyn_cast<llvm::CallInst>(&i))
            if (call->getCalledFunction() && call->getCalledFunction()->getName().starts_with("pv."))
              root = root ? root : call->getCalledFunction();
    if (!root) throw std::runtime_error("no root function in the compiled IR of '" + src.name + "'");
    jit_entry->eraseFromParent();
    try {
      add_entry_point(*m, root, info);
    } catch (const std::invalid_argument &) {
      result.refused.push_back(refusal(er, "its C name '" + info.symbol + "' is already a name of Pyvorin's runtime", src.first_line,
                                       "give the library another name (pv_ is the runtime's prefix)"));
      continue;
    }
    std::string verify;
    llvm::raw_string_ostream vos(verify);
    if (llvm::verifyModule(*m, &vos)) throw std::runtime_error("invalid export entry for '" + src.name + "': " + verify);
    if (!linked) {
      linked = std::move(m);
    } else if (llvm::Linker::linkModules(*linked, std::move(m))) {
      throw std::runtime_error("the functions could not be linked into one module");
    }
    result.api.push_back(info.symbol);
    result.functions.push_back(std::move(info));
  }
  if (!result.refused.empty() || !linked) return result;
  // <module>_last_error(): the runtime's, under the library's own name
  {
    llvm::IRBuilder<> b(*context);
    auto *ptr = llvm::PointerType::getUnqual(*context);
    auto *fn = llvm::Function::Create(llvm::FunctionType::get(ptr, {}, false), llvm::GlobalValue::ExternalLinkage,
                                      module + "_last_error", *linked);
    b.SetInsertPoint(llvm::BasicBlock::Create(*context, "entry", fn));
    b.CreateRet(b.CreateCall(linked->getOrInsertFunction("pv_export_last_error", llvm::FunctionType::get(ptr, {}, false))));
    result.api.push_back(module + "_last_error");
  }
  linked->setModuleIdentifier("pyvorin." + module);
  linked->setSourceFileName("pyvorin." + module);
  std::unique_ptr<llvm::TargetMachine> tm = target_machine(target, opt_level);
  linked->setDataLayout(tm->createDataLayout());
  linked->setTargetTriple(tm->getTargetTriple().str());
  OptimiseLog log;
  optimise(*linked, *tm, opt_level, log);
  result.object = emit_object(*linked, *tm);
  result.header = header_text(result, module);
  return result;
}

std::string linker_for(ExportTarget target, std::string &error) {
  const char *names[] = {target == ExportTarget::Host ? "clang-19" : "wasm-ld-19", target == ExportTarget::Host ? "clang" : "wasm-ld"};
  for (const char *n : names) {
    if (auto p = llvm::sys::findProgramByName(n)) return *p;
    if (auto p = llvm::sys::findProgramByName(n, {"/usr/lib/llvm-19/bin"})) return *p;
  }
  error = target == ExportTarget::Host ? "clang-19 is not installed (Debian package clang-19): it links the shared library"
                                       : "wasm-ld-19 is not installed (Debian package lld-19): it links the WebAssembly module";
  return "";
}

bool link_exported(const ExportResult &result, const std::string &object_path, const std::string &output_path,
                   const std::string &runtime_archive, ExportTarget target, std::string &error) {
  std::string tool = linker_for(target, error);
  if (tool.empty()) return false;
  std::vector<std::string> args{tool};
  std::string script_path;
  if (target == ExportTarget::Host) {
    // every symbol but the API local: the runtime's names stay inside the library
    script_path = output_path + ".version";
    std::ofstream vs(script_path);
    vs << "{\n  global:\n";
    for (const std::string &s : result.api) vs << "    " << s << ";\n";
    vs << "  local: *;\n};\n";
    vs.close();
    args.insert(args.end(), {"-shared", "-fuse-ld=lld", "-o", output_path, object_path, runtime_archive, "-lstdc++", "-lm",
                             "-Wl,--version-script=" + script_path, "-Wl,--build-id=sha1", "-Wl,-z,relro,-z,now"});
  } else {
    // (--fatal-warnings: a signature mismatch would otherwise link a call that traps)
    args.insert(args.end(), {"--no-entry", "--fatal-warnings", "-o", output_path, object_path, runtime_archive, "--strip-debug",
                             "--gc-sections"});
    for (const std::string &s : result.api) args.push_back("--export=" + s);
  }
  std::vector<llvm::StringRef> argv(args.begin(), args.end());
  std::string message;
  std::string log_path = output_path + ".log";
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(log_path), llvm::StringRef(log_path)};
  int rc = llvm::sys::ExecuteAndWait(tool, argv, std::nullopt, redirects, 120, 0, &message);
  std::ifstream in(log_path);
  std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(log_path.c_str());
  if (!script_path.empty()) std::remove(script_path.c_str());
  if (rc != 0) {
    error = "linking " + output_path + " failed (" + tool + (message.empty() ? "" : ": " + message) + ")" + (log.empty() ? "" : ":\n" + log);
    return false;
  }
  return true;
}

}  // namespace pyvorin
