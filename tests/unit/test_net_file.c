/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of net_file.c, the .atnet model file: a slim transformer net
 * with two styles, made here with random weights, through fp32 and fp16
 * and back; every truncation and every flipped byte refused; crafted
 * files (the checksum recomputed, so the structure checks are what
 * refuses them) each refused with its reason; reading from descriptors;
 * and the import of the five ncnn nets of ../shared when they are there
 * (nothing converted from them is kept). */
#define _GNU_SOURCE
#include "net.h"
#include "internal.h"

#include "test_net.h"
#include "test_util.h"

#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>

/* The layout as net.h gives it, restated so the test does not trust the
 * code it tests. */
#define HDR      32
#define LAYER    32
#define STYLE    168
#define TENSOR   16

#define NCNN_DIR_DEFAULT "../shared/data/weights/fast-style-ncnn-fp16"

static guint8 *
serialize (const AtelierNet *net,
           bool              fp16,
           size_t           *size)
{
  AtelierContext *ctx = atelier_context_new (1);
  void           *bytes = NULL;
  AtelierStatus   st;

  st = atelier_net_serialize (ctx, net, fp16, &bytes, size);
  if (st != ATELIER_OK)
    g_test_message ("%s", atelier_context_error (ctx));
  g_assert_cmpint (st, ==, ATELIER_OK);
  g_assert_nonnull (bytes);
  atelier_context_free (ctx);
  return bytes;
}

/* Tensor values a layer holds, j 0 (weight, gamma) or 1 (bias, beta). */
static const float *
tensor_of (const AtelierNetLayer *l,
           int                    j)
{
  if (l->op == C)
    return j ? l->bias : l->weight;
  return j ? l->beta : l->gamma;
}

static size_t
tensor_count (const AtelierNet      *net,
              const AtelierNetLayer *l,
              int                    j)
{
  if (l->op == C)
    return j ? (size_t) l->out_c
             : (size_t) l->out_c * l->in_c * l->kernel * l->kernel;
  return (size_t) net->n_styles * l->in_c;
}

/* b as a equals it: bit for bit, or, with fp16, conv weights to within
 * half an fp16 step. */
static void
assert_nets_equal (const AtelierNet *a,
                   const AtelierNet *b,
                   bool              fp16)
{
  int    i, j;
  size_t k, n;

  g_assert_cmpint (a->n_layers, ==, b->n_layers);
  g_assert_cmpint (a->n_styles, ==, b->n_styles);
  g_assert_cmpfloat (a->in_scale, ==, b->in_scale);
  g_assert_cmpfloat (a->out_scale, ==, b->out_scale);
  g_assert_cmpuint (a->n_storage, ==, b->n_storage);
  for (i = 0; i < a->n_styles; i++)
    {
      g_assert_cmpstr (a->styles[i].name, ==, b->styles[i].name);
      g_assert_cmpstr (a->styles[i].label, ==, b->styles[i].label);
      g_assert_cmpstr (a->styles[i].label_zh, ==, b->styles[i].label_zh);
      g_assert_cmpfloat (a->styles[i].strength, ==, b->styles[i].strength);
      g_assert_cmpfloat (a->styles[i].scale, ==, b->styles[i].scale);
    }
  for (i = 0; i < a->n_layers; i++)
    {
      const AtelierNetLayer *la = &a->layers[i], *lb = &b->layers[i];

      g_assert_cmpint (la->op, ==, lb->op);
      g_assert_cmpint (la->in_c, ==, lb->in_c);
      g_assert_cmpint (la->out_c, ==, lb->out_c);
      g_assert_cmpint (la->kernel, ==, lb->kernel);
      g_assert_cmpint (la->stride, ==, lb->stride);
      g_assert_cmpint (la->pad, ==, lb->pad);
      if (la->op != C && la->op != N)
        {
          g_assert_null (lb->weight);
          g_assert_null (lb->gamma);
          continue;
        }
      for (j = 0; j < 2; j++)
        {
          const float *ta = tensor_of (la, j), *tb = tensor_of (lb, j);

          /* the parsed tensors lie in its storage */
          g_assert_true (tb >= b->storage &&
                         tb + tensor_count (b, lb, j) <=
                         b->storage + b->n_storage);
          n = tensor_count (a, la, j);
          if (! (fp16 && la->op == C && j == 0))
            {
              g_assert_cmpmem (ta, n * sizeof *ta, tb, n * sizeof *tb);
              continue;
            }
          for (k = 0; k < n; k++)
            {
              /* fp16 has 11 significant bits; subnormals below 2^-14 */
              double tol = MAX (fabs (ta[k]) * ldexp (1.0, -11),
                                ldexp (1.0, -25));

              g_assert_cmpfloat (fabs ((double) ta[k] - tb[k]), <=, tol);
            }
        }
    }
}

static AtelierStatus
parse (AtelierContext  *ctx,
       const guint8    *bytes,
       size_t           size,
       AtelierNet     **net)
{
  AtelierStatus st = atelier_net_parse (ctx, bytes, size, net);

  if (st == ATELIER_OK)
    g_assert_nonnull (*net);
  else
    {
      g_assert_null (*net);
      g_assert_cmpstr (atelier_context_error (ctx), !=, "");
    }
  return st;
}

/* ---- round trips ---- */

static void
test_round_trip (gconstpointer data)
{
  bool            fp16 = GPOINTER_TO_INT (data);
  AtelierContext *ctx  = atelier_context_new (1);
  AtelierNet     *net  = slim_net ();
  AtelierNet     *back = NULL, *again = NULL;
  guint8         *bytes, *bytes2;
  size_t          size, size2;

  bytes = serialize (net, fp16, &size);
  g_assert_true (atelier_net_sniff (bytes, size));
  g_assert_cmpint (parse (ctx, bytes, size, &back), ==, ATELIER_OK);
  assert_nets_equal (net, back, fp16);
  if (fp16)
    g_assert_cmpuint (size, <, net->n_storage * 4 * 3 / 4);

  /* what was read writes back to the same bytes */
  bytes2 = serialize (back, fp16, &size2);
  g_assert_cmpmem (bytes, size, bytes2, size2);
  g_assert_cmpint (parse (ctx, bytes2, size2, &again), ==, ATELIER_OK);
  assert_nets_equal (back, again, false);

  free (bytes);
  free (bytes2);
  atelier_net_free (net);
  atelier_net_free (back);
  atelier_net_free (again);
  atelier_context_free (ctx);
}

/* One conv of 1x3x1x1 weights (then a 3x3x1x1 conv to close the flow)
 * whose first conv's weights are given. */
static const Spec tiny[] = {
  { C, 3, 1, 1, 1, 0 }, { C, 1, 3, 1, 1, 0 }
};

/* IEEE half's rounding: to nearest, ties to even, subnormals, the
 * largest half, and what no longer fits refused. */
static void
test_fp16_rounding (void)
{
  static const struct { float in, out; } cases[] = {
    { 1.0f,                        1.0f },
    { 1.0f + 0x1p-11f,             1.0f },               /* tie: even   */
    { 1.0f + 3 * 0x1p-11f,         1.0f + 0x1p-9f },     /* tie: even   */
    { 1.0f + 0x1p-11f + 0x1p-20f,  1.0f + 0x1p-10f },    /* past a tie  */
    { -2.5f,                       -2.5f },
    { 0x1p-14f,                    0x1p-14f },           /* least norm. */
    { 0x1p-24f,                    0x1p-24f },           /* least sub.  */
    { 0x1p-25f,                    0.0f },               /* tie: even 0 */
    { 3 * 0x1p-25f,                0x1p-23f },           /* tie: even 2 */
    { 0x1p-26f,                    0.0f },
    { 65504.0f,                    65504.0f },           /* largest     */
    { 65519.0f,                    65504.0f },
    { -65519.0f,                   -65504.0f },
    { 0x1.ffcp-15f,                0x1p-14f },           /* up to norm. */
  };
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = net_build (tiny, 2, 1, 3), *back = NULL;
  guint8         *bytes;
  size_t          size, i;
  void           *none = NULL;
  AtelierStatus   st;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      ((float *) net->layers[0].weight)[i % 3] = cases[i].in;
      bytes = serialize (net, true, &size);
      g_assert_cmpint (parse (ctx, bytes, size, &back), ==, ATELIER_OK);
      if (back->layers[0].weight[i % 3] != cases[i].out)
        g_test_message ("%a became %a, not %a", (double) cases[i].in,
                        (double) back->layers[0].weight[i % 3],
                        (double) cases[i].out);
      g_assert_cmpfloat (back->layers[0].weight[i % 3], ==, cases[i].out);
      atelier_net_free (back);
      back = NULL;
      free (bytes);
    }

  /* 65520 would round to infinity: refused, and fp32 still takes it */
  ((float *) net->layers[0].weight)[0] = 65520.0f;
  st = atelier_net_serialize (ctx, net, true, &none, &size);
  g_assert_cmpint (st, ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_null (none);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "fp16"));
  bytes = serialize (net, false, &size);
  g_assert_cmpint (parse (ctx, bytes, size, &back), ==, ATELIER_OK);
  g_assert_cmpfloat (back->layers[0].weight[0], ==, 65520.0f);
  free (bytes);
  atelier_net_free (back);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

/* ---- damage ---- */

static void
test_truncated (gconstpointer data)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = slim_net (), *back = NULL;
  size_t          size, n;
  guint8         *bytes = serialize (net, GPOINTER_TO_INT (data), &size);

  for (n = 0; n < size; n++)
    {
      /* a copy of exactly n bytes, so ASan sees a read past them */
      guint8 *cut = g_memdup2 (bytes, n ? n : 1);

      g_assert_cmpint (parse (ctx, cut, n, &back), ==, ATELIER_ERR_FORMAT);
      g_free (cut);
    }
  free (bytes);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

static void
test_flipped (gconstpointer data)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = slim_net (), *back = NULL;
  size_t          size, i;
  guint8         *bytes = serialize (net, GPOINTER_TO_INT (data), &size);

  for (i = 0; i < size; i++)
    {
      bytes[i] ^= (guint8) (1u << (i % 8)) | 0x80u;
      g_assert_cmpint (parse (ctx, bytes, size, &back), ==,
                       ATELIER_ERR_FORMAT);
      bytes[i] ^= (guint8) (1u << (i % 8)) | 0x80u;
    }
  g_assert_cmpint (parse (ctx, bytes, size, &back), ==, ATELIER_OK);
  free (bytes);
  atelier_net_free (net);
  atelier_net_free (back);
  atelier_context_free (ctx);
}

/* ---- crafted files ---- */

static void
put32 (guint8   *p,
       uint32_t  v)
{
  p[0] = (guint8) v;
  p[1] = (guint8) (v >> 8);
  p[2] = (guint8) (v >> 16);
  p[3] = (guint8) (v >> 24);
}

static uint32_t
get32 (const guint8 *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 | (uint32_t) p[2] << 16 |
         (uint32_t) p[3] << 24;
}

static void
putf (guint8 *p,
      float   f)
{
  uint32_t v;

  memcpy (&v, &f, sizeof v);
  put32 (p, v);
}

static guint8 *
layer_at (guint8 *b,
          int     i)
{
  return b + HDR + LAYER * i;
}

static guint8 *
style_at (guint8 *b,
          int     i)
{
  return b + HDR + LAYER * get32 (b + 12) + STYLE * i;
}

static guint8 *
tensor_at (guint8 *b,
           int     i)
{
  return b + HDR + LAYER * get32 (b + 12) + STYLE * get32 (b + 16) +
         TENSOR * i;
}

static void
fix_crc (guint8 *b,
         size_t  size)
{
  put32 (b + size - 4, (uint32_t) crc32 (0L, b, (uInt) (size - 4)));
}

/* Each changes a valid file (of slim, fp16 when asked) in place; *size
 * is its size without the checksum, which may grow by at most 64. */
typedef void (*Craft) (guint8 *b, size_t *size);

static void
craft_none (guint8 *b,
            size_t *size)
{
}

static void
craft_magic (guint8 *b,
             size_t *size)
{
  b[1] = 'B';
}

static void
craft_version (guint8 *b,
               size_t *size)
{
  put32 (b + 8, 2);
}

static void
craft_layers_over (guint8 *b,
                   size_t *size)
{
  put32 (b + 12, ATELIER_NET_MAX_LAYERS + 1);
}

static void
craft_layers_zero (guint8 *b,
                   size_t *size)
{
  put32 (b + 12, 0);
}

static void
craft_layers_huge (guint8 *b,
                   size_t *size)
{
  put32 (b + 12, UINT32_MAX);
}

static void
craft_styles_huge (guint8 *b,
                   size_t *size)
{
  put32 (b + 16, 0x80000000u);
}

static void
craft_tensors_huge (guint8 *b,
                    size_t *size)
{
  put32 (b + 20, UINT32_MAX / 16 + 1);
}

static void
craft_tables_past_end (guint8 *b,
                       size_t *size)
{
  put32 (b + 12, ATELIER_NET_MAX_LAYERS);
  put32 (b + 16, ATELIER_NET_MAX_STYLES);
  put32 (b + 20, 2 * ATELIER_NET_MAX_LAYERS);
}

static void
craft_tensors_fewer (guint8 *b,
                     size_t *size)
{
  put32 (b + 20, get32 (b + 20) - 1);
}

static void
craft_in_scale (guint8 *b,
                size_t *size)
{
  putf (b + 24, NAN);
}

static void
craft_out_scale (guint8 *b,
                 size_t *size)
{
  putf (b + 28, 0);
}

static void
craft_op (guint8 *b,
          size_t *size)
{
  put32 (layer_at (b, 3), 8);
}

static void
craft_first_in (guint8 *b,
                size_t *size)
{
  put32 (layer_at (b, 0) + 4, 4);
  put32 (layer_at (b, 0) + 8, 4);
}

static void
craft_flow (guint8 *b,
            size_t *size)
{
  put32 (layer_at (b, 2) + 4, 7);
  put32 (layer_at (b, 2) + 8, 7);
}

static void
craft_relu_changes (guint8 *b,
                    size_t *size)
{
  put32 (layer_at (b, 3) + 8, 5);
}

static void
craft_channels_huge (guint8 *b,
                     size_t *size)
{
  put32 (layer_at (b, 1) + 8, 0xFFFFFFFFu);
}

static void
craft_last_out (guint8 *b,
                size_t *size)
{
  put32 (layer_at (b, 23) + 8, 4);
}

static void
craft_kernel_on_relu (guint8 *b,
                      size_t *size)
{
  put32 (layer_at (b, 3) + 12, 3);
}

static void
craft_kernel_big (guint8 *b,
                  size_t *size)
{
  put32 (layer_at (b, 1) + 12, ATELIER_NET_MAX_KERNEL + 2);
}

static void
craft_stride (guint8 *b,
              size_t *size)
{
  put32 (layer_at (b, 1) + 16, 3);
}

static void
craft_pad_zero (guint8 *b,
                size_t *size)
{
  put32 (layer_at (b, 0) + 20, 0);
}

static void
craft_pad_big (guint8 *b,
               size_t *size)
{
  put32 (layer_at (b, 0) + 20, ATELIER_NET_MAX_PAD + 1);
}

static void
craft_weight_count (guint8 *b,
                    size_t *size)
{
  put32 (tensor_at (b, 0) + 4, get32 (tensor_at (b, 0) + 4) - 1);
}

static void
craft_count_huge (guint8 *b,
                  size_t *size)
{
  put32 (tensor_at (b, 2) + 4, UINT32_MAX);
}

/* the kernel changes, the weight count does not */
static void
craft_conv_shape (guint8 *b,
                  size_t *size)
{
  put32 (layer_at (b, 1) + 12, 7);
}

static void
craft_skip_unbalanced (guint8 *b,
                       size_t *size)
{
  put32 (layer_at (b, 16), ATELIER_NET_RELU);
}

static void
craft_skip_no_save (guint8 *b,
                    size_t *size)
{
  put32 (layer_at (b, 8), ATELIER_NET_RELU);
}

static void
craft_skip_shape (guint8 *b,
                  size_t *size)
{
  put32 (layer_at (b, 9) + 20, 2);
}

static void
craft_skip_stride (guint8 *b,
                   size_t *size)
{
  put32 (layer_at (b, 10) + 16, 2);
}

static void
craft_skip_upsample (guint8 *b,
                     size_t *size)
{
  put32 (layer_at (b, 12), ATELIER_NET_UPSAMPLE);
}

static void
craft_tensor_twice (guint8 *b,
                    size_t *size)
{
  put32 (layer_at (b, 2) + 28, get32 (layer_at (b, 2) + 24));
}

static void
craft_tensor_missing (guint8 *b,
                      size_t *size)
{
  put32 (layer_at (b, 1) + 24, 1000);
}

static void
craft_tensor_on_relu (guint8 *b,
                      size_t *size)
{
  put32 (layer_at (b, 3) + 24, 0);
}

static void
craft_dtype (guint8 *b,
             size_t *size)
{
  put32 (tensor_at (b, 1), 2);
}

static void
craft_offset_out (guint8 *b,
                  size_t *size)
{
  put32 (tensor_at (b, 3) + 8, (uint32_t) *size);
}

static void
craft_offset_huge (guint8 *b,
                   size_t *size)
{
  put32 (tensor_at (b, 3) + 8, 0xFFFFFFF0u);
  put32 (tensor_at (b, 3) + 12, 0xFFFFFFFFu);
}

static void
craft_offset_low (guint8 *b,
                  size_t *size)
{
  put32 (tensor_at (b, 0) + 8, 0);
}

static void
craft_offset_unaligned (guint8 *b,
                        size_t *size)
{
  put32 (tensor_at (b, 0) + 8, get32 (tensor_at (b, 0) + 8) + 2);
}

static void
craft_overlap (guint8 *b,
               size_t *size)
{
  put32 (tensor_at (b, 1) + 8, get32 (tensor_at (b, 0) + 8));
}

static void
craft_trailing (guint8 *b,
                size_t *size)
{
  *size += 8;
}

static void
craft_value_inf (guint8 *b,
                 size_t *size)
{
  /* the 4th value */
  guint8 *at = b + get32 (tensor_at (b, 0) + 8);

  if (get32 (tensor_at (b, 0)) == 1)        /* fp16 */
    {
      at[6] = 0x00;
      at[7] = 0x7c;
    }
  else
    putf (at + 12, INFINITY);
}

static void
craft_value_nan (guint8 *b,
                 size_t *size)
{
  guint8 *at = b + get32 (tensor_at (b, 0) + 8);

  if (get32 (tensor_at (b, 0)) == 1)
    {
      at[0] = 0x01;
      at[1] = 0xfe;
    }
  else
    putf (at, NAN);
}

static void
craft_name_char (guint8 *b,
                 size_t *size)
{
  style_at (b, 1)[3] = 'S';
}

static void
craft_name_empty (guint8 *b,
                  size_t *size)
{
  memset (style_at (b, 0), 0, ATELIER_NET_NAME_MAX);
}

static void
craft_name_unterminated (guint8 *b,
                         size_t *size)
{
  memset (style_at (b, 0), 'a', ATELIER_NET_NAME_MAX);
}

static void
craft_name_padding (guint8 *b,
                    size_t *size)
{
  style_at (b, 0)[ATELIER_NET_NAME_MAX - 1] = 'x';
}

static void
craft_name_twice (guint8 *b,
                  size_t *size)
{
  memcpy (style_at (b, 1), style_at (b, 0), ATELIER_NET_NAME_MAX);
}

static void
craft_label_utf8 (guint8 *b,
                  size_t *size)
{
  style_at (b, 0)[ATELIER_NET_NAME_MAX + 2] = 0xc0;
}

static void
craft_label_zh_utf8 (guint8 *b,
                     size_t *size)
{
  /* 星 (e6 98 9f) cut to e6 98 x */
  style_at (b, 0)[ATELIER_NET_NAME_MAX + ATELIER_NET_LABEL_MAX + 2] = 'x';
}

static void
craft_strength (guint8 *b,
                size_t *size)
{
  putf (style_at (b, 0) + STYLE - 8, 1.5f);
}

static void
craft_scale (guint8 *b,
             size_t *size)
{
  putf (style_at (b, 1) + STYLE - 4, 0.125f);
}

typedef struct
{
  const char *name;
  Craft       craft;
  const char *word;   /* NULL: still valid */
} CraftCase;

static const CraftCase crafts[] = {
  { "none",              craft_none,              NULL },
  { "magic",             craft_magic,             "magic" },
  { "version",           craft_version,           "version" },
  { "layers-over",       craft_layers_over,       "n_layers" },
  { "layers-zero",       craft_layers_zero,       "n_layers" },
  { "layers-huge",       craft_layers_huge,       "n_layers" },
  { "styles-huge",       craft_styles_huge,       "n_styles" },
  { "tensors-huge",      craft_tensors_huge,      "n_tensors" },
  { "tables-past-end",   craft_tables_past_end,   "truncated" },
  { "tensors-fewer",     craft_tensors_fewer,     "table has" },
  { "in-scale",          craft_in_scale,          "in_scale" },
  { "out-scale",         craft_out_scale,         "out_scale" },
  { "op",                craft_op,                "unknown op" },
  { "first-in",          craft_first_in,          "input" },
  { "flow",              craft_flow,              "channels" },
  { "relu-changes",      craft_relu_changes,      "cannot change" },
  { "channels-huge",     craft_channels_huge,     "out_c" },
  { "last-out",          craft_last_out,          "not 3" },
  { "kernel-on-relu",    craft_kernel_on_relu,    "kernel" },
  { "kernel-big",        craft_kernel_big,        "kernel" },
  { "stride",            craft_stride,            "stride" },
  { "pad-zero",          craft_pad_zero,          "pad" },
  { "pad-big",           craft_pad_big,           "pad" },
  { "weight-count",      craft_weight_count,      "6x3x5x5 needs 450" },
  { "count-huge",        craft_count_huge,        "holds 4294967295" },
  { "conv-shape",        craft_conv_shape,        "needs" },
  { "skip-unbalanced",   craft_skip_unbalanced,   "unbalanced" },
  { "skip-no-save",      craft_skip_no_save,      "unbalanced" },
  { "skip-shape",        craft_skip_shape,        "shape mismatch" },
  { "skip-stride",       craft_skip_stride,       "shape mismatch" },
  { "skip-upsample",     craft_skip_upsample,     "shape mismatch" },
  { "tensor-twice",      craft_tensor_twice,      "uses already" },
  { "tensor-missing",    craft_tensor_missing,    "table has" },
  { "tensor-on-relu",    craft_tensor_on_relu,    "takes no tensor" },
  { "dtype",             craft_dtype,             "dtype" },
  { "offset-out",        craft_offset_out,        "outside the data" },
  { "offset-huge",       craft_offset_huge,       "outside the data" },
  { "offset-low",        craft_offset_low,        "outside the data" },
  { "offset-unaligned",  craft_offset_unaligned,  "aligned" },
  { "overlap",           craft_overlap,           "overlaps" },
  { "trailing",          craft_trailing,          "after the last tensor" },
  { "value-inf",         craft_value_inf,         "not finite" },
  { "value-nan",         craft_value_nan,         "not finite" },
  { "name-char",         craft_name_char,         "character" },
  { "name-empty",        craft_name_empty,        "empty" },
  { "name-unterminated", craft_name_unterminated, "NUL-terminated" },
  { "name-padding",      craft_name_padding,      "after its NUL" },
  { "name-twice",        craft_name_twice,        "style 0's" },
  { "label-utf8",        craft_label_utf8,        "UTF-8" },
  { "label-zh-utf8",     craft_label_zh_utf8,     "UTF-8" },
  { "strength",          craft_strength,          "strength" },
  { "scale",             craft_scale,             "scale" },
};

static void
run_crafted (bool fp16)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = slim_net (), *back = NULL;
  size_t          size, i;
  guint8         *bytes = serialize (net, fp16, &size);

  for (i = 0; i < G_N_ELEMENTS (crafts); i++)
    {
      size_t        n = size - 4;
      guint8       *b = g_malloc0 (size + 64);
      AtelierStatus st;

      /* the craft sees the file without its checksum */
      memcpy (b, bytes, size);
      crafts[i].craft (b, &n);
      fix_crc (b, n + 4);
      st = parse (ctx, b, n + 4, &back);
      g_test_message ("%s%s: %s", crafts[i].name, fp16 ? " (fp16)" : "",
                      st ? atelier_context_error (ctx) : "ok");
      if (! crafts[i].word)
        {
          g_assert_cmpint (st, ==, ATELIER_OK);
          atelier_net_free (back);
          back = NULL;
        }
      else
        {
          g_assert_cmpint (st, ==, ATELIER_ERR_FORMAT);
          if (! strstr (atelier_context_error (ctx), crafts[i].word))
            g_error ("%s: \"%s\" lacks \"%s\"", crafts[i].name,
                     atelier_context_error (ctx), crafts[i].word);
        }
      g_free (b);
    }
  free (bytes);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

static void
test_crafted (gconstpointer data)
{
  run_crafted (GPOINTER_TO_INT (data));
}

/* ---- shapes a file may and may not have ---- */

/* The skip check on layer lists: the parser and the writer share it. */
static void
test_skip_shapes (void)
{
  static const Spec ok_nested[] = {
    { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 }, { P, 3, 3, 0, 0, 2 },
    { C, 3, 3, 5, 1, 0 }, { SA, 3, 3, 0, 0, 0 }, { P, 3, 3, 0, 0, 1 },
    { C, 3, 3, 3, 1, 0 }, { SA, 3, 3, 0, 0, 0 }
  };
  /* H is a multiple of the total stride (the renderer extends it), so
   * a "same" stride-2 conv and an upsample give back H: a skip from the
   * input to the output (a residual net) ... */
  static const Spec ok_down_up[] = {
    { SS, 3, 3, 0, 0, 0 }, { P, 3, 3, 0, 0, 1 }, { C, 3, 3, 4, 2, 0 },
    { P, 3, 3, 0, 0, 1 }, { C, 3, 3, 3, 2, 0 }, { U, 3, 3, 0, 0, 0 },
    { U, 3, 3, 0, 0, 0 }, { SA, 3, 3, 0, 0, 0 }
  };
  /* ... but without its pad, (H - 3) / 2 + 1 is H / 2 - 1: 2 short */
  static const Spec bad_down_up[] = {
    { SS, 3, 3, 0, 0, 0 }, { C, 3, 3, 3, 2, 0 },
    { U, 3, 3, 0, 0, 0 }, { SA, 3, 3, 0, 0, 0 }, { P, 3, 3, 0, 0, 1 }
  };
  static const Spec bad_channels[] = {
    { SS, 3, 3, 0, 0, 0 }, { C, 3, 4, 1, 1, 0 }, { SA, 4, 4, 0, 0, 0 },
    { C, 4, 3, 1, 1, 0 }
  };
  static const Spec bad_deep[] = {
    { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 },
    { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 },
    { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 },
    { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 },
    { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 },
    { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 }
  };
  static const struct
  {
    const Spec *specs;
    int         n;
    const char *word;
  } cases[] = {
    { ok_nested,    G_N_ELEMENTS (ok_nested),    NULL },
    { ok_down_up,   G_N_ELEMENTS (ok_down_up),   NULL },
    { bad_down_up,  G_N_ELEMENTS (bad_down_up),  "shape mismatch" },
    { bad_channels, G_N_ELEMENTS (bad_channels), "shape mismatch" },
    { bad_deep,     G_N_ELEMENTS (bad_deep),     "nested" },
  };
  AtelierContext *ctx = atelier_context_new (1);
  size_t          i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtelierNet   *net = net_build (cases[i].specs, cases[i].n, 1, 5);
      AtelierNet   *back = NULL;
      void         *bytes = NULL;
      size_t        size = 0;
      AtelierStatus st = atelier_net_serialize (ctx, net, false, &bytes,
                                                &size);

      g_test_message ("case %zu: %s", i, st ? atelier_context_error (ctx)
                                           : "ok");
      if (cases[i].word)
        {
          g_assert_cmpint (st, ==, ATELIER_ERR_INVALID_PARAM);
          g_assert_null (bytes);
          g_assert_nonnull (strstr (atelier_context_error (ctx),
                                    cases[i].word));
        }
      else
        {
          g_assert_cmpint (st, ==, ATELIER_OK);
          g_assert_cmpint (parse (ctx, bytes, size, &back), ==, ATELIER_OK);
          assert_nets_equal (net, back, false);
        }
      free (bytes);
      atelier_net_free (back);
      atelier_net_free (net);
    }
  atelier_context_free (ctx);
}

/* The writer refuses what the reader would: no file for a bad net. */
static void
test_serialize_refuses (void)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = slim_net ();
  void           *bytes = NULL;
  size_t          size = 1;

  ((float *) net->layers[20].gamma)[3] = NAN;
  g_assert_cmpint (atelier_net_serialize (ctx, net, false, &bytes, &size),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "not finite"));
  g_assert_null (bytes);
  g_assert_cmpuint (size, ==, 0);
  ((float *) net->layers[20].gamma)[3] = 1.0f;

  net->layers[10].bias = NULL;
  g_assert_cmpint (atelier_net_serialize (ctx, net, false, &bytes, &size),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "missing"));
  net->layers[10].bias = net->layers[10].weight + 12 * 12 * 9;

  strcpy (net->styles[1].name, "No Caps");
  g_assert_cmpint (atelier_net_serialize (ctx, net, false, &bytes, &size),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "character"));
  strcpy (net->styles[1].name, "ok");

  net->layers[5].out_c = 11;
  g_assert_cmpint (atelier_net_serialize (ctx, net, false, &bytes, &size),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "channels"));
  net->layers[5].out_c = 12;

  g_assert_cmpint (atelier_net_serialize (ctx, NULL, false, &bytes, &size),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_cmpint (atelier_net_serialize (ctx, net, false, NULL, &size),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_cmpint (atelier_net_serialize (ctx, net, false, &bytes, &size),
                   ==, ATELIER_OK);
  free (bytes);
  atelier_net_free (net);
  atelier_net_free (NULL);
  atelier_context_free (ctx);
}

/* ---- from a descriptor ---- */

static void
test_read (void)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = slim_net (), *back = NULL;
  size_t          size;
  guint8         *bytes = serialize (net, true, &size);
  gchar          *path = NULL;
  GError         *error = NULL;
  int             fd, pipe_fd[2];

  fd = g_file_open_tmp ("atelier-net-XXXXXX.atnet", &path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (write (fd, bytes, size), ==, (ssize_t) size);
  /* the descriptor's offset is at the end: read ignores it */
  g_assert_cmpint (atelier_net_read (ctx, fd, &back), ==, ATELIER_OK);
  assert_nets_equal (net, back, true);
  g_assert_cmpint (lseek (fd, 0, SEEK_CUR), ==, (off_t) size);
  atelier_net_free (back);

  /* shorter by one byte */
  g_assert_cmpint (ftruncate (fd, (off_t) size - 1), ==, 0);
  g_assert_cmpint (atelier_net_read (ctx, fd, &back), ==,
                   ATELIER_ERR_FORMAT);
  g_assert_null (back);

  /* over the limit: refused by its size, sparse, never read */
  g_assert_cmpint (ftruncate (fd, (off_t) ATELIER_NET_MAX_FILE + 1), ==, 0);
  g_assert_cmpint (atelier_net_read (ctx, fd, &back), ==,
                   ATELIER_ERR_FORMAT);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "at most"));

  g_assert_cmpint (ftruncate (fd, 0), ==, 0);
  g_assert_cmpint (atelier_net_read (ctx, fd, &back), ==,
                   ATELIER_ERR_FORMAT);

  g_assert_cmpint (pipe (pipe_fd), ==, 0);
  g_assert_cmpint (atelier_net_read (ctx, pipe_fd[0], &back), ==,
                   ATELIER_ERR_IO);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "regular"));
  g_assert_cmpint (atelier_net_read (ctx, -1, &back), ==,
                   ATELIER_ERR_INVALID_PARAM);
  close (pipe_fd[0]);
  close (pipe_fd[1]);

  close (fd);
  g_unlink (path);
  g_free (path);
  free (bytes);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

static void
test_sniff (void)
{
  g_assert_true (atelier_net_sniff (ATELIER_NET_MAGIC, 8));
  g_assert_false (atelier_net_sniff (ATELIER_NET_MAGIC, 7));
  g_assert_false (atelier_net_sniff ("\x89PNG\r\n\x1a\n", 8));
  g_assert_false (atelier_net_sniff (NULL, 0));
}

/* ---- the ncnn nets of ../shared ---- */

static const char *ncnn_names[] = {
  "candy", "mosaic", "pointilism", "rain_princess", "udnie"
};

/* Johnson's transformer net: layer, op, in, out, kernel, stride, pad. */
static const int ncnn_expected[][7] = {
  {  0, P,    3,   3, 0, 0, 4 }, {  1, C,   3,  32, 9, 1, 0 },
  {  2, N,   32,  32, 0, 0, 0 }, {  3, R,  32,  32, 0, 0, 0 },
  {  4, P,   32,  32, 0, 0, 1 }, {  5, C,  32,  64, 3, 2, 0 },
  {  8, P,   64,  64, 0, 0, 1 }, {  9, C,  64, 128, 3, 2, 0 },
  { 12, SS, 128, 128, 0, 0, 0 }, { 13, P, 128, 128, 0, 0, 1 },
  { 14, C,  128, 128, 3, 1, 0 }, { 16, R, 128, 128, 0, 0, 0 },
  { 20, SA, 128, 128, 0, 0, 0 }, { 56, SA, 128, 128, 0, 0, 0 },
  { 57, U,  128, 128, 0, 0, 0 }, { 58, P, 128, 128, 0, 0, 1 },
  { 59, C,  128,  64, 3, 1, 0 }, { 62, U,  64,  64, 0, 0, 0 },
  { 63, P,   64,  64, 0, 0, 1 }, { 64, C,  64,  32, 3, 1, 0 },
  { 67, P,   32,  32, 0, 0, 4 }, { 68, C,  32,   3, 9, 1, 0 },
};

static void
test_ncnn (void)
{
  const char     *dir = g_getenv ("ATELIER_NCNN_DIR");
  AtelierContext *ctx = atelier_context_new (1);
  size_t          i, k, found = 0;

  if (! dir)
    dir = NCNN_DIR_DEFAULT;
  for (i = 0; i < G_N_ELEMENTS (ncnn_names); i++)
    {
      gchar      *file = g_strconcat (ncnn_names[i], ".bin", NULL);
      gchar      *path = g_build_filename (dir, file, NULL);
      gchar      *name = g_strdelimit (g_strdup (ncnn_names[i]), "_", '-');
      gchar      *data = NULL;
      gsize       size = 0;
      AtelierNet *net = NULL, *back = NULL;
      guint8     *bytes, *bad;
      size_t      n;

      g_free (file);
      if (! g_file_get_contents (path, &data, &size, NULL))
        {
          g_free (path);
          g_free (name);
          continue;
        }
      found++;
      g_assert_cmpint (atelier_net_import_ncnn (ctx, data, size, name, &net),
                       ==, ATELIER_OK);
      g_assert_cmpint (net->n_layers, ==, 69);
      g_assert_cmpint (net->n_styles, ==, 1);
      g_assert_cmpstr (net->styles[0].name, ==, name);
      g_assert_cmpfloat (net->styles[0].strength, ==, 1.0f);
      g_assert_cmpfloat (net->in_scale, ==, 255.0f);
      g_assert_cmpfloat (net->out_scale, ==, 1.0f / 255.0f);
      /* 1,679,235 parameters */
      g_assert_cmpuint (net->n_storage, ==, 1679235);
      for (k = 0; k < G_N_ELEMENTS (ncnn_expected); k++)
        {
          const int             *e = ncnn_expected[k];
          const AtelierNetLayer *l = &net->layers[e[0]];

          g_assert_cmpint (l->op, ==, e[1]);
          g_assert_cmpint (l->in_c, ==, e[2]);
          g_assert_cmpint (l->out_c, ==, e[3]);
          g_assert_cmpint (l->kernel, ==, e[4]);
          g_assert_cmpint (l->stride, ==, e[5]);
          g_assert_cmpint (l->pad, ==, e[6]);
        }
      /* the first weight and the last beta, as the bytes hold them */
      g_assert_cmpfloat (net->layers[1].weight[0], !=, 0.0f);
      g_assert_cmpfloat (fabs (net->layers[65].beta[31]), <, 100.0f);

      /* fp16 from fp16: the same values, whatever the order */
      bytes = serialize (net, true, &n);
      g_assert_cmpint (parse (ctx, bytes, n, &back), ==, ATELIER_OK);
      assert_nets_equal (net, back, false);
      free (bytes);
      atelier_net_free (back);

      /* cut short, a byte more, a bad tag, a bad name */
      atelier_net_free (net);
      net = NULL;
      bad = g_malloc (size + 1);
      memcpy (bad, data, size);
      bad[size] = 0;
      for (n = size - 2; n <= size + 1; n++)
        if (n != size)
          {
            g_assert_cmpint (atelier_net_import_ncnn (ctx, bad, n, name,
                                                      &net), ==,
                             ATELIER_ERR_FORMAT);
            g_assert_null (net);
            g_assert_nonnull (strstr (atelier_context_error (ctx),
                                      "bytes"));
          }
      g_assert_cmpint (atelier_net_import_ncnn (ctx, bad, 1000, name, &net),
                       ==, ATELIER_ERR_FORMAT);
      bad[0] = 0;
      g_assert_cmpint (atelier_net_import_ncnn (ctx, bad, size, name, &net),
                       ==, ATELIER_ERR_FORMAT);
      g_assert_nonnull (strstr (atelier_context_error (ctx), "tag"));
      g_assert_cmpint (atelier_net_import_ncnn (ctx, data, size,
                                                "Rain Princess", &net), ==,
                       ATELIER_ERR_INVALID_PARAM);
      g_assert_null (net);
      g_free (bad);
      g_free (data);
      g_free (path);
      g_free (name);
    }
  atelier_context_free (ctx);
  if (found == 0)
    g_test_skip ("no ncnn nets in " NCNN_DIR_DEFAULT
                 " (or $ATELIER_NCNN_DIR)");
  else
    g_assert_cmpuint (found, ==, G_N_ELEMENTS (ncnn_names));
}

/* ---- mixing styles, thumbnails, cancel ---- */

/* A seeded w x h image (alpha 1). */
static float *
net_test_image (int w, int h, uint32_t seed)
{
  float *px = g_new (float, (size_t) w * h * 4);
  int    i;

  for (i = 0; i < w * h; i++)
    {
      px[4 * i]     = test_noise (seed, i, 0);
      px[4 * i + 1] = test_noise (seed, i, 1);
      px[4 * i + 2] = (float) (i % w) / w;
      px[4 * i + 3] = 1.0f;
    }
  return px;
}

/* style net_style of net on a seeded 40 x 28 image, at strength 1 */
static float *
net_run_style (AtelierNet *net, int net_style)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierParams   p;
  float          *in  = net_test_image (40, 28, 5);
  float          *out = g_new0 (float, 40 * 28 * 4);
  AtelierImage    a = { 40, 28, 160, in }, b = { 40, 28, 160, out };

  atelier_params_init (&p);
  p.strength = 1.0f;
  g_assert_cmpint (atelier_net_stylize (ctx, &p, net, net_style, &a, &b), ==,
                   ATELIER_OK);
  g_free (in);
  atelier_context_free (ctx);
  return out;
}

/* A network's output keeps the photo's tonal range (tone_map.c): its
 * luma has the input's mean and deviation, whatever the network's own
 * output has (the raw path, as PyTorch computes it, does not). */
static void
test_photo_tones (void)
{
  AtelierContext  *ctx = atelier_context_new (1);
  AtelierNet      *net = slim_net ();
  AtelierParams    p;
  AtelierNetLimits raw = { 1 << 20, 1 << 20, 384, true };
  float           *in = net_test_image (40, 28, 5), *out, *own;
  AtelierImage     a = { 40, 28, 160, in }, b;
  double           im, isd, om, osd, rm, rsd;

  out = net_run_style (net, 0);
  own = g_new0 (float, 40 * 28 * 4);
  b   = (AtelierImage) { 40, 28, 160, own };
  atelier_params_init (&p);
  p.strength = 1.0f;
  g_assert_cmpint (atelier_net_stylize_limits (ctx, &p, net, 0, &a, &b, &raw),
                   ==, ATELIER_OK);
  test_luma_moments (&a, &im, &isd);
  test_luma_moments (&(AtelierImage) { 40, 28, 160, out }, &om, &osd);
  test_luma_moments (&b, &rm, &rsd);
  g_test_message ("luma mean / sd: photo %.3f / %.3f, output %.3f / %.3f, "
                  "network's own %.3f / %.3f", im, isd, om, osd, rm, rsd);
  g_assert_cmpfloat (fabs (om - im), <, 0.01);
  g_assert_cmpfloat (fabs (osd / isd - 1.0), <, 0.05);
  g_assert_cmpfloat (fabs (rm - im) + fabs (rsd / isd - 1.0), >, 0.1);
  g_free (in);
  g_free (out);
  g_free (own);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

static void
test_mix (void)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = slim_net (), *m = NULL, *m2 = NULL;
  const int       both[] = { 0, 1 }, bad_index[] = { 0, 2 };
  const float     all_first[] = { 1.0f, 0.0f }, w37[] = { 0.3f, 0.7f },
                  w3070[] = { 30.0f, 70.0f }, negative[] = { 1.0f, -0.5f },
                  zeros[] = { 0.0f, 0.0f }, nan_w[] = { 1.0f, NAN };
  float          *ref, *got, strength, scale;
  int             i, l;

  /* all of one style is that style, bit for bit */
  g_assert_cmpint (atelier_net_mix (ctx, net, 2, both, all_first, &m), ==,
                   ATELIER_OK);
  g_assert_cmpint (atelier_net_n_styles (m), ==, 1);
  ref = net_run_style (net, 0);
  got = net_run_style (m, 0);
  g_assert_cmpmem (ref, 40 * 28 * 4 * sizeof (float), got,
                   40 * 28 * 4 * sizeof (float));
  g_free (got);
  atelier_net_free (m);

  /* weights are relative; rows are the weighted mean; the rest copied */
  g_assert_cmpint (atelier_net_mix (ctx, net, 2, both, w37, &m), ==,
                   ATELIER_OK);
  g_assert_cmpint (atelier_net_mix (ctx, net, 2, both, w3070, &m2), ==,
                   ATELIER_OK);
  for (l = 0; l < net->n_layers; l++)
    {
      const AtelierNetLayer *a = &net->layers[l], *b = &m->layers[l];

      if (a->op == ATELIER_NET_CONV)
        g_assert_cmpmem (a->weight, (size_t) a->out_c * a->in_c * a->kernel *
                         a->kernel * sizeof (float), b->weight,
                         (size_t) b->out_c * b->in_c * b->kernel * b->kernel *
                         sizeof (float));
      else if (a->op == ATELIER_NET_INORM)
        for (i = 0; i < a->in_c; i++)
          {
            float want = 0.3f * a->gamma[i] + 0.7f * a->gamma[a->in_c + i];

            g_assert_cmpfloat_with_epsilon (b->gamma[i], want, 1e-5);
            g_assert_cmpfloat_with_epsilon (m2->layers[l].gamma[i], want, 1e-5);
            g_assert_cmpfloat_with_epsilon (b->beta[i], 0.3f * a->beta[i] +
                                            0.7f * a->beta[a->in_c + i], 1e-5);
          }
    }
  g_assert_cmpstr (m->styles[0].label, ==,
                   "The Starry Night 30% + The Scream (Munch) 70%");
  g_assert_cmpstr (m->styles[0].label_zh, ==, "星夜 30% + 呐喊 70%");
  atelier_net_style_defaults (m, 0, &strength, &scale);
  g_assert_cmpfloat_with_epsilon (strength, 0.3f * 0.8f + 0.7f * 1.0f, 1e-5);
  g_assert_cmpfloat_with_epsilon (scale, 0.3f * 1.0f + 0.7f * 0.5f, 1e-5);
  got = net_run_style (m, 0);
  g_assert_true (memcmp (ref, got, 40 * 28 * 4 * sizeof (float)) != 0);
  g_free (got);
  g_free (ref);
  atelier_net_free (m);
  atelier_net_free (m2);

  /* refused, with nothing made */
  m = net;
  g_assert_cmpint (atelier_net_mix (ctx, net, 2, bad_index, w37, &m), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_null (m);
  g_assert_cmpint (atelier_net_mix (ctx, net, 2, both, negative, &m), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_cmpint (atelier_net_mix (ctx, net, 2, both, zeros, &m), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_cmpint (atelier_net_mix (ctx, net, 2, both, nan_w, &m), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_cmpint (atelier_net_mix (ctx, net, 0, both, w37, &m), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_null (m);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

static void
test_thumbnail (void)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = slim_net ();
  float          *a = g_new0 (float, 24 * 24 * 4), *b = g_new0 (float, 24 * 24 * 4);
  AtelierImage    ia = { 24, 24, 96, a }, ib = { 24, 24, 96, b }, small = ia;
  float           lo = 1.0f, hi = 0.0f;
  int             i;

  g_assert_cmpint (atelier_net_thumbnail (ctx, net, 0, 24, &ia), ==,
                   ATELIER_OK);
  g_assert_cmpint (atelier_net_thumbnail (ctx, net, 1, 24, &ib), ==,
                   ATELIER_OK);
  for (i = 0; i < 24 * 24 * 4; i++)
    {
      lo = MIN (lo, a[i]);
      hi = MAX (hi, a[i]);
    }
  g_assert_cmpfloat (lo, >=, 0.0f);
  g_assert_cmpfloat (hi, <=, 1.0f);
  g_assert_true (memcmp (a, b, 24 * 24 * 4 * sizeof (float)) != 0);
  /* the same every time */
  g_assert_cmpint (atelier_net_thumbnail (ctx, net, 1, 24, &ia), ==,
                   ATELIER_OK);
  g_assert_cmpmem (a, 24 * 24 * 4 * sizeof (float), b,
                   24 * 24 * 4 * sizeof (float));
  small.width = 4;
  g_assert_cmpint (atelier_net_thumbnail (ctx, net, 0, 4, &small), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_cmpint (atelier_net_thumbnail (ctx, net, 0, 32, &ia), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_free (a);
  g_free (b);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

static int n_progress_calls;

static bool
stop_at_once (float fraction, void *data)
{
  (void) fraction;
  (void) data;
  n_progress_calls++;
  return false;
}

/* Cancel acts inside an untiled run: the first poll stops it and the
 * output is not written. */
static void
test_cancel_untiled (void)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net = slim_net ();
  AtelierParams   p;
  float          *in  = net_test_image (40, 28, 5);
  float          *out = g_new (float, 40 * 28 * 4);
  AtelierImage    a = { 40, 28, 160, in }, b = { 40, 28, 160, out };
  int             i;

  for (i = 0; i < 40 * 28 * 4; i++)
    out[i] = -7.0f;
  atelier_params_init (&p);
  p.progress = stop_at_once;
  n_progress_calls = 0;
  g_assert_cmpint (atelier_net_stylize (ctx, &p, net, 0, &a, &b), ==,
                   ATELIER_CANCELLED);
  g_assert_cmpint (n_progress_calls, ==, 1);
  for (i = 0; i < 40 * 28 * 4; i++)
    g_assert_cmpfloat (out[i], ==, -7.0f);
  g_free (in);
  g_free (out);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/engine/net_file/round-trip-fp32",
                        GINT_TO_POINTER (0), test_round_trip);
  g_test_add_data_func ("/engine/net_file/round-trip-fp16",
                        GINT_TO_POINTER (1), test_round_trip);
  g_test_add_func ("/engine/net_file/fp16-rounding", test_fp16_rounding);
  g_test_add_data_func ("/engine/net_file/truncated-fp32",
                        GINT_TO_POINTER (0), test_truncated);
  g_test_add_data_func ("/engine/net_file/truncated-fp16",
                        GINT_TO_POINTER (1), test_truncated);
  g_test_add_data_func ("/engine/net_file/flipped-fp32",
                        GINT_TO_POINTER (0), test_flipped);
  g_test_add_data_func ("/engine/net_file/flipped-fp16",
                        GINT_TO_POINTER (1), test_flipped);
  g_test_add_data_func ("/engine/net_file/crafted-fp32",
                        GINT_TO_POINTER (0), test_crafted);
  g_test_add_data_func ("/engine/net_file/crafted-fp16",
                        GINT_TO_POINTER (1), test_crafted);
  g_test_add_func ("/engine/net_file/skip-shapes", test_skip_shapes);
  g_test_add_func ("/engine/net_file/serialize-refuses",
                   test_serialize_refuses);
  g_test_add_func ("/engine/net_file/read", test_read);
  g_test_add_func ("/engine/net_file/sniff", test_sniff);
  g_test_add_func ("/engine/net_file/ncnn", test_ncnn);
  g_test_add_func ("/engine/net_file/mix", test_mix);
  g_test_add_func ("/engine/net_file/photo-tones", test_photo_tones);
  g_test_add_func ("/engine/net_file/thumbnail", test_thumbnail);
  g_test_add_func ("/engine/net_file/cancel-untiled", test_cancel_untiled);
  return g_test_run ();
}
