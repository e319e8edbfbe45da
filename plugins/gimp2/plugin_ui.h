/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 2.10 plug-in: dialog glue shared by the filters (the
 * preview's render is plugin_preview.h, shared with GIMP 3).
 */
#ifndef ATELIER_PLUGIN_UI_H
#define ATELIER_PLUGIN_UI_H

#include "plugin_preview.h"
#include "plugin_style_transfer.h"

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

/* A combo of every layer of every open image but target_ID (the layer
 * being changed), set to layer_ID, or to the first layer when layer_ID is
 * not one of them. */
GtkWidget * atelier_plugin_layer_combo_new (gint32                  layer_ID,
                                            gint32                  target_ID);

/* A file chooser button for a style or colours image (and, with
 * networks, .atnet files), set to file when it exists. */
GtkWidget * atelier_plugin_image_chooser_new (const gchar          *title,
                                              gboolean              networks,
                                              const gchar          *file);

/* The "Output" radio frame on *output: new_layer_label, or replace. */
GtkWidget * atelier_plugin_output_frame_new (gint                  *output,
                                             const gchar           *new_layer_label);

/* Shows Style Transfer's dialog for drawable_ID (plugin_style_dialog.c);
 * TRUE when the user chose OK, with vals updated. */
gboolean    atelier_style_dialog          (gint32                  drawable_ID,
                                           AtelierStyleVals       *vals);

#endif /* ATELIER_PLUGIN_UI_H */
