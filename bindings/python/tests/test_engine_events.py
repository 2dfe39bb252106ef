"""Every engine event and configuration change through the binding, beyond the
whole-call scenario: recordings, host results, offers declined or unanswered,
agent states, flows and queues changed while running, typed events posted."""
import ctypes
import ctypes.util

import pytest

import hotline
from hotline import AgentState, CommandKind, EventKind, NotificationKind, RoutingEvent

FLOWS = [{
    "id": "voicemail", "start": "rec", "nodes": {
        "rec": {"type": "record", "prompts": ["tts:Speak after the tone"], "max_seconds": 60,
                "finish_key": "#", "variable": "message", "next": "bye"},
        "bye": {"type": "hangup"},
    },
}, {
    "id": "balance", "start": "ask", "nodes": {
        "ask": {"type": "lookup", "function": "balance", "args": {"who": "${call.caller}"},
                "variable": "account", "next": "ok", "error": "sorry"},
        "ok": {"type": "play", "prompts": ["tts:Your balance is ${vars.account.amount}"],
               "next": "bye"},
        "sorry": {"type": "hangup", "prompts": ["tts:Sorry"]},
        "bye": {"type": "hangup"},
    },
}]
CONFIG = {"queues": [{"id": "sales", "wrap_up_seconds": 30}],
          "agents": [{"id": "ann", "queues": ["sales"]}, {"id": "bob", "queues": ["sales"]}],
          "flows": FLOWS}


def kinds(engine):
    return [c["kind"] for c in engine.commands()]


def test_a_recording_ends_and_the_flow_goes_on():
    with hotline.Engine(CONFIG) as engine:
        engine.call_arrived("c1", 0, flow="voicemail")
        commands = list(engine.commands())
        engine.prompt_done("c1", 1000)
        record = next(c for c in engine.commands() if c["kind"] == CommandKind.RECORD)
        assert record["max_ms"] == 60_000 and record["finish_key"] == "#"
        assert commands[0]["kind"] == CommandKind.ANSWER
        engine.recording_done("c1", "file:///vm/c1.wav", 20_000)
        assert CommandKind.HANGUP in kinds(engine)


def test_a_host_result_answers_a_lookup():
    with hotline.Engine(CONFIG) as engine:
        engine.call_arrived("c1", 0, caller="+4930555", flow="balance")
        lookup = next(c for c in engine.commands() if c["kind"] == CommandKind.LOOKUP)
        assert lookup["function"] == "balance" and lookup["args"] == {"who": "+4930555"}
        engine.host_result(lookup["request_id"], True, {"amount": "12.50"}, 500)
        play = next(c for c in engine.commands() if c["kind"] == CommandKind.PLAY)
        assert play["prompts"] == [{"tts": "Your balance is 12.50"}]

        engine.call_arrived("c2", 1000, caller="+4930556", flow="balance")
        lookup = next(c for c in engine.commands() if c["kind"] == CommandKind.LOOKUP)
        engine.host_result(lookup["request_id"], False, None, 1500)
        play = next(c for c in engine.commands() if c["kind"] == CommandKind.PLAY)
        assert play["prompts"] == [{"tts": "Sorry"}]


def ring(engine):
    return next(c for c in engine.commands() if c["kind"] == CommandKind.RING_AGENT)


def test_declined_and_unanswered_offers_go_to_the_next_agent():
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("ann", 0)
        engine.agent_login("bob", 0)
        engine.call_arrived("c1", 1000, queue="sales")
        first = ring(engine)
        engine.agent_rejected(first["reservation"], 2000)
        second = ring(engine)
        assert second["agent_id"] != first["agent_id"]
        engine.agent_no_answer(second["reservation"], 20_000)
        events = [n.get("event") for n in engine.notifications()]
        assert RoutingEvent.OFFER_REJECTED in events and RoutingEvent.OFFER_TIMED_OUT in events


def agent_state(engine, agent):
    return AgentState(engine.stats(0)["agents"][agent]["state"])


def test_agent_states_and_an_early_end_of_wrap_up():
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("ann", 0)
        assert agent_state(engine, "ann") is AgentState.AVAILABLE
        engine.agent_not_ready("ann", "lunch", 100)
        assert agent_state(engine, "ann") is AgentState.NOT_READY
        engine.agent_ready("ann", 200)
        engine.call_arrived("c1", 1000, queue="sales")
        engine.agent_answered(ring(engine)["reservation"], 2000)
        engine.agent_hung_up("c1", 3000)
        assert agent_state(engine, "ann") is AgentState.WRAP_UP
        engine.wrap_up_done("c1", 4000)
        assert agent_state(engine, "ann") is AgentState.AVAILABLE
        engine.agent_logout("ann", 5000)
        assert agent_state(engine, "ann") is AgentState.LOGGED_OUT
        notes = list(engine.notifications())
        assert all(AgentState(n["to"]) for n in notes
                   if n.get("event") == RoutingEvent.AGENT_STATE_CHANGED)
        engine.remove_agent("ann")
        with pytest.raises(hotline.NotFoundError):
            engine.agent_login("ann", 6000)


def test_flows_and_queues_change_while_running():
    with hotline.Engine({"queues": [{"id": "sales"}], "agents": []}) as engine:
        engine.load_flow({"id": "short", "start": "bye", "nodes": {"bye": {"type": "hangup"}}})
        engine.call_arrived("c1", 0, flow="short")
        assert kinds(engine)[-1] == CommandKind.HANGUP
        with pytest.raises(hotline.InvalidArgumentError, match=r"\$\.nodes"):
            engine.load_flow({"id": "broken", "start": "x", "nodes": {"x": {"type": "dance"}}})
        engine.remove_queue("sales")
        with pytest.raises(hotline.NotFoundError):
            engine.call_arrived("c2", 0, queue="sales")


def test_every_kind_the_engine_emits_is_in_the_vocabulary():
    with hotline.Engine(CONFIG) as engine:
        engine.agent_login("ann", 0)
        engine.call_arrived("c1", 0, flow="voicemail")
        engine.call_arrived("c2", 0, queue="sales")
        engine.agent_rejected(ring(engine)["reservation"], 10)
        for c in engine.commands():
            CommandKind(c["kind"])
        for n in engine.notifications():
            NotificationKind(n["kind"])
            if n["kind"] == NotificationKind.ROUTING:
                RoutingEvent(n["event"])


def libuv():
    return ctypes.CDLL(ctypes.util.find_library("uv") or "libuv.so.1")


def test_the_engine_joins_a_libuv_loop_of_the_host():
    uv = libuv()
    uv.uv_loop_size.restype = ctypes.c_size_t
    loop = ctypes.create_string_buffer(uv.uv_loop_size())
    assert uv.uv_loop_init(loop) == 0
    seen = []
    with hotline.Engine(CONFIG, hotline.Engine.now()) as engine:
        engine.on_notification(seen.append)
        engine.attach(ctypes.addressof(loop))
        engine.post_event({"event": EventKind.AGENT_LOGIN.value, "agent_id": "ann"})
        for _ in range(100):
            if any(n.get("event") == RoutingEvent.AGENT_STATE_CHANGED for n in seen):
                break
            uv.uv_run(loop, 2)  # UV_RUN_NOWAIT: the host's loop, stepped by the host
        changed = [n for n in seen if n.get("event") == RoutingEvent.AGENT_STATE_CHANGED]
        assert changed and changed[0]["to"] == AgentState.AVAILABLE
        engine.detach()
        uv.uv_run(loop, 2)  # lets libuv close the engine's handles
    assert uv.uv_loop_close(loop) == 0  # nothing of the engine is left on the loop


def test_posting_a_typed_event_with_an_unknown_kind_is_refused():
    with hotline.Engine(CONFIG) as engine:
        with pytest.raises(hotline.InvalidArgumentError,
                           match=r"^\$\.event: unknown event \(expected one of: call_arrived, "):
            engine.post_event({"event": "dance"})
