/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for net_file.c, the parser of .atnet models: whatever
 * the input, atelier_net_parse must return (no crash, no leak, no
 * out-of-bounds access under ASan/UBSan) with a net or with a reason.
 * Each input is parsed twice: as it is, and as a copy whose trailing
 * CRC-32 is recomputed, since a mutation almost never keeps the checksum
 * right and the structure checks behind it would go unexplored.  A net
 * that parses must serialise, parse again to the same net and serialise
 * to the same bytes.  Build and run with `make fuzz`; seeds come from
 * tests/fuzz/net_seeds.c. */
#define _GNU_SOURCE
#include "net.h"
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

static void
check_round_trip (AtelierContext   *ctx,
                  const AtelierNet *net)
{
  AtelierNet   *back = NULL;
  void         *a = NULL, *b = NULL;
  size_t        na = 0, nb = 0;
  AtelierStatus st;

  if (atelier_net_serialize (ctx, net, false, &a, &na) != ATELIER_OK ||
      atelier_net_parse (ctx, a, na, &back) != ATELIER_OK ||
      back->n_layers != net->n_layers || back->n_styles != net->n_styles ||
      back->n_storage != net->n_storage ||
      memcmp (back->storage, net->storage,
              net->n_storage * sizeof (float)) != 0 ||
      atelier_net_serialize (ctx, back, false, &b, &nb) != ATELIER_OK ||
      na != nb || memcmp (a, b, na) != 0)
    abort ();
  atelier_net_free (back);
  back = NULL;
  free (b);
  b = NULL;

  /* fp16 may refuse a weight past 65504; what it writes must read */
  st = atelier_net_serialize (ctx, net, true, &b, &nb);
  if (st == ATELIER_OK)
    {
      if (atelier_net_parse (ctx, b, nb, &back) != ATELIER_OK ||
          back->n_layers != net->n_layers)
        abort ();
    }
  else if (st != ATELIER_ERR_INVALID_PARAM || b)
    abort ();
  atelier_net_free (back);
  free (a);
  free (b);
}

static void
parse_one (AtelierContext *ctx,
           const uint8_t  *data,
           size_t          size)
{
  AtelierNet   *net = NULL;
  AtelierStatus st  = atelier_net_parse (ctx, data, size, &net);

  if (st == ATELIER_OK)
    {
      if (! net)
        abort ();
      check_round_trip (ctx, net);
    }
  else if (net || st != ATELIER_ERR_FORMAT || ! atelier_context_error (ctx)[0])
    abort ();
  atelier_net_free (net);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  AtelierContext *ctx = atelier_context_new (1);
  uint8_t        *copy;
  uint32_t        crc;

  if (! ctx)
    abort ();
  parse_one (ctx, data, size);
  if (size >= 4)
    {
      /* a copy of exactly size bytes, so ASan still sees past its end */
      copy = malloc (size);
      if (! copy)
        abort ();
      memcpy (copy, data, size);
      crc = (uint32_t) crc32 (0L, copy, (uInt) (size - 4));
      copy[size - 4] = (uint8_t) crc;
      copy[size - 3] = (uint8_t) (crc >> 8);
      copy[size - 2] = (uint8_t) (crc >> 16);
      copy[size - 1] = (uint8_t) (crc >> 24);
      parse_one (ctx, copy, size);
      free (copy);
    }
  atelier_context_free (ctx);
  return 0;
}
