"""Fixtures of the operations server's suite: each test gets its own hotline-ops or
hotline-sim --serve, watched to its exit."""
import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.server import Server, SimulatedDay  # noqa: E402


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from watched(Server(tmp_path))


@pytest.fixture
def stored_server(tmp_path: Path) -> Iterator[Server]:
    """hotline-ops with a store (--store) in the test's folder."""
    yield from watched(Server(tmp_path, store=tmp_path / "hotline.db"))


@pytest.fixture
def day(tmp_path: Path) -> Iterator[SimulatedDay]:
    """hotline-sim --serve running the demo center's day."""
    yield from watched(SimulatedDay(tmp_path))


@pytest.fixture
def stored_day(tmp_path: Path) -> Iterator[SimulatedDay]:
    """hotline-sim --serve with a store (--store) in the test's folder."""
    yield from watched(SimulatedDay(tmp_path, store=tmp_path / "hotline.db"))


def watched(server: Server) -> Iterator[Server]:
    running = server.start()
    try:
        yield running
    finally:
        code = running.stop()
        report = running.sanitizer_report()
        assert report is None, report
        assert code == 0, f"the server exited with {code}:\n{running.stderr_tail()}"
