/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — Color Transfer's run logic, for both GIMPs.  The colour
 * statistics (mean and covariance of RGB) of the style layer go onto the
 * drawable.  See plugin_color_transfer.h.
 */
#include <string.h>

#include <gegl.h>

#include "plugin_color_transfer.h"

void
atelier_color_vals_init (AtelierColorVals *vals)
{
  memset (vals, 0, sizeof *vals);
  vals->layer              = -1;
  vals->strength           = ATELIER_COLOR_DEFAULT_STRENGTH;
  vals->preserve_luminance = FALSE;
  vals->source             = ATELIER_STYLE_FROM_LAYER;
  vals->output             = ATELIER_PLUGIN_OUTPUT_REPLACE;
}

gboolean
atelier_color_vals_check (const AtelierColorVals  *vals,
                          GError                 **error)
{
  return (atelier_plugin_check_range ("strength", vals->strength,
                                      0.0, 100.0, error) &&
          atelier_plugin_check_range ("preserve-luminance",
                                      vals->preserve_luminance, 0, 1,
                                      error) &&
          atelier_plugin_check_range ("output", vals->output,
                                      ATELIER_PLUGIN_OUTPUT_NEW_LAYER,
                                      ATELIER_PLUGIN_OUTPUT_REPLACE, error) &&
          (vals->source != ATELIER_STYLE_FROM_LAYER ||
           atelier_plugin_check_style_drawable (vals->layer, error)));
}

AtelierStatus
atelier_color_render (AtelierContext *ctx,
                      GeglBuffer     *content,
                      GeglBuffer     *out,
                      gpointer        data)
{
  AtelierColorJob *job = data;

  return atelier_gegl_color_transfer (ctx, content, job->style,
                                      (float) (job->vals->strength / 100.0),
                                      job->vals->preserve_luminance, out);
}

/* The colours' image (caller unrefs) and its label for a new layer. */
static gboolean
load_colors (AtelierContext          *ctx,
             const AtelierColorVals  *vals,
             GeglBuffer             **style,
             gchar                  **label,
             GError                 **error)
{
  AtelierNet *net = NULL;
  gchar      *name;
  gint        net_style;

  if (vals->source == ATELIER_STYLE_FROM_LAYER)
    {
      name   = gimp_item_get_name (atl_item (vals->layer));
      *style = gimp_drawable_get_buffer (atl_drawable (vals->layer));
      *label = atelier_plugin_style_label (name);
      g_free (name);
      return TRUE;
    }
  if (! atelier_plugin_load_style (ctx, vals->file, style, &net, &net_style,
                                   error))
    return FALSE;
  if (net)
    {
      atelier_net_free (net);
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                   _("%s is a style network; Color Transfer takes the "
                     "colors of an image"), vals->file);
      return FALSE;
    }
  *label = atelier_plugin_style_label (vals->file);
  return TRUE;
}

gboolean
atelier_color_transfer_layer (gint32                  image_ID,
                              gint32                  drawable_ID,
                              const AtelierColorVals *vals,
                              gint32                 *result_ID,
                              GError                **error)
{
  AtelierContext *ctx;
  AtelierColorJob job   = { vals, NULL };
  gchar          *label = NULL;
  gboolean        ok    = FALSE;

  if (! (ctx = atelier_plugin_context_new (error)))
    return FALSE;
  if (load_colors (ctx, vals, &job.style, &label, error))
    {
      gimp_progress_init (_("Color transfer"));
      ok = atelier_plugin_render (ctx, image_ID, drawable_ID, vals->output,
                                  label, atelier_color_render, &job,
                                  result_ID, error);
      gimp_progress_end ();
    }
  g_clear_object (&job.style);
  g_free (label);
  atelier_context_free (ctx);
  return ok;
}
