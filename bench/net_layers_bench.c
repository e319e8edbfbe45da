/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Micro-benchmark of the style network's layer kernels (engine/
 * net_layers.c), not a test: times each convolution of Johnson et al.'s
 * transformer net for a 1024 x 1024 input, random weights, and prints
 * its rate in direct-convolution FLOPs (2 out_c in_c k k out_h out_w a
 * second) beside OpenBLAS's own sgemm rate on a 1024^3 product, measured
 * in the same run.
 *
 *   make bench-layers            (or build/bench/net_layers_bench [reps])
 *   net_layers_bench --sgemm     only OpenBLAS's 2-thread GFLOP/s, one
 *                                number (bench/net_bench.py reads it)
 *
 * Each figure is the best of reps runs (default 3): the machine it is
 * meant for is shared, and the best run is the one least disturbed. */
#include "net.h"
#include "internal.h"

#include <cblas.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct
{
  const char *name;
  int         in_c, out_c, kernel, stride;
  int         out_side;   /* output rows = columns                 */
  int         count;      /* times the layer appears in the net    */
} BenchConv;

static const BenchConv convs[] = {
  { "conv 9x9 3->32",       3,   32, 9, 1, 1024, 1 },
  { "conv 3x3 s2 32->64",   32,  64, 3, 2, 512,  1 },
  { "conv 3x3 s2 64->128",  64, 128, 3, 2, 256,  1 },
  { "conv 3x3 128->128",   128, 128, 3, 1, 256, 10 },
  { "conv 3x3 128->64",    128,  64, 3, 1, 512,  1 },
  { "conv 3x3 64->32",      64,  32, 3, 1, 1024, 1 },
  { "conv 9x9 32->3",       32,   3, 9, 1, 1024, 1 },
};

static double
now (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static float *
random_floats (size_t n,
               unsigned seed,
               float scale)
{
  float  *p = malloc (n * sizeof (float));
  size_t  i;

  if (! p)
    return NULL;
  for (i = 0; i < n; i++)
    p[i] = scale * ((float) (atelier_hash (seed, i) >> 40) / 16777216.0f -
                    0.5f);
  return p;
}

/* sgemm's rate on 1024^3 with OpenBLAS's own threads, then back to one
 * thread as the engine wants it. */
static double
sgemm_rate (int threads,
            int reps)
{
  const int n = 1024;
  float    *a = random_floats ((size_t) n * n, 1, 1.0f);
  float    *b = random_floats ((size_t) n * n, 2, 1.0f);
  float    *c = random_floats ((size_t) n * n, 3, 1.0f);
  double    best = 1e30;
  int       r;

  if (! a || ! b || ! c)
    {
      free (a);
      free (b);
      free (c);
      return 0.0;
    }
  openblas_set_num_threads (threads);
  for (r = 0; r < reps + 1; r++)
    {
      double t = now ();

      cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n,
                   1.0f, a, n, b, n, 0.0f, c, n);
      t = now () - t;
      if (r > 0 && t < best)
        best = t;
    }
  openblas_set_num_threads (1);
  free (a);
  free (b);
  free (c);
  return 2.0 * n * n * n / best * 1e-9;
}

/* Best time of one convolution over reps runs, -1 on failure. */
static double
time_conv (AtelierContext  *ctx,
           const BenchConv *bc,
           int              threads,
           int              reps)
{
  int             in_side = (bc->out_side - 1) * bc->stride + bc->kernel;
  size_t          nw = (size_t) bc->out_c * bc->in_c * bc->kernel * bc->kernel;
  AtelierNetLayer layer = { 0 };
  AtelierTensor   in, out;
  float          *w, *b;
  double          best = -1.0;
  int             r;

  in.c  = bc->in_c;
  in.h  = in.w = in_side;
  out.c = bc->out_c;
  out.h = out.w = bc->out_side;
  in.data  = random_floats ((size_t) in.c * in.h * in.w, 4, 2.0f);
  out.data = malloc ((size_t) out.c * out.h * out.w * sizeof (float));
  w = random_floats (nw, 5, 0.1f);
  b = random_floats ((size_t) bc->out_c, 6, 0.1f);
  if (! in.data || ! out.data || ! w || ! b)
    goto out;
  layer.op     = ATELIER_NET_CONV;
  layer.in_c   = bc->in_c;
  layer.out_c  = bc->out_c;
  layer.kernel = bc->kernel;
  layer.stride = bc->stride;
  layer.weight = w;
  layer.bias   = b;
  for (r = 0; r < reps + 1; r++)
    {
      double t = now ();

      if (atelier_net_layer_run (ctx, threads, &layer, &in, &out)
          != ATELIER_OK)
        {
          fprintf (stderr, "%s: %s\n", bc->name, atelier_context_error (ctx));
          best = -1.0;
          goto out;
        }
      t = now () - t;
      /* The first run warms the caches and pages up. */
      if (r > 0 && (best < 0.0 || t < best))
        best = t;
    }

out:
  free (in.data);
  free (out.data);
  free (w);
  free (b);
  return best;
}

int
main (int    argc,
      char **argv)
{
  bool            only_sgemm = argc > 1 && strcmp (argv[1], "--sgemm") == 0;
  int             reps = argc > 1 + only_sgemm ? atoi (argv[1 + only_sgemm])
                                               : 3;
  AtelierContext *ctx;
  double          total[3] = { 0.0, 0.0, 0.0 }, gflop_total = 0.0;
  double          gemm1, gemm2;
  int             i, threads;

  if (reps < 1)
    reps = 1;
  if (only_sgemm)
    {
      printf ("%.1f\n", sgemm_rate (2, reps));
      return 0;
    }
  ctx = atelier_context_new (2);
  if (! ctx)
    return 1;
  gemm1 = sgemm_rate (1, reps);
  gemm2 = sgemm_rate (2, reps);
  printf ("OpenBLAS sgemm 1024^3: %.1f GFLOP/s (1 thread), %.1f (2)\n\n",
          gemm1, gemm2);
  printf ("%-22s %8s   %9s %6s   %9s %6s\n", "layer at 1024^2 input",
          "GFLOP", "1 thread", "/sgemm", "2 threads", "/sgemm");
  for (i = 0; i < (int) (sizeof convs / sizeof convs[0]); i++)
    {
      const BenchConv *bc = &convs[i];
      double           gflop = 2e-9 * bc->out_c * bc->in_c * bc->kernel *
                               bc->kernel * bc->out_side * bc->out_side;
      double           rate[3] = { 0.0, 0.0, 0.0 };

      for (threads = 1; threads <= 2; threads++)
        {
          double t = time_conv (ctx, bc, threads, reps);

          if (t < 0.0)
            return 1;
          rate[threads] = gflop / t;
          total[threads] += bc->count * t;
        }
      gflop_total += bc->count * gflop;
      printf ("%-22s %8.2f   %9.1f %5.0f%%   %9.1f %5.0f%%%s\n", bc->name,
              gflop, rate[1], 100.0 * rate[1] / gemm1, rate[2],
              100.0 * rate[2] / gemm2, bc->count > 1 ? "   (x10)" : "");
    }
  printf ("\nthe net's %d convolutions, %.1f GFLOP: %.2f s (1 thread), "
          "%.2f s (2): %.1f and %.1f GFLOP/s\n", 16, gflop_total,
          total[1], total[2], gflop_total / total[1],
          gflop_total / total[2]);
  atelier_context_free (ctx);
  return 0;
}
