#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""seeds.py DIR: writes a seed corpus for fuzz_decode into DIR: small PNG,
JPEG, TIFF and WebP files of the kinds the decoders meet (RGB, grey,
palette, alpha, 16-bit, interlaced; baseline, progressive, restart markers,
CMYK; strips raw, LZW and deflate, CMYK, float; lossy, lossless), made
here."""
import io, os, sys
from PIL import Image, features

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
base = Image.new('RGB', (16, 12))
base.putdata([(x * 16, y * 20, (x * y) % 256) for y in range(12) for x in range(16)])
grey16 = Image.new('I;16', (16, 12))
grey16.putdata([x * 4000 + y * 300 for y in range(12) for x in range(16)])
rgba = base.convert('RGBA')
rgba.putalpha(Image.linear_gradient('L').resize((16, 12)))
floats = Image.new('F', (16, 12))
floats.putdata([x / 16.0 + y / 100.0 for y in range(12) for x in range(16)])
variants = {
    'rgb.png': (base, 'PNG', {}),
    'grey.png': (base.convert('L'), 'PNG', {}),
    'grey16.png': (grey16, 'PNG', {}),
    'palette.png': (base.convert('P'), 'PNG', {}),
    'alpha.png': (rgba, 'PNG', {}),
    'interlaced.png': (base, 'PNG', {'interlace': 1}),
    'baseline.jpg': (base, 'JPEG', {'quality': 80}),
    'grey.jpg': (base.convert('L'), 'JPEG', {}),
    'progressive.jpg': (base, 'JPEG', {'progressive': True}),
    'optimised.jpg': (base, 'JPEG', {'optimize': True}),
    'cmyk.jpg': (base.convert('CMYK'), 'JPEG', {}),
    'raw.tif': (base, 'TIFF', {}),
    'lzw.tif': (rgba, 'TIFF', {'compression': 'tiff_lzw'}),
    'deflate.tif': (base.convert('L'), 'TIFF', {'compression': 'tiff_adobe_deflate'}),
    'grey16.tif': (grey16, 'TIFF', {}),
    'float.tif': (floats, 'TIFF', {}),
    'cmyk.tif': (base.convert('CMYK'), 'TIFF', {}),
    'palette.tif': (base.convert('P'), 'TIFF', {}),
    'bilevel.tif': (base.convert('1'), 'TIFF', {'compression': 'group4'}),
    'jpeg.tif': (base, 'TIFF', {'compression': 'jpeg'}),
}
if features.check('webp'):
    variants.update({
        'lossy.webp': (base, 'WEBP', {'quality': 80}),
        'lossless.webp': (base, 'WEBP', {'lossless': True}),
        'alpha.webp': (rgba, 'WEBP', {}),
    })
for name, (im, fmt, opts) in variants.items():
    b = io.BytesIO()
    im.save(b, fmt, **opts)
    data = b.getvalue()
    if name == 'baseline.jpg':   # a restart marker after the frame header
        data = data.replace(b'\xff\xda', b'\xff\xdd\x00\x04\x00\x01\xff\xda', 1)
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
