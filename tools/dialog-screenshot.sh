#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Takes a screenshot of the real Style Transfer dialog for the README:
# starts GIMP under Xvfb with a throw-away profile, opens a photo, runs the
# plug-in interactively and grabs the dialog's window.
#   [STYLES=DIR] tools/dialog-screenshot.sh OUT.png [LANGUAGE] [CONTENT] [STYLE]
# STYLE: a file or an installed style's name or mix.
# Needs xvfb, imagemagick (import), x11-utils (xwininfo) and, for zh_CN,
# a CJK font (fonts-wqy-microhei); run after make.
#   GIMP=3 tools/dialog-screenshot.sh OUT.png [LANGUAGE] [CONTENT] [STYLE]
# the same for GIMP 3, inside the Debian 13 root of tests/gimp3 (it
# builds the GIMP 3 plug-in there and installs those tools in the root).
set -euo pipefail
if [ "${GIMP:-2}" = 3 ]; then
  here=$(cd "$(dirname "$0")/.." && pwd)
  out=$(realpath -m "$1")
  mkdir -p "$here/build-trixie"
  shift
  "$here/tests/gimp3/in-root.sh" bash -c '
    set -e
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends xvfb imagemagick x11-utils fonts-wqy-microhei \
      >/dev/null
    make -s -j2 BUILD=build-trixie cli translations plugin3 >/dev/null
    GIMP=3-inside BUILD=build-trixie tools/dialog-screenshot.sh \
      build-trixie/screenshot.png "$@"' bash "$@"
  mv "$here/build-trixie/screenshot.png" "$out"
  echo "wrote $out"
  exit 0
fi
out=$(realpath -m "$1")
language=${2:-en}
here=$(cd "$(dirname "$0")/.." && pwd)
content=$(realpath "${3:-$here/../shared/data/content/packaging_grocery_Arla-Standard-Milk.jpg}")
style=${4:-$here/../shared/data/style/starry_night_vangogh.jpg}
[ -e "$style" ] && style=$(realpath "$style")   # else a style's name

tmp=$(mktemp -d)
cleanup () { [ -n "${gimp_pid:-}" ] && kill "$gimp_pid" 2>/dev/null; [ -n "${xvfb_pid:-}" ] && kill "$xvfb_pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
export HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_CACHE_HOME=$tmp/cache
export GIMP2_DIRECTORY=$tmp/gimp-profile GIMP3_DIRECTORY=$tmp/gimp3-profile
profile=$GIMP2_DIRECTORY
if [ "${GIMP:-2}" = 3-inside ]; then
  profile=$GIMP3_DIRECTORY
  "$here/install.sh" --no-deps --no-build --build-dir "$BUILD" --gimp 3 \
    >/dev/null
else
  # install.sh creates the missing profile (a quit-only gimp-console run)
  "$here/install.sh" --no-deps --no-build --build-dir "${BUILD:-$here/build}" >/dev/null
fi
# no tooltips: the pointer rests on the dialog, and a tooltip would
# cover part of it in the picture
mkdir -p "$profile"
echo "(show-tooltips no)" >>"$profile/gimprc"
# STYLES=DIR: that folder's styles too, as a user's own in the profile
if [ -n "${STYLES:-}" ]; then
  mkdir -p "$profile/atelier-styles"
  cp "$STYLES"/* "$profile/atelier-styles/"
fi

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1400x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
sleep 2
if [ "${GIMP:-2}" = 3-inside ]; then
  # Debian 13's glibc ignores LANGUAGE under C.UTF-8: a real locale
  case $language in zh*) lang=zh_CN.UTF-8 ;; *) lang=C.UTF-8 ;; esac
  LANG=$lang gimp-3.0 -d -f -s --no-splash \
    --batch-interpreter=plug-in-script-fu-eval -b "(begin (script-fu-use-v3)
(let* ((img (gimp-file-load RUN-NONINTERACTIVE \"$content\"))
       (drw (vector-ref (gimp-image-get-layers img) 0)))
  (gimp-display-new img)
  (plug-in-atelier-style-transfer #:run-mode RUN-INTERACTIVE #:image img
    #:drawables (vector drw))))" >"$tmp/gimp.log" 2>&1 &
else
LANGUAGE=$language LANG=C.UTF-8 gimp-2.10 -d -f -s --no-splash -b "
(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$content\" \"$content\")))
       (drw (car (gimp-image-get-active-drawable img))))
  (gimp-display-new img)
  ; a first run on a small copy leaves the style as the dialog's last value
  (let* ((tmp (car (gimp-image-duplicate img)))
         (tdr (car (gimp-image-get-active-drawable tmp))))
    (gimp-image-scale tmp 32 32)
    (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE tmp tdr \"$style\" 70 1.0 1 0 1 0 0)
    (gimp-image-delete tmp))
  (plug-in-atelier-style-transfer-file RUN-INTERACTIVE img drw \"$style\" 70 1.0 0 0 1 0 0))" \
  >/dev/null 2>&1 &
fi
gimp_pid=$!

# wait for the dialog and its first preview
for _ in $(seq 120); do
  win=$(xwininfo -root -tree 2>/dev/null | grep -E '"(Style Transfer|风格迁移)' | head -1 | awk '{print $1}') || true
  [ -n "$win" ] && break
  sleep 1
done
[ -n "${win:-}" ] || { echo "dialog did not appear" >&2; exit 1; }
sleep 8
import -window "$win" "$out"
# GIMP 3 checks the procedure dialog's mnemonics and says which clash
grep -i mnemonic "$tmp/gimp.log" >&2 2>/dev/null || true
echo "wrote $out"
