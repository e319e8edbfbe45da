/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 2.10 plug-in: the batch procedure (plugin_batch.c runs
 * it).  Non-interactive only; no menu entry.
 */
#include <string.h>

#include <gegl.h>

#include "plugin_batch.h"
#include "plugin_families.h"
#include "plugin_run2.h"

#define PLUG_IN_PROC ATELIER_BATCH_PROC
#define N_ARGS       13
/* backdrop, the last, came later: a call without it gets auto */
#define N_OPTIONAL   1

/* ---- the procedure ---- */

gboolean
atelier_batch_owns (const gchar *name)
{
  return ! strcmp (name, PLUG_IN_PROC);
}

void
atelier_batch_install (void)
{
  static const GimpParamDef results[] =
  {
    { GIMP_PDB_INT32, "n-failed", ATELIER_BATCH_DOC_N_FAILED }
  };
  AtelierParams d = atelier_plugin_defaults ();
  GPtrArray    *t = g_ptr_array_new_with_free_func (g_free);
  GimpParamDef  args[] =
  {
    { GIMP_PDB_INT32, "run-mode",
      "The run mode { RUN-NONINTERACTIVE (1) }; there is no dialog" },
    { GIMP_PDB_STRING, "style", ATELIER_STYLE_DOC_FILE },
    { GIMP_PDB_FLOAT, "strength", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_STRENGTH, 100.0 * d.strength)) },
    { GIMP_PDB_FLOAT, "style-scale", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_SCALE, d.style_scale)) },
    { GIMP_PDB_INT32, "quality", atelier_plugin_keep (t, g_strdup_printf (
      "{ PREVIEW (0), NORMAL (1), BEST (2) } (default %d)", d.quality)) },
    { GIMP_PDB_INT32, "preserve-colors", atelier_plugin_keep (t,
      g_strdup_printf ("{ FALSE (0), TRUE (1) } (default %d)",
                       d.preserve_colors)) },
    { GIMP_PDB_INT32, "seed", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_SEED, d.seed)) },
    { GIMP_PDB_STRING, "output-dir", ATELIER_BATCH_DOC_OUTPUT_DIR },
    { GIMP_PDB_STRING, "inputs-file", ATELIER_BATCH_DOC_INPUTS },
    { GIMP_PDB_STRING, "report-file", ATELIER_BATCH_DOC_REPORT },
    { GIMP_PDB_INT32, "resume",
      "{ FALSE (0), TRUE (1) }: " ATELIER_BATCH_DOC_RESUME },
    { GIMP_PDB_FLOAT, "max-megapixels", ATELIER_BATCH_DOC_MAX_MP },
    { GIMP_PDB_INT32, "backdrop", atelier_plugin_keep (t, g_strdup_printf (
      ATELIER_STYLE_DOC_BACKDROP " { AUTO (0), OFF (1) } (default %d)",
      d.backdrop)) }
  };

  gimp_install_procedure (PLUG_IN_PROC,
                          ATELIER_BATCH_BLURB, ATELIER_BATCH_HELP,
                          PLUG_IN_AUTHOR, PLUG_IN_COPYRIGHT, PLUG_IN_DATE,
                          NULL, "", GIMP_PLUGIN,
                          G_N_ELEMENTS (args), G_N_ELEMENTS (results),
                          args, results);
  g_ptr_array_free (t, TRUE);
}

GimpPDBStatusType
atelier_batch_run (const gchar      *name,
                   gint              nparams,
                   const GimpParam  *param,
                   GimpParam        *result,
                   GError          **error)
{
  AtelierBatchArgs args;
  gint      n_failed;

  if (! atelier_plugin_check_n_args (name, N_ARGS, N_OPTIONAL, nparams,
                                     error))
    return GIMP_PDB_CALLING_ERROR;
  /* every run mode runs without a dialog */
  atelier_style_vals_init (&args.vals);
  args.style                = param[1].data.d_string;
  args.vals.source          = ATELIER_STYLE_FROM_FILE;
  args.vals.layer           = -1;
  args.vals.strength        = param[2].data.d_float;
  args.vals.style_scale     = param[3].data.d_float;
  args.vals.quality         = param[4].data.d_int32;
  args.vals.preserve_colors = param[5].data.d_int32;
  args.vals.seed            = (guint32) param[6].data.d_int32;
  args.vals.output          = ATELIER_PLUGIN_OUTPUT_NEW_LAYER;
  args.output_dir = param[7].data.d_string ? param[7].data.d_string : "";
  args.inputs_file = param[8].data.d_string ? param[8].data.d_string : "";
  args.report     = param[9].data.d_string ? param[9].data.d_string : "";
  args.resume     = param[10].data.d_int32 != 0;
  args.max_megapixels = param[11].data.d_float;
  if (nparams > 12)
    args.vals.backdrop = param[12].data.d_int32;

  if (! atelier_batch (&args, &n_failed, error))
    return atelier_plugin_error_status (*error);
  result->type         = GIMP_PDB_INT32;
  result->data.d_int32 = n_failed;
  return GIMP_PDB_SUCCESS;
}
