/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Voting: every target patch proposes the style pixels under its match for
 * the pixels it covers; a pixel takes the weighted average of the
 * proposals of the patches centred within VOTE_RADIUS of it.  Weights fall with the match's distance (robust: bad matches
 * barely count, Kwatra et al. 2005) and with the distance from the patch
 * centre (sharper strokes than a flat average).  Each pixel gathers its own
 * proposals, so rows split across threads without locks. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

#define VOTE_ROWS 16
#define SPATIAL_SIGMA 1.0f
/* Patches centred further than 2 sigma away would weigh under 2 % (a 7x7
 * patch reaches 3): the truncation halves the taps for nothing visible. */
#define VOTE_RADIUS   (ATELIER_PATCH_RADIUS < 2 ? ATELIER_PATCH_RADIUS : 2)
#define VOTE_SIDE     (2 * VOTE_RADIUS + 1)
/* the channels a pixel's sums hold on the stack */
#define VOTE_MAX_CHANNELS 8

typedef struct
{
  const AtelierNnf  *nnf;
  const AtelierFeat *style;
  AtelierFeat       *out;
  const float       *weights;    /* per target pixel */
  float              spatial[VOTE_SIDE * VOTE_SIDE];
  /* render geometry: output pixel P reads target (P + 0.5) / scale - 0.5
   * and style (u + 0.5) * style_scale - 0.5 */
  float              scale_x, scale_y;
  float              style_sx, style_sy;
  int                x0, y0;
} VoteJob;

static void
spatial_kernel (float *k)
{
  const int r = VOTE_RADIUS;
  int       dx, dy;

  for (dy = -r; dy <= r; dy++)
    for (dx = -r; dx <= r; dx++)
      k[(dy + r) * VOTE_SIDE + dx + r] =
        expf (-0.5f * (dx * dx + dy * dy) / (SPATIAL_SIGMA * SPATIAL_SIGMA));
}

/* Per-pixel weights from the match distances, scaled by their mean so the
 * weighting does not depend on descriptor units. */
float *
atelier_vote_weights (const AtelierNnf *nnf)
{
  size_t i, n = (size_t) nnf->width * nnf->height;
  float *w = malloc (n * sizeof (float));
  double mean = 0.0;

  if (! w)
    return NULL;
  for (i = 0; i < n; i++)
    mean += nnf->dist[i];
  mean = mean / n + 1e-6;
  for (i = 0; i < n; i++)
    w[i] = atelier_vote_weight (nnf->dist[i], (float) mean);
  return w;
}

static void
vote_rows (int task, void *data)
{
  const VoteJob    *job = data;
  const AtelierNnf *nnf = job->nnf;
  const int         r   = VOTE_RADIUS;
  int               c   = job->style->channels;
  int               y0  = task * VOTE_ROWS;
  int               y1  = y0 + VOTE_ROWS < nnf->height ? y0 + VOTE_ROWS : nnf->height;
  int               x, y, dx, dy, k;

  for (y = y0; y < y1; y++)
    for (x = 0; x < nnf->width; x++)
      {
        float  acc[VOTE_MAX_CHANNELS] = { 0 };
        float  total  = 0.0f;
        float *o      = atelier_feat_at (job->out, x, y);

        for (dy = -r; dy <= r; dy++)
          {
            int qy = y + dy;

            if (qy < 0 || qy >= nnf->height)
              continue;
            for (dx = -r; dx <= r; dx++)
              {
                int            qx = x + dx;
                size_t         q  = (size_t) qy * nnf->width + qx;
                const int32_t *m;
                const float   *s;
                float          w;

                if (qx < 0 || qx >= nnf->width)
                  continue;
                m = nnf->xy + 2 * q;
                s = atelier_feat_at (job->style, m[0] - dx, m[1] - dy);
                w = job->weights[q] * job->spatial[(r - dy) * VOTE_SIDE + r - dx];
                for (k = 0; k < c; k++)
                  acc[k] += w * s[k];
                total += w;
              }
          }
        for (k = 0; k < c; k++)
          o[k] = acc[k] / total;
      }
}

AtelierStatus
atelier_vote (AtelierContext    *ctx,
              int                n_threads,
              const AtelierNnf  *nnf,
              const AtelierFeat *style,
              AtelierFeat       *out)
{
  VoteJob job = { nnf, style, out, NULL, { 0 }, 1.0f, 1.0f, 1.0f, 1.0f, 0, 0 };
  float  *weights;

  if (style->channels > VOTE_MAX_CHANNELS)
    return ATELIER_ERR_INVALID_PARAM;
  weights = atelier_vote_weights (nnf);
  if (! weights)
    return ATELIER_ERR_NO_MEMORY;
  job.weights = weights;
  spatial_kernel (job.spatial);
  atelier_parallel_for (ctx, n_threads, (nnf->height + VOTE_ROWS - 1) / VOTE_ROWS,
                        vote_rows, &job);
  free (weights);
  return ATELIER_OK;
}

/* ---- voting at another scale, for the full-size render ---- */

static void
vote_scaled_rows (int task, void *data)
{
  const VoteJob    *job = data;
  const AtelierNnf *nnf = job->nnf;
  const int         r   = VOTE_RADIUS;
  int               c   = job->style->channels;
  int               y0  = task * VOTE_ROWS;
  int               y1  = y0 + VOTE_ROWS < job->out->height ? y0 + VOTE_ROWS : job->out->height;
  int               x, y, dx, dy, k;

  for (y = y0; y < y1; y++)
    for (x = 0; x < job->out->width; x++)
      {
        float  px = (job->x0 + x + 0.5f) / job->scale_x - 0.5f;
        float  py = (job->y0 + y + 0.5f) / job->scale_y - 0.5f;
        int    cx = (int) floorf (px + 0.5f), cy = (int) floorf (py + 0.5f);
        float  acc[VOTE_MAX_CHANNELS] = { 0 };
        float  sample[VOTE_MAX_CHANNELS];
        float  total  = 0.0f;
        float *o      = atelier_feat_at (job->out, x, y);

        float  gx[VOTE_SIDE], gy[VOTE_SIDE];

        /* the spatial Gaussian is separable: 2P exponentials, not P^2 */
        for (k = -r; k <= r; k++)
          {
            float ox = px - (cx + k), oy = py - (cy + k);
            gx[k + r] = expf (-0.5f * ox * ox / (SPATIAL_SIGMA * SPATIAL_SIGMA));
            gy[k + r] = expf (-0.5f * oy * oy / (SPATIAL_SIGMA * SPATIAL_SIGMA));
          }
        for (dy = -r; dy <= r; dy++)
          {
            int qy = cy + dy;

            if (qy < 0 || qy >= nnf->height)
              continue;
            for (dx = -r; dx <= r; dx++)
              {
                int            qx = cx + dx;
                size_t         q  = (size_t) qy * nnf->width + qx;
                const int32_t *m;
                float          w;

                if (qx < 0 || qx >= nnf->width)
                  continue;
                m = nnf->xy + 2 * q;
                w = job->weights[q] * gx[dx + r] * gy[dy + r];
                atelier_feat_sample (job->style,
                                     (m[0] + px - qx + 0.5f) * job->style_sx - 0.5f,
                                     (m[1] + py - qy + 0.5f) * job->style_sy - 0.5f,
                                     sample);
                for (k = 0; k < c; k++)
                  acc[k] += w * sample[k];
                total += w;
              }
          }
        for (k = 0; k < c; k++)
          o[k] = acc[k] / total;
      }
}

AtelierStatus
atelier_vote_scaled (AtelierContext    *ctx,
                     int                n_threads,
                     const AtelierNnf  *nnf,
                     const float       *weights,
                     const AtelierFeat *style,
                     float              scale_x,
                     float              scale_y,
                     float              style_sx,
                     float              style_sy,
                     int                x0,
                     int                y0,
                     AtelierFeat       *out)
{
  VoteJob job = { nnf, style, out, weights, { 0 }, scale_x, scale_y,
                  style_sx, style_sy, x0, y0 };

  if (style->channels > VOTE_MAX_CHANNELS)
    return ATELIER_ERR_INVALID_PARAM;
  atelier_parallel_for (ctx, n_threads, (out->height + VOTE_ROWS - 1) / VOTE_ROWS,
                        vote_scaled_rows, &job);
  return ATELIER_OK;
}
