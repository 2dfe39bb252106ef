"""hotline-sim --serve: a simulated day moves the API, the metrics and the event stream."""
import json
import re
import shutil
import subprocess
import time

import websocket

from harness.server import AGENT_R01, SUPERVISOR, SimulatedDay


def offered(day: SimulatedDay) -> int:
    text = day.request("GET", "/metrics", SUPERVISOR).body.decode()
    return sum(int(v) for v in re.findall(r"^hotline_queue_offered_total\{[^}]*\} (\d+)$",
                                          text, re.M))


def test_the_simulated_day_moves_the_counters(day: SimulatedDay) -> None:
    deadline = time.monotonic() + 30
    while offered(day) == 0:
        assert time.monotonic() < deadline, "no call offered within 30 s of a simulated day"
        time.sleep(0.5)
    first = offered(day)
    time.sleep(2)
    assert offered(day) > first
    stats = day.request("GET", "/api/v1/stats", SUPERVISOR).json()
    assert sum(q["answered"] for q in stats["queues"].values()) > 0
    if shutil.which("promtool"):
        check = subprocess.run(["promtool", "check", "metrics"],
                               input=day.request("GET", "/metrics", SUPERVISOR).body,
                               capture_output=True, timeout=30)
        assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()


def test_calls_reach_the_stream_and_an_agent_sees_only_their_own(day: SimulatedDay) -> None:
    def subscribe(token: str) -> websocket.WebSocket:
        return websocket.create_connection(f"ws://127.0.0.1:{day.port}/api/v1/events",
                                           header=[f"Authorization: Bearer {token}"], timeout=5)

    supervisor = subscribe(SUPERVISOR)
    agent = subscribe(AGENT_R01)
    try:
        deadline = time.monotonic() + 30
        kinds: set[str] = set()
        while "call_started" not in kinds:
            left = deadline - time.monotonic()
            assert left > 0, f"no call_started within 30 s (saw {kinds})"
            supervisor.settimeout(left)  # the night before the shifts is quiet
            kinds.add(json.loads(supervisor.recv())["kind"])
        agent.settimeout(5)
        seen = []
        end = time.monotonic() + 5
        while time.monotonic() < end:
            try:
                seen.append(json.loads(agent.recv()))
            except websocket.WebSocketTimeoutException:
                break
        assert seen, "agent r01 saw nothing of a busy simulated day"
        call_ids = {e["call_id"] for e in seen if e.get("agent_id") == "r01" and "call_id" in e}
        for event in seen:
            assert event.get("agent_id") == "r01" or event.get("call_id") in call_ids, event
    finally:
        supervisor.close()
        agent.close()
