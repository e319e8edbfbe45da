/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Runs a style network on a raw image, for the reference test: the
 * engine's output beside PyTorch's, without the 8- or 16-bit rounding
 * of an image file between them.
 *
 *   net_run NET.atnet WIDTH HEIGHT IN.f32 OUT.f32 [STATS_PIXELS TILE]
 *
 * IN and OUT are RGB float32, interleaved, rows packed, 0..1; the network
 * runs at strength 1, style scale 1 and best quality, so an image up to
 * 2048 pixels is its exact output, before the tone map that the
 * product applies after it (tone_map.c).  STATS_PIXELS and TILE force the tiled
 * path (the statistics taken at that many pixels, tiles of TILE pixels).
 */
#include <stdio.h>
#include <stdlib.h>

#include "atelier.h"
#include "net.h"

int
main (int    argc,
      char **argv)
{
  AtelierContext *ctx = atelier_context_new (0);
  AtelierNet     *net = NULL;
  AtelierParams   params;
  AtelierImage    in, out;
  AtelierStatus   st;
  FILE           *f;
  int             w, h, i, code = 1;
  float          *rgb = NULL, *rgba_in = NULL, *rgba_out = NULL;

  if (argc != 6 && argc != 8)
    {
      fprintf (stderr, "usage: net_run NET W H IN.f32 OUT.f32 "
               "[STATS_PIXELS TILE]\n");
      return 2;
    }
  w        = atoi (argv[2]);
  h        = atoi (argv[3]);
  rgb      = malloc ((size_t) w * h * 3 * sizeof (float));
  rgba_in  = malloc ((size_t) w * h * 4 * sizeof (float));
  rgba_out = malloc ((size_t) w * h * 4 * sizeof (float));
  if (! ctx || ! rgb || ! rgba_in || ! rgba_out || w < 2 || h < 2)
    goto out;
  if (! (f = fopen (argv[4], "rb")) ||
      fread (rgb, sizeof (float), (size_t) w * h * 3, f) !=
        (size_t) w * h * 3)
    {
      fprintf (stderr, "net_run: cannot read %s\n", argv[4]);
      goto out;
    }
  fclose (f);
  for (i = 0; i < w * h; i++)
    {
      rgba_in[4 * i]     = rgb[3 * i];
      rgba_in[4 * i + 1] = rgb[3 * i + 1];
      rgba_in[4 * i + 2] = rgb[3 * i + 2];
      rgba_in[4 * i + 3] = 1.0f;
    }
  in  = (AtelierImage) { w, h, 4 * w, rgba_in };
  out = (AtelierImage) { w, h, 4 * w, rgba_out };
  atelier_params_init (&params);
  params.strength = 1.0f;
  params.quality  = ATELIER_QUALITY_BEST;
  if ((st = atelier_net_load (ctx, argv[1], &net)) == ATELIER_OK)
    {
      /* untiled unless asked; raw: the network's output, not tone-mapped */
      AtelierNetLimits limits = { (size_t) w * h, 768 * 768, 384, true };

      if (argc == 8)
        limits = (AtelierNetLimits) { 0, (size_t) atol (argv[6]),
                                      atoi (argv[7]), true };
      st = atelier_net_stylize_limits (ctx, &params, net, 0, &in, &out,
                                       &limits);
    }
  if (st != ATELIER_OK)
    {
      fprintf (stderr, "net_run: %s\n", atelier_context_error (ctx));
      goto out;
    }
  for (i = 0; i < w * h; i++)
    {
      rgb[3 * i]     = rgba_out[4 * i];
      rgb[3 * i + 1] = rgba_out[4 * i + 1];
      rgb[3 * i + 2] = rgba_out[4 * i + 2];
    }
  if (! (f = fopen (argv[5], "wb")) ||
      fwrite (rgb, sizeof (float), (size_t) w * h * 3, f) !=
        (size_t) w * h * 3 || fclose (f) != 0)
    {
      fprintf (stderr, "net_run: cannot write %s\n", argv[5]);
      goto out;
    }
  code = 0;

out:
  atelier_net_free (net);
  atelier_context_free (ctx);
  free (rgb);
  free (rgba_in);
  free (rgba_out);
  return code;
}
