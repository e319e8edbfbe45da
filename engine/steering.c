/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Steering: what the user's quality and strength ask of the synthesis
 * (working size, descriptor length, iterations; guide weight, fusion,
 * penalties, blend).  Apart from the stages that obey them, so that every
 * number a quality or a strength sets is read in one place. */
#include "synth.h"

#include <math.h>

/* normal works at 768: at 1024 it took 1.6x the time for no better
 * style-score figures (the render puts the full-size detail back) */
static const AtelierQualityPreset quality_presets[] = {
  [ATELIER_QUALITY_PREVIEW] = {  384, 12, 2, 1, 1 },
  [ATELIER_QUALITY_NORMAL]  = { 768, 16, 3, 2, 1 },
  [ATELIER_QUALITY_BEST]    = { 2048, 24, 4, 3, 2 },
};

const AtelierQualityPreset *
atelier_quality_preset (AtelierQuality quality)
{
  int q = (int) quality;

  if (q < ATELIER_QUALITY_PREVIEW || q > ATELIER_QUALITY_BEST)
    q = ATELIER_QUALITY_NORMAL;
  return &quality_presets[q];
}

AtelierSteering
atelier_steering_for (float s)
{
  AtelierSteering st;
  float           k = 1.0f - s;

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

void
atelier_working_size (const AtelierParams *params,
                      int                  width,
                      int                  height,
                      int                 *work_width,
                      int                 *work_height)
{
  float side  = (float) atelier_quality_preset (params->quality)->work_side;
  int   large = width > height ? width : height;
  float f;

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
