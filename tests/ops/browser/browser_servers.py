"""The servers the pages' tests start: hotline-ops or hotline-sim --serve with ops.json's
extra keys (the wallboard's thresholds) and the charting library."""
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.server import TOKENS, Server, SimulatedDay, binary  # noqa: E402

# Debian's libjs-chart.js; HOTLINE_CHARTJS_DIR names another folder holding the library.
CHARTJS_DIR = os.environ.get("HOTLINE_CHARTJS_DIR", "/usr/share/javascript/chart.js")


class PagesMixin:
    """Adds ops.json's extra keys (the wallboard's thresholds) and the charting library."""

    folder: Path
    extra: dict[str, Any] = {}

    def command(self, access: Path) -> list[str]:
        access.write_text(json.dumps({"tokens": TOKENS, **self.extra}))
        return super().command(access) + ["--chartjs", CHARTJS_DIR]  # type: ignore[misc]


class PagesServer(PagesMixin, Server):
    pass


class PagesDay(PagesMixin, SimulatedDay):
    # 100 simulated minutes a second: the calls begin (07:00) within 5 s.
    speed = 6000


class DeskDay(PagesMixin, SimulatedDay):
    """hotline-sim --serve over a scenario of its own, with --store: the rings of its callers
    pop the customers of that store on the agent's desktop."""

    def __init__(self, folder: Path, scenario: dict[str, Any], speed: float) -> None:
        agents = {agent["id"] for agent in scenario["agents"]}
        # The tokens of the scenario's agents, and the supervisor's and admin's.
        super().__init__(folder, store=folder / "desk.sqlite",
                         tokens=[t for t in TOKENS if t.get("agent_id", next(iter(agents)))
                                 in agents])
        self.scenario_path = folder / "scenario.json"
        self.scenario_path.write_text(json.dumps(scenario))
        self.speed = speed

    def command(self, access: Path) -> list[str]:
        access.write_text(json.dumps({"tokens": self.tokens, **self.extra}))
        return [str(binary("HOTLINE_SIM", "sim", "hotline-sim")), str(self.scenario_path),
                "--serve", "--access", str(access), "--port", "0", "--speed", str(self.speed),
                "--store", str(self.store), "--chartjs", CHARTJS_DIR]
