"""Resolve, in a real headless Chromium, a conflict made by two REAL tills offline against the real server process:
two till stores enrolled to ``pos-server serve`` (each through its own network), both offline spend the same card
beyond its balance, both sync; an administrator finds it in the console, sees what each till did, and resolves it;
the card is unfrozen on the server and a till's next pull sees it. A support user sees the conflict and no form.
Screenshots: ``resources/screenshots/console-conflicts.png`` (the list), ``console-conflict.png`` (a conflict),
``console-conflict-resolved.png`` and ``console-conflict-tablet.png`` (768 wide).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import Select
from sqlalchemy import create_engine, text

from tests.console.conflicts_harness import Console, browser_fixture, console_fixture, shot, sign_in  # noqa: F401
from tests.e2e.offline_conflict import offline_conflict

pytestmark = pytest.mark.slow


def _cells(browser: WebDriver) -> list[list[str]]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#entries tbody tr")
    return [[cell.text.replace("\n", " ") for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]


def test_resolve_a_conflict_made_by_two_real_tills_offline(console: Console, browser: WebDriver,
                                                          tmp_path: Path) -> None:
    with offline_conflict(console.db_url, console.url, tmp_path) as made:
        sign_in(browser, console, "admin")
        browser.find_element(By.LINK_TEXT, "Conflicts").click()
        (row,) = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
        masked = "•••• " + made.code[-4:]
        assert masked in row.text and "till-a, till-b" in row.text and "€20.00" in row.text
        assert made.code not in browser.page_source
        shot(browser, "conflicts")

        row.find_element(By.TAG_NAME, "a").click()
        assert browser.find_element(By.TAG_NAME, "h1").text == f"Conflict on card {masked}"
        assert browser.find_element(By.ID, "overdraft").text == "€20.00"
        table = _cells(browser)
        assert [(r[1], r[2], r[3], r[4], r[5], r[7], r[8]) for r in table] == [
            ("till-a", "Maria", "Addition", "+€50.00", "€50.00", "online", "—"),
            ("till-a", "Chris", "Redemption", "-€10.00", "€40.00", "online", "—"),
            ("till-a", "Chris", "Redemption", "-€30.00", "€10.00", "offline", "spent offline before it"),
            ("till-b", "Chris", "Redemption", "-€30.00", "-€20.00", "offline", "overdrew the card"),
        ]
        shot(browser, "conflict")

        Select(browser.find_element(By.ID, "f-action")).select_by_value("recover")
        browser.find_element(By.ID, "f-reason").send_keys("customer paid the 20.00 at the counter")
        browser.find_element(By.CSS_SELECTOR, "form[action$='/resolve'] button[type=submit]").click()
        status = browser.find_element(By.CSS_SELECTOR, "[role=status]").text
        assert status.startswith(f"Conflict resolved: card {masked} is no longer on hold")
        assert browser.find_element(By.ID, "resolved-by").text == "admin@example.com"
        assert browser.find_element(By.ID, "card-state").text == "Active"
        assert _cells(browser)[-1][3:5] == ["Addition", "+€20.00"]
        shot(browser, "conflict-resolved")
        browser.set_window_size(768, 1024)  # a tablet: the entries' table scrolls within its frame, the page does not
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 768
        shot(browser, "conflict-tablet")

        engine = create_engine(console.db_url)
        with engine.connect() as conn:
            card = conn.execute(text("SELECT status, balance FROM cards WHERE code = :c"), {"c": made.code}).one()
            resolved_by = conn.execute(text("SELECT resolved_by FROM conflicts")).scalar_one()
            audit = conn.execute(text("SELECT action, outcome, target FROM console_audit "
                                      "WHERE action = 'conflicts.resolve'")).all()
        engine.dispose()
        assert tuple(card) == ("active", 0) and resolved_by.startswith("console:")
        assert [(a.action, a.outcome) for a in audit] == [("conflicts.resolve", "ok")]

        made.till_b.ok("sync", "--once")  # the till's next pull sees the card unfrozen, at zero
        shown = made.till_b.ok("card", "show", made.code, "--json").json()
        assert (shown["status"], shown["balance"]) == ("active", 0)


def test_support_sees_a_conflict_but_may_not_resolve_it(console: Console, browser: WebDriver,
                                                        tmp_path: Path) -> None:
    with offline_conflict(console.db_url, console.url, tmp_path):
        sign_in(browser, console, "support")
        browser.find_element(By.LINK_TEXT, "Conflicts").click()
        browser.find_element(By.CSS_SELECTOR, "table tbody tr a").click()
        assert "may see conflicts but not resolve them" in browser.find_element(By.ID, "main").text
        assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/resolve']")
