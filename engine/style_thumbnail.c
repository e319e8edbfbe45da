/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A network style's thumbnail: the style rendered on a neutral test card.
 *
 * The card is drawn here, so every front end (the dialogs, a style
 * browser) shows the same picture for the same style, and a user's own
 * network gets a thumbnail made the same way as the shipped ones.  It
 * holds what a designer's photos hold and what shows a style's character:
 * a soft sky gradient (how it paints flat areas), a sun disc and a hill
 * line (curved edges), a box standing on a floor with a light label (a
 * product: hard edges, a small bright region).  Its colours are muted so
 * the style's own palette shows.
 */
#include "internal.h"
#include "net.h"

#include <math.h>
#include <stdlib.h>

/* The card is rendered CARD_OVERSAMPLE times larger than the thumbnail and
 * box-filtered down: the network then paints strokes of the size it gives
 * an ordinary photo, not of a 64-pixel image, and the thumbnail is not
 * aliased. */
#define CARD_OVERSAMPLE 4

static float
smoothstep01 (float x)
{
  x = x < 0.0f ? 0.0f : x > 1.0f ? 1.0f : x;
  return x * x * (3.0f - 2.0f * x);
}

static void
mix3 (float *rgb, const float *to, float t)
{
  int c;

  for (c = 0; c < 3; c++)
    rgb[c] += t * (to[c] - rgb[c]);
}

/* The card's pixel at (u, v) in 0..1 (v down); aa is one pixel in those
 * units, the width of each edge's blend. */
static void
card_pixel (float u, float v, float aa, float *rgb)
{
  static const float sky_top[3] = { 0.55f, 0.63f, 0.72f };
  static const float sky_low[3] = { 0.86f, 0.84f, 0.78f };
  static const float sun[3]     = { 0.95f, 0.88f, 0.66f };
  static const float hill[3]    = { 0.42f, 0.50f, 0.40f };
  static const float floor_c[3] = { 0.60f, 0.56f, 0.50f };
  static const float box[3]     = { 0.30f, 0.33f, 0.42f };
  static const float label[3]   = { 0.93f, 0.92f, 0.88f };
  float              d, horizon;
  int                c;

  for (c = 0; c < 3; c++)
    rgb[c] = sky_top[c] + v * 1.4f * (sky_low[c] - sky_top[c]);
  d = hypotf (u - 0.72f, v - 0.24f) - 0.11f;
  mix3 (rgb, sun, smoothstep01 (0.5f - d / aa));
  horizon = 0.52f + 0.06f * sinf (u * 5.0f + 0.8f);
  mix3 (rgb, hill, smoothstep01 (0.5f + (v - horizon) / aa));
  mix3 (rgb, floor_c, smoothstep01 (0.5f + (v - 0.74f) / aa));
  d = fmaxf (fabsf (u - 0.34f) - 0.15f, fabsf (v - 0.62f) - 0.22f);
  mix3 (rgb, box, smoothstep01 (0.5f - d / aa));
  d = fmaxf (fabsf (u - 0.34f) - 0.11f, fabsf (v - 0.62f) - 0.06f);
  mix3 (rgb, label, smoothstep01 (0.5f - d / aa));
}

AtelierStatus
atelier_net_thumbnail (AtelierContext   *ctx,
                       const AtelierNet *net,
                       int               net_style,
                       int               side,
                       AtelierImage     *out)
{
  AtelierParams params;
  AtelierImage  card, styled;
  AtelierStatus st;
  int           big, x, y, i, j, c;

  if (side < 8 || side > 1024 || ! out || ! out->data ||
      out->width != side || out->height != side || out->stride < 4 * side)
    {
      atelier_set_error (ctx, "a thumbnail is 8 to 1024 pixels square, in "
                         "an image of that size");
      return ATELIER_ERR_INVALID_PARAM;
    }
  big  = side * CARD_OVERSAMPLE;
  card = (AtelierImage) { big, big, 4 * big, NULL };
  styled = card;
  card.data   = malloc ((size_t) big * big * 4 * sizeof (float));
  styled.data = malloc ((size_t) big * big * 4 * sizeof (float));
  if (! card.data || ! styled.data)
    {
      free (card.data);
      free (styled.data);
      atelier_set_error (ctx, "out of memory for a %dx%d thumbnail", side,
                         side);
      return ATELIER_ERR_NO_MEMORY;
    }
  for (y = 0; y < big; y++)
    for (x = 0; x < big; x++)
      {
        float *p = card.data + (size_t) y * card.stride + 4 * x;

        card_pixel ((x + 0.5f) / big, (y + 0.5f) / big, 1.0f / big, p);
        p[3] = 1.0f;
      }

  /* The style at its full strength and its own scale: what it is, not
   * what a user's last settings made of it. */
  atelier_params_init (&params);
  atelier_net_style_defaults (net, net_style, &params.strength,
                              &params.style_scale);
  params.strength = 1.0f;
  params.n_threads = 1;
  st = atelier_net_stylize (ctx, &params, net, net_style, &card, &styled);
  if (st == ATELIER_OK)
    for (y = 0; y < side; y++)
      for (x = 0; x < side; x++)
        for (c = 0; c < 4; c++)
          {
            float sum = 0.0f;

            for (j = 0; j < CARD_OVERSAMPLE; j++)
              for (i = 0; i < CARD_OVERSAMPLE; i++)
                sum += styled.data[(size_t) (y * CARD_OVERSAMPLE + j) *
                                   styled.stride +
                                   4 * (x * CARD_OVERSAMPLE + i) + c];
            out->data[(size_t) y * out->stride + 4 * x + c] =
              sum / (CARD_OVERSAMPLE * CARD_OVERSAMPLE);
          }
  free (card.data);
  free (styled.data);
  return st;
}
