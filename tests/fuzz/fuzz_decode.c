/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for image_decode.c, the engine's parser of outside
 * bytes: whatever the input, atelier_decode must return (no hang, no
 * crash, no leak, no out-of-bounds access under ASan/UBSan), call the sink
 * only as its contract says (begin once, with a size in the budget; rows
 * in range, in order within a pass), and either put every row or fail
 * with a reason.  Build and run with `make fuzz`. */
#define _GNU_SOURCE
#include "image_file.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* small, so the fuzzer's inputs cannot ask for gigabytes */
#define FUZZ_MAX_PIXELS ((uint64_t) 4 << 20)

typedef struct
{
  AtelierRasterInfo info;
  size_t            row_bytes;
  unsigned char    *image;
  int               begun;
  int               next;      /* the row the next put should start at */
} FuzzSink;

static AtelierStatus
fuzz_begin (void                    *data,
            const AtelierRasterInfo *info)
{
  FuzzSink *s = data;

  if (s->begun++ || info->width <= 0 || info->height <= 0 ||
      (uint64_t) info->width * info->height > FUZZ_MAX_PIXELS ||
      info->channels < 1 || info->channels > 4 || ! info->format)
    abort ();
  s->info      = *info;
  s->row_bytes = atelier_raster_row_bytes (info);
  s->image     = malloc (s->row_bytes * info->height);
  if (! s->image)
    abort ();
  return ATELIER_OK;
}

static AtelierStatus
fuzz_put_rows (void       *data,
               int         y,
               int         n,
               const void *rows)
{
  FuzzSink *s = data;

  if (! s->begun || n < 1 || y < 0 || y + n > s->info.height ||
      (y != s->next && y != 0))
    abort ();
  memcpy (s->image + s->row_bytes * y, rows, s->row_bytes * n);
  s->next = y + n;
  return ATELIER_OK;
}

static AtelierStatus
fuzz_get_rows (void *data,
               int   y,
               int   n,
               void *rows)
{
  FuzzSink *s = data;

  if (! s->begun || n < 1 || y < 0 || y + n > s->info.height)
    abort ();
  memcpy (rows, s->image + s->row_bytes * y, s->row_bytes * n);
  return ATELIER_OK;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  FuzzSink          s = { 0 };
  /* odd sizes decode without get_rows, so both interlaced paths run */
  AtelierRasterSink sink = { fuzz_begin, fuzz_put_rows,
                             size & 1 ? NULL : fuzz_get_rows, &s };
  AtelierContext   *ctx = atelier_context_new (1);
  AtelierStatus     st;
  int               fd  = memfd_create ("atelier-fuzz", MFD_CLOEXEC);

  if (! ctx || fd < 0 || write (fd, data, size) != (ssize_t) size)
    abort ();
  st = atelier_decode (ctx, fd, FUZZ_MAX_PIXELS, &sink);
  if (st == ATELIER_OK && (! s.begun || s.next != s.info.height))
    abort ();
  if (st != ATELIER_OK && ! atelier_context_error (ctx)[0])
    abort ();
  close (fd);
  free (s.image);
  atelier_context_free (ctx);
  return 0;
}
