"""A caller goes through the bank IVR, waits with music, and talks to a registered agent."""
from harness.lab import Lab
from harness.sipp import Outcome

# g711a.pcap, which each side of a call plays once, holds 236 RTP packets (7 s of A-law).
PCAP_PACKETS = 236


def assert_completed(outcome: Outcome, calls: int = 1) -> None:
    assert outcome.exit_code == 0 and outcome.successful == calls, outcome.describe()


def connect_agent(lab: Lab, agent: str, scenario: str):
    lab.add_phone(agent)
    host = lab.start_host()
    phone = lab.answer_as(agent, scenario)
    assert_completed(lab.register(agent))
    host.wait_for(f"{agent} available", lambda: host.routing(
        "agent_state_changed", agent_id=agent, to="available"))
    return host, phone


def assert_relayed_both_ways(lab: Lab, relayed_before: int) -> None:
    host = lab.host
    assert host is not None

    def relayed() -> int:
        return host.counter("packets_relayed") - relayed_before

    host.wait_for("both pcaps relayed", lambda: relayed() >= 0.9 * 2 * PCAP_PACKETS, seconds=5)
    # Both phones play the whole pcap while bridged: each way is relayed, nothing is invented.
    assert relayed() <= 2 * PCAP_PACKETS + 10, host.stats()


def assert_answered_by(lab: Lab, agent: str) -> None:
    assert lab.host is not None
    assert lab.host.routing("offer", agent_id=agent), lab.host.events()
    assert lab.host.routing("offer_accepted", agent_id=agent), lab.host.events()


def test_caller_dials_by_rfc4733_talks_to_the_agent_and_hangs_up(lab: Lab) -> None:
    host, phone = connect_agent(lab, "a01", "agent_answers.xml")
    relayed_before = host.counter("packets_relayed")
    caller = lab.caller("caller_bank_hangs_up.xml")
    assert_completed(caller.wait())
    # The agent's phone got the host's BYE when the caller hung up.
    assert_completed(phone.wait())
    assert_answered_by(lab, "a01")
    nodes = [e["node"] for e in host.events() if e.get("kind") == "ivr_node"
             and e.get("event") == "entered"]
    for node in ("language", "main_menu", "retail_queue"):
        assert node in nodes, nodes
    assert "account" not in nodes, "key 2 of the main menu leads to an adviser, not the balance"
    assert phone.logged("screen_pop_call"), "the offer carries no X-Hotline-Call header"
    assert_relayed_both_ways(lab, relayed_before)
    host.wait_for("the call to end", lambda: [e for e in host.events()
                                              if e.get("kind") == "call_ended"])


def test_caller_dials_by_sip_info_and_reaches_the_agent(lab: Lab) -> None:
    host, phone = connect_agent(lab, "a01", "agent_answers.xml")
    relayed_before = host.counter("packets_relayed")
    caller = lab.caller("caller_bank_info_hangs_up.xml")
    assert_completed(caller.wait())
    assert_completed(phone.wait())
    assert_answered_by(lab, "a01")
    assert_relayed_both_ways(lab, relayed_before)


def test_agent_hangs_up_and_the_caller_gets_bye(lab: Lab) -> None:
    host, phone = connect_agent(lab, "a01", "agent_hangs_up.xml")
    relayed_before = host.counter("packets_relayed")
    caller = lab.caller("caller_bank_agent_hangs_up.xml")
    assert_completed(phone.wait())
    # The caller's scenario ends only on the host's BYE.
    assert_completed(caller.wait())
    assert_answered_by(lab, "a01")
    host.wait_for("the contact to complete", lambda: host.routing("contact_completed"))
    relayed = host.counter("packets_relayed") - relayed_before
    assert relayed >= 0.9 * PCAP_PACKETS, host.stats()
