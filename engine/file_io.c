/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Positional reads and writes, and libtiff's client I/O over them: one
 * adapter for the TIFF decoder and encoder, so that both read, seek and
 * report libtiff's errors the same way.  See file_io.h. */
#define _GNU_SOURCE
#include "file_io.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

ssize_t
atelier_read_at (int       fd,
                 void     *buf,
                 size_t    n,
                 uint64_t  offset)
{
  size_t done = 0;

  while (done < n)
    {
      ssize_t r = pread (fd, (char *) buf + done, n - done,
                         (off_t) (offset + done));

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        return -1;
      if (r == 0)
        break;
      done += (size_t) r;
    }
  return (ssize_t) done;
}

bool
atelier_file_write (AtelierFileIo *io,
                    const void    *buf,
                    size_t         n)
{
  const char *p = buf;

  if (io->write_errno)
    return false;
  while (n > 0)
    {
      ssize_t w = pwrite (io->fd, p, n, (off_t) io->offset);

      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          io->write_errno = w < 0 ? errno : ENOSPC;
          return false;
        }
      p          += w;
      n          -= (size_t) w;
      io->offset += (uint64_t) w;
    }
  return true;
}

/* ---- libtiff's client procs ---- */

static tmsize_t
tiff_write_fn (thandle_t handle,
               void     *buf,
               tmsize_t  size)
{
  return size >= 0 && atelier_file_write (handle, buf, (size_t) size) ?
         size : -1;
}

/* A file opened for reading is never written, whatever the descriptor
 * allows (a memfd, a file opened O_RDWR). */
static tmsize_t
tiff_no_write_fn (thandle_t handle,
                  void     *buf,
                  tmsize_t  size)
{
  errno = EBADF;
  return -1;
}

static tmsize_t
tiff_read_fn (thandle_t handle,
              void     *buf,
              tmsize_t  size)
{
  AtelierFileIo *file = handle;
  ssize_t        r;

  if (size < 0)
    return -1;
  r = atelier_read_at (file->fd, buf, (size_t) size, file->offset);
  if (r < 0)
    {
      file->read_errno = errno;
      return -1;
    }
  file->offset += (uint64_t) r;
  return r;
}

static toff_t
tiff_size_fn (thandle_t handle)
{
  AtelierFileIo *file = handle;
  struct stat    st;

  return fstat (file->fd, &st) == 0 ? (toff_t) st.st_size : 0;
}

static toff_t
tiff_seek_fn (thandle_t handle,
              toff_t    offset,
              int       whence)
{
  AtelierFileIo *file = handle;
  int64_t        to;

  switch (whence)
    {
    case SEEK_SET:
      to = (int64_t) offset;
      break;
    case SEEK_CUR:
      to = (int64_t) file->offset + (int64_t) offset;
      break;
    case SEEK_END:
      to = (int64_t) tiff_size_fn (handle) + (int64_t) offset;
      break;
    default:
      to = -1;
      break;
    }
  if (to < 0)
    {
      errno = EINVAL;
      return (toff_t) -1;
    }
  file->offset = (uint64_t) to;
  return (toff_t) to;
}

static int
tiff_close_fn (thandle_t handle)
{
  /* the descriptor is the caller's: a decode's caller closes it, and
   * atelier_save_atomic closes it and checks the close */
  return 0;
}

static int
tiff_map_fn (thandle_t handle,
             void    **base,
             toff_t   *size)
{
  return 0;   /* no mapping: every byte goes through tiff_read_fn */
}

static void
tiff_unmap_fn (thandle_t handle,
               void     *base,
               toff_t    size)
{
}

/* libtiff's errors and warnings, per handle (no global handler: coders
 * may run on several threads).  Warnings are registered without an io:
 * they are about tags (unknown, of an odd type, out of spec) and lose no
 * pixel, while a short strip is an error.  Of the errors, the first is
 * the reason given.  Returning 1 keeps libtiff's global handlers (which
 * print to stderr) from running too. */
static int
tiff_report_fn (TIFF       *tif,
                void       *user_data,
                const char *module,
                const char *fmt,
                va_list     ap)
{
  AtelierTiffIo *io = user_data;

  if (io && ! io->failed)
    {
      vsnprintf (io->message, sizeof io->message, fmt, ap);
      io->failed = true;
    }
  return 1;
}

TIFF *
atelier_tiff_open (AtelierTiffIo   *io,
                   const char      *name,
                   const char      *mode,
                   TIFFOpenOptions *opts)
{
  TIFFOpenOptionsSetErrorHandlerExtR (opts, tiff_report_fn, io);
  TIFFOpenOptionsSetWarningHandlerExtR (opts, tiff_report_fn, NULL);
  return TIFFClientOpenExt (name, mode, io->file, tiff_read_fn,
                            mode[0] == 'r' ? tiff_no_write_fn :
                                             tiff_write_fn,
                            tiff_seek_fn, tiff_close_fn, tiff_size_fn,
                            tiff_map_fn, tiff_unmap_fn, opts);
}
