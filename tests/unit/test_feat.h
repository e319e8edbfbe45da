/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the stage tests that work on the engine's internal feature
 * images (internal.h).  Header-only, like test_util.h. */
#ifndef ATELIER_TEST_FEAT_H
#define ATELIER_TEST_FEAT_H

#include "internal.h"
#include "test_util.h"

/* A width x height feature image of deterministic noise, channel c drawn
 * with seed + c. */
static inline AtelierFeat *
test_noise_feat (int      width,
                 int      height,
                 int      channels,
                 uint32_t seed)
{
  AtelierFeat *f = atelier_feat_new (width, height, channels);
  int          x, y, c;

  g_assert_nonnull (f);
  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      for (c = 0; c < channels; c++)
        atelier_feat_at (f, x, y)[c] = test_noise (seed + c, x, y);
  return f;
}

/* Sets every match of nnf to a deterministic random valid centre of a
 * ws x hs style (distances untouched). */
static inline void
test_random_matches (AtelierNnf *nnf,
                     int         ws,
                     int         hs,
                     uint32_t    seed)
{
  const int r = ATELIER_PATCH_RADIUS;
  int       i;

  for (i = 0; i < nnf->width * nnf->height; i++)
    {
      nnf->xy[2 * i]     = r + (int) (test_hash (seed, 2 * i) % (ws - 2 * r));
      nnf->xy[2 * i + 1] = r + (int) (test_hash (seed, 2 * i + 1) %
                                      (hs - 2 * r));
    }
}

#endif /* ATELIER_TEST_FEAT_H */
