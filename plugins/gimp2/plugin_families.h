/* Atelier — GIMP 2.10 plug-in: the procedure families plugin_main.c
 * installs and dispatches to.
 *
 * install() registers a family's procedures; owns() tells whether a
 * procedure name is one of them; run() runs it.  run() returns the status;
 * on success it may fill *result, the one return value after the status,
 * and on failure it sets error (see plugin_common.h).
 */
#ifndef ATELIER_PLUGIN_FAMILIES_H
#define ATELIER_PLUGIN_FAMILIES_H

#include <libgimp/gimp.h>

typedef GimpPDBStatusType (* AtelierPluginRunFunc) (const gchar      *name,
                                                    gint              nparams,
                                                    const GimpParam  *param,
                                                    GimpParam        *result,
                                                    GError          **error);

void              atelier_style_transfer_install (void);
gboolean          atelier_style_transfer_owns    (const gchar      *name);
GimpPDBStatusType atelier_style_transfer_run     (const gchar      *name,
                                                  gint              nparams,
                                                  const GimpParam  *param,
                                                  GimpParam        *result,
                                                  GError          **error);

void              atelier_color_transfer_install (void);
gboolean          atelier_color_transfer_owns    (const gchar      *name);
GimpPDBStatusType atelier_color_transfer_run     (const gchar      *name,
                                                  gint              nparams,
                                                  const GimpParam  *param,
                                                  GimpParam        *result,
                                                  GError          **error);

void              atelier_batch_install          (void);
gboolean          atelier_batch_owns             (const gchar      *name);
GimpPDBStatusType atelier_batch_run              (const gchar      *name,
                                                  gint              nparams,
                                                  const GimpParam  *param,
                                                  GimpParam        *result,
                                                  GError          **error);

#endif /* ATELIER_PLUGIN_FAMILIES_H */
