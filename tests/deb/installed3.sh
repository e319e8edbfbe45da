#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian 13 package at work once installed: run by tests/deb/test_deb.sh
# inside the Debian 13 root (tests/gimp3/in-root.sh, as root), with the
# folder that holds the .deb built there.
#
#   tests/deb/installed3.sh DEB_DIR      (inside the root)
#
# As root it installs the package with dpkg -i, and purges it again when
# it ends, however it ends (the root is cached and shared with the GIMP 3
# tests, which install the plug-in in a profile of their own: a second,
# system-wide one would clash with it); the same purge first undoes a run
# that was killed.  In between it runs itself again as nobody, with
# tests/gimp3/lib3.sh's throw-away HOME and GIMP 3 profile, so only what
# the package installed can be found: the commands, the shipped styles,
# the Chinese catalogue, the manual pages, the GIMP 3 plug-in and the GEGL
# operations, each of them used once.
# Prints "ok NAME" or "FAIL NAME: why" per case, then "N passed, M failed".
set -u

if [ "$(id -u)" = 0 ]; then
  . "$(dirname "$0")/../report.sh"
  deb=$(ls "${1:-build-trixie/deb}"/atelier_*_amd64.deb 2>/dev/null | grep -v dbgsym | head -1)
  [ -n "$deb" ] || bail "no atelier_*_amd64.deb in ${1:-build-trixie/deb}" deb-installs
  # purge, not just -r: nothing of the package stays in dpkg's database
  purge () { dpkg --purge atelier >/dev/null 2>&1 || true; }
  purge
  trap 'purge; rm -f "$log"' EXIT
  trap 'exit 130' INT TERM HUP
  log=$(mktemp)
  if ! dpkg -i "$deb" >"$log" 2>&1; then
    bail "dpkg -i $deb: $(tail -c 500 "$log" | tr '\n' '|')" deb-installs
  fi
  ok deb-installs
  # the cases below, as nobody, counted here
  relay < <(setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$0" "$@" 2>&1)
  [ $(( relayed_ok + relayed_failed )) -gt 0 ] ||
    fail installed-cases "the cases as nobody printed no result"
  finish
fi

# ---- as nobody, in a fresh HOME and GIMP 3 profile ----

. "$(dirname "$0")/../gimp3/lib3.sh" /nonexistent
"$py" -c "
from PIL import Image
im = Image.new('RGB', (64, 48))
im.putdata([(4 * x, 5 * y, 255 - 2 * x - 2 * y) for y in range(48) for x in range(64)])
im.save('$tmp/in.png')" || bail "$py could not make a test image"

# ---- the command and the shipped styles ----

check atelier-on-path "atelier is $(command -v atelier)" \
  '[ "$(command -v atelier)" = /usr/bin/atelier ]'
styles=$(atelier list-styles 2>"$tmp/list.err")
# (no ATELIER_STYLE_PATH, no user folders: what it lists is the package's)
shipped=$(dpkg -L atelier | grep -c '^/usr/share/atelier/models/.*\.atnet$')
check list-styles-shipped "$shipped .atnet shipped; list-styles: $(echo "$styles" | head -3 | tr '\n' '|') $(head -c 200 "$tmp/list.err")" \
  '[ "$shipped" -ge 1 ] && echo "$styles" | grep -q "^starry-night	network	" &&
   [ "$(echo "$styles" | grep -c "	network	")" -ge 8 ] && [ ! -s "$tmp/list.err" ]'
atelier stylize --style starry-night --quality preview "$tmp/in.png" "$tmp/out.png" \
  >"$tmp/stylize.log" 2>&1
read -r max mean _ < <(diff_stats "$tmp/in.png" "$tmp/out.png" 2>/dev/null)
check stylize-by-name "$(head -c 300 "$tmp/stylize.log"); mean difference ${mean:-?}" \
  '[ -s "$tmp/out.png" ] && fcmp "${mean:-0} > 4"'

# ---- the Chinese catalogue (trixie-root.sh made the zh_CN.UTF-8 locale) ----

mo=/usr/share/locale/zh_CN/LC_MESSAGES/atelier.mo
check zh-catalogue-installed "no $mo" '[ -f "$mo" ] && dpkg -L atelier | grep -qxF "$mo"'
# gettext's default folder is the installed one
zh=$(LANG=zh_CN.UTF-8 gettext atelier "Style _Transfer..." 2>/dev/null)
check zh-catalogue-translates "gettext gives '$zh'" '[ "$zh" = "风格迁移(_T)..." ]'
zh_styles=$(LANG=zh_CN.UTF-8 atelier list-styles 2>/dev/null)
check zh-style-labels "LANG=zh_CN.UTF-8 list-styles: $(echo "$zh_styles" | head -2 | tr '\n' '|')" \
  '[ "$(echo "$zh_styles" | grep "^starry-night	" | cut -f3)" = "星夜" ]'

# ---- the manual pages ----

# (man-db comes with lintian, which test_deb.sh installed in the root)
for page in atelier atelier-batch; do
  f=/usr/share/man/man1/$page.1.gz
  if command -v man >/dev/null 2>&1; then
    check "man-$page" "man -w $page: $(man -w "$page" 2>&1)" \
      '[ "$(man -w "$page" 2>/dev/null)" = "$f" ] && man "$page" 2>/dev/null | grep -q "^NAME"'
  else
    check "man-$page" "no $f" '[ -f "$f" ] && dpkg -L atelier | grep -qxF "$f"'
  fi
done

# ---- GEGL finds the operations in its own folder (no GEGL_PATH) ----

unset GEGL_PATH
timeout 120 gegl "$tmp/in.png" -o "$tmp/gegl.png" -- \
  atelier:style-transfer style=starry-night quality=preview >"$tmp/gegl.log" 2>&1
read -r max mean _ < <(diff_stats "$tmp/in.png" "$tmp/gegl.png" 2>/dev/null)
check gegl-style-transfer "$(grep -i -m2 -e warn -e error "$tmp/gegl.log" | tr '\n' '|') mean difference ${mean:-?}" \
  '[ -s "$tmp/gegl.png" ] && fcmp "${mean:-0} > 4"'
timeout 120 gegl "$tmp/in.png" -o "$tmp/gegl-color.png" -- \
  atelier:color-transfer style="$tmp/out.png" >"$tmp/gegl-color.log" 2>&1
read -r max mean _ < <(diff_stats "$tmp/in.png" "$tmp/gegl-color.png" 2>/dev/null)
check gegl-color-transfer "$(grep -i -m2 -e warn -e error "$tmp/gegl-color.log" | tr '\n' '|') mean difference ${mean:-?}" \
  '[ -s "$tmp/gegl-color.png" ] && fcmp "${mean:-0} > 1"'

# ---- GIMP 3 finds the plug-in in its own folder (an empty profile) ----

plugin=$(dpkg -L atelier | grep '/gimp/3.0/plug-ins/atelier/atelier$')
sf gimp "
(say \"exists \" (yes (gimp-pdb-procedure-exists \"plug-in-atelier-style-transfer-file\")))
(let* ((img (content-image 64 48)) (src (top-layer img)))
  (save-layer img src (string-append tmp \"/gimp-src.png\"))
  (plug-in-atelier-style-transfer-file #:run-mode RUN-NONINTERACTIVE
    #:image img #:drawables (vector src) #:style \"starry-night\"
    #:quality \"preview\" #:output \"replace\")
  (save-layer img src (string-append tmp \"/gimp-out.png\")))
"
check gimp3-procedure-in-pdb "gimp-pdb-procedure-exists: '$(val gimp exists)'" \
  '[ "$(val gimp exists)" = yes ]'
# (pluginrc names GIMP's own plug-in folder ${gimp_plug_in_dir}/plug-ins,
# the profile's ${gimp_dir}/plug-ins; the profile has none)
check gimp3-plugin-from-the-package "the package's plug-in is '$plugin'; pluginrc: $(grep -a -o '"[^"]*/atelier/atelier"' "$GIMP3_DIRECTORY/pluginrc" | tr '\n' ' ')" \
  '[ "${plugin%/gimp/3.0/plug-ins/atelier/atelier}" != "$plugin" ] &&
   grep -qF "\"\${gimp_plug_in_dir}/plug-ins/atelier/atelier\"" "$GIMP3_DIRECTORY/pluginrc" &&
   [ ! -e "$GIMP3_DIRECTORY/plug-ins/atelier" ]'
if sf_ran gimp gimp3-style-transfer-file; then
  read -r max mean _ < <(diff_stats "$tmp/gimp-src.png" "$tmp/gimp-out.png")
  check gimp3-style-transfer-file "starry-night changed the layer by mean ${mean:-?}" \
    fcmp "${mean:-0} > 4"
fi
# the plug-in's own messages in Chinese, from the catalogue beside it
sf_env=(LANG=zh_CN.UTF-8)
sf gimp-zh "
(let* ((img (content-image 32 24)) (src (top-layer img)))
  (plug-in-atelier-style-transfer-file #:run-mode RUN-NONINTERACTIVE
    #:image img #:drawables (vector src) #:style \"\"))
"
sf_env=()
zh_err=$(LANG=zh_CN.UTF-8 TEXTDOMAINDIR=${plugin%/atelier}/locale \
  gettext atelier "No style given: pass an image file or a preset name" 2>/dev/null | cut -c1-12)
check gimp3-message-in-chinese "the message reads '$zh_err'; GIMP 3 said: $(grep -m1 -i 'failed' "$tmp/gimp-zh.log")" \
  '[ -n "$zh_err" ] && [ "${zh_err#No}" = "$zh_err" ] && grep -qF "$zh_err" "$tmp/gimp-zh.log"'

finish
