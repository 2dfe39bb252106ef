"""The whole-call scenario and the error paths, through the Python binding."""
import pytest

import hotline

CONFIG = {
    "queues": [{"id": "sales", "wrap_up_seconds": 10}],
    "agents": [{"id": "ann", "queues": ["sales"]}],
    "flows": [{
        "id": "front", "start": "menu", "nodes": {
            "menu": {"type": "menu", "prompts": ["tts:Press 1 for sales"],
                     "options": {"1": "q"}, "fail": "bye"},
            "q": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]},
            "bye": {"type": "hangup"},
        },
    }],
}


def take(engine, kind):
    for command in engine.commands():
        if command["kind"] == kind:
            return command
    raise AssertionError(f"no {kind} command")


def test_version():
    assert hotline.version() == "0.3.0"


def test_a_whole_call():
    now = 1_000_000
    with hotline.Engine(CONFIG, now) as engine:
        engine.agent_login("ann", now)
        engine.call_arrived("call-1", now, caller="+15550100", flow="front",
                            customer={"tier": "gold"})
        play = take(engine, "play")
        assert play["prompts"] == [{"tts": "Press 1 for sales"}]
        now += 3000
        engine.prompt_done("call-1", now)
        engine.digit("call-1", "1", now)
        ring = take(engine, "ring_agent")
        assert ring["agent_id"] == "ann" and ring["call_id"] == "call-1"
        now += 2000
        engine.agent_answered(ring["reservation"], now)
        assert take(engine, "bridge")["agent_id"] == "ann"
        now += 60_000
        engine.agent_hung_up("call-1", now)
        assert take(engine, "hangup")["call_id"] == "call-1"
        assert engine.next_deadline() == now + 10_000
        engine.advance(now + 10_000)
        events = [n.get("event") for n in engine.notifications()]
        assert "offer_accepted" in events and "wrap_up_ended" in events
        assert list(engine.commands()) == []


def test_errors_carry_status_and_message():
    with pytest.raises(hotline.InvalidArgumentError, match="not valid JSON"):
        hotline.Engine("{oops")
    with pytest.raises(hotline.InvalidArgumentError, match=r"\$\.queues\[0\]\.strategy"):
        hotline.Engine({"queues": [{"id": "q", "strategy": "fastest"}]})
    with hotline.Engine(CONFIG) as engine:
        with pytest.raises(hotline.NotFoundError, match="unknown call 'nope'") as info:
            engine.digit("nope", "1", 0)
        assert info.value.status == -2
        with pytest.raises(hotline.IllegalStateError):
            engine.agent_ready("ann", 0)
        with pytest.raises(hotline.NotFoundError):
            engine.agent_answered(99, 0)
        with pytest.raises(hotline.InvalidArgumentError):
            engine.call_arrived("x", 0, flow="front", customer={"bad": [[1]]})
    with pytest.raises(hotline.InvalidArgumentError, match="closed"):
        engine.agent_login("ann", 0)  # closed engines refuse politely
    engine.close()  # closing twice is harmless
