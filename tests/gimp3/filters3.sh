#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The GIMP 3 plug-in's procedures in a headless gimp-console-3.0, run
# inside the Debian 13 root by tests/gimp3/test_gimp3.sh: the cases of
# tests/gimp/test_filters.sh, test_errors.sh and test_batch.sh in
# Script-Fu's v3 dialect (named arguments).  Each procedure changes the
# pixels it should and only those, bad arguments fail and leave the image
# as it was, the batch survives a bad file, the Chinese catalogue is the
# one GIMP 3 finds.
#
#   tests/gimp3/filters3.sh BUILD_DIR      (inside the root)
. "$(dirname "$0")/lib3.sh" "$@"

gimp3_setup

# ---- registration: the four procedures, the menus ----

sf procs "
(for-each (lambda (p) (say p \" \" (yes (gimp-pdb-procedure-exists p))))
  (list \"plug-in-atelier-style-transfer\"
        \"plug-in-atelier-style-transfer-file\"
        \"plug-in-atelier-color-transfer\"
        \"plug-in-atelier-color-transfer-file\" \"plug-in-atelier-batch\"))
"
if sf_ran procs; then
  for p in style-transfer style-transfer-file color-transfer \
           color-transfer-file batch; do
    check "registered-$p" "plug-in-atelier-$p is not in the PDB" \
      [ "$(val procs "plug-in-atelier-$p")" = yes ]
  done
fi
rc=$GIMP3_DIRECTORY/pluginrc
menu_of () {   # the menu-path line after proc-def $1 in pluginrc
  awk -v p="\"$1\"" '$1 == "(proc-def" && $2 == p { on = 1 }
    on && /menu-path/ { print; exit }' "$rc"
}
check menu-style "$(menu_of plug-in-atelier-style-transfer)" \
  'menu_of plug-in-atelier-style-transfer | grep -qF "<Image>/Filters/Artistic"'
check menu-color-under-colors-map "$(menu_of plug-in-atelier-color-transfer)" \
  'menu_of plug-in-atelier-color-transfer | grep -qF "<Image>/Colors/Map"'

# ---- the Chinese labels: GIMP 3 finds the catalogue beside the binary ----

mo=$plugin_dir/locale/zh_CN/LC_MESSAGES/atelier.mo
# (trixie-root.sh made the zh_CN.UTF-8 locale: under C.UTF-8 Debian 13's
# glibc ignores LANGUAGE)
zh=$(LANG=zh_CN.UTF-8 LC_ALL='' TEXTDOMAINDIR=$plugin_dir/locale \
     gettext atelier "Style _Transfer..." 2>/dev/null)
check zh-catalogue-installed "no $mo" [ -f "$mo" ]
check zh-menu-label "the label reads '$zh'" '[ -n "$zh" ] && [ "$zh" != "Style _Transfer..." ]'
# (GIMP 3's pluginrc records no locale-def: the domain is the plug-in's
# name, the catalogues are locale/ beside it, and the error below shows
# the plug-in's own messages translated)
sf_env=(LANG=zh_CN.UTF-8)
sf zh "
(let* ((img (content-image 32 24)) (src (top-layer img)))
  (plug-in-atelier-style-transfer-file #:run-mode RUN-NONINTERACTIVE
    #:image img #:drawables (vector src) #:style \"\"))
"
sf_env=()
zh_err=$(msgunfmt "$mo" 2>/dev/null | grep -A1 '^msgid "No style given' | sed -n 's/^msgstr "\(.*\)"/\1/p' | cut -c1-12)
check zh-error-message "GIMP 3 said: $(grep -m1 -i 'failed' "$tmp/zh.log")" \
  '[ -n "$zh_err" ] && grep -qF "$zh_err" "$tmp/zh.log"'

# ---- style-transfer-file: a new layer, in place, by name ----

sf file "
(let* ((style (plasma-image 64 64 11))
       (style-file (string-append tmp \"/plasma-style.png\")))
  (save-image style style-file)
  (gimp-image-delete style)
  (let* ((img (content-image 96 64)) (src (top-layer img)))
    (save-layer img src (string-append tmp \"/src.png\"))
    (let ((res (plug-in-atelier-style-transfer-file
                 #:run-mode RUN-NONINTERACTIVE #:image img
                 #:drawables (vector src) #:style style-file
                 #:strength 80 #:quality \"preview\" #:seed 7)))
      (say \"layers \" (n-layers img))
      (say \"result-pos \" (layer-pos img res))
      (say \"src-pos \" (layer-pos img src))
      (say \"result-name \" (layer-name res))
      (say \"dirty \" (yes (gimp-image-is-dirty img)))
      (save-layer img res (string-append tmp \"/new.png\"))
      (save-layer img src (string-append tmp \"/src-after.png\"))))
  (let* ((img (content-image 96 64)) (src (top-layer img)))
    (let ((res (plug-in-atelier-style-transfer-file
                 #:run-mode RUN-NONINTERACTIVE #:image img
                 #:drawables (vector src) #:style style-file
                 #:strength 80 #:quality \"preview\" #:seed 7
                 #:output \"replace\")))
      (say \"replace-layers \" (n-layers img))
      (say \"replace-is-src \" (yes (= res src)))
      (save-layer img src (string-append tmp \"/replaced.png\"))))
  (let* ((img (content-image 96 64)) (src (top-layer img)))
    (plug-in-atelier-style-transfer-file #:run-mode RUN-NONINTERACTIVE
      #:image img #:drawables (vector src) #:style \"starry-night\"
      #:quality \"preview\" #:output \"replace\")
    (save-layer img src (string-append tmp \"/starry.png\")))
  ;; the layer procedure: the style is a layer of another image
  (let* ((img (content-image 96 64)) (src (top-layer img))
         (simg (plasma-image 48 48 5)))
    (plug-in-atelier-style-transfer #:run-mode RUN-NONINTERACTIVE
      #:image img #:drawables (vector src) #:style (top-layer simg)
      #:quality \"preview\" #:output \"replace\")
    (save-layer img src (string-append tmp \"/by-layer.png\"))))
"
if sf_ran file style-transfer-file; then
  check file-new-layer "layers $(val file layers), result at $(val file result-pos), source at $(val file src-pos)" \
    '[ "$(val file layers)" = 2 ] && [ "$(val file result-pos)" = 0 ] && [ "$(val file src-pos)" = 1 ]'
  check file-new-layer-name "named '$(val file result-name)'" [ "$(val file result-name)" = plasma-style ]
  check file-dirty "the image is not dirty" [ "$(val file dirty)" = yes ]
  read -r max mean _ < <(diff_stats "$tmp/src.png" "$tmp/new.png")
  check file-restyled "mean difference ${mean:-?}" fcmp "${mean:-0} > 4"
  read -r max mean _ < <(diff_stats "$tmp/src.png" "$tmp/src-after.png")
  check file-source-kept "the source changed by up to ${max:-?}" [ "${max:-1}" = 0 ]
  check replace-in-place "layers $(val file replace-layers), result is the source: $(val file replace-is-src)" \
    '[ "$(val file replace-layers)" = 1 ] && [ "$(val file replace-is-src)" = yes ]'
  read -r max mean _ < <(diff_stats "$tmp/new.png" "$tmp/replaced.png")
  check replace-same-pixels "new layer and replace differ by up to ${max:-?}" [ "${max:-9}" -le 1 ]
  read -r max mean _ < <(diff_stats "$tmp/src.png" "$tmp/starry.png")
  check shipped-style-by-name "starry-night changed the layer by mean ${mean:-?}" fcmp "${mean:-0} > 4"
  read -r max mean _ < <(diff_stats "$tmp/src.png" "$tmp/by-layer.png")
  check style-from-layer "a layer style changed the layer by mean ${mean:-?}" fcmp "${mean:-0} > 4"
fi

# ---- backdrop, the last argument: on a product shot (a textured box on
# white) "auto" and "off" differ, and a call without it is "auto" ----

"$py" "$repo/tests/product_image.py" "$tmp/product.png" ||
  bail "cannot make the product shot"
sf backdrop "
(let ((style-file (string-append tmp \"/backdrop-style.png\"))
      (product (string-append tmp \"/product.png\")))
  (save-image (plasma-image 64 64 11) style-file)
  (for-each
    (lambda (mode)
      (let* ((img (gimp-file-load RUN-NONINTERACTIVE product))
             (src (top-layer img)))
        (if (string=? mode \"none\")
            (plug-in-atelier-style-transfer-file #:run-mode RUN-NONINTERACTIVE
              #:image img #:drawables (vector src) #:style style-file
              #:quality \"preview\" #:output \"replace\")
            (plug-in-atelier-style-transfer-file #:run-mode RUN-NONINTERACTIVE
              #:image img #:drawables (vector src) #:style style-file
              #:quality \"preview\" #:output \"replace\" #:backdrop mode))
        (save-layer img src (string-append tmp \"/backdrop-\" mode \".png\"))))
    (list \"auto\" \"off\" \"none\")))
"
if sf_ran backdrop style-transfer-backdrop; then
  read -r max mean _ < <(diff_stats "$tmp/backdrop-auto.png" "$tmp/backdrop-off.png")
  check backdrop-auto-off-differ "auto and off differ by mean ${mean:-?}" fcmp "${mean:-0} > 4"
  read -r max mean _ < <(diff_stats "$tmp/backdrop-auto.png" "$tmp/backdrop-none.png")
  check backdrop-default-auto "without the argument the pixels differ from auto by up to ${max:-?}" \
    [ "${max:-1}" = 0 ]
fi

# ---- the selection is respected ----

sf sel "
(let* ((img (content-image 96 64)) (src (top-layer img)))
  (save-layer img src (string-append tmp \"/sel-src.png\"))
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 16 8 40 24)
  (plug-in-atelier-style-transfer-file #:run-mode RUN-NONINTERACTIVE
    #:image img #:drawables (vector src) #:style \"starry-night\"
    #:quality \"preview\" #:output \"replace\")
  (gimp-selection-none img)
  (save-layer img src (string-append tmp \"/sel.png\")))
"
if sf_ran sel selection; then
  read -r max_in mean_in max_out mean_out < <(diff_stats "$tmp/sel-src.png" "$tmp/sel.png" 16 8 40 24)
  check selection-inside-changed "inside mean ${mean_in:-?}" fcmp "${mean_in:-0} > 4"
  check selection-outside-kept "outside changed by up to ${max_out:-?}" [ "${max_out:-1}" = 0 ]
fi

# ---- bad arguments: an error, and the image as it was ----
# (backdrop is a choice: 5 is refused for its type; an unknown name,
# "bogus", GIMP 3.0.4's Script-Fu does not refuse, for any choice: it
# warns and keeps the default, and the plug-in never sees it)

bad_case () {   # NAME ARGS: the call fails and the layer and stack stay
  cat <<SCM
(let* ((img (content-image 48 32)) (src (top-layer img)))
  (save-layer img src (string-append tmp "/bad-src.png"))
  (say "$1 " (catch "refused" (plug-in-atelier-style-transfer-file
                 #:run-mode RUN-NONINTERACTIVE #:image img
                 #:drawables (vector src) $2) "accepted"))
  (say "$1-layers " (n-layers img))
  (save-layer img src (string-append tmp "/bad-$1.png")))
SCM
}
sf bad "
$(bad_case strength '#:style "starry-night" #:strength 150')
$(bad_case scale '#:style "starry-night" #:style-scale 9')
$(bad_case missing '#:style "/no/such/style.png"')
$(bad_case empty '#:style ""')
$(bad_case backdrop-5 '#:style "starry-night" #:backdrop 5')
(let* ((img (gimp-image-new 1 1 RGB))
       (l (gimp-layer-new img \"tiny\" 1 1 RGB-IMAGE 100 LAYER-MODE-NORMAL)))
  (gimp-image-insert-layer img l 0 0)
  (say \"tiny \" (catch \"refused\" (plug-in-atelier-style-transfer-file
                 #:run-mode RUN-NONINTERACTIVE #:image img
                 #:drawables (vector l) #:style \"starry-night\") \"accepted\")))
(let* ((img (content-image 48 32)) (src (top-layer img))
       (l2 (gimp-layer-copy src)))
  (gimp-image-insert-layer img l2 0 0)
  (say \"two \" (catch \"refused\" (plug-in-atelier-style-transfer-file
                 #:run-mode RUN-NONINTERACTIVE #:image img
                 #:drawables (vector src l2) #:style \"starry-night\")
                 \"accepted\")))
"
if sf_ran bad bad-arguments; then
  for c in strength scale missing empty backdrop-5; do
    read -r max _ < <(diff_stats "$tmp/bad-src.png" "$tmp/bad-$c.png")
    check "bad-$c-refused" "the call was $(val bad $c); layers $(val bad $c-layers); pixels changed by ${max:-?}" \
      '[ "$(val bad '$c')" = refused ] && [ "$(val bad '$c'-layers)" = 1 ] && [ "${max:-1}" = 0 ]'
  done
  check bad-1x1-refused "a 1x1 layer was $(val bad tiny)" [ "$(val bad tiny)" = refused ]
  check two-drawables-refused "two drawables were $(val bad two)" [ "$(val bad two)" = refused ]
fi

# ---- color transfer ----

sf color "
(let* ((img (gradient-image 64 48 (list 40 40 40) (list 220 220 220)))
       (src (top-layer img))
       (simg (gradient-image 32 32 (list 200 20 10) (list 255 140 0))))
  (plug-in-atelier-color-transfer #:run-mode RUN-NONINTERACTIVE #:image img
    #:drawables (vector src) #:style (top-layer simg) #:strength 100)
  (say \"layers \" (n-layers img))
  (save-layer img src (string-append tmp \"/color.png\"))
  (save-layer simg (top-layer simg) (string-append tmp \"/color-style.png\")))
(let* ((img (gradient-image 64 48 (list 40 40 40) (list 220 220 220)))
       (src (top-layer img))
       (res (plug-in-atelier-color-transfer-file #:run-mode RUN-NONINTERACTIVE
              #:image img #:drawables (vector src)
              #:style (string-append tmp \"/color-style.png\"))))
  (say \"file-layers \" (n-layers img))
  (say \"file-name \" (layer-name res))
  (save-layer img res (string-append tmp \"/color-file.png\")))
"
if sf_ran color color-transfer; then
  read -r r g b < <(mean_rgb "$tmp/color.png")
  check color-toward-style "mean RGB $r $g $b (the style is orange-red)" \
    fcmp "$r > $g + 40 && $g > $b"
  check color-in-place "layers $(val color layers)" [ "$(val color layers)" = 1 ]
  check color-file-new-layer "layers $(val color file-layers), named '$(val color file-name)'" \
    '[ "$(val color file-layers)" = 2 ] && [ "$(val color file-name)" = color-style ]'
  read -r max _ < <(diff_stats "$tmp/color.png" "$tmp/color-file.png")
  check color-file-same-colors "from the file the colours differ by up to ${max:-?}" [ "${max:-9}" -le 2 ]
fi

# ---- the batch, one bad file among good ones ----

mkdir -p "$tmp/in"
"$py" - "$tmp/in" <<'PY'
import sys
from PIL import Image
for i, c in enumerate([(200, 60, 40), (30, 90, 210)]):
    im = Image.new("RGB", (40, 32), c)
    for x in range(40):
        im.putpixel((x, x % 32), (255, 255, 255))
    im.save(f"{sys.argv[1]}/good{i}.png")
open(f"{sys.argv[1]}/bad.png", "wb").write(b"\x89PNG\r\n\x1a\n not really")
PY
printf '%s\n' "$tmp/in/good0.png" "$tmp/in/bad.png" "$tmp/in/good1.png" >"$tmp/inputs.txt"
sf batch "
(say \"n-failed \" (plug-in-atelier-batch #:run-mode RUN-NONINTERACTIVE
  #:style \"starry-night\" #:quality \"preview\"
  #:output-dir (string-append tmp \"/out\")
  #:inputs-file (string-append tmp \"/inputs.txt\")
  #:report-file (string-append tmp \"/report.txt\")))
"
if sf_ran batch batch; then
  check batch-counts-failure "n-failed $(val batch n-failed)" [ "$(val batch n-failed)" = 1 ]
  check batch-writes-good "outputs: $(ls "$tmp/out" 2>/dev/null | tr '\n' ' ')" \
    '[ -f "$tmp/out/good0.png" ] && [ -f "$tmp/out/good1.png" ] && [ ! -e "$tmp/out/bad.png" ]'
  check batch-report "report: $(tr '\n' '|' <"$tmp/report.txt" 2>/dev/null)" \
    '[ "$(grep -c " ok " "$tmp/report.txt")" = 2 ] && grep -q "^2 FAIL" "$tmp/report.txt"'
  read -r w h < <(size_of "$tmp/out/good0.png")
  check batch-output-size "good0 is ${w:-?}x${h:-?}" [ "${w:-0}x${h:-0}" = 40x32 ]
fi

# ---- Python-Fu: the README's example ----

timeout "$gimp_limit" "$console" -i -d -f --quit \
  --batch-interpreter=python-fu-eval \
  -b "exec(open('$repo/tests/gimp3/python_fu.py').read())" \
  </dev/null >"$tmp/python.log" 2>&1
pyval () { sed -n "s/^PYTHON-FU $1 //p" "$tmp/python.log" | head -1; }
check python-fu-example "layers $(pyval layers), new layer '$(pyval name)': $(grep -m2 -e Error -e Traceback "$tmp/python.log" | tr '\n' '|')" \
  '[ "$(pyval layers)" = 2 ] && [ "$(pyval name)" = great-wave ]'
check python-fu-failure-reported "a missing style gave: $(pyval bad)" \
  '[ "$(pyval bad)" = "True 2" ]'

# ---- the GEGL operations: the gegl command and GIMP 3's filters ----

"$py" - "$tmp/op-in.png" "$tmp/op-style.png" <<'PY'
import sys
from PIL import Image
im = Image.new("RGB", (80, 56))
im.putdata([(3 * x, 4 * y, 128 + (x ^ y) % 64) for y in range(56) for x in range(80)])
im.save(sys.argv[1])
Image.new("RGB", (32, 32), (230, 120, 20)).save(sys.argv[2])
PY
for op in style-transfer color-transfer; do
  case $op in
    style-transfer) args="style=starry-night quality=preview" ;;
    color-transfer) args="style=$tmp/op-style.png" ;;
  esac
  gegl "$tmp/op-in.png" -o "$tmp/op-$op.png" -- "atelier:$op" $args \
    >"$tmp/op-$op.log" 2>&1
  read -r max mean _ < <(diff_stats "$tmp/op-in.png" "$tmp/op-$op.png" 2>/dev/null)
  check "gegl-cli-$op" "gegl ... -- atelier:$op: mean difference ${mean:-none}: $(grep -m2 -i -e warn -e error "$tmp/op-$op.log" | grep -v -e leaked -e tile-cache | tr '\n' '|')" \
    fcmp "${mean:-0} > 4"
done
sf filter "
(let* ((img (content-image 96 64)) (src (top-layer img)))
  (save-layer img src (string-append tmp \"/filter-src.png\"))
  (gimp-drawable-merge-new-filter src \"atelier:style-transfer\" 0
    LAYER-MODE-REPLACE 1.0 \"style\" \"starry-night\" \"quality\" \"preview\")
  (save-layer img src (string-append tmp \"/filter-style.png\"))
  (gimp-drawable-merge-new-filter src \"atelier:color-transfer\" 0
    LAYER-MODE-REPLACE 1.0 \"style\" (string-append tmp \"/op-style.png\"))
  (save-layer img src (string-append tmp \"/filter-color.png\")))
"
if sf_ran filter gimp3-filters; then
  read -r max mean _ < <(diff_stats "$tmp/filter-src.png" "$tmp/filter-style.png")
  check gimp3-filter-style-transfer "mean difference ${mean:-?}" fcmp "${mean:-0} > 4"
  read -r r g b < <(mean_rgb "$tmp/filter-color.png")
  check gimp3-filter-color-transfer "mean RGB $r $g $b (the style is orange)" \
    fcmp "$r > $g + 40 && $g > $b"
fi

finish
