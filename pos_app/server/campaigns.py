"""Campaigns on the server's ledger: N cards from a code config, in batches, with progress.

Mirrors ``pos_app.services.campaigns``: codes are drawn in bulk (``domain.codes.fresh_codes``), each batch is
one transaction that inserts its cards and writes one change-log line per card (so that tills receive the cards
by pull, page by page) and one for the campaign (its count of cards; it was logged when made, before its
cards), and a code that clashes with one already on the server is left out and made up for by the next batch.
A crash keeps the batches already committed.

Two kinds of card come out of it. ``pos-server campaign create`` makes cards **inactive until sold** at a till
(the shop's stock of blank cards). The Voucherify API's campaigns (``voucherify.campaigns``) make them **sold**:
each card active with its value loaded by a ``CREDITS_ADDITION`` entry (``services.imports.build_card``, as an
import loads a card), usable at once as Voucherify's are. :func:`start_campaign` and :func:`generate` are the two
halves the API runs apart (the second in the background for a large count).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from pos_app.domain import errors
from pos_app.domain.cards import Campaign, CardStatus, GiftCard, OperationContext
from pos_app.domain.codes import CodeConfig, fresh_codes
from pos_app.server.db.engine import write
from pos_app.server.db.models import campaigns, cards
from pos_app.server.imports import write_built
from pos_app.server.ledger import (
    CAMPAIGN,
    CARD,
    append_changes,
    bulk_insert,
    log_one,
    new_id,
    now,
    store_info,
    store_zone,
)
from pos_app.server.rows import card_to_row
from pos_app.services.campaigns import CreateCampaign, Progress, plan_campaign
from pos_app.services.imports import ImportRow, build_card

BATCH = 10_000
SOLD_REASON = "campaign"  # the reason of a sold campaign card's CREDITS_ADDITION
#: Runs in each batch's transaction with the codes it adds (the API counts its job's progress there, and
#: refuses, by raising, a batch of a job that another process has taken over).
BatchHook = Callable[[Connection, list[str]], None]


def _no_progress(done: int, total: int) -> None:
    return None


def create_campaign(engine: Engine, cmd: CreateCampaign, *, progress: Progress = _no_progress,
                    batch_size: int = BATCH) -> Campaign:
    """``pos-server campaign create``: the campaign and its cards, inactive until sold at a till."""
    campaign, config = start_campaign(engine, cmd)
    generate(engine, campaign, config, cmd.count, progress=progress, batch_size=batch_size)
    return campaign


def start_campaign(engine: Engine, cmd: CreateCampaign,
                   then: Callable[[Connection, Campaign], None] | None = None) -> tuple[Campaign, CodeConfig]:
    """The campaign, checked (``plan_campaign``) and stored without cards; ``then`` runs in the same
    transaction (the API records its generation job there)."""
    campaign, config = plan_campaign(cmd, campaign_id=new_id("camp"), at=now())

    def work(conn: Connection) -> None:
        _add_campaign(conn, campaign)
        if then is not None:
            then(conn, campaign)

    write(engine, work)
    return campaign, config


def config_of(campaign: Campaign) -> CodeConfig:
    """The code config a campaign's cards were made with (``invalid_code_config`` for one that has none: an
    imported campaign)."""
    try:
        return CodeConfig(**campaign.code_config).validate()
    except TypeError:
        raise errors.InvalidCodeConfig(f"campaign {campaign.name!r} has no code config to make codes with") from None


def generate(engine: Engine, campaign: Campaign, config: CodeConfig, count: int, *, sold: bool = False,
             device_id: str = "server", progress: Progress = _no_progress, batch_size: int = BATCH,
             each_batch: BatchHook | None = None) -> int:
    """``count`` more cards for ``campaign``, batch by batch; returns how many were made. ``sold``: active with
    their value (entries by ``device_id``), else inactive until sold. ``each_batch``: see :data:`BatchHook`."""
    progress(0, count)
    template = card_to_row(_template(campaign))
    seen: set[str] = set()
    made = 0
    while made < count:
        codes = fresh_codes(config, min(batch_size, count - made), seen)
        made += _insert_batch(engine, campaign, template, codes, sold=sold, device_id=device_id,
                              each_batch=each_batch)
        progress(made, count)
    return made


def _add_campaign(conn: Connection, campaign: Campaign) -> None:
    currency = store_info(conn).currency
    if campaign.currency != currency:
        raise errors.CurrencyMismatch(f"this server sells cards in {currency}, not {campaign.currency}")
    if conn.execute(select(campaigns.c.id).where(campaigns.c.name == campaign.name)).first() is not None:
        raise errors.DuplicateFound(f"a campaign named {campaign.name!r} exists already")
    values = asdict(campaign)
    conn.execute(insert(campaigns).values(**values))
    log_one(conn, CAMPAIGN, campaign.id)


def _insert_batch(engine: Engine, campaign: Campaign, template: dict[str, Any], codes: list[str], *, sold: bool,
                  device_id: str, each_batch: BatchHook | None) -> int:
    """One transaction: the cards (and, sold, their entries), the campaign's count, one change-log line per card.
    A code that exists on the server already (rare: ≥ 32 random bits) is found by the unique index, looked up
    and left out. Returns how many cards it added."""
    for _ in range(3):
        def work(conn: Connection, codes: list[str] = codes) -> None:
            if sold:
                _insert_sold(conn, campaign, codes, device_id)
            else:
                rows = [{**template, "id": new_id("v"), "code": code} for code in codes]
                bulk_insert(conn, cards, rows)
                append_changes(conn, [(CARD, row["id"]) for row in rows])
            conn.execute(update(campaigns).where(campaigns.c.id == campaign.id)
                         .values(vouchers_count=campaigns.c.vouchers_count + len(codes)))
            log_one(conn, CAMPAIGN, campaign.id)  # its count of cards
            if each_batch is not None:
                each_batch(conn, codes)

        try:
            write(engine, work)
            campaign.vouchers_count += len(codes)
            return len(codes)
        except IntegrityError:
            def clashes(conn: Connection, codes: list[str] = codes) -> set[str]:
                return set(conn.execute(select(cards.c.code).where(cards.c.code.in_(codes))).scalars())

            taken = write(engine, clashes)
            codes = [c for c in codes if c not in taken]
            if not codes:
                return 0
    raise errors.DuplicateFound("could not insert a batch of new codes; try again")


def _insert_sold(conn: Connection, campaign: Campaign, codes: list[str], device_id: str) -> None:
    """The cards of ``codes``, each loaded with the campaign's value, as an import makes a card of that value."""
    at = now()
    ctx = OperationContext(at=at, zone=store_zone(store_info(conn)), device_id=device_id, operator_id=None)
    built = [build_card(ImportRow(
        where="campaign", code=code, value=campaign.amount, balance=campaign.amount, status=CardStatus.ACTIVE,
        campaign=campaign.name, category=campaign.category, start_date=campaign.start_date,
        expiration_date=campaign.expiration_date, redemption_limit=campaign.redemption_limit,
    ), campaign, campaign.currency, ctx, reason=SOLD_REASON) for code in codes]
    write_built(conn, built, at=at)


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
