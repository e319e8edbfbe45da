# SPDX-License-Identifier: GPL-3.0-or-later
# Pixel checks for the GIMP tests (tests/gimp/lib.sh for GIMP 2.10,
# tests/gimp3/lib3.sh for GIMP 3), with $py's PIL.
# shellcheck shell=bash

# diff_stats A B [X Y W H]: "MAX_IN MEAN_IN MAX_OUT MEAN_OUT": the largest
# and the mean per-channel difference (0..255, alpha included) inside the
# rectangle and outside it (no rectangle: all of it counts as inside).
diff_stats () {
  "$py" - "$@" <<'PY'
import sys
from PIL import Image, ImageChops
a = Image.open(sys.argv[1]).convert("RGBA")
b = Image.open(sys.argv[2]).convert("RGBA")
if a.size != b.size:
    print("size", a.size, b.size); sys.exit(1)
w, h = a.size
r = [int(v) for v in sys.argv[3:7]] if len(sys.argv) >= 7 else [0, 0, w, h]
d = ImageChops.difference(a, b).load()
stats = {True: [0, 0, 0], False: [0, 0, 0]}   # max, sum, count
for y in range(h):
    for x in range(w):
        inside = r[0] <= x < r[0] + r[2] and r[1] <= y < r[1] + r[3]
        s = stats[inside]
        for c in d[x, y]:
            s[0] = max(s[0], c); s[1] += c; s[2] += 1
out = []
for k in (True, False):
    m, t, n = stats[k]
    out += [m, "%.3f" % (t / n if n else 0.0)]
print(*out)
PY
}

# mean_rgb FILE: "R G B", each 0..255
mean_rgb () {
  "$py" - "$1" <<'PY'
import sys
from PIL import Image, ImageStat
print(*("%.2f" % v for v in ImageStat.Stat(Image.open(sys.argv[1]).convert("RGB")).mean))
PY
}

# size_of FILE: "W H"
size_of () {
  "$py" -c 'import sys
from PIL import Image
print(*Image.open(sys.argv[1]).size)' "$1" 2>/dev/null
}

# float comparison: fcmp "A < B"
fcmp () {
  awk "BEGIN { exit !($1) }"
}
