"""Tickets and customers kept in the host's own storage, written in Python: records
go through put/get/scan inside transactions, and a failing write undoes the whole
operation."""
import pytest

import hotline

AGENT = ("alice", hotline.Role.AGENT)


class DictStorage(hotline.HostStorage):
    """Records in a dict, with a copy taken at begin() for rollback."""

    def __init__(self):
        self.records = {}
        self.saved = None
        self.fail_kind = None
        self.closed = False

    def begin(self):
        self.saved = dict(self.records)

    def commit(self):
        self.saved = None

    def rollback(self):
        if self.saved is not None:
            self.records = self.saved
        self.saved = None

    def put(self, kind, record_id, record):
        if kind == self.fail_kind:
            raise hotline.StorageError(f"disk full writing a {kind}")
        self.records[(kind, record_id)] = record

    def get(self, kind, record_id):
        return self.records.get((kind, record_id))

    def scan(self, kind):
        return [(i, r) for (k, i), r in list(self.records.items()) if k == kind]

    def close(self):
        self.closed = True


def test_tickets_and_customers_live_in_the_host_storage():
    storage = DictStorage()
    with hotline.Store.over(storage, default_region="DE") as store:
        customer = store.create_customer(AGENT, name="Jana", phones=["030 1234567"])
        assert ("customer", customer["id"]) in storage.records
        assert store.lookup_ani(AGENT, "+49301234567")["id"] == customer["id"]
        ticket = store.create_ticket(AGENT, subject="Card blocked", customer=customer["id"])
        assert store.ticket(ticket["number"])["id"] == ticket["id"]
        assert [t["id"] for t in store.search("blocked")] == [ticket["id"]]
    assert storage.closed


def test_a_failing_write_rolls_the_operation_back():
    storage = DictStorage()
    with hotline.Store.over(storage) as store:
        ticket = store.create_ticket(AGENT, subject="x")
        before = dict(storage.records)
        storage.fail_kind = "note"
        with pytest.raises(hotline.StorageError, match="put"):
            store.add_note(AGENT, ticket["id"], "lost")
        assert storage.records == before
        storage.fail_kind = None
        store.add_note(AGENT, ticket["id"], "kept")
        assert [n["body"] for n in store.history(ticket["id"])["notes"]] == ["kept"]
