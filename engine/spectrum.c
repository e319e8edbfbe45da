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

/* Calls visit for each band k with the plane blurred down to its finer
 * edge (fine) and to its coarser (coarse): the band is fine - coarse. */
typedef void (*BandVisit) (int k, const float *fine, const float *coarse,
                           size_t n, void *data);

static AtelierStatus
walk_bands (const AtelierFeat *luma, float unit, BandVisit visit, void *data)
{
  size_t       n    = (size_t) luma->width * luma->height;
  AtelierFeat *prev = atelier_feat_copy (luma);
  AtelierFeat *next = atelier_feat_copy (luma);
  AtelierStatus st  = ATELIER_ERR_NO_MEMORY;
  int          k;

  if (! prev || ! next)
    goto out;
  for (k = 0; k < ATELIER_SPECTRUM_BANDS; k++)
    {
      if (atelier_feat_blur (next, step_sigma (unit, k)) != ATELIER_OK)
        goto out;
      visit (k, prev->data, next->data, n, data);
      memcpy (prev->data, next->data, n * sizeof (float));
    }
  st = ATELIER_OK;
out:
  atelier_feat_free (prev);
  atelier_feat_free (next);
  return st;
}

typedef struct
{
  double total;
  float *shares;
} SharesJob;

static void
share_of_band (int k, const float *fine, const float *coarse, size_t n,
               void *data)
{
  SharesJob *job = data;

  job->shares[k] = job->total > 0.0 ?
                   (float) (variance (fine, coarse, n) / job->total) : 0.0f;
}

AtelierStatus
atelier_band_shares (const AtelierFeat *luma,
                     float              unit,
                     float              shares[ATELIER_SPECTRUM_BANDS])
{
  SharesJob job = { variance (luma->data, NULL,
                              (size_t) luma->width * luma->height), shares };

  return walk_bands (luma, unit, share_of_band, &job);
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

typedef struct
{
  const float *gains;
  float       *corr;
} CorrectionJob;

static void
correct_band (int k, const float *fine, const float *coarse, size_t n,
              void *data)
{
  CorrectionJob *job = data;
  float          g   = job->gains[k] - 1.0f;
  size_t         i;

  for (i = 0; i < n; i++)
    job->corr[i] += g * (fine[i] - coarse[i]);
}

AtelierFeat *
atelier_spectrum_correction (const AtelierFeat *luma,
                             float              unit,
                             const float        gains[ATELIER_SPECTRUM_BANDS])
{
  AtelierFeat  *corr = atelier_feat_new (luma->width, luma->height, 1);
  CorrectionJob job;

  if (! corr)
    return NULL;
  memset (corr->data, 0, (size_t) luma->width * luma->height * sizeof (float));
  job = (CorrectionJob) { gains, corr->data };
  if (walk_bands (luma, unit, correct_band, &job) != ATELIER_OK)
    {
      atelier_feat_free (corr);
      return NULL;
    }
  return corr;
}
