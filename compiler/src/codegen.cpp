// codegen: object bytes and assembly text for the host from one optimised module.
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/LEB128.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Transforms/Utils/Cloning.h>

#include <mutex>
#include <stdexcept>

#include "backend.h"

namespace pyvorin {

namespace {
void init_llvm() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    llvm::InitializeNativeTargetAsmParser();
    // X86DomainReassignment (moves GPR chains into AVX-512 mask registers) takes time quadratic
    // in a function's length (1.1 s of 1.6 s for a 2,000-line function) and has nothing to do in
    // scalar Python arithmetic; loops the vectoriser masks do not depend on it.
    auto &options = llvm::cl::getRegisteredOptions();
    auto it = options.find("disable-x86-domain-reassignment");
    if (it != options.end()) it->second->addOccurrence(0, "disable-x86-domain-reassignment", "true");
  });
}


std::string emit(llvm::Module &module, llvm::TargetMachine &tm, llvm::CodeGenFileType type) {
  llvm::SmallVector<char, 0> buffer;
  llvm::raw_svector_ostream os(buffer);
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr, type)) throw std::runtime_error("the target cannot emit this file type");
  pm.run(module);
  return std::string(buffer.data(), buffer.size());
}
}  // namespace

llvm::CodeGenOptLevel codegen_level(int opt_level) {
  switch (opt_level) {
    case 0: return llvm::CodeGenOptLevel::None;
    case 1: return llvm::CodeGenOptLevel::Less;
    case 3: return llvm::CodeGenOptLevel::Aggressive;
    default: return llvm::CodeGenOptLevel::Default;
  }
}

std::unique_ptr<llvm::TargetMachine> host_target_machine(int opt_level) {
  init_llvm();
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) throw std::runtime_error(llvm::toString(jtmb.takeError()));
  jtmb->setCodeGenOptLevel(codegen_level(opt_level));
  // Small code model with PIC: rip-relative code, externals through the GOT that JITLink builds.
  jtmb->setCodeModel(llvm::CodeModel::Small);
  jtmb->setRelocationModel(llvm::Reloc::PIC_);
  jtmb->getOptions().AllowFPOpFusion = llvm::FPOpFusion::Strict;  // no FMA contraction: bit-identical floats
  jtmb->getOptions().EmitStackSizeSection = true;  // frame sizes bound the native recursion depth
  auto tm = jtmb->createTargetMachine();
  if (!tm) throw std::runtime_error(llvm::toString(tm.takeError()));
  return std::move(*tm);
}

std::string emit_object(llvm::Module &module, llvm::TargetMachine &tm) {
  return emit(module, tm, llvm::CodeGenFileType::ObjectFile);
}

unsigned max_frame_bytes(const std::string &object) {
  auto buffer = llvm::MemoryBuffer::getMemBuffer(object, "object", false);
  auto obj = llvm::object::ObjectFile::createObjectFile(buffer->getMemBufferRef());
  if (!obj) {
    llvm::consumeError(obj.takeError());
    return 0;
  }
  unsigned largest = 0;
  for (const llvm::object::SectionRef &section : (*obj)->sections()) {
    auto name = section.getName();
    if (!name || *name != ".stack_sizes") {
      if (!name) llvm::consumeError(name.takeError());
      continue;
    }
    auto contents = section.getContents();
    if (!contents) {
      llvm::consumeError(contents.takeError());
      continue;
    }
    // Entries: an 8-byte function address, then the frame size as ULEB128.
    const uint8_t *p = reinterpret_cast<const uint8_t *>(contents->data());
    const uint8_t *end = p + contents->size();
    while (p + 8 < end) {
      p += 8;
      unsigned n = 0;
      uint64_t size = llvm::decodeULEB128(p, &n, end);
      p += n;
      if (size > largest) largest = unsigned(size);
    }
  }
  return largest;
}

std::string emit_asm_text(const llvm::Module &module, int opt_level, bool intel) {
  init_llvm();
  // The X86 asm dialect is a command-line option read when a TargetMachine is made.
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find("x86-asm-syntax");
  bool switched = intel && it != options.end();
  if (switched) it->second->addOccurrence(0, "x86-asm-syntax", "intel");
  std::unique_ptr<llvm::TargetMachine> tm = host_target_machine(opt_level);
  if (switched) it->second->addOccurrence(0, "x86-asm-syntax", "att");
  std::unique_ptr<llvm::Module> clone = llvm::CloneModule(module);
  return emit(*clone, *tm, llvm::CodeGenFileType::AssemblyFile);
}

}  // namespace pyvorin
