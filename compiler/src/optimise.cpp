// optimise: LLVM's new pass manager at O0..O3, instrumented to record each pass's time and every
// optimisation remark (vectorised, unrolled, inlined) with its source line.
#include <llvm/ADT/Any.h>
#include <llvm/IR/DiagnosticHandler.h>
#include <llvm/IR/DiagnosticInfo.h>
#include <llvm/IR/InstIterator.h>
#include <llvm/IR/IntrinsicInst.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/PassInstrumentation.h>
#include <llvm/Analysis/LazyCallGraph.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>

#include <chrono>
#include <algorithm>
#include <cctype>
#include <optional>
#include <set>

#include "backend.h"

namespace pyvorin {
namespace {

// What a remark means, in plain words and for Python code: the vectoriser's analyses (why a loop
// was not vectorised) and the inliner's costs.
std::string plain_words(const std::string &pass, const std::string &message) {
  auto has = [&](const char *s) { return message.find(s) != std::string::npos; };
  if (pass == "loop-vectorize") {
    if (has("could not determine number of loop iterations"))
      return "the number of iterations is not known when the loop starts: a while loop, or a loop that can "
             "leave early (break, return, or a check that raises)";
    if (has("loop control flow is not understood"))
      return "the loop has more than one way out: besides its end, a check (int overflow, index bounds, zero "
             "division) or the interrupt poll can leave it. Range analysis removes the checks it proves cannot fire; "
             "the interrupt poll runs once per chunk of iterations, outside the inner loop";
    if (has("could not be identified as reduction"))
      return "a value the loop computes is used after it, but it is not a plain sum, product, min or max (for "
             "example an int accumulator behind an overflow check)";
    if (has("call instruction cannot be vectorized"))
      return "the loop makes a call that has no vector version: an overflow-checked int operation (Python ints "
             "must not wrap), a runtime helper, a libm function such as exp or log, or CPython";
    if (has("volatile read"))
      return "the loop reads a volatile value: the Ctrl-C flag of the interrupt poll, which this loop tests on "
             "every iteration (a while loop; fast=True, or --fast, drops the poll)";
    if (has("control flow cannot be substituted for a select"))
      return "an if in the loop could not be turned into branch-free code: one side stores, calls or can raise "
             "(e.g. a check)";
    if (has("instruction cannot be vectorized")) return "an operation of the loop has no vector form on this CPU";
    if (has("cannot identify array bounds"))
      return "the range of memory the loop reads or writes could not be worked out (indexes that are not a "
             "multiple of the loop variable plus a constant)";
    if (has("unsafe dependent memory operations"))
      return "an iteration reads what an earlier one wrote (a dependence such as out[i + 1] = out[i] + a[i])";
    if (has("reorder floating-point operations"))
      return "vectorising would add floats in another order; compiled code keeps Python's left-to-right order, "
             "so a float sum stays one addition at a time";
    if (has("not beneficial")) return "LLVM's cost model estimated that vector code would not be faster here";
    if (has("switch")) return "the loop contains a switch (a chain of comparisons with constants)";
    if (has("vectorized loop")) return "the loop runs several iterations at once in SIMD registers";
  }
  if (pass == "inline") {
    std::string cost, threshold;
    size_t c = message.find("cost="), t = message.find("threshold=");
    if (c != std::string::npos) cost = message.substr(c + 5, message.find_first_of(",)", c) - c - 5);
    if (t != std::string::npos) threshold = message.substr(t + 10, message.find_first_of(",)", t) - t - 10);
    if (has("not inlined") && has("too costly"))
      return "not inlined: its estimated cost (" + cost + ") is above the inliner's threshold (" + threshold + ")";
    if (has("not inlined")) return "not inlined: the inliner declined (see the message)";
    if (has("inlined into") && !cost.empty() && cost != "always")
      return "inlined: its estimated cost (" + cost + ") is below the threshold (" + threshold +
             "), so its body was copied into the caller and the call disappeared";
    if (has("inlined into")) return "inlined: its body was copied into the caller and the call disappeared";
  }
  if (pass == "loop-unroll" && has("unrolled loop"))
    return "the loop body was copied several times, so fewer iterations test the loop condition";
  if (pass == "licm" && has("hoisting"))
    return "computed once before the loop instead of in every iteration (loop-invariant code motion)";
  if (has("advising against unrolling") && has("call"))
    return "the loop was not unrolled: it contains a call, which unrolling would not make cheaper";
  return "";
}

// Collects passed remarks, the missed ones of the loop optimisers and the inliner, and the
// vectoriser's analyses (why a loop did not vectorise is what a student wants to see); everything
// else is dropped silently. A remark LLVM repeats (for each copy of a versioned loop, at each
// pipeline stage) is counted, not listed again.
class RemarkCollector : public llvm::DiagnosticHandler {
 public:
  explicit RemarkCollector(std::vector<Remark> &out) : m_out(out) {}
  bool handleDiagnostics(const llvm::DiagnosticInfo &di) override {
    auto *r = llvm::dyn_cast<llvm::DiagnosticInfoOptimizationBase>(&di);
    if (!r) return di.getSeverity() != llvm::DS_Error;
    std::string pass = r->getPassName().str();
    bool missed = di.getKind() == llvm::DK_OptimizationRemarkMissed;
    bool passed = di.getKind() == llvm::DK_OptimizationRemark;
    bool analysis = di.getKind() == llvm::DK_OptimizationRemarkAnalysis ||
                    di.getKind() == llvm::DK_OptimizationRemarkAnalysisFPCommute ||
                    di.getKind() == llvm::DK_OptimizationRemarkAnalysisAliasing;
    if (!passed && !missed && !analysis) return true;
    if (missed && pass != "loop-vectorize" && pass != "slp-vectorizer" && pass != "loop-unroll" && pass != "inline")
      return true;
    if (analysis && pass != "loop-vectorize") return true;
    Remark rm;
    rm.pass = pass;
    rm.kind = passed ? "passed" : missed ? "missed" : "analysis";
    rm.message = r->getMsg();
    if (r->isLocationAvailable()) rm.line = int(r->getLocation().getLine());
    for (Remark &seen : m_out)
      if (seen.pass == rm.pass && seen.kind == rm.kind && seen.line == rm.line && seen.message == rm.message) {
        ++seen.count;
        return true;
      }
    if (m_out.size() >= 200) return true;
    rm.why = plain_words(pass, rm.message);
    m_out.push_back(std::move(rm));
    return true;
  }
  bool isAnalysisRemarkEnabled(llvm::StringRef pass) const override { return pass == "loop-vectorize"; }
  bool isMissedOptRemarkEnabled(llvm::StringRef) const override { return true; }
  bool isPassedOptRemarkEnabled(llvm::StringRef) const override { return true; }
  bool isAnyRemarkEnabled() const override { return true; }

 private:
  std::vector<Remark> &m_out;
};

// A constant as an operand: a literal, or a constant behind an arithmetic fence.
bool constant_operand(const llvm::Value *v) {
  if (llvm::isa<llvm::Constant>(v)) return true;
  auto *fence = llvm::dyn_cast<llvm::IntrinsicInst>(v);
  return fence && fence->getIntrinsicID() == llvm::Intrinsic::arithmetic_fence &&
         llvm::isa<llvm::Constant>(fence->getArgOperand(0));
}

// lower wraps a program's float constants in llvm.arithmetic.fence so that the IR optimisers
// neither fold them into a NaN of the wrong sign nor rewrite `x * -1.0` into `fneg x` (see
// FunctionLowerer::opaque). Once they have run, a fence still costs code quality in the back end
// (a register instead of a memory operand, `1.0 * x` and `2.0 * x` kept as multiplications), so
// each use is given the plain constant where the instruction selector can do neither: a finite
// constant other than -1.0 and -0.0 (its own rewrites to fneg), in an instruction with no other
// constant operand (it folds operations of constants, e.g. inf - inf into a positive NaN).
// Fences around conversions and unary minus stay: they are free.
void release_constant_fences(llvm::Module &module) {
  std::vector<llvm::IntrinsicInst *> fences;
  for (llvm::Function &f : module)
    for (llvm::Instruction &inst : llvm::instructions(f))
      if (auto *fence = llvm::dyn_cast<llvm::IntrinsicInst>(&inst);
          fence && fence->getIntrinsicID() == llvm::Intrinsic::arithmetic_fence)
        fences.push_back(fence);
  for (llvm::IntrinsicInst *fence : fences) {
    auto *c = llvm::dyn_cast<llvm::ConstantFP>(fence->getArgOperand(0));
    if (!c) continue;
    const llvm::APFloat &v = c->getValueAPF();
    if (!v.isFinite() || v.isNegZero() || c->isExactlyValue(-1.0)) continue;
    std::vector<llvm::Use *> plain;
    for (llvm::Use &use : fence->uses()) {
      const llvm::User *u = use.getUser();
      bool alone = true;
      if (!llvm::isa<llvm::PHINode>(u) && !llvm::isa<llvm::FCmpInst>(u) && !llvm::isa<llvm::StoreInst>(u))
        for (const llvm::Use &op : u->operands())
          if (&op != &use && constant_operand(op.get())) alone = false;
      if (alone) plain.push_back(&use);
    }
    for (llvm::Use *use : plain) use->set(c);
    if (fence->use_empty()) fence->eraseFromParent();
  }
}

// merge_checks as the first function pass of the pipeline, so the pass log times it too.
struct MergeChecksPass : llvm::PassInfoMixin<MergeChecksPass> {
  llvm::PreservedAnalyses run(llvm::Function &f, llvm::FunctionAnalysisManager &fam) {
    if (f.isDeclaration()) return llvm::PreservedAnalyses::all();
    return merge_checks(f, fam.getResult<llvm::LoopAnalysis>(f)) ? llvm::PreservedAnalyses::none()
                                                                  : llvm::PreservedAnalyses::all();
  }
  static llvm::StringRef name() { return "MergeChecksPass"; }
};

// A function's text without the module-numbered references (attribute groups ` #3`, metadata
// attachments `, !dbg !7`, `!prof !8`), which change when another function changes.
std::string without_numbered_refs(const std::string &text) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; };
  std::string out;
  out.reserve(text.size());
  size_t i = 0, n = text.size();
  while (i < n) {
    // " #12"
    if (text[i] == ' ' && i + 2 < n && text[i + 1] == '#' && digit(text[i + 2])) {
      size_t j = i + 2;
      while (j < n && digit(text[j])) ++j;
      if (j == n || !name_char(text[j])) {
        i = j;
        continue;
      }
    }
    // ", !name !12" or " !name !12"
    size_t k = i + (text[i] == ',' ? 1 : 0);
    if (k + 2 < n && text[k] == ' ' && text[k + 1] == '!' && (std::isalpha(static_cast<unsigned char>(text[k + 2])) || text[k + 2] == '_')) {
      size_t j = k + 2;
      while (j < n && name_char(text[j])) ++j;
      if (j + 2 < n && text[j] == ' ' && text[j + 1] == '!' && digit(text[j + 2])) {
        j += 2;
        while (j < n && digit(text[j])) ++j;
        i = j;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

bool is_container_pass(llvm::StringRef name) {
  return name.contains("PassManager") || name.contains("Adaptor") || name.contains("PassAdaptor") ||
         name.starts_with("ModuleInlinerWrapperPass") || name.starts_with("DevirtSCCRepeatedPass") ||
         name.starts_with("CoroConditionalWrapper");
}

}  // namespace

void optimise(llvm::Module &module, llvm::TargetMachine &tm, int opt_level, OptimiseLog &log,
              const std::function<bool()> &cancelled) {
  llvm::LLVMContext &ctx = module.getContext();
  ctx.setDiagnosticHandler(std::make_unique<RemarkCollector>(log.remarks), true);

  using clock = std::chrono::steady_clock;
  std::vector<clock::time_point> starts;
  std::map<std::string, size_t> index;
  llvm::PassInstrumentationCallbacks pic;
  // The functions of a pass's IR unit: a function, a loop's function, an SCC's functions, or every
  // function of the module. `lasting`: only for a function or a loop, whose function outlives the
  // pass even when the pass invalidates its unit (a loop deleted).
  auto functions_of = [](const llvm::Any &ir, bool lasting) {
    std::vector<const llvm::Function *> out;
    if (const auto *f = llvm::any_cast<const llvm::Function *>(&ir)) {
      out.push_back(*f);
    } else if (const auto *l = llvm::any_cast<const llvm::Loop *>(&ir)) {
      out.push_back((*l)->getHeader()->getParent());
    } else if (lasting) {
      return out;
    } else if (const auto *m = llvm::any_cast<const llvm::Module *>(&ir)) {
      for (const llvm::Function &f : **m)
        if (!f.isDeclaration()) out.push_back(&f);
    } else if (const auto *c = llvm::any_cast<const llvm::LazyCallGraph::SCC *>(&ir)) {
      for (const llvm::LazyCallGraph::Node &n : **c) out.push_back(&n.getFunction());
    }
    return out;
  };
  // With capture: the lasting functions of each running pass's unit (functions_of).
  std::vector<std::vector<const llvm::Function *>> running;
  pic.registerBeforeNonSkippedPassCallback([&](llvm::StringRef, llvm::Any ir) {
    starts.push_back(clock::now());
    if (log.capture) running.push_back(functions_of(ir, true));
  });
  // Where a pass ends: its time into the pass log; the time, or nothing for a pass manager or an
  // adaptor (which only runs others).
  auto after = [&](llvm::StringRef name) -> std::optional<double> {
    if (starts.empty()) return std::nullopt;
    double ms = std::chrono::duration<double, std::milli>(clock::now() - starts.back()).count();
    starts.pop_back();
    if (log.capture && !running.empty()) running.pop_back();
    if (is_container_pass(name)) return std::nullopt;
    auto [it, inserted] = index.emplace(name.str(), log.passes.size());
    if (inserted) log.passes.push_back({name.str(), 0, 0});
    log.passes[it->second].ms += ms;
    log.passes[it->second].runs += 1;
    return ms;
  };
  // Pass by pass (log.capture): which functions a pass ran on, and their text when it changed.
  std::map<const llvm::Function *, std::string> last_text;
  auto text_of = [](const llvm::Function &f) {
    std::string text;
    llvm::raw_string_ostream os(text);
    f.print(os);
    return without_numbered_refs(text);
  };
  if (log.capture)
    for (const llvm::Function &f : module)
      if (!f.isDeclaration()) {
        last_text[&f] = text_of(f);
        log.initial.emplace_back(f.getName().str(), last_text[&f]);
      }
  auto capture = [&](llvm::StringRef name, const std::vector<const llvm::Function *> &functions, double ms) {
    for (const llvm::Function *f : functions) {
      if (f->isDeclaration()) continue;
      FunctionPassStats &st = log.per_function[f->getName().str()];
      st.runs += 1;
      st.ms += ms;
      std::string text = text_of(*f);
      std::string &last = last_text[f];
      if (text == last) continue;
      last = text;
      log.steps.push_back({name.str(), f->getName().str(), std::move(text)});
    }
  };
  pic.registerAfterPassCallback([&](llvm::StringRef name, llvm::Any ir, const llvm::PreservedAnalyses &) {
    std::optional<double> ms = after(name);
    if (log.capture && ms) capture(name, functions_of(ir, false), *ms);
  });
  pic.registerAfterPassInvalidatedCallback([&](llvm::StringRef name, const llvm::PreservedAnalyses &) {
    // the unit is gone: the functions noted where the pass started (a function, a loop's)
    std::vector<const llvm::Function *> lasting = log.capture && !running.empty() ? running.back() : std::vector<const llvm::Function *>();
    std::optional<double> ms = after(name);
    if (log.capture && ms) capture(name, lasting, *ms);
  });
  if (cancelled) pic.registerShouldRunOptionalPassCallback([&](llvm::StringRef, llvm::Any) { return !cancelled(); });

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions pto;
  pto.LoopVectorization = opt_level >= 2;
  // SLP vectorisation from O2: it pairs the two normal CDFs of a Black-Scholes row (~10% faster);
  // on nbody it no longer loses with the interrupt poll on (fast=True: ~5% slower, 2026-12-03).
  pto.SLPVectorization = opt_level >= 2;
  llvm::PassBuilder pb(&tm, pto, std::nullopt, &pic);
  pb.registerPipelineStartEPCallback([](llvm::ModulePassManager &mpm, llvm::OptimizationLevel level) {
    // O0 keeps the IR as lowered (its pipeline calls this hook too).
    if (level != llvm::OptimizationLevel::O0) mpm.addPass(llvm::createModuleToFunctionPassAdaptor(MergeChecksPass()));
  });
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  llvm::OptimizationLevel level = opt_level <= 0   ? llvm::OptimizationLevel::O0
                                  : opt_level == 1 ? llvm::OptimizationLevel::O1
                                  : opt_level == 2 ? llvm::OptimizationLevel::O2
                                                   : llvm::OptimizationLevel::O3;
  llvm::ModulePassManager mpm =
      opt_level <= 0 ? pb.buildO0DefaultPipeline(level) : pb.buildPerModuleDefaultPipeline(level);
  mpm.run(module, mam);
  release_constant_fences(module);
  // The vectoriser's generic "loop not vectorized" beside an analysis that says why: only the why.
  std::set<int> explained;
  for (const Remark &r : log.remarks)
    if (r.pass == "loop-vectorize" && r.kind == "analysis") explained.insert(r.line);
  log.remarks.erase(std::remove_if(log.remarks.begin(), log.remarks.end(),
                                   [&](const Remark &r) {
                                     return r.pass == "loop-vectorize" && r.kind == "missed" &&
                                            r.message == "loop not vectorized" && explained.count(r.line);
                                   }),
                    log.remarks.end());
  ctx.setDiagnosticHandler(std::make_unique<llvm::DiagnosticHandler>());
}

}  // namespace pyvorin
