// load: the process-wide ORC LLJIT. Runtime symbols are defined absolutely; libm and the rest of
// the process are found through a process-symbol generator. Each object gets its own
// ResourceTracker, removed (its code and data unmapped) when the last JitCode handle goes.
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/Orc/EPCEHFrameRegistrar.h>
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/Support/MemoryBuffer.h>

#include <atomic>
#include <cstring>
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
std::atomic<unsigned long> g_dylib_counter{0};

// One loaded object, linked in a JITDylib of its own (whose link order goes on to the main one:
// the runtime and the process), so that objects may define the same names and bind their own
// load-time symbols. Removing the dylib frees the object's memory and its symbols.
struct JitObject {
  llvm::orc::JITDylib *dylib = nullptr;
  std::vector<std::unique_ptr<char[]>> strings;  // the load-time strings the code points at
  bool counted;
  explicit JitObject(bool count) : counted(count) {
    if (counted) ++g_live_objects;
  }
  ~JitObject() {
    if (counted) --g_live_objects;
    if (dylib)
      if (llvm::Error err = the_jit().getExecutionSession().removeJITDylib(*dylib)) llvm::consumeError(std::move(err));
  }
};

}  // namespace

JitCode jit_load(std::string object, const std::string &symbol, const LoadBindings &bindings) {
  llvm::orc::LLJIT &jit = the_jit();
  auto owner = std::make_shared<JitObject>(bindings.counted);
  auto dylib = jit.getExecutionSession().createJITDylib("pv.object." + std::to_string(++g_dylib_counter));
  if (!dylib) throw std::runtime_error(llvm::toString(dylib.takeError()));
  owner->dylib = &*dylib;
  owner->dylib->addToLinkOrder(jit.getMainJITDylib());
  llvm::orc::SymbolMap symbols;
  for (auto &[name, text] : bindings.strings) {
    auto copy = std::make_unique<char[]>(text.size() + 1);
    std::memcpy(copy.get(), text.c_str(), text.size() + 1);
    symbols[jit.mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(copy.get()), llvm::JITSymbolFlags::Exported};
    owner->strings.push_back(std::move(copy));
  }
  for (auto &[name, address] : bindings.addresses)
    symbols[jit.mangleAndIntern(name)] = {llvm::orc::ExecutorAddr(address), llvm::JITSymbolFlags::Exported};
  if (!symbols.empty())
    if (auto err = owner->dylib->define(llvm::orc::absoluteSymbols(std::move(symbols))))
      throw std::runtime_error(llvm::toString(std::move(err)));
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object, symbol);
  if (auto err = jit.addObjectFile(*owner->dylib, std::move(buffer))) throw std::runtime_error(llvm::toString(std::move(err)));
  auto addr = jit.lookup(*owner->dylib, symbol);
  if (!addr) throw std::runtime_error(llvm::toString(addr.takeError()));
  return {addr->toPtr<void *>(), std::move(owner)};
}

long jit_live_objects() { return g_live_objects.load(); }

void warm_up() {
  try {
    // A function shaped like compiled code (an external call through the GOT, a load-time
    // symbol), taken through optimise, codegen and the JIT's linker: the first real compile or
    // disk cache hit then finds the JIT made and LLVM's code paged in.
    llvm::LLVMContext ctx;
    llvm::Module m("pyvorin.warm_up", ctx);
    std::unique_ptr<llvm::TargetMachine> tm = host_target_machine(2);
    m.setDataLayout(tm->createDataLayout());
    m.setTargetTriple(tm->getTargetTriple().str());
    auto *ptr = llvm::PointerType::getUnqual(ctx);
    auto *i32 = llvm::Type::getInt32Ty(ctx);
    auto *i64 = llvm::Type::getInt64Ty(ctx);
    auto *fn = llvm::Function::Create(llvm::FunctionType::get(i64, {ptr, ptr}, false), llvm::GlobalValue::ExternalLinkage,
                                      "pv_entry_warm_up", m);
    auto *file = new llvm::GlobalVariable(m, llvm::Type::getInt8Ty(ctx), true, llvm::GlobalValue::ExternalLinkage, nullptr, "pv.file.0");
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", fn));
    auto raise = m.getOrInsertFunction("pv_traceback_push", llvm::FunctionType::get(b.getVoidTy(), {ptr, ptr, ptr, i32}, false));
    b.CreateCall(raise, {fn->getArg(0), file, file, b.getInt32(1)});
    b.CreateRet(b.CreateLoad(i64, fn->getArg(1)));
    OptimiseLog log;
    optimise(m, *tm, 2, log);
    std::string object = emit_object(m, *tm);
    LoadBindings bindings;
    bindings.strings.push_back({"pv.file.0", "<warm-up>"});
    bindings.counted = false;  // (not one of the process's compiled objects: jit_live_objects)
    jit_load(std::move(object), "pv_entry_warm_up", bindings);  // and freed at once
  } catch (const std::exception &) {
    // nothing is lost: the first compile does this work itself
  }
}

}  // namespace pyvorin
