"""A switch written in Python behind the telephony vtable: the engine calls it as
commands arise, unimplemented requests stay for polling, and a failing request
takes the engine's safe path instead of unwinding into C."""
import hotline
from hotline import CommandKind, NotificationKind

CONFIG = {
    "queues": [{"id": "sales", "wrap_up_seconds": 5}],
    "agents": [{"id": "ann", "queues": ["sales"]}, {"id": "bob", "queues": ["sales"]}],
    "flows": [{
        "id": "front", "start": "menu", "nodes": {
            "menu": {"type": "menu", "prompts": ["tts:Press 1 for sales"],
                     "options": {"1": "q"}, "fail": "bye"},
            "q": {"type": "queue", "queue": "sales", "hold": ["moh.wav"]},
            "bye": {"type": "hangup"},
        },
    }],
}


class Switch(hotline.Telephony):
    """Records what it is asked; answers nothing itself (the test plays the caller)."""

    def __init__(self, refuse_ring_for=None):
        self.log = []
        self.refuse_ring_for = refuse_ring_for

    def play(self, call_id, prompts, barge_in, loop):
        self.log.append(("play", call_id, prompts, loop))

    def collect_digits(self, call_id, min_digits, max_digits, terminator):
        self.log.append(("collect_digits", call_id, min_digits, max_digits))

    def ring_agent(self, call_id, agent_id, reservation):
        if agent_id == self.refuse_ring_for:
            raise RuntimeError("the phone is unplugged")
        self.log.append(("ring_agent", call_id, agent_id, reservation))

    def bridge(self, call_id, agent_id):
        self.log.append(("bridge", call_id, agent_id))

    def hangup(self, call_id):
        self.log.append(("hangup", call_id))


def test_the_switch_carries_out_commands_and_the_rest_stay_for_polling():
    switch = Switch()
    with hotline.Engine(CONFIG, 0) as engine:
        engine.set_telephony(switch)
        engine.agent_login("ann", 0)
        engine.call_arrived("c1", 1000, caller="+4930123", flow="front")
        # answer is not overridden: it waits in the poll queue.
        assert [c["kind"] for c in engine.commands()] == [CommandKind.ANSWER]
        assert switch.log[0] == ("play", "c1", [{"tts": "Press 1 for sales"}], False)
        engine.prompt_done("c1", 2000)
        engine.digit("c1", "1", 2500)
        ring = [e for e in switch.log if e[0] == "ring_agent"]
        assert ring and ring[0][1:3] == ("c1", "ann")
        engine.agent_answered(ring[0][3], 3000)
        assert ("bridge", "c1", "ann") in switch.log
        engine.agent_hung_up("c1", 60_000)
        assert ("hangup", "c1") in switch.log

        engine.set_telephony(None)  # back to polling
        engine.call_arrived("c2", 70_000, flow="front")
        kinds = [c["kind"] for c in engine.commands()]
        assert kinds[:2] == [CommandKind.ANSWER, CommandKind.PLAY]


def test_a_failing_ring_counts_as_a_rejection_and_is_reported():
    switch = Switch(refuse_ring_for="ann")
    with hotline.Engine(CONFIG, 0) as engine:
        engine.set_telephony(switch)
        engine.agent_login("ann", 0)
        engine.call_arrived("c1", 1000, queue="sales")
        notes = list(engine.notifications())
        errors = [n for n in notes if n["kind"] == NotificationKind.HOST_ERROR]
        assert errors and errors[0]["what"] == "ring_agent" and errors[0]["status"] == -9
        assert any(n.get("event") == "offer_rejected" for n in notes)
        engine.agent_login("bob", 2000)  # the contact kept its place and goes to bob
        assert [e[2] for e in switch.log if e[0] == "ring_agent"] == ["bob"]


def test_a_hotline_error_passes_its_own_status_back():
    class Busy(Switch):
        def play(self, call_id, prompts, barge_in, loop):
            raise hotline.BusyError("media server saturated")

    with hotline.Engine(CONFIG, 0) as engine:
        engine.set_telephony(Busy())
        engine.call_arrived("c1", 1000, flow="front")
        errors = [n for n in engine.notifications()
                  if n["kind"] == NotificationKind.HOST_ERROR]
        assert errors and errors[0]["what"] == "play" and errors[0]["status"] == -8
