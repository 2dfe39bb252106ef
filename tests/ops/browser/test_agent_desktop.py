"""A simulated call rings an agent on the desktop page: the screen pop shows the stored
customer masked for the agent and the caller's way through the IVR menu, the agent files a
ticket for the call and wraps it up."""
import json
import subprocess
import time
import urllib.parse
from pathlib import Path
from typing import Any, Iterator

import pytest
import websocket
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from browser_servers import DeskDay
from conftest import finish
from harness.server import AGENT_R01, SUPERVISOR, binary
from test_pages import log_in, wait_for

# The simulator numbers its callers +97235000001, +97235000002, ... in order of arrival;
# each presses 2 at the menu and queues for the one agent.
FIRST_CALLER = "+97235000001"
# 120 simulated seconds a wall-clock second: nobody calls for the first 20 simulated minutes
# (10 s, time to store the customer), then a caller every 2 minutes (1 s) queues; each call
# lasts two simulated hours, a minute of the test. The browser starts before the day does
# (the test names its fixture first): a browser's first start on a fresh machine can take
# seconds the callers would not wait for.
SPEED = 120
SCENARIO = {
    "queues": [{"id": "desk", "name": "Desk", "wrap_up_seconds": 60,
                "offer_timeout_seconds": 30, "max_no_answer": 3}],
    "agents": [{"id": "r01", "name": "Desk 1", "queues": ["desk"]}],
    "flows": [{"id": "desk-menu", "version": "1", "start": "menu", "queue": "desk", "nodes": {
        "menu": {"type": "menu", "prompts": ["tts:For statements press 2."],
                 "options": {"2": "statements"}, "fail": "bye"},
        "statements": {"type": "queue", "queue": "desk"},
        "bye": {"type": "hangup"}}}],
    "simulation": {
        "title": "One agent, callers who wait", "start_epoch_ms": 1768082400000, "hours": 24,
        "seed": 15, "ring_seconds": 3,
        "streams": [{"flow": "desk-menu", "rate_interval_minutes": 10,
                     "arrivals_per_hour": [0, 0, 30], "paths": [{"keys": ["2"]}],
                     "handle_seconds": {"kind": "fixed", "mean_seconds": 7200}}],
        # Logged out until late in the day: the test logs the agent in from the page.
        "shifts": [{"agents": ["r01"], "start": "23:00", "end": "23:59"}],
    },
}


@pytest.fixture
def desk_day(tmp_path: Path) -> Iterator[DeskDay]:
    running = DeskDay(tmp_path, SCENARIO, SPEED).start()
    try:
        yield running
    finally:
        finish(running)


def shown_fields(driver: webdriver.Chrome, list_id: str) -> dict[str, str]:
    return driver.execute_script("""
        const shown = {};
        for (const dt of document.querySelectorAll(`#${arguments[0]} dt`)) {
          shown[dt.textContent] = dt.nextElementSibling ? dt.nextElementSibling.textContent : '';
        }
        return shown;""", list_id)


def next_event(stream: websocket.WebSocket, wanted: Any, seconds: float) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        event = json.loads(stream.recv())
        if wanted(event):
            return event
    raise AssertionError(f"no such event within {seconds} s")


def test_a_ring_pops_the_stored_customer_masked_and_the_agent_files_a_ticket_and_wraps_up(
        browser: webdriver.Chrome, desk_day: DeskDay) -> None:
    stored = desk_day.request("POST", "/api/v1/customers", SUPERVISOR,
                              {"name": "Dana Levi", "phones": [FIRST_CALLER], "tier": "gold"})
    assert stored.status == 201, stored.body
    customer = stored.json()
    stream = websocket.create_connection(f"ws://127.0.0.1:{desk_day.port}/api/v1/events",
                                         header=[f"Authorization: Bearer {SUPERVISOR}"],
                                         timeout=30)
    try:
        log_in(browser, desk_day, "agent.html", AGENT_R01)
        wait_for(browser, lambda d: d.find_element(By.ID, "state").text == "logged_out",
                 what="the agent logged out before the shift")
        # Logging in makes the agent available at once (docs/ops-server.md).
        browser.find_element(By.ID, "state-login").click()
        wait_for(browser, lambda d: d.find_element(By.ID, "state").text != "logged_out",
                 what="the agent logged in")

        # The first caller waits at the head of the queue: theirs is the ring.
        pop = next_event(stream, lambda e: e.get("kind") == "screen_pop", 30)
        assert pop["agent_id"] == "r01"
        call_id = pop["call_id"]
        # The supervisor's copy is whole; the agent's page gets it masked.
        assert pop["context"]["caller"] == FIRST_CALLER
        assert pop["context"]["customer"]["id"] == customer["id"]
        assert pop["context"]["ivr_path"] == ["menu", "statements"]
        wait_for(browser, lambda d: d.find_element(By.ID, "call").is_displayed()
                 and d.find_element(By.ID, "call-id").text == call_id,
                 seconds=10, what="the ringing call on the desktop")
        wait_for(browser, lambda d: shown_fields(d, "pop").get("customer name") == "Dana Levi",
                 seconds=10, what="the customer in the screen pop")
        popped = shown_fields(browser, "pop")
        assert popped["customer id"] == str(customer["id"])
        assert popped["caller"] == "*******0001"
        assert popped["customer tier"] == "gold"
        assert popped["IVR path"] == "menu → statements"
        wait_for(browser, lambda d: shown_fields(d, "customer").get("phones") == "*******0001",
                 seconds=10, what="the 360° view with the phone masked")
        desk = browser.find_element(By.ID, "call").text
        assert FIRST_CALLER not in desk and FIRST_CALLER[1:] not in desk

        form = browser.find_element(By.ID, "ticket")
        form.find_element(By.NAME, "subject").send_keys("Statement missing desktopcase")
        Select(form.find_element(By.NAME, "category")).select_by_value("complaint")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait_for(browser, lambda d: "filed" in d.find_element(By.ID, "ticket-result").text,
                 seconds=10, what="the ticket filed")
        found = desk_day.request("GET", "/api/v1/tickets?q=" + urllib.parse.quote("desktopcase"),
                                 SUPERVISOR).json()["tickets"]
        assert len(found) == 1
        ticket = desk_day.request("GET", f"/api/v1/tickets/{found[0]['id']}", SUPERVISOR).json()
        assert ticket["contact_id"] == call_id
        assert ticket["customer"] == customer["id"]
        assert ticket["category"] == "complaint"

        Select(browser.find_element(By.ID, "wrapup-code")).select_by_value("follow_up")
        browser.find_element(By.CSS_SELECTOR, "#wrapup button[type=submit]").click()
        wrapped = next_event(stream, lambda e: e.get("kind") == "wrap_up_code", 10)
        assert wrapped["call_id"] == call_id
        assert wrapped["agent_id"] == "r01"
        assert wrapped["text"] == "follow_up"
        wait_for(browser, lambda d: f"Call {call_id} wrapped up: follow_up"
                 in d.find_element(By.ID, "status").text, seconds=10, what="the wrap-up shown")
    finally:
        stream.close()


def test_a_store_that_cannot_be_opened_stops_the_served_day_with_its_path(
        tmp_path: Path) -> None:
    unusable = tmp_path / "a-folder.sqlite"
    unusable.mkdir()
    access = tmp_path / "ops.json"
    access.write_text(json.dumps({"tokens": [{"token": SUPERVISOR, "role": "supervisor"}]}))
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps(SCENARIO))
    ran = subprocess.run(
        [str(binary("HOTLINE_SIM", "sim", "hotline-sim")), str(scenario), "--serve",
         "--access", str(access), "--port", "0", "--store", str(unusable)],
        capture_output=True, timeout=60)
    assert ran.returncode == 1, ran.stderr
    assert ran.stdout == b""  # it never listened
    assert f"hotline-sim: {unusable}: ".encode() in ran.stderr
