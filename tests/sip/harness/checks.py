"""Assertions the SIP tests share."""
from .host import Host
from .sipp import Outcome

# g711a.pcap, which each side of a call plays once, holds 236 RTP packets (7 s of A-law).
PCAP_PACKETS = 236


def assert_completed(outcome: Outcome, calls: int = 1) -> None:
    assert outcome.exit_code == 0 and outcome.successful == calls, outcome.describe()


def assert_answered_by(host: Host, agent: str) -> None:
    assert host.routing("offer", agent_id=agent), host.events()
    assert host.routing("offer_accepted", agent_id=agent), host.events()


def wait_available(host: Host, agent: str) -> None:
    host.wait_for(f"{agent} available", lambda: host.routing(
        "agent_state_changed", agent_id=agent, to="available"))
