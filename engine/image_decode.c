/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Decoding PNG, JPEG, TIFF and WebP files into a raster sink.
 *
 * Every byte comes from an untrusted file, so: the pixel budget is checked
 * from the header before anything is sized by it; the libraries' errors
 * come back here (setjmp/longjmp for libpng and libjpeg, per-handle
 * handlers for libtiff, status codes for libwebp) and never exit; a
 * warning that means a pixel was lost or guessed is an error too; and
 * every decoder's state is freed on every path, error paths included
 * (tests/fuzz checks that under ASan).
 *
 * The file is read with pread() from offset 0, so the descriptor's own
 * offset is neither used nor moved.  Rows go to the sink in strips of at
 * most STRIP_BYTES; the only whole-image buffers are an interlaced PNG
 * read for a sink without get_rows, a WebP (libwebp decodes a frame whole)
 * and a TIFF whose strips or tiles span the whole image on the generic
 * path.
 */
#define _GNU_SOURCE
#include "image_file.h"
#include "file_io.h"
#include "internal.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <png.h>
#include <jpeglib.h>
#include <jerror.h>
#include <tiffio.h>
#include <webp/decode.h>

#define STRIP_BYTES     (4 << 20)  /* rows handed to the sink at a time     */
#define STRIP_ROWS      128        /* ... and at most this many             */
#define IO_BLOCK        65536      /* libjpeg's read buffer                 */
/* An ancillary PNG chunk (iCCP, zTXt) is inflated into memory; 8 MiB holds
 * any real ICC profile or text many times over. */
#define PNG_CHUNK_MAX   (8 << 20)
/* libjpeg-turbo's own fuzzers stop at 500 scans: a progressive file has
 * about 10, and each scan of a crafted file can walk every block again. */
#define JPEG_MAX_SCANS  500
/* libwebp decodes from memory; a WebP can be at most 16383 x 16383, and no
 * real one of that size comes near 256 MiB. */
#define WEBP_MAX_FILE   ((uint64_t) 256 << 20)
#define WEBP_PREFIX     4096       /* enough for WebPGetFeatures            */

size_t
atelier_raster_row_bytes (const AtelierRasterInfo *info)
{
  size_t sample = info->type == ATELIER_SAMPLE_U8 ? 1 :
                  info->type == ATELIER_SAMPLE_U16 ? 2 : 4;

  return (size_t) info->width * info->channels * sample;
}

/* ---- shared helpers ---- */

static AtelierStatus
read_error (AtelierContext *ctx,
            int             err)
{
  char buf[128];

  atelier_set_error (ctx, ATELIER_N_ ("read error: %s"),
                     strerror_r (err, buf, sizeof buf));
  return ATELIER_ERR_IO;
}

/* Why a decode stopped: a read error, the end of the file or the codec
 * library's reason. */
static AtelierStatus
decode_failure (AtelierContext *ctx,
                const char     *format,
                int             read_errno,
                bool            truncated,
                const char     *reason)
{
  if (read_errno)
    return read_error (ctx, read_errno);
  if (truncated)
    atelier_set_error (ctx, ATELIER_N_ ("truncated %s"), format);
  else
    atelier_set_error (ctx, ATELIER_N_ ("corrupt %s: %s"), format,
                       reason);
  return ATELIER_ERR_FORMAT;
}

/* "3433 Mpx" or, under one Mpx, "9999 pixels". */
static void
format_pixels (uint64_t  n,
               char     *buf,
               size_t    size)
{
  if (n >= (1u << 20))
    snprintf (buf, size, "%llu Mpx",
              (unsigned long long) ((n + (1u << 19)) >> 20));
  else
    snprintf (buf, size, "%llu pixels", (unsigned long long) n);
}

/* The header's size against the sides' limit and the pixel budget. */
static AtelierStatus
check_size (AtelierContext *ctx,
            const char     *format,
            uint64_t        width,
            uint64_t        height,
            uint64_t        max_pixels)
{
  uint64_t limit = max_pixels ? max_pixels : ATELIER_DEFAULT_MAX_PIXELS;
  char     have[32], most[32];

  if (width == 0 || height == 0)
    {
      atelier_set_error (ctx, "corrupt %s: the image is %llux%llu", format,
                         (unsigned long long) width,
                         (unsigned long long) height);
      return ATELIER_ERR_FORMAT;
    }
  if (width > ATELIER_MAX_SIZE || height > ATELIER_MAX_SIZE)
    {
      atelier_set_error (ctx, ATELIER_N_ ("image is %llux%llu; each side "
                                          "must be at most %d pixels"),
                         (unsigned long long) width,
                         (unsigned long long) height, ATELIER_MAX_SIZE);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (width * height > limit)
    {
      format_pixels (width * height, have, sizeof have);
      format_pixels (limit, most, sizeof most);
      atelier_set_error (ctx, ATELIER_N_ ("image is %llux%llu (%s), over "
                                          "the limit of %s"),
                         (unsigned long long) width,
                         (unsigned long long) height, have, most);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  return ATELIER_OK;
}

/* Rows a strip holds: at most STRIP_BYTES and STRIP_ROWS, at least 1. */
static int
strip_rows (size_t row_bytes,
            int    height)
{
  size_t n = STRIP_BYTES / (row_bytes ? row_bytes : 1);

  if (n > STRIP_ROWS)
    n = STRIP_ROWS;
  if (n > (size_t) height)
    n = (size_t) height;
  return n < 1 ? 1 : (int) n;
}

static AtelierStatus
no_memory (AtelierContext          *ctx,
           const AtelierRasterInfo *info)
{
  atelier_set_error (ctx, "out of memory decoding a %dx%d %s",
                     info->width, info->height, info->format);
  return ATELIER_ERR_NO_MEMORY;
}

/* ---- PNG ---- */

typedef struct
{
  AtelierContext *ctx;
  int             fd;
  uint64_t        offset;
  int             read_errno;
  bool            truncated;
  char            message[200];
  jmp_buf         jmp;
  png_structp     png;
  png_infop       info;
  unsigned char  *rows;
  png_bytep      *pointers;
} PngDecoder;

static void
png_error_fn (png_structp     png,
              png_const_charp msg)
{
  PngDecoder *d = png_get_error_ptr (png);

  snprintf (d->message, sizeof d->message, "%s", msg);
  longjmp (d->jmp, 1);
}

/* libpng reports problems with ancillary chunks (a bad iCCP, a CRC error
 * in a tEXt) as warnings, and they lose no pixel.  It also makes some
 * image-data problems benign, because it has every row by then: extra
 * zlib data, a bad Adler-32 at the end of the stream, IDATs after the
 * image, palette indices past the palette.  Those mean the file is not
 * what its writer wrote, so they are errors here. */
static void
png_warning_fn (png_structp     png,
                png_const_charp msg)
{
  if (strstr (msg, "IDAT") || strstr (msg, "image data") ||
      strstr (msg, "compressed data") || strstr (msg, "palette index"))
    png_error_fn (png, msg);
}

/* libpng's data source: a short read is a truncated file, never padding. */
static void
png_read_fn (png_structp png,
             png_bytep   data,
             size_t      length)
{
  PngDecoder *d = png_get_io_ptr (png);
  ssize_t     r = atelier_read_at (d->fd, data, length, d->offset);

  if (r < 0)
    {
      d->read_errno = errno;
      png_error (png, "read error");
    }
  d->offset += (uint64_t) r;
  if ((size_t) r < length)
    {
      d->truncated = true;
      png_error (png, "truncated");
    }
}

/* The decode proper, under libpng's longjmp: nothing here outlives a
 * longjmp but what d holds, which decode_png frees. */
static AtelierStatus
png_run (PngDecoder              *d,
         uint64_t                 max_pixels,
         const AtelierRasterSink *sink)
{
  png_structp       png = d->png;
  png_infop         info = d->info;
  AtelierRasterInfo raster;
  AtelierStatus     st;
  png_uint_32       width, height;
  size_t            row_bytes;
  int               depth, color, interlace, passes, pass, n, y, k, i;

  if (setjmp (d->jmp))
    return decode_failure (d->ctx, "PNG", d->read_errno, d->truncated,
                           d->message);

  png_set_read_fn (png, d, png_read_fn);
  /* Our own check below refuses large images with the message the
   * contract gives; libpng's limit (1e6 a side) would only say less. */
  png_set_user_limits (png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
  png_set_chunk_malloc_max (png, PNG_CHUNK_MAX);
  png_read_info (png, info);
  png_get_IHDR (png, info, &width, &height, &depth, &color, &interlace,
                NULL, NULL);
  if ((st = check_size (d->ctx, "PNG", width, height, max_pixels)) !=
      ATELIER_OK)
    return st;

  /* palettes to RGB, tRNS to alpha, grey under 8 bits to 8 */
  png_set_expand (png);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (depth == 16)
    png_set_swap (png);
#endif
  passes = png_set_interlace_handling (png);
  png_read_update_info (png, info);

  raster.width    = (int) width;
  raster.height   = (int) height;
  raster.channels = png_get_channels (png, info);
  raster.type     = png_get_bit_depth (png, info) == 16 ? ATELIER_SAMPLE_U16 :
                                                          ATELIER_SAMPLE_U8;
  raster.format   = "PNG";
  row_bytes       = atelier_raster_row_bytes (&raster);
  if (raster.channels < 1 || raster.channels > 4 ||
      png_get_rowbytes (png, info) != row_bytes)
    {
      atelier_set_error (d->ctx, "corrupt PNG: unexpected row layout");
      return ATELIER_ERR_FORMAT;
    }
  if ((st = sink->begin (sink->data, &raster)) != ATELIER_OK)
    return st;

  /* An interlaced image read for a sink that cannot give rows back is
   * held whole: each pass adds pixels to rows the earlier ones wrote. */
  n = passes > 1 && ! sink->get_rows ? raster.height :
                                       strip_rows (row_bytes, raster.height);
  d->rows     = malloc ((size_t) n * row_bytes);
  d->pointers = malloc ((size_t) n * sizeof *d->pointers);
  if (! d->rows || ! d->pointers)
    return no_memory (d->ctx, &raster);
  for (i = 0; i < n; i++)
    d->pointers[i] = d->rows + (size_t) i * row_bytes;

  if (passes > 1 && ! sink->get_rows)
    {
      memset (d->rows, 0, (size_t) n * row_bytes);
      for (pass = 0; pass < passes; pass++)
        png_read_rows (png, d->pointers, NULL, (png_uint_32) n);
      for (y = 0; y < raster.height; y += k)
        {
          k = strip_rows (row_bytes, raster.height - y);
          st = sink->put_rows (sink->data, y, k, d->pointers[y]);
          if (st != ATELIER_OK)
            return st;
        }
    }
  else
    for (pass = 0; pass < passes; pass++)
      for (y = 0; y < raster.height; y += k)
        {
          k = n < raster.height - y ? n : raster.height - y;
          /* the "sparkle" form: a pass writes only its own pixels over
           * what the earlier passes left in the rows */
          if (pass == 0)
            memset (d->rows, 0, (size_t) k * row_bytes);
          else if ((st = sink->get_rows (sink->data, y, k, d->rows)) !=
                   ATELIER_OK)
            return st;
          png_read_rows (png, d->pointers, NULL, (png_uint_32) k);
          if ((st = sink->put_rows (sink->data, y, k, d->rows)) != ATELIER_OK)
            return st;
        }

  /* the rest of the stream: the zlib end and Adler-32, the IDAT CRCs,
   * the chunks up to IEND */
  png_read_end (png, NULL);
  return ATELIER_OK;
}

static AtelierStatus
decode_png (AtelierContext          *ctx,
            int                      fd,
            uint64_t                 max_pixels,
            const AtelierRasterSink *sink)
{
  PngDecoder    d = { 0 };
  AtelierStatus st;

  d.ctx = ctx;
  d.fd  = fd;
  d.png = png_create_read_struct (PNG_LIBPNG_VER_STRING, &d, png_error_fn,
                                  png_warning_fn);
  if (d.png)
    d.info = png_create_info_struct (d.png);
  if (! d.png || ! d.info)
    {
      atelier_set_error (ctx, "out of memory starting the PNG decoder");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  st = png_run (&d, max_pixels, sink);

out:
  if (d.png)
    png_destroy_read_struct (&d.png, d.info ? &d.info : NULL, NULL);
  free (d.rows);
  free (d.pointers);
  return st;
}

/* ---- JPEG ---- */

/* cinfo comes first, so libjpeg's callbacks find the rest from it. */
typedef struct
{
  struct jpeg_decompress_struct cinfo;
  struct jpeg_error_mgr         err;
  struct jpeg_source_mgr        src;
  struct jpeg_progress_mgr      progress;
  jmp_buf                       jmp;
  char                          message[JMSG_LENGTH_MAX];
  AtelierContext               *ctx;
  int                           fd;
  uint64_t                      offset;
  int                           read_errno;
  bool                          truncated;
  unsigned char                *rows;
  unsigned char                *rgb;
  JOCTET                        buffer[IO_BLOCK];
} JpegDecoder;

static void
jpeg_error_exit_fn (j_common_ptr cinfo)
{
  JpegDecoder *d = (JpegDecoder *) cinfo;

  (*cinfo->err->format_message) (cinfo, d->message);
  longjmp (d->jmp, 1);
}

/* libjpeg's warnings (level -1) are corrupt data it papers over: a bad
 * Huffman code, a marker in the middle of a scan, a missing restart
 * marker, a bad progression.  All are errors, except two that lose no
 * pixel: bytes between the end of a segment and the next marker (common
 * in camera files, whose makers pad segments) and an unknown JFIF
 * version (a field of the APP0 header). */
static void
jpeg_emit_message_fn (j_common_ptr cinfo,
                      int          level)
{
  if (level >= 0)
    return;
  if (cinfo->err->msg_code == JWRN_EXTRANEOUS_DATA ||
      cinfo->err->msg_code == JWRN_JFIF_MAJOR)
    {
      cinfo->err->num_warnings++;
      return;
    }
  jpeg_error_exit_fn (cinfo);
}

static void
jpeg_progress_fn (j_common_ptr cinfo)
{
  JpegDecoder *d = (JpegDecoder *) cinfo;

  if (d->cinfo.input_scan_number > JPEG_MAX_SCANS)
    {
      snprintf (d->message, sizeof d->message, "more than %d scans",
                JPEG_MAX_SCANS);
      longjmp (d->jmp, 1);
    }
}

static void
jpeg_init_source_fn (j_decompress_ptr cinfo)
{
}

/* Unlike libjpeg's stdio source, the end of the file is an error: the
 * usual fake EOI would turn the rest of the image into grey. */
static boolean
jpeg_fill_fn (j_decompress_ptr cinfo)
{
  JpegDecoder *d = (JpegDecoder *) cinfo;
  ssize_t      r = atelier_read_at (d->fd, d->buffer, IO_BLOCK, d->offset);

  if (r < 0)
    {
      d->read_errno = errno;
      ERREXIT (cinfo, JERR_FILE_READ);
    }
  if (r == 0)
    {
      d->truncated = true;
      ERREXIT (cinfo, JERR_INPUT_EOF);
    }
  d->offset              += (uint64_t) r;
  d->src.next_input_byte  = d->buffer;
  d->src.bytes_in_buffer  = (size_t) r;
  return TRUE;
}

static void
jpeg_skip_fn (j_decompress_ptr cinfo,
              long             n)
{
  JpegDecoder *d = (JpegDecoder *) cinfo;

  if (n <= 0)
    return;
  if ((size_t) n <= d->src.bytes_in_buffer)
    {
      d->src.next_input_byte += n;
      d->src.bytes_in_buffer -= (size_t) n;
      return;
    }
  /* past the buffer: skipped without reading; the next fill reads there,
   * and finds the end of the file if the skip went past it */
  d->offset += (uint64_t) n - d->src.bytes_in_buffer;
  d->src.bytes_in_buffer = 0;
}

static void
jpeg_term_source_fn (j_decompress_ptr cinfo)
{
}

/* CMYK to RGB, given as 255 - ink (what Adobe writes; others store ink
 * and are turned over first): R = (255 - C)(255 - K) / 255, and so on. */
static void
cmyk_to_rgb (const unsigned char *cmyk,
             unsigned char       *rgb,
             size_t               n,
             bool                 inverted)
{
  size_t i;

  for (i = 0; i < n; i++, cmyk += 4, rgb += 3)
    {
      unsigned c = cmyk[0], m = cmyk[1], y = cmyk[2], k = cmyk[3];

      if (! inverted)
        {
          c = 255 - c;
          m = 255 - m;
          y = 255 - y;
          k = 255 - k;
        }
      rgb[0] = (unsigned char) ((c * k + 127) / 255);
      rgb[1] = (unsigned char) ((m * k + 127) / 255);
      rgb[2] = (unsigned char) ((y * k + 127) / 255);
    }
}

static AtelierStatus
jpeg_run (JpegDecoder             *d,
          uint64_t                 max_pixels,
          const AtelierRasterSink *sink)
{
  j_decompress_ptr  cinfo = &d->cinfo;
  AtelierRasterInfo raster;
  AtelierStatus     st;
  JSAMPROW          pointers[STRIP_ROWS];
  size_t            row_bytes, out_bytes;
  int               n, y, k, got, i;

  if (setjmp (d->jmp))
    return decode_failure (d->ctx, "JPEG", d->read_errno, d->truncated,
                           d->message);

  cinfo->err            = jpeg_std_error (&d->err);
  d->err.error_exit     = jpeg_error_exit_fn;
  d->err.emit_message   = jpeg_emit_message_fn;
  jpeg_create_decompress (cinfo);
  d->src.init_source       = jpeg_init_source_fn;
  d->src.fill_input_buffer = jpeg_fill_fn;
  d->src.skip_input_data   = jpeg_skip_fn;
  d->src.resync_to_restart = jpeg_resync_to_restart;
  d->src.term_source       = jpeg_term_source_fn;
  cinfo->src               = &d->src;
  d->progress.progress_monitor = jpeg_progress_fn;
  cinfo->progress              = &d->progress;

  jpeg_read_header (cinfo, TRUE);
  if ((st = check_size (d->ctx, "JPEG", cinfo->image_width,
                        cinfo->image_height, max_pixels)) != ATELIER_OK)
    return st;
  if (cinfo->num_components != 1 && cinfo->num_components != 3 &&
      cinfo->num_components != 4)
    {
      atelier_set_error (d->ctx, "unsupported JPEG: %d components",
                         cinfo->num_components);
      return ATELIER_ERR_FORMAT;
    }
  switch (cinfo->jpeg_color_space)
    {
    case JCS_GRAYSCALE:
      cinfo->out_color_space = JCS_GRAYSCALE;
      break;
    case JCS_CMYK:
    case JCS_YCCK:
      cinfo->out_color_space = JCS_CMYK;
      break;
    default:
      cinfo->out_color_space = JCS_RGB;
      break;
    }
  /* What the largest legitimate use needs (a progressive file's whole
   * coefficient buffer, MCUs padded), so a crafted header cannot make
   * libjpeg allocate more. */
  cinfo->mem->max_memory_to_use =
    (long) (((uint64_t) cinfo->image_width + 32) *
            ((uint64_t) cinfo->image_height + 32) *
            (uint64_t) cinfo->num_components * sizeof (JCOEF) + (32 << 20));
  jpeg_start_decompress (cinfo);

  raster.width    = (int) cinfo->output_width;
  raster.height   = (int) cinfo->output_height;
  raster.channels = cinfo->output_components == 4 ? 3 :
                    cinfo->output_components;
  raster.type     = ATELIER_SAMPLE_U8;
  raster.format   = "JPEG";
  if (raster.channels != 1 && raster.channels != 3)
    {
      atelier_set_error (d->ctx, "unsupported JPEG: %d output components",
                         cinfo->output_components);
      return ATELIER_ERR_FORMAT;
    }
  if ((st = sink->begin (sink->data, &raster)) != ATELIER_OK)
    return st;
  row_bytes = atelier_raster_row_bytes (&raster);
  out_bytes = (size_t) raster.width * cinfo->output_components;
  n         = strip_rows (out_bytes, raster.height);
  d->rows   = malloc ((size_t) n * out_bytes);
  if (cinfo->output_components == 4)
    d->rgb = malloc ((size_t) n * row_bytes);
  if (! d->rows || (cinfo->output_components == 4 && ! d->rgb))
    return no_memory (d->ctx, &raster);
  for (i = 0; i < n; i++)
    pointers[i] = d->rows + (size_t) i * out_bytes;

  for (y = 0; y < raster.height; y += k)
    {
      k = n < raster.height - y ? n : raster.height - y;
      for (got = 0; got < k; )
        {
          JDIMENSION r = jpeg_read_scanlines (cinfo, pointers + got,
                                              (JDIMENSION) (k - got));

          if (r == 0)
            {
              atelier_set_error (d->ctx, "corrupt JPEG: scanline %d is "
                                 "missing", y + got);
              return ATELIER_ERR_FORMAT;
            }
          got += (int) r;
        }
      if (d->rgb)
        cmyk_to_rgb (d->rows, d->rgb, (size_t) k * raster.width,
                     cinfo->saw_Adobe_marker);
      st = sink->put_rows (sink->data, y, k, d->rgb ? d->rgb : d->rows);
      if (st != ATELIER_OK)
        return st;
    }
  /* reads on to EOI, so a file cut after its last scanline is refused */
  jpeg_finish_decompress (cinfo);
  return ATELIER_OK;
}

static AtelierStatus
decode_jpeg (AtelierContext          *ctx,
             int                      fd,
             uint64_t                 max_pixels,
             const AtelierRasterSink *sink)
{
  JpegDecoder  *d = calloc (1, sizeof *d);
  AtelierStatus st;

  if (! d)
    {
      atelier_set_error (ctx, "out of memory starting the JPEG decoder");
      return ATELIER_ERR_NO_MEMORY;
    }
  d->ctx = ctx;
  d->fd  = fd;
  st = jpeg_run (d, max_pixels, sink);
  /* safe after any longjmp, and on a struct never created (mem NULL) */
  jpeg_destroy_decompress (&d->cinfo);
  free (d->rows);
  free (d->rgb);
  free (d);
  return st;
}

/* ---- TIFF ---- */

typedef struct
{
  AtelierContext          *ctx;
  const AtelierRasterSink *sink;
  TIFF                    *tif;
  AtelierTiffIo           *io;
  AtelierRasterInfo        raster;
  void                    *raw;
  unsigned char           *tile;
  unsigned char           *rows;
  uint32_t                *rgba;
  bool                     rgba_begun;
  TIFFRGBAImage            img;
} TiffDecoder;

static AtelierStatus
tiff_failure (TiffDecoder *d,
              const char  *what)
{
  return decode_failure (d->ctx, "TIFF", d->io->file->read_errno, false,
                         d->io->failed ? d->io->message : what);
}

/* How the fast path turns a stored row into the raster's. */
typedef struct
{
  int  spp;          /* samples a pixel in the file                */
  int  color;        /* 1 grey, 3 RGB, 4 CMYK                      */
  bool alpha;        /* the sample after the colour is alpha       */
  bool associated;   /* ... premultiplied                          */
  bool min_is_white;
} TiffLayout;

static void
tiff_row_int (const void       *src,
              void             *dst,
              AtelierSampleType type,
              uint32_t          width,
              const TiffLayout *l)
{
  const uint8_t  *s8  = src;
  const uint16_t *s16 = src;
  uint8_t        *d8  = dst;
  uint16_t       *d16 = dst;
  uint32_t        max = type == ATELIER_SAMPLE_U8 ? 255 : 65535;
  int             out = (l->color == 1 ? 1 : 3) + l->alpha;
  uint32_t        x;
  int             c;

  for (x = 0; x < width; x++)
    {
      uint32_t v[5], o[4];
      size_t   i = (size_t) x * l->spp;

      for (c = 0; c < l->color + l->alpha; c++)
        v[c] = type == ATELIER_SAMPLE_U8 ? s8[i + c] : s16[i + c];
      if (l->alpha && l->associated)
        {
          uint32_t a = v[l->color];

          for (c = 0; c < l->color; c++)
            v[c] = a ? (v[c] * max + a / 2) / a : 0;
          for (c = 0; c < l->color; c++)
            v[c] = v[c] > max ? max : v[c];
        }
      if (l->color == 1)
        o[0] = l->min_is_white ? max - v[0] : v[0];
      else if (l->color == 3)
        memcpy (o, v, 3 * sizeof *v);
      else
        for (c = 0; c < 3; c++)
          o[c] = ((max - v[c]) * (max - v[3]) + max / 2) / max;
      if (l->alpha)
        o[out - 1] = v[l->color];
      for (c = 0; c < out; c++)
        {
          if (type == ATELIER_SAMPLE_U8)
            d8[(size_t) x * out + c] = (uint8_t) o[c];
          else
            d16[(size_t) x * out + c] = (uint16_t) o[c];
        }
    }
}

static void
tiff_row_float (const float      *src,
                float            *dst,
                uint32_t          width,
                const TiffLayout *l)
{
  int      out = (l->color == 1 ? 1 : 3) + l->alpha;
  uint32_t x;
  int      c;

  for (x = 0; x < width; x++)
    {
      const float *s = src + (size_t) x * l->spp;
      float       *d = dst + (size_t) x * out;
      float        a = l->alpha ? s[l->color] : 1.0f;

      for (c = 0; c < l->color; c++)
        {
          float v = s[c];

          if (l->alpha && l->associated)
            v = a > 0.0f ? v / a : 0.0f;
          d[c] = l->min_is_white ? 1.0f - v : v;
        }
      if (l->alpha)
        d[out - 1] = a;
    }
}

/* Reads the band of tiles holding rows y.. into d->raw, rows of raw_bytes
 * (tiles cut at the right edge). */
static AtelierStatus
tiff_read_band (TiffDecoder *d,
                uint32_t     y,
                uint32_t     tile_w,
                uint32_t     tile_h,
                size_t       pixel_bytes,
                size_t       raw_bytes)
{
  tmsize_t tile_bytes = (tmsize_t) tile_w * tile_h * (tmsize_t) pixel_bytes;
  uint32_t x, i, rows = (uint32_t) d->raster.height - y;

  rows = rows < tile_h ? rows : tile_h;
  for (x = 0; x < (uint32_t) d->raster.width; x += tile_w)
    {
      uint32_t cols = (uint32_t) d->raster.width - x;

      cols = cols < tile_w ? cols : tile_w;
      /* the size given, not -1: libtiff 4.5.0 then reads an uncompressed
       * tile directly; through its buffer it refuses any whose size is
       * not a multiple of 1024 ("Invalid tile byte count") */
      if (TIFFReadEncodedTile (d->tif, TIFFComputeTile (d->tif, x, y, 0, 0),
                               d->tile, tile_bytes) < 0 || d->io->failed)
        return tiff_failure (d, "cannot read a tile");
      for (i = 0; i < rows; i++)
        memcpy ((unsigned char *) d->raw + i * raw_bytes + x * pixel_bytes,
                d->tile + (size_t) i * tile_w * pixel_bytes,
                cols * pixel_bytes);
    }
  return ATELIER_OK;
}

/* Contiguous 8/16-bit integer or 32-bit float samples, in strips (read
 * row by row) or tiles (a band of tiles at a time): the raster keeps the
 * file's depth. */
static AtelierStatus
tiff_fast (TiffDecoder      *d,
           const TiffLayout *l,
           uint16_t          bps)
{
  AtelierRasterInfo *r = &d->raster;
  AtelierStatus      st;
  size_t             row_bytes, raw_bytes, pixel_bytes;
  uint32_t           y, tile_w = 0, tile_h = 0;
  bool               tiled = TIFFIsTiled (d->tif);
  int                n, k = 0;

  r->channels = (l->color == 1 ? 1 : 3) + l->alpha;
  r->type     = bps == 8 ? ATELIER_SAMPLE_U8 :
                bps == 16 ? ATELIER_SAMPLE_U16 : ATELIER_SAMPLE_F32;
  row_bytes   = atelier_raster_row_bytes (r);
  pixel_bytes = (size_t) l->spp * (bps / 8);
  raw_bytes   = (size_t) r->width * pixel_bytes;
  if (tiled)
    {
      if (! TIFFGetField (d->tif, TIFFTAG_TILEWIDTH, &tile_w) ||
          ! TIFFGetField (d->tif, TIFFTAG_TILELENGTH, &tile_h) ||
          tile_w < 1 || tile_h < 1 || tile_w > ATELIER_MAX_SIZE ||
          tile_h > ATELIER_MAX_SIZE ||
          (uint64_t) TIFFTileSize64 (d->tif) !=
          (uint64_t) tile_w * tile_h * pixel_bytes)
        return tiff_failure (d, "unexpected tile size");
      /* a tile is held whole: one much larger than the image is a
       * crafted allocation (a small image may have one 256 x 256 tile) */
      if ((uint64_t) tile_w * tile_h * pixel_bytes >
          ((uint64_t) 16 << 20) + (uint64_t) raw_bytes * r->height)
        return tiff_failure (d, "tiles larger than the image");
    }
  else if ((uint64_t) TIFFScanlineSize64 (d->tif) != raw_bytes)
    return tiff_failure (d, "unexpected scanline size");
  if ((st = d->sink->begin (d->sink->data, r)) != ATELIER_OK)
    return st;
  n       = strip_rows (row_bytes, r->height);
  /* a band of tile rows, or one row */
  d->raw  = malloc (raw_bytes * (tiled ? (tile_h < (uint32_t) r->height ?
                                          tile_h : (uint32_t) r->height) : 1));
  d->rows = malloc ((size_t) n * row_bytes);
  if (tiled)
    d->tile = malloc ((size_t) tile_w * tile_h * pixel_bytes);
  if (! d->raw || ! d->rows || (tiled && ! d->tile))
    return no_memory (d->ctx, r);

  for (y = 0; y < (uint32_t) r->height; y++)
    {
      void          *dst = d->rows + (size_t) k * row_bytes;
      unsigned char *src = d->raw;

      if (tiled)
        {
          if (y % tile_h == 0 &&
              (st = tiff_read_band (d, y, tile_w, tile_h, pixel_bytes,
                                    raw_bytes)) != ATELIER_OK)
            return st;
          src += (y % tile_h) * raw_bytes;
        }
      else if (TIFFReadScanline (d->tif, d->raw, y, 0) < 0 || d->io->failed)
        return tiff_failure (d, "cannot read a row");
      if (r->type == ATELIER_SAMPLE_F32)
        tiff_row_float ((const float *) src, dst, (uint32_t) r->width, l);
      else
        tiff_row_int (src, dst, r->type, (uint32_t) r->width, l);
      if (++k == n || y + 1 == (uint32_t) r->height)
        {
          st = d->sink->put_rows (d->sink->data, (int) y + 1 - k, k, d->rows);
          if (st != ATELIER_OK)
            return st;
          k = 0;
        }
    }
  return ATELIER_OK;
}

/* Everything else libtiff can decode (palettes, 1/2/4-bit, planes apart,
 * YCbCr, old JPEG, LogLuv ...), through its RGBA interface: 8-bit RGBA,
 * which comes premultiplied and is turned back.  (libtiff 4.5.0 refuses
 * an uncompressed tile there unless its size is a multiple of 1024; the
 * fast path reads tiles itself.)  Chunks of rows are
 * read with row_offset, whole strips or tiles at a time.  Rows come as
 * stored: the file's orientation is asked for, so nothing is flipped, as
 * on the fast path. */
static AtelierStatus
tiff_rgba (TiffDecoder *d,
           uint16_t     photometric)
{
  AtelierRasterInfo *r = &d->raster;
  AtelierStatus      st;
  char               emsg[1024] = "";
  uint32_t           rps = 0, tile_h = 0, unit = 1;
  size_t             row_bytes;
  bool               grey, alpha;
  int                n, y, k, x;

  if (! TIFFRGBAImageOK (d->tif, emsg))
    {
      atelier_set_error (d->ctx, "unsupported TIFF: %s", emsg);
      return ATELIER_ERR_FORMAT;
    }
  if (! TIFFRGBAImageBegin (&d->img, d->tif, 1, emsg))
    return tiff_failure (d, emsg);
  d->rgba_begun = true;
  d->img.req_orientation = d->img.orientation;

  grey = photometric == PHOTOMETRIC_MINISBLACK ||
         photometric == PHOTOMETRIC_MINISWHITE;
  alpha       = d->img.alpha != 0;
  r->channels = (grey ? 1 : 3) + alpha;
  r->type     = ATELIER_SAMPLE_U8;
  row_bytes   = atelier_raster_row_bytes (r);
  if ((st = d->sink->begin (d->sink->data, r)) != ATELIER_OK)
    return st;

  /* whole strips or tiles a chunk, so none is decoded twice */
  if (TIFFIsTiled (d->tif))
    {
      if (TIFFGetField (d->tif, TIFFTAG_TILELENGTH, &tile_h))
        unit = tile_h;
    }
  else if (TIFFGetFieldDefaulted (d->tif, TIFFTAG_ROWSPERSTRIP, &rps))
    unit = rps;
  if (unit < 1 || unit > (uint32_t) r->height)
    unit = (uint32_t) r->height;
  n = strip_rows ((size_t) r->width * 4, r->height);
  n = (int) (((uint32_t) n + unit - 1) / unit * unit);
  if (n > r->height)
    n = r->height;
  d->rgba = malloc ((size_t) n * r->width * 4);
  d->rows = malloc ((size_t) n * row_bytes);
  if (! d->rgba || ! d->rows)
    return no_memory (d->ctx, r);

  for (y = 0; y < r->height; y += k)
    {
      size_t i, count;

      k = n < r->height - y ? n : r->height - y;
      d->img.row_offset = y;
      d->img.col_offset = 0;
      if (! TIFFRGBAImageGet (&d->img, d->rgba, (uint32_t) r->width,
                              (uint32_t) k) || d->io->failed)
        return tiff_failure (d, "cannot read a row");
      count = (size_t) k * r->width;
      for (i = 0; i < count; i++)
        {
          uint32_t       p = d->rgba[i];
          unsigned       a = TIFFGetA (p);
          unsigned       c[3] = { TIFFGetR (p), TIFFGetG (p), TIFFGetB (p) };
          unsigned char *o = d->rows + i * r->channels;

          for (x = 0; x < 3 && alpha; x++)
            c[x] = a ? (c[x] * 255 + a / 2) / a : 0;
          for (x = 0; x < 3; x++)
            c[x] = c[x] > 255 ? 255 : c[x];
          for (x = 0; x < (grey ? 1 : 3); x++)
            o[x] = (unsigned char) c[x];
          if (alpha)
            o[r->channels - 1] = (unsigned char) a;
        }
      if ((st = d->sink->put_rows (d->sink->data, y, k, d->rows)) !=
          ATELIER_OK)
        return st;
    }
  return ATELIER_OK;
}

/* Whether the first directory and every strip or tile lie whole in the
 * file.  libtiff reads a directory whose next-directory offset is cut off
 * as the last one, and a strip cut short fails only with its offset in
 * the message: both are a truncated file. */
static bool
tiff_whole (TiffDecoder *d)
{
  struct stat   st;
  uint64_t      size = fstat (d->io->file->fd, &st) == 0 ?
                       (uint64_t) st.st_size : 0;
  uint64_t      dir  = TIFFCurrentDirOffset (d->tif), end, count = 0;
  bool          big  = TIFFIsBigTIFF (d->tif);
  unsigned char b[8];
  uint64_t     *offsets = NULL, *counts = NULL;
  uint32_t      n, i;
  int           k, width = big ? 8 : 2;

  if (atelier_read_at (d->io->file->fd, b, (size_t) width, dir) != width)
    return false;
  for (k = 0; k < width; k++)
    count |= (uint64_t) b[TIFFIsBigEndian (d->tif) ? k : width - 1 - k] <<
             (8 * (width - 1 - k));
  end = dir + (big ? 8 + count * 20 + 8 : 2 + count * 12 + 4);
  if (end > size)
    return false;

  n = TIFFIsTiled (d->tif) ? TIFFNumberOfTiles (d->tif) :
                             TIFFNumberOfStrips (d->tif);
  if (! TIFFGetField (d->tif, TIFFIsTiled (d->tif) ? TIFFTAG_TILEOFFSETS :
                      TIFFTAG_STRIPOFFSETS, &offsets) ||
      ! TIFFGetField (d->tif, TIFFIsTiled (d->tif) ? TIFFTAG_TILEBYTECOUNTS :
                      TIFFTAG_STRIPBYTECOUNTS, &counts) ||
      ! offsets || ! counts)
    return true;   /* libtiff refuses the file when it reads a strip */
  for (i = 0; i < n; i++)
    if (offsets[i] > size || counts[i] > size - offsets[i])
      return false;
  return true;
}

static AtelierStatus
tiff_run (TiffDecoder *d,
          uint64_t     max_pixels)
{
  TiffLayout l = { 0 };
  uint32_t   width = 0, height = 0;
  uint16_t   bps = 1, spp = 1, planar = PLANARCONFIG_CONTIG;
  uint16_t   format = SAMPLEFORMAT_UINT, photometric = 0;
  uint16_t   compression = COMPRESSION_NONE, inkset = INKSET_CMYK;
  uint16_t   n_extra = 0, *extra = NULL;
  bool       fast;
  AtelierStatus st;

  if (! TIFFGetField (d->tif, TIFFTAG_IMAGEWIDTH, &width) ||
      ! TIFFGetField (d->tif, TIFFTAG_IMAGELENGTH, &height))
    return tiff_failure (d, "no image size");
  if ((st = check_size (d->ctx, "TIFF", width, height, max_pixels)) !=
      ATELIER_OK)
    return st;
  if (! tiff_whole (d))
    return decode_failure (d->ctx, "TIFF", d->io->file->read_errno, true,
                           NULL);
  d->raster.width  = (int) width;
  d->raster.height = (int) height;
  d->raster.format = "TIFF";

  TIFFGetFieldDefaulted (d->tif, TIFFTAG_BITSPERSAMPLE, &bps);
  TIFFGetFieldDefaulted (d->tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
  TIFFGetFieldDefaulted (d->tif, TIFFTAG_PLANARCONFIG, &planar);
  TIFFGetFieldDefaulted (d->tif, TIFFTAG_SAMPLEFORMAT, &format);
  TIFFGetFieldDefaulted (d->tif, TIFFTAG_COMPRESSION, &compression);
  TIFFGetFieldDefaulted (d->tif, TIFFTAG_INKSET, &inkset);
  TIFFGetFieldDefaulted (d->tif, TIFFTAG_EXTRASAMPLES, &n_extra, &extra);
  if (! TIFFGetField (d->tif, TIFFTAG_PHOTOMETRIC, &photometric))
    photometric = 0xffff;   /* unknown: libtiff's RGBA path guesses */
  if (! TIFFIsCODECConfigured (compression))
    {
      atelier_set_error (d->ctx, "unsupported TIFF compression %u",
                         compression);
      return ATELIER_ERR_FORMAT;
    }

  switch (photometric)
    {
    case PHOTOMETRIC_MINISBLACK:
    case PHOTOMETRIC_MINISWHITE:
      l.color = 1;
      break;
    case PHOTOMETRIC_RGB:
      l.color = 3;
      break;
    case PHOTOMETRIC_SEPARATED:
      l.color = inkset == INKSET_CMYK && bps != 32 ? 4 : 0;
      break;
    default:
      l.color = 0;
      break;
    }
  l.spp          = spp;
  l.alpha        = spp == l.color + 1;
  /* an unspecified extra sample is taken as alpha, as GIMP does */
  l.associated   = l.alpha && n_extra >= 1 && extra &&
                   extra[0] == EXTRASAMPLE_ASSOCALPHA;
  l.min_is_white = photometric == PHOTOMETRIC_MINISWHITE;
  fast = l.color != 0 && (spp == l.color || l.alpha) &&
         (planar == PLANARCONFIG_CONTIG || spp == 1) &&
         compression != COMPRESSION_OJPEG &&
         (((bps == 8 || bps == 16) && format == SAMPLEFORMAT_UINT) ||
          (bps == 32 && format == SAMPLEFORMAT_IEEEFP));
  return fast ? tiff_fast (d, &l, bps) : tiff_rgba (d, photometric);
}

static AtelierStatus
decode_tiff (AtelierContext          *ctx,
             int                      fd,
             uint64_t                 max_pixels,
             const AtelierRasterSink *sink)
{
  AtelierFileIo    file = { fd, 0, 0, 0 };
  AtelierTiffIo    io = { &file, false, "" };
  TiffDecoder      d = { 0 };
  TIFFOpenOptions *opts;
  uint64_t         budget = max_pixels ? max_pixels :
                                         ATELIER_DEFAULT_MAX_PIXELS;
  AtelierStatus    st;

  d.ctx  = ctx;
  d.sink = sink;
  d.io   = &io;
  opts   = TIFFOpenOptionsAlloc ();
  if (! opts)
    {
      atelier_set_error (ctx, "out of memory starting the TIFF decoder");
      return ATELIER_ERR_NO_MEMORY;
    }
  /* no single allocation larger than the biggest image in the budget
   * needs as float RGBA: a bogus strip size cannot take more */
  TIFFOpenOptionsSetMaxSingleMemAlloc (opts, (tmsize_t)
    (budget < ((uint64_t) 1 << 27) ? budget * 16 + (16 << 20) :
                                     (uint64_t) 2 << 30));
  d.tif = atelier_tiff_open (&io, "image", "rm", opts);
  TIFFOpenOptionsFree (opts);
  if (! d.tif)
    {
      st = tiff_failure (&d, "cannot read the header");
      goto out;
    }
  st = tiff_run (&d, max_pixels);

out:
  if (d.rgba_begun)
    TIFFRGBAImageEnd (&d.img);
  if (d.tif)
    TIFFClose (d.tif);
  free (d.raw);
  free (d.tile);
  free (d.rows);
  free (d.rgba);
  return st;
}

/* ---- WebP ---- */

static const char *
webp_reason (VP8StatusCode status)
{
  switch (status)
    {
    case VP8_STATUS_OUT_OF_MEMORY:       return "out of memory";
    case VP8_STATUS_INVALID_PARAM:       return "invalid parameter";
    case VP8_STATUS_BITSTREAM_ERROR:     return "bitstream error";
    case VP8_STATUS_UNSUPPORTED_FEATURE: return "unsupported feature";
    case VP8_STATUS_NOT_ENOUGH_DATA:     return "not enough data";
    default:                             return "decoder error";
    }
}

static AtelierStatus
webp_failure (AtelierContext *ctx,
              VP8StatusCode   status)
{
  if (status == VP8_STATUS_OUT_OF_MEMORY)
    {
      atelier_set_error (ctx, "out of memory decoding a WebP");
      return ATELIER_ERR_NO_MEMORY;
    }
  if (status == VP8_STATUS_NOT_ENOUGH_DATA)
    atelier_set_error (ctx, "truncated WebP");
  else
    atelier_set_error (ctx, "corrupt WebP: %s", webp_reason (status));
  return ATELIER_ERR_FORMAT;
}

/* libwebp decodes from memory and a whole frame at a time, so the file
 * and the image are each held whole, both bounded (the file by the RIFF
 * size and WEBP_MAX_FILE, the image by the budget, checked from the
 * features read from the first bytes). */
/* The whole file, total bytes, into file: libwebp decodes from memory. */
static AtelierStatus
webp_read_all (AtelierContext *ctx,
               int             fd,
               unsigned char  *file,
               uint64_t        total)
{
  ssize_t r = atelier_read_at (fd, file, (size_t) total, 0);

  if (r < 0)
    return read_error (ctx, errno);
  if ((uint64_t) r < total)
    return webp_failure (ctx, VP8_STATUS_NOT_ENOUGH_DATA);
  return ATELIER_OK;
}

static AtelierStatus
decode_webp (AtelierContext          *ctx,
             int                      fd,
             uint64_t                 max_pixels,
             const AtelierRasterSink *sink)
{
  unsigned char         head[WEBP_PREFIX];
  unsigned char        *file = NULL, *pixels = NULL;
  WebPBitstreamFeatures features;
  WebPDecoderConfig     config;
  AtelierRasterInfo     raster;
  VP8StatusCode         status;
  AtelierStatus         st = ATELIER_OK;
  uint64_t              total;
  size_t                prefix, row_bytes;
  ssize_t               r;
  int                   y, k;

  r = atelier_read_at (fd, head, 12, 0);
  if (r < 0)
    return read_error (ctx, errno);
  total = r < 12 ? 0 : (uint64_t) (head[4] | head[5] << 8 | head[6] << 16 |
                                   (uint32_t) head[7] << 24) + 8;
  if (total > WEBP_MAX_FILE)
    {
      atelier_set_error (ctx, "unsupported WebP: the file says it is %llu "
                         "bytes, over %llu MiB", (unsigned long long) total,
                         (unsigned long long) (WEBP_MAX_FILE >> 20));
      return ATELIER_ERR_FORMAT;
    }
  prefix = total < WEBP_PREFIX ? (size_t) total : WEBP_PREFIX;
  r = atelier_read_at (fd, head, prefix, 0);
  if (r < 0)
    return read_error (ctx, errno);
  if (total < 12 || (size_t) r < prefix)
    {
      atelier_set_error (ctx, "truncated WebP");
      return ATELIER_ERR_FORMAT;
    }
  status = WebPGetFeatures (head, prefix, &features);
  if (status == VP8_STATUS_NOT_ENOUGH_DATA && prefix < total)
    {
      /* chunks before the image's (an ICC profile): read it all first */
      if (! (file = malloc ((size_t) total)))
        {
          atelier_set_error (ctx, "out of memory reading a WebP");
          return ATELIER_ERR_NO_MEMORY;
        }
      if ((st = webp_read_all (ctx, fd, file, total)) != ATELIER_OK)
        goto out;
      status = WebPGetFeatures (file, (size_t) total, &features);
    }
  if (status != VP8_STATUS_OK)
    {
      st = webp_failure (ctx, status);
      goto out;
    }
  if (features.has_animation)
    {
      atelier_set_error (ctx,
                         ATELIER_N_ ("animated WebP is not supported"));
      st = ATELIER_ERR_FORMAT;
      goto out;
    }
  if ((st = check_size (ctx, "WebP", (uint64_t) features.width,
                        (uint64_t) features.height, max_pixels)) != ATELIER_OK)
    goto out;

  raster.width    = features.width;
  raster.height   = features.height;
  raster.channels = features.has_alpha ? 4 : 3;
  raster.type     = ATELIER_SAMPLE_U8;
  raster.format   = "WebP";
  row_bytes       = atelier_raster_row_bytes (&raster);
  if (! file && (file = malloc ((size_t) total)) &&
      (st = webp_read_all (ctx, fd, file, total)) != ATELIER_OK)
    goto out;
  pixels = malloc (row_bytes * raster.height);
  if (! file || ! pixels || ! WebPInitDecoderConfig (&config))
    {
      st = no_memory (ctx, &raster);
      goto out;
    }
  config.output.colorspace         = features.has_alpha ? MODE_RGBA :
                                                          MODE_RGB;
  config.output.is_external_memory = 1;
  config.output.u.RGBA.rgba        = pixels;
  config.output.u.RGBA.stride      = (int) row_bytes;
  config.output.u.RGBA.size        = row_bytes * raster.height;
  status = WebPDecode (file, (size_t) total, &config);
  WebPFreeDecBuffer (&config.output);
  if (status != VP8_STATUS_OK)
    {
      st = webp_failure (ctx, status);
      goto out;
    }
  free (file);
  file = NULL;

  if ((st = sink->begin (sink->data, &raster)) != ATELIER_OK)
    goto out;
  for (y = 0; y < raster.height; y += k)
    {
      k = strip_rows (row_bytes, raster.height - y);
      st = sink->put_rows (sink->data, y, k, pixels + row_bytes * y);
      if (st != ATELIER_OK)
        goto out;
    }

out:
  free (file);
  free (pixels);
  return st;
}

/* ---- the entry point ---- */

AtelierStatus
atelier_decode (AtelierContext          *ctx,
                int                      fd,
                uint64_t                 max_pixels,
                const AtelierRasterSink *sink)
{
  static const unsigned char png_magic[8] = { 0x89, 'P', 'N', 'G',
                                              '\r', '\n', 0x1a, '\n' };
  unsigned char head[12] = { 0 };
  ssize_t       r;

  if (fd < 0 || ! sink || ! sink->begin || ! sink->put_rows)
    {
      atelier_set_error (ctx, "decode needs a file and a sink");
      return ATELIER_ERR_INVALID_PARAM;
    }
  r = atelier_read_at (fd, head, sizeof head, 0);
  if (r < 0)
    return read_error (ctx, errno);

  if (r >= 8 && ! memcmp (head, png_magic, 8))
    return decode_png (ctx, fd, max_pixels, sink);
  if (r >= 3 && head[0] == 0xff && head[1] == 0xd8 && head[2] == 0xff)
    return decode_jpeg (ctx, fd, max_pixels, sink);
  if (r >= 4 && ((head[0] == 'I' && head[1] == 'I' &&
                  (head[2] == 42 || head[2] == 43) && head[3] == 0) ||
                 (head[0] == 'M' && head[1] == 'M' && head[2] == 0 &&
                  (head[3] == 42 || head[3] == 43))))
    return decode_tiff (ctx, fd, max_pixels, sink);
  if (r >= 12 && ! memcmp (head, "RIFF", 4) && ! memcmp (head + 8, "WEBP", 4))
    return decode_webp (ctx, fd, max_pixels, sink);
  /* a prefix of a signature is a file cut short, not some other file */
  if ((r < 8 && r > 0 && ! memcmp (head, png_magic, (size_t) r)) ||
      (r < 12 && r >= 4 && ! memcmp (head, "RIFF", 4)))
    {
      atelier_set_error (ctx, ATELIER_N_ ("truncated %s"),
                         head[0] == 'R' ? "WebP" : "PNG");
      return ATELIER_ERR_FORMAT;
    }
  atelier_set_error (ctx,
                     ATELIER_N_ ("not an image (PNG, JPEG, TIFF or WebP)"));
  return ATELIER_ERR_FORMAT;
}
