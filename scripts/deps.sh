#!/usr/bin/env bash
# Checks what building and testing Threat Review needs, and installs what it can.
# Debian and Ubuntu: installs the missing system packages with apt-get (as root, or with sudo).
# Elsewhere: says what is missing and how to get it, and fails.
set -euo pipefail

need_rust="1.95"
need_node="20.19"
packages=(
  libwebkit2gtk-4.1-dev libgtk-3-dev librsvg2-dev libayatana-appindicator3-dev libssl-dev
  libsecret-1-dev libdbus-1-dev pkg-config
  xvfb xauth webkit2gtk-driver gnome-keyring dbus-x11 xdotool imagemagick
)

fail() { echo "deps: $*" >&2; exit 1; }

version_at_least() { [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]; }

command -v cargo >/dev/null || fail "Rust is missing: install it from https://rustup.rs (Rust $need_rust or newer)"
rust=$(rustc --version | awk '{print $2}')
version_at_least "$rust" "$need_rust" || fail "Rust $rust is too old: run 'rustup update' (need $need_rust or newer)"

command -v node >/dev/null || fail "Node.js is missing: install Node.js $need_node or newer (https://nodejs.org)"
node=$(node --version | tr -d v)
version_at_least "$node" "$need_node" || fail "Node.js $node is too old: install $need_node or newer"

case "$(uname -s)" in
  Linux)
    if command -v dpkg-query >/dev/null; then
      missing=()
      for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
      done
      if ((${#missing[@]})); then
        echo "deps: installing ${missing[*]}"
        if [ "$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
          fail "missing packages and no root: apt-get install ${missing[*]}"
        fi
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
      fi
    else
      echo "deps: not a Debian system; make sure WebKitGTK 4.1, GTK 3, librsvg, libsecret, OpenSSL" \
        "and pkg-config development files are installed (see README)" >&2
    fi
    ;;
  Darwin) xcode-select -p >/dev/null 2>&1 || fail "install the Xcode command line tools: xcode-select --install" ;;
  *) echo "deps: on Windows, install the WebView2 runtime and the MSVC build tools (see README)" >&2 ;;
esac

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
