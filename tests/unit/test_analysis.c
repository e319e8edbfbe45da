/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: the content analysis (analysis.c) decides the same about an
 * image at every working size and grain, and tells a product standing on
 * its backdrop from a sky or a wall behind a person.
 *
 * The scenes are drawn in frame coordinates (0..1), so that the same scene
 * can be made at any size; grain is added at the largest size and the
 * smaller ones are resized from it, as a photo's preview is. */
#include "atelier.h"
#include "synth.h"

#include "test_feat.h"

#include <math.h>

typedef enum
{
  SCENE_PRODUCT,    /* a striped box on a white backdrop, margin all round */
  SCENE_SKY,        /* a clear sky over the upper half, ground below       */
  SCENE_PORTRAIT,   /* a flat wall behind a figure cut by the bottom edge  */
} Scene;

/* Texture that stays texture at every size drawn here: a few stripes
 * across the frame, periods from 1/9 to 1/23 of it. */
static float
texture (float u, float v)
{
  return 0.5f + 0.15f * sinf (57.0f * u + 20.0f * v) +
         0.1f * sinf (31.0f * v - 90.0f * u) + 0.08f * sinf (140.0f * v);
}

static float
scene_luma (Scene s, float u, float v)
{
  switch (s)
    {
    case SCENE_PRODUCT:
      if (u > 0.3f && u < 0.7f && v > 0.2f && v < 0.8f)
        return texture (u, v);
      return 0.93f + 0.02f * v;                 /* a soft studio gradient */
    case SCENE_SKY:
      return v < 0.5f ? 0.55f + 0.25f * v : texture (u, v);
    case SCENE_PORTRAIT:
      {
        float du = (u - 0.5f) / 0.25f, dv = (v - 0.85f) / 0.55f;

        return du * du + dv * dv < 1.0f ? texture (u, v) : 0.45f + 0.1f * u;
      }
    }
  return 0.0f;
}

/* Gaussian-like deterministic grain, sigma about 1 (sum of 4 uniforms). */
static float
grain (int x, int y)
{
  return (test_noise (7, x, y) + test_noise (8, x, y) + test_noise (9, x, y) +
          test_noise (10, x, y) - 2.0f) * 1.732f;
}

static AtelierFeat *
scene_new (Scene s, int width, int height, float sigma)
{
  AtelierFeat *f = atelier_feat_new (width, height, 3);
  int          x, y, c;

  g_assert_nonnull (f);
  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        float l = scene_luma (s, (x + 0.5f) / width, (y + 0.5f) / height) +
                  sigma * grain (x, y);

        for (c = 0; c < 3; c++)
          atelier_feat_at (f, x, y)[c] = l;
      }
  return f;
}

typedef struct
{
  float  extent, enclosure;
  double flat;                /* mean flatness guide */
} Decision;

static Decision
analyse (const AtelierFeat *content, AtelierBackdrop mode)
{
  AtelierContentAnalysis a;
  Decision               d = { 0 };
  size_t                 i, n = (size_t) content->width * content->height;

  g_assert_cmpint (atelier_content_analyse (content, mode, &a), ==,
                   ATELIER_OK);
  d.extent    = a.extent;
  d.enclosure = a.enclosure;
  for (i = 0; i < n; i++)
    d.flat += a.guides->data[2 * i + 1];
  d.flat /= n;
  atelier_content_analysis_clear (&a);
  return d;
}

/* a and b within tol: of the extent, tol; of the enclosure and of the
 * mean flatness, 2 tol (they move with grain more than the extent). */
static void
assert_same (Decision a, Decision b, float tol, const char *what)
{
  g_test_message ("%s: extent %.3f / %.3f, enclosure %.3f / %.3f, "
                  "flatness %.3f / %.3f", what, a.extent, b.extent,
                  a.enclosure, b.enclosure, a.flat, b.flat);
  g_assert_cmpfloat (fabsf (a.extent - b.extent), <, tol);
  g_assert_cmpfloat (fabsf (a.enclosure - b.enclosure), <, 2.0f * tol);
  g_assert_cmpfloat (fabs (a.flat - b.flat), <, 2.0 * tol);
}

/* The working size follows quality (384 at preview, 768, 2048 at best)
 * and a dialog's preview is smaller still: each must decide as the
 * others do, for a grainy 2048-pixel photo and its downscaled copies. */
static void
test_same_at_every_size (void)
{
  static const int sides[] = { 320, 384, 768 };
  Scene            s;
  guint            i;

  for (s = SCENE_PRODUCT; s <= SCENE_PORTRAIT; s++)
    {
      AtelierFeat *big = scene_new (s, 2048, 1536, 0.012f);
      Decision     ref = analyse (big, ATELIER_BACKDROP_AUTO);

      for (i = 0; i < G_N_ELEMENTS (sides); i++)
        {
          AtelierFeat *small = atelier_feat_resize (big, sides[i],
                                                    sides[i] * 3 / 4);
          char         what[64];

          g_assert_nonnull (small);
          g_snprintf (what, sizeof what, "scene %d at 2048 and %d", s,
                      sides[i]);
          assert_same (ref, analyse (small, ATELIER_BACKDROP_AUTO), 0.015f,
                       what);
          atelier_feat_free (small);
        }
      atelier_feat_free (big);
    }
}

/* Grain is not texture: a product shot with 0, 1 and 2 % of grain (of
 * the full range, at the image's own size) is the same product shot (a
 * fixed threshold of local contrast took 1.5 % for texture). */
static void
test_grain_is_not_texture (void)
{
  static const float sigmas[] = { 0.01f, 0.02f };
  AtelierFeat       *clean = scene_new (SCENE_PRODUCT, 512, 384, 0.0f);
  Decision           ref   = analyse (clean, ATELIER_BACKDROP_AUTO);
  guint              i;

  g_assert_cmpfloat (ref.enclosure, >, 0.8f);
  for (i = 0; i < G_N_ELEMENTS (sigmas); i++)
    {
      AtelierFeat *grainy = scene_new (SCENE_PRODUCT, 512, 384, sigmas[i]);
      char         what[64];

      g_snprintf (what, sizeof what, "grain %.2f", sigmas[i]);
      /* resizing to the analysis size correlates the grain, which the
       * noise estimate (the finest band) then sees only in part: the
       * flatness falls a little, but a product stays a product */
      assert_same (ref, analyse (grainy, ATELIER_BACKDROP_AUTO), 0.1f, what);
      atelier_feat_free (grainy);
    }
  atelier_feat_free (clean);
}

/* Only a subject standing on its backdrop makes a product shot: a sky
 * over a landscape and a wall behind a person stay part of the picture
 * (strokes reach them, the strokes are sized to the frame). */
static void
test_what_is_a_backdrop (void)
{
  static const struct
  {
    Scene       scene;
    const char *name;
    float       min_enclosure, max_enclosure, max_extent, min_flat;
  } cases[] = {
    { SCENE_PRODUCT,  "product",  0.8f, 1.0f, 0.75f, 0.3f },
    { SCENE_SKY,      "sky",      0.0f, 0.1f, 1.0f,  0.0f },
    { SCENE_PORTRAIT, "portrait", 0.0f, 0.1f, 1.0f,  0.0f },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtelierFeat *f = scene_new (cases[i].scene, 640, 480, 0.004f);
      Decision     d = analyse (f, ATELIER_BACKDROP_AUTO);
      Decision     off = analyse (f, ATELIER_BACKDROP_OFF);

      g_test_message ("%s: enclosure %.3f extent %.3f flatness %.3f",
                      cases[i].name, d.enclosure, d.extent, d.flat);
      g_assert_cmpfloat (d.enclosure, >=, cases[i].min_enclosure);
      g_assert_cmpfloat (d.enclosure, <=, cases[i].max_enclosure);
      g_assert_cmpfloat (d.extent, <=, cases[i].max_extent);
      g_assert_cmpfloat (d.flat, >=, cases[i].min_flat);
      if (cases[i].max_enclosure < 0.5f)
        {
          g_assert_cmpfloat (d.extent, >, 0.95f);
          g_assert_cmpfloat (d.flat, <, 0.05);
        }
      /* off: the whole frame is subject */
      g_assert_cmpfloat (off.enclosure, ==, 0.0f);
      g_assert_cmpfloat (off.extent, ==, 1.0f);
      g_assert_cmpfloat (off.flat, ==, 0.0);
      atelier_feat_free (f);
    }
}

/* The noise estimate follows the grain and ignores the texture. */
static void
test_noise_sigma (void)
{
  static const float sigmas[] = { 0.0f, 0.01f, 0.03f };
  guint              i;

  for (i = 0; i < G_N_ELEMENTS (sigmas); i++)
    {
      AtelierFeat *f = scene_new (SCENE_SKY, 512, 384, sigmas[i]);
      AtelierFeat *l = atelier_feat_luma (f);
      float        n;

      g_assert_nonnull (l);
      n = atelier_noise_sigma (l);
      g_test_message ("grain %.3f: sigma %.4f", sigmas[i], n);
      g_assert_cmpfloat (fabsf (n - sigmas[i]), <, 0.2f * sigmas[i] + 0.002f);
      atelier_feat_free (l);
      atelier_feat_free (f);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/analysis/same-at-every-size", test_same_at_every_size);
  g_test_add_func ("/analysis/grain-is-not-texture", test_grain_is_not_texture);
  g_test_add_func ("/analysis/what-is-a-backdrop", test_what_is_a_backdrop);
  g_test_add_func ("/analysis/noise-sigma", test_noise_sigma);
  return g_test_run ();
}
