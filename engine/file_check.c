/* Checking image files before GEGL reads them.
 *
 * GEGL's PNG loader loops forever on a truncated file and its JPEG loader
 * (libjpeg's default error handler) exits the process on a corrupt one, so
 * a bad file given to the CLI or the plug-in would hang or kill it.  PNG
 * and JPEG files are therefore walked here first, from an untrusted byte
 * stream, with no allocation that depends on what the file says: this is
 * the engine's one parser of outside data, and tests/fuzz fuzzes it.
 *
 * No GEGL here: the adapter asks GEGL whether the chosen loader exists.
 */
#include "internal.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* a JPEG segment is at most 65535 bytes, so one block holds any of them */
#define IO_BLOCK 65536

static bool
read_exact (int    fd,
            void  *buf,
            size_t n)
{
  unsigned char *p = buf;

  while (n > 0)
    {
      ssize_t r = read (fd, p, n);

      if (r < 0 && errno == EINTR)
        continue;
      if (r <= 0)
        return false;
      p += r;
      n -= (size_t) r;
    }
  return true;
}

static uint32_t
be32 (const unsigned char *p)
{
  return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 |
         (uint32_t) p[2] << 8 | p[3];
}

/* Why a PNG is unusable, or NULL: every chunk must be whole, with a
 * correct CRC, from IHDR through IDAT to IEND. */
static const char *
check_png (int            fd,
           unsigned char *buf)
{
  uint32_t      table[256];
  unsigned char head[8];
  bool          seen_idat = false;
  int           n_chunks  = 0;
  uint32_t      i, k;

  for (i = 0; i < 256; i++)
    {
      uint32_t c = i;

      for (k = 0; k < 8; k++)
        c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
      table[i] = c;
    }
  if (! read_exact (fd, head, 8))
    return "truncated";

  for (;;)
    {
      uint32_t length, left, crc = 0xffffffffu;

      if (! read_exact (fd, head, 8))
        return "truncated";
      length = be32 (head);
      if (length > 0x7fffffffu)
        return "bad chunk length";
      if (n_chunks++ == 0 && (memcmp (head + 4, "IHDR", 4) || length != 13))
        return "no header";
      for (i = 4; i < 8; i++)
        crc = table[(crc ^ head[i]) & 0xff] ^ (crc >> 8);
      for (left = length; left > 0; )
        {
          uint32_t n = left < IO_BLOCK ? left : IO_BLOCK;

          if (! read_exact (fd, buf, n))
            return "truncated";
          for (i = 0; i < n; i++)
            crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >> 8);
          left -= n;
        }
      if (! read_exact (fd, buf, 4))
        return "truncated";
      if (be32 (buf) != (crc ^ 0xffffffffu))
        return "checksum mismatch";
      if (! memcmp (head + 4, "IDAT", 4))
        seen_idat = true;
      if (! memcmp (head + 4, "IEND", 4))
        return seen_idat ? NULL : "no image data";
    }
}

/* Why a JPEG is unusable, or NULL: the markers up to the first scan must
 * be whole and describe an 8-bit frame libjpeg decodes, with its
 * quantisation tables, and an end-of-image marker must follow. */
static const char *
check_jpeg (int            fd,
            unsigned char *buf)
{
  bool          dqt[4]  = { false };
  unsigned char tq[4]   = { 0 };
  int           n_comp  = 0;
  bool          prev_ff = false;
  int           i;

  if (! read_exact (fd, buf, 2))
    return "truncated";

  for (;;)
    {
      unsigned      length;
      unsigned char marker;

      /* skip to a marker, past any fill bytes */
      marker = 0;
      while (marker != 0xff)
        if (! read_exact (fd, &marker, 1))
          return "truncated";
      while (marker == 0xff)
        if (! read_exact (fd, &marker, 1))
          return "truncated";

      if (marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7))
        continue;
      if (marker == 0x00 || marker == 0xd8 || marker == 0xd9)
        return "no image";
      if (! read_exact (fd, buf, 2) || (length = buf[0] << 8 | buf[1]) < 2 ||
          ! read_exact (fd, buf, length - 2))
        return "truncated";
      length -= 2;

      if (marker >= 0xc0 && marker <= 0xcf &&
          marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          if (marker != 0xc0 && marker != 0xc1 && marker != 0xc2 &&
              marker != 0xc9 && marker != 0xca)
            return "unsupported JPEG coding";
          if (n_comp > 0 || length < 6)
            return "bad frame header";
          n_comp = buf[5];
          if (buf[0] != 8)
            return "unsupported JPEG precision";
          if ((buf[1] << 8 | buf[2]) == 0 || (buf[3] << 8 | buf[4]) == 0 ||
              n_comp < 1 || n_comp > 4 || length != 6u + 3u * n_comp)
            return "bad frame header";
          for (i = 0; i < n_comp; i++)
            if ((tq[i] = buf[6 + 3 * i + 2]) > 3)
              return "bad frame header";
        }
      else if (marker == 0xdb)
        {
          unsigned pos = 0;

          while (pos < length)
            {
              unsigned size = (buf[pos] >> 4) ? 128 : 64;

              if ((buf[pos] & 15) > 3 || (buf[pos] >> 4) > 1 ||
                  pos + 1 + size > length)
                return "bad quantisation table";
              dqt[buf[pos] & 15] = true;
              pos += 1 + size;
            }
        }
      else if (marker == 0xda)
        {
          if (n_comp == 0)
            return "scan before frame";
          for (i = 0; i < n_comp; i++)
            if (! dqt[tq[i]])
              return "missing quantisation table";
          break;
        }
    }

  /* the entropy-coded data: look for the end-of-image marker */
  for (;;)
    {
      ssize_t n = read (fd, buf, IO_BLOCK);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return "truncated";
      for (i = 0; i < n; i++)
        {
          if (prev_ff && buf[i] == 0xd9)
            return NULL;
          prev_ff = buf[i] == 0xff;
        }
    }
}

const char *
atelier_file_loader (int          fd,
                     const char **why)
{
  unsigned char  magic[12] = { 0 };
  unsigned char *buf;
  const char    *op = NULL;
  ssize_t        n;

  *why = NULL;
  do
    n = pread (fd, magic, sizeof magic, 0);
  while (n < 0 && errno == EINTR);

  if (n >= 8 && ! memcmp (magic, "\x89PNG\r\n\x1a\n", 8))
    op = "gegl:png-load";
  else if (n >= 3 && ! memcmp (magic, "\xff\xd8\xff", 3))
    op = "gegl:jpg-load";
  else if (n >= 4 && (! memcmp (magic, "II*\0", 4) ||
                      ! memcmp (magic, "MM\0*", 4) ||
                      ! memcmp (magic, "II+\0", 4) ||
                      ! memcmp (magic, "MM\0+", 4)))
    return "gegl:tiff-load";
  else if (n >= 12 && ! memcmp (magic, "RIFF", 4) &&
           ! memcmp (magic + 8, "WEBP", 4))
    return "gegl:webp-load";
  else
    {
      *why = "not a PNG, JPEG, TIFF or WebP file";
      return NULL;
    }

  buf = malloc (IO_BLOCK);
  if (! buf)
    *why = "out of memory";
  else if (lseek (fd, 0, SEEK_SET) != 0)
    *why = "cannot seek";
  else
    *why = magic[0] == 0x89 ? check_png (fd, buf) : check_jpeg (fd, buf);
  free (buf);
  return *why ? NULL : op;
}
