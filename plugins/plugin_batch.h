/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Atelier — the batch procedure's arguments and run logic
 * (plugin_batch.c), shared by both GIMPs' front ends.
 */
#ifndef ATELIER_PLUGIN_BATCH_H
#define ATELIER_PLUGIN_BATCH_H

#include "plugin_style_transfer.h"

#define ATELIER_BATCH_PROC "plug-in-atelier-batch"

/* The procedure's documentation, the same in both GIMPs' PDB. */
#define ATELIER_BATCH_BLURB N_("Restyle many image files after one style")
#define ATELIER_BATCH_HELP \
  "Loads the style once, then restyles every input file and saves it " \
  "into output-dir, without opening images in GIMP.  A file that fails " \
  "is reported and the batch goes on; the call fails only when nothing " \
  "can be attempted (bad arguments or style, output-dir not writable)."
#define ATELIER_BATCH_DOC_OUTPUT_DIR \
  "Folder for the results, made if missing: <name>.jpg for JPEG " \
  "inputs, <name>.tif for TIFF, else <name>.png"
#define ATELIER_BATCH_DOC_INPUTS \
  "A file of input paths, one a line (any bytes but NUL and newline; " \
  "empty lines are skipped)"
#define ATELIER_BATCH_DOC_REPORT \
  "Where to write the report (\"\" for none), one line as each input " \
  "ends: \"N ok IN -> OUT\", \"N skip IN -> OUT\" (--resume) or " \
  "\"N FAIL IN: reason\", N the input's line among the non-empty lines, " \
  "from 1"
#define ATELIER_BATCH_DOC_RESUME \
  "Skip inputs whose output exists and decodes whole"
#define ATELIER_BATCH_DOC_MAX_MP \
  "Refuse inputs larger than this, read from their header; 0 for the " \
  "default, 128"
#define ATELIER_BATCH_DOC_N_FAILED "How many inputs failed (see the report)"

/* The procedure's arguments, as given. */
typedef struct
{
  const gchar      *style;
  /* strength .. seed, as Style Transfer's values: source FROM_FILE (the
   * style stays in style above, of any length), output NEW_LAYER */
  AtelierStyleVals  vals;
  const gchar      *output_dir;
  const gchar      *inputs_file;
  const gchar      *report;
  gboolean          resume;
  gdouble           max_megapixels;  /* 0: the engine's default budget */
} AtelierBatchArgs;

/* Restyles every file of args->inputs_file into args->output_dir, writing
 * the report as it goes; *n_failed counts the inputs that failed.  FALSE
 * with error set only when nothing could be attempted (bad arguments or
 * style, an output folder that cannot be made), or on a stop signal. */
gboolean atelier_batch (const AtelierBatchArgs  *args,
                        gint                    *n_failed,
                        GError                 **error);

#endif /* ATELIER_PLUGIN_BATCH_H */
