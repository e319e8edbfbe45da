/* Atelier — GIMP 2.10 plug-in: what the Style Transfer procedures
 * (plugin_style_transfer.c) and their dialog (plugin_style_dialog.c)
 * share.
 */
#ifndef ATELIER_PLUGIN_STYLE_TRANSFER_H
#define ATELIER_PLUGIN_STYLE_TRANSFER_H

#include "plugin_common.h"

#define ATELIER_STYLE_PROC      "plug-in-atelier-style-transfer"
#define ATELIER_STYLE_PROC_FILE "plug-in-atelier-style-transfer-file"

typedef enum
{
  ATELIER_STYLE_FROM_FILE,
  ATELIER_STYLE_FROM_LAYER
} AtelierStyleSource;

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
} AtelierStyleVals;

/* What atelier_style_render() needs besides the buffers. */
typedef struct
{
  AtelierParams     params;
  GeglBuffer       *style;   /* the style image, or NULL and: */
  const AtelierNet *net;     /* a style network (not owned)   */
  gint              net_style; /* ... and its style's index   */
} AtelierStyleJob;

void          atelier_style_vals_to_params (const AtelierStyleVals *vals,
                                            AtelierParams          *params);

/* Checks vals: strength, style-scale, quality, preserve-colors and output
 * in their ranges (a CALLING error for the first that is not) and, for
 * FROM_LAYER, that the style layer still exists. */
gboolean      atelier_style_vals_check     (const AtelierStyleVals *vals,
                                            GError                **error);

/* An AtelierPluginRenderFunc; data is an AtelierStyleJob. */
AtelierStatus atelier_style_render         (AtelierContext         *ctx,
                                            GeglBuffer             *content,
                                            GeglBuffer             *out,
                                            gpointer                data);

/* Shows the dialog for drawable_ID; TRUE when the user chose OK, with
 * vals updated. */
gboolean      atelier_style_dialog         (gint32                  drawable_ID,
                                            AtelierStyleVals       *vals);

#endif /* ATELIER_PLUGIN_STYLE_TRANSFER_H */
