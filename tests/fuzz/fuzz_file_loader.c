/* libFuzzer target for file_check.c, the engine's one parser of outside
 * bytes: whatever the input, atelier_file_loader must return (no hang, no
 * crash, no out-of-bounds access under ASan/UBSan) with either a loader or
 * a reason.  Build and run with `make fuzz`. */
#define _GNU_SOURCE
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *why = NULL, *op;
  int         fd  = memfd_create ("atelier-fuzz", MFD_CLOEXEC);

  if (fd < 0 || write (fd, data, size) != (ssize_t) size)
    abort ();
  op = atelier_file_loader (fd, &why);
  if ((op == NULL) == (why == NULL))
    abort ();
  close (fd);
  return 0;
}
