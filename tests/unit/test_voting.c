/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: voting (robust weighted average of overlapping matches) at
 * the field's scale and at the render's. */
#include "atelier.h"
#include "internal.h"

#include "test_feat.h"

#include <math.h>
#include <string.h>

#define W 40
#define H 36

/* Each target pixel maps to itself (clamped to the valid centres), with
 * varied distances so the weights differ. */
static AtelierNnf *
identity_field (int width,
                int height)
{
  const int   r   = ATELIER_PATCH_RADIUS;
  AtelierNnf *nnf = atelier_nnf_new (width, height);
  int         x, y;

  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        int i = y * width + x;

        nnf->xy[2 * i]     = CLAMP (x, r, width - 1 - r);
        nnf->xy[2 * i + 1] = CLAMP (y, r, height - 1 - r);
        nnf->dist[i]       = 5.0f * test_noise (4, x, y);
      }
  return nnf;
}

static AtelierNnf *
random_field (int      width,
              int      height,
              int      ws,
              int      hs,
              uint32_t seed)
{
  AtelierNnf *nnf = atelier_nnf_new (width, height);
  int         i;

  g_assert_nonnull (nnf);
  test_random_matches (nnf, ws, hs, seed);
  for (i = 0; i < width * height; i++)
    nnf->dist[i] = test_noise (seed, i, 7);
  return nnf;
}

/* TRUE when every patch covering (x, y) -- centred within the radius,
 * inside the field -- is matched to its own centre. */
static gboolean
covered_by_identity (const AtelierNnf *nnf,
                     int               x,
                     int               y)
{
  const int r = ATELIER_PATCH_RADIUS;
  int       qx, qy;

  for (qy = MAX (y - r, 0); qy <= MIN (y + r, nnf->height - 1); qy++)
    for (qx = MAX (x - r, 0); qx <= MIN (x + r, nnf->width - 1); qx++)
      {
        const int32_t *m = nnf->xy + 2 * (qy * nnf->width + qx);

        if (m[0] != qx || m[1] != qy)
          return FALSE;
      }
  return TRUE;
}

/* The interior of identity_field (W, H): the pixels all of whose covering
 * patches have identity matches.  Centres are clamped to [r, w - 1 - r],
 * so these are the pixels r more inside: [2r, w - 1 - 2r]; checks that
 * and returns the bounds (inclusive). */
static void
identity_interior (const AtelierNnf *nnf,
                   int              *x0,
                   int              *x1,
                   int              *y0,
                   int              *y1)
{
  const int r = ATELIER_PATCH_RADIUS;
  int       x, y;

  *x0 = 2 * r;
  *x1 = nnf->width - 1 - 2 * r;
  *y0 = 2 * r;
  *y1 = nnf->height - 1 - 2 * r;
  /* the test's images have an interior */
  g_assert_cmpint (*x0, <=, *x1);
  g_assert_cmpint (*y0, <=, *y1);
  for (y = 0; y < nnf->height; y++)
    for (x = 0; x < nnf->width; x++)
      g_assert_cmpint (covered_by_identity (nnf, x, y), ==,
                       x >= *x0 && x <= *x1 && y >= *y0 && y <= *y1);
}

/* Every channel of out equals style's where the identity field's patches
 * all agree (identity_interior). */
static void
assert_interior_is_style (const AtelierNnf  *nnf,
                          const AtelierFeat *style,
                          const AtelierFeat *out)
{
  int x, y, c, x0, x1, y0, y1;

  identity_interior (nnf, &x0, &x1, &y0, &y1);
  for (y = y0; y <= y1; y++)
    for (x = x0; x <= x1; x++)
      for (c = 0; c < out->channels; c++)
        g_assert_cmpfloat_with_epsilon (atelier_feat_at (out, x, y)[c],
                                        atelier_feat_at (style, x, y)[c],
                                        1e-6f);
}

/* In the interior (ATELIER_PATCH_RADIUS pixels of clamped centres + as
 * many of patch radius) every proposal is the style pixel itself. */
static void
test_identity (void)
{
  static const int channels[] = { 1, 3, 5, 8 };
  AtelierContext *ctx = atelier_context_new (2);
  guint           i;
  int             x;

  for (i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      AtelierFeat *style = test_noise_feat (W, H, channels[i], 10);
      AtelierFeat *out   = atelier_feat_new (W, H, channels[i]);
      AtelierNnf  *nnf   = identity_field (W, H);

      g_assert_cmpint (atelier_vote (ctx, 0, nnf, style, out), ==, ATELIER_OK);
      assert_interior_is_style (nnf, style, out);
      /* and everywhere the output is a finite mix of style values */
      for (x = 0; x < W * H * channels[i]; x++)
        {
          g_assert_true (isfinite (out->data[x]));
          g_assert_cmpfloat (out->data[x], >=, 0.0f);
          g_assert_cmpfloat (out->data[x], <, 1.0f);
        }
      atelier_feat_free (style);
      atelier_feat_free (out);
      atelier_nnf_free (nnf);
    }
  atelier_context_free (ctx);
}

static void
test_constant (void)
{
  const float     colour[3] = { 0.2f, 0.7f, 0.45f };
  AtelierContext *ctx   = atelier_context_new (2);
  AtelierFeat    *style = atelier_feat_new (24, 20, 3);
  AtelierFeat    *out   = atelier_feat_new (W, H, 3);
  AtelierNnf     *nnf   = random_field (W, H, 24, 20, 3);
  int             i, c;

  for (i = 0; i < 24 * 20; i++)
    memcpy (style->data + 3 * i, colour, sizeof colour);
  g_assert_cmpint (atelier_vote (ctx, 0, nnf, style, out), ==, ATELIER_OK);
  for (i = 0; i < W * H; i++)
    for (c = 0; c < 3; c++)
      g_assert_cmpfloat_with_epsilon (out->data[3 * i + c], colour[c], 1e-6f);
  atelier_feat_free (style);
  atelier_feat_free (out);
  atelier_nnf_free (nnf);
  atelier_context_free (ctx);
}

/* Same bits for any thread count. */
static void
test_threads (void)
{
  static const int threads[] = { 2, 3, 0 };
  AtelierContext *ctx   = atelier_context_new (4);
  AtelierFeat    *style = test_noise_feat (30, 26, 5, 2);
  AtelierFeat    *ref   = atelier_feat_new (W, H, 5);
  AtelierFeat    *out   = atelier_feat_new (W, H, 5);
  AtelierNnf     *nnf   = random_field (W, H, 30, 26, 6);
  guint           i;

  g_assert_cmpint (atelier_vote (ctx, 1, nnf, style, ref), ==, ATELIER_OK);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      memset (out->data, 0, W * H * 5 * sizeof (float));
      g_assert_cmpint (atelier_vote (ctx, threads[i], nnf, style, out), ==,
                       ATELIER_OK);
      g_assert_cmpmem (out->data, W * H * 5 * sizeof (float),
                       ref->data, W * H * 5 * sizeof (float));
    }
  atelier_feat_free (style);
  atelier_feat_free (ref);
  atelier_feat_free (out);
  atelier_nnf_free (nnf);
  atelier_context_free (ctx);
}

/* Good matches (small distance) weigh more. */
static void
test_weights (void)
{
  AtelierNnf *nnf = atelier_nnf_new (16, 1);
  float      *w;
  int         i;

  for (i = 0; i < 16; i++)
    nnf->dist[i] = (float) i * i;
  w = atelier_vote_weights (nnf);
  g_assert_nonnull (w);
  for (i = 0; i < 16; i++)
    {
      g_assert_true (isfinite (w[i]));
      g_assert_cmpfloat (w[i], >, 0.0f);
      if (i > 0)
        g_assert_cmpfloat (w[i], <, w[i - 1]);
    }
  /* the weighting does not depend on the distances' units */
  {
    float *w2;

    for (i = 0; i < 16; i++)
      nnf->dist[i] *= 1000.0f;
    w2 = atelier_vote_weights (nnf);
    for (i = 0; i < 16; i++)
      g_assert_cmpfloat_with_epsilon (w2[i], w[i], 1e-3f * w[i]);
    g_free (w2);
  }
  /* all-zero distances are fine */
  memset (nnf->dist, 0, 16 * sizeof (float));
  g_free (w);
  w = atelier_vote_weights (nnf);
  for (i = 0; i < 16; i++)
    g_assert_true (isfinite (w[i]) && w[i] > 0.0f);
  g_free (w);
  atelier_nnf_free (nnf);
}

/* ---- scaled voting ---- */

/* At scale 1 with the style at the field's scale, scaled voting is an
 * identity too. */
static void
test_scaled_identity (void)
{
  AtelierContext *ctx   = atelier_context_new (2);
  AtelierFeat    *style = test_noise_feat (W, H, 3, 12);
  AtelierFeat    *out   = atelier_feat_new (W, H, 3);
  AtelierNnf     *nnf   = identity_field (W, H);
  float          *w     = atelier_vote_weights (nnf);

  g_assert_cmpint (atelier_vote_scaled (ctx, 0, nnf, w, style, 1.0f, 1.0f,
                                        1.0f, 1.0f, 0, 0, out), ==,
                   ATELIER_OK);
  assert_interior_is_style (nnf, style, out);
  g_free (w);
  atelier_feat_free (style);
  atelier_feat_free (out);
  atelier_nnf_free (nnf);
  atelier_context_free (ctx);
}

/* Upscaled render of a constant style is that constant. */
static void
test_scaled_constant (void)
{
  AtelierContext *ctx   = atelier_context_new (2);
  AtelierFeat    *style = atelier_feat_new (50, 44, 3);
  AtelierFeat    *out   = atelier_feat_new (100, 90, 3);
  AtelierNnf     *nnf   = random_field (W, H, 25, 22, 31);
  float          *w     = atelier_vote_weights (nnf);
  int             i;

  for (i = 0; i < 50 * 44 * 3; i++)
    style->data[i] = 0.375f + 0.125f * (i % 3);
  g_assert_cmpint (atelier_vote_scaled (ctx, 0, nnf, w, style, 2.5f, 2.5f,
                                        2.0f, 2.0f, 0, 0, out), ==,
                   ATELIER_OK);
  for (i = 0; i < 100 * 90 * 3; i++)
    g_assert_cmpfloat_with_epsilon (out->data[i], 0.375f + 0.125f * (i % 3),
                                    1e-6f);
  g_free (w);
  atelier_feat_free (style);
  atelier_feat_free (out);
  atelier_nnf_free (nnf);
  atelier_context_free (ctx);
}

/* A tile rendered at (x0, y0) is bit for bit the same region of a whole
 * render: the staged API relies on it. */
static void
test_scaled_tiles (void)
{
  AtelierContext *ctx   = atelier_context_new (3);
  AtelierFeat    *style = test_noise_feat (75, 66, 3, 40);
  AtelierFeat    *whole = atelier_feat_new (110, 99, 3);
  AtelierNnf     *nnf   = random_field (W, H, 25, 22, 41);
  float          *w     = atelier_vote_weights (nnf);
  static const int tiles[][4] = {
    { 0, 0, 110, 99 }, { 0, 0, 1, 1 }, { 37, 12, 20, 50 }, { 109, 98, 1, 1 },
    { 5, 60, 100, 39 }
  };
  guint           t;
  int             x, y;

  g_assert_cmpint (atelier_vote_scaled (ctx, 0, nnf, w, style, 110.0f / W,
                                        99.0f / H, 3.0f, 3.0f, 0, 0, whole),
                   ==, ATELIER_OK);
  for (t = 0; t < G_N_ELEMENTS (tiles); t++)
    {
      AtelierFeat *tile = atelier_feat_new (tiles[t][2], tiles[t][3], 3);

      g_assert_cmpint (atelier_vote_scaled (ctx, 1, nnf, w, style, 110.0f / W,
                                            99.0f / H, 3.0f, 3.0f, tiles[t][0],
                                            tiles[t][1], tile), ==,
                       ATELIER_OK);
      for (y = 0; y < tiles[t][3]; y++)
        for (x = 0; x < tiles[t][2]; x++)
          g_assert_cmpmem (atelier_feat_at (tile, x, y), 3 * sizeof (float),
                           atelier_feat_at (whole, tiles[t][0] + x,
                                            tiles[t][1] + y),
                           3 * sizeof (float));
      atelier_feat_free (tile);
    }
  g_free (w);
  atelier_feat_free (style);
  atelier_feat_free (whole);
  atelier_nnf_free (nnf);
  atelier_context_free (ctx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/voting/identity", test_identity);
  g_test_add_func ("/engine/voting/constant", test_constant);
  g_test_add_func ("/engine/voting/threads", test_threads);
  g_test_add_func ("/engine/voting/weights", test_weights);
  g_test_add_func ("/engine/voting/scaled-identity", test_scaled_identity);
  g_test_add_func ("/engine/voting/scaled-constant", test_scaled_constant);
  g_test_add_func ("/engine/voting/scaled-tiles", test_scaled_tiles);
  return g_test_run ();
}
