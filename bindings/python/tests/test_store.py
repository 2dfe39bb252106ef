"""Tickets and customers through the Python binding, on a SQLite file and in memory."""
import pytest

import hotline

AGENT = ("alice", "agent")
SUPERVISOR = ("sam", "supervisor")
ADMIN = ("ada", "admin")
NOW = 1795510800000  # 2026-11-24 09:00 UTC


@pytest.fixture(params=["sqlite", "memory"])
def store(request, tmp_path):
    config = {"default_region": "DE",
              "sla": {"urgent": {"first_response_minutes": 30, "resolution_minutes": 240}}}
    if request.param == "sqlite":
        s = hotline.Store(str(tmp_path / "hotline.db"), **config)
    else:
        s = hotline.Store(backend="memory", **config)
    s.set_time(NOW)
    with s:
        yield s


def test_ticket_lifecycle(store):
    customer = store.create_customer(AGENT, name="Jana Novak", phones=["030 1234567"])
    assert customer["phones"] == ["+49301234567"]
    assert store.lookup_ani(AGENT, "+49 30 1234567")["id"] == customer["id"]
    assert store.lookup_ani(AGENT, "+49 30 7654321") is None

    t = store.create_ticket(AGENT, subject="Router down", priority="urgent",
                            customer=customer["id"], group="network")
    assert t["number"] == "T-2026-000001"
    assert t["first_response_due"] == NOW + 30 * 60_000
    assert t["resolution_due"] == NOW + 240 * 60_000
    assert store.ticket("T-2026-000001")["id"] == t["id"]

    store.add_note(AGENT, t["id"], "Engineer on the way")
    store.transfer(SUPERVISOR, t["id"], "field")
    store.set_status(AGENT, t["id"], "resolved")
    rated = store.rate(AGENT, t["id"], 2)
    assert rated["satisfaction"] == 2
    recovery = store.follow_ups(assignee="supervisors")
    assert [f["kind"] for f in recovery] == ["recovery"]
    done = store.complete_follow_up(SUPERVISOR, recovery[0]["id"], "apologised, credit given")
    assert done["status"] == "done"

    fields = [h["field"] for h in store.history(t["id"])["history"]]
    assert fields[:3] == ["created", "first_response", "public_note"]
    assert "group" in fields and "status" in fields and "satisfaction" in fields
    assert [x["id"] for x in store.search("engineer")] == [t["id"]]
    page = store.list_tickets(group="field", limit=10)
    assert [x["id"] for x in page["tickets"]] == [t["id"]] and page["next"] is None

    view = store.view(AGENT, customer["id"])
    assert view["open_tickets"] == []


def test_customers_roles_import_and_erasure(store):
    c = store.create_customer(SUPERVISOR, name="Max", national_id="T22000129",
                              emails=["Max@Example.com"])
    assert store.customer(AGENT, c["id"])["national_id"] == "****0129"
    assert store.customer(SUPERVISOR, c["id"])["national_id"] == "T22000129"
    assert store.audit(SUPERVISOR, entity_id=c["id"])[0]["action"] == "read-sensitive"
    with pytest.raises(hotline.PermissionDeniedError, match="admin"):
        store.export(SUPERVISOR, c["id"])

    report = store.import_csv(SUPERVISOR, "Name,Mail\nMaxi,max@example.com\nEva,eva@example\n",
                              mapping={"Name": "name", "Mail": "email"}, duplicates="merge")
    assert report["merged"] == 1
    assert report["errors"][0]["row"] == 3 and report["errors"][0]["field"] == "emails[0]"

    exported = store.export(ADMIN, c["id"])
    assert exported["customer"]["emails"] == ["max@example.com"]
    store.erase(ADMIN, c["id"])
    assert store.customer(ADMIN, c["id"])["erased"] is True


def test_errors(store):
    with pytest.raises(hotline.InvalidArgumentError, match=r"\$\.subjekt: unknown field"):
        store.create_ticket(AGENT, subjekt="typo")
    with pytest.raises(hotline.NotFoundError, match="4242"):
        store.ticket(4242)
    t = store.create_ticket(AGENT, subject="x")
    with pytest.raises(hotline.IllegalStateError, match="new to closed"):
        store.set_status(AGENT, t["id"], "closed")
    with pytest.raises(hotline.InvalidArgumentError, match="phones"):
        store.create_customer(AGENT, name="Bad", phones=["12"])
    with pytest.raises(hotline.InvalidArgumentError, match="unknown role"):
        store.create_ticket(("x", "boss"), subject="x")
    store.close()
    with pytest.raises(hotline.InvalidArgumentError, match="closed"):
        store.ticket(1)


def test_bad_configuration(tmp_path):
    with pytest.raises(hotline.InvalidArgumentError, match=r"\$\.path"):
        hotline.Store(backend="sqlite")
    with pytest.raises(hotline.InvalidArgumentError, match="time zone"):
        hotline.Store(backend="memory", calendar={"time_zone": "Mars/Olympus"})


def test_a_store_with_exclusive_locking_keeps_the_file_to_itself(tmp_path):
    path = str(tmp_path / "alone.db")
    with hotline.Store(path, locking="exclusive", default_region="DE") as alone:
        alone.set_time(NOW)
        customer = alone.create_customer(AGENT, name="Jana Novak", phones=["030 1234567"])
        assert alone.lookup_ani(AGENT, "030 1234567")["id"] == customer["id"]
        created = alone.create_ticket(AGENT, subject="held alone")
        with pytest.raises(hotline.BusyError, match="exclusive locking"):
            hotline.Store(path, busy_timeout_ms=0)
    with hotline.Store(path) as shared:
        assert shared.ticket(created["number"])["subject"] == "held alone"
    with pytest.raises(hotline.InvalidArgumentError, match=r"\$\.locking"):
        hotline.Store(path, locking="sole")


def test_search_in_chinese_with_snippets_and_pinyin(store):
    zhang = store.create_customer(AGENT, name="张三", phones=["030 7777777"])
    store.create_customer(AGENT, name="李四", phones=["030 8888888"])
    t = store.create_ticket(AGENT, subject="订单号A123退款")
    store.create_ticket(AGENT, subject="發票抬頭錯誤")

    hits = store.search("退款")
    assert [(x["id"], x["snippet"]) for x in hits] == [(t["id"], "订单号A123[退款]")]
    assert [x["subject"] for x in store.search("发票")] == ["發票抬頭錯誤"]
    assert store.search("退申") == []
    assert [c["id"] for c in store.search_customers(AGENT, "zhangsan")] == [zhang["id"]]
    assert [c["id"] for c in store.search_customers(AGENT, "張三")] == [zhang["id"]]
    assert store.search_customers(AGENT, "wangwu") == []
    assert store.search_customers(AGENT, "zhangsan", limit=0) == []


def test_clock_outside_1970_to_9999_is_refused(store):
    for now in (-1, 253402214400001, 2**63 - 1):
        with pytest.raises(hotline.InvalidArgumentError, match="outside 0 to 253402214400000"):
            store.set_time(now)
    store.set_time(253402214400000)
    assert store.create_ticket(AGENT, subject="Far future")["number"] == "T-9999-000001"
