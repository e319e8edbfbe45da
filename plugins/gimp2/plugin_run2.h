/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 2.10 plug-in: its run modes and last values.
 *
 * GIMP 3 has GimpProcedureConfig for both; GIMP 2.10 hands a plug-in a
 * GimpParam array and a session-long gimp_set_data(), so this front end
 * reads the run mode itself and keeps a copy of the values in the
 * profile.
 */
#ifndef ATELIER_PLUGIN_RUN2_H
#define ATELIER_PLUGIN_RUN2_H

#include "plugin_common.h"

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
  /* the values from a non-interactive call's nparams arguments (name is
   * the procedure's: one family may install several); the last
   * n_optional of n_args may be missing, and keep their defaults */
  gboolean   (*from_params) (const gchar     *name,
                             gint             nparams,
                             const GimpParam *param,
                             gpointer         vals,
                             GError         **error);
  /* forgets the layers in last values of an earlier session of GIMP:
   * their IDs name other items now */
  void       (*forget_items) (gpointer         vals);
  /* how many of the last arguments came in a later version: a call
   * written before them may leave them out (from C; GIMP 2.10's
   * Script-Fu checks the count itself and wants all of them) */
  gint         n_optional;
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
 * n_args - n_optional <= nparams <= n_args. */
gboolean          atelier_plugin_check_n_args (const gchar   *name,
                                               gint           n_args,
                                               gint           n_optional,
                                               gint           nparams,
                                               GError       **error);

/* What every filter procedure's arguments start with (VERB: "restyle",
 * "recolor"), and the result of those that return the layer changed. */
#define ATELIER_PDB_FILTER_ARGS(verb)                                       \
  { GIMP_PDB_INT32, "run-mode",                                             \
    "The run mode { RUN-INTERACTIVE (0), RUN-NONINTERACTIVE (1) }" },       \
  { GIMP_PDB_IMAGE, "image", "Input image" },                               \
  { GIMP_PDB_DRAWABLE, "drawable",                                          \
    "The layer to " verb " (RGB or grayscale, at least 2x2)" }
#define ATELIER_PDB_RESULT_LAYER                                            \
  { GIMP_PDB_LAYER, "result", "The layer that holds the result: the new "   \
                              "layer, or the drawable when output is "      \
                              "REPLACE" }

#endif /* ATELIER_PLUGIN_RUN2_H */
