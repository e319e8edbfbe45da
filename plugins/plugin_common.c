/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — the glue both GIMP front ends share.  See plugin_common.h. */
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <gegl.h>

#include "plugin_common.h"

#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

#define PROGRESS_INTERVAL (G_USEC_PER_SEC / 10)

G_DEFINE_QUARK (atelier-plugin-error-quark, atelier_plugin_error)

GimpPDBStatusType
atelier_plugin_error_status (const GError *error)
{
  if (error && error->domain == ATELIER_PLUGIN_ERROR &&
      error->code == ATELIER_PLUGIN_ERROR_CALLING)
    return GIMP_PDB_CALLING_ERROR;
  return GIMP_PDB_EXECUTION_ERROR;
}

/* dirname (realpath ("/proc/self/exe"))/locale when it exists, so an
 * installed plug-in finds the catalogues copied beside it. */
static gchar *
find_locale_dir (void)
{
  char  *exe = realpath ("/proc/self/exe", NULL);
  gchar *dir = NULL;

  if (exe)
    {
      gchar *bin = g_path_get_dirname (exe);

      dir = g_build_filename (bin, "locale", NULL);
      if (! g_file_test (dir, G_FILE_TEST_IS_DIR))
        g_clear_pointer (&dir, g_free);
      g_free (bin);
      free (exe);
    }
  return dir ? dir : g_strdup (LOCALEDIR);
}

const gchar *
atelier_plugin_init_i18n (void)
{
  static gchar *locale_dir = NULL;

  if (! locale_dir)
    locale_dir = find_locale_dir ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, locale_dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  return locale_dir;
}

AtelierParams
atelier_plugin_defaults (void)
{
  AtelierParams params;

  atelier_params_init (&params);
  return params;
}

gchar *
atelier_plugin_keep (GPtrArray *texts,
                     gchar     *text)
{
  g_ptr_array_add (texts, text);
  return text;
}

gint
atelier_plugin_n_threads (void)
{
  gint threads = 0;

  /* libgimp sets GEGL's thread count from GIMP's preferences */
  g_object_get (gegl_config (), "threads", &threads, NULL);
  return CLAMP (threads, 0, 256);
}

/* The engine's messages in the user's language: its user-facing formats
 * are in this plug-in's catalogue (ATELIER_N_ in engine/). */
static const char *
translate_engine (const char *format,
                  void       *data)
{
  return g_dgettext (GETTEXT_PACKAGE, format);
}

AtelierContext *
atelier_plugin_context_new (GError **error)
{
  AtelierContext *ctx = atelier_context_new (atelier_plugin_n_threads ());

  if (ctx)
    atelier_context_set_translate (ctx, translate_engine, NULL);
  if (! ctx)
    g_set_error_literal (error, ATELIER_PLUGIN_ERROR,
                         ATELIER_PLUGIN_ERROR_EXECUTION,
                         atelier_status_to_string (ATELIER_ERR_NO_MEMORY));
  return ctx;
}

gboolean
atelier_plugin_check_range (const gchar  *name,
                            gdouble       value,
                            gdouble       lower,
                            gdouble       upper,
                            GError      **error)
{
  if (value >= lower && value <= upper)
    return TRUE;
  g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
               _("%s %g is outside %g..%g"), name, value, lower, upper);
  return FALSE;
}

gboolean
atelier_plugin_engine_error (AtelierContext  *ctx,
                             AtelierStatus    status,
                             GError         **error)
{
  const char *detail = ctx ? atelier_context_error (ctx) : "";

  if (status == ATELIER_CANCELLED)
    g_set_error_literal (error, ATELIER_PLUGIN_ERROR,
                         ATELIER_PLUGIN_ERROR_EXECUTION, _("Cancelled"));
  else
    g_set_error_literal (error, ATELIER_PLUGIN_ERROR,
                         status == ATELIER_ERR_INVALID_PARAM ?
                         ATELIER_PLUGIN_ERROR_CALLING :
                         ATELIER_PLUGIN_ERROR_EXECUTION,
                         *detail ? detail : atelier_status_to_string (status));
  return FALSE;
}

gboolean
atelier_plugin_check_target (gint32        image_ID,
                             gint32        drawable_ID,
                             const gchar  *filter,
                             gboolean      new_layer,
                             GError      **error)
{
  gint x, y, width, height;

  if (! atl_item_is_valid (drawable_ID) ||
      ! atl_item_is_drawable (drawable_ID) ||
      atl_item_get_image (drawable_ID) != image_ID)
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                   _("Drawable %d is not a drawable of image %d"),
                   drawable_ID, image_ID);
      return FALSE;
    }
  if (! atl_item_is_layer (drawable_ID) || atl_item_is_group (drawable_ID))
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR,
                   ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("%s works on layers, not on layer groups, masks or "
                     "channels; select a layer"), filter);
      return FALSE;
    }
  if (gimp_drawable_is_indexed (atl_drawable (drawable_ID)))
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR,
                   ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("%s works on RGB and grayscale images; convert the "
                     "image with Image › Mode › RGB"), filter);
      return FALSE;
    }
  width  = atl_drawable_width (drawable_ID);
  height = atl_drawable_height (drawable_ID);
  if (width < ATELIER_MIN_SIZE || height < ATELIER_MIN_SIZE)
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR,
                   ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("The layer is %d×%d pixels; %s needs at least %d×%d"),
                   width, height, filter, ATELIER_MIN_SIZE, ATELIER_MIN_SIZE);
      return FALSE;
    }
  if (! gimp_drawable_mask_intersect (atl_drawable (drawable_ID), &x, &y,
                                     &width, &height))
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR,
                   ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("The selection does not touch the layer; there is "
                     "nothing to change"));
      return FALSE;
    }
  if (new_layer && atl_image_has_floating_sel (image_ID))
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR,
                   ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("Anchor the floating selection, or make it a layer, "
                     "before adding a new layer"));
      return FALSE;
    }
  return TRUE;
}

gboolean
atelier_plugin_check_style_drawable (gint32   drawable_ID,
                                     GError **error)
{
  if (atl_item_is_valid (drawable_ID) && atl_item_is_drawable (drawable_ID))
    return TRUE;
  g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
               _("The style layer (%d) does not exist any more"),
               drawable_ID);
  return FALSE;
}

gboolean
atelier_plugin_load_style (AtelierContext  *ctx,
                           const gchar     *name,
                           GeglBuffer     **buffer,
                           AtelierNet     **net,
                           gint           *net_style,
                           GError         **error)
{
  AtelierStyles *styles = NULL;
  const char    *path   = NULL;
  AtelierStatus  st;
  gboolean       ok;

  *buffer    = NULL;
  *net       = NULL;
  *net_style = 0;
  if (! name || ! *name)
    {
      g_set_error_literal (error, ATELIER_PLUGIN_ERROR,
                           ATELIER_PLUGIN_ERROR_CALLING,
                           _("No style given: pass an image file or a "
                             "preset name"));
      return FALSE;
    }
  /* a catalogue that could not be read is only an error for a mix: a
   * name it would have held is simply not found */
  if (atelier_gegl_style_needs_catalogue (name) &&
      ! (styles = atelier_plugin_styles (ctx)) && atelier_style_is_mix (name))
    return atelier_plugin_engine_error (ctx, ATELIER_ERR_NO_MEMORY, error);
  st = atelier_gegl_load_style (ctx, styles, name, 0, buffer, net, net_style,
                                &path);
  /* a name or a file that is not there, in the plug-in's words */
  if (st != ATELIER_OK && ! atelier_style_is_mix (name) &&
      (! path || ! g_file_test (path, G_FILE_TEST_EXISTS)))
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR,
                   ATELIER_PLUGIN_ERROR_EXECUTION,
                   _("no such style file or preset: %s"), path ? path : name);
      ok = FALSE;
    }
  else
    ok = st == ATELIER_OK || atelier_plugin_engine_error (ctx, st, error);
  atelier_styles_free (styles);   /* path may be its entry's: used by now */
  return ok;
}

AtelierStyles *
atelier_plugin_styles (AtelierContext *ctx)
{
  gchar         *exe  = g_file_read_link ("/proc/self/exe", NULL);
  gchar         *here = exe ? g_path_get_dirname (exe) : g_strdup (".");
  gchar         *dirs[4];
  AtelierStyles *styles = NULL;
  gint           i;

  /* first wins: the user's own styles before the shipped ones */
  dirs[0] = g_build_filename (gimp_directory (), "atelier-styles", NULL);
  dirs[1] = g_build_filename (g_get_user_data_dir (), "atelier", "styles",
                              NULL);
  dirs[2] = g_build_filename (here, "models", NULL);
  dirs[3] = g_build_filename (g_get_user_data_dir (), "atelier", "models",
                              NULL);
  if (atelier_styles_scan (ctx, (const char *const *) dirs,
                           G_N_ELEMENTS (dirs), &styles) == ATELIER_OK)
    for (i = 0; i < atelier_styles_n_skipped (styles); i++)
      g_message (_("Style skipped: %s"), atelier_styles_skipped (styles, i));
  for (i = 0; i < (gint) G_N_ELEMENTS (dirs); i++)
    g_free (dirs[i]);
  g_free (here);
  g_free (exe);
  return styles;
}

gchar *
atelier_plugin_style_label (const gchar *path)
{
  gchar *label = g_path_get_basename (path);
  gchar *dot   = strrchr (label, '.');

  if (dot && dot != label)
    *dot = '\0';
  return label;
}

void
atelier_plugin_progress_init (AtelierPluginProgress *progress,
                              gdouble                offset,
                              gdouble                span)
{
  progress->offset = offset;
  progress->span   = span;
  progress->last   = 0;
}

bool
atelier_plugin_progress (float  fraction,
                         void  *data)
{
  AtelierPluginProgress *progress = data;
  gint64                 now      = g_get_monotonic_time ();

  if (fraction >= 1.0f || now - progress->last >= PROGRESS_INTERVAL)
    {
      progress->last = now;
      gimp_progress_update (progress->offset +
                            progress->span * CLAMP (fraction, 0.0f, 1.0f));
    }
  /* GIMP's Cancel kills the plug-in; only the shadow buffer was written */
  return true;
}

/* A copy of drawable_ID named name, right above it in its layer group. */
static gint32
new_layer_above (gint32        image_ID,
                 gint32        drawable_ID,
                 const gchar  *name,
                 GError      **error)
{
  gint32 layer_ID = atl_layer_new_from_drawable (drawable_ID, image_ID);

  if (layer_ID == -1)
    goto fail;
  gimp_item_set_name (atl_item (layer_ID), name);
  if (! atl_image_insert_layer (image_ID, layer_ID,
                                atl_item_parent (drawable_ID),
                                gimp_image_get_item_position (
                                  atl_image (image_ID),
                                  atl_item (drawable_ID))))
    {
      gimp_item_delete (atl_item (layer_ID));
      goto fail;
    }
  return layer_ID;

fail:
  g_set_error_literal (error, ATELIER_PLUGIN_ERROR,
                       ATELIER_PLUGIN_ERROR_EXECUTION,
                       _("Could not add the new layer"));
  return -1;
}

/* Full-size copies besides GIMP's own tiles: one for a new layer (the
 * result, until it goes into the layer's shadow), none for replace (the
 * adapter writes the shadow), plus the adapter's own result buffer.
 * Only the selection's bounding box is restyled, as the dialog's preview
 * shows it: the colours mapped and the strokes sized are the selection's,
 * not the whole layer's. */
gboolean
atelier_plugin_render (AtelierContext           *ctx,
                       gint32                    image_ID,
                       gint32                    drawable_ID,
                       AtelierPluginOutput       output,
                       const gchar              *layer_name,
                       AtelierPluginRenderFunc   func,
                       gpointer                  data,
                       gint32                   *result_ID,
                       GError                  **error)
{
  GeglBuffer   *layer   = gimp_drawable_get_buffer (atl_drawable (drawable_ID));
  GeglBuffer   *content, *out, *shadow = NULL;
  GeglRectangle box     = { 0, 0, 0, 0 };   /* the selection's, on the layer */
  gint32        target_ID = drawable_ID;
  gboolean      ok        = FALSE;
  AtelierStatus st;

  *result_ID = -1;
  gimp_drawable_mask_intersect (atl_drawable (drawable_ID), &box.x, &box.y,
                                &box.width, &box.height);
  content = gegl_buffer_create_sub_buffer (layer, &box);
  if (output == ATELIER_PLUGIN_OUTPUT_REPLACE)
    {
      shadow = gimp_drawable_get_shadow_buffer (atl_drawable (drawable_ID));
      out    = gegl_buffer_create_sub_buffer (shadow, &box);
    }
  else
    out = gegl_buffer_new (&box,
                          gimp_drawable_get_format (atl_drawable (drawable_ID)));

  st = func (ctx, content, out, data);
  if (st != ATELIER_OK)
    {
      atelier_plugin_engine_error (ctx, st, error);
      goto out;
    }

  gimp_image_undo_group_start (atl_image (image_ID));
  if (output == ATELIER_PLUGIN_OUTPUT_NEW_LAYER)
    {
      target_ID = new_layer_above (image_ID, drawable_ID, layer_name, error);
      if (target_ID == -1)
        {
          gimp_image_undo_group_end (atl_image (image_ID));
          goto out;
        }
      shadow = gimp_drawable_get_shadow_buffer (atl_drawable (target_ID));
      /* at the box's place: out's extent is the selection's box */
      gegl_buffer_copy (out, NULL, GEGL_ABYSS_NONE, shadow, NULL);
    }
  g_clear_object (&out);
  g_clear_object (&shadow);               /* flushes it to GIMP */
  /* merge_shadow applies the selection and its feathering; outside it a
   * new layer keeps the source's pixels */
  gimp_drawable_merge_shadow (atl_drawable (target_ID), TRUE);
  gimp_drawable_update (atl_drawable (target_ID), 0, 0,
                        atl_drawable_width (target_ID),
                        atl_drawable_height (target_ID));
  gimp_image_undo_group_end (atl_image (image_ID));
  *result_ID = target_ID;
  ok         = TRUE;

out:
  g_clear_object (&out);
  g_clear_object (&shadow);
  g_clear_object (&content);
  g_object_unref (layer);
  return ok;
}
