/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: every allocation of a small run may fail, and the run says
 * so.  This binary is linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc,--wrap=pthread_create (Makefile): the engine's objects,
 * linked in statically, call the wrappers below, while glib's, OpenBLAS's
 * and libc's own calls (shared libraries) stay unwrapped.  Each run is
 * counted first, then repeated with its N-th allocation failing, for every
 * N: each must return ATELIER_ERR_NO_MEMORY with a message, the output
 * untouched, and (make check-asan) nothing leaked; after the sweep the run
 * gives the counted run's bits again.  The runs: atelier_stylize (one
 * level, and two levels from a downscaled copy), the staged synth_new and
 * synth_render, a colour transfer and a style network (untiled and tiled),
 * on a pool of 1 and of 2 threads; and the pool's creation itself. */
#include "atelier.h"
#include "internal.h"

#include "test_net.h"
#include "test_util.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define CW 48   /* content, as small as a run goes */
#define CH 40
#define SW 40   /* style */
#define SH 40
#define BW 400  /* content for two levels from a working copy: preview */
#define BH 30   /* works at 384 x 29, at style scale 0.25 on a small style */

/* ---- the allocator that fails on request ----
 *
 * Process-wide, as the linker's wrapping is: the counter is atomic because
 * the pool's workers would count too if they allocated. */

void *__real_malloc  (size_t size);
void *__real_calloc  (size_t n, size_t size);
void *__real_realloc (void *p, size_t size);
int   __real_pthread_create (pthread_t *thread, const pthread_attr_t *attr,
                             void *(*fn) (void *), void *arg);

static atomic_long alloc_calls;     /* allocations since the last reset */
static atomic_long alloc_fail_at;   /* the one that fails, 1-based; 0: none */
static atomic_long create_calls;    /* pthread_create likewise */
static atomic_long create_fail_at;

static bool
alloc_fails (void)
{
  long n = atomic_fetch_add (&alloc_calls, 1) + 1;

  return n == atomic_load (&alloc_fail_at);
}

void *
__wrap_malloc (size_t size)
{
  return alloc_fails () ? NULL : __real_malloc (size);
}

void *
__wrap_calloc (size_t n,
               size_t size)
{
  return alloc_fails () ? NULL : __real_calloc (n, size);
}

void *
__wrap_realloc (void   *p,
                size_t  size)
{
  return alloc_fails () ? NULL : __real_realloc (p, size);
}

int
__wrap_pthread_create (pthread_t            *thread,
                       const pthread_attr_t *attr,
                       void               *(*fn) (void *),
                       void                 *arg)
{
  long n = atomic_fetch_add (&create_calls, 1) + 1;

  if (n == atomic_load (&create_fail_at))
    return EAGAIN;
  return __real_pthread_create (thread, attr, fn, arg);
}

/* Counts from 0 again, the n-th allocation failing (0: none). */
static void
alloc_reset (long fail_at)
{
  atomic_store (&alloc_fail_at, fail_at);
  atomic_store (&alloc_calls, 0);
}

/* ---- the runs ---- */

typedef struct
{
  AtelierImage content, style, big;
  AtelierNet  *net;
} Inputs;

/* One call of the engine writing out (content-sized). */
typedef AtelierStatus (*RunFunc) (AtelierContext *ctx, const Inputs *in,
                                  AtelierImage *out);

typedef struct
{
  const char *name;
  RunFunc     run;
  gboolean    big;       /* out is the size of in->big, else in->content */
} Case;

static void
preview_params (AtelierParams *params)
{
  atelier_params_init (params);
  params->quality = ATELIER_QUALITY_PREVIEW;
}

static AtelierStatus
run_stylize (AtelierContext *ctx, const Inputs *in, AtelierImage *out)
{
  AtelierParams params;

  preview_params (&params);
  return atelier_stylize (ctx, &params, &in->content, &in->style, out);
}

/* a working copy, two levels (and so an upsampled field), a render at
 * 400/384 of the working size */
static AtelierStatus
run_stylize_levels (AtelierContext *ctx, const Inputs *in, AtelierImage *out)
{
  AtelierParams params;

  preview_params (&params);
  params.style_scale = 0.25f;
  return atelier_stylize (ctx, &params, &in->big, &in->style, out);
}

/* the staged calls: a synthesis at half size, then the render */
static AtelierStatus
run_staged (AtelierContext *ctx, const Inputs *in, AtelierImage *out)
{
  AtelierParams params;
  AtelierSynth *synth = NULL;
  AtelierImage  work  = test_image_content (CW / 2, CH / 2, 0);
  AtelierStatus st;

  preview_params (&params);
  st = atelier_synth_new (ctx, &params, &work, CW, CH, &in->style, &synth);
  if (st == ATELIER_OK)
    st = atelier_synth_render (ctx, synth, 0, 0, &in->content, NULL, out);
  else
    g_assert_null (synth);
  atelier_synth_free (synth);
  test_image_free (&work);
  return st;
}

static AtelierStatus
run_color_transfer (AtelierContext *ctx, const Inputs *in, AtelierImage *out)
{
  return atelier_color_transfer (ctx, &in->content, &in->style, 0.8f, true,
                                 out);
}

static AtelierStatus
run_net (AtelierContext *ctx, const Inputs *in, AtelierImage *out)
{
  AtelierParams params;

  atelier_params_init (&params);
  return atelier_net_stylize (ctx, &params, in->net, 1, &in->content, out);
}

/* the statistics pass, then tiles with a halo */
static AtelierStatus
run_net_tiled (AtelierContext *ctx, const Inputs *in, AtelierImage *out)
{
  static const AtelierNetLimits limits = { 16 * 16, 24 * 24, 16, false };
  AtelierParams                 params;

  atelier_params_init (&params);
  return atelier_net_stylize_limits (ctx, &params, in->net, 0, &in->content,
                                     out, &limits);
}

static const Case cases[] = {
  { "stylize",       run_stylize,        FALSE },
  { "stylize-levels", run_stylize_levels, TRUE },
  { "staged",        run_staged,         FALSE },
  { "color-transfer", run_color_transfer, FALSE },
  { "net",           run_net,            FALSE },
  { "net-tiled",     run_net_tiled,      FALSE },
};

/* ---- the sweep ---- */

typedef struct
{
  const Case *c;
  int         n_threads;
} Sweep;

/* Runs c on a fresh context of n_threads (made before the count starts),
 * the fail_at-th allocation failing; *calls: the allocations it made. */
static AtelierStatus
run_once (const Sweep *sw, const Inputs *in, long fail_at, AtelierImage *out,
          long *calls, char *error, size_t error_size)
{
  AtelierContext *ctx = atelier_context_new (sw->n_threads);
  AtelierStatus   st;

  g_assert_nonnull (ctx);
  g_assert_cmpint (atelier_context_threads (ctx), ==, sw->n_threads);
  test_image_fill (out, TEST_SENTINEL);
  alloc_reset (fail_at);
  st = sw->c->run (ctx, in, out);
  *calls = atomic_load (&alloc_calls);
  alloc_reset (0);
  g_strlcpy (error, atelier_context_error (ctx), error_size);
  atelier_context_free (ctx);
  return st;
}

static void
test_sweep (gconstpointer data)
{
  const Sweep *sw = data;
  Inputs       in;
  AtelierImage ref, out;
  char         error[512];
  long         n_allocs, calls, n;
  int          w = sw->c->big ? BW : CW, h = sw->c->big ? BH : CH;

  in.content = test_image_content (CW, CH, 0);
  in.style   = test_image_style (SW, SH, 0);
  in.big     = test_image_content (BW, BH, 0);
  in.net     = slim_net ();
  /* padded rows: the padding must stay untouched too */
  ref = test_image_new (w, h, 3);
  out = test_image_new (w, h, 3);

  g_assert_cmpint (run_once (sw, &in, 0, &ref, &n_allocs, error,
                             sizeof error), ==, ATELIER_OK);
  g_assert_cmpint (n_allocs, >, 0);
  g_assert_true (test_image_in_unit_range (&ref));
  g_test_message ("%s, %d threads: %ld allocations", sw->c->name,
                  sw->n_threads, n_allocs);

  for (n = 1; n <= n_allocs; n++)
    {
      AtelierStatus st = run_once (sw, &in, n, &out, &calls, error,
                                   sizeof error);

      if (st != ATELIER_ERR_NO_MEMORY || ! test_image_is_filled (&out,
                                                                 TEST_SENTINEL))
        g_test_message ("%s: allocation %ld of %ld failed: %s (%s), the "
                        "output %s", sw->c->name, n, n_allocs,
                        atelier_status_to_string (st), error,
                        test_image_is_filled (&out, TEST_SENTINEL) ?
                        "untouched" : "written");
      g_assert_cmpint (st, ==, ATELIER_ERR_NO_MEMORY);
      g_assert_true (test_image_is_filled (&out, TEST_SENTINEL));
      g_assert_cmpstr (error, !=, "");
      /* the failure happened where it was asked for */
      g_assert_cmpint (calls, >=, n);
    }

  /* nothing left over from a failed run changes the next */
  g_assert_cmpint (run_once (sw, &in, 0, &out, &calls, error, sizeof error),
                   ==, ATELIER_OK);
  g_assert_cmpint (calls, ==, n_allocs);
  g_assert_cmpint (test_image_count_diff (&ref, &out), ==, 0);

  atelier_net_free (in.net);
  test_image_free (&in.content);
  test_image_free (&in.style);
  test_image_free (&in.big);
  test_image_free (&ref);
  test_image_free (&out);
}

/* The pool's workers allocate nothing: a run counts the same allocations
 * on 1 and 2 threads, so the sweep fails the same ones. */
static void
test_workers_allocate_nothing (void)
{
  Inputs       in;
  AtelierImage out = test_image_new (CW, CH, 0);
  char         error[512];
  long         calls[2];
  gsize        i, t;

  in.content = test_image_content (CW, CH, 0);
  in.style   = test_image_style (SW, SH, 0);
  in.big     = test_image_content (BW, BH, 0);
  in.net     = slim_net ();
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      AtelierImage o = cases[i].big ? test_image_new (BW, BH, 0) : out;

      for (t = 0; t < 2; t++)
        {
          Sweep sw = { &cases[i], (int) t + 1 };

          g_assert_cmpint (run_once (&sw, &in, 0, &o, &calls[t], error,
                                     sizeof error), ==, ATELIER_OK);
        }
      g_assert_cmpint (calls[0], ==, calls[1]);
      if (cases[i].big)
        test_image_free (&o);
    }
  atelier_net_free (in.net);
  test_image_free (&in.content);
  test_image_free (&in.style);
  test_image_free (&in.big);
  test_image_free (&out);
}

/* A context that cannot have its memory or start a worker is NULL, with
 * the workers it started stopped. */
static void
test_context (void)
{
  AtelierContext *ctx;
  long            n, n_allocs;

  alloc_reset (0);
  ctx = atelier_context_new (4);
  n_allocs = atomic_load (&alloc_calls);
  g_assert_nonnull (ctx);
  g_assert_cmpint (atelier_context_threads (ctx), ==, 4);
  atelier_context_free (ctx);
  g_assert_cmpint (n_allocs, >, 0);
  for (n = 1; n <= n_allocs; n++)
    {
      alloc_reset (n);
      ctx = atelier_context_new (4);
      alloc_reset (0);
      g_assert_null (ctx);
    }
  /* workers 1, 2 and 3 of 4 */
  for (n = 1; n <= 3; n++)
    {
      atomic_store (&create_calls, 0);
      atomic_store (&create_fail_at, n);
      ctx = atelier_context_new (4);
      atomic_store (&create_fail_at, 0);
      g_assert_cmpint (atomic_load (&create_calls), ==, n);
      g_assert_null (ctx);
    }
}

int
main (int    argc,
      char **argv)
{
  static Sweep sweeps[2 * G_N_ELEMENTS (cases)];
  gsize        i, t;

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/alloc-fail/context", test_context);
  g_test_add_func ("/engine/alloc-fail/workers-allocate-nothing",
                   test_workers_allocate_nothing);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    for (t = 0; t < 2; t++)
      {
        Sweep *sw = &sweeps[2 * i + t];
        char  *path;

        *sw  = (Sweep) { &cases[i], (int) t + 1 };
        path = g_strdup_printf ("/engine/alloc-fail/%s/threads-%d",
                                cases[i].name, sw->n_threads);
        g_test_add_data_func (path, sw, test_sweep);
        g_free (path);
      }
  return g_test_run ();
}
