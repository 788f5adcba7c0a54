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
#include <cctype>

#include "backend.h"

namespace pyvorin {
namespace {

// Collects passed remarks, and the missed ones of the loop optimisers (why a loop did not
// vectorise is what a student wants to see); everything else is dropped silently.
class RemarkCollector : public llvm::DiagnosticHandler {
 public:
  explicit RemarkCollector(std::vector<Remark> &out) : m_out(out) {}
  bool handleDiagnostics(const llvm::DiagnosticInfo &di) override {
    auto *r = llvm::dyn_cast<llvm::DiagnosticInfoOptimizationBase>(&di);
    if (!r) return di.getSeverity() != llvm::DS_Error;
    std::string pass = r->getPassName().str();
    bool missed = di.getKind() == llvm::DK_OptimizationRemarkMissed;
    bool passed = di.getKind() == llvm::DK_OptimizationRemark;
    if (!passed && !missed) return true;
    if (missed && pass != "loop-vectorize" && pass != "slp-vectorizer" && pass != "loop-unroll") return true;
    if (m_out.size() >= 200) return true;
    Remark rm;
    rm.pass = pass;
    rm.kind = passed ? "passed" : "missed";
    rm.message = r->getMsg();
    if (r->isLocationAvailable()) rm.line = int(r->getLocation().getLine());
    m_out.push_back(std::move(rm));
    return true;
  }
  bool isAnalysisRemarkEnabled(llvm::StringRef) const override { return false; }
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
  // With capture: the functions of each running pass's unit when it is a function or a loop (they
  // outlive the pass even when it invalidates its unit, e.g. a loop deleted).
  std::vector<std::vector<const llvm::Function *>> running;
  pic.registerBeforeNonSkippedPassCallback([&](llvm::StringRef, llvm::Any ir) {
    starts.push_back(clock::now());
    if (!log.capture) return;
    std::vector<const llvm::Function *> fns;
    if (const auto *f = llvm::any_cast<const llvm::Function *>(&ir)) fns.push_back(*f);
    else if (const auto *l = llvm::any_cast<const llvm::Loop *>(&ir)) fns.push_back((*l)->getHeader()->getParent());
    running.push_back(std::move(fns));
  });
  auto after = [&](llvm::StringRef name) {
    if (starts.empty()) return;
    double ms = std::chrono::duration<double, std::milli>(clock::now() - starts.back()).count();
    starts.pop_back();
    if (is_container_pass(name)) return;
    auto [it, inserted] = index.emplace(name.str(), log.passes.size());
    if (inserted) log.passes.push_back({name.str(), 0, 0});
    log.passes[it->second].ms += ms;
    log.passes[it->second].runs += 1;
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
  auto functions_of = [&](const llvm::Any &ir) {
    std::vector<const llvm::Function *> out;
    if (const auto *f = llvm::any_cast<const llvm::Function *>(&ir)) {
      out.push_back(*f);
    } else if (const auto *m = llvm::any_cast<const llvm::Module *>(&ir)) {
      for (const llvm::Function &f : **m)
        if (!f.isDeclaration()) out.push_back(&f);
    } else if (const auto *c = llvm::any_cast<const llvm::LazyCallGraph::SCC *>(&ir)) {
      for (const llvm::LazyCallGraph::Node &n : **c) out.push_back(&n.getFunction());
    } else if (const auto *l = llvm::any_cast<const llvm::Loop *>(&ir)) {
      out.push_back((*l)->getHeader()->getParent());
    }
    return out;
  };
  auto capture = [&](llvm::StringRef name, const llvm::Any &ir, double ms) {
    if (is_container_pass(name)) return;
    for (const llvm::Function *f : functions_of(ir)) {
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
    double ms = starts.empty() ? 0 : std::chrono::duration<double, std::milli>(clock::now() - starts.back()).count();
    after(name);
    if (!log.capture) return;
    if (!running.empty()) running.pop_back();
    capture(name, ir, ms);
  });
  pic.registerAfterPassInvalidatedCallback([&](llvm::StringRef name, const llvm::PreservedAnalyses &) {
    double ms = starts.empty() ? 0 : std::chrono::duration<double, std::milli>(clock::now() - starts.back()).count();
    after(name);
    if (!log.capture || running.empty()) return;
    std::vector<const llvm::Function *> fns = std::move(running.back());
    running.pop_back();
    for (const llvm::Function *f : fns) capture(name, llvm::Any(f), ms);
  });
  if (cancelled) pic.registerShouldRunOptionalPassCallback([&](llvm::StringRef, llvm::Any) { return !cancelled(); });

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PipelineTuningOptions pto;
  pto.LoopVectorization = opt_level >= 2;
  // SLP vectorisation only at O3: on scalar float code its cost model packs divisions and square
  // roots into vectors with many shuffles and loses (nbody: ~10% slower than without it).
  pto.SLPVectorization = opt_level >= 3;
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
  ctx.setDiagnosticHandler(std::make_unique<llvm::DiagnosticHandler>());
}

}  // namespace pyvorin
