/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 3 plug-in: what its procedures (plugin3_main.c) and
 * dialogs (plugin3_dialog.c) share.
 */
#ifndef ATELIER_PLUGIN3_H
#define ATELIER_PLUGIN3_H

#include <libgimp/gimp.h>

#include "plugin_color_transfer.h"
#include "plugin_style_transfer.h"

/* strength, style-scale, quality, preserve-colors, seed, output and
 * backdrop of a Style Transfer (or batch) config; the style is left at
 * "none". */
void     atelier_plugin3_style_vals           (GimpProcedureConfig *config,
                                               AtelierStyleVals    *vals);
guint32  atelier_plugin3_get_seed             (GimpProcedureConfig *config);

/* The dialog's own arguments (GIMP keeps them with the last values, not
 * in the PDB): style-source, style-name, style-file, random-seed. */
void     atelier_plugin3_style_dialog_arguments (GimpProcedure     *procedure);

/* The style the dialog chose (its aux arguments) into vals. */
void     atelier_plugin3_dialog_style         (GimpProcedureConfig *config,
                                               AtelierStyleVals    *vals);

/* Color Transfer's dialog arguments (style-source, style-file) and the
 * source they chose into vals (layer or file, and the output). */
void     atelier_plugin3_color_dialog_arguments (GimpProcedure     *procedure);
void     atelier_plugin3_dialog_colors        (GimpProcedureConfig *config,
                                               AtelierColorVals    *vals);

/* The dialogs on drawable of image; TRUE when the user chose OK, with
 * config updated. */
gboolean atelier_plugin3_style_dialog         (GimpProcedure       *procedure,
                                               GimpProcedureConfig *config,
                                               GimpImage           *image,
                                               GimpDrawable        *drawable);
gboolean atelier_plugin3_color_dialog         (GimpProcedure       *procedure,
                                               GimpProcedureConfig *config,
                                               GimpImage           *image,
                                               GimpDrawable        *drawable);

#endif /* ATELIER_PLUGIN3_H */
