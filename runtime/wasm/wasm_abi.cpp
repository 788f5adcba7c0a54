// The WebAssembly export runtime's adapters (runtime/wasm/CMakeLists.txt): what runtime.cpp needs
// on wasm32-wasi besides its own code, and the signatures compiled code calls with.
//
// Compiled code passes text sizes as i64 on every target (compiler/src/lower_print.cpp), but
// size_t is 32 bits on wasm32: a call across a signature mismatch traps. runtime.cpp is compiled
// here with its pv_print_str/pv_print_end renamed (-D...=..._sized), and the names compiled code
// calls are defined below with 64-bit sizes.
#include "pyvorin_runtime.h"

#include <errno.h>
#include <stdint.h>
#include <unistd.h>

#undef pv_print_str
#undef pv_print_end

namespace {

// print's output goes straight to file descriptor 1 (WASI fd_write): a module instance has no
// exit that would flush stdio's buffer. Returns -1 (OSError in the caller) when a write fails.
int write_stdout(const char *data, size_t size) {
  while (size > 0) {
    ssize_t n = write(1, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (n == 0) return -1;
    data += n;
    size -= size_t(n);
  }
  return 0;
}

// A text size from compiled code, as the 32-bit size_t: larger than the address space it cannot
// be (the text is in linear memory), so the truncation never changes it.
size_t text_size(uint64_t size) { return size > SIZE_MAX ? SIZE_MAX : size_t(size); }

}  // namespace

extern "C" {

void pv_print_str(const char *s, uint64_t size) { pv_print_str_sized(s, text_size(size)); }

int32_t pv_print_end(PvCtx *ctx, const char *end, uint64_t size, const char *function, int32_t line) {
  pv_set_write_hook(write_stdout);
  return pv_print_end_sized(ctx, end, text_size(size), function, line);
}

// thread_local variables are plain globals on wasm32 without the threads proposal (the backend
// strips TLS), but C++ still registers their destructors for thread exit, and this libc++abi has
// no __cxa_thread_atexit. A module instance has no thread that exits: the destructors never need
// to run. Weak: a C++ library that has one keeps its own.
__attribute__((weak)) int __cxa_thread_atexit(void (*)(void *), void *, void *) { return 0; }

// Where a JavaScript caller has an exported function store its result (int64_t, double or bool),
// the `T *result` of each entry point: an address in the module's memory, which JavaScript cannot
// allocate otherwise (the module exports only its functions and memory). export_name makes
// wasm-ld export it with the API. One slot: a module instance runs one call at a time.
__attribute__((export_name("pyvorin_result_slot"))) void *pyvorin_result_slot(void) {
  alignas(8) static unsigned char slot[8];
  return slot;
}

}  // extern "C"
