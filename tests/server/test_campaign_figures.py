"""The console's campaign figures (``server.campaign_figures``): paged by cursor, counted live for small campaigns
and in the background for large ones; a card sheet's range; a campaign's CSV in the API export's columns."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select, update

from pos_app.domain.money import Money
from pos_app.server import campaign_figures as figures
from pos_app.server.campaigns import CreateCampaign, create_campaign
from pos_app.server.db.engine import read
from pos_app.server.db.models import campaigns, cards
from pos_app.server.voucherify.assets import AssetLinks, secret
from pos_app.server.voucherify.exports import DEFAULT_FIELDS, voucher_csv
from tests.server.conftest import set_card


def make(engine: Engine, name: str, count: int, *, day: int) -> str:
    campaign = create_campaign(engine, CreateCampaign(name=name, amount=Money(2500, "EUR"), count=count))
    with engine.begin() as conn:  # a distinct creation time each, so that "newest first" is known
        conn.execute(update(campaigns).where(campaigns.c.id == campaign.id)
                     .values(created_at=datetime(2026, 1, day, tzinfo=UTC)))
    return campaign.id


def sell(engine: Engine, campaign_id: str, n: int, balance: int) -> None:
    with engine.connect() as conn:
        ids = list(conn.execute(select(cards.c.id).where(cards.c.campaign_id == campaign_id)
                                .order_by(cards.c.id).limit(n)).scalars())
    for card_id in ids:
        set_card(engine, card_id, status="active", loaded=2500, balance=balance, redeemed=2500 - balance)


def test_campaigns_are_paged_newest_first_by_cursor_with_their_figures(engine: Engine) -> None:
    ids = [make(engine, f"Spring {n}", 3 + n, day=n + 1) for n in range(5)]
    sell(engine, ids[4], 2, balance=1000)
    sell(engine, ids[1], 1, balance=2500)

    page, after = figures.campaign_page(engine, limit=2)
    assert [f.campaign.id for f in page] == [ids[4], ids[3]] and after == ids[3]
    newest = page[0]
    assert (newest.cards, newest.active, newest.outstanding, newest.counting) == (7, 2, 2000, False)
    assert newest.generation is None  # made by the CLI's path: no job
    page, after = figures.campaign_page(engine, after=after, limit=2)
    assert [f.campaign.id for f in page] == [ids[2], ids[1]]
    assert (page[1].cards, page[1].active, page[1].outstanding) == (4, 1, 2500)
    page, after = figures.campaign_page(engine, after=after, limit=2)
    assert [f.campaign.id for f in page] == [ids[0]] and after is None
    one = figures.campaign_figures(engine, ids[4])
    assert (one.cards, one.active, one.outstanding, one.loaded, one.redeemed) == (7, 2, 2000, 5000, 3000)


def test_a_large_campaign_is_counted_in_the_background_and_shown_with_when(engine: Engine,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(figures, "LIVE_BUDGET", 5)
    monkeypatch.setattr(figures, "COUNTED", figures.Counted())
    small, large = make(engine, "Small", 4, day=1), make(engine, "Large", 12, day=2)
    sell(engine, large, 3, balance=700)
    page, _ = figures.campaign_page(engine)
    shown = {f.campaign.id: f for f in page}
    assert shown[small].counting is False and shown[small].cards == 4 and shown[small].counted_at is None
    assert shown[large].counting is True  # not known yet: the first count runs
    deadline = time.monotonic() + 10
    while (f := figures.campaign_figures(engine, large)).counting and time.monotonic() < deadline:
        time.sleep(0.05)
    assert (f.cards, f.active, f.outstanding) == (12, 3, 2100) and f.counted_at is not None


def test_a_sheet_is_a_range_of_the_campaign_s_cards_in_the_order_they_were_made(engine: Engine) -> None:
    campaign_id = make(engine, "Sheets", 25, day=3)
    campaign = read(engine, lambda conn: figures.find_campaign(conn, campaign_id))
    with engine.connect() as conn:
        codes = list(conn.execute(select(cards.c.code).where(cards.c.campaign_id == campaign_id)
                                  .order_by(cards.c.id)).scalars())
    faces = read(engine, lambda conn: list(figures.sheet_faces(conn, campaign, first=11, count=10, locale="en_GB")))
    assert [f.code for f in faces] == codes[10:20]
    assert {(f.amount, f.campaign, f.shop_name) for f in faces} == {(Money(2500, "EUR"), "Sheets", "Head Office")}
    tail = read(engine, lambda conn: list(figures.sheet_faces(conn, campaign, first=21, count=500, locale="en")))
    assert [f.code for f in tail] == codes[20:]
    with pytest.raises(Exception, match="1 to 500 cards"):
        read(engine, lambda conn: list(figures.sheet_faces(conn, campaign, first=1, count=501, locale="en")))


def test_a_campaign_s_csv_has_the_api_export_s_columns_and_only_its_cards(engine: Engine) -> None:
    mine, other = make(engine, "Mine", 6, day=4), make(engine, "Other", 2, day=5)
    body = b"".join(voucher_csv(engine, list(DEFAULT_FIELDS), AssetLinks(secret(engine), "http://console.test"),
                                campaigns_wanted=[mine])).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert list(rows[0]) == list(DEFAULT_FIELDS)
    assert len(rows) == 6 and {r["campaign"] for r in rows} == {"Mine"}
    with engine.connect() as conn:
        codes = set(conn.execute(select(cards.c.code).where(cards.c.campaign_id == mine)).scalars())
    assert {r["code"] for r in rows} == codes
    assert all(r["qr_code"].startswith("http://console.test/") for r in rows)
    assert other


def test_a_generation_whose_process_died_is_resumed_when_its_campaign_is_looked_at(engine: Engine) -> None:
    """The console's campaign page takes over a generation job that went quiet (its process died after some
    batches) and makes the cards still missing, as the API's ``get_campaign`` does."""
    from datetime import timedelta

    from pos_app.domain.codes import CodeConfig
    from pos_app.server.campaigns import generate, start_campaign
    from pos_app.server.console.campaigns import _resume_if_stale
    from pos_app.server.db.models import async_actions
    from pos_app.server.ledger import now
    from pos_app.server.voucherify import jobs

    made: list[str] = []

    def record(conn, campaign):  # type: ignore[no-untyped-def]
        made.append(jobs.start(conn, key_id="console:someone", type=jobs.GENERATION, campaign_id=campaign.id,
                               requested=30))

    campaign, config = start_campaign(engine, CreateCampaign(name="Crashed", amount=Money(500, "EUR"), count=30,
                                                             code_config=CodeConfig.readable_default()), then=record)
    generate(engine, campaign, config, 12, batch_size=6, each_batch=jobs.progress(made[0]))  # two batches, then…
    with engine.begin() as conn:  # … the process died: another owner, silent for longer than STALE
        conn.execute(update(async_actions).where(async_actions.c.id == made[0]).values(
            owner="gone:1:dead", heartbeat=now() - jobs.STALE - timedelta(seconds=1)))
    assert figures.campaign_figures(engine, campaign.id).generation.made == 12  # type: ignore[union-attr]

    _resume_if_stale(engine, campaign.id)
    deadline = time.monotonic() + 30
    while (job := figures.campaign_figures(engine, campaign.id).generation).status == jobs.IN_PROGRESS:  # type: ignore[union-attr]
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
    assert (job.status, job.made, job.requested) == (jobs.DONE, 30, 30)  # type: ignore[union-attr]
    assert figures.campaign_figures(engine, campaign.id).cards == 30
