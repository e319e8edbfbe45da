/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — the dialogs' preview render, for both GIMPs (GTK 2 and 3).
 * See plugin_preview.h.
 */
#include <string.h>

#include <gegl.h>

#include "plugin_preview.h"

#ifdef ATELIER_GIMP3
#define zoom_preview_drawable gimp_zoom_preview_get_drawable
#else
#define zoom_preview_drawable gimp_zoom_preview_get_drawable_id
#endif

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
#if GTK_CHECK_VERSION (3, 0, 0)
    g_object_unref (cursor);
#else
    gdk_cursor_unref (cursor);
#endif
  gdk_display_flush (gtk_widget_get_display (widget));
}

/* A network's strokes are sized by the resolution it runs at, so the
 * preview (a zoomed copy of the layer) runs it at the final render's
 * scale of the layer: the final's working size over the layer (or the
 * selection's box, as the zoom preview shows it), divided by the
 * preview's pixels per layer pixel. */
static gfloat
preview_work_scale (GimpPreview         *preview,
                    const AtelierParams *final,
                    const AtelierNet    *net)
{
  GimpZoomPreview *zoom = GIMP_ZOOM_PREVIEW (preview);
  gint             x, y, w, h, pw, ph, ww, wh;
  gdouble          z;

  if (! gimp_drawable_mask_intersect (zoom_preview_drawable (zoom),
                                     &x, &y, &w, &h) ||
      w < 1 || h < 1)
    return 0.0f;
  gimp_preview_get_size (preview, &pw, &ph);
  z = gimp_zoom_preview_get_factor (zoom) * MIN ((gdouble) pw / w,
                                                 (gdouble) ph / h);
  atelier_net_working_size (final, net, w, h, &ww, &wh);
  return z > 0.0 ? (gfloat) CLAMP ((gdouble) ww / w / z, 0.0, 16.0) : 0.0f;
}

void
atelier_plugin_preview_params (GimpPreview     *preview,
                               AtelierStyleJob *job)
{
  if (job->net)
    job->params.work_scale = preview_work_scale (preview, &job->params,
                                                 job->net);
  else
    job->params.quality = ATELIER_QUALITY_PREVIEW;
}

void
atelier_plugin_preview_render (GimpPreview             *preview,
                               GtkWidget               *message,
                               AtelierContext          *ctx,
                               AtelierPluginRenderFunc  func,
                               gpointer                 data,
                               const gchar             *note)
{
  GimpZoomPreview *zoom   = GIMP_ZOOM_PREVIEW (preview);
  const Babl      *format = gimp_drawable_get_thumbnail_format (
                              zoom_preview_drawable (zoom));
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
atelier_plugin_style_combo_new (GtkListStore *store)
{
  GtkWidget       *combo = gtk_combo_box_new_with_model (GTK_TREE_MODEL (store));
  GtkCellRenderer *cell  = gtk_cell_renderer_pixbuf_new ();

  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (combo), cell, FALSE);
  gtk_cell_layout_set_attributes (GTK_CELL_LAYOUT (combo), cell,
                                  "pixbuf", ATELIER_STYLE_COLUMN_THUMB, NULL);
  cell = gtk_cell_renderer_text_new ();
  gtk_cell_layout_pack_start (GTK_CELL_LAYOUT (combo), cell, TRUE);
  gtk_cell_layout_set_attributes (GTK_CELL_LAYOUT (combo), cell,
                                  "text", ATELIER_STYLE_COLUMN_LABEL, NULL);
  return combo;
}

GdkPixbuf *
atelier_plugin_style_thumbnail (AtelierContext          *ctx,
                                const AtelierStyleEntry *e,
                                AtelierNet             **net,
                                gchar                  **net_path)
{
  const gint    side = ATELIER_THUMB_SIZE;
  GdkPixbuf    *pixbuf;
  AtelierImage  img  = { side, side, 4 * side, NULL };
  guchar       *pixels;
  gint          x, y, c, rowstride;

  if (e->kind == ATELIER_STYLE_IMAGE)
    return gdk_pixbuf_new_from_file_at_scale (e->path, side, side, TRUE,
                                              NULL);
  if (! *net_path || strcmp (*net_path, e->path))
    {
      g_clear_pointer (net, atelier_net_free);
      g_free (*net_path);
      *net_path = g_strdup (e->path);
      if (atelier_net_load (ctx, e->path, net) != ATELIER_OK)
        return NULL;
    }
  if (! *net || ! (img.data = g_try_new (gfloat, 4 * side * side)))
    return NULL;
  if (atelier_net_thumbnail (ctx, *net, MAX (e->net_style, 0), side, &img)
      != ATELIER_OK)
    {
      g_free (img.data);
      return NULL;
    }
  pixbuf    = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, side, side);
  pixels    = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (y = 0; y < side; y++)
    for (x = 0; x < side; x++)
      for (c = 0; c < 3; c++)
        pixels[y * rowstride + 3 * x + c] = (guchar)
          (CLAMP (img.data[4 * (y * side + x) + c], 0.0f, 1.0f) * 255.0f
           + 0.5f);
  g_free (img.data);
  return pixbuf;
}

void
atelier_plugin_style_rows_append (AtelierContext          *ctx,
                                  const AtelierStyleEntry *e,
                                  AtelierNet             **net,
                                  gchar                  **net_path,
                                  GtkListStore            *store,
                                  GtkListStore            *store2)
{
  const gchar  *label = atelier_style_label (e, NULL);
  GdkPixbuf    *thumb = atelier_plugin_style_thumbnail (ctx, e, net, net_path);
  GtkListStore *stores[2] = { store, store2 };
  GtkTreeIter   iter;
  gint          i;

  if (! g_utf8_validate (label, -1, NULL))
    label = e->name;
  for (i = 0; i < 2; i++)
    if (stores[i])
      {
        gtk_list_store_append (stores[i], &iter);
        gtk_list_store_set (stores[i], &iter,
                            ATELIER_STYLE_COLUMN_THUMB, thumb,
                            ATELIER_STYLE_COLUMN_LABEL, label, -1);
      }
  g_clear_object (&thumb);
}
