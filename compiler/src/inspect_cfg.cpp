// inspect_cfg: the control-flow graph of each function of an IR module text, as data for a
// picture (the Python layer draws it with graphviz): blocks with the source lines their
// instructions carry, and edges with the branch they take.
#include <llvm/AsmParser/Parser.h>
#include <llvm/IR/CFG.h>
#include <llvm/IR/DebugInfoMetadata.h>
#include <llvm/IR/Instructions.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <set>

#include "pyvorin/compiler.h"

namespace pyvorin {
namespace {

std::string block_name(const llvm::BasicBlock &bb, int index) {
  if (bb.hasName()) return bb.getName().str();
  std::string s;
  llvm::raw_string_ostream os(s);
  bb.printAsOperand(os, false);
  return s.empty() ? "block" + std::to_string(index) : s;
}

// Blocks that only leave with an error or poll for an interrupt: drawn apart (they are the
// checks' cold paths).
bool is_cold(const llvm::BasicBlock &bb) {
  llvm::StringRef n = bb.getName();
  for (const char *p : {"raise", "unwind", "traceback", "np.warns", "interrupt.poll", "np.warned.first", "deopt"})
    if (n.starts_with(p)) return true;
  for (const llvm::Instruction &i : bb)
    if (const auto *call = llvm::dyn_cast<llvm::CallBase>(&i))
      if (const llvm::Function *f = call->getCalledFunction())
        if (f->getName() == "pv_raise" || f->getName() == "pv_traceback_push") return true;
  return false;
}

}  // namespace

nlohmann::json cfg_graphs(const std::string &ir_text) {
  llvm::LLVMContext ctx;
  llvm::SMDiagnostic err;
  std::unique_ptr<llvm::Module> m = llvm::parseAssemblyString(ir_text, err, ctx);
  if (!m) return {{"error", "could not parse the IR: " + err.getMessage().str()}};
  nlohmann::json out = nlohmann::json::array();
  for (const llvm::Function &f : *m) {
    if (f.isDeclaration()) continue;
    std::map<const llvm::BasicBlock *, int> id;
    int n = 0;
    for (const llvm::BasicBlock &bb : f) id[&bb] = n++;
    nlohmann::json blocks = nlohmann::json::array(), edges = nlohmann::json::array();
    for (const llvm::BasicBlock &bb : f) {
      std::set<int> lines;
      for (const llvm::Instruction &i : bb)
        if (const llvm::DebugLoc &dl = i.getDebugLoc(); dl && dl.getLine() > 0) lines.insert(int(dl.getLine()));
      const llvm::Instruction *term = bb.getTerminator();
      std::string kind = term ? term->getOpcodeName() : "none";
      blocks.push_back({{"id", id[&bb]}, {"name", block_name(bb, id[&bb])}, {"lines", std::vector<int>(lines.begin(), lines.end())},
                        {"instructions", int(bb.size())}, {"terminator", kind}, {"cold", is_cold(bb)}});
      if (!term) continue;
      if (const auto *br = llvm::dyn_cast<llvm::BranchInst>(term); br && br->isConditional()) {
        edges.push_back({{"from", id[&bb]}, {"to", id[br->getSuccessor(0)]}, {"label", "T"}});
        edges.push_back({{"from", id[&bb]}, {"to", id[br->getSuccessor(1)]}, {"label", "F"}});
        continue;
      }
      if (const auto *sw = llvm::dyn_cast<llvm::SwitchInst>(term)) {
        for (auto &c : sw->cases())
          edges.push_back({{"from", id[&bb]}, {"to", id[c.getCaseSuccessor()]}, {"label", std::to_string(c.getCaseValue()->getSExtValue())}});
        edges.push_back({{"from", id[&bb]}, {"to", id[sw->getDefaultDest()]}, {"label", "default"}});
        continue;
      }
      for (const llvm::BasicBlock *succ : llvm::successors(&bb)) edges.push_back({{"from", id[&bb]}, {"to", id[succ]}, {"label", ""}});
    }
    out.push_back({{"function", f.getName().str()}, {"blocks", blocks}, {"edges", edges}});
  }
  return out;
}

}  // namespace pyvorin
