"""Mutated SIP for a while: requests of every method the host meets, inside live IVR calls
and outside any dialog, with header values replaced by hostile ones, lines repeated, cut or
dropped and bytes flipped. The host must answer OPTIONS all along and stop cleanly (no
sanitizer report: the suite runs the sanitized build). A run of this kind found sessions
left behind at shutdown (test_malformed.py)."""
import random
import secrets
import socket
import time

from harness import sip_wire
from harness.center import BANK_NUMBER
from harness.lab import Lab

SECONDS = 20.0
SEED = 20261203

SDP = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
       "m=audio {port} RTP/AVP 8 0 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:0 PCMU/8000\r\n"
       "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=sendrecv\r\n")

METHODS = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "REFER", "NOTIFY",
           "SUBSCRIBE", "MESSAGE", "UPDATE", "PRACK", "PUBLISH", "FOO"]

# Request-URI users: the IVR, an agent, feature codes, unknown and undecodable ones.
USERS = [BANK_NUMBER, "a01", "*1a01", "*3a01", "9999", "%ff"]

# Values a header or a body line may be given instead of its own.
HOSTILE = ["", "0", "-1", "4294967296", "99999999999999999999", "\x00", "%", "%zz", "%00",
           "é", "\xff", "张三", "*1a01", "*61#", "*8+4930123#", "sip:", "<>", ";;;", "a" * 3000,
           "<sip:a01@127.0.0.1?Replaces=x%3Bto-tag%3D%3Bfrom-tag%3D>", "<sip:%ff@x>",
           "Signal=*\r\nDuration=-5", "message/sipfrag", "application/dtmf-relay",
           "c=IN IP4 0.0.0.0", "a=inactive", "m=audio 65536 RTP/AVP 8", "m=audio 1 RTP/AVP"]

# Whole lines that may be slipped in.
EXTRA_LINES = ["Content-Length: 5", "Content-Length: 99999", "Content-Length: -3",
               "Expires: 4294967296", "Refer-To: <sip:%ff@127.0.0.1>", "Replaces: a;to-tag=",
               "Event: refer", "Require: replaces", "Require: 100rel",
               'Authorization: Digest username="a01", realm="hotline", nonce="x", '
               'uri="sip:x", response="00", nc=zz, qop=auth, cnonce="c"']


def request(method: str, port: int, local: int, dialog: tuple[str, str, str], cseq: int,
            user: str, rng: random.Random) -> str:
    call_id, from_tag, to_tag = dialog
    lines = [f"{method} sip:{user}@127.0.0.1:{port} SIP/2.0",
             f"Via: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bK{secrets.token_hex(6)};rport",
             f"From: <sip:5550100@127.0.0.1:{local}>;tag={from_tag}",
             f"To: <sip:{user}@127.0.0.1:{port}>" + (f";tag={to_tag}" if to_tag else ""),
             f"Call-ID: {call_id}", f"CSeq: {cseq} {method}", "Max-Forwards: 70",
             f"Contact: <sip:5550100@127.0.0.1:{local}>"]
    body, content_type = "", None
    if method in ("INVITE", "UPDATE"):
        body, content_type = SDP.format(port=20000 + 2 * rng.randrange(1000)), "application/sdp"
    elif method == "INFO":
        body = f"Signal={rng.choice('0123456789*#')}\r\nDuration=160\r\n"
        content_type = "application/dtmf-relay"
    elif method == "REFER":
        lines.append(f"Refer-To: <sip:{rng.choice(['a01', 'q1', '+4930123'])}@127.0.0.1>")
    elif method == "NOTIFY":
        body, content_type = "SIP/2.0 200 OK\r\n", "message/sipfrag"
        lines.append("Event: refer")
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines.append(f"Content-Length: {len(body.encode())}")
    return "\r\n".join(lines) + "\r\n\r\n" + body


def mutated(text: str, rng: random.Random) -> bytes:
    lines = text.split("\r\n")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        change = rng.randrange(7)
        if change == 0 and ":" in lines[i]:
            lines[i] = lines[i].split(":", 1)[0] + ": " + rng.choice(HOSTILE)
        elif change == 1:
            lines.insert(i, rng.choice(lines))
        elif change == 2:
            del lines[i]
        elif change == 3 and lines[i]:
            at = rng.randrange(len(lines[i]))
            lines[i] = lines[i][:at] + rng.choice(HOSTILE) + lines[i][at:]
        elif change == 4:
            lines[i] = lines[i][:rng.randrange(len(lines[i]) + 1)]
        elif change == 5:
            lines.insert(i, rng.choice(EXTRA_LINES))
        else:
            raw = bytearray(lines[i].encode("utf-8", "surrogateescape"))
            if raw:
                raw[rng.randrange(len(raw))] = rng.randrange(256)
            lines[i] = raw.decode("utf-8", "surrogateescape")
    return "\r\n".join(lines).encode("utf-8", "surrogateescape")


def answered_dialog(sock: socket.socket, port: int,
                    rng: random.Random) -> tuple[str, str, str] | None:
    """An IVR call set up and ACKed on `sock`: (Call-ID, From tag, To tag), or None when no
    200 came within half a second."""
    dialog = (secrets.token_hex(8), secrets.token_hex(4), "")
    local = sock.getsockname()[1]
    sock.sendto(request("INVITE", port, local, dialog, 1, BANK_NUMBER, rng).encode(),
                ("127.0.0.1", port))
    deadline = time.monotonic() + 0.5
    while time.monotonic() < deadline:
        try:
            reply = sock.recv(65535)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        if sip_wire.status_code(reply) == 200 and dialog[0].encode() in reply:
            to = sip_wire.header_of(reply, "To")
            dialog = (dialog[0], dialog[1], to.split("tag=", 1)[1].split(";")[0])
            sock.sendto(sip_wire.ack_for(reply, port, local, BANK_NUMBER), ("127.0.0.1", port))
            return dialog
    return None


def test_mutated_requests_in_and_out_of_live_calls_leave_the_host_serving(lab: Lab) -> None:
    lab.add_phone("a01")
    host = lab.start_host()
    port = lab.center.sip_port
    rng = random.Random(SEED)
    dialogs: list[tuple[str, str, str]] = []
    sent = 0
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.setblocking(False)
        local = sock.getsockname()[1]
        deadline = time.monotonic() + SECONDS
        while time.monotonic() < deadline:
            if not dialogs or rng.random() < 0.02:
                dialog = answered_dialog(sock, port, rng)
                if dialog:
                    dialogs = (dialogs + [dialog])[-20:]
            if dialogs and rng.random() < 0.7:
                dialog = rng.choice(dialogs)
            else:
                dialog = (secrets.token_hex(8), secrets.token_hex(4), "")
            text = request(rng.choice(METHODS), port, local, dialog, rng.randint(1, 50),
                           rng.choice(USERS), rng)
            sock.sendto(mutated(text, rng) if rng.random() < 0.8 else text.encode(),
                        ("127.0.0.1", port))
            sent += 1
            try:
                while True:
                    sock.recv(65535)  # the replies are not judged, only the host's health
            except BlockingIOError:
                pass
            if sent % 300 == 0:
                assert host.alive(), host.stderr_tail()
                assert sip_wire.options_status(port, 5.0) == 200, f"after {sent} requests"
    assert dialogs, "no IVR call was answered"
    assert sent > 500, f"only {sent} requests in {SECONDS} s"
    assert host.alive(), host.stderr_tail()
    assert sip_wire.options_status(port, 5.0) == 200
    # Lab.close stops the host: exit 0 and no sanitizer report, or the test fails.
