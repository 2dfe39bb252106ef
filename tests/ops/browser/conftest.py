"""Fixtures of the pages' suite: Debian's chromium, headless, through chromedriver and
Selenium, against hotline-ops or hotline-sim --serve; every page must leave the browser's
console free of errors."""
import shutil
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from browser_servers import PagesDay, PagesServer  # noqa: E402
from harness.server import Server  # noqa: E402


def finish(running: Server) -> None:
    code = running.stop()
    report = running.sanitizer_report()
    assert report is None, report
    assert code == 0, f"the server exited with {code}:\n{running.stderr_tail()}"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[PagesServer]:
    running = PagesServer(tmp_path).start()
    try:
        yield running
    finally:
        finish(running)


@pytest.fixture
def day_factory(tmp_path: Path) -> Iterator[Any]:
    """Starts hotline-sim --serve with the given ops.json extras."""
    started: list[PagesDay] = []

    def start(extra: dict[str, Any] | None = None) -> PagesDay:
        folder = tmp_path / f"day{len(started)}"
        folder.mkdir()
        running = PagesDay(folder)
        running.extra = extra or {}
        started.append(running.start())
        return running

    yield start
    for running in started:
        finish(running)


def chromedriver() -> str:
    found = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not Path(found).is_file():
        pytest.fail("chromedriver not found (Debian: chromium-driver)")
    return found


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    chromium = shutil.which("chromium")
    if chromium:
        options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(chromedriver()), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
        errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        assert errors == [], f"the browser's console has errors: {errors}"
    finally:
        driver.quit()
