/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — Color Transfer's values and run logic (plugin_color_run.c),
 * shared by both GIMPs' procedures and dialogs.
 */
#ifndef ATELIER_PLUGIN_COLOR_TRANSFER_H
#define ATELIER_PLUGIN_COLOR_TRANSFER_H

#include "plugin_common.h"

#define ATELIER_COLOR_PROC             "plug-in-atelier-color-transfer"
#define ATELIER_COLOR_PROC_FILE        "plug-in-atelier-color-transfer-file"
/* GIMP's own Colors › Map, beside Sample Colorize and Rotate Colors */
#define ATELIER_COLOR_MENU             "<Image>/Colors/Map"
#define ATELIER_COLOR_DEFAULT_STRENGTH 100.0  /* percent: the whole transfer */

/* The procedure's documentation, the same in both GIMPs' PDB. */
#define ATELIER_COLOR_BLURB N_("Give the layer the colors of another layer")
#define ATELIER_COLOR_HELP \
  "Transfers the color statistics (mean and covariance of RGB) of the " \
  "style drawable onto the drawable, in place and inside the selection."
#define ATELIER_COLOR_DOC_STYLE \
  "The layer whose colors to take: any layer of any open image"
#define ATELIER_COLOR_DOC_STRENGTH \
  "How far to go, 0..100 (default %g): 0 keeps the colors, 100 takes " \
  "the style's mean and covariance"
#define ATELIER_COLOR_DOC_FILE \
  "The image whose colors to take: a file (PNG, JPEG, TIFF, WebP) or an " \
  "installed style image's name"
#define ATELIER_COLOR_DOC_PRESERVE "Keep each pixel's luma"
#define ATELIER_COLOR_DOC_OUTPUT \
  "Where the result goes: a new layer above the drawable, named after " \
  "the colors' image, or the drawable itself; either way only inside " \
  "the selection"

/* The procedures' arguments, and GIMP 2.10's last values (stored with
 * gimp_set_data()).  New fields at the end. */
typedef struct
{
  gint32   layer;               /* the colors' drawable, FROM_LAYER */
  gdouble  strength;            /* percent, 0..100                  */
  gboolean preserve_luminance;
  gint     source;              /* AtelierStyleSource               */
  gchar    file[4096];          /* the colors' image, FROM_FILE     */
  gint     output;              /* AtelierPluginOutput              */
} AtelierColorVals;

/* What atelier_color_render() needs besides the buffers. */
typedef struct
{
  const AtelierColorVals *vals;
  GeglBuffer             *style;
} AtelierColorJob;

/* The defaults: from a layer (none yet), the whole transfer, in place. */
void          atelier_color_vals_init  (AtelierColorVals       *vals);

/* Checks strength, preserve-luminance and output are in range and, from
 * a layer, that the layer exists (a CALLING error for the first that is
 * not). */
gboolean      atelier_color_vals_check (const AtelierColorVals *vals,
                                        GError                **error);

/* An AtelierPluginRenderFunc; data is an AtelierColorJob. */
AtelierStatus atelier_color_render     (AtelierContext         *ctx,
                                        GeglBuffer             *content,
                                        GeglBuffer             *out,
                                        gpointer                data);

/* Gives drawable_ID of image_ID the colours of vals' layer or image file,
 * inside the selection, as one undo step: in place or into a new layer;
 * *result_ID is the layer changed. */
gboolean atelier_color_transfer_layer (gint32                  image_ID,
                                       gint32                  drawable_ID,
                                       const AtelierColorVals *vals,
                                       gint32                 *result_ID,
                                       GError                **error);

#endif /* ATELIER_PLUGIN_COLOR_TRANSFER_H */
