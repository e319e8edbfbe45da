/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests: PCA of patch descriptors, patch gathering, projection. */
#include "atelier.h"
#include "internal.h"

#include "test_util.h"

#include <math.h>
#include <string.h>

#define DIM 10
#define N   200

/* N samples mean + a u + b v: a 2-D affine subspace of R^DIM. */
static float *
plane_samples (void)
{
  float *s = g_new (float, N * DIM);
  int    i, j;

  for (i = 0; i < N; i++)
    {
      float a = 2.0f * test_noise (1, i, 0) - 1.0f;
      float b = 2.0f * test_noise (2, i, 0) - 1.0f;

      for (j = 0; j < DIM; j++)
        {
          float mean = 0.1f * j;
          float u    = test_noise (3, j, 0) - 0.5f;
          float v    = test_noise (4, j, 0) - 0.5f + 0.3f * u;

          s[i * DIM + j] = mean + a * u + b * v;
        }
    }
  return s;
}

static void
assert_orthonormal (const AtelierPca *pca)
{
  int i, j, k;

  for (i = 0; i < pca->n_comp; i++)
    for (j = 0; j < pca->n_comp; j++)
      {
        double dot = 0.0;

        for (k = 0; k < pca->dim; k++)
          dot += (double) pca->basis[i * pca->dim + k] *
                 pca->basis[j * pca->dim + k];
        g_assert_cmpfloat_with_epsilon (dot, i == j ? 1.0 : 0.0, 1e-5);
      }
}

static void
test_subspace (void)
{
  float      *s   = plane_samples ();
  float      *p   = g_new (float, N * 2);
  AtelierPca *pca = atelier_pca_new (s, N, DIM, 2);
  int         i, j, k;

  g_assert_nonnull (pca);
  g_assert_cmpint (pca->dim, ==, DIM);
  g_assert_cmpint (pca->n_comp, ==, 2);
  assert_orthonormal (pca);
  atelier_pca_project (pca, s, N, p);

  /* projection keeps pairwise distances ... */
  for (i = 0; i < N; i += 3)
    for (j = i + 1; j < N; j += 7)
      {
        double d_in = 0.0, d_out = 0.0;

        for (k = 0; k < DIM; k++)
          d_in += ((double) s[i * DIM + k] - s[j * DIM + k]) *
                  ((double) s[i * DIM + k] - s[j * DIM + k]);
        for (k = 0; k < 2; k++)
          d_out += ((double) p[i * 2 + k] - p[j * 2 + k]) *
                   ((double) p[i * 2 + k] - p[j * 2 + k]);
        g_assert_cmpfloat_with_epsilon (sqrt (d_out), sqrt (d_in), 1e-3);
      }
  /* ... and reconstructs every sample */
  for (i = 0; i < N; i++)
    for (k = 0; k < DIM; k++)
      {
        double r = pca->mean[k] + p[i * 2] * pca->basis[k] +
                   p[i * 2 + 1] * pca->basis[DIM + k];

        g_assert_cmpfloat_with_epsilon (r, s[i * DIM + k], 1e-3);
      }
  /* projections are centred */
  for (k = 0; k < 2; k++)
    {
      double m = 0.0;

      for (i = 0; i < N; i++)
        m += p[i * 2 + k] / N;
      g_assert_cmpfloat_with_epsilon (m, 0.0, 1e-4);
    }
  atelier_pca_free (pca);
  g_free (p);
  g_free (s);
}

/* Components come largest first, and each vector's sign is fixed (its
 * largest entry positive) so the basis does not depend on LAPACK. */
static void
test_order_sign (void)
{
  float      *s = g_new (float, N * 4);
  AtelierPca *pca;
  int         i, k;

  /* independent coordinates with standard deviations 0.1, 3, 1, 0.01 */
  for (i = 0; i < N; i++)
    {
      s[i * 4 + 0] = 0.1f * (test_noise (7, i, 0) - 0.5f);
      s[i * 4 + 1] = 3.0f * (test_noise (7, i, 1) - 0.5f);
      s[i * 4 + 2] = 1.0f * (test_noise (7, i, 2) - 0.5f);
      s[i * 4 + 3] = 0.01f * (test_noise (7, i, 3) - 0.5f);
    }
  pca = atelier_pca_new (s, N, 4, 4);
  g_assert_nonnull (pca);
  assert_orthonormal (pca);
  /* rows are (close to) e1, e2, e0, e3, all with a positive sign */
  g_assert_cmpfloat (pca->basis[0 * 4 + 1], >, 0.99f);
  g_assert_cmpfloat (pca->basis[1 * 4 + 2], >, 0.99f);
  g_assert_cmpfloat (pca->basis[2 * 4 + 0], >, 0.99f);
  g_assert_cmpfloat (pca->basis[3 * 4 + 3], >, 0.99f);
  for (i = 0; i < 4; i++)
    {
      float big = 0.0f;

      for (k = 0; k < 4; k++)
        if (fabsf (pca->basis[i * 4 + k]) > fabsf (big))
          big = pca->basis[i * 4 + k];
      g_assert_cmpfloat (big, >, 0.0f);
    }
  atelier_pca_free (pca);
  g_free (s);
}

static void
test_bad (void)
{
  float *s = plane_samples ();

  g_assert_null (atelier_pca_new (s, 1, DIM, 2));      /* too few samples */
  g_assert_null (atelier_pca_new (s, 0, DIM, 2));
  g_assert_null (atelier_pca_new (s, N, DIM, DIM + 1)); /* more than dim */
  atelier_pca_free (NULL);
  g_free (s);
}

/* ---- patch gathering ---- */

/* The feature image of test_gather: one pixel wider and two taller than
 * needed for a patch centred at (R + 1, R + 1) to fit inside, so every
 * row and column of that patch is an inner one and the corner patch is
 * clamped on two sides. */
#define GATHER_W (2 * ATELIER_PATCH_RADIUS + 3)
#define GATHER_H (2 * ATELIER_PATCH_RADIUS + 2)

static void
test_gather (void)
{
  const int    r    = ATELIER_PATCH_RADIUS;
  const int    cx   = r + 1, cy = r + 1;
  const float  w[2] = { 1.0f, 2.0f };
  AtelierFeat *f    = atelier_feat_new (GATHER_W, GATHER_H, 2);
  float        out[ATELIER_PATCH * ATELIER_PATCH * 2];
  int          x, y, dx, dy, k = 0;

  /* every pixel's value unique: GATHER_W < 100 */
  G_STATIC_ASSERT (GATHER_W < 100);
  for (y = 0; y < GATHER_H; y++)
    for (x = 0; x < GATHER_W; x++)
      {
        atelier_feat_at (f, x, y)[0] = (float) (100 * y + x);
        atelier_feat_at (f, x, y)[1] = (float) (-100 * y - x);
      }
  /* the patch at (cx, cy) lies inside the image */
  g_assert_cmpint (cx - r, >=, 0);
  g_assert_cmpint (cx + r, <=, GATHER_W - 1);
  g_assert_cmpint (cy - r, >=, 0);
  g_assert_cmpint (cy + r, <=, GATHER_H - 1);
  /* inside: row-major ATELIER_PATCH^2, channels interleaved, weighted */
  atelier_patch_gather (f, cx, cy, w, out);
  for (dy = -r; dy <= r; dy++)
    for (dx = -r; dx <= r; dx++, k += 2)
      {
        g_assert_cmpfloat (out[k], ==, 100 * (cy + dy) + cx + dx);
        g_assert_cmpfloat (out[k + 1], ==, 2.0f * (-100 * (cy + dy) - cx - dx));
      }
  g_assert_cmpint (k, ==, ATELIER_PATCH * ATELIER_PATCH * 2);
  /* at a corner the patch is clamped to the border */
  atelier_patch_gather (f, GATHER_W - 1, 0, w, out);
  k = 0;
  for (dy = -r; dy <= r; dy++)
    for (dx = -r; dx <= r; dx++, k += 2)
      {
        int xx = CLAMP (GATHER_W - 1 + dx, 0, GATHER_W - 1);
        int yy = CLAMP (dy, 0, GATHER_H - 1);

        g_assert_cmpfloat (out[k], ==, 100 * yy + xx);
        g_assert_cmpfloat (out[k + 1], ==, 2.0f * (-100 * yy - xx));
      }
  atelier_feat_free (f);
}

/* Projecting a whole image equals gathering and projecting each pixel,
 * and gives the same bits for any thread count. */
static void
test_project_image (void)
{
  const float     w[3] = { 1.0f, 0.5f, 2.0f };
  const int       fw = 30, fh = 21, n_comp = 12;
  const int       dim = ATELIER_PATCH * ATELIER_PATCH * 3;
  AtelierContext *ctx = atelier_context_new (4);
  AtelierFeat    *f   = atelier_feat_new (fw, fh, 3);
  float          *samples = g_new (float, fw * fh * dim);
  float          *ref     = g_new (float, fw * fh * n_comp);
  float          *out     = g_new (float, fw * fh * n_comp);
  float           one[12];
  AtelierPca     *pca;
  int             x, y, c, i;
  static const int threads[] = { 2, 3, 0 };

  for (y = 0; y < fh; y++)
    for (x = 0; x < fw; x++)
      for (c = 0; c < 3; c++)
        atelier_feat_at (f, x, y)[c] = test_noise (50 + c, x / 2, y) +
                                       0.2f * test_noise (60 + c, x, y);
  for (i = 0; i < fw * fh; i++)
    atelier_patch_gather (f, i % fw, i / fw, w, samples + i * dim);
  pca = atelier_pca_new (samples, fw * fh, dim, n_comp);
  g_assert_nonnull (pca);
  assert_orthonormal (pca);

  g_assert_cmpint (atelier_pca_project_image (ctx, 1, pca, f, w, ref), ==,
                   ATELIER_OK);
  for (i = 0; i < fw * fh; i++)
    {
      atelier_pca_project (pca, samples + i * dim, 1, one);
      for (c = 0; c < n_comp; c++)
        g_assert_cmpfloat_with_epsilon (ref[i * n_comp + c], one[c], 1e-4f);
    }
  for (i = 0; i < (int) G_N_ELEMENTS (threads); i++)
    {
      memset (out, 0, fw * fh * n_comp * sizeof (float));
      g_assert_cmpint (atelier_pca_project_image (ctx, threads[i], pca, f, w,
                                                  out), ==, ATELIER_OK);
      g_assert_cmpmem (out, fw * fh * n_comp * sizeof (float),
                       ref, fw * fh * n_comp * sizeof (float));
    }
  atelier_pca_free (pca);
  atelier_feat_free (f);
  g_free (samples);
  g_free (ref);
  g_free (out);
  atelier_context_free (ctx);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/engine/pca/subspace", test_subspace);
  g_test_add_func ("/engine/pca/order-sign", test_order_sign);
  g_test_add_func ("/engine/pca/bad", test_bad);
  g_test_add_func ("/engine/pca/gather", test_gather);
  g_test_add_func ("/engine/pca/project-image", test_project_image);
  return g_test_run ();
}
