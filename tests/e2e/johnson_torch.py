# SPDX-License-Identifier: GPL-3.0-or-later
"""pytorch/examples' transformer net (Johnson et al. 2016), written from
its definition and loaded from the ncnn weights of
../shared/data/weights/fast-style-ncnn-fp16 (layout in its README): the
independent implementation the engine's runtime is checked and timed
against.  Input and output RGB 0..255, NCHW."""
import struct

import numpy as np
import torch
from torch import nn


def load(path):
    data = open(path, "rb").read()
    pos = 0

    def conv(cin, cout, k, stride=1):
        nonlocal pos
        tag, = struct.unpack_from("<I", data, pos)
        assert tag == 0x01306B47, hex(tag)
        pos += 4
        n = cout * cin * k * k
        w = np.frombuffer(data, "<f2", n, pos).astype(np.float32)
        pos += 2 * n
        b = np.frombuffer(data, "<f4", cout, pos)
        pos += 4 * cout
        c = nn.Conv2d(cin, cout, k, stride)
        c.weight.data = torch.from_numpy(w.reshape(cout, cin, k, k).copy())
        c.bias.data = torch.from_numpy(b.copy())
        return nn.Sequential(nn.ReflectionPad2d(k // 2), c)

    def norm(ch):
        nonlocal pos
        g = np.frombuffer(data, "<f4", ch, pos)
        b = np.frombuffer(data, "<f4", ch, pos + 4 * ch)
        pos += 8 * ch
        n = nn.InstanceNorm2d(ch, affine=True, eps=1e-5)
        n.weight.data = torch.from_numpy(g.copy())
        n.bias.data = torch.from_numpy(b.copy())
        return n

    class Residual(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(conv(128, 128, 3), norm(128), nn.ReLU(),
                                      conv(128, 128, 3), norm(128))

        def forward(self, x):
            return x + self.body(x)

    def up():
        return nn.Upsample(scale_factor=2, mode="nearest")

    net = nn.Sequential(
        conv(3, 32, 9), norm(32), nn.ReLU(),
        conv(32, 64, 3, 2), norm(64), nn.ReLU(),
        conv(64, 128, 3, 2), norm(128), nn.ReLU(),
        *[Residual() for _ in range(5)],
        up(), conv(128, 64, 3), norm(64), nn.ReLU(),
        up(), conv(64, 32, 3), norm(32), nn.ReLU(),
        conv(32, 3, 9))
    assert pos == len(data), (pos, len(data))
    return net.eval()


def flops(w, h):
    """Direct-convolution FLOPs (2 per multiply-add) at w x h."""
    shapes = [(3, 32, 9, 1), (32, 64, 3, 2), (64, 128, 3, 4)] + \
             [(128, 128, 3, 4)] * 10 + [(128, 64, 3, 2), (64, 32, 3, 1),
                                        (32, 3, 9, 1)]
    return sum(2 * cin * cout * k * k * (w // s) * (h // s)
               for cin, cout, k, s in shapes)


def run(net, rgb01):
    """rgb01: H x W x 3 float32 in 0..1; returns the same, clamped."""
    with torch.no_grad():
        x = torch.from_numpy(rgb01.transpose(2, 0, 1).copy())[None] * 255.0
        y = net(x)[0] / 255.0
    return y.clamp(0, 1).numpy().transpose(1, 2, 0)
