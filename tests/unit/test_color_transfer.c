/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: colour statistics transfer (Monge-Kantorovich), symmetric
 * eigen-decomposition, histogram matching. */
#include "atelier.h"
#include "internal.h"

#include "test_util.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  double mean[3];
  double cov[9];
} Stats;

static void
image_stats (const AtelierImage *img,
             Stats              *s)
{
  double n = (double) img->width * img->height;
  int    x, y, a, b;

  memset (s, 0, sizeof *s);
  for (y = 0; y < img->height; y++)
    for (x = 0; x < img->width; x++)
      for (a = 0; a < 3; a++)
        s->mean[a] += test_pixel (img, x, y)[a] / n;
  for (y = 0; y < img->height; y++)
    for (x = 0; x < img->width; x++)
      {
        const float *p = test_pixel (img, x, y);

        for (a = 0; a < 3; a++)
          for (b = 0; b < 3; b++)
            s->cov[a * 3 + b] += (p[a] - s->mean[a]) * (p[b] - s->mean[b]) / n;
      }
}

/* Content: independent channels in 0.3..0.7.  Style: correlated channels
 * well inside 0..1.  Neither needs clamping after the transfer. */
static AtelierImage
make_content (void)
{
  AtelierImage img = test_image_noise (40, 30, 11, 0.3f, 0.7f);
  int          x, y;

  for (y = 0; y < img.height; y++)
    for (x = 0; x < img.width; x++)
      test_pixel (&img, x, y)[3] = (x + y) % 3 * 0.5f;
  return img;
}

static AtelierImage
make_style (void)
{
  AtelierImage img = test_image_new (32, 24, 3);
  int          x, y;

  for (y = 0; y < img.height; y++)
    for (x = 0; x < img.width; x++)
      {
        float *p  = test_pixel (&img, x, y);
        float  t1 = test_noise (21, x, y);
        float  t2 = test_noise (22, x, y);
        float  t3 = test_noise (23, x, y);

        p[0] = 0.25f + 0.3f * t1;
        p[1] = 0.3f + 0.2f * t1 + 0.2f * t2;
        p[2] = 0.55f - 0.1f * t1 + 0.2f * t3;
        p[3] = 1.0f;
      }
  return img;
}

static AtelierStatus
transfer (const AtelierImage *content,
          const AtelierImage *style,
          float               strength,
          bool                preserve_luminance,
          AtelierImage       *out)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierStatus   st;

  st = atelier_color_transfer (ctx, content, style, strength,
                               preserve_luminance, out);
  if (st != ATELIER_OK)
    g_test_message ("%s", atelier_context_error (ctx));
  atelier_context_free (ctx);
  return st;
}

static void
test_statistics (void)
{
  AtelierImage content = make_content ();
  AtelierImage style   = make_style ();
  AtelierImage out     = test_image_new (content.width, content.height, 2);
  Stats        so, ss, sc;
  int          a, x, y, k;

  test_image_fill (&out, TEST_SENTINEL);
  g_assert_cmpint (transfer (&content, &style, 1.0f, false, &out), ==,
                   ATELIER_OK);
  g_assert_true (test_image_padding_is (&out, TEST_SENTINEL));
  /* nothing was clamped, so the statistics are the map's alone */
  for (y = 0; y < out.height; y++)
    for (x = 0; x < out.width; x++)
      for (k = 0; k < 3; k++)
        {
          g_assert_cmpfloat (test_pixel (&out, x, y)[k], >, 0.0f);
          g_assert_cmpfloat (test_pixel (&out, x, y)[k], <, 1.0f);
        }
  image_stats (&out, &so);
  image_stats (&style, &ss);
  image_stats (&content, &sc);
  for (a = 0; a < 3; a++)
    g_assert_cmpfloat_with_epsilon (so.mean[a], ss.mean[a], 1e-4);
  for (a = 0; a < 9; a++)
    {
      g_test_message ("cov[%d]: content %.5f style %.5f result %.5f", a,
                      sc.cov[a], ss.cov[a], so.cov[a]);
      g_assert_cmpfloat_with_epsilon (so.cov[a], ss.cov[a], 2e-4);
    }
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
}

static void
test_strength_zero (void)
{
  AtelierImage content = make_content ();
  AtelierImage style   = make_style ();
  AtelierImage out     = test_image_new (content.width, content.height, 0);

  /* even colours outside 0..1 come back as they were */
  test_pixel (&content, 3, 4)[0] = 1.75f;
  test_pixel (&content, 5, 4)[2] = -0.5f;
  g_assert_cmpint (transfer (&content, &style, 0.0f, false, &out), ==,
                   ATELIER_OK);
  g_assert_cmpint (test_image_count_diff (&out, &content), ==, 0);
  g_assert_cmpint (transfer (&content, &style, 0.0f, true, &out), ==,
                   ATELIER_OK);
  g_assert_cmpint (test_image_count_diff (&out, &content), ==, 0);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
}

/* strength blends linearly between the content and the full transfer. */
static void
test_strength_blend (void)
{
  AtelierImage content = make_content ();
  AtelierImage style   = make_style ();
  AtelierImage full    = test_image_new (content.width, content.height, 0);
  AtelierImage half    = test_image_new (content.width, content.height, 0);
  int          x, y, k;

  g_assert_cmpint (transfer (&content, &style, 1.0f, false, &full), ==,
                   ATELIER_OK);
  g_assert_cmpint (transfer (&content, &style, 0.5f, false, &half), ==,
                   ATELIER_OK);
  for (y = 0; y < content.height; y++)
    for (x = 0; x < content.width; x++)
      for (k = 0; k < 3; k++)
        g_assert_cmpfloat_with_epsilon (test_pixel (&half, x, y)[k],
                                        0.5f * (test_pixel (&content, x, y)[k] +
                                                test_pixel (&full, x, y)[k]),
                                        1e-6f);
  g_assert_cmpfloat (test_image_max_rgb_diff (&full, &content), >, 0.05);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&full);
  test_image_free (&half);
}

static void
test_preserve_luminance (void)
{
  AtelierImage content = make_content ();
  AtelierImage style   = make_style ();
  AtelierImage out     = test_image_new (content.width, content.height, 0);
  int          x, y;

  g_assert_cmpint (transfer (&content, &style, 1.0f, true, &out), ==,
                   ATELIER_OK);
  for (y = 0; y < content.height; y++)
    for (x = 0; x < content.width; x++)
      g_assert_cmpfloat_with_epsilon (atelier_luma (test_pixel (&out, x, y)),
                                      atelier_luma (test_pixel (&content,
                                                                x, y)),
                                      2e-6f);
  /* the chroma did change */
  g_assert_cmpfloat (test_image_max_rgb_diff (&out, &content), >, 0.05);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
}

/* Alpha is the content's; out may be the content itself (in place). */
static void
test_alpha_in_place (void)
{
  AtelierImage content = make_content ();
  AtelierImage style   = make_style ();
  AtelierImage out     = test_image_new (content.width, content.height, 0);
  AtelierImage inplace = test_image_copy (&content);
  int          x, y;

  g_assert_cmpint (transfer (&content, &style, 0.8f, false, &out), ==,
                   ATELIER_OK);
  for (y = 0; y < content.height; y++)
    for (x = 0; x < content.width; x++)
      g_assert_cmpfloat (test_pixel (&out, x, y)[3], ==,
                         test_pixel (&content, x, y)[3]);
  g_assert_cmpint (transfer (&inplace, &style, 0.8f, false, &inplace), ==,
                   ATELIER_OK);
  g_assert_cmpint (test_image_count_diff (&out, &inplace), ==, 0);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
  test_image_free (&inplace);
}

/* A flat (rank-0 covariance) content or style gives finite colours. */
static void
test_flat (void)
{
  AtelierImage flat  = test_image_new (8, 8, 0);
  AtelierImage style = make_style ();
  AtelierImage out   = test_image_new (8, 8, 0);
  AtelierImage out2  = test_image_new (32, 24, 3);
  int          x, y;

  for (y = 0; y < 8; y++)
    for (x = 0; x < 8; x++)
      {
        float *p = test_pixel (&flat, x, y);

        p[0] = 0.2f;
        p[1] = 0.4f;
        p[2] = 0.6f;
        p[3] = 1.0f;
      }
  g_assert_cmpint (transfer (&flat, &style, 1.0f, false, &out), ==,
                   ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&out));
  g_assert_cmpint (transfer (&style, &flat, 1.0f, false, &out2), ==,
                   ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&out2));
  /* everything collapses onto the flat style's colour, give or take the
   * regularisation (a standard deviation of sqrt (1e-4) = 0.01) */
  for (y = 0; y < out2.height; y++)
    for (x = 0; x < out2.width; x++)
      {
        const float *p = test_pixel (&out2, x, y);

        g_assert_cmpfloat_with_epsilon (p[0], 0.2f, 0.05f);
        g_assert_cmpfloat_with_epsilon (p[1], 0.4f, 0.05f);
        g_assert_cmpfloat_with_epsilon (p[2], 0.6f, 0.05f);
      }
  test_image_free (&flat);
  test_image_free (&style);
  test_image_free (&out);
  test_image_free (&out2);
}

/* ---- bad inputs ---- */

typedef enum
{
  CT_CONTENT_NO_DATA,
  CT_STYLE_NO_DATA,
  CT_OUT_NO_DATA,
  CT_CONTENT_1X1,
  CT_STYLE_STRIDE,
  CT_OUT_SIZE,
  CT_STRENGTH_NAN,
  CT_STRENGTH_NEGATIVE,
  CT_STRENGTH_LARGE
} CtBad;

static const struct
{
  CtBad         kind;
  AtelierStatus expect;
} ct_bad[] = {
  { CT_CONTENT_NO_DATA,   ATELIER_ERR_INVALID_IMAGE },
  { CT_STYLE_NO_DATA,     ATELIER_ERR_INVALID_IMAGE },
  { CT_OUT_NO_DATA,       ATELIER_ERR_INVALID_IMAGE },
  { CT_CONTENT_1X1,       ATELIER_ERR_INVALID_IMAGE },
  { CT_STYLE_STRIDE,      ATELIER_ERR_INVALID_IMAGE },
  { CT_OUT_SIZE,          ATELIER_ERR_INVALID_IMAGE },
  { CT_STRENGTH_NAN,      ATELIER_ERR_INVALID_PARAM },
  { CT_STRENGTH_NEGATIVE, ATELIER_ERR_INVALID_PARAM },
  { CT_STRENGTH_LARGE,    ATELIER_ERR_INVALID_PARAM },
};

static void
test_bad_inputs (void)
{
  guint i;

  for (i = 0; i < G_N_ELEMENTS (ct_bad); i++)
    {
      AtelierContext *ctx     = atelier_context_new (1);
      AtelierImage    content = make_content ();
      AtelierImage    style   = make_style ();
      AtelierImage    out     = test_image_new (content.width,
                                                content.height, 0);
      AtelierImage    c = content, s = style, o = out;
      float           strength = 1.0f;

      test_image_fill (&out, TEST_SENTINEL);
      switch (ct_bad[i].kind)
        {
        case CT_CONTENT_NO_DATA:   c.data = NULL;              break;
        case CT_STYLE_NO_DATA:     s.data = NULL;              break;
        case CT_OUT_NO_DATA:       o.data = NULL;              break;
        case CT_CONTENT_1X1:       c.width = c.height = 1;     break;
        case CT_STYLE_STRIDE:      s.stride = 4 * s.width - 1; break;
        case CT_OUT_SIZE:          o.width--;                  break;
        case CT_STRENGTH_NAN:      strength = NAN;             break;
        case CT_STRENGTH_NEGATIVE: strength = -0.01f;          break;
        case CT_STRENGTH_LARGE:    strength = 1.5f;            break;
        }
      g_assert_cmpint (atelier_color_transfer (ctx, &c, &s, strength, false,
                                               &o), ==, ct_bad[i].expect);
      g_assert_cmpstr (atelier_context_error (ctx), !=, "");
      if (ct_bad[i].expect == ATELIER_ERR_INVALID_PARAM)
        g_assert_nonnull (strstr (atelier_context_error (ctx), "strength"));
      g_assert_true (test_image_is_filled (&out, TEST_SENTINEL));
      test_image_free (&content);
      test_image_free (&style);
      test_image_free (&out);
      atelier_context_free (ctx);
    }
}

/* ---- the pieces ---- */

/* The statistics of black, red, green and white: the pixels of
 * stats-known. */
static void
assert_known_stats (const AtelierColorStats *s)
{
  g_assert_cmpfloat_with_epsilon (s->mean[0], 0.5f, 1e-7f);
  g_assert_cmpfloat_with_epsilon (s->mean[1], 0.5f, 1e-7f);
  g_assert_cmpfloat_with_epsilon (s->mean[2], 0.25f, 1e-7f);
  /* population covariance, symmetric */
  g_assert_cmpfloat_with_epsilon (s->cov[0], 0.25f, 1e-7f);
  g_assert_cmpfloat_with_epsilon (s->cov[4], 0.25f, 1e-7f);
  g_assert_cmpfloat_with_epsilon (s->cov[8], 0.1875f, 1e-7f);
  g_assert_cmpfloat_with_epsilon (s->cov[1], 0.0f, 1e-7f);
  g_assert_cmpfloat_with_epsilon (s->cov[2], 0.125f, 1e-7f);
  g_assert_cmpfloat_with_epsilon (s->cov[5], 0.125f, 1e-7f);
  g_assert_cmpfloat (s->cov[2], ==, s->cov[6]);
  g_assert_cmpfloat (s->cov[5], ==, s->cov[7]);
  g_assert_cmpfloat (s->cov[1], ==, s->cov[3]);
}

static void
test_stats_known (void)
{
  float             data[] = { 0, 0, 0,  1, 0, 0,  0, 1, 0,  1, 1, 1 };
  AtelierFeat       f = { 2, 2, 3, data };
  AtelierColorStats s;

  atelier_color_stats (&f, NULL, &s);
  assert_known_stats (&s);
}

/* Zero-weight pixels (a backdrop) do not count in the statistics; all
 * weights zero is the same as no weights. */
static void
test_stats_weighted (void)
{
  /* the known 2x2 of stats-known, then two white backdrop pixels */
  float             data[] = { 0, 0, 0,  1, 0, 0,  0, 1, 0,  1, 1, 1,
                               1, 1, 1,  1, 1, 1 };
  float             w[]    = { 1, 1, 1, 1, 0, 0 };
  float             zero[6] = { 0 };
  AtelierFeat       f = { 3, 2, 3, data };
  AtelierColorStats s, all, none;
  int               k;

  atelier_color_stats (&f, w, &s);
  assert_known_stats (&s);

  atelier_color_stats (&f, NULL, &all);
  atelier_color_stats (&f, zero, &none);
  for (k = 0; k < 3; k++)
    g_assert_cmpfloat (none.mean[k], ==, all.mean[k]);
  for (k = 0; k < 9; k++)
    g_assert_cmpfloat (none.cov[k], ==, all.cov[k]);
  /* ...where the white pixels pull the mean up */
  g_assert_cmpfloat (all.mean[2], >, 0.45f);
}

/* The map between equal statistics is the identity; in general it takes
 * the source covariance to the destination's: A Cs A = Cd, both
 * regularised by COV_EPS (1e-4 in color_transfer.c) on the diagonal. */
static void
test_color_map (void)
{
  AtelierColorStats a = { { 0.4f, 0.5f, 0.6f },
                          { 0.02f, 0.005f, 0.001f,
                            0.005f, 0.01f, 0.002f,
                            0.001f, 0.002f, 0.015f } };
  AtelierColorStats b = { { 0.3f, 0.2f, 0.7f },
                          { 0.01f, -0.004f, 0.0f,
                            -0.004f, 0.03f, 0.006f,
                            0.0f, 0.006f, 0.008f } };
  float             m[9];
  int               i, j, k, l;

  atelier_color_map (&a, &a, m);
  for (i = 0; i < 9; i++)
    g_assert_cmpfloat_with_epsilon (m[i], i % 4 == 0 ? 1.0f : 0.0f, 1e-4f);

  atelier_color_map (&a, &b, m);
  for (i = 0; i < 3; i++)
    for (j = 0; j < 3; j++)
      {
        double acc = 0.0;

        g_assert_cmpfloat_with_epsilon (m[i * 3 + j], m[j * 3 + i], 1e-5f);
        for (k = 0; k < 3; k++)
          for (l = 0; l < 3; l++)
            acc += (double) m[i * 3 + k] *
                   (a.cov[k * 3 + l] + (k == l ? 1e-4 : 0.0)) * m[l * 3 + j];
        g_assert_cmpfloat_with_epsilon (acc, b.cov[i * 3 + j] +
                                        (i == j ? 1e-4 : 0.0), 1e-6);
      }
}

static void
check_eigen (const double *m,
             int           n,
             const double *expect_vals)
{
  double *a    = g_new (double, n * n);
  double *vals = g_new (double, n);
  double *vecs = g_new (double, n * n);
  int     i, j, k;

  memcpy (a, m, n * n * sizeof (double));
  atelier_symmetric_eigen (a, n, vals, vecs);
  for (i = 0; i < n; i++)
    {
      if (expect_vals)
        g_assert_cmpfloat_with_epsilon (vals[i], expect_vals[i], 1e-10);
      if (i > 0)
        g_assert_cmpfloat (vals[i], <=, vals[i - 1]);
      /* m v = lambda v, v a row of vecs */
      for (j = 0; j < n; j++)
        {
          double acc = 0.0;

          for (k = 0; k < n; k++)
            acc += m[j * n + k] * vecs[i * n + k];
          g_assert_cmpfloat_with_epsilon (acc, vals[i] * vecs[i * n + j],
                                          1e-10);
        }
      /* orthonormal rows */
      for (j = 0; j < n; j++)
        {
          double dot = 0.0;

          for (k = 0; k < n; k++)
            dot += vecs[i * n + k] * vecs[j * n + k];
          g_assert_cmpfloat_with_epsilon (dot, i == j ? 1.0 : 0.0, 1e-10);
        }
    }
  g_free (a);
  g_free (vals);
  g_free (vecs);
}

static void
test_eigen (void)
{
  /* tridiagonal [2 -1; -1 2 -1; -1 2]: 2 + sqrt 2, 2, 2 - sqrt 2 */
  static const double tri[9] = { 2, -1, 0,  -1, 2, -1,  0, -1, 2 };
  static const double tri_vals[3] = { 2 + G_SQRT2, 2, 2 - G_SQRT2 };
  static const double diag[16] = { 1, 0, 0, 0,  0, 4, 0, 0,
                                   0, 0, -2, 0,  0, 0, 0, 3 };
  static const double diag_vals[4] = { 4, 3, 1, -2 };
  static const double repeated[9] = { 2, 1, 0,  1, 2, 0,  0, 0, 3 };
  static const double repeated_vals[3] = { 3, 3, 1 };
  double a[9], vals[3], vecs[9];
  double rnd[36];
  int    i, j;

  check_eigen (tri, 3, tri_vals);
  check_eigen (diag, 4, diag_vals);
  check_eigen (repeated, 3, repeated_vals);
  for (i = 0; i < 6; i++)
    for (j = 0; j <= i; j++)
      rnd[i * 6 + j] = rnd[j * 6 + i] = test_noise (5, i, j) - 0.5;
  check_eigen (rnd, 6, NULL);

  /* the eigenvector of 2 + sqrt 2 is (1, -sqrt 2, 1) / 2, up to sign */
  memcpy (a, tri, sizeof a);
  atelier_symmetric_eigen (a, 3, vals, vecs);
  g_assert_cmpfloat_with_epsilon (fabs (vecs[0]), 0.5, 1e-10);
  g_assert_cmpfloat_with_epsilon (vecs[1] / vecs[0], -G_SQRT2, 1e-10);
  g_assert_cmpfloat_with_epsilon (vecs[2] / vecs[0], 1.0, 1e-10);
}

static int
cmp_float (const void *a,
           const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return x < y ? -1 : x > y;
}

/* A ramp matched to a reference takes the reference's quantiles. */
static void
test_histogram_match (void)
{
  AtelierFeat *img = atelier_feat_new (100, 10, 1);
  AtelierFeat *ref = atelier_feat_new (64, 64, 1);
  float       *sorted;
  int          i, n = 1000, nr = 64 * 64;
  double       worst = 0.0;

  for (i = 0; i < n; i++)
    img->data[i] = (float) i / (n - 1);
  /* reference: quantile function q^2 (dark-heavy), in scrambled order */
  for (i = 0; i < nr; i++)
    {
      float q = test_noise (3, i, 0);

      ref->data[i] = q * q;
    }
  sorted = g_new (float, nr);
  memcpy (sorted, ref->data, nr * sizeof (float));
  qsort (sorted, nr, sizeof (float), cmp_float);

  atelier_histogram_match (img, ref, NULL);
  for (i = 0; i < n; i++)
    {
      float q = (float) i / (n - 1);
      float r = sorted[(int) (q * (nr - 1) + 0.5f)];

      g_assert_true (isfinite (img->data[i]));
      g_assert_cmpfloat (img->data[i], >=, 0.0f);
      g_assert_cmpfloat (img->data[i], <=, 1.0f);
      /* monotonic, up to rounding in the interpolation */
      if (i > 0)
        g_assert_cmpfloat (img->data[i], >=, img->data[i - 1] - 1e-6f);
      worst = MAX (worst, fabs (img->data[i] - r));
    }
  g_test_message ("worst quantile error %.4f", worst);
  g_assert_cmpfloat (worst, <, 0.01);

  g_free (sorted);
  atelier_feat_free (img);
  atelier_feat_free (ref);
}

/* Matching to itself changes (almost) nothing. */
static void
test_histogram_identity (void)
{
  AtelierFeat *img = atelier_feat_new (50, 40, 1);
  AtelierFeat *ref = atelier_feat_new (50, 40, 1);
  int          i, n = 50 * 40;

  for (i = 0; i < n; i++)
    img->data[i] = ref->data[i] = test_noise (8, i, 1);
  atelier_histogram_match (img, ref, NULL);
  for (i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (img->data[i], ref->data[i], 2.0f / 1023);
  atelier_feat_free (img);
  atelier_feat_free (ref);
}

/* Zero-weight pixels (a backdrop) are remapped but do not count: the
 * weighted half alone takes the reference's whole range. */
static void
test_histogram_weighted (void)
{
  AtelierFeat *img = atelier_feat_new (100, 10, 1);
  AtelierFeat *ref = atelier_feat_new (64, 64, 1);
  AtelierFeat *plain = atelier_feat_new (100, 10, 1);
  float        w[1000], zero[1000] = { 0 };
  int          i, n = 1000, half = 500;

  for (i = 0; i < n; i++)
    {
      img->data[i] = i < half ? 0.5f * i / (half - 1) : 1.0f;
      w[i] = i < half ? 1.0f : 0.0f;
    }
  for (i = 0; i < 64 * 64; i++)
    ref->data[i] = test_noise (5, i, 0);
  memcpy (plain->data, img->data, n * sizeof (float));

  atelier_histogram_match (img, ref, w);
  /* the weighted ramp spreads over 0..1, its median near 0.5 */
  g_assert_cmpfloat (img->data[0], <, 0.02f);
  g_assert_cmpfloat (fabsf (img->data[half / 2] - 0.5f), <, 0.03f);
  g_assert_cmpfloat (img->data[half - 1], >, 0.97f);
  for (i = half; i < n; i++)
    g_assert_cmpfloat (img->data[i], >, 0.97f);

  /* all weights zero: the same as no weights */
  memcpy (img->data, plain->data, n * sizeof (float));
  atelier_histogram_match (plain, ref, NULL);
  atelier_histogram_match (img, ref, zero);
  for (i = 0; i < n; i++)
    g_assert_cmpfloat (img->data[i], ==, plain->data[i]);
  /* ...where the ramp keeps only the lower half */
  g_assert_cmpfloat (plain->data[half - 1], <, 0.55f);

  atelier_feat_free (img);
  atelier_feat_free (ref);
  atelier_feat_free (plain);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/color_transfer/statistics", test_statistics);
  g_test_add_func ("/engine/color_transfer/strength-zero", test_strength_zero);
  g_test_add_func ("/engine/color_transfer/strength-blend",
                   test_strength_blend);
  g_test_add_func ("/engine/color_transfer/preserve-luminance",
                   test_preserve_luminance);
  g_test_add_func ("/engine/color_transfer/alpha-in-place",
                   test_alpha_in_place);
  g_test_add_func ("/engine/color_transfer/flat", test_flat);
  g_test_add_func ("/engine/color_transfer/bad-inputs", test_bad_inputs);
  g_test_add_func ("/engine/color_transfer/stats-known", test_stats_known);
  g_test_add_func ("/engine/color_transfer/stats-weighted", test_stats_weighted);
  g_test_add_func ("/engine/color_transfer/color-map", test_color_map);
  g_test_add_func ("/engine/color_transfer/eigen", test_eigen);
  g_test_add_func ("/engine/color_transfer/histogram-match",
                   test_histogram_match);
  g_test_add_func ("/engine/color_transfer/histogram-identity",
                   test_histogram_identity);
  g_test_add_func ("/engine/color_transfer/histogram-weighted",
                   test_histogram_weighted);
  return g_test_run ();
}
