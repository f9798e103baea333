#!/usr/bin/env bash
# End-to-end test of the real app in a real window: Xvfb, a private D-Bus session, tauri-driver
# on 127.0.0.1:4444 in front of WebKitWebDriver, and the node:test files of this folder.
#
#   tests/e2e/run.sh <app-binary> <tauri-driver-binary> [test-file...]
#
# Without test files, every *.test.mjs of this folder runs.
# The app runs with a throwaway HOME (no ~/.aws), so it opens on its bundled sample findings.
# Screenshots and the exported CSV stay in tests/e2e/artifacts/.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
port=4444

fail() {
  echo "e2e: $*" >&2
  exit 1
}

# ---------------------------------------------------------------------------------------------
# Inside: already under dbus-run-session and xvfb-run. Starts tauri-driver, runs the tests.
# ---------------------------------------------------------------------------------------------
if [ "${1:-}" = "--inside" ]; then
  # The outer script parked its stdout and stderr on fds 4 and 3 and sends the session's own
  # chatter (dbus-daemon, the portal, keyring and accessibility services) to a log; this script
  # and the tests write to the terminal.
  if { true >&3 && true >&4; } 2>/dev/null; then exec 1>&4 2>&3 3>&- 4>&-; fi
  driver=$2
  shift 2
  tests=("$@")
  [ ${#tests[@]} -gt 0 ] || tests=(tests/e2e/)
  driver_pid=""
  driver_log="$E2E_TMP/tauri-driver.log"

  # Every process below tauri-driver (WebKitWebDriver, the app, its WebKit helpers), by PID.
  descendants() {
    local pid child
    for pid in "$@"; do
      for child in $(ps -o pid= --ppid "$pid" 2>/dev/null); do
        echo "$child"
        descendants "$child"
      done
    done
  }

  stop_driver() {
    local status=$?
    trap - EXIT INT TERM
    if [ -n "$driver_pid" ] && kill -0 "$driver_pid" 2>/dev/null; then
      local below
      below=$(descendants "$driver_pid" | tr '\n' ' ')
      # tauri-driver stops WebKitWebDriver on SIGTERM; what is still there after that goes too.
      kill -TERM "$driver_pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$driver_pid" 2>/dev/null || break; sleep 0.1; done
      kill -KILL "$driver_pid" 2>/dev/null || true
      wait "$driver_pid" 2>/dev/null || true
      local left=""
      for pid in $below; do kill -0 "$pid" 2>/dev/null && left+=" $pid"; done
      if [ -n "$left" ]; then
        kill -TERM $left 2>/dev/null || true
        sleep 1
        for pid in $left; do kill -KILL "$pid" 2>/dev/null || true; done
      fi
    fi
    if [ "$status" -ne 0 ] && [ -s "$driver_log" ]; then
      echo "e2e: last lines of the tauri-driver log:" >&2
      tail -n 40 "$driver_log" >&2
    fi
    exit "$status"
  }
  trap stop_driver EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  # Services the private bus starts (the desktop portal the WebKit view asks for) get the display.
  dbus-update-activation-environment DISPLAY XAUTHORITY

  echo "e2e: display $DISPLAY; starting tauri-driver on 127.0.0.1:$port"
  "$driver" --port "$port" --native-port 4445 --native-host 127.0.0.1 \
    --native-driver /usr/bin/WebKitWebDriver >"$driver_log" 2>&1 &
  driver_pid=$!

  ready=""
  for _ in $(seq 150); do
    kill -0 "$driver_pid" 2>/dev/null || fail "tauri-driver exited at start: $(tail -n 20 "$driver_log")"
    if curl -fsS --max-time 2 "http://127.0.0.1:$port/status" >/dev/null 2>&1; then
      ready=yes
      break
    fi
    sleep 0.2
  done
  [ -n "$ready" ] || fail "tauri-driver did not answer GET /status on 127.0.0.1:$port within 30 s"
  echo "e2e: tauri-driver is ready (pid $driver_pid)"

  cd "$root"
  # The whole test run is bounded; each test has its own, shorter timeout as well.
  timeout --kill-after=10 240 node --test --test-reporter=spec "${tests[@]}"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# Outside: check the arguments, make the throwaway HOME, and start the display and the bus.
# ---------------------------------------------------------------------------------------------
[ $# -ge 2 ] || fail "usage: tests/e2e/run.sh <app-binary> <tauri-driver-binary> [test-file...]"
app=$(realpath -e "$1") || fail "no app binary at $1 (build it: npm run build && cargo build --bin threat-review)"
driver=$(realpath -e "$2") || fail "no tauri-driver at $2 (cargo install --locked --root target/tools tauri-driver)"
[ -x "$app" ] || fail "$app is not executable"
[ -x "$driver" ] || fail "$driver is not executable"
shift 2
tests=()
for file in "$@"; do
  resolved=$(realpath -e "$file") || fail "no test file $file"
  tests+=("$resolved")
done
for tool in xvfb-run xauth dbus-run-session /usr/bin/WebKitWebDriver xdotool import node curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/deps.sh"
done
if curl -fsS --max-time 2 "http://127.0.0.1:$port/status" >/dev/null 2>&1; then
  fail "something already answers on 127.0.0.1:$port; stop it first (another e2e run?)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/threat-review-e2e.XXXXXX")
# The app's WebKit view activates xdg-desktop-portal on the private bus, whose document portal
# mounts a FUSE file system at $XDG_RUNTIME_DIR/doc; it goes away with the bus, a moment later.
cleanup() {
  local doc="$tmp/runtime/doc"
  for _ in $(seq 50); do
    if mountpoint -q "$doc" 2>/dev/null; then
      fusermount3 -u "$doc" 2>/dev/null || fusermount -u "$doc" 2>/dev/null || true
    fi
    rm -rf "$tmp" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "e2e: could not remove $tmp" >&2
}
trap cleanup EXIT

mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/runtime" "$here/artifacts"
# The artifacts are those of the last run.
rm -f "$here/artifacts"/export-*.csv "$here/artifacts"/*.png
chmod 700 "$tmp/runtime"

start=$(date +%s)
status=0
# A clean environment: no AWS profile, credentials or endpoint from the caller's shell, and no
# metadata service probe. GTK's accessibility bridge and dconf would start session services.
env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_CONFIG_FILE -u AWS_SHARED_CREDENTIALS_FILE \
  -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_REGION \
  -u AWS_DEFAULT_REGION -u AWS_ENDPOINT_URL -u AWS_WEB_IDENTITY_TOKEN_FILE -u AWS_ROLE_ARN \
  -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
  HOME="$tmp/home" \
  XDG_DATA_HOME="$tmp/data" \
  XDG_CONFIG_HOME="$tmp/config" \
  XDG_CACHE_HOME="$tmp/cache" \
  XDG_RUNTIME_DIR="$tmp/runtime" \
  AWS_EC2_METADATA_DISABLED=true \
  NO_AT_BRIDGE=1 \
  GSETTINGS_BACKEND=memory \
  GDK_BACKEND=x11 \
  THREAT_REVIEW_APP="$app" \
  E2E_TMP="$tmp" \
  E2E_ARTIFACTS="$here/artifacts" \
  dbus-run-session -- \
  xvfb-run -a -s "-screen 0 1400x900x24 -nolisten tcp" \
  "$here/run.sh" --inside "$driver" ${tests[@]+"${tests[@]}"} 3>&2 4>&1 >"$tmp/session.log" 2>&1 || status=$?

if [ "$status" -ne 0 ] && [ -s "$tmp/session.log" ]; then
  echo "e2e: last lines of the D-Bus session and Xvfb log:" >&2
  tail -n 30 "$tmp/session.log" >&2
fi
echo "e2e: artifacts (screenshots, exported CSV) are in ${here#"$root"/}/artifacts/"
echo "e2e: finished in $(($(date +%s) - start)) s with status $status"
exit "$status"
