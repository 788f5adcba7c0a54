// The compiler's public API: a CompileRequest (sources, global bindings, argument types, options)
// goes in; a CompileResult (a native entry in the process's JIT, or a Fallback, plus the report
// JSON) comes out. Used by the Python binding (compiler/python) and pyvorinc.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pyvorin/diagnostics.h"
#include "pyvorin_runtime.h"

namespace pyvorin {

// Types that cross the native boundary; the numbers are the dispatcher's tags. A container's tag
// is followed by its element types' tags (preorder): list[int] is {List, Int}, dict[str, float]
// {Dict, Str, Float}, tuple[int, bool] {Tuple, 2, Int, Bool} (the count is a bare number), and an
// empty container's element is Unknown. Object marks a result that is a PyObject* (a new reference).
enum class TypeTag : int {
  None = 0, Bool = 1, Int = 2, Float = 3, Str = 4, List = 5, Tuple = 6, Dict = 7, Set = 8, Unknown = 9, Range = 10,
  Object = 11, TupleN = 12, Bytes = 13, TextFile = 14, BinaryFile = 15, ByteArray = 16,
  // NumPy: NpScalar is followed by a dtype code (pyvorin::DType); Array by the dtype code, ndim,
  // and flags (layout: 0 C, 1 F, 2 any strides; | 4 when read-only), each a bare number
  NpScalar = 17, Array = 18,
  Complex = 19  // an exact Python complex
};
const char *type_tag_name(TypeTag tag);
// The types a flattened tag sequence describes, one name per argument ("list[int]", "float").
std::vector<std::string> describe_tags(const std::vector<TypeTag> &tags);
// The tags of a type written as Python spells it ("int", "list[float]", "dict[str, list[int]]",
// "tuple[int, float]", "set[int]", "str", "None"); false when it is not one of those.
bool tags_from_name(const std::string &name, std::vector<TypeTag> &out);

struct Options {
  int opt_level = 2;     // 0..3
  bool fast = false;     // no interrupt polls on loop back-edges
  bool strict = false;   // (used by the Python layer: fallback -> CompilationError)
  bool debug_info = true;
  bool eager_asm = false;  // assembly text at compile time (else on first request: complete_report)
  std::string asm_syntax = "att";
  // Code for a library outside the process (pyvorin.export, WebAssembly): the source file's name
  // and paths are constants in the object instead of symbols the JIT's loader binds, and compile()
  // stops after lowering (the report's "ir"; no entry in the JIT).
  bool exported = false;
};

struct FunctionSource {
  std::string name;      // the Python name
  std::string source;    // the text of the def (dedented); decorators may precede it
  std::string filename;  // co_filename, for tracebacks and debug info
  int first_line = 1;    // absolute line of the first line of `source`
  // The function's globals dict (id()), which the dispatcher keeps alive while the code runs:
  // compiled code looks a jitted function up there when it passes it to CPython (sorted's key=).
  uintptr_t globals_address = 0;
};

// What a free name of a function refers to in its globals at compile time.
struct Binding {
  // Object: a module-level container or str, read live from the function's globals at each use
  // (value_tags: its type, as for an argument; guarded where its elements are read).
  // NumpyModule: the numpy module itself (np.zeros, np.float64, np.pi are looked up on it)
  // CmathModule: the cmath module (its functions are CPython's own, called on boxed values)
  // NumpyType: one of NumPy's scalar types by name (`from numpy import float64`), target its name
  enum class Kind { Function, MathModule, MathFunction, MathConstant, Builtin, Other, Constant, Object, NumpyModule, CmathModule,
                    NumpyType };
  Kind kind = Kind::Other;
  int function_index = -1;  // Function: index into CompileRequest::functions
  std::string target;       // MathFunction/MathConstant/Builtin: the name in math/builtins
  std::string detail;       // Other: a description ("int", "module 'numpy'"); Constant: repr() of the value
  // Constant: an int (within int64), float, bool or None global, compiled as its value. The
  // caller recompiles when the global is rebound or deleted (the dispatcher's dependencies).
  // A tuple of such values (nested tuples too) is a Constant of value_type Tuple with its items.
  TypeTag value_type = TypeTag::None;
  int64_t int_value = 0;    // Int; Bool: 0 or 1
  double float_value = 0;   // Float
  std::vector<Binding> items;  // Tuple
  std::vector<TypeTag> value_tags;  // Object
};

struct UnitFunction {
  FunctionSource source;
  std::map<std::string, Binding> globals;
};

// How compile() lets its caller's runtime go on meanwhile (the Python binding: the GIL and Ctrl-C).
struct CompileHooks {
  virtual ~CompileHooks() = default;
  // Around the stages after parse, which touch no Python object: other threads may run.
  virtual void release() {}
  virtual void reacquire() {}
  // Polled between stages and passes (without the GIL): true stops the compile.
  virtual bool cancelled() { return false; }
};

class DiskCache;

struct CompileRequest {
  std::vector<UnitFunction> functions;  // functions[0] is the one being specialised
  std::vector<TypeTag> arg_types;
  Options options;
  CompileHooks *hooks = nullptr;  // optional
  // Optional: load the object from this cache when it holds it, else compile and store it there.
  DiskCache *disk_cache = nullptr;
  // What else the object depends on, as the embedder knows it (Python's version and ABI, NumPy's
  // version): part of the disk cache's key.
  std::string environment;
};

using NativeEntryFn = uint64_t (*)(PvCtx *ctx, const uint64_t *args);

struct NativeEntry {
  NativeEntryFn fn = nullptr;
  // Owns the machine code behind `fn`: the code is freed when the last copy is released, so
  // keep one for as long as anything may call `fn`.
  std::shared_ptr<void> code;
  std::vector<TypeTag> args;
  TypeTag ret = TypeTag::None;
  bool release_gil = false;  // runs long and touches no Python object
  bool pure = true;          // no side effects: an int64 overflow can rerun the call in CPython
  bool long_running = false; // has loops or calls: polls SIGINT, worth releasing the GIL
  bool numpy_scalars = false;  // computes with NumPy scalars: NumPy's underflow warnings are not compiled
  unsigned frame_bytes = 0;  // the largest native frame (return address included); 0 if unknown
};

struct CompileResult {
  bool cancelled = false;  // CompileHooks::cancelled() stopped it: no entry, no fallback
  std::optional<Fallback> fallback;
  NativeEntry entry;
  // This function's entry of the report JSON (docs/report-format.md), without "cache".
  nlohmann::json report;
  std::string object;        // the relocatable object that was loaded (empty for a fallback)
  std::string entry_symbol;  // its entry function
  // With a disk cache: "disk hit" (loaded from it, no LLVM run) or "miss" (compiled, then stored).
  std::string disk_status;
  std::string disk_key;
  std::vector<std::string> warnings;  // a damaged cache entry that was ignored, a cache that cannot be written
};

// A Fallback as the report and the Python layer carry it (code, reason, construct, line,
// suggestion, function, text).
nlohmann::json fallback_to_json(const Fallback &f);

// Parse, normalise and check one function: what can be known before any argument type.
// Needs the GIL (CPython's ast parses).
std::optional<Fallback> check_source(const FunctionSource &source);

// The parsed tree of one function as the report prints it (empty when the source does not parse).
std::string dump_source_ast(const FunctionSource &source);

// The whole pipeline. Needs the GIL. Never throws for user errors: they come back as a Fallback.
CompileResult compile(const CompileRequest &request);

// Fills a report's "asm" and "line_map" (and timings_ms.asm) from its "opt_ir" when the compile
// left them for later (Options::eager_asm false). A no-op when they are there.
void complete_report(nlohmann::json &report);

// The optimisation pipeline run again on a report's "ir" (the module before optimisation), with
// each function's text recorded before it and after every pass that changed it:
// {"initial": [{"function", "ir"}], "steps": [{"pass", "function", "ir", "diff", "added", "removed"}],
//  "functions": {name: {"runs", "ms"}}, "ms", "opt_level"} (or {"error"}).
nlohmann::json pass_steps(const std::string &ir_text, int opt_level);

// The control-flow graph of every function of an IR module text (inspect_cfg.cpp):
// [{"function", "blocks": [{"id", "name", "lines", "instructions", "terminator", "cold"}],
//   "edges": [{"from", "to", "label"}]}] (or {"error"}).
nlohmann::json cfg_graphs(const std::string &ir_text);

// Assembly text for an IR module text, in "att" or "intel" syntax (for inspect_asm).
std::string emit_assembly(const std::string &ir_text, const std::string &syntax, int opt_level);

std::string llvm_version();

// The file name JIT debug information gives a function's file (and the disk cache's key covers):
// without its directory (a notebook cell's temporary directory names the kernel's process), and
// "<cell>" for a pseudo-file such as IPython's "<ipython-input-5-...>", which numbers executions.
// Tracebacks name the real file, bound when the object is loaded.
std::string debug_file_name(const std::string &filename);

// Makes the process's JIT and takes a small function through optimise, codegen and the JIT's
// linker, so that the first compile or disk cache hit does not pay for that (the Python module
// runs it on a thread of its own at import). Never throws.
void warm_up();

// Objects loaded into the process's JIT whose code is still alive (for memory tests).
long jit_live_objects();

}  // namespace pyvorin
