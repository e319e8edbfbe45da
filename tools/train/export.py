#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes a train.py checkpoint's generator as an .atnet file
(docs/atnet.md), the format `atelier` loads.

  export.py CKPT OUT.atnet [--fp16] [--styles NAME,NAME...]
            [--styles-table tools/train/styles.json]

--styles picks and orders the styles written (default all, in training
order; the first is the one a plain `--style FILE.atnet` runs).  Labels,
strength and scale come from the checkpoint, updated from the styles table
for the names it has (so labels can be fixed without retraining).  The
file is read back and run beside the checkpoint's generator on a small
image as a check before it is kept.
"""
import argparse
import os
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import atnet  # noqa: E402


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("ckpt")
    p.add_argument("out")
    p.add_argument("--fp16", action="store_true",
                   help="store conv weights as fp16 (half the size)")
    p.add_argument("--styles", help="comma-separated style names to write")
    p.add_argument("--styles-table", default=os.path.join(HERE, "styles.json"))
    args = p.parse_args(argv)

    gen, styles = atnet.generator_from_checkpoint(args.ckpt)
    table = {}
    if os.path.exists(args.styles_table):
        table = {s["name"]: s for s in
                 atnet.load_styles_table(args.styles_table)["styles"]}
    styles = [dict(s) for s in styles]
    for s in styles:
        for k in ("label", "label_zh", "strength", "scale"):
            if s["name"] in table and k in table[s["name"]]:
                s[k] = table[s["name"]][k]
    names = [s["name"] for s in styles]
    order = list(range(len(styles)))
    if args.styles:
        try:
            order = [names.index(n) for n in args.styles.split(",")]
        except ValueError as e:
            sys.exit("export.py: %s; the checkpoint has %s" % (e, ", ".join(names)))
    size = atnet.write_atnet(args.out, gen, styles, fp16=args.fp16,
                             order=order)

    # read it back and run both on a small image
    back, _ = atnet.read_atnet(args.out)
    img = np.random.default_rng(0).random((40, 56, 3), dtype=np.float32)
    d = max(np.abs(atnet.stylize(gen, img, o) - atnet.stylize(back, img, i)).max()
            for i, o in enumerate(order))
    limit = 1e-2 if args.fp16 else 1e-6
    if not d <= limit:
        os.unlink(args.out)
        sys.exit("export.py: the file read back differs by %g" % d)
    print("export.py: %s: %d bytes, %d layers, styles %s%s (read back: "
          "largest difference %.2g)" % (args.out, size, len(gen.layers),
                                        ",".join(names[i] for i in order),
                                        ", fp16 weights" if args.fp16 else "",
                                        d))
    return 0


if __name__ == "__main__":
    sys.exit(main())
