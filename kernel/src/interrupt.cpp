// SIGINT routing (see interrupt.hpp for the design).
#include "interrupt.hpp"

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <cerrno>
#include <thread>

namespace xpyvorin {
namespace {

pthread_t g_main_thread;
std::atomic<bool> g_executing{false};

sigset_t sigint_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  return set;
}

// Forwards each SIGINT to the main thread while a cell runs; drops it otherwise.
void signal_thread() {
  sigset_t set = sigint_set();
  for (;;) {
    int sig = 0;
    if (sigwait(&set, &sig) != 0 || sig != SIGINT) continue;
    if (g_executing.load()) pthread_kill(g_main_thread, SIGINT);
  }
}

}  // namespace

void install_interrupt_routing() {
  g_main_thread = pthread_self();
  sigset_t set = sigint_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(signal_thread).detach();
}

executing_scope::executing_scope() {
  // Discard a SIGINT left pending on this thread by a forward that raced with the previous cell's end.
  sigset_t set = sigint_set();
  timespec zero{0, 0};
  while (sigtimedwait(&set, nullptr, &zero) == SIGINT) {
  }
  g_executing.store(true);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

executing_scope::~executing_scope() {
  sigset_t set = sigint_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  g_executing.store(false);
}

}  // namespace xpyvorin
