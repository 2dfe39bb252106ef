"""How the server reads a request's body over a raw socket: one answer per request, and no
waiting for a body it will not take."""
import socket
import time

from harness.server import SUPERVISOR, Server

BODY_LIMIT = 64 * 1024


def exchange(server: Server, head: str, body: bytes = b"", seconds: float = 5.0) -> bytes:
    """Sends `head` (CRLF-terminated header lines) and `body`, then reads until the server
    closes the connection or `seconds` pass; what came back."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=seconds) as sock:
        sock.sendall(head.encode() + b"\r\n" + body)
        received = b""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                break
            if not chunk:
                break
            received += chunk
        return received


def status_lines(reply: bytes) -> list[bytes]:
    return [line for line in reply.split(b"\r\n") if line.startswith(b"HTTP/1.")]


def test_a_get_with_a_body_is_answered_exactly_once(server: Server) -> None:
    reply = exchange(server, "GET /api/v1/queues HTTP/1.1\r\nHost: ops\r\n"
                     f"Authorization: Bearer {SUPERVISOR}\r\nContent-Length: 5\r\n"
                     "Connection: close\r\n", b"hello")
    assert status_lines(reply) == [b"HTTP/1.1 200 OK"], reply
    assert reply.count(b"content-length:") == 1, reply


def test_a_post_without_content_length_gets_411_at_once(server: Server) -> None:
    started = time.monotonic()
    reply = exchange(server, "POST /api/v1/agents/r01/state HTTP/1.1\r\nHost: ops\r\n"
                     f"Authorization: Bearer {SUPERVISOR}\r\n")
    assert status_lines(reply) == [b"HTTP/1.1 411 Length Required"], reply
    assert reply.endswith(b'{"error":"a Content-Length header is required"}'), reply
    assert time.monotonic() - started < 3.0
    # The server goes on serving.
    assert server.request("GET", "/api/v1/queues", SUPERVISOR).status == 200


def test_a_declared_oversized_body_gets_413_without_being_read(server: Server) -> None:
    started = time.monotonic()
    reply = exchange(server, "POST /api/v1/agents/r01/state HTTP/1.1\r\nHost: ops\r\n"
                     f"Authorization: Bearer {SUPERVISOR}\r\nContent-Length: {1 << 20}\r\n",
                     b"{" * 1024)
    assert status_lines(reply) == [b"HTTP/1.1 413 Request Entity Too Large"], reply
    assert time.monotonic() - started < 3.0
    assert server.request("GET", "/api/v1/queues", SUPERVISOR).status == 200


def test_a_body_over_the_limit_sent_whole_gets_413(server: Server) -> None:
    reply = server.request("POST", "/api/v1/agents/r01/state", SUPERVISOR,
                           raw_body=b" " * (BODY_LIMIT + 1))
    assert reply.status == 413
    assert reply.json() == {"error": "the body is too large"}


def test_a_body_at_the_limit_is_read(server: Server) -> None:
    body = b'{"state": "login"}'
    reply = server.request("POST", "/api/v1/agents/r01/state", SUPERVISOR,
                           raw_body=body + b" " * (BODY_LIMIT - len(body)))
    assert reply.status == 200, reply.body
