/* SPDX-License-Identifier: GPL-3.0-or-later */
/* atelier:style-transfer — Atelier's style transfer as a GEGL operation.
 *
 * A composer: input is the content; aux, when connected, is the style
 * image (example-based synthesis).  Without aux the style property names
 * the style, as the command-line tool's --style does: an image file, an
 * .atnet style network, the name of a shipped or installed style
 * ("starry-night") or a mix of a network's styles
 * ("udnie=0.7,the-scream=0.3"); empty is the first installed style.
 *
 *   gegl photo.jpg -o out.png -- atelier:style-transfer style=starry-night
 *   gegl photo.jpg -o out.png -- atelier:style-transfer strength=0.8 \
 *        aux=[ load path=painting.jpg ]
 *
 * The result is global (ops/atelier-op.h): the whole input is computed at
 * once.  On an error the output is the input and a warning says why.
 */
#ifdef GEGL_PROPERTIES

enum_start (atelier_gegl_quality)
  enum_value (ATELIER_GEGL_QUALITY_PREVIEW, "preview", "Preview")
  enum_value (ATELIER_GEGL_QUALITY_NORMAL,  "normal",  "Normal")
  enum_value (ATELIER_GEGL_QUALITY_BEST,    "best",    "Best")
enum_end (AtelierGeglQuality)

enum_start (atelier_gegl_backdrop)
  enum_value (ATELIER_GEGL_BACKDROP_AUTO, "auto", "Auto")
  enum_value (ATELIER_GEGL_BACKDROP_OFF,  "off",  "Off")
enum_end (AtelierGeglBackdrop)

property_string (style, "Style", "")
  description ("The style when aux is not connected: an image file, an "
               ".atnet style network, the name of an installed style "
               "(starry-night) or a mix of one network's styles "
               "(udnie=0.7,the-scream=0.3); empty: the first installed "
               "style")

property_double (strength, "Strength", atelier_op_defaults ()->strength)
  description ("How much freedom the style gets: 0 keeps the image, 1 "
               "paints over most of it")
  value_range (0.0, 1.0)
  ui_range    (0.0, 1.0)
  ui_steps    (0.01, 0.1)
  ui_digits   (2)

property_double (style_scale, "Style scale",
                 atelier_op_defaults ()->style_scale)
  description ("Size of the style's strokes relative to the image (to the "
               "product, on a clean backdrop): 2 paints with strokes twice "
               "as large")
  value_range (0.25, 4.0)
  ui_range    (0.25, 4.0)
  ui_gamma    (2.0)
  ui_steps    (0.05, 0.25)
  ui_digits   (2)

property_enum (quality, "Quality", AtelierGeglQuality, atelier_gegl_quality,
               (AtelierGeglQuality) atelier_op_defaults ()->quality)
  description ("Working resolution (long side 384, 768, 2048) and "
               "iterations")

property_boolean (preserve_colors, "Preserve colors",
                  atelier_op_defaults ()->preserve_colors)
  description ("Restyle light and shade only: the image keeps its colours")

property_int (seed, "Random seed", (gint) atelier_op_defaults ()->seed)
  description ("The same seed gives the same pixels")
  value_range (0, G_MAXINT)
  ui_range    (0, 1000)

property_enum (backdrop, "Backdrop", AtelierGeglBackdrop,
               atelier_gegl_backdrop,
               (AtelierGeglBackdrop) atelier_op_defaults ()->backdrop)
  description ("A flat backdrop the subject stands on (a product shot's "
               "white): auto keeps it clean and sizes the strokes to the "
               "subject, off restyles the whole frame alike; style images "
               "only")

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     atelier_style_transfer
#define GEGL_OP_C_SOURCE style-transfer.c

#include "atelier-op.h"
#include "gegl-op.h"

static gboolean
process (GeglOperation       *operation,
         GeglBuffer          *input,
         GeglBuffer          *aux,
         GeglBuffer          *output,
         const GeglRectangle *result,
         gint                 level)
{
  GeglProperties *o   = GEGL_PROPERTIES (operation);
  GeglBuffer     *style;
  AtelierNet     *net = NULL;
  AtelierOpRun    run;
  AtelierParams   params;
  int             net_style = 0;

  atelier_op_begin (&run, operation, "atelier:style-transfer", input, output,
                    result);
  style = atelier_op_aux (&run, aux);
  atelier_params_init (&params);
  params.strength        = (float) o->strength;
  params.style_scale     = (float) o->style_scale;
  params.quality         = (AtelierQuality) o->quality;
  params.preserve_colors = o->preserve_colors;
  params.seed            = (uint32_t) o->seed;
  params.backdrop        = (AtelierBackdrop) o->backdrop;
  params.n_threads       = atelier_op_threads ();
  params.progress        = atelier_op_progress;
  params.progress_data   = &run;

  if (! run.ctx)
    atelier_op_fail (&run, "%s",
                     atelier_status_to_string (ATELIER_ERR_NO_MEMORY));
  else if (run.message)
    ;                                   /* an empty aux */
  else if (style ||
           atelier_op_load_style (&run, o->style, TRUE, &net, &net_style,
                                  &style))
    atelier_op_check (&run, net ?
      atelier_gegl_net_stylize (run.ctx, &params, net, net_style,
                                run.content, NULL, run.target) :
      atelier_gegl_stylize (run.ctx, &params, run.content, style, NULL,
                            run.target));

  atelier_net_free (net);
  g_clear_object (&style);
  atelier_op_end (&run);
  return TRUE;
}

static gboolean
operation_process (GeglOperation        *operation,
                   GeglOperationContext *context,
                   const gchar          *output_prop,
                   const GeglRectangle  *result,
                   gint                  level)
{
  return atelier_op_operation_process (operation, context, output_prop,
                                       result, level,
                                       GEGL_OPERATION_CLASS (gegl_op_parent_class));
}

static void
gegl_op_class_init (GeglOpClass *klass)
{
  GeglOperationClass         *operation_class = GEGL_OPERATION_CLASS (klass);
  GeglOperationComposerClass *composer_class  =
    GEGL_OPERATION_COMPOSER_CLASS (klass);

  atelier_op_class_setup (operation_class);
  operation_class->process = operation_process;
  composer_class->process  = process;

  gegl_operation_class_set_keys (operation_class,
    "name",            "atelier:style-transfer",
    "title",           "Style Transfer",
    "categories",      "artistic",
    "description",     "Restyles the image after a painting, a pattern or "
                       "a photo (aux, or the style property: an image file, "
                       "an .atnet style network or an installed style's "
                       "name), keeping its content legible.  Atelier's "
                       "engine; the whole image is computed at once.",
    "gimp:menu-path",  "<Image>/Filters/Artistic",
    "gimp:menu-label", "Style Transfer (GEGL)...",
    NULL);
}

#endif
