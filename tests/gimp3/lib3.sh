# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for the GIMP 3 tests, sourced by the scripts that
# tests/gimp3/test_gimp3.sh runs inside the Debian 13 root.
#
#   . "$(dirname "$0")/lib3.sh" "$@"      # $1 is the root's BUILD_DIR
#
# The same protocol as tests/gimp/lib.sh (a throw-away HOME and profile,
# "ok NAME" / "FAIL NAME: why", the pixel checks of pixels.sh), for
# gimp-console-3.0 and Script-Fu's v3 dialect:
#  - gimp-console-3.0 waits for ever without --quit, and runs -b only
#    with --batch-interpreter=plug-in-script-fu-eval; (script-fu-use-v3)
#    must be in the same expression;
#  - in v3 a PDB call returns its value itself (no list), booleans are
#    #t / #f, an image procedure takes its drawables as a vector, and
#    plug-in arguments may be named (#:strength 80);
#  - an uncaught Script-Fu error exits 70; GIMP 3 needs each plug-in in
#    its own folder; the profile is $GIMP3_DIRECTORY.
# shellcheck shell=bash

set -u

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-build-trixie}
case $build in
  /*) ;;
  *) build=$repo/$build ;;
esac
py=/usr/bin/python3
console=gimp-console-3.0
. "$repo/tests/report.sh"

tmp=$(mktemp -d /tmp/atelier-gimp3-test.XXXXXX)
trap 'rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }' EXIT

export HOME=$tmp/home
export XDG_CONFIG_HOME=$HOME/.config
export XDG_CACHE_HOME=$HOME/.cache
export XDG_DATA_HOME=$HOME/.local/share
export GIMP3_DIRECTORY=$HOME/gimp3-profile
export TMPDIR=$tmp/tmp
export LANG=C.UTF-8
unset LC_ALL LANGUAGE LC_MESSAGES
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$TMPDIR"
plugin_dir=$GIMP3_DIRECTORY/plug-ins/atelier
cd "$tmp" || exit 1
gimp_limit=${ATELIER_TEST_GIMP_TIMEOUT:-300}

# Creates the profile with a quit-only run and installs the plug-in in
# it with install.sh, as a user would.  Bails out if any of that fails.
gimp3_setup () {
  command -v "$console" >/dev/null 2>&1 || bail "no $console in the root"
  "$py" -c 'import PIL' 2>/dev/null || bail "$py has no PIL"
  [ -x "$build/gimp3/atelier/atelier" ] ||
    bail "no plug-in $build/gimp3/atelier/atelier (make plugin3 first)"
  timeout 120 "$console" -i -d -f --quit </dev/null >"$tmp/profile.log" 2>&1
  [ -d "$GIMP3_DIRECTORY" ] ||
    bail "gimp-console-3.0 did not create the profile: $(tail -c 300 "$tmp/profile.log")"
  "$repo/install.sh" --no-deps --no-build --build-dir "$build" --gimp 3 \
    >"$tmp/install.log" 2>&1 ||
    bail "install.sh failed: $(tail -c 400 "$tmp/install.log" | tr '\n' '|')"
  [ -x "$plugin_dir/atelier" ] ||
    bail "install.sh did not install $plugin_dir/atelier"
}

sf_prelude='
(define (say . xs)
  (for-each (lambda (x) (display x *out*)) xs)
  (newline *out*))
(define (yes x) (if x "yes" "no"))
(define (n-layers img) (vector-length (gimp-image-get-layers img)))
(define (top-layer img) (vector-ref (gimp-image-get-layers img) 0))
(define (layer-name l) (gimp-item-get-name l))
(define (layer-pos img l) (gimp-image-get-item-position img l))
;; an RGB image W x H with one layer "content": a linear gradient FG to BG
(define (gradient-image w h fg bg)
  (let* ((img (gimp-image-new w h RGB))
         (l (gimp-layer-new img "content" w h RGB-IMAGE 100
                            LAYER-MODE-NORMAL)))
    (gimp-image-insert-layer img l 0 0)
    (gimp-context-set-foreground fg)
    (gimp-context-set-background bg)
    (gimp-drawable-edit-gradient-fill l GRADIENT-LINEAR 0 #f 1 0 #f
                                      0 0 w h)
    img))
(define (plasma l seed)
  (gimp-drawable-merge-new-filter l "gegl:plasma" 0 LAYER-MODE-REPLACE 1.0
                                  "seed" seed "turbulence" 1.5))
;; a content picture: a diagonal gradient with a plasma square on it
(define (content-image w h)
  (let* ((img (gradient-image w h (list 200 60 40) (list 30 90 210)))
         (l (top-layer img)))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE
                                 (/ w 4) (/ h 4) (/ w 2) (/ h 2))
    (plasma l 3)
    (gimp-selection-none img)
    (gimp-image-clean-all img)
    img))
;; a style picture: coloured plasma (seeded, so always the same)
(define (plasma-image w h seed)
  (let* ((img (gradient-image w h (list 0 0 0) (list 255 255 255))))
    (plasma (top-layer img) seed)
    img))
;; one layer as PNG: a copy alone in a new image
(define (save-layer img l file)
  (let* ((img2 (gimp-image-new (gimp-image-get-width img)
                               (gimp-image-get-height img) RGB))
         (l2 (gimp-layer-new-from-drawable l img2)))
    (gimp-image-insert-layer img2 l2 0 0)
    (gimp-file-save RUN-NONINTERACTIVE img2 file -1)
    (gimp-image-delete img2)))
(define (save-image img file)
  (gimp-file-save RUN-NONINTERACTIVE img file -1))
'

sfq () {
  local v=${1//\\/\\\\}
  printf '"%s"' "${v//\"/\\\"}"
}

# sf NAME BODY: as in tests/gimp/lib.sh: BODY after the prelude in one
# gimp-console-3.0 batch; its (say ...) lines in $tmp/NAME.out, ending
# with SCRIPT-END or SCRIPT-ERROR; GIMP's output in $tmp/NAME.log; the
# exit status in sf_rc.
sf_env=()
sf () {
  local name=$1 body=$2 out=$tmp/$1.out
  rm -f "$out"
  env ${sf_env[@]+"${sf_env[@]}"} timeout "$gimp_limit" "$console" -i -d -f \
    --quit --batch-interpreter=plug-in-script-fu-eval -b "(begin
(script-fu-use-v3)
(define *out* (open-output-file $(sfq "$out")))
(define tmp $(sfq "$tmp"))
$sf_prelude
(catch (say \"SCRIPT-ERROR\")
  (begin
$body
  (say \"SCRIPT-END\")))
(close-output-port *out*))" </dev/null >"$tmp/$name.log" 2>&1
  sf_rc=$?
}

sf_ran () {
  local out=$tmp/$1.out label=${2:-$1}
  if [ "${sf_rc:-0}" = 124 ] || [ "${sf_rc:-0}" = 137 ]; then
    fail "$label" "gimp-console-3.0 timed out after $gimp_limit s"
    return 1
  fi
  if [ -f "$out" ] && grep -qx 'SCRIPT-END' "$out"; then
    return 0
  fi
  fail "$label" "the script did not end (rc $sf_rc) after '$(grep -v SCRIPT-ERROR "$out" 2>/dev/null | tail -1)': $(grep -i -e error -e critical "$tmp/$1.log" | head -5 | tr '\n' '|' | cut -c1-600)"
  return 1
}

val () {
  sed -n "s/^$2 //p" "$tmp/$1.out" 2>/dev/null | head -1
}

. "$repo/tests/gimp/pixels.sh"
