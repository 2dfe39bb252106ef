"""Live call control with real audio: who hears whom on hold and under supervision.

The caller, the agent and the supervisor are Python phones (harness/softphone.py), each
sending a tone of its own; each keeps what it receives, and the tests measure the power of
every tone in it. Music on hold is the host's own hold music, a tone of its own as well.
"""
import json
import re
import threading
import time
import wave

import pytest

from harness.center import QUEUE_NUMBER
from harness.checks import wait_available
from harness.host import Host
from harness.lab import Lab
from harness.softphone import Softphone, tone_power

CALLER_HZ = 600.0
AGENT_HZ = 1000.0
SUPERVISOR_HZ = 1500.0
MUSIC_HZ = 392.0  # harness/audio.py's hold-music.wav

# An 8000-amplitude tone measures about 1.6e7; a tone that is not there, below 1e5.
PRESENT = 1e6
ABSENT = 1e5
LISTEN_SECONDS = 1.2


class Call:
    """A caller connected to agent a01 through the retail queue, both phones sending."""

    def __init__(self, lab: Lab, extra_phones: list[tuple[str, str]],
                 recording: str = "") -> None:
        lab.center.recording = recording
        lab.add_phone("a01")
        for agent, role in extra_phones:
            lab.add_phone(agent).role = role
        self.host: Host = lab.start_host()
        port = lab.center.sip_port
        self.phones: list[Softphone] = []
        self.agent = self.phone("a01", "pw-a01", port, AGENT_HZ)
        self.agent.register()
        wait_available(self.host, "a01")
        self.caller = self.phone("5550100", "", port, CALLER_HZ)
        placed: dict[str, int] = {}
        dialling = threading.Thread(
            target=lambda: placed.update(status=self.caller.call(QUEUE_NUMBER).status))
        dialling.start()
        self.agent.answer()
        dialling.join(20)
        assert placed.get("status") == 200, placed
        self.host.wait_for("the bridge", lambda: self.conversation("connected"))

    def phone(self, user: str, password: str, port: int, hertz: float) -> Softphone:
        phone = Softphone(user, password, port, hertz)
        self.phones.append(phone)
        return phone

    def conversation(self, state: str) -> list[dict]:
        return [e for e in self.host.events()
                if e.get("kind") == "conversation" and e.get("text") == state]

    def close(self) -> None:
        for phone in self.phones:
            phone.close()


def listen() -> float:
    """Lets the media settle after a change, then the window the checks read starts."""
    time.sleep(0.3)
    since = time.monotonic()
    time.sleep(LISTEN_SECONDS)
    return since


@pytest.fixture
def call_with(lab: Lab):
    made: list[Call] = []

    def make(extra_phones: list[tuple[str, str]] = [], recording: str = "") -> Call:
        made.append(Call(lab, extra_phones, recording))
        return made[-1]

    yield make
    for call in made:
        call.close()


def test_the_agent_number_announcement_plays_before_the_bridge_and_its_echoed_end_brings_it(
        lab: Lab) -> None:
    lab.center.announce_agent = ["audio/welcome.wav"]
    call = Call(lab, [])  # returns once the engine reported the bridge ("connected")
    try:
        # The host plays through the vtable's play_request: the announcement's end goes back
        # with its play's request id, and only that end brings the bridge.
        logged = call.host.stderr_path.read_text(errors="replace")
        ended = re.findall(r"call (c\d+): play (\d+) ended", logged)
        assert ended, logged
        assert all(int(request) > 0 for _, request in ended), ended
        since = listen()
        assert call.caller.hears(AGENT_HZ, since) > PRESENT
        assert call.agent.hears(CALLER_HZ, since) > PRESENT
        call.caller.hang_up()
    finally:
        call.close()


def test_hold_by_reinvite_plays_music_to_the_caller_and_silences_both_ways(call_with) -> None:
    call = call_with()
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) > PRESENT

    answer = call.agent.reinvite("sendonly")
    assert "a=recvonly" in answer.body, answer.body  # RFC 3264: sendonly is answered recvonly
    call.host.wait_for("the hold", lambda: call.conversation("held"))
    since = listen()
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) < ABSENT
    assert call.agent.hears(CALLER_HZ, since) < ABSENT

    answer = call.agent.reinvite("sendrecv")
    assert "a=sendrecv" in answer.body, answer.body
    call.host.wait_for("the resume", lambda: len(call.conversation("connected")) >= 2)
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.caller.hears(MUSIC_HZ, since) < ABSENT
    assert call.agent.hears(CALLER_HZ, since) > PRESENT
    call.caller.hang_up()


def test_inactive_reinvite_holds_too(call_with) -> None:
    call = call_with()
    answer = call.agent.reinvite("inactive")
    assert "a=inactive" in answer.body, answer.body
    call.host.wait_for("the hold", lambda: call.conversation("held"))
    since = listen()
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) < ABSENT
    call.caller.hang_up()


def test_the_old_hold_by_address_0_0_0_0_holds_and_a_real_address_resumes(call_with) -> None:
    call = call_with()
    call.agent.reinvite("sendrecv", address="0.0.0.0")
    call.host.wait_for("the hold", lambda: call.conversation("held"))
    since = listen()
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) < ABSENT
    call.agent.reinvite("sendrecv")
    call.host.wait_for("the resume", lambda: len(call.conversation("connected")) >= 2)
    since = listen()
    assert call.agent.hears(CALLER_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    call.caller.hang_up()


# mode: (the caller hears the supervisor, the agent hears the supervisor)
MODES = {"monitor": ("*1", False, False), "whisper": ("*2", False, True),
         "barge": ("*3", True, True)}


@pytest.mark.parametrize("mode", list(MODES))
def test_supervisor_by_feature_code_hears_and_is_heard_as_the_mode_says(call_with,
                                                                       mode: str) -> None:
    code, caller_hears, agent_hears = MODES[mode]
    call = call_with([("s01", "supervisor")])
    supervisor = call.phone("s01", "pw-s01", call.host.center.sip_port, SUPERVISOR_HZ)
    supervisor.register()
    final = supervisor.call(f"{code}a01")
    assert final.status == 200, final.first
    call.host.wait_for("the supervision", lambda: [
        e for e in call.host.events() if e.get("kind") == "supervision"
        and e.get("actor") == "s01" and e.get("text") == mode])
    since = listen()
    # The supervisor hears both parties in every mode.
    assert supervisor.hears(CALLER_HZ, since) > PRESENT
    assert supervisor.hears(AGENT_HZ, since) > PRESENT
    # Caller and agent go on hearing each other.
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) > PRESENT
    heard_by_caller = call.caller.hears(SUPERVISOR_HZ, since)
    heard_by_agent = call.agent.hears(SUPERVISOR_HZ, since)
    assert (heard_by_caller > PRESENT) if caller_hears else (heard_by_caller < ABSENT)
    assert (heard_by_agent > PRESENT) if agent_hears else (heard_by_agent < ABSENT)
    assert call.host.counter("packets_mixed") > 0  # through the mixer, not the relay

    # The supervisor's keys are not the caller's: nothing reaches the caller's flow.
    digits_before = call.host.counter("digits")
    assert supervisor.press("5") == 200
    time.sleep(1.5)  # the statistics file is rewritten every second
    assert call.host.counter("digits") == digits_before

    # The supervisor leaves: the engine hears of it, and the two are a plain bridge again.
    supervisor.hang_up()
    call.host.wait_for("the supervisor's leg to end", lambda: [
        e for e in call.host.events() if e.get("kind") == "leg" and e.get("text") == "s01"
        and e.get("value") == 0])
    relayed_before = call.host.counter("packets_relayed")
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.caller.hears(SUPERVISOR_HZ, since) < ABSENT
    call.host.wait_for("the relay again",
                       lambda: call.host.counter("packets_relayed") > relayed_before + 50)
    call.caller.hang_up()


def test_a_held_call_keeps_the_caller_on_music_while_a_barging_supervisor_talks_to_the_agent(
        call_with) -> None:
    call = call_with([("s01", "supervisor")])
    supervisor = call.phone("s01", "pw-s01", call.host.center.sip_port, SUPERVISOR_HZ)
    supervisor.register()
    assert supervisor.call("*3a01").status == 200
    call.agent.reinvite("sendonly")
    call.host.wait_for("the hold", lambda: call.conversation("held"))
    since = listen()
    assert call.caller.hears(MUSIC_HZ, since) > PRESENT
    assert call.caller.hears(AGENT_HZ, since) < ABSENT
    assert call.caller.hears(SUPERVISOR_HZ, since) < ABSENT
    assert call.agent.hears(SUPERVISOR_HZ, since) > PRESENT
    assert call.agent.hears(CALLER_HZ, since) < ABSENT
    assert supervisor.hears(AGENT_HZ, since) > PRESENT
    assert supervisor.hears(CALLER_HZ, since) < ABSENT

    call.agent.reinvite("sendrecv")  # back to the barge's mix: everyone hears everyone
    call.host.wait_for("the resume", lambda: len(call.conversation("connected")) >= 2)
    since = listen()
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    assert call.caller.hears(SUPERVISOR_HZ, since) > PRESENT
    assert call.caller.hears(MUSIC_HZ, since) < ABSENT
    assert supervisor.hears(CALLER_HZ, since) > PRESENT
    call.caller.hang_up()


def test_a_feature_code_from_another_address_than_the_registered_phone_is_forbidden(
        call_with) -> None:
    call = call_with([("s01", "supervisor")])
    port = call.host.center.sip_port
    call.phone("s01", "pw-s01", port, SUPERVISOR_HZ).register()
    impostor = call.phone("s01", "", port, SUPERVISOR_HZ)  # the From user, not the phone
    assert impostor.call("*1a01").status == 403
    call.caller.hang_up()


def test_a_feature_code_from_someone_not_a_supervisor_is_forbidden(call_with) -> None:
    call = call_with([("a02", "agent")])
    intruder = call.phone("a02", "pw-a02", call.host.center.sip_port, SUPERVISOR_HZ)
    intruder.register()
    wait_available(call.host, "a02")
    final = intruder.call("*3a01")
    assert final.status == 403, final.first
    since = listen()
    assert call.caller.hears(SUPERVISOR_HZ, since) < ABSENT
    assert call.caller.hears(AGENT_HZ, since) > PRESENT
    call.caller.hang_up()


def test_a_feature_code_for_an_agent_without_a_call_is_not_found(call_with) -> None:
    call = call_with([("s01", "supervisor")])
    supervisor = call.phone("s01", "pw-s01", call.host.center.sip_port, SUPERVISOR_HZ)
    supervisor.register()
    assert supervisor.call("*1nobody").status == 404
    call.caller.hang_up()


def call_recordings(host: Host) -> list[dict]:
    """The recordings the host listed in its log."""
    listed = []
    for line in host.stderr_path.read_text(errors="replace").splitlines():
        if "call recording {" in line:
            listed.append(json.loads(line[line.index("{"):]))
    return listed


def recorded_channels(path: str) -> tuple[list[int], list[int]]:
    """A call recording's two channels: what the caller said, what the caller heard."""
    with wave.open(path) as recording:
        assert recording.getnchannels() == 2
        assert recording.getframerate() == 8000
        frames = recording.readframes(recording.getnframes())
    samples = [int.from_bytes(frames[i:i + 2], "little", signed=True)
               for i in range(0, len(frames), 2)]
    return samples[0::2], samples[1::2]


def span(samples: list[int], start_s: float, end_s: float) -> list[int]:
    """The samples between two offsets into the file, in seconds."""
    return samples[max(0, int(start_s * 8000)):max(0, int(end_s * 8000))]


def only_recording(host: Host) -> dict:
    """The one recording the host listed once the call ended (and no second one after it)."""
    listed = host.wait_for("the recording listed", lambda: call_recordings(host))
    time.sleep(0.5)
    listed = call_recordings(host)
    assert len(listed) == 1, listed
    return listed[0]


def test_a_held_call_is_one_recording_with_the_agent_either_side_of_the_listed_hold(
        call_with) -> None:
    # The queue's policy is "all": the engine says record_control start at the bridge.
    call = call_with(recording="all")
    listen()
    call.agent.reinvite("sendonly")
    call.host.wait_for("the hold", lambda: call.conversation("held"))
    time.sleep(1.5)
    call.agent.reinvite("sendrecv")
    call.host.wait_for("the resume", lambda: len(call.conversation("connected")) >= 2)
    listen()
    call.caller.hang_up()
    entry = only_recording(call.host)
    assert entry["call_id"] == "c1" and entry["agent_id"] == "a01", entry
    assert entry["queue_id"] == "retail", entry
    assert entry["start_ms"] < entry["end_ms"], entry
    assert entry["duration_ms"] >= 3000, entry
    assert len(entry["holds"]) == 1, entry
    hold = entry["holds"][0]
    assert entry["start_ms"] < hold["start_ms"] < hold["end_ms"] < entry["end_ms"], entry
    assert hold["end_ms"] - hold["start_ms"] >= 1000, entry

    said, heard = recorded_channels(entry["recording"])
    held_from = (hold["start_ms"] - entry["start_ms"]) / 1000
    held_to = (hold["end_ms"] - entry["start_ms"]) / 1000
    before = span(heard, 0.3, held_from - 0.2)
    during = span(heard, held_from + 0.3, held_to - 0.2)
    after = span(heard, held_to + 0.4, len(heard) / 8000 - 0.2)
    assert tone_power(before, AGENT_HZ) > PRESENT
    assert tone_power(during, MUSIC_HZ) > PRESENT  # the caller heard the music ...
    assert tone_power(during, AGENT_HZ) < ABSENT   # ... and not the agent
    assert tone_power(after, AGENT_HZ) > PRESENT
    # The caller's own channel is the caller, before, during and after the hold.
    assert tone_power(said, CALLER_HZ) > PRESENT and tone_power(said, AGENT_HZ) < ABSENT
    assert tone_power(span(said, held_from + 0.3, held_to - 0.2), CALLER_HZ) > PRESENT


def test_the_agents_codes_start_pause_resume_and_stop_an_on_demand_recording(call_with) -> None:
    # The queue records on demand: nothing until the agent's phone asks, by keys.
    call = call_with(recording="on_demand")
    listen()
    assert not call_recordings(call.host)

    def logged(text: str) -> bool:
        return text in call.host.stderr_path.read_text(errors="replace")

    call.agent.send_keys("*9")  # RFC 4733 events on the plain call's media: start
    call.host.wait_for("the recording's start", lambda: logged("call c1: recording: start"))
    time.sleep(1.0)
    call.agent.press_keys("*0")  # SIP INFO: pause, while a card number is read
    call.host.wait_for("the pause", lambda: logged("call c1: recording: pause"))
    time.sleep(1.5)
    call.agent.press_keys("*0")
    call.host.wait_for("the resume", lambda: logged("call c1: recording: resume"))
    time.sleep(1.0)
    call.agent.send_keys("*9")  # stop
    call.host.wait_for("the recording's stop", lambda: logged("call c1: recording: stop"))
    entry = only_recording(call.host)
    assert entry["call_id"] == "c1" and entry["queue_id"] == "retail", entry
    # What was said during the pause is not in the file.
    assert 1500 <= entry["duration_ms"] <= entry["end_ms"] - entry["start_ms"] - 1200, entry
    said, heard = recorded_channels(entry["recording"])
    assert tone_power(heard, AGENT_HZ) > PRESENT
    assert tone_power(said, CALLER_HZ) > PRESENT
    call.caller.hang_up()
    time.sleep(0.5)
    assert len(call_recordings(call.host)) == 1  # the stop ended it; the hang-up adds none


def test_a_barged_call_is_recorded_with_the_supervisor_the_caller_heard(call_with) -> None:
    call = call_with([("s01", "supervisor")], recording="all")
    listen()
    supervisor = call.phone("s01", "pw-s01", call.host.center.sip_port, SUPERVISOR_HZ)
    supervisor.register()
    assert supervisor.call("*3a01").status == 200
    since = listen()
    assert call.caller.hears(SUPERVISOR_HZ, since) > PRESENT
    call.caller.hang_up()
    entry = only_recording(call.host)
    said, heard = recorded_channels(entry["recording"])
    seconds = len(heard) / 8000
    before = span(heard, 0.3, 1.3)  # the plain bridge, before the supervisor dialled in
    barged = span(heard, seconds - 1.2, seconds - 0.2)
    assert tone_power(before, AGENT_HZ) > PRESENT and tone_power(before, SUPERVISOR_HZ) < ABSENT
    assert tone_power(barged, AGENT_HZ) > PRESENT
    assert tone_power(barged, SUPERVISOR_HZ) > PRESENT
    assert tone_power(said, SUPERVISOR_HZ) < ABSENT


def test_a_whispered_call_is_recorded_without_the_whisper(call_with) -> None:
    call = call_with([("s01", "supervisor")], recording="all")
    supervisor = call.phone("s01", "pw-s01", call.host.center.sip_port, SUPERVISOR_HZ)
    supervisor.register()
    assert supervisor.call("*2a01").status == 200
    since = listen()
    assert call.agent.hears(SUPERVISOR_HZ, since) > PRESENT  # the whisper is on
    call.caller.hang_up()
    entry = only_recording(call.host)
    said, heard = recorded_channels(entry["recording"])
    assert tone_power(heard, AGENT_HZ) > PRESENT
    assert tone_power(heard, SUPERVISOR_HZ) < ABSENT
    assert tone_power(said, SUPERVISOR_HZ) < ABSENT


def test_the_recording_ends_with_the_conversation_when_the_agent_hangs_up(call_with) -> None:
    call = call_with(recording="all")
    listen()
    call.agent.hang_up()
    # Listed while the caller is still on the line: the agent's BYE ended it.
    entry = call.host.wait_for("the recording listed", lambda: call_recordings(call.host))[0]
    said, heard = recorded_channels(entry["recording"])
    assert tone_power(heard, AGENT_HZ) > PRESENT
    assert tone_power(said, CALLER_HZ) > PRESENT
    assert entry["duration_ms"] >= 1000, entry
    # Whatever the caller hears after the agent left is not added to a closed file.
    time.sleep(1.0)
    assert len(call_recordings(call.host)) == 1
    with wave.open(entry["recording"]) as recording:
        assert recording.getnframes() == len(said)
    call.caller.hang_up()
