"""Version-2 host tables: the engine writes the IVR's tickets into the host's
storage, and every table it drops (a switch replaced or removed, a storage
replaced, the engine or a store closed) gets exactly one destroy(), after which
it is never called; the ctypes callbacks stay alive until then, whoever holds
the Python objects."""
import gc

import hotline
from hotline import CommandKind, RoutingEvent

CONFIG = {
    "queues": [{"id": "sales"}],
    "agents": [{"id": "ann", "queues": ["sales"]}],
    "flows": [{"id": "front", "start": "ticket", "nodes": {
        "ticket": {"type": "ticket", "fields": {"subject": "Callback for ${call.caller}"},
                   "variable": "ticket", "next": "q"},
        "q": {"type": "queue", "queue": "sales"},
    }}],
}


class DictStorage(hotline.HostStorage):
    """Records in a dict; counts close() and destroy()."""

    def __init__(self):
        self.records = {}
        self.saved = None
        self.closed = 0
        self.destroyed = 0
        self.calls_after_destroy = 0

    def _touch(self):
        if self.destroyed:
            self.calls_after_destroy += 1

    def begin(self):
        self._touch()
        self.saved = dict(self.records)

    def commit(self):
        self._touch()
        self.saved = None

    def rollback(self):
        self._touch()
        self.records, self.saved = self.saved or self.records, None

    def put(self, kind, record_id, record):
        self._touch()
        self.records[(kind, record_id)] = record

    def get(self, kind, record_id):
        self._touch()
        return self.records.get((kind, record_id))

    def scan(self, kind):
        self._touch()
        return [(i, r) for (k, i), r in list(self.records.items()) if k == kind]

    def close(self):
        self.closed += 1

    def destroy(self):
        assert self.closed == 1, "close comes before destroy"
        self.destroyed += 1


class Switch(hotline.Telephony):
    """Counts rings (into `rings`, which the test may keep) and destroy()."""

    def __init__(self, rings=None):
        self.rings = [] if rings is None else rings
        self.destroyed = 0

    def ring_agent(self, call_id, agent_id, reservation):
        assert not self.destroyed, "called after destroy"
        self.rings.append((call_id, agent_id))

    def destroy(self):
        self.destroyed += 1
        self.rings.append("destroyed")


def test_the_host_storage_receives_the_ivr_ticket_and_is_destroyed_once():
    storage = DictStorage()
    with hotline.Engine(CONFIG, hotline.Engine.now()) as engine:
        engine.use_host_storage(storage, default_region="DE")

        def on_note(note):
            if note.get("event") == RoutingEvent.CONTACT_QUEUED:
                engine.stop()  # the ticket node finished: the call reached the queue

        engine.on_notification(on_note)
        engine.post("call_arrived", call_id="c1", caller="+4930123456", flow_id="front")
        engine.run()
        tickets = [r for (kind, _), r in storage.records.items() if kind == "ticket"]
        assert len(tickets) == 1 and "Callback for +4930123456" in tickets[0]
        assert storage.destroyed == 0
    assert (storage.closed, storage.destroyed, storage.calls_after_destroy) == (1, 1, 0)


def test_replacing_the_engines_storage_destroys_the_one_before():
    first, second = DictStorage(), DictStorage()
    with hotline.Engine(CONFIG, 0) as engine:
        engine.use_host_storage(first)
        engine.use_host_storage(second)
        assert (first.closed, first.destroyed) == (1, 1)
        assert second.destroyed == 0
        engine.use_store(backend="memory")
        assert (second.closed, second.destroyed) == (1, 1)


def test_a_refused_storage_is_neither_kept_nor_destroyed():
    storage = DictStorage()
    with hotline.Engine(CONFIG, 0) as engine:
        try:
            engine.use_host_storage(storage, backend="sqlite")
        except hotline.InvalidArgumentError:
            pass
        else:
            raise AssertionError("a host storage takes no backend")
    assert (storage.closed, storage.destroyed) == (0, 0)


def test_a_store_over_host_storage_closes_then_destroys_once():
    storage = DictStorage()
    store = hotline.Store.over(storage)
    store.create_ticket(("ann", hotline.Role.AGENT), subject="x")
    store.close()
    store.close()
    assert (storage.closed, storage.destroyed) == (1, 1)


def test_a_replaced_switch_is_destroyed_once_and_callbacks_outlive_their_owner():
    second_rings = []
    first, second = Switch(), Switch(second_rings)
    with hotline.Engine(CONFIG, 0) as engine:
        engine.set_telephony(first)
        engine.set_telephony(second)
        assert (first.destroyed, second.destroyed) == (1, 0)
        # The engine holds the only reference to the switch's callbacks: they must
        # survive a garbage collection while C may still call them.
        del second
        gc.collect()
        engine.agent_login("ann", 0)
        engine.call_arrived("c1", 1000, queue="sales")
        assert CommandKind.RING_AGENT not in [c.kind for c in engine.typed_commands()]
        assert second_rings == [("c1", "ann")]
        engine.set_telephony(None)
        assert second_rings[-1] == "destroyed"
    assert second_rings.count("destroyed") == 1
    assert first.destroyed == 1 and first.rings == ["destroyed"]  # never rung


def test_closing_the_engine_destroys_its_switch_once():
    switch = Switch()
    engine = hotline.Engine(CONFIG, 0)
    engine.set_telephony(switch)
    engine.agent_login("ann", 0)
    engine.call_arrived("c1", 1000, queue="sales")
    assert switch.rings == [("c1", "ann")]
    engine.close()
    engine.close()
    assert switch.destroyed == 1 and switch.rings == [("c1", "ann"), "destroyed"]


def test_a_destroy_that_raises_is_reported_and_never_unwinds_into_c(capsys):
    class Broken(hotline.Telephony):
        def destroy(self):
            raise RuntimeError("the switch is already gone")

    class BrokenStorage(DictStorage):
        def destroy(self):
            raise RuntimeError("the database is already gone")

    engine = hotline.Engine(CONFIG, 0)
    engine.set_telephony(Broken())
    engine.use_host_storage(BrokenStorage())
    engine.close()
    err = capsys.readouterr().err
    assert "the switch is already gone" in err and "the database is already gone" in err
    # The engine after it is as usable as any other.
    with hotline.Engine(CONFIG, 0) as again:
        again.agent_login("ann", 0)
