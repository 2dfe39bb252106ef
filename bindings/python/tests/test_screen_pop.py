"""The screen pop from Python: the ring_agent command's args carry the caller, the
customer the store resolved, the IVR path, the digits and the customer's open tickets;
Engine.call_context gives the same object, from inside a switch's ring_agent too, and
NotFoundError for a call the engine does not hold."""
import pytest

import hotline
from hotline import CommandKind

CONFIG = {
    "flows": [{"id": "pop", "start": "account", "nodes": {
        "account": {"type": "collect", "min_digits": 4, "max_digits": 4,
                    "variable": "account", "next": "queue", "fail": "queue"},
        "queue": {"type": "queue", "queue": "sales"}}}],
    "queues": [{"id": "sales"}],
    "agents": [{"id": "ann", "queues": ["sales"]}],
}
CALLER = "+4930123456"
SAM = ("sam", "supervisor")


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "store.db")
    with hotline.Store(path) as store:
        customer = store.create_customer(SAM, name="Li Wei", phones=[CALLER])
        ticket = store.create_ticket(SAM, subject="card blocked", customer=customer["id"])
    return path, ticket


def ring_through_the_flow(engine, call_id):
    engine.agent_login("ann", 0)
    engine.call_arrived(call_id, 1000, caller=CALLER, dialled="95555", flow="pop")
    for key in "4321":
        engine.digit(call_id, key, 1100)


def check_pop(pop, ticket):
    assert pop["caller"] == CALLER
    assert pop["dialled"] == "95555"
    assert pop["queue_id"] == "sales"
    assert pop["customer"]["name"] == "Li Wei"
    assert pop["ivr_path"] == ["account", "queue"]
    assert pop["digits"] == {"account": "4321"}
    assert pop["open_tickets"] == [{
        "id": ticket["id"], "number": ticket["number"], "subject": "card blocked",
        "status": "new", "priority": ticket["priority"], "created_at": ticket["created_at"]}]


def test_the_ring_command_carries_the_pop_and_call_context_matches(db):
    path, ticket = db
    with hotline.Engine(CONFIG, 0) as engine:
        engine.use_store(backend="sqlite", path=path)
        ring_through_the_flow(engine, "c1")
        rings = [c for c in engine.typed_commands() if c.kind == CommandKind.RING_AGENT]
        assert len(rings) == 1
        check_pop(rings[0].args, ticket)
        assert engine.call_context("c1") == rings[0].args
        with pytest.raises(hotline.NotFoundError, match="nobody"):
            engine.call_context("nobody")


class PoppingSwitch(hotline.Telephony):
    """A switch whose ring_agent pulls the pop, as a phone's screen would."""

    def __init__(self):
        self.engine = None
        self.pops = []

    def ring_agent(self, call_id, agent_id, reservation):
        self.pops.append(self.engine.call_context(call_id))


def test_a_switch_pulls_the_pop_from_inside_ring_agent(db):
    path, ticket = db
    switch = PoppingSwitch()
    with hotline.Engine(CONFIG, 0) as engine:
        engine.use_store(backend="sqlite", path=path)
        switch.engine = engine
        engine.set_telephony(switch)
        ring_through_the_flow(engine, "c2")
        assert len(switch.pops) == 1
        check_pop(switch.pops[0], ticket)
