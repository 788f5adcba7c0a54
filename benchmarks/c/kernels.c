/* C twins of benchmarks/kernels.py, timed inside C so neither process start nor ctypes is counted.
 * Built twice by benchmarks/cbuild.py with clang-19 -O2:
 *   plain:             natural C (int64 wraps/UB on overflow, C's truncating / and %);
 *   -DPVB_PY_SEMANTICS: what Python's semantics cost in C: checked int64 overflow, floor // and %,
 *                      ZeroDivisionError/ValueError guards. A failed check leaves the kernel (longjmp),
 *                      as Pyvorin leaves native code to rerun the call in CPython. */
#include <math.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

static jmp_buf pvb_bailout;
__attribute__((noreturn, cold, noinline)) static void pvb_bail(void) { longjmp(pvb_bailout, 1); }

#ifdef PVB_PY_SEMANTICS
static inline int64_t ADD(int64_t a, int64_t b) { int64_t r; if (__builtin_add_overflow(a, b, &r)) pvb_bail(); return r; }
static inline int64_t SUB(int64_t a, int64_t b) { int64_t r; if (__builtin_sub_overflow(a, b, &r)) pvb_bail(); return r; }
static inline int64_t MUL(int64_t a, int64_t b) { int64_t r; if (__builtin_mul_overflow(a, b, &r)) pvb_bail(); return r; }
static inline int64_t FLOORDIV(int64_t a, int64_t b) {
  if (b == 0 || (a == INT64_MIN && b == -1)) pvb_bail();
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
  return q;
}
static inline int64_t MOD(int64_t a, int64_t b) {
  if (b == 0) pvb_bail();
  if (b == -1) return 0;
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}
static inline double FDIV(double a, double b) { if (b == 0.0) pvb_bail(); return a / b; }
static inline double SQRT(double a) { if (a < 0.0) pvb_bail(); return sqrt(a); }
#else
#define ADD(a, b) ((a) + (b))
#define SUB(a, b) ((a) - (b))
#define MUL(a, b) ((a) * (b))
#define FLOORDIV(a, b) ((a) / (b))
#define MOD(a, b) ((a) % (b))
#define FDIV(a, b) ((a) / (b))
#define SQRT(a) sqrt(a)
#endif

static int64_t fib(int64_t n) {
  if (n < 2) return n;
  return ADD(fib(SUB(n, 1)), fib(SUB(n, 2)));
}

static int is_prime(int64_t n) {
  if (n < 2) return 0;
  if (MOD(n, 2) == 0) return n == 2;
  for (int64_t i = 3; MUL(i, i) <= n; i = ADD(i, 2))
    if (MOD(n, i) == 0) return 0;
  return 1;
}

static int64_t count_primes(int64_t limit) {
  int64_t count = 0;
  for (int64_t k = 0; k < limit; ++k)
    if (is_prime(k)) count = ADD(count, 1);
  return count;
}

static int64_t mandelbrot(int64_t width, int64_t height, int64_t max_iter) {
  int64_t total = 0;
  for (int64_t py = 0; py < height; ++py) {
    double y0 = -1.5 + FDIV(3.0 * (double)py, (double)height);
    for (int64_t px = 0; px < width; ++px) {
      double x0 = -2.0 + FDIV(3.0 * (double)px, (double)width);
      double x = 0.0, y = 0.0;
      int64_t i = 0;
      while (i < max_iter && x * x + y * y <= 4.0) {
        double xt = x * x - y * y + x0;
        y = 2.0 * x * y + y0;
        x = xt;
        i = ADD(i, 1);
      }
      total = ADD(total, i);
    }
  }
  return total;
}

static int64_t collatz_len(int64_t n) {
  int64_t steps = 1;
  while (n != 1) {
    if (MOD(n, 2) == 0)
      n = FLOORDIV(n, 2);
    else
      n = ADD(MUL(3, n), 1);
    steps = ADD(steps, 1);
  }
  return steps;
}

static int64_t longest_collatz(int64_t limit) {
  int64_t best = 1, best_len = 1;
  for (int64_t start = 1; start < limit; ++start) {
    int64_t length = collatz_len(start);
    if (length > best_len) {
      best_len = length;
      best = start;
    }
  }
  return best;
}

static double nbody(int64_t steps) {
  const double dt = 0.001, soft = 0.01;
  double x1 = 0.0, y1 = 0.0, vx1 = 0.0, vy1 = 0.0, m1 = 10.0;
  double x2 = 1.0, y2 = 0.0, vx2 = 0.0, vy2 = 3.0, m2 = 1.0;
  double x3 = -1.5, y3 = 0.5, vx3 = 0.5, vy3 = -2.0, m3 = 0.5;
  for (int64_t step = 0; step < steps; ++step) {
    double dx = x2 - x1, dy = y2 - y1;
    double d2 = dx * dx + dy * dy + soft;
    double f12 = FDIV(1.0, d2 * SQRT(d2));
    double dx13 = x3 - x1, dy13 = y3 - y1;
    d2 = dx13 * dx13 + dy13 * dy13 + soft;
    double f13 = FDIV(1.0, d2 * SQRT(d2));
    double dx23 = x3 - x2, dy23 = y3 - y2;
    d2 = dx23 * dx23 + dy23 * dy23 + soft;
    double f23 = FDIV(1.0, d2 * SQRT(d2));
    vx1 += dt * (m2 * f12 * dx + m3 * f13 * dx13);
    vy1 += dt * (m2 * f12 * dy + m3 * f13 * dy13);
    vx2 += dt * (m3 * f23 * dx23 - m1 * f12 * dx);
    vy2 += dt * (m3 * f23 * dy23 - m1 * f12 * dy);
    vx3 -= dt * (m1 * f13 * dx13 + m2 * f23 * dx23);
    vy3 -= dt * (m1 * f13 * dy13 + m2 * f23 * dy23);
    x1 += dt * vx1;
    y1 += dt * vy1;
    x2 += dt * vx2;
    y2 += dt * vy2;
    x3 += dt * vx3;
    y3 += dt * vy3;
  }
  double kinetic = 0.5 * (m1 * (vx1 * vx1 + vy1 * vy1) + m2 * (vx2 * vx2 + vy2 * vy2) +
                          m3 * (vx3 * vx3 + vy3 * vy3));
  double r12 = SQRT((x2 - x1) * (x2 - x1) + (y2 - y1) * (y2 - y1) + soft);
  double r13 = SQRT((x3 - x1) * (x3 - x1) + (y3 - y1) * (y3 - y1) + soft);
  double r23 = SQRT((x3 - x2) * (x3 - x2) + (y3 - y2) * (y3 - y2) + soft);
  return kinetic - FDIV(m1 * m2, r12) - FDIV(m1 * m3, r13) - FDIV(m2 * m3, r23);
}

static int64_t sum_squares(int64_t n) {
  int64_t total = 0;
  for (int64_t i = 0; i < n; ++i) total = ADD(total, MUL(i, i));
  return total;
}

static const char *const pvb_names[] = {"fib", "count_primes", "mandelbrot", "longest_collatz",
                                        "nbody", "sum_squares", 0};

int pvb_kernel_index(const char *name) {
  for (int i = 0; pvb_names[i]; ++i)
    if (strcmp(pvb_names[i], name) == 0) return i;
  return -1;
}

/* Arguments are read through a volatile pointer on every repeat, so no repeat can be hoisted or
 * folded away; each result is stored through an escaping pointer. */
static void run(int id, const volatile int64_t *a, int64_t *iout, double *fout) {
  switch (id) {
  case 0: *iout = fib(a[0]); break;
  case 1: *iout = count_primes(a[0]); break;
  case 2: *iout = mandelbrot(a[0], a[1], a[2]); break;
  case 3: *iout = longest_collatz(a[0]); break;
  case 4: *fout = nbody(a[0]); break;
  case 5: *iout = sum_squares(a[0]); break;
  }
}

static clockid_t pvb_clock = CLOCK_MONOTONIC;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(pvb_clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs kernel `id` `reps` times; returns the best time in seconds (wall clock, or this thread's
 * CPU time when `cpu_clock` is non-zero), or -1.0 when a Python-semantics check failed (overflow
 * etc.: CPython would have to take over), or -2.0 for a bad id. Up to 64 repeat times go to
 * `times` when it is non-null. */
double pvb_time(int id, const int64_t *args, int reps, int64_t *iout, double *fout, double *times,
                int cpu_clock) {
  if (id < 0 || id > 5) return -2.0;
  pvb_clock = cpu_clock ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
  volatile double best = 1e300;
  volatile int rep = 0;
  if (setjmp(pvb_bailout)) return -1.0;
  for (; rep < reps; ++rep) {
    double t0 = now_s();
    run(id, args, iout, fout);
    double t = now_s() - t0;
    if (times && rep < 64) times[rep] = t;
    if (t < best) best = t;
  }
  return best;
}
