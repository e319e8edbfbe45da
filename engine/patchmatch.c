/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Nearest-neighbour fields: exact search by distance matrices (sgemm) at
 * the coarsest level, PatchMatch (Barnes et al. 2009) everywhere else.
 *
 * Determinism: the target is cut into bands of BAND_ROWS rows, fixed
 * whatever the thread count.  Inside its band a task propagates in scan
 * order from the field it is writing; across a band edge it reads the field
 * as it was when the pass began.  Random candidates are hashes of
 * (seed, iteration, pixel, try).  So every thread count gives the same
 * field. */
#include "internal.h"

#include <cblas.h>
#include <float.h>
#include <stdlib.h>
#include <string.h>

#define BAND_ROWS 16
#define EXACT_BLOCK 128
/* Style patches the exact search compares every target patch with, at
 * most.  A coarsest level holds a few thousand (about 48 px a side, 49k
 * at style scale 4 and best quality), so the cap never applies there; a
 * thin image (2048 x 10) cannot be reduced to a coarse level and would
 * compare 20k targets with 3M style patches (minutes, 3 GiB of distance
 * rows).  Over the cap, the candidates are a regular grid of the style's
 * positions and PatchMatch refines the matches from there. */
#define EXACT_MAX_CANDIDATES 65536

AtelierNnf *
atelier_nnf_new (int width,
                 int height)
{
  AtelierNnf *nnf = calloc (1, sizeof *nnf);

  if (! nnf)
    return NULL;
  nnf->width  = width;
  nnf->height = height;
  nnf->xy     = calloc ((size_t) width * height * 2, sizeof (int32_t));
  nnf->dist   = calloc ((size_t) width * height, sizeof (float));
  if (! nnf->xy || ! nnf->dist)
    {
      atelier_nnf_free (nnf);
      return NULL;
    }
  return nnf;
}

void
atelier_nnf_free (AtelierNnf *nnf)
{
  if (! nnf)
    return;
  free (nnf->xy);
  free (nnf->dist);
  free (nnf);
}

static inline int
clampi (int v, int lo, int hi)
{
  return v < lo ? lo : (v > hi ? hi : v);
}

static inline float
descriptor_distance (const float *a, const float *b, int dim)
{
  float acc = 0.0f;
  int   k;

  /* a fixed-order SIMD reduction: fast, and the same bits on every run */
#pragma omp simd reduction(+:acc)
  for (k = 0; k < dim; k++)
    {
      float d = a[k] - b[k];
      acc += d * d;
    }
  return acc;
}

static inline const float *
style_desc (const AtelierDescriptors *d, int x, int y)
{
  return d->style + ((size_t) y * d->ws + x) * d->dim;
}

static inline const float *
target_desc (const AtelierDescriptors *d, int x, int y)
{
  return d->target + ((size_t) y * d->wt + x) * d->dim;
}

/* ---- exact search ---- */

typedef struct
{
  const AtelierDescriptors *d;
  const float              *valid;      /* n_valid x dim        */
  const float              *valid_norm; /* n_valid              */
  const int32_t            *valid_xy;   /* n_valid x 2          */
  int                       n_valid;
  AtelierNnf               *nnf;
} ExactJob;

/* Targets block * EXACT_BLOCK.., their dot products with every
 * candidate in dots (a worker's scratch: EXACT_BLOCK x n_valid). */
static void
exact_block (int block, float *dots, void *data)
{
  const ExactJob           *job = data;
  const AtelierDescriptors *d   = job->d;
  int    n_t  = d->wt * d->ht;
  int    i0   = block * EXACT_BLOCK;
  int    nb   = i0 + EXACT_BLOCK < n_t ? EXACT_BLOCK : n_t - i0;
  int    i, j;

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, nb, job->n_valid,
               d->dim, 1.0f, d->target + (size_t) i0 * d->dim, d->dim,
               job->valid, d->dim, 0.0f, dots, job->n_valid);
  for (i = 0; i < nb; i++)
    {
      const float *t     = d->target + (size_t) (i0 + i) * d->dim;
      const float *row   = dots + (size_t) i * job->n_valid;
      float        tnorm = 0.0f, best = FLT_MAX;
      int          arg   = 0;

      for (j = 0; j < d->dim; j++)
        tnorm += t[j] * t[j];
      for (j = 0; j < job->n_valid; j++)
        {
          float dist = job->valid_norm[j] - 2.0f * row[j];
          if (dist < best)
            {
              best = dist;
              arg  = j;
            }
        }
      job->nnf->xy[2 * (size_t) (i0 + i)]     = job->valid_xy[2 * arg];
      job->nnf->xy[2 * (size_t) (i0 + i) + 1] = job->valid_xy[2 * arg + 1];
      best += tnorm;
      job->nnf->dist[i0 + i] = best > 0.0f ? best : 0.0f;
    }
}

AtelierStatus
atelier_nnf_exact (AtelierContext           *ctx,
                   int                       n_threads,
                   const AtelierDescriptors *d,
                   AtelierNnf               *nnf)
{
  const int r = ATELIER_PATCH_RADIUS;
  int       vw = d->ws - 2 * r, vh = d->hs - 2 * r;
  int       step = 1;
  ExactJob  job;
  float    *valid = NULL, *norm = NULL;
  int32_t  *xy = NULL;
  int       x, y, k, n_t = d->wt * d->ht, gw, gh;
  AtelierStatus st = ATELIER_ERR_NO_MEMORY;

  while ((size_t) ((vw + step - 1) / step) * ((vh + step - 1) / step) >
         EXACT_MAX_CANDIDATES)
    step++;
  gw  = (vw + step - 1) / step;
  gh  = (vh + step - 1) / step;
  job = (ExactJob) { d, NULL, NULL, NULL, gw * gh, nnf };
  valid = malloc ((size_t) job.n_valid * d->dim * sizeof (float));
  norm  = malloc ((size_t) job.n_valid * sizeof (float));
  xy    = malloc ((size_t) job.n_valid * 2 * sizeof (int32_t));
  if (! valid || ! norm || ! xy)
    goto out;
  for (y = 0; y < gh; y++)
    for (x = 0; x < gw; x++)
      {
        size_t       i   = (size_t) y * gw + x;
        int          sx  = x * step + r, sy = y * step + r;
        const float *src = style_desc (d, sx, sy);
        float        n2  = 0.0f;

        memcpy (valid + i * d->dim, src, d->dim * sizeof (float));
        for (k = 0; k < d->dim; k++)
          n2 += src[k] * src[k];
        norm[i]       = n2;
        xy[2 * i]     = sx;
        xy[2 * i + 1] = sy;
      }
  job.valid      = valid;
  job.valid_norm = norm;
  job.valid_xy   = xy;
  st = atelier_parallel_for_scratch (ctx, n_threads,
                                     (n_t + EXACT_BLOCK - 1) / EXACT_BLOCK,
                                     (size_t) EXACT_BLOCK * job.n_valid,
                                     exact_block, &job);
out:
  free (valid);
  free (norm);
  free (xy);
  return st;
}

/* ---- coarse to fine ---- */

void
atelier_nnf_upsample (const AtelierNnf *coarse,
                      int               coarse_ws,
                      int               coarse_hs,
                      int               fine_ws,
                      int               fine_hs,
                      AtelierNnf       *fine)
{
  const int r  = ATELIER_PATCH_RADIUS;
  float     tx = (float) coarse->width / fine->width;
  float     ty = (float) coarse->height / fine->height;
  float     sx = (float) fine_ws / coarse_ws;
  float     sy = (float) fine_hs / coarse_hs;
  int       x, y;

  for (y = 0; y < fine->height; y++)
    for (x = 0; x < fine->width; x++)
      {
        int            cx = clampi ((int) ((x + 0.5f) * tx), 0, coarse->width - 1);
        int            cy = clampi ((int) ((y + 0.5f) * ty), 0, coarse->height - 1);
        const int32_t *c  = coarse->xy + 2 * ((size_t) cy * coarse->width + cx);
        /* keep the sub-patch offset so neighbours stay coherent */
        float          fx = (c[0] + 0.5f) * sx - 0.5f + (x + 0.5f - (cx + 0.5f) / tx);
        float          fy = (c[1] + 0.5f) * sy - 0.5f + (y + 0.5f - (cy + 0.5f) / ty);
        int32_t       *f  = fine->xy + 2 * ((size_t) y * fine->width + x);

        f[0] = clampi ((int) (fx + 0.5f), r, fine_ws - 1 - r);
        f[1] = clampi ((int) (fy + 0.5f), r, fine_hs - 1 - r);
      }
}

/* ---- PatchMatch ---- */

typedef struct
{
  const AtelierDescriptors *d;
  AtelierNnf               *nnf;
  const int32_t            *old_xy;
  const float              *occ;        /* NULL or ws x hs penalty */
  float                     coherence;
  uint64_t                  seed;
  int                       iteration;
} PassJob;

static void
rescore_rows (int task, void *data)
{
  const PassJob            *job = data;
  const AtelierDescriptors *d   = job->d;
  int y0 = task * BAND_ROWS;
  int y1 = y0 + BAND_ROWS < d->ht ? y0 + BAND_ROWS : d->ht;
  int x, y;

  for (y = y0; y < y1; y++)
    for (x = 0; x < d->wt; x++)
      {
        size_t         i = (size_t) y * d->wt + x;
        const int32_t *s = job->nnf->xy + 2 * i;

        job->nnf->dist[i] = descriptor_distance (target_desc (d, x, y),
                                                 style_desc (d, s[0], s[1]),
                                                 d->dim);
      }
}

void
atelier_nnf_rescore (AtelierContext           *ctx,
                     int                       n_threads,
                     const AtelierDescriptors *d,
                     AtelierNnf               *nnf)
{
  PassJob job = { d, nnf, NULL, NULL, 0.0f, 0, 0 };

  atelier_parallel_for (ctx, n_threads, (d->ht + BAND_ROWS - 1) / BAND_ROWS,
                        rescore_rows, &job);
}

static inline float
penalty (const PassJob *job, int sx, int sy)
{
  return job->occ ? job->occ[(size_t) sy * job->d->ws + sx] : 0.0f;
}

/* Tries style centre (sx, sy) for target pixel i; keeps it if cheaper. */
static inline void
try_candidate (const PassJob *job, const float *t, size_t i, int sx, int sy,
               float bonus, float *best_cost)
{
  const AtelierDescriptors *d = job->d;
  const int r  = ATELIER_PATCH_RADIUS;
  int32_t  *xy = job->nnf->xy + 2 * i;
  float     pen, dist;

  sx = clampi (sx, r, d->ws - 1 - r);
  sy = clampi (sy, r, d->hs - 1 - r);
  if (sx == xy[0] && sy == xy[1])
    return;
  pen = penalty (job, sx, sy) - bonus;
  if (pen >= *best_cost)
    return;
  dist = descriptor_distance (t, style_desc (d, sx, sy), d->dim);
  if (dist + pen < *best_cost)
    {
      *best_cost        = dist + pen;
      xy[0]             = sx;
      xy[1]             = sy;
      job->nnf->dist[i] = dist;
    }
}

static void
pass_band (int task, void *data)
{
  const PassJob            *job = data;
  const AtelierDescriptors *d   = job->d;
  AtelierNnf *nnf     = job->nnf;
  bool        forward = (job->iteration & 1) == 0;
  int         step    = forward ? 1 : -1;
  int         y0      = task * BAND_ROWS;
  int         y1      = y0 + BAND_ROWS < d->ht ? y0 + BAND_ROWS : d->ht;
  int         max_r   = d->ws > d->hs ? d->ws : d->hs;
  int         ys      = forward ? y0 : y1 - 1;
  int         ye      = forward ? y1 : y0 - 1;
  int         xs      = forward ? 0 : d->wt - 1;
  int         xe      = forward ? d->wt : -1;
  int         x, y;

  for (y = ys; y != ye; y += step)
    for (x = xs; x != xe; x += step)
      {
        size_t       i    = (size_t) y * d->wt + x;
        const float *t    = target_desc (d, x, y);
        int32_t     *xy   = nnf->xy + 2 * i;
        float        best = nnf->dist[i] + penalty (job, xy[0], xy[1]);
        int          nx   = x - step, ny = y - step, radius, k = 0;
        uint64_t     h;

        /* propagation: the neighbour's match shifted by one pixel */
        if (nx >= 0 && nx < d->wt)
          {
            const int32_t *n = nnf->xy + 2 * (i - step);
            try_candidate (job, t, i, n[0] + step, n[1], job->coherence, &best);
          }
        if (ny >= 0 && ny < d->ht)
          {
            /* rows of another band are read as the pass found them */
            const int32_t *src = (ny >= y0 && ny < y1) ? nnf->xy : job->old_xy;
            const int32_t *n   = src + 2 * ((size_t) ny * d->wt + x);
            try_candidate (job, t, i, n[0], n[1] + step, job->coherence, &best);
          }

        /* random search in shrinking windows around the current match */
        h = atelier_hash (job->seed, ((uint64_t) job->iteration << 40) ^ i);
        for (radius = max_r; radius >= 1; radius /= 2, k++)
          {
            uint64_t rnd = atelier_hash (h, (uint64_t) k);
            int      ox  = (int) (rnd & 0xffff) % (2 * radius + 1) - radius;
            int      oy  = (int) ((rnd >> 16) & 0xffff) % (2 * radius + 1) - radius;

            try_candidate (job, t, i, xy[0] + ox, xy[1] + oy, 0.0f, &best);
          }
      }
}

/* Occurrence penalty per style centre: how much more than its share the
 * neighbourhood of a style pixel is used (Kaspar et al. 2015), times
 * weight.  Counts come from the field at the start of the pass. */
static float *
occurrence_map (const AtelierDescriptors *d, const AtelierNnf *nnf,
                float weight)
{
  const int r     = ATELIER_PATCH_RADIUS;
  size_t    n_s   = (size_t) d->ws * d->hs;
  float    *count = calloc (n_s, sizeof (float));
  float    *occ   = calloc (n_s, sizeof (float));
  float     share;
  size_t    i;
  int       x, y, k;

  if (! count || ! occ)
    {
      free (count);
      free (occ);
      return NULL;
    }
  for (i = 0; i < (size_t) d->wt * d->ht; i++)
    count[(size_t) nnf->xy[2 * i + 1] * d->ws + nnf->xy[2 * i]] += 1.0f;

  /* box sum over the patch footprint: rows then columns */
  for (y = 0; y < d->hs; y++)
    for (x = 0; x < d->ws; x++)
      {
        float acc = 0.0f;
        for (k = -r; k <= r; k++)
          acc += count[(size_t) y * d->ws + clampi (x + k, 0, d->ws - 1)];
        occ[(size_t) y * d->ws + x] = acc;
      }
  for (x = 0; x < d->ws; x++)
    for (y = 0; y < d->hs; y++)
      {
        float acc = 0.0f;
        for (k = -r; k <= r; k++)
          acc += occ[(size_t) clampi (y + k, 0, d->hs - 1) * d->ws + x];
        count[(size_t) y * d->ws + x] = acc;
      }
  share = (float) ATELIER_PATCH * ATELIER_PATCH * d->wt * d->ht /
          ((float) (d->ws - 2 * r) * (d->hs - 2 * r));
  for (i = 0; i < n_s; i++)
    occ[i] = weight * count[i] / share;
  free (count);
  return occ;
}

AtelierStatus
atelier_patchmatch_pass (AtelierContext           *ctx,
                         int                       n_threads,
                         const AtelierDescriptors *d,
                         AtelierNnf               *nnf,
                         float                     occurrence_weight,
                         float                     coherence,
                         uint64_t                  seed,
                         int                       iteration)
{
  size_t   n   = (size_t) d->wt * d->ht;
  int32_t *old = malloc (n * 2 * sizeof (int32_t));
  float   *occ = NULL;
  PassJob  job = { d, nnf, old, NULL, coherence, seed, iteration };

  if (old && occurrence_weight > 0.0f)
    occ = occurrence_map (d, nnf, occurrence_weight);
  if (! old || (occurrence_weight > 0.0f && ! occ))
    {
      free (old);
      return ATELIER_ERR_NO_MEMORY;
    }
  memcpy (old, nnf->xy, n * 2 * sizeof (int32_t));
  job.occ = occ;
  atelier_parallel_for (ctx, n_threads, (d->ht + BAND_ROWS - 1) / BAND_ROWS,
                        pass_band, &job);
  free (occ);
  free (old);
  return ATELIER_OK;
}
