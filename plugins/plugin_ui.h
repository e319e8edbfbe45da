/* Atelier — GIMP 2.10 plug-in: dialog glue shared by the filters.
 *
 * The preview is a GimpZoomPreview: by default it shows the whole layer
 * scaled to the preview, and it is rendered with the same adapter call as
 * the final result, so strokes keep their size relative to the image (a
 * 1:1 crop would show them many times too small on a large image).
 */
#ifndef ATELIER_PLUGIN_UI_H
#define ATELIER_PLUGIN_UI_H

#include "plugin_common.h"

#include <libgimp/gimpui.h>

/* A dialog with Cancel and OK, transient to GIMP's window, and *vbox, the
 * box to fill. */
GtkWidget * atelier_plugin_dialog_new     (const gchar             *title,
                                           const gchar             *role,
                                           GtkWidget              **vbox);

/* A zoom preview of drawable_ID packed into vbox, with *message, a label
 * under it for the preview's errors.  Connect to its "invalidated". */
GtkWidget * atelier_plugin_preview_new    (gint32                   drawable_ID,
                                           GtkWidget               *vbox,
                                           GtkWidget              **message);

/* Draws the preview's visible area restyled by func (the preview's own
 * pixels as content), or as it is when func is NULL or fails; the label
 * message shows note, or func's error. */
void        atelier_plugin_preview_render (GimpPreview             *preview,
                                           GtkWidget               *message,
                                           AtelierContext          *ctx,
                                           AtelierPluginRenderFunc  func,
                                           gpointer                 data,
                                           const gchar             *note);

/* A combo of every layer of every open image, set to layer_ID, or to the
 * first layer when layer_ID is not one. */
GtkWidget * atelier_plugin_layer_combo_new (gint32                  layer_ID);

#endif /* ATELIER_PLUGIN_UI_H */
