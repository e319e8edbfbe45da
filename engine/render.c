/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The full-size render: each output pixel votes the style's pixels
 * under the finest field's matches at full size (atelier_vote_scaled),
 * then mixes in the colour-matched content, its full-size detail, a clean
 * backdrop's colour and the luma shift (tone hold and spectrum), then
 * maps the luma to the photo's (tone_map.c), by the
 * working-size channels the synthesis left.  Its own stage because it
 * runs tile by tile, any number of times, on a synthesis made once. */
#include "synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RENDER_TASK_ROWS 16

/* The style the render samples: as sharp as the original allows at the
 * full size, never larger than needed. */
AtelierFeat *
atelier_render_style (const AtelierFeat *orig, const AtelierFeat *work_style,
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

void
atelier_render_pixel (const AtelierSynth *s, const float *content, float mask,
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
  /* the tone map was fitted on this, the whole frame's unmasked output */
  for (k = 0; k < 3; k++)
    v[k] = atelier_clamp01 (c[k] + s->steer.blend * (v[k] - c[k]));
  atelier_tone_map_apply (&s->tone, v);
  for (k = 0; k < 3; k++)
    out[k] = c[k] + mask * (atelier_clamp01 (v[k]) - c[k]);
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
      const float *m = job->mask ? job->mask->data +
                                   (size_t) y * job->mask->stride : NULL;
      float        wy = (job->y0 + y + 0.5f) / job->sy - 0.5f;

      for (x = 0; x < job->content->width; x++)
        {
          float wx = (job->x0 + x + 0.5f) / job->sx - 0.5f;
          float w[ATELIER_RENDER_CHANNELS];

          atelier_feat_sample (job->s->work_render, wx, wy, w);
          atelier_render_pixel (job->s, c + 4 * x, m ? m[x] : 1.0f,
                                atelier_feat_at (job->voted, x, y), w,
                                o + 4 * x);
        }
    }
}

/* ATELIER_OK when the tile lies inside the synthesis's full size, with
 * strides and a mask of the tile's size; else the error on ctx. */
static AtelierStatus
check_tile (AtelierContext      *ctx,
            const AtelierSynth  *s,
            int                  x0,
            int                  y0,
            const AtelierImage  *content,
            const AtelierPlane  *mask,
            const AtelierImage  *out)
{
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
  return ATELIER_OK;
}

AtelierStatus
atelier_synth_render_tile (AtelierContext      *ctx,
                           const AtelierSynth  *s,
                           int                  x0,
                           int                  y0,
                           const AtelierImage  *content,
                           const AtelierPlane  *mask,
                           AtelierImage        *out,
                           float               *scratch)
{
  AtelierFeat   voted;
  FinishJob     job;
  AtelierStatus st;

  if ((st = check_tile (ctx, s, x0, y0, content, mask, out)) != ATELIER_OK)
    return st;
  voted = (AtelierFeat) { content->width, content->height, 3, scratch };
  job   = (FinishJob) { s, content, mask, out, &voted, x0, y0,
                        (float) s->full_w / s->nnf->width,
                        (float) s->full_h / s->nnf->height };
  st = atelier_vote_scaled (ctx, s->n_threads, s->nnf, s->weights,
                            s->style_hi, job.sx, job.sy, s->style_sx,
                            s->style_sy, x0, y0, &voted);
  if (st != ATELIER_OK)
    {
      atelier_set_error (ctx, "the render's style has %d channels",
                         s->style_hi->channels);
      return st;
    }
  atelier_parallel_for (ctx, s->n_threads,
                        (content->height + RENDER_TASK_ROWS - 1) /
                        RENDER_TASK_ROWS, finish_rows, &job);
  return ATELIER_OK;
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
  float        *voted;
  AtelierStatus st;

  if ((st = check_tile (ctx, s, x0, y0, content, mask, out)) != ATELIER_OK)
    return st;
  voted = malloc ((size_t) content->width * content->height * 3 *
                  sizeof (float));
  if (! voted)
    {
      atelier_set_error (ctx, "out of memory for a render tile");
      return ATELIER_ERR_NO_MEMORY;
    }
  st = atelier_synth_render_tile (ctx, s, x0, y0, content, mask, out, voted);
  free (voted);
  return st;
}
