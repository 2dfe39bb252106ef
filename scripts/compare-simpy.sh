#!/usr/bin/env bash
# Runs BM_SimulateDay and the same M/M/N+M day in SimPy, one after the other
# on this machine, and prints both rates and their ratio.
set -euo pipefail
# HOTLINE_BUILD_DIR picks an existing RelWithDebInfo build tree (default
# build/release, configured here if need be).
root=$(cd "$(dirname "$0")/.." && pwd)
contacts=${1:-1000000}
build=${HOTLINE_BUILD_DIR:-$root/build/release}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j2 --target hotline_bench
venv="$root/build/venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check simpy
hotline=$("$build/tests/bench/hotline_bench" --benchmark_filter="BM_SimulateDay/$contacts/" \
  --benchmark_format=json | "$venv/bin/python" -c \
  'import json,sys; print(json.load(sys.stdin)["benchmarks"][0]["contacts_per_second"])')
simpy=$("$venv/bin/python" "$root/examples/sim/simpy_mmn.py" --contacts "$contacts" | \
  "$venv/bin/python" -c 'import json,sys; print(json.load(sys.stdin)["contacts_per_second"])')
"$venv/bin/python" -c "print(f'hotline {float($hotline):,.0f} contacts/s, SimPy {float($simpy):,.0f} contacts/s, ratio {float($hotline)/float($simpy):.1f}x')"
