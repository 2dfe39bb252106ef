"""Registration: digest authentication guards the agents' logins, and expiry logs out."""
import secrets
import socket
import time

from harness import sip_wire
from harness.checks import assert_answered_by, assert_completed, wait_available
from harness.lab import Lab


def test_wrong_password_is_refused_and_never_offered_a_call(lab: Lab) -> None:
    lab.add_phone("a01", password="right", position=0)
    lab.add_phone("a02", position=1)
    host = lab.start_host()
    intruder = lab.answer_as("a01", "agent_answers.xml")
    phone = lab.answer_as("a02", "agent_answers.xml")
    # register_refused.xml completes only on 403 (or a second 401) after the challenge.
    assert_completed(lab.register("a01", password="wrong", refused=True))
    assert_completed(lab.register("a02"))
    wait_available(host, "a02")
    assert_completed(lab.caller("caller_bank_hangs_up.xml").wait())
    assert_completed(phone.wait(within=15))
    assert_answered_by(host, "a02")
    assert not host.routing("offer", agent_id="a01"), host.events()
    assert not host.routing("agent_state_changed", agent_id="a01"), host.events()
    # The refused phone's SIPp never saw an INVITE.
    assert not intruder.logged("screen_pop_call")
    assert intruder.process is not None and intruder.process.poll() is None


def test_registration_that_expires_logs_the_agent_out(lab: Lab) -> None:
    lab.add_phone("a01")
    host = lab.start_host()
    registered_at = time.monotonic()
    assert_completed(lab.register("a01", expires=2))
    wait_available(host, "a01")
    host.wait_for("a01 logged out by expiry", lambda: host.routing(
        "agent_state_changed", agent_id="a01", to="logged_out"), seconds=15)
    assert time.monotonic() - registered_at >= 1.5, "logged out before the registration expired"


def test_an_expires_too_large_for_32_bits_is_cut_to_the_maximum_not_read_as_0(lab: Lab) -> None:
    phone = lab.agents_ready([("a01", "agent_answers.xml")])["a01"]
    host = lab.started_host
    # 2^32 - 1 and 2^32 once wrapped round to an unregistration and a logout.
    assert_completed(lab.register("a01", expires=4294967295))
    assert_completed(lab.register("a01", expires=4294967296))
    assert not host.routing("agent_state_changed", agent_id="a01", to="logged_out"), \
        host.events()
    # Still the agent who takes the next call.
    assert_completed(lab.caller("caller_bank_hangs_up.xml").wait())
    assert_completed(phone.wait(within=15))
    assert_answered_by(host, "a01")


def test_agent_whose_phone_unregisters_mid_call_logs_out_when_the_call_ends(lab: Lab) -> None:
    phone = lab.agents_ready([("a01", "agent_answers.xml")])["a01"]
    host = lab.started_host
    caller = lab.caller("caller_bank_hangs_up.xml")
    host.wait_for("a01 to answer", lambda: host.routing("offer_accepted", agent_id="a01"),
                  seconds=30)
    # The phone says goodbye (Expires: 0) while its agent is talking.
    assert_completed(lab.register("a01", expires=0))
    assert not host.routing("agent_state_changed", agent_id="a01", to="logged_out"), \
        "logged out in the middle of a conversation"
    assert_completed(caller.wait())
    assert_completed(phone.wait(within=15))
    logged_out = host.wait_for("a01 logged out after the call", lambda: host.routing(
        "agent_state_changed", agent_id="a01", to="logged_out"), seconds=15)
    events = host.events()
    ended = next(i for i, e in enumerate(events) if e.get("kind") == "call_ended")
    assert events.index(logged_out[0]) > ended, events
    # Not offered anything in between, and the engine never refused a logout.
    assert len(host.routing("offer", agent_id="a01")) == 1, events
    assert not [e for e in events if e.get("kind") == "host_error"], events


def test_credentials_replayed_with_another_contact_are_challenged_not_bound(lab: Lab) -> None:
    """The digest does not cover the Contact: a copy of a phone's REGISTER, sent again with
    the copier's address, must not move the agent's calls there. A retransmission of the
    very same bytes (the 200 was lost) is answered, but not applied again: it cannot undo
    what the phone did since."""
    lab.add_phone("a01")
    host = lab.start_host()
    port = lab.center.sip_port
    uri = f"sip:127.0.0.1:{port}"
    call_id = secrets.token_hex(8)
    tag = secrets.token_hex(4)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as phone:
        phone.bind(("127.0.0.1", 0))
        phone.settimeout(3)
        local = phone.getsockname()[1]

        def register(cseq: int, contact_port: int, authorization: str = "",
                     expires: int = 600) -> bytes:
            return (f"REGISTER {uri} SIP/2.0\r\n"
                    f"Via: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bK{secrets.token_hex(6)}\r\n"
                    f"From: <sip:a01@127.0.0.1>;tag={tag}\r\n"
                    f"To: <sip:a01@127.0.0.1>\r\n"
                    f"Call-ID: {call_id}\r\n"
                    f"CSeq: {cseq} REGISTER\r\n"
                    f"Contact: <sip:a01@127.0.0.1:{contact_port}>\r\n"
                    f"{authorization}Expires: {expires}\r\nMax-Forwards: 70\r\n"
                    "Content-Length: 0\r\n\r\n").encode()

        def final_reply(request: bytes) -> bytes:
            phone.sendto(request, ("127.0.0.1", port))
            while True:
                reply = phone.recv(65535)
                status = sip_wire.status_code(reply)
                if status is not None and status >= 200:
                    return reply

        def answer(reply: bytes) -> str:
            return sip_wire.digest_authorization(
                "a01", "pw-a01", sip_wire.header_of(reply, "WWW-Authenticate"), "REGISTER", uri)

        challenge = final_reply(register(1, local))
        assert sip_wire.status_code(challenge) == 401
        credentials = answer(challenge)
        accepted = register(2, local, credentials)
        assert sip_wire.status_code(final_reply(accepted)) == 200
        wait_available(host, "a01")
        # The same bytes again: a retransmission, answered with the binding.
        again = final_reply(accepted)
        assert sip_wire.status_code(again) == 200
        assert f":{local}>" in (sip_wire.header_of(again, "Contact") or ""), again
        # The same credentials with another Contact: a replay.
        replay = final_reply(register(3, local + 1, credentials))
        assert sip_wire.status_code(replay) == 401, replay
        fresh = sip_wire.header_of(replay, "WWW-Authenticate")
        assert "stale=true" in fresh, fresh
        host.wait_for("the replay counted", lambda: host.counter("registers_replayed") == 1,
                      seconds=10)
        # The phone itself answers the fresh challenge and stays registered ...
        assert sip_wire.status_code(final_reply(register(4, local, answer(replay)))) == 200
        host.wait_for("one registration", lambda: host.counter("registrations") == 1,
                      seconds=10)
        assert not host.routing("agent_state_changed", agent_id="a01", to="logged_out"), \
            host.events()
        # ... then unregisters, under a nonce of its own.
        challenge = final_reply(register(5, local, expires=0))
        assert sip_wire.status_code(challenge) == 401
        assert sip_wire.status_code(
            final_reply(register(6, local, answer(challenge), expires=0))) == 200
        host.wait_for("a01 logged out", lambda: host.routing(
            "agent_state_changed", agent_id="a01", to="logged_out"), seconds=10)
        # The first REGISTER's bytes once more, within its retransmission window: answered
        # with the bindings as they stand (none), and the agent stays logged out.
        late = final_reply(accepted)
        assert sip_wire.status_code(late) == 200
        assert sip_wire.header_of(late, "Contact") is None, late
    time.sleep(1.5)
    assert host.counter("registrations") == 0
    changes = host.routing("agent_state_changed", agent_id="a01")
    assert changes[-1]["to"] == "logged_out", changes


def test_a_flood_of_refused_registers_writes_a_few_warnings_and_counts_them_all(lab: Lab) -> None:
    """Anyone who reaches the port can cause a warning per packet (an unknown user, a wrong
    password): a loop of them must not write a log line each. A few of each kind are
    written, the last saying that more are held back; the statistics count every one."""
    lab.add_phone("a01", password="right")
    host = lab.start_host()
    port = lab.center.sip_port
    uri = f"sip:127.0.0.1:{port}"
    unknown, wrong = 30, 15
    started = time.monotonic()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as phone:
        phone.bind(("127.0.0.1", 0))
        phone.settimeout(3)
        local = phone.getsockname()[1]

        def final_reply(user: str, cseq: int, authorization: str = "") -> bytes:
            phone.sendto((f"REGISTER {uri} SIP/2.0\r\n"
                          f"Via: SIP/2.0/UDP 127.0.0.1:{local};"
                          f"branch=z9hG4bK{secrets.token_hex(6)}\r\n"
                          f"From: <sip:{user}@127.0.0.1>;tag=f{cseq}\r\n"
                          f"To: <sip:{user}@127.0.0.1>\r\n"
                          f"Call-ID: flood-{cseq}\r\nCSeq: {cseq} REGISTER\r\n"
                          f"Contact: <sip:{user}@127.0.0.1:{local}>\r\n"
                          f"{authorization}Expires: 600\r\nMax-Forwards: 70\r\n"
                          "Content-Length: 0\r\n\r\n").encode(), ("127.0.0.1", port))
            while True:
                reply = phone.recv(65535)
                status = sip_wire.status_code(reply)
                if status is not None and status >= 200:
                    return reply

        for i in range(unknown):
            assert sip_wire.status_code(final_reply(f"nobody{i}", i + 1)) == 404
        for i in range(wrong):
            challenge = final_reply("a01", 100 + 2 * i)
            assert sip_wire.status_code(challenge) == 401
            guess = sip_wire.digest_authorization(
                "a01", f"guess{i}", sip_wire.header_of(challenge, "WWW-Authenticate"),
                "REGISTER", uri)
            assert sip_wire.status_code(final_reply("a01", 101 + 2 * i, guess)) == 403
    elapsed = time.monotonic() - started
    host.wait_for("every refusal counted",
                  lambda: host.counter("registers_refused") == unknown + wrong, seconds=10)
    log = host.stderr_path.read_text(errors="replace").splitlines()
    unknown_lines = [line for line in log if "unknown user" in line]
    wrong_lines = [line for line in log if "wrong password" in line]
    # Ten of a kind per ten seconds: the flood took one window, or a few on a slow machine.
    allowed = 10 * (1 + int(elapsed // 10) + 1)
    assert 1 <= len(unknown_lines) <= min(allowed, unknown - 1), unknown_lines
    assert 1 <= len(wrong_lines) <= min(allowed, wrong - 1), wrong_lines
    assert any("held back" in line for line in unknown_lines), unknown_lines
    assert any("held back" in line for line in wrong_lines), wrong_lines
    # The refused flood left the host answering.
    assert sip_wire.options_status(port, 2.0) == 200
