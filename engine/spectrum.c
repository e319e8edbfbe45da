/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Spectrum matching: the output's luminance is split into octave bands
 * (differences of Gaussians) and each band is scaled so that its share of
 * the image's variance is the style's share in the same band (Heeger and
 * Bergen 1995 match a pyramid's histograms; the variance is the part of
 * that which strokes are judged by).  Patch synthesis gets the strokes
 * right locally but not their balance: voting averages stroke energy
 * away, and the content's own fine detail (a fabric's print) adds energy
 * the painting does not have.  Both are the same error seen from the
 * spectrum, so one measure mends both, in either direction, on any photo.
 *
 * Shares are relative to each image's own variance (what a viewer, and
 * a Gram-based texture measure on standardised luminance, compares), and
 * the bands are in units of the output's long side (the style measured
 * in the same pixels, as it is painted), so the same photo gets the same
 * correction at every working size. */
#include "synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Band k lies between blurs of sigma 2^(k-1) and 2^k units (the plane
 * itself above the first).  The blurs cascade: blurring by
 * sqrt(s1^2 - s0^2) what is blurred by s0 gives s1. */
static float
step_sigma (float unit, int k)
{
  float s1 = unit * (float) (1 << k);
  float s0 = k > 0 ? s1 / 2.0f : 0.0f;

  return sqrtf (s1 * s1 - s0 * s0);
}

static double
variance (const float *a, const float *b, size_t n)
{
  double sum = 0.0, sum2 = 0.0;
  size_t i;

  for (i = 0; i < n; i++)
    {
      double d = b ? (double) a[i] - b[i] : a[i];
      sum  += d;
      sum2 += d * d;
    }
  sum /= (double) n;
  return sum2 / (double) n - sum * sum;
}

/* The plane and its blurs at the bands' edges, coarser each:
 * plane[k] - plane[k + 1] is band k.  Made once, read by the shares and
 * the correction alike. */
typedef struct
{
  AtelierFeat *plane[ATELIER_SPECTRUM_BANDS + 1];
} BlurStack;

static void
stack_clear (BlurStack *bs)
{
  int k;

  for (k = 0; k <= ATELIER_SPECTRUM_BANDS; k++)
    atelier_feat_free (bs->plane[k]);
  memset (bs, 0, sizeof *bs);
}

static AtelierStatus
stack_build (const AtelierFeat *luma, float unit, BlurStack *bs)
{
  int k;

  memset (bs, 0, sizeof *bs);
  if (! (bs->plane[0] = atelier_feat_copy (luma)))
    return ATELIER_ERR_NO_MEMORY;
  for (k = 0; k < ATELIER_SPECTRUM_BANDS; k++)
    {
      bs->plane[k + 1] = atelier_feat_copy (bs->plane[k]);
      if (! bs->plane[k + 1] ||
          atelier_feat_blur (bs->plane[k + 1], step_sigma (unit, k)) !=
          ATELIER_OK)
        {
          stack_clear (bs);
          return ATELIER_ERR_NO_MEMORY;
        }
    }
  return ATELIER_OK;
}

static void
stack_shares (const BlurStack *bs, float shares[ATELIER_SPECTRUM_BANDS])
{
  const AtelierFeat *l = bs->plane[0];
  size_t             n = (size_t) l->width * l->height;
  double             total = variance (l->data, NULL, n);
  int                k;

  for (k = 0; k < ATELIER_SPECTRUM_BANDS; k++)
    shares[k] = total > 0.0 ?
                (float) (variance (bs->plane[k]->data,
                                   bs->plane[k + 1]->data, n) / total)
                : 0.0f;
}

AtelierStatus
atelier_band_shares (const AtelierFeat *luma,
                     float              unit,
                     float              shares[ATELIER_SPECTRUM_BANDS])
{
  BlurStack bs;

  if (stack_build (luma, unit, &bs) != ATELIER_OK)
    return ATELIER_ERR_NO_MEMORY;
  stack_shares (&bs, shares);
  stack_clear (&bs);
  return ATELIER_OK;
}

void
atelier_band_gains (const float out_shares[ATELIER_SPECTRUM_BANDS],
                    const float style_shares[ATELIER_SPECTRUM_BANDS],
                    float       gains[ATELIER_SPECTRUM_BANDS])
{
  int k;

  for (k = 0; k < ATELIER_SPECTRUM_BANDS; k++)
    {
      /* a band the output lacks entirely has nothing to scale */
      float g = out_shares[k] > 0.0f ? sqrtf (style_shares[k] / out_shares[k])
                                     : 1.0f;

      if (! (g >= 1.0f / SPECTRUM_MAX_GAIN))
        g = 1.0f / SPECTRUM_MAX_GAIN;
      if (g > SPECTRUM_MAX_GAIN)
        g = SPECTRUM_MAX_GAIN;
      gains[k] = g;
    }
}

AtelierFeat *
atelier_spectrum_match (const AtelierFeat *luma,
                        float              unit,
                        const float        style_shares[ATELIER_SPECTRUM_BANDS])
{
  size_t       i, n = (size_t) luma->width * luma->height;
  float        shares[ATELIER_SPECTRUM_BANDS], gains[ATELIER_SPECTRUM_BANDS];
  AtelierFeat *corr = atelier_feat_new (luma->width, luma->height, 1);
  BlurStack    bs;
  int          k;

  if (! corr || stack_build (luma, unit, &bs) != ATELIER_OK)
    {
      atelier_feat_free (corr);
      return NULL;
    }
  stack_shares (&bs, shares);
  atelier_band_gains (shares, style_shares, gains);
  memset (corr->data, 0, n * sizeof (float));
  for (k = 0; k < ATELIER_SPECTRUM_BANDS; k++)
    {
      const float *fine = bs.plane[k]->data, *coarse = bs.plane[k + 1]->data;
      float        g    = gains[k] - 1.0f;

      for (i = 0; i < n; i++)
        corr->data[i] += g * (fine[i] - coarse[i]);
    }
  stack_clear (&bs);
  return corr;
}
