"""While an agent's phone rings: the caller gives up, the agent refuses, or nobody answers."""
from harness.checks import assert_answered_by, assert_completed
from harness.lab import Lab


def test_caller_hangs_up_while_the_agent_rings_and_cancel_reaches_the_agent(lab: Lab) -> None:
    phones = lab.agents_ready([("a01", "agent_rings.xml")])
    host = lab.started_host
    assert_completed(lab.caller("caller_hangs_up_while_ringing.xml").wait())
    # agent_rings.xml completes only when a CANCEL arrives and its 487 is acknowledged.
    assert_completed(phones["a01"].wait(within=15))
    assert host.routing("offer", agent_id="a01"), host.events()
    host.wait_for("the contact's abandonment", lambda: host.routing("contact_abandoned"))
    assert not host.routing("offer_accepted"), host.events()


def test_agent_busy_486_and_the_next_agent_rings(lab: Lab) -> None:
    phones = lab.agents_ready([("a01", "agent_busy.xml"), ("a02", "agent_answers.xml")])
    host = lab.started_host
    assert_completed(lab.caller("caller_bank_hangs_up.xml").wait())
    assert_completed(phones["a01"].wait(within=15))
    assert_completed(phones["a02"].wait(within=15))
    assert host.routing("offer_rejected", agent_id="a01"), host.events()
    assert_answered_by(host, "a02")
    offers = [e["agent_id"] for e in host.routing("offer")]
    assert offers[:2] == ["a01", "a02"], offers


def test_agent_who_does_not_answer_is_cancelled_set_not_ready_and_the_next_rings(
        lab: Lab) -> None:
    lab.center.offer_timeout_seconds = 2
    lab.center.max_no_answer = 1
    phones = lab.agents_ready([("a01", "agent_rings.xml"), ("a02", "agent_answers.xml")])
    host = lab.started_host
    assert_completed(lab.caller("caller_bank_hangs_up.xml").wait())
    # The offer's timeout withdrew the offer on the wire: a01's phone saw CANCEL.
    assert_completed(phones["a01"].wait(within=15))
    assert_completed(phones["a02"].wait(within=15))
    assert host.routing("offer_timed_out", agent_id="a01"), host.events()
    # max_no_answer 1: one miss sets the agent not ready (the no-answer rule).
    assert host.routing("agent_auto_not_ready", agent_id="a01"), host.events()
    assert host.routing("agent_state_changed", agent_id="a01", to="not_ready"), host.events()
    assert_answered_by(host, "a02")
