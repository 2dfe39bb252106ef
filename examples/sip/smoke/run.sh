#!/bin/sh
# A quick check of the host by hand: one agent's phone registers, one caller
# dials the number given (2000: the retail queue), the agent answers, the
# caller hangs up. Run from the build's folder of hotline-sip:
#   examples/sip/smoke/run.sh path/to/hotline-sip [dialled]
set -eu
host=$1
dialled=${2:-2000}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$host" "$here/../center.json" --log-level debug 2>"$work/host.log" &
host_pid=$!
sleep 1
(cd "$work" && sipp -sf "$here/register.xml" -s r01 -ap secret-r01 -m 1 -nostdin \
  127.0.0.1:5060 -p 5071 -trace_msg >/dev/null 2>&1)
(cd "$work" && timeout 90 sipp -sf "$here/answer.xml" -s r01 -m 1 -nostdin -p 5071 \
  -trace_msg >/dev/null 2>&1) &
agent_pid=$!
sleep 1
status=0
(cd "$work" && timeout 60 sipp -sf "$here/caller.xml" -s "$dialled" -m 1 -nostdin \
  127.0.0.1:5060 -p 5081 -trace_msg >/dev/null 2>&1) || status=$?
wait "$agent_pid" || status=$?
kill -TERM "$host_pid"
wait "$host_pid" || status=$?
cat "$work/host.log"
echo "smoke: exit $status"
exit "$status"
