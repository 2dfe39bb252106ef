"""Fixtures of the operations server's suite: each test gets its own hotline-ops."""
import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.server import Server  # noqa: E402


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    yield from watched(Server(tmp_path))


@pytest.fixture
def stored_server(tmp_path: Path) -> Iterator[Server]:
    """hotline-ops with a store (--store) in the test's folder."""
    yield from watched(Server(tmp_path, store=tmp_path / "hotline.db"))


def watched(server: Server) -> Iterator[Server]:
    running = server.start()
    try:
        yield running
    finally:
        code = running.stop()
        report = running.sanitizer_report()
        assert report is None, report
        assert code == 0, f"hotline-ops exited with {code}:\n{running.stderr_tail()}"
