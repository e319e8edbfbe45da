/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — Style Transfer's run logic, for both GIMPs: the values'
 * defaults and checks, the engine call on a layer.  The procedures that
 * call it are gimp2/plugin_style_pdb.c and gimp3/plugin3_main.c.
 */
#include <string.h>

#include <gegl.h>

#include "plugin_style_transfer.h"

void
atelier_style_vals_init (AtelierStyleVals *vals)
{
  AtelierParams d;

  atelier_params_init (&d);
  memset (vals, 0, sizeof *vals);
  vals->source          = ATELIER_STYLE_FROM_FILE;
  vals->layer           = -1;
  vals->strength        = 100.0 * d.strength;
  vals->style_scale     = d.style_scale;
  vals->quality         = d.quality;
  vals->preserve_colors = d.preserve_colors;
  vals->seed            = d.seed;
  vals->output          = ATELIER_PLUGIN_OUTPUT_NEW_LAYER;
  vals->backdrop        = d.backdrop;
}

void
atelier_style_vals_to_params (const AtelierStyleVals *vals,
                              AtelierParams          *params)
{
  atelier_params_init (params);
  params->strength        = (float) (vals->strength / 100.0);
  params->style_scale     = (float) vals->style_scale;
  params->quality         = (AtelierQuality) vals->quality;
  params->preserve_colors = vals->preserve_colors;
  params->seed            = vals->seed;
  params->backdrop        = (AtelierBackdrop) vals->backdrop;
}

gboolean
atelier_style_vals_check (const AtelierStyleVals  *vals,
                          GError                 **error)
{
  return (atelier_plugin_check_range ("strength", vals->strength,
                                      0.0, 100.0, error) &&
          atelier_plugin_check_range ("style-scale", vals->style_scale,
                                      0.25, 4.0, error) &&
          atelier_plugin_check_range ("quality", vals->quality,
                                      ATELIER_QUALITY_PREVIEW,
                                      ATELIER_QUALITY_BEST, error) &&
          atelier_plugin_check_range ("preserve-colors",
                                      vals->preserve_colors, 0, 1, error) &&
          atelier_plugin_check_range ("output", vals->output,
                                      ATELIER_PLUGIN_OUTPUT_NEW_LAYER,
                                      ATELIER_PLUGIN_OUTPUT_REPLACE, error) &&
          atelier_plugin_check_range ("backdrop", vals->backdrop,
                                      ATELIER_BACKDROP_AUTO,
                                      ATELIER_BACKDROP_OFF, error) &&
          (vals->source != ATELIER_STYLE_FROM_LAYER ||
           atelier_plugin_check_style_drawable (vals->layer, error)));
}

AtelierStatus
atelier_style_render (AtelierContext *ctx,
                      GeglBuffer     *content,
                      GeglBuffer     *out,
                      gpointer        data)
{
  AtelierStyleJob *job = data;

  if (job->net)
    return atelier_gegl_net_stylize (ctx, &job->params, job->net,
                                     job->net_style, content, NULL, out);
  return atelier_gegl_stylize (ctx, &job->params, content, job->style, NULL,
                               out);
}

gboolean
atelier_style_transfer_layer (gint32                  image_ID,
                              gint32                  drawable_ID,
                              const AtelierStyleVals *vals,
                              gint32                 *result_ID,
                              GError                **error)
{
  AtelierPluginProgress progress;
  AtelierContext       *ctx;
  AtelierStyleJob       job   = { .style = NULL };
  AtelierNet           *net   = NULL;
  gchar                *label = NULL;
  gboolean              ok    = FALSE;

  if (! (ctx = atelier_plugin_context_new (error)))
    return FALSE;
  if (vals->source == ATELIER_STYLE_FROM_FILE)
    {
      if (! atelier_plugin_load_style (ctx, vals->file, &job.style, &net,
                                       &job.net_style, error))
        goto out;
      job.net = net;
      label = atelier_plugin_style_label (vals->file);
    }
  else
    {
      gchar *name = gimp_item_get_name (atl_item (vals->layer));

      /* named as for a file: a layer opened from "starry.jpg" is
       * "starry.jpg", the result "starry" either way */
      job.style = gimp_drawable_get_buffer (atl_drawable (vals->layer));
      label     = atelier_plugin_style_label (name);
      g_free (name);
    }

  atelier_style_vals_to_params (vals, &job.params);
  atelier_plugin_progress_init (&progress, 0.0, 1.0);
  job.params.progress      = atelier_plugin_progress;
  job.params.progress_data = &progress;
  gimp_progress_init (_("Style transfer"));
  ok = atelier_plugin_render (ctx, image_ID, drawable_ID, vals->output, label,
                              atelier_style_render, &job, result_ID, error);
  gimp_progress_end ();

out:
  g_clear_object (&job.style);
  atelier_net_free (net);
  g_free (label);
  atelier_context_free (ctx);
  return ok;
}

