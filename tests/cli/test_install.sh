#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `make install` and `make uninstall` (what the Debian package uses):
# `make install DESTDIR=TMP PREFIX=/usr` lays out the commands and their
# manual pages (which render without a warning, as lintian renders them,
# and name every option of the commands' --help), the shipped styles,
# the catalogues and the GIMP 2.10 plug-in's folder (and
# the GIMP 3 plug-in and the GEGL operations when they are built); the
# installed programs run; a second install is harmless; `make uninstall`
# with the same variables leaves no file behind.
#
#   tests/cli/test_install.sh BUILD_DIR
#
# Works on a copy of BUILD_DIR (PREFIX=/usr rebuilds the programs that
# hold their paths, and the build directory must stay as it is).
# Prints "ok NAME" or "FAIL NAME: why" per case, then "N passed, M failed".
set -u

build=$(cd "${1:-build}" 2>/dev/null && pwd) || build=
repo=$(cd "$(dirname "$0")/../.." && pwd)
. "$(dirname "$0")/../report.sh"

[ -n "$build" ] && [ -x "$build/atelier" ] ||
  bail "no $1/atelier (run make first)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_CACHE_HOME=$tmp/cache
root=$tmp/root
cp -a "$build" "$tmp/build" || bail "cannot copy $build"

# make_in TARGET...: make in the repository on the copy, with stdout and
# stderr in $tmp/make.log; sets rc
make_in () {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$repo" -j1 \
    BUILD="$tmp/build" PREFIX=/usr DESTDIR="$root" "$@" \
    >"$tmp/make.log" 2>&1
  rc=$?
}
log () { tail -c 600 "$tmp/make.log" | tr '\n' '|'; }
files () { (cd "$root" 2>/dev/null && find . -type f -o -type l | sort | tr '\n' ' '); }

gimp2_libdir=$(pkg-config --variable=gimplibdir gimp-2.0 2>/dev/null)
plug2=$root${gimp2_libdir:-/usr/lib/gimp/2.0}/plug-ins/atelier
gimp3_libdir=$(pkg-config --variable=gimplibdir gimp-3.0 2>/dev/null)
plug3=$root${gimp3_libdir:-/usr/lib/gimp/3.0}/plug-ins/atelier
gegl_dir=$root$(pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null)
bin=$root/usr/bin
models=$root/usr/share/atelier/models
man1=$root/usr/share/man/man1

make_in install
if [ "$rc" != 0 ]; then
  fail install "exit status $rc: $(log)"
  finish
fi
ok install

# ---- the commands ----

check installed-atelier-version "$("$bin/atelier" --version 2>&1 | head -1)" \
  '"$bin/atelier" --version 2>/dev/null | grep -q "^atelier [0-9]"'
check installed-atelier-batch-help "atelier-batch --help failed" \
  '"$bin/atelier-batch" --help 2>/dev/null | grep -q -- "--style"'
check installed-atelier-batch-same "differs from bin/atelier-batch" \
  'cmp -s "$bin/atelier-batch" "$repo/bin/atelier-batch"'
# PREFIX=/usr is compiled into the command: it looks for the shipped
# styles in /usr/share/atelier/models
check installed-atelier-modelsdir "no /usr/share/atelier/models in $bin/atelier" \
  'grep -qaF /usr/share/atelier/models "$bin/atelier" &&
   ! grep -qaF /usr/local/share/atelier "$bin/atelier"'

# ---- the manual pages ----

# man_warnings PAGE: what rendering PAGE says on stderr (nothing: clean)
# and its exit status: lintian's own command (man-db's man, from the
# folder above man1/), else groff's warnings; man_text PAGE: the page as
# text, for the options' names (hyphens are \- in the source)
if command -v man >/dev/null 2>&1; then
  man_warnings () {
    (cd "$(dirname "$1")/.." && env -i PATH="$PATH" LC_ALL=C.UTF-8 \
       MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$1" \
       2>&1 >/dev/null) || echo "exit status $?"
  }
elif command -v groff >/dev/null 2>&1; then
  man_warnings () { groff -man -Tutf8 -ww -z "$1" 2>&1 || echo "exit status $?"; }
else
  man_warnings () { echo "# no man or groff: $1 not rendered" >&2; }
fi
man_text () { sed 's/\\-/-/g' "$1"; }
# help_options COMMAND...: the long options COMMAND's help names
help_options () { "$@" 2>/dev/null | grep -o -- '--[a-z][a-z0-9-]*' | sort -u; }

for page in atelier atelier-batch; do
  f=$man1/$page.1
  check "installed-man-$page" "no $f; installed: $(files)" '[ -f "$f" ]'
  [ -f "$f" ] || continue
  w=$(man_warnings "$f")
  check "man-$page-renders-clean" "$(echo "$w" | head -3 | tr '\n' '|')" '[ -z "$w" ]'
  if command -v lexgrog >/dev/null 2>&1; then
    check "man-$page-whatis" "lexgrog: $(lexgrog "$f" 2>&1)" \
      'lexgrog "$f" 2>/dev/null | grep -q "\"$page - "'
  fi
done
if [ -f "$man1/atelier.1" ]; then
  missing=
  for c in --help stylize color-transfer list-styles net-import; do
    for o in $(help_options "$bin/atelier" $c --help); do
      man_text "$man1/atelier.1" | grep -qF -- "$o" || missing="$missing $c:$o"
    done
  done
  check man-atelier-all-options "not in atelier.1:$missing" '[ -z "$missing" ]'
  # PREFIX=/usr: the page names the folder the command looks in
  check man-atelier-modelsdir "$(grep -n -e MODELSDIR -e share/atelier "$man1/atelier.1" | head -3 | tr '\n' '|')" \
    'grep -qF /usr/share/atelier/models "$man1/atelier.1" && ! grep -qF @MODELSDIR@ "$man1/atelier.1"'
fi
if [ -f "$man1/atelier-batch.1" ]; then
  missing=
  for o in $(help_options "$bin/atelier-batch" --help); do
    man_text "$man1/atelier-batch.1" | grep -qF -- "$o" || missing="$missing $o"
  done
  check man-atelier-batch-all-options "not in atelier-batch.1:$missing" '[ -z "$missing" ]'
fi

# ---- the styles and the catalogues ----

same=1
for m in "$repo"/models/*.atnet; do cmp -s "$m" "$models/${m##*/}" || same=0; done
check installed-models "installed: $(files)" '[ "$same" = 1 ]'
styles=$(ATELIER_STYLE_PATH=$models "$bin/atelier" list-styles 2>&1)
check installed-models-load "list-styles: $(echo "$styles" | head -3 | tr '\n' '|')" \
  'echo "$styles" | grep -q "^starry-night	"'
mo=$root/usr/share/locale/zh_CN/LC_MESSAGES/atelier.mo
check installed-catalogue "installed: $(files)" '[ -f "$mo" ]'
zh=$(TEXTDOMAINDIR=$root/usr/share/locale LANGUAGE=zh_CN LANG=C.UTF-8 LC_ALL='' \
  gettext -d atelier "Style _Transfer..." 2>/dev/null)
check installed-catalogue-translates "gettext gives '$zh'" '[ "$zh" = "风格迁移(_T)..." ]'

# ---- the GIMP 2.10 plug-in ----

if pkg-config --exists gimpui-2.0 2>/dev/null; then
  check installed-plugin "installed: $(files)" \
    '[ -x "$plug2/atelier" ] && cmp -s "$plug2/atelier" "$tmp/build/plugins/atelier/atelier"'
  check installed-plugin-catalogue "installed: $(files)" \
    '[ -f "$plug2/locale/zh_CN/LC_MESSAGES/atelier.mo" ]'
  # models/ beside the binary (where the plug-in looks) is a relative
  # link to the installed styles, so it resolves under DESTDIR too
  check installed-plugin-models "models -> $(readlink "$plug2/models" 2>&1)" \
    '[ -L "$plug2/models" ] && [ -f "$plug2/models/atelier-8-styles.atnet" ] &&
     [ "${plug2#$root}" != "$plug2" ] &&
     [ "$(cd "$plug2/models" && pwd -P)" = "$(cd "$models" && pwd -P)" ]'
  # outside GIMP the plug-in says it is one (so its libraries load)
  out=$("$plug2/atelier" 2>&1 </dev/null)
  check installed-plugin-runs "it said: $(echo "$out" | head -2 | tr '\n' '|')" \
    'echo "$out" | grep -q "GIMP plug-in"'
else
  echo "# no gimpui-2.0: the GIMP 2.10 plug-in is not installed"
fi

# ---- the GIMP 3 plug-in and the GEGL operations, when built ----

if [ -x "$tmp/build/gimp3/atelier/atelier" ]; then
  check installed-plugin3 "installed: $(files)" \
    '[ -x "$plug3/atelier" ] && [ -f "$plug3/models/atelier-8-styles.atnet" ]'
fi
shopt -s nullglob
ops=("$tmp"/build/gegl-ops/*.so)
if [ ${#ops[@]} -gt 0 ]; then
  same=1
  for o in "${ops[@]}"; do cmp -s "$o" "$gegl_dir/${o##*/}" || same=0; done
  check installed-gegl-ops "installed: $(files)" '[ "$same" = 1 ]'
fi

# ---- again, then uninstall ----

make_in install
check install-twice "exit status $rc: $(log)" \
  '[ "$rc" = 0 ] && [ -x "$bin/atelier" ] && [ -f "$mo" ] && [ -f "$man1/atelier.1" ]'
make_in uninstall
check uninstall "exit status $rc; left: $(files)" \
  '[ "$rc" = 0 ] && [ -z "$(files)" ]'
make_in uninstall
check uninstall-twice "exit status $rc: $(log)" '[ "$rc" = 0 ]'

finish
