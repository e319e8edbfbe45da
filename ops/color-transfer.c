/* SPDX-License-Identifier: GPL-3.0-or-later */
/* atelier:color-transfer — Atelier's colour transfer as a GEGL operation.
 *
 * A composer: input is the image; aux, when connected, is the reference
 * whose colours it takes (the mean and covariance of its RGB).  Without
 * aux the style property names the reference: an image file, or the name
 * of an installed style image, as the command-line tool's
 * `atelier color-transfer --style` takes it (a style network has no
 * colours to give and is refused).  An empty style with no aux passes the
 * image through.
 *
 *   gegl photo.jpg -o out.png -- atelier:color-transfer style=palette.png
 *   gegl photo.jpg -o out.png -- atelier:color-transfer \
 *        preserve-luminance=true aux=[ load path=palette.png ]
 *
 * The statistics are the whole image's (ops/atelier-op.h): it is
 * computed at once.  On an error the output is the input and a warning
 * says why.
 */
#ifdef GEGL_PROPERTIES

property_string (style, "Reference", "")
  description ("The image whose colours to take when aux is not "
               "connected: an image file or the name of an installed style "
               "image; empty: none, the image passes through")

property_double (strength, "Strength", 1.0)
  description ("How far to go: 0 keeps the image's colours, 1 takes the "
               "reference's")
  value_range (0.0, 1.0)
  ui_range    (0.0, 1.0)
  ui_steps    (0.01, 0.1)
  ui_digits   (2)

property_boolean (preserve_luminance, "Preserve luminance", FALSE)
  description ("Keep each pixel's lightness: only hue and saturation "
               "change")

#else

#define GEGL_OP_COMPOSER
#define GEGL_OP_NAME     atelier_color_transfer
#define GEGL_OP_C_SOURCE color-transfer.c

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
  int             net_style;

  if (! gegl_operation_source_get_bounding_box (operation, "aux") &&
      (! o->style || ! *o->style))
    {
      /* nothing to take the colours from (yet): the image as it is */
      gegl_buffer_copy (input, result, GEGL_ABYSS_NONE, output, result);
      return TRUE;
    }

  atelier_op_begin (&run, operation, "atelier:color-transfer", input, output,
                    result);
  style = atelier_op_aux (&run, aux);
  if (! run.ctx)
    atelier_op_fail (&run, "%s",
                     atelier_status_to_string (ATELIER_ERR_NO_MEMORY));
  else if (run.message)
    ;                                   /* an empty aux */
  else if (style ||
           atelier_op_load_style (&run, o->style, FALSE, &net, &net_style,
                                  &style))
    atelier_op_check (&run,
      atelier_gegl_color_transfer (run.ctx, run.content, style,
                                   (float) o->strength,
                                   o->preserve_luminance, run.target));

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
    "name",            "atelier:color-transfer",
    "title",           "Color Transfer",
    "categories",      "color",
    "description",     "Gives the image the colours of a reference image "
                       "(aux, or the style property: an image file or an "
                       "installed style image's name): the mean and "
                       "covariance of its RGB, optionally keeping each "
                       "pixel's lightness.  Atelier's engine; the whole "
                       "image is computed at once.",
    "gimp:menu-path",  "<Image>/Colors/Map",
    "gimp:menu-label", "Color Transfer (GEGL)...",
    NULL);
}

#endif
