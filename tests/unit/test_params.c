/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: parameters, their validation, status strings, contexts. */
#include "atelier.h"

#include "test_util.h"

#include <math.h>
#include <string.h>

static void
test_defaults (void)
{
  AtelierParams params;

  memset (&params, 0x5a, sizeof params);
  atelier_params_init (&params);
  g_assert_cmpfloat (params.strength, ==, 0.7f);
  g_assert_cmpfloat (params.style_scale, ==, 1.0f);
  g_assert_cmpint (params.quality, ==, ATELIER_QUALITY_NORMAL);
  g_assert_false (params.preserve_colors);
  g_assert_cmpuint (params.seed, ==, 1);
  g_assert_cmpint (params.n_threads, ==, 0);
  g_assert_null (params.mask);
  g_assert_null (params.progress);
  g_assert_null (params.progress_data);
  g_assert_cmpfloat (params.work_scale, ==, 0.0f);
}

static void
test_defaults_valid (void)
{
  AtelierContext *ctx = atelier_context_new (1);
  AtelierParams   params;

  g_assert_nonnull (ctx);
  g_assert_cmpstr (atelier_context_error (ctx), ==, "");
  atelier_params_init (&params);
  g_assert_cmpint (atelier_params_validate (&params, ctx), ==, ATELIER_OK);
  g_assert_cmpint (atelier_params_validate (&params, NULL), ==, ATELIER_OK);
  atelier_context_free (ctx);
}

/* Values at the ends of every range are accepted. */
static void
test_limits_valid (void)
{
  static const float strengths[] = { 0.0f, 1.0f };
  static const float scales[]    = { 0.25f, 4.0f };
  static const int   threads[]   = { 0, 1, 256 };
  static const float mask_data[] = { 0.0f, 1.0f, 0.5f, 0.25f };
  AtelierPlane       mask        = { 2, 2, 2, mask_data };
  AtelierParams      params;
  guint              i;

  for (i = 0; i < G_N_ELEMENTS (strengths); i++)
    {
      atelier_params_init (&params);
      params.strength = strengths[i];
      g_assert_cmpint (atelier_params_validate (&params, NULL), ==, ATELIER_OK);
    }
  for (i = 0; i < G_N_ELEMENTS (scales); i++)
    {
      atelier_params_init (&params);
      params.style_scale = scales[i];
      g_assert_cmpint (atelier_params_validate (&params, NULL), ==, ATELIER_OK);
    }
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      atelier_params_init (&params);
      params.n_threads = threads[i];
      g_assert_cmpint (atelier_params_validate (&params, NULL), ==, ATELIER_OK);
    }
  for (i = ATELIER_QUALITY_PREVIEW; i <= ATELIER_QUALITY_BEST; i++)
    {
      atelier_params_init (&params);
      params.quality = (AtelierQuality) i;
      g_assert_cmpint (atelier_params_validate (&params, NULL), ==, ATELIER_OK);
    }
  atelier_params_init (&params);
  params.mask = &mask;
  params.preserve_colors = true;
  params.seed = G_MAXUINT32;
  g_assert_cmpint (atelier_params_validate (&params, NULL), ==, ATELIER_OK);
}

/* ---- the bad-value table ---- */

typedef enum
{
  FIELD_STRENGTH,
  FIELD_STYLE_SCALE,
  FIELD_QUALITY,
  FIELD_THREADS,
  FIELD_WORK_SCALE,
  FIELD_MASK_NULL_DATA,
  FIELD_MASK_STRIDE,
  FIELD_MASK_EMPTY
} Field;

typedef struct
{
  const char *name;    /* test path suffix                              */
  Field       field;
  float       value;   /* for float fields                              */
  int         ivalue;  /* for int fields                                */
  const char *word;    /* the error message must contain it             */
} BadParam;

static const BadParam bad_params[] = {
  { "strength-negative",   FIELD_STRENGTH,    -0.1f,     0, "strength" },
  { "strength-above-one",  FIELD_STRENGTH,    1.01f,     0, "strength" },
  { "strength-nan",        FIELD_STRENGTH,    NAN,       0, "strength" },
  { "strength-inf",        FIELD_STRENGTH,    INFINITY,  0, "strength" },
  { "strength-minus-inf",  FIELD_STRENGTH,    -INFINITY, 0, "strength" },
  { "style-scale-small",   FIELD_STYLE_SCALE, 0.2f,      0, "style_scale" },
  { "style-scale-large",   FIELD_STYLE_SCALE, 4.5f,      0, "style_scale" },
  { "style-scale-nan",     FIELD_STYLE_SCALE, NAN,       0, "style_scale" },
  { "style-scale-zero",    FIELD_STYLE_SCALE, 0.0f,      0, "style_scale" },
  { "quality-negative",    FIELD_QUALITY,     0.0f,     -1, "quality" },
  { "quality-three",       FIELD_QUALITY,     0.0f,      3, "quality" },
  { "threads-negative",    FIELD_THREADS,     0.0f,     -1, "n_threads" },
  { "threads-1000",        FIELD_THREADS,     0.0f,   1000, "n_threads" },
  { "work-scale-negative", FIELD_WORK_SCALE,  -0.5f,     0, "work_scale" },
  { "work-scale-large",    FIELD_WORK_SCALE,  17.0f,     0, "work_scale" },
  { "work-scale-nan",      FIELD_WORK_SCALE,  NAN,       0, "work_scale" },
  { "mask-null-data",      FIELD_MASK_NULL_DATA, 0.0f,   0, "mask" },
  { "mask-short-stride",   FIELD_MASK_STRIDE, 0.0f,      0, "mask" },
  { "mask-empty",          FIELD_MASK_EMPTY,  0.0f,      0, "mask" },
};

static void
test_bad_param (gconstpointer data)
{
  const BadParam *bad = data;
  static const float mask_data[16] = { 0 };
  AtelierPlane    mask = { 4, 4, 4, mask_data };
  AtelierContext *ctx  = atelier_context_new (1);
  AtelierParams   params;

  atelier_params_init (&params);
  switch (bad->field)
    {
    case FIELD_STRENGTH:
      params.strength = bad->value;
      break;
    case FIELD_STYLE_SCALE:
      params.style_scale = bad->value;
      break;
    case FIELD_QUALITY:
      params.quality = (AtelierQuality) bad->ivalue;
      break;
    case FIELD_THREADS:
      params.n_threads = bad->ivalue;
      break;
    case FIELD_WORK_SCALE:
      params.work_scale = bad->value;
      break;
    case FIELD_MASK_NULL_DATA:
      mask.data   = NULL;
      params.mask = &mask;
      break;
    case FIELD_MASK_STRIDE:
      mask.stride = 3;
      params.mask = &mask;
      break;
    case FIELD_MASK_EMPTY:
      mask.width  = 0;
      params.mask = &mask;
      break;
    }
  g_assert_cmpint (atelier_params_validate (&params, ctx), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_nonnull (strstr (atelier_context_error (ctx), bad->word));
  /* without a context it still fails, and does not crash */
  g_assert_cmpint (atelier_params_validate (&params, NULL), ==,
                   ATELIER_ERR_INVALID_PARAM);
  atelier_context_free (ctx);
}

static void
test_null_params (void)
{
  AtelierContext *ctx = atelier_context_new (1);

  g_assert_cmpint (atelier_params_validate (NULL, ctx), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_cmpstr (atelier_context_error (ctx), !=, "");
  g_assert_cmpint (atelier_params_validate (NULL, NULL), ==,
                   ATELIER_ERR_INVALID_PARAM);
  atelier_context_free (ctx);
}

/* A bad field makes atelier_stylize fail the same way, before it reads
 * any pixel or writes the output. */
static void
test_stylize_rejects (void)
{
  AtelierContext *ctx     = atelier_context_new (1);
  AtelierImage    content = test_image_content (8, 8, 0);
  AtelierImage    style   = test_image_style (8, 8, 0);
  AtelierImage    out     = test_image_new (8, 8, 0);
  AtelierParams   params;

  test_image_fill (&out, TEST_SENTINEL);
  atelier_params_init (&params);
  params.style_scale = NAN;
  g_assert_cmpint (atelier_stylize (ctx, &params, &content, &style, &out), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_nonnull (strstr (atelier_context_error (ctx), "style_scale"));
  g_assert_true (test_image_is_filled (&out, TEST_SENTINEL));
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
  atelier_context_free (ctx);
}

static void
test_status_strings (void)
{
  static const AtelierStatus all[] = {
    ATELIER_OK, ATELIER_CANCELLED, ATELIER_ERR_INVALID_PARAM,
    ATELIER_ERR_INVALID_IMAGE, ATELIER_ERR_NO_MEMORY, ATELIER_ERR_IO,
    ATELIER_ERR_FORMAT
  };
  guint i, j;

  g_assert_cmpint (ATELIER_OK, ==, 0);
  for (i = 0; i < G_N_ELEMENTS (all); i++)
    {
      const char *s = atelier_status_to_string (all[i]);

      g_assert_nonnull (s);
      g_assert_cmpstr (s, !=, "");
      /* codes are only ever appended: they are 0, 1, 2, ... */
      g_assert_cmpint (all[i], ==, (int) i);
      for (j = 0; j < i; j++)
        g_assert_cmpstr (s, !=, atelier_status_to_string (all[j]));
    }
  /* an unknown code still gives text, not NULL */
  g_assert_nonnull (atelier_status_to_string ((AtelierStatus) 1000));
  g_assert_cmpstr (atelier_status_to_string ((AtelierStatus) -1), !=, "");
}

static void
test_context (void)
{
  static const int counts[] = { 0, 1, 2, 4, 300, -5 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      AtelierContext *ctx = atelier_context_new (counts[i]);

      g_assert_nonnull (ctx);
      g_assert_cmpstr (atelier_context_error (ctx), ==, "");
      atelier_context_free (ctx);
    }
  atelier_context_free (NULL);
  g_assert_cmpstr (atelier_context_error (NULL), ==, "");
}

int
main (int    argc,
      char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/params/defaults", test_defaults);
  g_test_add_func ("/engine/params/defaults-valid", test_defaults_valid);
  g_test_add_func ("/engine/params/limits-valid", test_limits_valid);
  for (i = 0; i < G_N_ELEMENTS (bad_params); i++)
    test_add_case ("/engine/params/bad", bad_params[i].name, &bad_params[i], test_bad_param);
  g_test_add_func ("/engine/params/null", test_null_params);
  g_test_add_func ("/engine/params/stylize-rejects", test_stylize_rejects);
  g_test_add_func ("/engine/params/status-strings", test_status_strings);
  g_test_add_func ("/engine/params/context", test_context);
  return g_test_run ();
}
