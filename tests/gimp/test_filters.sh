#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The plug-in's PDB procedures in a headless GIMP: each one changes the
# pixels it should and only those, adds or replaces a layer as asked, and
# respects the selection.
#
#   tests/gimp/test_filters.sh BUILD_DIR
#
# Prints "ok NAME" or "FAIL NAME: why" per case, then "N passed, M failed";
# exits non-zero if anything failed.  Test images are made in Script-Fu
# (gradients and seeded plasma, at most 96 px), restyled at preview
# quality, exported as PNG and compared with PIL.
. "$(dirname "$0")/lib.sh" "$@"

gimp_setup

# ---- style-transfer-file: a new layer, then in place ----

sf file "
(let* ((style (plasma-image 64 64 11))
       (style-file (string-append tmp \"/plasma-style.png\")))
  (save-image style style-file)
  (gimp-image-delete style)
  ;; output 0: a new layer above the source
  (let* ((img (content-image 96 64))
         (src (top-layer img)))
    (save-layer img src (string-append tmp \"/file-src.png\"))
    (say \"undo-before \" (bool (car (gimp-image-undo-is-enabled img))))
    (let ((res (car (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE
                       img src style-file 80 1.0 0 0 7 0 0))))
      (say \"layers \" (n-layers img))
      (say \"result-is-top \" (bool (if (= res (top-layer img)) 1 0)))
      (say \"result-is-new \" (bool (if (= res src) 0 1)))
      (say \"result-pos \" (layer-pos img res))
      (say \"src-pos \" (layer-pos img src))
      (say \"result-name \" (layer-name res))
      (say \"size \" (car (gimp-drawable-width res)) \" \"
           (car (gimp-drawable-height res)))
      (say \"undo-after \" (bool (car (gimp-image-undo-is-enabled img))))
      (say \"dirty \" (bool (car (gimp-image-is-dirty img))))
      (save-layer img res (string-append tmp \"/file-new.png\"))
      (save-layer img src (string-append tmp \"/file-src-after.png\"))))
  ;; output 1: the layer itself
  (let* ((img (content-image 96 64))
         (src (top-layer img)))
    (let ((res (car (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE
                       img src style-file 80 1.0 0 0 7 1 0))))
      (say \"replace-layers \" (n-layers img))
      (say \"replace-result-is-src \" (bool (if (= res src) 1 0)))
      (say \"replace-name \" (layer-name src))
      (save-layer img src (string-append tmp \"/file-replaced.png\")))))
"
if sf_ran file style-transfer-file; then
  check file-new-layer-added "the image has $(val file layers) layers, expected 2" \
    [ "$(val file layers)" = 2 ]
  check file-new-layer-above-source \
    "result at position $(val file result-pos), source at $(val file src-pos); top: $(val file result-is-top)" \
    '[ "$(val file result-pos)" = 0 ] && [ "$(val file src-pos)" = 1 ] &&
      [ "$(val file result-is-new)" = yes ]'
  name=$(val file result-name)
  check file-new-layer-named-after-style "the new layer is named '$name'" \
    grep -q 'plasma-style' <<<"$name"
  check file-new-layer-size "the new layer is $(val file size)" \
    [ "$(val file size)" = "96 64" ]
  read -r max mean _ < <(diff_stats "$tmp/file-src.png" "$tmp/file-new.png")
  check file-new-layer-restyled "differs from the source by mean ${mean:-?}, max ${max:-?}" \
    fcmp "${mean:-0} > 4"
  read -r max mean _ < <(diff_stats "$tmp/file-src.png" "$tmp/file-src-after.png")
  check file-source-kept "the source layer changed by up to ${max:-?}" \
    [ "${max:-1}" = 0 ]
  check file-undo-still-enabled "undo enabled before/after: $(val file undo-before)/$(val file undo-after)" \
    [ "$(val file undo-after)" = "$(val file undo-before)" ]
  check file-image-dirty "the image is not marked dirty" [ "$(val file dirty)" = yes ]
  check file-replace-no-new-layer "the image has $(val file replace-layers) layers, expected 1" \
    [ "$(val file replace-layers)" = 1 ]
  check file-replace-returns-layer "the result is not the layer itself" \
    [ "$(val file replace-result-is-src)" = yes ]
  check file-replace-keeps-name "the layer was renamed to '$(val file replace-name)'" \
    [ "$(val file replace-name)" = content ]
  read -r max mean _ < <(diff_stats "$tmp/file-src.png" "$tmp/file-replaced.png")
  check file-replace-restyled "differs from the source by mean ${mean:-?}" \
    fcmp "${mean:-0} > 4"
  # the same seed and settings give the same pixels, new layer or in place
  read -r max mean _ < <(diff_stats "$tmp/file-new.png" "$tmp/file-replaced.png")
  check file-replace-same-as-new-layer "new layer and in-place results differ by up to ${max:-?}" \
    [ "${max:-1}" -le 1 ]
  # GIMP closes an undo group a plug-in left open, and says so
  check file-undo-groups-closed "GIMP: $(grep -i undo "$tmp/file.log" | head -2 | tr '\n' '|')" \
    '! grep -qi undo "$tmp/file.log"'
fi

# ---- backdrop (the last argument): on a product shot, a textured box
# on white, 0 (auto) and 1 (off) give different pixels ----

"$py" "$repo/tests/product_image.py" "$tmp/product.png" ||
  bail "cannot make the product shot"
sf backdrop "
(let ((style-file (string-append tmp \"/backdrop-style.png\"))
      (product (string-append tmp \"/product.png\")))
  (save-image (plasma-image 64 64 11) style-file)
  (for-each
    (lambda (mode)
      (let* ((img (car (gimp-file-load RUN-NONINTERACTIVE product product)))
             (src (top-layer img)))
        (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE
          img src style-file 80 1.0 0 0 7 1 mode)
        (save-layer img src (string-append tmp \"/backdrop-\"
                                           (number->string mode) \".png\"))))
    (list 0 1)))
"
if sf_ran backdrop style-transfer-backdrop; then
  read -r max mean _ < <(diff_stats "$tmp/backdrop-0.png" "$tmp/backdrop-1.png")
  check backdrop-auto-off-differ "backdrop 0 and 1 differ by mean ${mean:-?}" \
    fcmp "${mean:-0} > 4"
fi

# ---- the shipped styles by name, and a mix, through Script-Fu ----

# install.sh put models/ beside the plug-in; each network style there is
# a preset name of style-transfer-file.
ATELIER_STYLE_PATH=$repo/models XDG_DATA_HOME=$tmp/no-data "$build/atelier" list-styles 2>/dev/null |
  grep -P '\tnetwork\t' | cut -f1 >"$tmp/shipped.list"
body=
while read -r name; do
  body+="
  (let* ((img (content-image 48 32)) (src (top-layer img)))
    (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE img src \"$name\" 100 1.0 0 0 7 1 0)
    (save-layer img src (string-append tmp \"/shipped-$name.png\"))
    (say \"done $name\"))"
done <"$tmp/shipped.list"
first=$(sed -n 1p "$tmp/shipped.list")
second=$(sed -n 2p "$tmp/shipped.list")
sf shipped "
(let* ((img (content-image 48 32)) (src (top-layer img)))
  (save-layer img src (string-append tmp \"/shipped-src.png\")))
$body
(let* ((img (content-image 48 32)) (src (top-layer img)))
  (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE img src \"$first=0.5,$second=0.5\" 100 1.0 0 0 7 1 0)
  (save-layer img src (string-append tmp \"/shipped-mix.png\")))
(let* ((img (content-image 48 32)) (src (top-layer img)))
  (catch (say \"bad-mix-refused\")
    (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE img src \"$first=0.5,no-such-style=0.5\" 100 1.0 0 0 7 1 0))
  (save-layer img src (string-append tmp \"/shipped-bad-mix.png\")))
"
check shipped-styles-found "$(wc -l <"$tmp/shipped.list") network styles in $repo/models" \
  '[ "$(wc -l <"$tmp/shipped.list")" -ge 8 ]'
if sf_ran shipped shipped-styles-script-fu; then
  while read -r name; do
    read -r max mean _ < <(diff_stats "$tmp/shipped-src.png" "$tmp/shipped-$name.png")
    check "script-fu-style-$name" "differs from the source by mean ${mean:-?}" fcmp "${mean:-0} > 4"
  done <"$tmp/shipped.list"
  read -r max mean _ < <(diff_stats "$tmp/shipped-$first.png" "$tmp/shipped-mix.png")
  check script-fu-style-mix "the mix differs from $first alone by mean ${mean:-?}" fcmp "${mean:-0} > 1"
  read -r max mean _ < <(diff_stats "$tmp/shipped-src.png" "$tmp/shipped-bad-mix.png")
  check script-fu-bad-mix-refused "refused: $(grep -c -x "bad-mix-refused" "$tmp/shipped.out"); the layer changed by up to ${max:-?}" \
    '[ -n "$(grep -x "bad-mix-refused" "$tmp/shipped.out")" ] && [ "${max:-1}" = 0 ]'
fi

# ---- a rectangle selection ----

# Pixels outside the selection must stay bit for bit, inside they change.
# (The undo group cannot be counted from Script-Fu: GIMP 2.10 has no PDB
# procedure to undo or to read the undo stack; what is checked is that the
# call leaves undo enabled and no group open.)
sel_x=24 sel_y=16 sel_w=40 sel_h=32
sf selection "
(let* ((style-file (string-append tmp \"/plasma-style.png\"))
       (img (content-image 96 64))
       (src (top-layer img)))
  (save-layer img src (string-append tmp \"/sel-before.png\"))
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE $sel_x $sel_y $sel_w $sel_h)
  (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE
    img src style-file 100 1.0 0 0 7 1 0)
  (say \"layers \" (n-layers img))
  (say \"selection \" (cdr (gimp-selection-bounds img)))
  (save-layer img src (string-append tmp \"/sel-after.png\"))
  ;; the selection's box of that result, and the box restyled on its own
  (let ((dup (car (gimp-image-duplicate img)))
        (crop (content-image 96 64)))
    (gimp-image-crop dup $sel_w $sel_h $sel_x $sel_y)
    (save-layer dup (top-layer dup) (string-append tmp \"/sel-box.png\"))
    (gimp-image-crop crop $sel_w $sel_h $sel_x $sel_y)
    (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE
      crop (top-layer crop) style-file 100 1.0 0 0 7 1 0)
    (save-layer crop (top-layer crop) (string-append tmp \"/sel-crop.png\")))
  ;; a new layer with the same selection
  (let ((res (car (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE
                     img src style-file 100 1.0 0 0 7 0 0))))
    (say \"new-layers \" (n-layers img))
    (save-layer img res (string-append tmp \"/sel-new.png\"))))
"
if [ ! -f "$tmp/file.out" ]; then
  fail selection "no style file (the style-transfer-file case did not run)"
elif sf_ran selection; then
  read -r max_in mean_in max_out mean_out < \
    <(diff_stats "$tmp/sel-before.png" "$tmp/sel-after.png" $sel_x $sel_y $sel_w $sel_h)
  check selection-outside-unchanged "outside the selection pixels changed by up to ${max_out:-?}" \
    [ "${max_out:-1}" = 0 ]
  check selection-inside-restyled "inside the selection mean change ${mean_in:-?}" \
    fcmp "${mean_in:-0} > 4"
  # the selection's box is what gets restyled: its colours mapped and its
  # strokes sized, as the dialog's preview shows it, not the whole layer's
  read -r max mean _ < <(diff_stats "$tmp/sel-crop.png" "$tmp/sel-box.png")
  check selection-restyled-as-crop "the box restyled in place and on its own differ by up to ${max:-?}" \
    [ "${max:-2}" -le 1 ]
  check selection-kept "the selection is now $(val selection selection)" \
    [ "$(val selection selection)" = "($sel_x $sel_y $(( sel_x + sel_w )) $(( sel_y + sel_h )))" ]
  check selection-one-layer "$(val selection layers) layers after an in-place run" \
    [ "$(val selection layers)" = 1 ]
  check selection-new-layer "$(val selection new-layers) layers after a new-layer run" \
    [ "$(val selection new-layers)" = 2 ]
  # in the new layer (made from the restyled layer), inside the selection
  # is restyled again
  read -r max_in mean_in max_out mean_out < \
    <(diff_stats "$tmp/sel-after.png" "$tmp/sel-new.png" $sel_x $sel_y $sel_w $sel_h)
  check selection-new-layer-inside-restyled "inside the selection mean change ${mean_in:-?}" \
    fcmp "${mean_in:-0} > 4"
  # and outside it, the new layer is a copy of the source
  check selection-new-layer-outside-copy "outside the selection the new layer differs from the source by up to ${max_out:-?}" \
    '[ "${max_out:-1}" = 0 ]'
fi

# ---- style-transfer: the style is a drawable of another image ----

sf drawable "
(let* ((style-img (plasma-image 64 48 5))
       (style (top-layer style-img))
       (img (content-image 96 64))
       (src (top-layer img)))
  (save-layer img src (string-append tmp \"/drw-src.png\"))
  (let ((res (car (plug-in-atelier-style-transfer RUN-NONINTERACTIVE
                     img src style 80 1.0 0 0 3 0 0))))
    (say \"layers \" (n-layers img))
    (say \"style-layers \" (n-layers style-img))
    (say \"result-pos \" (layer-pos img res))
    (save-layer img res (string-append tmp \"/drw-new.png\"))
    (save-layer style-img style (string-append tmp \"/drw-style-after.png\")))
  (let ((res (car (plug-in-atelier-style-transfer RUN-NONINTERACTIVE
                     img src style 80 1.0 0 0 3 1 0))))
    (say \"replace-layers \" (n-layers img))
    (save-layer img src (string-append tmp \"/drw-replaced.png\"))))
"
if sf_ran drawable style-transfer-drawable; then
  check drawable-new-layer "layers $(val drawable layers), result at $(val drawable result-pos)" \
    '[ "$(val drawable layers)" = 2 ] && [ "$(val drawable result-pos)" = 0 ]'
  read -r max mean _ < <(diff_stats "$tmp/drw-src.png" "$tmp/drw-new.png")
  check drawable-restyled "differs from the source by mean ${mean:-?}" fcmp "${mean:-0} > 4"
  check drawable-style-image-untouched "the style image has $(val drawable style-layers) layers" \
    [ "$(val drawable style-layers)" = 1 ]
  check drawable-replace "layers $(val drawable replace-layers) after output=1" \
    [ "$(val drawable replace-layers)" = 2 ]
  read -r max mean _ < <(diff_stats "$tmp/drw-src.png" "$tmp/drw-replaced.png")
  check drawable-replace-restyled "differs from the source by mean ${mean:-?}" fcmp "${mean:-0} > 4"
fi

# ---- "Repeat": RUN-WITH-LAST-VALS takes the last call's values (its own
# arguments are ignored), so the same seed gives the same pixels ----

sf repeat "
(let* ((style-img (plasma-image 64 48 5))
       (style (top-layer style-img))
       (img (content-image 96 64))
       (src (top-layer img)))
  (let ((a (car (plug-in-atelier-style-transfer RUN-NONINTERACTIVE
                   img src style 80 1.0 0 0 3 0 0))))
    (save-layer img a (string-append tmp \"/rep-first.png\")))
  (let ((b (car (plug-in-atelier-style-transfer RUN-WITH-LAST-VALS
                   img src style 0 1.0 0 0 0 1 0))))
    (say \"layers \" (n-layers img))
    (save-layer img b (string-append tmp \"/rep-again.png\")))
  (save-layer img src (string-append tmp \"/rep-src.png\")))
"
if sf_ran repeat style-transfer-repeat; then
  check repeat-new-layer "layers $(val repeat layers), expected 3 (output new layer, as last time)" \
    [ "$(val repeat layers)" = 3 ]
  read -r max mean _ < <(diff_stats "$tmp/rep-first.png" "$tmp/rep-again.png")
  check repeat-same-pixels "the repeat differs from the first run by up to ${max:-?}" \
    '[ "${max:-1}" = 0 ]'
  read -r max mean _ < <(diff_stats "$tmp/rep-src.png" "$tmp/rep-again.png")
  check repeat-restyled "differs from the source by mean ${mean:-?}" fcmp "${mean:-0} > 4"
fi

# ... and after a restart of GIMP: the last values are kept in the profile
# (a style file; a style layer of the last session is gone, so a repeat
# of a layer style fails rather than take another layer)
sf restart-1 "
(let* ((style (plasma-image 48 48 6))
       (style-file (string-append tmp \"/restart-style.png\"))
       (img (content-image 96 64))
       (src (top-layer img)))
  (save-image style style-file)
  (let ((a (car (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE
                   img src style-file 80 1.0 0 0 3 0 0))))
    (save-layer img a (string-append tmp \"/restart-first.png\"))))
"
sf restart-2 "
(let* ((img (content-image 96 64))
       (src (top-layer img))
       (b (car (plug-in-atelier-style-transfer-file RUN-WITH-LAST-VALS
                  img src \"\" 0 1.0 0 0 0 1 0))))
  (say \"layers \" (n-layers img))
  (save-layer img b (string-append tmp \"/restart-again.png\")))
"
if sf_ran restart-1 && sf_ran restart-2 style-transfer-repeat-after-restart; then
  read -r max mean _ < <(diff_stats "$tmp/restart-first.png" "$tmp/restart-again.png")
  check repeat-after-restart "after a restart the repeat differs from the first run by up to ${max:-?}; layers $(val restart-2 layers)" \
    '[ "${max:-1}" = 0 ] && [ "$(val restart-2 layers)" = 2 ]'
fi

# ---- color-transfer: the mean colour moves toward the style's ----

sf color "
(let* ((style-img (gradient-image 64 48 (list 250 200 40) (list 200 40 20)))
       (style (top-layer style-img))
       (img (gradient-image 96 64 (list 20 60 200) (list 90 200 240)))
       (src (top-layer img)))
  (save-layer img src (string-append tmp \"/ct-src.png\"))
  (save-layer style-img style (string-append tmp \"/ct-style.png\"))
  (plug-in-atelier-color-transfer RUN-NONINTERACTIVE img src style 100 0)
  (say \"layers \" (n-layers img))
  (save-layer img (top-layer img) (string-append tmp \"/ct-out.png\"))
  (let* ((img2 (gradient-image 96 64 (list 20 60 200) (list 90 200 240)))
         (src2 (top-layer img2)))
    (gimp-image-select-rectangle img2 CHANNEL-OP-REPLACE $sel_x $sel_y $sel_w $sel_h)
    (plug-in-atelier-color-transfer RUN-NONINTERACTIVE img2 src2 style 100 1)
    (save-layer img2 src2 (string-append tmp \"/ct-sel.png\")))
  ;; from an image file, into a new layer named after it
  (let* ((img3 (gradient-image 96 64 (list 20 60 200) (list 90 200 240)))
         (src3 (top-layer img3))
         (res (car (plug-in-atelier-color-transfer-file RUN-NONINTERACTIVE
                      img3 src3 (string-append tmp \"/ct-style.png\") 100 0 0))))
    (say \"file-layers \" (n-layers img3))
    (say \"file-result-name \" (layer-name res))
    (save-layer img3 res (string-append tmp \"/ct-file.png\"))
    (save-layer img3 src3 (string-append tmp \"/ct-file-src.png\"))))
"
if sf_ran color color-transfer; then
  read -r cr cg cb < <(mean_rgb "$tmp/ct-src.png")
  read -r sr sg sb < <(mean_rgb "$tmp/ct-style.png")
  read -r or og ob < <(mean_rgb "$tmp/ct-out.png")
  d_before=$(awk -v a="$cr $cg $cb" -v b="$sr $sg $sb" 'BEGIN { split(a, x); split(b, y); print sqrt((x[1]-y[1])^2 + (x[2]-y[2])^2 + (x[3]-y[3])^2) }')
  d_after=$(awk -v a="${or:-0} ${og:-0} ${ob:-0}" -v b="$sr $sg $sb" 'BEGIN { split(a, x); split(b, y); print sqrt((x[1]-y[1])^2 + (x[2]-y[2])^2 + (x[3]-y[3])^2) }')
  check color-transfer-mean-moves "mean colour $cr,$cg,$cb -> ${or:-?},${og:-?},${ob:-?}; style $sr,$sg,$sb (distance $d_before -> $d_after)" \
    fcmp "$d_after < 0.25 * $d_before"
  check color-transfer-in-place "$(val color layers) layers, expected 1" \
    [ "$(val color layers)" = 1 ]
  read -r max_in mean_in max_out mean_out < \
    <(diff_stats "$tmp/ct-src.png" "$tmp/ct-sel.png" $sel_x $sel_y $sel_w $sel_h)
  check color-transfer-selection "outside changed by up to ${max_out:-?}, inside mean ${mean_in:-?}" \
    '[ "${max_out:-1}" = 0 ] && fcmp "${mean_in:-0} > 4"'
  check color-transfer-file-new-layer "$(val color file-layers) layers, the new one named '$(val color file-result-name)'" \
    '[ "$(val color file-layers)" = 2 ] && [ "$(val color file-result-name)" = ct-style ]'
  read -r max _ < <(diff_stats "$tmp/ct-out.png" "$tmp/ct-file.png")
  check color-transfer-file-same-colors "from the file, the colours differ from the layer's by up to ${max:-?}" \
    [ "${max:-9}" -le 2 ]
  read -r max _ < <(diff_stats "$tmp/ct-src.png" "$tmp/ct-file-src.png")
  check color-transfer-file-source-kept "the source changed by up to ${max:-?}" [ "${max:-1}" = 0 ]
fi

finish
