#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The adversarial term's ablation: two runs of the same style, seed, data
order and iterations, one with the PatchGAN and one without, compared on
every photo in ../shared/data/content (style-score at 512, medians) and
side by side on a few.

  ablation.py WITH.pt WITHOUT.pt STYLE OUT.jpg [--photos N] [--side 512]

Prints a Markdown table; OUT.jpg has one row per shown photo: the photo,
with the adversarial term, without it.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile

from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.normpath(os.path.join(REPO, "..", "shared", "data"))
SHOWN = ["packaging_grocery_Alpro-Fresh-Soy-Milk.jpg",
         "clothing_dress_3eeaf330.jpg", "st_golden_gate.jpg"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("with_adv")
    ap.add_argument("without_adv")
    ap.add_argument("style")
    ap.add_argument("out")
    ap.add_argument("--side", type=int, default=512)
    ap.add_argument("--atelier", default=os.path.join(REPO, "build", "atelier"))
    a = ap.parse_args()
    sys.path.insert(0, HERE)
    sys.path.insert(0, os.path.join(REPO, "bench"))
    import atnet
    from styles_bench import load_scorer
    table = {s["name"]: s for s in
             atnet.load_styles_table(os.path.join(HERE, "styles.json"))["styles"]}
    painting = os.path.normpath(os.path.join(REPO, table[a.style]["path"]))
    scorer = load_scorer()
    weights = scorer.load_weights()
    photos = sorted(os.listdir(os.path.join(DATA, "content")))
    figs = {"with": [], "without": []}
    shown = {}
    with tempfile.TemporaryDirectory() as tmp:
        style_png = os.path.join(tmp, "style.png")
        im = Image.open(painting).convert("RGB")
        s = a.side / max(im.size)
        im.resize((round(im.size[0] * s), round(im.size[1] * s)),
                  Image.LANCZOS).save(style_png)
        nets = {}
        for k, ck in (("with", a.with_adv), ("without", a.without_adv)):
            nets[k] = os.path.join(tmp, k + ".atnet")
            subprocess.run([sys.executable, os.path.join(HERE, "export.py"),
                            ck, nets[k], "--styles", a.style], check=True,
                           capture_output=True)
        for ph in photos:
            im = Image.open(os.path.join(DATA, "content", ph)).convert("RGB")
            s = a.side / max(im.size)
            c = os.path.join(tmp, "c.png")
            im.resize((round(im.size[0] * s), round(im.size[1] * s)),
                      Image.LANCZOS).save(c)
            for k in figs:
                o = os.path.join(tmp, "%s-%s.png" % (k, ph))
                subprocess.run([a.atelier, "stylize", "--quiet", "--strength",
                                "1", "--style", nets[k], c, o], check=True)
                r = scorer.score(c, style_png, o, size=a.side, weights=weights)
                figs[k].append(r)
                if ph in SHOWN:
                    shown.setdefault(ph, [Image.open(c).copy()]).append(
                        Image.open(o).copy())
        side = 256
        rows = [shown[p] for p in SHOWN if p in shown]
        sheet = Image.new("RGB", (3 * (side + 4) + 4, len(rows) * (side + 4) + 4),
                          "white")
        for r, ims in enumerate(rows):
            for c_, im in enumerate(ims):
                im.thumbnail((side, side))
                sheet.paste(im, (4 + c_ * (side + 4), 4 + r * (side + 4)))
        sheet.save(a.out, quality=90)
    print("| %s, %d photos at %d | texture | SSIM | style | content |" %
          (a.style, len(photos), a.side))
    print("| --- | --- | --- | --- | --- |")
    for k, label in (("with", "with the PatchGAN"), ("without", "without")):
        med = {m: statistics.median(r[m] for r in figs[k])
               for m in ("texture", "ssim", "style", "content")}
        print("| %s | %.3f | %.3f | %.3g | %.3f |" % (
            label, med["texture"], med["ssim"], med["style"], med["content"]))


if __name__ == "__main__":
    main()
