#!/usr/bin/env bash
# End-to-end test of the real app in a real window: Xvfb, a private D-Bus session, tauri-driver
# on 127.0.0.1:4444 in front of WebKitWebDriver, and the node:test files of this folder.
#
#   tests/e2e/run.sh <app-binary> <tauri-driver-binary> [test-file...]
#
# Without test files, every *.test.mjs of this folder runs. Each group of files gets its own app
# session with a throwaway HOME: profiles.test.mjs one with two AWS profiles (fake keys) whose
# pulls go to the loopback GuardDuty emulator (target/debug/guardduty-emulator, built if
# missing) and a throwaway unlocked keyring; every other file one without ~/.aws, where the app
# opens on its sample findings.
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
  driver_pid=""
  driver_log="$E2E_TMP/tauri-driver.log"
  keyring_pid=""

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
    if [ -n "$keyring_pid" ]; then
      kill -TERM "$keyring_pid" 2>/dev/null || true
      wait "$keyring_pid" 2>/dev/null || true
    fi
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

  # With E2E_KEYRING, a throwaway keyring in this session's XDG_DATA_HOME, unlocked (the
  # password unlocks nothing else), so keys can be added without a prompt. It owns the Secret
  # Service name before the app starts, so the bus does not start a locked one instead.
  if [ -n "${E2E_KEYRING:-}" ]; then
    printf 'e2e-keyring' | gnome-keyring-daemon --foreground --unlock --components=secrets \
      >"$E2E_TMP/keyring.log" 2>&1 &
    keyring_pid=$!
    owned=""
    for _ in $(seq 100); do
      kill -0 "$keyring_pid" 2>/dev/null || fail "gnome-keyring-daemon exited: $(tail -n 20 "$E2E_TMP/keyring.log")"
      if dbus-send --session --print-reply --dest=org.freedesktop.DBus / \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null |
        grep -q 'boolean true'; then
        owned=yes
        break
      fi
      sleep 0.1
    done
    [ -n "$owned" ] || fail "the throwaway keyring did not take the Secret Service name within 10 s"
    echo "e2e: throwaway keyring unlocked (pid $keyring_pid)"
  fi

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
# Outside: check the arguments, then run each group of test files in its own app session: its
# own throwaway HOME, display and bus, and for the profiles tests the loopback emulator.
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
[ ${#tests[@]} -gt 0 ] || tests=("$here"/*.test.mjs)

# profiles.test.mjs needs AWS profiles and a GuardDuty to pull from; every other file expects
# the app to open on its bundled sample findings, with no profile at all.
sealed=()
profiled=()
for file in "${tests[@]}"; do
  if [ "$(basename "$file")" = profiles.test.mjs ]; then profiled+=("$file"); else sealed+=("$file"); fi
done

for tool in xvfb-run xauth dbus-run-session dbus-send gnome-keyring-daemon /usr/bin/WebKitWebDriver \
  xdotool import node curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing: run scripts/deps.sh"
done
if curl -fsS --max-time 2 "http://127.0.0.1:$port/status" >/dev/null 2>&1; then
  fail "something already answers on 127.0.0.1:$port; stop it first (another e2e run?)"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/threat-review-e2e.XXXXXX")
emulator_pid=""
# The app's WebKit view activates xdg-desktop-portal on the private bus, whose document portal
# mounts a FUSE file system at $XDG_RUNTIME_DIR/doc; it goes away with the bus, a moment later.
cleanup() {
  if [ -n "$emulator_pid" ]; then
    kill -TERM "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  for _ in $(seq 50); do
    for doc in "$tmp"/*/runtime/doc; do
      if mountpoint -q "$doc" 2>/dev/null; then
        fusermount3 -u "$doc" 2>/dev/null || fusermount -u "$doc" 2>/dev/null || true
      fi
    done
    rm -rf "$tmp" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "e2e: could not remove $tmp" >&2
}
trap cleanup EXIT

mkdir -p "$here/artifacts"
# The artifacts are those of the last run.
rm -f "$here/artifacts"/export-*.csv "$here/artifacts"/*.png

# Runs test files in one app session: `session NAME [VAR=value...] -- FILE...`. The session gets
# a clean environment (no AWS profile, credentials or endpoint from the caller's shell, no
# metadata service probe; GTK's accessibility bridge and dconf would start session services),
# a throwaway HOME and XDG folders under $tmp/NAME, and the VAR=value pairs given.
session() {
  local name=$1 dir="$tmp/$1"
  shift
  local extra=()
  while [ "$1" != -- ]; do
    extra+=("$1")
    shift
  done
  shift
  mkdir -p "$dir/home" "$dir/data" "$dir/config" "$dir/cache" "$dir/runtime"
  chmod 700 "$dir/runtime"
  echo "e2e: session '$name': ${*#"$root"/}"
  local status=0
  env -u AWS_PROFILE -u AWS_DEFAULT_PROFILE -u AWS_CONFIG_FILE -u AWS_SHARED_CREDENTIALS_FILE \
    -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_SESSION_TOKEN -u AWS_REGION \
    -u AWS_DEFAULT_REGION -u AWS_ENDPOINT_URL -u AWS_WEB_IDENTITY_TOKEN_FILE -u AWS_ROLE_ARN \
    -u DISPLAY -u WAYLAND_DISPLAY -u DBUS_SESSION_BUS_ADDRESS \
    HOME="$dir/home" \
    XDG_DATA_HOME="$dir/data" \
    XDG_CONFIG_HOME="$dir/config" \
    XDG_CACHE_HOME="$dir/cache" \
    XDG_RUNTIME_DIR="$dir/runtime" \
    AWS_EC2_METADATA_DISABLED=true \
    NO_AT_BRIDGE=1 \
    GSETTINGS_BACKEND=memory \
    GDK_BACKEND=x11 \
    THREAT_REVIEW_APP="$app" \
    E2E_TMP="$dir" \
    E2E_ARTIFACTS="$here/artifacts" \
    ${extra[@]+"${extra[@]}"} \
    dbus-run-session -- \
    xvfb-run -a -s "-screen 0 1400x900x24 -nolisten tcp" \
    "$here/run.sh" --inside "$driver" "$@" 3>&2 4>&1 >"$dir/session.log" 2>&1 || status=$?
  if [ "$status" -ne 0 ] && [ -s "$dir/session.log" ]; then
    echo "e2e: last lines of the D-Bus session and Xvfb log of '$name':" >&2
    tail -n 30 "$dir/session.log" >&2
  fi
  return "$status"
}

# Two static-key profiles with fake keys, in a HOME of their own; the keys only ever reach the
# emulator on 127.0.0.1.
write_profiles() {
  local aws="$tmp/profiles/home/.aws"
  mkdir -p "$aws"
  printf '[profile alpha]\nregion = us-east-1\n\n[profile bravo]\nregion = eu-west-1\n' >"$aws/config"
  printf '%s\n' '[alpha]' 'aws_access_key_id = AKIDE2EALPHA00000001' \
    'aws_secret_access_key = fake-alpha-secret' '' '[bravo]' \
    'aws_access_key_id = AKIDE2EBRAVO00000002' 'aws_secret_access_key = fake-bravo-secret' \
    >"$aws/credentials"
}

# The loopback GuardDuty: 40 findings in us-east-1 and 25 in eu-west-1, the same on every run.
# It logs every call (operation, region, access key id) to $tmp/emulator.log, which the tests
# read to see which profile asked what. Sets emulator_url; it is stopped by its PID on exit.
start_emulator() {
  local emulator=${GUARDDUTY_EMULATOR:-$root/target/debug/guardduty-emulator}
  if [ ! -x "$emulator" ]; then
    echo "e2e: building the GuardDuty emulator"
    (cd "$root" && cargo build --quiet -p guardduty-emulator) || fail "cargo build -p guardduty-emulator failed"
  fi
  RUST_LOG=info,guardduty_emulator::server=debug \
    "$emulator" --generate us-east-1=40 --generate eu-west-1=25 --seed 3 \
    >"$tmp/emulator.out" 2>"$tmp/emulator.log" &
  emulator_pid=$!
  emulator_url=""
  for _ in $(seq 100); do
    kill -0 "$emulator_pid" 2>/dev/null || fail "the emulator exited at start: $(tail -n 20 "$tmp/emulator.log")"
    emulator_url=$(sed -n 's/^listening on //p' "$tmp/emulator.out")
    [ -n "$emulator_url" ] && break
    sleep 0.1
  done
  [ -n "$emulator_url" ] || fail "the emulator did not say where it listens within 10 s"
  case "$emulator_url" in
    http://127.0.0.1:*) ;;
    *) fail "the emulator listens on $emulator_url, not on 127.0.0.1" ;;
  esac
  echo "e2e: GuardDuty emulator on $emulator_url (pid $emulator_pid)"
}

start=$(date +%s)
status=0
if [ ${#sealed[@]} -gt 0 ]; then
  session sample -- "${sealed[@]}" || status=$?
fi
if [ ${#profiled[@]} -gt 0 ]; then
  write_profiles
  start_emulator
  session profiles AWS_ENDPOINT_URL="$emulator_url" E2E_EMULATOR_LOG="$tmp/emulator.log" \
    E2E_KEYRING=1 -- "${profiled[@]}" || status=$?
fi
echo "e2e: artifacts (screenshots, exported CSV) are in ${here#"$root"/}/artifacts/"
echo "e2e: finished in $(($(date +%s) - start)) s with status $status"
exit "$status"
