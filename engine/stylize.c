/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The style-transfer pipeline: guided patch synthesis over a pyramid at a
 * working resolution (atelier_synth_new), then a full-size render in tiles
 * (atelier_synth_render).  atelier_stylize runs both over in-memory images.
 *
 * Full-size float copies: none besides the caller's images.  The synthesis
 * holds a handful of working-resolution feature images per level. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_GUIDES     2       /* matched luma, blurred matched luma        */
#define N_CHANNELS   (3 + N_GUIDES)
#define GUIDE_BLUR   2.0f    /* pixels of the level                       */
#define COARSE_SIDE  48      /* the coarsest level's long side, about     */
#define MIN_STYLE    32      /* the style's working long side, at least   */
#define RENDER_ROWS  128
#define RENDER_TASK_ROWS 16
#define SMOOTH_STYLE 0.07    /* fine contrast below which a style is smooth */
#define FLAT_STD     0.015f  /* local luma std under which content is a
                                 clean backdrop that stays clean          */
#define BACKDROP_FLAT 0.5f   /* flatness from which a pixel is backdrop   */
#define BACKDROP_BLUR 4.0f   /* pixels of the working size               */
#define DETAIL_BLUR  3.0f    /* pixels of the working size: "detail" is finer */
#define TONE_BLUR    3.0f    /* pixels of the working size: a product's
                                tonal layout, coarser than its strokes    */
#define PRODUCT_EXTENT 0.8f  /* subject extent from which the frame is a
                                product shot, fully                       */
/* work_render's channels: the content's guides (luma blurred, flatness;
 * atelier_flatness_guide), the paint's RGB blurred, for backdrops, and
 * the tone shift that holds a product's tonal layout */
#define RENDER_CHANNELS 6

/* What each quality level costs and buys. */
typedef struct
{
  int work_side;     /* working long side                        */
  int n_comp;        /* PCA components of a patch descriptor     */
  int em_coarse;     /* EM iterations at coarse levels           */
  int em_fine;       /* EM iterations at the finest level        */
  int pm_passes;     /* PatchMatch passes per EM iteration       */
} QualityPreset;

/* normal works at 768: at 1024 it took 1.6x the time for no better
 * style-score figures (the render puts the full-size detail back) */
static const QualityPreset quality_presets[] = {
  [ATELIER_QUALITY_PREVIEW] = {  384, 12, 2, 1, 1 },
  [ATELIER_QUALITY_NORMAL]  = { 768, 16, 3, 2, 1 },
  [ATELIER_QUALITY_BEST]    = { 2048, 24, 4, 3, 2 },
};

/* How strength steers the synthesis; all of them fall as strength grows. */
typedef struct
{
  float guide;       /* weight of the guide channels vs colour    */
  float fusion;      /* pull of the colour-matched content, 0..   */
  float occurrence;  /* repetition penalty, x the mean distance   */
  float coherence;   /* bonus for coherent copies, x mean distance */
  float detail;      /* full-size content detail added back (the
                        synthesis scales it by detail_gain)      */
  float flat;        /* how clean flat backdrops stay, 0..1       */
  float hold;        /* how firmly a product keeps its tones, 0..1 */
  float blend;       /* final mix with the content, 1 = all style */
} Steering;

static Steering
steering_for (float s)
{
  Steering st;
  float    k = 1.0f - s;

  /* tuned with style-score on the bench pairs at 512: at the default 0.7
   * the strokes' texture is at G'MIC's level or below while SSIM to the
   * content stays 0.15-0.45 above it */
  st.guide      = 0.02f + 2.0f * k * k;
  st.fusion     = s < 0.4f ? 2.0f * (0.4f - s) : 0.0f;
  st.occurrence = 0.05f;
  st.coherence  = 1.0f;
  st.detail     = k >= 0.3f ? 1.0f : (k < 0.09f ? 0.3f : k / 0.3f);
  st.flat       = k >= 0.3f ? 1.0f : k / 0.3f;
  st.hold       = st.flat;
  st.blend      = s < 0.25f ? s / 0.25f : 1.0f;
  return st;
}

struct AtelierSynth
{
  int               full_w, full_h;
  AtelierNnf       *nnf;         /* working-resolution field, finest level */
  float            *weights;     /* its voting weights                     */
  AtelierFeat      *style_hi;    /* style sampled by the render (RGB)      */
  float             style_sx, style_sy;
  AtelierFeat      *work_render; /* what the render samples per working
                                    pixel: RENDER_CHANNELS                 */
  AtelierColorStats content_stats, style_stats;
  float             color_matrix[9];
  Steering          steer;
  bool              preserve_colors;
  int               n_threads;
};

void
atelier_working_size (const AtelierParams *params,
                      int                  width,
                      int                  height,
                      int                 *work_width,
                      int                 *work_height)
{
  int   quality = (int) params->quality;
  float side;
  int   large = width > height ? width : height;
  float f;

  if (quality < ATELIER_QUALITY_PREVIEW || quality > ATELIER_QUALITY_BEST)
    quality = ATELIER_QUALITY_NORMAL;
  side = (float) quality_presets[quality].work_side;
  /* large strokes: synthesise smaller so the style still fits the budget */
  if (params->style_scale > 1.0f)
    side /= params->style_scale;
  f = large > side ? side / large : 1.0f;
  *work_width  = (int) lroundf (width * f);
  *work_height = (int) lroundf (height * f);
  /* A thin image keeps a usable short side (2 x 1000 at preview would be
   * 1 x 384): the render upsamples each axis on its own anyway. */
  if (*work_width < ATELIER_MIN_SIZE)
    *work_width = width < ATELIER_MIN_SIZE ? width : ATELIER_MIN_SIZE;
  if (*work_height < ATELIER_MIN_SIZE)
    *work_height = height < ATELIER_MIN_SIZE ? height : ATELIER_MIN_SIZE;
  if (*work_width < 1)
    *work_width = 1;
  if (*work_height < 1)
    *work_height = 1;
}

/* ---- one level of the synthesis ---- */

typedef struct
{
  AtelierFeat *style_rgb;   /* style at this level                  */
  AtelierFeat *style_feat;  /* style RGB + guides                   */
  AtelierFeat *target_feat; /* output RGB + guides (RGB rewritten)  */
  AtelierFeat *fusion_rgb;  /* colour-matched content at this level */
  float       *style_desc;
  float       *target_desc;
  AtelierPca  *pca;
} Level;

static void
level_clear (Level *l)
{
  atelier_feat_free (l->style_feat);
  atelier_feat_free (l->target_feat);
  free (l->style_desc);
  free (l->target_desc);
  atelier_pca_free (l->pca);
  memset (l, 0, sizeof *l);
}

/* rgb + guides interleaved into a new N_CHANNELS image */
static AtelierFeat *
make_features (const AtelierFeat *rgb, const AtelierFeat *luma)
{
  AtelierFeat *blur = atelier_feat_copy (luma);
  AtelierFeat *f    = atelier_feat_new (rgb->width, rgb->height, N_CHANNELS);
  size_t       i, n = (size_t) rgb->width * rgb->height;

  if (! blur || ! f)
    {
      atelier_feat_free (blur);
      atelier_feat_free (f);
      return NULL;
    }
  atelier_feat_blur (blur, GUIDE_BLUR);
  for (i = 0; i < n; i++)
    {
      float *p = f->data + i * N_CHANNELS;

      memcpy (p, rgb->data + 3 * i, 3 * sizeof (float));
      p[3] = luma->data[i];
      p[4] = blur->data[i];
    }
  atelier_feat_free (blur);
  return f;
}

static void
set_rgb (AtelierFeat *feat, const AtelierFeat *rgb)
{
  size_t i, n = (size_t) rgb->width * rgb->height;

  for (i = 0; i < n; i++)
    memcpy (feat->data + i * N_CHANNELS, rgb->data + 3 * i, 3 * sizeof (float));
}

static AtelierPca *
learn_pca (const AtelierFeat *f, const float *w, int n_comp)
{
  const int r    = ATELIER_PATCH_RADIUS;
  const int dim  = ATELIER_PATCH * ATELIER_PATCH * N_CHANNELS;
  int       vw   = f->width - 2 * r, vh = f->height - 2 * r;
  /* a fixed grid of samples: deterministic, about 8000 patches */
  int       step = (int) ceilf (sqrtf ((float) vw * vh / 8000.0f));
  int       n    = 0, x, y;
  float    *buf;
  AtelierPca *pca;

  if (step < 1)
    step = 1;
  buf = malloc ((size_t) ((vw + step - 1) / step) * ((vh + step - 1) / step) *
                dim * sizeof (float));
  if (! buf)
    return NULL;
  for (y = r; y < f->height - r; y += step)
    for (x = r; x < f->width - r; x += step)
      atelier_patch_gather (f, x, y, w, buf + (size_t) n++ * dim);
  pca = atelier_pca_new (buf, n, dim, n_comp);
  free (buf);
  return pca;
}

/* Blends the colour-matched content into out: the Elad-Milanfar "content
 * fusion", which keeps labels and faces legible. */
static void
fuse (AtelierFeat *out, const AtelierFeat *content, float weight)
{
  size_t i, n = (size_t) out->width * out->height * 3;

  if (weight <= 0.0f)
    return;
  for (i = 0; i < n; i++)
    out->data[i] = (out->data[i] + weight * content->data[i]) / (1.0f + weight);
}

typedef struct
{
  AtelierContext      *ctx;
  const AtelierParams *params;
  const QualityPreset *q;
  Steering             steer;
  int                  n_threads;
  float                channel_w[N_CHANNELS];
  /* progress bookkeeping */
  double               work_done, work_total;
  float                last_fraction;
} Run;

static AtelierStatus
report (Run *run, double work)
{
  float f;

  run->work_done += work;
  if (! run->params->progress)
    return ATELIER_OK;
  f = run->work_total > 0.0 ? (float) (run->work_done / run->work_total)
                            : 0.0f;
  if (f > 1.0f)
    f = 1.0f;
  if (! (f >= run->last_fraction))
    f = run->last_fraction;
  run->last_fraction = f;
  if (! run->params->progress (f, run->params->progress_data))
    {
      atelier_set_error (run->ctx, "cancelled by the caller");
      return ATELIER_CANCELLED;
    }
  return ATELIER_OK;
}

/* EM at one level: match (PatchMatch), then vote; `last` skips the final
 * vote, which the full-size render does instead. */
static AtelierStatus
level_em (Run *run, Level *l, AtelierNnf *nnf, AtelierFeat *out_rgb,
          int level, int iterations, bool last)
{
  AtelierDescriptors d = {
    l->pca->n_comp,
    l->style_feat->width, l->style_feat->height, l->style_desc,
    l->target_feat->width, l->target_feat->height, l->target_desc
  };
  double work = (double) nnf->width * nnf->height;
  int    it, pass;

  for (it = 0; it < iterations; it++)
    {
      float mean = 0.0f;
      size_t i, n = (size_t) nnf->width * nnf->height;

      set_rgb (l->target_feat, out_rgb);
      atelier_pca_project_image (run->ctx, run->n_threads, l->pca,
                                 l->target_feat, run->channel_w,
                                 l->target_desc);
      atelier_nnf_rescore (run->ctx, run->n_threads, &d, nnf);
      for (i = 0; i < n; i++)
        mean += nnf->dist[i];
      mean /= (float) n;
      for (pass = 0; pass < run->q->pm_passes; pass++)
        atelier_patchmatch_pass (run->ctx, run->n_threads, &d, nnf,
                                 run->steer.occurrence * mean,
                                 run->steer.coherence * mean,
                                 atelier_hash (run->params->seed, level),
                                 it * run->q->pm_passes + pass);
      if (! (last && it == iterations - 1))
        {
          atelier_vote (run->ctx, run->n_threads, nnf, l->style_rgb, out_rgb);
          fuse (out_rgb, l->fusion_rgb, run->steer.fusion);
        }
      if (report (run, work) != ATELIER_OK)
        return ATELIER_CANCELLED;
    }
  return ATELIER_OK;
}

static AtelierStatus
level_prepare (Run *run, Level *l, const AtelierFeat *style_rgb,
               const AtelierFeat *style_luma, const AtelierFeat *content_luma,
               const AtelierFeat *fusion_rgb)
{
  l->style_rgb   = (AtelierFeat *) style_rgb;
  l->fusion_rgb  = (AtelierFeat *) fusion_rgb;
  l->style_feat  = make_features (style_rgb, style_luma);
  l->target_feat = make_features (fusion_rgb, content_luma);
  if (! l->style_feat || ! l->target_feat)
    return ATELIER_ERR_NO_MEMORY;
  l->pca = learn_pca (l->style_feat, run->channel_w, run->q->n_comp);
  if (! l->pca)
    return ATELIER_ERR_NO_MEMORY;
  l->style_desc  = malloc ((size_t) style_rgb->width * style_rgb->height *
                           run->q->n_comp * sizeof (float));
  l->target_desc = malloc ((size_t) fusion_rgb->width * fusion_rgb->height *
                           run->q->n_comp * sizeof (float));
  if (! l->style_desc || ! l->target_desc)
    return ATELIER_ERR_NO_MEMORY;
  atelier_pca_project_image (run->ctx, run->n_threads, l->pca, l->style_feat,
                             run->channel_w, l->style_desc);
  return ATELIER_OK;
}

/* ---- the synthesis ---- */

typedef struct
{
  AtelierPyramid *style, *style_luma, *fusion, *content_luma;
} Pyramids;

static void
pyramids_free (Pyramids *p)
{
  atelier_pyramid_free (p->style);
  atelier_pyramid_free (p->style_luma);
  atelier_pyramid_free (p->fusion);
  atelier_pyramid_free (p->content_luma);
}

static int
count_levels (int w, int h, int ws, int hs)
{
  int n = 1;

  while ((w > h ? w : h) / 2 >= COARSE_SIDE &&
         (w < h ? w : h) / 2 >= 2 * ATELIER_PATCH &&
         (ws < hs ? ws : hs) / 2 >= 2 * ATELIER_PATCH)
    {
      w = (w + 1) / 2;  h = (h + 1) / 2;
      ws = (ws + 1) / 2; hs = (hs + 1) / 2;
      n++;
    }
  return n;
}

static AtelierFeat *
style_at_working_size (const AtelierFeat *style, int work_w, int work_h,
                       float scale)
{
  float side  = scale * (work_w > work_h ? work_w : work_h);
  int   large = style->width > style->height ? style->width : style->height;
  float f;

  if (side < MIN_STYLE)
    side = MIN_STYLE;
  f = side / large;
  return atelier_feat_resize (style, (int) lroundf (style->width * f) < ATELIER_PATCH * 2 ? ATELIER_PATCH * 2 : (int) lroundf (style->width * f),
                              (int) lroundf (style->height * f) < ATELIER_PATCH * 2 ? ATELIER_PATCH * 2 : (int) lroundf (style->height * f));
}

/* Standard deviation of luma minus its blur. */
static double
fine_contrast (const AtelierFeat *luma, const AtelierFeat *blurred)
{
  size_t i, n = (size_t) luma->width * luma->height;
  double acc = 0.0;

  for (i = 0; i < n; i++)
    {
      double d = luma->data[i] - blurred->data[i];
      acc += d * d;
    }
  return sqrt (acc / n);
}

/* How much of the content's fine detail to put back: as much as the style
 * itself has, so a smooth style (The Scream) does not get a photo's grain
 * and a busy one (pointillism) keeps every edge of the label. */
static float
detail_gain (const AtelierFeat *c_luma, const AtelierFeat *c_blurred,
             const AtelierFeat *s_luma)
{
  AtelierFeat *s_blurred = atelier_feat_copy (s_luma);
  double       cs, ss;
  float        g;

  if (! s_blurred)
    return 1.0f;
  atelier_feat_blur (s_blurred, DETAIL_BLUR);
  ss = fine_contrast (s_luma, s_blurred);
  cs = fine_contrast (c_luma, c_blurred);
  atelier_feat_free (s_blurred);
  g = (float) (ss / (cs + 1e-6));
  g = g < 0.25f ? 0.25f : (g > 1.0f ? 1.0f : g);
  /* a smooth style takes still less: photographic detail on long calm
   * strokes reads as a photo, not as a painting */
  if (ss < SMOOTH_STYLE)
    g *= (float) (ss / SMOOTH_STYLE);
  return g;
}

/* Queues pixel i of the backdrop fill if it is flat and not queued yet. */
static void
fill_visit (const float *flat, uint8_t *seen, size_t *queue, size_t *tail,
            size_t i)
{
  if (! seen[i] && flat[i] >= BACKDROP_FLAT)
    {
      seen[i] = 1;
      queue[(*tail)++] = i;
    }
}

/* Zeroes the flat areas that do not reach the frame's border: a backdrop
 * surrounds the subject, while a flat field inside the subject (a label's
 * black, the smooth band of a cap) is part of it and takes strokes.  The
 * weights under BACKDROP_FLAT stay: they fade a backdrop into the subject's
 * edge and calm strokes on near-flat skin.  False when out of memory. */
static bool
keep_backdrop (AtelierFeat *flat)
{
  int      w = flat->width, h = flat->height, x, y;
  size_t   i, n = (size_t) w * h, head = 0, tail = 0;
  size_t  *queue = malloc (n * sizeof *queue);
  uint8_t *seen  = calloc (n, 1);

  if (! queue || ! seen)
    {
      free (queue);
      free (seen);
      return false;
    }
  for (x = 0; x < w; x++)
    {
      fill_visit (flat->data, seen, queue, &tail, (size_t) x);
      fill_visit (flat->data, seen, queue, &tail, (size_t) (h - 1) * w + x);
    }
  for (y = 0; y < h; y++)
    {
      fill_visit (flat->data, seen, queue, &tail, (size_t) y * w);
      fill_visit (flat->data, seen, queue, &tail, (size_t) y * w + w - 1);
    }
  while (head < tail)
    {
      size_t p = queue[head++];

      x = (int) (p % w);
      y = (int) (p / w);
      if (x > 0)
        fill_visit (flat->data, seen, queue, &tail, p - 1);
      if (x < w - 1)
        fill_visit (flat->data, seen, queue, &tail, p + 1);
      if (y > 0)
        fill_visit (flat->data, seen, queue, &tail, p - w);
      if (y < h - 1)
        fill_visit (flat->data, seen, queue, &tail, p + w);
    }
  for (i = 0; i < n; i++)
    if (! seen[i] && flat->data[i] >= BACKDROP_FLAT)
      flat->data[i] = 0.0f;
  free (queue);
  free (seen);
  return true;
}

AtelierFeat *
atelier_flatness_guide (const AtelierFeat *luma, const AtelierFeat *blurred)
{
  AtelierFeat *sq     = atelier_feat_copy (luma);
  AtelierFeat *g      = atelier_feat_new (luma->width, luma->height, 2);
  AtelierFeat *w      = atelier_feat_new (luma->width, luma->height, 1);
  AtelierFeat *result = NULL;
  size_t       i, n   = (size_t) luma->width * luma->height;

  if (! sq || ! g || ! w)
    goto out;
  for (i = 0; i < n; i++)
    sq->data[i] = luma->data[i] * luma->data[i];
  /* local variance around the blurred luma, the local mean */
  atelier_feat_blur (sq, DETAIL_BLUR);
  for (i = 0; i < n; i++)
    {
      float var = sq->data[i] - blurred->data[i] * blurred->data[i];
      float sd  = var > 0.0f ? sqrtf (var) : 0.0f;
      float f   = 1.0f - sd / FLAT_STD;
      w->data[i] = f < 0.0f ? 0.0f : f;
    }
  if (! keep_backdrop (w))
    goto out;
  atelier_feat_blur (w, 2.0f);
  for (i = 0; i < n; i++)
    {
      g->data[2 * i]     = blurred->data[i];
      g->data[2 * i + 1] = w->data[i];
    }
  result = g;
  g      = NULL;
out:
  atelier_feat_free (sq);
  atelier_feat_free (w);
  atelier_feat_free (g);
  return result;
}

/* The share of a side between the 1st and 99th percentile of the subject's
 * mass, over the 0.98 that an evenly filled side measures, so a full frame
 * counts as 1 and a few specks on a backdrop do not widen the subject. */
static float
subject_side (const double *mass, int n)
{
  double total = 0.0, acc = 0.0;
  int    i, lo = -1, hi = n - 1;
  float  s;

  for (i = 0; i < n; i++)
    total += mass[i];
  if (! (total > 0.0))
    return 1.0f;
  for (i = 0; i < n; i++)
    {
      acc += mass[i];
      if (lo < 0 && acc >= 0.01 * total)
        lo = i;
      if (acc >= 0.99 * total)
        {
          hi = i;
          break;
        }
    }
  s = (float) (hi - lo + 1) / (0.98f * n);
  return s < 1.0f ? s : 1.0f;
}

float
atelier_subject_extent (const AtelierFeat *guides, int channel)
{
  int     w = guides->width, h = guides->height, x, y;
  double *rows = calloc ((size_t) h, sizeof *rows);
  double *cols = calloc ((size_t) w, sizeof *cols);
  float   e = -1.0f;

  if (rows && cols)
    {
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          /* a yes/no count: a backdrop's flatness is not quite 1 (grain,
           * a soft gradient), and half a frame of 0.04s adds up */
          if (atelier_feat_at (guides, x, y)[channel] < BACKDROP_FLAT)
            {
              rows[y] += 1.0;
              cols[x] += 1.0;
            }
      e = sqrtf (subject_side (rows, h) * subject_side (cols, w));
    }
  free (rows);
  free (cols);
  return e;
}

/* How much of a product shot the frame is: 0 for a subject that fills it,
 * 1 once the subject spans PRODUCT_EXTENT of it or less. */
static float
product_share (float extent)
{
  float p = (1.0f - extent) / (1.0f - PRODUCT_EXTENT);

  return p < 0.0f ? 0.0f : (p > 1.0f ? 1.0f : p);
}

/* hold x (the guide's local mean - the paint's local mean luma): added to
 * the strokes, it gives a product its own tonal layout back (a black label
 * stays dark, a silver cap light) while the strokes keep their detail.  A
 * full-frame scene gets none: the painting's own figures would flatten into
 * the photo's shadows.  NULL when out of memory. */
static AtelierFeat *
tone_shift (const AtelierFeat *guide, const AtelierFeat *paint, float hold)
{
  AtelierFeat *shift = atelier_feat_luma (paint);
  AtelierFeat *g     = atelier_feat_copy (guide);
  size_t       i, n  = (size_t) guide->width * guide->height;

  if (! shift || ! g)
    {
      atelier_feat_free (shift);
      atelier_feat_free (g);
      return NULL;
    }
  atelier_feat_blur (shift, TONE_BLUR);
  atelier_feat_blur (g, TONE_BLUR);
  for (i = 0; i < n; i++)
    shift->data[i] = hold * (g->data[i] - shift->data[i]);
  atelier_feat_free (g);
  return shift;
}

/* The 2 guide channels, the 3 paint channels and the tone shift,
 * interleaved so the render samples them in one go. */
static AtelierFeat *
render_channels (const AtelierFeat *guides, const AtelierFeat *paint,
                 const AtelierFeat *tone)
{
  AtelierFeat *r = atelier_feat_new (guides->width, guides->height,
                                     RENDER_CHANNELS);
  size_t       i, n = (size_t) guides->width * guides->height;

  if (! r)
    return NULL;
  for (i = 0; i < n; i++)
    {
      memcpy (r->data + RENDER_CHANNELS * i, guides->data + 2 * i,
              2 * sizeof (float));
      memcpy (r->data + RENDER_CHANNELS * i + 2, paint->data + 3 * i,
              3 * sizeof (float));
      r->data[RENDER_CHANNELS * i + 5] = tone->data[i];
    }
  return r;
}

/* Synthesises content after the original style, resized here to the
 * working scale (returned in *style_out for the render). */
static AtelierStatus
synthesize (Run *run, const AtelierFeat *content, const AtelierFeat *style_orig,
            AtelierSynth *synth, AtelierFeat **style_out)
{
  Pyramids     pyr = { NULL, NULL, NULL, NULL };
  AtelierFeat *fusion = NULL, *c_luma = NULL, *s_luma = NULL, *out = NULL;
  AtelierFeat *bl = NULL, *style = NULL, *guides = NULL, *tone = NULL;
  float       *subject = NULL;   /* 1 off the backdrop: what counts in
                                    the colour and tone statistics      */
  AtelierNnf  *nnf = NULL, *prev = NULL;
  Level        level = { 0 };
  AtelierStatus st = ATELIER_ERR_NO_MEMORY;
  float        extent;
  size_t       j, n_px;
  int          n_levels, i, k;

  c_luma = atelier_feat_luma (content);
  bl     = atelier_feat_copy (c_luma);
  if (! c_luma || ! bl)
    goto out;
  atelier_feat_blur (bl, DETAIL_BLUR);
  guides = atelier_flatness_guide (c_luma, bl);
  if (! guides)
    goto out;
  /* a product on a clean backdrop takes strokes sized to the product,
   * not to the frame around it */
  extent = atelier_subject_extent (guides, 1);
  if (extent < 0.0f)
    goto out;
  style = style_at_working_size (style_orig, content->width, content->height,
                                 run->params->style_scale * extent);
  if (! style)
    goto out;

  /* A clean backdrop does not count in the colour and tone statistics:
   * half a frame of white would claim the style's lightest half and leave
   * the product only its darker colours and tones. */
  n_px    = (size_t) c_luma->width * c_luma->height;
  subject = malloc (n_px * sizeof *subject);
  if (! subject)
    goto out;
  for (j = 0; j < n_px; j++)
    subject[j] = guides->data[2 * j + 1] < BACKDROP_FLAT;

  /* colour-matched content: initialisation and fusion target */
  atelier_color_stats (content, subject, &synth->content_stats);
  atelier_color_stats (style, NULL, &synth->style_stats);
  atelier_color_map (&synth->content_stats, &synth->style_stats,
                     synth->color_matrix);
  fusion = atelier_feat_copy (content);
  s_luma = atelier_feat_luma (style);
  if (! fusion || ! s_luma)
    goto out;
  atelier_color_apply (fusion, &synth->content_stats, &synth->style_stats,
                       synth->color_matrix);
  synth->steer.detail *= detail_gain (c_luma, bl, s_luma);
  /* the guide: content luma with the style's tonal distribution */
  atelier_histogram_match (c_luma, s_luma, subject);

  n_levels = count_levels (content->width, content->height, style->width,
                           style->height);
  pyr.style        = atelier_pyramid_new (style, 1, n_levels);
  pyr.style_luma   = atelier_pyramid_new (s_luma, 1, n_levels);
  pyr.fusion       = atelier_pyramid_new (fusion, 1, n_levels);
  pyr.content_luma = atelier_pyramid_new (c_luma, 1, n_levels);
  if (! pyr.style || ! pyr.style_luma || ! pyr.fusion || ! pyr.content_luma)
    goto out;

  for (i = 0; i < n_levels; i++)
    {
      const AtelierFeat *t = pyr.fusion->levels[i];
      run->work_total += (double) t->width * t->height *
                         (i == 0 ? run->q->em_fine : run->q->em_coarse);
    }

  for (i = n_levels - 1; i >= 0; i--)
    {
      const AtelierFeat *srgb = pyr.style->levels[i];
      const AtelierFeat *frgb = pyr.fusion->levels[i];
      AtelierDescriptors d;

      st = level_prepare (run, &level, srgb, pyr.style_luma->levels[i],
                          pyr.content_luma->levels[i], frgb);
      if (st != ATELIER_OK)
        goto out;
      st = ATELIER_ERR_NO_MEMORY;
      nnf = atelier_nnf_new (frgb->width, frgb->height);
      out = atelier_feat_copy (frgb);
      if (! nnf || ! out)
        goto out;
      d = (AtelierDescriptors) { level.pca->n_comp, srgb->width, srgb->height,
                                 level.style_desc, frgb->width, frgb->height,
                                 level.target_desc };
      if (! prev)
        {
          /* coarsest: exact matches of the colour-matched content */
          atelier_pca_project_image (run->ctx, run->n_threads, level.pca,
                                     level.target_feat, run->channel_w,
                                     level.target_desc);
          atelier_nnf_exact (run->ctx, run->n_threads, &d, nnf);
        }
      else
        {
          atelier_nnf_upsample (prev, pyr.style->levels[i + 1]->width,
                                pyr.style->levels[i + 1]->height,
                                srgb->width, srgb->height, nnf);
          atelier_nnf_free (prev);
          prev = NULL;
        }
      for (k = 0; k < (int) ((size_t) nnf->width * nnf->height); k++)
        nnf->dist[k] = 1.0f;
      atelier_vote (run->ctx, run->n_threads, nnf, srgb, out);
      fuse (out, frgb, run->steer.fusion);

      st = level_em (run, &level, nnf, out, i,
                     i == 0 ? run->q->em_fine : run->q->em_coarse, i == 0);
      if (st != ATELIER_OK)
        goto out;
      level_clear (&level);
      if (i == 0)
        {
          tone = tone_shift (c_luma, out,
                             run->steer.hold * product_share (extent));
          if (! tone)
            goto out;
          /* the paint's average colour, for backdrops that stay clean */
          atelier_feat_blur (out, BACKDROP_BLUR);
          synth->work_render = render_channels (guides, out, tone);
          if (! synth->work_render)
            goto out;
        }
      atelier_feat_free (out);
      out  = NULL;
      prev = nnf;
      nnf  = NULL;
    }

  synth->nnf     = prev;
  prev           = NULL;
  synth->weights = atelier_vote_weights (synth->nnf);
  st = synth->weights ? ATELIER_OK : ATELIER_ERR_NO_MEMORY;
  if (st == ATELIER_OK)
    {
      *style_out = style;
      style      = NULL;
    }

out:
  level_clear (&level);
  free (subject);
  atelier_feat_free (guides);
  atelier_feat_free (tone);
  atelier_feat_free (bl);
  atelier_feat_free (style);
  pyramids_free (&pyr);
  atelier_feat_free (fusion);
  atelier_feat_free (c_luma);
  atelier_feat_free (s_luma);
  atelier_feat_free (out);
  atelier_nnf_free (nnf);
  atelier_nnf_free (prev);
  return st;
}

void
atelier_synth_free (AtelierSynth *synth)
{
  if (! synth)
    return;
  atelier_nnf_free (synth->nnf);
  free (synth->weights);
  atelier_feat_free (synth->style_hi);
  atelier_feat_free (synth->work_render);
  free (synth);
}

/* The style the render samples: as sharp as the original allows at the
 * full size, never larger than needed. */
static AtelierFeat *
render_style (const AtelierFeat *orig, const AtelierFeat *work_style,
              float factor)
{
  int w = (int) lroundf (work_style->width * factor);
  int h = (int) lroundf (work_style->height * factor);

  if (w > orig->width || h > orig->height)
    {
      w = orig->width > work_style->width ? orig->width : work_style->width;
      h = orig->height > work_style->height ? orig->height : work_style->height;
      if (w == work_style->width)
        return atelier_feat_resize (work_style, w, h);
    }
  return atelier_feat_resize (orig, w, h);
}

AtelierStatus
atelier_synth_new (AtelierContext      *ctx,
                   const AtelierParams *params,
                   const AtelierImage  *work_content,
                   int                  full_width,
                   int                  full_height,
                   const AtelierImage  *style,
                   AtelierSynth       **synth_out)
{
  Run           run;
  AtelierSynth *synth = NULL;
  AtelierFeat  *content = NULL, *style_orig = NULL, *style_work = NULL;
  AtelierStatus st;
  float         factor;
  int           k;

  *synth_out = NULL;
  if ((st = atelier_params_validate (params, ctx)) != ATELIER_OK ||
      (st = atelier_image_check (ctx, work_content, "content")) != ATELIER_OK ||
      (st = atelier_image_check (ctx, style, "style")) != ATELIER_OK)
    return st;
  if (full_width < work_content->width || full_height < work_content->height)
    {
      atelier_set_error (ctx, "full size %dx%d is smaller than the working "
                         "size %dx%d", full_width, full_height,
                         work_content->width, work_content->height);
      return ATELIER_ERR_INVALID_IMAGE;
    }

  memset (&run, 0, sizeof run);
  run.ctx       = ctx;
  run.params    = params;
  run.q         = &quality_presets[params->quality];
  run.steer     = steering_for (params->strength);
  run.n_threads = params->n_threads;
  for (k = 0; k < 3; k++)
    run.channel_w[k] = 1.0f;
  for (k = 3; k < N_CHANNELS; k++)
    run.channel_w[k] = sqrtf (run.steer.guide);

  synth      = calloc (1, sizeof *synth);
  content    = atelier_feat_from_image (work_content);
  style_orig = atelier_feat_from_image (style);
  if (! synth || ! content || ! style_orig)
    goto oom;

  synth->full_w          = full_width;
  synth->full_h          = full_height;
  synth->steer           = run.steer;
  synth->preserve_colors = params->preserve_colors;
  synth->n_threads       = params->n_threads;

  if (report (&run, 0.0) != ATELIER_OK)
    {
      st = ATELIER_CANCELLED;
      goto fail;
    }
  st = synthesize (&run, content, style_orig, synth, &style_work);
  if (st == ATELIER_ERR_NO_MEMORY)
    goto oom;
  if (st != ATELIER_OK)
    goto fail;

  factor = (float) full_width / work_content->width;
  synth->style_hi = render_style (style_orig, style_work, factor);
  if (! synth->style_hi)
    goto oom;
  synth->style_sx = (float) synth->style_hi->width / style_work->width;
  synth->style_sy = (float) synth->style_hi->height / style_work->height;

  atelier_feat_free (content);
  atelier_feat_free (style_orig);
  atelier_feat_free (style_work);
  *synth_out = synth;
  return ATELIER_OK;

oom:
  atelier_set_error (ctx, "out of memory during synthesis");
  st = ATELIER_ERR_NO_MEMORY;
fail:
  atelier_feat_free (content);
  atelier_feat_free (style_orig);
  atelier_feat_free (style_work);
  atelier_synth_free (synth);
  return st;
}

/* ---- full-size render ---- */

/* work: the pixel's work_render sample */
static void
finish_pixel (const AtelierSynth *s, const float *content, float mask,
              const float *voted, const float *work, float *out)
{
  const float *paint = work + 2;
  /* the content's fine detail (labels, edges, and everything finer than
   * the working resolution) goes on top of the strokes */
  float        detail = atelier_luma (content) - work[0];
  float        flat   = work[1] * s->steer.flat;
  float        v[3], c[3], ct[3];
  int          k;

  /* NaN masks count as 0 and NaN pixels as black: one bad value must not
   * spread through the output */
  if (! (mask > 0.0f))
    {
      memcpy (out, content, 4 * sizeof (float));
      return;
    }
  if (mask > 1.0f)
    mask = 1.0f;
  for (k = 0; k < 3; k++)
    c[k] = atelier_clamp01 (content[k]);
  for (k = 0; k < 3; k++)
    {
      const float *m = s->color_matrix + 3 * k;
      float d0 = c[0] - s->content_stats.mean[0];
      float d1 = c[1] - s->content_stats.mean[1];
      float d2 = c[2] - s->content_stats.mean[2];

      ct[k] = atelier_clamp01 (m[0] * d0 + m[1] * d1 + m[2] * d2 +
                               s->style_stats.mean[k]);
    }
  for (k = 0; k < 3; k++)
    v[k] = (voted[k] + s->steer.fusion * ct[k]) / (1.0f + s->steer.fusion) +
           s->steer.detail * detail + work[5];
  /* a clean backdrop (a product shot's white) stays clean, in the paint's
   * local colour: strokes on it would read as dirt */
  for (k = 0; k < 3; k++)
    v[k] += flat * (paint[k] - v[k]);
  if (s->preserve_colors)
    {
      float dl = atelier_luma (v) - atelier_luma (c);
      for (k = 0; k < 3; k++)
        v[k] = c[k] + dl;
    }
  for (k = 0; k < 3; k++)
    out[k] = atelier_clamp01 (c[k] + mask * s->steer.blend * (v[k] - c[k]));
  out[3] = content[3];
}

typedef struct
{
  const AtelierSynth *s;
  const AtelierImage *content;
  const AtelierPlane *mask;
  AtelierImage       *out;
  const AtelierFeat  *voted;
  int                 x0, y0;
  float               sx, sy;    /* full size / working size */
} FinishJob;

static void
finish_rows (int task, void *data)
{
  const FinishJob *job = data;
  int              y0  = task * RENDER_TASK_ROWS;
  int              y1  = y0 + RENDER_TASK_ROWS < job->content->height ?
                         y0 + RENDER_TASK_ROWS : job->content->height;
  int              x, y;

  for (y = y0; y < y1; y++)
    {
      const float *c = job->content->data + (size_t) y * job->content->stride;
      float       *o = job->out->data + (size_t) y * job->out->stride;
      const float *m = job->mask ? job->mask->data + (size_t) y * job->mask->stride
                                 : NULL;
      float        wy = (job->y0 + y + 0.5f) / job->sy - 0.5f;

      for (x = 0; x < job->content->width; x++)
        {
          float wx = (job->x0 + x + 0.5f) / job->sx - 0.5f;
          float w[RENDER_CHANNELS];

          atelier_feat_sample (job->s->work_render, wx, wy, w);
          finish_pixel (job->s, c + 4 * x, m ? m[x] : 1.0f,
                        atelier_feat_at (job->voted, x, y), w, o + 4 * x);
        }
    }
}

AtelierStatus
atelier_synth_render (AtelierContext      *ctx,
                      const AtelierSynth  *s,
                      int                  x0,
                      int                  y0,
                      const AtelierImage  *content,
                      const AtelierPlane  *mask,
                      AtelierImage        *out)
{
  AtelierFeat *voted;
  FinishJob    job;

  if (! s || ! content || ! out || ! content->data || ! out->data ||
      content->width != out->width || content->height != out->height ||
      content->width <= 0 || content->height <= 0 ||
      x0 < 0 || y0 < 0 || x0 > s->full_w - content->width ||
      y0 > s->full_h - content->height ||
      content->stride < 4 * content->width || out->stride < 4 * out->width ||
      (mask && (mask->width != content->width ||
                mask->height != content->height || ! mask->data ||
                mask->stride < mask->width)))
    {
      atelier_set_error (ctx, "render tile does not fit the synthesis");
      return ATELIER_ERR_INVALID_IMAGE;
    }
  voted = atelier_feat_new (content->width, content->height, 3);
  if (! voted)
    {
      atelier_set_error (ctx, "out of memory for a render tile");
      return ATELIER_ERR_NO_MEMORY;
    }
  job = (FinishJob) { s, content, mask, out, voted, x0, y0,
                      (float) s->full_w / s->nnf->width,
                      (float) s->full_h / s->nnf->height };
  atelier_vote_scaled (ctx, s->n_threads, s->nnf, s->weights, s->style_hi,
                       job.sx, job.sy, s->style_sx, s->style_sy, x0, y0,
                       voted);
  atelier_parallel_for (ctx, s->n_threads,
                        (content->height + RENDER_TASK_ROWS - 1) / RENDER_TASK_ROWS,
                        finish_rows, &job);
  atelier_feat_free (voted);
  return ATELIER_OK;
}

/* ---- in-memory convenience ---- */

/* Area-averaged RGBA copy of img at width x height, without a full-size
 * intermediate: rows are reduced first, then columns. */
static AtelierFeat *
downscale_image (const AtelierImage *img, int width, int height)
{
  AtelierFeat  rows = { img->width, 1, 4, NULL };
  AtelierFeat *narrow = atelier_feat_new (width, img->height, 4);
  AtelierFeat *line, *result;
  int          y;

  if (! narrow)
    return NULL;
  for (y = 0; y < img->height; y++)
    {
      rows.data = img->data + (size_t) y * img->stride;
      line = atelier_feat_resize (&rows, width, 1);
      if (! line)
        {
          atelier_feat_free (narrow);
          return NULL;
        }
      memcpy (atelier_feat_at (narrow, 0, y), line->data,
              (size_t) width * 4 * sizeof (float));
      atelier_feat_free (line);
    }
  result = atelier_feat_resize (narrow, width, height);
  atelier_feat_free (narrow);
  return result;
}

AtelierStatus
atelier_stylize (AtelierContext      *ctx,
                 const AtelierParams *params,
                 const AtelierImage  *content,
                 const AtelierImage  *style,
                 AtelierImage        *out)
{
  AtelierSynth *synth = NULL;
  AtelierFeat  *small = NULL;
  AtelierImage  work;
  AtelierStatus st;
  int           ww, wh, y;

  if ((st = atelier_call_check (ctx, params, content, out)) != ATELIER_OK ||
      (st = atelier_image_check (ctx, style, "style")) != ATELIER_OK)
    return st;

  atelier_working_size (params, content->width, content->height, &ww, &wh);
  work = *content;
  if (ww != content->width || wh != content->height)
    {
      small = downscale_image (content, ww, wh);
      if (! small)
        {
          atelier_set_error (ctx, "out of memory for the working copy");
          return ATELIER_ERR_NO_MEMORY;
        }
      work = (AtelierImage) { ww, wh, 4 * ww, small->data };
    }
  st = atelier_synth_new (ctx, params, &work, content->width, content->height,
                          style, &synth);
  atelier_feat_free (small);
  if (st != ATELIER_OK)
    return st;

  /* From here on the output is written; the synthesis, the only part that
   * can be cancelled, is over. */
  for (y = 0; y < content->height && st == ATELIER_OK; y += RENDER_ROWS)
    {
      int          h = content->height - y < RENDER_ROWS ? content->height - y : RENDER_ROWS;
      AtelierImage c = { content->width, h, content->stride,
                         content->data + (size_t) y * content->stride };
      AtelierImage o = { out->width, h, out->stride,
                         out->data + (size_t) y * out->stride };
      AtelierPlane m;

      if (params->mask)
        m = (AtelierPlane) { params->mask->width, h, params->mask->stride,
                             params->mask->data + (size_t) y * params->mask->stride };
      st = atelier_synth_render (ctx, synth, 0, y, &c,
                                 params->mask ? &m : NULL, &o);
    }
  atelier_synth_free (synth);
  if (st == ATELIER_OK && params->progress)
    params->progress (1.0f, params->progress_data);
  return st;
}
