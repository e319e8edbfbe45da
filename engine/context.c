/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Context: the thread pool, the last error, parameters and status text. */
#include "internal.h"

#include <cblas.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_THREADS 256

/* A pool of persistent workers.  A job is (fn, data, n_tasks); workers and
 * the caller take task indices from a shared counter under the lock, so
 * which thread runs a task never changes what the task writes. */
struct AtelierContext
{
  char                 error[512];
  AtelierTranslateFunc translate;    /* the messages' formats, or NULL */
  void                *translate_data;
  int                  n_threads;
  pthread_t            threads[MAX_THREADS];
  int                  n_started;

  pthread_mutex_t      lock;
  pthread_cond_t       wake;
  pthread_cond_t       done;
  unsigned             generation;
  bool                 quit;

  AtelierTaskFunc      fn;
  void                *data;
  int                  n_tasks;
  int                  next_task;
  int                  n_active;   /* workers allowed to join the current job */
  int                  n_running;  /* tasks in flight                         */
};

const char *
atelier_status_to_string (AtelierStatus status)
{
  switch (status)
    {
    case ATELIER_OK:                return "success";
    case ATELIER_CANCELLED:         return "cancelled";
    case ATELIER_ERR_INVALID_PARAM: return "invalid parameter";
    case ATELIER_ERR_INVALID_IMAGE: return "invalid image";
    case ATELIER_ERR_NO_MEMORY:     return "out of memory";
    case ATELIER_ERR_IO:            return "input/output error";
    case ATELIER_ERR_FORMAT:        return "unsupported or corrupt file";
    }
  return "unknown status";
}

void
atelier_set_error (AtelierContext *ctx,
                   const char     *fmt,
                   ...)
{
  va_list ap;

  if (! ctx)
    return;
  if (ctx->translate)
    {
      const char *translated = ctx->translate (fmt, ctx->translate_data);

      if (translated)
        fmt = translated;
    }
  va_start (ap, fmt);
  vsnprintf (ctx->error, sizeof ctx->error, fmt, ap);
  va_end (ap);
}

void
atelier_context_set_translate (AtelierContext       *ctx,
                               AtelierTranslateFunc  fn,
                               void                 *data)
{
  if (! ctx)
    return;
  ctx->translate      = fn;
  ctx->translate_data = data;
}

const char *
atelier_context_error (const AtelierContext *ctx)
{
  return ctx ? ctx->error : "";
}

static int
take_task (AtelierContext *ctx)
{
  int task = -1;

  if (ctx->next_task < ctx->n_tasks)
    {
      task = ctx->next_task++;
      ctx->n_running++;
    }
  return task;
}

static void
run_tasks (AtelierContext *ctx)
{
  int task;

  while ((task = take_task (ctx)) >= 0)
    {
      AtelierTaskFunc fn   = ctx->fn;
      void           *data = ctx->data;

      pthread_mutex_unlock (&ctx->lock);
      fn (task, data);
      pthread_mutex_lock (&ctx->lock);
      if (--ctx->n_running == 0 && ctx->next_task >= ctx->n_tasks)
        pthread_cond_broadcast (&ctx->done);
    }
}

static void *
worker_main (void *arg)
{
  AtelierContext *ctx  = arg;
  unsigned        seen = 0;

  pthread_mutex_lock (&ctx->lock);
  for (;;)
    {
      while (! ctx->quit && seen == ctx->generation)
        pthread_cond_wait (&ctx->wake, &ctx->lock);
      if (ctx->quit)
        break;
      seen = ctx->generation;
      if (ctx->n_active > 0)
        {
          ctx->n_active--;
          run_tasks (ctx);
        }
    }
  pthread_mutex_unlock (&ctx->lock);
  return NULL;
}

AtelierContext *
atelier_context_new (int n_threads)
{
  AtelierContext *ctx;
  int             i;

  if (n_threads <= 0)
    {
      long n = sysconf (_SC_NPROCESSORS_ONLN);
      n_threads = n > 0 ? (int) n : 1;
    }
  if (n_threads > MAX_THREADS)
    n_threads = MAX_THREADS;

  /* Our workers call sgemm on fixed blocks; OpenBLAS's own threads would
   * nest under them and could change the order of its sums. */
  openblas_set_num_threads (1);

  ctx = calloc (1, sizeof *ctx);
  if (! ctx)
    return NULL;
  ctx->n_threads = n_threads;
  pthread_mutex_init (&ctx->lock, NULL);
  pthread_cond_init (&ctx->wake, NULL);
  pthread_cond_init (&ctx->done, NULL);

  /* The caller is worker 0.  A worker that cannot start fails the
   * context: a smaller pool would give the same bits, but a caller who
   * asked for n threads would get fewer without a word. */
  for (i = 1; i < n_threads; i++)
    {
      if (pthread_create (&ctx->threads[i], NULL, worker_main, ctx) != 0)
        {
          atelier_context_free (ctx);
          return NULL;
        }
      ctx->n_started = i;
    }
  return ctx;
}

void
atelier_context_free (AtelierContext *ctx)
{
  int i;

  if (! ctx)
    return;
  pthread_mutex_lock (&ctx->lock);
  ctx->quit = true;
  pthread_cond_broadcast (&ctx->wake);
  pthread_mutex_unlock (&ctx->lock);
  for (i = 1; i <= ctx->n_started; i++)
    pthread_join (ctx->threads[i], NULL);
  pthread_mutex_destroy (&ctx->lock);
  pthread_cond_destroy (&ctx->wake);
  pthread_cond_destroy (&ctx->done);
  free (ctx);
}

int
atelier_context_threads (const AtelierContext *ctx)
{
  return ctx->n_started + 1;
}

int
atelier_pool_workers (const AtelierContext *ctx,
                      int                   n_threads,
                      int                   n_items)
{
  int n = atelier_context_threads (ctx);

  n = n_threads > 0 && n_threads < n ? n_threads : n;
  return n > n_items ? n_items : n;
}

void
atelier_parallel_for (AtelierContext  *ctx,
                      int              n_threads,
                      int              n_tasks,
                      AtelierTaskFunc  fn,
                      void            *data)
{
  int helpers = atelier_context_threads (ctx) - 1;
  int i;

  if (n_threads > 0 && n_threads - 1 < helpers)
    helpers = n_threads - 1;
  if (helpers > n_tasks - 1)
    helpers = n_tasks - 1;
  if (helpers <= 0)
    {
      for (i = 0; i < n_tasks; i++)
        fn (i, data);
      return;
    }

  pthread_mutex_lock (&ctx->lock);
  ctx->fn        = fn;
  ctx->data      = data;
  ctx->n_tasks   = n_tasks;
  ctx->next_task = 0;
  ctx->n_running = 0;
  ctx->n_active  = helpers;
  ctx->generation++;
  pthread_cond_broadcast (&ctx->wake);
  run_tasks (ctx);
  while (ctx->n_running > 0 || ctx->next_task < ctx->n_tasks)
    pthread_cond_wait (&ctx->done, &ctx->lock);
  ctx->n_active = 0;
  ctx->fn       = NULL;
  pthread_mutex_unlock (&ctx->lock);
}

typedef struct
{
  AtelierItemFunc fn;
  void           *data;
  float          *scratch;
  size_t          scratch_floats;   /* a worker's */
  int             n_items;
  atomic_int      next_item;
} ScratchJob;

/* One worker: items in its own scratch until none is left. */
static void
scratch_worker (int worker, void *data)
{
  ScratchJob *job     = data;
  float      *scratch = job->scratch + (size_t) worker * job->scratch_floats;
  int         item;

  while ((item = atomic_fetch_add (&job->next_item, 1)) < job->n_items)
    job->fn (item, scratch, job->data);
}

AtelierStatus
atelier_parallel_for_scratch (AtelierContext  *ctx,
                              int              n_threads,
                              int              n_items,
                              size_t           scratch_floats,
                              AtelierItemFunc  fn,
                              void            *data)
{
  ScratchJob job = { .fn = fn, .data = data,
                     .scratch_floats = scratch_floats, .n_items = n_items };
  int        n_workers;

  if (n_items <= 0)
    return ATELIER_OK;
  n_workers   = atelier_pool_workers (ctx, n_threads, n_items);
  /* + 1: malloc (0) may be NULL */
  job.scratch = malloc ((scratch_floats * n_workers + 1) * sizeof (float));
  if (! job.scratch)
    return ATELIER_ERR_NO_MEMORY;
  atomic_init (&job.next_item, 0);
  atelier_parallel_for (ctx, n_workers, n_workers, scratch_worker, &job);
  free (job.scratch);
  return ATELIER_OK;
}

void
atelier_params_init (AtelierParams *params)
{
  memset (params, 0, sizeof *params);
  params->strength        = 0.7f;
  params->style_scale     = 1.0f;
  params->quality         = ATELIER_QUALITY_NORMAL;
  params->preserve_colors = false;
  params->seed            = 1;
  params->n_threads       = 0;
  params->mask            = NULL;
  params->progress        = NULL;
  params->progress_data   = NULL;
  params->work_scale      = 0.0f;
  params->backdrop        = ATELIER_BACKDROP_AUTO;
}

static bool
in_range (float v, float lo, float hi)
{
  return isfinite (v) && v >= lo && v <= hi;
}

AtelierStatus
atelier_params_validate (const AtelierParams *params,
                         AtelierContext      *ctx)
{
  if (! params)
    {
      atelier_set_error (ctx, "params is NULL");
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (! in_range (params->strength, 0.0f, 1.0f))
    {
      atelier_set_error (ctx, "strength %g is outside 0..1",
                         (double) params->strength);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (! in_range (params->style_scale, 0.25f, 4.0f))
    {
      atelier_set_error (ctx, "style_scale %g is outside 0.25..4",
                         (double) params->style_scale);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if ((int) params->quality < ATELIER_QUALITY_PREVIEW ||
      (int) params->quality > ATELIER_QUALITY_BEST)
    {
      atelier_set_error (ctx, "quality %d is not preview (0), normal (1) "
                         "or best (2)", (int) params->quality);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if ((int) params->backdrop < ATELIER_BACKDROP_AUTO ||
      (int) params->backdrop > ATELIER_BACKDROP_OFF)
    {
      atelier_set_error (ctx, "backdrop %d is not auto (0) or off (1)",
                         (int) params->backdrop);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (! in_range (params->work_scale, 0.0f, 16.0f))
    {
      atelier_set_error (ctx, "work_scale %g is outside 0..16",
                         (double) params->work_scale);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (params->n_threads < 0 || params->n_threads > MAX_THREADS)
    {
      atelier_set_error (ctx, "n_threads %d is outside 0..%d",
                         params->n_threads, MAX_THREADS);
      return ATELIER_ERR_INVALID_PARAM;
    }
  if (params->mask && (! params->mask->data || params->mask->width <= 0 ||
                       params->mask->height <= 0 ||
                       params->mask->stride < params->mask->width))
    {
      atelier_set_error (ctx, "mask has no data or a bad size or stride");
      return ATELIER_ERR_INVALID_PARAM;
    }
  return ATELIER_OK;
}
