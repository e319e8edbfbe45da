/* SPDX-License-Identifier: GPL-3.0-or-later */
/* atelier — command-line front end of the Atelier style-transfer engine.
 *
 *   atelier stylize --style STYLE [OPTION...] IN OUT
 *   atelier color-transfer --style STYLE [OPTION...] IN OUT
 *   atelier net-import --ncnn FILE.bin [--name NAME] [--fp16] OUT.atnet
 *
 * STYLE is an image or a style network (.atnet, told by its first bytes).
 *
 * Files go through the engine's GEGL adapter; OUT is written only when
 * everything before it succeeded, and atomically.
 * Exit status: 0 success, 1 error, 2 usage error, 130 interrupted
 * (SIGINT), 143 terminated (SIGTERM).
 */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gegl.h>
#include <glib/gi18n.h>

#include "atelier.h"

#ifndef GETTEXT_PACKAGE
#define GETTEXT_PACKAGE "atelier"
#endif
#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef MODELSDIR
#define MODELSDIR "/usr/local/share/atelier/models"
#endif

#define EXIT_USAGE        2
#define EXIT_SIGNALLED    128      /* + the signal's number, as shells do */
#define PROGRESS_INTERVAL 100000   /* microseconds between progress lines */

/* --max-megapixels' default: the engine's pixel budget (128 Mpx). */
#define DEFAULT_MAX_MEGAPIXELS 128.0

/* color-transfer's --strength: the whole transfer.  AtelierParams has no
 * field for it; atelier_color_transfer() takes it as an argument. */
#define COLOR_TRANSFER_STRENGTH 1.0

typedef enum
{
  COMMAND_STYLIZE,
  COMMAND_COLOR_TRANSFER
} Command;

static const char *const command_names[] = { "stylize", "color-transfer" };
static const char *const quality_names[] = { "preview", "normal", "best" };
static const char *const backdrop_names[] = { "auto", "off" };

typedef struct
{
  gchar    *style;
  gchar    *mask;
  gchar    *quality;
  gchar    *backdrop;
  gdouble   strength;
  gdouble   scale;
  gint64    seed;
  gint      threads;
  gdouble   max_megapixels;
  gint      net_style;     /* the style's index in net                  */
  AtelierNet *net;         /* the network a name or a mix resolved to,
                              owned; NULL: STYLE is loaded by run()       */
  gboolean  strength_given, scale_given;
  gboolean  preserve;
  gboolean  quiet;
  gchar   **files;
} Options;

typedef struct
{
  const char *label;
  gboolean    show;
  gint64      last_time;
  int         last_percent;   /* -1: no line started */
} Progress;

/* The signal that stopped the run (SIGINT, SIGTERM), 0 while none did.
 * Every signal only sets it: the engine polls it about ten times a second
 * and the save between strips, which then stops and removes its
 * temporary file.  (A second signal that killed at once would cut a save
 * short, and timeout(1) sends each signal twice: to the child and to its
 * group.) */
static volatile sig_atomic_t interrupted = 0;

static void
on_interrupt (int signum)
{
  if (! interrupted)
    interrupted = signum;
}

static bool
on_progress (float  fraction,
             void  *data)
{
  Progress *p       = data;
  int       percent = fraction > 0.0f ? (int) (MIN (fraction, 1.0f) * 100) : 0;
  gint64    now     = g_get_monotonic_time ();

  if (interrupted)
    return false;
  if (p->show && percent != p->last_percent &&
      (now - p->last_time >= PROGRESS_INTERVAL || percent == 100))
    {
      fprintf (stderr, "\r%s: %d%%", p->label, percent);
      p->last_time    = now;
      p->last_percent = percent;
    }
  return true;
}

static void
progress_end (Progress *p)
{
  if (p->last_percent >= 0)
    fputc ('\n', stderr);
  p->last_percent = -1;
}

/* GEGL's loaders and savers warn about failures that the adapter reports
 * itself: keep stderr to our one line, unless ATELIER_DEBUG is set. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         data)
{
  if (! (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) &&
      ! g_getenv ("ATELIER_DEBUG"))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (level, fields, n_fields, data);
}

/* Prints "atelier: MESSAGE" and returns code. */
static int G_GNUC_PRINTF (2, 3)
fail (int         code,
      const char *format,
      ...)
{
  va_list args;
  gchar  *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("atelier: %s\n", message);
  g_free (message);
  return code;
}

/* The engine names AtelierParams' fields; the user typed options. */
static gchar *
option_names (const char *detail)
{
  static const char *const fields[][2] =
  {
    { "style_scale", "--scale" }, { "strength", "--strength" },
    { "quality", "--quality" }, { "n_threads", "--threads" },
    { "seed", "--seed" }, { "backdrop", "--backdrop" }
  };
  gsize i;

  for (i = 0; i < G_N_ELEMENTS (fields); i++)
    if (g_str_has_prefix (detail, fields[i][0]))
      return g_strconcat (fields[i][1], detail + strlen (fields[i][0]), NULL);
  return g_strdup (detail);
}

static int
engine_error (AtelierContext *ctx,
              AtelierStatus   status)
{
  const char *detail = atelier_context_error (ctx);
  gchar      *text;
  int         code;

  if (status == ATELIER_CANCELLED)
    return fail (EXIT_SIGNALLED + (interrupted ? interrupted : SIGINT), "%s",
                 interrupted == SIGTERM ? _("terminated") : _("interrupted"));
  text = option_names (*detail ? detail : atelier_status_to_string (status));
  code = fail (status == ATELIER_ERR_INVALID_PARAM ? EXIT_USAGE : EXIT_FAILURE,
               "%s", text);
  g_free (text);
  return code;
}

/* Polled by the save between strips. */
static bool
save_progress (float  fraction,
               void  *data)
{
  return ! interrupted;
}

/* TRUE when OUT already exists as the same file as path (a hard or
 * symbolic link to it included). */
static gboolean
same_file (const char *out,
           const char *path)
{
  struct stat a, b;

  return path && stat (out, &a) == 0 && stat (path, &b) == 0 &&
         a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static const char *
keep (GPtrArray *strings,
      gchar     *s)
{
  g_ptr_array_add (strings, s);
  return s;
}

/* The options of cmd with their defaults from d; the help texts are kept
 * in strings, which must outlive the context. */
static GOptionContext *
make_options (Command              cmd,
              Options             *o,
              const AtelierParams *d,
              GPtrArray           *strings)
{
  GOptionContext *oc = g_option_context_new (NULL);
  GOptionEntry    stylize[] =
  {
    { "style", 's', 0, G_OPTION_ARG_FILENAME, &o->style,
      _("The style image (required)"), "STYLE" },
    { "strength", 0, 0, G_OPTION_ARG_DOUBLE, &o->strength,
      keep (strings, g_strdup_printf (_("How much freedom the style gets, "
                                        "0..1 (default %g)"),
                                      (double) d->strength)), "S" },
    { "scale", 0, 0, G_OPTION_ARG_DOUBLE, &o->scale,
      keep (strings, g_strdup_printf (_("Size of the style's strokes, "
                                        "0.25..4 (default %g)"),
                                      (double) d->style_scale)), "F" },
    { "preserve-colors", 0, 0, G_OPTION_ARG_NONE, &o->preserve,
      _("Keep the content's colours, restyle light and shade only"), NULL },
    { "quality", 'q', 0, G_OPTION_ARG_STRING, &o->quality,
      keep (strings, g_strdup_printf (_("preview, normal or best, or 0, 1, "
                                        "2 (default %s)"),
                                      quality_names[d->quality])), "Q" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &o->seed,
      keep (strings, g_strdup_printf (_("Random seed, 0..%u (default %u)"),
                                      UINT32_MAX, d->seed)), "N" },
    { "backdrop", 0, 0, G_OPTION_ARG_STRING, &o->backdrop,
      keep (strings, g_strdup_printf (_("Backdrop, auto or off (default "
                                        "%s): auto keeps a flat backdrop "
                                        "the subject stands on clean and "
                                        "sizes the strokes to the subject, "
                                        "off restyles the whole frame; "
                                        "style images only"),
                                      backdrop_names[d->backdrop])), "B" },
    { "threads", 'j', 0, G_OPTION_ARG_INT, &o->threads,
      keep (strings, g_strdup_printf (_("Worker threads, 0 = all cores "
                                        "(default %d)"), d->n_threads)),
      "N" },
    { "mask", 'm', 0, G_OPTION_ARG_FILENAME, &o->mask,
      _("Restyle only where this image is white"), "MASK" },
    { "quiet", 0, 0, G_OPTION_ARG_NONE, &o->quiet,
      _("Show no progress"), NULL },
    { "max-megapixels", 0, 0, G_OPTION_ARG_DOUBLE, &o->max_megapixels,
      keep (strings, g_strdup_printf (_("Refuse larger input images, read "
                                        "from their header (default %g)"),
                                      DEFAULT_MAX_MEGAPIXELS)), "MP" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->files,
      NULL, "IN OUT" },
    { NULL }
  };
  GOptionEntry    transfer[] =
  {
    { "style", 's', 0, G_OPTION_ARG_FILENAME, &o->style,
      _("The image whose colours to take (required)"), "STYLE" },
    { "strength", 0, 0, G_OPTION_ARG_DOUBLE, &o->strength,
      keep (strings, g_strdup_printf (_("How far to go, 0..1 (default %g)"),
                                      COLOR_TRANSFER_STRENGTH)), "S" },
    { "preserve-luminance", 0, 0, G_OPTION_ARG_NONE, &o->preserve,
      _("Keep each pixel's lightness"), NULL },
    { "max-megapixels", 0, 0, G_OPTION_ARG_DOUBLE, &o->max_megapixels,
      keep (strings, g_strdup_printf (_("Refuse larger input images, read "
                                        "from their header (default %g)"),
                                      DEFAULT_MAX_MEGAPIXELS)), "MP" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->files,
      NULL, "IN OUT" },
    { NULL }
  };

  g_set_prgname (keep (strings, g_strconcat ("atelier ", command_names[cmd],
                                             NULL)));
  g_option_context_set_summary (oc, cmd == COMMAND_STYLIZE ?
    _("Restyles IN after the image STYLE; writes OUT (.png, .jpg, .tif).") :
    _("Gives IN the colours of STYLE; writes OUT (.png, .jpg, .tif)."));
  g_option_context_add_main_entries (oc, cmd == COMMAND_STYLIZE ?
                                     stylize : transfer, NULL);
  o->strength = cmd == COMMAND_STYLIZE ? d->strength : COLOR_TRANSFER_STRENGTH;
  o->scale    = d->style_scale;
  o->seed     = d->seed;
  o->threads  = d->n_threads;
  o->max_megapixels = DEFAULT_MAX_MEGAPIXELS;
  return oc;
}

static void
print_help (void)
{
  AtelierParams d;
  Command       cmd;

  atelier_params_init (&d);
  g_print (_("atelier %s — style transfer\n\n"
             "IN may be PNG, JPEG, TIFF or WebP; OUT is PNG, JPEG or TIFF "
             "by its extension.  STYLE is an image (example-based style "
             "transfer) or a style network (.atnet).\n'atelier net-import "
             "--help' converts a network.\n'atelier --version' prints the "
             "version.\n\n"), ATELIER_VERSION);
  for (cmd = COMMAND_STYLIZE; cmd <= COMMAND_COLOR_TRANSFER; cmd++)
    {
      GPtrArray      *strings = g_ptr_array_new_with_free_func (g_free);
      Options         o       = { 0 };
      GOptionContext *oc      = make_options (cmd, &o, &d, strings);
      gchar          *help    = g_option_context_get_help (oc, TRUE, NULL);

      g_print ("%s\n", help);
      g_free (help);
      g_option_context_free (oc);
      g_ptr_array_free (strings, TRUE);
    }
}

/* The style catalogue (first folder wins; see atelier_gegl_styles_scan),
 * with models/ beside the build folder the program runs from last. */
static AtelierStyles *
load_catalogue (AtelierContext *ctx,
                gboolean        report_skipped)
{
  gchar         *exe    = g_file_read_link ("/proc/self/exe", NULL);
  gchar         *bin    = exe ? g_path_get_dirname (exe) : NULL;
  gchar         *local  = bin ? g_build_filename (bin, "..", "models", NULL)
                              : NULL;
  AtelierStyles *styles = NULL;
  int            i;

  if (atelier_gegl_styles_scan (ctx, g_getenv ("ATELIER_STYLE_PATH"),
                                MODELSDIR, local, &styles) == ATELIER_OK &&
      report_skipped)
    for (i = 0; i < atelier_styles_n_skipped (styles); i++)
      g_printerr ("atelier: %s %s\n", _("skipped"),
                  atelier_styles_skipped (styles, i));
  g_free (local);
  g_free (bin);
  g_free (exe);
  return styles;
}

/* Writes the network style e's thumbnail as dir/NAME.png.  *net holds
 * the network last loaded (the styles of one file follow each other in
 * the catalogue, so each file is read once); the caller frees it. */
static AtelierStatus
save_thumbnail (AtelierContext          *ctx,
                const AtelierStyleEntry *e,
                const char              *dir,
                int                      side,
                AtelierNet             **net,
                const char             **net_path)
{
  float        *data = g_try_new (float, (gsize) side * side * 4);
  AtelierImage  img  = { side, side, 4 * side, data };
  gchar        *name = g_strconcat (e->name, ".png", NULL);
  gchar        *path = g_build_filename (dir, name, NULL);
  AtelierStatus st   = data ? ATELIER_OK : ATELIER_ERR_NO_MEMORY;

  if (st == ATELIER_OK && (! *net || strcmp (*net_path, e->path)))
    {
      g_clear_pointer (net, atelier_net_free);
      st        = atelier_net_load (ctx, e->path, net);
      *net_path = e->path;
    }
  if (st == ATELIER_OK)
    st = atelier_net_thumbnail (ctx, *net, MAX (e->net_style, 0), side, &img);
  if (st == ATELIER_OK)
    {
      GeglBuffer *buf = gegl_buffer_linear_new_from_data (
        data, babl_format ("R'G'B'A float"), GEGL_RECTANGLE (0, 0, side, side),
        side * 4 * sizeof (float), NULL, NULL);

      st = atelier_gegl_save (ctx, buf, path, NULL, NULL);
      g_object_unref (buf);
    }
  g_free (data);
  g_free (name);
  g_free (path);
  return st;
}

/* atelier list-styles [--thumbnails DIR [--size N]]: NAME<TAB>KIND<TAB>
 * LABEL, one style a line; with DIR, each network style's thumbnail as
 * DIR/NAME.png. */
static int
run_list_styles (int    argc,
                 char **argv)
{
  gchar          *dir  = NULL;
  gint            side = 64;
  GOptionEntry    entries[] = {
    { "thumbnails", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Also write each network style's thumbnail (the style on a test "
         "card) as DIR/NAME.png"), N_("DIR") },
    { "size", 0, 0, G_OPTION_ARG_INT, &side,
      N_("The thumbnails' side in pixels, 8..1024 (default 64)"), N_("N") },
    { NULL }
  };
  GOptionContext *oc     = g_option_context_new (NULL);
  GError         *error  = NULL;
  AtelierContext *ctx    = NULL;
  AtelierStyles  *styles = NULL;
  AtelierNet     *net    = NULL;
  const char     *net_path = NULL;
  int             code   = EXIT_SUCCESS, i;

  g_set_prgname ("atelier list-styles");
  g_option_context_set_summary (oc, _("Lists the installed styles: "
                                      "NAME<TAB>KIND<TAB>LABEL, one a line."));
  g_option_context_add_main_entries (oc, entries, GETTEXT_PACKAGE);
  if (! g_option_context_parse (oc, &argc, &argv, &error))
    code = fail (EXIT_USAGE, "%s", error->message);
  else if (argc > 1)
    code = fail (EXIT_USAGE, _("list-styles takes no file arguments"));
  else if (dir && (side < 8 || side > 1024))
    code = fail (EXIT_USAGE, _("--size must be 8..1024, not %d"), side);
  else if (dir && ! g_file_test (dir, G_FILE_TEST_IS_DIR))
    code = fail (EXIT_USAGE, _("--thumbnails %s: not a folder"), dir);
  else if (! (ctx = atelier_context_new (1)) ||
           ! (styles = load_catalogue (ctx, TRUE)))
    code = fail (EXIT_FAILURE, "%s",
                 atelier_status_to_string (ATELIER_ERR_NO_MEMORY));
  if (dir && code == EXIT_SUCCESS)
    gegl_init (NULL, NULL);
  for (i = 0; code == EXIT_SUCCESS && i < atelier_styles_count (styles); i++)
    {
      const AtelierStyleEntry *e = atelier_styles_get (styles, i);
      AtelierStatus            st;

      g_print ("%s\t%s\t%s\n", e->name,
               e->kind == ATELIER_STYLE_NETWORK ? "network" : "image",
               atelier_style_label (e, NULL));
      if (dir && e->kind == ATELIER_STYLE_NETWORK &&
          (st = save_thumbnail (ctx, e, dir, side, &net, &net_path)) !=
            ATELIER_OK)
        code = engine_error (ctx, st);
    }
  atelier_net_free (net);
  if (dir && styles)
    gegl_exit ();
  atelier_styles_free (styles);
  atelier_context_free (ctx);
  g_option_context_free (oc);
  g_clear_error (&error);
  g_free (dir);
  return code;
}

/* Loads the inputs, runs cmd, saves OUT. */
static int
run (Command              cmd,
     const Options       *o,
     const AtelierParams *params,
     AtelierContext      *ctx)
{
  GeglBuffer   *content = NULL, *style = NULL, *mask = NULL, *out = NULL;
  AtelierNet   *net     = o->net;
  int           net_style = o->net_style;
  GeglBuffer   *probe   = gegl_buffer_new (GEGL_RECTANGLE (0, 0, 0, 0), NULL);
  gchar        *dir     = g_path_get_dirname (o->files[1]);
  uint64_t      budget  = (uint64_t) (o->max_megapixels * 1048576.0);
  AtelierStatus st;
  int           code    = EXIT_SUCCESS;

  /* Refuse OUT before any work.  The adapter refuses an unknown format
   * before it looks at the buffer, and an empty buffer before it touches
   * the disk. */
  st = atelier_gegl_save (ctx, probe, o->files[1], NULL, NULL);
  g_object_unref (probe);
  if (st == ATELIER_ERR_INVALID_PARAM)
    code = engine_error (ctx, st);
  else if (same_file (o->files[1], o->files[0]) ||
           same_file (o->files[1], o->style) ||
           same_file (o->files[1], o->mask))
    code = fail (EXIT_USAGE, _("OUT %s is the same file as %s: it would be "
                               "overwritten"), o->files[1],
                 same_file (o->files[1], o->files[0]) ? o->files[0] :
                 same_file (o->files[1], o->style) ? o->style : o->mask);
  else if (cmd == COMMAND_COLOR_TRANSFER && atelier_is_net_file (o->style))
    code = fail (EXIT_USAGE, _("%s is a style network: colour transfer "
                               "takes its colours from an image"), o->style);
  else if (g_file_test (o->files[1], G_FILE_TEST_IS_DIR))
    code = fail (EXIT_FAILURE, _("cannot write %s: %s"), o->files[1],
                 g_strerror (EISDIR));
  else if (access (dir, W_OK) != 0)
    code = fail (EXIT_FAILURE, _("cannot write %s: %s"), o->files[1],
                 g_strerror (errno));
  g_free (dir);
  if (code != EXIT_SUCCESS)
    return code;

  if ((st = atelier_gegl_load (ctx, o->files[0], budget, &content)) ==
        ATELIER_OK &&
      (o->net ||
       (st = atelier_gegl_load_style (ctx, NULL, o->style, budget, &style,
                                      &net, &net_style, NULL)) ==
         ATELIER_OK) &&
      (! o->mask ||
       (st = atelier_gegl_load (ctx, o->mask, budget, &mask)) == ATELIER_OK))
    {
      out = atelier_gegl_new_output (content);
      if (interrupted)
        st = ATELIER_CANCELLED;
      else if (net)
        st = atelier_gegl_net_stylize (ctx, params, net, net_style, content,
                                       mask, out);
      else if (cmd == COMMAND_STYLIZE)
        st = atelier_gegl_stylize (ctx, params, content, style, mask, out);
      else
        st = atelier_gegl_color_transfer (ctx, content, style, o->strength,
                                          o->preserve, out);
      progress_end (params->progress_data);
    }
  if (st == ATELIER_OK && interrupted)
    st = ATELIER_CANCELLED;
  if (st == ATELIER_OK)
    st = atelier_gegl_save (ctx, out, o->files[1], save_progress, NULL);
  if (st != ATELIER_OK)
    code = engine_error (ctx, st);

  g_clear_object (&content);
  g_clear_object (&style);
  g_clear_object (&mask);
  g_clear_object (&out);
  if (net != o->net)
    atelier_net_free (net);
  return code;
}

/* atelier net-import --ncnn FILE.bin [--name NAME] [--fp16] OUT.atnet */
static int
run_import (int    argc,
            char **argv)
{
  gchar          *ncnn  = NULL, *name = NULL;
  gchar         **files = NULL;
  gboolean        fp16  = FALSE;
  GOptionEntry    entries[] =
  {
    { "ncnn", 0, 0, G_OPTION_ARG_FILENAME, &ncnn,
      _("The pytorch/examples transformer net as ncnn weights (required)"),
      "FILE.bin" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name,
      _("The style's name (default: the file's name)"), "NAME" },
    { "fp16", 0, 0, G_OPTION_ARG_NONE, &fp16,
      _("Store the convolutions' weights as half floats"), NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files,
      NULL, "OUT.atnet" },
    { NULL }
  };
  GOptionContext *oc    = g_option_context_new (NULL);
  GError         *error = NULL;
  AtelierContext *ctx   = atelier_context_new (1);
  AtelierNet     *net   = NULL;
  AtelierStatus   st;
  int             code;

  g_set_prgname ("atelier net-import");
  g_option_context_set_summary (oc, _("Converts a style network into "
                                      "Atelier's .atnet format."));
  g_option_context_add_main_entries (oc, entries, NULL);
  if (! g_option_context_parse (oc, &argc, &argv, &error))
    code = fail (EXIT_USAGE, "%s", error->message);
  else if (! ncnn)
    code = fail (EXIT_USAGE, _("--ncnn FILE.bin is required"));
  else if (! files || g_strv_length (files) != 1)
    code = fail (EXIT_USAGE, _("net-import needs one OUT.atnet"));
  else if (! ctx)
    code = fail (EXIT_FAILURE, "%s",
                 atelier_status_to_string (ATELIER_ERR_NO_MEMORY));
  else
    {
      gchar *base = g_path_get_basename (ncnn);
      gchar *dot  = strrchr (base, '.');
      gchar *c;

      /* a style's name is [a-z0-9-]: rain_princess.bin is rain-princess */
      if (dot && dot != base)
        *dot = '\0';
      for (c = base; *c; c++)
        *c = g_ascii_isalnum (*c) ? g_ascii_tolower (*c) : '-';
      st = atelier_net_import_ncnn_file (ctx, ncnn, name ? name : base, &net);
      if (st == ATELIER_OK)
        st = atelier_net_save (ctx, net, files[0], fp16);
      code = st == ATELIER_OK ? EXIT_SUCCESS : engine_error (ctx, st);
      g_free (base);
    }
  atelier_net_free (net);
  atelier_context_free (ctx);
  g_option_context_free (oc);
  g_clear_error (&error);
  g_free (ncnn);
  g_free (name);
  g_strfreev (files);
  return code;
}

/* A STYLE that is no file but a name ("starry-night") or a mix becomes
 * the catalogue's file, found before anything else is checked; a
 * network is read now (the scan read it already, so this cannot fail
 * where loading the content would first), an image only by run().  The
 * style's own strength and scale stand in for the options not given. */
static int
resolve_style (Command  cmd,
               Options *o)
{
  AtelierContext *ctx;
  AtelierStyles  *styles;
  const char     *path = NULL;
  AtelierStatus   st;
  float           strength, scale;
  int             code = EXIT_SUCCESS;

  if (! o->style || ! atelier_gegl_style_needs_catalogue (o->style))
    return EXIT_SUCCESS;
  ctx    = atelier_context_new (1);
  styles = ctx ? load_catalogue (ctx, FALSE) : NULL;
  if (! styles && atelier_style_is_mix (o->style))
    code = fail (EXIT_FAILURE, _("out of memory"));
  else if ((st = atelier_gegl_load_style (ctx, styles, o->style, 0, NULL,
                                          &o->net, &o->net_style, &path)) !=
           ATELIER_OK)
    {
      if (atelier_style_is_mix (o->style))
        code = fail (EXIT_USAGE, _("--style %s: %s"), o->style,
                     atelier_context_error (ctx));
      else if (! path)
        code = fail (EXIT_FAILURE, _("no style file or style named %s (see "
                                     "'atelier list-styles')"), o->style);
      else
        code = engine_error (ctx, st);
    }
  else
    {
      if (o->net)
        {
          atelier_net_style_defaults (o->net, o->net_style, &strength,
                                      &scale);
          if (! o->strength_given && cmd == COMMAND_STYLIZE)
            o->strength = strength;
          if (! o->scale_given)
            o->scale = scale;
        }
      g_free (o->style);
      o->style = g_strdup (path);
    }
  atelier_styles_free (styles);
  atelier_context_free (ctx);
  return code;
}

static int
run_command (Command   cmd,
             int       argc,
             char    **argv)
{
  GPtrArray       *strings  = g_ptr_array_new_with_free_func (g_free);
  Options          o        = { 0 };
  Progress         progress = { command_names[cmd], FALSE, 0, -1 };
  AtelierParams    params;
  AtelierContext  *ctx;
  GOptionContext  *oc;
  GError          *error    = NULL;
  struct sigaction action;
  int              code, q, b;

  atelier_params_init (&params);
  oc = make_options (cmd, &o, &params, strings);
  for (q = 1; q < argc && strcmp (argv[q], "--"); q++)
    {
      o.strength_given |= g_str_has_prefix (argv[q], "--strength");
      o.scale_given    |= g_str_has_prefix (argv[q], "--scale");
    }
  if (! g_option_context_parse (oc, &argc, &argv, &error))
    {
      code = fail (EXIT_USAGE, "%s", error->message);
      goto out;
    }
  if ((code = resolve_style (cmd, &o)) != EXIT_SUCCESS)
    goto out;
  for (q = 0; o.quality && q < (int) G_N_ELEMENTS (quality_names); q++)
    if (! strcmp (o.quality, quality_names[q]) ||
        (o.quality[0] == '0' + q && ! o.quality[1]))
      break;
  params.strength        = (float) o.strength;
  params.style_scale     = (float) o.scale;
  params.quality         = o.quality ? (AtelierQuality) q : params.quality;
  for (b = 0; o.backdrop && b < (int) G_N_ELEMENTS (backdrop_names); b++)
    if (! strcmp (o.backdrop, backdrop_names[b]))
      break;
  params.backdrop        = o.backdrop ? (AtelierBackdrop) b : params.backdrop;
  params.preserve_colors = o.preserve;
  params.seed            = (uint32_t) o.seed;
  params.n_threads       = o.threads;
  params.progress        = on_progress;
  params.progress_data   = &progress;

  /* Check everything before loading anything; a one-thread context
   * carries the engine's message. */
  ctx = atelier_context_new (1);
  if (! o.files || g_strv_length (o.files) != 2)
    code = fail (EXIT_USAGE, _("%s needs IN and OUT (see 'atelier %s "
                               "--help')"), command_names[cmd],
                 command_names[cmd]);
  else if (! o.style)
    code = fail (EXIT_USAGE, _("--style STYLE is required"));
  else if (o.quality && q == (int) G_N_ELEMENTS (quality_names))
    code = fail (EXIT_USAGE, _("--quality must be preview, normal or best "
                               "(0, 1, 2)"));
  else if (o.backdrop && b == (int) G_N_ELEMENTS (backdrop_names))
    code = fail (EXIT_USAGE, _("--backdrop must be auto or off, not '%s'"),
                 o.backdrop);
  else if (! (o.max_megapixels > 0.0 && o.max_megapixels <= 1048576.0))
    code = fail (EXIT_USAGE, _("--max-megapixels must be above 0 and at "
                               "most 1048576"));
  else if (o.seed < 0 || o.seed > UINT32_MAX)
    code = fail (EXIT_USAGE, _("--seed must be 0..%u"), UINT32_MAX);
  else if (cmd == COMMAND_COLOR_TRANSFER &&
           ! (o.strength >= 0.0 && o.strength <= 1.0))
    code = fail (EXIT_USAGE, _("--strength must be 0..1"));
  else if (cmd == COMMAND_STYLIZE &&
           atelier_params_validate (&params, ctx) != ATELIER_OK)
    code = engine_error (ctx, ATELIER_ERR_INVALID_PARAM);
  else
    code = EXIT_SUCCESS;
  atelier_context_free (ctx);
  if (code != EXIT_SUCCESS)
    goto out;

  /* Ctrl-C and SIGTERM cancel cleanly, unless ignored (nohup, a
   * background job of a script): then they stay ignored. */
  for (q = 0; q < 2; q++)
    {
      int signum = q ? SIGTERM : SIGINT;

      if (sigaction (signum, NULL, &action) == 0 &&
          action.sa_handler != SIG_IGN)
        {
          memset (&action, 0, sizeof action);
          action.sa_handler = on_interrupt;
          sigemptyset (&action.sa_mask);
          sigaction (signum, &action, NULL);
        }
    }
  progress.show = ! o.quiet && isatty (STDERR_FILENO);

  ctx = atelier_context_new (params.n_threads);
  if (! ctx)
    {
      code = fail (EXIT_FAILURE, "%s",
                   atelier_status_to_string (ATELIER_ERR_NO_MEMORY));
      goto out;
    }
  gegl_init (NULL, NULL);
  code = run (cmd, &o, &params, ctx);
  gegl_exit ();
  atelier_context_free (ctx);

out:
  g_option_context_free (oc);
  g_clear_error (&error);
  g_free (o.style);
  atelier_net_free (o.net);
  g_free (o.mask);
  g_free (o.quality);
  g_free (o.backdrop);
  g_strfreev (o.files);
  g_ptr_array_free (strings, TRUE);
  return code;
}

int
main (int    argc,
      char **argv)
{
  const char *cmd = argc > 1 ? argv[1] : NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_log_set_writer_func (log_writer, NULL, NULL);

  if (! cmd)
    return fail (EXIT_USAGE, _("missing command (see 'atelier --help')"));
  if (! strcmp (cmd, "--help") || ! strcmp (cmd, "-h"))
    {
      print_help ();
      return EXIT_SUCCESS;
    }
  if (! strcmp (cmd, "--version"))
    {
      g_print ("atelier %s\n", ATELIER_VERSION);
      return EXIT_SUCCESS;
    }
  if (! strcmp (cmd, command_names[COMMAND_STYLIZE]))
    return run_command (COMMAND_STYLIZE, argc - 1, argv + 1);
  if (! strcmp (cmd, command_names[COMMAND_COLOR_TRANSFER]))
    return run_command (COMMAND_COLOR_TRANSFER, argc - 1, argv + 1);
  if (! strcmp (cmd, "net-import"))
    return run_import (argc - 1, argv + 1);
  if (! strcmp (cmd, "list-styles"))
    return run_list_styles (argc - 1, argv + 1);
  return fail (EXIT_USAGE, _("unknown command '%s' (see 'atelier --help')"),
               cmd);
}
