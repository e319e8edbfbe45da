/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 2.10 plug-in: Colors › Map › Color Transfer.
 *
 *   plug-in-atelier-color-transfer       gives the drawable the colours of
 *                                        another layer, in place
 *   plug-in-atelier-color-transfer-file  ... of an image file, in place or
 *                                        into a new layer
 *
 * The colour statistics (mean and covariance of RGB) of the reference are
 * transferred onto the drawable, inside the selection, as one undo step
 * (plugin_color_run.c).  The menu entry's dialog takes the colours from
 * a layer or a file, and offers a new layer.
 */
#include <string.h>

#include <gegl.h>

#include "plugin_color_transfer.h"
#include "plugin_families.h"
#include "plugin_run2.h"
#include "plugin_ui.h"

#define PLUG_IN_PROC     ATELIER_COLOR_PROC
#define PLUG_IN_ROLE     "atelier-color-transfer"
#define PLUG_IN_PROC_FILE ATELIER_COLOR_PROC_FILE
#define N_ARGS           6
#define N_ARGS_FILE      7
#define SCALE_WIDTH      200
#define SPIN_WIDTH       6

typedef struct
{
  AtelierColorVals *vals;
  GtkWidget        *dialog;
  GtkWidget        *preview;
  GtkWidget        *message;
  AtelierContext   *ctx;
  gchar            *loaded;       /* what the preview's colours are from */
  GeglBuffer       *colors;       /* ... copied (the preview reads them often) */
  gchar            *load_error;
} ColorDialog;

/* The colours' layer of an earlier session of GIMP is gone. */
static void
forget_layer (gpointer data)
{
  AtelierColorVals *vals = data;

  vals->layer  = -1;
  vals->source = *vals->file ? ATELIER_STYLE_FROM_FILE
                             : ATELIER_STYLE_FROM_LAYER;
}

/* ---- the dialog ---- */

/* The colours' image, unless it is the one loaded; a failure is kept as
 * the preview's note. */
static void
load_colors (ColorDialog *d)
{
  AtelierColorVals *vals  = d->vals;
  GError           *error = NULL;
  gchar            *key;

  key = vals->source == ATELIER_STYLE_FROM_LAYER
        ? g_strdup_printf ("layer:%d", vals->layer)
        : g_strdup_printf ("file:%s", vals->file);
  if (d->loaded && ! strcmp (d->loaded, key))
    {
      g_free (key);
      return;
    }
  g_free (d->loaded);
  d->loaded = key;
  g_clear_object (&d->colors);
  g_clear_pointer (&d->load_error, g_free);
  if (vals->source == ATELIER_STYLE_FROM_LAYER)
    {
      if (gimp_item_is_valid (vals->layer))
        {
          GeglBuffer *buffer = gimp_drawable_get_buffer (vals->layer);

          d->colors = gegl_buffer_dup (buffer);
          g_object_unref (buffer);
        }
    }
  else if (*vals->file)
    {
      AtelierNet *net = NULL;
      gint        net_style;

      if (atelier_plugin_load_style (d->ctx, vals->file, &d->colors, &net,
                                     &net_style, &error) && net)
        g_set_error (&error, ATELIER_PLUGIN_ERROR,
                     ATELIER_PLUGIN_ERROR_CALLING,
                     _("%s is a style network; Color Transfer takes the "
                       "colors of an image"), vals->file);
      atelier_net_free (net);
    }
  if (error)
    d->load_error = g_strdup (error->message);
  g_clear_error (&error);
}

static void
preview_update (GimpPreview *preview,
                ColorDialog *d)
{
  AtelierColorJob job = { d->vals, NULL };

  load_colors (d);
  if (! d->colors)
    {
      atelier_plugin_preview_render (preview, d->message, d->ctx, NULL, NULL,
                                     d->load_error ? d->load_error :
                                     _("Choose the layer or image whose "
                                       "colors to take"));
      return;
    }
  job.style = d->colors;
  atelier_plugin_preview_render (preview, d->message, d->ctx,
                                 atelier_color_render, &job, NULL);
}

/* The source changed: OK only when its colours load (else the message
 * says why, with the preview on or off), and a new preview. */
static void
source_changed (ColorDialog *d)
{
  if (! d->preview)
    return;
  load_colors (d);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (d->dialog), GTK_RESPONSE_OK,
                                     d->colors != NULL);
  gtk_label_set_text (GTK_LABEL (d->message),
                      d->load_error ? d->load_error : "");
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
}

static void
layer_changed (GimpIntComboBox *combo,
               ColorDialog     *d)
{
  gint layer_ID;

  if (gimp_int_combo_box_get_active (combo, &layer_ID))
    d->vals->layer = layer_ID;
  source_changed (d);
}

static void
file_set (GtkFileChooserButton *button,
          ColorDialog          *d)
{
  gchar *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (button));

  g_strlcpy (d->vals->file, path ? path : "", sizeof d->vals->file);
  g_free (path);
  source_changed (d);
}

static void
source_toggled (GtkToggleButton *radio,
                ColorDialog     *d)
{
  gint *source = g_object_get_data (G_OBJECT (radio), "atelier-source");

  if (! gtk_toggle_button_get_active (radio))
    return;
  d->vals->source = GPOINTER_TO_INT (source);
  source_changed (d);
}

/* "Colors from": a layer or an image file */
static void
add_source (ColorDialog *d,
            gint32       drawable_ID,
            GtkWidget   *table)
{
  GtkWidget *layer_radio, *file_radio, *combo, *chooser;

  layer_radio = gtk_radio_button_new_with_mnemonic (NULL,
                                                    _("Colors from _layer:"));
  file_radio  = gtk_radio_button_new_with_mnemonic_from_widget (
                  GTK_RADIO_BUTTON (layer_radio), _("Colors from _file:"));
  g_object_set_data (G_OBJECT (layer_radio), "atelier-source",
                     GINT_TO_POINTER (ATELIER_STYLE_FROM_LAYER));
  g_object_set_data (G_OBJECT (file_radio), "atelier-source",
                     GINT_TO_POINTER (ATELIER_STYLE_FROM_FILE));
  gimp_help_set_help_data (layer_radio, _("The colors of a layer of any "
                                          "open image"), NULL);
  gimp_help_set_help_data (file_radio, _("The colors of an image file"),
                           NULL);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (
    d->vals->source == ATELIER_STYLE_FROM_FILE ? file_radio : layer_radio),
    TRUE);
  gtk_table_attach (GTK_TABLE (table), layer_radio, 0, 1, 0, 1,
                    GTK_FILL, GTK_FILL, 0, 0);
  gtk_table_attach (GTK_TABLE (table), file_radio, 0, 1, 1, 2,
                    GTK_FILL, GTK_FILL, 0, 0);

  combo = atelier_plugin_layer_combo_new (d->vals->layer, drawable_ID);
  gimp_help_set_help_data (combo, _("The layer whose colors to take: any "
                                    "layer of any open image"), NULL);
  gtk_table_attach_defaults (GTK_TABLE (table), combo, 1, 3, 0, 1);
  g_signal_connect (combo, "changed", G_CALLBACK (layer_changed), d);
  layer_changed (GIMP_INT_COMBO_BOX (combo), d);

  chooser = atelier_plugin_image_chooser_new (_("Choose the Colors' Image"),
                                              FALSE, d->vals->file);
  gimp_help_set_help_data (chooser, _("An image whose colors to take"),
                           NULL);
  gtk_table_attach_defaults (GTK_TABLE (table), chooser, 1, 3, 1, 2);
  g_signal_connect (chooser, "file-set", G_CALLBACK (file_set), d);
  g_signal_connect (layer_radio, "toggled", G_CALLBACK (source_toggled), d);
  g_signal_connect (file_radio, "toggled", G_CALLBACK (source_toggled), d);
}

static gboolean
color_dialog (gint32   drawable_ID,
              gpointer data)
{
  AtelierColorVals *vals  = data;
  ColorDialog       d     = { .vals = vals };
  GError           *error = NULL;
  GtkWidget        *dialog, *vbox, *hbox, *left, *right, *table, *toggle;
  GtkWidget        *frame;
  GtkObject        *adj;
  gboolean          run;

  if (! (d.ctx = atelier_plugin_context_new (&error)))
    {
      g_message ("%s", error->message);
      g_clear_error (&error);
      return FALSE;
    }
  dialog = d.dialog = atelier_plugin_dialog_new (_("Color Transfer"),
                                                 PLUG_IN_ROLE, &vbox);
  hbox   = gtk_hbox_new (FALSE, 12);
  left   = gtk_vbox_new (FALSE, 6);
  right  = gtk_vbox_new (FALSE, 12);
  gtk_box_pack_start (GTK_BOX (vbox), hbox, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), left, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), right, FALSE, FALSE, 0);
  gtk_widget_show_all (hbox);
  d.preview = atelier_plugin_preview_new (drawable_ID, left, &d.message);
  g_signal_connect (d.preview, "invalidated",
                    G_CALLBACK (preview_update), &d);

  table = gtk_table_new (3, 3, FALSE);
  gtk_table_set_col_spacings (GTK_TABLE (table), 6);
  gtk_table_set_row_spacings (GTK_TABLE (table), 6);
  gtk_box_pack_start (GTK_BOX (right), table, FALSE, FALSE, 0);
  add_source (&d, drawable_ID, table);

  adj = gimp_scale_entry_new (GTK_TABLE (table), 0, 2, _("S_trength (%):"),
                              SCALE_WIDTH, SPIN_WIDTH, vals->strength,
                              0.0, 100.0, 1.0, 10.0, 0, TRUE, 0, 0,
                              _("How far to go: 0 keeps the layer's colors, "
                                "100 takes the other image's"), NULL);
  g_signal_connect (adj, "value-changed",
                    G_CALLBACK (gimp_double_adjustment_update),
                    &vals->strength);
  g_signal_connect_swapped (adj, "value-changed",
                            G_CALLBACK (gimp_preview_invalidate), d.preview);
  gtk_widget_show_all (table);

  toggle = gtk_check_button_new_with_mnemonic (_("Preserve lumi_nance"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle),
                                vals->preserve_luminance);
  gimp_help_set_help_data (toggle, _("Keep each pixel's lightness; take "
                                     "only the hues"), NULL);
  gtk_box_pack_start (GTK_BOX (right), toggle, FALSE, FALSE, 0);
  gtk_widget_show (toggle);
  g_signal_connect (toggle, "toggled",
                    G_CALLBACK (gimp_toggle_button_update),
                    &vals->preserve_luminance);
  g_signal_connect_swapped (toggle, "toggled",
                            G_CALLBACK (gimp_preview_invalidate), d.preview);

  frame = atelier_plugin_output_frame_new (&vals->output,
                                           _("Ne_w layer, named after the "
                                             "colors' image"));
  gtk_box_pack_start (GTK_BOX (right), frame, FALSE, FALSE, 0);
  source_changed (&d);

  gtk_widget_show (dialog);
  run = gimp_dialog_run (GIMP_DIALOG (dialog)) == GTK_RESPONSE_OK;
  gtk_widget_destroy (dialog);
  g_clear_object (&d.colors);
  g_free (d.loaded);
  g_free (d.load_error);
  atelier_context_free (d.ctx);
  return run;
}

/* ---- the procedures ---- */

gboolean
atelier_color_transfer_owns (const gchar *name)
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
  gboolean      file = style_type == GIMP_PDB_STRING;
  GPtrArray    *t    = g_ptr_array_new_with_free_func (g_free);
  GimpParamDef  args[] =
  {
    ATELIER_PDB_FILTER_ARGS ("recolor"),
    { style_type, "style", (gchar *) style_help },
    { GIMP_PDB_FLOAT, "strength", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_COLOR_DOC_STRENGTH, ATELIER_COLOR_DEFAULT_STRENGTH)) },
    { GIMP_PDB_INT32, "preserve-luminance",
      ATELIER_COLOR_DOC_PRESERVE " { FALSE (0), TRUE (1) } (default 0)" },
    { GIMP_PDB_INT32, "output", ATELIER_COLOR_DOC_OUTPUT
      " { NEW-LAYER (0), REPLACE (1) }" }
  };

  gimp_install_procedure (name, ATELIER_COLOR_BLURB, ATELIER_COLOR_HELP,
                          PLUG_IN_AUTHOR, PLUG_IN_COPYRIGHT, PLUG_IN_DATE,
                          menu_label, "RGB*, GRAY*", GIMP_PLUGIN,
                          file ? N_ARGS_FILE : N_ARGS, file ? 1 : 0,
                          args, file ? results : NULL);
  g_ptr_array_free (t, TRUE);
}

void
atelier_color_transfer_install (void)
{
  install (PLUG_IN_PROC, GIMP_PDB_DRAWABLE, ATELIER_COLOR_DOC_STYLE,
           N_("Color _Transfer..."));
  gimp_plugin_menu_register (PLUG_IN_PROC, ATELIER_COLOR_MENU);
  install (PLUG_IN_PROC_FILE, GIMP_PDB_STRING, ATELIER_COLOR_DOC_FILE, NULL);
}

static gboolean
vals_from_params (const gchar      *name,
                  gint              nparams,
                  const GimpParam  *param,
                  gpointer          data,
                  GError          **error)
{
  AtelierColorVals *vals = data;

  if (! strcmp (name, PLUG_IN_PROC_FILE))
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
      vals->output = param[6].data.d_int32;
    }
  else
    {
      vals->source = ATELIER_STYLE_FROM_LAYER;
      vals->layer  = param[3].data.d_drawable;
      vals->output = ATELIER_PLUGIN_OUTPUT_REPLACE;
    }
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
  gboolean          file = ! strcmp (name, PLUG_IN_PROC_FILE);
  AtelierColorVals  vals;
  AtelierPluginRun  run  = { _("Color Transfer"),
                             file ? N_ARGS_FILE : N_ARGS, &vals, sizeof vals,
                             color_dialog, vals_from_params, forget_layer,
                             0 };
  GimpPDBStatusType status;
  gint32            image_ID, drawable_ID, result_ID;

  atelier_color_vals_init (&vals);
  status = atelier_plugin_read_vals (&run, name, nparams, param, error);
  if (status != GIMP_PDB_SUCCESS)
    return status;
  image_ID    = param[1].data.d_image;
  drawable_ID = param[2].data.d_drawable;

  if (! atelier_color_vals_check (&vals, error) ||
      ! atelier_plugin_check_target (image_ID, drawable_ID, run.filter,
                                     vals.output ==
                                     ATELIER_PLUGIN_OUTPUT_NEW_LAYER, error) ||
      ! atelier_color_transfer_layer (image_ID, drawable_ID, &vals,
                                      &result_ID, error))
    return atelier_plugin_error_status (*error);

  if (param[0].data.d_int32 != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  atelier_plugin_set_vals (name, &vals, sizeof vals);
  if (file)
    {
      result->type         = GIMP_PDB_LAYER;
      result->data.d_layer = result_ID;
    }
  return GIMP_PDB_SUCCESS;
}
