/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The .atnet model file (net.h has its layout): parsing and checking,
 * writing, and the import of the pytorch/examples transformer net as
 * ncnn stores it.
 *
 * Every byte of a model comes from outside, so the parser checks each
 * count against net.h's limits and against the bytes the file really has
 * before anything is sized by it, does its offset arithmetic in 64 bits
 * after checking that it cannot wrap, and refuses anything that a
 * well-formed writer would not produce (unknown ops, fields a layer does
 * not use set to non-zero, text not padded with NULs, tensors out of
 * order or overlapping, bytes after the last tensor).  A refusal is
 * ATELIER_ERR_FORMAT with one line on the context; tests/fuzz/fuzz_net.c
 * checks that no input can make it do anything else.
 *
 * Memory: a parsed net holds its tensors once, as fp32, in one block;
 * atelier_net_read holds the file's bytes besides while it parses.
 */
#define _GNU_SOURCE
#include "net.h"
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <zlib.h>

#define HEADER_SIZE   32
#define LAYER_SIZE    32
#define STYLE_SIZE    (ATELIER_NET_NAME_MAX + 2 * ATELIER_NET_LABEL_MAX + 8)
#define TENSOR_SIZE   16
#define TRAILER_SIZE  4
/* two tensors a layer at most, and no tensor is shared */
#define MAX_TENSORS   (2 * ATELIER_NET_MAX_LAYERS)
/* log2 of the upsampling open inside a skip: past it the size at the add
 * cannot equal the saved one anyway; the bound keeps the offsets small */
#define MAX_SKIP_ZOOM 8

#define DTYPE_F32     0
#define DTYPE_F16     1

/* ncnn's tag before a weight blob stored as IEEE half */
#define NCNN_TAG_F16  0x01306B47u

/* ---- little-endian bytes ---- */

static uint32_t
get_u32 (const unsigned char *p)
{
  return (uint32_t) p[0] | (uint32_t) p[1] << 8 |
         (uint32_t) p[2] << 16 | (uint32_t) p[3] << 24;
}

static uint64_t
get_u64 (const unsigned char *p)
{
  return (uint64_t) get_u32 (p) | (uint64_t) get_u32 (p + 4) << 32;
}

static float
get_f32 (const unsigned char *p)
{
  uint32_t bits = get_u32 (p);
  float    f;

  memcpy (&f, &bits, sizeof f);
  return f;
}

static void
put_u32 (unsigned char *p,
         uint32_t       v)
{
  p[0] = (unsigned char) v;
  p[1] = (unsigned char) (v >> 8);
  p[2] = (unsigned char) (v >> 16);
  p[3] = (unsigned char) (v >> 24);
}

static void
put_u64 (unsigned char *p,
         uint64_t       v)
{
  put_u32 (p, (uint32_t) v);
  put_u32 (p + 4, (uint32_t) (v >> 32));
}

static void
put_f32 (unsigned char *p,
         float          f)
{
  uint32_t bits;

  memcpy (&bits, &f, sizeof bits);
  put_u32 (p, bits);
}

/* ---- IEEE half ---- */

static float
half_to_float (uint16_t h)
{
  uint32_t sign = (uint32_t) (h & 0x8000u) << 16;
  uint32_t exp  = (h >> 10) & 0x1fu;
  uint32_t man  = h & 0x3ffu;
  uint32_t bits;
  float    f;

  if (exp == 0)
    {
      /* zero or subnormal: man x 2^-24, exact in a float */
      f = ldexpf ((float) man, -24);
      return sign ? -f : f;
    }
  if (exp == 0x1f)
    bits = sign | 0x7f800000u | man << 13;
  else
    bits = sign | (exp + 112) << 23 | man << 13;
  memcpy (&f, &bits, sizeof f);
  return f;
}

/* Round to nearest, ties to even; what does not fit (|f| >= 65520)
 * becomes an infinity, which the caller refuses. */
static uint16_t
float_to_half (float f)
{
  uint32_t x, sign, absx, h, rem, half, man, shift;

  memcpy (&x, &f, sizeof x);
  sign = (x >> 16) & 0x8000u;
  absx = x & 0x7fffffffu;
  if (absx > 0x7f800000u)
    return (uint16_t) (sign | 0x7e00u);
  if (absx >= 0x477ff000u)                /* 65520: rounds past 65504 */
    return (uint16_t) (sign | 0x7c00u);
  if (absx >= 0x38800000u)                /* 2^-14: a normal half     */
    {
      h   = (absx - 0x38000000u) >> 13;   /* rebias 127 -> 15         */
      rem = absx & 0x1fffu;
      if (rem > 0x1000u || (rem == 0x1000u && (h & 1)))
        h++;                              /* may carry into the exp.  */
      return (uint16_t) (sign | h);
    }
  if (absx < 0x33000000u)                 /* under 2^-25: rounds to 0 */
    return (uint16_t) sign;
  /* a subnormal half: the float's 24-bit significand in units of 2^-24 */
  man   = (absx & 0x7fffffu) | 0x800000u;
  shift = 126 - (absx >> 23);             /* 14..24                   */
  h     = man >> shift;
  rem   = man & ((1u << shift) - 1);
  half  = 1u << (shift - 1);
  if (rem > half || (rem == half && (h & 1)))
    h++;
  return (uint16_t) (sign | h);
}

/* ---- checks shared by the parser, the writer and the import ---- */

/* One layer's fields as the file gives them, wide enough for any u32, so
 * that a message can quote the value the file really holds. */
typedef struct
{
  int64_t op, in_c, out_c, kernel, stride, pad;
  int64_t tensor[2];
} LayerDesc;

static const char *
op_name (int64_t op)
{
  switch (op)
    {
    case ATELIER_NET_PAD_REFLECT: return "pad";
    case ATELIER_NET_CONV:        return "conv";
    case ATELIER_NET_INORM:       return "inorm";
    case ATELIER_NET_RELU:        return "relu";
    case ATELIER_NET_UPSAMPLE:    return "upsample";
    case ATELIER_NET_SKIP_SAVE:   return "skip_save";
    case ATELIER_NET_SKIP_ADD:    return "skip_add";
    }
  return "?";
}

static bool
has_tensors (int64_t op)
{
  return op == ATELIER_NET_CONV || op == ATELIER_NET_INORM;
}

/* Values tensor j (0: weight / gamma, 1: bias / beta) of a checked layer
 * holds. */
static uint64_t
tensor_need (const LayerDesc *d,
             int              j,
             int              n_styles)
{
  if (d->op == ATELIER_NET_CONV)
    return j == 0 ? (uint64_t) d->out_c * d->in_c * d->kernel * d->kernel
                  : (uint64_t) d->out_c;
  return (uint64_t) n_styles * d->in_c;
}

static const char *
tensor_role (int64_t op,
             int     j)
{
  if (op == ATELIER_NET_CONV)
    return j == 0 ? "conv weight" : "conv bias";
  return j == 0 ? "inorm gamma" : "inorm beta";
}

/* "3x32x9x9 needs 7776", "2 styles x 32 channels need 64". */
static void
format_need (const LayerDesc *d,
             int              j,
             int              n_styles,
             char            *buf,
             size_t           size)
{
  unsigned long long need = tensor_need (d, j, n_styles);

  if (d->op == ATELIER_NET_CONV && j == 0)
    snprintf (buf, size, "%lldx%lldx%lldx%lld needs %llu",
              (long long) d->out_c, (long long) d->in_c,
              (long long) d->kernel, (long long) d->kernel, need);
  else if (d->op == ATELIER_NET_CONV)
    snprintf (buf, size, "%lld channels need %llu",
              (long long) d->out_c, need);
  else
    snprintf (buf, size, "%d style%s x %lld channels need %llu",
              n_styles, n_styles == 1 ? "" : "s", (long long) d->in_c, need);
}

/* A field in lo..hi, else "layer i: <op>: <what> V, not lo..hi"; hi 0
 * is a field the op does not use. */
static bool
check_range (AtelierContext *ctx,
             int             i,
             int64_t         op,
             const char     *what,
             int64_t         v,
             int64_t         lo,
             int64_t         hi)
{
  if (v >= lo && v <= hi)
    return true;
  if (hi == 0)
    {
      atelier_set_error (ctx, "layer %d: %s: %s %lld, must be 0 (a %s has "
                         "none)", i, op_name (op), what, (long long) v,
                         op_name (op));
      return false;
    }
  atelier_set_error (ctx, "layer %d: %s: %s %lld, not %lld..%lld", i,
                     op_name (op), what, (long long) v, (long long) lo,
                     (long long) hi);
  return false;
}

typedef struct
{
  int     layer;      /* the SKIP_SAVE                                   */
  int64_t c;
  int     zoom;       /* the size at the save: 2^zoom x H + offset       */
  int64_t offset;
} SkipState;

/* floor (a / 2) for any sign */
static int64_t
half_floor (int64_t a)
{
  return a >= 0 ? a / 2 : -((-a + 1) / 2);
}

/* The layers' fields in range and the shapes flowing: 3 channels in,
 * each layer taking what the one before gives, 3 out; the skips balanced
 * and each skip_add's tensor of the saved one's channels and size for
 * every input size the renderer gives the net.  The renderer extends the
 * input to a multiple of the total stride D (net_render.c), so the size
 * is followed symbolically from the input as 2^zoom x H + offset with H
 * a multiple of D: a pad adds 2 x pad, a conv takes kernel - 1, a
 * stride-2 conv then halves (exactly: 2^zoom x H is even while zoom
 * stays above -log2 D), an upsample doubles both.  A skip_add needs the
 * size its save had. */
static bool
check_layers (AtelierContext  *ctx,
              const LayerDesc *d,
              int              n_layers)
{
  SkipState stack[ATELIER_NET_MAX_SKIP];
  int       depth = 0, zoom = 0, level = 0, log2_down = 0;
  int64_t   c     = 3, offset = 0;
  int       i;

  /* the total stride as the renderer computes it (net_render.c) */
  for (i = 0; i < n_layers; i++)
    if (d[i].op == ATELIER_NET_CONV && d[i].stride == 2)
      log2_down = ++level > log2_down ? level : log2_down;
    else if (d[i].op == ATELIER_NET_UPSAMPLE && level > 0)
      level--;

  for (i = 0; i < n_layers; i++)
    {
      const LayerDesc *l = &d[i];
      bool             conv = l->op == ATELIER_NET_CONV;
      bool             pad  = l->op == ATELIER_NET_PAD_REFLECT;

      if (l->op < ATELIER_NET_PAD_REFLECT || l->op > ATELIER_NET_SKIP_ADD)
        {
          atelier_set_error (ctx, "layer %d: unknown op %lld", i,
                             (long long) l->op);
          return false;
        }
      if (! check_range (ctx, i, l->op, "in_c", l->in_c, 1,
                         ATELIER_NET_MAX_CHANNELS) ||
          ! check_range (ctx, i, l->op, "out_c", l->out_c, 1,
                         ATELIER_NET_MAX_CHANNELS) ||
          ! check_range (ctx, i, l->op, "kernel", l->kernel, conv,
                         conv ? ATELIER_NET_MAX_KERNEL : 0) ||
          ! check_range (ctx, i, l->op, "stride", l->stride, conv,
                         conv ? 2 : 0) ||
          ! check_range (ctx, i, l->op, "pad", l->pad, pad,
                         pad ? ATELIER_NET_MAX_PAD : 0))
        return false;
      if (l->in_c != c)
        {
          atelier_set_error (ctx, "layer %d: %s takes %lld channels, %s "
                             "gives %lld", i, op_name (l->op),
                             (long long) l->in_c,
                             i ? "the layer before" : "the input (RGB)",
                             (long long) c);
          return false;
        }
      if (! conv && l->out_c != l->in_c)
        {
          atelier_set_error (ctx, "layer %d: %s cannot change the channels "
                             "(%lld in, %lld out)", i, op_name (l->op),
                             (long long) l->in_c, (long long) l->out_c);
          return false;
        }

      if (pad)
        offset += 2 * l->pad;
      else if (conv && l->stride == 2)
        {
          /* zoom > -log2_down always holds here: the first pass counted
           * every stride-2 conv before this one */
          offset = half_floor (offset - l->kernel) + 1;
          zoom--;
        }
      else if (conv)
        offset -= l->kernel - 1;
      else if (l->op == ATELIER_NET_UPSAMPLE)
        {
          if (++zoom > MAX_SKIP_ZOOM)
            {
              atelier_set_error (ctx, "layer %d: more than %d upsamples "
                                 "beyond the input's size", i,
                                 MAX_SKIP_ZOOM);
              return false;
            }
          offset *= 2;
        }
      if (offset < -((int64_t) 1 << 40) || offset > ((int64_t) 1 << 40))
        {
          atelier_set_error (ctx, "layer %d: sizes out of range", i);
          return false;
        }

      if (l->op == ATELIER_NET_SKIP_SAVE)
        {
          if (depth == ATELIER_NET_MAX_SKIP)
            {
              atelier_set_error (ctx, "layer %d: skip_save nested more "
                                 "than %d deep", i, ATELIER_NET_MAX_SKIP);
              return false;
            }
          stack[depth].layer  = i;
          stack[depth].c      = c;
          stack[depth].zoom   = zoom;
          stack[depth].offset = offset;
          depth++;
        }
      else if (l->op == ATELIER_NET_SKIP_ADD)
        {
          SkipState *s;

          if (depth == 0)
            {
              atelier_set_error (ctx, "layer %d: skip_add without a "
                                 "skip_save (skips unbalanced)", i);
              return false;
            }
          s = &stack[--depth];
          if (s->c != c)
            {
              atelier_set_error (ctx, "layer %d: skip_add of %lld channels "
                                 "onto layer %d's %lld (shape mismatch)", i,
                                 (long long) c, s->layer, (long long) s->c);
              return false;
            }
          if (s->zoom != zoom || s->offset != offset)
            {
              atelier_set_error (ctx, "layer %d: skip_add's tensor is not "
                                 "the size of layer %d's save (2^%d x H "
                                 "%+lld against 2^%d x H %+lld: shape "
                                 "mismatch)", i, s->layer, zoom,
                                 (long long) offset, s->zoom,
                                 (long long) s->offset);
              return false;
            }
        }
      c = l->out_c;
    }
  if (depth > 0)
    {
      atelier_set_error (ctx, "layer %d's skip_save has no skip_add (skips "
                         "unbalanced)", stack[depth - 1].layer);
      return false;
    }
  if (c != 3)
    {
      atelier_set_error (ctx, "the last layer gives %lld channels, not 3 "
                         "(RGB)", (long long) c);
      return false;
    }
  return true;
}

/* Bytes of valid UTF-8 (no overlong form, no surrogate, at most
 * U+10FFFF) starting at s, 0 if none. */
static int
utf8_char (const unsigned char *s,
           size_t               n)
{
  uint32_t cp;
  int      len, k;

  if (s[0] < 0x80)
    return 1;
  if (s[0] >= 0xc2 && s[0] <= 0xdf)
    len = 2, cp = s[0] & 0x1fu;
  else if (s[0] >= 0xe0 && s[0] <= 0xef)
    len = 3, cp = s[0] & 0x0fu;
  else if (s[0] >= 0xf0 && s[0] <= 0xf4)
    len = 4, cp = s[0] & 0x07u;
  else
    return 0;
  if ((size_t) len > n)
    return 0;
  for (k = 1; k < len; k++)
    {
      if ((s[k] & 0xc0) != 0x80)
        return 0;
      cp = cp << 6 | (s[k] & 0x3fu);
    }
  if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
      (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
    return 0;
  return len;
}

/* A text field of size bytes: NUL-terminated, NULs after the terminator
 * when padded (the file's form), a name non-empty and of [a-z0-9-], a
 * label valid UTF-8. */
static bool
check_text (AtelierContext *ctx,
            int             style,
            const char     *what,
            const char     *field,
            size_t          size,
            bool            is_name,
            bool            padded)
{
  const unsigned char *s   = (const unsigned char *) field;
  size_t               len = strnlen (field, size);
  size_t               i;
  int                  n;

  if (len == size)
    {
      atelier_set_error (ctx, "style %d: %s is not NUL-terminated within "
                         "%zu bytes", style, what, size);
      return false;
    }
  for (i = len; padded && i < size; i++)
    if (s[i])
      {
        atelier_set_error (ctx, "style %d: %s has bytes after its NUL",
                           style, what);
        return false;
      }
  if (is_name && len == 0)
    {
      atelier_set_error (ctx, "style %d: %s is empty", style, what);
      return false;
    }
  for (i = 0; i < len; i += (size_t) n)
    {
      if (is_name)
        {
          n = (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '-';
          if (! n)
            {
              atelier_set_error (ctx, "style %d: %s has the character "
                                 "0x%02x at %zu, allowed are a-z 0-9 -",
                                 style, what, s[i], i);
              return false;
            }
        }
      else if (! (n = utf8_char (s + i, len - i)))
        {
          atelier_set_error (ctx, "style %d: %s is not valid UTF-8 (byte "
                             "%zu)", style, what, i);
          return false;
        }
    }
  return true;
}

static bool
check_style (AtelierContext        *ctx,
             int                    i,
             const AtelierNetStyle *s,
             const AtelierNetStyle *styles,
             bool                   padded)
{
  int j;

  if (! check_text (ctx, i, "name", s->name, sizeof s->name, true, padded) ||
      ! check_text (ctx, i, "label", s->label, sizeof s->label, false,
                    padded) ||
      ! check_text (ctx, i, "label_zh", s->label_zh, sizeof s->label_zh,
                    false, padded))
    return false;
  for (j = 0; j < i; j++)
    if (strcmp (styles[j].name, s->name) == 0)
      {
        atelier_set_error (ctx, "style %d: name \"%s\" is style %d's too",
                           i, s->name, j);
        return false;
      }
  if (! (s->strength >= 0.0f && s->strength <= 1.0f))
    {
      atelier_set_error (ctx, "style %d: strength %g, not 0..1", i,
                         (double) s->strength);
      return false;
    }
  if (! (s->scale >= 0.25f && s->scale <= 4.0f))
    {
      atelier_set_error (ctx, "style %d: scale %g, not 0.25..4", i,
                         (double) s->scale);
      return false;
    }
  return true;
}

static bool
check_scales (AtelierContext *ctx,
              float           in_scale,
              float           out_scale)
{
  if (! (isfinite (in_scale) && in_scale > 0.0f &&
         isfinite (out_scale) && out_scale > 0.0f))
    {
      atelier_set_error (ctx, "in_scale %g, out_scale %g: each must be "
                         "finite and > 0", (double) in_scale,
                         (double) out_scale);
      return false;
    }
  return true;
}

static void
desc_from_layer (const AtelierNetLayer *l,
                 LayerDesc             *d)
{
  d->op     = l->op;
  d->in_c   = l->in_c;
  d->out_c  = l->out_c;
  d->kernel = l->op == ATELIER_NET_CONV ? l->kernel : 0;
  d->stride = l->op == ATELIER_NET_CONV ? l->stride : 0;
  d->pad    = l->op == ATELIER_NET_PAD_REFLECT ? l->pad : 0;
  d->tensor[0] = d->tensor[1] = -1;
}

size_t
atelier_net_layer_floats (const AtelierNetLayer *layer,
                          int                    n_styles)
{
  if (layer->op == ATELIER_NET_CONV)
    return (size_t) layer->out_c * layer->in_c * layer->kernel *
           layer->kernel + layer->out_c;
  if (layer->op == ATELIER_NET_INORM)
    return 2 * (size_t) n_styles * layer->in_c;
  return 0;
}

void
atelier_net_point_tensors (AtelierNet *net)
{
  float *p = net->storage;
  int    i;

  for (i = 0; i < net->n_layers; i++)
    {
      AtelierNetLayer *l = &net->layers[i];

      if (l->op == ATELIER_NET_CONV)
        {
          l->weight = p;
          p += (size_t) l->out_c * l->in_c * l->kernel * l->kernel;
          l->bias = p;
          p += l->out_c;
        }
      else if (l->op == ATELIER_NET_INORM)
        {
          l->gamma = p;
          p += (size_t) net->n_styles * l->in_c;
          l->beta = p;
          p += (size_t) net->n_styles * l->in_c;
        }
    }
}

AtelierNet *
atelier_net_new (int    n_layers,
                 int    n_styles,
                 size_t n_storage)
{
  AtelierNet *net = calloc (1, sizeof *net);

  if (! net)
    return NULL;
  net->n_layers  = n_layers;
  net->n_styles  = n_styles;
  net->n_storage = n_storage;
  net->layers    = calloc ((size_t) n_layers, sizeof *net->layers);
  net->styles    = calloc ((size_t) n_styles, sizeof *net->styles);
  net->storage   = malloc ((n_storage ? n_storage : 1) * sizeof (float));
  if (! net->layers || ! net->styles || ! net->storage)
    {
      atelier_net_free (net);
      return NULL;
    }
  return net;
}

void
atelier_net_free (AtelierNet *net)
{
  if (! net)
    return;
  free (net->layers);
  free (net->styles);
  free (net->storage);
  free (net);
}

bool
atelier_net_sniff (const void *bytes,
                   size_t      size)
{
  return bytes && size >= ATELIER_NET_MAGIC_SIZE &&
         memcmp (bytes, ATELIER_NET_MAGIC, ATELIER_NET_MAGIC_SIZE) == 0;
}

/* ---- parsing ---- */

typedef struct
{
  uint32_t dtype;
  uint32_t count;
  uint64_t offset;
  int      layer;     /* the layer using it, and as which of its two */
  int      role;
} TensorDesc;

/* The tensor table against the layers: each tensor used by exactly one
 * layer slot and holding what that slot needs, in order in the data,
 * 4-byte aligned, not overlapping, the data ending with the last one (to
 * a multiple of 4).  Sums the values into *n_values. */
static bool
check_tensors (AtelierContext  *ctx,
               const LayerDesc *d,
               int              n_layers,
               int              n_styles,
               TensorDesc      *t,
               uint32_t         n_tensors,
               uint64_t         data_start,
               uint64_t         data_end,
               uint64_t        *n_values)
{
  uint64_t end   = data_start;
  uint64_t total = 0;
  uint32_t n_refs = 0;
  uint32_t k;
  int      i, j;
  char     need[96];

  for (k = 0; k < n_tensors; k++)
    t[k].layer = -1;
  for (i = 0; i < n_layers; i++)
    for (j = 0; j < 2; j++)
      {
        int64_t ref = d[i].tensor[j];

        if (! has_tensors (d[i].op))
          {
            if (ref != -1)
              {
                atelier_set_error (ctx, "layer %d: %s takes no tensor, it "
                                   "names tensor %lld", i, op_name (d[i].op),
                                   (long long) ref);
                return false;
              }
            continue;
          }
        n_refs++;
        if (ref < 0 || ref >= n_tensors)
          {
            atelier_set_error (ctx, "layer %d: %s is tensor %lld, the "
                               "table has %u", i, tensor_role (d[i].op, j),
                               (long long) ref, n_tensors);
            return false;
          }
        if (t[ref].layer >= 0)
          {
            atelier_set_error (ctx, "layer %d: %s is tensor %lld, which "
                               "layer %d uses already", i,
                               tensor_role (d[i].op, j), (long long) ref,
                               t[ref].layer);
            return false;
          }
        t[ref].layer = i;
        t[ref].role  = j;
      }
  if (n_refs != n_tensors)
    {
      atelier_set_error (ctx, "the layers use %u tensors, the table has %u",
                         n_refs, n_tensors);
      return false;
    }

  for (k = 0; k < n_tensors; k++)
    {
      const LayerDesc *l = &d[t[k].layer];
      uint64_t         bytes;

      if (t[k].dtype != DTYPE_F32 && t[k].dtype != DTYPE_F16)
        {
          atelier_set_error (ctx, "tensor %u: unknown dtype %u", k,
                             t[k].dtype);
          return false;
        }
      if (t[k].count != tensor_need (l, t[k].role, n_styles))
        {
          format_need (l, t[k].role, n_styles, need, sizeof need);
          atelier_set_error (ctx, "layer %d: %s holds %u values, %s",
                             t[k].layer, tensor_role (l->op, t[k].role),
                             t[k].count, need);
          return false;
        }
      /* a u32 count of at most 4 bytes: no wrap in 64 bits */
      bytes = (uint64_t) t[k].count * (t[k].dtype == DTYPE_F16 ? 2 : 4);
      if (t[k].offset % 4)
        {
          atelier_set_error (ctx, "tensor %u: offset %llu is not 4-byte "
                             "aligned", k, (unsigned long long) t[k].offset);
          return false;
        }
      if (t[k].offset < data_start || t[k].offset > data_end ||
          bytes > data_end - t[k].offset)
        {
          atelier_set_error (ctx, "tensor %u: %llu bytes at offset %llu, "
                             "outside the data (%llu..%llu)", k,
                             (unsigned long long) bytes,
                             (unsigned long long) t[k].offset,
                             (unsigned long long) data_start,
                             (unsigned long long) data_end);
          return false;
        }
      if (t[k].offset < end)
        {
          atelier_set_error (ctx, "tensor %u: offset %llu overlaps the "
                             "tensor before it, which ends at %llu", k,
                             (unsigned long long) t[k].offset,
                             (unsigned long long) end);
          return false;
        }
      end = t[k].offset + bytes;
      total += t[k].count;
    }
  if (((end + 3) & ~(uint64_t) 3) != data_end)
    {
      atelier_set_error (ctx, "%llu bytes after the last tensor's end at "
                         "%llu", (unsigned long long) (data_end - end),
                         (unsigned long long) end);
      return false;
    }
  *n_values = total;
  return true;
}

/* Converts tensor k into dst (count floats), every value finite. */
static bool
load_tensor (AtelierContext      *ctx,
             const unsigned char *bytes,
             const TensorDesc    *t,
             uint32_t             k,
             const LayerDesc     *l,
             float               *dst)
{
  const unsigned char *p = bytes + t->offset;
  uint32_t             i;

  for (i = 0; i < t->count; i++)
    {
      uint16_t h = 0;

      if (t->dtype == DTYPE_F16)
        {
          h      = (uint16_t) (p[2 * (size_t) i] |
                               p[2 * (size_t) i + 1] << 8);
          dst[i] = half_to_float (h);
        }
      else
        dst[i] = get_f32 (p + 4 * (size_t) i);
      if (! isfinite (dst[i]))
        {
          if (t->dtype == DTYPE_F16)
            atelier_set_error (ctx, "layer %d: %s (tensor %u), value %u is "
                               "not finite (fp16 %s, 0x%04x)", t->layer,
                               tensor_role (l->op, t->role), k, i,
                               (h & 0x3ff) ? "NaN" : "inf", h);
          else
            atelier_set_error (ctx, "layer %d: %s (tensor %u), value %u is "
                               "not finite (%g)", t->layer,
                               tensor_role (l->op, t->role), k, i,
                               (double) dst[i]);
          return false;
        }
    }
  return true;
}

AtelierStatus
atelier_net_parse (AtelierContext  *ctx,
                   const void      *bytes,
                   size_t           size,
                   AtelierNet     **net)
{
  const unsigned char *b = bytes;
  AtelierStatus        st = ATELIER_ERR_FORMAT;
  AtelierNet          *n = NULL;
  LayerDesc           *desc = NULL;
  TensorDesc          *tdesc = NULL;
  uint32_t             version, n_layers, n_styles, n_tensors, crc, have;
  uint64_t             layers_at, styles_at, tensors_at, data_start;
  uint64_t             data_end, n_values;
  float                in_scale, out_scale;
  uint32_t             k;
  int                  i;

  if (net)
    *net = NULL;
  if (! net || (! bytes && size))
    {
      atelier_set_error (ctx, "net parse needs bytes and a net pointer");
      st = ATELIER_ERR_INVALID_PARAM;
      goto out;
    }
  if (! atelier_net_sniff (bytes, size))
    {
      atelier_set_error (ctx,
                         ATELIER_N_ ("not an .atnet model (bad magic)"));
      goto out;
    }
  if ((uint64_t) size > ATELIER_NET_MAX_FILE)
    {
      atelier_set_error (ctx, "the model is %zu bytes, at most %llu are "
                         "read", size,
                         (unsigned long long) ATELIER_NET_MAX_FILE);
      goto out;
    }
  if (size < HEADER_SIZE + TRAILER_SIZE)
    {
      atelier_set_error (ctx, "truncated: %zu bytes, the header and the "
                         "checksum need %d", size,
                         HEADER_SIZE + TRAILER_SIZE);
      goto out;
    }
  /* the version before the checksum: a later version may sum otherwise */
  version = get_u32 (b + 8);
  if (version != ATELIER_NET_VERSION)
    {
      atelier_set_error (ctx, "the model is version %u, this engine reads "
                         "version %d", version, ATELIER_NET_VERSION);
      goto out;
    }
  crc  = get_u32 (b + size - TRAILER_SIZE);
  have = (uint32_t) crc32 (0L, b, (uInt) (size - TRAILER_SIZE));
  if (crc != have)
    {
      atelier_set_error (ctx, "bad checksum (the file says 0x%08x, its "
                         "bytes give 0x%08x): truncated or corrupt", crc,
                         have);
      goto out;
    }

  n_layers  = get_u32 (b + 12);
  n_styles  = get_u32 (b + 16);
  n_tensors = get_u32 (b + 20);
  in_scale  = get_f32 (b + 24);
  out_scale = get_f32 (b + 28);
  if (n_layers < 1 || n_layers > ATELIER_NET_MAX_LAYERS)
    {
      atelier_set_error (ctx, "n_layers %u, not 1..%d", n_layers,
                         ATELIER_NET_MAX_LAYERS);
      goto out;
    }
  if (n_styles < 1 || n_styles > ATELIER_NET_MAX_STYLES)
    {
      atelier_set_error (ctx, "n_styles %u, not 1..%d", n_styles,
                         ATELIER_NET_MAX_STYLES);
      goto out;
    }
  if (n_tensors > MAX_TENSORS)
    {
      atelier_set_error (ctx, "n_tensors %u, over %d", n_tensors,
                         MAX_TENSORS);
      goto out;
    }
  /* the counts are bounded now: these cannot wrap */
  layers_at  = HEADER_SIZE;
  styles_at  = layers_at + (uint64_t) LAYER_SIZE * n_layers;
  tensors_at = styles_at + (uint64_t) STYLE_SIZE * n_styles;
  data_start = tensors_at + (uint64_t) TENSOR_SIZE * n_tensors;
  data_end   = size - TRAILER_SIZE;
  if (data_start > data_end)
    {
      atelier_set_error (ctx, "truncated: the tables of %u layers, %u "
                         "styles and %u tensors need %llu bytes, the file "
                         "has %zu", n_layers, n_styles, n_tensors,
                         (unsigned long long) (data_start + TRAILER_SIZE),
                         size);
      goto out;
    }
  if (! check_scales (ctx, in_scale, out_scale))
    goto out;

  desc  = calloc (n_layers, sizeof *desc);
  tdesc = calloc (n_tensors ? n_tensors : 1, sizeof *tdesc);
  if (! desc || ! tdesc)
    {
      atelier_set_error (ctx, "out of memory for the tables of a model");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  for (i = 0; i < (int) n_layers; i++)
    {
      const unsigned char *p = b + layers_at + (uint64_t) LAYER_SIZE * i;

      desc[i].op        = get_u32 (p);
      desc[i].in_c      = get_u32 (p + 4);
      desc[i].out_c     = get_u32 (p + 8);
      desc[i].kernel    = get_u32 (p + 12);
      desc[i].stride    = get_u32 (p + 16);
      desc[i].pad       = get_u32 (p + 20);
      desc[i].tensor[0] = (int32_t) get_u32 (p + 24);
      desc[i].tensor[1] = (int32_t) get_u32 (p + 28);
    }
  if (! check_layers (ctx, desc, (int) n_layers))
    goto out;
  for (k = 0; k < n_tensors; k++)
    {
      const unsigned char *p = b + tensors_at + (uint64_t) TENSOR_SIZE * k;

      tdesc[k].dtype  = get_u32 (p);
      tdesc[k].count  = get_u32 (p + 4);
      tdesc[k].offset = get_u64 (p + 8);
    }
  if (! check_tensors (ctx, desc, (int) n_layers, (int) n_styles, tdesc,
                       n_tensors, data_start, data_end, &n_values))
    goto out;

  /* n_values <= size / 2: the tensors lie apart inside the file */
  n = atelier_net_new ((int) n_layers, (int) n_styles, (size_t) n_values);
  if (! n)
    {
      atelier_set_error (ctx, "out of memory for a model of %llu values",
                         (unsigned long long) n_values);
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  n->in_scale  = in_scale;
  n->out_scale = out_scale;
  for (i = 0; i < (int) n_styles; i++)
    {
      const unsigned char *p = b + styles_at + (uint64_t) STYLE_SIZE * i;
      AtelierNetStyle     *s = &n->styles[i];

      memcpy (s->name, p, sizeof s->name);
      p += sizeof s->name;
      memcpy (s->label, p, sizeof s->label);
      p += sizeof s->label;
      memcpy (s->label_zh, p, sizeof s->label_zh);
      p += sizeof s->label_zh;
      s->strength = get_f32 (p);
      s->scale    = get_f32 (p + 4);
      if (! check_style (ctx, i, s, n->styles, true))
        goto out;
    }
  for (i = 0; i < (int) n_layers; i++)
    {
      AtelierNetLayer *l = &n->layers[i];

      l->op     = (AtelierNetOp) desc[i].op;
      l->in_c   = (int) desc[i].in_c;
      l->out_c  = (int) desc[i].out_c;
      l->kernel = (int) desc[i].kernel;
      l->stride = (int) desc[i].stride;
      l->pad    = (int) desc[i].pad;
    }
  atelier_net_point_tensors (n);
  for (i = 0; i < (int) n_layers; i++)
    {
      AtelierNetLayer *l = &n->layers[i];
      float           *dst[2];
      int              j;

      if (! has_tensors (l->op))
        continue;
      dst[0] = (float *) (l->op == ATELIER_NET_CONV ? l->weight : l->gamma);
      dst[1] = (float *) (l->op == ATELIER_NET_CONV ? l->bias : l->beta);
      for (j = 0; j < 2; j++)
        {
          k = (uint32_t) desc[i].tensor[j];
          if (! load_tensor (ctx, b, &tdesc[k], k, &desc[i], dst[j]))
            goto out;
        }
    }
  *net = n;
  n    = NULL;
  st   = ATELIER_OK;

out:
  atelier_net_free (n);
  free (desc);
  free (tdesc);
  return st;
}

AtelierStatus
atelier_net_read (AtelierContext  *ctx,
                  int              fd,
                  AtelierNet     **net)
{
  AtelierStatus  st = ATELIER_ERR_IO;
  struct stat    info;
  unsigned char *buf = NULL;
  size_t         size, done = 0;
  char           err[128];

  if (net)
    *net = NULL;
  if (! net || fd < 0)
    {
      atelier_set_error (ctx, "net read needs a file and a net pointer");
      st = ATELIER_ERR_INVALID_PARAM;
      goto out;
    }
  if (fstat (fd, &info) != 0)
    {
      atelier_set_error (ctx, "cannot read the model: %s",
                         strerror_r (errno, err, sizeof err));
      goto out;
    }
  if (! S_ISREG (info.st_mode))
    {
      atelier_set_error (ctx, "cannot read the model: not a regular file");
      goto out;
    }
  if ((uint64_t) info.st_size > ATELIER_NET_MAX_FILE)
    {
      atelier_set_error (ctx, "the model is %llu bytes, at most %llu are "
                         "read", (unsigned long long) info.st_size,
                         (unsigned long long) ATELIER_NET_MAX_FILE);
      st = ATELIER_ERR_FORMAT;
      goto out;
    }
  size = (size_t) info.st_size;
  buf  = malloc (size ? size : 1);
  if (! buf)
    {
      atelier_set_error (ctx, "out of memory for a model of %zu bytes",
                         size);
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  /* pread: the descriptor's offset is the caller's */
  while (done < size)
    {
      ssize_t r = pread (fd, buf + done, size - done, (off_t) done);

      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0)
        {
          atelier_set_error (ctx, "cannot read the model: %s",
                             strerror_r (errno, err, sizeof err));
          goto out;
        }
      if (r == 0)
        break;             /* shrunk under us: parse refuses the rest */
      done += (size_t) r;
    }
  st = atelier_net_parse (ctx, buf, done, net);

out:
  free (buf);
  return st;
}

/* ---- writing ---- */

/* The in-memory net as the parser would take it: the same checks, every
 * tensor there, every value finite and, for fp16 weights, within
 * +-65504.  ATELIER_ERR_INVALID_PARAM otherwise. */
static AtelierStatus
check_net (AtelierContext   *ctx,
           const AtelierNet *net,
           bool              fp16,
           LayerDesc        *desc)
{
  int i, j;

  if (net->n_layers < 1 || net->n_layers > ATELIER_NET_MAX_LAYERS ||
      ! net->layers)
    {
      atelier_set_error (ctx, "net: n_layers %d, not 1..%d", net->n_layers,
                         ATELIER_NET_MAX_LAYERS);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (net->n_styles < 1 || net->n_styles > ATELIER_NET_MAX_STYLES ||
      ! net->styles)
    {
      atelier_set_error (ctx, "net: n_styles %d, not 1..%d", net->n_styles,
                         ATELIER_NET_MAX_STYLES);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (! check_scales (ctx, net->in_scale, net->out_scale))
    return ATELIER_ERR_INVALID_PARAM;
  for (i = 0; i < net->n_layers; i++)
    desc_from_layer (&net->layers[i], &desc[i]);
  if (! check_layers (ctx, desc, net->n_layers))
    return ATELIER_ERR_INVALID_PARAM;
  for (i = 0; i < net->n_styles; i++)
    if (! check_style (ctx, i, &net->styles[i], net->styles, false))
      return ATELIER_ERR_INVALID_PARAM;

  for (i = 0; i < net->n_layers; i++)
    {
      const AtelierNetLayer *l = &net->layers[i];
      bool                   conv = l->op == ATELIER_NET_CONV;
      const float           *t[2];
      uint64_t               n, v;

      if (! has_tensors (l->op))
        continue;
      t[0] = conv ? l->weight : l->gamma;
      t[1] = conv ? l->bias : l->beta;
      for (j = 0; j < 2; j++)
        {
          if (! t[j])
            {
              atelier_set_error (ctx, "layer %d: %s missing", i,
                                 tensor_role (l->op, j));
              return ATELIER_ERR_INVALID_PARAM;
            }
          n = tensor_need (&desc[i], j, net->n_styles);
          for (v = 0; v < n; v++)
            {
              bool half = fp16 && conv && j == 0;

              if (! isfinite (t[j][v]) ||
                  (half && (float_to_half (t[j][v]) & 0x7c00u) == 0x7c00u))
                {
                  atelier_set_error (ctx, "layer %d: %s value %llu is %g, "
                                     "%s", i, tensor_role (l->op, j),
                                     (unsigned long long) v,
                                     (double) t[j][v],
                                     isfinite (t[j][v]) ?
                                     "beyond fp16's +-65504" : "not finite");
                  return ATELIER_ERR_INVALID_PARAM;
                }
            }
        }
    }
  return ATELIER_OK;
}

AtelierStatus
atelier_net_serialize (AtelierContext   *ctx,
                       const AtelierNet *net,
                       bool              fp16,
                       void            **bytes,
                       size_t           *size)
{
  AtelierStatus  st;
  LayerDesc     *desc = NULL;
  unsigned char *b = NULL, *p;
  uint64_t       n_tensors = 0, data_start, total;
  uint64_t       tensor_at, data_at, n;
  int            i, j;
  uint64_t       v;

  if (bytes)
    *bytes = NULL;
  if (size)
    *size = 0;
  if (! net || ! bytes || ! size)
    {
      atelier_set_error (ctx, "net serialize needs a net and two pointers");
      st = ATELIER_ERR_INVALID_PARAM;
      goto out;
    }
  /* the count, before anything is sized by it */
  if (net->n_layers < 1 || net->n_layers > ATELIER_NET_MAX_LAYERS)
    {
      atelier_set_error (ctx, "net: n_layers %d, not 1..%d", net->n_layers,
                         ATELIER_NET_MAX_LAYERS);
      st = ATELIER_ERR_INVALID_PARAM;
      goto out;
    }
  desc = calloc ((size_t) net->n_layers, sizeof *desc);
  if (! desc)
    {
      atelier_set_error (ctx, "out of memory for a model's tables");
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  st = check_net (ctx, net, fp16, desc);
  if (st != ATELIER_OK)
    goto out;

  /* checked shapes: every count below 2^28, no sum can wrap */
  total = 0;
  for (i = 0; i < net->n_layers; i++)
    if (has_tensors (desc[i].op))
      for (j = 0; j < 2; j++)
        {
          bool half = fp16 && desc[i].op == ATELIER_NET_CONV && j == 0;

          n = tensor_need (&desc[i], j, net->n_styles);
          total += (n * (half ? 2 : 4) + 3) & ~(uint64_t) 3;
          n_tensors++;
        }
  data_start = HEADER_SIZE + (uint64_t) LAYER_SIZE * net->n_layers +
               (uint64_t) STYLE_SIZE * net->n_styles +
               TENSOR_SIZE * n_tensors;
  total += data_start + TRAILER_SIZE;
  if (total > ATELIER_NET_MAX_FILE)
    {
      atelier_set_error (ctx, "the model would be %llu bytes, over the %llu "
                         "a reader takes", (unsigned long long) total,
                         (unsigned long long) ATELIER_NET_MAX_FILE);
      st = ATELIER_ERR_INVALID_PARAM;
      goto out;
    }
  b = calloc (1, (size_t) total);
  if (! b)
    {
      atelier_set_error (ctx, "out of memory for a model of %llu bytes",
                         (unsigned long long) total);
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }

  memcpy (b, ATELIER_NET_MAGIC, ATELIER_NET_MAGIC_SIZE);
  put_u32 (b + 8, ATELIER_NET_VERSION);
  put_u32 (b + 12, (uint32_t) net->n_layers);
  put_u32 (b + 16, (uint32_t) net->n_styles);
  put_u32 (b + 20, (uint32_t) n_tensors);
  put_f32 (b + 24, net->in_scale);
  put_f32 (b + 28, net->out_scale);

  p = b + HEADER_SIZE + (uint64_t) LAYER_SIZE * net->n_layers;
  for (i = 0; i < net->n_styles; i++, p += STYLE_SIZE)
    {
      const AtelierNetStyle *s = &net->styles[i];

      /* only up to the NUL: the rest stays the zeros calloc gave */
      memcpy (p, s->name, strlen (s->name));
      memcpy (p + ATELIER_NET_NAME_MAX, s->label, strlen (s->label));
      memcpy (p + ATELIER_NET_NAME_MAX + ATELIER_NET_LABEL_MAX, s->label_zh,
              strlen (s->label_zh));
      put_f32 (p + STYLE_SIZE - 8, s->strength);
      put_f32 (p + STYLE_SIZE - 4, s->scale);
    }

  tensor_at = p - b;
  data_at   = data_start;
  n_tensors = 0;
  for (i = 0; i < net->n_layers; i++)
    {
      const AtelierNetLayer *l = &net->layers[i];
      unsigned char         *q = b + HEADER_SIZE + (size_t) LAYER_SIZE * i;

      put_u32 (q, (uint32_t) desc[i].op);
      put_u32 (q + 4, (uint32_t) desc[i].in_c);
      put_u32 (q + 8, (uint32_t) desc[i].out_c);
      put_u32 (q + 12, (uint32_t) desc[i].kernel);
      put_u32 (q + 16, (uint32_t) desc[i].stride);
      put_u32 (q + 20, (uint32_t) desc[i].pad);
      put_u32 (q + 24, UINT32_MAX);
      put_u32 (q + 28, UINT32_MAX);
      if (! has_tensors (l->op))
        continue;
      for (j = 0; j < 2; j++)
        {
          bool           conv = l->op == ATELIER_NET_CONV;
          bool           half = fp16 && conv && j == 0;
          const float   *src  = j == 0 ? (conv ? l->weight : l->gamma)
                                       : (conv ? l->bias : l->beta);
          unsigned char *t    = b + tensor_at + TENSOR_SIZE * n_tensors;
          unsigned char *dst  = b + data_at;

          n = tensor_need (&desc[i], j, net->n_styles);
          put_u32 (q + 24 + 4 * j, (uint32_t) n_tensors);
          put_u32 (t, half ? DTYPE_F16 : DTYPE_F32);
          put_u32 (t + 4, (uint32_t) n);
          put_u64 (t + 8, data_at);
          for (v = 0; v < n; v++)
            if (half)
              {
                uint16_t h = float_to_half (src[v]);

                dst[2 * v]     = (unsigned char) h;
                dst[2 * v + 1] = (unsigned char) (h >> 8);
              }
            else
              put_f32 (dst + 4 * v, src[v]);
          data_at += (n * (half ? 2 : 4) + 3) & ~(uint64_t) 3;
          n_tensors++;
        }
    }
  put_u32 (b + total - TRAILER_SIZE,
           (uint32_t) crc32 (0L, b, (uInt) (total - TRAILER_SIZE)));
  *bytes = b;
  *size  = (size_t) total;
  b      = NULL;

out:
  free (b);
  free (desc);
  return st;
}

/* ---- ncnn import ---- */

#define NCNN_MAX_LAYERS 69   /* what ncnn_layers makes */

/* Johnson et al.'s transformer net as pytorch/examples builds it and
 * styletransfer.param lists it: every conv has a reflection pad of
 * kernel / 2 before it (ConvLayer), the stride-2 ones too; an upsampling
 * conv is upsample, pad, conv (UpsampleConvLayer); a residual block is
 * pad, conv, IN, ReLU, pad, conv, IN, plus its input; the output is the
 * last conv's, neither normalised nor clamped. */
static int
ncnn_layers (AtelierNetLayer *l)
{
  static const struct { int in_c, out_c, kernel, stride, up; } convs[] = {
    {   3,  32, 9, 1, 0 }, {  32,  64, 3, 2, 0 }, {  64, 128, 3, 2, 0 },
    { 128,  64, 3, 1, 1 }, {  64,  32, 3, 1, 1 }, {  32,   3, 9, 1, 0 }
  };
  int n = 0, i, r, half;

  for (i = 0; i < 6; i++)
    {
      if (convs[i].up)
        l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_UPSAMPLE,
                                     .in_c = convs[i].in_c,
                                     .out_c = convs[i].in_c };
      l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_PAD_REFLECT,
                                   .in_c = convs[i].in_c,
                                   .out_c = convs[i].in_c,
                                   .pad = convs[i].kernel / 2 };
      l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_CONV,
                                   .in_c = convs[i].in_c,
                                   .out_c = convs[i].out_c,
                                   .kernel = convs[i].kernel,
                                   .stride = convs[i].stride };
      if (i == 5)
        break;
      l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_INORM,
                                   .in_c = convs[i].out_c,
                                   .out_c = convs[i].out_c };
      l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_RELU,
                                   .in_c = convs[i].out_c,
                                   .out_c = convs[i].out_c };
      if (i != 2)
        continue;
      for (r = 0; r < 5; r++)
        {
          l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_SKIP_SAVE,
                                       .in_c = 128, .out_c = 128 };
          for (half = 0; half < 2; half++)
            {
              l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_PAD_REFLECT,
                                           .in_c = 128, .out_c = 128,
                                           .pad = 1 };
              l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_CONV,
                                           .in_c = 128, .out_c = 128,
                                           .kernel = 3, .stride = 1 };
              l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_INORM,
                                           .in_c = 128, .out_c = 128 };
              if (half == 0)
                l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_RELU,
                                             .in_c = 128, .out_c = 128 };
            }
          l[n++] = (AtelierNetLayer) { .op = ATELIER_NET_SKIP_ADD,
                                       .in_c = 128, .out_c = 128 };
        }
    }
  return n;
}

/* Reads count values (fp16 or fp32) from *p into dst, all finite. */
static bool
ncnn_values (AtelierContext       *ctx,
             const unsigned char **p,
             const unsigned char  *base,
             bool                  half,
             size_t                count,
             int                   layer,
             const char           *what,
             float                *dst)
{
  size_t i;

  for (i = 0; i < count; i++)
    {
      dst[i] = half ? half_to_float ((uint16_t) ((*p)[2 * i] |
                                                 (*p)[2 * i + 1] << 8))
                    : get_f32 (*p + 4 * i);
      if (! isfinite (dst[i]))
        {
          atelier_set_error (ctx, "ncnn: layer %d: %s value %zu (byte %zu) "
                             "is not finite", layer, what, i,
                             (size_t) (*p - base) + i * (half ? 2 : 4));
          return false;
        }
    }
  *p += count * (half ? 2 : 4);
  return true;
}

AtelierStatus
atelier_net_import_ncnn (AtelierContext  *ctx,
                         const void      *bytes,
                         size_t           size,
                         const char      *name,
                         AtelierNet     **net)
{
  AtelierNetLayer      layers[NCNN_MAX_LAYERS];
  LayerDesc            desc[NCNN_MAX_LAYERS];
  AtelierNetStyle      style = { .strength = 1.0f, .scale = 1.0f };
  AtelierStatus        st = ATELIER_ERR_FORMAT;
  AtelierNet          *n = NULL;
  const unsigned char *p = bytes;
  uint64_t             need = 0, values = 0;
  int                  n_layers, i;

  if (net)
    *net = NULL;
  if (! net || ! name || (! bytes && size))
    {
      atelier_set_error (ctx, "ncnn import needs bytes, a name and a net "
                         "pointer");
      st = ATELIER_ERR_INVALID_PARAM;
      goto out;
    }
  if (strlen (name) >= sizeof style.name)
    {
      atelier_set_error (ctx, "style name \"%.40s...\" is over %d bytes",
                         name, ATELIER_NET_NAME_MAX - 1);
      st = ATELIER_ERR_INVALID_PARAM;
      goto out;
    }
  strcpy (style.name, name);
  strcpy (style.label, name);
  strcpy (style.label_zh, name);
  if (! check_style (ctx, 0, &style, &style, false))
    {
      st = ATELIER_ERR_INVALID_PARAM;
      goto out;
    }

  n_layers = ncnn_layers (layers);
  for (i = 0; i < n_layers; i++)
    {
      desc_from_layer (&layers[i], &desc[i]);
      if (layers[i].op == ATELIER_NET_CONV)
        need += 4 + 2 * tensor_need (&desc[i], 0, 1) +
                4 * tensor_need (&desc[i], 1, 1);
      else if (layers[i].op == ATELIER_NET_INORM)
        need += 8 * tensor_need (&desc[i], 0, 1);
      if (has_tensors (layers[i].op))
        values += tensor_need (&desc[i], 0, 1) +
                  tensor_need (&desc[i], 1, 1);
    }
  /* our own table: a failure here is a bug, not the file's */
  if (! check_layers (ctx, desc, n_layers))
    goto out;
  if (size != need)
    {
      atelier_set_error (ctx, "ncnn: %zu bytes, the transformer net's "
                         "weights (fp16 convs) are %llu", size,
                         (unsigned long long) need);
      goto out;
    }

  n = atelier_net_new (n_layers, 1, (size_t) values);
  if (! n)
    {
      atelier_set_error (ctx, "out of memory for a model of %llu values",
                         (unsigned long long) values);
      st = ATELIER_ERR_NO_MEMORY;
      goto out;
    }
  memcpy (n->layers, layers, sizeof *layers * (size_t) n_layers);
  n->styles[0] = style;
  n->in_scale  = 255.0f;
  n->out_scale = 1.0f / 255.0f;
  atelier_net_point_tensors (n);
  for (i = 0; i < n_layers; i++)
    {
      AtelierNetLayer *l = &n->layers[i];

      if (l->op == ATELIER_NET_CONV)
        {
          uint32_t tag = get_u32 (p);

          if (tag != NCNN_TAG_F16)
            {
              atelier_set_error (ctx, "ncnn: layer %d: conv tag 0x%08x at "
                                 "byte %zu, not 0x%08x (fp16)", i, tag,
                                 (size_t) (p - (const unsigned char *) bytes),
                                 NCNN_TAG_F16);
              goto out;
            }
          p += 4;
          if (! ncnn_values (ctx, &p, bytes, true,
                             tensor_need (&desc[i], 0, 1), i, "conv weight",
                             (float *) l->weight) ||
              ! ncnn_values (ctx, &p, bytes, false, (size_t) l->out_c, i,
                             "conv bias", (float *) l->bias))
            goto out;
        }
      else if (l->op == ATELIER_NET_INORM)
        {
          if (! ncnn_values (ctx, &p, bytes, false, (size_t) l->in_c, i,
                             "inorm gamma", (float *) l->gamma) ||
              ! ncnn_values (ctx, &p, bytes, false, (size_t) l->in_c, i,
                             "inorm beta", (float *) l->beta))
            goto out;
        }
    }
  *net = n;
  n    = NULL;
  st   = ATELIER_OK;

out:
  atelier_net_free (n);
  return st;
}
