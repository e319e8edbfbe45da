/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: image pyramids and feature-image resizing. */
#include "atelier.h"
#include "internal.h"

#include "test_feat.h"

#include <math.h>
#include <string.h>

static void
feat_mean (const AtelierFeat *f,
           double            *mean)
{
  size_t i, n = (size_t) f->width * f->height;
  int    c;

  for (c = 0; c < f->channels; c++)
    mean[c] = 0.0;
  for (i = 0; i < n; i++)
    for (c = 0; c < f->channels; c++)
      mean[c] += f->data[i * f->channels + c];
  for (c = 0; c < f->channels; c++)
    mean[c] /= n;
}

/* ---- level count and sizes ---- */

/* The pyramid's rule (pyramid.c; stylize.c's count_levels asks for more,
 * 2 * ATELIER_PATCH on the short sides, and passes its count on as
 * max_levels): below a level of w x h comes one of
 * ceil(w/2) x ceil(h/2) while there are fewer than max_levels, the long
 * side halved is at least min_side and the short side halved is at least
 * ATELIER_PATCH (so every level holds a whole patch). */
typedef enum
{
  STOP_ANY = -1,     /* (in a case) whichever; only the count counts */
  STOP_MAX_LEVELS,   /* max_levels reached                        */
  STOP_MIN_SIDE,     /* the long side would fall below min_side   */
  STOP_PATCH         /* the short side would fall below the patch */
} StopReason;

static int
expected_levels (int         w,
                 int         h,
                 int         min_side,
                 int         max_levels,
                 StopReason *why)
{
  int n = 1;

  for (;;)
    {
      if (n >= max_levels)
        {
          *why = STOP_MAX_LEVELS;
          return n;
        }
      if (MAX (w, h) / 2 < min_side)
        {
          *why = STOP_MIN_SIDE;
          return n;
        }
      if (MIN (w, h) / 2 < ATELIER_PATCH)
        {
          *why = STOP_PATCH;
          return n;
        }
      w = (w + 1) / 2;
      h = (h + 1) / 2;
      n++;
    }
}

#define P ATELIER_PATCH

typedef struct
{
  int        w, h, min_side, max_levels;
  int        n_levels;   /* > 0: the count itself; 0: by expected_levels */
  StopReason why;        /* what stops it                                */
  int        sizes[8][2];/* level sizes as far as listed; then halving   */
} LevelCase;

static const LevelCase level_cases[] = {
  /* the short side stops it, exactly at the bound: s / 2 >= P holds for
   * s = 2P (one halving) and fails for 2P - 1; 4P - 1 rounds up to 2P */
  { 3 * P, 2 * P,     1, 10, 2, STOP_PATCH, { { 0 } } },
  { 3 * P, 2 * P - 1, 1, 10, 1, STOP_PATCH, { { 0 } } },
  { 4 * P - 2, 9 * P, 1, 10, 2, STOP_PATCH, { { 0 } } },
  { 4 * P - 1, 9 * P, 1, 10, 3, STOP_PATCH, { { 0 } } },
  { 8 * P, 8 * P,     1, 10, 4, STOP_PATCH, { { 0 } } },
  /* max_levels caps */
  { 8 * P, 8 * P,     1, 3,  3, STOP_MAX_LEVELS, { { 0 } } },
  { 8 * P, 8 * P,     1, 2,  2, STOP_MAX_LEVELS, { { 0 } } },
  { 8 * P, 8 * P,     1, 1,  1, STOP_MAX_LEVELS, { { 0 } } },
  /* min_side on the long side stops it, exactly at the bound */
  { 8 * P, 4 * P,     4 * P,     10, 2, STOP_MIN_SIDE, { { 0 } } },
  { 8 * P, 4 * P,     4 * P + 1, 10, 1, STOP_MIN_SIDE, { { 0 } } },
  { 8 * P, 16 * P,    4 * P,     10, 3, STOP_MIN_SIDE, { { 0 } } },
  /* fixed sizes (odd ones round up), counted by the rule: which bound
   * stops them depends on ATELIER_PATCH */
  { 64, 32, 1, 10,   0, STOP_ANY, { { 64, 32 }, { 32, 16 }, { 16, 8 } } },
  { 37, 20, 4, 10,   0, STOP_ANY, { { 37, 20 }, { 19, 10 }, { 10, 5 } } },
  { 101, 101, 1, 10, 0, STOP_ANY, { { 101, 101 }, { 51, 51 }, { 26, 26 },
                                    { 13, 13 }, { 7, 7 } } },
  { 64, 32, 1, 2,    0, STOP_ANY, { { 64, 32 }, { 32, 16 } } },
  { 64, 32, 1, 1,    1, STOP_MAX_LEVELS, { { 64, 32 } } },
  { 64, 32, 20, 10,  0, STOP_ANY, { { 64, 32 }, { 32, 16 } } },
  { 200, 12, 1, 10,  0, STOP_ANY, { { 200, 12 }, { 100, 6 } } },
  /* too small to halve */
  { 2 * P - 1, 2 * P - 1, 1, 10, 1, STOP_PATCH, { { 0 } } },
  { 2, 2, 1, 10,     1, STOP_PATCH, { { 0 } } },
};

#undef P

static void
test_levels (void)
{
  guint i;
  int   k;

  for (i = 0; i < G_N_ELEMENTS (level_cases); i++)
    {
      const LevelCase *lc   = &level_cases[i];
      AtelierFeat     *base = test_noise_feat (lc->w, lc->h, 3, 1);
      AtelierPyramid  *p    = atelier_pyramid_new (base, lc->min_side,
                                                   lc->max_levels);
      StopReason       why;
      int              n = expected_levels (lc->w, lc->h, lc->min_side,
                                            lc->max_levels, &why);
      int              w = lc->w, h = lc->h;

      g_assert_nonnull (p);
      g_test_message ("%dx%d min %d max %d: %d levels (%d expected)",
                      lc->w, lc->h, lc->min_side, lc->max_levels,
                      p->n_levels, n);
      /* the case tests what it says, and the rule gives its count */
      if (lc->why != STOP_ANY)
        g_assert_cmpint (why, ==, lc->why);
      if (lc->n_levels > 0)
        g_assert_cmpint (n, ==, lc->n_levels);
      g_assert_cmpint (p->n_levels, ==, n);
      for (k = 0; k < p->n_levels; k++)
        {
          if (k < 8 && lc->sizes[k][0] > 0)
            {
              g_assert_cmpint (lc->sizes[k][0], ==, w);
              g_assert_cmpint (lc->sizes[k][1], ==, h);
            }
          g_assert_cmpint (p->levels[k]->width, ==, w);
          g_assert_cmpint (p->levels[k]->height, ==, h);
          g_assert_cmpint (p->levels[k]->channels, ==, 3);
          w = (w + 1) / 2;
          h = (h + 1) / 2;
        }
      /* level 0 is a copy, not the base itself */
      g_assert_true (p->levels[0] != base);
      g_assert_cmpmem (p->levels[0]->data,
                       (gsize) lc->w * lc->h * 3 * sizeof (float),
                       base->data, (gsize) lc->w * lc->h * 3 * sizeof (float));
      atelier_pyramid_free (p);
      atelier_feat_free (base);
    }
  atelier_pyramid_free (NULL);
}

/* Area averaging keeps the mean colour at every level. */
static void
test_mean (void)
{
  AtelierFeat    *base = test_noise_feat (64, 128, 3, 7);
  AtelierPyramid *p    = atelier_pyramid_new (base, 1, 10);
  double          m0[3], m[3];
  int             k, c;

  g_assert_nonnull (p);
  g_assert_cmpint (p->n_levels, >=, 4);
  feat_mean (base, m0);
  for (k = 1; k < p->n_levels; k++)
    {
      feat_mean (p->levels[k], m);
      for (c = 0; c < 3; c++)
        g_assert_cmpfloat_with_epsilon (m[c], m0[c], 1e-3);
    }
  /* and each coarse pixel is the mean of its 2x2 block */
  for (c = 0; c < 3; c++)
    {
      float block = 0.25f * (atelier_feat_at (base, 10, 20)[c] +
                             atelier_feat_at (base, 11, 20)[c] +
                             atelier_feat_at (base, 10, 21)[c] +
                             atelier_feat_at (base, 11, 21)[c]);

      g_assert_cmpfloat_with_epsilon (atelier_feat_at (p->levels[1], 5, 10)[c],
                                      block, 1e-6f);
    }
  atelier_pyramid_free (p);
  atelier_feat_free (base);
}

/* ---- resize ---- */

static void
test_resize_identity (void)
{
  static const int channels[] = { 1, 3, 4, 5, 16 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (channels); i++)
    {
      AtelierFeat *src  = test_noise_feat (23, 17, channels[i], 3);
      AtelierFeat *dst  = atelier_feat_resize (src, 23, 17);
      gsize        size = (gsize) 23 * 17 * channels[i] * sizeof (float);

      g_assert_nonnull (dst);
      g_assert_true (dst->data != src->data);
      g_assert_cmpint (dst->channels, ==, channels[i]);
      g_assert_cmpmem (dst->data, size, src->data, size);
      atelier_feat_free (src);
      atelier_feat_free (dst);
    }
}

static void
test_resize_constant (void)
{
  static const int sizes[][2] = {
    { 10, 7 }, { 16, 16 }, { 1, 1 }, { 37, 23 }, { 5, 23 }, { 80, 50 },
    { 100, 3 }
  };
  const float  value[3] = { 0.1f, 0.55f, 0.9f };
  AtelierFeat *src = atelier_feat_new (37, 23, 3);
  size_t       i;
  guint        s;
  int          c;

  for (i = 0; i < (size_t) 37 * 23; i++)
    memcpy (src->data + 3 * i, value, sizeof value);
  for (s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      AtelierFeat *dst = atelier_feat_resize (src, sizes[s][0], sizes[s][1]);

      g_assert_nonnull (dst);
      g_assert_cmpint (dst->width, ==, sizes[s][0]);
      g_assert_cmpint (dst->height, ==, sizes[s][1]);
      for (i = 0; i < (size_t) dst->width * dst->height; i++)
        for (c = 0; c < 3; c++)
          g_assert_cmpfloat_with_epsilon (dst->data[3 * i + c], value[c],
                                          1e-6f);
      atelier_feat_free (dst);
    }
  atelier_feat_free (src);
}

/* Upscaling is bilinear between pixel centres: a linear ramp stays a
 * linear ramp away from the clamped borders. */
static void
test_resize_up (void)
{
  AtelierFeat *src = atelier_feat_new (8, 4, 1);
  AtelierFeat *dst;
  int          x, y;

  for (y = 0; y < 4; y++)
    for (x = 0; x < 8; x++)
      atelier_feat_at (src, x, y)[0] = (float) x;
  dst = atelier_feat_resize (src, 32, 8);
  g_assert_nonnull (dst);
  for (y = 0; y < 8; y++)
    for (x = 2; x < 30; x++)
      g_assert_cmpfloat_with_epsilon (atelier_feat_at (dst, x, y)[0],
                                      (x + 0.5f) / 4.0f - 0.5f, 1e-5f);
  /* clamped at the ends */
  g_assert_cmpfloat (atelier_feat_at (dst, 0, 0)[0], ==, 0.0f);
  g_assert_cmpfloat (atelier_feat_at (dst, 31, 0)[0], ==, 7.0f);
  atelier_feat_free (src);
  atelier_feat_free (dst);
}

/* ---- other feature-image helpers ---- */

static void
test_feat_helpers (void)
{
  AtelierFeat *f = test_noise_feat (12, 9, 3, 4);
  AtelierFeat *l = atelier_feat_luma (f);
  AtelierFeat *c;
  float        out[3];
  int          x, y, k;

  g_assert_null (atelier_feat_new (0, 4, 1));
  g_assert_null (atelier_feat_new (4, 4, 0));
  atelier_feat_free (NULL);

  /* luma is Rec. 601 */
  g_assert_nonnull (l);
  g_assert_cmpint (l->channels, ==, 1);
  for (y = 0; y < 9; y++)
    for (x = 0; x < 12; x++)
      {
        const float *p = atelier_feat_at (f, x, y);

        g_assert_cmpfloat_with_epsilon (atelier_feat_at (l, x, y)[0],
                                        0.299f * p[0] + 0.587f * p[1] +
                                        0.114f * p[2], 1e-6f);
      }

  /* bilinear samples: exact at centres, mixed between, clamped outside */
  atelier_feat_sample (f, 3.0f, 4.0f, out);
  g_assert_cmpmem (out, sizeof out, atelier_feat_at (f, 3, 4), sizeof out);
  atelier_feat_sample (f, 3.5f, 4.0f, out);
  for (k = 0; k < 3; k++)
    g_assert_cmpfloat_with_epsilon (out[k],
                                    0.5f * (atelier_feat_at (f, 3, 4)[k] +
                                            atelier_feat_at (f, 4, 4)[k]),
                                    1e-6f);
  atelier_feat_sample (f, -5.0f, 100.0f, out);
  g_assert_cmpmem (out, sizeof out, atelier_feat_at (f, 0, 8), sizeof out);

  /* blur keeps a constant image constant and smooths noise */
  c = atelier_feat_resize (l, 12, 9);
  g_assert_cmpint (atelier_feat_blur (c, 1.5f), ==, ATELIER_OK);
  {
    double before = 0.0, after = 0.0, m0[1], m1[1];

    feat_mean (l, m0);
    feat_mean (c, m1);
    for (k = 0; k < 12 * 9; k++)
      {
        before += (l->data[k] - m0[0]) * (l->data[k] - m0[0]);
        after  += (c->data[k] - m1[0]) * (c->data[k] - m1[0]);
      }
    g_assert_cmpfloat (after, <, 0.5 * before);
  }
  for (k = 0; k < 12 * 9; k++)
    c->data[k] = 0.25f;
  g_assert_cmpint (atelier_feat_blur (c, 2.0f), ==, ATELIER_OK);
  for (k = 0; k < 12 * 9; k++)
    g_assert_cmpfloat_with_epsilon (c->data[k], 0.25f, 1e-6f);

  atelier_feat_free (c);
  atelier_feat_free (l);
  atelier_feat_free (f);
}

/* atelier_feat_from_image drops alpha, honours the stride and clamps
 * colours to 0..1 (NaN to 0). */
static void
test_from_image (void)
{
  AtelierImage img = test_image_content (7, 5, 3);
  AtelierFeat *f;
  int          x, y, k;

  test_pixel (&img, 1, 1)[0] = -3.0f;
  test_pixel (&img, 2, 1)[1] = 4.0f;
  test_pixel (&img, 3, 1)[2] = NAN;
  f = atelier_feat_from_image (&img);
  g_assert_nonnull (f);
  g_assert_cmpint (f->channels, ==, 3);
  for (y = 0; y < 5; y++)
    for (x = 0; x < 7; x++)
      for (k = 0; k < 3; k++)
        {
          float v = test_pixel (&img, x, y)[k];

          v = isnan (v) ? 0.0f : CLAMP (v, 0.0f, 1.0f);
          g_assert_cmpfloat (atelier_feat_at (f, x, y)[k], ==, v);
        }
  atelier_feat_free (f);
  test_image_free (&img);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/pyramid/levels", test_levels);
  g_test_add_func ("/engine/pyramid/mean", test_mean);
  g_test_add_func ("/engine/pyramid/resize-identity", test_resize_identity);
  g_test_add_func ("/engine/pyramid/resize-constant", test_resize_constant);
  g_test_add_func ("/engine/pyramid/resize-up", test_resize_up);
  g_test_add_func ("/engine/pyramid/feat-helpers", test_feat_helpers);
  g_test_add_func ("/engine/pyramid/from-image", test_from_image);
  return g_test_run ();
}
