#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Tests of the command-line tool: exit codes, error lines, no stray files,
# and that the outputs are images of the right size.
#
#   tests/cli/test_cli.sh BUILD_DIR
#
# Prints "ok NAME" or "FAIL NAME: why" per case, then "N passed, M failed";
# exits non-zero if anything failed.  Test images are made with the gegl
# command-line tool; sizes are read with python3 and PIL.
set -u

build=${1:-build}
atelier=$(cd "$build" 2>/dev/null && pwd)/atelier
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../report.sh"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache        # GEGL's swap and caches
limit=
if command -v timeout >/dev/null 2>&1; then
  limit="timeout 300"
fi

# The python with PIL, for reading image sizes.
py=
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import PIL' 2>/dev/null; then
    py=$candidate
    break
  fi
done

# "WIDTH HEIGHT MODE" of an image file.
info () {
  "$py" -c 'import sys
from PIL import Image
im = Image.open (sys.argv[1])
print (im.size[0], im.size[1], im.mode)' "$1" 2>/dev/null
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

# make FILE WIDTH HEIGHT OP [PROPERTY=VALUE...] [OP ...]
make_image () {
  local file=$1 w=$2 h=$3
  shift 3
  gegl -o "$file" -- "$@" gegl:crop width="$w" height="$h" >/dev/null 2>&1
  [ -s "$file" ]
}

# Runs atelier with stdin closed; sets rc, out and err files.
run () {
  $limit "$atelier" "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
}

# Anything the adapter's atomic save may have left in the work directory.
leftovers () {
  compgen -G "$tmp/work/.atelier-*" >/dev/null
}

# expect_fail NAME CODE OUT ARGS...: exit status CODE, exactly one line
# "atelier: ..." on stderr, OUT not created, no temporary file left.
expect_fail () {
  local name=$1 code=$2 out=$3
  shift 3
  rm -f "$out"
  run "$@"
  if [ "$rc" -ne "$code" ]; then
    fail "$name" "exit status $rc, expected $code: $(head -c 200 "$tmp/stderr")"
  elif [ "$(wc -l <"$tmp/stderr")" -ne 1 ] ||
       ! grep -q '^atelier: ' "$tmp/stderr"; then
    fail "$name" "stderr is not one 'atelier: ' line: $(head -c 300 "$tmp/stderr" | tr '\n' '|')"
  elif [ -e "$out" ]; then
    fail "$name" "$out was created"
  elif leftovers; then
    fail "$name" "a temporary file was left behind"
  else
    ok "$name"
  fi
}

# expect_image NAME OUT WIDTH HEIGHT [MODE] ARGS...: exit status 0 and
# OUT an image of that size (and PIL mode).
expect_image () {
  local name=$1 out=$2 w=$3 h=$4 mode=$5 got
  shift 5
  rm -f "$out"
  run "$@"
  got=$(info "$out")
  if [ "$rc" -ne 0 ]; then
    fail "$name" "exit status $rc: $(head -c 300 "$tmp/stderr" | tr '\n' '|')"
  elif [ ! -s "$out" ]; then
    fail "$name" "no output file"
  elif [ "${got% *}" != "$w $h" ]; then
    fail "$name" "output is '$got', expected $w x $h"
  elif [ -n "$mode" ] && [ "${got##* }" != "$mode" ]; then
    fail "$name" "output mode is ${got##* }, expected $mode"
  elif leftovers; then
    fail "$name" "a temporary file was left behind"
  else
    ok "$name"
  fi
}

# ---- setup ----

[ -x "$atelier" ] || bail "no $atelier (run make first)"
if ! command -v gegl >/dev/null 2>&1 || [ -z "$py" ]; then
  bail "needs the gegl command-line tool and python3 with PIL"
fi

mkdir -p "$tmp/work"
cd "$tmp/work" || exit 1
if ! make_image content.png 64 48 gegl:linear-gradient start-color=red \
       end-color=blue end-x=64 end-y=48 ||
   ! make_image grey.png 64 48 gegl:perlin-noise ||
   ! make_image style.png 40 40 gegl:checkerboard "color1=rgb(1,0.5,0)" color2=navy x=4 y=4 ||
   ! make_image alpha.png 32 24 gegl:color "value=rgba(0.2,0.5,0.8,0.5)" ||
   ! make_image tiny.png 1 1 gegl:color value=red ||
   ! make_image black.png 64 48 gegl:color value=black ||
   ! make_image small-mask.png 32 32 gegl:color value=white ||
   ! make_image content.jpg 64 48 gegl:linear-gradient start-color=green \
       end-color=white end-x=64 end-y=48; then
  bail "cannot make test images with gegl"
fi
head -c 4096 /dev/urandom >random.png
head -c 100 content.png >truncated.png
head -c 300 content.jpg >truncated.jpg
echo "not an image" >text.jpg
cp content.png content-named.jpg

# ---- usage ----

run --help
check help "exit status $rc, or no 'default 0.7' in the help" \
  '[ "$rc" -eq 0 ] && grep -q "default 0.7" "$tmp/stdout"'
run stylize --help
check stylize-help "exit status $rc, or no 'default 0.7' or --backdrop in the help" \
  '[ "$rc" -eq 0 ] && grep -q "default 0.7" "$tmp/stdout" &&
   grep -q -- "--backdrop=B .*(default auto)" "$tmp/stdout"'
run --version
check version "exit status $rc: $(cat "$tmp/stdout")" \
  '[ "$rc" -eq 0 ] && grep -q "^atelier [0-9]" "$tmp/stdout"'

expect_fail no-command 2 out.png
expect_fail unknown-command 2 out.png paint content.png out.png
expect_fail unknown-option 2 out.png stylize --style style.png --bogus content.png out.png
expect_fail missing-argument 2 out.png stylize content.png out.png --style
expect_fail missing-style-option 2 out.png stylize content.png out.png
expect_fail missing-output 2 out.png stylize --style style.png content.png
expect_fail extra-argument 2 out.png stylize --style style.png content.png out.png more.png
expect_fail strength-too-high 2 out.png stylize --style style.png --strength 1.5 content.png out.png
expect_fail strength-nan 2 out.png stylize --style style.png --strength nan content.png out.png
expect_fail strength-not-a-number 2 out.png stylize --style style.png --strength much content.png out.png
expect_fail scale-too-big 2 out.png stylize --style style.png --scale 9 content.png out.png
expect_fail seed-negative 2 out.png stylize --style style.png --seed -1 content.png out.png
expect_fail seed-too-big 2 out.png stylize --style style.png --seed 4294967296 content.png out.png
expect_fail threads-too-many 2 out.png stylize --style style.png --threads 1000 content.png out.png
expect_fail quality-bogus 2 out.png stylize --style style.png --quality bogus content.png out.png
expect_fail backdrop-bogus 2 out.png stylize --style style.png --backdrop bogus content.png out.png
check backdrop-bogus-says-why "stderr: $(head -c 200 "$tmp/stderr")" \
  'grep -q -- "--backdrop must be auto or off" "$tmp/stderr"'
expect_fail backdrop-number 2 out.png stylize --style style.png --backdrop 1 content.png out.png
expect_fail transfer-strength 2 out.png color-transfer --style style.png --strength 2 content.png out.png
expect_fail unsupported-output 2 out.bmp stylize --style style.png content.png out.bmp
expect_fail no-output-extension 2 out stylize --style style.png content.png out

# ---- bad files ----

expect_fail missing-input 1 out.png stylize --style style.png nothing.png out.png
expect_fail missing-style 1 out.png stylize --style nothing.png content.png out.png
expect_fail missing-mask 1 out.png stylize --style style.png --mask nothing.png content.png out.png
expect_fail input-is-directory 1 out.png stylize --style style.png . out.png
expect_fail corrupt-input 1 out.png stylize --style style.png random.png out.png
expect_fail corrupt-style 1 out.png stylize --style random.png content.png out.png
expect_fail truncated-png 1 out.png stylize --style style.png truncated.png out.png
expect_fail truncated-jpeg 1 out.png stylize --style style.png truncated.jpg out.png
expect_fail text-as-jpeg 1 out.png stylize --style style.png text.jpg out.png
expect_fail one-pixel-input 1 out.png stylize --style style.png tiny.png out.png
expect_fail one-pixel-style 1 out.png stylize --style tiny.png content.png out.png
expect_fail mask-wrong-size 1 out.png stylize --style style.png --mask small-mask.png content.png out.png
expect_fail output-dir-missing 1 none/out.png stylize --style style.png content.png none/out.png
mkdir -p out-dir.png
expect_fail output-is-directory 1 out-is-dir.png stylize --style style.png content.png out-dir.png
expect_fail transfer-corrupt 1 out.png color-transfer --style style.png random.png out.png

# Files that decode with an error are refused, never half decoded: each
# one fails today (libjpeg exits the process, or black rows with exit 0).
"$py" "$repo/tests/broken_images.py" . || bail "cannot make the broken images"
for f in bad-huffman.jpg bad-sos.jpg bad-sampling.jpg cut-zlib.png \
         bad-filter.png cut.tif cut.webp animated.webp; do
  expect_fail "broken-${f}" 1 out.png stylize --style style.png "$f" out.png
  expect_fail "broken-style-${f}" 1 out.png stylize --style "$f" content.png out.png
done
expect_fail transfer-broken-jpeg 1 out.png color-transfer --style bad-huffman.jpg content.png out.png

# a pixel budget from the header: the 60000 x 60000 bomb is refused at once
t0=$(date +%s%N)
expect_fail header-bomb 1 out.png stylize --style style.png bomb.png out.png
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check header-bomb-fast "refused after $ms ms; stderr: $(head -c 200 "$tmp/stderr")" \
  '[ "$ms" -lt 2000 ] && grep -q "60000x60000" "$tmp/stderr"'
expect_fail over-max-megapixels 1 out.png stylize --style style.png --max-megapixels 0.001 content.png out.png
check over-max-megapixels-names "stderr: $(head -c 200 "$tmp/stderr")" \
  'grep -q "64x48" "$tmp/stderr"'
expect_fail max-megapixels-bad 2 out.png stylize --style style.png --max-megapixels 0 content.png out.png

# a FIFO (or device) is refused without blocking on it
mkfifo fifo.png
SECONDS=0
expect_fail fifo-input 1 out.png stylize --style style.png fifo.png out.png
check fifo-input-fast "took ${SECONDS}s" '[ "$SECONDS" -lt 30 ]'
expect_fail device-input 1 out.png stylize --style style.png /dev/zero out.png

# CMYK JPEG (Adobe's inverted values) and CMYK TIFF decode to the right
# colours: red ink on the left, cyan on the right.  Colour transfer at
# strength 0 returns the decoded content.
for f in cmyk.jpg cmyk.tif; do
  run color-transfer --style style.png --strength 0 "$f" cmyk-out.png
  rgb=$("$py" -c 'import sys
from PIL import Image
im = Image.open (sys.argv[1]).convert ("RGB")
print (*im.getpixel ((8, 24)), *im.getpixel ((56, 24)))' cmyk-out.png 2>/dev/null)
  check "cmyk-colours-$f" "exit status $rc, left and right RGB: ${rgb:-none}" \
    '[ "$rc" -eq 0 ] && "$py" -c "import sys
v = [int (x) for x in sys.argv[1:]]
want = [255, 0, 0, 0, 255, 255]
sys.exit (max (abs (a - b) for a, b in zip (v, want)) > 12)" $rgb'
done

# an existing OUT survives a failed run
cp style.png keep.png
run stylize --style style.png random.png keep.png
check failure-keeps-output "exit status $rc, or keep.png changed" \
  '[ "$rc" -eq 1 ] && cmp -s style.png keep.png'

# ---- success ----

expect_image stylize-png out.png 64 48 RGBA stylize --style style.png content.png out.png
check quiet-without-terminal "stderr: $(head -c 200 "$tmp/stderr")" \
  '! [ -s "$tmp/stderr" ]'
expect_image stylize-jpeg out.jpg 64 48 RGB stylize --style style.png content.png out.jpg
expect_image stylize-tiff out.tif 64 48 "" stylize --style style.png content.png out.tif
expect_image jpeg-input out2.png 64 48 RGB stylize --style style.png content.jpg out2.png
expect_image png-named-jpg out3.png 64 48 RGBA stylize --style style.png content-named.jpg out3.png
expect_image grey-input-colour-output grey-out.png 64 48 RGB stylize --style style.png grey.png grey-out.png
expect_image alpha-kept alpha-out.png 32 24 RGBA stylize --style style.png alpha.png alpha-out.png
expect_image options out4.png 64 48 RGBA stylize --style style.png --strength 0.3 --scale 2 --preserve-colors --quality preview --seed 7 --threads 2 --quiet content.png out4.png
# --backdrop on a product shot (a textured box on a white backdrop that
# reaches the border): auto, the default, keeps the backdrop apart and
# sizes the strokes to the box; off restyles the whole frame alike
"$py" "$repo/tests/product_image.py" product.png || bail "cannot make the product shot"
expect_image backdrop-auto bd-auto.png 96 64 RGB stylize --style style.png --backdrop auto product.png bd-auto.png
expect_image backdrop-off bd-off.png 96 64 RGB stylize --style style.png --backdrop off product.png bd-off.png
run stylize --style style.png product.png bd-default.png
d=$(max_diff bd-auto.png bd-off.png)
check backdrop-off-differs "auto and off differ by ${d:-?}" '[ "${d:-0}" -ge 40 ]'
check backdrop-auto-is-default "exit status $rc, or the default differs from auto" \
  '[ "$rc" -eq 0 ] && cmp -s bd-auto.png bd-default.png'
# OUT may not be IN, the style or the mask (or a link to one of them)
cp content.png inplace.png
ln -f inplace.png inplace-link.png
cp style.png style-copy.png
cp black.png mask-copy.png
for case in "inplace.png inplace.png" "inplace.png inplace-link.png"; do
  set -- $case
  run stylize --style style.png "$1" "$2"
  check "overwrite-input-refused-$2" "exit status $rc, or $1 changed: $(head -c 200 "$tmp/stderr")" \
    '[ "$rc" -eq 2 ] && cmp -s content.png inplace.png && grep -q "same file" "$tmp/stderr"'
done
run stylize --style style-copy.png content.png style-copy.png
check overwrite-style-refused "exit status $rc, or the style changed" \
  '[ "$rc" -eq 2 ] && cmp -s style.png style-copy.png'
run stylize --style style.png --mask mask-copy.png content.png mask-copy.png
check overwrite-mask-refused "exit status $rc, or the mask changed" \
  '[ "$rc" -eq 2 ] && cmp -s black.png mask-copy.png'
run color-transfer --style style.png inplace.png inplace.png
check transfer-overwrite-input-refused "exit status $rc, or inplace.png changed" \
  '[ "$rc" -eq 2 ] && cmp -s content.png inplace.png'

# --quality takes 0, 1, 2 as the batch does; messages name the options
expect_image quality-number out5.png 64 48 RGBA stylize --style style.png --quality 0 content.png out5.png
run stylize --style style.png --scale 9 content.png out.png
check message-names-option "stderr: $(head -c 200 "$tmp/stderr")" \
  'grep -q -- "--scale" "$tmp/stderr" && ! grep -q "style_scale" "$tmp/stderr"'
# a thin input is restyled, not refused for its working size (1 x 384)
make_image thin.png 2 1000 gegl:perlin-noise &&
  expect_image thin-input thin-out.png 2 1000 "" stylize --quality preview --style style.png thin.png thin-out.png

# the content's alpha is carried through
a=$("$py" -c 'import sys
from PIL import Image
print (*Image.open (sys.argv[1]).getchannel ("A").getextrema ())' alpha-out.png)
check alpha-values-kept "alpha ranges over $a, expected 128 128" \
  [ "$a" = "128 128" ]
expect_image color-transfer ct.png 64 48 RGBA color-transfer --style style.png content.png ct.png
expect_image color-transfer-options ct.jpg 64 48 RGB color-transfer --style style.png --strength 0.5 --preserve-luminance content.jpg ct.jpg

# a black mask keeps the content
expect_image mask-black masked.png 64 48 RGBA stylize --style style.png --mask black.png content.png masked.png
d=$(max_diff content.png masked.png)
check mask-black-keeps-content "differs from the content by ${d:-?}" \
  [ "${d:-999}" -le 1 ]

# the same bits for any number of threads
run stylize --style style.png --threads 1 content.png t1.png
rc1=$rc
run stylize --style style.png --threads 2 content.png t2.png
check threads-same-result "exit status $rc1/$rc, or the outputs differ" \
  '[ "$rc1" -eq 0 ] && [ "$rc" -eq 0 ] && cmp -s t1.png t2.png'

# ---- style networks ----

# A network imported at test time from ../shared (never committed): the
# output restyled, strength 0 the content, preserve-colours keeping the
# chroma; a truncated or changed .atnet refused with one line.
weights=$repo/../shared/data/weights/fast-style-ncnn-fp16
if [ -f "$weights/rain_princess.bin" ]; then
  run net-import --ncnn "$weights/rain_princess.bin" rain.atnet
  check net-import "exit status $rc: $(head -c 200 "$tmp/stderr")" \
    '[ "$rc" -eq 0 ] && [ -s rain.atnet ]'
  expect_image net-stylize net.png 64 48 RGBA stylize --style rain.atnet content.png net.png
  d=$(max_diff content.png net.png)
  check net-restyles "differs from the content by ${d:-?}" '[ "${d:-0}" -gt 40 ]'
  expect_image net-strength-0 net0.png 64 48 RGBA stylize --style rain.atnet --strength 0 content.png net0.png
  d=$(max_diff content.png net0.png)
  check net-strength-0-is-content "differs from the content by ${d:-?}" '[ "${d:-999}" -le 1 ]'
  expect_image net-jpeg-thin net-thin.jpg 2 1000 "" stylize --style rain.atnet --quality preview thin.png net-thin.jpg
  # colours of middle lightness, so that no channel clips when the
  # lightness moves
  "$py" -c 'import random, sys
from PIL import Image
r = random.Random (3)
im = Image.new ("RGB", (64, 48))
im.putdata ([tuple (r.randrange (90, 170) for _ in range (3)) for _ in range (64 * 48)])
im.save (sys.argv[1])' mid.png
  expect_image net-preserve net-pc.png 64 48 RGB stylize --style rain.atnet --strength 0.5 --preserve-colors mid.png net-pc.png
  hue=$("$py" -c 'import sys
from PIL import Image
a = Image.open (sys.argv[1]).convert ("YCbCr"); b = Image.open (sys.argv[2]).convert ("YCbCr")
d = [abs (p - q) for x, y in zip (a.getdata (), b.getdata ()) for p, q in zip (x[1:], y[1:])]
print (max (d))' mid.png net-pc.png 2>/dev/null)
  check net-preserve-colors-keeps-chroma "chroma moved by up to ${hue:-?}" '[ "${hue:-999}" -le 8 ]'
  expect_image net-mask-black net-masked.png 64 48 RGBA stylize --style rain.atnet --mask black.png content.png net-masked.png
  d=$(max_diff content.png net-masked.png)
  check net-mask-black-keeps-content "differs from the content by ${d:-?}" '[ "${d:-999}" -le 1 ]'
  expect_image net-alpha-kept net-alpha.png 32 24 RGBA stylize --style rain.atnet alpha.png net-alpha.png
  a=$("$py" -c 'import sys
from PIL import Image
print (*Image.open (sys.argv[1]).getchannel ("A").getextrema ())' net-alpha.png)
  check net-alpha-values-kept "alpha ranges over $a, expected 128 128" [ "$a" = "128 128" ]
  run stylize --style rain.atnet --threads 1 content.png nt1.png; rc1=$rc
  run stylize --style rain.atnet --threads 2 content.png nt2.png
  check net-threads-same-result "exit $rc1/$rc, or the outputs differ" \
    '[ "$rc1" -eq 0 ] && [ "$rc" -eq 0 ] && cmp -s nt1.png nt2.png'
  size=$(stat -c %s rain.atnet)
  head -c $(( size / 2 )) rain.atnet >cut.atnet
  expect_fail net-truncated 1 out.png stylize --style cut.atnet content.png out.png
  cp rain.atnet flipped.atnet
  printf '\x55' | dd of=flipped.atnet bs=1 seek=$(( size / 3 )) conv=notrunc 2>/dev/null
  expect_fail net-changed-byte 1 out.png stylize --style flipped.atnet content.png out.png
  check net-changed-byte-says-why "stderr: $(head -c 200 "$tmp/stderr")" \
    'grep -qi "checksum\|crc" "$tmp/stderr"'
  printf '\x89ATNET\r\n' >magic-only.atnet
  expect_fail net-magic-only 1 out.png stylize --style magic-only.atnet content.png out.png
  expect_fail net-color-transfer 2 out.png color-transfer --style rain.atnet content.png out.png
  expect_fail net-import-no-ncnn 2 out.atnet net-import out.atnet
  # the style catalogue: a user's folder with a network, an image and a
  # broken network; styles by name
  mkdir -p "$tmp/styles"
  cp rain.atnet "$tmp/styles/"
  cp style.png "$tmp/styles/My Checks.png"
  cp cut.atnet "$tmp/styles/broken.atnet"
  ATELIER_STYLE_PATH=$tmp/styles run list-styles
  check list-styles "exit $rc; stdout: $(tr '\t\n' ' |' <"$tmp/stdout"); stderr: $(head -c 200 "$tmp/stderr")" \
    '[ "$rc" -eq 0 ] && grep -qx "rain-princess	network	rain-princess" "$tmp/stdout" &&
     grep -qx "my-checks	image	My Checks" "$tmp/stdout" &&
     [ "$(grep -c "broken.atnet" "$tmp/stderr")" = 1 ] && ! grep -q broken "$tmp/stdout"'
  ATELIER_STYLE_PATH=$tmp/styles expect_image style-by-name named.png 64 48 RGBA stylize --style rain-princess content.png named.png
  # the network's own default strength (1 for an import) stands in
  run stylize --style rain.atnet --strength 1 content.png net1.png
  check style-by-name-is-the-network "differs from the file's result at strength 1" 'cmp -s named.png net1.png'
  ATELIER_STYLE_PATH=$tmp/styles expect_image image-style-by-name named2.png 64 48 RGBA stylize --style my-checks --quality preview content.png named2.png
  ATELIER_STYLE_PATH=$tmp/styles expect_fail unknown-style-name 1 out.png stylize --style no-such-style content.png out.png
  head -c 1000 "$weights/rain_princess.bin" >cut.bin
  expect_fail net-import-truncated 1 out.atnet net-import --ncnn cut.bin out.atnet
else
  fail net-import "no reference network in $weights"
fi

# ---- the shipped styles (models/) ----

# Every trained style the project ships is listed, restyles a photo-like
# image by its name, and has a thumbnail; two of one network mix.
"$py" -c 'import sys
from PIL import Image
im = Image.new ("RGB", (96, 64))
im.putdata ([((x * 5) % 256, (y * 7) % 256, ((x // 16 + y // 16) % 2) * 200 + 30)
             for y in range (64) for x in range (96)])
im.save (sys.argv[1])' shipped-in.png
models=$repo/models
# the checkout's styles, not a copy an earlier install left for this user
export ATELIER_STYLE_PATH=$models XDG_DATA_HOME=$tmp/data
run list-styles
grep -P '\tnetwork\t' "$tmp/stdout" | cut -f1 >shipped.list
n_shipped=$(ls "$models"/*.atnet 2>/dev/null | wc -l)
check shipped-styles-listed "exit $rc; $(wc -l <shipped.list) network styles from $n_shipped files in $models" \
  '[ "$rc" -eq 0 ] && [ "$n_shipped" -ge 1 ] && [ "$(wc -l <shipped.list)" -ge 8 ]'
while read -r name; do
  expect_image "shipped-$name" "s-$name.png" 96 64 RGB stylize --style "$name" shipped-in.png "s-$name.png"
  d=$(max_diff shipped-in.png "s-$name.png")
  check "shipped-$name-restyles" "differs from the input by ${d:-?}" '[ "${d:-0}" -ge 40 ]'
done <shipped.list
first=$(sed -n 1p shipped.list)
second=$(sed -n 2p shipped.list)
if [ -n "$second" ]; then
  d=$(max_diff "s-$first.png" "s-$second.png")
  check shipped-styles-differ "$first and $second differ by ${d:-?}" '[ "${d:-0}" -ge 40 ]'
  # a mix: its own look; the weights are relative; all of one style is it
  run stylize --style "$first=0.5,$second=0.5" --strength 1 shipped-in.png mix-a.png; rc_a=$rc
  run stylize --style "$first=3,$second=3" --strength 1 shipped-in.png mix-b.png; rc_b=$rc
  run stylize --style "$first=1,$second=0" --strength 1 shipped-in.png mix-c.png; rc_c=$rc
  run stylize --style "$first" --strength 1 shipped-in.png mix-d.png
  d1=$(max_diff mix-a.png mix-d.png)
  check style-mix "exit $rc_a/$rc_b/$rc_c/$rc; differs from $first alone by ${d1:-?}" \
    '[ "$rc_a$rc_b$rc_c$rc" = 0000 ] && [ "${d1:-0}" -ge 10 ] && cmp -s mix-a.png mix-b.png &&
     cmp -s mix-c.png mix-d.png'
  expect_fail style-mix-unknown 2 out.png stylize --style "$first=0.5,no-such-style=0.5" shipped-in.png out.png
  expect_fail style-mix-bad-weight 2 out.png stylize --style "$first=0.5,$second=-1" shipped-in.png out.png
  expect_fail style-mix-all-zero 2 out.png stylize --style "$first=0,$second=0" shipped-in.png out.png
  mkdir -p "$tmp/mixstyles"
  cp style.png "$tmp/mixstyles/checks.png"
  ATELIER_STYLE_PATH=$tmp/mixstyles:$models expect_fail style-mix-image 2 out.png stylize --style "$first=0.5,checks=0.5" shipped-in.png out.png
  check style-mix-image-says-why "stderr: $(head -c 200 "$tmp/stderr")" 'grep -q "style image" "$tmp/stderr"'
fi
# thumbnails: one for each network style, the style on the test card
mkdir -p thumbs
run list-styles --thumbnails thumbs --size 48
n_thumbs=$(ls thumbs/*.png 2>/dev/null | wc -l)
check style-thumbnails "exit $rc; $n_thumbs thumbnails for $(wc -l <shipped.list) network styles" \
  '[ "$rc" -eq 0 ] && [ "$n_thumbs" = "$(wc -l <shipped.list)" ] && [ "$(info "thumbs/$first.png")" = "48 48 RGBA" ]'
if [ -n "$second" ]; then
  d=$(max_diff "thumbs/$first.png" "thumbs/$second.png")
  check style-thumbnails-differ "$first's and $second's differ by ${d:-?}" '[ "${d:-0}" -ge 30 ]'
fi
expect_fail style-thumbnails-size 2 none list-styles --thumbnails thumbs --size 4
unset ATELIER_STYLE_PATH XDG_DATA_HOME

# ---- a full disk ----

# A save that runs out of space fails, leaves the old OUT as it was and no
# temporary file (GEGL's saver renamed a truncated PNG over it, exit 0).
disk=$tmp/disk
mkdir -p "$disk"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=256k tmpfs "$disk" 2>/dev/null; then
  make_image noise.png 1000 1000 gegl:noise-hurl pct-random=100 ||
    make_image noise.png 1000 1000 gegl:perlin-noise
  for ext in png jpg tif; do
    cp content.png "$disk/old.$ext"
    dd if=/dev/zero of="$disk/filler" bs=1k count=200 2>/dev/null
    run stylize --quality preview --style style.png noise.png "$disk/old.$ext"
    check "full-disk-$ext" "exit status $rc, old output changed, or left: $(ls -A "$disk" | tr '\n' ' '); $(head -c 200 "$tmp/stderr")" \
      '[ "$rc" -eq 1 ] && cmp -s content.png "$disk/old.$ext" &&
       [ -z "$(ls -A "$disk" | grep -v -x -e filler -e "old.$ext")" ]'
    rm -f "$disk"/*
  done
  umount "$disk"
else
  echo "# skipped full-disk: needs root to mount a tmpfs"
fi

# ---- thin images are not pathological ----

# 2048 x 10 at best took 209 s and 3.9 GB (2048 x 2048: 15 s): it may take
# at most ten times as long as the square.
if make_image thin-wide.png 2048 10 gegl:perlin-noise &&
   make_image square.png 2048 2048 gegl:perlin-noise; then
  t0=$(date +%s%N)
  run stylize --quality best --style style.png square.png square-out.png
  t_square=$(( ($(date +%s%N) - t0) / 1000000 ))
  t0=$(date +%s%N)
  run stylize --quality best --style style.png thin-wide.png thin-wide-out.png
  t_thin=$(( ($(date +%s%N) - t0) / 1000000 ))
  check thin-image-bounded "2048x10 took $t_thin ms, 2048x2048 $t_square ms (exit $rc)" \
    '[ "$rc" -eq 0 ] && [ "$t_thin" -le $(( 10 * t_square )) ]'
  rm -f square.png square-out.png
else
  fail thin-image-bounded "cannot make the images"
fi

# ---- interrupt ----

# Ctrl-C: exit 130, SIGTERM: 143, no OUT.  The job gets its own process
# group (set -m) so that SIGINT is not ignored in it, as it is for a
# script's background job; the input is large enough that the run cannot
# end first.
interrupt_case () {
  local name=$1 signal=$2 code=$3 style=${4:-style.png} pid child caught _
  rm -f int.png
  set -m
  $limit "$atelier" stylize --quality best --style "$style" big.png int.png \
    </dev/null >/dev/null 2>"$tmp/stderr" &
  pid=$!
  set +m
  # Signal only once atelier itself (the child of the timeout wrapper,
  # which forwards the signal) catches SIGINT: bit 2 of its SigCgt.  So a
  # slow start-up cannot turn this into a test of the default action.
  for _ in $(seq 600); do
    if [ -n "$limit" ]; then
      child=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null)
      child=${child%% *}
    else
      child=$pid
    fi
    caught=$(awk '/^SigCgt:/ { print $2 }' "/proc/$child/status" 2>/dev/null)
    [ -n "$child" ] && [ -n "$caught" ] && (( 0x$caught & 2 )) && break
    sleep 0.05
  done
  kill "-$signal" "$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  if [ "$rc" -ne "$code" ]; then
    fail "$name" "exit status $rc, expected $code"
  elif [ -e int.png ] || leftovers; then
    fail "$name" "an output file was left behind"
  elif ! grep -q '^atelier: ' "$tmp/stderr"; then
    fail "$name" "no 'atelier: ' line on stderr"
  else
    ok "$name"
  fi
}
if make_image big.png 1600 1200 gegl:perlin-noise; then
  interrupt_case interrupt INT 130
  interrupt_case terminate TERM 143
  [ ! -s rain.atnet ] || interrupt_case interrupt-network INT 130 rain.atnet
else
  fail interrupt "cannot make big.png"
fi

# ---- progress on a terminal ----

if command -v script >/dev/null 2>&1; then
  script -qec "'$atelier' stylize --style style.png content.png tty.png" \
    /dev/null >"$tmp/tty" 2>&1
  rc=$?
  check progress-on-terminal "exit status $rc: $(head -c 200 "$tmp/tty" | tr '\r\n' '||')" \
    '[ "$rc" -eq 0 ] && grep -q "stylize: 100%" "$tmp/tty"'
  script -qec "'$atelier' stylize --quiet --style style.png content.png tty.png" \
    /dev/null >"$tmp/tty" 2>&1
  check quiet-on-terminal "progress shown with --quiet" \
    '! grep -q "stylize:" "$tmp/tty"'
else
  echo "# skipped progress-on-terminal: no script(1)"
fi

finish
