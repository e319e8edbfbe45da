/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Image pyramid: each level is the previous one area-averaged to half size,
 * so coarse levels see the average colour of what they cover. */
#include "internal.h"

#include <stdlib.h>

AtelierPyramid *
atelier_pyramid_new (const AtelierFeat *base,
                     int                min_side,
                     int                max_levels)
{
  AtelierPyramid *p = calloc (1, sizeof *p);
  int             w = base->width, h = base->height;
  int             n = 1, i;

  if (! p)
    return NULL;
  while (n < max_levels && (w > h ? w : h) / 2 >= min_side &&
         (w < h ? w : h) / 2 >= ATELIER_PATCH)
    {
      w = (w + 1) / 2;
      h = (h + 1) / 2;
      n++;
    }
  p->levels = calloc (n, sizeof *p->levels);
  if (! p->levels)
    goto fail;
  p->n_levels = n;
  p->levels[0] = atelier_feat_copy (base);
  if (! p->levels[0])
    goto fail;
  for (i = 1; i < n; i++)
    {
      const AtelierFeat *prev = p->levels[i - 1];

      p->levels[i] = atelier_feat_resize (prev, (prev->width + 1) / 2,
                                          (prev->height + 1) / 2);
      if (! p->levels[i])
        goto fail;
    }
  return p;

fail:
  atelier_pyramid_free (p);
  return NULL;
}

void
atelier_pyramid_free (AtelierPyramid *p)
{
  int i;

  if (! p)
    return;
  for (i = 0; i < p->n_levels && p->levels; i++)
    atelier_feat_free (p->levels[i]);
  free (p->levels);
  free (p);
}
