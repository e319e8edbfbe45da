/* SPDX-License-Identifier: GPL-3.0-or-later */
/* GEGL adapter: the only part of the engine that sees GEGL or babl.
 *
 * atelier_gegl_stylize never holds a full-size float copy of the content
 * or of the output: it reads the content once in strips to make the
 * working-resolution copy, renders the full size in tiles, and collects
 * the tiles in a temporary buffer of the output's own format, which is
 * copied to the output only when every tile has succeeded.
 *
 * Full-size copies: one, the temporary buffer, at the output's depth.
 *
 * Image files are decoded and encoded by the engine itself
 * (image_decode.c, image_encode.c), not by GEGL's loaders and savers,
 * which exit, hang or return black rows on broken files and report a full
 * disk only as warnings; here they meet GeglBuffers, a strip at a time.
 *
 * How a front end's style spec becomes an image or a network (a file, a
 * catalogued name, a mix) is here too, once for the command line, the
 * GEGL operations and the plug-ins: a style image ends up in a buffer,
 * and the user's folders come from GLib.
 */
#include "image_file.h"
#include "internal.h"
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <gegl.h>

#define TILE_SIZE         512     /* render tile side, a multiple of GEGL's */
#define STRIP_BYTES       (16 << 20) /* at most this much read at a time   */
#define STYLE_MAX_SIDE    4096    /* larger styles are read scaled down     */
#define SYNTH_SHARE       0.8f    /* of the progress bar; the render: rest  */
#define PROGRESS_INTERVAL 100000  /* microseconds between render updates    */
#define COLOR_TRANSFER_MAX_PIXELS (64 * 1024 * 1024)

/* The one pixel format the engine reads and writes. */
static const Babl *
rgba_format (void)
{
  return babl_format ("R'G'B'A float");
}

/* Masks are read like layer masks: perceptual grey, 50 % grey = 0.5. */
static const Babl *
mask_format (void)
{
  return babl_format ("Y' float");
}

/* The output keeps the content's depth and alpha, but is always colour:
 * a grey photo restyled after a painting takes the painting's colours. */
GeglBuffer *
atelier_gegl_new_output (GeglBuffer *content)
{
  const Babl *in   = gegl_buffer_get_format (content);
  const char *type = babl_get_name (babl_format_get_type (in, 0));
  gchar      *name = g_strdup_printf ("%s %s", babl_format_has_alpha (in) ?
                                      "R'G'B'A" : "R'G'B'", type);
  const Babl *out  = babl_format_exists (name) ? babl_format (name) :
                                                 rgba_format ();

  g_free (name);
  return gegl_buffer_new (gegl_buffer_get_extent (content), out);
}

/* ---- reading buffers into engine images ---- */

/* Clamps to 0..1; NaN becomes 0. */
static void
sanitize (float  *data,
          size_t  n)
{
  size_t i;

  for (i = 0; i < n; i++)
    data[i] = atelier_clamp01 (data[i]);
}

static float *
alloc_pixels (int width,
              int height,
              int channels)
{
  return g_try_malloc0_n ((gsize) width * height, channels * sizeof (float));
}

/* The weight of source sample j in destination sample i when n_src
 * samples are area-averaged into fewer; 0 if j is outside i's footprint.
 * The same arithmetic as atelier_resample_axis, so a buffer read here in
 * strips gives the same working image as atelier_stylize makes in memory. */
static float
footprint (int   i,
           int   j,
           int   n_src,
           float scale)
{
  float lo = i * scale, hi = (i + 1) * scale;
  float l, h;

  if (j < (int) lo || j >= n_src || ! (j < hi))
    return 0.0f;
  l = j > lo ? (float) j : lo;
  h = j + 1 < hi ? (float) (j + 1) : hi;
  return h - l;
}

/* Area average of a row of n_src RGBA pixels into n_dst <= n_src.  Equal
 * sizes copy: the resize would weigh a neighbour by 0, and 0 x Inf is NaN. */
static void
shrink_row (const float *src,
            int          n_src,
            float       *dst,
            int          n_dst)
{
  if (n_dst == n_src)
    memcpy (dst, src, (size_t) n_src * 4 * sizeof (float));
  else
    atelier_resample_axis (src, n_src, 4, dst, n_dst, 4, 4);
}

/* Reads buffer's whole extent area-averaged to dst_w x dst_h (each at
 * most the extent's) into dst, RGBA float with stride 4 * dst_w.  The
 * buffer is read in strips of full rows, so memory is bounded by the
 * strip and dst.
 *
 * Not gegl_buffer_get() with a scale: it takes one factor for both axes,
 * aliases between 0.5 and 1 (it interpolates there; its mipmaps only
 * halve), and averages in linear light, unlike the engine's own resize. */
static AtelierStatus
read_shrunk (AtelierContext *ctx,
             GeglBuffer     *buffer,
             int             dst_w,
             int             dst_h,
             float          *dst)
{
  const GeglRectangle *e     = gegl_buffer_get_extent (buffer);
  int                  src_w = e->width, src_h = e->height;
  float                scale = (float) src_h / dst_h;
  int                  strip = CLAMP (STRIP_BYTES / (src_w * 16), 1, 256);
  float               *rows  = alloc_pixels (src_w, strip, 4);
  float               *row   = alloc_pixels (dst_w, 1, 4);
  float               *total = g_try_new0 (float, dst_h);
  AtelierStatus        st    = ATELIER_OK;
  int                  y0, i, x;

  if (! rows || ! row || ! total)
    {
      atelier_set_error (ctx, "out of memory reading a %dx%d image",
                         src_w, src_h);
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  memset (dst, 0, (size_t) dst_w * dst_h * 4 * sizeof (float));

  for (y0 = 0; y0 < src_h; y0 += strip)
    {
      GeglRectangle r = { e->x, e->y + y0, src_w, MIN (strip, src_h - y0) };
      int           j;

      gegl_buffer_get (buffer, &r, 1.0, rgba_format (), rows,
                       src_w * 4 * sizeof (float), GEGL_ABYSS_NONE);
      for (j = y0; j < y0 + r.height; j++)
        {
          shrink_row (rows + (size_t) (j - y0) * src_w * 4, src_w, row, dst_w);
          if (dst_h == src_h)
            {
              memcpy (dst + (size_t) j * dst_w * 4, row,
                      (size_t) dst_w * 4 * sizeof (float));
              continue;
            }
          /* row j lies in the footprint of at most two output rows */
          for (i = MAX (0, (int) (j / scale) - 2);
               i <= MIN (dst_h - 1, (int) (j / scale) + 2); i++)
            {
              float  w = footprint (i, j, src_h, scale);
              float *d = dst + (size_t) i * dst_w * 4;

              if (w == 0.0f)
                continue;
              for (x = 0; x < dst_w * 4; x++)
                d[x] += w * row[x];
              total[i] += w;
            }
        }
    }
  if (dst_h != src_h)
    for (i = 0; i < dst_h; i++)
      for (x = 0; x < dst_w * 4; x++)
        dst[(size_t) i * dst_w * 4 + x] /= total[i];
  sanitize (dst, (size_t) dst_w * dst_h * 4);

out:
  g_free (rows);
  g_free (row);
  g_free (total);
  return st;
}

/* Reads the style whole, scaled down to STYLE_MAX_SIDE on its long side
 * if it is larger.  *pixels is the caller's to g_free. */
static AtelierStatus
read_style (AtelierContext *ctx,
            GeglBuffer     *style,
            AtelierImage   *img,
            float         **pixels)
{
  const GeglRectangle *e = gegl_buffer_get_extent (style);
  int                  w = e->width, h = e->height;
  AtelierStatus        st;

  *pixels = NULL;
  if ((st = atelier_size_check (ctx, w, h, "style")) != ATELIER_OK)
    return st;
  if (MAX (w, h) > STYLE_MAX_SIDE)
    {
      double f = (double) STYLE_MAX_SIDE / MAX (w, h);

      w = MAX (1, (int) lround (w * f));
      h = MAX (1, (int) lround (h * f));
    }
  *pixels = alloc_pixels (w, h, 4);
  if (! *pixels)
    {
      atelier_set_error (ctx, "out of memory for a %dx%d style image", w, h);
      return ATELIER_ERR_NO_MEMORY;
    }
  *img = (AtelierImage) { w, h, 4 * w, *pixels };
  return read_shrunk (ctx, style, w, h, *pixels);
}

/* ---- stylize ---- */

/* Maps the synthesis' progress to the start of the caller's bar (the
 * synthesis reports 0..1, never decreasing). */
typedef struct
{
  AtelierProgressFunc func;
  void               *data;
} ProgressShare;

static bool
synthesis_progress (float  fraction,
                    void  *user_data)
{
  ProgressShare *share = user_data;

  return share->func (fraction * SYNTH_SHARE, share->data);
}

/* The checks both entry points share: buffers given, content of a usable
 * size, output of the content's size. */
static AtelierStatus
check_buffers (AtelierContext *ctx,
               GeglBuffer     *content,
               GeglBuffer     *style,
               GeglBuffer     *out)
{
  const GeglRectangle *ce, *oe;
  AtelierStatus        st;

  if (! content || ! style || ! out)
    {
      atelier_set_error (ctx, "content, style and output buffers are "
                         "required");
      return ATELIER_ERR_INVALID_PARAM;
    }
  ce = gegl_buffer_get_extent (content);
  oe = gegl_buffer_get_extent (out);
  st = atelier_size_check (ctx, ce->width, ce->height, "content");
  if (st != ATELIER_OK)
    return st;
  if (oe->width != ce->width || oe->height != ce->height)
    {
      atelier_set_error (ctx, "output is %dx%d but content is %dx%d",
                         oe->width, oe->height, ce->width, ce->height);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  return ATELIER_OK;
}

/* The checks both stylize calls share, after check_buffers: parameters,
 * and a mask of the content's size. */
static AtelierStatus
check_stylize (AtelierContext      *ctx,
               const AtelierParams *params,
               GeglBuffer          *content,
               GeglBuffer          *mask)
{
  const GeglRectangle *ce = gegl_buffer_get_extent (content);
  const GeglRectangle *me;
  AtelierStatus        st;

  if ((st = atelier_params_validate (params, ctx)) != ATELIER_OK || ! mask)
    return st;
  me = gegl_buffer_get_extent (mask);
  if (me->width != ce->width || me->height != ce->height)
    {
      atelier_set_error (ctx, "mask is %dx%d but content is %dx%d",
                         me->width, me->height, ce->width, ce->height);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  return ATELIER_OK;
}

/* Renders one full-size tile: the example-based synthesis or a network. */
typedef AtelierStatus (*RenderTileFunc) (AtelierContext     *ctx,
                                         const void         *engine,
                                         int                 x,
                                         int                 y,
                                         const AtelierImage *content,
                                         const AtelierPlane *mask,
                                         AtelierImage       *out);

static AtelierStatus
render_synth_tile (AtelierContext *ctx, const void *engine, int x, int y,
                   const AtelierImage *content, const AtelierPlane *mask,
                   AtelierImage *out)
{
  return atelier_synth_render (ctx, engine, x, y, content, mask, out);
}

static AtelierStatus
render_net_tile (AtelierContext *ctx, const void *engine, int x, int y,
                 const AtelierImage *content, const AtelierPlane *mask,
                 AtelierImage *out)
{
  return atelier_net_synth_render (ctx, engine, x, y, content, mask, out);
}

/* The full-size render, tile by tile, into a buffer of out's format that
 * is copied to out only when every tile has succeeded; progress from
 * SYNTH_SHARE to 1. */
static AtelierStatus
render_tiles (AtelierContext      *ctx,
              const AtelierParams *params,
              RenderTileFunc       render,
              const void          *engine,
              GeglBuffer          *content,
              GeglBuffer          *mask,
              GeglBuffer          *out)
{
  const GeglRectangle *ce = gegl_buffer_get_extent (content);
  const GeglRectangle *oe = gegl_buffer_get_extent (out);
  GeglBuffer          *result  = NULL;
  float               *tile_px = alloc_pixels (TILE_SIZE, TILE_SIZE, 4);
  float               *out_px  = alloc_pixels (TILE_SIZE, TILE_SIZE, 4);
  float               *mask_px = mask ? alloc_pixels (TILE_SIZE, TILE_SIZE, 1)
                                      : NULL;
  AtelierStatus        st = ATELIER_OK;
  gint64               last = 0;
  int                  tx, ty, n_tiles, done = 0;

  if (! tile_px || ! out_px || (mask && ! mask_px))
    {
      atelier_set_error (ctx, "out of memory for a render tile");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  result  = gegl_buffer_new (oe, gegl_buffer_get_format (out));
  n_tiles = ((ce->width + TILE_SIZE - 1) / TILE_SIZE) *
            ((ce->height + TILE_SIZE - 1) / TILE_SIZE);

  for (ty = 0; ty < ce->height; ty += TILE_SIZE)
    for (tx = 0; tx < ce->width; tx += TILE_SIZE)
      {
        int           w = MIN (TILE_SIZE, ce->width - tx);
        int           h = MIN (TILE_SIZE, ce->height - ty);
        GeglRectangle cr = { ce->x + tx, ce->y + ty, w, h };
        GeglRectangle orr = { oe->x + tx, oe->y + ty, w, h };
        AtelierImage  tile = { w, h, 4 * w, tile_px };
        AtelierImage  out_tile = { w, h, 4 * w, out_px };
        AtelierPlane  mask_tile = { w, h, w, mask_px };
        gint64        now;

        gegl_buffer_get (content, &cr, 1.0, rgba_format (), tile_px,
                         w * 4 * sizeof (float), GEGL_ABYSS_NONE);
        sanitize (tile_px, (size_t) w * h * 4);
        if (mask)
          {
            const GeglRectangle *me = gegl_buffer_get_extent (mask);
            GeglRectangle        mr = { me->x + tx, me->y + ty, w, h };

            gegl_buffer_get (mask, &mr, 1.0, mask_format (), mask_px,
                             w * sizeof (float), GEGL_ABYSS_NONE);
            sanitize (mask_px, (size_t) w * h);
          }
        st = render (ctx, engine, tx, ty, &tile, mask ? &mask_tile : NULL,
                     &out_tile);
        if (st != ATELIER_OK)
          goto out;
        gegl_buffer_set (result, &orr, 0, rgba_format (), out_px,
                         w * 4 * sizeof (float));

        done++;
        now = g_get_monotonic_time ();
        if (params->progress &&
            (done == n_tiles || now - last >= PROGRESS_INTERVAL))
          {
            float f = SYNTH_SHARE + (1.0f - SYNTH_SHARE) * done / n_tiles;

            last = now;
            if (! params->progress (f, params->progress_data))
              {
                atelier_set_error (ctx, "cancelled by the caller");
                st = ATELIER_CANCELLED;
                goto out;
              }
          }
      }

  gegl_buffer_copy (result, oe, GEGL_ABYSS_NONE, out, oe);

out:
  g_clear_object (&result);
  g_free (tile_px);
  g_free (out_px);
  g_free (mask_px);
  return st;
}

/* params with its progress mapped to the start of the caller's bar. */
static AtelierParams
synthesis_params (const AtelierParams *params,
                  ProgressShare       *share)
{
  AtelierParams p = *params;

  p.mask = NULL;
  if (params->progress)
    {
      *share          = (ProgressShare) { params->progress,
                                          params->progress_data };
      p.progress      = synthesis_progress;
      p.progress_data = share;
    }
  return p;
}

AtelierStatus
atelier_gegl_stylize (AtelierContext      *ctx,
                      const AtelierParams *params,
                      GeglBuffer          *content,
                      GeglBuffer          *style,
                      GeglBuffer          *mask,
                      GeglBuffer          *out)
{
  const GeglRectangle *ce;
  AtelierParams        p;
  ProgressShare        share;
  AtelierImage         work, style_img;
  AtelierSynth        *synth    = NULL;
  float               *work_px  = NULL;
  float               *style_px = NULL;
  AtelierStatus        st;
  int                  ww, wh;

  if ((st = check_buffers (ctx, content, style, out)) != ATELIER_OK ||
      (st = check_stylize (ctx, params, content, mask)) != ATELIER_OK)
    return st;
  ce = gegl_buffer_get_extent (content);

  /* the working-resolution content and the style */
  atelier_working_size (params, ce->width, ce->height, &ww, &wh);
  work_px = alloc_pixels (ww, wh, 4);
  if (! work_px)
    {
      atelier_set_error (ctx, "out of memory for the working copy");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  work = (AtelierImage) { ww, wh, 4 * ww, work_px };
  if ((st = read_shrunk (ctx, content, ww, wh, work_px)) != ATELIER_OK ||
      (st = read_style (ctx, style, &style_img, &style_px)) != ATELIER_OK)
    goto out;

  p  = synthesis_params (params, &share);
  st = atelier_synth_new (ctx, &p, &work, ce->width, ce->height, &style_img,
                          &synth);
  g_clear_pointer (&work_px, g_free);
  g_clear_pointer (&style_px, g_free);
  if (st == ATELIER_OK)
    st = render_tiles (ctx, params, render_synth_tile, synth, content, mask,
                       out);

out:
  atelier_synth_free (synth);
  g_free (work_px);
  g_free (style_px);
  return st;
}

AtelierStatus
atelier_gegl_net_stylize (AtelierContext      *ctx,
                          const AtelierParams *params,
                          const AtelierNet    *net,
                          int                  net_style,
                          GeglBuffer          *content,
                          GeglBuffer          *mask,
                          GeglBuffer          *out)
{
  const GeglRectangle *ce;
  AtelierParams        p;
  ProgressShare        share;
  AtelierImage         work;
  AtelierNetSynth     *synth   = NULL;
  AtelierFeat         *shrunk  = NULL, *up = NULL;
  AtelierStatus        st;
  int                  ww, wh, rw, rh;

  if (! net)
    {
      atelier_set_error (ctx, "no network given");
      return ATELIER_ERR_INVALID_PARAM;
    }
  /* the content stands in for the style buffer: there is none */
  if ((st = check_buffers (ctx, content, content, out)) != ATELIER_OK ||
      (st = check_stylize (ctx, params, content, mask)) != ATELIER_OK)
    return st;
  ce = gegl_buffer_get_extent (content);

  /* The working size, read in strips; a network run above the content's
   * size (style scale under 1) reads it whole and enlarges it. */
  atelier_net_working_size (params, net, ce->width, ce->height, &ww, &wh);
  rw   = MIN (ww, ce->width);
  rh   = MIN (wh, ce->height);
  shrunk = atelier_feat_new (rw, rh, 4);
  if (! shrunk)
    {
      atelier_set_error (ctx, "out of memory for the working copy");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  if ((st = read_shrunk (ctx, content, rw, rh, shrunk->data)) != ATELIER_OK)
    goto out;
  if (rw != ww || rh != wh)
    {
      up = atelier_feat_resize (shrunk, ww, wh);
      if (! up)
        {
          atelier_set_error (ctx, "out of memory for the working copy");
          st = ATELIER_ERR_NO_MEMORY;
          goto out;
        }
    }
  work = (AtelierImage) { ww, wh, 4 * ww, up ? up->data : shrunk->data };

  p  = synthesis_params (params, &share);
  st = atelier_net_synth_new (ctx, &p, net, net_style, &work, ce->width,
                              ce->height, &synth);
  g_clear_pointer (&shrunk, atelier_feat_free);
  g_clear_pointer (&up, atelier_feat_free);
  if (st == ATELIER_OK)
    st = render_tiles (ctx, params, render_net_tile, synth, content, mask,
                       out);

out:
  atelier_net_synth_free (synth);
  atelier_feat_free (shrunk);
  atelier_feat_free (up);
  return st;
}

/* ---- colour transfer ---- */

AtelierStatus
atelier_gegl_color_transfer (AtelierContext *ctx,
                             GeglBuffer     *content,
                             GeglBuffer     *style,
                             float           strength,
                             bool            preserve_luminance,
                             GeglBuffer     *out)
{
  const GeglRectangle *ce, *oe;
  AtelierImage         c, s, o;
  float               *content_px = NULL;
  float               *style_px   = NULL;
  float               *out_px     = NULL;
  AtelierStatus        st;

  if ((st = check_buffers (ctx, content, style, out)) != ATELIER_OK)
    return st;
  ce = gegl_buffer_get_extent (content);
  oe = gegl_buffer_get_extent (out);
  /* The statistics need the whole image: two full-size float copies. */
  if ((gint64) ce->width * ce->height > COLOR_TRANSFER_MAX_PIXELS)
    {
      atelier_set_error (ctx, "content is %dx%d; colour transfer reads it "
                         "whole and is limited to %d Mpx", ce->width,
                         ce->height, COLOR_TRANSFER_MAX_PIXELS >> 20);
      return ATELIER_ERR_NO_MEMORY;
    }

  content_px = alloc_pixels (ce->width, ce->height, 4);
  out_px     = alloc_pixels (ce->width, ce->height, 4);
  if (! content_px || ! out_px)
    {
      atelier_set_error (ctx, "out of memory for a %dx%d image",
                         ce->width, ce->height);
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  c = (AtelierImage) { ce->width, ce->height, 4 * ce->width, content_px };
  o = (AtelierImage) { ce->width, ce->height, 4 * ce->width, out_px };
  gegl_buffer_get (content, ce, 1.0, rgba_format (), content_px,
                   GEGL_AUTO_ROWSTRIDE, GEGL_ABYSS_NONE);
  sanitize (content_px, (size_t) ce->width * ce->height * 4);
  if ((st = read_style (ctx, style, &s, &style_px)) != ATELIER_OK)
    goto out;

  st = atelier_color_transfer (ctx, &c, &s, strength, preserve_luminance, &o);
  if (st == ATELIER_OK)
    gegl_buffer_set (out, oe, 0, rgba_format (), out_px, GEGL_AUTO_ROWSTRIDE);

out:
  g_free (content_px);
  g_free (style_px);
  g_free (out_px);
  return st;
}

/* ---- load and save ---- */

/* The babl format of a raster: perceptual grey or RGB, alpha if it has
 * one, at its depth, in space (NULL: sRGB).  Saving keeps the buffer's
 * space, so its values are written as they are, as GIMP exports them. */
static const Babl *
raster_format (int               channels,
               AtelierSampleType type,
               const Babl       *space)
{
  static const char *models[5] = { NULL, "Y'", "Y'A", "R'G'B'", "R'G'B'A" };
  const char        *depth = type == ATELIER_SAMPLE_U8 ? "u8" :
                             type == ATELIER_SAMPLE_U16 ? "u16" : "float";
  gchar             *name = g_strdup_printf ("%s %s", models[channels], depth);
  const Babl        *format = babl_format_with_space (name, space);

  g_free (name);
  return format;
}

/* The decoder's sink: a buffer of the file's own format, made once the
 * header is known, filled a strip at a time. */
typedef struct
{
  GeglBuffer *buffer;
  const Babl *format;
  int         width;
  size_t      row_bytes;
} LoadSink;

static AtelierStatus
load_begin (void                    *data,
            const AtelierRasterInfo *info)
{
  LoadSink     *s    = data;
  GeglRectangle rect = { 0, 0, info->width, info->height };

  s->format    = raster_format (info->channels, info->type, NULL);
  s->width     = info->width;
  s->row_bytes = atelier_raster_row_bytes (info);
  s->buffer    = gegl_buffer_new (&rect, s->format);
  return ATELIER_OK;
}

static AtelierStatus
load_put_rows (void       *data,
               int         y,
               int         n,
               const void *rows)
{
  LoadSink     *s    = data;
  GeglRectangle rect = { 0, y, s->width, n };

  gegl_buffer_set (s->buffer, &rect, 0, s->format, rows, s->row_bytes);
  return ATELIER_OK;
}

static AtelierStatus
load_get_rows (void *data,
               int   y,
               int   n,
               void *rows)
{
  LoadSink     *s    = data;
  GeglRectangle rect = { 0, y, s->width, n };

  gegl_buffer_get (s->buffer, &rect, 1.0, s->format, rows, s->row_bytes,
                   GEGL_ABYSS_NONE);
  return ATELIER_OK;
}

/* The codec's message, prefixed with the file's path. */
static void
prefix_error (AtelierContext *ctx,
              const char     *path)
{
  gchar *why = g_strdup (atelier_context_error (ctx));

  atelier_set_error (ctx, "%s: %s", path, why);
  g_free (why);
}

AtelierStatus
atelier_gegl_load (AtelierContext  *ctx,
                   const char      *path,
                   uint64_t         max_pixels,
                   GeglBuffer     **buffer)
{
  LoadSink          s = { NULL };
  AtelierRasterSink sink = { load_begin, load_put_rows, load_get_rows, &s };
  struct stat       info;
  const char       *why = NULL;
  AtelierStatus     st;
  int               fd;

  if (buffer)
    *buffer = NULL;
  if (! path || ! buffer)
    {
      atelier_set_error (ctx, "load needs a path and a buffer pointer");
      return ATELIER_ERR_INVALID_PARAM;
    }
  /* O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
   * below without a byte read */
  fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    {
      atelier_set_error (ctx, ATELIER_N_ ("cannot open %s: %s"), path,
                         g_strerror (errno));
      return ATELIER_ERR_IO;
    }
  if (fstat (fd, &info) != 0)
    why = g_strerror (errno);
  else if (S_ISDIR (info.st_mode))
    why = g_strerror (EISDIR);
  else if (! S_ISREG (info.st_mode))
    why = "not a regular file";
  if (why)
    {
      atelier_set_error (ctx, ATELIER_N_ ("cannot open %s: %s"), path, why);
      st = ATELIER_ERR_IO;
      goto out;
    }

  st = atelier_decode (ctx, fd, max_pixels, &sink);
  if (st != ATELIER_OK)
    {
      prefix_error (ctx, path);
      goto out;
    }
  *buffer = g_steal_pointer (&s.buffer);

out:
  g_clear_object (&s.buffer);
  close (fd);
  return st;
}

/* The encoder's source: rows of the buffer in the layout's format, and
 * the caller's progress polled between strips. */
typedef struct
{
  AtelierContext      *ctx;
  GeglBuffer          *buffer;
  const Babl          *format;
  size_t               row_bytes;
  AtelierProgressFunc  progress;
  void                *progress_data;
  gint64               last;
} SaveSource;

static AtelierStatus
save_get_rows (void *data,
               int   y,
               int   n,
               void *rows)
{
  SaveSource          *s = data;
  const GeglRectangle *e = gegl_buffer_get_extent (s->buffer);
  GeglRectangle        rect = { e->x, e->y + y, e->width, n };
  gint64               now;

  if (s->progress)
    {
      now = g_get_monotonic_time ();
      if (y == 0 || now - s->last >= PROGRESS_INTERVAL)
        {
          s->last = now;
          if (! s->progress ((float) y / e->height, s->progress_data))
            {
              atelier_set_error (s->ctx, "cancelled");
              return ATELIER_CANCELLED;
            }
        }
    }
  gegl_buffer_get (s->buffer, &rect, 1.0, s->format, rows, s->row_bytes,
                   GEGL_ABYSS_NONE);
  return ATELIER_OK;
}

AtelierStatus
atelier_gegl_save (AtelierContext      *ctx,
                   GeglBuffer          *buffer,
                   const char          *path,
                   AtelierProgressFunc  progress,
                   void                *progress_data)
{
  const Babl         *format, *type;
  const char         *model;
  AtelierFileType     file_type;
  AtelierRasterInfo   info, layout;
  SaveSource          s;
  AtelierRasterSource source = { save_get_rows, &s };
  bool                grey, alpha;

  if (! buffer || ! path)
    {
      atelier_set_error (ctx, "save needs a buffer and a path");
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (! atelier_file_type_from_name (path, &file_type))
    {
      atelier_set_error (ctx, "%s: unsupported output format (use .png, "
                         ".jpg or .tif)", path);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (gegl_buffer_get_width (buffer) <= 0 ||
      gegl_buffer_get_height (buffer) <= 0)
    {
      atelier_set_error (ctx, "cannot save an empty image to %s", path);
      return ATELIER_ERR_INVALID_IMAGE;
    }

  /* the buffer's depth, grey or colour and alpha, as the file keeps them */
  format = gegl_buffer_get_format (buffer);
  type   = babl_format_get_type (format, 0);
  model  = babl_get_name (babl_format_get_model (format));
  alpha  = babl_format_has_alpha (format);
  grey   = model[0] == 'Y' && babl_format_get_n_components (format) <=
                              1 + alpha;
  info.width    = gegl_buffer_get_width (buffer);
  info.height   = gegl_buffer_get_height (buffer);
  info.channels = (grey ? 1 : 3) + alpha;
  info.type     = type == babl_type ("u8") ? ATELIER_SAMPLE_U8 :
                  type == babl_type ("u16") ? ATELIER_SAMPLE_U16 :
                                              ATELIER_SAMPLE_F32;
  info.format   = NULL;
  atelier_encode_layout (file_type, &info, &layout);

  s.ctx           = ctx;
  s.buffer        = buffer;
  s.format        = raster_format (layout.channels, layout.type, format);
  s.row_bytes     = atelier_raster_row_bytes (&layout);
  s.progress      = progress;
  s.progress_data = progress_data;
  s.last          = 0;
  return atelier_save_atomic (ctx, path, file_type, &layout, &source);
}

/* ---- styles by name ---- */

bool
atelier_gegl_style_needs_catalogue (const char *spec)
{
  return spec && ! strchr (spec, '/') && access (spec, F_OK) != 0;
}

AtelierStatus
atelier_gegl_styles_scan (AtelierContext  *ctx,
                          const char      *search_path,
                          const char      *shipped_dir,
                          const char      *local_dir,
                          AtelierStyles  **styles)
{
  GPtrArray    *dirs = g_ptr_array_new_with_free_func (g_free);
  AtelierStatus st;

  if (search_path)
    {
      gchar **parts = g_strsplit (search_path, ":", -1);
      int     i;

      for (i = 0; parts[i]; i++)
        if (*parts[i])
          g_ptr_array_add (dirs, g_strdup (parts[i]));
      g_strfreev (parts);
    }
  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), "atelier",
                                           "styles", NULL));
  g_ptr_array_add (dirs, g_build_filename (g_get_user_data_dir (), "atelier",
                                           "models", NULL));
  if (shipped_dir)
    g_ptr_array_add (dirs, g_strdup (shipped_dir));
  if (local_dir)
    g_ptr_array_add (dirs, g_strdup (local_dir));
  st = atelier_styles_scan (ctx, (const char *const *) dirs->pdata,
                            (int) dirs->len, styles);
  g_ptr_array_free (dirs, TRUE);
  return st;
}

AtelierStatus
atelier_gegl_load_style (AtelierContext       *ctx,
                         const AtelierStyles  *styles,
                         const char           *spec,
                         uint64_t              max_pixels,
                         GeglBuffer          **image,
                         AtelierNet          **net,
                         int                  *net_style,
                         const char          **path)
{
  const AtelierStyleEntry *e;
  const char              *file  = spec;
  int                      index = 0;
  AtelierStatus            st;

  if (image)
    *image = NULL;
  if (net)
    *net = NULL;
  if (net_style)
    *net_style = 0;
  if (path)
    *path = NULL;
  if (! spec || (net && ! net_style))
    {
      atelier_set_error (ctx, "loading a style needs a spec, and a style "
                         "index pointer with the network pointer");
      return ATELIER_ERR_INVALID_PARAM;
    }

  if (atelier_gegl_style_needs_catalogue (spec))
    {
      if (atelier_style_is_mix (spec))
        {
          if (net)
            return atelier_styles_load_mix (ctx, styles, spec, net, path);
          atelier_set_error (ctx, ATELIER_N_ ("%s is a mix of network "
                                              "styles, not an image"), spec);
          return ATELIER_ERR_INVALID_PARAM;
        }
      e = atelier_styles_find (styles, spec);
      if (! e)
        {
          atelier_set_error (ctx, ATELIER_N_ ("no such style file or style: "
                                              "%s"), spec);
          return ATELIER_ERR_IO;
        }
      file  = e->path;
      index = MAX (e->net_style, 0);
    }
  if (path)
    *path = file;

  if (atelier_is_net_file (file))
    {
      if (! net)
        return ATELIER_OK;
      st = atelier_net_load (ctx, file, net);
      /* the entry was made from the file as it was when it was scanned */
      if (st == ATELIER_OK)
        *net_style = index < atelier_net_n_styles (*net) ? index : 0;
      return st;
    }
  return image ? atelier_gegl_load (ctx, file, max_pixels, image)
               : ATELIER_OK;
}
