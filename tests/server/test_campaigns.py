"""Campaigns on the server: every card once in the change log; a code that exists already is left out and made
up for."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, text

from pos_app.domain import errors
from pos_app.domain.money import Money
from pos_app.domain.shop_time import expiry_end_of_day
from pos_app.server import campaigns
from pos_app.server.app import create_app
from pos_app.server.campaigns import CreateCampaign, create_campaign
from tests.server.conftest import TestClient, enrol


def _codes(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT code FROM cards ORDER BY code")).scalars())


def test_a_code_that_exists_already_is_left_out_and_made_up_for(engine: Engine,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    create_campaign(engine, CreateCampaign(name="First", amount=Money(1000, "EUR"), count=30))
    taken = _codes(engine)[0]
    real = campaigns.fresh_codes
    calls: list[int] = []

    def with_a_clash(config: Any, n: int, seen: set[str]) -> list[str]:
        calls.append(n)
        codes = real(config, n, seen)
        return [taken, *codes[1:]] if len(calls) == 1 else codes

    monkeypatch.setattr(campaigns, "fresh_codes", with_a_clash)
    second = create_campaign(engine, CreateCampaign(name="Second", amount=Money(1000, "EUR"), count=30),
                             batch_size=30)
    assert second.vouchers_count == 30
    assert calls == [30, 1]  # the batch without the clashing code, then one more
    codes = _codes(engine)
    assert len(codes) == len(set(codes)) == 60
    with engine.connect() as conn:
        logged = conn.execute(text("SELECT count(*), count(DISTINCT ref_id) FROM changes WHERE kind = 'card'")).one()
    assert tuple(logged) == (60, 60)


def test_progress_is_reported_batch_by_batch(engine: Engine) -> None:
    seen: list[tuple[int, int]] = []
    create_campaign(engine, CreateCampaign(name="Big", amount=Money(500, "EUR"), count=250),
                    progress=lambda done, total: seen.append((done, total)), batch_size=100)
    assert seen == [(0, 250), (100, 250), (200, 250), (250, 250)]


def test_the_campaign_is_in_the_stores_currency(engine: Engine) -> None:
    from pos_app.domain.errors import CurrencyMismatch

    with pytest.raises(CurrencyMismatch):
        create_campaign(engine, CreateCampaign(name="Dollars", amount=Money(1000, "USD"), count=1))


def test_a_campaign_that_lasts_to_the_end_of_the_century_still_reaches_the_tills(engine: Engine, db_url: str) -> None:
    late = expiry_end_of_day(date(2099, 12, 31), ZoneInfo("America/New_York"))  # 2100-01-01T05:00Z
    made = create_campaign(engine, CreateCampaign(name="Century", amount=Money(500, "EUR"), count=2,
                                                  expiration_date=late))
    with pytest.raises(errors.InvalidPayload):
        create_campaign(engine, CreateCampaign(name="Never", amount=Money(500, "EUR"), count=1,
                                               expiration_date=datetime(2102, 1, 1, tzinfo=UTC)))
    with TestClient(create_app(db_url)) as client:
        till = enrol(client, engine, "till")
        page = till.pull_all()
    assert sum(c["campaign_id"] == made.id for c in page["cards"].values()) == 2
