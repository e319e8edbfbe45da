/* Atelier — GIMP 2.10 plug-in: the Style Transfer dialog.
 *
 * A zoom preview restyled at preview quality whenever a setting changes;
 * the style from an image file or from any layer of any open image;
 * strength, style scale, quality, seed, preserve colours, the clean
 * backdrop and where the result goes.
 */
#include <locale.h>
#include <string.h>

#include <gegl.h>

#include "plugin_style_transfer.h"
#include "plugin_ui.h"

#define PLUG_IN_ROLE "atelier-style-transfer"
#define SCALE_WIDTH  200
#define SPIN_WIDTH   6


typedef struct
{
  AtelierStyleVals *vals;
  gint32            drawable_ID;    /* the layer being restyled        */
  GtkWidget        *dialog;
  GtkWidget        *message;
  GtkWidget        *preview;
  GtkWidget        *file_radio;
  GtkWidget        *named_radio;    /* a style of the catalogue        */
  GtkWidget        *layer_radio;
  GtkWidget        *backdrop;       /* "Keep a clean backdrop"         */
  GtkWidget        *chooser;
  GtkWidget        *named_combo;
  GPtrArray        *names;          /* the combo's styles, by row      */
  GPtrArray        *nets;           /* ... their network's file or NULL */
  GtkWidget        *mix_combo;      /* a second style: row 0 is none   */
  GtkObject        *mix_adj;        /* how much of it, in %            */
  gdouble           mix_percent;
  gboolean          ready;          /* built: changes are the user's   */
  AtelierContext   *ctx;            /* for the preview                 */
  gchar            *file;           /* the style file loaded in...     */
  GeglBuffer       *file_style;     /* ... as an image, or           */
  AtelierNet       *file_net;       /* ... as a style network        */
  gint              file_net_style; /* ... and the style in it       */
  gint32            layer;          /* the style layer copied to...    */
  GeglBuffer       *layer_style;    /* (the preview reads it often)    */
} StyleDialog;

static void named_spec (StyleDialog *d, gchar *spec, gsize size);

/* The style the dialog points at, or FALSE (with an error when it cannot
 * be loaded).  Both kinds are kept, so the preview loads each once. */
static gboolean
dialog_style (StyleDialog       *d,
              GeglBuffer       **style,
              const AtelierNet **net,
              gint              *net_style,
              GError           **error)
{
  const AtelierStyleVals *vals = d->vals;

  *style     = NULL;
  *net       = NULL;
  *net_style = 0;
  if (vals->source == ATELIER_STYLE_FROM_LAYER)
    {
      if (! gimp_item_is_valid (vals->layer))
        return FALSE;
      if (d->layer != vals->layer || ! d->layer_style)
        {
          GeglBuffer *buffer = gimp_drawable_get_buffer (vals->layer);

          g_clear_object (&d->layer_style);
          d->layer_style = gegl_buffer_dup (buffer);
          d->layer       = vals->layer;
          g_object_unref (buffer);
        }
      *style = g_object_ref (d->layer_style);
      return TRUE;
    }
  if (! *vals->file)
    return FALSE;
  if (! d->file || strcmp (d->file, vals->file))
    {
      g_clear_object (&d->file_style);
      g_clear_pointer (&d->file_net, atelier_net_free);
      g_clear_pointer (&d->file, g_free);
      if (! atelier_plugin_load_style (d->ctx, vals->file, &d->file_style,
                                       &d->file_net, &d->file_net_style,
                                       error))
        return FALSE;
      d->file = g_strdup (vals->file);
    }
  *style = d->file_style ? g_object_ref (d->file_style) : NULL;
  *net       = d->file_net;
  *net_style = d->file_net_style;
  return TRUE;
}

static void
preview_update (GimpPreview *preview,
                StyleDialog *d)
{
  AtelierStyleJob job;
  GError         *error = NULL;

  if (! dialog_style (d, &job.style, &job.net, &job.net_style, &error))
    {
      atelier_plugin_preview_render (preview, d->message, d->ctx, NULL, NULL,
                                     error ? error->message :
                                     _("Choose a style image or layer"));
      g_clear_error (&error);
      return;
    }
  atelier_style_vals_to_params (d->vals, &job.params);
  atelier_plugin_preview_params (preview, &job);
  atelier_plugin_preview_render (preview, d->message, d->ctx,
                                 atelier_style_render, &job, NULL);
  g_clear_object (&job.style);
}

/* OK only with a style that loads; else the message says why (in the
 * user's language), with the preview on or off. */
static void
update_ok (StyleDialog *d)
{
  GeglBuffer       *style = NULL;
  const AtelierNet *net;
  gint              net_style;
  GError           *error = NULL;
  gboolean          ready;

  ready = dialog_style (d, &style, &net, &net_style, &error);
  g_clear_object (&style);
  gtk_dialog_set_response_sensitive (GTK_DIALOG (d->dialog),
                                     GTK_RESPONSE_OK, ready);
  /* a style network paints the whole frame: no backdrop to keep */
  if (d->backdrop)
    gtk_widget_set_sensitive (d->backdrop, ! (ready && net));
  if (error)
    gtk_label_set_text (GTK_LABEL (d->message), error->message);
  g_clear_error (&error);
}

static void
source_toggled (GtkToggleButton *button,
                StyleDialog     *d)
{
  if (! gtk_toggle_button_get_active (button))
    return;
  /* a catalogue name travels in vals->file like a path: load_style
   * takes either */
  d->vals->source = GTK_WIDGET (button) == d->layer_radio ?
                    ATELIER_STYLE_FROM_LAYER : ATELIER_STYLE_FROM_FILE;
  if (GTK_WIDGET (button) == d->named_radio)
    named_spec (d, d->vals->file, sizeof d->vals->file);
  else if (GTK_WIDGET (button) == d->file_radio)
    {
      gchar *file = gtk_file_chooser_get_filename
                      (GTK_FILE_CHOOSER (d->chooser));

      g_strlcpy (d->vals->file, file && strlen (file) < sizeof d->vals->file ?
                 file : "", sizeof d->vals->file);
      g_free (file);
    }
  update_ok (d);
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
}

static void
file_set (GtkFileChooser *chooser,
          StyleDialog    *d)
{
  gchar *file = gtk_file_chooser_get_filename (chooser);

  if (file && strlen (file) < sizeof d->vals->file)
    g_strlcpy (d->vals->file, file, sizeof d->vals->file);
  g_free (file);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->file_radio), TRUE);
  update_ok (d);
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
}

static void
layer_changed (GimpIntComboBox *combo,
               StyleDialog     *d)
{
  gint layer_ID;

  if (gimp_int_combo_box_get_active (combo, &layer_ID))
    d->vals->layer = layer_ID;
  if (d->ready)
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->layer_radio), TRUE);
  update_ok (d);
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
}

static void
named_changed (GtkComboBox *combo,
               StyleDialog *d)
{
  if (d->ready)
    {
      if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (d->named_radio)))
        source_toggled (GTK_TOGGLE_BUTTON (d->named_radio), d);
      else
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->named_radio),
                                      TRUE);
    }
}

/* The second style or its amount changed: the named style is chosen. */
static void
mix_changed (StyleDialog *d)
{
  named_changed (GTK_COMBO_BOX (d->named_combo), d);
}

/* "a" or "a=W1,b=W2[,...]" into its first two names and weights (the
 * dialog shows a mix of two; a longer one from Script-Fu shows its first
 * two). */
static void
parse_mix (const gchar  *spec,
           gchar       **first,
           gdouble      *w1,
           gchar       **second,
           gdouble      *w2)
{
  gchar **items = g_strsplit (spec, ",", 3);
  gint    k;

  *first = *second = NULL;
  *w1 = 1.0;
  *w2 = 0.0;
  for (k = 0; items[k] && k < 2; k++)
    {
      gchar  *eq = strchr (items[k], '=');
      gdouble w  = eq ? g_ascii_strtod (eq + 1, NULL) : 1.0;

      if (eq)
        *eq = '\0';
      if (k == 0)
        {
          *first = g_strdup (items[k]);
          *w1    = w;
        }
      else
        {
          *second = g_strdup (items[k]);
          *w2     = w;
        }
    }
  g_strfreev (items);
}

/* The second style's row in d->names, or -1 when none is chosen or it
 * cannot mix with the first (an image, another network, the same
 * style). */
static gint
mix_row (StyleDialog *d,
         gint         row)
{
  gint         row2 = gtk_combo_box_get_active (GTK_COMBO_BOX (d->mix_combo)) - 1;
  const gchar *a, *b;

  if (row < 0 || row2 < 0 || row2 >= (gint) d->nets->len || row2 == row)
    return -1;
  a = g_ptr_array_index (d->nets, row);
  b = g_ptr_array_index (d->nets, row2);
  return a && b && ! strcmp (a, b) ? row2 : -1;
}

/* The chosen catalogue style as load_style takes it: its name, or the
 * mix "a=0.70,b=0.30". */
static void
named_spec (StyleDialog *d,
            gchar       *spec,
            gsize        size)
{
  gint row  = gtk_combo_box_get_active (GTK_COMBO_BOX (d->named_combo));
  gint row2 = mix_row (d, row);

  if (row < 0 || row >= (gint) d->names->len)
    *spec = '\0';
  else if (row2 < 0 || d->mix_percent <= 0.0)
    g_strlcpy (spec, g_ptr_array_index (d->names, row), size);
  else
    {
      gchar w1[G_ASCII_DTOSTR_BUF_SIZE], w2[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (w1, sizeof w1, "%.2f", 1.0 - d->mix_percent / 100.0);
      g_ascii_formatd (w2, sizeof w2, "%.2f", d->mix_percent / 100.0);
      g_snprintf (spec, size, "%s=%s,%s=%s",
                  (gchar *) g_ptr_array_index (d->names, row), w1,
                  (gchar *) g_ptr_array_index (d->names, row2), w2);
    }
  if (d->mix_adj)
    gimp_scale_entry_set_sensitive (d->mix_adj, row2 >= 0);
}

/* The catalogue's styles with their thumbnails, labelled in the user's
 * language (d->names: each row's name, d->nets: its network's path or
 * NULL for an image), and the "mix with" combo of the same styles after
 * a "none" row; the rows named by vals->file (a name or a mix) selected,
 * *selected when there is one. */
static void
named_combos_new (StyleDialog *d,
                  gboolean    *selected)
{
  AtelierStyles *styles   = atelier_plugin_styles (d->ctx);
  GtkListStore  *store    = gtk_list_store_new (2, GDK_TYPE_PIXBUF,
                                                G_TYPE_STRING);
  GtkListStore  *store2   = gtk_list_store_new (2, GDK_TYPE_PIXBUF,
                                                G_TYPE_STRING);
  AtelierNet    *net      = NULL;
  gchar         *net_path = NULL;
  gchar         *first = NULL, *second = NULL;
  gdouble        w1 = 1.0, w2 = 0.0;
  GtkTreeIter    iter;
  gint           i, row1 = 0, row2 = 0;

  d->names = g_ptr_array_new_with_free_func (g_free);
  d->nets  = g_ptr_array_new_with_free_func (g_free);
  parse_mix (d->vals->file, &first, &w1, &second, &w2);
  gtk_list_store_append (store2, &iter);
  gtk_list_store_set (store2, &iter, ATELIER_STYLE_COLUMN_LABEL, _("None"), -1);
  *selected = FALSE;
  for (i = 0; i < atelier_styles_count (styles); i++)
    {
      const AtelierStyleEntry *e = atelier_styles_get (styles, i);

      atelier_plugin_style_rows_append (d->ctx, e, &net, &net_path, store,
                                        store2);
      g_ptr_array_add (d->names, g_strdup (e->name));
      g_ptr_array_add (d->nets, e->kind == ATELIER_STYLE_NETWORK ?
                                g_strdup (e->path) : NULL);
      if (first && ! strcmp (e->name, first))
        {
          row1      = i;
          *selected = TRUE;
        }
      if (second && ! strcmp (e->name, second))
        row2 = i + 1;
    }
  d->named_combo = atelier_plugin_style_combo_new (store);
  d->mix_combo   = atelier_plugin_style_combo_new (store2);
  g_object_unref (store);
  g_object_unref (store2);
  if (atelier_styles_count (styles) == 0)
    gtk_widget_set_sensitive (d->named_combo, FALSE);
  else
    gtk_combo_box_set_active (GTK_COMBO_BOX (d->named_combo), row1);
  gtk_combo_box_set_active (GTK_COMBO_BOX (d->mix_combo),
                            *selected ? row2 : 0);
  d->mix_percent = *selected && row2 && w1 + w2 > 0.0 ?
                   100.0 * w2 / (w1 + w2) : 50.0;
  atelier_net_free (net);
  g_free (net_path);
  g_free (first);
  g_free (second);
  atelier_styles_free (styles);
}

/* "Style": a file or a layer */
static void
add_style_source (StyleDialog *d,
                  GtkWidget   *vbox)
{
  GtkWidget *frame = gimp_frame_new (_("Style"));
  GtkWidget *table = gtk_table_new (5, 3, FALSE);
  GtkWidget *button, *combo, *label;
  gboolean   named;

  gtk_box_pack_start (GTK_BOX (vbox), frame, FALSE, FALSE, 0);
  gtk_table_set_col_spacings (GTK_TABLE (table), 6);
  gtk_table_set_row_spacings (GTK_TABLE (table), 6);
  gtk_container_add (GTK_CONTAINER (frame), table);

  d->file_radio  = gtk_radio_button_new_with_mnemonic (NULL,
                                                       _("Image _file:"));
  d->named_radio = gtk_radio_button_new_with_mnemonic_from_widget
                     (GTK_RADIO_BUTTON (d->file_radio), _("Installed st_yle:"));
  d->layer_radio = gtk_radio_button_new_with_mnemonic_from_widget
                     (GTK_RADIO_BUTTON (d->file_radio), _("_Layer:"));
  named_combos_new (d, &named);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (d->vals->source ==
                                                   ATELIER_STYLE_FROM_LAYER ?
                                                   d->layer_radio :
                                                   named ? d->named_radio :
                                                   d->file_radio), TRUE);
  gtk_table_attach (GTK_TABLE (table), d->file_radio, 0, 1, 0, 1,
                    GTK_FILL, GTK_FILL, 0, 0);
  gtk_table_attach (GTK_TABLE (table), d->named_radio, 0, 1, 1, 2,
                    GTK_FILL, GTK_FILL, 0, 0);
  gtk_table_attach (GTK_TABLE (table), d->layer_radio, 0, 1, 4, 5,
                    GTK_FILL, GTK_FILL, 0, 0);
  gtk_widget_set_sensitive (d->named_radio,
                            gtk_widget_get_sensitive (d->named_combo));
  g_signal_connect (d->file_radio, "toggled",
                    G_CALLBACK (source_toggled), d);
  g_signal_connect (d->named_radio, "toggled",
                    G_CALLBACK (source_toggled), d);
  g_signal_connect (d->layer_radio, "toggled",
                    G_CALLBACK (source_toggled), d);

  button = d->chooser = atelier_plugin_image_chooser_new (
                                  _("Choose a Style Image"), TRUE,
                                  d->vals->file);
  gimp_help_set_help_data (button, _("A painting, pattern or photo whose "
                                     "look to take, or a style network "
                                     "(.atnet)"), NULL);
  gimp_help_set_help_data (d->file_radio, _("The style from an image "
                                            "file"), NULL);
  gimp_help_set_help_data (d->named_radio, _("A style Atelier ships or one "
                                             "in your atelier-styles "
                                             "folder"), NULL);
  gimp_help_set_help_data (d->layer_radio, _("The style from a layer of "
                                             "any open image"), NULL);
  gtk_table_attach_defaults (GTK_TABLE (table), button, 1, 3, 0, 1);
  g_signal_connect (button, "file-set", G_CALLBACK (file_set), d);

  gimp_help_set_help_data (d->named_combo, _("A style Atelier ships or one "
                                             "in your atelier-styles "
                                             "folder"), NULL);
  gtk_table_attach_defaults (GTK_TABLE (table), d->named_combo, 1, 3, 1, 2);
  g_signal_connect (d->named_combo, "changed", G_CALLBACK (named_changed), d);

  label = gtk_label_new_with_mnemonic (_("Mi_x with:"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), d->mix_combo);
  gtk_misc_set_alignment (GTK_MISC (label), 0.0, 0.5);
  gtk_table_attach (GTK_TABLE (table), label, 0, 1, 2, 3,
                    GTK_FILL, GTK_FILL, 24, 0);
  gtk_table_attach_defaults (GTK_TABLE (table), d->mix_combo, 1, 3, 2, 3);
  gimp_help_set_help_data (d->mix_combo, _("A second style of the same "
                                           "network, mixed into the first"),
                           NULL);
  g_signal_connect_swapped (d->mix_combo, "changed",
                            G_CALLBACK (mix_changed), d);
  d->mix_adj = gimp_scale_entry_new (GTK_TABLE (table), 0, 3,
                                     _("Mix a_mount (%):"), SCALE_WIDTH,
                                     SPIN_WIDTH, d->mix_percent, 0.0, 100.0,
                                     1.0, 10.0, 0, TRUE, 0, 0,
                                     _("How much of the second style: 0 is "
                                       "the first style alone, 100 the "
                                       "second alone"), NULL);
  g_signal_connect (d->mix_adj, "value-changed",
                    G_CALLBACK (gimp_double_adjustment_update),
                    &d->mix_percent);
  g_signal_connect_swapped (d->mix_adj, "value-changed",
                            G_CALLBACK (mix_changed), d);

  combo = atelier_plugin_layer_combo_new (d->vals->layer, d->drawable_ID);
  gimp_help_set_help_data (combo, _("A layer of any open image as the "
                                    "style"), NULL);
  gtk_table_attach_defaults (GTK_TABLE (table), combo, 1, 3, 4, 5);
  g_signal_connect (combo, "changed", G_CALLBACK (layer_changed), d);
  layer_changed (GIMP_INT_COMBO_BOX (combo), d);
  gimp_scale_entry_set_sensitive (d->mix_adj, mix_row (d, gtk_combo_box_get_active
                                    (GTK_COMBO_BOX (d->named_combo))) >= 0);

  gtk_widget_show_all (frame);
}

static void
backdrop_toggled (GtkToggleButton *toggle,
                  StyleDialog     *d)
{
  d->vals->backdrop = gtk_toggle_button_get_active (toggle) ?
                      ATELIER_BACKDROP_AUTO : ATELIER_BACKDROP_OFF;
  gimp_preview_invalidate (GIMP_PREVIEW (d->preview));
}

/* strength, style scale, quality, seed, preserve colours, backdrop */
static void
add_settings (StyleDialog *d,
              GtkWidget   *vbox)
{
  AtelierStyleVals *vals  = d->vals;
  GtkWidget *table = gtk_table_new (6, 3, FALSE);
  GtkWidget *combo, *seed, *toggle;
  GtkObject *adj;

  gtk_table_set_col_spacings (GTK_TABLE (table), 6);
  gtk_table_set_row_spacings (GTK_TABLE (table), 6);
  gtk_box_pack_start (GTK_BOX (vbox), table, FALSE, FALSE, 0);

  adj = gimp_scale_entry_new (GTK_TABLE (table), 0, 0, _("S_trength (%):"),
                              SCALE_WIDTH, SPIN_WIDTH, vals->strength,
                              0.0, 100.0, 1.0, 10.0, 0, TRUE, 0, 0,
                              _("How much freedom the style gets: 0 keeps "
                                "the content, 100 paints over most of it"),
                              NULL);
  g_signal_connect (adj, "value-changed",
                    G_CALLBACK (gimp_double_adjustment_update),
                    &vals->strength);
  g_signal_connect_swapped (adj, "value-changed",
                            G_CALLBACK (gimp_preview_invalidate), d->preview);

  adj = gimp_scale_entry_new (GTK_TABLE (table), 0, 1, _("Style _scale:"),
                              SCALE_WIDTH, SPIN_WIDTH, vals->style_scale,
                              0.25, 4.0, 0.05, 0.25, 2, TRUE, 0, 0,
                              _("Size of the style's strokes: 2 paints with "
                                "strokes twice as large"), NULL);
  gimp_scale_entry_set_logarithmic (adj, TRUE);
  g_signal_connect (adj, "value-changed",
                    G_CALLBACK (gimp_double_adjustment_update),
                    &vals->style_scale);
  g_signal_connect_swapped (adj, "value-changed",
                            G_CALLBACK (gimp_preview_invalidate), d->preview);

  /* the preview is always rendered at preview quality */
  combo = gimp_int_combo_box_new (_("Preview (fast)"), ATELIER_QUALITY_PREVIEW,
                                  _("Normal"),         ATELIER_QUALITY_NORMAL,
                                  _("Best (slow)"),    ATELIER_QUALITY_BEST,
                                  NULL);
  gimp_int_combo_box_connect (GIMP_INT_COMBO_BOX (combo), vals->quality,
                              G_CALLBACK (gimp_int_combo_box_get_active),
                              &vals->quality);
  gimp_help_set_help_data (combo, _("More detail at Best, the same look: "
                                    "the preview always renders at "
                                    "Preview quality"), NULL);
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 2, _("_Quality:"),
                             0.0, 0.5, combo, 2, FALSE);

  seed = gimp_random_seed_new (&vals->seed, &vals->random_seed);
  gimp_help_set_help_data (GIMP_RANDOM_SEED_SPINBUTTON (seed),
                           _("The same seed gives the same result"), NULL);
  gimp_table_attach_aligned (GTK_TABLE (table), 0, 3, _("Ran_dom seed:"),
                             0.0, 0.5, seed, 2, FALSE);
  g_signal_connect_swapped (GIMP_RANDOM_SEED_SPINBUTTON_ADJ (seed),
                            "value-changed",
                            G_CALLBACK (gimp_preview_invalidate), d->preview);

  toggle = gtk_check_button_new_with_mnemonic (_("Pr_eserve colors"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle),
                                vals->preserve_colors);
  gimp_help_set_help_data (toggle, _("Restyle light and shade only; keep "
                                     "the layer's colors"), NULL);
  gtk_table_attach (GTK_TABLE (table), toggle, 0, 3, 4, 5,
                    GTK_FILL, GTK_FILL, 0, 0);
  g_signal_connect (toggle, "toggled",
                    G_CALLBACK (gimp_toggle_button_update),
                    &vals->preserve_colors);
  g_signal_connect_swapped (toggle, "toggled",
                            G_CALLBACK (gimp_preview_invalidate), d->preview);

  toggle = d->backdrop =
    gtk_check_button_new_with_mnemonic (_("Keep a clean _backdrop"));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (toggle),
                                vals->backdrop == ATELIER_BACKDROP_AUTO);
  gimp_help_set_help_data (toggle, _(ATELIER_STYLE_TIP_BACKDROP), NULL);
  gtk_table_attach (GTK_TABLE (table), toggle, 0, 3, 5, 6,
                    GTK_FILL, GTK_FILL, 0, 0);
  g_signal_connect (toggle, "toggled", G_CALLBACK (backdrop_toggled), d);

  gtk_widget_show_all (table);
}

gboolean
atelier_style_dialog (gint32            drawable_ID,
                      AtelierStyleVals *vals)
{
  StyleDialog d     = { .vals = vals, .drawable_ID = drawable_ID };
  GError     *error = NULL;
  GtkWidget  *vbox, *hbox, *left, *right, *frame;
  gboolean    run;

  d.dialog  = atelier_plugin_dialog_new (_("Style Transfer"), PLUG_IN_ROLE,
                                         &vbox);
  d.ctx     = atelier_plugin_context_new (&error);
  if (! d.ctx)
    {
      g_message ("%s", error->message);
      g_clear_error (&error);
      gtk_widget_destroy (d.dialog);
      return FALSE;
    }
  /* the preview left of the options: the dialog fits a 768 px screen */
  hbox  = gtk_hbox_new (FALSE, 12);
  left  = gtk_vbox_new (FALSE, 6);
  right = gtk_vbox_new (FALSE, 12);
  gtk_box_pack_start (GTK_BOX (vbox), hbox, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), left, TRUE, TRUE, 0);
  gtk_box_pack_start (GTK_BOX (hbox), right, FALSE, FALSE, 0);
  gtk_widget_show_all (hbox);
  d.preview = atelier_plugin_preview_new (drawable_ID, left, &d.message);
  g_signal_connect (d.preview, "invalidated",
                    G_CALLBACK (preview_update), &d);

  add_style_source (&d, right);
  add_settings (&d, right);

  frame = atelier_plugin_output_frame_new (&vals->output,
                                           _("Ne_w layer, named after the "
                                             "style"));
  gtk_box_pack_start (GTK_BOX (right), frame, FALSE, FALSE, 0);

  d.ready = TRUE;
  update_ok (&d);
  gtk_widget_show (d.dialog);
  run = gimp_dialog_run (GIMP_DIALOG (d.dialog)) == GTK_RESPONSE_OK;

  gtk_widget_destroy (d.dialog);
  g_clear_object (&d.file_style);
  atelier_net_free (d.file_net);
  g_clear_object (&d.layer_style);
  g_free (d.file);
  atelier_context_free (d.ctx);
  if (d.names)
    g_ptr_array_free (d.names, TRUE);
  if (d.nets)
    g_ptr_array_free (d.nets, TRUE);
  return run;
}

