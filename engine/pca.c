/* SPDX-License-Identifier: GPL-3.0-or-later */
/* PCA of patch descriptors.  A 7x7 patch of 5 channels is 245 numbers;
 * 16-24 principal components keep almost all of its variance, so
 * PatchMatch compares short vectors.  Covariance and projections are
 * sgemm/ssyrk calls; OpenBLAS runs single-threaded because our own workers
 * call it on fixed row blocks (same bits for any thread count).  The
 * eigenvectors come from LAPACK's ssyevr through LAPACKE, its standard C
 * interface (lapacke.h; OpenBLAS provides the LAPACK behind it). */
#include "internal.h"

#include <cblas.h>
#include <lapacke.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SAMPLES 12000
#define ROWS_PER_TASK 8

void
atelier_patch_gather (const AtelierFeat *f,
                      int                x,
                      int                y,
                      const float       *w,
                      float             *out)
{
  int c = f->channels, dx, dy, k;

  for (dy = -ATELIER_PATCH_RADIUS; dy <= ATELIER_PATCH_RADIUS; dy++)
    {
      int          yy  = y + dy < 0 ? 0 : (y + dy >= f->height ? f->height - 1 : y + dy);
      const float *row = atelier_feat_at (f, 0, yy);

      for (dx = -ATELIER_PATCH_RADIUS; dx <= ATELIER_PATCH_RADIUS; dx++)
        {
          int          xx = x + dx < 0 ? 0 : (x + dx >= f->width ? f->width - 1 : x + dx);
          const float *p  = row + (size_t) xx * c;

          for (k = 0; k < c; k++)
            *out++ = p[k] * w[k];
        }
    }
}

AtelierPca *
atelier_pca_new (const float *samples,
                 int          n,
                 int          dim,
                 int          n_comp)
{
  AtelierPca *pca = calloc (1, sizeof *pca);
  float      *centred = NULL, *cov = NULL, *w = NULL, *z = NULL;
  lapack_int *isuppz = NULL, il, iu, m = 0;
  int         i, j;
  bool        ok = false;

  if (! pca || n < 2 || dim < 1 || n_comp < 1 || n_comp > dim ||
      n_comp > ATELIER_PCA_MAX_COMP)
    goto out;
  pca->dim    = dim;
  pca->n_comp = n_comp;
  pca->mean   = calloc (dim, sizeof (float));
  pca->basis  = calloc ((size_t) n_comp * dim, sizeof (float));
  centred     = malloc ((size_t) n * dim * sizeof (float));
  cov         = calloc ((size_t) dim * dim, sizeof (float));
  w           = malloc (dim * sizeof (float));
  z           = malloc ((size_t) dim * n_comp * sizeof (float));
  isuppz      = malloc (2 * dim * sizeof *isuppz);
  if (! pca->mean || ! pca->basis || ! centred || ! cov || ! w || ! z ||
      ! isuppz)
    goto out;

  for (i = 0; i < n; i++)
    for (j = 0; j < dim; j++)
      pca->mean[j] += samples[(size_t) i * dim + j];
  for (j = 0; j < dim; j++)
    pca->mean[j] /= n;
  for (i = 0; i < n; i++)
    for (j = 0; j < dim; j++)
      centred[(size_t) i * dim + j] = samples[(size_t) i * dim + j] - pca->mean[j];

  /* cov (upper) = X^T X / n */
  cblas_ssyrk (CblasColMajor, CblasUpper, CblasNoTrans, dim, n,
               1.0f / n, centred, dim, 0.0f, cov, dim);

  /* the n_comp largest eigenpairs: indices dim-n_comp+1 .. dim (1-based) */
  il = dim - n_comp + 1;
  iu = dim;
  /* LAPACKE queries and allocates the workspace itself */
  if (LAPACKE_ssyevr (LAPACK_COL_MAJOR, 'V', 'I', 'U', dim, cov, dim,
                      0.0f, 0.0f, il, iu, 0.0f, &m, w, z, dim, isuppz) != 0
      || m != n_comp)
    goto out;

  /* ascending from LAPACK: store the largest first; fix each vector's sign
   * so the basis does not depend on LAPACK's internals */
  for (i = 0; i < n_comp; i++)
    {
      const float *v = z + (size_t) (n_comp - 1 - i) * dim;
      float        big = 0.0f, sign;

      for (j = 0; j < dim; j++)
        if (v[j] * v[j] > big * big)
          big = v[j];
      sign = big < 0.0f ? -1.0f : 1.0f;
      for (j = 0; j < dim; j++)
        pca->basis[(size_t) i * dim + j] = sign * v[j];
    }
  ok = true;

out:
  free (centred);
  free (cov);
  free (w);
  free (z);
  free (isuppz);
  if (! ok)
    {
      atelier_pca_free (pca);
      pca = NULL;
    }
  return pca;
}

void
atelier_pca_free (AtelierPca *pca)
{
  if (! pca)
    return;
  free (pca->mean);
  free (pca->basis);
  free (pca);
}

void
atelier_pca_project (const AtelierPca *pca,
                     const float      *in,
                     int               n,
                     float            *out)
{
  int i;

  /* out = in * basis^T - mean * basis^T: fold the mean into a bias row */
  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasTrans, n, pca->n_comp,
               pca->dim, 1.0f, in, pca->dim, pca->basis, pca->dim, 0.0f, out,
               pca->n_comp);
  {
    float bias[ATELIER_PCA_MAX_COMP];
    int   k, j;

    for (k = 0; k < pca->n_comp; k++)
      {
        double acc = 0.0;

        for (j = 0; j < pca->dim; j++)
          acc += (double) pca->mean[j] * pca->basis[(size_t) k * pca->dim + j];
        bias[k] = (float) acc;
      }
    for (i = 0; i < n; i++)
      for (k = 0; k < pca->n_comp; k++)
        out[(size_t) i * pca->n_comp + k] -= bias[k];
  }
}

typedef struct
{
  const AtelierPca  *pca;
  const AtelierFeat *f;
  const float       *weights;
  float             *out;
} ProjectJob;

/* Rows block * ROWS_PER_TASK.. of f, gathered into buf (a worker's
 * scratch: ROWS_PER_TASK rows of descriptors), then projected. */
static void
project_rows (int block, float *buf, void *data)
{
  const ProjectJob  *job = data;
  const AtelierFeat *f   = job->f;
  int   y0 = block * ROWS_PER_TASK;
  int   y1 = y0 + ROWS_PER_TASK < f->height ? y0 + ROWS_PER_TASK : f->height;
  int   n  = (y1 - y0) * f->width;
  int   x, y;

  for (y = y0; y < y1; y++)
    for (x = 0; x < f->width; x++)
      atelier_patch_gather (f, x, y, job->weights,
                            buf + ((size_t) (y - y0) * f->width + x) * job->pca->dim);
  atelier_pca_project (job->pca, buf, n,
                       job->out + (size_t) y0 * f->width * job->pca->n_comp);
}

AtelierStatus
atelier_pca_project_image (AtelierContext    *ctx,
                           int                n_threads,
                           const AtelierPca  *pca,
                           const AtelierFeat *f,
                           const float       *channel_weights,
                           float             *out)
{
  ProjectJob job = { pca, f, channel_weights, out };

  return atelier_parallel_for_scratch (ctx, n_threads,
                                       (f->height + ROWS_PER_TASK - 1) /
                                       ROWS_PER_TASK,
                                       (size_t) ROWS_PER_TASK * f->width *
                                       pca->dim, project_rows, &job);
}
