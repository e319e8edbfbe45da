/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Mixing the styles of one multi-style network.
 *
 * Every style of a network shares its convolutions and differs only in the
 * rows of gamma and beta its instance norms take (conditional instance
 * norm), so a mix of styles is one more row: the weighted mean of theirs.
 * The result is a network of one style that the renderer runs like any
 * other, so a mix costs nothing at run time.  A mix is written
 * "starry-night=0.7,great-wave=0.3"; the weights are relative (normalised
 * to sum 1), so "a=7,b=3" is the same mix.
 */
#define _GNU_SOURCE
#include "internal.h"
#include "net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The most styles one mix may name: a mix of more is no longer any of
 * them, and a bound keeps the parser's arrays on the stack. */
#define MIX_MAX 8

/* Sets ctx's message and gives the status. */
#define FAIL(st, ...) (atelier_set_error (ctx, __VA_ARGS__), (st))

AtelierStatus
atelier_net_mix (AtelierContext   *ctx,
                 const AtelierNet *net,
                 int               n,
                 const int        *styles,
                 const float      *weights,
                 AtelierNet      **mixed)
{
  AtelierNet      *m;
  AtelierNetStyle *s;
  double           total = 0.0, strength = 0.0, scale = 0.0;
  size_t           floats = 0, at;
  int              i, k;

  *mixed = NULL;
  if (n < 1 || n > MIX_MAX)
    return FAIL (ATELIER_ERR_INVALID_PARAM, "a mix takes 1 to %d styles, not %d", MIX_MAX, n);
  for (k = 0; k < n; k++)
    {
      if (styles[k] < 0 || styles[k] >= net->n_styles)
        return FAIL (ATELIER_ERR_INVALID_PARAM, "the network has %d styles, not style %d",
                             net->n_styles, styles[k]);
      if (! (weights[k] >= 0.0f) || ! isfinite (weights[k]))
        return FAIL (ATELIER_ERR_INVALID_PARAM, "a mix weight must be a number >= 0, not %g",
                             (double) weights[k]);
      total += weights[k];
    }
  if (! (total > 0.0))
    return FAIL (ATELIER_ERR_INVALID_PARAM, "the weights of a mix must not all be 0");

  for (i = 0; i < net->n_layers; i++)
    floats += atelier_net_layer_floats (&net->layers[i], 1);
  m = atelier_net_new (net->n_layers, 1, floats);
  if (! m)
    return FAIL (ATELIER_ERR_NO_MEMORY, "out of memory for a mix of %d styles", n);
  memcpy (m->layers, net->layers, (size_t) net->n_layers * sizeof *m->layers);
  m->in_scale  = net->in_scale;
  m->out_scale = net->out_scale;
  atelier_net_point_tensors (m);

  at = 0;
  for (i = 0; i < net->n_layers; i++)
    {
      const AtelierNetLayer *src = &net->layers[i];
      AtelierNetLayer       *dst = &m->layers[i];
      size_t                 count = atelier_net_layer_floats (src, 1);
      int                    c;

      if (src->op == ATELIER_NET_CONV)
        {
          size_t w = count - (size_t) src->out_c;

          memcpy (m->storage + at, src->weight, w * sizeof (float));
          memcpy (m->storage + at + w, src->bias,
                  (size_t) src->out_c * sizeof (float));
        }
      else if (src->op == ATELIER_NET_INORM)
        for (c = 0; c < src->in_c; c++)
          {
            double g = 0.0, b = 0.0;

            for (k = 0; k < n; k++)
              {
                size_t row = (size_t) styles[k] * src->in_c + c;

                g += weights[k] / total * src->gamma[row];
                b += weights[k] / total * src->beta[row];
              }
            ((float *) dst->gamma)[c] = (float) g;
            ((float *) dst->beta)[c]  = (float) b;
          }
      at += count;
    }

  /* The mix's own defaults: its styles', weighted; its label names the
   * parts, so a dialog or a report can show what was mixed. */
  s = &m->styles[0];
  snprintf (s->name, sizeof s->name, "%s", net->styles[styles[0]].name);
  for (k = 0; k < n; k++)
    {
      const AtelierNetStyle *p = &net->styles[styles[k]];
      size_t                 len = strlen (s->label);
      size_t                 len_zh = strlen (s->label_zh);
      int                    pct = (int) lround (100.0 * weights[k] / total);

      strength += weights[k] / total * p->strength;
      scale    += weights[k] / total * p->scale;
      snprintf (s->label + len, sizeof s->label - len, "%s%s %d%%",
                k ? " + " : "", p->label, pct);
      snprintf (s->label_zh + len_zh, sizeof s->label_zh - len_zh,
                "%s%s %d%%", k ? " + " : "", p->label_zh, pct);
    }
  s->strength = (float) strength;
  s->scale    = (float) scale;
  *mixed = m;
  return ATELIER_OK;
}

bool
atelier_style_is_mix (const char *spec)
{
  return spec && strchr (spec, '=') && ! strchr (spec, '/');
}

AtelierStatus
atelier_styles_load_mix (AtelierContext      *ctx,
                         const AtelierStyles *styles,
                         const char          *spec,
                         AtelierNet         **mixed,
                         const char         **net_path)
{
  const AtelierStyleEntry *first = NULL;
  AtelierNet              *net   = NULL;
  AtelierStatus            st;
  int                      index[MIX_MAX];
  float                    weight[MIX_MAX];
  char                    *copy, *item, *save = NULL;
  int                      n = 0;

  *mixed = NULL;
  copy   = strdup (spec);
  if (! copy)
    return FAIL (ATELIER_ERR_NO_MEMORY, "out of memory");
  for (item = strtok_r (copy, ",", &save); item;
       item = strtok_r (NULL, ",", &save))
    {
      const AtelierStyleEntry *e;
      char                    *eq = strchr (item, '='), *end;
      double                   w;

      if (n == MIX_MAX)
        {
          st = FAIL (ATELIER_ERR_INVALID_PARAM, "a mix takes at most %d styles", MIX_MAX);
          goto out;
        }
      if (! eq)
        {
          st = FAIL (ATELIER_ERR_INVALID_PARAM, "\"%s\" in the mix has no weight "
                             "(write NAME=WEIGHT,NAME=WEIGHT)", item);
          goto out;
        }
      *eq = '\0';
      w   = strtod (eq + 1, &end);
      if (end == eq + 1 || *end || ! (w >= 0.0) || ! isfinite (w))
        {
          st = FAIL (ATELIER_ERR_INVALID_PARAM, "the weight of %s in the mix must be a number "
                             ">= 0, not \"%s\"", item, eq + 1);
          goto out;
        }
      e = atelier_styles_find (styles, item);
      if (! e)
        {
          st = FAIL (ATELIER_ERR_INVALID_PARAM, "no style named %s", item);
          goto out;
        }
      if (e->kind != ATELIER_STYLE_NETWORK)
        {
          st = FAIL (ATELIER_ERR_INVALID_PARAM, "%s is a style image: only the styles of one "
                             "network can be mixed", item);
          goto out;
        }
      if (first && strcmp (first->path, e->path))
        {
          st = FAIL (ATELIER_ERR_INVALID_PARAM, "%s and %s are styles of different networks "
                             "(%s, %s): only the styles of one network can "
                             "be mixed", first->name, e->name, first->path,
                             e->path);
          goto out;
        }
      first       = first ? first : e;
      index[n]    = e->net_style;
      weight[n++] = (float) w;
    }
  if (! n)
    {
      st = FAIL (ATELIER_ERR_INVALID_PARAM, "an empty mix");
      goto out;
    }
  if ((st = atelier_net_load (ctx, first->path, &net)) == ATELIER_OK)
    st = atelier_net_mix (ctx, net, n, index, weight, mixed);
  if (st == ATELIER_OK && net_path)
    *net_path = first->path;

out:
  atelier_net_free (net);
  free (copy);
  return st;
}
