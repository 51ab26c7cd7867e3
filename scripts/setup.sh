#!/usr/bin/env bash
# Installs what building, running and testing CuePoint Companion needs on this machine.
# Debian/Ubuntu: the cgo/OpenGL/X11 headers Fyne needs plus Xvfb for the real-window test,
# installed only when missing. macOS and Windows: prints what to install instead.
set -euo pipefail

need_debs=(gcc libc6-dev pkg-config libgl-dev libx11-dev libxcursor-dev libxrandr-dev
  libxinerama-dev libxi-dev libxxf86vm-dev xvfb xauth libgl1-mesa-dri)

case "$(uname -s)" in
Linux)
  if ! command -v dpkg >/dev/null 2>&1; then
    echo "setup: not a Debian-based system; install the equivalents of: ${need_debs[*]}" >&2
  else
    missing=()
    for p in "${need_debs[@]}"; do
      dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "setup: installing Debian packages: ${missing[*]}"
      sudo=""
      [ "$(id -u)" -eq 0 ] || sudo="sudo"
      export DEBIAN_FRONTEND=noninteractive
      $sudo apt-get update -qq
      $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  fi
  ;;
Darwin)
  xcode-select -p >/dev/null 2>&1 || {
    echo "setup: install the Xcode command line tools first: xcode-select --install" >&2
    exit 1
  }
  ;;
MINGW* | MSYS* | CYGWIN*)
  command -v gcc >/dev/null 2>&1 || {
    echo "setup: Fyne needs a C compiler: install MSYS2 and its mingw-w64 gcc (pacman -S mingw-w64-x86_64-gcc)" >&2
    exit 1
  }
  ;;
esac

command -v go >/dev/null 2>&1 || export PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || {
  echo "setup: Go 1.26 is not installed (expected at /usr/local/go)" >&2
  exit 1
}
go mod download
