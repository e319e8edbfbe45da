/* Atelier — GIMP 2.10 plug-in: the entry points.
 *
 * One binary serves every plug-in-atelier-* procedure: query() installs
 * each family's procedures, run() dispatches by procedure name and turns
 * a family's error into the status and the message as the second return
 * value, as GIMP 2.10 expects.
 */
#include <string.h>

#include <gegl.h>

#include "plugin_common.h"
#include "plugin_families.h"

static void query (void);
static void run   (const gchar      *name,
                   gint              nparams,
                   const GimpParam  *param,
                   gint             *nreturn_vals,
                   GimpParam       **return_vals);

const GimpPlugInInfo PLUG_IN_INFO =
{
  NULL,  /* init  */
  NULL,  /* quit  */
  query, /* query */
  run    /* run   */
};

static const struct
{
  gboolean             (* owns) (const gchar *name);
  AtelierPluginRunFunc    run;
} families[] =
{
  { atelier_style_transfer_owns, atelier_style_transfer_run },
  { atelier_color_transfer_owns, atelier_color_transfer_run },
  { atelier_batch_owns,          atelier_batch_run          }
};

MAIN ()

static void
query (void)
{
  const gchar *locale_dir = atelier_plugin_init_i18n ();

  /* GIMP translates our menu labels and blurbs with this domain */
  gimp_plugin_domain_register (GETTEXT_PACKAGE, locale_dir);

  atelier_style_transfer_install ();
  atelier_color_transfer_install ();
  atelier_batch_install ();
}

static void
run (const gchar      *name,
     gint              nparams,
     const GimpParam  *param,
     gint             *nreturn_vals,
     GimpParam       **return_vals)
{
  static GimpParam  values[2];
  static gchar     *message = NULL;
  GimpPDBStatusType status  = GIMP_PDB_CALLING_ERROR;
  GError           *error   = NULL;
  gsize             i;

  atelier_plugin_init_i18n ();
  gegl_init (NULL, NULL);

  g_clear_pointer (&message, g_free);
  values[1].type = GIMP_PDB_END;      /* no result unless a family sets one */

  for (i = 0; i < G_N_ELEMENTS (families); i++)
    if (families[i].owns (name))
      break;
  if (i == G_N_ELEMENTS (families))
    g_set_error (&error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                 _("Unknown procedure %s"), name);
  else if (nparams < 1)
    g_set_error (&error, ATELIER_PLUGIN_ERROR, ATELIER_PLUGIN_ERROR_CALLING,
                 _("%s needs a run mode"), name);
  else
    status = families[i].run (name, nparams, param, &values[1], &error);

  values[0].type          = GIMP_PDB_STATUS;
  values[0].data.d_status = status;
  *nreturn_vals = 1;
  *return_vals  = values;

  if (status == GIMP_PDB_SUCCESS)
    {
      if (values[1].type != GIMP_PDB_END)
        *nreturn_vals = 2;
    }
  else if (error)
    {
      /* GIMP 2.10: a failed call's message is its second return value */
      values[0].data.d_status = atelier_plugin_error_status (error);
      message                 = g_strdup (error->message);
      values[1].type          = GIMP_PDB_STRING;
      values[1].data.d_string = message;
      *nreturn_vals = 2;
    }
  g_clear_error (&error);
}
