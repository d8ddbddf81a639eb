"""The dashboard against the real server, after two real tills (over the sync API) sold and redeemed cards and
overdrew one offline: the figures, the charts (inline SVG with their text), the conflict, the CSV for finance
(refused to support), in English and German; and a screenshot at laptop and tablet width."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from pos_app.server.db.engine import open_engine, write
from pos_app.server.ledger import now
from pos_app.server.shops import add_shop
from pos_app.server.tills import move_till
from tests.console.conftest import Console
from tests.server.harness import HttpTill, add_user, enrol_codes, pos_server


def in_shops(db_url: str, tills: dict[str, str | None]) -> None:
    """Shops (in Berlin's zone) with a till each (None: a shop without tills yet)."""
    engine = open_engine(db_url)

    def work(conn: Any) -> None:
        for name, device_id in tills.items():
            shop = add_shop(conn, name=name, time_zone="Europe/Berlin", at=now())
            if device_id is not None:
                move_till(conn, device_id, shop.id)

    write(engine, work)
    engine.dispose()


@pytest.fixture(scope="module")
def trading(console: Console) -> dict[str, Any]:
    """In three shops (one without tills yet): till 1 sells three cards of 50.00 and takes 12.50 on one; till 2
    sells one and takes 20.00 on it; then both, offline, take 40.00 and 30.00 of a card holding 50.00: an open
    conflict, 20.00 overdrawn."""
    manager = add_user(console.db_url, "Dana", "manager", "9876")["id"]
    code1, code2 = enrol_codes(console.db_url, 2)
    with HttpTill.enrol(console.url, code1, "Front till", operator_id=manager) as front, \
            HttpTill.enrol(console.url, code2, "Back till", operator_id=manager) as back:
        in_shops(console.db_url, {"Berlin Mitte": front.device_id, "Hamburg Hafen": back.device_id, "München": None})
        pos_server(console.db_url, "campaign", "create", "--name", "Winter", "--amount", "50.00", "--count", "4")
        cards = sorted(front.pull_all()["cards"].values(), key=lambda c: c["code"])
        for till, card in ((front, cards[0]), (front, cards[1]), (front, cards[2]), (back, cards[3])):
            assert till.authorise("sell", card["code"], payment="cash").json()["result"] == "SUCCESS"
        assert front.authorise("redeem", cards[0]["code"], 1250).json()["result"] == "SUCCESS"
        assert back.authorise("redeem", cards[3]["code"], 2000).json()["result"] == "SUCCESS"
        sold = {**cards[1], "balance": 5000, "status": "active"}
        for till, amount in ((front, 4000), (back, 3000)):
            response = till.push([till.offline_entry(sold, "CREDITS_REDEMPTION", -amount)])
            assert response.status_code == 200, response.text
        return {"front": front.device_id, "back": back.device_id}


def test_the_figures_charts_and_conflict_in_a_browser(console: Console, trading: dict[str, Any], browser: Any,
                                                       sign_in: Callable[..., None], shot: Callable[..., Any]) -> None:
    from selenium.webdriver.common.by import By

    sign_in(browser, console, "finance")
    browser.get(f"{console.url}/console/dashboard")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Dashboard"
    figures = {f.find_element(By.CLASS_NAME, "label").text: f.find_element(By.CLASS_NAME, "value").text
               for f in browser.find_elements(By.CSS_SELECTOR, ".figures .figure")}
    # 4 sold cards of 50.00: 37.50, 50.00 and 30.00 left on the active ones (the overdrawn one is frozen)
    assert figures["Outstanding on active cards"] == "€117.50"
    assert figures["Sold today"] == "€200.00"
    assert figures["Open conflicts"] == "1"
    shops = [th.text for th in browser.find_elements(By.CSS_SELECTOR, "table.numbers tbody th[scope=row]")][:3]
    assert shops == ["Berlin Mitte", "Hamburg Hafen", "München"]
    total = browser.find_element(By.CSS_SELECTOR, "table.numbers tfoot tr")
    assert [td.text for td in total.find_elements(By.TAG_NAME, "td")][:2] == ["€200.00 (4)", "€102.50 (4)"]
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart[role=img]")
    assert len(charts) == 4
    titles = [c.find_element(By.TAG_NAME, "title").get_attribute("textContent") for c in charts]
    assert titles[0] == "Sold and redeemed per shop: Today"
    bars = [t.get_attribute("textContent") for t in charts[0].find_elements(By.CSS_SELECTOR, "rect title")]
    assert any(text == "Berlin Mitte, Sold: €150.00" for text in bars), bars
    assert browser.find_element(By.LINK_TEXT, "1").get_attribute("href").endswith("/console/conflicts")
    assert browser.find_element(By.PARTIAL_LINK_TEXT, "CSV").get_attribute("href").endswith("/console/dashboard.csv")
    shot(browser, "dashboard")
    shot(browser, "dashboard-tablet", width=768)


def test_support_sees_the_dashboard_but_may_not_download_it(console: Console, trading: dict[str, Any]) -> None:
    with console.http("support") as http:
        page = http.get("/console/dashboard")
        assert page.status_code == 200, page.text
        assert "/console/dashboard.csv" not in page.text
        assert http.get("/console/dashboard.csv").status_code == 403
    with httpx.Client(base_url=console.url, timeout=30) as anonymous:
        assert anonymous.get("/console/dashboard.csv").status_code == 303


def test_finance_downloads_the_figures_as_csv(console: Console, trading: dict[str, Any]) -> None:
    with console.http("finance") as http:
        answer = http.get("/console/dashboard.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"].startswith('attachment; filename="dashboard-')
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    (owed,) = [r for r in rows if r["figure"] == "liability"]
    assert (owed["currency"], owed["count"], owed["amount"], owed["amount_minor"]) == ("EUR", "3", "117.50", "11750")
    (conflicts,) = [r for r in rows if r["figure"] == "open_conflicts"]
    assert (conflicts["count"], conflicts["amount"]) == ("1", "20.00")
    month = [r for r in rows if r["period"] == "30_days" and r["figure"] == "sold"]
    assert sum(int(r["amount_minor"]) for r in month) == 20_000
    (day,) = [r for r in rows if r["period"] == "day" and r["figure"] == "redeemed"]
    assert (day["count"], day["amount_minor"]) == ("4", "10250")


def test_the_dashboard_speaks_german(console: Console, trading: dict[str, Any]) -> None:
    with console.http("support") as http:
        page = http.get("/console/dashboard", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert "<h1>Übersicht</h1>" in page.text
    assert "Offen auf aktiven Karten" in page.text and "117,50\xa0€" in page.text
