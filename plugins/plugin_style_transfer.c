/* Atelier — GIMP 2.10 plug-in: Filters › Artistic › Style Transfer.
 *
 *   plug-in-atelier-style-transfer       style is a layer of any open image
 *   plug-in-atelier-style-transfer-file  style is an image file or preset
 *
 * Both return the layer that holds the result: a new layer right above the
 * drawable, named after the style (default), or the drawable itself.  The
 * menu entry is on the first; its dialog takes the style from a file or a
 * layer.
 */
#include <string.h>

#include <gegl.h>

#include "plugin_common.h"
#include "plugin_families.h"
#include "plugin_style_transfer.h"

#define PLUG_IN_PROC      ATELIER_STYLE_PROC
#define PLUG_IN_PROC_FILE ATELIER_STYLE_PROC_FILE
#define N_ARGS            10

/* A style layer of an earlier session is gone: an image file stays. */
static void
forget_layer (gpointer data)
{
  AtelierStyleVals *vals = data;

  if (vals->source == ATELIER_STYLE_FROM_LAYER)
    vals->file[0] = '\0';
  vals->source = ATELIER_STYLE_FROM_FILE;
  vals->layer  = -1;
}

static void
vals_init (AtelierStyleVals *vals)
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
          (vals->source != ATELIER_STYLE_FROM_LAYER ||
           atelier_plugin_check_style_drawable (vals->layer, error)));
}

static gboolean
vals_from_params (const gchar      *name,
                  const GimpParam  *param,
                  gpointer          data,
                  GError          **error)
{
  AtelierStyleVals *vals      = data;
  gboolean          from_file = ! strcmp (name, PLUG_IN_PROC_FILE);

  if (from_file)
    {
      const gchar *file = param[3].data.d_string ? param[3].data.d_string : "";

      if (strlen (file) >= sizeof vals->file)
        {
          g_set_error (error, ATELIER_PLUGIN_ERROR,
                       ATELIER_PLUGIN_ERROR_CALLING,
                       _("The style file name is too long"));
          return FALSE;
        }
      vals->source = ATELIER_STYLE_FROM_FILE;
      g_strlcpy (vals->file, file, sizeof vals->file);
    }
  else
    {
      vals->source = ATELIER_STYLE_FROM_LAYER;
      vals->layer  = param[3].data.d_drawable;
    }
  vals->strength        = param[4].data.d_float;
  vals->style_scale     = param[5].data.d_float;
  vals->quality         = param[6].data.d_int32;
  vals->preserve_colors = param[7].data.d_int32;
  vals->seed            = (guint32) param[8].data.d_int32;
  vals->random_seed     = FALSE;
  vals->output          = param[9].data.d_int32;
  return TRUE;
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

static gboolean
style_transfer (gint32                  image_ID,
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
      job.style = gimp_drawable_get_buffer (vals->layer);
      label     = gimp_item_get_name (vals->layer);
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

/* ---- the procedures ---- */

gboolean
atelier_style_transfer_owns (const gchar *name)
{
  return ! strcmp (name, PLUG_IN_PROC) || ! strcmp (name, PLUG_IN_PROC_FILE);
}

static void
install (const gchar    *name,
         GimpPDBArgType  style_type,
         const gchar    *style_help,
         const gchar    *menu_label)
{
  static const GimpParamDef results[] =
  {
    { GIMP_PDB_LAYER, "result", "The layer that holds the result: the new "
                                "layer, or the drawable when output is "
                                "REPLACE" }
  };
  AtelierParams d = atelier_plugin_defaults ();
  GPtrArray    *t = g_ptr_array_new_with_free_func (g_free);
  GimpParamDef  args[] =
  {
    { GIMP_PDB_INT32, "run-mode",
      "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }" },
    { GIMP_PDB_IMAGE, "image", "Input image" },
    { GIMP_PDB_DRAWABLE, "drawable",
      "The layer to restyle (RGB or grayscale, at least 2x2)" },
    { style_type, "style", (gchar *) style_help },
    { GIMP_PDB_FLOAT, "strength", atelier_plugin_keep (t, g_strdup_printf (
      "How much freedom the style gets, 0..100 (default %g): 0 keeps the "
      "content, 100 paints over most of it", 100.0 * d.strength)) },
    { GIMP_PDB_FLOAT, "style-scale", atelier_plugin_keep (t, g_strdup_printf (
      "Size of the style's strokes relative to the content (to the "
      "product, on a clean backdrop), 0.25..4 (default %g)",
      d.style_scale)) },
    { GIMP_PDB_INT32, "quality", atelier_plugin_keep (t, g_strdup_printf (
      "Working resolution and iterations { PREVIEW (0), NORMAL (1), "
      "BEST (2) } (default %d)", d.quality)) },
    { GIMP_PDB_INT32, "preserve-colors", atelier_plugin_keep (t,
      g_strdup_printf ("Restyle light and shade only, keep the colors "
                       "{ FALSE (0), TRUE (1) } (default %d)",
                       d.preserve_colors)) },
    { GIMP_PDB_INT32, "seed", atelier_plugin_keep (t, g_strdup_printf (
      "Random seed: the same seed gives the same result; taken modulo "
      "2^32 (default %u)", d.seed)) },
    { GIMP_PDB_INT32, "output", atelier_plugin_keep (t, g_strdup_printf (
      "Where the result goes { NEW-LAYER (0): a new layer above the "
      "drawable, named after the style, REPLACE (1): the drawable } "
      "(default %d); either way only inside the selection",
      ATELIER_PLUGIN_OUTPUT_NEW_LAYER)) }
  };

  gimp_install_procedure (name,
                          N_("Restyle the layer after a painting, pattern "
                             "or photo"),
                          "Example-based style transfer: repaints the "
                          "drawable with patches of the style image, "
                          "guided by the drawable's structure, so strokes "
                          "and palette come from the style while shapes "
                          "and labels stay legible.",
                          PLUG_IN_AUTHOR, PLUG_IN_COPYRIGHT, PLUG_IN_DATE,
                          menu_label, "RGB*, GRAY*", GIMP_PLUGIN,
                          G_N_ELEMENTS (args), G_N_ELEMENTS (results),
                          args, results);
  g_ptr_array_free (t, TRUE);
}

void
atelier_style_transfer_install (void)
{
  install (PLUG_IN_PROC, GIMP_PDB_DRAWABLE,
           "The style: any layer of any open image", N_("Style _Transfer..."));
  gimp_plugin_menu_register (PLUG_IN_PROC, "<Image>/Filters/Artistic");
  install (PLUG_IN_PROC_FILE, GIMP_PDB_STRING,
           "The style: an image file (PNG, JPEG, TIFF, WebP) or a preset "
           "name", NULL);
}

static gboolean
run_dialog (gint32   drawable_ID,
            gpointer vals)
{
  return atelier_style_dialog (drawable_ID, vals);
}

GimpPDBStatusType
atelier_style_transfer_run (const gchar      *name,
                            gint              nparams,
                            const GimpParam  *param,
                            GimpParam        *result,
                            GError          **error)
{
  AtelierStyleVals  vals;
  AtelierPluginRun  run = { _("Style Transfer"), N_ARGS, &vals, sizeof vals,
                            run_dialog, vals_from_params, forget_layer };
  GimpPDBStatusType status;
  gint32            image_ID, drawable_ID, result_ID;

  vals_init (&vals);
  status = atelier_plugin_read_vals (&run, name, nparams, param, error);
  if (status != GIMP_PDB_SUCCESS)
    return status;
  image_ID    = param[1].data.d_image;
  drawable_ID = param[2].data.d_drawable;
  /* "Repeat" with a random seed draws a new one, as the dialog would */
  if (param[0].data.d_int32 == GIMP_RUN_WITH_LAST_VALS && vals.random_seed)
    vals.seed = g_random_int ();

  if (! atelier_style_vals_check (&vals, error) ||
      ! atelier_plugin_check_target (image_ID, drawable_ID, run.filter,
                                     vals.output ==
                                     ATELIER_PLUGIN_OUTPUT_NEW_LAYER, error) ||
      ! style_transfer (image_ID, drawable_ID, &vals, &result_ID, error))
    return atelier_plugin_error_status (*error);

  if (param[0].data.d_int32 != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  atelier_plugin_set_vals (name, &vals, sizeof vals);
  result->type          = GIMP_PDB_LAYER;
  result->data.d_layer  = result_ID;
  return GIMP_PDB_SUCCESS;
}
