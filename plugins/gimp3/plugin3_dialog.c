/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — GIMP 3 plug-in: the Style Transfer and Color Transfer dialogs.
 *
 * GimpProcedureDialogs on the procedures' arguments, so GIMP 3 keeps the
 * last values (and offers its presets) itself.  Beside them: a zoom
 * preview rendered by the shared preview code (plugin_preview.c) with the
 * same engine call as OK, and for Style Transfer the style's source — a
 * shipped or user style from the catalogue (with thumbnails), an image
 * file, or a layer — kept in aux arguments — and the backdrop choice as
 * a check box.
 */
#include <string.h>

#include <gegl.h>
#include <libgimp/gimpui.h>

#include "plugin_color_transfer.h"
#include "plugin_preview.h"
#include "plugin3.h"

#define PREVIEW_SIZE 256   /* px: the preview's long side, beside the options */

/* the style-source choice's ids */
enum { SOURCE_NAME, SOURCE_FILE, SOURCE_LAYER };

typedef struct Dialog Dialog;

struct Dialog
{
  GimpProcedureConfig *config;
  GtkWidget           *dialog;
  /* loads the style the config names (cached): style/net, or load_error */
  void               (*current) (Dialog *d);
  AtelierContext      *ctx;
  GtkWidget           *preview;
  GtkWidget           *message;
  GtkWidget           *backdrop;  /* Style Transfer's check box, or NULL */
  GPtrArray           *names;     /* the catalogue's names, by combo row */
  /* the style the preview last loaded, and what it was loaded from */
  gchar               *loaded;
  GeglBuffer          *style;
  AtelierNet          *net;
  gint                 net_style;
  gchar               *load_error;
};

void
atelier_plugin3_style_dialog_arguments (GimpProcedure *procedure)
{
  gimp_procedure_add_choice_aux_argument (procedure, "style-source",
    _("Style _from"), _("Where the style comes from"),
    gimp_choice_new_with_values (
      "name",  SOURCE_NAME,  _("Installed style"), NULL,
      "file",  SOURCE_FILE,  _("Image file"),      NULL,
      "layer", SOURCE_LAYER, _("Layer"),           NULL,
      NULL),
    "name", G_PARAM_READWRITE);
  gimp_procedure_add_string_aux_argument (procedure, "style-name",
    _("Installed style"), _("A style Atelier ships or one in your "
                             "atelier-styles folder"),
    "starry-night", G_PARAM_READWRITE);
  gimp_procedure_add_file_aux_argument (procedure, "style-file",
    _("Style _image"), _("A painting, pattern or photo whose look to take"),
    GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, NULL, G_PARAM_READWRITE);
  gimp_procedure_add_boolean_aux_argument (procedure, "random-seed",
    _("Rando_mize"), _("A new seed at every run, so Repeat gives a new "
                       "variant"), FALSE, G_PARAM_READWRITE);
}

void
atelier_plugin3_color_dialog_arguments (GimpProcedure *procedure)
{
  gimp_procedure_add_choice_aux_argument (procedure, "style-source",
    _("Colors _from"), _("Where the colors come from"),
    gimp_choice_new_with_values (
      "layer", SOURCE_LAYER, _("Layer"),      NULL,
      "file",  SOURCE_FILE,  _("Image file"), NULL,
      NULL),
    "layer", G_PARAM_READWRITE);
  gimp_procedure_add_file_aux_argument (procedure, "style-file",
    _("Colors' _image"), _("An image whose colors to take"),
    GIMP_FILE_CHOOSER_ACTION_OPEN, TRUE, NULL, G_PARAM_READWRITE);
}

void
atelier_plugin3_dialog_colors (GimpProcedureConfig *config,
                               AtelierColorVals    *vals)
{
  GimpDrawable *layer = NULL;
  GFile        *file  = NULL;
  gchar        *path;

  g_object_get (config, "style", &layer, "style-file", &file, NULL);
  vals->layer = atl_item_id (layer);
  path = file ? g_file_get_path (file) : NULL;
  g_strlcpy (vals->file, path ? path : "", sizeof vals->file);
  vals->source = gimp_procedure_config_get_choice_id (config, "style-source")
                 == SOURCE_FILE ? ATELIER_STYLE_FROM_FILE
                                : ATELIER_STYLE_FROM_LAYER;
  g_free (path);
  g_clear_object (&file);
  g_clear_object (&layer);
}

void
atelier_plugin3_dialog_style (GimpProcedureConfig *config,
                              AtelierStyleVals    *vals)
{
  GimpDrawable *layer = NULL;
  GFile        *file  = NULL;
  gchar        *name  = NULL;
  gchar        *path  = NULL;

  g_object_get (config, "style", &layer, "style-file", &file,
                "style-name", &name, NULL);
  vals->file[0] = '\0';
  vals->layer   = -1;
  switch (gimp_procedure_config_get_choice_id (config, "style-source"))
    {
    case SOURCE_LAYER:
      vals->source = ATELIER_STYLE_FROM_LAYER;
      vals->layer  = atl_item_id (layer);
      break;
    case SOURCE_FILE:
      vals->source = ATELIER_STYLE_FROM_FILE;
      path = file ? g_file_get_path (file) : NULL;
      g_strlcpy (vals->file, path ? path : "", sizeof vals->file);
      break;
    default:
      vals->source = ATELIER_STYLE_FROM_FILE;
      g_strlcpy (vals->file, name ? name : "", sizeof vals->file);
      break;
    }
  g_free (path);
  g_free (name);
  g_clear_object (&file);
  g_clear_object (&layer);
}

/* ---- the preview ---- */

/* Loads the style vals name, unless it is the one loaded; a failure is
 * kept as the preview's note. */
static void
load_style (Dialog                 *d,
            const AtelierStyleVals *vals)
{
  gchar  *key;
  GError *error = NULL;

  key = vals->source == ATELIER_STYLE_FROM_LAYER
        ? g_strdup_printf ("layer:%d", vals->layer)
        : g_strdup_printf ("file:%s", vals->file);
  if (d->loaded && ! strcmp (d->loaded, key))
    {
      g_free (key);
      return;
    }
  g_clear_object (&d->style);
  g_clear_pointer (&d->net, atelier_net_free);
  g_clear_pointer (&d->load_error, g_free);
  g_free (d->loaded);
  d->loaded = key;
  if (vals->source == ATELIER_STYLE_FROM_LAYER)
    {
      if (atelier_plugin_check_style_drawable (vals->layer, &error))
        {
          GeglBuffer *buffer = gimp_drawable_get_buffer (
                                 atl_drawable (vals->layer));

          /* a copy: the layer may be the one the preview shows */
          d->style = gegl_buffer_dup (buffer);
          g_object_unref (buffer);
        }
    }
  else
    atelier_plugin_load_style (d->ctx, vals->file, &d->style, &d->net,
                               &d->net_style, &error);
  if (error)
    d->load_error = g_strdup (error->message);
  g_clear_error (&error);
}

static void
style_current (Dialog *d)
{
  AtelierStyleVals vals;

  atelier_plugin3_style_vals (d->config, &vals);
  atelier_plugin3_dialog_style (d->config, &vals);
  load_style (d, &vals);
}

static void
style_preview_update (GimpPreview *preview,
                      Dialog      *d)
{
  AtelierStyleVals vals;
  AtelierStyleJob  job = { .style = NULL };

  atelier_plugin3_style_vals (d->config, &vals);
  style_current (d);
  if (d->load_error || (! d->style && ! d->net))
    {
      atelier_plugin_preview_render (preview, d->message, d->ctx, NULL, NULL,
                                     d->load_error ? d->load_error
                                     : _("Choose a style"));
      return;
    }
  atelier_style_vals_to_params (&vals, &job.params);
  job.style     = d->style;
  job.net       = d->net;
  job.net_style = d->net_style;
  atelier_plugin_preview_params (preview, &job);
  atelier_plugin_preview_render (preview, d->message, d->ctx,
                                 atelier_style_render, &job, NULL);
}

static void
color_current (Dialog *d)
{
  AtelierColorVals vals;
  AtelierStyleVals from = { .source = ATELIER_STYLE_FROM_LAYER };

  atelier_color_vals_init (&vals);
  atelier_plugin3_dialog_colors (d->config, &vals);
  /* the colours' image is loaded as a style is, and must be an image */
  from.source = vals.source;
  from.layer  = vals.layer;
  g_strlcpy (from.file, vals.file, sizeof from.file);
  load_style (d, &from);
  if (d->net && ! d->load_error)
    d->load_error = g_strdup (_("That is a style network; Color Transfer "
                                "takes the colors of an image"));
}

static void
color_preview_update (GimpPreview *preview,
                      Dialog      *d)
{
  AtelierColorVals vals;
  AtelierColorJob  job = { &vals, NULL };

  atelier_color_vals_init (&vals);
  g_object_get (d->config, "strength", &vals.strength,
                "preserve-luminance", &vals.preserve_luminance, NULL);
  color_current (d);
  if (d->load_error || ! d->style)
    {
      atelier_plugin_preview_render (preview, d->message, d->ctx, NULL, NULL,
                                     d->load_error ? d->load_error :
                                     _("Choose the layer or image whose "
                                       "colors to take"));
      return;
    }
  job.style = d->style;
  atelier_plugin_preview_render (preview, d->message, d->ctx,
                                 atelier_color_render, &job, NULL);
}

/* OK only with a style that loads; else the message says why, in the
 * user's language, with the preview on or off */
static void
update_ok (Dialog *d)
{
  gboolean ok;

  d->current (d);
  ok = ! d->load_error && (d->style || d->net);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (d->dialog), GTK_RESPONSE_OK,
                                     ok);
  /* a style network paints the whole frame: no backdrop to keep */
  if (d->backdrop)
    gtk_widget_set_sensitive (d->backdrop, ! (ok && d->net));
  if (d->load_error)
    gtk_label_set_text (GTK_LABEL (d->message), d->load_error);
}

static void
config_changed (GObject    *config,
                GParamSpec *pspec,
                Dialog     *d)
{
  update_ok (d);
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
}

/* ---- the installed styles' combo ---- */

static void
name_changed (GtkComboBox *combo,
              Dialog      *d)
{
  gint row = gtk_combo_box_get_active (combo);

  if (row >= 0 && row < (gint) d->names->len)
    g_object_set (d->config, "style-name",
                  g_ptr_array_index (d->names, row), NULL);
}

/* The catalogue's styles with thumbnails, the row of style-name active. */
static GtkWidget *
names_combo_new (Dialog *d)
{
  AtelierStyles *styles   = atelier_plugin_styles (d->ctx);
  GtkListStore  *store    = gtk_list_store_new (2, GDK_TYPE_PIXBUF,
                                                G_TYPE_STRING);
  AtelierNet    *net      = NULL;
  gchar         *net_path = NULL;
  gchar         *name     = NULL;
  GtkWidget     *combo;
  gint           i, active = 0;

  g_object_get (d->config, "style-name", &name, NULL);
  d->names = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; i < atelier_styles_count (styles); i++)
    {
      const AtelierStyleEntry *e = atelier_styles_get (styles, i);

      atelier_plugin_style_rows_append (d->ctx, e, &net, &net_path, store,
                                        NULL);
      g_ptr_array_add (d->names, g_strdup (e->name));
      if (name && ! strcmp (name, e->name))
        active = i;
    }
  combo = atelier_plugin_style_combo_new (store);
  g_object_unref (store);
  atelier_net_free (net);
  g_free (net_path);
  g_free (name);
  atelier_styles_free (styles);
  gtk_combo_box_set_active (GTK_COMBO_BOX (combo), active);
  name_changed (GTK_COMBO_BOX (combo), d);
  g_signal_connect (combo, "changed", G_CALLBACK (name_changed), d);
  gimp_help_set_help_data (combo, _("A style Atelier ships or one in your "
                                    "atelier-styles folder"), NULL);
  return combo;
}

/* ---- the backdrop's check box ---- */

/* The check box and the config's "backdrop" choice follow each other
 * (a value set to what it is emits nothing, so neither loops). */
static void
backdrop_toggled (GtkToggleButton *toggle,
                  Dialog          *d)
{
  g_object_set (d->config, "backdrop",
                gtk_toggle_button_get_active (toggle) ? "auto" : "off", NULL);
}

static void
backdrop_notify (GObject    *config,
                 GParamSpec *pspec,
                 GtkWidget  *toggle)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle),
    gimp_procedure_config_get_choice_id (GIMP_PROCEDURE_CONFIG (config),
                                         "backdrop") == ATELIER_BACKDROP_AUTO);
}

/* "Keep a clean backdrop" right after the widget of property after */
static void
add_backdrop_toggle (Dialog      *d,
                     GtkWidget   *dialog,
                     GtkWidget   *options,
                     const gchar *after)
{
  GtkWidget *previous = gimp_procedure_dialog_get_widget (
                          GIMP_PROCEDURE_DIALOG (dialog), after, G_TYPE_NONE);
  gint       position = -1;

  d->backdrop = gtk_check_button_new_with_mnemonic (
                  _("Keep a clean _backdrop"));
  gimp_help_set_help_data (d->backdrop, _(ATELIER_STYLE_TIP_BACKDROP), NULL);
  backdrop_notify (G_OBJECT (d->config), NULL, d->backdrop);
  g_signal_connect (d->backdrop, "toggled", G_CALLBACK (backdrop_toggled), d);
  g_signal_connect_object (d->config, "notify::backdrop",
                           G_CALLBACK (backdrop_notify), d->backdrop, 0);
  gtk_box_pack_start (GTK_BOX (options), d->backdrop, FALSE, FALSE, 0);
  if (previous && gtk_widget_get_parent (previous) == options)
    gtk_container_child_get (GTK_CONTAINER (options), previous, "position",
                             &position, NULL);
  gtk_box_reorder_child (GTK_BOX (options), d->backdrop,
                         position < 0 ? -1 : position + 1);
  gtk_widget_show (d->backdrop);
}

/* ---- the dialogs ---- */

/* The preview of drawable left of the options box (a vertical box the
 * dialog filled), its message below it. */
static void
pack_preview (Dialog       *d,
              GtkWidget    *dialog,
              GtkWidget    *options,
              GimpDrawable *drawable,
              GCallback     update)
{
  GtkWidget *main_box = gtk_widget_get_parent (options);
  GtkWidget *left     = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  gtk_orientable_set_orientation (GTK_ORIENTABLE (main_box),
                                  GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (main_box), 12);
  d->preview = gimp_zoom_preview_new_from_drawable (drawable);
  gtk_widget_set_size_request (d->preview, PREVIEW_SIZE, PREVIEW_SIZE);
  gtk_box_pack_start (GTK_BOX (left), d->preview, TRUE, TRUE, 0);
  d->message = gtk_label_new (NULL);
  gtk_label_set_line_wrap (GTK_LABEL (d->message), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (d->message), 32);
  gtk_label_set_xalign (GTK_LABEL (d->message), 0.0);
  gtk_box_pack_start (GTK_BOX (left), d->message, FALSE, FALSE, 0);
  gtk_box_pack_start (GTK_BOX (main_box), left, TRUE, TRUE, 0);
  gtk_box_reorder_child (GTK_BOX (main_box), left, 0);
  gtk_widget_show_all (left);
  d->dialog = dialog;
  g_signal_connect (d->preview, "invalidated", update, d);
  g_signal_connect (d->config, "notify", G_CALLBACK (config_changed), d);
  update_ok (d);
}

/* The style layer the dialog starts with: the last one, unless it is
 * gone or is the layer being restyled (restyling a layer after itself is
 * never what was meant); then a layer of another image, else another
 * layer of this one, else none. */
static void
default_style_layer (GimpProcedureConfig *config,
                     GimpImage           *image,
                     GimpDrawable        *drawable)
{
  GimpDrawable *style  = NULL;
  GimpImage   **images = gimp_get_images ();
  GimpLayer    *pick   = NULL, *same_image = NULL;
  gint          i, j;

  g_object_get (config, "style", &style, NULL);
  if (style && style != drawable && gimp_item_is_valid (GIMP_ITEM (style)))
    {
      g_object_unref (style);
      g_free (images);
      return;
    }
  g_clear_object (&style);
  for (i = 0; images && images[i] && ! pick; i++)
    {
      GimpLayer **layers = gimp_image_get_layers (images[i]);

      for (j = 0; layers && layers[j]; j++)
        if (GIMP_DRAWABLE (layers[j]) != drawable)
          {
            if (images[i] != image)
              {
                pick = layers[j];
                break;
              }
            if (! same_image)
              same_image = layers[j];
          }
      g_free (layers);
    }
  g_free (images);
  g_object_set (config, "style", pick ? pick : same_image, NULL);
}

static gboolean
dialog_init (Dialog              *d,
             GimpProcedureConfig *config,
             GimpImage           *image,
             GimpDrawable        *drawable)
{
  GError *error = NULL;

  memset (d, 0, sizeof *d);
  d->config = config;
  if (! (d->ctx = atelier_plugin_context_new (&error)))
    {
      g_message ("%s", error->message);
      g_clear_error (&error);
      return FALSE;
    }
  gimp_ui_init (PLUG_IN_BINARY);
  default_style_layer (config, image, drawable);
  return TRUE;
}

static gboolean
dialog_run (Dialog    *d,
            GtkWidget *dialog)
{
  gboolean ok = gimp_procedure_dialog_run (GIMP_PROCEDURE_DIALOG (dialog));

  g_signal_handlers_disconnect_by_data (d->config, d);
  gtk_widget_destroy (dialog);
  g_clear_object (&d->style);
  atelier_net_free (d->net);
  g_free (d->loaded);
  g_free (d->load_error);
  if (d->names)
    g_ptr_array_free (d->names, TRUE);
  atelier_context_free (d->ctx);
  return ok;
}

/* property's widget is sensitive only while style-source is source_nick */
static void
sensitive_with_source (GtkWidget   *dialog,
                       const gchar *property,
                       const gchar *source_nick)
{
  GimpValueArray *values = gimp_value_array_new (1);
  GValue          value  = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, source_nick);
  gimp_value_array_append (values, &value);
  g_value_unset (&value);
  gimp_procedure_dialog_set_sensitive_if_in (GIMP_PROCEDURE_DIALOG (dialog),
                                             property, NULL, "style-source",
                                             values, TRUE);
}

/* the installed styles' combo likewise (it is not one of the dialog's) */
static void
names_sensitive (GObject    *config,
                 GParamSpec *pspec,
                 GtkWidget  *names)
{
  gtk_widget_set_sensitive (names, gimp_procedure_config_get_choice_id (
    GIMP_PROCEDURE_CONFIG (config), "style-source") == SOURCE_NAME);
}

gboolean
atelier_plugin3_style_dialog (GimpProcedure       *procedure,
                              GimpProcedureConfig *config,
                              GimpImage           *image,
                              GimpDrawable        *drawable)
{
  Dialog     d;
  GtkWidget *dialog, *options, *names;

  if (! dialog_init (&d, config, image, drawable))
    return FALSE;
  dialog = gimp_procedure_dialog_new (procedure, config, _("Style Transfer"));
  options = gimp_procedure_dialog_fill_box (GIMP_PROCEDURE_DIALOG (dialog),
                                            "atelier-options",
                                            "style-source", "style-file",
                                            "style", "strength",
                                            "style-scale", "quality",
                                            "preserve-colors", "seed",
                                            "random-seed", "output", NULL);
  gimp_procedure_dialog_fill_box (GIMP_PROCEDURE_DIALOG (dialog),
                                  "atelier-main", "atelier-options", NULL);
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "atelier-main",
                              NULL);
  /* the installed styles, after the source choice */
  names = names_combo_new (&d);
  gtk_box_pack_start (GTK_BOX (options), names, FALSE, FALSE, 0);
  gtk_box_reorder_child (GTK_BOX (options), names, 1);
  gtk_widget_show (names);
  sensitive_with_source (dialog, "style-file", "file");
  sensitive_with_source (dialog, "style", "layer");
  g_signal_connect_object (config, "notify::style-source",
                           G_CALLBACK (names_sensitive), names, 0);
  names_sensitive (G_OBJECT (config), NULL, names);
  add_backdrop_toggle (&d, dialog, options, "preserve-colors");
  d.current = style_current;
  pack_preview (&d, dialog, options, drawable,
                G_CALLBACK (style_preview_update));
  return dialog_run (&d, dialog);
}

gboolean
atelier_plugin3_color_dialog (GimpProcedure       *procedure,
                              GimpProcedureConfig *config,
                              GimpImage           *image,
                              GimpDrawable        *drawable)
{
  Dialog     d;
  GtkWidget *dialog, *options;

  if (! dialog_init (&d, config, image, drawable))
    return FALSE;
  dialog  = gimp_procedure_dialog_new (procedure, config, _("Color Transfer"));
  options = gimp_procedure_dialog_fill_box (GIMP_PROCEDURE_DIALOG (dialog),
                                            "atelier-options", "style-source",
                                            "style", "style-file",
                                            "strength", "preserve-luminance",
                                            "output", NULL);
  gimp_procedure_dialog_fill_box (GIMP_PROCEDURE_DIALOG (dialog),
                                  "atelier-main", "atelier-options", NULL);
  gimp_procedure_dialog_fill (GIMP_PROCEDURE_DIALOG (dialog), "atelier-main",
                              NULL);
  sensitive_with_source (dialog, "style-file", "file");
  sensitive_with_source (dialog, "style", "layer");
  d.current = color_current;
  pack_preview (&d, dialog, options, drawable,
                G_CALLBACK (color_preview_update));
  return dialog_run (&d, dialog);
}
