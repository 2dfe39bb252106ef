"""Fixtures of the operations server's suite: each test gets its own hotline-ops."""
import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.server import Server  # noqa: E402


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = Server(tmp_path).start()
    try:
        yield running
    finally:
        code = running.stop()
        report = running.sanitizer_report()
        assert report is None, report
        assert code == 0, f"hotline-ops exited with {code}:\n{running.stderr_tail()}"
