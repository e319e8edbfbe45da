/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The layers of the feed-forward style networks (net.h) on planar
 * C x H x W float tensors: reflection padding, convolution, ReLU, nearest
 * x2 upsampling and the two halves of instance normalisation.
 *
 * Convolution takes one of three paths, by the layer's shape alone:
 *   - direct: few output or input channels (the 9x9 32->3 that ends
 *     Johnson's net, the 9x9 3->32 that starts it), stride 1, on a CPU
 *     with AVX2+FMA or AVX-512: a register-blocked loop, DIRECT_OB
 *     output channels x a strip of pixels in registers, over every
 *     (input channel, ky, kx).  sgemm is poor there (see the table);
 *   - Winograd F(4x4, 3x3) for 3x3 stride 1 with enough channels (the
 *     bulk of Johnson's net): 36 sgemms on transformed tiles, 4x fewer
 *     multiplies and a quarter of im2col's scratch traffic;
 *   - 1x1, stride 1: sgemm on the input as it lies;
 *   - anything else: im2col of a band of output rows, then sgemm
 *     out[out_c x band] = W[out_c x in_c k k] . cols[in_c k k x band],
 *     written in place into the output (ldc is the output plane).
 *
 * Determinism: each path cuts the output into bands of rows whose height
 * depends only on the layer's shape, and a band is computed by one task
 * alone (sgemm single-threaded, see context.c), so any thread count
 * writes the same bits.  Which worker takes which band changes nothing.
 *
 * Padding and upsampling: a convolution can read its input reflect-
 * padded, and upsampled x2 before that, by index (atelier_net_conv):
 * im2col maps rows and the border columns, Winograd maps
 * rows and mirrors the border columns in its first pass (upsampled rows
 * are doubled into scratch), the direct path maps rows and copies the
 * few strips that reach into the padding.  The values read are those the
 * padded copy would hold, in the same order: the same bits.
 *
 * Memory: the im2col or Winograd scratch is one band (at most
 * BAND_FLOATS or WINO_FLOATS floats, or one row's worth) per worker; no
 * full-size copy of any tensor. */
#include "net.h"
#include "internal.h"

#include <cblas.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Tuned constants.  Measured with bench/net_layers_bench.c (Johnson's
 * layers at 1024^2, random weights) on the 2-core AVX-512 Xeon the
 * project is benchmarked on, OpenBLAS 0.3.21 (SkylakeX kernels):
 *
 *   BAND_FLOATS       im2col scratch a band, floats (1 MiB x 4).  Larger
 *                     bands cost cache misses on the way from im2col to
 *                     sgemm's packing; smaller ones make sgemm calls too
 *                     thin.  256K..4M floats were within 5 % on 128->128
 *                     3x3 at 256^2; 1M was best or tied on every layer.
 *   MIN_BANDS         a layer is cut into at least this many bands (if it
 *                     has the rows) so 2..8 workers share it evenly; the
 *                     number is a property of the shape, not the pool.
 *   DIRECT_MAX_OUT_C  the direct path runs for out_c up to this, or for
 *   DIRECT_MAX_IN_C   in_c up to that.  9x9 32->3 at 1024^2, a core:
 *                     direct ~70 GFLOP/s, im2col+sgemm ~8 (13 of 16
 *                     lanes idle).  9x9 3->32: direct ~72, im2col+sgemm
 *                     ~55: sgemm alone does 90-98 on that shape, but the
 *                     im2col of a 3-channel input writes 81 floats a
 *                     pixel for every 2 x 32 x 81 FLOPs, a pass through
 *                     memory as long as the product.  With 64-128
 *                     channels on both sides sgemm runs at 90-120 and
 *                     direct does not grow past ~75, so the path stays
 *                     with RGB-like ends: 8 outputs, 4 inputs.
 *   DIRECT_OB         output channels a direct strip keeps in registers:
 *                     3, so an RGB output wastes no lane.
 *   WINO_FLOATS       Winograd scratch a band (transformed input and
 *                     products), floats; 256K..1M within 3 % on 128->128
 *                     at 256^2, a band is then one tile row or two.
 *   WINO_MIN_C        Winograd F(4x4, 3x3) runs for 3x3 stride 1 when both
 *                     sides have this many channels: a core, at 512^2,
 *                     8->16 ties im2col+sgemm (40 vs 42 GFLOP/s), 16->16
 *                     55 vs 35, 32->32 103 vs 56; at 256^2 128->128 218
 *                     vs 114, and 64->32 at 1024^2 131 vs 59. */
#define BAND_FLOATS       (1 << 20)
#define MIN_BANDS         8
#define DIRECT_MAX_OUT_C  8
#define DIRECT_MAX_IN_C   4
#define DIRECT_OB         3
#define WINO_FLOATS       (1 << 20)
#define WINO_MIN_C        16
#define RELU_CHUNK        (1 << 16)

/* ---- sizes and checks ---- */

static int
conv_extent (int n,
             int kernel,
             int stride)
{
  if (stride < 1)
    stride = 1;
  return n >= kernel && kernel >= 1 ? (n - kernel) / stride + 1 : 0;
}

void
atelier_net_layer_size (const AtelierNetLayer *layer,
                        int                    h,
                        int                    w,
                        int                   *out_h,
                        int                   *out_w)
{
  switch (layer->op)
    {
    case ATELIER_NET_PAD_REFLECT:
      *out_h = h + 2 * layer->pad;
      *out_w = w + 2 * layer->pad;
      break;
    case ATELIER_NET_CONV:
      *out_h = conv_extent (h, layer->kernel, layer->stride);
      *out_w = conv_extent (w, layer->kernel, layer->stride);
      break;
    case ATELIER_NET_UPSAMPLE:
      *out_h = 2 * h;
      *out_w = 2 * w;
      break;
    default:
      *out_h = h;
      *out_w = w;
      break;
    }
}

static inline size_t
plane_of (const AtelierTensor *t)
{
  return (size_t) t->h * t->w;
}

/* ---- reflection padding (PyTorch's ReflectionPad2d) ---- */

typedef struct
{
  const AtelierTensor *in;
  AtelierTensor       *out;
  int                  pad;
} CopyJob;

/* The source index of i in 0..n-1 mirrored about its ends, the end
 * samples not repeated: -1 -> 1, n -> n - 2.  Needs |overhang| < n. */
static inline int
reflect (int i,
         int n)
{
  if (i < 0)
    return -i;
  if (i >= n)
    return 2 * (n - 1) - i;
  return i;
}

/* The source index of index i of a side of n samples seen upsampled x2
 * (up 1, nearest) or not (0) and then reflect-padded by pad: what a
 * PAD_REFLECT after an UPSAMPLE would have copied there. */
static inline int
virtual_index (int i,
               int n,
               int up,
               int pad)
{
  return reflect (i - pad, n << up) >> up;
}

static void
pad_task (int c,
          void *data)
{
  const CopyJob *job = data;
  const int      h = job->in->h, w = job->in->w, p = job->pad;
  const int      ow = job->out->w;
  const float   *src = job->in->data + c * plane_of (job->in);
  float         *dst = job->out->data + c * plane_of (job->out);
  int            y, x;

  for (y = 0; y < job->out->h; y++, dst += ow)
    {
      const float *row = src + (size_t) reflect (y - p, h) * w;

      for (x = 0; x < p; x++)
        dst[x] = row[p - x];
      memcpy (dst + p, row, (size_t) w * sizeof (float));
      for (x = 0; x < p; x++)
        dst[p + w + x] = row[w - 2 - x];
    }
}

/* ---- nearest x2 upsampling ---- */

static void
upsample_task (int c,
               void *data)
{
  const CopyJob *job = data;
  const int      h = job->in->h, w = job->in->w, ow = job->out->w;
  const float   *src = job->in->data + c * plane_of (job->in);
  float         *dst = job->out->data + c * plane_of (job->out);
  int            y, x;

  for (y = 0; y < h; y++, src += w, dst += 2 * ow)
    {
      for (x = 0; x < w; x++)
        dst[2 * x] = dst[2 * x + 1] = src[x];
      memcpy (dst + ow, dst, (size_t) ow * sizeof (float));
    }
}

/* ---- ReLU ---- */

typedef struct
{
  const float *in;
  float       *out;
  size_t       n;
} ReluJob;

/* out = max (in, 0), in and out the same or apart.  A comparison, not
 * fmaxf: it vectorises to one max a vector (NaN becomes 0, where PyTorch
 * would keep it). */
static void
relu_copy (const float *in,
           float       *out,
           size_t       n)
{
  size_t i;

  for (i = 0; i < n; i++)
    out[i] = in[i] > 0.0f ? in[i] : 0.0f;
}

static void
relu_task (int chunk,
           void *data)
{
  const ReluJob *job = data;
  size_t         i   = (size_t) chunk * RELU_CHUNK;
  size_t         end = i + RELU_CHUNK < job->n ? i + RELU_CHUNK : job->n;

  relu_copy (job->in + i, job->out + i, end - i);
}

/* ---- convolution: im2col + sgemm ---- */

typedef struct
{
  const AtelierNetLayer *layer;
  const AtelierTensor   *in;
  AtelierTensor         *out;
  int                    up, pad;  /* upsampling, padding read implicitly */
  int                    rows;     /* output rows a band           */
  int                    n_bands;
  float                 *scratch;  /* band_floats a worker, or NULL */
  size_t                 band_floats;
  atomic_int             next_band;
} GemmJob;

/* Rows of cols for the output rows y0..y1-1: row (c, ky, kx) holds
 * P[c][y s + ky][x s + kx] for every output pixel of the band, P being
 * in reflect-padded by pad: the padded row is a source row, its columns
 * are the source's but for the first and last few, so only those go
 * through reflect().  Upsampled first (up 1), every index is mapped. */
static void
im2col (const AtelierTensor *in,
        int                  k,
        int                  s,
        int                  up,
        int                  pad,
        int                  y0,
        int                  y1,
        int                  ow,
        float               *cols)
{
  const int w = in->w;
  int       c, ky, kx, y, x;

  for (c = 0; c < in->c; c++)
    for (ky = 0; ky < k; ky++)
      for (kx = 0; kx < k; kx++)
        {
          /* output column x reads source column x s + off; xa..xb-1 are
           * the ones inside the source */
          const int off = kx - pad;
          int       xa  = off >= 0 ? 0 : (-off + s - 1) / s;
          int       xb  = w - 1 - off < 0 ? 0 : (w - 1 - off) / s + 1;

          xb = xb < ow ? xb : ow;
          xa = xa < xb ? xa : xb;
          for (y = y0; y < y1; y++, cols += ow)
            {
              const float *src = in->data + c * plane_of (in) +
                                 (size_t) virtual_index (y * s + ky, in->h,
                                                         up, pad) * w;

              if (up)
                {
                  for (x = 0; x < ow; x++)
                    cols[x] = src[virtual_index (x * s + kx, w, 1, pad)];
                  continue;
                }
              for (x = 0; x < xa; x++)
                cols[x] = src[reflect (x * s + off, w)];
              if (s == 1)
                memcpy (cols + xa, src + xa + off,
                        (size_t) (xb - xa) * sizeof (float));
              else
                for (x = xa; x < xb; x++)
                  cols[x] = src[x * s + off];
              for (x = xb; x < ow; x++)
                cols[x] = src[reflect (x * s + off, w)];
            }
        }
}

static void
gemm_band (const GemmJob *job,
           int            band,
           float         *cols)
{
  const AtelierNetLayer *l = job->layer;
  const int              k = l->kernel, ow = job->out->w;
  const int              y0 = band * job->rows;
  const int              y1 = y0 + job->rows < job->out->h ?
                              y0 + job->rows : job->out->h;
  const int              n = (y1 - y0) * ow;
  const int              depth = l->in_c * k * k;
  const size_t           out_plane = plane_of (job->out);
  float                 *dst = job->out->data + (size_t) y0 * ow;
  const float           *b;
  int                    ldb, oc, i;

  /* The bias first, then sgemm adds onto it (beta 1): OpenBLAS clears C
   * in a pass of its own for beta 0, so this costs nothing extra. */
  for (oc = 0; oc < l->out_c; oc++)
    {
      float *row = dst + oc * out_plane;

      for (i = 0; i < n; i++)
        row[i] = l->bias[oc];
    }

  if (! cols)
    {
      /* 1x1, stride 1: the input's rows are already the columns. */
      b   = job->in->data + (size_t) y0 * ow;
      ldb = (int) plane_of (job->in);
    }
  else
    {
      im2col (job->in, k, l->stride, job->up, job->pad, y0, y1, ow, cols);
      b   = cols;
      ldb = n;
    }
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
               l->out_c, n, depth, 1.0f, l->weight, depth, b, ldb,
               1.0f, dst, (int) out_plane);
}

static void
gemm_task (int task,
           void *data)
{
  GemmJob *job  = data;
  float   *cols = job->scratch ? job->scratch + task * job->band_floats
                               : NULL;
  int      band;

  while ((band = atomic_fetch_add (&job->next_band, 1)) < job->n_bands)
    gemm_band (job, band, cols);
}

/* Rows a band (output rows, or Winograd tile rows): within budget
 * floats of scratch, and at least MIN_BANDS bands where there are rows
 * for them. */
static int
band_rows (int    out_h,
           size_t floats_a_row,
           size_t budget)
{
  size_t rows = budget / (floats_a_row > 0 ? floats_a_row : 1);
  int    even = (out_h + MIN_BANDS - 1) / MIN_BANDS;

  if (rows > (size_t) even)
    rows = (size_t) even;
  return rows < 1 ? 1 : (int) rows;
}

static AtelierStatus
no_scratch (AtelierContext        *ctx,
            const AtelierNetLayer *layer,
            const AtelierTensor   *out)
{
  atelier_set_error (ctx, "out of memory for a %d x %d x %d "
                     "convolution's scratch", layer->out_c, out->h, out->w);
  return ATELIER_ERR_NO_MEMORY;
}

static AtelierStatus
conv_gemm (AtelierContext        *ctx,
           int                    n_threads,
           const AtelierNetLayer *layer,
           int                    up,
           int                    pad,
           const AtelierTensor   *in,
           AtelierTensor         *out)
{
  const int     k       = layer->kernel;
  const size_t  depth   = (size_t) layer->in_c * k * k;
  const bool    direct1 = k == 1 && layer->stride == 1 && pad == 0 &&
                          up == 0;
  GemmJob       job;
  int           n_workers;
  AtelierStatus status = ATELIER_OK;

  memset (&job, 0, sizeof job);
  job.layer   = layer;
  job.in      = in;
  job.out     = out;
  job.up      = up;
  job.pad     = pad;
  job.rows    = band_rows (out->h, depth * out->w, BAND_FLOATS);
  job.n_bands = (out->h + job.rows - 1) / job.rows;
  atomic_init (&job.next_band, 0);

  n_workers = atelier_pool_workers (ctx, n_threads, job.n_bands);
  if (! direct1)
    {
      job.band_floats = depth * job.rows * out->w;
      job.scratch = malloc (job.band_floats * n_workers * sizeof (float));
      if (! job.scratch)
        {
          status = no_scratch (ctx, layer, out);
          goto out;
        }
    }
  atelier_parallel_for (ctx, n_workers, n_workers, gemm_task, &job);

out:
  free (job.scratch);
  return status;
}

/* The widest vector unit the direct path and the Winograd
 * transforms have code for: 512, 256 or 0
 * (none: sgemm does every convolution). */
static int
direct_isa (void)
{
  if (__builtin_cpu_supports ("avx512f") && __builtin_cpu_supports ("fma"))
    return 512;
  if (__builtin_cpu_supports ("avx2") && __builtin_cpu_supports ("fma"))
    return 256;
  return 0;
}

/* ---- convolution: Winograd F(4x4, 3x3), 3x3 stride 1 ----
 *
 * Each 4 x 4 block of outputs comes from a 6 x 6 block of input (Lavin
 * and Gray 2016, points 0, +-1, +-2, infinity): V = B^T d B per input
 * channel, U = G g G^T per filter, then for each of the 36 positions xi
 * an sgemm M[xi] = U[xi] (out_c x in_c) . V[xi] (in_c x tiles), and
 * Y = A^T M A.  36 products of in_c where direct convolution needs
 * 16 x 9: 4x fewer multiplies, and the transformed input holds 2.25
 * floats a pixel and channel where im2col holds 9.  A band is a fixed
 * number of tile rows (by shape), so the bits do not depend on threads.
 * Rounding: the transforms' coefficients (up to 8, 1/24) cost about
 * one decimal digit against im2col; the tests hold it to 1e-4 of the
 * terms' magnitude. */

#define WINO_M     4      /* outputs a tile side */
#define WINO_A     6      /* inputs a tile side  */
#define WINO_XI    36
#define WINO_TMP_ROWS 11  /* tmp 6, ph 4, a zero row: rows of 4 (n_tx + 1) */

/* The transforms, one version for each instruction set (below). */
typedef void (*WinoInputFunc)  (const float *const *r, int w, int pad,
                                int n_tx, float *tmp, float *ph, float *v,
                                size_t ld);
typedef void (*WinoOutputFunc) (const float *m, size_t ld, int n_tx,
                                float *o);

typedef struct
{
  const AtelierNetLayer *layer;
  const AtelierTensor   *in;
  AtelierTensor         *out;
  int                    up, pad;    /* read implicitly             */
  const float           *u;          /* 36 x out_c x in_c        */
  int                    n_tx, n_ty; /* tiles across, down       */
  int                    tile_rows;  /* tile rows a band         */
  int                    n_bands;
  size_t                 worker_floats;
  float                 *scratch;
  atomic_int             next_band;
  WinoInputFunc          input;
  WinoOutputFunc         output;
} WinoJob;

/* The six values of G (g0 g1 g2)^T, into r[0], r[stride], ... */
static void
wino_g (double  g0,
        double  g1,
        double  g2,
        double *r,
        int     stride)
{
  r[0]          = g0 / 4.0;
  r[stride]     = -(g0 + g1 + g2) / 6.0;
  r[2 * stride] = -(g0 - g1 + g2) / 6.0;
  r[3 * stride] = g0 / 24.0 + g1 / 12.0 + g2 / 6.0;
  r[4 * stride] = g0 / 24.0 - g1 / 12.0 + g2 / 6.0;
  r[5 * stride] = g2;
}

/* u (36 x out_c x in_c) = G g G^T for every filter, in double. */
static void
wino_weights (const AtelierNetLayer *l,
              float                 *u)
{
  const size_t n = (size_t) l->out_c * l->in_c;
  size_t       f;
  int          i, j;

  for (f = 0; f < n; f++)
    {
      const float *g = l->weight + 9 * f;
      double       t[6][3], r[6][6];

      /* G on the columns, then on the rows of the result */
      for (j = 0; j < 3; j++)
        wino_g (g[j], g[3 + j], g[6 + j], &t[0][j], 3);
      for (i = 0; i < 6; i++)
        wino_g (t[i][0], t[i][1], t[i][2], r[i], 1);
      for (i = 0; i < 6; i++)
        for (j = 0; j < 6; j++)
          u[(i * 6 + j) * n + f] = (float) r[i][j];
    }
}

/* B^T's rows applied to d0..d5 (the same down and across). */
#define WINO_IN(d0, d1, d2, d3, d4, d5, v0, v1, v2, v3, v4, v5)           \
  do {                                                                    \
    float d0_ = (d0), d1_ = (d1), d2_ = (d2), d3_ = (d3), d4_ = (d4);     \
                                                                          \
    v0 = 4.0f * d0_ - 5.0f * d2_ + d4_;                                   \
    v1 = -4.0f * (d1_ + d2_) + d3_ + d4_;                                 \
    v2 = 4.0f * (d1_ - d2_) - d3_ + d4_;                                  \
    v3 = 2.0f * (d3_ - d1_) - d2_ + d4_;                                  \
    v4 = 2.0f * (d1_ - d3_) - d2_ + d4_;                                  \
    v5 = 4.0f * d1_ - 5.0f * d3_ + (d5);                                  \
  } while (0)

/* A^T's rows applied to m0..m5. */
#define WINO_OUT(m0, m1, m2, m3, m4, m5, y0, y1, y2, y3)                  \
  do {                                                                    \
    float p_ = (m1) + (m2), q_ = (m1) - (m2);                             \
    float u_ = (m3) + (m4), w_ = (m3) - (m4);                             \
                                                                          \
    y0 = (m0) + p_ + u_;                                                  \
    y1 = q_ + 2.0f * w_;                                                  \
    y2 = p_ + 4.0f * u_;                                                  \
    y3 = q_ + 8.0f * w_ + (m5);                                           \
  } while (0)

/* The input transform of one tile row of one channel.  r: the six input
 * rows (a zero row past the input), w wide, seen reflect-padded by pad
 * on the left and right (w + 2 pad wide: the pad columns mirror, the
 * rest are the row's own, read in place); first down the columns into
 * tmp (6 rows of pw = 4 (n_tx + 1), zero past w + 2 pad), each row split
 * into its
 * 4 phases (ph: 4 rows of n_tx + 1) so that the pass across reads every
 * operand with unit stride, then across into v: row xi = 6 j + i at
 * v + xi ld.  Every loop runs over pixels or tiles with unit stride, for
 * the compiler to vectorise. */
static inline __attribute__ ((always_inline)) void
wino_input_body (const float *const *r,
                 int                 w,
                 int                 pad,
                 int                 n_tx,
                 float              *tmp,
                 float              *ph,
                 float              *v,
                 size_t              ld)
{
  const int          n1 = n_tx + 1, pw = WINO_M * n1;
  const float *restrict r0 = r[0], *restrict r1 = r[1], *restrict r2 = r[2];
  const float *restrict r3 = r[3], *restrict r4 = r[4], *restrict r5 = r[5];
  float *restrict    t0 = tmp, *restrict t1 = tmp + pw;
  float *restrict    t2 = tmp + 2 * pw, *restrict t3 = tmp + 3 * pw;
  float *restrict    t4 = tmp + 4 * pw, *restrict t5 = tmp + 5 * pw;

  float *restrict    t0p = t0 + pad, *restrict t1p = t1 + pad;
  float *restrict    t2p = t2 + pad, *restrict t3p = t3 + pad;
  float *restrict    t4p = t4 + pad, *restrict t5p = t5 + pad;
  int                j, x, tx, sx;

  for (x = 0; x < pad; x++)
    {
      sx = pad - x;
      WINO_IN (r0[sx], r1[sx], r2[sx], r3[sx], r4[sx], r5[sx],
               t0[x], t1[x], t2[x], t3[x], t4[x], t5[x]);
    }
  for (x = 0; x < w; x++)
    WINO_IN (r0[x], r1[x], r2[x], r3[x], r4[x], r5[x],
             t0p[x], t1p[x], t2p[x], t3p[x], t4p[x], t5p[x]);
  for (x = w + pad; x < w + 2 * pad; x++)
    {
      sx = 2 * (w - 1) - (x - pad);
      WINO_IN (r0[sx], r1[sx], r2[sx], r3[sx], r4[sx], r5[sx],
               t0[x], t1[x], t2[x], t3[x], t4[x], t5[x]);
    }
  for (x = w + 2 * pad; x < pw; x++)
    t0[x] = t1[x] = t2[x] = t3[x] = t4[x] = t5[x] = 0.0f;

  for (j = 0; j < 6; j++)
    {
      const float *restrict row = tmp + j * pw;
      float *restrict       p0 = ph, *restrict p1 = ph + n1;
      float *restrict       p2 = ph + 2 * n1, *restrict p3 = ph + 3 * n1;
      float *restrict       d = v + (size_t) j * 6 * ld;

      for (tx = 0; tx < n1; tx++)
        {
          p0[tx] = row[4 * tx];
          p1[tx] = row[4 * tx + 1];
          p2[tx] = row[4 * tx + 2];
          p3[tx] = row[4 * tx + 3];
        }
      for (tx = 0; tx < n_tx; tx++)
        WINO_IN (p0[tx], p1[tx], p2[tx], p3[tx], p0[tx + 1], p1[tx + 1],
                 d[tx], d[ld + tx], d[2 * ld + tx], d[3 * ld + tx],
                 d[4 * ld + tx], d[5 * ld + tx]);
    }
}

/* The output transform of one tile row of one output channel: m holds
 * its 36 products (row xi at m + xi ld), o gets the 4 x 4 outputs of each
 * tile as 16 rows of n_tx (row 4 r + c: output row r, column 4 tx + c). */
static inline __attribute__ ((always_inline)) void
wino_output_body (const float *m,
                  size_t       ld,
                  int          n_tx,
                  float       *o)
{
  const float *restrict mm = m;
  float *restrict       oo = o;
  const size_t          n = n_tx;
  int                   tx, k;

  for (tx = 0; tx < n_tx; tx++)
    {
      float s0[6], s1[6], s2[6], s3[6];

      _Pragma ("GCC unroll 6")
      for (k = 0; k < 6; k++)
        {
          const float *p = mm + k * ld + tx;

          WINO_OUT (p[0], p[6 * ld], p[12 * ld], p[18 * ld], p[24 * ld],
                    p[30 * ld], s0[k], s1[k], s2[k], s3[k]);
        }
      WINO_OUT (s0[0], s0[1], s0[2], s0[3], s0[4], s0[5],
                oo[tx], oo[n + tx], oo[2 * n + tx], oo[3 * n + tx]);
      WINO_OUT (s1[0], s1[1], s1[2], s1[3], s1[4], s1[5],
                oo[4 * n + tx], oo[5 * n + tx], oo[6 * n + tx],
                oo[7 * n + tx]);
      WINO_OUT (s2[0], s2[1], s2[2], s2[3], s2[4], s2[5],
                oo[8 * n + tx], oo[9 * n + tx], oo[10 * n + tx],
                oo[11 * n + tx]);
      WINO_OUT (s3[0], s3[1], s3[2], s3[3], s3[4], s3[5],
                oo[12 * n + tx], oo[13 * n + tx], oo[14 * n + tx],
                oo[15 * n + tx]);
    }
}

/* The transforms for each instruction set the direct path knows. */
#define WINO_VARIANT(SUFFIX, TARGET)                                      \
static TARGET void                                                        \
wino_input_##SUFFIX (const float *const *r, int w, int pad, int n_tx,    \
                     float *tmp, float *ph, float *v, size_t ld)          \
{                                                                         \
  wino_input_body (r, w, pad, n_tx, tmp, ph, v, ld);                      \
}                                                                         \
static TARGET void                                                        \
wino_output_##SUFFIX (const float *m, size_t ld, int n_tx, float *o)     \
{                                                                         \
  wino_output_body (m, ld, n_tx, o);                                      \
}

WINO_VARIANT (512, __attribute__ ((target ("avx512f,fma"))))
WINO_VARIANT (256, __attribute__ ((target ("avx2,fma"))))
WINO_VARIANT (any, )

/* One tile row of one input channel into v (this tile row's first tile
 * at v, rows of the 36 ld floats apart). */
static void
wino_input (const WinoJob *job,
            int            ic,
            int            oy,
            float         *scratch,
            float         *v,
            size_t         ld)
{
  const AtelierTensor *in    = job->in;
  const float         *plane = in->data + ic * plane_of (in);
  const int            pw    = WINO_M * (job->n_tx + 1);
  float               *tmp   = scratch, *ph = tmp + 6 * pw;
  const float         *zero  = ph + pw;
  float               *stage = tmp + WINO_TMP_ROWS * pw;
  const float         *r[6];
  const int            vh = in->h << job->up, w = in->w;
  int                  i, x;

  /* rows of the padded input, vh + 2 pad of them, mapped to the source */
  for (i = 0; i < 6; i++)
    r[i] = oy + i < vh + 2 * job->pad ?
           plane + (size_t) virtual_index (oy + i, in->h, job->up,
                                           job->pad) * w :
           zero;
  if (job->up)
    {
      /* upsampled: each row doubled into the stage, 2 w <= pw wide, for
       * the transform's unit-stride reads (the same values) */
      for (i = 0; i < 6; i++)
        {
          float *d = stage + i * pw;

          for (x = 0; x < w; x++)
            d[2 * x] = d[2 * x + 1] = r[i][x];
          r[i] = d;
        }
    }
  job->input (r, w << job->up, job->pad, job->n_tx, tmp, ph, v, ld);
}

/* One tile row of one output channel from m (laid out as v) into the
 * output rows oy.. that exist, plus the bias. */
static void
wino_output (const WinoJob *job,
             int            oc,
             int            oy,
             const float   *m,
             size_t         ld,
             float         *o)
{
  AtelierTensor *out  = job->out;
  const int      ow   = out->w, n = job->n_tx;
  const int      full = ow / WINO_M;
  const float    bias = job->layer->bias[oc];
  int            r, c, tx;

  job->output (m, ld, n, o);
  for (r = 0; r < 4 && oy + r < out->h; r++)
    {
      float       *dst = out->data + oc * plane_of (out) +
                         (size_t) (oy + r) * ow;
      const float *o0  = o + 4 * r * n, *o1 = o0 + n;
      const float *o2  = o1 + n, *o3 = o2 + n;

      for (tx = 0; tx < full; tx++)
        {
          dst[4 * tx]     = o0[tx] + bias;
          dst[4 * tx + 1] = o1[tx] + bias;
          dst[4 * tx + 2] = o2[tx] + bias;
          dst[4 * tx + 3] = o3[tx] + bias;
        }
      for (c = WINO_M * full; c < ow; c++)
        dst[c] = o[(4 * r + c % 4) * n + c / 4] + bias;
    }
}

static void
wino_band (const WinoJob *job,
           int            band,
           float         *scratch)
{
  const AtelierNetLayer *l = job->layer;
  const int              ty0 = band * job->tile_rows;
  const int              ty1 = ty0 + job->tile_rows < job->n_ty ?
                               ty0 + job->tile_rows : job->n_ty;
  const int              n_t = (ty1 - ty0) * job->n_tx;
  const size_t           ld  = (size_t) job->tile_rows * job->n_tx;
  float                 *v   = scratch;
  float                 *m   = v + WINO_XI * l->in_c * ld;
  float                 *tmp = m + WINO_XI * l->out_c * ld;
  int                    ic, oc, ty, xi;

  for (ic = 0; ic < l->in_c; ic++)
    for (ty = ty0; ty < ty1; ty++)
      wino_input (job, ic, ty * WINO_M, tmp,
                  v + ic * ld + (ty - ty0) * job->n_tx, l->in_c * ld);
  for (xi = 0; xi < WINO_XI; xi++)
    cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans,
                 l->out_c, n_t, l->in_c, 1.0f,
                 job->u + (size_t) xi * l->out_c * l->in_c, l->in_c,
                 v + xi * l->in_c * ld, (int) ld, 0.0f,
                 m + xi * l->out_c * ld, (int) ld);
  for (oc = 0; oc < l->out_c; oc++)
    for (ty = ty0; ty < ty1; ty++)
      wino_output (job, oc, ty * WINO_M,
                   m + oc * ld + (ty - ty0) * job->n_tx, l->out_c * ld, tmp);
}

static void
wino_task (int   task,
           void *data)
{
  WinoJob *job = data;
  int      band;

  while ((band = atomic_fetch_add (&job->next_band, 1)) < job->n_bands)
    wino_band (job, band, job->scratch + task * job->worker_floats);
}

static bool
use_winograd (const AtelierNetLayer *layer)
{
  return layer->kernel == 3 && layer->stride == 1 &&
         layer->in_c >= WINO_MIN_C && layer->out_c >= WINO_MIN_C;
}

static AtelierStatus
conv_winograd (AtelierContext        *ctx,
               int                    n_threads,
               const AtelierNetLayer *layer,
               int                    up,
               int                    pad,
               const AtelierTensor   *in,
               AtelierTensor         *out)
{
  const size_t  chans = (size_t) layer->in_c + layer->out_c;
  WinoJob       job;
  size_t        a_row;
  int           n_workers;
  AtelierStatus status = ATELIER_OK;

  memset (&job, 0, sizeof job);
  job.layer = layer;
  job.in    = in;
  job.out   = out;
  job.up    = up;
  job.pad   = pad;
  job.n_tx  = (out->w + WINO_M - 1) / WINO_M;
  job.n_ty  = (out->h + WINO_M - 1) / WINO_M;
  /* Tile rows a band: the transformed input and the products within
   * WINO_FLOATS, at least MIN_BANDS bands where there are rows. */
  a_row         = WINO_XI * chans * job.n_tx;
  job.tile_rows = band_rows (job.n_ty, a_row, WINO_FLOATS);
  job.n_bands   = (job.n_ty + job.tile_rows - 1) / job.tile_rows;
  atomic_init (&job.next_band, 0);
  /* v and m, then tmp (6 rows), ph (4 rows) and a zero row, each
   * 4 (n_tx + 1) >= in->w floats, and when upsampling 6 staged rows;
   * the output's 16 rows of n_tx reuse tmp. */
  job.worker_floats = a_row * job.tile_rows +
                      (WINO_TMP_ROWS + (up ? 6 : 0)) *
                      (size_t) WINO_M * (job.n_tx + 1);
  n_workers = atelier_pool_workers (ctx, n_threads, job.n_bands);

  /* calloc: the zero rows must be zero. */
  job.scratch = calloc (job.worker_floats * n_workers +
                        WINO_XI * (size_t) layer->out_c * layer->in_c,
                        sizeof (float));
  if (! job.scratch)
    {
      status = no_scratch (ctx, layer, out);
      goto out;
    }
  job.u = job.scratch + job.worker_floats * n_workers;
  wino_weights (layer, (float *) job.u);
  switch (direct_isa ())
    {
    case 512:
      job.input  = wino_input_512;
      job.output = wino_output_512;
      break;
    case 256:
      job.input  = wino_input_256;
      job.output = wino_output_256;
      break;
    default:
      job.input  = wino_input_any;
      job.output = wino_output_any;
      break;
    }
  atelier_parallel_for (ctx, n_workers, n_workers, wino_task, &job);

out:
  free (job.scratch);
  return status;
}

/* ---- convolution: direct, few output channels ---- */

typedef struct
{
  int          in_c, k, in_w;
  size_t       in_plane, out_plane;
} DirectShape;

typedef void (*DirectStripFunc) (const DirectShape *s,
                                 const float       *in,
                                 const size_t      *roff,
                                 const float       *wp,
                                 const float       *bias,
                                 float             *out,
                                 int                n_oc);

/* One strip of XV vectors of VL pixels of one output row, DIRECT_OB
 * output channels, the sums in registers throughout: in points at the
 * input column under the strip's first output (channel 0, kx 0), input
 * row ky at in + roff[ky] (the padding's reflection of rows), wp
 * at the packed weights (in_c x k x k x DIRECT_OB), out at the first
 * output of channel 0; n_oc of the DIRECT_OB channels are stored.  Every
 * output pixel gets the same sequence of fused multiply-adds whichever
 * strip or lane computes it, so overlapping strips write equal bits.
 * A macro because each instruction set needs its own vector type. */
#define DIRECT_STRIP(NAME, TARGET, VEC, VL, XV)                            \
static __attribute__ ((target (TARGET))) void                             \
NAME (const DirectShape *s,                                               \
      const float       *in,                                              \
      const size_t      *roff,                                            \
      const float       *wp,                                              \
      const float       *bias,                                            \
      float             *out,                                             \
      int                n_oc)                                            \
{                                                                         \
  VEC acc[DIRECT_OB][XV];                                                 \
  int ic, ky, kx, o, v;                                                   \
                                                                          \
  _Pragma ("GCC unroll 4")                                                \
  for (o = 0; o < DIRECT_OB; o++)                                         \
    _Pragma ("GCC unroll 8")                                              \
    for (v = 0; v < XV; v++)                                              \
      acc[o][v] = bias[o] - (VEC) {};                                     \
  for (ic = 0; ic < s->in_c; ic++)                                        \
    for (ky = 0; ky < s->k; ky++)                                         \
      {                                                                   \
        const float *row = in + ic * s->in_plane + roff[ky];              \
                                                                          \
        for (kx = 0; kx < s->k; kx++, wp += DIRECT_OB)                    \
          {                                                               \
            VEC x[XV];                                                    \
                                                                          \
            _Pragma ("GCC unroll 8")                                      \
            for (v = 0; v < XV; v++)                                      \
              memcpy (&x[v], row + kx + v * VL, sizeof (VEC));            \
            _Pragma ("GCC unroll 4")                                      \
            for (o = 0; o < DIRECT_OB; o++)                               \
              {                                                           \
                VEC w = wp[o] - (VEC) {};                                 \
                                                                          \
                _Pragma ("GCC unroll 8")                                  \
                for (v = 0; v < XV; v++)                                  \
                  acc[o][v] += x[v] * w;                                  \
              }                                                           \
          }                                                               \
      }                                                                   \
  for (o = 0; o < n_oc; o++)                                              \
    _Pragma ("GCC unroll 8")                                              \
    for (v = 0; v < XV; v++)                                              \
      memcpy (out + o * s->out_plane + v * VL, &acc[o][v], sizeof (VEC)); \
}

typedef float Vec16 __attribute__ ((vector_size (64)));
typedef float Vec8  __attribute__ ((vector_size (32)));

/* XV: as many sums as the registers hold beside XV inputs and a weight
 * (AVX-512: 32 registers, 18 + 6 + 1; AVX2: 16, 9 + 3 + 1). */
#define DIRECT_XV_512 6
#define DIRECT_XV_256 3
DIRECT_STRIP (direct_strip_512, "avx512f,fma", Vec16, 16, DIRECT_XV_512)
DIRECT_STRIP (direct_strip_512_one, "avx512f,fma", Vec16, 16, 1)
DIRECT_STRIP (direct_strip_256, "avx2,fma", Vec8, 8, DIRECT_XV_256)
DIRECT_STRIP (direct_strip_256_one, "avx2,fma", Vec8, 8, 1)

typedef struct
{
  DirectShape      shape;
  const AtelierTensor *in;
  AtelierTensor   *out;
  const float     *wpack;    /* n_blocks x in_c x k x k x DIRECT_OB */
  const float     *bpack;    /* n_blocks x DIRECT_OB                 */
  int              out_c, n_blocks, rows, n_bands, vl, xv;
  int              up, pad;  /* read implicitly                      */
  float           *stage;    /* stage_floats a worker                */
  size_t           stage_floats;
  atomic_int       next_band;
  DirectStripFunc  strip, strip_one;
} DirectJob;

/* The pixels x0..ow-1 of a row too narrow for one vector, one by one;
 * in is the channel 0 plane, rows at roff, columns reflected. */
static void
direct_scalar (const DirectJob *job,
               const float     *in,
               const size_t    *roff,
               const float     *wp,
               const float     *bias,
               float           *out,
               int              n_oc,
               int              x0,
               int              ow)
{
  const DirectShape *s = &job->shape;
  int                x, o, ic, ky, kx;

  for (x = x0; x < ow; x++)
    for (o = 0; o < n_oc; o++)
      {
        const float *w   = wp + o;
        float        acc = bias[o];

        for (ic = 0; ic < s->in_c; ic++)
          for (ky = 0; ky < s->k; ky++)
            for (kx = 0; kx < s->k; kx++, w += DIRECT_OB)
              acc += in[ic * s->in_plane + roff[ky] +
                        virtual_index (x + kx, s->in_w, job->up,
                                       job->pad)] * *w;
        out[o * s->out_plane + x] = acc;
      }
}

/* One strip of width pixels at output column x: read in place where
 * its columns lie inside the input, else from a copy of them, reflected,
 * in stage (the same values, so the same bits). */
static void
direct_strip_at (const DirectJob *job,
                 DirectStripFunc  strip,
                 int              width,
                 const size_t    *roff,
                 int              x,
                 const float     *wp,
                 const float     *bias,
                 float           *out,
                 int              n_oc,
                 float           *stage)
{
  const DirectShape *s  = &job->shape;
  const int          sw = width + s->k - 1;
  const float       *in = job->in->data;
  DirectShape        st;
  size_t             soff[ATELIER_NET_MAX_KERNEL];
  int                ic, ky, j;

  if (! job->up && x >= job->pad && x - job->pad + sw <= s->in_w)
    {
      strip (s, in + (x - job->pad), roff, wp, bias, out + x, n_oc);
      return;
    }
  for (ic = 0; ic < s->in_c; ic++)
    for (ky = 0; ky < s->k; ky++)
      {
        const float *src = in + ic * s->in_plane + roff[ky];
        float       *dst = stage + ((size_t) ic * s->k + ky) * sw;

        for (j = 0; j < sw; j++)
          dst[j] = src[virtual_index (x + j, s->in_w, job->up,
                                      job->pad)];
      }
  for (ky = 0; ky < s->k; ky++)
    soff[ky] = (size_t) ky * sw;
  st = *s;
  st.in_w     = sw;
  st.in_plane = (size_t) s->k * sw;
  strip (&st, stage, soff, wp, bias, out + x, n_oc);
}

static void
direct_band (const DirectJob *job,
             int              band,
             float           *stage)
{
  const int        ow  = job->out->w;
  const int        y0  = band * job->rows;
  const int        y1  = y0 + job->rows < job->out->h ?
                         y0 + job->rows : job->out->h;
  const int        wide = job->vl * job->xv;
  const size_t     wsize = (size_t) job->shape.in_c * job->shape.k *
                           job->shape.k * DIRECT_OB;
  size_t           roff[ATELIER_NET_MAX_KERNEL];
  int              y, blk, x, ky;

  for (y = y0; y < y1; y++)
    {
      /* the padded input's rows y..y+k-1, in the source */
      for (ky = 0; ky < job->shape.k; ky++)
        roff[ky] = (size_t) virtual_index (y + ky, job->in->h, job->up,
                                           job->pad) * job->in->w;
      for (blk = 0; blk < job->n_blocks; blk++)
        {
          const float *wp   = job->wpack + blk * wsize;
          const float *bias = job->bpack + blk * DIRECT_OB;
          float       *out  = job->out->data +
                              blk * DIRECT_OB * job->shape.out_plane +
                              (size_t) y * ow;
          int          n_oc = job->out_c - blk * DIRECT_OB;

          if (n_oc > DIRECT_OB)
            n_oc = DIRECT_OB;
          for (x = 0; x + wide <= ow; x += wide)
            direct_strip_at (job, job->strip, wide, roff, x, wp, bias, out,
                             n_oc, stage);
          for (; x + job->vl <= ow; x += job->vl)
            direct_strip_at (job, job->strip_one, job->vl, roff, x, wp,
                             bias, out, n_oc, stage);
          if (x < ow && ow >= job->vl)
            /* The last vector overlaps the one before: same bits. */
            direct_strip_at (job, job->strip_one, job->vl, roff,
                             ow - job->vl, wp, bias, out, n_oc, stage);
          else if (x < ow)
            direct_scalar (job, job->in->data, roff, wp, bias, out, n_oc, x,
                           ow);
        }
    }
}

static void
direct_task (int   task,
             void *data)
{
  DirectJob *job = data;
  int        band;

  while ((band = atomic_fetch_add (&job->next_band, 1)) < job->n_bands)
    direct_band (job, band, job->stage + task * job->stage_floats);
}

static bool
use_direct (const AtelierNetLayer *layer)
{
  return layer->stride == 1 && direct_isa () > 0 &&
         (layer->out_c <= DIRECT_MAX_OUT_C ||
          layer->in_c <= DIRECT_MAX_IN_C);
}

static AtelierStatus
conv_direct (AtelierContext        *ctx,
             int                    n_threads,
             const AtelierNetLayer *layer,
             int                    up,
             int                    pad,
             const AtelierTensor   *in,
             AtelierTensor         *out)
{
  const int     k      = layer->kernel;
  const size_t  kk     = (size_t) k * k;
  const size_t  wsize  = layer->in_c * kk * DIRECT_OB;
  DirectJob     job;
  float        *wpack  = NULL, *bpack = NULL;
  int           blk, o, ic, n_workers;
  size_t        j;
  AtelierStatus status = ATELIER_OK;

  memset (&job, 0, sizeof job);
  job.out_c    = layer->out_c;
  job.n_blocks = (layer->out_c + DIRECT_OB - 1) / DIRECT_OB;
  wpack = calloc (wsize * job.n_blocks, sizeof (float));
  bpack = calloc ((size_t) job.n_blocks * DIRECT_OB, sizeof (float));
  if (! wpack || ! bpack)
    {
      atelier_set_error (ctx, "out of memory for a convolution's weights");
      status = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  /* (oc, ic, ky, kx) -> (block, ic, ky, kx, oc in block), zero past
   * out_c: a strip reads its DIRECT_OB weights together. */
  for (blk = 0; blk < job.n_blocks; blk++)
    for (o = 0; o < DIRECT_OB; o++)
      {
        int oc = blk * DIRECT_OB + o;

        if (oc >= layer->out_c)
          continue;
        bpack[blk * DIRECT_OB + o] = layer->bias[oc];
        for (ic = 0; ic < layer->in_c; ic++)
          for (j = 0; j < kk; j++)
            wpack[blk * wsize + (ic * kk + j) * DIRECT_OB + o] =
              layer->weight[((size_t) oc * layer->in_c + ic) * kk + j];
      }

  job.shape.in_c      = layer->in_c;
  job.shape.k         = k;
  job.shape.in_w      = in->w;
  job.shape.in_plane  = plane_of (in);
  job.shape.out_plane = plane_of (out);
  job.in        = in;
  job.out       = out;
  job.wpack     = wpack;
  job.bpack     = bpack;
  if (direct_isa () == 512)
    {
      job.vl        = 16;
      job.xv        = DIRECT_XV_512;
      job.strip     = direct_strip_512;
      job.strip_one = direct_strip_512_one;
    }
  else
    {
      job.vl        = 8;
      job.xv        = DIRECT_XV_256;
      job.strip     = direct_strip_256;
      job.strip_one = direct_strip_256_one;
    }
  job.up      = up;
  job.pad     = pad;
  job.rows    = (out->h + MIN_BANDS - 1) / MIN_BANDS;
  job.n_bands = (out->h + job.rows - 1) / job.rows;
  atomic_init (&job.next_band, 0);
  n_workers = atelier_pool_workers (ctx, n_threads, job.n_bands);
  /* a strip's columns, every channel and kernel row, for the strips
   * that reach into the padding (in_c k (96 + k - 1): 120 KB for the
   * 32-channel 9x9) */
  job.stage_floats = (size_t) layer->in_c * k *
                     (job.vl * job.xv + k - 1);
  job.stage = malloc (job.stage_floats * n_workers * sizeof (float));
  if (! job.stage)
    {
      atelier_set_error (ctx, "out of memory for a convolution's scratch");
      status = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  atelier_parallel_for (ctx, n_workers, n_workers, direct_task, &job);

out:
  free (wpack);
  free (bpack);
  free (job.stage);
  return status;
}

/* ---- the entry points ---- */

/* The checks every layer's run shares: in and out there, their shapes
 * the layer's for an input seen upsampled (up 1) and padded by pad (conv
 * only). */
static AtelierStatus
check_layer (AtelierContext        *ctx,
             const AtelierNetLayer *layer,
             int                    up,
             int                    pad,
             const AtelierTensor   *in,
             const AtelierTensor   *out)
{
  int out_h, out_w, out_c, vh, vw;

  if (! layer || ! in || ! out || ! in->data || ! out->data)
    {
      atelier_set_error (ctx, "a layer, its input or output is missing");
      return ATELIER_ERR_INVALID_PARAM;
    }
  out_c = layer->op == ATELIER_NET_CONV ? layer->out_c : layer->in_c;
  if (in->c != layer->in_c || in->h < 1 || in->w < 1)
    {
      atelier_set_error (ctx, "layer takes %d channels, the tensor is "
                         "%d x %d x %d", layer->in_c, in->c, in->h, in->w);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (layer->op == ATELIER_NET_CONV &&
      (layer->kernel < 1 || layer->stride < 1 || layer->stride > 2 ||
       ! layer->weight || ! layer->bias))
    {
      atelier_set_error (ctx, "convolution with kernel %d, stride %d%s",
                         layer->kernel, layer->stride,
                         layer->weight && layer->bias ? "" : ", no weights");
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (layer->op == ATELIER_NET_PAD_REFLECT)
    pad = layer->pad;
  /* the side the padding reflects in: under 2^30 for the shift */
  vh = in->h < (1 << 29) ? in->h << up : in->h;
  vw = in->w < (1 << 29) ? in->w << up : in->w;
  if (pad < 0 || pad > ATELIER_NET_MAX_PAD || (pad > 0 && (pad >= vh ||
                                                          pad >= vw)))
    {
      atelier_set_error (ctx, "reflection padding of %d needs a tensor "
                         "larger than it on each side, not %d x %d",
                         pad, vw, vh);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (layer->op == ATELIER_NET_CONV)
    atelier_net_layer_size (layer, vh + 2 * pad, vw + 2 * pad,
                            &out_h, &out_w);
  else
    atelier_net_layer_size (layer, in->h, in->w, &out_h, &out_w);
  if (out_h < 1 || out_w < 1)
    {
      atelier_set_error (ctx, "a %d x %d tensor is smaller than the "
                         "%d x %d kernel", vw + 2 * pad, vh + 2 * pad,
                         layer->kernel, layer->kernel);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (out->c != out_c || out->h != out_h || out->w != out_w)
    {
      atelier_set_error (ctx, "layer output is %d x %d x %d, the tensor "
                         "%d x %d x %d", out_c, out_h, out_w,
                         out->c, out->h, out->w);
      return ATELIER_ERR_INVALID_PARAM;
    }
  return ATELIER_OK;
}

static AtelierStatus
conv_run (AtelierContext        *ctx,
          int                    n_threads,
          const AtelierNetLayer *conv,
          int                    up,
          int                    pad,
          const AtelierTensor   *in,
          AtelierTensor         *out)
{
  AtelierStatus status;

  if (conv && conv->op != ATELIER_NET_CONV)
    {
      atelier_set_error (ctx, "layer op %d is not a convolution",
                         (int) conv->op);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if ((status = check_layer (ctx, conv, up, pad, in, out)) != ATELIER_OK)
    return status;
  if (use_direct (conv))
    return conv_direct (ctx, n_threads, conv, up, pad, in, out);
  if (use_winograd (conv))
    return conv_winograd (ctx, n_threads, conv, up, pad, in, out);
  return conv_gemm (ctx, n_threads, conv, up, pad, in, out);
}

AtelierStatus
atelier_net_conv (AtelierContext        *ctx,
                  int                    n_threads,
                  const AtelierNetLayer *conv,
                  bool                   upsample,
                  int                    pad,
                  const AtelierTensor   *in,
                  AtelierTensor         *out)
{
  return conv_run (ctx, n_threads, conv, upsample ? 1 : 0, pad, in, out);
}

AtelierStatus
atelier_net_layer_run (AtelierContext        *ctx,
                       int                    n_threads,
                       const AtelierNetLayer *layer,
                       const AtelierTensor   *in,
                       AtelierTensor         *out)
{
  AtelierStatus status;

  if ((status = check_layer (ctx, layer, 0, 0, in, out)) != ATELIER_OK)
    return status;
  switch (layer->op)
    {
    case ATELIER_NET_PAD_REFLECT:
    case ATELIER_NET_UPSAMPLE:
      {
        CopyJob job = { in, out, layer->pad };

        atelier_parallel_for (ctx, n_threads, in->c,
                              layer->op == ATELIER_NET_UPSAMPLE ?
                              upsample_task : pad_task, &job);
      }
      break;
    case ATELIER_NET_RELU:
      {
        ReluJob job = { in->data, out->data, in->c * plane_of (in) };

        atelier_parallel_for (ctx, n_threads,
                              (int) ((job.n + RELU_CHUNK - 1) / RELU_CHUNK),
                              relu_task, &job);
      }
      break;
    case ATELIER_NET_CONV:
      status = atelier_net_conv (ctx, n_threads, layer, false, 0, in, out);
      break;
    default:
      atelier_set_error (ctx, "layer op %d does not run on its own",
                         (int) layer->op);
      status = ATELIER_ERR_INVALID_PARAM;
      break;
    }
  return status;
}

void
atelier_net_channel_sums (const AtelierTensor *t,
                          double              *sum,
                          double              *sum2)
{
  int c, y, x;

  for (c = 0; c < t->c; c++)
    {
      const float *p = t->data + c * plane_of (t);
      double       s = 0.0, s2 = 0.0;

      /* Row by row, each row summed on its own: the order is fixed by
       * the tensor's shape, and tiles that cover whole rows add up. */
      for (y = 0; y < t->h; y++, p += t->w)
        {
          double rs = 0.0, rs2 = 0.0;

#pragma omp simd reduction(+:rs, rs2)
          for (x = 0; x < t->w; x++)
            {
              double v = p[x];

              rs  += v;
              rs2 += v * v;
            }
          s  += rs;
          s2 += rs2;
        }
      sum[c]  += s;
      sum2[c] += s2;
    }
}

void
atelier_net_inorm_apply (AtelierTensor *t,
                         const float   *mean,
                         const float   *var,
                         const float   *gamma,
                         const float   *beta)
{
  const size_t n = plane_of (t);
  int          c;
  size_t       i;

  for (c = 0; c < t->c; c++)
    {
      /* x a + b with a = gamma / sqrt (var + eps), b = beta - mean a, as
       * PyTorch's CPU kernel folds it: one multiply-add a value. */
      double a  = gamma[c] / sqrt ((double) var[c] + 1e-5);
      double b  = beta[c] - mean[c] * a;
      float  fa = (float) a, fb = (float) b;
      float *p  = t->data + c * n;

      for (i = 0; i < n; i++)
        p[i] = p[i] * fa + fb;
    }
}

/* ---- the same, across the pool ----
 *
 * A channel a task, each computed exactly as the serial functions above
 * do it: the same bits for any thread count. */

typedef struct
{
  AtelierTensor       *t;
  const AtelierTensor *other;
  double              *sum, *sum2;
  const float         *mean, *var, *gamma, *beta;
  bool                 relu;
} ChannelJob;

/* One channel of t as a tensor of its own. */
static AtelierTensor
channel_of (const AtelierTensor *t,
            int                  c)
{
  AtelierTensor one = { 1, t->h, t->w, t->data + c * plane_of (t) };

  return one;
}

static void
sums_task (int   c,
           void *data)
{
  const ChannelJob *job = data;
  AtelierTensor     one = channel_of (job->t, c);

  /* straight into the caller's sums: each task adds to its own channel,
   * so there is nothing to allocate, and nothing to fail */
  atelier_net_channel_sums (&one, &job->sum[c], &job->sum2[c]);
}

void
atelier_net_channel_sums_run (AtelierContext      *ctx,
                              int                  n_threads,
                              const AtelierTensor *t,
                              double              *sum,
                              double              *sum2)
{
  ChannelJob job = { (AtelierTensor *) t, NULL, sum, sum2, NULL, NULL, NULL,
                     NULL, false };

  atelier_parallel_for (ctx, n_threads, t->c, sums_task, &job);
}

static void
inorm_task (int   c,
            void *data)
{
  const ChannelJob *job = data;
  AtelierTensor     one = channel_of (job->t, c);

  atelier_net_inorm_apply (&one, job->mean + c, job->var + c,
                           job->gamma + c, job->beta + c);
  if (job->relu)
    relu_copy (one.data, one.data, plane_of (&one));
}

void
atelier_net_inorm_run (AtelierContext *ctx,
                       int             n_threads,
                       AtelierTensor  *t,
                       const float    *mean,
                       const float    *var,
                       const float    *gamma,
                       const float    *beta,
                       bool            relu)
{
  ChannelJob job = { t, NULL, NULL, NULL, mean, var, gamma, beta, relu };

  atelier_parallel_for (ctx, n_threads, t->c, inorm_task, &job);
}

static void
add_task (int   c,
          void *data)
{
  const ChannelJob *job = data;
  float            *p = job->t->data + c * plane_of (job->t);
  const float      *q = job->other->data + c * plane_of (job->t);
  size_t            i, n = plane_of (job->t);

  for (i = 0; i < n; i++)
    p[i] += q[i];
}

void
atelier_net_add_run (AtelierContext      *ctx,
                     int                  n_threads,
                     AtelierTensor       *t,
                     const AtelierTensor *other)
{
  ChannelJob job = { t, other, NULL, NULL, NULL, NULL, NULL, NULL, false };

  atelier_parallel_for (ctx, n_threads, t->c, add_task, &job);
}

static void
relu_channel_task (int   c,
                   void *data)
{
  const ChannelJob *job = data;
  AtelierTensor     one = channel_of (job->t, c);

  relu_copy (one.data, one.data, plane_of (&one));
}

void
atelier_net_relu_run (AtelierContext *ctx,
                      int             n_threads,
                      AtelierTensor  *t)
{
  ChannelJob job = { t, NULL, NULL, NULL, NULL, NULL, NULL, NULL, false };

  atelier_parallel_for (ctx, n_threads, t->c, relu_channel_task, &job);
}
