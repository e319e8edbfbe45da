#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Quality and image size change the detail, never the look: a grainy
# product shot (the LED bulb, a photo nothing was tuned on, upscaled to
# 1406x1600 with 1 % grain) restyled after The Starry Night at Preview and
# at Best, and a 352x400 copy at Normal (what a dialog's preview renders),
# must agree in mean luminance to within 0.02 and, on the backdrop (the
# frame's outer tenth), to within 0.04.  Before the content analysis ran
# at one size, Preview and Best differed by 0.044 overall here and the
# backdrop turned orange at Preview and pale grey at Best.
# Usage: tests/e2e/test_look.sh BUILD_DIR
set -u
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")/../.." && pwd)
data="$here/../shared/data"
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$here/tests/report.sh"

"$py" - "$data" "$tmp" <<'PY' || { fail inputs "cannot prepare inputs"; finish; }
import sys
import numpy as np
from PIL import Image
data, out = sys.argv[1:]
im = Image.open(data + '/content/product_abo_B074M5HPBD_led_bulb_dcace9b5.jpg').convert('RGB')
big = np.asarray(im.resize((1406, 1600), Image.LANCZOS), np.float32)
big += np.random.default_rng(1).normal(0, 2.55, big.shape)
big = Image.fromarray(big.clip(0, 255).astype(np.uint8))
big.save(out + '/big.png')
big.resize((352, 400), Image.LANCZOS).save(out + "/small-in.png")
PY
style="$data/style/starry_night_vangogh.jpg"
run () {   # NAME QUALITY IN
  "$build/atelier" stylize --quiet -q "$2" -s "$style" "$tmp/$3" "$tmp/$1.png" \
    2>"$tmp/$1.err" || { fail "$1" "atelier: $(tail -1 "$tmp/$1.err")"; return 1; }
}
run preview preview big.png && run best best big.png && run small normal small-in.png \
  || finish

# mean luminance overall and on the outer tenth of the frame, at 352x400
means () {
  "$py" - "$1" <<'PY'
import sys
import numpy as np
from PIL import Image
y = np.asarray(Image.open(sys.argv[1]).convert('L').resize((352, 400), Image.BOX),
               np.float64) / 255
m = np.ones_like(y, bool)
m[40:-40, 35:-35] = False
print('%.4f %.4f' % (y.mean(), y[m].mean()))
PY
}
read -r p_all p_back <<<"$(means "$tmp/preview.png")"
for other in best small; do
  read -r o_all o_back <<<"$(means "$tmp/$other.png")"
  echo "# preview: mean $p_all, backdrop $p_back; $other: mean $o_all, backdrop $o_back"
  check "preview-vs-$other" "mean luminance $p_all vs $o_all, backdrop $p_back vs $o_back" \
    "$py -c 'import sys; a, b, c, d = map(float, sys.argv[1:]); sys.exit(not (abs(a - b) <= 0.02 and abs(c - d) <= 0.04))' $p_all $o_all $p_back $o_back"
done
finish
