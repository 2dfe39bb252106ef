"""/metrics: Prometheus text that promtool accepts and that follows the center."""
import re
import shutil
import subprocess

import pytest

from harness.server import SUPERVISOR, Server


def sample(text: str, name: str, **labels: str) -> float:
    wanted = ",".join(f'{k}="{v}"' for k, v in labels.items())
    match = re.search(rf"^{re.escape(name)}\{{{re.escape(wanted)}\}} (\S+)$", text, re.M)
    assert match, f"no sample {name}{{{wanted}}}"
    return float(match.group(1))


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool (Debian prometheus)")
def test_promtool_accepts_the_live_metrics(server: Server) -> None:
    server.set_state(SUPERVISOR, "r01", "login")
    reply = server.request("GET", "/metrics", SUPERVISOR)
    assert reply.status == 200
    assert reply.headers["content-type"].startswith("text/plain; version=0.0.4")
    check = subprocess.run(["promtool", "check", "metrics"], input=reply.body,
                           capture_output=True, timeout=30)
    assert check.returncode == 0, check.stdout.decode() + check.stderr.decode()


def test_metrics_follow_agent_states_per_queue(server: Server) -> None:
    before = server.request("GET", "/metrics", SUPERVISOR).body.decode()
    assert sample(before, "hotline_queue_agents", queue="retail", state="available") == 0
    logged_out = sample(before, "hotline_queue_agents", queue="retail", state="logged_out")
    server.set_state(SUPERVISOR, "r01", "login")
    server.set_state(SUPERVISOR, "r02", "login")
    server.set_state(SUPERVISOR, "r02", "not_ready", "break")
    after = server.request("GET", "/metrics", SUPERVISOR).body.decode()
    assert sample(after, "hotline_queue_agents", queue="retail", state="available") == 1
    assert sample(after, "hotline_queue_agents", queue="retail", state="not_ready") == 1
    assert sample(after, "hotline_queue_agents", queue="retail",
                  state="logged_out") == logged_out - 2


def test_metrics_name_every_family_the_docs_promise(server: Server) -> None:
    text = server.request("GET", "/metrics", SUPERVISOR).body.decode()
    for family, kind in [("hotline_queue_waiting", "gauge"),
                         ("hotline_queue_longest_wait_seconds", "gauge"),
                         ("hotline_queue_agents", "gauge"),
                         ("hotline_queue_offered_total", "counter"),
                         ("hotline_queue_answered_total", "counter"),
                         ("hotline_queue_abandoned_total", "counter"),
                         ("hotline_queue_answered_within_threshold_total", "counter"),
                         ("hotline_queue_wait_seconds", "histogram"),
                         ("hotline_queue_handle_seconds", "histogram")]:
        assert f"# TYPE {family} {kind}\n" in text
    # The VIP queue is measured against its own 10 s, not the global 20 s.
    assert sample(text, "hotline_queue_service_level_threshold_seconds", queue="vip") == 10
    assert sample(text, "hotline_queue_wait_seconds_bucket", queue="vip", le="+Inf") == 0
