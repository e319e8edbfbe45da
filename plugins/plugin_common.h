/* Atelier — GIMP 2.10 plug-in: glue shared by the procedure families.
 *
 * One binary, PLUG_IN_BINARY, installs every plug-in-atelier-* procedure
 * (plugin_main.c).  Each family file registers its procedures, maps PDB
 * parameters to and from its Vals, builds its dialog and calls the engine's
 * GEGL adapter through the helpers below; no family touches pixels.
 *
 * Errors travel as a GError in ATELIER_PLUGIN_ERROR: CALLING for a bad
 * argument, EXECUTION for everything else.  plugin_main.c turns it into
 * the status and the message as the second return value.
 */
#ifndef ATELIER_PLUGIN_COMMON_H
#define ATELIER_PLUGIN_COMMON_H

#include <libgimp/gimp.h>

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

/* Last values: gimp_get_data() only when the stored size is size, so an
 * older layout falls back to the defaults already in vals; else, after a
 * restart of GIMP, the copy atelier_plugin_set_vals keeps in the profile
 * (then *from_profile is TRUE: item IDs in vals are of another session). */
gboolean          atelier_plugin_get_vals     (const gchar   *key,
                                               gpointer       vals,
                                               gsize          size,
                                               gboolean      *from_profile);
void              atelier_plugin_set_vals     (const gchar   *key,
                                               gconstpointer  vals,
                                               gsize          size);

/* How a procedure gets its values, for atelier_plugin_read_vals(). */
typedef struct
{
  const gchar *filter;   /* the filter's translated name, for messages */
  gint         n_args;   /* the procedure's argument count             */
  gpointer     vals;     /* the family's values, holding its defaults  */
  gsize        size;
  /* the dialog on drawable_ID; FALSE when the user cancels */
  gboolean   (*dialog)      (gint32           drawable_ID,
                             gpointer         vals);
  /* the values from a non-interactive call's n_args arguments (name is
   * the procedure's: one family may install several) */
  gboolean   (*from_params) (const gchar     *name,
                             const GimpParam *param,
                             gpointer         vals,
                             GError         **error);
  /* forgets the layers in last values of an earlier session of GIMP:
   * their IDs name other items now */
  void       (*forget_items) (gpointer         vals);
} AtelierPluginRun;

/* Fills run->vals for the run mode in param[0]: interactive, the last
 * values, a check of the target (param[1], param[2]) and the dialog;
 * non-interactive, the arguments; with-last-values, the last values.
 * Returns GIMP_PDB_SUCCESS, GIMP_PDB_CANCEL, or an error's status with
 * *error set. */
GimpPDBStatusType atelier_plugin_read_vals    (const AtelierPluginRun *run,
                                               const gchar   *name,
                                               gint           nparams,
                                               const GimpParam *param,
                                               GError       **error);

/* Sets a CALLING error "NAME takes N_ARGS arguments, not NPARAMS" unless
 * nparams == n_args. */
gboolean          atelier_plugin_check_n_args (const gchar   *name,
                                               gint           n_args,
                                               gint           nparams,
                                               GError       **error);

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
