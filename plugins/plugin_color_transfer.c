/* Atelier — GIMP 2.10 plug-in: Filters › Colors › Color Transfer.
 *
 *   plug-in-atelier-color-transfer  gives the drawable the colours of
 *                                   another layer, in place
 *
 * The colour statistics (mean and covariance of RGB) of the style layer
 * are transferred onto the drawable, inside the selection, as one undo
 * step.
 */
#include <string.h>

#include <gegl.h>

#include "plugin_families.h"
#include "plugin_ui.h"

#define PLUG_IN_PROC     "plug-in-atelier-color-transfer"
#define PLUG_IN_ROLE     "atelier-color-transfer"
#define N_ARGS           6
#define SCALE_WIDTH      200
#define SPIN_WIDTH       6
#define DEFAULT_STRENGTH 100.0   /* percent: the whole transfer */

/* Stored with gimp_set_data().  New fields at the end. */
typedef struct
{
  gint32   layer;               /* the style drawable               */
  gdouble  strength;            /* percent, 0..100                  */
  gboolean preserve_luminance;
} ColorVals;

typedef struct
{
  const ColorVals *vals;
  GeglBuffer      *style;
} ColorJob;

typedef struct
{
  ColorVals      *vals;
  GtkWidget      *preview;
  GtkWidget      *message;
  AtelierContext *ctx;
  gint32          layer;        /* the style layer copied to...        */
  GeglBuffer     *layer_style;  /* (the preview reads it at each change) */
} ColorDialog;

static const ColorVals default_vals = { -1, DEFAULT_STRENGTH, FALSE };

/* The style layer of an earlier session of GIMP is gone. */
static void
forget_layer (gpointer data)
{
  ((ColorVals *) data)->layer = -1;
}

static AtelierStatus
render_colors (AtelierContext *ctx,
               GeglBuffer     *content,
               GeglBuffer     *out,
               gpointer        data)
{
  ColorJob *job = data;

  return atelier_gegl_color_transfer (ctx, content, job->style,
                                      (float) (job->vals->strength / 100.0),
                                      job->vals->preserve_luminance, out);
}

static gboolean
color_transfer (gint32            image_ID,
                gint32            drawable_ID,
                const ColorVals  *vals,
                GError          **error)
{
  AtelierContext *ctx;
  ColorJob        job = { vals, NULL };
  gint32          result_ID;
  gboolean        ok;

  if (! (ctx = atelier_plugin_context_new (error)))
    return FALSE;
  job.style = gimp_drawable_get_buffer (vals->layer);
  gimp_progress_init (_("Color transfer"));
  ok = atelier_plugin_render (ctx, image_ID, drawable_ID,
                              ATELIER_PLUGIN_OUTPUT_REPLACE, NULL,
                              render_colors, &job, &result_ID, error);
  gimp_progress_end ();
  g_object_unref (job.style);
  atelier_context_free (ctx);
  return ok;
}

/* ---- the dialog ---- */

static void
preview_update (GimpPreview *preview,
                ColorDialog *d)
{
  ColorJob job = { d->vals, NULL };

  if (! gimp_item_is_valid (d->vals->layer))
    {
      atelier_plugin_preview_render (preview, d->message, d->ctx, NULL, NULL,
                                     _("Choose the layer whose colors to "
                                       "take"));
      return;
    }
  if (d->layer != d->vals->layer || ! d->layer_style)
    {
      GeglBuffer *buffer = gimp_drawable_get_buffer (d->vals->layer);

      g_clear_object (&d->layer_style);
      d->layer_style = gegl_buffer_dup (buffer);
      d->layer       = d->vals->layer;
      g_object_unref (buffer);
    }
  job.style = d->layer_style;
  atelier_plugin_preview_render (preview, d->message, d->ctx, render_colors,
                                 &job, NULL);
}

static void
layer_changed (GimpIntComboBox *combo,
               ColorDialog     *d)
{
  gint layer_ID;

  if (gimp_int_combo_box_get_active (combo, &layer_ID))
    d->vals->layer = layer_ID;
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
}

static gboolean
color_dialog (gint32   drawable_ID,
              gpointer data)
{
  ColorVals  *vals  = data;
  ColorDialog d     = { .vals = vals };
  GError     *error = NULL;
  GtkWidget  *dialog, *vbox, *table, *combo, *toggle;
  GtkObject  *adj;
  gboolean    run;

  if (! (d.ctx = atelier_plugin_context_new (&error)))
    {
      g_message ("%s", error->message);
      g_clear_error (&error);
      return FALSE;
    }
  dialog    = atelier_plugin_dialog_new (_("Color Transfer"), PLUG_IN_ROLE,
                                         &vbox);
  d.preview = atelier_plugin_preview_new (drawable_ID, vbox, &d.message);
  g_signal_connect (d.preview, "invalidated",
                    G_CALLBACK (preview_update), &d);

  table = gtk_table_new (2, 3, FALSE);
  gtk_table_set_col_spacings (GTK_TABLE (table), 6);
  gtk_table_set_row_spacings (GTK_TABLE (table), 6);
  gtk_box_pack_start (GTK_BOX (vbox), table, FALSE, FALSE, 0);

  combo = atelier_plugin_layer_combo_new (vals->layer);
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 0, _("Colors _from:"),
                             0.0, 0.5, combo, 2, FALSE);
  g_signal_connect (combo, "changed", G_CALLBACK (layer_changed), &d);
  layer_changed (GIMP_INT_COMBO_BOX (combo), &d);

  adj = gimp_scale_entry_new (GTK_TABLE (table), 0, 1, _("S_trength (%):"),
                              SCALE_WIDTH, SPIN_WIDTH, vals->strength,
                              0.0, 100.0, 1.0, 10.0, 0, TRUE, 0, 0,
                              _("How far to go: 0 keeps the layer's colors, "
                                "100 takes the other layer's"), NULL);
  g_signal_connect (adj, "value-changed",
                    G_CALLBACK (gimp_double_adjustment_update),
                    &vals->strength);
  g_signal_connect_swapped (adj, "value-changed",
                            G_CALLBACK (gimp_preview_invalidate), d.preview);
  gtk_widget_show_all (table);

  toggle = gtk_check_button_new_with_mnemonic (_("Preserve _luminance"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle),
                                vals->preserve_luminance);
  gimp_help_set_help_data (toggle, _("Keep each pixel's lightness; take "
                                     "only the hues"), NULL);
  gtk_box_pack_start (GTK_BOX (vbox), toggle, FALSE, FALSE, 0);
  gtk_widget_show (toggle);
  g_signal_connect (toggle, "toggled",
                    G_CALLBACK (gimp_toggle_button_update),
                    &vals->preserve_luminance);
  g_signal_connect_swapped (toggle, "toggled",
                            G_CALLBACK (gimp_preview_invalidate), d.preview);

  gtk_widget_show (dialog);
  run = gimp_dialog_run (GIMP_DIALOG (dialog)) == GTK_RESPONSE_OK;
  gtk_widget_destroy (dialog);
  g_clear_object (&d.layer_style);
  atelier_context_free (d.ctx);
  return run;
}

/* ---- the procedure ---- */

gboolean
atelier_color_transfer_owns (const gchar *name)
{
  return ! strcmp (name, PLUG_IN_PROC);
}

void
atelier_color_transfer_install (void)
{
  GPtrArray    *t = g_ptr_array_new_with_free_func (g_free);
  GimpParamDef  args[] =
  {
    { GIMP_PDB_INT32, "run-mode",
      "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }" },
    { GIMP_PDB_IMAGE, "image", "Input image" },
    { GIMP_PDB_DRAWABLE, "drawable",
      "The layer to recolor (RGB or grayscale, at least 2x2)" },
    { GIMP_PDB_DRAWABLE, "style",
      "The layer whose colors to take: any layer of any open image" },
    { GIMP_PDB_FLOAT, "strength", atelier_plugin_keep (t, g_strdup_printf (
      "How far to go, 0..100 (default %g): 0 keeps the colors, 100 takes "
      "the style's mean and covariance", DEFAULT_STRENGTH)) },
    { GIMP_PDB_INT32, "preserve-luminance",
      "Keep each pixel's luma { FALSE (0), TRUE (1) } (default 0)" }
  };

  gimp_install_procedure (PLUG_IN_PROC,
                          N_("Give the layer the colors of another layer"),
                          "Transfers the color statistics (mean and "
                          "covariance of RGB) of the style drawable onto "
                          "the drawable, in place and inside the "
                          "selection.",
                          PLUG_IN_AUTHOR, PLUG_IN_COPYRIGHT, PLUG_IN_DATE,
                          N_("Color _Transfer..."), "RGB*, GRAY*",
                          GIMP_PLUGIN, G_N_ELEMENTS (args), 0, args, NULL);
  gimp_plugin_menu_register (PLUG_IN_PROC, "<Image>/Filters/Colors");
  g_ptr_array_free (t, TRUE);
}

static gboolean
vals_from_params (const gchar      *name,
                  const GimpParam  *param,
                  gpointer          data,
                  GError          **error)
{
  ColorVals *vals = data;

  vals->layer              = param[3].data.d_drawable;
  vals->strength           = param[4].data.d_float;
  vals->preserve_luminance = param[5].data.d_int32;
  return TRUE;
}

GimpPDBStatusType
atelier_color_transfer_run (const gchar      *name,
                            gint              nparams,
                            const GimpParam  *param,
                            GimpParam        *result,
                            GError          **error)
{
  ColorVals         vals = default_vals;
  AtelierPluginRun  run  = { _("Color Transfer"), N_ARGS, &vals, sizeof vals,
                             color_dialog, vals_from_params, forget_layer };
  GimpPDBStatusType status;
  gint32            image_ID, drawable_ID;

  status = atelier_plugin_read_vals (&run, name, nparams, param, error);
  if (status != GIMP_PDB_SUCCESS)
    return status;
  image_ID    = param[1].data.d_image;
  drawable_ID = param[2].data.d_drawable;

  if (! atelier_plugin_check_range ("strength", vals.strength,
                                    0.0, 100.0, error) ||
      ! atelier_plugin_check_range ("preserve-luminance",
                                    vals.preserve_luminance, 0, 1, error) ||
      ! atelier_plugin_check_style_drawable (vals.layer, error) ||
      ! atelier_plugin_check_target (image_ID, drawable_ID,
                                     run.filter, FALSE, error) ||
      ! color_transfer (image_ID, drawable_ID, &vals, error))
    return atelier_plugin_error_status (*error);

  if (param[0].data.d_int32 != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  atelier_plugin_set_vals (name, &vals, sizeof vals);
  return GIMP_PDB_SUCCESS;
}
