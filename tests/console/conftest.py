"""Fixtures of the head-office console's tests: the real server, a real headless Chromium, signing in, screenshots.

    def test_x(console, browser, sign_in, shot):
        sign_in(browser, console, "finance")          # the browser is signed in as the finance user
        browser.get(console.url + "/console/cards")
        shot(browser, "cards")                        # resources/screenshots/console-cards.png (look at it)

    def test_y(console):
        http = console.http("admin")                  # httpx, signed in (plain HTTP, no browser)
        page = http.get("/console/api-keys")
        http.post("/console/api-keys", data={"name": "web shop", "csrf_token": csrf_of(page.text)})

* ``console`` (one per test module): ``pos-server serve`` on 127.0.0.1 on a fresh SQLite database, with an
  admin, a finance and a support user made with ``pos-server console-user add`` (:data:`PASSWORD` for all three:
  ``console.users[role]`` is the e-mail). ``console.add_user(role)`` makes one more (a test that locks one out).
  ``console.cli(...)`` runs ``pos-server`` on its database.
* ``browser`` (one Chromium per module, cookies cleared for every test): Selenium driving Debian's ``chromium``
  and ``chromium-driver`` (``.ci/system-packages.sh``), headless, 1366×768, English unless a test asks.
* ``sign_in(browser, console, role)``: through the sign-in page, as a person would.
* ``shot(browser, name, width=1366)``: the whole page as ``console-<name>.png`` in :data:`SCREENSHOTS`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server.harness import ROOT, CliResult, ServerProcess, _env, pos_server, running_server

PASSWORD = "correct horse battery"
ROLES = ("admin", "finance", "support")
#: Where ``shot`` writes: the README's screenshots when ``POS_CONSOLE_SCREENSHOTS=1`` (regenerate them with
#: ``POS_CONSOLE_SCREENSHOTS=1 .venv/bin/python -m pytest tests/console``), else a scratch folder, so that a test
#: run leaves the working tree as it was.
SCREENSHOTS = (ROOT / "resources" / "screenshots" if os.environ.get("POS_CONSOLE_SCREENSHOTS") == "1"
               else Path(tempfile.mkdtemp(prefix="console-shots-")))
WIDTH, HEIGHT = 1366, 768
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def add_console_user(db_url: str, email: str, role: str, password: str = PASSWORD) -> dict[str, Any]:
    """``pos-server console-user add EMAIL --role ROLE --password-stdin --json``."""
    proc = subprocess.run([sys.executable, "-m", "pos_app.server.cli", "console-user", "add", email, "--role", role,
                           "--password-stdin", "--json", "--db", db_url], cwd=ROOT, env=_env(), input=password + "\n",
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    return CliResult(proc.returncode, proc.stdout, proc.stderr).json()  # type: ignore[no-any-return]


@dataclass
class Console:
    process: ServerProcess
    db_url: str
    users: dict[str, str] = field(default_factory=dict)  # role → e-mail
    _made: int = 0

    @property
    def url(self) -> str:
        return self.process.url

    def add_user(self, role: str, password: str = PASSWORD) -> str:
        """One more console user of ``role``; returns the e-mail."""
        self._made += 1
        email = f"{role}{self._made}@example.com"
        add_console_user(self.db_url, email, role, password)
        return email

    def cli(self, *args: str, check: bool = True) -> CliResult:
        return pos_server(self.db_url, *args, check=check)

    @contextmanager
    def http(self, role: str | None = None, *, email: str | None = None, password: str = PASSWORD,
             **options: Any) -> Iterator[httpx.Client]:
        """An HTTP client of the console: signed in as ``role``'s user (or ``email``), or not at all (None)."""
        with httpx.Client(base_url=self.url, timeout=30, follow_redirects=False, **options) as client:
            if role is not None or email is not None:
                answer = sign_in_http(client, email or self.users[str(role)], password)
                assert answer.status_code == 303, answer.text
            yield client


def sign_in_http(client: httpx.Client, email: str, password: str = PASSWORD, next_url: str = "") -> httpx.Response:
    """Sign in through the form, as a browser would (the page first: it gives the form's token)."""
    page = client.get("/console/login")
    return client.post("/console/login", data={"email": email, "password": password, "next": next_url,
                                                "csrf_token": csrf_of(page.text)})


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    db_url = f"sqlite:///{tmp_path_factory.mktemp('console') / 'server.sqlite3'}"
    with running_server(db_url) as server:
        made = Console(process=server, db_url=db_url)
        for role in ROLES:
            made.users[role] = f"{role}@example.com"
            add_console_user(db_url, made.users[role], role)
        yield made


# ---- the browser ---------------------------------------------------------------------------------------------

def _chromium() -> tuple[str, str]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
    if binary is None or not Path(driver).exists():
        pytest.fail("Debian's chromium and chromium-driver are needed: run .ci/system-packages.sh (as root)")
    return binary, driver


@pytest.fixture(scope="module")
def _driver() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = _chromium()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={WIDTH},{HEIGHT}", "--lang=en-GB", "--force-device-scale-factor=1",
                     "--hide-scrollbars", "--disable-extensions", "--no-first-run"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-GB,en"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def browser(_driver: Any, console: Console) -> Any:
    """The module's Chromium, at 1366×768, with no cookies of an earlier test."""
    _viewport(_driver, WIDTH, HEIGHT)
    _driver.get(f"{console.url}/console/login")
    _driver.delete_all_cookies()
    return _driver


def _sign_in(browser: Any, console: Console, role: str, *, email: str | None = None,
             password: str = PASSWORD) -> None:
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.get(f"{console.url}/console/login")
    browser.find_element(By.ID, "f-email").send_keys(email or console.users[role])
    browser.find_element(By.ID, "f-password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action='/console/login'] button[type=submit]").click()
    wait_for(browser, lambda b: "/console/login" not in b.current_url, f"signing in as {role}")
    page_ready(browser)


def page_ready(browser: Any) -> None:
    """Wait until the page that is loading has loaded (after a click that navigates: Selenium does not wait)."""
    from selenium.webdriver.common.by import By

    wait_for(browser, lambda b: b.execute_script("return document.readyState") == "complete"
             and b.find_elements(By.TAG_NAME, "h1"), "the page to load")


@pytest.fixture
def sign_in() -> Callable[..., None]:
    """``sign_in(browser, console, role)``: sign in through the form as that role's user."""
    return _sign_in


def wait_for(browser: Any, done: Callable[[Any], bool], what: str, timeout: float = 15) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, timeout).until(done, message=f"timed out waiting for: {what}")


def _viewport(browser: Any, width: int, height: int) -> None:
    """Make the page's viewport (not the window around it) ``width``×``height``."""
    browser.set_window_size(width, height)
    extra_w, extra_h = browser.execute_script(
        "return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight]")
    if extra_w or extra_h:
        browser.set_window_size(width + int(extra_w), height + int(extra_h))


def _shot(browser: Any, name: str, width: int = WIDTH) -> Path:
    """The whole page at ``width`` as ``console-<name>.png`` in :data:`SCREENSHOTS`."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"console-{name}.png"
    viewport = HEIGHT if width == WIDTH else 1024  # a laptop's 1366×768, a tablet's 768×1024
    _viewport(browser, width, viewport)
    height = int(browser.execute_script("return document.documentElement.scrollHeight"))
    _viewport(browser, width, max(height, viewport))
    browser.save_screenshot(str(path))
    _viewport(browser, WIDTH, HEIGHT)
    return path


@pytest.fixture
def shot() -> Callable[..., Path]:
    return _shot
