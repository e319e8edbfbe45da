/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The style-transfer pipeline put together: atelier_synth_new checks the
 * call and runs the synthesis at a working resolution (synthesis.c, after
 * the content analysis of analysis.c, as steering.c sets it); the render
 * (render.c) then makes the full size in tiles.  atelier_stylize runs
 * both over in-memory images.  Only the public entry points live here, so
 * that what a caller can rely on reads in one short file.
 *
 * Full-size float copies: none besides the caller's images.  The synthesis
 * holds a handful of working-resolution feature images per level. */
#include "synth.h"

#include <stdlib.h>
#include <string.h>

#define RENDER_ROWS  128

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

AtelierStatus
atelier_synth_new (AtelierContext      *ctx,
                   const AtelierParams *params,
                   const AtelierImage  *work_content,
                   int                  full_width,
                   int                  full_height,
                   const AtelierImage  *style,
                   AtelierSynth       **synth_out)
{
  AtelierSynth *synth = NULL;
  AtelierFeat  *content = NULL, *style_orig = NULL, *style_work = NULL;
  AtelierStatus st;
  float         factor;

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

  st         = ATELIER_ERR_NO_MEMORY;
  synth      = calloc (1, sizeof *synth);
  content    = atelier_feat_from_image (work_content);
  style_orig = atelier_feat_from_image (style);
  if (! synth || ! content || ! style_orig)
    goto out;
  synth->full_w          = full_width;
  synth->full_h          = full_height;
  synth->steer           = atelier_steering_for (params->strength);
  synth->tone            = (AtelierToneMap) { 1.0f, 0.0f };  /* until fitted */
  synth->preserve_colors = params->preserve_colors;
  synth->n_threads       = params->n_threads;

  st = atelier_synthesize (ctx, params, content, style_orig, synth,
                           &style_work);
  if (st != ATELIER_OK)
    goto out;

  st     = ATELIER_ERR_NO_MEMORY;
  factor = (float) full_width / work_content->width;
  synth->style_hi = atelier_render_style (style_orig, style_work, factor);
  if (! synth->style_hi)
    goto out;
  synth->style_sx = (float) synth->style_hi->width / style_work->width;
  synth->style_sy = (float) synth->style_hi->height / style_work->height;
  *synth_out = synth;
  synth      = NULL;
  st         = ATELIER_OK;

out:
  if (st == ATELIER_ERR_NO_MEMORY)
    atelier_set_error (ctx, "out of memory during synthesis");
  atelier_feat_free (content);
  atelier_feat_free (style_orig);
  atelier_feat_free (style_work);
  atelier_synth_free (synth);
  return st;
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

/* The whole output, RENDER_ROWS rows at a time, in one scratch had before
 * the first row: once the output is being written nothing is allocated,
 * so an allocation that fails leaves it untouched. */
static AtelierStatus
render_rows (AtelierContext      *ctx,
             const AtelierParams *params,
             const AtelierSynth  *synth,
             const AtelierImage  *content,
             AtelierImage        *out)
{
  const AtelierPlane *mask = params->mask;
  int                 rows = content->height < RENDER_ROWS ? content->height
                                                           : RENDER_ROWS;
  float              *scratch;
  AtelierStatus       st = ATELIER_OK;
  int                 y;

  scratch = malloc ((size_t) content->width * rows * 3 * sizeof (float));
  if (! scratch)
    {
      atelier_set_error (ctx, "out of memory for a render tile");
      return ATELIER_ERR_NO_MEMORY;
    }
  for (y = 0; y < content->height && st == ATELIER_OK; y += RENDER_ROWS)
    {
      int          h = content->height - y < RENDER_ROWS ?
                       content->height - y : RENDER_ROWS;
      AtelierImage c = { content->width, h, content->stride,
                         content->data + (size_t) y * content->stride };
      AtelierImage o = { out->width, h, out->stride,
                         out->data + (size_t) y * out->stride };
      AtelierPlane m;

      if (mask)
        m = (AtelierPlane) { mask->width, h, mask->stride,
                             mask->data + (size_t) y * mask->stride };
      st = atelier_synth_render_tile (ctx, synth, 0, y, &c, mask ? &m : NULL,
                                      &o, scratch);
    }
  free (scratch);
  return st;
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
  int           ww, wh;

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

  /* the synthesis, the only part that can be cancelled, is over */
  st = render_rows (ctx, params, synth, content, out);
  atelier_synth_free (synth);
  if (st == ATELIER_OK && params->progress)
    params->progress (1.0f, params->progress_data);
  return st;
}
