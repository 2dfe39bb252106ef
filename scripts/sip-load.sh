#!/usr/bin/env bash
# Load on the SIP host over loopback: a rate run (calls through a short IVR by DTMF, queued,
# answered, 1 s of talk) and a concurrency run (calls held with G.711 RTP both ways on every
# leg), SIPp playing callers and agents. Prints one JSON line (see tests/sip/load/sip_load.py).
#
#   scripts/sip-load.sh [--host PATH] [--rate 200] [--seconds 60] [--calls 1000]
#                       [--hold-seconds 60] [--keep]
#
# Without --host it builds hotline-sip in the RelWithDebInfo tree the test command uses.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${HOTLINE_JOBS:-2}

host=""
args=()
while [ $# -gt 0 ]; do
  case $1 in
    --host) host=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ -z "$host" ]; then
  build="$root/build/release"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOTLINE_WERROR=ON \
    >/dev/null
  cmake --build "$build" -j"$jobs" --target hotline-sip >/dev/null
  host="$build/examples/sip/hotline-sip"
fi

# One call holds a few descriptors (SIP transactions, RTP sockets on both legs).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec python3 "$root/tests/sip/load/sip_load.py" --host "$host" "${args[@]}"
