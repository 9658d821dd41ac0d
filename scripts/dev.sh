#!/bin/sh
# Sets up a development machine that has only Node.js and npm, then runs one job:
#   sh scripts/dev.sh demo    the full local demo (devnet, node stand-in, a host's whole life)
#   sh scripts/dev.sh test    the whole test suite, ending with "N passed, N failed"
#   sh scripts/dev.sh setup   only the set-up
set -eu
BUN_VERSION=1.4.4
cd "$(dirname "$0")/.."

say() { printf '%s\n' "$*" >&2; }

ensure_bun() {
  if command -v bun >/dev/null 2>&1; then return; fi
  say "installing bun $BUN_VERSION from npm …"
  if [ "$(id -u)" = "0" ]; then
    npm install -g "bun@$BUN_VERSION" >/dev/null
  else
    npm install --prefix "$PWD/.tools" "bun@$BUN_VERSION" >/dev/null
    PATH="$PWD/.tools/node_modules/.bin:$PATH"; export PATH
  fi
  command -v bun >/dev/null 2>&1 || { say "bun could not be installed"; exit 1; }
}

# Debian packages the integration tests use: real keychains (kernel keyutils, gnome-keyring's Secret Service on a
# private D-Bus), shells for the installer tests, and shellcheck.
TEST_PACKAGES="keyutils gnome-keyring dbus dbus-daemon dbus-x11 libsecret-tools dash busybox shellcheck procps minisign ruby gnupg"

ensure_test_packages() {
  missing=""
  for pkg in $TEST_PACKAGES; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"
  done
  [ -z "$missing" ] && return
  if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
    say "missing Debian packages:$missing (install them with apt-get; the tests that need them will fail)"
    return
  fi
  say "installing Debian packages:$missing …"
  # A failed install is reported, not fatal: the tests that need a missing package fail and say which.
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || say "apt-get update failed"
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null || say "could not install:$missing"
}

setup() {
  ensure_bun
  bun install --frozen-lockfile >/dev/null 2>&1 || bun install
  # Compile the devnet contracts once, so no test pays for a cold solc run.
  bun scripts/devnet/compile.ts >/dev/null
}

case "${1:-}" in
  setup) setup ;;
  demo) setup; shift; exec bun scripts/demo.ts "$@" ;;
  test) setup; ensure_test_packages; shift; exec bun scripts/test.ts "$@" ;;
  *) say "usage: sh scripts/dev.sh demo|test|setup"; exit 2 ;;
esac
