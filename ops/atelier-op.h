/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the two Atelier GEGL operations share (ops/style-transfer.c,
 * ops/color-transfer.c): the whole-image region bookkeeping, the
 * pass-through on errors, the style catalogue's folders, progress and the
 * engine context.  Each operation includes this before gegl-op.h; every
 * function is static, so each module is self-contained.
 *
 * Both operations are global: the result at any pixel depends on the
 * whole input (the colour statistics, the working-resolution synthesis),
 * so they ask for, invalidate and cache the input's whole bounding box,
 * and compute it in one process() call, unthreaded by GEGL (the engine has
 * its own thread pool).  An input that is empty or an infinite plane is
 * passed through untouched.  GEGL operations cannot fail: when the engine
 * refuses (an unreadable style file, a corrupt network) the output is the
 * input unchanged and the engine's message goes to g_warning.
 */
#ifndef ATELIER_OP_H
#define ATELIER_OP_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE             /* dladdr */
#endif

#include <dlfcn.h>
#include <stdarg.h>
#include <string.h>

/* gegl-op.h's enums look their labels up in a gettext domain; the
 * plug-in's ("atelier") where the process has bound it, else English. */
#ifndef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE "atelier"
#endif
#include <glib/gi18n-lib.h>
#include <gegl-plugin.h>

#include "atelier.h"

/* Where install.sh --system puts the shipped styles. */
#ifndef MODELSDIR
#define MODELSDIR "/usr/local/share/atelier/models"
#endif

/* The engine's defaults (atelier_params_init sets them, and only it). */
static const AtelierParams *
atelier_op_defaults (void)
{
  static AtelierParams params;
  static gsize         done = 0;

  if (g_once_init_enter (&done))
    {
      atelier_params_init (&params);
      g_once_init_leave (&done, 1);
    }
  return &params;
}

/* ---- regions: the input's whole bounding box ---- */

static GeglRectangle
atelier_op_input_box (GeglOperation *operation)
{
  const GeglRectangle *r = gegl_operation_source_get_bounding_box (operation,
                                                                   "input");
  GeglRectangle        empty = { 0, 0, 0, 0 };

  return r ? *r : empty;
}

/* An input there is nothing to do with: none, empty, or infinite. */
static gboolean
atelier_op_passes_through (GeglOperation *operation)
{
  GeglRectangle box = atelier_op_input_box (operation);

  return gegl_rectangle_is_empty (&box) ||
         gegl_rectangle_is_infinite_plane (&box);
}

/* The region of aux to read: its bounding box; of an infinite aux (a
 * pattern), the input's box. */
static GeglRectangle
atelier_op_aux_box (GeglOperation *operation)
{
  const GeglRectangle *r = gegl_operation_source_get_bounding_box (operation,
                                                                   "aux");
  GeglRectangle        empty = { 0, 0, 0, 0 };

  if (r && gegl_rectangle_is_infinite_plane (r))
    return atelier_op_input_box (operation);
  return r ? *r : empty;
}

static GeglRectangle
atelier_op_get_bounding_box (GeglOperation *operation)
{
  return atelier_op_input_box (operation);
}

static GeglRectangle
atelier_op_get_required_for_output (GeglOperation       *operation,
                                    const gchar         *input_pad,
                                    const GeglRectangle *roi)
{
  GeglRectangle box;

  if (atelier_op_passes_through (operation))
    return *roi;
  box = ! g_strcmp0 (input_pad, "aux") ? atelier_op_aux_box (operation)
                                       : atelier_op_input_box (operation);
  return gegl_rectangle_is_infinite_plane (&box) ? *roi : box;
}

static GeglRectangle
atelier_op_get_invalidated_by_change (GeglOperation       *operation,
                                      const gchar         *input_pad,
                                      const GeglRectangle *input_region)
{
  return atelier_op_passes_through (operation) ?
         *input_region : atelier_op_input_box (operation);
}

static GeglRectangle
atelier_op_get_cached_region (GeglOperation       *operation,
                              const GeglRectangle *roi)
{
  return atelier_op_passes_through (operation) ?
         *roi : atelier_op_input_box (operation);
}

/* The engine works on straight-alpha perceptual sRGB floats; GEGL
 * converts to and from whatever the graph carries. */
static void
atelier_op_prepare (GeglOperation *operation)
{
  const Babl *format = babl_format ("R'G'B'A float");

  gegl_operation_set_format (operation, "input", format);
  gegl_operation_set_format (operation, "aux", format);
  gegl_operation_set_format (operation, "output", format);
}

/* GeglOperationClass::process: the input itself when there is nothing to
 * compute, else the composer's process (which calls ours). */
static gboolean
atelier_op_operation_process (GeglOperation        *operation,
                              GeglOperationContext *context,
                              const gchar          *output_prop,
                              const GeglRectangle  *result,
                              gint                  level,
                              GeglOperationClass   *parent_class)
{
  if (atelier_op_passes_through (operation))
    {
      gpointer in = gegl_operation_context_get_object (context, "input");

      if (in)
        gegl_operation_context_take_object (context, "output",
                                            g_object_ref (G_OBJECT (in)));
      return TRUE;
    }
  return parent_class->process (operation, context, output_prop, result,
                                gegl_operation_context_get_level (context));
}

/* The settings every Atelier operation class shares. */
static void
atelier_op_class_setup (GeglOperationClass *operation_class)
{
  operation_class->prepare                   = atelier_op_prepare;
  operation_class->get_bounding_box          = atelier_op_get_bounding_box;
  operation_class->get_required_for_output   =
    atelier_op_get_required_for_output;
  operation_class->get_invalidated_by_change =
    atelier_op_get_invalidated_by_change;
  operation_class->get_cached_region         = atelier_op_get_cached_region;
  /* one call for the whole image; the engine threads it itself */
  operation_class->threaded                  = FALSE;
  operation_class->want_in_place             = FALSE;
  /* computed once, then served from the cache to every later request */
  operation_class->cache_policy              = GEGL_CACHE_POLICY_ALWAYS;
}

/* ---- one run: the buffers, the context, the result ---- */

typedef struct
{
  GeglOperation  *operation;
  const char     *name;      /* "atelier:style-transfer", for messages */
  GeglBuffer     *input;
  GeglBuffer     *output;
  GeglRectangle   result;
  GeglRectangle   box;       /* the input's bounding box                */
  GeglBuffer     *content;   /* input over box                          */
  GeglBuffer     *target;    /* where the engine writes: output over box,
                                or a buffer of its own                  */
  AtelierContext *ctx;
  gchar          *message;   /* why it failed; NULL: it did not         */
} AtelierOpRun;

/* The engine's threads: GEGL's setting ("threads", which GIMP sets from
 * its preferences), else the engine's default (all cores). */
static int
atelier_op_threads (void)
{
  gint n = 0;

  g_object_get (gegl_config (), "threads", &n, NULL);
  return n > 0 ? MIN (n, 256) : atelier_op_defaults ()->n_threads;
}

static void
atelier_op_begin (AtelierOpRun        *run,
                  GeglOperation       *operation,
                  const char          *name,
                  GeglBuffer          *input,
                  GeglBuffer          *output,
                  const GeglRectangle *result)
{
  memset (run, 0, sizeof *run);
  run->operation = operation;
  run->name      = name;
  run->input     = input;
  run->output    = output;
  run->result    = *result;
  run->box       = atelier_op_input_box (operation);
  run->content   = gegl_buffer_create_sub_buffer (input, &run->box);
  run->target    = gegl_rectangle_equal (result, &run->box) ?
                   gegl_buffer_create_sub_buffer (output, &run->box) :
                   gegl_buffer_new (&run->box, gegl_buffer_get_format (output));
  run->ctx       = atelier_context_new (atelier_op_threads ());
}

/* Records why the run failed (the first reason wins). */
static void G_GNUC_PRINTF (2, 3)
atelier_op_fail (AtelierOpRun *run,
                 const char   *format,
                 ...)
{
  va_list args;

  if (run->message)
    return;
  va_start (args, format);
  run->message = g_strdup_vprintf (format, args);
  va_end (args);
}

/* Records the engine's message for st; true when st is ATELIER_OK. */
static gboolean
atelier_op_check (AtelierOpRun  *run,
                  AtelierStatus  st)
{
  const char *detail;

  if (st == ATELIER_OK)
    return TRUE;
  detail = run->ctx ? atelier_context_error (run->ctx) : "";
  atelier_op_fail (run, "%s", *detail ? detail : atelier_status_to_string (st));
  return FALSE;
}

/* params.progress: GEGL's progress signal on the node (GIMP's bar).  The
 * colour transfer has none (it is a few passes over the pixels). */
static bool G_GNUC_UNUSED
atelier_op_progress (float  fraction,
                     void  *data)
{
  AtelierOpRun *run = data;

  gegl_operation_progress (run->operation, fraction, (gchar *) "");
  return true;
}

/* Delivers the result, or on failure the input unchanged and a warning. */
static void
atelier_op_end (AtelierOpRun *run)
{
  if (run->message)
    {
      g_warning ("%s: %s", run->name, run->message);
      gegl_buffer_copy (run->input, &run->result, GEGL_ABYSS_NONE,
                        run->output, &run->result);
    }
  else if (! gegl_rectangle_equal (&run->result, &run->box))
    gegl_buffer_copy (run->target, &run->result, GEGL_ABYSS_NONE,
                      run->output, &run->result);
  gegl_operation_progress (run->operation, 1.0, (gchar *) "");
  g_clear_object (&run->content);
  g_clear_object (&run->target);
  atelier_context_free (run->ctx);
  g_free (run->message);
}

/* ---- the style catalogue ---- */

/* The folder this module was loaded from. */
static gchar *
atelier_op_module_dir (void)
{
  Dl_info info;

  if (dladdr ((void *) atelier_op_module_dir, &info) && info.dli_fname)
    return g_path_get_dirname (info.dli_fname);
  return NULL;
}

/* The catalogue, as the command-line tool searches it (first folder
 * wins; see atelier_gegl_styles_scan), with models/ of the source tree
 * last for a module run from its build folder (BUILD/gegl-ops/). */
static AtelierStyles *
atelier_op_catalogue (AtelierContext *ctx)
{
  gchar         *here   = atelier_op_module_dir ();
  gchar         *tree   = NULL;
  gchar         *local  = NULL;
  AtelierStyles *styles = NULL;

  if (here)
    {
      gchar *build = g_path_get_dirname (here);    /* BUILD        */

      tree  = g_path_get_dirname (build);          /* BUILD/..     */
      local = g_build_filename (tree, "models", NULL);
      g_free (build);
    }
  if (atelier_gegl_styles_scan (ctx, g_getenv ("ATELIER_STYLE_PATH"),
                                MODELSDIR, local, &styles) != ATELIER_OK)
    styles = NULL;
  g_free (local);
  g_free (tree);
  g_free (here);
  return styles;
}

/* Loads the style named by spec, as the command-line tool's --style takes
 * it (atelier_gegl_load_style): an image file, an .atnet network file, the
 * name of a catalogued style ("starry-night"), or a mix of a network's
 * styles ("udnie=0.7,the-scream=0.3").  An empty spec is the catalogue's
 * first style.  Sets *net (and *net_style) or *image; with allow_net
 * false a network is refused unread.  On failure records why and returns
 * FALSE. */
static gboolean
atelier_op_load_style (AtelierOpRun  *run,
                       const char    *spec,
                       gboolean       allow_net,
                       AtelierNet   **net,
                       int           *net_style,
                       GeglBuffer   **image)
{
  AtelierStyles           *styles = NULL;
  const AtelierStyleEntry *first  = NULL;
  const char              *path   = NULL;
  AtelierStatus            st;

  *net       = NULL;
  *net_style = 0;
  *image     = NULL;
  spec       = spec ? spec : "";

  if (! *spec || atelier_gegl_style_needs_catalogue (spec))
    {
      styles = atelier_op_catalogue (run->ctx);
      if (! styles)
        {
          atelier_op_fail (run, "cannot read the style catalogue");
          return FALSE;
        }
    }
  if (! *spec)
    {
      /* its file, not its name: a file of that name here would win */
      if ((first = atelier_styles_get (styles, 0)))
        spec = first->path;
      else
        atelier_op_fail (run, "no style given and none installed: set "
                         "'style' or connect aux");
    }
  else if (! allow_net && atelier_gegl_style_needs_catalogue (spec) &&
           atelier_style_is_mix (spec))
    atelier_op_fail (run, "%s is a mix of network styles: colour "
                     "transfer takes its colours from an image", spec);
  if (run->message)
    {
      atelier_styles_free (styles);
      return FALSE;
    }

  st = atelier_gegl_load_style (run->ctx, styles, spec, 0, image,
                                allow_net ? net : NULL, net_style, &path);
  if (st == ATELIER_OK && ! *image && ! *net)
    atelier_op_fail (run, "%s is a style network: colour transfer "
                     "takes its colours from an image", path);
  else if (st != ATELIER_OK && ! path && ! atelier_style_is_mix (spec))
    atelier_op_fail (run, "no style file or style named %s", spec);
  else if (atelier_op_check (run, st) && *net && first &&
           first->net_style < atelier_net_n_styles (*net))
    *net_style = MAX (first->net_style, 0);
  atelier_styles_free (styles);   /* path may be its entry's: used by now */
  return ! run->message;
}

/* aux over the region to read; NULL when aux is not connected, or (with
 * the reason recorded) when it is but gives nothing to read: an empty aux
 * is an error, not a cue to fall back to the style property. */
static GeglBuffer *
atelier_op_aux (AtelierOpRun *run,
                GeglBuffer   *aux)
{
  GeglRectangle box = atelier_op_aux_box (run->operation);

  if (! gegl_operation_source_get_bounding_box (run->operation, "aux"))
    return NULL;
  if (! aux || gegl_rectangle_is_empty (&box) ||
      gegl_rectangle_is_infinite_plane (&box))
    {
      atelier_op_fail (run, "aux is connected but has no pixels");
      return NULL;
    }
  return gegl_buffer_create_sub_buffer (aux, &box);
}

#endif /* ATELIER_OP_H */
