"""Campaigns on the server's ledger: N cards from a code config, in batches, with progress.

Mirrors ``pos_app.services.campaigns``: codes are drawn in bulk (``domain.codes.fresh_codes``), each batch is
one transaction that inserts its cards and writes one change-log line per card (so that tills receive the cards
by pull, page by page) and one for the campaign (its count of cards; it was logged when made, before its
cards), and a code that clashes with one already on the server is left out and made up for by the next batch.
A crash keeps the batches already committed.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard
from pos_app.domain.codes import fresh_codes
from pos_app.server.db.engine import write
from pos_app.server.db.models import campaigns, cards
from pos_app.server.ledger import CAMPAIGN, CARD, append_changes, bulk_insert, log_one, new_id, now, store_info
from pos_app.server.rows import card_to_row
from pos_app.services.campaigns import CreateCampaign, Progress, plan_campaign

BATCH = 10_000


def _no_progress(done: int, total: int) -> None:
    return None


def create_campaign(engine: Engine, cmd: CreateCampaign, *, progress: Progress = _no_progress,
                    batch_size: int = BATCH) -> Campaign:
    campaign, config = plan_campaign(cmd, campaign_id=new_id("camp"), at=now())
    write(engine, lambda conn: _add_campaign(conn, campaign))
    progress(0, cmd.count)
    template = card_to_row(_template(campaign))
    seen: set[str] = set()
    while campaign.vouchers_count < cmd.count:
        codes = fresh_codes(config, min(batch_size, cmd.count - campaign.vouchers_count), seen)
        _insert_batch(engine, campaign, template, codes)
        progress(campaign.vouchers_count, cmd.count)
    return campaign


def _add_campaign(conn: Connection, campaign: Campaign) -> None:
    currency = store_info(conn).currency
    if campaign.currency != currency:
        raise errors.CurrencyMismatch(f"this server sells cards in {currency}, not {campaign.currency}")
    if conn.execute(select(campaigns.c.id).where(campaigns.c.name == campaign.name)).first() is not None:
        raise errors.DuplicateFound(f"a campaign named {campaign.name!r} exists already")
    values = asdict(campaign)
    conn.execute(insert(campaigns).values(**values))
    log_one(conn, CAMPAIGN, campaign.id)


def _insert_batch(engine: Engine, campaign: Campaign, template: dict[str, Any], codes: list[str]) -> None:
    """One transaction: the cards, the campaign's count, one change-log line per card. A code that exists on
    the server already (rare: ≥ 32 random bits) is found by the unique index, looked up and left out."""
    for _ in range(3):
        rows = [{**template, "id": new_id("v"), "code": code} for code in codes]

        def work(conn: Connection, rows: list[dict[str, Any]] = rows) -> None:
            bulk_insert(conn, cards, rows)
            conn.execute(update(campaigns).where(campaigns.c.id == campaign.id)
                         .values(vouchers_count=campaigns.c.vouchers_count + len(rows)))
            append_changes(conn, [(CARD, row["id"]) for row in rows])
            log_one(conn, CAMPAIGN, campaign.id)  # its count of cards

        try:
            write(engine, work)
            campaign.vouchers_count += len(rows)
            return
        except IntegrityError:
            def clashes(conn: Connection, codes: list[str] = codes) -> set[str]:
                return set(conn.execute(select(cards.c.code).where(cards.c.code.in_(codes))).scalars())

            taken = write(engine, clashes)
            codes = [c for c in codes if c not in taken]
            if not codes:
                return
    raise errors.DuplicateFound("could not insert a batch of new codes; try again")


def _template(campaign: Campaign) -> GiftCard:
    return GiftCard(
        id="", code="", currency=campaign.currency, campaign_id=campaign.id, status=CardStatus.INACTIVE,
        initial_amount=campaign.amount, start_date=campaign.start_date, expiration_date=campaign.expiration_date,
        redemption_limit=campaign.redemption_limit, min_order_amount=campaign.min_order_amount,
        category=campaign.category, created_at=campaign.created_at,
    )


def list_campaigns(conn: Connection) -> list[Campaign]:
    rows = conn.execute(select(campaigns).order_by(campaigns.c.created_at, campaigns.c.id)).mappings()
    return [Campaign(**dict(r)) for r in rows]
