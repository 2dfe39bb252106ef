"""A caller goes through the bank IVR, waits with music, and talks to a registered agent."""
from harness.checks import PCAP_PACKETS, assert_answered_by, assert_completed
from harness.host import Host
from harness.lab import Lab


def assert_relayed_both_ways(host: Host, relayed_before: int) -> None:
    def relayed() -> int:
        return host.counter("packets_relayed") - relayed_before

    host.wait_for("both pcaps relayed", lambda: relayed() >= 0.9 * 2 * PCAP_PACKETS, seconds=5)
    # Both phones play the whole pcap while bridged: each way is relayed, nothing is invented.
    assert relayed() <= 2 * PCAP_PACKETS + 10, host.stats()


def test_caller_dials_by_rfc4733_talks_to_the_agent_and_hangs_up(lab: Lab) -> None:
    phone = lab.agents_ready([("a01", "agent_answers.xml")])["a01"]
    host = lab.started_host
    relayed_before = host.counter("packets_relayed")
    caller = lab.caller("caller_bank_hangs_up.xml")
    assert_completed(caller.wait())
    # The agent's phone got the host's BYE when the caller hung up.
    assert_completed(phone.wait(within=15))
    assert_answered_by(host, "a01")
    nodes = [e["node"] for e in host.events() if e.get("kind") == "ivr_node"
             and e.get("event") == "entered"]
    for node in ("language", "main_menu", "retail_queue"):
        assert node in nodes, nodes
    assert "account" not in nodes, "key 2 of the main menu leads to an adviser, not the balance"
    assert any(phone.logged("screen_pop_call")), "the offer carries no X-Hotline-Call header"
    assert_relayed_both_ways(host, relayed_before)
    host.wait_for("the call to end", lambda: [e for e in host.events()
                                              if e.get("kind") == "call_ended"])


def test_caller_dials_by_sip_info_and_reaches_the_agent(lab: Lab) -> None:
    phone = lab.agents_ready([("a01", "agent_answers.xml")])["a01"]
    host = lab.started_host
    relayed_before = host.counter("packets_relayed")
    caller = lab.caller("caller_bank_info_hangs_up.xml")
    assert_completed(caller.wait())
    assert_completed(phone.wait(within=15))
    assert_answered_by(host, "a01")
    assert_relayed_both_ways(host, relayed_before)


def test_agent_hangs_up_and_the_caller_gets_bye(lab: Lab) -> None:
    phone = lab.agents_ready([("a01", "agent_hangs_up.xml")])["a01"]
    host = lab.started_host
    relayed_before = host.counter("packets_relayed")
    caller = lab.caller("caller_bank_agent_hangs_up.xml")
    assert_completed(phone.wait(within=40))
    # The caller's scenario ends only on the host's BYE.
    assert_completed(caller.wait())
    assert_answered_by(host, "a01")
    host.wait_for("the contact to complete", lambda: host.routing("contact_completed"))
    relayed = host.counter("packets_relayed") - relayed_before
    assert relayed >= 0.9 * PCAP_PACKETS, host.stats()
    # The queue_log tells the agent's hang-up from the caller's, as app_queue writes it.
    call_id = host.routing("contact_completed")[0]["call_id"]
    events = [line.split("|")[4] for line in lab.center.queue_log.read_text().splitlines()
              if line.split("|")[1] == call_id]
    assert events[:1] == ["ENTERQUEUE"] and "CONNECT" in events, events
    assert events[-1] == "COMPLETEAGENT", events
