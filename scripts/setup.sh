#!/usr/bin/env bash
# Installs the Debian packages Hotline needs to build, test and run its demo.
# Idempotent: installs only what is missing; runs as root without sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libuv1-dev libsqlite3-dev libfmt-dev doctest-dev nlohmann-json3-dev libsimdjson-dev
  libbenchmark-dev libcctz-dev libphonenumber-dev libprotobuf-dev libre2-dev libicu-dev
  libcli11-dev tzdata
  abigail-tools sip-tester clang-14 libclang-rt-14-dev ccache
  libre-dev librem-dev espeak-ng libsndfile1-dev libsamplerate0-dev
  libwebsockets-dev prometheus libjs-chart.js chromium chromium-driver
  python3 python3-pip python3-venv golang-go
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# Go and Python may come from outside Debian's packages (a toolchain already on
# PATH); a working command is as good as the package.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    golang-go) command -v go >/dev/null 2>&1 && continue ;;
    python3) command -v python3 >/dev/null 2>&1 && continue ;;
    python3-pip) python3 -m pip --version >/dev/null 2>&1 && continue ;;
    python3-venv) python3 -c 'import venv' >/dev/null 2>&1 && continue ;;
  esac
  filtered+=("$p")
done

if [ ${#filtered[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${filtered[*]}" >&2
    echo "setup: run this script as root to install them" >&2
    exit 1
  fi
  echo "setup: installing ${filtered[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${filtered[@]}"
fi
