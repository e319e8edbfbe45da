#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a product shot for the backdrop tests: a textured box (seeded
coloured stripes and blobs) standing in the middle of a flat white
backdrop that reaches the frame's border on every side, as a packshot's
does.  With the backdrop on auto the white stays white; with it off the
whole frame is restyled.

  tests/product_image.py OUT.png [WIDTH HEIGHT]     (default 96 x 64)
"""
import random
import sys

from PIL import Image, ImageDraw


def product (width, height):
    im = Image.new ("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw (im)
    rnd = random.Random (7)
    x0, y0 = width // 3, height // 4
    x1, y1 = width - width // 3, height - height // 8
    for x in range (x0, x1):
        shade = 60 + (x - x0) * 120 // max (1, x1 - x0)
        draw.line ((x, y0, x, y1), fill=(shade, 40 + (x * 37) % 90, 160))
    for _ in range (12):
        cx, cy = rnd.randrange (x0, x1), rnd.randrange (y0, y1)
        r = rnd.randrange (2, max (3, (x1 - x0) // 6))
        draw.ellipse ((cx - r, cy - r, cx + r, cy + r),
                      fill=tuple (rnd.randrange (256) for _ in range (3)))
    return im


if __name__ == "__main__":
    if len (sys.argv) not in (2, 4):
        sys.exit (__doc__)
    size = (int (sys.argv[2]), int (sys.argv[3])) if len (sys.argv) == 4 \
        else (96, 64)
    product (*size).save (sys.argv[1])
