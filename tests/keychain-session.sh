#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, so the keychain
# tests use a real Secret Service without touching the user's own keyring.
set -euo pipefail
if [ "${1:-}" != --inside ]; then
  exec dbus-run-session -- "$0" --inside "$@"
fi
shift
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# The password only unlocks this throwaway keyring.
printf 'keychain-test' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
"$@"
