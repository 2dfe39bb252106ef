"""Fixtures of the SIP host's suite: each test gets its own host, folder, ports and SIPp's."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness.lab import Lab  # noqa: E402


@pytest.fixture
def lab(tmp_path: Path):
    lab = Lab(tmp_path)
    try:
        yield lab
    finally:
        lab.close()
