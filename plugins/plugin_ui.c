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

static void
set_busy (GtkWidget *widget,
          gboolean   busy)
{
  GdkWindow *window = gtk_widget_get_window (gtk_widget_get_toplevel (widget));
  GdkCursor *cursor;

  if (! window)
    return;
  cursor = busy ? gdk_cursor_new_for_display (gtk_widget_get_display (widget),
                                              GDK_WATCH) : NULL;
  gdk_window_set_cursor (window, cursor);
  if (cursor)
    gdk_cursor_unref (cursor);
  gdk_flush ();
}

void
atelier_plugin_preview_render (GimpPreview             *preview,
                               GtkWidget               *message,
                               AtelierContext          *ctx,
                               AtelierPluginRenderFunc  func,
                               gpointer                 data,
                               const gchar             *note)
{
  GimpZoomPreview *zoom     = GIMP_ZOOM_PREVIEW (preview);
  gint32           drawable = gimp_zoom_preview_get_drawable_id (zoom);
  const Babl      *format   = gimp_drawable_get_thumbnail_format (drawable);
  gint             width, height, bpp;
  guchar          *pixels;

  pixels = gimp_zoom_preview_get_source (zoom, &width, &height, &bpp);
  if (! pixels)
    return;

  if (func)
    {
      GeglRectangle rect = { 0, 0, width, height };
      GeglBuffer   *content, *out;
      AtelierStatus st;

      /* the preview's pixels are the content: a scaled copy of the layer */
      content = gegl_buffer_linear_new_from_data (pixels, format, &rect,
                                                  width * bpp, NULL, NULL);
      out     = gegl_buffer_new (&rect, format);
      set_busy (GTK_WIDGET (preview), TRUE);
      st = func (ctx, content, out, data);
      set_busy (GTK_WIDGET (preview), FALSE);
      g_object_unref (content);
      if (st == ATELIER_OK)
        gegl_buffer_get (out, &rect, 1.0, format, pixels, width * bpp,
                         GEGL_ABYSS_NONE);
      else if (! note)
        note = atelier_context_error (ctx);
      g_object_unref (out);
    }

  gimp_preview_draw_buffer (preview, pixels, width * bpp);
  gtk_label_set_text (GTK_LABEL (message), note ? note : "");
  g_free (pixels);
}

GtkWidget *
atelier_plugin_layer_combo_new (gint32 layer_ID)
{
  GtkWidget *combo = gimp_layer_combo_box_new (NULL, NULL);

  if (! gimp_int_combo_box_set_active (GIMP_INT_COMBO_BOX (combo), layer_ID))
    gtk_combo_box_set_active (GTK_COMBO_BOX (combo), 0);
  return combo;
}
