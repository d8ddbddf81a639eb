"""The card pages in a real headless Chromium against the real server process (``pos-server serve``): a card looked up
by part of its code and topped up (its balance checked through the server's API afterwards, and the top-up seen in
its history), a finance user refused a correction (no form for it; a forged POST with a valid CSRF token: 403,
nothing done), a support user who corrects within head office's limit and is refused above it. Screenshots:
``resources/screenshots/console-cards-*.png``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from sqlalchemy import insert, text, update

from pos_app.domain.money import Money
from pos_app.server import cards_admin
from pos_app.server.campaigns import CreateCampaign, create_campaign
from pos_app.server.db.engine import open_engine, write
from pos_app.server.db.models import devices
from pos_app.server.db.shop_models import shops
from pos_app.server.ledger import now
from pos_app.server.uow import ServerUnitOfWork, head_office
from pos_app.services import cards
from tests.console.conftest import Console, csrf_of, wait_for
from tests.server.harness import HttpTill, add_user, enrol_code


@pytest.fixture(scope="module")
def till(console: Console) -> Iterator[HttpTill]:
    """A real till enrolled on the server (through the sync API), in the shop "Grafton Street", its manager Mia."""
    mia = add_user(console.db_url, "Mia", "manager", "9876")
    with HttpTill.enrol(console.url, enrol_code(console.db_url), "Till 3", operator_id=mia["id"]) as enrolled:
        engine = open_engine(console.db_url)
        with engine.begin() as conn:  # (the shops' pages are another branch's: the shop is made directly)
            conn.execute(insert(shops).values(id="shop_grafton", name="Grafton Street", time_zone="Europe/Dublin",
                                              created_at=now()))
            conn.execute(update(devices).where(devices.c.id == enrolled.device_id).values(shop_id="shop_grafton"))
        engine.dispose()
        yield enrolled


@pytest.fixture
def sold(console: Console, till: HttpTill) -> dict[str, str]:
    """A card of a new campaign, sold by head office with 50.00 EUR on it, 12.50 of it spent at the till, given to
    a customer; its code and id."""
    engine = open_engine(console.db_url)
    try:
        campaign = create_campaign(engine, CreateCampaign(name=f"Winter {now():%H%M%S%f}", amount=Money(5000, "EUR"),
                                                          count=2))
        with engine.connect() as conn:
            code, card_id = conn.execute(text("SELECT code, id FROM cards WHERE campaign_id = :c ORDER BY id LIMIT 1"),
                                         {"c": campaign.id}).one()
        cards.sell(ServerUnitOfWork(engine), head_office(engine), code)
        spent = till.authorise("redeem", code, 1250, order_ref="A-1001").json()
        assert spent["result"] == "SUCCESS", spent
        write(engine, lambda conn: cards_admin.publish(conn, code, f"crm-{card_id[-6:]}", name="Erika Mustermann",
                                                       email="erika@example.org", at=now()))
    finally:
        engine.dispose()
    return {"code": code, "id": card_id}


def balance_by_the_api(console: Console, code: str) -> int:
    """The card's balance as the running server answers a Voucherify client."""
    key = console.cli("api-key", "create", "--name", "card test", "--json").json()
    answer = httpx.get(f"{console.url}/v1/vouchers/{code}", timeout=30,
                       headers={"X-App-Id": key["app_id"], "X-App-Token": key["app_token"]})
    assert answer.status_code == 200, answer.text
    return int(answer.json()["gift"]["balance"])


def _search(browser: Any, console: Console, text: str) -> None:
    browser.get(f"{console.url}/console/cards")
    box = browser.find_element(By.ID, "f-q")
    box.send_keys(text)
    box.submit()


def test_look_up_a_card_by_part_of_its_code_and_top_it_up(
        console: Console, browser: Any, sold: dict[str, str], sign_in: Callable[..., None],
        shot: Callable[..., Any]) -> None:
    sign_in(browser, console, "admin")
    part = sold["code"].replace("-", "")[6:12].lower()  # six characters from its middle, typed in lower case
    _search(browser, console, part)
    wait_for(browser, lambda b: "contains" in b.page_source, "the cards found")
    assert sold["code"] not in browser.page_source  # a list shows masked codes
    shot(browser, "cards-search")
    browser.find_element(By.CSS_SELECTOR, f"a[href='/console/cards/{sold['id']}']").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "full-code"), "the card's page")
    assert browser.find_element(By.ID, "full-code").text == sold["code"]
    assert browser.find_element(By.ID, "card-balance").text == "€37.50"

    browser.find_element(By.ID, "top-up-amount").send_keys("12.50")
    browser.find_element(By.ID, "top-up-reason").send_keys("birthday present")
    browser.find_element(By.ID, "top-up-submit").click()
    wait_for(browser, lambda b: "Topped up" in b.page_source, "the top-up's message")
    assert browser.find_element(By.CSS_SELECTOR, "[role=status].flash").text == "Topped up: the card holds €50.00 now."
    assert browser.find_element(By.ID, "card-balance").text == "€50.00"
    newest = browser.find_element(By.CSS_SELECTOR, "#history tbody tr").text
    assert "Top-up" in newest and "€12.50" in newest and console.users["admin"] in newest and "birthday" in newest
    assert balance_by_the_api(console, sold["code"]) == 5000
    redemption = browser.find_elements(By.CSS_SELECTOR, "#history tbody tr")[1].text
    assert "Redemption" in redemption and "Grafton Street · Till 3" in redemption and "Mia" in redemption
    shot(browser, "cards-card")


def test_a_finance_user_is_refused_a_correction(console: Console, browser: Any, sold: dict[str, str],
                                               sign_in: Callable[..., None]) -> None:
    sign_in(browser, console, "finance")
    browser.get(f"{console.url}/console/cards/{sold['id']}")
    assert browser.find_element(By.ID, "card-balance").text == "€37.50"
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/correct']")
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action$='/top-up']")

    with console.http("finance") as http:  # the form is not there; a POST made by hand, with a valid token
        token = csrf_of(http.get(f"/console/cards/{sold['id']}").text)
        forged = http.post(f"/console/cards/{sold['id']}/correct",
                           data={"direction": "add", "amount": "100", "reason": "x", "csrf_token": token})
    assert forged.status_code == 403 and "You may not do this" in forged.text
    assert balance_by_the_api(console, sold["code"]) == 3750


def test_support_corrects_within_the_limit_and_is_refused_above_it(
        console: Console, browser: Any, sold: dict[str, str], sign_in: Callable[..., None],
        shot: Callable[..., Any]) -> None:
    sign_in(browser, console, "support")
    browser.get(f"{console.url}/console/cards/{sold['id']}")
    assert "at most €50.00" in browser.find_element(By.ID, "correct-limit").text
    assert not browser.find_elements(By.ID, "top-up-amount")  # support may not top up

    def correct(direction: str, amount: str, reason: str) -> None:
        Select(browser.find_element(By.ID, "correct-direction")).select_by_value(direction)
        browser.find_element(By.ID, "correct-amount").clear()
        browser.find_element(By.ID, "correct-amount").send_keys(amount)
        browser.find_element(By.ID, "correct-reason").clear()
        browser.find_element(By.ID, "correct-reason").send_keys(reason)
        browser.find_element(By.ID, "correct-submit").click()

    correct("add", "50.01", "goodwill")
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[role=alert]"), "the refusal")
    assert "more than your role may make (€50.00 at most)" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert browser.find_element(By.ID, "correct-amount").get_attribute("value") == "50.01"  # kept
    shot(browser, "cards-correction-refused")
    assert balance_by_the_api(console, sold["code"]) == 3750

    correct("remove", "7.50", "counted twice at the till")
    wait_for(browser, lambda b: "Corrected" in b.page_source, "the correction's message")
    assert browser.find_element(By.ID, "card-balance").text == "€30.00"
    assert balance_by_the_api(console, sold["code"]) == 3000


def test_the_card_page_in_german_on_a_tablet(console: Console, browser: Any, sold: dict[str, str],
                                            sign_in: Callable[..., None], shot: Callable[..., Any]) -> None:
    sign_in(browser, console, "admin")
    browser.get(f"{console.url}/console/cards/{sold['id']}")
    browser.find_element(By.CSS_SELECTOR, "button[name=lang][value=de]").click()
    wait_for(browser, lambda b: b.execute_script("return document.documentElement.lang") == "de", "German")
    assert browser.find_element(By.ID, "card-balance").text == "37,50 €"
    assert "Verlauf aus allen Kassen" in browser.page_source
    shot(browser, "cards-card-de-tablet", width=768)
    browser.find_element(By.CSS_SELECTOR, "button[name=lang][value=en]").click()  # the admin's choice is kept
    wait_for(browser, lambda b: b.execute_script("return document.documentElement.lang") == "en", "English again")
