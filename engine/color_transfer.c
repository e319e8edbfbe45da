/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Colour transfer: matches the mean and covariance of RGB with the linear
 * Monge-Kantorovich map (the optimal transport map between Gaussians), and
 * 1-D histogram matching for luminance guides. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Regularises covariances so flat or grey images (rank-deficient
 * covariance) still give a finite map. */
#define COV_EPS 1e-4

void
atelier_symmetric_eigen (double *a,
                         int     n,
                         double *vals,
                         double *vecs)
{
  int i, j, k, sweep;

  for (i = 0; i < n; i++)
    for (j = 0; j < n; j++)
      vecs[i * n + j] = i == j;

  for (sweep = 0; sweep < 64; sweep++)
    {
      double off = 0.0;

      for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
          off += a[i * n + j] * a[i * n + j];
      if (off < 1e-22)
        break;
      for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
          {
            double aij = a[i * n + j], theta, t, c, s;

            if (fabs (aij) < 1e-30)
              continue;
            theta = (a[j * n + j] - a[i * n + i]) / (2.0 * aij);
            t = (theta >= 0 ? 1.0 : -1.0) /
                (fabs (theta) + sqrt (theta * theta + 1.0));
            c = 1.0 / sqrt (t * t + 1.0);
            s = t * c;
            for (k = 0; k < n; k++)
              {
                double aki = a[k * n + i], akj = a[k * n + j];
                a[k * n + i] = c * aki - s * akj;
                a[k * n + j] = s * aki + c * akj;
              }
            for (k = 0; k < n; k++)
              {
                double aik = a[i * n + k], ajk = a[j * n + k];
                a[i * n + k] = c * aik - s * ajk;
                a[j * n + k] = s * aik + c * ajk;
              }
            for (k = 0; k < n; k++)
              {
                double vik = vecs[i * n + k], vjk = vecs[j * n + k];
                vecs[i * n + k] = c * vik - s * vjk;
                vecs[j * n + k] = s * vik + c * vjk;
              }
          }
    }
  for (i = 0; i < n; i++)
    vals[i] = a[i * n + i];

  /* selection sort, descending; n is small or this runs once */
  for (i = 0; i < n; i++)
    {
      int best = i;

      for (j = i + 1; j < n; j++)
        if (vals[j] > vals[best])
          best = j;
      if (best != i)
        {
          double t = vals[i];
          vals[i] = vals[best];
          vals[best] = t;
          for (k = 0; k < n; k++)
            {
              t = vecs[i * n + k];
              vecs[i * n + k] = vecs[best * n + k];
              vecs[best * n + k] = t;
            }
        }
    }
}

void
atelier_color_stats (const AtelierFeat *rgb,
                     const float       *weight,
                     AtelierColorStats *stats)
{
  size_t i, n = (size_t) rgb->width * rgb->height;
  double m[3] = { 0 }, c[9] = { 0 }, total = 0.0;
  int    a, b;

  if (weight)
    for (i = 0; i < n; i++)
      total += weight[i];
  /* no weight anywhere (all backdrop): every pixel counts alike */
  if (! (total > 0.0))
    {
      weight = NULL;
      total  = (double) n;
    }
  for (i = 0; i < n; i++)
    for (a = 0; a < 3; a++)
      m[a] += (weight ? weight[i] : 1.0) * rgb->data[3 * i + a];
  for (a = 0; a < 3; a++)
    m[a] /= total;
  for (i = 0; i < n; i++)
    {
      const float *p = rgb->data + 3 * i;
      double       w = weight ? weight[i] : 1.0;
      double       d[3] = { p[0] - m[0], p[1] - m[1], p[2] - m[2] };

      for (a = 0; a < 3; a++)
        for (b = a; b < 3; b++)
          c[a * 3 + b] += w * d[a] * d[b];
    }
  for (a = 0; a < 3; a++)
    {
      stats->mean[a] = (float) m[a];
      for (b = a; b < 3; b++)
        stats->cov[a * 3 + b] = stats->cov[b * 3 + a] =
          (float) (c[a * 3 + b] / total);
    }
}

/* out = V diag(max(vals, floor)^power) V^T for symmetric m. */
static void
matrix_function (const double *m, double power, double floor,
                 double *out)
{
  double a[9], vals[3], vecs[9];
  int    i, j, k;

  memcpy (a, m, sizeof a);
  atelier_symmetric_eigen (a, 3, vals, vecs);
  for (i = 0; i < 3; i++)
    for (j = 0; j < 3; j++)
      {
        double acc = 0.0;

        for (k = 0; k < 3; k++)
          acc += vecs[k * 3 + i] * pow (fmax (vals[k], floor), power) *
                 vecs[k * 3 + j];
        out[i * 3 + j] = acc;
      }
}

static void
matmul3 (const double *a, const double *b, double *out)
{
  int i, j, k;

  for (i = 0; i < 3; i++)
    for (j = 0; j < 3; j++)
      {
        double acc = 0.0;

        for (k = 0; k < 3; k++)
          acc += a[i * 3 + k] * b[k * 3 + j];
        out[i * 3 + j] = acc;
      }
}

void
atelier_color_map (const AtelierColorStats *src,
                   const AtelierColorStats *dst,
                   float                    matrix[9])
{
  double cs[9], cd[9], s_half[9], s_inv_half[9], t[9], mid[9], mid_half[9];
  double a[9];
  int    i;

  for (i = 0; i < 9; i++)
    {
      cs[i] = src->cov[i] + (i % 4 == 0 ? COV_EPS : 0.0);
      cd[i] = dst->cov[i] + (i % 4 == 0 ? COV_EPS : 0.0);
    }
  matrix_function (cs, 0.5, COV_EPS, s_half);
  matrix_function (cs, -0.5, COV_EPS, s_inv_half);
  matmul3 (s_half, cd, t);
  matmul3 (t, s_half, mid);
  /* mid's eigenvalues are products of two covariances' (>= COV_EPS^2):
   * flooring them at COV_EPS would distort every map */
  matrix_function (mid, 0.5, COV_EPS * COV_EPS, mid_half);
  matmul3 (s_inv_half, mid_half, t);
  matmul3 (t, s_inv_half, a);
  for (i = 0; i < 9; i++)
    matrix[i] = (float) a[i];
}

void
atelier_color_apply (AtelierFeat             *rgb,
                     const AtelierColorStats *src,
                     const AtelierColorStats *dst,
                     const float              m[9])
{
  size_t i, n = (size_t) rgb->width * rgb->height;
  int    a;

  for (i = 0; i < n; i++)
    {
      float *p = rgb->data + 3 * i;
      float  d[3] = { p[0] - src->mean[0], p[1] - src->mean[1],
                      p[2] - src->mean[2] };

      for (a = 0; a < 3; a++)
        {
          float v = m[a * 3] * d[0] + m[a * 3 + 1] * d[1] + m[a * 3 + 2] * d[2]
                    + dst->mean[a];
          p[a] = v < 0.0f ? 0.0f : (v > 1.0f ? 1.0f : v);
        }
    }
}

#define HIST_BINS 1024

/* weight: NULL, or one weight a pixel.  False when nothing has weight. */
static bool
cumulative_histogram (const AtelierFeat *f, const float *weight, double *cdf)
{
  size_t i, n = (size_t) f->width * f->height;
  double total = 0.0, acc = 0.0;

  memset (cdf, 0, HIST_BINS * sizeof *cdf);
  for (i = 0; i < n; i++)
    {
      float v = f->data[i];
      int   b = (int) (v * (HIST_BINS - 1) + 0.5f);

      cdf[b < 0 ? 0 : (b >= HIST_BINS ? HIST_BINS - 1 : b)] +=
        weight ? weight[i] : 1.0;
    }
  for (i = 0; i < HIST_BINS; i++)
    total += cdf[i];
  if (! (total > 0.0))
    return false;
  for (i = 0; i < HIST_BINS; i++)
    {
      acc += cdf[i];
      cdf[i] = acc / total;
    }
  return true;
}

void
atelier_histogram_match (AtelierFeat       *img,
                         const AtelierFeat *ref,
                         const float       *weight)
{
  /* on the stack (20 KiB; the synthesis calls this on the caller's
   * thread, not deep in it): nothing allocated, nothing to fail */
  double  ci[HIST_BINS], cr[HIST_BINS];
  float   lut[HIST_BINS];
  size_t  i, n = (size_t) img->width * img->height;
  int     b, r = 0;

  if (! cumulative_histogram (img, weight, ci))
    cumulative_histogram (img, NULL, ci);
  cumulative_histogram (ref, NULL, cr);
  for (b = 0; b < HIST_BINS; b++)
    {
      while (r < HIST_BINS - 1 && cr[r] < ci[b])
        r++;
      lut[b] = (float) r / (HIST_BINS - 1);
    }
  for (i = 0; i < n; i++)
    {
      float v  = img->data[i] * (HIST_BINS - 1);
      int   b0 = (int) v;
      float t  = v - b0;

      b0 = b0 < 0 ? 0 : (b0 >= HIST_BINS - 1 ? HIST_BINS - 2 : b0);
      img->data[i] = (1.0f - t) * lut[b0] + t * lut[b0 + 1];
    }
}

/* Public entry: colour statistics of style onto content. */
AtelierStatus
atelier_color_transfer (AtelierContext     *ctx,
                        const AtelierImage *content,
                        const AtelierImage *style,
                        float               strength,
                        bool                preserve_luminance,
                        AtelierImage       *out)
{
  AtelierFeat      *c = NULL, *s = NULL;
  AtelierColorStats cs, ss;
  float             m[9];
  AtelierStatus     st;
  int               x, y, k;

  if ((st = atelier_image_check (ctx, content, "content")) != ATELIER_OK ||
      (st = atelier_image_check (ctx, style, "style")) != ATELIER_OK ||
      (st = atelier_image_check (ctx, out, "output")) != ATELIER_OK)
    return st;
  if (out->width != content->width || out->height != content->height)
    {
      atelier_set_error (ctx, "output is %dx%d, content %dx%d", out->width,
                         out->height, content->width, content->height);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (! isfinite (strength) || strength < 0.0f || strength > 1.0f)
    {
      atelier_set_error (ctx, "strength %g is outside 0..1", (double) strength);
      return ATELIER_ERR_INVALID_PARAM;
    }
  c = atelier_feat_from_image (content);
  s = atelier_feat_from_image (style);
  if (! c || ! s)
    {
      atelier_set_error (ctx, "cannot allocate colour transfer buffers");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  atelier_color_stats (c, NULL, &cs);
  atelier_color_stats (s, NULL, &ss);
  atelier_color_map (&cs, &ss, m);
  atelier_color_apply (c, &cs, &ss, m);

  for (y = 0; y < content->height; y++)
    {
      const float *src = content->data + (size_t) y * content->stride;
      float       *dst = out->data + (size_t) y * out->stride;
      const float *t   = atelier_feat_at (c, 0, y);

      for (x = 0; x < content->width; x++)
        {
          float v[3] = { t[3 * x], t[3 * x + 1], t[3 * x + 2] };
          float alpha = src[4 * x + 3];

          if (preserve_luminance)
            {
              float dl = atelier_luma (src + 4 * x) - atelier_luma (v);
              for (k = 0; k < 3; k++)
                v[k] += dl;
            }
          for (k = 0; k < 3; k++)
            dst[4 * x + k] = src[4 * x + k] +
                             strength * (atelier_clamp01 (v[k]) - src[4 * x + k]);
          dst[4 * x + 3] = alpha;
        }
    }
out:
  atelier_feat_free (c);
  atelier_feat_free (s);
  return st;
}
