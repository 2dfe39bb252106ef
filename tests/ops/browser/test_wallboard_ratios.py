"""Ratios over nothing show as "–" on the wallboard, not as a red 0 %."""
from selenium import webdriver

from browser_servers import PagesServer
from harness.server import SUPERVISOR
from test_pages import log_in, wait_for, wallboard_rows


def test_first_contact_resolution_without_a_judged_issue_shows_a_dash_uncoloured(
        server: PagesServer, browser: webdriver.Chrome) -> None:
    # No store and no call: no issue was judged, and the statistics' ratio is 0.
    stats = server.request("GET", "/api/v1/stats", SUPERVISOR).json()
    assert stats["queues"]["retail"]["issue_contacts"] == 0
    assert stats["queues"]["retail"]["first_contact_resolution"] == 0
    log_in(browser, server, "wallboard.html", SUPERVISOR)
    rows = wait_for(browser, lambda d: (r := wallboard_rows(d)) and "retail" in r and r)
    for queue, cells in rows.items():
        assert cells["fcr"] == {"text": "–", "level": ""}, (queue, cells)
