"""The interval history (hl_engine_intervals) through the Python binding."""
import pytest

import hotline

MINUTE = 60_000
CONFIG = {
    "queues": [{"id": "sales"}],
    "agents": [{"id": "ann", "queues": ["sales"]}],
    "flows": [{"id": "info", "start": "bye", "nodes": {"bye": {"type": "hangup"}}}],
}


def ring(engine):
    for command in engine.commands():
        if command["kind"] == "ring_agent":
            return command
    raise AssertionError("no ring_agent command")


def a_morning(engine):
    """c1 arrives at 00:29 and is answered at 00:31; c2 ends in the IVR at 00:40."""
    engine.call_arrived("c1", 29 * MINUTE, queue="sales")
    engine.agent_login("ann", 31 * MINUTE)
    engine.agent_answered(ring(engine)["reservation"], 31 * MINUTE)
    engine.call_arrived("c2", 40 * MINUTE, flow="info")  # its flow hangs up at once


def test_an_answer_is_counted_in_the_interval_its_call_arrived_in():
    with hotline.Engine(CONFIG, 0) as engine:
        a_morning(engine)
        history = engine.intervals(0, 60 * MINUTE, interval_minutes=15)
        assert history["interval_minutes"] == 15
        rows = {row["start_ms"]: row for row in history["queues"]["sales"]}
        assert sorted(rows) == [0, 15 * MINUTE, 30 * MINUTE, 45 * MINUTE]
        assert rows[15 * MINUTE]["offered"] == 1
        assert rows[15 * MINUTE]["answered"] == 1
        assert rows[15 * MINUTE]["asa_ms"] == 2 * MINUTE
        assert rows[30 * MINUTE]["answered"] == 0
        assert rows[30 * MINUTE]["service_level"] is None
        ann = {row["start_ms"]: row for row in history["agents"]["ann"]}
        assert ann[30 * MINUTE]["answered"] == 1
        assert ann[0]["occupancy"] is None


def test_self_service_and_a_filter_on_one_queue():
    with hotline.Engine(CONFIG, 0) as engine:
        a_morning(engine)
        history = engine.intervals(0, 60 * MINUTE, queue="sales", agents=False)
        assert "agents" not in history
        assert list(history["queues"]) == ["sales"]
        calls = {row["start_ms"]: row for row in history["calls"]}
        assert calls[30 * MINUTE]["self_served"] == 1
        assert calls[30 * MINUTE]["self_service_share"] == 1.0
        assert calls[0]["self_served"] == 0


def test_bad_queries_name_the_field():
    with hotline.Engine(CONFIG, 0) as engine:
        a_morning(engine)
        with pytest.raises(hotline.InvalidArgumentError, match="interval_minutes"):
            engine.intervals(0, 60 * MINUTE, interval_minutes=20)
        with pytest.raises(hotline.InvalidArgumentError, match="to_ms"):
            engine.intervals(60 * MINUTE, 0)
        with pytest.raises(hotline.NotFoundError, match="queue_id"):
            engine.intervals(0, 60 * MINUTE, queue="nobody")


def test_the_queue_log_agrees_with_the_history(tmp_path):
    path = tmp_path / "queue_log"
    with hotline.Engine(CONFIG, 0) as engine:
        engine.set_queue_log(str(path))
        a_morning(engine)
        engine.set_queue_log(None)
        history = engine.intervals(0, 60 * MINUTE)
    events = [line.split("|")[4] for line in path.read_text().splitlines()
              if line.split("|")[2] == "sales"]
    offered = sum(row["offered"] for row in history["queues"]["sales"])
    answered = sum(row["answered"] for row in history["queues"]["sales"])
    assert events.count("ENTERQUEUE") == offered == 1
    assert events.count("CONNECT") == answered == 1
    with pytest.raises(hotline.HotlineError, match="/nonexistent-folder/queue_log"):
        with hotline.Engine(CONFIG, 0) as engine:
            engine.set_queue_log("/nonexistent-folder/queue_log")
