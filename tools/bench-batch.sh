#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Batch benchmark (not a test): atelier-batch on N images of 1024x1024
# against the engine's own time per image plus one GIMP start-up.
#   tools/bench-batch.sh [BUILD_DIR] [N]
# Prints the three figures and the ratio batch / (N x engine + start-up).
set -euo pipefail
build=$(realpath "${1:-build}")
n=${2:-20}
here=$(cd "$(dirname "$0")/.." && pwd)
data=$here/../shared/data
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache
export GIMP2_DIRECTORY=$tmp/gimp-profile

now () { date +%s.%N; }
elapsed () { awk -v a="$(now)" -v b="$1" 'BEGIN { print a - b }'; }

# inputs: content photos cropped and resized to 1024x1024, cycled to n
/usr/bin/python3 - "$data/content" "$tmp/in" "$n" "$data/style/starry_night_vangogh.jpg" "$tmp/style.png" <<'PY'
import os, sys
from PIL import Image
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst)
photos = sorted(f for f in os.listdir(src) if f.endswith(('.jpg', '.png')))
for i in range(n):
    im = Image.open(os.path.join(src, photos[i % len(photos)])).convert('RGB')
    s = min(im.size)
    im = im.crop(((im.width - s) // 2, (im.height - s) // 2,
                  (im.width - s) // 2 + s, (im.height - s) // 2 + s))
    im.resize((1024, 1024), Image.LANCZOS).save(os.path.join(dst, 'img%02d.png' % i))
im = Image.open(sys.argv[4]).convert('RGB')
f = 1024 / max(im.size)
im.resize((round(im.width * f), round(im.height * f)), Image.LANCZOS).save(sys.argv[5])
PY

# install.sh creates the missing profile (a quit-only gimp-console run)
"$here/install.sh" --no-deps --no-build --build-dir "$build" >/dev/null 2>&1

t=$(now)
timeout 120 gimp-console-2.10 -i -d -f -b '(gimp-quit 0)' >/dev/null 2>&1
startup=$(elapsed "$t")

t=$(now)
for f in "$tmp"/in/*.png; do
  "$build/atelier" stylize --quiet --style "$tmp/style.png" "$f" "$tmp/cli.png"
done
engine=$(awk -v t="$(elapsed "$t")" -v n="$n" 'BEGIN { print t / n }')

mkdir -p "$tmp/out"
t=$(now)
"$tmp/.local/bin/atelier-batch" -q --style "$tmp/style.png" -o "$tmp/out" "$tmp"/in/*.png
batch=$(elapsed "$t")
made=$(find "$tmp/out" -name '*.png' | wc -l)

printf 'GIMP start-up (quit-only gimp-console): %.2f s\n' "$startup"
printf 'engine per 1024x1024 image (atelier CLI): %.2f s\n' "$engine"
printf 'atelier-batch, %d images: %.2f s (%d outputs)\n' "$n" "$batch" "$made"
printf 'ratio batch / (%d x engine + start-up): %.2f (target <= 1)\n' "$n" \
  "$(awk -v b="$batch" -v n="$n" -v e="$engine" -v s="$startup" 'BEGIN { print b / (n * e + s) }')"
