#!/usr/bin/env bash
# Sets up the machine, builds Hotline and runs the demo: a simulated day at a
# bank hotline (examples/center) on the real engine, with its KPI table and
# an HTML report.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${HOTLINE_JOBS:-2}

"$root/scripts/setup.sh"
cmake -S "$root" -B "$root/build/release" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$root/build/release" -j"$jobs" --target hotline-sim
"$root/build/release/examples/sim/hotline-sim" "$root/examples/center/center.json" \
  --report "$root/build/report" "$@"
