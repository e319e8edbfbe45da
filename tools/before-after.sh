#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Makes the README's before/after sheet: one photo, restyled with the CLI at
# three strengths and with --preserve-colors.
#   tools/before-after.sh OUT.jpg [BUILD_DIR]
set -euo pipefail
out=$(realpath -m "$1")
build=$(realpath "${2:-build}")
data=$(cd "$(dirname "$0")/../../shared/data" && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
content=$data/content/packaging_grocery_Arla-Standard-Milk.jpg
style=$data/style/starry_night_vangogh.jpg

/usr/bin/python3 - "$content" "$style" "$tmp" <<'PY'
import sys
from PIL import Image
for src, dst in ((sys.argv[1], 'c.png'), (sys.argv[2], 's.png')):
    im = Image.open(src).convert('RGB')
    f = 512 / max(im.size)
    im.resize((round(im.size[0] * f), round(im.size[1] * f)), Image.LANCZOS).save(f'{sys.argv[3]}/{dst}')
PY
labels=("photo" "style")
files=("$tmp/c.png" "$tmp/s.png")
for s in 0.4 0.7 0.9; do
  "$build/atelier" stylize --quiet --strength "$s" --style "$tmp/s.png" "$tmp/c.png" "$tmp/o$s.png"
  labels+=("strength $s"); files+=("$tmp/o$s.png")
done
"$build/atelier" stylize --quiet --preserve-colors --style "$tmp/s.png" "$tmp/c.png" "$tmp/pc.png"
labels+=("0.7, preserve colours"); files+=("$tmp/pc.png")

/usr/bin/python3 - "$out" "${#files[@]}" "${files[@]}" "${labels[@]}" <<'PY'
import sys
from PIL import Image, ImageDraw
out, n = sys.argv[1], int(sys.argv[2])
files, labels = sys.argv[3:3 + n], sys.argv[3 + n:]
cell, cols = 320, 3
sheet = Image.new('RGB', (cols * cell, ((n + cols - 1) // cols) * (cell + 20)), 'white')
draw = ImageDraw.Draw(sheet)
for i, (f, label) in enumerate(zip(files, labels)):
    im = Image.open(f).convert('RGB')
    im.thumbnail((cell, cell))
    x, y = (i % cols) * cell, (i // cols) * (cell + 20)
    sheet.paste(im, (x + (cell - im.width) // 2, y + 20))
    draw.text((x + 6, y + 4), label, fill='black')
sheet.save(out, quality=85)
PY
echo "wrote $out"
