#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# install.sh in a throw-away HOME: it lets GIMP create a missing profile
# first, installs the plug-in (with its translations) and the commands,
# GIMP then finds the procedures, their menus and the "atelier" text
# domain, the Chinese menu labels come from the installed catalogue;
# running it twice is harmless; --uninstall removes everything; --system
# lays files out under DESTDIR.
#
#   tests/gimp/test_install.sh BUILD_DIR
#
# Prints "ok NAME" or "FAIL NAME: why" per case, then "N passed, M failed";
# exits non-zero if anything failed.  Never runs apt-get (--no-deps) or
# make (--no-build).
. "$(dirname "$0")/lib.sh" "$@"

command -v "$console" >/dev/null 2>&1 || bail "no $console (apt-get install gimp)"
[ -x "$build/plugins/atelier/atelier" ] ||
  bail "no plug-in $build/plugins/atelier/atelier (run make first)"

install=$repo/install.sh
# no GIMP2_DIRECTORY: the profile is GIMP's default, under XDG_CONFIG_HOME
unset GIMP2_DIRECTORY
profile=$XDG_CONFIG_HOME/GIMP/2.10
plugin_dir=$profile/plug-ins/atelier
export PATH=/usr/local/bin:/usr/bin:/bin

# run_install ARGS...: sets rc; stdout and stderr in files
run_install () {
  "$install" "$@" </dev/null >"$tmp/stdout" 2>"$tmp/stderr"
  rc=$?
}
outs () { cat "$tmp/stdout" "$tmp/stderr" | head -c 500 | tr '\n' '|'; }

run_install --help
check install-help "exit status $rc: $(outs)" \
  '[ "$rc" = 0 ] && grep -q -- --uninstall "$tmp/stdout" && grep -q -- --system "$tmp/stdout"'
run_install --bogus
check install-bad-option "exit status $rc, expected 2" '[ "$rc" = 2 ]'
run_install --no-deps --no-build --build-dir "$tmp/no-build"
check install-needs-build "exit status $rc: $(outs)" \
  '[ "$rc" != 0 ] && grep -q "make" "$tmp/stderr" && [ ! -e "$profile" ]'

# ---- a first install, with no GIMP profile yet ----

run_install --no-deps --no-build --build-dir "$build"
if [ "$rc" != 0 ]; then
  fail install "exit status $rc: $(outs)"
  finish
fi
ok install
# GIMP made the profile itself: its user installation copies folders such
# as brushes/ and writes gimpswap etc.; an mkdir -p would have made none
check install-profile-set-up-by-gimp "profile: $(ls "$profile" 2>/dev/null | head -20 | tr '\n' ' ')" \
  '[ -d "$profile/brushes" ] && [ -d "$profile/tool-presets" ] && [ -f "$profile/pluginrc" ]'
check install-plugin-files "installed: $(cd "$plugin_dir" 2>/dev/null && find . | tr '\n' ' ')" \
  '[ -x "$plugin_dir/atelier" ] && cmp -s "$plugin_dir/atelier" "$build/plugins/atelier/atelier" &&
   [ -f "$plugin_dir/locale/zh_CN/LC_MESSAGES/atelier.mo" ]'
check install-commands "$(ls -l "$bin_dir" 2>&1 | tr '\n' '|')" \
  '[ -x "$bin_dir/atelier" ] && [ -x "$bin_dir/atelier-batch" ] &&
   cmp -s "$bin_dir/atelier-batch" "$repo/bin/atelier-batch"'
check install-says-what-it-did "$(outs)" \
  'grep -qF "$plugin_dir" "$tmp/stdout" && grep -qF "$bin_dir/atelier-batch" "$tmp/stdout"'
check install-warns-path "no PATH warning: $(outs)" \
  'grep -q "PATH" "$tmp/stderr"'
check installed-atelier-runs "$("$bin_dir/atelier" --version 2>&1 | head -1)" \
  '"$bin_dir/atelier" --version | grep -q "^atelier [0-9]"'
check installed-atelier-batch-runs "atelier-batch --help failed" \
  '"$bin_dir/atelier-batch" --help | grep -q -- "--style"'

# ---- twice ----

cp "$profile/pluginrc" "$tmp/pluginrc-1"
PATH=$bin_dir:$PATH run_install --no-deps --no-build --build-dir "$build"
check install-twice "exit status $rc: $(outs)" \
  '[ "$rc" = 0 ] && [ -x "$plugin_dir/atelier" ] && [ -x "$bin_dir/atelier-batch" ] &&
   [ -z "$(ls -A "$profile/plug-ins" | grep -v "^atelier$")" ]'
check install-no-path-warning-when-on-path "$(outs)" \
  '! grep -q "PATH" "$tmp/stderr"'
check install-twice-keeps-profile "the profile was changed" \
  'cmp -s "$profile/pluginrc" "$tmp/pluginrc-1"'

# ---- GIMP finds the plug-in ----

sf_env=(LANGUAGE=zh_CN LANG=C.UTF-8)
GIMP2_DIRECTORY=$profile sf loaded "
(for-each
  (lambda (p) (say p \" \" (if (defined? (string->symbol p)) \"yes\" \"no\")))
  (list \"plug-in-atelier-style-transfer-file\" \"plug-in-atelier-style-transfer\"
        \"plug-in-atelier-color-transfer\" \"plug-in-atelier-batch\"))
(say \"menu-style \" (caadr (gimp-plugins-query \"^Style Transfer\")))
(say \"menu-color \" (caadr (gimp-plugins-query \"^Color Transfer\")))
;; an error from the plug-in, in the language of the environment
(let ((img (gradient-image 8 8 (list 0 0 0) (list 255 255 255))))
  (say \"zh-call \"
       (catch \"caught\"
         (begin
           (plug-in-atelier-style-transfer-file RUN-NONINTERACTIVE img
             (top-layer img) \"\" 70 1.0 0 0 1 1 0)
           \"returned\"))))
"
sf_env=()
if sf_ran loaded gimp-loads-plugin; then
  for p in style-transfer-file style-transfer color-transfer batch; do
    check "gimp-has-$p" "GIMP has no plug-in-atelier-$p: $(gimp_errors loaded)" \
      '[ "$(val loaded "plug-in-atelier-$p")" = yes ]'
  done
  check menu-style-transfer "menu path '$(val loaded menu-style)'" \
    '[ "$(val loaded menu-style)" = "<Image>/Filters/Artistic/Style Transfer..." ]'
  check menu-color-transfer "menu path '$(val loaded menu-color)'" \
    '[ "$(val loaded menu-color)" = "<Image>/Colors/Map/Color Transfer..." ]'
fi

# ---- the Chinese menu labels ----

# GIMP translates a plug-in's menu label with the text domain the plug-in
# registered (pluginrc: (locale-def "atelier" DIR)); gimp-console shows no
# menus, so check that the domain points at the installed catalogue, and
# that this catalogue translates the labels.  (C.UTF-8 needs no generated
# locale, and glibc honours LANGUAGE under it.)
locale_def=$(sed -n 's/.*(locale-def "atelier" "\([^"]*\)").*/\1/p' "$profile/pluginrc" | head -1)
# pluginrc writes paths under the profile as ${gimp_dir}/...
locale_def=${locale_def//'${gimp_dir}'/$profile}
check pluginrc-locale-domain "pluginrc has (locale-def \"atelier\" \"$locale_def\"), expected $plugin_dir/locale" \
  '[ -n "$locale_def" ] && [ "$(realpath -q "$locale_def")" = "$(realpath "$plugin_dir/locale")" ]'
zh () {
  TEXTDOMAINDIR=$plugin_dir/locale LANGUAGE=zh_CN LANG=C.UTF-8 LC_ALL='' \
    gettext -d atelier "$1"
}
got=$(zh "Style _Transfer...")
check zh-menu-style-transfer "gettext gives '$got'" '[ "$got" = "风格迁移(_T)..." ]'
got=$(zh "Color _Transfer...")
check zh-menu-color-transfer "gettext gives '$got'" '[ "$got" = "颜色迁移(_T)..." ]'

# The plug-in runs inside GIMP in the user's language: under
# LANGUAGE=zh_CN the error GIMP prints for a call with no style is the
# installed catalogue's translation.
en="No style given: pass an image file or a preset name"
zh_msg=$(zh "$en")
if [ "$zh_msg" = "$en" ]; then
  fail zh-plugin-message-in-gimp "the installed catalogue does not translate '$en'"
else
  check zh-plugin-message-in-gimp "call: $(val loaded zh-call); GIMP said: $(gimp_errors loaded)" \
    '[ "$(val loaded zh-call)" = caught ] && grep -qF "$zh_msg" "$tmp/loaded.log"'
fi

# ---- uninstall ----

cp -r "$profile" "$tmp/profile-copy"
run_install --uninstall
check uninstall "exit status $rc: $(outs)" \
  '[ "$rc" = 0 ] && [ ! -e "$plugin_dir" ] && [ ! -e "$bin_dir/atelier" ] && [ ! -e "$bin_dir/atelier-batch" ]'
check uninstall-says-what-it-did "$(outs)" 'grep -qF "$plugin_dir" "$tmp/stdout"'
check uninstall-keeps-profile "the rest of the profile changed" \
  'diff -r -x atelier -q "$tmp/profile-copy" "$profile" >/dev/null'
run_install --uninstall
check uninstall-twice "exit status $rc: $(outs)" '[ "$rc" = 0 ]'
GIMP2_DIRECTORY=$profile sf unloaded "
(say \"defined \" (if (defined? 'plug-in-atelier-style-transfer-file) \"yes\" \"no\"))
"
if sf_ran unloaded gimp-after-uninstall; then
  check gimp-after-uninstall "GIMP still has the procedure" \
    '[ "$(val unloaded defined)" = no ]'
fi

# ---- an explicit GIMP2_DIRECTORY that exists: installed into it as is ----

mkdir -p "$tmp/other-profile"
GIMP2_DIRECTORY=$tmp/other-profile run_install --no-deps --no-build --build-dir "$build"
check install-gimp2-directory "exit status $rc: $(outs)" \
  '[ "$rc" = 0 ] && [ -x "$tmp/other-profile/plug-ins/atelier/atelier" ]'
GIMP2_DIRECTORY=$tmp/other-profile run_install --uninstall
check uninstall-gimp2-directory "exit status $rc: $(outs)" \
  '[ "$rc" = 0 ] && [ ! -e "$tmp/other-profile/plug-ins/atelier" ]'

# ---- --system, under DESTDIR ----

sysplug=$(gimptool-2.0 --gimpplugindir 2>/dev/null || echo /usr/lib/gimp/2.0)
root=$tmp/root
DESTDIR=$root run_install --system --no-deps --no-build --build-dir "$build"
check install-system-destdir "exit status $rc: $(outs); files: $(cd "$root" 2>/dev/null && find . -type f | tr '\n' ' ')" \
  '[ "$rc" = 0 ] && [ -x "$root$sysplug/plug-ins/atelier/atelier" ] &&
   [ -f "$root$sysplug/plug-ins/atelier/locale/zh_CN/LC_MESSAGES/atelier.mo" ] &&
   [ -x "$root/usr/local/bin/atelier" ] && [ -x "$root/usr/local/bin/atelier-batch" ]'
DESTDIR=$root run_install --system --uninstall
check uninstall-system-destdir "exit status $rc; left: $(cd "$root" 2>/dev/null && find . -type f | tr '\n' ' ')" \
  '[ "$rc" = 0 ] && [ -z "$(find "$root" -type f)" ]'
DESTDIR=$root run_install --system --prefix /opt/atelier --no-deps --no-build --build-dir "$build"
check install-system-prefix "exit status $rc: $(outs)" \
  '[ "$rc" = 0 ] && [ -x "$root/opt/atelier/bin/atelier-batch" ]'

finish
