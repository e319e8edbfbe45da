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
 * Memory: the im2col scratch is one band (at most BAND_FLOATS floats) per
 * worker; no full-size copy of any tensor. */
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
 *                     3, so an RGB output wastes no lane. */
#define BAND_FLOATS       (1 << 20)
#define MIN_BANDS         8
#define DIRECT_MAX_OUT_C  8
#define DIRECT_MAX_IN_C   4
#define DIRECT_OB         3
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

static void
relu_task (int chunk,
           void *data)
{
  const ReluJob *job = data;
  size_t         i   = (size_t) chunk * RELU_CHUNK;
  size_t         end = i + RELU_CHUNK < job->n ? i + RELU_CHUNK : job->n;

  /* A comparison, not fmaxf: it vectorises to one max a vector (NaN
   * becomes 0, where PyTorch would keep it). */
  for (; i < end; i++)
    job->out[i] = job->in[i] > 0.0f ? job->in[i] : 0.0f;
}

/* ---- convolution: im2col + sgemm ---- */

typedef struct
{
  const AtelierNetLayer *layer;
  const AtelierTensor   *in;
  AtelierTensor         *out;
  int                    rows;     /* output rows a band           */
  int                    n_bands;
  float                 *scratch;  /* band_floats a worker, or NULL */
  size_t                 band_floats;
  atomic_int             next_band;
} GemmJob;

/* Rows of cols for the output rows y0..y1-1: row (c, ky, kx) holds
 * in[c][y s + ky][x s + kx] for every output pixel of the band. */
static void
im2col (const AtelierTensor *in,
        int                  k,
        int                  s,
        int                  y0,
        int                  y1,
        int                  ow,
        float               *cols)
{
  int c, ky, kx, y, x;

  for (c = 0; c < in->c; c++)
    for (ky = 0; ky < k; ky++)
      for (kx = 0; kx < k; kx++)
        for (y = y0; y < y1; y++, cols += ow)
          {
            const float *src = in->data + c * plane_of (in) +
                               (size_t) (y * s + ky) * in->w + kx;

            if (s == 1)
              memcpy (cols, src, (size_t) ow * sizeof (float));
            else
              for (x = 0; x < ow; x++)
                cols[x] = src[x * s];
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
      im2col (job->in, k, l->stride, y0, y1, ow, cols);
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

/* Output rows a band: within BAND_FLOATS of scratch, and at least
 * MIN_BANDS bands where there are rows for them. */
static int
band_rows (int out_h,
           size_t floats_a_row)
{
  size_t rows = BAND_FLOATS / (floats_a_row > 0 ? floats_a_row : 1);
  int    even = (out_h + MIN_BANDS - 1) / MIN_BANDS;

  if (rows > (size_t) even)
    rows = (size_t) even;
  return rows < 1 ? 1 : (int) rows;
}

static int
pool_workers (AtelierContext *ctx,
              int             n_threads)
{
  int n = atelier_context_threads (ctx);

  return n_threads > 0 && n_threads < n ? n_threads : n;
}

static AtelierStatus
conv_gemm (AtelierContext        *ctx,
           int                    n_threads,
           const AtelierNetLayer *layer,
           const AtelierTensor   *in,
           AtelierTensor         *out)
{
  const int     k       = layer->kernel;
  const size_t  depth   = (size_t) layer->in_c * k * k;
  const bool    direct1 = k == 1 && layer->stride == 1;
  GemmJob       job;
  int           n_workers;
  AtelierStatus status = ATELIER_OK;

  memset (&job, 0, sizeof job);
  job.layer   = layer;
  job.in      = in;
  job.out     = out;
  job.rows    = band_rows (out->h, depth * out->w);
  job.n_bands = (out->h + job.rows - 1) / job.rows;
  atomic_init (&job.next_band, 0);

  n_workers = pool_workers (ctx, n_threads);
  if (n_workers > job.n_bands)
    n_workers = job.n_bands;
  if (! direct1)
    {
      job.band_floats = depth * job.rows * out->w;
      job.scratch = malloc (job.band_floats * n_workers * sizeof (float));
      if (! job.scratch)
        {
          atelier_set_error (ctx, "out of memory for a %d x %d x %d "
                             "convolution's scratch", layer->out_c,
                             out->h, out->w);
          status = ATELIER_ERR_NO_MEMORY;
          goto out;
        }
    }
  atelier_parallel_for (ctx, n_workers, n_workers, gemm_task, &job);

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
                                 const float       *wp,
                                 const float       *bias,
                                 float             *out,
                                 int                n_oc);

/* One strip of XV vectors of VL pixels of one output row, DIRECT_OB
 * output channels, the sums in registers throughout: in points at the
 * input pixel under the strip's first output (channel 0, ky 0, kx 0), wp
 * at the packed weights (in_c x k x k x DIRECT_OB), out at the first
 * output of channel 0; n_oc of the DIRECT_OB channels are stored.  Every
 * output pixel gets the same sequence of fused multiply-adds whichever
 * strip or lane computes it, so overlapping strips write equal bits.
 * A macro because each instruction set needs its own vector type. */
#define DIRECT_STRIP(NAME, TARGET, VEC, VL, XV)                            \
static __attribute__ ((target (TARGET))) void                             \
NAME (const DirectShape *s,                                               \
      const float       *in,                                              \
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
        const float *row = in + ic * s->in_plane + (size_t) ky * s->in_w; \
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
  DirectStripFunc  strip, strip_one;
} DirectJob;

/* The pixels x0..ow-1 of a row too narrow for one vector, one by one. */
static void
direct_scalar (const DirectJob *job,
               const float     *in,
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
              acc += in[ic * s->in_plane + (size_t) ky * s->in_w + x + kx] *
                     *w;
        out[o * s->out_plane + x] = acc;
      }
}

static void
direct_task (int   band,
             void *data)
{
  const DirectJob *job = data;
  const int        ow  = job->out->w;
  const int        y0  = band * job->rows;
  const int        y1  = y0 + job->rows < job->out->h ?
                         y0 + job->rows : job->out->h;
  const int        wide = job->vl * job->xv;
  const size_t     wsize = (size_t) job->shape.in_c * job->shape.k *
                           job->shape.k * DIRECT_OB;
  int              y, blk, x;

  for (y = y0; y < y1; y++)
    for (blk = 0; blk < job->n_blocks; blk++)
      {
        const float *in   = job->in->data + (size_t) y * job->in->w;
        const float *wp   = job->wpack + blk * wsize;
        const float *bias = job->bpack + blk * DIRECT_OB;
        float       *out  = job->out->data +
                            blk * DIRECT_OB * job->shape.out_plane +
                            (size_t) y * ow;
        int          n_oc = job->out_c - blk * DIRECT_OB;

        if (n_oc > DIRECT_OB)
          n_oc = DIRECT_OB;
        for (x = 0; x + wide <= ow; x += wide)
          job->strip (&job->shape, in + x, wp, bias, out + x, n_oc);
        for (; x + job->vl <= ow; x += job->vl)
          job->strip_one (&job->shape, in + x, wp, bias, out + x, n_oc);
        if (x < ow && ow >= job->vl)
          {
            /* The last vector overlaps the one before: same bits. */
            x = ow - job->vl;
            job->strip_one (&job->shape, in + x, wp, bias, out + x, n_oc);
          }
        else if (x < ow)
          direct_scalar (job, in, wp, bias, out, n_oc, x, ow);
      }
}

/* The widest vector unit the direct path has code for: 512, 256 or 0
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
             const AtelierTensor   *in,
             AtelierTensor         *out)
{
  const int     k      = layer->kernel;
  const size_t  kk     = (size_t) k * k;
  const size_t  wsize  = layer->in_c * kk * DIRECT_OB;
  DirectJob     job;
  float        *wpack  = NULL, *bpack = NULL;
  int           blk, o, ic;
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
  job.rows    = (out->h + MIN_BANDS - 1) / MIN_BANDS;
  job.n_bands = (out->h + job.rows - 1) / job.rows;
  atelier_parallel_for (ctx, n_threads, job.n_bands, direct_task, &job);

out:
  free (wpack);
  free (bpack);
  return status;
}

/* ---- the entry points ---- */

AtelierStatus
atelier_net_layer_run (AtelierContext        *ctx,
                       int                    n_threads,
                       const AtelierNetLayer *layer,
                       const AtelierTensor   *in,
                       AtelierTensor         *out)
{
  int           out_h, out_w, out_c;
  AtelierStatus status = ATELIER_OK;

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
  atelier_net_layer_size (layer, in->h, in->w, &out_h, &out_w);
  if (layer->op == ATELIER_NET_PAD_REFLECT &&
      (layer->pad < 0 || layer->pad >= in->h || layer->pad >= in->w))
    {
      atelier_set_error (ctx, "reflection padding of %d needs a tensor "
                         "larger than it on each side, not %d x %d",
                         layer->pad, in->w, in->h);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (out_h < 1 || out_w < 1)
    {
      atelier_set_error (ctx, "a %d x %d tensor is smaller than the "
                         "%d x %d kernel", in->w, in->h, layer->kernel,
                         layer->kernel);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (out->c != out_c || out->h != out_h || out->w != out_w)
    {
      atelier_set_error (ctx, "layer output is %d x %d x %d, the tensor "
                         "%d x %d x %d", out_c, out_h, out_w,
                         out->c, out->h, out->w);
      return ATELIER_ERR_INVALID_PARAM;
    }

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
      if (use_direct (layer))
        status = conv_direct (ctx, n_threads, layer, in, out);
      else
        status = conv_gemm (ctx, n_threads, layer, in, out);
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
