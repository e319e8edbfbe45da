/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — example-based style transfer engine.
 *
 * Overview
 * --------
 * Atelier restyles a content image after any style image (a painting, a
 * fabric swatch, a pattern) by guided patch synthesis: a coarse-to-fine
 * pyramid, and at each level a few EM iterations of
 *   1. a nearest-neighbour field from output patches to style patches
 *      (PatchMatch propagation + random search over PCA-reduced patch
 *      descriptors; exact nearest neighbours by sgemm at the coarsest level),
 *   2. voting: a robust weighted average of the overlapping matches.
 * Patch distances combine the output's colours with guide channels derived
 * from the content (its luminance remapped to the style's statistics, and a
 * blurred copy), so the content's structure survives; `strength` trades the
 * guide against the style's freedom.  An occurrence penalty spreads the
 * matches over the whole style image.  A product on a clean backdrop (flat
 * areas reaching the frame's border) is a case of its own: the backdrop
 * stays clean in the style's colours, the strokes are sized to the product,
 * and the product keeps its tonal layout under them.  The output keeps
 * the content's overall luminance mean and spread; the style gives the
 * strokes, the colours and their balance of fine and coarse.
 *
 * Images larger than the working resolution of the chosen quality are
 * synthesised at that resolution; the finest level is then rendered at full
 * size tile by tile (atelier_synth_render), so memory stays bounded.
 *
 * Usage
 * -----
 *   AtelierParams params;
 *   atelier_params_init (&params);
 *   params.strength = 0.8f;
 *
 *   AtelierContext *ctx = atelier_context_new (0);   // 0 = all cores
 *   AtelierStatus   st  = atelier_stylize (ctx, &params, &content, &style, &out);
 *   if (st != ATELIER_OK)
 *     fprintf (stderr, "%s: %s\n", atelier_status_to_string (st),
 *              atelier_context_error (ctx));
 *   atelier_context_free (ctx);
 *
 * Images are caller-owned views of float RGBA (straight alpha, non-linear
 * sRGB, 0..1).  The engine keeps no pointer to them after a call returns.
 * Alpha is carried through from the content.  A grey image is simply an RGB
 * image whose channels are equal.
 *
 * GEGL users call atelier_gegl_stylize(), which reads and writes GeglBuffers
 * in tiles; that is the only place the engine touches GEGL or babl.
 *
 * Threads: the context owns a pool of n_threads workers.  Work is split in
 * fixed tiles and every random number is a hash of (seed, level, iteration,
 * pixel), so results are bit-identical for any thread count.
 *
 * Progress and cancel: params.progress is called on the caller's thread only,
 * with a fraction that never decreases; returning false cancels, and the call
 * returns ATELIER_CANCELLED with the output untouched.
 */
#ifndef ATELIER_H
#define ATELIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define ATELIER_VERSION "0.1.0"

/* Status codes.  New codes are only ever appended. */
typedef enum
{
  ATELIER_OK = 0,
  ATELIER_CANCELLED,          /* the progress callback returned false      */
  ATELIER_ERR_INVALID_PARAM,  /* a field of AtelierParams is out of range   */
  ATELIER_ERR_INVALID_IMAGE,  /* empty, too small, NULL data, bad stride    */
  ATELIER_ERR_NO_MEMORY,      /* an allocation failed or would be too big  */
  ATELIER_ERR_IO,             /* a file could not be read or written       */
  ATELIER_ERR_FORMAT          /* a file is not an image / is corrupt       */
} AtelierStatus;

const char *atelier_status_to_string (AtelierStatus status);

/* A context holds the thread pool and the last error message.  One context
 * may be used by one thread at a time; use one per thread otherwise. */
typedef struct AtelierContext AtelierContext;

/* A caller-owned view of a float RGBA image.  stride is in floats between
 * the starts of two rows, at least 4 * width. */
typedef struct
{
  int    width;
  int    height;
  int    stride;
  float *data;
} AtelierImage;

/* A caller-owned single-channel float plane (a mask: 0 = keep the content,
 * 1 = fully restyled, in between blends).  stride in floats. */
typedef struct
{
  int          width;
  int          height;
  int          stride;
  const float *data;
} AtelierPlane;

typedef enum
{
  ATELIER_QUALITY_PREVIEW = 0,  /* working long side 384, 1 EM iteration   */
  ATELIER_QUALITY_NORMAL,       /* working long side 768                   */
  ATELIER_QUALITY_BEST          /* working long side 2048, more iterations */
} AtelierQuality;

/* Whether a flat backdrop around a product is told apart from the subject. */
typedef enum
{
  ATELIER_BACKDROP_AUTO = 0,    /* a flat field the subject stands on (it
                                   is under the subject and beside it)
                                   stays clean, and the strokes are sized
                                   to the subject                          */
  ATELIER_BACKDROP_OFF          /* the whole frame is subject              */
} AtelierBackdrop;

/* Called on the caller's thread with fraction in 0..1, never decreasing.
 * Return false to cancel. */
typedef bool (*AtelierProgressFunc) (float fraction, void *user_data);

/* Every field's default is set by atelier_params_init() and only there. */
typedef struct
{
  float               strength;        /* 0..1, default 0.7: 0 keeps the
                                          content, 1 gives the style the
                                          most freedom                       */
  float               style_scale;     /* 0.25..4, default 1: size of the
                                          style's strokes relative to the
                                          content's subject (the frame, or
                                          a product on a clean backdrop)     */
  AtelierQuality      quality;         /* default ATELIER_QUALITY_NORMAL     */
  bool                preserve_colors; /* default false: restyle luminance
                                          only, keep the content's chroma    */
  uint32_t            seed;            /* default 1                          */
  int                 n_threads;       /* 0..256, default 0 = all cores      */
  const AtelierPlane *mask;            /* default NULL; else content-sized,
                                          only masked pixels change          */
  AtelierProgressFunc progress;        /* default NULL                       */
  void               *progress_data;   /* default NULL                       */
  float               work_scale;      /* 0..16, default 0: the working size
                                          follows quality; else it is the
                                          image's size times this, so that a
                                          preview (a zoomed copy) shows the
                                          strokes of the final render.
                                          Style networks only for now       */
  AtelierBackdrop     backdrop;        /* default ATELIER_BACKDROP_AUTO;
                                          example-based engine only         */
} AtelierParams;

void          atelier_params_init     (AtelierParams       *params);

/* Checks every field (range, NaN); on failure returns
 * ATELIER_ERR_INVALID_PARAM and, when ctx is given, names the field in
 * atelier_context_error(). */
AtelierStatus atelier_params_validate (const AtelierParams *params,
                                       AtelierContext      *ctx);

/* Limits of what the engine accepts. */
#define ATELIER_MIN_SIZE        2       /* pixels, each side               */
#define ATELIER_MAX_SIZE        65536   /* pixels, each side               */

/* n_threads workers (0: one a core); NULL when out of memory or when a
 * worker thread cannot be started. */
AtelierContext *atelier_context_new   (int                   n_threads);
void            atelier_context_free  (AtelierContext       *ctx);
/* The detail of the last error, "" if none.  Valid until the next call. */
const char     *atelier_context_error (const AtelierContext *ctx);

/* The engine writes its messages in English; a front end that speaks the
 * user's language gives the context a translate function: each message's
 * printf format goes through it before it is filled in (a plug-in passes
 * gettext on its own catalogue, which holds the messages marked
 * ATELIER_N_ in the engine's sources).  The function must return a
 * format with the same conversions, or the format itself; NULL fn: none. */
typedef const char *(*AtelierTranslateFunc) (const char *format, void *data);
void            atelier_context_set_translate (AtelierContext       *ctx,
                                               AtelierTranslateFunc  fn,
                                               void                 *data);

/* Restyles content after style into out (same size as content; out may not
 * alias content).  Uses a working resolution and tiles internally, so the
 * memory used beyond the three images is bounded. */
AtelierStatus atelier_stylize (AtelierContext      *ctx,
                               const AtelierParams *params,
                               const AtelierImage  *content,
                               const AtelierImage  *style,
                               AtelierImage        *out);

/* Transfers the colour statistics (mean and covariance of RGB) of style onto
 * content, in place into out.  strength 0..1 blends with the original;
 * preserve_luminance keeps each pixel's luma. */
AtelierStatus atelier_color_transfer (AtelierContext     *ctx,
                                      const AtelierImage *content,
                                      const AtelierImage *style,
                                      float               strength,
                                      bool                preserve_luminance,
                                      AtelierImage       *out);

/* --- Staged use for images that do not fit in memory as float --------
 *
 * A synthesis is run once at working resolution; the result is then
 * rendered at full size tile by tile.  The caller provides each full-size
 * content tile (and its mask tile) and receives the output tile.
 *
 *   int ww, wh;
 *   atelier_working_size (&params, full_w, full_h, &ww, &wh);
 *   ... make `work`, the content downscaled to ww x wh ...
 *   AtelierSynth *s;
 *   st = atelier_synth_new (ctx, &params, &work, full_w, full_h, &style, &s);
 *   for each tile:  st = atelier_synth_render (ctx, s, x, y, &tile, mask, &out);
 *   atelier_synth_free (s);
 */
typedef struct AtelierSynth AtelierSynth;

void          atelier_working_size (const AtelierParams *params,
                                    int                  width,
                                    int                  height,
                                    int                 *work_width,
                                    int                 *work_height);

/* progress of params covers the synthesis; params.mask is ignored here. */
AtelierStatus atelier_synth_new    (AtelierContext      *ctx,
                                    const AtelierParams *params,
                                    const AtelierImage  *work_content,
                                    int                  full_width,
                                    int                  full_height,
                                    const AtelierImage  *style,
                                    AtelierSynth       **synth);

/* Renders the full-size rectangle at (x, y) of content_tile's size.
 * content_tile is the content over that rectangle; mask_tile (may be NULL)
 * likewise.  out_tile has the same size. */
AtelierStatus atelier_synth_render (AtelierContext      *ctx,
                                    const AtelierSynth  *synth,
                                    int                  x,
                                    int                  y,
                                    const AtelierImage  *content_tile,
                                    const AtelierPlane  *mask_tile,
                                    AtelierImage        *out_tile);

void          atelier_synth_free   (AtelierSynth        *synth);

/* --- Style networks (engine/net_*.c) ---------------------------------
 *
 * A trained feed-forward network (an .atnet file: docs/atnet.md) restyles
 * in one pass instead of the example-based synthesis, with the same
 * AtelierParams: strength blends from the content (0) to the network's
 * output (1); preserve_colors keeps the content's chroma; style_scale
 * sizes the strokes relative to the image (the network runs at the
 * working resolution divided by it); quality sets the working resolution
 * (long side 384 / 768 / 2048; an image no larger runs at its own size);
 * mask, alpha, progress, cancel and threads as for atelier_stylize.  At
 * strength 1, style scale 1 and an image no larger than the working
 * resolution the result is the network's output with its luminance
 * mapped to the content's mean and spread (the example-based engine does
 * the same: a painting's contrast is its exposure, not a stroke), clamped
 * to 0..1.  A network may hold several styles sharing its convolutions;
 * net_style picks one.
 *
 *   AtelierNet *net;
 *   if (atelier_net_load (ctx, "starry.atnet", &net) == ATELIER_OK)
 *     {
 *       st = atelier_net_stylize (ctx, &params, net, 0, &content, &out);
 *       atelier_net_free (net);
 *     }
 */
typedef struct AtelierNet AtelierNet;

/* true when the file at path starts with the .atnet magic (read without
 * blocking; false for anything unreadable). */
bool          atelier_is_net_file   (const char *path);

/* Loads and checks an .atnet file; ATELIER_ERR_FORMAT with one line on
 * ctx for anything malformed (never a crash or a huge allocation). */
AtelierStatus atelier_net_load      (AtelierContext  *ctx,
                                     const char      *path,
                                     AtelierNet     **net);
void          atelier_net_free      (AtelierNet      *net);
int           atelier_net_n_styles  (const AtelierNet *net);
/* "starry-night"; NULL if index is out of range. */
const char   *atelier_net_style_name (const AtelierNet *net, int index);
/* The style's default strength (0..1) and style scale, as trained. */
void          atelier_net_style_defaults (const AtelierNet *net, int index,
                                          float *strength, float *scale);

/* Writes net to path as an .atnet file, atomically (a temporary file
 * beside it, renamed when whole); fp16 halves the convolutions' weights. */
AtelierStatus atelier_net_save      (AtelierContext   *ctx,
                                     const AtelierNet *net,
                                     const char       *path,
                                     bool              fp16);

/* Reads pytorch/examples' transformer net as ncnn stores it (the layout
 * of ../shared/data/weights/fast-style-ncnn-fp16) as a one-style network
 * named name. */
AtelierStatus atelier_net_import_ncnn_file (AtelierContext  *ctx,
                                            const char      *path,
                                            const char      *name,
                                            AtelierNet     **net);

/* The size the network runs at for a full_w x full_h image. */
void          atelier_net_working_size (const AtelierParams *params,
                                        const AtelierNet    *net,
                                        int                  full_w,
                                        int                  full_h,
                                        int                 *work_w,
                                        int                 *work_h);

AtelierStatus atelier_net_stylize   (AtelierContext      *ctx,
                                     const AtelierParams *params,
                                     const AtelierNet    *net,
                                     int                  net_style,
                                     const AtelierImage  *content,
                                     AtelierImage        *out);

/* A side x side thumbnail of the network's style: the style at full
 * strength on a neutral test card drawn by the engine (sky, sun, hill, a
 * labelled box on a floor), the same for every front end.  out is the
 * caller's side x side image (8 <= side <= 1024). */
AtelierStatus atelier_net_thumbnail (AtelierContext   *ctx,
                                     const AtelierNet *net,
                                     int               net_style,
                                     int               side,
                                     AtelierImage     *out);

/* --- The style catalogue (engine/styles.c) ----------------------------
 *
 * The styles in a list of folders, by name: every style of each .atnet
 * network and every style image (PNG, JPEG, TIFF, WebP, named after its
 * file: "Batik_Blue.png" is batik-blue).  The first folder to have a name
 * wins.  A file that cannot be used is skipped, with one line in
 * atelier_styles_skipped; the rest load.
 *
 *   const char *dirs[] = { user_dir, shipped_dir };
 *   AtelierStyles *styles;
 *   atelier_styles_scan (ctx, dirs, 2, &styles);
 *   const AtelierStyleEntry *e = atelier_styles_find (styles, "starry-night");
 */
typedef enum
{
  ATELIER_STYLE_NETWORK,       /* a style of a network: path, net_style  */
  ATELIER_STYLE_IMAGE          /* a style image at path                  */
} AtelierStyleKind;

typedef struct
{
  char             name[32];       /* "starry-night"                   */
  AtelierStyleKind kind;
  char             label[64];      /* "The Starry Night", UTF-8         */
  char             label_zh[64];   /* Chinese label, UTF-8              */
  char            *path;           /* the file                          */
  int              net_style;      /* the style's index in the network  */
  float            strength;       /* its default, 0..1; -1: none       */
  float            scale;          /* its default style scale; -1: none */
} AtelierStyleEntry;

typedef struct AtelierStyles AtelierStyles;

AtelierStatus            atelier_styles_scan      (AtelierContext     *ctx,
                                                   const char *const  *dirs,
                                                   int                 n_dirs,
                                                   AtelierStyles     **styles);
int                      atelier_styles_count     (const AtelierStyles *styles);
const AtelierStyleEntry *atelier_styles_get       (const AtelierStyles *styles,
                                                   int                  index);
/* NULL if no style has that name. */
const AtelierStyleEntry *atelier_styles_find      (const AtelierStyles *styles,
                                                   const char          *name);
/* The entry's label in the language lang ("zh_CN.UTF-8"; NULL: the
 * user's, from LANGUAGE, LC_ALL, LC_MESSAGES, LANG): Chinese for zh* when
 * the style has a Chinese label, else English, else its name. */
const char              *atelier_style_label      (const AtelierStyleEntry *entry,
                                                   const char              *lang);
int                      atelier_styles_n_skipped (const AtelierStyles *styles);
/* "PATH: why" for the index-th file skipped. */
const char              *atelier_styles_skipped   (const AtelierStyles *styles,
                                                   int                  index);
void                     atelier_styles_free      (AtelierStyles       *styles);

/* --- Mixing styles (engine/style_mix.c) --------------------------------
 *
 * The styles of one multi-style network share its convolutions, so any
 * weighted mix of them is a style too.  A mix is written
 * "starry-night=0.7,great-wave=0.3" (weights >= 0, relative: normalised
 * to sum 1; up to 8 styles, all of one network).
 */

/* true when spec is written as a mix (NAME=WEIGHT,...), not one name. */
bool          atelier_style_is_mix    (const char          *spec);

/* A new one-style network (free with atelier_net_free) whose style mixes
 * net's styles[0..n-1] by weights; its label names the parts ("Udnie 70% +
 * The Scream 30%"), its default strength and scale are the weighted mean
 * of theirs.  ATELIER_ERR_INVALID_PARAM with a message for a bad index or
 * weight. */
AtelierStatus atelier_net_mix         (AtelierContext      *ctx,
                                       const AtelierNet    *net,
                                       int                  n,
                                       const int           *styles,
                                       const float         *weights,
                                       AtelierNet         **mixed);

/* Parses a mix spec against the catalogue, loads the network its styles
 * are in and mixes them (atelier_net_mix).  ATELIER_ERR_INVALID_PARAM with
 * a message naming the culprit for an unknown name, a style image, styles
 * of two networks, a missing or bad weight; the network's own load errors
 * otherwise.  *net_path (may be NULL) is the network's file, owned by
 * styles. */
AtelierStatus atelier_styles_load_mix (AtelierContext      *ctx,
                                       const AtelierStyles *styles,
                                       const char          *spec,
                                       AtelierNet         **mixed,
                                       const char         **net_path);

/* --- GEGL adapter (engine/gegl_adapter.c) -----------------------------
 * GeglBuffer is declared here only as an opaque struct so this header does
 * not pull in gegl.h.  Buffers may be of any format: the adapter converts.
 * The output buffer is written only when the call succeeds; on error or
 * cancel it is left untouched.  mask (may be NULL) is read as perceptual
 * grey ("Y' float"), like a layer mask. */
struct _GeglBuffer;

AtelierStatus atelier_gegl_stylize        (AtelierContext      *ctx,
                                           const AtelierParams *params,
                                           struct _GeglBuffer  *content,
                                           struct _GeglBuffer  *style,
                                           struct _GeglBuffer  *mask,
                                           struct _GeglBuffer  *out);

/* atelier_net_stylize on buffers: the content is read once in strips,
 * the output rendered in tiles, as atelier_gegl_stylize does. */
AtelierStatus atelier_gegl_net_stylize    (AtelierContext      *ctx,
                                           const AtelierParams *params,
                                           const AtelierNet    *net,
                                           int                  net_style,
                                           struct _GeglBuffer  *content,
                                           struct _GeglBuffer  *mask,
                                           struct _GeglBuffer  *out);

AtelierStatus atelier_gegl_color_transfer (AtelierContext      *ctx,
                                           struct _GeglBuffer  *content,
                                           struct _GeglBuffer  *style,
                                           float                strength,
                                           bool                 preserve_luminance,
                                           struct _GeglBuffer  *out);

/* A new buffer the size of content, in colour at content's depth and with
 * alpha if content has it: where a restyled image goes.  Caller unrefs. */
struct _GeglBuffer *atelier_gegl_new_output (struct _GeglBuffer *content);

/* Loads an image file into a new buffer (caller unrefs), at the file's
 * depth (8-bit, 16-bit or float) and with alpha if it has it.  The engine
 * decodes PNG, JPEG, TIFF and WebP itself (not through GEGL's loaders,
 * which exit, hang or return black rows on broken files): the format is
 * chosen from the first bytes, and a file is either decoded whole or
 * refused.  An image over max_pixels (0: 128 Mpx) is refused from its
 * header, before any pixel is decoded.  A FIFO, device or folder is
 * refused without being read.  Returns ATELIER_ERR_IO (cannot read),
 * ATELIER_ERR_FORMAT (not an image, corrupt, truncated),
 * ATELIER_ERR_INVALID_IMAGE (over the budget or a side over
 * ATELIER_MAX_SIZE), ATELIER_ERR_NO_MEMORY, with the detail in ctx. */
AtelierStatus atelier_gegl_load (AtelierContext      *ctx,
                                 const char          *path,
                                 uint64_t             max_pixels,
                                 struct _GeglBuffer **buffer);

/* Saves buffer to path (format from the extension: .png, .jpg/.jpeg,
 * .tif/.tiff; PNG and TIFF keep 16 bits and alpha), atomically: into a
 * temporary file in path's folder, every write, the fsync and the close
 * checked, then renamed over path.  On any failure (a full disk, cancel)
 * the temporary file is removed and path is left as it was.  progress
 * (may be NULL) is polled between strips; false cancels with
 * ATELIER_CANCELLED. */
AtelierStatus atelier_gegl_save (AtelierContext      *ctx,
                                 struct _GeglBuffer  *buffer,
                                 const char          *path,
                                 AtelierProgressFunc  progress,
                                 void                *progress_data);

/* --- Styles by name: what every front end's "style" reads ------------
 *
 * A style is given as a file (an image, or an .atnet network told by its
 * first bytes), as the name of a catalogued style ("starry-night") or as
 * a mix of one network's styles ("udnie=0.7,the-scream=0.3").  A spec
 * that is an existing file is always that file, so a file cannot be
 * shadowed by a style's name; a spec with a '/' is always a path.
 *
 *   AtelierStyles *styles = NULL;
 *   if (atelier_gegl_style_needs_catalogue (spec))
 *     atelier_gegl_styles_scan (ctx, getenv ("ATELIER_STYLE_PATH"),
 *                               MODELSDIR, NULL, &styles);
 *   st = atelier_gegl_load_style (ctx, styles, spec, 0, &image, &net,
 *                                 &net_style, NULL);
 *   atelier_styles_free (styles);
 */

/* true when spec is no existing file and has no '/': a style's name or
 * a mix, which only a catalogue resolves.  Scanning one reads every
 * network in its folders, so a caller scans only when this says so. */
bool          atelier_gegl_style_needs_catalogue (const char *spec);

/* Scans the catalogue the command line and the GEGL operations share,
 * the first folder to have a name winning: search_path (':'-separated
 * folders, ATELIER_STYLE_PATH; may be NULL), the user's styles and
 * installed models ($XDG_DATA_HOME/atelier/styles, then .../models),
 * then shipped_dir (the system's models folder; the caller's compiled-in
 * MODELSDIR, as the engine has no install paths of its own) and
 * local_dir (models/ of the source tree a build runs from); either may
 * be NULL.  Errors and ownership as atelier_styles_scan. */
AtelierStatus atelier_gegl_styles_scan (AtelierContext  *ctx,
                                        const char      *search_path,
                                        const char      *shipped_dir,
                                        const char      *local_dir,
                                        AtelierStyles  **styles);

/* Loads the style spec names (see above), looking names and mixes up in
 * styles (may be NULL: none has a name).  On success either *image is
 * the style image (caller unrefs; max_pixels as atelier_gegl_load) or
 * *net the network (caller frees with atelier_net_free) and *net_style
 * the style's index in it (0 unless a name picked another; a mix is a
 * one-style network; net_style is required with net); the other is
 * NULL.  image or net may be NULL to
 * only find a style of that kind: the call then succeeds without reading
 * it, leaving both outputs NULL, and *path says where it is; a mix,
 * which must be read to be found, is refused when net is NULL
 * (ATELIER_ERR_INVALID_PARAM).  *path (path may be NULL) is the file spec
 * resolved to, set before it is read so that a caller can name it in its
 * own message: spec itself, a catalogued style's file or a mix's network
 * (both owned by styles); NULL when spec names nothing and when a mix
 * fails.  Errors: ATELIER_ERR_IO "no such style file or style: SPEC" for
 * a name styles does not have; a mix's as atelier_styles_load_mix; the
 * file's as atelier_net_load or atelier_gegl_load (a missing path:
 * ATELIER_ERR_IO "cannot open"). */
AtelierStatus atelier_gegl_load_style (AtelierContext       *ctx,
                                       const AtelierStyles  *styles,
                                       const char           *spec,
                                       uint64_t              max_pixels,
                                       struct _GeglBuffer  **image,
                                       AtelierNet          **net,
                                       int                  *net_style,
                                       const char          **path);

#ifdef __cplusplus
}
#endif

#endif /* ATELIER_H */
