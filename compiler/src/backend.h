// The back half of the pipeline: optimise (new pass manager, pass log, remarks), codegen (object
// bytes and assembly text from one module) and load (the process-wide ORC LLJIT).
#pragma once

#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/Analysis/LoopInfo.h>
#include <llvm/IR/Module.h>
#include <llvm/Target/TargetMachine.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pyvorin {

struct Remark {
  std::string pass, kind, message;  // kind: "passed" | "missed" | "analysis"
  int line = 0;
  int count = 1;    // LLVM repeats a remark (each loop version, each pipeline stage): counted once
  std::string why;  // the message in plain words, with what it means for Python code (or empty)
};

struct PassRecord {
  std::string name;
  double ms = 0;
  int runs = 0;
};

// The IR of one function after a pass that changed it (OptimiseLog::capture).
struct PassStep {
  std::string pass;      // the pass's name, e.g. "InstCombinePass"
  std::string function;  // the LLVM function's name
  std::string ir;        // the function's text after the pass
};

struct FunctionPassStats {
  int runs = 0;  // passes run on a unit that contains the function
  double ms = 0;
};

struct OptimiseLog {
  std::vector<PassRecord> passes;  // in order of first run
  std::vector<Remark> remarks;
  // With capture: each function's text before the pipeline (`initial`), then after every pass
  // that changed it (`steps`, in order), and the passes run on it.
  bool capture = false;
  std::vector<std::pair<std::string, std::string>> initial;
  std::vector<PassStep> steps;
  std::map<std::string, FunctionPassStats> per_function;
};

// libm's functions and the C library's memory functions compiled code may call: they need neither
// the GIL nor Python (pipeline.cpp).
bool c_library_function(const std::string &name);

// LLVM's code generation level for an optimisation level 0..3 (the host's and WebAssembly's).
llvm::CodeGenOptLevel codegen_level(int opt_level);

// A host TargetMachine at the given optimisation level (no FP contraction: results stay
// bit-identical to CPython's).
std::unique_ptr<llvm::TargetMachine> host_target_machine(int opt_level);

// Folds straight-line runs of checks into one pending-error test each and shares one raise block
// per function (merge_checks.cpp); true if the function changed. Runs first at O1..O3.
bool merge_checks(llvm::Function &f, const llvm::LoopInfo &loops);

// Runs the O0..O3 pipeline on `module` (whose context gets a remark-collecting handler). When
// `cancelled` (optional) turns true, the remaining optional passes are skipped.
void optimise(llvm::Module &module, llvm::TargetMachine &tm, int opt_level, OptimiseLog &log,
              const std::function<bool()> &cancelled = {});

// Object file bytes for `module` (consumes it: codegen rewrites IR).
std::string emit_object(llvm::Module &module, llvm::TargetMachine &tm);
// The largest function frame in an object (its .stack_sizes section), in bytes; 0 if unknown.
unsigned max_frame_bytes(const std::string &object);
// Assembly text, in AT&T or Intel syntax; `module` is not modified (a clone is compiled).
std::string emit_asm_text(const llvm::Module &module, int opt_level, bool intel);

// A JITLink memory manager that packs many small objects into a few shared mappings
// (jit_memory.cpp); nullptr where executable shared memory cannot be had.
std::unique_ptr<llvm::jitlink::JITLinkMemoryManager> make_packed_memory_manager();

// An object added to the process's JIT: the address of its entry symbol, and the owner whose
// last copy frees the object's code (one ResourceTracker per object).
struct JitCode {
  void *address = nullptr;
  std::shared_ptr<void> owner;
};

// What the loader binds an object's load-time symbols to (ModuleState::load_time): a copy of each
// string (kept as long as the code), and plain addresses.
struct LoadBindings {
  std::vector<std::pair<std::string, std::string>> strings;
  std::vector<std::pair<std::string, uint64_t>> addresses;
  bool counted = true;  // counted by jit_live_objects (the warm-up's object is not)
};

// Adds an object to the process's JIT, in a JITDylib of its own, and looks up `symbol`. Throws
// std::runtime_error with LLVM's message on failure.
JitCode jit_load(std::string object, const std::string &symbol, const LoadBindings &bindings);

}  // namespace pyvorin
