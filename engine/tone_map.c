/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tone mapping: the output's luminance is mapped, by one gain and one
 * offset over the whole image, to the photo's mean and standard deviation
 * (Hertzmann et al. 2001, Image Analogies, 3.4: "luminance remapping";
 * Gatys et al. 2016 do the same to keep a photo's colours).  A painting
 * brings its strokes, its colours and its balance of fine and coarse
 * (spectrum.c), but its overall contrast is the painting's exposure, not
 * a stroke: after the Starry Night's deep blues and bright yellows a grey
 * photo's output has 1.7x its luminance spread, and the photo's shapes
 * drown in it.  A global affine map of luminance changes no stroke's
 * shape nor the balance between strokes (a texture measure on
 * standardised luminance reads the same figures before and after), only
 * the light the strokes are painted in; chroma is kept as it is.
 *
 * Both methods use it: the example-based engine fits the map on the
 * output it foresees at the working size (synthesis.c), a network on its
 * working-size output (net_render.c); the full-size render applies it per
 * pixel.  Means and deviations are of the whole frame, so every working
 * size and tile fits the same map. */
#include "internal.h"

#include <math.h>

void
atelier_luma_moments (const float *px, int width, int height,
                      size_t row_stride, int channels,
                      double *mean, double *sd)
{
  double sum = 0.0, sum2 = 0.0, n = (double) width * height, m;
  int    x, y;

  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        const float *p = px + (size_t) y * row_stride + (size_t) x * channels;
        double       l = channels >= 3 ? atelier_luma (p) : *p;

        sum  += l;
        sum2 += l * l;
      }
  m     = n > 0.0 ? sum / n : 0.0;
  *mean = m;
  *sd   = n > 0.0 ? sqrt (fmax (sum2 / n - m * m, 0.0)) : 0.0;
}

AtelierToneMap
atelier_tone_map_fit (double out_mean, double out_sd,
                      double photo_mean, double photo_sd)
{
  AtelierToneMap t = { 1.0f, 0.0f };

  /* an output without contrast has none to scale; its mean still moves */
  if (out_sd > 1e-6)
    t.gain = (float) (photo_sd / out_sd);
  t.offset = (float) (photo_mean - t.gain * out_mean);
  return t;
}
