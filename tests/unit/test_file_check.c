/* Unit tests of file_check.c: the walk through PNG and JPEG files that
 * keeps broken files away from GEGL's loaders.  The two sample files are
 * tiny images written by Pillow (a 2x2 RGB PNG, an 8x8 grey JPEG with
 * optimised Huffman tables). */
#include "internal.h"

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static const unsigned char png_2x2[79] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
  0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
  0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a, 0x73, 0x00, 0x00, 0x00,
  0x16, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xcf, 0xc0, 0xc0,
  0xf0, 0x9f, 0x81, 0x91, 0x81, 0xe1, 0xff, 0xff, 0xff, 0x0c, 0x00, 0x1e,
  0xf6, 0x04, 0xfd, 0x0b, 0x31, 0x7c, 0x09, 0x00, 0x00, 0x00, 0x00, 0x49,
  0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};
static const unsigned char jpeg_8x8[159] = {
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01,
  0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0xff, 0xdb, 0x00, 0x43,
  0x00, 0x10, 0x0b, 0x0c, 0x0e, 0x0c, 0x0a, 0x10, 0x0e, 0x0d, 0x0e, 0x12,
  0x11, 0x10, 0x13, 0x18, 0x28, 0x1a, 0x18, 0x16, 0x16, 0x18, 0x31, 0x23,
  0x25, 0x1d, 0x28, 0x3a, 0x33, 0x3d, 0x3c, 0x39, 0x33, 0x38, 0x37, 0x40,
  0x48, 0x5c, 0x4e, 0x40, 0x44, 0x57, 0x45, 0x37, 0x38, 0x50, 0x6d, 0x51,
  0x57, 0x5f, 0x62, 0x67, 0x68, 0x67, 0x3e, 0x4d, 0x71, 0x79, 0x70, 0x64,
  0x78, 0x5c, 0x65, 0x67, 0x63, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x08,
  0x00, 0x08, 0x01, 0x01, 0x11, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x00, 0x01,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0xff, 0xc4, 0x00, 0x14, 0x10, 0x01, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00,
  0x3f, 0xff, 0xd9,
};

/* file_loader on a temporary file holding data[0..size), its offset moved
 * to the end first: the check must read from the start regardless. */
static const char *
loader_of (const unsigned char *data,
           size_t               size,
           const char         **why)
{
  GError     *error = NULL;
  gchar      *path  = NULL;
  const char *op;
  int         fd    = g_file_open_tmp ("atelier-check-XXXXXX", &path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (write (fd, data, size), ==, (gssize) size);
  op = atelier_file_loader (fd, why);
  close (fd);
  g_unlink (path);
  g_free (path);
  return op;
}

static void
test_valid (void)
{
  const char *why = "unset";

  g_assert_cmpstr (loader_of (png_2x2, sizeof png_2x2, &why), ==,
                   "gegl:png-load");
  g_assert_null (why);
  why = "unset";
  g_assert_cmpstr (loader_of (jpeg_8x8, sizeof jpeg_8x8, &why), ==,
                   "gegl:jpg-load");
  g_assert_null (why);
}

/* Every proper prefix of a file is refused, with a reason. */
static void
check_prefixes (const unsigned char *data,
                size_t               size)
{
  size_t n;

  for (n = 0; n < size; n++)
    {
      const char *why = NULL;

      if (loader_of (data, n, &why) != NULL || why == NULL)
        g_error ("a %zu-byte prefix of a %zu-byte file was accepted", n, size);
    }
}

static void
test_truncated_png (void)
{
  check_prefixes (png_2x2, sizeof png_2x2);
}

static void
test_truncated_jpeg (void)
{
  check_prefixes (jpeg_8x8, sizeof jpeg_8x8);
}

/* Every byte of a PNG is covered by its signature, a chunk length or a
 * CRC, so changing any one byte makes it unusable. */
static void
test_flipped_png (void)
{
  unsigned char copy[sizeof png_2x2];
  size_t        i;

  for (i = 0; i < sizeof copy; i++)
    {
      const char *why = NULL;

      memcpy (copy, png_2x2, sizeof copy);
      copy[i] ^= 0x10;
      if (loader_of (copy, sizeof copy, &why) != NULL || why == NULL)
        g_error ("PNG with byte %zu changed was accepted", i);
    }
}

/* The JPEG header fields libjpeg would choke on. */
static void
test_bad_jpeg_headers (void)
{
  unsigned char copy[sizeof jpeg_8x8];
  const char   *why;
  size_t        sof = 0, i;

  for (i = 2; i + 1 < sizeof jpeg_8x8; i++)
    if (jpeg_8x8[i] == 0xff && jpeg_8x8[i + 1] == 0xc0)
      sof = i;
  g_assert_cmpuint (sof, >, 0);

  memcpy (copy, jpeg_8x8, sizeof copy);
  copy[sof + 4] = 12;                     /* 12-bit precision */
  g_assert_null (loader_of (copy, sizeof copy, &why));
  g_assert_cmpstr (why, ==, "unsupported JPEG precision");

  memcpy (copy, jpeg_8x8, sizeof copy);
  copy[sof + 5] = copy[sof + 6] = 0;      /* height 0 */
  g_assert_null (loader_of (copy, sizeof copy, &why));
  g_assert_cmpstr (why, ==, "bad frame header");

  memcpy (copy, jpeg_8x8, sizeof copy);
  copy[sof + 1] = 0xc3;                   /* lossless coding */
  g_assert_null (loader_of (copy, sizeof copy, &why));
  g_assert_cmpstr (why, ==, "unsupported JPEG coding");
}

static void
test_other_formats (void)
{
  static const unsigned char tiff[8] = { 'I', 'I', '*', 0, 8, 0, 0, 0 };
  static const unsigned char webp[12] = { 'R', 'I', 'F', 'F', 4, 0, 0, 0,
                                          'W', 'E', 'B', 'P' };
  static const unsigned char text[] = "P3 1 1 255 0 0 0";
  const char *why;

  /* these loaders fail cleanly on their own: only the magic is checked */
  g_assert_cmpstr (loader_of (tiff, sizeof tiff, &why), ==, "gegl:tiff-load");
  g_assert_cmpstr (loader_of (webp, sizeof webp, &why), ==, "gegl:webp-load");
  g_assert_null (loader_of (text, sizeof text, &why));
  g_assert_cmpstr (why, ==, "not a PNG, JPEG, TIFF or WebP file");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/file-check/valid", test_valid);
  g_test_add_func ("/engine/file-check/truncated-png", test_truncated_png);
  g_test_add_func ("/engine/file-check/truncated-jpeg", test_truncated_jpeg);
  g_test_add_func ("/engine/file-check/flipped-png", test_flipped_png);
  g_test_add_func ("/engine/file-check/bad-jpeg-headers",
                   test_bad_jpeg_headers);
  g_test_add_func ("/engine/file-check/other-formats", test_other_formats);
  return g_test_run ();
}
