"""Customers and tickets over REST: the store's rules, errors with their JSON path, masking."""
import sqlite3
import urllib.parse
from typing import Any

import pytest

from harness.server import ADMIN, AGENT_R01, SUPERVISOR, Server

ANN = {"name": "王小明", "phones": ["+12025550123"], "emails": ["ann@example.com"],
       "tier": "gold", "national_id": "110101199001011234", "payment_info": "4111111111111111"}


def create_customer(server: Server, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    reply = server.request("POST", "/api/v1/customers", SUPERVISOR, fields or ANN)
    assert reply.status == 201, reply.body
    created: dict[str, Any] = reply.json()
    return created


def test_without_a_store_the_store_routes_answer_503(server: Server) -> None:
    for method, path, body in [("GET", "/api/v1/customers?q=x", None),
                               ("GET", "/api/v1/customers/1", None),
                               ("POST", "/api/v1/tickets", {"subject": "s"}),
                               ("PATCH", "/api/v1/tickets/1", {"note": "n"})]:
        reply = server.request(method, path, AGENT_R01, body)
        assert reply.status == 503, (method, path, reply.body)
        assert "--store" in reply.json()["error"]


def test_every_store_route_needs_a_token(stored_server: Server) -> None:
    for method, path in [("GET", "/api/v1/customers?q=x"), ("POST", "/api/v1/customers"),
                         ("GET", "/api/v1/customers/1"), ("PATCH", "/api/v1/customers/1"),
                         ("GET", "/api/v1/tickets"), ("POST", "/api/v1/tickets"),
                         ("GET", "/api/v1/tickets/1"), ("PATCH", "/api/v1/tickets/1")]:
        body = {} if method in ("POST", "PATCH") else None
        assert stored_server.request(method, path, None, body).status == 401, (method, path)


def test_an_agent_reads_a_customer_masked_and_a_supervisor_in_clear(
        stored_server: Server) -> None:
    created = create_customer(stored_server)
    phone = urllib.parse.quote("+12025550123")
    for path in [f"/api/v1/customers?phone={phone}",
                 f"/api/v1/customers?q={urllib.parse.quote('王小明')}"]:
        masked = stored_server.request("GET", path, AGENT_R01).json()["customers"]
        assert [c["id"] for c in masked] == [created["id"]]
        assert masked[0]["phones"] == ["*******0123"]
        assert masked[0]["emails"] == ["***@example.com"]
        assert masked[0]["national_id"] == "****1234"
        assert masked[0]["payment_info"] == "****1111"
        clear = stored_server.request("GET", path, SUPERVISOR).json()["customers"]
        assert clear[0]["phones"] == ["+12025550123"]
        assert clear[0]["emails"] == ["ann@example.com"]
        assert clear[0]["national_id"] == ANN["national_id"]
    view = stored_server.request("GET", f"/api/v1/customers/{created['id']}", AGENT_R01).json()
    assert view["customer"]["phones"] == ["*******0123"]
    assert view["customer"]["national_id"] == "****1234"
    admin_view = stored_server.request("GET", f"/api/v1/customers/{created['id']}", ADMIN).json()
    assert admin_view["customer"]["payment_info"] == ANN["payment_info"]


def test_an_agent_reads_a_customers_attributes_as_keys_only(stored_server: Server) -> None:
    created = create_customer(stored_server, {**ANN, "attributes": {"card_expiry": "09/29",
                                                                    "vip_since": 2019}})
    path = f"/api/v1/customers/{created['id']}"
    masked = stored_server.request("GET", path, AGENT_R01).json()["customer"]
    assert masked["attributes"] == {"card_expiry": "****", "vip_since": "****"}
    listed = stored_server.request("GET", f"/api/v1/customers?q={urllib.parse.quote('王小明')}",
                                   AGENT_R01).json()["customers"]
    assert listed[0]["attributes"] == {"card_expiry": "****", "vip_since": "****"}
    clear = stored_server.request("GET", path, SUPERVISOR).json()["customer"]
    assert clear["attributes"] == {"card_expiry": "09/29", "vip_since": 2019}


def test_a_supervisors_clear_read_of_an_id_number_is_audited(stored_server: Server) -> None:
    created = create_customer(stored_server)
    stored_server.request("GET", f"/api/v1/customers/{created['id']}", SUPERVISOR)
    with sqlite3.connect(stored_server.store) as db:
        rows = db.execute("SELECT actor, action FROM audit_log WHERE entity = 'customer' "
                          "AND entity_id = ?", (created["id"],)).fetchall()
    assert ("supervisor", "read-sensitive") in rows, rows


def test_an_agent_may_not_change_a_sensitive_field(stored_server: Server) -> None:
    created = create_customer(stored_server)
    path = f"/api/v1/customers/{created['id']}"
    refused = stored_server.request("PATCH", path, AGENT_R01, {"national_id": "999"})
    assert refused.status == 403
    renamed = stored_server.request("PATCH", path, AGENT_R01, {"tier": "vip"})
    assert renamed.status == 200 and renamed.json()["tier"] == "vip"
    assert renamed.json()["national_id"] == "****1234"
    clear = stored_server.request("GET", path, SUPERVISOR).json()["customer"]
    assert clear["national_id"] == ANN["national_id"]


def test_the_360_view_holds_the_customers_open_tickets(stored_server: Server) -> None:
    created = create_customer(stored_server)
    filed = stored_server.request("POST", "/api/v1/tickets", AGENT_R01,
                                  {"subject": "Refund not received", "category": "complaint",
                                   "priority": "high", "customer": created["id"]})
    assert filed.status == 201, filed.body
    ticket = filed.json()
    assert ticket["number"].startswith("T-")
    assert ticket["created_by"] == "r01"
    view = stored_server.request("GET", f"/api/v1/customers/{created['id']}", AGENT_R01).json()
    assert [t["id"] for t in view["open_tickets"]] == [ticket["id"]]


def test_a_ticket_is_found_by_its_chinese_words(stored_server: Server) -> None:
    filed = stored_server.request("POST", "/api/v1/tickets", AGENT_R01,
                                  {"subject": "退款没有到账", "description": "客户说三天了"})
    other = stored_server.request("POST", "/api/v1/tickets", AGENT_R01, {"subject": "密码重置"})
    assert filed.status == 201 and other.status == 201
    found = stored_server.request("GET", "/api/v1/tickets?q=" + urllib.parse.quote("退款"),
                                  AGENT_R01).json()["tickets"]
    assert [t["id"] for t in found] == [filed.json()["id"]]
    assert "[退款]" in found[0]["snippet"]
    newest = stored_server.request("GET", "/api/v1/tickets?limit=1", AGENT_R01).json()
    assert [t["id"] for t in newest["tickets"]] == [other.json()["id"]]


def test_a_ticket_patch_moves_the_status_and_keeps_the_note_and_disposition(
        stored_server: Server) -> None:
    ticket = stored_server.request("POST", "/api/v1/tickets", AGENT_R01,
                                   {"subject": "Line down"}).json()
    path = f"/api/v1/tickets/{ticket['id']}"
    done = stored_server.request("PATCH", path, AGENT_R01,
                                 {"status": "resolved", "note": "Reset the router.",
                                  "disposition": "fixed", "priority": "high"})
    assert done.status == 200, done.body
    document = done.json()
    assert document["status"] == "resolved" and document["priority"] == "high"
    assert [n["body"] for n in document["notes"]] == ["Reset the router.", "disposition: fixed"]
    assert stored_server.request("GET", path, SUPERVISOR).json()["status"] == "resolved"
    refused = stored_server.request("PATCH", path, AGENT_R01, {"status": "pending",
                                                               "note": "not kept"})
    assert refused.status == 409
    assert "cannot go from resolved to pending" in refused.json()["error"]
    after = stored_server.request("GET", path, AGENT_R01).json()
    assert after["status"] == "resolved" and len(after["notes"]) == 2
    unknown = stored_server.request("PATCH", path, AGENT_R01, {"status": "open",
                                                               "category": "gossip"})
    assert unknown.status == 400 and unknown.json()["path"] == "$.category"
    assert stored_server.request("GET", path, AGENT_R01).json()["status"] == "resolved"


def test_a_ticket_closes_with_its_last_note(stored_server: Server) -> None:
    ticket = stored_server.request("POST", "/api/v1/tickets", AGENT_R01,
                                   {"subject": "Refund"}).json()
    path = f"/api/v1/tickets/{ticket['id']}"
    assert stored_server.request("PATCH", path, AGENT_R01, {"status": "resolved"}).status == 200
    closed = stored_server.request("PATCH", path, AGENT_R01,
                                   {"status": "closed", "note": "Customer confirmed.",
                                    "disposition": "refunded"})
    assert closed.status == 200, closed.body
    document = stored_server.request("GET", path, SUPERVISOR).json()
    assert document["status"] == "closed"
    assert [n["body"] for n in document["notes"]] == ["Customer confirmed.",
                                                      "disposition: refunded"]
    # A closed ticket takes no note unless the same PATCH reopens it, and then it takes it.
    refused = stored_server.request("PATCH", path, AGENT_R01, {"note": "late", "priority": "high"})
    assert refused.status == 409 and "reopen" in refused.json()["error"]
    after = stored_server.request("GET", path, SUPERVISOR).json()
    assert after["priority"] != "high" and len(after["notes"]) == 2
    reopened = stored_server.request("PATCH", path, AGENT_R01, {"status": "open", "note": "again"})
    assert reopened.status == 200, reopened.body
    assert reopened.json()["status"] == "open"
    assert [n["body"] for n in reopened.json()["notes"]][-1] == "again"


def test_a_refused_ticket_patch_changes_nothing(stored_server: Server) -> None:
    ticket = stored_server.request("POST", "/api/v1/tickets", AGENT_R01,
                                   {"subject": "Slow line"}).json()
    path = f"/api/v1/tickets/{ticket['id']}"
    before = stored_server.request("GET", path, SUPERVISOR).json()
    unknown = stored_server.request("PATCH", path, AGENT_R01,
                                    {"status": "pending", "customer": 999999, "note": "n"})
    assert unknown.status == 404, unknown.body
    after = stored_server.request("GET", path, SUPERVISOR).json()
    assert after["status"] == before["status"]
    assert after["customer"] == before["customer"] and after["notes"] == []
    workflow = stored_server.request("PATCH", path, AGENT_R01,
                                     {"status": "closed", "priority": "high", "note": "n"})
    assert workflow.status == 409 and workflow.json()["path"] == "$.status"
    after = stored_server.request("GET", path, SUPERVISOR).json()
    assert after["status"] == before["status"] and after["priority"] == before["priority"]
    assert after["notes"] == []


@pytest.mark.parametrize("method,path,body,status,error_path", [
    ("POST", "/api/v1/tickets", {"subject": "s", "colour": "red"}, 400, "$.colour"),
    ("POST", "/api/v1/tickets", {"subject": "s", "priority": "asap"}, 400, "$.priority"),
    ("POST", "/api/v1/tickets", {"subject": 7}, 400, "$.subject"),
    ("POST", "/api/v1/customers", {"name": "x", "phone": "1"}, 400, "$.phone"),
    ("PATCH", "/api/v1/tickets/1", {"status": "done"}, 400, "$.status"),
    ("PATCH", "/api/v1/tickets/1", {"note": ""}, 400, "$.note"),
    ("PATCH", "/api/v1/tickets/1", {"colour": "red"}, 400, "$.colour"),
    ("GET", "/api/v1/tickets?limit=0", None, 400, "?limit"),
    ("GET", "/api/v1/customers?name=x", None, 400, "?name"),
])
def test_bad_input_names_its_path(stored_server: Server, method: str, path: str,
                                  body: Any, status: int, error_path: str) -> None:
    stored_server.request("POST", "/api/v1/tickets", AGENT_R01, {"subject": "first"})
    reply = stored_server.request(method, path, AGENT_R01, body)
    assert reply.status == status, reply.body
    assert reply.json()["path"] == error_path, reply.json()


def test_unknown_fields_are_refused_in_the_projects_format(stored_server: Server) -> None:
    stored_server.request("POST", "/api/v1/tickets", AGENT_R01, {"subject": "first"})
    reply = stored_server.request("PATCH", "/api/v1/tickets/1", AGENT_R01, {"colour": "red"})
    assert reply.json()["error"] == (
        "$.colour: unknown field (expected one of: subject, description, category, priority, "
        "customer, status, note, disposition)")
    created = stored_server.request("POST", "/api/v1/tickets", AGENT_R01, {"subject": "s", "x": 1})
    assert created.json()["error"].startswith("$.x: unknown field (expected one of: subject, ")
    customer = stored_server.request("POST", "/api/v1/customers", AGENT_R01, {"nom": "x"})
    assert customer.json()["error"].startswith("$.nom: unknown field (expected one of: name, ")


def test_unknown_records_are_404_and_a_bad_id_is_no_route(stored_server: Server) -> None:
    for path in ["/api/v1/customers/99", "/api/v1/tickets/99", "/api/v1/customers/abc",
                 "/api/v1/tickets/0", "/api/v1/tickets/1/x"]:
        assert stored_server.request("GET", path, AGENT_R01).status == 404, path
    assert stored_server.request("DELETE", "/api/v1/tickets/1", AGENT_R01).status == 405
    assert stored_server.request("PUT", "/api/v1/customers", AGENT_R01, {}).status == 405


def test_store_responses_keep_the_restrictive_headers(stored_server: Server) -> None:
    reply = stored_server.request("POST", "/api/v1/tickets", AGENT_R01,
                                  {"subject": "<script>alert(1)</script>"})
    assert reply.status == 201
    assert reply.headers["content-security-policy"].startswith("default-src 'none'")
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.json()["subject"] == "<script>alert(1)</script>"
