# SPDX-License-Identifier: GPL-3.0-or-later
"""style-score's figures for many outputs of the same photos and paintings,
without recomputing what does not change between them.

style-score's score() runs VGG five times per call: on the content, the
painting, the output, and the standardised greys of the output and the
painting.  Over a grid, the content and the painting repeat (18 photos x 6
paintings x 3 seeds, each painting against every photo), so only the two
passes on the output are new; this keeps the content's relu3_1 and the
painting's Gram matrices by file and computes the rest with the scorer's
own functions, in its order, so the figures are the scorer's bit for bit
(the first score() of a Scorer is also computed by style-score itself and
the two compared)."""
import os

import numpy as np


class Scorer:
    def __init__(self, mod, size):
        self.mod = mod               # the loaded style-score module
        self.size = size
        self.weights = mod.load_weights()
        self.contents = {}           # path, mtime -> (rgb, relu3_1 in float64)
        self.styles = {}             # path, mtime -> (rgb, Grams, grey Grams)
        self.checked = False         # the first score() compared with style-score's

    def _key(self, path):
        return (os.path.abspath(path), os.path.getmtime(path))

    def _content(self, path):
        k = self._key(path)
        if k not in self.contents:
            c = self.mod.load_rgb(path, self.size)
            c3 = self.mod.vgg_features(self.weights, c)[2].astype(np.float64)
            self.contents[k] = (c, c3)
        return self.contents[k]

    def _style(self, path):
        k = self._key(path)
        if k not in self.styles:
            m, w = self.mod, self.weights
            s = m.load_rgb(path, self.size)
            gs = [m.gram(f) for f in m.vgg_features(w, s)]
            ts = [m.gram(f) for f in m.vgg_features(w, m.grey_standardised(s))[1:]]
            self.styles[k] = (s, gs, ts)
        return self.styles[k]

    def score(self, content, style, output):
        if not self.checked:
            self.checked = True
            return self.check_against_scorer(content, style, output)
        m, w = self.mod, self.weights
        c, c3 = self._content(content)
        s, gs, ts = self._style(style)
        if min(c.shape[:2] + s.shape[:2]) < 11:
            raise ValueError('%s or %s is under 11 px on its short side' % (content, style))
        o = m.load_rgb(output, shape=c.shape[:2])
        fo = m.vgg_features(w, o)
        style_d = np.mean([np.sum((m.gram(a) - b) ** 2) for a, b in zip(fo, gs)])
        o3 = fo[2].astype(np.float64)
        content_d = np.mean((o3 - c3) ** 2) / max(np.mean(c3 ** 2), 1e-12)
        to = m.vgg_features(w, m.grey_standardised(o))[1:]
        texture_d = np.mean([np.sum((m.gram(a) - b) ** 2) for a, b in zip(to, ts)])
        return dict(style=float(style_d), texture=float(texture_d),
                    content=float(content_d),
                    colour=float(m.sliced_wasserstein(o.reshape(-1, 3), s.reshape(-1, 3))),
                    ssim=float(m.ssim(m.luma(o), m.luma(c))))

    def check_against_scorer(self, content, style, output):
        """This cache's figures, after checking that they are style-score's
        own (raises if not)."""
        self.checked = True
        mine = self.score(content, style, output)
        theirs = self.mod.score(content, style, output, size=self.size,
                                weights=self.weights)
        for k, v in theirs.items():
            if float(v) != mine[k]:
                raise AssertionError('scoring: %s %r != style-score %r' % (k, mine[k], v))
        return mine
