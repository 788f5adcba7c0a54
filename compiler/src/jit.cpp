// load: the process-wide ORC LLJIT. Runtime symbols are defined absolutely; libm and the rest of
// the process are found through a process-symbol generator. Each object gets its own
// ResourceTracker, removed (its code and data unmapped) when the last JitCode handle goes.
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/Orc/EPCEHFrameRegistrar.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/Support/MemoryBuffer.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <mutex>
#include <stdexcept>

#include "backend.h"
#include "pyvorin_objects.h"
#include "pyvorin_buffers.h"
#include "pyvorin_numpy.h"

namespace pyvorin {
namespace {

// Never destroyed: a JitCode released during the process's exit (a module freed late in
// interpreter finalisation) must still find the JIT whose tracker it removes.
llvm::orc::LLJIT &the_jit() {
  static llvm::orc::LLJIT *jit = nullptr;
  static std::once_flag once;
  std::call_once(once, [] {
    host_target_machine(2);  // initialises the native target
    llvm::orc::LLJITBuilder builder;
    // Objects packed into shared arenas (jit_memory.cpp), unless the system forbids executable
    // shared mappings or PYVORIN_JIT_PACKED=0: then LLVM's own manager, a mapping per segment.
    const char *packed = std::getenv("PYVORIN_JIT_PACKED");
    llvm::jitlink::JITLinkMemoryManager *memory =
        packed && std::string(packed) == "0" ? nullptr : make_packed_memory_manager().release();  // lives as long as the JIT
    if (memory)
      builder.setObjectLinkingLayerCreator(
          [memory](llvm::orc::ExecutionSession &es, const llvm::Triple &) -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
            auto layer = std::make_unique<llvm::orc::ObjectLinkingLayer>(es, *memory);
            auto registrar = llvm::orc::EPCEHFrameRegistrar::Create(es);
            if (!registrar) return registrar.takeError();
            layer->addPlugin(std::make_unique<llvm::orc::EHFrameRegistrationPlugin>(es, std::move(*registrar)));
            return std::move(layer);
          });
    auto j = builder.create();
    if (!j) throw std::runtime_error(llvm::toString(j.takeError()));
    jit = j->release();
    llvm::orc::JITDylib &jd = jit->getMainJITDylib();
    llvm::orc::SymbolMap symbols;
    size_t count = 0;
    for (auto *list : {pv_runtime_symbols, pv_object_symbols, pv_buffer_symbols, pv_table_symbols, pv_numpy_symbols}) {
      const PvRuntimeSymbol *table = list(&count);
      for (size_t i = 0; i < count; ++i)
        symbols[jit->mangleAndIntern(table[i].name)] = {llvm::orc::ExecutorAddr::fromPtr(table[i].address),
                                                        llvm::JITSymbolFlags::Exported};
    }
    if (auto err = jd.define(llvm::orc::absoluteSymbols(std::move(symbols))))
      throw std::runtime_error(llvm::toString(std::move(err)));
    auto gen = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(jit->getDataLayout().getGlobalPrefix());
    if (!gen) throw std::runtime_error(llvm::toString(gen.takeError()));
    jd.addGenerator(std::move(*gen));
  });
  return *jit;
}

std::atomic<long> g_live_objects{0};

// One loaded object: removing its tracker frees the object's memory and its symbols.
struct JitObject {
  llvm::orc::ResourceTrackerSP tracker;
  explicit JitObject(llvm::orc::ResourceTrackerSP t) : tracker(std::move(t)) { ++g_live_objects; }
  ~JitObject() {
    --g_live_objects;
    if (llvm::Error err = tracker->remove()) llvm::consumeError(std::move(err));
  }
};

}  // namespace

JitCode jit_load(std::string object, const std::string &symbol) {
  llvm::orc::LLJIT &jit = the_jit();
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object, symbol);
  auto owner = std::make_shared<JitObject>(jit.getMainJITDylib().createResourceTracker());
  if (auto err = jit.addObjectFile(owner->tracker, std::move(buffer))) throw std::runtime_error(llvm::toString(std::move(err)));
  auto addr = jit.lookup(symbol);
  if (!addr) throw std::runtime_error(llvm::toString(addr.takeError()));
  return {addr->toPtr<void *>(), std::move(owner)};
}

long jit_live_objects() { return g_live_objects.load(); }

}  // namespace pyvorin
