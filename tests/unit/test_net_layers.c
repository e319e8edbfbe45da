/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: the style network's layer kernels (net_layers.c) against
 * naive loops written here: convolution (every path: direct, Winograd,
 * 1x1 sgemm, im2col + sgemm, one row a band), reflection padding,
 * upsampling, ReLU, instance norm; the convolution reading padding and
 * upsampling implicitly against the layers one by one; the per-channel
 * layers across the pool; 1, 2 and 4 threads bit for bit; bad input. */
#include "atelier.h"
#include "internal.h"
#include "net.h"

#include "test_util.h"

#include <math.h>
#include <string.h>

static AtelierTensor
tensor_new (int c,
            int h,
            int w)
{
  AtelierTensor t;

  t.c    = c;
  t.h    = h;
  t.w    = w;
  t.data = g_new (float, (gsize) MAX (c * h * w, 1));
  return t;
}

static void
tensor_noise (AtelierTensor *t,
              uint32_t       seed,
              float          lo,
              float          hi)
{
  gsize i, n = (gsize) t->c * t->h * t->w;

  for (i = 0; i < n; i++)
    t->data[i] = lo + (hi - lo) * test_noise (seed, (int) i, 0);
}

static void
tensor_fill (AtelierTensor *t,
             float          value)
{
  gsize i, n = (gsize) t->c * t->h * t->w;

  for (i = 0; i < n; i++)
    t->data[i] = value;
}

static float
tensor_at (const AtelierTensor *t,
           int                  c,
           int                  y,
           int                  x)
{
  return t->data[((gsize) c * t->h + y) * t->w + x];
}

static gboolean
tensor_equal (const AtelierTensor *a,
              const AtelierTensor *b)
{
  return a->c == b->c && a->h == b->h && a->w == b->w &&
         memcmp (a->data, b->data,
                 (gsize) a->c * a->h * a->w * sizeof (float)) == 0;
}

static gboolean
tensor_is_filled (const AtelierTensor *t,
                  float                value)
{
  gsize i, n = (gsize) t->c * t->h * t->w;

  for (i = 0; i < n; i++)
    if (memcmp (&t->data[i], &value, sizeof value) != 0)
      return FALSE;
  return TRUE;
}

/* ---- convolution ---- */

typedef struct
{
  const char *name;
  int         in_c, out_c, kernel, stride, h, w;
} ConvCase;

static const ConvCase conv_cases[] = {
  /* Johnson's first and last layers: in_c 3 and out_c 3 */
  { "9x9-3-32",        3,  32, 9, 1, 21, 26 },
  { "9x9-32-3",       32,   3, 9, 1, 19, 37 },
  /* the direct path: strips of 96 and 16, an overlapping last vector,
   * rows narrower than a vector (scalar), out_c not a multiple of 3 */
  { "3x3-8-5-wide",    8,   5, 3, 1, 17, 213 },
  { "5x5-6-7",         6,   7, 5, 1, 12, 30 },
  { "9x9-3-8-narrow",  3,   8, 9, 1, 14, 11 },
  { "3x3-2-1-one-col", 2,   1, 3, 1, 7,  3 },
  /* Winograd F(4x4, 3x3): partial tiles, one tile across, two tile
   * rows a band */
  { "3x3-64-128",     64, 128, 3, 1, 11, 13 },
  { "3x3-128-128",   128, 128, 3, 1, 10, 9 },
  { "3x3-16-24",      16,  24, 3, 1, 33, 31 },
  { "3x3-16-16-tiny", 16,  16, 3, 1, 5, 4 },
  { "3x3-16-16-tall", 16,  16, 3, 1, 66, 10 },
  /* im2col + sgemm */
  { "3x3-12-20",      12,  20, 3, 1, 17, 23 },
  { "3x3-s2-32-64",   32,  64, 3, 2, 15, 18 },
  { "3x3-s2-odd",     12,  20, 3, 2, 16, 19 },
  { "4x4-even",       10,  12, 4, 1, 9, 14 },
  { "9x9-s2-3-16",     3,  16, 9, 2, 23, 20 },
  /* 1x1: plain sgemm; with stride 2 through im2col */
  { "1x1-5-17",        5,  17, 1, 1, 6, 9 },
  { "1x1-s2-9-12",     9,  12, 1, 2, 7, 10 },
  { "1x1-1-1",         1,   1, 1, 1, 1, 1 },
  /* a band too big for the scratch: one output row a band */
  { "3x3-128-12-rows", 128, 12, 3, 1, 5, 1002 },
};

/* The convolution by its definition, in double; *mag gets the sum of
 * the magnitudes of its terms, the scale of float rounding. */
static double
conv_ref (const AtelierNetLayer *l,
          const AtelierTensor   *in,
          int                    oc,
          int                    y,
          int                    x,
          double                *mag)
{
  const int k = l->kernel;
  double    acc = l->bias[oc];
  int       ic, ky, kx;

  *mag = fabs (acc);
  for (ic = 0; ic < l->in_c; ic++)
    for (ky = 0; ky < k; ky++)
      for (kx = 0; kx < k; kx++)
        {
          double w = l->weight[((oc * l->in_c + ic) * k + ky) * k + kx];
          double v = tensor_at (in, ic, y * l->stride + ky,
                                x * l->stride + kx);

          acc  += w * v;
          *mag += fabs (w * v);
        }
  return acc;
}

static void
test_conv (gconstpointer data)
{
  const ConvCase *cc  = data;
  AtelierContext *ctx = atelier_context_new (4);
  AtelierNetLayer l   = { 0 };
  AtelierTensor   in  = tensor_new (cc->in_c, cc->h, cc->w);
  AtelierTensor   out[3];
  float          *weight, *bias;
  int             oh, ow, t, c, y, x, nw;
  double          worst = 0.0;

  nw = cc->out_c * cc->in_c * cc->kernel * cc->kernel;
  weight = g_new (float, nw);
  bias   = g_new (float, cc->out_c);
  for (c = 0; c < nw; c++)
    weight[c] = test_noise (7, c, 0) - 0.5f;
  for (c = 0; c < cc->out_c; c++)
    bias[c] = 2.0f * test_noise (8, c, 0) - 1.0f;
  /* Unscaled pixels as the net sees them (0..255). */
  tensor_noise (&in, 9, 0.0f, 255.0f);
  l.op     = ATELIER_NET_CONV;
  l.in_c   = cc->in_c;
  l.out_c  = cc->out_c;
  l.kernel = cc->kernel;
  l.stride = cc->stride;
  l.weight = weight;
  l.bias   = bias;
  atelier_net_layer_size (&l, cc->h, cc->w, &oh, &ow);
  g_assert_cmpint (oh, ==, (cc->h - cc->kernel) / cc->stride + 1);
  g_assert_cmpint (ow, ==, (cc->w - cc->kernel) / cc->stride + 1);

  for (t = 0; t < 3; t++)
    {
      out[t] = tensor_new (cc->out_c, oh, ow);
      tensor_fill (&out[t], TEST_SENTINEL);
      g_assert_cmpint (atelier_net_layer_run (ctx, 1 << t, &l, &in, &out[t]),
                       ==, ATELIER_OK);
    }
  g_assert_true (tensor_equal (&out[0], &out[1]));
  g_assert_true (tensor_equal (&out[0], &out[2]));

  for (c = 0; c < cc->out_c; c++)
    for (y = 0; y < oh; y++)
      for (x = 0; x < ow; x++)
        {
          double mag, ref = conv_ref (&l, &in, c, y, x, &mag);
          double err = fabs (tensor_at (&out[0], c, y, x) - ref) / mag;

          worst = MAX (worst, err);
        }
  g_test_message ("worst error %.2g of the terms' magnitude", worst);
  g_assert_cmpfloat (worst, <, 1e-4);

  for (t = 0; t < 3; t++)
    g_free (out[t].data);
  g_free (in.data);
  g_free (weight);
  g_free (bias);
  atelier_context_free (ctx);
}

/* The padding (and upsampling) read implicitly by the convolution, on
 * each of the cases above: the same bits as the layers run one by one
 * into materialised tensors, for 1, 2 and 4 threads.  The source is cut
 * so that, upsampled and padded, it has the case's size: every path
 * meets the padding at both borders, in every band. */
static void
test_conv_fused (gconstpointer data)
{
  const ConvCase *cc  = data;
  AtelierContext *ctx = atelier_context_new (4);
  AtelierNetLayer l = { 0 }, up_l = { 0 }, pad_l = { 0 };
  float          *weight, *bias;
  int             nw, c, up, pads[3], n_pads, pi, t, oh, ow, tried = 0;

  nw = cc->out_c * cc->in_c * cc->kernel * cc->kernel;
  weight = g_new (float, nw);
  bias   = g_new (float, cc->out_c);
  for (c = 0; c < nw; c++)
    weight[c] = test_noise (17, c, 0) - 0.5f;
  for (c = 0; c < cc->out_c; c++)
    bias[c] = 2.0f * test_noise (18, c, 0) - 1.0f;
  l.op     = ATELIER_NET_CONV;
  l.in_c   = cc->in_c;
  l.out_c  = cc->out_c;
  l.kernel = cc->kernel;
  l.stride = cc->stride;
  l.weight = weight;
  l.bias   = bias;
  up_l.op   = ATELIER_NET_UPSAMPLE;
  up_l.in_c = up_l.out_c = cc->in_c;
  pad_l.op   = ATELIER_NET_PAD_REFLECT;
  pad_l.in_c = pad_l.out_c = cc->in_c;
  /* none, one, and the net's own pad (k / 2) */
  n_pads = 0;
  pads[n_pads++] = 0;
  pads[n_pads++] = 1;
  if (cc->kernel / 2 > 1)
    pads[n_pads++] = cc->kernel / 2;

  for (up = 0; up <= 1; up++)
    for (pi = 0; pi < n_pads; pi++)
      {
        const int     p  = pads[pi];
        const int     sh = (cc->h - 2 * p) >> up, sw = (cc->w - 2 * p) >> up;
        AtelierTensor src, big, padded, ref, out;

        if (sh < 1 || sw < 1 || (sh << up) <= p || (sw << up) <= p ||
            (sh << up) + 2 * p < cc->kernel || (sw << up) + 2 * p < cc->kernel)
          continue;
        src = tensor_new (cc->in_c, sh, sw);
        tensor_noise (&src, 19 + p, 0.0f, 255.0f);
        big = up ? tensor_new (cc->in_c, 2 * sh, 2 * sw) : src;
        if (up)
          g_assert_cmpint (atelier_net_layer_run (ctx, 1, &up_l, &src, &big),
                           ==, ATELIER_OK);
        pad_l.pad = p;
        padded = tensor_new (cc->in_c, big.h + 2 * p, big.w + 2 * p);
        g_assert_cmpint (atelier_net_layer_run (ctx, 1, &pad_l, &big,
                                                &padded), ==, ATELIER_OK);
        atelier_net_layer_size (&l, padded.h, padded.w, &oh, &ow);
        ref = tensor_new (cc->out_c, oh, ow);
        out = tensor_new (cc->out_c, oh, ow);
        g_assert_cmpint (atelier_net_layer_run (ctx, 1, &l, &padded, &ref),
                         ==, ATELIER_OK);
        for (t = 0; t < 3; t++)
          {
            tensor_fill (&out, TEST_SENTINEL);
            g_assert_cmpint (atelier_net_conv (ctx, 1 << t, &l, up, p,
                                               &src, &out), ==, ATELIER_OK);
            if (! tensor_equal (&ref, &out))
              g_error ("up %d pad %d, %d threads: not the same bits", up, p,
                       1 << t);
          }
        tried++;
        if (up)
          g_free (big.data);
        g_free (src.data);
        g_free (padded.data);
        g_free (ref.data);
        g_free (out.data);
      }
  g_test_message ("%d padded or upsampled variants", tried);
  g_assert_cmpint (tried, >, 0);
  g_free (weight);
  g_free (bias);
  atelier_context_free (ctx);
}

/* ---- reflection padding ---- */

typedef struct
{
  const char *name;
  int         c, h, w, pad;
} PadCase;

static const PadCase pad_cases[] = {
  { "4-in-9x7", 2, 9, 7, 4 },
  { "1-in-2x2", 3, 2, 2, 1 },
  { "2-in-3x5", 1, 3, 5, 2 },
  { "0-in-1x1", 1, 1, 1, 0 },
  { "1-in-6x40", 5, 6, 40, 1 },
};

/* ReflectionPad2d by its definition: the index walks back and forth over
 * 0..n-1, the end samples not repeated (period 2 n - 2). */
static int
reflect_ref (int i,
             int n)
{
  int period = 2 * n - 2;

  if (n == 1)
    return 0;
  i = ((i % period) + period) % period;
  return i < n ? i : period - i;
}

static void
test_pad (gconstpointer data)
{
  const PadCase  *pc  = data;
  AtelierContext *ctx = atelier_context_new (2);
  AtelierNetLayer l   = { 0 };
  AtelierTensor   in  = tensor_new (pc->c, pc->h, pc->w);
  AtelierTensor   out, out1;
  int             oh, ow, c, y, x;

  tensor_noise (&in, 3, -1.0f, 1.0f);
  l.op   = ATELIER_NET_PAD_REFLECT;
  l.in_c = l.out_c = pc->c;
  l.pad  = pc->pad;
  atelier_net_layer_size (&l, pc->h, pc->w, &oh, &ow);
  g_assert_cmpint (oh, ==, pc->h + 2 * pc->pad);
  g_assert_cmpint (ow, ==, pc->w + 2 * pc->pad);
  out  = tensor_new (pc->c, oh, ow);
  out1 = tensor_new (pc->c, oh, ow);
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &l, &in, &out), ==,
                   ATELIER_OK);
  g_assert_cmpint (atelier_net_layer_run (ctx, 1, &l, &in, &out1), ==,
                   ATELIER_OK);
  g_assert_true (tensor_equal (&out, &out1));
  for (c = 0; c < pc->c; c++)
    for (y = 0; y < oh; y++)
      for (x = 0; x < ow; x++)
        g_assert_cmpfloat (tensor_at (&out, c, y, x), ==,
                           tensor_at (&in, c,
                                      reflect_ref (y - pc->pad, pc->h),
                                      reflect_ref (x - pc->pad, pc->w)));
  g_free (in.data);
  g_free (out.data);
  g_free (out1.data);
  atelier_context_free (ctx);
}

/* The corners of a 3x3 padded by 2, spelled out (PyTorch's output for
 * [[1,2,3],[4,5,6],[7,8,9]]). */
static void
test_pad_corners (void)
{
  static const float expect[7][7] = {
    { 9, 8, 7, 8, 9, 8, 7 },
    { 6, 5, 4, 5, 6, 5, 4 },
    { 3, 2, 1, 2, 3, 2, 1 },
    { 6, 5, 4, 5, 6, 5, 4 },
    { 9, 8, 7, 8, 9, 8, 7 },
    { 6, 5, 4, 5, 6, 5, 4 },
    { 3, 2, 1, 2, 3, 2, 1 },
  };
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNetLayer l   = { 0 };
  AtelierTensor   in  = tensor_new (1, 3, 3);
  AtelierTensor   out = tensor_new (1, 7, 7);
  int             i;

  for (i = 0; i < 9; i++)
    in.data[i] = i + 1;
  l.op   = ATELIER_NET_PAD_REFLECT;
  l.in_c = l.out_c = 1;
  l.pad  = 2;
  g_assert_cmpint (atelier_net_layer_run (ctx, 1, &l, &in, &out), ==,
                   ATELIER_OK);
  g_assert_cmpmem (out.data, 49 * sizeof (float), expect, sizeof expect);
  g_free (in.data);
  g_free (out.data);
  atelier_context_free (ctx);
}

/* ---- upsampling, ReLU ---- */

static void
test_upsample (void)
{
  AtelierContext *ctx = atelier_context_new (4);
  AtelierNetLayer l   = { 0 };
  AtelierTensor   in  = tensor_new (5, 7, 3);
  AtelierTensor   out = tensor_new (5, 14, 6);
  int             oh, ow, c, y, x;

  tensor_noise (&in, 4, -3.0f, 3.0f);
  l.op   = ATELIER_NET_UPSAMPLE;
  l.in_c = l.out_c = 5;
  atelier_net_layer_size (&l, 7, 3, &oh, &ow);
  g_assert_cmpint (oh, ==, 14);
  g_assert_cmpint (ow, ==, 6);
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &l, &in, &out), ==,
                   ATELIER_OK);
  for (c = 0; c < 5; c++)
    for (y = 0; y < 14; y++)
      for (x = 0; x < 6; x++)
        g_assert_cmpfloat (tensor_at (&out, c, y, x), ==,
                           tensor_at (&in, c, y / 2, x / 2));
  g_free (in.data);
  g_free (out.data);
  atelier_context_free (ctx);
}

static void
test_relu (void)
{
  AtelierContext *ctx = atelier_context_new (4);
  AtelierNetLayer l   = { 0 };
  /* more than one chunk of work */
  AtelierTensor   in  = tensor_new (3, 200, 150);
  AtelierTensor   out = tensor_new (3, 200, 150);
  gsize           i, n = 3 * 200 * 150;

  tensor_noise (&in, 5, -1.0f, 1.0f);
  l.op   = ATELIER_NET_RELU;
  l.in_c = l.out_c = 3;
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &l, &in, &out), ==,
                   ATELIER_OK);
  for (i = 0; i < n; i++)
    g_assert_cmpfloat (out.data[i], ==, MAX (in.data[i], 0.0f));
  /* in place */
  g_assert_cmpint (atelier_net_layer_run (ctx, 2, &l, &in, &in), ==,
                   ATELIER_OK);
  g_assert_true (tensor_equal (&in, &out));
  g_free (in.data);
  g_free (out.data);
  atelier_context_free (ctx);
}

/* ---- instance norm ---- */

static void
test_inorm (void)
{
  const int     C = 6, H = 23, W = 31;
  AtelierTensor t = tensor_new (C, H, W);
  AtelierTensor top, bottom;
  double        sum[6] = { 0 }, sum2[6] = { 0 };
  double        tsum[6] = { 0 }, tsum2[6] = { 0 };
  float         mean[6], var[6], gamma[6], beta[6];
  double        rmean[6], rvar[6];
  float        *orig;
  int           c, i, n = H * W;

  /* Channels with different offsets and spreads, one constant. */
  for (c = 0; c < C; c++)
    for (i = 0; i < n; i++)
      t.data[c * n + i] = c == 4 ? 3.5f :
                          (c - 2) * 40.0f +
                          (c + 1) * (test_noise (6, i, c) - 0.5f);
  for (c = 0; c < C; c++)
    {
      gamma[c] = 0.5f + 0.3f * c;
      beta[c]  = 0.25f * c - 0.5f;
    }
  orig = g_memdup2 (t.data, (gsize) C * n * sizeof (float));

  /* the naive two passes */
  for (c = 0; c < C; c++)
    {
      double s = 0.0, s2 = 0.0;

      for (i = 0; i < n; i++)
        s += orig[c * n + i];
      rmean[c] = s / n;
      for (i = 0; i < n; i++)
        s2 += (orig[c * n + i] - rmean[c]) * (orig[c * n + i] - rmean[c]);
      rvar[c] = s2 / n;
    }

  atelier_net_channel_sums (&t, sum, sum2);
  for (c = 0; c < C; c++)
    {
      double m = sum[c] / n;

      mean[c] = (float) m;
      var[c]  = (float) MAX (sum2[c] / n - m * m, 0.0);
      g_assert_cmpfloat_with_epsilon (mean[c], rmean[c],
                                      1e-6 * (1.0 + fabs (rmean[c])));
      g_assert_cmpfloat_with_epsilon (var[c], rvar[c],
                                      1e-6 * (1.0 + rmean[c] * rmean[c]));
    }

  /* Two tiles of whole rows add up to the whole. */
  top = t;
  top.h = 10;
  bottom = t;
  bottom.h = H - 10;
  for (c = 0; c < C; c++)
    {
      AtelierTensor a = top, b = bottom;

      a.c = b.c = 1;
      a.data = t.data + c * n;
      b.data = t.data + c * n + 10 * W;
      atelier_net_channel_sums (&a, &tsum[c], &tsum2[c]);
      atelier_net_channel_sums (&b, &tsum[c], &tsum2[c]);
      g_assert_cmpfloat_with_epsilon (tsum[c], sum[c],
                                      1e-12 * (1.0 + fabs (sum[c])));
      g_assert_cmpfloat_with_epsilon (tsum2[c], sum2[c],
                                      1e-12 * (1.0 + fabs (sum2[c])));
    }

  atelier_net_inorm_apply (&t, mean, var, gamma, beta);
  for (c = 0; c < C; c++)
    for (i = 0; i < n; i++)
      {
        double ref = (orig[c * n + i] - rmean[c]) / sqrt (rvar[c] + 1e-5) *
                     gamma[c] + beta[c];

        /* float rounding of x a against the offset b = beta - mean a */
        g_assert_cmpfloat_with_epsilon (t.data[c * n + i], ref,
                                        1e-5 * (1.0 + fabs (rmean[c]) /
                                                sqrt (rvar[c] + 1e-5)));
      }
  /* the constant channel lands on its beta */
  g_assert_cmpfloat_with_epsilon (t.data[4 * n], beta[4], 1e-4);
  g_free (orig);
  g_free (t.data);
}

/* The norm's sums, the norm + ReLU, ReLU and the skip's add across the
 * pool: the serial functions' bits, for 1, 2 and 4 threads. */
static void
test_channels_run (void)
{
  const int       C = 7, H = 19, W = 41, n = H * W;
  AtelierContext *ctx = atelier_context_new (4);
  AtelierTensor   src = tensor_new (C, H, W), other = tensor_new (C, H, W);
  AtelierTensor   ref = tensor_new (C, H, W), got = tensor_new (C, H, W);
  double          sum[7], sum2[7], psum[7], psum2[7];
  float           mean[7], var[7], gamma[7], beta[7];
  int             c, t, relu;
  gsize           bytes = (gsize) C * n * sizeof (float);

  tensor_noise (&src, 21, -50.0f, 80.0f);
  tensor_noise (&other, 22, -3.0f, 3.0f);
  for (c = 0; c < C; c++)
    {
      sum[c] = sum2[c] = 0.0;
      gamma[c] = 0.5f + 0.1f * c;
      beta[c]  = 0.2f * c - 0.6f;
    }
  atelier_net_channel_sums (&src, sum, sum2);
  for (c = 0; c < C; c++)
    {
      mean[c] = (float) (sum[c] / n);
      var[c]  = (float) MAX (sum2[c] / n - mean[c] * (double) mean[c], 0.0);
    }
  for (t = 0; t < 3; t++)
    {
      for (c = 0; c < C; c++)
        psum[c] = psum2[c] = 0.0;
      atelier_net_channel_sums_run (ctx, 1 << t, &src, psum, psum2);
      g_assert_true (memcmp (psum, sum, sizeof sum) == 0);
      g_assert_true (memcmp (psum2, sum2, sizeof sum2) == 0);
      for (relu = 0; relu <= 1; relu++)
        {
          memcpy (ref.data, src.data, bytes);
          atelier_net_inorm_apply (&ref, mean, var, gamma, beta);
          if (relu)
            for (c = 0; c < C * n; c++)
              ref.data[c] = ref.data[c] > 0.0f ? ref.data[c] : 0.0f;
          memcpy (got.data, src.data, bytes);
          atelier_net_inorm_run (ctx, 1 << t, &got, mean, var, gamma, beta,
                                 relu);
          g_assert_true (tensor_equal (&ref, &got));
        }
      for (c = 0; c < C * n; c++)
        ref.data[c] = src.data[c] + other.data[c];
      memcpy (got.data, src.data, bytes);
      atelier_net_add_run (ctx, 1 << t, &got, &other);
      g_assert_true (tensor_equal (&ref, &got));
      for (c = 0; c < C * n; c++)
        ref.data[c] = src.data[c] > 0.0f ? src.data[c] : 0.0f;
      memcpy (got.data, src.data, bytes);
      atelier_net_relu_run (ctx, 1 << t, &got);
      g_assert_true (tensor_equal (&ref, &got));
    }
  g_free (src.data);
  g_free (other.data);
  g_free (ref.data);
  g_free (got.data);
  atelier_context_free (ctx);
}

/* ---- bad input ---- */

static void
test_bad (void)
{
  AtelierContext *ctx = atelier_context_new (2);
  float           w[2 * 3 * 9] = { 0 }, b[2] = { 0 };
  AtelierNetLayer conv = { ATELIER_NET_CONV, 3, 2, 3, 1, 0, w, b, NULL,
                           NULL };
  AtelierNetLayer pad  = { ATELIER_NET_PAD_REFLECT, 3, 3, 0, 0, 4, NULL,
                           NULL, NULL, NULL };
  AtelierNetLayer norm = { ATELIER_NET_INORM, 3, 3, 0, 0, 0, NULL, NULL,
                           NULL, NULL };
  AtelierTensor   in   = tensor_new (3, 4, 6);
  AtelierTensor   out  = tensor_new (3, 12, 14);
  AtelierTensor   two  = tensor_new (2, 2, 4);
  AtelierTensor   tiny = tensor_new (3, 2, 6);
  AtelierTensor   tout = tensor_new (2, 1, 4);
  int             oh, ow;

  tensor_noise (&in, 1, 0.0f, 1.0f);
  tensor_fill (&out, TEST_SENTINEL);

  /* a pad as large as a side is refused, the output untouched */
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &pad, &in, &out), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "padding"));
  g_assert_true (tensor_is_filled (&out, TEST_SENTINEL));
  pad.pad = 3;
  out.h = 10;
  out.w = 12;
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &pad, &in, &out), ==,
                   ATELIER_OK);

  /* a kernel larger than the input */
  atelier_net_layer_size (&conv, 2, 6, &oh, &ow);
  g_assert_cmpint (oh, ==, 0);
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &conv, &tiny, &tout), ==,
                   ATELIER_ERR_INVALID_IMAGE);

  /* channels or sizes that do not match the layer */
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &conv, &two, &two), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &conv, &in, &out), ==,
                   ATELIER_ERR_INVALID_PARAM);
  conv.stride = 3;
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &conv, &in, &two), ==,
                   ATELIER_ERR_INVALID_PARAM);

  /* instance norm runs as sums + apply, not as a layer */
  out.h = 4;
  out.w = 6;
  g_assert_cmpint (atelier_net_layer_run (ctx, 0, &norm, &in, &out), ==,
                   ATELIER_ERR_INVALID_PARAM);

  g_free (in.data);
  g_free (out.data);
  g_free (two.data);
  g_free (tiny.data);
  g_free (tout.data);
  atelier_context_free (ctx);
}

int
main (int    argc,
      char **argv)
{
  gsize i;

  g_test_init (&argc, &argv, NULL);
  for (i = 0; i < G_N_ELEMENTS (conv_cases); i++)
    test_add_case ("/engine/net_layers/conv", conv_cases[i].name,
                   &conv_cases[i], test_conv);
  for (i = 0; i < G_N_ELEMENTS (conv_cases); i++)
    test_add_case ("/engine/net_layers/conv-fused", conv_cases[i].name,
                   &conv_cases[i], test_conv_fused);
  for (i = 0; i < G_N_ELEMENTS (pad_cases); i++)
    test_add_case ("/engine/net_layers/pad", pad_cases[i].name,
                   &pad_cases[i], test_pad);
  g_test_add_func ("/engine/net_layers/pad-corners", test_pad_corners);
  g_test_add_func ("/engine/net_layers/upsample", test_upsample);
  g_test_add_func ("/engine/net_layers/relu", test_relu);
  g_test_add_func ("/engine/net_layers/inorm", test_inorm);
  g_test_add_func ("/engine/net_layers/channels-run", test_channels_run);
  g_test_add_func ("/engine/net_layers/bad", test_bad);
  return g_test_run ();
}
