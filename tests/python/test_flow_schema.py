"""The IVR flow JSON Schema accepts the example flows and rejects broken ones."""
import json
import pathlib

import jsonschema
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "docs" / "ivr-flow.schema.json").read_text())


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "examples" / "flows").glob("*.json")))
def test_example_flows_match_the_schema(name):
    flow = json.loads((ROOT / "examples" / "flows" / name).read_text())
    jsonschema.validate(flow, SCHEMA)


@pytest.mark.parametrize(
    "flow",
    [
        {"id": "x", "start": "a", "nodes": {"a": {"type": "tango"}}},
        {"id": "x", "start": "a", "nodes": {"a": {"type": "play", "prompts": ["a.wav"]}}},
        {"id": "x", "start": "a", "nodes": {"a": {"type": "menu", "options": {"x": "a"}, "fail": "a"}}},
        {"id": "x", "start": "a", "nodes": {"a": {"type": "hangup", "colour": "red"}}},
        {"start": "a", "nodes": {"a": {"type": "hangup"}}},
    ],
)
def test_broken_flows_are_rejected(flow):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(flow, SCHEMA)
