/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests of image_decode.c and image_encode.c: round trips through
 * each format and depth, and the files GEGL's loaders got wrong (exit,
 * hang, black rows): corrupt zlib data, bad filter bytes, bogus Huffman
 * tables, bad component ids and sampling factors, every truncation, header
 * bombs, animated WebP.  Every fixture is made here, with our encoder,
 * with the codec libraries directly or byte by byte; files go to a
 * temporary folder. */
#define _GNU_SOURCE
#include "image_file.h"
#include "internal.h"

#include "test_util.h"

#include <glib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>
#include <jpeglib.h>
#include <tiffio.h>
#include <webp/encode.h>

static gchar *tmp_dir;

/* ---- a sink that keeps the image, and a source that gives it ---- */

typedef struct
{
  AtelierRasterInfo info;
  size_t            row_bytes;
  guint8           *pixels;
  int               begun;
  int               puts;
  int               cancel_at;   /* the put that returns CANCELLED; 0 never */
  AtelierContext   *ctx;
} TestSink;

static AtelierStatus
sink_begin (void                    *data,
            const AtelierRasterInfo *info)
{
  TestSink *s = data;

  g_assert_cmpint (s->begun, ==, 0);
  s->begun++;
  s->info      = *info;
  s->row_bytes = atelier_raster_row_bytes (info);
  s->pixels    = g_malloc0 (s->row_bytes * info->height);
  return ATELIER_OK;
}

static AtelierStatus
sink_put (void       *data,
          int         y,
          int         n,
          const void *rows)
{
  TestSink *s = data;

  g_assert_true (s->begun);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (n, >=, 1);
  g_assert_cmpint (y + n, <=, s->info.height);
  if (++s->puts == s->cancel_at)
    {
      atelier_set_error (s->ctx, "cancelled");
      return ATELIER_CANCELLED;
    }
  memcpy (s->pixels + s->row_bytes * y, rows, s->row_bytes * n);
  return ATELIER_OK;
}

static AtelierStatus
sink_get (void *data,
          int   y,
          int   n,
          void *rows)
{
  TestSink *s = data;

  g_assert_cmpint (y + n, <=, s->info.height);
  memcpy (rows, s->pixels + s->row_bytes * y, s->row_bytes * n);
  return ATELIER_OK;
}

static void
sink_clear (TestSink *s)
{
  g_free (s->pixels);
  memset (s, 0, sizeof *s);
}

/* Decodes data[0..size) from a memfd into s (cleared first). */
static AtelierStatus
decode_bytes (const void *data,
              gsize       size,
              uint64_t    max_pixels,
              gboolean    with_get,
              TestSink   *s)
{
  AtelierContext   *ctx = atelier_context_new (1);
  AtelierRasterSink sink = { sink_begin, sink_put,
                             with_get ? sink_get : NULL, s };
  AtelierStatus     st;
  int               fd = memfd_create ("atelier-test", MFD_CLOEXEC);
  int               cancel_at = s->cancel_at;

  sink_clear (s);
  s->cancel_at = cancel_at;
  s->ctx       = ctx;
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (write (fd, data, size), ==, (gssize) size);
  /* the decoder reads from offset 0, wherever the descriptor is */
  st = atelier_decode (ctx, fd, max_pixels, &sink);
  if (st != ATELIER_OK)
    {
      g_assert_cmpstr (atelier_context_error (ctx), !=, "");
      g_test_message ("%s", atelier_context_error (ctx));
    }
  close (fd);
  atelier_context_free (ctx);
  s->ctx = NULL;
  return st;
}

static guint8 *
read_file (const char *path,
           gsize      *size)
{
  gchar  *data = NULL;
  GError *error = NULL;

  g_file_get_contents (path, &data, size, &error);
  g_assert_no_error (error);
  return (guint8 *) data;
}

typedef struct
{
  const guint8 *pixels;
  size_t        row_bytes;
  int           cancel_at;   /* rows from here on are refused; 0 never */
  AtelierContext *ctx;
} TestSource;

static AtelierStatus
source_get (void *data,
            int   y,
            int   n,
            void *rows)
{
  TestSource *s = data;

  if (s->cancel_at && y + n > s->cancel_at)
    {
      atelier_set_error (s->ctx, "cancelled");
      return ATELIER_CANCELLED;
    }
  memcpy (rows, s->pixels + s->row_bytes * y, s->row_bytes * n);
  return ATELIER_OK;
}

static AtelierStatus
save_pixels (const char              *path,
             AtelierFileType          type,
             const AtelierRasterInfo *layout,
             const guint8            *pixels,
             int                      cancel_at,
             gchar                  **message)
{
  AtelierContext     *ctx = atelier_context_new (1);
  TestSource          s = { pixels, atelier_raster_row_bytes (layout),
                            cancel_at, ctx };
  AtelierRasterSource source = { source_get, &s };
  AtelierStatus       st;

  st = atelier_save_atomic (ctx, path, type, layout, &source);
  if (message)
    *message = g_strdup (atelier_context_error (ctx));
  atelier_context_free (ctx);
  return st;
}

static gchar *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* The number of entries of dir whose name starts with ".atelier-". */
static int
count_temporaries (const char *dir)
{
  GDir       *d = g_dir_open (dir, 0, NULL);
  const char *name;
  int         n = 0;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    n += g_str_has_prefix (name, ".atelier-");
  g_dir_close (d);
  return n;
}

/* ---- pixels ---- */

static size_t
sample_size (AtelierSampleType type)
{
  return type == ATELIER_SAMPLE_U8 ? 1 : type == ATELIER_SAMPLE_U16 ? 2 : 4;
}

/* Deterministic samples: noisy if noisy (lossless formats), else smooth
 * gradients a lossy encoder keeps.  Not inlined: GCC 12 then warns about
 * the 16-bit and float stores in calls for 8-bit images (a false
 * -Wstringop-overflow). */
static G_GNUC_NO_INLINE guint8 *
make_pixels (const AtelierRasterInfo *info,
             gboolean                 noisy)
{
  size_t  n = (size_t) info->width * info->height * info->channels;
  guint8 *p = g_malloc (n * sample_size (info->type));
  size_t  i;

  for (i = 0; i < n; i++)
    {
      int    c = (int) (i % info->channels);
      size_t px = i / info->channels;
      int    x = (int) (px % info->width), y = (int) (px / info->width);
      double v;

      if (noisy)
        v = (double) (test_hash ((guint32) i, 12345) >> 8) / 16777216.0;
      else
        v = 0.1 + 0.8 * (x + 2.0 * y + 30.0 * c) /
                  (info->width + 2.0 * info->height + 90.0);
      if (info->type == ATELIER_SAMPLE_U8)
        p[i] = (guint8) (v * 255.0 + 0.5);
      else if (info->type == ATELIER_SAMPLE_U16)
        {
          guint16 w = (guint16) (v * 65535.0 + 0.5);

          memcpy (p + 2 * i, &w, 2);
        }
      else
        {
          float f = (float) v;

          memcpy (p + 4 * i, &f, 4);
        }
    }
  return p;
}

/* Largest difference between two rasters of info, in 8-bit units for
 * integers and in 0..1 for float. */
static double
max_diff (const AtelierRasterInfo *info,
          const guint8            *a,
          const guint8            *b)
{
  size_t n = (size_t) info->width * info->height * info->channels, i;
  double m = 0.0;

  for (i = 0; i < n; i++)
    {
      double d;

      if (info->type == ATELIER_SAMPLE_U8)
        d = fabs ((double) a[i] - b[i]);
      else if (info->type == ATELIER_SAMPLE_U16)
        d = fabs ((double) ((const guint16 *) a)[i] -
                  ((const guint16 *) b)[i]);
      else
        d = fabs ((double) ((const float *) a)[i] - ((const float *) b)[i]);
      m = MAX (m, d);
    }
  return m;
}

/* ---- bytes ---- */

static guint32
crc32_of (const guint8 *p,
          size_t        n)
{
  guint32 c = 0xffffffffu;
  size_t  i;
  int     k;

  for (i = 0; i < n; i++)
    {
      c ^= p[i];
      for (k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
    }
  return c ^ 0xffffffffu;
}

static guint32
adler32_of (const guint8 *p,
            size_t        n)
{
  guint32 a = 1, b = 0;
  size_t  i;

  for (i = 0; i < n; i++)
    {
      a = (a + p[i]) % 65521;
      b = (b + a) % 65521;
    }
  return b << 16 | a;
}

static guint32
get_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 |
         p[3];
}

static void
put_be32 (guint8  *p,
          guint32  v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

static void
append_be32 (GByteArray *a,
             guint32     v)
{
  guint8 b[4];

  put_be32 (b, v);
  g_byte_array_append (a, b, 4);
}

/* The offset of the first PNG chunk of type (its length field). */
static size_t
png_find_chunk (const guint8 *png,
                size_t        size,
                const char   *type)
{
  size_t off = 8;

  while (off + 12 <= size)
    {
      if (! memcmp (png + off + 4, type, 4))
        return off;
      off += 12 + get_be32 (png + off);
    }
  g_error ("no %s chunk", type);
  return 0;
}

static void
png_fix_crc (guint8 *png,
             size_t  chunk)
{
  guint32 length = get_be32 (png + chunk);

  put_be32 (png + chunk + 8 + length, crc32_of (png + chunk + 4, length + 4));
}

static void
png_append_chunk (GByteArray   *a,
                  const char   *type,
                  const guint8 *data,
                  guint32       length)
{
  size_t start;

  append_be32 (a, length);
  start = a->len;
  g_byte_array_append (a, (const guint8 *) type, 4);
  if (length)
    g_byte_array_append (a, data, length);
  append_be32 (a, crc32_of (a->data + start, length + 4));
}

/* ---- PNG files made with libpng ---- */

static void
png_test_error (png_structp     png,
                png_const_charp msg)
{
  g_error ("libpng: %s", msg);
}

static void
png_test_write (png_structp png,
                png_bytep   data,
                size_t      length)
{
  g_byte_array_append (png_get_io_ptr (png), data, (guint) length);
}

static void
png_test_flush (png_structp png)
{
}

/* A PNG of 8-bit samples: interlaced or not, at zlib level (0: stored
 * blocks, so the test can edit the rows inside), filter none. */
static GByteArray *
png_build (int           width,
           int           height,
           int           color_type,
           int           channels,
           gboolean      interlaced,
           int           level,
           const guint8 *pixels)
{
  GByteArray *a = g_byte_array_new ();
  png_structp png = png_create_write_struct (PNG_LIBPNG_VER_STRING, NULL,
                                             png_test_error, NULL);
  png_infop   info = png_create_info_struct (png);
  int         pass, passes, y;

  png_set_write_fn (png, a, png_test_write, png_test_flush);
  png_set_compression_level (png, level);
  png_set_filter (png, 0, PNG_FILTER_NONE);
  png_set_IHDR (png, info, width, height, 8, color_type,
                interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
  passes = png_set_interlace_handling (png);
  for (pass = 0; pass < passes; pass++)
    for (y = 0; y < height; y++)
      png_write_row (png, pixels + (size_t) y * width * channels);
  png_write_end (png, NULL);
  png_destroy_write_struct (&png, &info);
  return a;
}

/* A 4x3 RGB PNG in one stored zlib block: IDAT's data is the zlib header
 * (2 bytes), the block header (5), the rows (1 + 12 bytes each), the
 * Adler-32 (4). */
#define STORED_W    4
#define STORED_H    3
#define STORED_ROW  (1 + 3 * STORED_W)

static GByteArray *
png_stored (void)
{
  AtelierRasterInfo info = { STORED_W, STORED_H, 3, ATELIER_SAMPLE_U8, NULL };
  guint8           *pixels = make_pixels (&info, TRUE);
  GByteArray       *a = png_build (STORED_W, STORED_H, PNG_COLOR_TYPE_RGB, 3,
                                   FALSE, 0, pixels);
  size_t            idat = png_find_chunk (a->data, a->len, "IDAT");

  g_assert_cmpuint (get_be32 (a->data + idat), ==,
                    2 + 5 + STORED_H * STORED_ROW + 4);
  g_assert_cmpuint (a->data[idat + 8 + 2], ==, 1);   /* final stored block */
  g_free (pixels);
  return a;
}

/* IDAT's Adler-32 and CRC recomputed after its rows were edited. */
static void
png_stored_fix (GByteArray *a)
{
  size_t  idat = png_find_chunk (a->data, a->len, "IDAT");
  guint8 *rows = a->data + idat + 8 + 7;

  put_be32 (rows + STORED_H * STORED_ROW,
            adler32_of (rows, STORED_H * STORED_ROW));
  png_fix_crc (a->data, idat);
}

/* ---- JPEG files made with libjpeg ---- */

typedef struct
{
  struct jpeg_error_mgr pub;
  jmp_buf               jmp;
} TestJpegError;

static void
jpeg_test_error (j_common_ptr cinfo)
{
  char msg[JMSG_LENGTH_MAX];

  (*cinfo->err->format_message) (cinfo, msg);
  g_error ("libjpeg: %s", msg);
}

/* A JPEG of components (1 grey, 3 RGB, 4 CMYK) at quality 90; a CMYK one
 * with an Adobe marker if adobe (libjpeg writes one for CMYK unless told
 * not to).  libjpeg stores the values it is given, inverted or not. */
static GByteArray *
jpeg_build (int           width,
            int           height,
            int           components,
            gboolean      adobe,
            gboolean      progressive,
            const guint8 *pixels)
{
  struct jpeg_compress_struct cinfo;
  struct jpeg_error_mgr       err;
  unsigned char              *out = NULL;
  unsigned long               size = 0;
  GByteArray                 *a;
  int                         y;

  cinfo.err = jpeg_std_error (&err);
  err.error_exit = jpeg_test_error;
  jpeg_create_compress (&cinfo);
  jpeg_mem_dest (&cinfo, &out, &size);
  cinfo.image_width      = width;
  cinfo.image_height     = height;
  cinfo.input_components = components;
  cinfo.in_color_space   = components == 1 ? JCS_GRAYSCALE :
                           components == 3 ? JCS_RGB : JCS_CMYK;
  jpeg_set_defaults (&cinfo);
  jpeg_set_quality (&cinfo, 90, TRUE);
  if (components == 4)
    cinfo.write_Adobe_marker = adobe;
  if (progressive)
    jpeg_simple_progression (&cinfo);
  jpeg_start_compress (&cinfo, TRUE);
  for (y = 0; y < height; y++)
    {
      JSAMPROW row = (JSAMPROW) pixels + (size_t) y * width * components;

      jpeg_write_scanlines (&cinfo, &row, 1);
    }
  jpeg_finish_compress (&cinfo);
  jpeg_destroy_compress (&cinfo);
  a = g_byte_array_new ();
  g_byte_array_append (a, out, (guint) size);
  free (out);
  return a;
}

/* The offset of the first marker 0xFF code, walking the segments. */
static size_t
jpeg_find_marker (const GByteArray *a,
                  guint8            code)
{
  size_t off = 2;

  while (off + 4 <= a->len && a->data[off] == 0xff)
    {
      if (a->data[off + 1] == code)
        return off;
      off += 2 + ((size_t) a->data[off + 2] << 8 | a->data[off + 3]);
    }
  g_error ("no marker 0x%02x", code);
  return 0;
}

static GByteArray *
jpeg_grey_small (void)
{
  AtelierRasterInfo info = { 16, 16, 1, ATELIER_SAMPLE_U8, NULL };
  guint8           *pixels = make_pixels (&info, FALSE);
  GByteArray       *a = jpeg_build (16, 16, 1, FALSE, FALSE, pixels);

  g_free (pixels);
  return a;
}

static GByteArray *
jpeg_rgb (int width,
          int height)
{
  AtelierRasterInfo info = { width, height, 3, ATELIER_SAMPLE_U8, NULL };
  guint8           *pixels = make_pixels (&info, FALSE);
  GByteArray       *a = jpeg_build (width, height, 3, FALSE, FALSE, pixels);

  g_free (pixels);
  return a;
}

/* ---- TIFF files made with libtiff ---- */

typedef struct
{
  int      width, height, spp, bps;
  uint16_t photometric, compression, format;
  int      extra;          /* EXTRASAMPLES type of the last sample; -1 none */
  gboolean tiled;
  gboolean planes;         /* PLANARCONFIG_SEPARATE */
} TiffSpec;

/* The colour map tiff_build gives a palette image: 3 x 256 entries. */
static const guint16 *tiff_colormap;

static GByteArray *
tiff_build (const TiffSpec *t,
            const void     *pixels)
{
  gchar      *path = tmp_path ("build.tif");
  TIFF       *tif = TIFFOpen (path, "w");
  size_t      row = (size_t) t->width * t->spp * t->bps / 8;
  GByteArray *a = g_byte_array_new ();
  guint8     *data;
  gsize       size;
  int         y, s;

  g_assert_nonnull (tif);
  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, t->width);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, t->height);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, t->bps);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, t->spp);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, t->photometric);
  TIFFSetField (tif, TIFFTAG_COMPRESSION, t->compression);
  TIFFSetField (tif, TIFFTAG_SAMPLEFORMAT, t->format);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, t->planes ? PLANARCONFIG_SEPARATE :
                                                       PLANARCONFIG_CONTIG);
  if (tiff_colormap)
    TIFFSetField (tif, TIFFTAG_COLORMAP, tiff_colormap, tiff_colormap + 256,
                  tiff_colormap + 512);
  if (t->extra >= 0)
    {
      uint16_t e = (uint16_t) t->extra;

      TIFFSetField (tif, TIFFTAG_EXTRASAMPLES, 1, &e);
    }
  if (t->tiled)
    {
      guint8 *tile = g_malloc0 ((size_t) 16 * 16 * t->spp * t->bps / 8);
      int     tx, ty, x;

      g_assert_false (t->planes);
      TIFFSetField (tif, TIFFTAG_TILEWIDTH, 16);
      TIFFSetField (tif, TIFFTAG_TILELENGTH, 16);
      for (ty = 0; ty < t->height; ty += 16)
        for (tx = 0; tx < t->width; tx += 16)
          {
            size_t px = (size_t) t->spp * t->bps / 8;

            memset (tile, 0, 16 * 16 * px);
            for (y = 0; y < 16 && ty + y < t->height; y++)
              for (x = 0; x < 16 && tx + x < t->width; x++)
                memcpy (tile + (y * 16 + x) * px,
                        (const guint8 *) pixels +
                        (size_t) (ty + y) * row + (tx + x) * px, px);
            g_assert_cmpint (TIFFWriteTile (tif, tile, tx, ty, 0, 0), >, 0);
          }
      g_free (tile);
    }
  else
    {
      TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, 2);
      if (t->planes)
        {
          size_t  plane = (size_t) t->width * t->bps / 8;
          guint8 *buf = g_malloc (plane);
          size_t  px = (size_t) t->spp * t->bps / 8, b = t->bps / 8;
          int     x;

          for (s = 0; s < t->spp; s++)
            for (y = 0; y < t->height; y++)
              {
                for (x = 0; x < t->width; x++)
                  memcpy (buf + x * b, (const guint8 *) pixels + y * row +
                          x * px + s * b, b);
                g_assert_cmpint (TIFFWriteScanline (tif, buf, y, s), ==, 1);
              }
          g_free (buf);
        }
      else
        for (y = 0; y < t->height; y++)
          g_assert_cmpint (TIFFWriteScanline (tif, (guint8 *) pixels + y * row,
                                              y, 0), ==, 1);
    }
  TIFFClose (tif);
  data = read_file (path, &size);
  g_byte_array_append (a, data, (guint) size);
  g_free (data);
  g_unlink (path);
  g_free (path);
  return a;
}

/* A 4x3 8-bit grey TIFF by hand, its directory before its strip (libtiff
 * writes it after), little- or big-endian. */
static GByteArray *
tiff_by_hand (gboolean big_endian)
{
  static const guint16 tags[9][3] = {   /* tag, type (3 SHORT, 4 LONG), value */
    { 256, 3, 4 }, { 257, 3, 3 }, { 258, 3, 8 }, { 259, 3, 1 },
    { 262, 3, 1 }, { 273, 4, 122 }, { 277, 3, 1 }, { 278, 3, 3 },
    { 279, 4, 12 },
  };
  GByteArray *a = g_byte_array_new ();
  guint8      b[12];
  int         i;

#define PUT16(p, v) (big_endian ? ((p)[0] = (v) >> 8, (p)[1] = (v) & 0xff) : \
                                  ((p)[0] = (v) & 0xff, (p)[1] = (v) >> 8))
  memcpy (b, big_endian ? "MM" : "II", 2);
  PUT16 (b + 2, 42);
  memset (b + 4, 0, 4);
  b[big_endian ? 7 : 4] = 8;
  g_byte_array_append (a, b, 8);
  PUT16 (b, 9);
  g_byte_array_append (a, b, 2);
  for (i = 0; i < 9; i++)
    {
      memset (b, 0, 12);
      PUT16 (b, tags[i][0]);
      PUT16 (b + 2, tags[i][1]);
      b[big_endian ? 7 : 4] = 1;                     /* count 1 */
      if (tags[i][1] == 3)
        PUT16 (b + 8, tags[i][2]);
      else
        b[big_endian ? 11 : 8] = (guint8) tags[i][2];
      g_byte_array_append (a, b, 12);
    }
  memset (b, 0, 4);
  g_byte_array_append (a, b, 4);                     /* no next directory */
  g_assert_cmpuint (a->len, ==, 122);
  for (i = 0; i < 12; i++)
    {
      b[0] = (guint8) (i * 20);
      g_byte_array_append (a, b, 1);
    }
#undef PUT16
  return a;
}

/* ---- round trips through our encoder ---- */

typedef struct
{
  const char       *name;
  AtelierFileType   type;
  int               channels;
  AtelierSampleType sample;
  double            tolerance;   /* JPEG: lossy */
} RoundTrip;

static const RoundTrip round_trips[] = {
  { "png-grey8",    ATELIER_FILE_PNG,  1, ATELIER_SAMPLE_U8,  0 },
  { "png-greya8",   ATELIER_FILE_PNG,  2, ATELIER_SAMPLE_U8,  0 },
  { "png-rgb8",     ATELIER_FILE_PNG,  3, ATELIER_SAMPLE_U8,  0 },
  { "png-rgba8",    ATELIER_FILE_PNG,  4, ATELIER_SAMPLE_U8,  0 },
  { "png-grey16",   ATELIER_FILE_PNG,  1, ATELIER_SAMPLE_U16, 0 },
  { "png-rgb16",    ATELIER_FILE_PNG,  3, ATELIER_SAMPLE_U16, 0 },
  { "png-rgba16",   ATELIER_FILE_PNG,  4, ATELIER_SAMPLE_U16, 0 },
  { "jpeg-grey",    ATELIER_FILE_JPEG, 1, ATELIER_SAMPLE_U8,  4 },
  { "jpeg-rgb",     ATELIER_FILE_JPEG, 3, ATELIER_SAMPLE_U8,  8 },
  { "tiff-grey8",   ATELIER_FILE_TIFF, 1, ATELIER_SAMPLE_U8,  0 },
  { "tiff-rgba8",   ATELIER_FILE_TIFF, 4, ATELIER_SAMPLE_U8,  0 },
  { "tiff-greya16", ATELIER_FILE_TIFF, 2, ATELIER_SAMPLE_U16, 0 },
  { "tiff-rgb16",   ATELIER_FILE_TIFF, 3, ATELIER_SAMPLE_U16, 0 },
  { "tiff-greyf",   ATELIER_FILE_TIFF, 1, ATELIER_SAMPLE_F32, 0 },
  { "tiff-rgbaf",   ATELIER_FILE_TIFF, 4, ATELIER_SAMPLE_F32, 0 },
};

/* A file our encoder wrote, of make_pixels' image of that size. */
static GByteArray *
encoded (AtelierFileType   type,
         int               width,
         int               height,
         int               channels,
         AtelierSampleType sample)
{
  AtelierRasterInfo info = { width, height, channels, sample, NULL };
  gchar            *path = tmp_path (type == ATELIER_FILE_PNG ? "e.png" :
                                     type == ATELIER_FILE_JPEG ? "e.jpg" :
                                                                 "e.tif");
  guint8           *pixels = make_pixels (&info, type != ATELIER_FILE_JPEG);
  GByteArray       *a = g_byte_array_new ();
  guint8           *data;
  gsize             size;

  g_assert_cmpint (save_pixels (path, type, &info, pixels, 0, NULL), ==,
                   ATELIER_OK);
  data = read_file (path, &size);
  g_byte_array_append (a, data, (guint) size);
  g_unlink (path);
  g_free (data);
  g_free (pixels);
  g_free (path);
  return a;
}

static void
test_round_trip (gconstpointer data)
{
  const RoundTrip  *c = data;
  AtelierRasterInfo info = { 37, 150, c->channels, c->sample, NULL };
  AtelierRasterInfo layout;
  const char       *ext = c->type == ATELIER_FILE_PNG ? "png" :
                          c->type == ATELIER_FILE_JPEG ? "jpg" : "tif";
  gchar            *name = g_strdup_printf ("%s.%s", c->name, ext);
  gchar            *path = tmp_path (name);
  guint8           *pixels, *file;
  gsize             size;
  TestSink          s = { 0 };
  struct stat       st;

  atelier_encode_layout (c->type, &info, &layout);
  g_assert_cmpint (layout.channels, ==, c->channels);
  g_assert_cmpint (layout.type, ==, c->sample);
  pixels = make_pixels (&info, c->tolerance == 0);
  g_assert_cmpint (save_pixels (path, c->type, &layout, pixels, 0, NULL), ==,
                   ATELIER_OK);
  g_assert_cmpint (count_temporaries (tmp_dir), ==, 0);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0666 & ~022);

  file = read_file (path, &size);
  g_assert_cmpint (decode_bytes (file, size, 0, TRUE, &s), ==, ATELIER_OK);
  g_assert_cmpint (s.info.width, ==, info.width);
  g_assert_cmpint (s.info.height, ==, info.height);
  g_assert_cmpint (s.info.channels, ==, info.channels);
  g_assert_cmpint (s.info.type, ==, info.type);
  g_assert_cmpfloat (max_diff (&info, pixels, s.pixels), <=, c->tolerance);

  sink_clear (&s);
  g_unlink (path);
  g_free (file);
  g_free (pixels);
  g_free (path);
  g_free (name);
}

static void
test_layouts (void)
{
  static const struct
  {
    AtelierFileType   type;
    int               channels;
    AtelierSampleType in, out;
    int               out_channels;
  } cases[] = {
    { ATELIER_FILE_PNG,  4, ATELIER_SAMPLE_F32, ATELIER_SAMPLE_U16, 4 },
    { ATELIER_FILE_PNG,  2, ATELIER_SAMPLE_U8,  ATELIER_SAMPLE_U8,  2 },
    { ATELIER_FILE_JPEG, 4, ATELIER_SAMPLE_U16, ATELIER_SAMPLE_U8,  3 },
    { ATELIER_FILE_JPEG, 2, ATELIER_SAMPLE_F32, ATELIER_SAMPLE_U8,  1 },
    { ATELIER_FILE_TIFF, 4, ATELIER_SAMPLE_F32, ATELIER_SAMPLE_F32, 4 },
  };
  static const struct
  {
    const char     *name;
    gboolean        ok;
    AtelierFileType type;
  } names[] = {
    { "a.png", TRUE, ATELIER_FILE_PNG }, { "dir.x/B.PNG", TRUE, ATELIER_FILE_PNG },
    { "a.jpg", TRUE, ATELIER_FILE_JPEG }, { "a.JPEG", TRUE, ATELIER_FILE_JPEG },
    { "a.tif", TRUE, ATELIER_FILE_TIFF }, { "a.Tiff", TRUE, ATELIER_FILE_TIFF },
    { "a.webp", FALSE, 0 }, { "png", FALSE, 0 }, { "dir.png/a", FALSE, 0 },
    { "a.", FALSE, 0 }, { "", FALSE, 0 },
  };
  size_t i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtelierRasterInfo in = { 5, 6, cases[i].channels, cases[i].in, NULL };
      AtelierRasterInfo out;

      atelier_encode_layout (cases[i].type, &in, &out);
      g_assert_cmpint (out.width, ==, 5);
      g_assert_cmpint (out.height, ==, 6);
      g_assert_cmpint (out.type, ==, cases[i].out);
      g_assert_cmpint (out.channels, ==, cases[i].out_channels);
    }
  for (i = 0; i < G_N_ELEMENTS (names); i++)
    {
      AtelierFileType type = (AtelierFileType) -1;

      g_assert_cmpint (atelier_file_type_from_name (names[i].name, &type), ==,
                       names[i].ok);
      if (names[i].ok)
        g_assert_cmpint (type, ==, names[i].type);
    }
}

/* ---- PNG ---- */

/* Interlaced: through get_rows (every pass over what the last put), and
 * held whole for a sink without it; both give the image. */
static void
test_png_interlaced (void)
{
  AtelierRasterInfo info = { 21, 140, 4, ATELIER_SAMPLE_U8, NULL };
  guint8           *pixels = make_pixels (&info, TRUE);
  GByteArray       *a = png_build (21, 140, PNG_COLOR_TYPE_RGBA, 4, TRUE, 6,
                                   pixels);
  TestSink          s = { 0 };
  int               with_get;

  for (with_get = 0; with_get < 2; with_get++)
    {
      g_assert_cmpint (decode_bytes (a->data, a->len, 0, with_get, &s), ==,
                       ATELIER_OK);
      g_assert_cmpint (s.info.channels, ==, 4);
      g_assert_cmpfloat (max_diff (&info, pixels, s.pixels), ==, 0);
      if (with_get)
        g_assert_cmpint (s.puts, >=, 7);
    }
  sink_clear (&s);
  g_byte_array_unref (a);
  g_free (pixels);
}

/* A palette with tRNS comes out as RGBA. */
static void
test_png_palette (void)
{
  static const guint8 plte[6] = { 255, 0, 0, 0, 0, 255 };
  static const guint8 trns[1] = { 128 };
  static const guint8 ihdr[13] = { 0, 0, 0, 2, 0, 0, 0, 1, 8, 3, 0, 0, 0 };
  /* zlib stored block: filter 0, indices 0 1 */
  guint8       idat[2 + 5 + 3 + 4] = { 0x78, 0x01, 0x01, 3, 0, 0xfc, 0xff,
                                       0, 0, 1 };
  GByteArray  *a = g_byte_array_new ();
  TestSink     s = { 0 };
  static const guint8 want[8] = { 255, 0, 0, 128, 0, 0, 255, 255 };

  put_be32 (idat + 10, adler32_of (idat + 7, 3));
  g_byte_array_append (a, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  png_append_chunk (a, "IHDR", ihdr, 13);
  png_append_chunk (a, "PLTE", plte, 6);
  png_append_chunk (a, "tRNS", trns, 1);
  png_append_chunk (a, "IDAT", idat, sizeof idat);
  png_append_chunk (a, "IEND", NULL, 0);
  g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                   ATELIER_OK);
  g_assert_cmpint (s.info.channels, ==, 4);
  g_assert_cmpmem (s.pixels, 8, want, 8);
  sink_clear (&s);
  g_byte_array_unref (a);
}

/* The edits to a stored-block PNG GEGL read as black rows or garbage
 * with no error: each is an error here. */
/* a (freed here) is refused as a bad file. */
static void
check_refused (GByteArray *a)
{
  TestSink s = { 0 };

  g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                   ATELIER_ERR_FORMAT);
  sink_clear (&s);
  g_byte_array_unref (a);
}

/* png_stored () with byte at of IDAT's data xor'ed with bits, and the
 * chunk's CRC made right again. */
static GByteArray *
png_stored_flip (size_t at,
                 guint8 bits)
{
  GByteArray *a = png_stored ();
  size_t      idat = png_find_chunk (a->data, a->len, "IDAT");

  a->data[idat + 8 + at] ^= bits;
  png_fix_crc (a->data, idat);
  return a;
}

static void
test_png_bad_data (void)
{
  GByteArray *a;
  TestSink    s = { 0 };
  size_t      ihdr;
  guint8     *rows;
  int         d;

  /* untouched, it decodes */
  a = png_stored ();
  g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                   ATELIER_OK);
  g_byte_array_unref (a);
  sink_clear (&s);

  /* a bad filter byte (5 is none of the five), Adler-32 and CRC right */
  a    = png_stored ();
  rows = a->data + png_find_chunk (a->data, a->len, "IDAT") + 8 + 7;
  rows[STORED_ROW] = 5;
  png_stored_fix (a);
  check_refused (a);

  /* bad zlib data (a stored block's NLEN not ~LEN), CRC right */
  check_refused (png_stored_flip (5, 0x01));

  /* a changed pixel: the Adler-32 is wrong, the CRC right */
  check_refused (png_stored_flip (7 + 1, 0x40));

  /* IHDR says one row fewer: more image data than the header's rows
   * (libpng's benign "too much image data"); then one row more: less */
  for (d = -1; d <= 1; d += 2)
    {
      a    = png_stored ();
      ihdr = png_find_chunk (a->data, a->len, "IHDR");
      put_be32 (a->data + ihdr + 12, STORED_H + d);
      png_fix_crc (a->data, ihdr);
      check_refused (a);
    }
}

/* Every proper prefix of data is refused as a bad file. */
static void
check_prefixes (const guint8 *data,
                gsize         size,
                gboolean      with_get)
{
  TestSink s = { 0 };
  gsize    n;

  for (n = 0; n < size; n++)
    {
      AtelierStatus st = decode_bytes (data, n, 0, with_get, &s);

      if (st != ATELIER_ERR_FORMAT)
        g_error ("a %" G_GSIZE_FORMAT "-byte prefix of a %" G_GSIZE_FORMAT
                 "-byte file gave status %d", n, size, st);
    }
  g_assert_cmpint (decode_bytes (data, size, 0, with_get, &s), ==,
                   ATELIER_OK);
  sink_clear (&s);
}

/* check_prefixes on a, read with get_rows; a is freed. */
static void
check_truncations (GByteArray *a)
{
  check_prefixes (a->data, a->len, TRUE);
  g_byte_array_unref (a);
}

static void
test_png_truncated (void)
{
  AtelierRasterInfo info = { 6, 5, 3, ATELIER_SAMPLE_U8, NULL };
  guint8           *pixels = make_pixels (&info, TRUE);
  GByteArray       *a = encoded (ATELIER_FILE_PNG, 6, 5, 3, ATELIER_SAMPLE_U8);
  GByteArray       *b = png_build (6, 5, PNG_COLOR_TYPE_RGB, 3, TRUE, 6,
                                   pixels);

  /* interlaced, also read without get_rows (held whole) */
  check_prefixes (b->data, b->len, FALSE);
  check_truncations (a);
  check_truncations (b);
  g_free (pixels);
}

/* Every byte of a PNG of critical chunks only is under its signature, a
 * chunk length or a CRC: changing any one is refused — but IEND's CRC,
 * which libpng 1.6.48 (Debian 13) no longer checks (every pixel is read
 * by then; 1.6.39, Debian 12, does). */
static void
test_png_flipped (void)
{
  GByteArray *a = encoded (ATELIER_FILE_PNG, 2, 2, 3, ATELIER_SAMPLE_U8);
  guint8     *copy = g_malloc (a->len);
  TestSink    s = { 0 };
  guint       i;

  for (i = 0; i + 4 < a->len; i++)
    {
      memcpy (copy, a->data, a->len);
      copy[i] ^= 0x10;
      if (decode_bytes (copy, a->len, 0, TRUE, &s) == ATELIER_OK)
        g_error ("a PNG with byte %u changed was accepted", i);
    }
  sink_clear (&s);
  g_free (copy);
  g_byte_array_unref (a);
}

/* IHDR says 60000 x 60000: refused from the header, with the size said,
 * before the sink is begun (so before anything is sized by it). */
static void
test_png_header_bomb (void)
{
  guint8      ihdr[13] = { 0, 0, 0xea, 0x60, 0, 0, 0xea, 0x60, 8, 2, 0, 0, 0 };
  guint8      idat[64] = { 0x78, 0x01 };
  GByteArray *a = g_byte_array_new ();
  TestSink    s = { 0 };
  AtelierContext *ctx = atelier_context_new (1);
  AtelierRasterSink sink = { sink_begin, sink_put, sink_get, &s };
  int         fd = memfd_create ("bomb", MFD_CLOEXEC);

  g_byte_array_append (a, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  png_append_chunk (a, "IHDR", ihdr, 13);
  png_append_chunk (a, "IDAT", idat, sizeof idat);
  png_append_chunk (a, "IEND", NULL, 0);
  g_assert_cmpint (write (fd, a->data, a->len), ==, (gssize) a->len);
  g_assert_cmpint (atelier_decode (ctx, fd, 0, &sink), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  g_assert_cmpstr (atelier_context_error (ctx), ==,
                   "image is 60000x60000 (3433 Mpx), over the limit of "
                   "128 Mpx");
  g_assert_cmpint (s.begun, ==, 0);

  /* a side over ATELIER_MAX_SIZE, whatever the budget */
  put_be32 (a->data + 16, ATELIER_MAX_SIZE + 1);
  put_be32 (a->data + 20, 1);
  png_fix_crc (a->data, 8);
  g_assert_cmpint (pwrite (fd, a->data, a->len, 0), ==, (gssize) a->len);
  g_assert_cmpint (atelier_decode (ctx, fd, UINT64_MAX, &sink), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "65537x1"));
  g_assert_cmpint (s.begun, ==, 0);

  close (fd);
  atelier_context_free (ctx);
  g_byte_array_unref (a);
}

/* max_pixels: a 100 x 100 image passes at 10000 and is refused at 9999. */
static void
test_budget (void)
{
  GByteArray *a = encoded (ATELIER_FILE_PNG, 100, 100, 1, ATELIER_SAMPLE_U8);
  GByteArray *j = jpeg_rgb (100, 100);
  TestSink    s = { 0 };

  g_assert_cmpint (decode_bytes (a->data, a->len, 10000, TRUE, &s), ==,
                   ATELIER_OK);
  g_assert_cmpint (decode_bytes (a->data, a->len, 9999, TRUE, &s), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  g_assert_cmpint (s.begun, ==, 0);
  g_assert_cmpint (decode_bytes (j->data, j->len, 10000, TRUE, &s), ==,
                   ATELIER_OK);
  g_assert_cmpint (decode_bytes (j->data, j->len, 9999, TRUE, &s), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  sink_clear (&s);
  g_byte_array_unref (a);
  g_byte_array_unref (j);
}

/* ---- JPEG ---- */

static void
test_jpeg_truncated (void)
{
  GByteArray       *a = jpeg_grey_small ();
  AtelierRasterInfo info = { 16, 16, 3, ATELIER_SAMPLE_U8, NULL };
  guint8           *pixels = make_pixels (&info, FALSE);
  GByteArray       *p = jpeg_build (16, 16, 3, FALSE, TRUE, pixels);

  check_truncations (a);
  check_truncations (p);
  g_free (pixels);
}

/* The header fields and data that made GEGL's loader (libjpeg's default
 * error handler) exit the process, or show grey: each an error here. */
typedef struct
{
  guint8 marker;
  size_t at;      /* bytes after the marker's 0xff */
  size_t n;
  guint8 value;
} JpegEdit;

static void
test_jpeg_bad (void)
{
  /* n bytes of jpeg_grey_small () set to value, each in a fresh copy */
  static const JpegEdit edits[] = {
    /* a Huffman table whose code counts add up to more than 256 */
    { 0xc4, 5, 16, 0xff },
    /* a scan naming a component the frame has not */
    { 0xda, 5, 1, 0x77 },
    /* sampling factors of 5 (at most 4) and of 0 */
    { 0xc0, 11, 1, 0x55 },
    { 0xc0, 11, 1, 0x00 },
    /* 12-bit precision, a height of 0, lossless coding */
    { 0xc0, 4, 1, 12 },
    { 0xc0, 5, 2, 0 },
    { 0xc0, 1, 1, 0xc3 }
  };
  GByteArray *a;
  size_t      i, at, sos;

  for (i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      a  = jpeg_grey_small ();
      at = jpeg_find_marker (a, edits[i].marker);
      memset (a->data + at + edits[i].at, edits[i].value, edits[i].n);
      check_refused (a);
    }

  /* a scan cut in half and closed with EOI: libjpeg pads it with grey
   * and warns ("premature end of data segment") */
  a   = jpeg_rgb (64, 64);
  sos = jpeg_find_marker (a, 0xda);
  at  = sos + 2 + (a->data[sos + 2] << 8 | a->data[sos + 3]);
  g_byte_array_set_size (a, (guint) (at + (a->len - at) / 2));
  g_byte_array_append (a, (const guint8 *) "\xff\xd9", 2);
  check_refused (a);

  /* not a JPEG's end: something other than EOI after the scan */
  a = jpeg_rgb (64, 64);
  a->data[a->len - 1] = 0xd0;
  check_refused (a);
}

/* Bytes between a segment's end and the next marker lose no pixel
 * (camera files have them): decoded, with the same pixels. */
static void
test_jpeg_extraneous (void)
{
  GByteArray *a = jpeg_rgb (32, 32);
  GByteArray *b = g_byte_array_new ();
  TestSink    s = { 0 }, t = { 0 };
  size_t      dqt = jpeg_find_marker (a, 0xdb);

  g_byte_array_append (b, a->data, (guint) dqt);
  g_byte_array_append (b, (const guint8 *) "\0\0\0", 3);
  g_byte_array_append (b, a->data + dqt, (guint) (a->len - dqt));
  g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                   ATELIER_OK);
  g_assert_cmpint (decode_bytes (b->data, b->len, 0, TRUE, &t), ==,
                   ATELIER_OK);
  g_assert_cmpmem (s.pixels, s.row_bytes * 32, t.pixels, t.row_bytes * 32);
  sink_clear (&s);
  sink_clear (&t);
  g_byte_array_unref (a);
  g_byte_array_unref (b);
}

/* CMYK, with an Adobe marker (values stored as 255 - ink, as Photoshop
 * writes them) and without (ink as is): the same RGB either way. */
static void
test_jpeg_cmyk (void)
{
  static const guint8 ink[4] = { 0, 128, 255, 64 };
  /* R = (255 - C)(255 - K) / 255 ... */
  static const int    want[3] = { 191, 95, 0 };
  int                 adobe;

  for (adobe = 0; adobe < 2; adobe++)
    {
      guint8      pixels[16 * 16 * 4];
      GByteArray *a;
      TestSink    s = { 0 };
      int         i, c;

      for (i = 0; i < 16 * 16 * 4; i++)
        pixels[i] = adobe ? 255 - ink[i % 4] : ink[i % 4];
      a = jpeg_build (16, 16, 4, adobe, FALSE, pixels);
      /* the marker is there exactly when asked for */
      g_assert_cmpint (memmem (a->data, a->len, "Adobe", 5) != NULL, ==,
                       adobe);
      g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                       ATELIER_OK);
      g_assert_cmpint (s.info.channels, ==, 3);
      for (i = 0; i < 16 * 16; i++)
        for (c = 0; c < 3; c++)
          g_assert_cmpint (ABS (s.pixels[i * 3 + c] - want[c]), <=, 3);
      sink_clear (&s);
      g_byte_array_unref (a);
    }
}

/* ---- TIFF ---- */

/* Every truncation of strip TIFFs, raw, LZW and deflate, directory last
 * (libtiff's layout) or first (by hand, both byte orders). */
static void
test_tiff_truncated (void)
{
  static const uint16_t compressions[3] = { COMPRESSION_NONE,
                                            COMPRESSION_LZW,
                                            COMPRESSION_ADOBE_DEFLATE };
  AtelierRasterInfo info = { 7, 5, 3, ATELIER_SAMPLE_U8, NULL };
  guint8           *pixels = make_pixels (&info, TRUE);
  int               i;

  for (i = 0; i < 3; i++)
    {
      TiffSpec t = { 7, 5, 3, 8, PHOTOMETRIC_RGB, compressions[i],
                     SAMPLEFORMAT_UINT, -1, FALSE, FALSE };

      check_truncations (tiff_build (&t, pixels));
    }
  check_truncations (encoded (ATELIER_FILE_TIFF, 7, 5, 4, ATELIER_SAMPLE_U16));
  for (i = 0; i < 2; i++)
    check_truncations (tiff_by_hand (i));
  g_free (pixels);
}

static void
test_tiff_by_hand (void)
{
  int i, k;

  for (i = 0; i < 2; i++)
    {
      GByteArray *a = tiff_by_hand (i);
      TestSink    s = { 0 };

      g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                       ATELIER_OK);
      g_assert_cmpint (s.info.width, ==, 4);
      g_assert_cmpint (s.info.height, ==, 3);
      g_assert_cmpint (s.info.channels, ==, 1);
      for (k = 0; k < 12; k++)
        g_assert_cmpint (s.pixels[k], ==, k * 20);
      sink_clear (&s);
      g_byte_array_unref (a);
    }
}

/* The fast path's conversions: CMYK (8 and 16 bits, with alpha),
 * min-is-white, associated alpha; and the RGBA path's: tiles, planes
 * apart, a palette. */
static void
test_tiff_kinds (void)
{
  TestSink s = { 0 };

  /* CMYK: C 0, M 128, Y 255, K 64 -> 191, 95, 0 */
  {
    static const guint8 ink[4] = { 0, 128, 255, 64 };
    guint8              px[3 * 2 * 4];
    guint16             px16[3 * 2 * 5];
    TiffSpec            t = { 3, 2, 4, 8, PHOTOMETRIC_SEPARATED,
                              COMPRESSION_LZW, SAMPLEFORMAT_UINT, -1,
                              FALSE, FALSE };
    GByteArray         *a;
    int                 i;

    for (i = 0; i < 24; i++)
      px[i] = ink[i % 4];
    a = tiff_build (&t, px);
    g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                     ATELIER_OK);
    g_assert_cmpint (s.info.channels, ==, 3);
    g_assert_cmpint (s.info.type, ==, ATELIER_SAMPLE_U8);
    g_assert_cmpmem (s.pixels, 3, ((guint8[]) { 191, 95, 0 }), 3);
    g_byte_array_unref (a);

    for (i = 0; i < 30; i++)
      px16[i] = i % 5 == 4 ? 40000 : ink[i % 5] * 257;
    t.spp   = 5;
    t.bps   = 16;
    t.extra = EXTRASAMPLE_UNASSALPHA;
    a = tiff_build (&t, px16);
    g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                     ATELIER_OK);
    g_assert_cmpint (s.info.channels, ==, 4);
    g_assert_cmpint (s.info.type, ==, ATELIER_SAMPLE_U16);
    /* (65535 - C)(65535 - K) / 65535, rounded */
    g_assert_cmpint (((guint16 *) s.pixels)[0], ==, 49087);
    g_assert_cmpint (((guint16 *) s.pixels)[1], ==,
                     (32639u * 49087u + 32767u) / 65535u);
    g_assert_cmpint (((guint16 *) s.pixels)[2], ==, 0);
    g_assert_cmpint (((guint16 *) s.pixels)[3], ==, 40000);
    g_byte_array_unref (a);
  }

  /* min-is-white grey, and RGBA with premultiplied alpha */
  {
    guint8      grey[4] = { 0, 55, 200, 255 };
    guint8      rgba[4 * 2] = { 50, 100, 25, 100, 0, 0, 0, 0 };
    TiffSpec    t = { 4, 1, 1, 8, PHOTOMETRIC_MINISWHITE, COMPRESSION_NONE,
                      SAMPLEFORMAT_UINT, -1, FALSE, FALSE };
    GByteArray *a = tiff_build (&t, grey);

    g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                     ATELIER_OK);
    g_assert_cmpmem (s.pixels, 4, ((guint8[]) { 255, 200, 55, 0 }), 4);
    g_byte_array_unref (a);

    t = (TiffSpec) { 2, 1, 4, 8, PHOTOMETRIC_RGB, COMPRESSION_NONE,
                     SAMPLEFORMAT_UINT, EXTRASAMPLE_ASSOCALPHA, FALSE, FALSE };
    a = tiff_build (&t, rgba);
    g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                     ATELIER_OK);
    g_assert_cmpmem (s.pixels, 8,
                     ((guint8[]) { 128, 255, 64, 100, 0, 0, 0, 0 }), 8);
    g_byte_array_unref (a);
  }

  /* tiles, compressed or not (libtiff 4.5.0's buffered read refuses an
   * uncompressed tile of 768 bytes), at 8 and 16 bits: the fast path */
  {
    AtelierRasterInfo info = { 40, 35, 3, ATELIER_SAMPLE_U8, NULL };
    int               k;

    for (k = 0; k < 4; k++)
      {
        guint8     *px;
        TiffSpec    t = { 40, 35, 3, 8, PHOTOMETRIC_RGB,
                          k & 1 ? COMPRESSION_ADOBE_DEFLATE : COMPRESSION_NONE,
                          SAMPLEFORMAT_UINT, -1, TRUE, FALSE };
        GByteArray *a;

        info.type = k & 2 ? ATELIER_SAMPLE_U16 : ATELIER_SAMPLE_U8;
        t.bps     = k & 2 ? 16 : 8;
        px        = make_pixels (&info, TRUE);
        a         = tiff_build (&t, px);
        g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                         ATELIER_OK);
        g_assert_cmpint (s.info.channels, ==, 3);
        g_assert_cmpint (s.info.type, ==, info.type);
        g_assert_cmpfloat (max_diff (&info, px, s.pixels), ==, 0);
        g_byte_array_unref (a);
        g_free (px);
      }
  }

  /* planes apart and a palette: the RGBA path, 8-bit */
  {
    AtelierRasterInfo info = { 40, 35, 3, ATELIER_SAMPLE_U8, NULL };
    guint8           *px = make_pixels (&info, TRUE);
    TiffSpec          t = { 40, 35, 3, 8, PHOTOMETRIC_RGB, COMPRESSION_LZW,
                            SAMPLEFORMAT_UINT, -1, FALSE, TRUE };
    GByteArray       *a = tiff_build (&t, px);
    guint16           map[3][256];
    guint8            index[4] = { 0, 1, 2, 255 };
    int               i;

    g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                     ATELIER_OK);
    g_assert_cmpfloat (max_diff (&info, px, s.pixels), ==, 0);
    g_byte_array_unref (a);
    g_free (px);

    for (i = 0; i < 256; i++)
      {
        map[0][i] = (guint16) (i * 257);
        map[1][i] = (guint16) ((255 - i) * 257);
        map[2][i] = (guint16) ((i * 7 % 256) * 257);
      }
    t = (TiffSpec) { 4, 1, 1, 8, PHOTOMETRIC_PALETTE, COMPRESSION_NONE,
                     SAMPLEFORMAT_UINT, -1, FALSE, FALSE };
    tiff_colormap = map[0];
    a = tiff_build (&t, index);
    tiff_colormap = NULL;
    g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                     ATELIER_OK);
    g_assert_cmpint (s.info.channels, ==, 3);
    g_assert_cmpmem (s.pixels, 12, ((guint8[]) { 0, 255, 0, 1, 254, 7,
                                                 2, 253, 14, 255, 0, 249 }),
                     12);
    g_byte_array_unref (a);
  }
  sink_clear (&s);
}

/* ---- WebP ---- */

static GByteArray *
webp_build (gboolean      lossless,
            const guint8 *px)
{
  uint8_t          *out = NULL;
  size_t            size = lossless ?
    WebPEncodeLosslessRGBA (px, 24, 20, 24 * 4, &out) :
    WebPEncodeRGBA (px, 24, 20, 24 * 4, 90, &out);
  GByteArray       *a = g_byte_array_new ();

  g_assert_cmpuint (size, >, 0);
  g_byte_array_append (a, out, (guint) size);
  WebPFree (out);
  return a;
}

static void
test_webp (void)
{
  AtelierRasterInfo info = { 24, 20, 4, ATELIER_SAMPLE_U8, NULL };
  guint8           *px = make_pixels (&info, TRUE);
  GByteArray       *a, *b;
  TestSink          s = { 0 };
  int               i;

  /* libwebp's lossless encoder may change colours where alpha is 0 */
  for (i = 3; i < 24 * 20 * 4; i += 4)
    px[i] |= 1;
  a = webp_build (TRUE, px);
  b = webp_build (FALSE, px);

  g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                   ATELIER_OK);
  g_assert_cmpint (s.info.channels, ==, 4);
  g_assert_cmpfloat (max_diff (&info, px, s.pixels), ==, 0);
  check_prefixes (a->data, a->len, TRUE);
  check_prefixes (b->data, b->len, TRUE);
  g_assert_cmpint (decode_bytes (a->data, a->len, 479, TRUE, &s), ==,
                   ATELIER_ERR_INVALID_IMAGE);

  /* a bad lossless bitstream, its RIFF whole */
  memset (a->data + 25, 0xff, a->len - 25);
  g_assert_cmpint (decode_bytes (a->data, a->len, 0, TRUE, &s), ==,
                   ATELIER_ERR_FORMAT);
  sink_clear (&s);
  g_byte_array_unref (a);
  g_byte_array_unref (b);
  g_free (px);
}

/* RIFF, a VP8X header with the animation flag, an ANIM chunk: GEGL
 * decoded such files as black. */
static void
test_webp_animated (void)
{
  static const guint8 file[] = {
    'R', 'I', 'F', 'F', 36, 0, 0, 0, 'W', 'E', 'B', 'P',
    'V', 'P', '8', 'X', 10, 0, 0, 0, 0x02, 0, 0, 0, 15, 0, 0, 15, 0, 0,
    'A', 'N', 'I', 'M', 6, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  };
  AtelierContext   *ctx = atelier_context_new (1);
  TestSink          s = { 0 };
  AtelierRasterSink sink = { sink_begin, sink_put, sink_get, &s };
  int               fd = memfd_create ("anim", MFD_CLOEXEC);

  g_assert_cmpint (sizeof file, ==, 44);
  g_assert_cmpint (write (fd, file, sizeof file), ==, sizeof file);
  g_assert_cmpint (atelier_decode (ctx, fd, 0, &sink), ==, ATELIER_ERR_FORMAT);
  g_assert_cmpstr (atelier_context_error (ctx), ==,
                   "animated WebP is not supported");
  g_assert_cmpint (s.begun, ==, 0);
  close (fd);
  atelier_context_free (ctx);
}

/* ---- all formats ---- */

static void
test_not_an_image (void)
{
  static const char *texts[] = { "", "P3 1 1 255 0 0 0", "\x89PN", "RIFF",
                                 "GIF89a......" };
  TestSink s = { 0 };
  size_t   i;

  for (i = 0; i < G_N_ELEMENTS (texts); i++)
    g_assert_cmpint (decode_bytes (texts[i], strlen (texts[i]), 0, TRUE, &s),
                     ==, ATELIER_ERR_FORMAT);
  sink_clear (&s);
}

/* A sink's CANCELLED on its second strip stops every decoder with it. */
static void
test_sink_cancel (void)
{
  GByteArray *files[5];
  int         i;

  files[0] = encoded (ATELIER_FILE_PNG, 8, 300, 3, ATELIER_SAMPLE_U8);
  files[1] = jpeg_rgb (8, 300);
  files[2] = encoded (ATELIER_FILE_TIFF, 8, 300, 3, ATELIER_SAMPLE_U16);
  {
    AtelierRasterInfo info = { 8, 300, 3, ATELIER_SAMPLE_U8, NULL };
    guint8           *px = make_pixels (&info, TRUE);
    TiffSpec          t = { 8, 300, 3, 8, PHOTOMETRIC_RGB, COMPRESSION_NONE,
                            SAMPLEFORMAT_UINT, -1, FALSE, TRUE };
    uint8_t          *out = NULL;
    size_t            size = WebPEncodeLosslessRGB (px, 8, 300, 24, &out);

    files[3] = tiff_build (&t, px);   /* planes apart: the RGBA path */
    files[4] = g_byte_array_new ();
    g_byte_array_append (files[4], out, (guint) size);
    WebPFree (out);
    g_free (px);
  }
  for (i = 0; i < 5; i++)
    {
      TestSink s = { 0 };

      s.cancel_at = 2;
      g_assert_cmpint (decode_bytes (files[i]->data, files[i]->len, 0, TRUE,
                                     &s), ==, ATELIER_CANCELLED);
      g_assert_cmpint (s.puts, ==, 2);
      sink_clear (&s);
      g_byte_array_unref (files[i]);
    }
}

/* ---- saving ---- */

/* Saving make_pixels' RGB image of width x height (noisy or smooth) as
 * each encoder's type over a file holding "old" in dir, named stem and
 * the type's extension, fails with want and a message matching pattern
 * (a glob); the old file stays, no temporary is left. */
static void
check_saves_fail (const char    *dir,
                  const char    *stem,
                  int            width,
                  int            height,
                  gboolean       noisy,
                  int            cancel_at,
                  AtelierStatus  want,
                  const char    *pattern)
{
  static const AtelierFileType types[3] = { ATELIER_FILE_PNG,
                                            ATELIER_FILE_JPEG,
                                            ATELIER_FILE_TIFF };
  static const char *exts[3] = { "png", "jpg", "tif" };
  AtelierRasterInfo  info = { width, height, 3, ATELIER_SAMPLE_U8, NULL };
  guint8            *px = make_pixels (&info, noisy);
  int                i;

  for (i = 0; i < 3; i++)
    {
      gchar *name = g_strdup_printf ("%s.%s", stem, exts[i]);
      gchar *path = g_build_filename (dir, name, NULL);
      gchar *message = NULL, *data;
      gsize  size;

      g_assert_true (g_file_set_contents (path, "old", 3, NULL));
      g_assert_cmpint (save_pixels (path, types[i], &info, px, cancel_at,
                                    &message), ==, want);
      if (! g_pattern_match_simple (pattern, message))
        g_error ("saving %s said \"%s\", not \"%s\"", path, message,
                 pattern);
      g_assert_true (g_file_get_contents (path, &data, &size, NULL));
      g_assert_cmpmem (data, size, "old", 3);
      g_assert_cmpint (count_temporaries (dir), ==, 0);
      g_free (data);
      g_free (message);
      g_free (path);
      g_free (name);
    }
  g_free (px);
}

/* A source's CANCELLED part-way leaves the old file and no temporary. */
static void
test_save_cancel (void)
{
  check_saves_fail (tmp_dir, "old", 50, 400, FALSE, 200, ATELIER_CANCELLED,
                    "cancelled");
}

/* Saving over a file keeps its mode; onto a folder is refused. */
static void
test_save_targets (void)
{
  AtelierRasterInfo info = { 3, 3, 1, ATELIER_SAMPLE_U8, NULL };
  guint8           *px = make_pixels (&info, TRUE);
  gchar            *path = tmp_path ("mode.png");
  gchar            *dir = tmp_path ("folder.png");
  gchar            *message = NULL;
  struct stat       st;

  g_assert_true (g_file_set_contents (path, "x", 1, NULL));
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_cmpint (save_pixels (path, ATELIER_FILE_PNG, &info, px, 0, NULL),
                   ==, ATELIER_OK);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_assert_cmpint (st.st_size, >, 1);

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_cmpint (save_pixels (dir, ATELIER_FILE_PNG, &info, px, 0,
                                &message), ==, ATELIER_ERR_IO);
  g_assert_nonnull (strstr (message, "Is a directory"));
  g_assert_cmpint (count_temporaries (tmp_dir), ==, 0);
  g_free (message);

  /* a layout the encoder cannot write */
  info.type = ATELIER_SAMPLE_F32;
  g_assert_cmpint (save_pixels (path, ATELIER_FILE_PNG, &info, px, 0, NULL),
                   ==, ATELIER_ERR_INVALID_PARAM);

  g_rmdir (dir);
  g_unlink (path);
  g_free (dir);
  g_free (path);
  g_free (px);
}

/* A full disk (a 64 KiB tmpfs; root only): every format's save fails
 * with the reason, the old file stays, no temporary is left. */
static void
test_save_full_disk (void)
{
  gchar *dir = tmp_path ("full");

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  if (mount ("tmpfs", dir, "tmpfs", 0, "size=64k") != 0)
    {
      g_test_skip ("cannot mount a small tmpfs (needs root)");
      g_rmdir (dir);
      g_free (dir);
      return;
    }
  check_saves_fail (dir, "full", 256, 256, TRUE, 0, ATELIER_ERR_IO,
                    "*No space left on device*");
  umount2 (dir, MNT_DETACH);
  g_rmdir (dir);
  g_free (dir);
}

static void
remove_tmp_dir (void)
{
  GDir       *d = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      gchar *path = tmp_path (name);

      g_unlink (path);
      g_free (path);
    }
  if (d)
    g_dir_close (d);
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
}

int
main (int    argc,
      char **argv)
{
  GError *error = NULL;
  size_t  i;
  int     status;

  g_test_init (&argc, &argv, NULL);
  /* the round trips check new files' modes against umask 022 */
  umask (022);
  tmp_dir = g_dir_make_tmp ("atelier-image-XXXXXX", &error);
  g_assert_no_error (error);

  for (i = 0; i < G_N_ELEMENTS (round_trips); i++)
    test_add_case ("/engine/image_file/round-trip", round_trips[i].name,
                   &round_trips[i], test_round_trip);
  g_test_add_func ("/engine/image_file/layouts", test_layouts);
  g_test_add_func ("/engine/image_file/png-interlaced", test_png_interlaced);
  g_test_add_func ("/engine/image_file/png-palette", test_png_palette);
  g_test_add_func ("/engine/image_file/png-bad-data", test_png_bad_data);
  g_test_add_func ("/engine/image_file/png-truncated", test_png_truncated);
  g_test_add_func ("/engine/image_file/png-flipped", test_png_flipped);
  g_test_add_func ("/engine/image_file/png-header-bomb", test_png_header_bomb);
  g_test_add_func ("/engine/image_file/budget", test_budget);
  g_test_add_func ("/engine/image_file/jpeg-truncated", test_jpeg_truncated);
  g_test_add_func ("/engine/image_file/jpeg-bad", test_jpeg_bad);
  g_test_add_func ("/engine/image_file/jpeg-extraneous", test_jpeg_extraneous);
  g_test_add_func ("/engine/image_file/jpeg-cmyk", test_jpeg_cmyk);
  g_test_add_func ("/engine/image_file/tiff-truncated", test_tiff_truncated);
  g_test_add_func ("/engine/image_file/tiff-by-hand", test_tiff_by_hand);
  g_test_add_func ("/engine/image_file/tiff-kinds", test_tiff_kinds);
  g_test_add_func ("/engine/image_file/webp", test_webp);
  g_test_add_func ("/engine/image_file/webp-animated", test_webp_animated);
  g_test_add_func ("/engine/image_file/not-an-image", test_not_an_image);
  g_test_add_func ("/engine/image_file/sink-cancel", test_sink_cancel);
  g_test_add_func ("/engine/image_file/save-cancel", test_save_cancel);
  g_test_add_func ("/engine/image_file/save-targets", test_save_targets);
  g_test_add_func ("/engine/image_file/save-full-disk", test_save_full_disk);
  status = g_test_run ();
  remove_tmp_dir ();
  return status;
}
