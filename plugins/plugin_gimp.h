/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — the few libgimp calls the shared glue makes, for both GIMPs.
 *
 * The shared files (plugin_common.c, plugin_style_run.c,
 * plugin_color_run.c, plugin_batch.c) name images and items by their
 * integer ID, as GIMP 2.10's libgimp does; GIMP 3 passes objects, but
 * every object still has its ID (gimp_item_get_id), so under GIMP 3 these
 * wrappers look the object up.  Nothing else differs between the two
 * builds of those files: each front end (plugin_main.c and friends for
 * 2.10, gimp3/ for 3.0) converts its arguments to IDs and values, the
 * rest is one source.
 */
#ifndef ATELIER_PLUGIN_GIMP_H
#define ATELIER_PLUGIN_GIMP_H

#include <libgimp/gimp.h>

#if GIMP_MAJOR_VERSION >= 3

#define ATELIER_GIMP3 1

#define atl_image(id)    gimp_image_get_by_id (id)
#define atl_item(id)     gimp_item_get_by_id (id)
#define atl_drawable(id) gimp_drawable_get_by_id (id)
#define atl_layer(id)    gimp_layer_get_by_id (id)

static inline gint32
atl_item_id (gpointer item)
{
  return item ? gimp_item_get_id (GIMP_ITEM (item)) : -1;
}

static inline gboolean atl_item_is_valid (gint32 id)
{ return gimp_item_id_is_valid (id); }
static inline gboolean atl_item_is_drawable (gint32 id)
{ return gimp_item_id_is_drawable (id); }
static inline gboolean atl_item_is_layer (gint32 id)
{ return gimp_item_id_is_layer (id); }
static inline gboolean atl_item_is_group (gint32 id)
{ return gimp_item_id_is_group_layer (id); }
static inline gint32   atl_item_get_image (gint32 id)
{ return gimp_image_get_id (gimp_item_get_image (atl_item (id))); }
static inline gint     atl_drawable_width (gint32 id)
{ return gimp_drawable_get_width (atl_drawable (id)); }
static inline gint     atl_drawable_height (gint32 id)
{ return gimp_drawable_get_height (atl_drawable (id)); }
static inline gboolean atl_image_has_floating_sel (gint32 image_id)
{ return gimp_image_get_floating_sel (atl_image (image_id)) != NULL; }
static inline gint32   atl_item_parent (gint32 id)
{ return atl_item_id (gimp_item_get_parent (atl_item (id))); }

/* GIMP 3 calls a layer group's parent NULL, an ID of -1 here */
static inline gboolean
atl_image_insert_layer (gint32 image_id, gint32 layer_id, gint32 parent_id,
                        gint position)
{
  return gimp_image_insert_layer (atl_image (image_id), atl_layer (layer_id),
                                  parent_id == -1 ? NULL
                                  : GIMP_LAYER (atl_item (parent_id)),
                                  position);
}

static inline gint32
atl_layer_new_from_drawable (gint32 drawable_id, gint32 image_id)
{
  return atl_item_id (gimp_layer_new_from_drawable (atl_drawable (drawable_id),
                                                    atl_image (image_id)));
}

#else  /* GIMP 2.10: the IDs are the API */

#define atl_image(id)    (id)
#define atl_item(id)     (id)
#define atl_drawable(id) (id)
#define atl_layer(id)    (id)
#define atl_item_id(id)  (id)

#define atl_item_is_valid           gimp_item_is_valid
#define atl_item_is_drawable        gimp_item_is_drawable
#define atl_item_is_layer           gimp_item_is_layer
#define atl_item_is_group           gimp_item_is_group
#define atl_item_get_image          gimp_item_get_image
#define atl_drawable_width          gimp_drawable_width
#define atl_drawable_height         gimp_drawable_height
#define atl_item_parent             gimp_item_get_parent
#define atl_image_insert_layer      gimp_image_insert_layer
#define atl_layer_new_from_drawable gimp_layer_new_from_drawable
#define atl_image_has_floating_sel(image_id) \
  (gimp_image_get_floating_sel (image_id) != -1)

#endif

#endif /* ATELIER_PLUGIN_GIMP_H */
