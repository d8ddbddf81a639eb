"""The console's page helpers without a server: amounts typed and shown in the page's language, safe redirects."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.server.console import i18n, pages


def test_amounts_are_read_and_written_in_the_pages_language() -> None:
    with i18n.use("en"):
        assert pages.amount("12.50", "EUR") == Money(1250, "EUR")
        assert pages.money_text(1250, "EUR") == "€12.50"
        with pytest.raises(errors.GiftCardError):
            pages.amount("12,50", "EUR")
    with i18n.use("de"):
        assert pages.amount("12,50", "EUR") == pages.amount("12.50", "EUR") == Money(1250, "EUR")
        assert pages.money_text(Money(1250, "EUR")) == "12,50\xa0€"
    for typed in ("", "-1", "1e3", "NaN", "12.505"):
        with pytest.raises(errors.GiftCardError):
            pages.amount(typed, "EUR")


def test_times_are_shown_in_utc_or_the_zone_given() -> None:
    moment = datetime(2026, 7, 1, 12, 30, tzinfo=UTC)
    assert pages.when_text(moment) == "2026-07-01 12:30"
    assert pages.when_text(moment, "Europe/Berlin") == "2026-07-01 14:30"
    assert pages.when_text(None) == "—"


@pytest.mark.parametrize(("target", "goes_to"), [
    ("/console/cards?q=AB", "/console/cards?q=AB"),
    ("https://evil.example/console", "/console/dashboard"),
    ("//evil.example/console", "/console/dashboard"),
    ("/v1/vouchers", "/console/dashboard"),
    ("/console\\@evil", "/console/dashboard"),
    ("", "/console/dashboard"),
])
def test_a_redirect_after_sign_in_stays_in_the_console(target: str, goes_to: str) -> None:
    assert pages.safe_next(target) == goes_to
