"""The console's browser harness as CONSOLE.md names it (``console``, ``browser``, ``sign_in``, ``shot``), for the
conflict pages' test until the core's ``tests/console/conftest.py`` is on main: then this module goes, and the test
takes the core's fixtures.

* ``console``: the real ``pos-server serve`` on 127.0.0.1 on a fresh SQLite database, with an administrator, a
  finance and a support user made with ``pos-server console-user add`` (``<role>@example.com``, :data:`PASSWORD`).
* ``browser``: Debian's headless ``chromium`` through ``chromedriver`` (Selenium), 1366×768, in English.
* ``sign_in(browser, console, role)``; ``shot(browser, name)`` writes ``resources/screenshots/console-<name>.png``
  (the whole page: the window is made as tall as the page for the shot).
"""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait

from tests.server.harness import ROOT, _env, running_server

PASSWORD = "correct horse battery staple"
ROLES = ("admin", "finance", "support")
SCREENSHOTS = ROOT / "resources" / "screenshots"
WIDTH, HEIGHT = 1366, 768


@dataclass(frozen=True)
class Console:
    url: str
    db_url: str

    def email(self, role: str) -> str:
        return f"{role}@example.com"


@pytest.fixture(name="console")
def console_fixture(tmp_path: Path) -> Iterator[Console]:
    db_url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    with running_server(db_url) as server:
        for role in ROLES:
            subprocess.run([sys.executable, "-m", "pos_app.server.cli", "console-user", "add", f"{role}@example.com",
                            "--role", role, "--password-stdin", "--db", db_url], input=PASSWORD + "\n", text=True,
                           cwd=ROOT, env=_env(), check=True, capture_output=True, timeout=120)
        yield Console(server.url, db_url)


@pytest.fixture(name="browser")
def browser_fixture() -> Iterator[WebDriver]:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if chromium is None or driver is None:
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US",
                     f"--window-size={WIDTH},{HEIGHT}"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    opened = webdriver.Chrome(options=options, service=Service(driver))
    opened.implicitly_wait(5)
    try:
        yield opened
    finally:
        opened.quit()


def sign_in(browser: WebDriver, console: Console, role: str) -> None:
    browser.get(f"{console.url}/console/login")
    browser.find_element(By.ID, "f-email").send_keys(console.email(role))
    browser.find_element(By.ID, "f-password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form[action='/console/login'] button[type=submit]").click()
    WebDriverWait(browser, 20).until(lambda b: "/console/login" not in b.current_url)


def shot(browser: WebDriver, name: str) -> Path:
    """The whole page as the 1366-wide window lays it out (Chromium's own capture beyond the viewport)."""
    path = SCREENSHOTS / f"console-{name}.png"
    size = browser.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
    taken = browser.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                               "clip": clip})
    path.write_bytes(base64.b64decode(taken["data"]))
    return path
