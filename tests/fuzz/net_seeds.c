/* SPDX-License-Identifier: GPL-3.0-or-later */
/* net_seeds DIR: writes the seed corpus of fuzz_net into DIR: small valid
 * .atnet models (fp32 and fp16; one and two styles; pads, convs of
 * stride 1 and 2, instance norms, ReLUs, an upsample, nested skips) made
 * with the engine's own writer, so the fuzzer starts past the checks of
 * the header and the tables.  Built and run by `make fuzz`. */
#define _GNU_SOURCE
#include "net.h"
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct
{
  AtelierNetOp op;
  int          in_c, out_c, kernel, stride, pad;
} Spec;

#define P  ATELIER_NET_PAD_REFLECT
#define C  ATELIER_NET_CONV
#define N  ATELIER_NET_INORM
#define R  ATELIER_NET_RELU
#define U  ATELIER_NET_UPSAMPLE
#define SS ATELIER_NET_SKIP_SAVE
#define SA ATELIER_NET_SKIP_ADD

static const Spec one_conv[] = { { C, 3, 3, 1, 1, 0 } };

static const Spec slim[] = {
  { P, 3, 3, 0, 0, 1 }, { C, 3, 4, 3, 1, 0 }, { N, 4, 4, 0, 0, 0 },
  { R, 4, 4, 0, 0, 0 }, { P, 4, 4, 0, 0, 1 }, { C, 4, 4, 3, 2, 0 },
  { SS, 4, 4, 0, 0, 0 }, { P, 4, 4, 0, 0, 1 }, { C, 4, 4, 3, 1, 0 },
  { N, 4, 4, 0, 0, 0 }, { R, 4, 4, 0, 0, 0 }, { SA, 4, 4, 0, 0, 0 },
  { U, 4, 4, 0, 0, 0 }, { P, 4, 4, 0, 0, 2 }, { C, 4, 3, 5, 1, 0 }
};

static const Spec nested[] = {
  { SS, 3, 3, 0, 0, 0 }, { SS, 3, 3, 0, 0, 0 }, { P, 3, 3, 0, 0, 1 },
  { C, 3, 3, 3, 1, 0 }, { SA, 3, 3, 0, 0, 0 }, { N, 3, 3, 0, 0, 0 },
  { SA, 3, 3, 0, 0, 0 }, { R, 3, 3, 0, 0, 0 }
};

static const AtelierNetStyle styles[2] = {
  { "starry-night", "The Starry Night", "星夜", 0.8f, 1.0f },
  { "wave-2", "The Great Wave", "神奈川沖浪裏", 1.0f, 0.5f }
};

static int
write_seed (const char *dir,
            const char *name,
            const Spec *specs,
            int         n_layers,
            int         n_styles,
            bool        fp16)
{
  AtelierNetLayer layers[32];
  AtelierNet     *net;
  size_t          n = 0, k;
  void           *bytes = NULL;
  size_t          size = 0;
  char            path[4096];
  FILE           *f;
  int             i, rc = 1;

  for (i = 0; i < n_layers; i++)
    {
      AtelierNetLayer *l = &layers[i];

      memset (l, 0, sizeof *l);
      l->op     = specs[i].op;
      l->in_c   = specs[i].in_c;
      l->out_c  = specs[i].out_c;
      l->kernel = specs[i].kernel;
      l->stride = specs[i].stride;
      l->pad    = specs[i].pad;
      n += atelier_net_layer_floats (l, n_styles);
    }
  net = atelier_net_new (n_layers, n_styles, n);
  if (! net)
    return 1;
  memcpy (net->layers, layers, (size_t) n_layers * sizeof *layers);
  for (k = 0; k < n; k++)
    net->storage[k] = (float) ((atelier_hash (k, 7) >> 40) / 16777216.0 -
                               0.5);
  atelier_net_point_tensors (net);
  memcpy (net->styles, styles, (size_t) n_styles * sizeof *styles);
  net->in_scale  = 255.0f;
  net->out_scale = 1.0f / 255.0f;
  snprintf (path, sizeof path, "%s/%s", dir, name);
  if (atelier_net_serialize (NULL, net, fp16, &bytes, &size) == ATELIER_OK &&
      (f = fopen (path, "wb")))
    {
      rc = fwrite (bytes, 1, size, f) != size;
      rc |= fclose (f) != 0;
    }
  if (rc)
    fprintf (stderr, "net_seeds: cannot write %s\n", path);
  free (bytes);
  atelier_net_free (net);
  return rc;
}

int
main (int    argc,
      char **argv)
{
  int rc = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: net_seeds DIR\n");
      return 2;
    }
  rc |= write_seed (argv[1], "one-conv.atnet", one_conv, 1, 1, false);
  rc |= write_seed (argv[1], "one-conv-fp16.atnet", one_conv, 1, 1, true);
  rc |= write_seed (argv[1], "slim.atnet", slim, 15, 2, false);
  rc |= write_seed (argv[1], "slim-fp16.atnet", slim, 15, 2, true);
  rc |= write_seed (argv[1], "nested.atnet", nested, 8, 1, false);
  rc |= write_seed (argv[1], "nested-fp16.atnet", nested, 8, 2, true);
  return rc;
}
