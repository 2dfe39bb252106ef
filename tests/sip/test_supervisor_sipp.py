"""Who hears whom with SIPp as the supervisor.

The supervisor is SIPp (scenarios/supervisor_talks.xml): it registers, dials a feature code
and an agent, and plays a tone from a capture the test writes (harness/rtp_pcap.py). The caller
and the agent are the Python phones of test_call_control.py, which keep what they receive: the
supervisor's RTP must reach the agent's leg in a whisper and not the caller's, both in a barge,
neither in a monitor.
"""
import time

import pytest

from harness.lab import Lab
from harness.ports import free_udp_port
from harness.rtp_pcap import write_tone_pcap
from harness.sipp import Sipp, register
from test_call_control import (ABSENT, AGENT_HZ, CALLER_HZ, LISTEN_SECONDS, PRESENT, Call,
                               recorded_channels, only_recording)
from harness.softphone import tone_power

SUPERVISOR_HZ = 1700.0

# mode: (feature code, the caller hears the supervisor, the agent hears the supervisor)
MODES = {"whisper": ("*2", False, True), "barge": ("*3", True, True),
         "monitor": ("*1", False, False)}


@pytest.mark.parametrize("mode", list(MODES))
def test_a_sipp_supervisor_is_heard_by_whom_the_mode_says(lab: Lab, mode: str) -> None:
    code, caller_hears, agent_hears = MODES[mode]
    call = Call(lab, [("s01", "supervisor")], recording="all")
    try:
        port = free_udp_port()
        registered = register(lab.folder, lab.center.sip_port, [("s01", "pw-s01", port)],
                              name="register-s01")
        assert registered.exit_code == 0 and registered.successful == 1, registered.describe()
        write_tone_pcap(lab.folder / "supervisor-tone.pcap", 6.0, SUPERVISOR_HZ)
        supervisor = Sipp(lab.folder, "supervisor", "supervisor_talks.xml", port=port,
                          remote_port=lab.center.sip_port, keys={"user": "s01"},
                          extra=["-s", f"{code}a01"], timeout_seconds=30)
        lab.sipps.append(supervisor.start())
        supervisor.wait_logged("answered")
        call.host.wait_for("the supervision", lambda: [
            e for e in call.host.events() if e.get("kind") == "supervision"
            and e.get("actor") == "s01" and e.get("text") == mode])
        time.sleep(0.5)  # the capture's first packets, and the mix settling
        since = time.monotonic()
        time.sleep(LISTEN_SECONDS * 2)
        heard_by_caller = call.caller.hears(SUPERVISOR_HZ, since)
        heard_by_agent = call.agent.hears(SUPERVISOR_HZ, since)
        assert (heard_by_caller > PRESENT) if caller_hears else (heard_by_caller < ABSENT)
        assert (heard_by_agent > PRESENT) if agent_hears else (heard_by_agent < ABSENT)
        # Caller and agent go on hearing each other whatever the mode.
        assert call.caller.hears(AGENT_HZ, since) > PRESENT
        assert call.agent.hears(CALLER_HZ, since) > PRESENT

        outcome = supervisor.wait(30)
        assert outcome.exit_code == 0 and outcome.successful == 1, outcome.describe()
        call.caller.hang_up()
        # The call's recording holds what the caller heard, and only that.
        said, heard = recorded_channels(only_recording(call.host)["recording"])
        assert tone_power(heard, AGENT_HZ) > PRESENT
        in_recording = tone_power(heard, SUPERVISOR_HZ)
        assert (in_recording > ABSENT) if caller_hears else (in_recording < ABSENT)
        assert tone_power(said, SUPERVISOR_HZ) < ABSENT
    finally:
        call.close()
