#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The style-network runtime against an independent implementation: one of
# pytorch/examples' transformer nets (../shared/data/weights/
# fast-style-ncnn-fp16, imported with `atelier net-import`) run by the
# engine and by PyTorch (Debian's python3-torch, the network written out
# below from its definition), on a 256 x 256 and a 512 x 384 image: the
# largest difference must be at most 2e-3 on 0..1.  Then the tiled path
# (statistics shared by tiles with a halo) against the untiled one on the
# same image: within 1/255.
#
#   tests/e2e/test_net_reference.sh BUILD_DIR
set -u

build=$(cd "${1:-build}" 2>/dev/null && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$repo/tests/report.sh"
weights=$repo/../shared/data/weights/fast-style-ncnn-fp16
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$build/atelier" ] && [ -x "$build/tests/net_run" ] ||
  bail "no $build/atelier or $build/tests/net_run (run make first)"
[ -f "$weights/candy.bin" ] || bail "no reference network in $weights"
"$py" -c 'import torch' 2>/dev/null ||
  bail "$py has no torch (apt-get install python3-torch)"

"$build/atelier" net-import --ncnn "$weights/candy.bin" "$tmp/candy.atnet" \
  >"$tmp/import.log" 2>&1
check net-import "$(head -c 300 "$tmp/import.log")" '[ -s "$tmp/candy.atnet" ]'

# compare W H: engine vs PyTorch on a seeded image of that size; prints
# the largest difference
compare () {
  PYTHONPATH=$repo/tests/e2e "$py" - "$weights/candy.bin" "$tmp" "$1" "$2" <<'PY'
import sys
import numpy as np
import torch
import johnson_torch

path, tmp, w, h = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
net = johnson_torch.load(path)

# a photo-like test image: smooth gradients, a few discs, fine noise
rng = np.random.default_rng(w * 1000 + h)
yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
img = np.stack([xx / w, yy / h, 0.5 + 0.5 * np.sin(xx / 17.0 + yy / 23.0)], -1)
for _ in range(6):
    cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(10, 60)
    img[(xx - cx) ** 2 + (yy - cy) ** 2 < r * r] = rng.uniform(0, 1, 3)
img = np.clip(img + rng.normal(0, 0.03, img.shape), 0, 1).astype(np.float32)
img.tofile("%s/in-%dx%d.f32" % (tmp, w, h))
torch.set_num_threads(2)
johnson_torch.run(net, img).astype(np.float32).tofile(
    "%s/ref-%dx%d.f32" % (tmp, w, h))
PY
  "$build/tests/net_run" "$tmp/candy.atnet" "$1" "$2" "$tmp/in-$1x$2.f32" \
    "$tmp/out-$1x$2.f32" 2>"$tmp/run.log" || { echo "net_run failed: $(cat "$tmp/run.log")"; return; }
  "$py" -c 'import sys, numpy as np
a = np.fromfile(sys.argv[1], np.float32); b = np.fromfile(sys.argv[2], np.float32)
print("%.6f" % np.abs(a - b).max() if a.size == b.size else "size-mismatch")' \
    "$tmp/out-$1x$2.f32" "$tmp/ref-$1x$2.f32"
}

for size in "256 256" "512 384"; do
  set -- $size
  d=$(compare "$1" "$2" 2>&1 | tail -1)
  check "net-equals-pytorch-$1x$2" "largest difference ${d:-none} (limit 0.002)" \
    '"$py" -c "import sys; sys.exit(not float(sys.argv[1]) <= 2e-3)" "$d" 2>/dev/null'
done

# tiled (statistics of the whole 512 x 384 image, tiles of 96 pixels with
# the network's halo) against untiled
"$build/tests/net_run" "$tmp/candy.atnet" 512 384 "$tmp/in-512x384.f32" \
  "$tmp/tiled.f32" $(( 512 * 384 )) 96 2>"$tmp/run.log"
d=$("$py" -c 'import sys, numpy as np
a = np.fromfile(sys.argv[1], np.float32); b = np.fromfile(sys.argv[2], np.float32)
print("%.6f" % np.abs(a - b).max() if a.size == b.size and a.size else "missing")' \
  "$tmp/tiled.f32" "$tmp/out-512x384.f32" 2>&1)
check net-tiled-equals-untiled "largest difference ${d:-none} (limit 1/255); $(head -c 200 "$tmp/run.log")" \
  '"$py" -c "import sys; sys.exit(not float(sys.argv[1]) <= 1 / 255)" "$d" 2>/dev/null'

finish
