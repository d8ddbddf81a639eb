"""The console's campaign pages against the real server in a real Chromium: create a campaign of a few thousand
cards and watch its generation finish, download its card sheets (decoded card by card) and its CSV; finance
exports but may not create; every POST and export is in the audit log."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from pos_app.server.voucherify.exports import DEFAULT_FIELDS
from tests.console.conftest import Console, csrf_of, wait_for
from tests.printing.test_card_sheet import decoded, rasterise

COUNT = 4000


def audit_lines(console: Console, action: str) -> list[dict[str, Any]]:
    engine = create_engine(console.db_url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT email, target, outcome, detail FROM console_audit WHERE action = :a "
                                 "ORDER BY id"), {"a": action}).mappings().all()
    engine.dispose()
    return [{**r, "detail": json.loads(r["detail"]) if isinstance(r["detail"], str) else r["detail"]} for r in rows]


def campaign_codes(console: Console, campaign_id: str) -> list[str]:
    engine = create_engine(console.db_url)
    with engine.connect() as conn:
        codes = list(conn.execute(text("SELECT code FROM cards WHERE campaign_id = :c ORDER BY id"),
                                  {"c": campaign_id}).scalars())
    engine.dispose()
    return codes


@pytest.fixture(scope="module")
def made(console: Console, _driver: Any) -> dict[str, Any]:
    """A campaign made through the browser, as an administrator, watched until its cards are all made."""
    from selenium.webdriver.common.by import By

    from tests.console.conftest import _shot, _sign_in

    browser = _driver
    browser.get(f"{console.url}/console/login")
    _sign_in(browser, console, "admin")
    browser.get(f"{console.url}/console/campaigns/new")
    assert browser.find_element(By.TAG_NAME, "h1").text == "New campaign"
    for name, value in (("name", "Spring 2027"), ("amount", "25.00"), ("count", str(COUNT)),
                        ("expires", "12/31/2030")):
        browser.find_element(By.ID, f"f-{name}").send_keys(value)
    _shot(browser, "campaigns-new")
    browser.find_element(By.CSS_SELECTOR, "form[action='/console/campaigns'] button[type=submit]").click()
    wait_for(browser, lambda b: re.search(r"/console/campaigns/camp_", b.current_url), "the campaign's page")
    bar = browser.find_element(By.ID, "gen-progress")
    first = (int(float(bar.get_attribute("value"))), int(float(bar.get_attribute("max"))))
    status = browser.find_element(By.ID, "gen-text").get_attribute("data-status")
    _shot(browser, "campaign-progress")
    seen = [first]

    def finished(b: Any) -> bool:  # the page is not reloaded: its script polls and moves the bar
        done = b.find_element(By.ID, "gen-text").get_attribute("data-status") == "DONE"  # first: set after the bar
        seen.append((int(float(bar.get_attribute("value"))), int(float(bar.get_attribute("max")))))
        return done

    wait_for(browser, finished, "the generation to finish", timeout=120)
    campaign_id = browser.current_url.rsplit("/", 1)[1]
    page_text = browser.find_element(By.TAG_NAME, "main").text
    _shot(browser, "campaign")
    browser.get(f"{console.url}/console/campaigns")
    list_text = browser.find_element(By.TAG_NAME, "main").text
    _shot(browser, "campaigns")
    _shot(browser, "campaigns-768", width=768)  # a tablet: the table scrolls sideways inside its frame
    return {"id": campaign_id, "first": first, "status": status, "seen": seen, "page": page_text,
            "list": list_text}


def test_a_campaign_made_in_the_browser_is_generated_in_the_background_with_a_progress_bar_that_moves(
        made: dict[str, Any], console: Console) -> None:
    made_first, total = made["first"]
    assert (made["status"], total) == ("IN_PROGRESS", COUNT) and made_first < COUNT, made  # seen below 100 %
    assert made["seen"][-1] == (COUNT, COUNT)  # … and at 100 %, without reloading the page
    assert f"All {COUNT:,} cards are made." in made["page"] and "€25.00" in made["page"]
    assert "Spring 2027" in made["list"] and f"{COUNT:,}" in made["list"]
    assert len(campaign_codes(console, made["id"])) == COUNT
    [line] = audit_lines(console, "campaigns.create")
    assert line["email"] == console.users["admin"] and line["target"] == made["id"] and line["outcome"] == "ok"
    assert line["detail"]["count"] == COUNT


def test_finance_downloads_the_card_sheets_and_every_card_decodes_to_its_code(
        made: dict[str, Any], console: Console, tmp_path: Path) -> None:
    codes = campaign_codes(console, made["id"])
    with console.http("finance") as http:
        answer = http.get(f"/console/campaigns/{made['id']}/cards.pdf", params={"first": 101, "count": 30})
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/pdf"
    assert "cards-" in answer.headers["content-disposition"]
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(answer.content)
    found = decoded(rasterise(pdf))
    assert sorted(found["QRCode"]) == sorted(codes[100:130])
    assert set(found["Code128"]) <= set(codes[100:130]) and len(found["Code128"]) >= 27  # a misreading one has none
    line = audit_lines(console, "campaigns.export")[-1]
    assert line["email"] == console.users["finance"]
    assert line["detail"] | {} == {"campaign": "Spring 2027", "format": "pdf", "first": 101, "cards": 30, "page": "A4"}


def test_finance_downloads_the_csv_with_the_api_export_s_columns(made: dict[str, Any], console: Console) -> None:
    with console.http("finance") as http:
        answer = http.get(f"/console/campaigns/{made['id']}/cards.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert list(rows[0]) == list(DEFAULT_FIELDS)
    assert sorted(r["code"] for r in rows) == sorted(campaign_codes(console, made["id"]))
    assert {(r["campaign"], r["value"], r["gift_balance"]) for r in rows} == {("Spring 2027", "0", "0")}  # unsold
    assert audit_lines(console, "campaigns.export")[-1]["detail"]["format"] == "csv"


def test_finance_may_not_create_a_campaign(console: Console) -> None:
    with console.http("finance") as http:
        assert http.get("/console/campaigns/new").status_code == 403
        token = csrf_of(http.get("/console/campaigns").text)  # the language switch's form: the session's token
        refused = http.post("/console/campaigns", data={"name": "Not mine", "amount": "5.00", "count": "3",
                                                         "csrf_token": token})
        assert refused.status_code == 403 and "You may not do this" in refused.text
        assert "Not mine" not in http.get("/console/campaigns").text
    assert audit_lines(console, "campaigns.create")[-1]["outcome"] == "refused"


def test_a_refused_campaign_says_why_and_keeps_what_was_typed(console: Console) -> None:
    with console.http("admin") as http:
        token = csrf_of(http.get("/console/campaigns/new").text)
        answer = http.post("/console/campaigns", data={"name": "Half", "amount": "12.345", "count": "10",
                                                        "pattern": "AB-####", "csrf_token": token})
        assert answer.status_code == 400, answer.text
        assert 'role="alert"' in answer.text and 'value="12.345"' in answer.text and 'value="AB-####"' in answer.text
        no_token = http.post("/console/campaigns", data={"name": "Forged", "amount": "5.00", "count": "3"})
        assert no_token.status_code == 403
        assert "Forged" not in http.get("/console/campaigns").text


def test_the_pages_speak_german(made: dict[str, Any], console: Console) -> None:
    with console.http("admin", headers={"Accept-Language": "de-DE"}) as http:
        page = http.get(f"/console/campaigns/{made['id']}").text
        assert "Kartenbögen herunterladen (PDF)" in page and "25,00\xa0€" in page
        assert "Neue Kampagne" in http.get("/console/campaigns").text


def test_nobody_signed_out_gets_a_campaign_s_cards(made: dict[str, Any], console: Console) -> None:
    answer = httpx.get(f"{console.url}/console/campaigns/{made['id']}/cards.csv", follow_redirects=False)
    assert answer.status_code == 303 and "/console/login" in answer.headers["location"]
