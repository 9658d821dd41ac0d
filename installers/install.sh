#!/bin/sh
# Installs fabstir-host, the command-line tool that runs a host on the Fabstir network.
#
#   curl -fsSL https://github.com/fabstir/fabstir-host/releases/latest/download/install.sh | sh
#   curl -fsSL https://github.com/fabstir/fabstir-host/releases/latest/download/install.sh | sh -s -- --version 1.2.3
#
# It picks the build for this machine, downloads it with SHA256SUMS, checks the checksum (and the signature when one
# is published and a verifier is installed), moves the binary into place atomically and writes a small install
# receipt that `fabstir-host self-update` reads. It never touches configuration or keys (~/.fabstir).
#
# Test hooks, used by the project's tests to pretend to be another machine (not for normal use):
#   FABSTIR_INSTALL_UNAME_S / FABSTIR_INSTALL_UNAME_M  replace `uname -s` / `uname -m`
#   FABSTIR_INSTALL_LIBC (glibc|musl)  FABSTIR_INSTALL_CPU_FLAGS (replaces the /proc/cpuinfo flags)
#   FABSTIR_INSTALL_ROSETTA (1 = under Rosetta 2)  FABSTIR_INSTALL_EUID (replaces `id -u`)
set -eu

DEFAULT_BASE_URL="https://github.com/fabstir/fabstir-host/releases"
# minisign public key of the release signer; the release workflow stamps it into the published copy of this script.
DEFAULT_MINISIGN_PUBKEY=""
BIN_NAME="fabstir-host"

say() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
has() { command -v "$1" >/dev/null 2>&1; }

usage() {
  cat <<EOF
Install fabstir-host.

Usage: install.sh [options]

Options:
  --version X.Y.Z  install this version (default: latest; env FABSTIR_VERSION)
  --base-url URL   where releases are downloaded from (env FABSTIR_INSTALL_BASE)
                   default: $DEFAULT_BASE_URL
  --layout NAME    github: URL/download/vX.Y.Z/FILE and URL/latest/download/FILE (default)
                   flat:   URL/vX.Y.Z/FILE and URL/latest/FILE, for mirrors (env FABSTIR_INSTALL_LAYOUT)
  --prefix DIR     directory the binary goes into (env FABSTIR_INSTALL_DIR)
                   default: /usr/local/bin as root, ~/.local/bin otherwise
  --uninstall      remove the binary this script installed, and its install receipt
  -h, --help       show this help

Signatures: SHA256SUMS.sig is checked with minisign (key: env FABSTIR_MINISIGN_PUBKEY or the built-in one),
SHA256SUMS.asc with gpg, when they are published and the tool is installed.
Configuration and keys (~/.fabstir) are never touched, not even by --uninstall.
EOF
}

VERSION="${FABSTIR_VERSION:-latest}"
BASE_URL="${FABSTIR_INSTALL_BASE:-$DEFAULT_BASE_URL}"
LAYOUT="${FABSTIR_INSTALL_LAYOUT:-github}"
INSTALL_DIR="${FABSTIR_INSTALL_DIR:-}"
MINISIGN_PUBKEY="${FABSTIR_MINISIGN_PUBKEY:-$DEFAULT_MINISIGN_PUBKEY}"
ACTION=install

need_value() { [ "$#" -ge 2 ] || die "$1 needs a value (see --help)"; }
while [ "$#" -gt 0 ]; do
  case "$1" in
    --version) need_value "$@"; VERSION="$2"; shift 2 ;;
    --version=*) VERSION="${1#*=}"; shift ;;
    --base-url) need_value "$@"; BASE_URL="$2"; shift 2 ;;
    --base-url=*) BASE_URL="${1#*=}"; shift ;;
    --layout) need_value "$@"; LAYOUT="$2"; shift 2 ;;
    --layout=*) LAYOUT="${1#*=}"; shift ;;
    --prefix) need_value "$@"; INSTALL_DIR="$2"; shift 2 ;;
    --prefix=*) INSTALL_DIR="${1#*=}"; shift ;;
    --uninstall) ACTION=uninstall; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option: $1 (see --help)" ;;
  esac
done

VERSION="${VERSION#v}"
case "$VERSION" in
  latest) ;;
  *[!0-9A-Za-z.+-]*) die "not a version: $VERSION (expected X.Y.Z)" ;;
  [0-9]*.[0-9]*.[0-9]*) ;;
  *) die "not a version: $VERSION (expected X.Y.Z)" ;;
esac
case "$LAYOUT" in github | flat) ;; *) die "unknown layout: $LAYOUT (github or flat)" ;; esac
BASE_URL="${BASE_URL%/}"

EUID_NOW="${FABSTIR_INSTALL_EUID:-$(id -u)}"
if [ "$EUID_NOW" = 0 ]; then
  INSTALL_DIR="${INSTALL_DIR:-/usr/local/bin}"
  RECEIPT_DIR="${FABSTIR_RECEIPT_DIR:-/usr/local/share/fabstir-host}"
else
  [ -n "${HOME:-}" ] || die "HOME is not set: choose where to install with --prefix DIR"
  INSTALL_DIR="${INSTALL_DIR:-$HOME/.local/bin}"
  RECEIPT_DIR="${FABSTIR_RECEIPT_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/fabstir-host}"
fi
INSTALL_DIR="${INSTALL_DIR%/}"
TARGET="$INSTALL_DIR/$BIN_NAME"
RECEIPT="$RECEIPT_DIR/install-receipt"

TMP_DIR=""
TMP_BIN=""
cleanup() {
  if [ -n "$TMP_BIN" ]; then rm -f "$TMP_BIN"; fi
  if [ -n "$TMP_DIR" ]; then rm -rf "$TMP_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sha256_of() {
  if has sha256sum; then sha256sum "$1" | awk '{ print $1 }'
  else shasum -a 256 "$1" | awk '{ print $1 }'
  fi
}

receipt_value() { sed -n "s/^$1=//p" "$RECEIPT" | head -n 1; }

uninstall() {
  if [ ! -f "$RECEIPT" ]; then
    say "No install receipt at $RECEIPT: this script installed nothing here, so there is nothing to remove."
    return 0
  fi
  has sha256sum || has shasum || die "neither sha256sum nor shasum is installed: cannot check what to remove"
  installed_path=$(receipt_value path)
  if [ -n "$installed_path" ] && [ -f "$installed_path" ]; then
    if [ "$(sha256_of "$installed_path")" != "$(receipt_value sha256)" ]; then
      die "$installed_path changed since this script installed it; it was left in place (remove it yourself, then run --uninstall again)"
    fi
    rm -f "$installed_path"
    say "Removed $installed_path."
    # self-update keeps the previous binary (for --rollback) and may stage the next one beside it.
    for extra in "$installed_path.previous" "$installed_path.next"; do
      if [ -f "$extra" ]; then rm -f "$extra" && say "Removed $extra."; fi
    done
  else
    say "${installed_path:-The binary} is already gone."
  fi
  rm -f "$RECEIPT"
  rmdir "$RECEIPT_DIR" 2>/dev/null || true
  say "Configuration and keys (~/.fabstir) were left in place."
}

if [ "$ACTION" = uninstall ]; then
  uninstall
  exit 0
fi

# --- platform ----------------------------------------------------------------------------------------------------
is_rosetta() {
  if [ -n "${FABSTIR_INSTALL_ROSETTA:-}" ]; then [ "$FABSTIR_INSTALL_ROSETTA" = 1 ]; return; fi
  [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]
}

detect_libc() {
  if [ -n "${FABSTIR_INSTALL_LIBC:-}" ]; then printf '%s' "$FABSTIR_INSTALL_LIBC"; return; fi
  # ldd names its C library; the loader file is only a fallback because glibc systems may carry musl too.
  case "$(ldd --version 2>&1 || true)" in
    *musl*) printf musl; return ;;
    *GLIBC* | *"GNU libc"* | *glibc*) printf glibc; return ;;
  esac
  for loader in /lib/ld-musl-*; do
    if [ -e "$loader" ]; then printf musl; return; fi
  done
  printf glibc
}

has_avx2() {
  if [ -n "${FABSTIR_INSTALL_CPU_FLAGS+set}" ]; then cpu_flags="$FABSTIR_INSTALL_CPU_FLAGS"
  else cpu_flags=$(grep '^flags' /proc/cpuinfo 2>/dev/null | head -n 1 || true)
  fi
  case " $cpu_flags " in *" avx2 "*) return 0 ;; esac
  return 1
}

os_name="${FABSTIR_INSTALL_UNAME_S:-$(uname -s)}"
arch_name="${FABSTIR_INSTALL_UNAME_M:-$(uname -m)}"
case "$os_name" in
  Linux) OS=linux ;;
  Darwin) OS=darwin ;;
  MINGW* | MSYS* | CYGWIN* | Windows_NT) die "on Windows, use install.ps1 in PowerShell: irm $DEFAULT_BASE_URL/latest/download/install.ps1 | iex" ;;
  *) die "unsupported operating system: $os_name (fabstir-host is built for Linux, macOS and Windows)" ;;
esac
case "$arch_name" in
  x86_64 | amd64) ARCH=x64 ;;
  aarch64 | arm64) ARCH=arm64 ;;
  *) die "unsupported architecture: $arch_name (fabstir-host is built for x86_64 and arm64)" ;;
esac
if [ "$OS" = darwin ] && [ "$ARCH" = x64 ] && is_rosetta; then
  say "Rosetta 2 detected: installing the native Apple silicon (arm64) build."
  ARCH=arm64
fi
LIBC=glibc
AVX2=yes
if [ "$OS" = linux ]; then
  LIBC=$(detect_libc)
  if [ "$ARCH" = x64 ] && ! has_avx2; then AVX2=no; fi
fi

# Builds that fit this machine, best first; the first one the release lists in SHA256SUMS wins.
candidates() {
  plain="$BIN_NAME-$OS-$ARCH"
  if [ "$LIBC" = musl ]; then
    if [ "$AVX2" = no ]; then say "$plain-musl-baseline"; fi
    say "$plain-musl"
  fi
  if [ "$AVX2" = no ]; then say "$plain-baseline"; fi
  say "$plain"
}

# --- tools -------------------------------------------------------------------------------------------------------
if has curl; then DOWNLOADER=curl
elif has wget; then DOWNLOADER=wget
else die "neither curl nor wget is installed: install one of them and run this script again"
fi
has sha256sum || has shasum || die "neither sha256sum nor shasum is installed: cannot verify the download"

download() { # url destination [progress]
  if [ "$DOWNLOADER" = curl ]; then
    show="-sS"
    if [ "${3:-}" = progress ] && [ -t 2 ]; then show="--progress-bar"; fi
    case "$1" in
      https://*) curl -fL "$show" --proto '=https' --tlsv1.2 --retry 3 -o "$2" "$1" ;;
      *) curl -fL "$show" --retry 3 -o "$2" "$1" ;;
    esac
  else
    wget -q -O "$2" "$1"
  fi
}
fetch_optional() { # url destination: succeeds only when the file is published
  if download "$1" "$2" >/dev/null 2>&1 && [ -s "$2" ]; then return 0; fi
  rm -f "$2"
  return 1
}

asset_url() {
  if [ "$VERSION" = latest ]; then
    if [ "$LAYOUT" = github ]; then say "$BASE_URL/latest/download/$1"; else say "$BASE_URL/latest/$1"; fi
  elif [ "$LAYOUT" = github ]; then say "$BASE_URL/download/v$VERSION/$1"
  else say "$BASE_URL/v$VERSION/$1"
  fi
}

case "$BASE_URL" in
  https://* | http://127.0.0.1[:/]* | http://localhost[:/]*) ;;
  *) warn "$BASE_URL is not https: the checksum only guards against corruption, not tampering" ;;
esac

# --- SHA256SUMS and its signature ------------------------------------------------------------------------------
TMP_DIR=$(mktemp -d 2>/dev/null || mktemp -d -t fabstir-host)
SUMS="$TMP_DIR/SHA256SUMS"
say "Fetching the checksums of fabstir-host $VERSION from $BASE_URL"
download "$(asset_url SHA256SUMS)" "$SUMS" || die "could not download $(asset_url SHA256SUMS) (is version $VERSION published?)"

verify_signature() {
  # A configured key (the one the release workflow stamps in, or FABSTIR_MINISIGN_PUBKEY) means the signature is
  # required: a missing SHA256SUMS.sig, a .asc in its place or no minisign never falls back to the checksum alone,
  # because whoever can swap the binary and SHA256SUMS can also delete the signature.
  if [ -n "$MINISIGN_PUBKEY" ]; then
    fetch_optional "$(asset_url SHA256SUMS.sig)" "$TMP_DIR/SHA256SUMS.sig" ||
      die "no SHA256SUMS.sig is published for $VERSION, and this installer verifies releases with a minisign key: refusing to install (the signature may have been stripped)"
    has minisign || die "this installer verifies releases with a minisign key, and minisign is not installed: install minisign (https://jedisct1.github.io/minisign/) and run again"
    if minisign -Vq -P "$MINISIGN_PUBKEY" -m "$SUMS" -x "$TMP_DIR/SHA256SUMS.sig" >/dev/null 2>&1; then say "Signature verified (minisign)."; return 0; fi
    die "the minisign signature of SHA256SUMS does not verify (changed after signing, or signed by another key): refusing to install"
  fi
  if fetch_optional "$(asset_url SHA256SUMS.sig)" "$TMP_DIR/SHA256SUMS.sig"; then
    if ! has minisign; then say "SHA256SUMS.sig is published but minisign is not installed: skipping the signature check (the checksum is still verified)."
    else say "SHA256SUMS.sig is published but no minisign public key is configured (FABSTIR_MINISIGN_PUBKEY): skipping the signature check."
    fi
  fi
  if fetch_optional "$(asset_url SHA256SUMS.asc)" "$TMP_DIR/SHA256SUMS.asc"; then
    if ! has gpg; then say "SHA256SUMS.asc is published but gpg is not installed: skipping the signature check (the checksum is still verified)."; return 0; fi
    gpg_status=$(gpg --batch --status-fd 1 --verify "$TMP_DIR/SHA256SUMS.asc" "$SUMS" 2>/dev/null || true)
    case "$gpg_status" in
      *"BADSIG "*) die "the gpg signature of SHA256SUMS does not verify: refusing to install" ;;
      *"GOODSIG "*) say "Signature verified (gpg)." ;;
      *NO_PUBKEY*) say "SHA256SUMS.asc is signed by a key that is not in your gpg keyring: import the Fabstir release key to check it. Continuing with the checksum." ;;
      *) die "gpg could not check SHA256SUMS.asc: refusing to install" ;;
    esac
    return 0
  fi
  if [ ! -f "$TMP_DIR/SHA256SUMS.sig" ]; then say "No signature is published for this release: relying on the SHA-256 checksum."; fi
}
verify_signature

sum_for() { awk -v want="$1" '{ name = $2; sub(/^\*/, "", name); if (name == want) { print tolower($1); exit } }' "$SUMS"; }

ASSET=""
EXPECTED=""
for candidate in $(candidates); do
  EXPECTED=$(sum_for "$candidate")
  if [ -n "$EXPECTED" ]; then ASSET="$candidate"; break; fi
done
[ -n "$ASSET" ] || die "release $VERSION has no build for $OS-$ARCH"
case "$ASSET" in *-baseline) ;; *) if [ "$AVX2" = no ]; then warn "this CPU lacks AVX2 and release $VERSION has no baseline build: $ASSET may not run here"; fi ;; esac
case "$ASSET" in *-musl*) ;; *) if [ "$LIBC" = musl ]; then warn "release $VERSION has no musl build: $ASSET needs glibc (on Alpine: apk add gcompat)"; fi ;; esac

# --- install ------------------------------------------------------------------------------------------------------
write_receipt() { # version commit
  mkdir -p "$RECEIPT_DIR" || return 1
  {
    say "# Written by install.sh; read by \`fabstir-host self-update\` and \`install.sh --uninstall\`."
    say "channel=script"
    say "version=$1"
    say "commit=$2"
    say "asset=$ASSET"
    say "path=$TARGET"
    say "sha256=$EXPECTED"
    say "base_url=$BASE_URL"
    say "layout=$LAYOUT"
    say "installed_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } >"$RECEIPT.tmp.$$" && mv -f "$RECEIPT.tmp.$$" "$RECEIPT"
}

path_hint() {
  case ":$PATH:" in *":$INSTALL_DIR:"*) return 0 ;; esac
  shown="$INSTALL_DIR"
  # shellcheck disable=SC2016 # $HOME is meant literally: the line is for the user's shell profile.
  case "$INSTALL_DIR" in "${HOME:-/nonexistent}"/*) shown='$HOME'"${INSTALL_DIR#"$HOME"}" ;; esac
  case "${SHELL:-}" in
    */zsh) profile="${HOME:-}/.zshrc" ;;
    */bash) profile="${HOME:-}/.bashrc" ;;
    */fish) say ""; say "$INSTALL_DIR is not in your PATH. Add it with:"; say "  fish_add_path $INSTALL_DIR"; return 0 ;;
    *) profile="${HOME:-}/.profile" ;;
  esac
  say ""
  say "$INSTALL_DIR is not in your PATH. Add this line to $profile, then open a new terminal:"
  say "  export PATH=\"$shown:\$PATH\""
}

version_field() { # "fabstir-host 1.2.3 (abc123)" -> field 1 = version, 2 = commit
  if [ "$1" = 1 ]; then say "$2" | awk '{ print $2 }'; else say "$2" | awk '{ print $3 }' | tr -d '()'; fi
}

if [ -f "$TARGET" ] && [ "$(sha256_of "$TARGET")" = "$EXPECTED" ]; then
  current=$("$TARGET" --version 2>/dev/null || true)
  say "fabstir-host $(version_field 1 "$current") is already up to date ($TARGET): nothing to do."
  if [ ! -f "$RECEIPT" ]; then write_receipt "$(version_field 1 "$current")" "$(version_field 2 "$current")" || true; fi
  path_hint
  exit 0
fi

mkdir -p "$INSTALL_DIR" 2>/dev/null || die "cannot create $INSTALL_DIR (run as root, or choose another directory with --prefix)"
[ -w "$INSTALL_DIR" ] || die "cannot write to $INSTALL_DIR (run as root, or choose another directory with --prefix)"
# Downloaded next to the target so the final mv is an atomic rename on the same file system.
TMP_BIN="$INSTALL_DIR/.$BIN_NAME.download.$$"
say "Downloading $ASSET"
download "$(asset_url "$ASSET")" "$TMP_BIN" progress || die "could not download $(asset_url "$ASSET")"
actual=$(sha256_of "$TMP_BIN")
if [ "$actual" != "$EXPECTED" ]; then
  rm -f "$TMP_BIN"
  die "checksum mismatch for $ASSET (expected $EXPECTED, got $actual): the download was deleted and nothing was installed"
fi
say "Checksum verified."
chmod 755 "$TMP_BIN"
if new_version=$("$TMP_BIN" --version 2>/dev/null); then :; else
  warn "the downloaded binary did not run on this machine (fabstir-host --version failed); installing it anyway"
  new_version=""
fi
installed_version=$(version_field 1 "$new_version")
installed_commit=$(version_field 2 "$new_version")
if [ -z "$installed_version" ]; then installed_version="$VERSION"; fi
mv -f "$TMP_BIN" "$TARGET"
TMP_BIN=""
write_receipt "$installed_version" "$installed_commit" || warn "could not write the install receipt $RECEIPT"
say "Installed fabstir-host $installed_version to $TARGET"
path_hint
say ""
say "Next: fabstir-host init   (then fabstir-host doctor to check this machine)"
