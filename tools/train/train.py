#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Trains Atelier's multi-style network (tools/train/atnet.py: a slim
transformer net with conditional instance norm, one set of convolutions
for every style) against VGG-19 Gram statistics of the paintings and a
PatchGAN discriminator, on the CPU (Debian's python3-torch).

  train.py --out DIR [--style NAME[=PAINTING]]... [options]
  train.py --resume DIR/checkpoint.pt [--iterations N] [--minutes M]
  train.py --export CKPT OUT.atnet [--fp16]      (same as export.py)

Losses (per sample, its own style): Gram distance at relu1_1, relu2_1 and
relu3_1 of the normalised VGG-19 (../shared/data/weights/vgg19-relu3_1)
between the output and the painting, also with both downscaled 1/2 and
1/4 (the encoder stops at relu3_1: the downscaled Grams reach larger
strokes); content distance at relu3_1; total variation; and the hinge
loss of a PatchGAN discriminator with one output map per style (real:
random crops of the painting; fake: crops of the generated images),
--adv-weight 0 (or --no-adv) turns it off for the ablation.  Each Gram
and content term is relative (divided by the target's squared norm), so
the weights are comparable across layers and styles.

Reproducible: a fixed seed (torch, numpy, random), the data in a seeded
order drawn in the main process, every random choice from one numpy
generator whose state the checkpoint keeps; --resume continues exactly
(same bits as an uninterrupted run on the same machine and thread count).
"""
import argparse
import json
import math
import os
import random
import signal
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import atnet  # noqa: E402

CKPT_FORMAT = "atelier-train-1"
VGG_DEFAULT = os.path.join(REPO, "../shared/data/weights/vgg19-relu3_1/"
                           "vgg_r31.pth")
DATA_DEFAULT = [os.path.join(REPO, "../shared/data/train"),
                os.path.join(REPO, "../shared/data/content")]
STYLES_TABLE = os.path.join(HERE, "styles.json")

# options a resumed run may change (else they are the checkpoint's, like
# every other one)
RUN_OPTIONS = {"iterations", "minutes", "checkpoint_minutes", "threads",
               "log_every", "out", "resume"}


# ---- VGG-19 to relu3_1 ----------------------------------------------------

class VGG(nn.Module):
    """conv1 (1x1: RGB 0..1 to BGR x 255 minus the mean), then 3x3 convs,
    each after a reflection pad of 1 and before a ReLU; max-pools after
    relu1_2 and relu2_2.  Returns relu1_1, relu2_1, relu3_1."""

    def __init__(self, path):
        super().__init__()
        sd = torch.load(path)
        for i in range(1, 7):
            self.register_buffer("w%d" % i, sd["conv%d.weight" % i].float())
            self.register_buffer("b%d" % i, sd["conv%d.bias" % i].float())

    def conv(self, x, i):
        w, b = getattr(self, "w%d" % i), getattr(self, "b%d" % i)
        if w.shape[-1] == 3:
            x = F.pad(x, (1, 1, 1, 1), mode="reflect")
        return F.conv2d(x, w, b)

    def forward(self, x):
        x = self.conv(x, 1)
        r11 = F.relu(self.conv(x, 2))
        x = F.relu(self.conv(r11, 3))
        x = F.max_pool2d(x, 2)
        r21 = F.relu(self.conv(x, 4))
        x = F.relu(self.conv(r21, 5))
        x = F.max_pool2d(x, 2)
        r31 = F.relu(self.conv(x, 6))
        return [r11, r21, r31]


def grey_standardised(x):
    """Each image's luminance at mean 0.5, std 0.2, in all three channels:
    its Grams see strokes, patterns and edges, not colour (the texture
    figure of tools/style-score is the same Gram distance on such images)."""
    y = (x * x.new_tensor([0.299, 0.587, 0.114])[None, :, None, None]).sum(
        1, keepdim=True)
    m = y.mean((2, 3), keepdim=True)
    sd = y.std((2, 3), keepdim=True).clamp_min(1e-6)
    return (0.5 + 0.2 * (y - m) / sd).expand(-1, 3, -1, -1)


def gram(f):
    b, c, h, w = f.shape
    f = f.reshape(b, c, h * w)
    return f @ f.transpose(1, 2) / (h * w)


# ---- the PatchGAN discriminator --------------------------------------------

class PatchD(nn.Module):
    """A few strided 4x4 convs (spectral norm, LeakyReLU 0.2), then a 3x3
    conv to one map of patch scores per style (receptive field 46 px)."""

    def __init__(self, n_styles, ch=(32, 64, 64)):
        super().__init__()
        sn = nn.utils.spectral_norm
        layers, c = [], 3
        for co in ch:
            layers += [sn(nn.Conv2d(c, co, 4, 2, 1)), nn.LeakyReLU(0.2)]
            c = co
        layers.append(sn(nn.Conv2d(c, n_styles, 3, 1, 1)))
        self.net = nn.Sequential(*layers)

    def forward(self, x, style):
        y = self.net(x * 2 - 1)
        return y.gather(1, style[:, None, None, None].expand(
            -1, 1, y.shape[2], y.shape[3]))


# ---- data --------------------------------------------------------------

def list_images(dirs):
    files = []
    for d in dirs:
        for n in sorted(os.listdir(d)):
            if n.lower().endswith((".jpg", ".jpeg", ".png")):
                files.append(os.path.join(d, n))
    if not files:
        sys.exit("train.py: no images in %s" % ", ".join(dirs))
    return files


class Sampler:
    """Content crops in a seeded order: a permutation of the files per
    epoch, a random scale (short side crop..crop x jitter, never upscaling
    an image already larger than the crop), a random crop, a random flip.
    Every draw from self.rng, whose state the checkpoint keeps."""

    def __init__(self, files, crop, jitter, seed):
        self.files, self.crop, self.jitter = files, crop, jitter
        self.rng = np.random.default_rng(seed)
        self.epoch, self.pos = 0, 0
        self.perm = self.rng.permutation(len(files))

    def state(self):
        return {"rng": self.rng.bit_generator.state, "epoch": self.epoch,
                "pos": self.pos, "perm": self.perm.tolist()}

    def load_state(self, s):
        self.rng.bit_generator.state = s["rng"]
        self.epoch, self.pos = s["epoch"], s["pos"]
        self.perm = np.array(s["perm"], dtype=np.int64)

    def next_file(self):
        if self.pos == len(self.perm):
            self.epoch += 1
            self.pos = 0
            self.perm = self.rng.permutation(len(self.files))
        f = self.files[self.perm[self.pos]]
        self.pos += 1
        return f

    def crop_image(self):
        im = Image.open(self.next_file()).convert("RGB")
        w, h = im.size
        short = min(w, h)
        t = self.rng.uniform(self.crop, self.crop * self.jitter)
        t = max(self.crop, min(t, max(short, self.crop)))
        s = t / short
        nw, nh = max(self.crop, round(w * s)), max(self.crop, round(h * s))
        if (nw, nh) != (w, h):
            im = im.resize((nw, nh), Image.BICUBIC)
        x = int(self.rng.integers(0, nw - self.crop + 1))
        y = int(self.rng.integers(0, nh - self.crop + 1))
        a = np.asarray(im.crop((x, y, x + self.crop, y + self.crop)),
                       dtype=np.float32) / 255.0
        if self.rng.random() < 0.5:
            a = a[:, ::-1]
        return a

    def batch(self, n):
        return torch.from_numpy(np.stack(
            [self.crop_image() for _ in range(n)]).transpose(0, 3, 1, 2).copy())


def random_crops(rng, imgs, size):
    """One random size x size crop of each image (imgs: list or batch)."""
    out = []
    for im in imgs:
        h, w = im.shape[-2:]
        y = int(rng.integers(0, h - size + 1))
        x = int(rng.integers(0, w - size + 1))
        out.append(im[..., y:y + size, x:x + size])
    return torch.stack(out)


# ---- styles ----------------------------------------------------------------

def resolve_styles(specs, table_path):
    """NAME, or NAME=PAINTING (a path relative to the repository root or
    the working directory), against the styles table."""
    table = {s["name"]: s for s in atnet.load_styles_table(table_path)["styles"]}
    if not specs:
        specs = [s for s, v in table.items() if v.get("default")]
    out = []
    for spec in specs:
        for item in spec.split(","):
            name, _, path = item.partition("=")
            t = dict(table.get(name, {}))
            if not path and not t:
                sys.exit("train.py: style %r is not in %s; give NAME=PAINTING"
                         % (name, table_path))
            if path:
                t["path"] = os.path.abspath(path)
            elif not os.path.isabs(t["path"]):
                t["path"] = os.path.normpath(os.path.join(REPO, t["path"]))
            out.append({"name": name, "path": t["path"],
                        "label": t.get("label", name),
                        "label_zh": t.get("label_zh", name),
                        "strength": float(t.get("strength", 1.0)),
                        "scale": float(t.get("scale", 1.0))})
    names = [s["name"] for s in out]
    if len(set(names)) != len(names):
        sys.exit("train.py: a style is named twice")
    return out


def load_painting(path, long_side):
    im = Image.open(path).convert("RGB")
    s = long_side / max(im.size)
    im = im.resize((max(1, round(im.size[0] * s)), max(1, round(im.size[1] * s))),
                   Image.LANCZOS)
    return torch.from_numpy(np.asarray(im, dtype=np.float32).transpose(
        2, 0, 1).copy() / 255.0)


# ---- training ----------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Train Atelier's multi-style network (see the module's "
        "docstring and tools/train/README.md).")
    a = p.add_argument
    a("--out", help="folder for checkpoint.pt and train.log (default: the "
      "resumed checkpoint's folder)")
    a("--resume", metavar="CKPT", help="continue this checkpoint exactly")
    a("--init", metavar="CKPT", help="start from this checkpoint's generator "
      "and discriminator (weights and Adam moments; same styles and net), "
      "with this run's options: a new stage of training")
    a("--export", nargs=2, metavar=("CKPT", "OUT"), help="write CKPT's "
      "generator as OUT.atnet and exit (export.py's options apply)")
    a("--fp16", action="store_true", help="with --export: conv weights fp16")
    a("--style", action="append", default=[], metavar="NAME[=PAINTING]",
      help="a style (repeatable or comma-separated; default: the table's "
      "eight default styles)")
    a("--styles-table", default=STYLES_TABLE)
    a("--data", action="append", metavar="DIR",
      help="content folders (default ../shared/data/train and "
      "../shared/data/content)")
    a("--vgg", default=VGG_DEFAULT)
    a("--iterations", type=int, default=40000,
      help="stop at this iteration count (total, across resumes)")
    a("--minutes", type=float, default=0,
      help="stop after this wall time (0: no limit), saving a checkpoint")
    a("--checkpoint-minutes", type=float, default=5)
    a("--threads", type=int, default=2)
    a("--seed", type=int, default=1)
    a("--log-every", type=int, default=10)
    # data
    a("--crop", type=int, default=256)
    a("--batch", type=int, default=4)
    a("--jitter", type=float, default=1.25,
      help="content scale: short side crop..crop x JITTER")
    a("--style-size", type=int, default=512,
      help="the painting's long side for its Grams and real crops")
    # net
    a("--channels", default="16,32,64")
    a("--res-blocks", type=int, default=4)
    a("--end-kernel", type=int, default=9, help="9, or 3 for the slimmer "
      "end layers")
    a("--residual", action="store_true", help="the net adds its output to "
      "the photo (a skip from input to output; the last conv starts at "
      "zero): training starts from the photo, content holds from the start")
    # losses and optimisation
    a("--content-weight", type=float, default=1.0)
    a("--style-weight", type=float, default=3.0)
    a("--scale-weights", default="1,1,1",
      help="Gram weights at full size, 1/2 and 1/4")
    a("--layer-weights", default="1,1,1",
      help="Gram weights at relu1_1, relu2_1, relu3_1")
    a("--texture-weight", type=float, default=0.0,
      help="Gram distance at relu2_1 and relu3_1 between the output's and "
      "the painting's luminance, each standardised (grey_standardised): "
      "strokes apart from colour (0: off)")
    a("--tv-weight", type=float, default=10.0)
    a("--adv-weight", type=float, default=0.05)
    a("--no-adv", action="store_true", help="no adversarial term "
      "(the same as --adv-weight 0: no discriminator is trained)")
    a("--d-crop", type=int, default=0,
      help="discriminator patch crop (default min(crop, 128))")
    a("--lr", type=float, default=1e-3)
    a("--last-lr-scale", type=float, default=1.0, help="the last conv's "
      "learning rate, relative to --lr")
    a("--norm-lr-scale", type=float, default=1.0, help="the conditional "
      "instance norms' gamma and beta: their learning rate relative to --lr")
    a("--warmup", type=int, default=100, help="iterations over which the "
      "generator's learning rate ramps up from 0 (Adam's first steps move "
      "every weight by about lr: from a zero last conv, a jump)")
    a("--d-lr", type=float, default=2e-4)
    a("--tune-styles", default="", metavar="NAME,...",
      help="with --init: train only these styles' own rows of the "
      "conditional norms (gamma, beta), the batch cycling through them "
      "alone; every convolution and every other style stays bit for bit "
      "as it was (a later stage that mends a few styles with, e.g., "
      "another --content-weight)")
    return p.parse_args(argv), p


def load_adam_regrouped(opt, saved, params):
    """Loads an Adam state saved with the parameters in one order (params:
    a single group, or the groups one after another) into opt, whose
    groups may split them differently: each parameter keeps its moments."""
    old_order = [p for g in saved["param_groups"] for p in g["params"]]
    index = {id(p): i for i, p in enumerate(params)}
    new_sd = opt.state_dict()
    new_order = [p for g in opt.param_groups for p in g["params"]]
    new_sd["state"] = {j: saved["state"][old_order[index[id(p)]]]
                       for j, p in enumerate(new_order)
                       if old_order[index[id(p)]] in saved["state"]}
    opt.load_state_dict(new_sd)


def save_checkpoint(path, state):
    tmp = path + ".tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def train(args, argv_given):
    torch.set_num_threads(args.threads)
    resumed = None
    if args.resume:
        resumed = torch.load(args.resume, map_location="cpu")
        if resumed.get("format") != CKPT_FORMAT:
            sys.exit("train.py: %s is not a train.py checkpoint" % args.resume)
        saved = resumed["args"]
        for k, v in saved.items():
            if k in ("resume", "out"):
                continue
            if k in RUN_OPTIONS and k in argv_given:
                continue        # this run's choice
            if k in argv_given and getattr(args, k) != v:
                print("train.py: --%s is the checkpoint's (%r), not %r"
                      % (k.replace("_", "-"), v, getattr(args, k)))
            setattr(args, k, v)
        if not args.out:
            args.out = os.path.dirname(os.path.abspath(args.resume))
    if not args.out:
        sys.exit("train.py: --out DIR (or --resume CKPT) is needed")
    os.makedirs(args.out, exist_ok=True)
    if args.no_adv:
        args.adv_weight = 0.0
    adv = args.adv_weight > 0
    d_crop = args.d_crop or min(args.crop, 128)

    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)

    styles = resumed["styles"] if resumed else \
        resolve_styles(args.style, args.styles_table)
    ns = len(styles)
    cfg = resumed["config"] if resumed else {
        "channels": [int(c) for c in args.channels.split(",")],
        "res_blocks": args.res_blocks, "end_kernel": args.end_kernel,
        "residual": args.residual}
    G = atnet.build(cfg, ns)
    D = PatchD(ns) if adv else None
    # The last conv (a 9x9 over every first-layer channel: thousands of
    # inputs per output) gets --last-lr-scale of the rate: Adam moves each
    # weight by about lr, so its output would move by fan-in x lr a step.
    last = list(G.convs[-1].parameters())
    rest = [p for p in G.parameters() if all(p is not q for q in last)]
    earlier = resumed
    # The styles' own rows of gamma and beta get --norm-lr-scale of it:
    # each sees an n_styles-th of the batch, and a style differs from the
    # others only through them, so at the shared rate the styles would stay
    # alike for thousands of iterations.
    # (Checkpoints of before these options have fewer groups: kept so.)
    norms = list(G.gammas) + list(G.betas)
    groups = len(earlier["optG"]["param_groups"]) if earlier else 3
    tuned = []   # --tune-styles: the style indices being trained
    if args.tune_styles:
        names = [s["name"] for s in styles]
        for n in args.tune_styles.split(","):
            if n not in names:
                sys.exit("train.py: --tune-styles %s: not one of %s"
                         % (n, ",".join(names)))
            tuned.append(names.index(n))
        if not (args.init or args.resume):
            sys.exit("train.py: --tune-styles needs --init (or --resume)")
    if tuned:
        # the norms alone, with moments of their own: the init's belong to
        # a training of every weight and every style
        optG = torch.optim.Adam([{"params": norms,
                                  "scale": args.norm_lr_scale}], lr=args.lr)
        for p in G.parameters():
            p.requires_grad_(any(p is q for q in norms))
    elif groups == 1:
        optG = torch.optim.Adam(G.parameters(), lr=args.lr)
    elif groups == 2:
        optG = torch.optim.Adam(
            [{"params": rest, "scale": 1.0},
             {"params": last, "scale": args.last_lr_scale}], lr=args.lr)
    else:
        optG = torch.optim.Adam(
            [{"params": [p for p in rest if all(p is not q for q in norms)],
              "scale": 1.0},
             {"params": last, "scale": args.last_lr_scale},
             {"params": norms, "scale": args.norm_lr_scale}], lr=args.lr)
    optD = torch.optim.Adam(D.parameters(), lr=args.d_lr,
                            betas=(0.5, 0.999)) if adv else None
    vgg = VGG(args.vgg)
    for p in vgg.parameters():
        p.requires_grad_(False)

    files = list_images(args.data or DATA_DEFAULT)
    sampler = Sampler(files, args.crop, args.jitter, args.seed)
    it, elapsed = 0, 0.0
    if resumed:
        G.load_state_dict(resumed["G"])
        optG.load_state_dict(resumed["optG"])
        if adv:
            D.load_state_dict(resumed["D"])
            optD.load_state_dict(resumed["optD"])
        sampler.load_state(resumed["sampler"])
        torch.set_rng_state(resumed["torch_rng"])
        np.random.set_state(resumed["np_rng"])
        random.setstate(resumed["py_rng"])
        it, elapsed = resumed["iteration"], resumed["elapsed"]
    elif args.init:
        init = torch.load(args.init, map_location="cpu")
        if init.get("format") != CKPT_FORMAT or \
                dict({"residual": False}, **init["config"]) != cfg or \
                [s["name"] for s in init["styles"]] != [s["name"] for s in styles]:
            sys.exit("train.py: --init %s: not a checkpoint of the same net "
                     "and styles" % args.init)
        # the optimisers' moments too: a fresh Adam's first steps (each
        # weight moved by lr) would undo much of what the run learnt
        G.load_state_dict(init["G"])
        if not tuned:
            load_adam_regrouped(optG, init["optG"], list(G.parameters()))
        if adv and init.get("D"):
            D.load_state_dict(init["D"])
            optD.load_state_dict(init["optD"])

    # the paintings' Grams at 1, 1/2, 1/4 and their images for real crops
    scale_w = [float(v) for v in args.scale_weights.split(",")]
    layer_w = [float(v) for v in args.layer_weights.split(",")]
    paintings = [load_painting(s["path"], args.style_size) for s in styles]
    for s, pt in zip(styles, paintings):
        if min(pt.shape[1:]) < max(d_crop, 4 * 16):
            sys.exit("train.py: %s is too small at --style-size %d"
                     % (s["name"], args.style_size))
    targets = []   # [scale][layer]: n_styles x C x C, and its squared norm
    with torch.no_grad():
        for si in range(len(scale_w)):
            per = [[] for _ in range(3)]
            for pt in paintings:
                x = pt[None]
                if si:
                    x = F.avg_pool2d(x, 2 ** si)
                for li, f in enumerate(vgg(x)):
                    per[li].append(gram(f)[0])
            targets.append([(torch.stack(g), torch.stack(g).pow(2).sum((1, 2)))
                            for g in per])

    tex_targets = None   # [layer]: the grey paintings' relu2_1, relu3_1 Grams
    if args.texture_weight > 0:
        with torch.no_grad():
            per = [[gram(f)[0] for f in vgg(grey_standardised(pt[None]))[1:]]
                   for pt in paintings]
        tex_targets = [(torch.stack(g), torch.stack(g).pow(2).sum((1, 2)))
                       for g in zip(*per)]

    log = open(os.path.join(args.out, "train.log"), "a")
    ckpt_path = os.path.join(args.out, "checkpoint.pt")
    print("train.py: %d styles (%s), %d content images, crop %d, batch %d, "
          "generator %d parameters, %s, iteration %d of %d"
          % (ns, ",".join(s["name"] for s in styles), len(files), args.crop,
             args.batch, sum(p.numel() for p in G.parameters()),
             "adversarial weight %g" % args.adv_weight if adv else
             "no adversarial term", it, args.iterations), flush=True)

    def state():
        return {"format": CKPT_FORMAT, "args": vars(args), "config": cfg,
                "styles": styles, "G": G.state_dict(),
                "D": D.state_dict() if adv else None,
                "optG": optG.state_dict(),
                "optD": optD.state_dict() if adv else None,
                "iteration": it, "elapsed": elapsed + time.time() - start,
                "sampler": sampler.state(),
                "torch_rng": torch.get_rng_state(),
                "np_rng": np.random.get_state(), "py_rng": random.getstate()}

    stop = []     # SIGINT / SIGTERM: finish the iteration, save, exit
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda n, f: stop.append(n))
    start = time.time()
    last_ckpt = start
    t_log, it_log = time.time(), it
    sums = {}
    cycle = tuned or list(range(ns))    # the styles the batches go through
    frozen = [i for i in range(ns) if i not in tuned] if tuned else []
    while it < args.iterations:
        if stop or (args.minutes and time.time() - start >= args.minutes * 60):
            break
        x = sampler.batch(args.batch)
        sidx = torch.tensor([cycle[(it * args.batch + i) % len(cycle)]
                             for i in range(args.batch)])
        y = G(x, sidx)

        with torch.no_grad():
            fc = vgg(x)[2]
        loss_style = 0.0
        for si, sw in enumerate(scale_w):
            ys = F.avg_pool2d(y, 2 ** si) if si else y
            feats = vgg(ys)
            if si == 0:
                loss_content = (feats[2] - fc).pow(2).sum((1, 2, 3)).div(
                    fc.pow(2).sum((1, 2, 3)) + 1e-8).mean()
            for li, (f, lw) in enumerate(zip(feats, layer_w)):
                gt, norm = targets[si][li]
                d = (gram(f) - gt[sidx]).pow(2).sum((1, 2)) / (norm[sidx] + 1e-8)
                loss_style = loss_style + sw * lw * d.mean()
        loss_texture = y.new_zeros(())
        if tex_targets:
            for f, (gt, norm) in zip(vgg(grey_standardised(y))[1:],
                                     tex_targets):
                d = (gram(f) - gt[sidx]).pow(2).sum((1, 2)) / (norm[sidx] + 1e-8)
                loss_texture = loss_texture + d.mean() / len(tex_targets)
        loss_tv = ((y[:, :, 1:] - y[:, :, :-1]).pow(2).mean() +
                   (y[:, :, :, 1:] - y[:, :, :, :-1]).pow(2).mean())
        loss = (args.content_weight * loss_content +
                args.style_weight * loss_style + args.tv_weight * loss_tv +
                args.texture_weight * loss_texture)
        terms = {"content": loss_content.item(), "style": loss_style.item(),
                 "tv": loss_tv.item()}
        if tex_targets:
            terms["texture"] = loss_texture.item()
        if adv:
            fake = random_crops(sampler.rng, y, d_crop) if d_crop < args.crop \
                else y
            loss_g_adv = -D(fake, sidx).mean()
            loss = loss + args.adv_weight * loss_g_adv
            terms["g_adv"] = loss_g_adv.item()
        for group in optG.param_groups:
            group["lr"] = args.lr * group.get("scale", 1.0) * min(
                1.0, (it + 1) / max(1, args.warmup))
        optG.zero_grad(set_to_none=True)
        loss.backward()
        if frozen:
            # only the tuned styles' rows move: a resumed Adam's moments
            # could move a row whose gradient is zero
            keep = [p.detach().clone() for p in norms]
        optG.step()
        if frozen:
            with torch.no_grad():
                for p, k in zip(norms, keep):
                    p[frozen] = k[frozen]
        if adv:
            real = random_crops(sampler.rng,
                                [paintings[int(s)] for s in sidx], d_crop)
            loss_d = (F.relu(1 - D(real, sidx)).mean() +
                      F.relu(1 + D(fake.detach(), sidx)).mean())
            optD.zero_grad(set_to_none=True)
            loss_d.backward()
            optD.step()
            terms["d"] = loss_d.item()
        terms["total"] = loss.item()
        it += 1
        for k, v in terms.items():
            sums[k] = sums.get(k, 0.0) + v

        now = time.time()
        if it % args.log_every == 0 or it == args.iterations:
            n = it - it_log
            line = "it %d  %.3f s/it  " % (it, (now - t_log) / n) + "  ".join(
                "%s %.4g" % (k, v / n) for k, v in sums.items())
            print(line, flush=True)
            log.write(line + "\n")
            log.flush()
            t_log, it_log, sums = now, it, {}
        if now - last_ckpt >= args.checkpoint_minutes * 60:
            last_ckpt = now
            save_checkpoint(ckpt_path, state())
    save_checkpoint(ckpt_path, state())
    print("train.py: iteration %d, %.1f min of training in all; checkpoint %s"
          % (it, (elapsed + time.time() - start) / 60, ckpt_path), flush=True)


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    args, parser = parse_args(argv)
    if args.export:
        import export
        return export.main(args.export + (["--fp16"] if args.fp16 else []))
    given = {a[2:].split("=")[0].replace("-", "_") for a in argv
             if a.startswith("--")}
    train(args, given)
    return 0


if __name__ == "__main__":
    sys.exit(main())
