"""The engine on its own libuv loop, fed from another thread, heard through a callback."""
import threading

import pytest

import hotline

CONFIG = {
    "queues": [{"id": "sales", "wrap_up_seconds": 1}],
    "agents": [{"id": "ann", "queues": ["sales"]}],
    "flows": [{
        "id": "front", "start": "ticket", "nodes": {
            "ticket": {"type": "ticket", "fields": {"subject": "Call from ${call.caller}"},
                       "next": "q"},
            "q": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]},
        },
    }],
}


def test_call_on_the_loop_with_a_callback(tmp_path):
    db = str(tmp_path / "tickets.db")
    seen = []
    with hotline.Engine(CONFIG, hotline.Engine.now()) as engine:
        engine.use_store(backend="sqlite", path=db)

        def on_note(note):
            seen.append(note)
            if note.get("event") == "offer":
                # A real switch would ring the phone; here the agent answers at once.
                engine.post("agent_answered", reservation=note["reservation"])
            if note.get("event") == "offer_accepted":
                engine.post("agent_hung_up", call_id=note["call_id"])
            if note.get("event") == "wrap_up_ended":
                engine.stop()
            if note.get("event") == "contact_queued":
                raise RuntimeError("a failing callback must not break the engine")

        engine.on_notification(on_note)

        def caller():
            engine.post("agent_login", agent_id="ann")
            engine.post("call_arrived", call_id="c1", caller="+4930123456", flow_id="front")

        thread = threading.Thread(target=caller)
        thread.start()
        thread.join()
        engine.run()

        events = [n.get("event") for n in seen]
        assert "offer_accepted" in events and "wrap_up_ended" in events
        stats = engine.stats()
        assert stats["queues"]["sales"]["answered"] == 1
        assert stats["agents"]["ann"]["state"] == "available"

    with hotline.Store(db) as store:
        assert [t["subject"] for t in store.search("call")] == ["Call from +4930123456"]


def test_post_errors():
    with hotline.Engine(CONFIG, 0) as engine:
        with pytest.raises(hotline.InvalidArgumentError,
                           match=r"^\$\.event: unknown event \(expected one of: call_arrived, "):
            engine.post("dance")
        with pytest.raises(hotline.IllegalStateError):
            engine.stop()


def test_configuration_and_transfer():
    with hotline.Engine({"queues": [{"id": "sales"}], "agents": []}, 0) as engine:
        engine.set_queue({"id": "billing"})
        engine.set_agent({"id": "sam", "queues": ["sales"]}, 0)
        engine.set_agent({"id": "bea", "queues": ["billing"]}, 0)
        with pytest.raises(hotline.InvalidArgumentError, match=r"\$\.strategy"):
            engine.set_queue({"id": "billing", "strategy": "fastest"})
        engine.agent_login("sam", 0)
        engine.agent_login("bea", 0)
        engine.call_arrived("c1", 1000, queue="sales")
        ring = next(c for c in engine.commands() if c["kind"] == "ring_agent")
        engine.agent_answered(ring["reservation"], 2000)
        list(engine.commands())
        engine.transfer("c1", "billing", 3000)
        rings = [c for c in engine.commands() if c["kind"] == "ring_agent"]
        assert [r["agent_id"] for r in rings] == ["bea"]
        with pytest.raises(hotline.IllegalStateError):
            engine.remove_agent("sam")
