/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: spectrum matching (spectrum.c) measures where an image's
 * contrast lies the same at every size, and its correction gives an
 * output the style's balance, in either direction. */
#include "atelier.h"
#include "synth.h"

#include "test_feat.h"

#include <math.h>

/* Stripes of a period (in frame units, 0..1) over a slow ramp, drawn at
 * side x side * 3/4: the same picture at every size; more stripes of
 * period2 and amp2 when amp2 > 0. */
static AtelierFeat *
stripes2 (int side, float period, float amp, float period2, float amp2)
{
  int          w = side, h = side * 3 / 4, x, y;
  AtelierFeat *f = atelier_feat_new (w, h, 1);

  g_assert_nonnull (f);
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        float u = (x + 0.5f) / w, v = (y + 0.5f) / w;

        f->data[(size_t) y * w + x] =
          0.4f + 0.2f * u + amp * sinf (6.2832f * (u + 0.5f * v) / period) +
          amp2 * sinf (6.2832f * (v - 0.3f * u) / period2);
      }
  return f;
}

static AtelierFeat *
stripes (int side, float period, float amp)
{
  return stripes2 (side, period, amp, 1.0f, 0.0f);
}

static void
shares_of (const AtelierFeat *f, float shares[ATELIER_SPECTRUM_BANDS])
{
  int side = f->width > f->height ? f->width : f->height;

  g_assert_cmpint (atelier_band_shares (f, (float) side / SPECTRUM_SIDE,
                                        shares), ==, ATELIER_OK);
}

static double
distance (const float *a, const float *b)
{
  double d = 0.0;
  int    k;

  for (k = 0; k < ATELIER_SPECTRUM_BANDS; k++)
    d += fabs ((double) a[k] - b[k]);
  return d;
}

/* The same stripes at 256, 512 and 1024: the same shares, and the
 * stripes' energy in the band of their period, not the finest. */
static void
test_same_at_every_size (void)
{
  float ref[ATELIER_SPECTRUM_BANDS];
  int   sides[] = { 256, 1024 }, i, k, best = 0;

  {
    AtelierFeat *f = stripes (512, 1.0f / 40.0f, 0.1f);
    shares_of (f, ref);
    atelier_feat_free (f);
  }
  for (k = 1; k < ATELIER_SPECTRUM_BANDS; k++)
    if (ref[k] > ref[best])
      best = k;
  /* a period of 12.8 units: a sinusoid's energy peaks between the
   * blurs of sigma 2 and 4 units (period / 2 pi ~ 2) */
  g_assert_cmpint (best, >=, 2);
  g_assert_cmpint (best, <=, 3);
  for (i = 0; i < 2; i++)
    {
      AtelierFeat *f = stripes (sides[i], 1.0f / 40.0f, 0.1f);
      float        s[ATELIER_SPECTRUM_BANDS];

      shares_of (f, s);
      for (k = 0; k < ATELIER_SPECTRUM_BANDS; k++)
        g_assert_cmpfloat (fabsf (s[k] - ref[k]), <, 0.03f);
      atelier_feat_free (f);
    }
}

/* A flat plane has no shares (and no NaN); a band the output lacks is not
 * scaled; gains stay within SPECTRUM_MAX_GAIN either way. */
static void
test_flat_and_limits (void)
{
  AtelierFeat *f = atelier_feat_new (64, 48, 1);
  float        s[ATELIER_SPECTRUM_BANDS], g[ATELIER_SPECTRUM_BANDS];
  float        out[ATELIER_SPECTRUM_BANDS]   = { 0.0f, 0.5f, 0.1f, 0.1f, 0.01f };
  float        style[ATELIER_SPECTRUM_BANDS] = { 0.2f, 0.0f, 0.1f, 0.4f, 10.0f };
  int          k;

  g_assert_nonnull (f);
  for (k = 0; k < 64 * 48; k++)
    f->data[k] = 0.4f;
  g_assert_cmpint (atelier_band_shares (f, 1.0f, s), ==, ATELIER_OK);
  for (k = 0; k < ATELIER_SPECTRUM_BANDS; k++)
    g_assert_cmpfloat (s[k], ==, 0.0f);
  atelier_feat_free (f);

  atelier_band_gains (out, style, g);
  g_assert_cmpfloat (g[0], ==, 1.0f);
  g_assert_cmpfloat (g[1], ==, 1.0f / SPECTRUM_MAX_GAIN);
  g_assert_cmpfloat (fabsf (g[2] - 1.0f), <, 1e-6f);
  g_assert_cmpfloat (fabsf (g[3] - 2.0f), <, 1e-6f);
  g_assert_cmpfloat (g[4], ==, SPECTRUM_MAX_GAIN);
}

/* Fine stripes (a print) on a style of coarse ones, and the reverse: the
 * corrected plane's shares are much nearer the style's than before, and
 * the composition (the ramp, coarser than every band) is left alone. */
static void
test_correction_matches_style (void)
{
  float periods[2][2] = { { 1.0f / 120.0f, 1.0f / 25.0f },
                          { 1.0f / 25.0f, 1.0f / 120.0f } };
  int   i;

  for (i = 0; i < 2; i++)
    {
      /* the output has a little of the style's band, too much of its own */
      AtelierFeat *out   = stripes2 (512, periods[i][0], 0.06f,
                                     periods[i][1], 0.03f);
      AtelierFeat *style = stripes2 (512, periods[i][1], 0.06f,
                                     periods[i][0], 0.03f);
      AtelierFeat *corr;
      float        so[ATELIER_SPECTRUM_BANDS], ss[ATELIER_SPECTRUM_BANDS];
      float        sc[ATELIER_SPECTRUM_BANDS];
      double       mean_out = 0.0, mean_after = 0.0;
      size_t       k, n = (size_t) out->width * out->height;

      shares_of (out, so);
      shares_of (style, ss);
      corr = atelier_spectrum_match (out, 1.0f, ss);
      g_assert_nonnull (corr);
      for (k = 0; k < n; k++)
        {
          mean_out   += out->data[k];
          out->data[k] += corr->data[k];
          mean_after += out->data[k];
        }
      shares_of (out, sc);
      g_assert_cmpfloat (distance (sc, ss), <, 0.5 * distance (so, ss));
      g_assert_cmpfloat (fabs (mean_after - mean_out) / n, <, 1e-3);
      atelier_feat_free (corr);
      atelier_feat_free (out);
      atelier_feat_free (style);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spectrum/same-at-every-size", test_same_at_every_size);
  g_test_add_func ("/spectrum/flat-and-limits", test_flat_and_limits);
  g_test_add_func ("/spectrum/correction-matches-style",
                   test_correction_matches_style);
  return g_test_run ();
}
