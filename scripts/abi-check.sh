#!/usr/bin/env bash
# Compares libhotline's ABI with the baseline committed in capi/abi, so that
# every ABI change is deliberate and follows the ABI policy (docs/c-api.md,
# "ABI policy"). Only exported hl_* interfaces and the types they reach
# through the public headers count; the handles' C++ insides are opaque and
# free to change.
#
#   scripts/abi-check.sh BUILD_DIR            fail on any difference
#   scripts/abi-check.sh BUILD_DIR --update   record the current ABI as the baseline
#
# A difference that abidiff calls incompatible (a function or variable
# removed, a symbol's type changed) is refused, also by --update, unless the
# soname moved with it (HOTLINE_ABI_VERSION in CMakeLists.txt): a host built
# against the old soname must never load a library it would misread.
# abidiff does not see every incompatible change (a struct's members
# reordered, a slot's meaning changed): the policy still holds there, and
# the review of the baseline's diff is where it is kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: abi-check.sh BUILD_DIR [--update]}
baseline="$root/capi/abi/libhotline.abi"
current=$(mktemp)
trap 'rm -f "$current"' EXIT

# Without the build's paths or its DT_NEEDED list: the baseline then reads the
# same from any build directory and with or without the sanitizers.
abidw --headers-dir "$root/capi/include" --drop-private-types --exported-interfaces-only \
  --drop-undefined-syms --no-corpus-path --no-comp-dir-path --no-elf-needed --short-locs \
  --no-show-locs --type-id-style hash "$build/capi/libhotline.so" > "$current"

soname_of() { sed -n "1s/.* soname='\([^']*\)'.*/\1/p" "$1"; }

# abidiff's exit status is a bit set: 1 error, 2 usage, 4 ABI change,
# 8 incompatible ABI change.
status=0
if [[ -f "$baseline" ]]; then
  abidiff --no-show-locs "$baseline" "$current" || status=$?
  if (( status & 3 )); then
    echo "ABI: abidiff failed (status $status)" >&2
    exit 1
  fi
fi
old_soname=$([[ -f "$baseline" ]] && soname_of "$baseline" || true)
new_soname=$(soname_of "$current")

if (( status & 8 )) && [[ "$old_soname" == "$new_soname" ]]; then
  echo "ABI: an incompatible change (above) under the same soname $new_soname." >&2
  echo "Keep the old interface and add a new one, or move the soname" \
       "(HOTLINE_ABI_VERSION) as docs/c-api.md's ABI policy says." >&2
  exit 1
fi

if [[ "${2:-}" == "--update" ]]; then
  cp "$current" "$baseline"
  echo "ABI baseline updated: $baseline ($new_soname)"
  exit 0
fi

if (( status == 0 )); then
  echo "ABI: unchanged from the baseline ($new_soname)"
  exit 0
fi
if [[ "$old_soname" != "$new_soname" ]]; then
  echo "ABI: the soname moved from $old_soname to $new_soname (above)." >&2
else
  echo "ABI: an additive change under $new_soname (above)." >&2
fi
echo "If the change is deliberate, record it: scripts/abi-check.sh $build --update" >&2
exit 1
