/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Internal declarations shared by the engine's stages.  Not installed:
 * plug-ins and the CLI include only atelier.h; unit tests may include this
 * to drive one stage.  What only the example-based pipeline's stages
 * share (steering, analysis, synthesis, render) is in synth.h. */
#ifndef ATELIER_INTERNAL_H
#define ATELIER_INTERNAL_H

#include "atelier.h"

#include <stdint.h>

#define ATELIER_PATCH        7   /* patch side at every level            */
#define ATELIER_PATCH_RADIUS 3

/* ---- context.c: errors, params, thread pool ---- */

void atelier_set_error (AtelierContext *ctx, const char *fmt, ...)
  __attribute__ ((format (printf, 2, 3)));
/* Marks a message a user sees for the plug-ins' catalogue (xgettext
 * --keyword=ATELIER_N_); atelier_set_error passes every format through
 * the context's translate function (atelier_context_set_translate). */
#define ATELIER_N_(format) format

/* Runs fn (task, data) for task in 0..n_tasks-1 on the context's pool
 * (at most n_threads workers, the caller among them).  Tasks must write
 * disjoint memory; the split must not depend on the thread count. */
typedef void (*AtelierTaskFunc) (int task, void *data);

void atelier_parallel_for (AtelierContext  *ctx,
                           int              n_threads,
                           int              n_tasks,
                           AtelierTaskFunc  fn,
                           void            *data);

int  atelier_context_threads (const AtelierContext *ctx);

/* The workers a job of n_items uses: n_threads (0: the pool's), no more
 * than the pool has or there are items. */
int  atelier_pool_workers    (const AtelierContext *ctx,
                              int                   n_threads,
                              int                   n_items);

/* Runs fn (item, scratch, data) for item in 0..n_items-1 on the pool,
 * each worker with scratch_floats floats of its own: the scratch is
 * allocated here, before any item runs, so that a worker never meets an
 * allocation it could not report (ATELIER_ERR_NO_MEMORY, nothing run).
 * Which worker runs an item must not change what the item writes. */
typedef void (*AtelierItemFunc) (int item, float *scratch, void *data);

AtelierStatus atelier_parallel_for_scratch (AtelierContext  *ctx,
                                            int              n_threads,
                                            int              n_items,
                                            size_t           scratch_floats,
                                            AtelierItemFunc  fn,
                                            void            *data);

/* Counter-based random numbers: the same inputs give the same bits on any
 * thread, in any order. */
static inline uint64_t
atelier_hash (uint64_t a, uint64_t b)
{
  uint64_t z = a * 0x9E3779B97F4A7C15ull + b + 0x632BE59BD9B4E019ull;

  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* ---- image.c: planar multi-channel float images ---- */

/* A feature image: c interleaved float channels, rows packed. */
typedef struct
{
  int    width;
  int    height;
  int    channels;
  float *data;
} AtelierFeat;

AtelierFeat *atelier_feat_new    (int width, int height, int channels);
void         atelier_feat_free   (AtelierFeat *f);
AtelierFeat *atelier_feat_copy   (const AtelierFeat *f);

static inline float *
atelier_feat_at (const AtelierFeat *f, int x, int y)
{
  return f->data + ((size_t) y * f->width + x) * f->channels;
}

/* ATELIER_OK if width x height is within ATELIER_MIN_SIZE..MAX_SIZE on each
 * side, else the error "<what> image is WxH; ..." set on ctx. */
AtelierStatus atelier_size_check (AtelierContext *ctx, int width, int height,
                                  const char *what);

/* Checks size, data and stride of a public image view. */
AtelierStatus atelier_image_check (AtelierContext     *ctx,
                                   const AtelierImage *img,
                                   const char         *what);

/* The checks every in-memory call (atelier_stylize, atelier_net_stylize)
 * makes before it touches a pixel: params valid, content and out images,
 * of one size, not aliased, the mask (if any) of that size too. */
AtelierStatus atelier_call_check  (AtelierContext      *ctx,
                                   const AtelierParams *params,
                                   const AtelierImage  *content,
                                   const AtelierImage  *out);

/* Copies the RGB of img into a new 3-channel feature image. */
AtelierFeat *atelier_feat_from_image (const AtelierImage *img);

/* One axis of a resize: n_src samples (src_step floats apart, channels
 * <= 16 each) to n_dst.  Downscaling area-averages (each output sample
 * integrates the input over its footprint, so it does not alias);
 * upscaling interpolates linearly between centres. */
void atelier_resample_axis (const float *src, int n_src, int src_step,
                            float *dst, int n_dst, int dst_step,
                            int channels);

/* Area-averaging (down) or bilinear (up) resize to width x height. */
AtelierFeat *atelier_feat_resize (const AtelierFeat *src,
                                  int                width,
                                  int                height);

/* Luma (Rec. 601 on non-linear RGB) of a 3-channel image, 1 channel. */
AtelierFeat *atelier_feat_luma   (const AtelierFeat *rgb);

/* Separable Gaussian blur in place, sigma in pixels; border clamped.
 * ATELIER_ERR_NO_MEMORY (f untouched) when its scratch cannot be had. */
AtelierStatus atelier_feat_blur  (AtelierFeat *f, float sigma);

/* Bilinear sample of channel-interleaved f at continuous (x, y) into out
 * (f->channels floats); coordinates are clamped to the image.  Inline: the
 * render calls it ATELIER_PATCH^2 times a pixel. */
static inline void
atelier_feat_sample (const AtelierFeat *f,
                     float              x,
                     float              y,
                     float             *out)
{
  int          x0, y0, x1, y1, c;
  float        tx, ty;
  const float *a, *b, *p, *q;

  x  = x < 0.0f ? 0.0f : (x > f->width - 1 ? (float) (f->width - 1) : x);
  y  = y < 0.0f ? 0.0f : (y > f->height - 1 ? (float) (f->height - 1) : y);
  x0 = (int) x;
  y0 = (int) y;
  x1 = x0 + 1 < f->width ? x0 + 1 : x0;
  y1 = y0 + 1 < f->height ? y0 + 1 : y0;
  tx = x - x0;
  ty = y - y0;
  a  = atelier_feat_at (f, x0, y0);
  b  = atelier_feat_at (f, x1, y0);
  p  = atelier_feat_at (f, x0, y1);
  q  = atelier_feat_at (f, x1, y1);
  for (c = 0; c < f->channels; c++)
    out[c] = (1.0f - ty) * ((1.0f - tx) * a[c] + tx * b[c]) +
             ty * ((1.0f - tx) * p[c] + tx * q[c]);
}

/* v clamped to 0..1; NaN becomes 0, so one bad pixel cannot poison a whole
 * patch search or spread through the output. */
static inline float
atelier_clamp01 (float v)
{
  return v > 0.0f ? (v < 1.0f ? v : 1.0f) : 0.0f;
}

static inline float
atelier_luma (const float *rgb)
{
  return 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
}

/* ---- tone_map.c ---- */

/* A global map of luminance: l -> gain * l + offset, chroma kept. */
typedef struct
{
  float gain, offset;
} AtelierToneMap;

/* Mean and standard deviation of the luma of width x height pixels of
 * channels floats (3 or 4: RGB first; 1: the value is the luma), rows
 * row_stride floats apart. */
void           atelier_luma_moments (const float *px, int width, int height,
                                     size_t row_stride, int channels,
                                     double *mean, double *sd);
/* The map that takes an output of these moments to the photo's. */
AtelierToneMap atelier_tone_map_fit (double out_mean, double out_sd,
                                     double photo_mean, double photo_sd);

static inline void
atelier_tone_map_apply (const AtelierToneMap *t, float *rgb)
{
  float l = atelier_luma (rgb);
  float d = (t->gain - 1.0f) * l + t->offset;

  rgb[0] += d;
  rgb[1] += d;
  rgb[2] += d;
}

/* ---- pyramid.c ---- */

/* Level 0 is the finest.  Each level halves the previous (rounding up)
 * until the long side would fall below min_side. */
typedef struct
{
  int           n_levels;
  AtelierFeat **levels;
} AtelierPyramid;

AtelierPyramid *atelier_pyramid_new  (const AtelierFeat *base,
                                      int                min_side,
                                      int                max_levels);
void            atelier_pyramid_free (AtelierPyramid *p);

/* ---- color_transfer.c ---- */

typedef struct
{
  float mean[3];
  float cov[9];
} AtelierColorStats;

/* Mean and covariance of rgb; weight, if not NULL, holds one weight a
 * pixel (all zero counts as NULL). */
void atelier_color_stats (const AtelierFeat *rgb, const float *weight,
                          AtelierColorStats *stats);

/* The linear map (Monge-Kantorovich) taking src statistics to dst:
 * x' = A (x - mean_src) + mean_dst.  matrix is row-major 3x3. */
void atelier_color_map   (const AtelierColorStats *src,
                          const AtelierColorStats *dst,
                          float                    matrix[9]);

/* Applies the map to rgb in place, clamped to 0..1. */
void atelier_color_apply (AtelierFeat             *rgb,
                          const AtelierColorStats *src,
                          const AtelierColorStats *dst,
                          const float              matrix[9]);

/* Remaps a 1-channel image so its histogram matches ref's (quantile
 * mapping over 1024 bins).  weight, if not NULL, holds one weight a pixel
 * of img: how much that pixel counts in img's histogram (all pixels are
 * remapped); all-zero weights count as NULL. */
void atelier_histogram_match (AtelierFeat       *img,
                              const AtelierFeat *ref,
                              const float       *weight);

/* Eigen-decomposition of a symmetric n x n matrix (Jacobi), eigenvalues
 * descending, eigenvectors as rows of vecs.  a is destroyed. */
void atelier_symmetric_eigen (double *a, int n, double *vals, double *vecs);

/* ---- pca.c ---- */

#define ATELIER_PCA_MAX_COMP 64

/* A PCA basis of patch descriptors: dim inputs -> n_comp outputs
 * (1..ATELIER_PCA_MAX_COMP). */
typedef struct
{
  int    dim;
  int    n_comp;
  float *mean;    /* dim                         */
  float *basis;   /* n_comp x dim, row-major      */
} AtelierPca;

/* Learns the basis from the rows of samples (n x dim). */
AtelierPca *atelier_pca_new     (const float *samples, int n, int dim,
                                 int n_comp);
void        atelier_pca_free    (AtelierPca *pca);

/* out (n x n_comp) = (in (n x dim) - mean) basis^T, by sgemm. */
void        atelier_pca_project (const AtelierPca *pca, const float *in,
                                 int n, float *out);

/* Gathers the descriptor of the patch centred at (x, y) of f (clamped at
 * the border), each channel multiplied by its weight. */
void        atelier_patch_gather (const AtelierFeat *f, int x, int y,
                                  const float *channel_weights, float *out);

/* Projects the descriptors of every pixel of f into out
 * (width*height x n_comp), in row blocks on the pool.
 * ATELIER_ERR_NO_MEMORY, out untouched, without the workers' scratch. */
AtelierStatus atelier_pca_project_image (AtelierContext    *ctx,
                                         int                n_threads,
                                         const AtelierPca  *pca,
                                         const AtelierFeat *f,
                                         const float       *channel_weights,
                                         float             *out);

/* ---- patchmatch.c ---- */

/* A nearest-neighbour field: for each target pixel, the centre of the
 * matching style patch and the distance of the match. */
typedef struct
{
  int      width;
  int      height;
  int32_t *xy;     /* 2 per pixel */
  float   *dist;   /* 1 per pixel */
} AtelierNnf;

AtelierNnf *atelier_nnf_new  (int width, int height);
void        atelier_nnf_free (AtelierNnf *nnf);

/* Descriptors of the style (ws x hs x dim) and target (wt x ht x dim). */
typedef struct
{
  int          dim;
  int          ws, hs;
  const float *style;
  int          wt, ht;
  const float *target;
} AtelierDescriptors;

/* Exact nearest neighbours by sgemm distance matrices (small levels).
 * ATELIER_ERR_NO_MEMORY, nnf untouched, without the candidates' copy or
 * the workers' scratch. */
AtelierStatus atelier_nnf_exact (AtelierContext           *ctx,
                                 int                       n_threads,
                                 const AtelierDescriptors *d,
                                 AtelierNnf               *nnf);

/* Scales a coarse field to the size of fine, keeping coherence. */
void atelier_nnf_upsample (const AtelierNnf *coarse,
                           int               coarse_ws,
                           int               coarse_hs,
                           int               fine_ws,
                           int               fine_hs,
                           AtelierNnf       *fine);

/* Recomputes dist of every pixel for the current descriptors. */
void atelier_nnf_rescore (AtelierContext           *ctx,
                          int                       n_threads,
                          const AtelierDescriptors *d,
                          AtelierNnf               *nnf);

/* One PatchMatch pass: propagation (scan order alternates with iteration)
 * and random search.  occurrence > 0 (a weight) adds a penalty for style
 * patches used more than their share; coherence > 0 is a bonus (in
 * distance units) for continuing a neighbour's match, which copies larger
 * coherent pieces of the style (Ashikhmin's coherence).
 * ATELIER_ERR_NO_MEMORY, nnf untouched, without the pass's copy of the
 * field or its occurrence map. */
AtelierStatus atelier_patchmatch_pass (AtelierContext           *ctx,
                                       int                       n_threads,
                                       const AtelierDescriptors *d,
                                       AtelierNnf               *nnf,
                                       float                     occurrence,
                                       float                     coherence,
                                       uint64_t                  seed,
                                       int                       iteration);

/* ---- voting.c ---- */

/* Voting: each output pixel is the robust weighted average of the style
 * pixels that the overlapping patches put there.  Target and style share
 * scale (factor 1).  out has style->channels channels (at most 8: else
 * ATELIER_ERR_INVALID_PARAM); ATELIER_ERR_NO_MEMORY without the weights.
 * out is untouched on either. */
AtelierStatus atelier_vote (AtelierContext    *ctx,
                            int                n_threads,
                            const AtelierNnf  *nnf,
                            const AtelierFeat *style,
                            AtelierFeat       *out);

/* Voting weight of every target pixel's match (malloc'd, width*height). */
float *atelier_vote_weights (const AtelierNnf *nnf);

/* Voting onto out, a region at (x0, y0) of a target scale_x, scale_y times
 * larger than the field; style holds the style at style_sx, style_sy times
 * the scale the field's coordinates refer to.  Sampling is bilinear.
 * ATELIER_ERR_INVALID_PARAM (out untouched) for a style of over 8
 * channels. */
AtelierStatus atelier_vote_scaled (AtelierContext    *ctx,
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
                                   AtelierFeat       *out);

/* The patch weight voting gives a match of distance dist. */
static inline float
atelier_vote_weight (float dist, float dist_scale)
{
  float d = dist / dist_scale;

  return 1.0f / (0.05f + d);
}

#endif /* ATELIER_INTERNAL_H */
