"""The console's core in a real headless Chromium against the real server: signing in, what finance may not
touch, a form whose CSRF token was tampered with, and an API key made and revoked — with the screenshots."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
import voucherify
from selenium.webdriver.common.by import By
from voucherify.exceptions import NotFoundException, UnauthorizedException

from tests.console.conftest import Console, page_ready, wait_for

#: The forms every page has in its header: signing out and the language switch.
HEADER_FORMS = {"/console/logout", "/console/language"}


def _h1(browser: Any) -> str:
    page_ready(browser)
    return str(browser.find_element(By.TAG_NAME, "h1").text)


def _post_forms(browser: Any) -> set[str]:
    actions = browser.execute_script(
        "return [...document.querySelectorAll('form')].filter(f => f.method.toLowerCase() === 'post')"
        ".map(f => new URL(f.action).pathname)")
    return set(actions) - HEADER_FORMS


def test_sign_in_through_the_page(console: Console, browser: Any, shot: Callable[..., Any]) -> None:
    browser.get(f"{console.url}/console/audit")
    wait_for(browser, lambda b: "/console/login" in b.current_url, "the sign-in page")
    assert _h1(browser) == "Sign in to head office"
    email = browser.find_element(By.ID, "f-email")
    assert browser.find_element(By.CSS_SELECTOR, "label[for=f-email]").text.startswith("E-mail address")
    email.send_keys("someone@example.com")
    browser.find_element(By.ID, "f-password").send_keys("not the password")
    shot(browser, "login")
    browser.find_element(By.ID, "f-password").submit()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[role=alert]"), "the refusal")
    assert browser.find_element(By.CSS_SELECTOR, "[role=alert]").text == \
        "The e-mail address or the password is wrong."
    shot(browser, "login-refused", width=768)

    browser.find_element(By.ID, "f-email").clear()
    browser.find_element(By.ID, "f-email").send_keys(console.users["admin"])
    browser.find_element(By.ID, "f-password").send_keys("correct horse battery")
    browser.find_element(By.ID, "f-password").submit()
    wait_for(browser, lambda b: b.current_url.endswith("/console/audit"), "the page asked for first")
    assert _h1(browser) == "Audit log"
    nav = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav[aria-label=Main] a")]
    assert "API keys" in nav and "Head office" in nav and "Audit log" in nav
    shot(browser, "audit")
    shot(browser, "audit-tablet", width=768)

    browser.find_element(By.CSS_SELECTOR, "form[action='/console/logout'] button").click()
    wait_for(browser, lambda b: "/console/login" in b.current_url, "signed out")
    assert browser.find_element(By.CSS_SELECTOR, "[role=status]").text == "You have signed out."


def test_a_finance_user_sees_no_button_that_changes_anything(
        console: Console, browser: Any, sign_in: Callable[..., None], shot: Callable[..., Any]) -> None:
    sign_in(browser, console, "finance")
    links = {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "nav[aria-label=Main] a")}
    assert not any(link.endswith(("/console/api-keys", "/console/head-office", "/console/limits")) for link in links)
    opened = 0
    for link in sorted(links):
        browser.get(link)
        if _h1(browser) in ("Not found", "Not allowed"):
            continue  # an area whose pages are not built yet
        opened += 1
        assert _post_forms(browser) == set(), (link, _post_forms(browser))
    assert opened >= 2  # the dashboard and the audit log at least
    browser.get(f"{console.url}/console/api-keys")
    assert _h1(browser) == "Not allowed"
    assert "You may not do this" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert not browser.find_elements(By.CSS_SELECTOR, "form[action='/console/api-keys']")
    shot(browser, "refused")


def test_a_form_without_its_csrf_token_is_refused_and_nothing_is_done(
        console: Console, browser: Any, sign_in: Callable[..., None]) -> None:
    sign_in(browser, console, "admin")
    browser.get(f"{console.url}/console/api-keys")
    browser.find_element(By.ID, "f-name").send_keys("forged key")
    browser.execute_script(  # what a forged form from another site would lack: the session's token
        "document.querySelector(\"form[action='/console/api-keys'] input[name=csrf_token]\").remove()")
    browser.find_element(By.ID, "f-name").submit()
    wait_for(browser, lambda b: _h1(b) == "Not allowed", "the refusal page")
    assert "nothing was done" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert "forged key" not in {k["name"] for k in console.cli("api-key", "list", "--json").json()}


def test_create_and_revoke_an_api_key(console: Console, browser: Any, sign_in: Callable[..., None],
                                      shot: Callable[..., Any]) -> None:
    sign_in(browser, console, "admin")
    browser.get(f"{console.url}/console/api-keys")
    browser.find_element(By.ID, "f-name").send_keys("web shop")
    browser.find_element(By.CSS_SELECTOR, "form[action='/console/api-keys'] button[type=submit]").click()
    wait_for(browser, lambda b: b.find_elements(By.ID, "new-app-token"), "the new key's secret")
    app_id = browser.find_element(By.ID, "new-app-id").text
    token = browser.find_element(By.ID, "new-app-token").text
    assert app_id.startswith("app_") and len(token) >= 40
    shot(browser, "api-key-created")

    client = voucherify.ApiClient(voucherify.Configuration(
        host=console.url, api_key={"X-App-Id": app_id, "X-App-Token": token}, retries=False))
    with pytest.raises(NotFoundException):  # the key is good: the API looked for the card
        voucherify.VouchersApi(client).get_voucher("NO-SUCH-CARD")

    browser.get(f"{console.url}/console/api-keys")
    assert token not in browser.page_source  # shown once, never again
    row = browser.find_element(By.XPATH, "//tr[th[normalize-space()='web shop']]")
    assert "Active" in row.text
    row.find_element(By.CSS_SELECTOR, "button.danger").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[role=status]"), "the revocation's message")
    assert browser.find_element(By.CSS_SELECTOR, "[role=status]").text == \
        "The key “web shop” is revoked: its requests are refused from now on."
    assert "Revoked" in browser.find_element(By.XPATH, "//tr[th[normalize-space()='web shop']]").text
    shot(browser, "api-keys")

    with pytest.raises(UnauthorizedException) as refused:
        voucherify.VouchersApi(client).get_voucher("NO-SUCH-CARD")
    assert json.loads(refused.value.body)["key"] == "unauthorized"
    lines = console.cli("api-key", "list", "--json").json()
    assert next(k for k in lines if k["name"] == "web shop")["revoked_at"] is not None


def test_the_head_office_page_adds_a_person_who_can_then_sign_in(
        console: Console, browser: Any, sign_in: Callable[..., None], shot: Callable[..., Any]) -> None:
    sign_in(browser, console, "admin")
    browser.get(f"{console.url}/console/head-office")
    browser.find_element(By.ID, "f-email").send_keys("Nora@Example.com")
    browser.find_element(By.CSS_SELECTOR, "#f-role option[value=finance]").click()
    browser.find_element(By.ID, "f-password").send_keys("nora's first password")
    browser.find_element(By.CSS_SELECTOR, "form[action='/console/head-office'] button[type=submit]").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, "[role=status]"), "the message")
    assert browser.find_element(By.CSS_SELECTOR, "[role=status]").text == \
        "nora@example.com can sign in now, as Finance."
    shot(browser, "head-office")
    sign_in(browser, console, "finance", email="nora@example.com", password="nora's first password")
    assert "nora@example.com" in browser.find_element(By.CSS_SELECTOR, ".who").text


def test_the_sign_in_page_in_german_on_a_tablet(console: Console, browser: Any, shot: Callable[..., Any]) -> None:
    browser.get(f"{console.url}/console/login")
    browser.find_element(By.CSS_SELECTOR, "button[name=lang][value=de]").click()
    wait_for(browser, lambda b: _h1(b) == "Anmeldung für die Zentrale", "the German page")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
    shot(browser, "login-de-tablet", width=768)
