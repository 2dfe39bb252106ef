"""Bad input over the wire, while a normal call runs alongside: a clear error or a drop,
never a crash, and the call completes."""
import secrets
import socket
import struct
import time

import pytest

from harness import sip_wire
from harness.checks import assert_answered_by, assert_completed, wait_available
from harness.lab import Lab


# A usable offer (PCMA to a port nobody listens on), so only the missing header is wrong.
SDP_OFFER = ("v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
             "m=audio 9 RTP/AVP 8\r\na=rtpmap:8 PCMA/8000\r\n")


def invite(port: int, local_port: int, without: str | None = None) -> bytes:
    """An INVITE to the bank's number with every mandatory header (but `without`)."""
    lines = [
        f"INVITE sip:1000@127.0.0.1:{port} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK{secrets.token_hex(6)}",
        f"From: <sip:5550199@127.0.0.1:{local_port}>;tag={secrets.token_hex(4)}",
        f"To: <sip:1000@127.0.0.1:{port}>",
        f"Call-ID: {secrets.token_hex(8)}",
        "CSeq: 1 INVITE",
        "Max-Forwards: 70",
        f"Contact: <sip:5550199@127.0.0.1:{local_port}>",
        "Content-Type: application/sdp",
        f"Content-Length: {len(SDP_OFFER)}",
    ]
    kept = [line for line in lines if not without or not line.startswith(without + ":")]
    assert len(kept) == len(lines) - (1 if without else 0)
    return ("\r\n".join(kept) + "\r\n\r\n" + SDP_OFFER).encode()


def padded_options(port: int, local_port: int, padding: int) -> bytes:
    """An OPTIONS with one header of `padding` bytes."""
    request = sip_wire.options_request(port, local_port).decode()
    head, rest = request.split("Max-Forwards", 1)
    return (head + "X-Padding: " + "a" * padding + "\r\nMax-Forwards" + rest).encode()


def assert_error_or_silence(replies: list[bytes], what: str) -> None:
    for reply in replies:
        status = sip_wire.status_code(reply)
        # A provisional 100 may precede the refusal; nothing may accept the request.
        assert status is not None and (status == 100 or 400 <= status < 700), \
            f"{what}: unexpected reply {reply[:200]!r}"


def assert_client_error(replies: list[bytes], what: str) -> None:
    """A 100 Trying at most, then a 4xx that blames the request, and nothing else."""
    statuses = [sip_wire.status_code(reply) for reply in replies]
    finals = [status for status in statuses if status != 100]
    assert finals, f"{what}: no final response"
    first_lines = [reply.split(b"\r\n", 1)[0] for reply in replies]
    assert all(status is not None and 400 <= status < 500 for status in finals), \
        f"{what}: {first_lines}"


def rtp_packet(sequence: int) -> bytes:
    header = struct.pack("!BBHII", 0x80, 8, sequence, sequence * 160, 0x5EED)
    return header + b"\xd5" * 160


def test_malformed_sip_and_stranger_rtp_while_a_call_completes(lab: Lab) -> None:
    lab.add_phone("a01")
    host = lab.start_host()
    phone = lab.answer_as("a01", "agent_answers.xml")
    assert_completed(lab.register("a01"))
    wait_available(host, "a01")
    port = lab.center.sip_port

    caller = lab.caller("caller_bank_hangs_up.xml")
    caller_leg_port = int(caller.wait_logged("host_rtp_port"))
    time.sleep(2.0)  # the caller's keys have reached the host: its leg knows its peer

    assert_error_or_silence(sip_wire.exchange(port, secrets.token_bytes(700)), "garbage")
    assert_error_or_silence(sip_wire.exchange(port, b"\r\n\r\nINVITE\x00\xff SIP/9\r\n\r\n"),
                            "a broken request line")
    assert_error_or_silence(sip_wire.exchange(port, lambda local: padded_options(port, local, 20000)),
                            "an oversized message")

    bad_sdp = lab.caller("caller_unusable_sdp.xml", name="bad-sdp")
    assert_completed(bad_sdp.wait())  # the scenario passes only on a 488

    dropped_before = host.counter("packets_dropped_stranger")
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stranger:
        stranger.bind(("127.0.0.1", 0))
        for sequence in range(50):
            stranger.sendto(rtp_packet(sequence), ("127.0.0.1", caller_leg_port))
    host.wait_for("the stranger's packets dropped and counted",
                  lambda: host.counter("packets_dropped_stranger") - dropped_before >= 50,
                  seconds=5)

    # The call that ran through all of it completes normally.
    assert_completed(caller.wait())
    assert_completed(phone.wait(within=15))
    assert_answered_by(host, "a01")
    assert host.alive()
    assert sip_wire.options_status(port) == 200


@pytest.mark.parametrize("header", ["Call-ID", "CSeq", "Via", "From", "To", "Contact"])
def test_invite_missing_a_mandatory_header_is_refused_with_a_client_error(
        lab: Lab, header: str) -> None:
    host = lab.start_host()
    port = lab.center.sip_port
    replies = sip_wire.exchange(port, lambda local: invite(port, local, without=header), 2.0)
    if header == "Via":
        # Without a Via there is nowhere to answer: a drop is as good as an error.
        assert_error_or_silence(replies, "an INVITE without Via")
    else:
        assert_client_error(replies, f"an INVITE without {header}")
    time.sleep(1.2)  # the host's next stats write
    assert host.stats()["sip"]["calls_total"] == 0, host.stats()["sip"]
    assert not [e for e in host.events() if e.get("kind") == "call_started"], host.events()


def test_request_over_the_message_limit_is_refused_with_513(lab: Lab) -> None:
    lab.center.max_message_bytes = 4096
    host = lab.start_host()
    port = lab.center.sip_port
    replies = sip_wire.exchange(port, lambda local: padded_options(port, local, 6000))
    assert [sip_wire.status_code(reply) for reply in replies] == [513], replies
    time.sleep(1.2)  # the host's next stats write
    assert host.stats()["sip"]["oversized"] >= 1, host.stats()["sip"]


def test_datagram_over_the_udp_receive_size_is_dropped_and_the_host_serves_on(lab: Lab) -> None:
    # libre reads SIP over UDP into 8 kB; a larger datagram cannot be read whole, so it is
    # dropped unanswered (docs/sip-host.md, limits), and nothing else is disturbed.
    host = lab.start_host()
    port = lab.center.sip_port
    replies = sip_wire.exchange(port, lambda local: padded_options(port, local, 20000))
    assert not [r for r in replies if sip_wire.status_code(r) == 200], replies
    assert host.alive()
    assert sip_wire.options_status(port) == 200


def test_a_caller_who_never_acknowledges_the_answer_is_let_go_when_the_host_stops(
        lab: Lab) -> None:
    # libre keeps an answered session alive by itself until the ACK comes (up to 32 s),
    # holding the SIP stack: stopping meanwhile must still free everything and unbind.
    host = lab.start_host()
    port = lab.center.sip_port
    replies = sip_wire.exchange(port, lambda local: invite(port, local), 1.8)
    statuses = [sip_wire.status_code(reply) for reply in replies]
    # The 200 is sent again and again: the host is waiting for the ACK.
    assert statuses.count(200) >= 2, statuses
    code = host.stop()
    report = host.sanitizer_report()
    assert report is None, f"hotline-sip sanitizer report:\n{report[-6000:]}"
    assert code == 0, host.stderr_tail()


def test_a_caller_who_never_answers_the_hosts_bye_is_let_go_when_the_host_stops(
        lab: Lab) -> None:
    # Stopping hangs the call up with a BYE; libre keeps the session until the BYE is
    # answered (up to 32 s), and this caller never answers it.
    host = lab.start_host()
    port = lab.center.sip_port
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(2.0)
        local = sock.getsockname()[1]
        sock.sendto(invite(port, local), ("127.0.0.1", port))
        answer = b""
        while sip_wire.status_code(answer) != 200:
            answer = sock.recv(65535)
        sock.sendto(sip_wire.ack_for(answer, port, local, "1000"), ("127.0.0.1", port))
        time.sleep(0.5)
        code = host.stop()
        byes = sip_wire.received(sock)
    assert any(bye.startswith(b"BYE ") for bye in byes), byes
    report = host.sanitizer_report()
    assert report is None, f"hotline-sip sanitizer report:\n{report[-6000:]}"
    assert code == 0, host.stderr_tail()
