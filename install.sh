#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Installs Atelier: the GIMP plug-in (Filters > Artistic > Style
# Transfer..., Colors > Map > Color Transfer...) for GIMP 3, GIMP 2.10
# or both, whichever are installed, and the commands `atelier` and
# `atelier-batch`.
#
#   ./install.sh                      build, install for the current user
#   ./install.sh --system             build, install for every user
#   ./install.sh --uninstall          remove the per-user installation
#   ./install.sh --system --uninstall remove the system-wide installation
#
# Run ./install.sh --help for the options.  Running it twice is harmless:
# every file is replaced whole.
set -euo pipefail

prog=${0##*/}
here=$(cd "$(dirname "$0")" && pwd)

usage () {
  cat <<EOF
Usage: $prog [--system] [--uninstall] [--gimp auto|2|3|both] [--no-deps]
       [--no-build] [--build-dir DIR] [--prefix DIR]

Installs the Atelier GIMP plug-in (for GIMP 3, GIMP 2.10 or both) and the
commands atelier and atelier-batch.

  (no option)      install for the current user:
                     GIMP 2.10 \${GIMP2_DIRECTORY:-~/.config/GIMP/2.10}/plug-ins/atelier/
                     GIMP 3    \${GIMP3_DIRECTORY:-~/.config/GIMP/3.0}/plug-ins/atelier/
                     commands  ~/.local/bin/atelier, ~/.local/bin/atelier-batch
                     styles    ~/.local/share/atelier/models/
                   A missing GIMP profile is first created by a quit-only
                   gimp-console run, so GIMP sets it up completely.
  --system         install for every user (uses sudo when not root):
                     plug-ins GIMP's own plug-in folders (gimptool-2.0,
                              pkg-config gimp-2.0 / gimp-3.0)
                     commands PREFIX/bin (PREFIX defaults to /usr/local)
  --uninstall      remove what the same kind of install put in place (for
                   both GIMP versions)
  --gimp WHICH     auto (default): every GIMP version that is installed
                   and whose plug-in is built (or, without --no-build, can
                   be); 2 (2.10), 3 or both: those, or fail
  --no-deps        do not install packages with apt-get
  --no-build       do not run make; install what is in the build directory
  --build-dir DIR  the build directory (default: build, or \$BUILD)
  --prefix DIR     where commands go: DIR/bin (default ~/.local, or
                   /usr/local with --system)
  -h, --help       show this help

Packages: apt-get installs the list in packages.txt: the compiler, GEGL,
OpenBLAS and LAPACKE, GIMP and the headers of the GIMP versions your
distribution has, gettext (not the test tools: see .ci/packages).
Environment: GIMP2_DIRECTORY and GIMP3_DIRECTORY select the GIMP profiles
as they do for GIMP; DESTDIR, when set, is put in front of every
installed path (packaging; \`make install\` does the same for packages).
EOF
}

say ()  { printf '%s\n' "$*"; }
warn () { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
die ()  { printf '%s: %s\n' "$prog" "$*" >&2; exit 1; }

system=0
uninstall=0
deps=1
build=1
build_dir=${BUILD:-build}
prefix=
which_gimp=auto

while [ $# -gt 0 ]; do
  case $1 in
    --system)    system=1 ;;
    --uninstall) uninstall=1 ;;
    --no-deps)   deps=0 ;;
    --no-build)  build=0 ;;
    --build-dir)
      [ $# -ge 2 ] || { usage >&2; exit 2; }
      build_dir=$2; shift ;;
    --build-dir=*) build_dir=${1#*=} ;;
    --prefix)
      [ $# -ge 2 ] || { usage >&2; exit 2; }
      prefix=$2; shift ;;
    --prefix=*) prefix=${1#*=} ;;
    --gimp)
      [ $# -ge 2 ] || { usage >&2; exit 2; }
      which_gimp=$2; shift ;;
    --gimp=*) which_gimp=${1#*=} ;;
    -h|--help) usage; exit 0 ;;
    *) printf '%s: unknown option %s\n' "$prog" "$1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done
case $which_gimp in
  auto|both|3) ;;
  2|2.10) which_gimp=2 ;;
  *) printf '%s: --gimp takes auto, 2, 3 or both, not %s\n' "$prog" "$which_gimp" >&2
     exit 2 ;;
esac

destdir=${DESTDIR:-}
cd "$here"
if [ "$system" = 0 ] && [ "$(id -u)" = 0 ] && [ -n "${SUDO_USER:-}" ]; then
  warn "running under sudo installs for root (HOME=$HOME); to install for $SUDO_USER run $prog without sudo: it asks for sudo only for apt-get"
fi
case $build_dir in
  /*) ;;
  *) build_dir=$here/$build_dir ;;
esac

# Runs a command as root when the target is not ours to write.
SUDO=
if [ "$system" = 1 ] && [ "$(id -u)" != 0 ] && [ -z "$destdir" ]; then
  command -v sudo >/dev/null 2>&1 || die "--system needs root or sudo"
  SUDO=sudo
fi
as_target () { $SUDO "$@"; }

# gimp_console 2|3: the gimp-console of that GIMP version, or nothing
gimp_console () {
  if [ "$1" = 2 ]; then
    if [ -n "${ATELIER_GIMP_CONSOLE:-}" ]; then
      printf '%s\n' "$ATELIER_GIMP_CONSOLE"
    else
      command -v gimp-console-2.10 2>/dev/null || true
    fi
  else
    command -v gimp-console-3.0 2>/dev/null || true
  fi
}

# gimp_installed 2|3: that GIMP version is on this machine
gimp_installed () {
  if [ "$1" = 2 ]; then
    [ -n "$(gimp_console 2)" ] || command -v gimp-2.10 >/dev/null 2>&1 ||
      pkg-config --exists gimp-2.0 2>/dev/null
  else
    [ -n "$(gimp_console 3)" ] || command -v gimp-3.0 >/dev/null 2>&1 ||
      pkg-config --exists gimp-3.0 2>/dev/null
  fi
}

# plugin_built 2|3: the path of that version's plug-in folder in the build
plugin_built () {
  if [ "$1" = 2 ]; then
    printf '%s\n' "$build_dir/plugins/atelier"
  else
    printf '%s\n' "$build_dir/gimp3/atelier"
  fi
}

# plugin_buildable 2|3: make can build that version's plug-in here
plugin_buildable () {
  if [ "$1" = 2 ]; then
    pkg-config --exists gimpui-2.0 2>/dev/null
  else
    pkg-config --exists gimpui-3.0 2>/dev/null &&
      make -C "$here" -n plugin3 >/dev/null 2>&1
  fi
}

# ---- where things go ----

# system_plugindir 2|3: GIMP's own plug-ins folder of that version
system_plugindir () {
  local d=
  if [ "$1" = 2 ]; then
    if command -v gimptool-2.0 >/dev/null 2>&1; then
      d=$(gimptool-2.0 --gimpplugindir 2>/dev/null || true)
    fi
    [ -n "$d" ] || d=$(pkg-config --variable=gimplibdir gimp-2.0 2>/dev/null || true)
    # no gimptool-2.0: where Debian and Ubuntu keep GIMP 2.10 plug-ins
    [ -n "$d" ] || d=/usr/lib/gimp/2.0
  else
    d=$(pkg-config --variable=gimplibdir gimp-3.0 2>/dev/null || true)
    if [ -z "$d" ] && command -v gimptool-3.0 >/dev/null 2>&1; then
      d=$(gimptool-3.0 --gimpplugindir 2>/dev/null || true)
    fi
    if [ -z "$d" ]; then
      for d in /usr/lib/*/gimp/3.0 /usr/lib/gimp/3.0; do
        [ -d "$d/plug-ins" ] && break
      done
    fi
  fi
  printf '%s\n' "$d/plug-ins"
}

# user_profile 2|3: the GIMP profile, by the same rule as GIMP's
# gimp_directory(): GIMP2_DIRECTORY / GIMP3_DIRECTORY, absolute or
# relative to HOME, else the XDG config directory
user_profile () {
  local env
  if [ "$1" = 2 ]; then env=${GIMP2_DIRECTORY:-}; else env=${GIMP3_DIRECTORY:-}; fi
  if [ -n "$env" ]; then
    case $env in
      /*) printf '%s\n' "$env" ;;
      *)  printf '%s\n' "$HOME/$env" ;;
    esac
  elif [ "$1" = 2 ]; then
    printf '%s\n' "${XDG_CONFIG_HOME:-$HOME/.config}/GIMP/2.10"
  else
    printf '%s\n' "${XDG_CONFIG_HOME:-$HOME/.config}/GIMP/3.0"
  fi
}

# Sets prefix, bindir, modelsdir, localedir, gegldir and, for each GIMP
# version v (2, 3), plugin_dest_v and profile_v (per-user only).  For
# --system it asks gimptool / pkg-config, so it runs after the packages
# are installed.
locate () {
  if [ "$system" = 1 ]; then
    prefix=${prefix:-/usr/local}
    profile_2=
    profile_3=
    plugin_dest_2=$destdir$(system_plugindir 2)/atelier
    plugin_dest_3=$destdir$(system_plugindir 3)/atelier
    gegldir=$(pkg-config --variable=pluginsdir gegl-0.4 2>/dev/null || true)
    [ -z "$gegldir" ] || gegldir=$destdir$gegldir
  else
    [ -n "${HOME:-}" ] || die "HOME is not set"
    prefix=${prefix:-$HOME/.local}
    profile_2=$(user_profile 2)
    profile_3=$(user_profile 3)
    plugin_dest_2=$destdir$profile_2/plug-ins/atelier
    plugin_dest_3=$destdir$profile_3/plug-ins/atelier
    # GEGL's own per-user folder for operations
    gegldir=$destdir${XDG_DATA_HOME:-$HOME/.local/share}/gegl-0.4/plug-ins
  fi
  bindir=$destdir$prefix/bin
  # the shipped styles and the commands' catalogues, where the command
  # looks (the plug-ins have their own copies in their folders)
  modelsdir=$destdir$prefix/share/atelier/models
  localedir=$destdir$prefix/share/locale
  commands=(atelier atelier-batch)
}

# The GIMP versions to install for (sets versions=(2 3 ...)), once the
# packages are there and before the build: with --gimp auto, each one
# installed whose plug-in is built or can be built.
choose_versions () {
  local v
  versions=()
  case $which_gimp in
    2) versions=(2) ;;
    3) versions=(3) ;;
    both) versions=(2 3) ;;
    auto)
      for v in 3 2; do
        gimp_installed "$v" || continue
        if [ -x "$(plugin_built "$v")/atelier" ] ||
           { [ "$build" = 1 ] && plugin_buildable "$v"; }; then
          versions+=("$v")
        else
          warn "GIMP $(label "$v") is installed, but its plug-in is not built$(
            [ "$build" = 1 ] && echo " and cannot be (no gimpui-$(api "$v") for pkg-config: install $(devpkg "$v"))"
          ); skipping it"
        fi
      done
      ;;
  esac
}
label ()  { if [ "$1" = 2 ]; then echo 2.10; else echo 3; fi; }
api ()    { if [ "$1" = 2 ]; then echo 2.0; else echo 3.0; fi; }
devpkg () { if [ "$1" = 2 ]; then echo libgimp2.0-dev; else echo libgimp-3.0-dev; fi; }

# ---- uninstall ----

if [ "$uninstall" = 1 ]; then
  locate
  removed=0
  for dest in "$plugin_dest_3" "$plugin_dest_2"; do
    if [ -e "$dest" ] || [ -L "$dest" ]; then
      as_target rm -rf -- "$dest"
      say "removed plug-in  $dest"
      removed=1
    fi
  done
  if [ -d "$modelsdir" ]; then
    as_target rm -rf -- "$modelsdir"
    say "removed styles  $modelsdir"
    removed=1
  fi
  for mo in "$localedir"/*/LC_MESSAGES/atelier.mo; do
    [ -e "$mo" ] || continue
    as_target rm -f -- "$mo"
    say "removed translation  $mo"
    removed=1
  done
  if [ -n "$gegldir" ]; then
    for so in "$gegldir"/atelier-*.so; do
      [ -e "$so" ] || continue
      as_target rm -f -- "$so"
      say "removed GEGL operation  $so"
      removed=1
    done
  fi
  for c in "${commands[@]}"; do
    if [ -e "$bindir/$c" ] || [ -L "$bindir/$c" ]; then
      as_target rm -f -- "$bindir/$c"
      say "removed command  $bindir/$c"
      removed=1
    fi
  done
  if [ "$removed" = 0 ]; then
    say "nothing to remove: no Atelier installation in $plugin_dest_3, $plugin_dest_2 or $bindir"
  else
    say "Atelier uninstalled."
  fi
  exit 0
fi

# ---- dependencies ----

if [ "$deps" = 1 ]; then
  command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found: install the packages in packages.txt yourself, then run $prog --no-deps"
  # shellcheck source=tools/packages.sh
  . "$here/tools/packages.sh"
  mapfile -t packages < <(atelier_packages packages.txt)
  mapfile -t missing < <(atelier_missing "${packages[@]}")
  if [ ${#missing[@]} -eq 0 ]; then
    say "packages: all ${#packages[@]} of packages.txt are installed"
  else
    apt_sudo=
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null 2>&1 ||
        die "installing packages needs root or sudo (or use --no-deps)"
      apt_sudo=sudo
    fi
    $apt_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
      warn "apt-get update failed; trying with the package lists as they are"
    # again, now that apt knows what this distribution has (the '?' names)
    mapfile -t packages < <(atelier_packages packages.txt)
    mapfile -t missing < <(atelier_missing "${packages[@]}")
    if [ ${#missing[@]} -gt 0 ]; then
      say "installing packages: ${missing[*]}"
      $apt_sudo env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
        die "apt-get install failed"
    fi
  fi
fi

choose_versions
[ ${#versions[@]} -gt 0 ] ||
  die "no GIMP to install for: neither GIMP 3 (gimp-console-3.0) nor GIMP 2.10 (gimp-console-2.10) is installed with its plug-in built (install gimp, or drop --no-deps; run make first, or drop --no-build)"

# ---- build ----

locate
if [ "$build" = 1 ]; then
  command -v make >/dev/null 2>&1 || die "make not found (install build-essential, or drop --no-deps)"
  jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
  targets=(cli translations)
  for v in "${versions[@]}"; do
    if [ "$v" = 2 ]; then targets+=(plugin); else targets+=(plugin3); fi
  done
  if make -C "$here" -n gegl-ops >/dev/null 2>&1; then
    targets+=(gegl-ops)
  fi
  say "building in $build_dir: ${targets[*]}"
  # a make we may be running under must not hand us its jobserver; the
  # command's folders follow PREFIX (its styles, its catalogues)
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$here" -j"$jobs" \
    BUILD="$build_dir" PREFIX="$prefix" "${targets[@]}"
fi

for v in "${versions[@]}"; do
  src=$(plugin_built "$v")
  [ -x "$src/atelier" ] ||
    die "no GIMP $(label "$v") plug-in at $src/atelier (run make first$(
      [ "$v" = 3 ] && echo ": make plugin3"), or drop --no-build)"
done
[ -x "$build_dir/atelier" ] || die "no $build_dir/atelier (run make first, or drop --no-build)"
[ -f "$here/bin/atelier-batch" ] || die "no $here/bin/atelier-batch"

# ---- the GIMP profiles (per-user only) ----

for v in "${versions[@]}"; do
  if [ "$v" = 2 ]; then profile=$profile_2; else profile=$profile_3; fi
  if [ "$system" = 0 ] && [ -z "$destdir" ] && [ ! -d "$profile" ]; then
    # GIMP sets a profile up only when its folder is missing; if we created
    # the folder for the plug-in, GIMP would skip that and fail to save its
    # data later.  So let GIMP create it first.
    console=$(gimp_console "$v")
    [ -n "$console" ] ||
      die "GIMP $(label "$v") is not installed (no gimp-console-$(label "$v" | sed 's/^3$/3.0/')): install gimp, or drop --no-deps"
    say "creating the GIMP $(label "$v") profile $profile (gimp-console, quit at once)"
    log=$(mktemp)
    if [ "$v" = 2 ]; then
      quit=(-b '(gimp-quit 0)')
      envvar=GIMP2_DIRECTORY
    else
      # GIMP 3 waits for ever after -b without --quit
      quit=(--quit)
      envvar=GIMP3_DIRECTORY
    fi
    if ! env "$envvar=$profile" timeout 120 "$console" -i -d -f "${quit[@]}" \
           </dev/null >"$log" 2>&1 || [ ! -d "$profile" ]; then
      sed 's/^/  /' "$log" >&2
      rm -f "$log"
      die "GIMP did not create its profile $profile"
    fi
    rm -f "$log"
  fi
done

# ---- install ----

models=("$here"/models/*.atnet)
if [ ! -e "${models[0]}" ]; then
  warn "no styles in $here/models: only your own style images and networks will be listed"
  models=()
fi

# install_plugin SRC DEST: copies the plug-in folder SRC whole (the binary
# and its locale/ tree) as DEST, the shipped styles in DEST/models.  The
# old folder is replaced, so a file dropped from the build does not
# linger: staged beside plug-ins/ (not in it, where GIMP looks for
# plug-ins), on the same file system, then renamed into place.
install_plugin () {
  local src=$1 dest=$2 mo m
  as_target mkdir -p -- "${dest%/*}"
  stage=$(as_target mktemp -d "${dest%/*/*}/.atelier-install.XXXXXX")
  trap 'as_target rm -rf -- "$stage"' EXIT
  as_target install -m 755 "$src/atelier" "$stage/atelier"
  if [ -d "$src/locale" ]; then
    (cd "$src" && find locale -type f -name '*.mo') | while IFS= read -r mo; do
      as_target install -D -m 644 "$src/$mo" "$stage/$mo"
    done
  else
    warn "no translations in $src/locale: the plug-in will be in English"
  fi
  for m in "${models[@]}"; do
    as_target install -D -m 644 "$m" "$stage/models/${m##*/}"
  done
  as_target chmod 755 "$stage"
  as_target rm -rf -- "$dest"
  as_target mv -- "$stage" "$dest"
  trap - EXIT
  say "installed plug-in  $dest/atelier"
  if [ -d "$dest/locale" ]; then
    say "installed translations  $(cd "$dest" && find locale -name '*.mo' | sed 's,/LC_MESSAGES/.*,,; s,^locale/,,' | sort | paste -sd ' ')"
  fi
}

for v in "${versions[@]}"; do
  if [ "$v" = 2 ]; then
    install_plugin "$(plugin_built 2)" "$plugin_dest_2"
  else
    install_plugin "$(plugin_built 3)" "$plugin_dest_3"
  fi
done

if [ "${#models[@]}" -gt 0 ]; then
  as_target rm -rf -- "$modelsdir"
  for m in "${models[@]}"; do
    as_target install -D -m 644 "$m" "$modelsdir/${m##*/}"
  done
  say "installed styles  $modelsdir ($(cd "$here/models" && ls *.atnet | paste -sd ' '))"
fi

# the command's catalogues (the plug-ins carry their own)
if [ -d "$build_dir/locale" ]; then
  (cd "$build_dir/locale" && find . -path '*/LC_MESSAGES/atelier.mo') |
    while IFS= read -r mo; do
      as_target install -D -m 644 "$build_dir/locale/$mo" "$localedir/${mo#./}"
    done
  say "installed the command's translations  $localedir"
fi

# the GEGL operations, when they are built
gegl_ops=("$build_dir"/gegl-ops/*.so)
if [ -e "${gegl_ops[0]}" ] && [ -n "$gegldir" ]; then
  as_target mkdir -p -- "$gegldir"
  for so in "${gegl_ops[@]}"; do
    as_target install -m 644 "$so" "$gegldir/${so##*/}"
    say "installed GEGL operation  $gegldir/${so##*/}"
  done
fi

as_target mkdir -p -- "$bindir"
as_target install -m 755 "$build_dir/atelier" "$bindir/atelier"
say "installed command  $bindir/atelier"
as_target install -m 755 "$here/bin/atelier-batch" "$bindir/atelier-batch"
say "installed command  $bindir/atelier-batch"

if [ -z "$destdir" ]; then
  case ":${PATH:-}:" in
    *":$prefix/bin:"*|*":$prefix/bin/:"*) ;;
    *) warn "$prefix/bin is not on your PATH; add it, e.g. in ~/.profile:
    export PATH=\"$prefix/bin:\$PATH\"" ;;
  esac
  if [ "$system" = 0 ] && [ -d "$HOME/.var/app/org.gimp.GIMP" ]; then
    warn "a Flatpak GIMP (~/.var/app/org.gimp.GIMP) does not load this plug-in: it runs in its own sandbox; use the distribution's gimp package"
  fi
fi
say "Atelier installed for GIMP $(for v in "${versions[@]}"; do label "$v"; done | paste -sd ' ' | sed 's/ / and /'). Restart GIMP, then use Filters > Artistic > Style Transfer..."
