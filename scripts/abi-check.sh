#!/usr/bin/env bash
# Compares libhotline's ABI with the baseline committed in capi/abi, so that
# every ABI change is deliberate. Only exported hl_* interfaces and the types
# they reach through the public headers count; the handles' C++ insides are
# opaque and free to change.
#
#   scripts/abi-check.sh BUILD_DIR            fail on any difference
#   scripts/abi-check.sh BUILD_DIR --update   record the current ABI as the baseline
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: abi-check.sh BUILD_DIR [--update]}
baseline="$root/capi/abi/libhotline.abi"
current=$(mktemp)
trap 'rm -f "$current"' EXIT

abidw --headers-dir "$root/capi/include" --drop-private-types --exported-interfaces-only \
  --drop-undefined-syms --no-corpus-path --no-show-locs --type-id-style hash \
  "$build/capi/libhotline.so" > "$current"

if [[ "${2:-}" == "--update" ]]; then
  cp "$current" "$baseline"
  echo "ABI baseline updated: $baseline"
  exit 0
fi

if abidiff --no-show-locs "$baseline" "$current"; then
  echo "ABI: unchanged from the baseline"
else
  echo "ABI: libhotline differs from capi/abi/libhotline.abi (above)." >&2
  echo "If the change is deliberate, record it: scripts/abi-check.sh $build --update" >&2
  exit 1
fi
