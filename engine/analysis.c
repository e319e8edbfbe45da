/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Content analysis: what the content is, measured once at one analysis
 * size (ANALYSIS_SIDE, whatever the quality's working size) before any
 * patch is matched: its fine detail against the style's
 * (how much the render puts back), a clean backdrop and the subject it
 * surrounds (where strokes go, how large they are, what counts in the
 * colour statistics), and the tone shift that keeps a product's tonal
 * layout.  Kept apart from the synthesis so that each decision about the
 * image can be read, and tested, on its own. */
#include "synth.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* f at scale (<= 1) of its size, at least 2 x 2; a copy at 1. */
static AtelierFeat *
analysis_copy (const AtelierFeat *f, float scale)
{
  int w = (int) lroundf (f->width * scale), h = (int) lroundf (f->height * scale);

  if (scale >= 1.0f)
    return atelier_feat_copy (f);
  return atelier_feat_resize (f, w < 2 ? 2 : w, h < 2 ? 2 : h);
}

/* As much detail as the style itself has, so a smooth style (The Scream)
 * does not get a photo's grain and a busy one (pointillism) keeps every
 * edge of the label.  Measured at the working size, unlike the analysis's
 * decisions: the detail is what a quality adds, and the fine band of a
 * carpet's weave at 512 px is averaged away at 384 (measured there, its
 * gain rose and udnie on a dress lost its strokes: texture 0.62 -> 1.66).
 * A smooth style once took less still, under a fine contrast of 0.07 that
 * only The Scream fell below; spectrum matching (spectrum.c) now scales
 * the fine energy of every output to its style's, and without the ramp
 * the tuning half's Scream pairs gained SSIM (median gain over G'MIC
 * +0.16 -> +0.22) for a texture ratio of 0.70 -> 0.80. */
AtelierStatus
atelier_detail_gain (const AtelierContentAnalysis *a,
                     const AtelierFeat            *s_luma,
                     float                        *gain)
{
  AtelierFeat *s_blurred = atelier_feat_copy (s_luma);
  double       cs, ss;
  float        g;

  if (! s_blurred || atelier_feat_blur (s_blurred, DETAIL_BLUR) != ATELIER_OK)
    {
      atelier_feat_free (s_blurred);
      return ATELIER_ERR_NO_MEMORY;
    }
  ss = fine_contrast (s_luma, s_blurred);
  cs = fine_contrast (a->luma, a->blurred);
  atelier_feat_free (s_blurred);
  g = (float) (ss / (cs + 1e-6));
  g = g < 0.25f ? 0.25f : (g > 1.0f ? 1.0f : g);
  *gain = g;
  return ATELIER_OK;
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

static void subject_span (const double *mass, int n, int *lo, int *hi);

static int
cmp_float (const void *a, const void *b)
{
  float x = *(const float *) a, y = *(const float *) b;

  return (x > y) - (x < y);
}

/* Noise is what is left in the finest diagonal band: texture and edges
 * reach it in a few pixels only, so its median is the noise's.  -1 when
 * out of memory. */
float
atelier_noise_sigma (const AtelierFeat *luma)
{
  int    w = luma->width, h = luma->height, x, y;
  size_t k = 0;
  float *d, m;

  if (w < 2 || h < 2)
    return 0.0f;
  if (! (d = malloc ((size_t) (w / 2) * (h / 2) * sizeof *d)))
    return -1.0f;
  for (y = 0; y + 1 < h; y += 2)
    for (x = 0; x + 1 < w; x += 2)
      {
        const float *p = luma->data + (size_t) y * w + x;

        d[k++] = 0.5f * fabsf (p[0] - p[1] - p[w] + p[w + 1]);
      }
  qsort (d, k, sizeof *d, cmp_float);
  m = d[k / 2] / 0.6745f;
  free (d);
  return m;
}

float
atelier_backdrop_enclosure (const AtelierFeat *guides, int channel)
{
  int     w = guides->width, h = guides->height, x, y, lo, hi;
  double  under = 0.0, left = 0.0, right = 0.0, side;
  double *cols  = calloc ((size_t) w, sizeof *cols);

  if (! cols)
    return -1.0f;
  /* the subject's columns: the middle 98 % of its mass across the frame */
  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      cols[x] += atelier_feat_at (guides, x, y)[channel] < BACKDROP_FLAT;
  subject_span (cols, w, &lo, &hi);
  free (cols);
  if (lo < 0)
    return 0.0f;               /* no subject: nothing stands anywhere */
  /* yes/no counts, as for the extent: a backdrop's flatness falls short
   * of 1 near the subject's edge, which a narrow margin is all of */
  for (x = lo; x <= hi; x++)
    under += atelier_feat_at (guides, x, h - 1)[channel] >= BACKDROP_FLAT;
  for (y = 0; y < h; y++)
    {
      left  += atelier_feat_at (guides, 0, y)[channel] >= BACKDROP_FLAT;
      right += atelier_feat_at (guides, w - 1, y)[channel] >= BACKDROP_FLAT;
    }
  under /= hi - lo + 1;
  /* the better side: a bag cut by one edge of the frame still stands */
  side = (left > right ? left : right) / h;
  return (float) (under < side ? under : side);
}

AtelierFeat *
atelier_flatness_guide (const AtelierFeat *luma, const AtelierFeat *blurred)
{
  AtelierFeat *sq     = atelier_feat_copy (luma);
  AtelierFeat *g      = atelier_feat_new (luma->width, luma->height, 2);
  AtelierFeat *w      = atelier_feat_new (luma->width, luma->height, 1);
  AtelierFeat *result = NULL;
  size_t       i, n   = (size_t) luma->width * luma->height;
  float        noise, noise_var, tau;

  if (! sq || ! g || ! w)
    goto out;
  noise = atelier_noise_sigma (luma);
  if (noise < 0.0f)
    goto out;
  noise_var = noise * noise;
  tau       = FLAT_STD + FLAT_NOISE * noise;
  for (i = 0; i < n; i++)
    sq->data[i] = luma->data[i] * luma->data[i];
  /* local variance around the blurred luma, the local mean */
  if (atelier_feat_blur (sq, DETAIL_BLUR) != ATELIER_OK)
    goto out;
  for (i = 0; i < n; i++)
    {
      int          x  = (int) (i % luma->width), y = (int) (i / luma->width);
      const float *b  = blurred->data + i;
      /* central differences, one-sided at the border */
      int          l  = x > 0, r = x < luma->width - 1;
      int          u  = y > 0, d = y < luma->height - 1;
      float        gx = l + r ? (b[r] - b[-l]) / (l + r) : 0.0f;
      float        gy = u + d ? (b[d * luma->width] - b[-u * luma->width]) /
                                (u + d) : 0.0f;
      /* the variance neither the noise nor a smooth gradient (a studio
       * sweep, a soft shadow: a ramp of slope g has g^2 sigma^2 of it in
       * a Gaussian window) explains: grain and shading are no texture */
      float var = sq->data[i] - blurred->data[i] * blurred->data[i] -
                  noise_var -
                  DETAIL_BLUR * DETAIL_BLUR * (gx * gx + gy * gy);
      float sd  = var > 0.0f ? sqrtf (var) : 0.0f;
      float f   = 1.0f - sd / tau;
      w->data[i] = f < 0.0f ? 0.0f : f;
    }
  if (! keep_backdrop (w) || atelier_feat_blur (w, 2.0f) != ATELIER_OK)
    goto out;
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

/* The 1st and 99th percentile of mass over n: *lo = -1 when it is all 0. */
static void
subject_span (const double *mass, int n, int *lo, int *hi)
{
  double total = 0.0, acc = 0.0;
  int    i;

  *lo = -1;
  *hi = n - 1;
  for (i = 0; i < n; i++)
    total += mass[i];
  if (! (total > 0.0))
    return;
  for (i = 0; i < n; i++)
    {
      acc += mass[i];
      if (*lo < 0 && acc >= 0.01 * total)
        *lo = i;
      if (acc >= 0.99 * total)
        {
          *hi = i;
          break;
        }
    }
}

/* The share of a side between the 1st and 99th percentile of the subject's
 * mass, over the 0.98 that an evenly filled side measures, so a full frame
 * counts as 1 and a few specks on a backdrop do not widen the subject. */
static float
subject_side (const double *mass, int n)
{
  int   lo, hi;
  float s;

  subject_span (mass, n, &lo, &hi);
  if (lo < 0)
    return 1.0f;
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

/* 0 for a subject that fills the frame, 1 once the subject spans
 * PRODUCT_EXTENT of it or less. */
float
atelier_product_share (float extent)
{
  float p = (1.0f - extent) / (1.0f - PRODUCT_EXTENT);

  return p < 0.0f ? 0.0f : (p > 1.0f ? 1.0f : p);
}

/* Added to the strokes, the shift gives a product its own tonal layout
 * back (a black label stays dark, a silver cap light) while the strokes
 * keep their detail.  A full-frame scene gets none (hold 0 through
 * atelier_product_share): the painting's own figures would flatten into
 * the photo's shadows. */
AtelierFeat *
atelier_tone_shift (const AtelierFeat *guide, const AtelierFeat *paint,
                    float hold)
{
  AtelierFeat *shift = atelier_feat_luma (paint);
  AtelierFeat *g     = atelier_feat_copy (guide);
  size_t       i, n  = (size_t) guide->width * guide->height;

  if (! shift || ! g || atelier_feat_blur (shift, TONE_BLUR) != ATELIER_OK ||
      atelier_feat_blur (g, TONE_BLUR) != ATELIER_OK)
    {
      atelier_feat_free (shift);
      atelier_feat_free (g);
      return NULL;
    }
  for (i = 0; i < n; i++)
    shift->data[i] = hold * (g->data[i] - shift->data[i]);
  atelier_feat_free (g);
  return shift;
}

void
atelier_content_analysis_clear (AtelierContentAnalysis *a)
{
  atelier_feat_free (a->luma);
  atelier_feat_free (a->blurred);
  atelier_feat_free (a->guides);
  free (a->subject);
  memset (a, 0, sizeof *a);
}

/* The analysis-size measures: flatness guides, extent and enclosure of
 * the content at a->scale of the working size. */
static AtelierStatus
analyse_small (const AtelierFeat *content, AtelierContentAnalysis *a,
               AtelierFeat **guides)
{
  AtelierFeat  *small = analysis_copy (content, a->scale);
  AtelierFeat  *luma  = small ? atelier_feat_luma (small) : NULL;
  AtelierFeat  *bl    = luma ? atelier_feat_copy (luma) : NULL;
  AtelierStatus st    = ATELIER_ERR_NO_MEMORY;

  *guides = NULL;
  if (! bl || atelier_feat_blur (bl, DETAIL_BLUR) != ATELIER_OK)
    goto out;
  *guides = atelier_flatness_guide (luma, bl);
  if (! *guides)
    goto out;
  a->extent    = atelier_subject_extent (*guides, 1);
  a->enclosure = atelier_backdrop_enclosure (*guides, 1);
  if (a->extent >= 0.0f && a->enclosure >= 0.0f)
    st = ATELIER_OK;
out:
  if (st != ATELIER_OK)
    {
      atelier_feat_free (*guides);
      *guides = NULL;
    }
  atelier_feat_free (small);
  atelier_feat_free (luma);
  atelier_feat_free (bl);
  return st;
}

AtelierStatus
atelier_content_analyse (const AtelierFeat      *content,
                         AtelierBackdrop         mode,
                         AtelierContentAnalysis *a)
{
  size_t       j, n_px = (size_t) content->width * content->height;
  int          large   = content->width > content->height ? content->width
                                                          : content->height;
  AtelierFeat *small_guides = NULL;

  memset (a, 0, sizeof *a);
  a->scale = large > ANALYSIS_SIDE ? (float) ANALYSIS_SIDE / large : 1.0f;
  a->luma  = atelier_feat_luma (content);
  if (! a->luma)
    goto oom;
  a->blurred = atelier_feat_copy (a->luma);
  if (! a->blurred || atelier_feat_blur (a->blurred, DETAIL_BLUR) != ATELIER_OK)
    goto oom;
  if (analyse_small (content, a, &small_guides) != ATELIER_OK)
    goto oom;
  if (mode == ATELIER_BACKDROP_OFF)
    a->enclosure = 0.0f;
  /* a product on a clean backdrop takes strokes sized to the product,
   * not to the frame around it; a frame with no backdrop under its
   * subject, to the frame */
  a->extent = 1.0f - a->enclosure * (1.0f - a->extent);
  a->guides = atelier_feat_resize (small_guides, content->width,
                                   content->height);
  atelier_feat_free (small_guides);
  /* A clean backdrop does not count in the colour and tone statistics:
   * half a frame of white would claim the style's lightest half and leave
   * the product only its darker colours and tones. */
  a->subject = malloc (n_px * sizeof *a->subject);
  if (! a->guides || ! a->subject)
    goto oom;
  for (j = 0; j < n_px; j++)
    {
      float flat = a->guides->data[2 * j + 1] * a->enclosure;

      a->guides->data[2 * j]     = a->blurred->data[j];
      a->guides->data[2 * j + 1] = flat;
      a->subject[j]              = 1.0f - flat;
    }
  return ATELIER_OK;

oom:
  atelier_content_analysis_clear (a);
  return ATELIER_ERR_NO_MEMORY;
}
