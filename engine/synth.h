/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The example-based pipeline's stages and what they hand each other:
 * steering.c (what quality and strength ask for), analysis.c (what the
 * content is: backdrop, subject, detail), synthesis.c (the patch
 * synthesis at the working size) and render.c (the full-size render),
 * put together by stylize.c.  Private to those files and their unit
 * tests; the public contract is atelier.h. */
#ifndef ATELIER_SYNTH_H
#define ATELIER_SYNTH_H

#include "internal.h"
#include "tuning.h"

/* ---- steering.c: quality and strength ---- */

/* What each quality level costs and buys. */
typedef struct
{
  int work_side;     /* working long side                        */
  int n_comp;        /* PCA components of a patch descriptor     */
  int em_coarse;     /* EM iterations at coarse levels           */
  int em_fine;       /* EM iterations at the finest level        */
  int pm_passes;     /* PatchMatch passes per EM iteration       */
} AtelierQualityPreset;

/* The preset of quality (normal for a value out of range). */
const AtelierQualityPreset *atelier_quality_preset (AtelierQuality quality);

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
} AtelierSteering;

AtelierSteering atelier_steering_for (float strength);

/* ---- analysis.c: what the content is ---- */

/* The content's measures, each made once.  What is decided about the
 * image (where the backdrop is, how large the subject) is measured on the
 * content at one analysis size,
 * whatever the working size, so that every quality and a small preview
 * make the same decisions; the maps are then resized to the working size. */
typedef struct
{
  AtelierFeat *luma;      /* the content's luma, 1 channel, working size */
  AtelierFeat *blurred;   /* luma blurred: its local mean               */
  AtelierFeat *guides;    /* blurred, and the flatness of the analysis
                             (atelier_flatness_guide) times enclosure  */
  float       *subject;   /* a pixel each: 1 off the backdrop, 0 on it,
                             in between at its edge                     */
  float        enclosure; /* atelier_backdrop_enclosure, 0 when the
                             backdrop mode is off                        */
  float        extent;    /* the subject's extent as the strokes see it:
                             the frame's (1) blended to the subject's by
                             the enclosure                               */
  float        scale;     /* analysis size / working size, <= 1         */
} AtelierContentAnalysis;

/* Fills a from the working-size content (3 channels); on failure a holds
 * nothing.  Clear with atelier_content_analysis_clear. */
AtelierStatus atelier_content_analyse        (const AtelierFeat      *content,
                                              AtelierBackdrop         mode,
                                              AtelierContentAnalysis *a);
void          atelier_content_analysis_clear (AtelierContentAnalysis *a);

/* The content's guides at the working size, 2 channels: `blurred` (the
 * luma blurred with a 3-pixel sigma, also the local mean the flatness is
 * measured around), and flatness: 1 on a clean backdrop (luma flat to within
 * a few levels, in an area reaching the frame's border), 0 on any texture,
 * edge or flat field enclosed by the subject.  NULL when out of memory. */
AtelierFeat *atelier_flatness_guide (const AtelierFeat *luma,
                                     const AtelierFeat *blurred);

/* How firmly the subject stands on a backdrop, 0..1, from the backdrop
 * (guides' channel at least 0.5) along the frame's border: the lesser of
 * its share of the bottom edge under the subject (the subject's columns)
 * and of the better of the two sides.  A product shot has the backdrop under and beside it (about 1);
 * a sky, a wall or a studio gradient behind a person is above and beside
 * the subject, which reaches the bottom edge (0).  -1: out of memory. */
float atelier_backdrop_enclosure (const AtelierFeat *guides, int channel);

/* The luma's noise sigma: the median absolute value of the finest
 * diagonal (HH) wavelet band over 0.6745 (Donoho's estimator); -1 when
 * out of memory. */
float atelier_noise_sigma (const AtelierFeat *luma);

/* How much of the frame the subject spans, as the square root of the area
 * of its box (1 = the whole frame).  The box holds the middle 98 % of the
 * pixels whose flatness (guides' channel; 1 = clean backdrop) is under 0.5;
 * a frame with no such pixel counts as all subject.  -1: out of memory. */
float atelier_subject_extent (const AtelierFeat *guides, int channel);

/* How much of the content's fine detail the render puts back, *gain in
 * 0..1: as much as the style itself has (s_luma, the style's luma at the
 * working scale, against a->luma). */
AtelierStatus atelier_detail_gain (const AtelierContentAnalysis *a,
                                   const AtelierFeat            *s_luma,
                                   float                        *gain);

/* How much of a product shot the frame is, 0..1, from the subject's
 * extent. */
float atelier_product_share (float extent);

/* The tone shift that gives a product its tonal layout back under the
 * strokes: hold x (guide's local mean - paint's local mean luma), 1
 * channel.  NULL when out of memory. */
AtelierFeat *atelier_tone_shift (const AtelierFeat *guide,
                                 const AtelierFeat *paint,
                                 float              hold);

/* ---- spectrum.c: the output's band energies matched to the style's ---- */

/* Octave bands of a luma plane: band k lies between Gaussian blurs of
 * sigma 2^(k-1) and 2^k units of `unit` pixels (the plane itself for
 * k = 0), a unit being the output's long side / SPECTRUM_SIDE; what is
 * coarser than the last band is the composition, the content's, and left
 * alone. */
#define ATELIER_SPECTRUM_BANDS 5

/* Each band's variance over the luma's whole variance (0 for a flat
 * plane). */
AtelierStatus atelier_band_shares (const AtelierFeat *luma, float unit,
                                   float shares[ATELIER_SPECTRUM_BANDS]);

/* The gain of each band that gives the output the style's shares:
 * sqrt (style / output), within a factor SPECTRUM_MAX_GAIN of 1. */
void atelier_band_gains (const float out_shares[ATELIER_SPECTRUM_BANDS],
                         const float style_shares[ATELIER_SPECTRUM_BANDS],
                         float       gains[ATELIER_SPECTRUM_BANDS]);

/* What to add to luma for its bands to take style_shares: the sum of
 * (gain - 1) x band, with atelier_band_gains of luma's own shares, 1
 * channel (the bands blurred once for both).  NULL when out of memory. */
AtelierFeat *atelier_spectrum_match (const AtelierFeat *luma, float unit,
                                     const float style_shares[ATELIER_SPECTRUM_BANDS]);

/* ---- synthesis.c: the patch synthesis at the working size ---- */

/* work_render's channels: the content's guides (luma blurred, flatness;
 * atelier_flatness_guide), the paint's RGB blurred, for backdrops, and
 * the luma shift added to every pixel: the tone shift that holds a
 * product's tonal layout plus the spectrum's correction (spectrum.c) */
#define ATELIER_RENDER_CHANNELS 6

/* What a synthesis leaves the render; atelier_synth_new makes it. */
struct AtelierSynth
{
  int                 full_w, full_h;
  AtelierNnf         *nnf;         /* working-resolution field, finest
                                      level                               */
  float              *weights;     /* its voting weights                  */
  AtelierFeat        *style_hi;    /* style sampled by the render (RGB)   */
  float               style_sx, style_sy;
  AtelierFeat        *work_render; /* what the render samples per working
                                      pixel: ATELIER_RENDER_CHANNELS      */
  AtelierColorStats   content_stats, style_stats;
  float               color_matrix[9];
  AtelierToneMap      tone;        /* the output's luma to the photo's    */
  AtelierSteering     steer;
  bool                preserve_colors;
  int                 n_threads;
};

/* Synthesises content (3 channels, the working size) after style_orig,
 * resized here to the working scale (*style_work, the caller's, for the
 * render's style).  Reads synth->steer; fills the colour statistics and
 * map, work_render, nnf and weights of synth and scales its steer.detail.
 * Reports progress from 0 and returns ATELIER_CANCELLED when the caller's
 * progress says stop. */
AtelierStatus atelier_synthesize (AtelierContext      *ctx,
                                  const AtelierParams *params,
                                  const AtelierFeat   *content,
                                  const AtelierFeat   *style_orig,
                                  AtelierSynth        *synth,
                                  AtelierFeat        **style_work);

/* ---- render.c: the full-size render ---- */

/* The style the render samples for a render factor times the working
 * size: as sharp as the original allows, never larger than needed.  NULL
 * when out of memory. */
AtelierFeat *atelier_render_style (const AtelierFeat *orig,
                                   const AtelierFeat *work_style,
                                   float              factor);

/* One output pixel from its content (RGBA), mask, voted style colour and
 * work_render sample: what the render does to every pixel, also used to
 * foresee the output at the working size. */
void atelier_render_pixel (const AtelierSynth *synth, const float *content,
                           float mask, const float *voted, const float *work,
                           float *out);

/* atelier_synth_render in scratch, the caller's: at least 3 floats a
 * pixel of the tile, written over.  A caller that renders many tiles
 * allocates it once, before the first, so that no tile can fail for
 * memory once the output is being written. */
AtelierStatus atelier_synth_render_tile (AtelierContext      *ctx,
                                         const AtelierSynth  *synth,
                                         int                  x,
                                         int                  y,
                                         const AtelierImage  *content_tile,
                                         const AtelierPlane  *mask_tile,
                                         AtelierImage        *out_tile,
                                         float               *scratch);

#endif /* ATELIER_SYNTH_H */
