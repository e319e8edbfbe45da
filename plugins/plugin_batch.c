/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — restyle many files in one call, for both GIMPs.
 *
 *   plug-in-atelier-batch  restyles every input file after one style and
 *                          writes OUTPUT-DIR/<name>.<png|jpg|tif>
 *
 * No GIMP image is made: every file goes through the engine's GEGL adapter
 * (load, stylize, save) in this one process, and the style is loaded once.
 * The inputs come from a file, one path a line, so a batch has no size
 * limit (a Script-Fu string stops at 1024 bytes).  A file that fails is
 * reported and the batch goes on; the return value counts the failures.
 * The report gets one line as each input ends, written through to the
 * disk, so a kill or a time-out loses nothing that was done.  SIGINT,
 * SIGTERM and SIGHUP stop the batch between two strips of the save, never
 * inside it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gegl.h>
#include <glib/gstdio.h>

#include "plugin_batch.h"

/* The signal that stops the batch, 0 while none did.  A plug-in is one
 * process running one procedure, so a static is its natural home. */
static volatile sig_atomic_t stop_signal = 0;

static void
on_stop (int signum)
{
  stop_signal = signum;
}

static void
catch_stop_signals (void)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  struct sigaction action;
  gsize            i;

  memset (&action, 0, sizeof action);
  action.sa_handler = on_stop;
  sigemptyset (&action.sa_mask);
  for (i = 0; i < G_N_ELEMENTS (signals); i++)
    sigaction (signals[i], &action, NULL);
}

/* The engine's progress while restyling: GIMP's bar, unless a stop signal
 * came (then the engine cancels). */
static bool
batch_progress (float  fraction,
                void  *data)
{
  return ! stop_signal && atelier_plugin_progress (fraction, data);
}

/* The save's: no PDB call there (if GIMP is gone, a PDB call ends the
 * plug-in), only the stop signal. */
static bool
save_progress (float  fraction,
               void  *data)
{
  return ! stop_signal;
}

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

/* The pixel budget for atelier_gegl_load. */
static uint64_t
budget (const AtelierBatchArgs *args)
{
  return (uint64_t) (args->max_megapixels * 1048576.0);
}

/* TRUE when output exists and decodes whole: an earlier run wrote it (its
 * saves are atomic, so an output is either complete or absent, unless
 * something else wrote it). */
static gboolean
complete (AtelierContext  *ctx,
          const AtelierBatchArgs *args,
          const gchar     *output)
{
  GeglBuffer *buffer = NULL;

  if (! g_file_test (output, G_FILE_TEST_IS_REGULAR) ||
      atelier_gegl_load (ctx, output, budget (args), &buffer) != ATELIER_OK)
    return FALSE;
  g_object_unref (buffer);
  return TRUE;
}

/* Restyles input into output; NULL on success, else why not (freed by
 * the caller). */
static gchar *
process_one (AtelierContext      *ctx,
             const AtelierBatchArgs     *args,
             const AtelierParams *params,
             GeglBuffer          *style,
             const AtelierNet    *net,
             gint                 net_style,
             const gchar         *input,
             const gchar         *output)
{
  GeglBuffer   *content = NULL, *out = NULL;
  AtelierStatus st;
  gchar        *why = NULL;

  if (same_file (input, output))
    return g_strdup (_("the output would overwrite the input"));
  if (same_file (args->style, output))
    return g_strdup (_("the output would overwrite the style"));

  if ((st = atelier_gegl_load (ctx, input, budget (args), &content)) ==
      ATELIER_OK)
    {
      out = atelier_gegl_new_output (content);
      st  = net ? atelier_gegl_net_stylize (ctx, params, net, net_style,
                                            content, NULL, out) :
                  atelier_gegl_stylize (ctx, params, content, style, NULL,
                                        out);
      if (st == ATELIER_OK)
        st = atelier_gegl_save (ctx, out, output, save_progress, NULL);
    }
  if (st == ATELIER_CANCELLED && stop_signal)
    why = g_strdup (_("stopped by a signal"));
  else if (st != ATELIER_OK)
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
check_args (const AtelierBatchArgs  *args,
            GError          **error)
{
  gchar   *dir;
  gboolean is_dir;
  gboolean ok = TRUE;

  if (! atelier_style_vals_check (&args->vals, error))
    return FALSE;
  if (! (args->max_megapixels >= 0.0 && args->max_megapixels <= 1048576.0))
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                   _("max-megapixels %g is outside 0..1048576"),
                   args->max_megapixels);
      return FALSE;
    }
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

/* The inputs file's paths: every non-empty line, byte for byte (a
 * trailing blank or CR is part of the name). */
static gchar **
read_inputs (const gchar  *path,
             GError      **error)
{
  gchar  *text = NULL;
  gsize   length;
  GError *read_error = NULL;
  gchar **lines;
  gint    i, n = 0;

  if (! *path)
    {
      g_set_error_literal (error, ATELIER_PLUGIN_ERROR,
                           ATELIER_PLUGIN_ERROR_CALLING,
                           _("No inputs file given"));
      return NULL;
    }
  if (! g_file_get_contents (path, &text, &length, &read_error))
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("Cannot read the inputs file %s: %s"), path,
                   read_error->message);
      g_error_free (read_error);
      return NULL;
    }
  if (memchr (text, '\0', length))
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                   _("The inputs file %s holds a NUL byte: one path a line, "
                     "please"), path);
      g_free (text);
      return NULL;
    }
  lines = g_strsplit (text, "\n", -1);
  g_free (text);
  for (i = 0; lines[i]; i++)
    if (*lines[i])
      lines[n++] = lines[i];
    else
      g_free (lines[i]);
  lines[n] = NULL;
  return lines;
}

/* Appends one line to the report and pushes it to the disk, so that what
 * is reported done survives a kill of GIMP or of the machine. */
static gboolean
report_line (gint          fd,
             const gchar  *report,
             GError      **error,
             const gchar  *format,
             ...) G_GNUC_PRINTF (4, 5);

static gboolean
report_line (gint          fd,
             const gchar  *report,
             GError      **error,
             const gchar  *format,
             ...)
{
  va_list  args;
  gchar   *line;
  gsize    done = 0, length;
  gboolean ok   = TRUE;

  if (fd < 0)
    return TRUE;
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  length = strlen (line);
  while (ok && done < length)
    {
      gssize n = write (fd, line + done, length - done);

      if (n < 0 && errno == EINTR)
        continue;
      ok    = n > 0;
      done += ok ? (gsize) n : 0;
    }
  ok = ok && fdatasync (fd) == 0;
  if (! ok)
    g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_EXECUTION,
                 _("Cannot write the report %s: %s"), report,
                 g_strerror (errno));
  g_free (line);
  return ok;
}

gboolean
atelier_batch (const AtelierBatchArgs  *args,
               gint                    *n_failed,
               GError                 **error)
{
  AtelierPluginProgress progress;
  AtelierParams         params;
  AtelierContext       *ctx     = NULL;
  GeglBuffer           *style   = NULL;
  AtelierNet           *net     = NULL;
  gint                  net_style = 0;
  GHashTable           *written = g_hash_table_new_full (g_str_hash,
                                                         g_str_equal,
                                                         g_free, NULL);
  gchar               **inputs  = NULL;
  gboolean              ok      = FALSE;
  gint                  report  = -1;
  guint                 i, n;

  *n_failed = 0;
  if (! check_args (args, error) ||
      ! (inputs = read_inputs (args->inputs_file, error)) ||
      ! (ctx = atelier_plugin_context_new (error)) ||
      ! atelier_plugin_load_style (ctx, args->style, &style, &net, &net_style,
                                   error) ||
      ! make_output_dir (args->output_dir, error))
    goto out;
  if (*args->report &&
      (report = open (args->report, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                      0666)) < 0)
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("Cannot write the report %s: %s"), args->report,
                   g_strerror (errno));
      goto out;
    }

  atelier_style_vals_to_params (&args->vals, &params);
  params.progress      = batch_progress;
  params.progress_data = &progress;
  catch_stop_signals ();

  n = g_strv_length (inputs);
  gimp_progress_init (_("Style transfer"));
  for (i = 0; i < n && ! stop_signal; i++)
    {
      const gchar *input  = inputs[i];
      gchar       *output = output_path (args->output_dir, input);
      gchar       *base   = g_filename_display_basename (input);
      gchar       *why    = NULL;
      gboolean     line_ok;

      gimp_progress_set_text_printf (_("Style transfer %u of %u: %s"),
                                     i + 1, n, base);
      atelier_plugin_progress_init (&progress, (gdouble) i / n, 1.0 / n);
      if (g_hash_table_contains (written, output))
        why = g_strdup_printf (_("%s was already written from another "
                                 "input of the same name"), output);
      else if (args->resume && complete (ctx, args, output))
        {
          line_ok = report_line (report, args->report, error,
                                 "%u skip %s -> %s\n", i + 1, input, output);
          g_hash_table_add (written, g_steal_pointer (&output));
          g_free (base);
          if (! line_ok)
            goto out;
          continue;
        }
      else
        why = process_one (ctx, args, &params, style, net, net_style, input,
                           output);

      if (why && stop_signal)
        line_ok = TRUE;   /* not done: the report leaves it out */
      else if (why)
        {
          (*n_failed)++;
          line_ok = report_line (report, args->report, error,
                                 "%u FAIL %s: %s\n", i + 1, input, why);
        }
      else
        {
          line_ok = report_line (report, args->report, error,
                                 "%u ok %s -> %s\n", i + 1, input, output);
          g_hash_table_add (written, g_strdup (output));
        }
      g_free (why);
      g_free (base);
      g_free (output);
      if (! line_ok)
        goto out;
    }
  if (stop_signal)
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("Stopped by signal %d after %u of %u inputs"),
                   (gint) stop_signal, i, n);
      goto out;
    }
  gimp_progress_update (1.0);
  gimp_progress_end ();
  ok = TRUE;

out:
  if (report >= 0 && close (report) != 0 && ok)
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("Cannot write the report %s: %s"), args->report,
                   g_strerror (errno));
      ok = FALSE;
    }
  atelier_context_free (ctx);
  g_clear_object (&style);
  atelier_net_free (net);
  g_strfreev (inputs);
  g_hash_table_destroy (written);
  return ok;
}

