/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The style catalogue: the styles found in a list of folders, by name.
 *
 * A folder holds style networks (.atnet: one entry for each style in the
 * network) and style images (PNG, JPEG, TIFF, WebP: one entry each, named
 * after the file).  Folders are read in the order given and a name seen
 * first wins, so a user's folder put before the shipped one can replace a
 * shipped style.  A file that cannot be used is skipped with one line
 * saying why; the others still load.  Entries keep the folders' order and,
 * within a folder, the files' names sorted bytewise, so the list is the
 * same on every machine.
 */
#define _GNU_SOURCE
#include "image_file.h"
#include "internal.h"
#include "net.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct AtelierStyles
{
  AtelierStyleEntry *entries;
  int                n, cap;
  char             **skipped;     /* "path: why" */
  int                n_skipped, cap_skipped;
};

static bool
grow (void **array, int *cap, int n, size_t size)
{
  void *p;
  int   want;

  if (n < *cap)
    return true;
  want = *cap ? 2 * *cap : 16;
  p = realloc (*array, (size_t) want * size);
  if (! p)
    return false;
  *array = p;
  *cap   = want;
  return true;
}

static bool
skip (AtelierStyles *s, const char *path, const char *why)
{
  char *line;

  if (! grow ((void **) &s->skipped, &s->cap_skipped, s->n_skipped,
              sizeof *s->skipped) ||
      asprintf (&line, "%s: %s", path, why) < 0)
    return false;
  s->skipped[s->n_skipped++] = line;
  return true;
}

static bool
known (const AtelierStyles *s, const char *name)
{
  int i;

  for (i = 0; i < s->n; i++)
    if (! strcmp (s->entries[i].name, name))
      return true;
  return false;
}

/* Adds e (path copied) unless its name is taken. */
static bool
add (AtelierStyles *s, const AtelierStyleEntry *e)
{
  AtelierStyleEntry *slot;

  if (known (s, e->name))
    return true;
  if (! grow ((void **) &s->entries, &s->cap, s->n, sizeof *s->entries))
    return false;
  slot  = &s->entries[s->n];
  *slot = *e;
  slot->path = strdup (e->path);
  if (! slot->path)
    return false;
  s->n++;
  return true;
}

/* A style image's name: its file name without the extension, lower case,
 * anything but letters and digits a dash ("Batik_Blue.png": batik-blue). */
static void
image_name (const char *file, char *name, size_t size)
{
  const char *dot = strrchr (file, '.');
  size_t      n   = dot && dot != file ? (size_t) (dot - file) : strlen (file);
  size_t      i;

  n = n < size - 1 ? n : size - 1;
  for (i = 0; i < n; i++)
    {
      char c = file[i];

      name[i] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ? c :
                (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : '-';
    }
  name[n] = '\0';
}

static bool
has_extension (const char *file, const char *const *exts)
{
  const char *dot = strrchr (file, '.');
  int         i;

  for (i = 0; dot && exts[i]; i++)
    if (! strcasecmp (dot + 1, exts[i]))
      return true;
  return false;
}

/* A sink that stops after the header: the image is known to be one. */
static AtelierStatus
header_only (void *data, const AtelierRasterInfo *info)
{
  return ATELIER_CANCELLED;
}

static AtelierStatus
no_rows (void *data, int y, int n, const void *rows)
{
  return ATELIER_CANCELLED;
}

/* Why the image at path cannot be a style, or NULL; from its header. */
static const char *
check_image (AtelierContext *ctx, const char *path)
{
  AtelierRasterSink sink = { header_only, no_rows, NULL, NULL };
  AtelierStatus     st;
  int               fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

  if (fd < 0)
    return "cannot be opened";
  st = atelier_decode (ctx, fd, 0, &sink);
  close (fd);
  return st == ATELIER_CANCELLED ? NULL : atelier_context_error (ctx);
}

static bool
add_network (AtelierStyles *s, AtelierContext *ctx, const char *path)
{
  AtelierNet   *net = NULL;
  AtelierStatus st  = atelier_net_load (ctx, path, &net);
  bool          ok  = true;
  int           i;

  if (st != ATELIER_OK)
    {
      const char *why  = atelier_context_error (ctx);
      size_t      plen = strlen (path);

      /* the loader's line starts with the path: say it once */
      if (! strncmp (why, path, plen) && ! strncmp (why + plen, ": ", 2))
        why += plen + 2;
      return skip (s, path, why);
    }
  for (i = 0; ok && i < net->n_styles; i++)
    {
      const AtelierNetStyle *ns = &net->styles[i];
      AtelierStyleEntry      e;

      memset (&e, 0, sizeof e);
      e.kind      = ATELIER_STYLE_NETWORK;
      e.path      = (char *) path;
      e.net_style = i;
      e.strength  = ns->strength;
      e.scale     = ns->scale;
      snprintf (e.name, sizeof e.name, "%s", ns->name);
      snprintf (e.label, sizeof e.label, "%s", ns->label);
      snprintf (e.label_zh, sizeof e.label_zh, "%s", ns->label_zh);
      ok = add (s, &e);
    }
  atelier_net_free (net);
  return ok;
}

static int
compare_names (const void *a, const void *b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* The entries of one folder, sorted; false only when out of memory. */
static bool
scan_folder (AtelierStyles *s, AtelierContext *ctx, const char *dir)
{
  static const char *const images[] = { "png", "jpg", "jpeg", "tif", "tiff",
                                        "webp", NULL };
  static const char *const nets[]   = { "atnet", NULL };
  DIR                     *d = opendir (dir);
  struct dirent           *de;
  char                   **files = NULL;
  int                      n = 0, cap = 0, i;
  bool                     ok = true;

  if (! d)
    return true;              /* a folder that is not there holds nothing */
  while (ok && (de = readdir (d)))
    {
      if (de->d_name[0] == '.' ||
          (! has_extension (de->d_name, images) &&
           ! has_extension (de->d_name, nets)))
        continue;
      ok = grow ((void **) &files, &cap, n, sizeof *files) &&
           (files[n] = strdup (de->d_name)) != NULL;
      n += ok;
    }
  closedir (d);
  if (ok)
    qsort (files, n, sizeof *files, compare_names);
  for (i = 0; ok && i < n; i++)
    {
      char *path;

      if (asprintf (&path, "%s/%s", dir, files[i]) < 0)
        {
          ok = false;
          break;
        }
      if (atelier_is_net_file (path) || has_extension (files[i], nets))
        ok = add_network (s, ctx, path);
      else
        {
          const char       *why = check_image (ctx, path);
          AtelierStyleEntry e;

          memset (&e, 0, sizeof e);
          e.kind      = ATELIER_STYLE_IMAGE;
          e.path      = path;
          e.net_style = -1;
          e.strength  = -1.0f;
          e.scale     = -1.0f;
          /* the label is the file's own name, without its extension */
          image_name (files[i], e.name, sizeof e.name);
          snprintf (e.label, sizeof e.label, "%.*s",
                    (int) (strrchr (files[i], '.') - files[i]), files[i]);
          memcpy (e.label_zh, e.label, sizeof e.label_zh);
          ok = why ? skip (s, path, why) : add (s, &e);
        }
      free (path);
    }
  for (i = 0; i < n; i++)
    free (files[i]);
  free (files);
  return ok;
}

AtelierStatus
atelier_styles_scan (AtelierContext     *ctx,
                     const char *const  *dirs,
                     int                 n_dirs,
                     AtelierStyles     **styles)
{
  AtelierStyles *s = calloc (1, sizeof *s);
  bool           ok = s != NULL;
  int            i;

  *styles = NULL;
  for (i = 0; ok && i < n_dirs; i++)
    if (dirs[i] && *dirs[i])
      ok = scan_folder (s, ctx, dirs[i]);
  if (! ok)
    {
      atelier_styles_free (s);
      atelier_set_error (ctx, "out of memory reading the style folders");
      return ATELIER_ERR_NO_MEMORY;
    }
  *styles = s;
  return ATELIER_OK;
}

int
atelier_styles_count (const AtelierStyles *styles)
{
  return styles ? styles->n : 0;
}

const AtelierStyleEntry *
atelier_styles_get (const AtelierStyles *styles,
                    int                  index)
{
  return styles && index >= 0 && index < styles->n ?
         &styles->entries[index] : NULL;
}

const AtelierStyleEntry *
atelier_styles_find (const AtelierStyles *styles,
                     const char          *name)
{
  int i;

  for (i = 0; name && i < atelier_styles_count (styles); i++)
    if (! strcmp (styles->entries[i].name, name))
      return &styles->entries[i];
  return NULL;
}

const char *
atelier_style_label (const AtelierStyleEntry *entry,
                     const char              *lang)
{
  /* gettext's order: LANGUAGE (a list, the first counts), then the
   * locale's own variables */
  static const char *const vars[] = { "LANGUAGE", "LC_ALL", "LC_MESSAGES",
                                      "LANG" };
  size_t                   i;

  for (i = 0; ! (lang && *lang) && i < sizeof vars / sizeof *vars; i++)
    lang = getenv (vars[i]);
  if (lang && ! strncmp (lang, "zh", 2) && *entry->label_zh)
    return entry->label_zh;
  return *entry->label ? entry->label : entry->name;
}

int
atelier_styles_n_skipped (const AtelierStyles *styles)
{
  return styles ? styles->n_skipped : 0;
}

const char *
atelier_styles_skipped (const AtelierStyles *styles,
                        int                  index)
{
  return styles && index >= 0 && index < styles->n_skipped ?
         styles->skipped[index] : NULL;
}

void
atelier_styles_free (AtelierStyles *styles)
{
  int i;

  if (! styles)
    return;
  for (i = 0; i < styles->n; i++)
    free (styles->entries[i].path);
  for (i = 0; i < styles->n_skipped; i++)
    free (styles->skipped[i]);
  free (styles->entries);
  free (styles->skipped);
  free (styles);
}
