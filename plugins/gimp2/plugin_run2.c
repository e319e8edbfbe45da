/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 2.10 plug-in: its run modes and last values.
 * See plugin_run2.h.
 */
#include <string.h>

#include "plugin_run2.h"

/* GIMP 2.10 keeps gimp_set_data only for its session, so the last values
 * are also kept in the profile, as this plug-in's build wrote them: a
 * header of the Vals' size and the build's version, then the bytes.  A
 * file from another build or of another size is ignored. */
#define VALS_MAGIC "atelier-vals " ATELIER_VERSION " "

static gchar *
vals_file (const gchar *key)
{
  return g_build_filename (gimp_directory (), "atelier", key, NULL);
}

static gchar *
vals_header (gsize size)
{
  return g_strdup_printf ("%s%" G_GSIZE_FORMAT "\n", VALS_MAGIC, size);
}

gboolean
atelier_plugin_get_vals (const gchar *key,
                         gpointer     vals,
                         gsize        size,
                         gboolean    *from_profile)
{
  gchar   *path, *header, *text = NULL;
  gsize    length = 0;
  gboolean ok;

  *from_profile = FALSE;
  if (gimp_get_data_size (key) == (gint) size)
    return gimp_get_data (key, vals);
  path   = vals_file (key);
  header = vals_header (size);
  ok = g_file_get_contents (path, &text, &length, NULL) &&
       length == strlen (header) + size && g_str_has_prefix (text, header);
  if (ok)
    memcpy (vals, text + strlen (header), size);
  *from_profile = ok;
  g_free (text);
  g_free (header);
  g_free (path);
  return ok;
}

void
atelier_plugin_set_vals (const gchar   *key,
                         gconstpointer  vals,
                         gsize          size)
{
  gchar   *path   = vals_file (key);
  gchar   *dir    = g_path_get_dirname (path);
  gchar   *header = vals_header (size);
  GString *bytes  = g_string_new (header);

  gimp_set_data (key, vals, size);
  g_string_append_len (bytes, vals, (gssize) size);
  /* best effort: the session still has them if the profile is read-only */
  if (g_mkdir_with_parents (dir, 0777) == 0)
    g_file_set_contents (path, bytes->str, (gssize) bytes->len, NULL);
  g_string_free (bytes, TRUE);
  g_free (header);
  g_free (dir);
  g_free (path);
}

gboolean
atelier_plugin_check_n_args (const gchar  *name,
                             gint          n_args,
                             gint          n_optional,
                             gint          nparams,
                             GError      **error)
{
  if (nparams >= n_args - n_optional && nparams <= n_args)
    return TRUE;
  if (n_optional > 0)
    g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                 _("%s takes %d to %d arguments, not %d"), name,
                 n_args - n_optional, n_args, nparams);
  else
    g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                 _("%s takes %d arguments, not %d"), name, n_args, nparams);
  return FALSE;
}

/* The last values into run->vals, their layers forgotten when they come
 * from an earlier session. */
static void
last_vals (const AtelierPluginRun *run,
           const gchar            *name)
{
  gboolean from_profile;

  if (atelier_plugin_get_vals (name, run->vals, run->size, &from_profile) &&
      from_profile && run->forget_items)
    run->forget_items (run->vals);
}

GimpPDBStatusType
atelier_plugin_read_vals (const AtelierPluginRun *run,
                          const gchar            *name,
                          gint                    nparams,
                          const GimpParam        *param,
                          GError                **error)
{
  GimpRunMode run_mode;

  /* the interactive modes need the first three, a script all of them
   * but the optional ones (which come after those three, so fewer than
   * three never match) */
  if ((nparams < 3 || param[0].data.d_int32 == GIMP_RUN_NONINTERACTIVE) &&
      ! atelier_plugin_check_n_args (name, run->n_args, run->n_optional,
                                     nparams, error))
    return GIMP_PDB_CALLING_ERROR;
  run_mode = param[0].data.d_int32;
  switch (run_mode)
    {
    case GIMP_RUN_INTERACTIVE:
      last_vals (run, name);
      if (! atelier_plugin_check_target (param[1].data.d_image,
                                         param[2].data.d_drawable,
                                         run->filter, FALSE, error))
        return atelier_plugin_error_status (*error);
      return run->dialog (param[2].data.d_drawable, run->vals) ?
             GIMP_PDB_SUCCESS : GIMP_PDB_CANCEL;

    case GIMP_RUN_NONINTERACTIVE:
      if (! run->from_params (name, nparams, param, run->vals, error))
        return atelier_plugin_error_status (*error);
      return GIMP_PDB_SUCCESS;

    case GIMP_RUN_WITH_LAST_VALS:
      last_vals (run, name);
      return GIMP_PDB_SUCCESS;

    default:
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                   _("Unknown run mode %d"), run_mode);
      return GIMP_PDB_CALLING_ERROR;
    }
}

