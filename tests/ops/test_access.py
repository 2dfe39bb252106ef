"""Every route needs a token; roles decide what a token may read and change."""
import json
import subprocess
from pathlib import Path

import pytest

from harness.server import ADMIN, AGENT_R01, CENTER, SUPERVISOR, Server, binary

ROUTES = [
    ("GET", "/api/v1/queues", None),
    ("GET", "/api/v1/agents", None),
    ("GET", "/api/v1/stats", None),
    ("GET", "/metrics", None),
    ("POST", "/api/v1/agents/r01/state", {"state": "login"}),
    ("GET", "/api/v1/no-such-route", None),
]


@pytest.mark.parametrize("method,path,body", ROUTES)
def test_every_route_without_a_token_is_401(server: Server, method: str, path: str,
                                            body: object) -> None:
    reply = server.request(method, path, body=body)
    assert reply.status == 401
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert reply.json() == {"error": "a valid bearer token is required"}


@pytest.mark.parametrize("method,path,body", ROUTES)
def test_every_route_with_a_bad_token_is_401(server: Server, method: str, path: str,
                                             body: object) -> None:
    assert server.request(method, path, token="not-a-token-of-this-server",
                          body=body).status == 401
    assert server.request(method, path, authorization=f"Basic {SUPERVISOR}",
                          body=body).status == 401


def test_responses_carry_a_restrictive_content_security_policy(server: Server) -> None:
    for token in (None, AGENT_R01, SUPERVISOR):
        reply = server.request("GET", "/api/v1/queues", token)
        assert "default-src 'none'" in reply.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in reply.headers["content-security-policy"]
        assert reply.headers["x-content-type-options"] == "nosniff"


def test_an_agent_changes_their_own_state_but_not_another_agents(server: Server) -> None:
    assert server.set_state(AGENT_R01, "r01", "login").json()["state"] == "available"
    refused = server.set_state(AGENT_R01, "r02", "login")
    assert refused.status == 403
    assert refused.json()["error"] == "an agent may change only their own state"
    agents = server.request("GET", "/api/v1/agents", SUPERVISOR).json()["agents"]
    assert {a["id"]: a["state"] for a in agents}["r02"] == "logged_out"


def test_an_agent_goes_through_login_not_ready_ready_and_logout(server: Server) -> None:
    assert server.set_state(AGENT_R01, "r01", "login").status == 200
    not_ready = server.set_state(AGENT_R01, "r01", "not_ready", "lunch")
    assert not_ready.status == 200
    assert not_ready.json()["state"] == "not_ready"
    assert not_ready.json()["reason"] == "lunch"
    assert server.set_state(AGENT_R01, "r01", "ready").json()["state"] == "available"
    assert server.set_state(AGENT_R01, "r01", "logout").json()["state"] == "logged_out"


def test_a_supervisor_and_an_admin_change_any_agents_state(server: Server) -> None:
    assert server.set_state(SUPERVISOR, "r02", "login").status == 200
    reply = server.set_state(ADMIN, "r02", "not_ready", "meeting")
    assert reply.status == 200
    agents = server.request("GET", "/api/v1/agents", SUPERVISOR).json()["agents"]
    r02 = next(a for a in agents if a["id"] == "r02")
    assert (r02["state"], r02["reason"]) == ("not_ready", "meeting")


def test_an_agent_sees_only_themself_and_no_center_statistics(server: Server) -> None:
    agents = server.request("GET", "/api/v1/agents", AGENT_R01).json()["agents"]
    assert [a["id"] for a in agents] == ["r01"]
    assert len(server.request("GET", "/api/v1/agents", SUPERVISOR).json()["agents"]) == 29
    assert server.request("GET", "/api/v1/stats", AGENT_R01).status == 403
    assert server.request("GET", "/metrics", AGENT_R01).status == 403
    assert server.request("GET", "/api/v1/stats", SUPERVISOR).status == 200
    assert server.request("GET", "/api/v1/queues", AGENT_R01).status == 200


def test_bad_state_requests_say_what_is_wrong(server: Server) -> None:
    def error(body: object = None, raw: bytes | None = None, agent: str = "r01") -> tuple:
        reply = server.request("POST", f"/api/v1/agents/{agent}/state", SUPERVISOR, body, raw)
        return reply.status, reply.json()["error"]

    assert error({"state": "login", "mood": "happy"}) == (
        400, "$.mood: unknown field (expected one of: state, reason)")
    assert error({"state": "not_ready"}) == (400, "$.reason: not_ready needs a reason code")
    assert error({"state": "asleep"}) == (
        400, "$.state: must be one of login, ready, not_ready, logout")
    assert error({"state": "ready", "reason": "x"}) == (
        400, "$.reason: only a not_ready state takes a reason")
    assert error(raw=b"{\"state\": ")[0] == 400
    assert error(raw=b"[1]") == (400, "$: must be an object")
    # Bytes that are not UTF-8 are refused with a readable message, not a dropped connection.
    assert error(raw=b'{"state": "not_ready", "reason": "\xff"}')[0] == 400
    assert error({"state": "login"}, agent="nobody") == (404, "no agent nobody")
    assert error({"state": "ready"})[0] == 409  # not logged in
    too_large = server.request("POST", "/api/v1/agents/r01/state", SUPERVISOR,
                               raw_body=b" " * (65 * 1024))
    assert too_large.status == 413
    assert server.request("GET", "/api/v1/agents/r01/state", SUPERVISOR).status == 405
    assert server.request("DELETE", "/api/v1/queues", SUPERVISOR).status == 405


def test_the_server_refuses_a_token_for_an_agent_the_center_lacks(tmp_path: Path) -> None:
    access = tmp_path / "ops.json"
    access.write_text(json.dumps({"tokens": [
        {"token": "agent-r99-token-0123456789", "role": "agent", "agent_id": "r99"}]}))
    run = subprocess.run([str(binary("HOTLINE_OPS", "ops", "hotline-ops")), str(CENTER),
                          "--access", str(access), "--port", "0"],
                         capture_output=True, timeout=30)
    assert run.returncode == 1
    assert b"$.tokens[0].agent_id: no agent r99 in the center" in run.stderr
    assert b"listening" not in run.stdout


@pytest.mark.parametrize("variable,folder,name,mode", [
    ("HOTLINE_OPS", "ops", "hotline-ops", []),
    ("HOTLINE_SIM", "sim", "hotline-sim", ["--serve"]),
], ids=["hotline-ops", "hotline-sim --serve"])
def test_the_server_refuses_a_supervisor_token_naming_a_plain_agent(
        tmp_path: Path, variable: str, folder: str, name: str, mode: list[str]) -> None:
    program = [str(binary(variable, folder, name)), str(CENTER)] + mode
    access = tmp_path / "ops.json"
    access.write_text(json.dumps({"tokens": [
        {"token": "fake-supervisor-token-0123", "role": "supervisor", "agent_id": "r01"}]}))
    run = subprocess.run(program + ["--access", str(access), "--port", "0"],
                         capture_output=True, timeout=30)
    assert run.returncode == 1
    assert b"$.tokens[0].agent_id: agent r01 is not a supervisor" in run.stderr
    assert b"listening" not in run.stdout
