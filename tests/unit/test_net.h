/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A slim transformer net for the tests that run one: made in code with
 * random weights (two styles; padding, strided and upsampling
 * convolutions, norms, a residual block), laid out as the parser lays
 * one out.  Header-only, like test_util.h. */
#ifndef ATELIER_TEST_NET_H
#define ATELIER_TEST_NET_H

#include "net.h"
#include "test_util.h"

#include <glib.h>
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

static const Spec slim[] = {
  { P,  3,  3,  0, 0, 2 }, { C,  3,  6, 5, 1, 0 }, { N,  6,  6, 0, 0, 0 },
  { R,  6,  6,  0, 0, 0 }, { P,  6,  6, 0, 0, 1 }, { C,  6, 12, 3, 2, 0 },
  { N, 12, 12,  0, 0, 0 }, { R, 12, 12, 0, 0, 0 },
  /* 8: a residual block */
  { SS, 12, 12, 0, 0, 0 }, { P, 12, 12, 0, 0, 1 }, { C, 12, 12, 3, 1, 0 },
  { N, 12, 12,  0, 0, 0 }, { R, 12, 12, 0, 0, 0 }, { P, 12, 12, 0, 0, 1 },
  { C, 12, 12,  3, 1, 0 }, { N, 12, 12, 0, 0, 0 }, { SA, 12, 12, 0, 0, 0 },
  /* 17: upsampling conv, output conv */
  { U, 12, 12,  0, 0, 0 }, { P, 12, 12, 0, 0, 1 }, { C, 12,  6, 3, 1, 0 },
  { N,  6,  6,  0, 0, 0 }, { R,  6,  6, 0, 0, 0 }, { P,  6,  6, 0, 0, 2 },
  { C,  6,  3,  5, 1, 0 }
};

#define SLIM_LAYERS ((int) G_N_ELEMENTS (slim))
#define SLIM_STYLES 2

/* A net shaped by specs, laid out as the parser lays one out (one
 * malloc'd storage block), so atelier_net_free frees it. */
static inline AtelierNet *
net_build (const Spec *specs,
           int         n_layers,
           int         n_styles,
           uint32_t    seed)
{
  static const AtelierNetStyle styles[SLIM_STYLES] = {
    { "starry-night", "The Starry Night", "星夜", 0.8f, 1.0f },
    { "the-scream-2", "The Scream (Munch)", "呐喊", 1.0f, 0.5f }
  };
  AtelierNetLayer layers[SLIM_LAYERS];
  AtelierNet     *net;
  size_t          n = 0;
  int             i, s;

  g_assert_cmpint (n_styles, <=, SLIM_STYLES);
  g_assert_cmpint (n_layers, <=, SLIM_LAYERS);
  for (i = 0; i < n_layers; i++)
    {
      layers[i] = (AtelierNetLayer) { 0 };
      layers[i].op     = specs[i].op;
      layers[i].in_c   = specs[i].in_c;
      layers[i].out_c  = specs[i].out_c;
      layers[i].kernel = specs[i].kernel;
      layers[i].stride = specs[i].stride;
      layers[i].pad    = specs[i].pad;
      n += atelier_net_layer_floats (&layers[i], n_styles);
    }
  net = atelier_net_new (n_layers, n_styles, n);
  g_assert_nonnull (net);
  memcpy (net->layers, layers, (size_t) n_layers * sizeof *layers);
  net->in_scale  = 255.0f;
  net->out_scale = 1.0f / 255.0f;
  for (s = 0; s < n_styles; s++)
    net->styles[s] = styles[s];
  for (n = 0; n < net->n_storage; n++)
    net->storage[n] = (test_noise (seed, (int) n, 0) - 0.5f) *
                      (n % 7 ? 0.5f : 8.0f);
  atelier_net_point_tensors (net);
  return net;
}

static inline AtelierNet *
slim_net (void)
{
  return net_build (slim, SLIM_LAYERS, SLIM_STYLES, 17);
}

#endif /* ATELIER_TEST_NET_H */
