/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Running a style network on an image of any size in bounded memory.
 *
 * The network runs at the working size (atelier_net_working_size); its
 * output, RGB at that size, is then rendered at full size tile by tile
 * like the example-based engine's: sampled, blended with the content by
 * strength, preserve-colours, mask and alpha.
 *
 * Instance normalisation needs whole-image statistics, so a network that
 * does not fit runs in two passes: the statistics of every norm layer are
 * taken once from the whole image at NET_STATS_PIXELS (untiled), then the
 * working size is computed in tiles that all use those statistics.  Each
 * tile is the output tile plus a halo of the network's receptive radius,
 * aligned to its total stride, so every pixel a tile keeps is computed
 * from the same inputs as without tiles: tiled equals untiled (to float
 * rounding), without seams.  At the image's border a tile reaches the
 * border exactly, so the network's reflection padding sees what it would
 * see untiled.
 *
 * Full-size copies: none; the working-size output (3 floats a pixel) and
 * one tile's tensors at a time.
 */
#include "file_io.h"
#include "image_file.h"
#include "internal.h"
#include "net.h"

#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The constants of the network runtime, each with its reason. */
#define NET_WORK_MAX_SIDE  4096   /* style scale 0.25 at best would ask for
                                     8192: 16x the work for strokes finer
                                     than any painting shows             */
/* Untiled up to 1024 x 1024 pixels.  Johnson's net there, with the
 * padding and upsampling read in place and tensor buffers pooled, peaks
 * at a 32-channel tensor beside a 64-channel one of a quarter the pixels
 * and the pool: tests/e2e/net_run at 1024^2 peaks at 309 MB RSS (~75 MB
 * of it the runner's own images) and takes 1.5 s on 2 cores, where the
 * tiled path (a statistics pass at 768^2, then 9 tiles of 384 with a
 * 68-px halo: each tile computes 2.3x its pixels) took 3.1 s and 217 MB.
 * Larger sizes take their statistics at 768^2 (the same cost bound) and
 * keep tiles of 384 pixels a side. */
static const AtelierNetLimits default_limits = { 1024 * 1024, 768 * 768, 384,
                                                false };
/* Tensor buffers forward() keeps once done with them: Johnson's net cycles
 * through three sizes (the residual blocks' input, skip and output), and
 * a fourth holds the larger ones for the way back up. */
#define NET_POOL 4

typedef struct
{
  int down;     /* total stride: sizes must be a multiple of it          */
  int halo;     /* input pixels a tile needs around what it keeps        */
  int min_side; /* the smallest input every reflection pad fits in (a
                   pad of p needs p + 1 pixels at its layer's scale)     */
} NetGeometry;

/* The total stride and the receptive radius, from the layer list: each
 * convolution widens the radius by (k - 1) / 2 of its own pixels, each
 * upsampling by one. */
static NetGeometry
net_geometry (const AtelierNet *net)
{
  NetGeometry g = { 1, 0, 1 };
  double      scale = 1.0, radius = 0.0;   /* input pixels a pixel spans */
  double      need = 1.0;
  int         i, down = 1, max_down = 1;

  for (i = 0; i < net->n_layers; i++)
    {
      const AtelierNetLayer *l = &net->layers[i];

      if (l->op == ATELIER_NET_PAD_REFLECT && (l->pad + 1) * scale > need)
        need = (l->pad + 1) * scale;
      if (l->op == ATELIER_NET_CONV)
        {
          radius += scale * (l->kernel - 1) / 2.0;
          if (l->stride == 2)
            {
              scale *= 2.0;
              down  *= 2;
              max_down = down > max_down ? down : max_down;
            }
        }
      else if (l->op == ATELIER_NET_UPSAMPLE)
        {
          radius += scale;
          scale  /= 2.0;
          down    = down > 1 ? down / 2 : 1;
        }
    }
  g.down     = max_down;
  g.halo     = ((int) ceil (radius) + max_down) / max_down * max_down +
               max_down;
  g.min_side = ((int) ceil (need) + max_down - 1) / max_down * max_down;
  return g;
}

void
atelier_net_working_size (const AtelierParams *params,
                          const AtelierNet    *net,
                          int                  full_w,
                          int                  full_h,
                          int                 *work_w,
                          int                 *work_h)
{
  int   quality_w, quality_h, large = full_w > full_h ? full_w : full_h;
  float side, f;

  /* the example-based engine's working size at style scale 1: the same
   * quality presets, an image no larger kept as it is */
  AtelierParams p = *params;

  p.style_scale = 1.0f;
  atelier_working_size (&p, full_w, full_h, &quality_w, &quality_h);
  side = (quality_w > quality_h ? quality_w : quality_h) / params->style_scale;
  /* a preview: the final render's factor, style scale and quality in it */
  if (params->work_scale > 0.0f)
    side = large * params->work_scale;
  if (side > NET_WORK_MAX_SIDE)
    side = NET_WORK_MAX_SIDE;
  f = side / large;
  *work_w = (int) lroundf (full_w * f);
  *work_h = (int) lroundf (full_h * f);
  if (f == 1.0f || (*work_w == full_w && *work_h == full_h))
    {
      *work_w = full_w;
      *work_h = full_h;
    }
  *work_w = *work_w < ATELIER_MIN_SIZE ? ATELIER_MIN_SIZE : *work_w;
  *work_h = *work_h < ATELIER_MIN_SIZE ? ATELIER_MIN_SIZE : *work_h;
  (void) net;
}

/* ---- one forward pass ---- */

/* Per norm layer, in layer order: mean and variance per channel. */
typedef struct
{
  int    n;          /* norm layers        */
  float *mean;       /* n x max channels   */
  float *var;
  int    stride;     /* max channels       */
} NetStats;

static void
net_stats_free (NetStats *s)
{
  free (s->mean);
  free (s->var);
}

static AtelierStatus
net_stats_init (AtelierContext *ctx, const AtelierNet *net, NetStats *s)
{
  int i;

  memset (s, 0, sizeof *s);
  for (i = 0; i < net->n_layers; i++)
    if (net->layers[i].op == ATELIER_NET_INORM)
      {
        s->n++;
        if (net->layers[i].in_c > s->stride)
          s->stride = net->layers[i].in_c;
      }
  s->mean = calloc ((size_t) s->n * s->stride + 1, sizeof (float));
  s->var  = calloc ((size_t) s->n * s->stride + 1, sizeof (float));
  if (! s->mean || ! s->var)
    {
      net_stats_free (s);
      atelier_set_error (ctx, "out of memory for the network's statistics");
      return ATELIER_ERR_NO_MEMORY;
    }
  return ATELIER_OK;
}

/* ATELIER_CANCELLED when the caller's progress says stop. */
static AtelierStatus
report_progress (const AtelierParams *params, float fraction)
{
  return params->progress &&
         ! params->progress (fraction, params->progress_data) ?
         ATELIER_CANCELLED : ATELIER_OK;
}

/* A tensor buffer forward() is done with, kept for the next tensor that
 * fits: each fresh buffer costs a page fault a page (the kernel clears
 * it), a fifth of the run when every layer had its own. */
typedef struct
{
  float  *data;
  size_t  floats;
} NetBuffer;

typedef struct
{
  AtelierContext   *ctx;
  const AtelierNet *net;
  int               style;
  int               n_threads;
  NetStats         *stats;
  bool              measure;   /* take the statistics, else use them */
  NetBuffer         pool[NET_POOL];   /* free buffers, kept          */
  /* the buffers in use (the tensor, its next, the skips) and their
   * sizes, which AtelierTensor does not carry */
  NetBuffer         live[ATELIER_NET_MAX_SKIP + 3];
  /* the caller's progress, polled between layers so that cancel acts
   * within a layer's time, even on an untiled run; this pass covers
   * progress_from .. progress_to of the whole (NULL: not polled) */
  const AtelierParams *params;
  float             progress_from, progress_to;
} Forward;

static void
pool_free (Forward *f)
{
  int i;

  for (i = 0; i < NET_POOL; i++)
    {
      free (f->pool[i].data);
      f->pool[i] = (NetBuffer) { NULL, 0 };
    }
}

/* t's buffer back to the pool, where the smallest one makes room. */
static void
tensor_release (Forward *f, AtelierTensor *t)
{
  NetBuffer b = { t->data, 0 };
  int       i, small = 0;

  if (! t->data)
    return;
  t->data = NULL;
  for (i = 0; i < (int) (sizeof f->live / sizeof f->live[0]); i++)
    if (f->live[i].data == b.data)
      {
        b = f->live[i];
        f->live[i] = (NetBuffer) { NULL, 0 };
        break;
      }
  for (i = 1; i < NET_POOL; i++)
    if (f->pool[i].floats < f->pool[small].floats)
      small = i;
  if (b.floats <= f->pool[small].floats)
    {
      free (b.data);
      return;
    }
  free (f->pool[small].data);
  f->pool[small] = b;
}

/* A c x h x w tensor in the smallest pooled buffer that holds it, else
 * in a fresh one, the pool emptied first: nothing in it fits, so the
 * tensors are growing, and keeping the small ones would raise the
 * peak. */
static AtelierStatus
tensor_get (Forward *f, AtelierTensor *t, int c, int h, int w)
{
  size_t    need = (size_t) c * h * w + 1;
  NetBuffer b = { NULL, 0 };
  int       i, best = -1;

  t->c = c;
  t->h = h;
  t->w = w;
  for (i = 0; i < NET_POOL; i++)
    if (f->pool[i].floats >= need &&
        (best < 0 || f->pool[i].floats < f->pool[best].floats))
      best = i;
  if (best >= 0)
    {
      b = f->pool[best];
      f->pool[best] = (NetBuffer) { NULL, 0 };
    }
  else
    {
      pool_free (f);
      b.data   = malloc (need * sizeof (float));
      b.floats = need;
    }
  t->data = b.data;
  if (! b.data)
    {
      atelier_set_error (f->ctx, "out of memory for a %dx%dx%d network "
                         "tensor", c, h, w);
      return ATELIER_ERR_NO_MEMORY;
    }
  /* a buffer not found here when released is freed, not pooled: the
   * table holds more than forward() ever has in use */
  for (i = 0; i < (int) (sizeof f->live / sizeof f->live[0]); i++)
    if (! f->live[i].data)
      {
        f->live[i] = b;
        break;
      }
  return ATELIER_OK;
}

/* A norm layer with the style's scale and shift: the statistics taken
 * from t (measuring) or given; then ReLU when relu. */
static AtelierStatus
norm_layer (Forward *f, AtelierTensor *t, int norm_index,
            const AtelierNetLayer *l, bool relu)
{
  const float *gamma = l->gamma + (size_t) f->style * l->in_c;
  const float *beta  = l->beta + (size_t) f->style * l->in_c;
  float       *mean  = f->stats->mean + (size_t) norm_index * f->stats->stride;
  float       *var   = f->stats->var + (size_t) norm_index * f->stats->stride;
  int          c;

  if (f->measure)
    {
      double *sum  = calloc ((size_t) 2 * t->c, sizeof (double));
      double  n    = (double) t->h * t->w;

      if (! sum)
        {
          atelier_set_error (f->ctx, "out of memory for the statistics");
          return ATELIER_ERR_NO_MEMORY;
        }
      atelier_net_channel_sums_run (f->ctx, f->n_threads, t, sum,
                                    sum + t->c);
      for (c = 0; c < t->c; c++)
        {
          double m = sum[c] / n;
          double v = sum[t->c + c] / n - m * m;

          mean[c] = (float) m;
          var[c]  = (float) (v > 0.0 ? v : 0.0);
        }
      free (sum);
    }
  atelier_net_inorm_run (f->ctx, f->n_threads, t, mean, var, gamma, beta,
                         relu);
  return ATELIER_OK;
}

static bool
layer_is (const AtelierNet *net, int i, AtelierNetOp op)
{
  return i < net->n_layers && net->layers[i].op == op;
}

/* Runs the whole network on *t (3 channels, already scaled by in_scale,
 * from tensor_get); on success *t is the output (3 channels), the input
 * released.  An UPSAMPLE, a PAD_REFLECT or both right before a CONV are
 * read by the convolution in place (atelier_net_conv:
 * the same bits, without the copies, which were a fifth of the time and
 * at 1024^2 the peak, 64 x 1026^2 floats); a ReLU right after a norm is
 * applied with it. */
static AtelierStatus
forward (Forward *f, AtelierTensor *t)
{
  const AtelierNet *net   = f->net;
  AtelierTensor     skip[ATELIER_NET_MAX_SKIP];
  AtelierStatus     st    = ATELIER_OK;
  int               depth = 0, norm = 0, i, k;

  for (i = 0; i < net->n_layers && st == ATELIER_OK; i++)
    {
      const AtelierNetLayer *l = &net->layers[i];
      AtelierTensor          next = { 0 };

      if (f->params && l->op == ATELIER_NET_CONV &&
          (st = report_progress (f->params, f->progress_from +
                                 (f->progress_to - f->progress_from) *
                                 i / net->n_layers)) != ATELIER_OK)
        break;
      int                    oh, ow, up = 0, pad = 0;
      bool                   relu;

      switch (l->op)
        {
        case ATELIER_NET_INORM:
          relu = layer_is (net, i + 1, ATELIER_NET_RELU);
          st = norm_layer (f, t, norm++, l, relu);
          i += relu;
          break;
        case ATELIER_NET_SKIP_SAVE:
          st = tensor_get (f, &skip[depth], t->c, t->h, t->w);
          if (st == ATELIER_OK)
            memcpy (skip[depth++].data, t->data,
                    (size_t) t->c * t->h * t->w * sizeof (float));
          break;
        case ATELIER_NET_SKIP_ADD:
          depth--;
          atelier_net_add_run (f->ctx, f->n_threads, t, &skip[depth]);
          tensor_release (f, &skip[depth]);
          break;
        case ATELIER_NET_RELU:
          atelier_net_relu_run (f->ctx, f->n_threads, t);
          break;
        default:
          /* [UPSAMPLE] [PAD_REFLECT] CONV as one convolution */
          k = i;
          if (layer_is (net, k, ATELIER_NET_UPSAMPLE) &&
              (layer_is (net, k + 1, ATELIER_NET_CONV) ||
               (layer_is (net, k + 1, ATELIER_NET_PAD_REFLECT) &&
                layer_is (net, k + 2, ATELIER_NET_CONV))))
            {
              up = 1;
              k++;
            }
          if (layer_is (net, k, ATELIER_NET_PAD_REFLECT) &&
              layer_is (net, k + 1, ATELIER_NET_CONV))
            pad = net->layers[k++].pad;
          l = &net->layers[k];
          atelier_net_layer_size (l, (t->h << up) + 2 * pad,
                                  (t->w << up) + 2 * pad, &oh, &ow);
          if (oh < 1 || ow < 1)
            {
              atelier_set_error (f->ctx, "a %d x %d tensor is too small "
                                 "for layer %d", t->w, t->h, k);
              st = ATELIER_ERR_INVALID_IMAGE;
              break;
            }
          st = tensor_get (f, &next, l->out_c, oh, ow);
          if (st == ATELIER_OK)
            st = l->op != ATELIER_NET_CONV ?
                 atelier_net_layer_run (f->ctx, f->n_threads, l, t, &next) :
                 atelier_net_conv (f->ctx, f->n_threads, l, up, pad, t,
                                   &next);
          if (st == ATELIER_OK)
            {
              tensor_release (f, t);
              *t = next;
            }
          else
            tensor_release (f, &next);
          i = k;
          break;
        }
    }
  for (k = 0; k < depth; k++)
    tensor_release (f, &skip[k]);
  return st;
}

/* ---- the working-size pass ---- */

struct AtelierNetSynth
{
  int          work_w, work_h;
  int          full_w, full_h;
  float       *rgb;            /* work_w x work_h x 3, 0..1        */
  float        strength;
  bool         preserve_colors;
  int          n_threads;
  AtelierToneMap tone;         /* the output's luma to the photo's      */
};

/* Planar network input from interleaved RGBA, at a multiple of the
 * stride and at least the geometry's smallest side (the extra rows and
 * columns reflect the image, as the padding layers do, then repeat its
 * edge), from the rectangle (x0, y0, w, h) of img. */
static AtelierStatus
input_tensor (Forward *f, const float *img,
              int img_w, int img_h, int x0, int y0, int w, int h,
              const NetGeometry *g, AtelierTensor *t)
{
  const AtelierNet *net = f->net;
  int               down = g->down;
  int               pw = (w + down - 1) / down * down;
  int               ph = (h + down - 1) / down * down;
  AtelierStatus     st;

  pw = pw > g->min_side ? pw : g->min_side;
  ph = ph > g->min_side ? ph : g->min_side;
  st = tensor_get (f, t, 3, ph, pw);
  int           x, y, c;

  if (st != ATELIER_OK)
    return st;
  for (y = 0; y < ph; y++)
    for (x = 0; x < pw; x++)
      {
        int sx = x0 + (x < w ? x : 2 * w - 2 - x);
        int sy = y0 + (y < h ? y : 2 * h - 2 - y);

        sx = sx < 0 ? 0 : (sx >= img_w ? img_w - 1 : sx);
        sy = sy < 0 ? 0 : (sy >= img_h ? img_h - 1 : sy);
        for (c = 0; c < 3; c++)
          t->data[((size_t) c * ph + y) * pw + x] =
            img[((size_t) sy * img_w + sx) * 4 + c] * net->in_scale;
      }
  return ATELIER_OK;
}

/* The network's output rectangle (ox, oy) of the tensor, w x h, into rgb
 * at (x0, y0). */
static void
take_output (const AtelierNet *net, const AtelierTensor *t, int ox, int oy,
             int w, int h, float *rgb, int rgb_w, int x0, int y0)
{
  int x, y, c;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      for (c = 0; c < 3; c++)
        rgb[((size_t) (y0 + y) * rgb_w + x0 + x) * 3 + c] =
          atelier_clamp01 (t->data[((size_t) c * t->h + oy + y) * t->w +
                                   ox + x] * net->out_scale);
}

/* The network on the w x h window at (x0, y0) of work (packed RGBA); the
 * kw x kh of its output that stand at (tx, ty) of work into rgb (work's
 * size, RGB). */
static AtelierStatus
run_window (Forward *f, const AtelierImage *work, const NetGeometry *g,
            int x0, int y0, int w, int h, int tx, int ty, int kw, int kh,
            float *rgb)
{
  AtelierTensor t = { 0 };
  AtelierStatus st;

  st = input_tensor (f, work->data, work->width, work->height, x0, y0, w, h,
                     g, &t);
  if (st == ATELIER_OK)
    st = forward (f, &t);
  if (st == ATELIER_OK)
    take_output (f->net, &t, tx - x0, ty - y0, kw, kh, rgb, work->width,
                 tx, ty);
  tensor_release (f, &t);
  return st;
}


/* The statistics of every norm layer, from the whole image area-averaged
 * to at most stats_pixels. */
static AtelierStatus
measure_stats (Forward *f, const AtelierImage *work, const NetGeometry *g,
               size_t stats_pixels)
{
  double        k = sqrt ((double) stats_pixels /
                          ((double) work->width * work->height));
  int           sw, sh;
  AtelierFeat   src = { work->width, work->height, 4, work->data };
  AtelierFeat  *small;
  AtelierTensor t = { 0 };
  AtelierStatus st;

  k  = k < 1.0 ? k : 1.0;
  sw = (int) (work->width * k);
  sh = (int) (work->height * k);
  sw = sw < g->down ? g->down : sw;
  sh = sh < g->down ? g->down : sh;
  /* rows of a public image view may be padded: the resize wants packed */
  if (work->stride != 4 * work->width)
    {
      atelier_set_error (f->ctx, "the working image must be packed");
      return ATELIER_ERR_INVALID_IMAGE;
    }
  small = sw == work->width && sh == work->height ?
          atelier_feat_copy (&src) : atelier_feat_resize (&src, sw, sh);
  if (! small)
    {
      atelier_set_error (f->ctx, "out of memory for the statistics pass");
      return ATELIER_ERR_NO_MEMORY;
    }
  st = input_tensor (f, small->data, sw, sh, 0, 0, sw, sh, g, &t);
  atelier_feat_free (small);
  f->measure = true;
  if (st == ATELIER_OK)
    st = forward (f, &t);
  f->measure = false;
  tensor_release (f, &t);
  return st;
}

/* The tone map (tone_map.c): the network's working-size output to the
 * working photo's luma moments, so that the full-size render, tile by
 * tile, maps every pixel alike. */
static void
fit_tone (const AtelierImage *work, AtelierNetSynth *s)
{
  double cm, csd, om, osd;

  atelier_luma_moments (work->data, work->width, work->height, work->stride,
                        4, &cm, &csd);
  atelier_luma_moments (s->rgb, s->work_w, s->work_h, (size_t) s->work_w * 3,
                        3, &om, &osd);
  s->tone = atelier_tone_map_fit (om, osd, cm, csd);
}

AtelierStatus
atelier_net_synth_new (AtelierContext      *ctx,
                       const AtelierParams *params,
                       const AtelierNet    *net,
                       int                  net_style,
                       const AtelierImage  *work,
                       int                  full_w,
                       int                  full_h,
                       AtelierNetSynth    **synth)
{
  return atelier_net_synth_new_limits (ctx, params, net, net_style, work,
                                       full_w, full_h, &default_limits,
                                       synth);
}

AtelierStatus
atelier_net_synth_new_limits (AtelierContext         *ctx,
                              const AtelierParams    *params,
                              const AtelierNet       *net,
                              int                     net_style,
                              const AtelierImage     *work,
                              int                     full_w,
                              int                     full_h,
                              const AtelierNetLimits *limits,
                              AtelierNetSynth       **synth)
{
  int              tile = limits->tile_side;
  NetGeometry      g = net_geometry (net);
  NetStats         stats;
  Forward          f = { ctx, net, net_style, params->n_threads, &stats,
                         false, { { 0 } }, { { 0 } }, NULL, 0.0f, 0.0f };
  AtelierNetSynth *s = NULL;
  AtelierStatus    st;
  int              ww = work->width, wh = work->height, tx, ty, n_tiles;
  int              done = 0;

  *synth = NULL;
  if ((st = atelier_params_validate (params, ctx)) != ATELIER_OK ||
      (st = atelier_image_check (ctx, work, "working")) != ATELIER_OK)
    return st;
  if (net_style < 0 || net_style >= net->n_styles)
    {
      atelier_set_error (ctx, "the network has %d styles; there is no "
                         "style %d", net->n_styles, net_style);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if ((st = net_stats_init (ctx, net, &stats)) != ATELIER_OK)
    return st;
  s = calloc (1, sizeof *s);
  if (s)
    s->rgb = malloc ((size_t) ww * wh * 3 * sizeof (float));
  if (! s || ! s->rgb)
    {
      atelier_set_error (ctx, "out of memory for the network's output");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  *s = (AtelierNetSynth) { ww, wh, full_w, full_h, s->rgb, params->strength,
                           params->preserve_colors, params->n_threads,
                           { 1.0f, 0.0f } };

  if ((size_t) ww * wh <= limits->untiled_pixels)
    {
      /* untiled: the network's own statistics, its exact output */
      f.measure = true;
      f.params  = params;
      st = run_window (&f, work, &g, 0, 0, ww, wh, 0, 0, ww, wh, s->rgb);
      if (st == ATELIER_OK)
        st = report_progress (params, 1.0f);
      goto out;
    }

  if ((st = measure_stats (&f, work, &g, limits->stats_pixels)) !=
      ATELIER_OK)
    goto out;
  /* tiles start on a multiple of the stride, like the halo */
  tile    = (tile < g.down ? g.down : tile) / g.down * g.down;
  n_tiles = ((ww + tile - 1) / tile) * ((wh + tile - 1) / tile);
  for (ty = 0; ty < wh && st == ATELIER_OK; ty += tile)
    for (tx = 0; tx < ww && st == ATELIER_OK; tx += tile)
      {
        /* the kept tile, and the window it is computed in: the halo on
         * each side, cut at the image's border, starting on a multiple
         * of the stride */
        int kw = ww - tx < tile ? ww - tx : tile;
        int kh = wh - ty < tile ? wh - ty : tile;
        int x0 = tx - g.halo > 0 ? tx - g.halo : 0;
        int y0 = ty - g.halo > 0 ? ty - g.halo : 0;
        int x1 = tx + kw + g.halo < ww ? tx + kw + g.halo : ww;
        int y1 = ty + kh + g.halo < wh ? ty + kh + g.halo : wh;

        f.params        = params;
        f.progress_from = (float) done / n_tiles;
        f.progress_to   = (float) (done + 1) / n_tiles;
        st = run_window (&f, work, &g, x0, y0, x1 - x0, y1 - y0, tx, ty, kw,
                         kh, s->rgb);
        done++;
        if (st == ATELIER_OK)
          st = report_progress (params, (float) done / n_tiles);
      }

out:
  if (st == ATELIER_OK && ! limits->raw)
    fit_tone (work, s);
  if (st == ATELIER_CANCELLED)
    atelier_set_error (ctx, "cancelled by the caller");
  net_stats_free (&stats);
  pool_free (&f);
  if (st != ATELIER_OK)
    atelier_net_synth_free (s);
  else
    *synth = s;
  return st;
}

void
atelier_net_synth_free (AtelierNetSynth *synth)
{
  if (! synth)
    return;
  free (synth->rgb);
  free (synth);
}

/* ---- the full-size render ---- */

AtelierStatus
atelier_net_synth_render (AtelierContext        *ctx,
                          const AtelierNetSynth *s,
                          int                    x0,
                          int                    y0,
                          const AtelierImage    *content,
                          const AtelierPlane    *mask,
                          AtelierImage          *out)
{
  AtelierFeat net_rgb = { s->work_w, s->work_h, 3, s->rgb };
  float       sx = (float) s->work_w / s->full_w;
  float       sy = (float) s->work_h / s->full_h;
  int         x, y, k;

  for (y = 0; y < content->height; y++)
    for (x = 0; x < content->width; x++)
      {
        const float *c = content->data + (size_t) y * content->stride + 4 * x;
        float       *o = out->data + (size_t) y * out->stride + 4 * x;
        float        m = mask ? mask->data[(size_t) y * mask->stride + x] : 1.0f;
        float        v[3], cc[3];

        /* pixel centres: at the same size, exactly the network's pixels */
        atelier_feat_sample (&net_rgb, (x0 + x + 0.5f) * sx - 0.5f,
                             (y0 + y + 0.5f) * sy - 0.5f, v);
        m = m > 0.0f ? (m < 1.0f ? m : 1.0f) : 0.0f;
        for (k = 0; k < 3; k++)
          cc[k] = atelier_clamp01 (c[k]);
        atelier_tone_map_apply (&s->tone, v);
        if (s->preserve_colors)
          {
            float dl = atelier_luma (v) - atelier_luma (cc);

            for (k = 0; k < 3; k++)
              v[k] = cc[k] + dl;
          }
        for (k = 0; k < 3; k++)
          o[k] = atelier_clamp01 (cc[k] + m * s->strength * (v[k] - cc[k]));
        o[3] = c[3];
      }
  (void) ctx;
  return ATELIER_OK;
}

/* ---- in memory ---- */

AtelierStatus
atelier_net_stylize (AtelierContext      *ctx,
                     const AtelierParams *params,
                     const AtelierNet    *net,
                     int                  net_style,
                     const AtelierImage  *content,
                     AtelierImage        *out)
{
  return atelier_net_stylize_limits (ctx, params, net, net_style, content,
                                     out, &default_limits);
}

AtelierStatus
atelier_net_stylize_limits (AtelierContext         *ctx,
                            const AtelierParams    *params,
                            const AtelierNet       *net,
                            int                     net_style,
                            const AtelierImage     *content,
                            AtelierImage           *out,
                            const AtelierNetLimits *limits)
{
  AtelierNetSynth *synth = NULL;
  AtelierFeat     *work = NULL;
  AtelierImage     work_img;
  AtelierStatus    st;
  int              ww, wh;

  if (! net)
    {
      atelier_set_error (ctx, "no network given");
      return ATELIER_ERR_INVALID_PARAM;
    }
  if ((st = atelier_call_check (ctx, params, content, out)) != ATELIER_OK)
    return st;
  atelier_net_working_size (params, net, content->width, content->height,
                            &ww, &wh);
  /* a packed copy (a view's rows may be padded), then the working size */
  work = atelier_feat_new (content->width, content->height, 4);
  if (work)
    {
      int y;

      for (y = 0; y < content->height; y++)
        memcpy (work->data + (size_t) y * content->width * 4,
                content->data + (size_t) y * content->stride,
                (size_t) content->width * 4 * sizeof (float));
      if (ww != content->width || wh != content->height)
        {
          AtelierFeat *resized = atelier_feat_resize (work, ww, wh);

          atelier_feat_free (work);
          work = resized;
        }
    }
  if (! work)
    {
      atelier_set_error (ctx, "out of memory for the working copy");
      return ATELIER_ERR_NO_MEMORY;
    }
  work_img = (AtelierImage) { ww, wh, 4 * ww, work->data };
  st = atelier_net_synth_new_limits (ctx, params, net, net_style, &work_img,
                                     content->width, content->height, limits,
                                     &synth);
  atelier_feat_free (work);
  if (st == ATELIER_OK)
    st = atelier_net_synth_render (ctx, synth, 0, 0, content, params->mask,
                                   out);
  atelier_net_synth_free (synth);
  return st;
}

/* ---- files ---- */

bool
atelier_is_net_file (const char *path)
{
  unsigned char head[ATELIER_NET_MAGIC_SIZE];
  int           fd = path ? open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
                          : -1;
  bool          yes;

  if (fd < 0)
    return false;
  yes = read (fd, head, sizeof head) == (ssize_t) sizeof head &&
        atelier_net_sniff (head, sizeof head);
  close (fd);
  return yes;
}

AtelierStatus
atelier_net_load (AtelierContext  *ctx,
                  const char      *path,
                  AtelierNet     **net)
{
  AtelierStatus st;
  int           fd;

  *net = NULL;
  fd = path ? open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC) : -1;
  if (fd < 0)
    {
      atelier_set_error (ctx, "cannot open %s", path ? path : "(null)");
      return ATELIER_ERR_IO;
    }
  st = atelier_net_read (ctx, fd, net);
  close (fd);
  if (st != ATELIER_OK)
    {
      char *why = strdup (atelier_context_error (ctx));

      atelier_set_error (ctx, "%s: %s", path, why ? why : "bad network");
      free (why);
    }
  return st;
}

int
atelier_net_n_styles (const AtelierNet *net)
{
  return net ? net->n_styles : 0;
}

const char *
atelier_net_style_name (const AtelierNet *net,
                        int               index)
{
  return net && index >= 0 && index < net->n_styles ?
         net->styles[index].name : NULL;
}

void
atelier_net_style_defaults (const AtelierNet *net,
                            int               index,
                            float            *strength,
                            float            *scale)
{
  int ok = net && index >= 0 && index < net->n_styles;

  *strength = ok ? net->styles[index].strength : 1.0f;
  *scale    = ok ? net->styles[index].scale : 1.0f;
}

/* The whole file at path, at most max bytes; *bytes is the caller's to
 * free(). */
static AtelierStatus
read_whole (AtelierContext  *ctx,
            const char      *path,
            uint64_t         max,
            void           **bytes,
            size_t          *size)
{
  struct stat   info;
  AtelierStatus st = ATELIER_OK;
  ssize_t       got;
  int           fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

  *bytes = NULL;
  if (fd < 0 || fstat (fd, &info) != 0 || ! S_ISREG (info.st_mode))
    {
      atelier_set_error (ctx, "cannot read %s: %s", path,
                         fd < 0 || ! S_ISREG (info.st_mode) ?
                         "not a readable regular file" : "fstat failed");
      st = ATELIER_ERR_IO;
      goto out;
    }
  if ((uint64_t) info.st_size > max)
    {
      atelier_set_error (ctx, "%s is %lld bytes, over the %llu a network "
                         "file may have", path, (long long) info.st_size,
                         (unsigned long long) max);
      st = ATELIER_ERR_FORMAT;
      goto out;
    }
  *size  = (size_t) info.st_size;
  *bytes = malloc (*size + 1);
  if (! *bytes)
    {
      atelier_set_error (ctx, "out of memory reading %s", path);
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  got = atelier_read_at (fd, *bytes, *size, 0);
  if (got != (ssize_t) *size)
    {
      atelier_set_error (ctx, "cannot read %s", path);
      st = ATELIER_ERR_IO;
    }

out:
  if (st != ATELIER_OK)
    {
      free (*bytes);
      *bytes = NULL;
    }
  if (fd >= 0)
    close (fd);
  return st;
}

AtelierStatus
atelier_net_import_ncnn_file (AtelierContext  *ctx,
                              const char      *path,
                              const char      *name,
                              AtelierNet     **net)
{
  void         *bytes = NULL;
  size_t        size  = 0;
  AtelierStatus st;

  *net = NULL;
  st = read_whole (ctx, path, ATELIER_NET_MAX_FILE, &bytes, &size);
  if (st == ATELIER_OK)
    st = atelier_net_import_ncnn (ctx, bytes, size, name, net);
  free (bytes);
  return st;
}

typedef struct
{
  const void *bytes;
  size_t      size;
} WholeFile;

static AtelierStatus
write_bytes (AtelierContext *ctx,
             int             fd,
             void           *data)
{
  const WholeFile *f = data;

  return atelier_write_all (ctx, fd, f->bytes, f->size);
}

AtelierStatus
atelier_net_save (AtelierContext   *ctx,
                  const AtelierNet *net,
                  const char       *path,
                  bool              fp16)
{
  WholeFile     file  = { NULL, 0 };
  void         *bytes = NULL;
  AtelierStatus st;

  if (! net || ! path)
    {
      atelier_set_error (ctx, "save needs a network and a path");
      return ATELIER_ERR_INVALID_PARAM;
    }
  st = atelier_net_serialize (ctx, net, fp16, &bytes, &file.size);
  file.bytes = bytes;
  if (st == ATELIER_OK)
    st = atelier_write_atomic (ctx, path, "atnet", write_bytes, &file);
  free (bytes);
  return st;
}
