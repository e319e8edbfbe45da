/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: the whole pipeline in memory (atelier_stylize) and its
 * staged form (atelier_working_size, atelier_synth_new/render). */
#include "atelier.h"
#include "synth.h"

#include "test_util.h"

#include <math.h>
#include <string.h>

#define CW 64   /* content */
#define CH 48
#define SW 48   /* style */
#define SH 48
#define PW 160  /* content big enough for two pyramid levels, so progress */
#define PH 120  /* is reported and cancel happens between levels          */

static void
preview_params (AtelierParams *params)
{
  atelier_params_init (params);
  params->quality = ATELIER_QUALITY_PREVIEW;
}

/* Runs atelier_stylize on a fresh context of n_ctx threads. */
static AtelierStatus
stylize (int                  n_ctx,
         const AtelierParams *params,
         const AtelierImage  *content,
         const AtelierImage  *style,
         AtelierImage        *out)
{
  AtelierContext *ctx = atelier_context_new (n_ctx);
  AtelierStatus   st;

  g_assert_nonnull (ctx);
  st = atelier_stylize (ctx, params, content, style, out);
  if (st != ATELIER_OK)
    g_test_message ("stylize: %s: %s", atelier_status_to_string (st),
                    atelier_context_error (ctx));
  atelier_context_free (ctx);
  return st;
}

/* The common case: the test content and style at CW x CH and SW x SH,
 * an unpadded output of the content's size and preview params. */
typedef struct
{
  AtelierImage  content;
  AtelierImage  style;
  AtelierImage  out;
  AtelierParams params;
} Fixture;

static void
fixture_setup (Fixture       *fx,
               gconstpointer  data)
{
  fx->content = test_image_content (CW, CH, 0);
  fx->style   = test_image_style (SW, SH, 0);
  fx->out     = test_image_new (CW, CH, 0);
  preview_params (&fx->params);
}

static void
fixture_teardown (Fixture       *fx,
                  gconstpointer  data)
{
  test_image_free (&fx->content);
  test_image_free (&fx->style);
  test_image_free (&fx->out);
}

#define add_fixture_test(path, fn) \
  g_test_add ((path), Fixture, NULL, fixture_setup, (fn), fixture_teardown)

/* Runs stylize on fx's content and style with fx's params. */
static AtelierStatus
stylize_fx (Fixture      *fx,
            int           n_ctx,
            AtelierImage *out)
{
  return stylize (n_ctx, &fx->params, &fx->content, &fx->style, out);
}

/* Pixels whose RGB differ from the content's by more than 1e-3. */
static int
count_changed (const AtelierImage *a,
               const AtelierImage *b,
               int                 x0,
               int                 x1)
{
  int x, y, k, n = 0;

  for (y = 0; y < a->height; y++)
    for (x = x0; x < x1; x++)
      for (k = 0; k < 3; k++)
        if (fabsf (test_pixel (a, x, y)[k] - test_pixel (b, x, y)[k]) > 1e-3f)
          {
            n++;
            break;
          }
  return n;
}

/* ---- bad images ---- */

typedef enum
{
  BAD_CONTENT_NULL,
  BAD_CONTENT_NO_DATA,
  BAD_STYLE_NO_DATA,
  BAD_OUT_NO_DATA,
  BAD_CONTENT_EMPTY,
  BAD_CONTENT_1X1,
  BAD_CONTENT_1_WIDE,
  BAD_STYLE_1X1,
  BAD_CONTENT_NEGATIVE,
  BAD_CONTENT_HUGE,
  BAD_CONTENT_STRIDE,
  BAD_STYLE_STRIDE,
  BAD_OUT_STRIDE,
  BAD_OUT_SIZE,
  BAD_OUT_ALIAS
} BadKind;

typedef struct
{
  const char *name;
  BadKind     kind;
} BadImage;

static const BadImage bad_images[] = {
  { "content-null",         BAD_CONTENT_NULL },
  { "content-no-data",      BAD_CONTENT_NO_DATA },
  { "style-no-data",        BAD_STYLE_NO_DATA },
  { "out-no-data",          BAD_OUT_NO_DATA },
  { "content-0x0",          BAD_CONTENT_EMPTY },
  { "content-1x1",          BAD_CONTENT_1X1 },
  { "content-1-wide",       BAD_CONTENT_1_WIDE },
  { "style-1x1",            BAD_STYLE_1X1 },
  { "content-negative",     BAD_CONTENT_NEGATIVE },
  { "content-too-wide",     BAD_CONTENT_HUGE },
  { "content-short-stride", BAD_CONTENT_STRIDE },
  { "style-short-stride",   BAD_STYLE_STRIDE },
  { "out-short-stride",     BAD_OUT_STRIDE },
  { "out-size-mismatch",    BAD_OUT_SIZE },
  { "out-aliases-content",  BAD_OUT_ALIAS },
};

static void
test_bad_image (gconstpointer data)
{
  const BadImage *bad     = data;
  AtelierContext *ctx     = atelier_context_new (2);
  AtelierImage    content = test_image_content (CW, CH, 0);
  AtelierImage    style   = test_image_style (SW, SH, 0);
  AtelierImage    out     = test_image_new (CW, CH, 4);
  AtelierImage    orig    = test_image_copy (&content);
  AtelierImage    big     = { 0, 0, 0, NULL };
  AtelierImage    c = content, s = style, o = out;
  AtelierParams   params;
  AtelierStatus   st;

  preview_params (&params);
  test_image_fill (&out, TEST_SENTINEL);
  switch (bad->kind)
    {
    case BAD_CONTENT_NULL:
      break;
    case BAD_CONTENT_NO_DATA:
      c.data = NULL;
      break;
    case BAD_STYLE_NO_DATA:
      s.data = NULL;
      break;
    case BAD_OUT_NO_DATA:
      o.data = NULL;
      break;
    case BAD_CONTENT_EMPTY:
      c.width = c.height = 0;
      o.width = o.height = 0;
      break;
    case BAD_CONTENT_1X1:
      c.width = c.height = 1;
      o.width = o.height = 1;
      break;
    case BAD_CONTENT_1_WIDE:
      c.width = 1;
      o.width = 1;
      break;
    case BAD_STYLE_1X1:
      s.width = s.height = 1;
      break;
    case BAD_CONTENT_NEGATIVE:
      c.width = -CW;
      o.width = -CW;
      break;
    case BAD_CONTENT_HUGE:
      big = test_image_new (ATELIER_MAX_SIZE + 1, 2, 0);
      c   = big;
      o   = big;
      o.data = out.data;
      break;
    case BAD_CONTENT_STRIDE:
      c.stride = 4 * c.width - 1;
      break;
    case BAD_STYLE_STRIDE:
      s.stride = 4 * s.width - 4;
      break;
    case BAD_OUT_STRIDE:
      o.stride = 4 * o.width - 1;
      break;
    case BAD_OUT_SIZE:
      o.height = CH - 1;
      break;
    case BAD_OUT_ALIAS:
      o = content;
      break;
    }
  st = atelier_stylize (ctx, &params,
                        bad->kind == BAD_CONTENT_NULL ? NULL : &c, &s, &o);
  g_assert_cmpint (st, ==, ATELIER_ERR_INVALID_IMAGE);
  g_assert_cmpstr (atelier_context_error (ctx), !=, "");
  g_test_message ("%s", atelier_context_error (ctx));
  g_assert_true (test_image_is_filled (&out, TEST_SENTINEL));
  g_assert_cmpmem (content.data, CW * CH * 4 * sizeof (float),
                   orig.data, CW * CH * 4 * sizeof (float));

  test_image_free (&big);
  test_image_free (&orig);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
  atelier_context_free (ctx);
}

/* A mask of the wrong size is a bad parameter; nothing is written. */
static void
test_bad_mask (Fixture       *fx,
               gconstpointer  data)
{
  float        *m    = g_new0 (float, CW * CH);
  AtelierPlane  mask = { CW - 1, CH, CW, m };

  fx->params.mask = &mask;
  test_image_fill (&fx->out, TEST_SENTINEL);
  g_assert_cmpint (stylize_fx (fx, 1, &fx->out), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_true (test_image_is_filled (&fx->out, TEST_SENTINEL));
  g_free (m);
}

/* ---- results ---- */

static void
test_success (void)
{
  AtelierImage  content = test_image_content (CW, CH, 0);
  AtelierImage  style   = test_image_style (SW, SH, 0);
  AtelierImage  out     = test_image_new (CW, CH, 3);
  AtelierParams params;
  int           changed;

  preview_params (&params);
  test_image_fill (&out, TEST_SENTINEL);
  g_assert_cmpint (stylize (2, &params, &content, &style, &out), ==,
                   ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&out));
  /* the row padding of the output is not the engine's to write */
  g_assert_true (test_image_padding_is (&out, TEST_SENTINEL));
  changed = count_changed (&out, &content, 0, CW);
  g_test_message ("%d of %d pixels changed", changed, CW * CH);
  g_assert_cmpint (changed, >, CW * CH / 2);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
}

static void
test_alpha (Fixture       *fx,
            gconstpointer  data)
{
  int   x, y, levels = 0;
  float seen[4] = { -1, -1, -1, -1 };

  /* the style's alpha is ignored: make it anything but the content's */
  for (y = 0; y < SH; y++)
    for (x = 0; x < SW; x++)
      test_pixel (&fx->style, x, y)[3] = 0.125f;
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  for (y = 0; y < CH; y++)
    for (x = 0; x < CW; x++)
      {
        float a = test_pixel (&fx->content, x, y)[3];
        int   k;

        g_assert_cmpmem (&test_pixel (&fx->out, x, y)[3], sizeof (float),
                         &a, sizeof (float));
        for (k = 0; k < levels && seen[k] != a; k++)
          ;
        if (k == levels && levels < 4)
          seen[levels++] = a;
      }
  /* the pattern really has several alpha levels */
  g_assert_cmpint (levels, ==, 4);
}

static void
test_mask (Fixture       *fx,
           gconstpointer  data)
{
  AtelierImage  full    = test_image_new (CW, CH, 0);
  AtelierImage  half    = test_image_new (CW, CH, 0);
  const int     mstride = CW + 5;
  float        *m       = g_new (float, mstride * CH);
  AtelierPlane  mask    = { CW, CH, mstride, m };
  int           x, y, k;

  for (y = 0; y < CH; y++)
    for (x = 0; x < mstride; x++)
      m[y * mstride + x] = x < CW / 2 ? 0.0f : (x < CW ? 1.0f : NAN);
  g_assert_cmpint (stylize_fx (fx, 2, &full), ==, ATELIER_OK);
  fx->params.mask = &mask;
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  for (y = 0; y < CH; y++)
    for (x = 0; x < CW / 2; x++)
      g_assert_cmpmem (test_pixel (&fx->out, x, y), 4 * sizeof (float),
                       test_pixel (&fx->content, x, y), 4 * sizeof (float));
  g_assert_cmpint (count_changed (&fx->out, &fx->content, CW / 2, CW), >,
                   CW / 2 * CH / 2);
  /* the mask does not change the synthesis: masked pixels are the
   * unmasked result */
  for (y = 0; y < CH; y++)
    for (x = CW / 2; x < CW; x++)
      g_assert_cmpmem (test_pixel (&fx->out, x, y), 4 * sizeof (float),
                       test_pixel (&full, x, y), 4 * sizeof (float));

  /* a half mask lands between the content and the full result */
  for (y = 0; y < CH; y++)
    for (x = CW / 2; x < CW; x++)
      m[y * mstride + x] = 0.5f;
  g_assert_cmpint (stylize_fx (fx, 2, &half), ==, ATELIER_OK);
  for (y = 0; y < CH; y++)
    for (x = CW / 2; x < CW; x++)
      for (k = 0; k < 3; k++)
        {
          float c = test_pixel (&fx->content, x, y)[k];
          float f = test_pixel (&full, x, y)[k];
          float h = test_pixel (&half, x, y)[k];

          g_assert_cmpfloat (h, >=, MIN (c, f) - 1e-6f);
          g_assert_cmpfloat (h, <=, MAX (c, f) + 1e-6f);
        }

  g_free (m);
  test_image_free (&full);
  test_image_free (&half);
}

static void
test_deterministic (Fixture       *fx,
                    gconstpointer  data)
{
  AtelierImage b = test_image_new (CW, CH, 0);

  fx->params.seed = 1234;
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  g_assert_cmpint (stylize_fx (fx, 2, &b), ==, ATELIER_OK);
  g_assert_cmpint (test_image_count_diff (&fx->out, &b), ==, 0);
  test_image_free (&b);
}

/* Same bits for any thread count: the work is split in fixed tiles. */
static void
test_threads (Fixture       *fx,
              gconstpointer  data)
{
  static const struct { int ctx_threads, param_threads; } runs[] = {
    { 1, 0 }, { 4, 1 }, { 4, 2 }, { 4, 0 }, { 3, 3 }
  };
  AtelierImage ref = test_image_new (CW, CH, 0);
  guint        i;

  fx->params.seed = 7;
  for (i = 0; i < G_N_ELEMENTS (runs); i++)
    {
      fx->params.n_threads = runs[i].param_threads;
      g_assert_cmpint (stylize_fx (fx, runs[i].ctx_threads,
                                   i == 0 ? &ref : &fx->out), ==, ATELIER_OK);
      if (i > 0)
        {
          int n = test_image_count_diff (&ref, &fx->out);

          g_test_message ("context %d threads, params %d: %d pixels differ",
                          runs[i].ctx_threads, runs[i].param_threads, n);
          g_assert_cmpint (n, ==, 0);
        }
    }
  test_image_free (&ref);
}

static void
test_seeds_differ (Fixture       *fx,
                   gconstpointer  data)
{
  AtelierImage b = test_image_new (CW, CH, 0);
  int          n;

  fx->params.seed = 1;
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  fx->params.seed = 2;
  g_assert_cmpint (stylize_fx (fx, 2, &b), ==, ATELIER_OK);
  n = test_image_count_diff (&fx->out, &b);
  g_test_message ("%d of %d pixels differ", n, CW * CH);
  g_assert_cmpint (n, >, CW * CH / 10);
  test_image_free (&b);
}

/* Row padding of every image is honoured: padded views of the same
 * pixels give the same result. */
static void
test_stride (Fixture       *fx,
             gconstpointer  data)
{
  AtelierImage pcontent = test_image_content (CW, CH, 5);
  AtelierImage pstyle   = test_image_style (SW, SH, 3);
  AtelierImage b        = test_image_new (CW, CH, 7);
  int          x, y;

  /* garbage in the padding must not matter */
  for (y = 0; y < CH; y++)
    for (x = 4 * CW; x < pcontent.stride; x++)
      pcontent.data[y * pcontent.stride + x] = NAN;
  for (y = 0; y < SH; y++)
    for (x = 4 * SW; x < pstyle.stride; x++)
      pstyle.data[y * pstyle.stride + x] = 1e30f;
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  g_assert_cmpint (stylize (2, &fx->params, &pcontent, &pstyle, &b), ==,
                   ATELIER_OK);
  g_assert_cmpint (test_image_count_diff (&fx->out, &b), ==, 0);
  test_image_free (&pcontent);
  test_image_free (&pstyle);
  test_image_free (&b);
}

static void
test_grey (Fixture       *fx,
           gconstpointer  data)
{
  int x, y;

  test_image_free (&fx->content);
  fx->content = test_image_grey (CW, CH);
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&fx->out));
  g_assert_cmpint (count_changed (&fx->out, &fx->content, 0, CW), >,
                   CW * CH / 2);

  /* grey content with preserve_colors stays exactly grey */
  fx->params.preserve_colors = true;
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&fx->out));
  for (y = 0; y < CH; y++)
    for (x = 0; x < CW; x++)
      {
        const float *p = test_pixel (&fx->out, x, y);

        g_assert_cmpfloat (p[0], ==, p[1]);
        g_assert_cmpfloat (p[1], ==, p[2]);
      }
  g_assert_cmpint (count_changed (&fx->out, &fx->content, 0, CW), >,
                   CW * CH / 4);
}

/* A grey or flat style (rank-deficient colour covariance) still works. */
static void
test_flat_style (Fixture       *fx,
                 gconstpointer  data)
{
  int x, y;

  /* every float of the unpadded style is set */
  for (y = 0; y < SH; y++)
    for (x = 0; x < SW; x++)
      {
        float *p = test_pixel (&fx->style, x, y);

        p[0] = 0.3f;
        p[1] = 0.6f;
        p[2] = 0.2f;
        p[3] = 1.0f;
      }
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&fx->out));
}

/* Colours outside 0..1 in the content still give an output in 0..1. */
static void
test_out_of_range (Fixture       *fx,
                   gconstpointer  data)
{
  int x, y;

  for (y = 0; y < CH; y += 3)
    for (x = 0; x < CW; x += 2)
      {
        float *p = test_pixel (&fx->content, x, y);

        p[0] = (x + y) % 4 == 0 ? 1.5f : -0.5f;
        p[2] = 40.0f;
      }
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&fx->out));
}

/* strength 0 keeps the content: steering blends by strength / 0.25
 * below 0.25, so the content's pixels come back exactly. */
static void
test_strength_zero (Fixture       *fx,
                    gconstpointer  data)
{
  AtelierImage low = test_image_new (CW, CH, 0);

  fx->params.strength = 0.0f;
  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  g_assert_cmpint (test_image_count_diff (&fx->out, &fx->content), ==, 0);

  /* a little strength changes a little */
  fx->params.strength = 0.05f;
  g_assert_cmpint (stylize_fx (fx, 2, &low), ==, ATELIER_OK);
  g_assert_cmpint (test_image_count_diff (&low, &fx->content), >, 0);
  g_assert_cmpfloat (test_image_max_rgb_diff (&low, &fx->content), <, 0.25);
  test_image_free (&low);
}

/* Odd sizes at the limits: 2x2 images, slivers, extreme style scales. */
typedef struct
{
  const char *name;
  int         cw, ch, sw, sh;
  float       style_scale;
} OddSize;

static const OddSize odd_sizes[] = {
  { "2x2",              2,   2,  2,  2, 1.0f },
  { "3x17-on-5x40",     3,  17,  5, 40, 1.0f },
  { "200x2-on-9x9",   200,   2,  9,  9, 1.0f },
  { "2x150-on-48x48",   2, 150, 48, 48, 1.0f },
  { "scale-4",         64,  48, 48, 48, 4.0f },
  { "scale-quarter",   64,  48, 48, 48, 0.25f },
  { "huge-style",      20,  12, 400, 300, 1.0f },
};

static void
test_odd_size (gconstpointer data)
{
  const OddSize *sz      = data;
  AtelierImage   content = test_image_content (sz->cw, sz->ch, 0);
  AtelierImage   style   = test_image_style (sz->sw, sz->sh, 0);
  AtelierImage   out     = test_image_new (sz->cw, sz->ch, 1);
  AtelierParams  params;

  preview_params (&params);
  params.style_scale = sz->style_scale;
  test_image_fill (&out, TEST_SENTINEL);
  g_assert_cmpint (stylize (2, &params, &content, &style, &out), ==,
                   ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&out));
  g_assert_true (test_image_padding_is (&out, TEST_SENTINEL));
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
}

/* ---- progress and cancel ---- */

typedef struct
{
  int      calls;
  int      cancel_at;    /* return false on this call (1-based), 0 never */
  GArray  *fractions;    /* NULL, or every fraction seen                 */
  GThread *thread;       /* the caller's                                 */
  gboolean other_thread; /* set if called on any other thread            */
} Progress;

static bool
progress_cb (float  fraction,
             void  *user_data)
{
  Progress *p = user_data;

  p->calls++;
  if (p->fractions)
    g_array_append_val (p->fractions, fraction);
  if (g_thread_self () != p->thread)
    p->other_thread = TRUE;
  return p->calls != p->cancel_at;
}

static void
check_cancel (int cancel_at)
{
  AtelierContext *ctx     = atelier_context_new (2);
  AtelierImage    content = test_image_content (PW, PH, 0);
  AtelierImage    style   = test_image_style (SW, SH, 0);
  AtelierImage    out     = test_image_new (PW, PH, 2);
  AtelierParams   params;
  Progress        p = { 0, cancel_at, NULL, g_thread_self (), FALSE };

  preview_params (&params);
  params.progress      = progress_cb;
  params.progress_data = &p;
  test_image_fill (&out, TEST_SENTINEL);
  g_assert_cmpint (atelier_stylize (ctx, &params, &content, &style, &out), ==,
                   ATELIER_CANCELLED);
  g_assert_cmpstr (atelier_context_error (ctx), !=, "");
  /* no call after the one that cancelled */
  g_assert_cmpint (p.calls, ==, cancel_at);
  g_assert_true (test_image_is_filled (&out, TEST_SENTINEL));

  /* the context is still usable */
  p.calls     = 0;
  p.cancel_at = 0;
  g_assert_cmpint (atelier_stylize (ctx, &params, &content, &style, &out), ==,
                   ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&out));
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
  atelier_context_free (ctx);
}

static void
test_cancel_second (void)
{
  check_cancel (2);
}

static void
test_cancel_first (void)
{
  check_cancel (1);
}

static void
test_progress (void)
{
  AtelierImage  content = test_image_content (PW, PH, 0);
  AtelierImage  style   = test_image_style (SW, SH, 0);
  AtelierImage  out     = test_image_new (PW, PH, 0);
  AtelierParams params;
  Progress      p = { 0, 0, g_array_new (FALSE, FALSE, sizeof (float)),
                      g_thread_self (), FALSE };
  guint         i;
  float         last;

  preview_params (&params);
  params.progress      = progress_cb;
  params.progress_data = &p;
  g_assert_cmpint (stylize (4, &params, &content, &style, &out), ==,
                   ATELIER_OK);
  g_assert_cmpuint (p.fractions->len, >=, 4);
  g_assert_false (p.other_thread);
  for (i = 0; i < p.fractions->len; i++)
    {
      float f = g_array_index (p.fractions, float, i);

      g_assert_true (isfinite (f));
      g_assert_cmpfloat (f, >=, 0.0f);
      g_assert_cmpfloat (f, <=, 1.0f);
      if (i > 0)
        g_assert_cmpfloat (f, >=, g_array_index (p.fractions, float, i - 1));
    }
  last = g_array_index (p.fractions, float, p.fractions->len - 1);
  g_assert_cmpfloat (last, ==, 1.0f);
  g_array_unref (p.fractions);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
}

/* ---- colours ---- */

/* mean | (R - G) - (R - G)content | + | (B - G) - (B - G)content | */
static double
chroma_error (const AtelierImage *a,
              const AtelierImage *content)
{
  double acc = 0.0;
  int    x, y;

  for (y = 0; y < a->height; y++)
    for (x = 0; x < a->width; x++)
      {
        const float *p = test_pixel (a, x, y), *c = test_pixel (content, x, y);

        acc += fabs ((double) (p[0] - p[1]) - (c[0] - c[1])) +
               fabs ((double) (p[2] - p[1]) - (c[2] - c[1]));
      }
  return acc / ((double) a->width * a->height);
}

static void
test_preserve_colors (Fixture       *fx,
                      gconstpointer  data)
{
  AtelierImage kept = test_image_new (CW, CH, 0);
  double       e_plain, e_kept;

  g_assert_cmpint (stylize_fx (fx, 2, &fx->out), ==, ATELIER_OK);
  fx->params.preserve_colors = true;
  g_assert_cmpint (stylize_fx (fx, 2, &kept), ==, ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&kept));
  e_plain = chroma_error (&fx->out, &fx->content);
  e_kept  = chroma_error (&kept, &fx->content);
  g_test_message ("chroma error: %.4f plain, %.4f preserved", e_plain, e_kept);
  g_assert_cmpfloat (e_kept, <, 0.2 * e_plain);
  g_assert_cmpfloat (e_kept, <, 0.02);
  /* the luminance still changed */
  g_assert_cmpint (count_changed (&kept, &fx->content, 0, CW), >, CW * CH / 2);
  test_image_free (&kept);
}

/* ---- the staged API ---- */

/* The content at working size, the way atelier_stylize makes it
 * (area averaging of all four channels). */
static AtelierImage
working_copy (const AtelierImage *content,
              int                 ww,
              int                 wh)
{
  AtelierFeat   src = { content->width, content->height, 4, content->data };
  AtelierFeat  *small;
  AtelierImage  work;

  g_assert_cmpint (content->stride, ==, 4 * content->width);
  small = atelier_feat_resize (&src, ww, wh);
  g_assert_nonnull (small);
  work = test_image_new (ww, wh, 0);
  memcpy (work.data, small->data, (gsize) ww * wh * 4 * sizeof (float));
  atelier_feat_free (small);
  return work;
}

static void
check_staged (gboolean with_mask)
{
  const int       w = 600, h = 80;
  static const int xs[] = { 0, 1, 130, 257, 384, 599, 600 };
  static const int ys[] = { 0, 37, 38, 80 };
  AtelierContext *ctx     = atelier_context_new (2);
  AtelierImage    content = test_image_content (w, h, 0);
  AtelierImage    style   = test_image_style (SW, SH, 0);
  AtelierImage    ref     = test_image_new (w, h, 0);
  AtelierImage    out     = test_image_new (w, h, 0);
  AtelierImage    work;
  float          *m       = g_new (float, w * h);
  AtelierPlane    mask    = { w, h, w, m };
  AtelierSynth   *synth   = NULL;
  AtelierParams   params;
  int             ww, wh, i, j, x, y, n_diff;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      m[y * w + x] = x < 50 ? 0.0f : (float) x / (w - 1);
  preview_params (&params);
  if (with_mask)
    params.mask = &mask;
  atelier_working_size (&params, w, h, &ww, &wh);
  g_assert_cmpint (ww, ==, 384);
  g_assert_cmpint (wh, ==, 51);
  test_image_fill (&out, TEST_SENTINEL);

  g_assert_cmpint (atelier_stylize (ctx, &params, &content, &style, &ref), ==,
                   ATELIER_OK);

  work = working_copy (&content, ww, wh);
  g_assert_cmpint (atelier_synth_new (ctx, &params, &work, w, h, &style,
                                      &synth), ==, ATELIER_OK);
  g_assert_nonnull (synth);
  /* irregular tiles, rendered out of order */
  for (j = G_N_ELEMENTS (ys) - 2; j >= 0; j--)
    for (i = 0; i + 1 < (int) G_N_ELEMENTS (xs); i++)
      {
        int          x0 = xs[i], y0 = ys[j];
        int          tw = xs[i + 1] - x0, th = ys[j + 1] - y0;
        AtelierImage ct = { tw, th, content.stride,
                            test_pixel (&content, x0, y0) };
        AtelierImage ot = { tw, th, out.stride, test_pixel (&out, x0, y0) };
        AtelierPlane mt = { tw, th, w, m + y0 * w + x0 };

        g_assert_cmpint (atelier_synth_render (ctx, synth, x0, y0, &ct,
                                               with_mask ? &mt : NULL, &ot),
                         ==, ATELIER_OK);
      }
  atelier_synth_free (synth);

  n_diff = test_image_count_diff (&ref, &out);
  g_test_message ("%d of %d pixels differ", n_diff, w * h);
  g_assert_cmpint (n_diff, ==, 0);
  g_assert_true (test_image_in_unit_range (&out));

  g_free (m);
  test_image_free (&work);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&ref);
  test_image_free (&out);
  atelier_context_free (ctx);
}

static void
test_staged (void)
{
  check_staged (FALSE);
}

static void
test_staged_mask (void)
{
  check_staged (TRUE);
}

static void
test_working_size (void)
{
  static const struct
  {
    AtelierQuality q;
    float          scale;
    int            w, h, ww, wh;
  } cases[] = {
    { ATELIER_QUALITY_PREVIEW, 1.0f,  600,   80, 384,  51 },
    { ATELIER_QUALITY_PREVIEW, 1.0f,   64,   48,  64,  48 },   /* as is */
    { ATELIER_QUALITY_PREVIEW, 1.0f,   80,  600,  51, 384 },
    { ATELIER_QUALITY_NORMAL,  1.0f, 4000, 3000, 768,  576 },
    { ATELIER_QUALITY_BEST,    1.0f, 4000, 3000, 2048, 1536 },
    { ATELIER_QUALITY_NORMAL,  2.0f, 4000, 3000, 384,  288 },  /* big strokes */
    { ATELIER_QUALITY_NORMAL,  0.5f, 4000, 3000, 768,  576 },
    { ATELIER_QUALITY_PREVIEW, 1.0f, 65536,   2, 384,   2 },   /* at least 2 */
    { ATELIER_QUALITY_PREVIEW, 1.0f,     2, 1000,   2, 384 },  /* not 1 x 384 */
    { ATELIER_QUALITY_BEST,    1.0f,  2048,   10, 2048,  10 },
  };
  AtelierParams params;
  guint         i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int ww = -1, wh = -1;

      atelier_params_init (&params);
      params.quality     = cases[i].q;
      params.style_scale = cases[i].scale;
      atelier_working_size (&params, cases[i].w, cases[i].h, &ww, &wh);
      g_assert_cmpint (ww, ==, cases[i].ww);
      g_assert_cmpint (wh, ==, cases[i].wh);
    }
}

/* The subject's extent, from a flatness channel (1 = clean backdrop) with a
 * block of subject (flatness 0) at a known place. */
static void
test_subject_extent (void)
{
  static const struct
  {
    const char *name;
    int         x0, y0, x1, y1;   /* the subject's block, end exclusive */
    gboolean    specks;           /* a few stray subject pixels as well */
    float       extent;
  } cases[] = {
    { "whole frame",   0,   0, 200, 100, FALSE, 1.0f },
    { "none",          0,   0,   0,   0, FALSE, 1.0f },
    { "quarter",      50,  25, 150,  75, FALSE, 0.5f / 0.98f },
    { "tall product", 80,   5, 120,  95, FALSE, 0.4329f },
    { "specks",       50,  25, 150,  75, TRUE,  0.5f / 0.98f },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtelierFeat *g = atelier_feat_new (200, 100, 2);
      int          x, y;

      g_assert_nonnull (g);
      for (y = 0; y < g->height; y++)
        for (x = 0; x < g->width; x++)
          {
            gboolean in = x >= cases[i].x0 && x < cases[i].x1 &&
                          y >= cases[i].y0 && y < cases[i].y1;

            atelier_feat_at (g, x, y)[0] = 0.5f;
            /* a backdrop's flatness is a little under 1 in practice */
            atelier_feat_at (g, x, y)[1] = in ? 0.0f : 0.96f;
          }
      if (cases[i].specks)
        {
          atelier_feat_at (g, 0, 0)[1] = 0.0f;
          atelier_feat_at (g, 199, 99)[1] = 0.0f;
          atelier_feat_at (g, 3, 97)[1] = 0.2f;
        }
      g_test_message ("%s", cases[i].name);
      g_assert_cmpfloat_with_epsilon (atelier_subject_extent (g, 1),
                                      cases[i].extent, 0.02);
      atelier_feat_free (g);
    }
}

/* The flatness guide: white backdrop around a striped ring.  With a gap in
 * the ring its white inside is backdrop too; closed, the inside is part of
 * the subject (a label's flat field) and must not be kept clean. */
static void
test_flatness_guide (void)
{
  static const struct
  {
    const char *name;
    gboolean    gap;
    float       inside_min, inside_max;
  } cases[] = {
    { "open ring",   TRUE,  0.9f, 1.0f },
    { "closed ring", FALSE, 0.0f, 0.05f },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtelierFeat *luma = atelier_feat_new (120, 80, 1);
      AtelierFeat *blurred, *g;
      int          x, y;

      g_assert_nonnull (luma);
      for (y = 0; y < luma->height; y++)
        for (x = 0; x < luma->width; x++)
          {
            gboolean ring = x >= 30 && x < 90 && y >= 10 && y < 70 &&
                            ! (x >= 38 && x < 82 && y >= 18 && y < 62);
            gboolean gap  = cases[i].gap && y >= 26 && y < 54 && x >= 82;

            atelier_feat_at (luma, x, y)[0] =
              ring && ! gap ? (float) ((x / 2 + y / 2) % 2) : 1.0f;
          }
      blurred = atelier_feat_copy (luma);
      g_assert_nonnull (blurred);
      g_assert_cmpint (atelier_feat_blur (blurred, 3.0f), ==, ATELIER_OK);
      g = atelier_flatness_guide (luma, blurred);
      g_assert_nonnull (g);
      g_test_message ("%s", cases[i].name);
      g_assert_cmpfloat (atelier_feat_at (g, 5, 5)[1], >, 0.9f);
      g_assert_cmpfloat (atelier_feat_at (g, 60, 40)[1], >=, cases[i].inside_min);
      g_assert_cmpfloat (atelier_feat_at (g, 60, 40)[1], <=, cases[i].inside_max);
      /* the ring itself is subject either way */
      g_assert_cmpfloat (atelier_feat_at (g, 33, 40)[1], <, 0.05f);
      atelier_feat_free (g);
      atelier_feat_free (blurred);
      atelier_feat_free (luma);
    }
}

/* Mean luma of img over [x0, x1) x [y0, y1). */
static double
mean_luma (const AtelierImage *img, int x0, int y0, int x1, int y1)
{
  double acc = 0.0;
  int    x, y;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++)
      acc += atelier_luma (test_pixel (img, x, y));
  return acc / ((double) (x1 - x0) * (y1 - y0));
}

/* A product keeps its tonal layout.  The style is black and white stripes:
 * every patch averages mid grey, so only the tone hold can give a dark
 * label a darker paint than the light body below it.  A product on a white
 * backdrop gets the hold; the same two fields filling the frame do not
 * (a scene's own light and shade are left to the painting). */
static void
test_product_tones (void)
{
  static const struct
  {
    const char *name;
    int         margin;      /* backdrop around the product, pixels */
    double      min_gap, max_gap;
  } cases[] = {
    { "product shot", 40, 0.3, 1.0 },
    { "full frame",    0, 0.0, 0.2 },
  };
  AtelierImage  style = test_image_new (SW, SH, 0);
  AtelierParams params;
  guint         i;
  int           x, y;

  for (y = 0; y < SH; y++)
    for (x = 0; x < SW; x++)
      {
        float *p = test_pixel (&style, x, y);

        p[0] = p[1] = p[2] = (x / 3) % 2 ? 0.95f : 0.05f;
        p[3] = 1.0f;
      }
  atelier_params_init (&params);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      int           m = cases[i].margin, w = 128, h = 128;
      AtelierImage  content = test_image_new (w, h, 0);
      AtelierImage  out     = test_image_new (w, h, 0);
      double        label, body;

      /* the product: a dark label over a light body */
      for (y = 0; y < h; y++)
        for (x = 0; x < w; x++)
          {
            float *p  = test_pixel (&content, x, y);
            gboolean in = x >= m && x < w - m && y >= m / 4 && y < h - m / 4;

            p[0] = p[1] = p[2] = ! in ? 1.0f : (y < h / 2 ? 0.1f : 0.75f);
            p[3] = 1.0f;
          }
      g_assert_cmpint (stylize (2, &params, &content, &style, &out), ==,
                       ATELIER_OK);
      label = mean_luma (&out, m + 4, h / 4, w - m - 4, h / 2 - 4);
      body  = mean_luma (&out, m + 4, h / 2 + 4, w - m - 4, 3 * h / 4);
      g_test_message ("%s: label %.3f, body %.3f", cases[i].name, label, body);
      g_assert_cmpfloat (body - label, >=, cases[i].min_gap);
      g_assert_cmpfloat (body - label, <=, cases[i].max_gap);
      test_image_free (&content);
      test_image_free (&out);
    }
  test_image_free (&style);
}

/* Share of img's luma variance finer than a 3-pixel blur: where a
 * fabric's print lies. */
static double
fine_share (const AtelierImage *img)
{
  int     w = img->width, h = img->height, x, y, dx, dy;
  double  sum = 0.0, sum2 = 0.0, fsum = 0.0, fsum2 = 0.0, n = 0.0;

  for (y = 3; y < h - 3; y++)
    for (x = 3; x < w - 3; x++)
      {
        double l = atelier_luma (test_pixel (img, x, y)), m = 0.0;

        for (dy = -3; dy <= 3; dy++)
          for (dx = -3; dx <= 3; dx++)
            m += atelier_luma (test_pixel (img, x + dx, y + dy)) / 49.0;
        sum += l; sum2 += l * l;
        fsum += l - m; fsum2 += (l - m) * (l - m);
        n += 1.0;
      }
  return (fsum2 / n - (fsum / n) * (fsum / n)) /
         (sum2 / n - (sum / n) * (sum / n));
}

/* A fabric's print does not show through the painting: the content is a
 * fine high-contrast print over a dress's light and shade, the style
 * strokes a few pixels wide.  The output has no more fine contrast than
 * the style itself (before spectrum matching it had: 0.085 against the
 * style's 0.071; now 0.058), far less than the print. */
static void
test_print_under_style (void)
{
  int           w = 192, h = 144, sw = 160, sh = 160, x, y;
  AtelierImage  content = test_image_new (w, h, 0);
  AtelierImage  style   = test_image_new (sw, sh, 0);
  AtelierImage  out     = test_image_new (w, h, 0);
  AtelierParams params;
  double        fc, fs, fo;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        float *p = test_pixel (&content, x, y);
        float  shade = 0.35f + 0.3f * x / w;
        float  print = ((x / 2 + y / 2) % 2 ? 0.12f : -0.12f);

        p[0] = shade + print;
        p[1] = 0.8f * shade + print;
        p[2] = 0.6f * shade + print;
        p[3] = 1.0f;
      }
  for (y = 0; y < sh; y++)
    for (x = 0; x < sw; x++)
      {
        float *p = test_pixel (&style, x, y);
        float  v = 0.5f + 0.25f * sinf (x / 3.0f + 0.6f * sinf (y / 5.0f)) +
                   0.1f * (test_noise (3, x / 2, y / 2) - 0.5f);

        p[0] = v; p[1] = 0.9f * v; p[2] = 0.5f + 0.3f * (v - 0.5f);
        p[3] = 1.0f;
      }
  atelier_params_init (&params);
  g_assert_cmpint (stylize (2, &params, &content, &style, &out), ==,
                   ATELIER_OK);
  fc = fine_share (&content);
  fs = fine_share (&style);
  fo = fine_share (&out);
  g_test_message ("fine share: print %.3f, style %.3f, output %.3f", fc, fs,
                  fo);
  g_assert_cmpfloat (fo, <, 0.2 * fc);
  g_assert_cmpfloat (fo, <=, fs);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
}

/* The output keeps the photo's tonal range (tone_map.c): a soft, light
 * photo after a painting of black and white strokes has the photo's luma
 * mean and deviation, with the strokes in them (without the tone map its
 * deviation was 0.185 against the photo's 0.056, its mean 0.50 against
 * 0.60). */
static void
test_photo_tones (void)
{
  int           w = 160, h = 120, sw = 128, sh = 128, x, y;
  AtelierImage  content = test_image_new (w, h, 0);
  AtelierImage  style   = test_image_new (sw, sh, 0);
  AtelierImage  out     = test_image_new (w, h, 0);
  AtelierParams params;
  double        cm, csd, om, osd, sm, ssd;

  for (y = 0; y < h; y++)
    for (x = 0; x < w; x++)
      {
        float *p = test_pixel (&content, x, y);
        float  d = hypotf (x - 0.4f * w, y - 0.5f * h) < 0.25f * h ? 0.12f : 0.0f;
        float  v = 0.5f + 0.15f * x / w + d;

        p[0] = v + 0.05f; p[1] = v; p[2] = v - 0.08f;
        p[3] = 1.0f;
      }
  for (y = 0; y < sh; y++)
    for (x = 0; x < sw; x++)
      {
        float *p = test_pixel (&style, x, y);

        p[0] = p[1] = p[2] = ((x + y / 2) / 4) % 2 ? 0.95f : 0.05f;
        p[3] = 1.0f;
      }
  atelier_params_init (&params);
  g_assert_cmpint (stylize (2, &params, &content, &style, &out), ==,
                   ATELIER_OK);
  test_luma_moments (&content, &cm, &csd);
  test_luma_moments (&style, &sm, &ssd);
  test_luma_moments (&out, &om, &osd);
  g_test_message ("luma mean / sd: photo %.3f / %.3f, style %.3f / %.3f, "
                  "output %.3f / %.3f", cm, csd, sm, ssd, om, osd);
  g_assert_cmpfloat (fabs (om - cm), <, 0.02);
  g_assert_cmpfloat (fabs (osd / csd - 1.0), <, 0.1);
  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&out);
}

/* Bad calls of the staged API fail cleanly. */
static void
test_staged_bad (void)
{
  AtelierContext *ctx     = atelier_context_new (2);
  AtelierImage    content = test_image_content (CW, CH, 0);
  AtelierImage    style   = test_image_style (SW, SH, 0);
  AtelierImage    tile    = test_image_new (16, 16, 0);
  AtelierImage    big     = test_image_new (CW + 1, CH, 0);
  AtelierImage    ct      = { 16, 16, content.stride, content.data };
  float           mdata[16 * 16] = { 0 };
  AtelierPlane    mask    = { 16, 15, 16, mdata };
  AtelierSynth   *synth   = (AtelierSynth *) &synth;
  AtelierParams   params;

  preview_params (&params);
  /* the full size may not be smaller than the working content */
  g_assert_cmpint (atelier_synth_new (ctx, &params, &content, CW - 1, CH,
                                      &style, &synth), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  g_assert_null (synth);
  params.strength = 2.0f;
  synth = (AtelierSynth *) &synth;
  g_assert_cmpint (atelier_synth_new (ctx, &params, &content, CW, CH,
                                      &style, &synth), ==,
                   ATELIER_ERR_INVALID_PARAM);
  g_assert_null (synth);
  params.strength = 0.7f;
  g_assert_cmpint (atelier_synth_new (ctx, &params, &content, CW, CH,
                                      &style, &synth), ==, ATELIER_OK);

  test_image_fill (&tile, TEST_SENTINEL);
  /* outside the full size */
  g_assert_cmpint (atelier_synth_render (ctx, synth, CW - 8, 0, &ct, NULL,
                                         &tile), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  g_assert_cmpint (atelier_synth_render (ctx, synth, -1, 0, &ct, NULL,
                                         &tile), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  /* tile and output of different sizes */
  g_assert_cmpint (atelier_synth_render (ctx, synth, 0, 0, &big, NULL,
                                         &tile), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  /* a mask of another size */
  g_assert_cmpint (atelier_synth_render (ctx, synth, 0, 0, &ct, &mask,
                                         &tile), ==,
                   ATELIER_ERR_INVALID_IMAGE);
  g_assert_true (test_image_is_filled (&tile, TEST_SENTINEL));
  /* and a good one */
  g_assert_cmpint (atelier_synth_render (ctx, synth, 8, 8, &ct, NULL, &tile),
                   ==, ATELIER_OK);
  g_assert_true (test_image_in_unit_range (&tile));
  atelier_synth_free (synth);
  atelier_synth_free (NULL);

  test_image_free (&content);
  test_image_free (&style);
  test_image_free (&tile);
  test_image_free (&big);
  atelier_context_free (ctx);
}

int
main (int    argc,
      char **argv)
{
  guint i;

  g_test_init (&argc, &argv, NULL);
  for (i = 0; i < G_N_ELEMENTS (bad_images); i++)
    test_add_case ("/engine/stylize/bad-image", bad_images[i].name, &bad_images[i], test_bad_image);
  add_fixture_test ("/engine/stylize/bad-mask", test_bad_mask);
  g_test_add_func ("/engine/stylize/success", test_success);
  g_test_add_func ("/engine/stylize/photo-tones", test_photo_tones);
  g_test_add_func ("/engine/stylize/print-under-style",
                   test_print_under_style);
  add_fixture_test ("/engine/stylize/alpha", test_alpha);
  add_fixture_test ("/engine/stylize/mask", test_mask);
  add_fixture_test ("/engine/stylize/deterministic", test_deterministic);
  add_fixture_test ("/engine/stylize/threads", test_threads);
  add_fixture_test ("/engine/stylize/seeds-differ", test_seeds_differ);
  add_fixture_test ("/engine/stylize/stride", test_stride);
  add_fixture_test ("/engine/stylize/grey", test_grey);
  add_fixture_test ("/engine/stylize/flat-style", test_flat_style);
  add_fixture_test ("/engine/stylize/out-of-range", test_out_of_range);
  add_fixture_test ("/engine/stylize/strength-zero", test_strength_zero);
  for (i = 0; i < G_N_ELEMENTS (odd_sizes); i++)
    test_add_case ("/engine/stylize/size", odd_sizes[i].name, &odd_sizes[i], test_odd_size);
  g_test_add_func ("/engine/stylize/cancel", test_cancel_second);
  g_test_add_func ("/engine/stylize/cancel-first", test_cancel_first);
  g_test_add_func ("/engine/stylize/progress", test_progress);
  add_fixture_test ("/engine/stylize/preserve-colors", test_preserve_colors);
  g_test_add_func ("/engine/stylize/working-size", test_working_size);
  g_test_add_func ("/engine/stylize/subject-extent", test_subject_extent);
  g_test_add_func ("/engine/stylize/flatness-guide", test_flatness_guide);
  g_test_add_func ("/engine/stylize/product-tones", test_product_tones);
  g_test_add_func ("/engine/stylize/staged", test_staged);
  g_test_add_func ("/engine/stylize/staged-mask", test_staged_mask);
  g_test_add_func ("/engine/stylize/staged-bad", test_staged_bad);
  return g_test_run ();
}
