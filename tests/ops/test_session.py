"""Browser sessions: a bearer token traded for a cookie, the cookie's rights and its CSRF
check, logging out, the wallboard's thresholds, and the pages' files."""
import http.client
import json
import re
import subprocess
from pathlib import Path
from typing import Iterator

import pytest
import websocket

from harness.server import AGENT_R01, CENTER, REPO, SUPERVISOR, TOKENS, Response, Server, binary

WEB = REPO / "examples" / "ops" / "web"
COOKIE = re.compile(r"^hotline_session=([0-9a-f]{64}); (.*)$")


class PagesServer(Server):
    """hotline-ops with ops.json's extra keys and the charting library in a folder of the test's."""

    extra: dict = {}

    def command(self, access: Path) -> list[str]:
        access.write_text(json.dumps({"tokens": TOKENS, **self.extra}))
        chartjs = self.folder / "chartjs"
        chartjs.mkdir(exist_ok=True)
        (chartjs / "chart.min.js").write_text("window.ChartStandIn = true;\n")
        return super().command(access) + ["--chartjs", str(chartjs)]


@pytest.fixture
def pages(tmp_path: Path) -> Iterator[PagesServer]:
    running = PagesServer(tmp_path).start()
    try:
        yield running
    finally:
        assert running.stop() == 0, running.stderr_tail()
        assert running.sanitizer_report() is None, running.sanitizer_report()


def raw(server: Server, method: str, path: str, headers: dict[str, str] | None = None,
        body: bytes | None = None) -> Response:
    """A request sent as written: no client-side normalisation of the path."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        all_headers = dict(headers or {})
        if body is not None or method in ("POST", "PUT", "PATCH", "DELETE"):
            all_headers.setdefault("Content-Length", str(len(body or b"")))
        connection.putrequest(method, path, skip_host="Host" in all_headers,
                              skip_accept_encoding=True)
        for name, value in all_headers.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        reply = connection.getresponse()
        return Response(reply.status, {k.lower(): v for k, v in reply.getheaders()}, reply.read())
    finally:
        connection.close()


def login(server: Server, token: str) -> str:
    reply = raw(server, "POST", "/api/v1/session", {"Authorization": f"Bearer {token}"})
    assert reply.status == 200, reply.body
    match = COOKIE.match(reply.headers["set-cookie"])
    assert match, reply.headers["set-cookie"]
    return match.group(1)


def own_origin(server: Server) -> dict[str, str]:
    return {"Origin": f"http://127.0.0.1:{server.port}", "Host": f"127.0.0.1:{server.port}"}


def with_cookie(server: Server, session: str, origin: str | None = None) -> dict[str, str]:
    headers = {"Cookie": f"theme=dark; hotline_session={session}",
               "Host": f"127.0.0.1:{server.port}"}
    if origin is not None:
        headers["Origin"] = origin
    return headers


def test_a_login_sets_an_http_only_same_site_strict_cookie(pages: PagesServer) -> None:
    reply = raw(pages, "POST", "/api/v1/session", {"Authorization": f"Bearer {AGENT_R01}"})
    assert reply.status == 200
    assert reply.json()["role"] == "agent" and reply.json()["agent_id"] == "r01"
    assert reply.json()["authenticated"] is True
    match = COOKIE.match(reply.headers["set-cookie"])
    assert match, reply.headers["set-cookie"]
    attributes = [a.strip() for a in match.group(2).split(";")]
    assert "HttpOnly" in attributes and "SameSite=Strict" in attributes and "Path=/" in attributes
    assert any(a.startswith("Max-Age=") and int(a[8:]) > 0 for a in attributes)


def test_each_login_gets_its_own_random_session(pages: PagesServer) -> None:
    assert len({login(pages, SUPERVISOR) for _ in range(5)}) == 5


@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token-of-this-server",
                                           f"Basic {SUPERVISOR}"])
def test_a_login_without_a_valid_bearer_token_is_401(pages: PagesServer,
                                                     authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    reply = raw(pages, "POST", "/api/v1/session", headers)
    assert reply.status == 401
    assert "set-cookie" not in reply.headers


def test_a_session_cookie_cannot_open_another_session(pages: PagesServer) -> None:
    session = login(pages, SUPERVISOR)
    reply = raw(pages, "POST", "/api/v1/session",
                with_cookie(pages, session, own_origin(pages)["Origin"]))
    assert reply.status == 401


def test_the_cookie_acts_with_the_tokens_role(pages: PagesServer) -> None:
    session = login(pages, AGENT_R01)
    agents = raw(pages, "GET", "/api/v1/agents", with_cookie(pages, session))
    assert agents.status == 200
    assert [a["id"] for a in agents.json()["agents"]] == ["r01"]
    assert raw(pages, "GET", "/api/v1/stats", with_cookie(pages, session)).status == 403
    me = raw(pages, "GET", "/api/v1/session", with_cookie(pages, session))
    assert me.status == 200
    assert me.json()["authenticated"] is True and me.json()["agent_id"] == "r01"


def test_an_unknown_cookie_is_401(pages: PagesServer) -> None:
    assert raw(pages, "GET", "/api/v1/agents", with_cookie(pages, "0" * 64)).status == 401
    me = raw(pages, "GET", "/api/v1/session", with_cookie(pages, "0" * 64))
    assert me.status == 200 and me.json() == {"authenticated": False}


@pytest.mark.parametrize("origin", [None, "http://evil.example", "null",
                                    "http://127.0.0.1:1"])
def test_a_change_through_the_cookie_needs_this_servers_origin(pages: PagesServer,
                                                              origin: str | None) -> None:
    session = login(pages, AGENT_R01)
    body = json.dumps({"state": "login"}).encode()
    reply = raw(pages, "POST", "/api/v1/agents/r01/state", with_cookie(pages, session, origin),
                body)
    assert reply.status == 403
    assert "Origin" in reply.json()["error"]
    state = pages.request("GET", "/api/v1/agents", SUPERVISOR).json()["agents"][0]
    assert state["id"] == "r01" and state["state"] == "logged_out"


def test_a_change_through_the_cookie_from_this_servers_origin_is_made(pages: PagesServer) -> None:
    session = login(pages, AGENT_R01)
    body = json.dumps({"state": "login"}).encode()
    reply = raw(pages, "POST", "/api/v1/agents/r01/state",
                with_cookie(pages, session, own_origin(pages)["Origin"]), body)
    assert reply.status == 200, reply.body
    assert reply.json()["state"] == "available"


def test_the_bearer_header_wins_over_a_cookie(pages: PagesServer) -> None:
    session = login(pages, SUPERVISOR)
    headers = with_cookie(pages, session)
    headers["Authorization"] = f"Bearer {AGENT_R01}"
    agents = raw(pages, "GET", "/api/v1/agents", headers).json()["agents"]
    assert [a["id"] for a in agents] == ["r01"]


def test_logging_out_ends_the_session_and_clears_the_cookie(pages: PagesServer) -> None:
    session = login(pages, SUPERVISOR)
    refused = raw(pages, "DELETE", "/api/v1/session",
                  with_cookie(pages, session, "http://evil.example"))
    assert refused.status == 403
    assert raw(pages, "GET", "/api/v1/agents", with_cookie(pages, session)).status == 200
    reply = raw(pages, "DELETE", "/api/v1/session",
                with_cookie(pages, session, own_origin(pages)["Origin"]))
    assert reply.status == 204
    assert reply.headers["set-cookie"].startswith("hotline_session=;")
    assert "Max-Age=0" in reply.headers["set-cookie"]
    assert raw(pages, "GET", "/api/v1/agents", with_cookie(pages, session)).status == 401
    again = raw(pages, "DELETE", "/api/v1/session",
                with_cookie(pages, session, own_origin(pages)["Origin"]))
    assert again.status == 401


def test_the_event_stream_accepts_the_cookie_from_this_servers_origin(pages: PagesServer) -> None:
    session = login(pages, SUPERVISOR)
    ws = websocket.create_connection(f"ws://127.0.0.1:{pages.port}/api/v1/events",
                                     cookie=f"hotline_session={session}",
                                     origin=f"http://127.0.0.1:{pages.port}", timeout=5)
    try:
        assert pages.set_state(SUPERVISOR, "r02", "login").status == 200
        event = json.loads(ws.recv())
        assert event["kind"] == "routing" and event["agent_id"] == "r02"
    finally:
        ws.close()


@pytest.mark.parametrize("origin", ["http://evil.example", None])
def test_the_event_stream_refuses_the_cookie_from_another_origin(pages: PagesServer,
                                                                origin: str | None) -> None:
    session = login(pages, SUPERVISOR)
    options = {"origin": origin} if origin else {"suppress_origin": True}
    with pytest.raises((websocket.WebSocketException, ConnectionError)):
        websocket.create_connection(f"ws://127.0.0.1:{pages.port}/api/v1/events",
                                    cookie=f"hotline_session={session}", timeout=5,
                                    **options).recv()


def test_the_wallboard_thresholds_default_to_the_best_practice(pages: PagesServer) -> None:
    assert pages.request("GET", "/api/v1/wallboard").status == 401
    reply = pages.request("GET", "/api/v1/wallboard", AGENT_R01)
    assert reply.status == 200
    assert reply.json() == {"service_level_percent": 80, "abandon_percent": 2,
                            "busy_percent": 2, "asa_seconds": 15, "fcr_percent": 90,
                            "occupancy_percent": 80}


def test_the_wallboard_thresholds_come_from_ops_json(tmp_path: Path) -> None:
    server = PagesServer(tmp_path)
    server.extra = {"wallboard": {"asa_seconds": 20, "service_level_percent": 90}}
    server.start()
    try:
        thresholds = server.request("GET", "/api/v1/wallboard", SUPERVISOR).json()
        assert thresholds["asa_seconds"] == 20 and thresholds["service_level_percent"] == 90
        assert thresholds["abandon_percent"] == 2
    finally:
        assert server.stop() == 0


@pytest.mark.parametrize("wallboard,message", [
    ({"asa": 20}, "$.wallboard.asa: unknown field (expected one of: service_level_percent, "
                  "abandon_percent, busy_percent, asa_seconds, fcr_percent, occupancy_percent)"),
    ({"abandon_percent": 101}, "$.wallboard.abandon_percent: must be a number from 0 to 100"),
    ({"asa_seconds": "15"}, "$.wallboard.asa_seconds: must be a number from 0 to 86400"),
    ([], "$.wallboard: must be an object"),
])
def test_a_bad_wallboard_object_stops_the_server_naming_the_path(tmp_path: Path, wallboard,
                                                                 message: str) -> None:
    access = tmp_path / "ops.json"
    access.write_text(json.dumps({"tokens": TOKENS, "wallboard": wallboard}))
    done = subprocess.run([str(binary("HOTLINE_OPS", "ops", "hotline-ops")), str(CENTER),
                           "--access", str(access), "--port", "0"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode != 0
    assert message in done.stderr, done.stderr


@pytest.mark.parametrize("path,content_type", [
    ("/", "text/html"), ("/wallboard.html", "text/html"), ("/supervisor.html", "text/html"),
    ("/agent.html", "text/html"), ("/ops.js", "text/javascript"), ("/ops.css", "text/css"),
    ("/vendor/chart.js", "text/javascript"),
])
def test_the_pages_are_served_without_a_token_with_their_type_and_policy(
        pages: PagesServer, path: str, content_type: str) -> None:
    reply = raw(pages, "GET", path)
    assert reply.status == 200
    assert reply.headers["content-type"].startswith(content_type)
    policy = reply.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert reply.headers["x-content-type-options"] == "nosniff"


def test_the_pages_are_the_files_of_the_web_folder(pages: PagesServer) -> None:
    assert raw(pages, "GET", "/wallboard.js").body == (WEB / "wallboard.js").read_bytes()
    assert raw(pages, "GET", "/vendor/chart.js").body == b"window.ChartStandIn = true;\n"


@pytest.mark.parametrize("path", [
    "/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc/passwd",
    "/%2E%2E/%2E%2E/etc/passwd", "/etc/passwd", "//etc/passwd", "/web/../../CMakeLists.txt",
    "/..\\..\\etc\\passwd", "/%00index.html", "/index.html%00.js", "/.%2e/.%2e/etc/passwd",
    "/ops_server.cpp", "/../ops_server.cpp", "/vendor/../../CMakeLists.txt", "/no-such-page.html",
])
def test_no_path_escapes_the_web_folder(pages: PagesServer, path: str) -> None:
    try:
        reply = raw(pages, "GET", path)
    except http.client.RemoteDisconnected:
        # libwebsockets drops a request whose path decodes to a NUL: refused, and served on.
        assert raw(pages, "GET", "/index.html").status == 200
        return
    assert reply.status in (400, 403, 404), (path, reply.status)
    assert b"root:" not in reply.body and b"cmake_minimum_required" not in reply.body
    assert b"#include" not in reply.body


def test_a_symbolic_link_out_of_the_web_folder_is_not_followed(tmp_path: Path) -> None:
    web = tmp_path / "web"
    web.mkdir()
    (web / "index.html").write_text("<!doctype html><title>t</title>")
    (web / "escape.js").symlink_to(REPO / "examples" / "ops" / "main.cpp")
    server = PagesServer(tmp_path)

    def command(access: Path) -> list[str]:
        return PagesServer.command(server, access) + ["--web", str(web)]

    server.command = command  # type: ignore[method-assign]
    server.start()
    try:
        assert raw(server, "GET", "/index.html").status == 200
        assert raw(server, "GET", "/escape.js").status == 404
    finally:
        assert server.stop() == 0


def test_a_page_path_takes_only_get(pages: PagesServer) -> None:
    assert raw(pages, "POST", "/wallboard.html", body=b"").status == 405


def test_the_api_keeps_its_own_policy_and_401_on_unknown_paths(pages: PagesServer) -> None:
    reply = raw(pages, "GET", "/api/v1/no-such-route")
    assert reply.status == 401
    assert reply.headers["content-security-policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("page", sorted(p.name for p in WEB.glob("*.html")))
def test_no_page_has_inline_script_or_style(page: str) -> None:
    text = (WEB / page).read_text()
    for tag in re.findall(r"<script\b[^>]*>(.*?)</script>", text, re.S | re.I):
        assert tag.strip() == "", f"{page}: inline script"
    assert all("src=" in t for t in re.findall(r"<script\b[^>]*>", text, re.I)), page
    assert not re.search(r"\son[a-z]+\s*=", text, re.I), f"{page}: an inline event handler"
    assert "style=" not in text and "<style" not in text, f"{page}: inline style"
    assert "http://" not in text and "https://" not in text, f"{page}: another origin"
