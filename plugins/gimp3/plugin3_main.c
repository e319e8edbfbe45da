/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 3 plug-in: the GimpPlugIn and its procedures.
 *
 * The same procedures as the GIMP 2.10 front end, with the same
 * names, arguments and defaults, registered the GIMP 3 way: a GimpPlugIn
 * subclass, GimpProcedure arguments (GIMP keeps their last values across
 * restarts in its GimpProcedureConfig) and the drawables an image
 * procedure gets.  Each run function only converts the config to the
 * shared values (AtelierStyleVals, AtelierColorVals, AtelierBatchArgs)
 * and calls the shared run logic; the dialogs are plugin3_dialog.c.
 *
 * GIMP 3 differences a script sees: quality, output and backdrop are
 * choices ("preview", "normal", "best"; "new-layer", "replace"; "auto",
 * "off"), the boolean arguments are booleans, and the drawables are an
 * array (one layer).
 */
#include <string.h>

#include <gegl.h>
#include <libgimp/gimp.h>

#include "plugin_batch.h"
#include "plugin_color_transfer.h"
#include "plugin_style_transfer.h"
#include "plugin3.h"

#define ATELIER_TYPE_PLUG_IN (atelier_plug_in_get_type ())
G_DECLARE_FINAL_TYPE (AtelierPlugIn, atelier_plug_in, ATELIER, PLUG_IN,
                      GimpPlugIn)

struct _AtelierPlugIn
{
  GimpPlugIn parent_instance;
};

G_DEFINE_TYPE (AtelierPlugIn, atelier_plug_in, GIMP_TYPE_PLUG_IN)

GIMP_MAIN (ATELIER_TYPE_PLUG_IN)

/* ---- from GIMP's arguments to the shared values ---- */

static GimpValueArray *
error_return (GimpProcedure *procedure,
              GError        *error)
{
  return gimp_procedure_new_return_values (procedure,
                                           atelier_plugin_error_status (error),
                                           error);
}

/* GIMP 3 hands an image procedure every selected drawable; Atelier
 * restyles one layer (the menu entries are only sensitive with one),
 * which the shared check then vets as GIMP 2.10's front end does. */
static gboolean
one_layer (GimpImage     *image,
           GimpDrawable **drawables,
           const gchar   *filter,
           gint32        *drawable_ID,
           GError       **error)
{
  if (! drawables || ! drawables[0] || drawables[1])
    {
      g_set_error (error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                   _("%s works on one layer at a time; select one layer"),
                   filter);
      return FALSE;
    }
  *drawable_ID = atl_item_id (drawables[0]);
  return atelier_plugin_check_target (gimp_image_get_id (image),
                                      *drawable_ID, filter, FALSE, error);
}

/* The style values in config.  The style itself is the "style" argument
 * of the procedure that runs (a drawable or a string); the dialog keeps
 * its own choice in the aux arguments (plugin3_dialog.c). */
void
atelier_plugin3_style_vals (GimpProcedureConfig *config,
                            AtelierStyleVals    *vals)
{
  atelier_style_vals_init (vals);
  g_object_get (config,
                "strength",        &vals->strength,
                "style-scale",     &vals->style_scale,
                "preserve-colors", &vals->preserve_colors,
                NULL);
  vals->quality  = gimp_procedure_config_get_choice_id (config, "quality");
  vals->output   = gimp_procedure_config_get_choice_id (config, "output");
  vals->backdrop = gimp_procedure_config_get_choice_id (config, "backdrop");
  vals->seed     = atelier_plugin3_get_seed (config);
}

guint32
atelier_plugin3_get_seed (GimpProcedureConfig *config)
{
  gint seed = 0;

  g_object_get (config, "seed", &seed, NULL);
  return (guint32) seed;   /* modulo 2^32, as in GIMP 2.10 */
}

/* Reads the style argument: a drawable or a file / name / mix. */
static gboolean
style_source (GimpProcedure       *procedure,
              GimpProcedureConfig *config,
              AtelierStyleVals    *vals,
              GError             **error)
{
  if (! strcmp (gimp_procedure_get_name (procedure), ATELIER_STYLE_PROC))
    {
      GimpDrawable *style = NULL;

      g_object_get (config, "style", &style, NULL);
      vals->source = ATELIER_STYLE_FROM_LAYER;
      vals->layer  = atl_item_id (style);
      g_clear_object (&style);
    }
  else
    {
      gchar *file = NULL;

      g_object_get (config, "style", &file, NULL);
      vals->source = ATELIER_STYLE_FROM_FILE;
      if (file && strlen (file) >= sizeof vals->file)
        {
          g_free (file);
          g_set_error (error, ATELIER_PLUGIN_ERROR,
                       ATELIER_PLUGIN_ERROR_CALLING,
                       _("The style file name is too long"));
          return FALSE;
        }
      g_strlcpy (vals->file, file ? file : "", sizeof vals->file);
      g_free (file);
    }
  return TRUE;
}

static GimpValueArray *
style_run (GimpProcedure        *procedure,
           GimpRunMode           run_mode,
           GimpImage            *image,
           GimpDrawable        **drawables,
           GimpProcedureConfig  *config,
           gpointer              run_data)
{
  AtelierStyleVals  vals;
  GimpValueArray   *values;
  GError           *error = NULL;
  gint32            drawable_ID, result_ID;
  const gchar      *filter = _("Style Transfer");
  gboolean          dialog = ! strcmp (gimp_procedure_get_name (procedure),
                                       ATELIER_STYLE_PROC);

  gegl_init (NULL, NULL);
  if (! one_layer (image, drawables, filter, &drawable_ID, &error))
    return error_return (procedure, error);

  /* only the menu's procedure has a dialog; the file procedure runs
   * with its arguments in every mode */
  if (run_mode == GIMP_RUN_INTERACTIVE && dialog &&
      ! atelier_plugin3_style_dialog (procedure, config, image, drawables[0]))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL,
                                             NULL);
  atelier_plugin3_style_vals (config, &vals);
  if (dialog && run_mode != GIMP_RUN_NONINTERACTIVE)
    {
      gboolean random_seed = FALSE;

      atelier_plugin3_dialog_style (config, &vals);
      g_object_get (config, "random-seed", &random_seed, NULL);
      /* "Repeat" with a random seed draws a new one, as the dialog would */
      if (random_seed && run_mode == GIMP_RUN_WITH_LAST_VALS)
        vals.seed = g_random_int ();
    }
  else if (! style_source (procedure, config, &vals, &error))
    return error_return (procedure, error);

  if (! atelier_style_vals_check (&vals, &error) ||
      ! atelier_plugin_check_target (gimp_image_get_id (image), drawable_ID,
                                     filter, vals.output ==
                                     ATELIER_PLUGIN_OUTPUT_NEW_LAYER,
                                     &error) ||
      ! atelier_style_transfer_layer (gimp_image_get_id (image), drawable_ID,
                                      &vals, &result_ID, &error))
    return error_return (procedure, error);

  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  values = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS,
                                             NULL);
  GIMP_VALUES_SET_LAYER (values, 1, atl_layer (result_ID));
  return values;
}

static GimpValueArray *
color_run (GimpProcedure        *procedure,
           GimpRunMode           run_mode,
           GimpImage            *image,
           GimpDrawable        **drawables,
           GimpProcedureConfig  *config,
           gpointer              run_data)
{
  AtelierColorVals vals;
  GimpValueArray  *values;
  GError          *error = NULL;
  gint32           drawable_ID, result_ID;
  const gchar     *filter = _("Color Transfer");
  gboolean         file   = ! strcmp (gimp_procedure_get_name (procedure),
                                      ATELIER_COLOR_PROC_FILE);

  gegl_init (NULL, NULL);
  if (! one_layer (image, drawables, filter, &drawable_ID, &error))
    return error_return (procedure, error);
  /* only the menu's procedure has a dialog */
  if (run_mode == GIMP_RUN_INTERACTIVE && ! file &&
      ! atelier_plugin3_color_dialog (procedure, config, image, drawables[0]))
    return gimp_procedure_new_return_values (procedure, GIMP_PDB_CANCEL,
                                             NULL);

  atelier_color_vals_init (&vals);
  g_object_get (config,
                "strength",           &vals.strength,
                "preserve-luminance", &vals.preserve_luminance,
                NULL);
  if (file || run_mode != GIMP_RUN_NONINTERACTIVE)
    vals.output = gimp_procedure_config_get_choice_id (config, "output");
  if (file)
    {
      gchar *name = NULL;

      g_object_get (config, "style", &name, NULL);
      vals.source = ATELIER_STYLE_FROM_FILE;
      g_strlcpy (vals.file, name ? name : "", sizeof vals.file);
      g_free (name);
    }
  else if (run_mode != GIMP_RUN_NONINTERACTIVE)
    atelier_plugin3_dialog_colors (config, &vals);
  else
    {
      GimpDrawable *style = NULL;

      g_object_get (config, "style", &style, NULL);
      vals.layer = atl_item_id (style);
      g_clear_object (&style);
    }
  if (! atelier_color_vals_check (&vals, &error) ||
      ! atelier_plugin_check_target (gimp_image_get_id (image), drawable_ID,
                                     filter, vals.output ==
                                     ATELIER_PLUGIN_OUTPUT_NEW_LAYER,
                                     &error) ||
      ! atelier_color_transfer_layer (gimp_image_get_id (image), drawable_ID,
                                      &vals, &result_ID, &error))
    return error_return (procedure, error);
  if (run_mode != GIMP_RUN_NONINTERACTIVE)
    gimp_displays_flush ();
  values = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS,
                                             NULL);
  if (file)
    GIMP_VALUES_SET_LAYER (values, 1, atl_layer (result_ID));
  return values;
}

static GimpValueArray *
batch_run (GimpProcedure       *procedure,
           GimpProcedureConfig *config,
           gpointer             run_data)
{
  AtelierBatchArgs args;
  GimpValueArray  *values;
  GError          *error = NULL;
  gchar           *style = NULL, *output_dir = NULL, *inputs = NULL;
  gchar           *report = NULL;
  gint             n_failed = 0;
  gboolean         ok;

  gegl_init (NULL, NULL);
  /* every run mode runs without a dialog */
  memset (&args, 0, sizeof args);
  atelier_plugin3_style_vals (config, &args.vals);
  args.vals.source = ATELIER_STYLE_FROM_FILE;
  args.vals.output = ATELIER_PLUGIN_OUTPUT_NEW_LAYER;
  g_object_get (config,
                "style",          &style,
                "output-dir",     &output_dir,
                "inputs-file",    &inputs,
                "report-file",    &report,
                "resume",         &args.resume,
                "max-megapixels", &args.max_megapixels,
                NULL);
  args.style       = style ? style : "";
  args.output_dir  = output_dir ? output_dir : "";
  args.inputs_file = inputs ? inputs : "";
  args.report      = report ? report : "";
  ok = atelier_batch (&args, &n_failed, &error);
  g_free (style);
  g_free (output_dir);
  g_free (inputs);
  g_free (report);
  if (! ok)
    return error_return (procedure, error);
  values = gimp_procedure_new_return_values (procedure, GIMP_PDB_SUCCESS,
                                             NULL);
  GIMP_VALUES_SET_INT (values, 1, n_failed);
  return values;
}

/* ---- the procedures ---- */

static GList *
query_procedures (GimpPlugIn *plug_in)
{
  GList *list = NULL;

  list = g_list_append (list, g_strdup (ATELIER_STYLE_PROC));
  list = g_list_append (list, g_strdup (ATELIER_STYLE_PROC_FILE));
  list = g_list_append (list, g_strdup (ATELIER_COLOR_PROC));
  list = g_list_append (list, g_strdup (ATELIER_COLOR_PROC_FILE));
  list = g_list_append (list, g_strdup (ATELIER_BATCH_PROC));
  return list;
}

static void
set_attribution (GimpProcedure *procedure,
                 const gchar   *blurb,
                 const gchar   *help)
{
  gimp_procedure_set_documentation (procedure, blurb, help,
                                    gimp_procedure_get_name (procedure));
  gimp_procedure_set_attribution (procedure, PLUG_IN_AUTHOR,
                                  PLUG_IN_COPYRIGHT, PLUG_IN_DATE);
}

/* strength .. seed: the arguments Style Transfer and the batch share */
static void
add_style_arguments (GimpProcedure *procedure,
                     GPtrArray     *texts)
{
  AtelierParams d = atelier_plugin_defaults ();

  gimp_procedure_add_double_argument (procedure, "strength", _("S_trength"),
    atelier_plugin_keep (texts, g_strdup_printf (ATELIER_STYLE_DOC_STRENGTH,
                                                 100.0 * d.strength)),
    0.0, 100.0, 100.0 * d.strength, G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "style-scale",
    _("Stroke si_ze"),
    atelier_plugin_keep (texts, g_strdup_printf (ATELIER_STYLE_DOC_SCALE,
                                                 d.style_scale)),
    0.25, 4.0, d.style_scale, G_PARAM_READWRITE);
  gimp_procedure_add_choice_argument (procedure, "quality", _("_Quality"),
    ATELIER_STYLE_DOC_QUALITY,
    gimp_choice_new_with_values (
      "preview", ATELIER_QUALITY_PREVIEW, _("Preview"), NULL,
      "normal",  ATELIER_QUALITY_NORMAL,  _("Normal"),  NULL,
      "best",    ATELIER_QUALITY_BEST,    _("Best"),    NULL,
      NULL),
    d.quality == ATELIER_QUALITY_PREVIEW ? "preview" :
    d.quality == ATELIER_QUALITY_BEST ? "best" : "normal",
    G_PARAM_READWRITE);
  gimp_procedure_add_boolean_argument (procedure, "preserve-colors",
    _("Pr_eserve colors"), ATELIER_STYLE_DOC_PRESERVE, d.preserve_colors,
    G_PARAM_READWRITE);
  gimp_procedure_add_int_argument (procedure, "seed", _("Random see_d"),
    atelier_plugin_keep (texts, g_strdup_printf (ATELIER_STYLE_DOC_SEED,
                                                 d.seed)),
    G_MININT, G_MAXINT, (gint) d.seed, G_PARAM_READWRITE);
}

/* backdrop: the last argument of Style Transfer and the batch (it came
 * later; a call without it gets auto) */
static void
add_backdrop_argument (GimpProcedure *procedure,
                       GPtrArray     *texts)
{
  AtelierParams d    = atelier_plugin_defaults ();
  const gchar  *nick = d.backdrop == ATELIER_BACKDROP_OFF ? "off" : "auto";

  gimp_procedure_add_choice_argument (procedure, "backdrop",
    _("Keep a clean _backdrop"),
    atelier_plugin_keep (texts, g_strdup_printf (ATELIER_STYLE_DOC_BACKDROP
                                                 " (default \"%s\")",
                                                 nick)),
    gimp_choice_new_with_values (
      "auto", ATELIER_BACKDROP_AUTO, _("Auto"), NULL,
      "off",  ATELIER_BACKDROP_OFF,  _("Off"),  NULL,
      NULL),
    nick, G_PARAM_READWRITE);
}

/* output: a new layer or the drawable itself; aux for the dialog only */
static void
add_output_argument (GimpProcedure *procedure,
                     const gchar   *blurb,
                     const gchar   *default_nick,
                     gboolean       aux)
{
  GimpChoice *choice = gimp_choice_new_with_values (
    "new-layer", ATELIER_PLUGIN_OUTPUT_NEW_LAYER, _("New layer"),         NULL,
    "replace",   ATELIER_PLUGIN_OUTPUT_REPLACE,   _("Replace the layer"), NULL,
    NULL);

  if (aux)
    gimp_procedure_add_choice_aux_argument (procedure, "output", _("O_utput"),
                                            blurb, choice, default_nick,
                                            G_PARAM_READWRITE);
  else
    gimp_procedure_add_choice_argument (procedure, "output", _("O_utput"),
                                        blurb, choice, default_nick,
                                        G_PARAM_READWRITE);
}

/* The shape both filters share: an image procedure on one RGB or grey
 * layer, and its "style" argument — a drawable for the menu's procedure
 * (with menu_label; none_ok, as its dialog may take a file instead), a
 * string for the file procedure. */
static GimpProcedure *
filter_procedure (GimpPlugIn       *plug_in,
                  const gchar      *name,
                  GimpRunImageFunc  run,
                  const gchar      *blurb,
                  const gchar      *help,
                  const gchar      *menu_label,
                  const gchar      *menu_path,
                  const gchar      *style_label,
                  const gchar      *style_doc)
{
  GimpProcedure *procedure;

  procedure = gimp_image_procedure_new (plug_in, name,
                                        GIMP_PDB_PROC_TYPE_PLUGIN,
                                        run, NULL, NULL);
  gimp_procedure_set_image_types (procedure, "RGB*, GRAY*");
  gimp_procedure_set_sensitivity_mask (procedure,
                                       GIMP_PROCEDURE_SENSITIVE_DRAWABLE);
  set_attribution (procedure, blurb, help);
  if (menu_label)
    {
      gimp_procedure_set_menu_label (procedure, menu_label);
      gimp_procedure_add_menu_path (procedure, menu_path);
      gimp_procedure_add_drawable_argument (procedure, "style", style_label,
                                            style_doc, TRUE,
                                            G_PARAM_READWRITE);
    }
  else
    gimp_procedure_add_string_argument (procedure, "style", style_label,
                                        style_doc, "", G_PARAM_READWRITE);
  return procedure;
}

static void
add_result (GimpProcedure *procedure)
{
  gimp_procedure_add_layer_return_value (procedure, "result", "Result",
    "The layer that holds the result: the new layer, or the drawable when "
    "output is \"replace\"", FALSE, G_PARAM_READWRITE);
}

static GimpProcedure *
style_procedure (GimpPlugIn  *plug_in,
                 const gchar *name,
                 GPtrArray   *texts)
{
  gboolean       layer = ! strcmp (name, ATELIER_STYLE_PROC);
  GimpProcedure *procedure;

  procedure = filter_procedure (plug_in, name, style_run,
                                _(ATELIER_STYLE_BLURB), ATELIER_STYLE_HELP,
                                layer ? _("Style _Transfer...") : NULL,
                                ATELIER_STYLE_MENU,
                                layer ? _("Style la_yer") : _("Style"),
                                layer ? ATELIER_STYLE_DOC_LAYER
                                      : ATELIER_STYLE_DOC_FILE);
  add_style_arguments (procedure, texts);
  add_output_argument (procedure, ATELIER_STYLE_DOC_OUTPUT, "new-layer",
                       FALSE);
  add_backdrop_argument (procedure, texts);
  add_result (procedure);
  if (layer)
    atelier_plugin3_style_dialog_arguments (procedure);
  return procedure;
}

static GimpProcedure *
color_procedure (GimpPlugIn  *plug_in,
                 const gchar *name,
                 GPtrArray   *texts)
{
  gboolean       layer = ! strcmp (name, ATELIER_COLOR_PROC);
  GimpProcedure *procedure;

  procedure = filter_procedure (plug_in, name, color_run,
                                _(ATELIER_COLOR_BLURB), ATELIER_COLOR_HELP,
                                layer ? _("Color _Transfer...") : NULL,
                                ATELIER_COLOR_MENU,
                                layer ? _("Colors from la_yer") : _("Colors"),
                                layer ? ATELIER_COLOR_DOC_STYLE
                                      : ATELIER_COLOR_DOC_FILE);
  gimp_procedure_add_double_argument (procedure, "strength", _("S_trength"),
    atelier_plugin_keep (texts, g_strdup_printf (ATELIER_COLOR_DOC_STRENGTH,
      ATELIER_COLOR_DEFAULT_STRENGTH)),
    0.0, 100.0, ATELIER_COLOR_DEFAULT_STRENGTH, G_PARAM_READWRITE);
  gimp_procedure_add_boolean_argument (procedure, "preserve-luminance",
    _("Preserve lumi_nance"), ATELIER_COLOR_DOC_PRESERVE, FALSE,
    G_PARAM_READWRITE);
  /* the layer procedure recolours in place; its dialog offers both */
  add_output_argument (procedure, ATELIER_COLOR_DOC_OUTPUT,
                       layer ? "replace" : "new-layer", layer);
  if (layer)
    atelier_plugin3_color_dialog_arguments (procedure);
  else
    add_result (procedure);
  return procedure;
}

static GimpProcedure *
batch_procedure (GimpPlugIn *plug_in,
                 GPtrArray  *texts)
{
  GimpProcedure *procedure;

  procedure = gimp_procedure_new (plug_in, ATELIER_BATCH_PROC,
                                  GIMP_PDB_PROC_TYPE_PLUGIN,
                                  batch_run, NULL, NULL);
  set_attribution (procedure, _(ATELIER_BATCH_BLURB), ATELIER_BATCH_HELP);
  gimp_procedure_add_enum_argument (procedure, "run-mode", "Run mode",
                                    "There is no dialog: every mode runs "
                                    "the same", GIMP_TYPE_RUN_MODE,
                                    GIMP_RUN_NONINTERACTIVE,
                                    G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "style", "Style",
                                      ATELIER_STYLE_DOC_FILE, "",
                                      G_PARAM_READWRITE);
  add_style_arguments (procedure, texts);
  gimp_procedure_add_string_argument (procedure, "output-dir", "Output dir",
                                      ATELIER_BATCH_DOC_OUTPUT_DIR, "",
                                      G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "inputs-file", "Inputs",
                                      ATELIER_BATCH_DOC_INPUTS, "",
                                      G_PARAM_READWRITE);
  gimp_procedure_add_string_argument (procedure, "report-file", "Report",
                                      ATELIER_BATCH_DOC_REPORT, "",
                                      G_PARAM_READWRITE);
  gimp_procedure_add_boolean_argument (procedure, "resume", "Resume",
                                       ATELIER_BATCH_DOC_RESUME, FALSE,
                                       G_PARAM_READWRITE);
  gimp_procedure_add_double_argument (procedure, "max-megapixels",
                                      "Max megapixels",
                                      ATELIER_BATCH_DOC_MAX_MP, 0.0, 1e6, 0.0,
                                      G_PARAM_READWRITE);
  add_backdrop_argument (procedure, texts);
  gimp_procedure_add_int_return_value (procedure, "n-failed", "Failed",
                                       ATELIER_BATCH_DOC_N_FAILED,
                                       0, G_MAXINT, 0, G_PARAM_READWRITE);
  return procedure;
}

static GimpProcedure *
create_procedure (GimpPlugIn  *plug_in,
                  const gchar *name)
{
  /* the arguments' param specs copy their blurbs */
  GPtrArray     *texts     = g_ptr_array_new_with_free_func (g_free);
  GimpProcedure *procedure = NULL;

  atelier_plugin_init_i18n ();
  if (! strcmp (name, ATELIER_STYLE_PROC) ||
      ! strcmp (name, ATELIER_STYLE_PROC_FILE))
    procedure = style_procedure (plug_in, name, texts);
  else if (! strcmp (name, ATELIER_COLOR_PROC) ||
           ! strcmp (name, ATELIER_COLOR_PROC_FILE))
    procedure = color_procedure (plug_in, name, texts);
  else if (! strcmp (name, ATELIER_BATCH_PROC))
    procedure = batch_procedure (plug_in, texts);
  g_ptr_array_free (texts, TRUE);
  return procedure;
}

static void
atelier_plug_in_class_init (AtelierPlugInClass *klass)
{
  GimpPlugInClass *plug_in_class = GIMP_PLUG_IN_CLASS (klass);

  plug_in_class->query_procedures = query_procedures;
  plug_in_class->create_procedure = create_procedure;
  /* set_i18n: GIMP 3's default, the "atelier" domain in locale/ beside
   * the binary, is this plug-in's layout */
}

static void
atelier_plug_in_init (AtelierPlugIn *plug_in)
{
}
