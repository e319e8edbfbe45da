/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feed-forward style networks: the model in memory, its file format
 * (.atnet) and the layers that run it.
 *
 * A network is a list of layers applied in order to a C x H x W float
 * tensor (planar: channel-major, rows packed), from the image's RGB to
 * RGB: reflection padding, convolution (any odd or even kernel, stride 1
 * or 2, no padding of its own: padding is a layer), conditional instance
 * normalisation (per-style scale and shift over shared convolutions,
 * Dumoulin et al. 2017), ReLU, nearest x2 upsampling and residual blocks
 * (SKIP_SAVE pushes the current tensor, SKIP_ADD pops and adds it).
 * That covers Johnson et al.'s transformer net (pytorch/examples) and its
 * slimmer variants, as the file describes them: nothing is hard-coded.
 *
 * Internal to the engine; the public API is in atelier.h.
 */
#ifndef ATELIER_NET_H
#define ATELIER_NET_H

#include "atelier.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Limits the loader enforces: far above any real style network, low
 * enough that nothing a file says can make a huge allocation. */
#define ATELIER_NET_MAX_LAYERS    256
#define ATELIER_NET_MAX_STYLES    64
#define ATELIER_NET_MAX_CHANNELS  1024
#define ATELIER_NET_MAX_KERNEL    15
#define ATELIER_NET_MAX_PAD       16
#define ATELIER_NET_MAX_SKIP      16       /* nested SKIP_SAVEs           */
#define ATELIER_NET_MAX_FILE      ((uint64_t) 256 << 20)
#define ATELIER_NET_NAME_MAX      32       /* bytes with the NUL          */
#define ATELIER_NET_LABEL_MAX     64

/* The file's first bytes (PNG's trick: a high byte, CR LF, ^Z and LF
 * catch transfers that mangle binary files). */
#define ATELIER_NET_MAGIC         "\x89" "ATNET\r\n"
#define ATELIER_NET_MAGIC_SIZE    8
#define ATELIER_NET_VERSION       1

typedef enum
{
  ATELIER_NET_PAD_REFLECT = 1,
  ATELIER_NET_CONV        = 2,
  ATELIER_NET_INORM       = 3,
  ATELIER_NET_RELU        = 4,
  ATELIER_NET_UPSAMPLE    = 5,   /* nearest, x2 */
  ATELIER_NET_SKIP_SAVE   = 6,
  ATELIER_NET_SKIP_ADD    = 7
} AtelierNetOp;

typedef struct
{
  AtelierNetOp op;
  int          in_c;      /* channels in; out_c out (equal but for CONV) */
  int          out_c;
  int          kernel;    /* CONV: kernel side                          */
  int          stride;    /* CONV: 1 or 2                               */
  int          pad;       /* PAD_REFLECT: pixels on each side           */
  const float *weight;    /* CONV: out_c x in_c x kernel x kernel       */
  const float *bias;      /* CONV: out_c                                */
  const float *gamma;     /* INORM: n_styles x in_c                     */
  const float *beta;      /* INORM: n_styles x in_c                     */
} AtelierNetLayer;

typedef struct
{
  char  name[ATELIER_NET_NAME_MAX];       /* "starry-night": [a-z0-9-]  */
  char  label[ATELIER_NET_LABEL_MAX];     /* "The Starry Night", UTF-8   */
  char  label_zh[ATELIER_NET_LABEL_MAX];  /* Chinese label, UTF-8        */
  float strength;                         /* default, 0..1               */
  float scale;                            /* default style scale         */
} AtelierNetStyle;

/* AtelierNet is declared in atelier.h, opaque to the front ends. */
struct AtelierNet
{
  int              n_layers;
  AtelierNetLayer *layers;
  int              n_styles;
  AtelierNetStyle *styles;
  /* The network's input is pixel (0..1) x in_scale; its output times
   * out_scale is the pixel (pytorch/examples: 255 and 1/255). */
  float            in_scale;
  float            out_scale;
  float           *storage;     /* every tensor, fp32, owned            */
  size_t           n_storage;   /* floats in storage                    */
};

/* ---- net_file.c: the .atnet format ----
 *
 * Little-endian throughout; offsets from the start of the file.
 *
 *   0   magic[8]          ATELIER_NET_MAGIC
 *   8   u32 version       ATELIER_NET_VERSION
 *   12  u32 n_layers, u32 n_styles, u32 n_tensors
 *   24  f32 in_scale, f32 out_scale
 *   32  n_layers x 32 bytes: u32 op, in_c, out_c, kernel, stride, pad,
 *       i32 tensor_a, i32 tensor_b  (CONV: weight, bias; INORM: gamma,
 *       beta; others -1)
 *   ..  n_styles x 168 bytes: name[32], label[64], label_zh[64] (UTF-8,
 *       NUL-padded), f32 strength, f32 scale
 *   ..  n_tensors x 16 bytes: u32 dtype (0 fp32, 1 fp16), u32 count,
 *       u64 offset (from the start of the file, into the data, 4-byte
 *       aligned)
 *   ..  data: the tensors in table order, each at or after the end of
 *       the one before, the last ending the data (padded to 4 bytes)
 *   end u32 CRC-32 (zlib's) of every byte before it
 *
 * The loader checks everything before it allocates by it: the magic, the
 * version (before the CRC: a later version may sum otherwise), the CRC,
 * each count against the limits above and the tables against the file's
 * size; each layer's fields in range (CONV kernel 1..MAX_KERNEL, stride 1
 * or 2; PAD_REFLECT pad 1..MAX_PAD; fields an op does not use 0, its
 * tensor slots -1); each tensor used by exactly one slot (n_tensors is the
 * slots' count), inside the data and of exactly the size its layer needs
 * (INORM: n_styles x c each); the channels flowing from 3 through every
 * layer back to 3 (only CONV changes them); SKIP_SAVE/ADD balanced (at
 * most MAX_SKIP deep) with equal channels and, for every input size,
 * equal spatial size: from save to add, pads, stride-1 convs and
 * upsamples must cancel out (a stride-2 conv inside a skip rounds, so it
 * is refused); every value, fp32 or fp16, finite; in_scale, out_scale
 * finite and > 0; n_styles >= 1; each style's name non-empty, of
 * [a-z0-9-] and unique, its labels UTF-8, all three NUL-terminated and
 * NUL-padded, strength 0..1, scale 0.25..4.  Any failure is
 * ATELIER_ERR_FORMAT with one line on ctx ("bad checksum", "layer 4: conv
 * weight holds 1000 values, 3x32x9x9 needs 7776").  docs/atnet.md says
 * more. */

/* TRUE when the bytes start with ATELIER_NET_MAGIC. */
bool          atelier_net_sniff  (const void *bytes, size_t size);

/* A net of the size bytes (at most ATELIER_NET_MAX_FILE), tensors
 * converted to fp32 in one block (net->storage), layer pointers into it;
 * free it with atelier_net_free.  *net is NULL on failure. */
AtelierStatus atelier_net_parse  (AtelierContext  *ctx,
                                  const void      *bytes,
                                  size_t           size,
                                  AtelierNet     **net);

/* Reads the file open on fd (from offset 0 with pread, the descriptor's
 * offset untouched; a regular file of at most ATELIER_NET_MAX_FILE
 * bytes, else ATELIER_ERR_IO / ATELIER_ERR_FORMAT) and parses it. */
AtelierStatus atelier_net_read   (AtelierContext  *ctx,
                                  int              fd,
                                  AtelierNet     **net);

/* Serialises net; fp16 stores CONV weights as IEEE half, rounded to
 * nearest even (biases and norms stay fp32).  A net the loader would
 * refuse (the checks above; a weight past fp16's 65504) is
 * ATELIER_ERR_INVALID_PARAM and writes nothing.  *bytes is the caller's
 * to free(). */
AtelierStatus atelier_net_serialize (AtelierContext   *ctx,
                                     const AtelierNet *net,
                                     bool              fp16,
                                     void            **bytes,
                                     size_t           *size);

/* The pytorch/examples transformer net as ncnn stores it (see
 * ../shared/data/weights/fast-style-ncnn-fp16/README.md and its
 * styletransfer.param; 69 layers, docs/atnet.md lists them): one style
 * named name (a valid style name, else ATELIER_ERR_INVALID_PARAM; label
 * and label_zh the same, strength 1, scale 1), in_scale 255, out_scale
 * 1/255.  ATELIER_ERR_FORMAT unless size is exactly the net's (3,368,140
 * bytes), every conv's tag says fp16 and every value is finite. */
AtelierStatus atelier_net_import_ncnn (AtelierContext  *ctx,
                                       const void      *bytes,
                                       size_t           size,
                                       const char      *name,
                                       AtelierNet     **net);

/* atelier_net_free is public: atelier.h. */

/* A net as the parser makes one, for writers and tests: n_layers zeroed
 * layers, n_styles zeroed styles, n_storage floats of storage (not set);
 * NULL without memory.  Free it with atelier_net_free. */
AtelierNet *atelier_net_new            (int                    n_layers,
                                        int                    n_styles,
                                        size_t                 n_storage);

/* The floats of storage layer's tensors take in a net of n_styles: a
 * CONV's weight and bias, an INORM's gamma and beta, else none. */
size_t      atelier_net_layer_floats   (const AtelierNetLayer *layer,
                                        int                    n_styles);

/* Points the layers' tensors into net->storage one after another, in
 * layer order (weight, bias; gamma, beta): the layout of a parsed net. */
void        atelier_net_point_tensors  (AtelierNet            *net);

/* ---- net_layers.c: the layers, on planar float tensors ---- */

typedef struct
{
  int    c, h, w;
  float *data;          /* c x h x w, rows packed */
} AtelierTensor;

/* The output size of layer for an input of h x w. */
void atelier_net_layer_size (const AtelierNetLayer *layer,
                             int h, int w, int *out_h, int *out_w);

/* Runs one layer (not SKIP_*, not INORM) from in to out (out sized by
 * atelier_net_layer_size, channels out_c); in and out do not alias.
 * n_threads workers on the context's pool; the same bits for any count.
 * ATELIER_ERR_NO_MEMORY if a scratch buffer cannot be had. */
AtelierStatus atelier_net_layer_run (AtelierContext        *ctx,
                                     int                    n_threads,
                                     const AtelierNetLayer *layer,
                                     const AtelierTensor   *in,
                                     AtelierTensor         *out);

/* The convolution conv on in, upsampled x2 (nearest) when upsample,
 * then reflect-padded by pad pixels a side (0 up to ATELIER_NET_MAX_PAD,
 * less than each of the sides), without the upsampled (4x larger) or
 * padded copies: both are read implicitly, by index, the padding at the
 * borders only.  out is sized for the upsampled, padded input; the same
 * bits as an UPSAMPLE (when upsample), a PAD_REFLECT of pad and conv
 * through atelier_net_layer_run. */
AtelierStatus atelier_net_conv (AtelierContext        *ctx,
                                int                    n_threads,
                                const AtelierNetLayer *conv,
                                bool                   upsample,
                                int                    pad,
                                const AtelierTensor   *in,
                                AtelierTensor         *out);

/* Per-channel sum and sum of squares of t (double, reduced in a fixed
 * order), added into sum[c], sum2[c]. */
void atelier_net_channel_sums (const AtelierTensor *t,
                               double *sum, double *sum2);

/* Instance norm in place with given per-channel mean and variance:
 * x' = (x - mean) / sqrt(var + 1e-5) * gamma + beta, all per channel (the
 * caller mixes the styles' rows of gamma and beta). */
void atelier_net_inorm_apply (AtelierTensor *t,
                              const float *mean, const float *var,
                              const float *gamma, const float *beta);

/* The same across n_threads workers of the pool, a channel a task, each
 * channel computed as the serial function does it (the same bits for
 * any count): the sums (added into sum, sum2); the norm, then ReLU when
 * relu (in place); t += other (same shape); ReLU in place. */
void atelier_net_channel_sums_run (AtelierContext *ctx, int n_threads,
                                   const AtelierTensor *t,
                                   double *sum, double *sum2);
void atelier_net_inorm_run        (AtelierContext *ctx, int n_threads,
                                   AtelierTensor *t,
                                   const float *mean, const float *var,
                                   const float *gamma, const float *beta,
                                   bool relu);
void atelier_net_add_run          (AtelierContext *ctx, int n_threads,
                                   AtelierTensor *t,
                                   const AtelierTensor *other);
void atelier_net_relu_run         (AtelierContext *ctx, int n_threads,
                                   AtelierTensor *t);

/* ---- net_render.c: a network on an image of any size ----
 *
 * Staged like AtelierSynth: the network runs once on the content at its
 * working size (atelier_net_working_size), tiled with shared statistics
 * when large; the output is then rendered at full size tile by tile. */
typedef struct AtelierNetSynth AtelierNetSynth;

AtelierStatus atelier_net_synth_new    (AtelierContext        *ctx,
                                        const AtelierParams   *params,
                                        const AtelierNet      *net,
                                        int                    net_style,
                                        const AtelierImage    *work,
                                        int                    full_w,
                                        int                    full_h,
                                        AtelierNetSynth      **synth);

/* The full-size rectangle at (x, y) of content's size; mask may be NULL. */
AtelierStatus atelier_net_synth_render (AtelierContext        *ctx,
                                        const AtelierNetSynth *synth,
                                        int                    x,
                                        int                    y,
                                        const AtelierImage    *content,
                                        const AtelierPlane    *mask,
                                        AtelierImage          *out);

void          atelier_net_synth_free   (AtelierNetSynth       *synth);

/* Where the runtime tiles, for tests: untiled up to untiled_pixels, else
 * the statistics taken at most at stats_pixels and tiles of tile_side
 * pixels kept; raw leaves out the tone map (tone_map.c), so that the
 * output is the network's own, as PyTorch computes it.
 * atelier_net_synth_new and atelier_net_stylize use defaults
 * (net_render.c). */
typedef struct
{
  size_t untiled_pixels;
  size_t stats_pixels;
  int    tile_side;
  bool   raw;
} AtelierNetLimits;

AtelierStatus atelier_net_synth_new_limits (AtelierContext         *ctx,
                                            const AtelierParams    *params,
                                            const AtelierNet       *net,
                                            int                     net_style,
                                            const AtelierImage     *work,
                                            int                     full_w,
                                            int                     full_h,
                                            const AtelierNetLimits *limits,
                                            AtelierNetSynth       **synth);

AtelierStatus atelier_net_stylize_limits   (AtelierContext         *ctx,
                                            const AtelierParams    *params,
                                            const AtelierNet       *net,
                                            int                     net_style,
                                            const AtelierImage     *content,
                                            AtelierImage           *out,
                                            const AtelierNetLimits *limits);

#endif /* ATELIER_NET_H */
