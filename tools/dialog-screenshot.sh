#!/usr/bin/env bash
# Takes a screenshot of the real Style Transfer dialog for the README:
# starts GIMP under Xvfb with a throw-away profile, opens a photo, runs the
# plug-in interactively and grabs the dialog's window.
#   [STYLES=DIR] tools/dialog-screenshot.sh OUT.png [LANGUAGE] [CONTENT] [STYLE]
# STYLE: a file or an installed style's name or mix.
# Needs xvfb, imagemagick (import), x11-utils (xwininfo) and, for zh_CN,
# a CJK font (fonts-wqy-microhei); run after make.
set -euo pipefail
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
export GIMP2_DIRECTORY=$tmp/gimp-profile
# install.sh creates the missing profile (a quit-only gimp-console run)
"$here/install.sh" --no-deps --no-build --build-dir "${BUILD:-$here/build}" >/dev/null
# STYLES=DIR: that folder's styles too, as a user's own in the profile
if [ -n "${STYLES:-}" ]; then
  mkdir -p "$GIMP2_DIRECTORY/atelier-styles"
  cp "$STYLES"/* "$GIMP2_DIRECTORY/atelier-styles/"
fi

display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1400x1000x24 -nolisten tcp >/dev/null 2>&1 &
xvfb_pid=$!
export DISPLAY=$display
sleep 2
LANGUAGE=$language LANG=C.UTF-8 gimp-2.10 -d -f -s --no-splash -b "
(let* ((img (car (gimp-file-load RUN-NONINTERACTIVE \"$content\" \"$content\")))
       (drw (car (gimp-image-get-active-drawable img))))
  (gimp-display-new img)
  ; a first run on a small copy leaves the style as the dialog's last value
  (let* ((tmp (car (gimp-image-duplicate img)))
         (tdr (car (gimp-image-get-active-drawable tmp))))
    (gimp-image-scale tmp 32 32)
    (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE tmp tdr \"$style\" 70 1.0 1 0 1 0)
    (gimp-image-delete tmp))
  (plug-in-atelier-style-transfer-file RUN-INTERACTIVE img drw \"$style\" 70 1.0 0 0 1 0))" \
  >/dev/null 2>&1 &
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
echo "wrote $out"
