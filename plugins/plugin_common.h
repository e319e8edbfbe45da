/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — the glue both GIMP front ends share.
 *
 * One binary, PLUG_IN_BINARY, installs every plug-in-atelier-* procedure,
 * for GIMP 2.10 (plugin_main.c) or GIMP 3 (gimp3/plugin3_main.c).  The
 * front ends register the procedures, convert PDB arguments to a family's
 * values (AtelierStyleVals, AtelierColorVals, AtelierBatchArgs) and build
 * the dialogs; the run logic (checks, style loading, the engine call, the
 * undo step) is here and in plugin_style_run.c, plugin_color_run.c and
 * plugin_batch.c, compiled for either GIMP through plugin_gimp.h.  No
 * family touches pixels.
 *
 * Errors travel as a GError in ATELIER_PLUGIN_ERROR: CALLING for a bad
 * argument, EXECUTION for everything else; each front end turns it into
 * its GIMP's status and message.
 */
#ifndef ATELIER_PLUGIN_COMMON_H
#define ATELIER_PLUGIN_COMMON_H

#include "plugin_gimp.h"

#include "atelier.h"

#ifndef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE "atelier"
#endif
#include <glib/gi18n-lib.h>

#define PLUG_IN_BINARY    "atelier"
#define PLUG_IN_AUTHOR    "The Atelier authors"
#define PLUG_IN_COPYRIGHT "The Atelier authors"
#define PLUG_IN_DATE      "2026"

/* Where a result goes.  The PDB's output parameter. */
typedef enum
{
  ATELIER_PLUGIN_OUTPUT_NEW_LAYER = 0,  /* a new layer above the source */
  ATELIER_PLUGIN_OUTPUT_REPLACE   = 1   /* the source drawable itself   */
} AtelierPluginOutput;

/* Where a style (or a colour reference) comes from. */
typedef enum
{
  ATELIER_STYLE_FROM_FILE,   /* an image file, a network or a style's name */
  ATELIER_STYLE_FROM_LAYER   /* a layer of any open image                  */
} AtelierStyleSource;

#define ATELIER_PLUGIN_ERROR (atelier_plugin_error_quark ())

typedef enum
{
  ATELIER_PLUGIN_ERROR_CALLING,    /* GIMP_PDB_CALLING_ERROR   */
  ATELIER_PLUGIN_ERROR_EXECUTION   /* GIMP_PDB_EXECUTION_ERROR */
} AtelierPluginErrorCode;

GQuark            atelier_plugin_error_quark  (void);
GimpPDBStatusType atelier_plugin_error_status (const GError *error);

/* Binds the "atelier" text domain to the locale/ directory beside the
 * binary (else LOCALEDIR) and returns that directory. */
const gchar *     atelier_plugin_init_i18n    (void);

/* The engine's defaults, from atelier_params_init(). */
AtelierParams     atelier_plugin_defaults     (void);

/* Adds text to texts (which frees it) and returns it: for the PDB
 * descriptions built from the defaults. */
gchar *           atelier_plugin_keep         (GPtrArray     *texts,
                                               gchar         *text);

/* The worker threads GIMP's preferences allow (GEGL's "threads"). */
gint              atelier_plugin_n_threads    (void);

/* Sets a CALLING error "NAME VALUE is outside LOWER..UPPER" unless
 * lower <= value <= upper (NaN is outside). */
gboolean          atelier_plugin_check_range  (const gchar   *name,
                                               gdouble        value,
                                               gdouble        lower,
                                               gdouble        upper,
                                               GError       **error);

/* Maps an engine status (not ATELIER_OK) and the context's detail to an
 * error: INVALID_PARAM is a CALLING error, the rest EXECUTION.  Returns
 * FALSE, so `return atelier_plugin_engine_error (...)` reads well. */
gboolean          atelier_plugin_engine_error (AtelierContext *ctx,
                                               AtelierStatus   status,
                                               GError        **error);

/* A context with GIMP's number of threads, or an error. */
AtelierContext *  atelier_plugin_context_new  (GError        **error);

/* Checks that filter (the translated name of the filter, for messages)
 * can change drawable_ID of image_ID: a layer, not a group, not indexed,
 * at least ATELIER_MIN_SIZE on each side, touched by the selection; when
 * new_layer, that the image has no floating selection. */
gboolean          atelier_plugin_check_target (gint32          image_ID,
                                               gint32          drawable_ID,
                                               const gchar    *filter,
                                               gboolean        new_layer,
                                               GError        **error);

/* Checks that drawable_ID still exists and is a drawable. */
gboolean          atelier_plugin_check_style_drawable
                                              (gint32          drawable_ID,
                                               GError        **error);

/* Loads the style NAME: an image file, a style network (.atnet, told by
 * its first bytes) or the name of a style in the catalogue (the GIMP
 * profile's atelier-styles folder, the user's and the shipped styles).
 * On success either *buffer is the style image (caller unrefs) or *net
 * the network (caller frees with atelier_net_free) and *net_style the
 * style's index in it; the other is NULL. */
gboolean          atelier_plugin_load_style   (AtelierContext *ctx,
                                               const gchar    *name,
                                               GeglBuffer    **buffer,
                                               AtelierNet    **net,
                                               gint           *net_style,
                                               GError        **error);

/* The name a result layer gets after the style file path: its basename
 * without extension.  Caller frees. */
/* The style catalogue the plug-in sees (caller frees); a file it skips
 * is said once with g_message. */
AtelierStyles *   atelier_plugin_styles       (AtelierContext *ctx);

gchar *           atelier_plugin_style_label  (const gchar    *path);

/* AtelierProgressFunc for the engine: gimp_progress_update() at most ten
 * times a second, mapping 0..1 to offset..offset + span. */
typedef struct
{
  gdouble offset;
  gdouble span;
  gint64  last;
} AtelierPluginProgress;

void              atelier_plugin_progress_init (AtelierPluginProgress *progress,
                                                gdouble                offset,
                                                gdouble                span);
bool              atelier_plugin_progress      (float                  fraction,
                                                void                  *data);

/* Computes out from content; both are the target's size.  Writes out only
 * on success (the adapter's promise). */
typedef AtelierStatus (* AtelierPluginRenderFunc) (AtelierContext *ctx,
                                                   GeglBuffer     *content,
                                                   GeglBuffer     *out,
                                                   gpointer        data);

/* Runs func on drawable_ID's pixels and applies the result as one undo
 * step, inside the selection: into a new layer named layer_name right
 * above the drawable, or into the drawable.  Nothing in the image changes
 * before func has succeeded.  *result_ID is the changed layer. */
gboolean          atelier_plugin_render (AtelierContext           *ctx,
                                         gint32                    image_ID,
                                         gint32                    drawable_ID,
                                         AtelierPluginOutput       output,
                                         const gchar              *layer_name,
                                         AtelierPluginRenderFunc   func,
                                         gpointer                  data,
                                         gint32                   *result_ID,
                                         GError                  **error);

#endif /* ATELIER_PLUGIN_COMMON_H */
