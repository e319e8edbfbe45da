/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — Style Transfer's values and run logic (plugin_style_run.c),
 * shared by both GIMPs' procedures and dialogs.
 */
#ifndef ATELIER_PLUGIN_STYLE_TRANSFER_H
#define ATELIER_PLUGIN_STYLE_TRANSFER_H

#include "plugin_common.h"

#define ATELIER_STYLE_PROC      "plug-in-atelier-style-transfer"
#define ATELIER_STYLE_PROC_FILE "plug-in-atelier-style-transfer-file"
#define ATELIER_STYLE_MENU      "<Image>/Filters/Artistic"

/* The procedures' documentation, the same in both GIMPs' PDB; a "%g" or
 * "%u" takes the engine's default. */
#define ATELIER_STYLE_BLURB \
  N_("Restyle the layer after a painting, pattern or photo")
#define ATELIER_STYLE_HELP \
  "Style transfer: repaints the drawable after the style, so strokes " \
  "and palette come from the style while shapes and labels stay " \
  "legible.  A style image is matched patch by patch (the example-" \
  "based engine); a trained style network (.atnet, or a shipped " \
  "style's name) paints in one pass."
#define ATELIER_STYLE_DOC_LAYER "The style: any layer of any open image"
#define ATELIER_STYLE_DOC_FILE \
  "The style: an image file (PNG, JPEG, TIFF, WebP), a style network " \
  "(.atnet), a style's name (atelier list-styles) or a mix of styles " \
  "of one network, \"starry-night=0.7,great-wave=0.3\""
#define ATELIER_STYLE_DOC_STRENGTH \
  "How much freedom the style gets, 0..100 (default %g): 0 keeps the " \
  "content, 100 paints over most of it"
#define ATELIER_STYLE_DOC_SCALE \
  "Size of the style's strokes relative to the content (to the " \
  "product, on a clean backdrop), 0.25..4 (default %g)"
#define ATELIER_STYLE_DOC_QUALITY "Working resolution and iterations"
#define ATELIER_STYLE_DOC_PRESERVE \
  "Restyle light and shade only, keep the colors"
#define ATELIER_STYLE_DOC_SEED \
  "Random seed: the same seed gives the same result; taken modulo " \
  "2^32 (default %u)"
#define ATELIER_STYLE_DOC_BACKDROP \
  "A flat backdrop the subject stands on (a product shot's white): auto " \
  "keeps it clean and sizes the strokes to the subject, off restyles " \
  "the whole frame alike; style images only (a style network paints " \
  "the whole frame)"
/* The dialogs' tooltip of "Keep a clean backdrop". */
#define ATELIER_STYLE_TIP_BACKDROP \
  N_("A flat background the subject stands on (a product shot's white) " \
     "stays clean and the strokes are sized to the subject; off, the " \
     "whole frame is restyled alike.  Style images only")
#define ATELIER_STYLE_DOC_OUTPUT \
  "Where the result goes: a new layer above the drawable, named after " \
  "the style, or the drawable itself; either way only inside the " \
  "selection"

/* The procedures' arguments, and the last values stored with
 * gimp_set_data() under the procedure's name.  New fields at the end. */
typedef struct
{
  gint     source;            /* AtelierStyleSource                   */
  gchar    file[4096];        /* style file or preset, FROM_FILE      */
  gint32   layer;             /* style drawable, FROM_LAYER           */
  gdouble  strength;          /* percent, 0..100                      */
  gdouble  style_scale;       /* 0.25..4                              */
  gint     quality;           /* AtelierQuality                       */
  gboolean preserve_colors;
  guint32  seed;
  gboolean random_seed;       /* the dialog's "Randomize"             */
  gint     output;            /* AtelierPluginOutput                  */
  gint     backdrop;          /* AtelierBackdrop                      */
} AtelierStyleVals;

/* What atelier_style_render() needs besides the buffers. */
typedef struct
{
  AtelierParams     params;
  GeglBuffer       *style;   /* the style image, or NULL and: */
  const AtelierNet *net;     /* a style network (not owned)   */
  gint              net_style; /* ... and its style's index   */
} AtelierStyleJob;

/* The engine's defaults: style from a file (none yet), new layer. */
void          atelier_style_vals_init      (AtelierStyleVals       *vals);

void          atelier_style_vals_to_params (const AtelierStyleVals *vals,
                                            AtelierParams          *params);

/* Checks vals: strength, style-scale, quality, preserve-colors, output
 * and backdrop in their ranges (a CALLING error for the first that is
 * not) and, for FROM_LAYER, that the style layer still exists. */
gboolean      atelier_style_vals_check     (const AtelierStyleVals *vals,
                                            GError                **error);

/* An AtelierPluginRenderFunc; data is an AtelierStyleJob. */
AtelierStatus atelier_style_render         (AtelierContext         *ctx,
                                            GeglBuffer             *content,
                                            GeglBuffer             *out,
                                            gpointer                data);

/* Restyles drawable_ID of image_ID after vals (checked) as one undo step,
 * with GIMP's progress bar; *result_ID is the layer that holds the
 * result. */
gboolean      atelier_style_transfer_layer (gint32                  image_ID,
                                            gint32                  drawable_ID,
                                            const AtelierStyleVals *vals,
                                            gint32                 *result_ID,
                                            GError                **error);

#endif /* ATELIER_PLUGIN_STYLE_TRANSFER_H */
