#!/usr/bin/python3
"""seeds.py DIR: writes a seed corpus for fuzz_file_loader into DIR: small
PNG and JPEG files of the kinds the loaders meet (RGB, grey, palette, alpha,
interlaced; baseline, progressive, restart markers, CMYK), made here."""
import io, os, sys
from PIL import Image

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
base = Image.new('RGB', (16, 12))
base.putdata([(x * 16, y * 20, (x * y) % 256) for y in range(12) for x in range(16)])
variants = {
    'rgb.png': (base, 'PNG', {}),
    'grey.png': (base.convert('L'), 'PNG', {}),
    'palette.png': (base.convert('P'), 'PNG', {}),
    'alpha.png': (base.convert('RGBA'), 'PNG', {}),
    'interlaced.png': (base, 'PNG', {'interlace': 1}),
    'baseline.jpg': (base, 'JPEG', {'quality': 80}),
    'grey.jpg': (base.convert('L'), 'JPEG', {}),
    'progressive.jpg': (base, 'JPEG', {'progressive': True}),
    'optimised.jpg': (base, 'JPEG', {'optimize': True}),
    'cmyk.jpg': (base.convert('CMYK'), 'JPEG', {}),
}
for name, (im, fmt, opts) in variants.items():
    b = io.BytesIO()
    im.save(b, fmt, **opts)
    data = b.getvalue()
    if name == 'baseline.jpg':   # a restart marker after the frame header
        data = data.replace(b'\xff\xda', b'\xff\xdd\x00\x04\x00\x01\xff\xda', 1)
    with open(os.path.join(out, name), 'wb') as f:
        f.write(data)
with open(os.path.join(out, 'tiff'), 'wb') as f:
    f.write(b'II*\x00\x08\x00\x00\x00')
