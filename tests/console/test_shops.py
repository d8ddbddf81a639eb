"""Shops and tills in the console, against the real server: a shop made in a real Chromium, an enrolment code for
it (text and a QR code that decodes to the same code), a REAL till enrolled with it (``pos-app enroll``), seen on
the shop's page with when it was last seen; revoked there, and its next sync refused. Over plain HTTP: the people
of the tills, the limits, and what finance may not do — each POST in the audit log."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import zxingcpp
from PIL import Image
from selenium.webdriver.common.by import By

from tests.console.conftest import Console, csrf_of, wait_for
from tests.server.harness import ROOT, _env


def pos_app(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The till's own command line, on its own store."""
    return subprocess.run([sys.executable, "-m", "pos_app", "--data-dir", str(data_dir), *args], cwd=ROOT,
                          env=_env(), capture_output=True, text=True, timeout=180, check=False)


def test_a_shop_a_code_a_real_till_enrolled_seen_and_revoked(
        console: Console, browser: Any, sign_in: Callable[..., None], shot: Callable[..., Path],
        tmp_path: Path) -> None:
    sign_in(browser, console, "admin")
    browser.get(f"{console.url}/console/shops")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Shops and tills"
    browser.find_element(By.ID, "f-name").send_keys("Grafton Street")
    zone = browser.find_element(By.ID, "f-time_zone")
    zone.clear()
    zone.send_keys("Europe/Dublin")
    browser.find_element(By.ID, "f-address").send_keys("1 Grafton Street\nDublin 2")
    shot(browser, "shops")
    browser.find_element(By.CSS_SELECTOR, "form[action='/console/shops'] button[type=submit]").click()
    wait_for(browser, lambda b: "/console/shops/shop_" in b.current_url, "the new shop's page")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Grafton Street"
    assert "Europe/Dublin" in browser.find_element(By.CSS_SELECTOR, "dl.pairs").text
    shop_url = browser.current_url

    browser.find_element(By.CSS_SELECTOR, "form[action$='/enrol-code'] button").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "enrol-code"), "the enrolment code")
    code = browser.find_element(By.ID, "enrol-code").text
    qr = browser.find_element(By.CSS_SELECTOR, "svg.qr")
    assert qr.get_attribute("aria-label") == code
    png = tmp_path / "qr.png"
    png.write_bytes(qr.screenshot_as_png)
    decoded = zxingcpp.read_barcodes(np.asarray(Image.open(png).convert("L")))
    assert [d.text for d in decoded] == [code]  # the QR code says what the till's enrolment field takes
    shot(browser, "enrol-code")

    till_dir = tmp_path / "till"
    enrolled = pos_app(till_dir, "enroll", "--server", console.url, "--code", code, "--name", "Front till", "--json")
    assert enrolled.returncode == 0, enrolled.stderr
    device_id = json.loads(enrolled.stdout)["device_id"]
    assert json.loads(enrolled.stdout)["sync"]["mode"] == "online"

    browser.get(shop_url)
    row = browser.find_element(By.XPATH, "//tbody/tr[th/a[text()='Front till']]")
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert cells[0].endswith(" UTC") and cells[0] != "never"  # last seen: its first sync
    assert cells[1] == "0" and cells[2] == "Active"  # it said it holds nothing unsynced
    shot(browser, "shop")

    row.find_element(By.TAG_NAME, "a").click()
    wait_for(browser, lambda b: b.current_url.endswith(f"/console/tills/{device_id}"), "the till's page")
    assert browser.find_element(By.ID, "last-seen").text.endswith(" UTC")
    assert browser.find_element(By.ID, "unsynced").text == "0"
    shot(browser, "till")
    browser.find_element(By.ID, "revoke").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[role=status]"), "the revocation's message")
    assert "is revoked" in browser.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert browser.find_element(By.ID, "till-state").text.startswith("Revoked on")
    shot(browser, "till-revoked", width=768)

    refused = pos_app(till_dir, "sync", "--once")
    assert refused.returncode != 0
    assert "device_revoked" in refused.stdout + refused.stderr or "removed" in refused.stdout + refused.stderr
    browser.get(shop_url)
    assert "Revoked" in browser.find_element(By.XPATH, "//tbody/tr[th/a[text()='Front till']]").text

    for page in ("people", "limits"):  # the other pages of the area, as they look
        browser.get(f"{console.url}/console/{page}")
        assert browser.find_element(By.TAG_NAME, "h1").text in ("People of the tills", "Offline limits")
        shot(browser, page)


def test_people_of_the_tills_added_disabled_and_given_a_new_pin(console: Console) -> None:
    with console.http("admin") as http:
        page = http.get("/console/people")
        assert page.status_code == 200
        token = csrf_of(page.text)
        added = http.post("/console/people", data={"name": "Ann", "role": "cashier", "pin": "2468",
                                                   "csrf_token": token})
        assert added.status_code == 303
        listed = console.cli("user", "list", "--json").json()
        ann = next(u for u in listed if u["name"] == "Ann")
        assert (ann["role"], ann["active"]) == ("cashier", True)
        short = http.post("/console/people", data={"name": "Bob", "role": "cashier", "pin": "12",
                                                   "csrf_token": token})
        assert short.status_code == 400 and 'value="Bob"' in short.text  # the form keeps its input
        assert http.post(f"/console/people/{ann['id']}/disable", data={"csrf_token": token}).status_code == 303
        assert http.post(f"/console/people/{ann['id']}/pin", data={"pin": "1357", "csrf_token": token}
                         ).status_code == 303
        users = {u["name"]: u for u in console.cli("user", "list", "--json").json()}
        assert not users["Ann"]["active"] and "Bob" not in users
        audit = http.get("/console/audit").text
    for action in ("people.add", "people.disable", "people.reset_pin"):
        assert action in audit


def test_limits_of_the_chain_and_of_a_till(console: Console) -> None:
    with console.http("admin") as http:
        token = csrf_of(http.get("/console/limits").text)
        saved = http.post("/console/limits", data={"per_redemption": "80.00", "per_device_unsynced": "400",
                                                   "max_offline_hours": "12", "max_card_age_hours": "48",
                                                   "csrf_token": token})
        assert saved.status_code == 303
        shown = console.cli("limits", "show", "--json").json()
        assert (shown["per_redemption"], shown["max_offline_seconds"]) == (8_000, 12 * 3600)
        bad = http.post("/console/limits", data={"per_redemption": "-1", "per_device_unsynced": "400",
                                                 "max_offline_hours": "12", "max_card_age_hours": "48",
                                                 "csrf_token": token})
        assert bad.status_code == 400 and "role=\"alert\"" in bad.text


def test_finance_sees_shops_but_changes_nothing(console: Console) -> None:
    with console.http("finance") as http:
        page = http.get("/console/shops")
        assert page.status_code == 200 and "Add a shop" not in page.text
        refused = http.post("/console/shops", data={"name": "Sneaky", "time_zone": "UTC",
                                                    "csrf_token": csrf_of(page.text)})
        assert refused.status_code == 403
        assert http.get("/console/people").status_code == 403
    assert all(s["name"] != "Sneaky" for s in console.cli("shop", "list", "--json").json())
