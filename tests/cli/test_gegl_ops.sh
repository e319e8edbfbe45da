#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of the GEGL operations atelier:style-transfer and
# atelier:color-transfer (ops/, built into BUILD/gegl-ops/) through the
# gegl command-line tool: they are found, restyle and recolour real
# pixels, match the command-line tool, are deterministic, take their
# style from aux (command-line chain and XML graph), and on an error leave
# the image as it was with a warning.
#
#   tests/cli/test_gegl_ops.sh BUILD_DIR
#
# Prints "ok NAME" or "FAIL NAME: why" per case, then "N passed, M failed";
# exits non-zero if anything failed.  Images are 96x64, quality preview.
set -u

build=${1:-build}
build=$(cd "$build" 2>/dev/null && pwd)
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../report.sh"

ops=$build/gegl-ops
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# GEGL's swap and caches, the user's styles and GEGL's user plug-in folder:
# all throw-away, nothing of the user's is read or written
export XDG_CACHE_HOME=$tmp/cache XDG_DATA_HOME=$tmp/data
unset ATELIER_STYLE_PATH
limit=
if command -v timeout >/dev/null 2>&1; then
  limit="timeout 120"
fi

# GEGL_PATH replaces GEGL's module folders, so the system's (the PNG
# loader and saver) go after ours.
sysops=$(pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null)
[ -n "$sysops" ] || sysops=/usr/lib/x86_64-linux-gnu/gegl-0.4
export GEGL_PATH=$ops:$sysops

py=
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import PIL, numpy' 2>/dev/null; then
    py=$candidate
    break
  fi
done

command -v gegl >/dev/null 2>&1 || bail "no gegl command (Debian: apt-get install gegl)"
[ -n "$py" ] || bail "no python3 with PIL and numpy"
for m in atelier-style-transfer.so atelier-color-transfer.so; do
  [ -f "$ops/$m" ] || bail "$ops/$m is missing (run make)"
done
cd "$tmp" || bail "cannot enter $tmp"

# Runs gegl with stdin closed; sets rc, and the stdout and stderr files.
run () {
  $limit gegl "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
}

# "WIDTH HEIGHT" of an image file.
size () {
  "$py" -c 'import sys
from PIL import Image
print (*Image.open (sys.argv[1]).size)' "$1" 2>/dev/null
}

# Largest per-channel difference between two same-sized images, 0..255.
max_diff () {
  "$py" -c 'import sys
from PIL import Image, ImageChops
a = Image.open (sys.argv[1]).convert ("RGB")
b = Image.open (sys.argv[2]).convert ("RGB")
print (max (hi for lo, hi in ImageChops.difference (a, b).getextrema ()))' \
    "$1" "$2" 2>/dev/null
}

# Mean absolute difference of two same-sized images, 0..255, rounded.
mean_diff () {
  "$py" -c 'import sys
import numpy as np
from PIL import Image
a = np.asarray (Image.open (sys.argv[1]).convert ("RGB"), dtype=float)
b = np.asarray (Image.open (sys.argv[2]).convert ("RGB"), dtype=float)
print (int (round (abs (a - b).mean ())))' "$1" "$2" 2>/dev/null
}

# expect_image NAME OUT ARGS...: gegl exits 0 and writes a 96x64 OUT.
expect_image () {
  local name=$1 out=$2
  shift 2
  rm -f "$out"
  run "$@"
  if [ "$rc" -ne 0 ]; then
    fail "$name" "exit status $rc: $(head -c 300 "$tmp/stderr")"
  elif [ "$(size "$out")" != "96 64" ]; then
    fail "$name" "$out is '$(size "$out")', expected 96x64"
  elif grep -q 'atelier:' "$tmp/stderr"; then
    fail "$name" "a warning: $(grep 'atelier:' "$tmp/stderr" | head -c 300)"
  else
    ok "$name"
  fi
}

# expect_unchanged NAME WHY OUT ARGS...: gegl exits 0, OUT has the input's
# pixels, and stderr has the operation's warning matching WHY.
expect_unchanged () {
  local name=$1 why=$2 out=$3 d
  shift 3
  rm -f "$out"
  run "$@"
  d=$(max_diff content.png "$out")
  if [ "$rc" -ne 0 ]; then
    fail "$name" "exit status $rc: $(head -c 300 "$tmp/stderr")"
  elif [ "${d:-x}" != 0 ]; then
    fail "$name" "$out differs from the input by ${d:-? (unreadable)}"
  elif ! grep -q "WARNING.*atelier:[a-z-]*: .*$why" "$tmp/stderr"; then
    fail "$name" "no warning '$why' on stderr: $(head -c 300 "$tmp/stderr")"
  else
    ok "$name"
  fi
}

# ---- test images: a photo and two paintings at 96x64, one with alpha ----

"$py" - "$repo" <<'EOF' || bail "cannot make the test images"
import glob, os, sys
from PIL import Image
repo = sys.argv[1]
data = os.path.join (repo, "..", "shared", "data")
def pick (folder, *names):
    for n in names:
        p = os.path.join (data, folder, n)
        if os.path.exists (p):
            return Image.open (p).convert ("RGB")
    return None
photo = pick ("content", "kodak_kodim03.png", "kodak_kodim04.png")
paint = pick ("style", "starry_night_vangogh.jpg", "great_wave_hokusai.jpg")
if photo is None:   # synthetic stand-ins when the shared data is absent
    photo = Image.new ("RGB", (96, 64))
    photo.putdata ([((x * 5) % 256, (y * 7) % 256, 180 if (x // 16 + y // 16) % 2 else 40)
                    for y in range (64) for x in range (96)])
if paint is None:
    paint = Image.new ("RGB", (96, 64))
    paint.putdata ([(30, 60 + (x * y) % 120, 200 - (x * 3) % 90)
                    for y in range (64) for x in range (96)])
photo.resize ((96, 64), Image.LANCZOS).save ("content.png")
paint.resize ((96, 64), Image.LANCZOS).save ("style.png")
# a palette far from the photo's colours: warm orange and red
pal = Image.new ("RGB", (48, 32))
pal.putdata ([(230 - x, 120 + (y * 3) % 60, 30 + x % 20) for y in range (32) for x in range (48)])
pal.save ("palette.png")
rgba = Image.open ("content.png").convert ("RGBA")
px = rgba.load ()
for y in range (16):
    for x in range (96):
        r, g, b, a = px[x, y]
        px[x, y] = (r, g, b, 0)
rgba.save ("alpha.png")
EOF

# ---- found by GEGL ----

run --list-all
check listed "exit $rc; $(grep -c '^atelier:' "$tmp/stdout") atelier ops in --list-all" \
  '[ "$rc" -eq 0 ] && grep -qx "atelier:style-transfer" "$tmp/stdout" &&
   grep -qx "atelier:color-transfer" "$tmp/stdout"'
run --info atelier:style-transfer
check info-style-transfer "exit $rc; $(head -c 300 "$tmp/stdout")" \
  '[ "$rc" -eq 0 ] && grep -aq "gimp:menu-path *<Image>/Filters/Artistic" "$tmp/stdout" &&
   grep -aq "^categories *artistic" "$tmp/stdout" &&
   for p in style strength style-scale quality preserve-colors seed backdrop; do
     grep -aq "^$p  *\[" "$tmp/stdout" || exit 1; done'
run --info atelier:color-transfer
check info-color-transfer "exit $rc; $(head -c 300 "$tmp/stdout")" \
  '[ "$rc" -eq 0 ] && grep -aq "gimp:menu-path *<Image>/Colors/Map" "$tmp/stdout" &&
   grep -aq "^categories *color" "$tmp/stdout" &&
   for p in style strength preserve-luminance; do
     grep -aq "^$p  *\[" "$tmp/stdout" || exit 1; done'

# ---- style transfer after an image file ----

st="atelier:style-transfer quality=preview"
expect_image restyle-file out1.png content.png -o out1.png -- $st style="$tmp/style.png" strength=0.7
d=$(mean_diff content.png out1.png)
check restyle-file-changes "mean difference ${d:-?} from the input" '[ "${d:-0}" -ge 8 ]'
expect_image restyle-file-again out2.png content.png -o out2.png -- $st style="$tmp/style.png" strength=0.7
check deterministic "two runs with seed 1 differ" cmp -s out1.png out2.png
expect_image restyle-seed-2 out3.png content.png -o out3.png -- $st style="$tmp/style.png" strength=0.7 seed=2
check seed-matters "seed 2 gives seed 1's pixels" '! cmp -s out1.png out3.png'
expect_image restyle-strength out4.png content.png -o out4.png -- $st style="$tmp/style.png" strength=0.2
d2=$(mean_diff content.png out4.png)
check strength-matters "strength 0.2 differs by ${d2:-?}, 0.7 by ${d:-?}" '[ "${d2:-99}" -lt "${d:-0}" ]'
expect_image restyle-preserve-colors out5.png content.png -o out5.png -- $st style="$tmp/style.png" strength=0.7 preserve-colors=true
d3=$(mean_diff content.png out5.png)
check preserve-colors-matters "preserve-colors differs from the input by ${d3:-?}, without by ${d:-?}" \
  '[ "${d3:-99}" -lt "${d:-0}" ]'
# the same engine call as `atelier stylize` (8-bit there, 16-bit PNG here)
if [ -x "$build/atelier" ]; then
  "$build/atelier" stylize --style style.png --quality preview --strength 0.7 \
    --scale 1 --seed 1 --quiet content.png cli.png </dev/null >/dev/null 2>&1
  d=$(max_diff cli.png out1.png)
  check matches-cli "differs from atelier stylize by ${d:-? (no output)}" '[ "${d:-9}" -le 1 ]'
fi

# backdrop: on a product shot (a textured box on white) auto, the
# default, and off differ; off is the CLI's --backdrop off
"$py" "$repo/tests/product_image.py" product.png || bail "cannot make the product shot"
expect_image backdrop-auto bd-auto.png product.png -o bd-auto.png -- $st style="$tmp/style.png"
expect_image backdrop-off bd-off.png product.png -o bd-off.png -- $st style="$tmp/style.png" backdrop=off
d=$(mean_diff bd-auto.png bd-off.png)
check backdrop-matters "off differs from auto by mean ${d:-?}" '[ "${d:-0}" -ge 8 ]'
if [ -x "$build/atelier" ]; then
  "$build/atelier" stylize --style style.png --quality preview --backdrop off \
    --quiet product.png cli-bd.png </dev/null >/dev/null 2>&1
  d=$(max_diff cli-bd.png bd-off.png)
  check backdrop-off-matches-cli "differs from atelier stylize --backdrop off by ${d:-? (no output)}" \
    '[ "${d:-9}" -le 1 ]'
fi

# a part asked for is the part of the whole image's result (the op
# computes the whole input, not the part)
run content.png -o crop.png -- $st style="$tmp/style.png" strength=0.7 gegl:crop x=40 y=20 width=30 height=20
d=$("$py" -c 'from PIL import Image, ImageChops
a = Image.open ("crop.png").convert ("RGB")
b = Image.open ("out1.png").convert ("RGB").crop ((40, 20, 70, 40))
print (max (hi for lo, hi in ImageChops.difference (a, b).getextrema ()) if a.size == b.size else 255)' 2>/dev/null)
check part-of-the-whole "exit $rc; a 30x20 crop differs from the whole result's by ${d:-?}" \
  '[ "$rc" -eq 0 ] && [ "${d:-9}" = 0 ]'

# ---- the style from aux ----

expect_image aux-chain out6.png content.png -o out6.png -- $st strength=0.7 aux=[ gegl:load path="$tmp/style.png" ]
d=$(max_diff out1.png out6.png)
check aux-chain-is-the-style "differs from style=FILE by ${d:-?}" '[ "${d:-9}" = 0 ]'
cat >graph.xml <<EOF
<?xml version='1.0' encoding='UTF-8'?>
<gegl>
  <node operation='atelier:style-transfer'>
    <params>
      <param name='quality'>preview</param>
      <param name='strength'>0.7</param>
      <!-- aux wins over the property -->
      <param name='style'>$tmp/no-such-style.png</param>
    </params>
    <node operation='gegl:load'>
      <params><param name='path'>$tmp/style.png</param></params>
    </node>
  </node>
  <node operation='gegl:load'>
    <params><param name='path'>$tmp/content.png</param></params>
  </node>
</gegl>
EOF
expect_image aux-xml out7.png -i graph.xml -o out7.png
d=$(max_diff out1.png out7.png)
check aux-xml-is-the-style "differs from style=FILE by ${d:-?}" '[ "${d:-9}" = 0 ]'

# ---- shipped styles by name, a mix, a network file ----

models=$repo/models
atnet=$(ls "$models"/*.atnet 2>/dev/null | head -1)
first=
if [ -x "$build/atelier" ]; then
  first=$(ATELIER_STYLE_PATH=$models "$build/atelier" list-styles 2>/dev/null |
          awk -F '\t' '$2 == "network" { print $1 }' | sed -n 1p)
  second=$(ATELIER_STYLE_PATH=$models "$build/atelier" list-styles 2>/dev/null |
           awk -F '\t' '$2 == "network" { print $1 }' | sed -n 2p)
fi
if [ -n "$first" ]; then
  ATELIER_STYLE_PATH=$models expect_image named-style named.png content.png -o named.png -- $st style="$first"
  d=$(mean_diff content.png named.png)
  check named-style-changes "$first: mean difference ${d:-?}" '[ "${d:-0}" -ge 8 ]'
  "$build/atelier" stylize --style "$atnet" --quality preview --quiet \
    content.png cli-net.png </dev/null >/dev/null 2>&1
  expect_image network-file net.png content.png -o net.png -- $st style="$atnet"
  d=$(max_diff cli-net.png net.png)
  check network-file-matches-cli "differs from atelier stylize by ${d:-?}" '[ "${d:-9}" -le 1 ]'
  if [ -n "$second" ]; then
    ATELIER_STYLE_PATH=$models expect_image style-mix mix.png content.png -o mix.png -- $st style="$first=0.5,$second=0.5"
    d=$(max_diff named.png mix.png)
    check style-mix-differs "differs from $first alone by ${d:-?}" '[ "${d:-0}" -ge 10 ]'
  fi
  # from the build tree, models/ is found beside it, as the CLI finds it
  if [ "$(dirname "$build")" = "$repo" ]; then
    expect_image named-style-build-tree named2.png content.png -o named2.png -- $st style="$first"
    check named-style-build-tree-same "differs from ATELIER_STYLE_PATH's" cmp -s named.png named2.png
  fi
else
  fail named-style "no network style in $models (or no $build/atelier to list them)"
fi

# ---- errors: the image unchanged, a warning ----

expect_unchanged missing-style-file "cannot open" bad1.png content.png -o bad1.png -- $st style="$tmp/no-such-file.png"
expect_unchanged unknown-style-name "no style file or style named" bad2.png content.png -o bad2.png -- $st style=no-such-style
printf 'not an image\n' >notimage.png
expect_unchanged not-an-image "not an image" bad3.png content.png -o bad3.png -- $st style="$tmp/notimage.png"
if [ -n "$atnet" ]; then
  head -c 4096 "$atnet" >truncated.atnet
  expect_unchanged corrupt-network "truncated.atnet" bad4.png content.png -o bad4.png -- $st style="$tmp/truncated.atnet"
fi
expect_unchanged empty-aux "aux is connected but has no pixels" bad6.png content.png -o bad6.png -- $st aux=[ gegl:crop width=0 height=0 ]
expect_unchanged bad-mix "no-such-style" bad5.png content.png -o bad5.png -- $st style="no-such-style=0.5,other=0.5"

# ---- alpha ----

expect_image alpha outa.png alpha.png -o outa.png -- $st style="$tmp/style.png"
"$py" -c 'import sys
import numpy as np
from PIL import Image
a = np.asarray (Image.open ("alpha.png").convert ("RGBA"))[..., 3]
b = np.asarray (Image.open ("outa.png").convert ("RGBA"))[..., 3]
sys.exit (0 if (a == b).all () else 1)' 2>/dev/null
check alpha-kept "the alpha channel changed" '[ $? -eq 0 ]'

# ---- colour transfer ----

ct=atelier:color-transfer
# "d_in d_out": distance of the input's and the output's mean colour to
# the palette's
toward () {
  "$py" -c 'import sys
import numpy as np
from PIL import Image
m = lambda f: np.asarray (Image.open (f).convert ("RGB"), dtype=float).reshape (-1, 3).mean (0)
p = m (sys.argv[3])
print (int (np.linalg.norm (m (sys.argv[1]) - p)), int (np.linalg.norm (m (sys.argv[2]) - p)))' \
    "$1" "$2" "$3" 2>/dev/null
}
expect_image color-transfer-file ct1.png content.png -o ct1.png -- $ct style="$tmp/palette.png"
read -r d_in d_out <<<"$(toward content.png ct1.png palette.png)"
check color-transfer-toward-reference "mean colour ${d_in:-?} from the palette's before, ${d_out:-?} after" \
  '[ "${d_in:-0}" -ge 30 ] && [ "${d_out:-999}" -le $(( ${d_in:-0} / 4 )) ]'
if [ -x "$build/atelier" ]; then
  "$build/atelier" color-transfer --style palette.png content.png cli-ct.png </dev/null >/dev/null 2>&1
  d=$(max_diff cli-ct.png ct1.png)
  check color-transfer-matches-cli "differs from atelier color-transfer by ${d:-?}" '[ "${d:-9}" -le 1 ]'
fi
expect_image color-transfer-aux ct2.png content.png -o ct2.png -- $ct aux=[ gegl:load path="$tmp/palette.png" ]
d=$(max_diff ct1.png ct2.png)
check color-transfer-aux-is-the-reference "differs from style=FILE by ${d:-?}" '[ "${d:-9}" = 0 ]'
expect_image color-transfer-half ct3.png content.png -o ct3.png -- $ct style="$tmp/palette.png" strength=0.5
read -r d_in d_half <<<"$(toward content.png ct3.png palette.png)"
check color-transfer-strength "half strength ${d_half:-?} from the palette, full ${d_out:-?}, none ${d_in:-?}" \
  '[ "${d_half:-0}" -gt "${d_out:-0}" ] && [ "${d_half:-999}" -lt "${d_in:-0}" ]'
expect_image color-transfer-luminance ct4.png content.png -o ct4.png -- $ct style="$tmp/palette.png" preserve-luminance=true
# mean luma change with and without preserve-luminance (clipped colours
# keep a little of it)
read -r l_kept l_full <<<"$("$py" -c 'import sys
import numpy as np
from PIL import Image
y = lambda f: np.asarray (Image.open (f).convert ("RGB"), dtype=float) @ [0.299, 0.587, 0.114]
c = y ("content.png")
print (*(int (round (abs (y (f) - c).mean ())) for f in ("ct4.png", "ct1.png")))' 2>/dev/null)"
dc=$(mean_diff content.png ct4.png)
check color-transfer-keeps-luminance "luma moved by ${l_kept:-?} (${l_full:-?} without), colours by ${dc:-?}" \
  '[ "${l_full:-0}" -ge 10 ] && [ $(( ${l_kept:-99} * 5 )) -le "${l_full:-0}" ] && [ "${dc:-0}" -ge 8 ]'
expect_unchanged color-transfer-missing-file "cannot open" ct5.png content.png -o ct5.png -- $ct style="$tmp/no-such-file.png"
if [ -n "$atnet" ]; then
  expect_unchanged color-transfer-network "style network" ct6.png content.png -o ct6.png -- $ct style="$atnet"
fi
run content.png -o ct7.png -- $ct
d=$(max_diff content.png ct7.png)
check color-transfer-no-reference-passes "exit $rc, differs by ${d:-?}" '[ "$rc" -eq 0 ] && [ "${d:-9}" = 0 ]'

# ---- installed for the user: $XDG_DATA_HOME/gegl-0.4/plug-ins ----

mkdir -p "$XDG_DATA_HOME/gegl-0.4/plug-ins"
cp "$ops"/atelier-*.so "$XDG_DATA_HOME/gegl-0.4/plug-ins/"
( unset GEGL_PATH
  $limit gegl --exists atelier:style-transfer atelier:color-transfer </dev/null >/dev/null 2>&1 &&
  $limit gegl content.png -o inst.png -- $ct style="$tmp/palette.png" </dev/null >/dev/null 2>&1 )
rc=$?
d=$(max_diff ct1.png inst.png)
check installed-for-user "exit $rc; differs from the build's by ${d:-? (no output)}" '[ "$rc" -eq 0 ] && [ "${d:-9}" = 0 ]'

finish
