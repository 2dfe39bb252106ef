"""The servers the pages' tests start: hotline-ops or hotline-sim --serve with ops.json's
extra keys (the wallboard's thresholds) and the charting library."""
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.server import TOKENS, Server, SimulatedDay  # noqa: E402

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
