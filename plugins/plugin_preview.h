/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — the dialogs' preview render, for both GIMPs.
 *
 * The preview is a GimpZoomPreview: by default it shows the whole layer
 * scaled to the preview, and it is rendered with the same adapter call as
 * the final result, so strokes keep their size relative to the image (a
 * 1:1 crop would show them many times too small on a large image).
 */
#ifndef ATELIER_PLUGIN_PREVIEW_H
#define ATELIER_PLUGIN_PREVIEW_H

#include "plugin_style_transfer.h"

#include <libgimp/gimpui.h>

/* Draws the preview's visible area restyled by func (the preview's own
 * pixels as content), or as it is when func is NULL or fails; the label
 * message shows note, or func's error. */
void        atelier_plugin_preview_render (GimpPreview             *preview,
                                           GtkWidget               *message,
                                           AtelierContext          *ctx,
                                           AtelierPluginRenderFunc  func,
                                           gpointer                 data,
                                           const gchar             *note);

/* Sets the preview's render of job (its params those of the final
 * render): a network runs at the final render's scale of the layer, so
 * its strokes look as OK will paint them; the example-based engine at
 * preview quality. */
void        atelier_plugin_preview_params (GimpPreview             *preview,
                                           AtelierStyleJob         *job);

/* The style combos' columns: a thumbnail, the label. */
enum { ATELIER_STYLE_COLUMN_THUMB, ATELIER_STYLE_COLUMN_LABEL };

#define ATELIER_THUMB_SIZE 40   /* px: a style's thumbnail in the combos */

/* A combo of store's rows: thumbnail, label. */
GtkWidget * atelier_plugin_style_combo_new (GtkListStore            *store);

/* A catalogue style's thumbnail: a network's is the engine's (the style
 * on its test card); an image's is the image itself.  net and net_path
 * keep the last network loaded, as the styles of one network follow each
 * other in the catalogue.  NULL when it cannot be made: the row shows no
 * picture, the style still works or reports why when chosen. */
GdkPixbuf * atelier_plugin_style_thumbnail (AtelierContext          *ctx,
                                            const AtelierStyleEntry *e,
                                            AtelierNet             **net,
                                            gchar                  **net_path);

/* Appends catalogue style e's row (its thumbnail, its label in the
 * user's language) to store and, unless NULL, to store2; net and
 * net_path as for atelier_plugin_style_thumbnail. */
void        atelier_plugin_style_rows_append (AtelierContext          *ctx,
                                              const AtelierStyleEntry *e,
                                              AtelierNet             **net,
                                              gchar                  **net_path,
                                              GtkListStore            *store,
                                              GtkListStore            *store2);

#endif /* ATELIER_PLUGIN_PREVIEW_H */
