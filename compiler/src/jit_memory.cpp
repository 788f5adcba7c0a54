// JIT memory: packs the segments of many small objects into a few shared mappings.
//
// LLVM's InProcessMemoryManager maps every object separately (at least a page of code and a page
// of data, two mappings per object), so a notebook that compiles thousands of small functions
// runs into the kernel's mapping limit. Here all objects share two arenas inside one reserved
// range of address space (so every relocation stays within +-2 GiB):
// - code (and read-only data): a memfd mapped twice, read+execute where the code runs and
//   read+write elsewhere, where JITLink writes it. Code is never writable and executable at once,
//   and no page changes protection while neighbouring code may be running.
// - data: plain read+write memory.
// Blocks are 64-byte aligned sub-allocations (first fit, coalesced on free); the arenas grow in
// 1 MiB steps whose mappings are contiguous, so the kernel merges them: a few mappings in all.
#include <llvm/ExecutionEngine/JITLink/JITLink.h>
#include <llvm/ExecutionEngine/JITLink/JITLinkMemoryManager.h>
#include <llvm/ExecutionEngine/Orc/Shared/AllocationActions.h>
#include <llvm/Support/Memory.h>

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <mutex>

#include "backend.h"

namespace pyvorin {
namespace {

using llvm::Error;
using llvm::jitlink::JITLinkMemoryManager;
using llvm::jitlink::LinkGraph;

constexpr size_t kGrain = 64;             // block alignment and size granule
constexpr size_t kStep = size_t(1) << 20;  // arena growth
constexpr size_t kArenaMax = size_t(512) << 20;

size_t round_up(size_t n, size_t a) { return (n + a - 1) / a * a; }

// One arena: a range [base, base + committed) of the reservation handed out in blocks. `alias`
// is where the same bytes are writable (== base for the data arena).
class Arena {
 public:
  Arena(char *base, char *alias_base, int memfd) : m_base(base), m_alias(alias_base), m_fd(memfd) {}

  // Offset of a block of `size` bytes aligned to `align`, or -1 when the arena is full.
  long long allocate(size_t size, size_t align) {
    size = round_up(size ? size : 1, kGrain);
    align = align < kGrain ? kGrain : align;
    for (;;) {
      for (auto it = m_free.begin(); it != m_free.end(); ++it) {
        size_t start = round_up(it->first, align);
        size_t end = it->first + it->second;
        if (start + size > end) continue;
        size_t free_start = it->first;
        m_free.erase(it);
        if (start > free_start) m_free[free_start] = start - free_start;
        if (start + size < end) m_free[start + size] = end - (start + size);
        return (long long)start;
      }
      if (!grow(round_up(size + align, kStep))) return -1;
    }
  }

  void release(size_t offset, size_t size) {
    size = round_up(size ? size : 1, kGrain);
    std::memset(m_alias + offset, m_fd >= 0 ? 0xCC : 0, size);  // int3 where stale code would run
    auto next = m_free.lower_bound(offset);
    if (next != m_free.end() && offset + size == next->first) {
      size += next->second;
      next = m_free.erase(next);
    }
    if (next != m_free.begin()) {
      auto prev = std::prev(next);
      if (prev->first + prev->second == offset) {
        prev->second += size;
        return;
      }
    }
    m_free[offset] = size;
  }

  char *exec(size_t offset) const { return m_base + offset; }
  char *work(size_t offset) const { return m_alias + offset; }

 private:
  bool grow(size_t bytes) {
    if (m_committed + bytes > kArenaMax) return false;
    if (m_fd >= 0) {
      if (ftruncate(m_fd, off_t(m_committed + bytes)) != 0) return false;
      void *x = mmap(m_base + m_committed, bytes, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, m_fd, off_t(m_committed));
      if (x == MAP_FAILED) return false;
      void *w = mmap(m_alias + m_committed, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, m_fd, off_t(m_committed));
      if (w == MAP_FAILED) return false;
    } else if (mprotect(m_base + m_committed, bytes, PROT_READ | PROT_WRITE) != 0) {
      return false;
    }
    release(m_committed, bytes);
    m_committed += bytes;
    return true;
  }

  char *m_base, *m_alias;
  int m_fd;
  size_t m_committed = 0;
  std::map<size_t, size_t> m_free;  // offset -> size
};

struct Block {
  Arena *arena;
  size_t offset, size;
};

struct FinalizedInfo {
  std::vector<Block> blocks;
  std::vector<llvm::orc::shared::WrapperFunctionCall> dealloc_actions;
};

class PackedMemoryManager : public JITLinkMemoryManager {
 public:
  PackedMemoryManager(char *code, char *code_alias, int fd, char *data)
      : m_code(code, code_alias, fd), m_data(data, data, -1) {}

  class InFlight : public JITLinkMemoryManager::InFlightAlloc {
   public:
    InFlight(PackedMemoryManager &mm, LinkGraph &g, std::vector<Block> standard, std::vector<Block> finalize)
        : m_mm(mm), m_graph(g), m_standard(std::move(standard)), m_finalize(std::move(finalize)) {}

    void finalize(OnFinalizedFunction on_finalized) override {
      for (const Block &b : m_standard)
        if (b.arena == &m_mm.m_code) llvm::sys::Memory::InvalidateInstructionCache(b.arena->exec(b.offset), b.size);
      auto dealloc = llvm::orc::shared::runFinalizeActions(m_graph.allocActions());
      if (!dealloc) {
        m_mm.release(m_finalize);
        on_finalized(dealloc.takeError());
        return;
      }
      m_mm.release(m_finalize);
      auto *info = new FinalizedInfo{std::move(m_standard), std::move(*dealloc)};
      on_finalized(FinalizedAlloc(llvm::orc::ExecutorAddr::fromPtr(info)));
    }

    void abandon(OnAbandonedFunction on_abandoned) override {
      m_mm.release(m_finalize);
      m_mm.release(m_standard);
      on_abandoned(Error::success());
    }

   private:
    PackedMemoryManager &m_mm;
    LinkGraph &m_graph;
    std::vector<Block> m_standard, m_finalize;
  };

  void allocate(const llvm::jitlink::JITLinkDylib *, LinkGraph &g, OnAllocatedFunction on_allocated) override {
    llvm::jitlink::BasicLayout layout(g);
    std::vector<Block> standard, finalize;
    {
      std::lock_guard<std::mutex> lock(m_mutex);
      for (auto &[group, seg] : layout.segments()) {
        size_t size = seg.ContentSize + seg.ZeroFillSize;
        bool writable = (unsigned(group.getMemProt()) & unsigned(llvm::orc::MemProt::Write)) != 0;
        Arena &arena = writable ? m_data : m_code;
        long long offset = arena.allocate(size, size_t(seg.Alignment.value()));
        if (offset < 0) {
          release_locked(standard);
          release_locked(finalize);
          on_allocated(llvm::make_error<llvm::StringError>("the JIT's code memory is exhausted (512 MiB)",
                                                           llvm::inconvertibleErrorCode()));
          return;
        }
        Block b{&arena, size_t(offset), size};
        std::memset(arena.work(b.offset), 0, size);
        seg.WorkingMem = arena.work(b.offset);
        seg.Addr = llvm::orc::ExecutorAddr::fromPtr(arena.exec(b.offset));
        (group.getMemLifetime() == llvm::orc::MemLifetime::Standard ? standard : finalize).push_back(b);
      }
    }
    if (Error err = layout.apply()) {
      release(standard);
      release(finalize);
      on_allocated(std::move(err));
      return;
    }
    on_allocated(std::make_unique<InFlight>(*this, g, std::move(standard), std::move(finalize)));
  }
  using JITLinkMemoryManager::allocate;

  void deallocate(std::vector<FinalizedAlloc> allocs, OnDeallocatedFunction on_deallocated) override {
    Error err = Error::success();
    for (FinalizedAlloc &a : allocs) {
      auto *info = a.release().toPtr<FinalizedInfo *>();
      if (Error e = llvm::orc::shared::runDeallocActions(info->dealloc_actions)) err = llvm::joinErrors(std::move(err), std::move(e));
      release(info->blocks);
      delete info;
    }
    on_deallocated(std::move(err));
  }
  using JITLinkMemoryManager::deallocate;

 private:
  void release(const std::vector<Block> &blocks) {
    std::lock_guard<std::mutex> lock(m_mutex);
    release_locked(blocks);
  }
  void release_locked(const std::vector<Block> &blocks) {
    for (const Block &b : blocks) b.arena->release(b.offset, b.size);
  }

  std::mutex m_mutex;
  Arena m_code, m_data;
};

}  // namespace

std::unique_ptr<JITLinkMemoryManager> make_packed_memory_manager() {
  // One reservation for both arenas' executable addresses (code first, data after), and one for
  // the writable alias of the code arena. Reserved, not committed: PROT_NONE, no swap.
  const int reserve_flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  void *range = mmap(nullptr, 2 * kArenaMax, PROT_NONE, reserve_flags, -1, 0);
  if (range == MAP_FAILED) return nullptr;
  void *alias = mmap(nullptr, kArenaMax, PROT_NONE, reserve_flags, -1, 0);
  int fd = memfd_create("pyvorin-jit-code", MFD_CLOEXEC);
  if (alias == MAP_FAILED || fd < 0) {
    munmap(range, 2 * kArenaMax);
    if (alias != MAP_FAILED) munmap(alias, kArenaMax);
    if (fd >= 0) close(fd);
    return nullptr;
  }
  // Executable file mappings may be forbidden (noexec, vm.memfd_noexec): try one page first.
  char *code = static_cast<char *>(range);
  bool exec_ok = ftruncate(fd, off_t(kStep)) == 0 &&
                 mmap(code, kStep, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, 0) != MAP_FAILED;
  if (!exec_ok || ftruncate(fd, 0) != 0 ||
      mmap(code, kStep, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED) {
    munmap(range, 2 * kArenaMax);
    munmap(alias, kArenaMax);
    close(fd);
    return nullptr;
  }
  return std::make_unique<PackedMemoryManager>(code, static_cast<char *>(alias), fd, code + kArenaMax);
}

}  // namespace pyvorin
