#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Regression: the pixels of a few small outputs at a fixed seed, hashed
# (SHA-256 of the decoded RGBA, not of the file: encoders may differ) and
# compared with tests/reference/hashes.txt, as GEGL checks its operations
# against reference hashes.  A deliberate change of the look updates them:
#
#   tests/cli/test_reference.sh BUILD --update
#
# and the commit says why.  OPENBLAS_CORETYPE pins OpenBLAS's kernels
# (its sgemm sums in a different order on other CPUs); the example-based
# engine's own code is the same on every x86-64 (no -march), and its
# outputs hash alike on the machines this ran on.  The network's output
# does not: its convolutions go through sgemm blockings and kernels that
# OpenBLAS picks by the CPU model (an AVX2 EPYC gave the hash of an
# AVX-512 Xeon, another AVX2 machine a third), so its case is held by a
# fingerprint instead, its 12x12 block means, each within 2 of 255 of the
# reference's: a change of the look moves them by tens.
set -u
build=$(cd "${1:-build}" && pwd)
update=${2:-}
here=$(cd "$(dirname "$0")/../.." && pwd)
data="$here/../shared/data"
ref="$here/tests/reference/hashes.txt"
py=/usr/bin/python3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
. "$here/tests/report.sh"
# (Haswell: AVX2, which every x86-64 CI machine of the last decade has)
grep -qw avx2 /proc/cpuinfo 2>/dev/null && export OPENBLAS_CORETYPE=Haswell
export ATELIER_STYLE_PATH="$here/models"
export XDG_DATA_HOME="$tmp/no-data"

# small inputs: long side 96, made here from the shared photos
"$py" - "$data" "$tmp" <<'PY' || { fail inputs "cannot prepare inputs"; finish; }
import sys
from PIL import Image
data, out = sys.argv[1:]
for src, name in (('content/packaging_abo_B07GTFSCHB_vitamin_bottle_844a1cce.jpg', 'bottle'),
                  ('content/kodak_kodim05.png', 'kodim05'),
                  ('style/starry_night_vangogh.jpg', 'starry'),
                  ('style/the_scream_munch.jpg', 'scream')):
    im = Image.open('%s/%s' % (data, src)).convert('RGB')
    f = 96 / max(im.size)
    im.resize((round(im.size[0] * f), round(im.size[1] * f)), Image.LANCZOS).save('%s/%s.png' % (out, name))
PY

pixels_hash () {
  "$py" -c 'import hashlib, sys; from PIL import Image
im = Image.open(sys.argv[1]).convert("RGBA")
print("%dx%d %s" % (im.size + (hashlib.sha256(im.tobytes()).hexdigest(),)))' "$1"
}

# WxH fp:HEX, the RGB means of a 12x12 grid of blocks
fingerprint () {
  "$py" -c 'import sys; from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
print("%dx%d fp:%s" % (im.size + (im.resize((12, 12), Image.BOX).tobytes().hex(),)))' "$1"
}

# same size and every block mean within 2 levels
same_fingerprint () {
  "$py" -c 'import sys
a, b = sys.argv[1].split(), sys.argv[2].split()
ok = len(a) == len(b) == 2 and a[0] == b[0] and len(a[1]) == len(b[1]) and \
     max(abs(x - y) for x, y in zip(bytes.fromhex(a[1][3:]), bytes.fromhex(b[1][3:]))) <= 2
sys.exit(0 if ok else 1)' "$1" "$2" 2>/dev/null
}

# name: atelier arguments (IN OUT appended)
cases=(
  "bottle-starry-preview|stylize --quiet --seed 7 -q preview -s $tmp/starry.png $tmp/bottle.png"
  "kodim05-scream-normal|stylize --quiet --seed 7 -s $tmp/scream.png $tmp/kodim05.png"
  "bottle-backdrop-off|stylize --quiet --seed 7 -q preview --backdrop off -s $tmp/starry.png $tmp/bottle.png"
  "kodim05-color|color-transfer -s $tmp/starry.png $tmp/kodim05.png"
  "bottle-network|stylize --quiet --style starry-night $tmp/bottle.png"
)
new="$tmp/hashes.txt"
for c in "${cases[@]}"; do
  name=${c%%|*}; args=${c#*|}
  # shellcheck disable=SC2086  # the arguments are words
  if ! "$build/atelier" $args "$tmp/$name.png" 2>"$tmp/$name.err"; then
    fail "$name" "atelier failed: $(tail -1 "$tmp/$name.err")"; continue
  fi
  case $name in
    *-network) h=$(fingerprint "$tmp/$name.png") ;;
    *)         h=$(pixels_hash "$tmp/$name.png") ;;
  esac
  echo "$name $h" >>"$new"
  [ -n "$update" ] && continue
  want=$(sed -n "s/^$name //p" "$ref" 2>/dev/null)
  case $name in
    *-network)
      check "$name" "block means $h, reference ${want:-none} (a deliberate change: --update)" \
        'same_fingerprint "$h" "$want"' ;;
    *)
      check "$name" "pixels $h, reference ${want:-none} (a deliberate change: --update)" \
        '[ "$h" = "$want" ]' ;;
  esac
done
if [ -n "$update" ]; then
  cp "$new" "$ref" && ok "updated $(basename "$ref")"
fi
finish
