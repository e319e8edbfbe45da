#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A contact sheet of a trained network, rendered by Atelier's own CLI:
one row per style — the painting, then the network's result on each photo
(and, with --example, the example-based engine's beside it).

  sheet.py NET.atnet OUT.jpg [--photos P1,P2,...] [--size 256]
           [--styles a,b] [--example] [--atelier build/atelier]

Used to look at a run before it goes on (a number is not a picture) and to
make the README's contact sheet.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CONTENT = os.path.join(REPO, "../shared/data/content")
DEFAULT_PHOTOS = ["packaging_grocery_Alpro-Fresh-Soy-Milk.jpg",
                  "clothing_dress_3eeaf330.jpg", "st_golden_gate.jpg"]


def fit(im, side):
    """Centre-crop to a square, then side x side."""
    s = min(im.size)
    l, t = (im.size[0] - s) // 2, (im.size[1] - s) // 2
    return im.crop((l, t, l + s, t + s)).resize((side, side), Image.LANCZOS)


def run(cmd, env):
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        sys.exit("sheet.py: %s failed (%d): %s" % (cmd[0], r.returncode,
                                                  r.stderr.strip()))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("net")
    p.add_argument("out")
    p.add_argument("--photos", default=",".join(DEFAULT_PHOTOS))
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--styles", default="")
    p.add_argument("--example", action="store_true",
                   help="also the example-based engine after the painting")
    p.add_argument("--atelier", default=os.path.join(REPO, "build/atelier"))
    a = p.parse_args()

    sys.path.insert(0, HERE)
    import atnet
    table = {s["name"]: s for s in
             atnet.load_styles_table(os.path.join(HERE, "styles.json"))["styles"]}
    names = [s["name"] for s in atnet.read_atnet(a.net)[1]]
    if a.styles:
        names = [n for n in a.styles.split(",") if n in names]
    photos = [os.path.join(CONTENT, f) if not os.path.isabs(f) else f
              for f in a.photos.split(",")]

    side, pad = a.size, 4
    cols = 1 + len(photos) * (2 if a.example else 1)
    sheet = Image.new("RGB", (cols * (side + pad) + pad,
                              (len(names) + 1) * (side + pad) + pad), "white")
    with tempfile.TemporaryDirectory() as tmp:
        ins = []
        for i, ph in enumerate(photos):
            path = os.path.join(tmp, "in%d.png" % i)
            fit(Image.open(ph).convert("RGB"), side).save(path)
            ins.append(path)
            sheet.paste(Image.open(path),
                        (pad + (1 + i * (2 if a.example else 1)) * (side + pad), pad))
        # the network alone in the catalogue's first folder: its styles by name
        cat = os.path.join(tmp, "styles")
        os.mkdir(cat)
        os.symlink(os.path.abspath(a.net), os.path.join(cat, "net.atnet"))
        env = dict(os.environ, ATELIER_STYLE_PATH=cat)
        for r, name in enumerate(names):
            y = pad + (r + 1) * (side + pad)
            painting = os.path.normpath(os.path.join(REPO, table[name]["path"]))
            sheet.paste(fit(Image.open(painting).convert("RGB"), side), (pad, y))
            for i, path in enumerate(ins):
                out = os.path.join(tmp, "o.png")
                x = pad + (1 + i * (2 if a.example else 1)) * (side + pad)
                run([a.atelier, "stylize", "--quiet", "--strength", "1",
                     "--style", name, path, out], env)
                sheet.paste(Image.open(out), (x, y))
                if a.example:
                    run([a.atelier, "stylize", "--quiet", "--style", painting,
                         path, out], env)
                    sheet.paste(Image.open(out), (x + side + pad, y))
        d = ImageDraw.Draw(sheet)
        d.text((pad + 2, pad + 2), os.path.basename(a.net), fill="black")
    sheet.save(a.out, quality=90)
    print("sheet.py: %s (%d styles x %d photos)" % (a.out, len(names),
                                                     len(photos)))


if __name__ == "__main__":
    main()
