# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for the GIMP integration tests, sourced by tests/gimp/test_*.sh.
#
#   . "$(dirname "$0")/lib.sh" "$@"      # $1 is BUILD_DIR
#
# Gives each test script a throw-away HOME (and XDG dirs, and a GIMP
# profile in $GIMP2_DIRECTORY) that is removed on exit; ok/fail counters
# with the protocol of tests/run-all.sh ("ok NAME", "FAIL NAME: why", then
# "N passed, M failed"); gimp_setup, which creates the profile with a
# quit-only gimp-console run and installs the plug-in into it with
# ./install.sh --no-deps; sf, which runs Script-Fu in gimp-console; and
# pixel checks with /usr/bin/python3 + PIL.
#
# Script-Fu notes (GIMP 2.10):
#  - each -b expression runs in a fresh Script-Fu process, so definitions
#    do not carry over: sf puts a prelude and the body in one expression;
#  - (display ...) output is dropped unless the expression fails, so
#    results go to a file through (say ...);
#  - a failing PDB call (a plug-in returning an execution or calling
#    error) raises a Scheme error, which (catch DEFAULT EXPR) turns into
#    DEFAULT; (error ...) itself is not caught that way, use (throw ...);
#  - gimp-console exits 0 whatever happens, so every check reads the
#    result file, never the exit status.
# shellcheck shell=bash

set -u

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:-build}
case $build in
  /*) ;;
  *) build=$(cd "$build" 2>/dev/null && pwd || echo "$PWD/$build") ;;
esac
py=/usr/bin/python3
console=${ATELIER_GIMP_CONSOLE:-gimp-console-2.10}
. "$repo/tests/report.sh"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/atelier-gimp-test.XXXXXX")
# GIMP's plug-ins may outlive a killed gimp-console for a moment
trap 'rm -rf "$tmp" 2>/dev/null || { sleep 1; rm -rf "$tmp"; }' EXIT
[ -z "${ATELIER_TEST_KEEP:-}" ] || trap "echo kept \"\$tmp\"" EXIT

# A throw-away user: GIMP, GEGL and install.sh only ever see this.
export HOME=$tmp/home
export XDG_CONFIG_HOME=$HOME/.config
export XDG_CACHE_HOME=$HOME/.cache
export XDG_DATA_HOME=$HOME/.local/share
export GIMP2_DIRECTORY=$HOME/gimp-profile
export TMPDIR=$tmp/tmp    # GIMP makes $TMPDIR/gimp/2.10
export LANG=C.UTF-8
unset LC_ALL LANGUAGE LC_MESSAGES
mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$TMPDIR"
plugin_dir=$GIMP2_DIRECTORY/plug-ins/atelier
bin_dir=$HOME/.local/bin
# nothing a test does lands in the source tree
cd "$tmp" || exit 1

# Limits: generous, they only stop a hang.
gimp_limit=${ATELIER_TEST_GIMP_TIMEOUT:-300}

# Checks that GIMP, PIL and the built plug-in are there; creates the
# profile and installs the plug-in with install.sh.  Bails out (FAIL setup)
# if any of that fails.
gimp_setup () {
  command -v "$console" >/dev/null 2>&1 ||
    bail "no $console (apt-get install gimp)"
  command -v timeout >/dev/null 2>&1 || bail "no timeout(1)"
  "$py" -c 'import PIL' 2>/dev/null || bail "$py has no PIL (apt-get install python3-pil)"
  [ -x "$build/plugins/atelier/atelier" ] ||
    bail "no plug-in $build/plugins/atelier/atelier (run make first)"
  timeout 120 "$console" -i -d -f -b '(gimp-quit 0)' </dev/null \
    >"$tmp/profile.log" 2>&1
  [ -d "$GIMP2_DIRECTORY/plug-ins" ] ||
    bail "gimp-console did not create the profile: $(tail -c 300 "$tmp/profile.log")"
  "$repo/install.sh" --no-deps --no-build --build-dir "$build" \
    >"$tmp/install.log" 2>&1 ||
    bail "install.sh failed: $(tail -c 400 "$tmp/install.log" | tr '\n' '|')"
  [ -x "$plugin_dir/atelier" ] ||
    bail "install.sh did not install $plugin_dir/atelier"
}

# The Script-Fu prelude: (say X ...) writes one line to the result file;
# helpers to make test images, count layers and export a layer.
sf_prelude='
(define (say . xs)
  (for-each (lambda (x) (display x *out*)) xs)
  (newline *out*))
(define (bool x) (if (and (number? x) (= x 1)) "yes" "no"))
(define (n-layers img) (car (gimp-image-get-layers img)))
(define (top-layer img) (vector-ref (cadr (gimp-image-get-layers img)) 0))
(define (layer-name l) (car (gimp-item-get-name l)))
(define (layer-pos img l) (car (gimp-image-get-item-position img l)))
;; an RGB image W x H with one layer "content": a linear gradient FG to BG
(define (gradient-image w h fg bg)
  (let* ((img (car (gimp-image-new w h RGB)))
         (l (car (gimp-layer-new img w h RGB-IMAGE "content" 100
                                 LAYER-MODE-NORMAL))))
    (gimp-image-insert-layer img l 0 0)
    (gimp-context-set-foreground fg)
    (gimp-context-set-background bg)
    (gimp-drawable-edit-gradient-fill l GRADIENT-LINEAR 0 FALSE 1 0 FALSE
                                      0 0 w h)
    img))
;; a content picture: a diagonal gradient with a plasma square on it
(define (content-image w h)
  (let* ((img (gradient-image w h (list 200 60 40) (list 30 90 210)))
         (l (top-layer img)))
    (gimp-image-select-rectangle img CHANNEL-OP-REPLACE
                                 (/ w 4) (/ h 4) (/ w 2) (/ h 2))
    (plug-in-plasma RUN-NONINTERACTIVE img l 3 1.5)
    (gimp-selection-none img)
    (gimp-image-clean-all img)
    img))
;; a style picture: coloured plasma (seeded, so always the same)
(define (plasma-image w h seed)
  (let* ((img (gradient-image w h (list 0 0 0) (list 255 255 255)))
         (l (top-layer img)))
    (plug-in-plasma RUN-NONINTERACTIVE img l seed 4.0)
    img))
(define (save-layer img l file)
  (file-png-save2 RUN-NONINTERACTIVE img l file file 0 9 0 0 0 0 0 0 0))
(define (save-image img file)
  (let ((l (car (gimp-image-flatten img))))
    (file-png-save2 RUN-NONINTERACTIVE img l file file 0 9 0 0 0 0 0 0 0)))
'

# sf NAME BODY: runs the Script-Fu BODY (after the prelude) in one
# gimp-console batch, then (gimp-quit 0).  BODY's (say ...) lines go to
# $tmp/NAME.out, which ends with "SCRIPT-END" if BODY ran to its end, or
# "SCRIPT-ERROR" if it raised an error; gimp-console's own output goes to
# $tmp/NAME.log.  In BODY, $tmp is available as the Scheme string tmp.
# Extra environment: sf_env (an array of NAME=VALUE).
# sfq STRING: STRING as a Scheme string literal
sfq () {
  local v=${1//\\/\\\\}
  printf '"%s"' "${v//\"/\\\"}"
}

sf_env=()
sf () {
  local name=$1 body=$2 out=$tmp/$1.out
  rm -f "$out"
  env ${sf_env[@]+"${sf_env[@]}"} timeout "$gimp_limit" "$console" -i -d -f -b "(begin
(define *out* (open-output-file $(sfq "$out")))
(define tmp $(sfq "$tmp"))
$sf_prelude
(catch (say \"SCRIPT-ERROR\")
  (begin
$body
  (say \"SCRIPT-END\")))
(close-output-port *out*))" -b '(gimp-quit 0)' </dev/null >"$tmp/$name.log" 2>&1
  sf_rc=$?
}

# sf_ran NAME [LABEL]: the script NAME reached its end; else FAIL LABEL
# (default NAME) and false
sf_ran () {
  local out=$tmp/$1.out label=${2:-$1}
  if [ "${sf_rc:-0}" = 124 ] || [ "${sf_rc:-0}" = 137 ]; then
    fail "$label" "gimp-console timed out after $gimp_limit s"
    return 1
  fi
  if [ -f "$out" ] && grep -qx 'SCRIPT-END' "$out"; then
    return 0
  fi
  if [ -f "$out" ] && grep -qx 'SCRIPT-ERROR' "$out"; then
    fail "$label" "Script-Fu error after '$(grep -v SCRIPT-ERROR "$out" | tail -1)': $(gimp_errors "$1")"
  else
    fail "$label" "the script did not run: $(gimp_errors "$1")"
  fi
  return 1
}

# gimp_errors NAME: GIMP's error lines from run NAME, on one line
gimp_errors () {
  grep -v -e '^batch command executed successfully' -e 'GeglBuffers leaked' \
    -e 'gegl_tile_cache_destroy' -e '^using gegl copy' -e '^[[:space:]]*$' \
    "$tmp/$1.log" 2>/dev/null | head -8 | tr '\n' '|' | cut -c1-600
}

# val NAME KEY: the rest of the first line "KEY ..." in NAME's results
val () {
  sed -n "s/^$2 //p" "$tmp/$1.out" 2>/dev/null | head -1
}

. "$repo/tests/gimp/pixels.sh"
