/* Atelier — GIMP 2.10 plug-in: restyle many files in one call.
 *
 *   plug-in-atelier-batch  restyles every input file after one style and
 *                          writes OUTPUT-DIR/<name>.<png|jpg|tif>
 *
 * No GIMP image is made: every file goes through the engine's GEGL adapter
 * (load, stylize, save) in this one process, and the style is loaded once.
 * A file that fails is reported and the batch goes on; the return value
 * counts the failures.  Non-interactive only; no menu entry.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <gegl.h>
#include <glib/gstdio.h>

#include "plugin_common.h"
#include "plugin_families.h"
#include "plugin_style_transfer.h"

#define PLUG_IN_PROC "plug-in-atelier-batch"
#define N_ARGS       10

/* The procedure's arguments, as given. */
typedef struct
{
  const gchar      *style;
  /* strength .. seed, as Style Transfer's values: source FROM_FILE (the
   * style stays in style above, of any length), output NEW_LAYER */
  AtelierStyleVals  vals;
  const gchar      *output_dir;
  const gchar      *inputs;
  const gchar      *report;
} BatchArgs;

/* OUTPUT-DIR/<basename without extension>.<ext>: JPEG and TIFF inputs keep
 * their format, everything else becomes PNG. */
static gchar *
output_path (const gchar *output_dir,
             const gchar *input)
{
  gchar       *base = g_path_get_basename (input);
  gchar       *dot  = strrchr (base, '.');
  const gchar *ext  = "png";
  gchar       *name, *path;

  if (dot && dot != base)
    {
      if (! g_ascii_strcasecmp (dot, ".jpg") ||
          ! g_ascii_strcasecmp (dot, ".jpeg"))
        ext = "jpg";
      else if (! g_ascii_strcasecmp (dot, ".tif") ||
               ! g_ascii_strcasecmp (dot, ".tiff"))
        ext = "tif";
      *dot = '\0';
    }
  name = g_strconcat (base, ".", ext, NULL);
  path = g_build_filename (output_dir, name, NULL);
  g_free (name);
  g_free (base);
  return path;
}

/* TRUE when a and b name the same existing file. */
static gboolean
same_file (const gchar *a,
           const gchar *b)
{
  GStatBuf sa, sb;

  return g_stat (a, &sa) == 0 && g_stat (b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Restyles input into output; NULL on success, else why not (freed by
 * the caller). */
static gchar *
process_one (AtelierContext      *ctx,
             const AtelierParams *params,
             GeglBuffer          *style,
             const gchar         *input,
             const gchar         *output)
{
  GeglBuffer   *content = NULL, *out = NULL;
  AtelierStatus st;
  gchar        *why = NULL;

  if (same_file (input, output))
    return g_strdup (_("the output would overwrite the input"));

  if ((st = atelier_gegl_load (ctx, input, 0, &content)) == ATELIER_OK)
    {
      out = atelier_gegl_new_output (content);
      if ((st = atelier_gegl_stylize (ctx, params, content, style, NULL,
                                      out)) == ATELIER_OK)
        st = atelier_gegl_save (ctx, out, output, NULL, NULL);
    }
  if (st != ATELIER_OK)
    {
      GError *engine_error = NULL;

      /* the context's detail, else the status; never "Cancelled", as
       * atelier_plugin_progress never cancels */
      atelier_plugin_engine_error (ctx, st, &engine_error);
      why = g_strdup (engine_error->message);
      g_error_free (engine_error);
    }
  g_clear_object (&content);
  g_clear_object (&out);
  return why;
}

/* Checks the arguments and that the report can be written. */
static gboolean
check_args (const BatchArgs  *args,
            GError          **error)
{
  gchar   *dir;
  gboolean is_dir;
  gboolean ok = TRUE;

  if (! atelier_style_vals_check (&args->vals, error))
    return FALSE;
  if (! *args->output_dir)
    {
      g_set_error_literal (error, ATELIER_PLUGIN_ERROR,
                           ATELIER_PLUGIN_ERROR_CALLING,
                           _("No output folder given"));
      return FALSE;
    }
  if (! *args->report)
    return TRUE;
  dir    = g_path_get_dirname (args->report);
  is_dir = g_file_test (args->report, G_FILE_TEST_IS_DIR);
  if (is_dir || access (dir, W_OK) != 0)
    {
      /* errno from access(), before any other call can change it */
      gint saved_errno = is_dir ? EISDIR : errno;

      g_set_error (error, ATELIER_PLUGIN_ERROR,
                   ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("Cannot write the report %s: %s"), args->report,
                   g_strerror (saved_errno));
      ok = FALSE;
    }
  g_free (dir);
  return ok;
}

/* Makes the output folder if needed; the last check before any file is
 * written. */
static gboolean
make_output_dir (const gchar  *dir,
                 GError      **error)
{
  if (g_mkdir_with_parents (dir, 0777) == 0 && access (dir, W_OK) == 0)
    return TRUE;
  g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_EXECUTION,
               _("Cannot write to the output folder %s: %s"), dir,
               g_strerror (errno));
  return FALSE;
}

static gboolean
batch (const BatchArgs  *args,
       gint             *n_failed,
       GError          **error)
{
  AtelierPluginProgress progress;
  AtelierParams         params;
  AtelierContext       *ctx     = NULL;
  GeglBuffer           *style   = NULL;
  GString              *report  = g_string_new (NULL);
  GHashTable           *written = g_hash_table_new_full (g_str_hash,
                                                         g_str_equal,
                                                         g_free, NULL);
  gchar               **lines   = g_strsplit (args->inputs, "\n", -1);
  GPtrArray            *inputs  = g_ptr_array_new ();
  GError               *report_error = NULL;
  gboolean              ok      = FALSE;
  guint                 i;

  *n_failed = 0;
  if (! check_args (args, error) ||
      ! (ctx = atelier_plugin_context_new (error)) ||
      ! atelier_plugin_load_style (ctx, args->style, &style, error) ||
      ! make_output_dir (args->output_dir, error))
    goto out;

  atelier_style_vals_to_params (&args->vals, &params);
  params.progress      = atelier_plugin_progress;
  params.progress_data = &progress;

  for (i = 0; lines[i]; i++)
    {
      g_strchomp (lines[i]);          /* a CR of CRLF lines, trailing blanks */
      if (*lines[i])
        g_ptr_array_add (inputs, lines[i]);
    }

  gimp_progress_init (_("Style transfer"));
  for (i = 0; i < inputs->len; i++)
    {
      const gchar *input  = g_ptr_array_index (inputs, i);
      gchar       *output = output_path (args->output_dir, input);
      gchar       *base   = g_path_get_basename (input);
      gchar       *why;

      gimp_progress_set_text_printf (_("Style transfer %u of %u: %s"),
                                     i + 1, inputs->len, base);
      atelier_plugin_progress_init (&progress, (gdouble) i / inputs->len,
                                    1.0 / inputs->len);
      if (g_hash_table_contains (written, output))
        why = g_strdup_printf (_("%s was already written from another "
                                 "input of the same name"), output);
      else
        why = process_one (ctx, &params, style, input, output);

      if (why)
        {
          g_string_append_printf (report, "FAIL %s: %s\n", input, why);
          (*n_failed)++;
        }
      else
        {
          g_string_append_printf (report, "ok %s -> %s\n", input, output);
          g_hash_table_add (written, g_strdup (output));
        }
      g_free (why);
      g_free (base);
      g_free (output);
    }
  gimp_progress_update (1.0);
  gimp_progress_end ();

  /* g_file_set_contents writes a temporary file and renames it */
  ok = ! *args->report ||
       g_file_set_contents (args->report, report->str, report->len,
                            &report_error);
  if (! ok)
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR,
                   ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("Cannot write the report %s: %s"), args->report,
                   report_error->message);
      g_clear_error (&report_error);
    }

out:
  atelier_context_free (ctx);
  g_clear_object (&style);
  g_ptr_array_free (inputs, TRUE);
  g_strfreev (lines);
  g_hash_table_destroy (written);
  g_string_free (report, TRUE);
  return ok;
}

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
    { GIMP_PDB_INT32, "n-failed", "How many inputs failed (see the report)" }
  };
  AtelierParams d = atelier_plugin_defaults ();
  GPtrArray    *t = g_ptr_array_new_with_free_func (g_free);
  GimpParamDef  args[] =
  {
    { GIMP_PDB_INT32, "run-mode",
      "The run mode { RUN-NONINTERACTIVE (1) }; there is no dialog" },
    { GIMP_PDB_STRING, "style",
      "The style: an image file (PNG, JPEG, TIFF, WebP) or a preset name" },
    { GIMP_PDB_FLOAT, "strength", atelier_plugin_keep (t, g_strdup_printf (
      "How much freedom the style gets, 0..100 (default %g)",
      100.0 * d.strength)) },
    { GIMP_PDB_FLOAT, "style-scale", atelier_plugin_keep (t, g_strdup_printf (
      "Size of the style's strokes, 0.25..4 (default %g)", d.style_scale)) },
    { GIMP_PDB_INT32, "quality", atelier_plugin_keep (t, g_strdup_printf (
      "{ PREVIEW (0), NORMAL (1), BEST (2) } (default %d)", d.quality)) },
    { GIMP_PDB_INT32, "preserve-colors", atelier_plugin_keep (t,
      g_strdup_printf ("{ FALSE (0), TRUE (1) } (default %d)",
                       d.preserve_colors)) },
    { GIMP_PDB_INT32, "seed", atelier_plugin_keep (t, g_strdup_printf (
      "Random seed, taken modulo 2^32 (default %u)", d.seed)) },
    { GIMP_PDB_STRING, "output-dir",
      "Folder for the results, made if missing: <name>.jpg for JPEG "
      "inputs, <name>.tif for TIFF, else <name>.png" },
    { GIMP_PDB_STRING, "inputs", "Input file paths, one a line" },
    { GIMP_PDB_STRING, "report-file",
      "Where to write the report (\"\" for none), one line an input: "
      "\"ok IN -> OUT\" or \"FAIL IN: reason\"" }
  };

  gimp_install_procedure (PLUG_IN_PROC,
                          N_("Restyle many image files after one style"),
                          "Loads the style once, then restyles every input "
                          "file and saves it into output-dir, without "
                          "opening images in GIMP.  A file that fails is "
                          "reported and the batch goes on; the call fails "
                          "only when nothing can be attempted (bad "
                          "arguments or style, output-dir not writable).",
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
  BatchArgs args;
  gint      n_failed;

  if (! atelier_plugin_check_n_args (name, N_ARGS, nparams, error))
    return GIMP_PDB_CALLING_ERROR;
  /* every run mode runs without a dialog */
  memset (&args.vals, 0, sizeof args.vals);
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
  args.inputs     = param[8].data.d_string ? param[8].data.d_string : "";
  args.report     = param[9].data.d_string ? param[9].data.d_string : "";

  if (! batch (&args, &n_failed, error))
    return atelier_plugin_error_status (*error);
  result->type         = GIMP_PDB_INT32;
  result->data.d_int32 = n_failed;
  return GIMP_PDB_SUCCESS;
}
