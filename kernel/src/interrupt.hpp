// SIGINT routing for the kernel process: Kernel -> Interrupt must stop running Python code and
// native loops, and must never disturb the idle kernel (an EINTR inside xeus' zmq poll on the main
// thread would kill it).
//
// SIGINT is blocked in every thread. A dedicated thread sigwait()s for it and, only while a cell
// executes, forwards it to the main thread, which unblocks SIGINT for exactly that time. There the
// handlers installed in the process run: Python's (KeyboardInterrupt at the next bytecode, and
// EINTR for a blocking sleep) chained behind the pyvorin runtime's hook (the flag polled by
// compiled loops). An interrupt that arrives while the kernel is idle is dropped. (Threads that
// user code starts during a cell inherit the unblocked mask; an idle SIGINT they catch only trips
// Python's flag, which the interpreter discards before the next cell.)
#pragma once

namespace xpyvorin {

// Call first thing in main(), before any other thread exists (threads inherit the signal mask).
void install_interrupt_routing();

// Marks the main thread as running a cell for its lifetime: stale interrupts are discarded on
// entry, SIGINT is accepted until exit. Main thread only.
class executing_scope {
public:
  executing_scope();
  ~executing_scope();
  executing_scope(const executing_scope &) = delete;
  executing_scope &operator=(const executing_scope &) = delete;
};

}  // namespace xpyvorin
