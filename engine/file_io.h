/* SPDX-License-Identifier: GPL-3.0-or-later */
/* File I/O shared by image_decode.c and image_encode.c: reads and writes
 * at an offset of the engine's own (pread/pwrite, so a descriptor's own
 * offset is neither used nor moved), and libtiff's client I/O over such a
 * descriptor, so that the TIFF decoder and encoder drive libtiff the same
 * way.  Internal to the two coders; nothing else includes it.
 *
 * Usage, reading:
 *
 *   AtelierFileIo file = { fd };
 *   AtelierTiffIo io = { &file };
 *   TIFF *tif = atelier_tiff_open (&io, "image", "rm", opts);
 *
 * then file.read_errno, io.failed and io.message say why a call failed.
 */
#ifndef ATELIER_FILE_IO_H
#define ATELIER_FILE_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <tiffio.h>

/* Up to n bytes at offset into buf: fewer only at the end of the file;
 * -1 with errno on a read error.  EINTR is retried. */
ssize_t atelier_read_at (int       fd,
                         void     *buf,
                         size_t    n,
                         uint64_t  offset);

/* A descriptor read and written at offset, which it then moves on. */
typedef struct
{
  int      fd;
  uint64_t offset;       /* where the next read or write goes           */
  int      read_errno;   /* the errno of a failed read through libtiff  */
  int      write_errno;  /* the first failed write's errno (ENOSPC for a
                          * write of nothing); every write after fails  */
} AtelierFileIo;

/* Writes n bytes at io's offset, retrying short writes and EINTR; false,
 * with io->write_errno set, if any could not be written. */
bool atelier_file_write (AtelierFileIo *io,
                         const void    *buf,
                         size_t         n);

/* libtiff's client I/O over file, and where its errors go. */
typedef struct
{
  AtelierFileIo *file;
  bool           failed;       /* libtiff reported an error            */
  char           message[256]; /* ... the first one                    */
} AtelierTiffIo;

/* TIFFClientOpenExt on io's file with opts (the caller's, with its limits;
 * the caller frees them): reads, seeks and, unless mode is "r...", writes
 * at io->file's offset; never maps the file, never closes the descriptor.
 * libtiff's first error is kept in io, its warnings dropped.  NULL if the
 * header could not be read or written. */
TIFF *atelier_tiff_open (AtelierTiffIo   *io,
                         const char      *name,
                         const char      *mode,
                         TIFFOpenOptions *opts);

#endif /* ATELIER_FILE_IO_H */
