/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of atelier_gegl_load_style and atelier_gegl_styles_scan
 * (gegl_adapter.c), the one place the front ends' style specs are read:
 * a name nothing has fails with its message, an image file loads as an
 * image, an .atnet file as a network, catalogued names and a mix resolve,
 * and the find-only modes read nothing.  The files are made here, in a
 * throw-away folder that is also $XDG_DATA_HOME. */
#include "net.h"
#include "internal.h"

#include "test_util.h"

#include <gegl.h>
#include <glib.h>
#include <glib/gstdio.h>

#include <stdlib.h>
#include <string.h>

static gchar *tmp_dir;

static gchar *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* A two-style network (a norm between two 1x1 convs, so its styles
 * differ and can be mixed), saved as path. */
static void
write_net (const char *path)
{
  static const AtelierNetStyle styles[2] = {
    { "test-first", "First", "第一", 0.6f, 1.0f },
    { "test-second", "Second", "第二", 0.9f, 2.0f }
  };
  AtelierNetLayer layers[3] = {
    { .op = ATELIER_NET_CONV, .in_c = 3, .out_c = 3, .kernel = 1,
      .stride = 1 },
    { .op = ATELIER_NET_INORM, .in_c = 3, .out_c = 3 },
    { .op = ATELIER_NET_CONV, .in_c = 3, .out_c = 3, .kernel = 1,
      .stride = 1 }
  };
  AtelierContext *ctx = atelier_context_new (1);
  AtelierNet     *net;
  size_t          n = 0, i;

  for (i = 0; i < G_N_ELEMENTS (layers); i++)
    n += atelier_net_layer_floats (&layers[i], 2);
  net = atelier_net_new (G_N_ELEMENTS (layers), 2, n);
  g_assert_nonnull (net);
  memcpy (net->layers, layers, sizeof layers);
  memcpy (net->styles, styles, sizeof styles);
  net->in_scale  = 1.0f;
  net->out_scale = 1.0f;
  for (i = 0; i < net->n_storage; i++)
    net->storage[i] = test_noise (5, (int) i, 0) - 0.5f;
  atelier_net_point_tensors (net);
  g_assert_cmpint (atelier_net_save (ctx, net, path, false), ==, ATELIER_OK);
  atelier_net_free (net);
  atelier_context_free (ctx);
}

/* A width x height RGBA image file at path. */
static void
write_image (const char *path,
             int         width,
             int         height)
{
  AtelierContext *ctx = atelier_context_new (1);
  float          *px  = g_new (float, (gsize) width * height * 4);
  GeglBuffer     *buf;
  int             i;

  for (i = 0; i < width * height * 4; i++)
    px[i] = test_noise (9, i, 0);
  buf = gegl_buffer_linear_new_from_data (px, babl_format ("R'G'B'A float"),
                                          GEGL_RECTANGLE (0, 0, width, height),
                                          width * 4 * sizeof (float), NULL,
                                          NULL);
  g_assert_cmpint (atelier_gegl_save (ctx, buf, path, NULL, NULL), ==,
                   ATELIER_OK);
  g_object_unref (buf);
  g_free (px);
  atelier_context_free (ctx);
}

/* The catalogue of tmp_dir/styles: the network and "Checks.png". */
static AtelierStyles *
scan_styles (AtelierContext *ctx)
{
  gchar         *dir = tmp_path ("styles");
  AtelierStyles *styles = NULL;

  g_assert_cmpint (atelier_styles_scan (ctx, (const char *const *) &dir, 1,
                                        &styles), ==, ATELIER_OK);
  g_assert_cmpint (atelier_styles_count (styles), ==, 3);
  g_free (dir);
  return styles;
}

static void
test_needs_catalogue (void)
{
  gchar *file = tmp_path ("styles/net.atnet");
  gchar *cwd  = g_get_current_dir ();

  g_assert_false (atelier_gegl_style_needs_catalogue (NULL));
  g_assert_true (atelier_gegl_style_needs_catalogue ("starry-night"));
  g_assert_true (atelier_gegl_style_needs_catalogue ("a=0.5,b=0.5"));
  g_assert_true (atelier_gegl_style_needs_catalogue (""));
  g_assert_false (atelier_gegl_style_needs_catalogue (file));
  g_assert_false (atelier_gegl_style_needs_catalogue ("no/such/file.png"));
  /* an existing file with no '/' is that file, not a name */
  g_assert_cmpint (g_chdir (tmp_dir), ==, 0);
  g_assert_false (atelier_gegl_style_needs_catalogue ("style.png"));
  g_assert_cmpint (g_chdir (cwd), ==, 0);
  g_free (cwd);
  g_free (file);
}

static void
test_missing (void)
{
  AtelierContext *ctx    = atelier_context_new (1);
  AtelierStyles  *styles = scan_styles (ctx);
  GeglBuffer     *image  = (GeglBuffer *) &image;
  AtelierNet     *net    = (AtelierNet *) &net;
  const char     *path   = "unset";
  gchar          *gone   = tmp_path ("no-such-file.png");
  int             net_style = 7;

  /* a name: the catalogue has none such; without one, no name is known */
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles, "no-such-style", 0,
                                            &image, &net, &net_style, &path),
                   ==, ATELIER_ERR_IO);
  g_assert_null (image);
  g_assert_null (net);
  g_assert_cmpint (net_style, ==, 0);
  g_assert_null (path);
  g_assert_cmpstr (atelier_context_error (ctx), ==,
                   "no such style file or style: no-such-style");
  g_assert_cmpint (atelier_gegl_load_style (ctx, NULL, "test-first", 0,
                                            &image, &net, &net_style, &path),
                   ==, ATELIER_ERR_IO);
  g_assert_null (path);

  /* a path: the loader's own message, and the path it tried */
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles, gone, 0, &image,
                                            &net, &net_style, &path),
                   ==, ATELIER_ERR_IO);
  g_assert_cmpstr (path, ==, gone);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "cannot open"));
  g_assert_null (image);
  g_assert_null (net);

  /* a spec is required */
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles, NULL, 0, &image,
                                            &net, &net_style, NULL),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_free (gone);
  atelier_styles_free (styles);
  atelier_context_free (ctx);
}

static void
test_image_file (void)
{
  AtelierContext *ctx  = atelier_context_new (1);
  GeglBuffer     *image = NULL;
  AtelierNet     *net   = NULL;
  const char     *path  = NULL;
  gchar          *file  = tmp_path ("style.png");
  int             net_style = 7;

  g_assert_cmpint (atelier_gegl_load_style (ctx, NULL, file, 0, &image, &net,
                                            &net_style, &path),
                   ==, ATELIER_OK);
  g_assert_nonnull (image);
  g_assert_null (net);
  g_assert_cmpint (net_style, ==, 0);
  g_assert_cmpstr (path, ==, file);
  g_assert_cmpint (gegl_buffer_get_width (image), ==, 24);
  g_assert_cmpint (gegl_buffer_get_height (image), ==, 16);
  g_object_unref (image);

  /* max_pixels is the loader's */
  g_assert_cmpint (atelier_gegl_load_style (ctx, NULL, file, 100, &image,
                                            &net, &net_style, NULL),
                   ==, ATELIER_ERR_INVALID_IMAGE);
  g_assert_null (image);
  g_free (file);
  atelier_context_free (ctx);
}

static void
test_net_file (void)
{
  AtelierContext *ctx   = atelier_context_new (1);
  GeglBuffer     *image = NULL;
  AtelierNet     *net   = NULL;
  const char     *path  = NULL;
  gchar          *file  = tmp_path ("styles/net.atnet");
  int             net_style = 7;

  g_assert_cmpint (atelier_gegl_load_style (ctx, NULL, file, 0, &image, &net,
                                            &net_style, &path),
                   ==, ATELIER_OK);
  g_assert_null (image);
  g_assert_nonnull (net);
  g_assert_cmpint (atelier_net_n_styles (net), ==, 2);
  g_assert_cmpint (net_style, ==, 0);
  g_assert_cmpstr (path, ==, file);
  atelier_net_free (net);
  g_free (file);
  atelier_context_free (ctx);
}

static void
test_by_name (void)
{
  AtelierContext          *ctx    = atelier_context_new (1);
  AtelierStyles           *styles = scan_styles (ctx);
  const AtelierStyleEntry *checks = atelier_styles_find (styles, "checks");
  GeglBuffer              *image  = NULL;
  AtelierNet              *net    = NULL;
  const char              *path   = NULL;
  gchar                   *file   = tmp_path ("styles/net.atnet");
  int                      net_style = 7;

  /* a network's second style: its index, its file */
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles, "test-second", 0,
                                            &image, &net, &net_style, &path),
                   ==, ATELIER_OK);
  g_assert_null (image);
  g_assert_nonnull (net);
  g_assert_cmpint (net_style, ==, 1);
  g_assert_cmpstr (path, ==, file);
  g_assert_cmpstr (atelier_net_style_name (net, net_style), ==,
                   "test-second");
  atelier_net_free (net);

  /* a style image by its name */
  g_assert_nonnull (checks);
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles, "checks", 0, &image,
                                            &net, &net_style, &path),
                   ==, ATELIER_OK);
  g_assert_nonnull (image);
  g_assert_null (net);
  g_assert_cmpint (net_style, ==, 0);
  g_assert_cmpstr (path, ==, checks->path);
  g_assert_cmpint (gegl_buffer_get_width (image), ==, 20);
  g_object_unref (image);

  /* a mix: a new one-style network, and the network's file */
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles,
                                            "test-first=0.5,test-second=0.5",
                                            0, &image, &net, &net_style,
                                            &path),
                   ==, ATELIER_OK);
  g_assert_null (image);
  g_assert_nonnull (net);
  g_assert_cmpint (atelier_net_n_styles (net), ==, 1);
  g_assert_cmpint (net_style, ==, 0);
  g_assert_cmpstr (path, ==, file);
  atelier_net_free (net);
  net = NULL;
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles,
                                            "test-first=0.5,checks=0.5", 0,
                                            &image, &net, &net_style, &path),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_null (net);
  g_assert_null (path);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "style image"));
  g_free (file);
  atelier_styles_free (styles);
  atelier_context_free (ctx);
}

/* With image or net NULL, a style of that kind is found, not read. */
static void
test_find_only (void)
{
  AtelierContext *ctx    = atelier_context_new (1);
  AtelierStyles  *styles = scan_styles (ctx);
  GeglBuffer     *image  = NULL;
  AtelierNet     *net    = NULL;
  const char     *path   = NULL;
  gchar          *file   = tmp_path ("styles/net.atnet");
  int             net_style = 7;

  g_assert_cmpint (atelier_gegl_load_style (ctx, styles, "checks", 0, NULL,
                                            &net, &net_style, &path),
                   ==, ATELIER_OK);
  g_assert_null (net);
  g_assert_cmpstr (path, ==, atelier_styles_find (styles, "checks")->path);
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles, "test-second", 0,
                                            &image, NULL, NULL, &path),
                   ==, ATELIER_OK);
  g_assert_null (image);
  g_assert_cmpstr (path, ==, file);
  /* a mix is only known once read */
  g_assert_cmpint (atelier_gegl_load_style (ctx, styles,
                                            "test-first=0.5,test-second=0.5",
                                            0, &image, NULL, NULL, &path),
                   ==, ATELIER_ERR_INVALID_PARAM);
  g_assert_null (image);
  g_assert_null (path);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "mix"));
  g_free (file);
  atelier_styles_free (styles);
  atelier_context_free (ctx);
}

/* The folders in order, first wins: the search path (empty parts
 * skipped), the user's styles and models, the shipped and local ones. */
static void
test_scan_order (void)
{
  static const char *const dirs[] = {
    "a", "b", "atelier/styles", "atelier/models", "shipped", "local"
  };
  AtelierContext *ctx = atelier_context_new (1);
  AtelierStyles  *styles = NULL;
  gchar          *image = tmp_path ("style.png");
  gchar          *search, *a, *b, *shipped, *local;
  gchar          *contents = NULL;
  gsize           n;
  size_t          i;

  g_assert_true (g_file_get_contents (image, &contents, &n, NULL));
  /* "x" in every folder; "only-N" in the N-th alone */
  for (i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      gchar *dir  = tmp_path (dirs[i]);
      gchar *x    = g_build_filename (dir, "x.png", NULL);
      gchar *name = g_strdup_printf ("only-%zu.png", i);
      gchar *only = g_build_filename (dir, name, NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (g_file_set_contents (x, contents, n, NULL));
      g_assert_true (g_file_set_contents (only, contents, n, NULL));
      g_free (dir);
      g_free (x);
      g_free (name);
      g_free (only);
    }
  a       = tmp_path ("a");
  b       = tmp_path ("b");
  shipped = tmp_path ("shipped");
  local   = tmp_path ("local");

  search = g_strconcat (a, "::", b, NULL);
  g_assert_cmpint (atelier_gegl_styles_scan (ctx, search, shipped, local,
                                             &styles), ==, ATELIER_OK);
  g_assert_true (g_str_has_prefix (atelier_styles_find (styles, "x")->path,
                                   a));
  for (i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      gchar *name = g_strdup_printf ("only-%zu", i);
      gchar *dir  = tmp_path (dirs[i]);

      g_assert_nonnull (atelier_styles_find (styles, name));
      g_assert_true (g_str_has_prefix (atelier_styles_find (styles,
                                                            name)->path,
                                       dir));
      g_free (name);
      g_free (dir);
    }
  atelier_styles_free (styles);

  /* no search path, no shipped folder: the user's first */
  g_assert_cmpint (atelier_gegl_styles_scan (ctx, NULL, NULL, local,
                                             &styles), ==, ATELIER_OK);
  g_assert_nonnull (strstr (atelier_styles_find (styles, "x")->path,
                            "atelier/styles"));
  g_assert_null (atelier_styles_find (styles, "only-0"));
  g_assert_null (atelier_styles_find (styles, "only-4"));
  g_assert_nonnull (atelier_styles_find (styles, "only-5"));
  atelier_styles_free (styles);

  g_free (search);
  g_free (a);
  g_free (b);
  g_free (shipped);
  g_free (local);
  g_free (contents);
  g_free (image);
  atelier_context_free (ctx);
}

/* Removes dir and everything below it. */
static void
remove_tree (const char *dir)
{
  GDir       *d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      gchar *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
      g_free (path);
    }
  if (d)
    g_dir_close (d);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  GError *error = NULL;
  gchar  *path;
  int     status;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("atelier-style-XXXXXX", &error);
  g_assert_no_error (error);
  /* read once by GLib, before the first use: the user's folders here */
  g_setenv ("XDG_DATA_HOME", tmp_dir, TRUE);
  /* no GEGL or babl modules: the lookup needs buffers and babl's own
   * conversions only, and the modules (freetype's users, babl's
   * extensions) keep allocations LeakSanitizer reports */
  g_setenv ("GEGL_PATH", tmp_dir, TRUE);
  g_setenv ("BABL_PATH", tmp_dir, TRUE);
  gegl_init (NULL, NULL);

  path = tmp_path ("styles");
  g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  g_free (path);
  path = tmp_path ("styles/net.atnet");
  write_net (path);
  g_free (path);
  path = tmp_path ("styles/Checks.png");
  write_image (path, 20, 10);
  g_free (path);
  path = tmp_path ("style.png");
  write_image (path, 24, 16);
  g_free (path);

  g_test_add_func ("/engine/load_style/needs-catalogue", test_needs_catalogue);
  g_test_add_func ("/engine/load_style/missing", test_missing);
  g_test_add_func ("/engine/load_style/image-file", test_image_file);
  g_test_add_func ("/engine/load_style/net-file", test_net_file);
  g_test_add_func ("/engine/load_style/by-name", test_by_name);
  g_test_add_func ("/engine/load_style/find-only", test_find_only);
  g_test_add_func ("/engine/load_style/scan-order", test_scan_order);
  status = g_test_run ();

  remove_tree (tmp_dir);
  g_free (tmp_dir);
  gegl_exit ();
  return status;
}
