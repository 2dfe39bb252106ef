#!/usr/bin/env bash
# Sets up the machine, builds Hotline and runs the demo host.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${HOTLINE_JOBS:-2}

"$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build/release" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build/release" -j"$jobs" --target hotline-burst
"$root/build/release/examples/burst/hotline-burst" "$root/examples/burst/center.json" "$@"
