/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Feature images: allocation, resizing, luma, blur, sampling. */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

AtelierFeat *
atelier_feat_new (int width,
                  int height,
                  int channels)
{
  AtelierFeat *f;
  size_t       n = (size_t) width * height * channels;

  if (width <= 0 || height <= 0 || channels <= 0)
    return NULL;
  f = malloc (sizeof *f);
  if (! f)
    return NULL;
  f->width    = width;
  f->height   = height;
  f->channels = channels;
  f->data     = calloc (n, sizeof (float));
  if (! f->data)
    {
      free (f);
      return NULL;
    }
  return f;
}

void
atelier_feat_free (AtelierFeat *f)
{
  if (! f)
    return;
  free (f->data);
  free (f);
}

AtelierFeat *
atelier_feat_copy (const AtelierFeat *f)
{
  AtelierFeat *c = atelier_feat_new (f->width, f->height, f->channels);

  if (c)
    memcpy (c->data, f->data,
            (size_t) f->width * f->height * f->channels * sizeof (float));
  return c;
}

AtelierStatus
atelier_size_check (AtelierContext *ctx,
                    int             width,
                    int             height,
                    const char     *what)
{
  if (width < ATELIER_MIN_SIZE || height < ATELIER_MIN_SIZE ||
      width > ATELIER_MAX_SIZE || height > ATELIER_MAX_SIZE)
    {
      atelier_set_error (ctx, "%s image is %dx%d; each side must be %d..%d "
                         "pixels", what, width, height,
                         ATELIER_MIN_SIZE, ATELIER_MAX_SIZE);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  return ATELIER_OK;
}

AtelierStatus
atelier_image_check (AtelierContext     *ctx,
                     const AtelierImage *img,
                     const char         *what)
{
  if (! img || ! img->data)
    {
      atelier_set_error (ctx, "%s image has no pixels", what);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (atelier_size_check (ctx, img->width, img->height, what) != ATELIER_OK)
    return ATELIER_ERR_INVALID_IMAGE;
  if (img->stride < 4 * img->width)
    {
      atelier_set_error (ctx, "%s image stride %d is less than 4 * width",
                         what, img->stride);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  return ATELIER_OK;
}

AtelierStatus
atelier_call_check (AtelierContext      *ctx,
                    const AtelierParams *params,
                    const AtelierImage  *content,
                    const AtelierImage  *out)
{
  AtelierStatus st;

  if ((st = atelier_params_validate (params, ctx)) != ATELIER_OK ||
      (st = atelier_image_check (ctx, content, "content")) != ATELIER_OK ||
      (st = atelier_image_check (ctx, out, "output")) != ATELIER_OK)
    return st;
  if (out->width != content->width || out->height != content->height)
    {
      atelier_set_error (ctx, "output is %dx%d but content is %dx%d",
                         out->width, out->height, content->width,
                         content->height);
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (out->data == content->data)
    {
      atelier_set_error (ctx, "output must not alias the content");
      return ATELIER_ERR_INVALID_IMAGE;
    }
  if (params->mask && (params->mask->width != content->width ||
                       params->mask->height != content->height))
    {
      atelier_set_error (ctx, "mask is %dx%d but content is %dx%d",
                         params->mask->width, params->mask->height,
                         content->width, content->height);
      return ATELIER_ERR_INVALID_PARAM;
    }
  return ATELIER_OK;
}

AtelierFeat *
atelier_feat_from_image (const AtelierImage *img)
{
  AtelierFeat *f = atelier_feat_new (img->width, img->height, 3);
  int          x, y;

  if (! f)
    return NULL;
  for (y = 0; y < img->height; y++)
    {
      const float *src = img->data + (size_t) y * img->stride;
      float       *dst = atelier_feat_at (f, 0, y);

      for (x = 0; x < img->width; x++)
        {
          dst[3 * x + 0] = atelier_clamp01 (src[4 * x + 0]);
          dst[3 * x + 1] = atelier_clamp01 (src[4 * x + 1]);
          dst[3 * x + 2] = atelier_clamp01 (src[4 * x + 2]);
        }
    }
  return f;
}

void
atelier_resample_axis (const float *src, int n_src, int src_step,
                       float *dst, int n_dst, int dst_step, int channels)
{
  float scale = (float) n_src / n_dst;
  int   i, c;

  for (i = 0; i < n_dst; i++)
    {
      float acc[16] = { 0 };
      float total   = 0.0f;

      if (scale <= 1.0f)
        {
          /* upsampling: linear interpolation between centres */
          float pos = (i + 0.5f) * scale - 0.5f;
          int   i0  = (int) floorf (pos);
          float t   = pos - i0;
          int   a   = i0 < 0 ? 0 : (i0 >= n_src ? n_src - 1 : i0);
          int   b   = i0 + 1 >= n_src ? n_src - 1 : (i0 + 1 < 0 ? 0 : i0 + 1);

          for (c = 0; c < channels; c++)
            dst[(size_t) i * dst_step + c] =
              (1.0f - t) * src[(size_t) a * src_step + c] +
              t * src[(size_t) b * src_step + c];
          continue;
        }
      {
        float lo = i * scale, hi = (i + 1) * scale;
        int   j;

        for (j = (int) lo; j < n_src && j < hi; j++)
          {
            float l = j > lo ? (float) j : lo;
            float h = j + 1 < hi ? (float) (j + 1) : hi;
            float w = h - l;

            for (c = 0; c < channels; c++)
              acc[c] += w * src[(size_t) j * src_step + c];
            total += w;
          }
        for (c = 0; c < channels; c++)
          dst[(size_t) i * dst_step + c] = acc[c] / total;
      }
    }
}

AtelierFeat *
atelier_feat_resize (const AtelierFeat *src,
                     int                width,
                     int                height)
{
  AtelierFeat *tmp, *dst;
  int          c = src->channels;
  int          x, y;

  if (c > 16)
    return NULL;
  tmp = atelier_feat_new (width, src->height, c);
  dst = atelier_feat_new (width, height, c);
  if (! tmp || ! dst)
    {
      atelier_feat_free (tmp);
      atelier_feat_free (dst);
      return NULL;
    }
  for (y = 0; y < src->height; y++)
    atelier_resample_axis (atelier_feat_at (src, 0, y), src->width, c,
                   atelier_feat_at (tmp, 0, y), width, c, c);
  for (x = 0; x < width; x++)
    atelier_resample_axis (atelier_feat_at (tmp, x, 0), src->height, width * c,
                   atelier_feat_at (dst, x, 0), height, width * c, c);
  atelier_feat_free (tmp);
  return dst;
}

AtelierFeat *
atelier_feat_luma (const AtelierFeat *rgb)
{
  AtelierFeat *l = atelier_feat_new (rgb->width, rgb->height, 1);
  size_t       i, n = (size_t) rgb->width * rgb->height;

  if (! l)
    return NULL;
  for (i = 0; i < n; i++)
    l->data[i] = atelier_luma (rgb->data + 3 * i);
  return l;
}

static void
blur_line (float *line, int n, int step, int channels, const float *k,
           int radius, float *tmp)
{
  int i, j, c;

  for (i = 0; i < n; i++)
    for (c = 0; c < channels; c++)
      tmp[(size_t) i * channels + c] = line[(size_t) i * step + c];
  for (i = 0; i < n; i++)
    for (c = 0; c < channels; c++)
      {
        float acc = 0.0f;

        for (j = -radius; j <= radius; j++)
          {
            int s = i + j < 0 ? 0 : (i + j >= n ? n - 1 : i + j);
            acc += k[j + radius] * tmp[(size_t) s * channels + c];
          }
        line[(size_t) i * step + c] = acc;
      }
}

AtelierStatus
atelier_feat_blur (AtelierFeat *f,
                   float        sigma)
{
  int           radius = (int) ceilf (3.0f * sigma);
  int           c      = f->channels;
  int           n_max  = f->width > f->height ? f->width : f->height;
  float        *k, *tmp;
  float         sum = 0.0f;
  int           i;
  AtelierStatus st = ATELIER_ERR_NO_MEMORY;

  if (sigma <= 0.0f)
    return ATELIER_OK;
  k   = malloc ((2 * radius + 1) * sizeof (float));
  tmp = malloc ((size_t) n_max * c * sizeof (float));
  if (! k || ! tmp)
    goto out;
  for (i = -radius; i <= radius; i++)
    sum += k[i + radius] = expf (-0.5f * i * i / (sigma * sigma));
  for (i = 0; i <= 2 * radius; i++)
    k[i] /= sum;
  for (i = 0; i < f->height; i++)
    blur_line (atelier_feat_at (f, 0, i), f->width, c, c, k, radius, tmp);
  for (i = 0; i < f->width; i++)
    blur_line (atelier_feat_at (f, i, 0), f->height, f->width * c, c, k,
               radius, tmp);
  st = ATELIER_OK;
out:
  free (k);
  free (tmp);
  return st;
}
