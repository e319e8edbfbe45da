/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The patch synthesis at the working size: the style and the
 * colour-matched content in pyramids, then at each level, coarsest first,
 * a field of matches (exact at the coarsest, scaled from the level above
 * elsewhere) refined by EM: PatchMatch over PCA-reduced descriptors of
 * colour and guides, then voting.  What it leaves in AtelierSynth (the
 * finest field, its weights, the paint's render channels) is all the
 * render needs, so it runs once at the working size whatever the size of
 * the final image; content analysis (analysis.c) and the render
 * (render.c) are their own stages. */
#include "synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define N_GUIDES     2       /* matched luma, blurred matched luma        */
#define N_CHANNELS   (3 + N_GUIDES)

/* One synthesis: its settings, then progress bookkeeping. */
typedef struct
{
  AtelierContext             *ctx;
  const AtelierParams        *params;
  const AtelierQualityPreset *q;
  AtelierSteering             steer;
  int                         n_threads;
  float                       channel_w[N_CHANNELS];
  double                      work_done, work_total;
  float                       last_fraction;
} Run;

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

  if (! blur || ! f || atelier_feat_blur (blur, GUIDE_BLUR) != ATELIER_OK)
    {
      atelier_feat_free (blur);
      atelier_feat_free (f);
      return NULL;
    }
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
  double        work = (double) nnf->width * nnf->height;
  AtelierStatus st   = ATELIER_OK;
  int           it, pass;

  for (it = 0; it < iterations && st == ATELIER_OK; it++)
    {
      float mean = 0.0f;
      size_t i, n = (size_t) nnf->width * nnf->height;

      set_rgb (l->target_feat, out_rgb);
      st = atelier_pca_project_image (run->ctx, run->n_threads, l->pca,
                                      l->target_feat, run->channel_w,
                                      l->target_desc);
      if (st != ATELIER_OK)
        break;
      atelier_nnf_rescore (run->ctx, run->n_threads, &d, nnf);
      for (i = 0; i < n; i++)
        mean += nnf->dist[i];
      mean /= (float) n;
      for (pass = 0; pass < run->q->pm_passes && st == ATELIER_OK; pass++)
        st = atelier_patchmatch_pass (run->ctx, run->n_threads, &d, nnf,
                                      run->steer.occurrence * mean,
                                      run->steer.coherence * mean,
                                      atelier_hash (run->params->seed, level),
                                      it * run->q->pm_passes + pass);
      if (st == ATELIER_OK && ! (last && it == iterations - 1))
        {
          st = atelier_vote (run->ctx, run->n_threads, nnf, l->style_rgb,
                             out_rgb);
          if (st == ATELIER_OK)
            fuse (out_rgb, l->fusion_rgb, run->steer.fusion);
        }
      if (st == ATELIER_OK)
        st = report (run, work);
    }
  return st;
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
  return atelier_pca_project_image (run->ctx, run->n_threads, l->pca,
                                    l->style_feat, run->channel_w,
                                    l->style_desc);
}

/* ---- the inputs of every level ---- */

/* What the levels are made from, at the working size. */
typedef struct
{
  AtelierContentAnalysis a;       /* a.luma remapped to the style's tones:
                                     the guide                          */
  AtelierFeat           *style;   /* the style at the working scale     */
  AtelierFeat           *s_luma;  /* its luma                           */
  AtelierFeat           *fusion;  /* the colour-matched content         */
} Inputs;

static void
inputs_clear (Inputs *in)
{
  atelier_content_analysis_clear (&in->a);
  atelier_feat_free (in->style);
  atelier_feat_free (in->s_luma);
  atelier_feat_free (in->fusion);
  memset (in, 0, sizeof *in);
}

static AtelierFeat *
style_at_working_size (const AtelierFeat *style, int work_w, int work_h,
                       float scale)
{
  float side  = scale * (work_w > work_h ? work_w : work_h);
  int   large = style->width > style->height ? style->width : style->height;
  float f;
  int   w, h;

  if (side < MIN_STYLE)
    side = MIN_STYLE;
  f = side / large;
  w = (int) lroundf (style->width * f);
  h = (int) lroundf (style->height * f);
  w = w < 2 * ATELIER_PATCH ? 2 * ATELIER_PATCH : w;
  h = h < 2 * ATELIER_PATCH ? 2 * ATELIER_PATCH : h;
  return atelier_feat_resize (style, w, h);
}

/* The content analysed, the style at the working scale, the colour map
 * (into synth, for the render too) and the guide. */
static AtelierStatus
prepare_inputs (Run *run, const AtelierFeat *content,
                const AtelierFeat *style_orig, AtelierSynth *synth,
                Inputs *in)
{
  AtelierStatus st;
  float         gain;

  memset (in, 0, sizeof *in);
  st = atelier_content_analyse (content, run->params->backdrop, &in->a);
  if (st != ATELIER_OK)
    return st;
  in->style = style_at_working_size (style_orig, content->width,
                                     content->height,
                                     run->params->style_scale * in->a.extent);
  if (! in->style)
    goto oom;

  /* colour-matched content: initialisation and fusion target */
  atelier_color_stats (content, in->a.subject, &synth->content_stats);
  atelier_color_stats (in->style, NULL, &synth->style_stats);
  atelier_color_map (&synth->content_stats, &synth->style_stats,
                     synth->color_matrix);
  in->fusion = atelier_feat_copy (content);
  in->s_luma = atelier_feat_luma (in->style);
  if (! in->fusion || ! in->s_luma)
    goto oom;
  atelier_color_apply (in->fusion, &synth->content_stats, &synth->style_stats,
                       synth->color_matrix);
  if (atelier_detail_gain (&in->a, in->s_luma, &gain) != ATELIER_OK)
    goto oom;
  synth->steer.detail *= gain;
  /* the guide: content luma with the style's tonal distribution */
  atelier_histogram_match (in->a.luma, in->s_luma, in->a.subject);
  return ATELIER_OK;

oom:
  inputs_clear (in);
  return ATELIER_ERR_NO_MEMORY;
}

/* ---- the pyramids and their levels ---- */

typedef struct
{
  int             n_levels;
  AtelierPyramid *style, *style_luma, *fusion, *content_luma;
} Pyramids;

static void
pyramids_free (Pyramids *p)
{
  atelier_pyramid_free (p->style);
  atelier_pyramid_free (p->style_luma);
  atelier_pyramid_free (p->fusion);
  atelier_pyramid_free (p->content_luma);
  memset (p, 0, sizeof *p);
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

static AtelierStatus
build_pyramids (const Inputs *in, Pyramids *pyr)
{
  int n = count_levels (in->fusion->width, in->fusion->height,
                        in->style->width, in->style->height);

  pyr->n_levels     = n;
  pyr->style        = atelier_pyramid_new (in->style, 1, n);
  pyr->style_luma   = atelier_pyramid_new (in->s_luma, 1, n);
  pyr->fusion       = atelier_pyramid_new (in->fusion, 1, n);
  pyr->content_luma = atelier_pyramid_new (in->a.luma, 1, n);
  if (! pyr->style || ! pyr->style_luma || ! pyr->fusion ||
      ! pyr->content_luma)
    {
      pyramids_free (pyr);
      return ATELIER_ERR_NO_MEMORY;
    }
  return ATELIER_OK;
}

/* Level i of pyr: *field, the level above's field (NULL at the
 * coarsest), is replaced by this level's; the finest level's paint, its
 * last vote skipped (the render votes instead), goes to *paint. */
static AtelierStatus
run_level (Run *run, const Pyramids *pyr, int i, AtelierNnf **field,
           AtelierFeat **paint)
{
  const AtelierFeat *srgb  = pyr->style->levels[i];
  const AtelierFeat *frgb  = pyr->fusion->levels[i];
  Level              level = { 0 };
  AtelierNnf        *nnf   = NULL;
  AtelierFeat       *rgb   = NULL;
  AtelierDescriptors d;
  AtelierStatus      st;
  size_t             k;

  st = level_prepare (run, &level, srgb, pyr->style_luma->levels[i],
                      pyr->content_luma->levels[i], frgb);
  if (st != ATELIER_OK)
    goto out;
  st  = ATELIER_ERR_NO_MEMORY;
  nnf = atelier_nnf_new (frgb->width, frgb->height);
  rgb = atelier_feat_copy (frgb);
  if (! nnf || ! rgb)
    goto out;
  d = (AtelierDescriptors) { level.pca->n_comp, srgb->width, srgb->height,
                             level.style_desc, frgb->width, frgb->height,
                             level.target_desc };
  if (! *field)
    {
      /* coarsest: exact matches of the colour-matched content */
      st = atelier_pca_project_image (run->ctx, run->n_threads, level.pca,
                                      level.target_feat, run->channel_w,
                                      level.target_desc);
      if (st == ATELIER_OK)
        st = atelier_nnf_exact (run->ctx, run->n_threads, &d, nnf);
      if (st != ATELIER_OK)
        goto out;
    }
  else
    {
      atelier_nnf_upsample (*field, pyr->style->levels[i + 1]->width,
                            pyr->style->levels[i + 1]->height,
                            srgb->width, srgb->height, nnf);
      atelier_nnf_free (*field);
      *field = NULL;
    }
  for (k = 0; k < (size_t) nnf->width * nnf->height; k++)
    nnf->dist[k] = 1.0f;
  st = atelier_vote (run->ctx, run->n_threads, nnf, srgb, rgb);
  if (st != ATELIER_OK)
    goto out;
  fuse (rgb, frgb, run->steer.fusion);

  st = level_em (run, &level, nnf, rgb, i,
                 i == 0 ? run->q->em_fine : run->q->em_coarse, i == 0);
  if (st != ATELIER_OK)
    goto out;
  *field = nnf;
  nnf    = NULL;
  if (i == 0)
    {
      *paint = rgb;
      rgb    = NULL;
    }

out:
  level_clear (&level);
  atelier_nnf_free (nnf);
  atelier_feat_free (rgb);
  return st;
}

/* ---- what the render samples ---- */

/* The 2 guide channels, the 3 paint channels and the tone shift,
 * interleaved so the render samples them in one go. */
static AtelierFeat *
render_channels (const AtelierFeat *guides, const AtelierFeat *paint,
                 const AtelierFeat *tone)
{
  AtelierFeat *r = atelier_feat_new (guides->width, guides->height,
                                     ATELIER_RENDER_CHANNELS);
  size_t       i, n = (size_t) guides->width * guides->height;

  if (! r)
    return NULL;
  for (i = 0; i < n; i++)
    {
      memcpy (r->data + ATELIER_RENDER_CHANNELS * i, guides->data + 2 * i,
              2 * sizeof (float));
      memcpy (r->data + ATELIER_RENDER_CHANNELS * i + 2, paint->data + 3 * i,
              3 * sizeof (float));
      r->data[ATELIER_RENDER_CHANNELS * i + 5] = tone->data[i];
    }
  return r;
}

/* The luma of the output the render would make of the working content,
 * voted from the working style, under synth's channels as they stand. */
static void
foresee_luma (const AtelierFeat *content, const AtelierFeat *voted,
              const AtelierSynth *synth, AtelierFeat *pred)
{
  size_t i, n = (size_t) content->width * content->height;

  for (i = 0; i < n; i++)
    {
      const float *c = content->data + 3 * i;
      float        rgba[4] = { c[0], c[1], c[2], 1.0f }, o[4];

      atelier_render_pixel (synth, rgba, 1.0f, voted->data + 3 * i,
                            synth->work_render->data +
                            ATELIER_RENDER_CHANNELS * i, o);
      pred->data[i] = atelier_luma (o);
    }
}

/* The tone map (tone_map.c), fitted on the output foreseen with the
 * spectrum's correction in: its luma to the photo's moments (the photo
 * before the analysis matched its luma to the style's). */
static void
fit_tone (const AtelierFeat *content,
          const AtelierFeat *voted, AtelierSynth *synth, AtelierFeat *pred)
{
  int    w = content->width, h = content->height;
  double om, osd, cm, csd;

  foresee_luma (content, voted, synth, pred);
  atelier_luma_moments (content->data, w, h, (size_t) w * 3, 3, &cm, &csd);
  atelier_luma_moments (pred->data, w, h, (size_t) w, 1, &om, &osd);
  synth->tone = atelier_tone_map_fit (om, osd, cm, csd);
}

/* The output foreseen at the working size (the render's own pixel
 * function on the working content, voted from the working style), its
 * luma's bands matched to the style's (spectrum.c): the correction joins
 * the tone shift, which the render adds to every pixel.  Measured on a
 * plane of SPECTRUM_SIDE at most, so every quality measures alike. */
static AtelierStatus
match_spectrum (Run *run, const Inputs *in, const AtelierFeat *content,
                const AtelierNnf *nnf, AtelierSynth *synth)
{
  int          w = content->width, h = content->height;
  int          side = w > h ? w : h;
  float        f = side > SPECTRUM_SIDE ? (float) SPECTRUM_SIDE / side : 1.0f;
  float        unit = f * side / SPECTRUM_SIDE;
  float        style_shares[ATELIER_SPECTRUM_BANDS];
  AtelierFeat *voted = atelier_feat_new (w, h, 3);
  AtelierFeat *pred  = atelier_feat_new (w, h, 1);
  AtelierFeat *o_small = NULL, *s_small = NULL, *corr = NULL;
  AtelierFeat *corr_work = NULL;
  AtelierStatus st = ATELIER_ERR_NO_MEMORY;
  size_t       i, n = (size_t) w * h;

  if (! voted || ! pred)
    goto out;
  st = atelier_vote (run->ctx, run->n_threads, nnf, in->style, voted);
  if (st != ATELIER_OK)
    goto out;
  foresee_luma (content, voted, synth, pred);
  st      = ATELIER_ERR_NO_MEMORY;
  o_small = atelier_feat_resize (pred, (int) lroundf (w * f),
                                 (int) lroundf (h * f));
  s_small = atelier_feat_resize (in->s_luma,
                                 (int) lroundf (in->s_luma->width * f),
                                 (int) lroundf (in->s_luma->height * f));
  if (! o_small || ! s_small ||
      atelier_band_shares (s_small, unit, style_shares) != ATELIER_OK)
    goto out;
  corr = atelier_spectrum_match (o_small, unit, style_shares);
  corr_work = corr ? atelier_feat_resize (corr, w, h) : NULL;
  if (! corr_work)
    goto out;
  for (i = 0; i < n; i++)
    synth->work_render->data[ATELIER_RENDER_CHANNELS * i + 5] +=
      corr_work->data[i];
  fit_tone (content, voted, synth, pred);
  st = ATELIER_OK;

out:
  atelier_feat_free (voted);
  atelier_feat_free (pred);
  atelier_feat_free (o_small);
  atelier_feat_free (s_small);
  atelier_feat_free (corr);
  atelier_feat_free (corr_work);
  return st;
}

/* From the finest level: the render's channels (the paint blurred gives
 * a clean backdrop its colour), the field (taken from *field) and its
 * voting weights. */
static AtelierStatus
finish (Run *run, const Inputs *in, const AtelierFeat *content,
        AtelierFeat *paint, AtelierNnf **field, AtelierSynth *synth)
{
  AtelierFeat  *tone;
  AtelierStatus st;

  tone = atelier_tone_shift (in->a.luma, paint,
                             run->steer.hold *
                             atelier_product_share (in->a.extent));
  /* the paint's average colour, for backdrops that stay clean */
  if (! tone || atelier_feat_blur (paint, BACKDROP_BLUR) != ATELIER_OK)
    {
      atelier_feat_free (tone);
      return ATELIER_ERR_NO_MEMORY;
    }
  synth->work_render = render_channels (in->a.guides, paint, tone);
  atelier_feat_free (tone);
  if (! synth->work_render)
    return ATELIER_ERR_NO_MEMORY;
  if ((st = match_spectrum (run, in, content, *field, synth)) != ATELIER_OK)
    return st;
  synth->nnf     = *field;
  *field         = NULL;
  synth->weights = atelier_vote_weights (synth->nnf);
  return synth->weights ? ATELIER_OK : ATELIER_ERR_NO_MEMORY;
}

AtelierStatus
atelier_synthesize (AtelierContext      *ctx,
                    const AtelierParams *params,
                    const AtelierFeat   *content,
                    const AtelierFeat   *style_orig,
                    AtelierSynth        *synth,
                    AtelierFeat        **style_work)
{
  Run           run = { 0 };
  Inputs        in;
  Pyramids      pyr = { 0 };
  AtelierNnf   *field = NULL;
  AtelierFeat  *paint = NULL;
  AtelierStatus st;
  int           i, k;

  *style_work   = NULL;
  run.ctx       = ctx;
  run.params    = params;
  run.q         = atelier_quality_preset (params->quality);
  run.steer     = synth->steer;
  run.n_threads = params->n_threads;
  for (k = 0; k < 3; k++)
    run.channel_w[k] = 1.0f;
  for (k = 3; k < N_CHANNELS; k++)
    run.channel_w[k] = sqrtf (run.steer.guide);

  if ((st = report (&run, 0.0)) != ATELIER_OK)
    return st;
  if ((st = prepare_inputs (&run, content, style_orig, synth, &in)) !=
      ATELIER_OK)
    return st;
  if ((st = build_pyramids (&in, &pyr)) != ATELIER_OK)
    goto out;
  for (i = 0; i < pyr.n_levels; i++)
    {
      const AtelierFeat *t = pyr.fusion->levels[i];
      run.work_total += (double) t->width * t->height *
                        (i == 0 ? run.q->em_fine : run.q->em_coarse);
    }
  for (i = pyr.n_levels - 1; i >= 0 && st == ATELIER_OK; i--)
    st = run_level (&run, &pyr, i, &field, &paint);
  if (st == ATELIER_OK)
    st = finish (&run, &in, content, paint, &field, synth);
  if (st == ATELIER_OK)
    {
      *style_work = in.style;
      in.style    = NULL;
    }

out:
  inputs_clear (&in);
  pyramids_free (&pyr);
  atelier_nnf_free (field);
  atelier_feat_free (paint);
  return st;
}
