/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 2.10 plug-in: dialog glue shared by the filters.
 * See plugin_ui.h.
 */
#include <gegl.h>

#include "plugin_ui.h"

#define PREVIEW_SIZE 320   /* pixels, the long side */

GtkWidget *
atelier_plugin_dialog_new (const gchar  *title,
                           const gchar  *role,
                           GtkWidget   **vbox)
{
  GtkWidget *dialog, *content;

  gimp_ui_init (PLUG_IN_BINARY, FALSE);
  dialog = gimp_dialog_new (title, role, NULL, 0,
                            NULL, NULL,     /* no help pages yet */
                            _("_Cancel"), GTK_RESPONSE_CANCEL,
                            _("_OK"),     GTK_RESPONSE_OK,
                            NULL);
  gtk_dialog_set_alternative_button_order (GTK_DIALOG (dialog),
                                           GTK_RESPONSE_OK,
                                           GTK_RESPONSE_CANCEL,
                                           -1);
  gimp_window_set_transient (GTK_WINDOW (dialog));

  *vbox = gtk_vbox_new (FALSE, 12);
  gtk_container_set_border_width (GTK_CONTAINER (*vbox), 12);
  content = gtk_dialog_get_content_area (GTK_DIALOG (dialog));
  gtk_box_pack_start (GTK_BOX (content), *vbox, TRUE, TRUE, 0);
  gtk_widget_show (*vbox);
  return dialog;
}

GtkWidget *
atelier_plugin_preview_new (gint32      drawable_ID,
                            GtkWidget  *vbox,
                            GtkWidget **message)
{
  static gboolean  rc_parsed = FALSE;
  GtkWidget       *preview;

  /* GimpPreview's default size is too small to judge strokes by */
  if (! rc_parsed)
    gtk_rc_parse_string ("style \"atelier-preview\" "
                         "{ GimpPreview::size = " G_STRINGIFY (PREVIEW_SIZE)
                         " }\n"
                         "widget \"*.atelier-preview\" "
                         "style \"atelier-preview\"\n");
  rc_parsed = TRUE;

  preview = gimp_zoom_preview_new_from_drawable_id (drawable_ID);
  gtk_widget_set_name (preview, "atelier-preview");

  gtk_box_pack_start (GTK_BOX (vbox), preview, TRUE, TRUE, 0);
  gtk_widget_show (preview);

  *message = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (*message), TRUE);
  gtk_misc_set_alignment (GTK_MISC (*message), 0.0, 0.5);
  gimp_label_set_attributes (GTK_LABEL (*message),
                             PANGO_ATTR_STYLE, PANGO_STYLE_ITALIC,
                             -1);
  gtk_box_pack_start (GTK_BOX (vbox), *message, FALSE, FALSE, 0);
  gtk_widget_show (*message);
  return preview;
}

/* every layer but the one being restyled: restyling a layer after
 * itself is never what was meant */
static gboolean
not_target (gint32   image_ID,
            gint32   item_ID,
            gpointer data)
{
  return item_ID != GPOINTER_TO_INT (data);
}

GtkWidget *
atelier_plugin_layer_combo_new (gint32 layer_ID,
                                gint32 target_ID)
{
  GtkWidget *combo = gimp_layer_combo_box_new (not_target,
                                               GINT_TO_POINTER (target_ID));

  if (! gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (combo), layer_ID))
    gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
  return combo;
}

GtkWidget *
atelier_plugin_image_chooser_new (const gchar *title,
                                  gboolean     networks,
                                  const gchar *file)
{
  static const gchar *const patterns[] =
    { "*.png", "*.jpg", "*.jpeg", "*.tif", "*.tiff", "*.webp", "*.atnet" };
  GtkWidget     *button;
  GtkFileFilter *filter = gtk_file_filter_new ();
  gsize          i;

  button = gtk_file_chooser_button_new (title, GTK_FILE_CHOOSER_ACTION_OPEN);
  gtk_file_filter_set_name (filter, networks ?
                            _("Images and style networks (PNG, JPEG, TIFF, "
                              "WebP, .atnet)") :
                            _("Images (PNG, JPEG, TIFF, WebP)"));
  for (i = 0; i < G_N_ELEMENTS (patterns) - (networks ? 0 : 1); i++)
    {
      gchar *upper = g_ascii_strup (patterns[i], -1);

      gtk_file_filter_add_pattern (filter, patterns[i]);
      gtk_file_filter_add_pattern (filter, upper);
      g_free (upper);
    }
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (button), filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All files"));
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (button), filter);
  if (file && *file && g_file_test (file, G_FILE_TEST_EXISTS))
    gtk_file_chooser_set_filename (GTK_FILE_CHOOSER (button), file);
  return button;
}

GtkWidget *
atelier_plugin_output_frame_new (gint        *output,
                                 const gchar *new_layer_label)
{
  GtkWidget *frame;

  frame = gimp_int_radio_group_new (TRUE, _("Output"),
                                    G_CALLBACK (gimp_radio_button_update),
                                    output, *output,
                                    new_layer_label,
                                    ATELIER_PLUGIN_OUTPUT_NEW_LAYER, NULL,
                                    _("Replace t_he layer"),
                                    ATELIER_PLUGIN_OUTPUT_REPLACE, NULL,
                                    NULL);
  gimp_help_set_help_data (frame, _("Where the result goes; either way "
                                    "only inside the selection"), NULL);
  gtk_widget_show (frame);
  return frame;
}
