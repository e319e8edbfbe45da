/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The example-based engine's tuned numbers, in one place (after
 * Resynthesizer's constants header): each with what it trades and how it
 * was set.  Numbers that only size work (tiles, bands, blocks) stay beside
 * their code; what a user may want to change is a parameter in atelier.h
 * (strength, style_scale, quality, backdrop), and the strength's steering
 * is one function, atelier_steering_for (steering.c).
 *
 * "Grid" is bench/grid.py: all 18 shared photos x 6 paintings at 512,
 * against G'MIC's stylize; its tuning half is the six photos of bench.py's
 * pairs and three more, its check half nine photos nothing was tuned on.
 * "Bench" is bench/bench.py's six pairs, which every number set before the
 * grid existed was tuned on (the tuning half includes them).
 *
 *  name            value   trades                               set by
 *  --------------  ------  -----------------------------------  ---------
 *  ANALYSIS_SIDE   384     resolution of the content decisions   the
 *                          (backdrop, subject's extent)          preview's
 *                          against their cost; fixed, so every   working
 *                          quality and preview decide alike      side
 *  FLAT_STD        0.015   local luma std (of 0..1) a clean      bench,
 *                          backdrop may have beyond its noise:   one JPEG
 *                          a soft studio gradient stays clean,   level ~
 *                          a fabric's weave does not             0.004
 *  FLAT_NOISE      2       noise sigmas of slack on FLAT_STD:    a normal
 *                          grain's local std stays in ~2 sigma   tail, not
 *                          of its mean                           tuned
 *  BACKDROP_FLAT   0.5     flatness from which a pixel counts    the
 *                          as backdrop in yes/no measures (the   midpoint
 *                          fill from the border, the extent)     of 0..1
 *  DETAIL_BLUR     3       working pixels: what is finer is      bench
 *                          "detail" the render puts back, what
 *                          is coarser the strokes' business
 *  TONE_BLUR       3       working pixels: a product's tonal     bench
 *                          layout, coarser than its strokes
 *  PRODUCT_EXTENT  0.8     subject extent from which a shot on   bench
 *                          a backdrop is a product shot fully    (vitamin
 *                          (tone hold), fading in from 1         bottle)
 *  GUIDE_BLUR      2       level pixels: the second guide's      inherited
 *                          blur, a coarser tonal match           (StyLit)
 *  COARSE_SIDE     48      the coarsest level's long side: the   bench
 *                          composition is decided there, where
 *                          exact matching is affordable
 *  MIN_STYLE       32      the style's working long side at      patch
 *                          least: a few 7x7 patches to choose    count
 *  BACKDROP_BLUR   4       working pixels: the paint's local     bench
 *                          colour a clean backdrop takes
 *  SPECTRUM_SIDE   512     the long side, in units of which the  the
 *                          spectrum's bands are an octave each   scorer's
 *                          (1, 2, 4, 8, 16 units: strokes up to  side
 *                          1/32 of the frame); a unit, not a
 *                          resolution: any size gets its bands
 *  SPECTRUM_MAX_GAIN 2     how far a band's energy may be        not
 *                          scaled, either way: the matching      tuned
 *                          mends the synthesis's balance, it
 *                          must not invent strokes it lacks
 */
#ifndef ATELIER_TUNING_H
#define ATELIER_TUNING_H

#define ANALYSIS_SIDE  384
#define FLAT_STD       0.015f
#define FLAT_NOISE     2.0f
#define BACKDROP_FLAT  0.5f
#define DETAIL_BLUR    3.0f
#define TONE_BLUR      3.0f
#define PRODUCT_EXTENT 0.8f
#define GUIDE_BLUR     2.0f
#define COARSE_SIDE    48
#define MIN_STYLE      32
#define BACKDROP_BLUR  4.0f
#define SPECTRUM_SIDE  512
#define SPECTRUM_MAX_GAIN 2.0f

#endif /* ATELIER_TUNING_H */
