"""Call actions and forced states over REST: who may do what, and the supervisors' audit."""
import json
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from harness.server import ADMIN, AGENT_R01, CENTER, SUPERVISOR, TOKENS, Server

# A supervisor token naming the center's supervisor agent s01.
LEAD = "lead-s01-token-0123456789"


@pytest.fixture
def center_with_lead(tmp_path: Path) -> Iterator[Server]:
    """The demo center plus a supervisor agent, served with a store and a token for them."""
    center: dict[str, Any] = json.loads(CENTER.read_text())
    center["flow_files"] = [str((CENTER.parent / f).resolve()) for f in center["flow_files"]]
    center["agents"].append({"id": "s01", "name": "Lead", "role": "supervisor", "queues": []})
    path = tmp_path / "center.json"
    path.write_text(json.dumps(center))
    tokens = TOKENS + [{"token": LEAD, "role": "supervisor", "agent_id": "s01"}]
    running = Server(tmp_path, store=tmp_path / "hotline.db", center=path,
                     tokens=tokens).start()
    try:
        yield running
    finally:
        assert running.stop() == 0, running.stderr_tail()
        assert running.sanitizer_report() is None, running.sanitizer_report()


def test_call_actions_and_forcing_need_a_token(server: Server) -> None:
    for path, body in [("/api/v1/calls/c1/actions", {"action": "hold"}),
                       ("/api/v1/agents/r01/force", {"state": "logout"})]:
        reply = server.request("POST", path, None, body)
        assert reply.status == 401
        assert reply.headers["www-authenticate"].startswith("Bearer")


def test_an_agent_acts_only_on_a_call_they_own(server: Server) -> None:
    reply = server.request("POST", "/api/v1/calls/c1/actions", AGENT_R01, {"action": "hangup"})
    assert reply.status == 404
    answer = server.request("POST", "/api/v1/calls/c1/actions", AGENT_R01, {"action": "answer"})
    assert answer.status == 404
    assert "ringing agent r01" in answer.json()["error"]


@pytest.mark.parametrize("token", [AGENT_R01, ADMIN, SUPERVISOR])
def test_supervisor_actions_are_refused_without_a_supervisor_agent(server: Server,
                                                                   token: str) -> None:
    for action in ["monitor", "whisper", "barge", "take_over", "force_release"]:
        reply = server.request("POST", "/api/v1/calls/c1/actions", token, {"action": action})
        assert reply.status == 403, (action, reply.body)
    forced = server.request("POST", "/api/v1/agents/r02/force", token, {"state": "logout"})
    assert forced.status == 403


def test_a_supervisor_action_on_a_call_the_engine_does_not_hold_is_404(
        center_with_lead: Server) -> None:
    reply = center_with_lead.request("POST", "/api/v1/calls/nope/actions", LEAD,
                                     {"action": "monitor"})
    assert reply.status == 404, reply.body


def test_a_forced_not_ready_reaches_the_engine_and_the_audit_log(
        center_with_lead: Server) -> None:
    server = center_with_lead
    refused = server.request("POST", "/api/v1/agents/r02/force", LEAD,
                             {"state": "not_ready", "reason": "coaching"})
    assert refused.status == 409, refused.body  # r02 is logged out
    assert server.set_state(SUPERVISOR, "r02", "login").status == 200
    forced = server.request("POST", "/api/v1/agents/r02/force", LEAD,
                            {"state": "not_ready", "reason": "coaching"})
    assert forced.status == 200, forced.body
    assert forced.json()["state"] == "not_ready" and forced.json()["reason"] == "coaching"
    agents = server.request("GET", "/api/v1/agents", SUPERVISOR).json()["agents"]
    assert {"id": "r02", "state": "not_ready", "reason": "coaching"}.items() <= \
        next(a for a in agents if a["id"] == "r02").items()
    # The runtime writes the audit record on its thread pool.
    rows: list[tuple[str, str, str, str]] = []
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        with sqlite3.connect(server.store) as db:
            rows = db.execute("SELECT actor, role, action, detail FROM audit_log "
                              "WHERE action = 'force_not_ready'").fetchall()
        if rows:
            break
        time.sleep(0.05)
    assert rows == [("s01", "supervisor", "force_not_ready", "call - agent r02")], rows
    logout = server.request("POST", "/api/v1/agents/r02/force", LEAD, {"state": "logout"})
    assert logout.status == 200 and logout.json()["state"] == "logged_out"


def test_a_malformed_force_names_its_path(center_with_lead: Server) -> None:
    server = center_with_lead
    for body, error in [({"state": "not_ready"}, "$.reason: not_ready needs a reason code"),
                        ({"state": "away"}, "$.state: required, one of not_ready, logout"),
                        ({"state": "logout", "why": 1},
                         "$.why: unknown field (expected one of: state, reason)")]:
        reply = server.request("POST", "/api/v1/agents/r01/force", LEAD, body)
        assert reply.status == 400
        assert reply.json()["error"] == error
