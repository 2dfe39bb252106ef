"""Connections: a flood of TCP connections is turned away at the host's descriptor budget,
without a busy loop, and SIP over UDP and TCP goes on."""
import secrets
import socket
import time

from harness import sip_wire
from harness.lab import Lab

OPEN_FILES = 256  # the host's RLIMIT_NOFILE in this test: its table for SIP is 192


def options_over_tcp(port: int) -> int | None:
    """The status a fresh TCP connection's OPTIONS is answered with, or None."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        local = conn.getsockname()[1]
        conn.sendall((
            f"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/TCP 127.0.0.1:{local};branch=z9hG4bK{secrets.token_hex(6)}\r\n"
            f"From: <sip:probe@127.0.0.1>;tag={secrets.token_hex(4)}\r\n"
            f"To: <sip:127.0.0.1:{port}>\r\n"
            f"Call-ID: {secrets.token_hex(8)}\r\n"
            "CSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n").encode())
        reply = b""
        while b"\r\n\r\n" not in reply:
            chunk = conn.recv(65535)
            if not chunk:
                break
            reply += chunk
        return sip_wire.status_code(reply)


def status_over_tcp(port: int) -> int | None:
    """As options_over_tcp, None when the host turns the connection away (closes or
    resets it: its table is full) or does not answer in time."""
    try:
        return options_over_tcp(port)
    except OSError:
        return None


def test_a_flood_of_tcp_connections_is_turned_away_without_a_busy_loop(lab: Lab) -> None:
    lab.center.tcp = True
    host = lab.start_host(open_files=OPEN_FILES)
    port = lab.center.sip_port
    assert options_over_tcp(port) == 200
    # What the host spends idle (statistics once a second; more under a sanitizer).
    before = host.cpu_seconds()
    time.sleep(3)
    idle = host.cpu_seconds() - before
    flood = []
    try:
        # More idle connections than the host may hold descriptors: once they ran out,
        # accept() failed, the listening socket stayed readable and the SIP thread spun.
        for _ in range(OPEN_FILES + 100):
            flood.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(1)
        before = host.cpu_seconds()
        time.sleep(3)
        spent = host.cpu_seconds() - before
        assert spent < idle + 0.5, \
            f"the host used {spent:.2f} s of CPU in 3 s holding idle connections ({idle:.2f} idle)"
        # UDP is answered all the while.
        assert sip_wire.options_status(port, 2.0) == 200
        assert host.alive()
    finally:
        for conn in flood:
            conn.close()
    # Once the flood is gone, TCP phones are served again.
    deadline = time.monotonic() + 10
    status = None
    while time.monotonic() < deadline and status != 200:
        status = status_over_tcp(port)
    assert status == 200
