/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the unit tests: tiny images made in code, sentinels,
 * bit-exact comparison.  Header-only (static inline), so every test binary
 * stays one .c file. */
#ifndef ATELIER_TEST_UTIL_H
#define ATELIER_TEST_UTIL_H

#include "atelier.h"

#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* A value no engine output can take (outputs are clamped to 0..1): an
 * untouched output buffer still holds it bit for bit. */
#define TEST_SENTINEL (-7.25f)

/* ---- deterministic noise ---- */

static inline uint32_t
test_hash (uint32_t a,
           uint32_t b)
{
  uint32_t h = a * 0x9E3779B1u ^ (b + 0x7F4A7C15u);

  h ^= h >> 16;
  h *= 0x7FEB352Du;
  h ^= h >> 15;
  h *= 0x846CA68Bu;
  h ^= h >> 16;
  return h;
}

/* Uniform in [0, 1), a pure function of (seed, x, y). */
static inline float
test_noise (uint32_t seed,
            int      x,
            int      y)
{
  uint32_t h = test_hash (test_hash (seed, (uint32_t) x), (uint32_t) y);

  return (float) (h >> 8) / 16777216.0f;
}

/* ---- images ---- */

/* A zeroed width x height image whose rows are pad floats longer than
 * needed (stride = 4 * width + pad). */
static inline AtelierImage
test_image_new (int width,
                int height,
                int pad)
{
  AtelierImage img;

  img.width  = width;
  img.height = height;
  img.stride = 4 * width + pad;
  img.data   = g_new0 (float, (gsize) img.stride * MAX (height, 1));
  return img;
}

static inline void
test_image_free (AtelierImage *img)
{
  g_free (img->data);
  img->data = NULL;
}

static inline float *
test_pixel (const AtelierImage *img,
            int                 x,
            int                 y)
{
  return img->data + (gsize) y * img->stride + 4 * (gsize) x;
}

/* Sets every float of the buffer, row padding included. */
static inline void
test_image_fill (AtelierImage *img,
                 float         value)
{
  gsize i, n = (gsize) img->stride * img->height;

  for (i = 0; i < n; i++)
    img->data[i] = value;
}

/* TRUE when every float of the buffer (padding included) is value, bit
 * for bit. */
static inline gboolean
test_image_is_filled (const AtelierImage *img,
                      float               value)
{
  gsize i, n = (gsize) img->stride * img->height;

  for (i = 0; i < n; i++)
    if (memcmp (&img->data[i], &value, sizeof value) != 0)
      return FALSE;
  return TRUE;
}

/* TRUE when the row padding (floats past 4 * width) is still value. */
static inline gboolean
test_image_padding_is (const AtelierImage *img,
                       float               value)
{
  int x, y;

  for (y = 0; y < img->height; y++)
    for (x = 4 * img->width; x < img->stride; x++)
      if (memcmp (&img->data[(gsize) y * img->stride + x], &value,
                  sizeof value) != 0)
        return FALSE;
  return TRUE;
}

/* A copy with the same size and stride. */
static inline AtelierImage
test_image_copy (const AtelierImage *src)
{
  AtelierImage img  = *src;
  gsize        size = (gsize) src->stride * src->height * sizeof (float);

  img.data = g_malloc (size);
  memcpy (img.data, src->data, size);
  return img;
}

/* Number of pixels whose four channels differ in any bit (same size
 * required; strides may differ). */
static inline int
test_image_count_diff (const AtelierImage *a,
                       const AtelierImage *b)
{
  int x, y, n = 0;

  g_assert_cmpint (a->width, ==, b->width);
  g_assert_cmpint (a->height, ==, b->height);
  for (y = 0; y < a->height; y++)
    for (x = 0; x < a->width; x++)
      if (memcmp (test_pixel (a, x, y), test_pixel (b, x, y),
                  4 * sizeof (float)) != 0)
        n++;
  return n;
}

/* Largest absolute difference over RGB. */
static inline double
test_image_max_rgb_diff (const AtelierImage *a,
                         const AtelierImage *b)
{
  double m = 0.0;
  int    x, y, k;

  for (y = 0; y < a->height; y++)
    for (x = 0; x < a->width; x++)
      for (k = 0; k < 3; k++)
        m = MAX (m, fabs ((double) test_pixel (a, x, y)[k] -
                          test_pixel (b, x, y)[k]));
  return m;
}

/* TRUE when every channel of every pixel is finite and within 0..1. */
static inline gboolean
test_image_in_unit_range (const AtelierImage *img)
{
  int x, y, k;

  for (y = 0; y < img->height; y++)
    for (x = 0; x < img->width; x++)
      for (k = 0; k < 4; k++)
        {
          float v = test_pixel (img, x, y)[k];

          if (! isfinite (v) || v < 0.0f || v > 1.0f)
            return FALSE;
        }
  return TRUE;
}

/* Content-like test image: smooth gradients, a disc and a bar, so there is
 * structure for the guide to keep; alpha is a deterministic pattern. */
static inline AtelierImage
test_image_content (int width,
                    int height,
                    int pad)
{
  AtelierImage img = test_image_new (width, height, pad);
  float        cx  = 0.6f * width, cy = 0.45f * height;
  float        rad = 0.25f * MIN (width, height);
  int          x, y;

  test_image_fill (&img, 0.0f);
  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        float *p  = test_pixel (&img, x, y);
        float  fx = (float) x / MAX (width - 1, 1);
        float  fy = (float) y / MAX (height - 1, 1);
        float  dx = x - cx, dy = y - cy;

        p[0] = 0.15f + 0.7f * fx;
        p[1] = 0.2f + 0.6f * fy;
        p[2] = 0.5f + 0.3f * sinf (0.3f * x + 0.2f * y);
        if (dx * dx + dy * dy < rad * rad)
          {
            p[0] = 0.9f;
            p[1] = 0.85f;
            p[2] = 0.2f;
          }
        else if (x > width / 8 && x < width / 3 && y > height / 2)
          {
            p[0] = 0.1f;
            p[1] = 0.1f + 0.1f * fy;
            p[2] = 0.3f;
          }
        p[3] = 0.25f + 0.25f * ((x * 7 + y * 3) % 4);
      }
  return img;
}

/* Style-like test image: diagonal two-colour stripes over a checker, with
 * a little noise so patches are distinguishable. */
static inline AtelierImage
test_image_style (int width,
                  int height,
                  int pad)
{
  AtelierImage img = test_image_new (width, height, pad);
  int          x, y;

  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        float   *p      = test_pixel (&img, x, y);
        gboolean stripe = ((x + y) / 5) % 2 == 0;
        gboolean check  = ((x / 12) + (y / 12)) % 2 == 0;
        float    n      = 0.1f * test_noise (99, x, y);

        p[0] = (stripe ? 0.8f : 0.15f) + n;
        p[1] = (check ? 0.3f : 0.55f) + 0.5f * n;
        p[2] = (stripe ? 0.2f : 0.75f) - n;
        p[3] = 1.0f;
      }
  return img;
}

/* Grey content: R = G = B. */
static inline AtelierImage
test_image_grey (int width,
                 int height)
{
  AtelierImage img = test_image_content (width, height, 0);
  int          x, y;

  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        float *p = test_pixel (&img, x, y);
        float  l = 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];

        p[0] = p[1] = p[2] = l;
        p[3] = 1.0f;
      }
  return img;
}

/* Uniformly random RGB in lo..hi, alpha 1. */
static inline AtelierImage
test_image_noise (int      width,
                  int      height,
                  uint32_t seed,
                  float    lo,
                  float    hi)
{
  AtelierImage img = test_image_new (width, height, 0);
  int          x, y, k;

  for (y = 0; y < height; y++)
    for (x = 0; x < width; x++)
      {
        float *p = test_pixel (&img, x, y);

        for (k = 0; k < 3; k++)
          p[k] = lo + (hi - lo) * test_noise (seed + (uint32_t) k, x, y);
        p[3] = 1.0f;
      }
  return img;
}

/* ---- registration ---- */

/* Registers fn on data as the test "<dir>/<name>": one case of a table. */
static inline void
test_add_case (const char    *dir,
               const char    *name,
               gconstpointer  data,
               GTestDataFunc  fn)
{
  char *path = g_strdup_printf ("%s/%s", dir, name);

  g_test_add_data_func (path, data, fn);
  g_free (path);
}

/* Luma mean and standard deviation of img, computed here rather than by
 * the engine's own function (which the tone map uses). */
static inline void
test_luma_moments (const AtelierImage *img, double *mean, double *sd)
{
  double sum = 0.0, sum2 = 0.0, n = (double) img->width * img->height;
  int    x, y;

  for (y = 0; y < img->height; y++)
    for (x = 0; x < img->width; x++)
      {
        const float *p = test_pixel (img, x, y);
        double       l = 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2];

        sum += l;
        sum2 += l * l;
      }
  *mean = sum / n;
  *sd   = sqrt (sum2 / n - *mean * *mean);
}

#endif /* ATELIER_TEST_UTIL_H */
