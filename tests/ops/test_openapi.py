"""docs/openapi.yaml is a valid OpenAPI document and the running server keeps to it."""
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from openapi_spec_validator import validate as validate_openapi_document

from harness.server import ADMIN, AGENT_R01, REPO, SUPERVISOR, Response, Server

SPEC_PATH = REPO / "docs" / "openapi.yaml"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
    return document


def operation(spec: dict[str, Any], method: str, path: str) -> tuple[str, dict[str, Any]]:
    """The documented template matching `path` (its query aside) and its operation."""
    path = path.split("?", 1)[0]
    for template, item in spec["paths"].items():
        pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path):
            assert method.lower() in item, f"{method} {template} is not documented"
            return template, item[method.lower()]
    raise AssertionError(f"{path} is not documented")


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def check_against_spec(spec: dict[str, Any], method: str, path: str, reply: Response) -> None:
    template, op = operation(spec, method, path)
    documented = op["responses"]
    assert str(reply.status) in documented, \
        f"{method} {template} answered {reply.status}, not documented ({sorted(documented)})"
    response = resolve(spec, documented[str(reply.status)])
    media = reply.headers["content-type"].split(";")[0].strip()
    assert media in response["content"], f"{method} {template}: {media} not documented"
    schema = response["content"][media]["schema"]
    body: Any = reply.json() if media == "application/json" else reply.body.decode()
    # The document is the root, so the schema's references resolve inside it.
    root = dict(spec)
    root.update(schema)
    jsonschema.Draft202012Validator(root).validate(body)


def test_the_document_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate_openapi_document(spec)


def test_every_documented_route_answers_as_documented(stored_server: Server,
                                                      spec: dict[str, Any]) -> None:
    server = stored_server
    customer = {"name": "Ann Lee", "phones": ["+12025550123"], "emails": ["ann@example.com"],
                "national_id": "110101199001011234"}
    exchanges = [
        ("GET", "/api/v1/queues", AGENT_R01, None),
        ("GET", "/api/v1/queues", None, None),
        ("POST", "/api/v1/agents/r01/state", AGENT_R01, {"state": "login"}),
        ("POST", "/api/v1/agents/r01/state", AGENT_R01, {"state": "not_ready", "reason": "x"}),
        ("POST", "/api/v1/agents/r02/state", AGENT_R01, {"state": "login"}),
        ("POST", "/api/v1/agents/r02/state", SUPERVISOR, {"state": "ready"}),
        ("POST", "/api/v1/agents/r02/state", SUPERVISOR, {"state": "dancing"}),
        ("POST", "/api/v1/agents/zz/state", ADMIN, {"state": "login"}),
        ("GET", "/api/v1/agents", AGENT_R01, None),
        ("GET", "/api/v1/agents", SUPERVISOR, None),
        ("GET", "/api/v1/stats", SUPERVISOR, None),
        ("GET", "/api/v1/stats", AGENT_R01, None),
        ("GET", "/metrics", ADMIN, None),
        ("GET", "/metrics", AGENT_R01, None),
        ("POST", "/api/v1/session", AGENT_R01, None),
        ("POST", "/api/v1/session", None, None),
        ("GET", "/api/v1/session", SUPERVISOR, None),
        ("GET", "/api/v1/session", None, None),
        ("DELETE", "/api/v1/session", None, None),
        ("GET", "/api/v1/wallboard", AGENT_R01, None),
        ("POST", "/api/v1/customers", SUPERVISOR, customer),
        ("POST", "/api/v1/customers", AGENT_R01, {"name": "x", "colour": "red"}),
        ("GET", "/api/v1/customers?phone=%2B12025550123", AGENT_R01, None),
        ("GET", "/api/v1/customers?q=Ann", SUPERVISOR, None),
        ("GET", "/api/v1/customers?limit=500", SUPERVISOR, None),
        ("GET", "/api/v1/customers/1", AGENT_R01, None),
        ("GET", "/api/v1/customers/1", SUPERVISOR, None),
        ("GET", "/api/v1/customers/42", SUPERVISOR, None),
        ("PATCH", "/api/v1/customers/1", AGENT_R01, {"tier": "gold"}),
        ("PATCH", "/api/v1/customers/1", AGENT_R01, {"national_id": "1"}),
        ("POST", "/api/v1/tickets", AGENT_R01, {"subject": "Refund", "customer": 1}),
        ("POST", "/api/v1/tickets", AGENT_R01, {"subject": "Refund", "priority": "asap"}),
        ("GET", "/api/v1/tickets?q=Refund", AGENT_R01, None),
        ("GET", "/api/v1/tickets", SUPERVISOR, None),
        ("GET", "/api/v1/tickets/1", AGENT_R01, None),
        ("PATCH", "/api/v1/tickets/1", AGENT_R01, {"status": "resolved", "note": "done"}),
        ("PATCH", "/api/v1/tickets/1", AGENT_R01, {"status": "pending"}),
        ("GET", "/api/v1/tickets/7", AGENT_R01, None),
        ("GET", "/api/v1/customers/1", ADMIN, None),
        ("POST", "/api/v1/calls/c1/actions", AGENT_R01, {"action": "hold"}),
        ("POST", "/api/v1/calls/c1/actions", AGENT_R01, {"action": "hold", "code": "x"}),
        ("POST", "/api/v1/calls/c1/actions", SUPERVISOR, {"action": "monitor"}),
        ("POST", "/api/v1/calls/c1/actions", None, {"action": "hold"}),
        ("POST", "/api/v1/agents/r01/force", SUPERVISOR, {"state": "logout"}),
        ("POST", "/api/v1/agents/r01/force", AGENT_R01, {"state": "logout"}),
        ("POST", "/api/v1/agents/r01/force", None, {"state": "logout"}),
    ]
    exercised = set()
    statuses = set()
    for method, path, token, body in exchanges:
        reply = server.request(method, path, token, body)
        check_against_spec(spec, method, path, reply)
        exercised.add(operation(spec, method, path)[0])
        statuses.add(reply.status)
    assert exercised == set(spec["paths"]), "a documented route went unexercised"
    assert {200, 201, 400, 401, 403, 404, 409} <= statuses


def test_the_store_routes_without_a_store_answer_as_documented(server: Server,
                                                               spec: dict[str, Any]) -> None:
    for method, path, body in [("GET", "/api/v1/customers?q=x", None),
                               ("POST", "/api/v1/tickets", {"subject": "s"}),
                               ("GET", "/api/v1/tickets/1", None)]:
        reply = server.request(method, path, AGENT_R01, body)
        assert reply.status == 503
        check_against_spec(spec, method, path, reply)
