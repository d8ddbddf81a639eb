"""The console by keyboard alone, in a real headless Chromium: sign in, find a card by part of its code and top it
up with nothing but Tab, typing and Enter (keys sent to whatever has the focus, as a person's keyboard would), every
focused control visibly marked."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from sqlalchemy import text

from pos_app.domain.money import Money
from pos_app.server.campaigns import CreateCampaign, create_campaign
from pos_app.server.db.engine import open_engine
from pos_app.server.ledger import now
from pos_app.server.uow import ServerUnitOfWork, head_office
from pos_app.services import cards
from tests.console.conftest import PASSWORD, Console, page_ready, wait_for

MAX_TABS = 60


def _sold_card(console: Console) -> str:
    engine = open_engine(console.db_url)
    try:
        campaign = create_campaign(engine, CreateCampaign(name=f"Keys {now():%H%M%S%f}", amount=Money(2000, "EUR"),
                                                          count=1))
        with engine.connect() as conn:
            code = str(conn.execute(text("SELECT code FROM cards WHERE campaign_id = :c"), {"c": campaign.id})
                       .scalar_one())
        cards.sell(ServerUnitOfWork(engine), head_office(engine), code)
    finally:
        engine.dispose()
    return code


def _keys(browser: Any, *keys: str) -> None:
    ActionChains(browser).send_keys(*keys).perform()


def _focused(browser: Any) -> dict[str, str]:
    return dict(browser.execute_script(
        "const e = document.activeElement, s = getComputedStyle(e);"
        "return {id: e.id || '', tag: e.tagName.toLowerCase(), text: (e.innerText || '').trim(),"
        " outline: s.outlineStyle + ' ' + s.outlineWidth};"))


def _tab_to(browser: Any, found: Callable[[dict[str, str]], bool], what: str) -> dict[str, str]:
    """Press Tab until the focused element is ``what``; each control on the way must show where the focus is."""
    for _ in range(MAX_TABS):
        _keys(browser, Keys.TAB)
        focused = _focused(browser)
        if focused["tag"] in ("a", "input", "button", "select", "textarea"):
            assert not focused["outline"].startswith("none"), (focused, "no visible focus")
        if found(focused):
            return focused
    raise AssertionError(f"{what} is not reachable with Tab")


def test_sign_in_find_a_card_and_top_it_up_by_keyboard(console: Console, browser: Any) -> None:
    code = _sold_card(console)
    browser.delete_all_cookies()
    browser.get(f"{console.url}/console/login")
    page_ready(browser)

    skip = _tab_to(browser, lambda f: f["tag"] == "a", "the first link")
    assert skip["text"] == "Skip to content"  # the first stop of every page
    _tab_to(browser, lambda f: f["id"] == "f-email", "the e-mail field")
    _keys(browser, console.users["admin"], Keys.TAB, PASSWORD, Keys.ENTER)
    wait_for(browser, lambda b: "/console/login" not in b.current_url, "signed in by keyboard")

    browser.get(f"{console.url}/console/cards")
    page_ready(browser)
    _tab_to(browser, lambda f: f["id"] == "f-q", "the search box")
    _keys(browser, code[-9:].lower(), Keys.ENTER)  # part of the code, typed carelessly
    wait_for(browser, lambda b: b.find_elements(By.PARTIAL_LINK_TEXT, code[-4:]), "the card in the results")
    _tab_to(browser, lambda f: code[-4:] in f["text"] and f["tag"] == "a", "the card's link")
    _keys(browser, Keys.ENTER)
    wait_for(browser, lambda b: "/console/cards/" in b.current_url, "the card's page")
    page_ready(browser)

    _tab_to(browser, lambda f: f["id"] == "top-up-amount", "the top-up amount")
    _keys(browser, "7.50", Keys.ENTER)
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[role=status]"), "the top-up's message")
    assert "€27.50" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
