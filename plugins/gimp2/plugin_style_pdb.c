/* SPDX-License-Identifier: GPL-3.0-or-later */
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

#include "plugin_families.h"
#include "plugin_run2.h"
#include "plugin_ui.h"

#define PLUG_IN_PROC      ATELIER_STYLE_PROC
#define PLUG_IN_PROC_FILE ATELIER_STYLE_PROC_FILE
#define N_ARGS            11
/* backdrop, the last, came later: a call without it gets auto */
#define N_OPTIONAL        1

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

static gboolean
vals_from_params (const gchar      *name,
                  gint              nparams,
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
  if (nparams > 10)
    vals->backdrop      = param[10].data.d_int32;
  return TRUE;
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
  static const GimpParamDef results[] = { ATELIER_PDB_RESULT_LAYER };
  AtelierParams d = atelier_plugin_defaults ();
  GPtrArray    *t = g_ptr_array_new_with_free_func (g_free);
  GimpParamDef  args[] =
  {
    ATELIER_PDB_FILTER_ARGS ("restyle"),
    { style_type, "style", (gchar *) style_help },
    { GIMP_PDB_FLOAT, "strength", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_STRENGTH, 100.0 * d.strength)) },
    { GIMP_PDB_FLOAT, "style-scale", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_SCALE, d.style_scale)) },
    { GIMP_PDB_INT32, "quality", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_QUALITY " { PREVIEW (0), NORMAL (1), BEST (2) } "
      "(default %d)", d.quality)) },
    { GIMP_PDB_INT32, "preserve-colors", atelier_plugin_keep (t,
      g_strdup_printf (ATELIER_STYLE_DOC_PRESERVE " { FALSE (0), TRUE (1) } "
                       "(default %d)", d.preserve_colors)) },
    { GIMP_PDB_INT32, "seed", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_SEED, d.seed)) },
    { GIMP_PDB_INT32, "output", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_OUTPUT " { NEW-LAYER (0), REPLACE (1) } "
      "(default %d)", ATELIER_PLUGIN_OUTPUT_NEW_LAYER)) },
    { GIMP_PDB_INT32, "backdrop", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_BACKDROP " { AUTO (0), OFF (1) } (default %d)",
      d.backdrop)) }
  };

  gimp_install_procedure (name,
                          ATELIER_STYLE_BLURB, ATELIER_STYLE_HELP,
                          PLUG_IN_AUTHOR, PLUG_IN_COPYRIGHT, PLUG_IN_DATE,
                          menu_label, "RGB*, GRAY*", GIMP_PLUGIN,
                          G_N_ELEMENTS (args), G_N_ELEMENTS (results),
                          args, results);
  g_ptr_array_free (t, TRUE);
}

void
atelier_style_transfer_install (void)
{
  install (PLUG_IN_PROC, GIMP_PDB_DRAWABLE, ATELIER_STYLE_DOC_LAYER,
           N_("Style _Transfer..."));
  gimp_plugin_menu_register (PLUG_IN_PROC, ATELIER_STYLE_MENU);
  install (PLUG_IN_PROC_FILE, GIMP_PDB_STRING, ATELIER_STYLE_DOC_FILE, NULL);
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
                            run_dialog, vals_from_params, forget_layer,
                            N_OPTIONAL };
  GimpPDBStatusType status;
  gint32            image_ID, drawable_ID, result_ID;

  atelier_style_vals_init (&vals);
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
      ! atelier_style_transfer_layer (image_ID, drawable_ID, &vals, &result_ID,
                               error))
    return atelier_plugin_error_status (*error);

  if (param[0].data.d_int32 != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  atelier_plugin_set_vals (name, &vals, sizeof vals);
  result->type          = GIMP_PDB_LAYER;
  result->data.d_layer  = result_ID;
  return GIMP_PDB_SUCCESS;
}
