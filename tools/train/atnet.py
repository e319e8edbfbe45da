# SPDX-License-Identifier: GPL-3.0-or-later
"""Atelier's slim multi-style transformer net in PyTorch, and the .atnet
file (docs/atnet.md) it exports to.

The network is a list of the runtime's layers (engine/net.h): PAD_REFLECT,
CONV (stride 1 or 2, no padding of its own), INORM (conditional instance
norm: eps 1e-5, biased variance, per-style gamma and beta), RELU,
UPSAMPLE (nearest x2), SKIP_SAVE / SKIP_ADD.  `Generator` runs exactly
that list, so what trains is what the engine runs; `write_atnet` writes
it, `read_atnet` reads a file back into a `Generator` (an independent
check of the writer), `stylize` is the forward on an H x W x 3 image.

Input: the pixel (0..1) x IN_SCALE; output x OUT_SCALE is the pixel.
"""
import json
import struct
import zlib

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

PAD_REFLECT, CONV, INORM, RELU, UPSAMPLE, SKIP_SAVE, SKIP_ADD = range(1, 8)
OP_NAMES = {PAD_REFLECT: "pad", CONV: "conv", INORM: "inorm", RELU: "relu",
            UPSAMPLE: "upsample", SKIP_SAVE: "skip_save",
            SKIP_ADD: "skip_add"}

IN_SCALE = 1.0
OUT_SCALE = 1.0

MAGIC = b"\x89ATNET\r\n"
VERSION = 1
NAME_MAX = 32
LABEL_MAX = 64
STYLE_SIZE = NAME_MAX + 2 * LABEL_MAX + 8   # 168
EPS = 1e-5

DEFAULT_CONFIG = {"channels": [16, 32, 64], "res_blocks": 4, "end_kernel": 9}


def layer_list(cfg):
    """The net of a config as (op, in_c, out_c, kernel, stride, pad)."""
    c1, c2, c3 = cfg["channels"]
    k = cfg["end_kernel"]
    assert k % 2 == 1 and 1 <= k <= 15, "end_kernel: odd, 1..15"
    L = []

    def pad(c, p):
        if p:
            L.append((PAD_REFLECT, c, c, 0, 0, p))

    def conv(ci, co, kk, s=1):
        L.append((CONV, ci, co, kk, s, 0))

    def norm(c, relu=True):
        L.append((INORM, c, c, 0, 0, 0))
        if relu:
            L.append((RELU, c, c, 0, 0, 0))

    # residual: the net adds its painting to the photo (a skip from the
    # input to the output), so training starts from the photo itself
    if cfg.get("residual"):
        L.append((SKIP_SAVE, 3, 3, 0, 0, 0))
    pad(3, k // 2); conv(3, c1, k); norm(c1)
    pad(c1, 1); conv(c1, c2, 3, 2); norm(c2)
    pad(c2, 1); conv(c2, c3, 3, 2); norm(c3)
    for _ in range(cfg["res_blocks"]):
        L.append((SKIP_SAVE, c3, c3, 0, 0, 0))
        pad(c3, 1); conv(c3, c3, 3); norm(c3)
        pad(c3, 1); conv(c3, c3, 3); norm(c3, relu=False)
        L.append((SKIP_ADD, c3, c3, 0, 0, 0))
    L.append((UPSAMPLE, c3, c3, 0, 0, 0))
    pad(c3, 1); conv(c3, c2, 3); norm(c2)
    L.append((UPSAMPLE, c2, c2, 0, 0, 0))
    pad(c2, 1); conv(c2, c1, 3); norm(c1)
    pad(c1, k // 2); conv(c1, 3, k)
    if cfg.get("residual"):
        L.append((SKIP_ADD, 3, 3, 0, 0, 0))
    return L


class Generator(nn.Module):
    """Runs a layer list; INORM rows are mixed per sample by style weights
    (B x n_styles, rows summing to 1) or picked by style index (B,)."""

    def __init__(self, layers, n_styles, in_scale=IN_SCALE,
                 out_scale=OUT_SCALE):
        super().__init__()
        self.layers = [tuple(int(v) for v in l) for l in layers]
        self.n_styles = n_styles
        self.in_scale = float(in_scale)
        self.out_scale = float(out_scale)
        self.convs = nn.ModuleList()
        self.gammas = nn.ParameterList()
        self.betas = nn.ParameterList()
        for op, ci, co, k, s, p in self.layers:
            if op == CONV:
                self.convs.append(nn.Conv2d(ci, co, k, s, padding=0))
            elif op == INORM:
                self.gammas.append(nn.Parameter(torch.ones(n_styles, ci)))
                self.betas.append(nn.Parameter(torch.zeros(n_styles, ci)))

    def style_weights(self, style, batch):
        if isinstance(style, int):
            style = torch.full((batch,), style, dtype=torch.long)
        if style.dtype == torch.long:
            return F.one_hot(style, self.n_styles).float()
        return style

    def forward(self, x, style):
        """x: B x 3 x H x W, the pixels (0..1); the output's pixels, not
        clamped, H x W (the stride-2 convs round up: cropped)."""
        h, w = x.shape[2:]
        wts = self.style_weights(style, x.shape[0])
        x = x * self.in_scale
        stack = []
        ci = ni = 0
        for op, _, _, k, s, p in self.layers:
            if op == PAD_REFLECT:
                x = F.pad(x, (p, p, p, p), mode="reflect")
            elif op == CONV:
                x = self.convs[ci](x)
                ci += 1
            elif op == INORM:
                g = wts @ self.gammas[ni]
                b = wts @ self.betas[ni]
                ni += 1
                x = F.instance_norm(x, eps=EPS)
                x = x * g[:, :, None, None] + b[:, :, None, None]
            elif op == RELU:
                x = F.relu(x)
            elif op == UPSAMPLE:
                x = F.interpolate(x, scale_factor=2, mode="nearest")
            elif op == SKIP_SAVE:
                stack.append(x)
            elif op == SKIP_ADD:
                x = x + stack.pop()
        return x[:, :, :h, :w] * self.out_scale


def build(cfg, n_styles):
    g = Generator(layer_list(cfg), n_styles)
    if cfg.get("residual"):
        # the last conv starts at zero: the first output is the photo
        with torch.no_grad():
            g.convs[-1].weight.zero_()
            g.convs[-1].bias.zero_()
    return g


def geometry(layers):
    """The total stride and the smallest side every reflection pad fits
    in, as the engine computes them (engine/net_render.c)."""
    scale, need, down = 1, 1, 1
    for op, _, _, k, s, p in layers:
        if op == PAD_REFLECT:
            need = max(need, (p + 1) * scale)
        elif op == CONV and s == 2:
            scale *= 2
            down = max(down, scale)
        elif op == UPSAMPLE:
            scale = max(1, scale // 2)
    return down, -(-need // down) * down


def engine_input(rgb01, layers):
    """The image extended as the engine does before the net runs: to a
    multiple of the total stride and at least the smallest side, the new
    rows and columns reflecting the image, then repeating its edge (the
    instance norms' statistics include them)."""
    h, w = rgb01.shape[:2]
    down, min_side = geometry(layers)
    ph = max(-(-h // down) * down, min_side)
    pw = max(-(-w // down) * down, min_side)
    ys = np.arange(ph)
    xs = np.arange(pw)
    ys = np.clip(np.where(ys < h, ys, 2 * h - 2 - ys), 0, h - 1)
    xs = np.clip(np.where(xs < w, xs, 2 * w - 2 - xs), 0, w - 1)
    return rgb01[ys[:, None], xs[None, :]]


def stylize(gen, rgb01, style=0):
    """The engine's result at strength 1, scale 1 for an image it runs
    untiled: rgb01 H x W x 3 float32 0..1; style an index or a list of
    weights (mixing); returns H x W x 3, clamped to 0..1 as the engine
    does."""
    h, w = rgb01.shape[:2]
    if not isinstance(style, int):
        style = torch.tensor([list(style)], dtype=torch.float32)
    x = engine_input(rgb01, gen.layers)
    with torch.no_grad():
        x = torch.from_numpy(np.ascontiguousarray(
            x.transpose(2, 0, 1), dtype=np.float32))[None]
        y = gen.eval()(x, style)[0, :, :h, :w]
    return y.clamp(0, 1).numpy().transpose(1, 2, 0)


# ---- the .atnet file -------------------------------------------------------

def _fixed(text, size, what):
    b = text.encode("utf-8")
    if len(b) >= size:
        raise ValueError("%s %r: %d bytes, at most %d" % (what, text, len(b),
                                                           size - 1))
    return b + b"\0" * (size - len(b))


def write_atnet(path, gen, styles, fp16=False, order=None):
    """styles: one dict per style of the net (name, label, label_zh,
    strength, scale); order: the net's style indices to write, in that
    order (default all)."""
    if order is None:
        order = list(range(gen.n_styles))
    n_styles = len(order)
    assert 1 <= n_styles <= 64
    sd = {k: v.detach().float().numpy() for k, v in gen.state_dict().items()}
    tensors = []       # (dtype, array)
    table = []         # 32-byte layer records
    ci = ni = 0
    for op, c_in, c_out, k, s, p in gen.layers:
        ta = tb = -1
        if op == CONV:
            wgt = sd["convs.%d.weight" % ci].reshape(-1)
            bias = sd["convs.%d.bias" % ci].reshape(-1)
            ci += 1
            if fp16:
                if np.abs(wgt).max() > 65504:
                    raise ValueError("a weight beyond fp16's range")
                tensors.append((1, wgt.astype("<f2")))
            else:
                tensors.append((0, wgt.astype("<f4")))
            ta = len(tensors) - 1
            tensors.append((0, bias.astype("<f4")))
            tb = len(tensors) - 1
        elif op == INORM:
            g = sd["gammas.%d" % ni][order].reshape(-1)
            b = sd["betas.%d" % ni][order].reshape(-1)
            ni += 1
            tensors.append((0, g.astype("<f4")))
            ta = len(tensors) - 1
            tensors.append((0, b.astype("<f4")))
            tb = len(tensors) - 1
        table.append(struct.pack("<6I2i", op, c_in, c_out, k, s, p, ta, tb))
    for _, a in tensors:
        if not np.isfinite(a.astype(np.float32)).all():
            raise ValueError("a weight is not finite")

    head = MAGIC + struct.pack("<4I2f", VERSION, len(gen.layers), n_styles,
                               len(tensors), gen.in_scale, gen.out_scale)
    st = b""
    for i in order:
        s = styles[i]
        strength, scale = float(s.get("strength", 1)), float(s.get("scale", 1))
        assert 0 <= strength <= 1 and 0.25 <= scale <= 4, s
        st += (_fixed(s["name"], NAME_MAX, "name") +
               _fixed(s.get("label", s["name"]), LABEL_MAX, "label") +
               _fixed(s.get("label_zh", s["name"]), LABEL_MAX, "label_zh") +
               struct.pack("<2f", strength, scale))
    data_at = len(head) + 32 * len(table) + len(st) + 16 * len(tensors)
    tt, data = b"", b""
    for dtype, a in tensors:
        tt += struct.pack("<2IQ", dtype, a.size, data_at + len(data))
        raw = a.tobytes()
        data += raw + b"\0" * (-len(raw) % 4)
    body = head + b"".join(table) + st + tt + data
    body += struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)
    with open(path, "wb") as f:
        f.write(body)
    return len(body)


def read_atnet(path):
    """A Generator and the style table from an .atnet file (no checks but
    the magic, version and CRC: the engine's loader is the judge)."""
    b = open(path, "rb").read()
    if b[:8] != MAGIC:
        raise ValueError("not an .atnet file")
    if struct.unpack_from("<I", b, len(b) - 4)[0] != zlib.crc32(b[:-4]):
        raise ValueError("bad checksum")
    version, nl, ns, nt, in_scale, out_scale = struct.unpack_from(
        "<4I2f", b, 8)
    assert version == VERSION
    layers, refs = [], []
    for i in range(nl):
        v = struct.unpack_from("<6I2i", b, 32 + 32 * i)
        layers.append(v[:6])
        refs.append(v[6:])
    at = 32 + 32 * nl
    styles = []
    for i in range(ns):
        r = b[at + STYLE_SIZE * i: at + STYLE_SIZE * (i + 1)]
        txt = lambda x: x.split(b"\0")[0].decode("utf-8")
        strength, scale = struct.unpack_from("<2f", r, STYLE_SIZE - 8)
        styles.append({"name": txt(r[:NAME_MAX]),
                       "label": txt(r[NAME_MAX:NAME_MAX + LABEL_MAX]),
                       "label_zh": txt(r[NAME_MAX + LABEL_MAX:-8]),
                       "strength": strength, "scale": scale})
    at += STYLE_SIZE * ns
    tens = []
    for i in range(nt):
        dtype, count, off = struct.unpack_from("<2IQ", b, at + 16 * i)
        a = np.frombuffer(b, "<f2" if dtype else "<f4", count, off)
        tens.append(torch.from_numpy(a.astype(np.float32)))
    gen = Generator(layers, ns, in_scale, out_scale)
    ci = ni = 0
    with torch.no_grad():
        for (op, c_in, c_out, k, s, p), (ta, tb) in zip(layers, refs):
            if op == CONV:
                gen.convs[ci].weight.copy_(tens[ta].view(c_out, c_in, k, k))
                gen.convs[ci].bias.copy_(tens[tb])
                ci += 1
            elif op == INORM:
                gen.gammas[ni].copy_(tens[ta].view(ns, c_in))
                gen.betas[ni].copy_(tens[tb].view(ns, c_in))
                ni += 1
    return gen, styles


def load_styles_table(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def generator_from_checkpoint(path):
    """The trained Generator of a train.py checkpoint and its style
    table (dicts: name, label, label_zh, strength, scale, path)."""
    ck = torch.load(path, map_location="cpu")
    gen = build(ck["config"], len(ck["styles"]))
    gen.load_state_dict(ck["G"])
    return gen.eval(), ck["styles"]
