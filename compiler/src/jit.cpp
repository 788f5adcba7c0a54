// load: the process-wide ORC LLJIT. Runtime symbols are defined absolutely; libm and the rest of
// the process are found through a process-symbol generator. Each object gets its own
// ResourceTracker.
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/MemoryBuffer.h>

#include <mutex>
#include <stdexcept>

#include "backend.h"
#include "pyvorin_runtime.h"

namespace pyvorin {
namespace {

llvm::orc::LLJIT &the_jit() {
  static std::unique_ptr<llvm::orc::LLJIT> jit;
  static std::once_flag once;
  std::call_once(once, [] {
    host_target_machine(2);  // initialises the native target
    auto j = llvm::orc::LLJITBuilder().create();
    if (!j) throw std::runtime_error(llvm::toString(j.takeError()));
    jit = std::move(*j);
    llvm::orc::JITDylib &jd = jit->getMainJITDylib();
    llvm::orc::SymbolMap symbols;
    size_t count = 0;
    const PvRuntimeSymbol *table = pv_runtime_symbols(&count);
    for (size_t i = 0; i < count; ++i)
      symbols[jit->mangleAndIntern(table[i].name)] = {llvm::orc::ExecutorAddr::fromPtr(table[i].address),
                                                      llvm::JITSymbolFlags::Exported};
    if (auto err = jd.define(llvm::orc::absoluteSymbols(std::move(symbols))))
      throw std::runtime_error(llvm::toString(std::move(err)));
    auto gen = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(jit->getDataLayout().getGlobalPrefix());
    if (!gen) throw std::runtime_error(llvm::toString(gen.takeError()));
    jd.addGenerator(std::move(*gen));
  });
  return *jit;
}

}  // namespace

void *jit_load(std::string object, const std::string &symbol) {
  llvm::orc::LLJIT &jit = the_jit();
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object, symbol);
  auto tracker = jit.getMainJITDylib().createResourceTracker();
  if (auto err = jit.addObjectFile(tracker, std::move(buffer))) throw std::runtime_error(llvm::toString(std::move(err)));
  auto addr = jit.lookup(symbol);
  if (!addr) throw std::runtime_error(llvm::toString(addr.takeError()));
  return addr->toPtr<void *>();
}

}  // namespace pyvorin
