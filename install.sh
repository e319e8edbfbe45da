#!/usr/bin/env bash
# Installs Atelier: the GIMP 2.10 plug-in (Filters > Artistic > Style
# Transfer..., Filters > Colors > Color Transfer...) and the commands
# `atelier` and `atelier-batch`.
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
Usage: $prog [--system] [--uninstall] [--no-deps] [--no-build]
       [--build-dir DIR] [--prefix DIR]

Installs the Atelier GIMP 2.10 plug-in and the commands atelier and
atelier-batch.

  (no option)      install for the current user:
                     plug-in  \${GIMP2_DIRECTORY:-~/.config/GIMP/2.10}/plug-ins/atelier/
                     commands ~/.local/bin/atelier, ~/.local/bin/atelier-batch
                   A missing GIMP profile is first created by a quit-only
                   gimp-console-2.10 run, so GIMP sets it up completely.
  --system         install for every user (uses sudo when not root):
                     plug-in  \$(gimptool-2.0 --gimpplugindir)/plug-ins/atelier/
                     commands PREFIX/bin (PREFIX defaults to /usr/local)
  --uninstall      remove what the same kind of install put in place
  --no-deps        do not install packages with apt-get
  --no-build       do not run make; install what is in the build directory
  --build-dir DIR  the build directory (default: build, or \$BUILD)
  --prefix DIR     where commands go: DIR/bin (default ~/.local, or
                   /usr/local with --system)
  -h, --help       show this help

Packages: apt-get installs the list in .ci/packages (shared with CI):
the compiler, GEGL, OpenBLAS, GIMP 2.10 and its development files, gettext.
Environment: GIMP2_DIRECTORY selects the GIMP profile as it does for GIMP;
DESTDIR, when set, is put in front of every installed path (packaging).
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
    -h|--help) usage; exit 0 ;;
    *) printf '%s: unknown option %s\n' "$prog" "$1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

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

gimp_console () {
  if [ -n "${ATELIER_GIMP_CONSOLE:-}" ]; then
    printf '%s\n' "$ATELIER_GIMP_CONSOLE"
  else
    command -v gimp-console-2.10 2>/dev/null || command -v gimp-console 2>/dev/null || true
  fi
}

# ---- where things go ----

# Sets plugin_dest, profile (per-user only) and bindir.  For --system it
# asks gimptool-2.0, so it runs after the packages are installed.
locate () {
  if [ "$system" = 1 ]; then
    prefix=${prefix:-/usr/local}
    plugindir=
    if command -v gimptool-2.0 >/dev/null 2>&1; then
      plugindir=$(gimptool-2.0 --gimpplugindir 2>/dev/null || true)
    fi
    if [ -z "$plugindir" ]; then
      plugindir=$(pkg-config --variable=gimplibdir gimp-2.0 2>/dev/null || true)
    fi
    if [ -z "$plugindir" ]; then
      # no gimptool-2.0: where Debian and Ubuntu keep GIMP 2.10 plug-ins
      plugindir=/usr/lib/gimp/2.0
      [ -d "$plugindir/plug-ins" ] || [ "$uninstall" = 1 ] ||
        die "cannot find GIMP's plug-in directory (install libgimp2.0-dev for gimptool-2.0)"
    fi
    profile=
    plugin_dest=$destdir$plugindir/plug-ins/atelier
  else
    [ -n "${HOME:-}" ] || die "HOME is not set"
    prefix=${prefix:-$HOME/.local}
    # the same rule as GIMP's gimp_directory(): GIMP2_DIRECTORY, absolute or
    # relative to HOME, else the XDG config directory
    if [ -n "${GIMP2_DIRECTORY:-}" ]; then
      case $GIMP2_DIRECTORY in
        /*) profile=$GIMP2_DIRECTORY ;;
        *)  profile=$HOME/$GIMP2_DIRECTORY ;;
      esac
    else
      profile=${XDG_CONFIG_HOME:-$HOME/.config}/GIMP/2.10
    fi
    plugin_dest=$destdir$profile/plug-ins/atelier
  fi
  bindir=$destdir$prefix/bin
  # the shipped styles, where the command looks (the plug-in has its own
  # copy in its folder)
  modelsdir=$destdir$prefix/share/atelier/models
  commands=(atelier atelier-batch)
}

# ---- uninstall ----

if [ "$uninstall" = 1 ]; then
  locate
  removed=0
  if [ -e "$plugin_dest" ]; then
    as_target rm -rf -- "$plugin_dest"
    say "removed plug-in  $plugin_dest"
    removed=1
  fi
  if [ -d "$modelsdir" ]; then
    as_target rm -rf -- "$modelsdir"
    say "removed styles  $modelsdir"
    removed=1
  fi
  for c in "${commands[@]}"; do
    if [ -e "$bindir/$c" ] || [ -L "$bindir/$c" ]; then
      as_target rm -f -- "$bindir/$c"
      say "removed command  $bindir/$c"
      removed=1
    fi
  done
  if [ "$removed" = 0 ]; then
    say "nothing to remove: no Atelier installation in $plugin_dest or $bindir"
  else
    say "Atelier uninstalled."
  fi
  exit 0
fi

# ---- dependencies ----

if [ "$deps" = 1 ]; then
  command -v apt-get >/dev/null 2>&1 ||
    die "apt-get not found: install the packages in .ci/packages yourself, then run $prog --no-deps"
  mapfile -t packages < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' .ci/packages | grep -v '^$')
  missing=()
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q ' installed$' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "packages: all ${#packages[@]} in .ci/packages are installed"
  else
    apt_sudo=
    if [ "$(id -u)" != 0 ]; then
      command -v sudo >/dev/null 2>&1 ||
        die "installing packages needs root or sudo (or use --no-deps)"
      apt_sudo=sudo
    fi
    say "installing packages: ${missing[*]}"
    $apt_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
      warn "apt-get update failed; trying with the package lists as they are"
    $apt_sudo env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "${missing[@]}" ||
      die "apt-get install failed"
  fi
fi

# ---- build ----

if [ "$build" = 1 ]; then
  command -v make >/dev/null 2>&1 || die "make not found (install build-essential, or drop --no-deps)"
  jobs=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
  say "building in $build_dir"
  # a make we may be running under must not hand us its jobserver
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$here" -j"$jobs" BUILD="$build_dir"
fi

locate
plugin_src=$build_dir/plugins/atelier
[ -x "$plugin_src/atelier" ] ||
  die "no plug-in at $plugin_src/atelier (run make first, or drop --no-build)"
[ -x "$build_dir/atelier" ] || die "no $build_dir/atelier (run make first, or drop --no-build)"
[ -f "$here/bin/atelier-batch" ] || die "no $here/bin/atelier-batch"

# ---- the GIMP profile (per-user only) ----

if [ "$system" = 0 ] && [ -z "$destdir" ] && [ ! -d "$profile" ]; then
  # GIMP sets a profile up only when its folder is missing; if we created
  # the folder for the plug-in, GIMP would skip that and fail to save its
  # data later.  So let GIMP create it first.
  console=$(gimp_console)
  [ -n "$console" ] ||
    die "GIMP 2.10 is not installed (no gimp-console-2.10): install gimp, or drop --no-deps"
  say "creating the GIMP profile $profile (gimp-console, quit at once)"
  log=$(mktemp)
  if ! GIMP2_DIRECTORY=$profile timeout 120 "$console" -i -d -f \
         -b '(gimp-quit 0)' </dev/null >"$log" 2>&1 || [ ! -d "$profile" ]; then
    sed 's/^/  /' "$log" >&2
    rm -f "$log"
    die "GIMP did not create its profile $profile"
  fi
  rm -f "$log"
fi

# ---- install ----

# Copies the plug-in folder whole: the binary and its locale/ tree.  The
# old folder is replaced, so a file dropped from the build does not linger.
# staged beside plug-ins/ (not in it, where GIMP looks for plug-ins), on
# the same file system, then renamed into place
as_target mkdir -p -- "${plugin_dest%/*}"
stage=$(as_target mktemp -d "${plugin_dest%/*/*}/.atelier-install.XXXXXX")
trap 'as_target rm -rf -- "$stage"' EXIT
as_target install -m 755 "$plugin_src/atelier" "$stage/atelier"
if [ -d "$plugin_src/locale" ]; then
  (cd "$plugin_src" && find locale -type f -name '*.mo') | while IFS= read -r mo; do
    as_target install -D -m 644 "$plugin_src/$mo" "$stage/$mo"
  done
else
  warn "no translations in $plugin_src/locale: the plug-in will be in English"
fi
models=("$here"/models/*.atnet)
if [ -e "${models[0]}" ]; then
  for m in "${models[@]}"; do
    as_target install -D -m 644 "$m" "$stage/models/${m##*/}"
  done
else
  warn "no styles in $here/models: only your own style images and networks will be listed"
  models=()
fi
as_target chmod 755 "$stage"
as_target rm -rf -- "$plugin_dest"
as_target mv -- "$stage" "$plugin_dest"
trap - EXIT
say "installed plug-in  $plugin_dest/atelier"
if [ -d "$plugin_dest/locale" ]; then
  say "installed translations  $(cd "$plugin_dest" && find locale -name '*.mo' | sed 's,/LC_MESSAGES/.*,,; s,^locale/,,' | sort | paste -sd ' ')"
fi

if [ "${#models[@]}" -gt 0 ]; then
  as_target rm -rf -- "$modelsdir"
  for m in "${models[@]}"; do
    as_target install -D -m 644 "$m" "$modelsdir/${m##*/}"
  done
  say "installed styles  $modelsdir ($(cd "$here/models" && ls *.atnet | paste -sd ' '))"
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
say "Atelier installed. Restart GIMP, then use Filters > Artistic > Style Transfer..."
