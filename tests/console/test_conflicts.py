"""Resolve, in a real headless Chromium, a conflict made by two REAL tills offline against the real server process:
two till stores enrolled to ``pos-server serve`` (each through its own network), both offline spend the same card
beyond its balance, both sync. A support user finds the conflict and sees what each till did, with no form to
resolve it; an administrator resolves it; the card is unfrozen on the server and a till's next pull sees it.
Screenshots: ``resources/screenshots/console-conflicts.png`` (the list), ``console-conflict.png`` (a conflict),
``console-conflict-resolved.png`` and ``console-conflict-tablet.png`` (768 wide).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import create_engine, text

from tests.console.conftest import Console, page_ready
from tests.e2e.offline_conflict import offline_conflict

pytestmark = pytest.mark.slow


def _cells(browser: Any) -> list[list[str]]:
    rows = browser.find_elements(By.CSS_SELECTOR, "#entries tbody tr")
    return [[cell.text.replace("\n", " ") for cell in row.find_elements(By.TAG_NAME, "td")] for row in rows]


def _open_the_conflict(browser: Any, console: Console, masked: str) -> None:
    browser.get(f"{console.url}/console/dashboard")
    browser.find_element(By.LINK_TEXT, "Conflicts").click()
    page_ready(browser)
    browser.find_element(By.PARTIAL_LINK_TEXT, masked).click()
    page_ready(browser)


def test_resolve_a_conflict_made_by_two_real_tills_offline(console: Console, browser: Any,
                                                          sign_in: Callable[..., None], shot: Callable[..., Path],
                                                          tmp_path: Path) -> None:
    with offline_conflict(console.db_url, console.url, tmp_path) as made:
        masked = "•••• " + made.code[-4:]
        sign_in(browser, console, "support")  # support sees it all, and no form
        browser.find_element(By.LINK_TEXT, "Conflicts").click()
        page_ready(browser)
        (row,) = browser.find_elements(By.CSS_SELECTOR, "table tbody tr")
        assert masked in row.text and "till-a, till-b" in row.text and "€20.00" in row.text
        assert made.code not in browser.page_source
        shot(browser, "conflicts")
        row.find_element(By.TAG_NAME, "a").click()
        page_ready(browser)
        assert "may see conflicts but not resolve them" in browser.find_element(By.ID, "main").text
        assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/resolve']")

        sign_in(browser, console, "admin")
        _open_the_conflict(browser, console, masked)
        assert browser.find_element(By.TAG_NAME, "h1").text == f"Conflict on card {masked}"
        assert browser.find_element(By.ID, "overdraft").text == "€20.00"
        assert [(r[1], r[2], r[3], r[4], r[5], r[7], r[8]) for r in _cells(browser)] == [
            ("till-a", "Maria", "Addition", "+€50.00", "€50.00", "online", "—"),
            ("till-a", "Chris", "Redemption", "-€10.00", "€40.00", "online", "—"),
            ("till-a", "Chris", "Redemption", "-€30.00", "€10.00", "offline", "spent offline before it"),
            ("till-b", "Chris", "Redemption", "-€30.00", "-€20.00", "offline", "overdrew the card"),
        ]
        shot(browser, "conflict")

        Select(browser.find_element(By.ID, "f-action")).select_by_value("recover")
        browser.find_element(By.ID, "f-reason").send_keys("customer paid the 20.00 at the counter")
        browser.find_element(By.CSS_SELECTOR, "form[action$='/resolve'] button[type=submit]").click()
        page_ready(browser)
        status = browser.find_element(By.CSS_SELECTOR, "[role=status]").text
        assert status.startswith(f"Conflict resolved: card {masked} is no longer on hold")
        assert browser.find_element(By.ID, "resolved-by").text == console.users["admin"]
        assert browser.find_element(By.ID, "card-state").text == "Active"
        assert _cells(browser)[-1][3:5] == ["Addition", "+€20.00"]
        shot(browser, "conflict-resolved")
        browser.set_window_size(768, 1024)  # a tablet: the entries' table scrolls in its frame, not the page
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 768
        shot(browser, "conflict-tablet", width=768)

        engine = create_engine(console.db_url)
        with engine.connect() as conn:
            card = conn.execute(text("SELECT status, balance FROM cards WHERE code = :c"), {"c": made.code}).one()
            resolved_by = conn.execute(text("SELECT resolved_by FROM conflicts")).scalar_one()
            audit = conn.execute(text("SELECT action, outcome FROM console_audit "
                                      "WHERE action = 'conflicts.resolve'")).all()
        engine.dispose()
        assert tuple(card) == ("active", 0) and resolved_by.startswith("console:")
        assert [tuple(a) for a in audit] == [("conflicts.resolve", "ok")]

        made.till_b.ok("sync", "--once")  # the till's next pull sees the card unfrozen, at zero
        shown = made.till_b.ok("card", "show", made.code, "--json").json()
        assert (shown["status"], shown["balance"]) == ("active", 0)
