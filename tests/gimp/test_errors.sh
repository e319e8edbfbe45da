#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Bad arguments to the plug-in's PDB procedures: each call must fail (a
# PDB error, which Script-Fu raises and (catch ...) catches) and leave the
# image as it was: the same layers, the same pixels.
#
#   tests/gimp/test_errors.sh BUILD_DIR
#
# Prints "ok NAME" or "FAIL NAME: why" per case, then "N passed, M failed";
# exits non-zero if anything failed.
. "$(dirname "$0")/lib.sh" "$@"

gimp_setup

head -c 4096 /dev/urandom >"$tmp/corrupt.png"
echo "not an image" >"$tmp/text.jpg"
# a JPEG whose Huffman table made libjpeg exit the plug-in, a PNG whose
# half zlib stream was read as black rows, a header bomb
mkdir -p "$tmp/broken"
"$py" "$repo/tests/broken_images.py" "$tmp/broken" || bail "cannot make the broken images"
# a style network with one byte changed (its checksum no longer holds)
"$build/atelier" net-import --ncnn "$repo/../shared/data/weights/fast-style-ncnn-fp16/udnie.bin" \
  "$tmp/udnie.atnet" >/dev/null 2>&1 || bail "cannot import a reference network"
cp "$tmp/udnie.atnet" "$tmp/broken/changed.atnet"
printf '\x55' | dd of="$tmp/broken/changed.atnet" bs=1 seek=5000 conv=notrunc 2>/dev/null

# Each case: a fresh image, its layer exported before, the call under
# catch, then "CASE caught|returned LAYERS" and the layer exported after.
# (expect-error CASE IMG THUNK): THUNK makes the call.
sf errors "
(define (expect-error case img thunk)
  (let ((before (n-layers img))
        (l (top-layer img)))
    (save-layer img l (string-append tmp \"/\" case \"-before.png\"))
    (gimp-message (string-append \"CASE \" case))
    (let ((r (catch 'caught (begin (thunk) 'returned))))
      (say case \" \" r \" \" before \" \" (n-layers img))
      (save-layer img l (string-append tmp \"/\" case \"-after.png\")))))
(define style-file (string-append tmp \"/style.png\"))
(let ((s (plasma-image 48 48 2)))
  (save-image s style-file)
  (gimp-image-delete s))
(define style-img (plasma-image 48 48 4))
(define style-drw (top-layer style-img))
(define (file-call img drw style strength scale quality preserve output)
  (lambda ()
    (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE img drw style
      strength scale quality preserve 7 output 0)))

(let ((img (content-image 64 48)))
  (expect-error \"strength-500\" img
    (file-call img (top-layer img) style-file 500 1.0 0 0 0)))
(let ((img (content-image 64 48)))
  (expect-error \"strength-negative\" img
    (file-call img (top-layer img) style-file -1 1.0 0 0 0)))
(let ((img (content-image 64 48)))
  (expect-error \"scale-10\" img
    (file-call img (top-layer img) style-file 70 10.0 0 0 0)))
(let ((img (content-image 64 48)))
  (expect-error \"quality-3\" img
    (file-call img (top-layer img) style-file 70 1.0 3 0 0)))
(let ((img (content-image 64 48)))
  (expect-error \"output-2\" img
    (file-call img (top-layer img) style-file 70 1.0 0 0 2)))
(let ((img (content-image 64 48)))
  (expect-error \"missing-style-file\" img
    (file-call img (top-layer img) (string-append tmp \"/no-such-style.png\")
               70 1.0 0 0 0)))
(let ((img (content-image 64 48)))
  (expect-error \"corrupt-style-file\" img
    (file-call img (top-layer img) (string-append tmp \"/corrupt.png\")
               70 1.0 0 0 0)))
(let ((img (content-image 64 48)))
  (expect-error \"text-style-file\" img
    (file-call img (top-layer img) (string-append tmp \"/text.jpg\")
               70 1.0 0 0 1)))
(let ((img (content-image 64 48)))
  (expect-error \"empty-style-name\" img
    (file-call img (top-layer img) \"\" 70 1.0 0 0 0)))
(let ((img (content-image 64 48)))
  (gimp-image-convert-indexed img CONVERT-DITHER-NONE
                              CONVERT-PALETTE-GENERATE 16 FALSE FALSE \"\")
  (expect-error \"indexed-image\" img
    (file-call img (top-layer img) style-file 70 1.0 0 0 0)))
(let ((img (content-image 64 48)))
  (gimp-image-convert-indexed img CONVERT-DITHER-NONE
                              CONVERT-PALETTE-GENERATE 16 FALSE FALSE \"\")
  (expect-error \"indexed-image-in-place\" img
    (file-call img (top-layer img) style-file 70 1.0 0 0 1)))
(let* ((img (content-image 64 48))
       (tiny (car (gimp-layer-new img 1 1 RGB-IMAGE \"tiny\" 100
                                  LAYER-MODE-NORMAL))))
  (gimp-image-insert-layer img tiny 0 0)
  (gimp-drawable-fill tiny FILL-WHITE)
  (expect-error \"one-pixel-layer\" img
    (file-call img tiny style-file 70 1.0 0 0 0)))
;; a selection that misses the layer: nothing to do is an error
(let* ((img (content-image 64 48))
       (small (car (gimp-layer-new img 16 16 RGB-IMAGE \"small\" 100
                                   LAYER-MODE-NORMAL))))
  (gimp-image-insert-layer img small 0 0)
  (gimp-drawable-fill small FILL-WHITE)
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 40 30 10 10)
  (expect-error \"selection-misses-layer\" img
    (file-call img small style-file 70 1.0 0 0 1)))
;; a layer mask is not a layer
(let* ((img (content-image 64 48))
       (l (top-layer img))
       (mask (car (gimp-layer-create-mask l ADD-MASK-WHITE))))
  (gimp-layer-add-mask l mask)
  (expect-error \"layer-mask\" img
    (file-call img mask style-file 70 1.0 0 0 1)))
;; a new layer while a floating selection is there
(let* ((img (content-image 64 48))
       (l (top-layer img)))
  (gimp-image-select-rectangle img CHANNEL-OP-REPLACE 4 4 20 20)
  (gimp-edit-copy l)
  (gimp-edit-paste l FALSE)
  (expect-error \"floating-selection-new-layer\" img
    (file-call img l style-file 70 1.0 0 0 0)))
;; the drawable variant: a 1x1 style, and a bad strength
(let* ((img (content-image 64 48))
       (tiny-img (gradient-image 1 1 (list 0 0 0) (list 255 255 255))))
  (expect-error \"one-pixel-style-drawable\" img
    (lambda ()
      (plug-in-atelier-style-transfer RUN-NONINTERACTIVE img (top-layer img)
        (top-layer tiny-img) 70 1.0 0 0 7 0 0))))
(let ((img (content-image 64 48)))
  (expect-error \"drawable-strength-500\" img
    (lambda ()
      (plug-in-atelier-style-transfer RUN-NONINTERACTIVE img (top-layer img)
        style-drw 500 1.0 0 0 7 1 0))))
;; a backdrop that is neither auto (0) nor off (1)
(let ((img (content-image 64 48)))
  (expect-error \"backdrop-5\" img
    (lambda ()
      (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE img
        (top-layer img) style-file 70 1.0 0 0 7 1 5))))
;; a run mode GIMP does not have
(let ((img (content-image 64 48)))
  (expect-error \"unknown-run-mode\" img
    (lambda ()
      (plug-in-atelier-style-transfer 7 img (top-layer img)
        style-drw 70 1.0 0 0 7 1 0))))
(let ((img (content-image 64 48)))
  (expect-error \"color-unknown-run-mode\" img
    (lambda ()
      (plug-in-atelier-color-transfer 7 img (top-layer img)
        style-drw 100 0))))
;; color transfer
(let* ((img (content-image 64 48))
       (gone-img (plasma-image 16 16 9))
       (gone (top-layer gone-img)))
  (gimp-image-delete gone-img)
  (expect-error \"color-deleted-style-layer\" img
    (lambda ()
      (plug-in-atelier-color-transfer RUN-NONINTERACTIVE img (top-layer img)
        gone 100 0))))
(let ((img (content-image 64 48)))
  (expect-error \"color-strength-500\" img
    (lambda ()
      (plug-in-atelier-color-transfer RUN-NONINTERACTIVE img (top-layer img)
        style-drw 500 0))))
(let ((img (content-image 64 48)))
  (gimp-image-convert-indexed img CONVERT-DITHER-NONE
                              CONVERT-PALETTE-GENERATE 16 FALSE FALSE \"\")
  (expect-error \"color-indexed-image\" img
    (lambda ()
      (plug-in-atelier-color-transfer RUN-NONINTERACTIVE img (top-layer img)
        style-drw 100 0))))
;; broken style files: refused, and the plug-in lives on
(let ((img (content-image 64 48)))
  (expect-error \"bad-huffman-style\" img
    (file-call img (top-layer img) (string-append tmp \"/broken/bad-huffman.jpg\")
               70 1.0 0 0 0)))
(let ((img (content-image 64 48)))
  (expect-error \"cut-zlib-style\" img
    (file-call img (top-layer img) (string-append tmp \"/broken/cut-zlib.png\")
               70 1.0 0 0 1)))
(let ((img (content-image 64 48)))
  (expect-error \"bomb-style\" img
    (file-call img (top-layer img) (string-append tmp \"/broken/bomb.png\")
               70 1.0 0 0 0)))
;; a corrupt style network
(let ((img (content-image 64 48)))
  (expect-error \"changed-net-style\" img
    (file-call img (top-layer img) (string-append tmp \"/broken/changed.atnet\")
               70 1.0 0 0 1)))
;; and a good network: the layer changes
(let ((img (content-image 64 48)))
  (save-layer img (top-layer img) (string-append tmp \"/net-before.png\"))
  (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE img (top-layer img)
    (string-append tmp \"/udnie.atnet\") 100 1.0 0 0 7 1 0)
  (save-layer img (top-layer img) (string-append tmp \"/net-after.png\"))
  (say \"net done\"))
;; and a good call last, to show the plug-in still works after the errors
(let ((img (content-image 64 48)))
  (save-layer img (top-layer img) (string-append tmp \"/good-before.png\"))
  (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE img (top-layer img)
    style-file 70 1.0 0 0 7 1 0)
  (save-layer img (top-layer img) (string-append tmp \"/good-after.png\"))
  (say \"good done\"))
"

# the GIMP output of case NAME: from its "CASE NAME" message to the next
case_log () {
  awk -v c="CASE $1" '
    index($0, "CASE ") && found { exit }
    found { print }
    index($0, c) == length($0) - length(c) + 1 && index($0, c) { found = 1 }
  ' "$tmp/errors.log"
}

# expect NAME: the call was caught, the layer count and pixels unchanged,
# and GIMP printed the plug-in's error message
expect () {
  local name=$1 line result before after max msg
  line=$(grep "^$name " "$tmp/errors.out")
  read -r _ result before after <<<"$line"
  if [ -z "$line" ]; then
    fail "$name" "the case did not run"
    return
  fi
  if [ "$result" != caught ]; then
    fail "$name" "the call returned without an error"
    return
  fi
  if [ "$before" != "$after" ]; then
    fail "$name" "the image had $before layers, now $after"
    return
  fi
  read -r max _ < <(diff_stats "$tmp/$name-before.png" "$tmp/$name-after.png")
  if [ "${max:-x}" != 0 ]; then
    fail "$name" "the pixels changed by up to ${max:-?}"
    return
  fi
  # "GIMP-Error: Calling error for procedure 'plug-in-atelier-...':" and
  # the message on the next line
  msg=$(case_log "$name" | grep -A1 "procedure 'plug-in-atelier-" | sed -n 2p)
  if [ -z "$msg" ]; then
    fail "$name" "no error message from the plug-in; GIMP said: $(case_log "$name" | grep -v 'using gegl copy' | head -4 | tr '\n' '|')"
    return
  fi
  ok "$name"
}

if sf_ran errors; then :; fi
if [ -f "$tmp/errors.out" ]; then
  for name in strength-500 strength-negative scale-10 quality-3 output-2 \
              missing-style-file corrupt-style-file text-style-file \
              empty-style-name indexed-image indexed-image-in-place \
              one-pixel-layer selection-misses-layer layer-mask \
              floating-selection-new-layer one-pixel-style-drawable \
              drawable-strength-500 backdrop-5 unknown-run-mode \
              color-unknown-run-mode color-deleted-style-layer \
              color-strength-500 color-indexed-image bad-huffman-style \
              cut-zlib-style bomb-style changed-net-style; do
    expect "$name"
  done
  read -r max mean _ < <(diff_stats "$tmp/net-before.png" "$tmp/net-after.png" 2>/dev/null)
  check network-style-file "a style network changed the layer by mean ${mean:-?}" \
    '[ "$(val errors net)" = done ] && fcmp "${mean:-0} > 4"'
  read -r max mean _ < <(diff_stats "$tmp/good-before.png" "$tmp/good-after.png" 2>/dev/null)
  check works-after-errors "a good call after the errors changed the layer by mean ${mean:-?}" \
    '[ "$(val errors good)" = done ] && fcmp "${mean:-0} > 4"'
fi

finish
