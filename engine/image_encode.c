/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Encoding PNG, JPEG and TIFF files, atomically.
 *
 * An image is written into a temporary file beside the target, through
 * one write function (atelier_file_write, which the TIFF encoder's libtiff
 * client procs use too) that retries short writes and EINTR and keeps the
 * first errno; then fsync'ed, closed (checked: NFS reports there), given
 * the target's mode and renamed over it.  Any failure, a full disk or the
 * source's cancel, removes the temporary file and leaves the target as
 * it was.  Rows are pulled from the source a strip at a time, so nothing
 * holds a full-size copy.
 */
#define _GNU_SOURCE
#include "image_file.h"
#include "file_io.h"
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <png.h>
#include <jpeglib.h>
#include <jerror.h>
#include <tiffio.h>

#define STRIP_BYTES   (4 << 20)  /* rows asked of the source at a time   */
#define STRIP_ROWS    64         /* ... and at most this many            */
#define OUT_BLOCK     65536      /* libjpeg's output buffer               */
#define PNG_LEVEL     3          /* zlib level: GEGL's png-save default   */
#define JPEG_QUALITY  95
#define TIFF_STRIP    (256 << 10) /* bytes a TIFF strip holds, about     */

static const char *
type_name (AtelierFileType type)
{
  return type == ATELIER_FILE_PNG ? "PNG" :
         type == ATELIER_FILE_JPEG ? "JPEG" : "TIFF";
}

/* The extension of path's last component, or NULL. */
static const char *
extension (const char *path)
{
  const char *base = strrchr (path, '/');
  const char *dot  = strrchr (base ? base + 1 : path, '.');

  return dot && dot[1] ? dot + 1 : NULL;
}

bool
atelier_file_type_from_name (const char      *path,
                             AtelierFileType *type)
{
  const char *ext = path ? extension (path) : NULL;

  if (! ext)
    return false;
  if (! strcasecmp (ext, "png"))
    *type = ATELIER_FILE_PNG;
  else if (! strcasecmp (ext, "jpg") || ! strcasecmp (ext, "jpeg"))
    *type = ATELIER_FILE_JPEG;
  else if (! strcasecmp (ext, "tif") || ! strcasecmp (ext, "tiff"))
    *type = ATELIER_FILE_TIFF;
  else
    return false;
  return true;
}

void
atelier_encode_layout (AtelierFileType          type,
                       const AtelierRasterInfo *info,
                       AtelierRasterInfo       *layout)
{
  *layout = *info;
  layout->format = type_name (type);
  switch (type)
    {
    case ATELIER_FILE_PNG:
      if (layout->type == ATELIER_SAMPLE_F32)
        layout->type = ATELIER_SAMPLE_U16;
      break;
    case ATELIER_FILE_JPEG:
      layout->type     = ATELIER_SAMPLE_U8;
      layout->channels = info->channels <= 2 ? 1 : 3;
      break;
    case ATELIER_FILE_TIFF:
      break;
    }
}

/* ---- the output file ---- */

typedef struct
{
  AtelierContext            *ctx;
  const char                *path;
  AtelierFileType            type;
  const AtelierRasterInfo   *layout;
  const AtelierRasterSource *source;
  AtelierFileIo              out;        /* the temporary file           */
  char                       message[256];
  jmp_buf                    jmp;
  unsigned char             *rows;
  int                        strip;      /* rows in rows                 */
} Encoder;

static AtelierStatus
write_failure (Encoder    *e,
               const char *why)
{
  char buf[128];

  if (e->out.write_errno)
    why = strerror_r (e->out.write_errno, buf, sizeof buf);
  atelier_set_error (e->ctx, "cannot write %s: %s", e->path, why);
  return ATELIER_ERR_IO;
}

/* Rows y.. of the next strip from the source, into e->rows. */
static AtelierStatus
pull_rows (Encoder *e,
           int      y,
           int      n)
{
  return e->source->get_rows (e->source->data, y, n, e->rows);
}

/* ---- PNG ---- */

static void
png_error_fn (png_structp     png,
              png_const_charp msg)
{
  Encoder *e = png_get_error_ptr (png);

  snprintf (e->message, sizeof e->message, "%s", msg);
  longjmp (e->jmp, 1);
}

static void
png_warning_fn (png_structp     png,
                png_const_charp msg)
{
}

static void
png_write_fn (png_structp png,
              png_bytep   data,
              size_t      length)
{
  Encoder *e = png_get_io_ptr (png);

  if (! atelier_file_write (&e->out, data, length))
    png_error (png, "write error");
}

static void
png_flush_fn (png_structp png)
{
}

/* Under libpng's longjmp: only what e holds survives one. */
static AtelierStatus
png_run (Encoder     *e,
         png_structp  png,
         png_infop    info)
{
  const AtelierRasterInfo *l = e->layout;
  static const int         color[5] = { 0, PNG_COLOR_TYPE_GRAY,
                                        PNG_COLOR_TYPE_GRAY_ALPHA,
                                        PNG_COLOR_TYPE_RGB,
                                        PNG_COLOR_TYPE_RGB_ALPHA };
  size_t                   row_bytes = atelier_raster_row_bytes (l);
  AtelierStatus            st;
  int                      y, k, i;

  if (setjmp (e->jmp))
    return write_failure (e, e->message);
  png_set_write_fn (png, e, png_write_fn, png_flush_fn);
  png_set_compression_level (png, PNG_LEVEL);
  png_set_IHDR (png, info, (png_uint_32) l->width, (png_uint_32) l->height,
                l->type == ATELIER_SAMPLE_U8 ? 8 : 16, color[l->channels],
                PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                PNG_FILTER_TYPE_DEFAULT);
  png_write_info (png, info);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  if (l->type != ATELIER_SAMPLE_U8)
    png_set_swap (png);
#endif
  for (y = 0; y < l->height; y += k)
    {
      k = e->strip < l->height - y ? e->strip : l->height - y;
      if ((st = pull_rows (e, y, k)) != ATELIER_OK)
        return st;
      for (i = 0; i < k; i++)
        png_write_row (png, e->rows + (size_t) i * row_bytes);
    }
  png_write_end (png, NULL);
  return ATELIER_OK;
}

static AtelierStatus
encode_png (Encoder *e)
{
  png_structp   png;
  png_infop     info = NULL;
  AtelierStatus st;

  png = png_create_write_struct (PNG_LIBPNG_VER_STRING, e, png_error_fn,
                                 png_warning_fn);
  if (png)
    info = png_create_info_struct (png);
  if (! png || ! info)
    {
      atelier_set_error (e->ctx, "out of memory starting the PNG encoder");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  st = png_run (e, png, info);

out:
  if (png)
    png_destroy_write_struct (&png, info ? &info : NULL);
  return st;
}

/* ---- JPEG ---- */

/* cinfo first, so the callbacks find the rest from it. */
typedef struct
{
  struct jpeg_compress_struct  cinfo;
  struct jpeg_error_mgr        err;
  struct jpeg_destination_mgr  dest;
  Encoder                     *e;
  JOCTET                       buffer[OUT_BLOCK];
} JpegEncoder;

static void
jpeg_error_exit_fn (j_common_ptr cinfo)
{
  JpegEncoder *j = (JpegEncoder *) cinfo;

  (*cinfo->err->format_message) (cinfo, j->e->message);
  longjmp (j->e->jmp, 1);
}

static void
jpeg_emit_message_fn (j_common_ptr cinfo,
                      int          level)
{
}

static void
jpeg_init_dest_fn (j_compress_ptr cinfo)
{
  JpegEncoder *j = (JpegEncoder *) cinfo;

  j->dest.next_output_byte = j->buffer;
  j->dest.free_in_buffer   = OUT_BLOCK;
}

static boolean
jpeg_empty_fn (j_compress_ptr cinfo)
{
  JpegEncoder *j = (JpegEncoder *) cinfo;

  if (! atelier_file_write (&j->e->out, j->buffer, OUT_BLOCK))
    ERREXIT (cinfo, JERR_FILE_WRITE);
  j->dest.next_output_byte = j->buffer;
  j->dest.free_in_buffer   = OUT_BLOCK;
  return TRUE;
}

static void
jpeg_term_dest_fn (j_compress_ptr cinfo)
{
  JpegEncoder *j = (JpegEncoder *) cinfo;

  if (! atelier_file_write (&j->e->out, j->buffer,
                            OUT_BLOCK - j->dest.free_in_buffer))
    ERREXIT (cinfo, JERR_FILE_WRITE);
}

static AtelierStatus
jpeg_run (JpegEncoder *j)
{
  Encoder                 *e = j->e;
  const AtelierRasterInfo *l = e->layout;
  j_compress_ptr           cinfo = &j->cinfo;
  size_t                   row_bytes = atelier_raster_row_bytes (l);
  JSAMPROW                 pointers[STRIP_ROWS];
  AtelierStatus            st;
  int                      y, k, i;

  if (setjmp (e->jmp))
    return write_failure (e, e->message);
  cinfo->err          = jpeg_std_error (&j->err);
  j->err.error_exit   = jpeg_error_exit_fn;
  j->err.emit_message = jpeg_emit_message_fn;
  jpeg_create_compress (cinfo);
  j->dest.init_destination    = jpeg_init_dest_fn;
  j->dest.empty_output_buffer = jpeg_empty_fn;
  j->dest.term_destination    = jpeg_term_dest_fn;
  cinfo->dest                 = &j->dest;
  cinfo->image_width          = (JDIMENSION) l->width;
  cinfo->image_height         = (JDIMENSION) l->height;
  cinfo->input_components     = l->channels;
  cinfo->in_color_space       = l->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
  jpeg_set_defaults (cinfo);
  jpeg_set_quality (cinfo, JPEG_QUALITY, TRUE);
  jpeg_start_compress (cinfo, TRUE);
  for (i = 0; i < e->strip; i++)
    pointers[i] = e->rows + (size_t) i * row_bytes;
  for (y = 0; y < l->height; y += k)
    {
      k = e->strip < l->height - y ? e->strip : l->height - y;
      if ((st = pull_rows (e, y, k)) != ATELIER_OK)
        return st;
      if (jpeg_write_scanlines (cinfo, pointers, (JDIMENSION) k) !=
          (JDIMENSION) k)
        return write_failure (e, "the encoder took fewer rows");
    }
  jpeg_finish_compress (cinfo);
  return ATELIER_OK;
}

static AtelierStatus
encode_jpeg (Encoder *e)
{
  JpegEncoder  *j = calloc (1, sizeof *j);
  AtelierStatus st;

  if (! j)
    {
      atelier_set_error (e->ctx, "out of memory starting the JPEG encoder");
      return ATELIER_ERR_NO_MEMORY;
    }
  j->e = e;
  st = jpeg_run (j);
  jpeg_destroy_compress (&j->cinfo);
  free (j);
  return st;
}

/* ---- TIFF ---- */

static AtelierStatus
tiff_run (Encoder             *e,
          TIFF                *tif,
          const AtelierTiffIo *io)
{
  const AtelierRasterInfo *l = e->layout;
  size_t                   row_bytes = atelier_raster_row_bytes (l);
  uint16_t                 extra = EXTRASAMPLE_UNASSALPHA;
  bool                     alpha = l->channels == 2 || l->channels == 4;
  int                      bits = l->type == ATELIER_SAMPLE_U8 ? 8 :
                                  l->type == ATELIER_SAMPLE_U16 ? 16 : 32;
  size_t                   rps = TIFF_STRIP / row_bytes;
  AtelierStatus            st;
  int                      y, k, i;

  TIFFSetField (tif, TIFFTAG_IMAGEWIDTH, (uint32_t) l->width);
  TIFFSetField (tif, TIFFTAG_IMAGELENGTH, (uint32_t) l->height);
  TIFFSetField (tif, TIFFTAG_BITSPERSAMPLE, bits);
  TIFFSetField (tif, TIFFTAG_SAMPLESPERPIXEL, l->channels);
  TIFFSetField (tif, TIFFTAG_SAMPLEFORMAT, l->type == ATELIER_SAMPLE_F32 ?
                SAMPLEFORMAT_IEEEFP : SAMPLEFORMAT_UINT);
  TIFFSetField (tif, TIFFTAG_PHOTOMETRIC, l->channels <= 2 ?
                PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB);
  TIFFSetField (tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
  if (alpha)
    TIFFSetField (tif, TIFFTAG_EXTRASAMPLES, 1, &extra);
  /* deflate with the predictor for its samples: what GIMP writes and
   * every reader knows */
  TIFFSetField (tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
  TIFFSetField (tif, TIFFTAG_PREDICTOR, l->type == ATELIER_SAMPLE_F32 ?
                PREDICTOR_FLOATINGPOINT : PREDICTOR_HORIZONTAL);
  TIFFSetField (tif, TIFFTAG_ROWSPERSTRIP, (uint32_t) (rps < 1 ? 1 : rps));
  if (io->failed)
    return write_failure (e, io->message);

  for (y = 0; y < l->height; y += k)
    {
      k = e->strip < l->height - y ? e->strip : l->height - y;
      if ((st = pull_rows (e, y, k)) != ATELIER_OK)
        return st;
      for (i = 0; i < k; i++)
        if (TIFFWriteScanline (tif, e->rows + (size_t) i * row_bytes,
                               (uint32_t) (y + i), 0) < 0)
          return write_failure (e, io->failed ? io->message :
                                "cannot write a row");
    }
  /* TIFFClose writes the directory but cannot fail: flush first */
  if (! TIFFFlush (tif) || e->out.write_errno)
    return write_failure (e, io->failed ? io->message :
                          "cannot write the directory");
  return ATELIER_OK;
}

static AtelierStatus
encode_tiff (Encoder *e)
{
  const AtelierRasterInfo *l = e->layout;
  TIFFOpenOptions         *opts = TIFFOpenOptionsAlloc ();
  AtelierTiffIo            io = { &e->out, false, "" };
  TIFF                    *tif = NULL;
  AtelierStatus            st;
  /* classic TIFF stops at 4 GiB; deflate may not shrink noise */
  bool                     big = (uint64_t) atelier_raster_row_bytes (l) *
                                 l->height > ((uint64_t) 3 << 30);

  if (! opts)
    {
      atelier_set_error (e->ctx, "out of memory starting the TIFF encoder");
      return ATELIER_ERR_NO_MEMORY;
    }
  tif = atelier_tiff_open (&io, e->path, big ? "w8" : "w", opts);
  TIFFOpenOptionsFree (opts);
  if (! tif)
    return write_failure (e, io.failed ? io.message :
                          "cannot start the TIFF encoder");
  st = tiff_run (e, tif, &io);
  TIFFClose (tif);
  if (st == ATELIER_OK && e->out.write_errno)
    st = write_failure (e, "");
  return st;
}

/* ---- atomic save ---- */

/* The process' umask, read without changing it (umask() would, for a
 * moment, for every thread); 022 if /proc cannot tell. */
static mode_t
current_umask (void)
{
  char    buf[2048];
  ssize_t n = -1;
  char   *line;
  int     fd = open ("/proc/self/status", O_RDONLY | O_CLOEXEC);

  if (fd >= 0)
    {
      n = read (fd, buf, sizeof buf - 1);
      close (fd);
    }
  if (n <= 0)
    return 022;
  buf[n] = '\0';
  line = strstr (buf, "\nUmask:");
  return line ? (mode_t) strtoul (line + 7, NULL, 8) & 0777 : 022;
}

static bool
layout_ok (AtelierFileType          type,
           const AtelierRasterInfo *l)
{
  if (! l || l->width <= 0 || l->height <= 0 ||
      l->width > ATELIER_MAX_SIZE || l->height > ATELIER_MAX_SIZE ||
      l->channels < 1 || l->channels > 4)
    return false;
  switch (type)
    {
    case ATELIER_FILE_PNG:
      return l->type != ATELIER_SAMPLE_F32;
    case ATELIER_FILE_JPEG:
      return l->type == ATELIER_SAMPLE_U8 && (l->channels == 1 ||
                                              l->channels == 3);
    case ATELIER_FILE_TIFF:
      return true;
    }
  return false;
}

/* The folder holding tmp, fsync'ed so the rename survives a crash; best
 * effort, as some file systems refuse to sync a folder. */
static void
sync_folder (const char *tmp)
{
  char *dir   = strdup (tmp);
  char *slash = dir ? strrchr (dir, '/') : NULL;
  int   fd;

  if (! dir)
    return;
  if (slash == dir)
    slash[1] = '\0';         /* the root */
  else if (slash)
    *slash = '\0';
  fd = open (slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  free (dir);
}

/* The temporary file beside path, its writing, checks and rename: what
 * every save shares. */
AtelierStatus
atelier_write_atomic (AtelierContext   *ctx,
                      const char       *path,
                      const char       *default_ext,
                      AtelierWriteFunc  write,
                      void             *data)
{
  struct stat   old;
  const char   *ext, *slash;
  char         *tmp = NULL;
  char          buf[128];
  mode_t        mode;
  AtelierStatus st = ATELIER_OK;
  int           fd, err = 0;

  if (stat (path, &old) == 0)
    {
      if (! S_ISREG (old.st_mode))
        {
          atelier_set_error (ctx, "cannot write %s: %s", path,
                             S_ISDIR (old.st_mode) ? "Is a directory" :
                             "not a regular file");
          return ATELIER_ERR_IO;
        }
      mode = old.st_mode & 07777;
    }
  else
    mode = 0666 & ~current_umask ();

  /* ".atelier-XXXXXX.<ext>" in path's folder, so rename() cannot cross
   * file systems and a reader never sees a partial path */
  ext   = extension (path);
  ext   = ext ? ext : default_ext;
  slash = strrchr (path, '/');
  if (asprintf (&tmp, "%.*s.atelier-XXXXXX.%s",
                slash ? (int) (slash - path + 1) : 0, path, ext) < 0)
    {
      atelier_set_error (ctx, "out of memory saving %s", path);
      return ATELIER_ERR_NO_MEMORY;
    }
  fd = mkostemps (tmp, (int) strlen (ext) + 1, O_CLOEXEC);
  if (fd < 0)
    {
      atelier_set_error (ctx, "cannot write %s: %s", path,
                         strerror_r (errno, buf, sizeof buf));
      free (tmp);
      return ATELIER_ERR_IO;
    }

  st = write (ctx, fd, data);
  if (st == ATELIER_OK &&
      (fsync (fd) != 0 || fchmod (fd, mode) != 0))
    err = errno;
  if (close (fd) != 0 && st == ATELIER_OK && ! err)
    err = errno;
  if (st == ATELIER_OK && ! err && rename (tmp, path) != 0)
    err = errno;
  if (err)
    {
      atelier_set_error (ctx, "cannot write %s: %s", path,
                         strerror_r (err, buf, sizeof buf));
      st = ATELIER_ERR_IO;
    }
  if (st == ATELIER_OK)
    sync_folder (tmp);
  else
    unlink (tmp);
  free (tmp);
  return st;
}

AtelierStatus
atelier_write_all (AtelierContext *ctx,
                   int             fd,
                   const void     *bytes,
                   size_t          n)
{
  AtelierFileIo io = { fd, 0, 0, 0 };
  char          buf[128];

  if (atelier_file_write (&io, bytes, n))
    return ATELIER_OK;
  atelier_set_error (ctx, "cannot write: %s",
                     strerror_r (io.write_errno, buf, sizeof buf));
  return ATELIER_ERR_IO;
}

/* The image encoders, as an AtelierWriteFunc: data is the Encoder. */
static AtelierStatus
write_image (AtelierContext *ctx,
             int             fd,
             void           *data)
{
  Encoder      *e = data;
  size_t        row_bytes = atelier_raster_row_bytes (e->layout);
  AtelierStatus st;

  e->out.fd = fd;
  e->strip  = (int) (STRIP_BYTES / row_bytes);
  e->strip  = e->strip < 1 ? 1 : e->strip > STRIP_ROWS ? STRIP_ROWS : e->strip;
  e->rows   = malloc ((size_t) e->strip * row_bytes);
  if (! e->rows)
    {
      atelier_set_error (ctx, "out of memory saving %s", e->path);
      return ATELIER_ERR_NO_MEMORY;
    }
  st = e->type == ATELIER_FILE_PNG ? encode_png (e) :
       e->type == ATELIER_FILE_JPEG ? encode_jpeg (e) : encode_tiff (e);
  free (e->rows);
  e->rows = NULL;
  return st;
}

AtelierStatus
atelier_save_atomic (AtelierContext            *ctx,
                     const char                *path,
                     AtelierFileType            type,
                     const AtelierRasterInfo   *layout,
                     const AtelierRasterSource *source)
{
  Encoder e = { 0 };

  if (! path || ! source || ! source->get_rows || ! layout_ok (type, layout))
    {
      atelier_set_error (ctx, "save needs a path, a source and a layout "
                         "the %s encoder takes", type_name (type));
      return ATELIER_ERR_INVALID_PARAM;
    }
  e.ctx    = ctx;
  e.path   = path;
  e.type   = type;
  e.layout = layout;
  e.source = source;
  e.out.fd = -1;
  return atelier_write_atomic (ctx, path, type == ATELIER_FILE_PNG ? "png" :
                               type == ATELIER_FILE_JPEG ? "jpg" : "tif",
                               write_image, &e);
}
