/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Image files: decoding and encoding PNG, JPEG, TIFF and WebP without GEGL.
 *
 * GEGL's loaders exit the process on a corrupt JPEG, loop on a truncated
 * PNG and turn bad zlib data, truncated TIFF strips or WebP into black
 * rows with no error; its savers report a full disk only as warnings.  So
 * the engine reads and writes files itself, through libpng, libjpeg,
 * libtiff and libwebp, with every library error caught (setjmp/longjmp
 * for libpng and libjpeg, per-handle handlers for libtiff) and every data
 * error an error: a file either decodes whole or is refused.
 *
 * Rows stream through the caller's sink and source, so a decode or an
 * encode never holds a full-size copy of its own (except an interlaced PNG
 * read by a sink without get_rows).  No GLib, no GEGL: the core builds and
 * fuzzes alone.  Internal to the engine; the adapter is the caller.
 */
#ifndef ATELIER_IMAGE_FILE_H
#define ATELIER_IMAGE_FILE_H

#include "atelier.h"

#include <stdbool.h>
#include <stdint.h>

/* Refused from the header, before a pixel is decoded: 128 Mpx is 8 times
 * an 8000 x 2000 banner and twice the 8000 x 8000 the benchmark renders,
 * and costs about 1 GiB as 16-bit RGBA in GEGL's buffer. */
#define ATELIER_DEFAULT_MAX_PIXELS ((uint64_t) 128 << 20)

typedef enum
{
  ATELIER_SAMPLE_U8,
  ATELIER_SAMPLE_U16,
  ATELIER_SAMPLE_F32
} AtelierSampleType;

/* What a file holds, or what an encoder is given.  Rows are packed:
 * width * channels samples, channels 1 grey, 2 grey + alpha, 3 RGB,
 * 4 RGBA (alpha not premultiplied), values in the sample type's range
 * (0..255, 0..65535, 0..1 for float), native byte order; grey and RGB
 * are perceptual (sRGB-encoded, as stored). */
typedef struct
{
  int               width;
  int               height;
  int               channels;
  AtelierSampleType type;
  const char       *format;    /* "PNG", "JPEG", "TIFF", "WebP" (static) */
} AtelierRasterInfo;

size_t atelier_raster_row_bytes (const AtelierRasterInfo *info);

/* Where a decoder puts the image.  begin (required) is called once, after
 * the header and the pixel budget were checked; put_rows (required) with
 * rows y..y+n-1 in order, a strip at a time (1 to 128 rows, about 4 MiB
 * at most).  An interlaced PNG puts every row once per pass, each pass
 * top to bottom, after get_rows gave back what the earlier passes put;
 * without get_rows the decoder holds such an image whole.  A callback that returns
 * anything but ATELIER_OK (out of memory, cancel) stops the decode, which
 * returns that status; the callback sets the context's error. */
typedef struct
{
  AtelierStatus (*begin)    (void *data, const AtelierRasterInfo *info);
  AtelierStatus (*put_rows) (void *data, int y, int n, const void *rows);
  AtelierStatus (*get_rows) (void *data, int y, int n, void *rows);
  void          *data;
} AtelierRasterSink;

/* Decodes the image file open on fd into sink.  fd is read with pread()
 * from offset 0, so its own offset is neither used nor moved, and it must
 * be seekable (a regular file, a memfd); it stays open.  The format is
 * chosen from the first bytes.  Images over max_pixels (0:
 * ATELIER_DEFAULT_MAX_PIXELS; Mpx = 2^20 pixels) or with a side over
 * ATELIER_MAX_SIZE are refused from the header with
 * ATELIER_ERR_INVALID_IMAGE ("image is 60000x60000 (3433 Mpx), over the
 * limit of 128 Mpx"), before the sink is begun.  A file that is not a
 * supported image, is truncated or holds any data error (bad zlib data, a
 * bad filter byte, a bad Huffman code, a short strip, an animated WebP)
 * gives ATELIER_ERR_FORMAT with the reason on ctx ("corrupt PNG: ...",
 * "truncated JPEG").  A read error is ATELIER_ERR_IO.  A sink's status
 * other than ATELIER_OK is returned as it is.  CMYK JPEG (Adobe inverted
 * or not) and CMYK TIFF are converted to RGB; palettes are expanded, bit
 * depths under 8 widened to 8; 16-bit stays 16, float stays float (as
 * stored: a float TIFF may leave 0..1).  TIFFs that libtiff reads only
 * through its RGBA interface (palette, 1/2/4-bit, planes apart, YCbCr)
 * come out 8-bit.  Only the first image of a multi-page TIFF is read; no
 * orientation tag (TIFF, EXIF) is applied. */
AtelierStatus atelier_decode (AtelierContext          *ctx,
                              int                      fd,
                              uint64_t                 max_pixels,
                              const AtelierRasterSink *sink);

/* ---- encoding ---- */

typedef enum
{
  ATELIER_FILE_PNG,
  ATELIER_FILE_JPEG,
  ATELIER_FILE_TIFF
} AtelierFileType;

/* The type for a file name's extension (.png, .jpg/.jpeg, .tif/.tiff, any
 * case); false if none fits. */
bool atelier_file_type_from_name (const char *path, AtelierFileType *type);

/* The layout the encoder of type writes for an image of info's size,
 * channels and type: PNG keeps 8 or 16 bits (float becomes 16) and alpha;
 * JPEG is 8-bit grey or RGB (alpha dropped); TIFF keeps all. */
void atelier_encode_layout (AtelierFileType          type,
                            const AtelierRasterInfo *info,
                            AtelierRasterInfo       *layout);

/* Where an encoder takes rows: get_rows fills rows y..y+n-1 in the
 * layout's format; a status other than ATELIER_OK stops the encode and is
 * returned (the callback sets the context's error). */
typedef struct
{
  AtelierStatus (*get_rows) (void *data, int y, int n, void *rows);
  void          *data;
} AtelierRasterSource;

/* Saves an image of layout (as atelier_encode_layout gave) to path,
 * atomically: it is encoded into a temporary file in path's folder
 * (".atelier-XXXXXX.ext"), every write and the close checked, fsync'ed,
 * given path's old mode (or 0666 & ~umask) and renamed over path; on any
 * failure, a false get_rows included, the temporary file is removed and
 * path is left as it was.  path must not be an existing directory or
 * other non-regular file.  ATELIER_ERR_IO carries the reason ("cannot
 * write out.png: No space left on device"). */
AtelierStatus atelier_save_atomic (AtelierContext            *ctx,
                                   const char                *path,
                                   AtelierFileType            type,
                                   const AtelierRasterInfo   *layout,
                                   const AtelierRasterSource *source);

/* ---- any file, atomically ---- */

/* Writes the whole file on fd (a new temporary file); reports its own
 * errors on ctx. */
typedef AtelierStatus (*AtelierWriteFunc) (AtelierContext *ctx,
                                           int             fd,
                                           void           *data);

/* What atelier_save_atomic does for any file: write (ctx, fd, data) into a
 * temporary ".atelier-XXXXXX.ext" beside path (ext path's own, else
 * default_ext), fsync, path's old mode, close, each checked, then rename
 * over path; on any failure the temporary file is removed and path left
 * as it was. */
AtelierStatus atelier_write_atomic (AtelierContext   *ctx,
                                    const char       *path,
                                    const char       *default_ext,
                                    AtelierWriteFunc  write,
                                    void             *data);

/* n bytes to fd, short writes and EINTR retried; ATELIER_ERR_IO with the
 * reason ("cannot write: No space left on device"). */
AtelierStatus atelier_write_all    (AtelierContext   *ctx,
                                    int               fd,
                                    const void       *bytes,
                                    size_t            n);

#endif /* ATELIER_IMAGE_FILE_H */
