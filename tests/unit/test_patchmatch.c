/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: nearest-neighbour fields (exact search, PatchMatch passes,
 * upsampling) on descriptors built from a noise texture. */
#include "atelier.h"
#include "internal.h"

#include "test_feat.h"

#include <math.h>
#include <string.h>

#define WS 72   /* style */
#define HS 56
#define WT 56   /* target: the style shifted by (DX, DY) */
#define HT 48
#define DX 7
#define DY 3
#define DIM 8   /* PCA components of an ATELIER_PATCH^2 patch */

typedef struct
{
  AtelierContext    *ctx;
  AtelierFeat       *style;
  AtelierFeat       *target;
  AtelierPca        *pca;
  float             *sdesc;
  float             *tdesc;
  AtelierDescriptors d;
} Scene;

static void
scene_init (Scene *s)
{
  const int    r = ATELIER_PATCH_RADIUS;
  const float  w[1] = { 1.0f };
  const int    dim = ATELIER_PATCH * ATELIER_PATCH;
  float       *samples;
  int          x, y, n = 0;

  s->ctx    = atelier_context_new (4);
  s->style  = atelier_feat_new (WS, HS, 1);
  s->target = atelier_feat_new (WT, HT, 1);
  for (y = 0; y < HS; y++)
    for (x = 0; x < WS; x++)
      atelier_feat_at (s->style, x, y)[0] = test_noise (17, x, y);
  for (y = 0; y < HT; y++)
    for (x = 0; x < WT; x++)
      atelier_feat_at (s->target, x, y)[0] =
        atelier_feat_at (s->style, x + DX, y + DY)[0];

  /* a PCA learned from every interior patch of the style */
  samples = g_new (float, (gsize) (WS - 2 * r) * (HS - 2 * r) * dim);
  for (y = r; y < HS - r; y++)
    for (x = r; x < WS - r; x++)
      atelier_patch_gather (s->style, x, y, w, samples + (gsize) n++ * dim);
  s->pca = atelier_pca_new (samples, n, dim, DIM);
  g_assert_nonnull (s->pca);
  g_free (samples);

  s->sdesc = g_new (float, WS * HS * DIM);
  s->tdesc = g_new (float, WT * HT * DIM);
  g_assert_cmpint (atelier_pca_project_image (s->ctx, 0, s->pca, s->style, w,
                                              s->sdesc), ==, ATELIER_OK);
  g_assert_cmpint (atelier_pca_project_image (s->ctx, 0, s->pca, s->target, w,
                                              s->tdesc), ==, ATELIER_OK);
  s->d = (AtelierDescriptors) { DIM, WS, HS, s->sdesc, WT, HT, s->tdesc };
}

static void
scene_clear (Scene *s)
{
  atelier_feat_free (s->style);
  atelier_feat_free (s->target);
  atelier_pca_free (s->pca);
  g_free (s->sdesc);
  g_free (s->tdesc);
  atelier_context_free (s->ctx);
}

/* A random field over the valid style centres, scored. */
static AtelierNnf *
random_field (Scene   *s,
              uint32_t seed)
{
  AtelierNnf *nnf = atelier_nnf_new (WT, HT);

  g_assert_nonnull (nnf);
  test_random_matches (nnf, WS, HS, seed);
  atelier_nnf_rescore (s->ctx, 1, &s->d, nnf);
  return nnf;
}

/* Two WT x HT fields with the same matches and the same distances, bit
 * for bit. */
static void
assert_nnf_equal (const AtelierNnf *a,
                  const AtelierNnf *b)
{
  g_assert_cmpmem (a->xy, WT * HT * 2 * sizeof (int32_t),
                   b->xy, WT * HT * 2 * sizeof (int32_t));
  g_assert_cmpmem (a->dist, WT * HT * sizeof (float),
                   b->dist, WT * HT * sizeof (float));
}

/* Share of interior target pixels that map to (x + DX, y + DY). */
static double
shift_found (const AtelierNnf *nnf)
{
  const int r = ATELIER_PATCH_RADIUS;
  int       x, y, good = 0, total = 0;

  for (y = r; y < HT - r; y++)
    for (x = r; x < WT - r; x++)
      {
        const int32_t *m = nnf->xy + 2 * (y * WT + x);

        total++;
        good += m[0] == x + DX && m[1] == y + DY;
      }
  return (double) good / total;
}

/* Every match is a valid patch centre: [r, w - 1 - r]. */
static void
assert_valid (const AtelierNnf *nnf)
{
  const int r = ATELIER_PATCH_RADIUS;
  int       i;

  for (i = 0; i < nnf->width * nnf->height; i++)
    {
      g_assert_cmpint (nnf->xy[2 * i], >=, r);
      g_assert_cmpint (nnf->xy[2 * i], <=, WS - 1 - r);
      g_assert_cmpint (nnf->xy[2 * i + 1], >=, r);
      g_assert_cmpint (nnf->xy[2 * i + 1], <=, HS - 1 - r);
      g_assert_true (isfinite (nnf->dist[i]));
      g_assert_cmpfloat (nnf->dist[i], >=, 0.0f);
    }
}

static void
test_exact (void)
{
  const int   r = ATELIER_PATCH_RADIUS;
  Scene       s;
  AtelierNnf *nnf, *nnf2;
  double      found;
  int         x, y;

  scene_init (&s);
  nnf = atelier_nnf_new (WT, HT);
  g_assert_cmpint (atelier_nnf_exact (s.ctx, 1, &s.d, nnf), ==, ATELIER_OK);
  assert_valid (nnf);
  found = shift_found (nnf);
  g_test_message ("exact: %.1f%% found", 100.0 * found);
  g_assert_cmpfloat (found, >=, 0.95);
  /* the true matches cost (next to) nothing where the target patch is
   * not clamped at the border: centres in [r, WT - 1 - r] */
  for (y = r; y <= HT - 1 - r; y++)
    for (x = r; x <= WT - 1 - r; x++)
      if (nnf->xy[2 * (y * WT + x)] == x + DX)
        g_assert_cmpfloat (nnf->dist[y * WT + x], <, 1e-4f);

  /* any thread count, same field */
  nnf2 = atelier_nnf_new (WT, HT);
  g_assert_cmpint (atelier_nnf_exact (s.ctx, 0, &s.d, nnf2), ==, ATELIER_OK);
  assert_nnf_equal (nnf, nnf2);
  atelier_nnf_free (nnf);
  atelier_nnf_free (nnf2);
  scene_clear (&s);
}

static void
test_passes (void)
{
  Scene       s;
  AtelierNnf *nnf;
  float      *before = g_new (float, WT * HT);
  double      found = 0.0;
  int         it, i;

  scene_init (&s);
  nnf = random_field (&s, 5);
  g_assert_cmpfloat (shift_found (nnf), <, 0.05);
  for (it = 0; it < 8; it++)
    {
      memcpy (before, nnf->dist, WT * HT * sizeof (float));
      g_assert_cmpint (atelier_patchmatch_pass (s.ctx, 2, &s.d, nnf, 0.0f,
                                                0.0f, 99, it), ==, ATELIER_OK);
      assert_valid (nnf);
      /* without the occurrence penalty no match gets worse */
      for (i = 0; i < WT * HT; i++)
        g_assert_cmpfloat (nnf->dist[i], <=, before[i]);
      found = shift_found (nnf);
      g_test_message ("pass %d: %.1f%% found", it, 100.0 * found);
    }
  g_assert_cmpfloat (found, >=, 0.95);
  g_free (before);
  atelier_nnf_free (nnf);
  scene_clear (&s);
}

/* After a pass, dist is the descriptor distance of the stored match. */
static void
test_rescore (void)
{
  Scene       s;
  AtelierNnf *nnf;
  int         i, k;

  scene_init (&s);
  nnf = random_field (&s, 8);
  g_assert_cmpint (atelier_patchmatch_pass (s.ctx, 2, &s.d, nnf, 0.3f, 0.0f, 4,
                                            1), ==, ATELIER_OK);
  for (i = 0; i < WT * HT; i++)
    {
      const float *t = s.tdesc + (gsize) i * DIM;
      const float *m = s.sdesc + ((gsize) nnf->xy[2 * i + 1] * WS +
                                  nnf->xy[2 * i]) * DIM;
      double       acc = 0.0;

      for (k = 0; k < DIM; k++)
        acc += ((double) t[k] - m[k]) * ((double) t[k] - m[k]);
      g_assert_cmpfloat_with_epsilon (nnf->dist[i], acc, 1e-5 * (1.0 + acc));
    }
  atelier_nnf_free (nnf);
  scene_clear (&s);
}

/* Same bits for any thread count, with and without the occurrence
 * penalty: the target is split in fixed bands. */
static void
test_threads (void)
{
  static const int threads[] = { 1, 2, 3, 4, 0 };
  Scene       s;
  AtelierNnf *ref = NULL;
  guint       t;
  int         it;

  scene_init (&s);
  for (t = 0; t < G_N_ELEMENTS (threads); t++)
    {
      AtelierNnf *nnf = random_field (&s, 21);

      for (it = 0; it < 4; it++)
        g_assert_cmpint (atelier_patchmatch_pass (s.ctx, threads[t], &s.d, nnf,
                                                  it < 2 ? 0.0f : 0.5f, 0.0f,
                                                  1234, it), ==, ATELIER_OK);
      atelier_nnf_rescore (s.ctx, threads[t], &s.d, nnf);
      if (! ref)
        {
          ref = nnf;
          continue;
        }
      assert_nnf_equal (nnf, ref);
      atelier_nnf_free (nnf);
    }
  atelier_nnf_free (ref);
  scene_clear (&s);
}

/* A different seed searches differently. */
static void
test_seed (void)
{
  Scene       s;
  AtelierNnf *a, *b;

  scene_init (&s);
  a = random_field (&s, 3);
  b = random_field (&s, 3);
  g_assert_cmpint (atelier_patchmatch_pass (s.ctx, 1, &s.d, a, 0.0f, 0.0f, 1,
                                            0), ==, ATELIER_OK);
  g_assert_cmpint (atelier_patchmatch_pass (s.ctx, 1, &s.d, b, 0.0f, 0.0f, 2,
                                            0), ==, ATELIER_OK);
  g_assert_true (memcmp (a->xy, b->xy, WT * HT * 2 * sizeof (int32_t)) != 0);
  atelier_nnf_free (a);
  atelier_nnf_free (b);
  scene_clear (&s);
}

/* The occurrence penalty spreads matches: a flat target (every style
 * patch fits about as well) uses more distinct style patches with it. */
static void
test_occurrence (void)
{
  Scene       s;
  int         with_penalty = 0, without = 0;
  int         round;

  scene_init (&s);
  for (round = 0; round < 2; round++)
    {
      AtelierNnf *nnf = random_field (&s, 77);
      guint8     *used = g_new0 (guint8, WS * HS);
      int         i, it, n = 0;

      /* every target pixel's descriptor: that of one style patch */
      for (i = 0; i < WT * HT; i++)
        memcpy (s.tdesc + (gsize) i * DIM,
                s.sdesc + ((gsize) 20 * WS + 30) * DIM, DIM * sizeof (float));
      atelier_nnf_rescore (s.ctx, 1, &s.d, nnf);
      for (it = 0; it < 4; it++)
        {
          float mean = 0.0f;

          for (i = 0; i < WT * HT; i++)
            mean += nnf->dist[i] / (WT * HT);
          g_assert_cmpint (atelier_patchmatch_pass (s.ctx, 2, &s.d, nnf,
                                                    round == 0 ? 0.0f :
                                                    2.0f * mean + 1e-3f,
                                                    0.0f, 5, it), ==,
                           ATELIER_OK);
        }
      for (i = 0; i < WT * HT; i++)
        {
          int k = nnf->xy[2 * i + 1] * WS + nnf->xy[2 * i];

          n += ! used[k];
          used[k] = 1;
        }
      if (round == 0)
        without = n;
      else
        with_penalty = n;
      g_free (used);
      atelier_nnf_free (nnf);
    }
  g_test_message ("distinct style patches: %d without, %d with penalty",
                  without, with_penalty);
  /* the counts follow the compiler's float rounding (gcc 12: more than
   * twice as many with the penalty, gcc 14: 340 against 173): the
   * property is that the penalty spreads the matches, by half again at
   * least */
  g_assert_cmpint (2 * with_penalty, >, 3 * without);
  scene_clear (&s);
}

/* Upsampling doubles the coordinates and keeps each 2x2 block coherent:
 * neighbours inside it map to neighbours. */
static void
test_upsample (void)
{
  const int   r      = ATELIER_PATCH_RADIUS;
  AtelierNnf *coarse = atelier_nnf_new (WT, HT);
  AtelierNnf *fine   = atelier_nnf_new (2 * WT, 2 * HT);
  int         x, y;

  /* the shift field: fine is the shift by (2 DX, 2 DY) everywhere */
  for (y = 0; y < HT; y++)
    for (x = 0; x < WT; x++)
      {
        coarse->xy[2 * (y * WT + x)]     = x + DX;
        coarse->xy[2 * (y * WT + x) + 1] = y + DY;
      }
  atelier_nnf_upsample (coarse, WS, HS, 2 * WS, 2 * HS, fine);
  for (y = 0; y < 2 * HT; y++)
    for (x = 0; x < 2 * WT; x++)
      {
        g_assert_cmpint (fine->xy[2 * (y * 2 * WT + x)], ==, x + 2 * DX);
        g_assert_cmpint (fine->xy[2 * (y * 2 * WT + x) + 1], ==, y + 2 * DY);
      }

  /* a random field: each fine pixel is its parent's match doubled plus
   * its place in the block, clamped to the valid centres */
  test_random_matches (coarse, WS, HS, 9);
  atelier_nnf_upsample (coarse, WS, HS, 2 * WS, 2 * HS, fine);
  for (y = 0; y < 2 * HT; y++)
    for (x = 0; x < 2 * WT; x++)
      {
        const int32_t *c = coarse->xy + 2 * ((y / 2) * WT + x / 2);
        const int32_t *f = fine->xy + 2 * (y * 2 * WT + x);

        g_assert_cmpint (f[0], ==, CLAMP (2 * c[0] + x % 2, r, 2 * WS - 1 - r));
        g_assert_cmpint (f[1], ==, CLAMP (2 * c[1] + y % 2, r, 2 * HS - 1 - r));
      }
  atelier_nnf_free (coarse);
  atelier_nnf_free (fine);
}

/* Upsampling to sizes that are not a factor of two keeps matches valid
 * and mostly coherent. */
static void
test_upsample_odd (void)
{
  const int   r      = ATELIER_PATCH_RADIUS;
  const int   fw  = 2 * WT - 1, fh  = 2 * HT - 3;
  const int   fws = 2 * WS - 1, fhs = 2 * HS - 1;
  AtelierNnf *coarse = atelier_nnf_new (WT, HT);
  AtelierNnf *fine   = atelier_nnf_new (fw, fh);
  int         x, y, coherent = 0, pairs = 0;

  for (y = 0; y < HT; y++)
    for (x = 0; x < WT; x++)
      {
        coarse->xy[2 * (y * WT + x)]     = x + DX;
        coarse->xy[2 * (y * WT + x) + 1] = y + DY;
      }
  atelier_nnf_upsample (coarse, WS, HS, fws, fhs, fine);
  for (y = 0; y < fh; y++)
    for (x = 0; x < fw; x++)
      {
        const int32_t *f = fine->xy + 2 * (y * fw + x);

        g_assert_cmpint (f[0], >=, r);
        g_assert_cmpint (f[0], <=, fws - 1 - r);
        g_assert_cmpint (f[1], >=, r);
        g_assert_cmpint (f[1], <=, fhs - 1 - r);
        if (x > 0)
          {
            pairs++;
            coherent += f[0] == f[-2] + 1 && f[1] == f[-1];
          }
      }
  g_test_message ("%d of %d horizontal neighbours coherent", coherent, pairs);
  g_assert_cmpint (coherent, >=, pairs * 9 / 10);
  atelier_nnf_free (coarse);
  atelier_nnf_free (fine);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/patchmatch/exact", test_exact);
  g_test_add_func ("/engine/patchmatch/passes", test_passes);
  g_test_add_func ("/engine/patchmatch/rescore", test_rescore);
  g_test_add_func ("/engine/patchmatch/threads", test_threads);
  g_test_add_func ("/engine/patchmatch/seed", test_seed);
  g_test_add_func ("/engine/patchmatch/occurrence", test_occurrence);
  g_test_add_func ("/engine/patchmatch/upsample", test_upsample);
  g_test_add_func ("/engine/patchmatch/upsample-odd", test_upsample_odd);
  return g_test_run ();
}
