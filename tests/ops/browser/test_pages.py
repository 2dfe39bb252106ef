"""The wallboard, supervisor and agent pages in a real browser (chromium headless)."""
import json
import re
import time
from typing import Any, Callable

import websocket
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from browser_servers import PagesDay, PagesServer
from harness.server import AGENT_R01, SUPERVISOR, Server

XSS_REASON = '<script>window.pwned = 1</script><img src=x id="injected">'


def wait_for(driver: webdriver.Chrome, condition: Callable[[webdriver.Chrome], Any],
             seconds: float = 10, what: str = "") -> Any:
    def safe(d: webdriver.Chrome) -> Any:
        try:
            return condition(d)
        except StaleElementReferenceException:
            return False  # the page re-rendered between finding and reading
    return WebDriverWait(driver, seconds, poll_frequency=0.1).until(safe, what)


def log_in(driver: webdriver.Chrome, server: Server, page: str, token: str) -> None:
    driver.get(f"{server.base}/{page}")
    form = wait_for(driver, lambda d: d.find_element(By.ID, "login").is_displayed()
                    and d.find_element(By.ID, "login"), what="the login form")
    form.find_element(By.NAME, "token").send_keys(token)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(driver, lambda d: not d.find_element(By.ID, "login").is_displayed(),
             what="the login form to go")


def wallboard_rows(driver: webdriver.Chrome) -> dict[str, dict[str, Any]]:
    """Per queue: each cell's text and colour level, read in one script so a re-render
    cannot tear the snapshot."""
    return driver.execute_script("""
        const rows = {};
        for (const tr of document.querySelectorAll('#queues tbody tr')) {
          const cells = {};
          for (const td of tr.querySelectorAll('td')) {
            cells[td.dataset.field] = {text: td.textContent, level: td.dataset.level || ''};
          }
          rows[tr.dataset.queue] = cells;
        }
        return rows;""")


def number(text: str) -> float | None:
    found = re.match(r"^(-?[\d.]+)", text.strip())
    return float(found.group(1)) if found else None


def test_the_login_trades_the_token_for_a_cookie_the_script_cannot_read(
        server: PagesServer, browser: webdriver.Chrome) -> None:
    log_in(browser, server, "wallboard.html", SUPERVISOR)
    assert browser.execute_script("return document.cookie") == ""
    cookie = browser.get_cookie("hotline_session")
    assert cookie and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    # A reload stays logged in: the session, not the form, authenticates.
    browser.refresh()
    wait_for(browser, lambda d: len(wallboard_rows(d)) > 0, what="the queues after a reload")
    assert not browser.find_element(By.ID, "login").is_displayed()


def test_a_wrong_token_is_refused_and_the_form_stays(server: PagesServer,
                                                     browser: webdriver.Chrome) -> None:
    browser.get(f"{server.base}/wallboard.html")
    form = wait_for(browser, lambda d: d.find_element(By.ID, "login").is_displayed()
                    and d.find_element(By.ID, "login"))
    form.find_element(By.NAME, "token").send_keys("not-a-token-of-this-server")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(browser, lambda d: "not accepted" in d.find_element(By.ID, "status").text)
    assert browser.find_element(By.ID, "login").is_displayed()
    assert browser.get_cookie("hotline_session") is None
    # The refused login is the one console error this page may show.
    browser.get_log("browser")


def test_the_wallboard_shows_every_queue_of_the_api(server: PagesServer,
                                                    browser: webdriver.Chrome) -> None:
    server.set_state(SUPERVISOR, "r01", "login")
    log_in(browser, server, "wallboard.html", SUPERVISOR)
    queues = server.request("GET", "/api/v1/queues", SUPERVISOR).json()["queues"]
    rows = wait_for(browser, lambda d: (r := wallboard_rows(d)) and
                    r["retail"]["agents_available"]["text"] == "1" and r)
    assert list(rows) == [q["id"] for q in queues]
    for q in queues:
        assert rows[q["id"]]["waiting"]["text"] == str(q["waiting"])
        assert rows[q["id"]]["agents_available"]["text"] == str(q["agents_available"])
        assert rows[q["id"]]["agents_busy"]["text"] == str(q["agents_busy"])


def test_the_wallboard_follows_a_state_change_within_two_seconds(
        server: PagesServer, browser: webdriver.Chrome) -> None:
    log_in(browser, server, "wallboard.html", SUPERVISOR)
    wait_for(browser, lambda d: "retail" in wallboard_rows(d))
    assert wallboard_rows(browser)["retail"]["agents_available"]["text"] == "0"
    server.set_state(SUPERVISOR, "r02", "login")
    started = time.monotonic()
    wait_for(browser, lambda d: wallboard_rows(d)["retail"]["agents_available"]["text"] == "1",
             seconds=2, what="the wallboard to show r02 available")
    assert time.monotonic() - started < 2


def test_the_wallboard_moves_with_the_simulated_day_and_agrees_with_the_api(
        day_factory: Any, browser: webdriver.Chrome) -> None:
    day: PagesDay = day_factory()
    log_in(browser, day, "wallboard.html", SUPERVISOR)
    seen: set[str] = set()
    agreed = False
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and not (len(seen) > 3 and agreed):
        rows = wallboard_rows(browser)
        seen.add(repr(sorted((q, c["waiting"]["text"], c["service_level"]["text"],
                              c["agents_busy"]["text"]) for q, c in rows.items())))
        queues = day.request("GET", "/api/v1/queues", SUPERVISOR).json()["queues"]
        # The logged-in count moves only with the shifts: the page and the API agree on it.
        logged_in = {q["id"]: q["agents_logged_in"] for q in queues}
        shown = {q: int(c["agents_available"]["text"]) + int(c["agents_busy"]["text"]) +
                 int(c["agents_other"]["text"]) for q, c in rows.items()}
        if shown == logged_in and any(logged_in.values()):
            agreed = True
        time.sleep(0.3)
    assert len(seen) > 3, f"the wallboard did not move: {seen}"
    assert agreed, "the wallboard never agreed with GET /api/v1/queues"
    rows = wallboard_rows(browser)
    assert any(number(c["service_level"]["text"]) is not None for c in rows.values())


def test_the_wallboard_shows_a_queued_call_within_two_seconds(day_factory: Any,
                                                              browser: webdriver.Chrome) -> None:
    day: PagesDay = day_factory()
    log_in(browser, day, "wallboard.html", SUPERVISOR)
    wait_for(browser, lambda d: len(wallboard_rows(d)) > 0)
    stream = websocket.create_connection(f"ws://127.0.0.1:{day.port}/api/v1/events",
                                         header=[f"Authorization: Bearer {SUPERVISOR}"],
                                         timeout=30)
    try:
        while True:
            event = json.loads(stream.recv())
            if event.get("event") == "contact_queued" or event.get("kind") == "contact_queued":
                break
    finally:
        stream.close()
    queued_at = event["time"]
    started = time.monotonic()
    wait_for(browser, lambda d: int(d.find_element(By.ID, "queues").get_attribute("data-time")
                                    or 0) >= queued_at,
             seconds=2, what="the wallboard to show the center after the call queued")
    assert time.monotonic() - started < 2


def expected_level(value: float | None, target: float, at_least: bool) -> str:
    """The colour rule of docs/ops-server.md ("Pages")."""
    if value is None:
        return ""
    if at_least:
        return "ok" if value >= target else ("warn" if value >= target * 0.9 else "alert")
    return "ok" if value <= target else (
        "warn" if value <= max(target * 1.5, target + 1) else "alert")


def test_colours_follow_the_thresholds_and_change_past_them(day_factory: Any,
                                                            browser: webdriver.Chrome) -> None:
    # Answering within 0 s is impossible: the ASA turns from no colour to red once calls
    # are answered; any service level meets a 0 % target.
    day: PagesDay = day_factory({"wallboard": {"asa_seconds": 0, "service_level_percent": 0,
                                               "abandon_percent": 50}})
    log_in(browser, day, "wallboard.html", SUPERVISOR)
    first = wait_for(browser, lambda d: (r := wallboard_rows(d)) and "retail" in r and r)
    levels_seen: dict[str, set[str]] = {}
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline:
        rows = wallboard_rows(browser)
        for queue, cells in rows.items():
            sl = number(cells["service_level"]["text"])
            assert cells["service_level"]["level"] == expected_level(sl, 0, True), cells
            abandon = number(cells["abandon_rate"]["text"])
            assert cells["abandon_rate"]["level"] == expected_level(abandon, 50, False), cells
            levels_seen.setdefault(queue, set()).add(cells["asa"]["level"])
        if rows.get("retail", {}).get("asa", {}).get("level") == "alert":
            break
        time.sleep(0.3)
    assert first["retail"]["asa"]["level"] == "", first
    assert "alert" in levels_seen["retail"], levels_seen
    style = browser.execute_script("""
        const td = document.querySelector('#queues tr[data-queue=retail] td[data-field=asa]');
        return getComputedStyle(td).backgroundColor;""")
    assert style == "rgb(197, 48, 48)"  # the alert colour of ops.css


def supervisor_row(driver: webdriver.Chrome, agent: str) -> dict[str, str]:
    return driver.execute_script("""
        const tr = document.querySelector(`#agents tr[data-agent="${arguments[0]}"]`);
        if (!tr) return null;
        const cells = {};
        for (const td of tr.querySelectorAll('td[data-field]')) {
          cells[td.dataset.field] = td.textContent;
        }
        return cells;""", agent)


def agent_state(server: Server, agent: str) -> dict[str, Any]:
    agents = server.request("GET", "/api/v1/agents", SUPERVISOR).json()["agents"]
    return next(a for a in agents if a["id"] == agent)


def test_the_supervisor_forces_an_agent_not_ready(server: PagesServer,
                                                  browser: webdriver.Chrome) -> None:
    assert server.set_state(SUPERVISOR, "r02", "login").status == 200
    log_in(browser, server, "supervisor.html", SUPERVISOR)
    row = wait_for(browser, lambda d: supervisor_row(d, "r02"))
    assert row["state"] == "available" and row["name"] == "Retail 2"
    agents = server.request("GET", "/api/v1/agents", SUPERVISOR).json()["agents"]
    listed = {a["id"] for a in agents}
    shown = set(browser.execute_script(
        "return [...document.querySelectorAll('#agents tbody tr')].map(r => r.dataset.agent)"))
    assert shown == listed
    Select(browser.find_element(By.ID, "force-reason")).select_by_value("coaching")
    button = browser.find_element(
        By.XPATH, "//tr[@data-agent='r02']//button[text()='Force not ready']")
    button.click()
    wait_for(browser, lambda d: agent_state(server, "r02")["state"] == "not_ready",
             what="r02 not ready in the API")
    assert agent_state(server, "r02")["reason"] == "coaching"
    wait_for(browser, lambda d: supervisor_row(d, "r02")["state"] == "not_ready")
    assert supervisor_row(browser, "r02")["reason"] == "coaching"
    # The wallboard shows r02 no longer available but still logged in.
    browser.get(f"{server.base}/wallboard.html")
    wait_for(browser, lambda d: (r := wallboard_rows(d).get("retail")) and
             r["agents_available"]["text"] == "0" and r["agents_other"]["text"] == "1",
             what="the wallboard to show r02 not ready")


def test_a_script_in_the_data_is_shown_as_text(server: PagesServer,
                                               browser: webdriver.Chrome) -> None:
    server.set_state(SUPERVISOR, "r02", "login")
    assert server.set_state(SUPERVISOR, "r02", "not_ready", XSS_REASON).status == 200
    log_in(browser, server, "supervisor.html", SUPERVISOR)
    wait_for(browser, lambda d: (supervisor_row(d, "r02") or {}).get("reason") == XSS_REASON,
             what="the reason shown as text")
    assert browser.execute_script("return window.pwned === undefined")
    assert browser.find_elements(By.ID, "injected") == []
    assert browser.find_elements(By.CSS_SELECTOR, "#agents script") == []


def test_the_agent_logs_in_and_changes_state_on_the_desktop(server: PagesServer,
                                                           browser: webdriver.Chrome) -> None:
    log_in(browser, server, "agent.html", AGENT_R01)
    state = browser.find_element(By.ID, "state")
    wait_for(browser, lambda d: state.text == "logged_out")
    assert browser.find_element(By.ID, "me").text == "r01"
    browser.find_element(By.ID, "state-login").click()
    wait_for(browser, lambda d: agent_state(server, "r01")["state"] == "available")
    wait_for(browser, lambda d: state.text == "available")
    Select(browser.find_element(By.ID, "not-ready-reason")).select_by_value("lunch")
    browser.find_element(By.ID, "state-not-ready").click()
    wait_for(browser, lambda d: agent_state(server, "r01")["state"] == "not_ready")
    assert agent_state(server, "r01")["reason"] == "lunch"
    wait_for(browser, lambda d: state.text == "not_ready")
    assert browser.find_element(By.ID, "state-reason").text == "(lunch)"
    browser.find_element(By.ID, "state-logout").click()
    wait_for(browser, lambda d: agent_state(server, "r01")["state"] == "logged_out")
    # Another agent's state stays out of reach of this desktop's session.
    assert agent_state(server, "r02")["state"] == "logged_out"


def test_a_call_rings_the_agent_desktop(day_factory: Any, browser: webdriver.Chrome) -> None:
    day: PagesDay = day_factory()
    log_in(browser, day, "agent.html", AGENT_R01)
    wait_for(browser, lambda d: d.find_element(By.ID, "call").is_displayed(), seconds=45,
             what="a call offered to r01")
    call_id = browser.find_element(By.ID, "call-id").text
    assert call_id != ""
    assert "retail" in browser.find_element(By.ID, "call-queue").text or \
        browser.find_element(By.ID, "call-queue").text.startswith("from ")


def test_logging_out_of_the_page_asks_for_the_token_again(server: PagesServer,
                                                          browser: webdriver.Chrome) -> None:
    log_in(browser, server, "supervisor.html", SUPERVISOR)
    wait_for(browser, lambda d: supervisor_row(d, "r01"))
    browser.find_element(By.ID, "logout").click()
    wait_for(browser, lambda d: d.find_element(By.ID, "login").is_displayed(),
             what="the login form after logging out")
    assert browser.get_cookie("hotline_session") is None
