"""Bad input over the wire, while a normal call runs alongside: a clear error or a drop,
never a crash, and the call completes."""
import secrets
import socket
import struct
import time

from harness import sip_wire
from harness.checks import assert_answered_by, assert_completed, wait_available
from harness.lab import Lab


def request_without(header: str, port: int) -> bytes:
    """An INVITE with every mandatory header but `header`."""
    lines = [
        f"INVITE sip:1000@127.0.0.1:{port} SIP/2.0",
        f"Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK{secrets.token_hex(6)}",
        f"From: <sip:5550199@127.0.0.1:5999>;tag={secrets.token_hex(4)}",
        f"To: <sip:1000@127.0.0.1:{port}>",
        f"Call-ID: {secrets.token_hex(8)}",
        "CSeq: 1 INVITE",
        "Max-Forwards: 70",
        "Contact: <sip:5550199@127.0.0.1:5999>",
        "Content-Length: 0",
    ]
    kept = [line for line in lines if not line.startswith(header + ":")]
    assert len(kept) == len(lines) - 1
    return ("\r\n".join(kept) + "\r\n\r\n").encode()


def oversized_options(port: int) -> bytes:
    """An OPTIONS of about 40 kB (one header of 40,000 bytes): over the host's message limit."""
    request = sip_wire.options_request(port, 5999).decode()
    head, rest = request.split("Max-Forwards", 1)
    return (head + "X-Padding: " + "a" * 40000 + "\r\nMax-Forwards" + rest).encode()


def assert_error_or_silence(replies: list[bytes], what: str) -> None:
    for reply in replies:
        status = sip_wire.status_code(reply)
        # A provisional 100 may precede the refusal; nothing may accept the request.
        assert status is not None and (status == 100 or 400 <= status < 700), \
            f"{what}: unexpected reply {reply[:200]!r}"


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
    for header in ("Call-ID", "CSeq", "Via", "From", "To"):
        assert_error_or_silence(sip_wire.exchange(port, request_without(header, port)),
                                f"an INVITE without {header}")
    assert_error_or_silence(sip_wire.exchange(port, oversized_options(port)),
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
