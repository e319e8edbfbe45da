#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The trainer (tools/train) end to end on tiny crops: 3 iterations of a
# two-style net with the adversarial term on (64x64 crops, batch 2), a
# resume for 2 more (the counter continues, and the result is the same
# bits as 5 iterations in one run), the export to .atnet, and the
# trainer's own PyTorch forward against the engine (tests/net_run) on a
# 96 x 64 image for each style (style 1 through an export that puts it
# first): at most 2e-3 apart on 0..1.  Then the fp16 export against its
# own weights, the style table (names, labels, Chinese labels) as written,
# the CLI restyling with the file, and the file refused (exit 1) with one
# byte changed.
#
#   tests/e2e/test_train_export.sh BUILD_DIR
set -u

build=$(cd "${1:-build}" 2>/dev/null && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$repo/tests/report.sh"
train=$repo/tools/train
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

[ -x "$build/atelier" ] && [ -x "$build/tests/net_run" ] ||
  bail "no $build/atelier or $build/tests/net_run (run make first)"
"$py" -c 'import torch, numpy, PIL' 2>/dev/null ||
  bail "$py lacks torch, numpy or PIL (apt-get install python3-torch python3-pil)"
[ -f "$repo/../shared/data/weights/vgg19-relu3_1/vgg_r31.pth" ] ||
  bail "no VGG weights in ../shared/data/weights/vgg19-relu3_1"
[ -d "$repo/../shared/data/train" ] || bail "no ../shared/data/train"

tiny="--style starry-night --style udnie --crop 64 --batch 2 --style-size 256
      --threads 2 --log-every 1 --adv-weight 0.05"
# shellcheck disable=SC2086
"$py" "$train/train.py" --out "$tmp/run" $tiny --iterations 3 \
  >"$tmp/train1.log" 2>&1
check train-3-iterations "$(tail -c 400 "$tmp/train1.log")" \
  '[ -s "$tmp/run/checkpoint.pt" ] && grep -q "^train.py: iteration 3," "$tmp/train1.log" && grep -q "g_adv" "$tmp/train1.log"'

"$py" "$train/train.py" --resume "$tmp/run/checkpoint.pt" --iterations 5 \
  >"$tmp/train2.log" 2>&1
check resume-continues "$(tail -c 400 "$tmp/train2.log")" \
  'grep -q "iteration 3 of 5" "$tmp/train2.log" && grep -q "^it 4 " "$tmp/train2.log" && grep -q "^train.py: iteration 5," "$tmp/train2.log" && ! grep -q "^it [123] " "$tmp/train2.log"'

# shellcheck disable=SC2086
"$py" "$train/train.py" --out "$tmp/straight" $tiny --iterations 5 \
  >"$tmp/train3.log" 2>&1

"$py" "$train/export.py" "$tmp/run/checkpoint.pt" "$tmp/net.atnet" \
  >"$tmp/export.log" 2>&1 &&
"$py" "$train/export.py" "$tmp/run/checkpoint.pt" "$tmp/net-udnie.atnet" \
  --styles udnie,starry-night >>"$tmp/export.log" 2>&1 &&
"$py" "$train/train.py" --export "$tmp/run/checkpoint.pt" "$tmp/net16.atnet" \
  --fp16 >>"$tmp/export.log" 2>&1 &&
"$py" "$train/export.py" "$tmp/straight/checkpoint.pt" "$tmp/straight.atnet" \
  >>"$tmp/export.log" 2>&1
check export "$(tail -c 400 "$tmp/export.log")" \
  '[ -s "$tmp/net.atnet" ] && [ -s "$tmp/net-udnie.atnet" ] && [ -s "$tmp/net16.atnet" ]'
check resume-is-exact "3 + 2 iterations differ from 5 in one run" \
  cmp -s "$tmp/net.atnet" "$tmp/straight.atnet"

# the trainer's forward (the checkpoint's generator; style 0 and 1) and
# the fp16 file's own weights, on a seeded 96 x 64 image
PYTHONPATH=$train "$py" - "$tmp" >"$tmp/ref.log" 2>&1 <<'PY'
import sys
import numpy as np
import torch
import atnet

tmp = sys.argv[1]
torch.set_num_threads(2)
w, h = 96, 64
rng = np.random.default_rng(13)
yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
img = np.stack([xx / w, yy / h, 0.5 + 0.5 * np.sin(xx / 7.0 + yy / 11.0)], -1)
img = np.clip(img + rng.normal(0, 0.05, img.shape), 0, 1).astype(np.float32)
img.tofile(tmp + "/in.f32")
from PIL import Image
Image.fromarray((img * 255 + 0.5).astype(np.uint8)).save(tmp + "/in.png")
gen, styles = atnet.generator_from_checkpoint(tmp + "/run/checkpoint.pt")
for s in range(2):
    atnet.stylize(gen, img, s).astype(np.float32).tofile(
        "%s/ref%d.f32" % (tmp, s))
g16, _ = atnet.read_atnet(tmp + "/net16.atnet")
atnet.stylize(g16, img, 0).astype(np.float32).tofile(tmp + "/ref16.f32")
_, table = atnet.read_atnet(tmp + "/net.atnet")
_, table2 = atnet.read_atnet(tmp + "/net-udnie.atnet")
print("STYLES", ";".join("%s|%s|%s|%g|%g" % (t["name"], t["label"],
      t["label_zh"], t["strength"], t["scale"]) for t in table + table2))
PY
check forward-reference "$(tail -c 300 "$tmp/ref.log")" '[ -s "$tmp/ref1.f32" ]'
check style-table "$(grep STYLES "$tmp/ref.log")" \
  'grep -q "^STYLES starry-night|The Starry Night|星夜|1|1;udnie|Udnie|乌德尼|1|1;udnie|Udnie|乌德尼|1|1;starry-night|" "$tmp/ref.log"'

# diff NET REF: the engine's output of NET's style 0 against REF
diff_max () {
  "$build/tests/net_run" "$1" 96 64 "$tmp/in.f32" "$tmp/out.f32" \
    2>"$tmp/run.log" || { echo "net_run failed: $(head -c 200 "$tmp/run.log")"; return; }
  "$py" -c 'import sys, numpy as np
a = np.fromfile(sys.argv[1], np.float32); b = np.fromfile(sys.argv[2], np.float32)
print("%.6f" % np.abs(a - b).max() if a.size == b.size and a.size else "size-mismatch")' \
    "$tmp/out.f32" "$2" 2>&1
}
within () { "$py" -c "import sys; sys.exit(not float(sys.argv[1]) <= 2e-3)" "$1" 2>/dev/null; }

d=$(diff_max "$tmp/net.atnet" "$tmp/ref0.f32")
check engine-equals-trainer-style0 "largest difference ${d:-none} (limit 0.002)" 'within "$d"'
d=$(diff_max "$tmp/net-udnie.atnet" "$tmp/ref1.f32")
check engine-equals-trainer-style1 "largest difference ${d:-none} (limit 0.002)" 'within "$d"'
d=$(diff_max "$tmp/net16.atnet" "$tmp/ref16.f32")
check engine-equals-fp16-file "largest difference ${d:-none} (limit 0.002)" 'within "$d"'

# a residual net (a skip from the input, through the stride-2 convs, to
# the output) with its own learning-rate groups, started from the first
# run's weights by --init: the engine runs it as the trainer does
# shellcheck disable=SC2086
"$py" "$train/train.py" --out "$tmp/res" $tiny --residual --iterations 2 \
  --norm-lr-scale 10 --last-lr-scale 0.1 --warmup 2 >"$tmp/res.log" 2>&1 &&
"$py" "$train/train.py" --out "$tmp/staged" $tiny --init "$tmp/run/checkpoint.pt" \
  --norm-lr-scale 10 --texture-weight 3 --iterations 1 >>"$tmp/res.log" 2>&1 &&
"$py" "$train/export.py" "$tmp/res/checkpoint.pt" "$tmp/res.atnet" >>"$tmp/res.log" 2>&1
PYTHONPATH=$train "$py" - "$tmp" >>"$tmp/res.log" 2>&1 <<'PY'
import sys
import numpy as np
import atnet
tmp = sys.argv[1]
img = np.fromfile(tmp + "/in.f32", np.float32).reshape(64, 96, 3)
gen, _ = atnet.generator_from_checkpoint(tmp + "/res/checkpoint.pt")
atnet.stylize(gen, img, 0).astype(np.float32).tofile(tmp + "/ref-res.f32")
PY
d=$(diff_max "$tmp/res.atnet" "$tmp/ref-res.f32")
check engine-equals-trainer-residual "largest difference ${d:-none} (limit 0.002); $(tail -c 200 "$tmp/res.log")" 'within "$d"'
# a new stage from the first run's weights, with the texture term
check init-stage "$(tail -c 300 "$tmp/res.log")" 'grep -q "^train.py: iteration 1," "$tmp/res.log" && grep -q "^it 1 .* texture [0-9]" "$tmp/res.log"'

# --tune-styles: only udnie's rows of the norms move; every convolution and
# starry-night's rows stay bit for bit the first run's
# shellcheck disable=SC2086
"$py" "$train/train.py" --out "$tmp/tuned" $tiny --init "$tmp/run/checkpoint.pt" \
  --tune-styles udnie --content-weight 10 --iterations 2 >"$tmp/tune.log" 2>&1 &&
moved=$("$py" - "$tmp" 2>>"$tmp/tune.log" <<'PY'
import sys
import torch
a = torch.load(sys.argv[1] + "/run/checkpoint.pt", map_location="cpu")["G"]
b = torch.load(sys.argv[1] + "/tuned/checkpoint.pt", map_location="cpu")["G"]
moved = set()   # "gammas:ROW" for a norm's row, else the tensor's name
for k in a:
    d = (a[k] - b[k]).abs()
    if k.startswith(("gammas.", "betas.")):
        moved |= {"%s:%d" % (k.split(".")[0], r)
                  for r in range(d.shape[0]) if d[r].max() > 0}
    elif d.max() > 0:
        moved.add(k)
print(" ".join(sorted(moved)))
PY
)
check tune-styles-moves-one-style "changed: ${moved:-nothing}; $(tail -c 200 "$tmp/tune.log")" \
  '[ "$moved" = "betas:1 gammas:1" ]'

"$build/atelier" stylize --style "$tmp/net.atnet" "$tmp/in.png" "$tmp/out.png" \
  >"$tmp/cli.log" 2>&1
check cli-stylizes "$(head -c 300 "$tmp/cli.log")" '[ -s "$tmp/out.png" ]'

# one byte changed in the middle of the weights: the CRC refuses it
cp "$tmp/net.atnet" "$tmp/bad.atnet"
size=$(stat -c %s "$tmp/bad.atnet")
"$py" -c 'import sys
p, at = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read()); b[at] ^= 0x10; open(p, "wb").write(b)' \
  "$tmp/bad.atnet" $(( size / 2 ))
"$build/atelier" stylize --style "$tmp/bad.atnet" "$tmp/in.png" "$tmp/bad.png" \
  >"$tmp/bad.log" 2>&1
rc=$?
check changed-byte-refused "exit $rc: $(head -c 300 "$tmp/bad.log")" \
  '[ "$rc" -eq 1 ] && [ ! -e "$tmp/bad.png" ] && grep -qi checksum "$tmp/bad.log"'

finish
