"""Transfers, consultation, conference and mute asked for by the agent's phone itself: REFER
(RFC 3515, with Replaces of RFC 3891 for an attended transfer), a second INVITE while the call
is held, and in-call feature codes pressed as keys. Every party is a Python phone sending a
tone of its own (harness/softphone.py), so each test checks who hears whom by tone power.
"""
import secrets
import threading
import time

import pytest

from harness import sip_wire
from harness.checks import wait_available
from harness.center import QUEUE_NUMBER
from harness.lab import Lab
from harness.softphone import Softphone
from test_call_control import ABSENT, AGENT_HZ, CALLER_HZ, MUSIC_HZ, PRESENT, Call, listen

SECOND_AGENT_HZ = 1300.0
SUPERVISOR_HZ = 1500.0
TRUNK_HZ = 1700.0


class Transfer(Call):
    """A caller connected to agent a01, and agent a02 registered and free; with `trunk`, a
    phone that answers for the host's trunk ($.sip.trunk), where numbers are sent."""

    def __init__(self, lab: Lab, extra_phones: list[tuple[str, str]] = [],
                 trunk: bool = False) -> None:
        self.trunk = Softphone("trunk", "", lab.center.sip_port, TRUNK_HZ) if trunk else None
        if self.trunk:
            lab.center.trunk = f"sip:127.0.0.1:{self.trunk.port}"
        super().__init__(lab, [("a02", "agent")] + extra_phones)
        if self.trunk:
            self.phones.append(self.trunk)
        self.second = self.phone("a02", "pw-a02", lab.center.sip_port, SECOND_AGENT_HZ)
        self.second.register()
        wait_available(self.host, "a02")

    def events_of(self, kind: str, **fields) -> list[dict]:
        return [e for e in self.host.events() if e.get("kind") == kind and
                all(e.get(k) == v for k, v in fields.items())]

    def hold(self) -> None:
        """Holds the call and waits until the host itself holds it (the caller on music):
        the engine's "held" notification comes before the host carries out the engine's
        hold command. The fixture's one call is c1."""
        self.agent.reinvite("sendonly")
        self.host.wait_for("the hold", lambda: self.conversation("held"))
        self.host.wait_for("the host's hold", lambda: "call c1: on hold" in
                           self.host.stderr_path.read_text(errors="replace"))

    def consult_second(self) -> None:
        """Holds the call, then a01's phone calls a02, who answers: the consultation."""
        self.hold()
        since = listen()
        assert self.caller.hears(MUSIC_HZ, since) > PRESENT
        answering = threading.Thread(target=self.second.answer)
        answering.start()
        final = self.agent.consult("a02")
        answering.join(10)
        assert final.status == 200, final.first
        self.host.wait_for("the consultation", lambda: self.conversation("consulting"))


@pytest.fixture
def transfer(lab: Lab):
    made: list[Transfer] = []

    def make(extra_phones: list[tuple[str, str]] = [], trunk: bool = False) -> Transfer:
        made.append(Transfer(lab, extra_phones, trunk))
        return made[-1]

    yield make
    for call in made:
        call.close()


def logged(call: Call) -> str:
    return call.host.stderr_path.read_text(errors="replace")


def wait_until(what: str, condition, seconds: float = 10.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_blind_transfer_by_refer_hands_the_caller_to_the_named_agent(transfer) -> None:
    call = transfer()
    answering = threading.Thread(target=call.second.answer)
    answering.start()
    accepted = call.agent.refer("a02")
    assert accepted.status == 202, accepted.first
    answering.join(15)
    # RFC 3515: the subscription says Trying, then the outcome, and the transferor is let go.
    bodies = wait_until("the final NOTIFY",
                        lambda: len(call.agent.notify_bodies()) >= 2 and call.agent.notify_bodies())
    assert bodies[0] == "SIP/2.0 100 Trying", bodies
    assert bodies[-1] == "SIP/2.0 200 OK", bodies
    assert all("message/sipfrag" in n.header("content-type") for n in call.agent.notifies)
    assert all(n.header("event").startswith("refer") for n in call.agent.notifies)
    assert "terminated" in call.agent.notifies[-1].header("subscription-state")
    wait_until("a01's dialog to end", lambda: call.agent.byes >= 1)
    call.host.wait_for("the transfer", lambda: call.events_of("transferred", agent_id="a01"))
    since = listen()
    assert call.caller.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) < ABSENT
    assert call.second.hears(CALLER_HZ, since) > PRESENT
    # The new agent's BYE is the agent's: the caller stays for the engine to decide.
    call.caller.hang_up()
    call.host.wait_for("the call's end", lambda: call.events_of("call_ended"))


def test_blind_transfer_to_an_agent_the_engine_refuses_is_notified_as_failed(transfer) -> None:
    call = transfer()
    accepted = call.agent.refer("a01")  # to the agent who has the call already
    assert accepted.status == 202, accepted.first
    bodies = wait_until("the final NOTIFY", lambda: len(call.agent.notify_bodies()) >= 2 and
                        call.agent.notify_bodies())
    assert bodies[-1] == "SIP/2.0 403 Forbidden", bodies
    since = listen()  # the call goes on as it was
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.agent.byes == 0
    call.caller.hang_up()


def test_refer_from_the_caller_or_outside_a_call_is_refused(transfer) -> None:
    call = transfer()
    refused = call.caller.refer("a02")  # only the agent's phone transfers the call
    assert refused.status == 403, refused.first
    port = call.host.center.sip_port

    def refer(to_tag: str):
        def build(local_port: int) -> bytes:
            return (f"REFER sip:a01@127.0.0.1:{port} SIP/2.0\r\n"
                    f"Via: SIP/2.0/UDP 127.0.0.1:{local_port};branch=z9hG4bK"
                    f"{secrets.token_hex(6)}\r\n"
                    f"From: <sip:x@127.0.0.1:{local_port}>;tag=f1\r\n"
                    f"To: <sip:a01@127.0.0.1>{to_tag}\r\n"
                    f"Call-ID: {secrets.token_hex(8)}\r\nCSeq: 1 REFER\r\n"
                    f"Contact: <sip:x@127.0.0.1:{local_port}>\r\n"
                    "Refer-To: <sip:a02@127.0.0.1>\r\nMax-Forwards: 70\r\n"
                    "Content-Length: 0\r\n\r\n").encode()
        return [sip_wire.status_code(r) for r in sip_wire.exchange(port, build)]

    assert 403 in refer("")
    assert 481 in refer(";tag=nobody")
    call.caller.hang_up()


def test_a_second_call_while_held_consults_and_its_bye_returns_to_the_caller(transfer) -> None:
    call = transfer()
    call.consult_second()
    since = listen()
    # Consulting: the agent and a02 talk, the caller hears music and neither of them.
    assert call.second.hears(AGENT_HZ, since) > PRESENT
    assert call.agent.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) < ABSENT
    assert call.caller.hears(SECOND_AGENT_HZ, since) < ABSENT
    assert call.second.hears(CALLER_HZ, since) < ABSENT

    call.agent.hang_up_consultation()  # consult_cancel: a02's leg is hung up by the engine
    wait_until("a02's dialog to end", lambda: call.second.byes >= 1)
    call.host.wait_for("back to held", lambda: len(call.conversation("held")) >= 2)
    call.agent.reinvite("sendrecv")
    call.host.wait_for("the resume", lambda: len(call.conversation("connected")) >= 2)
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) > PRESENT
    assert call.caller.hears(SECOND_AGENT_HZ, since) < ABSENT
    call.caller.hang_up()


def test_attended_transfer_by_refer_with_replaces_hands_the_caller_to_the_consulted_agent(
        transfer) -> None:
    call = transfer()
    call.consult_second()
    consultation = dict(call.agent.consultation)
    accepted = call.agent.refer("a02", replaces=consultation)
    assert accepted.status == 202, accepted.first
    bodies = wait_until("the final NOTIFY", lambda: len(call.agent.notify_bodies()) >= 2 and
                        call.agent.notify_bodies())
    assert bodies[-1] == "SIP/2.0 200 OK", bodies
    # Both of the transferring agent's dialogs end.
    wait_until("a01's dialogs to end", lambda: call.agent.byes >= 2)
    assert consultation["call_id"] in call.agent.bye_call_ids
    call.host.wait_for("the transfer", lambda: call.events_of("transferred", agent_id="a01"))
    since = listen()
    assert call.caller.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.second.hears(CALLER_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) < ABSENT
    assert call.caller.hears(MUSIC_HZ, since) < ABSENT
    # a02 owns the call now: its BYE is the agent's hang-up, not a leg's end.
    call.second.hang_up()
    call.host.wait_for("a02's hang-up", lambda: call.events_of("call_ended") or [
        e for e in call.host.events() if e.get("kind") == "conversation"
        and e.get("text") == "ended"])
    assert not [e for e in call.host.events() if e.get("kind") == "host_error"], \
        call.host.events()
    call.caller.hang_up()


def test_a_consultation_sent_right_after_the_hold_is_taken_as_one(transfer) -> None:
    """A phone's transfer key sends the hold re-INVITE and the consultation INVITE back to
    back, so the second can reach the host before the engine's hold command: it is still
    the consultation of the held call, not a new call to route."""
    call = transfer()
    answering = threading.Thread(target=call.second.answer)
    answering.start()
    call.agent.reinvite("sendonly")
    final = call.agent.consult("a02")
    answering.join(10)
    assert final.status == 200, final.first
    call.host.wait_for("the consultation", lambda: call.conversation("consulting"))
    # The engine heard the hold before the consultation: the caller waits with music.
    assert call.conversation("held")
    since = listen()
    assert call.agent.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    assert call.caller.hears(SECOND_AGENT_HZ, since) < ABSENT
    call.caller.hang_up()


def test_a_consultation_dialled_to_a_queue_rings_its_agent_and_completes_into_a_transfer(
        transfer) -> None:
    call = transfer()
    call.hold()
    # a01 dials the retail queue's id: the engine routes the consultation to a02, the
    # queue's one free agent, and a02's answer answers a01's INVITE.
    answering = threading.Thread(target=call.second.answer)
    answering.start()
    final = call.agent.consult("retail")
    answering.join(10)
    assert final.status == 200, final.first
    call.host.wait_for("the consultation", lambda: call.conversation("consulting"))
    assert "consults queue retail" in logged(call)
    since = listen()
    assert call.agent.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.second.hears(AGENT_HZ, since) > PRESENT
    assert call.caller.hears(SECOND_AGENT_HZ, since) < ABSENT
    # The queue's consultation is no offered contact of the queue: no offer to a02.
    assert not [e for e in call.host.events() if e.get("kind") == "routing" and
                e.get("event") == "offer" and e.get("agent_id") == "a02"]
    consultation = dict(call.agent.consultation)
    accepted = call.agent.refer("a02", replaces=consultation)
    assert accepted.status == 202, accepted.first
    bodies = wait_until("the final NOTIFY", lambda: len(call.agent.notify_bodies()) >= 2 and
                        call.agent.notify_bodies())
    assert bodies[-1] == "SIP/2.0 200 OK", bodies
    wait_until("a01's dialogs to end", lambda: call.agent.byes >= 2)
    call.host.wait_for("the transfer", lambda: call.events_of("transferred", agent_id="a01",
                                                              text="a02"))
    since = listen()
    assert call.caller.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.second.hears(CALLER_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) < ABSENT
    assert not [e for e in call.host.events() if e.get("kind") == "host_error"], \
        call.host.events()
    call.caller.hang_up()


def test_a_consultation_dialled_to_an_empty_queue_fails_and_the_caller_stays_held(
        transfer) -> None:
    call = transfer()
    call.hold()
    # The caller's music says the host itself holds the call (the engine's "held" comes
    # first): only then is a second INVITE from a01's phone a consultation.
    since = listen()
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    final = call.agent.consult("vip")  # a queue nobody serves
    assert final.status == 480, final.first
    call.host.wait_for("the failure", lambda: call.events_of("consult_failed", queue_id="vip",
                                                             text="no_agents"))
    since = listen()
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    call.caller.hang_up()


def test_the_conference_code_merges_the_consultation_and_all_three_hear_each_other(
        transfer) -> None:
    call = transfer()
    call.consult_second()
    call.agent.send_keys("*5")  # RFC 4733 events on the consultation's media
    call.host.wait_for("the conference", lambda: call.conversation("conference"))
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.caller.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) > PRESENT
    assert call.agent.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.second.hears(CALLER_HZ, since) > PRESENT
    assert call.second.hears(AGENT_HZ, since) > PRESENT
    assert call.caller.hears(MUSIC_HZ, since) < ABSENT

    # *7 mutes the agent's own leg: nobody hears it; *7 again and everybody does. The first
    # as RFC 4733 events on the phone's media, which the mixer decodes.
    call.agent.send_keys("*7")
    call.host.wait_for("the mute", lambda: "agent a01 mutes" in logged(call))
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) < ABSENT
    assert call.second.hears(AGENT_HZ, since) < ABSENT
    assert call.caller.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) > PRESENT
    call.agent.press_keys("*7", dialog=call.agent.consultation)
    call.host.wait_for("the unmute", lambda: "agent a01 unmutes" in logged(call))
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT

    # *6 1 # drops the first party to join (a02): the engine hangs its leg up.
    call.agent.press_keys("*61#", dialog=call.agent.consultation)
    wait_until("a02's dialog to end", lambda: call.second.byes >= 1)
    call.host.wait_for("two parties again", lambda: len(call.conversation("connected")) >= 2)
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) > PRESENT
    call.caller.hang_up()


def test_after_a_take_over_the_supervisor_owns_the_call_holds_it_and_ends_it(transfer) -> None:
    call = transfer([("s01", "supervisor")])
    supervisor = call.phone("s01", "pw-s01", call.host.center.sip_port, SUPERVISOR_HZ)
    supervisor.register()
    final = supervisor.call("*4a01")
    assert final.status == 200, final.first
    wait_until("a01's dialog to end", lambda: call.agent.byes >= 1)
    since = listen()
    assert call.caller.hears(SUPERVISOR_HZ, since) > PRESENT
    assert supervisor.hears(CALLER_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) < ABSENT

    # The new owner's re-INVITE holds and resumes the call, as the agent's would.
    supervisor.reinvite("sendonly")
    call.host.wait_for("the hold", lambda: call.conversation("held"))
    since = listen()
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    supervisor.reinvite("sendrecv")
    call.host.wait_for("the resume", lambda: len(call.conversation("connected")) >= 2)

    # Its BYE ends the call as the agent's would: the engine hangs the caller up.
    supervisor.hang_up()
    call.host.wait_for("the call's end", lambda: call.events_of("call_ended"))
    wait_until("the caller's BYE", lambda: call.caller.byes >= 1)
    assert not call.events_of("leg", text="s01", value=0), call.host.events()


def test_a_consultation_to_a_number_is_dialled_through_the_trunk_and_hung_up_by_the_engine(
        transfer) -> None:
    call = transfer(trunk=True)
    call.hold()
    trunk = call.trunk
    invites = []
    answering = threading.Thread(target=lambda: invites.append(trunk.answer()))
    answering.start()
    final = call.agent.consult("5551234")
    answering.join(10)
    assert final.status == 200, final.first
    # The engine's dial reached the trunk with the number in the Request-URI.
    assert invites and invites[0].first.startswith("INVITE sip:5551234@127.0.0.1:"), invites
    call.host.wait_for("the trunk's leg", lambda: call.events_of("leg", text="c1:1", value=1))
    since = listen()
    assert call.agent.hears(TRUNK_HZ, since) > PRESENT
    assert trunk.hears(AGENT_HZ, since) > PRESENT
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    assert call.caller.hears(TRUNK_HZ, since) < ABSENT

    # The agent hangs up the consultation: consult_cancel, and the engine's hangup_leg
    # sends the trunk's leg BYE.
    call.agent.hang_up_consultation()
    wait_until("the trunk's BYE", lambda: trunk.byes >= 1)
    call.host.wait_for("back to held", lambda: len(call.conversation("held")) >= 2)
    assert "hanging up leg c1:1" in logged(call)
    call.caller.hang_up()


def test_a_consultation_the_number_refuses_fails_the_agents_invite(transfer) -> None:
    call = transfer(trunk=True)
    call.hold()
    trunk = call.trunk

    def refuse() -> None:
        invite = trunk.incoming.get(timeout=10)
        trunk._reply(invite, 486, "Busy Here", to_tag="busy")

    refusing = threading.Thread(target=refuse)
    refusing.start()
    final = call.agent.consult("5551234")
    refusing.join(10)
    assert final.status == 486, final.first
    call.host.wait_for("back to held", lambda: len(call.conversation("held")) >= 2)
    call.caller.hang_up()


def test_a_sipp_phone_transfers_by_refer_and_hears_trying_then_ok(lab: Lab) -> None:
    """The REFER exchange as SIPp plays it (scenarios/agent_refers.xml): 202, NOTIFY 100
    Trying, NOTIFY 200 OK ending the subscription, then BYE; a02 (SIPp) gets the call."""
    phones = lab.agents_ready([("a01", "agent_refers.xml"), ("a02", "agent_answers.xml")])
    host = lab.started_host
    caller = Softphone("5550100", "", lab.center.sip_port, CALLER_HZ)
    try:
        assert caller.call(QUEUE_NUMBER).status == 200
        transferred = phones["a01"].wait(20)
        assert transferred.exit_code == 0 and transferred.successful == 1, \
            transferred.describe()
        assert phones["a01"].logged("notify") == ["SIP/2.0 100 Trying", "SIP/2.0 200 OK"]
        host.wait_for("a02's answer", lambda: host.routing("offer_accepted", agent_id="a02"))
        caller.hang_up()
        answered = phones["a02"].wait(20)
        assert answered.exit_code == 0 and answered.successful == 1, answered.describe()
    finally:
        caller.close()


def test_blind_transfer_by_refer_to_a_number_goes_out_through_the_trunk(transfer) -> None:
    call = transfer(trunk=True)
    invites = []
    answering = threading.Thread(target=lambda: invites.append(call.trunk.answer()))
    answering.start()
    accepted = call.agent.refer("5551234")
    assert accepted.status == 202, accepted.first
    answering.join(10)
    assert invites and invites[0].first.startswith("INVITE sip:5551234@127.0.0.1:"), invites
    bodies = wait_until("the final NOTIFY", lambda: len(call.agent.notify_bodies()) >= 2 and
                        call.agent.notify_bodies())
    assert bodies[-1] == "SIP/2.0 200 OK", bodies
    wait_until("a01's dialog to end", lambda: call.agent.byes >= 1)
    since = listen()
    assert call.caller.hears(TRUNK_HZ, since) > PRESENT
    assert call.trunk.hears(CALLER_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) < ABSENT
    call.caller.hang_up()
    wait_until("the trunk's BYE", lambda: call.trunk.byes >= 1)


def test_blind_transfer_by_refer_to_a_queue_moves_the_caller_there(transfer) -> None:
    call = transfer()
    accepted = call.agent.refer("vip")  # a queue's id: the caller waits in that queue
    assert accepted.status == 202, accepted.first
    bodies = wait_until("the final NOTIFY", lambda: len(call.agent.notify_bodies()) >= 2 and
                        call.agent.notify_bodies())
    assert bodies[-1] == "SIP/2.0 200 OK", bodies
    wait_until("a01's dialog to end", lambda: call.agent.byes >= 1)
    call.host.wait_for("the transfer", lambda: call.events_of("transferred", agent_id="a01",
                                                              text="vip"))
    call.host.wait_for("the caller queued in vip", lambda: [
        e for e in call.host.events() if e.get("kind") == "contact_queued"
        and e.get("queue_id") == "vip"])
    call.caller.hang_up()


def test_refer_to_a_number_without_a_trunk_is_not_found(transfer) -> None:
    call = transfer()
    refused = call.agent.refer("5551234")
    assert refused.status == 404, refused.first
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    call.caller.hang_up()


def test_a_refer_naming_a_sip_address_of_its_own_is_refused_not_sent_past_the_trunk(
        transfer) -> None:
    call = transfer(trunk=True)
    # The user decodes to "sip:evil@127.0.0.1:9": the phone may not pick where a call goes.
    refused = call.agent.refer("sip%3Aevil%40127.0.0.1%3A9")
    assert refused.status == 400, refused.first
    time.sleep(0.5)
    assert call.trunk.incoming.empty()  # nothing was dialled, through the trunk or around it
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    call.caller.hang_up()


def test_the_caller_hanging_up_during_a_consultation_ends_every_dialog(transfer) -> None:
    call = transfer()
    call.consult_second()
    consultation = call.agent.consultation["call_id"]
    call.caller.hang_up()
    call.host.wait_for("the call's end", lambda: call.events_of("call_ended"))
    wait_until("a01's two dialogs to end", lambda: call.agent.byes >= 2)
    assert consultation in call.agent.bye_call_ids
    wait_until("a02's dialog to end", lambda: call.second.byes >= 1)


def test_keys_pressed_on_the_consultation_do_not_reach_the_callers_flow(transfer) -> None:
    call = transfer()
    call.consult_second()
    digits_before = call.host.counter("digits")
    call.agent.press_keys("12", dialog=call.agent.consultation)
    time.sleep(1.5)  # the statistics file is rewritten every second
    assert call.host.counter("digits") == digits_before
    call.caller.hang_up()


def test_a_conference_party_who_hangs_up_leaves_the_agent_talking_with_the_caller(
        transfer) -> None:
    call = transfer()
    call.consult_second()
    call.agent.press_keys("*5", dialog=call.agent.consultation)
    call.host.wait_for("the conference", lambda: call.conversation("conference"))
    call.second.hang_up()  # leg_ended: the conference is down to the caller and the agent
    call.host.wait_for("two parties again", lambda: len(call.conversation("connected")) >= 2)
    since = listen()
    assert call.agent.consultation, "the agent's dialog in the conference was ended"
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) > PRESENT
    call.caller.hang_up()


def test_the_add_code_dials_a_number_into_the_conference_and_everybody_hears_it(
        transfer) -> None:
    call = transfer(trunk=True)
    call.consult_second()
    call.agent.press_keys("*5", dialog=call.agent.consultation)
    call.host.wait_for("the conference", lambda: call.conversation("conference"))
    trunk = call.trunk
    invites = []
    answering = threading.Thread(target=lambda: invites.append(trunk.answer()))
    answering.start()
    # *8, the number, #: conference_add, which the engine dials through the trunk.
    call.agent.press_keys("*85550100#", dialog=call.agent.consultation)
    answering.join(10)
    assert invites and invites[0].first.startswith("INVITE sip:5550100@127.0.0.1:"), invites
    assert "agent a01 adds 5550100" in logged(call)
    # The dialled number's leg is `<call>:<n>`; its `leg` notification says it is up.
    call.host.wait_for("the added leg", lambda: [
        e for e in call.events_of("leg", value=1) if ":" in e.get("text", "")])
    since = listen()
    assert trunk.hears(CALLER_HZ, since) > PRESENT
    assert trunk.hears(AGENT_HZ, since) > PRESENT
    assert trunk.hears(SECOND_AGENT_HZ, since) > PRESENT
    assert call.caller.hears(TRUNK_HZ, since) > PRESENT
    assert call.second.hears(TRUNK_HZ, since) > PRESENT
    call.caller.hang_up()
    wait_until("the trunk's BYE", lambda: trunk.byes >= 1)
