/* C twins of benchmarks/array_kernels.py, timed inside C (pva_time) so neither ctypes nor NumPy's
 * argument handling is counted. Built by benchmarks/arrays.py with clang-19 -O2 -ffp-contract=off
 * (no fused multiply-add, so float results can be bit-identical to Python's) into a shared library
 * loaded with ctypes; the inputs are the NumPy arrays' own buffers (C-contiguous float64/int64).
 *
 * Natural C: int64 arithmetic wraps, no bounds checks, no interrupt polls. Where the Python kernel
 * allocates its result (np.zeros / np.empty), the C kernel allocates it too (calloc / malloc) inside
 * the timed region; the driver copies it into the caller's array after the clock stops and frees
 * it. Kernels are noinline and their inputs are read through volatile slots on every repeat, so no
 * repeat can be hoisted or folded away. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define KERNEL __attribute__((noinline))

KERNEL int64_t sum_sq(int64_t n) {
  int64_t total = 0;
  for (int64_t i = 0; i < n; ++i) {
    int64_t r = i % 1000;
    total += r * r;
  }
  return total;
}

KERNEL double dot(const double *a, const double *b, int64_t n) {
  double s = 0.0;
  for (int64_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

KERNEL void saxpy(double alpha, const double *x, const double *y, double *out, int64_t n) {
  for (int64_t i = 0; i < n; ++i) out[i] = alpha * x[i] + y[i];
}

KERNEL double *jacobi(const double *u0, int64_t n, int64_t m, int64_t sweeps) {
  double *u = malloc((size_t)(n * m) * sizeof(double));
  double *v = malloc((size_t)(n * m) * sizeof(double));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < m; ++j) {
      u[i * m + j] = u0[i * m + j];
      v[i * m + j] = u0[i * m + j];
    }
  for (int64_t s = 0; s < sweeps; ++s) {
    for (int64_t i = 1; i < n - 1; ++i)
      for (int64_t j = 1; j < m - 1; ++j)
        v[i * m + j] =
            0.25 * (u[(i - 1) * m + j] + u[(i + 1) * m + j] + u[i * m + j - 1] + u[i * m + j + 1]);
    double *t = u;
    u = v;
    v = t;
  }
  free(v);
  return u;
}

KERNEL double *matmul(const double *a, const double *b, int64_t n, int64_t p, int64_t m) {
  double *c = calloc((size_t)(n * m), sizeof(double));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < m; ++j) {
      double s = 0.0;
      for (int64_t k = 0; k < p; ++k) s += a[i * p + k] * b[k * m + j];
      c[i * m + j] = s;
    }
  return c;
}

KERNEL int64_t *mandelbrot(int64_t width, int64_t height, int64_t max_iter) {
  int64_t *out = calloc((size_t)(height * width), sizeof(int64_t));
  for (int64_t py = 0; py < height; ++py) {
    double y0 = -1.5 + 3.0 * (double)py / (double)height;
    for (int64_t px = 0; px < width; ++px) {
      double x0 = -2.0 + 3.0 * (double)px / (double)width;
      double x = 0.0, y = 0.0;
      int64_t i = 0;
      while (i < max_iter && x * x + y * y <= 4.0) {
        double xt = x * x - y * y + x0;
        y = 2.0 * x * y + y0;
        x = xt;
        i += 1;
      }
      out[py * width + px] = i;
    }
  }
  return out;
}

KERNEL int64_t *histogram(const double *x, int64_t n, int64_t bins, double lo, double hi) {
  int64_t *counts = calloc((size_t)bins, sizeof(int64_t));
  double scale = (double)bins / (hi - lo);
  for (int64_t i = 0; i < n; ++i) {
    double v = x[i];
    if (v >= lo && v < hi) {
      int64_t k = (int64_t)((v - lo) * scale);
      if (k < bins) counts[k] += 1;
    }
  }
  return counts;
}

KERNEL double *pairwise(const double *pts, int64_t n, int64_t d) {
  double *out = malloc((size_t)(n * n) * sizeof(double));
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < n; ++j) {
      double s = 0.0;
      for (int64_t k = 0; k < d; ++k) {
        double t = pts[i * d + k] - pts[j * d + k];
        s += t * t;
      }
      out[i * n + j] = sqrt(s);
    }
  return out;
}

KERNEL void prefix_sum(const double *x, double *out, int64_t n) {
  double acc = 0.0;
  for (int64_t i = 0; i < n; ++i) {
    acc += x[i];
    out[i] = acc;
  }
}

static inline double norm_cdf(double x) {
  double t = 1.0 / (1.0 + 0.2316419 * fabs(x));
  double poly =
      t * (0.319381530 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  double p = 1.0 - 0.3989422804014327 * exp(-0.5 * x * x) * poly;
  return x < 0.0 ? 1.0 - p : p;
}

KERNEL void black_scholes(const double *price, const double *strike, const double *years, double rate,
                          double vol, double *call, double *put, int64_t n) {
  for (int64_t i = 0; i < n; ++i) {
    double s = price[i], k = strike[i], t = years[i];
    double sig_sqrt_t = vol * sqrt(t);
    double d1 = (log(s / k) + (rate + 0.5 * vol * vol) * t) / sig_sqrt_t;
    double d2 = d1 - sig_sqrt_t;
    double disc = k * exp(-rate * t);
    call[i] = s * norm_cdf(d1) - disc * norm_cdf(d2);
    put[i] = disc * norm_cdf(-d2) - s * norm_cdf(-d1);
  }
}

/* ------------------------------------------------------------------------------------ the driver */

static const char *const pva_names[] = {"sum_sq",    "dot",      "saxpy",      "jacobi",
                                        "matmul",    "mandelbrot", "histogram", "pairwise",
                                        "prefix_sum", "black_scholes", 0};

int pva_kernel_index(const char *name) {
  for (int i = 0; pva_names[i]; ++i)
    if (strcmp(pva_names[i], name) == 0) return i;
  return -1;
}

/* One kernel's arguments: array buffers, ints and doubles in the order arrays.py documents (c_args),
 * plus where results go: `out` receives an allocated result (bytes of it: out_bytes), `iout` and
 * `fout` a scalar one. */
typedef struct {
  void *p[8];
  int64_t i[4];
  double d[4];
  void *out;
  int64_t out_bytes;
  int64_t iout;
  double fout;
} pva_args;

/* Runs the kernel once; returns the buffer it allocated (or NULL). */
static void *run(int id, volatile pva_args *a) {
  switch (id) {
  case 0: a->iout = sum_sq(a->i[0]); return 0;
  case 1: a->fout = dot(a->p[0], a->p[1], a->i[0]); return 0;
  case 2: saxpy(a->d[0], a->p[0], a->p[1], a->p[2], a->i[0]); return 0;
  case 3: return jacobi(a->p[0], a->i[0], a->i[1], a->i[2]);
  case 4: return matmul(a->p[0], a->p[1], a->i[0], a->i[1], a->i[2]);
  case 5: return mandelbrot(a->i[0], a->i[1], a->i[2]);
  case 6: return histogram(a->p[0], a->i[0], a->i[1], a->d[0], a->d[1]);
  case 7: return pairwise(a->p[0], a->i[0], a->i[1]);
  case 8: prefix_sum(a->p[0], a->p[1], a->i[0]); return 0;
  case 9:
    black_scholes(a->p[0], a->p[1], a->p[2], a->d[0], a->d[1], a->p[3], a->p[4], a->i[0]);
    return 0;
  }
  return 0;
}

static clockid_t pva_clock = CLOCK_MONOTONIC;

static double now_s(void) {
  struct timespec ts;
  clock_gettime(pva_clock, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs kernel `id` `reps` times; returns the best time in seconds (wall clock, or this thread's
 * CPU time when `cpu_clock` is non-zero), or -2.0 for a bad id. Up to 64 repeat times go to
 * `times` when it is non-null. An allocated result is timed with its allocation, then (clock
 * stopped) copied into args->out on the last repeat and freed. */
double pva_time(int id, pva_args *args, int reps, double *times, int cpu_clock) {
  if (id < 0 || id > 9) return -2.0;
  pva_clock = cpu_clock ? CLOCK_THREAD_CPUTIME_ID : CLOCK_MONOTONIC;
  double best = 1e300;
  for (int rep = 0; rep < reps; ++rep) {
    double t0 = now_s();
    void *buf = run(id, args);
    double t = now_s() - t0;
    if (buf) {
      if (rep == reps - 1 && args->out) memcpy(args->out, buf, (size_t)args->out_bytes);
      free(buf);
    }
    if (times && rep < 64) times[rep] = t;
    if (t < best) best = t;
  }
  return best;
}
