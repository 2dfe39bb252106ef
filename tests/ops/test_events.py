"""The event stream: notifications as JSON over WebSocket, filtered by role."""
import json
import time
from typing import Any

import pytest
import websocket

from harness.server import AGENT_R01, SUPERVISOR, Server


def subscribe(server: Server, token: str | None) -> websocket.WebSocket:
    header = [f"Authorization: Bearer {token}"] if token else []
    return websocket.create_connection(f"ws://127.0.0.1:{server.port}/api/v1/events",
                                       header=header, timeout=5)


def events_for(ws: websocket.WebSocket, seconds: float) -> list[dict[str, Any]]:
    """Every event that arrives within `seconds`."""
    received = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ws.settimeout(left)
        try:
            received.append(json.loads(ws.recv()))
        except websocket.WebSocketTimeoutException:
            break
    return received


def state_change(agent: str, to: str) -> dict[str, Any]:
    return {"kind": "routing", "event": "agent_state_changed", "agent_id": agent, "to": to}


def matches(event: dict[str, Any], wanted: dict[str, Any]) -> bool:
    return all(event.get(k) == v for k, v in wanted.items())


def test_a_supervisor_receives_a_state_change_within_two_seconds(server: Server) -> None:
    ws = subscribe(server, SUPERVISOR)
    try:
        started = time.monotonic()
        assert server.set_state(SUPERVISOR, "r02", "login").status == 200
        wanted = state_change("r02", "available")
        while time.monotonic() - started < 2:
            ws.settimeout(2 - (time.monotonic() - started))
            if matches(json.loads(ws.recv()), wanted):
                break
        else:
            pytest.fail("no agent_state_changed event within 2 s")
    finally:
        ws.close()


def test_an_agent_sees_their_own_events_and_not_another_agents(server: Server) -> None:
    agent = subscribe(server, AGENT_R01)
    supervisor = subscribe(server, SUPERVISOR)
    try:
        server.set_state(SUPERVISOR, "r02", "login")
        server.set_state(AGENT_R01, "r01", "login")
        seen_by_agent = events_for(agent, 1.5)
        seen_by_supervisor = events_for(supervisor, 0.5)
        assert any(matches(e, state_change("r01", "available")) for e in seen_by_agent)
        assert all(e.get("agent_id") == "r01" for e in seen_by_agent), seen_by_agent
        assert any(matches(e, state_change("r02", "available")) for e in seen_by_supervisor)
        assert any(matches(e, state_change("r01", "available")) for e in seen_by_supervisor)
    finally:
        agent.close()
        supervisor.close()


@pytest.mark.parametrize("token", [None, "not-a-token-of-this-server"])
def test_the_stream_refuses_a_missing_or_unknown_token(server: Server, token: str | None) -> None:
    with pytest.raises((websocket.WebSocketException, ConnectionError)):
        subscribe(server, token).recv()


def test_only_the_events_path_upgrades(server: Server) -> None:
    with pytest.raises((websocket.WebSocketException, ConnectionError)):
        websocket.create_connection(f"ws://127.0.0.1:{server.port}/api/v1/queues",
                                    header=[f"Authorization: Bearer {SUPERVISOR}"],
                                    timeout=5).recv()
